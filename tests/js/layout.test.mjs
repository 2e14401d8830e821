// The source tree's shape (scripts/check-layout.mjs): no module cycle in the
// Rust crates, no import cycle or import against a folder's README in the
// package's JavaScript, no source file over 500 lines. The checker runs on
// the repository, and on small trees made here to show that it finds what
// it should and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { MAX_FILE_LINES, expandUseTree, problems, stripRust } from "../../scripts/check-layout.mjs";

/** A tree of files under a fresh directory, removed after `fn`. */
function withTree(files, fn) {
  const base = mkdtempSync(join(tmpdir(), "larkhook-layout-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(base, path)), { recursive: true });
      writeFileSync(join(base, path), text);
    }
    return fn(base);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

test("the repository: no module cycle, no import against a folder's rule, no file over 500 lines", () => {
  assert.deepEqual(problems(), []);
});

test("Rust: a cycle through a use tree and a re-export is found; comments, strings and unit tests are not dependencies", () => {
  const crate = {
    "src/lib.rs": "mod a;\nmod b;\nmod c;\npub use a::Alpha;\n",
    "src/a.rs": "use crate::{b::{self, Beta as B}};\npub struct Alpha(B);\n",
    // b reaches a only through the root's re-export, in code.
    "src/b.rs": "pub struct Beta;\nfn f() -> usize { core::mem::size_of::<crate::Alpha>() }\n",
    // c mentions a everywhere except in code.
    "src/c.rs": '// crate::a::Alpha\n/* crate::a */\nconst S: &str = "crate::a::Alpha";\nconst R: &str = r#"crate::a"#;\n#[cfg(test)]\nmod tests {\n    use crate::a::Alpha;\n}\n',
  };
  withTree(crate, (base) => assert.deepEqual(problems(base), ["Rust module cycle: src/a.rs <-> src/b.rs"]));
  // Without b's path to a there is no cycle, and c depends on nothing.
  withTree({ ...crate, "src/b.rs": "pub struct Beta;\n" }, (base) => assert.deepEqual(problems(base), []));
});

test("Rust: two stage folders that use each other are a cycle even when their files are not", () => {
  const crate = {
    "src/lib.rs": "mod verify;\nmod decode;\n",
    "src/verify/mod.rs": "pub(crate) mod crypto;\npub(crate) mod token;\n",
    "src/verify/crypto.rs": "pub(crate) fn decrypt() {}\n",
    "src/verify/token.rs": "pub(crate) fn check() { super::super::decode::wire::read() }\n",
    "src/decode/mod.rs": "pub(crate) mod wire;\n",
    "src/decode/wire.rs": "use crate::verify::crypto::decrypt;\npub(crate) fn read() { decrypt() }\n",
  };
  withTree(crate, (base) => assert.deepEqual(problems(base), ["Rust folder cycle in src/: crate::decode <-> crate::verify"]));
});

test("Rust: a use tree expands to every path it names", () => {
  assert.deepEqual(
    expandUseTree("crate::{a::{self, B as C}, d::e::F}").map((p) => [p.segments.join("::"), p.name]),
    [
      ["crate::a", "a"],
      ["crate::a::B", "C"],
      ["crate::d::e::F", "F"],
    ],
  );
  assert.equal(stripRust("let c = '\"'; // \"crate::x\"\nlet s = \"a\\\"b\";").includes("crate::x"), false);
});

test("JavaScript: an import a folder's README does not allow, a cycle, a folder without a rule, a file outside the folders", () => {
  const pkg = (files) => Object.fromEntries(Object.entries(files).map(([path, text]) => [`pkg-template/src/${path}`, text]));
  const tree = pkg({
    "core/README.md": "# core/\n\nMay import: nothing outside `core/`.\n",
    "core/webhook.mjs": 'import { LarkWebhookError } from "./errors.mjs";\nexport class LarkWebhook {}\n',
    "core/errors.mjs": "export class LarkWebhookError extends Error {}\n",
    "endpoint/README.md": "# endpoint/\n\nMay import: `core/`.\n",
    "endpoint/handler.mjs": 'import { LarkWebhook } from "../core/webhook.mjs";\nexport const createHandler = () => new LarkWebhook();\n',
    "entries/README.md": "# entries/\n\nMay import: `core/`, `endpoint/`.\n",
    "entries/index.mjs": 'import * as glue from "./glue.mjs";\nexport * from "../endpoint/handler.mjs";\n',
  });
  withTree(tree, (base) => assert.deepEqual(problems(base), [], "an allowed tree (glue.mjs is the build's)"));

  const broken = {
    ...tree,
    // Upward: the core reaches into the endpoint, which imports the core (a folder cycle, and a file cycle).
    ...pkg({ "core/errors.mjs": 'export const later = () => import("../endpoint/handler.mjs");\nexport class LarkWebhookError extends Error {}\n' }),
    ...pkg({ "cli/main.mjs": 'const { createHandler } = require("../endpoint/handler.mjs");\n' }),
    ...pkg({ "loose.mjs": "export const x = 1;\n" }),
  };
  withTree(broken, (base) =>
    assert.deepEqual(problems(base), [
      "JavaScript import cycle: core/errors.mjs <-> core/webhook.mjs <-> endpoint/handler.mjs",
      "JavaScript folder cycle: core <-> endpoint",
      "JavaScript import not allowed: cli/: no README.md with a \"May import:\" line",
      "JavaScript import not allowed: core/errors.mjs imports endpoint/handler.mjs: core/ may import core/",
      "JavaScript import not allowed: loose.mjs: outside every folder (each file belongs to one part)",
    ]),
  );
});

test(`a source file over ${MAX_FILE_LINES} lines is found; a generated one is not`, () => {
  const lines = (n) => "x;\n".repeat(n);
  const tree = {
    "scripts/long.mjs": lines(MAX_FILE_LINES + 1),
    "scripts/fits.mjs": lines(MAX_FILE_LINES),
    "tests/table.generated.mjs": lines(2 * MAX_FILE_LINES),
    "tests/node_modules/dep/index.js": lines(2 * MAX_FILE_LINES),
  };
  withTree(tree, (base) => assert.deepEqual(problems(base), [`file over ${MAX_FILE_LINES} lines: scripts/long.mjs: ${MAX_FILE_LINES + 1} lines`]));
});
