// The payload inspector: reads the settings and the delivery from the form,
// runs LarkWebhook.inspect (larkhook in WebAssembly, loaded from ./larkhook/),
// and shows the verdict, each check, the typed event and the decrypted JSON.
// No request is made besides loading this page's files.

import { curlCommand } from "./curl.mjs";
import { prettySegments } from "./json-view.mjs";
// The package's own capture readers and samples, shared with `larkhook inspect` and `larkhook trigger`.
import { CAPTURE_FORMATS, inspectCapture, readCapture } from "./larkhook/tools/capture.mjs";
import { byteLength, formatHeaderLines, formatRawRequest, headerValue, parseHeaderLines } from "./larkhook/tools/http-request.mjs";
import { SAMPLES, sampleEvent } from "./larkhook/tools/samples.mjs";
import { checksPreview, icon, stepItems, verdictContent } from "./checks-view.mjs";
import { formatLocal, formatUtc, h, renderTyped, typedJson } from "./typed-view.mjs";

const $ = (id) => document.getElementById(id);


let lark;
try {
  lark = await import("./larkhook/index.browser.mjs");
} catch (error) {
  setVerdict("fail", [
    h("p", { class: "verdict-title" }, "The verifier did not load"),
    h("p", {}, "larkhook/larkhook_bg.wasm and its modules must be served next to this page (build it with make www). ", h("code", {}, String(error?.message ?? error))),
  ]);
  throw error;
}

// ---- state -------------------------------------------------------------

let inspections = 0;
let lastReport;
let lastDelivery = { headers: [], body: "" };
let requestLine = { method: "POST", target: "/webhook/event" };
let cachedHook = { key: "", hook: undefined };
let timer;

// ---- settings ----------------------------------------------------------

function lines(text) {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** "1700000000", "1700000000123" (ms), "2024-05-01T12:00:00Z" → unix seconds. */
function parseNow(text) {
  const t = text.trim();
  if (t === "") return { value: undefined };
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    let seconds = Number(t);
    let how = "unix seconds";
    if (Math.abs(seconds) >= 1e11) {
      seconds /= 1000;
      how = "read as milliseconds";
    }
    return { value: seconds, text: `${formatUtc(seconds * 1000)} (${how})` };
  }
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return { error: "Not unix seconds or a date such as 2024-05-01T12:00:00Z." };
  return { value: ms / 1000, text: `${formatUtc(ms)} = ${Math.floor(ms / 1000)} unix seconds` };
}

function readSettings() {
  const keys = lines($("keys").value);
  const tokens = lines($("tokens").value);
  const off = $("tolerance-off").checked;
  $("tolerance").disabled = off;
  let tolerance = 300;
  let toleranceError;
  if (off) tolerance = null;
  else if ($("tolerance").value.trim() !== "") {
    tolerance = Number($("tolerance").value);
    if (!Number.isFinite(tolerance) || tolerance < 0) toleranceError = "A number of seconds, 0 or more.";
  } else if ($("tolerance").validity.badInput) toleranceError = "A number of seconds, 0 or more.";
  fieldError("tolerance", toleranceError);

  const now = parseNow($("now").value);
  $("now").setAttribute("aria-invalid", now.error ? "true" : "false");
  $("now-parsed").textContent = now.error ?? now.text ?? "";
  $("now-parsed").classList.toggle("error", Boolean(now.error));
  return { keys, tokens, tolerance, toleranceError, now: now.value, nowError: now.error };
}

function fieldError(id, message) {
  const el = $(`${id}-error`);
  el.hidden = !message;
  el.textContent = message ?? "";
  $(id).setAttribute("aria-invalid", message ? "true" : "false");
}

function hookFor(settings) {
  const key = JSON.stringify([settings.keys, settings.tokens, settings.tolerance]);
  if (cachedHook.key !== key || !cachedHook.hook) {
    cachedHook = {
      key,
      hook: new lark.LarkWebhook({
        encryptKey: settings.keys,
        verificationToken: settings.tokens,
        toleranceSeconds: settings.tolerance,
        // A diagnostic tool: with no secret entered it still shows what the delivery holds.
        insecure: true,
      }),
    };
  }
  return cachedHook.hook;
}

