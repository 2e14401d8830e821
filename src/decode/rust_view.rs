//! The Rust view of a verified event: a typed event's normalized JSON
//! (see `crate::decode::typed`) deserialized into its model's struct, as
//! [`crate::Webhook::parse`] returns it.

use serde_json::value::RawValue;

use crate::error::DecodeError;
use crate::event::{
    CARD_ACTION, CardActionCallback, Event, EventBody, Inbound, Payload, TypedEvent, Verified,
    VerifiedEvent,
};

impl Verified {
    /// The Rust view: typed events as their models.
    pub fn into_inbound(self) -> Inbound {
        match self {
            Verified::Challenge(c) => Inbound::Challenge(c),
            Verified::Event(e) => Inbound::Event(e.into_event()),
            Verified::CardAction(c) => Inbound::CardAction(CardActionCallback {
                payload: payload_of(c.body, &c.raw),
                raw: c.raw,
            }),
        }
    }
}

impl VerifiedEvent {
    /// The Rust view of the event: a typed body as its model.
    pub fn into_event(self) -> Event {
        Event {
            payload: payload_of(self.body, &self.raw),
            schema: self.schema,
            header: self.header,
            raw: self.raw,
        }
    }
}

/// The Rust view of a body: a typed one as its model.
fn payload_of(body: EventBody, raw: &str) -> Payload {
    match body {
        EventBody::Typed { event, json } => match Payload::from_normalized(event, &json) {
            Ok(payload) => payload,
            // Normalized JSON fits its model, except what Rust cannot
            // hold (a string with a lone surrogate escape): then the
            // event arrives untyped, saying where.
            Err(e) => untyped_from_raw(event, raw, &json, &e),
        },
        EventBody::Untyped {
            event,
            decode_error,
        } => Payload::Untyped {
            event,
            decode_error,
        },
    }
}

/// The untyped payload for an event whose normalized JSON Rust could not
/// hold: the `event` member of `raw` (for the legacy card callback, which
/// has no envelope, the whole of it).
fn untyped_from_raw(typed: &TypedEvent, raw: &str, json: &str, e: &serde_json::Error) -> Payload {
    #[derive(serde::Deserialize)]
    struct EventOnly<'a> {
        #[serde(borrow)]
        event: Option<&'a RawValue>,
    }
    let event = if typed == &CARD_ACTION {
        serde_json::from_str::<&RawValue>(raw)
            .ok()
            .map(ToOwned::to_owned)
    } else {
        serde_json::from_str::<EventOnly<'_>>(raw)
            .ok()
            .and_then(|e| e.event)
            .map(ToOwned::to_owned)
    }
    .or_else(|| serde_json::value::to_raw_value(&serde_json::Value::Null).ok());
    let offset = crate::decode::json_path::byte_offset(json, e.line(), e.column());
    let message = e.to_string();
    let message = match message.rsplit_once(" at line ") {
        Some((reason, _)) => crate::error::without_value(reason),
        None => crate::error::without_value(&message),
    };
    match event {
        Some(event) => Payload::Untyped {
            event,
            decode_error: Some(DecodeError {
                path: crate::decode::json_path::path_at(json, offset),
                message,
            }),
        },
        None => Payload::Untyped {
            event: Box::<RawValue>::default(),
            decode_error: None,
        },
    }
}
