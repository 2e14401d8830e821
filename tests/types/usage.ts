// Type test: compiled with `tsc --strict --noEmit` against the installed
// package, as an ES module (usage.mts) and as CommonJS (usage.cts). Each
// `@ts-expect-error` line must fail to compile, or tsc reports it unused.
import {
  LarkWebhook,
  LarkWebhookError,
  Status,
  createTestDelivery,
  label,
  createConsumer,
  createHandler,
  MemoryDedupStore,
  RedisDedupStore,
  ENDPOINT_CODES,
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
    on: { "helpdesk.ticket.created_v1": async (m, context) => `${m.kind} ${context.request.url}` },
    onError: (error, event) => console.error(error, event?.header.event_id),
  });
  const consume = createConsumer<{ attempt: number }>({ on: { "*": (m, context) => `${m.event_type} ${context.attempt}` }, dedup: false });
  // @ts-expect-error a dedup store implements begin, done and release, not the old claim
  createHandler({ dedup: { claim: () => true } });
  // @ts-expect-error deadlineMs is a number of milliseconds
  createHandler({ deadlineMs: "2s" });
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
