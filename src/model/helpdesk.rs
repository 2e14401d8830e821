//! The helpdesk models, declared once (see `model!` in the parent module).
//!
//! Fields are in the order of the platform's pages. `zh` is the page's own
//! description, verbatim (Chinese on most pages, English on some).

use super::codes::{Channel, Score, SenderType, Solve, Stage, Status};

model! {
    /// The three ids of a user (`user_id` type in the documentation).
    #[page_type = "user_id"]
    pub struct UserId {
        /// The user's union id (`on_...`).
        #[zh = "用户的 union id"]
        union_id: Text,
        /// The user's user id; sent only with the `contact:user.employee_id:readonly` scope.
        #[zh = "用户的 user id（字段权限要求：获取用户 user ID）"]
        user_id: Text,
        /// The user's open id (`ou_...`).
        #[zh = "用户的 open id"]
        open_id: Text,
    }
}

model! {
    /// A person on a ticket event (`ticket_user_event`): the guest, an agent, a collaborator.
    #[page_type = "ticket_user_event"]
    pub struct TicketUserEvent {
        /// The user's ids.
        #[zh = "id"]
        id: Object(UserId),
        /// Display name.
        #[zh = "名称"]
        name: Text,
        /// Avatar URL (modelled by the official SDKs; not on the event page).
        #[on_page = false]
        avatar_url: Text,
        /// E-mail address (modelled by the official SDKs; not on the event page).
        #[on_page = false]
        email: Text,
    }
}

model! {
    /// A custom ticket field (`customized_field_display_item`).
    #[page_type = "customized_field_display_item"]
    pub struct CustomizedField {
        /// Custom field id.
        #[zh = "自定义字段ID"]
        id: Text,
        /// Field value; for a drop-down, the option's `display_name`.
        #[zh = "自定义字段值"]
        value: Text,
        /// Key name.
        #[zh = "键名"]
        key_name: Text,
        /// Display name.
        #[zh = "展示名称"]
        display_name: Text,
        /// Display position.
        #[zh = "展示位置"]
        position: Int,
        /// Whether the field is required.
        #[zh = "是否必填"]
        required: Bool,
        /// Whether the field can be edited.
        #[zh = "是否可修改"]
        editable: Bool,
    }
}

model! {
    /// A ticket as `helpdesk.ticket.created_v1` sends it, and as
    /// `helpdesk.ticket.updated_v1` sends `object` (`ticket_event`).
    #[page_type = "ticket_event"]
    pub struct TicketEvent {
        /// Ticket id (64-bit, as a decimal string).
        #[zh = "工单ID（可以从工单列表里面取，也可以订阅工单创建事件获取）"]
        ticket_id: Id64,
        /// Helpdesk id (64-bit, as a decimal string).
        #[zh = "服务台id"]
        helpdesk_id: Id64,
        /// Stage: 1 bot, 2 human.
        #[zh = "工单阶段：1. 机器人 2. 人工"]
        stage: Code(Stage),
        /// Status: 1 created … 52 closed by the user.
        #[zh = "工单状态，1：已创建 2: 处理中 3: 排队中 4：待定 5：待用户响应 50: 被机器人关闭 51: 被客服关闭 52: 用户自己关闭"]
        status: Code(Status),
        /// Score: 1 unsatisfied, 2 neutral, 3 satisfied.
        #[zh = "工单评分，1：不满意，2:一般，3:满意"]
        score: Code(Score),
        /// Created, milliseconds since the epoch.
        #[zh = "创建时间"]
        created_at: Millis,
        /// Last updated, milliseconds since the epoch; absent where the platform sends `-1`.
        #[zh = "工单更新时间，没有值时为-1"]
        updated_at: Millis,
        /// Closed, milliseconds since the epoch.
        #[zh = "关单时间"]
        closed_at: Millis,
        /// Channel: 9 Open API, 2 QR code, 14 share, 13 search, any other number other.
        #[zh = "工单渠道，描述：9：Open API 2：二维码 14：分享 13：搜索 其他数字：其他渠道"]
        channel: Code(Channel),
        /// Solved: 1 no, 2 yes.
        #[zh = "工单是否解决 1:没解决 2:已解决"]
        solve: Code(Solve),
        /// The ticket's chat id (`oc_...`).
        #[zh = "oc_xxxxxxx"]
        chat_id: Text,
        /// The user who opened the ticket.
        #[zh = "用户id"]
        guest: Object(TicketUserEvent),
        /// Custom fields. This event does not fill them: fetch the ticket by
        /// `ticket_id` to read them.
        #[zh = "自定义字段。注意：该事件不会返回该值，你可以获取 ticket_id 后调用查询指定工单详情接口查询自定义字段信息。"]
        customized_fields: List(CustomizedField),
        /// Agents on the ticket (modelled by the official SDKs).
        #[on_page = false]
        agents: List(TicketUserEvent),
        /// Who closed the ticket (modelled by the official SDKs).
        #[on_page = false]
        closed_by: Object(TicketUserEvent),
        /// Collaborators (modelled by the official SDKs).
        #[on_page = false]
        collaborators: List(TicketUserEvent),
    }
}

