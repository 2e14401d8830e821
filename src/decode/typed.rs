//! The typed decoder: reads an event object as the platform sends it and
//! writes the normalized JSON of its model, driven by the model's
//! [`Schema`] (one generic walk for every model, no per-model code).
//!
//! Normalized JSON is what both front ends read: JavaScript parses it as
//! is, and [`crate::Webhook::parse`] deserializes the Rust structs from it.
//! In it, absent and `null` fields are left out, ids are strings, integers
//! are numbers within ±(2^53 − 1), one-or-many fields are arrays, and the
//! platform's `-1` timestamps are absent. Scalars are copied as the sender
//! wrote them (a string keeps its escapes, a number its digits), so nothing
//! is rounded or re-encoded on the way, and no float is ever formatted.

use serde::Deserialize as _;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess};
use serde_json::value::RawValue;

use crate::decode::expect::{Expect, read, wrong_kind};
use crate::decode::number::{is_integer, number_text, safe_integer};
use crate::error::DecodeError;
use crate::model::{JsonShape, Kind, Schema};

/// Decodes `json`, an event object, by `schema`; returns its normalized JSON.
///
/// # Errors
/// A [`DecodeError`] with the path of the offending field (e.g.
/// `ticket.comments[1].id`, `.` for the object itself) and what was expected.
pub(crate) fn normalize(json: &str, schema: &'static Schema) -> Result<String, DecodeError> {
    let mut out = Vec::with_capacity(json.len());
    let mut trail = Trail::default();
    let mut de = serde_json::Deserializer::from_str(json);
    let result = ObjectSeed {
        schema,
        out: &mut out,
        trail: &mut trail,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match result {
        Ok(()) => Ok(into_text(out)),
        Err(e) => Err(trail.into_error(&e)),
    }
}

/// Where a decoding failure is, collected while the error unwinds, and
/// what was expected there when the failure is ours (not serde_json's).
#[derive(Default)]
pub(crate) struct Trail {
    /// Innermost first.
    segments: Vec<Segment>,
    message: Option<&'static str>,
}

enum Segment {
    Key(&'static str),
    Index(usize),
}

impl Trail {
    /// The error with its path, outermost first: `ticket.comments[1].id`.
    pub(crate) fn into_error(self, e: &serde_json::Error) -> DecodeError {
        let mut path = String::new();
        for segment in self.segments.iter().rev() {
            match segment {
                Segment::Key(name) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                }
                Segment::Index(i) => {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                }
            }
        }
        if path.is_empty() {
            path.push('.');
        }
        let message = match self.message {
            Some(message) => message.to_owned(),
            // serde_json's syntax errors, or the kinds `expect` names: no value.
            None => without_position(&e.to_string()),
        };
        DecodeError { path, message }
    }

    fn fail<E: de::Error>(&mut self, message: &'static str) -> E {
        self.message = Some(message);
        E::custom(message)
    }
}

/// serde_json's message without ` at line L column C` (the path says where).
fn without_position(message: &str) -> String {
    match message.rsplit_once(" at line ") {
        Some((reason, _)) => reason.to_owned(),
        None => message.to_owned(),
    }
}

/// The output is built from input text (already UTF-8) and ASCII, so it is
/// UTF-8; the fallback only keeps this free of panics.
fn into_text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_default()
}

/// Decodes one object by its schema into `out`.
pub(crate) struct ObjectSeed<'o> {
    pub(crate) schema: &'static Schema,
    pub(crate) out: &'o mut Vec<u8>,
    pub(crate) trail: &'o mut Trail,
}

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        read(d, self)
    }
}

