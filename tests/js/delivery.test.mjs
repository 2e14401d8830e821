// Fault injection: no event the platform delivered is lost, and none is
// handled again once it was done, whatever fails. A simulated platform
// (retries on the real schedule, in simulated or scaled time, duplicates at
// will) delivers events to
//   1. createHandler in this process, handlers failing and running late and a
//      dedup store failing at random (seeded), with retries re-signed and with
//      retries carrying their first attempt's timestamp;
//   2. createHandler({ enqueue }) and createConsumer over a simulated queue;
//   3. a Node server (child process, toNodeListener, RedisDedupStore on a real
//      redis-server) SIGKILLed mid-handler and restarted;
//   4. the Worker's Queues variant in workerd (miniflare), its producer and
//      backend failing at random.
// Two controls show the harness sees losses when there are some: the old
// acknowledge-first design, and the strict 300 s window against retries that
// keep their first timestamp. Each scenario prints its figures.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { FaultInjector, flakyStore, prng, report, sleep } from "./delivery/faults.mjs";
import { RETRY_DELAYS_MS, deliverAll, scaledClock, simulatedClock } from "./delivery/platform.mjs";
import { lark, require, root } from "./helpers.mjs";
import { freePort, startRedis } from "./redis-server.mjs";
import { startQueueExample, until } from "./workers.mjs";

const { createConsumer, createHandler, LarkWebhook, MemoryDedupStore } = lark;
const KEY = "delivery-encrypt-key";
const TOKEN = "delivery-verification-token";
const secrets = { encryptKey: KEY, verificationToken: TOKEN };
const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const DEADLINE_MS = 40;
const LATE_MS = 70;
const TYPES = ["helpdesk.ticket.created_v1", "helpdesk.ticket.updated_v1", "helpdesk.ticket_message.created_v1", "im.message.receive_v1"];

/** `count` events, first delivered within `spreadMs` of `start`. */
function makeEvents(random, count, start, spreadMs) {
  return Array.from({ length: count }, (_, i) => {
    const id = `evt-${i}-${Math.floor(random() * 1e9).toString(36)}`;
    const type = TYPES[i % TYPES.length];
    return { id, type, json: JSON.stringify({ schema: "2.0", header: { event_id: id, event_type: type, create_time: String(start) }, event: { ticket_id: String(6626871355780366331n + BigInt(i)) } }), firstAt: start + Math.floor(random() * spreadMs) };
  });
}

const signer = (json, timestamp) => lark.createTestDelivery({ event: json, ...secrets, timestamp });
const post = (handler) => async (delivery) => (await handler(new Request("https://endpoint.test/webhook/event", { method: "POST", headers: delivery.headers, body: delivery.body }))).status;

/**
 * The application: one handler for every type that records each run, fails
 * or runs late when the injector says so, and counts runs that start for
 * an event already marked done.
 */
function application(faults, store) {
  const runs = new Map();
  const completions = new Map();
  const figures = { handler_runs: 0, handler_runs_after_done: 0, reruns_after_success: 0 };
  const handler = async (event) => {
    const id = event.header.event_id;
    figures.handler_runs += 1;
    runs.set(id, (runs.get(id) ?? 0) + 1);
    if (store?.doneIds.has(id)) figures.handler_runs_after_done += 1;
    if (completions.get(id)) figures.reruns_after_success += 1;
    if (faults.draw("handler_throws", id)) throw new Error("injected: handler failed");
    if (faults.draw("handler_late", id)) await sleep(LATE_MS);
    if (faults.draw("handler_late_then_throws", id)) {
      await sleep(LATE_MS);
      throw new Error("injected: handler failed after the deadline");
    }
    completions.set(id, (completions.get(id) ?? 0) + 1);
  };
  return { handler, runs, completions, figures, completed: (id) => (completions.get(id) ?? 0) > 0 };
}

