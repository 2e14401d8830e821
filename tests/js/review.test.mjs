// Regression tests for the security review (issue 11): nothing leaks,
// nothing is silently null, integers stay exact, a repeated signature header
// is refused in any shape, a body is refused by size before it is copied,
// and the CommonJS entry has static named exports.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { connect } from "node:net";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";

import { KEY, NOW, TOKEN, codeOf, delivery, fixture, hook, lark, larkCjs, pkgDir, require } from "./helpers.mjs";

const { LarkWebhook, createTestDelivery, summarize, createHandler, toNodeListener } = lark;

/** Every result shape parse returns, with the secrets that went into it. */
function results() {
  const encrypted = new LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN });
  const plain = new LarkWebhook({ verificationToken: TOKEN });
  const legacy = `{"uuid":"u1","token":"${TOKEN}","ts":"1502199207.7171419","type":"event_callback","event":{"type":"approval_instance","app_id":"cli_1"}}`;
  return {
    typed: hook().parse({ ...delivery(fixture("ticket_message_created_v1.json")), now: NOW }),
    untyped: encrypted.parse({ ...delivery('{"schema":"2.0","header":{"event_id":"e","event_type":"im.message.receive_v1"},"event":{"x":1}}'), now: NOW }),
    plainTyped: plain.parse(createTestDelivery({ event: fixture("ticket_created_v1.json"), verificationToken: TOKEN })),
    legacy: plain.parse({ headers: {}, body: legacy }),
    challenge: encrypted.parse(createTestDelivery({ event: { type: "url_verification", challenge: "c" }, encryptKey: KEY, verificationToken: TOKEN })),
  };
}

test("1. JSON.stringify, util.inspect and summarize of what parse returns hold neither secret; raw stays readable by name", () => {
  for (const [name, result] of Object.entries(results())) {
    const shown = [JSON.stringify(result), inspect(result, { depth: Infinity }), summarize(result)];
    for (const text of shown) {
      assert.ok(!text.includes(TOKEN), `${name}: the Verification Token in ${text.slice(0, 80)}…`);
      assert.ok(!text.includes(KEY), `${name}: the Encrypt Key in ${text.slice(0, 80)}…`);
    }
    if (name !== "challenge") {
      assert.equal(Object.keys(result).includes("raw"), false, `${name}: raw is not enumerable`);
      assert.ok(result.raw.includes(TOKEN), `${name}: raw, asked for by name, is the text as sent`);
    }
  }
  // The hook itself and its errors do not show the secrets either.
  const h = hook();
  assert.ok(!inspect(h, { showHidden: true, depth: Infinity }).includes(TOKEN));
  assert.ok(!inspect(h, { showHidden: true, depth: Infinity }).includes(KEY));
  assert.ok(!JSON.stringify(h).includes(KEY));
});

test("2. untyped events are never silently null: 1e400, a lone surrogate, deep nesting", () => {
  const h = new LarkWebhook({ insecure: true });
  const deep = `${"[".repeat(300)}1${"]".repeat(300)}`;
  const cases = [
    ['{"n":1e400,"m":-1e400,"ok":1.5}', (e) => assert.deepEqual(e, { n: "1e400", m: "-1e400", ok: 1.5 })],
    ['{"s":"\\ud83d","t":"a\\udc00b"}', (e) => assert.deepEqual(e, JSON.parse('{"s":"\\ud83d","t":"a\\udc00b"}'))],
    [`{"deep":${deep}}`, (e) => assert.deepEqual(e, JSON.parse(`{"deep":${deep}}`))],
  ];
  for (const [event, check] of cases) {
    const body = `{"schema":"2.0","header":{"event_id":"e","event_type":"custom.event_v1"},"event":${event}}`;
    const m = h.parse({ headers: {}, body });
    assert.equal(m.kind, "untyped_event");
    assert.notEqual(m.event, null, event.slice(0, 40));
    check(m.event);
    assert.equal(m.decode_error, undefined);
    assert.equal(m.raw, body, "raw intact");
  }
});

test("3. integers stay exact: untyped beyond 64 bits as decimal strings, typed ids of any size, typed integers beyond 2^53 refused with the path", () => {
  const h = new LarkWebhook({ insecure: true });
  const untyped = h.parse({
    headers: {},
    body: '{"schema":"2.0","header":{"event_id":"e","event_type":"custom.event_v1"},"event":{"big":123456789012345678901234567890,"neg":-18446744073709551617}}',
  });
  assert.deepEqual(untyped.event, { big: "123456789012345678901234567890", neg: "-18446744073709551617" });
  const typed = h.parse({
    headers: {},
    body: '{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1"},"event":{"ticket_id":123456789012345678901234567890,"created_at":9007199254740991}}',
  });
  assert.equal(typed.kind, "event");
  assert.equal(typed.event.ticket_id, "123456789012345678901234567890");
  assert.equal(typed.event.created_at, 9007199254740991);
  const beyond = h.parse({
    headers: {},
    body: '{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1"},"event":{"ticket_id":"1","created_at":9007199254740993}}',
  });
  assert.equal(beyond.kind, "untyped_event");
  assert.match(beyond.decode_error, /^at `created_at`: expected an integer within ±\(2\^53 − 1\)/);
  assert.equal(beyond.event.created_at, "9007199254740993", "exact in the untyped event");
});

