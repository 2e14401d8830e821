//! The WebAssembly bindings behind the `larkhook` npm package.
//!
//! A thin layer over the core crate, as `lol-html` keeps its JavaScript
//! binding beside its core: everything about a delivery is decided in
//! `larkhook`; this crate only moves values across the boundary. It builds
//! two modules from one source (cargo features):
//!
//! - `parse` (the default): `Hook.parse`, the request path, the module
//!   every runtime entry loads, and nothing else;
//! - `tools`: the inspector's report, test deliveries, `encrypt`,
//!   `decrypt` and `sign`, and the long connection's frame codec, loaded
//!   only by what uses them (an endpoint never needs `decrypt` or `sign`:
//!   `parse` verifies and decrypts on its own).
//!
//! # The boundary
//!
//! Typed in both directions, no in-band markers:
//!
//! - options and headers cross as typed values (`Option<String>` per
//!   signature header, `Option<u32>` for a window that may be off);
//! - every failure is thrown as a [`CoreError`] object (`code`, `status`,
//!   `message`, `setting`), which the JavaScript layer turns into a
//!   `LarkWebhookError`; nothing panics on input, so the instance survives
//!   any delivery;
//! - a parse result is bytes, because that is what lets JavaScript decode
//!   the raw text only when it is read: a 4-byte little-endian length `n`,
//!   one byte of flags (bit 0: the raw text is ASCII), then `n` bytes of the
//!   result's JSON in ASCII (see [`write_result`]), then the raw text (the
//!   decrypted JSON, which holds the Verification Token). This layout is
//!   defined here and read in one place, `decodeResult` in
//!   `pkg-template/src/core/boundary.mjs`;
//! - on the request path the body and the result do not travel as fresh
//!   copies: a `Hook` keeps one body buffer and one result buffer in the
//!   module's memory, reused by every call. JavaScript asks for room
//!   (`bodyBuffer(capacity)`, which answers the buffer's address), encodes or
//!   copies the body there, calls `parse(length, …)`, which answers the
//!   result's length, and reads the result at `resultBuffer()`. Measured in
//!   Node 20, that saves an allocation on each side of every call (about
//!   2 µs for a 2 KB delivery; BENCHMARKS.md). Both buffers are wiped at
//!   each call (the body when parsed, the previous result before the next).

#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::too_many_lines)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

#[cfg(target_family = "wasm")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "tools")]
mod long_connection;
#[cfg(feature = "parse")]
mod parse;
#[cfg(feature = "tools")]
mod tools;

mod ascii;
mod js_safe;

use larkhook::{Error, EventBody, Verified};
use wasm_bindgen::prelude::*;

/// A refusal, as JavaScript receives it (thrown).
#[wasm_bindgen]
pub struct CoreError {
    code: &'static str,
    status: u16,
    message: String,
    setting: Option<&'static str>,
}

#[wasm_bindgen]
impl CoreError {
    /// The stable code, e.g. `signature_mismatch`.
    #[wasm_bindgen(getter)]
    pub fn code(&self) -> String {
        self.code.to_owned()
    }

    /// The HTTP status to answer with.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// What went wrong and what to do, in the core's words.
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> String {
        self.message.clone()
    }

    /// The setting to change (`max_body_bytes`, ...), when one is to blame.
    #[wasm_bindgen(getter)]
    pub fn setting(&self) -> Option<String> {
        self.setting.map(str::to_owned)
    }
}

impl From<Error> for CoreError {
    fn from(e: Error) -> Self {
        CoreError {
            code: e.code(),
            status: e.http_status(),
            message: e.to_string(),
            setting: e.setting().map(larkhook::Setting::as_str),
        }
    }
}

/// The `body_too_large` error for a body refused before it is copied in
/// (the JavaScript layer checks lengths first).
#[wasm_bindgen(js_name = bodyTooLarge)]
pub fn body_too_large(limit: f64, actual: f64) -> CoreError {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    // saturating casts of byte counts
    Error::BodyTooLarge {
        limit: limit as usize,
        actual: actual as usize,
    }
    .into()
}

/// Unix seconds from JavaScript: finite, floored.
fn now_seconds(now: f64) -> Result<i64, CoreError> {
    if !now.is_finite() {
        return Err(Error::InvalidArgument {
            reason: "`now` must be a finite number of unix seconds".to_owned(),
        }
        .into());
    }
    // `as` saturates at the i64 bounds, far outside any tolerance window.
    #[allow(clippy::cast_possible_truncation)]
    Ok(now.floor() as i64)
}

