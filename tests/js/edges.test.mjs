// The edges of the delivery guarantee (issue 17), from JavaScript: done
// stays done as long as an accepted delivery can be replayed, the window is
// asymmetric, the body size limit is capped, blank secrets are refused, and
// a string body is measured before it is copied.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

import { KEY, TOKEN, codeOf, errorOf, fixture, lark, pkgDir } from "./helpers.mjs";
import { prng } from "./delivery/faults.mjs";

const { createHandler, LarkWebhook, MemoryDedupStore } = lark;
const options = { encryptKey: KEY, verificationToken: TOKEN };
const created = (id) => fixture("ticket_created_v1.json").replace("5e3702a84e847582be8db7fb73283c02", id);
const request = (d) => new Request("http://127.0.0.1/webhook/event", { method: "POST", headers: d.headers, body: d.body });
const HOUR = 3600 * 1000;

test("contract 1: handled at t, a re-signed copy accepted at t + 7 h, that copy replayed at t + 14 h: the handler ran once", async () => {
  const t = Date.UTC(2026, 0, 1, 8);
  let now = t;
  const clock = () => now;
  let runs = 0;
  const handle = createHandler({ ...options, clock, dedup: new MemoryDedupStore({ clock }), on: { "*": () => (runs += 1) } });
  const id = crypto.randomUUID();
  const signedAt = (ms) => lark.createTestDelivery({ event: created(id), ...options, timestamp: Math.floor(ms / 1000) });
  assert.equal((await handle(request(signedAt(t)))).status, 200);
  now = t + 7 * HOUR;
  const resigned = signedAt(now);
  assert.equal((await handle(request(resigned))).status, 200, "the re-signed copy, accepted");
  now = t + 14 * HOUR;
  assert.equal((await handle(request(resigned))).status, 200, "its replay, 7 h after it was signed");
  assert.equal(runs, 1);
});

test("contract 2: with a dedup store or enqueue, 7.5 h old is accepted but at most 300 s ahead; toleranceSeconds set by the user means ± that", async () => {
  const now = Date.UTC(2026, 0, 1, 8);
  const clock = () => now;
  const at = (offsetSeconds) => lark.createTestDelivery({ event: created(crypto.randomUUID()), ...options, timestamp: Math.floor(now / 1000) + offsetSeconds });
  const outcome = async (handle, d) => {
    const response = await handle(request(d));
    return response.status === 200 ? 200 : [response.status, (await response.json()).code];
  };
  const stored = createHandler({ ...options, clock, on: {} });
  const queued = createHandler({ ...options, clock, enqueue: () => {} });
  for (const handle of [stored, queued]) {
    assert.equal(await outcome(handle, at(-27_000)), 200, "7.5 h old");
    assert.deepEqual(await outcome(handle, at(-27_001)), [401, "timestamp_out_of_range"]);
    assert.equal(await outcome(handle, at(300)), 200, "300 s ahead");
    assert.deepEqual(await outcome(handle, at(301)), [401, "timestamp_out_of_range"]);
    const ahead = await handle(request(at(3600)));
    assert.equal(ahead.status, 401);
    const body = await ahead.json();
    assert.equal(body.code, "timestamp_out_of_range");
    assert.match(body.message, /3600 seconds in the future, outside the accepted window of 27000 s old to 300 s ahead.*`toleranceSeconds`/);
  }
  const symmetric = createHandler({ ...options, clock, toleranceSeconds: 1000, on: {} });
  assert.equal(await outcome(symmetric, at(1000)), 200);
  assert.equal(await outcome(symmetric, at(-1000)), 200);
  assert.deepEqual(await outcome(symmetric, at(-1001)), [401, "timestamp_out_of_range"]);
  assert.deepEqual(await outcome(symmetric, at(1001)), [401, "timestamp_out_of_range"]);
  // LarkWebhook on its own: ±300 s, and maxAgeSeconds sets the past apart.
  const d = at(-3600);
  assert.equal(codeOf(() => new LarkWebhook(options).parse({ ...d, now: now / 1000 })), "timestamp_out_of_range");
  assert.equal(new LarkWebhook({ ...options, maxAgeSeconds: 3600 }).parse({ ...d, now: now / 1000 }).kind, "event");
  const old = errorOf(() => new LarkWebhook({ ...options, maxAgeSeconds: 60 }).parse({ ...d, now: now / 1000 }));
  assert.match(old.message, /option `maxAgeSeconds`/);
  assert.equal(codeOf(() => new LarkWebhook({ ...options, maxAgeSeconds: -1 })), "invalid_config");
});

test("contract 6: maxBodyBytes above 64 MiB (67108864) is invalid_config, in LarkWebhook and createHandler", () => {
  assert.equal(new LarkWebhook({ ...options, maxBodyBytes: 67_108_864 }) instanceof LarkWebhook, true);
  for (const maxBodyBytes of [67_108_865, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1e12]) {
    const e = errorOf(() => new LarkWebhook({ ...options, maxBodyBytes }));
    assert.equal(e.code, "invalid_config", String(maxBodyBytes));
    assert.equal(e.status, 500);
    assert.match(e.message, /67108864|64 MiB/);
    assert.equal(codeOf(() => createHandler({ ...options, maxBodyBytes, on: {} })), "invalid_config");
  }
});

test("contract 8: an encryptKey or verificationToken that is empty or only whitespace is invalid_config", () => {
  for (const blank of ["", " ", "   ", "\t", "\n", "\r\n", "\u3000", " \u00a0 "]) {
    for (const config of [{ encryptKey: blank }, { verificationToken: blank }, { encryptKey: [KEY, blank] }, { encryptKey: KEY, verificationToken: blank }]) {
      const e = errorOf(() => new LarkWebhook(config));
      assert.equal(e.code, "invalid_config", JSON.stringify(config));
      assert.match(e.message, /empty or only whitespace.*option `(encryptKey|verificationToken)`/);
      assert.equal(codeOf(() => createHandler({ ...config, on: {} })), "invalid_config");
    }
  }
});

