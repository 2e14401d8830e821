// The in-process scenarios of the delivery suite, in simulated time: the
// platform (platform.mjs) against createHandler, or createHandler({ enqueue })
// in front of a simulated queue consumed by createConsumer; handlers and the
// dedup store failing at random (seeded), copies and replays.

import { application, makeEvents, sleep } from "./application.mjs";
import { FaultInjector, flakyStore, prng } from "./faults.mjs";
import { deliverAll, simulatedClock } from "./platform.mjs";

export const START = Date.UTC(2026, 0, 5, 9, 0, 0);
export const DEADLINE_MS = 40;
const LATE_MS = 70;

export const RATES = {
  handler_throws: 0.15,
  handler_late: 0.05,
  handler_late_then_throws: 0.03,
  store_begin_fails: 0.03,
  store_begin_slow: 0.02,
  store_done_fails: 0.02,
  store_release_fails: 0.1,
  platform_duplicate: 0.08,
};

const post = (handler) => async (delivery) => (await handler(new Request("https://endpoint.test/webhook/event", { method: "POST", headers: delivery.headers, body: delivery.body }))).status;

/**
 * One run of the platform against createHandler (or `build`'s endpoint) in
 * simulated time. `rates` replaces the injected faults' rates, `work(event,
 * context, { clock })` runs in each handler after its faults, `replayRate` replays that share of
 * requests once while their timestamp is accepted (7.5 h).
 */
export async function simulate({ lark, secrets, seed, count = 300, mode = "resign", build, rates = RATES, budget = 3, work, replayRate = 0 }) {
  const { createHandler, MemoryDedupStore } = lark;
  const signer = (json, timestamp) => lark.createTestDelivery({ event: json, ...secrets, timestamp });
  const random = prng(seed);
  const clock = simulatedClock(START);
  const faults = new FaultInjector(random, rates, budget);
  const store = flakyStore(new MemoryDedupStore({ clock: () => clock.now }), faults, DEADLINE_MS + 30);
  const app = application(faults, { doneIds: store.doneIds, lateMs: LATE_MS, work: work && ((event, context) => work(event, context, { clock })) });
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
    replayRate,
  });
  await built.finish?.();
  return {
    events: count,
    requests: platform.requests,
    retries: platform.retries,
    duplicates_sent: platform.duplicates,
    replays: platform.replays,
    answers: platform.statuses,
    attempt_answers: platform.attemptStatuses,
    replay_answers: platform.replayStatuses,
    injected_faults: faults.total,
    faults_by_kind: faults.counts,
    simulated_hours: +((clock.now - START) / 3_600_000).toFixed(2),
    events_lost: events.filter((e) => !app.completed(e.id)).length,
    platform_gave_up: platform.gaveUp.length,
    acknowledged_before_durable: platform.acknowledgedEarly.length,
    ...app.figures,
    attempts: platform.attempts,
    wall_ms: Date.now() - started,
  };
}

/**
 * createHandler({ enqueue }) in front of a queue in simulated time (at least
 * once; a failed message is retried after 10 s × 2^n, 6 attempts, then
 * dead-lettered) consumed by createConsumer. The enqueue fails or is late at
 * random; the consumer catches up between two platform instants and, at the
 * end, until the queue is empty.
 */
export function simulatedQueue(lark, secrets, { app, clock, store, random }, figures) {
  const { createConsumer, createHandler } = lark;
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
