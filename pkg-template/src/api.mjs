// The JavaScript API over the wasm bindings. Every runtime entry (workerd,
// node ESM, node CJS, browser) loads the same wasm module its own way and
// passes the wasm-bindgen glue to `createApi`.
//
// Kept small on purpose: argument shapes are checked here, everything about
// a delivery (verification, decryption, typing, error codes and messages) is
// decided in Rust. This file is also compiled to CommonJS by the build
// (top-level `export` statements only, no imports).

import { ERROR_CODES, LABELS, Channel, EventType, Score, SenderType, Solve, Stage, Status } from "./codes.generated.mjs";
import { makeHandlerApi } from "./handler.mjs";
import { ADAPTER_ERROR_STATUS, bodyAlreadyReadMessage, makeNodeListenerApi } from "./node-listener.mjs";

const SIGNATURE_HEADERS = ["x-lark-request-timestamp", "x-lark-request-nonce", "x-lark-signature"];
const DEFAULT_TOLERANCE_SECONDS = 300;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Every error larkhook throws: `code` is stable, `status` is the HTTP status to answer with. */
export class LarkWebhookError extends Error {
  constructor(code, status, message) {
    super(message);
    this.name = "LarkWebhookError";
    this.code = code;
    this.status = status;
  }

  /** The JSON body an endpoint answers with: `{ code, message }`. */
  toJSON() {
    return { code: this.code, message: this.message };
  }
}

function argumentError(message) {
  return new LarkWebhookError("invalid_argument", 500, message);
}

function configError(message) {
  return new LarkWebhookError("invalid_config", 500, `invalid configuration: ${message}`);
}

// "\u0001{json}" is an error from Rust; anything else is a success.
function rustError(out) {
  const e = JSON.parse(out.slice(1));
  return new LarkWebhookError(e.code, e.status, e.message);
}

function unwrapText(out) {
  if (out.charCodeAt(0) === 1) throw rustError(out);
  return out.slice(1);
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

// A parse result: JSON bytes, a zero byte, the raw text's bytes; or 0x01 and
// an error's JSON. `raw` is decoded on first read: most handlers never read it,
// and it is as long again as the event.
function decodeInbound(bytes) {
  if (bytes[0] === 1) throw rustError(decoder.decode(bytes));
  const split = bytes.indexOf(0);
  const result = JSON.parse(decoder.decode(bytes.subarray(0, split)));
  if (result.kind !== "challenge") {
    const rawBytes = bytes.subarray(split + 1);
    let raw;
    Object.defineProperty(result, "raw", {
      enumerable: true,
      configurable: true,
      get: () => (raw ??= decoder.decode(rawBytes)),
      set: (value) => {
        raw = value;
      },
    });
  }
  return result;
}

function stringList(value, name) {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (typeof item !== "string") throw configError(`${name} must be a string or an array of strings`);
  }
  return list;
}

// The signature headers as "name\nvalue\n...": lower-cased names, only the
// three that matter; duplicates are passed on so the core can refuse them.
function signatureHeaders(headers) {
  if (headers === undefined || headers === null) return "";
  const parts = [];
  const add = (name, value) => {
    const lower = String(name).toLowerCase();
    if (!SIGNATURE_HEADERS.includes(lower)) return;
    const text = String(value);
    // The core receives "name\nvalue\n..."; HTTP forbids line feeds in header values.
    if (text.includes("\n")) throw argumentError(`the ${lower} header contains a line feed`);
    parts.push(lower, text);
  };
  if (typeof headers.get === "function" && typeof headers.has === "function" && !(headers instanceof Map)) {
    // Fetch `Headers`: repeated headers arrive joined with ", ".
    for (const name of SIGNATURE_HEADERS) {
      const value = headers.get(name);
      if (value !== null && value !== undefined) add(name, value);
    }
  } else if (headers instanceof Map || typeof headers[Symbol.iterator] === "function") {
    for (const entry of headers instanceof Map ? headers.entries() : headers) {
      if (!Array.isArray(entry) || entry.length !== 2) throw argumentError("headers must be [name, value] pairs");
      add(entry[0], entry[1]);
    }
  } else if (typeof headers === "object") {
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (Array.isArray(value)) for (const v of value) add(name, v);
      else if (value !== undefined && value !== null) add(name, value);
    }
  } else {
    throw argumentError("headers must be a Headers object, a record of strings or an iterable of [name, value] pairs");
  }
  return parts.join("\n");
}