// ---- the delivery ------------------------------------------------------

function mode() {
  return document.querySelector('input[name="mode"]:checked').value;
}

/** The HAR entry chosen in the list (shown when a pasted HAR has several POSTs), or undefined. */
function chosenEntry() {
  return $("entry-pane").hidden || $("entry").value === "" ? undefined : Number($("entry").value);
}

/** Lists a HAR's POST entries to choose from; hides the list for anything else. */
function renderEntries(capture) {
  const several = capture.format === "har" && (capture.entries?.length ?? 0) > 1;
  if (!several) {
    $("entry-pane").hidden = true;
    $("entry").replaceChildren();
    return;
  }
  const chosen = capture.entry ?? chosenEntry();
  const options = capture.entries.map((e) => h("option", { value: String(e.number) }, `${e.number}: POST ${e.url}${e.started ? ` at ${e.started}` : ""} (${e.bodyBytes} bytes)`));
  $("entry").replaceChildren(h("option", { value: "" }, "Choose a POST request…"), ...options);
  $("entry").value = chosen === undefined ? "" : String(chosen);
  $("entry-pane").hidden = false;
}

/** The capture in the raw pane, in any format readCapture knows. */
function readRawCapture() {
  const capture = readCapture($("raw").value, { entry: chosenEntry() });
  // A new paste that is not the HAR the choice was made in: read it afresh.
  if (capture.problem && chosenEntry() !== undefined && capture.format === "har" && !capture.entries?.some((e) => e.number === chosenEntry())) {
    return readCapture($("raw").value);
  }
  return capture;
}

function readDelivery() {
  if (mode() === "raw") {
    const parsed = readRawCapture();
    renderEntries(parsed);
    if (parsed.method) requestLine = { method: parsed.method, target: parsed.target ?? "/webhook/event" };
    const format = parsed.format === "raw" || parsed.format === "body" ? [] : [`Read as a ${CAPTURE_FORMATS[parsed.format]}${parsed.entry !== undefined ? `, POST entry ${parsed.entry}` : ""}.`];
    return { ...parsed, notes: [...format, ...parsed.notes, ...(parsed.problem && parsed.format !== "raw" ? [`Cannot check it: ${parsed.problem}.`] : [])] };
  }
  $("entry-pane").hidden = true;
  const parsed = parseHeaderLines($("headers").value);
  return { format: "split", headers: parsed.headers, body: $("body").value, notes: parsed.notes };
}

function writeDelivery({ headers, body, method = "POST", target = "/webhook/event" }) {
  requestLine = { method, target };
  $("raw").value = formatRawRequest({ method, target, headers, body });
  $("headers").value = formatHeaderLines(headers);
  $("body").value = body;
  // Show the request line and headers first, not where the last text scrolled to.
  for (const id of ["raw", "headers", "body"]) $(id).scrollTop = 0;
}

function switchMode() {
  const raw = mode() === "raw";
  // Carry the delivery over to the other form.
  if (raw) {
    const parsed = parseHeaderLines($("headers").value);
    if (parsed.headers.length || $("body").value) $("raw").value = formatRawRequest({ ...requestLine, headers: parsed.headers, body: $("body").value });
    else $("raw").value = "";
  } else {
    const parsed = readRawCapture();
    if (parsed.method) requestLine = { method: parsed.method, target: parsed.target ?? "/webhook/event" };
    $("headers").value = formatHeaderLines(parsed.headers);
    $("body").value = typeof parsed.body === "string" ? parsed.body : new TextDecoder().decode(parsed.body);
  }
  $("raw-pane").hidden = !raw;
  $("split-pane").hidden = raw;
  inspectNow();
}

// ---- rendering ---------------------------------------------------------

function setVerdict(kind, children) {
  const el = $("verdict");
  el.dataset.verdict = kind;
  el.className = `verdict ${kind}`;
  el.replaceChildren(...children);
}

function renderSteps(steps) {
  $("steps").replaceChildren(...stepItems(steps));
  $("checks-card").hidden = false;
}

function renderVerdict(report, settings, trimmed) {
  const { kind, children } = verdictContent(report, settings, trimmed);
  setVerdict(kind, children);
}

let jsonCopyText = "";

