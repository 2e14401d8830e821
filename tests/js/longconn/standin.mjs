// A stand-in for the Open Platform's long connection, on 127.0.0.1: the
// endpoint call (POST /callback/ws/endpoint) and the socket speaking pbbp2
// frames, encoded by protobufjs (./pbbp2.mjs), independent of larkhook's
// codec. Shown to be faithful by running the official Node SDK's WSClient
// against it (longconn-official.test.mjs); larkhook is then run against it
// (longconn.test.mjs). It behaves as the official clients expect:
//
// - the endpoint call answers {code, msg, data: {URL, ClientConfig}}; a
//   wrong App ID / Secret gets a non-zero code; each URL carries a one-time
//   ticket (a reconnect must fetch a fresh URL);
// - a refused handshake answers HTTP 400 with Handshake-Status /
//   Handshake-Msg / Handshake-Autherrcode headers (the Go client's
//   parseHandshakeError reads them);
// - a client's ping (control frame, type ping, service = the URL's
//   service_id) is answered by a pong whose JSON payload is the ClientConfig;
// - events go out as data frames with type / message_id / sum / seq /
//   trace_id headers, split into fragments on request; the ack is matched by
//   message_id, its payload decoded as {code, data?}.
//
// Stopped by the test (close()), which ends every socket it opened.

import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { decodeFrame, encodeFrame, headerOf } from "./pbbp2.mjs";

const require = createRequire(import.meta.url);
const { WebSocketServer } = require("ws");

export const APP_ID = "cli_a1b2c3d4e5f60718";
export const APP_SECRET = "standin-app-secret-Zq9";
const SERVICE_ID = 33554678;

const text = (value) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