/// The configuration from JavaScript's options (already type-checked
/// there), built on a stack that is wiped afterwards
/// ([`larkhook::on_wiped_stack`]); the copies of the keys and tokens
/// wasm-bindgen made in wasm memory are wiped once derived.
fn configure(
    keys: &mut [String],
    tokens: &mut [String],
    tolerance_seconds: Option<u32>,
    max_age_seconds: Option<u32>,
    max_body_bytes: u32,
    insecure: bool,
) -> Result<larkhook::Webhook, CoreError> {
    larkhook::on_wiped_stack(|| {
        build(
            keys,
            tokens,
            tolerance_seconds,
            max_age_seconds,
            max_body_bytes,
            insecure,
        )
    })
}

fn build(
    keys: &mut [String],
    tokens: &mut [String],
    tolerance_seconds: Option<u32>,
    max_age_seconds: Option<u32>,
    max_body_bytes: u32,
    insecure: bool,
) -> Result<larkhook::Webhook, CoreError> {
    use zeroize::Zeroize;
    let mut builder = larkhook::Webhook::builder()
        .insecure(insecure)
        .tolerance_seconds(tolerance_seconds.map(u64::from))
        .max_body_bytes(usize::try_from(max_body_bytes).unwrap_or(usize::MAX));
    if let Some(max_age) = max_age_seconds {
        builder = builder.max_age_seconds(u64::from(max_age));
    }
    for key in keys.iter() {
        builder = builder.encrypt_key(key);
    }
    for token in tokens.iter() {
        builder = builder.verification_token(token);
    }
    keys.iter_mut().for_each(Zeroize::zeroize);
    tokens.iter_mut().for_each(Zeroize::zeroize);
    Ok(builder.build()?)
}

/// The signature headers as the core reads them: name/value pairs.
fn header_pairs<'a>(
    timestamp: Option<&'a str>,
    nonce: Option<&'a str>,
    signature: Option<&'a str>,
) -> Vec<(&'static str, &'a str)> {
    [
        (larkhook::TIMESTAMP_HEADER, timestamp),
        (larkhook::NONCE_HEADER, nonce),
        (larkhook::SIGNATURE_HEADER, signature),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| (name, v)))
    .collect()
}

/// Appends `text` as a JSON string (serde_json's escaping).
fn write_string(out: &mut Vec<u8>, text: &str) {
    write_json(out, text);
}

/// Appends a value's JSON, in ASCII. Serializing these plain values cannot
/// fail; the crate uses serde_json without `std`, so through a buffer of
/// its own.
fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        ascii::extend(out, &json);
    }
}

