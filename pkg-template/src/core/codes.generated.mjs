// Generated from the Rust registry by `make generate` (cargo test --test generated).
// Do not edit by hand.

export const Stage = Object.freeze({ Bot: 1, Human: 2 });
export const Status = Object.freeze({ Created: 1, Processing: 2, Queued: 3, Pending: 4, WaitingForUser: 5, ClosedByBot: 50, ClosedByAgent: 51, ClosedByUser: 52 });
export const Score = Object.freeze({ Unsatisfied: 1, Neutral: 2, Satisfied: 3 });
export const Solve = Object.freeze({ Unsolved: 1, Solved: 2 });
export const Channel = Object.freeze({ OpenApi: 9, QrCode: 2, Share: 14, Search: 13 });
export const SenderType = Object.freeze({ Bot: 1, Guest: 2, Agent: 3 });

/** field -> code -> [English, Chinese]; "*" is the label for codes not listed. */
export const LABELS = Object.freeze({
  stage: Object.freeze({ 1: ["bot", "机器人"], 2: ["human", "人工"], "*": ["unknown stage", "未知阶段"] }),
  ticket_type: Object.freeze({ 1: ["bot", "机器人"], 2: ["human", "人工"], "*": ["unknown stage", "未知阶段"] }),
  status: Object.freeze({ 1: ["created", "已创建"], 2: ["processing", "处理中"], 3: ["queued", "排队中"], 4: ["pending", "待定"], 5: ["waiting for the user", "待用户响应"], 50: ["closed by bot", "被机器人关闭"], 51: ["closed by agent", "被客服关闭"], 52: ["closed by the user", "用户自己关闭"], "*": ["unknown status", "未知状态"] }),
  score: Object.freeze({ 1: ["unsatisfied", "不满意"], 2: ["neutral", "一般"], 3: ["satisfied", "满意"], "*": ["unknown score", "未知评分"] }),
  solve: Object.freeze({ 1: ["unsolved", "没解决"], 2: ["solved", "已解决"], "*": ["unknown", "未知"] }),
  channel: Object.freeze({ 9: ["Open API", "Open API"], 2: ["QR code", "二维码"], 14: ["share", "分享"], 13: ["search", "搜索"], "*": ["other channel", "其他渠道"] }),
  sender_type: Object.freeze({ 1: ["bot", "机器人"], 2: ["guest", "用户"], 3: ["agent", "客服"], "*": ["unknown sender", "未知发送者"] }),
});

/** Every error code the core raises, in its order. */
export const ERROR_CODES = Object.freeze(["body_too_large", "missing_signature", "duplicate_header", "invalid_timestamp", "timestamp_out_of_range", "signature_mismatch", "invalid_json", "decrypt_failed", "key_required", "token_required", "plaintext_rejected", "unsupported_schema", "invalid_envelope", "token_mismatch", "invalid_config", "invalid_argument"]);

/** The event types larkhook decodes into typed models; every other type arrives untyped. */
export const EventType = Object.freeze({ TicketCreatedV1: "helpdesk.ticket.created_v1", TicketUpdatedV1: "helpdesk.ticket.updated_v1", TicketMessageCreatedV1: "helpdesk.ticket_message.created_v1", NotificationApproveV1: "helpdesk.notification.approve_v1", CardActionTrigger: "card.action.trigger" });

/** The callbacks (`card_action`: the legacy message-card callback's kind): their handler's value is the answer. */
export const CALLBACK_TYPES = Object.freeze(["card.action.trigger", "card_action"]);

/** The steps of parse, in order (the ids inspect reports). */
export const STEP_IDS = Object.freeze(["body_size", "headers", "timestamp", "signature", "body_json", "decryption", "payload_json", "schema", "token", "event_type", "typed_model"]);

/** Each step's title for people, by id. */
export const STEP_TITLES = Object.freeze({ body_size: "Body size", headers: "Signature headers", timestamp: "Timestamp within the window", signature: "Signature", body_json: "Body is JSON", decryption: "Decryption", payload_json: "Payload is JSON", schema: "Schema", token: "Verification Token", event_type: "Event type", typed_model: "Typed model" });

/** The settings an error can name (see Error::setting in the core). */
export const SETTINGS = Object.freeze(["encrypt_key", "verification_token", "tolerance_seconds", "max_age_seconds", "max_body_bytes", "insecure"]);

/** The core's defaults. */
export const DEFAULTS = Object.freeze({ toleranceSeconds: 300, maxBodyBytes: 1048576 });

/** The largest body size limit (`maxBodyBytes`) a configuration accepts. */
export const MAX_BODY_BYTES_LIMIT = 67108864;

/** The signature headers, lower-cased. */
export const SIGNATURE_HEADERS = Object.freeze(["x-lark-request-timestamp", "x-lark-request-nonce", "x-lark-signature"]);
