// One captured delivery, in whatever form it was pasted: a raw HTTP
// request, a `curl -v` trace, a curl command (devtools "Copy as cURL
// (bash)"), a fetch call ("Copy as fetch", "Copy as fetch (Node.js)") or a
// HAR file ("Save all as HAR"). Pure functions, no I/O; ES module only,
// shared by `larkhook inspect` and the payload inspector (which reach the
// formats through `readCapture` only).
//
// Each reader gives the same fields: method, target, headers as
// [name, value] pairs, the body exactly as sent (text, or bytes), notes.

import { findCurlCommand, looksLikeCurlTrace, parseCurlCommand, parseCurlTrace } from "./capture-curl.mjs";
import { looksLikeFetch, parseFetchCall } from "./capture-fetch.mjs";
import { pickHarEntry, readHar } from "./capture-har.mjs";
import { headerValue, parseRawRequest } from "./http-request.mjs";

/** The formats `readCapture` tells apart, with the words used to name them. */
export const CAPTURE_FORMATS = Object.freeze({
  raw: "raw HTTP request",
  body: "body only",
  "curl-trace": "curl -v trace",
  curl: "curl command",
  fetch: "fetch call",
  har: "HAR file",
});

const encoder = new TextEncoder();

/** Length in bytes of a body (text as UTF-8, or bytes). */
export function bodyBytes(body) {
  return typeof body === "string" ? encoder.encode(body).length : (body?.length ?? 0);
}

function fromRaw(text) {
  const raw = parseRawRequest(text);
  if (raw.bodyOnly) return { ...raw, format: "body" };
  const request = { ...raw, format: "raw" };
  if (raw.headers.length === 0 && raw.method === undefined) {
    request.problem =
      "no request line or header found: expected a captured HTTP request (request line, headers, a blank line, the body), a curl -v trace, a curl or fetch command copied from devtools, a HAR file, or a JSON body alone";
  } else if (!raw.headEnded) {
    request.bodyMissing = "no blank line after the headers: a captured request has one between the headers and the body";
  } else if (raw.body === "") {
    request.bodyMissing = "the capture has no body after the blank line (a delivery always has one): was it cut short?";
  }
  return request;
}

function fromCommand(parsed, format) {
  const request = { method: parsed.method, target: parsed.target, url: parsed.url, headers: parsed.headers, body: parsed.body ?? "", notes: parsed.notes, format };
  if (parsed.body === undefined) {
    request.bodyMissing = true;
    request.bodyFile = parsed.bodyFile;
  }
  return request;
}

/** Why a request without a body in the paste cannot be checked, by format. */
function missingBody(request) {
  if (typeof request.bodyMissing === "string") return request.bodyMissing;
  if (request.bodyFile !== undefined) {
    return `the command reads its body from ${request.bodyFile === "-" ? "stdin" : `the file ${request.bodyFile}`}: give that body with --body FILE`;
  }
  if (request.format === "curl-trace") {
    return "curl -v does not print the body it sent: paste the command above the trace too (its --data-raw / -d), or give the body with --body FILE";
  }
  if (request.format === "har") return "the HAR entry has no body: give it with --body FILE";
  return "the paste has no body (no --data / --data-raw, no body option): give it with --body FILE";
}

/**
 * Reads one pasted or saved delivery in any supported format.
 *
 * Options: `entry` picks a HAR's POST entry by number (from 1); `body` (text
 * or bytes, from a file) is the body when the paste has none, and replaces
 * the paste's own otherwise.
 *
 * Returns `{ format, method?, target?, url?, headers, body, notes, problem?,
 * entries?, entry?, choose? }`: `problem` says why it cannot be checked (no
 * request found, no body, several HAR entries and none chosen: `choose`).
 */
