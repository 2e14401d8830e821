// `larkhook inspect` on captures built with node:crypto (the platform's
// recipe, not larkhook's code), from files and stdin, CRLF and LF. Every run
// is checked for leaked secrets (cli-helpers.mjs).
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

import { KEY, TOKEN, work, larkhook, file, capture } from "./cli-helpers.mjs";
import { fixture } from "./helpers.mjs";

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
      assert.match(run.stdout, /Capture stdin \(raw HTTP request\): POST \/webhook\/event, 6 headers/);
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
    assert.deepEqual(report.request, { format: "raw", method: "POST", target: "/webhook/event", headers: 6, body_bytes: Buffer.byteLength(c.body), notes: [] });
    assert.deepEqual(report.answer, { status: 200 });
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
    assert.match(run.stdout, /^Refused: signature_mismatch at step signature \(Signature\)\.\n {2}The endpoint answers HTTP 401 signature_mismatch: /m);
    const json = JSON.parse((await larkhook(["inspect", file("tampered.txt", tampered), "--json"], { env })).stdout);
    assert.equal(json.verdict, "refused");
    assert.deepEqual(json.error.code, "signature_mismatch");
    assert.equal(json.error.status, 401);
    assert.equal(json.result, undefined);
    assert.deepEqual(json.failed_step, { id: "signature", code: "signature_mismatch" });
    assert.deepEqual(json.answer, { status: 401, code: "signature_mismatch" });
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
    assert.match(stale.stdout, /^\s+FAIL\s+timestamp\s+timestamp_out_of_range: .*360[01] seconds in the past/m);
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
