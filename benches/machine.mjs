// The machine and the code a benchmark run measured: CPU, cores, load,
// Node/Rust versions, the date and the commit (with whether src/ or
// pkg-template/ had uncommitted changes).
//
//   node benches/machine.mjs [--out file.json]
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

import { root } from "./node/deliveries.mjs";

const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;

const run = (cmd, argv) => {
  try {
    return execFileSync(cmd, argv, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
};
let model = cpus()[0]?.model ?? "unknown";
try {
  const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
  if (m) model = m[1];
} catch {}
const flags = (() => {
  try {
    const f = /^flags\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1].split(" ") ?? [];
    return ["aes", "sha_ni", "avx2"].filter((x) => f.includes(x));
  } catch {
    return [];
  }
})();
const info = {
  benchmark: "machine",
  date: new Date().toISOString(),
  cpu: model,
  cpuFlags: flags,
  cores: cpus().length,
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  loadAverage: loadavg().map((x) => +x.toFixed(2)),
  node: process.version,
  rustc: run("rustc", ["--version"]),
  commit: run("git", ["rev-parse", "--short", "HEAD"]),
  quick: !["", "0", undefined].includes(process.env.LARKHOOK_BENCH_QUICK),
  uncommittedCoreChanges: (run("git", ["status", "--porcelain", "--", "src", "pkg-template", "Cargo.toml", "Cargo.lock"]) ?? "") !== "",
};
console.log(
  `${info.date}: ${info.cpu} (${info.cores} cores; ${flags.join(", ") || "no"} crypto flags), load ${info.loadAverage.join(" ")}, Node ${info.node}, ${info.rustc}, commit ${info.commit}${info.uncommittedCoreChanges ? " + uncommitted changes in src/ or pkg-template/" : ""}`,
);
if (out) writeFileSync(out, JSON.stringify(info, null, 2));
