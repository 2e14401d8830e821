//! The legacy message-card callback's walk: a plain JSON body signed with
//! `SHA-1(timestamp || nonce || Verification Token || body)`, told apart
//! from an event by its signature alone (40 hex digits instead of 64), so
//! that the signature is still checked before anything else is read. It
//! is the same pipeline (`crate::pipeline`) from the signature headers on,
//! watched by the same observer.

use crate::decode::envelope::classify;
use crate::decode::text::string_value;
use crate::decode::wire::Envelope;
use crate::error::{Error, JsonLocation};
use crate::event::{CARD_ACTION, EventBody, Verified, VerifiedCardAction};
use crate::observe::{Fact, Observer, Skip, StepId};
use crate::verify::card::CardSigningToken;
use crate::verify::crypto::{decode_hex, digests_match, first_match};
use crate::verify::headers::SignatureHeaders;
use crate::verify::webhook::Webhook;

impl Webhook {
    /// Verifies and types a legacy message-card callback (`signature`: 40
    /// characters). Steps: the headers, the strict callback window, the
    /// SHA-1 signature against every configured Verification Token
    /// (constant time, all of them), then the plain body.
    pub(crate) fn run_card_action<O: Observer>(
        &self,
        headers: &SignatureHeaders<'_>,
        signature: &str,
        body: &[u8],
        now: i64,
        obs: &mut O,
    ) -> Result<Verified, Error> {
        let (timestamp, nonce) = headers
            .timestamp_and_nonce()
            .inspect_err(|e| obs.fail(StepId::Headers, e, Fact::None))?;
        obs.pass(
            StepId::Headers,
            Fact::CardSignedHeaders {
                timestamp,
                nonce,
                signature,
            },
        );
        let window = self.callback_window();
        let seconds = self
            .check_timestamp(timestamp, now, window)
            .inspect_err(|e| obs.fail(StepId::Timestamp, e, Fact::CallbackWindow))?;
        obs.pass(
            StepId::Timestamp,
            Fact::Age {
                age: now.saturating_sub(seconds),
                window,
                callback: true,
            },
        );
        let index = self.card_signature(timestamp, nonce, signature, body, obs)?;
        obs.pass(StepId::Signature, Fact::TokenMatched { index });
        let text = crate::pipeline::body_text(body, obs)?;
        let envelope = Envelope::parse(text, JsonLocation::Body)
            .inspect_err(|e| obs.fail(StepId::BodyJson, e, Fact::None))?;
        if envelope.encrypt.is_some() {
            obs.pass(StepId::BodyJson, Fact::EncryptedBody);
            let reason = "a legacy card callback is never encrypted";
            let error = Error::InvalidEnvelope { reason };
            obs.fail(StepId::Decryption, &error, Fact::None);
            return Err(error);
        }
        obs.pass(StepId::BodyJson, Fact::PlainBody);
        obs.skip(StepId::Decryption, Skip::NotEncrypted);
        obs.pass(StepId::PayloadJson, Fact::None);
        if envelope.kind.and_then(string_value).as_deref() == Some("url_verification") {
            // A challenge that came signed: checked like any other.
            return classify(envelope, self.tokens(), obs);
        }
        if envelope.schema.is_some() {
            let reason = "a legacy card callback (SHA-1 signature) has no `schema`; \
                          card.action.trigger is signed with the Encrypt Key";
            let error = Error::InvalidEnvelope { reason };
            obs.fail(StepId::Schema, &error, Fact::None);
            return Err(error);
        }
        Ok(card_action(text, obs))
    }

    /// The index of the first configured Verification Token whose SHA-1
    /// signature matches. Every token is tried, without stopping at a
    /// match, each comparison constant-time (`subtle`).
    fn card_signature<O: Observer>(
        &self,
        timestamp: &str,
        nonce: &str,
        signature: &str,
        body: &[u8],
        obs: &mut O,
    ) -> Result<usize, Error> {
        let tokens: &[CardSigningToken] = self.card_tokens();
        if tokens.is_empty() {
            let error = Error::TokenRequired;
            obs.fail(StepId::Signature, &error, Fact::None);
            return Err(error);
        }
        let mismatch = |obs: &mut O| {
            let error = Error::CardSignatureMismatch;
            let fact = Fact::CardMismatch {
                timestamp,
                nonce,
                signature,
                body,
            };
            obs.fail(StepId::Signature, &error, fact);
            error
        };
        let Some(received) = decode_hex::<20>(signature) else {
            return Err(mismatch(obs));
        };
        first_match(
            tokens.iter().map(|token| {
                digests_match(&token.signature_digest(timestamp, nonce, body), &received)
            }),
        )
        .ok_or_else(|| mismatch(obs))
    }
}

/// A verified legacy callback's body, typed by the registry's `CardAction`
/// model (or untyped, saying where it does not fit).
fn card_action<O: Observer>(text: &str, obs: &mut O) -> Verified {
    obs.pass(StepId::Schema, Fact::CardActionSchema);
    obs.pass(StepId::Token, Fact::SignedWithToken);
    obs.pass(StepId::EventType, Fact::CardAction);
    let body = match crate::decode::typed::normalize(text, CARD_ACTION.schema) {
        Ok(json) => EventBody::Typed {
            event: &CARD_ACTION,
            json,
        },
        Err(decode_error) => EventBody::Untyped {
            event: serde_json::from_str::<&serde_json::value::RawValue>(text)
                .map(ToOwned::to_owned)
                .unwrap_or_default(),
            decode_error: Some(decode_error),
        },
    };
    match &body {
        EventBody::Untyped {
            decode_error: Some(e),
            ..
        } => obs.pass(StepId::TypedModel, Fact::DecodeFailed(e)),
        _ => obs.pass(StepId::TypedModel, Fact::Typed),
    }
    Verified::CardAction(VerifiedCardAction {
        body,
        raw: text.to_owned(),
    })
}
