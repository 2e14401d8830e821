//! The legacy message-card callback's signature:
//! `SHA-1(timestamp || nonce || Verification Token || raw body)`, 40 hex
//! digits where an event's SHA-256 has 64 (the platform's scheme, SHA-1 its
//! choice), and the words for its two refusals. The walk that checks it is
//! `crate::legacy_card`; the comparison is `crypto::digests_match`.

use core::fmt;

use sha1::Digest as _;
use sha1::Sha1;
use zeroize::Zeroizing;

use crate::SIGNATURE_HEADER;
use crate::error::Error;
use crate::verify::crypto::on_wiped_stack;

/// The length of a legacy card callback's `X-Lark-Signature`: 40 hex
/// digits of SHA-1 (an event's, SHA-256, has 64). Telling the two schemes
/// apart by it needs nothing but the header (trimmed of spaces and tabs).
pub const CARD_SIGNATURE_HEX_LEN: usize = 40;

/// A Verification Token as the legacy message-card callback's signature
/// needs it: its bytes, hashed into `SHA-1(timestamp || nonce || token ||
/// body)`. Wiped from memory on drop; `Debug` prints nothing of it.
#[derive(Clone)]
pub(crate) struct CardSigningToken(Zeroizing<Vec<u8>>);

impl core::fmt::Debug for CardSigningToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("CardSigningToken(<redacted>)")
    }
}

impl CardSigningToken {
    pub(crate) fn new(token: &str) -> Self {
        CardSigningToken(Zeroizing::new(token.as_bytes().to_vec()))
    }

    /// `SHA-1(timestamp || nonce || token || body)`: the platform's scheme
    /// for the legacy callback (SHA-1 is what it sends; the Verification
    /// Token is the secret, the body the raw bytes).
    /// Run on a wiped stack, as every hash of a secret (see [`on_wiped_stack`]).
    pub(crate) fn signature_digest(&self, timestamp: &str, nonce: &str, body: &[u8]) -> [u8; 20] {
        on_wiped_stack(|| {
            let mut hasher = Sha1::new();
            for part in [timestamp.as_bytes(), nonce.as_bytes(), &self.0, body] {
                hasher.update(part);
            }
            hasher.finalize().into()
        })
    }
}

/// Computes a legacy message-card callback's `X-Lark-Signature`: lowercase
/// hex of `SHA-1(timestamp || nonce || verification_token || body)`, with
/// `body` the raw bytes as sent.
///
/// ```
/// let signature = larkhook::sign_card_action("1700000000", "nonce", "v-token", br#"{"open_id":"ou_1"}"#);
/// assert_eq!(signature.len(), 40);
/// ```
pub fn sign_card_action(
    timestamp: &str,
    nonce: &str,
    verification_token: &str,
    body: &[u8],
) -> String {
    let token = CardSigningToken::new(verification_token);
    base16ct::lower::encode_string(&token.signature_digest(timestamp, nonce, body))
}

impl Error {
    /// The legacy card callback's two messages (out of `fmt`, which stays short).
    pub(crate) fn fmt_card(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::CardSignatureMismatch => write!(
                f,
                "{SIGNATURE_HEADER} of this legacy card callback (SHA-1) matches no configured \
                 Verification Token: pass the raw body exactly as received (not re-serialized), \
                 or check the token against the app console"
            ),
            Error::TokenRequired => write!(
                f,
                "a legacy card callback ({SIGNATURE_HEADER} of 40 hex digits, SHA-1) is signed \
                 with the Verification Token, and none is configured: configure it from the app \
                 console"
            ),
            _ => Ok(()),
        }
    }
}
