// The target table: every measure, its target, the measured value and whether
// it is met, from the JSON files the benchmark scripts wrote.
//
//   node benches/report.mjs target/bench/results                 # one run (make bench)
//   node benches/report.mjs run1/ run2/ run3/ [--markdown]       # the median of several runs
//   node benches/report.mjs run1/ run2/ run3/ --details          # per-benchmark tables (markdown)
//
// Exits non-zero only when a result file is missing or malformed (a harness
// error), never because a target is missed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const argv = process.argv.slice(2);
const markdown = argv.includes("--markdown");
const dirs = argv.filter((a) => !a.startsWith("--"));
if (dirs.length === 0) dirs.push("target/bench/results");

const FILES = ["machine", "node", "workerd", "native", "coldstart", "size", "memory"];
const runs = dirs.map((dir) =>
  Object.fromEntries(
    FILES.map((f) => {
      const file = join(dir, `${f}.json`);
      if (!existsSync(file)) throw new Error(`missing ${file}: a benchmark did not run`);
      return [f, JSON.parse(readFileSync(file, "utf8"))];
    }),
  ),
);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** The median over runs of one number taken from each run. */
const over = (pick) =>
  median(
    runs.map((r) => {
      const v = pick(r);
      if (typeof v !== "number" || Number.isNaN(v)) throw new Error("a result file lacks an expected figure");
      return v;
    }),
  );

const EVENTS = [
  ["created", "ticket.created_v1"],
  ["updated", "ticket.updated_v1"],
  ["message", "ticket_message.created_v1"],
];
const EXTRA = [
  ["plain", "plain ticket.created_v1 (extra)"],
  ["message64k", "64 KiB ticket_message (extra)"],
];
const us = (ns) => `${(ns / 1000).toFixed(1)} µs`;
const KB = (b) => `${(b / 1000).toFixed(1)} KB`;
const rows = [];
const row = (measure, target, measured, met, perRun = "") => rows.push({ measure, target, measured, met: met === null ? "info" : met ? "yes" : "NO", perRun });
/** The figure of each run, for the spread. */
const each = (pick, digits = 2) => (runs.length > 1 ? runs.map((r) => pick(r).toFixed(digits)).join(" / ") : "");

// ---- Node ------------------------------------------------------------------
for (const [id, name] of [...EVENTS, ...EXTRA]) {
  const extra = id === "plain" || id === "message64k";
  const sdk = over((r) => r.node.deliveries[id].stats.sdk.medianNs);
  const lh = over((r) => r.node.deliveries[id].stats.larkhook.medianNs);
  const speedup = over((r) => r.node.deliveries[id].speedupVsSdk);
  const cpu = over((r) => r.node.deliveries[id].cpuSpeedupVsSdk);
  row(`Node, ${name}: larkhook vs official SDK`, "never slower (≥ 1×; aim 1.3×)", `${speedup.toFixed(2)}× (${us(lh)} vs ${us(sdk)}; CPU time ${cpu.toFixed(2)}×)`, extra ? null : speedup >= 1, each((r) => r.node.deliveries[id].speedupVsSdk));
}
for (const [id, name] of [...EVENTS, ...EXTRA]) {
  const extra = id === "plain" || id === "message64k";
  const floor = over((r) => r.node.deliveries[id].stats.floor.medianNs);
  const lh = over((r) => r.node.deliveries[id].stats.larkhook.medianNs);
  const ratio = over((r) => r.node.deliveries[id].vsFloor);
  const cpu = over((r) => r.node.deliveries[id].cpuVsFloor);
  // The one floor target is the plain delivery's: within 2× (no crypto to pay for in wasm).
  const target = id === "plain" ? "within 2×" : "(reported)";
  row(`Node, ${name}: larkhook vs node:crypto floor`, target, `${ratio.toFixed(2)}× the floor's time (${us(lh)} vs ${us(floor)}; CPU time ${cpu.toFixed(2)}×)`, id === "plain" ? ratio <= 2 : null, each((r) => r.node.deliveries[id].vsFloor));
}

