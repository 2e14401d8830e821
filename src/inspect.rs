//! A step-by-step diagnosis of one delivery, for the payload inspector.
//!
//! [`Webhook::inspect`] walks the same steps as [`Webhook::parse`], with the
//! same primitives, and says for each whether it passed, failed or was
//! skipped, and why. It reveals more than `parse` would to a caller (the
//! expected signature, why an unsigned body failed): that is what a developer
//! holding the key needs, and it never runs on the request path. The verdict
//! (`outcome`) is always `parse`'s own.

use serde::Serialize;

use crate::crypto::{decode_signature, digests_match};
use crate::envelope::{Envelope, check_token, classify};
use crate::error::{DecryptFailure, Error, JsonLocation};
use crate::event::{Inbound, Payload};
use crate::headers::SignatureHeaders;
use crate::webhook::Webhook;

/// How one step of the diagnosis went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The step passed.
    Pass,
    /// The step failed; `code` says how.
    Fail,
    /// The step did not apply (no key configured, an earlier step failed, ...).
    Skip,
}

/// One step of the diagnosis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// A stable id: `body_size`, `headers`, `timestamp`, `signature`,
    /// `body_json`, `decryption`, `payload_json`, `schema`, `token`,
    /// `event_type`, `typed_model`.
    pub id: &'static str,
    /// Pass, fail or skip.
    pub status: StepStatus,
    /// The error code, for a failed step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// What was found, and for a failure what to do about it.
    pub detail: String,
}

/// The result of [`Webhook::inspect`].
#[derive(Clone, Debug)]
pub struct Report {
    /// Every step, in the order `parse` takes them.
    pub steps: Vec<Step>,
    /// Exactly what [`Webhook::parse`] returns for this delivery.
    pub outcome: Result<Inbound, Error>,
    /// The decrypted payload text, when decryption got that far (also for an
    /// unsigned or refused delivery, so the developer can see it).
    pub plaintext: Option<String>,
    /// Fields the typed model does not know (see [`crate::Event::unrecognized_fields`]).
    pub unrecognized_fields: Vec<String>,
}

struct Steps(Vec<Step>);

impl Steps {
    fn pass(&mut self, id: &'static str, detail: impl Into<String>) {
        self.push(id, StepStatus::Pass, None, detail.into());
    }

    fn fail(&mut self, id: &'static str, error: &Error) {
        self.push(id, StepStatus::Fail, Some(error.code()), error.to_string());
    }

    fn skip(&mut self, id: &'static str, detail: impl Into<String>) {
        self.push(id, StepStatus::Skip, None, detail.into());
    }

    fn push(
        &mut self,
        id: &'static str,
        status: StepStatus,
        code: Option<&'static str>,
        detail: String,
    ) {
        self.0.push(Step {
            id,
            status,
            code,
            detail,
        });
    }

    /// Marks every step from `ids` that has not run yet as skipped.
    fn skip_rest(&mut self, ids: &[&'static str], why: &str) {
        for id in ids {
            if !self.0.iter().any(|s| s.id == *id) {
                self.skip(id, why);
            }
        }
    }
}

const ALL_STEPS: [&str; 11] = [
    "body_size",
    "headers",
    "timestamp",
    "signature",
    "body_json",
    "decryption",
    "payload_json",
    "schema",
    "token",
    "event_type",
    "typed_model",
];

impl Webhook {
    /// Diagnoses a delivery step by step (see the module docs). Meant for
    /// tools such as the payload inspector, not for the request path.
    pub fn inspect<'h, I, K, V>(&self, headers: I, body: &[u8], now_unix_seconds: i64) -> Report
    where
        I: IntoIterator<Item = &'h (K, V)> + Clone,
        K: AsRef<str> + 'h,
        V: AsRef<str> + 'h,
    {
        let outcome = self.parse(headers.clone(), body, now_unix_seconds);
        let mut steps = Steps(Vec::with_capacity(ALL_STEPS.len()));
        let plaintext = self.walk(&mut steps, headers, body, now_unix_seconds);
        steps.skip_rest(&ALL_STEPS, "not reached: an earlier step failed");

        // The verdict is parse's: if the walk found nothing wrong but parse
        // refused (or the other way round), say so rather than contradict it.
        let failed = steps.0.iter().any(|s| s.status == StepStatus::Fail);
        match (&outcome, failed) {
            (Err(e), false) => {
                steps.push("verdict", StepStatus::Fail, Some(e.code()), e.to_string())
            }
            (Ok(_), true) => steps.push(
                "verdict",
                StepStatus::Pass,
                None,
                "parse accepts this delivery (the failing step above is informational)".to_owned(),
            ),
            _ => {}
        }
        let unrecognized_fields = match &outcome {
            Ok(Inbound::Event(event)) => event.unrecognized_fields(),
            _ => Vec::new(),
        };
        Report {
            steps: steps.0,
            outcome,
            plaintext,
            unrecognized_fields,
        }
    }

