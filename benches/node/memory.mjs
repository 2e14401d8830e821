// Memory: the wasm linear memory (WebAssembly.Memory buffer byteLength)
// across 1,000,000 parses, sampled every 100,000 (it must stay flat: no
// leak), and its peak for a body of just under 1 MiB, in a fresh process.
//
//   node benches/node/memory.mjs [--count 1000000] [--every 100000] [--out file.json]
//
// The memory is reached by binding the package's own modules (glue.mjs,
// core/wasm.mjs, api.mjs: what every entry is made of) to an instance whose
// exports (`memory` among them) this script holds.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { NOW, buildDeliveries, parseArgs, pkgDir, root } from "./deliveries.mjs";

const args = parseArgs(process.argv.slice(2));
const QUICK = ["", "0", undefined].includes(process.env.LARKHOOK_BENCH_QUICK) === false;
const COUNT = Number(args.count ?? (QUICK ? 100_000 : 1_000_000));
const EVERY = Number(args.every ?? (QUICK ? 10_000 : 100_000));

const glue = await import(join(pkgDir, "glue.mjs"));
const { bindWasm } = await import(join(pkgDir, "core", "wasm.mjs"));
const api = await import(join(pkgDir, "api.mjs"));
const exports = glue.initSync({ module: readFileSync(join(pkgDir, "larkhook_bg.wasm")) });
if (!(exports?.memory instanceof WebAssembly.Memory)) throw new Error("the glue did not return the instance's exports");
const memory = exports.memory;
// The tools (test deliveries) come from the package entry: they are not measured.
const tools = await import(join(pkgDir, "index.node.mjs"));
bindWasm(glue, () => undefined);
const lark = { ...api, createTestDelivery: tools.createTestDelivery };
const MiB = 1024 * 1024;

if (args.child) {
  // Peak for one large body, in this fresh process. The delivery was built
  // by the parent (building it here would grow the memory before the parse).
  const before = memory.buffer.byteLength;
  const d = JSON.parse(readFileSync(args.delivery, "utf8"));
  d.bodyBytes = new TextEncoder().encode(d.body);
  const hook = new lark.LarkWebhook(d.options);
  const body = args.child === "bytes" ? d.bodyBytes : d.body;
  const r = hook.parse({ headers: d.headers, body, now: NOW });
  if (r.kind !== "event") throw new Error("the 1 MiB delivery did not parse");
  const after = memory.buffer.byteLength;
  for (let i = 0; i < 5; i++) hook.parse({ headers: d.headers, body, now: NOW });
  process.stdout.write(JSON.stringify({ bodyBytes: d.bodyBytes.length, plaintextBytes: r.raw.length, beforeBytes: before, afterFirstBytes: after, afterSixBytes: memory.buffer.byteLength }));
  process.exit(0);
}

// ---- 1,000,000 parses -----------------------------------------------------------
// Run with --expose-gc to collect before each sample (the JS heap figures are then live data).
const gc = globalThis.gc ?? (() => {});
const { message: d } = buildDeliveries(lark, { include: ["message"] });
const hook = new lark.LarkWebhook(d.options);
const delivery = { headers: d.headers, body: d.body, now: NOW };
gc();
const samples = [{ parses: 0, wasmBytes: memory.buffer.byteLength, ...js() }];
const t0 = process.hrtime.bigint();
for (let i = 1; i <= COUNT; i++) {
  const r = hook.parse(delivery);
  if (i % EVERY === 0) {
    if (r.kind !== "event") throw new Error("a parse failed");
    gc();
    samples.push({ parses: i, wasmBytes: memory.buffer.byteLength, ...js() });
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const afterFirst = samples[1].wasmBytes;
const flat = samples.slice(1).every((s) => s.wasmBytes === afterFirst);

// ---- 1 MiB body, fresh processes -----------------------------------------------
const self = fileURLToPath(import.meta.url);
const big = buildDeliveries(lark, { include: ["message1m"] }).message1m;
const file = join(root, "target", "bench", "memory-1mib-delivery.json");
mkdirSync(join(root, "target", "bench"), { recursive: true });
writeFileSync(file, JSON.stringify({ headers: big.headers, body: big.body, options: big.options }));
const peak = {};
for (const kind of ["string", "bytes"]) {
  const r = spawnSync(process.execPath, [self, "--child", kind, "--delivery", file], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child ${kind}: ${r.stderr}`);
  peak[kind] = JSON.parse(r.stdout);
}

const results = { benchmark: "memory", delivery: d.label, count: COUNT, seconds, samples, flat, wasmBytesAfter: samples.at(-1).wasmBytes, peak1MiB: peak };
const mib = (b) => `${(b / MiB).toFixed(2)} MiB`;
console.log(`wasm linear memory over ${COUNT.toLocaleString("en")} parses of ${d.label} (${seconds.toFixed(1)} s):`);
for (const s of samples) {
  console.log(`  ${String(s.parses).padStart(8)} parses: wasm ${mib(s.wasmBytes).padStart(9)}   JS heap used ${mib(s.heapUsed).padStart(9)}   rss ${mib(s.rss).padStart(9)}`);
}
console.log(`  ${globalThis.gc ? "(JS heap sampled after a full GC)" : "(no --expose-gc: JS heap figures include garbage)"}`);
console.log(`  ${flat ? `flat: no growth after the first ${EVERY.toLocaleString("en")} parses` : "GROWS: the linear memory kept growing"}`);
for (const [kind, p] of Object.entries(peak)) {
  console.log(
    `Peak for one ${p.bodyBytes}-byte body (${kind}), fresh process: wasm ${mib(p.beforeBytes)} at start -> ${mib(p.afterFirstBytes)} after the parse` +
      ` (grew ${mib(p.afterFirstBytes - p.beforeBytes)}, ${((p.afterFirstBytes - p.beforeBytes) / p.bodyBytes).toFixed(1)}× the body; ${mib(p.afterSixBytes)} after 5 more)`,
  );
}
if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 2));

function js() {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss };
}

