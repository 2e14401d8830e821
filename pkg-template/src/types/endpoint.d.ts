
// ---- The endpoint helper ----

/** Context handed to event handlers on the HTTP path (and to `enqueue` and `onError`). */
export interface HandlerContext {
  /** The request the event came in. */
  request: Request;
  /** The Worker's `env` (bindings), when the handler is a Worker's `fetch`. */
  env?: unknown;
  /** The runtime's execution context (`ctx.waitUntil` on Workers), when there is one. */
  ctx?: { waitUntil(promise: Promise<unknown>): void };
  /**
   * Aborts when this run should stop: its lease on the event was lost (the
   * store's `extend` answered false or failed, or a store without `extend`
   * let it run out: another delivery may start the event) or `drain` gave up
   * on it. `signal.reason` is a `LarkWebhookError` (`lease_lost`,
   * `drain_timeout`). Pass it to `fetch` and other long work so that the
   * event does not run twice at once. (Handlers only; `enqueue` and `onError`
   * get the context without it.)
   */
  signal: AbortSignal;
}

/**
 * A handler for one event type, given the event and its context (a
 * `HandlerContext` on the HTTP path; on the queue side, a copy of what the
 * consumer's caller passed, with `signal` added). Resolve when the work is
 * done; throw (or reject) to have the event delivered again. Runs at least
 * once per event: make it idempotent (a retry after a crash, a done the store
 * could not record before the process stopped, or `dedup: false` can run it
 * again). Stop when `context.signal` aborts.
 */
export type EventHandler<E, C = HandlerContext> = (event: E, context: C) => unknown;

/**
 * Handlers by event type; `"*"` catches every event type without its own
 * handler (not the card callbacks: their answer is their own handler's value).
 * Only own properties count (`Object.hasOwn`): nothing inherited from the
 * prototype is ever called. A helpdesk handler receives the typed event, or
 * the untyped one when its body did not decode (check `event.kind`).
 */
export type EventHandlers<C = HandlerContext> = {
  [T in Exclude<HelpdeskEventType, CallbackType>]?: EventHandler<Extract<HelpdeskEvent, { event_type: T }> | UntypedEvent, C>;
} & {
  /**
   * A card button click or form submission (`card.action.trigger`): resolve
   * to the answer, `{ toast?, card? }` (nothing answers `{}`: no change). It
   * must answer within `deadlineMs`; a later value is dropped (update the
   * card with `event.token` instead). A throw shows the user
   * `callbackErrorToast`. Deduplicated by `event_id`: a copy is answered `{}`.
   */
  "card.action.trigger"?: CallbackHandler<CardActionTriggerEvent | UntypedEvent, C>;
  /** The legacy message-card callback (`kind: "card_action"`), answered like `card.action.trigger`; never deduplicated (it has no `event_id`). */
  card_action?: CallbackHandler<CardActionRequest | UntypedEvent, C>;
} & {
  "*"?: EventHandler<HelpdeskEvent | UntypedEvent, C>;
} & {
  [eventType: string]: EventHandler<UntypedEvent, C> | undefined;
};

/** A toast the platform shows the user who clicked: `type` its colour and icon, `content` (or a text per language in `i18n`). */
export interface CallbackToast {
  type: "info" | "success" | "error" | "warning";
  content: string;
  i18n?: { zh_cn?: string; en_us?: string; ja_jp?: string } | undefined;
}

/**
 * What a card callback's handler resolves to, answered as JSON: a toast,
 * and a card that replaces the clicked one (`raw`: the card JSON;
 * `template`: a card template and its variables). Both optional; `{}` (or
 * nothing) changes nothing.
 */
export interface CallbackAnswer {
  toast?: CallbackToast | undefined;
  card?:
    | { type: "raw"; data: JsonObject }
    | { type: "template"; data: { template_id: string; template_version_name?: string | undefined; template_variable?: JsonObject | undefined } }
    | undefined;
}

/** A card callback's handler: its resolved value is the answer (see `CallbackAnswer`). */
export type CallbackHandler<E, C = HandlerContext> = (event: E, context: C) => CallbackAnswer | void | Promise<CallbackAnswer | void>;

