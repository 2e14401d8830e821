//! Key derivation, signatures and AES-256-CBC, all on RustCrypto primitives.
//!
//! # What this does not guarantee
//!
//! AES-CBC gives confidentiality, not integrity: anyone can flip plaintext
//! bits by flipping ciphertext bits. The platform's only integrity check is
//! the signature header, which is why [`crate::Webhook::parse`] verifies it
//! **before** decrypting, and why an unsigned body is accepted only when it is
//! a URL-verification challenge carrying the configured token.

use aes::Aes256;
use aes::cipher::block_padding::NoPadding;
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyInit};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};
use subtle::{
    Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater, ConstantTimeLess,
};
use zeroize::{Zeroize, Zeroizing};

use crate::error::DecryptFailure;

/// AES block size and IV length, in bytes.
const BLOCK: usize = 16;

/// One Encrypt Key: its bytes (hashed into every signature) and the AES-256
/// key schedule derived from `SHA-256(key)` once, at configuration time.
///
/// Both are wiped from memory when the value is dropped (`zeroize`), and
/// `Debug` prints neither.
#[derive(Clone)]
pub(crate) struct EncryptKey {
    secret: Zeroizing<Vec<u8>>,
    cipher: Aes256,
}

impl core::fmt::Debug for EncryptKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("EncryptKey(<redacted>)")
    }
}

impl EncryptKey {
    /// Derives the AES key, `SHA-256(UTF-8 bytes of key)`, and its key
    /// schedule on a stack that is wiped afterwards (see [`on_wiped_stack`]).
    pub(crate) fn new(key: &str) -> Self {
        let cipher = on_wiped_stack(|| {
            let mut derived = sha256_of(&[key.as_bytes()]);
            let cipher = Aes256::new(&derived.into());
            derived.zeroize();
            cipher
        });
        EncryptKey {
            secret: Zeroizing::new(key.as_bytes().to_vec()),
            cipher,
        }
    }

    /// `SHA-256(timestamp || nonce || key || body)`, through [`secret_sha256`].
    pub(crate) fn signature_digest(&self, timestamp: &str, nonce: &str, body: &[u8]) -> [u8; 32] {
        secret_sha256(&[
            timestamp.as_bytes(),
            nonce.as_bytes(),
            self.secret.as_slice(),
            body,
        ])
    }

    /// Strict decryption of a signed delivery's `encrypt` field; each failure
    /// says which step failed (safe only because the signature was verified).
    /// The unsigned path's decryption with its padding verdict applied: one
    /// copy of the CBC code and of the cipher's wipe in the module (the
    /// cloned key schedule is zeroized where it is dropped, an unrolled run
    /// of volatile writes).
    pub(crate) fn decrypt(&self, encrypted: &str) -> Result<Vec<u8>, DecryptFailure> {
        let (plaintext, padding_valid) = self.decrypt_unsigned(encrypted)?;
        if bool::from(padding_valid) {
            Ok(plaintext)
        } else {
            Err(DecryptFailure::Padding)
        }
    }

    /// Decryption for the unsigned path: the padding is checked in constant
    /// time and the result is returned without branching on it, so the
    /// caller can do the same work (JSON parsing) whether or not the padding
    /// was valid, and fold the two outcomes into one answer at the end.
    ///
    /// Returns the plaintext (all blocks, padding removed when valid) and
    /// whether the padding was valid; an error only for what does not depend
    /// on the key (base64, length).
    pub(crate) fn decrypt_unsigned(
        &self,
        encrypted: &str,
    ) -> Result<(Vec<u8>, Choice), DecryptFailure> {
        let mut data = BASE64
            .decode(encrypted.as_bytes())
            .map_err(|_| DecryptFailure::Base64)?;
        let (iv, ciphertext) = split_iv(&mut data)?;
        let all = cbc::Decryptor::<Aes256>::inner_iv_init(self.cipher.clone(), &iv.into())
            .decrypt_padded::<NoPadding>(ciphertext)
            .map_err(|_| DecryptFailure::Length)?
            .len();
        let last = data
            .get(BLOCK..BLOCK.saturating_add(all))
            .ok_or(DecryptFailure::Length)?;
        let (valid, pad_len) = pkcs7_check(last);
        // Both branches keep a prefix of the same buffer; the cut point is the
        // only thing that depends on the padding.
        let keep = all.saturating_sub(usize::from(pad_len));
        Ok((drop_iv(data, keep), valid))
    }
}

/// How much of the stack [`on_wiped_stack`] overwrites below its caller's
/// frame: more than SHA-256 and the AES-256 key expansion use (their state,
/// message schedule and temporaries, and the frames between). Measured in
/// the wasm build with the memory scan of `tests/js/review.test.mjs` (test
/// 8): 512 bytes left a copy of a received token, 1 KiB none; 4 KiB leaves
/// room, for about half a microsecond a hash.
const STACK_WIPE_BYTES: usize = 4 * 1024;

