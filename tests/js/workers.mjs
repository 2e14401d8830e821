// Helpers for running examples/cloudflare-worker in workerd through
// miniflare: bundling with wrangler (as `wrangler deploy` would), the worker
// options wrangler derives from the example's own config, and a scripted
// backend bound as the BACKEND service (a Node function), through which
// tests make handlers fail, stall, or succeed.
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

import { root } from "./helpers.mjs";

export const workerDir = join(root, "examples", "cloudflare-worker");
const wranglerBin = join(root, "node_modules", ".bin", "wrangler");

export async function loadMiniflare() {
  return (await import(join(root, "node_modules", "miniflare", "dist", "src", "index.js"))).Miniflare;
}

/** Bundles the example with `config` into dist/<name>/ and returns that directory. */
export function buildWorker(config, name) {
  const outdir = join("dist", name);
  // wrangler adds to its outdir without clearing it: a module left from an
  // earlier build would be picked up as the bundle's.
  rmSync(join(workerDir, outdir), { recursive: true, force: true });
  execFileSync(wranglerBin, ["deploy", "--dry-run", "--outdir", outdir, "-c", config], {
    cwd: workerDir,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
    stdio: "pipe",
  });
  return join(workerDir, outdir);
}

/**
 * Miniflare options for one worker of the example: the bindings, Durable
 * Objects and queues wrangler reads from `config`, the bundle in `dist`, and
 * the test's `overrides` (secrets, BACKEND, ...).
 */
export async function exampleWorker(config, dist, overrides = {}) {
  const wrangler = await import(join(root, "node_modules", "wrangler", "wrangler-dist", "cli.js"));
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(join(workerDir, config));
  const entry = readdirSync(dist).find((f) => f.endsWith(".js"));
  return {
    ...workerOptions,
    modules: true,
    scriptPath: join(dist, entry),
    modulesRoot: dist,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    ...overrides,
    bindings: { ...workerOptions.bindings, ...overrides.bindings },
  };
}

/**
 * The BACKEND service: every event the example forwards is recorded;
 * `plan(eventId, ...steps)` scripts its answers, one step per call, the last
 * repeated: a status (500 fails the handler) or `{ status, delayMs }`.
 */
export function scriptedBackend() {
  const plans = new Map();
  const calls = new Map();
  const completed = new Map();
  const bump = (map, id) => map.set(id, (map.get(id) ?? 0) + 1);
  return {
    calls,
    completed,
    plan(eventId, ...steps) {
      plans.set(eventId, steps);
    },
    async fetch(request) {
      const { event_id: id } = await request.json();
      bump(calls, id);
      const steps = plans.get(id) ?? [200];
      const step = steps[Math.min(calls.get(id), steps.length) - 1];
      const { status, delayMs = 0 } = typeof step === "number" ? { status: step } : step;
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (status === 200) bump(completed, id);
      return new Response(status === 200 ? "ok" : "backend unavailable", { status });
    },
  };
}

/** Polls `check` until it is true, or fails the test with `what`. */
export async function until(check, what, timeoutMs = 5000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// A queue producer (wrapped binding) that obeys CONTROL: "ok", "throw", or a
// delay in ms before sending; it reports each event id once `send` resolved.
const FLAKY_QUEUE = `export default function (env) {
  return {
    async send(body, options) {
      const mode = await (await env.CONTROL.fetch("http://control/")).text();
      if (mode === "throw") throw new Error("queue unavailable");
      if (mode !== "ok") await new Promise((resolve) => setTimeout(resolve, Number(mode)));
      await env.REAL.send(body, options);
      await env.CONTROL.fetch("http://control/sent", { method: "POST", body: body.header.event_id });
    },
  };
}`;

// Reads the dead-letter queue for the tests (the example leaves it to you).
const DLQ_READER = `export default {
  async queue(batch, env) {
    for (const message of batch.messages) {
      await env.RECORD.fetch("http://record/", { method: "POST", body: JSON.stringify({ body: message.body, attempts: message.attempts }) });
      message.ack();
    }
  },
};`;

/**
 * The Queues variant (wrangler.queue.toml) in miniflare, with the queues,
 * retries and dead-letter queue its config declares (batches flushed after
 * 50 ms instead of 5 s, retries after 0 s instead of 60 s), and test-only
 * behaviour through bindings: worker "q" forwards to `backend`; worker
 * "flaky" sends through a producer that does what `producerMode()` says
 * ("ok", "throw", or a delay in ms) for each send, and tells `onSent(id)`
 * once a send resolved; worker "unset" has no secrets. Dead letters are
 * collected in `deadLetters`.
 */
export async function startQueueExample({ secrets, backend, producerMode = () => "ok", onSent = () => {} }) {
  const dist = buildWorker("wrangler.queue.toml", "queue");
  const Miniflare = await loadMiniflare();
  const worker = async (name, overrides) => {
    const options = await exampleWorker("wrangler.queue.toml", dist, { name, ...overrides });
    for (const consumer of Object.values(options.queueConsumers ?? {})) consumer.maxBatchTimeout = 0.05;
    return options;
  };
  const main = await worker("q", { bindings: { ...secrets, RETRY_BASE_SECONDS: "0" }, serviceBindings: { BACKEND: (request) => backend.fetch(request) } });
  const [queue, consumer] = Object.entries(main.queueConsumers)[0];
  const deadLetters = [];
  let output = "";
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    cf: false,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => (output += d));
      stderr.on("data", (d) => (output += d));
    },
    workers: [
      main,
      await worker("flaky", { bindings: secrets, queueConsumers: {}, queueProducers: {}, wrappedBindings: { EVENTS: "flaky-queue" } }),
      await worker("unset", { bindings: {}, queueConsumers: {} }),
      {
        name: "flaky-queue",
        modules: true,
        script: FLAKY_QUEUE,
        serviceBindings: {
          async CONTROL(request) {
            if (new URL(request.url).pathname !== "/sent") return new Response(producerMode());
            onSent(await request.text());
            return new Response("ok");
          },
        },
        queueProducers: { REAL: { queueName: queue } },
      },
      {
        name: "dlq-reader",
        modules: true,
        script: DLQ_READER,
        compatibilityDate: "2026-04-01",
        serviceBindings: { RECORD: async (request) => (deadLetters.push(await request.json()), new Response("ok")) },
        queueConsumers: { [consumer.deadLetterQueue]: { maxBatchTimeout: 0.05 } },
      },
    ],
  });
  await mf.ready;
  return {
    mf,
    queue,
    consumer,
    deadLetters,
    output: () => output,
    async post(name, delivery) {
      return (await mf.getWorker(name)).fetch("http://127.0.0.1/webhook/event", { method: "POST", headers: delivery.headers, body: delivery.body });
    },
  };
}
