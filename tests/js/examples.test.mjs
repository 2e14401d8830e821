// The example endpoints, for real: the Worker (fetch variant) bundled by
// wrangler and run in workerd (miniflare, 127.0.0.1), the Node server as a
// child process over HTTP on 127.0.0.1. Same behaviour expected from both;
// then what only one of them has (secrets missing, a failing or slow
// backend, the Durable Object store, SIGTERM draining, Redis). The Queues
// variant is in examples-queue.test.mjs.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { fixture, lark, root } from "./helpers.mjs";
import { startRedis } from "./redis-server.mjs";
import { storeContract } from "./store-contract.mjs";
import { buildWorker, exampleWorker, loadMiniflare, scriptedBackend, until, workerDir } from "./workers.mjs";

const KEY = "example-encrypt-key";
const TOKEN = "example-verification-token";

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
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
    const plain = lark.createTestDelivery({ event: { type: "url_verification", challenge: "c-plain" }, verificationToken: TOKEN });
    const r2 = await context.postPlain(plain);
    assert.equal(r2.status, 200);
    assert.deepEqual(await r2.json(), { challenge: "c-plain" });
  });

  test(`${name}: each helpdesk event is handled, typed, before the 200`, async () => {
    for (const [type, file, prefix] of EVENTS) {
      const id = crypto.randomUUID();
      const response = await context.post(sign(event(file, id)));
      assert.equal(response.status, 200, type);
      await until(() => context.logs().includes(id), `${type} to be printed`, 2000);
      const line = context.logs().split("\n").find((l) => l.includes(id));
      assert.match(line, new RegExp(`^(${prefix} |▶ )${type.replaceAll(".", "\\.")} \\[${id}\\] ticket 6626871355780366331`));
      assert.ok(!line.includes("untyped"), line);
    }
  });

  test(`${name}: an unknown event type reaches the catch-all handler`, async () => {
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
    // The window is the platform's 7.5-hour retry window (a dedup store is in effect): 8 hours is too old.
    await expect(sign(event("ticket_created_v1.json"), { timestamp: Math.floor(Date.now() / 1000) - 8 * 3600 }), 401, "timestamp_out_of_range");
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
    await sleep(200);
    assert.equal(context.logs().split(id).length - 1, 1, "handled exactly once");
  });
}

