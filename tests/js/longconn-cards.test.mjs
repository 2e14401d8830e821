// Card callbacks over the long connection, against the stand-in platform
// (longconn/standin.mjs): a `card` frame (and card.action.trigger on an
// `event` frame) is answered exactly as createHandler answers the callback
// over HTTP (endpoint/callback.mjs, one runner for both): the ack is
// {"code":200,"data":base64(JSON answer)} whenever HTTP answers 200 (the
// handler's value, {} for nothing, a duplicate or a late handler, the error
// toast after a throw), {"code":500} only where HTTP answers 5xx. Each
// expected ack is written out here and base64-encoded by node:buffer, never
// taken from larkhook's output; the stand-in decodes acks with protobufjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHandler, createLongConnection, createTestDelivery } from "../../pkg/index.node.mjs";
import { APP_ID, APP_SECRET, StandIn, eventJson, until } from "./longconn/standin.mjs";
import { KEY, TOKEN, fixture } from "./helpers.mjs";

const FAST = { PingInterval: 30, ReconnectCount: -1, ReconnectInterval: 0, ReconnectNonce: 0 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const base64 = (value) => Buffer.from(JSON.stringify(value), "utf8").toString("base64");

/** The toast the documentation gives as callbackErrorToast's default. */
const DOCUMENTED_TOAST = {
  type: "error",
  content: "Something went wrong. Please try again.",
  i18n: { zh_cn: "出错了，请重试。", en_us: "Something went wrong. Please try again." },
};

/** A stand-in and a started connection; `errors` collects what onError is told. */
async function connect(t, { on = {}, ...options } = {}) {
  const platform = await new StandIn({ config: FAST }).start();
  const errors = [];
  const connection = createLongConnection({
    appId: APP_ID,
    appSecret: APP_SECRET,
    domain: platform.base,
    on,
    onError: (error, inbound, context) => errors.push({ error, inbound, context }),
    ...options,
  });
  t.after(async () => {
    await connection.stop({ timeoutMs: 2000 });
    await platform.close();
  });
  await connection.start();
  return { platform, connection, errors };
}

/** A card.action.trigger with `eventId` and the button's `value`. */
const click = (eventId, value = { command: "assign_to_me" }) =>
  eventJson(eventId, "card.action.trigger", { operator: { open_id: "ou_1" }, token: "c-1", action: { value, tag: "button" }, host: "im_message" });

/** The ack's payload as the frame carried it, parsed by JSON.parse only. */
const payloadOf = (ack) => JSON.parse(new TextDecoder().decode(ack.frame.payload));

test("a card handler that throws: ack 200 with the error toast (as over HTTP), the error to onError, no detail shown", async (t) => {
  const boom = new Error("database password is hunter2");
  const on = {
    "card.action.trigger": () => {
      throw boom;
    },
  };
  const s = await connect(t, { on });
  for (const [id, type] of [
    ["cb-throw-card", "card"],
    ["cb-throw-event", "event"],
  ]) {
    const ack = await s.platform.send(click(id), { type });
    assert.equal(ack?.code, 200, `a ${type} frame`);
    assert.deepEqual(ack.data, { toast: DOCUMENTED_TOAST });
    assert.ok(!Buffer.from(payloadOf(ack).data, "base64").toString().includes("hunter2"));
  }
  await sleep(20);
  assert.deepEqual(
    s.errors.map((e) => [e.error, e.inbound?.header.event_id]),
    [
      [boom, "cb-throw-card"],
      [boom, "cb-throw-event"],
    ],
  );
  // createHandler answers the same click over HTTP with the same body.
  const handler = createHandler({ encryptKey: KEY, verificationToken: TOKEN, on, onError: () => {} });
  const delivery = createTestDelivery({ event: click("cb-throw-http"), encryptKey: KEY, verificationToken: TOKEN });
  const response = await handler(new Request("http://127.0.0.1/", { method: "POST", headers: delivery.headers, body: delivery.body }));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { toast: DOCUMENTED_TOAST });
});

test("callbackErrorToast: the toast after a throw, as for createHandler; a bad one is invalid_config", async (t) => {
  const s = await connect(t, { on: { "card.action.trigger": () => Promise.reject(new Error("x")) }, callbackErrorToast: "Could not assign the ticket" });
  const ack = await s.platform.send(click("cb-toast"), { type: "card" });
  assert.deepEqual(payloadOf(ack), { code: 200, data: base64({ toast: { type: "error", content: "Could not assign the ticket" } }) });
  assert.throws(() => createLongConnection({ appId: APP_ID, appSecret: APP_SECRET, callbackErrorToast: 5 }), { code: "invalid_config" });
});

test("the handler's value is the answer, in data as base64 of its JSON; nothing, or no handler of its own, is {}; the catch-all never runs for a card", async (t) => {
  const answer = { toast: { type: "success", content: "Assigned to you" }, card: { type: "raw", data: { elements: [{ tag: "markdown", content: "**mine**" }] } } };
  const s = await connect(t, {
    on: {
      "card.action.trigger": async (inbound) => (inbound.event.action.value.answer ? answer : undefined),
      "*": () => assert.fail("the catch-all ran for a card"),
    },
  });
  assert.deepEqual(payloadOf(await s.platform.send(click("cb-value", { answer: true }), { type: "card" })), { code: 200, data: base64(answer) });
  assert.deepEqual(payloadOf(await s.platform.send(click("cb-nothing", { answer: false }), { type: "card" })), { code: 200, data: base64({}) });
  // A card frame whose type has no handler of its own: {} (the catch-all is for events).
  const other = eventJson("cb-other", "url.preview.get", { operator: { open_id: "ou_1" } });
  assert.deepEqual(payloadOf(await s.platform.send(other, { type: "card" })), { code: 200, data: base64({}) });
  assert.deepEqual(s.errors, []);
});

