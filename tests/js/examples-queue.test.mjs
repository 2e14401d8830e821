// The Queues variant of examples/cloudflare-worker (src/queue.mjs,
// wrangler.queue.toml), bundled by wrangler and run in workerd through
// miniflare with the queues, retries and dead-letter queue its config
// declares. Test-only behaviour comes in through bindings: the BACKEND
// service (a scripted Node function), a retry base of 0 s, and, for one
// worker, a queue producer that fails or stalls on command.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { fixture, lark } from "./helpers.mjs";
import { scriptedBackend, startQueueExample, until } from "./workers.mjs";

const KEY = "queue-encrypt-key";
const TOKEN = "queue-verification-token";
const QUEUE = "larkhook-events";
const DLQ = "larkhook-events-dlq";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sign = (event) => lark.createTestDelivery({ event, encryptKey: KEY, verificationToken: TOKEN });
const event = (id) => fixture("ticket_created_v1.json").replace(/"event_id": "5e3702a84e847582be8db7fb73283c02"/, `"event_id": "${id}"`);

describe("Cloudflare Worker example, Queues variant (workerd via miniflare)", () => {
  let example;
  let producerMode = "ok";
  const backend = scriptedBackend();
  const secrets = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };
  const post = (name, delivery) => example.post(name, delivery);
  const output = () => example.output();

  before(async () => {
    example = await startQueueExample({ secrets, backend, producerMode: () => producerMode });
    assert.equal(example.consumer.deadLetterQueue, DLQ, "the config names the dead-letter queue");
    assert.equal(example.queue, QUEUE);
  });

  after(async () => {
    await example?.mf.dispose();
  });

  test("queue: 200 once queued; the consumer runs the handler once, a duplicate delivery is acknowledged without running", async () => {
    const id = crypto.randomUUID();
    const delivery = sign(event(id));
    assert.equal((await post("q", delivery)).status, 200);
    await until(() => backend.completed.get(id) === 1, "the consumer to handle the event");
    assert.equal((await post("q", delivery)).status, 200, "the platform's duplicate is queued too");
    // A later event: once it is handled, the queue has reached the duplicate.
    const marker = crypto.randomUUID();
    assert.equal((await post("q", sign(event(marker)))).status, 200);
    await until(() => backend.completed.get(marker) === 1, "the later event to be handled");
    await sleep(200);
    assert.equal(backend.calls.get(id), 1, "the second copy found the event done");
    assert.match(output(), new RegExp(`ticket created: helpdesk\\.ticket\\.created_v1 \\[${id}\\]`));
  });

  test("queue: a handler that fails twice then succeeds runs to completion exactly once", async () => {
    const id = crypto.randomUUID();
    backend.plan(id, 500, 500, 200);
    assert.equal((await post("q", sign(event(id)))).status, 200);
    await until(() => backend.completed.get(id) === 1, "the third attempt to succeed");
    await sleep(300);
    assert.equal(backend.calls.get(id), 3);
    assert.equal(backend.completed.get(id), 1);
    assert.equal(example.deadLetters.filter((d) => d.body.header.event_id === id).length, 0);
  });

  test("queue: a handler that always fails ends in the dead-letter queue after max_retries", async () => {
    const id = crypto.randomUUID();
    backend.plan(id, 500);
    assert.equal((await post("q", sign(event(id)))).status, 200);
    await until(() => example.deadLetters.some((d) => d.body.header.event_id === id), "the poison message in the dead-letter queue", 10_000);
    const letter = example.deadLetters.find((d) => d.body.header.event_id === id);
    assert.equal(letter.body.event_type, "helpdesk.ticket.created_v1");
    assert.equal(letter.body.event.ticket_id, "6626871355780366331");
    assert.equal(backend.calls.get(id), example.consumer.maxRetries + 1, "every attempt ran the handler");
    assert.equal(backend.completed.get(id), undefined);
  });

  test("queue: nothing is acknowledged before it is durable: send throws → 500; a slow send → the 200 waits for it", async () => {
    const id = crypto.randomUUID();
    const delivery = sign(event(id));
    producerMode = "throw";
    const refused = await post("flaky", delivery);
    assert.equal(refused.status, 500);
    assert.equal((await refused.json()).code, "enqueue_failed");
    assert.match(output(), new RegExp(`larkhook: helpdesk\\.ticket\\.created_v1 ${id}: queue unavailable`));

    producerMode = "600";
    const started = Date.now();
    const accepted = await post("flaky", delivery);
    assert.equal(accepted.status, 200);
    assert.ok(Date.now() - started >= 600, "answered only after send resolved");
    await until(() => backend.completed.get(id) === 1, "the platform's retry to reach the consumer");
  });

  test("queue: without its secrets, every delivery is answered 500 invalid_config", async () => {
    const response = await post("unset", sign(event(crypto.randomUUID())));
    assert.equal(response.status, 500);
    assert.match((await response.json()).message, /wrangler secret put/);
  });
});
