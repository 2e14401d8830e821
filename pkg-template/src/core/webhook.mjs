// LarkWebhook: the API over the request-path module. Argument shapes are
// checked here; everything about a delivery (verification, decryption,
// typing, error codes and messages) is decided in Rust.

import { CARD_SIGNATURE_HEX_LEN, DEFAULTS, MAX_BODY_BYTES_LIMIT } from "./codes.generated.mjs";
import { LarkWebhookError, argumentError, configError, fromCore, fromData } from "./errors.mjs";
import { decodeResult, readLimited, signatureHeaders, textOrBytes, writeBody } from "./boundary.mjs";
import { ENDPOINT_CODES } from "./answers.mjs";
import { callCore, callTools, glue, instance, isTrap, memory, replaceAfterTrap } from "./wasm.mjs";

const U32_MAX = 0xffffffff;

function stringList(value, name) {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (typeof item !== "string") throw configError(`${name} must be a string or an array of strings`);
  }
  return list;
}

function wholeNumber(value, name, what) {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw configError(`${name} must be ${what}`);
  }
  return value;
}

/** The options as the core's constructors take them, type-checked. */
function coreOptions(options) {
  if (options === null || typeof options !== "object") throw configError("options must be an object");
  const keys = stringList(options.encryptKey, "encryptKey");
  const tokens = stringList(options.verificationToken, "verificationToken");
  const tolerance =
    options.toleranceSeconds === null
      ? undefined
      : wholeNumber(options.toleranceSeconds ?? DEFAULTS.toleranceSeconds, "toleranceSeconds", "a whole number of seconds ≥ 0, or null to switch the window off");
  const maxAge =
    options.maxAgeSeconds === undefined ? undefined : wholeNumber(options.maxAgeSeconds, "maxAgeSeconds", "a whole number of seconds ≥ 0");
  const max = wholeNumber(options.maxBodyBytes ?? DEFAULTS.maxBodyBytes, "maxBodyBytes", `a whole number of bytes from 1 to ${MAX_BODY_BYTES_LIMIT} (64 MiB)`);
  if (options.insecure !== undefined && typeof options.insecure !== "boolean") throw configError("insecure must be true or false");
  return [keys, tokens, tolerance, maxAge, max, options.insecure === true];
}

function nowSeconds(now) {
  if (now === undefined || now === null) return Date.now() / 1000;
  if (typeof now !== "number") throw argumentError("`now` must be unix seconds as a number");
  return now;
}

function deliveryArgument(delivery, what) {
  if (delivery === null || typeof delivery !== "object") throw argumentError(`${what} expects { headers, body, now? }`);
  return delivery;
}

// What `body_already_read` says for a Fetch `Request` (the Node adapter has its own, per framework).
const BODY_ALREADY_READ =
  "the request body was already read before larkhook saw it (`request.json()`, `request.text()`, or a middleware such as Hono's `validator`), so the raw bytes the signature covers are gone. Hand the request over unread: in Hono call the handler with `c.req.raw` before anything reads the body; in a Next.js route handler export the handler itself as `POST`; if you need the body too, read it from `request.clone()`.";

/** Whether `X-Lark-Signature` is a legacy card callback's (the core tells the schemes apart by length, after trimming spaces and tabs). */
function isCardSignature(signature) {
  return typeof signature === "string" && signature.replace(/^[ \t]+|[ \t]+$/g, "").length === CARD_SIGNATURE_HEX_LEN;
}

const tooLargeFor = (limit) => (actual) => fromCore(glue.bodyTooLarge(limit, actual), glue.CoreError);

/**
 * A configured webhook endpoint. Create one per process (keys are derived
 * once) and call `parse` or `parseRequest` per delivery.
 */
export class LarkWebhook {
  #hook;
  // The module instance #hook was made on (core/wasm.mjs, `instance`).
  #instance;
  #options;
  #inspector;
  #tooLarge;
  #maxBodyBytes;