/// SHA-256 of `parts`, one after another: every hash of a secret (an
/// Encrypt Key, a configured or received Verification Token) goes through
/// here, so that the copies the hash leaves on the stack (its block buffer
/// holds the secret's bytes) are wiped.
pub(crate) fn secret_sha256(parts: &[&[u8]]) -> [u8; 32] {
    on_wiped_stack(|| sha256_of(parts))
}

/// SHA-256 of `parts`, one after another: the one instance of the hash in
/// the module (callers that hash a secret run it on a wiped stack).
#[inline(never)]
fn sha256_of(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// Runs `work` one frame down, then overwrites the stack below this frame
/// (4 KiB) with zeros, where `work` and everything it called left their
/// locals: a secret in a hash's block buffer, a key schedule's temporaries,
/// values moved from frame to frame. Safe Rust cannot name stack memory, so
/// the wipe is a zeroized local array in a frame that starts where `work`'s
/// started. The heap is not its concern: secrets there live in `Zeroizing`
/// values.
///
/// Every hash of a secret inside this crate runs on it. A binding that
/// builds a [`crate::Webhook`] from secrets it received can build it on it
/// too, so that the values the builder moves between frames (a token's
/// digest) are wiped as well:
///
/// ```
/// let hook = larkhook::on_wiped_stack(|| {
///     larkhook::Webhook::builder().encrypt_key("my-encrypt-key").build()
/// });
/// assert!(hook.is_ok());
/// ```
pub fn on_wiped_stack<R>(work: impl FnOnce() -> R) -> R {
    let result = run_one_frame_down(work);
    wipe_stack_below();
    result
}

#[inline(never)]
fn run_one_frame_down<R>(work: impl FnOnce() -> R) -> R {
    work()
}

/// `zeroize`'s volatile writes cannot be optimized away, and `black_box`
/// keeps the array (and so its place on the stack) alive until they are done.
#[inline(never)]
fn wipe_stack_below() {
    let mut area = [0u64; STACK_WIPE_BYTES / 8];
    core::hint::black_box(&mut area);
    area.zeroize();
    core::hint::black_box(&area);
}

/// Splits decoded `IV || ciphertext`, requiring at least one whole block
/// after the IV and a whole number of blocks.
fn split_iv(data: &mut [u8]) -> Result<([u8; BLOCK], &mut [u8]), DecryptFailure> {
    if data.len() < BLOCK.saturating_mul(2) || data.len() % BLOCK != 0 {
        return Err(DecryptFailure::Length);
    }
    let (iv, ciphertext) = data.split_at_mut(BLOCK);
    let iv: [u8; BLOCK] = (&*iv).try_into().map_err(|_| DecryptFailure::Length)?;
    Ok((iv, ciphertext))
}

/// Turns the decryption buffer (`IV || plaintext || rest`) into the plaintext
/// without a second allocation.
fn drop_iv(mut data: Vec<u8>, plaintext_len: usize) -> Vec<u8> {
    data.truncate(BLOCK.saturating_add(plaintext_len));
    data.drain(..BLOCK.min(data.len()));
    data
}

/// Constant-time PKCS#7 validation of the last block of `plaintext`.
///
/// Returns whether the padding is valid and the padding length to strip
/// (0 when invalid). Every byte of the last block is examined whatever its
/// value, with `subtle` choices and no early exit.
fn pkcs7_check(plaintext: &[u8]) -> (Choice, u8) {
    let start = plaintext.len().saturating_sub(BLOCK);
    let last = plaintext.get(start..).unwrap_or_default();
    let pad = last.last().copied().unwrap_or(0);
    // Valid pad values are 1..=16, and a whole block must be present.
    let mut valid = pad.ct_gt(&0) & pad.ct_lt(&17) & Choice::from(u8::from(last.len() == BLOCK));
    // `black_box` hides the block's length: a loop rather than 16 unrolled
    // copies of the same constant-time step (the work is the same).
    let last: &[u8] = core::hint::black_box(last);
    for (distance_from_end, byte) in last.iter().rev().enumerate() {
        let distance = distance_from_end as u8;
        let inside_padding = distance.ct_lt(&pad);
        let matches = byte.ct_eq(&pad);
        // Outside the padding any byte is fine; inside it every byte must equal `pad`.
        valid &= !inside_padding | matches;
    }
    (valid, u8::conditional_select(&0, &pad, valid))
}

/// Encrypts `plaintext` the way the platform does: AES-256-CBC with the key
/// `SHA-256(key)`, PKCS#7 padding, `base64(iv || ciphertext)`.
///
/// A fixture tool: real deliveries are encrypted by the platform. The IV must
/// be unpredictable for real secrets; the caller supplies it because this
/// crate has no source of randomness (the JS binding uses
/// `crypto.getRandomValues`).
///
/// ```
/// let encrypted = larkhook::encrypt("test key", b"hello world", [0u8; 16]);
/// assert_eq!(larkhook::decrypt("test key", &encrypted).unwrap(), b"hello world");
/// ```
pub fn encrypt(key: &str, plaintext: &[u8], iv: [u8; 16]) -> String {
    let key = EncryptKey::new(key);
    let ciphertext = cbc::Encryptor::<Aes256>::inner_iv_init(key.cipher.clone(), &iv.into())
        .encrypt_padded_vec::<Pkcs7>(plaintext);
    let mut out = Vec::with_capacity(BLOCK.saturating_add(ciphertext.len()));
    out.extend_from_slice(&iv);
    out.extend_from_slice(&ciphertext);
    BASE64.encode(out)
}

/// Decrypts an `encrypt` value with an Encrypt Key: strict base64, length
/// checks, strict PKCS#7. Returns the plaintext bytes (UTF-8 is not checked
/// here; `parse` checks it).
///
/// This is the stand-alone tool (used by the inspector and in tests);
/// [`crate::Webhook::parse`] also verifies the signature first.
///
/// ```
/// // The platform documentation's sample.
/// let plain = larkhook::decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").unwrap();
/// assert_eq!(plain, b"hello world");
/// ```
pub fn decrypt(key: &str, encrypted: &str) -> Result<Vec<u8>, crate::Error> {
    EncryptKey::new(key)
        .decrypt(encrypted)
        .map_err(|reason| crate::Error::DecryptFailed { reason })
}

/// Computes `X-Lark-Signature`: lowercase hex of
/// `SHA-256(timestamp || nonce || key || body)`, with `body` the raw bytes
/// as sent.
///
/// ```
/// let signature = larkhook::sign("1700000000", "nonce", "key", br#"{"encrypt":"..."}"#);
/// assert_eq!(signature.len(), 64);
/// ```
pub fn sign(timestamp: &str, nonce: &str, key: &str, body: &[u8]) -> String {
    base16ct::lower::encode_string(&EncryptKey::new(key).signature_digest(timestamp, nonce, body))
}

/// Decodes a received signature (hex, either case) in constant time.
/// Anything that is not exactly 64 hex digits yields `None`.
pub(crate) fn decode_signature(received: &str) -> Option<[u8; 32]> {
    decode_hex::<32>(received)
}

/// Decodes `2 × N` hex digits (either case) in constant time (40 for the
/// legacy card callback's SHA-1); anything else yields `None`.
pub(crate) fn decode_hex<const N: usize>(received: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    match base16ct::mixed::decode(received.as_bytes(), &mut out) {
        Ok(decoded) if decoded.len() == N => Some(out),
        _ => None,
    }
}

/// A Verification Token, kept only as its SHA-256 so that comparisons take
/// the same time whatever the received token's length or content.
#[derive(Clone)]
pub(crate) struct TokenDigest(Zeroizing<[u8; 32]>);

impl core::fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("VerificationToken(<redacted>)")
    }
}

