// The codes the endpoint (createHandler, createConsumer, toNodeListener,
// parseRequest) answers with, besides the core's own (ERROR_CODES, decided in
// Rust). Defined once here, in core/ because LarkWebhook.parseRequest
// answers with one of them too: the handler, the consumer, the Node adapter
// and the TypeScript declarations follow this table.
// Every answer body is `{ code, message }`; the message says what to do.

/** Endpoint code -> HTTP status. Every 5xx makes the platform retry the delivery. */
export const ENDPOINT_CODES = Object.freeze({
  /** The request itself is malformed (its target is not a URL, its headers do not convert). */
  invalid_request: 400,
  method_not_allowed: 405,
  /** A body parser read the body before larkhook: the raw bytes the signature covers are gone. */
  body_already_read: 500,
  internal_error: 500,
  handler_failed: 500,
  /** A card callback's handler resolved to something that is not a plain JSON object (nor nothing). */
  invalid_callback_answer: 500,
  enqueue_failed: 500,
  in_progress: 503,
  dedup_unavailable: 503,
  enqueue_timeout: 503,
  /** Reported, not answered: a running handler's lease was lost (its `context.signal` aborts with it). */
  lease_lost: 503,
  /** Reported, not answered: `drain` gave up on a running handler (its `context.signal` aborts with it). */
  drain_timeout: 503,
});

/** Endpoint code -> the default message of its answer. */
export const ENDPOINT_MESSAGES = Object.freeze({
  method_not_allowed: "the platform delivers events with POST; send a POST request to this URL",
  internal_error: "the delivery could not be read; see the server's onError log, the platform will retry",
  handler_failed: "the event handler threw; it was reported to onError and the platform's retry will run it again",
  enqueue_failed: "the event could not be queued; it was reported to onError and the platform will retry",
  invalid_callback_answer: "the card callback's handler resolved to something that is not a plain object ({ toast?, card? }); see onError",
  in_progress: "the event is still being handled; the platform's retry will get the outcome",
  dedup_unavailable: "the dedup store failed, so the event was not handled; check the store (see onError), the platform will retry",
  enqueue_timeout: "queuing the event took longer than deadlineMs; the platform will retry",
});
