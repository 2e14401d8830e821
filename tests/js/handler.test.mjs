// createHandler's delivery contract, from Node: the handler runs before the
// answer, 200 only once it succeeded, 5xx (so the platform retries) when it
// failed, is late, or the dedup store failed; the enqueue mode; fail closed;
// the node:http adapter and summarize.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";

import { KEY, TOKEN, fixture, lark } from "./helpers.mjs";

const { createHandler, ENDPOINT_CODES, LarkWebhookError, MemoryDedupStore, toNodeListener, summarize } = lark;

const options = { encryptKey: KEY, verificationToken: TOKEN };
const TTL_SECONDS = 8 * 3600;
const created = (id = crypto.randomUUID()) => fixture("ticket_created_v1.json").replace("5e3702a84e847582be8db7fb73283c02", id);
const request = (d, method = "POST") =>
  new Request("http://127.0.0.1/webhook/event", { method, headers: d.headers, body: method === "POST" ? d.body : undefined });
const deliver = (event, extra = {}) => lark.createTestDelivery({ event, ...options, ...extra });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Workers-like execution context that records waitUntil promises. */
function executionContext() {
  const pending = [];
  return { waitUntil: (p) => pending.push(p), settle: () => Promise.all(pending), pending };
}

/** A promise and the function that resolves it. */
function gate() {
  let open;
  const promise = new Promise((resolve) => (open = resolve));
  return { promise, open };
}

/** A MemoryDedupStore that records every call, in order. */
function recordingStore(store = new MemoryDedupStore()) {
  const calls = [];
  return {
    calls,
    begin: (...args) => (calls.push(["begin", ...args]), store.begin(...args)),
    done: (...args) => (calls.push(["done", ...args]), store.done(...args)),
    release: (...args) => (calls.push(["release", ...args]), store.release(...args)),
  };
}

/** The answer's status and `{ code, message }`, checking the body's shape and that the code's status is the table's. */
async function answerOf(response) {
  const body = await response.json();
  if (response.status >= 400) {
    assert.deepEqual(Object.keys(body), ["code", "message"]);
    assert.ok(body.message.length > 20, body.message);
    if (Object.hasOwn(ENDPOINT_CODES, body.code)) assert.equal(response.status, ENDPOINT_CODES[body.code], body.code);
  }
  return { status: response.status, code: body.code, body };
}

test("a verified event is handled before the answer: 200 only once the handler resolved", async () => {
  const { promise, open } = gate();
  const calls = [];
  const store = recordingStore();
  const handle = createHandler({
    ...options,
    dedup: store,
    on: {
      "helpdesk.ticket.created_v1": async (m, context) => {
        await promise;
        calls.push([m.kind, m.event.ticket_id, context.env.NAME, context.request.method]);
      },
    },
  });
  const id = crypto.randomUUID();
  const ctx = executionContext();
  let answered = false;
  const pending = handle(request(deliver(created(id))), { NAME: "env" }, ctx).then((r) => ((answered = true), r));
  await sleep(30);
  assert.equal(answered, false, "no answer while the handler runs");
  open();
  const { status, body } = await answerOf(await pending);
  assert.equal(status, 200);
  assert.deepEqual(body, { ok: true });
  assert.deepEqual(calls, [["event", "6626871355780366331", "env", "POST"]]);
  assert.deepEqual(
    store.calls.map(([op, eventId, seconds]) => [op, eventId, op === "release" ? undefined : seconds]),
    [
      ["begin", id, 60],
      ["done", id, TTL_SECONDS],
    ],
  );
  assert.match(store.calls[0][3], /^[0-9a-f]{24}$/, "begin gets a fresh owner token");
});

test("a throwing handler: lease released, onError told, 500 handler_failed; the retry runs it again", async () => {
  const errors = [];
  let runs = 0;
  const store = recordingStore();
  const handle = createHandler({
    ...options,
    dedup: store,
    on: {
      "*": () => {
        runs += 1;
        if (runs === 1) throw new Error("database down");
      },
    },
    onError: (error, m, context) => errors.push([error.message, m.header.event_id, context.request instanceof Request]),
  });
  const id = crypto.randomUUID();
  const d = deliver(created(id));
  const first = await answerOf(await handle(request(d)));
  assert.equal(first.status, 500);
  assert.equal(first.code, "handler_failed");
  assert.deepEqual(errors, [["database down", id, true]]);
  assert.deepEqual(store.calls.map((c) => c[0]), ["begin", "release"]);
  assert.equal(store.calls[1][2], store.calls[0][3], "released with the owner that began");

  const retry = await answerOf(await handle(request(d)));
  assert.equal(retry.status, 200);
  assert.equal(runs, 2);
  const duplicate = await answerOf(await handle(request(d)));
  assert.equal(duplicate.status, 200, "done: answered without running");
  assert.equal(runs, 2);
});

