//! A JSON object read member by member, in order, each value kept as its
//! original text: for the tools that rewrite or walk payloads (test
//! deliveries, unknown fields) without a `serde_json::Value`, so that no
//! number is rounded and no order is lost.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A JSON object read field by field, in order, with each value kept as
/// its original text.
#[derive(Default)]
pub(crate) struct OrderedObject(pub(crate) Vec<(String, Box<RawValue>)>);

impl OrderedObject {
    pub(crate) fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }

    pub(crate) fn set(&mut self, key: &str, value: Box<RawValue>) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }
}

impl<'de> Deserialize<'de> for OrderedObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = OrderedObject;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<OrderedObject, A::Error> {
                let mut fields = OrderedObject::default();
                while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                    if fields.get(&key).is_some() {
                        return Err(serde::de::Error::custom(format_args!(
                            "duplicate field `{key}`"
                        )));
                    }
                    fields.0.push((key, value));
                }
                Ok(fields)
            }
        }
        d.deserialize_map(Fields)
    }
}

impl Serialize for OrderedObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}
