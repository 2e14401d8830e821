//! Configuration: keys, tokens, the replay window and the size limit. The
//! walk through a delivery is `crate::pipeline`.

use crate::error::{Error, Setting};
use crate::verify::card::CardSigningToken;
use crate::verify::crypto::{EncryptKey, TokenDigest};

/// Default accepted distance between a delivery's timestamp and `now`.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;
/// The widest accepted distance for a callback (`card.action.trigger`, the
/// legacy message-card callback), whatever the events' window: the
/// platform does not retry callbacks, so no late retry needs a wider one.
pub const CALLBACK_TOLERANCE_SECONDS: u64 = 300;
/// Default maximum body size: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// The largest body size limit a configuration accepts: 64 MiB. Real
/// deliveries are kilobytes; a larger limit only lets one request make the
/// module's memory (which never shrinks) grow by gigabytes, or trap it.
pub const MAX_BODY_BYTES_LIMIT: usize = 64 * 1024 * 1024;

/// The replay window: how far a signed delivery's `X-Lark-Request-Timestamp`
/// may lie behind `now` (`max_age_seconds`) and ahead of it
/// (`max_ahead_seconds`). Retries explain old timestamps; nothing explains
/// timestamps from the future but a skewed clock, so the two sides differ
/// when a dedup store makes old deliveries safe (see SECURITY.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayWindow {
    /// How old a delivery may be, in seconds.
    pub max_age_seconds: u64,
    /// How far ahead of `now` a delivery's timestamp may be, in seconds.
    pub max_ahead_seconds: u64,
}

impl ReplayWindow {
    /// The same distance either side of `now`.
    pub fn symmetric(seconds: u64) -> Self {
        ReplayWindow {
            max_age_seconds: seconds,
            max_ahead_seconds: seconds,
        }
    }

    /// Whether a delivery timestamped `timestamp` is inside the window at `now`.
    pub fn contains(&self, timestamp: i64, now: i64) -> bool {
        if timestamp <= now {
            now.abs_diff(timestamp) <= self.max_age_seconds
        } else {
            timestamp.abs_diff(now) <= self.max_ahead_seconds
        }
    }
}

/// Why a configuration without any secret is refused.
const NOTHING_VERIFIED: &str = "neither an Encrypt Key nor a Verification Token is configured, so \
     any request would be accepted as an event; configure the Encrypt Key and the Verification \
     Token from the app console (a secret missing in this environment?), or opt in to the \
     insecure mode explicitly for local experiments";

/// A configured webhook endpoint: its Encrypt Keys, Verification Tokens,
/// replay window and size limit. Build one with [`Webhook::builder`], keep
/// it for the life of the process, and call [`Webhook::parse`] per delivery.
///
/// # What each configuration guarantees
///
/// | configured | a delivery that `parse` accepts is … |
/// |---|---|
/// | Encrypt Key **and** Verification Token | signed by a holder of the key over these exact bytes, within the replay window, encrypted, and carrying the token. The one unsigned exception, the URL-verification challenge, must decrypt with the key **and** carry the token. This is the recommended setup. |
/// | Encrypt Key only | as above, without the token check. The signature already authenticates every event; the unsigned challenge is accepted when it decrypts with the key to a well-formed challenge. |
/// | Verification Token only | plain JSON carrying the token. There is **no signature**: anyone who learns the token (it travels inside every body) can forge events and replay them forever. Use HTTPS, and prefer adding an Encrypt Key. |
/// | neither | refused by [`WebhookBuilder::build`] unless [`WebhookBuilder::insecure`] says so: only well-formed, anyone can post anything. For local experiments only. |
///
/// In every configuration duplicates are possible (the platform retries):
/// deduplicate on [`crate::EventHeader::event_id`]. Keys, tokens and derived
/// keys are wiped from memory on drop, and `Debug` prints none of them.
///
/// ```
/// let hook = larkhook::Webhook::builder()
///     .encrypt_key("my-encrypt-key")
///     .verification_token("my-verification-token")
///     .build()
///     .unwrap();
/// assert!(format!("{hook:?}").contains("redacted"));
/// assert!(!format!("{hook:?}").contains("my-encrypt-key"));
/// ```
#[derive(Clone, Debug)]
pub struct Webhook {
    keys: Vec<EncryptKey>,
    tokens: Vec<TokenDigest>,
    /// The tokens themselves, for the legacy card callback's SHA-1 (the
    /// scheme signs with the token, so its bytes must be kept; SECURITY.md).
    card_tokens: Vec<CardSigningToken>,
    window: Option<ReplayWindow>,
    max_body_bytes: usize,
}

