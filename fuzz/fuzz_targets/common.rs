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
    assert_eq!(
        &back, model,
        "model changed through serialize/deserialize: {json}"
    );
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}
