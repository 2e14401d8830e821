// A Lark/Feishu helpdesk webhook endpoint on Cloudflare Workers.
//
// POST /webhook/event: the platform's deliveries. Challenges are answered,
// forged, stale or malformed deliveries refused with a coded error, events
// acknowledged at once and handled in ctx.waitUntil, each event once.
import { DurableObject } from "cloudflare:workers";
import { createHandler, summarize } from "larkhook";

/**
 * Remembers one event id (its name) until the platform's retry window has
 * passed. Storage operations in a Durable Object are serialized by its input
 * gate, so two deliveries of the same id, from any isolate, cannot both claim it.
 */
export class DedupObject extends DurableObject {
  async claim(ttlSeconds) {
    if (await this.ctx.storage.get("claimed")) return false;
    await this.ctx.storage.put("claimed", Date.now());
    await this.ctx.storage.setAlarm(Date.now() + ttlSeconds * 1000);
    return true;
  }

  async alarm() {
    await this.ctx.storage.deleteAll();
  }
}

/** larkhook's dedup store interface over the Durable Object namespace. */
class DurableObjectDedupStore {
  constructor(namespace) {
    this.namespace = namespace;
  }

  claim(eventId, ttlSeconds) {
    return this.namespace.get(this.namespace.idFromName(eventId)).claim(ttlSeconds);
  }
}

// Built on the first request: secrets arrive with `env`. Isolates are reused,
// so keys are derived once per isolate, not per request.
let handler;

function log(kind) {
  return (event) => console.log(`${kind} ${summarize(event)}`);
}

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== "/webhook/event") {
      return new Response("larkhook: POST Lark/Feishu events to /webhook/event\n", { status: 404 });
    }
    handler ??= createHandler({
      encryptKey: env.LARK_ENCRYPT_KEY || undefined,
      verificationToken: env.LARK_VERIFICATION_TOKEN || undefined,
      dedup: new DurableObjectDedupStore(env.DEDUP),
      on: {
        "helpdesk.ticket.created_v1": log("ticket created:"),
        "helpdesk.ticket.updated_v1": log("ticket updated:"),
        "helpdesk.ticket_message.created_v1": log("ticket message:"),
        "*": log("other event:"),
      },
      onError(error, event) {
        console.error(`handler failed for ${event ? event.header.event_id : "a request"}: ${error}`);
      },
    });
    return handler(request, env, ctx);
  },
};
