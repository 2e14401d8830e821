//! `Webhook::parse` on arbitrary headers and bodies, under every
//! configuration (no key, one or two keys, none, one or two tokens), with the
//! body either taken as is or turned by the harness into a correctly signed
//! and/or encrypted delivery, so that the fuzzer reaches the stages behind the
//! signature check. The inspector's walk (`Webhook::inspect`) runs on
//! every input too.
//!
//! Input format (so that seeds can be written by hand, see `make_seeds.py`):
//!
//! ```text
//! byte 0      bits 0-1 keys (0, 1, 2), bits 2-3 tokens (0, 1, 2),
//!             bits 4-6 mode (see `Mode`), bit 7 replay window off
//! then        header lines `name:value` separated by `\n`, an empty line,
//!             then the body; without an empty line everything is the body.
//!             A header line `@now:<i64>` sets `now` (default 1700000000).
//! ```
#![no_main]

mod common;

use common::{KEYS, NOW, TOKENS, check_error, check_inbound};
use larkhook::{Inbound, NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, Webhook};
use libfuzzer_sys::fuzz_target;

/// How the harness turns the fuzzed body into the delivery.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// Headers and body exactly as fuzzed.
    Raw,
    /// The fuzzed body, signed correctly with the first key.
    SignedBody,
    /// The body is the plaintext: encrypted with the first key and signed.
    SignedPlaintext,
    /// The body is the plaintext: encrypted with the first key, unsigned
    /// (the URL-verification path).
    UnsignedPlaintext,
    /// The body is the `encrypt` string itself, wrapped and signed.
    SignedEncryptField,
}

