//! What a successful [`crate::Webhook::parse`] returns, and the registry of
//! typed event types. The decode stage builds these values, and converts
//! [`Verified`] into the Rust view (`crate::decode::rust_view`).

use serde::Serialize;
use serde_json::value::RawValue;

use crate::error::DecodeError;
use crate::model::{
    CardAction, CardActionTrigger, NotificationApproveV1, Schema as ModelSchema, TicketCreatedV1,
    TicketMessageCreatedV1, TicketUpdatedV1,
};

/// One typed event type as data: the registry entry from which the Rust
/// dispatch, the TypeScript union, the JavaScript constants and the
/// inspector's tables are all derived.
#[derive(Debug)]
#[non_exhaustive]
pub struct TypedEvent {
    /// The event type, e.g. `helpdesk.ticket.created_v1`.
    pub event_type: &'static str,
    /// The model's (and the JavaScript constant's) name, e.g. `TicketCreatedV1`.
    pub name: &'static str,
    /// The [`Payload`] variant's name, e.g. `TicketCreated`.
    pub variant: &'static str,
    /// A short English title, e.g. "Ticket created".
    pub title: &'static str,
    /// The title of the platform's page, e.g. "创建工单".
    pub page_title: &'static str,
    /// What the inspector calls the event object's own fields, e.g. "Ticket".
    pub root_title: &'static str,
    /// The event body's model.
    pub schema: &'static ModelSchema,
    /// Whether the model keeps values as sent ([`crate::model::Kind::Json`]),
    /// whose numbers a binding may have to make safe for its language.
    pub holds_json: bool,
    /// Whether this is a callback rather than an event: the platform waits
    /// for an answer with a body (a toast, a card), does not retry it, and
    /// so it keeps the strict replay window (see
    /// [`crate::DEFAULT_TOLERANCE_SECONDS`]).
    pub callback: bool,
}

impl TypedEvent {
    /// The entry for an event type, if it is one of the typed ones.
    ///
    /// ```
    /// let entry = larkhook::TypedEvent::find("helpdesk.ticket.updated_v1").unwrap();
    /// assert_eq!(entry.name, "TicketUpdatedV1");
    /// assert!(larkhook::TypedEvent::find("im.message.receive_v1").is_none());
    /// ```
    pub fn find(event_type: &str) -> Option<&'static TypedEvent> {
        // A loop over the registry, not one comparison per entry inlined
        // wherever this is called (`black_box` hides the length).
        let events: &'static [TypedEvent] = core::hint::black_box(&TYPED_EVENTS);
        events.iter().find(|e| e.event_type == event_type)
    }
}

