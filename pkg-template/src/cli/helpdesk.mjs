// `larkhook helpdesk subscribe|unsubscribe`: the helpdesk events reach the
// request URL only once the app has subscribed to them with the helpdesk
// API (setting the URL in the console is not enough). Gets a tenant access
// token, then calls POST /open-apis/helpdesk/v1/events/{subscribe,unsubscribe}.
// The tenant token, the app secret and the helpdesk token are never printed.

import { EXIT, HELPDESK_EVENTS, SECRET_ENV, UsageError, helpdeskEvent, networkProblem, parseOptions, secretOption, timeoutMs, usage } from "./common.mjs";

export const DOMAINS = Object.freeze({ feishu: "https://open.feishu.cn", lark: "https://open.larksuite.com" });
const TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
const EVENTS_PATH = "/open-apis/helpdesk/v1/events/";
const JSON_TYPE = "application/json; charset=utf-8";

export const USAGE = usage("helpdesk");

export const HELP = `Subscribe (or unsubscribe) the app to the helpdesk events. Without this call no
helpdesk event reaches the request URL, whatever the console says.

${USAGE}

Options (each secret also from the environment):
  --app-id ID              the custom app's App ID (LARK_APP_ID)
  --app-secret S           its App Secret (LARK_APP_SECRET)
  --helpdesk-id H          the helpdesk's ID (LARK_HELPDESK_ID)
  --helpdesk-token HT      the helpdesk's token (LARK_HELPDESK_TOKEN), from the helpdesk admin console
  --domain feishu|lark     ${DOMAINS.feishu} (default) or ${DOMAINS.lark}
  --base-url URL           another Open Platform origin (overrides --domain)
  --events LIST            comma-separated, default all: ${HELPDESK_EVENTS.map((e) => e.name).join(",")}
                           (or the full types, e.g. ${HELPDESK_EVENTS[0].type})
  --timeout S              give up on a call after S seconds (default 15)
  --json                   print the outcome as JSON
  -h, --help               this help

The app needs the permission helpdesk:all:readonly, in a published app version.
Only custom (self-built) apps can subscribe.

Exit codes: 0 the platform answered code 0; 1 it did not (its code, msg and what
to do are printed); 2 bad usage; 3 the Open Platform could not be reached.

Example:
  export LARK_APP_ID=cli_… LARK_APP_SECRET=… LARK_HELPDESK_ID=… LARK_HELPDESK_TOKEN=…
  larkhook helpdesk subscribe`;

/** What to do about the helpdesk API's documented error codes. */
const ADVICE = {
  154000:
    "the helpdesk API refused the request as malformed: check --helpdesk-id and --helpdesk-token (the helpdesk's ID and token, from the helpdesk admin console) and --events",
  154003:
    "the app lacks the helpdesk permission: in the developer console, add helpdesk:all:readonly under Permissions & Scopes, then create and publish a new app version (a permission takes effect only once a version requesting it is released), and run this again",
  155000: "an internal error at the Open Platform: try again in a minute; if it persists, report it to Lark / Feishu support with the log id",
};
const TOKEN_ADVICE =
  "check --app-id and --app-secret (developer console → your app → Credentials & Basic Info); only a custom (self-built) app gets a tenant token this way; an app created on Lark (larksuite.com) needs --domain lark";
/** The Open Platform's general codes for a missing scope (the app lacks a permission). */
const PERMISSION_CODES = new Set([99991672, 99991676]);
const PERMISSION_ADVICE = ADVICE[154003];
const HELPDESK_CREDENTIALS_ADVICE =
  "the call was refused as unauthorized: check --helpdesk-id and --helpdesk-token (helpdesk admin console), and that the app has helpdesk:all:readonly in a published version";

