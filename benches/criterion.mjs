// Collects the criterion results of `cargo bench --bench parse` (benches/parse.rs)
// from target/criterion/*/*/new/ into one JSON file and prints them.
//
//   node benches/criterion.mjs [--out file.json]
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { root } from "./node/deliveries.mjs";

const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;

const base = join(root, "target", "criterion");
const results = { benchmark: "native", benches: {} };
for (const group of ["parse", "crypto"]) {
  const dir = join(base, group);
  if (!existsSync(dir)) throw new Error(`no criterion results in ${dir}: run cargo bench --bench parse first`);
  for (const id of readdirSync(dir).sort()) {
    const file = join(dir, id, "new", "estimates.json");
    if (!existsSync(file)) continue;
    const e = JSON.parse(readFileSync(file, "utf8"));
    const meta = JSON.parse(readFileSync(join(dir, id, "new", "benchmark.json"), "utf8"));
    const ns = e.median.point_estimate;
    const entry = { medianNs: ns, slopeNs: e.slope?.point_estimate ?? null, meanNs: e.mean.point_estimate, ciNs: [e.median.confidence_interval.lower_bound, e.median.confidence_interval.upper_bound], throughput: meta.throughput };
    if (meta.throughput?.Elements) entry.perSecond = (1e9 * meta.throughput.Elements) / ns;
    if (meta.throughput?.Bytes) entry.mibPerSecond = (1e9 * meta.throughput.Bytes) / ns / (1024 * 1024);
    results.benches[`${group}/${id}`] = entry;
  }
}
console.log("Native (criterion), median time per iteration:");
for (const [id, b] of Object.entries(results.benches)) {
  const rate = b.perSecond ? `${Math.round(b.perSecond).toLocaleString("en")} /s` : b.mibPerSecond ? `${b.mibPerSecond.toFixed(0)} MiB/s` : "";
  console.log(`  ${id.padEnd(34)} ${(b.medianNs / 1000).toFixed(2).padStart(9)} µs   ${rate}`);
}
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
