//! Builds a delivery from fuzzed event JSON with `DeliveryBuilder`
//! (optionally with a token, encrypted, signed), parses it back with a
//! webhook configured to match, and checks that what comes out is what went
//! in: the same raw JSON, and an event or a challenge as the JSON says.
//!
//! Input format: byte 0 is a set of flags (bit 0 token, bit 1 encrypt, bit 2
//! sign, bits 3-4 which key, bits 5-6 which nonce, bit 7 which timestamp);
//! the rest is the event JSON.
#![no_main]

mod common;

use larkhook::{DeliveryBuilder, Inbound, Webhook};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

const KEYS: [&str; 4] = [
    "lark-encrypt-key",
    "密钥🔑",
    "k",
    "a key with \"quotes\" and \\",
];
const NONCES: [&str; 4] = ["nonce", "", "ñ-\u{1}", "nonce with spaces"];
const TIMESTAMPS: [i64; 2] = [1_700_000_000, 0];
const TOKEN: &str = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";

struct Input<'a> {
    token: Option<&'a str>,
    encrypt: Option<(&'a str, [u8; 16])>,
    sign: Option<(i64, &'a str)>,
    event_json: &'a str,
}

/// What the plaintext should parse to, judged from `serde_json::Value`
/// independently of larkhook's envelope code. `None`: no firm expectation
/// (duplicate keys, odd shapes).
#[derive(Debug, PartialEq)]
enum Expect {
    Challenge(String),
    Event { event_type: String },
}

fn expectation(plaintext: &str) -> Option<Expect> {
    let Ok(Value::Object(top)) = serde_json::from_str::<Value>(plaintext) else {
        return None;
    };
    if has_duplicate_keys(plaintext) {
        return None;
    }
    let string =
        |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
    let valid_type =
        |t: &str| !t.is_empty() && t.len() <= 256 && t.bytes().all(|b| b.is_ascii_graphic());
    if string(&top, "type").as_deref() == Some("url_verification") {
        return string(&top, "challenge").map(Expect::Challenge);
    }
    match top.get("schema") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == "2.0" => {
            let Value::Object(header) = top.get("header")? else {
                return None;
            };
            // larkhook reads these header fields as strings, and create_time
            // as an integer or a string of digits; anything else is refused.
            let strings = ["event_id", "event_type", "app_id", "tenant_key"];
            if strings.iter().any(|k| {
                header
                    .get(*k)
                    .is_some_and(|v| !v.is_string() && !v.is_null())
            }) {
                return None;
            }
            let decimal = |s: &str| {
                let digits = s.strip_prefix('-').unwrap_or(s);
                !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && s.parse::<i64>().is_ok()
            };
            match header.get("create_time") {
                None | Some(Value::Null) => {}
                Some(Value::Number(n)) if n.is_i64() => {}
                Some(Value::String(s)) if decimal(s) => {}
                Some(_) => return None,
            }
            let id = string(header, "event_id")?;
            let event_type = string(header, "event_type")?;
            if id.is_empty() || !valid_type(&event_type) || top.get("event").is_none() {
                return None;
            }
            return Some(Expect::Event { event_type });
        }
        Some(_) => return None,
    }
    if string(&top, "type").as_deref() == Some("event_callback") {
        let id = string(&top, "uuid")?;
        let Value::Object(event) = top.get("event")? else {
            return None;
        };
        let event_type = string(event, "type")?;
        if id.is_empty() || !valid_type(&event_type) {
            return None;
        }
        if event
            .get("app_id")
            .is_some_and(|v| !v.is_string() && !v.is_null())
            || event
                .get("tenant_key")
                .is_some_and(|v| !v.is_string() && !v.is_null())
        {
            return None;
        }
        return Some(Expect::Event { event_type });
    }
    None
}

