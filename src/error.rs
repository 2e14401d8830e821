//! Errors: every refusal is a value with a stable [`Error::code`], an
//! [`Error::http_status`] and a message that says what to fix.
//!
//! No variant carries a key or a token, so neither can reach a message, a log
//! line or `Debug` output.

use core::fmt;

use crate::{NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// Why [`crate::Webhook::parse`] (or a fixture tool) refused its input.
///
/// Match on [`Error::code`] rather than on the variant when the answer has to
/// cross a process or language boundary: codes are stable across releases,
/// while new variants may be added (the enum is `#[non_exhaustive]`).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The body is larger than the configured maximum. Checked before any
    /// other work, so an oversized body costs nothing but its length.
    BodyTooLarge {
        /// The configured maximum, in bytes.
        limit: usize,
        /// The body's length, in bytes.
        actual: usize,
    },
    /// A signature header is missing where one is required.
    ///
    /// With an Encrypt Key configured, a delivery without `X-Lark-Signature`
    /// may only be the platform's unsigned URL-verification challenge. Every
    /// way such an unsigned body can fail (bad base64, bad padding, bad UTF-8,
    /// bad JSON, not a challenge, wrong token) is reported as this one
    /// variant with `header` = `X-Lark-Signature`, so the endpoint cannot be
    /// used as a padding oracle.
    MissingSignature {
        /// The canonical name of the missing header.
        header: &'static str,
    },
    /// A signature header occurs more than once.
    DuplicateHeader {
        /// The canonical name of the repeated header.
        header: &'static str,
    },
    /// `X-Lark-Request-Timestamp` is not a plain decimal number of seconds.
    InvalidTimestamp,
    /// `X-Lark-Request-Timestamp` is outside the accepted window around `now`:
    /// a delayed, replayed or mis-clocked delivery.
    TimestampOutOfRange {
        /// The delivery's timestamp, unix seconds.
        timestamp: i64,
        /// The `now` passed to `parse`, unix seconds.
        now: i64,
        /// How old a delivery may be, in seconds.
        max_age_seconds: u64,
        /// How far ahead of `now` a delivery's timestamp may be, in seconds.
        max_ahead_seconds: u64,
    },
    /// No configured Encrypt Key produces `X-Lark-Signature` for this exact
    /// body, timestamp and nonce.
    SignatureMismatch,
    /// A legacy card callback's SHA-1 signature matches no Verification Token (code `signature_mismatch`).
    CardSignatureMismatch,
    /// A legacy card callback arrived, and no Verification Token is configured to verify it.
    TokenRequired,
    /// The body, or the decrypted payload, is not the JSON this step expects.
    InvalidJson {
        /// Which text failed: the request body or the decrypted payload.
        location: JsonLocation,
        /// What the JSON parser reported (category, line and column).
        detail: String,
    },
    /// The `encrypt` field of a signed delivery could not be decrypted.
    DecryptFailed {
        /// Which step failed.
        reason: DecryptFailure,
    },
    /// The body is encrypted (`{"encrypt": ...}`) but no Encrypt Key is
    /// configured.
    KeyRequired,
    /// The body is plain JSON although an Encrypt Key is configured: the
    /// platform always encrypts when a key is set, so a plain body is a
    /// downgrade attempt or a misconfigured sender.
    PlaintextRejected,
    /// The payload's `schema` is neither `"2.0"` nor absent-with-a-legacy-shape.
    UnsupportedSchema {
        /// What was found instead, in words (never the value itself: error
        /// messages quote no payload value).
        found: &'static str,
    },
    /// The payload is JSON but lacks a field every delivery of its schema has,
    /// or a field has an impossible value.
    InvalidEnvelope {
        /// What is wrong, e.g. "`header.event_type` is missing".
        reason: &'static str,
    },
    /// The payload's verification token is missing or matches no configured
    /// Verification Token.
    TokenMismatch {
        /// `false` when the payload carries no token (or a non-string one).
        present: bool,
    },
    /// The configuration is unusable (an empty key or token, a zero size
    /// limit, nothing to verify with). Raised when the [`crate::Webhook`] is
    /// built, never per request.
    InvalidConfig {
        /// What is wrong.
        reason: &'static str,
        /// The setting to change, when one is to blame.
        setting: Option<Setting>,
    },
    /// A caller passed an argument of the wrong shape to a binding or a
    /// fixture tool (for example a 15-byte IV).
    InvalidArgument {
        /// What is wrong.
        reason: String,
    },
}

