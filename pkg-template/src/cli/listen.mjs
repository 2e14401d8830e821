// `larkhook listen`: real events in a terminal, with no public URL. Opens
// the long connection (createLongConnection) as the app, prints one
// summarize() line per event (or, with --json, each inbound as one JSON
// line, tokens redacted) and acks 200. With --forward-to, each event is
// posted to that URL as the platform would over HTTP (encrypted and signed
// with --encrypt-key, header.token set to --verification-token, the original
// event_id kept) and acked 200 only when the URL answers 200; a card
// callback's answer is relayed back (and acked 500 when the URL did not
// answer 200, as the platform would have been answered over HTTP). Ctrl-C
// stops cleanly (exit 0).
// stdout carries only the event lines; everything else goes to stderr.

import { createLongConnection, createTestDelivery, summarize } from "larkhook";
import { CALLBACK_TYPES } from "../core/codes.generated.mjs";
import { EXIT, UsageError, networkProblem, parseOptions, redactTokens, secretOption, timeoutMs, usage } from "./common.mjs";

export const USAGE = usage("listen");

// What a callback's handler resolves to when the endpoint did not answer 200.
// The long connection acks a callback 500 only where createHandler would
// answer 5xx: for a value that cannot be an answer. That is how the
// endpoint's failure is relayed (throwing would answer the error toast);
// onError's invalid_callback_answer for it is not printed again.
const NOT_ANSWERED = Symbol("the endpoint did not answer 200");

export const HELP = `Receive the app's events over the long connection (no public URL) and print them,
or forward them to a local endpoint as the platform would over HTTP.

${USAGE}

Options (each secret also from the environment):
  --app-id ID              the custom app's App ID (LARK_APP_ID)
  --app-secret S           its App Secret (LARK_APP_SECRET)
  --domain D               feishu (default), lark, or the Open Platform's base URL
  --json                   print each inbound as one JSON line (tokens redacted)
  --forward-to URL         post each event to URL, e.g. http://127.0.0.1:8787/webhook/event;
                           acked 200 only when URL answers 200 (500 otherwise);
                           card answers relayed back
  --encrypt-key K          with --forward-to: encrypt and sign as the platform would (LARK_ENCRYPT_KEY)
  --verification-token T   with --forward-to: the token written into header.token (LARK_VERIFICATION_TOKEN)
  --timeout S              with --forward-to: give the endpoint S seconds (default 2.5)
  -h, --help               this help

The app must be a custom app set to receive events through the long connection
(developer console → Events & Callbacks → subscription mode). Each event goes to
one of the app's connected clients, at random: stop other listeners to see them all.

Exit codes: 0 stopped with Ctrl-C; 1 the platform refused the app (auth_failed,
connection_limit, forbidden); 2 bad usage, or the ws package is missing on Node;
3 the Open Platform could not be reached.

Examples:
  export LARK_APP_ID=cli_… LARK_APP_SECRET=…
  larkhook listen
  larkhook listen --forward-to http://127.0.0.1:8787/webhook/event --encrypt-key "$LARK_ENCRYPT_KEY"`;

const DOMAIN_NAMES = new Set(["feishu", "lark"]);

