//! A step-by-step diagnosis of one delivery, for the payload inspector.
//!
//! [`Webhook::inspect`] runs the very pipeline [`Webhook::parse`] runs, with
//! a recorder as its observer (see `crate::observe`), and says for each step
//! whether it passed, failed or was skipped, and why. It reveals more than
//! `parse` would to a caller (the expected signature, why an unsigned body
//! failed): that is what a developer holding the key needs, and it never
//! runs on the request path. Its verdict is `parse`'s by construction.

use serde::Serialize;

use crate::error::Error;
use crate::event::{Inbound, Verified};
use crate::observe::{Fact, KeyUsed, Observer, Skip, StepId};
use crate::verify::crypto::{decode_signature, digests_match};
use crate::verify::webhook::Webhook;

/// How one step of the diagnosis went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The step passed.
    Pass,
    /// The step failed; `code` says how (no code: a typed-model failure,
    /// which `parse` tolerates by passing the event on untyped).
    Fail,
    /// The step did not apply (no key configured, an earlier step failed, ...).
    Skip,
}

/// One step of the diagnosis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// A stable id, one of [`StepId::ALL`]'s: `body_size`, `headers`,
    /// `timestamp`, `signature`, `body_json`, `decryption`, `payload_json`,
    /// `schema`, `token`, `event_type`, `typed_model`.
    pub id: &'static str,
    /// Pass, fail or skip.
    pub status: StepStatus,
    /// The error code, for a failed step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// What was found, and for a failure what to do about it.
    pub detail: String,
}

/// The result of [`Webhook::inspect`] (`T` = [`Inbound`]) or
/// [`Webhook::inspect_verified`] (`T` = [`Verified`]).
#[derive(Clone, Debug)]
pub struct Report<T = Inbound> {
    /// Every step, in the order `parse` takes them.
    pub steps: Vec<Step>,
    /// Exactly what `parse` (or `verify`) returns for this delivery.
    pub outcome: Result<T, Error>,
    /// The decrypted payload text, when decryption got that far (also for an
    /// unsigned or refused delivery, so the developer can see it). It holds
    /// the Verification Token.
    pub plaintext: Option<String>,
    /// Fields the typed model does not know (see [`crate::Event::unrecognized_fields`]).
    pub unrecognized_fields: Vec<String>,
}

impl Webhook {
    /// Diagnoses a delivery step by step (see the module docs). Meant for
    /// tools such as the payload inspector, not for the request path.
    pub fn inspect<'h, I, K, V>(&self, headers: I, body: &[u8], now_unix_seconds: i64) -> Report
    where
        I: IntoIterator<Item = &'h (K, V)>,
        K: AsRef<str> + 'h,
        V: AsRef<str> + 'h,
    {
        let report = self.inspect_verified(headers, body, now_unix_seconds);
        Report {
            steps: report.steps,
            outcome: report.outcome.map(Verified::into_inbound),
            plaintext: report.plaintext,
            unrecognized_fields: report.unrecognized_fields,
        }
    }

    /// [`Webhook::inspect`] with the outcome as [`Webhook::verify`] gives it.
    pub fn inspect_verified<'h, I, K, V>(
        &self,
        headers: I,
        body: &[u8],
        now_unix_seconds: i64,
    ) -> Report<Verified>
    where
        I: IntoIterator<Item = &'h (K, V)>,
        K: AsRef<str> + 'h,
        V: AsRef<str> + 'h,
    {
        let mut recorder = Recorder {
            hook: self,
            steps: Default::default(),
            plaintext: None,
        };
        let outcome = self.run(headers, body, now_unix_seconds, &mut recorder);
        let unrecognized_fields = match &outcome {
            Ok(Verified::Event(event)) => match &event.body {
                crate::event::EventBody::Typed { event: typed, .. } => {
                    crate::decode::unknown::unrecognized_fields(&event.raw, typed.schema)
                }
                crate::event::EventBody::Untyped { .. } => Vec::new(),
            },
            Ok(Verified::CardAction(card)) => match &card.body {
                crate::event::EventBody::Typed { event: typed, .. } => {
                    crate::decode::unknown::unrecognized_members(&card.raw, typed.schema)
                }
                crate::event::EventBody::Untyped { .. } => Vec::new(),
            },
            _ => Vec::new(),
        };
        let steps = StepId::ALL
            .iter()
            .zip(recorder.steps)
            .map(|(id, step)| {
                step.unwrap_or_else(|| Step {
                    id: id.as_str(),
                    status: StepStatus::Skip,
                    code: None,
                    detail: "not reached: an earlier step failed".to_owned(),
                })
            })
            .collect();
        Report {
            steps,
            outcome,
            plaintext: recorder.plaintext,
            unrecognized_fields,
        }
    }
}

