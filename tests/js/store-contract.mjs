// The dedup store contract, shared by every store's tests: begin with a
// lease, extend and release by the lease's owner only, done with a TTL that
// a done hit keeps at least 8 hours from then, expiry, and an atomic begin.
// Registers node:test tests in the current suite.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

/**
 * The contract. `make()` returns a fresh store (and, for time, `wait(ms)`
 * that lets `ms` pass for it); `clients` > 1 makes stores over separate
 * connections for the concurrency check.
 */
export function storeContract(name, setup) {
  let ctx;
  before(async () => {
    ctx = await setup();
  });
  after(async () => ctx?.close?.());
  const id = () => `evt-${crypto.randomUUID()}`;

  test(`${name}: begin, done, duplicates`, async () => {
    const store = ctx.make();
    const e = id();
    assert.equal(await store.begin(e, 60, "owner-a"), "new");
    assert.equal(await store.begin(e, 60, "owner-b"), "in_progress", "a live lease");
    await store.done(e, 3600);
    assert.equal(await store.begin(e, 60, "owner-c"), "done");
    await store.release(e, "owner-a");
    await store.release(e);
    assert.equal(await store.begin(e, 60, "owner-d"), "done", "release never frees a done id");
  });

  test(`${name}: release frees the owner's own lease only`, async () => {
    const store = ctx.make();
    const e = id();
    assert.equal(await store.begin(e, 60, "owner-a"), "new");
    await store.release(e, "someone-else");
    assert.equal(await store.begin(e, 60, "owner-b"), "in_progress", "a stranger's release changed nothing");
    await store.release(e, "owner-a");
    assert.equal(await store.begin(e, 60, "owner-b"), "new", "released: a retry runs again");
    await store.release(e);
    assert.equal(await store.begin(e, 60, "owner-c"), "new", "release without an owner frees any lease");
  });

  test(`${name}: leases and done ids expire`, async () => {
    const store = ctx.make();
    const [leased, handled] = [id(), id()];
    assert.equal(await store.begin(leased, 0.2, "a"), "new");
    await store.begin(handled, 60, "b");
    await store.done(handled, 0.2);
    assert.equal(await store.begin(leased, 0.2, "c"), "in_progress");
    await ctx.wait(350);
    assert.equal(await store.begin(leased, 60, "d"), "new", "an expired lease (its holder died) is free again");
    assert.equal(await store.begin(handled, 60, "e"), "new", "a done id is forgotten after its TTL");
  });

  test(`${name}: a stale holder cannot free the lease that replaced its own; its done still counts`, async () => {
    const store = ctx.make();
    const e = id();
    assert.equal(await store.begin(e, 0.2, "stale"), "new");
    await ctx.wait(350);
    assert.equal(await store.begin(e, 60, "current"), "new");
    await store.release(e, "stale");
    assert.equal(await store.begin(e, 60, "third"), "in_progress", "the current lease survived the stale release");
    await store.done(e, 3600);
    assert.equal(await store.begin(e, 60, "fourth"), "done");
  });

  test(`${name}: extend renews the owner's live lease only, and answers whether it did`, async () => {
    const store = ctx.make();
    const e = id();
    assert.equal(await store.begin(e, 0.3, "owner-a"), "new");
    assert.equal(await store.extend(e, 60, "owner-b"), false, "a stranger cannot extend it");
    assert.equal(await store.extend(e, 60, "owner-a"), true);
    await ctx.wait(450);
    assert.equal(await store.begin(e, 60, "owner-b"), "in_progress", "the lease outlived its first 0.3 s");
    await store.done(e, 3600);
    assert.equal(await store.extend(e, 60, "owner-a"), false, "a done id is no one's lease");
    assert.equal(await store.begin(e, 60, "owner-c"), "done", "extend never turned done back into a lease");

    const expired = id();
    assert.equal(await store.begin(expired, 0.2, "owner-a"), "new");
    await ctx.wait(350);
    assert.equal(await store.extend(expired, 60, "owner-a"), false, "an expired lease is not renewed");
    assert.equal(await store.begin(expired, 60, "owner-b"), "new");
    assert.equal(await store.extend(expired, 60, "owner-a"), false, "nor the lease that replaced it");
    assert.equal(await store.extend(expired, 60, "owner-b"), true);

    const released = id();
    assert.equal(await store.begin(released, 60, "owner-a"), "new");
    await store.release(released, "owner-a");
    assert.equal(await store.extend(released, 60, "owner-a"), false, "a released lease is not renewed");
    assert.equal(await store.extend(id(), 60, "owner-a"), false, "nor one that never was");
  });

  test(`${name}: a begin that finds an id done keeps it done at least 8 hours from then`, async () => {
    const store = ctx.make();
    const e = id();
    assert.equal(await store.begin(e, 60, "owner-a"), "new");
    await store.done(e, 0.3);
    await ctx.wait(150);
    assert.equal(await store.begin(e, 60, "owner-b"), "done");
    await ctx.wait(300);
    assert.equal(await store.begin(e, 60, "owner-c"), "done", "the done hit extended the 0.3 s record");
    if (ctx.hours) {
      await ctx.hours(7.9);
      assert.equal(await store.begin(e, 60, "owner-d"), "done", "7.9 h after the last hit");
      await ctx.hours(7.9);
      assert.equal(await store.begin(e, 60, "owner-e"), "done", "each hit extends it again");
      await ctx.hours(8.01);
      assert.equal(await store.begin(e, 60, "owner-f"), "new", "8 h after the last hit, forgotten");
    }
  });

  test(`${name}: concurrent begins of one id: exactly one "new"`, async () => {
    const stores = Array.from({ length: ctx.clients ?? 1 }, () => ctx.make());
    for (let round = 0; round < 5; round++) {
      const e = id();
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % stores.length].begin(e, 60, `owner-${i}`)));
      assert.equal(answers.filter((a) => a === "new").length, 1, answers.join());
      assert.equal(answers.filter((a) => a === "in_progress").length, 39);
    }
  });
}

