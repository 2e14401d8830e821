//! The fields a payload has that its typed model does not know: new
//! platform fields, or typos in a hand-made payload. For tools such as the
//! inspector, never on the request path.

use serde_json::Value;

use crate::model::{Kind, Schema};

/// The paths (`ticket.priority`, `ticket.comments[0].extra`) of members of
/// the `event` object in `raw` (a whole envelope's JSON text) that `schema`
/// does not list.
pub(crate) fn unrecognized_fields(raw: &str, schema: &Schema) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct EventOnly {
        event: Option<Value>,
    }
    let mut unknown = Vec::new();
    if let Ok(EventOnly { event: Some(event) }) = serde_json::from_str::<EventOnly>(raw) {
        collect(&event, schema, "", &mut unknown);
    }
    unknown
}

/// Appends the paths of members of `value` that `schema` does not list.
/// Arrays are walked element by element (a one-or-many field may be either).
fn collect(value: &Value, schema: &Schema, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let member_path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                match schema.field(name).map(|f| f.kind) {
                    None => out.push(member_path),
                    Some(Kind::Object(child) | Kind::List(child) | Kind::OneOrMany(child)) => {
                        collect(member, child, &member_path, out);
                    }
                    Some(_) => {}
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect(item, schema, &format!("{path}[{index}]"), out);
            }
        }
        _ => {}
    }
}
