// Fault injection on the long connection: a simulated platform over the
// stand-in (longconn/standin.mjs) delivers events to createLongConnection,
// four at a time, redelivering each until it is acked 200 (a compressed
// schedule), while faults are injected from a seeded generator: handlers
// that throw, handlers still running at deadlineMs, the socket dropped
// while handlers run, payloads split into fragments, copies of events
// already acked. Asserted: lost = 0 (every event handled to completion),
// runs after done = 0, at most one run of an id at a time. The figures are
// printed for the README.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createLongConnection } from "../../pkg/index.node.mjs";
import { APP_ID, APP_SECRET, StandIn, eventJson } from "./longconn/standin.mjs";

const EVENTS = 120;
const CONCURRENCY = 4;
const MAX_ATTEMPTS = 8;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A small seeded generator (mulberry32), so a failing run can be replayed.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`long connection under faults: ${EVENTS} events, lost = 0, runs after done = 0`, { timeout: 120_000 }, async () => {
  const seed = Number(process.env.LONGCONN_SEED ?? 2126);
  const rand = random(seed);
  const platform = await new StandIn({ config: { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 0, ReconnectNonce: 0 } }).start();
  const plan = new Map(); // event id -> { throwsFirst, slow, dropMidHandler, fragments, copies }
  const faults = { throws: 0, slow: 0, drops: 0, fragmented: 0, copies: 0 };
  const completed = new Set(); // ids whose handler finished successfully
  const running = new Map(); // id -> runs in progress
  let runsAfterDone = 0;
  let runs = 0;
  let maxConcurrentPerId = 0;

  const connection = createLongConnection({
    appId: APP_ID,
    appSecret: APP_SECRET,
    domain: platform.base,
    deadlineMs: 400,
    onError: () => {},
    on: {
      "*": async (inbound) => {
        const id = inbound.header.event_id;
        const p = plan.get(id);
        runs += 1;
        if (completed.has(id)) runsAfterDone += 1;
        running.set(id, (running.get(id) ?? 0) + 1);
        maxConcurrentPerId = Math.max(maxConcurrentPerId, running.get(id));
        p.runs += 1;
        try {
          if (p.dropMidHandler && p.runs === 1) {
            platform.dropAll();
            await sleep(50);
          }
          if (p.slow && p.runs === 1) await sleep(700);
          else await sleep(5 + Math.floor(rand() * 20));
          if (p.throwsFirst && p.runs === 1) throw new Error("injected");
          completed.add(id);
        } finally {
          running.set(id, running.get(id) - 1);
        }
      },
    },
  });
  await connection.start();

  let attempts = 0;
  let lostAcks = 0;
  async function deliver(id) {
    const p = plan.get(id);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await platform.connected(1, 10_000);
      attempts += 1;
      const ack = await platform.send(eventJson(id), { fragments: p.fragments, timeoutMs: 1200 });
      if (ack === undefined) lostAcks += 1;
      if (ack?.code === 200) {
        // At least once even after a 200: the platform may send a copy.
        for (let i = 0; i < p.copies; i += 1) {
          attempts += 1;
          const copy = await platform.send(eventJson(id), { timeoutMs: 1200 });
          assert.equal(copy?.code ?? 200, 200, `a copy of done ${id} is acked 200`);
        }
        return true;
      }
      await sleep(20 * attempt); // the retry schedule, compressed
    }
    return false;
  }

  const ids = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const id = `ev-fault-${seed}-${i}`;
    const p = {
      throwsFirst: rand() < 0.2,
      slow: rand() < 0.05,
      dropMidHandler: i % 25 === 12,
      fragments: rand() < 0.25 ? 2 + Math.floor(rand() * 3) : 1,
      copies: rand() < 0.1 ? 1 : 0,
      runs: 0,
    };
    faults.throws += p.throwsFirst ? 1 : 0;
    faults.slow += p.slow ? 1 : 0;
    faults.drops += p.dropMidHandler ? 1 : 0;
    faults.fragmented += p.fragments > 1 ? 1 : 0;
    faults.copies += p.copies;
    plan.set(id, p);
    ids.push(id);
  }
  const results = [];
  for (let i = 0; i < ids.length; i += CONCURRENCY) {
    results.push(...(await Promise.all(ids.slice(i, i + CONCURRENCY).map(deliver))));
  }
  const drained = await connection.stop({ timeoutMs: 5000 });
  await platform.close();

  const lost = ids.filter((id) => !completed.has(id)).length;
  const unacked = results.filter((ok) => !ok).length;
  console.log(
    `# long connection faults (seed ${seed}): events ${EVENTS}, deliveries ${attempts}, frames ${platform.framesSent}, acks ${platform.acks.length}, ` +
      `faults: ${faults.throws} throwing handlers, ${faults.slow} past deadlineMs, ${faults.drops} sockets dropped mid-handler (${platform.endpointCalls.length - 1} reconnects), ` +
      `${faults.fragmented} split into fragments, ${faults.copies} copies after 200, ${lostAcks} acks lost with their socket; ` +
      `handler runs ${runs}, lost ${lost}, runs after done ${runsAfterDone}, max concurrent runs per id ${maxConcurrentPerId}`,
  );
  assert.equal(lost, 0, "every event handled to completion");
  assert.equal(unacked, 0, "every event acked 200 within the attempts");
  assert.equal(runsAfterDone, 0, "no handler ran again after its event was done");
  assert.equal(maxConcurrentPerId, 1);
  assert.ok(faults.throws > 0 && faults.drops > 0 && faults.fragmented > 0 && faults.slow > 0 && faults.copies > 0, "every kind of fault was injected");
  assert.ok(platform.endpointCalls.length - 1 >= faults.drops, "each drop reconnected with a fresh URL");
  assert.equal(drained, true);
});

test("control: without dedup, the same faults run handlers again after done (the suite sees it)", { timeout: 60_000 }, async () => {
  const platform = await new StandIn({ config: { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 0, ReconnectNonce: 0 } }).start();
  const done = new Set();
  let runsAfterDone = 0;
  const connection = createLongConnection({
    appId: APP_ID,
    appSecret: APP_SECRET,
    domain: platform.base,
    dedup: false,
    onError: () => {},
    on: {
      "*": (inbound) => {
        if (done.has(inbound.header.event_id)) runsAfterDone += 1;
        done.add(inbound.header.event_id);
      },
    },
  });
  await connection.start();
  for (let i = 0; i < 10; i += 1) {
    await platform.send(eventJson(`ev-control-${i}`));
    await platform.send(eventJson(`ev-control-${i}`));
  }
  await connection.stop();
  await platform.close();
  assert.equal(runsAfterDone, 10);
});
