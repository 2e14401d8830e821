// The documented fields of the three helpdesk events, grouped as the
// platform's pages group them (事件体 tables), with an English description
// and the Chinese one from the page (`zh`, verbatim; null where the page
// gives none or only English). Fields the official SDKs model but the event
// page does not list carry `page: false`.
//
// A node: { key, type (the page's type name), kind, en, zh, page?, children? }
// kind says how the typed view formats the value:
//   text      a string            id64      a 64-bit id (a decimal string)
//   int/float a number            bool      true / false
//   ms        milliseconds since the epoch (shown UTC and local)
//   seconds / minutes  a duration
//   enum:F    an enumerated code, labelled with label(F, code)
//   texts     a list of strings
//   object    nested fields       list      a list of objects (children per item)

const f = (key, type, kind, en, zh, extra = {}) => ({ key, type, kind, en, zh, page: true, ...extra });
const sdk = (key, type, kind, en, extra = {}) => ({ key, type, kind, en, zh: null, page: false, ...extra });

const STATUS_ZH = "工单状态，1：已创建 2: 处理中 3: 排队中 4：待定 5：待用户响应 50: 被机器人关闭 51: 被客服关闭 52: 用户自己关闭";
const TICKET_ID_ZH = "工单ID（可以从工单列表里面取，也可以订阅工单创建事件获取）";
const STAGE_ZH = "工单阶段：1. 机器人 2. 人工";

/** `user_id`: the three ids of a user. */
const userIdFields = () => [
  f("union_id", "string", "text", "The user's union ID (on_…)", "用户的 union id"),
  f("user_id", "string", "text", "The user's user ID; sent only with the contact:user.employee_id:readonly scope", "用户的 user id（字段权限要求：获取用户 user ID）"),
  f("open_id", "string", "text", "The user's open ID (ou_…)", "用户的 open id"),
];

/** `ticket_user_event`: a person on a ticket event. */
const ticketUserEvent = () => [
  f("id", "user_id", "object", "The user's IDs", "id", { children: userIdFields() }),
  f("name", "string", "text", "Name", "名称"),
  sdk("avatar_url", "string", "text", "Avatar URL"),
  sdk("email", "string", "text", "E-mail address"),
];

/** `customized_field_display_item[]` */
const customizedField = () => [
  f("id", "string", "text", "Custom field ID", "自定义字段ID"),
  f("value", "string", "text", "Value; for a drop-down, the option's display_name", "自定义字段值"),
  f("key_name", "string", "text", "Key name", "键名"),
  f("display_name", "string", "text", "Display name", "展示名称"),
  f("position", "int", "int", "Display position", "展示位置"),
  f("required", "boolean", "bool", "Required", "是否必填"),
  f("editable", "boolean", "bool", "Editable", "是否可修改"),
];

/** `ticket_event`: the ticket in ticket.created_v1 and ticket.updated_v1's `object`. */
const ticketEvent = () => [
  f("ticket_id", "string", "id64", "Ticket ID (64-bit)", TICKET_ID_ZH),
  f("helpdesk_id", "string", "id64", "Helpdesk ID (64-bit)", "服务台id"),
  f("stage", "int", "enum:stage", "Stage: 1 bot, 2 human", STAGE_ZH),
  f("status", "int", "enum:status", "Status: 1 created … 52 closed by the user", STATUS_ZH),
  f("score", "int", "enum:score", "Score: 1 unsatisfied, 2 neutral, 3 satisfied", "工单评分，1：不满意，2:一般，3:满意"),
  f("created_at", "int", "ms", "Created", "创建时间"),
  f("updated_at", "int", "ms", "Last updated; the platform sends -1 for no value (then absent here)", "工单更新时间，没有值时为-1"),
  f("closed_at", "int", "ms", "Closed", "关单时间"),
  f("channel", "int", "enum:channel", "Channel: 9 Open API, 2 QR code, 14 share, 13 search, any other number other", "工单渠道，描述：9：Open API 2：二维码 14：分享 13：搜索 其他数字：其他渠道"),
  f("solve", "int", "enum:solve", "Solved: 1 no, 2 yes", "工单是否解决 1:没解决 2:已解决"),
  f("chat_id", "string", "text", "The ticket's chat ID (oc_…)", "oc_xxxxxxx"),
  f("guest", "ticket_user_event", "object", "The user who opened the ticket", "用户id", { children: ticketUserEvent() }),
  f("customized_fields", "customized_field_display_item[]", "list",
    "Custom fields. This event does not fill them: fetch the ticket by ticket_id to read them",
    "自定义字段。注意：该事件不会返回该值，你可以获取 ticket_id 后调用查询指定工单详情接口查询自定义字段信息。",
    { children: customizedField() }),
  sdk("agents", "ticket_user_event[]", "list", "Agents on the ticket", { children: ticketUserEvent() }),
  sdk("closed_by", "ticket_user_event", "object", "Who closed the ticket", { children: ticketUserEvent() }),
  sdk("collaborators", "ticket_user_event[]", "list", "Collaborators", { children: ticketUserEvent() }),
];

