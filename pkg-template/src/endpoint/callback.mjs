// Card callbacks (card.action.trigger, and the legacy message-card
// callback, kind "card_action"): the platform waits up to 3 s for an answer
// with a body (a toast, a card) and never retries. So, unlike an event:
// - the handler's resolved value is the answer (`{}` for nothing);
// - a handler that throws is answered 200 with an error toast the user sees
//   (no internal detail; the error goes to onError), since a 5xx would only
//   show the platform's own error and nothing retries;
// - a handler still running at the deadline is answered `{}` and keeps
//   running (the card can be updated later with `event.token`);
// - only the callback's own handler runs (`on["card.action.trigger"]`,
//   `on["card_action"]`), never the catch-all `"*"`; none answers `{}`;
// - a duplicate (same event_id) is answered `{}`, never 503; the legacy
//   callback has no event_id and is not deduplicated; a dedup store that
//   fails does not stop the click from being handled (it is reported).
// runCallback is the one function both inbound paths call: createHandler
// over HTTP, and the long connection for its `card` frames.
//
// Imports the endpoint's codes, the error class, the generated callback
// types, and the lease machinery's helpers.

import { CALLBACK_TYPES } from "../core/codes.generated.mjs";
import { attempt, endpointError, settleBefore } from "./lease.mjs";

/** The toast a user sees when the callback's handler threw (override with `callbackErrorToast`). */
export const DEFAULT_CALLBACK_ERROR_TOAST = Object.freeze({
  type: "error",
  content: "Something went wrong. Please try again.",
  i18n: Object.freeze({ zh_cn: "出错了，请重试。", en_us: "Something went wrong. Please try again." }),
});

/** Whether a parsed delivery is a callback, answered with its handler's value. */
export function isCallback(inbound) {
  // The legacy callback's result carries event_type "card_action" too.
  return CALLBACK_TYPES.includes(inbound.event_type);
}

/** Why a handler's value cannot be a callback's answer, or undefined. */
export function callbackAnswerProblem(value) {
  if (value === undefined) return undefined;
  const plain = value !== null && typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value));
  if (!plain) return `a card callback's handler must resolve to a plain object ({ toast?, card? }) or nothing, not ${describe(value)}`;
  try {
    JSON.stringify(value);
  } catch (error) {
    return `a card callback's handler resolved to an object that is not JSON (${error.message})`;
  }
  return undefined;
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an instance of ${value.constructor?.name ?? "a class"}`;
  return `a ${typeof value}`;
}

/** `callbackErrorToast` as a toast: a string is its text; an object is used as given. Undefined when it is neither. */
export function errorToast(option) {
  if (option === undefined) return DEFAULT_CALLBACK_ERROR_TOAST;
  if (typeof option === "string" && option !== "") return { type: "error", content: option };
  if (option !== null && typeof option === "object" && typeof option.content === "string") return { type: "error", ...option };
  return undefined;
}

/**
 * `runCallback(inbound, context, deadline)` for one endpoint: resolves to
 * `{ status, body }`, the answer to give (200 with the handler's value, `{}`
 * or the error toast; 500 with `{ code, message }` when the value cannot be
 * an answer). Never rejects. `leases` and `store` are the endpoint's; `report`
 * routes an error to onError; `track` keeps work that outlives the answer
 * alive (ctx.waitUntil, drain).
 */
export function makeCallbackRunner({ on, store, leases, leaseSeconds, toast, report, track }) {
  // The event's lease, or none: a legacy callback (no event_id), or a store
  // that failed or was late (reported; the click is handled all the same).
  async function acquire(inbound, deadline) {
    // A legacy callback has no header, hence no event_id.
    const id = inbound.header?.event_id;
    if (id === undefined || id === "") return { state: "new" };
    const acquiring = leases.acquire(store, id, leaseSeconds, { report: (e) => report(e, inbound) });
    const settled = await settleBefore(acquiring, deadline);
    if (settled.late) {
      track(acquiring.then((taken) => taken.lease?.failed()));
      report(endpointError("dedup_unavailable", `the dedup store did not answer begin for callback ${id} within the deadline; the callback was handled without a lease`), inbound);
      return { state: "new" };
    }
    if (!settled.ok) {
      report(settled.error, inbound);
      return { state: "new" };
    }
    return settled.value;
  }

  return async function runCallback(inbound, context, deadline) {
    const taken = await acquire(inbound, deadline);
    // A duplicate (or one still being handled): answered without a change.
    if (taken.state !== "new") return { status: 200, body: {} };
    const { lease } = taken;
    // Only the callback's own handler: the catch-all "*" is for events, whose
    // handlers' values are not answers.
    const type = inbound.event_type;
    const fn = Object.hasOwn(on, type) ? on[type] : undefined;
    if (fn === undefined) {
      if (lease) track(lease.succeeded({ deadline }).then(() => lease.pending));
      return { status: 200, body: {} };
    }
    const handled = attempt(() => fn(inbound, lease ? { ...context, signal: lease.signal } : context));
    // The outcome recorded whenever it comes, after the answer if need be.
    track(
      handled.then(
        () => lease?.succeeded({ deadline: Infinity }).then(() => lease.pending),
        (error) => {
          report(error, inbound);
          return lease?.failed();
        },
      ),
    );
    const settled = await settleBefore(handled, deadline);
    // Still running: answered without a change; the card can be updated later with event.token.
    if (settled.late) return { status: 200, body: {} };
    // It threw (reported above): the user sees the error toast, never the error.
    if (!settled.ok) return { status: 200, body: { toast } };
    const problem = callbackAnswerProblem(settled.value);
    if (problem) {
      const error = endpointError("invalid_callback_answer", problem);
      report(error, inbound);
      return { status: error.status, body: error.toJSON() };
    }
    return { status: 200, body: settled.value ?? {} };
  };
}
