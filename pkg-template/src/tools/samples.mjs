// Sample deliveries for `larkhook trigger` and the payload inspector's
// generator (www-dist/larkhook/tools/samples.mjs): the platform's documentation
// examples (schema 2.0), as JSON text so that 64-bit ids stay exact, with a
// fresh event_id and create_time each time (a replay to a deduplicating
// endpoint is then handled, not dropped as a retry). The token is written in
// by createTestDelivery. ES module only: not part of the package's JavaScript API.

import { EventType } from "../core/codes.generated.mjs";

const HEADER = (eventType, eventId, createTime) =>
  `"schema":"2.0","header":{"event_id":"${eventId}","event_type":"${eventType}","create_time":"${createTime}","app_id":"cli_9f5343c580712544","tenant_key":"2ca1d211f64f6438"}`;

const GUEST = `{"id":{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"},"name":"Li Lei"}`;

const ticket = (status, stage, updatedAt) =>
  `{"ticket_id":"6626871355780366331","helpdesk_id":"6626871355780366330","guest":${GUEST},"stage":${stage},"status":${status},${status >= 50 ? `"score":3,` : ""}` +
  `"created_at":1616920429000,"updated_at":${updatedAt},"closed_at":${status >= 50 ? 1616924029000 : -1},"channel":9,"solve":${status >= 50 ? 2 : 1},"chat_id":"oc_a0553eda9014c201e6969b478895c230"}`;

const BODIES = {
  [EventType.TicketCreatedV1]: () => ticket(1, 1, -1),
  [EventType.TicketUpdatedV1]: () =>
    `{"object":${ticket(50, 2, 1616924029000)},"old_object":{"stage":1,"status":2,"updated_at":1616920429000}}`,
  [EventType.TicketMessageCreatedV1]: () =>
    `{"ticket_message_id":"6949088240624222236","message_id":"om_8baa3656c7b41900d29bf9104bf5310b","msg_type":"text","position":"10",` +
    `"sender_id":{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"},` +
    `"sender_type":2,"text":"请问vpn怎么下载","ticket":{"ticket_id":"6626871355780366331",` +
    `"comments":{"content":"备注内容","created_at":1690970837624,"id":7262656095919128579,"user_avatar_url":"https://example.com/avatar.png","user_name":"Han Meimei","user_id":7262656095919128578},` +
    `"ticket_type":2,"status":2,"dissatisfaction_reason":{"zh_cn":"答案看不懂","en_us":"I don't understand","ja_jp":"回答が複雑すぎる"},` +
    `"agent_service_duration":42624.95,"agent_first_response_duration":123869,"bot_service_duration":1,"agent_resolution_time":66,"actual_processing_time":68,` +
    `"agent_entry_time":1636444596000,"agent_first_response_time":1636444696000,"agent_last_response_time":1636444796000,` +
    `"agent_owner":{"id":"ou_37019b7c830210acd88fdce886e25c71","name":"abc","email":"agent@example.com","department":"Support","city":"Hangzhou","country":"CN"}},` +
    `"event_id":"118a6492-122d-04ad-4370-010a3bb384d3","chat_id":"6949088236610273307",` +
    `"content":{"content":"请问vpn怎么下载","msg_type":"text","image_keys":[],"image_key":""}}`,
  [EventType.NotificationApproveV1]: () => `{"notification_id":"6981801914270744596","helpdesk_id":"6626871355780366330","approve_status":"APPROVED"}`,
  [EventType.CardActionTrigger]: () =>
    `{"operator":{"tenant_key":"2ca1d211f64f6438","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467","union_id":"on_8ed6aa67826108097d9ee143816345"},` +
    `"token":"c-${randomHex(20)}","action":{"value":{"action":"assign_to_me","ticket_id":"6626871355780366331"},"tag":"button","name":"assign"},` +
    `"host":"im_message","context":{"open_message_id":"om_8baa3656c7b41900d29bf9104bf5310b","open_chat_id":"oc_a0553eda9014c201e6969b478895c230"}}`,
};

/** The legacy message-card callback's body (no envelope: the body is the callback). */
const CARD_ACTION = () =>
  `{"open_id":"ou_84aad35d084aa403a838cf73ee18467","user_id":"e33ggbyz","open_message_id":"om_8baa3656c7b41900d29bf9104bf5310b",` +
  `"open_chat_id":"oc_a0553eda9014c201e6969b478895c230","tenant_key":"2ca1d211f64f6438","token":"c-${randomHex(20)}",` +
  `"action":{"value":{"action":"close_ticket","ticket_id":"6626871355780366331"},"tag":"button"}}`;

/** The sample kinds, in the order the page offers them. */
export const SAMPLES = [
  { id: EventType.TicketCreatedV1, label: "Ticket created" },
  { id: EventType.TicketUpdatedV1, label: "Ticket updated" },
  { id: EventType.TicketMessageCreatedV1, label: "Ticket message" },
  { id: EventType.NotificationApproveV1, label: "Notification approval" },
  { id: EventType.CardActionTrigger, label: "Card button (card.action.trigger)" },
  { id: "card_action", label: "Card button (legacy callback)" },
  { id: "url_verification", label: "URL challenge" },
];

function randomHex(bytes) {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The JSON text of a sample event (or challenge, `url_verification`; or the
 * legacy card callback's body, `card_action`) created at `nowSeconds` (unix
 * seconds). Callbacks carry `create_time` in microseconds, as the platform sends them.
 */
export function sampleEvent(id, nowSeconds) {
  if (id === "card_action") return CARD_ACTION();
  if (id === "url_verification") {
    const h = randomHex(16);
    const challenge = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    return `{"challenge":"${challenge}","type":"url_verification"}`;
  }
  const body = BODIES[id];
  if (!body) throw new Error(`no sample for ${id}`);
  const createTime = id === EventType.CardActionTrigger ? Math.floor(nowSeconds * 1_000_000) : Math.floor(nowSeconds * 1000);
  return `{${HEADER(id, randomHex(16), createTime)},"event":${body()}}`;
}
