// workerd: larkhook vs a hand-written WebCrypto implementation inside ONE
// worker (benches/workerd/worker.mjs), run by miniflare's Node API.
//
//   node benches/workerd/run.mjs [--rounds 7] [--batch-ms 100] [--out file.json] [--only created,message]
//   (LARKHOOK_BENCH_QUICK=1: 3 rounds of 40 ms batches)
//
// The worker is bundled the way a user's would be: `wrangler deploy --dry-run`
// (the package's workerd entry imports the .wasm statically; wrangler emits it
// as a separate module), then loaded with modulesRules CompiledWasm.
//
// Timing: the worker times each batch with performance.now(). workerd may
// freeze or coarsen timers in production; the script first checks that both
// clocks advance during a request (GET /clock does ~50 ms of work without
// I/O) and records their resolution. As a cross-check, every batch is also
// timed from Node (the dispatchFetch round trip) minus the median of empty
// requests taken in the same round. If the worker's clock does not advance,
// the Node-side figures are the result.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

import { NOW, buildDeliveries, parseArgs, pkgDir, root } from "../node/deliveries.mjs";

const args = parseArgs(process.argv.slice(2));
const QUICK = ["", "0", undefined].includes(process.env.LARKHOOK_BENCH_QUICK) === false;
const ROUNDS = Number(args.rounds ?? (QUICK ? 3 : 7));
const BATCH_MS = Number(args["batch-ms"] ?? (QUICK ? 40 : 100));
const work = args.dir ?? join(root, "target", "bench", "workerd");

// ---- bundle -----------------------------------------------------------------
mkdirSync(work, { recursive: true });
const main = relative(work, join(root, "benches", "workerd", "worker.mjs"));
writeFileSync(join(work, "wrangler.toml"), `name = "larkhook-bench"\nmain = "${main}"\ncompatibility_date = "2026-04-01"\n`);
execFileSync(join(root, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], {
  cwd: work,
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
  stdio: ["ignore", "pipe", "pipe"],
});

const lark = await import(join(pkgDir, "index.node.mjs"));
const ALL = ["created", "updated", "message", "plain", "message64k"];
const deliveries = buildDeliveries(lark, { include: args.only ? args.only.split(",") : ALL });

