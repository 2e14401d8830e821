//! The `wasm-bindgen` bindings behind the npm package (feature `js`).
//!
//! The boundary is kept narrow and cheap: one call per parse, bytes in,
//! bytes out. A parse result is either
//!
//! - `RESULT_JSON 0x00 RAW`: the result as JSON (header, typed event, ...)
//!   followed by the decrypted JSON text (a zero byte cannot occur in JSON
//!   text, so JavaScript splits without scanning twice, `raw` is never
//!   escaped into the JSON, and it is decoded only when read), or
//! - `0x01 ERROR_JSON`: `{"code","status","message"}`.
//!
//! (Parse results travel as bytes; the other calls return strings with the
//! same markers.)
//!
//! The hand-written JavaScript layer (`pkg-template/src/api.mjs`) turns the
//! second form into a `LarkWebhookError`; no Rust error ever crosses as an
//! exception, and the crate never panics on input, so the instance survives
//! any delivery.

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;
use wasm_bindgen::prelude::*;

use crate::event::{EventHeader, Inbound, Payload};
use crate::{DeliveryBuilder, Error, Webhook};

/// Marks an error result.
const ERROR_MARK: char = '\u{1}';
/// Separates the result JSON from the raw text.
const RAW_MARK: char = '\0';

/// Integers JavaScript's `JSON.parse` keeps exactly: |n| ≤ 2^53 − 1.
const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

#[derive(Serialize)]
struct ErrorOut<'a> {
    code: &'a str,
    status: u16,
    message: String,
}

fn error_string(e: &Error) -> String {
    let body = serde_json::to_string(&ErrorOut {
        code: e.code(),
        status: e.http_status(),
        message: e.to_string(),
    })
    .unwrap_or_default();
    let mut out = String::with_capacity(body.len().saturating_add(1));
    out.push(ERROR_MARK);
    out.push_str(&body);
    out
}

/// The JSON handed to JavaScript for one parsed delivery.
#[derive(Serialize)]
#[serde(tag = "kind")]
enum InboundOut<'a> {
    #[serde(rename = "challenge")]
    Challenge {
        challenge: &'a str,
        response: ChallengeResponse<'a>,
    },
    #[serde(rename = "event")]
    Typed {
        schema: &'static str,
        event_type: &'a str,
        typed: bool,
        header: &'a EventHeader,
        event: TypedEvent<'a>,
    },
    #[serde(rename = "untyped_event")]
    Untyped {
        schema: &'static str,
        event_type: &'a str,
        typed: bool,
        header: &'a EventHeader,
        event: Value,
        #[serde(skip_serializing_if = "Option::is_none")]
        decode_error: Option<String>,
    },
}

#[derive(Serialize)]
struct ChallengeResponse<'a> {
    challenge: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum TypedEvent<'a> {
    Created(&'a crate::TicketCreatedV1),
    Updated(&'a crate::TicketUpdatedV1),
    Message(&'a crate::TicketMessageCreatedV1),
}

/// An untyped event for JavaScript: integers beyond ±(2^53 − 1) become
/// decimal strings, because `JSON.parse` would silently round them.
fn js_safe(event: &RawValue) -> Value {
    let mut value: Value = serde_json::from_str(event.get()).unwrap_or(Value::Null);
    stringify_unsafe_integers(&mut value);
    value
}

fn stringify_unsafe_integers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            let unsafe_int = match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => u > MAX_SAFE_INTEGER,
                (None, Some(i)) => i.unsigned_abs() > MAX_SAFE_INTEGER,
                _ => false,
            };
            if unsafe_int {
                *value = Value::String(n.to_string());
            }
        }
        Value::Array(items) => items.iter_mut().for_each(stringify_unsafe_integers),
        Value::Object(map) => map.values_mut().for_each(stringify_unsafe_integers),
        _ => {}
    }
}

/// The JSON view of a parsed delivery and its raw text.
fn inbound_out(inbound: &Inbound) -> (InboundOut<'_>, &str) {
    match inbound {
        Inbound::Challenge(c) => (
            InboundOut::Challenge {
                challenge: &c.challenge,
                response: ChallengeResponse {
                    challenge: &c.challenge,
                },
            },
            "",
        ),
        Inbound::Event(e) => {
            let schema = e.schema.as_str();
            let event_type = e.header.event_type.as_str();
            let header = &e.header;
            let typed = |event| InboundOut::Typed {
                schema,
                event_type,
                typed: true,
                header,
                event,
            };
            let out = match &e.payload {
                Payload::TicketCreated(t) => typed(TypedEvent::Created(t)),
                Payload::TicketUpdated(t) => typed(TypedEvent::Updated(t)),
                Payload::TicketMessageCreated(t) => typed(TypedEvent::Message(t)),
                Payload::Untyped {
                    event,
                    decode_error,
                } => InboundOut::Untyped {
                    schema,
                    event_type,
                    typed: false,
                    header,
                    event: js_safe(event),
                    decode_error: decode_error.as_ref().map(ToString::to_string),
                },
            };
            (out, e.raw.as_str())
        }
    }
}

