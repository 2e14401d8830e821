//! Typed models of the three helpdesk events.
//!
//! Field names are the platform's own (snake_case), so the documentation
//! reads straight onto these types, and every field is optional: a field the
//! platform leaves out is `None`, never a decoding failure. Where real
//! payloads differ from the documentation the models accept both forms
//! (see `NOTES.md`):
//!
//! - any integer field: a JSON number or a numeric string;
//! - `comments` and `dissatisfaction_reason`: one object or an array, always
//!   exposed as a `Vec`;
//! - `position`: a string or a number, exposed as a string;
//! - timestamps: `i64` milliseconds (beyond 32 bits), with the platform's
//!   `-1` ("no value") exposed as `None`;
//! - 64-bit identifiers: kept as decimal strings, digit for digit, never
//!   through `f64` (so JavaScript receives them intact).
//!
//! Fields the models do not know are ignored here; the decrypted JSON is
//! always kept on [`crate::Event::raw`], and
//! [`crate::Event::unrecognized_fields`] lists them.
//!
//! When serialized (this is the JSON the JavaScript binding hands over),
//! `None` fields are omitted, enumerations are the platform's numbers and
//! ids are strings.

pub(crate) mod codes;
pub(crate) mod lenient;

use serde::{Deserialize, Serialize};

pub use codes::{Channel, CodeLabel, Score, SenderType, Solve, Stage, Status};

/// Declares a model struct: every field optional, omitted from serialized
/// output when `None`, and the whole struct defaulted when fields are missing.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident: Option<$ty:ty>, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    };
}

model! {
    /// The three ids of a user (`user_id` type in the documentation).
    pub struct UserId {
        /// The user's union id (`on_...`).
        pub union_id: Option<String>,
        /// The user's user id; present only with the `contact:user.employee_id:readonly` scope.
        pub user_id: Option<String>,
        /// The user's open id (`ou_...`).
        pub open_id: Option<String>,
    }
}

model! {
    /// A person on a ticket event (`ticket_user_event`): the guest, an agent, a collaborator.
    pub struct TicketUserEvent {
        /// The user's ids.
        pub id: Option<UserId>,
        /// Display name.
        pub name: Option<String>,
        /// Avatar URL (modelled by the official SDKs; not on the event page).
        pub avatar_url: Option<String>,
        /// E-mail address (modelled by the official SDKs; not on the event page).
        pub email: Option<String>,
    }
}

model! {
    /// A custom ticket field (`customized_field_display_item`).
    pub struct CustomizedField {
        /// Custom field id.
        pub id: Option<String>,
        /// Field value; for a drop-down, the option's `display_name`.
        pub value: Option<String>,
        /// Key name.
        pub key_name: Option<String>,
        /// Display name.
        pub display_name: Option<String>,
        /// Display position.
        #[serde(deserialize_with = "lenient::int")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub position: Option<i64>,
        /// Whether the field is required.
        pub required: Option<bool>,
        /// Whether the field can be edited.
        pub editable: Option<bool>,
    }
}

model! {
    /// A ticket as `helpdesk.ticket.created_v1` sends it, and as
    /// `helpdesk.ticket.updated_v1` sends `object` (`ticket_event`).
    pub struct TicketEvent {
        /// Ticket id (64-bit, as a decimal string).
        #[serde(deserialize_with = "lenient::text")]
        pub ticket_id: Option<String>,
        /// Helpdesk id (64-bit, as a decimal string).
        #[serde(deserialize_with = "lenient::text")]
        pub helpdesk_id: Option<String>,
        /// The user who opened the ticket.
        pub guest: Option<TicketUserEvent>,
        /// Stage: 1 bot, 2 human.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Stage>"))]
        pub stage: Option<Stage>,
        /// Status: 1 created … 52 closed by the user.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Status>"))]
        pub status: Option<Status>,
        /// Score: 1 unsatisfied, 2 neutral, 3 satisfied.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Score>"))]
        pub score: Option<Score>,
        /// Created, milliseconds since the epoch.
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub created_at: Option<i64>,
        /// Last updated, milliseconds since the epoch; `None` where the platform sends `-1`.
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub updated_at: Option<i64>,
        /// Closed, milliseconds since the epoch.
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub closed_at: Option<i64>,
        /// Channel: 9 Open API, 2 QR code, 14 share, 13 search, others other.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Channel>"))]
        pub channel: Option<Channel>,
        /// Solved: 1 no, 2 yes.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Solve>"))]
        pub solve: Option<Solve>,
        /// Custom fields (the page notes this event does not fill them).
        pub customized_fields: Option<Vec<CustomizedField>>,
        /// The ticket's chat id (`oc_...`).
        #[serde(deserialize_with = "lenient::text")]
        pub chat_id: Option<String>,
        /// Agents on the ticket (modelled by the official SDKs).
        pub agents: Option<Vec<TicketUserEvent>>,
        /// Who closed the ticket (modelled by the official SDKs).
        pub closed_by: Option<TicketUserEvent>,
        /// Collaborators (modelled by the official SDKs).
        pub collaborators: Option<Vec<TicketUserEvent>>,
    }
}

