// Shared by createHandler, createConsumer and the long connection: handler
// lookup and option checks. The lease machinery around a handler (begin,
// renewal, signal, done, release) is lease.mjs; its small helpers are
// re-exported here for the modules that import them from this one.

import { DEDUP_TTL_SECONDS, isDedupState } from "./dedup.mjs";
import { attempt, describeValue, newOwner, settleBefore, storeFailure } from "./lease.mjs";

export { attempt, describeValue, newOwner, settleBefore };

/** An own property of `on` (never an inherited one such as "constructor"), then `on["*"]`, then none. */
export function handlerFor(on, eventType) {
  if (typeof eventType === "string" && Object.hasOwn(on, eventType)) return on[eventType];
  if (Object.hasOwn(on, "*")) return on["*"];
  return undefined;
}

/** Why `on` is not a map of event types to functions, or undefined. */
export function handlersProblem(on) {
  if (typeof on !== "object" || on === null || Array.isArray(on)) return "`on` must map event types to functions";
  for (const type of Object.getOwnPropertyNames(on)) {
    if (typeof on[type] !== "function") return `the handler for ${JSON.stringify(type).slice(0, 80)} is not a function`;
  }
  return undefined;
}

/** Why a number option is unusable, or undefined. */
export function positiveNumberProblem(value, name, unit) {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) return `${name} must be a positive number of ${unit}`;
  return undefined;
}

/** The store's answer to begin; throws a dedup_unavailable error when it fails or answers nonsense. */
function begin(store, eventId, leaseSeconds, owner) {
  return attempt(() => store.begin(eventId, leaseSeconds, owner)).then(
    (state) => {
      if (isDedupState(state)) return state;
      throw storeFailure("begin", eventId, new TypeError(`begin returned ${describeValue(state)}, not "new", "done" or "in_progress"`));
    },
    (cause) => {
      throw storeFailure("begin", eventId, cause);
    },
  );
}

// After the handler: done or release. A failure here is reported, not
// thrown: the handler's outcome stands, the lease expires on its own.
async function finish(store, eventId, owner, succeeded, report) {
  const operation = succeeded ? "done" : "release";
  try {
    if (succeeded) await store.done(eventId, DEDUP_TTL_SECONDS);
    else await store.release(eventId, owner);
  } catch (cause) {
    report(storeFailure(operation, eventId, cause));
  }
}

/**
 * begin and finish without renewal or a signal, for the long connection
 * until it moves to lease.mjs's `makeLeases` (which createHandler and
 * createConsumer use); the store's failures as `dedup_unavailable` errors.
 */
export const leases = Object.freeze({ begin, finish, storeFailure });
