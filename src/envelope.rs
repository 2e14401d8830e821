//! Reading the JSON: the outer body (`{"encrypt": ...}` or a plain event),
//! then the envelope (challenge, schema 2.0, schema 1.0), then the typed
//! event.

use std::borrow::Cow;
use std::cell::Cell;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::crypto::TokenDigest;
use crate::error::{DecodeError, Error, JsonLocation};
use crate::event::{
    Challenge, Event, EventHeader, Inbound, Payload, Schema, TICKET_CREATED_V1,
    TICKET_MESSAGE_CREATED_V1, TICKET_UPDATED_V1,
};
use crate::model::{TicketCreatedV1, TicketMessageCreatedV1, TicketUpdatedV1, lenient};

/// Every top-level field any delivery shape uses. One pass reads both the
/// outer body and, for a plain body, the envelope itself. Values whose type
/// may vary are kept raw and interpreted afterwards, so a wrongly typed
/// token or schema gets its own precise error instead of a generic one.
///
/// A repeated field (`{"encrypt":"a","encrypt":"b"}`) is refused, so a body
/// cannot say one thing to this parser and another to a different one.
///
/// When `schema` and `header` come before `event` (as the platform sends
/// them) and the header names one of the typed event types, the event is
/// decoded into its model in the same pass (`typed`), instead of being
/// skimmed as raw JSON and read a second time.
pub(crate) struct Envelope<'a> {
    pub(crate) encrypt: Option<Cow<'a, str>>,
    schema: Option<&'a RawValue>,
    header: Option<&'a RawValue>,
    event: Option<&'a RawValue>,
    kind: Option<&'a RawValue>,
    token: Option<&'a RawValue>,
    challenge: Option<&'a RawValue>,
    uuid: Option<&'a RawValue>,
    ts: Option<&'a RawValue>,
    /// The event, decoded in the same pass; `event` is then `None`.
    typed: Cell<Option<Payload>>,
}

impl<'a> Envelope<'a> {
    pub(crate) fn token(&self) -> Option<&'a RawValue> {
        self.token
    }

    pub(crate) fn header(&self) -> Option<&'a RawValue> {
        self.header
    }

    /// Reads an envelope; only a JSON object is accepted (`deserialize_map`:
    /// a struct visitor would also read an array by position).
    pub(crate) fn parse(text: &'a str, location: JsonLocation) -> Result<Self, Error> {
        let fast = EnvelopeSeed {
            typed_in_pass: true,
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let result = serde::de::DeserializeSeed::deserialize(fast, &mut de)
            .and_then(|e| de.end().map(|()| e));
        match result {
            Ok(envelope) => Ok(envelope),
            // The one-pass decode failed (a malformed body, or an event that
            // does not fit its model): read again without it, which yields
            // the precise error, or the untyped event with its decode error.
            Err(_) => {
                let mut de = serde_json::Deserializer::from_str(text);
                serde::de::DeserializeSeed::deserialize(
                    EnvelopeSeed {
                        typed_in_pass: false,
                    },
                    &mut de,
                )
                .and_then(|e| de.end().map(|()| e))
                .map_err(|e| json_error(&e, location))
            }
        }
    }
}

/// Reads an [`Envelope`]; `typed_in_pass` enables the one-pass typed decode.
struct EnvelopeSeed {
    typed_in_pass: bool,
}

/// The top-level keys the envelope reads.
enum Key {
    Encrypt,
    Schema,
    Header,
    Event,
    Kind,
    Token,
    Challenge,
    Uuid,
    Ts,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "encrypt" => Key::Encrypt,
                    "schema" => Key::Schema,
                    "header" => Key::Header,
                    "event" => Key::Event,
                    "type" => Key::Kind,
                    "token" => Key::Token,
                    "challenge" => Key::Challenge,
                    "uuid" => Key::Uuid,
                    "ts" => Key::Ts,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// A string borrowed from the input when it has no escapes.
struct BorrowedStr<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for BorrowedStr<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> serde::de::Visitor<'de> for StrVisitor {
            type Value = BorrowedStr<'de>;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(StrVisitor)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for EnvelopeSeed {
    type Value = Envelope<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for EnvelopeSeed {
    type Value = Envelope<'de>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let mut e = Envelope {
            encrypt: None,
            schema: None,
            header: None,
            event: None,
            kind: None,
            token: None,
            challenge: None,
            uuid: None,
            ts: None,
            typed: Cell::new(None),
        };
        let mut seen = [false; 9];
        let mut first = |index: usize, name: &'static str| -> Result<(), A::Error> {
            match seen.get_mut(index) {
                Some(slot) if !*slot => {
                    *slot = true;
                    Ok(())
                }
                _ => Err(A::Error::duplicate_field(name)),
            }
        };
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Encrypt => {
                    first(0, "encrypt")?;
                    e.encrypt = map.next_value::<Option<BorrowedStr<'de>>>()?.map(|s| s.0);
                }
                Key::Schema => {
                    first(1, "schema")?;
                    e.schema = map.next_value()?;
                }
                Key::Header => {
                    first(2, "header")?;
                    e.header = map.next_value()?;
                }
                Key::Event => {
                    first(3, "event")?;
                    let typed_type = if self.typed_in_pass {
                        typed_event_type(e.schema, e.header)
                    } else {
                        None
                    };
                    match typed_type {
                        Some(event_type) => {
                            e.typed =
                                Cell::new(Some(map.next_value_seed(TypedEventSeed(event_type))?));
                        }
                        None => e.event = map.next_value()?,
                    }
                }
                Key::Kind => {
                    first(4, "type")?;
                    e.kind = map.next_value()?;
                }
                Key::Token => {
                    first(5, "token")?;
                    e.token = map.next_value()?;
                }
                Key::Challenge => {
                    first(6, "challenge")?;
                    e.challenge = map.next_value()?;
                }
                Key::Uuid => {
                    first(7, "uuid")?;
                    e.uuid = map.next_value()?;
                }
                Key::Ts => {
                    first(8, "ts")?;
                    e.ts = map.next_value()?;
                }
                Key::Other => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(e)
    }
}

