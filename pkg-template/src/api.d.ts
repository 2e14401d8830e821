
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

/**
 * Codes the JavaScript endpoint layer adds to the core's `ErrorCode`:
 * - `body_already_read` (500): a body parser (or the application) read the
 *   request body before larkhook, so the raw bytes the signature covers are
 *   gone; the message names the fix for the framework;
 * - `invalid_request` (400): the request itself is malformed (its target is
 *   not a URL, a header cannot be read), answered by `toNodeListener`.
 */
export type AdapterErrorCode = "body_already_read" | "invalid_request";

/** Every error larkhook throws. */
export declare class LarkWebhookError extends Error {
  readonly name: "LarkWebhookError";
  /** A stable code, e.g. `"signature_mismatch"`. */
  readonly code: ErrorCode | AdapterErrorCode;
  /** The HTTP status to answer with: 401 authentication, 400 malformed, 413 too large, 500 configuration. */
  readonly status: number;
  /** `{ code, message }`, the JSON body an endpoint answers with. */
  toJSON(): { code: ErrorCode | AdapterErrorCode; message: string };
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

/** Context handed to event handlers. */
export interface HandlerContext {
  /** The request the event came in. */
  request: Request;
  /** The Worker's `env` (bindings), when the handler is a Worker's `fetch`. */
  env?: unknown;
  /** The runtime's execution context (`ctx.waitUntil` on Workers), when there is one. */
  ctx?: { waitUntil(promise: Promise<unknown>): void };
}

/** A handler for one event type, given the event and its context. */
export type EventHandler<E> = (event: E, context: HandlerContext) => unknown;

/**
 * Handlers by event type; `"*"` catches every type without its own handler.
 * A helpdesk handler receives the typed event, or the untyped one when its
 * body did not decode (check `event.kind`).
 */
export type EventHandlers = {
  [T in HelpdeskEventType]?: EventHandler<Extract<HelpdeskEvent, { event_type: T }> | UntypedEvent>;
} & {
  "*"?: EventHandler<HelpdeskEvent | UntypedEvent>;
} & {
  [eventType: string]: EventHandler<any> | undefined;
};

/**
 * Where handled event ids are remembered, to run each event once although
 * the platform retries. `claim` resolves to true the first time an id is seen
 * within `ttlSeconds`, false for a duplicate.
 */
export interface DedupStore {
  claim(eventId: string, ttlSeconds: number): boolean | Promise<boolean>;
}

/** In memory, bounded, per process or isolate: the default store. */
export declare class MemoryDedupStore implements DedupStore {
  constructor(options?: { maxEntries?: number; ttlSeconds?: number });
  claim(eventId: string): boolean;
  readonly size: number;
}

export interface HandlerOptions extends LarkWebhookOptions {
  /** Handlers by event type. An event type with no handler is acknowledged and dropped. */
  on?: EventHandlers;
  /** Called when a handler (or the dedup store) throws; the platform has already had its 200. */
  onError?: (error: unknown, event: Inbound | undefined, context: HandlerContext) => unknown;
  /** The dedup store (default: a MemoryDedupStore), or false to run every delivery. */
  dedup?: DedupStore | false;
}

/**
 * A Fetch-style endpoint: a Worker's `fetch(request, env, ctx)`, `Deno.serve`,
 * `Bun.serve`, or Node through `toNodeListener`. Answers challenges, refuses bad
 * deliveries with `{ code, message }` and their status, acknowledges events at
 * once and runs their handler afterwards (in `ctx.waitUntil` on Workers).
 */
export declare function createHandler(options?: HandlerOptions): (request: Request, ...rest: unknown[]) => Promise<Response>;

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
