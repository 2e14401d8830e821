
// ---- The API (hand-written; the types above are generated from the Rust models) ----

/** Options for `new LarkWebhook(...)`. */
export interface LarkWebhookOptions {
  /** The Encrypt Key from the app console. Several rotate keys: the one whose signature matches is used. */
  encryptKey?: string | string[];
  /** The Verification Token from the app console. Several rotate tokens. Checked on every delivery. */
  verificationToken?: string | string[];
  /** Accepted distance between `X-Lark-Request-Timestamp` and now, either side. Default 300; `null` switches the window off. */
  toleranceSeconds?: number | null;
  /** The largest body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Accept a configuration with neither `encryptKey` nor `verificationToken`,
   * which verifies nothing (anyone can post anything). Without it such a
   * configuration throws `invalid_config`, so a secret missing in one
   * environment cannot silently accept forged events. Local experiments only.
   */
  insecure?: boolean;
}

/** Request headers in any of the usual shapes; names match case-insensitively. */
export type HeadersInput =
  | Headers
  | Record<string, string | string[] | undefined>
  | Iterable<readonly [string, string]>;

/** The raw body, exactly as received. A parsed object cannot be verified. */
export type BodyInput = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** One delivery for `parse`. */
export interface Delivery {
  headers: HeadersInput;
  body: BodyInput;
  /** Unix seconds; defaults to `Date.now() / 1000`. */
  now?: number;
}

/** Every error larkhook throws. */
export declare class LarkWebhookError extends Error {
  readonly name: "LarkWebhookError";
  /** A stable code, e.g. `"signature_mismatch"` (the core's), or an `EndpointCode` from `createHandler`, `createConsumer`, `toNodeListener` or `parseRequest`. */
  readonly code: ErrorCode | EndpointCode;
  /** The HTTP status to answer with: 401 authentication, 400 malformed, 413 too large, 500 configuration, 503 try again later. */
  readonly status: number;
  /** `{ code, message }`, the JSON body an endpoint answers with. */
  toJSON(): { code: ErrorCode | EndpointCode; message: string };
}

/** A configured webhook endpoint: create once, parse per delivery. */
export declare class LarkWebhook {
  /** @throws {LarkWebhookError} `invalid_config` for an empty key or token or a bad number. */
  constructor(options?: LarkWebhookOptions);
  /**
   * Verifies, decrypts and types one delivery, synchronously.
   * @throws {LarkWebhookError} with the reason and the HTTP status to answer with.
   */
  parse(delivery: Delivery): Inbound;
  /**
   * A step-by-step diagnosis of one delivery, for tools such as the payload
   * inspector (not for the request path: it reveals expected signatures).
   */
  inspect(delivery: Delivery): InspectReport;
  /**
   * Reads the raw body of a Fetch `Request` (refusing early when it is too large) and parses it.
   * A body read before (`bodyUsed`) is refused with `body_already_read`.
   * @param now unix seconds; defaults to `Date.now() / 1000`.
   */
  parseRequest(request: Request, now?: number): Promise<Inbound>;
}

/** One step of `LarkWebhook.inspect`, in the order `parse` takes them. */
export interface InspectStep {
  /** The step, in the order `parse` takes them. */
  id: StepId;
  status: "pass" | "fail" | "skip";
  /** The error code of a failed step (absent for a typed-model failure, which parse tolerates). */
  code?: ErrorCode;
  /** What was found and, for a failure, what to do about it. */
  detail: string;
}

/** What `LarkWebhook.inspect` returns. */
export interface InspectReport {
  steps: InspectStep[];
  /** What `parse` returns, when it accepts the delivery. */
  result?: Inbound;
  /** What `parse` throws, when it refuses the delivery. */
  error?: LarkWebhookError;
  /** The decrypted payload, when decryption got that far. */
  plaintext?: string;
  /** Paths of fields the typed model does not know. */
  unrecognized_fields: string[];
}

