// Node: larkhook vs the official SDK (@larksuiteoapi/node-sdk) vs a minimal
// hand-written node:crypto implementation (the native floor), in ONE process,
// on identical deliveries, interleaved in rotating order, medians over rounds.
//
//   node benches/node/compare.mjs [--rounds 15] [--batch-ms 40] [--out file.json] [--only created,message]
//   (LARKHOOK_BENCH_QUICK=1: 3 rounds of 30 ms batches, for smoke runs)
//
// What each implementation does per delivery (all receive the same
// lower-cased headers object and the same body string):
//
// - larkhook: `hook.parse({ headers, body, now })`, the hook built once.
// - larkhook-bytes: the same with the body as a Uint8Array (what a Node
//   server has before decoding; shown in the details only).
// - sdk: what the SDK's http adapters do per request once the body is read:
//   `JSON.parse(body)`, the object with `headers` on its prototype, then
//   `await dispatcher.invoke(data)`, which checks the signature (over
//   JSON.stringify of the parsed body), decrypts, JSON.parses and dispatches
//   to a registered handler returning "ok". Its logger is silenced.
// - floor: timestamp window, SHA-256 signature compared with
//   crypto.timingSafeEqual, JSON.parse of the envelope, base64 decode,
//   AES-256-CBC decipher (key = SHA-256(Encrypt Key), derived once),
//   JSON.parse of the plaintext, token compared with timingSafeEqual.
import { createDecipheriv, createHash, timingSafeEqual } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import { NOW, buildDeliveries, parseArgs, pkgDir, root } from "./deliveries.mjs";

const args = parseArgs(process.argv.slice(2));
const QUICK = ["", "0", undefined].includes(process.env.LARKHOOK_BENCH_QUICK) === false;
const ROUNDS = Number(args.rounds ?? (QUICK ? 3 : 15));
const BATCH_MS = Number(args["batch-ms"] ?? (QUICK ? 30 : 40));
const WARMUP_MS = Number(args["warmup-ms"] ?? (QUICK ? 150 : 400));

const lark = await import(join(pkgDir, "index.node.mjs"));
const require = createRequire(join(root, "package.json"));
const sdk = require("@larksuiteoapi/node-sdk");
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

const ALL = ["created", "updated", "message", "plain", "message64k"];
const deliveries = buildDeliveries(lark, { include: args.only ? args.only.split(",") : ALL });

// ---- the implementations ---------------------------------------------------

function larkhookImpl(d, bytes) {
  const hook = new lark.LarkWebhook(d.options);
  const body = bytes ? d.bodyBytes : d.body;
  const delivery = { headers: d.headers, body, now: NOW };
  return {
    run: () => hook.parse(delivery),
    check: (r) => r.kind === "event" && r.event_type === d.eventType && typeof r.event === "object",
  };
}

function sdkImpl(d) {
  const dispatcher = new sdk.EventDispatcher({ ...d.options, logger: silent }).register({
    [d.eventType]: async (data) => (data ? "ok" : "empty"),
  });
  const proto = { headers: d.headers };
  return {
    async: true,
    run: () => dispatcher.invoke(Object.assign(Object.create(proto), JSON.parse(d.body))),
    check: (r) => r === "ok",
  };
}

function floorImpl(d) {
  const { encryptKey, verificationToken } = d.options;
  const aesKey = encryptKey ? createHash("sha256").update(encryptKey).digest() : undefined;
  const token = Buffer.from(verificationToken);
  const fail = (why) => {
    throw new Error(`floor: ${why}`);
  };
  const parse = (headers, body, now) => {
    let text = body;
    if (aesKey) {
      const timestamp = headers["x-lark-request-timestamp"];
      const nonce = headers["x-lark-request-nonce"];
      const signature = headers["x-lark-signature"];
      if (!timestamp || !nonce || !signature) fail("missing signature headers");
      if (Math.abs(now - Number(timestamp)) > 300) fail("timestamp out of range");
      const expected = createHash("sha256").update(timestamp).update(nonce).update(encryptKey).update(body).digest();
      const received = Buffer.from(signature, "hex");
      if (received.length !== 32 || !timingSafeEqual(expected, received)) fail("signature mismatch");
      const { encrypt } = JSON.parse(body);
      const data = Buffer.from(encrypt, "base64");
      const decipher = createDecipheriv("aes-256-cbc", aesKey, data.subarray(0, 16));
      text = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString("utf8");
    }
    const event = JSON.parse(text);
    const got = Buffer.from(String(event.header?.token ?? event.token ?? ""));
    if (got.length !== token.length || !timingSafeEqual(got, token)) fail("token mismatch");
    return event;
  };
  return {
    run: () => parse(d.headers, d.body, NOW),
    check: (r) => r.header?.event_type === d.eventType,
  };
}

const IMPLS = {
  larkhook: (d) => larkhookImpl(d, false),
  "larkhook-bytes": (d) => larkhookImpl(d, true),
  sdk: sdkImpl,
  floor: floorImpl,
};

// ---- timing -----------------------------------------------------------------

let sink;

