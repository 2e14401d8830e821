// One attempt at one event, the same on every inbound path (createHandler,
// createConsumer, the long connection, card callbacks): take the event's
// lease in the dedup store, keep it while the work runs (extend every
// leaseSeconds / 3), give the work a signal that aborts when the lease is
// lost or the endpoint gives up on it, and finish with done (retried, then
// kept trying in the background) or release.
//
//   const leases = makeLeases();                          // one per endpoint
//   const taken = await leases.acquire(store, eventId, leaseSeconds, { report });
//   if (taken.state !== "new") return taken.state;       // "done" | "in_progress"
//   try { await work(taken.lease.signal); }
//   catch (e) { await taken.lease.failed(); throw e; }
//   const recorded = await taken.lease.succeeded({ deadline });
//   track(taken.lease.pending);                          // done still retried, when it was not recorded
//
// Imports the dedup constants, the endpoint's codes and its error class only.

import { ENDPOINT_CODES, ENDPOINT_MESSAGES } from "../core/answers.mjs";
import { LarkWebhookError } from "../core/errors.mjs";
import { DEDUP_TTL_SECONDS, RETRY_WINDOW_SECONDS, isDedupState } from "./dedup.mjs";

/** A lease is renewed this many times per `leaseSeconds`: two renewals can fail or come late before it expires. */
export const RENEWALS_PER_LEASE = 3;

/** Waits between attempts at recording done, in ms; the last one repeats. */
export const DONE_RETRY_DELAYS_MS = Object.freeze([25, 50, 100, 200, 400, 800, 1600, 3200, 5000, 10_000, 30_000]);

/** How long done is retried in the background after the answer: as long as a delivery of the event can still arrive. */
export const DONE_RETRY_WINDOW_MS = RETRY_WINDOW_SECONDS * 1000;

/** How long before a lease that cannot be renewed runs out its signal aborts, in ms: a tenth of it, at most 1 s (timers fire late on a busy event loop). */
export function expiryMargin(leaseMs) {
  return Math.min(leaseMs / 10, 1000);
}

/** A random token naming one attempt's lease. */
export function newOwner() {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Calls `fn` and always returns a promise: a synchronous throw becomes a rejection. */
export function attempt(fn) {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `{ late: false, ok, value | error }`, or `{ late: true }` once `deadline` (Date.now()) passed first. */
export function settleBefore(promise, deadline) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ late: true }), Math.max(0, deadline - Date.now()));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ late: false, ok: true, value });
      },
      (error) => {
        clearTimeout(timer);
        resolve({ late: false, ok: false, error });
      },
    );
  });
}

