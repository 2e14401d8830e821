//! The edges of the configuration and of what errors may say (issue 17, on
//! the Rust side): the replay window is asymmetric when an age is set apart,
//! the body size limit is capped at 64 MiB, blank secrets are refused, and no
//! error message, decode error or inspect report quotes a payload value.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use larkhook::{Inbound, Payload, ReplayWindow, Setting, Webhook};
use serde_json::Value;

fn window_hook(max_age: Option<u64>, tolerance: Option<u64>) -> Webhook {
    let mut builder = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .tolerance_seconds(tolerance);
    if let Some(age) = max_age {
        builder = builder.max_age_seconds(age);
    }
    builder.build().unwrap()
}

#[test]
fn an_age_set_apart_widens_only_the_past() {
    let hook = window_hook(Some(27_000), Some(300));
    assert_eq!(
        hook.replay_window(),
        Some(ReplayWindow {
            max_age_seconds: 27_000,
            max_ahead_seconds: 300
        })
    );
    let d = delivery(CREATED);
    // `now` relative to the delivery's timestamp (NOW).
    let at = |now: i64| hook.parse(&d.headers, d.body.as_bytes(), now);
    assert!(at(NOW + 27_000).is_ok(), "7.5 h old, at the limit");
    assert!(at(NOW - 300).is_ok(), "300 s ahead, at the limit");
    let old = at(NOW + 27_001).unwrap_err();
    assert_eq!(old.code(), "timestamp_out_of_range");
    assert_eq!(old.setting(), Some(Setting::MaxAgeSeconds));
    assert!(
        old.to_string().contains(
            "27001 seconds in the past, outside the accepted window of 27000 s old to 300 s ahead"
        ),
        "{old}"
    );
    for ahead in [301, 3600, 27_000] {
        let future = at(NOW - ahead).unwrap_err();
        assert_eq!(future.code(), "timestamp_out_of_range", "{ahead} s ahead");
        assert_eq!(future.http_status(), 401);
        assert_eq!(future.setting(), Some(Setting::ToleranceSeconds));
        assert!(
            future
                .to_string()
                .contains(&format!("{ahead} seconds in the future")),
            "{future}"
        );
    }
}

#[test]
fn without_an_age_the_window_is_symmetric_and_off_means_off() {
    let d = delivery(CREATED);
    let symmetric = window_hook(None, Some(600));
    assert_eq!(
        symmetric.replay_window(),
        Some(ReplayWindow::symmetric(600))
    );
    assert!(
        symmetric
            .parse(&d.headers, d.body.as_bytes(), NOW - 600)
            .is_ok()
    );
    let e = symmetric
        .parse(&d.headers, d.body.as_bytes(), NOW + 601)
        .unwrap_err();
    assert!(e.to_string().contains("window of ±600 s"), "{e}");
    assert_eq!(e.setting(), Some(Setting::ToleranceSeconds));
    // An age with the window switched off: still off, both ways.
    let off = window_hook(Some(60), None);
    assert_eq!(off.replay_window(), None);
    for now in [NOW - 10_000_000, NOW + 10_000_000] {
        assert!(off.parse(&d.headers, d.body.as_bytes(), now).is_ok());
    }
}

#[test]
fn the_body_size_limit_is_capped_at_64_mib() {
    let limit = 64 * 1024 * 1024;
    assert_eq!(larkhook::MAX_BODY_BYTES_LIMIT, 67_108_864);
    let build = |bytes: usize| {
        Webhook::builder()
            .encrypt_key(KEY)
            .max_body_bytes(bytes)
            .build()
    };
    assert!(build(limit).is_ok());
    for too_big in [limit + 1, u32::MAX as usize, usize::MAX] {
        let e = build(too_big).unwrap_err();
        assert_eq!(e.code(), "invalid_config", "{too_big}");
        assert_eq!(e.setting(), Some(Setting::MaxBodyBytes));
        assert!(e.to_string().contains("at most 64 MiB"), "{e}");
    }
    assert_eq!(build(0).unwrap_err().code(), "invalid_config");
}

