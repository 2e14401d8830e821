// A Lark/Feishu helpdesk webhook endpoint on plain node:http (no framework).
//
//   POST /webhook/event   the platform's deliveries
//   GET  /                the payload inspector (www-dist/, built by `make www`)
//
// Each event is handled before the answer: 200 once its handler succeeded,
// 500 when it threw, 503 when it is still running at 2.5 s or the dedup
// store failed; the platform retries every non-200 (15 s, 5 min, 1 h, 6 h).
//
// Settings (environment): LARK_ENCRYPT_KEY and LARK_VERIFICATION_TOKEN
// (required: without both, the server refuses to start unless LARK_INSECURE=1;
// `make demo` passes the public demo secrets), REDIS_URL (a Redis dedup store
// shared by every instance and kept across restarts; otherwise in memory),
// FORWARD_URL (POST each event there; a non-2xx answer makes the platform
// retry), PORT (0 picks a free port), HOST (default 127.0.0.1).
// SIGTERM / SIGINT: stop accepting, wait for running handlers (at most
// DRAIN_TIMEOUT_MS, default 10 s), then exit.
import { readFile } from "node:fs/promises";
import http from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { RedisDedupStore, createHandler, label, summarize, toNodeListener } from "larkhook";

import { DEMO_ENCRYPT_KEY, DEMO_VERIFICATION_TOKEN, host, port, serverSettings } from "./config.mjs";

const settings = serverSettings();
const encryptKey = settings.encryptKey ?? "";
const verificationToken = settings.verificationToken ?? "";
const inspectorDir = fileURLToPath(new URL("../../www-dist/", import.meta.url));

/** A few readable lines per typed event: type, ticket, status with its label, who sent what. */
function print(inbound) {
  const lines = [`▶ ${summarize(inbound)}`];
  const e = inbound.event;
  const status = (code) => (code === undefined ? "-" : `${label("status", code)} / ${label("status", code, "zh")} (${code})`);
  if (inbound.event_type === "helpdesk.ticket.created_v1") {
    lines.push(`  ticket ${e.ticket_id}  helpdesk ${e.helpdesk_id ?? "-"}  guest ${e.guest?.name ?? "-"}`, `  status ${status(e.status)}`);
  } else if (inbound.event_type === "helpdesk.ticket.updated_v1") {
    lines.push(`  ticket ${e.object?.ticket_id}`, `  status ${status(e.old_object?.status)} → ${status(e.object?.status)}`);
  } else if (inbound.event_type === "helpdesk.ticket_message.created_v1") {
    const sender = e.sender_type === undefined ? "-" : `${label("sender_type", e.sender_type)} (${e.sender_id?.open_id ?? "-"})`;
    lines.push(`  ticket ${e.ticket?.ticket_id}  message ${e.ticket_message_id}`, `  ${sender}: ${e.text ?? e.content?.content ?? ""}`);
  }
  console.log(lines.join("\n"));
}

/** POSTs the event to FORWARD_URL (your service); a non-2xx answer throws, so the platform delivers it again. */
async function forward(inbound) {
  const response = await fetch(settings.forwardUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ event_id: inbound.header.event_id, event_type: inbound.event_type, header: inbound.header, event: inbound.event }),
  });
  if (!response.ok) throw new Error(`${settings.forwardUrl} answered ${response.status} for event ${inbound.header.event_id}`);
}

const handle = (show) => async (inbound) => {
  show(inbound);
  if (settings.forwardUrl) await forward(inbound);
};

// A shared, durable dedup store when REDIS_URL is set (node-redis, in this
// example's dependencies); the default in-memory store otherwise.
let redis;
if (settings.redisUrl) {
  const { createClient } = await import("redis");
  redis = createClient({ url: settings.redisUrl });
  redis.on("error", (error) => console.error(`larkhook example: Redis: ${error.message}`));
  await redis.connect();
}