/// The event body of `helpdesk.ticket.created_v1`: the new ticket.
pub type TicketCreatedV1 = TicketEvent;

model! {
    /// The fields of a ticket before an update (`ticket_event_update_info`):
    /// only those that changed are present.
    #[page_type = "ticket_event_update_info"]
    pub struct TicketEventUpdateInfo {
        /// Stage before the update.
        #[zh = "ticket stage"]
        stage: Code(Stage),
        /// Status before the update.
        #[zh = "ticket status"]
        status: Code(Status),
        /// Update time before the update, milliseconds; absent for `-1`.
        #[zh = "ticket update time"]
        updated_at: Millis,
    }
}

model! {
    /// The event body of `helpdesk.ticket.updated_v1`.
    #[page_type = "-"]
    pub struct TicketUpdatedV1 {
        /// The ticket after the update.
        #[zh = "ticket after update"]
        #[group = "Ticket after the update"]
        object: Object(TicketEvent),
        /// The changed fields' values before the update.
        #[zh = "ticket before update, only has updated fields"]
        #[group = "Before the update (changed fields only)"]
        old_object: Object(TicketEventUpdateInfo),
    }
}

model! {
    /// A ticket note (`comments`).
    #[page_type = "comments"]
    pub struct Comment {
        /// Note id (documented `int`; 64-bit, kept as a decimal string).
        #[zh = "备注ID"]
        #[page = "int"]
        id: Id64,
        /// Note text.
        #[zh = "备注"]
        content: Text,
        /// Created, milliseconds since the epoch.
        #[zh = "备注时间，单位毫秒"]
        created_at: Millis,
        /// Author's id (documented `int`; 64-bit, kept as a decimal string).
        #[zh = "备注人ID"]
        #[page = "int"]
        user_id: Id64,
        /// Author's name.
        #[zh = "备注人姓名"]
        user_name: Text,
        /// Author's avatar URL.
        #[zh = "备注人头像"]
        user_avatar_url: Text,
    }
}

model! {
    /// A text in three languages (`i18n`).
    #[page_type = "i18n"]
    pub struct I18n {
        /// Chinese.
        #[zh = "中文描述"]
        zh_cn: Text,
        /// English.
        #[zh = "英文描述"]
        en_us: Text,
        /// Japanese.
        #[zh = "日文描述"]
        ja_jp: Text,
    }
}

model! {
    /// A person as the REST ticket model has them (`ticket_user`): agents, owner, closer.
    #[page_type = "ticket_user"]
    pub struct TicketUser {
        /// User id (e.g. an open id).
        #[zh = "用户ID"]
        id: Text,
        /// Avatar URL.
        #[zh = "用户头像url"]
        avatar_url: Text,
        /// Name.
        #[zh = "用户名"]
        name: Text,
        /// E-mail address.
        #[zh = "用户邮箱"]
        email: Text,
        /// Department name (only with permission).
        #[zh = "所在部门名称"]
        department: Text,
        /// City.
        #[zh = "城市"]
        city: Text,
        /// Country code.
        #[zh = "国家代号(CountryCode)"]
        country: Text,
    }
}

