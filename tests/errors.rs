//! Every error code with its HTTP status, key and token rotation, the
//! replay window's edges and header handling (the unsigned path: `tests/unsigned.rs`).

mod common;

// The same suite runs natively and, under wasm-bindgen-test, inside WebAssembly
// (Node and headless Chromium): `make test-wasm`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeSet;

use common::*;
use larkhook::*;

/// Each error code, reached once, with the status it must carry.
#[test]
fn every_error_code_is_reachable_with_its_status() {
    let mut seen = BTreeSet::new();
    let mut check = |e: Error, code: &str, status: u16| {
        assert_eq!(e.code(), code, "{e}");
        assert_eq!(e.http_status(), status, "{code}");
        assert!(!e.to_string().is_empty());
        seen.insert(code.to_owned());
    };
    let hook = hook();
    let d = delivery(CREATED);

    let small = Webhook::builder()
        .encrypt_key(KEY)
        .max_body_bytes(10)
        .build()
        .unwrap();
    check(
        err(&small, &d.headers, d.body.as_bytes(), NOW),
        "body_too_large",
        413,
    );

    let mut no_nonce = d.clone();
    remove_header(&mut no_nonce, "X-Lark-Request-Nonce");
    check(
        err(&hook, &no_nonce.headers, d.body.as_bytes(), NOW),
        "missing_signature",
        401,
    );

    let mut twice = d.clone();
    twice
        .headers
        .push(("x-lark-signature".into(), header(&d, "X-Lark-Signature")));
    check(
        err(&hook, &twice.headers, d.body.as_bytes(), NOW),
        "duplicate_header",
        400,
    );

    let mut bad_ts = d.clone();
    set_header(&mut bad_ts, "X-Lark-Request-Timestamp", "soon");
    check(
        err(&hook, &bad_ts.headers, d.body.as_bytes(), NOW),
        "invalid_timestamp",
        400,
    );

    check(
        err(&hook, &d.headers, d.body.as_bytes(), NOW + 301),
        "timestamp_out_of_range",
        401,
    );

    let mut tampered = d.body.clone().into_bytes();
    tampered[20] ^= 1;
    check(
        err(&hook, &d.headers, &tampered, NOW),
        "signature_mismatch",
        401,
    );

    let no_key = Webhook::builder().insecure(true).build().unwrap();
    check(err(&no_key, &[], b"{not json", NOW), "invalid_json", 400);

    let mut undecryptable = d.clone();
    undecryptable.body = r#"{"encrypt":"not base64!"}"#.into();
    resign(&mut undecryptable, KEY);
    check(
        err(
            &hook,
            &undecryptable.headers,
            undecryptable.body.as_bytes(),
            NOW,
        ),
        "decrypt_failed",
        400,
    );

    check(
        err(&no_key, &[], d.body.as_bytes(), NOW),
        "key_required",
        500,
    );

    // A legacy card callback (40 hex digits of SHA-1) where no Verification
    // Token is configured: it cannot be verified.
    let key_only = Webhook::builder().encrypt_key(KEY).build().unwrap();
    let legacy = [
        ("X-Lark-Request-Timestamp".to_owned(), NOW.to_string()),
        ("X-Lark-Request-Nonce".to_owned(), "n".to_owned()),
        ("X-Lark-Signature".to_owned(), "ab".repeat(20)),
    ];
    let e = err(&key_only, &legacy, br#"{"open_id":"ou_1"}"#, NOW);
    assert_eq!(e.setting(), Some(Setting::VerificationToken));
    check(e, "token_required", 500);

    let mut plain = d.clone();
    plain.body = CREATED.into();
    resign(&mut plain, KEY);
    check(
        err(&hook, &plain.headers, plain.body.as_bytes(), NOW),
        "plaintext_rejected",
        400,
    );

    check(
        err(
            &no_key,
            &[],
            br#"{"schema":"3.0","header":{},"event":{}}"#,
            NOW,
        ),
        "unsupported_schema",
        400,
    );

    check(
        err(
            &no_key,
            &[],
            br#"{"schema":"2.0","header":{"event_id":"e"},"event":{}}"#,
            NOW,
        ),
        "invalid_envelope",
        400,
    );

    let other_token = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token("other")
        .build()
        .unwrap();
    check(
        err(&other_token, &d.headers, d.body.as_bytes(), NOW),
        "token_mismatch",
        401,
    );

    check(
        Webhook::builder().encrypt_key("").build().unwrap_err(),
        "invalid_config",
        500,
    );

    check(
        DeliveryBuilder::new("{}")
            .sign(NOW, "n")
            .build()
            .unwrap_err(),
        "invalid_argument",
        500,
    );

    let all: BTreeSet<String> = Error::CODES.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(seen, all, "every code in Error::CODES is exercised");
}

#[test]
fn signature_mismatch_message_points_at_re_serialized_bodies() {
    let d = delivery(CREATED);
    let reserialized: serde_json::Value = serde_json::from_str(&d.body).unwrap();
    let pretty = serde_json::to_string_pretty(&reserialized).unwrap();
    let e = err(&hook(), &d.headers, pretty.as_bytes(), NOW);
    assert_eq!(e.code(), "signature_mismatch");
    assert!(e.to_string().contains("re-serialized"));
}

#[test]
fn key_rotation_accepts_any_configured_key_and_decrypts_with_it() {
    let rotated = Webhook::builder()
        .encrypt_key("old-key")
        .encrypt_key(KEY)
        .encrypt_key("newer-key")
        .verification_token(TOKEN)
        .build()
        .unwrap();
    for key in ["old-key", KEY, "newer-key"] {
        let d = DeliveryBuilder::new(CREATED)
            .verification_token(TOKEN)
            .encrypt(key, [1; 16])
            .sign(NOW, "n")
            .build()
            .unwrap();
        assert!(
            matches!(
                rotated.parse(&d.headers, d.body.as_bytes(), NOW),
                Ok(Inbound::Event(_))
            ),
            "{key}"
        );
    }
    let d = DeliveryBuilder::new(CREATED)
        .verification_token(TOKEN)
        .encrypt("unknown-key", [1; 16])
        .sign(NOW, "n")
        .build()
        .unwrap();
    assert_eq!(code(&rotated, &d), "signature_mismatch");
}

#[test]
fn the_signing_key_is_the_decrypting_key() {
    // Signed with key A but encrypted with key B: the signature selects A,
    // and decryption with A must fail rather than fall back to B.
    let hook = Webhook::builder()
        .encrypt_key("A")
        .encrypt_key("B")
        .build()
        .unwrap();
    let encrypted_with_b = DeliveryBuilder::new(CREATED)
        .encrypt("B", [2; 16])
        .build()
        .unwrap();
    let mut d = encrypted_with_b;
    d.headers
        .push(("X-Lark-Request-Timestamp".into(), NOW.to_string()));
    d.headers.push(("X-Lark-Request-Nonce".into(), "n".into()));
    d.headers.push(("X-Lark-Signature".into(), String::new()));
    resign(&mut d, "A");
    assert_eq!(code(&hook, &d), "decrypt_failed");
}

#[test]
fn token_rotation() {
    let hook = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token("old")
        .verification_token("new")
        .build()
        .unwrap();
    for token in ["old", "new"] {
        let d = DeliveryBuilder::new(CREATED)
            .verification_token(token)
            .encrypt(KEY, [0; 16])
            .sign(NOW, "n")
            .build()
            .unwrap();
        assert_eq!(code(&hook, &d), "ok", "{token}");
    }
    let d = DeliveryBuilder::new(CREATED)
        .verification_token("older")
        .encrypt(KEY, [0; 16])
        .sign(NOW, "n")
        .build()
        .unwrap();
    assert_eq!(code(&hook, &d), "token_mismatch");
    let d = DeliveryBuilder::new(CREATED)
        .encrypt(KEY, [0; 16])
        .sign(NOW, "n")
        .build()
        .unwrap();
    // The documentation example carries its own token, which is neither.
    assert_eq!(code(&hook, &d), "token_mismatch");
}

#[test]
fn tolerance_edges() {
    let hook = hook();
    let d = delivery(CREATED);
    let at = |now| {
        hook.parse(&d.headers, d.body.as_bytes(), now)
            .map(|_| ())
            .map_err(|e| e.code())
    };
    assert_eq!(at(NOW), Ok(()));
    assert_eq!(at(NOW + 300), Ok(()), "exactly at the limit, past");
    assert_eq!(at(NOW - 300), Ok(()), "exactly at the limit, future");
    assert_eq!(
        at(NOW + 301),
        Err("timestamp_out_of_range"),
        "one second past"
    );
    assert_eq!(
        at(NOW - 301),
        Err("timestamp_out_of_range"),
        "one second in the future"
    );
    assert_eq!(at(i64::MIN), Err("timestamp_out_of_range"));
    assert_eq!(at(i64::MAX), Err("timestamp_out_of_range"));

    let message = err(&hook, &d.headers, d.body.as_bytes(), NOW + 412).to_string();
    assert!(message.contains("412 seconds in the past"), "{message}");
    let message = err(&hook, &d.headers, d.body.as_bytes(), NOW - 1000).to_string();
    assert!(message.contains("1000 seconds in the future"), "{message}");

    let no_window = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .tolerance_seconds(None)
        .build()
        .unwrap();
    assert!(
        no_window
            .parse(&d.headers, d.body.as_bytes(), NOW + 10_000_000)
            .is_ok()
    );
    let narrow = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .tolerance_seconds(Some(0))
        .build()
        .unwrap();
    assert!(narrow.parse(&d.headers, d.body.as_bytes(), NOW).is_ok());
    assert_eq!(
        narrow
            .parse(&d.headers, d.body.as_bytes(), NOW + 1)
            .unwrap_err()
            .code(),
        "timestamp_out_of_range"
    );
}

#[test]
fn header_names_in_any_case() {
    let d = delivery(CREATED);
    for transform in [
        str::to_lowercase as fn(&str) -> String,
        str::to_uppercase,
        |s: &str| s.to_owned(),
    ] {
        let headers: Vec<(String, String)> = d
            .headers
            .iter()
            .map(|(n, v)| (transform(n), v.clone()))
            .collect();
        assert!(hook().parse(&headers, d.body.as_bytes(), NOW).is_ok());
    }
}

#[test]
fn missing_headers_name_the_missing_one() {
    let d = delivery(CREATED);
    for missing in [TIMESTAMP_HEADER, NONCE_HEADER] {
        let mut without = d.clone();
        remove_header(&mut without, missing);
        let e = err(&hook(), &without.headers, d.body.as_bytes(), NOW);
        assert_eq!(e, Error::MissingSignature { header: missing });
        assert!(e.to_string().contains(missing));
    }
    let mut unsigned = d.clone();
    remove_header(&mut unsigned, SIGNATURE_HEADER);
    assert_eq!(
        err(&hook(), &unsigned.headers, d.body.as_bytes(), NOW),
        Error::MissingSignature {
            header: SIGNATURE_HEADER
        }
    );
}

#[test]
fn debug_output_redacts_secrets() {
    let hook = Webhook::builder()
        .encrypt_key("super-secret-key")
        .verification_token("super-secret-token")
        .build()
        .unwrap();
    let debug = format!(
        "{hook:?} {:?}",
        Webhook::builder().encrypt_key("super-secret-key")
    );
    assert!(!debug.contains("super-secret"), "{debug}");
    assert!(debug.contains("redacted"));
}

#[test]
fn the_signature_is_checked_before_decryption() {
    // An undecryptable body under a wrong signature is a signature mismatch,
    // never a decryption error: nothing unauthenticated reaches the cipher.
    let hook = hook();
    let mut d = delivery(CREATED);
    d.body = r#"{"encrypt":"not base64 at all!"}"#.to_owned();
    assert_eq!(code(&hook, &d), "signature_mismatch");
    resign(&mut d, KEY);
    assert_eq!(code(&hook, &d), "decrypt_failed");
}
