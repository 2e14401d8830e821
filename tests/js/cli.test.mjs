// The `larkhook` command line (pkg/cli.mjs), run as a child process:
// - trigger against a real endpoint (createHandler over toNodeListener on
//   127.0.0.1): what arrived is decrypted by the official SDK and its
//   signature recomputed with node:crypto;
// - inspect on captures built here with node:crypto (the platform's recipe,
//   not larkhook's code), from files and stdin, CRLF and LF;
// - helpdesk against a local server standing in for the Open Platform API,
//   asserting the documented requests byte for byte.
// Every run is checked for leaked secrets (keys, tokens, app secret, tenant token).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { fixture, lark, pkgDir, require } from "./helpers.mjs";

const sdk = require("@larksuiteoapi/node-sdk");
const cli = join(pkgDir, "cli.mjs");

const KEY = "cli-test-encrypt-key-5b1f0d";
const TOKEN = "cli-test-verification-token-9c2e41";
const APP_ID = "cli_a1b2c3d4e5f60718";
const APP_SECRET = "cli-test-app-secret-Qw7Zr2";
const HELPDESK_ID = "7000000000000000001";
const HELPDESK_TOKEN = "ht-cli-test-helpdesk-token-3e8a";
const TENANT_TOKEN = "t-g1044cli-test-tenant-token-77aa";
const HELPDESK_AUTH = Buffer.from(`${HELPDESK_ID}:${HELPDESK_TOKEN}`).toString("base64");
const SECRETS = [KEY, TOKEN, APP_ID, APP_SECRET, HELPDESK_ID, HELPDESK_TOKEN, TENANT_TOKEN, HELPDESK_AUTH];