#[test]
fn blank_secrets_are_refused() {
    for blank in [
        "",
        " ",
        "   ",
        "\t",
        "\n",
        "\r\n",
        " \t \n",
        "\u{3000}",
        "\u{a0}\u{2003}",
    ] {
        let key = Webhook::builder()
            .encrypt_key(blank)
            .verification_token(TOKEN)
            .build();
        let e = key.unwrap_err();
        assert_eq!(e.code(), "invalid_config", "key {blank:?}");
        assert_eq!(e.setting(), Some(Setting::EncryptKey));
        let token = Webhook::builder()
            .encrypt_key(KEY)
            .verification_token(blank)
            .build();
        let e = token.unwrap_err();
        assert_eq!(e.code(), "invalid_config", "token {blank:?}");
        assert_eq!(e.setting(), Some(Setting::VerificationToken));
    }
    // Surrounding whitespace alone is not blank: a real secret may carry it.
    assert!(Webhook::builder().encrypt_key(" k ").build().is_ok());
}

/// A value no message may contain: every text larkhook reports about a
/// delivery carrying it is searched for it.
const SENTINEL: &str = "Qz7sentinelValue";
const SENTINEL_NUMBER: &str = "8675309123";

fn sentinels() -> [String; 5] {
    [
        format!("\"{SENTINEL}\""),
        SENTINEL_NUMBER.to_owned(),
        format!("{SENTINEL_NUMBER}.5"),
        format!("-{SENTINEL_NUMBER}"),
        format!("[\"{SENTINEL}\"]"),
    ]
}

/// Every JSON pointer to a scalar (or empty container) in `value`.
fn leaves(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                leaves(v, format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{path}/{i}"), out);
            }
        }
        _ => out.push(path),
    }
}

/// Every text larkhook reports about `body`: the error or the decode error
/// of `parse`, and each step of `inspect` with its verdict.
fn reported(hook: &Webhook, body: &str) -> Vec<String> {
    let no_headers: [(&str, &str); 0] = [];
    let mut texts = Vec::new();
    match hook.parse(&no_headers, body.as_bytes(), NOW) {
        Err(e) => texts.push(e.to_string()),
        Ok(Inbound::Event(event)) => {
            if let Payload::Untyped {
                decode_error: Some(e),
                ..
            } = &event.payload
            {
                texts.push(e.to_string());
            }
        }
        Ok(Inbound::Challenge(_) | Inbound::CardAction(_)) => {}
    }
    let report = hook.inspect(&no_headers, body.as_bytes(), NOW);
    texts.extend(report.steps.iter().map(|s| s.detail.clone()));
    if let Err(e) = &report.outcome {
        texts.push(e.to_string());
    }
    texts
}

