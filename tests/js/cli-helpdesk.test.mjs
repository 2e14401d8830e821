// `larkhook helpdesk subscribe|unsubscribe` against a local server standing
// in for the Open Platform API, asserting the documented requests byte for
// byte. Every run is checked for leaked secrets (cli-helpers.mjs).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { APP_ID, APP_SECRET, HELPDESK_ID, HELPDESK_TOKEN, TENANT_TOKEN, larkhook, file, listen, close } from "./cli-helpers.mjs";
import { lark } from "./helpers.mjs";

// ---- helpdesk -------------------------------------------------------------

/** A stand-in for the Open Platform API: records each request, answers from `answers[path]`. */
function fakeOpenPlatform() {
  const requests = [];
  const answers = {};
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, body });
      const answer = answers[req.url] ?? { status: 404, body: "<html>not found</html>", type: "text/html" };
      res.writeHead(answer.status ?? 200, { "content-type": answer.type ?? "application/json; charset=utf-8", "x-tt-logid": "20260101000000LOGID" });
      res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
    });
  });
  return { server, requests, answers };
}

const TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
const ALL_EVENTS = [
  { type: "helpdesk.ticket", subtype: "ticket.created_v1" },
  { type: "helpdesk.ticket", subtype: "ticket.updated_v1" },
  { type: "helpdesk.ticket_message", subtype: "ticket_message.created_v1" },
];

