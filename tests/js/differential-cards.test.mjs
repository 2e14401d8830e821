// Differential: the official SDKs read larkhook's test callbacks of both
// kinds (and the approval event) and type them as larkhook does. The Node
// SDK (@larksuiteoapi/node-sdk, CardActionHandler and EventDispatcher) in
// this process; the Python SDK (lark-oapi, installed by `make python-sdk`
// into target/pysdk) through tests/py/sdk_differential.py. A response body
// built with larkhook's types goes through the Python SDK's response class
// unchanged (the Node SDK has none for card.action.trigger).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { KEY, TOKEN, fixture, lark, require, root } from "./helpers.mjs";

const sdk = require("@larksuiteoapi/node-sdk");
const python = join(root, "target", "pysdk", "bin", "python");

// Without 64-bit integers in `value`: JSON.parse in the Node SDK and json in
// the Python SDK would be compared on numbers they read differently (larkhook
// hands integers beyond 2^53 over as strings; see the last test).
const TRIGGER = fixture("card_action_trigger.json").replace(', "big": 7262656095919128578', "");
const LEGACY = fixture("card_action_legacy.json").trim();
const APPROVE = fixture("notification_approve_v1.json");
const ANSWER = {
  toast: { type: "success", content: "Assigned to you", i18n: { zh_cn: "已分配给你", en_us: "Assigned to you" } },
  card: { type: "raw", data: { schema: "2.0", body: { elements: [{ tag: "markdown", content: "**Assigned** to you" }] } } },
};

const deliveries = {
  trigger: lark.createTestDelivery({ event: TRIGGER, encryptKey: KEY, verificationToken: TOKEN }),
  approve: lark.createTestDelivery({ event: APPROVE, encryptKey: KEY, verificationToken: TOKEN }),
  legacy: lark.createTestDelivery({ event: LEGACY, verificationToken: TOKEN, kind: "card_action" }),
};
const parsed = {
  trigger: new lark.LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN }).parse(deliveries.trigger),
  approve: new lark.LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN }).parse(deliveries.approve),
  legacy: new lark.LarkWebhook({ verificationToken: TOKEN }).parse(deliveries.legacy),
};

/** What the Node SDK's adapters hand its dispatchers: the parsed body, the headers on its prototype. */
function sdkData(delivery) {
  const headers = Object.fromEntries(Object.entries(delivery.headers).map(([n, v]) => [n.toLowerCase(), v]));
  return Object.assign(Object.create({ headers }), JSON.parse(delivery.body));
}

const quiet = { loggerLevel: sdk.LoggerLevel.error };

test("Node SDK: card.action.trigger from larkhook is accepted and typed the same", async () => {
  let seen;
  const handler = new sdk.CardActionHandler({ encryptKey: KEY, verificationToken: TOKEN, ...quiet }, async (data) => {
    seen = data;
    return ANSWER;
  });
  const answer = await handler.invoke(sdkData(deliveries.trigger));
  assert.deepEqual(answer, ANSWER, "the handler's value is the SDK's answer too");
  assert.ok(seen, "the SDK verified and ran the handler");
  const { event, header } = parsed.trigger;
  // The SDK flattens header and event into one object.
  for (const field of ["operator", "token", "action", "host", "context"]) assert.deepEqual(seen[field], event[field], field);
  assert.equal(seen.event_id, header.event_id);
  assert.equal(seen.event_type, "card.action.trigger");
  // A wrong signature is refused by both.
  const forged = { ...deliveries.trigger, headers: { ...deliveries.trigger.headers, "X-Lark-Signature": "0".repeat(64) } };
  seen = undefined;
  assert.equal(await handler.invoke(sdkData(forged)), undefined);
  assert.equal(seen, undefined);
});