test("a handler past deadlineMs: 503 in_progress, keeps running in ctx.waitUntil, then done (a retry gets 200)", async () => {
  const { promise, open } = gate();
  let runs = 0;
  let finished = 0;
  const errors = [];
  const handle = createHandler({
    ...options,
    deadlineMs: 50,
    on: {
      "*": async () => {
        runs += 1;
        await promise;
        finished += 1;
      },
    },
    onError: (error) => errors.push(error.code),
  });
  const d = deliver(created());
  const ctx = executionContext();
  const started = Date.now();
  const late = await answerOf(await handle(request(d), ctx));
  assert.ok(Date.now() - started < 1000);
  assert.equal(late.status, 503);
  assert.equal(late.code, "in_progress");
  assert.deepEqual(errors, ["in_progress"], "the 503's cause is reported");
  assert.ok(ctx.pending.length >= 1, "the running handler is handed to waitUntil");

  const whileRunning = await answerOf(await handle(request(d), executionContext()));
  assert.equal(whileRunning.code, "in_progress", "a retry while the lease is held does not start a second run");
  assert.equal(runs, 1);

  open();
  await ctx.settle();
  assert.equal(finished, 1);
  const after = await answerOf(await handle(request(d), executionContext()));
  assert.equal(after.status, 200);
  assert.equal(runs, 1, "handled once");
});

test("a late handler that fails releases its lease: the next retry runs it again; drain waits for it on Node", async () => {
  const { promise, open } = gate();
  let runs = 0;
  const errors = [];
  const handle = createHandler({
    ...options,
    deadlineMs: 40,
    on: {
      "*": async () => {
        runs += 1;
        if (runs === 1) {
          await promise;
          throw new Error("late failure");
        }
      },
    },
    onError: (error) => errors.push(error.code ?? error.message),
  });
  const d = deliver(created());
  assert.equal((await handle(request(d))).status, 503);
  await sleep(1);
  assert.equal(handle.pending, 1, "the running handler is tracked without ctx");
  assert.equal(await handle.drain({ timeoutMs: 50 }), false, "drain gives up after its timeout");
  open();
  assert.equal(await handle.drain({ timeoutMs: 2000 }), true);
  assert.equal(handle.pending, 0);
  assert.deepEqual(errors, ["in_progress", "late failure"]);
  assert.equal((await handle(request(d))).status, 200);
  assert.equal(runs, 2);
});

test("the handler is an own property of on, then on['*'], then none (done, 200)", async () => {
  const runs = [];
  const inherited = Object.create({ "helpdesk.ticket.created_v1": () => runs.push("inherited") });
  const event = (type) => deliver(JSON.stringify({ schema: "2.0", header: { event_id: crypto.randomUUID(), event_type: type }, event: {} }));

  const store = recordingStore();
  const bare = createHandler({ ...options, dedup: store, on: inherited });
  for (const type of ["helpdesk.ticket.created_v1", "constructor", "toString", "__proto__", "hasOwnProperty"]) {
    const response = await bare(request(event(type)));
    assert.equal(response.status, 200, type);
  }
  assert.deepEqual(runs, [], "nothing inherited is ever called");
  assert.deepEqual([...new Set(store.calls.map((c) => c[0]))], ["begin", "done"], "no handler: the id is done");

  const star = createHandler({ ...options, on: { "*": (m) => runs.push(`* ${m.event_type}`), "a.b": () => runs.push("a.b") } });
  for (const type of ["a.b", "toString", "__proto__"]) assert.equal((await star(request(event(type)))).status, 200);
  assert.deepEqual(runs, ["a.b", "* toString", "* __proto__"]);
});

test("two deliveries of one event at once: one runs, the other gets 503 in_progress", async () => {
  const { promise, open } = gate();
  let runs = 0;
  const handle = createHandler({
    ...options,
    on: {
      "*": async () => {
        runs += 1;
        await promise;
      },
    },
    onError: () => {},
  });
  const d = deliver(created());
  const first = handle(request(d));
  const second = await answerOf(await handle(request(d)));
  assert.equal(second.status, 503);
  assert.equal(second.code, "in_progress");
  open();
  assert.equal((await first).status, 200);
  assert.equal(runs, 1);
});