export function readCapture(text, { entry, body } = {}) {
  const source = String(text ?? "").replace(/^\uFEFF/, "");
  let request;
  const har = readHar(source);
  if (har) {
    const picked = pickHarEntry(har, entry);
    if (picked.error) return { format: "har", headers: [], body: "", notes: [], problem: picked.error, entries: picked.entries, choose: picked.choose ?? false };
    request = { ...picked.request, format: "har", entries: picked.entries, entry: picked.entry.number };
  } else if (looksLikeFetch(source)) {
    const parsed = parseFetchCall(source);
    if (parsed.error) return { format: "fetch", headers: [], body: "", notes: [], problem: parsed.error };
    request = fromCommand(parsed, "fetch");
  } else if (looksLikeCurlTrace(source) && (/^\*[ \t]/m.test(source) || /^<[ \t]/m.test(source) || findCurlCommand(source))) {
    const trace = parseCurlTrace(source);
    request = { ...fromCommand(trace, "curl-trace"), method: trace.method, target: trace.target, version: trace.version, headers: trace.headers, url: trace.command?.url };
    if (trace.sentBytes !== undefined && !request.bodyMissing && trace.sentBytes !== bodyBytes(request.body)) {
      request.notes.push(`curl reports ${trace.sentBytes} bytes sent, but the command's data is ${bodyBytes(request.body)} bytes: is this the command that made the trace?`);
    }
  } else if (/^\s*(?:\S*[$%#❯]\s+)?curl(?:\.exe)?\s/.test(source)) {
    request = fromCommand(parseCurlCommand(source), "curl");
  } else {
    request = fromRaw(source);
  }
  if (entry !== undefined && request.format !== "har") {
    return { ...request, problem: `--entry picks an entry of a HAR file; this is a ${CAPTURE_FORMATS[request.format]}` };
  }

  if (body !== undefined) {
    if (!request.bodyMissing && bodyBytes(request.body) > 0) request.notes.push("The body comes from --body; the one in the paste is ignored.");
    request.body = body;
    request.bodyMissing = false;
    request.bodyFromFile = true;
  } else if (request.bodyMissing) {
    request.problem ??= missingBody(request);
  }
  return request;
}

/** True when the body's declared Content-Length is exactly its length (so its last bytes were sent). */
function lengthDeclared(request) {
  const declared = headerValue(request.headers, "content-length")?.trim();
  return !request.bodyFromFile && declared !== undefined && /^\d+$/.test(declared) && Number(declared) === bodyBytes(request.body);
}

/** The body without the line breaks an editor or a capture tool added at its end, or undefined. */
function withoutTrailingBreaks(body) {
  if (typeof body === "string") {
    const trimmed = body.replace(/(?:\r?\n)+$/, "");
    return trimmed !== body && trimmed !== "" ? trimmed : undefined;
  }
  let end = body.length;
  while (end > 0 && (body[end - 1] === 0x0a || body[end - 1] === 0x0d)) end--;
  return end < body.length && end > 0 ? body.subarray(0, end) : undefined;
}

/**
 * `hook.inspect` on a request from `readCapture`. When the signature does
 * not match, the body ends with a line break and no Content-Length vouches
 * for it, the body is checked again without it: an editor saving the
 * capture adds one, and the signature covers every byte. If that matches,
 * the second report is the one returned, with `trimmed` (the bytes removed).
 *
 * Returns `{ report, body, trimmed? }`.
 */
export function inspectCapture(hook, request, now) {
  const report = hook.inspect({ headers: request.headers, body: request.body, now });
  const signature = report.steps.find((s) => s.id === "signature");
  const retry = signature?.code === "signature_mismatch" && !lengthDeclared(request) ? withoutTrailingBreaks(request.body) : undefined;
  if (retry !== undefined) {
    const second = hook.inspect({ headers: request.headers, body: retry, now });
    if (second.steps.find((s) => s.id === "signature")?.status === "pass") {
      return { report: second, body: retry, trimmed: bodyBytes(request.body) - bodyBytes(retry) };
    }
  }
  return { report, body: request.body };
}

/**
 * The verdict of a report in words both tools print: the step that failed
 * (when one did) and what an endpoint configured the same way answers.
 * Returns `{ accepted, failedStep?, answer: { status, code?, body? } }`.
 */
export function verdictOf(report) {
  if (report.result) {
    const r = report.result;
    const body = r.kind === "challenge" ? JSON.stringify(r.response) : undefined;
    return { accepted: true, answer: { status: 200, ...(body ? { body } : {}) } };
  }
  const failed = report.steps.find((s) => s.status === "fail");
  return {
    accepted: false,
    ...(failed ? { failedStep: { id: failed.id, code: failed.code ?? null, detail: failed.detail } } : {}),
    answer: { status: report.error.status, code: report.error.code },
  };
}
