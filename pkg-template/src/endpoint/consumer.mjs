// The queue side of createHandler({ enqueue }): runs `on` for queued events
// once per event id, under the same leases as createHandler (lease.mjs), and
// throws when an event is not handled (the queue retries).

import { DEFAULT_LEASE_SECONDS, MemoryDedupStore, dedupStoreProblem } from "./dedup.mjs";
import { handlerFor, handlersProblem, positiveNumberProblem } from "./delivery.mjs";
import { attempt, makeLeases } from "./lease.mjs";
import { ENDPOINT_CODES } from "../core/answers.mjs";
import { LarkWebhookError, configError } from "../core/errors.mjs";

/** How long a consumer retries done after a handler succeeded before it acknowledges anyway (then done is retried in the background). */
export const CONSUMER_DONE_WAIT_MS = 10_000;

/** `async (inbound, context) => void`: resolves = acknowledge, throws = retry (see types/endpoint.d.ts). */
export function createConsumer(options = {}) {
  if (options === null || typeof options !== "object") throw configError("createConsumer expects an options object");
  const { on = {}, onError = defaultOnError, dedup, leaseSeconds = DEFAULT_LEASE_SECONDS, clock = Date.now } = options;
  const problem =
    handlersProblem(on) ??
    (typeof onError === "function" ? undefined : "onError must be a function") ??
    positiveNumberProblem(leaseSeconds, "leaseSeconds", "seconds") ??
    (typeof clock === "function" ? undefined : "clock must be a function returning milliseconds, like Date.now") ??
    (dedup === undefined ? undefined : dedupStoreProblem(dedup));
  if (problem) throw configError(problem);
  const store = dedup === undefined ? new MemoryDedupStore({ clock }) : dedup;
  const leases = makeLeases();

  async function report(error, inbound, context) {
    try {
      await onError(error, inbound, context);
    } catch {
      // onError itself failed; the thrown error still makes the queue retry.
    }
  }

  return async function consume(inbound, context = {}) {
    const id = inbound?.header?.event_id;
    if (typeof id !== "string" || id === "" || typeof inbound.event_type !== "string") {
      throw new LarkWebhookError("invalid_argument", 500, "consume expects an event as createHandler parsed it (with header.event_id and event_type)");
    }
    const fn = handlerFor(on, inbound.event_type);
    let taken;
    try {
      taken = await leases.acquire(store, id, leaseSeconds, { report: (e) => report(e, inbound, context) });
    } catch (error) {
      await report(error, inbound, context);
      throw error;
    }
    if (taken.state === "done") return;
    if (taken.state === "in_progress") {
      throw new LarkWebhookError(
        "in_progress",
        ENDPOINT_CODES.in_progress,
        `another consumer is handling event ${id}; retry the message after the lease (${leaseSeconds} s) expires`,
      );
    }
    const { lease } = taken;
    if (fn !== undefined) {
      try {
        // The context given, with the lease's signal added.
        await attempt(() => fn(inbound, { ...context, signal: lease.signal }));
      } catch (error) {
        await lease.failed();
        await report(error, inbound, context);
        throw error;
      }
    }
    // Handled: acknowledged even when done is not recorded in time (it is retried meanwhile).
    await lease.succeeded({ deadline: Date.now() + CONSUMER_DONE_WAIT_MS });
  };
}

function defaultOnError(error, inbound) {
  const where = inbound?.header ? `${inbound.event_type} ${inbound.header.event_id}` : "a queued event";
  console.error(`larkhook: ${error?.code ?? "handler failed"} for ${where}:`, error);
}
