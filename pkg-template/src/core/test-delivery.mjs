// Test deliveries: an event built, encrypted and signed as the platform
// would send it (the tools module builds it; this file shapes the options).

import { argumentError } from "./errors.mjs";
import { randomBytes } from "./crypto.mjs";
import { callTools } from "./wasm.mjs";

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

/**
 * Builds a delivery as the platform would send it: the event (an object or
 * JSON text; pass text to keep 64-bit ids exact), with the token written in,
 * encrypted and signed when an Encrypt Key is given. The URL-verification
 * challenge is left unsigned, as the platform sends it, unless `signed` says otherwise.
 * With `kind: "card_action"`, a legacy message-card callback: the JSON as
 * given, plain, signed with SHA-1 over the Verification Token.
 */
export function createTestDelivery(options) {
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
  const out = callTools((t) =>
    t.createDelivery(json, encryptKey, verificationToken, timestamp, nonce, randomBytes(16), Boolean(signed), kind === "card_action"),
  );
  return JSON.parse(out);
}
