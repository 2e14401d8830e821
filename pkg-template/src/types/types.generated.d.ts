// Generated from the Rust registry by `make generate` (cargo test --test generated).
// Do not edit by hand.

/** `stage`, `ticket_type`: 1 bot, 2 human; other numbers may appear and are kept. */
export type Stage = 1 | 2 | (number & {});

/** `status`: 1 created, 2 processing, 3 queued, 4 pending, 5 waiting for the user, 50 closed by bot, 51 closed by agent, 52 closed by the user; other numbers may appear and are kept. */
export type Status = 1 | 2 | 3 | 4 | 5 | 50 | 51 | 52 | (number & {});

/** `score`: 1 unsatisfied, 2 neutral, 3 satisfied; other numbers may appear and are kept. */
export type Score = 1 | 2 | 3 | (number & {});

/** `solve`: 1 unsolved, 2 solved; other numbers may appear and are kept. */
export type Solve = 1 | 2 | (number & {});

/** `channel`: 9 Open API, 2 QR code, 14 share, 13 search; other numbers may appear and are kept. */
export type Channel = 9 | 2 | 14 | 13 | (number & {});

/** `sender_type`: 1 bot, 2 guest, 3 agent; other numbers may appear and are kept. */
export type SenderType = 1 | 2 | 3 | (number & {});

/** The three ids of a user (`user_id` type in the documentation). */
export interface UserId {
  /** The user's union id (`on_...`). */
  union_id?: string;
  /** The user's user id; sent only with the `contact:user.employee_id:readonly` scope. */
  user_id?: string;
  /** The user's open id (`ou_...`). */
  open_id?: string;
}

/** A person on a ticket event (`ticket_user_event`): the guest, an agent, a collaborator. */
export interface TicketUserEvent {
  /** The user's ids. */
  id?: UserId;
  /** Display name. */
  name?: string;
  /** Avatar URL (modelled by the official SDKs; not on the event page). */
  avatar_url?: string;
  /** E-mail address (modelled by the official SDKs; not on the event page). */
  email?: string;
}

/** A custom ticket field (`customized_field_display_item`). */
export interface CustomizedField {
  /** Custom field id. */
  id?: string;
  /** Field value; for a drop-down, the option's `display_name`. */
  value?: string;
  /** Key name. */
  key_name?: string;
  /** Display name. */
  display_name?: string;
  /** Display position. */
  position?: number;
  /** Whether the field is required. */
  required?: boolean;
  /** Whether the field can be edited. */
  editable?: boolean;
}

/** A ticket as `helpdesk.ticket.created_v1` sends it, and as `helpdesk.ticket.updated_v1` sends `object` (`ticket_event`). */
export interface TicketEvent {
  /** Ticket id (64-bit, as a decimal string). */
  ticket_id?: string;
  /** Helpdesk id (64-bit, as a decimal string). */
  helpdesk_id?: string;
  /** Stage: 1 bot, 2 human. */
  stage?: Stage;
  /** Status: 1 created … 52 closed by the user. */
  status?: Status;
  /** Score: 1 unsatisfied, 2 neutral, 3 satisfied. */
  score?: Score;
  /** Created, milliseconds since the epoch. */
  created_at?: number;
  /** Last updated, milliseconds since the epoch; absent where the platform sends `-1`. */
  updated_at?: number;
  /** Closed, milliseconds since the epoch. */
  closed_at?: number;
  /** Channel: 9 Open API, 2 QR code, 14 share, 13 search, any other number other. */
  channel?: Channel;
  /** Solved: 1 no, 2 yes. */
  solve?: Solve;
  /** The ticket's chat id (`oc_...`). */
  chat_id?: string;
  /** The user who opened the ticket. */
  guest?: TicketUserEvent;
  /** Custom fields. This event does not fill them: fetch the ticket by `ticket_id` to read them. */
  customized_fields?: CustomizedField[];
  /** Agents on the ticket (modelled by the official SDKs). */
  agents?: TicketUserEvent[];
  /** Who closed the ticket (modelled by the official SDKs). */
  closed_by?: TicketUserEvent;
  /** Collaborators (modelled by the official SDKs). */
  collaborators?: TicketUserEvent[];
}