/// Declares the typed events once: their constants, the registry, and the
/// [`Payload`] enum with its dispatch.
macro_rules! typed_events {
    ($(
        $(#[doc = $doc:literal])*
        $constant:ident = $event_type:literal => $variant:ident($model:ident) {
            title: $title:literal, page_title: $page_title:literal, root: $root:literal,
            callback: $callback:literal $(,)?
        }
    )*) => {
        $( $(#[doc = $doc])* pub const $constant: &str = $event_type; )*

        /// The event types larkhook decodes into typed models; every other
        /// type is passed through untyped.
        pub const TYPED_EVENT_TYPES: [&str; [$($constant),*].len()] = [$($constant),*];

        /// The registry of typed events (see [`TypedEvent`]).
        pub static TYPED_EVENTS: [TypedEvent; [$($constant),*].len()] = [$(
            TypedEvent {
                event_type: $constant,
                name: stringify!($model),
                variant: stringify!($variant),
                title: $title,
                page_title: $page_title,
                root_title: $root,
                schema: &$model::SCHEMA,
                holds_json: $model::SCHEMA.holds_json(),
                callback: $callback,
            },
        )*];

        /// The body of an event.
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum Payload {
            $( $(#[doc = $doc])* $variant(Box<$model>), )*
            /// The legacy message-card callback (see [`CARD_ACTION`]).
            CardAction(Box<CardAction>),
            /// Any other event type, or one of the typed ones whose body did
            /// not decode (then `decode_error` says where and why). Never an
            /// error: one library serves every event an app subscribes to.
            Untyped {
                /// The event object's JSON text, as sent.
                event: Box<RawValue>,
                /// Why a typed event type could not be typed; `None` for other types.
                decode_error: Option<DecodeError>,
            },
        }

        impl Payload {
            /// The Rust model of a typed event, from its normalized JSON.
            pub(crate) fn from_normalized(event: &TypedEvent, json: &str) -> Result<Payload, serde_json::Error> {
                $(
                    if event.event_type == $constant {
                        return serde_json::from_str::<$model>(json).map(|m| Payload::$variant(Box::new(m)));
                    }
                )*
                if event.event_type == CARD_ACTION.event_type {
                    return serde_json::from_str::<CardAction>(json).map(|m| Payload::CardAction(Box::new(m)));
                }
                Err(serde::de::Error::custom("not a typed event type"))
            }
        }

        impl PartialEq for Payload {
            fn eq(&self, other: &Self) -> bool {
                match (self, other) {
                    $( (Payload::$variant(a), Payload::$variant(b)) => a == b, )*
                    (Payload::CardAction(a), Payload::CardAction(b)) => a == b,
                    (
                        Payload::Untyped { event: a, decode_error: ea },
                        Payload::Untyped { event: b, decode_error: eb },
                    ) => a.get() == b.get() && ea == eb,
                    _ => false,
                }
            }
        }
    };
}

typed_events! {
    /// `helpdesk.ticket.created_v1`: a ticket was created.
    TICKET_CREATED_V1 = "helpdesk.ticket.created_v1" => TicketCreated(TicketCreatedV1) {
        title: "Ticket created", page_title: "创建工单", root: "Ticket",
        callback: false,
    }
    /// `helpdesk.ticket.updated_v1`: a ticket's status or stage changed.
    TICKET_UPDATED_V1 = "helpdesk.ticket.updated_v1" => TicketUpdated(TicketUpdatedV1) {
        title: "Ticket updated", page_title: "工单状态变更", root: "Update",
        callback: false,
    }
    /// `helpdesk.ticket_message.created_v1`: a message was posted on a ticket.
    TICKET_MESSAGE_CREATED_V1 = "helpdesk.ticket_message.created_v1" => TicketMessageCreated(TicketMessageCreatedV1) {
        title: "Ticket message", page_title: "工单消息事件", root: "Message",
        callback: false,
    }
    /// `helpdesk.notification.approve_v1`: a push notification's approval result.
    NOTIFICATION_APPROVE_V1 = "helpdesk.notification.approve_v1" => NotificationApprove(NotificationApproveV1) {
        title: "Notification approval", page_title: "推送审核通知", root: "Approval",
        callback: false,
    }
    /// `card.action.trigger`: someone clicked a button or submitted a form
    /// on a card the app sent (a callback: answer with a body).
    CARD_ACTION_TRIGGER = "card.action.trigger" => CardActionTrigger(CardActionTrigger) {
        title: "Card action", page_title: "卡片回传交互", root: "Card action",
        callback: true,
    }
}

/// The legacy message-card callback as a registry entry: not an event type
/// (it has no envelope, no `event_id`), named `card_action` wherever a
/// name is needed (`kind: "card_action"`, `on["card_action"]`, its JSON
/// Schema `card_action.json`). [`TypedEvent::find`] does not return it.
pub static CARD_ACTION: TypedEvent = TypedEvent {
    event_type: "card_action",
    name: "CardAction",
    variant: "CardAction",
    title: "Message card action (legacy)",
    page_title: "消息卡片回传交互（旧）",
    root_title: "Card action",
    schema: &CardAction::SCHEMA,
    holds_json: CardAction::SCHEMA.holds_json(),
    callback: true,
};

/// A verified delivery: the URL-verification challenge, an event (a
/// `card.action.trigger` callback included), or a legacy message-card
/// callback.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // `Event` is the common case; boxing it would cost an allocation per parse.
pub enum Inbound {
    /// The platform is checking the endpoint URL; answer with
    /// [`Challenge::response_body`] and HTTP 200.
    Challenge(Challenge),
    /// An event.
    Event(Event),
    /// A legacy message-card callback; answer HTTP 200 with the toast and
    /// card to show (`{}` changes nothing).
    CardAction(CardActionCallback),
}

/// A legacy message-card callback, verified by its SHA-1 signature over the
/// Verification Token. It has no envelope and no `event_id`: it cannot be
/// deduplicated (the platform does not retry it).
#[derive(Clone, PartialEq)]
pub struct CardActionCallback {
    /// [`Payload::CardAction`], or [`Payload::Untyped`] with the decode
    /// error when the body does not fit the model.
    pub payload: Payload,
    /// The body exactly as sent. It holds the card's update token (`token`).
    pub raw: String,
}

impl core::fmt::Debug for CardActionCallback {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CardActionCallback")
            .field("payload", &self.payload)
            .field("raw", &format_args!("<{} bytes>", self.raw.len()))
            .finish()
    }
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
pub struct EventHeader {
    /// The delivery's id: `header.event_id` (2.0) or `uuid` (1.0). Retries
    /// repeat it: deduplicate on it.
    pub event_id: String,
    /// The event type, e.g. `helpdesk.ticket.created_v1`.
    pub event_type: String,
    /// When the event was created, in the platform's unit: milliseconds since
    /// the epoch (`header.create_time` in 2.0, `ts` in 1.0), but microseconds
    /// for a callback (`card.action.trigger`), kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<i64>,
    /// The app the event is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The tenant the event comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<String>,
}

/// A verified, decrypted event.
#[derive(Clone, PartialEq)]
pub struct Event {
    /// The envelope schema.
    pub schema: Schema,
    /// The envelope header.
    pub header: EventHeader,
    /// The event body: typed for the three helpdesk events, untyped otherwise.
    pub payload: Payload,
    /// The decrypted JSON text exactly as sent (for a plain body, the body).
    /// It includes the Verification Token: do not log it (`Debug` does not
    /// print it).
    pub raw: String,
}

impl core::fmt::Debug for Event {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Event")
            .field("schema", &self.schema)
            .field("header", &self.header)
            .field("payload", &self.payload)
            .field("raw", &Redacted(self.raw.len()))
            .finish()
    }
}

/// How `Debug` shows a text that holds the Verification Token.
pub(crate) struct Redacted(pub(crate) usize);

impl core::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "<{} bytes, not shown: they hold the Verification Token>",
            self.0
        )
    }
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
}

/// What [`crate::Webhook::verify`] returns: the same verdict as
/// [`crate::Webhook::parse`], with a typed event as its normalized JSON
/// instead of Rust structs. For bindings to other languages (the
/// JavaScript package is built on it), which hand the JSON over as is.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // as for `Inbound`
pub enum Verified {
    /// The URL-verification challenge.
    Challenge(Challenge),
    /// An event.
    Event(VerifiedEvent),
    /// A legacy message-card callback.
    CardAction(VerifiedCardAction),
}

/// A legacy message-card callback as [`crate::Webhook::verify`] returns it.
#[derive(Clone, PartialEq)]
pub struct VerifiedCardAction {
    /// The body: [`EventBody::Typed`] with [`CARD_ACTION`], or untyped with
    /// the decode error.
    pub body: EventBody,
    /// The body exactly as sent.
    pub raw: String,
}

impl core::fmt::Debug for VerifiedCardAction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedCardAction")
            .field("body", &self.body)
            .field("raw", &format_args!("<{} bytes>", self.raw.len()))
            .finish()
    }
}