/// Appends the JSON JavaScript receives for a verified delivery, in ASCII
/// (see `ascii`):
///
/// - `{"kind":"challenge","challenge":…,"response":{"challenge":…}}`;
/// - `{"kind":"event","schema":"2.0","event_type":…,"typed":true,"header":{…},"event":{…}}`
///   with the typed model's normalized JSON;
/// - `{"kind":"untyped_event",…,"typed":false,…,"event":…,"decode_error":…}`
///   with the event as sent, its integers beyond ±(2^53 − 1) and numbers
///   beyond a double as strings (see `js_safe`);
/// - `{"kind":"card_action","event_type":"card_action","typed":true,"event":{…}}` for a legacy
///   message-card callback (`"typed":false` and `decode_error` when its
///   body does not fit the model).
pub fn write_result(out: &mut Vec<u8>, verified: &Verified) {
    match verified {
        Verified::Challenge(c) => {
            out.extend_from_slice(br#"{"kind":"challenge","challenge":"#);
            write_string(out, &c.challenge);
            out.extend_from_slice(br#","response":{"challenge":"#);
            write_string(out, &c.challenge);
            out.extend_from_slice(b"}}");
        }
        Verified::Event(e) => {
            let typed = matches!(e.body, EventBody::Typed { .. });
            out.extend_from_slice(if typed {
                br#"{"kind":"event","schema":"#
            } else {
                br#"{"kind":"untyped_event","schema":"#
            });
            write_string(out, e.schema.as_str());
            out.extend_from_slice(br#","event_type":"#);
            write_string(out, &e.header.event_type);
            out.extend_from_slice(if typed {
                br#","typed":true,"header":"#
            } else {
                br#","typed":false,"header":"#
            });
            write_header(out, &e.header);
            out.extend_from_slice(br#","event":"#);
            write_body(out, &e.body);
            out.push(b'}');
        }
        Verified::CardAction(c) => {
            out.extend_from_slice(if matches!(c.body, EventBody::Typed { .. }) {
                br#"{"kind":"card_action","event_type":"card_action","typed":true,"event":"#
            } else {
                br#"{"kind":"card_action","event_type":"card_action","typed":false,"event":"#
            });
            write_body(out, &c.body);
            out.push(b'}');
        }
    }
}

/// Appends the header's JSON, as `EventHeader`'s `Serialize` writes it
/// (absent fields left out), member by member: a struct serializer would
/// add code to the module for five fields.
fn write_header(out: &mut Vec<u8>, header: &larkhook::EventHeader) {
    out.extend_from_slice(br#"{"event_id":"#);
    write_string(out, &header.event_id);
    out.extend_from_slice(br#","event_type":"#);
    write_string(out, &header.event_type);
    if let Some(create_time) = header.create_time {
        out.extend_from_slice(br#","create_time":"#);
        write_json(out, &create_time);
    }
    for (name, value) in [
        (&br#","app_id":"#[..], &header.app_id),
        (&br#","tenant_key":"#[..], &header.tenant_key),
    ] {
        if let Some(value) = value {
            out.extend_from_slice(name);
            write_string(out, value);
        }
    }
    out.push(b'}');
}

/// Appends a body: the typed model's normalized JSON (JavaScript-safe where
/// the model keeps values as sent), or the event as sent (JavaScript-safe)
/// and its decode error.
fn write_body(out: &mut Vec<u8>, body: &EventBody) {
    match body {
        EventBody::Typed { event, json } if event.holds_json => js_safe::write(out, json),
        EventBody::Typed { json, .. } => ascii::extend(out, json),
        EventBody::Untyped {
            event,
            decode_error,
        } => {
            js_safe::write(out, event.get());
            if let Some(decode_error) = decode_error {
                out.extend_from_slice(br#","decode_error":"#);
                write_string(out, &decode_error.to_string());
            }
        }
    }
}

/// Where the JSON starts in a framed result: after the length and the flags.
const JSON_START: usize = 5;

/// Starts a framed result in `out` (emptied first) with room for
/// `capacity` bytes, its length and flags still to fill in.
fn frame(out: &mut Vec<u8>, capacity: usize) {
    out.clear();
    out.reserve(capacity.saturating_add(JSON_START));
    out.extend_from_slice(&[0; JSON_START]);
}

/// Completes a framed result (see the crate docs): fills in the length of
/// the JSON written after [`frame`] and the flags, then appends the raw
/// text, which is wiped from its own buffer once copied.
fn finish(out: &mut Vec<u8>, raw: Option<String>) {
    let json_len = u32::try_from(out.len().saturating_sub(JSON_START)).unwrap_or(u32::MAX);
    let raw_is_ascii = raw.as_deref().is_none_or(str::is_ascii);
    if let Some(prefix) = out.get_mut(..JSON_START) {
        let [a, b, c, d] = json_len.to_le_bytes();
        prefix.copy_from_slice(&[a, b, c, d, u8::from(raw_is_ascii)]);
    }
    if let Some(mut raw) = raw {
        append_wiped(out, &mut raw);
    }
}

/// Appends `text` to `out`, then wipes `text`'s own buffer (it holds the
/// Verification Token).
fn append_wiped(out: &mut Vec<u8>, text: &mut String) {
    use zeroize::Zeroize as _;
    out.extend_from_slice(text.as_bytes());
    text.zeroize();
}

/// The raw text of a verified delivery, taken out of it.
fn take_raw(verified: &mut Verified) -> Option<String> {
    match verified {
        Verified::Event(e) => Some(core::mem::take(&mut e.raw)),
        Verified::CardAction(c) => Some(core::mem::take(&mut c.raw)),
        Verified::Challenge(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_written_as_its_serialize_writes_it() {
        let mut header = larkhook::EventHeader {
            event_id: "e\"1".into(),
            event_type: "t".into(),
            create_time: Some(-5),
            app_id: None,
            tenant_key: Some("k".into()),
        };
        for _ in 0..2 {
            let mut out = Vec::new();
            write_header(&mut out, &header);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&header).unwrap()
            );
            header.create_time = None;
            header.app_id = Some("a".into());
        }
    }

    #[test]
    fn the_secrets_copied_into_wasm_memory_are_wiped() {
        let mut keys = vec!["an-encrypt-key".to_owned()];
        let mut tokens = vec!["a-verification-token".to_owned(), "another".to_owned()];
        let hook = configure(&mut keys, &mut tokens, Some(300), None, 1024, false);
        assert!(hook.is_ok());
        // zeroize overwrites the bytes and then clears the string.
        assert!(keys.iter().chain(&tokens).all(String::is_empty));

        let mut raw = String::from(r#"{"header":{"token":"a-verification-token"}}"#);
        let mut out = Vec::new();
        append_wiped(&mut out, &mut raw);
        assert!(raw.is_empty());
        assert_eq!(out, br#"{"header":{"token":"a-verification-token"}}"#);
    }
}
