//! The one walk through a delivery: size → signature headers → timestamp
//! window → signature (constant time, before any decryption) → body →
//! decryption → envelope → token → typed event.
//!
//! [`Webhook::parse`], [`Webhook::verify`] and [`Webhook::inspect`] all run
//! it; they differ only in the [`Observer`] they pass (see `crate::observe`).

use crate::CARD_SIGNATURE_HEX_LEN;
use crate::SIGNATURE_HEADER;
use crate::decode::envelope::classify;
use crate::decode::wire::Envelope;
use crate::error::{DecryptFailure, Error, JsonLocation};
use crate::event::{Inbound, TypedEvent, Verified};
use crate::observe::{Fact, KeyUsed, Observer, Skip, StepId, Unobserved};
use crate::verify::crypto::{EncryptKey, decode_signature, digests_match, first_match};
use crate::verify::headers::SignatureHeaders;
use crate::verify::webhook::Webhook;

impl Webhook {
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
        self.verify(headers, body, now_unix_seconds)
            .map(Verified::into_inbound)
    }

    /// The same verdict as [`Webhook::parse`], with a typed event as its
    /// normalized JSON instead of Rust structs (see [`Verified`]): what a
    /// binding to another language hands over.
    ///
    /// # Errors
    /// As [`Webhook::parse`].
    pub fn verify<'h, I, K, V>(
        &self,
        headers: I,
        body: &[u8],
        now_unix_seconds: i64,
    ) -> Result<Verified, Error>
    where
        I: IntoIterator<Item = &'h (K, V)>,
        K: AsRef<str> + 'h,
        V: AsRef<str> + 'h,
    {
        self.run(headers, body, now_unix_seconds, &mut Unobserved)
    }

    /// The walk, watched by `obs`.
    pub(crate) fn run<'h, I, K, V, O: Observer>(
        &self,
        headers: I,
        body: &[u8],
        now: i64,
        obs: &mut O,
    ) -> Result<Verified, Error>
    where
        I: IntoIterator<Item = &'h (K, V)>,
        K: AsRef<str> + 'h,
        V: AsRef<str> + 'h,
    {
        let limit = self.max_body_bytes();
        if body.len() > limit {
            let error = Error::BodyTooLarge {
                limit,
                actual: body.len(),
            };
            obs.fail(StepId::BodySize, &error, Fact::None);
            return Err(error);
        }
        obs.pass(
            StepId::BodySize,
            Fact::BodySize {
                len: body.len(),
                limit,
            },
        );
        let headers = SignatureHeaders::collect(headers)
            .inspect_err(|e| obs.fail(StepId::Headers, e, Fact::None))?;

        // The legacy message-card callback: 40 hex digits of SHA-1 over the
        // Verification Token, whatever else is configured.
        if let Some(signature) = headers
            .signature
            .filter(|s| s.len() == CARD_SIGNATURE_HEX_LEN)
        {
            return self.run_card_action(&headers, signature, body, now, obs);
        }

        if self.keys().is_empty() {
            return self.parse_without_key(body, obs);
        }

        let Some(signature) = headers.signature else {
            obs.pass(StepId::Headers, Fact::Unsigned);
            obs.skip(StepId::Timestamp, Skip::Unsigned);
            obs.skip(StepId::Signature, Skip::Unsigned);
            return self.parse_unsigned(body, obs);
        };
        let key = self.verify_signature(&headers, signature, body, now, obs)?;
        let text = body_text(body, obs)?;
        let envelope = Envelope::parse(text, JsonLocation::Body)
            .inspect_err(|e| obs.fail(StepId::BodyJson, e, Fact::None))?;
        let Some(encrypted) = &envelope.encrypt else {
            obs.pass(StepId::BodyJson, Fact::PlainBody);
            let error = Error::PlaintextRejected;
            obs.fail(StepId::Decryption, &error, Fact::None);
            return Err(error);
        };
        obs.pass(StepId::BodyJson, Fact::EncryptedBody);
        let plaintext = key
            .decrypt(encrypted)
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| DecryptFailure::Utf8))
            .map_err(|reason| Error::DecryptFailed { reason })
            .inspect_err(|e| obs.fail(StepId::Decryption, e, Fact::None))?;
        obs.pass(
            StepId::Decryption,
            Fact::Decrypted {
                key: KeyUsed::Signing,
                plaintext: &plaintext,
            },
        );
        let inner = Envelope::parse(&plaintext, JsonLocation::Plaintext)
            .inspect_err(|e| obs.fail(StepId::PayloadJson, e, Fact::None))?;
        obs.pass(StepId::PayloadJson, Fact::None);
        let verified = classify(inner, self.tokens(), obs)?;
        self.check_callback_window(&verified, &headers, now, obs)?;
        Ok(with_raw(verified, || plaintext))
    }

    /// A callback (`card.action.trigger`) keeps the strict window even where
    /// events get a wider one: it is checked again once the event type is
    /// known, and the timestamp step reports the outcome.
    fn check_callback_window<O: Observer>(
        &self,
        verified: &Verified,
        headers: &SignatureHeaders<'_>,
        now: i64,
        obs: &mut O,
    ) -> Result<(), Error> {
        let Verified::Event(event) = verified else {
            return Ok(());
        };
        let is_callback = TypedEvent::find(&event.header.event_type).is_some_and(|e| e.callback);
        let (true, Some(timestamp)) = (is_callback, headers.timestamp) else {
            return Ok(());
        };
        let window = self.callback_window();
        if window == self.replay_window() {
            return Ok(());
        }
        self.check_timestamp(timestamp, now, window)
            .inspect_err(|e| obs.fail(StepId::Timestamp, e, Fact::CallbackWindow))
            .map(|_| ())
    }

    /// Checks the timestamp window, then finds the key whose signature
    /// matches. Every key is tried, without stopping at a match, and each
    /// comparison is constant-time (`subtle`).
    fn verify_signature<O: Observer>(
        &self,
        headers: &SignatureHeaders<'_>,
        signature: &str,
        body: &[u8],
        now: i64,
        obs: &mut O,
    ) -> Result<&EncryptKey, Error> {
        let (timestamp_text, nonce) = headers
            .timestamp_and_nonce()
            .inspect_err(|e| obs.fail(StepId::Headers, e, Fact::None))?;
        obs.pass(
            StepId::Headers,
            Fact::SignedHeaders {
                timestamp: timestamp_text,
                nonce,
                signature,
            },
        );
        let timestamp = self
            .check_timestamp(timestamp_text, now, self.replay_window())
            .inspect_err(|e| obs.fail(StepId::Timestamp, e, Fact::None))?;
        obs.pass(
            StepId::Timestamp,
            Fact::Age {
                age: now.saturating_sub(timestamp),
                window: self.replay_window(),
                callback: false,
            },
        );
        let mismatch = |obs: &mut O| {
            let error = Error::SignatureMismatch;
            let fact = Fact::Mismatch {
                timestamp: timestamp_text,
                nonce,
                signature,
                body,
            };
            obs.fail(StepId::Signature, &error, fact);
            error
        };
        let Some(received) = decode_signature(signature) else {
            return Err(mismatch(obs));
        };
        let matched = first_match(self.keys().iter().map(|key| {
            let expected = key.signature_digest(timestamp_text, nonce, body);
            digests_match(&expected, &received)
        }))
        .and_then(|i| self.keys().get(i).map(|key| (i, key)));
        let Some((index, key)) = matched else {
            return Err(mismatch(obs));
        };
        obs.pass(StepId::Signature, Fact::KeyMatched { index });
        Ok(key)
    }

    /// No key configured: the platform sends no signature, so none is
    /// checked (the token, when configured, is).
    fn parse_without_key<O: Observer>(&self, body: &[u8], obs: &mut O) -> Result<Verified, Error> {
        obs.pass(StepId::Headers, Fact::NoKey);
        obs.skip(StepId::Timestamp, Skip::NoKey);
        obs.skip(StepId::Signature, Skip::NoKey);
        let text = body_text(body, obs)?;
        let envelope = Envelope::parse(text, JsonLocation::Body)
            .inspect_err(|e| obs.fail(StepId::BodyJson, e, Fact::None))?;
        if envelope.encrypt.is_some() {
            obs.pass(StepId::BodyJson, Fact::EncryptedBody);
            let error = Error::KeyRequired;
            obs.fail(StepId::Decryption, &error, Fact::None);
            return Err(error);
        }
        obs.pass(StepId::BodyJson, Fact::PlainBody);
        if !self.tokens().is_empty() {
            unsigned_card(&envelope, obs)?;
        }
        obs.skip(StepId::Decryption, Skip::NotEncrypted);
        obs.pass(StepId::PayloadJson, Fact::None);
        let verified = classify(envelope, self.tokens(), obs)?;
        Ok(with_raw(verified, || text.to_owned()))
    }

    /// The unsigned path, taken only when a key is configured and
    /// `X-Lark-Signature` is absent: only the URL-verification challenge may
    /// pass. A plain body is refused as such (the sender knows whether it
    /// encrypted). Every other failure, from base64 to the token, is the
    /// same [`Error::MissingSignature`], and the padding outcome is folded
    /// in only after the JSON has been read, so neither the answer nor the
    /// work done reveals whether the padding was valid.
    fn parse_unsigned<O: Observer>(&self, body: &[u8], obs: &mut O) -> Result<Verified, Error> {
        let refused = Error::MissingSignature {
            header: SIGNATURE_HEADER,
        };
        let Ok(text) = core::str::from_utf8(body) else {
            obs.fail(StepId::BodyJson, &refused, Fact::None);
            return Err(refused);
        };
        let envelope = match Envelope::parse(text, JsonLocation::Body) {
            Ok(envelope) => envelope,
            Err(e) => {
                obs.fail(StepId::BodyJson, &e, Fact::None);
                return Err(refused);
            }
        };
        let Some(encrypted) = &envelope.encrypt else {
            obs.pass(StepId::BodyJson, Fact::PlainBody);
            unsigned_card(&envelope, obs)?;
            let error = Error::PlaintextRejected;
            obs.fail(StepId::Decryption, &error, Fact::None);
            return Err(error);
        };
        obs.pass(StepId::BodyJson, Fact::EncryptedBody);
        let mut failure = DecryptFailure::Padding;
        // Only ever true when watched (see below).
        let mut watched_valid = false;
        for (index, key) in self.keys().iter().enumerate() {
            let (plaintext, padding_valid) = match key.decrypt_unsigned(encrypted) {
                Ok(decrypted) => decrypted,
                Err(reason) => {
                    failure = reason;
                    continue;
                }
            };
            // Watched only where someone watches and only for a key whose
            // padding is valid: with `Unobserved`, `ACTIVE` is false and
            // this condition (the only one on the padding) compiles away.
            let challenge = if O::ACTIVE && bool::from(padding_valid) {
                watched_valid = true;
                unsigned_challenge(plaintext, self, Some((index, &mut *obs)))
            } else {
                unsigned_challenge::<O>(plaintext, self, None)
            };
            if bool::from(padding_valid) {
                if let Some(verified) = challenge {
                    return Ok(verified);
                }
            }
        }
        if !watched_valid {
            let error = Error::DecryptFailed { reason: failure };
            obs.fail(StepId::Decryption, &error, Fact::None);
        }
        Err(refused)
    }

    /// `X-Lark-Request-Timestamp` as unix seconds, refused when it is not plain
    /// decimal digits or lies outside `window` around `now` (the replay
    /// window, or a callback's narrower one).
    pub(crate) fn check_timestamp(
        &self,
        text: &str,
        now: i64,
        window: Option<crate::ReplayWindow>,
    ) -> Result<i64, Error> {
        let timestamp = crate::verify::headers::parse_timestamp(text)?;
        match window {
            Some(window) if !window.contains(timestamp, now) => Err(Error::TimestampOutOfRange {
                timestamp,
                now,
                max_age_seconds: window.max_age_seconds,
                max_ahead_seconds: window.max_ahead_seconds,
            }),
            _ => Ok(timestamp),
        }
    }
}