model! {
    /// The ticket inside `helpdesk.ticket_message.created_v1` (`ticket`): the
    /// fields on the event page plus those of the full REST ticket that the
    /// official SDKs model.
    #[page_type = "ticket"]
    pub struct Ticket {
        /// Ticket id (64-bit, as a decimal string).
        #[zh = "工单ID（可以从工单列表里面取，也可以订阅工单创建事件获取）"]
        ticket_id: Id64,
        /// Notes; documented as one object, seen as an array: always a list here.
        #[zh = "备注"]
        comments: OneOrMany(Comment),
        /// Stage: 1 bot, 2 human.
        #[zh = "工单阶段：1. 机器人 2. 人工"]
        ticket_type: Code(Stage),
        /// Status: 1 created … 52 closed by the user.
        #[zh = "工单状态，1：已创建 2: 处理中 3: 排队中 4：待定 5：待用户响应 50: 被机器人关闭 51: 被客服关闭 52: 用户自己关闭"]
        status: Code(Status),
        /// Reason for dissatisfaction; documented as one object, seen as an
        /// array: always a list here.
        #[zh = "不满意原因"]
        dissatisfaction_reason: OneOrMany(I18n),
        /// Custom fields; absent when there are none. For a drop-down, `value`
        /// is the option's `display_name`.
        #[zh = "自定义字段列表，没有值时不设置。下拉菜单的value对应工单字段里面的children.display_name"]
        customized_fields: List(CustomizedField),
        /// Agent service time: last agent reply minus agent entry, minutes.
        #[zh = "客服服务时长，客服最后一次回复时间距离客服进入时间间隔，单位分钟"]
        agent_service_duration: Minutes,
        /// Agent entry to first agent reply, seconds.
        #[zh = "客服首次回复时间距离客服进入时间的间隔(秒)"]
        agent_first_response_duration: Seconds,
        /// Ticket creation to agent entry (bot service time), seconds.
        #[zh = "机器人服务时间：客服进入时间距离工单创建时间的间隔，单位秒"]
        bot_service_duration: Seconds,
        /// Agent entry to closing, seconds.
        #[zh = "客服解决时长，关单时间距离客服进入时间的间隔，单位秒"]
        agent_resolution_time: Seconds,
        /// Actual processing time, agent entry to closing, seconds.
        #[zh = "工单实际处理时间：从客服进入到关单，单位秒"]
        actual_processing_time: Seconds,
        /// Agent entry, milliseconds since the epoch.
        #[zh = "客服进入时间，单位毫秒"]
        agent_entry_time: Millis,
        /// First agent reply, milliseconds since the epoch.
        #[zh = "客服首次回复时间，单位毫秒"]
        agent_first_response_time: Millis,
        /// Last agent reply, milliseconds since the epoch.
        #[zh = "客服最后回复时间，单位毫秒"]
        agent_last_response_time: Millis,
        /// The agent who owns the ticket.
        #[zh = "主责客服"]
        agent_owner: Object(TicketUser),
        /// Helpdesk id (REST ticket model).
        #[on_page = false]
        helpdesk_id: Id64,
        /// Score (REST ticket model).
        #[on_page = false]
        score: Code(Score),
        /// Solved (REST ticket model).
        #[on_page = false]
        solve: Code(Solve),
        /// Channel (REST ticket model).
        #[on_page = false]
        channel: Code(Channel),
        /// Created, milliseconds (REST ticket model).
        #[on_page = false]
        created_at: Millis,
        /// Updated, milliseconds; absent for `-1` (REST ticket model).
        #[on_page = false]
        updated_at: Millis,
        /// Closed, milliseconds (REST ticket model).
        #[on_page = false]
        closed_at: Millis,
        /// The user who opened the ticket (REST ticket model).
        #[on_page = false]
        guest: Object(TicketUser),
        /// Agents (REST ticket model).
        #[on_page = false]
        agents: List(TicketUser),
        /// Who closed it (REST ticket model).
        #[on_page = false]
        closed_by: Object(TicketUser),
        /// Collaborators (REST ticket model).
        #[on_page = false]
        collaborators: List(TicketUser),
    }
}

model! {
    /// The content of a ticket message (`ticket_message_content`).
    #[page_type = "ticket_message_content"]
    pub struct TicketMessageContent {
        /// Text content.
        #[zh = "内容"]
        content: Text,
        /// `text`, `post` (rich text) or `image`.
        #[zh = "消息类型；text：纯文本；post：富文本；image：图片"]
        msg_type: Text,
        /// Image keys.
        #[zh = "图片ID"]
        image_keys: Strings,
        /// Image key.
        #[zh = "图片ID"]
        image_key: Text,
    }
}

model! {
    /// The event body of `helpdesk.ticket_message.created_v1`.
    #[page_type = "ticket_message_event"]
    pub struct TicketMessageCreatedV1 {
        /// Ticket message id (64-bit, as a decimal string).
        #[zh = "ticket message id"]
        ticket_message_id: Id64,
        /// Open message id (`om_...`).
        #[zh = "open message id"]
        message_id: Text,
        /// Message type; `text` is the only documented one.
        #[zh = "message type, text is the only supported type"]
        msg_type: Text,
        /// Position of the message; documented as a string, seen as a
        /// number: always a string here.
        #[zh = "position of the message"]
        position: Text,
        /// The sender's ids.
        #[zh = "用户 ID"]
        sender_id: Object(UserId),
        /// Sender: 1 bot, 2 guest, 3 agent.
        #[zh = "sender type, 1 for bot, 2 for guest, 3 for agent"]
        sender_type: Code(SenderType),
        /// Message text.
        #[zh = "message content"]
        text: Text,
        /// The ticket the message belongs to.
        #[zh = "ticket related information"]
        #[group = "Ticket"]
        ticket: Object(Ticket),
        /// This event's own id (UUID-like); distinct from `header.event_id`,
        /// which is the one to deduplicate on.
        #[zh = "event id"]
        event_id: Text,
        /// Chat id.
        #[zh = "chat id"]
        chat_id: Text,
        /// Message content.
        #[zh = "message content"]
        content: Object(TicketMessageContent),
    }
}

model! {
    /// The event body of `helpdesk.notification.approve_v1`: the approval
    /// result of a push notification (the flow create → submit_approve →
    /// execute_send).
    #[page_type = "notification_approve_event"]
    pub struct NotificationApproveV1 {
        /// The push notification's id (64-bit, as a decimal string).
        #[zh = "push notification id"]
        notification_id: Id64,
        /// Helpdesk id (64-bit, as a decimal string).
        #[zh = "服务台id"]
        helpdesk_id: Id64,
        /// The approval result as the platform words it, e.g. `APPROVED` or `REJECTED`.
        #[zh = "approve status"]
        approve_status: Text,
    }
}