/** A verified event (never a challenge): what handlers, `enqueue`, `onError` and the consumer receive. */
export type EventInbound = HelpdeskEvent | UntypedEvent;

/** What a dedup store's `begin` answers. */
export type DedupState =
  /** The caller now holds a lease for `leaseSeconds`: it must run the handler, then call `done` or `release`. */
  | "new"
  /** The event was handled (within `done`'s TTL): do not run it again. */
  | "done"
  /** Another attempt holds a live lease: answer 503 / retry later. */
  | "in_progress";

/**
 * Where event ids are remembered, so that each event is handled once
 * although the platform delivers it at least once (retries, duplicates).
 * Methods may return values or promises. Every implementation must make
 * `begin` atomic: two concurrent begins of one id never both get "new"; and
 * a `begin` that finds an id done must keep it done at least
 * `DEDUP_TTL_SECONDS` (8 hours) from then, since a delivery accepted then
 * can be replayed for 7.5 hours.
 *
 * Implementations: `MemoryDedupStore` (the default; per process),
 * `RedisDedupStore` (shared, durable), and a Durable Object store in
 * `examples/cloudflare-worker`. Workers KV is not one: it is eventually
 * consistent (two isolates can both read "absent" and both run the handler,
 * and a write can take up to a minute to be seen elsewhere), so it cannot
 * make begin atomic.
 *
 * A store with only the old `claim(eventId, ttlSeconds)` method is refused
 * (`invalid_config`): claiming before the handler ran dropped failed events.
 */
export interface DedupStore {
  /**
   * Starts an attempt at `eventId`. `owner` is a random token unique to this
   * attempt (createHandler and createConsumer always pass one); a store that
   * records it lets `release` free only the caller's own lease.
   */
  begin(eventId: string, leaseSeconds: number, owner?: string): DedupState | Promise<DedupState>;
  /**
   * Keeps `owner`'s live lease for `leaseSeconds` from now: true, or false
   * when the lease is not (or no longer) `owner`'s (it expired, was taken
   * over or released, or the event is done). `createHandler` and
   * `createConsumer` call it every `leaseSeconds / 3` while the handler
   * runs, so a long handler never overlaps a retry's run. Optional: a store
   * without it still works, but cannot promise that: a handler running past
   * `leaseSeconds` loses its lease (its `context.signal` aborts a tenth of
   * the lease, at most 1 s, before it runs out, and at once when the same
   * endpoint begins another copy of the event) and a copy arriving
   * afterwards starts a second run beside it.
   */
  extend?(eventId: string, leaseSeconds: number, owner: string): boolean | Promise<boolean>;
  /**
   * Records the event as handled, remembered for `ttlSeconds` (the callers
   * pass `DEDUP_TTL_SECONDS`, 8 hours: longer than the platform's ~7.1-hour
   * retry window and the 7.5 hours a signed delivery is accepted for).
   * Recorded whoever holds the lease: it is a fact about the event. Retried
   * with backoff when it fails.
   */
  done(eventId: string, ttlSeconds: number): unknown;
  /**
   * Gives up the lease so that a retry runs the handler again (the handler
   * failed). Only `owner`'s lease when `owner` is given (any lease when it is
   * omitted); never a done id.
   */
  release(eventId: string, owner?: string): unknown;
}

/**
 * In memory, per process or isolate: the default store. Forgotten on
 * restart, not shared between processes: use `RedisDedupStore` (or your own
 * shared store) when either matters. Bounded: past `maxEntries` (default
 * 100,000, about 3.5 events per second sustained over the 8-hour TTL, ~30 MB)
 * the oldest ids are dropped before their TTL.
 */
export declare class MemoryDedupStore implements DedupStore {
  /** @param options.clock milliseconds since the epoch, like `Date.now` (the default); for tests and simulations. */
  constructor(options?: { maxEntries?: number | undefined; clock?: (() => number) | undefined });
  begin(eventId: string, leaseSeconds: number, owner?: string): DedupState;
  extend(eventId: string, leaseSeconds: number, owner: string): boolean;
  done(eventId: string, ttlSeconds: number): void;
  release(eventId: string, owner?: string): void;
  /** Ids currently remembered. */
  readonly size: number;
}