// ---- workerd ---------------------------------------------------------------
for (const [id, name] of [...EVENTS, ...EXTRA]) {
  const extra = id === "plain" || id === "message64k";
  const wc = over((r) => r.workerd.deliveries[id].stats.webcrypto.medianNs);
  const lh = over((r) => r.workerd.deliveries[id].stats.larkhook.medianNs);
  const speedup = over((r) => r.workerd.deliveries[id].speedupVsWebCrypto);
  row(`workerd, ${name}: larkhook vs WebCrypto`, "(reported)", `${speedup.toFixed(2)}× (${us(lh)} vs ${us(wc)})`, null, each((r) => r.workerd.deliveries[id].speedupVsWebCrypto));
}

// ---- native ----------------------------------------------------------------
const perSecond = over((r) => r.native.benches["parse/ticket_message_created_v1"].perSecond);
const nativeNs = over((r) => r.native.benches["parse/ticket_message_created_v1"].medianNs);
row("native parse, ticket_message.created_v1 encrypted, one core", "(reported)", `${Math.round(perSecond).toLocaleString("en")} /s (${us(nativeNs)})`, null, each((r) => r.native.benches["parse/ticket_message_created_v1"].perSecond / 1000, 0) + (runs.length > 1 ? " k/s" : ""));

// ---- cold start ------------------------------------------------------------
// The target: the first parse at most 10 ms after an empty ES module import
// (in-process marks: larkhook's minus an empty module's).
const first = over((r) => r.coldstart.spawn["larkhook-esm"].firstParseMarkMinusEmptyMs);
const firstCjs = over((r) => r.coldstart.spawn["larkhook-cjs"].firstParseMarkMinusEmptyMs);
const cold = over((r) => r.coldstart.spawn["larkhook-esm"].minusBaselineMs);
const coldSdk = over((r) => r.coldstart.spawn.sdk.minusBaselineMs);
row(
  "first parse after an empty ES module import (Node, ESM: import, construct, parse)",
  "≤ 10 ms",
  `${first.toFixed(1)} ms (CommonJS ${firstCjs.toFixed(1)} ms; whole process minus \`node -e ''\`: ${cold.toFixed(1)} ms, the SDK ${coldSdk.toFixed(0)} ms)`,
  first <= 10,
  each((r) => r.coldstart.spawn["larkhook-esm"].firstParseMarkMinusEmptyMs, 1) + (runs.length > 1 ? " ms" : ""),
);

// ---- size --------------------------------------------------------------------
const raw = over((r) => r.size.wasmRawBytes);
const gz = over((r) => r.size.wasmGzipBytes);
const toolsRaw = over((r) => r.size.toolsWasmRawBytes);
const toolsGz = over((r) => r.size.toolsWasmGzipBytes);
const tar = over((r) => r.size.tarballBytes);
row(".wasm the request path loads, raw", "≤ 220 KB", KB(raw), raw <= 220_000);
row(".wasm the request path loads, gzip -9", "≤ 85 KB", KB(gz), gz <= 85_000);
row("tools .wasm (inspect, test deliveries), raw / gzip -9", "(reported)", `${KB(toolsRaw)} / ${KB(toolsGz)}`, null);
row("npm tarball", "(reported)", KB(tar), null);

// ---- memory --------------------------------------------------------------------
const flat = runs.every((r) => r.memory.flat);
const wasmAfter = over((r) => r.memory.wasmBytesAfter);
const count = runs[0].memory.count;
row(`wasm memory over ${count.toLocaleString("en")} parses`, "flat (no leak)", `${flat ? "flat" : "GROWS"}, ${(wasmAfter / 1048576).toFixed(2)} MiB after the last`, flat);
const peak = over((r) => r.memory.peak1MiB.bytes.afterFirstBytes);
const body = runs[0].memory.peak1MiB.bytes.bodyBytes;
row(`wasm memory peak, one ${body.toLocaleString("en")}-byte body`, "(reported)", `${(peak / 1048576).toFixed(2)} MiB`, null);