function options(args, env, secrets) {
  const { values, positionals } = parseOptions(
    args,
    {
      "app-id": { type: "string" },
      "app-secret": { type: "string" },
      domain: { type: "string" },
      json: { type: "boolean" },
      "forward-to": { type: "string" },
      "encrypt-key": { type: "string" },
      "verification-token": { type: "string" },
      timeout: { type: "string" },
    },
    0,
  );
  if (values.help) return { help: true };
  if (positionals.length > 0) throw new UsageError("listen takes no arguments besides the options");
  const appId = secretOption(values, "app-id", env, secrets).values[0];
  const appSecret = secretOption(values, "app-secret", env, secrets).values[0];
  if (!appId) throw new UsageError("--app-id (or LARK_APP_ID) is required: the custom app's App ID");
  if (!appSecret) throw new UsageError("--app-secret (or LARK_APP_SECRET) is required: the app's App Secret");
  const domain = values.domain ?? "feishu";
  if (!DOMAIN_NAMES.has(domain) && !/^https?:\/\/[^\s/?#]+/.test(domain)) throw new UsageError("--domain must be feishu, lark or a base URL (https://…)");
  let forwardTo;
  if (values["forward-to"] !== undefined) {
    try {
      forwardTo = new URL(values["forward-to"]);
    } catch {
      throw new UsageError("--forward-to must be a URL, e.g. http://127.0.0.1:8787/webhook/event");
    }
    if (!/^https?:$/.test(forwardTo.protocol)) throw new UsageError("--forward-to must be an http:// or https:// URL");
  }
  const key = secretOption(values, "encrypt-key", env, secrets).values[0];
  const token = secretOption(values, "verification-token", env, secrets).values[0];
  if (forwardTo === undefined && (values["encrypt-key"] !== undefined || values["verification-token"] !== undefined)) {
    throw new UsageError("--encrypt-key and --verification-token go with --forward-to");
  }
  return { appId, appSecret, domain, json: values.json === true, forwardTo, key, token, timeout: timeoutMs(values.timeout, 2.5) };
}

/** Posts one inbound to the endpoint as the platform would; the endpoint's status, its JSON answer, the time taken. */
async function forward(inbound, { forwardTo, key, token, timeout }) {
  // The text as received: 64-bit ids stay exact and the event_id is the platform's.
  const delivery = createTestDelivery({ event: inbound.raw, encryptKey: key, verificationToken: token });
  const started = performance.now();
  const response = await fetch(forwardTo, {
    method: "POST",
    headers: { "content-type": "application/json", ...delivery.headers },
    body: delivery.body,
    redirect: "manual",
    signal: AbortSignal.timeout(timeout),
  });
  const text = await response.text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = undefined;
  }
  return { status: response.status, answer, ms: Math.round(performance.now() - started) };
}

/** The one handler of every event and callback: prints it, and forwards it when `--forward-to` is given (its answer relayed for a card). */
function printingHandler(o, { stdout, stderr }) {
  const print = (inbound) => {
    if (!o.json) return stdout.line(summarize(inbound));
    const { raw, ...shown } = redactTokens(inbound);
    stdout.line(JSON.stringify(shown));
  };
  const isCard = (inbound, context) => context.type === "card" || CALLBACK_TYPES.includes(inbound.event_type);

  return async function handle(inbound, context) {
    print(inbound);
    const card = isCard(inbound, context);
    if (o.forwardTo === undefined) return card ? {} : undefined;
    const failed = (said, error) => {
      stderr.line(stderr.style("red", `  → ${said}; acked 500${card ? "" : ", the platform will redeliver"}`));
      if (card) return NOT_ANSWERED;
      throw error;
    };
    let result;
    try {
      result = await forward(inbound, o);
    } catch (error) {
      return failed(`${o.forwardTo.origin}: ${networkProblem(error, o.timeout)}`, error);
    }
    if (result.status !== 200) return failed(`${result.status} in ${result.ms} ms`, new Error(`the endpoint answered ${result.status}`));
    stderr.line(stderr.style("green", `  → ${result.status} in ${result.ms} ms`));
    const answer = result.answer;
    return card && answer !== null && typeof answer === "object" && !Array.isArray(answer) ? answer : undefined;
  };
}

export async function run(args, { stdout, stderr, env, secrets }) {
  const o = options(args, env, secrets);
  if (o.help) {
    stdout.line(HELP);
    return EXIT.ok;
  }
  const handle = printingHandler(o, { stdout, stderr });
  let opened = false;
  let unreachable;
  const connection = createLongConnection({
    appId: o.appId,
    appSecret: o.appSecret,
    domain: o.domain,
    // Forwarded events are deduplicated by the endpoint (it decides the ack); printed ones here.
    dedup: o.forwardTo === undefined ? undefined : false,
    deadlineMs: o.forwardTo === undefined ? undefined : o.timeout + 500,
    // Callbacks run only their own handler (never the catch-all): each is named.
    on: Object.fromEntries(["*", ...CALLBACK_TYPES].map((type) => [type, handle])),
    onError(error) {
      if (error?.code === "connect_failed" && !opened) {
        unreachable = error;
        connection.stop({ timeoutMs: 0 });
        return;
      }
      // A forwarding failure was printed with its event already.
      if (o.forwardTo !== undefined && error instanceof Error && error.name !== "LarkWebhookError") return;
      if (o.forwardTo !== undefined && error?.code === "invalid_callback_answer") return;
      stderr.line(stderr.style("yellow", `larkhook listen: ${error?.code ?? "error"}: ${error?.message ?? error}`));
    },
  });
  try {
    await connection.start();
  } catch (error) {
    if (unreachable !== undefined) {
      stderr.line(`larkhook listen: could not reach the Open Platform: ${unreachable.message.replace(/; retrying$/, "")}`);
      return EXIT.unreachable;
    }
    stderr.line(`larkhook listen: ${error?.code ?? "error"}: ${error?.message ?? error}`);
    if (error?.code === "unsupported_runtime") {
      stderr.line("  with npx: npx -p larkhook -p ws larkhook listen …");
      return EXIT.usage;
    }
    return EXIT.refused;
  }
  opened = true;
  stderr.line(
    stderr.style("dim", `listening on the long connection (${o.domain})${o.forwardTo ? `, forwarding to ${o.forwardTo.href}` : ""}; Ctrl-C to stop`),
  );
  await new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  stderr.line(stderr.style("dim", "stopping: waiting for running handlers…"));
  const drained = await connection.stop({ timeoutMs: 5000 });
  if (!drained) stderr.line("larkhook listen: a handler was still running after 5 s; its event will be redelivered");
  return EXIT.ok;
}