/**
 * A Redis dedup store, shared by every process using the server and kept
 * across restarts (as far as the server persists). Pass a client you created
 * and connected: node-redis v4 or later (`createClient` from `redis`) or
 * ioredis; larkhook depends on neither. One key per event id,
 * `${prefix}${eventId}`, holding `"done"` or `"lease:<owner>"` with an expiry.
 * Each call is one atomic script: begin (`SET NX PX`, or a done hit that
 * pushes the expiry to at least 8 hours), extend and release (compare, then
 * expire or delete).
 *
 * @example
 * import { createClient } from "redis";
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const handler = createHandler({ encryptKey, verificationToken, dedup: new RedisDedupStore({ client }), on });
 */
export declare class RedisDedupStore implements DedupStore {
  /** @param options.prefix key prefix, default `"larkhook:dedup:"`. */
  constructor(options: { client: object; prefix?: string | undefined });
  begin(eventId: string, leaseSeconds: number, owner?: string): Promise<DedupState>;
  extend(eventId: string, leaseSeconds: number, owner: string): Promise<boolean>;
  done(eventId: string, ttlSeconds: number): Promise<void>;
  release(eventId: string, owner?: string): Promise<void>;
}

/**
 * The codes `createHandler` and `createConsumer` add to the core's
 * `ErrorCode`s, each with its HTTP status. Every 5xx makes the platform retry.
 * - `method_not_allowed` 405: not a POST.
 * - `internal_error` 500: reading the request failed unexpectedly.
 * - `invalid_request` 400: (`toNodeListener`) the request itself is malformed: its target is not a URL, a header cannot be read.
 * - `body_already_read` 500: (`toNodeListener`, `parseRequest`) a body parser or the application read the body before larkhook, so the raw bytes the signature covers are gone; the message names the fix for the framework.
 * - `handler_failed` 500: the handler threw; its lease was released.
 * - `enqueue_failed` 500: `enqueue` threw.
 * - `invalid_callback_answer` 500: a card callback's handler resolved to something that is not a plain JSON object (nor nothing).
 * - `in_progress` 503: the handler is still running at `deadlineMs`, or another attempt holds the lease.
 * - `dedup_unavailable` 503: the dedup store failed or did not answer in time; the handler was not run.
 * - `enqueue_timeout` 503: `enqueue` did not resolve within `deadlineMs`.
 * - `lease_lost` 503: (reported to `onError`, never answered) a running handler's lease was lost: the store's `extend` answered false or failed, or a store without `extend` let it expire; the handler's `context.signal` aborts with this error as its reason.
 * - `drain_timeout` 503: (reported, never answered) `drain` gave up on a running handler; its `context.signal` aborts with this error, its lease is left to expire and the platform's retry runs it again.
 */
export type EndpointCode =
  | "invalid_request"
  | "method_not_allowed"
  | "body_already_read"
  | "internal_error"
  | "handler_failed"
  | "invalid_callback_answer"
  | "enqueue_failed"
  | "in_progress"
  | "dedup_unavailable"
  | "enqueue_timeout"
  | "lease_lost"
  | "drain_timeout";

/** Endpoint code -> HTTP status (frozen). */
export declare const ENDPOINT_CODES: Readonly<Record<EndpointCode, number>>;

/**
 * How long a handled event id is remembered, in seconds: 28,800 (8 hours),
 * longer than the platform's retries and the 7.5 hours a signed delivery is
 * accepted for. A store's `begin` that finds an id done keeps it at least
 * this long from then.
 */
export declare const DEDUP_TTL_SECONDS: number;

