// The long connection's codes and defaults, defined once (socket/README.md
// says what this folder may import).

/**
 * Code -> status of every error the long connection raises itself (the
 * frame codec's codes come from the core: fragment_invalid, frame_malformed…).
 * start() rejects with the first three; the others reach onError.
 */
export const SOCKET_CODES = Object.freeze({
  /** The endpoint call refused the App ID / App Secret, or the handshake answered 514. */
  auth_failed: 401,
  /** Handshake 514 with auth error code 1000040350: the app has too many connections (50 at most). */
  connection_limit: 429,
  /** Handshake 403. */
  forbidden: 403,
  /** The endpoint call or the handshake failed in a way worth retrying (network, busy, 5xx). */
  connect_failed: 503,
  /** No frame for two ping intervals: the socket was treated as dead and replaced. */
  socket_silent: 503,
  /** The socket closed; a new one is being opened. */
  socket_closed: 503,
  /** ReconnectCount attempts failed in a row: the connection gave up (status "failed"). */
  reconnect_exhausted: 503,
  /** Not Node, Deno or Bun, or on Node the optional peer dependency `ws` is not installed. */
  unsupported_runtime: 500,
});

/** The endpoint call's `code`s (the official clients' table). */
export const ENDPOINT_CALL = Object.freeze({ ok: 0, systemBusy: 1, forbidden: 403, authFailed: 514, internalError: 1000040343, connectionLimit: 1000040350 });

/** The connection settings before the platform sends its own (seconds; the official clients' defaults). */
export const DEFAULT_CLIENT_CONFIG = Object.freeze({ PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 });

/** Open Platform hosts by `domain` name. */
export const DOMAINS = Object.freeze({ feishu: "https://open.feishu.cn", lark: "https://open.larksuite.com" });

/** The endpoint call's path (POST). */
export const ENDPOINT_PATH = "/callback/ws/endpoint";

/** Bounds of fragment merging: fragments per message, milliseconds from first to last, incomplete messages at once. */
export const FRAGMENT_LIMITS = Object.freeze({ maxFragments: 64, maxAgeMs: 10_000, maxPending: 64 });

/** The largest WebSocket message read (the core's MAX_FRAME_BYTES). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** How long the endpoint call and the handshake may take. */
export const CONNECT_TIMEOUT_MS = 15_000;
