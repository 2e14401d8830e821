// The Lark / Feishu platform, simulated: it delivers each event, treats
// anything but 200 as a failure and retries on its real schedule (15 s,
// 5 min, 1 h, 6 h after the previous attempt; at most 4 retries), and, being
// at-least-once, sometimes sends a copy at the same moment or after a 200 (a
// copy after a 200 is a delivery like any other: retried until it gets one).
// Beside it, someone who captured deliveries (a proxy log, a tunnel) may
// replay them byte for byte, at any time while their signature is accepted.
// Time is the caller's `clock`: simulated (`now` jumps from one scheduled
// attempt to the next and the endpoint's own clock reads it, so 7 hours of
// retries run in a moment; between two instants the endpoint's background
// work is settled, as real minutes would) or real time scaled down (for an
// endpoint in another process).

export const RETRY_DELAYS_MS = [15_000, 5 * 60_000, 60 * 60_000, 6 * 60 * 60_000];

/**
 * Runs the deliveries of `events` ([{ id, json, firstAt }]) against `post`
 * (delivery → HTTP status) and returns what the platform saw.
 *
 * - `clock`: `{ now, advanceTo(ms) }`, the platform's time in ms;
 * - `sign(json, timestampSeconds)` builds a signed delivery, at
 *   `timestamp()` (default: the clock's seconds);
 * - `mode`: "resign" signs every attempt afresh; "original" resends the
 *   first attempt's request byte for byte (its timestamp ages);
 * - `completed(id)`: whether the event is durable: handled, or queued (a
 *   200 before that is counted in `acknowledgedEarly`);
 * - `duplicateNow(id)`: whether to send a copy of this attempt at the same
 *   moment; `lateDuplicateRate`: the share of 200s followed by a copy later;
 * - `replayRate`: the share of requests captured and replayed byte for byte
 *   once, at a random moment while their timestamp is within `replayWindowMs`
 *   of it, half of them in its last half hour (their answers are counted
 *   apart, in `replayStatuses`);
 * - in what it returns, `attempts` maps each event to the attempt numbers
 *   it was delivered with (0 the first, 4 the 6 h retry), and
 *   `attemptStatuses` counts the answers to the platform's own attempts
 *   (copies and replays aside).
 */
export async function deliverAll({ events, post, sign, clock, random, settle = async () => {}, completed, timestamp = () => Math.floor(clock.now / 1000), mode = "resign", lateDuplicateRate = 0, duplicateNow = () => false, replayRate = 0, replayWindowMs = 7.5 * 3_600_000 }) {
  const stats = { requests: 0, retries: 0, duplicates: 0, replays: 0, statuses: {}, attemptStatuses: {}, replayStatuses: {}, gaveUp: [], acknowledged: new Set(), acknowledgedEarly: [], attempts: new Map() };
  const first = new Map();
  const queue = events.map((e) => ({ at: e.firstAt, event: e, attempt: 0, kind: "attempt" }));

  async function send(action) {
    const { event, attempt } = action;
    let delivery;
    if (action.kind === "replay") delivery = action.delivery;
    else if (attempt === 0 || mode === "resign") delivery = sign(event.json, timestamp());
    else delivery = first.get(event.id);
    if (attempt === 0 && action.kind === "attempt") first.set(event.id, delivery);
    if (action.kind === "replay") stats.replays += 1;
    else stats.requests += 1;
    let status;
    try {
      status = await post(delivery);
    } catch {
      status = 0; // connection refused or reset: a failure, as for the platform
    }
    const counts = action.kind === "replay" ? stats.replayStatuses : stats.statuses;
    counts[status] = (counts[status] ?? 0) + 1;
    if (action.kind === "attempt") stats.attemptStatuses[status] = (stats.attemptStatuses[status] ?? 0) + 1;
    if (action.kind !== "replay" && random() < replayRate) {
      // Captured on its way: replayed once while its timestamp is accepted,
      // half of the time in the last half hour it is (as late as it can).
      const signedAt = Number(delivery.headers["X-Lark-Request-Timestamp"]) * 1000;
      const until = Math.max(clock.now, signedAt + replayWindowMs - 1000);
      const from = random() < 0.5 ? clock.now : Math.max(clock.now, until - 30 * 60_000);
      queue.push({ at: from + Math.floor(random() * (until - from)), event, kind: "replay", delivery });
    }
    return status;
  }

  async function run(action) {
    const { event, attempt } = action;
    if (action.kind !== "replay") stats.attempts.set(event.id, [...(stats.attempts.get(event.id) ?? []), attempt]);
    const status = await send(action);
    if (action.kind === "replay") return;
    if (status === 200) {
      stats.acknowledged.add(event.id);
      if (!completed(event.id)) stats.acknowledgedEarly.push(event.id);
      if (action.kind === "attempt" && random() < lateDuplicateRate) {
        stats.duplicates += 1;
        // Any time the platform's own retries could come: up to 7 h later.
        queue.push({ at: clock.now + 60_000 + Math.floor(random() * 7 * 3_600_000), event, attempt: attempt + 1, kind: "duplicate", retries: 0 });
      }
    } else if (action.kind === "duplicate") {
      // A copy is retried on the same schedule; it never makes the platform give up on the event.
      if (action.retries < RETRY_DELAYS_MS.length) queue.push({ ...action, at: clock.now + RETRY_DELAYS_MS[action.retries], retries: action.retries + 1 });
    } else if (attempt < RETRY_DELAYS_MS.length) {
      stats.retries += 1;
      queue.push({ at: clock.now + RETRY_DELAYS_MS[attempt], event, attempt: attempt + 1, kind: "attempt" });
    } else {
      stats.gaveUp.push(event.id);
    }
  }

  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at);
    await clock.advanceTo(queue[0].at);
    const now = queue.filter((a) => a.at <= clock.now);
    queue.splice(0, now.length);
    // A copy sent at the same moment as the attempt: races it for the lease.
    for (const action of [...now]) {
      if (action.kind === "attempt" && duplicateNow(action.event.id)) {
        stats.duplicates += 1;
        now.push({ ...action, kind: "duplicate", retries: RETRY_DELAYS_MS.length });
      }
    }
    await Promise.all(now.map(run));
    await settle();
  }
  return stats;
}

/** Simulated time: `advanceTo` jumps. */
export function simulatedClock(start) {
  return {
    now: start,
    async advanceTo(ms) {
      this.now = Math.max(this.now, ms);
    },
  };
}

/** Real time, `scale` times faster (0.01: the platform's 15 s is 150 ms); `advanceTo` waits. */
export function scaledClock(scale) {
  const start = Date.now();
  return {
    get now() {
      return (Date.now() - start) / scale;
    },
    async advanceTo(ms) {
      const wait = ms * scale - (Date.now() - start);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    },
  };
}
