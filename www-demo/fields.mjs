// The documented fields of the three helpdesk events, as the inspector
// shows them: generated from the Rust registry into fields.generated.mjs
// (`make generate`), with the lookups the page needs.

import { EVENTS } from "./fields.generated.mjs";

export { EVENTS, HEADER_FIELDS } from "./fields.generated.mjs";

/** The documented node for a dotted path in an event type's `event`, if any. */
export function findField(eventType, path) {
  const spec = EVENTS[eventType];
  if (!spec) return undefined;
  const parts = path.split(".").filter((p) => !/^\d+$/.test(p));
  for (const group of spec.groups) {
    if (group.path.some((p, i) => parts[i] !== p)) continue;
    let nodes = group.fields;
    let node;
    for (const part of parts.slice(group.path.length)) {
      node = nodes?.find((n) => n.key === part);
      if (!node) break;
      nodes = node.children;
    }
    if (node) return node;
  }
  return undefined;
}
