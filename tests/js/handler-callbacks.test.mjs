// createHandler and the card callbacks: the handler's value is the answer
// (200 with that JSON, `{}` for nothing, 500 invalid_callback_answer for
// anything else), a throw is an error toast (reported, no detail shown), a
// late handler is answered `{}` and keeps running, a duplicate is `{}`
// (never 503), the legacy callback dispatched to on["card_action"] and
// never deduplicated, callbacks never queued, and their strict window.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

import { KEY, TOKEN, fixture, lark, pkgDir, root } from "./helpers.mjs";

const { createHandler, createTestDelivery, LarkWebhookError } = lark;

const TRIGGER = fixture("card_action_trigger.json");
const LEGACY = fixture("card_action_legacy.json").trim();
const ANSWER = { toast: { type: "success", content: "Assigned to you" }, card: { type: "raw", data: { elements: [] } } };

function request(delivery) {
  return new Request("http://127.0.0.1/callback", { method: "POST", headers: delivery.headers, body: delivery.body });
}
const trigger = (event = TRIGGER, options = {}) => request(createTestDelivery({ event, encryptKey: KEY, verificationToken: TOKEN, ...options }));
const legacy = (options = {}) => request(createTestDelivery({ event: LEGACY, verificationToken: TOKEN, kind: "card_action", ...options }));
const withId = (id) => TRIGGER.replace("0f8ab23c5e1d4b7a9c6e2d1f3a5b7c9e", id);

function endpoint(on, options = {}) {
  const errors = [];
  const handler = createHandler({ encryptKey: KEY, verificationToken: TOKEN, on, onError: (e, inbound) => errors.push([e, inbound]), ...options });
  return { handler, errors };
}

async function answer(response) {
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}

test("the handler's value is the answer: exactly that JSON, 200", async () => {
  let seen;
  const { handler, errors } = endpoint({
    "card.action.trigger": (event, context) => {
      seen = [event, context];
      return ANSWER;
    },
  });
  const got = await answer(await handler(trigger()));
  assert.deepEqual(got, { status: 200, type: "application/json", body: ANSWER });
  assert.equal(seen[0].event.action.value.command, "assign_to_me");
  assert.ok(seen[1].signal instanceof AbortSignal, "the handler runs under its lease");
  assert.deepEqual(errors, []);
  // Async, and nothing: {}.
  const later = endpoint({ "card.action.trigger": async () => undefined });
  assert.deepEqual(await answer(await later.handler(trigger())), { status: 200, type: "application/json", body: {} });
  // No handler of its own: {}, and the catch-all (for events) is not run.
  assert.deepEqual((await answer(await endpoint({}).handler(trigger()))).body, {});
  const catchAll = endpoint({ "*": () => assert.fail("the catch-all ran for a callback") });
  assert.deepEqual((await answer(await catchAll.handler(trigger()))).body, {});
  assert.deepEqual((await answer(await catchAll.handler(legacy()))).body, {});
  assert.deepEqual(catchAll.errors, []);
});

test("a value that is not a plain JSON object: 500 invalid_callback_answer, told to onError", async () => {
  for (const value of ["text", 42, null, [ANSWER], new Map(), new (class Answer {})(), { n: 1n }]) {
    const { handler, errors } = endpoint({ "card.action.trigger": () => value });
    const got = await answer(await handler(trigger(withId(crypto.randomUUID().replaceAll("-", "")))));
    assert.equal(got.status, 500, String(value));
    assert.equal(got.body.code, "invalid_callback_answer");
    assert.equal(errors.length, 1);
    assert.equal(errors[0][0].code, "invalid_callback_answer");
    assert.match(errors[0][0].message, /plain object \(\{ toast\?, card\? \}\) or nothing|not JSON/);
  }
  // An object without a prototype is a plain object.
  const bare = Object.assign(Object.create(null), { toast: { type: "info", content: "ok" } });
  assert.equal((await endpoint({ "card.action.trigger": () => bare }).handler(trigger())).status, 200);
});