let handler;
try {
  handler = createHandler({
    encryptKey: settings.encryptKey,
    verificationToken: settings.verificationToken,
    insecure: settings.insecure,
    dedup: redis ? new RedisDedupStore({ client: redis }) : undefined,
    on: {
      "helpdesk.ticket.created_v1": handle(print),
      "helpdesk.ticket.updated_v1": handle(print),
      "helpdesk.ticket_message.created_v1": handle(print),
      "*": handle((inbound) => console.log(`▶ ${summarize(inbound)}`)),
    },
  });
} catch (error) {
  if (error.code !== "invalid_config") throw error;
  console.error(
    [
      "larkhook example: refusing to start without secrets.",
      "  Set LARK_ENCRYPT_KEY and LARK_VERIFICATION_TOKEN to the values in the app console (Events & Callbacks),",
      "  or run `make demo` (public demo secrets), or set LARK_INSECURE=1 to accept unverified deliveries (local experiments only).",
      `  (${error.message})`,
    ].join("\n"),
  );
  process.exit(2);
}
const webhook = toNodeListener(handler);

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".svg": "image/svg+xml", ".json": "application/json" };

async function serveInspector(req, res) {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const file = normalize(join(inspectorDir, path.endsWith("/") ? `${path}index.html` : path));
  if (!file.startsWith(inspectorDir.replace(/[\\/]$/, "") + sep) && file !== inspectorDir) {
    res.writeHead(404).end();
    return;
  }
  try {
    const content = await readFile(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(content);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end(path === "/" ? "The payload inspector is not built: run `make www` (or `make demo`).\n" : "not found\n");
  }
}

// Responses in progress, so that a shutdown can close their connections once they are sent.
const responses = new Set();
let stopping = false;

const server = http.createServer((req, res) => {
  responses.add(res);
  res.once("close", () => responses.delete(res));
  if (stopping) res.setHeader("connection", "close");
  if (req.url?.split("?")[0] === "/webhook/event") return webhook(req, res);
  if (req.method === "GET" || req.method === "HEAD") return void serveInspector(req, res);
  res.writeHead(405, { "content-type": "application/json" }).end('{"code":"method_not_allowed"}');
});

server.listen(port, host, () => {
  const { port: actual } = server.address();
  const base = `http://${host}:${actual}`;
  console.log(`larkhook demo listening on ${base}`);
  console.log(`  webhook    ${base}/webhook/event`);
  console.log(`  inspector  ${base}/`);
  const demo = (value, publicValue) => (value === publicValue ? "   (the public demo secret: `make demo` only)" : "");
  console.log(`  Encrypt Key         ${encryptKey || "(none: plain JSON deliveries)"}${demo(encryptKey, DEMO_ENCRYPT_KEY)}`);
  console.log(`  Verification Token  ${verificationToken || "(none: tokens not checked)"}${demo(verificationToken, DEMO_VERIFICATION_TOKEN)}`);
  console.log(`  Dedup store         ${redis ? "Redis (REDIS_URL): shared, kept across restarts" : "in memory (per process; set REDIS_URL to share it)"}`);
  if (settings.forwardUrl) console.log(`  Forwarding to       ${settings.forwardUrl}`);
  console.log("Send a signed, encrypted sample of each helpdesk event (from another terminal, at the repository root):");
  // The package's own command line, installed in this example's node_modules
  // (npx --prefix finds it there; it never fetches anything).
  console.log(`  LARK_ENCRYPT_KEY='${encryptKey}' LARK_VERIFICATION_TOKEN='${verificationToken}' npx --prefix examples/node-server larkhook trigger all --url ${base}/webhook/event`);
});

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping: no new connections; waiting for ${handler.pending} running request(s) and handler(s), at most ${settings.drainTimeoutMs} ms`);
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  for (const res of responses) if (!res.headersSent) res.setHeader("connection", "close");
  const drained = await handler.drain({ timeoutMs: settings.drainTimeoutMs });
  // The answers of the last deliveries are being written: let them go out.
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
  server.closeAllConnections();
  if (redis) await redis.close();
  if (!drained) console.log(`stopped with ${handler.pending} handler(s) still running: their leases expire and the platform's retries run them again`);
  process.exit(drained ? 0 : 1);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
