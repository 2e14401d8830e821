// `larkhook trigger`: posts a delivery to an endpoint as the platform would
// (a documentation-shaped sample with a fresh event_id and the current time,
// or your own JSON), encrypted and signed with createTestDelivery; the
// URL-verification challenge unsigned, as the platform sends it. Prints the
// HTTP status, the answer and the time taken.

import { readFile } from "node:fs/promises";

import { createTestDelivery } from "larkhook";

import { CALLBACK_TYPES } from "../core/codes.generated.mjs";
import { sampleEvent } from "../tools/samples.mjs";
import { EXIT, HELPDESK_EVENTS, SAMPLE_EVENTS, UsageError, displayUrl, networkProblem, parseOptions, sampleEventType, secretOption, timeoutMs, usage, version } from "./common.mjs";

const CHALLENGE = "url_verification";
/** The types whose answer is a body the platform shows (a toast, a card). */
const CALLBACKS = new Set(CALLBACK_TYPES);

export const USAGE = usage("trigger");

export const HELP = `Send a delivery to a webhook endpoint, built, encrypted and signed as the platform does.

${USAGE}

<event> is one of
  ${CHALLENGE.padEnd(36)} the URL-verification challenge (short: challenge), unsigned
${SAMPLE_EVENTS.filter((e) => !CALLBACKS.has(e.type)).map((e) => `  ${e.type.padEnd(36)} a documentation sample (short: ${e.name})`).join("\n")}
  ${"card.action.trigger".padEnd(36)} a card button click (short: card): the answer is the
  ${"".padEnd(36)} toast and card to show, printed as received
  ${"card_action".padEnd(36)} the same on the legacy message-card callback: plain JSON,
  ${"".padEnd(36)} signed with SHA-1 over the Verification Token (needs one)
  ${"all".padEnd(36)} the challenge, then one of each ticket event
Each sample has a fresh event_id and the current time. With --event-file, <event>
may be left out: the file's JSON is sent as it is (the token written in; with
<event> card_action, sent as a legacy card callback).

Options:
  --url URL                the endpoint, e.g. http://127.0.0.1:8787/webhook/event (required)
  --encrypt-key K          encrypt and sign with this Encrypt Key (or LARK_ENCRYPT_KEY);
                           without one the body is plain JSON, unsigned
  --verification-token T   write this token into the payload (or LARK_VERIFICATION_TOKEN)
  --event-file F           send the JSON event in F instead of a sample
  --timeout S              give up after S seconds (default 10)
  --json                   print the outcome as JSON
  -h, --help               this help

Exit codes: 0 every answer was 2xx; 1 an answer was not; 2 bad usage;
3 the endpoint could not be reached.

Example:
  LARK_ENCRYPT_KEY=… LARK_VERIFICATION_TOKEN=… larkhook trigger all --url http://127.0.0.1:8787/webhook/event`;

/** How long the platform waits for an answer before it counts a failure (challenge: 1 s). */
const PLATFORM_WAIT_MS = { challenge: 1000, event: 3000, callback: 3000 };

