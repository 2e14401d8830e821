// The typed view of a parse result: the helpdesk events' fields grouped as
// the documentation groups them, enumerations labelled, timestamps as dates,
// 64-bit ids exactly as the result holds them (strings), the before → after
// diff of ticket.updated_v1, and the fields the typed model did not know.
// Everything from the payload goes into the DOM as text, never as HTML.

import { EVENTS, HEADER_FIELDS } from "./fields.mjs";
import { EventType } from "./larkhook/core/codes.generated.mjs";
import { rawValueAt, splitPath } from "./json-view.mjs";

/** Creates an element: h("p", { class: "x" }, "text", child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") el.textContent = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

/** "2021-03-28 08:33:49 UTC" */
export function formatUtc(ms) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "not a valid date";
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** "2021-03-28 16:33:49 GMT+8" in the browser's time zone. */
export function formatLocal(ms) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "";
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  const zone = abs === 0 ? "GMT" : `GMT${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ""}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** "1 d 10 h 24 min 29 s" */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return "";
  let rest = Math.round(Math.abs(seconds));
  const parts = [];
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]]) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (unit === "s" && parts.length === 0)) parts.push(`${n} ${unit}`);
  }
  return `${seconds < 0 ? "−" : ""}${parts.join(" ")}`;
}

/** Formatting of enumerations through the package's label(). */
export function enumLabels(label, field, code) {
  const en = label(field, code, "en");
  const zh = label(field, code, "zh");
  const suffix = `(${code})`;
  return { en: en.endsWith(suffix) ? en : `${en} ${suffix}`, zh };
}

/** The DOM of one value, formatted by its documented kind. */
function formatValue(kind, value, label) {
  if (kind.startsWith("enum:") && typeof value === "number") {
    const { en, zh } = enumLabels(label, kind.slice(5), value);
    return [h("span", { class: "enum" }, en), " ", h("span", { class: "zh", lang: "zh-CN" }, zh)];
  }
  switch (kind) {
    case "ms":
      if (typeof value !== "number") break;
      if (Number.isNaN(new Date(value).getTime())) return h("span", { class: "mono" }, `${value} ms (not a valid date)`);
      return [
        h("time", { class: "utc", datetime: new Date(value).toISOString() }, formatUtc(value)),
        h("span", { class: "sub" }, `local ${formatLocal(value)}`),
        h("span", { class: "sub mono" }, `${value} ms`),
      ];
    case "seconds":
      if (typeof value !== "number") break;
      return [h("span", { class: "mono" }, `${value} s`), " ", h("span", { class: "sub-inline" }, formatDuration(value))];
    case "minutes":
      if (typeof value !== "number") break;
      return [h("span", { class: "mono" }, `${value} min`), " ", h("span", { class: "sub-inline" }, formatDuration(value * 60))];
    case "id64":
      return [h("span", { class: "mono id" }, String(value)), " ", h("span", { class: "tag" }, "64-bit, exact")];
    case "bool":
      return h("span", { class: "mono" }, String(value));
    case "texts":
      if (!Array.isArray(value)) break;
      return value.length === 0 ? h("span", { class: "muted" }, "[] (empty)") : value.map((v, i) => [i ? ", " : "", h("span", { class: "mono" }, String(v))]);
    case "text":
      if (value === "") return h("span", { class: "muted" }, '"" (empty)');
      return h("span", { class: "text" }, String(value));
  }
  return h("span", { class: "mono" }, typeof value === "string" ? value : JSON.stringify(value));
}

function description(node) {
  return h(
    "dd",
    { class: "desc" },
    h("span", { lang: "en" }, node.en),
    node.zh ? h("span", { class: "zh", lang: "zh-CN" }, node.zh) : null,
    node.page === false ? h("span", { class: "tag subtle" }, "not on the event page") : null,
  );
}

function row(node, value, label, path) {
  const absent = value === undefined || value === null;
  return h(
    "div",
    { class: `row${absent ? " absent" : ""}`, "data-path": path },
    h("dt", {}, h("code", {}, node.key), h("span", { class: "type" }, node.type)),
    h("dd", { class: "value" }, absent ? h("span", { class: "muted" }, "not in this delivery") : formatValue(node.kind, value, label)),
    description(node),
  );
}

/**
 * A group of fields: scalar fields as rows, then nested objects and lists as
 * nested groups. Absent fields the page documents are listed as such;
 * absent SDK-only fields are left out. Unknown keys (none in a typed result)
 * fall back to plain rows so nothing is hidden.
 */
function group({ title, path, type, note, fields, value, label, level }) {
  const heading = h(`h${Math.min(level, 6)}`, { class: "group-title" }, title, " ", h("code", { class: "path" }, path), type ? h("span", { class: "type" }, type) : null);
  const section = h("section", { class: `group level-${level}`, "data-path": path }, heading);
  if (note) section.append(h("p", { class: "group-note" }, "Page: ", h("q", {}, note)));
  const rows = h("dl", { class: "fields" });
  const nested = [];
  const obj = value && typeof value === "object" && !Array.isArray(value) ? value : {};
  for (const node of fields) {
    const v = obj[node.key];
    const childPath = `${path}.${node.key}`;
    if ((v === undefined || v === null) && node.page === false) continue;
    if (node.kind === "object") {
      if (v === undefined || v === null) rows.append(row({ ...node, kind: "text" }, undefined, label, childPath));
      else nested.push(group({ title: node.en, path: childPath, type: node.type, fields: node.children, value: v, label, level: level + 1, zh: node.zh }));
    } else if (node.kind === "list") {
      const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
      if (items.length === 0) rows.append(row({ ...node, kind: "text" }, undefined, label, childPath));
      items.forEach((item, i) => {
        nested.push(group({ title: `${node.en.split(".")[0]} ${items.length > 1 ? `#${i + 1}` : ""}`.trim(), path: `${childPath}[${i}]`, type: node.type, fields: node.children, value: item, label, level: level + 1 }));
      });
    } else {
      rows.append(row(node, v, label, childPath));
    }
  }
  for (const key of Object.keys(obj)) {
    if (fields.some((n) => n.key === key)) continue;
    rows.append(row({ key, type: "?", kind: "json", en: "Not in the documentation table", zh: null }, obj[key], label, `${path}.${key}`));
  }
  if (rows.childElementCount > 0) section.append(rows);
  section.append(...nested);
  return section;
}

function get(value, path) {
  return path.reduce((v, key) => (v && typeof v === "object" ? v[key] : undefined), value);
}

/** The before → after table of ticket.updated_v1. */
function updateDiff(event, label) {
  const before = event.old_object ?? {};
  const after = event.object ?? {};
  const kinds = { stage: "enum:stage", status: "enum:status", updated_at: "ms" };
  const keys = Object.keys(before);
  const section = h("section", { class: "diff", "aria-labelledby": "diff-title" }, h("h3", { id: "diff-title" }, "What changed ", h("code", { class: "path" }, "old_object → object")));
  if (keys.length === 0) {
    section.append(h("p", { class: "muted" }, "old_object is empty: the platform sent no previous values."));
    return section;
  }
  const table = h("table", { class: "diff-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Before"), h("th", { scope: "col", class: "arrow", "aria-hidden": "true" }, ""), h("th", { scope: "col" }, "After"))));
  const body = h("tbody");
  for (const key of keys) {
    const kind = kinds[key] ?? "json";
    const cell = (v) => (v === undefined ? h("span", { class: "muted" }, "—") : formatValue(kind, v, label));
    const changed = JSON.stringify(before[key]) !== JSON.stringify(after[key]);
    body.append(h("tr", { class: changed ? "changed" : "same", "data-field": key },
      h("th", { scope: "row" }, h("code", {}, key), h("span", { class: "sub" }, changed ? "changed" : "unchanged")),
      h("td", { class: "before" }, h("span", { class: "cell-label", "aria-hidden": "true" }, "Before"), cell(before[key])),
      h("td", { class: "arrow", "aria-hidden": "true" }, "→"),
      h("td", { class: "after" }, h("span", { class: "cell-label", "aria-hidden": "true" }, "After"), cell(after[key]))));
  }
  table.append(body);
  section.append(h("div", { class: "table-scroll" }, table));
  return section;
}

function headerGroup(result, tokenChecked, label) {
  const header = result.header ?? {};
  const rows = h("dl", { class: "fields" });
  rows.append(row({ key: "schema", type: "string", kind: "text", en: "Event schema", zh: "事件模式" }, result.schema, label, "schema"));
  for (const node of HEADER_FIELDS) {
    if (node.kind === "token") {
      const text = tokenChecked ? "matched (not kept in the result)" : "not checked: no Verification Token configured";
      rows.append(h("div", { class: "row", "data-path": "header.token" },
        h("dt", {}, h("code", {}, node.key), h("span", { class: "type" }, node.type)),
        h("dd", { class: "value" }, h("span", { class: tokenChecked ? "ok" : "muted" }, text)),
        description(node)));
      continue;
    }
    // A callback's create_time is in microseconds: shown as the time it names.
    const micros = node.key === "create_time" && result.event_type === EventType.CardActionTrigger && typeof header.create_time === "number";
    rows.append(row(micros ? { ...node, en: `${node.en} (this one: µs ${header.create_time})` } : node, micros ? Math.floor(header.create_time / 1000) : header[node.key], label, `header.${node.key}`));
  }
  return h("section", { class: "group level-3", "data-path": "header" },
    h("h3", { class: "group-title" }, "Header ", h("code", { class: "path" }, "header"), h("span", { class: "type" }, "event_header")), rows);
}

/**
 * The typed view for `report` (what inspect returned). Returns a fragment,
 * or null when there is nothing to show (a refused delivery).
 */
export function renderTyped(report, { label, tokenChecked }) {
  const result = report.result;
  if (!result) return null;
  const frag = document.createDocumentFragment();

  if (result.kind === "challenge") {
    frag.append(
      h("p", { class: "lead" }, "A URL-verification challenge. Your endpoint must answer it within 1 second with HTTP 200 and this JSON body:"),
      h("pre", { class: "code small", id: "challenge-response" }, JSON.stringify(result.response)),
      h("dl", { class: "fields" }, row({ key: "challenge", type: "string", kind: "text", en: "The value to echo back", zh: null }, result.challenge, label, "challenge")),
    );
    return frag;
  }

  // The legacy message-card callback has no envelope: its kind names it.
  const legacy = result.kind === "card_action";
  const name = legacy ? "card_action" : result.event_type;
  const spec = EVENTS[name];
  const title = spec ? `${spec.title}` : "Event";
  frag.append(
    h("p", { class: "event-title" },
      h("span", { class: "event-name" }, title),
      spec ? h("span", { class: "zh", lang: "zh-CN" }, spec.zh) : null,
      h("code", { class: "event-type" }, name),
      h("span", { class: `badge ${result.typed ? "pass" : "skip"}` }, result.typed ? "typed" : "untyped")),
  );

  if (result.kind === "event" && result.event_type === EventType.TicketUpdatedV1) frag.append(updateDiff(result.event, label));

  if (legacy) {
    frag.append(h("p", { class: "note" }, "A legacy message-card callback: no envelope, no event_id (not deduplicated), signed with SHA-1 over the Verification Token. Answer it within 3 seconds with the toast and card to show ({} changes nothing)."));
  } else {
    frag.append(headerGroup(result, tokenChecked, label));
  }

  if ((result.kind === "event" || (legacy && result.typed)) && spec) {
    for (const g of spec.groups) {
      const value = get(result.event, g.path);
      frag.append(group({ title: g.title, path: ["event", ...g.path].join("."), type: g.type, note: g.page, fields: g.fields, value, label, level: 3 }));
    }
  } else {
    const why = result.decode_error
      ? ["The typed model could not decode this helpdesk event, so parse passes it through untyped: ", h("code", {}, result.decode_error)]
      : ["Not one of the typed events: parse passes it through untyped (integers beyond 2^53 arrive as strings). Its body is in the decrypted JSON below."];
    frag.append(h("p", { class: "note" }, ...why));
  }

  frag.append(unrecognized(report));
  return frag;
}

function unrecognized(report) {
  const paths = report.unrecognized_fields ?? [];
  const section = h("section", { class: "unrecognized", "aria-labelledby": "unrecognized-title" },
    h("h3", { id: "unrecognized-title" }, "Fields the typed model did not recognise ", h("span", { class: "count" }, String(paths.length))));
  if (report.result?.kind !== "event" && !(report.result?.kind === "card_action" && report.result.typed)) {
    section.append(h("p", { class: "muted" }, "Only checked for the typed events and callbacks."));
    return section;
  }
  if (paths.length === 0) {
    section.append(h("p", { class: "muted" }, "None: every field of event is known to the typed model."));
    return section;
  }
  section.append(h("p", { class: "hint" }, "They are in the decrypted JSON, but not in the typed result's event: new platform fields, or typos in a hand-made payload."));
  const list = h("ul", { class: "paths", id: "unrecognized-list" });
  for (const path of paths) {
    const raw = report.plaintext ? rawValueAt(report.plaintext, ["event", ...splitPath(path)]) : undefined;
    const shown = raw === undefined ? "" : raw.length > 120 ? `${raw.slice(0, 117)}…` : raw;
    list.append(h("li", {}, h("code", {}, `event.${path}`), shown ? [" = ", h("code", { class: "raw" }, shown)] : null));
  }
  section.append(list);
  return section;
}

/** The typed result as JSON (without `raw`, which holds the token). */
export function typedJson(result) {
  if (!result) return "";
  const { raw, ...rest } = result;
  return JSON.stringify(rest, null, 2);
}
