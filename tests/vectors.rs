//! Public vectors (NOTES.md) and vectors produced by OpenSSL and sha256sum
//! (`tests/vectors/generate.sh`), checked against larkhook.

mod common;

// The same suite runs natively and, under wasm-bindgen-test, inside WebAssembly
// (Node and headless Chromium): `make test-wasm`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use larkhook::{Inbound, Webhook};

#[test]
fn documentation_sample_decrypts_to_hello_world() {
    let plain =
        larkhook::decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").unwrap();
    assert_eq!(plain, b"hello world");
}

#[test]
fn official_node_sdk_test_vector_decrypts_to_the_challenge() {
    let encrypted = "tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e";
    let plain = larkhook::decrypt("mazhe.nerd", encrypted).unwrap();
    assert_eq!(
        String::from_utf8(plain).unwrap(),
        r#"{"challenge":"5634b122-c042-4634-bc7f-b07a3c3e77ad","token":"iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6","type":"url_verification"}"#
    );
}

#[test]
fn official_node_sdk_vector_parses_as_an_unsigned_challenge() {
    let body = r#"{"encrypt":"tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e"}"#;
    let hook = Webhook::builder()
        .encrypt_key("mazhe.nerd")
        .verification_token("iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6")
        .build()
        .unwrap();
    let no_headers: [(&str, &str); 0] = [];
    let Inbound::Challenge(c) = hook.parse(&no_headers, body.as_bytes(), NOW).unwrap() else {
        panic!("expected a challenge");
    };
    assert_eq!(c.challenge, "5634b122-c042-4634-bc7f-b07a3c3e77ad");
    assert_eq!(
        c.response_body(),
        r#"{"challenge":"5634b122-c042-4634-bc7f-b07a3c3e77ad"}"#
    );
}

#[test]
fn openssl_ciphertexts_and_sha256sum_signatures_match() {
    let vectors = vectors();
    assert!(vectors.len() >= 7);
    for v in &vectors {
        assert_eq!(
            larkhook::encrypt(&v.key, v.plaintext.as_bytes(), v.iv()),
            v.encrypt,
            "encrypt: {}",
            v.name
        );
        assert_eq!(
            larkhook::decrypt(&v.key, &v.encrypt).unwrap(),
            v.plaintext.as_bytes(),
            "decrypt: {}",
            v.name
        );
        assert_eq!(
            larkhook::sign(&v.timestamp, &v.nonce, &v.key, v.body.as_bytes()),
            v.signature,
            "sign: {}",
            v.name
        );
    }
}

#[test]
fn openssl_event_vectors_parse_with_signature_and_token() {
    for v in vectors()
        .iter()
        .filter(|v| v.plaintext.starts_with("{\"schema\""))
    {
        let hook = Webhook::builder()
            .encrypt_key(&v.key)
            .verification_token(TOKEN)
            .build()
            .unwrap();
        let now = v.timestamp.parse::<i64>().unwrap();
        let Inbound::Event(event) = hook.parse(&v.headers(), v.body.as_bytes(), now).unwrap()
        else {
            panic!("{}: expected an event", v.name);
        };
        assert!(event.is_typed(), "{}", v.name);
        assert_eq!(event.raw, v.plaintext, "{}", v.name);
    }
}

#[test]
fn openssl_challenge_vector_parses_signed_too() {
    let v = vectors()
        .into_iter()
        .find(|v| v.key == "mazhe.nerd")
        .unwrap();
    let hook = Webhook::builder()
        .encrypt_key(&v.key)
        .verification_token("iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6")
        .build()
        .unwrap();
    let now = v.timestamp.parse::<i64>().unwrap();
    assert!(matches!(
        hook.parse(&v.headers(), v.body.as_bytes(), now).unwrap(),
        Inbound::Challenge(_)
    ));
}
