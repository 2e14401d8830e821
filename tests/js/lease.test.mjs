// The lease machinery every inbound path shares (endpoint/lease.mjs): a lease
// renewed while the work runs, a signal that aborts when it is lost or given
// up on, done retried within the deadline and then in the background,
// release on failure. Real time, short leases.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

import { lark, pkgDir } from "./helpers.mjs";

const { makeLeases, RENEWALS_PER_LEASE, DONE_RETRY_DELAYS_MS } = await import(pathToFileURL(join(pkgDir, "endpoint", "lease.mjs")).href);
const { MemoryDedupStore, DEDUP_TTL_SECONDS } = lark;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// The lease's own timers never keep a process alive (a server does): keep this one alive meanwhile.
const awaitAlive = async (promise) => {
  const keepAlive = setInterval(() => {}, 50);
  try {
    return await promise;
  } finally {
    clearInterval(keepAlive);
  }
};

/** A memory store that counts calls and can be told to fail. */
function countingStore(inner = new MemoryDedupStore()) {
  const calls = { begin: 0, extend: 0, done: 0, release: 0 };
  const failing = { extend: 0, done: 0, release: 0 };
  const store = {
    calls,
    failing,
    begin: (...args) => (calls.begin++, inner.begin(...args)),
    extend(...args) {
      calls.extend++;
      if (failing.extend-- > 0) throw new Error("injected: extend failed");
      return inner.extend(...args);
    },
    done(...args) {
      calls.done++;
      if (failing.done-- > 0) throw new Error("injected: done failed");
      return inner.done(...args);
    },
    release(...args) {
      calls.release++;
      if (failing.release-- > 0) throw new Error("injected: release failed");
      return inner.release(...args);
    },
  };
  return store;
}

test("the constants: three renewals per lease; done retried from 25 ms, backing off", () => {
  assert.equal(RENEWALS_PER_LEASE, 3);
  assert.equal(DONE_RETRY_DELAYS_MS[0], 25);
  assert.ok(DONE_RETRY_DELAYS_MS.every((d, i) => i === 0 || d >= DONE_RETRY_DELAYS_MS[i - 1]));
  assert.equal(DEDUP_TTL_SECONDS, 8 * 3600);
});

test("a lease is renewed every leaseSeconds / 3 while the work runs: nobody else begins it, and done ends it", async () => {
  const store = countingStore();
  const leases = makeLeases();
  const taken = await leases.acquire(store, "e1", 0.3);
  assert.equal(taken.state, "new");
  const { lease } = taken;
  assert.equal(typeof lease.owner, "string");
  for (let i = 0; i < 6; i++) {
    await sleep(200);
    assert.equal(await store.begin("e1", 0.3, `other-${i}`), "in_progress", `${(i + 1) * 200} ms into a 300 ms lease`);
  }
  assert.ok(store.calls.extend >= 6 && store.calls.extend <= 14, `${store.calls.extend} renewals in 1.2 s (one every 100 ms)`);
  assert.equal(lease.signal.aborted, false);
  assert.equal(await lease.succeeded({ deadline: Date.now() + 100 }), true);
  assert.equal(await store.begin("e1", 0.3, "late"), "done");
  const renewals = store.calls.extend;
  await sleep(250);
  assert.equal(store.calls.extend, renewals, "renewing stopped once done was recorded");
  assert.equal(leases.active.size, 0);
});

