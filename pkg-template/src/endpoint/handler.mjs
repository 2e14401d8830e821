// A ready-made endpoint over LarkWebhook (Fetch-style; node:http through
// toNodeListener) that handles each event before it answers, or queues it.
// createHandler checks its options and returns the handler; an Endpoint
// holds what one handler needs per request. Runtime-neutral.

import { LarkWebhookError, configError } from "../core/errors.mjs";
import { LarkWebhook } from "../core/webhook.mjs";
import { DEFAULT_DEADLINE_MS, DEFAULT_LEASE_SECONDS, MemoryDedupStore, RETRY_WINDOW_SECONDS, dedupStoreProblem } from "./dedup.mjs";
import { errorToast, isCallback, makeCallbackRunner } from "./callback.mjs";
import { handlerFor, handlersProblem, positiveNumberProblem } from "./delivery.mjs";
import { attempt, endpointError, makeLeases, settleBefore } from "./lease.mjs";

function json(body, status = 200, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

const answer = (error, headers) => json({ code: error.code, message: error.message }, error.status, headers);
const isLarkError = (error) =>
  error instanceof LarkWebhookError ||
  (error?.name === "LarkWebhookError" && typeof error.code === "string" && typeof error.status === "number");

/**
 * `(request, ...rest) => Promise<Response>` (a Worker's fetch, Deno.serve,
 * Bun.serve, toNodeListener) with `drain()`: 200 only once the event was
 * handled (or queued), a 5xx otherwise so the platform retries. `options`
 * may be a function returning them, read on the first request. See types/endpoint.d.ts.
 */
export function createHandler(options = {}) {
  if (typeof options === "function") return createdOnFirstRequest(options);
  const endpoint = new Endpoint(options);
  const running = endpoint.running;

  function handle(request, ...rest) {
    return endpoint.track(endpoint.respond(request, rest, Date.now() + endpoint.deadlineMs));
  }

  // true once nothing this endpoint started is running; false after
  // timeoutMs, when every handler still running is told (its signal aborts)
  // and its lease is left to expire, so that the platform's retry runs it.
  handle.drain = async function drain({ timeoutMs = 10_000 } = {}) {
    const giveUp = Date.now() + timeoutMs;
    while (running.size > 0) {
      const settled = await settleBefore(Promise.all([...running]), giveUp);
      if (settled.late) {
        endpoint.leases.abortAll(endpointError("drain_timeout", `drain gave up after timeoutMs (${timeoutMs} ms) with this handler still running; its lease is left to expire and the platform's retry runs the event again`));
        return false;
      }
    }
    return true;
  };
  Object.defineProperty(handle, "pending", { get: () => running.size, enumerable: true });
  return handle;
}

/**
 * createHandler(configure): the handler is made on the first request from
 * `configure(env)` (a Worker's env arrives with the request; `{}` where
 * there is none), so a module can export it before its secrets exist: a
 * Next.js build imports routes without them. While `configure` or the
 * options it returns are refused, each request is answered 500 with the
 * reason (the platform retries) and the next request tries again.
 */
function createdOnFirstRequest(configure) {
  let handler;
  function handle(request, ...rest) {
    if (handler === undefined) {
      const env = rest[0] !== null && typeof rest[0] === "object" && typeof rest[0].waitUntil !== "function" ? rest[0] : {};
      try {
        handler = createHandler(configure(env));
      } catch (error) {
        return Promise.resolve(notConfigured(error));
      }
    }
    return handler(request, ...rest);
  }
  handle.drain = (options) => (handler === undefined ? Promise.resolve(true) : handler.drain(options));
  Object.defineProperty(handle, "pending", { get: () => handler?.pending ?? 0, enumerable: true });
  return handle;
}

/** The answer while the options are refused: the configuration error (500), or internal_error for anything else. */
function notConfigured(error) {
  const known = isLarkError(error) && error.code === "invalid_config";
  console.error(`larkhook: the handler's options are refused: ${known ? error.message : (error?.stack ?? error)}`);
  return answer(known ? error : endpointError("internal_error", "the function given to createHandler threw; see the server's log"));
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
      callbackErrorToast,
      ...hookOptions
    } = options;
    const toast = errorToast(callbackErrorToast);
    const problem =
      handlersProblem(on) ??
      (typeof onError === "function" ? undefined : "onError must be a function") ??
      (enqueue === undefined || typeof enqueue === "function" ? undefined : "enqueue must be a function (inbound, context) => Promise") ??
      positiveNumberProblem(deadlineMs, "deadlineMs", "milliseconds") ??
      positiveNumberProblem(leaseSeconds, "leaseSeconds", "seconds") ??
      (typeof clock === "function" ? undefined : "clock must be a function returning milliseconds, like Date.now") ??
      (dedup === undefined ? undefined : dedupStoreProblem(dedup)) ??
      (toast === undefined ? "callbackErrorToast must be the toast's text, or a toast { type?, content, i18n? }" : undefined);
    if (problem) throw configError(problem);
    const store = dedup === undefined ? new MemoryDedupStore({ clock }) : dedup;
    // Retries may carry their first attempt's timestamp (SECURITY.md, "Retry
    // timestamps"). Where ids are remembered longer than the retry window, an
    // old signed delivery is safe: a replay finds its id done. Nothing
    // explains a timestamp from the future: that side keeps the default 300 s.
    if (hookOptions.toleranceSeconds === undefined && hookOptions.maxAgeSeconds === undefined && (enqueue !== undefined || store !== false)) {
      hookOptions.maxAgeSeconds = RETRY_WINDOW_SECONDS;
    }
    this.hook = new LarkWebhook(hookOptions);
    Object.assign(this, { on, onError, store, enqueue, deadlineMs, leaseSeconds, clock });
    this.running = new Set();
    this.leases = makeLeases();
    this.toast = toast;
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
    // A callback is answered with its handler's value, so it is never queued.
    if (isCallback(inbound)) return this.answerCallback(inbound, context, deadline);
    return this.enqueue === undefined ? this.handleEvent(inbound, context, deadline) : this.handOff(inbound, context, deadline);
  }

  // A card callback: its handler's value as the answer (endpoint/callback.mjs).
  async answerCallback(inbound, context, deadline) {
    const runner = makeCallbackRunner({
      on: this.on,
      store: this.store,
      leases: this.leases,
      leaseSeconds: this.leaseSeconds,
      toast: this.toast,
      report: (error) => this.report(error, inbound, context),
      track: (promise) => this.track(promise, context.ctx),
    });
    const { status, body } = await runner(inbound, context, deadline);
    return json(body, status);
  }

  async handleEvent(inbound, context, deadline) {
    const { store } = this;
    const id = inbound.header.event_id;
    const fn = handlerFor(this.on, inbound.event_type);
    const report = (e) => this.report(e, inbound, context);
    const acquiring = this.leases.acquire(store, id, this.leaseSeconds, { report });
    const settled = await settleBefore(acquiring, deadline);
    if (settled.late) {
      // The store may still grant the lease: give it back, nobody will run it.
      this.track(
        acquiring.then((taken) => taken.lease?.failed()),
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
    const { state, lease } = settled.value;
    if (state === "done") return json({ ok: true });
    if (state === "in_progress") {
      const error = endpointError("in_progress", `another delivery of event ${id} is being handled; the platform's retry will get its outcome`);
      report(error);
      return answer(error);
    }
    if (fn === undefined) {
      await lease.succeeded({ deadline });
      this.track(lease.pending, context.ctx);
      return json({ ok: true });
    }
    return this.runHandler(fn, inbound, context, deadline, lease);
  }

  // The handler under its lease (renewed while it runs; `context.signal`
  // aborts when the lease is lost or a drain gives up). Done is retried
  // until the deadline; a handler that succeeded is answered 200 even when
  // done could not be recorded by then (the work is done; done is retried in
  // the background while the lease is kept: SECURITY.md, "Delivery").
  async runHandler(fn, inbound, context, deadline, lease) {
    const id = inbound.header.event_id;
    const report = (e) => this.report(e, inbound, context);
    const handled = attempt(() => fn(inbound, { ...context, signal: lease.signal }));
    const finished = handled.then(
      async () => {
        // After the deadline the answer is given: record done for as long as it takes.
        await lease.succeeded({ deadline: Date.now() < deadline ? deadline : Infinity });
        this.track(lease.pending, context.ctx);
      },
      async (error) => {
        await lease.failed();
        report(error);
      },
    );
    this.track(finished, context.ctx);
    const settled = await settleBefore(handled, deadline);
    if (settled.late) {
      const error = endpointError(
        "in_progress",
        `the handler for event ${id} is still running after deadlineMs (${this.deadlineMs} ms); it keeps running and the platform will retry`,
      );
      report(error);
      return answer(error);
    }
    if (settled.ok) {
      // Done recorded, or, failing that by the deadline (succeeded returns by then), reported and kept trying.
      await finished;
      return json({ ok: true });
    }
    // The lease released (a store that hangs does not hold the answer past the deadline).
    await settleBefore(finished, deadline);
    return answer(endpointError("handler_failed"));
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
  const where = inbound ? (inbound.kind === "card_action" ? "a legacy card callback" : `${inbound.event_type} ${inbound.header.event_id}`) : "a request";
  console.error(`larkhook: ${error?.code ?? "error"} for ${where}:`, error);
}