function renderJson(report) {
  const card = $("json-card");
  const pre = $("json");
  // A plain (unencrypted) body has no plaintext in the report: show the body.
  const step = (id) => report.steps.find((s) => s.id === id);
  const plain = report.plaintext === undefined && step("body_json")?.status === "pass" && step("decryption")?.status === "skip";
  const text = report.plaintext ?? (plain ? lastDelivery.body : undefined);
  if (text === undefined || text === null) {
    card.hidden = true;
    pre.replaceChildren();
    jsonCopyText = "";
    return;
  }
  card.hidden = false;
  $("json-title").textContent = plain ? "Payload JSON (the body: not encrypted)" : "Decrypted JSON";
  try {
    const segments = prettySegments(text);
    pre.replaceChildren(...segments.map((s) => (s.type === "space" || s.type === "punct" ? s.text : h("span", { class: `j-${s.type}` }, s.text))));
    pre.dataset.pretty = "true";
    jsonCopyText = segments.map((s) => s.text).join("");
  } catch (error) {
    pre.replaceChildren(h("span", { class: "j-error" }, `Not JSON (${error.message}). The text as decrypted:\n\n`), text);
    pre.dataset.pretty = "false";
    jsonCopyText = text;
  }
}

function renderTypedCard(report, settings) {
  const card = $("typed-card");
  const fragment = renderTyped(report, { label: lark.label, tokenChecked: settings.tokens.length > 0 });
  if (!fragment) {
    card.hidden = true;
    $("typed").replaceChildren();
    return;
  }
  card.hidden = false;
  $("typed").replaceChildren(fragment);
}

function renderNotes(notes) {
  const list = $("input-notes");
  list.hidden = notes.length === 0;
  list.replaceChildren(...notes.map((note) => h("li", {}, note)));
}

function renderReplay(delivery, settings) {
  const url = $("endpoint").value.trim() || "http://127.0.0.1:8787/webhook/event";
  const pre = $("curl");
  const expiry = $("expiry");
  if (!delivery.body && delivery.headers.length === 0) {
    pre.textContent = "Generate a sample or paste a delivery first.";
    expiry.textContent = "";
    $("copy-curl").disabled = true;
    return;
  }
  $("copy-curl").disabled = false;
  pre.textContent = curlCommand(url, delivery.headers, typeof delivery.body === "string" ? delivery.body : new TextDecoder().decode(delivery.body));
  const ts = headerValue(delivery.headers, "x-lark-request-timestamp");
  if (ts === undefined) {
    expiry.textContent = "Unsigned: an endpoint accepts an unsigned delivery only when it is the URL-verification challenge.";
  } else if (!/^\d+$/.test(ts.trim())) {
    expiry.textContent = "The timestamp header is not unix seconds: an endpoint refuses it (invalid_timestamp).";
  } else if (settings.tolerance === null) {
    expiry.textContent = "The replay window is off here; your endpoint probably has one (300 s by default).";
  } else {
    const until = (Number(ts) + settings.tolerance) * 1000;
    const left = Math.round((until - Date.now()) / 1000);
    const local = formatLocal(until);
    const when = /GMT$/.test(local) ? formatUtc(until) : `${local} (${formatUtc(until)})`;
    expiry.textContent =
      left > 0
        ? `The signature timestamp expires after the ±${settings.tolerance} s window: an endpoint with the same tolerance accepts this replay until ${when}, then answers 401 timestamp_out_of_range. Generate a new sample after that.`
        : `The signature timestamp is outside the ±${settings.tolerance} s window (it expired at ${when}): an endpoint answers 401 timestamp_out_of_range. Generate a new sample to replay.`;
  }
}

function renderEmpty(message) {
  lastReport = undefined;
  setVerdict("empty", [
    h("p", { class: "verdict-title" }, "Nothing to inspect yet"),
    h("p", { class: "muted" }, message),
    ...checksPreview(),
  ]);
  $("checks-card").hidden = true;
  $("typed-card").hidden = true;
  $("json-card").hidden = true;
}

// ---- inspecting --------------------------------------------------------