/// The inspector's observer: one entry per step (a later report of the same
/// step replaces the earlier one), in [`StepId::ALL`] order.
struct Recorder<'w> {
    hook: &'w Webhook,
    steps: [Option<Step>; StepId::ALL.len()],
    plaintext: Option<String>,
}

impl Recorder<'_> {
    fn record(
        &mut self,
        id: StepId,
        status: StepStatus,
        code: Option<&'static str>,
        detail: String,
    ) {
        let slot = StepId::ALL
            .iter()
            .position(|s| *s == id)
            .and_then(|i| self.steps.get_mut(i));
        if let Some(slot) = slot {
            *slot = Some(Step {
                id: id.as_str(),
                status,
                code,
                detail,
            });
        }
    }

    /// The words for what a step found.
    fn describe(&mut self, fact: Fact<'_>) -> String {
        match fact {
            Fact::None => String::new(),
            Fact::BodySize { len, limit } => format!("{len} bytes (limit {limit})"),
            Fact::NoKey => "no Encrypt Key configured: signature headers are not checked (the \
                            platform sends none)"
                .to_owned(),
            Fact::SignedHeaders {
                timestamp,
                nonce,
                signature,
            } => format!("timestamp {timestamp:?}, nonce {nonce:?}, signature {signature:?}"),
            Fact::Unsigned => {
                "no X-Lark-Signature: only the URL-verification challenge may arrive \
                               unsigned (checked below)"
                    .to_owned()
            }
            Fact::Age {
                age,
                window: Some(window),
                callback,
            } => format!(
                "{age} s old, within {}{}",
                crate::error::describe_window(window.max_age_seconds, window.max_ahead_seconds),
                if callback {
                    " (a callback's window: it is never retried)"
                } else {
                    ""
                }
            ),
            Fact::Age {
                age, window: None, ..
            } => format!("{age} s old; the replay window is switched off"),
            fact @ (Fact::CardSignedHeaders { .. }
            | Fact::CallbackWindow
            | Fact::TokenMatched { .. }
            | Fact::CardMismatch { .. }
            | Fact::CardActionSchema
            | Fact::SignedWithToken
            | Fact::CardAction) => self.describe_card(fact),
            Fact::KeyMatched { index } => format!(
                "matches Encrypt Key #{} of {}",
                index.saturating_add(1),
                self.hook.keys().len()
            ),
            Fact::Mismatch {
                timestamp,
                nonce,
                signature,
                body,
            } => self.mismatch(timestamp, nonce, signature, body),
            Fact::PlainBody if self.hook.keys().is_empty() => {
                "plain JSON (no Encrypt Key configured, none expected)".to_owned()
            }
            Fact::PlainBody => "plain JSON (not encrypted)".to_owned(),
            Fact::EncryptedBody => "an encrypted body: {\"encrypt\": ...}".to_owned(),
            Fact::Decrypted { key, plaintext } => {
                self.plaintext = Some(plaintext.to_owned());
                let which = match key {
                    KeyUsed::Signing => "the signing key".to_owned(),
                    KeyUsed::Index(i) => format!("Encrypt Key #{}", i.saturating_add(1)),
                };
                format!(
                    "AES-256-CBC with {which}: {} bytes of UTF-8",
                    plaintext.len()
                )
            }
            Fact::Challenge => "url_verification (the URL-verification challenge)".to_owned(),
            Fact::EventSchema(schema) => format!("schema {}", schema.as_str()),
            // The type names the event; no payload value (not even the
            // event id, which the result carries) is quoted in a report.
            Fact::Event { event_type } => format!("event type {event_type}"),
            Fact::UnsignedEvent => {
                "an event, not a challenge: with an Encrypt Key configured, events must carry \
                 X-Lark-Signature (does a proxy strip the X-Lark-* headers?)"
                    .to_owned()
            }
            Fact::Typed => "decoded into the typed model".to_owned(),
            Fact::DecodeFailed(e) => format!("the event arrives untyped: {e}"),
        }
    }

    /// The signature step's failure: what was received, what each key
    /// expects, and a hint when the body was reformatted after receipt.
    fn mismatch(&self, timestamp: &str, nonce: &str, signature: &str, body: &[u8]) -> String {
        let keys = self.hook.keys();
        let mut detail = Error::SignatureMismatch.to_string();
        detail.push_str(&format!("\nreceived: {signature}"));
        for (i, key) in keys.iter().enumerate() {
            let expected = key.signature_digest(timestamp, nonce, body);
            detail.push_str(&format!(
                "\nexpected with Encrypt Key #{}: {}",
                i.saturating_add(1),
                base16ct::lower::encode_string(&expected)
            ));
        }
        if let Some(hint) = reformatted_hint(self.hook, timestamp, nonce, body, signature) {
            detail.push('\n');
            detail.push_str(hint);
        }
        detail
    }
}

