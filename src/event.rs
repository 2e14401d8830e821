//! What a successful [`crate::Webhook::parse`] returns.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::error::DecodeError;
use crate::model::{TicketCreatedV1, TicketMessageCreatedV1, TicketUpdatedV1};

/// `helpdesk.ticket.created_v1`: a ticket was created.
pub const TICKET_CREATED_V1: &str = "helpdesk.ticket.created_v1";
/// `helpdesk.ticket.updated_v1`: a ticket's status or stage changed.
pub const TICKET_UPDATED_V1: &str = "helpdesk.ticket.updated_v1";
/// `helpdesk.ticket_message.created_v1`: a message was posted on a ticket.
pub const TICKET_MESSAGE_CREATED_V1: &str = "helpdesk.ticket_message.created_v1";

/// The event types larkhook decodes into typed models; every other type is
/// passed through untyped.
pub const TYPED_EVENT_TYPES: [&str; 3] = [
    TICKET_CREATED_V1,
    TICKET_UPDATED_V1,
    TICKET_MESSAGE_CREATED_V1,
];

/// A verified delivery: either the URL-verification challenge or an event.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // `Event` is the common case; boxing it would cost an allocation per parse.
pub enum Inbound {
    /// The platform is checking the endpoint URL; answer with
    /// [`Challenge::response_body`] and HTTP 200.
    Challenge(Challenge),
    /// An event.
    Event(Event),
}

/// A URL-verification request (`"type": "url_verification"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// The value to echo back.
    pub challenge: String,
}

impl Challenge {
    /// The exact body to answer with, `{"challenge":"..."}`, built by a JSON
    /// serializer: quotes, backslashes and control characters in the
    /// challenge are escaped, never pasted into the response.
    ///
    /// ```
    /// let c = larkhook::Challenge { challenge: "a\"b".into() };
    /// assert_eq!(c.response_body(), r#"{"challenge":"a\"b"}"#);
    /// ```
    pub fn response_body(&self) -> String {
        #[derive(Serialize)]
        struct Response<'a> {
            challenge: &'a str,
        }
        // Serializing a struct of one string cannot fail; the fallback keeps
        // this free of panics all the same.
        serde_json::to_string(&Response {
            challenge: &self.challenge,
        })
        .unwrap_or_else(|_| String::from("{\"challenge\":\"\"}"))
    }
}

/// Which envelope an event arrived in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Schema {
    /// `"schema": "2.0"`, with `header` and `event`.
    V2,
    /// The legacy envelope: `uuid`, `token`, `ts`, `"type": "event_callback"`, `event`.
    V1,
}

impl Schema {
    /// `"2.0"` or `"1.0"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::V2 => "2.0",
            Schema::V1 => "1.0",
        }
    }
}

/// The envelope header of an event, the same shape for both schemas. The
/// verification token is deliberately not kept here (it was checked; it is
/// a secret and does not belong in handler logs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct EventHeader {
    /// The delivery's id: `header.event_id` (2.0) or `uuid` (1.0). Retries
    /// repeat it: deduplicate on it.
    pub event_id: String,
    /// The event type, e.g. `helpdesk.ticket.created_v1`.
    pub event_type: String,
    /// When the event was created, milliseconds since the epoch
    /// (`header.create_time` in 2.0, `ts` in 1.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>"))]
    pub create_time: Option<i64>,
    /// The app the event is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The tenant the event comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<String>,
}

/// A verified, decrypted event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The envelope schema.
    pub schema: Schema,
    /// The envelope header.
    pub header: EventHeader,
    /// The event body: typed for the three helpdesk events, untyped otherwise.
    pub payload: Payload,
    /// The decrypted JSON text exactly as sent (for a plain body, the body).
    /// It includes the verification token: do not log it.
    pub raw: String,
}

impl Event {
    /// The event type, e.g. `helpdesk.ticket.updated_v1`.
    pub fn event_type(&self) -> &str {
        &self.header.event_type
    }

    /// Whether `payload` holds one of the typed models.
    pub fn is_typed(&self) -> bool {
        !matches!(self.payload, Payload::Untyped { .. })
    }

    /// The fields present in the event JSON that the typed model does not
    /// know, as paths such as `ticket.priority` (empty for untyped events).
    /// Re-reads [`Event::raw`]; meant for tools such as the inspector, not
    /// for the per-request path.
    pub fn unrecognized_fields(&self) -> Vec<String> {
        crate::envelope::unrecognized_fields(self)
    }
}

/// The body of an event.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Payload {
    /// `helpdesk.ticket.created_v1`.
    TicketCreated(Box<TicketCreatedV1>),
    /// `helpdesk.ticket.updated_v1`.
    TicketUpdated(Box<TicketUpdatedV1>),
    /// `helpdesk.ticket_message.created_v1`.
    TicketMessageCreated(Box<TicketMessageCreatedV1>),
    /// Any other event type, or one of the three whose body did not decode
    /// (then `decode_error` says where and why). Never an error: one library
    /// serves every event an app subscribes to.
    Untyped {
        /// The event object's JSON text, as sent.
        event: Box<RawValue>,
        /// Why a known event type could not be typed; `None` for other types.
        decode_error: Option<DecodeError>,
    },
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Payload::TicketCreated(a), Payload::TicketCreated(b)) => a == b,
            (Payload::TicketUpdated(a), Payload::TicketUpdated(b)) => a == b,
            (Payload::TicketMessageCreated(a), Payload::TicketMessageCreated(b)) => a == b,
            (
                Payload::Untyped {
                    event: a,
                    decode_error: ea,
                },
                Payload::Untyped {
                    event: b,
                    decode_error: eb,
                },
            ) => a.get() == b.get() && ea == eb,
            _ => false,
        }
    }
}