test("a string body is measured before it is copied: a non-ASCII one over the limit leaves wasm memory as it was; one within it arrives whole", async () => {
  const glue = await import(pathToFileURL(join(pkgDir, "glue.mjs")).href);
  const { bindWasm } = await import(pathToFileURL(join(pkgDir, "core", "wasm.mjs")).href);
  const api = await import(pathToFileURL(join(pkgDir, "api.mjs")).href);
  const { memory } = glue.initSync({ module: readFileSync(join(pkgDir, "larkhook_bg.wasm")) });
  bindWasm(glue, () => assert.fail("no tools needed"));
  const limit = 1024 * 1024;
  const h = new api.LarkWebhook({ insecure: true, maxBodyBytes: limit });
  const before = memory.buffer.byteLength;
  // 600,000 UTF-16 units, within the limit by length; 1.2 MB of UTF-8.
  for (const body of ["é".repeat(600_000), "中".repeat(400_000), `${"x".repeat(limit - 1)}é`, "\ud83d\ude00".repeat(262_145)]) {
    const e = errorOf(() => h.parse({ headers: {}, body }));
    assert.equal(e.code, "body_too_large");
    assert.match(e.message, new RegExp(`the body is ${Buffer.byteLength(body)} bytes`), "the UTF-8 length, measured");
  }
  assert.equal(memory.buffer.byteLength, before, "wasm memory did not grow");
  // Close to the limit (so it is measured first), with a lone surrogate (3 bytes as U+FFFD): whole, not cut short.
  const event = (text) => `{"schema":"2.0","header":{"event_id":"e","event_type":"custom.event_v1"},"event":{"t":"${text}"}}`;
  const pairs = Math.floor((limit - Buffer.byteLength(event("")) - 3) / 2);
  const atLimit = event(`${"é".repeat(pairs)}\ud800`);
  assert.ok(Buffer.byteLength(atLimit) <= limit && Buffer.byteLength(atLimit) >= limit - 1);
  const parsed = h.parse({ headers: {}, body: atLimit });
  assert.equal(parsed.raw, Buffer.from(atLimit).toString(), "arrived whole");
  assert.equal(parsed.event.t.length, pairs + 1);
});

test("utf8Length agrees with TextEncoder on 5,000 seeded strings (lone surrogates, pairs, every width)", async () => {
  const { utf8Length } = await import(pathToFileURL(join(pkgDir, "core", "boundary.mjs")).href);
  const random = prng(1717);
  const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xfffd, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff, 0x4e2d];
  const encoder = new TextEncoder();
  for (let n = 0; n < 5000; n++) {
    let text = "";
    const length = Math.floor(random() * 12);
    for (let i = 0; i < length; i++) text += String.fromCharCode(random() < 0.5 ? units[Math.floor(random() * units.length)] : Math.floor(random() * 0x10000));
    assert.equal(utf8Length(text), encoder.encode(text).length, JSON.stringify(text));
  }
});

test("contract 6: after a WebAssembly.RuntimeError (a real trap) the instance is replaced and the next delivery is served, by every hook", async () => {
  const glue = await import(pathToFileURL(join(pkgDir, "glue.mjs")).href);
  const { bindWasm } = await import(pathToFileURL(join(pkgDir, "core", "wasm.mjs")).href);
  const api = await import(pathToFileURL(join(pkgDir, "api.mjs")).href);
  glue.initSync({ module: readFileSync(join(pkgDir, "larkhook_bg.wasm")) });
  bindWasm(glue, () => assert.fail("no tools needed"));
  const delivery = () => lark.createTestDelivery({ event: created(crypto.randomUUID()), ...options });
  const hook = new api.LarkWebhook(options);
  const other = new api.LarkWebhook(options);
  assert.equal(hook.parse(delivery()).kind, "event");

  // Why: a trap inside a call on a hook leaves wasm-bindgen's borrow flag on
  // it set, and the instance's stack pointer where the trap left it. A bare
  // Hook, trapped (a body buffer no allocator can give: capacity overflow,
  // abort, `unreachable`), refuses every later call.
  const bare = new glue.Hook([options.encryptKey], [options.verificationToken], 300, undefined, 1024, false);
  assert.throws(() => bare.bodyBuffer(0xfffffff0), WebAssembly.RuntimeError);
  assert.throws(() => bare.bodyBuffer(16), /recursive use of an object/);

  // The same trap inside LarkWebhook.parse, on its own hook.
  const memoryBefore = glue.wasmMemory();
  const parse = glue.Hook.prototype.parse;
  glue.Hook.prototype.parse = function trapOnce() {
    glue.Hook.prototype.parse = parse;
    return this.bodyBuffer(0xfffffff0);
  };
  const error = errorOf(() => hook.parse(delivery()));
  assert.equal(error.code, "internal_error");
  assert.equal(error.status, 500);
  assert.ok(error.cause instanceof WebAssembly.RuntimeError, String(error.cause));
  assert.match(error.message, /trapped .* a fresh instance replaces it/);
  assert.notEqual(glue.wasmMemory(), memoryBefore, "a new instance, with its own memory");
  // The next deliveries: served, by the hook that trapped and by another made before.
  for (const h of [hook, other, hook]) {
    const parsed = h.parse(delivery());
    assert.equal(parsed.kind, "event");
    assert.equal(parsed.event_type, "helpdesk.ticket.created_v1");
  }
  assert.equal(new api.LarkWebhook(options).parse(delivery()).kind, "event", "and by one made after");
});
