// Size: pkg/larkhook_bg.wasm raw and gzip -9, and the `npm pack` tarball.
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

const wasmPath = join(pkgDir, "larkhook_bg.wasm");
const wasm = readFileSync(wasmPath);
let gzip;
let gzipTool;
try {
  gzip = execFileSync("gzip", ["-9", "-n", "-c", wasmPath], { maxBuffer: 64 << 20 }).length;
  gzipTool = "gzip -9 -n";
} catch {
  gzip = gzipSync(wasm, { level: 9 }).length;
  gzipTool = "node:zlib level 9";
}

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

// The JS shipped beside the wasm (what a bundler adds for the node entry).
const js = ["glue.mjs", "api.mjs", "handler.mjs", "codes.generated.mjs", "index.node.mjs"].reduce((n, f) => n + statSync(join(pkgDir, f)).size, 0);

const results = { benchmark: "size", wasmRawBytes: wasm.length, wasmGzipBytes: gzip, gzipTool, tarballBytes: tarball.bytes, tarballUnpackedBytes: tarball.unpackedBytes, tarballFiles: tarball.files, nodeEntryJsBytes: js };
const kb = (b) => `${(b / 1000).toFixed(1)} KB (${b} bytes)`;
console.log(`pkg/larkhook_bg.wasm: ${kb(wasm.length)} raw, ${kb(gzip)} ${gzipTool}`);
console.log(`npm pack tarball:     ${kb(tarball.bytes)} (${tarball.files} files, ${kb(tarball.unpackedBytes)} unpacked)`);
console.log(`ES module JS of the Node entry (glue, api, handler, codes, entry): ${kb(js)}`);
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
