// `larkhook inspect`: reads one captured delivery in any form people paste
// (a raw HTTP request, a `curl -v` trace, a devtools curl or fetch copy, a
// HAR file: capture.mjs, shared with the payload inspector) and prints
// LarkWebhook.inspect's report: every check with pass / fail / skip, its
// code and detail, then the verdict (the step that failed, what the
// endpoint answers) and the typed event. Exit 0 when parse accepts, 1 when
// it refuses, 2 when the input cannot be used.

import { readFile } from "node:fs/promises";

import { LarkWebhook, summarize } from "larkhook";

import { CALLBACK_TYPES, STEP_TITLES } from "../core/codes.generated.mjs";
import { CAPTURE_FORMATS, bodyBytes, inspectCapture, readCapture, verdictOf } from "../tools/capture.mjs";
import { headerValue } from "../tools/http-request.mjs";
import { EXIT, UsageError, parseOptions, redactJsonText, redactTokens, secretOption, usage } from "./common.mjs";

export const USAGE = usage("inspect");

export const HELP = `Check a captured webhook delivery step by step, as the payload inspector does.

${USAGE}

FILE holds one captured delivery, in any of these forms:
  - a raw HTTP request: request line, headers, a blank line, the body exactly as
    received (CRLF or LF); a JSON body alone is taken as a plain delivery
  - \`curl -v\` output: its *, > and < lines, with the command above them (the body
    comes from its --data / --data-raw / -d), or with --body FILE
  - a curl command from devtools: Chrome's or Firefox's "Copy as cURL (bash)"
  - a fetch call from devtools: Chrome's "Copy as fetch" or "Copy as fetch (Node.js)"
  - a HAR file (devtools "Save all as HAR"): its POST requests are listed, the only
    one is picked, --entry N picks another
\`-\`, or no FILE with a pipe, reads stdin.

Options:
  --encrypt-key K          the app's Encrypt Key (or LARK_ENCRYPT_KEY); repeat for rotation
  --verification-token T   the app's Verification Token (or LARK_VERIFICATION_TOKEN); repeatable
  --now UNIX               check as of this time (unix seconds): replays an old capture,
                           whose timestamp is otherwise outside the ±300 s window
  --entry N                a HAR file's POST request number N (as listed, from 1)
  --body FILE              the body, when the capture has none (curl -v prints none) or
                           to check another one
  --json                   print the report as JSON (steps, verdict, typed event, error)
  -h, --help               this help

A body that fails the signature only because it ends with a line break (an editor
adds one when saving, and no Content-Length says it was sent) is checked again
without it; the output then says that this is what passed.

With neither a key nor a token, the delivery is inspected with \`insecure: true\`
(nothing verified) to show what it holds, and the output says so.
The Verification Token inside the payload is always shown as [redacted].

Exit codes: 0 parse accepts the delivery; 1 it refuses it (the step that failed
and what the endpoint answers are printed, e.g. signature_mismatch); 2 unusable
input (unreadable file, no request found, no body, a HAR with several POSTs and
no --entry, bad options).

Examples:
  larkhook inspect capture.txt --now 1700000000
  larkhook inspect trace.txt --body body.json
  larkhook inspect session.har --entry 2
  pbpaste | LARK_ENCRYPT_KEY=… LARK_VERIFICATION_TOKEN=… larkhook inspect -`;

