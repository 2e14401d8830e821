// createHandler((env) => options): the handler made on its first request,
// so that a module can export it before its secrets exist (a Worker's env
// arrives with the request; `next build` imports routes without secrets).
// Missing secrets are a 500 invalid_config (the platform retries), tried
// again on the next request; a Worker's env, nothing elsewhere.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";

import { KEY, TOKEN, fixture, lark } from "./helpers.mjs";

const { createHandler, toNodeListener } = lark;

const challenge = () => lark.createTestDelivery({ event: { type: "url_verification", challenge: "c-1" }, encryptKey: KEY, verificationToken: TOKEN });
const event = () => lark.createTestDelivery({ event: fixture("ticket_created_v1.json").replace("5e3702a84e847582be8db7fb73283c02", crypto.randomUUID()), encryptKey: KEY, verificationToken: TOKEN });
const request = (d) => new Request("http://127.0.0.1/webhook/event", { method: "POST", headers: d.headers, body: d.body });

test("the options are read on the first request, with the Worker's env, once", async () => {
  const seen = [];
  const handled = [];
  const handler = createHandler((env) => {
    seen.push(env);
    return { encryptKey: env.LARK_ENCRYPT_KEY, verificationToken: env.LARK_VERIFICATION_TOKEN, on: { "*": (m) => handled.push(m.event_type) } };
  });
  assert.deepEqual(seen, [], "nothing read at creation");
  assert.equal(handler.pending, 0);
  assert.equal(await handler.drain(), true);

  const env = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };
  const ctx = { waitUntil() {} };
  const first = await handler(request(challenge()), env, ctx);
  assert.equal(first.status, 200);
  assert.deepEqual(await first.json(), { challenge: "c-1" });
  const second = await handler(request(event()), env, ctx);
  assert.equal(second.status, 200);
  assert.deepEqual(handled, ["helpdesk.ticket.created_v1"]);
  assert.deepEqual(seen, [env], "read once, with env");
});

test("missing secrets: 500 invalid_config with the reason, never thrown; the next request tries again", async () => {
  const errors = [];
  const original = console.error;
  console.error = (...args) => errors.push(args.join(" "));
  try {
    let calls = 0;
    const env = {};
    const handler = createHandler((e) => {
      calls += 1;
      return { encryptKey: e.LARK_ENCRYPT_KEY, verificationToken: e.LARK_VERIFICATION_TOKEN };
    });
    const refused = await handler(request(challenge()), env);
    assert.equal(refused.status, 500);
    const body = await refused.json();
    assert.equal(body.code, "invalid_config");
    assert.match(body.message, /neither an Encrypt Key nor a Verification Token/);
    assert.match(errors.join("\n"), /the handler's options are refused: .*neither an Encrypt Key/);

    // The secrets arrive (a redeploy, a restarted dev server): the next request works.
    Object.assign(env, { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN });
    const answered = await handler(request(challenge()), env);
    assert.equal(answered.status, 200);
    assert.equal(calls, 2);
  } finally {
    console.error = original;
  }
});

test("no env (Node, Next.js): the function gets {}; a function that throws is a 500 internal_error", async () => {
  const originalError = console.error;
  console.error = () => {};
  try {
    let got;
    const handler = createHandler((env) => {
      got = env;
      return { encryptKey: process.env.LARKHOOK_TEST_UNSET_KEY ?? KEY, verificationToken: TOKEN };
    });
    const server = createServer(toNodeListener(handler));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const d = challenge();
      const response = await fetch(`http://127.0.0.1:${server.address().port}/webhook/event`, { method: "POST", headers: d.headers, body: d.body });
      assert.equal(response.status, 200);
      assert.deepEqual(got, {});
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const broken = createHandler(() => {
      throw new TypeError("env.X is undefined");
    });
    const response = await broken(request(challenge()));
    assert.equal(response.status, 500);
    assert.equal((await response.json()).code, "internal_error");
  } finally {
    console.error = originalError;
  }
});

test("an options object is still checked at once: bad options throw invalid_config", () => {
  assert.throws(() => createHandler({}), (error) => error.code === "invalid_config");
  assert.doesNotThrow(() => createHandler(() => ({})));
});
