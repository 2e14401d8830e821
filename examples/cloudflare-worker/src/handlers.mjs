// What this Worker does with each event, shared by the fetch variant
// (index.mjs, the handler runs before the answer) and the Queues variant
// (queue.mjs, the handler runs in the queue consumer): print one readable
// line, then, when a BACKEND service is bound, POST the event to it. A
// non-2xx answer throws, so the event is delivered again later (by the
// platform, or by the queue) until your backend has it.
import { EventType, summarize } from "larkhook";

async function forward(backend, event) {
  const response = await backend.fetch("https://backend/lark-events", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ event_id: event.header.event_id, event_type: event.event_type, header: event.header, event: event.event }),
  });
  if (!response.ok) throw new Error(`the backend answered ${response.status} for event ${event.header.event_id}`);
}

function handle(kind) {
  return async (event, context) => {
    console.log(`${kind} ${summarize(event)}`);
    const backend = context.env?.BACKEND;
    if (backend) await forward(backend, event);
  };
}

/** The `on` map for createHandler / createConsumer. */
export const handlers = {
  [EventType.TicketCreatedV1]: handle("ticket created:"),
  [EventType.TicketUpdatedV1]: handle("ticket updated:"),
  [EventType.TicketMessageCreatedV1]: handle("ticket message:"),
  "*": handle("other event:"),
};

/** onError: one line per failure (the platform or the queue retries). */
export function logError(error, event) {
  const where = event ? `${event.event_type} ${event.header.event_id}` : "a request";
  const code = error?.code ? `${error.code}: ` : "";
  const cause = error?.cause ? ` (cause: ${error.cause})` : "";
  console.error(`larkhook: ${where}: ${code}${error?.message ?? error}${cause}`);
}

/** The secrets (`wrangler secret put` deployed, `.dev.vars` under `npm run dev`); an empty value counts as unset. */
export function secrets(env) {
  return { encryptKey: env.LARK_ENCRYPT_KEY || undefined, verificationToken: env.LARK_VERIFICATION_TOKEN || undefined };
}

/**
 * The answer while the Worker is not configured: 500, so the platform keeps
 * retrying (about 7 hours) until the secrets are set, instead of the
 * Worker accepting forged events without them.
 */
export function notConfigured(error) {
  if (error?.code !== "invalid_config") throw error;
  const missing = /neither an Encrypt Key nor a Verification Token/.test(error.message);
  const message = missing
    ? "this Worker has no LARK_ENCRYPT_KEY and no LARK_VERIFICATION_TOKEN (values from the app console, Events & Callbacks): running locally (`npm run dev`), put both in .dev.vars next to wrangler.toml (see .dev.vars.example) and restart; deployed, set them with `npx wrangler secret put LARK_ENCRYPT_KEY` and `npx wrangler secret put LARK_VERIFICATION_TOKEN`; the platform retries until then"
    : error.message;
  console.error(`larkhook: ${message}`);
  return Response.json({ code: "invalid_config", message }, { status: 500 });
}
