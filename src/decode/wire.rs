//! The wire shape: the top-level JSON object of a body or a decrypted
//! payload, read in one pass into its members (`encrypt`, `schema`,
//! `header`, `event`, `type`, `token`, `challenge`, `uuid`, `ts`).
//!
//! Interpreting them (challenge, schema 2.0 or 1.0, the token policy, the
//! typed event) is `crate::decode::envelope`'s job.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::decode::text::Text;
use crate::decode::typed::{ObjectSeed, Trail};
use crate::error::{Error, JsonLocation};
use crate::event::TypedEvent;

/// Every top-level member any delivery shape uses. Values whose type may
/// vary are kept raw and interpreted afterwards, so a wrongly typed token or
/// schema gets its own precise error instead of a generic one.
///
/// A repeated member (`{"encrypt":"a","encrypt":"b"}`) is refused, so a body
/// cannot say one thing to this parser and another to a different one.
pub(crate) struct Envelope<'a> {
    pub(crate) encrypt: Option<Cow<'a, str>>,
    pub(crate) schema: Option<&'a RawValue>,
    pub(crate) header: Option<&'a RawValue>,
    pub(crate) event: Option<&'a RawValue>,
    pub(crate) kind: Option<&'a RawValue>,
    pub(crate) token: Option<&'a RawValue>,
    pub(crate) challenge: Option<&'a RawValue>,
    pub(crate) uuid: Option<&'a RawValue>,
    pub(crate) ts: Option<&'a RawValue>,
    /// When `schema` and `header` come before `event` (as the platform sends
    /// them) and name a typed event, the event is decoded in the same pass:
    /// its registry entry and normalized JSON (`event` is then `None`).
    pub(crate) typed: Option<(&'static TypedEvent, String)>,
}

impl<'a> Envelope<'a> {
    /// Reads an envelope; only a JSON object is accepted (`deserialize_map`:
    /// a struct visitor would also read an array by position).
    pub(crate) fn parse(text: &'a str, location: JsonLocation) -> Result<Self, Error> {
        read(text, true).or_else(|_| {
            // The one-pass decode failed (a malformed body, or an event that
            // does not fit its model): read again without it, which yields
            // the precise error, or the event to decode on its own, which
            // then says where it does not fit.
            read(text, false).map_err(|e| json_error(&e, location))
        })
    }
}

fn read(text: &str, typed_in_pass: bool) -> Result<Envelope<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let envelope = EnvelopeSeed { typed_in_pass }.deserialize(&mut de)?;
    de.end()?;
    Ok(envelope)
}

/// Reads an [`Envelope`]; `typed_in_pass` enables the one-pass typed decode.
struct EnvelopeSeed {
    typed_in_pass: bool,
}

/// The top-level members, in the order of [`Envelope`]'s fields.
const MEMBERS: [&str; 9] = [
    "encrypt",
    "schema",
    "header",
    "event",
    "type",
    "token",
    "challenge",
    "uuid",
    "ts",
];

impl<'de> DeserializeSeed<'de> for EnvelopeSeed {
    type Value = Envelope<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed {
    type Value = Envelope<'de>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
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
            typed: None,
        };
        let mut seen = [false; MEMBERS.len()];
        while let Some(key) = map.next_key::<Text<'de>>()? {
            // `black_box` hides the list's length, so that the search stays
            // a loop instead of nine inlined string comparisons (smaller
            // module, same speed).
            let members: &[&str] = core::hint::black_box(&MEMBERS);
            let Some(index) = members.iter().position(|m| *m == key.as_str()) else {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            };
            match seen.get_mut(index) {
                Some(slot) if !*slot => *slot = true,
                _ => {
                    return Err(A::Error::duplicate_field(
                        MEMBERS.get(index).copied().unwrap_or(""),
                    ));
                }
            }
            let slot = match index {
                0 => {
                    e.encrypt = map.next_value::<Option<Text<'de>>>()?.map(|s| s.0);
                    continue;
                }
                1 => &mut e.schema,
                2 => &mut e.header,
                3 => {
                    let typed = if self.typed_in_pass {
                        typed_event(e.schema, e.header)
                    } else {
                        None
                    };
                    if let Some(event) = typed {
                        let mut out = Vec::new();
                        let mut trail = Trail::default();
                        map.next_value_seed(ObjectSeed {
                            schema: event.schema,
                            out: &mut out,
                            trail: &mut trail,
                        })?;
                        e.typed = Some((event, String::from_utf8(out).unwrap_or_default()));
                        continue;
                    }
                    &mut e.event
                }
                4 => &mut e.kind,
                5 => &mut e.token,
                6 => &mut e.challenge,
                7 => &mut e.uuid,
                _ => &mut e.ts,
            };
            *slot = map.next_value()?;
        }
        Ok(e)
    }
}

/// The typed event named by a schema 2.0 header read so far, if any.
fn typed_event(
    schema: Option<&RawValue>,
    header: Option<&RawValue>,
) -> Option<&'static TypedEvent> {
    #[derive(Deserialize)]
    struct TypeOnly<'a> {
        #[serde(borrow)]
        event_type: Option<Cow<'a, str>>,
    }
    if schema?.get() != "\"2.0\"" {
        return None;
    }
    let header: TypeOnly<'_> = serde_json::from_str(header?.get()).ok()?;
    TypedEvent::find(&header.event_type?)
}

/// Whether a JSON text is an object. serde's derived structs also accept an
/// array, reading fields by position (`["<ciphertext>"]` as
/// `{"encrypt": "<ciphertext>"}`); every object this crate reads must really
/// be one, so that no other JSON reader sees a different document.
pub(crate) fn is_object(json: &str) -> bool {
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
        serde_json::error::Category::Data => crate::error::without_value(&message),
        _ => message,
    };
    Error::InvalidJson { location, detail }
}

/// A JSON string's value, or `None` for any other JSON type.
pub(crate) fn string_value(raw: &RawValue) -> Option<String> {
    serde_json::from_str::<String>(raw.get()).ok()
}
