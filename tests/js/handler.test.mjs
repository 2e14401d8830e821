// createHandler, the dedup store and the node:http adapter, from Node.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";

import { KEY, TOKEN, fixture, lark } from "./helpers.mjs";

const { createHandler, MemoryDedupStore, toNodeListener, summarize } = lark;

const options = { encryptKey: KEY, verificationToken: TOKEN };
const created = () => fixture("ticket_created_v1.json").replace("5e3702a84e847582be8db7fb73283c02", crypto.randomUUID());
const request = (d, method = "POST") =>
  new Request("http://127.0.0.1/webhook/event", { method, headers: d.headers, body: method === "POST" ? d.body : undefined });
const deliver = (event) => lark.createTestDelivery({ event, ...options });

/** A Workers-like execution context that records waitUntil promises. */
function executionContext() {
  const pending = [];
  return { waitUntil: (p) => pending.push(p), settle: () => Promise.all(pending), pending };
}

test("acknowledges at once and runs the handler in ctx.waitUntil", async () => {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const calls = [];
  const handle = createHandler({
    ...options,
    on: {
      "helpdesk.ticket.created_v1": async (m, context) => {
        await gate;
        calls.push([m.kind, m.event.ticket_id, context.env.NAME, typeof context.request.url]);
      },
    },
  });
  const ctx = executionContext();
  const response = await handle(request(deliver(created())), { NAME: "env" }, ctx);
  assert.equal(response.status, 200, "answered before the handler finished");
  assert.equal(calls.length, 0);
  assert.equal(ctx.pending.length, 1);
  release();
  await ctx.settle();
  assert.deepEqual(calls, [["event", "6626871355780366331", "env", "string"]]);
});

test("a throwing handler is reported through onError and still answered 200", async () => {
  const errors = [];
  const handle = createHandler({
    ...options,
    on: { "*": () => Promise.reject(new Error("boom")) },
    onError: (error, m) => errors.push([error.message, m.event_type]),
  });
  const ctx = executionContext();
  const response = await handle(request(deliver(created())), ctx);
  assert.equal(response.status, 200);
  await ctx.settle();
  assert.deepEqual(errors, [["boom", "helpdesk.ticket.created_v1"]]);
});

test("challenges, refusals, unhandled types and methods", async () => {
  const handle = createHandler({ ...options, on: {} });
  const challenge = await handle(request(lark.createTestDelivery({ event: { type: "url_verification", challenge: "x\"y" }, ...options })));
  assert.equal(challenge.status, 200);
  assert.equal(challenge.headers.get("content-type"), "application/json");
  assert.equal(await challenge.text(), '{"challenge":"x\\"y"}');

  const refused = await handle(request({ headers: {}, body: "garbage" }));
  assert.equal(refused.status, 401);
  assert.deepEqual(Object.keys(await refused.json()), ["code", "message"]);

  const unhandled = await handle(request(deliver('{"schema":"2.0","header":{"event_id":"u1","event_type":"contact.user.created_v3"},"event":{}}')));
  assert.equal(unhandled.status, 200, "no handler: acknowledged so the platform does not retry");

  const get = await handle(new Request("http://127.0.0.1/webhook/event"));
  assert.equal(get.status, 405);
});

test("duplicates run once; a failing store does not drop events", async () => {
  let runs = 0;
  const handle = createHandler({ ...options, on: { "*": () => (runs += 1) } });
  const d = deliver(created());
  const ctx = executionContext();
  await handle(request(d), ctx);
  await handle(request(d), ctx);
  await ctx.settle();
  assert.equal(runs, 1);

  const reported = [];
  const broken = createHandler({
    ...options,
    dedup: { claim: () => Promise.reject(new Error("store down")) },
    on: { "*": () => (runs += 1) },
    onError: (e) => reported.push(e.message),
  });
  const ctx2 = executionContext();
  await broken(request(deliver(created())), ctx2);
  await ctx2.settle();
  assert.equal(runs, 2);
  assert.deepEqual(reported, ["store down"]);

  const noDedup = createHandler({ ...options, dedup: false, on: { "*": () => (runs += 1) } });
  const ctx3 = executionContext();
  await noDedup(request(d), ctx3);
  await noDedup(request(d), ctx3);
  await ctx3.settle();
  assert.equal(runs, 4);
});

test("MemoryDedupStore is bounded and forgets after its TTL", async () => {
  const store = new MemoryDedupStore({ maxEntries: 3, ttlSeconds: 3600 });
  assert.equal(store.claim("a"), true);
  assert.equal(store.claim("a"), false);
  for (const id of ["b", "c", "d", "e"]) store.claim(id);
  assert.equal(store.size, 3);
  assert.equal(store.claim("a"), true, "the oldest was evicted");
  const short = new MemoryDedupStore({ ttlSeconds: 0.05 });
  short.claim("x");
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(short.claim("x"), true, "expired");
});

test("bad handler options are invalid_config", () => {
  assert.throws(() => createHandler({ ...options, on: { "*": "not a function" } }), { code: "invalid_config" });
  assert.throws(() => createHandler({ ...options, dedup: {} }), { code: "invalid_config" });
  assert.throws(() => createHandler({ encryptKey: "" }), { code: "invalid_config" });
});

test("toNodeListener serves over real HTTP on 127.0.0.1", async () => {
  const seen = [];
  const server = createServer(toNodeListener(createHandler({ ...options, on: { "*": (m) => seen.push(summarize(m)) } })));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${server.address().port}/webhook/event`;
    const d = deliver(created());
    const ok = await fetch(url, { method: "POST", headers: d.headers, body: d.body });
    assert.equal(ok.status, 200);
    const bad = await fetch(url, { method: "POST", headers: d.headers, body: d.body.replace("A", "C") });
    assert.equal(bad.status, 401);
    assert.equal((await bad.json()).code, "signature_mismatch");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(seen.length, 1);
    assert.match(seen[0], /^helpdesk\.ticket\.created_v1 \[.*\] ticket 6626871355780366331 created by -: created \(1\), stage bot$/);
  } finally {
    server.close();
  }
});

test("summarize reads like the documentation", () => {
  const hook = new lark.LarkWebhook(options);
  const updated = hook.parse(deliver(fixture("ticket_updated_v1.json")));
  assert.equal(summarize(updated), "helpdesk.ticket.updated_v1 [5e3702a84e847582be8db7fb73283c02] ticket 6626871355780366331: closed by bot (50) → created (1)");
  const message = hook.parse(deliver(fixture("ticket_message_created_v1.json")));
  assert.equal(summarize(message), 'helpdesk.ticket_message.created_v1 [5e3702a84e847582be8db7fb73283c02] ticket 6626871355780366331: bot wrote "请问vpn怎么下载"');
});