/// A parse result for JavaScript as bytes: `RESULT_JSON 0x00 RAW`, or
/// `0x01 ERROR_JSON`. Bytes rather than a string, so that JavaScript decodes
/// only the JSON part up front and `raw` (as large again) only if it is read.
fn result_bytes(result: Result<Inbound, Error>) -> Vec<u8> {
    match result {
        Ok(inbound) => {
            let (out, raw) = inbound_out(&inbound);
            // Typed JSON is at most about as long as the text it came from.
            let mut buffer = Vec::with_capacity(raw.len().saturating_mul(2).saturating_add(512));
            if serde_json::to_writer(&mut buffer, &out).is_err() {
                return error_string(&Error::InvalidArgument {
                    reason: "the result could not be serialized".to_owned(),
                })
                .into_bytes();
            }
            buffer.push(0);
            buffer.extend_from_slice(raw.as_bytes());
            buffer
        }
        Err(e) => error_string(&e).into_bytes(),
    }
}

/// Header pairs as the JS layer passes them: `name \n value \n name \n value`,
/// only the `x-lark-*` signature headers (HTTP forbids `\n` in both).
fn header_pairs(headers: &str) -> Vec<(&str, &str)> {
    let mut parts = headers.split('\n');
    let mut pairs = Vec::new();
    while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
        pairs.push((name, value));
    }
    pairs
}

/// Seconds from JavaScript: finite, floored.
fn now_seconds(now: f64) -> Result<i64, Error> {
    if !now.is_finite() {
        return Err(Error::InvalidArgument {
            reason: "`now` must be a finite number of unix seconds".to_owned(),
        });
    }
    // `as` saturates at the i64 bounds, which are far outside any tolerance window.
    #[allow(clippy::cast_possible_truncation)]
    Ok(now.floor() as i64)
}

/// A configured webhook (the object behind `new LarkWebhook(...)`).
#[wasm_bindgen]
pub struct Hook {
    inner: Webhook,
}

#[wasm_bindgen]
impl Hook {
    /// Builds the configuration; throws the error string on a bad one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        keys: Vec<String>,
        tokens: Vec<String>,
        tolerance_seconds: f64,
        max_body_bytes: f64,
        insecure: bool,
    ) -> Result<Hook, JsValue> {
        let config = || -> Result<Webhook, Error> {
            // NaN means "window off"; any other value must be a whole number of seconds.
            let tolerance = if tolerance_seconds.is_nan() {
                None
            } else {
                Some(whole_number(tolerance_seconds, "toleranceSeconds")?)
            };
            let max = whole_number(max_body_bytes, "maxBodyBytes")?;
            let max = usize::try_from(max).map_err(|_| Error::InvalidConfig {
                reason: "maxBodyBytes is too large",
            })?;
            let mut builder = Webhook::builder()
                .insecure(insecure)
                .tolerance_seconds(tolerance)
                .max_body_bytes(max);
            for key in &keys {
                builder = builder.encrypt_key(key);
            }
            for token in &tokens {
                builder = builder.verification_token(token);
            }
            builder.build()
        };
        config()
            .map(|inner| Hook { inner })
            .map_err(|e| JsValue::from_str(&error_string(&e)))
    }

    /// The inspector's step-by-step report for a delivery, as JSON.
    #[wasm_bindgen(js_name = inspectBytes)]
    pub fn inspect_bytes(&self, headers: &str, body: &[u8], now: f64) -> String {
        #[derive(Serialize)]
        struct ReportOut<'a> {
            steps: &'a [crate::Step],
            #[serde(skip_serializing_if = "Option::is_none")]
            result: Option<InboundOut<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            raw: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<ErrorOut<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            plaintext: Option<&'a str>,
            unrecognized_fields: &'a [String],
        }
        let now = match now_seconds(now) {
            Ok(now) => now,
            Err(e) => return error_string(&e),
        };
        let pairs = header_pairs(headers);
        let report = self.inner.inspect(&pairs, body, now);
        let (result, raw) = match &report.outcome {
            Ok(inbound) => {
                let (out, raw) = inbound_out(inbound);
                (Some(out), Some(raw))
            }
            Err(_) => (None, None),
        };
        let out = ReportOut {
            steps: &report.steps,
            result,
            raw: raw.filter(|r| !r.is_empty()),
            error: report.outcome.as_ref().err().map(|e| ErrorOut {
                code: e.code(),
                status: e.http_status(),
                message: e.to_string(),
            }),
            plaintext: report.plaintext.as_deref(),
            unrecognized_fields: &report.unrecognized_fields,
        };
        match serde_json::to_string(&out) {
            Ok(json) => {
                let mut text = String::from(RAW_MARK);
                text.push_str(&json);
                text
            }
            Err(e) => error_string(&Error::InvalidArgument {
                reason: e.to_string(),
            }),
        }
    }

    /// Parses a delivery whose body is bytes.
    #[wasm_bindgen(js_name = parseBytes)]
    pub fn parse_bytes(&self, headers: &str, body: &[u8], now: f64) -> Vec<u8> {
        let result =
            now_seconds(now).and_then(|now| self.inner.parse(&header_pairs(headers), body, now));
        result_bytes(result)
    }
}

