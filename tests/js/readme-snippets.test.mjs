// Every JavaScript snippet of README.md and the npm README (pkg-template/
// README.md) type-checked as a user's project would: the packed tarball
// installed, tsc with `strict` and `exactOptionalPropertyTypes`, checkJs.
// A snippet that imports larkhook is compiled as it is; a block of framework
// one-liners is split into its lines (each group after a comment), each
// compiled with the block's `handler` and the framework object its comment
// names (Express, Koa, Fastify, Hono from the workspace with their types).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { pkgDir, root } from "./helpers.mjs";

const READMES = [
  ["README.md", join(root, "README.md")],
  ["npm README", join(root, "pkg-template", "README.md")],
];

/** What a group's comment says it runs in, as the code a user would have written before it. */
const CONTEXTS = [
  [/Next\.js/, ""],
  [/node:http/, 'import http from "node:http";'],
  [/Express/, 'import express from "express";\nconst app = express();'],
  [/@koa\/router/, 'import Router from "@koa/router";\nconst router = new Router();'],
  [/Koa 2 alone/, 'import Koa from "koa";\nconst app = new Koa();'],
  [/Fastify/, 'import Fastify from "fastify";\nconst fastify = Fastify();'],
  [/Hono/, 'import { Hono } from "hono";\nconst app = new Hono();'],
];

/** The ```js blocks of a README, with the line each starts on. */
function blocks(text) {
  return [...text.matchAll(/^```(?:js|mjs|cjs|ts)\n([\s\S]*?)^```/gm)].map((m) => ({ code: m[1], line: text.slice(0, m.index).split("\n").length }));
}

/** A block of one-liners split into groups: the lines after each comment, or one commented line each. */
function groups(code) {
  const out = [];
  let current;
  for (const line of code.split("\n")) {
    if (line.trim() === "") continue;
    if (line.startsWith("//")) {
      if (current === undefined || current.code.length > 0) out.push((current = { comment: "", code: [] }));
      current.comment += `${line}\n`;
    } else if (current === undefined || (current.code.length > 0 && / \/\/ /.test(line) && !/^\s/.test(line))) {
      // A one-liner with its comment at the end (the npm README's style).
      out.push((current = { comment: line.slice(line.indexOf(" // ")), code: [line] }));
    } else current.code.push(line);
  }
  return out.map((g) => ({ comment: g.comment, code: g.code.join("\n") }));
}

/** The files to compile for one README block. */
function files(name, { code, line }) {
  const id = `${name === "README.md" ? "readme" : "npm"}-line${line}`;
  if (/from "larkhook"|require\("larkhook"\)/.test(code)) return [{ file: `${id}.${/require\(/.test(code) ? "cjs" : "mjs"}`, text: code }];
  const parts = groups(code);
  const definesHandler = parts.find((g) => /^const handler = /m.test(g.code));
  const handler = definesHandler?.code ?? "const handler = createHandler(() => ({ encryptKey: process.env.LARK_ENCRYPT_KEY }));";
  return parts
    .filter((g) => g !== definesHandler)
    .map((g, i) => {
      const context = CONTEXTS.find(([pattern]) => pattern.test(g.comment));
      assert.ok(context, `${name} line ${line}: no context for the snippet line ${JSON.stringify(g.code.slice(0, 60))} (add one to CONTEXTS)`);
      const text = ['import { createHandler, summarize, toNodeListener } from "larkhook";', context[1], handler, g.comment + g.code].filter(Boolean).join("\n");
      return { file: `${id}-${i + 1}.mjs`, text };
    });
}

test("every README and npm README snippet type-checks under strict and exactOptionalPropertyTypes", () => {
  // Under the workspace, so that the frameworks and their types resolve from its node_modules.
  const dir = join(root, "test-output", "readme-snippets");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme-snippets", private: true, type: "module" }));
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [packed] = JSON.parse(run("npm", ["pack", pkgDir, "--pack-destination", dir, "--json"]));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", "--no-package-lock", join(dir, packed.filename)]);

  const all = [];
  for (const [name, path] of READMES) for (const block of blocks(readFileSync(path, "utf8"))) all.push(...files(name, block));
  assert.ok(all.length >= 12, `found ${all.length} snippet files`);
  for (const { file, text } of all) writeFileSync(join(dir, file), text);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        allowJs: true,
        checkJs: true,
        noEmit: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        lib: ["es2022", "dom"],
        types: ["node"],
        // The frameworks' own declarations are not what is tested here.
        skipLibCheck: true,
      },
      files: all.map((f) => f.file),
    }),
  );
  try {
    run(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"]);
  } catch (error) {
    assert.fail(`tsc on the README snippets:\n${error.stdout}${error.stderr}\n${all.map((f) => `--- ${f.file}\n${f.text}`).join("\n")}`);
  }
  rmSync(dir, { recursive: true, force: true });
});