function bytesOf(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  // Objects from another realm (a vm context, an iframe) fail `instanceof`.
  const tag = Object.prototype.toString.call(body);
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") return new Uint8Array(body);
  return undefined;
}

function nowSeconds(now) {
  if (now === undefined || now === null) return Date.now() / 1000;
  if (typeof now !== "number") throw argumentError("`now` must be unix seconds as a number");
  return now;
}

function randomBytes(n) {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}


export function createApi(glue) {
  /**
   * A configured webhook endpoint. Create one per process (keys are derived
   * once) and call `parse` or `parseRequest` per delivery.
   */
  class LarkWebhook {
    #hook;
    #maxBodyBytes;

    constructor(options = {}) {
      if (options === null || typeof options !== "object") throw configError("options must be an object");
      const keys = stringList(options.encryptKey, "encryptKey");
      const tokens = stringList(options.verificationToken, "verificationToken");
      let tolerance = options.toleranceSeconds;
      if (tolerance === undefined) tolerance = DEFAULT_TOLERANCE_SECONDS;
      else if (tolerance !== null && typeof tolerance !== "number") {
        throw configError("toleranceSeconds must be a number of seconds, or null to switch the window off");
      }
      const max = options.maxBodyBytes === undefined ? DEFAULT_MAX_BODY_BYTES : options.maxBodyBytes;
      if (typeof max !== "number") throw configError("maxBodyBytes must be a number");
      if (options.insecure !== undefined && typeof options.insecure !== "boolean") throw configError("insecure must be true or false");
      try {
        this.#hook = new glue.Hook(keys, tokens, tolerance === null ? NaN : tolerance, max, options.insecure === true);
      } catch (e) {
        if (typeof e === "string" && e.charCodeAt(0) === 1) throw rustError(e);
        throw e;
      }
      this.#maxBodyBytes = max;
    }

    /**
     * Verifies, decrypts and types one delivery: `{ headers, body, now? }`,
     * with `body` the raw bytes (or text) exactly as received.
     */
    parse(delivery) {
      if (delivery === null || typeof delivery !== "object") {
        throw argumentError("parse expects { headers, body, now? }");
      }
      const headers = signatureHeaders(delivery.headers);
      const now = nowSeconds(delivery.now);
      const body = delivery.body;
      // A string is encoded natively here: cheaper than wasm-bindgen's string passing.
      const bytes = typeof body === "string" ? encoder.encode(body) : bytesOf(body);
      if (bytes === undefined) {
        throw argumentError("body must be the raw body as a string, Uint8Array or ArrayBuffer (not a parsed object)");
      }
      return decodeInbound(this.#hook.parseBytes(headers, bytes, now));
    }

    /**
     * A step-by-step diagnosis of one delivery (the payload inspector's
     * checklist): every step of `parse` with pass / fail / skip and why, the
     * verdict `parse` gives (`result` or `error`), the decrypted text, and the
     * fields the typed model does not know. Not for the request path.
     */
    inspect(delivery) {
      if (delivery === null || typeof delivery !== "object") {
        throw argumentError("inspect expects { headers, body, now? }");
      }
      const headers = signatureHeaders(delivery.headers);
      const now = nowSeconds(delivery.now);
      const bytes = typeof delivery.body === "string" ? encoder.encode(delivery.body) : bytesOf(delivery.body);
      if (bytes === undefined) throw argumentError("body must be the raw body as a string, Uint8Array or ArrayBuffer");
      const report = JSON.parse(unwrapText(this.#hook.inspectBytes(headers, bytes, now)));
      if (report.result && report.raw !== undefined) report.result.raw = report.raw;
      delete report.raw;
      if (report.error) report.error = new LarkWebhookError(report.error.code, report.error.status, report.error.message);
      return report;
    }

    /**
     * Reads a Fetch `Request`'s raw body (refusing it early when it is over
     * `maxBodyBytes`, and with `body_already_read` when something read it
     * first) and parses it.
     */
    async parseRequest(request, now) {
      if (request === null || typeof request !== "object" || typeof request.arrayBuffer !== "function") {
        throw argumentError("parseRequest expects a Fetch Request");
      }
      // Read by someone else first (request.json(), a validator middleware): say so, not "Body is unusable".
      if (request.bodyUsed || request.body?.locked) {
        throw new LarkWebhookError("body_already_read", ADAPTER_ERROR_STATUS.body_already_read, bodyAlreadyReadMessage("fetch"));
      }
      const body = await readLimited(request, this.#maxBodyBytes);
      return this.parse({ headers: request.headers, body, now });
    }
  }

  function tooLarge(limit, actual) {
    return rustError(glue.bodyTooLargeError(limit, actual));
  }

  // Reads at most `limit` + 1 bytes: a declared Content-Length over the
  // limit is refused before reading, a chunked body as soon as it passes it.
  async function readLimited(request, limit) {
    const declared = Number(request.headers?.get?.("content-length") ?? NaN);
    if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit, declared);
    if (Number.isFinite(declared) || !request.body || typeof request.body.getReader !== "function") {
      return new Uint8Array(await request.arrayBuffer());
    }
    const reader = request.body.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit, total);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return body;
  }

  /** Decrypts an `encrypt` value with an Encrypt Key; returns the plaintext. */
  function decrypt(encryptKey, encrypted) {
    if (typeof encryptKey !== "string" || typeof encrypted !== "string") {
      throw argumentError("decrypt(encryptKey, encrypted) takes two strings");
    }
    return unwrapText(glue.decryptText(encryptKey, encrypted));
  }

  /** Encrypts like the platform: base64(iv || AES-256-CBC(SHA-256(key), PKCS#7)). A random IV unless one is given. */
  function encrypt(encryptKey, plaintext, iv) {
    if (typeof encryptKey !== "string") throw argumentError("encryptKey must be a string");
    const bytes = typeof plaintext === "string" ? encoder.encode(plaintext) : bytesOf(plaintext);
    if (bytes === undefined) throw argumentError("plaintext must be a string or bytes");
    const ivBytes = iv === undefined ? randomBytes(16) : bytesOf(iv);
    if (ivBytes === undefined) throw argumentError("iv must be 16 bytes");
    return unwrapText(glue.encryptText(encryptKey, bytes, ivBytes));
  }

  /** The `X-Lark-Signature` for a body: hex SHA-256 of timestamp, nonce, key and the raw body. */
  function sign(timestamp, nonce, encryptKey, body) {
    for (const [name, value] of [["timestamp", timestamp], ["nonce", nonce], ["encryptKey", encryptKey]]) {
      if (typeof value !== "string") throw argumentError(`${name} must be a string`);
    }
    const bytes = typeof body === "string" ? encoder.encode(body) : bytesOf(body);
    if (bytes === undefined) throw argumentError("body must be a string or bytes");
    return glue.signBytes(timestamp, nonce, encryptKey, bytes);
  }

  /**
   * Builds a delivery as the platform would send it: the event (an object or
   * JSON text; pass text to keep 64-bit ids exact), with the token written in,
   * encrypted and signed when an Encrypt Key is given. The URL-verification
   * challenge is left unsigned, as the platform sends it, unless `signed` says otherwise.
   */
  function createTestDelivery(options) {
    if (options === null || typeof options !== "object") throw argumentError("createTestDelivery expects an options object");
    const { event, encryptKey, verificationToken } = options;
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
    const out = glue.createDelivery(json, encryptKey, verificationToken, timestamp, nonce, randomBytes(16), Boolean(signed));
    return JSON.parse(unwrapText(out));
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

function safeType(json) {
  try {
    const value = JSON.parse(json);
    return value && typeof value === "object" ? value.type : undefined;
  } catch {
    return undefined;
  }
}

function hex(bytes) {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}