export interface HandlerOptions extends LarkWebhookOptions {
  /**
   * Handlers by event type, run before the answer. An event type with no
   * handler is recorded as done and answered 200. Not run with `enqueue`,
   * except the card callbacks (`card.action.trigger`, `card_action`), whose
   * answer is their handler's value: they are never queued.
   */
  on?: EventHandlers | undefined;
  /**
   * Told the cause of every 5xx answer (a handler's own error; otherwise a
   * `LarkWebhookError` with an `EndpointCode`, or the core's code for a
   * configuration error such as `key_required`, the store's error as its
   * `cause`), a late handler's outcome, and store failures after the
   * handler. Default: `console.error`. May be async (kept alive with
   * `ctx.waitUntil`, awaited by `drain`).
   */
  onError?: ((error: unknown, event: EventInbound | CardActionRequest | undefined, context: HandlerContext) => unknown) | undefined;
  /**
   * The dedup store (default: a `MemoryDedupStore`), or `false` to run the
   * handler for every delivery: every retry and every duplicate the platform
   * sends runs it again, so the handler must be idempotent on its own.
   * Not used with `enqueue` (give it to `createConsumer`).
   */
  dedup?: DedupStore | false | undefined;
  /**
   * The answer is given by then, in milliseconds from the request's arrival.
   * Default 2500 (the platform waits 3 s). A handler still running then gets
   * 503 `in_progress` and keeps running (in `ctx.waitUntil` on Workers,
   * tracked for `drain` on Node), then marks the event done or releases it.
   * A handler that succeeded in time is answered 200 once done is recorded,
   * retried with backoff until this deadline; when the store still fails by
   * then, 200 all the same (the work is done), `onError` is told
   * (`dedup_unavailable`), and done is retried in the background while the
   * lease is kept, so that copies meanwhile get 503.
   */
  deadlineMs?: number | undefined;
  /**
   * How long an attempt holds its lease on an event id, in seconds. Default
   * 60. Renewed every `leaseSeconds / 3` while the handler runs (the store's
   * `extend`), so a copy arriving meanwhile is answered 503 instead of
   * running a second copy however long the handler takes; an attempt that
   * died with its lease (a crash) holds the event at most this long, well
   * under the 5 minutes to the platform's second retry.
   */
  leaseSeconds?: number | undefined;
  /**
   * Hands each verified event to a durable queue instead of running `on`:
   * awaited within `deadlineMs`; resolved → 200, thrown → 500
   * `enqueue_failed`, late → 503 `enqueue_timeout` (the platform retries; a
   * late enqueue that still succeeds queues a duplicate, which the consumer's
   * dedup catches). Run the handlers with `createConsumer` on the queue side.
   * `raw` is not part of a structured clone (Queues `send`): do not rely on it there.
   */
  enqueue?: ((event: EventInbound, context: HandlerContext) => unknown) | undefined;
  /** Milliseconds since the epoch, like `Date.now` (the default): the `now` of every parse and the default store's clock. For tests and simulations. */
  clock?: (() => number) | undefined;
  /**
   * The toast a user sees when a card callback's handler throws (its text,
   * or a whole toast): the error itself goes to `onError`, never to the
   * user. Default: "Something went wrong. Please try again." (and in
   * Chinese), of type `error`. Callbacks are not retried, so this is the
   * only answer the click gets.
   */
  callbackErrorToast?: string | CallbackToast | undefined;
  /**
   * Accepted distance of `X-Lark-Request-Timestamp` from now, either side,
   * when you set it. Default: a delivery may be up to 27,000 s (7.5 hours,
   * the platform's retry window) old but at most 300 s ahead when a dedup
   * store is in effect or with `enqueue` (retries may carry their first
   * attempt's timestamp: SECURITY.md, "Retry timestamps"; nothing explains
   * one from the future); ±300 s with `dedup: false`.
   */
  toleranceSeconds?: number | null | undefined;
}

/** What `createHandler` returns. */
export interface LarkHandler {
  (request: Request, ...rest: unknown[]): Promise<Response>;
  /**
   * Waits for the work this endpoint started that is still running (late
   * handlers, done still being retried, `enqueue`, async `onError`):
   * resolves true once there is none, false after `timeoutMs` (default
   * 10,000), when every handler still running has its `context.signal`
   * aborted (`drain_timeout`) and its lease left to expire, so that the
   * platform's retry runs it again. Call it on shutdown, after the server
   * stopped accepting requests.
   */
  drain(options?: { timeoutMs?: number | undefined }): Promise<boolean>;
  /** How many requests and background tasks are still running. */
  readonly pending: number;
}

