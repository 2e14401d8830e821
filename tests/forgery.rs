//! Forged signatures and tokens: a mismatch in the first byte and one in
//! the last take the same path with the same error, and a SHA-256
//! length-extension of a signed body is refused.

use larkhook::{DeliveryBuilder, Error, SIGNATURE_HEADER, Webhook};

// ---- comparisons: one path for any mismatch -------------------------------

/// A signature that differs from the right one in its first byte and one that
/// differs in its last byte are refused by the same path, with the same error;
/// likewise tokens that differ in their first or last character. (The
/// comparisons are `subtle::ConstantTimeEq`; see the unit test in
/// `src/verify/crypto.rs`.)
#[test]
fn first_and_last_byte_mismatches_take_the_same_path() {
    const KEY: &str = "hostile-encrypt-key-6d1f";
    const TOKEN: &str = "hostile-verification-token-c0a7";
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"x.y"},"event":{}}"#;
    let d = DeliveryBuilder::new(event)
        .verification_token(TOKEN)
        .encrypt(KEY, [5; 16])
        .sign(1_700_000_000, "n")
        .build()
        .unwrap();
    let hook = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .build()
        .unwrap();
    assert!(
        hook.parse(&d.headers, d.body.as_bytes(), 1_700_000_000)
            .is_ok()
    );

    let flip = |hex_sig: &str, at: usize| {
        let mut chars: Vec<char> = hex_sig.chars().collect();
        chars[at] = if chars[at] == '0' { '1' } else { '0' };
        chars.into_iter().collect::<String>()
    };
    let signature = d
        .headers
        .iter()
        .find(|(n, _)| n == SIGNATURE_HEADER)
        .unwrap()
        .1
        .clone();
    let mut errors = Vec::new();
    for at in [0, 1, 62, 63] {
        let headers: Vec<(String, String)> = d
            .headers
            .iter()
            .map(|(n, v)| {
                let v = if n == SIGNATURE_HEADER {
                    flip(&signature, at)
                } else {
                    v.clone()
                };
                (n.clone(), v)
            })
            .collect();
        errors.push(
            hook.parse(&headers, d.body.as_bytes(), 1_700_000_000)
                .unwrap_err(),
        );
    }
    assert!(errors.iter().all(|e| *e == Error::SignatureMismatch));
    assert!(
        errors
            .windows(2)
            .all(|w| w[0].to_string() == w[1].to_string())
    );

    let mut token_errors = Vec::new();
    for wrong in [
        "Xostile-verification-token-c0a7",
        "hostile-verification-token-c0aX",
    ] {
        let d = DeliveryBuilder::new(event)
            .verification_token(wrong)
            .encrypt(KEY, [5; 16])
            .sign(1_700_000_000, "n")
            .build()
            .unwrap();
        token_errors.push(
            hook.parse(&d.headers, d.body.as_bytes(), 1_700_000_000)
                .unwrap_err(),
        );
    }
    assert_eq!(token_errors[0], Error::TokenMismatch { present: true });
    assert_eq!(token_errors[0], token_errors[1]);
    assert_eq!(token_errors[0].to_string(), token_errors[1].to_string());
}

// ---- length extension ---------------------------------------------------

/// SHA-256's padding for a message of `len` bytes.
fn sha256_padding(len: usize) -> Vec<u8> {
    let mut pad = vec![0x80];
    while (len + pad.len()) % 64 != 56 {
        pad.push(0);
    }
    pad.extend_from_slice(&((len as u64) * 8).to_be_bytes());
    pad
}

/// The platform's signature is `SHA-256(timestamp || nonce || key || body)`,
/// a plain hash rather than an HMAC, so whoever sees one signed delivery can
/// compute a valid signature for `body || SHA-256 padding || anything`
/// without the key (length extension; only the key's length must be
/// guessed). This test performs that forgery and checks that it is real (the
/// forged signature equals `sign` over the extended body) and that larkhook
/// still refuses the extended body: the padding begins with the byte 0x80,
/// which cannot follow the body's closing `}` in UTF-8, and JSON allows
/// nothing after the top-level value.
#[test]
fn length_extension_forgeries_are_refused() {
    const KEY: &str = "hostile-encrypt-key-6d1f";
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"x.y"},"event":{}}"#;
    let d = DeliveryBuilder::new(event)
        .encrypt(KEY, [9; 16])
        .sign(1_700_000_000, "nonce")
        .build()
        .unwrap();
    let get = |name: &str| d.headers.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let (ts, nonce, signature) = (
        get(larkhook::TIMESTAMP_HEADER),
        get(larkhook::NONCE_HEADER),
        get(SIGNATURE_HEADER),
    );
    let hook = Webhook::builder().encrypt_key(KEY).build().unwrap();

    for suffix in [&br#",{"encrypt":"x"}"#[..], b" ", b"\n", &[0u8; 70][..]] {
        // The attacker knows everything but the key, and tries its length.
        let signed_len = ts.len() + nonce.len() + KEY.len() + d.body.len();
        let glue = sha256_padding(signed_len);
        let mut state = [0u32; 8];
        let digest: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&signature[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        for (word, bytes) in state.iter_mut().zip(digest.chunks(4)) {
            *word = u32::from_be_bytes(bytes.try_into().unwrap());
        }
        let total = signed_len + glue.len() + suffix.len();
        let mut tail = suffix.to_vec();
        tail.extend(sha256_padding(total));
        let blocks: Vec<[u8; 64]> = tail.chunks(64).map(|c| c.try_into().unwrap()).collect();
        sha2::block_api::compress256(&mut state, &blocks);
        let forged: String = state.iter().map(|w| format!("{w:08x}")).collect();

        let mut extended = d.body.clone().into_bytes();
        extended.extend_from_slice(&glue);
        extended.extend_from_slice(suffix);
        // The forgery is real: it is the signature of the extended body.
        assert_eq!(forged, larkhook::sign(&ts, &nonce, KEY, &extended));

        let headers = [
            (larkhook::TIMESTAMP_HEADER, ts.as_str()),
            (larkhook::NONCE_HEADER, nonce.as_str()),
            (SIGNATURE_HEADER, forged.as_str()),
        ];
        let e = hook.parse(&headers, &extended, 1_700_000_000).unwrap_err();
        // The signature verifies; the body is then refused as not JSON text.
        assert_eq!(e.code(), "invalid_json", "{e}");
    }
}
