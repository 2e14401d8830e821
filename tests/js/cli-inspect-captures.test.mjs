// `larkhook inspect` on one delivery pasted every way people paste it
// (tests/fixtures/captures/, see its README): a raw request, curl -v traces,
// Chrome's and Firefox's "Copy as cURL (bash)", Chrome's "Copy as fetch"
// (browser and Node.js) and HAR files. Each must give the raw request's
// verdict and typed event. What the parser reads is checked against
// independent readers: bash itself for the curl commands, a JavaScript
// engine for the fetch calls, and the body the fixtures were made from.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { describe, test } from "node:test";

import { larkhook } from "./cli-helpers.mjs";
import { pkgDir, root } from "./helpers.mjs";

const dir = join(root, "tests", "fixtures", "captures");
const path = (name) => join(dir, name);
const read = (name) => readFileSync(path(name), "utf8");
const KEY = "fixture-encrypt-key-7d41c2";
const TOKEN = "fixture-verification-token-a93e05";
const NOW = "1767225605";
const env = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };
const plainEnv = { LARK_VERIFICATION_TOKEN: TOKEN };
const { readCapture } = await import(join(pkgDir, "tools", "capture.mjs"));
const { splitCommand } = await import(join(pkgDir, "tools", "capture-shell.mjs"));

/** Runs inspect --json and checks that neither fixture secret is printed. */
async function inspect(args, options = { env }) {
  const run = await larkhook(["inspect", ...args, "--now", NOW, "--json"], options);
  for (const secret of [KEY, TOKEN]) assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), `inspect ${args.join(" ")} printed a fixture secret`);
  return { ...run, report: run.stdout.trim() ? JSON.parse(run.stdout) : undefined };
}

/** The fields every form must share with the raw request's report. */
const essence = (report) => ({ verdict: report.verdict, steps: report.steps, answer: report.answer, result: report.result, plaintext: report.plaintext, body_bytes: report.request.body_bytes });

// [file, format, extra args]
const SIGNED = [
  ["raw-lf.http", "raw"],
  ["curl-v-7.88.txt", "curl-trace"],
  ["curl-v-8.txt", "curl-trace"],
  ["curl-v-8-trace-only.txt", "curl-trace", ["--body", path("body.json")]],
  ["chrome-curl.sh", "curl"],
  ["firefox-curl.sh", "curl"],
  ["chrome-fetch.js", "fetch"],
  ["chrome-fetch-node.js", "fetch"],
  ["chrome.har", "har"],
  ["firefox.har", "har", ["--entry", "2"]],
  ["base64-postdata.har", "har"],
];
const PLAIN = [
  ["plain-chrome-curl.sh", "curl"],
  ["plain-firefox-curl.sh", "curl"],
  ["plain-chrome-fetch.js", "fetch"],
];