    /// Runs the steps; returns the plaintext if decryption produced one.
    fn walk<'h, I, K, V>(
        &self,
        steps: &mut Steps,
        headers: I,
        body: &[u8],
        now: i64,
    ) -> Option<String>
    where
        I: IntoIterator<Item = &'h (K, V)>,
        K: AsRef<str> + 'h,
        V: AsRef<str> + 'h,
    {
        let limit = self.max_body_bytes();
        if body.len() > limit {
            steps.fail(
                "body_size",
                &Error::BodyTooLarge {
                    limit,
                    actual: body.len(),
                },
            );
            return None;
        }
        steps.pass("body_size", format!("{} bytes (limit {limit})", body.len()));

        let headers = match SignatureHeaders::collect(headers) {
            Ok(h) => h,
            Err(e) => {
                steps.fail("headers", &e);
                return None;
            }
        };
        let keys = self.keys();
        let mut signing_key = None;
        if keys.is_empty() {
            steps.pass(
                "headers",
                "no Encrypt Key configured: signature headers are not checked (the platform sends none)",
            );
            steps.skip("timestamp", "no Encrypt Key configured");
            steps.skip("signature", "no Encrypt Key configured");
        } else if let Some(signature) = headers.signature {
            let (Some(timestamp_text), Some(nonce)) = (headers.timestamp, headers.nonce) else {
                let missing = if headers.timestamp.is_none() {
                    crate::TIMESTAMP_HEADER
                } else {
                    crate::NONCE_HEADER
                };
                steps.fail("headers", &Error::MissingSignature { header: missing });
                return None;
            };
            steps.pass(
                "headers",
                format!("timestamp {timestamp_text:?}, nonce {nonce:?}, signature {signature:?}"),
            );
            let timestamp = match self.check_timestamp(timestamp_text, now) {
                Ok(t) => t,
                Err(e) => {
                    steps.fail("timestamp", &e);
                    return None;
                }
            };
            let age = now.saturating_sub(timestamp);
            match self.tolerance() {
                Some(tolerance) => {
                    steps.pass("timestamp", format!("{age} s old, within ±{tolerance} s"))
                }
                None => steps.pass(
                    "timestamp",
                    format!("{age} s old; the replay window is switched off"),
                ),
            }
            let received = decode_signature(signature);
            let digests: Vec<[u8; 32]> = keys
                .iter()
                .map(|k| k.signature_digest(timestamp_text, nonce, body))
                .collect();
            let expected: Vec<String> = digests
                .iter()
                .map(|d| base16ct::lower::encode_string(d))
                .collect();
            match received.and_then(|r| {
                digests
                    .iter()
                    .position(|d| bool::from(digests_match(d, &r)))
            }) {
                Some(index) => {
                    signing_key = keys.get(index);
                    steps.pass(
                        "signature",
                        format!(
                            "matches Encrypt Key #{} of {}",
                            index.saturating_add(1),
                            keys.len()
                        ),
                    );
                }
                None => {
                    let mut detail = Error::SignatureMismatch.to_string();
                    detail.push_str(&format!("\nreceived: {signature}"));
                    for (i, e) in expected.iter().enumerate() {
                        detail.push_str(&format!(
                            "\nexpected with Encrypt Key #{}: {e}",
                            i.saturating_add(1)
                        ));
                    }
                    if let Some(hint) =
                        reformatted_hint(keys, timestamp_text, nonce, body, received)
                    {
                        detail.push('\n');
                        detail.push_str(hint);
                    }
                    steps.push(
                        "signature",
                        StepStatus::Fail,
                        Some("signature_mismatch"),
                        detail,
                    );
                    return None;
                }
            }
        } else {
            steps.pass(
                "headers",
                "no X-Lark-Signature: only the URL-verification challenge may arrive unsigned (checked below)",
            );
            steps.skip("timestamp", "unsigned delivery");
            steps.skip("signature", "unsigned delivery");
        }

        let Ok(text) = core::str::from_utf8(body) else {
            steps.fail(
                "body_json",
                &Error::InvalidJson {
                    location: JsonLocation::Body,
                    detail: "the body is not UTF-8".to_owned(),
                },
            );
            return None;
        };
        let envelope = match Envelope::parse(text, JsonLocation::Body) {
            Ok(e) => e,
            Err(e) => {
                steps.fail("body_json", &e);
                return None;
            }
        };

        let (plaintext, payload_text) = match &envelope.encrypt {
            None if !keys.is_empty() => {
                steps.pass("body_json", "plain JSON (not encrypted)");
                steps.fail("decryption", &Error::PlaintextRejected);
                return None;
            }
            None => {
                steps.pass(
                    "body_json",
                    "plain JSON (no Encrypt Key configured, none expected)",
                );
                steps.skip("decryption", "the body is not encrypted");
                (None, text.to_owned())
            }
            Some(_) if keys.is_empty() => {
                steps.pass("body_json", "an encrypted body: {\"encrypt\": ...}");
                steps.fail("decryption", &Error::KeyRequired);
                return None;
            }
            Some(encrypted) => {
                steps.pass("body_json", "an encrypted body: {\"encrypt\": ...}");
                // The signing key, or (unsigned) the first key that decrypts.
                let candidates: Vec<_> = match signing_key {
                    Some(key) => vec![key],
                    None => keys.iter().collect(),
                };
                let mut last_failure = DecryptFailure::Padding;
                let mut decrypted = None;
                for (i, key) in candidates.iter().enumerate() {
                    match key.decrypt(encrypted) {
                        Ok(bytes) => {
                            decrypted = Some((i, bytes));
                            break;
                        }
                        Err(reason) => last_failure = reason,
                    }
                }
                let Some((index, bytes)) = decrypted else {
                    steps.fail(
                        "decryption",
                        &Error::DecryptFailed {
                            reason: last_failure,
                        },
                    );
                    return None;
                };
                let Ok(text) = String::from_utf8(bytes) else {
                    steps.fail(
                        "decryption",
                        &Error::DecryptFailed {
                            reason: DecryptFailure::Utf8,
                        },
                    );
                    return None;
                };
                let which = if signing_key.is_some() {
                    "the signing key".to_owned()
                } else {
                    format!("Encrypt Key #{}", index.saturating_add(1))
                };
                steps.pass(
                    "decryption",
                    format!("AES-256-CBC with {which}: {} bytes of UTF-8", text.len()),
                );
                (Some(text.clone()), text)
            }
        };

        let inner = match Envelope::parse(&payload_text, JsonLocation::Plaintext) {
            Ok(e) => e,
            Err(e) => {
                steps.fail("payload_json", &e);
                return plaintext;
            }
        };
        steps.pass("payload_json", "valid JSON");

        // The envelope without the token check, then the token on its own.
        match classify(&inner, &payload_text, &[]) {
            Err(e) => steps.fail("schema", &e),
            Ok(Inbound::Challenge(_)) => {
                steps.pass(
                    "schema",
                    "url_verification (the URL-verification challenge)",
                );
                self.token_step(steps, &inner, None);
                steps.skip("event_type", "a challenge has no event type");
                steps.skip("typed_model", "a challenge has no event body");
            }
            Ok(Inbound::Event(event)) => {
                if signing_key.is_none() && !keys.is_empty() {
                    steps.pass("schema", format!("schema {}", event.schema.as_str()));
                    steps.fail(
                        "token",
                        &Error::MissingSignature {
                            header: crate::SIGNATURE_HEADER,
                        },
                    );
                    return plaintext;
                }
                steps.pass("schema", format!("schema {}", event.schema.as_str()));
                let header_token = header_token(&inner);
                if !self.token_step(steps, &inner, header_token.as_deref()) {
                    return plaintext;
                }
                steps.pass(
                    "event_type",
                    format!(
                        "{} (event_id {})",
                        event.header.event_type, event.header.event_id
                    ),
                );
                match &event.payload {
                    Payload::Untyped {
                        decode_error: Some(e),
                        ..
                    } => steps.push(
                        "typed_model",
                        StepStatus::Fail,
                        None,
                        format!("the event arrives untyped: {e}"),
                    ),
                    Payload::Untyped { .. } => steps.skip(
                        "typed_model",
                        "not one of the three helpdesk events: passed through untyped",
                    ),
                    _ => steps.pass("typed_model", "decoded into the typed model"),
                }
            }
        }
        plaintext
    }

