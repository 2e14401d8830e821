//! `larkhook::decrypt` on arbitrary input. Strict decoding makes decryption
//! injective: whatever decrypts must re-encrypt, with the same IV, to exactly
//! the input.
//!
//! Input format: byte 0 selects the mode; the rest is `key\npayload`.
//! - even: `payload` is the `encrypt` string as is (base64 and length checks);
//! - odd: `payload` is raw bytes, base64-encoded by the harness (cut to whole
//!   blocks when byte 0 & 2), so the fuzzer reaches the padding check.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (key, payload) = match rest.iter().position(|&b| b == b'\n') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (&b"lark-encrypt-key"[..], rest),
    };
    let key = String::from_utf8_lossy(key);
    let encrypted = if mode & 1 == 0 {
        String::from_utf8_lossy(payload).into_owned()
    } else if mode & 2 != 0 {
        STANDARD.encode(&payload[..payload.len() / 16 * 16])
    } else {
        STANDARD.encode(payload)
    };
    match larkhook::decrypt(&key, &encrypted) {
        Ok(plaintext) => {
            let raw = STANDARD
                .decode(&encrypted)
                .expect("accepted input is base64");
            assert!(raw.len() >= 32 && raw.len() % 16 == 0);
            let iv: [u8; 16] = raw[..16].try_into().expect("16 bytes");
            // Between 1 and 16 bytes of padding were removed.
            let removed = raw.len() - 16 - plaintext.len();
            assert!((1..=16).contains(&removed), "removed {removed}");
            assert_eq!(
                larkhook::encrypt(&key, &plaintext, iv),
                encrypted,
                "decrypt accepted a non-canonical encoding"
            );
        }
        Err(e) => {
            assert_eq!(e.code(), "decrypt_failed");
            assert_eq!(e.http_status(), 400);
            // A fixed message per step: nothing of the key or the input.
            assert!(matches!(e, larkhook::Error::DecryptFailed { .. }));
        }
    }
});