const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export async function run(args, { stdout, stderr, stdin, env, secrets }) {
  const options = readOptions(args, stdin, env, secrets);
  if (options.help) {
    stdout.line(HELP);
    return EXIT.ok;
  }
  const { values, keys, tokens, now, source } = options;

  const unusable = (message, extra = {}) => {
    stderr.line(`larkhook inspect: ${message}`);
    if (values.json) stdout.json({ verdict: "unusable", message, ...extra });
    return EXIT.usage;
  };

  let text;
  let body;
  try {
    text = await readInput(source, stdin);
    if (values.body !== undefined) body = await readInput(values.body, stdin);
  } catch (error) {
    return unusable(error.message);
  }
  if (text.trim() === "") return unusable("the input is empty: expected a captured HTTP request (request line, headers, a blank line, the body)");
  const request = readCapture(text, { entry: values.entry === undefined ? undefined : Number(values.entry), body });
  if (request.problem) {
    if (request.entries?.length) {
      const listing = request.entries.map((e) => ({ number: e.number, method: e.method, url: e.url, started: e.started ?? null, body_bytes: e.bodyBytes }));
      if (!values.json) {
        stderr.line(`POST requests in ${source === "-" ? "the HAR" : source}:`);
        for (const e of listing) stderr.line(`  --entry ${e.number}  ${e.method} ${e.url}${e.started ? `  ${e.started}` : ""}  (${e.body_bytes}-byte body)`);
      }
      return unusable(request.problem, { entries: listing });
    }
    return unusable(request.problem);
  }

  const insecure = keys.values.length === 0 && tokens.values.length === 0;
  let inspected;
  try {
    const hook = new LarkWebhook({ encryptKey: keys.values, verificationToken: tokens.values, insecure });
    inspected = inspectCapture(hook, request, now);
  } catch (error) {
    return unusable(error.message);
  }
  const { report } = inspected;
  const out = describe(request, inspected, { insecure, now, explicitNow: values.now !== undefined });
  if (values.json) stdout.json(out);
  else printReport(stdout, out, { source, keys, tokens, summary: report.result ? summarize(report.result) : undefined });
  return report.result ? EXIT.ok : EXIT.refused;
}

/** The options, checked: `{ help }`, or the values, secrets, `now` and the input's name. */
function readOptions(args, stdin, env, secrets) {
  const { values, positionals } = parseOptions(
    args,
    {
      "encrypt-key": { type: "string", multiple: true },
      "verification-token": { type: "string", multiple: true },
      now: { type: "string" },
      entry: { type: "string" },
      body: { type: "string" },
      json: { type: "boolean" },
    },
    1,
  );
  if (values.help) return { help: true };
  const keys = secretOption(values, "encrypt-key", env, secrets);
  const tokens = secretOption(values, "verification-token", env, secrets);
  if (values.now !== undefined && !/^\d{1,12}(\.\d+)?$/.test(values.now)) {
    throw new UsageError("--now must be unix seconds, e.g. --now 1700000000 (the capture's X-Lark-Request-Timestamp)");
  }
  if (values.entry !== undefined && !/^[1-9]\d{0,5}$/.test(values.entry)) throw new UsageError("--entry must be a HAR POST request's number as listed, from 1, e.g. --entry 2");
  const now = values.now === undefined ? Date.now() / 1000 : Number(values.now);
  const source = positionals[0] ?? "-";
  if (positionals.length === 0 && stdin.isTTY) throw new UsageError("give a FILE, or pipe a capture into stdin");
  if (source === "-" && values.body === "-") throw new UsageError("stdin can be the capture or the --body, not both");
  return { values, keys, tokens, now, source };
}