/// The typed event type named by a schema 2.0 header read so far, if any.
fn typed_event_type(schema: Option<&RawValue>, header: Option<&RawValue>) -> Option<&'static str> {
    #[derive(Deserialize)]
    struct TypeOnly<'a> {
        #[serde(borrow)]
        event_type: Option<Cow<'a, str>>,
    }
    if schema?.get() != "\"2.0\"" {
        return None;
    }
    let header: TypeOnly<'_> = serde_json::from_str(header?.get()).ok()?;
    let event_type = header.event_type?;
    crate::event::TYPED_EVENT_TYPES
        .into_iter()
        .find(|known| *known == event_type)
}

/// Decodes the event of a known type straight into its model; only a JSON
/// object is accepted (a struct visitor would also read an array by position).
struct TypedEventSeed(&'static str);

impl<'de> serde::de::DeserializeSeed<'de> for TypedEventSeed {
    type Value = Payload;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Payload, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for TypedEventSeed {
    type Value = Payload;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("an event object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Payload, A::Error> {
        let de = serde::de::value::MapAccessDeserializer::new(map);
        match self.0 {
            TICKET_CREATED_V1 => {
                TicketCreatedV1::deserialize(de).map(|t| Payload::TicketCreated(Box::new(t)))
            }
            TICKET_UPDATED_V1 => {
                TicketUpdatedV1::deserialize(de).map(|t| Payload::TicketUpdated(Box::new(t)))
            }
            _ => TicketMessageCreatedV1::deserialize(de)
                .map(|t| Payload::TicketMessageCreated(Box::new(t))),
        }
    }
}

/// Whether a JSON text is an object. serde's derived structs also accept an
/// array, reading fields by position (`["<ciphertext>"]` as
/// `{"encrypt": "<ciphertext>"}`); every object this crate reads must really
/// be one, so that no other JSON reader sees a different document.
fn is_object(json: &str) -> bool {
    json.trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
}

/// `serde_json`'s message without the parts that could echo input: the
/// category, line and column for syntax errors; for data errors what was
/// expected and the kind of value found, but not the value (serde quotes a
/// wrong string in full: the whole body, or decrypted text).
pub(crate) fn json_error(e: &serde_json::Error, location: JsonLocation) -> Error {
    let message = e.to_string();
    let detail = match e.classify() {
        serde_json::error::Category::Data => without_value(&message),
        _ => message,
    };
    Error::InvalidJson { location, detail }
}

/// `invalid type: string "…", expected X` → `invalid type: string, expected X`.
fn without_value(message: &str) -> String {
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

/// A JSON string's value, or `None` for any other JSON type.
fn string_value(raw: &RawValue) -> Option<String> {
    serde_json::from_str::<String>(raw.get()).ok()
}

/// The token policy: with no tokens configured anything passes; otherwise the
/// field must be a string whose digest matches a configured one.
pub(crate) fn check_token(tokens: &[TokenDigest], field: Option<&RawValue>) -> Result<(), Error> {
    if tokens.is_empty() {
        return Ok(());
    }
    let Some(received) = field.and_then(string_value) else {
        return Err(Error::TokenMismatch { present: false });
    };
    let received = TokenDigest::new(&received);
    // Compare against every token, without stopping at the first match.
    let matched = tokens
        .iter()
        .fold(subtle::Choice::from(0), |acc, t| acc | t.matches(&received));
    if bool::from(matched) {
        Ok(())
    } else {
        Err(Error::TokenMismatch { present: true })
    }
}

/// Event types are identifiers such as `helpdesk.ticket.created_v1` or
/// (schema 1.0) `approval_instance`: printable ASCII without spaces, short.
const MAX_EVENT_TYPE_LEN: usize = 256;

fn validate_event_type(event_type: Option<String>) -> Result<String, Error> {
    let Some(event_type) = event_type else {
        return Err(Error::InvalidEnvelope {
            reason: "the event type is missing",
        });
    };
    if event_type.is_empty() {
        return Err(Error::InvalidEnvelope {
            reason: "the event type is empty",
        });
    }
    if event_type.len() > MAX_EVENT_TYPE_LEN {
        return Err(Error::InvalidEnvelope {
            reason: "the event type is longer than 256 characters",
        });
    }
    if !event_type.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::InvalidEnvelope {
            reason: "the event type must be printable ASCII without spaces",
        });
    }
    Ok(event_type)
}

/// The schema 2.0 header, as sent.
#[derive(Deserialize)]
struct WireHeader<'a> {
    #[serde(default)]
    event_id: Option<String>,
    #[serde(default)]
    event_type: Option<String>,
    /// Kept raw: an unreadable `create_time` is dropped, not a reason to
    /// refuse an otherwise valid event.
    #[serde(borrow, default)]
    create_time: Option<&'a RawValue>,
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    tenant_key: Option<String>,
    #[serde(borrow, default)]
    token: Option<&'a RawValue>,
}