function inspectNow() {
  clearTimeout(timer);
  const settings = readSettings();
  const delivery = readDelivery();
  lastDelivery = delivery;
  renderNotes(delivery.notes);
  renderReplay(delivery, settings);
  try {
    if (settings.toleranceError || settings.nowError) {
      setVerdict("config", [
        h("p", { class: "verdict-title" }, icon("fail"), h("span", {}, "Check the settings")),
        h("p", { class: "verdict-message" }, settings.nowError ? `“Now” override: ${settings.nowError}` : `Timestamp tolerance: ${settings.toleranceError}`),
      ]);
      return;
    }
    if (delivery.body === "" && delivery.headers.length === 0 && (delivery.format === "raw" || delivery.format === "split")) {
      renderEmpty("Paste a delivery, or generate a sample, in “The delivery”.");
      return;
    }
    if (delivery.problem && delivery.format !== "raw") {
      renderEmpty(`Cannot check this ${CAPTURE_FORMATS[delivery.format]} yet: ${delivery.problem}.`);
      return;
    }
    let hook;
    try {
      hook = hookFor(settings);
    } catch (error) {
      setVerdict("config", [
        h("p", { class: "verdict-title" }, icon("fail"), h("span", {}, "Check the settings")),
        h("p", { class: "verdict-facts" }, h("code", { class: "code-chip" }, error.code ?? "error")),
        h("p", { class: "verdict-message" }, String(error.message ?? error)),
      ]);
      return;
    }
    const now = settings.now ?? Date.now() / 1000;
    // The same check as `larkhook inspect`: with a body that fails the signature only
    // because of a trailing line break, the body without it.
    const { report, trimmed } = inspectCapture(hook, delivery, now);
    lastReport = report;
    renderVerdict(report, settings, trimmed);
    renderSteps(report.steps);
    renderTypedCard(report, settings);
    renderJson(report);
  } catch (error) {
    lastReport = undefined;
    setVerdict("config", [
      h("p", { class: "verdict-title" }, icon("fail"), h("span", {}, "Could not inspect")),
      h("p", { class: "verdict-facts" }, h("code", { class: "code-chip" }, error?.code ?? "error")),
      h("p", { class: "verdict-message" }, String(error?.message ?? error)),
    ]);
    $("checks-card").hidden = true;
    $("typed-card").hidden = true;
    $("json-card").hidden = true;
  } finally {
    inspections += 1;
    document.body.dataset.inspections = String(inspections);
  }
}

function inspectSoon() {
  clearTimeout(timer);
  timer = setTimeout(inspectNow, 200);
}

function verdictSummary() {
  if (!lastReport) return $("verdict").textContent;
  if (lastReport.error) return `Refused: ${lastReport.error.code}, HTTP ${lastReport.error.status}.`;
  return `Accepted: ${lastReport.result.kind}${lastReport.result.event_type ? ` ${lastReport.result.event_type}` : ""}.`;
}

function announce(text) {
  const el = $("announce");
  el.textContent = "";
  // A fresh text node, so that a repeated message is announced again.
  setTimeout(() => (el.textContent = text), 30);
}

// ---- samples -----------------------------------------------------------

