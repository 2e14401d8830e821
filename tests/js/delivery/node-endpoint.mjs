// The endpoint the delivery suite kills: node:http through toNodeListener,
// createHandler with a RedisDedupStore (node-redis), each event's work a POST
// to BACKEND_URL (the test's process). Started, SIGKILLed mid-handler and
// restarted on the same port by delivery.test.mjs.
//
//   PORT, REDIS_URL, BACKEND_URL, LARK_ENCRYPT_KEY, LARK_VERIFICATION_TOKEN,
//   LEASE_SECONDS, DEADLINE_MS
import http from "node:http";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { createClient } from "redis";

// The built package (LARKHOOK_PKG_DIR: another build, as for the suites).
const pkgDir = process.env.LARKHOOK_PKG_DIR ?? fileURLToPath(new URL("../../../pkg/", import.meta.url));
const { RedisDedupStore, createHandler, toNodeListener } = await import(pathToFileURL(join(pkgDir, "index.node.mjs")).href);

const env = process.env;
const redis = createClient({ url: env.REDIS_URL });
redis.on("error", () => {});
await redis.connect();

const handler = createHandler({
  encryptKey: env.LARK_ENCRYPT_KEY,
  verificationToken: env.LARK_VERIFICATION_TOKEN,
  dedup: new RedisDedupStore({ client: redis }),
  leaseSeconds: Number(env.LEASE_SECONDS),
  deadlineMs: Number(env.DEADLINE_MS),
  on: {
    "*": async (event) => {
      const response = await fetch(env.BACKEND_URL, { method: "POST", body: JSON.stringify({ event_id: event.header.event_id, pid: process.pid }) });
      if (!response.ok) throw new Error(`backend answered ${response.status}`);
    },
  },
  onError: () => {},
});

const server = http.createServer(toNodeListener(handler));
server.listen(Number(env.PORT), "127.0.0.1", () => console.log(`ready ${server.address().port}`));
