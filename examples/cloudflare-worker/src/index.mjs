// A Lark/Feishu helpdesk webhook endpoint on Cloudflare Workers.
//
// POST /webhook/event: the platform's deliveries. Challenges are answered;
// forged, stale or malformed deliveries refused with a coded error; each
// event is handled before the answer, once per event id (a Durable Object
// per id holds the lease): 200 once the handler succeeded, 500 when it
// threw, 503 while it is still running at 2.5 s (it carries on in
// ctx.waitUntil) or when the store is unreachable. The platform retries
// every non-200 after 15 s, 5 min, 1 h and 6 h.
//
// For handlers that need more than a few seconds, or retries for longer than
// the platform's 7 hours, see the Queues variant (queue.mjs).
import { createHandler } from "larkhook";

import { DurableObjectDedupStore } from "./dedup-object.mjs";
import { handlers, logError, notConfigured, secrets } from "./handlers.mjs";

export { DedupObject } from "./dedup-object.mjs";

// Built on the first request (secrets arrive with `env`) and reused by the
// isolate, so keys are derived once per isolate, not per request.
let endpoint;

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== "/webhook/event") {
      return new Response("larkhook: POST Lark/Feishu events to /webhook/event\n", { status: 404 });
    }
    try {
      endpoint ??= createHandler({ ...secrets(env), dedup: new DurableObjectDedupStore(env.DEDUP), on: handlers, onError: logError });
    } catch (error) {
      return notConfigured(error);
    }
    return endpoint(request, env, ctx);
  },
};
