//! Building deliveries the way the platform sends them, for tests, the
//! inspector's sample generator and local demos.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::Error;
use crate::crypto::{encrypt, sign};
use crate::headers::{NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};

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
}

impl<'a> DeliveryBuilder<'a> {
    /// Starts from an event (or challenge) as JSON text.
    pub fn new(event_json: &'a str) -> Self {
        DeliveryBuilder {
            event_json,
            token: None,
            encryption: None,
            signature: None,
        }
    }

    /// Writes the Verification Token where the platform puts it:
    /// `header.token` for schema 2.0, top-level `token` otherwise (schema 1.0
    /// and the challenge). The JSON is then re-serialized compactly.
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

    /// Builds the delivery.
    ///
    /// # Errors
    /// [`Error::InvalidJson`] when the event is not JSON,
    /// [`Error::InvalidArgument`] when a token cannot be written in (the
    /// event, or its `header`, is not an object) or when signing is asked
    /// for without an Encrypt Key.
    pub fn build(self) -> Result<Delivery, Error> {
        let event = match self.token {
            None => {
                // Validate without changing a byte of the caller's JSON.
                serde_json::from_str::<serde::de::IgnoredAny>(self.event_json).map_err(|e| {
                    crate::envelope::json_error(&e, crate::error::JsonLocation::Plaintext)
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

/// The event JSON with the token written in, compact.
fn with_token(event_json: &str, token: &str) -> Result<String, Error> {
    let not_an_object = || Error::InvalidArgument {
        reason:
            "the event must be a JSON object (and its `header`, if any, an object) to carry a token"
                .to_owned(),
    };
    let mut event: Map<String, Value> =
        serde_json::from_str(event_json).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => not_an_object(),
            _ => crate::envelope::json_error(&e, crate::error::JsonLocation::Plaintext),
        })?;
    let token = Value::String(token.to_owned());
    if event.contains_key("schema") {
        match event
            .entry("header")
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(header) => {
                header.insert("token".to_owned(), token);
            }
            _ => return Err(not_an_object()),
        }
    } else {
        event.insert("token".to_owned(), token);
    }
    serde_json::to_string(&event).map_err(|e| Error::InvalidArgument {
        reason: e.to_string(),
    })
}
