// What the `larkhook` commands share: exit codes, option parsing, where
// secrets come from, the event names, output with colour on a terminal, and
// the guard that keeps secrets out of everything printed.
// ES module only (Node ≥ 20): the command line is not part of the JavaScript API.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { EventType } from "../core/codes.generated.mjs";

/** Exit codes of every command (documented in the README). */
export const EXIT = Object.freeze({
  ok: 0,
  /** inspect: `parse` refuses the delivery; trigger: a non-2xx answer; helpdesk: the platform said no. */
  refused: 1,
  /** bad flags or arguments, unusable input */
  usage: 2,
  /** the endpoint or the Open Platform could not be reached (connection refused, DNS, timeout) */
  unreachable: 3,
  /** a bug in larkhook */
  internal: 70,
});

/**
 * Each command's synopsis: its usage line and the top-level help's, from
 * this one list (lines after the first are indented to line up).
 */
export const SYNOPSIS = Object.freeze({
  trigger: "trigger <event> --url URL [--encrypt-key K] [--verification-token T] [--event-file F] [--timeout S] [--json]",
  schema: "schema [<event_type>]",
  inspect: "inspect [FILE|-] [--encrypt-key K]... [--verification-token T]... [--now UNIX] [--entry N] [--body FILE] [--json]",
  helpdesk:
    "helpdesk subscribe|unsubscribe --app-id ID --app-secret S --helpdesk-id H --helpdesk-token HT\n" +
    "         [--domain feishu|lark] [--base-url URL] [--events created,updated,message] [--timeout S] [--json]",
  listen:
    "listen --app-id ID --app-secret S [--domain feishu|lark|URL] [--json]\n" +
    "       [--forward-to URL [--encrypt-key K] [--verification-token T] [--timeout S]]",
});

/** `usage: larkhook <synopsis>`, continuation lines indented under the command. */
export function usage(command) {
  return `usage: larkhook ${SYNOPSIS[command].replace(/\n/g, `\n${" ".repeat("usage: larkhook ".length)}`)}`;
}

/** The environment variable behind each secret flag. */
export const SECRET_ENV = Object.freeze({
  "encrypt-key": "LARK_ENCRYPT_KEY",
  "verification-token": "LARK_VERIFICATION_TOKEN",
  "app-id": "LARK_APP_ID",
  "app-secret": "LARK_APP_SECRET",
  "helpdesk-id": "LARK_HELPDESK_ID",
  "helpdesk-token": "LARK_HELPDESK_TOKEN",
});

/** The three helpdesk events by their short names (`created`, `updated`, `message`). */
export const HELPDESK_EVENTS = Object.freeze([
  { name: "created", type: EventType.TicketCreatedV1 },
  { name: "updated", type: EventType.TicketUpdatedV1 },
  { name: "message", type: EventType.TicketMessageCreatedV1 },
]);

/** A helpdesk event by short name (`created`), full type (`helpdesk.ticket.created_v1`) or subtype (`ticket.created_v1`). */
export function helpdeskEvent(name) {
  return HELPDESK_EVENTS.find((e) => name === e.name || name === e.type || `helpdesk.${name}` === e.type);
}

/**
 * Every sample `larkhook trigger` sends: the three ticket events, the
 * approval event, and the card callbacks (`card_action` is the legacy
 * message-card callback, plain and signed with SHA-1 over the Verification Token).
 */
export const SAMPLE_EVENTS = Object.freeze([
  ...HELPDESK_EVENTS,
  { name: "approve", type: EventType.NotificationApproveV1 },
  { name: "card", type: EventType.CardActionTrigger },
  { name: "card_action", type: "card_action" },
]);

/** A sample by short name, full type or helpdesk subtype. */
export function sampleEventType(name) {
  return SAMPLE_EVENTS.find((e) => name === e.name || name === e.type || `helpdesk.${name}` === e.type);
}

/** The package's version (package.json sits one folder up from this file in the package). */
export function version() {
  try {
    return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
  } catch {
    return "unknown";
  }
}

/** Bad flags or arguments: the command prints its usage and exits with EXIT.usage. */
export class UsageError extends Error {}

/**
 * `parseArgs` with `--help`, strict options and at most `maxPositionals`
 * arguments. Its error messages name options, never values, so a secret
 * given to the wrong flag is not echoed.
 */
export function parseOptions(args, options, maxPositionals) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { help: { type: "boolean", short: "h" }, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's advice on positionals that start with "-" does not apply here.
    throw new UsageError(error.message.split("\n")[0].split(". To specify")[0]);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`expected at most ${maxPositionals} argument${maxPositionals === 1 ? "" : "s"} besides the options, got ${parsed.positionals.length}`);
  }
  return parsed;
}

/**
 * The values of a secret flag, or else of its environment variable, each
 * registered with `secrets` so that it is never printed. Empty values count
 * as unset (`LARK_ENCRYPT_KEY=` means no key). Returns `{ values, from }`.
 */
