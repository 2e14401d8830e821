// Posts a signed, encrypted sample of each helpdesk event (and the URL
// challenge) to a larkhook endpoint, as the platform would.
//
//   node send.mjs [url]     default http://127.0.0.1:8787/webhook/event
//
// Uses LARK_ENCRYPT_KEY / LARK_VERIFICATION_TOKEN, or the demo defaults.
import { createTestDelivery } from "larkhook";

import { encryptKey, verificationToken } from "./config.mjs";

const url = process.argv[2] ?? "http://127.0.0.1:8787/webhook/event";
const id = () => crypto.randomUUID().replaceAll("-", "");
const header = (type) => ({ event_id: id(), event_type: type, create_time: String(Date.now()), app_id: "cli_demo", tenant_key: "demo" });
const guest = { id: { open_id: "ou_84aad35d084aa403a838cf73ee18467", union_id: "on_8ed6aa67826108097d9ee143816345" }, name: "Ada" };

const samples = [
  { type: "url_verification", challenge: "demo-challenge", token: verificationToken },
  {
    schema: "2.0",
    header: header("helpdesk.ticket.created_v1"),
    event: { ticket_id: "6626871355780366331", helpdesk_id: "6626871355780366330", guest, stage: 1, status: 1, channel: 9, created_at: Date.now(), updated_at: -1, chat_id: "oc_demo" },
  },
  {
    schema: "2.0",
    header: header("helpdesk.ticket.updated_v1"),
    event: { object: { ticket_id: "6626871355780366331", guest, stage: 2, status: 51, updated_at: Date.now() }, old_object: { stage: 1, status: 2, updated_at: Date.now() - 60_000 } },
  },
  {
    schema: "2.0",
    header: header("helpdesk.ticket_message.created_v1"),
    event: {
      ticket_message_id: "6949088240624222236",
      message_id: "om_demo",
      msg_type: "text",
      position: 3,
      sender_id: guest.id,
      sender_type: 2,
      text: "请问vpn怎么下载 / how do I download the VPN client?",
      ticket: { ticket_id: "6626871355780366331", status: 2, ticket_type: 2 },
      event_id: crypto.randomUUID(),
      content: { content: "请问vpn怎么下载", msg_type: "text" },
    },
  },
];

for (const event of samples) {
  const { headers, body } = createTestDelivery({ event, encryptKey: encryptKey || undefined, verificationToken: verificationToken || undefined });
  const response = await fetch(url, { method: "POST", headers, body });
  const type = event.type ?? event.header.event_type;
  console.log(`${type}: HTTP ${response.status} ${await response.text()}`);
}