/// A setting of the configuration, named by concept: messages speak of
/// "the body size limit", and each binding names the option in its own terms
/// (`maxBodyBytes` in JavaScript, [`crate::WebhookBuilder::max_body_bytes`]
/// in Rust). See [`Error::setting`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Setting {
    /// The Encrypt Key(s).
    EncryptKey,
    /// The Verification Token(s).
    VerificationToken,
    /// The replay window, in seconds (either side of `now`, or ahead of it
    /// when the accepted age is set apart).
    ToleranceSeconds,
    /// How old a signed delivery may be, in seconds, when set apart from the
    /// replay window's other side.
    MaxAgeSeconds,
    /// The body size limit, in bytes.
    MaxBodyBytes,
    /// The explicit opt-in to a configuration that verifies nothing.
    Insecure,
}

impl Setting {
    /// Every setting, for bindings that map them to their own option names.
    pub const ALL: &'static [Setting] = &[
        Setting::EncryptKey,
        Setting::VerificationToken,
        Setting::ToleranceSeconds,
        Setting::MaxAgeSeconds,
        Setting::MaxBodyBytes,
        Setting::Insecure,
    ];

    /// A stable snake_case id, e.g. `"max_body_bytes"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::EncryptKey => "encrypt_key",
            Setting::VerificationToken => "verification_token",
            Setting::ToleranceSeconds => "tolerance_seconds",
            Setting::MaxAgeSeconds => "max_age_seconds",
            Setting::MaxBodyBytes => "max_body_bytes",
            Setting::Insecure => "insecure",
        }
    }
}

/// A replay window in words: `±300 s`, or `27000 s old to 300 s ahead`.
pub(crate) fn describe_window(max_age_seconds: u64, max_ahead_seconds: u64) -> String {
    if max_age_seconds == max_ahead_seconds {
        format!("±{max_ahead_seconds} s")
    } else {
        format!("{max_age_seconds} s old to {max_ahead_seconds} s ahead")
    }
}

/// Which JSON text an [`Error::InvalidJson`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonLocation {
    /// The HTTP request body as received.
    Body,
    /// The plaintext decrypted from the body's `encrypt` field.
    Plaintext,
}

/// The step at which decryption of a signed delivery failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecryptFailure {
    /// `encrypt` is not strict standard base64 with padding.
    Base64,
    /// The decoded bytes are not a 16-byte IV followed by at least one whole
    /// 16-byte block.
    Length,
    /// The last block does not end in valid PKCS#7 padding.
    Padding,
    /// The plaintext is not UTF-8.
    Utf8,
}

