// The stand-in platform (longconn/standin.mjs) is faithful: the official
// Node SDK's WSClient (@larksuiteoapi/node-sdk, unchanged, from
// node_modules) connects to it, pings, takes pongs' configuration, merges
// fragments, runs its EventDispatcher and acks, as it would against the
// real platform. What it does wrong is recorded too (biz_rt, card frames),
// since larkhook must not. The figures are printed for the closing note.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { APP_ID, APP_SECRET, StandIn, eventJson, until } from "./longconn/standin.mjs";
import { headerOf } from "./longconn/pbbp2.mjs";

const require = createRequire(import.meta.url);
const lark = require("@larksuiteoapi/node-sdk");

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

let platform;
let client;
const seen = [];

before(async () => {
  platform = await new StandIn({ config: { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 } }).start();
  const dispatcher = new lark.EventDispatcher({ logger: quiet, loggerLevel: lark.LoggerLevel.error }).register({
    "helpdesk.ticket.created_v1": async (data) => {
      seen.push(data);
      if (data.event_id === "ev-throws") throw new Error("handler failed");
    },
    "card.action.trigger": async () => ({ toast: { type: "success", content: "done" } }),
  });
  client = new lark.WSClient({ appId: APP_ID, appSecret: APP_SECRET, domain: platform.base, logger: quiet, loggerLevel: lark.LoggerLevel.error });
  await client.start({ eventDispatcher: dispatcher });
  await platform.connected();
});

after(async () => {
  client?.close({ force: true });
  await platform?.close();
});

test("the official WSClient calls the endpoint with AppID / AppSecret and opens the URL it is given", () => {
  const call = platform.endpointCalls[0];
  assert.equal(call.method, "POST");
  assert.equal(call.path, "/callback/ws/endpoint");
  assert.equal(call.body.AppID, APP_ID);
  assert.equal(call.body.AppSecret, APP_SECRET);
  assert.equal(call.headers.locale, "zh");
  assert.equal(platform.handshakes.accepted, 1);
  assert.equal(platform.handshakes.staleTicket, 0);
});

test("it pings with the URL's service_id and takes a pong's ClientConfig", async () => {
  await until(() => platform.pings.length >= 1, "a ping");
  assert.equal(platform.pings[0].service, 33554678);
  platform.pongConfig = { PingInterval: 2, ReconnectCount: 5, ReconnectInterval: 3, ReconnectNonce: 1 };
  await until(() => client.wsConfig.getWS("pingInterval") === 2000, "the pong's PingInterval applied", 4000);
  assert.equal(client.wsConfig.getWS("reconnectCount"), 5);
  assert.equal(client.wsConfig.getWS("reconnectInterval"), 3000);
  platform.pongConfig = undefined;
});

test("an event frame runs its handler and is acked: the frame echoed with biz_rt and {code:200}", async () => {
  const ack = await platform.send(eventJson("ev-1"));
  assert.ok(ack, "acked");
  assert.equal(ack.code, 200);
  assert.equal(seen.at(-1).event_id, "ev-1");
  // Echoed: the ids and every header the platform sent, biz_rt appended.
  assert.match(ack.frame.SeqID, /^\d+$/);
  assert.equal(ack.frame.LogID, String(2 ** 53));
  assert.equal(headerOf(ack.frame, "trace_id"), `trace-${ack.message_id}`);
  assert.equal(ack.frame.headers.at(-1).key, "biz_rt");
  // The official client computes start - end: zero or negative (a defect larkhook does not share).
  assert.ok(Number(ack.biz_rt) <= 0, `biz_rt ${ack.biz_rt}`);
  console.log(`# official WSClient: biz_rt on a handled event = ${ack.biz_rt}`);
});

test("three fragments, sent out of order, are merged into one event", async () => {
  const before = seen.length;
  const ack = await platform.send(eventJson("ev-fragments"), { fragments: 3 });
  assert.equal(ack?.code, 200);
  assert.equal(seen.length, before + 1);
  assert.equal(seen.at(-1).event_id, "ev-fragments");
});

test("a handler that throws is acked {code:500}", async () => {
  const ack = await platform.send(eventJson("ev-throws"));
  assert.equal(ack?.code, 500);
});

test("a handler's value is the ack's data (base64 JSON), as for card.action.trigger on an event frame", async () => {
  const ack = await platform.send(eventJson("ev-card", "card.action.trigger", { action: { value: { a: 1 } } }));
  assert.equal(ack?.code, 200);
  assert.deepEqual(ack.data, { toast: { type: "success", content: "done" } });
});

test("a frame of type card is ignored by the official client: never answered (a defect larkhook does not share)", async () => {
  const ack = await platform.send(eventJson("ev-card-frame", "card.action.trigger", { action: { value: {} } }), { type: "card", timeoutMs: 1000 });
  assert.equal(ack, undefined);
});

test("a dropped socket: it fetches a fresh URL and reconnects", async () => {
  const calls = platform.endpointCalls.length;
  platform.dropAll();
  await platform.connected(2, 10_000);
  assert.equal(platform.endpointCalls.length, calls + 1, "a fresh endpoint call");
  assert.equal(platform.handshakes.staleTicket, 0, "never a used URL");
  // The official client attaches its frame handler only after the code that
  // awaited the socket's 'open' resumes, so a frame sent at once can be
  // dropped (larkhook keeps such frames since 9ef72d9). By the time a ping on
  // the new socket reaches the stand-in, the client has attached it.
  const reconnectedAt = Date.now();
  await until(() => platform.pings.some((p) => p.at >= reconnectedAt), "a ping on the new socket", 5000);
  const ack = await platform.send(eventJson("ev-after-reconnect"));
  assert.equal(ack?.code, 200);
});

test("a refused handshake (514) is not an open socket; the official client keeps retrying", async () => {
  const refusing = await new StandIn({ config: { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 }, handshake: () => ({ status: 514, authCode: 1000040350, msg: "exceed conn limit" }) }).start();
  const errors = [];
  const other = new lark.WSClient({ appId: APP_ID, appSecret: APP_SECRET, domain: refusing.base, logger: quiet, loggerLevel: lark.LoggerLevel.error, onError: (e) => errors.push(e) });
  try {
    await other.start({ eventDispatcher: new lark.EventDispatcher({ logger: quiet, loggerLevel: lark.LoggerLevel.error }) });
    await until(() => refusing.handshakes.refused >= 2, "two refused handshakes", 6000);
    assert.equal(refusing.handshakes.accepted, 0);
    assert.notEqual(other.getConnectionStatus().state, "connected");
    console.log(`# official WSClient on a 514 handshake: ${refusing.handshakes.refused} attempts in a few seconds, state ${other.getConnectionStatus().state}, onError calls ${errors.length}`);
  } finally {
    other.close({ force: true });
    await refusing.close();
  }
});

test("figures", () => {
  console.log(
    `# official WSClient against the stand-in: endpoint calls ${platform.endpointCalls.length}, handshakes ${platform.handshakes.accepted}, pings ${platform.pings.length}, frames sent ${platform.framesSent}, acks ${platform.acks.length} (${platform.acks.filter((a) => a.code === 200).length} x 200, ${platform.acks.filter((a) => a.code === 500).length} x 500)`,
  );
});
