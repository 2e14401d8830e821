//! Configuration and the `parse` pipeline: size → signature → decryption →
//! envelope → token → typed event.

use subtle::ConditionallySelectable;

use crate::crypto::{EncryptKey, TokenDigest, decode_signature, digests_match};
use crate::envelope::{Envelope, classify};
use crate::error::{DecryptFailure, Error, JsonLocation};
use crate::event::Inbound;
use crate::headers::{
    NONCE_HEADER, SIGNATURE_HEADER, SignatureHeaders, TIMESTAMP_HEADER, parse_timestamp,
};

/// Default accepted distance between a delivery's timestamp and `now`.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;
/// Default maximum body size: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

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
    tolerance_seconds: Option<u64>,
    max_body_bytes: usize,
}

/// Builds a [`Webhook`]. Every setting has a default; only the secrets are
/// yours to give.
#[derive(Clone, Debug)]
#[must_use]
pub struct WebhookBuilder {
    keys: Vec<EncryptKey>,
    tokens: Vec<TokenDigest>,
    tolerance_seconds: Option<u64>,
    max_body_bytes: usize,
    insecure: bool,
    problem: Option<&'static str>,
}

impl Default for WebhookBuilder {
    fn default() -> Self {
        WebhookBuilder {
            keys: Vec::new(),
            tokens: Vec::new(),
            tolerance_seconds: Some(DEFAULT_TOLERANCE_SECONDS),
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
        if key.is_empty() {
            self.problem = Some("an Encrypt Key is empty");
        }
        self.keys.push(EncryptKey::new(key));
        self
    }

    /// Adds a Verification Token. Add several to rotate tokens; a delivery
    /// must carry one of them. Checked on every delivery, events and
    /// challenges alike.
    pub fn verification_token(mut self, token: &str) -> Self {
        if token.is_empty() {
            self.problem = Some("a Verification Token is empty");
        }
        self.tokens.push(TokenDigest::new(token));
        self
    }

    /// The accepted distance, in seconds, between `X-Lark-Request-Timestamp`
    /// and `now`, either side (default 300). `None` switches the replay
    /// window off, e.g. to replay an old captured delivery in a test.
    pub fn tolerance_seconds(mut self, tolerance: Option<u64>) -> Self {
        self.tolerance_seconds = tolerance;
        self
    }

    /// The largest body accepted, in bytes (default 1 MiB). Checked before
    /// anything else.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        if limit == 0 {
            self.problem = Some("maxBodyBytes must be at least 1");
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
    /// [`Error::InvalidConfig`] for an empty key or token, a zero size limit,
    /// or neither a key nor a token without [`WebhookBuilder::insecure`].
    pub fn build(self) -> Result<Webhook, Error> {
        if let Some(reason) = self.problem {
            return Err(Error::InvalidConfig { reason });
        }
        if self.keys.is_empty() && self.tokens.is_empty() && !self.insecure {
            return Err(Error::InvalidConfig {
                reason: NOTHING_VERIFIED,
            });
        }
        Ok(Webhook {
            keys: self.keys,
            tokens: self.tokens,
            tolerance_seconds: self.tolerance_seconds,
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

    pub(crate) fn tolerance(&self) -> Option<u64> {
        self.tolerance_seconds
    }

    pub(crate) fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// Starts a configuration with the defaults: no keys, no tokens, a
    /// 300-second window, a 1 MiB limit.
    pub fn builder() -> WebhookBuilder {
        WebhookBuilder::default()
    }

    /// Verifies, decrypts and types one delivery.
    ///
    /// - `headers`: the request's headers as name/value pairs, in any case
    ///   (only the three `X-Lark-*` signature headers are read);
    /// - `body`: the body bytes exactly as received (not re-serialized);
    /// - `now_unix_seconds`: the current time; the crate never reads a clock.
    ///
    /// Steps, in order: size limit; when a key is configured, the signature
    /// headers (timestamp window, then the signature, compared in constant
    /// time) before any decryption; the body (encrypted or plain, as the
    /// configuration demands); decryption (strict base64, length, PKCS#7,
    /// UTF-8); the envelope; the token; the typed event.
    ///
    /// # Errors
    /// An [`Error`] with a stable code and HTTP status; see its variants.
    ///
    /// ```
    /// use larkhook::{DeliveryBuilder, Inbound, Payload, Webhook};
    ///
    /// let event = r#"{"schema":"2.0","header":{"event_id":"e1","event_type":"helpdesk.ticket.created_v1",
    ///     "create_time":"1608725989000","app_id":"cli_1","tenant_key":"t"},
    ///     "event":{"ticket_id":"6626871355780366331","status":50}}"#;
    /// let delivery = DeliveryBuilder::new(event)
    ///     .verification_token("token")
    ///     .encrypt("key", [9; 16])
    ///     .sign(1_700_000_000, "nonce")
    ///     .build()
    ///     .unwrap();
    ///
    /// let hook = Webhook::builder().encrypt_key("key").verification_token("token").build().unwrap();
    /// let Inbound::Event(event) = hook.parse(&delivery.headers, delivery.body.as_bytes(), 1_700_000_010).unwrap()
    /// else { panic!("expected an event") };
    /// let Payload::TicketCreated(ticket) = &event.payload else { panic!("expected a typed ticket") };
    /// assert_eq!(ticket.ticket_id.as_deref(), Some("6626871355780366331"));
    /// assert_eq!(ticket.status.unwrap().label_en(), "closed by bot");
    /// ```
    pub fn parse<'h, I, K, V>(
        &self,
        headers: I,
        body: &[u8],
        now_unix_seconds: i64,
    ) -> Result<Inbound, Error>
    where
        I: IntoIterator<Item = &'h (K, V)>,
        K: AsRef<str> + 'h,
        V: AsRef<str> + 'h,
    {
        if body.len() > self.max_body_bytes {
            return Err(Error::BodyTooLarge {
                limit: self.max_body_bytes,
                actual: body.len(),
            });
        }
        let signature_headers = SignatureHeaders::collect(headers)?;

        if self.keys.is_empty() {
            // No key: signature headers cannot be checked and are ignored.
            let text = body_text(body)?;
            let envelope = Envelope::parse(text, JsonLocation::Body)?;
            if envelope.encrypt.is_some() {
                return Err(Error::KeyRequired);
            }
            return classify(&envelope, text, &self.tokens);
        }

        let Some(signature) = signature_headers.signature else {
            return self.parse_unsigned(body);
        };
        let key = self.verify_signature(&signature_headers, signature, body, now_unix_seconds)?;
        let text = body_text(body)?;
        let envelope = Envelope::parse(text, JsonLocation::Body)?;
        let Some(encrypted) = &envelope.encrypt else {
            return Err(Error::PlaintextRejected);
        };
        let plaintext = key
            .decrypt(encrypted)
            .map_err(|reason| Error::DecryptFailed { reason })?;
        let plaintext = String::from_utf8(plaintext).map_err(|_| Error::DecryptFailed {
            reason: DecryptFailure::Utf8,
        })?;
        let inner = Envelope::parse(&plaintext, JsonLocation::Plaintext)?;
        classify(&inner, &plaintext, &self.tokens)
    }

    /// Checks the timestamp window, then finds the key whose signature
    /// matches. Every key is tried, without stopping at a match, and each
    /// comparison is constant-time (`subtle`).
    fn verify_signature(
        &self,
        headers: &SignatureHeaders<'_>,
        signature: &str,
        body: &[u8],
        now: i64,
    ) -> Result<&EncryptKey, Error> {
        let timestamp_text = headers.timestamp.ok_or(Error::MissingSignature {
            header: TIMESTAMP_HEADER,
        })?;
        let nonce = headers.nonce.ok_or(Error::MissingSignature {
            header: NONCE_HEADER,
        })?;
        self.check_timestamp(timestamp_text, now)?;
        let received = decode_signature(signature).ok_or(Error::SignatureMismatch)?;
        let mut found = subtle::Choice::from(0);
        let mut index = 0u32;
        for (i, key) in self.keys.iter().enumerate() {
            let expected = key.signature_digest(timestamp_text, nonce, body);
            let matches = digests_match(&expected, &received);
            let first_match = matches & !found;
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            index.conditional_assign(&i, first_match);
            found |= matches;
        }
        if !bool::from(found) {
            return Err(Error::SignatureMismatch);
        }
        usize::try_from(index)
            .ok()
            .and_then(|i| self.keys.get(i))
            .ok_or(Error::SignatureMismatch)
    }

    /// `X-Lark-Request-Timestamp` as unix seconds, refused when it is not plain
    /// decimal digits or lies outside the replay window around `now`.
    pub(crate) fn check_timestamp(&self, text: &str, now: i64) -> Result<i64, Error> {
        let timestamp = parse_timestamp(text)?;
        match self.tolerance_seconds {
            Some(tolerance) if now.abs_diff(timestamp) > tolerance => {
                Err(Error::TimestampOutOfRange {
                    timestamp,
                    now,
                    tolerance_seconds: tolerance,
                })
            }
            _ => Ok(timestamp),
        }
    }

    /// The unsigned path, taken only when a key is configured and
    /// `X-Lark-Signature` is absent: only the URL-verification challenge may
    /// pass. A plain body is refused as such (the sender knows whether it
    /// encrypted). Every other failure, from base64 to the token, is the
    /// same [`Error::MissingSignature`], and the padding outcome is folded
    /// in only after the JSON has been read, so neither the answer nor the
    /// work done reveals whether the padding was valid.
    fn parse_unsigned(&self, body: &[u8]) -> Result<Inbound, Error> {
        let refused = Error::MissingSignature {
            header: SIGNATURE_HEADER,
        };
        let Ok(text) = core::str::from_utf8(body) else {
            return Err(refused);
        };
        let Ok(envelope) = Envelope::parse(text, JsonLocation::Body) else {
            return Err(refused);
        };
        let Some(encrypted) = &envelope.encrypt else {
            return Err(Error::PlaintextRejected);
        };
        for key in &self.keys {
            let Some((plaintext, padding_valid)) = key.decrypt_unsigned(encrypted) else {
                continue;
            };
            let challenge = unsigned_challenge(&plaintext, &self.tokens);
            if bool::from(padding_valid) {
                if let Some(inbound) = challenge {
                    return Ok(inbound);
                }
            }
        }
        Err(refused)
    }
}

/// Reads a decrypted unsigned body as a challenge; `None` for anything else.
fn unsigned_challenge(plaintext: &[u8], tokens: &[TokenDigest]) -> Option<Inbound> {
    let text = core::str::from_utf8(plaintext).ok()?;
    let envelope = Envelope::parse(text, JsonLocation::Plaintext).ok()?;
    match classify(&envelope, text, tokens) {
        Ok(inbound @ Inbound::Challenge(_)) => Some(inbound),
        _ => None,
    }
}

/// The body as text: a JSON body is UTF-8 by definition.
fn body_text(body: &[u8]) -> Result<&str, Error> {
    core::str::from_utf8(body).map_err(|e| Error::InvalidJson {
        location: JsonLocation::Body,
        detail: format!(
            "the body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ),
    })
}
