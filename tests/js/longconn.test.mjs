// createLongConnection against the stand-in platform (longconn/standin.mjs,
// shown faithful by longconn-official.test.mjs): every scenario of issue 21,
// each on its own stand-in and connection, both stopped by the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { createLongConnection, MemoryDedupStore } from "../../pkg/index.node.mjs";
import { APP_ID, APP_SECRET, StandIn, eventJson, until } from "./longconn/standin.mjs";
import { encodeFrame } from "./longconn/pbbp2.mjs";

const FAST = { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 0, ReconnectNonce: 0 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A stand-in and a started connection; `errors` collects onError's codes. */
async function setup({ config = FAST, handshake, on = {}, ...options } = {}) {
  const platform = await new StandIn({ config, handshake }).start();
  const errors = [];
  const connection = createLongConnection({
    appId: APP_ID,
    appSecret: APP_SECRET,
    domain: platform.base,
    on,
    onError: (error) => errors.push(error.code),
    ...options,
  });
  return { platform, connection, errors };
}

async function teardown({ platform, connection }) {
  await connection.stop({ timeoutMs: 2000 });
  await platform.close();
}

test("an event: handled, then acked {code:200} with biz_rt >= 0, the frame's ids echoed exactly", async (t) => {
  const runs = [];
  const s = await setup({
    on: {
      "helpdesk.ticket.created_v1": async (inbound, context) => {
        await sleep(30);
        runs.push({ inbound, context });
      },
    },
  });
  t.after(() => teardown(s));
  assert.equal(s.connection.status, "closed");
  const started = s.connection.start();
  assert.equal(s.connection.status, "connecting");
  await started;
  assert.equal(s.connection.status, "open");
  const ack = await s.platform.send(eventJson("ev-1"));
  assert.equal(ack?.code, 200);
  assert.equal(runs.length, 1);
  // Typed by the same core as a webhook delivery.
  const { inbound, context } = runs[0];
  assert.equal(inbound.kind, "event");
  assert.equal(inbound.event.ticket_id, "6626871355780366331");
  assert.equal(context.transport, "long_connection");
  assert.equal(context.message_id, ack.message_id);
  // Acked only after the handler's 30 ms, and says so.
  assert.ok(Number(ack.biz_rt) >= 25, `biz_rt ${ack.biz_rt}`);
  assert.equal(ack.frame.LogID, String(2 ** 53), "a 64-bit LogID echoed digit for digit");
  assert.equal(ack.frame.headers.filter((h) => h.key === "biz_rt").length, 1);
  // The endpoint call as the official client makes it.
  assert.deepEqual(s.platform.endpointCalls[0].body, { AppID: APP_ID, AppSecret: APP_SECRET });
  assert.equal(s.platform.pings[0].service, 33554678);
});

test("a frame the platform sends the moment the socket opens is handled and acked, not dropped", async () => {
  const runs = [];
  const platform = await new StandIn({ config: FAST, greeting: eventJson("ev-greeting") }).start();
  const connection = createLongConnection({
    appId: APP_ID,
    appSecret: APP_SECRET,
    domain: platform.base,
    on: { "*": (inbound) => runs.push(inbound.header.event_id) },
  });
  try {
    await connection.start();
    const [ack] = await Promise.all(platform.greetings);
    assert.equal(ack?.code, 200, "the first frame was acked 200");
    assert.deepEqual(runs, ["ev-greeting"]);
    // What came after it is taken in order as before.
    assert.equal((await platform.send(eventJson("ev-after-greeting")))?.code, 200);
    assert.deepEqual(runs, ["ev-greeting", "ev-after-greeting"]);
  } finally {
    await connection.stop({ timeoutMs: 2000 });
    await platform.close();
  }
});

test("a throwing handler: ack 500; the redelivery runs it again and gets 200", async (t) => {
  let runs = 0;
  const s = await setup({
    on: {
      "*": () => {
        runs += 1;
        if (runs === 1) throw new Error("first run fails");
      },
    },
  });
  t.after(() => teardown(s));
  await s.connection.start();
  assert.equal((await s.platform.send(eventJson("ev-2")))?.code, 500);
  assert.deepEqual(s.errors, [undefined]);
  assert.equal((await s.platform.send(eventJson("ev-2")))?.code, 200);
  assert.equal(runs, 2);
});

test("a duplicate of a done id: not run again, ack 200", async (t) => {
  let runs = 0;
  const s = await setup({ on: { "*": () => void (runs += 1) } });
  t.after(() => teardown(s));
  await s.connection.start();
  assert.equal((await s.platform.send(eventJson("ev-3")))?.code, 200);
  assert.equal((await s.platform.send(eventJson("ev-3")))?.code, 200);
  assert.equal(runs, 1);
});

test("a payload split into 3 fragments, out of order: merged, one run, one ack", async (t) => {
  const ids = [];
  const s = await setup({ on: { "*": (inbound) => void ids.push(inbound.header.event_id) } });
  t.after(() => teardown(s));
  await s.connection.start();
  const ack = await s.platform.send(eventJson("ev-4"), { fragments: 3 });
  assert.equal(ack?.code, 200);
  assert.deepEqual(ids, ["ev-4"]);
  assert.equal(s.platform.acks.length, 1);
});

test("a card frame is answered with the handler's value (base64 JSON in data); so is card.action.trigger on an event frame", async (t) => {
  const answer = { toast: { type: "success", content: "assigned" }, card: { type: "raw", data: { elements: [] } } };
  const s = await setup({ on: { "card.action.trigger": (inbound) => (inbound.event.action.value.ok ? answer : undefined) } });
  t.after(() => teardown(s));
  await s.connection.start();
  const card = (id, ok) => eventJson(id, "card.action.trigger", { operator: { open_id: "ou_1" }, token: "c-1", action: { value: { ok }, tag: "button" } });
  const ack = await s.platform.send(card("cb-1", true), { type: "card" });
  assert.equal(ack?.code, 200);
  assert.deepEqual(ack.data, answer);
  const plain = await s.platform.send(card("cb-2", false), { type: "card" });
  assert.deepEqual(plain.data, {});
  const onEventFrame = await s.platform.send(card("cb-3", true));
  assert.deepEqual(onEventFrame.data, answer);
});

test("pongs update the ping interval", async (t) => {
  const s = await setup();
  t.after(() => teardown(s));
  await s.connection.start();
  await until(() => s.platform.pings.length >= 2, "two pings at 1 s", 4000);
  s.platform.pongConfig = { ...FAST, PingInterval: 3 };
  const count = s.platform.pings.length;
  await until(() => s.platform.pings.length >= count + 2, "two pings after the update", 9000);
  const gap = s.platform.pings.at(-1).at - s.platform.pings.at(-2).at;
  assert.ok(gap >= 2800, `pings ${gap} ms apart after PingInterval 3`);
  assert.equal(s.connection.status, "open");
});

test("the socket dropped mid-handler: reconnects with a fresh URL, the handler's outcome kept, the redelivery acked 200 without a second run", async (t) => {
  let runs = 0;
  let release;
  const gate = new Promise((r) => (release = r));
  const s = await setup({
    deadlineMs: 5000,
    on: {
      "*": async () => {
        runs += 1;
        await gate;
      },
    },
  });
  t.after(() => teardown(s));
  await s.connection.start();
  const lostAck = s.platform.send(eventJson("ev-5"), { timeoutMs: 1500 });
  await until(() => runs === 1, "the handler running");
  s.platform.dropAll();
  await until(() => s.connection.status === "reconnecting" || s.platform.handshakes.accepted === 2, "the drop noticed");
  await s.platform.connected(2);
  await until(() => s.connection.status === "open", "open again");
  release();
  assert.equal(await lostAck, undefined, "the ack had no socket to go on");
  assert.equal(s.platform.endpointCalls.length, 2, "a fresh URL");
  assert.equal(s.platform.handshakes.staleTicket, 0);
  await sleep(50);
  const redelivered = await s.platform.send(eventJson("ev-5"));
  assert.equal(redelivered?.code, 200);
  assert.equal(runs, 1);
  assert.ok(s.errors.includes("socket_closed"));
});

test("a silent (half-dead) socket is replaced after two ping intervals", async (t) => {
  const s = await setup();
  t.after(() => teardown(s));
  await s.connection.start();
  s.platform.silent = true;
  await s.platform.connected(2, 6000);
  s.platform.silent = false;
  assert.ok(s.errors.includes("socket_silent"), s.errors.join());
  await until(() => s.connection.status === "open", "open again");
  assert.equal((await s.platform.send(eventJson("ev-6")))?.code, 200);
});

test("handshake refusals: 514 is auth_failed, 514 + 1000040350 connection_limit, 403 forbidden; start() rejects, status failed", async () => {
  for (const [refusal, code] of [
    [{ status: 514, authCode: 1000040300 }, "auth_failed"],
    [{ status: 514, authCode: 1000040350 }, "connection_limit"],
    [{ status: 403 }, "forbidden"],
  ]) {
    const s = await setup({ handshake: () => refusal });
    try {
      await assert.rejects(s.connection.start(), (error) => {
        assert.equal(error.name, "LarkWebhookError");
        assert.equal(error.code, code);
        assert.ok(!error.message.includes(APP_SECRET));
        return true;
      });
      assert.equal(s.connection.status, "failed");
      assert.equal(s.platform.handshakes.refused, 1, "not retried");
    } finally {
      await teardown(s);
    }
  }
});

test("the endpoint call refusing the credentials is auth_failed; the secret is in no message", async () => {
  const platform = await new StandIn({ config: FAST }).start();
  const errors = [];
  const connection = createLongConnection({ appId: APP_ID, appSecret: "wrong-secret-Xy7", domain: platform.base, onError: (e) => errors.push(e) });
  try {
    await assert.rejects(connection.start(), { code: "auth_failed" });
    assert.equal(connection.status, "failed");
    assert.ok(errors.every((e) => !e.message.includes("wrong-secret-Xy7")));
    assert.equal(JSON.stringify(connection).includes("wrong-secret"), false);
  } finally {
    await connection.stop();
    await platform.close();
  }
});

test("malformed frames and incomplete fragments reach onError; the connection stays up", async (t) => {
  const s = await setup({ fragmentTimeoutMs: 300 });
  t.after(() => teardown(s));
  await s.connection.start();
  s.platform.sendRaw(new Uint8Array([0x2a, 0x64, 0x00]));
  const partial = encodeFrame({
    method: 1,
    headers: [
      { key: "type", value: "event" },
      { key: "message_id", value: "lonely" },
      { key: "sum", value: "2" },
      { key: "seq", value: "0" },
    ],
    payload: new TextEncoder().encode('{"schema":'),
  });
  s.platform.sendRaw(partial);
  await until(() => s.errors.includes("fragments_expired"), `the fragments expired (${s.errors})`, 3000);
  assert.ok(s.errors.includes("frame_malformed"));
  assert.equal(s.connection.status, "open");
  assert.equal((await s.platform.send(eventJson("ev-7")))?.code, 200);
});

test("stop() drains: the running handler finishes and is acked, new frames are not taken, then the socket closes", async () => {
  let finished = 0;
  const s = await setup({
    on: {
      "*": async () => {
        await sleep(300);
        finished += 1;
      },
    },
  });
  await s.connection.start();
  const ack = s.platform.send(eventJson("ev-8"));
  await sleep(50);
  const stopping = s.connection.stop({ timeoutMs: 2000 });
  assert.equal(s.connection.status, "closed");
  const late = await s.platform.send(eventJson("ev-9"), { timeoutMs: 200 });
  assert.equal(late, undefined, "not taken after stop()");
  assert.equal(await stopping, true);
  assert.equal(finished, 1);
  assert.equal((await ack)?.code, 200);
  await until(() => s.platform.sockets.size === 0, "the socket closed");
  await s.platform.close();
});

test("stop() gives up after timeoutMs with false when a handler is still running; its context.signal aborts with drain_timeout", async () => {
  let reason;
  const s = await setup({
    deadlineMs: 100,
    on: {
      "*": (inbound, context) =>
        new Promise((resolve) => {
          context.signal.addEventListener("abort", () => {
            reason = context.signal.reason;
            resolve();
          });
          setTimeout(resolve, 1000);
        }),
    },
  });
  await s.connection.start();
  const ack = await s.platform.send(eventJson("ev-10"));
  assert.equal(ack?.code, 500, "still running at deadlineMs");
  assert.equal(await s.connection.stop({ timeoutMs: 100 }), false);
  await until(() => reason !== undefined, "the signal aborted");
  assert.equal(reason.code, "drain_timeout");
  await s.platform.close();
});

test("the lease is renewed while a handler runs past leaseSeconds: a redelivery meanwhile is acked 500 and not run; afterwards 200 without a run", async (t) => {
  let runs = 0;
  let signal;
  const s = await setup({
    leaseSeconds: 1,
    deadlineMs: 200,
    on: {
      "*": async (inbound, context) => {
        runs += 1;
        signal = context.signal;
        await sleep(2500);
      },
    },
  });
  t.after(() => teardown(s));
  await s.connection.start();
  assert.equal((await s.platform.send(eventJson("ev-lease")))?.code, 500, "still running at deadlineMs");
  for (const wait of [700, 700]) {
    await sleep(wait);
    assert.equal((await s.platform.send(eventJson("ev-lease")))?.code, 500, "in progress, not run again");
  }
  assert.ok(signal instanceof AbortSignal);
  assert.equal(signal.aborted, false, "the lease was kept");
  await sleep(1300);
  assert.equal((await s.platform.send(eventJson("ev-lease")))?.code, 200);
  assert.equal(runs, 1);
});

test("options are checked like createHandler's", () => {
  assert.throws(() => createLongConnection({ appSecret: "s" }), { code: "invalid_config" });
  assert.throws(() => createLongConnection({ appId: "cli_x", appSecret: "s", domain: "ftp://x" }), { code: "invalid_config" });
  assert.throws(() => createLongConnection({ appId: "cli_x", appSecret: "s", deadlineMs: 0 }), { code: "invalid_config" });
  assert.throws(() => createLongConnection({ appId: "cli_x", appSecret: "s", dedup: {} }), { code: "invalid_config" });
  const connection = createLongConnection({ appId: "cli_x", appSecret: "top-secret", dedup: new MemoryDedupStore() });
  assert.equal(connection.status, "closed");
  assert.ok(!JSON.stringify(connection).includes("top-secret"));
  assert.ok(!inspect(connection, { showHidden: true, depth: 5 }).includes("top-secret"));
});