#[test]
fn no_message_decode_error_or_report_quotes_a_payload_value() {
    let hook = Webhook::builder().insecure(true).build().unwrap();
    let mut checked = 0;
    let mut refused_or_untyped = 0;
    for fixture in [CREATED, UPDATED, MESSAGE] {
        let original: Value = serde_json::from_str(fixture).unwrap();
        let mut paths = Vec::new();
        leaves(&original, String::new(), &mut paths);
        // The envelope's own fields too, and a `schema` or `type` that is not known.
        paths.extend(["/schema", "/type", "/header", "/event"].map(String::from));
        for path in &paths {
            for sentinel in sentinels() {
                let mut event = original.clone();
                let slot = match event.pointer_mut(path) {
                    Some(slot) => slot,
                    None => {
                        event
                            .as_object_mut()
                            .unwrap()
                            .insert(path[1..].to_owned(), Value::Null);
                        event.pointer_mut(path).unwrap()
                    }
                };
                *slot = serde_json::from_str(&sentinel).unwrap();
                let body = serde_json::to_string(&event).unwrap();
                let mut texts = reported(&hook, &body);
                if path.ends_with("/event_type") && sentinel.starts_with('"') {
                    // The event type names the event: a report says which it is.
                    texts.retain(|t| !t.starts_with("event type "));
                }
                if !texts.is_empty() {
                    refused_or_untyped += 1;
                }
                for text in &texts {
                    assert!(
                        !text.contains(SENTINEL) && !text.contains(SENTINEL_NUMBER),
                        "{path} = {sentinel}: {text}"
                    );
                }
                checked += 1;
            }
        }
    }
    // Without the schema-less `type` case the loop above covers plain
    // `{"type": <value>}` only through the fixture; add it directly.
    for sentinel in sentinels() {
        for body in [
            format!(r#"{{"type":{sentinel}}}"#),
            format!(r#"{{"schema":{sentinel},"header":{{}}}}"#),
            format!(
                r#"{{"schema":"2.0","header":{{"event_id":{sentinel},"event_type":"x"}},"event":{{}}}}"#
            ),
            format!(r#"{{"encrypt":{sentinel}}}"#),
        ] {
            for text in reported(&hook, &body) {
                assert!(
                    !text.contains(SENTINEL) && !text.contains(SENTINEL_NUMBER),
                    "{body}: {text}"
                );
            }
        }
    }
    assert!(checked > 500, "{checked} deliveries checked");
    assert!(
        refused_or_untyped > 100,
        "{refused_or_untyped} were refused or arrived untyped"
    );
}

/// A value of the wrong kind is named by its kind and what was expected,
/// the whole message being exactly that (`invalid type: <kind>, expected
/// <what>`, the value nowhere): at the top of the body, in an envelope member, and in each
/// shape of typed field (an object, a list of objects, one or many, a list
/// of strings), under its path.
#[test]
fn a_value_of_the_wrong_kind_is_named_by_its_kind_only() {
    const KINDS: [(&str, &str); 9] = [
        ("null", "null"),
        ("true", "boolean"),
        ("8675309123", "integer"),
        ("-7", "integer"),
        ("1.5", "floating point"),
        ("2e3", "floating point"),
        ("\"Qz7sentinelValue\"", "string"),
        ("[8675309123]", "array"),
        ("{\"Qz7\":1}", "object"),
    ];
    let hook = Webhook::builder().insecure(true).build().unwrap();
    let expect = |what: &str, kind: &str| format!("invalid type: {kind}, expected {what}");
    for (value, kind) in KINDS {
        if kind != "object" {
            let e = hook.parse(&NO_HEADERS, value.as_bytes(), NOW).unwrap_err();
            assert_eq!(e.code(), "invalid_json");
            let detail = format!(": {} at line 1 column ", expect("a JSON object", kind));
            assert!(e.to_string().contains(&detail), "{value}: {e}");
        }
        if !matches!(kind, "null" | "string") {
            let body = format!(r#"{{"encrypt":{value}}}"#);
            let e = hook.parse(&NO_HEADERS, body.as_bytes(), NOW).unwrap_err();
            assert!(
                e.to_string().contains(&expect("a string", kind)),
                "{body}: {e}"
            );
        }
        for (pointer, what, accepted) in [
            ("/event/ticket", "an object", "object"),
            (
                "/event/ticket/comments",
                "an object or an array of objects",
                "object",
            ),
            (
                "/event/ticket/customized_fields",
                "an array of objects",
                "array",
            ),
            ("/event/content/image_keys", "an array of strings", "array"),
        ] {
            // `null` is an absent field; one or many takes an array too.
            if kind == "null"
                || kind == accepted
                || (what.contains(" or an array") && kind == "array")
            {
                continue;
            }
            let mut event: Value = serde_json::from_str(MESSAGE).unwrap();
            *event.pointer_mut(pointer).unwrap() = serde_json::from_str(value).unwrap();
            let body = serde_json::to_string(&event).unwrap();
            let Ok(Inbound::Event(event)) = hook.parse(&NO_HEADERS, body.as_bytes(), NOW) else {
                panic!("{pointer} = {value}: refused")
            };
            let Payload::Untyped {
                decode_error: Some(e),
                ..
            } = &event.payload
            else {
                panic!("{pointer} = {value}: typed")
            };
            let path = pointer["/event/".len()..].replace('/', ".");
            assert_eq!(
                (e.path.as_str(), e.message.as_str()),
                (path.as_str(), expect(what, kind).as_str())
            );
        }
    }
}
