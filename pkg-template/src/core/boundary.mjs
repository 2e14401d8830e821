// What crosses the wasm boundary, prepared and read in one place: the
// signature headers (one value each; a repeat arrives joined with ", ",
// which the core refuses as duplicate_header), the body (refused by size
// before it is written into the hook's buffer in wasm memory), and the
// framed result (the layout is defined in bindings/wasm/src/lib.rs).

import { SIGNATURE_HEADERS } from "./codes.generated.mjs";
import { argumentError } from "./errors.mjs";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The three signature header values `[timestamp, nonce, signature]`, each a string or undefined. */
export function signatureHeaders(headers) {
  const values = [undefined, undefined, undefined];
  if (headers === undefined || headers === null) return values;
  const add = (name, value) => {
    if (value === undefined || value === null) return;
    const index = SIGNATURE_HEADERS.indexOf(String(name).toLowerCase());
    if (index < 0) return;
    const text = String(value);
    values[index] = values[index] === undefined ? text : `${values[index]}, ${text}`;
  };
  if (typeof headers.get === "function" && typeof headers.has === "function" && !(headers instanceof Map)) {
    // Fetch `Headers`: repeated headers are already joined with ", ".
    SIGNATURE_HEADERS.forEach((name, i) => {
      const value = headers.get(name);
      if (value !== null && value !== undefined) values[i] = String(value);
    });
  } else if (headers instanceof Map || typeof headers[Symbol.iterator] === "function") {
    for (const entry of headers instanceof Map ? headers.entries() : headers) {
      if (!Array.isArray(entry) || entry.length !== 2) throw argumentError("headers must be [name, value] pairs");
      add(entry[0], entry[1]);
    }
  } else if (typeof headers === "object") {
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (Array.isArray(value)) for (const v of value) add(name, v);
      else add(name, value);
    }
  } else {
    throw argumentError("headers must be a Headers object, a record of strings or an iterable of [name, value] pairs");
  }
  return values;
}

/** The bytes of a binary body, or undefined for anything else. */
export function bytesOf(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  // Objects from another realm (a vm context, an iframe) fail `instanceof`.
  const tag = Object.prototype.toString.call(body);
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") return new Uint8Array(body);
  return undefined;
}

/**
 * The length of a string in UTF-8 as `TextEncoder` writes it, without
 * encoding it: a surrogate pair is 4 bytes, a lone surrogate 3 (it becomes
 * U+FFFD).
 */
export function utf8Length(text) {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      length += 1;
      continue;
    }
    if (c <= 0xdbff && c >= 0xd800 && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 2;
        i++;
        continue;
      }
    }
    length += 2;
  }
  return length;
}

/** The bytes of a body, or an argument error for anything that is not raw text or bytes. */
function binaryBody(body) {
  const bytes = bytesOf(body);
  if (bytes === undefined) {
    throw argumentError("body must be the raw body as a string, Uint8Array or ArrayBuffer (not a parsed object)");
  }
  return bytes;
}

/**
 * Writes the body into the hook's body buffer in wasm memory (see
 * bindings/wasm/src/lib.rs) and returns its length in bytes, or throws
 * `tooLarge(actual)` before anything is copied when it is over `limit`. A
 * string's UTF-16 length is a lower bound of its UTF-8 length and three
 * times it an upper bound: a string that could encode to more than `limit`
 * bytes is measured (without encoding it) before anything is copied, so no
 * refused body ever makes the module's memory grow.
 */
export function writeBody(hook, memory, body, limit, tooLarge) {
  if (typeof body === "string") {
    if (body.length > limit) throw tooLarge(utf8Length(body));
    if (body.length * 3 > limit) {
      const length = utf8Length(body);
      if (length > limit) throw tooLarge(length);
      return encoder.encodeInto(body, bodyView(hook, memory, length)).written;
    }
    // Within the limit whatever it holds. Room for ASCII first (most bodies:
    // encrypted ones always are); other text is written again with room for
    // its worst case, 3 bytes a unit (at most `limit`).
    const { read, written } = encoder.encodeInto(body, bodyView(hook, memory, body.length));
    if (read === body.length) return written;
    return encoder.encodeInto(body, bodyView(hook, memory, body.length * 3)).written;
  }
  const bytes = binaryBody(body);
  if (bytes.byteLength > limit) throw tooLarge(bytes.byteLength);
  bodyView(hook, memory, bytes.byteLength).set(bytes);
  return bytes.byteLength;
}

/** The hook's body buffer, made room for first (which may grow the memory and detach older views of it). */
function bodyView(hook, memory, capacity) {
  const address = hook.bodyBuffer(capacity);
  return new Uint8Array(memory.buffer, address, capacity);
}

// Each result's raw text, or its bytes until first read (a shared getter
// costs less per result than a closure each).
class Undecoded {
  constructor(bytes) {
    this.bytes = bytes;
  }
}
const rawText = new WeakMap();
const rawAccessors = {
  enumerable: false,
  configurable: true,
  get() {
    let raw = rawText.get(this);
    if (raw instanceof Undecoded) {
      raw = decoder.decode(raw.bytes);
      rawText.set(this, raw);
    }
    return raw;
  },
  set(value) {
    rawText.set(this, value);
  },
};

/**
 * Defines `raw` on a result, readable by name but not enumerable (so
 * `JSON.stringify` and `util.inspect` leave the token it holds out). ASCII
 * text decodes in a fraction of a microsecond, so it is decoded at once;
 * other text (Chinese, say: several microseconds) only when first read,
 * from `rawBytes`, which must be the result's own copy.
 */
export function defineRaw(result, rawBytes, ascii) {
  if (ascii) {
    Object.defineProperty(result, "raw", { value: decoder.decode(rawBytes), enumerable: false, writable: true, configurable: true });
    return;
  }
  rawText.set(result, new Undecoded(rawBytes));
  Object.defineProperty(result, "raw", rawAccessors);
}

/** Where the JSON starts in a framed result: after its length and the flags byte. */
const JSON_START = 5;

/**
 * A framed result (the layout is defined in bindings/wasm/src/lib.rs): a
 * 4-byte little-endian length `n`, a flags byte (bit 0: the raw text is
 * ASCII), the result's JSON (ASCII) in `n` bytes, then the raw text. Returns
 * the parsed JSON; `raw` (the decrypted text, which holds the Verification
 * Token) is attached to `target(json)` with `defineRaw`.
 */
export function decodeResult(bytes, target = (json) => json) {
  const length = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24);
  const end = JSON_START + length;
  const json = JSON.parse(decoder.decode(bytes.subarray(JSON_START, end)));
  const holder = target(json);
  if (holder !== undefined && bytes.length > end) {
    const ascii = (bytes[4] & 1) === 1;
    // `bytes` may be a view of wasm memory that the next call overwrites: text decoded later needs its own copy.
    defineRaw(holder, ascii ? bytes.subarray(end) : bytes.slice(end), ascii);
  }
  return json;
}

/**
 * Reads a Fetch `Request`'s body, at most `limit` bytes: a declared
 * Content-Length over the limit is refused before reading; otherwise the
 * stream is read and cut off as soon as it passes the limit, whatever the
 * header said.
 */
export async function readLimited(request, limit, tooLarge) {
  const declared = Number(request.headers?.get?.("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared);
  if (!request.body || typeof request.body.getReader !== "function") {
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > limit) throw tooLarge(body.byteLength);
    return body;
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
      throw tooLarge(total);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A string or bytes argument as bytes (for sign, encrypt). */
export function textOrBytes(value) {
  return typeof value === "string" ? encoder.encode(value) : bytesOf(value);
}