/// `serde_json::Value` keeps the last of duplicate keys; larkhook's
/// envelope structs refuse them. True when any object, at any depth, repeats
/// a key.
fn has_duplicate_keys(json: &str) -> bool {
    struct NoDup;
    impl<'de> serde::Deserialize<'de> for NoDup {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(NoDup)
        }
    }
    impl<'de> serde::de::Visitor<'de> for NoDup {
        type Value = NoDup;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<NoDup, E> {
            Ok(NoDup)
        }
        fn visit_i64<E>(self, _: i64) -> Result<NoDup, E> {
            Ok(NoDup)
        }
        fn visit_u64<E>(self, _: u64) -> Result<NoDup, E> {
            Ok(NoDup)
        }
        fn visit_f64<E>(self, _: f64) -> Result<NoDup, E> {
            Ok(NoDup)
        }
        fn visit_str<E>(self, _: &str) -> Result<NoDup, E> {
            Ok(NoDup)
        }
        fn visit_unit<E>(self) -> Result<NoDup, E> {
            Ok(NoDup)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<NoDup, A::Error> {
            while seq.next_element::<NoDup>()?.is_some() {}
            Ok(NoDup)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<NoDup, A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some((k, NoDup)) = map.next_entry::<String, NoDup>()? {
                if !seen.insert(k) {
                    return Err(serde::de::Error::custom("duplicate key"));
                }
            }
            Ok(NoDup)
        }
    }
    serde_json::from_str::<NoDup>(json).is_err()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(event_json) = core::str::from_utf8(rest) else {
        return;
    };
    let input = Input {
        token: (flags & 1 != 0).then_some(TOKEN),
        encrypt: (flags & 2 != 0).then(|| (KEYS[usize::from((flags >> 3) & 3)], [flags; 16])),
        sign: (flags & 4 != 0).then(|| {
            (
                TIMESTAMPS[usize::from(flags >> 7)],
                NONCES[usize::from((flags >> 5) & 3)],
            )
        }),
        event_json,
    };
    let mut builder = DeliveryBuilder::new(input.event_json);
    if let Some(token) = input.token {
        builder = builder.verification_token(token);
    }
    if let Some((key, iv)) = input.encrypt {
        builder = builder.encrypt(key, iv);
    }
    if let Some((ts, nonce)) = input.sign {
        builder = builder.sign(ts, nonce);
    }
    let delivery = match builder.build() {
        Ok(d) => d,
        Err(e) => {
            common::check_error(&e, input.event_json.as_bytes());
            assert!(
                matches!(e.code(), "invalid_json" | "invalid_argument"),
                "build failed with {}",
                e.code()
            );
            return;
        }
    };

    // The plaintext the platform would have sent.
    let plaintext = match input.encrypt {
        Some((key, _)) => {
            let outer: Value = serde_json::from_str(&delivery.body).expect("envelope is JSON");
            let encrypted = outer["encrypt"].as_str().expect("encrypt is a string");
            String::from_utf8(larkhook::decrypt(key, encrypted).expect("own ciphertext decrypts"))
                .expect("own plaintext is UTF-8")
        }
        None => delivery.body.clone(),
    };
    match input.token {
        None => assert_eq!(plaintext, input.event_json, "the builder changed the event"),
        Some(token) => {
            // The token went in; nothing else changed meaning.
            // (serde_json::Value refuses lone surrogate escapes that the
            // builder, like the parser, passes through untouched.)
            serde_json::from_str::<serde::de::IgnoredAny>(&plaintext)
                .expect("with_token wrote JSON");
            if let Ok(sent) = serde_json::from_str::<Value>(&plaintext) {
                let challenge =
                    sent.get("type").and_then(Value::as_str) == Some("url_verification");
                let schema = sent.get("schema").is_some_and(|s| !s.is_null());
                let with = if schema && !challenge {
                    &sent["header"]["token"]
                } else {
                    &sent["token"]
                };
                assert_eq!(with.as_str(), Some(token));
            }
        }
    }

    let mut hook = Webhook::builder().insecure(true).tolerance_seconds(None);
    let key = input.encrypt.map(|(k, _)| k).filter(|k| !k.is_empty());
    if let Some(key) = key {
        hook = hook.encrypt_key(key);
    }
    if let Some(token) = input.token.filter(|t| !t.is_empty()) {
        hook = hook.verification_token(token);
    }
    let hook = hook.build().expect("non-empty secrets");
    let now = input.sign.map_or(0, |(ts, _)| ts);
    let result = hook.parse(&delivery.headers, delivery.body.as_bytes(), now);

    let expected = expectation(&plaintext);
    match &result {
        Ok(inbound) => {
            common::check_inbound(inbound);
            match inbound {
                Inbound::Event(event) => {
                    assert_eq!(event.raw, plaintext, "raw JSON differs from what was sent");
                    if let Some(expected) = &expected {
                        assert_eq!(
                            expected,
                            &Expect::Event {
                                event_type: event.header.event_type.clone()
                            }
                        );
                    }
                }
                Inbound::Challenge(c) => {
                    if let Some(expected) = &expected {
                        assert_eq!(expected, &Expect::Challenge(c.challenge.clone()));
                    }
                }
            }
        }
        Err(e) => {
            common::check_error(e, input.event_json.as_bytes());
            let code = e.code();
            // Never an authentication or decryption failure for a delivery
            // built with the webhook's own secrets.
            let signed_with_key = key.is_some() && input.sign.is_some();
            let unsigned_with_key = key.is_some() && input.sign.is_none();
            assert!(
                !matches!(
                    code,
                    "signature_mismatch"
                        | "timestamp_out_of_range"
                        | "invalid_timestamp"
                        | "decrypt_failed"
                        | "duplicate_header"
                        | "body_too_large"
                ),
                "own delivery refused: {e}"
            );
            if code == "token_mismatch" {
                assert!(
                    input.token.is_none_or(str::is_empty),
                    "own token refused: {e}"
                );
            }
            if code == "key_required" {
                // Only a plain body that happens to carry an `encrypt` string.
                assert!(key.is_none());
            }
            if code == "plaintext_rejected" {
                assert!(input.encrypt.is_none() || key.is_none());
            }
            if code == "missing_signature" {
                assert!(unsigned_with_key);
            }
            if let Some(expected) = &expected {
                // Unsigned with a key: only a challenge is accepted.
                let refused_ok = unsigned_with_key && matches!(expected, Expect::Event { .. });
                // A plain event that also carries a top-level "encrypt" string.
                let encrypt_field = key.is_none()
                    && serde_json::from_str::<Value>(&plaintext)
                        .ok()
                        .is_some_and(|v| v.get("encrypt").is_some_and(|e| !e.is_null()));
                // The token check fails when the JSON brought its own token and none was written in.
                let own_token = input.token.is_none() && code == "token_mismatch";
                assert!(
                    refused_ok
                        || encrypt_field
                        || own_token
                        || (signed_with_key && code == "invalid_json"),
                    "expected {expected:?}, got {e}"
                );
            }
        }
    }
});