test("a failing dedup store: 503 dedup_unavailable, the handler not run, onError told with the cause", async () => {
  let runs = 0;
  const reported = [];
  const onError = (error) => reported.push([error.code, error.cause?.message ?? error.message]);
  const on = { "*": () => (runs += 1) };
  const down = createHandler({
    ...options,
    on,
    onError,
    dedup: { begin: () => Promise.reject(new Error("store down")), done() {}, release() {} },
  });
  const r1 = await answerOf(await down(request(deliver(created()))));
  assert.deepEqual([r1.status, r1.code], [503, "dedup_unavailable"]);
  assert.deepEqual(reported.pop(), ["dedup_unavailable", "store down"]);

  const nonsense = createHandler({ ...options, on, onError, dedup: { begin: () => "yes", done() {}, release() {} } });
  const r2 = await answerOf(await nonsense(request(deliver(created()))));
  assert.deepEqual([r2.status, r2.code], [503, "dedup_unavailable"]);
  assert.match(reported.pop()[1], /begin returned "yes"/);

  // A store that answers after the deadline: 503 in time, and the lease it
  // grants late is given back.
  const inner = new MemoryDedupStore();
  const released = [];
  const slow = createHandler({
    ...options,
    on,
    onError,
    deadlineMs: 40,
    dedup: {
      begin: async (...args) => (await sleep(120), inner.begin(...args)),
      done: (...args) => inner.done(...args),
      release: (...args) => (released.push(args[0]), inner.release(...args)),
    },
  });
  const id = crypto.randomUUID();
  const started = Date.now();
  const r3 = await answerOf(await slow(request(deliver(created(id)))));
  assert.ok(Date.now() - started < 110, "answered at the deadline, not when the store answered");
  assert.deepEqual([r3.status, r3.code], [503, "dedup_unavailable"]);
  assert.equal(await slow.drain({ timeoutMs: 2000 }), true);
  assert.deepEqual(released, [id]);
  assert.equal(inner.begin(id, 60), "new", "the late lease was released");
  assert.equal(runs, 0, "never run unguarded");

  // done failing after a success: the handler's outcome stands (200), reported.
  const doneFails = createHandler({ ...options, on, onError, dedup: { begin: () => "new", done: () => Promise.reject(new Error("write failed")), release() {} } });
  assert.equal((await doneFails(request(deliver(created())))).status, 200);
  assert.deepEqual(reported.pop(), ["dedup_unavailable", "write failed"]);
  assert.equal(runs, 1);
});

test("dedup: false runs every delivery, and keeps the strict 300 s window", async () => {
  let runs = 0;
  const handle = createHandler({ ...options, dedup: false, on: { "*": () => (runs += 1) } });
  const d = deliver(created());
  assert.equal((await handle(request(d))).status, 200);
  assert.equal((await handle(request(d))).status, 200);
  assert.equal(runs, 2);
  const old = deliver(created(), { timestamp: Math.floor(Date.now() / 1000) - 301 });
  const refused = await answerOf(await handle(request(old)));
  assert.deepEqual([refused.status, refused.code], [401, "timestamp_out_of_range"]);
});

test("with a dedup store, a signed delivery up to the 7.5 h retry window old is accepted; a replay of a handled one runs nothing", async () => {
  let now = Date.UTC(2026, 0, 1);
  let runs = 0;
  const handle = createHandler({ ...options, clock: () => now, on: { "*": () => (runs += 1) } });
  const at = (secondsAgo, id) => deliver(created(id), { timestamp: Math.floor(now / 1000) - secondsAgo });
  const id = crypto.randomUUID();
  const first = at(0, id);
  assert.equal((await handle(request(first))).status, 200);
  now += (7 * 3600 + 5 * 60 + 15) * 1000; // the platform's last retry
  assert.equal((await handle(request(first))).status, 200, "the first attempt's signature, 7 h 05 min later");
  assert.equal(runs, 1, "a replay of a handled delivery finds its id done");
  assert.equal((await handle(request(at(7.5 * 3600 - 1)))).status, 200);
  const tooOld = await answerOf(await handle(request(at(7.5 * 3600 + 1))));
  assert.deepEqual([tooOld.status, tooOld.code], [401, "timestamp_out_of_range"]);
  assert.equal(runs, 2);

  const strict = createHandler({ ...options, clock: () => now, toleranceSeconds: 300, on: {} });
  assert.equal((await strict(request(at(301)))).status, 401, "an explicit toleranceSeconds wins");
});

