// Fault injection: no event the platform delivered is lost, none is handled
// again once it was done, and no two runs of one event overlap, whatever
// fails. A simulated platform (retries on the real schedule, in simulated or
// scaled time, copies at will, captured deliveries replayed) delivers events to
//   1. createHandler in this process, handlers failing and running late and a
//      dedup store failing at random (seeded), with retries re-signed and with
//      retries carrying their first attempt's timestamp; events that need
//      every retry up to the 6 h one;
//   2. createHandler({ enqueue }) and createConsumer over a simulated queue;
//   3. createHandler in real time with handlers that outlast their lease,
//      with stores that renew it (memory, Redis) and one that cannot;
//   4. a Node server (child process, toNodeListener, RedisDedupStore on a real
//      redis-server) SIGKILLed mid-handler and restarted;
//   5. the Worker's Queues variant in workerd (miniflare), its producer and
//      backend failing at random.
// Controls show the harness sees losses and double runs when there are some.
// Each scenario prints its figures; scripts/mutants.mjs shows that mutants of
// the guarantee's parts each fail this file.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { makeEvents, sleep } from "./delivery/application.mjs";
import { FaultInjector, prng, report } from "./delivery/faults.mjs";
import { leaseScenario, observedStore } from "./delivery/leases.mjs";
import { RETRY_DELAYS_MS, deliverAll, scaledClock } from "./delivery/platform.mjs";
import { DEADLINE_MS, simulate, simulatedQueue } from "./delivery/simulate.mjs";
import { lark, require, root } from "./helpers.mjs";
import { freePort, startRedis } from "./redis-server.mjs";
import { startQueueExample, until } from "./workers.mjs";

const { createHandler, LarkWebhook, MemoryDedupStore, RedisDedupStore } = lark;
const KEY = "delivery-encrypt-key";
const TOKEN = "delivery-verification-token";
const secrets = { encryptKey: KEY, verificationToken: TOKEN };
const signer = (json, timestamp) => lark.createTestDelivery({ event: json, ...secrets, timestamp });
const run = (options) => simulate({ lark, secrets, ...options });

/** The guarantee, as every scenario checks it. */
function assertGuarantee(figures) {
  assert.equal(figures.events_lost, 0, "events lost");
  assert.equal(figures.handler_runs_after_done, 0, "handler runs after done");
  assert.equal(figures.max_concurrent_runs_per_id, 1, "runs of one event at the same time");
  assert.equal(figures.acknowledged_before_durable ?? 0, 0, "200 before the event was handled (or queued)");
  assert.equal(figures.platform_gave_up, 0, "events the platform gave up on");
  assert.ok(figures.injected_faults > 0);
}

/** The figures for the README without the per-event detail. */
const shown = ({ attempts, ...figures }) => figures;

