// Assembles pkg/ (the npm package) from pkg-template/ and the wasm-bindgen
// output in target/bindgen/{web,node}. Run by `make build`.
//
//   node scripts/build-pkg.mjs
//
// - wasm-opt (npm `binaryen`) optimizes the one .wasm all entries share;
// - the ES module sources are also emitted as CommonJS for `require`;
// - the entries get the export list from createApi itself;
// - the .d.mts/.d.cts are the generated model types plus the API declarations.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const template = join(root, "pkg-template");
const src = join(template, "src");
const bindgen = join(root, "target", "bindgen");
const out = join(root, "pkg");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// One wasm for every runtime: both wasm-bindgen targets must have produced the same module.
const webWasm = readFileSync(join(bindgen, "web", "larkhook_bg.wasm"));
const nodeWasm = readFileSync(join(bindgen, "node", "larkhook_bg.wasm"));
if (!webWasm.equals(nodeWasm)) {
  throw new Error("the web and nodejs wasm-bindgen targets produced different modules; the package assumes one");
}
const require = createRequire(import.meta.url);
const wasmOpt = join(dirname(require.resolve("binaryen/package.json")), "bin", "wasm-opt");
execFileSync(
  process.execPath,
  [
    wasmOpt,
    "-O3",
    "--strip-debug",
    "--strip-producers",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-reference-types",
    ...(process.env.WASM_SIMD === "0" ? [] : ["--enable-simd"]),
    join(bindgen, "web", "larkhook_bg.wasm"),
    "-o",
    join(out, "larkhook_bg.wasm"),
  ],
  { stdio: "inherit" },
);

// wasm-bindgen glue; the type hint points at a .d.ts the package does not ship.
const stripTypesHint = (text) => text.replace(/^\/\* @ts-self-types=.*\*\/\n/m, "");
writeFileSync(join(out, "glue.mjs"), stripTypesHint(readFileSync(join(bindgen, "web", "larkhook.js"), "utf8")));
writeFileSync(join(out, "glue.cjs"), stripTypesHint(readFileSync(join(bindgen, "node", "larkhook.js"), "utf8")));

// ES module sources, and their CommonJS twins.
for (const name of ["api", "handler", "consumer", "dedup", "delivery", "answers", "redis", "codes.generated"]) {
  const esm = readFileSync(join(src, `${name}.mjs`), "utf8");
  writeFileSync(join(out, `${name}.mjs`), esm);
  writeFileSync(join(out, `${name}.cjs`), toCommonJs(esm, `${name}.mjs`));
}

// Entries: the export list is whatever createApi returns.
const { createApi } = await import(pathToFileURL(join(out, "api.mjs")).href);
const exportNames = Object.keys(createApi({})).join(", ");
for (const name of ["index.workerd.mjs", "index.node.mjs", "index.browser.mjs"]) {
  const text = readFileSync(join(src, name), "utf8");
  if (!text.includes("/* EXPORTS */")) throw new Error(`${name} lacks the /* EXPORTS */ placeholder`);
  writeFileSync(join(out, name), text.replace("/* EXPORTS */", exportNames));
}
copyFileSync(join(src, "index.node.cjs"), join(out, "index.node.cjs"));

const types = readFileSync(join(src, "types.generated.d.ts"), "utf8") + readFileSync(join(src, "api.d.ts"), "utf8");
writeFileSync(join(out, "index.d.mts"), types);
writeFileSync(join(out, "index.d.cts"), types);

// package.json with the crate's version, README, licenses.
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
const manifest = JSON.parse(readFileSync(join(template, "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(template, "README.md"), join(out, "README.md"));
for (const license of ["LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(join(root, license), join(out, license));

console.log(`pkg/ assembled: larkhook ${version}, wasm ${readFileSync(join(out, "larkhook_bg.wasm")).length} bytes`);

// Our own sources use a deliberately small subset of ES module syntax:
// `import { a, b } from "./x.mjs";` and top-level `export class|function|const`.
// Anything else is refused rather than guessed at.
function toCommonJs(text, file) {
  const names = [];
  const lines = text.split("\n").map((line, i) => {
    let m;
    if ((m = /^import \{([^}]+)\} from "\.\/([\w.]+)\.mjs";$/.exec(line))) {
      return `const {${m[1]}} = require("./${m[2]}.cjs");`;
    }
    if ((m = /^export (class|function|const) (\w+)/.exec(line))) {
      names.push(m[2]);
      return line.slice("export ".length);
    }
    if (/^\s*(import|export)\b/.test(line)) throw new Error(`${file}:${i + 1}: unsupported module syntax for the CommonJS build: ${line}`);
    return line;
  });
  return `"use strict";\n${lines.join("\n")}\nmodule.exports = { ${names.join(", ")} };\n`;
}
