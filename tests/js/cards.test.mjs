// Card callbacks and the JSON Schemas, through the built package:
// card.action.trigger typed (value as sent, numbers JavaScript cannot hold as
// strings), the legacy message-card callback (SHA-1 checked with node:crypto,
// verified by `parse` in the request-path module), and every typed result validated against
// its schema in pkg/schemas by an independent validator (ajv, draft 2020-12)
// over the fixtures, the hostile corpus's accepted cases and generated
// variants.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import Ajv2020 from "ajv/dist/2020.js";

import { KEY, NOW, TOKEN, codeOf, delivery, errorOf, fixture, hook, lark, pkgDir, root } from "./helpers.mjs";

const { LarkWebhook, createTestDelivery } = lark;

const schemaDir = join(pkgDir, "schemas");
const schemas = Object.fromEntries(
  readdirSync(schemaDir).map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(join(schemaDir, f), "utf8"))]),
);
// strict: an unknown keyword or a malformed schema is an error, not ignored
// (a `type` list, standard JSON Schema, is allowed explicitly).
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validators = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)]));

const LEGACY = fixture("card_action_legacy.json").trim();
const sha1 = (text) => createHash("sha1").update(text).digest("hex");

/** The schema name of a typed result, or undefined for anything else. */
function schemaOf(result) {
  if (result.kind === "event") return result.event_type;
  if (result.kind === "card_action" && result.typed) return "card_action";
  return undefined;
}

/** Validates a typed result's `event` against its schema; returns the problems. */
function validate(result, where) {
  const name = schemaOf(result);
  if (name === undefined) return [];
  const check = validators[name];
  if (check === undefined) return [`${where}: no schema for ${name}`];
  return check(result.event) ? [] : [`${where}: ${name}: ${ajv.errorsText(check.errors)}`];
}

function legacy(body = LEGACY, options = {}) {
  return createTestDelivery({ event: body, verificationToken: TOKEN, kind: "card_action", timestamp: NOW, nonce: "nonce-1", ...options });
}

test("a schema for every typed event type and for the legacy callback, draft 2020-12", () => {
  assert.deepEqual(Object.keys(schemas).sort(), [...Object.values(lark.EventType), "card_action"].sort());
  for (const [name, schema] of Object.entries(schemas)) {
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema", name);
    assert.equal(schema.type, "object", name);
    assert.equal(schema.additionalProperties, false, name);
  }
  // Not vacuous: each refuses a field the model does not have, and a wrong type.
  for (const [name, check] of Object.entries(validators)) {
    assert.equal(check({ not_a_field: 1 }), false, name);
  }
  assert.equal(validators["card.action.trigger"]({ action: { value: 42 } }), false, "value is an object or a string");
  assert.equal(validators["card.action.trigger"]({ action: { value: "x", options: ["a", 1] } }), false);
  assert.equal(validators["helpdesk.ticket.created_v1"]({ status: "50" }), false, "codes are numbers");
  assert.equal(validators["helpdesk.ticket.created_v1"]({ ticket_id: 6626871355780366331 }), false, "ids are strings");
});