    /// The token step; false when it failed (the walk stops there, as parse does).
    fn token_step(
        &self,
        steps: &mut Steps,
        envelope: &Envelope<'_>,
        v2_header_token: Option<&str>,
    ) -> bool {
        if self.tokens().is_empty() {
            steps.skip("token", "no Verification Token configured");
            return true;
        }
        let raw = match v2_header_token {
            Some(token) => serde_json::value::to_raw_value(token).ok(),
            None => envelope.token().map(ToOwned::to_owned),
        };
        match check_token(self.tokens(), raw.as_deref()) {
            Ok(()) => {
                steps.pass("token", "matches a configured Verification Token");
                true
            }
            Err(e) => {
                steps.fail("token", &e);
                false
            }
        }
    }
}

/// The `header.token` of a schema 2.0 envelope, if it is a string.
fn header_token(envelope: &Envelope<'_>) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct TokenOnly {
        token: Option<String>,
    }
    let header = envelope.header()?;
    serde_json::from_str::<TokenOnly>(header.get()).ok()?.token
}

/// When the signature matches a reformatted version of the body (compact
/// JSON, or without surrounding whitespace), the body was changed after
/// receipt: say so.
fn reformatted_hint(
    keys: &[crate::crypto::EncryptKey],
    timestamp: &str,
    nonce: &str,
    body: &[u8],
    received: Option<[u8; 32]>,
) -> Option<&'static str> {
    let received = received?;
    let text = core::str::from_utf8(body).ok()?;
    let mut variants = vec![text.trim().to_owned()];
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        if let Ok(compact) = serde_json::to_string(&value) {
            variants.push(compact);
        }
    }
    let matches = variants.iter().any(|v| {
        keys.iter().any(|k| {
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
