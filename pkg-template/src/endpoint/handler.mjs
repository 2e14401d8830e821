// A ready-made endpoint over LarkWebhook (Fetch-style; node:http through
// toNodeListener) that handles each event before it answers, or queues it.
// createHandler checks its options and returns the handler; an Endpoint
// holds what one handler needs per request. Runtime-neutral.

import { ENDPOINT_CODES, ENDPOINT_MESSAGES } from "../core/answers.mjs";
import { LarkWebhookError, configError } from "../core/errors.mjs";
import { LarkWebhook } from "../core/webhook.mjs";
import { DEFAULT_DEADLINE_MS, DEFAULT_LEASE_SECONDS, MemoryDedupStore, RETRY_WINDOW_SECONDS, dedupStoreProblem } from "./dedup.mjs";
import { attempt, handlerFor, handlersProblem, leases, newOwner, positiveNumberProblem, settleBefore } from "./delivery.mjs";

function json(body, status = 200, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

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
export function createHandler(options = {}) {
  const endpoint = new Endpoint(options);
  const running = endpoint.running;

  function handle(request, ...rest) {
    return endpoint.track(endpoint.respond(request, rest, Date.now() + endpoint.deadlineMs));
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

/** One handler's configuration, and the work it started that may still run. */
class Endpoint {
  constructor(options) {
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
    this.hook = new LarkWebhook(hookOptions);
    Object.assign(this, { on, onError, store, enqueue, deadlineMs, leaseSeconds, clock });
    this.running = new Set();
  }

  // Work that outlives its request (a late handler, onError): kept alive on
  // Workers with ctx.waitUntil and tracked for drain everywhere.
  track(promise, ctx) {
    const settled = promise.then(
      () => {},
      () => {},
    );
    this.running.add(settled);
    settled.then(() => this.running.delete(settled));
    ctx?.waitUntil(settled);
    return promise;
  }

  report(error, inbound, context) {
    try {
      const { onError } = this;
      const result = onError(error, inbound, context);
      if (result && typeof result.then === "function") this.track(Promise.resolve(result), context.ctx);
    } catch {
      // onError itself failed; the answer already tells the platform to retry.
    }
  }

  async respond(request, rest, deadline) {
    const ctx = rest.find((arg) => arg && typeof arg.waitUntil === "function");
    const env = rest[0] === ctx ? undefined : rest[0];
    const context = { request, env, ctx };
    if (request.method !== "POST") return answer(endpointError("method_not_allowed"), { allow: "POST" });
    let inbound;
    try {
      const { clock } = this;
      inbound = await this.hook.parseRequest(request, clock() / 1000);
    } catch (error) {
      if (isLarkError(error)) {
        // Our configuration or the runtime failed (key_required, a body
        // already read...): the platform retries and the operator must know.
        if (error.status >= 500) this.report(error, undefined, context);
        return json(typeof error.toJSON === "function" ? error.toJSON() : { code: error.code, message: error.message }, error.status);
      }
      this.report(error, undefined, context);
      return answer(endpointError("internal_error"));
    }
    if (inbound.kind === "challenge") return json(inbound.response);
    return this.enqueue === undefined ? this.handleEvent(inbound, context, deadline) : this.handOff(inbound, context, deadline);
  }

  async handleEvent(inbound, context, deadline) {
    const { store } = this;
    const id = inbound.header.event_id;
    const fn = handlerFor(this.on, inbound.event_type);
    if (store === false) return fn === undefined ? json({ ok: true }) : this.runHandler(fn, inbound, context, deadline);
    const owner = newOwner();
    const report = (e) => this.report(e, inbound, context);
    const begun = leases.begin(store, id, this.leaseSeconds, owner);
    const settled = await settleBefore(begun, deadline);
    if (settled.late) {
      // The store may still grant the lease: give it back, nobody will run it.
      this.track(
        begun.then((state) => (state === "new" ? leases.finish(store, id, owner, false, report) : undefined)),
        context.ctx,
      );
      const error = endpointError("dedup_unavailable", `the dedup store did not answer begin for event ${id} within deadlineMs (${this.deadlineMs} ms); the platform will retry`);
      report(error);
      return answer(error);
    }
    if (!settled.ok) {
      report(settled.error);
      return answer(endpointError("dedup_unavailable"));
    }
    if (settled.value === "done") return json({ ok: true });
    if (settled.value === "in_progress") {
      const error = endpointError("in_progress", `another delivery of event ${id} is being handled; the platform's retry will get its outcome`);
      report(error);
      return answer(error);
    }
    if (fn === undefined) {
      await leases.finish(store, id, owner, true, report);
      return json({ ok: true });
    }
    return this.runHandler(fn, inbound, context, deadline, owner);
  }

  async runHandler(fn, inbound, context, deadline, owner) {
    const { store } = this;
    const id = inbound.header.event_id;
    const report = (e) => this.report(e, inbound, context);
    const outcome = attempt(() => fn(inbound, context)).then(
      async () => {
        if (store !== false) await leases.finish(store, id, owner, true, report);
        return true;
      },
      async (error) => {
        if (store !== false) await leases.finish(store, id, owner, false, report);
        report(error);
        return false;
      },
    );
    this.track(outcome, context.ctx);
    const settled = await settleBefore(outcome, deadline);
    if (settled.late) {
      const error = endpointError(
        "in_progress",
        `the handler for event ${id} is still running after deadlineMs (${this.deadlineMs} ms); it keeps running and the platform will retry`,
      );
      report(error);
      return answer(error);
    }
    return settled.value ? json({ ok: true }) : answer(endpointError("handler_failed"));
  }

  async handOff(inbound, context, deadline) {
    const { enqueue } = this;
    const report = (e) => this.report(e, inbound, context);
    const queued = this.track(
      attempt(() => enqueue(inbound, context)),
      context.ctx,
    );
    const settled = await settleBefore(queued, deadline);
    if (settled.late) {
      // If it still succeeds, the retry queues a duplicate: the consumer dedups.
      queued.catch(report);
      const error = endpointError("enqueue_timeout", `enqueue did not resolve for event ${inbound.header.event_id} within deadlineMs (${this.deadlineMs} ms); the platform will retry`);
      report(error);
      return answer(error);
    }
    if (settled.ok) return json({ ok: true });
    report(settled.error);
    return answer(endpointError("enqueue_failed"));
  }
}

function defaultOnError(error, inbound) {
  const where = inbound ? `${inbound.event_type} ${inbound.header.event_id}` : "a request";
  console.error(`larkhook: ${error?.code ?? "error"} for ${where}:`, error);
}