// ---- details (markdown, --details) -------------------------------------------------
function details() {
  const lines = [];
  const out = (x = "") => lines.push(x);
  const ALL = [...EVENTS, ...EXTRA].map(([id]) => id);
  const labels = Object.fromEntries(ALL.map((id) => [id, runs[0].node.deliveries[id].label]));
  const bodies = Object.fromEntries(ALL.map((id) => [id, runs[0].node.deliveries[id].bodyBytes]));

  out("#### Node: time per delivery (µs, median over rounds, then over runs)");
  out();
  out("| delivery | body bytes | larkhook | larkhook (Uint8Array body) | official SDK | node:crypto floor | SDK / larkhook | larkhook / floor | CPU time: SDK / larkhook | CPU time: larkhook / floor |");
  out("|---|---|---|---|---|---|---|---|---|---|");
  for (const id of ALL) {
    const st = (impl) => over((r) => r.node.deliveries[id].stats[impl].medianNs) / 1000;
    const e = (k) => over((r) => r.node.deliveries[id][k]);
    out(`| ${labels[id]} | ${bodies[id]} | ${st("larkhook").toFixed(1)} | ${st("larkhook-bytes").toFixed(1)} | ${st("sdk").toFixed(1)} | ${st("floor").toFixed(1)} | ${e("speedupVsSdk").toFixed(2)} | ${e("vsFloor").toFixed(2)} | ${e("cpuSpeedupVsSdk").toFixed(2)} | ${e("cpuVsFloor").toFixed(2)} |`);
  }
  out();
  out("#### workerd: time per delivery (µs)");
  out();
  out("| delivery | larkhook (in-worker) | WebCrypto (in-worker) | WebCrypto / larkhook | larkhook (Node-side) | WebCrypto (Node-side) | Node-side ratio | empty request |");
  out("|---|---|---|---|---|---|---|---|");
  for (const id of ALL) {
    const st = (impl, k) => over((r) => r.workerd.deliveries[id].stats[impl][k]) / 1000;
    out(
      `| ${labels[id]} | ${st("larkhook", "workerMedianNs").toFixed(1)} | ${st("webcrypto", "workerMedianNs").toFixed(1)} | ${over((r) => r.workerd.deliveries[id].speedupVsWebCrypto).toFixed(2)} | ${st("larkhook", "nodeSideMedianNs").toFixed(1)} | ${st("webcrypto", "nodeSideMedianNs").toFixed(1)} | ${over((r) => r.workerd.deliveries[id].speedupVsWebCryptoNodeSide).toFixed(2)} | ${over((r) => r.workerd.deliveries[id].emptyRequestMs).toFixed(2)} ms |`,
    );
  }
  out();
  out(`Worker clock: ${runs.map((r) => (r.workerd.clock.advances ? "advances" : "frozen") + ` (${r.workerd.clock.resolution})`).join("; ")}.`);
  out();
  out("#### Native (criterion, median per iteration)");
  out();
  out("| benchmark | time | rate |");
  out("|---|---|---|");
  for (const id of Object.keys(runs[0].native.benches)) {
    const ns = over((r) => r.native.benches[id].medianNs);
    const b = runs[0].native.benches[id];
    const rate = b.perSecond ? `${Math.round(over((r) => r.native.benches[id].perSecond)).toLocaleString("en")} /s` : `${over((r) => r.native.benches[id].mibPerSecond).toFixed(0)} MiB/s`;
    out(`| \`${id}\` | ${(ns / 1000).toFixed(2)} µs | ${rate} |`);
  }
  out();
  startupDetails(out);
  return lines.join("\n");
}