impl Recorder<'_> {
    /// The words for what a step of a legacy card callback found.
    fn describe_card(&self, fact: Fact<'_>) -> String {
        match fact {
            Fact::CardSignedHeaders {
                timestamp,
                nonce,
                signature,
            } => format!(
                "a legacy message-card callback (X-Lark-Signature of 40 hex digits: SHA-1 over \
                 the Verification Token): timestamp {timestamp:?}, nonce {nonce:?}, signature \
                 {signature:?}"
            ),
            Fact::CallbackWindow => String::new(),
            Fact::TokenMatched { index } => format!(
                "SHA-1 matches Verification Token #{} of {}",
                index.saturating_add(1),
                self.hook.card_tokens().len()
            ),
            Fact::CardMismatch {
                timestamp,
                nonce,
                signature,
                body,
            } => self.card_mismatch(timestamp, nonce, signature, body),
            Fact::CardActionSchema => {
                "a legacy message-card callback: plain JSON, no envelope".to_owned()
            }
            Fact::SignedWithToken => "proved by the SHA-1 signature (the body's `token` is the \
                                      card's update token, not the Verification Token)"
                .to_owned(),
            Fact::CardAction => {
                "card_action: a legacy callback has no event_id (not deduplicated)".to_owned()
            }
            _ => String::new(),
        }
    }
}

impl Recorder<'_> {
    /// The legacy callback's signature failure: what was received and what
    /// each Verification Token expects.
    fn card_mismatch(&self, timestamp: &str, nonce: &str, signature: &str, body: &[u8]) -> String {
        let mut detail = Error::CardSignatureMismatch.to_string();
        detail.push_str(&format!("\nreceived: {signature}"));
        for (i, token) in self.hook.card_tokens().iter().enumerate() {
            let expected = token.signature_digest(timestamp, nonce, body);
            detail.push_str(&format!(
                "\nexpected with Verification Token #{}: {}",
                i.saturating_add(1),
                base16ct::lower::encode_string(&expected)
            ));
        }
        detail
    }
}

impl Observer for Recorder<'_> {
    const ACTIVE: bool = true;

    fn pass(&mut self, step: StepId, fact: Fact<'_>) {
        // A typed model that did not fit is a failure parse tolerates.
        let status = match fact {
            Fact::DecodeFailed(_) => StepStatus::Fail,
            _ => StepStatus::Pass,
        };
        let detail = match (step, fact) {
            (StepId::PayloadJson, Fact::None) => "valid JSON".to_owned(),
            (StepId::Token, Fact::None) => "matches a configured Verification Token".to_owned(),
            (_, fact) => self.describe(fact),
        };
        self.record(step, status, None, detail);
    }

    fn fail(&mut self, step: StepId, error: &Error, fact: Fact<'_>) {
        let detail = match fact {
            Fact::None => error.to_string(),
            Fact::CallbackWindow => format!(
                "{error} (a callback keeps the strict window of ±{} s: the platform never \
                 retries it)",
                crate::CALLBACK_TOLERANCE_SECONDS
            ),
            fact => self.describe(fact),
        };
        self.record(step, StepStatus::Fail, Some(error.code()), detail);
    }

    fn skip(&mut self, step: StepId, why: Skip) {
        let detail = match why {
            Skip::NoKey => "no Encrypt Key configured",
            Skip::Unsigned => "unsigned delivery",
            Skip::NotEncrypted => "the body is not encrypted",
            Skip::NoToken => "no Verification Token configured",
            Skip::Challenge if step == StepId::EventType => "a challenge has no event type",
            Skip::Challenge => "a challenge has no event body",
            Skip::NotTyped => "not one of the typed helpdesk events: passed through untyped",
        };
        self.record(step, StepStatus::Skip, None, detail.to_owned());
    }
}

/// When the signature matches a reformatted version of the body (compact
/// JSON, or without surrounding whitespace), the body was changed after
/// receipt: say so.
fn reformatted_hint(
    hook: &Webhook,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
    signature: &str,
) -> Option<&'static str> {
    let received = decode_signature(signature)?;
    let text = core::str::from_utf8(body).ok()?;
    let variants = [text.trim().to_owned(), compact(text)];
    let matches = variants.iter().any(|v| {
        hook.keys().iter().any(|k| {
            bool::from(digests_match(
                &k.signature_digest(timestamp, nonce, v.as_bytes()),
                &received,
            ))
        })
    });
    matches.then_some(
        "hint: the signature matches this body reformatted (whitespace or JSON re-serialized): the body \
         was changed after it was received; pass the raw bytes",
    )
}

/// JSON text without the whitespace between tokens: what re-serializing a
/// pretty-printed body (`JSON.stringify(JSON.parse(body))`) gives back.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}