const RATES = {
  handler_throws: 0.15,
  handler_late: 0.05,
  handler_late_then_throws: 0.03,
  store_begin_fails: 0.03,
  store_begin_slow: 0.02,
  store_done_fails: 0.02,
  store_release_fails: 0.1,
  platform_duplicate: 0.08,
};

/** One run of the platform against createHandler (or `build`'s endpoint) in simulated time. */
async function simulate({ seed, count = 300, mode = "resign", build }) {
  const random = prng(seed);
  const clock = simulatedClock(START);
  const faults = new FaultInjector(random, RATES);
  const store = flakyStore(new MemoryDedupStore({ clock: () => clock.now }), faults, DEADLINE_MS + 30);
  const app = application(faults, store);
  const built = build?.({ app, clock, store, random }) ?? {};
  const endpoint = built.endpoint ?? createHandler({ ...secrets, clock: () => clock.now, deadlineMs: DEADLINE_MS, dedup: store, on: { "*": app.handler }, onError: () => {} });
  const settle = built.settle ?? (() => endpoint.drain({ timeoutMs: 5000 }));
  const events = makeEvents(random, count, START, 10 * 60_000);
  const started = Date.now();
  const platform = await deliverAll({
    events,
    post: post(endpoint),
    sign: signer,
    clock,
    random,
    mode,
    settle,
    completed: built.durable ?? app.completed,
    lateDuplicateRate: 0.1,
    duplicateNow: (id) => faults.draw("platform_duplicate", id),
  });
  await built.finish?.();
  return {
    events: count,
    requests: platform.requests,
    retries: platform.retries,
    duplicates_sent: platform.duplicates,
    answers: platform.statuses,
    injected_faults: faults.total,
    faults_by_kind: faults.counts,
    simulated_hours: +((clock.now - START) / 3_600_000).toFixed(2),
    events_lost: events.filter((e) => !app.completed(e.id)).length,
    platform_gave_up: platform.gaveUp.length,
    acknowledged_before_durable: platform.acknowledgedEarly.length,
    ...app.figures,
    wall_ms: Date.now() - started,
  };
}

function assertNothingLost(figures) {
  assert.equal(figures.events_lost, 0, "events lost");
  assert.equal(figures.handler_runs_after_done, 0, "handler runs after done");
  assert.equal(figures.acknowledged_before_durable, 0, "200 before the event was handled (or queued)");
  assert.equal(figures.platform_gave_up, 0, "events the platform gave up on");
  assert.ok(figures.injected_faults > 0);
}

/**
 * createHandler({ enqueue }) in front of a queue in simulated time (at least
 * once; a failed message is retried after 10 s × 2^n, 6 attempts, then
 * dead-lettered) consumed by createConsumer. The enqueue fails or is late at
 * random; the consumer catches up between two platform instants and, at the
 * end, until the queue is empty.
 */
function simulatedQueue({ app, clock, store, random }, figures) {
  const faults = new FaultInjector(random, { enqueue_throws: 0.08, enqueue_late: 0.04 }, 1);
  figures.faults = faults.counts;
  const consume = createConsumer({ on: { "*": app.handler }, dedup: store, clock: () => clock.now, onError: () => {} });
  const messages = [];
  const queued = new Set();
  const endpoint = createHandler({
    ...secrets,
    clock: () => clock.now,
    deadlineMs: DEADLINE_MS,
    onError: () => {},
    async enqueue(event) {
      const id = event.header.event_id;
      if (faults.draw("enqueue_throws", id)) throw new Error("injected: queue unavailable");
      if (faults.draw("enqueue_late", id)) await sleep(LATE_MS);
      figures.enqueued += 1;
      queued.add(id);
      messages.push({ body: structuredClone({ ...event }), attempts: 0, at: clock.now });
    },
  });
  async function consumeReady() {
    for (let ready; (ready = messages.filter((m) => m.at <= clock.now)).length > 0; ) {
      for (const m of ready) messages.splice(messages.indexOf(m), 1);
      await Promise.all(
        ready.map(async (m) => {
          m.attempts += 1;
          figures.consumer_attempts += 1;
          try {
            await consume(m.body, { attempt: m.attempts });
          } catch {
            if (m.attempts >= 6) figures.dead_letters += 1;
            else messages.push({ ...m, at: clock.now + 10_000 * 2 ** (m.attempts - 1) });
          }
        }),
      );
    }
  }
  return {
    endpoint,
    durable: (id) => queued.has(id),
    async settle() {
      await endpoint.drain({ timeoutMs: 5000 });
      await consumeReady();
    },
    async finish() {
      while (messages.length > 0) {
        await clock.advanceTo(Math.min(...messages.map((m) => m.at)));
        await consumeReady();
      }
    },
  };
}