  constructor(options = {}) {
    const args = coreOptions(options);
    this.#hook = callCore((g) => new g.Hook(...args));
    this.#instance = instance;
    // Kept (in a private field, never shown) for the inspector, built on first
    // use, and to make the hook again on a fresh instance after a trap.
    this.#options = args;
    this.#maxBodyBytes = args[4];
    this.#tooLarge = tooLargeFor(args[4]);
  }

  /**
   * Verifies, decrypts and types one delivery: `{ headers, body, now? }`,
   * with `body` the raw bytes (or text) exactly as received.
   */
  parse(delivery) {
    const { headers, body, now } = deliveryArgument(delivery, "parse");
    const [timestamp, nonce, signature] = signatureHeaders(headers);
    const seconds = nowSeconds(now);
    if (isCardSignature(signature)) return this.#parseCardAction(body, seconds, timestamp, nonce, signature);
    if (this.#instance !== instance) {
      // The instance it was made on trapped and was replaced.
      this.#hook = callCore((g) => new g.Hook(...this.#options));
      this.#instance = instance;
    }
    const hook = this.#hook;
    let bytes;
    try {
      const length = writeBody(hook, memory, body, this.#maxBodyBytes, this.#tooLarge);
      const resultLength = hook.parse(length, seconds, timestamp, nonce, signature);
      // Read before anything else calls into the module, which may overwrite or move it.
      bytes = new Uint8Array(memory.buffer, hook.resultBuffer(), resultLength);
    } catch (e) {
      if (isTrap(e)) throw replaceAfterTrap(e);
      throw fromCore(e, glue.CoreError);
    }
    return decodeResult(bytes);
  }

  /**
   * A legacy message-card callback (SHA-1 over the Verification Token): the
   * same walk in Rust, run by the tools module, which carries SHA-1 (the
   * request-path module does not, to stay within its size budget). Loaded on
   * the first such callback; in Workers, import "larkhook/tools" to accept them.
   */
  #parseCardAction(body, seconds, timestamp, nonce, signature) {
    const bytes = textOrBytes(body);
    if (bytes === undefined) throw argumentError("body must be the raw body as a string, Uint8Array or ArrayBuffer (not a parsed object)");
    if (bytes.byteLength > this.#maxBodyBytes) throw this.#tooLarge(bytes.byteLength);
    return callTools((t) => {
      this.#inspector ??= new t.Inspector(...this.#options);
      return decodeResult(this.#inspector.parse(bytes, seconds, timestamp, nonce, signature));
    });
  }

  /**
   * A step-by-step diagnosis of one delivery (the payload inspector's
   * checklist): every step of `parse` with pass / fail / skip and why, the
   * verdict `parse` gives (`result` or `error`), the decrypted text, and the
   * fields the typed model does not know. Not for the request path.
   */
  inspect(delivery) {
    const { headers, body, now } = deliveryArgument(delivery, "inspect");
    const [timestamp, nonce, signature] = signatureHeaders(headers);
    const seconds = nowSeconds(now);
    const bytes = textOrBytes(body);
    if (bytes === undefined) throw argumentError("body must be the raw body as a string, Uint8Array or ArrayBuffer");
    return callTools((t) => {
      this.#inspector ??= new t.Inspector(...this.#options);
      const report = decodeResult(this.#inspector.inspect(bytes, seconds, timestamp, nonce, signature), (r) => r.result);
      if (report.error) report.error = fromData(report.error);
      return report;
    });
  }

  /**
   * Reads a Fetch `Request`'s raw body (refusing it as soon as it is over
   * `maxBodyBytes`, whatever Content-Length says, and with
   * `body_already_read` when something read it first) and parses it.
   */
  async parseRequest(request, now) {
    if (request === null || typeof request !== "object" || typeof request.arrayBuffer !== "function") {
      throw argumentError("parseRequest expects a Fetch Request");
    }
    // Read by someone else first (request.json(), a validator middleware): say so, not "Body is unusable".
    if (request.bodyUsed || request.body?.locked) {
      throw new LarkWebhookError("body_already_read", ENDPOINT_CODES.body_already_read, BODY_ALREADY_READ);
    }
    const body = await readLimited(request, this.#maxBodyBytes, this.#tooLarge);
    return this.parse({ headers: request.headers, body, now });
  }
}
