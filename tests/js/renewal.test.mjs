// createHandler and createConsumer under their leases (issue 17, contract
// items 3 and 4, and a done() that fails): the lease is renewed while the
// handler runs, the handler's context.signal aborts when the lease is lost or
// a drain gives up, and done is retried. Real time, short leases.
import assert from "node:assert/strict";
import { test } from "node:test";

import { KEY, TOKEN, fixture, lark } from "./helpers.mjs";

const { createConsumer, createHandler, MemoryDedupStore } = lark;
const options = { encryptKey: KEY, verificationToken: TOKEN };
const created = (id = crypto.randomUUID()) => fixture("ticket_created_v1.json").replace("5e3702a84e847582be8db7fb73283c02", id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const post = async (handle, event) => {
  const d = lark.createTestDelivery({ event, ...options });
  const response = await handle(new Request("http://127.0.0.1/webhook/event", { method: "POST", headers: d.headers, body: d.body }));
  return [response.status, (await response.json()).code];
};

/** A memory store that counts extend calls; `extendAnswers` replaces its answers when set. */
function countingStore(inner = new MemoryDedupStore()) {
  const store = {
    extends: 0,
    extendAnswer: undefined,
    begin: (...args) => inner.begin(...args),
    extend(...args) {
      store.extends++;
      if (typeof store.extendAnswer === "function") return store.extendAnswer();
      return inner.extend(...args);
    },
    done: (...args) => inner.done(...args),
    release: (...args) => inner.release(...args),
  };
  return store;
}

test("contract 3: leaseSeconds 1, a handler running 4 s, copies every 500 ms: it runs once, the copies get 503 in_progress, a copy after it finished gets 200", async () => {
  const store = countingStore();
  let runs = 0;
  let finished = false;
  const handle = createHandler({
    ...options,
    leaseSeconds: 1,
    dedup: store,
    onError: () => {},
    on: {
      "*": async () => {
        runs++;
        await sleep(4000);
        finished = true;
      },
    },
  });
  const event = created();
  // A copy every 500 ms, each on its own, whatever the earlier ones are waiting for.
  const copies = [];
  for (let at = 0; !finished; at += 500) {
    copies.push(post(handle, event));
    await sleep(500);
  }
  const answers = await Promise.all(copies);
  const after = await post(handle, event);
  assert.equal(runs, 1);
  assert.ok(answers.length >= 8, `${answers.length} copies while it ran`);
  for (const answer of answers) assert.deepEqual(answer, [503, "in_progress"], "the first: still running at deadlineMs; the others: held by its lease");
  assert.equal(after[0], 200);
  assert.ok(store.extends >= 8, `${store.extends} renewals in 4 s (every 333 ms)`);
  assert.equal(await handle.drain({ timeoutMs: 1000 }), true);
});

test("contract 3: createConsumer renews its lease too: a second consumer's copy meanwhile is in_progress, never run", async () => {
  const store = countingStore();
  let runs = 0;
  const consume = createConsumer({ leaseSeconds: 0.3, dedup: store, onError: () => {}, on: { "*": async () => (runs++, await sleep(1200)) } });
  const event = lark.createTestDelivery({ event: created(), ...options });
  const inbound = new lark.LarkWebhook(options).parse(event);
  const first = consume(structuredClone(inbound));
  for (let i = 0; i < 4; i++) {
    await sleep(250);
    await assert.rejects(consume(structuredClone(inbound)), { code: "in_progress" });
  }
  await first;
  await consume(structuredClone(inbound));
  assert.equal(runs, 1);
  assert.ok(store.extends >= 3);
});

test("a custom store without extend still works; its lease is not renewed, and the handler's signal says when it ran out", async () => {
  const inner = new MemoryDedupStore();
  const store = { begin: (...a) => inner.begin(...a), done: (...a) => inner.done(...a), release: (...a) => inner.release(...a) };
  const reasons = [];
  const handle = createHandler({
    ...options,
    leaseSeconds: 0.3,
    deadlineMs: 2000,
    dedup: store,
    onError: () => {},
    on: {
      "*": async (m, context) => {
        await sleep(500);
        reasons.push(context.signal.aborted ? context.signal.reason.code : "not aborted");
      },
    },
  });
  const event = created();
  assert.equal((await post(handle, event))[0], 200);
  assert.deepEqual(reasons, ["lease_lost"]);
  assert.equal((await post(handle, event))[0], 200, "done was recorded all the same");
  assert.equal(reasons.length, 1);
});

test("contract 4: context.signal aborts when the lease is lost: extend answered false, or extend failed; onError is told lease_lost", async () => {
  for (const extendAnswer of [() => false, () => Promise.reject(new Error("injected: extend failed"))]) {
    const store = countingStore();
    const errors = [];
    let seen;
    const handle = createHandler({
      ...options,
      leaseSeconds: 0.3,
      // Answered (503) well before the first renewal, at 100 ms.
      deadlineMs: 30,
      dedup: store,
      onError: (error) => errors.push(error.code),
      on: {
        "*": (m, context) =>
          new Promise((resolve, reject) => {
            assert.ok(context.signal instanceof AbortSignal);
            assert.equal(context.signal.aborted, false);
            context.signal.addEventListener("abort", () => {
              seen = context.signal.reason;
              reject(context.signal.reason);
            });
          }),
      },
    });
    store.extendAnswer = extendAnswer;
    assert.deepEqual(await post(handle, created()), [503, "in_progress"]);
    await handle.drain({ timeoutMs: 2000 });
    assert.equal(seen.code, "lease_lost");
    assert.equal(seen.status, 503);
    assert.ok(errors.includes("lease_lost"), errors.join());
  }
});

test("contract 4: context.signal aborts when drain gives up; the lease is left to expire and a later copy runs the event", async () => {
  const store = new MemoryDedupStore();
  let runs = 0;
  let reason;
  const handle = createHandler({
    ...options,
    leaseSeconds: 0.5,
    deadlineMs: 50,
    dedup: store,
    onError: () => {},
    on: {
      "*": (m, context) => {
        runs++;
        if (runs > 1) return undefined;
        // A first run that never ends unless told to.
        return new Promise((resolve) => context.signal.addEventListener("abort", () => resolve((reason = context.signal.reason))));
      },
    },
  });
  const event = created();
  assert.deepEqual(await post(handle, event), [503, "in_progress"]);
  assert.equal(await handle.drain({ timeoutMs: 200 }), false);
  assert.equal(reason.code, "drain_timeout");
  await sleep(600);
  assert.equal((await post(handle, event))[0], 200);
  assert.equal(runs, 2, "the lease expired: the next copy ran it");
});

test("the handler's context: request, env, ctx and signal; enqueue and the consumer pass theirs with a signal added", async () => {
  let seen;
  const handle = createHandler({ ...options, on: { "*": (m, context) => (seen = context) } });
  const d = lark.createTestDelivery({ event: created(), ...options });
  const env = { A: 1 };
  const ctx = { waitUntil() {} };
  const request = new Request("http://127.0.0.1/webhook/event", { method: "POST", headers: d.headers, body: d.body });
  assert.equal((await handle(request, env, ctx)).status, 200);
  assert.deepEqual(Object.keys(seen).sort(), ["ctx", "env", "request", "signal"]);
  assert.equal(seen.request, request);
  assert.equal(seen.env, env);
  assert.equal(seen.ctx, ctx);
  let consumed;
  const consume = createConsumer({ on: { "*": (m, context) => (consumed = context) } });
  await consume(new lark.LarkWebhook(options).parse(lark.createTestDelivery({ event: created(), ...options })), { attempt: 3 });
  assert.equal(consumed.attempt, 3);
  assert.ok(consumed.signal instanceof AbortSignal);
});

test("a done() that fails is retried within the deadline: the handler ran once, 200, the id recorded", async () => {
  const inner = new MemoryDedupStore();
  let failures = 2;
  const store = {
    begin: (...a) => inner.begin(...a),
    extend: (...a) => inner.extend(...a),
    done: (...a) => (failures-- > 0 ? Promise.reject(new Error("injected: done failed")) : inner.done(...a)),
    release: (...a) => inner.release(...a),
  };
  let runs = 0;
  const errors = [];
  const handle = createHandler({ ...options, dedup: store, onError: (e) => errors.push(e.code), on: { "*": () => runs++ } });
  const event = created();
  assert.equal((await post(handle, event))[0], 200);
  assert.equal((await post(handle, event))[0], 200);
  assert.equal(runs, 1);
  assert.deepEqual(errors, [], "recorded on the third try: nothing to report");
});

test("a done() still failing at the deadline: 200 (the work is done), onError told; the lease is kept so copies get 503, and done lands in the background", async () => {
  const inner = new MemoryDedupStore();
  let failing = true;
  const store = {
    begin: (...a) => inner.begin(...a),
    extend: (...a) => inner.extend(...a),
    done: (...a) => (failing ? Promise.reject(new Error("injected: done failed")) : inner.done(...a)),
    release: (...a) => inner.release(...a),
  };
  let runs = 0;
  const errors = [];
  const handle = createHandler({ ...options, deadlineMs: 300, leaseSeconds: 0.3, dedup: store, onError: (e) => errors.push(e), on: { "*": () => runs++ } });
  const event = created();
  const started = Date.now();
  assert.equal((await post(handle, event))[0], 200);
  assert.ok(Date.now() - started >= 250, "done was retried until the deadline");
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, "dedup_unavailable");
  assert.match(errors[0].message, /succeeded but the dedup store did not record it done by the deadline/);
  assert.match(errors[0].cause.message, /injected: done failed/);
  await sleep(500);
  assert.deepEqual(await post(handle, event), [503, "in_progress"], "past the 0.3 s lease, still held");
  failing = false;
  assert.equal(await handle.drain({ timeoutMs: 5000 }), true, "drain waits for the background done");
  assert.equal((await post(handle, event))[0], 200);
  assert.equal(runs, 1);
  assert.deepEqual(
    errors.map((e) => e.code),
    ["dedup_unavailable", "in_progress"],
    "the copy's 503, and no final failure: done was recorded",
  );
});