/** Decrypts an `encrypt` value with an Encrypt Key. */
export declare function decrypt(encryptKey: string, encrypted: string): string;
/** Encrypts like the platform does; a random IV unless one is given. */
export declare function encrypt(encryptKey: string, plaintext: string | Uint8Array, iv?: Uint8Array): string;
/** The `X-Lark-Signature` value for a body. */
export declare function sign(timestamp: string, nonce: string, encryptKey: string, body: string | Uint8Array): string;

/** Options for `createTestDelivery`. */
export interface TestDeliveryOptions {
  /** The event (or challenge) as an object or as JSON text (text keeps 64-bit ids exact). */
  event: object | string;
  /** Encrypt (and sign) with this key; without it the body is the plain event. */
  encryptKey?: string;
  /** Written into `header.token` (2.0) or `token` (1.0, challenge). */
  verificationToken?: string;
  /** Unix seconds for the signature; defaults to now. */
  timestamp?: number;
  /** Defaults to a random nonce. */
  nonce?: string;
  /** Defaults to true, except for the URL-verification challenge, which the platform sends unsigned. */
  signed?: boolean;
  /**
   * `"card_action"` builds a legacy message-card callback instead: `event` is
   * its body, sent as given (plain, the token not written in), signed with
   * `SHA-1(timestamp || nonce || verificationToken || body)`. Default `"event"`.
   */
  kind?: "event" | "card_action";
}

/** A delivery as the platform would post it. */
export declare function createTestDelivery(options: TestDeliveryOptions): {
  headers: Record<string, string>;
  body: string;
};

/**
 * The label of an enumerated value: `label("status", 50)` is "closed by bot",
 * `label("status", 50, "zh")` is "被机器人关闭", and an unlisted code keeps its
 * number: "unknown status (77)".
 */
export declare function label(field: EnumField, code: number, lang?: "en" | "zh"): string;

/** Every error code, in the core's order. */
export declare const ERROR_CODES: readonly ErrorCode[];

// ---- The endpoint helper ----

/** Context handed to event handlers on the HTTP path (and to `enqueue` and `onError`). */
export interface HandlerContext {
  /** The request the event came in. */
  request: Request;
  /** The Worker's `env` (bindings), when the handler is a Worker's `fetch`. */
  env?: unknown;
  /** The runtime's execution context (`ctx.waitUntil` on Workers), when there is one. */
  ctx?: { waitUntil(promise: Promise<unknown>): void };
}

/**
 * A handler for one event type, given the event and its context (a
 * `HandlerContext` on the HTTP path, whatever the queue consumer passes to
 * `createConsumer`'s function there). Resolve when the work is done; throw (or
 * reject) to have the event delivered again. Runs at least once per event:
 * make it idempotent (a retry after a crash, a done the store failed to
 * record, or `dedup: false` can run it again).
 */
export type EventHandler<E, C = HandlerContext> = (event: E, context: C) => unknown;

/**
 * Handlers by event type; `"*"` catches every type without its own handler.
 * Only own properties count (`Object.hasOwn`): nothing inherited from the
 * prototype is ever called. A helpdesk handler receives the typed event, or
 * the untyped one when its body did not decode (check `event.kind`).
 */