test("Node SDK: the legacy callback from larkhook passes its SHA-1 check and is typed the same", async () => {
  let seen;
  const handler = new sdk.CardActionHandler({ verificationToken: TOKEN, ...quiet }, async (data) => {
    seen = data;
    return ANSWER;
  });
  assert.deepEqual(await handler.invoke(sdkData(deliveries.legacy)), ANSWER);
  for (const field of ["open_id", "user_id", "open_message_id", "open_chat_id", "tenant_key", "token", "action"]) {
    assert.deepEqual(seen[field], parsed.legacy.event[field], field);
  }
  // Where they differ, larkhook is the stricter: the SDK accepts a legacy
  // callback with no token configured (it checks nothing), larkhook refuses it.
  seen = undefined;
  const unchecked = new sdk.CardActionHandler({ ...quiet }, async (data) => (seen = data));
  const forged = { ...deliveries.legacy, headers: { ...deliveries.legacy.headers, "X-Lark-Signature": "f".repeat(40) } };
  await unchecked.invoke(sdkData(forged));
  assert.ok(seen, "the SDK ran the handler for a forged callback");
  assert.throws(() => new lark.LarkWebhook({ encryptKey: KEY }).parse(forged), { code: "token_required" });
});

test("Node SDK: helpdesk.notification.approve_v1 is typed the same", async () => {
  let seen;
  const dispatcher = new sdk.EventDispatcher({ encryptKey: KEY, verificationToken: TOKEN, ...quiet }).register({
    "helpdesk.notification.approve_v1": async (data) => {
      seen = data;
    },
  });
  await dispatcher.invoke(sdkData(deliveries.approve));
  for (const field of ["notification_id", "helpdesk_id", "approve_status"]) assert.equal(seen[field], parsed.approve.event[field], field);
});

test("Python SDK (lark-oapi): both callbacks and the approval typed the same; larkhook's answer through its response class", () => {
  assert.ok(existsSync(python), "the Python SDK is missing: run `make python-sdk` (make test does)");
  const input = {
    deliveries: [
      { name: "trigger", kind: "event", encrypt_key: KEY, verification_token: TOKEN, ...deliveries.trigger, answer: ANSWER },
      { name: "approve", kind: "event", encrypt_key: KEY, verification_token: TOKEN, ...deliveries.approve },
      { name: "legacy", kind: "card_action", encrypt_key: "", verification_token: TOKEN, ...deliveries.legacy, answer: ANSWER },
    ],
    responses: [ANSWER, { toast: { type: "error", content: "failed" } }, {}],
  };
  const out = JSON.parse(
    execFileSync(python, [join(root, "tests", "py", "sdk_differential.py")], { input: JSON.stringify(input), encoding: "utf8", env: { ...process.env, PYTHONIOENCODING: "utf-8" } }),
  );
  const trigger = out.deliveries.trigger;
  assert.equal(trigger.status, 200, trigger.answer);
  assert.deepEqual(trigger.event, parsed.trigger.event, "card.action.trigger: every field the same");
  assert.equal(trigger.header.event_id, parsed.trigger.header.event_id);
  assert.deepEqual(JSON.parse(trigger.answer), ANSWER, "the SDK answers with the response built from larkhook's types");

  const approve = out.deliveries.approve;
  assert.equal(approve.status, 200, approve.answer);
  assert.deepEqual(approve.event, parsed.approve.event);

  const legacy = out.deliveries.legacy;
  assert.equal(legacy.status, 200, legacy.answer);
  // The SDK's legacy Card type fills absent action fields with empty
  // defaults (`form_value: {}`, `options: []`); larkhook leaves them out.
  const withoutEmptyDefaults = (card) => ({ ...card, action: Object.fromEntries(Object.entries(card.action).filter(([, v]) => JSON.stringify(v) !== "{}" && JSON.stringify(v) !== "[]")) });
  assert.deepEqual(withoutEmptyDefaults(legacy.event), parsed.legacy.event);
  assert.deepEqual(legacy.event.action.form_value, {});

  assert.deepEqual(out.responses, input.responses, "P2CardActionTriggerResponse keeps larkhook's answers as they are");
});

test("where the SDKs differ: a 64-bit integer in action.value", async () => {
  const exact = lark.createTestDelivery({ event: fixture("card_action_trigger.json"), encryptKey: KEY, verificationToken: TOKEN });
  const ours = new lark.LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN }).parse(exact);
  assert.equal(ours.event.action.value.big, "7262656095919128578", "larkhook keeps every digit");
  let seen;
  await new sdk.CardActionHandler({ encryptKey: KEY, verificationToken: TOKEN, ...quiet }, async (data) => (seen = data)).invoke(sdkData(exact));
  assert.notEqual(String(seen.action.value.big), "7262656095919128578", "JSON.parse in the Node SDK rounds it");
  assert.equal(seen.action.value.big, Number("7262656095919128578"));
});
