//! JSON strings read without a copy when they can be: shared by the
//! envelope reader (`wire`) and the typed decoder (`typed`).

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::value::RawValue;

use crate::decode::expect::{Expect, read};

/// A string borrowed from the input when it has no escapes.
pub(crate) struct Text<'a>(pub(crate) Cow<'a, str>);

impl Text<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read(d, AString)
    }
}

/// Expects a string.
struct AString;

impl<'de> Expect<'de> for AString {
    type Value = Text<'de>;

    fn expected(&self) -> &'static str {
        "a string"
    }

    fn string<E: de::Error>(self, text: Cow<'de, str>) -> Result<Text<'de>, E> {
        Ok(Text(text))
    }
}

/// A JSON string's value (borrowed when it has no escapes), or `None` for
/// any other JSON type.
pub(crate) fn text_value(raw: &RawValue) -> Option<Text<'_>> {
    // serde_json checked the raw text when it captured it: between its
    // quotes, a string without a backslash is its own value (the common
    // case; read again only when it has escapes to undo).
    let json = raw.get();
    if let Some(inner) = json.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        if !inner.contains('\\') {
            return Some(Text(Cow::Borrowed(inner)));
        }
    }
    Text::deserialize(&mut serde_json::Deserializer::from_str(json)).ok()
}

/// A JSON string's value, or `None` for any other JSON type.
pub(crate) fn string_value(raw: &RawValue) -> Option<String> {
    text_value(raw).map(|text| text.0.into_owned())
}