describe("in process, simulated time", () => {
  test("createHandler, retries re-signed, 10% of requests replayed later: 0 lost, 0 runs after done, 1 run at a time", async () => {
    const figures = report("createHandler + MemoryDedupStore, retries re-signed", shown(await run({ seed: 1, mode: "resign", replayRate: 0.1 })));
    assertGuarantee(figures);
    assert.ok(figures.answers["500"] > 0 && figures.answers["503"] > 0, "handler failures and late handlers were answered 5xx");
    assert.ok(figures.replays > 30 && figures.replay_answers["200"] > 0, "replays reached the endpoint and found their ids done");
  });

  test("createHandler, retries keep their first timestamp, replays: 0 lost, 0 runs after done, 1 run at a time", async () => {
    const figures = report("createHandler + MemoryDedupStore, retries keep the first timestamp", shown(await run({ seed: 2, mode: "original", replayRate: 0.1 })));
    assertGuarantee(figures);
    assert.equal(figures.answers["401"], undefined, "no retry refused as too old");
  });

  for (const mode of ["resign", "original"]) {
    test(`events that need every retry up to the 6 h one (${mode === "resign" ? "re-signed" : "first timestamp"}): each handled at its 6 h retry, replays after it run nothing`, async () => {
      // Every run fails until the platform's last retry (7 h 05 min 15 s after the first attempt); the store and the platform fail besides.
      const firstRun = new Map();
      let forced = 0;
      const failUntilLast = async (event, context, { clock }) => {
        const id = event.header.event_id;
        if (!firstRun.has(id)) firstRun.set(id, clock.now);
        if (clock.now < firstRun.get(id) + RETRY_DELAYS_MS.reduce((a, b) => a + b)) {
          forced += 1;
          throw new Error("injected: fails until the platform's last retry");
        }
      };
      const rates = { store_begin_slow: 0, store_done_fails: 0.3, store_release_fails: 0, platform_duplicate: 0.05 };
      const figures = await run({ seed: mode === "resign" ? 9 : 10, count: 60, mode, rates, budget: 1, work: failUntilLast, replayRate: 0.3 });
      figures.faults_by_kind.handler_fails_until_the_6h_retry = forced;
      figures.injected_faults += forced;
      report(`createHandler, every event handled at the 6 h retry (${mode})`, shown(figures));
      assertGuarantee(figures);
      for (const [id, attempts] of figures.attempts) assert.ok(attempts.includes(4), `${id} reached the 6 h retry: ${attempts}`);
      assert.ok(figures.simulated_hours > 7, "7 hours of retries ran");
      // (A copy sent after the 200 with the first timestamp may be past 7.5 h and refused: the event is done.)
      assert.equal(figures.attempt_answers["401"], undefined, "every attempt accepted, the 6 h retry included, whatever its timestamp");
      assert.equal(figures.attempt_answers["500"], 4 * figures.events, "four failed runs each");
    });
  }

  test("createHandler({ enqueue }) and createConsumer over a queue: 0 lost, 0 runs after done, 1 run at a time", async () => {
    const queue = { enqueued: 0, consumer_attempts: 0, dead_letters: 0 };
    const figures = await run({ seed: 3, count: 200, replayRate: 0.1, build: (world) => simulatedQueue(lark, secrets, world, queue) });
    report("createHandler({ enqueue }) + createConsumer, simulated queue", { ...shown(figures), queue });
    assertGuarantee(figures);
    assert.equal(queue.dead_letters, 0);
    assert.ok(queue.enqueued > figures.events, "late enqueues, duplicates and replays queued extra copies, which the consumer deduplicated");
  });

  test("controls: the harness sees losses, runs after done and overlapping runs where there are some", async () => {
    // The old design: acknowledge at once, claim the id, run the handler afterwards.
    const ackFirst = await run({
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
    report("control: acknowledge at once (the old design)", shown(ackFirst));
    assert.ok(ackFirst.events_lost > 0, "acknowledging first loses the events whose handler failed");
    assert.ok(ackFirst.acknowledged_before_durable > 0);

    const strict = await run({
      seed: 5,
      mode: "original",
      build: ({ app, clock, store }) => ({ endpoint: createHandler({ ...secrets, toleranceSeconds: 300, clock: () => clock.now, deadlineMs: DEADLINE_MS, dedup: store, on: { "*": app.handler }, onError: () => {} }) }),
    });
    report("control: strict 300 s window, retries keep the first timestamp", shown(strict));
    assert.ok(strict.answers["401"] > 0 && strict.events_lost > 0, "a 300 s window refuses the retries after 5 min");

    // A store that never records done: the platform's later copies run the handler again.
    const forgetful = await run({
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
    report("control: a store that forgets done ids", shown(forgetful));
    assert.ok(forgetful.handler_runs_after_done > 0, "runs after done are counted");

    // No dedup at all: copies sent at the same moment run side by side.
    const unguarded = await run({
      seed: 11,
      build: ({ app, clock }) => ({ endpoint: createHandler({ ...secrets, clock: () => clock.now, deadlineMs: DEADLINE_MS, dedup: false, on: { "*": app.handler }, onError: () => {} }) }),
    });
    report("control: dedup: false", shown(unguarded));
    assert.ok(unguarded.max_concurrent_runs_per_id > 1, "overlapping runs are counted");
  });
});

describe("leases that outlast the handler's first lease, in real time", () => {
  const events = (seed, count) => makeEvents(prng(seed), count, 0, 0);
  const endpoint = (store, extra = {}, leaseSeconds = 1) => ({ app, doneIds, onError }) =>
    createHandler({ ...secrets, leaseSeconds, deadlineMs: 150, dedup: observedStore(store, doneIds, extra), on: { "*": app.handler }, onError });

  test("a store with extend (memory): every lease renewed while its handler runs, 1 run at a time, none lost", async () => {
    const figures = report(
      "lease renewal, MemoryDedupStore (1 s lease, 1.2-3 s handlers)",
      await leaseScenario({ events: events(12, 40), random: prng(12), sign: signer, build: endpoint(new MemoryDedupStore()), durationMs: [1200, 3000] }),
    );
    assertGuarantee(figures);
    assert.equal(figures.leases_lost, 0);
    assert.equal(figures.overlaps_with_told_runs, 0);
    assert.ok(figures.answers["503"] > figures.events, "copies were answered in_progress while the handlers ran");
  });

  test("a store without extend: the leases run out mid-run, the handlers are told (context.signal) and stop; still 1 live run at a time, none lost", async () => {
    // A third of the events' runs ignore their signal: when their lease ran out, another run starts beside them.
    const ignoring = (id) => Number(id.split("-")[1]) % 3 === 0;
    const figures = report(
      "no extend: leases run out mid-run (0.3 s lease, 0.05-0.6 s handlers, a third ignoring the signal)",
      await leaseScenario({ events: events(13, 30), random: prng(13), sign: signer, build: endpoint(new MemoryDedupStore(), { withExtend: false }, 0.3), ignoresSignal: ignoring, durationMs: [50, 600], leaseMs: 300 }),
    );
    assertGuarantee(figures);
    assert.equal(figures.leases_lost_early, 0, "a lease lost before it ran out: another attempt's release freed it");
    assert.ok(figures.leases_lost > 10, "the leases ran out and the handlers were told");
    assert.ok(figures.overlaps_with_told_runs > 0, "a run that ignored its signal overlapped the next one: what a store without extend cannot prevent");
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

  test("a store with extend (Redis): every lease renewed while its handler runs, 1 run at a time, none lost", async () => {
    const client = new (require("ioredis"))(redis.url, { lazyConnect: true });
    await client.connect();
    try {
      const build = ({ app, doneIds, onError }) =>
        createHandler({ ...secrets, leaseSeconds: 1, deadlineMs: 150, dedup: observedStore(new RedisDedupStore({ client }), doneIds), on: { "*": app.handler }, onError });
      const figures = report(
        "lease renewal, RedisDedupStore on redis-server (1 s lease, 1.2-3 s handlers)",
        await leaseScenario({ events: makeEvents(prng(14), 40, 0, 0), random: prng(14), sign: signer, build, durationMs: [1200, 3000] }),
      );
      assertGuarantee(figures);
      assert.equal(figures.leases_lost, 0);
      assert.equal(figures.overlaps_with_told_runs, 0);
    } finally {
      client.disconnect();
    }
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
    const figures = { crashes: 0, backend_calls: 0, runs_after_done: 0, reruns_after_a_crash: 0, max_concurrent_calls_per_id: 0 };
    const inFlight = new Map();
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
        // A call is in flight until answered, or until its connection closes (the endpoint was killed).
        inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
        figures.max_concurrent_calls_per_id = Math.max(figures.max_concurrent_calls_per_id, inFlight.get(id));
        res.once("close", () => inFlight.set(id, inFlight.get(id) - 1));
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
        max_concurrent_runs_per_id: figures.max_concurrent_calls_per_id,
        wall_ms: Date.now() - started,
      });
      assert.equal(figures.crashes, 2);
      assert.equal(figures.max_concurrent_calls_per_id, 1, "calls for one event at the same time");
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
    const figures = { backend_calls: 0, handler_runs_after_done: 0, max_concurrent_runs_per_id: 0 };
    const inFlight = new Map();
    let currentEvent;
    const backend = {
      async fetch(request) {
        const { event_id: id } = await request.json();
        figures.backend_calls += 1;
        inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
        figures.max_concurrent_runs_per_id = Math.max(figures.max_concurrent_runs_per_id, inFlight.get(id));
        try {
          // No crash here: a call after a completion can only be a run after done.
          if (completions.get(id)) figures.handler_runs_after_done += 1;
          await sleep(5);
          if (faults.draw("backend_fails", id)) return new Response("unavailable", { status: 503 });
          completions.set(id, (completions.get(id) ?? 0) + 1);
          return new Response("ok");
        } finally {
          inFlight.set(id, inFlight.get(id) - 1);
        }
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
        max_concurrent_runs_per_id: figures.max_concurrent_runs_per_id,
        wall_ms: Date.now() - started,
      });
      assert.equal(events.filter((e) => !completions.get(e.id)).length, 0, "events lost");
      assert.equal(figures.max_concurrent_runs_per_id, 1, "backend calls for one event at the same time");
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