/** What inspect reports (the --json object; the text report prints it). */
function describe(request, inspected, { insecure, now, explicitNow }) {
  const { report, trimmed } = inspected;
  const notes = [...request.notes];
  if (trimmed !== undefined) {
    notes.push(
      `The body ends with ${trimmed === 1 ? "a line break" : `${trimmed} bytes of line breaks`} that the signature does not cover: an editor or capture tool added ${trimmed === 1 ? "it" : "them"}. Checked without ${trimmed === 1 ? "it" : "them"}, the delivery passes: the report below is for the body without ${trimmed === 1 ? "it" : "them"}.`,
    );
  }

  const hint = staleHint(report, request, explicitNow ? now : undefined);
  const steps = report.steps.map((step) => (hint && step.id === "timestamp" && step.status === "fail" ? { ...step, hint } : step));
  const verdict = verdictOf(report);
  return {
    verdict: report.result ? "accepted" : "refused",
    insecure,
    now: Math.floor(now),
    request: {
      format: request.format,
      ...(request.entry !== undefined ? { entry: request.entry } : {}),
      method: request.method ?? null,
      target: request.target ?? null,
      headers: request.headers.length,
      body_bytes: bodyBytes(inspected.body),
      ...(trimmed !== undefined ? { trimmed_bytes: trimmed } : {}),
      notes,
    },
    steps,
    ...(verdict.failedStep ? { failed_step: { id: verdict.failedStep.id, code: verdict.failedStep.code } } : {}),
    answer: verdict.answer,
    ...(report.result ? { result: redactTokens(report.result) } : {}),
    ...(report.error ? { error: { code: report.error.code, status: report.error.status, message: report.error.message } } : {}),
    ...(report.plaintext !== undefined ? { plaintext: redactJsonText(report.plaintext) } : {}),
    unrecognized_fields: report.unrecognized_fields ?? [],
  };
}

/** A file's text, or stdin's for "-"; errors say what to fix. */
async function readInput(name, stdin) {
  let bytes;
  try {
    bytes = name === "-" ? await readStream(stdin, MAX_INPUT_BYTES) : await readFile(name);
  } catch (error) {
    const why = error.code === "ENOENT" ? "no such file" : error.code === "EISDIR" ? "it is a directory" : error.message;
    throw new Error(`cannot read ${name === "-" ? "stdin" : name}: ${why}`);
  }
  if (bytes.length > MAX_INPUT_BYTES) throw new Error(`${name === "-" ? "stdin" : name} is over ${MAX_INPUT_BYTES} bytes: not one captured request`);
  return new TextDecoder().decode(bytes);
}

async function readStream(stream, limit) {
  const chunks = [];
  let total = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    total += chunk.length;
    if (total > limit) break;
  }
  return Buffer.concat(chunks);
}

/** For a timestamp outside the window: when the capture was signed, and the --now that replays it. */
function staleHint(report, request, nowGiven) {
  const failed = report.steps.find((s) => s.id === "timestamp" && s.status === "fail" && s.code === "timestamp_out_of_range");
  const signedAt = headerValue(request.headers, "x-lark-request-timestamp")?.trim();
  if (!failed || !/^\d{1,12}$/.test(signedAt ?? "")) return undefined;
  const when = new Date(Number(signedAt) * 1000).toISOString().replace(".000Z", "Z");
  if (nowGiven !== undefined) {
    return `--now ${Math.floor(nowGiven)} is ${Math.abs(Math.floor(nowGiven) - Number(signedAt))} s away from the capture's timestamp (${when}): --now ${signedAt} checks it as of the moment it was signed`;
  }
  return `an old capture? It was signed at ${when}; replay it as of then with --now ${signedAt}`;
}

const MARK = { pass: ["pass", "green"], fail: ["FAIL", "red"], skip: ["skip", "dim"] };

