// `larkhook listen` against the stand-in platform (longconn/standin.mjs):
// one summarize() line per event, --json lines, acks, --forward-to posting
// as the platform would (checked by the endpoint's own LarkWebhook), card
// answers relayed back, Ctrl-C exit 0, exit codes 1 / 2 / 3, no secret
// printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";

import { APP_ID, APP_SECRET, KEY, SECRETS, TOKEN, cleanEnv, cli, close, larkhook, listen } from "./cli-helpers.mjs";
import { lark } from "./helpers.mjs";
import { StandIn, eventJson } from "./longconn/standin.mjs";

const FAST = { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 0, ReconnectNonce: 0 };
const ENV = { LARK_APP_ID: APP_ID, LARK_APP_SECRET: APP_SECRET };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `larkhook listen …` running in the background until stop(). */
function spawnListen(args, env = ENV) {
  const child = spawn(process.execPath, [cli, "listen", ...args], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  const run = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => (run.stdout += d));
  child.stderr.on("data", (d) => (run.stderr += d));
  const exited = new Promise((resolve) => child.on("close", (code) => resolve(code)));
  run.lines = () => run.stdout.split("\n").filter(Boolean);
  // The ack can reach the platform before the line written before it reaches this process's pipe.
  run.linesAtLeast = async (n) => {
    const giveUp = Date.now() + 5000;
    while (run.lines().length < n && Date.now() < giveUp) await sleep(20);
    return run.lines();
  };
  run.ready = async () => {
    const giveUp = Date.now() + 15_000;
    while (!run.stderr.includes("listening on the long connection")) {
      if (Date.now() > giveUp) throw new Error(`listen did not open: ${run.stderr}`);
      await sleep(20);
    }
  };
  run.stop = async () => {
    child.kill("SIGINT");
    const code = await exited;
    for (const secret of SECRETS) {
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `a secret was printed (${secret.slice(0, 6)}…)`);
    }
    return code;
  };
  return run;
}

async function platform() {
  return new StandIn({ config: FAST, appId: APP_ID, appSecret: APP_SECRET }).start();
}

test("listen prints one summarize() line per event and acks 200; Ctrl-C exits 0", async () => {
  const p = await platform();
  const run = spawnListen(["--domain", p.base]);
  try {
    await run.ready();
    const events = [eventJson("ev-l1"), eventJson("ev-l2", "im.message.receive_v1", { message: { message_id: "om_1" } })];
    for (const json of events) assert.equal((await p.send(json))?.code, 200);
    const expected = events.map((json) => lark.summarize(new lark.LarkWebhook({ insecure: true }).parse({ headers: {}, body: json })));
    assert.deepEqual(await run.linesAtLeast(expected.length), expected);
  } finally {
    assert.equal(await run.stop(), 0);
    await p.close();
  }
  assert.match(run.stderr, /stopping/);
});

test("listen --json prints each inbound as one JSON line, tokens redacted", async () => {
  const p = await platform();
  const run = spawnListen(["--domain", p.base, "--json"]);
  try {
    await run.ready();
    const json = JSON.parse(eventJson("ev-json"));
    json.header.token = TOKEN;
    assert.equal((await p.send(JSON.stringify(json)))?.code, 200);
    const [line] = await run.linesAtLeast(1);
    const inbound = JSON.parse(line);
    assert.equal(inbound.kind, "event");
    assert.equal(inbound.header.event_id, "ev-json");
    assert.equal(inbound.event.ticket_id, "6626871355780366331");
    assert.ok(!line.includes(TOKEN), "the token is not printed");
  } finally {
    assert.equal(await run.stop(), 0);
    await p.close();
  }
});