/** The fields of a ticket before an update (`ticket_event_update_info`): only those that changed are present. */
export interface TicketEventUpdateInfo {
  /** Stage before the update. */
  stage?: Stage;
  /** Status before the update. */
  status?: Status;
  /** Update time before the update, milliseconds; absent for `-1`. */
  updated_at?: number;
}

/** The event body of `helpdesk.ticket.updated_v1`. */
export interface TicketUpdatedV1 {
  /** The ticket after the update. */
  object?: TicketEvent;
  /** The changed fields' values before the update. */
  old_object?: TicketEventUpdateInfo;
}

/** A ticket note (`comments`). */
export interface Comment {
  /** Note id (documented `int`; 64-bit, kept as a decimal string). */
  id?: string;
  /** Note text. */
  content?: string;
  /** Created, milliseconds since the epoch. */
  created_at?: number;
  /** Author's id (documented `int`; 64-bit, kept as a decimal string). */
  user_id?: string;
  /** Author's name. */
  user_name?: string;
  /** Author's avatar URL. */
  user_avatar_url?: string;
}

/** A text in three languages (`i18n`). */
export interface I18n {
  /** Chinese. */
  zh_cn?: string;
  /** English. */
  en_us?: string;
  /** Japanese. */
  ja_jp?: string;
}

/** A person as the REST ticket model has them (`ticket_user`): agents, owner, closer. */
export interface TicketUser {
  /** User id (e.g. an open id). */
  id?: string;
  /** Avatar URL. */
  avatar_url?: string;
  /** Name. */
  name?: string;
  /** E-mail address. */
  email?: string;
  /** Department name (only with permission). */
  department?: string;
  /** City. */
  city?: string;
  /** Country code. */
  country?: string;
}

/** The ticket inside `helpdesk.ticket_message.created_v1` (`ticket`): the fields on the event page plus those of the full REST ticket that the official SDKs model. */
export interface Ticket {
  /** Ticket id (64-bit, as a decimal string). */
  ticket_id?: string;
  /** Notes; documented as one object, seen as an array: always a list here. */
  comments?: Comment[];
  /** Stage: 1 bot, 2 human. */
  ticket_type?: Stage;
  /** Status: 1 created … 52 closed by the user. */
  status?: Status;
  /** Reason for dissatisfaction; documented as one object, seen as an array: always a list here. */
  dissatisfaction_reason?: I18n[];
  /** Custom fields; absent when there are none. For a drop-down, `value` is the option's `display_name`. */
  customized_fields?: CustomizedField[];
  /** Agent service time: last agent reply minus agent entry, minutes. */
  agent_service_duration?: number;
  /** Agent entry to first agent reply, seconds. */
  agent_first_response_duration?: number;
  /** Ticket creation to agent entry (bot service time), seconds. */
  bot_service_duration?: number;
  /** Agent entry to closing, seconds. */
  agent_resolution_time?: number;
  /** Actual processing time, agent entry to closing, seconds. */
  actual_processing_time?: number;
  /** Agent entry, milliseconds since the epoch. */
  agent_entry_time?: number;
  /** First agent reply, milliseconds since the epoch. */
  agent_first_response_time?: number;
  /** Last agent reply, milliseconds since the epoch. */
  agent_last_response_time?: number;
  /** The agent who owns the ticket. */
  agent_owner?: TicketUser;
  /** Helpdesk id (REST ticket model). */
  helpdesk_id?: string;
  /** Score (REST ticket model). */
  score?: Score;
  /** Solved (REST ticket model). */
  solve?: Solve;
  /** Channel (REST ticket model). */
  channel?: Channel;
  /** Created, milliseconds (REST ticket model). */
  created_at?: number;
  /** Updated, milliseconds; absent for `-1` (REST ticket model). */
  updated_at?: number;
  /** Closed, milliseconds (REST ticket model). */
  closed_at?: number;
  /** The user who opened the ticket (REST ticket model). */
  guest?: TicketUser;
  /** Agents (REST ticket model). */
  agents?: TicketUser[];
  /** Who closed it (REST ticket model). */
  closed_by?: TicketUser;
  /** Collaborators (REST ticket model). */
  collaborators?: TicketUser[];
}