export async function run(args, { stdout, stderr, env, secrets }) {
  const { values, positionals } = parseOptions(
    args,
    {
      url: { type: "string" },
      "encrypt-key": { type: "string" },
      "verification-token": { type: "string" },
      "event-file": { type: "string" },
      timeout: { type: "string" },
      json: { type: "boolean" },
    },
    1,
  );
  if (values.help) {
    stdout.line(HELP);
    return EXIT.ok;
  }
  const key = secretOption(values, "encrypt-key", env, secrets);
  const token = secretOption(values, "verification-token", env, secrets);
  const timeout = timeoutMs(values.timeout, 10);
  const url = endpoint(values.url);
  const named = positionals[0];
  const types = named === undefined ? [] : named === "all" ? [CHALLENGE, ...HELPDESK_EVENTS.map((e) => e.type)] : [eventType(named)];
  if (types.includes("card_action") && token.values.length === 0) {
    throw new UsageError("card_action (the legacy card callback) is signed with the Verification Token: give --verification-token (or LARK_VERIFICATION_TOKEN)");
  }
  if (values["event-file"] === undefined && types.length === 0) throw new UsageError("which event? e.g. `larkhook trigger created --url …` (or --event-file F)");
  if (values["event-file"] !== undefined && named === "all") throw new UsageError("--event-file sends one event: leave out `all`");

  let events;
  if (values["event-file"] !== undefined) {
    let text;
    try {
      text = await readFile(values["event-file"], "utf8");
    } catch (error) {
      stderr.line(`larkhook trigger: cannot read ${values["event-file"]}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
      return EXIT.usage;
    }
    const type = typeOf(text);
    if (type === undefined) {
      stderr.line(`larkhook trigger: ${values["event-file"]} is not a JSON object (an event: {"schema":"2.0","header":{…},"event":{…}})`);
      return EXIT.usage;
    }
    if (types[0] === "card_action") events = [{ type: "card_action", json: text }];
    else if (types.length === 1 && types[0] !== type) stderr.line(`larkhook trigger: note: ${values["event-file"]} holds ${type}, not ${types[0]}; sending the file`);
    events ??= [{ type, json: text }];
  } else {
    const now = Date.now() / 1000;
    events = types.map((type) => ({ type, json: sampleEvent(type, now) }));
  }

  const outcomes = [];
  for (const event of events) {
    let delivery;
    try {
      delivery =
        event.type === "card_action"
          ? // The legacy callback is never encrypted; the token signs it.
            createTestDelivery({ event: event.json, verificationToken: token.values[0], kind: "card_action" })
          : createTestDelivery({ event: event.json, encryptKey: key.values[0], verificationToken: token.values[0] });
    } catch (error) {
      stderr.line(`larkhook trigger: cannot build the delivery: ${error.message}`);
      return EXIT.usage;
    }
    const outcome = await post(url, event, delivery, timeout);
    outcomes.push(outcome);
    if (!values.json) print(stdout, stderr, outcome, { key, token });
  }
  if (values.json) stdout.json({ ok: outcomes.every((o) => o.ok), deliveries: outcomes });
  if (outcomes.some((o) => o.error !== undefined)) return EXIT.unreachable;
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.refused;
}

function endpoint(text) {
  if (text === undefined) throw new UsageError("--url is required: the endpoint to post to, e.g. --url http://127.0.0.1:8787/webhook/event");
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError("--url is not a URL: e.g. --url http://127.0.0.1:8787/webhook/event");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError("--url must be http:// or https://");
  return url;
}

function eventType(name) {
  if (name === CHALLENGE || name === "challenge") return CHALLENGE;
  const event = sampleEventType(name);
  if (event) return event.type;
  const known = [CHALLENGE, ...SAMPLE_EVENTS.map((e) => e.type), "all"].join(", ");
  throw new UsageError(`${/^[\w.-]{1,60}$/.test(name) ? `unknown event "${name}"` : "unknown event"}: expected one of ${known} (or the short forms challenge, ${SAMPLE_EVENTS.map((e) => e.name).join(", ")})`);
}

/** The event type of JSON text (`type` for a challenge or schema 1.0), or undefined when it is not a JSON object. */
function typeOf(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  if (value.type === CHALLENGE) return CHALLENGE;
  return String(value.header?.event_type ?? value.event?.type ?? value.type ?? "(no event type)");
}

async function post(url, event, delivery, timeout) {
  const kind = event.type === CHALLENGE ? "challenge" : CALLBACKS.has(event.type) ? "callback" : "event";
  const sent = JSON.parse(event.json);
  const outcome = {
    event_type: event.type,
    ...(kind === "challenge" ? { challenge: sent.challenge ?? null } : { event_id: sent.header?.event_id ?? sent.uuid ?? null }),
    url: displayUrl(url),
    encrypted: /^\{"encrypt":/.test(delivery.body),
    signed: delivery.headers["X-Lark-Signature"] !== undefined,
  };
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { ...delivery.headers, "user-agent": `larkhook-cli/${version()}` },
      body: delivery.body,
      // The platform follows no redirect: a 3xx is a failed delivery.
      redirect: "manual",
      signal: AbortSignal.timeout(timeout),
    });
    const answer = await response.text();
    const ms = Math.round(performance.now() - started);
    const warnings = [];
    if (response.status !== 200 && response.ok) warnings.push(`the platform counts any status but 200 as a failure and retries`);
    if (ms > PLATFORM_WAIT_MS[kind]) warnings.push(`slower than the ${PLATFORM_WAIT_MS[kind] / 1000} s the platform waits: it would count a failure${kind === "event" ? " and retry" : ""}`);
    if (kind === "callback" && response.ok && !isJsonObject(answer)) {
      warnings.push("a callback's answer must be a JSON object ({} changes nothing; { toast, card } shows them): the platform would show an error");
    }
    if (kind === "challenge" && response.ok && echoed(answer) !== sent.challenge) {
      warnings.push(`the answer does not echo the challenge as {"challenge":"${sent.challenge}"}: the console would refuse to save this request URL`);
    }
    const hint = pathHint(response.status, url);
    return { ...outcome, ok: response.ok, status: response.status, status_text: response.statusText, answer, ms, warnings, ...(hint ? { hint } : {}) };
  } catch (error) {
    return { ...outcome, ok: false, status: null, error: `could not reach ${displayUrl(url)}: ${networkProblem(error, timeout)}`, ms: Math.round(performance.now() - started) };
  }
}

/** What a 404 or 405 most often means here: a URL whose path is not the endpoint's. */
function pathHint(status, url) {
  if (status !== 404 && status !== 405) return undefined;
  const what = status === 404 ? "nothing answers at this path" : "this path does not take a POST";
  return `check the path (the example serves /webhook/event): ${what}, and --url's path is ${url.pathname}`;
}

function isJsonObject(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

function echoed(answer) {
  try {
    return JSON.parse(answer)?.challenge;
  } catch {
    return undefined;
  }
}

function print(o, e, outcome, { key, token }) {
  const what =
    outcome.event_type === CHALLENGE
      ? `${CHALLENGE}, challenge ${outcome.challenge}`
      : outcome.event_type === "card_action"
        ? "card_action, a legacy message-card callback (no event_id)"
        : `${outcome.event_type}, event_id ${outcome.event_id}`;
  const legacy = outcome.event_type === "card_action";
  const how = [
    legacy ? "plain JSON (never encrypted)" : outcome.encrypted ? `encrypted with the Encrypt Key from ${key.from}` : "plain JSON (no Encrypt Key)",
    legacy ? "signed with SHA-1 over the Verification Token" : outcome.signed ? "signed" : outcome.encrypted ? "unsigned, as the platform sends a challenge" : "unsigned",
    token.values.length ? `Verification Token from ${token.from}` : "no Verification Token",
  ];
  o.line(`${o.style("bold", "→ POST")} ${outcome.url}\n  ${what}\n  ${how.join("; ")}`);
  if (outcome.error !== undefined) {
    e.line(`${e.style("red", "✗")} ${outcome.error} (after ${outcome.ms} ms): is the server running, and the URL right?`);
    return;
  }
  const status = `HTTP ${outcome.status}${outcome.status_text ? ` ${outcome.status_text}` : ""}`;
  o.line(`${o.style(outcome.ok ? "green" : "red", `← ${status}`)} in ${outcome.ms} ms`);
  if (outcome.answer !== "") o.line(`  ${outcome.answer.length > 2000 ? `${outcome.answer.slice(0, 2000)}… (${outcome.answer.length} characters)` : outcome.answer}`);
  if (outcome.hint) o.line(o.style("yellow", `  hint: ${outcome.hint}`));
  for (const warning of outcome.warnings) o.line(o.style("yellow", `  warning: ${warning}`));
}
