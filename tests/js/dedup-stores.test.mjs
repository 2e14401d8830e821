// The dedup store contract (begin with a lease / done with a TTL / release by
// the lease's owner), run against every store larkhook ships: the in-memory
// default, and RedisDedupStore with node-redis 6, node-redis 4 and ioredis
// against a real redis-server (read back independently with redis-cli).
// The Durable Object store runs the same contract in workerd (examples.test.mjs).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { KEY, TOKEN, lark, require } from "./helpers.mjs";
import { startRedis } from "./redis-server.mjs";
import { storeContract } from "./store-contract.mjs";

const { MemoryDedupStore, RedisDedupStore, createHandler } = lark;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe("MemoryDedupStore", () => {
  let now = 1_000_000;
  storeContract("memory", async () => {
    const clock = () => now;
    return {
      make: () => new MemoryDedupStore({ clock }),
      wait: async (ms) => {
        now += ms;
      },
      hours: async (h) => {
        now += h * 3_600_000;
      },
    };
  });

  test("memory: bounded; the oldest ids go first, and done ids outlive their leases' neighbours", () => {
    let t = 0;
    const store = new MemoryDedupStore({ maxEntries: 3, clock: () => t });
    for (const e of ["a", "b", "c"]) {
      store.begin(e, 60, "o");
      store.done(e, 3600);
    }
    assert.equal(store.size, 3);
    store.begin("d", 60, "o");
    assert.equal(store.size, 3);
    assert.equal(store.begin("a", 60, "o"), "new", "the oldest was dropped to stay within the bound");
    assert.equal(store.begin("c", 60, "o"), "done");
    // That done hit kept "c" 8 h from then; "d" and the new "a" are leases.
    t += 8 * 3600 * 1000 + 1000;
    store.begin("z", 60, "o");
    assert.equal(store.size, 1, "expired entries are swept");
  });

  test("memory: checks its arguments", () => {
    const store = new MemoryDedupStore();
    assert.throws(() => store.begin("", 60), TypeError);
    assert.throws(() => store.begin("a", 0), TypeError);
    assert.throws(() => store.done("a", -1), TypeError);
    assert.throws(() => new MemoryDedupStore({ maxEntries: 0 }), TypeError);
  });
});

/** A connected client of one library. */
const CLIENTS = {
  "node-redis 6": async (url) => {
    const client = require("redis").createClient({ url });
    client.on("error", () => {});
    await client.connect();
    return client;
  },
  "node-redis 4": async (url) => {
    const client = require("node-redis-v4").createClient({ url });
    client.on("error", () => {});
    await client.connect();
    return client;
  },
  ioredis: async (url) => {
    const Redis = require("ioredis");
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on("error", () => {});
    await client.connect();
    return client;
  },
};

const close = (client) => (typeof client.destroy === "function" ? client.destroy() : client.disconnect());

describe("RedisDedupStore against redis-server", () => {
  let redis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    assert.deepEqual(await redis?.stop(), { code: 0, signal: null });
  });

  for (const [library, connect] of Object.entries(CLIENTS)) {
    storeContract(library, async () => {
      const clients = await Promise.all([connect(redis.url), connect(redis.url), connect(redis.url)]);
      let next = 0;
      return {
        clients: clients.length,
        make: () => new RedisDedupStore({ client: clients[next++ % clients.length] }),
        wait: sleep,
        close: () => Promise.all(clients.map(close)),
      };
    });
  }

  test("the keys, values and expiries, as redis-cli reads them", async () => {
    const client = await CLIENTS.ioredis(redis.url);
    try {
      const store = new RedisDedupStore({ client, prefix: "app:" });
      await store.begin("k1", 60, "owner-1");
      assert.equal(redis.cli("GET", "app:k1"), "lease:owner-1");
      const leasePttl = Number(redis.cli("PTTL", "app:k1"));
      assert.ok(leasePttl > 59_000 && leasePttl <= 60_000, String(leasePttl));
      await store.done("k1", 8 * 3600);
      assert.equal(redis.cli("GET", "app:k1"), "done");
      const donePttl = Number(redis.cli("PTTL", "app:k1"));
      assert.ok(donePttl > 8 * 3600_000 - 5000 && donePttl <= 8 * 3600_000, String(donePttl));
      await store.begin("k2", 60, "owner-2");
      await store.release("k2", "owner-2");
      assert.equal(redis.cli("EXISTS", "app:k2"), "0");
      // A done hit pushes the expiry back to 8 h (never shortens a longer one); extend renews a lease's.
      await store.begin("k3", 60, "owner-3");
      await store.done("k3", 60);
      assert.equal(await store.begin("k3", 60, "owner-4"), "done");
      const refreshed = Number(redis.cli("PTTL", "app:k3"));
      assert.ok(refreshed > 8 * 3600_000 - 5000 && refreshed <= 8 * 3600_000, String(refreshed));
      await store.done("k3", 24 * 3600);
      assert.equal(await store.begin("k3", 60, "owner-5"), "done");
      assert.ok(Number(redis.cli("PTTL", "app:k3")) > 23 * 3600_000, "a longer done TTL is kept");
      await store.begin("k4", 1, "owner-6");
      assert.equal(await store.extend("k4", 90, "owner-6"), true);
      const extended = Number(redis.cli("PTTL", "app:k4"));
      assert.ok(extended > 89_000 && extended <= 90_000, String(extended));
      assert.equal(redis.cli("GET", "app:k4"), "lease:owner-6");
    } finally {
      close(client);
    }
  });

  test("a client that is neither node-redis nor ioredis is invalid_config", () => {
    assert.throws(() => new RedisDedupStore({}), { code: "invalid_config" });
    assert.throws(() => new RedisDedupStore({ client: { get() {}, set() {} } }), { code: "invalid_config", message: /node-redis v4\+ client.*ioredis/ });
  });

  test("two endpoints (two processes' worth) sharing Redis run an event once; Redis down → 503, nothing run", async () => {
    const options = { encryptKey: KEY, verificationToken: TOKEN };
    const [a, b] = await Promise.all([CLIENTS["node-redis 6"](redis.url), CLIENTS.ioredis(redis.url)]);
    try {
      const runs = [];
      const endpoint = (client, name) =>
        createHandler({ ...options, deadlineMs: 300, dedup: new RedisDedupStore({ client }), on: { "*": (m) => runs.push([name, m.header.event_id]) }, onError: () => {} });
      const [one, two] = [endpoint(a, "one"), endpoint(b, "two")];
      const id = crypto.randomUUID();
      const d = lark.createTestDelivery({ event: { schema: "2.0", header: { event_id: id, event_type: "a.b" }, event: {} }, ...options });
      const post = (handler) => handler(new Request("http://x/", { method: "POST", headers: d.headers, body: d.body }));
      assert.equal((await post(one)).status, 200);
      assert.equal((await post(two)).status, 200);
      assert.deepEqual(runs, [["one", id]]);

      // A second server, then stopped: the endpoint answers 503 within its deadline and runs nothing.
      const spare = await startRedis();
      const c = await CLIENTS["node-redis 6"](spare.url);
      const three = endpoint(c, "three");
      assert.deepEqual(await spare.stop(), { code: 0, signal: null });
      const started = Date.now();
      const response = await post(three);
      assert.equal(response.status, 503);
      assert.equal((await response.json()).code, "dedup_unavailable");
      assert.ok(Date.now() - started < 2000);
      assert.equal(runs.length, 1);
      close(c);
    } finally {
      close(a);
      close(b);
    }
  });
});
