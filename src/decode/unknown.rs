//! The fields a payload has that its typed model does not know: new
//! platform fields, or typos in a hand-made payload. For tools such as the
//! inspector, never on the request path.

use serde_json::value::RawValue;

use crate::decode::ordered::OrderedObject;
use crate::event::{Event, TypedEvent};
use crate::model::{Kind, Schema};

impl Event {
    /// The fields present in the event JSON that the typed model does not
    /// know, as paths such as `ticket.priority` (empty for untyped events).
    /// Re-reads [`Event::raw`]; meant for tools such as the inspector, not
    /// for the per-request path.
    pub fn unrecognized_fields(&self) -> Vec<String> {
        let Some(event) = TypedEvent::find(&self.header.event_type).filter(|_| self.is_typed())
        else {
            return Vec::new();
        };
        unrecognized_fields(&self.raw, event.schema)
    }
}

/// The paths (`ticket.priority`, `ticket.comments[0].extra`) of members of
/// the `event` object in `raw` (a whole envelope's JSON text) that `schema`
/// does not list.
pub(crate) fn unrecognized_fields(raw: &str, schema: &Schema) -> Vec<String> {
    let mut unknown = Vec::new();
    let event = serde_json::from_str::<OrderedObject>(raw)
        .ok()
        .and_then(|envelope| envelope.get("event").map(|e| e.get().to_owned()));
    if let Some(event) = event {
        collect(&event, schema, "", &mut unknown);
    }
    unknown
}

/// The paths of members of the object `json` itself (a legacy card
/// callback's body, which has no envelope) that `schema` does not list.
pub(crate) fn unrecognized_members(json: &str, schema: &Schema) -> Vec<String> {
    let mut unknown = Vec::new();
    collect(json, schema, "", &mut unknown);
    unknown
}

/// Appends the paths of members of `json` that `schema` does not list.
/// Arrays are walked element by element (a one-or-many field may be either).
fn collect(json: &str, schema: &Schema, path: &str, out: &mut Vec<String>) {
    if let Ok(members) = serde_json::from_str::<OrderedObject>(json) {
        for (name, member) in &members.0 {
            let member_path = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            match schema.field(name).map(|f| f.kind) {
                None => out.push(member_path),
                Some(Kind::Object(child) | Kind::List(child) | Kind::OneOrMany(child)) => {
                    collect(member.get(), child, &member_path, out);
                }
                Some(_) => {}
            }
        }
    } else if let Ok(items) = serde_json::from_str::<Vec<Box<RawValue>>>(json) {
        for (index, item) in items.iter().enumerate() {
            collect(item.get(), schema, &format!("{path}[{index}]"), out);
        }
    }
}