test("enqueue: 200 once it resolved, 500 enqueue_failed when it threw, 503 enqueue_timeout when late; on is not run", async () => {
  const queued = [];
  const errors = [];
  let runs = 0;
  let mode = "ok";
  const handle = createHandler({
    ...options,
    deadlineMs: 60,
    on: { "*": () => (runs += 1) },
    onError: (error, m) => errors.push([error.code ?? error.message, m.header.event_id]),
    async enqueue(m, context) {
      if (mode === "throw") throw new Error("queue unavailable");
      if (mode === "late") await sleep(150);
      queued.push([m.header.event_id, context.env.QUEUE]);
    },
  });
  const ok = crypto.randomUUID();
  assert.equal((await handle(request(deliver(created(ok))), { QUEUE: "q" })).status, 200);
  assert.deepEqual(queued, [[ok, "q"]]);

  mode = "throw";
  const failed = crypto.randomUUID();
  const r1 = await answerOf(await handle(request(deliver(created(failed))), { QUEUE: "q" }));
  assert.deepEqual([r1.status, r1.code], [500, "enqueue_failed"]);
  assert.deepEqual(errors.pop(), ["queue unavailable", failed]);

  mode = "late";
  const late = crypto.randomUUID();
  const r2 = await answerOf(await handle(request(deliver(created(late))), { QUEUE: "q" }));
  assert.deepEqual([r2.status, r2.code], [503, "enqueue_timeout"]);
  assert.deepEqual(errors.pop(), ["enqueue_timeout", late]);
  assert.equal(await handle.drain({ timeoutMs: 2000 }), true);
  assert.deepEqual(queued.at(-1), [late, "q"], "the late enqueue finished (the consumer dedups the retry's copy)");
  assert.equal(runs, 0, "handlers run on the queue side");

  // Old signed deliveries are accepted with enqueue too: the consumer's store dedups.
  mode = "ok";
  const old = deliver(created(), { timestamp: Math.floor(Date.now() / 1000) - 3600 });
  assert.equal((await handle(request(old), { QUEUE: "q" })).status, 200);
});

test("fail closed: createHandler with neither key nor token is invalid_config unless insecure: true", async () => {
  assert.throws(() => createHandler({ on: {} }), { code: "invalid_config" });
  assert.throws(() => createHandler({ encryptKey: "", on: {} }), { code: "invalid_config" });
  assert.throws(() => createHandler({ on: {}, insecure: "yes" }), { code: "invalid_config" });
  let seen;
  const open = createHandler({ insecure: true, on: { "*": (m) => (seen = m.header.event_id) } });
  const plain = JSON.stringify({ schema: "2.0", header: { event_id: "plain-1", event_type: "a.b" }, event: {} });
  assert.equal((await open(new Request("http://x/", { method: "POST", body: plain }))).status, 200);
  assert.equal(seen, "plain-1");
  const tokenOnly = createHandler({ verificationToken: TOKEN, on: {} });
  assert.equal((await tokenOnly(request(lark.createTestDelivery({ event: plain, verificationToken: TOKEN })))).status, 200);
});

test("a refused delivery keeps its status; one whose cause is on our side (>= 500) is reported to onError", async () => {
  const reported = [];
  const handle = createHandler({ verificationToken: TOKEN, on: {}, onError: (error, m) => reported.push([error.code ?? error.message, m]) });
  const needsKey = await answerOf(await handle(request(deliver(created()))));
  assert.deepEqual([needsKey.status, needsKey.code], [500, "key_required"]);
  assert.deepEqual(reported.pop(), ["key_required", undefined]);

  const bad = await answerOf(await handle(new Request("http://x/", { method: "POST", body: "not json" })));
  assert.equal(bad.status, 400);
  assert.equal(reported.length, 0, "4xx: the sender's problem, not reported");

  // A runtime adapter that throws a LarkWebhookError while the body is read (e.g. the body was already consumed).
  const readBody = (error) => ({ method: "POST", url: "http://x/", headers: new Headers(), body: null, arrayBuffer: () => Promise.reject(error) });
  const consumed = await answerOf(await handle(readBody(new LarkWebhookError("body_already_read", 500, "the request body was already read by another middleware"))));
  assert.deepEqual([consumed.status, consumed.code], [500, "body_already_read"]);
  assert.equal(reported.pop()[0], "body_already_read");
  const broken = await answerOf(await handle(readBody(new Error("socket closed"))));
  assert.deepEqual([broken.status, broken.code], [500, "internal_error"]);
  assert.equal(reported.pop()[0], "socket closed");

  const getResponse = await handle(new Request("http://127.0.0.1/webhook/event"));
  assert.equal(getResponse.headers.get("allow"), "POST");
  const get = await answerOf(getResponse);
  assert.deepEqual([get.status, get.code], [405, "method_not_allowed"]);

  const challenge = await handle(request(lark.createTestDelivery({ event: { type: "url_verification", challenge: 'x"y' }, verificationToken: TOKEN })));
  assert.equal(challenge.status, 200);
  assert.equal(challenge.headers.get("content-type"), "application/json");
  assert.equal(await challenge.text(), '{"challenge":"x\\"y"}');
});

