// Deliveries as the platform sends them, built with node:crypto alone (not
// with larkhook's createTestDelivery), and small clients for the suites that
// serve larkhook through Node frameworks.
import { createCipheriv, createHash, randomBytes, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";

import { KEY, TOKEN, fixture } from "../helpers.mjs";

export { KEY, TOKEN };

/**
 * `{ headers, body }` for a JSON payload: AES-256-CBC with SHA-256(key), a
 * random IV, `{"encrypt": base64(iv || ciphertext)}`, and, unless
 * `signed: false` (the challenge), the three signature headers over the raw body.
 */
export function platformDelivery(payload, { key = KEY, signed = true } = {}) {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", createHash("sha256").update(key).digest(), iv);
  const encrypt = Buffer.concat([iv, cipher.update(payload, "utf8"), cipher.final()]).toString("base64");
  const body = JSON.stringify({ encrypt });
  const headers = { "content-type": "application/json; charset=utf-8" };
  if (signed) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString("hex");
    headers["x-lark-request-timestamp"] = timestamp;
    headers["x-lark-request-nonce"] = nonce;
    headers["x-lark-signature"] = createHash("sha256").update(timestamp + nonce + key + body).digest("hex");
  }
  return { headers, body };
}

/** A `helpdesk.ticket.created_v1` delivery with a fresh event id, and what a handler must see. */
export function ticketCreated() {
  const eventId = randomUUID();
  const payload = fixture("ticket_created_v1.json").replace("5e3702a84e847582be8db7fb73283c02", eventId);
  const parsed = JSON.parse(payload);
  return {
    delivery: platformDelivery(payload),
    expected: { kind: "event", event_type: parsed.header.event_type, event_id: eventId, ticket_id: parsed.event.ticket_id },
  };
}

/** The URL-verification challenge: encrypted, carrying the token, unsigned. */
export function challenge(value = randomUUID()) {
  return { value, delivery: platformDelivery(JSON.stringify({ challenge: value, token: TOKEN, type: "url_verification" }), { signed: false }) };
}

/** The same delivery with one base64 character of the ciphertext changed: still JSON, no longer signed. */
export function tampered({ headers, body }) {
  const at = body.indexOf('"encrypt":"') + 20;
  const swapped = body[at] === "A" ? "B" : "A";
  return { headers, body: body.slice(0, at) + swapped + body.slice(at + 1) };
}

/** POSTs a delivery with fetch; resolves to `{ status, body }` (body parsed when it is JSON). */
export async function post(url, { headers, body }) {
  const response = await fetch(url, { method: "POST", headers, body });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json ?? text };
}

/** Waits until `check()` is truthy, polling. */
export async function until(check, what, timeoutMs = 5000) {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sends raw bytes over a TCP socket and resolves to everything the server wrote before closing or `idleMs` of silence. */
export function rawExchange(port, text, idleMs = 300) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let timer;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    socket.setEncoding("latin1");
    socket.on("data", (data) => {
      received += data;
      clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    });
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", (error) => (received ? finish() : reject(error)));
    socket.write(text, "latin1");
    timer = setTimeout(finish, idleMs * 5);
  });
}

/**
 * Streams `totalBytes` of a JSON-looking body in chunks without a
 * Content-Length (chunked transfer encoding) through node:http's client.
 * With `headers["content-length"]` set, declares that length instead.
 * Resolves to the status, body and whether the client saw an error.
 */
export function streamPost(url, { headers = {}, totalBytes, chunkBytes = 16 * 1024 }) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    let clientError;
    const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { "content-type": "application/json", ...headers } });
    req.on("error", (error) => (clientError = error));
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: JSON.parse(text), clientError: () => clientError }));
      res.on("error", reject);
    });
    const chunk = Buffer.alloc(chunkBytes, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(sent === chunk.length ? Buffer.from(`{"encrypt":"${" ".repeat(chunkBytes - 12)}`) : chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      req.end('"}');
    };
    pump();
    setTimeout(() => reject(new Error(`no response within 10 s; client error: ${clientError}`)), 10_000).unref();
  });
}