export async function run(args, { stdout, stderr, env, secrets }) {
  const { values, positionals } = parseOptions(
    args,
    {
      "app-id": { type: "string" },
      "app-secret": { type: "string" },
      "helpdesk-id": { type: "string" },
      "helpdesk-token": { type: "string" },
      domain: { type: "string" },
      "base-url": { type: "string" },
      events: { type: "string" },
      timeout: { type: "string" },
      json: { type: "boolean" },
    },
    1,
  );
  if (values.help) {
    stdout.line(HELP);
    return EXIT.ok;
  }
  const action = positionals[0];
  if (action !== "subscribe" && action !== "unsubscribe") {
    throw new UsageError(action === undefined ? "subscribe or unsubscribe?" : "expected subscribe or unsubscribe");
  }
  const credentials = {};
  const missing = [];
  for (const flag of ["app-id", "app-secret", "helpdesk-id", "helpdesk-token"]) {
    const { values: list } = secretOption(values, flag, env, secrets);
    if (list.length === 0) missing.push(`--${flag}`);
    credentials[flag] = list[0];
  }
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(", ")} (or the environment: ${missing.map((f) => SECRET_ENV[f.slice(2)]).join(", ")})`);
  const base = baseUrl(values.domain, values["base-url"]);
  const origin = { base, chosenBy: values["base-url"] !== undefined ? "--base-url" : values.domain !== undefined ? `--domain ${values.domain}` : "the default domain (feishu)" };
  const events = subscriptions(values.events);
  const timeout = timeoutMs(values.timeout, 15);

  const result = { ok: false, action, base_url: base, events };
  const finish = (fields) => {
    Object.assign(result, fields);
    if (values.json) stdout.json(result);
    else if (result.ok) {
      stdout.line(`${stdout.style("green", action === "subscribe" ? "Subscribed" : "Unsubscribed")}: ${events.map((e) => `${e.type} / ${e.subtype}`).join(", ")} (${base})`);
      if (action === "subscribe") stdout.line("These helpdesk events now go to the request URL saved in the app console (Events & Callbacks). Open a ticket to see one arrive.");
    } else {
      const where = result.step === "tenant_access_token" ? "getting a tenant access token" : `${action} (${EVENTS_PATH}${action})`;
      const code = result.code === undefined ? "" : `: code ${result.code}${result.msg ? `, msg ${JSON.stringify(result.msg)}` : ""}`;
      const how = result.http_status === undefined ? ": no answer" : `, HTTP ${result.http_status}${code}`;
      stderr.line(`${stderr.style("red", "Failed")} ${where}${how}`);
      if (result.problem) stderr.line(`  ${result.problem}`);
      stderr.line(`  What to do: ${result.advice}`);
      if (result.log_id) stderr.line(`  log id (for support): ${result.log_id}`);
    }
    return result.ok ? EXIT.ok : result.unreachable ? EXIT.unreachable : EXIT.refused;
  };

  // 1. The tenant access token.
  const tokenAnswer = await call(`${base}${TOKEN_PATH}`, { "Content-Type": JSON_TYPE }, { app_id: credentials["app-id"], app_secret: credentials["app-secret"] }, timeout);
  const tenantToken = tokenAnswer.json?.tenant_access_token;
  if (typeof tenantToken === "string" && tenantToken !== "") secrets.add(tenantToken);
  // Documented as {"code":0,"tenant_access_token":…}; a token without a code is taken too.
  if ((tokenAnswer.json?.code ?? 0) !== 0 || typeof tenantToken !== "string" || tenantToken === "") {
    return finish({ step: "tenant_access_token", ...failure("tenant_access_token", tokenAnswer, origin) });
  }

  // 2. The subscription call.
  const helpdeskAuth = Buffer.from(`${credentials["helpdesk-id"]}:${credentials["helpdesk-token"]}`, "utf8").toString("base64");
  secrets.add(helpdeskAuth);
  const headers = { Authorization: `Bearer ${tenantToken}`, "Content-Type": JSON_TYPE, "X-Lark-Helpdesk-Authorization": helpdeskAuth };
  const answer = await call(`${base}${EVENTS_PATH}${action}`, headers, { events }, timeout);
  if (answer.json?.code === 0) return finish({ ok: true, step: action, http_status: answer.status, code: 0, msg: answer.json.msg ?? "", log_id: answer.logId });
  return finish({ step: action, ...failure(action, answer, origin) });
}

function baseUrl(domain, override) {
  if (domain !== undefined && !Object.hasOwn(DOMAINS, domain)) throw new UsageError("--domain must be feishu or lark");
  if (override === undefined) return DOMAINS[domain ?? "feishu"];
  let url;
  try {
    url = new URL(override);
  } catch {
    throw new UsageError("--base-url is not a URL, e.g. --base-url https://open.feishu.cn");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError("--base-url must be http:// or https://");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The request body's events: {type, subtype} for each chosen event, e.g. helpdesk.ticket / ticket.created_v1. */
function subscriptions(list) {
  const names = list === undefined ? HELPDESK_EVENTS.map((e) => e.name) : list.split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--events needs at least one of ${HELPDESK_EVENTS.map((e) => e.name).join(", ")}`);
  const types = [];
  for (const name of names) {
    const event = helpdeskEvent(name);
    if (!event) throw new UsageError(`--events: unknown event${/^[\w.-]{1,60}$/.test(name) ? ` "${name}"` : ""}; expected ${HELPDESK_EVENTS.map((e) => e.name).join(", ")} or the full types`);
    if (!types.includes(event.type)) types.push(event.type);
  }
  return types.map((type) => {
    const subtype = type.slice("helpdesk.".length);
    return { type: `helpdesk.${subtype.split(".")[0]}`, subtype };
  });
}