/// Builds a [`Webhook`]. Every setting has a default; only the secrets are
/// yours to give.
#[derive(Clone, Debug)]
#[must_use]
pub struct WebhookBuilder {
    keys: Vec<EncryptKey>,
    tokens: Vec<TokenDigest>,
    card_tokens: Vec<CardSigningToken>,
    tolerance_seconds: Option<u64>,
    max_age_seconds: Option<u64>,
    max_body_bytes: usize,
    insecure: bool,
    problem: Option<(&'static str, Setting)>,
}

impl Default for WebhookBuilder {
    fn default() -> Self {
        WebhookBuilder {
            keys: Vec::new(),
            tokens: Vec::new(),
            card_tokens: Vec::new(),
            tolerance_seconds: Some(DEFAULT_TOLERANCE_SECONDS),
            max_age_seconds: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            insecure: false,
            problem: None,
        }
    }
}

impl WebhookBuilder {
    /// Adds an Encrypt Key. Add several to rotate keys: a delivery is
    /// accepted with the first key whose signature matches, and decrypted
    /// with that key. The AES key is derived here, once.
    pub fn encrypt_key(mut self, key: &str) -> Self {
        if key.chars().all(char::is_whitespace) {
            self.problem = Some((
                "an Encrypt Key is empty or only whitespace",
                Setting::EncryptKey,
            ));
        }
        self.keys.push(EncryptKey::new(key));
        self
    }

    /// Adds a Verification Token. Add several to rotate tokens; a delivery
    /// must carry one of them. Checked on every delivery, events and
    /// challenges alike; a legacy message-card callback must be signed with
    /// one of them instead.
    pub fn verification_token(mut self, token: &str) -> Self {
        if token.chars().all(char::is_whitespace) {
            self.problem = Some((
                "a Verification Token is empty or only whitespace",
                Setting::VerificationToken,
            ));
        }
        self.tokens.push(TokenDigest::new(token));
        self.card_tokens.push(CardSigningToken::new(token));
        self
    }

    /// The accepted distance, in seconds, between `X-Lark-Request-Timestamp`
    /// and `now`, either side (default 300). `None` switches the replay
    /// window off, e.g. to replay an old captured delivery in a test.
    /// Callbacks keep at most [`CALLBACK_TOLERANCE_SECONDS`] whatever this
    /// says (they are not retried), except when the window is off.
    pub fn tolerance_seconds(mut self, tolerance: Option<u64>) -> Self {
        self.tolerance_seconds = tolerance;
        self
    }

    /// How old a signed delivery may be, in seconds, when that differs from
    /// [`WebhookBuilder::tolerance_seconds`], which then bounds only how far
    /// ahead of `now` a timestamp may be. An endpoint that remembers handled
    /// event ids for longer than this can accept retries that keep their
    /// first attempt's timestamp (see SECURITY.md, "Retry timestamps")
    /// without accepting timestamps from the future. No effect while the
    /// window is switched off.
    ///
    /// ```
    /// use larkhook::{ReplayWindow, Webhook};
    /// let hook = Webhook::builder().encrypt_key("k").max_age_seconds(27_000).build().unwrap();
    /// assert_eq!(
    ///     hook.replay_window(),
    ///     Some(ReplayWindow { max_age_seconds: 27_000, max_ahead_seconds: 300 })
    /// );
    /// ```
    pub fn max_age_seconds(mut self, seconds: u64) -> Self {
        self.max_age_seconds = Some(seconds);
        self
    }