test("listen --forward-to: encrypted and signed as the platform would, accepted by the endpoint's own LarkWebhook, the event_id kept; acked as the endpoint answered; a card answer relayed", async () => {
  const p = await platform();
  const hook = new lark.LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN });
  const received = [];
  let status = 200;
  const endpoint = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      try {
        const inbound = hook.parse({ headers: req.headers, body: Buffer.concat(chunks) });
        received.push(inbound);
        if (inbound.event_type === "card.action.trigger" && status === 200) return res.end(JSON.stringify({ toast: { type: "success", content: "forwarded" } }));
        res.statusCode = status;
        res.end("{}");
      } catch (error) {
        res.statusCode = error.status ?? 500;
        res.end(JSON.stringify({ code: error.code }));
      }
    });
  });
  const url = `${await listen(endpoint)}/webhook/event`;
  const run = spawnListen(["--domain", p.base, "--forward-to", url], { ...ENV, LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN });
  try {
    await run.ready();
    // A 64-bit id beyond 2^53 survives the trip as text.
    const big = eventJson("ev-f1", "helpdesk.ticket.created_v1", { ticket_id: "6626871355780366331", agent_id: 7262656095919128578n.toString() }).replace('"7262656095919128578"', "7262656095919128578");
    assert.equal((await p.send(big))?.code, 200);
    assert.equal(received.length, 1);
    assert.equal(received[0].header.event_id, "ev-f1");
    assert.match(received[0].raw, /"agent_id":7262656095919128578/);
    assert.equal(JSON.parse(received[0].raw).header.token, TOKEN, "header.token set to the Verification Token");
    status = 500;
    assert.equal((await p.send(eventJson("ev-f2")))?.code, 500, "acked 500 when the endpoint answers 500");
    status = 200;
    const card = await p.send(eventJson("cb-f3", "card.action.trigger", { action: { value: { a: 1 }, tag: "button" } }), { type: "card" });
    assert.equal(card?.code, 200);
    assert.deepEqual(card.data, { toast: { type: "success", content: "forwarded" } });
    assert.match(run.stderr, /→ 200 in \d+ ms/);
    // A card the endpoint answered 500: relayed as 500 (what the platform would have had over HTTP), no answer in data.
    status = 500;
    const failed = await p.send(eventJson("cb-f4", "card.action.trigger", { action: { value: { a: 2 }, tag: "button" } }), { type: "card" });
    assert.deepEqual([failed?.code, failed?.data], [500, undefined]);
    assert.doesNotMatch(run.stderr, /invalid_callback_answer/);
    assert.equal(received.filter((r) => r.event_type === "card.action.trigger").length, 2);
  } finally {
    assert.equal(await run.stop(), 0);
    await close(endpoint);
    await p.close();
  }
});

test("listen --forward-to an endpoint that is down: acked 500, the listener keeps running", async () => {
  const p = await platform();
  const run = spawnListen(["--domain", p.base, "--forward-to", "http://127.0.0.1:9/webhook/event", "--timeout", "1"]);
  try {
    await run.ready();
    assert.equal((await p.send(eventJson("ev-down")))?.code, 500);
    assert.match(run.stderr, /acked 500, the platform will redeliver/);
  } finally {
    assert.equal(await run.stop(), 0);
    await p.close();
  }
});

test("listen exit codes: 1 when the platform refuses the app, 3 when it cannot be reached, 2 for bad usage", async () => {
  const p = await platform();
  try {
    const refused = await larkhook(["listen", "--domain", p.base], { env: { LARK_APP_ID: APP_ID, LARK_APP_SECRET: "wrong-secret-for-cli-listen" } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /auth_failed/);
    assert.ok(!refused.stderr.includes("wrong-secret-for-cli-listen"));
  } finally {
    await p.close();
  }
  const unreachable = await larkhook(["listen", "--domain", "http://127.0.0.1:9"], { env: ENV });
  assert.equal(unreachable.code, 3);
  assert.match(unreachable.stderr, /could not reach the Open Platform/);
  const missing = await larkhook(["listen"], { env: { LARK_APP_SECRET: APP_SECRET } });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--app-id/);
  const stray = await larkhook(["listen", "--encrypt-key", KEY], { env: ENV });
  assert.equal(stray.code, 2);
  const help = await larkhook(["listen", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--forward-to URL/);
  const top = await larkhook(["--help"]);
  assert.match(top.stdout, /^ {2}listen /m);
});
