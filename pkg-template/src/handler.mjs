// A ready-made webhook endpoint over LarkWebhook: a Fetch-style handler for
// Workers, Deno.serve and Bun.serve, an adapter for node:http, deduplication
// through a pluggable store, and a one-line summary of an event for logs.
// Runtime-neutral: no imports beyond our own modules.

/** The platform retries for about 7.1 hours; keep ids a little longer. */
export const DEDUP_TTL_SECONDS = 8 * 60 * 60;

/**
 * The default dedup store: in memory, bounded in size, entries expire after
 * the platform's retry window. Per process (or isolate): use a shared store
 * (a Durable Object, KV, Redis...) when deliveries can reach several.
 */
export class MemoryDedupStore {
  #seen = new Map();
  #maxEntries;
  #ttlMs;

  constructor({ maxEntries = 10_000, ttlSeconds = DEDUP_TTL_SECONDS } = {}) {
    this.#maxEntries = maxEntries;
    this.#ttlMs = ttlSeconds * 1000;
  }

  /** True the first time an id is claimed within the TTL, false for a duplicate. */
  claim(id) {
    const now = Date.now();
    const expires = this.#seen.get(id);
    if (expires !== undefined && expires > now) return false;
    this.#seen.delete(id);
    this.#seen.set(id, now + this.#ttlMs);
    // Map keeps insertion order: the first entries are the oldest.
    for (const [oldId, oldExpires] of this.#seen) {
      if (this.#seen.size <= this.#maxEntries && oldExpires > now) break;
      this.#seen.delete(oldId);
    }
    return true;
  }

  get size() {
    return this.#seen.size;
  }
}

function json(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export function makeHandlerApi({ LarkWebhook, LarkWebhookError, label }) {
  /**
   * Returns `(request, ...rest) => Promise<Response>`, usable as a Worker's
   * `fetch(request, env, ctx)`, in `Deno.serve`, `Bun.serve`, and in Node
   * through `toNodeListener`.
   *
   * - a challenge is answered with 200 and `{"challenge": ...}`;
   * - a verified event is acknowledged with 200 at once; deduplication and the
   *   handler run afterwards (in `ctx.waitUntil` where the runtime has it), so
   *   a slow or failing handler never makes the platform retry;
   * - a refused delivery gets the error's status and `{"code","message"}`;
   * - an event type with no handler (and no `"*"`) is acknowledged with 200.
   */
  function createHandler(options = {}) {
    const { on = {}, onError = defaultOnError, dedup, ...hookOptions } = options;
    if (typeof on !== "object" || on === null) throw new LarkWebhookError("invalid_config", 500, "invalid configuration: `on` must map event types to functions");
    for (const [type, fn] of Object.entries(on)) {
      if (typeof fn !== "function") throw new LarkWebhookError("invalid_config", 500, `invalid configuration: the handler for ${type} is not a function`);
    }
    const hook = new LarkWebhook(hookOptions);
    const store = dedup === undefined ? new MemoryDedupStore() : dedup;
    if (store !== false && (store === null || typeof store.claim !== "function")) {
      throw new LarkWebhookError("invalid_config", 500, "invalid configuration: `dedup` must have a claim(id) method, or be false");
    }

    async function process(inbound, context) {
      if (store !== false) {
        let first = true;
        try {
          first = await store.claim(inbound.header.event_id, DEDUP_TTL_SECONDS);
        } catch (error) {
          // A broken store must not drop events: handle, and report.
          await report(error, inbound, context);
        }
        if (!first) return;
      }
      const fn = on[inbound.event_type] ?? on["*"];
      if (fn === undefined) return;
      try {
        await fn(inbound, context);
      } catch (error) {
        await report(error, inbound, context);
      }
    }

    async function report(error, inbound, context) {
      try {
        await onError(error, inbound, context);
      } catch {
        // onError itself failed; nothing further can be done without a retry storm.
      }
    }

    return async function handle(request, ...rest) {
      const ctx = rest.find((arg) => arg && typeof arg.waitUntil === "function");
      const env = rest[0] === ctx ? undefined : rest[0];
      if (request.method !== "POST") {
        return json({ code: "method_not_allowed", message: "the platform delivers events with POST" }, 405);
      }
      let inbound;
      try {
        inbound = await hook.parseRequest(request);
      } catch (error) {
        if (error instanceof LarkWebhookError) {
          // A 5xx refusal is ours to fix (e.g. body_already_read): tell onError too.
          if (error.status >= 500) await report(error, undefined, { request, env, ctx });
          return json(error.toJSON(), error.status);
        }
        await report(error, undefined, { request, env, ctx });
        return json({ code: "internal_error", message: "the delivery could not be read" }, 500);
      }
      if (inbound.kind === "challenge") return json(inbound.response);
      const context = { request, env, ctx };
      const work = process(inbound, context);
      if (ctx) ctx.waitUntil(work);
      return json({ ok: true });
    };
  }

  function defaultOnError(error, inbound) {
    const where = inbound ? `${inbound.event_type} ${inbound.header.event_id}` : "request";
    console.error(`larkhook: handler failed for ${where}:`, error);
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
      case "helpdesk.ticket.created_v1":
        return `${head} ticket ${e.ticket_id ?? "?"} created by ${e.guest?.name ?? "?"}: ${status(e.status)}, stage ${e.stage === undefined ? "?" : label("stage", e.stage)}`;
      case "helpdesk.ticket.updated_v1": {
        const before = e.old_object?.status;
        const after = e.object?.status;
        const change = before === undefined ? status(after) : `${status(before)} → ${status(after)}`;
        return `${head} ticket ${e.object?.ticket_id ?? "?"}: ${change}`;
      }
      case "helpdesk.ticket_message.created_v1": {
        const sender = e.sender_type === undefined ? "someone" : label("sender_type", e.sender_type);
        return `${head} ticket ${e.ticket?.ticket_id ?? "?"}: ${sender} wrote ${JSON.stringify(e.text ?? e.content?.content ?? "")}`;
      }
      default:
        return head;
    }
  }

  return { createHandler, summarize, MemoryDedupStore };
}
