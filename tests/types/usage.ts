// Type test: compiled with `tsc --strict --exactOptionalPropertyTypes
// --noEmit` against the installed package (and @types/node), as an ES module
// (usage.mts) and as CommonJS (usage.cts). Each `@ts-expect-error` line must
// fail to compile, or tsc reports it unused.
import * as http from "node:http";
import {
  LarkWebhook,
  LarkWebhookError,
  Status,
  createTestDelivery,
  label,
  createConsumer,
  createHandler,
  createLongConnection,
  MemoryDedupStore,
  RedisDedupStore,
  ENDPOINT_CODES,
  DEDUP_TTL_SECONDS,
  toNodeListener,
  type DedupState,
  type DedupStore,
  type EndpointCode,
  type ErrorCode,
  type FastifyReplyLike,
  type FastifyRequestLike,
  type Inbound,
  type CardActionTrigger,
  type JsonObject,
  type KoaContextLike,
  type NodeRequestLike,
  type NodeResponseLike,
  type TicketMessageCreatedV1,
  type TicketUpdatedV1,
  type UntypedEvent,
} from "larkhook";

const hook = new LarkWebhook({ encryptKey: ["new", "old"], verificationToken: "t", toleranceSeconds: null, maxBodyBytes: 65536 });

export function handle(m: Inbound): string {
  if (m.kind === "event" && m.event_type === "helpdesk.ticket.updated_v1") {
    const updated: TicketUpdatedV1 = m.event;
    const status: number | undefined = m.event.object?.status;
    const before: number | undefined = m.event.old_object?.updated_at;
    // @ts-expect-error the updated event has `object` and `old_object`, no top-level ticket_id
    m.event.ticket_id;
    return `${updated.object?.ticket_id} ${status} ${before}`;
  }
  if (m.kind === "event" && m.event_type === "helpdesk.ticket_message.created_v1") {
    const message: TicketMessageCreatedV1 = m.event;
    const commentId: string | undefined = m.event.ticket?.comments?.[0]?.id;
    // @ts-expect-error 64-bit ids are strings, never numbers
    const asNumber: number | undefined = m.event.ticket?.comments?.[0]?.id;
    // @ts-expect-error the message event has no `object`
    m.event.object;
    return `${message.position} ${commentId} ${asNumber}`;
  }
  if (m.kind === "event" && m.event_type === "card.action.trigger") {
    const card: CardActionTrigger = m.event;
    // `value` is as sent: an object or a string.
    const value: JsonObject | string | undefined = card.action?.value;
    // @ts-expect-error a card action carries no ticket
    m.event.ticket_id;
    return `${card.context?.open_message_id} ${typeof value}`;
  }
  if (m.kind === "event" && m.event_type === "helpdesk.notification.approve_v1") {
    const status: string | undefined = m.event.approve_status;
    return status ?? "";
  }
  if (m.kind === "event") {
    // Only the created event is left.
    const ticketId: string | undefined = m.event.ticket_id;
    // @ts-expect-error a typed event is always typed
    if (m.typed === false) return "never";
    return ticketId ?? "";
  }
  if (m.kind === "untyped_event") {
    const reason: string | undefined = m.decode_error;
    const type: string = m.event_type;
    return `${type} ${reason} ${JSON.stringify(m.event)}`;
  }
  if (m.kind === "card_action") {
    // The legacy message-card callback: typed under `event`, no header.
    if (m.typed) return `${m.event.open_message_id} ${m.event.action?.tag}`;
    return m.decode_error;
  }
  const response: { challenge: string } = m.response;
  return response.challenge;
}

export function misuse(): void {
  // @ts-expect-error options are checked (encryptKey, not encryptkey)
  new LarkWebhook({ encryptkey: "typo" });
  // @ts-expect-error the body must be the raw body, not a parsed object
  hook.parse({ headers: {}, body: { already: "parsed" } });
  // @ts-expect-error tolerance is a number or null
  new LarkWebhook({ toleranceSeconds: "300" });
  // @ts-expect-error labels exist only for enumerated fields
  label("ticket_id", 1);
}