/// An event as [`crate::Webhook::verify`] returns it.
#[derive(Clone, PartialEq)]
pub struct VerifiedEvent {
    /// The envelope schema.
    pub schema: Schema,
    /// The envelope header.
    pub header: EventHeader,
    /// The event body.
    pub body: EventBody,
    /// The decrypted JSON text exactly as sent; holds the Verification Token.
    pub raw: String,
}

impl core::fmt::Debug for VerifiedEvent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedEvent")
            .field("schema", &self.schema)
            .field("header", &self.header)
            .field("body", &self.body)
            .field("raw", &Redacted(self.raw.len()))
            .finish()
    }
}

/// The body of a [`VerifiedEvent`].
#[derive(Clone, Debug)]
pub enum EventBody {
    /// One of the typed events: its registry entry and its normalized JSON
    /// (see the `model` module: ids as strings, integers within ±(2^53 − 1),
    /// one-or-many fields as arrays, absent fields left out).
    Typed {
        /// The registry entry.
        event: &'static TypedEvent,
        /// The normalized JSON of the model.
        json: String,
    },
    /// Any other event type, or a typed one whose body did not decode.
    Untyped {
        /// The event object's JSON text, as sent.
        event: Box<RawValue>,
        /// Why a typed event type could not be typed; `None` for other types.
        decode_error: Option<DecodeError>,
    },
}

impl PartialEq for EventBody {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (EventBody::Typed { event: a, json: ja }, EventBody::Typed { event: b, json: jb }) => {
                a == b && ja == jb
            }
            (
                EventBody::Untyped {
                    event: a,
                    decode_error: ea,
                },
                EventBody::Untyped {
                    event: b,
                    decode_error: eb,
                },
            ) => a.get() == b.get() && ea == eb,
            _ => false,
        }
    }
}

impl PartialEq for TypedEvent {
    fn eq(&self, other: &Self) -> bool {
        self.event_type == other.event_type
    }
}