/** A Worker's `env` as `createHandler((env) => options)` sees it by default: name to value. Pass your own type for bindings. */
export type EnvLike = Record<string, string | undefined>;

/**
 * A Fetch-style endpoint: a Worker's `fetch(request, env, ctx)`, `Deno.serve`,
 * `Bun.serve`, or Node through `toNodeListener`. Answers challenges, refuses
 * bad deliveries with `{ code, message }` and their status, and answers 200
 * for an event only once it was handled (or, with `enqueue`, queued); any
 * other outcome is a 5xx, which the platform retries (15 s, 5 min, 1 h, 6 h).
 *
 * `options` may be a function returning them: it is called on the first
 * request, with the Worker's `env` (`{}` where there is none), so that a
 * module can export the handler before its secrets exist (a Worker's secrets
 * arrive with `env`; `next build` imports routes without them). While the
 * options are refused, each request is answered 500 `invalid_config` with the
 * reason (the platform retries) and the next request tries again.
 *
 * @example
 * // A Worker
 * export default { fetch: createHandler((env) => ({ encryptKey: env.LARK_ENCRYPT_KEY, verificationToken: env.LARK_VERIFICATION_TOKEN, on })) };
 * // A Next.js route handler (app/webhook/event/route.js)
 * export const POST = createHandler(() => ({ encryptKey: process.env.LARK_ENCRYPT_KEY, verificationToken: process.env.LARK_VERIFICATION_TOKEN, on }));
 *
 * @throws {LarkWebhookError} `invalid_config` for bad options (an options
 * object only), including neither `encryptKey` nor `verificationToken`
 * without `insecure: true`.
 */
export declare function createHandler<Env = EnvLike>(options?: HandlerOptions | ((env: Env) => HandlerOptions)): LarkHandler;

/** Options for `createConsumer`. */
export interface ConsumerOptions<C = unknown> {
  /** Handlers by event type, as for `createHandler`; they receive a copy of the context given to the consumer, with the lease's `signal` added. */
  on?: EventHandlers<C & { signal: AbortSignal }> | undefined;
  /** Told a handler's error or a store failure before the consumer throws (and store failures after a success). Default: `console.error`. */
  onError?: ((error: unknown, event: EventInbound, context: C) => unknown) | undefined;
  /** The dedup store (default: a `MemoryDedupStore`, which only dedups within one isolate: use a shared one), or `false`. */
  dedup?: DedupStore | false | undefined;
  /** Lease length in seconds, default 60, renewed every third of it while the handler runs. Retry an `in_progress` message no sooner than this. */
  leaseSeconds?: number | undefined;
  /** Milliseconds since the epoch, like `Date.now`: the default store's clock. */
  clock?: (() => number) | undefined;
}

/**
 * The queue side of `createHandler({ enqueue })`: returns a function that
 * handles one queued event once per event id, under the same leases as
 * `createHandler` (renewed while the handler runs; the handler's context is
 * a copy of the one given, with `signal` added). It resolves when the event
 * was handled (now or before: acknowledge the message) and throws when it
 * was not (retry the message): the handler's own error (its lease released,
 * `onError` told), a `LarkWebhookError` `in_progress` (another consumer holds
 * the lease), or `dedup_unavailable` (the store failed; the handler not
 * run). After a handler succeeded, done is retried for up to 10 s; if the
 * store still fails it resolves all the same (the work is done), `onError`
 * is told, and done is retried in the background while the lease is kept.
 *
 * @example
 * const consume = createConsumer({ on, dedup: myStore });
 * for (const message of batch.messages) {
 *   try { await consume(message.body, { env, message }); message.ack(); }
 *   catch { message.retry({ delaySeconds: 30 * 2 ** (message.attempts - 1) }); }
 * }
 */
export declare function createConsumer<C = unknown>(options?: ConsumerOptions<C>): (event: EventInbound, context?: C) => Promise<void>;

/** One readable log line for an event: type, ticket, status label, sender and text. */
export declare function summarize(inbound: Inbound): string;