/** Polls `check` every 10 ms until it is true; throws naming `what` after `timeoutMs`. */
export async function until(check, what, timeoutMs = 5000) {
  const giveUp = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > giveUp) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export class StandIn {
  /**
   * Options: config (ClientConfig, seconds), handshake(n) => undefined | { status, authCode?, msg? },
   * the app's credentials, greeting (an event's JSON sent the moment a socket is accepted, its ack in `greetings`).
   */
  constructor({ config = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 0, ReconnectNonce: 0 }, handshake, appId = APP_ID, appSecret = APP_SECRET, greeting } = {}) {
    this.greeting = greeting;
    this.greetings = [];
    this.credentials = { appId, appSecret };
    this.config = { ...config };
    this.pongConfig = undefined; // what pongs carry (defaults to config)
    this.handshake = handshake ?? (() => undefined);
    this.endpointCalls = [];
    this.tickets = new Set();
    this.sockets = new Set();
    this.pings = [];
    this.acks = [];
    this.framesSent = 0;
    this.handshakes = { accepted: 0, refused: 0, staleTicket: 0 };
    this.silent = false; // answer no ping, send nothing
    this.waiters = new Map(); // message_id -> resolve(ack)
    this.seq = 0;
  }

  async start() {
    this.server = createServer((req, res) => this.#endpoint(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, socket, head) => this.#upgrade(req, socket, head));
    await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  #endpoint(req, res) {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      let request = {};
      try {
        request = JSON.parse(body);
      } catch {
        // answered as a refusal below
      }
      this.endpointCalls.push({ path: req.url, method: req.method, body: request, headers: req.headers });
      res.setHeader("content-type", "application/json");
      if (req.method !== "POST" || req.url !== "/callback/ws/endpoint") {
        res.statusCode = 404;
        return res.end("{}");
      }
      if (request.AppID !== this.credentials.appId || request.AppSecret !== this.credentials.appSecret) {
        return res.end(JSON.stringify({ code: 10003, msg: "invalid app_id or app_secret", data: {} }));
      }
      const ticket = randomBytes(8).toString("hex");
      this.tickets.add(ticket);
      const URL = `${this.base.replace("http", "ws")}/ws?device_id=dev-${this.endpointCalls.length}&service_id=${SERVICE_ID}&ticket=${ticket}`;
      res.end(JSON.stringify({ code: 0, msg: "ok", data: { URL, ClientConfig: this.config } }));
    });
  }

  #upgrade(req, socket, head) {
    const url = new URL(req.url, this.base);
    const ticket = url.searchParams.get("ticket");
    if (!this.tickets.delete(ticket)) {
      this.handshakes.staleTicket += 1;
      socket.end("HTTP/1.1 400 Bad Request\r\nHandshake-Status: 403\r\nHandshake-Msg: unknown or used ticket\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const refusal = this.handshake(this.handshakes.accepted + this.handshakes.refused);
    if (refusal) {
      this.handshakes.refused += 1;
      const lines = [`Handshake-Status: ${refusal.status}`, `Handshake-Msg: ${refusal.msg ?? "refused"}`];
      if (refusal.authCode !== undefined) lines.push(`Handshake-Autherrcode: ${refusal.authCode}`);
      socket.end(`HTTP/1.1 400 Bad Request\r\n${lines.join("\r\n")}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.handshakes.accepted += 1;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.#connected(ws));
  }

  #connected(ws) {
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    // Sent before the client can have sent anything: it reaches the client with the handshake's answer.
    if (this.greeting !== undefined) this.greetings.push(this.send(this.greeting, { socket: ws, messageId: `greeting-${this.greetings.length + 1}` }));
    ws.on("message", (data) => {
      const frame = decodeFrame(new Uint8Array(data));
      const type = headerOf(frame, "type");
      if (frame.method === 0 && type === "ping") {
        this.pings.push({ service: frame.service, at: Date.now() });
        if (this.silent) return;
        ws.send(encodeFrame({ method: 0, service: frame.service, headers: [{ key: "type", value: "pong" }], payload: text(this.pongConfig ?? this.config) }));
        return;
      }
      if (frame.method === 1) {
        const payload = JSON.parse(new TextDecoder().decode(frame.payload));
        const ack = {
          frame,
          message_id: headerOf(frame, "message_id"),
          biz_rt: headerOf(frame, "biz_rt"),
          code: payload.code,
          data: payload.data === undefined ? undefined : JSON.parse(Buffer.from(payload.data, "base64").toString("utf8")),
          at: Date.now(),
        };
        this.acks.push(ack);
        this.waiters.get(ack.message_id)?.(ack);
      }
    });
  }

  /** The newest open socket (the platform sends each event to one connected client). */
  get socket() {
    return [...this.sockets].at(-1);
  }

  /** Waits until a client is connected (at least `count` accepted handshakes). */
  async connected(count = 1, timeoutMs = 10_000) {
    const giveUp = Date.now() + timeoutMs;
    while (!(this.handshakes.accepted >= count && this.socket?.readyState === 1)) {
      if (Date.now() > giveUp) throw new Error(`no client connected (${this.handshakes.accepted} of ${count} handshakes)`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.socket;
  }

  /**
   * Sends one message (an event's JSON) as data frames of `type`, split into
   * `fragments`, and resolves to its ack, or to undefined after `timeoutMs`.
   */
  send(json, { type = "event", fragments = 1, messageId = `msg-${++this.seq}`, timeoutMs = 5000, socket = this.socket } = {}) {
    const bytes = text(json);
    const size = Math.ceil(bytes.length / fragments);
    const acked = new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(messageId);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(messageId, (ack) => {
        clearTimeout(timer);
        this.waiters.delete(messageId);
        resolve(ack);
      });
    });
    // Fragments go out last-first for a split message: the client must order them by seq.
    const order = [...Array(fragments).keys()];
    if (fragments > 1) order.push(order.shift());
    for (const seq of order) {
      const frame = {
        SeqID: String(1000 + this.seq * 10 + seq),
        LogID: String(2 ** 53 + seq),
        service: SERVICE_ID,
        method: 1,
        headers: [
          { key: "type", value: type },
          { key: "message_id", value: messageId },
          { key: "sum", value: String(fragments) },
          { key: "seq", value: String(seq) },
          { key: "trace_id", value: `trace-${messageId}` },
          { key: "timestamp", value: String(Date.now()) },
        ],
        payload: bytes.subarray(seq * size, (seq + 1) * size),
      };
      socket.send(encodeFrame(frame));
      this.framesSent += 1;
    }
    return acked;
  }

  /** Sends raw bytes on the newest socket (malformed frames). */
  sendRaw(bytes) {
    this.socket.send(bytes);
    this.framesSent += 1;
  }

  /** Drops every socket at once, as a network fault would. */
  dropAll() {
    for (const ws of this.sockets) ws.terminate();
  }

  async close() {
    for (const ws of this.sockets) ws.terminate();
    this.wss?.close();
    this.server?.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A schema 2.0 event of `type` with `eventId`. */
export function eventJson(eventId, type = "helpdesk.ticket.created_v1", event = { ticket_id: "6626871355780366331", status: 1, stage: 1, guest: { name: "Ada" } }) {
  return JSON.stringify({ schema: "2.0", header: { event_id: eventId, event_type: type, create_time: String(Date.now()), token: "", app_id: APP_ID, tenant_key: "t1" }, event });
}
