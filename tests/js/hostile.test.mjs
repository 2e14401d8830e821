// The hostile-input corpus (tests/hostile/corpus.json, see its README)
// replayed against the wasm build through the package, in ONE module
// instance: every case must get its expected code and status (or its
// documented acceptance), and the instance must keep parsing a valid delivery
// after each one. Also the corpus-wide checks: no secret in any error, and
// one indistinguishable error on the unsigned path.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { KEY, NOW, TOKEN, delivery, fixture, lark, root } from "./helpers.mjs";

const corpus = JSON.parse(readFileSync(join(root, "tests", "hostile", "corpus.json"), "utf8"));
const encoder = new TextEncoder();

function body(c) {
  if (c.body !== undefined) return encoder.encode(c.body);
  if (c.body_base64 !== undefined) return new Uint8Array(Buffer.from(c.body_base64, "base64"));
  const parts = c.body_gen.map((p) =>
    p.text !== undefined ? Buffer.from(p.text) : p.repeat !== undefined ? Buffer.from(p.repeat.repeat(p.times)) : Buffer.from(p.base64, "base64"),
  );
  return new Uint8Array(Buffer.concat(parts));
}

const hooks = new Map();
function hookFor(config) {
  const key = JSON.stringify(config);
  if (!hooks.has(key)) {
    hooks.set(
      key,
      new lark.LarkWebhook({
        encryptKey: config.encrypt_keys,
        verificationToken: config.tokens,
        toleranceSeconds: config.tolerance_seconds,
        maxBodyBytes: config.max_body_bytes,
        // The corpus exercises every configuration, the unverified one included.
        insecure: true,
      }),
    );
  }
  return hooks.get(key);
}

/** Every form in which a secret could leak into a message. */
function secretForms(secret) {
  const bytes = Buffer.from(secret);
  const digest = createHash("sha256").update(bytes).digest();
  const forms = [secret];
  for (const b of [bytes, digest]) {
    forms.push(b.toString("hex"), b.toString("hex").toUpperCase(), b.toString("base64"), b.toString("base64url"), b.toString("base64").replace(/=+$/, ""));
  }
  return forms.filter((f) => f.length >= 6);
}

test(`the hostile corpus (${corpus.length} cases) against the wasm build, one instance`, () => {
  assert.ok(corpus.length >= 60);
  const good = delivery(fixture("ticket_message_created_v1.json"));
  const goodHook = new lark.LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN });
  const secrets = new Set();
  const messages = [];
  const unsigned = [];
  const failures = [];

  for (const c of corpus) {
    for (const s of [...c.config.encrypt_keys, ...c.config.tokens]) secrets.add(s);
    let result;
    let error;
    try {
      result = hookFor(c.config).parse({ headers: c.headers, body: body(c), now: c.now });
    } catch (e) {
      error = e;
    }
    const fail = (why) => failures.push(`${c.name}: ${why}`);
    if (error !== undefined && !(error instanceof lark.LarkWebhookError)) {
      fail(`threw a non-LarkWebhookError: ${error}`);
    } else if (c.expect.code !== undefined) {
      if (!error) fail(`accepted as ${result.kind}`);
      else if (error.code !== c.expect.code || error.status !== c.expect.status) {
        fail(`expected ${c.expect.code} (${c.expect.status}), got ${error.code} (${error.status}): ${error.message}`);
      }
    } else if (error) {
      fail(`refused: ${error.code}: ${error.message}`);
    } else if (c.expect.kind === "challenge") {
      if (result.kind !== "challenge") fail(`got ${result.kind}`);
      else {
        if (c.expect.challenge !== undefined && result.challenge !== c.expect.challenge) fail(`challenge ${JSON.stringify(result.challenge)}`);
        const answer = JSON.parse(JSON.stringify(result.response));
        if (Object.keys(answer).length !== 1 || answer.challenge !== result.challenge) fail("response does not echo");
      }
    } else if (c.expect.kind === "event") {
      const typed = result.kind === "event";
      if (!["event", "untyped_event"].includes(result.kind)) fail(`got ${result.kind}`);
      else if (typed !== c.expect.typed) fail(`typed ${typed}`);
      else if (c.expect.event_type !== undefined && result.event_type !== c.expect.event_type) fail(`event type ${result.event_type}`);
      else if (!typed) {
        const known = ["helpdesk.ticket.created_v1", "helpdesk.ticket.updated_v1", "helpdesk.ticket_message.created_v1"].includes(result.event_type);
        if (known !== (typeof result.decode_error === "string")) fail(`decode_error ${result.decode_error}`);
      }
      if (typeof result.raw !== "string") fail("no raw text");
    }
    if (error instanceof lark.LarkWebhookError) {
      messages.push([c.name, `${error.message}\n${JSON.stringify(error)}`]);
      const isUnsigned =
        c.config.encrypt_keys.length > 0 && !c.headers.some(([n]) => n.toLowerCase() === "x-lark-signature");
      if (isUnsigned && !["plaintext_rejected", "body_too_large", "duplicate_header"].includes(error.code)) {
        unsigned.push([c.name, error.code, error.status, error.message]);
      }
    }
    // The same instance keeps working.
    const after = goodHook.parse({ ...good, now: NOW });
    if (after.event?.ticket?.comments?.[0]?.id !== "7262656095919128579") fail("the instance stopped parsing valid deliveries");
  }
  assert.deepEqual(failures, []);

  const forms = [...secrets].flatMap(secretForms);
  for (const [name, message] of messages) {
    for (const form of forms) assert.ok(!message.includes(form), `${name}: an error message contains a secret`);
  }

  assert.ok(unsigned.length >= 5, "the corpus exercises the unsigned path");
  const [first] = unsigned;
  for (const u of unsigned) assert.deepEqual(u.slice(1), first.slice(1), `${u[0]} is distinguishable from ${first[0]}`);
});