/** The details' second half: cold start, memory, size. */
function startupDetails(out) {
  out("#### Cold start (ms, median of the per-run medians)");
  out();
  out("| process | spawn, raw | spawn − `node -e ''` | in-process mark | mark − empty module | hyperfine, raw | hyperfine − `node -e ''` |");
  out("|---|---|---|---|---|---|---|");
  for (const n of Object.keys(runs[0].coldstart.spawn)) {
    const sp = (k) => {
      const v = runs[0].coldstart.spawn[n][k];
      return v === null ? "–" : over((r) => r.coldstart.spawn[n][k]).toFixed(1);
    };
    const hf = (k) => (runs.every((r) => r.coldstart.hyperfine) ? over((r) => r.coldstart.hyperfine[n][k]).toFixed(1) : "–");
    out(`| ${n} | ${sp("rawMs")} | ${sp("minusBaselineMs")} | ${sp("firstParseMarkMs")} | ${sp("firstParseMarkMinusEmptyMs")} | ${hf("rawMs")} | ${hf("minusBaselineMs")} |`);
  }
  out();
  const withPhases = runs.filter((r) => r.coldstart.phases);
  if (withPhases.length > 0) {
    const ph = (k) => median(withPhases.map((r) => r.coldstart.phases[k]));
    out(
      `larkhook's steps in a fresh process (ms, medians${withPhases.length < runs.length ? ` of the ${withPhases.length} run(s) that recorded them` : ""}; pkg/index.node.mjs done by hand): Node start to the script's first line ${ph("nodeStart").toFixed(1)}; ` +
        `import glue.mjs + api.mjs (unbundled modules) ${ph("importJs").toFixed(1)}; read the .wasm ${ph("readWasm").toFixed(1)}; new WebAssembly.Module ${ph("compileWasm").toFixed(1)}; ` +
        `instantiate ${ph("instantiate").toFixed(1)}; new LarkWebhook ${ph("construct").toFixed(1)}; first parse ${ph("firstParse").toFixed(1)}; second parse ${ph("secondParse").toFixed(2)}.`,
    );
    out();
  }
  out("#### Memory");
  out();
  for (const r of runs) {
    const m = r.memory;
    const mib = (b) => (b / 1048576).toFixed(2);
    out(
      `- ${m.count.toLocaleString("en")} parses (${m.seconds.toFixed(0)} s): wasm memory ${m.samples.map((x) => mib(x.wasmBytes)).join(" → ")} MiB (${m.flat ? "flat" : "grows"}); ` +
        `JS heap after GC ${mib(Math.min(...m.samples.map((x) => x.heapUsed)))}–${mib(Math.max(...m.samples.map((x) => x.heapUsed)))} MiB; ` +
        `1 MiB body: ${mib(m.peak1MiB.string.beforeBytes)} → ${mib(m.peak1MiB.string.afterFirstBytes)} MiB (string body), ${mib(m.peak1MiB.bytes.beforeBytes)} → ${mib(m.peak1MiB.bytes.afterFirstBytes)} MiB (Uint8Array body).`,
    );
  }
  out();
  out("#### Size");
  out();
  const sz = runs.at(-1).size;
  out(`wasm ${sz.wasmRawBytes} bytes raw, ${sz.wasmGzipBytes} bytes ${sz.gzipTool}; npm tarball ${sz.tarballBytes} bytes (${sz.tarballFiles} files, ${sz.tarballUnpackedBytes} bytes unpacked); the Node entry's JS ${sz.nodeEntryJsBytes} bytes.`);
}

// ---- print -------------------------------------------------------------------
const when = `${runs.length} run${runs.length > 1 ? "s (medians across runs)" : ""}`;
if (argv.includes("--details")) {
  console.log(details());
} else if (markdown) {
  console.log(`| measure | target | measured (median) | met? |${runs.length > 1 ? " each run |" : ""}`);
  console.log(`|---|---|---|---|${runs.length > 1 ? "---|" : ""}`);
  for (const r of rows) console.log(`| ${r.measure} | ${r.target} | ${r.measured} | ${r.met === "NO" ? "**no**" : r.met} |${runs.length > 1 ? ` ${r.perRun} |` : ""}`);
} else {
  const w = [Math.max(...rows.map((r) => r.measure.length)), Math.max(...rows.map((r) => r.target.length)), Math.max(...rows.map((r) => r.measured.length))];
  console.log(`\nlarkhook benchmark targets (${when}; KB = 1000 bytes)`);
  for (const r of runs) {
    const m = r.machine;
    console.log(`  ${m.date} ${m.cpu}, ${m.cores} cores, load ${m.loadAverage.join(" ")}, Node ${m.node}, commit ${m.commit}${m.uncommittedCoreChanges ? " (+ uncommitted src changes)" : ""}`);
  }
  console.log("");
  console.log(`${"measure".padEnd(w[0])}  ${"target".padEnd(w[1])}  ${"measured".padEnd(w[2])}  met?`);
  console.log(`${"-".repeat(w[0])}  ${"-".repeat(w[1])}  ${"-".repeat(w[2])}  ----`);
  for (const r of rows) console.log(`${r.measure.padEnd(w[0])}  ${r.target.padEnd(w[1])}  ${r.measured.padEnd(w[2])}  ${r.met}`);
  if (runs.some((r) => r.machine.quick)) console.log("\nLARKHOOK_BENCH_QUICK was set: a smoke run with few rounds; the figures are too noisy for conclusions.");
  const missed = rows.filter((r) => r.met === "NO").length;
  const met = rows.filter((r) => r.met === "yes").length;
  console.log(`\n${met} met, ${missed} missed (rows marked "info" have no target). Missed targets do not fail the build.`);
}