impl TokenDigest {
    pub(crate) fn new(token: &str) -> Self {
        TokenDigest(Zeroizing::new(secret_sha256(&[token.as_bytes()])))
    }

    /// Constant-time: see [`digests_match`].
    pub(crate) fn matches(&self, other: &TokenDigest) -> Choice {
        digests_match(&self.0, &other.0)
    }
}

/// The index of the first `Choice` that is true. Every one is looked at and
/// no branch depends on them, so the time taken does not tell which secret
/// matched, or whether one did.
pub(crate) fn first_match(matches: impl Iterator<Item = Choice>) -> Option<usize> {
    let mut found = Choice::from(0);
    let mut index = 0u32;
    for (i, matches) in matches.enumerate() {
        let first = matches & !found;
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        index.conditional_assign(&i, first);
        found |= matches;
    }
    usize::try_from(index).ok().filter(|_| bool::from(found))
}

/// The one comparison of secrets-derived values: the signature checks (32
/// bytes of SHA-256, 20 of the legacy card callback's SHA-1) and the token
/// check all use it. `subtle`'s `ConstantTimeEq` examines every byte
/// without stopping at the first difference, and the answer is a `Choice`,
/// not a `bool` to branch on.
pub(crate) fn digests_match<const N: usize>(a: &[u8; N], b: &[u8; N]) -> Choice {
    bytes_match(a, b)
}