describe("larkhook helpdesk", () => {
  let fake;
  let base;
  const credentials = { LARK_APP_ID: APP_ID, LARK_APP_SECRET: APP_SECRET, LARK_HELPDESK_ID: HELPDESK_ID, LARK_HELPDESK_TOKEN: HELPDESK_TOKEN };
  const flags = ["--app-id", APP_ID, "--app-secret", APP_SECRET, "--helpdesk-id", HELPDESK_ID, "--helpdesk-token", HELPDESK_TOKEN];

  before(async () => {
    fake = fakeOpenPlatform();
    base = await listen(fake.server);
  });
  after(() => close(fake.server));

  function reset(answers) {
    fake.requests.length = 0;
    for (const key of Object.keys(fake.answers)) delete fake.answers[key];
    Object.assign(fake.answers, {
      [TOKEN_PATH]: { body: { code: 0, msg: "ok", tenant_access_token: TENANT_TOKEN, expire: 7200 } },
      "/open-apis/helpdesk/v1/events/subscribe": { body: { code: 0, msg: "success", data: {} } },
      "/open-apis/helpdesk/v1/events/unsubscribe": { body: { code: 0, msg: "success", data: {} } },
      ...answers,
    });
  }

  /** The two documented requests, checked field by field. */
  function assertDocumentedCalls(action, events) {
    assert.equal(fake.requests.length, 2);
    const [token, call] = fake.requests;
    assert.equal(token.method, "POST");
    assert.equal(token.path, TOKEN_PATH);
    assert.equal(token.headers["content-type"], "application/json; charset=utf-8");
    assert.deepEqual(JSON.parse(token.body), { app_id: APP_ID, app_secret: APP_SECRET });
    assert.equal(call.method, "POST");
    assert.equal(call.path, `/open-apis/helpdesk/v1/events/${action}`);
    assert.equal(call.headers.authorization, `Bearer ${TENANT_TOKEN}`);
    assert.equal(call.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(call.headers["x-lark-helpdesk-authorization"], Buffer.from(`${HELPDESK_ID}:${HELPDESK_TOKEN}`, "utf8").toString("base64"));
    assert.deepEqual(JSON.parse(call.body), { events });
  }

  test("subscribe: tenant token, then the subscription with all three events (credentials from the environment)", async () => {
    reset();
    const run = await larkhook(["helpdesk", "subscribe", "--base-url", base], { env: credentials });
    assert.equal(run.code, 0, run.stderr);
    assertDocumentedCalls("subscribe", ALL_EVENTS);
    assert.match(run.stdout, /Subscribed: helpdesk\.ticket \/ ticket\.created_v1, helpdesk\.ticket \/ ticket\.updated_v1, helpdesk\.ticket_message \/ ticket_message\.created_v1/);
  });

  test("unsubscribe with flags, --events in the order given, --json (a token answer without `code` is taken)", async () => {
    reset({ [TOKEN_PATH]: { body: { tenant_access_token: TENANT_TOKEN, expire: 7200 } } });
    const run = await larkhook(["helpdesk", "unsubscribe", ...flags, "--base-url", `${base}/`, "--events", "message, created,message", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    assertDocumentedCalls("unsubscribe", [ALL_EVENTS[2], ALL_EVENTS[0]]);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(
      { ok: out.ok, action: out.action, code: out.code, msg: out.msg, events: out.events },
      { ok: true, action: "unsubscribe", code: 0, msg: "success", events: [ALL_EVENTS[2], ALL_EVENTS[0]] },
    );
  });

  test("--domain: open.feishu.cn by default, open.larksuite.com for lark; --base-url overrides it", async () => {
    // A preload that sends the platform's origins to the stand-in, saying which origin was asked for.
    const preload = file(
      "route.mjs",
      `const real = globalThis.fetch;
globalThis.fetch = (url, init) => {
  const u = new URL(url);
  const headers = { ...init.headers, "x-asked-origin": u.origin };
  return real(${JSON.stringify(base)} + u.pathname, { ...init, headers });
};
`,
    );
    for (const [args, origin] of [
      [[], "https://open.feishu.cn"],
      [["--domain", "feishu"], "https://open.feishu.cn"],
      [["--domain", "lark"], "https://open.larksuite.com"],
    ]) {
      reset();
      const run = await larkhook(["helpdesk", "subscribe", ...args], { env: credentials, node: ["--import", preload] });
      assert.equal(run.code, 0, run.stderr);
      assertDocumentedCalls("subscribe", ALL_EVENTS);
      assert.deepEqual(fake.requests.map((r) => r.headers["x-asked-origin"]), [origin, origin]);
    }
    reset();
    const run = await larkhook(["helpdesk", "subscribe", "--domain", "lark", "--base-url", base], { env: credentials });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.requests.map((r) => r.headers["x-asked-origin"]), [undefined, undefined]);
  });

  test("154003: the platform's code and msg, and the permission to grant; exit 1", async () => {
    reset({ "/open-apis/helpdesk/v1/events/subscribe": { status: 400, body: { code: 154003, msg: `no permission (token ${TENANT_TOKEN})` } } });
    const run = await larkhook(["helpdesk", "subscribe", "--base-url", base], { env: credentials });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /code 154003, msg "no permission \(token \[redacted\]\)"/, "the platform's msg, with the tenant token scrubbed");
    assert.match(run.stderr, /helpdesk:all:readonly/);
    assert.match(run.stderr, /publish a new app version/);
    assert.match(run.stderr, /log id \(for support\): 20260101000000LOGID/);
    const json = JSON.parse((await larkhook(["helpdesk", "subscribe", "--base-url", base, "--json"], { env: credentials })).stdout);
    assert.deepEqual([json.ok, json.step, json.http_status, json.code], [false, "subscribe", 400, 154003]);
    assert.match(json.advice, /helpdesk:all:readonly/);
  });

  test("154000 and 155000 come with their advice", async () => {
    for (const [code, advice] of [[154000, /--helpdesk-id and --helpdesk-token/], [155000, /try again/]]) {
      reset({ "/open-apis/helpdesk/v1/events/subscribe": { body: { code, msg: "refused" } } });
      const run = await larkhook(["helpdesk", "subscribe", "--base-url", base], { env: credentials });
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`code ${code}, msg "refused"`));
      assert.match(run.stderr, advice);
    }
  });

  test("the tenant token refused: no subscription call, the code and what to check; exit 1", async () => {
    reset({ [TOKEN_PATH]: { status: 400, body: { code: 10014, msg: "app secret invalid" } } });
    const run = await larkhook(["helpdesk", "subscribe", "--base-url", base], { env: credentials });
    assert.equal(run.code, 1);
    assert.equal(fake.requests.length, 1, "stops after the token call");
    assert.match(run.stderr, /getting a tenant access token, HTTP 400: code 10014, msg "app secret invalid"/);
    assert.match(run.stderr, /--app-id and --app-secret/);
  });

  test("a non-JSON answer exits 1; an unreachable platform exits 3", async () => {
    reset({ [TOKEN_PATH]: { status: 502, body: "<html>Bad Gateway</html>", type: "text/html" } });
    const html = await larkhook(["helpdesk", "subscribe", "--base-url", base], { env: credentials });
    assert.equal(html.code, 1);
    assert.match(html.stderr, /HTTP 502/);
    assert.match(html.stderr, /not JSON/);

    const probe = createServer();
    const dead = await listen(probe);
    await close(probe);
    const down = await larkhook(["helpdesk", "subscribe", "--base-url", dead], { env: credentials });
    assert.equal(down.code, 3);
    assert.match(down.stderr, /could not reach http:\/\/127\.0\.0\.1:\d+\/open-apis\/auth\/v3\/tenant_access_token\/internal: .*ECONNREFUSED/);
  });

  test("the advice follows what failed: a wrong --base-url (404), rejected credentials (401), a missing scope (403), the platform failing (5xx), no answer", async () => {
    const cases = [
      // A base URL with a path: the documented paths land under it, where nothing answers.
      [["--base-url", `${base}/open-apis`], {}, 1, "not_found", /Failed getting a tenant access token, HTTP 404\n {2}nothing answers at \/open-apis\/auth\/v3\/tenant_access_token\/internal on http:\/\/127\.0\.0\.1:\d+\/open-apis \(from --base-url\)\n {2}What to do: check --base-url: the Open Platform's origin only/],
      [["--base-url", base], { [TOKEN_PATH]: { status: 401, body: "Unauthorized", type: "text/plain" } }, 1, "credentials", /HTTP 401\n {2}What to do: check --app-id and --app-secret/],
      [["--base-url", base], { "/open-apis/helpdesk/v1/events/subscribe": { status: 403, body: { code: 99991672, msg: "Access denied. One of the following scopes is required: [helpdesk:all:readonly]" } } }, 1, "permission", /code 99991672[\s\S]*What to do: the app lacks the helpdesk permission: .*helpdesk:all:readonly/],
      [["--base-url", base], { "/open-apis/helpdesk/v1/events/subscribe": { status: 401, body: "no", type: "text/plain" } }, 1, "credentials", /What to do: the call was refused as unauthorized: check --helpdesk-id and --helpdesk-token/],
      [["--base-url", base], { "/open-apis/helpdesk/v1/events/subscribe": { status: 503, body: { code: 1, msg: "busy" } } }, 1, "platform_error", /HTTP 503: code 1, msg "busy"\n {2}What to do: the Open Platform \(or a proxy in front of it\) failed on its side: try again in a minute/],
    ];
    for (const [args, answers, exit, cause, message] of cases) {
      reset(answers);
      const run = await larkhook(["helpdesk", "subscribe", ...args], { env: credentials });
      assert.equal(run.code, exit, run.stderr);
      assert.match(run.stderr, message);
      // Not the advice for another failure (the old output told every failure to check the app's credentials).
      if (cause === "credentials") assert.doesNotMatch(run.stderr, /--base-url/);
      else assert.doesNotMatch(run.stderr, /check --app-id and --app-secret/);
      reset(answers);
      assert.equal(JSON.parse((await larkhook(["helpdesk", "subscribe", ...args, "--json"], { env: credentials })).stdout).cause, cause);
    }
    const probe = createServer();
    const dead = await listen(probe);
    await close(probe);
    const down = await larkhook(["helpdesk", "subscribe", "--base-url", dead], { env: credentials });
    assert.equal(down.code, 3);
    assert.doesNotMatch(down.stderr, /HTTP -/);
    assert.match(down.stderr, /Failed getting a tenant access token: no answer\n {2}could not reach .*ECONNREFUSED.*\n {2}What to do: check the network, and the Open Platform's origin: http:\/\/127\.0\.0\.1:\d+ \(from --base-url\)/);
    const lark = await larkhook(["helpdesk", "subscribe", "--domain", "lark", "--json"], { env: credentials, node: ["--import", file("offline.mjs", "globalThis.fetch = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND open.larksuite.com' } }));")] });
    assert.equal(lark.code, 3);
    assert.match(JSON.parse(lark.stdout).advice, /origin: https:\/\/open\.larksuite\.com \(from --domain lark\)/);
  });

  test("bad usage exits 2 before any request", async () => {
    reset();
    const cases = [
      [["helpdesk", "subscribe", "--base-url", base], {}, /missing --app-id, --app-secret, --helpdesk-id, --helpdesk-token \(or the environment: LARK_APP_ID, LARK_APP_SECRET, LARK_HELPDESK_ID, LARK_HELPDESK_TOKEN\)/],
      [["helpdesk", "subscribe", "--base-url", base], { ...credentials, LARK_APP_SECRET: "" }, /missing --app-secret/],
      [["helpdesk", "--base-url", base], credentials, /subscribe or unsubscribe\?/],
      [["helpdesk", "list", "--base-url", base], credentials, /expected subscribe or unsubscribe/],
      [["helpdesk", "subscribe", "--domain", "larksuite"], credentials, /--domain must be feishu or lark/],
      [["helpdesk", "subscribe", "--base-url", "ftp://x"], credentials, /--base-url must be http/],
      [["helpdesk", "subscribe", "--base-url", base, "--events", "created,closed"], credentials, /unknown event "closed"/],
      [["helpdesk", "subscribe", "--base-url", base, "--events", ","], credentials, /--events needs at least one/],
    ];
    for (const [args, env, message] of cases) {
      const run = await larkhook(args, { env });
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    assert.equal(fake.requests.length, 0);
  });
});

// ---- the command as a whole -------------------------------------------------