/** The content of a ticket message (`ticket_message_content`). */
export interface TicketMessageContent {
  /** Text content. */
  content?: string;
  /** `text`, `post` (rich text) or `image`. */
  msg_type?: string;
  /** Image keys. */
  image_keys?: string[];
  /** Image key. */
  image_key?: string;
}

/** The event body of `helpdesk.ticket_message.created_v1`. */
export interface TicketMessageCreatedV1 {
  /** Ticket message id (64-bit, as a decimal string). */
  ticket_message_id?: string;
  /** Open message id (`om_...`). */
  message_id?: string;
  /** Message type; `text` is the only documented one. */
  msg_type?: string;
  /** Position of the message; documented as a string, seen as a number: always a string here. */
  position?: string;
  /** The sender's ids. */
  sender_id?: UserId;
  /** Sender: 1 bot, 2 guest, 3 agent. */
  sender_type?: SenderType;
  /** Message text. */
  text?: string;
  /** The ticket the message belongs to. */
  ticket?: Ticket;
  /** This event's own id (UUID-like); distinct from `header.event_id`, which is the one to deduplicate on. */
  event_id?: string;
  /** Chat id. */
  chat_id?: string;
  /** Message content. */
  content?: TicketMessageContent;
}

/** The event body of `helpdesk.notification.approve_v1`: the approval result of a push notification (the flow create → submit_approve → execute_send). */
export interface NotificationApproveV1 {
  /** The push notification's id (64-bit, as a decimal string). */
  notification_id?: string;
  /** Helpdesk id (64-bit, as a decimal string). */
  helpdesk_id?: string;
  /** The approval result as the platform words it, e.g. `APPROVED` or `REJECTED`. */
  approve_status?: string;
}

/** The person who clicked or submitted (`operator`). */
export interface CallbackOperator {
  /** The user's open id (`ou_...`). */
  open_id?: string;
  /** The user's user id; sent only with the `contact:user.employee_id:readonly` scope. */
  user_id?: string;
  /** The user's union id (`on_...`). */
  union_id?: string;
  /** The tenant the user belongs to. */
  tenant_key?: string;
}

/** What the user did on the card (`action`): the component's `tag`, the `value` the card declared for it, and what the component collected. */
export interface CallbackAction {
  /** The `value` the card declared on the component, as sent: an object or a string (numbers JavaScript cannot hold exactly arrive as strings of their digits). */
  value?: JsonObject | string;
  /** The component: `button`, `select_static`, `input`, `checker`, `date_picker`, ... */
  tag?: string;
  /** The component's `name` (form components, and buttons that set one). */
  name?: string;
  /** A submitted form's values by component name, as sent. */
  form_value?: JsonObject;
  /** The text of an input component. */
  input_value?: string;
  /** The chosen option of a single-choice component (a select menu, a date picker's date). */
  option?: string;
  /** The chosen options of a multi-select component. */
  options?: string[];
  /** Whether a checker component is now checked. */
  checked?: boolean;
  /** The user's time zone (date and time pickers). */
  timezone?: string;
}

/** Where the card is (`context`). */
export interface CallbackContext {
  /** The message holding the card (`om_...`). */
  open_message_id?: string;
  /** The chat the message is in (`oc_...`). */
  open_chat_id?: string;
  /** The link a URL-preview card was unfurled from. */
  url?: string;
  /** The token of a URL preview. */
  preview_token?: string;
}

/** The event body of `card.action.trigger`: someone clicked a button or submitted a form on a card the app sent. Answer within 3 seconds with the toast and card to show (`{}` changes nothing); update the card later with `token`. */
export interface CardActionTrigger {
  /** Who acted. */
  operator?: CallbackOperator;
  /** The card's update token (`c-...`): valid for 30 minutes, for at most 2 updates through the delayed-update API. Not the Verification Token. */
  token?: string;
  /** What the user did. */
  action?: CallbackAction;
  /** Where the card is shown: `im_message`, `im_top_notice`, ... */
  host?: string;
  /** How the card was delivered, e.g. `url_preview` (modelled by the official SDKs). */
  delivery_type?: string;
  /** The message and chat of the card. */
  context?: CallbackContext;
}