test("extend answering false or failing aborts the signal with lease_lost, reported once; a store without extend aborts it at expiry", async () => {
  const reports = [];
  const leases = makeLeases();
  const report = (error, id) => reports.push([error.code, id]);
  // Taken over: the lease expired while the process was busy and another attempt began.
  const store = countingStore();
  const { lease } = await leases.acquire(store, "taken", 0.3, { report });
  store.extend = () => false;
  await sleep(150);
  assert.equal(lease.signal.aborted, true);
  assert.equal(lease.signal.reason.code, "lease_lost");
  assert.equal(lease.signal.reason.status, 503);
  assert.match(lease.signal.reason.message, /no longer this attempt's/);
  // The store failed to renew it.
  const broken = countingStore();
  broken.failing.extend = 1;
  const second = (await leases.acquire(broken, "broken", 0.3, { report })).lease;
  await sleep(150);
  assert.equal(second.signal.reason.code, "lease_lost");
  assert.match(second.signal.reason.cause.message, /injected: extend failed/);
  // No extend at all: the signal says when the lease ran out.
  const plain = new MemoryDedupStore();
  const noExtend = { begin: (...a) => plain.begin(...a), done: (...a) => plain.done(...a), release: (...a) => plain.release(...a) };
  const third = (await leases.acquire(noExtend, "plain", 0.2, { report })).lease;
  await sleep(100);
  assert.equal(third.signal.aborted, false);
  await sleep(200);
  assert.equal(third.signal.reason.code, "lease_lost");
  assert.match(third.signal.reason.message, /has no extend/);
  assert.deepEqual(reports, [["lease_lost", "taken"], ["lease_lost", "broken"], ["lease_lost", "plain"]]);
  // A lost lease's done still counts: it is a fact about the event.
  assert.equal(await lease.succeeded({ deadline: Date.now() + 100 }), true);
  assert.equal(await store.begin("taken", 60, "x"), "done");
});

test("a lease that ran out is told before the next attempt of the same endpoint starts, however late its own timer fires", async () => {
  // The store's clock runs ahead of the lease's timers: what a busy event
  // loop looks like from the store's side (the timer of a store without
  // extend has not fired when the next begin already finds the lease expired).
  let now = 1_000_000;
  const plain = new MemoryDedupStore({ clock: () => now });
  const noExtend = { begin: (...a) => plain.begin(...a), done: (...a) => plain.done(...a), release: (...a) => plain.release(...a) };
  const reports = [];
  const leases = makeLeases();
  const report = (error, id) => reports.push([error.code, id]);
  const first = (await leases.acquire(noExtend, "late-timer", 60, { report })).lease;
  const other = (await leases.acquire(noExtend, "other-event", 60, { report })).lease;
  assert.equal((await leases.acquire(noExtend, "late-timer", 60, { report })).state, "in_progress");
  assert.equal(first.signal.aborted, false, "a copy answered in_progress takes nothing over");
  now += 61_000;
  const second = await leases.acquire(noExtend, "late-timer", 60, { report });
  assert.equal(second.state, "new");
  assert.equal(first.signal.aborted, true, "the stale run was told when the next one began");
  assert.equal(first.signal.reason.code, "lease_lost");
  assert.match(first.signal.reason.message, /another delivery of it has started/);
  assert.equal(second.lease.signal.aborted, false);
  assert.equal(other.signal.aborted, false, "another event's lease is not touched");
  assert.deepEqual(reports, [["lease_lost", "late-timer"]]);
  // The stale run's release is its own: it leaves the new holder's lease alone.
  await first.failed();
  assert.equal(await noExtend.begin("late-timer", 60, "someone-else"), "in_progress");
  assert.equal(await second.lease.succeeded({ deadline: Date.now() + 100 }), true);
  await other.failed();
  assert.equal(await noExtend.begin("late-timer", 60, "x"), "done");
});

test("done is retried within the deadline: two failures, then recorded, answered true", async () => {
  const store = countingStore();
  const reports = [];
  const leases = makeLeases();
  const { lease } = await leases.acquire(store, "e2", 60, { report: (e) => reports.push(e.code) });
  store.failing.done = 2;
  assert.equal(await lease.succeeded({ deadline: Date.now() + 1000 }), true);
  assert.equal(store.calls.done, 3);
  assert.equal(await store.begin("e2", 60, "x"), "done");
  assert.deepEqual(reports, []);
});

test("done still failing at the deadline: false, reported; the lease is kept (copies are in_progress) and done lands in the background", async () => {
  const store = countingStore();
  const reports = [];
  const leases = makeLeases();
  const { lease } = await leases.acquire(store, "e3", 0.3, { report: (e) => reports.push(e) });
  store.failing.done = 8; // 25+50+100+200+400+800+1600 ms of retries, then it works
  const started = Date.now();
  assert.equal(await lease.succeeded({ deadline: Date.now() + 200 }), false);
  assert.ok(Date.now() - started < 400, "answered at the deadline");
  assert.equal(reports.length, 1);
  assert.equal(reports[0].code, "dedup_unavailable");
  assert.match(reports[0].message, /succeeded but the dedup store did not record it done/);
  await sleep(500);
  assert.equal(await store.begin("e3", 0.3, "copy"), "in_progress", "the lease is still held, past its 300 ms");
  await awaitAlive(lease.pending);
  assert.equal(await store.begin("e3", 0.3, "later"), "done");
  assert.equal(store.calls.done, 9);
  assert.equal(reports.length, 1, "no second report: it was recorded");
});

test("failed releases the lease (a retry runs it again); a failed release is reported and the lease expires", async () => {
  const store = countingStore();
  const reports = [];
  const leases = makeLeases();
  const report = (e) => reports.push(e.code);
  const { lease } = await leases.acquire(store, "e4", 60, { report });
  await lease.failed();
  assert.equal(await store.begin("e4", 0.2, "retry"), "new");
  store.failing.release = 1;
  const second = (await leases.acquire(store, "e5", 0.2, { report })).lease;
  await second.failed();
  assert.deepEqual(reports, ["dedup_unavailable"]);
  assert.equal(await store.begin("e5", 0.2, "x"), "in_progress");
  await sleep(300);
  assert.equal(await store.begin("e5", 60, "x"), "new", "expired on its own");
  const renewals = store.calls.extend;
  await sleep(100);
  assert.ok(store.calls.extend <= renewals + 1, "a failed lease is not renewed");
});

test("abortAll (a drain gave up): every held lease's signal aborts with the reason, renewals stop, the leases expire", async () => {
  const store = countingStore();
  const leases = makeLeases();
  const a = (await leases.acquire(store, "a", 0.3)).lease;
  const b = (await leases.acquire(false, "b", 0.3)).lease;
  assert.equal(leases.active.size, 2);
  const reason = new Error("gave up");
  leases.abortAll(reason);
  assert.equal(a.signal.reason, reason);
  assert.equal(b.signal.reason, reason);
  const renewals = store.calls.extend;
  await sleep(400);
  assert.equal(store.calls.extend, renewals);
  assert.equal(await store.begin("a", 60, "x"), "new", "the lease expired");
});

test("begin's answers and failures: done and in_progress hold nothing; a failing or nonsensical store is dedup_unavailable", async () => {
  const store = new MemoryDedupStore();
  const leases = makeLeases();
  await store.begin("d", 60, "o");
  await store.done("d", 60);
  assert.deepEqual(await leases.acquire(store, "d", 60), { state: "done" });
  await store.begin("p", 60, "o");
  assert.deepEqual(await leases.acquire(store, "p", 60), { state: "in_progress" });
  assert.equal(leases.active.size, 0);
  await assert.rejects(leases.acquire({ begin: () => "yes" }, "x", 60), { code: "dedup_unavailable", message: /begin for event x/ });
  await assert.rejects(leases.acquire({ begin: () => Promise.reject(new Error("down")) }, "x", 60), (e) => e.code === "dedup_unavailable" && e.cause.message === "down");
  // No store: every attempt is new, and its lease is a signal only.
  const free = await leases.acquire(false, "f", 60);
  assert.equal(free.state, "new");
  assert.equal(free.lease.signal.aborted, false);
  assert.equal(await free.lease.succeeded(), true);
});