const { Miniflare } = await import(join(root, "node_modules", "miniflare", "dist", "src", "index.js"));
const dist = join(work, "dist");
const mf = new Miniflare({
  modules: true,
  scriptPath: join(dist, "worker.js"),
  modulesRoot: dist,
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2026-04-01",
  host: "127.0.0.1",
  port: 0,
  cf: false,
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function get(path) {
  const t0 = process.hrtime.bigint();
  const res = await mf.dispatchFetch(`http://127.0.0.1${path}`);
  const text = await res.text();
  const rttMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  return { ...JSON.parse(text), rttMs };
}

const results = { benchmark: "workerd", rounds: ROUNDS, batchMs: BATCH_MS, deliveries: {} };
try {
  // ---- do the worker's clocks advance during a request? ----------------------
  const clocks = [];
  for (let i = 0; i < 3; i++) clocks.push(await get("/clock"));
  const advances = clocks.every((c) => c.perfDeltaMs > 0 && c.dateDeltaMs > 0);
  const integral = clocks.every((c) => Number.isInteger(c.perfDeltaMs));
  results.clock = {
    advances,
    perfDeltaMs: clocks.map((c) => c.perfDeltaMs),
    dateDeltaMs: clocks.map((c) => c.dateDeltaMs),
    nodeRttMs: clocks.map((c) => c.rttMs),
    resolution: integral ? "1 ms (whole milliseconds)" : "sub-millisecond",
  };
  const primary = advances ? "worker" : "node";
  results.primary = primary;
  console.log(
    `workerd (miniflare): during a request performance.now ${advances ? "advances" : "does NOT advance"} ` +
      `(deltas ${results.clock.perfDeltaMs.join(", ")} ms for ~the same work timed by Node as ${results.clock.nodeRttMs.map((x) => x.toFixed(0)).join(", ")} ms; resolution ${results.clock.resolution}).`,
  );
  console.log(`Primary figures: ${primary === "worker" ? "in-worker performance.now() per batch" : "Node-side round trip minus the empty-request baseline"}; ${ROUNDS} interleaved rounds, ~${BATCH_MS} ms batches.`);

  // ---- set up and validate inside the worker ---------------------------------
  const payload = {};
  for (const [id, d] of Object.entries(deliveries)) {
    payload[id] = { headers: d.headers, body: d.body, options: d.options, eventType: d.eventType, now: NOW };
  }
  const setup = await mf.dispatchFetch("http://127.0.0.1/setup", { method: "POST", body: JSON.stringify({ deliveries: payload }) });
  if (setup.status !== 200) throw new Error(`setup: ${await setup.text()}`);
  await setup.arrayBuffer();

  const IMPLS = ["larkhook", "webcrypto"];
  for (const [id, d] of Object.entries(deliveries)) {
    // Warm up (JIT) and size the batches from the in-worker time.
    const batch = {};
    for (const impl of IMPLS) {
      let n = 4;
      let spent = 0;
      let r;
      for (;;) {
        r = await get(`/run?impl=${impl}&id=${id}&n=${n}`);
        spent += r.perfMs;
        if (r.perfMs >= 20 && spent >= 3 * BATCH_MS) break;
        if (r.perfMs < 20) n *= 2;
      }
      batch[impl] = Math.max(1, Math.round((BATCH_MS * n) / r.perfMs));
    }
    const samples = { larkhook: { worker: [], node: [] }, webcrypto: { worker: [], node: [] } };
    const empties = [];
    for (let round = 0; round < ROUNDS; round++) {
      const empty = [];
      for (let i = 0; i < 5; i++) empty.push((await get("/run?impl=empty&n=0")).rttMs);
      const baseline = median(empty);
      empties.push(baseline);
      const order = round % 2 === 0 ? IMPLS : [...IMPLS].reverse();
      for (const impl of order) {
        const n = batch[impl];
        const r = await get(`/run?impl=${impl}&id=${id}&n=${n}`);
        samples[impl].worker.push((r.perfMs * 1e6) / n);
        samples[impl].node.push(((r.rttMs - baseline) * 1e6) / n);
      }
    }
    const stat = (impl) => ({
      medianNs: median(samples[impl][primary]),
      workerMedianNs: median(samples[impl].worker),
      nodeSideMedianNs: median(samples[impl].node),
      batch: batch[impl],
      samplesNs: samples[impl][primary],
    });
    const stats = { larkhook: stat("larkhook"), webcrypto: stat("webcrypto") };
    const entry = {
      label: d.label,
      bodyBytes: d.bodyBytes.length,
      emptyRequestMs: median(empties),
      stats,
      speedupVsWebCrypto: stats.webcrypto.medianNs / stats.larkhook.medianNs,
      speedupVsWebCryptoNodeSide: stats.webcrypto.nodeSideMedianNs / stats.larkhook.nodeSideMedianNs,
    };
    results.deliveries[id] = entry;
    const us = (ns) => (ns / 1000).toFixed(2).padStart(9);
    console.log(`\n${id}: ${d.label} (body ${d.bodyBytes.length} bytes; empty request ${entry.emptyRequestMs.toFixed(2)} ms)`);
    for (const impl of IMPLS) {
      const s = stats[impl];
      console.log(`  ${impl.padEnd(10)} ${us(s.medianNs)} µs median (in-worker ${us(s.workerMedianNs).trim()}, Node-side ${us(s.nodeSideMedianNs).trim()}; batch ${s.batch})`);
    }
    console.log(`  WebCrypto time / larkhook time: ${entry.speedupVsWebCrypto.toFixed(2)} (Node-side: ${entry.speedupVsWebCryptoNodeSide.toFixed(2)})`);
  }
} finally {
  await mf.dispose();
}

if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 2));

