// Assembles pkg/ (the npm package) from pkg-template/ and the wasm-bindgen
// output in target/bindgen/{web,node}. Run by `make build`.
//
//   node scripts/build-pkg.mjs
//
// - two WebAssembly modules, each optimized by wasm-opt (npm `binaryen`):
//   larkhook_bg.wasm (the request path) and larkhook_tools_bg.wasm (the
//   inspector, test deliveries, encrypt), each shared by every runtime entry,
//   with their wasm-bindgen glue, at the package root;
// - the JavaScript as it is in pkg-template/src/ (core/, endpoint/, node/,
//   tools/, cli/ each a folder), except the entries (entries/), which go to
//   the package root beside the .wasm files, where the package's exports and
//   bin point; the two Node entries (import and require) are bundled into one
//   file each (esbuild), the long connection (socket/) only inside them;
// - the .d.mts/.d.cts are the generated registry types plus the API declarations (types/).
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const template = join(root, "pkg-template");
const src = join(template, "src");
const bindgen = join(root, "target", "bindgen");
const out = join(root, "pkg");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const require = createRequire(import.meta.url);
const wasmOpt = join(dirname(require.resolve("binaryen/package.json")), "bin", "wasm-opt");

// Each module: wasm-bindgen's web and nodejs glue must share one .wasm.
for (const [name, glue] of [["larkhook", "glue"], ["larkhook_tools", "tools-glue"]]) {
  const webWasm = readFileSync(join(bindgen, "web", `${name}_bg.wasm`));
  const nodeWasm = readFileSync(join(bindgen, "node", `${name}_bg.wasm`));
  if (!webWasm.equals(nodeWasm)) {
    throw new Error(`the web and nodejs wasm-bindgen targets produced different ${name} modules; the package assumes one`);
  }
  execFileSync(
    process.execPath,
    [
      wasmOpt,
      "-O3",
      "--strip-debug",
      "--strip-producers",
      // The target_features section tells toolchains what the module uses; no runtime reads it.
      "--strip-target-features",
      "--enable-bulk-memory",
      "--enable-nontrapping-float-to-int",
      "--enable-sign-ext",
      "--enable-mutable-globals",
      "--enable-multivalue",
      "--enable-reference-types",
      ...(process.env.WASM_SIMD === "0" ? [] : ["--enable-simd"]),
      join(bindgen, "web", `${name}_bg.wasm`),
      "-o",
      join(out, `${name}_bg.wasm`),
    ],
    { stdio: "inherit" },
  );
  // wasm-bindgen glue; the type hint points at a .d.ts the package does not ship.
  const stripTypesHint = (text) => text.replace(/^\/\* @ts-self-types=.*\*\/\n/m, "");
  writeFileSync(join(out, `${glue}.mjs`), stripTypesHint(readFileSync(join(bindgen, "web", `${name}.js`), "utf8")));
  writeFileSync(join(out, `${glue}.cjs`), stripTypesHint(readFileSync(join(bindgen, "node", `${name}.js`), "utf8")));
}

// Every part's ES modules in a folder of the same name.
const parts = readdirSync(src, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "entries" && d.name !== "types")
  .map((d) => d.name);
for (const part of parts) {
  const modules = readdirSync(join(src, part)).filter((f) => /\.(mjs|cjs)$/.test(f));
  if (modules.length > 0) mkdirSync(join(out, part));
  for (const name of modules) copyFileSync(join(src, part, name), join(out, part, name));
}

// The entries at the root: an import of another part ("../core/wasm.mjs")
// becomes "./core/wasm.mjs"; the glue and the .wasm files are beside them.
for (const name of readdirSync(join(src, "entries")).filter((f) => /\.(mjs|cjs)$/.test(f))) {
  const text = readFileSync(join(src, "entries", name), "utf8").replace(/(["'])\.\.\/(?=[\w-]+\/)/g, "$1./");
  if (/["']\.\.\//.test(text)) throw new Error(`entries/${name} imports from outside the package`);
  writeFileSync(join(out, name), text);
}
chmodSync(join(out, "cli.mjs"), 0o755);

// The two Node entries as one file each, bundled by esbuild (pinned in the
// workspace's devDependencies). ES modules load one by one and at a cold
// start each file costs more than its code (BENCHMARKS.md, cold start); the
// CommonJS entry is written as an ES module, and esbuild's CommonJS output
// lists its exports where cjs-module-lexer finds them, so that ES modules
// importing it get named exports. The tools glue stays a separate file,
// required only when a tool is first used. Only whitespace is minified, so
// names and stack traces stay readable.
for (const [entry, format] of [["index.node.mjs", "esm"], ["index.node.cjs", "cjs"]]) {
  require("esbuild").buildSync({
    entryPoints: [join(out, entry)],
    bundle: true,
    format,
    platform: "node",
    // ws: imported by the long connection's start() only, from the package's dependency.
    external: ["./tools-glue.cjs", "ws"],
    minifyWhitespace: true,
    logLevel: "warning",
    allowOverwrite: true,
    outfile: join(out, entry),
  });
}

// The JSON Schemas generated from the registry (larkhook/schemas/<event_type>.json).
mkdirSync(join(out, "schemas"));
for (const name of readdirSync(join(template, "schemas")).filter((f) => f.endsWith(".json"))) {
  copyFileSync(join(template, "schemas", name), join(out, "schemas", name));
}

// The long connection (socket/) is in the Node entries' bundles only, never
// shipped as loose files (the Workers and browser entries do not have it).
rmSync(join(out, "socket"), { recursive: true, force: true });

// The declarations, joined in this order (every file in types/ is listed).
const DECLARATIONS = ["types.generated.d.ts", "api.d.ts", "endpoint.d.ts", "node.d.ts", "socket.d.ts"];
const unlisted = readdirSync(join(src, "types")).filter((f) => f.endsWith(".d.ts") && !DECLARATIONS.includes(f));
if (unlisted.length > 0) throw new Error(`types/${unlisted[0]} is not in build-pkg.mjs's DECLARATIONS`);
const types = DECLARATIONS.map((f) => readFileSync(join(src, "types", f), "utf8")).join("");
writeFileSync(join(out, "index.d.mts"), types);
writeFileSync(join(out, "index.d.cts"), types);

// package.json with the crate's version, README, licenses.
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
const manifest = JSON.parse(readFileSync(join(template, "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(template, "README.md"), join(out, "README.md"));
for (const license of ["LICENSE-MIT", "LICENSE-APACHE"]) copyFileSync(join(root, license), join(out, license));

const size = (f) => readFileSync(join(out, f)).length;
console.log(`pkg/ assembled: larkhook ${version}, wasm ${size("larkhook_bg.wasm")} + tools ${size("larkhook_tools_bg.wasm")} bytes`);
