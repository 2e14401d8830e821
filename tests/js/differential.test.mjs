// Differential tests against the official Node SDK (@larksuiteoapi/node-sdk,
// a dev dependency of the tests only) and against Node's own crypto used the
// documented way.
import assert from "node:assert/strict";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { test } from "node:test";

import { KEY, NOW, TOKEN, fixture, hook, lark, require } from "./helpers.mjs";

const sdk = require("@larksuiteoapi/node-sdk");
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

// What the SDK's HTTP adapters hand to `invoke`: the parsed body, with the
// (lower-cased) headers on its prototype so that JSON.stringify skips them.
function sdkInput(delivery) {
  const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.assign(Object.create({ headers }), JSON.parse(delivery.body));
}

const EVENTS = [
  ["helpdesk.ticket.created_v1", "ticket_created_v1.json", (d) => d.ticket_id],
  ["helpdesk.ticket.updated_v1", "ticket_updated_v1.json", (d) => d.object.ticket_id],
  ["helpdesk.ticket_message.created_v1", "ticket_message_created_v1.json", (d) => d.ticket.ticket_id],
];

test("deliveries built by createTestDelivery are accepted and dispatched by the official SDK", async () => {
  for (const [type, file, ticketId] of EVENTS) {
    const delivery = lark.createTestDelivery({ event: fixture(file), encryptKey: KEY, verificationToken: TOKEN });
    let received;
    const dispatcher = new sdk.EventDispatcher({ encryptKey: KEY, verificationToken: TOKEN, logger: silent }).register({
      [type]: async (data) => {
        received = data;
        return "ok";
      },
    });
    assert.equal(await dispatcher.invoke(sdkInput(delivery)), "ok", type);
    assert.equal(ticketId(received), "6626871355780366331", type);

    const ours = hook().parse(delivery);
    assert.equal(ours.event_type, type);
    assert.equal(ticketId(ours.event), "6626871355780366331");
  }
});

test("the SDK flattens header and event (the inner event_id wins); larkhook keeps both", async () => {
  const delivery = lark.createTestDelivery({ event: fixture("ticket_message_created_v1.json"), encryptKey: KEY, verificationToken: TOKEN });
  let received;
  const dispatcher = new sdk.EventDispatcher({ encryptKey: KEY, logger: silent }).register({
    "helpdesk.ticket_message.created_v1": (data) => {
      received = data;
    },
  });
  await dispatcher.invoke(sdkInput(delivery));
  assert.equal(received.event_id, "118a6492-122d-04ad-4370-010a3bb384d3", "the SDK lost header.event_id");
  // JSON.parse in the SDK rounds the 64-bit comment id.
  assert.notEqual(String(received.ticket.comments.id), "7262656095919128579");

  const ours = hook().parse(delivery);
  assert.equal(ours.header.event_id, "5e3702a84e847582be8db7fb73283c02");
  assert.equal(ours.event.event_id, "118a6492-122d-04ad-4370-010a3bb384d3");
  assert.equal(ours.event.ticket.comments[0].id, "7262656095919128579");
});

test("a tampered body that the SDK rejects is rejected by larkhook too", async () => {
  const delivery = lark.createTestDelivery({ event: fixture("ticket_created_v1.json"), encryptKey: KEY, verificationToken: TOKEN });
  const flipped = { ...delivery, body: delivery.body.slice(0, 20) + (delivery.body[20] === "A" ? "B" : "A") + delivery.body.slice(21) };
  let called = false;
  const dispatcher = new sdk.EventDispatcher({ encryptKey: KEY, logger: silent }).register({
    "helpdesk.ticket.created_v1": () => {
      called = true;
    },
  });
  assert.equal(await dispatcher.invoke(sdkInput(flipped)), undefined);
  assert.equal(called, false);
  assert.throws(() => hook().parse({ ...flipped, now: Number(delivery.headers["X-Lark-Request-Timestamp"]) }), { code: "signature_mismatch" });
  assert.equal(hook().parse(delivery).kind, "event");
});

test("payloads encrypted and signed with Node's crypto, the documented way, parse with larkhook", () => {
  for (const file of ["ticket_created_v1.json", "ticket_updated_v1.json", "ticket_message_created_v1.json"]) {
    const event = JSON.parse(fixture(file));
    event.header.token = TOKEN;
    const plaintext = JSON.stringify(event);
    const key = createHash("sha256").update(KEY).digest();
    const iv = randomBytes(16);
    const cipher = createCipheriv("aes-256-cbc", key, iv);
    const encrypted = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
    const body = JSON.stringify({ encrypt: encrypted });
    const timestamp = String(NOW);
    const nonce = randomBytes(6).toString("hex");
    const signature = createHash("sha256").update(timestamp + nonce + KEY + body).digest("hex");
    const headers = { "x-lark-request-timestamp": timestamp, "x-lark-request-nonce": nonce, "x-lark-signature": signature };

    const m = hook().parse({ headers, body, now: NOW });
    assert.equal(m.kind, "event", file);
    assert.equal(m.raw, plaintext);
    assert.equal(lark.decrypt(KEY, encrypted), plaintext);
    assert.equal(lark.sign(timestamp, nonce, KEY, body), signature);
    // And the SDK's own cipher reads what larkhook encrypts.
    assert.equal(new sdk.AESCipher(KEY).decrypt(lark.encrypt(KEY, plaintext)), plaintext);
  }
});

test("where the SDK accepts what larkhook refuses: replay, missing token, no signature", async () => {
  const delivery = lark.createTestDelivery({
    event: fixture("ticket_created_v1.json"),
    encryptKey: KEY,
    verificationToken: TOKEN,
    timestamp: NOW - 86_400 * 365,
  });
  let calls = 0;
  const dispatcher = new sdk.EventDispatcher({ encryptKey: KEY, verificationToken: TOKEN, logger: silent }).register({
    "helpdesk.ticket.created_v1": () => {
      calls += 1;
    },
  });
  await dispatcher.invoke(sdkInput(delivery));
  assert.equal(calls, 1, "the SDK accepts a year-old delivery");
  assert.throws(() => hook().parse({ ...delivery, now: NOW }), { code: "timestamp_out_of_range" });

  const plainNoKey = { headers: {}, body: fixture("ticket_created_v1.json") };
  await new sdk.EventDispatcher({ verificationToken: "not-the-token", logger: silent })
    .register({ "helpdesk.ticket.created_v1": () => (calls += 1) })
    .invoke(sdkInput(plainNoKey));
  assert.equal(calls, 2, "the SDK never checks the token of an event");
  assert.throws(() => new lark.LarkWebhook({ verificationToken: "not-the-token" }).parse(plainNoKey), { code: "token_mismatch" });
});
