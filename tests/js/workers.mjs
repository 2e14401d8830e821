// Helpers for running examples/cloudflare-worker in workerd through
// miniflare: bundling with wrangler (as `wrangler deploy` would), the worker
// options wrangler derives from the example's own config, and a scripted
// backend bound as the BACKEND service (a Node function), through which
// tests make handlers fail, stall, or succeed.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
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