export function secretOption(values, flag, env, secrets) {
  const given = [values[flag]].flat().filter((v) => typeof v === "string" && v !== "");
  const envName = SECRET_ENV[flag];
  const list = given.length > 0 ? given : env[envName] ? [env[envName]] : [];
  for (const value of list) secrets.add(value);
  return { values: list, from: given.length > 0 ? `--${flag}` : list.length > 0 ? envName : undefined };
}

/** A positive number of seconds from a flag, in milliseconds. */
export function timeoutMs(text, fallbackSeconds) {
  if (text === undefined) return fallbackSeconds * 1000;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) throw new UsageError(`--timeout must be a number of seconds, e.g. --timeout ${fallbackSeconds}`);
  return seconds * 1000;
}

const REDACTED = "[redacted]";

/**
 * Every secret value seen (flags, environment, the tenant token); `scrub`
 * replaces each, also in its JSON-escaped form, before anything is printed.
 * A safety net: the commands do not print secrets in the first place.
 */
export class Secrets {
  #values = [];

  add(value) {
    // Shorter strings would match ordinary words; the commands never print secrets anyway.
    if (typeof value !== "string" || value.length < 4) return;
    for (const form of [value, JSON.stringify(value).slice(1, -1)]) {
      if (!this.#values.includes(form)) this.#values.push(form);
    }
    this.#values.sort((a, b) => b.length - a.length);
  }

  scrub(text) {
    let out = String(text);
    for (const value of this.#values) out = out.split(value).join(REDACTED);
    return out;
  }
}

/**
 * JSON text with the value of every `"token"` member replaced: a delivery's
 * payload carries the Verification Token (`header.token`, or `token` in a
 * challenge and a schema 1.0 event). Strings are scanned from their opening
 * quote, so keys written with escapes (`"\u0074oken"`) are found too.
 */
export function redactJsonText(text) {
  const literal = /"(?:[^"\\]|\\.)*"/y;
  let out = "";
  let copied = 0;
  let secretNext = false;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      if (!/\s/.test(text[i])) secretNext = false;
      i++;
      continue;
    }
    literal.lastIndex = i;
    const match = literal.exec(text);
    if (!match) break;
    const end = i + match[0].length;
    if (secretNext) {
      out += `${text.slice(copied, i)}"${REDACTED}"`;
      copied = end;
      secretNext = false;
      i = end;
      continue;
    }
    let j = end;
    while (j < text.length && /\s/.test(text[j])) j++;
    if (text[j] === ":" && decodeString(match[0]) === "token") {
      secretNext = true;
      i = j + 1;
      continue;
    }
    i = end;
  }
  return out + text.slice(copied);
}

function decodeString(literal) {
  try {
    return JSON.parse(literal);
  } catch {
    return undefined;
  }
}

/** A copy of a parsed value with every `token` member's string replaced (see redactJsonText). */
export function redactTokens(value) {
  if (Array.isArray(value)) return value.map(redactTokens);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === "token" && typeof item === "string" ? REDACTED : key === "raw" && typeof item === "string" ? redactJsonText(item) : redactTokens(item);
  }
  // A parse result's `raw` is not enumerable (it holds the token): shown here redacted.
  if (!("raw" in out) && typeof value.raw === "string") out.raw = redactJsonText(value.raw);
  return out;
}

const STYLES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] };

/**
 * One output stream: every write goes through `secrets.scrub`; colour only
 * on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb.
 */
export class Output {
  constructor(stream, env, secrets) {
    this.stream = stream;
    this.secrets = secrets;
    this.color = Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== "dumb";
  }

  write(text) {
    this.stream.write(this.secrets.scrub(text));
  }

  line(text = "") {
    this.write(`${text}\n`);
  }

  /** `text` in a style (bold, dim, red, green, yellow, cyan) when colour is on. */
  style(name, text) {
    if (!this.color) return text;
    const [on, off] = STYLES[name];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  }

  /** Pretty JSON on one stream. */
  json(value) {
    this.line(JSON.stringify(value, null, 2));
  }
}

/** A URL for display: credentials in it are hidden. */
export function displayUrl(url) {
  const copy = new URL(url);
  if (copy.username || copy.password) {
    copy.username = "…";
    copy.password = "";
  }
  return copy.href;
}

/** What went wrong in a `fetch` that threw: a timeout, or the network error's code and message. */
export function networkProblem(error, timeout) {
  if (error?.name === "TimeoutError" || error?.name === "AbortError") return `no answer within ${timeout / 1000} s`;
  const cause = error?.cause ?? error;
  // Node reports a failed connection to several addresses as an AggregateError with an empty message.
  const message = String(cause?.message || cause?.errors?.[0]?.message || cause?.code || cause);
  return cause?.code && !message.includes(cause.code) ? `${cause.code}: ${message}` : message;
}
