// A ready-made endpoint over LarkWebhook (Fetch-style; node:http through
// toNodeListener) that handles each event before it answers, or queues it;
// and a one-line summary of an event for logs. Runtime-neutral.

import { makeConsumerApi } from "./consumer.mjs";
import { DEFAULT_DEADLINE_MS, DEFAULT_LEASE_SECONDS, MemoryDedupStore, RETRY_WINDOW_SECONDS, dedupStoreProblem } from "./dedup.mjs";
import { attempt, handlerFor, handlersProblem, makeLeases, newOwner, positiveNumberProblem, settleBefore } from "./delivery.mjs";
import { ENDPOINT_CODES, ENDPOINT_MESSAGES } from "./answers.mjs";
import { EventType } from "./codes.generated.mjs";
import { makeRedisDedupStore } from "./redis.mjs";

function json(body, status = 200, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function makeHandlerApi({ LarkWebhook, LarkWebhookError, label }) {
  const leases = makeLeases(LarkWebhookError);
  const configError = (message) => new LarkWebhookError("invalid_config", 500, `invalid configuration: ${message}`);
  const endpointError = (code, message = ENDPOINT_MESSAGES[code]) => new LarkWebhookError(code, ENDPOINT_CODES[code], message);
  const answer = (error, headers) => json({ code: error.code, message: error.message }, error.status, headers);
  const isLarkError = (error) =>
    error instanceof LarkWebhookError ||
    (error?.name === "LarkWebhookError" && typeof error.code === "string" && typeof error.status === "number");

  /**
   * `(request, ...rest) => Promise<Response>` (a Worker's fetch, Deno.serve,
   * Bun.serve, toNodeListener) with `drain()`: 200 only once the event was
   * handled (or queued), a 5xx otherwise so the platform retries. See api.d.ts.
   */
  function createHandler(options = {}) {
    if (options === null || typeof options !== "object") throw configError("createHandler expects an options object");
    const {
      on = {},
      onError = defaultOnError,
      dedup,
      enqueue,
      deadlineMs = DEFAULT_DEADLINE_MS,
      leaseSeconds = DEFAULT_LEASE_SECONDS,
      clock = Date.now,
      ...hookOptions
    } = options;
    const problem =
      handlersProblem(on) ??
      (typeof onError === "function" ? undefined : "onError must be a function") ??
      (enqueue === undefined || typeof enqueue === "function" ? undefined : "enqueue must be a function (inbound, context) => Promise") ??
      positiveNumberProblem(deadlineMs, "deadlineMs", "milliseconds") ??
      positiveNumberProblem(leaseSeconds, "leaseSeconds", "seconds") ??
      (typeof clock === "function" ? undefined : "clock must be a function returning milliseconds, like Date.now") ??
      (dedup === undefined ? undefined : dedupStoreProblem(dedup));
    if (problem) throw configError(problem);
    const store = dedup === undefined ? new MemoryDedupStore({ clock }) : dedup;
    // Retries may carry their first attempt's timestamp (SECURITY.md, "Retry
    // timestamps"). Where ids are remembered longer than the retry window, an
    // old signed delivery is safe: a replay finds its id done.
    if (hookOptions.toleranceSeconds === undefined && (enqueue !== undefined || store !== false)) {
      hookOptions.toleranceSeconds = RETRY_WINDOW_SECONDS;
    }
    const hook = new LarkWebhook(hookOptions);
    const running = new Set();

    // Work that outlives its request (a late handler, onError): kept alive on
    // Workers with ctx.waitUntil and tracked for drain everywhere.
    function track(promise, ctx) {
      const settled = promise.then(
        () => {},
        () => {},
      );
      running.add(settled);
      settled.then(() => running.delete(settled));
      ctx?.waitUntil(settled);
      return promise;
    }

    function report(error, inbound, context) {
      try {
        const result = onError(error, inbound, context);
        if (result && typeof result.then === "function") track(Promise.resolve(result), context.ctx);
      } catch {
        // onError itself failed; the answer already tells the platform to retry.
      }
    }

    async function runHandler(fn, inbound, context, deadline, owner) {
      const id = inbound.header.event_id;
      const outcome = attempt(() => fn(inbound, context)).then(
        async () => {
          if (store !== false) await leases.finish(store, id, owner, true, (e) => report(e, inbound, context));
          return true;
        },
        async (error) => {
          if (store !== false) await leases.finish(store, id, owner, false, (e) => report(e, inbound, context));
          report(error, inbound, context);
          return false;
        },
      );
      track(outcome, context.ctx);
      const settled = await settleBefore(outcome, deadline);
      if (settled.late) {
        const error = endpointError(
          "in_progress",
          `the handler for event ${id} is still running after deadlineMs (${deadlineMs} ms); it keeps running and the platform will retry`,
        );
        report(error, inbound, context);
        return answer(error);
      }
      return settled.value ? json({ ok: true }) : answer(endpointError("handler_failed"));
    }

    async function handleEvent(inbound, context, deadline) {
      const id = inbound.header.event_id;
      const fn = handlerFor(on, inbound.event_type);
      if (store === false) return fn === undefined ? json({ ok: true }) : runHandler(fn, inbound, context, deadline);
      const owner = newOwner();
      const begun = leases.begin(store, id, leaseSeconds, owner);
      const settled = await settleBefore(begun, deadline);
      if (settled.late) {
        // The store may still grant the lease: give it back, nobody will run it.
        track(
          begun.then((state) => (state === "new" ? leases.finish(store, id, owner, false, (e) => report(e, inbound, context)) : undefined)),
          context.ctx,
        );
        const error = endpointError("dedup_unavailable", `the dedup store did not answer begin for event ${id} within deadlineMs (${deadlineMs} ms); the platform will retry`);
        report(error, inbound, context);
        return answer(error);
      }
      if (!settled.ok) {
        report(settled.error, inbound, context);
        return answer(endpointError("dedup_unavailable"));
      }
      if (settled.value === "done") return json({ ok: true });
      if (settled.value === "in_progress") {
        const error = endpointError("in_progress", `another delivery of event ${id} is being handled; the platform's retry will get its outcome`);
        report(error, inbound, context);
        return answer(error);
      }
      if (fn === undefined) {
        await leases.finish(store, id, owner, true, (e) => report(e, inbound, context));
        return json({ ok: true });
      }
      return runHandler(fn, inbound, context, deadline, owner);
    }

    async function handOff(inbound, context, deadline) {
      const queued = track(attempt(() => enqueue(inbound, context)), context.ctx);
      const settled = await settleBefore(queued, deadline);
      if (settled.late) {
        // If it still succeeds, the retry queues a duplicate: the consumer dedups.
        queued.catch((error) => report(error, inbound, context));
        const error = endpointError("enqueue_timeout", `enqueue did not resolve for event ${inbound.header.event_id} within deadlineMs (${deadlineMs} ms); the platform will retry`);
        report(error, inbound, context);
        return answer(error);
      }
      if (settled.ok) return json({ ok: true });
      report(settled.error, inbound, context);
      return answer(endpointError("enqueue_failed"));
    }

    async function respond(request, rest, deadline) {
      const ctx = rest.find((arg) => arg && typeof arg.waitUntil === "function");
      const env = rest[0] === ctx ? undefined : rest[0];
      const context = { request, env, ctx };
      if (request.method !== "POST") return answer(endpointError("method_not_allowed"), { allow: "POST" });
      let inbound;
      try {
        inbound = await hook.parseRequest(request, clock() / 1000);
      } catch (error) {
        if (isLarkError(error)) {
          // Our configuration or the runtime failed (key_required, a body
          // already read...): the platform retries and the operator must know.
          if (error.status >= 500) report(error, undefined, context);
          return json(typeof error.toJSON === "function" ? error.toJSON() : { code: error.code, message: error.message }, error.status);
        }
        report(error, undefined, context);
        return answer(endpointError("internal_error"));
      }
      if (inbound.kind === "challenge") return json(inbound.response);
      return enqueue === undefined ? handleEvent(inbound, context, deadline) : handOff(inbound, context, deadline);
    }

    function handle(request, ...rest) {
      return track(respond(request, rest, Date.now() + deadlineMs));
    }

    // true once nothing this endpoint started is running; false after timeoutMs.
    handle.drain = async function drain({ timeoutMs = 10_000 } = {}) {
      const giveUp = Date.now() + timeoutMs;
      while (running.size > 0) {
        const settled = await settleBefore(Promise.all([...running]), giveUp);
        if (settled.late) return false;
      }
      return true;
    };
    Object.defineProperty(handle, "pending", { get: () => running.size, enumerable: true });
    return handle;
  }

  function defaultOnError(error, inbound) {
    const where = inbound ? `${inbound.event_type} ${inbound.header.event_id}` : "a request";
    console.error(`larkhook: ${error?.code ?? "error"} for ${where}:`, error);
  }

  /**
   * One readable line for a log: event type, ticket, status with its label,
   * who sent what. E.g.
   * `helpdesk.ticket.updated_v1 ticket 6626871355780366331: processing (2) → closed by bot (50)`.
   */
  function summarize(inbound) {
    if (inbound.kind === "challenge") return `url_verification challenge ${JSON.stringify(inbound.challenge)}`;
    const head = `${inbound.event_type} [${inbound.header.event_id}]`;
    if (inbound.kind !== "event") {
      return inbound.decode_error ? `${head} (untyped: ${inbound.decode_error})` : `${head} (untyped)`;
    }
    const status = (code) => (code === undefined ? "?" : `${label("status", code)} (${code})`);
    const e = inbound.event;
    switch (inbound.event_type) {
      case EventType.TicketCreatedV1:
        return `${head} ticket ${e.ticket_id ?? "?"} created by ${e.guest?.name ?? "?"}: ${status(e.status)}, stage ${e.stage === undefined ? "?" : label("stage", e.stage)}`;
      case EventType.TicketUpdatedV1: {
        const before = e.old_object?.status;
        const after = e.object?.status;
        const change = before === undefined ? status(after) : `${status(before)} → ${status(after)}`;
        return `${head} ticket ${e.object?.ticket_id ?? "?"}: ${change}`;
      }
      case EventType.TicketMessageCreatedV1: {
        const sender = e.sender_type === undefined ? "someone" : label("sender_type", e.sender_type);
        return `${head} ticket ${e.ticket?.ticket_id ?? "?"}: ${sender} wrote ${JSON.stringify(e.text ?? e.content?.content ?? "")}`;
      }
      default:
        return head;
    }
  }

  return { createHandler, summarize, MemoryDedupStore, ENDPOINT_CODES, ...makeConsumerApi({ LarkWebhookError }), ...makeRedisDedupStore({ LarkWebhookError }) };
}
