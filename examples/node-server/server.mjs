// A Lark/Feishu helpdesk webhook endpoint on plain node:http (no framework).
//
//   POST /webhook/event   the platform's deliveries
//   GET  /                the payload inspector (www-dist/, built by `make www`)
//
// Settings: LARK_ENCRYPT_KEY, LARK_VERIFICATION_TOKEN, PORT (0 picks a free
// port), HOST (default 127.0.0.1). Stops cleanly on Ctrl-C.
import { readFile } from "node:fs/promises";
import http from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { createHandler, label, summarize, toNodeListener } from "larkhook";

import { encryptKey, host, port, usingDefaults, verificationToken } from "./config.mjs";

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

const webhook = toNodeListener(
  createHandler({
    encryptKey: encryptKey || undefined,
    verificationToken: verificationToken || undefined,
    on: {
      "helpdesk.ticket.created_v1": print,
      "helpdesk.ticket.updated_v1": print,
      "helpdesk.ticket_message.created_v1": print,
      "*": (inbound) => console.log(`▶ ${summarize(inbound)}`),
    },
  }),
);

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

const server = http.createServer((req, res) => {
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
  const note = usingDefaults ? "   (demo default; set LARK_ENCRYPT_KEY / LARK_VERIFICATION_TOKEN)" : "";
  console.log(`  Encrypt Key         ${encryptKey || "(none: plain JSON deliveries)"}${note}`);
  console.log(`  Verification Token  ${verificationToken || "(none: tokens not checked)"}${note}`);
  console.log("Send a signed, encrypted sample of each helpdesk event (from another terminal, at the repository root):");
  console.log(`  LARK_ENCRYPT_KEY='${encryptKey}' LARK_VERIFICATION_TOKEN='${verificationToken}' node examples/node-server/send.mjs ${base}/webhook/event`);
});

function stop(signal) {
  console.log(`\n${signal}: stopping`);
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