function printReport(o, out, { source, keys, tokens, summary }) {
  const { request } = out;
  const line = request.method ? `${request.method} ${request.target ?? ""}`.trim() : "no request line";
  const form = `${CAPTURE_FORMATS[request.format]}${request.entry !== undefined ? `, POST entry ${request.entry}` : ""}`;
  o.line(`${o.style("bold", "Capture")} ${source === "-" ? "stdin" : source} (${form}): ${line}, ${request.headers} header${request.headers === 1 ? "" : "s"}, ${request.body_bytes}-byte body`);
  for (const note of request.notes) o.line(o.style("dim", `  note: ${note}`));
  const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const using = [keys.values.length ? `${count(keys.values.length, "Encrypt Key")} (${keys.from})` : "no Encrypt Key", tokens.values.length ? `${count(tokens.values.length, "Verification Token")} (${tokens.from})` : "no Verification Token"];
  o.line(`Checked with ${using.join(" and ")}, now ${out.now} (${new Date(out.now * 1000).toISOString().replace(".000Z", "Z")})`);
  if (out.insecure) {
    o.line(
      o.style("yellow", "Insecure: neither an Encrypt Key nor a Verification Token was given (--encrypt-key / LARK_ENCRYPT_KEY, --verification-token / LARK_VERIFICATION_TOKEN):") +
        "\n  inspected with insecure: true, so no signature or token is verified; an endpoint configured like this is refused (invalid_config).",
    );
  }
  o.line();
  const width = Math.max(...out.steps.map((s) => s.id.length));
  for (const step of out.steps) {
    const [word, color] = MARK[step.status] ?? [step.status, "bold"];
    const detail = step.code ? `${step.code}: ${step.detail}` : step.detail;
    o.line(`  ${o.style(color, word)}  ${step.id.padEnd(width)}  ${step.status === "skip" ? o.style("dim", detail) : detail}`);
    if (step.hint) o.line(`  ${" ".repeat(4)}  ${" ".repeat(width)}  ${o.style("yellow", `hint: ${step.hint}`)}`);
  }
  o.line();
  if (out.error) {
    const failed = out.failed_step;
    const at = failed ? ` at step ${failed.id} (${STEP_TITLES[failed.id] ?? failed.id})` : "";
    o.line(`${o.style("red", "Refused:")} ${o.style("bold", failed?.code ?? out.error.code)}${at}.`);
    o.line(`  The endpoint answers HTTP ${out.error.status} ${out.error.code}: ${out.error.message}`);
    if (failed?.code && failed.code !== out.error.code && out.error.code === "missing_signature") {
      o.line("  (An unsigned delivery may only be the URL-verification challenge, and every check it fails gets this one answer, so that a forger learns nothing.)");
    }
    if (out.plaintext !== undefined) o.line(`\nDecrypted payload (Verification Token redacted):\n${out.plaintext}`);
    return;
  }
  const result = out.result;
  if (result.kind === "challenge") {
    o.line(`${o.style("green", "Accepted:")} the URL-verification challenge; the endpoint answers HTTP 200 with ${JSON.stringify(result.response)}`);
    return;
  }
  if (result.kind === "card_action") {
    o.line(`${o.style("green", "Accepted:")} a legacy message-card callback (${result.typed ? "typed" : "untyped"}); the endpoint answers HTTP 200 with its handler's { toast, card } ({} for none)`);
    o.line(`  ${summary}`);
    if (result.typed) o.line(`\nTyped callback:\n${JSON.stringify({ event: result.event }, null, 2)}`);
    else o.line(`  the typed model did not decode it: ${result.decode_error}\n\nBody:\n${result.raw}`);
    if (out.unrecognized_fields.length > 0) o.line(`\nFields the typed model does not know (kept in raw): ${out.unrecognized_fields.map((f) => `event.${f}`).join(", ")}`);
    return;
  }
  const answers = CALLBACK_TYPES.includes(result.event_type)
    ? "a callback: the endpoint answers HTTP 200 with its handler's { toast, card } ({} for none)"
    : "the endpoint answers HTTP 200 once its handler succeeded";
  o.line(`${o.style("green", "Accepted:")} ${result.event_type} (${result.kind === "event" ? "typed" : "untyped"}, schema ${result.schema}); ${answers}`);
  o.line(`  ${summary}`);
  if (result.kind === "event") {
    o.line(`\nTyped event:\n${JSON.stringify({ header: result.header, event: result.event }, null, 2)}`);
    if (out.unrecognized_fields.length > 0) o.line(`\nFields the typed model does not know (kept in raw): ${out.unrecognized_fields.map((f) => `event.${f}`).join(", ")}`);
  } else {
    if (result.decode_error) o.line(`  the typed model did not decode it: ${result.decode_error}`);
    o.line(`\nPayload (Verification Token redacted):\n${result.raw}`);
  }
}
