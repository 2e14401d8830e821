// The JavaScript API over the wasm bindings. Every runtime entry (workerd,
// node ESM, node CJS, browser) loads the request-path module its own way and
// passes its wasm-bindgen glue to `createApi`, with a function that returns
// the tools module's glue (inspect, test deliveries, encrypt) when first
// needed.
//
// Kept small on purpose: argument shapes are checked here, everything about
// a delivery (verification, decryption, typing, error codes and messages) is
// decided in Rust. This file is also compiled to CommonJS by the build
// (top-level `export` statements and `import { … }` only).

import { DEFAULTS, ERROR_CODES, LABELS, Channel, EventType, Score, SenderType, Solve, Stage, Status } from "./codes.generated.mjs";
import { LarkWebhookError, argumentError, configError, fromCore, fromData } from "./errors.mjs";
import { bytesOf, decodeResult, readLimited, signatureHeaders, textOrBytes, writeBody } from "./boundary.mjs";
import { makeHandlerApi } from "./handler.mjs";
import { ENDPOINT_CODES } from "./answers.mjs";
import { bodyAlreadyReadMessage, makeNodeListenerApi } from "./node-listener.mjs";

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
  const max = wholeNumber(options.maxBodyBytes ?? DEFAULTS.maxBodyBytes, "maxBodyBytes", "a whole number of bytes ≥ 1");
  if (options.insecure !== undefined && typeof options.insecure !== "boolean") throw configError("insecure must be true or false");
  return [keys, tokens, tolerance, max, options.insecure === true];
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

