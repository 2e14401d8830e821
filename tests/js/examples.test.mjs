// The two example endpoints, for real: the Worker bundled by wrangler and run
// in workerd (miniflare, 127.0.0.1), the Node server as a child process over
// HTTP on 127.0.0.1. Same behaviour expected from both.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { fixture, lark, root } from "./helpers.mjs";

const KEY = "example-encrypt-key";
const TOKEN = "example-verification-token";
const workerDir = join(root, "examples", "cloudflare-worker");

const EVENTS = [
  ["helpdesk.ticket.created_v1", "ticket_created_v1.json", "ticket created:"],
  ["helpdesk.ticket.updated_v1", "ticket_updated_v1.json", "ticket updated:"],
  ["helpdesk.ticket_message.created_v1", "ticket_message_created_v1.json", "ticket message:"],
];

/** A fresh event id, so each test's deliveries are new to the dedup store. */
function event(file, eventId = crypto.randomUUID()) {
  // Splice the id into the text: re-serializing would round the 64-bit comment ids.
  return fixture(file).replace(/"event_id": "5e3702a84e847582be8db7fb73283c02"/, `"event_id": "${eventId}"`);
}

const sign = (event, options = {}) => lark.createTestDelivery({ event, encryptKey: KEY, verificationToken: TOKEN, ...options });