fn is_signature_header(name: &str) -> bool {
    [TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

fuzz_target!(|data: &[u8]| {
    let Some((&config, rest)) = data.split_first() else {
        return;
    };
    let keys = &KEYS[..usize::from(config & 3).min(2)];
    let tokens = &TOKENS[..usize::from((config >> 2) & 3).min(2)];
    let mode = match (config >> 4) & 7 {
        1 | 5 => Mode::SignedBody,
        2 | 6 => Mode::SignedPlaintext,
        3 | 7 => Mode::UnsignedPlaintext,
        4 => Mode::SignedEncryptField,
        _ => Mode::Raw,
    };
    let mut builder = Webhook::builder().insecure(true);
    if config & 0x80 != 0 {
        builder = builder.tolerance_seconds(None);
    }
    for key in keys {
        builder = builder.encrypt_key(key);
    }
    for token in tokens {
        builder = builder.verification_token(token);
    }
    let hook = builder.build().expect("valid configuration");

    let (head, fuzzed_body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&rest[..at], &rest[at + 2..]),
        None => (&rest[..0], rest),
    };
    let head = String::from_utf8_lossy(head);
    let mut now = NOW;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split('\n') {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        if name == "@now" {
            now = value.trim().parse().unwrap_or(NOW);
        } else {
            headers.push((name.to_owned(), value.to_owned()));
        }
    }

    // The key the harness signs and encrypts with (the first configured one,
    // or a key the webhook does not know when none is configured).
    let key = keys.first().copied().unwrap_or("unconfigured-key");
    let iv = [0x42; 16];
    let body: Vec<u8> = match mode {
        Mode::Raw | Mode::SignedBody => fuzzed_body.to_vec(),
        Mode::SignedPlaintext | Mode::UnsignedPlaintext => {
            let e = larkhook::encrypt(key, fuzzed_body, iv);
            format!(r#"{{"encrypt":"{e}"}}"#).into_bytes()
        }
        Mode::SignedEncryptField => {
            let field = serde_json::to_string(&String::from_utf8_lossy(fuzzed_body))
                .expect("a string serializes");
            format!(r#"{{"encrypt":{field}}}"#).into_bytes()
        }
    };
    let signed = !matches!(mode, Mode::Raw | Mode::UnsignedPlaintext);
    if mode == Mode::UnsignedPlaintext {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(SIGNATURE_HEADER));
    }
    if signed {
        // Keep the fuzzed timestamp and nonce (the first of each), replace
        // the signature with a valid one.
        let find = |h: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(h))
                .map(|(_, v)| v.trim_matches([' ', '\t']).to_owned())
        };
        let ts = find(TIMESTAMP_HEADER).unwrap_or_else(|| NOW.to_string());
        let nonce = find(NONCE_HEADER).unwrap_or_else(|| "n".to_owned());
        headers.retain(|(n, _)| !is_signature_header(n));
        let signature = larkhook::sign(&ts, &nonce, key, &body);
        headers.push((TIMESTAMP_HEADER.to_owned(), ts));
        headers.push((NONCE_HEADER.to_owned(), nonce));
        headers.push((SIGNATURE_HEADER.to_owned(), signature));
    }

    let result = hook.parse(&headers, &body, now);
    // Deterministic: the same input gives the same answer.
    assert_eq!(result, hook.parse(&headers, &body, now));

    // What JavaScript receives for it: ASCII JSON, whatever the delivery held.
    if let Ok(verified) = hook.verify(&headers, &body, now) {
        let mut out = Vec::new();
        larkhook_wasm::write_result(&mut out, &verified);
        assert!(out.is_ascii(), "the result JSON for JavaScript is not ASCII");
        let text = std::str::from_utf8(&out).expect("ASCII is UTF-8");
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .unwrap_or_else(|e| panic!("the result JSON for JavaScript does not parse: {e}: {text}"));
    }

    // The inspector's walk over the same delivery: never panics, its verdict
    // is parse's, and no step names a configured secret.
    let report = hook.inspect(&headers, &body, now);
    assert_eq!(
        report.outcome, result,
        "inspect's verdict differs from parse"
    );
    let details: String = report.steps.iter().map(|s| s.detail.as_str()).collect();
    for secret in KEYS.iter().chain(TOKENS.iter()) {
        if details.contains(secret) {
            assert!(
                common::contains(&[data, &body].concat(), secret.as_bytes()),
                "an inspect step names a secret: {details}"
            );
        }
    }

    // A fuzzed delivery may carry a valid signature too (the seeds made from
    // the test vectors do): recompute it independently.
    let header = |h: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(h))
            .map(|(_, v)| v.trim_matches([' ', '\t']))
    };
    let validly_signed = match (
        header(TIMESTAMP_HEADER),
        header(NONCE_HEADER),
        header(SIGNATURE_HEADER),
    ) {
        (Some(ts), Some(nonce), Some(sig)) => keys
            .iter()
            .any(|k| larkhook::sign(ts, nonce, k, &body).eq_ignore_ascii_case(sig)),
        _ => false,
    };
    let unsigned = !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case(SIGNATURE_HEADER));
    match &result {
        Ok(inbound) => {
            check_inbound(inbound);
            if !keys.is_empty() {
                // With a key, nothing but a harness-signed delivery or an
                // encrypted challenge gets through: the fuzzer cannot forge
                // a SHA-256 signature or an AES-CBC ciphertext.
                match inbound {
                    Inbound::Event(_) => {
                        assert!(validly_signed, "event without a valid signature accepted")
                    }
                    Inbound::Challenge(_) => assert!(
                        validly_signed
                            || mode == Mode::UnsignedPlaintext
                            || contains_encrypt(&body),
                        "challenge accepted without encryption"
                    ),
                }
            }
        }
        Err(e) => {
            let mut all_input = [data, &body].concat();
            for (n, v) in &headers {
                all_input.extend_from_slice(n.as_bytes());
                all_input.extend_from_slice(v.as_bytes());
            }
            check_error(e, &all_input);
            if !keys.is_empty() && unsigned {
                // The unsigned path has exactly these outcomes, and refuses
                // with one and the same error whatever went wrong.
                assert!(
                    matches!(
                        e.code(),
                        "body_too_large"
                            | "duplicate_header"
                            | "missing_signature"
                            | "plaintext_rejected"
                    ),
                    "unsigned path answered {}",
                    e.code()
                );
                if e.code() == "missing_signature" {
                    assert_eq!(
                        e,
                        &larkhook::Error::MissingSignature {
                            header: SIGNATURE_HEADER
                        }
                    );
                }
            }
            if !keys.is_empty() && signed && mode != Mode::SignedBody {
                // The harness's own envelope never fails on the outer body.
                assert!(!matches!(
                    e.code(),
                    "plaintext_rejected" | "signature_mismatch"
                ));
            }
            if keys.is_empty() {
                assert!(!matches!(
                    e.code(),
                    "signature_mismatch"
                        | "timestamp_out_of_range"
                        | "invalid_timestamp"
                        | "missing_signature"
                        | "decrypt_failed"
                        | "plaintext_rejected"
                ));
            }
        }
    }
});

fn contains_encrypt(body: &[u8]) -> bool {
    common::contains(body, b"encrypt")
}
