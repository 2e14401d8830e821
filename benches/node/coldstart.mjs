// Cold start in Node: a fresh `node` process from start to its first parsed
// delivery (import + construct + first parse), larkhook vs the official SDK.
//
//   node benches/node/coldstart.mjs [--runs 15] [--out file.json] [--no-hyperfine]
//
// The child scripts are generated into target/bench/coldstart/ with one
// signed, encrypted ticket_message.created_v1 delivery inlined (no file read):
//
// - larkhook-esm.mjs: `import { LarkWebhook } from ".../pkg/index.node.mjs"`, construct, parse;
// - larkhook-cjs.cjs: the same through `require(".../pkg/index.node.cjs")`;
// - sdk.cjs: `require("@larksuiteoapi/node-sdk")`, `new EventDispatcher(...)`
//   with a handler, JSON.parse of the body and `await invoke(...)` (what its
//   http adapter does); its logger silenced.
//
// Each child prints `performance.now()` when its first delivery is parsed:
// milliseconds since the process's time origin (in-process figure). The
// parent measures whole processes two ways:
//
// 1. spawnSync timed with process.hrtime, the commands interleaved
//    (baseline, larkhook ESM, larkhook CJS, SDK, rotating), median of --runs;
// 2. hyperfine (when installed; `apt-get install hyperfine`), -N, 3 warm-ups.
//
// Both report raw medians and medians minus the bare `node -e ''` baseline.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { NOW, buildDeliveries, parseArgs, pkgDir, root } from "./deliveries.mjs";

const args = parseArgs(process.argv.slice(2), ["no-hyperfine"]);
const RUNS = Number(args.runs ?? (!["", "0", undefined].includes(process.env.LARKHOOK_BENCH_QUICK) ? 5 : 15));
const dir = join(root, "target", "bench", "coldstart");
mkdirSync(dir, { recursive: true });

const lark = await import(join(pkgDir, "index.node.mjs"));
const { message: d } = buildDeliveries(lark, { include: ["message"] });
const delivery = JSON.stringify({ headers: d.headers, body: d.body, now: NOW });
const options = JSON.stringify(d.options);
const sdkPath = createRequire(join(root, "package.json")).resolve("@larksuiteoapi/node-sdk");

const scripts = {
  "larkhook-esm": [
    "larkhook-esm.mjs",
    `import { LarkWebhook } from ${JSON.stringify(pathToFileURL(join(pkgDir, "index.node.mjs")).href)};
const delivery = ${delivery};
const result = new LarkWebhook(${options}).parse(delivery);
const at = performance.now();
if (result.event_type !== ${JSON.stringify(d.eventType)}) throw new Error("not parsed");
process.stdout.write(JSON.stringify({ firstParseMs: at }));
`,
  ],
  "larkhook-cjs": [
    "larkhook-cjs.cjs",
    `const { LarkWebhook } = require(${JSON.stringify(join(pkgDir, "index.node.cjs"))});
const delivery = ${delivery};
const result = new LarkWebhook(${options}).parse(delivery);
const at = performance.now();
if (result.event_type !== ${JSON.stringify(d.eventType)}) throw new Error("not parsed");
process.stdout.write(JSON.stringify({ firstParseMs: at }));
`,
  ],
  sdk: [
    "sdk.cjs",
    `const { EventDispatcher } = require(${JSON.stringify(sdkPath)});
const delivery = ${delivery};
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
const dispatcher = new EventDispatcher({ ...${options}, logger: silent }).register({ ${JSON.stringify(d.eventType)}: async () => "ok" });
dispatcher.invoke(Object.assign(Object.create({ headers: delivery.headers }), JSON.parse(delivery.body))).then((r) => {
  const at = performance.now();
  if (r !== "ok") throw new Error("not parsed");
  process.stdout.write(JSON.stringify({ firstParseMs: at }));
});
`,
  ],
  empty: ["empty.mjs", `process.stdout.write(JSON.stringify({ firstParseMs: performance.now() }));\n`],
};