describe("in process, simulated time", () => {
  test("createHandler, retries re-signed: 0 lost, 0 runs after done", async () => {
    const figures = report("createHandler + MemoryDedupStore, retries re-signed", await simulate({ seed: 1, mode: "resign" }));
    assertNothingLost(figures);
    assert.ok(figures.answers["500"] > 0 && figures.answers["503"] > 0, "handler failures and late handlers were answered 5xx");
  });

  test("createHandler, retries keep their first timestamp: 0 lost, 0 runs after done", async () => {
    const figures = report("createHandler + MemoryDedupStore, retries keep the first timestamp", await simulate({ seed: 2, mode: "original" }));
    assertNothingLost(figures);
    assert.equal(figures.answers["401"], undefined, "no retry refused as too old");
  });

  test("createHandler({ enqueue }) and createConsumer over a queue: 0 lost, 0 runs after done", async () => {
    const queue = { enqueued: 0, consumer_attempts: 0, dead_letters: 0 };
    const figures = await simulate({ seed: 3, count: 200, build: (world) => simulatedQueue(world, queue) });
    report("createHandler({ enqueue }) + createConsumer, simulated queue", { ...figures, queue });
    assertNothingLost(figures);
    assert.equal(queue.dead_letters, 0);
    assert.ok(queue.enqueued > figures.events, "late enqueues and duplicates queued extra copies, which the consumer deduplicated");
  });

  test("controls: the harness sees losses and runs after done where there are some", async () => {
    // The old design: acknowledge at once, claim the id, run the handler afterwards.
    const ackFirst = await simulate({
      seed: 4,
      build: ({ app, clock }) => {
        const hook = new LarkWebhook(secrets);
        const claimed = new Set();
        const running = new Set();
        const handler = async (request) => {
          const event = await hook.parseRequest(request, clock.now / 1000);
          if (!claimed.has(event.header.event_id)) {
            claimed.add(event.header.event_id);
            const work = app.handler(event).catch(() => {});
            running.add(work);
            work.then(() => running.delete(work));
          }
          return new Response("{}");
        };
        handler.drain = async () => Promise.all([...running]);
        return { endpoint: handler };
      },
    });
    report("control: acknowledge at once (the old design)", ackFirst);
    assert.ok(ackFirst.events_lost > 0, "acknowledging first loses the events whose handler failed");
    assert.ok(ackFirst.acknowledged_before_durable > 0);

    const strict = await simulate({
      seed: 5,
      mode: "original",
      build: ({ app, clock, store }) => ({ endpoint: createHandler({ ...secrets, toleranceSeconds: 300, clock: () => clock.now, deadlineMs: DEADLINE_MS, dedup: store, on: { "*": app.handler }, onError: () => {} }) }),
    });
    report("control: strict 300 s window, retries keep the first timestamp", strict);
    assert.ok(strict.answers["401"] > 0 && strict.events_lost > 0, "a 300 s window refuses the retries after 5 min");

    // A store that never records done: the platform's later copies run the handler again.
    const forgetful = await simulate({
      seed: 8,
      build: ({ app, clock, store }) => ({
        endpoint: createHandler({
          ...secrets,
          clock: () => clock.now,
          deadlineMs: DEADLINE_MS,
          dedup: { begin: (...args) => store.begin(...args), release: (...args) => store.release(...args), done: async (id) => void store.doneIds.add(id) },
          on: { "*": app.handler },
          onError: () => {},
        }),
      }),
    });
    report("control: a store that forgets done ids", forgetful);
    assert.ok(forgetful.handler_runs_after_done > 0, "runs after done are counted");
  });
});