/** The legacy message-card callback (`kind: "card_action"`): the card's "request URL" of the older scheme, a plain JSON body signed with `SHA-1(timestamp || nonce || Verification Token || body)`. Answer like `card.action.trigger`. */
export interface CardAction {
  /** The user's open id (`ou_...`). */
  open_id?: string;
  /** The user's user id; sent only with the `contact:user.employee_id:readonly` scope. */
  user_id?: string;
  /** The message holding the card (`om_...`). */
  open_message_id?: string;
  /** The chat the message is in (`oc_...`). */
  open_chat_id?: string;
  /** The tenant the user belongs to. */
  tenant_key?: string;
  /** The card's update token (`c-...`): not the Verification Token, which signs the request and is never in the body. */
  token?: string;
  /** What the user did. */
  action?: CallbackAction;
}

/** The envelope header of an event, the same shape for both schemas (`header` in 2.0; `uuid`, `ts` and the event's `app_id` and `tenant_key` in 1.0). The Verification Token is checked and not kept. */
export interface EventHeader {
  /** The delivery's id: `header.event_id` (2.0) or `uuid` (1.0). Retries repeat it: deduplicate on it. */
  event_id: string;
  /** The event type, e.g. `helpdesk.ticket.created_v1`. */
  event_type: string;
  /** When the event was created, in the platform's unit: milliseconds since the epoch (`header.create_time` in 2.0, `ts` in 1.0), but microseconds for a callback (`card.action.trigger`), kept as sent. */
  create_time?: number;
  /** The app the event is for. */
  app_id?: string;
  /** The tenant the event comes from. */
  tenant_key?: string;
}

/** The event body of `helpdesk.ticket.created_v1`: the new ticket. */
export type TicketCreatedV1 = TicketEvent;

/** Any JSON value, as `JSON.parse` returns it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, as `JSON.parse` returns it. */
export type JsonObject = { [key: string]: JsonValue };

/** The URL-verification request: answer HTTP 200 with `response` as JSON. */
export interface ChallengeRequest {
  kind: "challenge";
  /** The value to echo back. */
  challenge: string;
  /** The exact body to answer with. */
  response: { challenge: string };
}

/** One of the typed helpdesk events, decoded into its model. */
export interface TypedEvent<T extends string, E> {
  kind: "event";
  schema: "2.0";
  event_type: T;
  typed: true;
  header: EventHeader;
  /** The event body, field names as in the platform documentation. */
  event: E;
  /**
   * The decrypted JSON text exactly as sent. It holds the Verification Token:
   * readable by name, but not enumerable, so `JSON.stringify` and
   * `util.inspect` of the event leave it out.
   */
  readonly raw: string;
}

/**
 * Any other event, or a helpdesk event whose body did not decode (then
 * `decode_error` says where and why). Integers beyond ±(2^53 − 1) and
 * numbers beyond a double's range in `event` arrive as decimal strings, so
 * that none is silently rounded.
 */
export interface UntypedEvent {
  kind: "untyped_event";
  schema: "2.0" | "1.0";
  event_type: string;
  typed: false;
  header: EventHeader;
  event: JsonValue;
  decode_error?: string;
  /** As `TypedEvent.raw`: readable by name, not enumerable. */
  readonly raw: string;
}

/**
 * A legacy message-card callback (a plain body signed with SHA-1 over the
 * Verification Token): `event` is its body, typed; when the body does not
 * fit the model, `typed` is false and `decode_error` says where. It has no
 * header and no `event_id` (it is not deduplicated); `event_type` is
 * `"card_action"`, its handler's name in `on`. Answer it like `card.action.trigger`.
 */
export type CardActionRequest =
  | { kind: "card_action"; event_type: "card_action"; typed: true; event: CardAction; readonly raw: string }
  | { kind: "card_action"; event_type: "card_action"; typed: false; event: JsonValue; decode_error: string; readonly raw: string };

