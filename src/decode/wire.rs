//! The wire shape: the top-level JSON object of a body or a decrypted
//! payload, read in one pass into its members (`encrypt`, `schema`,
//! `header`, `event`, `type`, `token`, `challenge`, `uuid`, `ts`).
//!
//! Interpreting them (challenge, schema 2.0 or 1.0, the token policy, the
//! typed event) is `crate::decode::envelope`'s job.

use std::borrow::Cow;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess};
use serde_json::value::RawValue;

use crate::decode::expect::{Expect, read};
use crate::decode::text::{Text, text_value};
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
    /// Reads an envelope; only a JSON object is accepted.
    pub(crate) fn parse(text: &'a str, location: JsonLocation) -> Result<Self, Error> {
        read_envelope(text, true).or_else(|_| {
            // The one-pass decode failed (a malformed body, or an event that
            // does not fit its model): read again without it, which yields
            // the precise error, or the event to decode on its own, which
            // then says where it does not fit.
            read_envelope(text, false).map_err(|e| json_error(&e, location))
        })
    }

    /// Whether the body has the legacy message-card callback's shape: a
    /// `token` and none of an event's or a challenge's members. That
    /// callback is always signed (`X-Lark-Signature`, SHA-1 over the
    /// Verification Token), so one without a signature is `missing_signature`.
    pub(crate) fn is_legacy_card_shape(&self) -> bool {
        self.token.is_some()
            && self.schema.is_none()
            && self.header.is_none()
            && self.event.is_none()
            && self.typed.is_none()
            && self.kind.is_none()
            && self.encrypt.is_none()
            && self.challenge.is_none()
    }
}

fn read_envelope(text: &str, typed_in_pass: bool) -> Result<Envelope<'_>, serde_json::Error> {
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
        read(d, self)
    }
}

impl<'de> Expect<'de> for EnvelopeSeed {
    type Value = Envelope<'de>;

    fn expected(&self) -> &'static str {
        "a JSON object"
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
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
                map.next_value::<IgnoredAny>()?;
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
    if schema?.get() != "\"2.0\"" {
        return None;
    }
    let [event_type] = members(header?.get(), &["event_type"])?;
    TypedEvent::find(text_value(event_type?)?.as_str())
}

/// The members `names` of the JSON object `json`, each as its JSON text
/// (`None` when absent or null), any other member skipped. `None` when
/// `json` is not an object (an array is not read by position) or names one
/// of them twice.
pub(crate) fn members<'a, const N: usize>(
    json: &'a str,
    names: &'static [&'static str; N],
) -> Option<[Option<&'a RawValue>; N]> {
    let mut found = [None; N];
    // One reader for every number of names (`Members` is not generic).
    let mut de = serde_json::Deserializer::from_str(json);
    read(
        &mut de,
        Members {
            names,
            found: &mut found,
        },
    )
    .ok()?;
    Some(found)
}

/// Reads the members [`members`] asks for into `found`.
struct Members<'a, 'f> {
    names: &'static [&'static str],
    found: &'f mut [Option<&'a RawValue>],
}

impl<'de> Expect<'de> for Members<'de, '_> {
    type Value = ();

    fn expected(&self) -> &'static str {
        "an object"
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        // No list has more than 64 names.
        let mut seen = 0u64;
        while let Some(key) = map.next_key::<Text<'de>>()? {
            let wanted = self.names.iter().position(|n| *n == key.as_str());
            let wanted = wanted.and_then(|index| {
                let bit = 1u64.checked_shl(u32::try_from(index).ok()?)?;
                Some((bit, self.found.get_mut(index)?))
            });
            let Some((bit, slot)) = wanted else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if seen & bit != 0 {
                return Err(A::Error::custom("a member appears more than once"));
            }
            seen |= bit;
            *slot = map.next_value()?;
        }
        Ok(())
    }
}

/// `serde_json`'s message: for syntax errors the category, line and column;
/// for data errors the core's own words (`crate::decode::expect`), which
/// name kinds and members, never a value (the body, or decrypted text).
pub(crate) fn json_error(e: &serde_json::Error, location: JsonLocation) -> Error {
    Error::InvalidJson {
        location,
        detail: e.to_string(),
    }
}