/// Reads a decrypted unsigned body as a challenge; `None` for anything else.
/// `watched` is the observer and the key's index when someone watches.
fn unsigned_challenge<O: Observer>(
    plaintext: Vec<u8>,
    hook: &Webhook,
    watched: Option<(usize, &mut O)>,
) -> Option<Verified> {
    let Ok(text) = String::from_utf8(plaintext) else {
        if let Some((_, obs)) = watched {
            let reason = DecryptFailure::Utf8;
            obs.fail(
                StepId::Decryption,
                &Error::DecryptFailed { reason },
                Fact::None,
            );
        }
        return None;
    };
    let mut unwatched = Unobserved;
    let outcome = match watched {
        Some((index, obs)) => {
            let key = KeyUsed::Index(index);
            obs.pass(
                StepId::Decryption,
                Fact::Decrypted {
                    key,
                    plaintext: &text,
                },
            );
            classify_unsigned(&text, hook, obs)
        }
        None => classify_unsigned(&text, hook, &mut unwatched),
    };
    outcome.map(|verified| with_raw(verified, || text))
}

fn classify_unsigned<O: Observer>(text: &str, hook: &Webhook, obs: &mut O) -> Option<Verified> {
    let envelope = Envelope::parse(text, JsonLocation::Plaintext)
        .inspect_err(|e| obs.fail(StepId::PayloadJson, e, Fact::None))
        .ok()?;
    obs.pass(StepId::PayloadJson, Fact::None);
    match classify(envelope, hook.tokens(), obs) {
        Ok(challenge @ Verified::Challenge(_)) => Some(challenge),
        Ok(Verified::Event(_) | Verified::CardAction(_)) => {
            let refused = Error::MissingSignature {
                header: SIGNATURE_HEADER,
            };
            obs.fail(StepId::Signature, &refused, Fact::UnsignedEvent);
            None
        }
        Err(_) => None,
    }
}

