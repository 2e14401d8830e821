// Generated from the Rust registry by `make generate` (cargo test --test generated).
// Do not edit by hand.
//
// A node: { key, type (the page's type name), kind (how the typed view shows it:
// text, id64, int, ms, seconds, minutes, bool, texts, enum:<field>, object, list,
// json, token), en, zh (the page's own description, verbatim, or null), page (whether
// the event page lists it; false for fields only the official SDKs model),
// children? }.

/** The envelope header: the same on every page. `token` is checked, never shown. */
export const HEADER_FIELDS = [
  { key: "event_id", type: "string", kind: "text", en: "The delivery's id: `header.event_id` (2.0) or `uuid` (1.0). Retries repeat it: deduplicate on it.", zh: "事件 ID", page: true },
  { key: "event_type", type: "string", kind: "text", en: "The event type, e.g. `helpdesk.ticket.created_v1`.", zh: "事件类型", page: true },
  { key: "create_time", type: "string", kind: "ms", en: "When the event was created, in the platform's unit: milliseconds since the epoch (`header.create_time` in 2.0, `ts` in 1.0), but microseconds for a callback (`card.action.trigger`), kept as sent.", zh: "事件创建时间戳（单位：毫秒）", page: true },
  { key: "token", type: "string", kind: "token", en: "The Verification Token: checked against yours, not kept in the result.", zh: "事件 Token", page: true },
  { key: "app_id", type: "string", kind: "text", en: "The app the event is for.", zh: "应用 ID", page: true },
  { key: "tenant_key", type: "string", kind: "text", en: "The tenant the event comes from.", zh: "租户 Key", page: true },
];

/**
 * Per event type: its title, its page's title (`zh`), and the groups of
 * `event`, each `{ title, page?, path, type, fields }`: `path` is where the
 * group sits in `event`, `page` the page's own description of it.
 */
