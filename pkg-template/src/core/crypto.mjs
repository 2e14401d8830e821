// The platform's crypto as functions: decrypt an `encrypt` value, sign a
// body, encrypt like the platform. All of it runs in Rust (RustCrypto), in
// the tools module: an endpoint never calls them (parse verifies and decrypts
// on its own), so the request-path module does not carry them.

import { argumentError } from "./errors.mjs";
import { bytesOf, textOrBytes } from "./boundary.mjs";
import { callTools } from "./wasm.mjs";

/** `n` random bytes from the runtime's CSPRNG. */
export function randomBytes(n) {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** Decrypts an `encrypt` value with an Encrypt Key; returns the plaintext. */
export function decrypt(encryptKey, encrypted) {
  if (typeof encryptKey !== "string" || typeof encrypted !== "string") {
    throw argumentError("decrypt(encryptKey, encrypted) takes two strings");
  }
  return callTools((t) => t.decrypt(encryptKey, encrypted));
}

/** The `X-Lark-Signature` for a body: hex SHA-256 of timestamp, nonce, key and the raw body. */
export function sign(timestamp, nonce, encryptKey, body) {
  for (const [name, value] of [["timestamp", timestamp], ["nonce", nonce], ["encryptKey", encryptKey]]) {
    if (typeof value !== "string") throw argumentError(`${name} must be a string`);
  }
  const bytes = textOrBytes(body);
  if (bytes === undefined) throw argumentError("body must be a string or bytes");
  return callTools((t) => t.sign(timestamp, nonce, encryptKey, bytes));
}

/** Encrypts like the platform: base64(iv || AES-256-CBC(SHA-256(key), PKCS#7)). A random IV unless one is given. */
export function encrypt(encryptKey, plaintext, iv) {
  if (typeof encryptKey !== "string") throw argumentError("encryptKey must be a string");
  const bytes = textOrBytes(plaintext);
  if (bytes === undefined) throw argumentError("plaintext must be a string or bytes");
  const ivBytes = iv === undefined ? randomBytes(16) : bytesOf(iv);
  if (ivBytes === undefined) throw argumentError("iv must be 16 bytes");
  return callTools((t) => t.encrypt(encryptKey, bytes, ivBytes));
}