/// [`digests_match`] on slices, out of line: the length is a parameter, so
/// the loop is not unrolled anew (32 or 20 comparisons) at every call site.
#[inline(never)]
fn bytes_match(a: &[u8], b: &[u8]) -> Choice {
    a.ct_eq(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_sample_decrypts() {
        assert_eq!(
            decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").unwrap(),
            b"hello world"
        );
    }

    #[test]
    fn constant_time_pkcs7_agrees_with_the_strict_unpadder() {
        // Every final-byte value and a wrong byte at every position inside the padding.
        for pad in 0u8..=255 {
            let mut block = [0x41u8; 16];
            block[15] = pad;
            if (1..=16).contains(&pad) {
                for b in &mut block[16 - pad as usize..] {
                    *b = pad;
                }
            }
            let (valid, len) = pkcs7_check(&block);
            let expected = (1..=16).contains(&pad);
            assert_eq!(bool::from(valid), expected, "pad {pad}");
            assert_eq!(len, if expected { pad } else { 0 });
            if expected && pad > 1 {
                for wrong_at in 16 - pad as usize..15 {
                    let mut broken = block;
                    broken[wrong_at] ^= 0x80;
                    assert!(
                        !bool::from(pkcs7_check(&broken).0),
                        "pad {pad} wrong at {wrong_at}"
                    );
                }
            }
        }
    }

    #[test]
    fn unsigned_decryption_matches_strict_decryption() {
        for len in [0usize, 1, 15, 16, 17, 100] {
            let plain = vec![b'x'; len];
            let enc = encrypt("k", &plain, [7u8; 16]);
            let key = EncryptKey::new("k");
            let (text, valid) = key.decrypt_unsigned(&enc).unwrap();
            assert!(bool::from(valid));
            assert_eq!(text, plain);
            assert_eq!(key.decrypt(&enc).unwrap(), plain);
        }
    }

    #[test]
    fn signature_and_token_comparisons_are_subtle_constant_time() {
        // The comparison is subtle's `ConstantTimeEq` on byte slices, and
        // yields a `Choice`.
        fn subtle_ct_eq<T: ConstantTimeEq + ?Sized>(_: &T) {}
        subtle_ct_eq(&[0u8; 32][..]);
        let compare: fn(&[u8; 32], &[u8; 32]) -> Choice = digests_match;

        // It is what the signature check and the token check call (read from
        // the source, so that a later `==` cannot slip in unnoticed). The
        // needles are assembled so that this test's own text is not a match.
        let signature_call = ["digests_match(", "&expected, &received)"].concat();
        let token_call = ["digests_match(", "&self.0, &other.0)"].concat();
        assert!(include_str!("../pipeline.rs").contains(&signature_call));
        assert!(include_str!("crypto.rs").contains(&token_call));
        for source in [include_str!("../pipeline.rs"), include_str!("token.rs")] {
            assert!(!source.contains("expected == received"));
            assert!(!source.contains(".0 == "));
        }

        // A difference in the first byte and one in the last byte are both
        // refused, by the same function.
        let digest = [0x5a_u8; 32];
        let mut first = digest;
        first[0] ^= 0x01;
        let mut last = digest;
        last[31] ^= 0x80;
        assert!(bool::from(compare(&digest, &digest)));
        assert!(!bool::from(compare(&digest, &first)));
        assert!(!bool::from(compare(&digest, &last)));

        // Tokens differing in the first or the last character.
        let token = TokenDigest::new("token-abc");
        assert!(bool::from(token.matches(&TokenDigest::new("token-abc"))));
        assert!(!bool::from(token.matches(&TokenDigest::new("Xoken-abc"))));
        assert!(!bool::from(token.matches(&TokenDigest::new("token-abX"))));
    }

    #[test]
    fn secrets_are_held_in_types_that_wipe_on_drop() {
        // The types EncryptKey, TokenDigest and token::check_token keep
        // secrets in: each wipes its memory when dropped.
        fn wipes_on_drop<T: zeroize::ZeroizeOnDrop + ?Sized>() {}
        wipes_on_drop::<Aes256>();
        wipes_on_drop::<Zeroizing<Vec<u8>>>();
        wipes_on_drop::<Zeroizing<[u8; 32]>>();
        wipes_on_drop::<Zeroizing<String>>();
        let key = EncryptKey::new("k");
        let _: &Zeroizing<Vec<u8>> = &key.secret;
        let _: &Aes256 = &key.cipher;
        let _: &Zeroizing<[u8; 32]> = &TokenDigest::new("t").0;
        assert!(include_str!("token.rs").contains("Zeroizing::new"));
    }

    #[test]
    fn signature_decoding_wants_exactly_64_hex_digits() {
        let hex = "00".repeat(32);
        assert_eq!(decode_signature(&hex), Some([0u8; 32]));
        assert_eq!(decode_signature(&"AB".repeat(32)), Some([0xab; 32]));
        assert_eq!(decode_signature(&"00".repeat(31)), None);
        assert_eq!(decode_signature(&"00".repeat(33)), None);
        assert_eq!(decode_signature(&"zz".repeat(32)), None);
        assert_eq!(decode_signature(""), None);
    }
}
