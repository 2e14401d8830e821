// `larkhook trigger` against a real endpoint (createHandler over
// toNodeListener on 127.0.0.1): what arrived is decrypted by the official
// SDK and its signature recomputed with node:crypto. Every run is checked
// for leaked secrets (cli-helpers.mjs).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { KEY, TOKEN, work, larkhook, file, listen, close, sha256hex } from "./cli-helpers.mjs";
import { lark, require } from "./helpers.mjs";

const sdk = require("@larksuiteoapi/node-sdk");

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

  test("a 404 or 405 (a URL whose path is not the endpoint's) exits 1 with a hint about the path; other refusals give none", async () => {
    // A server of this test: 404 for an unknown path (like the Worker), 405 for a POST to a path that only takes GET.
    const paths = createServer((req, res) => {
      req.resume();
      const status = req.url === "/" ? 405 : 404;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ code: status === 404 ? "not_found" : "method_not_allowed" }));
    });
    const base = await listen(paths);
    try {
      for (const [path, status] of [["/webhook", 404], ["/", 405]]) {
        const run = await larkhook(["trigger", "challenge", "--url", `${base}${path}`], { env });
        assert.equal(run.code, 1, run.stdout + run.stderr);
        assert.match(run.stdout, new RegExp(`← HTTP ${status} `));
        assert.match(run.stdout, new RegExp(`hint: check the path \\(the example serves /webhook/event\\): .*--url's path is ${path.replace("/", "\\/")}$`, "m"));
        const json = JSON.parse((await larkhook(["trigger", "challenge", "--url", `${base}${path}`, "--json"], { env })).stdout);
        assert.match(json.deliveries[0].hint, /^check the path \(the example serves \/webhook\/event\)/);
      }
    } finally {
      await close(paths);
    }
    const refused = await larkhook(["trigger", "created", "--url", url, "--encrypt-key", "not-the-endpoint-key"], { env });
    assert.equal(refused.code, 1);
    assert.doesNotMatch(refused.stdout, /hint:/);
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