let work;
before(() => {
  work = mkdtempSync(join(tmpdir(), "larkhook-cli-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The environment without any LARK_* variable or colour setting of the caller. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^(LARK_|NO_COLOR|FORCE_COLOR)/.test(name)) env[name] = value;
  return { ...env, ...extra };
}

/**
 * Runs the CLI without blocking this process (the servers it talks to live
 * here); asserts that no secret appears in what it printed.
 */
function larkhook(args, { env = {}, input, node = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...node, cli, ...args], { env: cleanEnv(env), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      for (const secret of SECRETS) {
        assert.ok(!stdout.includes(secret), `stdout of larkhook ${args.join(" ")} contains a secret (${secret.slice(0, 6)}…)`);
        assert.ok(!stderr.includes(secret), `stderr of larkhook ${args.join(" ")} contains a secret (${secret.slice(0, 6)}…)`);
      }
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? "");
  });
}

const file = (name, text) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

async function listen(server) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

async function close(server) {
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}

const sha256hex = (text) => createHash("sha256").update(text).digest("hex");

// ---- trigger --------------------------------------------------------------

describe("larkhook trigger", () => {
  let server;
  let url;
  const received = []; // { headers, body } exactly as the endpoint read them
  const handled = []; // what the handlers got

  before(async () => {
    const handler = lark.createHandler({ encryptKey: KEY, verificationToken: TOKEN, on: { "*": (m) => handled.push(m) } });
    // A tee in front of the handler: the raw delivery as it arrived.
    const recording = async (request) => {
      received.push({ headers: Object.fromEntries(request.headers), body: await request.clone().text() });
      return handler(request);
    };
    server = createServer(lark.toNodeListener(recording));
    url = `${await listen(server)}/webhook/event`;
  });
  after(() => close(server));

  const env = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };

  /** The last delivery, decrypted by the official SDK, its signature recomputed with node:crypto. */
  function lastDelivery() {
    const { headers, body } = received.at(-1);
    const plaintext = new sdk.AESCipher(KEY).decrypt(JSON.parse(body).encrypt);
    const signature = headers["x-lark-signature"];
    if (signature !== undefined) {
      const expected = sha256hex(headers["x-lark-request-timestamp"] + headers["x-lark-request-nonce"] + KEY + body);
      assert.equal(signature, expected, "X-Lark-Signature = SHA-256(timestamp || nonce || key || raw body)");
    }
    return { headers, body, plaintext, payload: JSON.parse(plaintext) };
  }

  async function until(check, what) {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > 5000) assert.fail(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  for (const [name, type] of [
    ["helpdesk.ticket.created_v1", "helpdesk.ticket.created_v1"],
    ["updated", "helpdesk.ticket.updated_v1"],
    ["helpdesk.ticket_message.created_v1", "helpdesk.ticket_message.created_v1"],
  ]) {
    test(`${name}: a fresh, encrypted, signed sample reaches the endpoint typed; 0 on 200`, async () => {
      const before = Math.floor(Date.now() / 1000);
      const run = await larkhook(["trigger", name, "--url", url], { env });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /← HTTP 200 OK in \d+ ms/);
      assert.match(run.stdout, /\{"ok":true\}/);
      const { headers, payload, plaintext } = lastDelivery();
      const ts = Number(headers["x-lark-request-timestamp"]);
      assert.ok(ts >= before - 1 && ts <= Math.floor(Date.now() / 1000) + 1, "signed at the current time");
      assert.equal(payload.schema, "2.0");
      assert.equal(payload.header.event_type, type);
      assert.equal(payload.header.token, TOKEN, "the Verification Token is written in");
      assert.match(payload.header.event_id, /^[0-9a-f]{32}$/);
      assert.ok(Math.abs(Number(payload.header.create_time) - Date.now()) < 60_000, "create_time is now, in ms");
      assert.ok(run.stdout.includes(payload.header.event_id), "the event id is printed");
      if (type === "helpdesk.ticket_message.created_v1") assert.match(plaintext, /"id":7262656095919128579\b/, "64-bit ids stay exact");
      await until(() => handled.some((m) => m.header?.event_id === payload.header.event_id), "the handler");
      const inbound = handled.find((m) => m.header?.event_id === payload.header.event_id);
      assert.equal(inbound.kind, "event", "decoded into the typed model");
      assert.equal(inbound.event_type, type);
    });
  }

  test("url_verification: encrypted, unsigned, and the endpoint's echo is printed", async () => {
    const run = await larkhook(["trigger", "url_verification", "--url", url, "--encrypt-key", KEY, "--verification-token", TOKEN]);
    assert.equal(run.code, 0, run.stderr);
    const { headers, payload } = lastDelivery();
    assert.equal(headers["x-lark-signature"], undefined, "the platform sends the challenge unsigned");
    assert.equal(headers["x-lark-request-timestamp"], undefined);
    assert.equal(payload.type, "url_verification");
    assert.equal(payload.token, TOKEN);
    assert.match(payload.challenge, /^[0-9a-f-]{36}$/);
    assert.ok(run.stdout.includes(`{"challenge":"${payload.challenge}"}`), run.stdout);
    assert.doesNotMatch(run.stdout, /warning/);
  });

  test("all, --json: the challenge and each event, two runs never share an event id", async () => {
    const first = await larkhook(["trigger", "all", "--url", url, "--json"], { env });
    const second = await larkhook(["trigger", "all", "--url", url, "--json"], { env });
    assert.equal(first.code, 0, first.stderr);
    const a = JSON.parse(first.stdout);
    const b = JSON.parse(second.stdout);
    assert.equal(a.ok, true);
    assert.deepEqual(a.deliveries.map((d) => [d.event_type, d.status, d.ok, d.encrypted, d.signed]), [
      ["url_verification", 200, true, true, false],
      ["helpdesk.ticket.created_v1", 200, true, true, true],
      ["helpdesk.ticket.updated_v1", 200, true, true, true],
      ["helpdesk.ticket_message.created_v1", 200, true, true, true],
    ]);
    for (const d of a.deliveries) assert.ok(Number.isInteger(d.ms) && d.ms >= 0);
    const ids = [...a.deliveries, ...b.deliveries].filter((d) => d.event_id).map((d) => d.event_id);
    assert.equal(new Set(ids).size, 6);
  });

  test("--event-file sends your own JSON as it is (64-bit numbers exact); the token is written in", async () => {
    const id = crypto.randomUUID();
    const own = `{"schema":"2.0","header":{"event_id":"${id}","event_type":"im.message.receive_v1"},"event":{"n":12345678901234567891}}`;
    const run = await larkhook(["trigger", "--event-file", file("own.json", own), "--url", url], { env });
    assert.equal(run.code, 0, run.stderr);
    const { payload, plaintext } = lastDelivery();
    assert.equal(payload.header.event_id, id);
    assert.equal(payload.header.token, TOKEN);
    assert.match(plaintext, /"n":12345678901234567891\}/);
    await until(() => handled.some((m) => m.header?.event_id === id), "the catch-all handler");
  });

  test("a non-2xx answer exits 1 and shows the endpoint's error; a wrong key is refused", async () => {
    const run = await larkhook(["trigger", "created", "--url", url, "--encrypt-key", "not-the-endpoint-key"], { env });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /← HTTP 401 Unauthorized/);
    assert.match(run.stdout, /"code":"signature_mismatch"/);
  });

  test("a closed port exits 3 with a clear message; bad usage exits 2", async () => {
    const probe = createServer();
    const dead = await listen(probe);
    await close(probe);
    const refused = await larkhook(["trigger", "created", "--url", `${dead}/webhook/event`], { env });
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /could not reach http:\/\/127\.0\.0\.1:\d+\/webhook\/event: .*ECONNREFUSED/);

    for (const args of [
      ["trigger", "created"],
      ["trigger", "created", "--url", "not a url"],
      ["trigger", "nonsense", "--url", url],
      ["trigger", "--url", url],
      ["trigger", "created", "--url", url, "--bogus"],
      ["trigger", "--event-file", join(work, "missing.json"), "--url", url],
      ["trigger", "--event-file", file("array.json", "[1,2]"), "--url", url],
    ]) {
      const run = await larkhook(args, { env });
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /larkhook trigger: /);
    }
  });
});

