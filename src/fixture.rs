//! Building deliveries the way the platform sends them, for tests, the
//! inspector's sample generator and local demos.

use serde::Serialize;

use crate::Error;
use crate::crypto::{encrypt, sign, sign_card_action};
use crate::headers::{NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::ordered::OrderedObject;

/// A complete delivery: headers and body, ready to post or to pass to
/// [`crate::Webhook::parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// `content-type` and, when signed, the three `X-Lark-*` headers.
    pub headers: Vec<(String, String)>,
    /// The body: `{"encrypt":"..."}`, or the event JSON in plain mode.
    pub body: String,
}

/// Turns any event JSON into a delivery: optionally with a verification
/// token written in, encrypted, and signed.
///
/// Without [`encrypt`](DeliveryBuilder::encrypt) the body is the plain event
/// (what the platform sends when no Encrypt Key is configured). The platform
/// sends the URL-verification challenge encrypted but unsigned: build it
/// without [`sign`](DeliveryBuilder::sign).
///
/// ```
/// let delivery = larkhook::DeliveryBuilder::new(r#"{"type":"url_verification","challenge":"c1"}"#)
///     .verification_token("token")
///     .encrypt("key", [1; 16])
///     .build()
///     .unwrap();
/// assert!(delivery.body.starts_with(r#"{"encrypt":""#));
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct DeliveryBuilder<'a> {
    event_json: &'a str,
    token: Option<&'a str>,
    encryption: Option<(&'a str, [u8; 16])>,
    signature: Option<(i64, &'a str)>,
    card_signature: Option<(i64, &'a str)>,
}

impl<'a> DeliveryBuilder<'a> {
    /// Starts from an event (or challenge) as JSON text.
    pub fn new(event_json: &'a str) -> Self {
        DeliveryBuilder {
            event_json,
            token: None,
            encryption: None,
            signature: None,
            card_signature: None,
        }
    }

    /// Writes the Verification Token where the platform puts it (and where
    /// [`crate::Webhook::parse`] reads it): top-level `token` for the
    /// challenge (`"type": "url_verification"`) and for schema 1.0,
    /// `header.token` for any other event with a (non-null) `schema`. The
    /// JSON is then re-serialized compactly.
    pub fn verification_token(mut self, token: &'a str) -> Self {
        self.token = Some(token);
        self
    }

    /// Encrypts the body with an Encrypt Key and the given IV (supply a
    /// random one; this crate has no randomness source).
    pub fn encrypt(mut self, key: &'a str, iv: [u8; 16]) -> Self {
        self.encryption = Some((key, iv));
        self
    }

    /// Signs the encrypted body with the Encrypt Key, the timestamp (unix
    /// seconds) and a nonce, adding the three signature headers.
    pub fn sign(mut self, timestamp: i64, nonce: &'a str) -> Self {
        self.signature = Some((timestamp, nonce));
        self
    }

    /// Makes a legacy message-card callback instead: the body is the JSON
    /// exactly as given (plain; the Verification Token is not written in,
    /// the body's own `token` is the card's update token), signed with
    /// `SHA-1(timestamp || nonce || verification_token || body)`. Needs
    /// [`verification_token`](DeliveryBuilder::verification_token); excludes
    /// encryption and [`sign`](DeliveryBuilder::sign).
    ///
    /// ```
    /// let callback = r#"{"open_id":"ou_1","open_message_id":"om_1","token":"c-1","action":{"value":{"k":"v"},"tag":"button"}}"#;
    /// let delivery = larkhook::DeliveryBuilder::new(callback)
    ///     .verification_token("v-token")
    ///     .sign_card_action(1_700_000_000, "nonce")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(delivery.body, callback);
    /// let hook = larkhook::Webhook::builder().verification_token("v-token").build().unwrap();
    /// let parsed = hook.parse(&delivery.headers, delivery.body.as_bytes(), 1_700_000_001).unwrap();
    /// assert!(matches!(parsed, larkhook::Inbound::CardAction(_)));
    /// ```
    pub fn sign_card_action(mut self, timestamp: i64, nonce: &'a str) -> Self {
        self.card_signature = Some((timestamp, nonce));
        self
    }

    /// Builds the delivery.
    ///
    /// # Errors
    /// [`Error::InvalidJson`] when the event is not JSON,
    /// [`Error::InvalidArgument`] when a token cannot be written in (the
    /// event, or its `header`, is not an object) or when signing is asked
    /// for without an Encrypt Key.
    pub fn build(self) -> Result<Delivery, Error> {
        if let Some((timestamp, nonce)) = self.card_signature {
            return self.build_card_action(timestamp, nonce);
        }
        let event = match self.token {
            None => {
                // Validate without changing a byte of the caller's JSON.
                serde_json::from_str::<serde::de::IgnoredAny>(self.event_json).map_err(|e| {
                    crate::wire::json_error(&e, crate::error::JsonLocation::Plaintext)
                })?;
                self.event_json.to_owned()
            }
            Some(token) => with_token(self.event_json, token)?,
        };

        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        let Some((key, iv)) = self.encryption else {
            if self.signature.is_some() {
                return Err(Error::InvalidArgument {
                    reason: "signing needs an Encrypt Key: call `encrypt` too".to_owned(),
                });
            }
            return Ok(Delivery {
                headers,
                body: event,
            });
        };

        #[derive(Serialize)]
        struct Encrypted {
            encrypt: String,
        }
        let body = serde_json::to_string(&Encrypted {
            encrypt: encrypt(key, event.as_bytes(), iv),
        })
        .map_err(|e| Error::InvalidArgument {
            reason: e.to_string(),
        })?;

        if let Some((timestamp, nonce)) = self.signature {
            let timestamp = timestamp.to_string();
            let signature = sign(&timestamp, nonce, key, body.as_bytes());
            headers.push((TIMESTAMP_HEADER.to_owned(), timestamp));
            headers.push((NONCE_HEADER.to_owned(), nonce.to_owned()));
            headers.push((SIGNATURE_HEADER.to_owned(), signature));
        }
        Ok(Delivery { headers, body })
    }
}

impl DeliveryBuilder<'_> {
    /// A legacy message-card callback: the JSON as given, SHA-1 signed.
    fn build_card_action(&self, timestamp: i64, nonce: &str) -> Result<Delivery, Error> {
        let argument = |reason: &str| Error::InvalidArgument {
            reason: reason.to_owned(),
        };
        let Some(token) = self.token else {
            return Err(argument(
                "a legacy card callback is signed with the Verification Token: call \
                 `verification_token` too",
            ));
        };
        if self.encryption.is_some() || self.signature.is_some() {
            return Err(argument(
                "a legacy card callback is plain JSON signed with the Verification Token: \
                 leave out `encrypt` and `sign`",
            ));
        }
        serde_json::from_str::<serde::de::IgnoredAny>(self.event_json)
            .map_err(|e| crate::wire::json_error(&e, crate::error::JsonLocation::Plaintext))?;
        let timestamp = timestamp.to_string();
        let signature = sign_card_action(&timestamp, nonce, token, self.event_json.as_bytes());
        Ok(Delivery {
            headers: vec![
                ("content-type".to_owned(), "application/json".to_owned()),
                (TIMESTAMP_HEADER.to_owned(), timestamp),
                (NONCE_HEADER.to_owned(), nonce.to_owned()),
                (SIGNATURE_HEADER.to_owned(), signature),
            ],
            body: self.event_json.to_owned(),
        })
    }
}

/// The event JSON with the token written in. Field order and every other
/// value's text are kept as they were (a 64-bit id stays digit for digit);
/// only insignificant whitespace between top-level fields goes.
fn with_token(event_json: &str, token: &str) -> Result<String, Error> {
    let not_an_object = || Error::InvalidArgument {
        reason:
            "the event must be a JSON object (and its `header`, if any, an object) to carry a token"
                .to_owned(),
    };
    let parse = |json: &str| -> Result<OrderedObject, Error> {
        serde_json::from_str(json).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => not_an_object(),
            _ => crate::wire::json_error(&e, crate::error::JsonLocation::Plaintext),
        })
    };
    let raw_token = serde_json::value::to_raw_value(token).map_err(|e| Error::InvalidArgument {
        reason: e.to_string(),
    })?;
    let mut event = parse(event_json)?;
    // The same rules `parse` reads the token by (`envelope::classify`): a
    // challenge carries it at the top level whatever else it has, and a
    // `null` schema counts as no schema.
    let is_challenge = event
        .get("type")
        .and_then(|t| serde_json::from_str::<String>(t.get()).ok())
        .is_some_and(|t| t == "url_verification");
    let has_schema = event.get("schema").is_some_and(|s| s.get() != "null");
    if has_schema && !is_challenge {
        let mut header = match event.get("header") {
            Some(header) => parse(header.get())?,
            None => OrderedObject::default(),
        };
        header.set("token", raw_token);
        let header =
            serde_json::value::to_raw_value(&header).map_err(|e| Error::InvalidArgument {
                reason: e.to_string(),
            })?;
        event.set("header", header);
    } else {
        event.set("token", raw_token);
    }
    serde_json::to_string(&event).map_err(|e| Error::InvalidArgument {
        reason: e.to_string(),
    })
}