describe("Cloudflare Worker example (workerd via miniflare)", () => {
  let Miniflare;
  let mf;
  let output = "";
  let dist;
  const backend = scriptedBackend();
  const persist = mkdtempSync(join(tmpdir(), "larkhook-do-"));
  const secrets = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };

  async function start() {
    const worker = (name, overrides) => exampleWorker("wrangler.toml", dist, { name, ...overrides });
    // A subclass that can show the Durable Object's storage: proves the alarm cleans up.
    const wasm = readdirSync(dist).find((f) => f.endsWith(".wasm"));
    const probe = `import { DedupObject } from "./index.js";
export class ProbedDedupObject extends DedupObject {
  async stored() { return JSON.stringify({ entries: (await this.ctx.storage.list()).size, alarm: await this.ctx.storage.getAlarm() }); }
}
export default { fetch() { return new Response("probe"); } };`;
    mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      durableObjectsPersist: persist,
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (d) => (output += d));
        stderr.on("data", (d) => (output += d));
      },
      workers: [
        await worker("a", { bindings: secrets }),
        // Worker "b" uses worker "a"'s Durable Object class: two isolates, one store.
        await worker("b", { bindings: secrets, durableObjects: { DEDUP: { className: "DedupObject", scriptName: "a" } } }),
        await worker("plain", { bindings: { LARK_VERIFICATION_TOKEN: TOKEN } }),
        await worker("unset", { bindings: {} }),
        await worker("forwarding", { bindings: secrets, serviceBindings: { BACKEND: (request) => backend.fetch(request) } }),
        {
          name: "probe",
          modulesRoot: dist,
          modules: [
            { type: "ESModule", path: join(dist, "probe.mjs"), contents: probe },
            { type: "ESModule", path: join(dist, "index.js") },
            { type: "CompiledWasm", path: join(dist, wasm) },
          ],
          compatibilityDate: "2026-04-01",
          durableObjects: { DEDUP: "ProbedDedupObject" },
        },
      ],
    });
    await mf.ready;
  }

  const postTo = async (name, delivery) =>
    (await mf.getWorker(name)).fetch("http://127.0.0.1/webhook/event", { method: "POST", headers: delivery.headers, body: delivery.body });

  before(async () => {
    dist = buildWorker("wrangler.toml", "fetch");
    Miniflare = await loadMiniflare();
    await start();
  });

  after(async () => {
    await mf?.dispose();
    rmSync(persist, { recursive: true, force: true });
  });

  endpointSuite("worker", {
    post: (delivery, target) => postTo(target === "second" ? "b" : "a", delivery),
    postPlain: (delivery) => postTo("plain", delivery),
    logs: () => output,
  });

  test("worker: without its secrets, every delivery is answered 500 invalid_config saying what to set", async () => {
    for (let i = 0; i < 2; i++) {
      const response = await postTo("unset", sign(event("ticket_created_v1.json")));
      assert.equal(response.status, 500);
      const body = await response.json();
      assert.equal(body.code, "invalid_config");
      assert.match(body.message, /wrangler secret put LARK_ENCRYPT_KEY.*the platform retries/);
    }
  });

  test("worker: a backend that fails twice then succeeds: 500, 500, 200; the event completed once", async () => {
    const id = crypto.randomUUID();
    backend.plan(id, 500, 500, 200);
    const delivery = sign(event("ticket_created_v1.json", id));
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await postTo("forwarding", delivery);
      statuses.push(response.status);
      if (response.status !== 200) assert.equal((await response.json()).code, "handler_failed");
    }
    assert.deepEqual(statuses, [500, 500, 200, 200], "the 4th is a duplicate: answered from the store");
    assert.equal(backend.calls.get(id), 3);
    assert.equal(backend.completed.get(id), 1);
    assert.match(output, new RegExp(`larkhook: .*${id}: the backend answered 500`));
  });

  test("worker: a handler past the 2.5 s deadline: 503, it finishes in ctx.waitUntil, the retry gets 200 without running it", async () => {
    const id = crypto.randomUUID();
    backend.plan(id, { status: 200, delayMs: 3200 });
    const delivery = sign(event("ticket_created_v1.json", id));
    const started = Date.now();
    const late = await postTo("forwarding", delivery);
    const elapsed = Date.now() - started;
    assert.equal(late.status, 503);
    assert.equal((await late.json()).code, "in_progress");
    assert.ok(elapsed >= 2400 && elapsed < 3000, `answered at the deadline (${elapsed} ms)`);
    const whileRunning = await postTo("forwarding", delivery);
    assert.equal(whileRunning.status, 503, "a retry while the lease is held");
    await until(() => backend.completed.get(id) === 1, "the handler to finish after the answer", 3000);
    await sleep(100);
    assert.equal((await postTo("forwarding", delivery)).status, 200);
    assert.equal(backend.calls.get(id), 1, "ran once");
  });

  test("worker: a duplicate is caught by a restarted runtime sharing the store", async () => {
    const id = crypto.randomUUID();
    const delivery = sign(event("ticket_created_v1.json", id));
    assert.equal((await postTo("a", delivery)).status, 200);
    await mf.dispose();
    await start();
    assert.equal((await postTo("a", delivery)).status, 200);
    await sleep(200);
    assert.equal(output.split(id).length - 1, 1, "handled once across two runtimes");
  });

  test("worker: other paths are not the webhook", async () => {
    const response = await (await mf.getWorker("a")).fetch("http://127.0.0.1/");
    assert.equal(response.status, 404);
  });

  describe("the Durable Object dedup store", () => {
    storeContract("durable object", async () => {
      const ns = await mf.getDurableObjectNamespace("DEDUP", "a");
      const stub = (id) => ns.get(ns.idFromName(id));
      return {
        make: () => ({
          begin: (id, lease, owner) => stub(id).begin(lease, owner),
          extend: (id, lease, owner) => stub(id).extend(lease, owner),
          done: (id, ttl) => stub(id).done(ttl),
          release: (id, owner) => stub(id).release(owner),
        }),
        wait: sleep,
      };
    });

    test("durable object: the alarm deletes an entry once it expired", async () => {
      const ns = await mf.getDurableObjectNamespace("DEDUP", "probe");
      const object = ns.get(ns.idFromName(crypto.randomUUID()));
      assert.equal(await object.begin(60, "o"), "new");
      const leased = JSON.parse(await object.stored());
      assert.equal(leased.entries, 1);
      assert.ok(leased.alarm > Date.now() + 50_000, "the alarm is set at the lease's expiry");
      await object.done(0.2);
      await sleep(600);
      assert.deepEqual(JSON.parse(await object.stored()), { entries: 0, alarm: null });
    });
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
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LARK_ENCRYPT_KEY: "", LARK_VERIFICATION_TOKEN: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
      output += d;
    });
    child.stderr.on("data", (d) => {
      text += d;
      output += d;
    });
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    const url = new Promise((resolve, reject) => {
      exited.then(({ code }) => {
        clearInterval(poll);
        reject(new Error(`server exited with ${code}: ${text}`));
      });
      const poll = setInterval(() => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (m) {
          clearInterval(poll);
          resolve(m[1]);
        }
      }, 10);
    });
    url.catch(() => {});
    return { child, url, exited, text: () => text };
  }

  async function stopServer(child, signal = "SIGINT") {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(child.pid, signal);
    await exited;
  }

  /** A backend for FORWARD_URL on 127.0.0.1 that holds each request until `release()`. */
  async function holdingBackend() {
    const held = [];
    const received = [];
    const http = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        received.push(JSON.parse(body).event_id);
        held.push(() => res.writeHead(200).end("ok"));
      });
    });
    await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${http.address().port}/events`,
      received,
      release: () => held.splice(0).forEach((answer) => answer()),
      close: () => {
        http.closeAllConnections();
        http.close();
      },
    };
  }

  before(async () => {
    const main = startServer({ LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN });
    server = main.child;
    base = await main.url;
    const plain = startServer({ LARK_VERIFICATION_TOKEN: TOKEN });
    plainServer = plain.child;
    plainBase = await plain.url;
  });

  after(async () => {
    await stopServer(server);
    await stopServer(plainServer);
  });

  const postTo = (url, delivery) => fetch(`${url}/webhook/event`, { method: "POST", headers: delivery.headers, body: delivery.body });

  endpointSuite("node", {
    post: (delivery) => postTo(base, delivery),
    postPlain: (delivery) => postTo(plainBase, delivery),
    logs: () => output,
  });

  test("node: prints its settings (never a secret) and a command that posts samples, which it handles", async () => {
    assert.match(output, /Encrypt Key\s+set \(not shown\)\n/);
    assert.match(output, /Verification Token\s+set \(not shown\)\n/);
    assert.ok(!output.includes(KEY) && !output.includes(TOKEN), "neither secret is printed");
    assert.match(output, /Dedup store\s+in memory/);
    // The printed command, pasted at the repository root as is, the secrets in the environment as for the server (JSON to read its outcome).
    const command = /^ {2}(npx --prefix examples\/node-server larkhook trigger all --url \S+)$/m.exec(output)[1];
    const env = { ...process.env, LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };
    const sent = JSON.parse(execFileSync("bash", ["-c", `${command} --json`], { cwd: root, encoding: "utf8", env }));
    assert.equal(sent.ok, true);
    assert.deepEqual(
      sent.deliveries.map((d) => [d.event_type ?? d.type, d.status]),
      [["url_verification", 200], ...EVENTS.map(([type]) => [type, 200])],
    );
    // The package's samples (samples.mjs): the documentation's events.
    await until(() => /guest \(ou_84aad35d084aa403a838cf73ee18467\): 请问vpn怎么下载/.test(output), "the sample message to be printed");
    assert.match(output, /status processing \/ 处理中 \(2\) → closed by bot \/ 被机器人关闭 \(50\)/);
  });

  test("node: refuses to start without secrets (no demo fallback), unless LARK_INSECURE=1", async () => {
    const refused = startServer({});
    assert.deepEqual(await refused.exited, { code: 2, signal: null });
    assert.match(refused.text(), /refusing to start without secrets[\s\S]*LARK_ENCRYPT_KEY and LARK_VERIFICATION_TOKEN[\s\S]*make demo[\s\S]*LARK_INSECURE=1/);
    assert.doesNotMatch(refused.text(), /demo-encrypt-key/);

    const insecure = startServer({ LARK_INSECURE: "1" });
    const url = await insecure.url;
    try {
      const id = crypto.randomUUID();
      const plain = JSON.stringify({ schema: "2.0", header: { event_id: id, event_type: "a.b" }, event: {} });
      const response = await fetch(`${url}/webhook/event`, { method: "POST", body: plain });
      assert.equal(response.status, 200);
      assert.match(insecure.text(), new RegExp(id));
    } finally {
      await stopServer(insecure.child);
    }
  });

  test("node: SIGTERM stops accepting, waits for the running handler, then exits 0", async () => {
    const forward = await holdingBackend();
    const node = startServer({ LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN, FORWARD_URL: forward.url });
    try {
      const url = await node.url;
      const id = crypto.randomUUID();
      const answer = postTo(url, sign(event("ticket_created_v1.json", id)));
      await until(() => forward.received.includes(id), "the handler to reach the backend");
      process.kill(node.child.pid, "SIGTERM");
      await until(() => /SIGTERM: stopping/.test(node.text()), "the server to start stopping");
      await assert.rejects(fetch(`${url}/`), "no new connections");
      await sleep(200);
      assert.equal(node.child.exitCode, null, "still waiting for the handler");
      forward.release();
      assert.equal((await answer).status, 200, "the delivery in flight got its 200");
      assert.deepEqual(await node.exited, { code: 0, signal: null });
    } finally {
      forward.close();
      await stopServer(node.child, "SIGKILL");
    }
  });

  test("node: the drain is bounded (DRAIN_TIMEOUT_MS): a stuck handler does not keep it alive", async () => {
    const forward = await holdingBackend();
    const node = startServer({ LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN, FORWARD_URL: forward.url, DRAIN_TIMEOUT_MS: "300" });
    try {
      const url = await node.url;
      const id = crypto.randomUUID();
      postTo(url, sign(event("ticket_created_v1.json", id))).catch(() => {});
      await until(() => forward.received.includes(id), "the handler to reach the backend");
      process.kill(node.child.pid, "SIGTERM");
      assert.deepEqual(await node.exited, { code: 1, signal: null });
      assert.match(node.text(), /stopped with \d+ handler\(s\) still running: their leases expire and the platform's retries run them again/);
    } finally {
      forward.close();
    }
  });

  test("node: with REDIS_URL the dedup store survives a restart", async () => {
    const redis = await startRedis();
    try {
      const env = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN, REDIS_URL: redis.url };
      const id = crypto.randomUUID();
      const delivery = sign(event("ticket_created_v1.json", id));
      for (let run = 0; run < 2; run++) {
        const node = startServer(env);
        const url = await node.url;
        await until(() => /Send a signed/.test(node.text()), "the banner");
        assert.match(node.text(), /Dedup store\s+Redis \(REDIS_URL\)/);
        assert.doesNotMatch(node.text(), new RegExp(String(redis.port)), "the Redis URL is not printed");
        assert.equal((await postTo(url, delivery)).status, 200);
        await stopServer(node.child, "SIGTERM");
        assert.equal(node.child.exitCode, 0);
      }
      assert.equal(output.split(`[${id}]`).length - 1, 1, "handled once across two server processes");
      assert.equal(redis.cli("GET", `larkhook:dedup:${id}`), "done");
    } finally {
      await redis.stop();
    }
  });

  test("node: stops cleanly on SIGINT", async () => {
    const { child, url } = startServer({ LARK_ENCRYPT_KEY: KEY });
    await url;
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    process.kill(child.pid, "SIGINT");
    assert.deepEqual(await exited, { code: 0, signal: null });
  });
});

// Keep the file self-checking: the Workers' sources are what the README documents.
test("the Worker example's configs point at its two entries", () => {
  assert.match(readFileSync(join(workerDir, "wrangler.toml"), "utf8"), /main = "src\/index\.mjs"/);
  assert.match(readFileSync(join(workerDir, "wrangler.queue.toml"), "utf8"), /main = "src\/queue\.mjs"/);
});
