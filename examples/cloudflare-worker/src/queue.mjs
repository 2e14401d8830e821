// The Queues variant: the endpoint verifies each delivery and sends it to a
// queue, answering 200 only once `send` resolved (the event is durable in
// Cloudflare Queues); the queue consumer runs the handlers, once per event
// id (Durable Object leases), retrying failures with exponential backoff;
// a message that still fails after max_retries goes to the dead-letter queue.
//
// Choose it when handlers can take longer than the platform's 3 seconds, or
// when an outage of your backend may outlast the platform's 7 hours of retries.
import { createConsumer, createHandler } from "larkhook";

import { retryDelaySeconds } from "./backoff.mjs";
import { DurableObjectDedupStore } from "./dedup-object.mjs";
import { handlers, logError, notConfigured, secrets } from "./handlers.mjs";

export { DedupObject } from "./dedup-object.mjs";

let endpoint;
let consume;

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== "/webhook/event") {
      return new Response("larkhook: POST Lark/Feishu events to /webhook/event\n", { status: 404 });
    }
    try {
      // Only the parse result is queued: `raw` (which holds the Verification Token) is not part of it.
      endpoint ??= createHandler({ ...secrets(env), enqueue: (event, context) => context.env.EVENTS.send(event), onError: logError });
    } catch (error) {
      return notConfigured(error);
    }
    return endpoint(request, env, ctx);
  },

  async queue(batch, env) {
    consume ??= createConsumer({ on: handlers, dedup: new DurableObjectDedupStore(env.DEDUP), onError: logError });
    await Promise.all(
      batch.messages.map(async (message) => {
        try {
          await consume(message.body, { env, message });
          message.ack();
        } catch {
          // Already reported by onError; try again later (the dead-letter queue after max_retries).
          message.retry({ delaySeconds: retryDelaySeconds(message.attempts, env.RETRY_BASE_SECONDS) });
        }
      }),
    );
  },
};