// Each batch is timed by the wall clock (the figure reported) and by the
// process's CPU time (process.cpuUsage: user + system of all its threads,
// which leaves out the time the process was descheduled by other work on a
// busy machine; shown as a cross-check).
let cpuNs = 0;

function timeSync(run, n) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = run();
  const wall = Number(process.hrtime.bigint() - t0);
  const c = process.cpuUsage(c0);
  cpuNs = (c.user + c.system) * 1000;
  return wall;
}

async function timeAsync(run, n) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = await run();
  const wall = Number(process.hrtime.bigint() - t0);
  const c = process.cpuUsage(c0);
  cpuNs = (c.user + c.system) * 1000;
  return wall;
}

const timeBatch = (impl, n) => (impl.async ? timeAsync(impl.run, n) : Promise.resolve(timeSync(impl.run, n)));

/** Runs for about `ms`; returns the batch size that takes about BATCH_MS. */
async function warmUp(impl, ms) {
  let n = 1;
  let spent = 0;
  let perOp = Infinity;
  while (spent < ms * 1e6) {
    const elapsed = await timeBatch(impl, n);
    spent += elapsed;
    perOp = elapsed / n;
    if (elapsed < 5e6) n *= 2;
  }
  return Math.max(1, Math.round((BATCH_MS * 1e6) / perOp));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.ceil(pos)] - s[lo]) * (pos - lo);
};

// ---- run --------------------------------------------------------------------

const results = { benchmark: "node", node: process.version, rounds: ROUNDS, batchMs: BATCH_MS, deliveries: {} };

// Every implementation runs every delivery before anything is timed: the
// deliveries must be accepted, and the wasm module and the JavaScript get to
// their optimized tiers (V8 compiles wasm with Liftoff first and tiers hot
// functions up to TurboFan in the background).
const prepared = {};
for (const d of Object.values(deliveries)) {
  prepared[d.id] = Object.fromEntries(Object.entries(IMPLS).map(([name, make]) => [name, make(d)]));
  for (const [name, impl] of Object.entries(prepared[d.id])) {
    const r = await impl.run();
    if (!impl.check(r)) throw new Error(`${name} did not accept the ${d.id} delivery: ${JSON.stringify(r)?.slice(0, 200)}`);
  }
}
for (const impls of Object.values(prepared)) for (const impl of Object.values(impls)) await warmUp(impl, WARMUP_MS / 2);

console.log(`Node ${process.version}: ${ROUNDS} interleaved rounds of ~${BATCH_MS} ms batches per implementation; times are per delivery.`);
for (const d of Object.values(deliveries)) {
  const impls = prepared[d.id];
  const names = Object.keys(impls);
  const batch = {};
  for (const name of names) batch[name] = await warmUp(impls[name], WARMUP_MS);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order every round so that no implementation always runs first or last.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      samples[name].push((await timeBatch(impls[name], batch[name])) / batch[name]);
      cpu[name].push(cpuNs / batch[name]);
    }
  }
  const stats = Object.fromEntries(
    names.map((n) => [
      n,
      { medianNs: median(samples[n]), p25Ns: quantile(samples[n], 0.25), p75Ns: quantile(samples[n], 0.75), minNs: Math.min(...samples[n]), cpuMedianNs: median(cpu[n]), batch: batch[n], samplesNs: samples[n] },
    ]),
  );
  const entry = {
    label: d.label,
    eventType: d.eventType,
    bodyBytes: d.bodyBytes.length,
    stats,
    speedupVsSdk: stats.sdk.medianNs / stats.larkhook.medianNs,
    vsFloor: stats.larkhook.medianNs / stats.floor.medianNs,
    bytesVsFloor: stats["larkhook-bytes"].medianNs / stats.floor.medianNs,
    cpuSpeedupVsSdk: stats.sdk.cpuMedianNs / stats.larkhook.cpuMedianNs,
    cpuVsFloor: stats.larkhook.cpuMedianNs / stats.floor.cpuMedianNs,
  };
  results.deliveries[d.id] = entry;
  const us = (ns) => (ns / 1000).toFixed(2).padStart(9);
  console.log(`\n${d.id}: ${d.label} (body ${d.bodyBytes.length} bytes)`);
  for (const n of names) {
    const s = stats[n];
    console.log(`  ${n.padEnd(15)} ${us(s.medianNs)} µs median  [p25 ${us(s.p25Ns).trim()}, p75 ${us(s.p75Ns).trim()}]  ${(1e9 / s.medianNs).toFixed(0).padStart(8)} /s   (CPU time ${us(s.cpuMedianNs).trim()} µs)`);
  }
  console.log(
    `  SDK time / larkhook time: ${entry.speedupVsSdk.toFixed(2)} (CPU ${entry.cpuSpeedupVsSdk.toFixed(2)}); larkhook time / floor time: ${entry.vsFloor.toFixed(2)} (CPU ${entry.cpuVsFloor.toFixed(2)}; Uint8Array body ${entry.bytesVsFloor.toFixed(2)})`,
  );
}

if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 2));
void sink;

