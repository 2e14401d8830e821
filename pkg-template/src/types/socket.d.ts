
// ---- The long connection (Node, Deno and Bun) ----

/** What a long connection's handlers and `onError` receive as their second / third argument. */
export interface LongConnectionContext {
  transport: "long_connection";
  /** The data frame's type: `"event"` or `"card"` (absent for connection errors). */
  type?: string;
  /** The platform's message id (shared by a message's fragments). */
  message_id?: string;
  /** The platform's trace id. */
  trace_id?: string;
  /**
   * Given to handlers: aborts when the event's lease is lost (another
   * delivery may run it) or `stop()` gives up waiting (`drain_timeout`), as
   * `HandlerContext.signal` does for `createHandler`.
   */
  signal?: AbortSignal;
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
  /**
   * The app's App ID (`cli_…`). A custom app, set to receive events (and callbacks) through the long connection in its console.
   * `undefined` (an unset `process.env` value) is accepted here and refused at run time: `invalid_config`.
   */
  appId: string | undefined;
  /** The app's App Secret. Sent only to the endpoint call; never in an error, a log or `JSON.stringify` of the connection. `undefined` is refused as for `appId`. */
  appSecret: string | undefined;
  /** `"feishu"` (default, open.feishu.cn), `"lark"` (open.larksuite.com), or the Open Platform's base URL. */
  domain?: "feishu" | "lark" | (string & {}) | undefined;
  /**
   * Handlers by event type, as for `createHandler`. A card callback (a `card`
   * frame, or `card.action.trigger` on an `event` frame) runs only its own
   * handler (never `"*"`) and is answered exactly as `createHandler` answers
   * it over HTTP, in the ack's `data`: the handler's value (`{ toast?, card? }`;
   * nothing is `{}`), `{}` for a duplicate or a handler still running at
   * `deadlineMs`, `callbackErrorToast` after a throw; a value that is not a
   * plain object is acked `{"code":500}` (`invalid_callback_answer` to
   * `onError`). `card_action` never runs here: the platform sends the legacy
   * message-card callback only to a request URL (`createHandler`), and a
   * `card` frame carrying one is refused (`unsupported_schema`, acked 500).
   */
  on?: EventHandlers<LongConnectionContext> | undefined;
  /** Told every handler error, store failure, connection problem and dropped frame. Default: `console.error`. */
  onError?: ((error: unknown, event: EventInbound | undefined, context: LongConnectionContext) => unknown) | undefined;
  /** As for `createHandler`: the dedup store (default a `MemoryDedupStore`), or `false`. */
  dedup?: DedupStore | false | undefined;
  /** The ack is sent by then (milliseconds from the message's arrival; default 2500): an event's handler still running gets `{"code":500}` (a card's gets `{}` in a 200) and keeps running, its outcome recorded. */
  deadlineMs?: number | undefined;
  /** As for `createHandler` (default 60). */
  leaseSeconds?: number | undefined;
  /** As for `createHandler`: the toast a user sees when a card callback's handler throws (its text, or a whole toast). */
  callbackErrorToast?: string | CallbackToast | undefined;
  /** The largest merged message, in bytes (default 1 MiB, as `maxBodyBytes` for webhooks). */
  maxBodyBytes?: number | undefined;
  /** An incomplete fragment set is dropped (and reported as `fragments_expired`) this long after its first fragment (default 10,000 ms). */
  fragmentTimeoutMs?: number | undefined;
  /** Milliseconds since the epoch, like `Date.now` (the default). For tests. */
  clock?: (() => number) | undefined;
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
  stop(options?: { timeoutMs?: number | undefined }): Promise<boolean>;
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
 * running at `deadlineMs`. A card callback is acked with the answer
 * `createHandler` gives it over HTTP, base64 JSON in `data` (see `on`).
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
