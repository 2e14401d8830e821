//! How diagnostics watch the one pipeline instead of repeating it.
//!
//! [`crate::Webhook::parse`] runs its steps with an [`Observer`]. On the
//! request path that is [`Unobserved`], whose methods do nothing and are
//! compiled away (its `ACTIVE` is `false`, so no branch depends on what it
//! would have seen); [`crate::Webhook::inspect`] passes a recorder that
//! turns each [`Fact`] into a line of its report. Either way it is the same
//! code, so the inspector's verdict is `parse`'s by construction.

use crate::error::Error;

/// Declares the step ids once: the enum, its ids and titles as text, and
/// the list.
macro_rules! steps {
    ($( $(#[doc = $doc:literal])* $variant:ident = $id:literal, $title:literal; )*) => {
        /// One step of [`crate::Webhook::parse`], in the order they run.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum StepId {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl StepId {
            /// Every step, in order.
            pub const ALL: &'static [StepId] = &[$(StepId::$variant),*];

            /// The stable id, e.g. `"signature"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( StepId::$variant => $id, )*
                }
            }

            /// A short title for people, e.g. "Signature".
            pub fn title(self) -> &'static str {
                match self {
                    $( StepId::$variant => $title, )*
                }
            }
        }
    };
}

steps! {
    /// The body is within the size limit.
    BodySize = "body_size", "Body size";
    /// The signature headers: present once each, or absent together.
    Headers = "headers", "Signature headers";
    /// `X-Lark-Request-Timestamp` within the replay window.
    Timestamp = "timestamp", "Timestamp within the window";
    /// `X-Lark-Signature` matches a configured Encrypt Key (a legacy
    /// message-card callback's: a configured Verification Token).
    Signature = "signature", "Signature";
    /// The body is a JSON object, encrypted or plain as configured.
    BodyJson = "body_json", "Body is JSON";
    /// `encrypt` decrypts to UTF-8.
    Decryption = "decryption", "Decryption";
    /// The payload is a JSON object.
    PayloadJson = "payload_json", "Payload is JSON";
    /// A challenge, a schema 2.0 or a schema 1.0 envelope.
    Schema = "schema", "Schema";
    /// The Verification Token.
    Token = "token", "Verification Token";
    /// The event id and type.
    EventType = "event_type", "Event type";
    /// The typed model of a helpdesk event.
    TypedModel = "typed_model", "Typed model";
}

/// Which key decrypted a body.
#[derive(Clone, Copy, Debug)]
pub(crate) enum KeyUsed {
    /// The key whose signature matched.
    Signing,
    /// (Unsigned challenge) the configured key at this index.
    Index(usize),
}

/// What a step found, for the recorder to put into words.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Fact<'a> {
    /// Nothing more to say than the step's outcome.
    None,
    BodySize {
        len: usize,
        limit: usize,
    },
    NoKey,
    SignedHeaders {
        timestamp: &'a str,
        nonce: &'a str,
        signature: &'a str,
    },
    Unsigned,
    Age {
        age: i64,
        window: Option<crate::ReplayWindow>,
        /// The strict window of a callback.
        callback: bool,
    },
    KeyMatched {
        index: usize,
    },
    /// The signature headers of a legacy message-card callback (SHA-1).
    CardSignedHeaders {
        timestamp: &'a str,
        nonce: &'a str,
        signature: &'a str,
    },
    /// A callback outside its strict window.
    CallbackWindow,
    /// The legacy callback's signature matched this Verification Token.
    TokenMatched {
        index: usize,
    },
    /// The legacy callback's signature matched no token.
    CardMismatch {
        timestamp: &'a str,
        nonce: &'a str,
        signature: &'a str,
        body: &'a [u8],
    },
    /// A legacy message-card callback's body.
    CardActionSchema,
    /// The legacy callback's token step: its signature proved the token.
    SignedWithToken,
    /// The legacy callback has no event id and type of its own.
    CardAction,
    /// The signature matched no key: what the recorder needs to show the
    /// expected values.
    Mismatch {
        timestamp: &'a str,
        nonce: &'a str,
        signature: &'a str,
        body: &'a [u8],
    },
    PlainBody,
    EncryptedBody,
    Decrypted {
        key: KeyUsed,
        plaintext: &'a str,
    },
    Challenge,
    EventSchema(crate::event::Schema),
    Event {
        event_type: &'a str,
    },
    /// An event on the unsigned path, where only the challenge may arrive.
    UnsignedEvent,
    Typed,
    DecodeFailed(&'a crate::error::DecodeError),
}

/// Why a step did not apply.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Skip {
    NoKey,
    Unsigned,
    NotEncrypted,
    NoToken,
    Challenge,
    NotTyped,
}

/// Watches the pipeline's steps (see the module docs).
pub(crate) trait Observer {
    /// `false` for [`Unobserved`]: lets code that exists only to be watched
    /// compile away on the request path.
    const ACTIVE: bool;

    /// A step passed.
    fn pass(&mut self, step: StepId, fact: Fact<'_>);
    /// A step failed with `error` (the outcome `parse` returns, except on
    /// the unsigned path, where every failure is `missing_signature`).
    fn fail(&mut self, step: StepId, error: &Error, fact: Fact<'_>);
    /// A step did not apply.
    fn skip(&mut self, step: StepId, why: Skip);
}

/// The request path's observer: sees nothing, costs nothing.
pub(crate) struct Unobserved;

impl Observer for Unobserved {
    const ACTIVE: bool = false;

    #[inline(always)]
    fn pass(&mut self, _: StepId, _: Fact<'_>) {}
    #[inline(always)]
    fn fail(&mut self, _: StepId, _: &Error, _: Fact<'_>) {}
    #[inline(always)]
    fn skip(&mut self, _: StepId, _: Skip) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_path_watches_nothing() {
        // What compiles out the unsigned path's watched branch (see
        // `Webhook::parse_unsigned`): the request path's observer is inactive.
        const { assert!(!Unobserved::ACTIVE) };
        assert!(include_str!("pipeline.rs").contains("O::ACTIVE && bool::from(padding_valid)"));
    }
}
