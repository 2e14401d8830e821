//! Deserializers that accept what the platform really sends, not only what
//! its documentation says (see `NOTES.md`, "Where reality and the
//! documentation disagree").
//!
//! All are visitor-based (no intermediate `serde_json::Value`), so tolerance
//! costs nothing on the common path. Integers never pass through `f64`
//! unless the sender wrote them as floats.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Largest integer an `f64` holds exactly (2^53); floats beyond it are
/// refused as integers because their low digits are already lost.
const F64_EXACT: f64 = 9_007_199_254_740_992.0;

/// An integer written as a JSON integer, as a float with no fraction
/// (`3.0`), or as a decimal string (`"3"`, `"-1"`).
pub(crate) struct Int;

impl<'de> Visitor<'de> for Int {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, or a string of decimal digits")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom("integer beyond the signed 64-bit range"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.is_finite() && v.fract() == 0.0 && v.abs() <= F64_EXACT {
            #[allow(clippy::cast_possible_truncation)] // exact: integral and within ±2^53
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        parse_decimal(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// `-?[0-9]{1,19}` within `i64`; no `+`, no spaces, no fraction.
fn parse_decimal(v: &str) -> Option<i64> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

/// A number written as a JSON number or a numeric string.
struct Float;

impl<'de> Visitor<'de> for Float {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a numeric string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        #[allow(clippy::cast_precision_loss)] // durations: far below 2^53
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() && !v.is_empty() && !v.starts_with('+') => Ok(n),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// An identifier or other text written as a string, or as a JSON integer
/// (kept digit for digit: a 64-bit id never passes through `f64`).
struct Text;

impl<'de> Visitor<'de> for Text {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, or an integer of at most 64 bits")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // serde_json hands integers beyond 64 bits over as f64: refuse them
        // rather than keep a rounded id.
        Err(E::invalid_value(de::Unexpected::Float(v), &self))
    }
}

/// Wraps a visitor so that JSON `null` (and a missing field, via
/// `#[serde(default)]`) becomes `None`.
struct Nullable<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Nullable<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self.0).map(Some)
    }
}

/// `Option<i64>` from an integer or a decimal string.
pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_option(Nullable(Int))
}

/// A millisecond timestamp: an integer or decimal string; `-1` (the
/// platform's "no value") becomes `None`.
pub(crate) fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(d.deserialize_option(Nullable(Int))?.filter(|&ms| ms != -1))
}

/// `Option<f64>` from a number or a numeric string.
pub(crate) fn float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_option(Nullable(Float))
}

/// `Option<String>` from a string or an integer (ids documented as either).
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_option(Nullable(Text))
}

/// `Option<Vec<T>>` from one object or an array of them: the documentation
/// shows one object where real payloads (and the REST API) carry a list.
pub(crate) fn one_or_many<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_option(Nullable(OneOrMany(PhantomData)))
}

struct OneOrMany<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or an array of objects")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|one| vec![one])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // Cap the pre-allocation: the hint comes from the input.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }
}

/// Deserializes one of the enumerations (stage, status, ...) from its code.
pub(crate) fn code<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(Int)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq, Default)]
    #[serde(default)]
    struct Probe {
        #[serde(deserialize_with = "super::int")]
        int: Option<i64>,
        #[serde(deserialize_with = "super::millis")]
        millis: Option<i64>,
        #[serde(deserialize_with = "super::float")]
        float: Option<f64>,
        #[serde(deserialize_with = "super::text")]
        text: Option<String>,
        #[serde(deserialize_with = "super::one_or_many")]
        many: Option<Vec<u8>>,
    }

    fn probe(json: &str) -> Result<Probe, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn integers_come_as_numbers_strings_or_integral_floats() {
        assert_eq!(probe(r#"{"int":222}"#).unwrap().int, Some(222));
        assert_eq!(probe(r#"{"int":"10"}"#).unwrap().int, Some(10));
        assert_eq!(probe(r#"{"int":"-1"}"#).unwrap().int, Some(-1));
        assert_eq!(probe(r#"{"int":3.0}"#).unwrap().int, Some(3));
        assert_eq!(probe(r#"{"int":null}"#).unwrap().int, None);
        assert_eq!(probe(r#"{}"#).unwrap().int, None);
        for bad in [
            r#"{"int":1.5}"#,
            r#"{"int":"+1"}"#,
            r#"{"int":" 1"}"#,
            r#"{"int":"1e3"}"#,
            r#"{"int":""}"#,
            r#"{"int":true}"#,
            r#"{"int":18446744073709551615}"#,
            r#"{"int":1e300}"#,
        ] {
            assert!(probe(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn millisecond_timestamps_beyond_32_bits_and_minus_one() {
        assert_eq!(
            probe(r#"{"millis":1616920429000}"#).unwrap().millis,
            Some(1_616_920_429_000)
        );
        assert_eq!(probe(r#"{"millis":-1}"#).unwrap().millis, None);
        assert_eq!(probe(r#"{"millis":"-1"}"#).unwrap().millis, None);
    }

    #[test]
    fn ids_keep_every_digit() {
        assert_eq!(
            probe(r#"{"text":7262656095919128578}"#)
                .unwrap()
                .text
                .as_deref(),
            Some("7262656095919128578")
        );
        assert_eq!(
            probe(r#"{"text":18446744073709551615}"#)
                .unwrap()
                .text
                .as_deref(),
            Some("18446744073709551615")
        );
        assert!(probe(r#"{"text":18446744073709551616}"#).is_err());
        assert!(probe(r#"{"text":1.5}"#).is_err());
    }

    #[test]
    fn floats_from_numbers_and_strings() {
        assert_eq!(
            probe(r#"{"float":42624.95}"#).unwrap().float,
            Some(42624.95)
        );
        assert_eq!(probe(r#"{"float":"1.5"}"#).unwrap().float, Some(1.5));
        assert_eq!(probe(r#"{"float":7}"#).unwrap().float, Some(7.0));
        assert!(probe(r#"{"float":"NaN"}"#).is_err());
        assert!(probe(r#"{"float":"inf"}"#).is_err());
    }

    #[test]
    fn one_object_or_an_array() {
        assert_eq!(probe(r#"{"many":[1,2]}"#).unwrap().many, Some(vec![1, 2]));
        assert_eq!(probe(r#"{"many":[]}"#).unwrap().many, Some(vec![]));
        assert!(probe(r#"{"many":"x"}"#).is_err());
    }
}