/** POSTs JSON; returns `{ status, json?, text, logId?, error? }`, never throws. */
async function call(url, headers, body, timeout) {
  let response;
  try {
    response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body), redirect: "manual", signal: AbortSignal.timeout(timeout) });
  } catch (error) {
    return { error: `could not reach ${url}: ${networkProblem(error, timeout)}` };
  }
  const logId = response.headers.get("x-tt-logid") ?? undefined;
  let text;
  try {
    text = await response.text();
  } catch (error) {
    return { status: response.status, logId, error: `the answer from ${url} broke off: ${networkProblem(error, timeout)}` };
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: reported below with the status and the start of the text.
  }
  return { status: response.status, json: json !== null && typeof json === "object" ? json : undefined, text, logId };
}

/**
 * The fields of a failed call for the output, the advice chosen by what
 * failed: `cause` is unreachable, not_found, credentials, permission,
 * platform_error, not_json or refused (a platform code with its own advice).
 */
function failure(step, answer, origin) {
  const tokenStep = step === "tenant_access_token";
  const path = tokenStep ? TOKEN_PATH : `${EVENTS_PATH}${step}`;
  if (answer.status === undefined) {
    return {
      unreachable: true,
      cause: "unreachable",
      problem: answer.error,
      advice: `check the network, and the Open Platform's origin: ${origin.base} (from ${origin.chosenBy}); use --domain lark for larksuite.com, or --base-url for another origin. This command uses no proxy`,
    };
  }
  const fields = { http_status: answer.status, log_id: answer.logId };
  const code = answer.json?.code;
  const platform = typeof code === "number" || typeof code === "string" ? { code, msg: typeof answer.json.msg === "string" ? answer.json.msg : undefined } : {};
  if (answer.status === 404) {
    return {
      ...fields,
      ...platform,
      cause: "not_found",
      problem: `nothing answers at ${path} on ${origin.base} (from ${origin.chosenBy})`,
      advice: "check --base-url: the Open Platform's origin only, with no path (https://open.feishu.cn, or https://open.larksuite.com for Lark, which --domain lark chooses)",
    };
  }
  if (answer.json !== undefined && code !== undefined && code !== 0) {
    if (tokenStep) return { ...fields, ...platform, cause: "credentials", advice: TOKEN_ADVICE };
    if (ADVICE[code]) return { ...fields, ...platform, cause: code === 154003 ? "permission" : "refused", advice: ADVICE[code] };
    if (PERMISSION_CODES.has(Number(code)) || answer.status === 403) return { ...fields, ...platform, cause: "permission", advice: PERMISSION_ADVICE };
    if (answer.status === 401) return { ...fields, ...platform, cause: "credentials", advice: HELPDESK_CREDENTIALS_ADVICE };
  }
  if (answer.status === 401 || answer.status === 403) {
    return { ...fields, ...platform, cause: tokenStep || answer.status === 401 ? "credentials" : "permission", advice: tokenStep ? TOKEN_ADVICE : answer.status === 401 ? HELPDESK_CREDENTIALS_ADVICE : PERMISSION_ADVICE };
  }
  if (answer.status >= 500) {
    return {
      ...fields,
      ...platform,
      cause: "platform_error",
      ...(answer.json === undefined ? { problem: notJson(answer) } : {}),
      advice: "the Open Platform (or a proxy in front of it) failed on its side: try again in a minute; if it persists, report it to Lark / Feishu support with the log id",
    };
  }
  if (answer.json === undefined) {
    return {
      ...fields,
      cause: "not_json",
      problem: answer.error ?? notJson(answer),
      advice: `is ${origin.base} the Open Platform's origin (e.g. https://open.feishu.cn)? A proxy or captive portal may have answered instead`,
    };
  }
  return {
    ...fields,
    ...platform,
    cause: "refused",
    advice: tokenStep
      ? TOKEN_ADVICE
      : "see the code in the Open Platform's error code reference (server-docs, 通用错误码 / general error codes); check the helpdesk ID and token, and the app's permissions",
  };
}

function notJson(answer) {
  return answer.error ?? `the answer is not JSON: ${JSON.stringify((answer.text ?? "").slice(0, 200).replace(/\s+/g, " "))}`;
}