/// The event body of `helpdesk.ticket.created_v1`: the new ticket.
pub type TicketCreatedV1 = TicketEvent;

model! {
    /// The fields of a ticket before an update (`ticket_event_update_info`):
    /// only those that changed are present.
    pub struct TicketEventUpdateInfo {
        /// Previous stage.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Stage>"))]
        pub stage: Option<Stage>,
        /// Previous status.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Status>"))]
        pub status: Option<Status>,
        /// Previous update time, milliseconds; `None` for `-1`.
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub updated_at: Option<i64>,
    }
}

model! {
    /// The event body of `helpdesk.ticket.updated_v1`.
    pub struct TicketUpdatedV1 {
        /// The ticket after the update.
        pub object: Option<TicketEvent>,
        /// The changed fields' values before the update.
        pub old_object: Option<TicketEventUpdateInfo>,
    }
}

model! {
    /// A ticket note (`comments`).
    pub struct Comment {
        /// Note text.
        pub content: Option<String>,
        /// Created, milliseconds since the epoch.
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub created_at: Option<i64>,
        /// Note id (documented `int`; 64-bit, kept as a decimal string).
        #[serde(deserialize_with = "lenient::text")]
        pub id: Option<String>,
        /// Author's avatar URL.
        pub user_avatar_url: Option<String>,
        /// Author's name.
        pub user_name: Option<String>,
        /// Author's id (documented `int`; 64-bit, kept as a decimal string).
        #[serde(deserialize_with = "lenient::text")]
        pub user_id: Option<String>,
    }
}

model! {
    /// A text in three languages (`i18n`).
    pub struct I18n {
        /// Chinese.
        pub zh_cn: Option<String>,
        /// English.
        pub en_us: Option<String>,
        /// Japanese.
        pub ja_jp: Option<String>,
    }
}

model! {
    /// A person as the REST ticket model has them (`ticket_user`): agents, owner, closer.
    pub struct TicketUser {
        /// User id (e.g. an open id).
        #[serde(deserialize_with = "lenient::text")]
        pub id: Option<String>,
        /// Avatar URL.
        pub avatar_url: Option<String>,
        /// Name.
        pub name: Option<String>,
        /// E-mail address.
        pub email: Option<String>,
        /// Department name (only with permission).
        pub department: Option<String>,
        /// City.
        pub city: Option<String>,
        /// Country code.
        pub country: Option<String>,
    }
}

model! {
    /// The ticket inside `helpdesk.ticket_message.created_v1` (`ticket`): the
    /// fields on the event page plus those of the full REST ticket that the
    /// official SDKs model.
    pub struct Ticket {
        /// Ticket id (64-bit, as a decimal string).
        #[serde(deserialize_with = "lenient::text")]
        pub ticket_id: Option<String>,
        /// Helpdesk id (REST model).
        #[serde(deserialize_with = "lenient::text")]
        pub helpdesk_id: Option<String>,
        /// The user who opened the ticket (REST model).
        pub guest: Option<TicketUser>,
        /// Notes; documented as one object, seen as an array: always a list here.
        #[serde(deserialize_with = "lenient::one_or_many")]
        pub comments: Option<Vec<Comment>>,
        /// Stage: 1 bot, 2 human.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Stage>"))]
        pub ticket_type: Option<Stage>,
        /// Status: 1 created … 52 closed by the user.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Status>"))]
        pub status: Option<Status>,
        /// Score (REST model).
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Score>"))]
        pub score: Option<Score>,
        /// Created, milliseconds (REST model).
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub created_at: Option<i64>,
        /// Updated, milliseconds; `None` for `-1` (REST model).
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub updated_at: Option<i64>,
        /// Closed, milliseconds (REST model).
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub closed_at: Option<i64>,
        /// Reason for dissatisfaction; documented as one object, seen as an
        /// array: always a list here.
        #[serde(deserialize_with = "lenient::one_or_many")]
        pub dissatisfaction_reason: Option<Vec<I18n>>,
        /// Agents (REST model).
        pub agents: Option<Vec<TicketUser>>,
        /// Channel (REST model).
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Channel>"))]
        pub channel: Option<Channel>,
        /// Solved (REST model).
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::Solve>"))]
        pub solve: Option<Solve>,
        /// Who closed it (REST model).
        pub closed_by: Option<TicketUser>,
        /// Collaborators (REST model).
        pub collaborators: Option<Vec<TicketUser>>,
        /// Custom fields; absent when there are none.
        pub customized_fields: Option<Vec<CustomizedField>>,
        /// Agent service time: last agent reply minus agent entry, minutes.
        #[serde(deserialize_with = "lenient::float")]
        pub agent_service_duration: Option<f64>,
        /// Agent entry to first agent reply, seconds.
        #[serde(deserialize_with = "lenient::float")]
        pub agent_first_response_duration: Option<f64>,
        /// Ticket creation to agent entry (bot service time), seconds.
        #[serde(deserialize_with = "lenient::float")]
        pub bot_service_duration: Option<f64>,
        /// Agent entry to closing, seconds.
        #[serde(deserialize_with = "lenient::float")]
        pub agent_resolution_time: Option<f64>,
        /// Actual processing time, agent entry to closing, seconds.
        #[serde(deserialize_with = "lenient::float")]
        pub actual_processing_time: Option<f64>,
        /// Agent entry, milliseconds since the epoch.
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub agent_entry_time: Option<i64>,
        /// First agent reply, milliseconds since the epoch.
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub agent_first_response_time: Option<i64>,
        /// Last agent reply, milliseconds since the epoch.
        #[serde(deserialize_with = "lenient::millis")]
        #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
        pub agent_last_response_time: Option<i64>,
        /// The agent who owns the ticket.
        pub agent_owner: Option<TicketUser>,
    }
}

