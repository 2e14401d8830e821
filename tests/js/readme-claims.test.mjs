// Sentences of README.md and the npm README (pkg-template/README.md) that
// code can check, checked against the built package: which entries use Node
// built-ins, when the tools module loads, the command line's exit codes, the
// manifest's links.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";

import { pkgDir, root } from "./helpers.mjs";

const npmReadme = readFileSync(join(root, "pkg-template", "README.md"), "utf8");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** Every module an ES module loads statically or dynamically, by relative path, from `entry` on. */
function moduleGraph(entry) {
  const seen = new Map();
  const visit = (file) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g)].map((m) => m[1]);
    seen.set(file, specifiers);
    for (const specifier of specifiers) if (specifier.startsWith(".") && /\.m?js$/.test(specifier)) visit(join(dirname(file), specifier));
  };
  visit(entry);
  return seen;
}

test('"the Workers and browser entries use no Node built-ins" (README: "Native to Workers (no Node built-ins, no shims)")', () => {
  assert.match(npmReadme, /the Workers and browser entries use\s+no Node built-ins/);
  assert.match(readme, /Native to Workers \(no Node built-ins, no shims\)/);
  const builtins = new Set(builtinModules);
  for (const entry of ["index.workerd.mjs", "tools.workerd.mjs", "index.browser.mjs", "tools.browser.mjs"]) {
    const graph = moduleGraph(join(pkgDir, entry));
    assert.ok(graph.size > 2, `${entry} loads its modules`);
    for (const [file, specifiers] of graph) {
      for (const specifier of specifiers) {
        assert.ok(!specifier.startsWith("node:") && !builtins.has(specifier), `${entry} → ${file.slice(pkgDir.length + 1)} imports ${specifier}`);
      }
    }
  }
  // And the Node entry does use one, as the npm README says.
  assert.match(readFileSync(join(pkgDir, "index.node.mjs"), "utf8"), /from\s*"node:fs"/);
});

test('"Node, Deno and Bun load it when a tool is first used": the tools module is not loaded by importing, only by a tool', () => {
  assert.match(npmReadme, /Node, Deno and\s+Bun load it when a tool is first used/);
  const script = `
    const lark = await import(${JSON.stringify(join(pkgDir, "index.node.mjs"))});
    const { createRequire } = await import("node:module");
    const require = createRequire(${JSON.stringify(join(pkgDir, "index.node.mjs"))});
    const loaded = () => Object.keys(require.cache).some((f) => f.endsWith("tools-glue.cjs"));
    const before = loaded();
    lark.createTestDelivery({ event: { type: "url_verification", challenge: "x" } });
    console.log(JSON.stringify({ before, after: loaded() }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
  assert.deepEqual(out, { before: false, after: true });
});

test('"verified by the main module in every runtime": a legacy card callback parses in Node without loading the tools module', () => {
  assert.match(npmReadme, /verified by the main module\s+in every runtime/);
  const body = readFileSync(join(root, "tests", "fixtures", "card_action_legacy.json"), "utf8").trim();
  const token = "readme-legacy-token";
  const headers = {
    "X-Lark-Request-Timestamp": "1700000000",
    "X-Lark-Request-Nonce": "n1",
    "X-Lark-Signature": createHash("sha1").update(`1700000000n1${token}${body}`).digest("hex"),
  };
  const script = `
    const lark = await import(${JSON.stringify(join(pkgDir, "index.node.mjs"))});
    const { createRequire } = await import("node:module");
    const require = createRequire(${JSON.stringify(join(pkgDir, "index.node.mjs"))});
    const m = new lark.LarkWebhook({ verificationToken: ${JSON.stringify(token)} })
      .parse({ headers: ${JSON.stringify(headers)}, body: ${JSON.stringify(body)}, now: 1700000000 });
    const loaded = Object.keys(require.cache).some((f) => f.endsWith("tools-glue.cjs"));
    console.log(JSON.stringify({ kind: m.kind, open_id: m.event.open_id, loaded }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
  assert.deepEqual(out, { kind: "card_action", open_id: JSON.parse(body).open_id, loaded: false });
});

test("the npm README's exit-code table lists every exit code of the command line, and the help names them", async () => {
  const { EXIT } = await import(join(pkgDir, "cli", "common.mjs"));
  const table = npmReadme.slice(npmReadme.indexOf("| exit code | meaning |"));
  const rows = [...table.split("\n\n")[0].matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
  assert.deepEqual(rows, Object.values(EXIT).sort((a, b) => a - b));
  const help = execFileSync(process.execPath, [join(pkgDir, "cli.mjs"), "--help"], { encoding: "utf8" });
  for (const code of Object.values(EXIT)) assert.match(help, new RegExp(`\\b${code} `), `larkhook --help names exit code ${code}`);
});

test("package.json has homepage and bugs", () => {
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.equal(manifest.homepage, "https://github.com/larkhook/larkhook#readme");
  assert.equal(manifest.bugs?.url, "https://github.com/larkhook/larkhook/issues");
  assert.equal(new URL(manifest.homepage).origin, new URL(manifest.repository.url.replace(/^git\+/, "")).origin);
});
