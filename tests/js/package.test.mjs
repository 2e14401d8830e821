// The built package from Node: public vectors, typed events, every error
// code, both module systems, parseRequest, header shapes, labels, and one
// instance surviving abuse.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  KEY,
  NOW,
  TOKEN,
  codeOf,
  delivery,
  errorOf,
  fixture,
  hook,
  lark,
  larkCjs,
  vectors,
} from "./helpers.mjs";

const { LarkWebhook, LarkWebhookError, createTestDelivery, decrypt, encrypt, sign, label } = lark;

test("public vectors from the documentation and the official SDK", () => {
  assert.equal(decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="), "hello world");
  const sdk =
    "tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e";
  assert.equal(
    decrypt("mazhe.nerd", sdk),
    '{"challenge":"5634b122-c042-4634-bc7f-b07a3c3e77ad","token":"iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6","type":"url_verification"}',
  );
  const challengeHook = new LarkWebhook({ encryptKey: "mazhe.nerd", verificationToken: "iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6" });
  const parsed = challengeHook.parse({ headers: {}, body: JSON.stringify({ encrypt: sdk }) });
  assert.deepEqual(parsed, {
    kind: "challenge",
    challenge: "5634b122-c042-4634-bc7f-b07a3c3e77ad",
    response: { challenge: "5634b122-c042-4634-bc7f-b07a3c3e77ad" },
  });
});

test("OpenSSL ciphertexts and sha256sum signatures (tests/vectors)", () => {
  assert.ok(vectors.length >= 7);
  for (const v of vectors) {
    const iv = Uint8Array.from(v.iv_hex.match(/../g).map((h) => parseInt(h, 16)));
    assert.equal(encrypt(v.key, v.plaintext, iv), v.encrypt, `encrypt: ${v.name}`);
    assert.equal(decrypt(v.key, v.encrypt), v.plaintext, `decrypt: ${v.name}`);
    assert.equal(sign(v.timestamp, v.nonce, v.key, v.body), v.signature, `sign: ${v.name}`);
    assert.equal(sign(v.timestamp, v.nonce, v.key, new TextEncoder().encode(v.body)), v.signature);
    if (v.plaintext.startsWith('{"schema"')) {
      const headers = {
        "X-Lark-Request-Timestamp": v.timestamp,
        "X-Lark-Request-Nonce": v.nonce,
        "X-Lark-Signature": v.signature,
      };
      const m = new LarkWebhook({ encryptKey: v.key, verificationToken: TOKEN }).parse({ headers, body: v.body, now: Number(v.timestamp) });
      assert.equal(m.kind, "event", v.name);
      assert.equal(m.raw, v.plaintext);
    }
  }
});

test("the three documentation events arrive typed, in the documentation's shape", () => {
  const created = hook().parse({ ...delivery(fixture("ticket_created_v1.json")), now: NOW });
  assert.equal(created.kind, "event");
  assert.equal(created.typed, true);
  assert.equal(created.schema, "2.0");
  assert.equal(created.event_type, "helpdesk.ticket.created_v1");
  assert.deepEqual(created.header, {
    event_id: "5e3702a84e847582be8db7fb73283c02",
    event_type: "helpdesk.ticket.created_v1",
    create_time: 1608725989000,
    app_id: "cli_9f5343c580712544",
    tenant_key: "2ca1d211f64f6438",
  });
  assert.equal(created.event.ticket_id, "6626871355780366331");
  assert.equal(created.event.status, 1);
  assert.equal(created.event.created_at, 1616920429000);
  assert.deepEqual(created.event.guest.id.open_id, "ou_84aad35d084aa403a838cf73ee18467");
  assert.equal("token" in created.header, false, "the verification token is not handed to handlers");

  const updated = hook().parse({ ...delivery(fixture("ticket_updated_v1.json")), now: NOW });
  assert.equal(updated.event.object.guest.name, "abc");
  assert.deepEqual(updated.event.old_object, { stage: 1, status: 50, updated_at: 1616920429000 });

  const message = hook().parse({ ...delivery(fixture("ticket_message_created_v1.json")), now: NOW });
  assert.equal(message.header.event_id, "5e3702a84e847582be8db7fb73283c02");
  assert.equal(message.event.event_id, "118a6492-122d-04ad-4370-010a3bb384d3", "header and event are not flattened");
  assert.equal(message.event.position, "10");
  assert.equal(message.event.sender_type, 1);
  assert.deepEqual(message.event.ticket.comments, [
    {
      content: "备注内容",
      created_at: 1690970837624,
      id: "7262656095919128579",
      user_avatar_url: "备注人头像",
      user_name: "备注人姓名",
      user_id: "7262656095919128578",
    },
  ]);
  assert.equal(message.event.ticket.agent_service_duration, 42624.95);
  assert.deepEqual(message.event.content.image_keys, ["xxx", "yyy"]);
});

test("64-bit ids stay exact; unsafe integers in untyped events become strings", () => {
  const event = `{"schema":"2.0","header":{"event_id":"e","event_type":"im.message.receive_v1"},
    "event":{"big":9007199254740993,"neg":-9007199254740993,"safe":9007199254740991,"float":1.5,"list":[18446744073709551615]}}`;
  const m = new LarkWebhook({ insecure: true }).parse({ headers: {}, body: event });
  assert.equal(m.kind, "untyped_event");
  assert.equal(m.typed, false);
  assert.deepEqual(m.event, {
    big: "9007199254740993",
    neg: "-9007199254740993",
    safe: 9007199254740991,
    float: 1.5,
    list: ["18446744073709551615"],
  });
  assert.equal(m.raw, event);
});

test("a helpdesk event that does not decode arrives untyped with the reason", () => {
  const event = `{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket_message.created_v1"},
    "event":{"ticket":{"comments":[{"id":{"x":1}}]}}}`;
  const m = new LarkWebhook({ insecure: true }).parse({ headers: {}, body: event });
  assert.equal(m.kind, "untyped_event");
  assert.equal(m.event_type, "helpdesk.ticket_message.created_v1");
  assert.match(m.decode_error, /^at `ticket\.comments\[0\]\.id`: /);
});

test("every error code, with its HTTP status, as a LarkWebhookError", () => {
  const seen = new Map();
  const expect = (code, status, fn) => {
    const e = errorOf(fn);
    assert.ok(e instanceof LarkWebhookError, `${code}: ${e}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.status, status, code);
    assert.ok(e.message.length > 20);
    assert.deepEqual(e.toJSON(), { code, message: e.message });
    assert.equal(JSON.parse(JSON.stringify(e)).code, code);
    seen.set(code, status);
  };
  const d = delivery(fixture("ticket_created_v1.json"));
  const h = hook();
  const withHeaders = (headers) => ({ headers: { ...d.headers, ...headers }, body: d.body, now: NOW });
  expect("body_too_large", 413, () => hook({ maxBodyBytes: 10 }).parse({ ...d, now: NOW }));
  expect("missing_signature", 401, () => h.parse({ headers: {}, body: d.body, now: NOW }));
  expect("duplicate_header", 400, () =>
    h.parse({ headers: [...Object.entries(d.headers), ["x-lark-signature", "00"]], body: d.body, now: NOW }),
  );
  expect("invalid_timestamp", 400, () => h.parse(withHeaders({ "X-Lark-Request-Timestamp": "+1700000000" })));
  expect("timestamp_out_of_range", 401, () => h.parse({ ...d, now: NOW + 301 }));
  expect("signature_mismatch", 401, () => h.parse({ ...d, body: d.body.replace("A", "B"), now: NOW }));
  expect("invalid_json", 400, () => new LarkWebhook({ insecure: true }).parse({ headers: {}, body: "{" }));
  const undecryptable = '{"encrypt":"not base64"}';
  expect("decrypt_failed", 400, () =>
    h.parse({ headers: { ...d.headers, "X-Lark-Signature": sign(String(NOW), "nonce", KEY, undecryptable) }, body: undecryptable, now: NOW }),
  );
  expect("key_required", 500, () => new LarkWebhook({ insecure: true }).parse({ ...d, now: NOW }));
  const legacy = createTestDelivery({ event: '{"open_id":"ou_1"}', verificationToken: TOKEN, kind: "card_action", timestamp: NOW });
  expect("token_required", 500, () => new LarkWebhook({ encryptKey: KEY }).parse({ ...legacy, now: NOW }));
  const plain = fixture("ticket_created_v1.json");
  expect("plaintext_rejected", 400, () =>
    h.parse({ headers: { ...d.headers, "X-Lark-Signature": sign(String(NOW), "nonce", KEY, plain) }, body: plain, now: NOW }),
  );
  expect("unsupported_schema", 400, () => new LarkWebhook({ insecure: true }).parse({ headers: {}, body: '{"schema":"3.0"}' }));
  expect("invalid_envelope", 400, () =>
    new LarkWebhook({ insecure: true }).parse({ headers: {}, body: '{"schema":"2.0","header":{"event_id":"e","event_type":""},"event":{}}' }),
  );
  expect("token_mismatch", 401, () => hook({ verificationToken: "other" }).parse({ ...d, now: NOW }));
  expect("invalid_config", 500, () => new LarkWebhook({ encryptKey: "" }));
  expect("invalid_argument", 500, () => h.parse({ headers: {}, body: { already: "parsed" } }));
  assert.deepEqual([...seen.keys()].sort(), [...lark.ERROR_CODES].sort(), "every code is exercised");
});

test("bad options are invalid_config, not a crash", () => {
  for (const options of [
    { encryptKey: 5 },
    { verificationToken: [1] },
    { toleranceSeconds: "300" },
    { toleranceSeconds: -1 },
    { toleranceSeconds: 1.5 },
    { maxBodyBytes: 0 },
    { maxBodyBytes: Infinity },
    null,
  ]) {
    // With a key, so that each option is what is refused (not the missing secret).
    const withKey = options === null ? null : { encryptKey: KEY, ...options };
    assert.equal(codeOf(() => new LarkWebhook(withKey)), "invalid_config", JSON.stringify(options));
  }
  assert.equal(codeOf(() => new LarkWebhook({ encryptKey: KEY, toleranceSeconds: null })), "ok");
});

test("a configuration that verifies nothing is refused unless insecure: true says so", () => {
  for (const options of [undefined, {}, { encryptKey: [] }, { verificationToken: [], encryptKey: undefined }, { insecure: false }]) {
    const e = errorOf(() => new LarkWebhook(options));
    assert.equal(e.code, "invalid_config", JSON.stringify(options));
    assert.equal(e.status, 500);
    assert.match(e.message, /neither an Encrypt Key nor a Verification Token/);
    assert.match(e.message, /insecure/);
  }
  assert.equal(codeOf(() => new LarkWebhook({ insecure: "yes" })), "invalid_config", "insecure must be a boolean");
  assert.equal(codeOf(() => new LarkWebhook({ insecure: true })), "ok");
  // Token-only stays allowed: documented, with its weaker guarantee.
  assert.equal(codeOf(() => new LarkWebhook({ verificationToken: TOKEN })), "ok");
  assert.equal(codeOf(() => new LarkWebhook({ encryptKey: KEY })), "ok");
});

test("require and import give the same API and the same results", () => {
  assert.deepEqual(Object.keys(larkCjs).sort(), Object.keys(lark).sort());
  const d = delivery(fixture("ticket_message_created_v1.json"));
  const fromEsm = hook().parse({ ...d, now: NOW });
  const fromCjs = new larkCjs.LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN }).parse({ ...d, now: NOW });
  assert.deepEqual(fromCjs, fromEsm);
  const e = errorOf(() => new larkCjs.LarkWebhook({ encryptKey: KEY }).parse({ ...d, now: NOW + 1000 }));
  assert.ok(e instanceof larkCjs.LarkWebhookError);
  assert.equal(e.code, "timestamp_out_of_range");
});

test("parseRequest reads the raw body of a real Request", async () => {
  const d = delivery(fixture("ticket_updated_v1.json"));
  const request = new Request("http://127.0.0.1/webhook/event", { method: "POST", headers: d.headers, body: d.body });
  const m = await hook().parseRequest(request, NOW);
  assert.equal(m.event_type, "helpdesk.ticket.updated_v1");

  const tampered = new Request("http://x/", { method: "POST", headers: d.headers, body: d.body.replace("A", "C") });
  await assert.rejects(hook().parseRequest(tampered, NOW), { code: "signature_mismatch", status: 401 });

  // Declared too large: refused before the body is read.
  const declared = new Request("http://x/", {
    method: "POST",
    headers: { ...d.headers, "content-length": "5000000" },
    body: "x".repeat(10),
  });
  await assert.rejects(hook().parseRequest(declared, NOW), (e) => e.code === "body_too_large" && e.status === 413 && /5000000/.test(e.message));
  assert.equal(declared.bodyUsed, false);

  // Streamed without a length: refused as soon as it passes the limit.
  let pulled = 0;
  const stream = new ReadableStream({
    pull(controller) {
      pulled += 1;
      controller.enqueue(new Uint8Array(64 * 1024));
      if (pulled > 100) controller.close();
    },
  });
  const streamed = new Request("http://x/", { method: "POST", headers: d.headers, body: stream, duplex: "half" });
  await assert.rejects(hook({ maxBodyBytes: 100_000 }).parseRequest(streamed, NOW), { code: "body_too_large" });
  assert.ok(pulled < 10, `stopped reading early (pulled ${pulled} chunks)`);
});

test("headers in every shape, names in any case", () => {
  const d = delivery(fixture("ticket_created_v1.json"));
  const entries = Object.entries(d.headers);
  const shapes = {
    record: d.headers,
    lower: Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), v])),
    upper: Object.fromEntries(entries.map(([k, v]) => [k.toUpperCase(), v])),
    arrays: Object.fromEntries(entries.map(([k, v]) => [k, [v]])),
    pairs: entries,
    map: new Map(entries),
    fetch: new Headers(d.headers),
    iterable: new Headers(d.headers).entries(),
  };
  for (const [name, headers] of Object.entries(shapes)) {
    assert.equal(hook().parse({ headers, body: d.body, now: NOW }).kind, "event", name);
  }
  // A repeated signature header is refused whatever the shape: Fetch joins
  // the repeat into "a, b", a record may hold an array, pairs may repeat.
  const both = new Headers(d.headers);
  both.append("x-lark-signature", d.headers["X-Lark-Signature"]);
  const signature = ["X-Lark-Signature", d.headers["X-Lark-Signature"]];
  for (const headers of [
    both,
    { ...d.headers, "X-Lark-Signature": [signature[1], signature[1]] },
    { ...d.headers, "X-Lark-Signature": `${signature[1]}, ${signature[1]}` },
    [...entries, signature],
    [...entries, ["x-lark-signature", signature[1]]],
  ]) {
    assert.equal(codeOf(() => hook().parse({ headers, body: d.body, now: NOW })), "duplicate_header");
  }
  assert.equal(codeOf(() => hook().parse({ headers: 42, body: d.body })), "invalid_argument");
});

test("bodies as string, Uint8Array, ArrayBuffer, Buffer and DataView", () => {
  const d = delivery(fixture("ticket_created_v1.json"));
  const bytes = new TextEncoder().encode(d.body);
  for (const body of [d.body, bytes, bytes.buffer, Buffer.from(d.body), new DataView(bytes.buffer)]) {
    assert.equal(hook().parse({ headers: d.headers, body, now: NOW }).kind, "event");
  }
});

test("labels and constants in English and Chinese", () => {
  assert.equal(lark.Status.ClosedByBot, 50);
  assert.equal(label("status", 50), "closed by bot");
  assert.equal(label("status", 50, "zh"), "被机器人关闭");
  assert.equal(label("status", 77), "unknown status (77)");
  assert.equal(label("channel", 0), "other channel (0)");
  // An absent field (typed fields are optional): the unknown label, without a number.
  assert.equal(label("status", undefined), "unknown status");
  assert.equal(label("status", undefined, "zh"), "未知状态");
  assert.equal(label("ticket_type", 2, "zh"), "人工");
  assert.equal(label("sender_type", lark.SenderType.Agent), "agent");
  assert.equal(codeOf(() => label("nope", 1)), "invalid_argument");
});

test("createTestDelivery: challenge unsigned, events signed, plain without a key", () => {
  const challenge = createTestDelivery({ event: { type: "url_verification", challenge: "c" }, encryptKey: KEY, verificationToken: TOKEN });
  assert.equal(challenge.headers["X-Lark-Signature"], undefined);
  assert.equal(hook().parse(challenge).kind, "challenge");
  const signedChallenge = createTestDelivery({ event: { type: "url_verification", challenge: "c" }, encryptKey: KEY, verificationToken: TOKEN, signed: true });
  assert.equal(typeof signedChallenge.headers["X-Lark-Signature"], "string");
  const plain = createTestDelivery({ event: fixture("ticket_created_v1.json"), verificationToken: "t2" });
  assert.equal(JSON.parse(plain.body).header.token, "t2");
  assert.equal(new LarkWebhook({ verificationToken: "t2" }).parse(plain).typed, true);
  // Random IVs and nonces: two deliveries of the same event differ.
  const a = delivery(fixture("ticket_created_v1.json"), { nonce: undefined });
  const b = delivery(fixture("ticket_created_v1.json"), { nonce: undefined });
  assert.notEqual(a.body, b.body);
  assert.notEqual(a.headers["X-Lark-Request-Nonce"], b.headers["X-Lark-Request-Nonce"]);
  assert.equal(decrypt(KEY, encrypt(KEY, "x")), "x");
  assert.notEqual(encrypt(KEY, "x"), encrypt(KEY, "x"));
});

test("one module instance survives 10,000 malformed deliveries, then parses a valid one", () => {
  const h = hook();
  const d = delivery(fixture("ticket_message_created_v1.json"));
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const garbage = [
    () => ({ headers: {}, body: crypto.getRandomValues(new Uint8Array(64)) }),
    () => ({ headers: d.headers, body: d.body.slice(0, -3) }),
    () => ({ headers: d.headers, body: deep }),
    () => ({ headers: {}, body: `{"encrypt":"${"A".repeat(31)}="}` }),
    () => ({ headers: {}, body: `{"encrypt":"${encrypt(KEY, deep)}"}` }),
    () => ({ headers: { ...d.headers, "X-Lark-Request-Timestamp": "9".repeat(40) }, body: d.body }),
    () => ({ headers: {}, body: "\u{feff}{}" }),
    () => ({ headers: d.headers, body: "" }),
  ];
  const codes = new Set();
  for (let i = 0; i < 10_000; i++) {
    const bad = garbage[i % garbage.length]();
    codes.add(codeOf(() => h.parse({ ...bad, now: NOW })));
  }
  assert.ok(!codes.has("ok"), [...codes].join());
  const m = h.parse({ ...d, now: NOW });
  assert.equal(m.event_type, "helpdesk.ticket_message.created_v1");
  assert.equal(m.event.ticket.comments[0].id, "7262656095919128579");
});

test("inspect: every step, the parse verdict, the decrypted text", () => {
  const d = delivery(fixture("ticket_message_created_v1.json"));
  const good = hook().inspect({ ...d, now: NOW });
  assert.deepEqual(
    good.steps.map((s) => `${s.id}:${s.status}`),
    ["body_size", "headers", "timestamp", "signature", "body_json", "decryption", "payload_json", "schema", "token", "event_type", "typed_model"].map((id) => `${id}:pass`),
  );
  assert.equal(good.result.event_type, "helpdesk.ticket_message.created_v1");
  assert.equal(good.result.raw, good.plaintext);
  assert.equal(good.error, undefined);
  assert.deepEqual(good.unrecognized_fields, []);

  const tampered = hook().inspect({ ...d, body: d.body.replace("A", "B"), now: NOW });
  const signature = tampered.steps.find((s) => s.id === "signature");
  assert.equal(signature.status, "fail");
  assert.equal(signature.code, "signature_mismatch");
  assert.match(signature.detail, /expected with Encrypt Key #1: [0-9a-f]{64}/);
  assert.ok(tampered.error instanceof LarkWebhookError);
  assert.equal(tampered.error.code, "signature_mismatch");
  assert.equal(tampered.result, undefined);
});
