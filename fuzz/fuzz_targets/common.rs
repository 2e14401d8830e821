//! Invariants shared by the fuzz targets.
#![allow(dead_code)]

use larkhook::{Error, Inbound};

/// Secrets the targets configure. The first of each is the one the test
/// vectors and fixtures use (so seeds made from them verify and decrypt);
/// all are distinctive, so a leak into a message is unambiguous.
pub const KEYS: [&str; 2] = ["lark-encrypt-key", "fuzz-rotated-key-91c2"];
pub const TOKENS: [&str; 2] = ["rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV", "fuzz-old-token-5ac1"];

/// The `now` of the test vectors.
pub const NOW: i64 = 1_700_000_000;

/// The status each code must carry, written out independently of `src/error.rs`.
pub fn expected_status(code: &str) -> u16 {
    match code {
        "body_too_large" => 413,
        "missing_signature"
        | "timestamp_out_of_range"
        | "signature_mismatch"
        | "token_mismatch" => 401,
        "duplicate_header" | "invalid_timestamp" | "invalid_json" | "decrypt_failed"
        | "plaintext_rejected" | "unsupported_schema" | "invalid_envelope" => 400,
        "key_required" | "invalid_config" | "invalid_argument" => 500,
        other => panic!("unknown error code {other:?}"),
    }
}

/// Every error: a listed code, its status, a message, and no configured
/// secret in `Display` or `Debug` unless the input itself carried it (an
/// echo of attacker-supplied bytes is not a leak).
pub fn check_error(e: &Error, input: &[u8]) {
    let code = e.code();
    assert!(Error::CODES.contains(&code), "code {code} not in CODES");
    assert_eq!(e.http_status(), expected_status(code), "status of {code}");
    let display = e.to_string();
    let debug = format!("{e:?}");
    assert!(!display.is_empty());
    assert!(debug.contains(code));
    for secret in KEYS.iter().chain(TOKENS.iter()) {
        // (The input is scanned only when needed: libFuzzer instruments
        // every comparison, and a scan per input slows fuzzing tenfold.)
        if display.contains(secret) || debug.contains(secret) {
            assert!(
                contains(input, secret.as_bytes()),
                "secret in an error message: {debug}"
            );
        }
    }
}

/// A challenge's answer is JSON that carries the challenge back unchanged.
pub fn check_inbound(inbound: &Inbound) {
    match inbound {
        Inbound::Challenge(c) => {
            let body = c.response_body();
            let v: serde_json::Value =
                serde_json::from_str(&body).expect("challenge response is JSON");
            assert_eq!(v.as_object().map(|o| o.len()), Some(1));
            assert_eq!(v["challenge"].as_str(), Some(c.challenge.as_str()));
        }
        Inbound::Event(event) => {
            assert!(!event.header.event_id.is_empty());
            let ty = &event.header.event_type;
            assert!(!ty.is_empty() && ty.len() <= 256);
            assert!(ty.bytes().all(|b| b.is_ascii_graphic()));
            // The raw text is JSON.
            serde_json::from_str::<serde::de::IgnoredAny>(&event.raw).expect("raw is JSON");
            if larkhook::TYPED_EVENT_TYPES.contains(&ty.as_str()) {
                check_typed(event);
            } else {
                assert!(matches!(
                    &event.payload,
                    larkhook::Payload::Untyped {
                        decode_error: None,
                        ..
                    }
                ));
            }
        }
    }
}

/// A known event type is typed, or untyped with a `decode_error`; a typed
/// payload serializes (as the JS binding does) and reads back unchanged.
pub fn check_typed(event: &larkhook::Event) {
    use larkhook::Payload;
    let _ = event.unrecognized_fields();
    match &event.payload {
        Payload::TicketCreated(t) => reread(&**t),
        Payload::TicketUpdated(t) => reread(&**t),
        Payload::TicketMessageCreated(t) => reread(&**t),
        Payload::Untyped { decode_error, .. } => assert!(
            decode_error.is_some(),
            "{} came back untyped without a decode_error",
            event.header.event_type
        ),
        _ => panic!("unexpected payload variant"),
    }
}

fn reread<T>(model: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + core::fmt::Debug,
{
    let json = serde_json::to_string(model).expect("typed model serializes");
    let back: T = serde_json::from_str(&json).expect("serialized model reads back");
    if &back != model {
        // serde_json's default float parser is not correctly rounded (its
        // `float_roundtrip` feature is off), so a float may move by an ULP or
        // two; everything else must be identical.
        let before = serde_json::to_value(model).expect("to a Value");
        let after = serde_json::to_value(&back).expect("to a Value");
        assert!(
            same_up_to_float_ulps(&before, &after),
            "model changed through serialize/deserialize: {json}"
        );
    }
}

fn same_up_to_float_ulps(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x == y || (x - y).abs() <= 1e-15 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_up_to_float_ulps(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_up_to_float_ulps(v, w)))
        }
        _ => a == b,
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}
