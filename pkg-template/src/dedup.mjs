// Deduplication by event id with leases: the store interface's constants,
// its check, and the default store, in memory. Runtime-neutral.
//
// A store answers begin(eventId, leaseSeconds, owner) with
//   "new"          the caller now holds a lease and must call done or release;
//   "done"         the event was handled (remembered for done's TTL);
//   "in_progress"  another attempt holds a live lease.
// done(eventId, ttlSeconds) records the event as handled, whoever holds the
// lease: it is a fact about the event, and refusing it would only make a
// retry run the handler again. release(eventId, owner) removes the caller's
// own lease only, so an attempt whose lease expired and was taken over can
// never free the newer attempt's lease.

/** The platform retries for about 7.1 hours (15 s, 5 min, 1 h, 6 h): handled ids are kept longer. */
export const DEDUP_TTL_SECONDS = 8 * 60 * 60;

/**
 * How old a signed delivery may be when a dedup store remembers handled ids
 * for DEDUP_TTL_SECONDS: the last retry comes about 7 h 05 min after the first
 * attempt; 7.5 h leaves room for clock skew and stays inside the 8 h TTL, so
 * a replay of a handled delivery still finds its id done. See SECURITY.md.
 */
export const RETRY_WINDOW_SECONDS = 7.5 * 60 * 60;

/**
 * How long an attempt holds its lease. It must outlast the handler's run (a
 * retry arriving while the lease is live is answered 503 instead of running a
 * second copy) and stay well under the 5 minutes between the first and second
 * retries, so that an attempt that died with its lease (a killed process)
 * costs at most the 15-second retry.
 */
export const DEFAULT_LEASE_SECONDS = 60;

/** The platform waits 3 s for an answer; keep room for the network. */
export const DEFAULT_DEADLINE_MS = 2500;

/**
 * The in-memory store's bound. Only verified events reach the store, so its
 * size follows the real event rate: 100,000 ids kept for 8 hours is about 3.5
 * events per second, sustained, in roughly 15 MB.
 */
export const DEFAULT_MAX_ENTRIES = 100_000;

const STATES = ["new", "done", "in_progress"];

/** True when `value` is one of the three answers begin may give. */
export function isDedupState(value) {
  return STATES.includes(value);
}

/** Why `store` is not a usable dedup store, or undefined when it is. */
export function dedupStoreProblem(store) {
  if (store === false) return undefined;
  if (store === null || (typeof store !== "object" && typeof store !== "function")) {
    return "`dedup` must be a store with begin, done and release methods (e.g. new MemoryDedupStore() or new RedisDedupStore({ client })), or false";
  }
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

/**
 * The default dedup store: in memory, per process (or isolate), forgotten on
 * restart. Use a shared store (RedisDedupStore, a Durable Object) when
 * deliveries can reach several processes or when restarts must not forget.
 *
 * Bounded: past `maxEntries` the oldest ids are dropped even before their TTL
 * (see DEFAULT_MAX_ENTRIES for what the default covers).
 */
export class MemoryDedupStore {
  // id -> expiry (ms) of a done id, or { until, owner } for a lease. Map
  // order is insertion order and every write re-inserts, so the first
  // entries are the ones that expire first (leases aside, which are short).
  #entries = new Map();
  #maxEntries;
  #clock;

  /**
   * @param {{ maxEntries?: number, clock?: () => number }} [options]
   *   `clock`: milliseconds since the epoch, like Date.now (the default); for tests and simulations.
   */
  constructor(options = {}) {
    const { maxEntries = DEFAULT_MAX_ENTRIES, clock = Date.now } = options ?? {};
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError("maxEntries must be a positive integer");
    if (typeof clock !== "function") throw new TypeError("clock must be a function returning milliseconds");
    this.#maxEntries = maxEntries;
    this.#clock = clock;
  }

  /** "new" (a lease for leaseSeconds is taken), "done" or "in_progress". */
  begin(eventId, leaseSeconds, owner = "") {
    checkId(eventId);
    checkSeconds(leaseSeconds, "leaseSeconds");
    const now = this.#clock();
    this.#sweep(now);
    const entry = this.#entries.get(eventId);
    if (entry !== undefined) {
      if (typeof entry === "number" && entry > now) return "done";
      if (typeof entry === "object" && entry.until > now) return "in_progress";
    }
    this.#write(eventId, { until: now + leaseSeconds * 1000, owner: String(owner) });
    return "new";
  }

  /** Records the event as handled for ttlSeconds. */
  done(eventId, ttlSeconds) {
    checkId(eventId);
    checkSeconds(ttlSeconds, "ttlSeconds");
    this.#write(eventId, this.#clock() + ttlSeconds * 1000);
  }

  /** Gives up the lease (only `owner`'s, when given) so that a retry runs the handler again. */
  release(eventId, owner) {
    checkId(eventId);
    const entry = this.#entries.get(eventId);
    if (typeof entry !== "object") return;
    if (owner === undefined || entry.owner === String(owner)) this.#entries.delete(eventId);
  }

  /** Ids currently remembered (leases and done ids, expired ones not yet swept included). */
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