test("card.action.trigger: typed, value as sent, create_time in the platform's microseconds", () => {
  const m = hook().parse({ ...delivery(fixture("card_action_trigger.json")), now: NOW });
  assert.equal(m.kind, "event");
  assert.equal(m.event_type, lark.EventType.CardActionTrigger);
  assert.equal(m.header.create_time, 1_700_000_000_123_456);
  assert.deepEqual(m.event.operator, {
    tenant_key: "2ca1d211f64f6438",
    user_id: "e33ggbyz",
    open_id: "ou_84aad35d084aa403a838cf73ee18467",
    union_id: "on_8ed6aa67826108097d9ee143816345",
  });
  assert.equal(m.event.token, "c-7d0b6a3e1f2c4b5a9e8d7c6b5a4f3e2d1c0b9a8f");
  // A 64-bit integer in `value` keeps its digits (as a string), the rest as sent.
  assert.deepEqual(m.event.action.value, { command: "assign_to_me", ticket_id: "6626871355780366331", attempt: 1, big: "7262656095919128578" });
  assert.deepEqual(m.event.action.form_value, { note: "on it", priority: ["high"] });
  assert.equal(m.event.host, "im_message");
  assert.deepEqual(m.event.context, { open_message_id: "om_8baa3656c7b41900d29bf9104bf5310b", open_chat_id: "oc_a0553eda9014c201e6969b478895c230" });
  assert.deepEqual(validate(m, "fixture"), []);
  // A string value, and a value of a type cards do not send (untyped, saying where).
  const plain = new LarkWebhook({ verificationToken: TOKEN });
  const event = (action) => JSON.stringify({ schema: "2.0", header: { event_id: "e", event_type: "card.action.trigger", token: TOKEN }, event: { action } });
  assert.equal(plain.parse({ headers: {}, body: event({ value: "plain", tag: "button" }) }).event.action.value, "plain");
  const untyped = plain.parse({ headers: {}, body: event({ value: 42 }) });
  assert.equal(untyped.kind, "untyped_event");
  assert.match(untyped.decode_error, /^at `action\.value`: expected an object or a string/);
});

test("the legacy message-card callback: SHA-1 over timestamp, nonce, token and body; typed under event", () => {
  const d = legacy();
  assert.equal(d.body, LEGACY, "sent as given");
  assert.equal(d.headers["X-Lark-Signature"], sha1(`${NOW}nonce-1${TOKEN}${LEGACY}`));
  for (const options of [{ verificationToken: TOKEN }, { encryptKey: KEY, verificationToken: TOKEN }]) {
    const m = new LarkWebhook(options).parse({ ...d, now: NOW + 5 });
    assert.equal(m.kind, "card_action");
    assert.equal(m.event_type, "card_action");
    assert.equal(m.typed, true);
    assert.deepEqual(m.event, JSON.parse(LEGACY), "every field typed, as sent");
    assert.equal(m.raw, LEGACY);
    assert.equal(Object.keys(m).includes("raw"), false, "raw is not enumerable");
    assert.deepEqual(validate(m, "legacy"), []);
  }
  // Bytes and text alike; an upper-case signature is the same signature.
  const h = hook();
  assert.equal(h.parse({ ...d, body: new TextEncoder().encode(d.body), now: NOW }).kind, "card_action");
  assert.equal(h.parse({ ...d, headers: { ...d.headers, "X-Lark-Signature": d.headers["X-Lark-Signature"].toUpperCase() }, now: NOW }).kind, "card_action");
});

test("the legacy callback is refused when it cannot be verified", () => {
  const d = legacy();
  const h = hook();
  assert.equal(codeOf(() => hook({ verificationToken: "other" }).parse({ ...d, now: NOW })), "signature_mismatch");
  assert.equal(codeOf(() => h.parse({ ...d, body: d.body.replace("close", "open"), now: NOW })), "signature_mismatch");
  const pretty = errorOf(() => h.parse({ ...d, body: JSON.stringify(JSON.parse(d.body), null, 2), now: NOW }));
  assert.equal(pretty.code, "signature_mismatch");
  assert.equal(pretty.status, 401);
  for (const header of ["X-Lark-Request-Nonce", "X-Lark-Request-Timestamp"]) {
    const headers = { ...d.headers };
    delete headers[header];
    assert.equal(codeOf(() => h.parse({ headers, body: d.body, now: NOW })), "missing_signature", header);
  }
  const noToken = errorOf(() => new LarkWebhook({ encryptKey: KEY }).parse({ ...d, now: NOW }));
  assert.equal(noToken.code, "token_required");
  assert.equal(noToken.status, 500);
  // The strict window, even where events get a wider one.
  const wide = hook({ toleranceSeconds: 27_000 });
  assert.equal(codeOf(() => wide.parse({ ...d, now: NOW + 301 })), "timestamp_out_of_range");
  assert.equal(codeOf(() => wide.parse({ ...d, now: NOW + 300 })), "ok");
  assert.equal(codeOf(() => hook({ maxBodyBytes: 10 }).parse({ ...d, now: NOW })), "body_too_large");
});

