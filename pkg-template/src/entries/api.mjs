// The package's public API, listed once. Every runtime entry binds its
// WebAssembly glue (../core/wasm.mjs) and re-exports this module, so that
// `larkhook` offers the same names in Workers, Node, Deno, Bun and browsers;
// types/ declares them.

export { LarkWebhook } from "../core/webhook.mjs";
export { LarkWebhookError } from "../core/errors.mjs";
export { decrypt, encrypt, sign } from "../core/crypto.mjs";
export { createTestDelivery } from "../core/test-delivery.mjs";
export { label } from "../core/labels.mjs";
export { Channel, ERROR_CODES, EventType, Score, SenderType, Solve, Stage, Status } from "../core/codes.generated.mjs";
export { ENDPOINT_CODES } from "../core/answers.mjs";
export { createHandler } from "../endpoint/handler.mjs";
export { summarize } from "../endpoint/summarize.mjs";
export { createConsumer } from "../endpoint/consumer.mjs";
export { DEDUP_TTL_SECONDS, MemoryDedupStore } from "../endpoint/dedup.mjs";
export { RedisDedupStore } from "../endpoint/redis.mjs";
export { toNodeListener } from "../node/listener.mjs";