/** A short, printable rendering of a value a store returned (never its whole content). */
export function describeValue(value) {
  let text;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A timer that never keeps a process alive by itself (Node's `unref`; elsewhere timers do not). */
function quietTimeout(fn, ms) {
  const timer = setTimeout(fn, ms);
  timer?.unref?.();
  return timer;
}

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = quietTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** A `LarkWebhookError` with an endpoint code (see answers.mjs), its standard message unless one is given. */
export function endpointError(code, message = ENDPOINT_MESSAGES[code], cause) {
  const error = new LarkWebhookError(code, ENDPOINT_CODES[code], message);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** The `dedup_unavailable` error for a store call that failed, with the store's error as `cause`. */
export function storeFailure(operation, eventId, cause) {
  return endpointError("dedup_unavailable", `the dedup store failed in ${operation} for event ${eventId}; check the store (the cause is attached)`, cause);
}

/**
 * Leases on event ids for one endpoint. Every lease still held is listed in
 * `active` (for `abortAll`, when a drain gives up).
 */
export function makeLeases() {
  const active = new Set();

  /**
   * `{ state: "new", lease }` (this attempt holds the lease, renewed until it
   * finishes), `{ state: "done" }` or `{ state: "in_progress" }`; throws a
   * `dedup_unavailable` error when the store fails or answers nonsense. With
   * `store === false` every attempt is new and its lease is only a signal.
   * `report(error)` is told every failure that does not change the outcome
   * by itself (a renewal or a done that failed, the lease lost); the caller
   * routes it to onError.
   */
  async function acquire(store, eventId, leaseSeconds, { report = () => {}, owner = newOwner() } = {}) {
    // The store's lease starts at the call at the latest: a lease that cannot
    // be renewed is given up on from then.
    const startedAt = Date.now();
    const hold = () => new Lease({ store, eventId, leaseSeconds, owner, report, active, startedAt });
    if (store === false) return { state: "new", lease: hold() };
    const state = await attempt(() => store.begin(eventId, leaseSeconds, owner)).then(
      (value) => {
        if (isDedupState(value)) return value;
        throw storeFailure("begin", eventId, new TypeError(`begin returned ${describeValue(value)}, not "new", "done" or "in_progress"`));
      },
      (cause) => {
        throw storeFailure("begin", eventId, cause);
      },
    );
    if (state !== "new") return { state };
    // The store gave the event to this attempt: a lease this endpoint still
    // holds on it has run out (a store without extend, or a renewal that came
    // too late). Its run is told now, before this one starts, rather than when
    // its own timer fires, which a busy event loop can delay past this point.
    for (const held of [...active]) if (held.eventId === eventId) held.takenOver();
    return { state, lease: hold() };
  }

  /** Aborts every lease still held with `reason` (a drain gave up): their signals fire, renewals stop, the leases expire. */
  function abortAll(reason) {
    for (const lease of [...active]) lease.abort(reason);
  }

  return { acquire, abortAll, active };
}

/**
 * One attempt's hold on an event id, from a "new" begin until the work
 * finished and the store was told. While held it is renewed every
 * `leaseSeconds / RENEWALS_PER_LEASE` with the store's `extend`; a store
 * without `extend` cannot renew, and then `signal` aborts a little before
 * the lease runs out (`expiryMargin`), or at once when this endpoint begins
 * another copy of the event (another attempt may start it from then on).
 */
export class Lease {
  #store;
  #leaseSeconds;
  #report;
  #active;
  #controller = new AbortController();
  // Renewing stops when the lease is lost or no longer needed; everything
  // (done retried in the background too) stops when the attempt is given up on.
  #renewing = new AbortController();
  #givenUp = new AbortController();
  #timer;
  #finished = false;
  #lastDoneError;
  // The done call under way, while one is.
  #doneInFlight;

  constructor({ store, eventId, leaseSeconds, owner, report, active, startedAt = Date.now() }) {
    this.eventId = eventId;
    this.owner = owner;
    this.#store = store;
    this.#leaseSeconds = leaseSeconds;
    this.#report = report;
    this.#active = active;
    /** Background work after the answer (done still being retried); resolves when it is over. */
    this.pending = Promise.resolve();
    active.add(this);
    if (store !== false) this.#schedule(startedAt);
  }

  /** Aborts when the lease is lost (taken over, expired, or the store failed to renew it) or the endpoint gave up on the work. */
  get signal() {
    return this.#controller.signal;
  }

  // The next renewal, a third of the lease from `from`; or, for a store that
  // cannot renew, a little before the lease runs out (counted from before
  // begin, so that the signal aborts before another process can begin; one
  // of this endpoint's own attempts that begins first tells it at once,
  // see acquire).
  #schedule(from = Date.now()) {
    const extend = this.#store.extend;
    const lease = this.#leaseSeconds * 1000;
    if (typeof extend !== "function") {
      this.#timer = quietTimeout(
        () => this.#lose(`the lease on event ${this.eventId} expired after leaseSeconds (${this.#leaseSeconds} s) and the dedup store has no extend to renew it; another delivery may start the event now`),
        Math.max(0, from + lease - expiryMargin(lease) - Date.now()),
      );
      return;
    }
    this.#timer = quietTimeout(() => this.#renew(), Math.max(0, from + lease / RENEWALS_PER_LEASE - Date.now()));
  }

  async #renew() {
    if (this.#renewing.signal.aborted) return;
    let kept;
    let cause;
    try {
      kept = await attempt(() => this.#store.extend(this.eventId, this.#leaseSeconds, this.owner));
    } catch (error) {
      cause = error;
    }
    // A done sent just before this renewal replaces the lease: that is not losing it.
    if (kept !== true && this.#doneInFlight !== undefined) {
      const recorded = await this.#doneInFlight.then(
        () => true,
        () => false,
      );
      if (recorded) return;
    }
    if (this.#renewing.signal.aborted) return;
    if (cause !== undefined) {
      this.#lose(`the dedup store failed to renew the lease on event ${this.eventId} (extend threw; the cause is attached); another delivery may start the event once it expires`, cause);
    } else if (kept === true) {
      this.#schedule();
    } else {
      this.#lose(`the lease on event ${this.eventId} is no longer this attempt's (extend answered ${describeValue(kept)}): it expired and another delivery may have started the event`);
    }
  }

  // The lease is gone: the signal aborts (done, a fact, is still recorded if the work succeeds).
  #lose(message, cause) {
    if (this.#renewing.signal.aborted) return;
    const error = endpointError("lease_lost", message, cause);
    this.#stopRenewing();
    this.#controller.abort(error);
    this.#report(error, this.eventId);
  }

  #stopRenewing() {
    clearTimeout(this.#timer);
    this.#renewing.abort();
    this.#active.delete(this);
  }

  /** Another attempt of this endpoint began the event (this lease ran out): the signal aborts with `lease_lost`. */
  takenOver() {
    this.#lose(`the lease on event ${this.eventId} ran out and another delivery of it has started (leaseSeconds: ${this.#leaseSeconds} s); stop this run`);
  }

  /** Gives up on the work (a drain ran out of time): the signal aborts with `reason`, renewing and retrying stop, the lease expires. */
  abort(reason) {
    this.#stopRenewing();
    this.#givenUp.abort();
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  /**
   * The work failed: stop renewing and release the lease (only this
   * attempt's), so that the next delivery runs the work again. A release
   * that fails is reported; the lease then expires on its own.
   */
  async failed() {
    if (this.#finish()) return;
    this.#stopRenewing();
    if (this.#store === false) return;
    try {
      await this.#store.release(this.eventId, this.owner);
    } catch (cause) {
      this.#report(storeFailure("release", this.eventId, cause), this.eventId);
    }
  }

  /**
   * The work succeeded: record the event done (kept DEDUP_TTL_SECONDS),
   * retrying with backoff. Resolves true once recorded by `deadline`
   * (Date.now() ms), false otherwise: then the failure is reported, the
   * lease stays held (renewed, so a copy delivered meanwhile is answered
   * `in_progress`, not run) and done is retried in the background (see
   * `pending`) until it is recorded, for at most DONE_RETRY_WINDOW_MS or
   * until `abort`.
   */
  async succeeded({ deadline = Date.now() } = {}) {
    if (this.#finish()) return true;
    if (this.#store === false) {
      this.#stopRenewing();
      return true;
    }
    const recording = this.#record(Date.now() + DONE_RETRY_WINDOW_MS);
    const finalReport = ({ recorded, cause }) => {
      if (!recorded && !this.#givenUp.signal.aborted) this.#report(storeFailure("done", this.eventId, cause), this.eventId);
      return recorded;
    };
    // No deadline (the answer was given already): as long as it takes.
    if (!Number.isFinite(deadline)) return finalReport(await recording);
    const settled = await settleBefore(
      recording.then((r) => r.recorded),
      deadline,
    );
    if (!settled.late) return settled.value || finalReport(await recording);
    this.#report(
      endpointError(
        "dedup_unavailable",
        `the work on event ${this.eventId} succeeded but the dedup store did not record it done by the deadline; done is retried in the background while this process holds the lease (a copy delivered meanwhile is answered in_progress); if the process stops first, a later copy of the event runs it again`,
        this.#lastDoneError,
      ),
      this.eventId,
    );
    this.pending = recording.then(finalReport);
    return false;
  }

  // true when the attempt had already finished (a second call does nothing).
  #finish() {
    const was = this.#finished;
    this.#finished = true;
    return was;
  }

  // done until it is recorded, the window closes or the lease is given up on;
  // renewing meanwhile. `{ recorded, cause }` with the last failure.
  async #record(giveUpAt) {
    let cause;
    for (let i = 0; !this.#givenUp.signal.aborted; i++) {
      try {
        this.#doneInFlight = attempt(() => this.#store.done(this.eventId, DEDUP_TTL_SECONDS));
        await this.#doneInFlight;
        this.#stopRenewing();
        return { recorded: true };
      } catch (error) {
        cause = error;
        this.#lastDoneError = error;
      } finally {
        this.#doneInFlight = undefined;
      }
      const wait = DONE_RETRY_DELAYS_MS[Math.min(i, DONE_RETRY_DELAYS_MS.length - 1)];
      if (Date.now() + wait > giveUpAt) break;
      await sleep(wait, this.#givenUp.signal);
    }
    this.#stopRenewing();
    return { recorded: false, cause };
  }
}