export type EventHandlers<C = HandlerContext> = {
  [T in HelpdeskEventType]?: EventHandler<Extract<HelpdeskEvent, { event_type: T }> | UntypedEvent, C>;
} & {
  "*"?: EventHandler<HelpdeskEvent | UntypedEvent, C>;
} & {
  [eventType: string]: EventHandler<any, C> | undefined;
};

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
 * `begin` atomic: two concurrent begins of one id never both get "new".
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
   * Records the event as handled, remembered for `ttlSeconds` (the callers
   * pass 8 hours, longer than the platform's ~7.1-hour retry window).
   * Recorded whoever holds the lease: it is a fact about the event.
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
  constructor(options?: { maxEntries?: number; clock?: () => number });
  begin(eventId: string, leaseSeconds: number, owner?: string): DedupState;
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
 * `${prefix}${eventId}`, holding `"done"` or `"lease:<owner>"` with an expiry;
 * begin is `SET NX PX`, release a compare-and-delete script.
 *
 * @example
 * import { createClient } from "redis";
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const handler = createHandler({ encryptKey, verificationToken, dedup: new RedisDedupStore({ client }), on });
 */
export declare class RedisDedupStore implements DedupStore {
  /** @param options.prefix key prefix, default `"larkhook:dedup:"`. */
  constructor(options: { client: object; prefix?: string });
  begin(eventId: string, leaseSeconds: number, owner?: string): Promise<DedupState>;
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
 * - `in_progress` 503: the handler is still running at `deadlineMs`, or another attempt holds the lease.
 * - `dedup_unavailable` 503: the dedup store failed or did not answer in time; the handler was not run.
 * - `enqueue_timeout` 503: `enqueue` did not resolve within `deadlineMs`.
 */
export type EndpointCode =
  | "invalid_request"
  | "method_not_allowed"
  | "body_already_read"
  | "internal_error"
  | "handler_failed"
  | "enqueue_failed"
  | "in_progress"
  | "dedup_unavailable"
  | "enqueue_timeout";

/** Endpoint code -> HTTP status (frozen). */
export declare const ENDPOINT_CODES: Readonly<Record<EndpointCode, number>>;

export interface HandlerOptions extends LarkWebhookOptions {
  /**
   * Handlers by event type, run before the answer. An event type with no
   * handler is recorded as done and answered 200. Not run with `enqueue`.
   */
  on?: EventHandlers;
  /**
   * Told the cause of every 5xx answer (a handler's own error; otherwise a
   * `LarkWebhookError` with an `EndpointCode`, or the core's code for a
   * configuration error such as `key_required`, the store's error as its
   * `cause`), a late handler's outcome, and store failures after the
   * handler. Default: `console.error`. May be async (kept alive with
   * `ctx.waitUntil`, awaited by `drain`).
   */
  onError?: (error: unknown, event: EventInbound | undefined, context: HandlerContext) => unknown;
  /**
   * The dedup store (default: a `MemoryDedupStore`), or `false` to run the
   * handler for every delivery: every retry and every duplicate the platform
   * sends runs it again, so the handler must be idempotent on its own.
   * Not used with `enqueue` (give it to `createConsumer`).
   */
  dedup?: DedupStore | false;
  /**
   * The answer is given by then, in milliseconds from the request's arrival.
   * Default 2500 (the platform waits 3 s). A handler still running then gets
   * 503 `in_progress` and keeps running (in `ctx.waitUntil` on Workers,
   * tracked for `drain` on Node), then marks the event done or releases it.
   */
  deadlineMs?: number;
  /**
   * How long an attempt holds its lease on an event id, in seconds. Default
   * 60: above the handler's longest run (a retry arriving earlier is answered
   * 503 instead of running a second copy), well under the 5 minutes to the
   * second retry (an attempt that died with its lease costs at most one retry).
   */
  leaseSeconds?: number;
  /**
   * Hands each verified event to a durable queue instead of running `on`:
   * awaited within `deadlineMs`; resolved → 200, thrown → 500
   * `enqueue_failed`, late → 503 `enqueue_timeout` (the platform retries; a
   * late enqueue that still succeeds queues a duplicate, which the consumer's
   * dedup catches). Run the handlers with `createConsumer` on the queue side.
   * `raw` is not part of a structured clone (Queues `send`): do not rely on it there.
   */
  enqueue?: (event: EventInbound, context: HandlerContext) => unknown;
  /** Milliseconds since the epoch, like `Date.now` (the default): the `now` of every parse and the default store's clock. For tests and simulations. */
  clock?: () => number;
  /**
   * Accepted age of `X-Lark-Request-Timestamp`, either side. Default: 27,000
   * (7.5 hours, the platform's retry window) when a dedup store is in effect
   * or with `enqueue`, because retries may carry their first attempt's
   * timestamp (see SECURITY.md, "Retry timestamps"); 300 with `dedup: false`.
   */
  toleranceSeconds?: number | null;
}

/** What `createHandler` returns. */
export interface LarkHandler {
  (request: Request, ...rest: unknown[]): Promise<Response>;
  /**
   * Waits for the work this endpoint started that is still running (late
   * handlers, `enqueue`, async `onError`): resolves true once there is none,
   * false after `timeoutMs` (default 10,000). Call it on shutdown, after the
   * server stopped accepting requests.
   */
  drain(options?: { timeoutMs?: number }): Promise<boolean>;
  /** How many requests and background tasks are still running. */
  readonly pending: number;
}

/**
 * A Fetch-style endpoint: a Worker's `fetch(request, env, ctx)`, `Deno.serve`,
 * `Bun.serve`, or Node through `toNodeListener`. Answers challenges, refuses
 * bad deliveries with `{ code, message }` and their status, and answers 200
 * for an event only once it was handled (or, with `enqueue`, queued); any
 * other outcome is a 5xx, which the platform retries (15 s, 5 min, 1 h, 6 h).
 *
 * @throws {LarkWebhookError} `invalid_config` for bad options, including
 * neither `encryptKey` nor `verificationToken` without `insecure: true`.
 */
export declare function createHandler(options?: HandlerOptions): LarkHandler;

/** Options for `createConsumer`. */
export interface ConsumerOptions<C = unknown> {
  /** Handlers by event type, as for `createHandler`; they receive the context given to the consumer. */
  on?: EventHandlers<C>;
  /** Told a handler's error or a store failure before the consumer throws (and store failures after a success). Default: `console.error`. */
  onError?: (error: unknown, event: EventInbound, context: C) => unknown;
  /** The dedup store (default: a `MemoryDedupStore`, which only dedups within one isolate: use a shared one), or `false`. */
  dedup?: DedupStore | false;
  /** Lease length in seconds, default 60. Retry an `in_progress` message no sooner than this. */
  leaseSeconds?: number;
  /** Milliseconds since the epoch, like `Date.now`: the default store's clock. */
  clock?: () => number;
}

/**
 * The queue side of `createHandler({ enqueue })`: returns a function that
 * handles one queued event once per event id. It resolves when the event was
 * handled (now or before: acknowledge the message) and throws when it was
 * not (retry the message): the handler's own error (its lease released,
 * `onError` told), a `LarkWebhookError` `in_progress` (another consumer holds
 * the lease), or `dedup_unavailable` (the store failed; the handler not run).
 *
 * @example
 * const consume = createConsumer({ on, dedup: myStore });
 * for (const message of batch.messages) {
 *   try { await consume(message.body, { env, message }); message.ack(); }
 *   catch { message.retry({ delaySeconds: 30 * 2 ** (message.attempts - 1) }); }
 * }
 */
export declare function createConsumer<C = unknown>(options?: ConsumerOptions<C>): (event: EventInbound, context?: C) => Promise<void>;

/** The raw body a framework kept beside the parsed one: bytes, or the text as received. */
export type RawBodyLike = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * What `toNodeListener` needs of a request: `node:http`'s `IncomingMessage`,
 * as Express, Next.js API routes, Koa (`ctx.req`) and Fastify (`request.raw`)
 * hand it over. A body parser that ran first leaves the stream read; its
 * `rawBody` (kept by e.g. Google Cloud Functions) or a `body` that is bytes or
 * text (`express.raw()`, `express.text()`) is then used as the raw body.
 */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  /** Express: the URL before mounting stripped a prefix. */
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  /** True once the whole request has arrived. */
  readonly complete?: boolean;
  /** True once something read the body stream to its end. */
  readonly readableEnded?: boolean;
  /** True once something started reading the body stream. */
  readonly readableDidRead?: boolean;
  readonly destroyed?: boolean;
  /** Set by body parsers: used only when it is bytes or text, never a parsed object. */
  body?: unknown;
  /** The raw body some frameworks and platforms keep. */
  rawBody?: RawBodyLike;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** What `toNodeListener` needs of a response: `node:http`'s `ServerResponse`. */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  writeHead(status: number, headers?: Record<string, string | string[]>): unknown;
  write(chunk: Uint8Array): unknown;
  end(chunk?: Uint8Array): unknown;
}

/** A Fastify request, as its route handler receives it. */
export interface FastifyRequestLike {
  raw: NodeRequestLike;
  /** The parsed body, or a Buffer with a `parseAs: "buffer"` content-type parser. */
  body?: unknown;
  /** Kept by raw-body plugins such as fastify-raw-body. */
  rawBody?: RawBodyLike;
}

/** A Fastify reply: the listener hijacks it and answers on `reply.raw`. */
export interface FastifyReplyLike {
  raw: NodeResponseLike;
  hijack(): unknown;
}

/** A Koa context: the listener sets `respond = false` and answers on `ctx.res`. */
export interface KoaContextLike {
  req: NodeRequestLike;
  res: NodeResponseLike;
  /** koa-bodyparser keeps the raw text in `rawBody`. */
  request: { body?: unknown; rawBody?: RawBodyLike };
  respond?: boolean;
}

/**
 * A listener for Node's HTTP servers. The promise settles once the answer is
 * written, and never rejects.
 */
export interface NodeListener {
  /** `node:http`, Express (`app.post(path, listener)`), Next.js API routes (`export default listener`). */
  (req: NodeRequestLike, res: NodeResponseLike, next?: unknown): Promise<void>;
  /** Fastify: `fastify.post(path, listener)`; the reply is hijacked. */
  (request: FastifyRequestLike, reply: FastifyReplyLike): Promise<void>;
  /** Koa: `router.post(path, listener)` or `listener(ctx)`; sets `ctx.respond = false`. */
  (ctx: KoaContextLike, next?: unknown): Promise<void>;
}

/**
 * Adapts a Fetch-style handler to Node's HTTP servers, streaming the body to
 * it. When a body parser consumed the body first and kept no raw bytes, the
 * handler answers 500 `body_already_read`, with the fix for the framework.
 * Malformed requests get 400 `invalid_request`; nothing the listener meets
 * is thrown into the server.
 *
 * @example
 * http.createServer(toNodeListener(handler));
 * app.post("/webhook/event", toNodeListener(handler)); // Express, before app.use(express.json())
 */
export declare function toNodeListener(handler: (request: Request) => Promise<Response>): NodeListener;

/** One readable log line for an event: type, ticket, status label, sender and text. */
export declare function summarize(inbound: Inbound): string;

/** What a long connection's handlers and `onError` receive as their second / third argument. */
export interface LongConnectionContext {
  transport: "long_connection";
  /** The data frame's type: `"event"` or `"card"` (absent for connection errors). */
  type?: string;
  /** The platform's message id (shared by a message's fragments). */
  message_id?: string;
  /** The platform's trace id. */
  trace_id?: string;
}

/** A long connection's state: see `LongConnection.status`. */
export type LongConnectionStatus = "connecting" | "open" | "reconnecting" | "closed" | "failed";

/**
 * The codes a long connection raises itself, with a status-like number:
 * - `auth_failed` 401: the endpoint call refused the App ID / App Secret, or the handshake answered `Handshake-Status: 514`; `start()` rejects, status `"failed"`.
 * - `connection_limit` 429: a 514 handshake with `Handshake-Autherrcode: 1000040350` (or the endpoint call's code 1000040350): the app has too many connections (50 at most); `start()` rejects.
 * - `forbidden` 403: a 403 handshake (or endpoint code); `start()` rejects.
 * - `connect_failed` 503: the endpoint call or the handshake failed in a way worth retrying; reported to `onError`, retried.
 * - `socket_silent` 503: no frame for two ping intervals; the socket was replaced.
 * - `socket_closed` 503: the socket closed; a new one is being opened.
 * - `reconnect_exhausted` 503: `ReconnectCount` attempts failed in a row; status `"failed"`.
 * - `unsupported_runtime` 500: not Node, Deno or Bun, or on Node the optional peer dependency `ws` is missing (`npm install ws`).
 * The frame codec's codes also reach `onError`: `frame_malformed`, `frame_too_large`, `fragment_invalid`, `fragments_too_many`, `fragments_too_large`, `fragments_pending_limit`, `fragments_expired` (each message dropped unacknowledged: the platform redelivers it).
 */
export type LongConnectionCode =
  | "auth_failed"
  | "connection_limit"
  | "forbidden"
  | "connect_failed"
  | "socket_silent"
  | "socket_closed"
  | "reconnect_exhausted"
  | "unsupported_runtime";

/** Options for `createLongConnection`. */
export interface LongConnectionOptions {
  /** The app's App ID (`cli_…`). A custom app, set to receive events (and callbacks) through the long connection in its console. */
  appId: string;
  /** The app's App Secret. Sent only to the endpoint call; never in an error, a log or `JSON.stringify` of the connection. */
  appSecret: string;
  /** `"feishu"` (default, open.feishu.cn), `"lark"` (open.larksuite.com), or the Open Platform's base URL. */
  domain?: "feishu" | "lark" | (string & {});
  /** Handlers by event type, as for `createHandler`. A `card.action.trigger` handler's value (`{ toast?, card? }`) is the callback's answer. */
  on?: EventHandlers<LongConnectionContext>;
  /** Told every handler error, store failure, connection problem and dropped frame. Default: `console.error`. */
  onError?: (error: unknown, event: EventInbound | undefined, context: LongConnectionContext) => unknown;
  /** As for `createHandler`: the dedup store (default a `MemoryDedupStore`), or `false`. */
  dedup?: DedupStore | false;
  /** The ack is sent by then (milliseconds from the message's arrival; default 2500): a handler still running gets `{"code":500}` and keeps running, its outcome recorded. */
  deadlineMs?: number;
  /** As for `createHandler` (default 60). */
  leaseSeconds?: number;
  /** The largest merged message, in bytes (default 1 MiB, as `maxBodyBytes` for webhooks). */
  maxBodyBytes?: number;
  /** An incomplete fragment set is dropped (and reported as `fragments_expired`) this long after its first fragment (default 10,000 ms). */
  fragmentTimeoutMs?: number;
  /** Milliseconds since the epoch, like `Date.now` (the default). For tests. */
  clock?: () => number;
}

/** What `createLongConnection` returns. */
export interface LongConnection {
  /**
   * Opens the connection: resolves once the socket is open; rejects with a
   * `LarkWebhookError` on a failure that retrying cannot fix (`auth_failed`,
   * `connection_limit`, `forbidden`, `unsupported_runtime`,
   * `reconnect_exhausted`). Other failures are reported to `onError` and
   * retried. Calling it again while started returns the same promise.
   */
  start(): Promise<void>;
  /**
   * Stops taking frames (new messages are left unacknowledged, so the
   * platform redelivers them), waits up to `timeoutMs` (default 10,000) for
   * running handlers, whose acks still go out, then closes the socket.
   * Resolves true when nothing was left running.
   */
  stop(options?: { timeoutMs?: number }): Promise<boolean>;
  /** `"closed"` before `start()` and after `stop()`; `"connecting"` until the first open; `"open"`; `"reconnecting"` after a lost socket; `"failed"` after a non-retryable failure. */
  readonly status: LongConnectionStatus;
  /** Handlers and acks still running. */
  readonly pending: number;
}

/**
 * Events and card callbacks over a WebSocket the app opens itself (the
 * long connection): no public URL, no Encrypt Key. Node ≥ 20 (with the
 * optional peer dependency `ws`: `npm install ws`), Deno and Bun (their own
 * WebSocket); not in the Workers or browser entries. Each message is typed
 * by the same core as a webhook delivery (the frame codec is in the tools
 * module, loaded by `start()`), deduplicated like `createHandler`'s
 * deliveries, and acknowledged only once its outcome is known: `{"code":200}`
 * when the handler resolved or the id was already done, `{"code":500}` (the
 * platform redelivers) when it threw, the store failed, or it was still
 * running at `deadlineMs`.
 *
 * ```js
 * import { createLongConnection } from "larkhook";
 * const connection = createLongConnection({
 *   appId: process.env.LARK_APP_ID, appSecret: process.env.LARK_APP_SECRET,
 *   on: { "helpdesk.ticket.created_v1": async (event) => { await save(event.event) } },
 * });
 * await connection.start();
 * process.on("SIGTERM", () => connection.stop());
 * ```
 *
 * @throws {LarkWebhookError} `invalid_config` for bad options.
 */
export declare function createLongConnection(options: LongConnectionOptions): LongConnection;