// Where larkhook's cold start goes: the steps of pkg/index.node.mjs, timed
// one by one in a fresh process (run separately from the timed commands).
const url = (f) => JSON.stringify(pathToFileURL(join(pkgDir, f)).href);
const phasesScript = `const t0 = performance.now();
const { readFileSync } = await import("node:fs");
const glue = await import(${url("glue.mjs")});
const { bindWasm } = await import(${url("core/wasm.mjs")});
const { LarkWebhook } = await import(${url("api.mjs")});
const t1 = performance.now();
const bytes = readFileSync(new URL(${url("larkhook_bg.wasm")}));
const t2 = performance.now();
const module = new WebAssembly.Module(bytes);
const t3 = performance.now();
glue.initSync({ module });
const t4 = performance.now();
bindWasm(glue, () => { throw new Error("the tools module is not part of a cold start"); });
const hook = new LarkWebhook(${options});
const t5 = performance.now();
const delivery = ${delivery};
const first = hook.parse(delivery);
const t6 = performance.now();
hook.parse(delivery);
const t7 = performance.now();
if (first.event_type !== ${JSON.stringify(d.eventType)}) throw new Error("not parsed");
process.stdout.write(JSON.stringify({ nodeStart: t0, importJs: t1 - t0, readWasm: t2 - t1, compileWasm: t3 - t2, instantiate: t4 - t3, construct: t5 - t4, firstParse: t6 - t5, secondParse: t7 - t6 }));
`;
writeFileSync(join(dir, "phases.mjs"), phasesScript);
const commands = { baseline: ["-e", ""] };
for (const [name, [file, text]] of Object.entries(scripts)) {
  writeFileSync(join(dir, file), text);
  commands[name] = [join(dir, file)];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Each child must actually parse before anything is timed.
for (const [name, argv] of Object.entries(commands)) {
  const r = spawnSync(process.execPath, argv, { encoding: "utf8" });
  if (r.status !== 0 || (name !== "baseline" && !r.stdout.includes("firstParseMs"))) {
    throw new Error(`${name} failed: ${r.stderr}`);
  }
}

// ---- 1. spawnSync + hrtime, interleaved -------------------------------------
const names = Object.keys(commands);
const wall = Object.fromEntries(names.map((n) => [n, []]));
const inProcess = Object.fromEntries(names.map((n) => [n, []]));
for (let warm = 0; warm < 2; warm++) for (const n of names) spawnSync(process.execPath, commands[n]);
for (let run = 0; run < RUNS; run++) {
  const order = names.map((_, i) => names[(i + run) % names.length]);
  for (const n of order) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, commands[n], { encoding: "utf8" });
    wall[n].push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (n !== "baseline") inProcess[n].push(JSON.parse(r.stdout).firstParseMs);
  }
}
const base = median(wall.baseline);
const emptyMark = median(inProcess.empty);
const results = { benchmark: "coldstart", runs: RUNS, node: process.version, delivery: d.label, spawn: {}, hyperfine: null };
for (const n of names) {
  results.spawn[n] = {
    rawMs: median(wall[n]),
    minusBaselineMs: median(wall[n]) - base,
    firstParseMarkMs: n === "baseline" ? null : median(inProcess[n]),
    firstParseMarkMinusEmptyMs: n === "baseline" ? null : median(inProcess[n]) - emptyMark,
    samplesMs: wall[n],
  };
}

// ---- larkhook's phases --------------------------------------------------------
const phaseRuns = [];
for (let run = 0; run < RUNS; run++) {
  const r = spawnSync(process.execPath, [join(dir, "phases.mjs")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`phases.mjs failed: ${r.stderr}`);
  phaseRuns.push(JSON.parse(r.stdout));
}
results.phases = Object.fromEntries(Object.keys(phaseRuns[0]).map((k) => [k, median(phaseRuns.map((p) => p[k]))]));

// ---- 2. hyperfine ----------------------------------------------------------
let hyperfine = false;
if (!("no-hyperfine" in args)) {
  try {
    execFileSync("hyperfine", ["--version"], { stdio: "ignore" });
    hyperfine = true;
  } catch {
    console.log("hyperfine is not installed (apt-get install hyperfine): spawnSync figures only");
  }
}
if (hyperfine) {
  const json = join(dir, "hyperfine.json");
  rmSync(json, { force: true });
  const quote = (a) => (a === "" ? "''" : /[^\w@%+=:,./-]/.test(a) ? `'${a.replace(/'/g, "'\\''")}'` : a);
  const cmdline = (n) => [process.execPath, ...commands[n]].map(quote).join(" ");
  execFileSync("hyperfine", ["-N", "--warmup", "3", "--runs", String(RUNS), "--export-json", json, ...names.map(cmdline)], { stdio: ["ignore", "ignore", "inherit"] });
  const out = JSON.parse(readFileSync(json, "utf8"));
  const byName = Object.fromEntries(out.results.map((r, i) => [names[i], r]));
  const hbase = byName.baseline.median * 1000;
  results.hyperfine = Object.fromEntries(
    names.map((n) => [n, { rawMs: byName[n].median * 1000, minusBaselineMs: byName[n].median * 1000 - hbase, meanMs: byName[n].mean * 1000, stddevMs: byName[n].stddev * 1000 }]),
  );
}

// ---- print -------------------------------------------------------------------
const f = (x) => (x === null || x === undefined ? "-" : x.toFixed(1)).padStart(8);
console.log(`Cold start (Node ${process.version}), median of ${RUNS} fresh processes, first parse of ${d.label}`);
console.log(`  ${"".padEnd(14)} ${"spawn raw".padStart(9)} ${"- node -e".padStart(9)} ${"in-proc".padStart(8)} ${"- empty".padStart(8)}${hyperfine ? `  ${"hf raw".padStart(8)} ${"hf -base".padStart(8)}` : ""}   (ms)`);
for (const n of names) {
  const s = results.spawn[n];
  const h = results.hyperfine?.[n];
  console.log(`  ${n.padEnd(14)} ${f(s.rawMs)}  ${f(s.minusBaselineMs)} ${f(s.firstParseMarkMs)} ${f(s.firstParseMarkMinusEmptyMs)}${h ? `  ${f(h.rawMs)} ${f(h.minusBaselineMs)}` : ""}`);
}
console.log("  spawn raw: whole process, spawnSync + hrtime; - node -e: minus the bare `node -e ''`; in-proc: performance.now() at the first parse;");
console.log("  - empty: that mark minus an empty ES module's; hf: hyperfine -N medians.");
const p = results.phases;
console.log(
  `larkhook's steps (ms, medians): node start to first line ${p.nodeStart.toFixed(1)}; import glue + api ${p.importJs.toFixed(1)}; read .wasm ${p.readWasm.toFixed(1)}; ` +
    `compile (new WebAssembly.Module) ${p.compileWasm.toFixed(1)}; instantiate ${p.instantiate.toFixed(1)}; construct ${p.construct.toFixed(1)}; ` +
    `first parse ${p.firstParse.toFixed(1)}; second parse ${p.secondParse.toFixed(2)}`,
);

if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 2));