describe("a Node server on Redis, SIGKILLed mid-handler and restarted (child process, scaled time)", () => {
  let redis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  test("0 lost, 0 runs after done, across two crashes", async () => {
    // The platform's 15 s is 75 ms, 5 min 1.5 s; the 60 s lease 0.3 s. Two
    // waves of events, 4 s apart, each with one event whose handler is
    // killed mid-run, so that each crash and restart hits a fresh wave.
    const SCALE = 0.005;
    const random = prng(6);
    const waves = [makeEvents(random, 12, 0, 100_000), makeEvents(random, 12, 800_000, 100_000)];
    const events = waves.flat();
    const killAt = new Set([waves[0][5].id, waves[1][5].id]);
    const reader = new (require("ioredis"))(redis.url, { lazyConnect: true });
    await reader.connect();
    const figures = { crashes: 0, backend_calls: 0, runs_after_done: 0, reruns_after_a_crash: 0 };
    const completions = new Map();
    const port = await freePort();
    let child;
    let restarting;

    const start = () =>
      new Promise((resolve, reject) => {
        child = spawn(process.execPath, [join(root, "tests", "js", "delivery", "node-endpoint.mjs")], {
          env: { ...process.env, PORT: String(port), REDIS_URL: redis.url, BACKEND_URL: backendUrl, LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN, LEASE_SECONDS: String(60 * SCALE), DEADLINE_MS: "2500" },
          stdio: ["ignore", "pipe", "inherit"],
        });
        child.stdout.on("data", (d) => (String(d).includes("ready") ? resolve() : undefined));
        child.once("exit", (code, signal) => (signal === "SIGKILL" ? undefined : reject(new Error(`endpoint exited: ${code} ${signal}`))));
      });

    // The service the handlers call. At each call it checks, in Redis, that the event is not done yet.
    const backend = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", async () => {
        const { event_id: id } = JSON.parse(body);
        figures.backend_calls += 1;
        if ((await reader.get(`larkhook:dedup:${id}`)) === "done") figures.runs_after_done += 1;
        if (completions.get(id)) figures.reruns_after_a_crash += 1;
        if (killAt.delete(id)) {
          // Mid-handler: the endpoint waits for this answer. Kill it; restart it on the same port.
          figures.crashes += 1;
          process.kill(child.pid, "SIGKILL");
          restarting = start();
          return;
        }
        completions.set(id, (completions.get(id) ?? 0) + 1);
        res.writeHead(200).end();
      });
    });
    await new Promise((resolve) => backend.listen(0, "127.0.0.1", resolve));
    const backendUrl = `http://127.0.0.1:${backend.address().port}/`;
    const started = Date.now();
    try {
      await start();
      const platform = await deliverAll({
        events,
        clock: scaledClock(SCALE),
        timestamp: () => Math.floor(Date.now() / 1000),
        random,
        sign: signer,
        completed: (id) => (completions.get(id) ?? 0) > 0,
        post: async (delivery) => (await fetch(`http://127.0.0.1:${port}/webhook/event`, { method: "POST", headers: delivery.headers, body: delivery.body })).status,
      });
      await restarting;
      const lost = events.filter((e) => !completions.get(e.id)).length;
      report("Node server (toNodeListener, RedisDedupStore), SIGKILL mid-handler and restart", {
        events: events.length,
        requests: platform.requests,
        retries: platform.retries,
        answers: platform.statuses,
        injected_faults: figures.crashes,
        faults_by_kind: { sigkill_mid_handler: figures.crashes },
        events_lost: lost,
        platform_gave_up: platform.gaveUp.length,
        acknowledged_before_durable: platform.acknowledgedEarly.length,
        backend_calls: figures.backend_calls,
        handler_runs_after_done: figures.runs_after_done,
        reruns_after_a_crash: figures.reruns_after_a_crash,
        wall_ms: Date.now() - started,
      });
      assert.equal(figures.crashes, 2);
      assert.equal(lost, 0, "events lost");
      assert.equal(figures.runs_after_done, 0, "handler runs after done");
      assert.equal(platform.acknowledgedEarly.length, 0);
      assert.equal(platform.gaveUp.length, 0);
      assert.ok(platform.statuses["0"] > 0, "the platform saw the crashes (connections reset or refused)");
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
      backend.closeAllConnections();
      backend.close();
      reader.disconnect();
    }
  });
});

