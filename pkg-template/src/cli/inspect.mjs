// `larkhook inspect`: reads one captured raw HTTP request (the payload
// inspector's "Raw HTTP request" format) and prints LarkWebhook.inspect's
// report: every check with pass / fail / skip, its code and detail, then the
// verdict and the typed event. Exit 0 when parse accepts, 1 when it refuses,
// 2 when the input cannot be used.

import { readFile } from "node:fs/promises";

import { EXIT, UsageError, parseOptions, redactJsonText, redactTokens, secretOption } from "./common.mjs";
import { LarkWebhook, summarize } from "larkhook";

import { headerValue, parseRawRequest } from "../tools/http-request.mjs";

export const USAGE = "usage: larkhook inspect [FILE|-] [--encrypt-key K]... [--verification-token T]... [--now UNIX] [--json]";

export const HELP = `Check a captured webhook delivery step by step, as the payload inspector does.

${USAGE}

FILE holds one raw HTTP request: an optional request line, the headers, a blank
line, the body exactly as received (CRLF or LF; \`curl -v\` and devtools copies are
understood; a body alone is taken as a plain delivery). \`-\`, or no FILE with a
pipe, reads stdin.

Options:
  --encrypt-key K          the app's Encrypt Key (or LARK_ENCRYPT_KEY); repeat for rotation
  --verification-token T   the app's Verification Token (or LARK_VERIFICATION_TOKEN); repeatable
  --now UNIX               check as of this time (unix seconds): replays an old capture,
                           whose timestamp is otherwise outside the ±300 s window
  --json                   print the report as JSON (steps, verdict, typed event, error)
  -h, --help               this help

With neither a key nor a token, the delivery is inspected with \`insecure: true\`
(nothing verified) to show what it holds, and the output says so.
The Verification Token inside the payload is always shown as [redacted].

Exit codes: 0 parse accepts the delivery; 1 it refuses it (the error code is
printed, e.g. signature_mismatch); 2 unusable input (unreadable file, no blank
line after the headers, empty body, bad options).

Examples:
  larkhook inspect capture.txt --now 1700000000
  pbpaste | LARK_ENCRYPT_KEY=… LARK_VERIFICATION_TOKEN=… larkhook inspect -`;