test("ENDPOINT_CODES: one frozen table, the one the declarations document", async () => {
  assert.ok(Object.isFrozen(ENDPOINT_CODES));
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { root } = await import("./helpers.mjs");
  const dts = readFileSync(join(root, "pkg-template", "src", "types", "endpoint.d.ts"), "utf8");
  const union = /export type EndpointCode =([^;]+);/.exec(dts)[1].match(/"(\w+)"/g).map((s) => s.slice(1, -1));
  assert.deepEqual(union.sort(), Object.keys(ENDPOINT_CODES).sort());
  for (const [code, status] of Object.entries(ENDPOINT_CODES)) {
    assert.match(dts, new RegExp(`\`${code}\` ${status}:`), `endpoint.d.ts documents ${code} as ${status}`);
    assert.ok(!lark.ERROR_CODES.includes(code), `${code} does not shadow a core code`);
  }
});

test("bad handler options are invalid_config, with a message that says what to do", () => {
  const refused = (extra) => {
    try {
      createHandler({ ...options, ...extra });
    } catch (error) {
      assert.equal(error.code, "invalid_config");
      return error.message;
    }
    assert.fail(`accepted ${JSON.stringify(Object.keys(extra))}`);
  };
  assert.match(refused({ on: { "*": "not a function" } }), /handler for "\*" is not a function/);
  assert.match(refused({ dedup: { claim: () => true } }), /old claim.*begin\(eventId, leaseSeconds, owner\).*done\(eventId, ttlSeconds\).*release\(eventId, owner\)/);
  assert.match(refused({ dedup: { begin() {}, done() {} } }), /lacks release/);
  assert.match(refused({ dedup: null }), /begin, done and release/);
  assert.match(refused({ deadlineMs: 0 }), /deadlineMs must be a positive number/);
  assert.match(refused({ leaseSeconds: Infinity }), /leaseSeconds/);
  assert.match(refused({ enqueue: "queue" }), /enqueue must be a function/);
  assert.match(refused({ onError: 1 }), /onError must be a function/);
});

test("toNodeListener serves over real HTTP on 127.0.0.1; the handler has run when the 200 arrives", async () => {
  const seen = [];
  const server = createServer(toNodeListener(createHandler({ ...options, on: { "*": (m) => seen.push(summarize(m)) } })));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${server.address().port}/webhook/event`;
    const d = deliver(created());
    const ok = await fetch(url, { method: "POST", headers: d.headers, body: d.body });
    assert.equal(ok.status, 200);
    assert.equal(seen.length, 1);
    assert.match(seen[0], /^helpdesk\.ticket\.created_v1 \[.*\] ticket 6626871355780366331 created by -: created \(1\), stage bot$/);
    const bad = await fetch(url, { method: "POST", headers: d.headers, body: d.body.replace("A", "C") });
    assert.equal(bad.status, 401);
    assert.equal((await bad.json()).code, "signature_mismatch");
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

test("summarize has its own line for every typed event type (EventType, from the registry)", () => {
  const hook = new lark.LarkWebhook({ insecure: true });
  for (const eventType of Object.values(lark.EventType)) {
    const m = hook.parse({ headers: {}, body: `{"schema":"2.0","header":{"event_id":"e1","event_type":"${eventType}"},"event":{}}` });
    assert.equal(m.kind, "event", eventType);
    // The ticket events name the ticket; the others their own subject (a notification, a card action).
    const own = eventType.startsWith("helpdesk.ticket") ? "ticket \\?" : "(notification|button|component|an action) ";
    assert.match(summarize(m), new RegExp(`^${eventType.replaceAll(".", "\\.")} \\[e1\\] ${own}`), eventType);
  }
});
