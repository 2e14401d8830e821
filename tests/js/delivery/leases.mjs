// Leases that expire while handlers run, in real time: handlers that take
// longer than the lease, copies of each event every 100 ms until one
// is answered 200, some runs failing. With a store that has `extend`, the
// endpoint renews the lease while the handler runs; without it, the lease
// runs out mid-run, the handler's `context.signal` aborts, and handlers that
// honour it stop (until a run short enough completes).

import { application, sleep, stoppableSleep } from "./application.mjs";
import { FaultInjector } from "./faults.mjs";

const COPY_EVERY_MS = 100;
const GIVE_UP_AFTER_MS = 20_000;

/** A store's `done` also recorded in `doneIds`, and `extend` left out when `withExtend` is false. */
export function observedStore(inner, doneIds, { withExtend = true } = {}) {
  const store = {
    begin: (...args) => inner.begin(...args),
    async done(id, ttl) {
      await inner.done(id, ttl);
      doneIds.add(id);
    },
    release: (...args) => inner.release(...args),
  };
  if (withExtend) store.extend = (...args) => inner.extend(...args);
  return store;
}

/**
 * Delivers `events` (each `{ id, json }`) to the endpoint `build({ app,
 * doneIds, onError })` returns: copies every 100 ms from a random start
 * within 500 ms until a copy is answered 200, then one more. `ignoresSignal(id)`
 * says whether runs of that event ignore their signal (and then fail when it
 * had aborted, so that a stale holder releases after another run took over).
 * With `leaseMs`, a run told `lease_lost` before 85% of its lease had passed
 * (counted from when its delivery was posted, before the lease was taken,
 * so that a busy event loop only makes it look older) is counted in
 * `leases_lost_early`: a lease that nothing renews is only ever lost by
 * running out (a tenth early at most), never because another attempt's
 * release freed it.
 */
export async function leaseScenario({ events, random, sign, build, ignoresSignal = () => false, throwRate = 0.2, durationMs = [400, 1500], leaseMs }) {
  const faults = new FaultInjector(random, { handler_throws: throwRate }, 2);
  const reports = [];
  const doneIds = new Set();
  let lostEarly = 0;
  // Each event's copies are posted one after another: its latest post is the one being handled.
  const postedAt = new Map();
  const watchLoss = (signal, started) => {
    signal?.addEventListener("abort", () => {
      if (signal.reason?.code === "lease_lost" && Date.now() - started < 0.85 * leaseMs) lostEarly += 1;
    });
  };
  const work = async (event, context) => {
    if (leaseMs !== undefined) watchLoss(context.signal, postedAt.get(event.header.event_id));
    const ms = durationMs[0] + Math.floor(random() * (durationMs[1] - durationMs[0]));
    if (!ignoresSignal(event.header.event_id)) return stoppableSleep(ms, context.signal);
    await sleep(ms);
    if (context.signal?.aborted) throw new Error("a stale run: its lease was lost while it ignored its signal");
  };
  const app = application(faults, { doneIds, work });
  const endpoint = await build({ app, doneIds, onError: (error) => reports.push(error) });
  const statuses = {};
  let requests = 0;
  const started = Date.now();
  const post = async (event) => {
    const delivery = sign(event.json, Math.floor(Date.now() / 1000));
    requests += 1;
    postedAt.set(event.id, Date.now());
    const response = await endpoint(new Request("https://endpoint.test/webhook/event", { method: "POST", headers: delivery.headers, body: delivery.body }));
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    return response.status;
  };
  const unanswered = [];
  await Promise.all(
    events.map(async (event) => {
      await sleep(Math.floor(random() * 500));
      while ((await post(event)) !== 200) {
        if (Date.now() - started > GIVE_UP_AFTER_MS) return void unanswered.push(event.id);
        await sleep(COPY_EVERY_MS);
      }
      await sleep(COPY_EVERY_MS);
      await post(event);
    }),
  );
  await endpoint.drain({ timeoutMs: 10_000 });
  const leaseLost = reports.filter((e) => e?.code === "lease_lost").length;
  return {
    events: events.length,
    requests,
    answers: statuses,
    injected_faults: faults.total,
    faults_by_kind: faults.counts,
    leases_lost: leaseLost,
    ...(leaseMs === undefined ? {} : { leases_lost_early: lostEarly }),
    events_lost: events.filter((e) => !app.completed(e.id)).length,
    platform_gave_up: unanswered.length,
    ...app.figures,
    done_recorded: events.filter((e) => doneIds.has(e.id)).length,
    wall_ms: Date.now() - started,
  };
}