impl Error {
    /// A stable snake_case identifier, suitable for JSON responses, metrics
    /// and `switch` statements in other languages.
    ///
    /// ```
    /// assert_eq!(larkhook::Error::SignatureMismatch.code(), "signature_mismatch");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::BodyTooLarge { .. } => "body_too_large",
            Error::MissingSignature { .. } => "missing_signature",
            Error::DuplicateHeader { .. } => "duplicate_header",
            Error::InvalidTimestamp => "invalid_timestamp",
            Error::TimestampOutOfRange { .. } => "timestamp_out_of_range",
            Error::SignatureMismatch | Error::CardSignatureMismatch => "signature_mismatch",
            Error::TokenRequired => "token_required",
            Error::InvalidJson { .. } => "invalid_json",
            Error::DecryptFailed { .. } => "decrypt_failed",
            Error::KeyRequired => "key_required",
            Error::PlaintextRejected => "plaintext_rejected",
            Error::UnsupportedSchema { .. } => "unsupported_schema",
            Error::InvalidEnvelope { .. } => "invalid_envelope",
            Error::TokenMismatch { .. } => "token_mismatch",
            Error::InvalidConfig { .. } => "invalid_config",
            Error::InvalidArgument { .. } => "invalid_argument",
        }
    }

    /// The HTTP status an endpoint should answer with: 401 for authentication
    /// failures, 400 for malformed requests, 413 for size, 500 for a server
    /// that is configured wrongly.
    ///
    /// `key_required` is a 500 on purpose: the request is fine, the endpoint
    /// lacks its key, and a 5xx makes the platform retry (for about 7 hours),
    /// so events sent before the fix are not lost.
    pub fn http_status(&self) -> u16 {
        match self {
            Error::BodyTooLarge { .. } => 413,
            Error::MissingSignature { .. }
            | Error::TimestampOutOfRange { .. }
            | Error::SignatureMismatch
            | Error::CardSignatureMismatch
            | Error::TokenMismatch { .. } => 401,
            Error::DuplicateHeader { .. }
            | Error::InvalidTimestamp
            | Error::InvalidJson { .. }
            | Error::DecryptFailed { .. }
            | Error::PlaintextRejected
            | Error::UnsupportedSchema { .. }
            | Error::InvalidEnvelope { .. } => 400,
            Error::KeyRequired | Error::TokenRequired => 500,
            Error::InvalidConfig { .. } | Error::InvalidArgument { .. } => 500,
        }
    }

    /// The setting to change to fix this error, if one is to blame: a
    /// binding names it in its own terms next to the message.
    ///
    /// ```
    /// use larkhook::{Error, Setting};
    /// let e = Error::BodyTooLarge { limit: 10, actual: 11 };
    /// assert_eq!(e.setting(), Some(Setting::MaxBodyBytes));
    /// ```
    pub fn setting(&self) -> Option<Setting> {
        match self {
            Error::BodyTooLarge { .. } => Some(Setting::MaxBodyBytes),
            Error::KeyRequired | Error::PlaintextRejected => Some(Setting::EncryptKey),
            Error::TokenRequired => Some(Setting::VerificationToken),
            Error::TimestampOutOfRange {
                timestamp,
                now,
                max_age_seconds,
                max_ahead_seconds,
            } => {
                let too_old = timestamp <= now;
                let asymmetric = max_age_seconds != max_ahead_seconds;
                Some(if too_old && asymmetric {
                    Setting::MaxAgeSeconds
                } else {
                    Setting::ToleranceSeconds
                })
            }
            Error::InvalidConfig { setting, .. } => *setting,
            _ => None,
        }
    }

    /// Every code [`Error::code`] can return, for documentation and for
    /// exhaustive tests in other languages.
    pub const CODES: &'static [&'static str] = &[
        "body_too_large",
        "missing_signature",
        "duplicate_header",
        "invalid_timestamp",
        "timestamp_out_of_range",
        "signature_mismatch",
        "invalid_json",
        "decrypt_failed",
        "key_required",
        "token_required",
        "plaintext_rejected",
        "unsupported_schema",
        "invalid_envelope",
        "token_mismatch",
        "invalid_config",
        "invalid_argument",
    ];
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BodyTooLarge { limit, actual } => write!(
                f,
                "the body is {actual} bytes, over the {limit}-byte limit; raise the body size \
                 limit if your events are really this large"
            ),
            Error::MissingSignature { header } if *header == SIGNATURE_HEADER => write!(
                f,
                "the delivery has no {SIGNATURE_HEADER} header; with an Encrypt Key configured only \
                 the platform's URL-verification challenge may arrive unsigned, and this body is not \
                 a challenge for the configured key and token. If this is a real event, make sure \
                 the proxy in front of the endpoint passes the X-Lark-* headers through"
            ),
            Error::MissingSignature { header } => write!(
                f,
                "the {header} header is missing; a signed delivery carries {TIMESTAMP_HEADER}, \
                 {NONCE_HEADER} and {SIGNATURE_HEADER} together"
            ),
            Error::DuplicateHeader { header } => write!(
                f,
                "the {header} header appears more than once; pass each header once, as received"
            ),
            Error::InvalidTimestamp => write!(
                f,
                "{TIMESTAMP_HEADER} must be unix seconds as plain decimal digits (no sign, no \
                 fraction, at most 18 digits)"
            ),
            Error::TimestampOutOfRange { .. } => out_of_range(f, self),
            Error::SignatureMismatch => write!(
                f,
                "{SIGNATURE_HEADER} does not match the body for any configured Encrypt Key. Pass \
                 the raw body bytes exactly as received: a body that was parsed and re-serialized \
                 (JSON.parse then JSON.stringify, a framework's JSON body parser) no longer \
                 matches. Otherwise the Encrypt Key differs from the one in the app console"
            ),
            Error::CardSignatureMismatch | Error::TokenRequired => self.fmt_card(f),
            Error::InvalidJson { location, detail } => write!(
                f,
                "{} is not valid JSON of the expected shape: {detail}",
                location.what()
            ),
            Error::DecryptFailed { reason } => {
                write!(f, "decryption failed: {}", reason.explanation())
            }
            Error::KeyRequired => write!(
                f,
                "the body is encrypted ({{\"encrypt\": ...}}) but no Encrypt Key is configured; \
                 configure the Encrypt Key from the app console"
            ),
            Error::PlaintextRejected => write!(
                f,
                "the body is not encrypted although an Encrypt Key is configured; the platform \
                 always encrypts when a key is set, so a plain body is refused"
            ),
            Error::UnsupportedSchema { found } => write!(
                f,
                "unsupported event schema: {found}; larkhook understands schema \"2.0\" events, \
                 legacy \"event_callback\" (1.0) events and url_verification"
            ),
            Error::InvalidEnvelope { reason } => write!(f, "malformed event envelope: {reason}"),
            Error::TokenMismatch { present: true } => write!(
                f,
                "the payload's verification token matches no configured Verification Token; copy \
                 it again from the app console (Events & Callbacks, Encryption Strategy)"
            ),
            Error::TokenMismatch { present: false } => write!(
                f,
                "the payload carries no verification token but a Verification Token is configured"
            ),
            Error::InvalidConfig { reason, .. } => write!(f, "invalid configuration: {reason}"),
            Error::InvalidArgument { reason } => write!(f, "invalid argument: {reason}"),
        }
    }
}