// ---- inspect --------------------------------------------------------------

/** AES-256-CBC with SHA-256(key), a random IV in front, base64: the platform's recipe, in node:crypto. */
function encryptLikePlatform(key, plaintext) {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", createHash("sha256").update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

/** A captured request as a proxy would log it, built with node:crypto only. */
function capture({ fixtureName = "ticket_created_v1.json", key = KEY, token = TOKEN, timestamp = Math.floor(Date.now() / 1000), eol = "\r\n" } = {}) {
  const plaintext = fixture(fixtureName).replace("rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV", token);
  const body = JSON.stringify({ encrypt: encryptLikePlatform(key, plaintext) });
  const nonce = randomBytes(6).toString("hex");
  const signature = sha256hex(`${timestamp}${nonce}${key}${body}`);
  const head = [
    "POST /webhook/event HTTP/1.1",
    "Host: hooks.example.com",
    "Content-Type: application/json",
    `x-lark-request-timestamp: ${timestamp}`,
    `X-Lark-Request-Nonce: ${nonce}`,
    `X-LARK-SIGNATURE: ${signature}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return { text: `${head.join(eol)}${eol}${eol}${body}`, body, timestamp };
}

const STEPS = ["body_size", "headers", "timestamp", "signature", "body_json", "decryption", "payload_json", "schema", "token", "event_type", "typed_model"];

describe("larkhook inspect", () => {
  const env = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };

  test("a valid capture (CRLF, from a file): every check passes, then the typed event; exit 0", async () => {
    const run = await larkhook(["inspect", file("valid.txt", capture({ fixtureName: "ticket_message_created_v1.json" }).text)], { env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const step of STEPS) assert.match(run.stdout, new RegExp(`^\\s+pass\\s+${step}\\s`, "m"), step);
    assert.match(run.stdout, /Checked with 1 Encrypt Key \(LARK_ENCRYPT_KEY\) and 1 Verification Token \(LARK_VERIFICATION_TOKEN\)/);
    assert.match(run.stdout, /Accepted: helpdesk\.ticket_message\.created_v1 \(typed, schema 2\.0\)/);
    assert.match(run.stdout, /"id": "7262656095919128579"/, "64-bit ids exact in the typed event");
    assert.match(run.stdout, /"ticket_id": "6626871355780366331"/);
    assert.doesNotMatch(run.stdout, /insecure/i);
  });

  test("LF line ends, from stdin (`-` and a plain pipe), flags instead of the environment", async () => {
    const { text } = capture({ eol: "\n" });
    for (const args of [["inspect", "-"], ["inspect"]]) {
      const run = await larkhook([...args, "--encrypt-key", KEY, "--verification-token", TOKEN], { input: text });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /Capture stdin: POST \/webhook\/event, 6 headers/);
      assert.match(run.stdout, /\(--encrypt-key\)/);
      assert.match(run.stdout, /Accepted: helpdesk\.ticket\.created_v1/);
    }
  });

  test("--json: the report's shape, the token redacted", async () => {
    const c = capture();
    const run = await larkhook(["inspect", file("json.txt", c.text), "--json"], { env });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.verdict, "accepted");
    assert.equal(report.insecure, false);
    assert.deepEqual(report.steps.map((s) => [s.id, s.status]), STEPS.map((id) => [id, "pass"]));
    assert.equal(report.result.kind, "event");
    assert.equal(report.result.event_type, "helpdesk.ticket.created_v1");
    assert.equal(report.result.event.ticket_id, "6626871355780366331");
    assert.equal(report.error, undefined);
    assert.deepEqual(report.request, { method: "POST", target: "/webhook/event", headers: 6, body_bytes: Buffer.byteLength(c.body), notes: [] });
    assert.match(report.result.raw, /"token": "\[redacted\]"/);
    assert.match(report.plaintext, /"token": "\[redacted\]"/);
  });

  test("one changed byte: signature_mismatch, exit 1, the later checks skipped", async () => {
    const { text } = capture();
    const at = text.indexOf('{"encrypt":"') + 20;
    const tampered = text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
    const run = await larkhook(["inspect", file("tampered.txt", tampered)], { env });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^\s+FAIL\s+signature\s+signature_mismatch: /m);
    assert.match(run.stdout, /^\s+skip\s+decryption\s/m);
    assert.match(run.stdout, /Refused: signature_mismatch \(HTTP 401\)/);
    const json = JSON.parse((await larkhook(["inspect", file("tampered.txt", tampered), "--json"], { env })).stdout);
    assert.equal(json.verdict, "refused");
    assert.deepEqual(json.error.code, "signature_mismatch");
    assert.equal(json.error.status, 401);
    assert.equal(json.result, undefined);
  });

  test("the wrong key fails the signature; the wrong token fails the token check and the payload's token is redacted", async () => {
    const path = file("keys.txt", capture().text);
    const wrongKey = await larkhook(["inspect", path, "--encrypt-key", "some-other-encrypt-key", "--verification-token", TOKEN]);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stdout, /Refused: signature_mismatch/);
    // TOKEN is not configured here: only the structural redaction keeps it out.
    const wrongToken = await larkhook(["inspect", path, "--encrypt-key", KEY, "--verification-token", "some-other-verification-token"]);
    assert.equal(wrongToken.code, 1);
    assert.match(wrongToken.stdout, /^\s+FAIL\s+token\s+token_mismatch: /m);
    assert.match(wrongToken.stdout, /Decrypted payload \(Verification Token redacted\):\n[\s\S]*"token": "\[redacted\]"/);
  });

  test("a stale capture: refused with a hint naming --now; --now replays it", async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 3600;
    const path = file("stale.txt", capture({ timestamp }).text);
    const stale = await larkhook(["inspect", path], { env });
    assert.equal(stale.code, 1);
    assert.match(stale.stdout, /^\s+FAIL\s+timestamp\s+timestamp_out_of_range: .*3600 seconds in the past/m);
    assert.match(stale.stdout, new RegExp(`hint: .*old capture.*--now ${timestamp}`));
    const json = JSON.parse((await larkhook(["inspect", path, "--json"], { env })).stdout);
    assert.match(json.steps.find((s) => s.id === "timestamp").hint, new RegExp(`--now ${timestamp}$`));

    const replayed = await larkhook(["inspect", path, "--now", String(timestamp + 20)], { env });
    assert.equal(replayed.code, 0, replayed.stdout);
    assert.match(replayed.stdout, /pass\s+timestamp\s+20 s old/);
    const wrongNow = await larkhook(["inspect", path, "--now", String(timestamp + 1000)], { env });
    assert.equal(wrongNow.code, 1);
    assert.match(wrongNow.stdout, new RegExp(`hint: --now ${timestamp + 1000} is 1000 s away .*--now ${timestamp} checks it`));
  });

  test("neither key nor token: inspected with insecure: true, said so; a plain body's token is still redacted", async () => {
    const plain = fixture("ticket_updated_v1.json").replace("rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV", TOKEN);
    const run = await larkhook(["inspect", file("plain.json", plain)]);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /Insecure: neither an Encrypt Key nor a Verification Token was given/);
    assert.match(run.stdout, /insecure: true/);
    assert.match(run.stdout, /skip\s+signature\s+no Encrypt Key configured/);
    const json = JSON.parse((await larkhook(["inspect", file("plain.json", plain), "--json"])).stdout);
    assert.equal(json.insecure, true);
    assert.equal(json.verdict, "accepted");
  });

  test("unusable input exits 2: missing file, a directory, empty, no blank line, no header, bad flags", async () => {
    const noBlank = capture().text.replace("\r\n\r\n", "\r\n");
    const cases = [
      [["inspect", join(work, "does-not-exist.txt")], /cannot read .*no such file/],
      [["inspect", work], /cannot read .*directory/],
      [["inspect", file("empty.txt", "  \n")], /the input is empty/],
      [["inspect", file("noblank.txt", noBlank)], /no blank line after the headers/],
      [["inspect", file("garbage.txt", "this is not a request\n\nworld")], /no request line or header found/],
      [["inspect", file("nobody.txt", "POST /x HTTP/1.1\nHost: a\n\n")], /no body/],
      [["inspect", file("ok.txt", capture().text), "--now", "yesterday"], /--now must be unix seconds/],
      [["inspect", file("ok.txt", capture().text), "--frobnicate"], /Unknown option '--frobnicate'/],
      [["inspect", "a.txt", "b.txt"], /at most 1 argument/],
    ];
    for (const [args, message] of cases) {
      const run = await larkhook(args, { env });
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, message);
    }
    const json = await larkhook(["inspect", join(work, "does-not-exist.txt"), "--json"], { env });
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.stdout).verdict, "unusable");
  });
});

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

describe("larkhook", () => {
  test("--help lists every command and exits 0; each command has --help", async () => {
    const run = await larkhook(["--help"]);
    assert.equal(run.code, 0);
    for (const command of ["trigger", "inspect", "helpdesk"]) {
      assert.match(run.stdout, new RegExp(`^  ${command} `, "m"));
      const help = await larkhook([command, "--help"]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`usage: larkhook ${command}`));
      assert.equal(help.stderr, "");
    }
    for (const name of ["LARK_ENCRYPT_KEY", "LARK_VERIFICATION_TOKEN", "LARK_APP_ID", "LARK_APP_SECRET", "LARK_HELPDESK_ID", "LARK_HELPDESK_TOKEN"]) {
      assert.ok(run.stdout.includes(name), name);
    }
  });

  test("no command, an unknown command or flag: usage on stderr, exit 2", async () => {
    for (const args of [[], ["deploy"], ["--frobnicate"], ["inspect", "--frobnicate"]]) {
      const run = await larkhook(args);
      assert.equal(run.code, 2, args.join(" "));
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /usage: larkhook/);
    }
  });

  test("secrets given to an unknown flag or as a stray argument are not echoed", async () => {
    const run = await larkhook(["trigger", "created", "--url", "http://127.0.0.1:9/", `--encrypt-keyy=${KEY}`]);
    assert.equal(run.code, 2);
    const stray = await larkhook([TOKEN]);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /unknown command/);
  });

  test("colour only on a terminal, and never with NO_COLOR", async () => {
    const path = file("colour.txt", capture().text);
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} inspect ${JSON.stringify(path)}`;
    // `script` runs the command on a pseudo-terminal (util-linux, in every Debian).
    const onTty = await runScript(command, { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN });
    assert.match(onTty, /\u001b\[32mpass\u001b\[39m/);
    const noColor = await runScript(command, { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN, NO_COLOR: "1" });
    assert.match(noColor, /pass/);
    assert.doesNotMatch(noColor, /\u001b\[/);
    const piped = await larkhook(["inspect", path], { env: { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN } });
    assert.doesNotMatch(piped.stdout, /\u001b\[/);
  });
});

function runScript(command, env) {
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { env: cleanEnv({ TERM: "xterm", ...env }), stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`script exited ${code}: ${out}`))));
    child.stdin.end();
  });
}