async function until(check, what, timeoutMs = 5000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The behaviour both endpoints share. `post(delivery, target?)` posts to the
 * endpoint, `logs()` returns what the endpoint printed so far.
 */
function endpointSuite(name, context) {
  test(`${name}: challenge, plain and encrypted`, async () => {
    const encrypted = sign({ type: "url_verification", challenge: "c-encrypted" });
    const r1 = await context.post(encrypted);
    assert.equal(r1.status, 200);
    assert.match(r1.headers.get("content-type"), /application\/json/);
    assert.deepEqual(await r1.json(), { challenge: "c-encrypted" });
    // A plain challenge (an app without an Encrypt Key) at an endpoint without one.
    if (context.postPlain) {
      const plain = lark.createTestDelivery({ event: { type: "url_verification", challenge: "c-plain" }, verificationToken: TOKEN });
      const r2 = await context.postPlain(plain);
      assert.equal(r2.status, 200);
      assert.deepEqual(await r2.json(), { challenge: "c-plain" });
    }
  });

  test(`${name}: each helpdesk event arrives typed at its handler`, async () => {
    for (const [type, file, prefix] of EVENTS) {
      const id = crypto.randomUUID();
      const response = await context.post(sign(event(file, id)));
      assert.equal(response.status, 200, type);
      await until(() => context.logs().includes(id), `${type} to be handled`);
      const line = context.logs().split("\n").find((l) => l.includes(id));
      assert.ok(line.startsWith(prefix) || line.startsWith("▶"), line);
      assert.match(line, new RegExp(`^(${prefix} |▶ )${type.replaceAll(".", "\\.")} \\[${id}\\] ticket 6626871355780366331`));
      assert.ok(!line.includes("untyped"), line);
    }
  });

  test(`${name}: an unknown event type is acknowledged`, async () => {
    const id = crypto.randomUUID();
    const response = await context.post(sign({ schema: "2.0", header: { event_id: id, event_type: "im.message.receive_v1" }, event: { message: {} } }));
    assert.equal(response.status, 200);
    await until(() => context.logs().includes(id), "the unknown event to reach the catch-all handler");
    assert.match(context.logs(), new RegExp(`im\\.message\\.receive_v1 \\[${id}\\] \\(untyped\\)`));
  });

  test(`${name}: refused deliveries carry their status and code`, async () => {
    const good = sign(event("ticket_created_v1.json"));
    const expect = async (delivery, status, code) => {
      const response = await context.post(delivery);
      assert.equal(response.status, status, code);
      const body = await response.json();
      assert.equal(body.code, code);
      assert.ok(body.message.length > 10);
    };
    const flip = (s, i) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    await expect({ headers: good.headers, body: flip(good.body, 30) }, 401, "signature_mismatch");
    await expect({ headers: { ...good.headers, "X-Lark-Signature": "0".repeat(64) }, body: good.body }, 401, "signature_mismatch");
    await expect(sign(event("ticket_created_v1.json"), { timestamp: Math.floor(Date.now() / 1000) - 3600 }), 401, "timestamp_out_of_range");
    await expect(sign(event("ticket_created_v1.json"), { encryptKey: "wrong-key" }), 401, "signature_mismatch");
    await expect(sign(event("ticket_created_v1.json"), { verificationToken: "wrong-token" }), 401, "token_mismatch");
    const huge = "x".repeat(1024 * 1024 + 1);
    await expect({ headers: good.headers, body: huge }, 413, "body_too_large");
    const garbage = "this is not JSON";
    const ts = String(Math.floor(Date.now() / 1000));
    await expect(
      { headers: { "X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": "n", "X-Lark-Signature": lark.sign(ts, "n", KEY, garbage) }, body: garbage },
      400,
      "invalid_json",
    );
    await expect({ headers: {}, body: garbage }, 401, "missing_signature");
  });

  test(`${name}: the same delivery posted twice runs its handler once`, async () => {
    const id = crypto.randomUUID();
    const delivery = sign(event("ticket_updated_v1.json", id));
    assert.equal((await context.post(delivery)).status, 200);
    assert.equal((await context.post(delivery, "second")).status, 200);
    await until(() => context.logs().includes(id), "the first delivery to be handled");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(context.logs().split(id).length - 1, 1, "handled exactly once");
  });
}

describe("Cloudflare Worker example (workerd via miniflare)", () => {
  let Miniflare;
  let mf;
  let output = "";
  const persist = mkdtempSync(join(tmpdir(), "larkhook-do-"));
  const workerOptions = (name, own) => ({
    name,
    modules: true,
    scriptPath: join(workerDir, "dist", "index.js"),
    modulesRoot: join(workerDir, "dist"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    bindings: { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN },
    // Both workers use the Durable Object class of worker "a": two isolates, one store.
    durableObjects: { DEDUP: own ? "DedupObject" : { className: "DedupObject", scriptName: "a" } },
  });
  const start = () =>
    new Miniflare({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      durableObjectsPersist: persist,
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (d) => (output += d));
        stderr.on("data", (d) => (output += d));
      },
      workers: [workerOptions("a", true), workerOptions("b", false), { ...workerOptions("plain", true), bindings: { LARK_VERIFICATION_TOKEN: TOKEN } }],
    });
  const post = async (delivery, target) => {
    const worker = await mf.getWorker(target === "second" ? "b" : "a");
    return worker.fetch("http://127.0.0.1/webhook/event", { method: "POST", headers: delivery.headers, body: delivery.body });
  };

  before(async () => {
    execFileSync(join(root, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], {
      cwd: workerDir,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      stdio: "pipe",
    });
    ({ Miniflare } = await import(join(root, "node_modules", "miniflare", "dist", "src", "index.js")));
    mf = start();
    await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
    rmSync(persist, { recursive: true, force: true });
  });

  endpointSuite("worker", {
    post,
    postPlain: async (delivery) => (await mf.getWorker("plain")).fetch("http://127.0.0.1/webhook/event", { method: "POST", headers: delivery.headers, body: delivery.body }),
    logs: () => output,
  });

  test("worker: a duplicate is caught by a restarted runtime sharing the store", async () => {
    const id = crypto.randomUUID();
    const delivery = sign(event("ticket_created_v1.json", id));
    assert.equal((await post(delivery)).status, 200);
    await until(() => output.includes(id), "the first delivery to be handled");
    await mf.dispose();
    mf = start();
    await mf.ready;
    assert.equal((await post(delivery)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(output.split(id).length - 1, 1, "handled once across two runtimes");
  });

  test("worker: other paths are not the webhook", async () => {
    const response = await (await mf.getWorker("a")).fetch("http://127.0.0.1/");
    assert.equal(response.status, 404);
  });
});

describe("Node server example (node:http on 127.0.0.1)", () => {
  let server;
  let plainServer;
  let output = "";
  let base;
  let plainBase;

  function startServer(env) {
    const child = spawn(process.execPath, [join(root, "examples", "node-server", "server.mjs")], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
      output += d;
    });
    child.stderr.on("data", (d) => (output += d));
    const url = new Promise((resolve, reject) => {
      child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
      const poll = setInterval(() => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (m) {
          clearInterval(poll);
          resolve(m[1]);
        }
      }, 10);
    });
    return { child, url };
  }

  before(async () => {
    const main = startServer({ LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN });
    server = main.child;
    base = await main.url;
    const plain = startServer({ LARK_ENCRYPT_KEY: "", LARK_VERIFICATION_TOKEN: TOKEN });
    plainServer = plain.child;
    plainBase = await plain.url;
  });

  after(async () => {
    for (const child of [server, plainServer]) {
      if (!child || child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(child.pid, "SIGINT");
      await exited;
    }
  });

  endpointSuite("node", {
    post: (delivery) => fetch(`${base}/webhook/event`, { method: "POST", headers: delivery.headers, body: delivery.body }),
    postPlain: (delivery) => fetch(`${plainBase}/webhook/event`, { method: "POST", headers: delivery.headers, body: delivery.body }),
    logs: () => output,
  });

  test("node: prints its settings and a command that posts samples, which it handles", async () => {
    assert.match(output, /Encrypt Key\s+example-encrypt-key/);
    assert.match(output, /Verification Token\s+example-verification-token/);
    const command = /(LARK_ENCRYPT_KEY=.* node examples\/node-server\/send\.mjs \S+)/.exec(output)[1];
    const sent = execFileSync("bash", ["-c", command], { cwd: root, encoding: "utf8" });
    assert.match(sent, /url_verification: HTTP 200 \{"challenge":"demo-challenge"\}/);
    for (const [type] of EVENTS) assert.match(sent, new RegExp(`${type.replaceAll(".", "\\.")}: HTTP 200`));
    await until(() => /how do I download the VPN client/.test(output), "the sample message to be printed");
    assert.match(output, /status processing \/ 处理中 \(2\) → closed by agent \/ 被客服关闭 \(51\)/);
    assert.match(output, /guest \(ou_84aad35d084aa403a838cf73ee18467\): 请问vpn/);
  });

  test("node: stops cleanly on SIGINT", async () => {
    const { child, url } = startServer({ LARK_ENCRYPT_KEY: KEY });
    await url;
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    process.kill(child.pid, "SIGINT");
    assert.deepEqual(await exited, { code: 0, signal: null });
  });
});

// Keep the file self-checking: the Worker's source is what the README documents.
test("the Worker example is the one wrangler.toml points at", () => {
  assert.match(readFileSync(join(workerDir, "wrangler.toml"), "utf8"), /main = "src\/index\.mjs"/);
});