/// The fields of a schema 1.0 `event` object that belong in the header.
#[derive(Deserialize)]
struct WireV1Event {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    tenant_key: Option<String>,
}

/// Turns an envelope into a challenge or an event. `raw` is the JSON text
/// the envelope was read from; `tokens` the configured Verification Tokens.
pub(crate) fn classify(
    envelope: &Envelope<'_>,
    raw: &str,
    tokens: &[TokenDigest],
) -> Result<Inbound, Error> {
    let kind = envelope.kind.and_then(string_value);
    if kind.as_deref() == Some("url_verification") {
        check_token(tokens, envelope.token)?;
        let challenge =
            envelope
                .challenge
                .and_then(string_value)
                .ok_or(Error::InvalidEnvelope {
                    reason: "`challenge` must be a string",
                })?;
        return Ok(Inbound::Challenge(Challenge { challenge }));
    }

    if let Some(schema) = envelope.schema {
        if string_value(schema).as_deref() != Some("2.0") {
            return Err(Error::UnsupportedSchema {
                schema: display_truncated(schema.get()),
            });
        }
        let header = envelope.header.ok_or(Error::InvalidEnvelope {
            reason: "`header` is missing",
        })?;
        let header: WireHeader<'_> = serde_json::from_str(header.get())
            .ok()
            .filter(|_| is_object(header.get()))
            .ok_or(Error::InvalidEnvelope {
                reason: "`header` must be an object whose ids and type are strings",
            })?;
        check_token(tokens, header.token)?;
        let event_id =
            header
                .event_id
                .filter(|id| !id.is_empty())
                .ok_or(Error::InvalidEnvelope {
                    reason: "`header.event_id` is missing or empty",
                })?;
        let event_type = validate_event_type(header.event_type)?;
        let payload = match (envelope.typed.take(), envelope.event) {
            // Decoded in the same pass as the envelope, for this very header.
            (Some(payload), _) => payload,
            (None, Some(event)) => decode_payload(&event_type, event),
            (None, None) => {
                return Err(Error::InvalidEnvelope {
                    reason: "`event` is missing",
                });
            }
        };
        return Ok(Inbound::Event(Event {
            schema: Schema::V2,
            header: EventHeader {
                event_id,
                event_type,
                create_time: header.create_time.and_then(millis_value),
                app_id: header.app_id,
                tenant_key: header.tenant_key,
            },
            payload,
            raw: raw.to_owned(),
        }));
    }

    if kind.as_deref() == Some("event_callback") {
        check_token(tokens, envelope.token)?;
        let event_id = envelope
            .uuid
            .and_then(string_value)
            .filter(|id| !id.is_empty())
            .ok_or(Error::InvalidEnvelope {
                reason: "`uuid` is missing or empty",
            })?;
        let event = envelope.event.ok_or(Error::InvalidEnvelope {
            reason: "`event` is missing",
        })?;
        let inner: WireV1Event = serde_json::from_str(event.get())
            .ok()
            .filter(|_| is_object(event.get()))
            .ok_or(Error::InvalidEnvelope {
                reason: "`event` must be an object whose `type` is a string",
            })?;
        let event_type = validate_event_type(inner.kind)?;
        return Ok(Inbound::Event(Event {
            schema: Schema::V1,
            header: EventHeader {
                event_id,
                event_type,
                create_time: envelope.ts.and_then(v1_ts_millis),
                app_id: inner.app_id,
                tenant_key: inner.tenant_key,
            },
            payload: Payload::Untyped {
                event: event.to_owned(),
                decode_error: None,
            },
            raw: raw.to_owned(),
        }));
    }

    Err(Error::UnsupportedSchema {
        schema: match envelope.kind {
            Some(kind) => format!("(none; type {})", display_truncated(kind.get())),
            None => String::from("(none)"),
        },
    })
}

