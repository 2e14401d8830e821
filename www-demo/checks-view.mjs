// The checklist and the verdict of an inspection, as DOM nodes: pure
// functions of the report (LarkWebhook.inspect) and the settings. The step
// titles come from the registry (codes.generated.mjs), not a list here.

import { CALLBACK_TYPES, STEP_IDS, STEP_TITLES } from "./larkhook/core/codes.generated.mjs";
import { h } from "./typed-view.mjs";

const STATUS_TEXT = { pass: "pass", fail: "fail", skip: "skip" };

/** A pass / fail / skip icon. */
export function icon(status) {
  const paths = {
    pass: "M9.5 16.2 5.3 12l-1.4 1.4 5.6 5.6 11-11-1.4-1.4z",
    fail: "M18.3 5.7 12 12l6.3 6.3-1.4 1.4L12 13.4l-6.3 6.3-1.4-1.4L10.6 12 4.3 5.7l1.4-1.4 6.3 6.3 6.3-6.3z",
    skip: "M5 11h14v2H5z",
  };
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon status-icon ${status}`);
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", paths[status] ?? paths.skip);
  svg.append(path);
  return svg;
}

/** A step's detail: the first line as text, "label: value" lines after it as a list. */
function detail(text) {
  const [first, ...more] = String(text).split("\n");
  const out = [h("p", { class: "step-detail" }, first)];
  if (more.length) {
    const dl = h("dl", { class: "step-extra" });
    for (const line of more) {
      const m = /^([^:]{1,40}):\s?(.*)$/.exec(line);
      if (m && !/^hint/i.test(m[1])) {
        dl.append(h("div", {}, h("dt", {}, m[1]), h("dd", { class: "mono" }, m[2])));
      } else if (m) {
        dl.append(h("div", { class: "hint-line" }, h("dt", {}, m[1]), h("dd", {}, m[2])));
      } else {
        dl.append(h("div", {}, h("dd", {}, line)));
      }
    }
    out.push(dl);
  }
  return out;
}

/** One list item per step: its title, status, code and detail. */
export function stepItems(steps) {
  return steps.map((step) =>
    h(
      "li",
      { class: `step ${step.status}`, "data-step": step.id, "data-status": step.status },
      icon(step.status),
      h(
        "div",
        { class: "step-body" },
        h(
          "p",
          { class: "step-head" },
          h("span", { class: "step-name" }, STEP_TITLES[step.id] ?? step.id),
          h("span", { class: `badge ${step.status}` }, STATUS_TEXT[step.status] ?? step.status),
          step.code ? h("code", { class: "code-chip" }, step.code) : null,
          // A skipped step's one-line reason fits on its heading line.
          step.status === "skip" && !step.detail.includes("\n") ? h("span", { class: "step-detail" }, step.detail) : null,
        ),
        step.status === "skip" && !step.detail.includes("\n") ? null : detail(step.detail),
      ),
    ),
  );
}

/**
 * The verdict card's content: `{ kind: "pass" | "fail", children }`: the
 * step that failed, what an endpoint configured like this answers, and
 * (`trimmed`, bytes) that the body passed without a trailing line break.
 */
export function verdictContent(report, settings, trimmed) {
  const warnings = [];
  if (settings.keys.length === 0 && settings.tokens.length === 0) {
    warnings.push("No Encrypt Key and no Verification Token: only well-formedness is checked, and anyone could forge such a delivery.");
  } else if (settings.keys.length === 0) {
    warnings.push("No Encrypt Key: deliveries are neither signed nor encrypted; anyone who learns the token can forge them.");
  } else if (settings.tokens.length === 0) {
    warnings.push("No Verification Token: the token in the payload is not checked.");
  }
  const warn = warnings.map((w) => h("p", { class: "verdict-warning" }, w));
  if (trimmed !== undefined) {
    warn.unshift(
      h("p", { class: "verdict-warning", id: "verdict-trimmed" },
        `The body as pasted ends with ${trimmed === 1 ? "a line break" : `${trimmed} bytes of line breaks`} that the signature does not cover (an editor or a capture tool added it): this verdict is for the body without it.`),
    );
  }

  if (report.error) {
    const e = report.error;
    const failed = report.steps.find((step) => step.status === "fail");
    const unsigned = failed?.code && failed.code !== e.code && e.code === "missing_signature";
    return {
      kind: "fail",
      children: [
        h("p", { class: "verdict-title" }, icon("fail"), h("span", {}, failed ? `Refused at “${STEP_TITLES[failed.id] ?? failed.id}”` : "Refused")),
        failed?.code ? h("p", { class: "verdict-step", id: "verdict-step", "data-step": failed.id }, "Failed check: ", h("code", {}, failed.code)) : null,
        h("p", { class: "verdict-facts" },
          h("span", { class: "muted" }, "The endpoint answers"),
          h("span", { class: "http" }, `HTTP ${e.status}`),
          h("code", { class: "code-chip", id: "verdict-code" }, e.code)),
        h("p", { class: "verdict-message", id: "verdict-message" }, e.message),
        unsigned ? h("p", { class: "muted" }, "An unsigned delivery may only be the URL-verification challenge: every check it fails gets this one answer, so that a forger learns nothing.") : null,
        ...warn,
      ],
    };
  }
  const r = report.result;
  let what;
  if (r.kind === "challenge") what = ["URL-verification challenge: answer HTTP 200 with ", h("code", {}, JSON.stringify(r.response))];
  else if (r.kind === "card_action") what = ["A legacy message-card callback", r.typed ? ", typed" : ", untyped", ": answer HTTP 200 with the toast and card to show ({} changes nothing)"];
  else if (CALLBACK_TYPES.includes(r.event_type)) what = [h("code", {}, r.event_type), ", a callback: answer HTTP 200 with the toast and card to show ({} changes nothing)"];
  else if (r.kind === "event") what = [h("code", {}, r.event_type), ", typed: acknowledge with HTTP 200"];
  else what = [h("code", {}, r.event_type), r.decode_error ? ", untyped (the typed model could not decode it): acknowledge with HTTP 200" : ", untyped: acknowledge with HTTP 200"];
  return {
    kind: "pass",
    children: [
      h("p", { class: "verdict-title" }, icon("pass"), h("span", {}, "Accepted")),
      h("p", { class: "verdict-facts" },
        h("span", { class: "muted" }, "The endpoint answers"),
        h("span", { class: "http" }, "HTTP 200"),
        h("code", { class: "code-chip", id: "verdict-code" }, `kind: ${r.kind}`)),
      h("p", { class: "verdict-message", id: "verdict-message" }, ...what),
      ...warn,
    ],
  };
}

/** What is checked, in order: shown before the first delivery. */
export function checksPreview() {
  return [h("p", { class: "preview-title" }, "What is checked, in order:"), h("ol", { class: "preview" }, ...STEP_IDS.map((id) => h("li", {}, STEP_TITLES[id])))];
}