function loadSample(id) {
  const settings = readSettings();
  const sample = SAMPLES.find((s) => s.id === id);
  const key = settings.keys[0];
  const token = settings.tokens[0];
  const timestamp = Math.floor(settings.now ?? Date.now() / 1000);
  // The legacy card callback is plain JSON signed with the Verification Token (never encrypted).
  const legacy = id === "card_action";
  if (legacy && !token) return void $("sample-status").replaceChildren("The legacy card callback is signed with the Verification Token: add one under Settings first.");
  const delivery = legacy
    ? lark.createTestDelivery({ event: sampleEvent(id, timestamp), verificationToken: token, timestamp, kind: "card_action" })
    : lark.createTestDelivery({ event: sampleEvent(id, timestamp), encryptKey: key, verificationToken: token, timestamp });
  let url;
  try {
    url = new URL($("endpoint").value.trim());
  } catch {
    url = new URL("http://127.0.0.1:8787/webhook/event");
  }
  const order = (name) => ["content-type", "x-lark-request-timestamp", "x-lark-request-nonce", "x-lark-signature"].indexOf(name.toLowerCase());
  const headers = [
    ["Host", url.host],
    ...Object.entries(delivery.headers)
      .map(([name, value]) => [name.toLowerCase() === "content-type" ? "Content-Type" : name, value])
      .sort((a, b) => order(a[0]) - order(b[0])),
  ];
  headers.splice(2, 0, ["Content-Length", String(byteLength(delivery.body))]);
  writeDelivery({ headers, body: delivery.body, target: url.pathname + url.search });
  inspectNow();
  const how = legacy ? ["plain JSON signed with SHA-1 over the first Verification Token (the legacy scheme)"]
    : [key ? "encrypted with the first Encrypt Key" : "plain JSON (no Encrypt Key)", delivery.headers["X-Lark-Signature"] ? "signed" : "unsigned, as the platform sends a challenge", token ? "with the first token" : "with no token"];
  if (settings.now !== undefined) how.push("timestamped at the “now” override");
  $("sample-status").replaceChildren(
    `Loaded a ${sample.label.toLowerCase()} sample: ${how.join(", ")}. `,
    h("a", { href: "#results" }, `${lastReport?.error ? "Refused" : "Accepted"}: see the results`),
  );
  announce(`Loaded a ${sample.label.toLowerCase()} sample. ${verdictSummary()}`);
}

// ---- copying -----------------------------------------------------------

async function copyText(text, button) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // No clipboard API (a plain-http page that is not localhost): a hidden textarea.
    const area = h("textarea", { class: "visually-hidden", "aria-hidden": "true", tabindex: "-1" });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    button.focus();
  }
  const label = button.dataset.copyLabel;
  button.textContent = ok ? "Copied" : "Copy failed: select the text";
  button.classList.toggle("copied", ok);
  announce(ok ? `${label.replace(/^Copy /, "")} copied to the clipboard.` : "Copying failed: select the text and copy it yourself.");
  setTimeout(() => {
    button.textContent = label;
    button.classList.remove("copied");
  }, 1600);
}

// ---- wiring ------------------------------------------------------------

for (const id of ["keys", "tokens", "tolerance", "now", "raw", "headers", "body"]) {
  $(id).addEventListener("input", inspectSoon);
}
$("entry").addEventListener("change", inspectNow);
// An edited delivery is no longer the sample that was loaded.
for (const id of ["raw", "headers", "body"]) {
  $(id).addEventListener("input", () => $("sample-status").replaceChildren());
}
$("show-desc").addEventListener("change", () => $("typed").classList.toggle("no-desc", !$("show-desc").checked));
$("tolerance-off").addEventListener("change", inspectNow);
$("endpoint").addEventListener("input", () => renderReplay(lastDelivery, readSettings()));
for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener("change", switchMode);
for (const id of ["raw", "headers", "body", "keys", "tokens", "now"]) {
  $(id).addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      inspectNow();
      announce(verdictSummary());
    }
  });
}
$("inspect").addEventListener("click", () => {
  inspectNow();
  announce(verdictSummary());
});
$("clear").addEventListener("click", () => {
  writeDelivery({ headers: [], body: "" });
  $("raw").value = "";
  $("sample-status").textContent = "";
  inspectNow();
  (mode() === "raw" ? $("raw") : $("headers")).focus();
});
$("now-from-request").addEventListener("click", () => {
  const ts = headerValue(readDelivery().headers, "x-lark-request-timestamp");
  if (ts === undefined) {
    $("now-parsed").textContent = "The delivery has no X-Lark-Request-Timestamp header.";
    return;
  }
  $("now").value = ts.trim();
  inspectNow();
  announce(`“Now” set to ${ts.trim()}. ${verdictSummary()}`);
});
for (const button of document.querySelectorAll("button.sample")) {
  button.addEventListener("click", () => loadSample(button.dataset.sample));
  button.disabled = false;
}
$("inspect").disabled = false;
$("copy-json").addEventListener("click", (event) => copyText(jsonCopyText, event.currentTarget));
$("copy-typed").addEventListener("click", (event) => copyText(typedJson(lastReport?.result), event.currentTarget));
$("copy-curl").addEventListener("click", (event) => copyText($("curl").textContent, event.currentTarget));

inspectNow();
document.documentElement.dataset.ready = "true";
