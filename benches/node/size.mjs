// Size: the two wasm modules (pkg/larkhook_bg.wasm, the request path every
// entry loads; pkg/larkhook_tools_bg.wasm, loaded only by the tools) raw and
// gzip -9, and the `npm pack` tarball.
//
//   node benches/node/size.mjs [--out file.json]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { pkgDir, root } from "./deliveries.mjs";

const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;

let gzipTool = "gzip -9 -n";
function sizes(file) {
  const path = join(pkgDir, file);
  const bytes = readFileSync(path);
  try {
    return [bytes.length, execFileSync("gzip", ["-9", "-n", "-c", path], { maxBuffer: 64 << 20 }).length];
  } catch {
    gzipTool = "node:zlib level 9";
    return [bytes.length, gzipSync(bytes, { level: 9 }).length];
  }
}
const [wasmRaw, gzip] = sizes("larkhook_bg.wasm");
const [toolsRaw, toolsGzip] = sizes("larkhook_tools_bg.wasm");

const work = join(root, "target", "bench");
mkdirSync(work, { recursive: true });
const packDir = mkdtempSync(join(work, "pack-"));
let tarball;
try {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", pkgDir, "--pack-destination", packDir, "--json"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  tarball = { bytes: statSync(join(packDir, packed.filename)).size, unpackedBytes: packed.unpackedSize, files: packed.entryCount ?? packed.files?.length };
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

// The JS of the Node ES module entry (one bundled file).
const js = statSync(join(pkgDir, "index.node.mjs")).size;

const results = { benchmark: "size", wasmRawBytes: wasmRaw, wasmGzipBytes: gzip, toolsWasmRawBytes: toolsRaw, toolsWasmGzipBytes: toolsGzip, gzipTool, tarballBytes: tarball.bytes, tarballUnpackedBytes: tarball.unpackedBytes, tarballFiles: tarball.files, nodeEntryJsBytes: js };
const kb = (b) => `${(b / 1000).toFixed(1)} KB (${b} bytes)`;
console.log(`pkg/larkhook_bg.wasm:       ${kb(wasmRaw)} raw, ${kb(gzip)} ${gzipTool}`);
console.log(`pkg/larkhook_tools_bg.wasm: ${kb(toolsRaw)} raw, ${kb(toolsGzip)} ${gzipTool}`);
console.log(`npm pack tarball:     ${kb(tarball.bytes)} (${tarball.files} files, ${kb(tarball.unpackedBytes)} unpacked)`);
console.log(`the Node ES module entry (one bundled file): ${kb(js)}`);
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
