// The deliveries every JavaScript benchmark uses, built once per process with
// the package's own `createTestDelivery` (which writes the Verification Token
// in and re-serializes the event compactly, keeping 64-bit ids exact).
//
// All deliveries are signed at NOW with a fixed nonce; parse them with
// `now: NOW`. Headers are lower-cased, as Node's `IncomingMessage.headers`
// hands them to a server (and to the official SDK's adapters).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const pkgDir = join(root, "pkg");
export const KEY = "lark-encrypt-key";
export const TOKEN = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";
export const NOW = 1_700_000_000;
export const NONCE = "bench-nonce-0001";

export const fixture = (name) => readFileSync(join(root, "tests", "fixtures", name), "utf8");

/** JSON text without insignificant whitespace; numbers are kept digit for digit. */
export function minify(json) {
  let out = "";
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      out += c;
      if (c === "\\") out += json[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t") {
      out += c;
    }
  }
  return out;
}

const lower = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** The ticket_message fixture with `event.text` grown until the plaintext JSON is about `bytes` long. */
export function bigMessageJson(bytes) {
  const base = minify(fixture("ticket_message_created_v1.json"));
  const marker = '"text":"请问vpn怎么下载"';
  if (!base.includes(marker)) throw new Error("the ticket_message fixture no longer has the expected text field");
  const unit = "请问vpn怎么下载? The VPN client asks for a certificate. ";
  const unitBytes = Buffer.byteLength(unit);
  const room = Math.max(0, bytes - Buffer.byteLength(base));
  const text = unit.repeat(Math.floor(room / unitBytes));
  return base.replace(marker, `"text":${JSON.stringify(text)}`);
}

/**
 * The benchmark deliveries, keyed by id. Each has `headers` (lower-cased),
 * `body` (a string), `bodyBytes` (a Uint8Array of the same bytes),
 * `eventType`, `encrypted`, and `options` (the LarkWebhook/SDK configuration).
 */
export function buildDeliveries(lark, { include = ["created", "updated", "message", "plain", "message64k"] } = {}) {
  const encrypted = { encryptKey: KEY, verificationToken: TOKEN };
  const plain = { verificationToken: TOKEN };
  const specs = {
    created: ["helpdesk.ticket.created_v1", () => minify(fixture("ticket_created_v1.json")), encrypted, "ticket.created_v1, encrypted + signed"],
    updated: ["helpdesk.ticket.updated_v1", () => minify(fixture("ticket_updated_v1.json")), encrypted, "ticket.updated_v1, encrypted + signed"],
    message: ["helpdesk.ticket_message.created_v1", () => minify(fixture("ticket_message_created_v1.json")), encrypted, "ticket_message.created_v1, encrypted + signed"],
    plain: ["helpdesk.ticket.created_v1", () => minify(fixture("ticket_created_v1.json")), plain, "ticket.created_v1, plain (no Encrypt Key), token checked"],
    message64k: ["helpdesk.ticket_message.created_v1", () => bigMessageJson(64 * 1024), encrypted, "ticket_message.created_v1 with a 64 KiB plaintext, encrypted + signed"],
    message1m: ["helpdesk.ticket_message.created_v1", () => bigMessageJson(Math.floor((1024 * 1024 - 14) / 4) * 3 - 32 - 80), encrypted, "ticket_message.created_v1, a body just under 1 MiB"],
  };
  const out = {};
  for (const id of include) {
    const [eventType, json, options, label] = specs[id];
    const d = lark.createTestDelivery({ event: json(), ...options, timestamp: NOW, nonce: NONCE });
    const bodyBytes = new TextEncoder().encode(d.body);
    out[id] = { id, label, eventType, encrypted: Boolean(options.encryptKey), options, headers: lower(d.headers), body: d.body, bodyBytes };
  }
  return out;
}

/**
 * `--name value` or `--name=value` pairs; names in `flags` take no value.
 * Shared by every benchmark script.
 */
export function parseArgs(argv, flags = []) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument ${argv[i]}`);
    out[m[1]] = flags.includes(m[1]) ? true : (m[2] ?? argv[++i]);
  }
  return out;
}
