
// ---- The API (hand-written; the types above are generated from the Rust models) ----

/** Options for `new LarkWebhook(...)`. */
export interface LarkWebhookOptions {
  /** The Encrypt Key from the app console. Several rotate keys: the one whose signature matches is used. Empty or only whitespace: `invalid_config`. */
  encryptKey?: string | string[] | undefined;
  /** The Verification Token from the app console. Several rotate tokens. Checked on every delivery. Empty or only whitespace: `invalid_config`. */
  verificationToken?: string | string[] | undefined;
  /**
   * Accepted distance between `X-Lark-Request-Timestamp` and now, either
   * side (or, with `maxAgeSeconds`, ahead of now only). Default 300; `null`
   * switches the window off.
   */
  toleranceSeconds?: number | null | undefined;
  /**
   * How old a signed delivery may be, in seconds, when that differs from
   * `toleranceSeconds` (which then bounds only how far ahead of now a
   * timestamp may be). Default: `toleranceSeconds`. `createHandler` sets it to
   * 27,000 (7.5 h) with a dedup store or `enqueue` unless you set either.
   */
  maxAgeSeconds?: number | undefined;
  /** The largest body accepted, in bytes. Default 1 MiB; at most 64 MiB (67,108,864), above which it is `invalid_config`. */
  maxBodyBytes?: number | undefined;
  /**
   * Accept a configuration with neither `encryptKey` nor `verificationToken`,
   * which verifies nothing (anyone can post anything). Without it such a
   * configuration throws `invalid_config`, so a secret missing in one
   * environment cannot silently accept forged events. Local experiments only.
   */
  insecure?: boolean | undefined;
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
  now?: number | undefined;
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
  encryptKey?: string | undefined;
  /** Written into `header.token` (2.0) or `token` (1.0, challenge). */
  verificationToken?: string | undefined;
  /** Unix seconds for the signature; defaults to now. */
  timestamp?: number | undefined;
  /** Defaults to a random nonce. */
  nonce?: string | undefined;
  /** Defaults to true, except for the URL-verification challenge, which the platform sends unsigned. */
  signed?: boolean | undefined;
  /**
   * `"card_action"` builds a legacy message-card callback instead: `event` is
   * its body, sent as given (plain, the token not written in), signed with
   * `SHA-1(timestamp || nonce || verificationToken || body)`. Default `"event"`.
   */
  kind?: "event" | "card_action" | undefined;
}

/** A delivery as the platform would post it. */
export declare function createTestDelivery(options: TestDeliveryOptions): {
  headers: Record<string, string>;
  body: string;
};

/**
 * The label of an enumerated value: `label("status", 50)` is "closed by bot",
 * `label("status", 50, "zh")` is "被机器人关闭", an unlisted code keeps its
 * number: "unknown status (77)", and an absent one (typed fields are
 * optional: `label("status", m.event.status)`) is "unknown status".
 */
export declare function label(field: EnumField, code: number | undefined, lang?: "en" | "zh"): string;

/** Every error code, in the core's order. */
export declare const ERROR_CODES: readonly ErrorCode[];