test("a handler that throws: 200 with the error toast the user sees, the error to onError, no detail shown", async () => {
  const boom = new Error("database password is hunter2");
  const { handler, errors } = endpoint({
    "card.action.trigger": () => {
      throw boom;
    },
  });
  const got = await answer(await handler(trigger()));
  assert.equal(got.status, 200);
  assert.equal(got.body.toast.type, "error");
  assert.ok(got.body.toast.content.length > 0);
  assert.ok(!JSON.stringify(got.body).includes("hunter2"));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(errors.length, 1);
  assert.equal(errors[0][0], boom);
  assert.equal(errors[0][1].event_type, "card.action.trigger");
  // The text is configurable, as a string or a whole toast.
  const custom = endpoint({ "card.action.trigger": () => Promise.reject(new Error("x")) }, { callbackErrorToast: "Could not assign the ticket" });
  assert.deepEqual((await answer(await custom.handler(trigger()))).body, { toast: { type: "error", content: "Could not assign the ticket" } });
  const whole = endpoint({ "card.action.trigger": () => Promise.reject(new Error("x")) }, { callbackErrorToast: { type: "warning", content: "Try later", i18n: { zh_cn: "稍后再试" } } });
  assert.deepEqual((await answer(await whole.handler(trigger()))).body, { toast: { type: "warning", content: "Try later", i18n: { zh_cn: "稍后再试" } } });
  assert.throws(() => createHandler({ encryptKey: KEY, callbackErrorToast: 5 }), { code: "invalid_config" });
});

test("a handler still running at deadlineMs: 200 {} at once, and it keeps running", async () => {
  let finished = false;
  const { handler, errors } = endpoint(
    {
      "card.action.trigger": async () => {
        await new Promise((r) => setTimeout(r, 300));
        finished = true;
        return ANSWER;
      },
    },
    { deadlineMs: 50 },
  );
  const started = Date.now();
  const got = await answer(await handler(trigger()));
  assert.deepEqual(got.body, {});
  assert.equal(got.status, 200);
  assert.ok(Date.now() - started < 250, "answered by the deadline");
  assert.equal(finished, false);
  assert.equal(await handler.drain({ timeoutMs: 2000 }), true);
  assert.equal(finished, true);
  assert.deepEqual(errors, []);
});

test("deduplicated by event_id, but a duplicate is answered 200 {}, never 503", async () => {
  let runs = 0;
  let release;
  const { handler } = endpoint({
    "card.action.trigger": async () => {
      runs += 1;
      await new Promise((r) => (release = r));
      return ANSWER;
    },
  });
  const first = handler(trigger());
  await new Promise((r) => setTimeout(r, 20));
  // While the first runs (in_progress) and after it is done: {} both times.
  const during = await answer(await handler(trigger()));
  assert.deepEqual([during.status, during.body], [200, {}]);
  release();
  assert.deepEqual((await answer(await first)).body, ANSWER);
  const after = await answer(await handler(trigger()));
  assert.deepEqual([after.status, after.body], [200, {}]);
  assert.equal(runs, 1);
  // Another event id runs again.
  const other = handler(trigger(withId("1f8ab23c5e1d4b7a9c6e2d1f3a5b7c9e")));
  await new Promise((r) => setTimeout(r, 20));
  release();
  assert.deepEqual((await answer(await other)).body, ANSWER);
  assert.equal(runs, 2);
});

test("a dedup store that fails does not lose the click: handled, reported", async () => {
  const broken = { begin: () => Promise.reject(new Error("redis down")), done: () => {}, release: () => {} };
  const { handler, errors } = endpoint({ "card.action.trigger": () => ANSWER }, { dedup: broken });
  assert.deepEqual((await answer(await handler(trigger()))).body, ANSWER);
  assert.equal(errors[0][0].code, "dedup_unavailable");
});

