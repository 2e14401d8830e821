// Deduplication by event id with leases (the interface: DedupStore in
// types/endpoint.d.ts): its constants, its check, and the default store, in memory.
// done is recorded whoever holds the lease (it is a fact about the event),
// and a begin that finds it done keeps it at least DEDUP_TTL_SECONDS longer
// (a delivery accepted then can be replayed for as long as the window
// allows); extend and release act on the caller's own lease only.

/**
 * How long a handled id is remembered: longer than the platform's retries
 * (about 7.1 hours: 15 s, 5 min, 1 h, 6 h) and than the 7.5 h a signed
 * delivery is accepted for. Every begin that finds the id done extends it to
 * at least this much from then, so a copy accepted late cannot be replayed
 * after the record is gone.
 */
export const DEDUP_TTL_SECONDS = 8 * 60 * 60;

/** Accepted age of a signed delivery when ids are kept 8 h: the last retry comes ~7 h 05 min after the first attempt (SECURITY.md, "Retry timestamps"). */
export const RETRY_WINDOW_SECONDS = 7.5 * 60 * 60;

/** Lease length: above a handler's run, well under the 5 min to the second retry (a killed attempt costs at most the 15 s retry). */
export const DEFAULT_LEASE_SECONDS = 60;

/** The platform waits 3 s for an answer; keep room for the network. */
export const DEFAULT_DEADLINE_MS = 2500;

/** Only verified events reach a store: 100,000 ids over 8 h is ~3.5 events/s sustained, ~30 MB. */
export const DEFAULT_MAX_ENTRIES = 100_000;

const STATES = ["new", "done", "in_progress"];

/** True when `value` is one of the three answers begin may give. */
export function isDedupState(value) {
  return STATES.includes(value);
}

/** Why `store` is not a usable dedup store, or undefined when it is (`extend` is optional: see DedupStore in types/endpoint.d.ts). */
export function dedupStoreProblem(store) {
  if (store === false) return undefined;
  if (store === null || (typeof store !== "object" && typeof store !== "function")) {
    return "`dedup` must be a store with begin, done and release methods (e.g. new MemoryDedupStore() or new RedisDedupStore({ client })), or false";
  }
  if (store.extend !== undefined && typeof store.extend !== "function") return "`dedup.extend` must be a function (eventId, leaseSeconds, owner) -> boolean, or absent";
  const missing = ["begin", "done", "release"].filter((name) => typeof store[name] !== "function");
  if (missing.length === 0) return undefined;
  if (typeof store.claim === "function") {
    return "`dedup` has the old claim(eventId, ttlSeconds) method; a store now implements begin(eventId, leaseSeconds, owner) -> \"new\" | \"done\" | \"in_progress\", done(eventId, ttlSeconds) and release(eventId, owner), so that a failed handler's event is retried instead of dropped (see DedupStore in the types)";
  }
  return `\`dedup\` lacks ${missing.join(", ")}: a store implements begin(eventId, leaseSeconds, owner), done(eventId, ttlSeconds) and release(eventId, owner)`;
}

function checkId(eventId) {
  if (typeof eventId !== "string" || eventId === "") throw new TypeError("eventId must be a non-empty string");
}

function checkSeconds(seconds, name) {
  if (typeof seconds !== "number" || !(seconds > 0) || !Number.isFinite(seconds)) {
    throw new TypeError(`${name} must be a positive number of seconds`);
  }
}

/** The default dedup store: in memory, per process, bounded (the oldest ids go first). */
export class MemoryDedupStore {
  // id -> expiry (ms) of a done id, or { until, owner } of a lease. Every
  // write re-inserts, so the first entries expire first (short leases aside).
  #entries = new Map();
  #maxEntries;
  #clock;

  constructor(options = {}) {
    const { maxEntries = DEFAULT_MAX_ENTRIES, clock = Date.now } = options ?? {};
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError("maxEntries must be a positive integer");
    if (typeof clock !== "function") throw new TypeError("clock must be a function returning milliseconds");
    this.#maxEntries = maxEntries;
    this.#clock = clock;
  }

  begin(eventId, leaseSeconds, owner = "") {
    checkId(eventId);
    checkSeconds(leaseSeconds, "leaseSeconds");
    const now = this.#clock();
    this.#sweep(now);
    const entry = this.#entries.get(eventId);
    if (entry !== undefined) {
      if (typeof entry === "number" && entry > now) {
        const kept = now + DEDUP_TTL_SECONDS * 1000;
        if (entry < kept) this.#write(eventId, kept);
        return "done";
      }
      if (typeof entry === "object" && entry.until > now) return "in_progress";
    }
    this.#write(eventId, { until: now + leaseSeconds * 1000, owner: String(owner) });
    return "new";
  }

  /** Keeps `owner`'s live lease for `leaseSeconds` from now: true, or false when it is not (or no longer) `owner`'s. */
  extend(eventId, leaseSeconds, owner) {
    checkId(eventId);
    checkSeconds(leaseSeconds, "leaseSeconds");
    const now = this.#clock();
    const entry = this.#entries.get(eventId);
    if (typeof entry !== "object" || entry.until <= now || entry.owner !== String(owner)) return false;
    this.#write(eventId, { until: now + leaseSeconds * 1000, owner: entry.owner });
    return true;
  }

  done(eventId, ttlSeconds) {
    checkId(eventId);
    checkSeconds(ttlSeconds, "ttlSeconds");
    this.#write(eventId, this.#clock() + ttlSeconds * 1000);
  }

  release(eventId, owner) {
    checkId(eventId);
    const entry = this.#entries.get(eventId);
    if (typeof entry !== "object") return;
    if (owner === undefined || entry.owner === String(owner)) this.#entries.delete(eventId);
  }

  get size() {
    return this.#entries.size;
  }

  #write(eventId, value) {
    this.#entries.delete(eventId);
    this.#entries.set(eventId, value);
    this.#sweep(this.#clock());
  }

  // Drops expired entries from the front, and the oldest beyond the bound.
  #sweep(now) {
    for (const [id, entry] of this.#entries) {
      const until = typeof entry === "number" ? entry : entry.until;
      if (this.#entries.size <= this.#maxEntries && until > now) break;
      this.#entries.delete(id);
    }
  }
}