describe("the Worker's Queues variant in workerd (miniflare), scaled time", () => {
  test("0 lost, 0 runs after done, nothing in the dead-letter queue", async () => {
    const SCALE = 0.001; // 15 s → 15 ms, 5 min → 300 ms
    const random = prng(7);
    const faults = new FaultInjector(random, { producer_throws: 0.2, backend_fails: 0.4 }, 3);
    const events = makeEvents(random, 30, 0, 200_000);
    const completions = new Map();
    const figures = { backend_calls: 0, handler_runs_after_done: 0 };
    let currentEvent;
    const backend = {
      async fetch(request) {
        const { event_id: id } = await request.json();
        figures.backend_calls += 1;
        // No crash here: a call after a completion can only be a run after done.
        if (completions.get(id)) figures.handler_runs_after_done += 1;
        if (faults.draw("backend_fails", id)) return new Response("unavailable", { status: 503 });
        completions.set(id, (completions.get(id) ?? 0) + 1);
        return new Response("ok");
      },
    };
    const sent = new Set();
    const example = await startQueueExample({
      secrets: { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN },
      backend,
      producerMode: () => (faults.draw("producer_throws", currentEvent, 1) ? "throw" : "ok"),
      onSent: (id) => sent.add(id),
    });
    const started = Date.now();
    try {
      const platform = await deliverAll({
        events,
        clock: scaledClock(SCALE),
        timestamp: () => Math.floor(Date.now() / 1000),
        random,
        sign: signer,
        // With a queue, a 200 must mean "queued" (the handler runs later).
        completed: (id) => sent.has(id),
        post: async (delivery) => {
          currentEvent = JSON.parse(lark.decrypt(KEY, JSON.parse(delivery.body).encrypt)).header.event_id;
          return (await example.post("flaky", delivery)).status;
        },
      });
      await until(() => events.every((e) => completions.get(e.id) || example.deadLetters.some((d) => d.body.header.event_id === e.id)), "every event handled or dead-lettered", 15_000);
      await sleep(300);
      report("Worker, Queues variant (producer and backend failing)", {
        events: events.length,
        requests: platform.requests,
        retries: platform.retries,
        answers: platform.statuses,
        injected_faults: faults.total,
        faults_by_kind: faults.counts,
        events_lost: events.filter((e) => !completions.get(e.id)).length,
        acknowledged_before_durable: platform.acknowledgedEarly.length,
        dead_letters: example.deadLetters.length,
        platform_gave_up: platform.gaveUp.length,
        backend_calls: figures.backend_calls,
        handler_runs_after_done: figures.handler_runs_after_done,
        wall_ms: Date.now() - started,
      });
      assert.equal(events.filter((e) => !completions.get(e.id)).length, 0, "events lost");
      assert.equal(figures.handler_runs_after_done, 0, "handler runs after done");
      assert.equal(example.deadLetters.length, 0);
      assert.equal(platform.acknowledgedEarly.length, 0, "200 before the event was queued");
      assert.equal(platform.gaveUp.length, 0);
      assert.ok(platform.statuses["500"] > 0, "the producer's failures were answered 500, and retried");
    } finally {
      await example.mf.dispose();
    }
  });
});

test("the schedule is the platform's", () => {
  assert.deepEqual(RETRY_DELAYS_MS, [15_000, 300_000, 3_600_000, 21_600_000]);
});