test("4. a repeated signature header is duplicate_header through toNodeListener (raw HTTP with two header lines)", async () => {
  const d = delivery(fixture("ticket_created_v1.json"), { timestamp: Math.floor(Date.now() / 1000) });
  const server = createServer(toNodeListener(createHandler({ encryptKey: KEY, verificationToken: TOKEN, on: {} })));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address();
    for (const repeated of ["X-Lark-Signature", "X-Lark-Request-Nonce", "X-Lark-Request-Timestamp"]) {
      const lines = [
        "POST /webhook/event HTTP/1.1",
        `Host: 127.0.0.1:${port}`,
        "Content-Type: application/json",
        `Content-Length: ${Buffer.byteLength(d.body)}`,
        "Connection: close",
        ...Object.entries(d.headers)
          .filter(([name]) => name.toLowerCase().startsWith("x-lark"))
          .map(([name, value]) => `${name}: ${value}`),
        `${repeated}: ${d.headers[repeated]}`,
      ];
      const answer = await new Promise((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => socket.end(`${lines.join("\r\n")}\r\n\r\n${d.body}`));
        let text = "";
        socket.on("data", (chunk) => (text += chunk));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      assert.match(answer, /^HTTP\/1\.1 400 /, repeated);
      assert.match(answer, /"code":"duplicate_header"/, repeated);
    }
  } finally {
    server.close();
  }
});

test("5. a body over maxBodyBytes is refused before it is copied into wasm memory; parseRequest stops reading at the limit whatever Content-Length says", async () => {
  // The package's own modules, over an instance whose memory the test can see.
  const glue = await import(pathToFileURL(join(pkgDir, "glue.mjs")).href);
  const { bindWasm } = await import(pathToFileURL(join(pkgDir, "core", "wasm.mjs")).href);
  const api = await import(pathToFileURL(join(pkgDir, "api.mjs")).href);
  const { memory } = glue.initSync({ module: readFileSync(join(pkgDir, "larkhook_bg.wasm")) });
  bindWasm(glue, () => assert.fail("no tools needed"));
  const h = new api.LarkWebhook({ encryptKey: KEY, maxBodyBytes: 1024 });
  const before = memory.buffer.byteLength;
  const huge = new Uint8Array(96 * 1024 * 1024);
  for (const body of [huge, huge.buffer, "x".repeat(8 * 1024 * 1024)]) {
    assert.equal(codeOf(() => h.parse({ headers: {}, body })), "body_too_large");
  }
  assert.equal(memory.buffer.byteLength, before, "wasm memory did not grow");
  const error = (() => {
    try {
      h.parse({ headers: {}, body: "é".repeat(600) });
    } catch (e) {
      return e;
    }
  })();
  assert.match(error.message, /the body is 1200 bytes, over the 1024-byte limit/, "the UTF-8 length is reported");
  assert.match(error.message, /`maxBodyBytes`/, "the option to raise is named");

  // A stream that says it is small and is not.
  let pulled = 0;
  const chunk = new Uint8Array(512);
  const stream = new ReadableStream({
    pull(controller) {
      pulled += chunk.length;
      controller.enqueue(chunk);
      if (pulled > 1024 * 1024) controller.close();
    },
  });
  const request = new Request("http://127.0.0.1/webhook/event", { method: "POST", headers: { "content-length": "10" }, body: stream, duplex: "half" });
  await assert.rejects(h.parseRequest(request), { code: "body_too_large" });
  assert.ok(pulled <= 1024 + 2 * chunk.length, `read ${pulled} bytes of a 1 MiB body with a 1 KiB limit`);
});

test("6. the CommonJS entry has static named exports, for ES modules that import it", async () => {
  const viaImport = await import(pathToFileURL(join(pkgDir, "index.node.cjs")).href);
  const names = Object.keys(larkCjs).sort();
  assert.ok(names.includes("LarkWebhook") && names.includes("createHandler"));
  for (const name of names) assert.equal(viaImport[name], larkCjs[name], `named export ${name}`);
  assert.deepEqual(Object.keys(viaImport).filter((n) => n !== "default" && n !== "module.exports").sort(), names);
  // And "larkhook/tools" resolves to the same API under require.
  assert.equal(require(join(pkgDir, "tools.node.cjs")).LarkWebhook, larkCjs.LarkWebhook);
});