/// `header.create_time` as milliseconds: a number or a decimal string;
/// anything else is `None`.
fn millis_value(raw: &RawValue) -> Option<i64> {
    #[derive(Deserialize)]
    struct Millis(#[serde(deserialize_with = "lenient::millis")] Option<i64>);
    serde_json::from_str::<Millis>(raw.get()).ok()?.0
}

/// Schema 1.0 `ts` is seconds as a string with a fraction
/// (`"1502199207.7171419"`); the header carries milliseconds.
fn v1_ts_millis(ts: &RawValue) -> Option<i64> {
    let text = string_value(ts).unwrap_or_else(|| ts.get().to_owned());
    let seconds: f64 = text.parse().ok()?;
    let millis = (seconds * 1000.0).round();
    // Dates between 1970 and year ~287,000: anything else is not a timestamp.
    if millis.is_finite() && (0.0..=9.0e15).contains(&millis) {
        #[allow(clippy::cast_possible_truncation)] // range checked above
        Some(millis as i64)
    } else {
        None
    }
}

/// Up to 32 characters of a JSON value, for an error message.
fn display_truncated(json: &str) -> String {
    let mut out: String = json.chars().take(32).collect();
    if out.len() < json.len() {
        out.push('…');
    }
    out
}

fn decode_payload(event_type: &str, event: &RawValue) -> Payload {
    let typed = match event_type {
        TICKET_CREATED_V1 => {
            decode::<TicketCreatedV1>(event).map(|e| Payload::TicketCreated(Box::new(e)))
        }
        TICKET_UPDATED_V1 => {
            decode::<TicketUpdatedV1>(event).map(|e| Payload::TicketUpdated(Box::new(e)))
        }
        TICKET_MESSAGE_CREATED_V1 => decode::<TicketMessageCreatedV1>(event)
            .map(|e| Payload::TicketMessageCreated(Box::new(e))),
        _ => {
            return Payload::Untyped {
                event: event.to_owned(),
                decode_error: None,
            };
        }
    };
    typed.unwrap_or_else(|decode_error| Payload::Untyped {
        event: event.to_owned(),
        decode_error: Some(decode_error),
    })
}

/// Decodes a typed model; on failure, says where (a field path computed from
/// the error's position) and why.
fn decode<T: DeserializeOwned>(event: &RawValue) -> Result<T, DecodeError> {
    if event.get().trim_start().starts_with('[') {
        return Err(DecodeError {
            path: String::from("."),
            message: String::from("invalid type: array, expected an object"),
        });
    }
    serde_json::from_str::<T>(event.get()).map_err(|e| {
        let message = e.to_string();
        // The position is reported as a path instead.
        let message = match message.rsplit_once(" at line ") {
            Some((reason, _)) => reason.to_owned(),
            None => message,
        };
        let offset = byte_offset(event.get(), e.line(), e.column());
        DecodeError {
            path: crate::json_path::path_at(event.get(), offset),
            message,
        }
    })
}

/// serde_json positions are 1-based lines and 1-based byte columns.
fn byte_offset(json: &str, line: usize, column: usize) -> usize {
    let line_start = json
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .fold(0usize, usize::saturating_add);
    line_start.saturating_add(column).min(json.len())
}

/// See [`Event::unrecognized_fields`].
pub(crate) fn unrecognized_fields(event: &Event) -> Vec<String> {
    use crate::model::Known;
    #[derive(Deserialize)]
    struct EventOnly {
        event: Option<serde_json::Value>,
    }
    let fields = match event.payload {
        Payload::TicketCreated(_) => TicketCreatedV1::children(),
        Payload::TicketUpdated(_) => TicketUpdatedV1::children(),
        Payload::TicketMessageCreated(_) => TicketMessageCreatedV1::children(),
        Payload::Untyped { .. } => None,
    };
    let (Some(fields), Ok(EventOnly { event: Some(json) })) =
        (fields, serde_json::from_str::<EventOnly>(&event.raw))
    else {
        return Vec::new();
    };
    let mut unknown = Vec::new();
    crate::model::collect_unknown(&json, fields, "", &mut unknown);
    unknown
}