export function errors(): ErrorCode | EndpointCode | undefined {
  try {
    hook.parse(createTestDelivery({ event: { type: "url_verification", challenge: "c" } }));
  } catch (e) {
    if (e instanceof LarkWebhookError) {
      const status: number = e.status;
      return status > 0 ? e.code : undefined;
    }
  }
  return label("status", Status.ClosedByBot, "zh") === "被机器人关闭" ? undefined : "invalid_argument";
}

export async function request(r: Request): Promise<string> {
  return handle(await hook.parseRequest(r));
}

export async function adapters(req: NodeRequestLike, res: NodeResponseLike, ctx: KoaContextLike, request: FastifyRequestLike, reply: FastifyReplyLike): Promise<void> {
  const listener = toNodeListener(createHandler({ encryptKey: "k" }));
  await listener(req, res);
  await listener(ctx);
  await listener(request, reply);
  const kept: NodeRequestLike["rawBody"] = new Uint8Array(2);
  // @ts-expect-error a parsed object is never a raw body
  const parsed: NodeRequestLike["rawBody"] = { already: "parsed" };
  // @ts-expect-error the listener adapts a Fetch handler, (request) => Promise<Response>
  toNodeListener((text: string) => text);
  const code: EndpointCode = "body_already_read";
  return void [kept, parsed, code];
}

// Delivery: the endpoint, its stores and the queue consumer.
export async function delivery(client: object): Promise<number> {
  const store: DedupStore = new RedisDedupStore({ client, prefix: "app:" });
  const state: DedupState = await store.begin("id", 60, "owner");
  const memory = new MemoryDedupStore({ maxEntries: 10, clock: () => 0 });
  const handler = createHandler({
    encryptKey: "k",
    verificationToken: "t",
    dedup: state === "new" ? store : memory,
    deadlineMs: 2000,
    leaseSeconds: 30,
    on: { "helpdesk.ticket.created_v1": async (m, context) => fetch(`https://backend.test/${m.kind}?from=${context.request.url}`, { signal: context.signal }) },
    // A legacy card callback (kind "card_action") has no header.
    onError: (error, event) => console.error(error, event?.kind === "card_action" ? event.event_type : event?.header.event_id),
  });
  const consume = createConsumer<{ attempt: number }>({ on: { "*": (m, context) => `${m.event_type} ${context.attempt} ${context.signal.aborted}` }, dedup: false });
  // A store may renew leases (extend), or not.
  const renewing: DedupStore = { begin: () => "new", extend: async () => true, done() {}, release() {} };
  const plain: DedupStore = { begin: () => "new", done() {}, release() {} };
  const renewed: boolean = await memory.extend("id", 60, "owner");
  // @ts-expect-error extend answers whether the lease is still the owner's
  const wrongExtend: DedupStore = { begin: () => "new", extend: () => "yes", done() {}, release() {} };
  new LarkWebhook({ encryptKey: "k", maxAgeSeconds: 27_000 });
  void [renewing, plain, renewed, wrongExtend, DEDUP_TTL_SECONDS / 3600];
  // @ts-expect-error a dedup store implements begin, done and release, not the old claim
  createHandler({ dedup: { claim: () => true } });
  // @ts-expect-error deadlineMs is a number of milliseconds
  createHandler({ deadlineMs: "2s" });
  // Card callbacks: the handler's value is the answer.
  createHandler({
    encryptKey: "k",
    verificationToken: "t",
    callbackErrorToast: "Could not do that",
    on: {
      "card.action.trigger": (m) => {
        if (m.kind === "event") return { toast: { type: "success", content: `${m.event.action?.tag}` } };
        return undefined;
      },
      card_action: async (m) => {
        if (m.kind !== "card_action") return undefined;
        return { card: { type: "raw", data: { elements: [] } }, toast: { type: "info", content: m.typed ? `${m.event.open_id}` : m.decode_error } };
      },
    },
  });
  // @ts-expect-error a toast's type is one of info, success, error, warning
  createHandler({ on: { "card.action.trigger": () => ({ toast: { type: "fine", content: "x" } }) } });
  const drained: boolean = await handler.drain({ timeoutMs: 1000 });
  const response: Response = await handler(new Request("http://x/", { method: "POST" }));
  const inbound = hook.parse(createTestDelivery({ event: "{}" }));
  // @ts-expect-error a challenge is not an event to consume
  await consume(inbound, { attempt: 1 });
  // @ts-expect-error a legacy card callback has no event_id to consume by
  if (inbound.kind === "card_action") await consume(inbound, { attempt: 1 });
  if (inbound.kind !== "challenge" && inbound.kind !== "card_action") await consume(inbound, { attempt: 1 });
  return (drained ? ENDPOINT_CODES.in_progress : 0) + response.status + memory.size + handler.pending;
}

