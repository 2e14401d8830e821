//! Reading a JSON value of the kinds a reader expects: every read of the
//! request path goes through [`read`], which hands the value to an
//! [`Expect`] by its kind (null, string, array, object) and refuses any
//! other kind with the core's own message, `invalid type: <kind>, expected
//! <what>`. The message names the kind found (`null`, `boolean`, `integer`,
//! `floating point`, `string`, `array`, `object`), never the value.
//!
//! Why not serde's typed reads (`deserialize_str`, `deserialize_map`, the
//! derives): on a value of the wrong kind, serde_json writes the value into
//! its message (a string in full, a number through Rust's float formatter),
//! so every message had to be scrubbed again, and that formatting code (the
//! float formatter with its tables, `str`'s `Debug` escaping) made up a
//! quarter of the request-path module although a valid delivery never runs
//! it (BENCHMARKS.md). Here the value is never formatted at all;
//! `tests/js/packaging.test.mjs` checks that the module carries no
//! serde message that quotes one.

use std::borrow::Cow;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// A reader of the JSON kinds it accepts. Each kind it does not override is
/// refused, with a message saying what was [expected](Expect::expected).
pub(crate) trait Expect<'de>: Sized {
    type Value;

    /// What the reader expects, completing "expected …": `a string`.
    fn expected(&self) -> &'static str;

    fn null<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(wrong_kind("null", self.expected()))
    }

    /// A string, borrowed from the input when it has no escapes.
    fn string<E: de::Error>(self, _text: Cow<'de, str>) -> Result<Self::Value, E> {
        Err(wrong_kind("string", self.expected()))
    }

    fn array<A: SeqAccess<'de>>(self, _items: A) -> Result<Self::Value, A::Error> {
        Err(wrong_kind("array", self.expected()))
    }

    fn object<A: MapAccess<'de>>(self, _members: A) -> Result<Self::Value, A::Error> {
        Err(wrong_kind("object", self.expected()))
    }
}

/// Reads one value with `expect` (see the module docs).
pub(crate) fn read<'de, D, X>(d: D, expect: X) -> Result<X::Value, D::Error>
where
    D: Deserializer<'de>,
    X: Expect<'de>,
{
    d.deserialize_any(ByKind(expect))
}

/// The refusal of a value of another kind: its kind and what was expected.
pub(crate) fn wrong_kind<E: de::Error>(found: &str, expected: &str) -> E {
    E::custom(format_args!("invalid type: {found}, expected {expected}"))
}

/// The visitor behind [`read`]: every kind `deserialize_any` can report,
/// handed to the [`Expect`] or refused, so that none of serde's own
/// messages (which quote the value) is ever built.
struct ByKind<X>(X);

impl<'de, X: Expect<'de>> Visitor<'de> for ByKind<X> {
    type Value = X::Value;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.0.expected())
    }

    fn visit_unit<E: de::Error>(self) -> Result<X::Value, E> {
        self.0.null()
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<X::Value, E> {
        Err(wrong_kind("boolean", self.0.expected()))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<X::Value, E> {
        Err(wrong_kind("integer", self.0.expected()))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<X::Value, E> {
        Err(wrong_kind("integer", self.0.expected()))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<X::Value, E> {
        Err(wrong_kind("floating point", self.0.expected()))
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<X::Value, E> {
        self.0.string(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<X::Value, E> {
        self.0.string(Cow::Owned(text.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, items: A) -> Result<X::Value, A::Error> {
        self.0.array(items)
    }

    fn visit_map<A: MapAccess<'de>>(self, members: A) -> Result<X::Value, A::Error> {
        self.0.object(members)
    }
}