impl<'de> Expect<'de> for ObjectSeed<'_> {
    type Value = ();

    fn expected(&self) -> &'static str {
        "an object"
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ObjectSeed { schema, out, trail } = self;
        out.push(b'{');
        let start = out.len();
        // Fields already seen (no model has more than 64): a repeated member
        // is refused, so no two readers can see different values.
        let mut seen = 0u64;
        // Members usually arrive in the model's (the documentation's) order:
        // look from the field after the last one found, then wrap around.
        let mut next = 0usize;
        while let Some(key) = map.next_key::<crate::decode::text::Text<'de>>()? {
            let (before, after) = schema.fields.split_at(next.min(schema.fields.len()));
            let found = after
                .iter()
                .zip(next..)
                .chain(before.iter().zip(0..))
                .find(|(f, _)| f.name == key.as_str());
            let Some((field, index)) = found else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            next = index.saturating_add(1);
            let bit = 1u64.checked_shl(u32::try_from(index).unwrap_or(u32::MAX));
            let bit = bit.unwrap_or(0);
            if seen & bit != 0 {
                trail.segments.push(Segment::Key(field.name));
                return Err(trail.fail("the field appears more than once"));
            }
            seen |= bit;
            let mark = out.len();
            if mark > start {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(field.name.as_bytes());
            out.extend_from_slice(b"\":");
            let seed = ValueSeed {
                kind: field.kind,
                out: &mut *out,
                trail: &mut *trail,
            };
            match map.next_value_seed(seed) {
                Ok(Written::Value) => {}
                Ok(Written::Absent) => out.truncate(mark),
                Err(e) => {
                    trail.segments.push(Segment::Key(field.name));
                    return Err(e);
                }
            }
        }
        out.push(b'}');
        Ok(())
    }
}

/// Whether a field's value was written or is absent (null, `-1` millis).
enum Written {
    Value,
    Absent,
}

/// Decodes one field value of a kind into `out`.
struct ValueSeed<'o> {
    kind: Kind,
    out: &'o mut Vec<u8>,
    trail: &'o mut Trail,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Written;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Written, D::Error> {
        let ValueSeed { kind, out, trail } = self;
        match kind {
            Kind::Object(schema) => read(
                d,
                Nested {
                    shape: Shape::Object,
                    schema,
                    out,
                    trail,
                },
            ),
            Kind::List(schema) => read(
                d,
                Nested {
                    shape: Shape::List,
                    schema,
                    out,
                    trail,
                },
            ),
            Kind::OneOrMany(schema) => read(
                d,
                Nested {
                    shape: Shape::OneOrMany,
                    schema,
                    out,
                    trail,
                },
            ),
            Kind::Strings => read(d, StringList { out, trail }),
            Kind::Json(shape) => {
                let raw = <&'de RawValue>::deserialize(d)?;
                let json = raw.get();
                if json == "null" {
                    return Ok(Written::Absent);
                }
                if !shape.admits(json) {
                    return Err(trail.fail(match shape {
                        JsonShape::Object => "expected an object",
                        _ => "expected an object or a string",
                    }));
                }
                out.extend_from_slice(json.as_bytes());
                Ok(Written::Value)
            }
            scalar => {
                let raw = <&'de RawValue>::deserialize(d)?;
                scalar_value(scalar, raw.get(), out).map_err(|message| trail.fail(message))
            }
        }
    }
}