/** `ticket_user`: a person as the REST ticket has them. */
const ticketUser = () => [
  f("id", "string", "text", "User ID", "用户ID"),
  f("avatar_url", "string", "text", "Avatar URL", "用户头像url"),
  f("name", "string", "text", "Name", "用户名"),
  f("email", "string", "text", "E-mail address", "用户邮箱"),
  f("department", "string", "text", "Department name (shown only with permission)", "所在部门名称"),
  f("city", "string", "text", "City", "城市"),
  f("country", "string", "text", "Country code", "国家代号(CountryCode)"),
];
const restUser = () => ticketUser().map((node) => ({ ...node, page: false, zh: null }));

/** `ticket`: the ticket inside ticket_message.created_v1. */
const messageTicket = () => [
  f("ticket_id", "string", "id64", "Ticket ID (64-bit)", TICKET_ID_ZH),
  f("ticket_type", "int", "enum:ticket_type", "Stage: 1 bot, 2 human", STAGE_ZH),
  f("status", "int", "enum:status", "Status: 1 created … 52 closed by the user", STATUS_ZH),
  f("agent_service_duration", "float", "minutes", "Agent service time: last agent reply minus agent entry", "客服服务时长，客服最后一次回复时间距离客服进入时间间隔，单位分钟"),
  f("agent_first_response_duration", "int", "seconds", "Agent entry to first agent reply", "客服首次回复时间距离客服进入时间的间隔(秒)"),
  f("bot_service_duration", "int", "seconds", "Bot service time: ticket creation to agent entry", "机器人服务时间：客服进入时间距离工单创建时间的间隔，单位秒"),
  f("agent_resolution_time", "int", "seconds", "Agent resolution time: agent entry to closing", "客服解决时长，关单时间距离客服进入时间的间隔，单位秒"),
  f("actual_processing_time", "int", "seconds", "Actual processing time: agent entry to closing", "工单实际处理时间：从客服进入到关单，单位秒"),
  f("agent_entry_time", "int", "ms", "Agent entry", "客服进入时间，单位毫秒"),
  f("agent_first_response_time", "int", "ms", "First agent reply", "客服首次回复时间，单位毫秒"),
  f("agent_last_response_time", "int", "ms", "Last agent reply", "客服最后回复时间，单位毫秒"),
  f("comments", "comments", "list", "Notes. Documented as one object, seen as an array: always a list here", "备注", {
    children: [
      f("id", "int", "id64", "Note ID (documented int; 64-bit, kept exact as a string)", "备注ID"),
      f("content", "string", "text", "Note text", "备注"),
      f("created_at", "int", "ms", "Created", "备注时间，单位毫秒"),
      f("user_id", "int", "id64", "Author's ID (documented int; 64-bit, kept exact as a string)", "备注人ID"),
      f("user_name", "string", "text", "Author's name", "备注人姓名"),
      f("user_avatar_url", "string", "text", "Author's avatar URL", "备注人头像"),
    ],
  }),
  f("dissatisfaction_reason", "i18n", "list", "Reason for dissatisfaction. Documented as one object, seen as an array: always a list here", "不满意原因", {
    children: [
      f("zh_cn", "string", "text", "Chinese", "中文描述"),
      f("en_us", "string", "text", "English", "英文描述"),
      f("ja_jp", "string", "text", "Japanese", "日文描述"),
    ],
  }),
  f("customized_fields", "customized_field_display_item[]", "list",
    "Custom fields; absent when there are none. For a drop-down, value is the option's display_name",
    "自定义字段列表，没有值时不设置。下拉菜单的value对应工单字段里面的children.display_name",
    { children: customizedField() }),
  f("agent_owner", "ticket_user", "object", "The agent who owns the ticket", "主责客服", { children: ticketUser() }),
  sdk("helpdesk_id", "string", "id64", "Helpdesk ID (REST ticket model)"),
  sdk("score", "int", "enum:score", "Score (REST ticket model)"),
  sdk("solve", "int", "enum:solve", "Solved (REST ticket model)"),
  sdk("channel", "int", "enum:channel", "Channel (REST ticket model)"),
  sdk("created_at", "int", "ms", "Created (REST ticket model)"),
  sdk("updated_at", "int", "ms", "Updated; -1 (absent here) for no value (REST ticket model)"),
  sdk("closed_at", "int", "ms", "Closed (REST ticket model)"),
  sdk("guest", "ticket_user", "object", "The user who opened the ticket (REST ticket model)", { children: restUser() }),
  sdk("agents", "ticket_user[]", "list", "Agents (REST ticket model)", { children: restUser() }),
  sdk("closed_by", "ticket_user", "object", "Who closed it (REST ticket model)", { children: restUser() }),
  sdk("collaborators", "ticket_user[]", "list", "Collaborators (REST ticket model)", { children: restUser() }),
];