    /// The largest body accepted, in bytes (default 1 MiB, at most
    /// [`MAX_BODY_BYTES_LIMIT`], 64 MiB). Checked before anything else.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        if limit == 0 {
            self.problem = Some((
                "the body size limit must be at least 1 byte",
                Setting::MaxBodyBytes,
            ));
        } else if limit > MAX_BODY_BYTES_LIMIT {
            self.problem = Some((
                "the body size limit must be at most 64 MiB (67108864 bytes)",
                Setting::MaxBodyBytes,
            ));
        }
        self.max_body_bytes = limit;
        self
    }

    /// Accepts a configuration with neither an Encrypt Key nor a
    /// Verification Token, which verifies nothing: anyone can post anything.
    /// Without this, such a configuration is refused (fail closed), so that a
    /// secret missing in one environment cannot silently accept forgeries.
    /// For local experiments and tools that only read deliveries.
    ///
    /// ```
    /// use larkhook::Webhook;
    /// assert_eq!(Webhook::builder().build().unwrap_err().code(), "invalid_config");
    /// assert!(Webhook::builder().insecure(true).build().is_ok());
    /// ```
    pub fn insecure(mut self, insecure: bool) -> Self {
        self.insecure = insecure;
        self
    }

    /// Finishes the configuration.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a key or token that is empty or only
    /// whitespace, a size limit of 0 or above 64 MiB, or neither a key nor a
    /// token without [`WebhookBuilder::insecure`].
    pub fn build(self) -> Result<Webhook, Error> {
        if let Some((reason, setting)) = self.problem {
            return Err(Error::InvalidConfig {
                reason,
                setting: Some(setting),
            });
        }
        if self.keys.is_empty() && self.tokens.is_empty() && !self.insecure {
            return Err(Error::InvalidConfig {
                reason: NOTHING_VERIFIED,
                setting: Some(Setting::Insecure),
            });
        }
        let max_age = self.max_age_seconds;
        Ok(Webhook {
            keys: self.keys,
            tokens: self.tokens,
            card_tokens: self.card_tokens,
            window: self.tolerance_seconds.map(|ahead| ReplayWindow {
                max_age_seconds: max_age.unwrap_or(ahead),
                max_ahead_seconds: ahead,
            }),
            max_body_bytes: self.max_body_bytes,
        })
    }
}

impl Webhook {
    pub(crate) fn keys(&self) -> &[EncryptKey] {
        &self.keys
    }

    pub(crate) fn tokens(&self) -> &[TokenDigest] {
        &self.tokens
    }

    pub(crate) fn card_tokens(&self) -> &[CardSigningToken] {
        &self.card_tokens
    }

    /// The replay window, or `None` when it is switched off.
    pub fn replay_window(&self) -> Option<ReplayWindow> {
        self.window
    }

    /// The window for callbacks: the configured one, at most
    /// [`CALLBACK_TOLERANCE_SECONDS`] either side.
    pub(crate) fn callback_window(&self) -> Option<ReplayWindow> {
        self.window.map(|w| ReplayWindow {
            max_age_seconds: w.max_age_seconds.min(CALLBACK_TOLERANCE_SECONDS),
            max_ahead_seconds: w.max_ahead_seconds.min(CALLBACK_TOLERANCE_SECONDS),
        })
    }

    pub(crate) fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// Starts a configuration with the defaults: no keys, no tokens, a
    /// 300-second window, a 1 MiB limit.
    pub fn builder() -> WebhookBuilder {
        WebhookBuilder::default()
    }
}