model! {
    /// The content of a ticket message (`ticket_message_content`).
    pub struct TicketMessageContent {
        /// Text content.
        pub content: Option<String>,
        /// `text`, `post` (rich text) or `image`.
        pub msg_type: Option<String>,
        /// Image keys.
        pub image_keys: Option<Vec<String>>,
        /// Image key.
        pub image_key: Option<String>,
    }
}

model! {
    /// The event body of `helpdesk.ticket_message.created_v1`.
    pub struct TicketMessageCreatedV1 {
        /// Ticket message id (64-bit, as a decimal string).
        #[serde(deserialize_with = "lenient::text")]
        pub ticket_message_id: Option<String>,
        /// Open message id (`om_...`).
        pub message_id: Option<String>,
        /// Message type; `text` is the only documented one.
        pub msg_type: Option<String>,
        /// Position of the message; documented as a string, seen as a
        /// number: always a string here.
        #[serde(deserialize_with = "lenient::text")]
        pub position: Option<String>,
        /// The sender's ids.
        pub sender_id: Option<UserId>,
        /// Sender: 1 bot, 2 guest, 3 agent.
        #[cfg_attr(feature = "ts", ts(as = "Option<codes_ts::SenderType>"))]
        pub sender_type: Option<SenderType>,
        /// Message text.
        pub text: Option<String>,
        /// The ticket the message belongs to.
        pub ticket: Option<Ticket>,
        /// This event's own id (UUID-like); distinct from `header.event_id`,
        /// which is the one to deduplicate on.
        pub event_id: Option<String>,
        /// Chat id.
        #[serde(deserialize_with = "lenient::text")]
        pub chat_id: Option<String>,
        /// Message content.
        pub content: Option<TicketMessageContent>,
    }
}

/// TypeScript stand-ins for the enumerations: the numbers the platform sends,
/// with the documented codes spelled out. Only compiled for type generation.
#[cfg(feature = "ts")]
pub(crate) mod codes_ts {
    macro_rules! ts_code {
        ($name:ident, $ty:ty) => {
            /// Stand-in that renders as the enumeration's TypeScript name.
            pub struct $name;
            impl ts_rs::TS for $name {
                type WithoutGenerics = Self;
                type OptionInnerType = Self;
                fn name(_: &ts_rs::Config) -> String {
                    stringify!($name).to_owned()
                }
                fn decl(_: &ts_rs::Config) -> String {
                    format!(
                        "type {} = {};",
                        stringify!($name),
                        crate::model::codes_ts::union(<$ty>::TABLE)
                    )
                }
                fn decl_concrete(c: &ts_rs::Config) -> String {
                    Self::decl(c)
                }
                fn inline(c: &ts_rs::Config) -> String {
                    Self::name(c)
                }
            }
        };
    }

    /// `1 | 2 | (number & {})`: the known codes for completion, any number accepted.
    pub(crate) fn union(table: &[super::CodeLabel]) -> String {
        let mut out: Vec<String> = table.iter().map(|e| e.code.to_string()).collect();
        out.push("(number & {})".to_owned());
        out.join(" | ")
    }

    ts_code!(Stage, super::Stage);
    ts_code!(Status, super::Status);
    ts_code!(Score, super::Score);
    ts_code!(Solve, super::Solve);
    ts_code!(Channel, super::Channel);
    ts_code!(SenderType, super::SenderType);
}