test("7. the body (plain: it holds the token) and the decrypted text are wiped from wasm memory by the next call; raw survives it", async () => {
  const glue = await import(pathToFileURL(join(pkgDir, "glue.mjs")).href);
  const { bindWasm } = await import(pathToFileURL(join(pkgDir, "core", "wasm.mjs")).href);
  const api = await import(pathToFileURL(join(pkgDir, "api.mjs")).href);
  const { memory } = glue.initSync({ module: readFileSync(join(pkgDir, "larkhook_bg.wasm")) });
  bindWasm(glue, () => assert.fail("no tools needed"));
  const occurrences = (text) => {
    const haystack = Buffer.from(memory.buffer);
    const needle = Buffer.from(text);
    let n = 0;
    for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
    return n;
  };
  const event = JSON.parse(fixture("ticket_message_created_v1.json"));
  event.header.token = TOKEN;
  for (const encryptKey of [KEY, undefined]) {
    const h = new api.LarkWebhook({ encryptKey, verificationToken: TOKEN });
    const d = createTestDelivery({ event: JSON.stringify(event), encryptKey, verificationToken: TOKEN });
    const first = h.parse(d); // its raw is not read until the buffers have been reused twice
    const raw = h.parse(d).raw;
    assert.match(raw, /[^\x00-\x7f]/, "the fixture has Chinese text, so raw is decoded lazily");
    assert.equal(occurrences(raw), 1, "the scan finds the decrypted text in the result buffer");
    assert.equal(codeOf(() => h.parse({ headers: {}, body: "{}" })), encryptKey ? "plaintext_rejected" : "unsupported_schema");
    assert.equal(occurrences(raw), 0, "the decrypted text is gone from wasm memory");
    assert.equal(occurrences(d.body), 0, "the body is gone from wasm memory");
    assert.equal(first.raw, raw, "raw was copied out before the buffer was reused");
  }
});

test("8. no copy of the Encrypt Key or the Verification Token is left on the module's stack by the constructor or a parse, a legacy card callback's included (issues 17, 20)", async () => {
  const glue = await import(pathToFileURL(join(pkgDir, "glue.mjs")).href);
  const { bindWasm } = await import(pathToFileURL(join(pkgDir, "core", "wasm.mjs")).href);
  const api = await import(pathToFileURL(join(pkgDir, "api.mjs")).href);
  const { memory } = glue.initSync({ module: readFileSync(join(pkgDir, "larkhook_bg.wasm")) });
  bindWasm(glue, () => assert.fail("no tools needed"));
  const occurrences = (bytes) => {
    const haystack = Buffer.from(memory.buffer);
    const needle = Buffer.from(bytes);
    let n = 0;
    for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
    return n;
  };
  // Secrets of their own, so that nothing else in this process's module put them there.
  const key = "stack-scan-encrypt-key-7f3a91c2";
  const token = "stack-scan-verification-token-4b8e";
  const sha256 = (text) => createHash("sha256").update(text).digest();
  const counts = () => ({ key: occurrences(key), token: occurrences(token), keyDigest: occurrences(sha256(key)), tokenDigest: occurrences(sha256(token)) });
  const h = new api.LarkWebhook({ encryptKey: key, verificationToken: token });
  // Held on purpose: the key (hashed into every signature), the token's digest
  // (the token check) and the token itself (the legacy card callback's SHA-1
  // is over it: SECURITY.md, "Card callbacks"). Nothing else.
  const held = { key: 1, token: 1, keyDigest: 0, tokenDigest: 1 };
  assert.deepEqual(counts(), held, "after the constructor");
  const event = JSON.parse(fixture("ticket_created_v1.json"));
  event.header.token = token;
  const d = createTestDelivery({ event: JSON.stringify(event), encryptKey: key, verificationToken: token });
  const parsed = h.parse(d);
  assert.equal(parsed.kind, "event");
  // The token once more: in the decrypted text the result buffer holds until the next call.
  assert.deepEqual(counts(), { ...held, token: 2 }, "after a parse");
  assert.equal(codeOf(() => h.parse({ headers: {}, body: "{}" })), "plaintext_rejected");
  assert.deepEqual(counts(), held, "after the next call");
  // A signature mismatch and a token mismatch hash the secrets too.
  const forged = createTestDelivery({ event: JSON.stringify(event), encryptKey: "another-key", verificationToken: token });
  assert.equal(codeOf(() => h.parse({ ...forged, headers: { ...forged.headers, "X-Lark-Signature": d.headers["X-Lark-Signature"] } })), "signature_mismatch");
  assert.deepEqual(counts(), held, "after a refused delivery");
  // A legacy card callback, in this module alone (the tools loader above
  // fails the test): SHA-1 over timestamp, nonce, the token and the body,
  // computed on a wiped stack, accepted and refused alike.
  const body = fixture("card_action_legacy.json").trim();
  const signed = (secret) => ({
    "X-Lark-Request-Timestamp": String(NOW),
    "X-Lark-Request-Nonce": "scan-nonce",
    "X-Lark-Signature": createHash("sha1").update(`${NOW}scan-nonce${secret}${body}`).digest("hex"),
  });
  assert.equal(h.parse({ headers: signed(token), body, now: NOW }).kind, "card_action");
  assert.deepEqual(counts(), held, "after a legacy card callback");
  assert.equal(codeOf(() => h.parse({ headers: signed("another-token"), body, now: NOW })), "signature_mismatch");
  assert.deepEqual(counts(), held, "after a refused legacy card callback");
});
