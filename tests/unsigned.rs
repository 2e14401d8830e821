//! The unsigned path: with an Encrypt Key configured, only the
//! URL-verification challenge may arrive without a signature, answered
//! exactly; every other unsigned delivery gets the very same error (no
//! padding oracle).

mod common;

// The same suite runs natively and, under wasm-bindgen-test, inside WebAssembly
// (Node and headless Chromium): `make test-wasm`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use larkhook::*;

#[test]
fn unsigned_challenge_is_accepted_and_echoed_exactly() {
    let d =
        DeliveryBuilder::new(r#"{"challenge":"a\"b\\c</script>\u0001","type":"url_verification"}"#)
            .verification_token(TOKEN)
            .encrypt(KEY, [4; 16])
            .build()
            .unwrap();
    let Inbound::Challenge(c) = hook().parse(&d.headers, d.body.as_bytes(), NOW).unwrap() else {
        panic!()
    };
    assert_eq!(c.challenge, "a\"b\\c</script>\u{1}");
    assert_eq!(
        c.response_body(),
        r#"{"challenge":"a\"b\\c</script>\u0001"}"#
    );
    let echoed: serde_json::Value = serde_json::from_str(&c.response_body()).unwrap();
    assert_eq!(echoed["challenge"], "a\"b\\c</script>\u{1}");
}

#[test]
fn plain_challenge_without_a_key() {
    let hook = Webhook::builder()
        .verification_token(TOKEN)
        .build()
        .unwrap();
    let Inbound::Challenge(c) = hook
        .parse(&NO_HEADERS, challenge_json(TOKEN).as_bytes(), NOW)
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(c.challenge, "c-1");
    assert_eq!(
        hook.parse(&NO_HEADERS, challenge_json("wrong").as_bytes(), NOW)
            .unwrap_err()
            .code(),
        "token_mismatch"
    );
}

#[test]
fn every_unsigned_failure_is_the_same_error() {
    let hook = hook();
    let expected = Error::MissingSignature {
        header: SIGNATURE_HEADER,
    };
    let encrypted = |plaintext: &str| {
        format!(
            r#"{{"encrypt":"{}"}}"#,
            larkhook::encrypt(KEY, plaintext.as_bytes(), [8; 16])
        )
    };
    let wrong_key_challenge = DeliveryBuilder::new(&challenge_json(TOKEN))
        .encrypt("other", [8; 16])
        .build()
        .unwrap()
        .body;
    let valid = encrypted(&challenge_json(TOKEN));
    let raw = larkhook::decrypt(KEY, &valid[12..valid.len() - 2]).unwrap();
    assert!(raw.starts_with(b"{\"challenge\""));
    // Flip the last byte of the second-to-last ciphertext block: that byte is
    // XORed into the final plaintext byte, the padding length.
    let mut bad_padding = base64_decode(&valid[12..valid.len() - 2]);
    let last = bad_padding.len() - 17;
    bad_padding[last] ^= 0x5a;
    let bad_padding = format!(r#"{{"encrypt":"{}"}}"#, base64_encode(&bad_padding));

    let cases: Vec<(&str, String)> = vec![
        ("not JSON", "{".into()),
        (
            "not UTF-8",
            String::from_utf8_lossy(b"\xff\xfe").into_owned(),
        ),
        ("bad base64", r#"{"encrypt":"%%%"}"#.into()),
        (
            "short ciphertext",
            r#"{"encrypt":"AAAAAAAAAAAAAAAAAAAAAA=="}"#.into(),
        ),
        ("bad padding", bad_padding),
        ("wrong key", wrong_key_challenge),
        ("not a challenge", encrypted(CREATED)),
        ("wrong token", encrypted(&challenge_json("wrong"))),
        (
            "no token",
            encrypted(r#"{"challenge":"x","type":"url_verification"}"#),
        ),
        ("not JSON inside", encrypted("hello")),
        (
            "challenge not a string",
            encrypted(&format!(
                r#"{{"challenge":1,"token":"{TOKEN}","type":"url_verification"}}"#
            )),
        ),
    ];
    for (name, body) in cases {
        let e = err(&hook, &[], body.as_bytes(), NOW);
        assert_eq!(e, expected, "{name}");
        assert_eq!(
            (e.code(), e.http_status(), e.to_string()),
            (expected.code(), 401, expected.to_string()),
            "{name}"
        );
    }
    // A plain body is refused as such on either path.
    assert_eq!(
        err(&hook, &[], challenge_json(TOKEN).as_bytes(), NOW).code(),
        "plaintext_rejected"
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}