test("a value that is not a plain object: ack 500 (HTTP answers 500 invalid_callback_answer), told to onError", async (t) => {
  const values = ["text", 42, null, [{ toast: { type: "info", content: "x" } }], new Map()];
  let next = 0;
  const s = await connect(t, { on: { "card.action.trigger": () => values[next++] } });
  for (const value of values) {
    const ack = await s.platform.send(click(`cb-bad-${next}`), { type: "card" });
    assert.deepEqual(payloadOf(ack), { code: 500 }, `answered ${String(value)}`);
  }
  assert.deepEqual(
    s.errors.map((e) => e.error.code),
    values.map(() => "invalid_callback_answer"),
  );
  assert.match(s.errors[0].error.message, /plain object \(\{ toast\?, card\? \}\) or nothing/);
});

test("a card handler still running at deadlineMs: ack 200 {} by then, biz_rt its elapsed ms; it keeps running, its outcome recorded (a redelivery is {} without a second run)", async (t) => {
  let runs = 0;
  let finished = false;
  const s = await connect(t, {
    deadlineMs: 150,
    on: {
      "card.action.trigger": async () => {
        runs += 1;
        await sleep(1500);
        finished = true;
        return { toast: { type: "info", content: "too late to be seen" } };
      },
    },
  });
  const sent = Date.now();
  const ack = await s.platform.send(click("cb-late"), { type: "card" });
  assert.deepEqual(payloadOf(ack), { code: 200, data: base64({}) });
  assert.ok(ack.at - sent < 1200, `acked ${ack.at - sent} ms after sending, by the deadline`);
  assert.ok(Number(ack.biz_rt) >= 140 && Number(ack.biz_rt) < 1200, `biz_rt ${ack.biz_rt}`);
  assert.equal(finished, false);
  assert.equal(s.connection.pending > 0, true, "the handler is still tracked");
  await until(() => finished, "the late handler to finish");
  await sleep(50);
  assert.deepEqual(payloadOf(await s.platform.send(click("cb-late"), { type: "card" })), { code: 200, data: base64({}) });
  assert.equal(runs, 1);
  assert.deepEqual(s.errors, []);
});

test("a duplicate card frame: {} without a second run, whether the first is done or still running", async (t) => {
  const answer = { toast: { type: "success", content: "Closed" } };
  let runs = 0;
  const s = await connect(t, {
    on: {
      "card.action.trigger": async () => {
        runs += 1;
        await sleep(200);
        return answer;
      },
    },
  });
  const first = s.platform.send(click("cb-dup"), { type: "card" });
  await until(() => runs === 1, "the first delivery's handler to start");
  assert.deepEqual(payloadOf(await s.platform.send(click("cb-dup"), { type: "card" })), { code: 200, data: base64({}) }, "a copy while the first runs");
  assert.deepEqual(payloadOf(await first), { code: 200, data: base64(answer) });
  assert.deepEqual(payloadOf(await s.platform.send(click("cb-dup"), { type: "card" })), { code: 200, data: base64({}) }, "a copy once done");
  // The same click on an event frame is the same callback: a duplicate too.
  assert.deepEqual(payloadOf(await s.platform.send(click("cb-dup"))), { code: 200, data: base64({}) });
  assert.equal(runs, 1);
  assert.deepEqual(s.errors, []);
});

test("a dedup store that fails: the click is handled all the same and answered, the failure reported (as over HTTP)", async (t) => {
  const failing = {
    begin: () => Promise.reject(new Error("store down")),
    extend: () => Promise.reject(new Error("store down")),
    done: () => Promise.reject(new Error("store down")),
    release: () => Promise.reject(new Error("store down")),
  };
  const answer = { toast: { type: "success", content: "ok" } };
  const s = await connect(t, { dedup: failing, on: { "card.action.trigger": () => answer } });
  assert.deepEqual(payloadOf(await s.platform.send(click("cb-store"), { type: "card" })), { code: 200, data: base64(answer) });
  assert.ok(s.errors.length >= 1, "the store's failure reported");
});

test("a legacy message-card callback on a card frame: refused (the platform sends it only to a request URL), ack 500, on.card_action not run", async (t) => {
  const legacy = fixture("card_action_legacy.json").trim();
  const s = await connect(t, {
    on: {
      card_action: () => assert.fail("on.card_action ran for a socket frame"),
      "*": () => assert.fail("the catch-all ran"),
    },
  });
  const ack = await s.platform.send(legacy, { type: "card" });
  assert.deepEqual(payloadOf(ack), { code: 500 });
  assert.equal(s.errors.length, 1);
  const { error, inbound } = s.errors[0];
  assert.equal(error.code, "unsupported_schema");
  assert.equal(error.name, "LarkWebhookError");
  assert.equal(inbound, undefined);
  assert.match(error.message, /legacy message-card callback is sent only to a request URL/);
  // On an event frame it is the core's refusal as for any body it cannot place.
  await s.platform.send(legacy);
  assert.equal(s.errors[1].error.code, "unsupported_schema");
  assert.doesNotMatch(s.errors[1].error.message, /request URL/);
});
