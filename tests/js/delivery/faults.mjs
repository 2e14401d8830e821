// Seeded randomness and fault injection for the delivery suite.
//
// Every event gets a fault budget: an injected fault spends what it costs in
// non-200 answers (a release that fails costs two: the 500, then a 503 while
// the stale lease lives). With a budget of 3, a correct endpoint answers 200
// by the platform's fourth attempt at the latest, so any event the platform
// gives up on, or never handles, is the library's fault, not the dice's.

/** mulberry32: a small, well-known 32-bit PRNG; the same seed gives the same run. */
export function prng(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Draws faults at the given rates, within each event's budget, and counts them by kind. */
export class FaultInjector {
  constructor(random, rates, budget = 3) {
    this.random = random;
    this.rates = rates;
    this.budget = budget;
    this.spent = new Map();
    this.counts = Object.fromEntries(Object.keys(rates).map((kind) => [kind, 0]));
  }

  /** True (and counted) when a fault of `kind` hits event `id` now. */
  draw(kind, id, cost = 1) {
    const rate = this.rates[kind] ?? 0;
    const spent = this.spent.get(id) ?? 0;
    if (rate === 0 || spent + cost > this.budget || this.random() >= rate) return false;
    this.spent.set(id, spent + cost);
    this.counts[kind] += 1;
    return true;
  }

  get total() {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

/**
 * A dedup store that fails on command: begin throws or answers after the
 * endpoint's deadline, done and release throw. Records when each id was
 * marked done (for "handler runs after done"). `extend` passes through.
 */
export function flakyStore(inner, faults, slowMs) {
  const doneIds = new Set();
  return {
    doneIds,
    extend: (...args) => inner.extend(...args),
    async begin(id, leaseSeconds, owner) {
      if (faults.draw("store_begin_fails", id)) throw new Error("injected: dedup store unreachable");
      if (faults.draw("store_begin_slow", id)) await sleep(slowMs);
      return inner.begin(id, leaseSeconds, owner);
    },
    async done(id, ttlSeconds) {
      if (faults.draw("store_done_fails", id)) throw new Error("injected: dedup store write failed");
      await inner.done(id, ttlSeconds);
      doneIds.add(id);
    },
    async release(id, owner) {
      if (faults.draw("store_release_fails", id, 2)) throw new Error("injected: dedup store release failed");
      await inner.release(id, owner);
    },
  };
}

/** Prints a scenario's figures as one aligned block, and returns them. */
export function report(title, figures) {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  const lines = Object.entries(figures).map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === "object" ? JSON.stringify(v) : v}`);
  console.log(`delivery: ${title}\n${lines.join("\n")}`);
  return figures;
}