// Under exactOptionalPropertyTypes: options read from the environment (string | undefined)
// are accepted, and node:http takes the listener as it is.
export function fromEnvironment(): http.Server {
  const handler = createHandler({ encryptKey: process.env.LARK_ENCRYPT_KEY, verificationToken: process.env.LARK_VERIFICATION_TOKEN, deadlineMs: undefined });
  const parsed = new LarkWebhook({ encryptKey: process.env.LARK_ENCRYPT_KEY, toleranceSeconds: undefined }).parse({ headers: {}, body: "", now: undefined });
  createTestDelivery({ event: {}, encryptKey: process.env.LARK_ENCRYPT_KEY, verificationToken: undefined });
  new MemoryDedupStore({ maxEntries: undefined });
  return http.createServer(toNodeListener(handler)).on("close", () => parsed.kind);
}

// A handler for an event type outside the typed set receives the untyped event, not `any`.
export const untyped = createHandler({
  encryptKey: "k",
  on: {
    "im.message.receive_v1": (m) => {
      const event: UntypedEvent = m;
      // @ts-expect-error an untyped event has no such field: m is not `any`
      m.not_a_field;
      return event.event_type;
    },
    "helpdesk.ticket.created_v1": (m) => (m.kind === "event" ? m.event.ticket_id : m.decode_error),
  },
});
export const consumed = createConsumer<{ attempt: number }>({ on: { "im.chat.updated_v1": (m, context) => `${m.event_type} ${JSON.stringify(m.event)} ${context.attempt}` } });

// Options from a function, read on the first request: a Worker's env, or nothing (Next.js).
export const worker = { fetch: createHandler((env) => ({ encryptKey: env.LARK_ENCRYPT_KEY, verificationToken: env.LARK_VERIFICATION_TOKEN })) };
export const POST = createHandler(() => ({ encryptKey: process.env.LARK_ENCRYPT_KEY }));
interface MyEnv {
  LARK_ENCRYPT_KEY: string;
  DEDUP: { idFromName(name: string): unknown };
}
export const typedEnv = createHandler((env: MyEnv) => ({ encryptKey: env.LARK_ENCRYPT_KEY }));
// @ts-expect-error the function returns the options
createHandler(() => "not options");

// The long connection answers card callbacks as createHandler does, with the same toast option.
export const socket = createLongConnection({
  appId: process.env.LARK_APP_ID,
  appSecret: process.env.LARK_APP_SECRET,
  callbackErrorToast: { type: "warning", content: "Try again later" },
  on: {
    "card.action.trigger": async (m, context) => (m.kind === "event" && context.type === "card" ? { toast: { type: "success", content: `${m.event.action?.tag}` } } : undefined),
  },
});
// @ts-expect-error callbackErrorToast is the toast's text or a toast
createLongConnection({ appId: "cli_x", appSecret: "s", callbackErrorToast: 5 });