/// Refuses an unsigned body shaped like a legacy message-card callback
/// as `missing_signature`: that callback is always signed, and saying so
/// beats the schema or plaintext refusal it would otherwise get.
fn unsigned_card<O: Observer>(envelope: &Envelope<'_>, obs: &mut O) -> Result<(), Error> {
    if !envelope.is_legacy_card_shape() {
        return Ok(());
    }
    let error = Error::MissingSignature {
        header: SIGNATURE_HEADER,
    };
    obs.fail(StepId::Signature, &error, Fact::None);
    Err(error)
}

/// Fills in an event's `raw`: the text its envelope was read from.
fn with_raw(verified: Verified, raw: impl FnOnce() -> String) -> Verified {
    match verified {
        Verified::Event(mut event) => {
            event.raw = raw();
            Verified::Event(event)
        }
        other @ (Verified::Challenge(_) | Verified::CardAction(_)) => other,
    }
}

/// The body as text: a JSON body is UTF-8 by definition.
pub(crate) fn body_text<'b, O: Observer>(body: &'b [u8], obs: &mut O) -> Result<&'b str, Error> {
    core::str::from_utf8(body).map_err(|e| {
        let error = Error::InvalidJson {
            location: JsonLocation::Body,
            detail: format!(
                "the body is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        };
        obs.fail(StepId::BodyJson, &error, Fact::None);
        error
    })
}