/// The message of [`Error::TimestampOutOfRange`]: how far off, which way.
fn out_of_range(f: &mut fmt::Formatter<'_>, error: &Error) -> fmt::Result {
    let Error::TimestampOutOfRange {
        timestamp,
        now,
        max_age_seconds,
        max_ahead_seconds,
    } = *error
    else {
        return Ok(());
    };
    let amount = now.abs_diff(timestamp);
    let direction = if now >= timestamp {
        "in the past"
    } else {
        "in the future"
    };
    let window = describe_window(max_age_seconds, max_ahead_seconds);
    write!(
        f,
        "{TIMESTAMP_HEADER} is {amount} seconds {direction}, outside the accepted \
         window of {window}; check the server clock, or pass an explicit `now` when \
         replaying an old capture"
    )
}

impl JsonLocation {
    /// What held the JSON, for a message.
    fn what(self) -> &'static str {
        match self {
            JsonLocation::Body => "the request body",
            JsonLocation::Plaintext => "the decrypted payload",
        }
    }
}

impl DecryptFailure {
    /// Why decryption failed, for a message.
    fn explanation(self) -> &'static str {
        match self {
            DecryptFailure::Base64 => {
                "`encrypt` is not standard base64 with padding (no whitespace, no \
                 URL-safe alphabet)"
            }
            DecryptFailure::Length => {
                "the decoded `encrypt` is not a 16-byte IV followed by whole 16-byte blocks"
            }
            DecryptFailure::Padding => {
                "the plaintext does not end in valid PKCS#7 padding (was it encrypted with \
                 AES-256-CBC and the key SHA-256(Encrypt Key)?)"
            }
            DecryptFailure::Utf8 => "the decrypted plaintext is not UTF-8",
        }
    }
}

impl fmt::Debug for Error {
    /// `Debug` shows the code and the message; neither ever holds a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {self})", self.code())
    }
}

impl std::error::Error for Error {}

/// Why the typed model of a known event type could not be decoded.
///
/// This is not a failure of `parse`: the event still arrives, untyped, with
/// this value beside it, so nothing the platform sent is lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Where in the event the problem is, e.g. `ticket.comments[0].id`
    /// (`.` for the event object itself).
    pub path: String,
    /// What the decoder expected there.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A serde message without the value it quotes, keeping its kind:
/// `invalid type: string "…", expected X` → `invalid type: string, expected X`;
/// `unknown variant `…`, expected X` → `unknown variant, expected X`. Error
/// messages never quote a payload value: the request path's never hold one
/// (`decode::expect`); this scrubs serde's, from `decode::rust_view`.
pub(crate) fn without_value(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.rsplit_once(", expected ") {
            Some((_, expected)) => format!("unknown variant, expected {expected}"),
            None => String::from("unknown variant"),
        };
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        // serde's own `, expected …` comes last, after the quoted value.
        let Some((found, expected)) = rest.rsplit_once(", expected ") else {
            continue;
        };
        let kind = match found.split_whitespace().next() {
            Some("floating") => "floating point",
            Some(word) if word.bytes().all(|b| b.is_ascii_alphabetic()) => word,
            _ => "value",
        };
        return format!("{prefix}{kind}, expected {expected}");
    }
    message.to_owned()
}
