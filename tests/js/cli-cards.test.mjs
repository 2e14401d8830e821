// The command line and the card callbacks: `larkhook schema` (the shipped
// files, as the registry generates them), `larkhook trigger card` /
// `card_action` against a real endpoint that answers with a toast (the
// delivery checked with node:crypto, the answer printed), and `larkhook
// inspect` on captured callbacks of both kinds.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { KEY, TOKEN, close, file, larkhook, listen } from "./cli-helpers.mjs";
import { fixture, lark, pkgDir } from "./helpers.mjs";

const sha1 = (text) => createHash("sha1").update(text).digest("hex");

describe("larkhook schema", () => {
  const shipped = readdirSync(join(pkgDir, "schemas")).map((f) => f.replace(/\.json$/, ""));

  test("lists every schema, the legacy callback last", async () => {
    const run = await larkhook(["schema"]);
    assert.equal(run.code, 0, run.stderr);
    const names = run.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0]);
    assert.deepEqual([...names].sort(), [...shipped].sort());
    assert.deepEqual(shipped.sort(), [...Object.values(lark.EventType), "card_action"].sort());
    assert.equal(names.at(-1), "card_action");
    assert.match(run.stdout, /card\.action\.trigger\s+card\.action\.trigger \(CardActionTrigger\)/);
  });

  test("prints a schema byte for byte as shipped", async () => {
    for (const name of ["card.action.trigger", "card_action", "helpdesk.ticket.created_v1"]) {
      const run = await larkhook(["schema", name]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, readFileSync(join(pkgDir, "schemas", `${name}.json`), "utf8"));
      assert.equal(JSON.parse(run.stdout).$schema, "https://json-schema.org/draft/2020-12/schema");
    }
  });

  test("an event type larkhook does not type: exit 2, the list", async () => {
    const run = await larkhook(["schema", "im.message.receive_v1"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no schema for "im\.message\.receive_v1": larkhook types .*card\.action\.trigger.*card_action/);
  });
});

describe("larkhook trigger, card callbacks", () => {
  let server;
  let url;
  const received = [];
  const toast = { toast: { type: "success", content: "Assigned to you" } };

  before(async () => {
    // An endpoint that verifies what arrives and answers as a callback does.
    const hook = new lark.LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN });
    server = createServer(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body });
      try {
        const inbound = hook.parse({ headers: req.headers, body });
        received.at(-1).inbound = inbound;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(toast));
      } catch (error) {
        res.writeHead(error.status, { "content-type": "application/json" }).end(JSON.stringify(error));
      }
    });
    url = `${await listen(server)}/callback`;
  });
  after(() => close(server));

  const env = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };

  test("card: card.action.trigger, encrypted and signed, the answer printed", async () => {
    const run = await larkhook(["trigger", "card", "--url", url], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes(JSON.stringify(toast)), run.stdout);
    const last = received.at(-1);
    assert.equal(last.inbound.kind, "event");
    assert.equal(last.inbound.event_type, "card.action.trigger");
    assert.equal(last.inbound.event.action.tag, "button");
    // Microseconds, as the platform sends a callback's create_time.
    assert.ok(last.inbound.header.create_time > Date.now() * 100);
    const json = JSON.parse((await larkhook(["trigger", "card.action.trigger", "--url", url, "--json"], { env })).stdout);
    assert.deepEqual(JSON.parse(json.deliveries[0].answer), toast);
    assert.deepEqual(json.deliveries[0].warnings, []);
  });

  test("card_action: the legacy callback, plain, SHA-1 over the Verification Token", async () => {
    const run = await larkhook(["trigger", "card_action", "--url", url, "--json"], { env });
    assert.equal(run.code, 0, run.stderr);
    const last = received.at(-1);
    assert.equal(last.inbound.kind, "card_action");
    assert.equal(last.inbound.event.action.tag, "button");
    const { "x-lark-request-timestamp": ts, "x-lark-request-nonce": nonce, "x-lark-signature": signature } = last.headers;
    assert.equal(signature, sha1(`${ts}${nonce}${TOKEN}${last.body}`));
    assert.ok(!last.body.includes("encrypt"), "never encrypted");
    const out = JSON.parse(run.stdout);
    assert.equal(out.deliveries[0].event_type, "card_action");
    assert.deepEqual(JSON.parse(out.deliveries[0].answer), toast);
    // --event-file with card_action sends the file as a legacy callback.
    const path = file("legacy.json", fixture("card_action_legacy.json").trim());
    const fromFile = await larkhook(["trigger", "card_action", "--event-file", path, "--url", url], { env });
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(received.at(-1).body, fixture("card_action_legacy.json").trim());
  });

  test("card_action without a Verification Token: exit 2, it cannot be signed", async () => {
    const run = await larkhook(["trigger", "card_action", "--url", url], { env: { LARK_ENCRYPT_KEY: KEY } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /signed with the Verification Token/);
  });

  test("an answer that is not a JSON object is flagged for a callback", async () => {
    const bad = createServer((req, res) => req.resume().on("end", () => res.writeHead(200).end("ok")));
    const badUrl = `${await listen(bad)}/callback`;
    try {
      const out = JSON.parse((await larkhook(["trigger", "card", "--url", badUrl, "--json"], { env })).stdout);
      assert.match(out.deliveries[0].warnings.join(" "), /must be a JSON object/);
    } finally {
      await close(bad);
    }
  });
});

describe("larkhook inspect, card callbacks", () => {
  test("a captured legacy callback: every step, the typed callback", async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const body = fixture("card_action_legacy.json").trim();
    const signature = sha1(`${timestamp}n-1${TOKEN}${body}`);
    const capture = file(
      "legacy.txt",
      `POST /callback HTTP/1.1\r\nContent-Type: application/json\r\nX-Lark-Request-Timestamp: ${timestamp}\r\nX-Lark-Request-Nonce: n-1\r\nX-Lark-Signature: ${signature}\r\n\r\n${body}`,
    );
    const run = await larkhook(["inspect", capture, "--verification-token", TOKEN]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /legacy message-card callback/);
    assert.match(run.stdout, /"open_message_id": "om_8baa3656c7b41900d29bf9104bf5310b"/);
    const json = JSON.parse((await larkhook(["inspect", capture, "--verification-token", TOKEN, "--json"])).stdout);
    assert.equal(json.verdict, "accepted");
    assert.equal(json.result.kind, "card_action");
    assert.equal(json.steps.find((s) => s.id === "signature").status, "pass");
    // With another token: the signature step fails, saying what each token expects.
    const wrong = await larkhook(["inspect", capture, "--verification-token", "another-token-xyz", "--json"]);
    assert.equal(wrong.code, 1);
    const step = JSON.parse(wrong.stdout).steps.find((s) => s.id === "signature");
    assert.equal(step.code, "signature_mismatch");
    assert.match(step.detail, /expected with Verification Token #1: [0-9a-f]{40}/);
  });

  test("a card.action.trigger: accepted as a callback", async () => {
    const delivery = lark.createTestDelivery({ event: fixture("card_action_trigger.json"), encryptKey: KEY, verificationToken: TOKEN });
    const head = Object.entries(delivery.headers).map(([n, v]) => `${n}: ${v}`).join("\r\n");
    const capture = file("trigger.txt", `POST /callback HTTP/1.1\r\n${head}\r\n\r\n${delivery.body}`);
    const run = await larkhook(["inspect", capture, "--encrypt-key", KEY, "--verification-token", TOKEN]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /card\.action\.trigger \(typed, schema 2\.0\); a callback/);
    assert.match(run.stdout, /button "assign"/);
  });
});
