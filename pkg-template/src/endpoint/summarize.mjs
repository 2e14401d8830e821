// One readable line for a log per event (summarize): event type, ticket,
// status with its label, who sent what.

import { EventType } from "../core/codes.generated.mjs";
import { label } from "../core/labels.mjs";

/**
 * One readable line for a log: event type, ticket, status with its label,
 * who sent what. E.g.
 * `helpdesk.ticket.updated_v1 ticket 6626871355780366331: processing (2) → closed by bot (50)`.
 */
export function summarize(inbound) {
  if (inbound.kind === "challenge") return `url_verification challenge ${JSON.stringify(inbound.challenge)}`;
  if (inbound.kind === "card_action") {
    const e = inbound.event ?? {};
    if (!inbound.typed) return `card_action (legacy card callback, untyped: ${inbound.decode_error})`;
    return `card_action (legacy card callback) ${cardAction(e.action)} by ${e.open_id ?? "?"} on ${e.open_message_id ?? "?"}`;
  }
  const head = `${inbound.event_type} [${inbound.header.event_id}]`;
  if (inbound.kind !== "event") {
    return inbound.decode_error ? `${head} (untyped: ${inbound.decode_error})` : `${head} (untyped)`;
  }
  const status = (code) => (code === undefined ? "?" : `${label("status", code)} (${code})`);
  const e = inbound.event;
  switch (inbound.event_type) {
    case EventType.CardActionTrigger:
      return `${head} ${cardAction(e.action)} by ${e.operator?.open_id ?? "?"} on ${e.context?.open_message_id ?? "?"}`;
    case EventType.NotificationApproveV1:
      return `${head} notification ${e.notification_id ?? "?"}: ${e.approve_status ?? "?"}`;
    case EventType.TicketCreatedV1:
      return `${head} ticket ${e.ticket_id ?? "?"} created by ${e.guest?.name ?? "?"}: ${status(e.status)}, stage ${e.stage === undefined ? "?" : label("stage", e.stage)}`;
    case EventType.TicketUpdatedV1: {
      const before = e.old_object?.status;
      const after = e.object?.status;
      const change = before === undefined ? status(after) : `${status(before)} → ${status(after)}`;
      return `${head} ticket ${e.object?.ticket_id ?? "?"}: ${change}`;
    }
    case EventType.TicketMessageCreatedV1: {
      const sender = e.sender_type === undefined ? "someone" : label("sender_type", e.sender_type);
      return `${head} ticket ${e.ticket?.ticket_id ?? "?"}: ${sender} wrote ${JSON.stringify(e.text ?? e.content?.content ?? "")}`;
    }
    default:
      return head;
  }
}

/** A card action in a few words: the component, its name, its value. */
function cardAction(action) {
  if (!action) return "an action";
  const value = action.value === undefined ? "" : ` ${JSON.stringify(action.value).slice(0, 80)}`;
  return `${action.tag ?? "component"}${action.name ? ` "${action.name}"` : ""}${value}`;
}