/** The envelope header: the same on every page. `token` is checked, never shown. */
export const HEADER_FIELDS = [
  f("event_id", "string", "text", "The delivery's ID; retries repeat it: deduplicate on it", "事件 ID"),
  f("event_type", "string", "text", "Event type", "事件类型"),
  f("create_time", "string", "ms", "When the event was created", "事件创建时间戳（单位：毫秒）"),
  f("token", "string", "token", "Verification Token: checked against yours, not kept in the result", "事件 Token"),
  f("app_id", "string", "text", "The app the event is for", "应用 ID"),
  f("tenant_key", "string", "text", "The tenant the event comes from", "租户 Key"),
];

/**
 * Per event type: its page's title (Chinese, verbatim) and the groups of
 * `event`, each `{ title, page?, path, type, fields }`: `page` is the page's
 * own (English) description of the group, `path` where the group sits in
 * `event` (an empty array for `event` itself), `type` the page's type name.
 */
export const EVENTS = {
  "helpdesk.ticket.created_v1": {
    title: "Ticket created",
    zh: "创建工单",
    groups: [{ title: "Ticket", path: [], type: "ticket_event", fields: ticketEvent() }],
  },
  "helpdesk.ticket.updated_v1": {
    title: "Ticket updated",
    zh: "工单状态变更",
    groups: [
      { title: "Ticket after the update", page: "ticket after update", path: ["object"], type: "ticket_event", fields: ticketEvent() },
      {
        title: "Before the update (changed fields only)",
        page: "ticket before update, only has updated fields",
        path: ["old_object"],
        type: "ticket_event_update_info",
        fields: [
          f("stage", "int", "enum:stage", "Stage before the update (page: ticket stage)", null),
          f("status", "int", "enum:status", "Status before the update (page: ticket status)", null),
          f("updated_at", "int", "ms", "Update time before the update (page: ticket update time)", null),
        ],
      },
    ],
  },
  "helpdesk.ticket_message.created_v1": {
    title: "Ticket message",
    zh: "工单消息事件",
    groups: [
      {
        title: "Message",
        path: [],
        type: "ticket_message_event",
        fields: [
          f("ticket_message_id", "string", "id64", "Ticket message ID (64-bit) (page: ticket message id)", null),
          f("message_id", "string", "text", "Open message ID (om_…) (page: open message id)", null),
          f("msg_type", "string", "text", "Message type; text is the only documented one", null),
          f("position", "string", "text", "Position of the message. Documented as a string, seen as a number: always a string here", null),
          f("sender_type", "int", "enum:sender_type", "Sender: 1 bot, 2 guest, 3 agent", null),
          f("text", "string", "text", "Message text (page: message content)", null),
          f("event_id", "string", "text", "This event's own ID, not header.event_id: deduplicate on the header's", null),
          f("chat_id", "string", "text", "Chat ID", null),
          f("sender_id", "user_id", "object", "The sender's IDs", "用户 ID", { children: userIdFields() }),
          f("content", "ticket_message_content", "object", "Message content", null, {
            children: [
              f("content", "string", "text", "Text content", "内容"),
              f("msg_type", "string", "text", "text, post (rich text) or image", "消息类型；text：纯文本；post：富文本；image：图片"),
              f("image_keys", "string[]", "texts", "Image keys", "图片ID"),
              f("image_key", "string", "text", "Image key", "图片ID"),
            ],
          }),
        ],
      },
      { title: "Ticket", page: "ticket related information", path: ["ticket"], type: "ticket", fields: messageTicket() },
    ],
  },
};

/** The documented node for a dotted path in an event type's `event`, if any. */
export function findField(eventType, path) {
  const spec = EVENTS[eventType];
  if (!spec) return undefined;
  const parts = path.split(".").filter((p) => !/^\d+$/.test(p));
  for (const group of spec.groups) {
    if (group.path.some((p, i) => parts[i] !== p)) continue;
    let nodes = group.fields;
    let node;
    for (const part of parts.slice(group.path.length)) {
      node = nodes?.find((n) => n.key === part);
      if (!node) break;
      nodes = node.children;
    }
    if (node) return node;
  }
  return undefined;
}