fn whole_number(value: f64, name: &'static str) -> Result<u64, Error> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9.0e15 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked above
        Ok(value as u64)
    } else {
        Err(Error::InvalidConfig {
            reason: match name {
                "toleranceSeconds" => {
                    "toleranceSeconds must be a whole number of seconds ≥ 0, or null"
                }
                _ => "maxBodyBytes must be a whole number ≥ 1",
            },
        })
    }
}

/// `decrypt(key, encrypted)`: the plaintext as text, or an error string.
#[wasm_bindgen(js_name = decryptText)]
pub fn decrypt_text(key: &str, encrypted: &str) -> String {
    let result = crate::decrypt(key, encrypted).and_then(|bytes| {
        String::from_utf8(bytes).map_err(|_| Error::DecryptFailed {
            reason: crate::DecryptFailure::Utf8,
        })
    });
    match result {
        Ok(text) => {
            let mut out = String::with_capacity(text.len().saturating_add(1));
            out.push(RAW_MARK);
            out.push_str(&text);
            out
        }
        Err(e) => error_string(&e),
    }
}

fn iv_from(iv: &[u8]) -> Result<[u8; 16], Error> {
    iv.try_into().map_err(|_| Error::InvalidArgument {
        reason: format!("the IV must be 16 bytes, not {}", iv.len()),
    })
}

/// `encrypt(key, plaintext, iv)`: base64 of IV and ciphertext.
#[wasm_bindgen(js_name = encryptText)]
pub fn encrypt_text(key: &str, plaintext: &[u8], iv: &[u8]) -> String {
    match iv_from(iv) {
        Ok(iv) => {
            let mut out = String::from(RAW_MARK);
            out.push_str(&crate::encrypt(key, plaintext, iv));
            out
        }
        Err(e) => error_string(&e),
    }
}

/// `sign(timestamp, nonce, key, body)`: the `X-Lark-Signature` value.
#[wasm_bindgen(js_name = signBytes)]
pub fn sign_bytes(timestamp: &str, nonce: &str, key: &str, body: &[u8]) -> String {
    crate::sign(timestamp, nonce, key, body)
}

#[derive(Serialize)]
struct DeliveryOut {
    headers: serde_json::Map<String, Value>,
    body: String,
}

/// `createTestDelivery(...)`: `{"headers": {...}, "body": "..."}`.
#[wasm_bindgen(js_name = createDelivery)]
pub fn create_delivery(
    event_json: &str,
    key: Option<String>,
    token: Option<String>,
    timestamp: f64,
    nonce: &str,
    iv: &[u8],
    signed: bool,
) -> String {
    let result = (|| -> Result<String, Error> {
        let mut builder = DeliveryBuilder::new(event_json);
        if let Some(token) = token.as_deref() {
            builder = builder.verification_token(token);
        }
        if let Some(key) = key.as_deref() {
            builder = builder.encrypt(key, iv_from(iv)?);
            if signed {
                builder = builder.sign(now_seconds(timestamp)?, nonce);
            }
        }
        let delivery = builder.build()?;
        let out = DeliveryOut {
            headers: delivery
                .headers
                .into_iter()
                .map(|(name, value)| (name, Value::String(value)))
                .collect(),
            body: delivery.body,
        };
        serde_json::to_string(&out).map_err(|e| Error::InvalidArgument {
            reason: e.to_string(),
        })
    })();
    match result {
        Ok(json) => {
            let mut out = String::from(RAW_MARK);
            out.push_str(&json);
            out
        }
        Err(e) => error_string(&e),
    }
}

/// The `body_too_large` error for a body refused before it was read (the
/// JS layer checks `Content-Length` and streamed lengths against the limit).
#[wasm_bindgen(js_name = bodyTooLargeError)]
pub fn body_too_large_error(limit: f64, actual: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    // saturating casts of byte counts
    error_string(&Error::BodyTooLarge {
        limit: limit as usize,
        actual: actual as usize,
    })
}
