// createConsumer: the queue side of createHandler({ enqueue }). Resolves
// (ack) when the event was handled now or before, throws (retry) when not;
// the same begin / done / release as the endpoint.
import assert from "node:assert/strict";
import { test } from "node:test";

import { KEY, TOKEN, lark } from "./helpers.mjs";

const { createConsumer, createHandler, MemoryDedupStore } = lark;
const options = { encryptKey: KEY, verificationToken: TOKEN };

/** A parsed event as the endpoint would enqueue it, after a structured clone (what Queues send does). */
function queued(type = "helpdesk.ticket.created_v1", id = crypto.randomUUID()) {
  const d = lark.createTestDelivery({ event: JSON.stringify({ schema: "2.0", header: { event_id: id, event_type: type }, event: { ticket_id: "1" } }), ...options });
  return structuredClone({ ...new lark.LarkWebhook(options).parse(d) });
}

test("runs the handler once per event id; the context is passed through", async () => {
  const runs = [];
  const consume = createConsumer({ on: { "helpdesk.ticket.created_v1": (m, context) => runs.push([m.header.event_id, context.attempt]) } });
  const event = queued();
  await consume(event, { attempt: 1 });
  await consume(structuredClone(event), { attempt: 2 });
  assert.deepEqual(runs, [[event.header.event_id, 1]], "the second copy is acknowledged without running");
});

test("a failing handler: the lease is released, onError told, the error thrown so the queue retries", async () => {
  let runs = 0;
  const reported = [];
  const store = new MemoryDedupStore();
  const consume = createConsumer({
    dedup: store,
    on: {
      "*": () => {
        runs += 1;
        if (runs <= 2) throw new Error(`attempt ${runs} failed`);
      },
    },
    onError: (error, m, context) => reported.push([error.message, m.header.event_id, context.attempt]),
  });
  const event = queued();
  await assert.rejects(consume(event, { attempt: 1 }), /attempt 1 failed/);
  await assert.rejects(consume(event, { attempt: 2 }), /attempt 2 failed/);
  await consume(event, { attempt: 3 });
  await consume(event, { attempt: 4 });
  assert.equal(runs, 3, "failed twice, then ran to completion once");
  assert.deepEqual(reported, [
    ["attempt 1 failed", event.header.event_id, 1],
    ["attempt 2 failed", event.header.event_id, 2],
  ]);
  assert.equal(store.begin(event.header.event_id, 60), "done");
});

test("another consumer holding the lease: in_progress is thrown, the handler not run twice", async () => {
  let open;
  const gate = new Promise((resolve) => (open = resolve));
  let runs = 0;
  const consume = createConsumer({
    on: {
      "*": async () => {
        runs += 1;
        await gate;
      },
    },
  });
  const event = queued();
  const first = consume(event);
  await assert.rejects(consume(structuredClone(event)), { code: "in_progress", status: 503, message: /retry the message after the lease \(60 s\)/ });
  open();
  await first;
  assert.equal(runs, 1);
});

test("a failing store: dedup_unavailable is thrown and reported, the handler not run", async () => {
  let runs = 0;
  const reported = [];
  const consume = createConsumer({
    on: { "*": () => (runs += 1) },
    dedup: { begin: () => Promise.reject(new Error("store down")), done() {}, release() {} },
    onError: (error) => reported.push([error.code, error.cause.message]),
  });
  await assert.rejects(consume(queued()), { code: "dedup_unavailable" });
  assert.equal(runs, 0);
  assert.deepEqual(reported, [["dedup_unavailable", "store down"]]);
});

test("handlers are own properties of on, then '*', then none (done, acknowledged)", async () => {
  const runs = [];
  const store = new MemoryDedupStore();
  const consume = createConsumer({ dedup: store, on: Object.assign(Object.create({ inherited: () => runs.push("the inherited function") }), { "*": (m) => runs.push(`* ${m.event_type}`) }) });
  await consume(queued("inherited"));
  await consume(queued("toString"));
  assert.deepEqual(runs, ["* inherited", "* toString"], "'*' ran for both; the inherited function never");
  const none = createConsumer({ dedup: store, on: {} });
  const event = queued("x.y");
  await none(event);
  assert.equal(store.begin(event.header.event_id, 60), "done");
});

test("dedup: false runs every copy; bad input and options are refused", async () => {
  let runs = 0;
  const consume = createConsumer({ dedup: false, on: { "*": () => (runs += 1) } });
  const event = queued();
  await consume(event);
  await consume(event);
  assert.equal(runs, 2);
  await assert.rejects(consume({ kind: "challenge" }), { code: "invalid_argument" });
  assert.throws(() => createConsumer({ dedup: { claim() {} } }), { code: "invalid_config", message: /old claim/ });
  assert.throws(() => createConsumer({ on: { a: 1 } }), { code: "invalid_config" });
});

test("end to end in one process: createHandler enqueues, createConsumer runs; a duplicate enqueue runs once", async () => {
  const queue = [];
  const runs = [];
  const endpoint = createHandler({ ...options, enqueue: (m) => queue.push(structuredClone({ ...m })) });
  const consume = createConsumer({ on: { "*": (m) => runs.push(m.header.event_id) } });
  const id = crypto.randomUUID();
  const d = lark.createTestDelivery({ event: { schema: "2.0", header: { event_id: id, event_type: "a.b" }, event: {} }, ...options });
  for (let i = 0; i < 2; i++) {
    const response = await endpoint(new Request("http://x/", { method: "POST", headers: d.headers, body: d.body }));
    assert.equal(response.status, 200);
  }
  assert.equal(queue.length, 2);
  for (const message of queue) await consume(message);
  assert.deepEqual(runs, [id]);
});