const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export async function run(args, { stdout, stderr, stdin, env, secrets }) {
  const { values, positionals } = parseOptions(
    args,
    {
      "encrypt-key": { type: "string", multiple: true },
      "verification-token": { type: "string", multiple: true },
      now: { type: "string" },
      json: { type: "boolean" },
    },
    1,
  );
  if (values.help) {
    stdout.line(HELP);
    return EXIT.ok;
  }
  const keys = secretOption(values, "encrypt-key", env, secrets);
  const tokens = secretOption(values, "verification-token", env, secrets);
  if (values.now !== undefined && !/^\d{1,12}(\.\d+)?$/.test(values.now)) {
    throw new UsageError("--now must be unix seconds, e.g. --now 1700000000 (the capture's X-Lark-Request-Timestamp)");
  }
  const now = values.now === undefined ? Date.now() / 1000 : Number(values.now);
  const source = positionals[0] ?? "-";
  if (positionals.length === 0 && stdin.isTTY) throw new UsageError("give a FILE, or pipe a capture into stdin");

  const unusable = (message) => {
    stderr.line(`larkhook inspect: ${message}`);
    if (values.json) stdout.json({ verdict: "unusable", message });
    return EXIT.usage;
  };

  let bytes;
  try {
    bytes = source === "-" ? await readStream(stdin, MAX_INPUT_BYTES) : await readFile(source);
  } catch (error) {
    return unusable(`cannot read ${source === "-" ? "stdin" : source}: ${error.code === "ENOENT" ? "no such file" : error.code === "EISDIR" ? "it is a directory" : error.message}`);
  }
  if (bytes.length > MAX_INPUT_BYTES) return unusable(`the input is over ${MAX_INPUT_BYTES} bytes: not one captured request`);
  const text = new TextDecoder().decode(bytes);
  const request = parseRawRequest(text);
  const problem = unusableCapture(text, request);
  if (problem) return unusable(problem);

  const insecure = keys.values.length === 0 && tokens.values.length === 0;
  let report;
  try {
    const hook = new LarkWebhook({ encryptKey: keys.values, verificationToken: tokens.values, insecure });
    report = hook.inspect({ headers: request.headers, body: request.body, now });
  } catch (error) {
    return unusable(error.message);
  }

  const hint = staleHint(report, request, values.now === undefined ? undefined : now);
  const steps = report.steps.map((step) => (hint && step.id === "timestamp" && step.status === "fail" ? { ...step, hint } : step));
  const out = {
    verdict: report.result ? "accepted" : "refused",
    insecure,
    now: Math.floor(now),
    request: {
      method: request.method ?? null,
      target: request.target ?? null,
      headers: request.headers.length,
      body_bytes: new TextEncoder().encode(request.body).length,
      notes: request.notes,
    },
    steps,
    ...(report.result ? { result: redactTokens(report.result) } : {}),
    ...(report.error ? { error: { code: report.error.code, status: report.error.status, message: report.error.message } } : {}),
    ...(report.plaintext !== undefined ? { plaintext: redactJsonText(report.plaintext) } : {}),
    unrecognized_fields: report.unrecognized_fields ?? [],
  };

  if (values.json) stdout.json(out);
  else printReport(stdout, out, { source, keys, tokens, summary: report.result ? summarize(report.result) : undefined });
  return report.result ? EXIT.ok : EXIT.refused;
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

/** Why a capture cannot be checked at all, or undefined. */
function unusableCapture(text, request) {
  if (text.trim() === "") return "the input is empty: expected a captured HTTP request (request line, headers, a blank line, the body)";
  if (request.bodyOnly) return undefined;
  if (request.headers.length === 0 && request.method === undefined) {
    return "no request line or header found: expected a captured HTTP request (request line, headers, a blank line, the body), or a JSON body alone";
  }
  if (!request.headEnded) return "no blank line after the headers: a captured request has one between the headers and the body";
  if (request.body === "") return "the capture has no body after the blank line (a delivery always has one): was it cut short?";
  return undefined;
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
  o.line(`${o.style("bold", "Capture")} ${source === "-" ? "stdin" : source}: ${line}, ${request.headers} header${request.headers === 1 ? "" : "s"}, ${request.body_bytes}-byte body`);
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
    o.line(`${o.style("red", "Refused:")} ${o.style("bold", out.error.code)} (HTTP ${out.error.status})`);
    o.line(`  ${out.error.message}`);
    if (out.plaintext !== undefined) o.line(`\nDecrypted payload (Verification Token redacted):\n${out.plaintext}`);
    return;
  }
  const result = out.result;
  if (result.kind === "challenge") {
    o.line(`${o.style("green", "Accepted:")} the URL-verification challenge; answer HTTP 200 with ${JSON.stringify(result.response)}`);
    return;
  }
  o.line(`${o.style("green", "Accepted:")} ${result.event_type} (${result.kind === "event" ? "typed" : "untyped"}, schema ${result.schema})`);
  o.line(`  ${summary}`);
  if (result.kind === "event") {
    o.line(`\nTyped event:\n${JSON.stringify({ header: result.header, event: result.event }, null, 2)}`);
    if (out.unrecognized_fields.length > 0) o.line(`\nFields the typed model does not know (kept in raw): ${out.unrecognized_fields.map((f) => `event.${f}`).join(", ")}`);
  } else {
    if (result.decode_error) o.line(`  the typed model did not decode it: ${result.decode_error}`);
    o.line(`\nPayload (Verification Token redacted):\n${result.raw}`);
  }
}
