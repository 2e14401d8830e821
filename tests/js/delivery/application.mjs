// The application the fault-injection suite runs: events to deliver, and a
// handler that records every run, fails or runs late when the injector says
// so, and measures what the guarantee is about: runs that start for an event
// already done, and runs of one event at the same time.
//
// A run counts as live from its start until it settles or its
// `context.signal` aborts (the endpoint told it that its lease is gone or
// that it gave up on it); `max_concurrent_runs_per_id` is the most live runs
// of one event id at any moment. Runs told to stop that were still running
// when another started are counted apart (`overlaps_with_told_runs`).

export const TYPES = ["helpdesk.ticket.created_v1", "helpdesk.ticket.updated_v1", "helpdesk.ticket_message.created_v1", "im.message.receive_v1"];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` events, first delivered within `spreadMs` of `start`. */
export function makeEvents(random, count, start, spreadMs) {
  return Array.from({ length: count }, (_, i) => {
    const id = `evt-${i}-${Math.floor(random() * 1e9).toString(36)}`;
    const type = TYPES[i % TYPES.length];
    return {
      id,
      type,
      json: JSON.stringify({ schema: "2.0", header: { event_id: id, event_type: type, create_time: String(start) }, event: { ticket_id: String(6626871355780366331n + BigInt(i)) } }),
      firstAt: start + Math.floor(random() * spreadMs),
    };
  });
}

/** Waits `ms`, or rejects as soon as `signal` aborts (a handler that stops when told). */
export function stoppableSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * The handler and its figures. `faults.draw(kind, id)` decides injected
 * failures; `doneIds` (a set the store fills when done is recorded) tells
 * runs after done; `work(event, context)`, when given, is the run's body
 * (after the injected faults are drawn), e.g. a long run.
 */
export function application(faults, { doneIds, lateMs = 70, work } = {}) {
  const runs = new Map();
  const completions = new Map();
  const live = new Map();
  const told = new Map();
  const figures = { handler_runs: 0, handler_runs_after_done: 0, reruns_after_success: 0, max_concurrent_runs_per_id: 0, overlaps_with_told_runs: 0 };

  async function handler(event, context = {}) {
    const id = event.header.event_id;
    const signal = context.signal;
    figures.handler_runs += 1;
    runs.set(id, (runs.get(id) ?? 0) + 1);
    if (doneIds?.has(id)) figures.handler_runs_after_done += 1;
    if (completions.get(id)) figures.reruns_after_success += 1;
    if ((told.get(id) ?? 0) > 0) figures.overlaps_with_told_runs += 1;
    let isLive = true;
    const leave = () => {
      if (!isLive) return;
      isLive = false;
      live.set(id, live.get(id) - 1);
    };
    const onAbort = () => {
      leave();
      told.set(id, (told.get(id) ?? 0) + 1);
    };
    live.set(id, (live.get(id) ?? 0) + 1);
    figures.max_concurrent_runs_per_id = Math.max(figures.max_concurrent_runs_per_id, live.get(id));
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // Every run takes at least a turn of the event loop, so that two runs
      // started for one delivery instant overlap when nothing kept them apart.
      await sleep(0);
      if (faults.draw("handler_throws", id)) throw new Error("injected: handler failed");
      if (faults.draw("handler_late", id)) await sleep(lateMs);
      if (faults.draw("handler_late_then_throws", id)) {
        await sleep(lateMs);
        throw new Error("injected: handler failed after the deadline");
      }
      if (work) await work(event, context);
      completions.set(id, (completions.get(id) ?? 0) + 1);
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (isLive) leave();
      else told.set(id, told.get(id) - 1);
    }
  }

  return { handler, runs, completions, figures, completed: (id) => (completions.get(id) ?? 0) > 0 };
}
