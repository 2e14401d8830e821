// A Lark/Feishu helpdesk webhook endpoint on plain node:http (no framework).
//
//   POST /webhook/event   the platform's deliveries
//   GET  /                the payload inspector (www-dist/, built by `make www`)
//   anything else         404 {"code":"not_found",…}
//
// No request, however malformed its target, makes the process exit: every
// route answers its own failures, and the listener answers 500 for anything
// that still throws. The secrets are never printed (only the public demo
// values `make demo` passes, and the banner says so).
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

/** A JSON answer `{ code, message }`, like the endpoint's own (nothing for HEAD but the headers). */
function answer(req, res, status, code, message, headers = {}) {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify({ code, message }));
}

const notFound = (req, res, message = "nothing here: the platform's deliveries go to POST /webhook/event (the payload inspector is at GET /)") =>
  answer(req, res, 404, "not_found", message);

/** The request target's path, decoded; undefined when it is not a path (`//x`, `*`, a bad escape). */
function requestPath(target) {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//")) return undefined;
  try {
    return decodeURIComponent(target.split(/[?#]/, 1)[0]);
  } catch {
    return undefined;
  }
}

async function serveInspector(req, res) {
  const path = requestPath(req.url);
  if (path === undefined || path.includes("\0")) return notFound(req, res);
  const file = normalize(join(inspectorDir, path.endsWith("/") ? `${path}index.html` : path));
  if (!file.startsWith(inspectorDir.replace(/[\\/]$/, "") + sep)) return notFound(req, res);
  let content;
  try {
    content = await readFile(file);
  } catch {
    return notFound(req, res, path === "/" ? "the payload inspector is not built: run `make www` (or `make demo`); deliveries go to POST /webhook/event" : undefined);
  }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : content);
}

/** Routes one request; whatever throws in a route is answered 500 and logged, never left to end the process. */
async function route(req, res) {
  if (requestPath(req.url) === "/webhook/event") return webhook(req, res);
  if (req.method === "GET" || req.method === "HEAD") return serveInspector(req, res);
  return notFound(req, res);
}

// Responses in progress, so that a shutdown can close their connections once they are sent.
const responses = new Set();
let stopping = false;

const server = http.createServer((req, res) => {
  responses.add(res);
  res.once("close", () => responses.delete(res));
  if (stopping) res.setHeader("connection", "close");
  route(req, res).catch((error) => {
    console.error(`larkhook example: ${req.method} request failed: ${error?.message ?? error}`);
    answer(req, res, 500, "internal_error", "the request could not be served; see the server's log");
  });
});

/** How the banner shows a secret: never its value, except the public demo one (which it names as such). */
function shown(value, demoValue, none) {
  if (!value) return none;
  if (value === demoValue) return `${value}   (the public demo value from \`make demo\`: never use it for a real app)`;
  return "set (not shown)";
}

server.listen(port, host, () => {
  const { port: actual } = server.address();
  const base = `http://${host}:${actual}`;
  // Spelled out only when every secret set is a public demo value.
  const publicOnly =
    (settings.encryptKey === undefined || settings.encryptKey === DEMO_ENCRYPT_KEY) &&
    (settings.verificationToken === undefined || settings.verificationToken === DEMO_VERIFICATION_TOKEN);
  const demo = publicOnly && (settings.encryptKey !== undefined || settings.verificationToken !== undefined);
  console.log(`larkhook demo listening on ${base}`);
  console.log(`  webhook    ${base}/webhook/event`);
  console.log(`  inspector  ${base}/`);
  console.log(`  Encrypt Key         ${shown(settings.encryptKey, DEMO_ENCRYPT_KEY, "(none: plain JSON deliveries)")}`);
  console.log(`  Verification Token  ${shown(settings.verificationToken, DEMO_VERIFICATION_TOKEN, "(none: tokens not checked)")}`);
  console.log(`  Dedup store         ${redis ? "Redis (REDIS_URL): shared, kept across restarts" : "in memory (per process; set REDIS_URL to share it)"}`);
  if (settings.forwardUrl) console.log(`  Forwarding to       ${settings.forwardUrl}`);
  // The package's own command line, installed in this example's node_modules
  // (npx --prefix finds it there; it never fetches anything). It reads the
  // secrets from the environment, as this server does; only the public demo
  // values are spelled out.
  const command = `npx --prefix examples/node-server larkhook trigger all --url ${base}/webhook/event`;
  if (demo) {
    console.log("Send a signed, encrypted sample of each helpdesk event (from another terminal, at the repository root):");
    console.log(`  LARK_ENCRYPT_KEY='${settings.encryptKey ?? ""}' LARK_VERIFICATION_TOKEN='${settings.verificationToken ?? ""}' ${command}`);
  } else {
    console.log("Send a signed, encrypted sample of each helpdesk event (from another terminal, at the repository root,");
    console.log("with LARK_ENCRYPT_KEY and LARK_VERIFICATION_TOKEN set as for this server):");
    console.log(`  ${command}`);
  }
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