/**
 * What `parse` returns. Narrow on `kind`, then on `event_type`:
 * `if (m.kind === "event" && m.event_type === "helpdesk.ticket.updated_v1")`
 * makes `m.event` a `TicketUpdatedV1`.
 */
export type Inbound = ChallengeRequest | HelpdeskEvent | UntypedEvent | CardActionRequest;

/** `helpdesk.ticket.created_v1` */
export type TicketCreatedEvent = TypedEvent<"helpdesk.ticket.created_v1", TicketCreatedV1>;
/** `helpdesk.ticket.updated_v1` */
export type TicketUpdatedEvent = TypedEvent<"helpdesk.ticket.updated_v1", TicketUpdatedV1>;
/** `helpdesk.ticket_message.created_v1` */
export type TicketMessageCreatedEvent = TypedEvent<"helpdesk.ticket_message.created_v1", TicketMessageCreatedV1>;
/** `helpdesk.notification.approve_v1` */
export type NotificationApproveEvent = TypedEvent<"helpdesk.notification.approve_v1", NotificationApproveV1>;
/** `card.action.trigger` */
export type CardActionTriggerEvent = TypedEvent<"card.action.trigger", CardActionTrigger>;

/** The typed events (the helpdesk events and `card.action.trigger`), a union discriminated by `event_type`. */
export type HelpdeskEvent = TicketCreatedEvent | TicketUpdatedEvent | TicketMessageCreatedEvent | NotificationApproveEvent | CardActionTriggerEvent;

/** The event types larkhook decodes into typed models. */
export type HelpdeskEventType = HelpdeskEvent["event_type"];

/** The callbacks: `createHandler` answers them with their handler's value (a toast, a card). */
export type CallbackType = "card.action.trigger" | "card_action";

/** Every `LarkWebhookError.code` the core raises. */
export type ErrorCode = "body_too_large" | "missing_signature" | "duplicate_header" | "invalid_timestamp" | "timestamp_out_of_range" | "signature_mismatch" | "invalid_json" | "decrypt_failed" | "key_required" | "token_required" | "plaintext_rejected" | "unsupported_schema" | "invalid_envelope" | "token_mismatch" | "invalid_config" | "invalid_argument";

/** The steps of `parse`, in order, as `inspect` reports them. */
export type StepId = "body_size" | "headers" | "timestamp" | "signature" | "body_json" | "decryption" | "payload_json" | "schema" | "token" | "event_type" | "typed_model";

/** Named constants for the enumerated fields, e.g. `Status.ClosedByBot === 50`. */
export declare const Stage: { readonly Bot: 1; readonly Human: 2 };
export declare const Status: { readonly Created: 1; readonly Processing: 2; readonly Queued: 3; readonly Pending: 4; readonly WaitingForUser: 5; readonly ClosedByBot: 50; readonly ClosedByAgent: 51; readonly ClosedByUser: 52 };
export declare const Score: { readonly Unsatisfied: 1; readonly Neutral: 2; readonly Satisfied: 3 };
export declare const Solve: { readonly Unsolved: 1; readonly Solved: 2 };
export declare const Channel: { readonly OpenApi: 9; readonly QrCode: 2; readonly Share: 14; readonly Search: 13 };
export declare const SenderType: { readonly Bot: 1; readonly Guest: 2; readonly Agent: 3 };

/** A field with an enumerated value. */
export type EnumField = "stage" | "ticket_type" | "status" | "score" | "solve" | "channel" | "sender_type";

/** The typed event types by name, e.g. `EventType.TicketUpdatedV1 === "helpdesk.ticket.updated_v1"`. */
export declare const EventType: { readonly TicketCreatedV1: "helpdesk.ticket.created_v1"; readonly TicketUpdatedV1: "helpdesk.ticket.updated_v1"; readonly TicketMessageCreatedV1: "helpdesk.ticket_message.created_v1"; readonly NotificationApproveV1: "helpdesk.notification.approve_v1"; readonly CardActionTrigger: "card.action.trigger" };
