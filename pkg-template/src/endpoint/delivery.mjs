// Shared by createHandler and createConsumer: handler lookup, option checks,
// lease owners, deadlines, and the store calls around a handler.

import { DEDUP_TTL_SECONDS, isDedupState } from "./dedup.mjs";
import { ENDPOINT_CODES } from "../core/answers.mjs";
import { LarkWebhookError } from "../core/errors.mjs";

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

function storeFailure(operation, eventId, cause) {
  const error = new LarkWebhookError(
    "dedup_unavailable",
    ENDPOINT_CODES.dedup_unavailable,
    `the dedup store failed in ${operation} for event ${eventId}; check the store (the cause is attached)`,
  );
  if (cause !== undefined) error.cause = cause;
  return error;
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

/** begin and finish, the store's failures as `dedup_unavailable` errors with the store's error as `cause`. */
export const leases = Object.freeze({ begin, finish, storeFailure });