export const EVENTS = {
  "helpdesk.ticket.created_v1": {
    title: "Ticket created",
    zh: "创建工单",
    groups: [
      { title: "Ticket", path: [], type: "ticket_event", fields: [
        { key: "ticket_id", type: "string", kind: "id64", en: "Ticket id (64-bit, as a decimal string).", zh: "工单ID（可以从工单列表里面取，也可以订阅工单创建事件获取）", page: true },
        { key: "helpdesk_id", type: "string", kind: "id64", en: "Helpdesk id (64-bit, as a decimal string).", zh: "服务台id", page: true },
        { key: "stage", type: "int", kind: "enum:stage", en: "Stage: 1 bot, 2 human.", zh: "工单阶段：1. 机器人 2. 人工", page: true },
        { key: "status", type: "int", kind: "enum:status", en: "Status: 1 created … 52 closed by the user.", zh: "工单状态，1：已创建 2: 处理中 3: 排队中 4：待定 5：待用户响应 50: 被机器人关闭 51: 被客服关闭 52: 用户自己关闭", page: true },
        { key: "score", type: "int", kind: "enum:score", en: "Score: 1 unsatisfied, 2 neutral, 3 satisfied.", zh: "工单评分，1：不满意，2:一般，3:满意", page: true },
        { key: "created_at", type: "int", kind: "ms", en: "Created, milliseconds since the epoch.", zh: "创建时间", page: true },
        { key: "updated_at", type: "int", kind: "ms", en: "Last updated, milliseconds since the epoch; absent where the platform sends `-1`.", zh: "工单更新时间，没有值时为-1", page: true },
        { key: "closed_at", type: "int", kind: "ms", en: "Closed, milliseconds since the epoch.", zh: "关单时间", page: true },
        { key: "channel", type: "int", kind: "enum:channel", en: "Channel: 9 Open API, 2 QR code, 14 share, 13 search, any other number other.", zh: "工单渠道，描述：9：Open API 2：二维码 14：分享 13：搜索 其他数字：其他渠道", page: true },
        { key: "solve", type: "int", kind: "enum:solve", en: "Solved: 1 no, 2 yes.", zh: "工单是否解决 1:没解决 2:已解决", page: true },
        { key: "chat_id", type: "string", kind: "text", en: "The ticket's chat id (`oc_...`).", zh: "oc_xxxxxxx", page: true },
        { key: "guest", type: "ticket_user_event", kind: "object", en: "The user who opened the ticket.", zh: "用户id", page: true, children: [
          { key: "id", type: "user_id", kind: "object", en: "The user's ids.", zh: "id", page: true, children: [
            { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: "用户的 union id", page: true },
            { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: "用户的 user id（字段权限要求：获取用户 user ID）", page: true },
            { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: "用户的 open id", page: true },
          ] },
          { key: "name", type: "string", kind: "text", en: "Display name.", zh: "名称", page: true },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL (modelled by the official SDKs; not on the event page).", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address (modelled by the official SDKs; not on the event page).", zh: null, page: false },
        ] },
        { key: "customized_fields", type: "customized_field_display_item[]", kind: "list", en: "Custom fields. This event does not fill them: fetch the ticket by `ticket_id` to read them.", zh: "自定义字段。注意：该事件不会返回该值，你可以获取 ticket_id 后调用查询指定工单详情接口查询自定义字段信息。", page: true, children: [
          { key: "id", type: "string", kind: "text", en: "Custom field id.", zh: "自定义字段ID", page: true },
          { key: "value", type: "string", kind: "text", en: "Field value; for a drop-down, the option's `display_name`.", zh: "自定义字段值", page: true },
          { key: "key_name", type: "string", kind: "text", en: "Key name.", zh: "键名", page: true },
          { key: "display_name", type: "string", kind: "text", en: "Display name.", zh: "展示名称", page: true },
          { key: "position", type: "int", kind: "int", en: "Display position.", zh: "展示位置", page: true },
          { key: "required", type: "boolean", kind: "bool", en: "Whether the field is required.", zh: "是否必填", page: true },
          { key: "editable", type: "boolean", kind: "bool", en: "Whether the field can be edited.", zh: "是否可修改", page: true },
        ] },
        { key: "agents", type: "ticket_user_event[]", kind: "list", en: "Agents on the ticket (modelled by the official SDKs).", zh: null, page: false, children: [
          { key: "id", type: "user_id", kind: "object", en: "The user's ids.", zh: null, page: false, children: [
            { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: null, page: false },
            { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: null, page: false },
            { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: null, page: false },
          ] },
          { key: "name", type: "string", kind: "text", en: "Display name.", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL (modelled by the official SDKs; not on the event page).", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address (modelled by the official SDKs; not on the event page).", zh: null, page: false },
        ] },
        { key: "closed_by", type: "ticket_user_event", kind: "object", en: "Who closed the ticket (modelled by the official SDKs).", zh: null, page: false, children: [
          { key: "id", type: "user_id", kind: "object", en: "The user's ids.", zh: null, page: false, children: [
            { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: null, page: false },
            { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: null, page: false },
            { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: null, page: false },
          ] },
          { key: "name", type: "string", kind: "text", en: "Display name.", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL (modelled by the official SDKs; not on the event page).", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address (modelled by the official SDKs; not on the event page).", zh: null, page: false },
        ] },
        { key: "collaborators", type: "ticket_user_event[]", kind: "list", en: "Collaborators (modelled by the official SDKs).", zh: null, page: false, children: [
          { key: "id", type: "user_id", kind: "object", en: "The user's ids.", zh: null, page: false, children: [
            { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: null, page: false },
            { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: null, page: false },
            { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: null, page: false },
          ] },
          { key: "name", type: "string", kind: "text", en: "Display name.", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL (modelled by the official SDKs; not on the event page).", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address (modelled by the official SDKs; not on the event page).", zh: null, page: false },
        ] },
      ] },
    ],
  },
  "helpdesk.ticket.updated_v1": {
    title: "Ticket updated",
    zh: "工单状态变更",
    groups: [
      { title: "Ticket after the update", page: "ticket after update", path: ["object"], type: "ticket_event", fields: [
        { key: "ticket_id", type: "string", kind: "id64", en: "Ticket id (64-bit, as a decimal string).", zh: "工单ID（可以从工单列表里面取，也可以订阅工单创建事件获取）", page: true },
        { key: "helpdesk_id", type: "string", kind: "id64", en: "Helpdesk id (64-bit, as a decimal string).", zh: "服务台id", page: true },
        { key: "stage", type: "int", kind: "enum:stage", en: "Stage: 1 bot, 2 human.", zh: "工单阶段：1. 机器人 2. 人工", page: true },
        { key: "status", type: "int", kind: "enum:status", en: "Status: 1 created … 52 closed by the user.", zh: "工单状态，1：已创建 2: 处理中 3: 排队中 4：待定 5：待用户响应 50: 被机器人关闭 51: 被客服关闭 52: 用户自己关闭", page: true },
        { key: "score", type: "int", kind: "enum:score", en: "Score: 1 unsatisfied, 2 neutral, 3 satisfied.", zh: "工单评分，1：不满意，2:一般，3:满意", page: true },
        { key: "created_at", type: "int", kind: "ms", en: "Created, milliseconds since the epoch.", zh: "创建时间", page: true },
        { key: "updated_at", type: "int", kind: "ms", en: "Last updated, milliseconds since the epoch; absent where the platform sends `-1`.", zh: "工单更新时间，没有值时为-1", page: true },
        { key: "closed_at", type: "int", kind: "ms", en: "Closed, milliseconds since the epoch.", zh: "关单时间", page: true },
        { key: "channel", type: "int", kind: "enum:channel", en: "Channel: 9 Open API, 2 QR code, 14 share, 13 search, any other number other.", zh: "工单渠道，描述：9：Open API 2：二维码 14：分享 13：搜索 其他数字：其他渠道", page: true },
        { key: "solve", type: "int", kind: "enum:solve", en: "Solved: 1 no, 2 yes.", zh: "工单是否解决 1:没解决 2:已解决", page: true },
        { key: "chat_id", type: "string", kind: "text", en: "The ticket's chat id (`oc_...`).", zh: "oc_xxxxxxx", page: true },
        { key: "guest", type: "ticket_user_event", kind: "object", en: "The user who opened the ticket.", zh: "用户id", page: true, children: [
          { key: "id", type: "user_id", kind: "object", en: "The user's ids.", zh: "id", page: true, children: [
            { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: "用户的 union id", page: true },
            { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: "用户的 user id（字段权限要求：获取用户 user ID）", page: true },
            { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: "用户的 open id", page: true },
          ] },
          { key: "name", type: "string", kind: "text", en: "Display name.", zh: "名称", page: true },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL (modelled by the official SDKs; not on the event page).", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address (modelled by the official SDKs; not on the event page).", zh: null, page: false },
        ] },
        { key: "customized_fields", type: "customized_field_display_item[]", kind: "list", en: "Custom fields. This event does not fill them: fetch the ticket by `ticket_id` to read them.", zh: "自定义字段。注意：该事件不会返回该值，你可以获取 ticket_id 后调用查询指定工单详情接口查询自定义字段信息。", page: true, children: [
          { key: "id", type: "string", kind: "text", en: "Custom field id.", zh: "自定义字段ID", page: true },
          { key: "value", type: "string", kind: "text", en: "Field value; for a drop-down, the option's `display_name`.", zh: "自定义字段值", page: true },
          { key: "key_name", type: "string", kind: "text", en: "Key name.", zh: "键名", page: true },
          { key: "display_name", type: "string", kind: "text", en: "Display name.", zh: "展示名称", page: true },
          { key: "position", type: "int", kind: "int", en: "Display position.", zh: "展示位置", page: true },
          { key: "required", type: "boolean", kind: "bool", en: "Whether the field is required.", zh: "是否必填", page: true },
          { key: "editable", type: "boolean", kind: "bool", en: "Whether the field can be edited.", zh: "是否可修改", page: true },
        ] },
        { key: "agents", type: "ticket_user_event[]", kind: "list", en: "Agents on the ticket (modelled by the official SDKs).", zh: null, page: false, children: [
          { key: "id", type: "user_id", kind: "object", en: "The user's ids.", zh: null, page: false, children: [
            { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: null, page: false },
            { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: null, page: false },
            { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: null, page: false },
          ] },
          { key: "name", type: "string", kind: "text", en: "Display name.", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL (modelled by the official SDKs; not on the event page).", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address (modelled by the official SDKs; not on the event page).", zh: null, page: false },
        ] },
        { key: "closed_by", type: "ticket_user_event", kind: "object", en: "Who closed the ticket (modelled by the official SDKs).", zh: null, page: false, children: [
          { key: "id", type: "user_id", kind: "object", en: "The user's ids.", zh: null, page: false, children: [
            { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: null, page: false },
            { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: null, page: false },
            { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: null, page: false },
          ] },
          { key: "name", type: "string", kind: "text", en: "Display name.", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL (modelled by the official SDKs; not on the event page).", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address (modelled by the official SDKs; not on the event page).", zh: null, page: false },
        ] },
        { key: "collaborators", type: "ticket_user_event[]", kind: "list", en: "Collaborators (modelled by the official SDKs).", zh: null, page: false, children: [
          { key: "id", type: "user_id", kind: "object", en: "The user's ids.", zh: null, page: false, children: [
            { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: null, page: false },
            { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: null, page: false },
            { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: null, page: false },
          ] },
          { key: "name", type: "string", kind: "text", en: "Display name.", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL (modelled by the official SDKs; not on the event page).", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address (modelled by the official SDKs; not on the event page).", zh: null, page: false },
        ] },
      ] },
      { title: "Before the update (changed fields only)", page: "ticket before update, only has updated fields", path: ["old_object"], type: "ticket_event_update_info", fields: [
        { key: "stage", type: "int", kind: "enum:stage", en: "Stage before the update.", zh: "ticket stage", page: true },
        { key: "status", type: "int", kind: "enum:status", en: "Status before the update.", zh: "ticket status", page: true },
        { key: "updated_at", type: "int", kind: "ms", en: "Update time before the update, milliseconds; absent for `-1`.", zh: "ticket update time", page: true },
      ] },
    ],
  },
  "helpdesk.ticket_message.created_v1": {
    title: "Ticket message",
    zh: "工单消息事件",
    groups: [
      { title: "Message", path: [], type: "ticket_message_event", fields: [
        { key: "ticket_message_id", type: "string", kind: "id64", en: "Ticket message id (64-bit, as a decimal string).", zh: "ticket message id", page: true },
        { key: "message_id", type: "string", kind: "text", en: "Open message id (`om_...`).", zh: "open message id", page: true },
        { key: "msg_type", type: "string", kind: "text", en: "Message type; `text` is the only documented one.", zh: "message type, text is the only supported type", page: true },
        { key: "position", type: "string", kind: "text", en: "Position of the message; documented as a string, seen as a number: always a string here.", zh: "position of the message", page: true },
        { key: "sender_id", type: "user_id", kind: "object", en: "The sender's ids.", zh: "用户 ID", page: true, children: [
          { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: "用户的 union id", page: true },
          { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: "用户的 user id（字段权限要求：获取用户 user ID）", page: true },
          { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: "用户的 open id", page: true },
        ] },
        { key: "sender_type", type: "int", kind: "enum:sender_type", en: "Sender: 1 bot, 2 guest, 3 agent.", zh: "sender type, 1 for bot, 2 for guest, 3 for agent", page: true },
        { key: "text", type: "string", kind: "text", en: "Message text.", zh: "message content", page: true },
        { key: "event_id", type: "string", kind: "text", en: "This event's own id (UUID-like); distinct from `header.event_id`, which is the one to deduplicate on.", zh: "event id", page: true },
        { key: "chat_id", type: "string", kind: "text", en: "Chat id.", zh: "chat id", page: true },
        { key: "content", type: "ticket_message_content", kind: "object", en: "Message content.", zh: "message content", page: true, children: [
          { key: "content", type: "string", kind: "text", en: "Text content.", zh: "内容", page: true },
          { key: "msg_type", type: "string", kind: "text", en: "`text`, `post` (rich text) or `image`.", zh: "消息类型；text：纯文本；post：富文本；image：图片", page: true },
          { key: "image_keys", type: "string[]", kind: "texts", en: "Image keys.", zh: "图片ID", page: true },
          { key: "image_key", type: "string", kind: "text", en: "Image key.", zh: "图片ID", page: true },
        ] },
      ] },
      { title: "Ticket", page: "ticket related information", path: ["ticket"], type: "ticket", fields: [
        { key: "ticket_id", type: "string", kind: "id64", en: "Ticket id (64-bit, as a decimal string).", zh: "工单ID（可以从工单列表里面取，也可以订阅工单创建事件获取）", page: true },
        { key: "comments", type: "comments", kind: "list", en: "Notes; documented as one object, seen as an array: always a list here.", zh: "备注", page: true, children: [
          { key: "id", type: "int", kind: "id64", en: "Note id (documented `int`; 64-bit, kept as a decimal string).", zh: "备注ID", page: true },
          { key: "content", type: "string", kind: "text", en: "Note text.", zh: "备注", page: true },
          { key: "created_at", type: "int", kind: "ms", en: "Created, milliseconds since the epoch.", zh: "备注时间，单位毫秒", page: true },
          { key: "user_id", type: "int", kind: "id64", en: "Author's id (documented `int`; 64-bit, kept as a decimal string).", zh: "备注人ID", page: true },
          { key: "user_name", type: "string", kind: "text", en: "Author's name.", zh: "备注人姓名", page: true },
          { key: "user_avatar_url", type: "string", kind: "text", en: "Author's avatar URL.", zh: "备注人头像", page: true },
        ] },
        { key: "ticket_type", type: "int", kind: "enum:ticket_type", en: "Stage: 1 bot, 2 human.", zh: "工单阶段：1. 机器人 2. 人工", page: true },
        { key: "status", type: "int", kind: "enum:status", en: "Status: 1 created … 52 closed by the user.", zh: "工单状态，1：已创建 2: 处理中 3: 排队中 4：待定 5：待用户响应 50: 被机器人关闭 51: 被客服关闭 52: 用户自己关闭", page: true },
        { key: "dissatisfaction_reason", type: "i18n", kind: "list", en: "Reason for dissatisfaction; documented as one object, seen as an array: always a list here.", zh: "不满意原因", page: true, children: [
          { key: "zh_cn", type: "string", kind: "text", en: "Chinese.", zh: "中文描述", page: true },
          { key: "en_us", type: "string", kind: "text", en: "English.", zh: "英文描述", page: true },
          { key: "ja_jp", type: "string", kind: "text", en: "Japanese.", zh: "日文描述", page: true },
        ] },
        { key: "customized_fields", type: "customized_field_display_item[]", kind: "list", en: "Custom fields; absent when there are none. For a drop-down, `value` is the option's `display_name`.", zh: "自定义字段列表，没有值时不设置。下拉菜单的value对应工单字段里面的children.display_name", page: true, children: [
          { key: "id", type: "string", kind: "text", en: "Custom field id.", zh: "自定义字段ID", page: true },
          { key: "value", type: "string", kind: "text", en: "Field value; for a drop-down, the option's `display_name`.", zh: "自定义字段值", page: true },
          { key: "key_name", type: "string", kind: "text", en: "Key name.", zh: "键名", page: true },
          { key: "display_name", type: "string", kind: "text", en: "Display name.", zh: "展示名称", page: true },
          { key: "position", type: "int", kind: "int", en: "Display position.", zh: "展示位置", page: true },
          { key: "required", type: "boolean", kind: "bool", en: "Whether the field is required.", zh: "是否必填", page: true },
          { key: "editable", type: "boolean", kind: "bool", en: "Whether the field can be edited.", zh: "是否可修改", page: true },
        ] },
        { key: "agent_service_duration", type: "float", kind: "minutes", en: "Agent service time: last agent reply minus agent entry, minutes.", zh: "客服服务时长，客服最后一次回复时间距离客服进入时间间隔，单位分钟", page: true },
        { key: "agent_first_response_duration", type: "int", kind: "seconds", en: "Agent entry to first agent reply, seconds.", zh: "客服首次回复时间距离客服进入时间的间隔(秒)", page: true },
        { key: "bot_service_duration", type: "int", kind: "seconds", en: "Ticket creation to agent entry (bot service time), seconds.", zh: "机器人服务时间：客服进入时间距离工单创建时间的间隔，单位秒", page: true },
        { key: "agent_resolution_time", type: "int", kind: "seconds", en: "Agent entry to closing, seconds.", zh: "客服解决时长，关单时间距离客服进入时间的间隔，单位秒", page: true },
        { key: "actual_processing_time", type: "int", kind: "seconds", en: "Actual processing time, agent entry to closing, seconds.", zh: "工单实际处理时间：从客服进入到关单，单位秒", page: true },
        { key: "agent_entry_time", type: "int", kind: "ms", en: "Agent entry, milliseconds since the epoch.", zh: "客服进入时间，单位毫秒", page: true },
        { key: "agent_first_response_time", type: "int", kind: "ms", en: "First agent reply, milliseconds since the epoch.", zh: "客服首次回复时间，单位毫秒", page: true },
        { key: "agent_last_response_time", type: "int", kind: "ms", en: "Last agent reply, milliseconds since the epoch.", zh: "客服最后回复时间，单位毫秒", page: true },
        { key: "agent_owner", type: "ticket_user", kind: "object", en: "The agent who owns the ticket.", zh: "主责客服", page: true, children: [
          { key: "id", type: "string", kind: "text", en: "User id (e.g. an open id).", zh: "用户ID", page: true },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL.", zh: "用户头像url", page: true },
          { key: "name", type: "string", kind: "text", en: "Name.", zh: "用户名", page: true },
          { key: "email", type: "string", kind: "text", en: "E-mail address.", zh: "用户邮箱", page: true },
          { key: "department", type: "string", kind: "text", en: "Department name (only with permission).", zh: "所在部门名称", page: true },
          { key: "city", type: "string", kind: "text", en: "City.", zh: "城市", page: true },
          { key: "country", type: "string", kind: "text", en: "Country code.", zh: "国家代号(CountryCode)", page: true },
        ] },
        { key: "helpdesk_id", type: "string", kind: "id64", en: "Helpdesk id (REST ticket model).", zh: null, page: false },
        { key: "score", type: "int", kind: "enum:score", en: "Score (REST ticket model).", zh: null, page: false },
        { key: "solve", type: "int", kind: "enum:solve", en: "Solved (REST ticket model).", zh: null, page: false },
        { key: "channel", type: "int", kind: "enum:channel", en: "Channel (REST ticket model).", zh: null, page: false },
        { key: "created_at", type: "int", kind: "ms", en: "Created, milliseconds (REST ticket model).", zh: null, page: false },
        { key: "updated_at", type: "int", kind: "ms", en: "Updated, milliseconds; absent for `-1` (REST ticket model).", zh: null, page: false },
        { key: "closed_at", type: "int", kind: "ms", en: "Closed, milliseconds (REST ticket model).", zh: null, page: false },
        { key: "guest", type: "ticket_user", kind: "object", en: "The user who opened the ticket (REST ticket model).", zh: null, page: false, children: [
          { key: "id", type: "string", kind: "text", en: "User id (e.g. an open id).", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL.", zh: null, page: false },
          { key: "name", type: "string", kind: "text", en: "Name.", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address.", zh: null, page: false },
          { key: "department", type: "string", kind: "text", en: "Department name (only with permission).", zh: null, page: false },
          { key: "city", type: "string", kind: "text", en: "City.", zh: null, page: false },
          { key: "country", type: "string", kind: "text", en: "Country code.", zh: null, page: false },
        ] },
        { key: "agents", type: "ticket_user[]", kind: "list", en: "Agents (REST ticket model).", zh: null, page: false, children: [
          { key: "id", type: "string", kind: "text", en: "User id (e.g. an open id).", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL.", zh: null, page: false },
          { key: "name", type: "string", kind: "text", en: "Name.", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address.", zh: null, page: false },
          { key: "department", type: "string", kind: "text", en: "Department name (only with permission).", zh: null, page: false },
          { key: "city", type: "string", kind: "text", en: "City.", zh: null, page: false },
          { key: "country", type: "string", kind: "text", en: "Country code.", zh: null, page: false },
        ] },
        { key: "closed_by", type: "ticket_user", kind: "object", en: "Who closed it (REST ticket model).", zh: null, page: false, children: [
          { key: "id", type: "string", kind: "text", en: "User id (e.g. an open id).", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL.", zh: null, page: false },
          { key: "name", type: "string", kind: "text", en: "Name.", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address.", zh: null, page: false },
          { key: "department", type: "string", kind: "text", en: "Department name (only with permission).", zh: null, page: false },
          { key: "city", type: "string", kind: "text", en: "City.", zh: null, page: false },
          { key: "country", type: "string", kind: "text", en: "Country code.", zh: null, page: false },
        ] },
        { key: "collaborators", type: "ticket_user[]", kind: "list", en: "Collaborators (REST ticket model).", zh: null, page: false, children: [
          { key: "id", type: "string", kind: "text", en: "User id (e.g. an open id).", zh: null, page: false },
          { key: "avatar_url", type: "string", kind: "text", en: "Avatar URL.", zh: null, page: false },
          { key: "name", type: "string", kind: "text", en: "Name.", zh: null, page: false },
          { key: "email", type: "string", kind: "text", en: "E-mail address.", zh: null, page: false },
          { key: "department", type: "string", kind: "text", en: "Department name (only with permission).", zh: null, page: false },
          { key: "city", type: "string", kind: "text", en: "City.", zh: null, page: false },
          { key: "country", type: "string", kind: "text", en: "Country code.", zh: null, page: false },
        ] },
      ] },
    ],
  },
  "helpdesk.notification.approve_v1": {
    title: "Notification approval",
    zh: "推送审核通知",
    groups: [
      { title: "Approval", path: [], type: "notification_approve_event", fields: [
        { key: "notification_id", type: "string", kind: "id64", en: "The push notification's id (64-bit, as a decimal string).", zh: "push notification id", page: true },
        { key: "helpdesk_id", type: "string", kind: "id64", en: "Helpdesk id (64-bit, as a decimal string).", zh: "服务台id", page: true },
        { key: "approve_status", type: "string", kind: "text", en: "The approval result as the platform words it, e.g. `APPROVED` or `REJECTED`.", zh: "approve status", page: true },
      ] },
    ],
  },
  "card.action.trigger": {
    title: "Card action",
    zh: "卡片回传交互",
    groups: [
      { title: "Card action", path: [], type: "card.action.trigger", fields: [
        { key: "token", type: "string", kind: "text", en: "The card's update token (`c-...`): valid for 30 minutes, for at most 2 updates through the delayed-update API. Not the Verification Token.", zh: null, page: true },
        { key: "host", type: "string", kind: "text", en: "Where the card is shown: `im_message`, `im_top_notice`, ...", zh: null, page: true },
        { key: "delivery_type", type: "string", kind: "text", en: "How the card was delivered, e.g. `url_preview` (modelled by the official SDKs).", zh: null, page: false },
      ] },
      { title: "Operator", page: "", path: ["operator"], type: "operator", fields: [
        { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: null, page: true },
        { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: null, page: true },
        { key: "union_id", type: "string", kind: "text", en: "The user's union id (`on_...`).", zh: null, page: true },
        { key: "tenant_key", type: "string", kind: "text", en: "The tenant the user belongs to.", zh: null, page: true },
      ] },
      { title: "Action", page: "", path: ["action"], type: "action", fields: [
        { key: "value", type: "object | string", kind: "json", en: "The `value` the card declared on the component, as sent: an object or a string (numbers JavaScript cannot hold exactly arrive as strings of their digits).", zh: null, page: true },
        { key: "tag", type: "string", kind: "text", en: "The component: `button`, `select_static`, `input`, `checker`, `date_picker`, ...", zh: null, page: true },
        { key: "name", type: "string", kind: "text", en: "The component's `name` (form components, and buttons that set one).", zh: null, page: true },
        { key: "form_value", type: "object", kind: "json", en: "A submitted form's values by component name, as sent.", zh: null, page: true },
        { key: "input_value", type: "string", kind: "text", en: "The text of an input component.", zh: null, page: true },
        { key: "option", type: "string", kind: "text", en: "The chosen option of a single-choice component (a select menu, a date picker's date).", zh: null, page: true },
        { key: "options", type: "string[]", kind: "texts", en: "The chosen options of a multi-select component.", zh: null, page: true },
        { key: "checked", type: "boolean", kind: "bool", en: "Whether a checker component is now checked.", zh: null, page: true },
        { key: "timezone", type: "string", kind: "text", en: "The user's time zone (date and time pickers).", zh: null, page: true },
      ] },
      { title: "Context", page: "", path: ["context"], type: "context", fields: [
        { key: "open_message_id", type: "string", kind: "text", en: "The message holding the card (`om_...`).", zh: null, page: true },
        { key: "open_chat_id", type: "string", kind: "text", en: "The chat the message is in (`oc_...`).", zh: null, page: true },
        { key: "url", type: "string", kind: "text", en: "The link a URL-preview card was unfurled from.", zh: null, page: true },
        { key: "preview_token", type: "string", kind: "text", en: "The token of a URL preview.", zh: null, page: true },
      ] },
    ],
  },
  "card_action": {
    title: "Message card action (legacy)",
    zh: "消息卡片回传交互（旧）",
    groups: [
      { title: "Card action", path: [], type: "card_action", fields: [
        { key: "open_id", type: "string", kind: "text", en: "The user's open id (`ou_...`).", zh: null, page: true },
        { key: "user_id", type: "string", kind: "text", en: "The user's user id; sent only with the `contact:user.employee_id:readonly` scope.", zh: null, page: true },
        { key: "open_message_id", type: "string", kind: "text", en: "The message holding the card (`om_...`).", zh: null, page: true },
        { key: "open_chat_id", type: "string", kind: "text", en: "The chat the message is in (`oc_...`).", zh: null, page: true },
        { key: "tenant_key", type: "string", kind: "text", en: "The tenant the user belongs to.", zh: null, page: true },
        { key: "token", type: "string", kind: "text", en: "The card's update token (`c-...`): not the Verification Token, which signs the request and is never in the body.", zh: null, page: true },
      ] },
      { title: "Action", page: "", path: ["action"], type: "action", fields: [
        { key: "value", type: "object | string", kind: "json", en: "The `value` the card declared on the component, as sent: an object or a string (numbers JavaScript cannot hold exactly arrive as strings of their digits).", zh: null, page: true },
        { key: "tag", type: "string", kind: "text", en: "The component: `button`, `select_static`, `input`, `checker`, `date_picker`, ...", zh: null, page: true },
        { key: "name", type: "string", kind: "text", en: "The component's `name` (form components, and buttons that set one).", zh: null, page: true },
        { key: "form_value", type: "object", kind: "json", en: "A submitted form's values by component name, as sent.", zh: null, page: true },
        { key: "input_value", type: "string", kind: "text", en: "The text of an input component.", zh: null, page: true },
        { key: "option", type: "string", kind: "text", en: "The chosen option of a single-choice component (a select menu, a date picker's date).", zh: null, page: true },
        { key: "options", type: "string[]", kind: "texts", en: "The chosen options of a multi-select component.", zh: null, page: true },
        { key: "checked", type: "boolean", kind: "bool", en: "Whether a checker component is now checked.", zh: null, page: true },
        { key: "timezone", type: "string", kind: "text", en: "The user's time zone (date and time pickers).", zh: null, page: true },
      ] },
    ],
  },
};
