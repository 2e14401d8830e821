// Shared by createHandler, createConsumer and the long connection: handler
// lookup and option checks. The lease machinery around a handler (begin,
// renewal, signal, done, release) is lease.mjs, which all three use; its
// small helpers are re-exported here for the modules that import them from this one.

import { attempt, describeValue, newOwner, settleBefore } from "./lease.mjs";

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