/// Writes one scalar, copied as sent where its form allows.
fn scalar_value(kind: Kind, text: &str, out: &mut Vec<u8>) -> Result<Written, &'static str> {
    if text == "null" {
        return Ok(Written::Absent);
    }
    match kind {
        Kind::Text | Kind::Id64 => {
            if text.starts_with('"') {
                out.extend_from_slice(text.as_bytes());
            } else if is_integer(text) {
                out.push(b'"');
                out.extend_from_slice(text.as_bytes());
                out.push(b'"');
            } else {
                return Err("expected a string, or an integer");
            }
        }
        Kind::Int | Kind::Millis | Kind::Code(_) => {
            let (negative, digits) = safe_integer(text).ok_or(
                "expected an integer within ±(2^53 − 1), or a string of its decimal digits",
            )?;
            if matches!(kind, Kind::Millis) && negative && digits == "1" {
                return Ok(Written::Absent);
            }
            if negative {
                out.push(b'-');
            }
            out.extend_from_slice(digits.as_bytes());
        }
        Kind::Seconds | Kind::Minutes => {
            let number = number_text(text).ok_or("expected a number, or a numeric string")?;
            out.extend_from_slice(number.as_bytes());
        }
        Kind::Bool => {
            if text != "true" && text != "false" {
                return Err("expected true or false");
            }
            out.extend_from_slice(text.as_bytes());
        }
        // Handled by the callers; never a scalar of an event model.
        Kind::Strings
        | Kind::Object(_)
        | Kind::List(_)
        | Kind::OneOrMany(_)
        | Kind::Json(_)
        | Kind::Token => {
            return Err("expected a value of another kind");
        }
    }
    Ok(Written::Value)
}

enum Shape {
    Object,
    List,
    OneOrMany,
}

/// An object, a list of objects, or one-or-many (`null`: absent).
struct Nested<'o> {
    shape: Shape,
    schema: &'static Schema,
    out: &'o mut Vec<u8>,
    trail: &'o mut Trail,
}

impl<'de> Expect<'de> for Nested<'_> {
    type Value = Written;

    fn expected(&self) -> &'static str {
        match self.shape {
            Shape::Object => "an object",
            Shape::List => "an array of objects",
            Shape::OneOrMany => "an object or an array of objects",
        }
    }

    fn null<E: de::Error>(self) -> Result<Written, E> {
        Ok(Written::Absent)
    }

    fn object<A: MapAccess<'de>>(self, map: A) -> Result<Written, A::Error> {
        // One object where a list is allowed: a list of one.
        let listed = match self.shape {
            Shape::Object => false,
            Shape::OneOrMany => true,
            Shape::List => return Err(wrong_kind("object", self.expected())),
        };
        if listed {
            self.out.push(b'[');
        }
        ObjectSeed {
            schema: self.schema,
            out: &mut *self.out,
            trail: &mut *self.trail,
        }
        .object(map)?;
        if listed {
            self.out.push(b']');
        }
        Ok(Written::Value)
    }

    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Written, A::Error> {
        if matches!(self.shape, Shape::Object) {
            return Err(wrong_kind("array", self.expected()));
        }
        self.out.push(b'[');
        let mut index = 0usize;
        loop {
            if index > 0 {
                self.out.push(b',');
            }
            let seed = ObjectSeed {
                schema: self.schema,
                out: &mut *self.out,
                trail: &mut *self.trail,
            };
            match seq.next_element_seed(seed) {
                Ok(Some(())) => index = index.saturating_add(1),
                Ok(None) => {
                    if index > 0 {
                        self.out.pop();
                    }
                    break;
                }
                Err(e) => {
                    self.trail.segments.push(Segment::Index(index));
                    return Err(e);
                }
            }
        }
        self.out.push(b']');
        Ok(Written::Value)
    }
}

/// An array of strings (`null`: absent).
struct StringList<'o> {
    out: &'o mut Vec<u8>,
    trail: &'o mut Trail,
}

impl<'de> Expect<'de> for StringList<'_> {
    type Value = Written;

    fn expected(&self) -> &'static str {
        "an array of strings"
    }

    fn null<E: de::Error>(self) -> Result<Written, E> {
        Ok(Written::Absent)
    }

    fn array<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Written, A::Error> {
        self.out.push(b'[');
        let mut index = 0usize;
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            if !item.get().starts_with('"') {
                self.trail.segments.push(Segment::Index(index));
                return Err(self.trail.fail("expected a string"));
            }
            if index > 0 {
                self.out.push(b',');
            }
            self.out.extend_from_slice(item.get().as_bytes());
            index = index.saturating_add(1);
        }
        self.out.push(b']');
        Ok(Written::Value)
    }
}