describe("larkhook inspect: every paste format gives the raw request's verdict", async () => {
  const raw = (await inspect([path("raw-crlf.http")])).report;

  test("the raw request (CRLF) is accepted: the reference", () => {
    assert.equal(raw.verdict, "accepted");
    assert.equal(raw.result.event_type, "helpdesk.ticket_message.created_v1");
    assert.equal(raw.result.event.ticket.comments[0].id, "7262656095919128579");
    assert.equal(raw.request.format, "raw");
  });

  for (const [name, format, extra = []] of SIGNED) {
    test(`${name} (${format}): exit 0, the same steps, answer and typed event`, async () => {
      const run = await inspect([path(name), ...extra]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(run.report.request.format, format);
      assert.equal(run.report.request.method, "POST");
      assert.equal(run.report.request.target, "/webhook/event");
      assert.deepEqual(essence(run.report), essence(raw));
    });
  }

  test("from stdin: a curl command and a HAR piped in", async () => {
    for (const [name, args] of [["chrome-curl.sh", []], ["firefox.har", ["--entry", "2"]]]) {
      const run = await inspect(["-", ...args], { env, input: read(name) });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(essence(run.report), essence(raw));
    }
  });

  test("the plain delivery ($'…' strings with \\n, ', !, é, CJK) matches the raw one, with the token only", async () => {
    const reference = (await inspect([path("plain-raw.http")], { env: plainEnv })).report;
    assert.equal(reference.verdict, "accepted");
    assert.match(reference.result.raw, /José/);
    for (const [name, format] of PLAIN) {
      const run = await inspect([path(name)], { env: plainEnv });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(run.report.request.format, format);
      assert.deepEqual(essence(run.report), essence(reference), name);
    }
  });
});

describe("what the readers take from each paste, against independent readers", () => {
  const body = read("body.txt");
  const lark = Object.fromEntries(read("raw-lf.http").split("\n").filter((l) => /^X-Lark-/i.test(l)).map((l) => l.split(": ")));

  test("every form yields the fixture's body byte for byte and its three X-Lark-* headers", () => {
    for (const [name, , extra = []] of [...SIGNED, ["raw-crlf.http"]]) {
      const options = extra[0] === "--entry" ? { entry: Number(extra[1]) } : extra[0] === "--body" ? { body: read("body.txt") } : {};
      const request = readCapture(read(name), options);
      assert.equal(request.problem, undefined, name);
      assert.equal(request.body, body, `${name}: the body`);
      for (const [header, value] of Object.entries(lark)) {
        assert.equal(request.headers.find(([n]) => n.toLowerCase() === header.toLowerCase())?.[1], value, `${name}: ${header}`);
      }
    }
    for (const [name] of PLAIN) assert.equal(readCapture(read(name)).body, read("plain-body.txt"), name);
  });

  test("curl commands: the words bash itself passes to curl", () => {
    // Firefox writes é as \xe9, which bash passes as the byte 0xE9: compared separately below.
    for (const name of ["chrome-curl.sh", "firefox-curl.sh", "plain-chrome-curl.sh"]) {
      const printed = execFileSync("bash", ["-c", `curl() { printf '%s\\0' curl "$@"; }; source "$1"`, "bash", path(name)]);
      const words = printed.toString("utf8").split("\0").slice(0, -1);
      assert.deepEqual(splitCommand(read(name)).words, words, name);
    }
    const firefox = execFileSync("bash", ["-c", `curl() { printf '%s' "\${@: -1}"; }; source "$1"`, "bash", path("plain-firefox-curl.sh")]);
    assert.equal(firefox.toString("latin1"), Buffer.from(read("plain-body.txt"), "utf8").toString("latin1").replace(/Ã©/g, "é"), "bash: the byte 0xE9 where the body has é");
  });

  test("the readers never throw: every fixture cut short, or with a quote, backslash or newline spliced in", () => {
    for (const name of readdirSync(dir).filter((f) => !f.startsWith("."))) {
      const text = read(name);
      const step = Math.max(1, Math.floor(text.length / 60));
      for (let at = 0; at <= text.length; at += step) {
        for (const input of [text.slice(0, at), text.slice(at), ...["'", "\\", '"\n', "$'"].map((s) => text.slice(0, at) + s + text.slice(at))]) {
          for (const options of [{}, { entry: 2 }, { body: "{}" }]) {
            const request = readCapture(input, options);
            assert.ok(request.problem !== undefined || Array.isArray(request.headers), `${name} at ${at}`);
          }
        }
      }
    }
  });

  test("fetch calls: the arguments a JavaScript engine evaluates", () => {
    for (const name of ["chrome-fetch.js", "chrome-fetch-node.js", "plain-chrome-fetch.js"]) {
      let seen;
      runInNewContext(read(name), { fetch: (url, options) => (seen = { url, options }) });
      const request = readCapture(read(name));
      assert.equal(request.url, seen.url);
      assert.deepEqual(request.headers, Object.entries(seen.options.headers));
      assert.equal(request.body, seen.options.body);
      assert.equal(request.method, seen.options.method);
    }
  });
});

describe("curl -v traces, HAR entries, the trailing newline, the verdict", () => {
  test("a trace without its command: exit 2 naming --body; --body with an editor's newline passes without it", async () => {
    const bare = await inspect([path("curl-v-8-trace-only.txt")]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /curl -v does not print the body it sent: .*--body FILE/);
    assert.equal(bare.report.verdict, "unusable");
    const run = await inspect([path("curl-v-8-trace-only.txt"), "--body", path("body.json")]);
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.report.request.trimmed_bytes, 1);
    assert.match(run.report.request.notes.join("\n"), /ends with a line break .* Checked without it, the delivery passes/);
  });

  test("a HAR with two POSTs and no --entry: both listed, exit 2; --entry 1 is the challenge; --entry 3 does not exist", async () => {
    const list = await larkhook(["inspect", path("firefox.har"), "--now", NOW], { env });
    assert.equal(list.code, 2);
    assert.match(list.stderr, /--entry 1 {2}POST http:\/\/127\.0\.0\.1:8787\/webhook\/event {2}2025-12-31T23:59:59\.000Z {2}\(166-byte body\)/);
    assert.match(list.stderr, /--entry 2 {2}POST .*\(3854-byte body\)/);
    assert.match(list.stderr, /the HAR holds 2 POST requests: choose one with --entry N/);
    const json = await inspect([path("firefox.har")]);
    assert.deepEqual(json.report.entries.map((e) => [e.number, e.body_bytes]), [[1, 166], [2, 3854]]);
    const challenge = await inspect([path("firefox.har"), "--entry", "1"]);
    assert.equal(challenge.code, 0);
    assert.deepEqual(challenge.report.result.response, { challenge: "ch-5c1e" });
    assert.deepEqual(challenge.report.answer, { status: 200, body: '{"challenge":"ch-5c1e"}' });
    const missing = await inspect([path("firefox.har"), "--entry", "3"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--entry 3: the HAR has POST entries 1 to 2/);
    const notHar = await inspect([path("raw-lf.http"), "--entry", "1"]);
    assert.equal(notHar.code, 2);
    assert.match(notHar.stderr, /--entry picks an entry of a HAR file; this is a raw HTTP request/);
  });

  test("an editor's trailing newline (no Content-Length): checked without it, said so, exit 0", async () => {
    const run = await larkhook(["inspect", path("raw-editor-newline.http"), "--now", NOW], { env });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /note: The body ends with a line break that the signature does not cover: an editor or capture tool added it\. Checked without it, the delivery passes/);
    assert.match(run.stdout, /pass\s+signature\s/);
    // A line break that Content-Length vouches for is part of what was sent: no retry.
    const declared = read("raw-lf.http").replace(/Content-Length: \d+/, `Content-Length: ${Buffer.byteLength(read("body.txt")) + 1}`) + "\n";
    const kept = await inspect(["-"], { env, input: declared });
    assert.equal(kept.code, 1);
    assert.equal(kept.report.failed_step.code, "signature_mismatch");
  });

  test("the verdict names the failed step and what the endpoint answers: a challenge with the wrong token", async () => {
    const args = [path("firefox.har"), "--entry", "1", "--now", NOW, "--encrypt-key", KEY, "--verification-token", "some-other-verification-token"];
    const run = await larkhook(["inspect", ...args]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^\s+FAIL\s+token\s+token_mismatch: /m);
    assert.match(run.stdout, /^Refused: token_mismatch at step token \(Verification Token\)\.$/m);
    assert.match(run.stdout, /^ {2}The endpoint answers HTTP 401 missing_signature: /m);
    assert.match(run.stdout, /every check it fails gets this one answer/);
    const json = JSON.parse((await larkhook(["inspect", ...args, "--json"])).stdout);
    assert.deepEqual(json.failed_step, { id: "token", code: "token_mismatch" });
    assert.deepEqual(json.answer, { status: 401, code: "missing_signature" });
  });
});
