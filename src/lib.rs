//! # larkhook
//!
//! Turns one raw Lark / Feishu Open Platform webhook delivery (its headers,
//! its body bytes exactly as received, and the current time) into a
//! verified, decrypted, typed event, or a precise [`Error`].
//!
//! The crate does no I/O, reads no clock and keeps no global state: the
//! caller passes the delivery and `now` in, and gets a value back. It
//! compiles to `wasm32-unknown-unknown`; the `wasm-bindgen` bindings the
//! npm package is built from are the crate beside it, `bindings/wasm`.
//!
//! What it checks, beyond the official SDKs:
//!
//! - the signature, `SHA-256(timestamp || nonce || key || raw body)`, over the
//!   raw bytes, compared in constant time, **before** any decryption;
//! - a replay window on the timestamp (±300 s by default);
//! - strict decryption: canonical base64, whole blocks, strict PKCS#7, UTF-8;
//! - the Verification Token on every delivery, compared in constant time;
//! - only the URL-verification challenge may arrive unsigned, and on that
//!   path every failure looks the same (no padding oracle);
//! - typed models of the four helpdesk events and the card callbacks
//!   (`card.action.trigger`, and the legacy message-card callback, signed
//!   with SHA-1 over the Verification Token) that accept what real payloads
//!   contain, with 64-bit ids kept exactly; every other event type passes
//!   through untyped.
//!
//! ```
//! use larkhook::{DeliveryBuilder, Inbound, Payload, Webhook};
//!
//! // What the platform would post: a signed, encrypted ticket_message event.
//! let event = r#"{"schema":"2.0",
//!   "header":{"event_id":"5e3702a84e847582be8db7fb73283c02",
//!             "event_type":"helpdesk.ticket_message.created_v1","create_time":"1608725989000"},
//!   "event":{"ticket_message_id":"6949088240624222236","position":222,"sender_type":2,
//!            "text":"vpn?","ticket":{"ticket_id":"6626871355780366331",
//!            "comments":[{"id":7262656095919128578,"content":"note"}]}}}"#;
//! let delivery = DeliveryBuilder::new(event)
//!     .verification_token("v-token")
//!     .encrypt("e-key", [7; 16])
//!     .sign(1_700_000_000, "nonce-1")
//!     .build()?;
//!
//! // The endpoint: configure once, parse per request.
//! let hook = Webhook::builder().encrypt_key("e-key").verification_token("v-token").build()?;
//! match hook.parse(&delivery.headers, delivery.body.as_bytes(), 1_700_000_042)? {
//!     Inbound::Challenge(c) => println!("answer {}", c.response_body()),
//!     Inbound::Event(event) => {
//!         assert_eq!(event.header.event_id, "5e3702a84e847582be8db7fb73283c02");
//!         let Payload::TicketMessageCreated(message) = &event.payload else { unreachable!() };
//!         assert_eq!(message.position.as_deref(), Some("222"));
//!         let ticket = message.ticket.as_ref().unwrap();
//!         // A 64-bit id above 2^53, digit for digit.
//!         assert_eq!(ticket.comments.as_ref().unwrap()[0].id.as_deref(), Some("7262656095919128578"));
//!     }
//!     // A legacy message-card callback: answer with the toast and card to show.
//!     Inbound::CardAction(_) => println!("answer {{}}"),
//! }
//! # Ok::<(), larkhook::Error>(())
//! ```
//!
//! # Security notes
//!
//! AES-CBC (via the RustCrypto `cbc` crate) is unauthenticated encryption;
//! the signature is the platform's only integrity check. Configure an
//! Encrypt Key; see [`Webhook`] for what each configuration guarantees, and
//! `SECURITY.md` for the threat model.

#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::too_many_lines)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

// The one walk through a delivery (`pipeline.rs`), what it returns, how it
// fails, and how diagnostics watch it.
mod error;
mod event;
mod legacy_card;
mod observe;
mod pipeline;

// The stages, in the order a delivery meets them: the signature headers,
// the signature, decryption and the token (`verify/`); the envelope and the
// typed event (`decode/`), by the registry of models (`model/`).
mod decode;
pub mod model;
mod verify;

// Beside the request path: the step-by-step diagnosis, the generators of
// the JavaScript package's types and tables, and test deliveries.
pub mod codegen;
mod diagnose;
mod fixture;

// The long connection's frame codec (the tools module's; never on the
// request path).
pub mod frame;

pub use diagnose::inspect::{Report, Step, StepStatus};
pub use error::{DecodeError, DecryptFailure, Error, JsonLocation, Setting};
pub use event::{
    CARD_ACTION, CARD_ACTION_TRIGGER, CardActionCallback, Challenge, Event, EventBody, EventHeader,
    Inbound, NOTIFICATION_APPROVE_V1, Payload, Schema, TICKET_CREATED_V1,
    TICKET_MESSAGE_CREATED_V1, TICKET_UPDATED_V1, TYPED_EVENT_TYPES, TYPED_EVENTS, TypedEvent,
    Verified, VerifiedCardAction, VerifiedEvent,
};
pub use fixture::{Delivery, DeliveryBuilder};
pub use model::{
    CallbackAction, CallbackContext, CallbackOperator, CardAction, CardActionTrigger, Channel,
    CodeLabel, Comment, CustomizedField, I18n, NotificationApproveV1, Score, SenderType, Solve,
    Stage, Status, Ticket, TicketCreatedV1, TicketEvent, TicketEventUpdateInfo,
    TicketMessageContent, TicketMessageCreatedV1, TicketUpdatedV1, TicketUser, TicketUserEvent,
    UserId,
};
pub use observe::StepId;
pub use verify::card::{CARD_SIGNATURE_HEX_LEN, sign_card_action};
pub use verify::crypto::{decrypt, encrypt, on_wiped_stack, sign};
pub use verify::webhook::{
    CALLBACK_TOLERANCE_SECONDS, DEFAULT_MAX_BODY_BYTES, DEFAULT_TOLERANCE_SECONDS,
    MAX_BODY_BYTES_LIMIT, ReplayWindow, Webhook, WebhookBuilder,
};

// The platform's header names: every stage and every message uses them, so
// they live at the root rather than in `verify/headers.rs`.
/// `X-Lark-Request-Timestamp`: unix seconds, decimal.
pub const TIMESTAMP_HEADER: &str = "X-Lark-Request-Timestamp";
/// `X-Lark-Request-Nonce`: an opaque string hashed into the signature.
pub const NONCE_HEADER: &str = "X-Lark-Request-Nonce";
/// `X-Lark-Signature`: lowercase hex SHA-256 of timestamp, nonce, key and body
/// (for the legacy message-card callback, SHA-1 over the Verification Token).
pub const SIGNATURE_HEADER: &str = "X-Lark-Signature";

/// The README's Rust examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