function randomBytes(n) {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

function hex(bytes) {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function safeType(json) {
  try {
    const value = JSON.parse(json);
    return value && typeof value === "object" ? value.type : undefined;
  } catch {
    return undefined;
  }
}

export function createApi(glue, loadTools) {
  // The body and the result cross through buffers in the module's memory (bindings/wasm/src/lib.rs).
  const memory = glue.wasmMemory();
  const core = (fn) => {
    try {
      return fn();
    } catch (e) {
      throw fromCore(e, glue.CoreError);
    }
  };
  let toolsGlue;
  const tools = (fn) => {
    toolsGlue ??= loadTools();
    try {
      return fn(toolsGlue);
    } catch (e) {
      throw fromCore(e, toolsGlue.CoreError);
    }
  };
  const tooLargeFor = (limit) => (actual) => fromCore(glue.bodyTooLarge(limit, actual), glue.CoreError);

  /**
   * A configured webhook endpoint. Create one per process (keys are derived
   * once) and call `parse` or `parseRequest` per delivery.
   */
  class LarkWebhook {
    #hook;
    #options;
    #inspector;
    #tooLarge;
    #maxBodyBytes;

    constructor(options = {}) {
      const args = coreOptions(options);
      this.#hook = core(() => new glue.Hook(...args));
      // Kept (in a private field, never shown) for the inspector, built on first use.
      this.#options = args;
      this.#maxBodyBytes = args[3];
      this.#tooLarge = tooLargeFor(args[3]);
    }

    /**
     * Verifies, decrypts and types one delivery: `{ headers, body, now? }`,
     * with `body` the raw bytes (or text) exactly as received.
     */
    parse(delivery) {
      const { headers, body, now } = deliveryArgument(delivery, "parse");
      const [timestamp, nonce, signature] = signatureHeaders(headers);
      const seconds = nowSeconds(now);
      const hook = this.#hook;
      const length = writeBody(hook, memory, body, this.#maxBodyBytes, this.#tooLarge);
      let resultLength;
      try {
        resultLength = hook.parse(length, seconds, timestamp, nonce, signature);
      } catch (e) {
        throw fromCore(e, glue.CoreError);
      }
      // Read before anything else calls into the module, which may overwrite or move it.
      const address = hook.resultBuffer();
      return decodeResult(new Uint8Array(memory.buffer, address, resultLength));
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
      return tools((t) => {
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
        throw new LarkWebhookError("body_already_read", ENDPOINT_CODES.body_already_read, bodyAlreadyReadMessage("fetch"));
      }
      const body = await readLimited(request, this.#maxBodyBytes, this.#tooLarge);
      return this.parse({ headers: request.headers, body, now });
    }
  }

  /** Decrypts an `encrypt` value with an Encrypt Key; returns the plaintext. */
  function decrypt(encryptKey, encrypted) {
    if (typeof encryptKey !== "string" || typeof encrypted !== "string") {
      throw argumentError("decrypt(encryptKey, encrypted) takes two strings");
    }
    return tools((t) => t.decrypt(encryptKey, encrypted));
  }

  /** The `X-Lark-Signature` for a body: hex SHA-256 of timestamp, nonce, key and the raw body. */
  function sign(timestamp, nonce, encryptKey, body) {
    for (const [name, value] of [["timestamp", timestamp], ["nonce", nonce], ["encryptKey", encryptKey]]) {
      if (typeof value !== "string") throw argumentError(`${name} must be a string`);
    }
    const bytes = textOrBytes(body);
    if (bytes === undefined) throw argumentError("body must be a string or bytes");
    return tools((t) => t.sign(timestamp, nonce, encryptKey, bytes));
  }

  /** Encrypts like the platform: base64(iv || AES-256-CBC(SHA-256(key), PKCS#7)). A random IV unless one is given. */
  function encrypt(encryptKey, plaintext, iv) {
    if (typeof encryptKey !== "string") throw argumentError("encryptKey must be a string");
    const bytes = textOrBytes(plaintext);
    if (bytes === undefined) throw argumentError("plaintext must be a string or bytes");
    const ivBytes = iv === undefined ? randomBytes(16) : bytesOf(iv);
    if (ivBytes === undefined) throw argumentError("iv must be 16 bytes");
    return tools((t) => t.encrypt(encryptKey, bytes, ivBytes));
  }

  /**
   * Builds a delivery as the platform would send it: the event (an object or
   * JSON text; pass text to keep 64-bit ids exact), with the token written in,
   * encrypted and signed when an Encrypt Key is given. The URL-verification
   * challenge is left unsigned, as the platform sends it, unless `signed` says otherwise.
   * With `kind: "card_action"`, a legacy message-card callback: the JSON as
   * given, plain, signed with SHA-1 over the Verification Token.
   */
  function createTestDelivery(options) {
    if (options === null || typeof options !== "object") throw argumentError("createTestDelivery expects an options object");
    const { event, encryptKey, verificationToken, kind } = options;
    if (kind !== undefined && kind !== "event" && kind !== "card_action") throw argumentError('kind must be "event" (the default) or "card_action"');
    const json = typeof event === "string" ? event : JSON.stringify(event);
    if (typeof json !== "string") throw argumentError("event must be an object or JSON text");
    if (encryptKey !== undefined && typeof encryptKey !== "string") throw argumentError("encryptKey must be a string");
    if (verificationToken !== undefined && typeof verificationToken !== "string") {
      throw argumentError("verificationToken must be a string");
    }
    const timestamp = options.timestamp === undefined ? Math.floor(Date.now() / 1000) : Number(options.timestamp);
    const nonce = options.nonce === undefined ? hex(randomBytes(8)) : String(options.nonce);
    let signed = options.signed;
    if (signed === undefined) {
      const type = typeof event === "object" && event !== null ? event.type : safeType(json);
      signed = type !== "url_verification";
    }
    const out = tools((t) =>
      t.createDelivery(json, encryptKey, verificationToken, timestamp, nonce, randomBytes(16), Boolean(signed), kind === "card_action"),
    );
    return JSON.parse(out);
  }

  /**
   * The label of an enumerated value, e.g. `label("status", 50)` is
   * "closed by bot" and `label("status", 50, "zh")` is "被机器人关闭". A code the
   * documentation does not list keeps its number: "unknown status (77)".
   */
  function label(field, code, lang = "en") {
    const table = LABELS[field];
    if (table === undefined) throw argumentError(`no labels for field ${String(field)}`);
    const index = lang === "zh" ? 1 : 0;
    const known = Object.prototype.hasOwnProperty.call(table, code) && code !== "*" ? table[code] : undefined;
    return known ? known[index] : `${table["*"][index]} (${code})`;
  }

  return {
    LarkWebhook,
    LarkWebhookError,
    decrypt,
    encrypt,
    sign,
    createTestDelivery,
    label,
    Stage,
    Status,
    Score,
    Solve,
    Channel,
    SenderType,
    EventType,
    ERROR_CODES,
    ...makeHandlerApi({ LarkWebhook, LarkWebhookError, label }),
    ...makeNodeListenerApi({ LarkWebhookError }),
  };
}

/** Why the tools are missing from an entry that does not carry them (Workers). */
export function toolsUnavailable(entry) {
  return () => {
    throw new LarkWebhookError(
      "invalid_argument",
      500,
      `inspect, createTestDelivery, encrypt, decrypt and sign live in a second WebAssembly module that the ${entry} entry does not load, ` +
        'so that no Worker carries them; import them from "larkhook/tools" there (e.g. in tests under workerd)',
    );
  };
}