test("card.action.trigger keeps the strict window where events get a wider one", () => {
  const wide = hook({ toleranceSeconds: 27_000 });
  assert.equal(codeOf(() => wide.parse({ ...delivery(fixture("ticket_created_v1.json")), now: NOW + 400 })), "ok");
  const e = errorOf(() => wide.parse({ ...delivery(fixture("card_action_trigger.json")), now: NOW + 400 }));
  assert.equal(e.code, "timestamp_out_of_range");
  assert.match(e.message, /±300 s/);
});

test("helpdesk.notification.approve_v1 is typed", () => {
  const m = hook().parse({ ...delivery(fixture("notification_approve_v1.json")), now: NOW });
  assert.equal(m.event_type, lark.EventType.NotificationApproveV1);
  assert.deepEqual(m.event, { notification_id: "6981801914270744596", helpdesk_id: "6939771743531696147", approve_status: "APPROVED" });
  assert.deepEqual(validate(m, "fixture"), []);
});

/** Variants of a JSON value: each member dropped, nulled, a number as a string, a lone object for a list, an unknown member added. */
function* variants(value, path = []) {
  if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === "object") yield [path, value[0]];
    for (const [i, item] of value.entries()) {
      for (const [p, v] of variants(item, [...path, i])) yield [p, v];
    }
    return;
  }
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && Number.isSafeInteger(value)) yield [path, String(value)];
    if (typeof value === "string" && /^\d{1,15}$/.test(value)) yield [path, Number(value)];
    return;
  }
  yield [path, { ...value, an_unknown_field: { x: 1 } }];
  for (const key of Object.keys(value)) {
    const rest = { ...value };
    delete rest[key];
    yield [path, rest];
    yield [[...path, key], null];
    for (const [p, v] of variants(value[key], [...path, key])) yield [p, v];
  }
}

function replaced(root, path, value) {
  if (path.length === 0) return value;
  const copy = Array.isArray(root) ? [...root] : { ...root };
  copy[path[0]] = replaced(root[path[0]], path.slice(1), value);
  return copy;
}

test("every typed result validates against its schema: fixtures, generated variants, the hostile corpus", () => {
  const problems = [];
  let checked = 0;
  const plain = new LarkWebhook({ verificationToken: TOKEN });
  for (const file of readdirSync(join(root, "tests", "fixtures")).filter((f) => f.endsWith(".json"))) {
    const text = fixture(file);
    if (file === "card_action_legacy.json") {
      for (const [path, value] of variants(JSON.parse(text))) {
        const body = JSON.stringify(replaced(JSON.parse(text), path, value));
        const m = hook().parse({ ...legacy(body), now: NOW });
        problems.push(...validate(m, `${file} ${path.join(".")}`));
        checked += m.typed ? 1 : 0;
      }
      continue;
    }
    const envelope = JSON.parse(text);
    for (const [path, value] of variants(envelope.event)) {
      const body = JSON.stringify({ ...envelope, event: replaced(envelope.event, path, value) });
      const m = plain.parse({ headers: {}, body });
      problems.push(...validate(m, `${file} ${path.join(".")}`));
      checked += m.kind === "event" ? 1 : 0;
    }
  }
  const corpus = JSON.parse(readFileSync(join(root, "tests", "hostile", "corpus.json"), "utf8"));
  for (const c of corpus.filter((c) => c.expect.kind === "event" && c.expect.typed && c.body !== undefined)) {
    const h = new LarkWebhook({ encryptKey: c.config.encrypt_keys, verificationToken: c.config.tokens, toleranceSeconds: c.config.tolerance_seconds, insecure: true });
    const m = h.parse({ headers: c.headers, body: c.body, now: c.now });
    problems.push(...validate(m, `hostile: ${c.name}`));
    checked += 1;
  }
  assert.deepEqual(problems, []);
  assert.ok(checked > 300, `only ${checked} typed results checked`);
});