test("the legacy callback: on.card_action, its value the answer, never deduplicated", async () => {
  const seen = [];
  const { handler, errors } = endpoint({
    card_action: (m) => {
      seen.push(m);
      return { toast: { type: "info", content: `closing ${m.event.action.value.ticket_id}` } };
    },
    "*": () => assert.fail("the catch-all is not a callback's handler"),
  });
  const same = createTestDelivery({ event: LEGACY, verificationToken: TOKEN, kind: "card_action" });
  for (let i = 0; i < 2; i++) {
    const got = await answer(await handler(request(same)));
    assert.deepEqual(got, { status: 200, type: "application/json", body: { toast: { type: "info", content: "closing 6626871355780366331" } } });
  }
  assert.equal(seen.length, 2, "no event_id: the same callback twice runs twice");
  assert.equal(seen[0].kind, "card_action");
  // Thrown: the error toast, reported with the callback.
  const failing = endpoint({ card_action: () => Promise.reject(new LarkWebhookError("x", 500, "nope")) });
  assert.equal((await answer(await failing.handler(legacy()))).body.toast.type, "error");
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(failing.errors[0][1].kind, "card_action");
  assert.deepEqual(errors, []);
  // Without a Verification Token configured: refused (token_required, 500).
  const keyOnly = createHandler({ encryptKey: KEY, onError: () => {} });
  const refused = await keyOnly(legacy());
  assert.equal(refused.status, 500);
  assert.equal((await refused.json()).code, "token_required");
});

test("callbacks are never queued: with enqueue, a callback still gets its handler's answer", async () => {
  const queued = [];
  const { handler } = endpoint({ "card.action.trigger": () => ANSWER, card_action: () => ANSWER }, { enqueue: (m) => queued.push(m) });
  assert.deepEqual((await answer(await handler(trigger()))).body, ANSWER);
  assert.deepEqual((await answer(await handler(legacy()))).body, ANSWER);
  assert.equal(queued.length, 0);
  assert.equal((await handler(request(createTestDelivery({ event: fixture("ticket_created_v1.json"), encryptKey: KEY, verificationToken: TOKEN })))).status, 200);
  assert.equal(queued.length, 1);
});

test("callbacks keep the strict ±300 s window where events get the wider retry window", async () => {
  const now = Math.floor(Date.now() / 1000);
  const { handler } = endpoint({ "card.action.trigger": () => ANSWER, card_action: () => ANSWER, "*": () => {} });
  // An event an hour old is accepted (retries may carry their first timestamp)...
  const event = createTestDelivery({ event: fixture("ticket_created_v1.json"), encryptKey: KEY, verificationToken: TOKEN, timestamp: now - 3600 });
  assert.equal((await handler(request(event))).status, 200);
  // ...a callback 400 s old is not.
  for (const old of [trigger(TRIGGER, { timestamp: now - 400 }), legacy({ timestamp: now - 400 })]) {
    const refused = await handler(old);
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).code, "timestamp_out_of_range");
  }
  assert.equal((await handler(trigger(withId("2f8ab23c5e1d4b7a9c6e2d1f3a5b7c9e"), { timestamp: now - 200 }))).status, 200);
});

test("the README's card-buttons snippet answers a click with its toast and card", async () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const code = /<!-- snippet: card-buttons -->\n```js\n([\s\S]*?)```/.exec(readme)[1];
  const dir = mkdtempSync(join(tmpdir(), "larkhook-readme-"));
  try {
    const file = join(dir, "cards.mjs");
    // The snippet's placeholder calls record what they were given; the package from pkg/.
    globalThis.__assigned = [];
    const recorded = code
      .replace('from "larkhook"', `from ${JSON.stringify(join(pkgDir, "index.node.mjs"))}`)
      .replace("async function assignTicket(ticketId, agent) {}", "async function assignTicket(ticketId, agent) { globalThis.__assigned.push([ticketId, agent]); }")
      .replace("function scheduleCardUpdate(cardToken) {}", "function scheduleCardUpdate(cardToken) { globalThis.__assigned.push([cardToken]); }");
    assert.notEqual(recorded, code);
    writeFileSync(file, recorded);
    process.env.LARK_ENCRYPT_KEY = KEY;
    process.env.LARK_VERIFICATION_TOKEN = TOKEN;
    const { handler: readmeHandler, assignCard } = await import(pathToFileURL(file).href);
    const value = assignCard("6626871355780366331").body.elements[1].behaviors[0].value;
    const event = JSON.parse(TRIGGER);
    event.event.action = { tag: "button", value };
    const got = await answer(await readmeHandler(trigger(JSON.stringify(event))));
    assert.equal(got.status, 200);
    assert.equal(got.body.toast.content, "Assigned to you");
    assert.equal(got.body.card.type, "raw");
    assert.deepEqual(globalThis.__assigned, [["6626871355780366331", "ou_84aad35d084aa403a838cf73ee18467"], [event.event.token]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
