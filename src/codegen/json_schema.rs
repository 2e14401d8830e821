//! JSON Schemas (draft 2020-12) of the typed `event` of every typed event
//! type and of the legacy message-card callback, generated from the
//! registry like the TypeScript declarations: each field's [`Kind`] says
//! what JSON the decoder writes for it, and that is what the schema
//! allows. Shipped as `larkhook/schemas/<event_type>.json`
//! (`card_action.json` for the legacy callback) and printed by
//! `larkhook schema`; `tests/generated.rs` keeps the checked-in copies in
//! step, and the JavaScript suite validates every typed result against them
//! with an independent validator.
//!
//! A schema describes the normalized JSON of `result.event` (ids as
//! strings, one-or-many fields as arrays, absent fields left out), not the
//! platform's looser wire form: no field is required, and none beyond the
//! model's may appear (`additionalProperties: false`).

use std::fmt::Write as _;

use crate::codegen::typed_bodies;
use crate::event::TypedEvent;
use crate::model::{CodeSpec, ENUMERATIONS, Kind, Schema, docs};

/// The JSON Schema dialect every generated schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The largest integer JavaScript holds exactly: every integer the decoder
/// writes lies within ±this.
const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// A JSON value with its members in the order written.
enum Node {
    Text(String),
    Integer(i64),
    Bool(bool),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    fn text(s: &str) -> Node {
        Node::Text(s.to_owned())
    }

    fn write(&self, indent: usize, out: &mut String) {
        let pad = |n: usize| " ".repeat(n);
        match self {
            Node::Text(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            Node::Integer(n) => {
                let _ = write!(out, "{n}");
            }
            Node::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Node::List(items) if items.iter().all(|i| !matches!(i, Node::Object(_))) => {
                // Short lists of scalars on one line.
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(indent, out);
                }
                out.push(']');
            }
            Node::List(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad(indent.saturating_add(2)));
                    item.write(indent.saturating_add(2), out);
                    out.push_str(if i.saturating_add(1) < items.len() {
                        ",\n"
                    } else {
                        "\n"
                    });
                }
                out.push_str(&pad(indent));
                out.push(']');
            }
            Node::Object(members) if members.is_empty() => out.push_str("{}"),
            Node::Object(members) => {
                out.push_str("{\n");
                for (i, (key, value)) in members.iter().enumerate() {
                    out.push_str(&pad(indent.saturating_add(2)));
                    out.push_str(&serde_json::to_string(key).unwrap_or_default());
                    out.push_str(": ");
                    value.write(indent.saturating_add(2), out);
                    out.push_str(if i.saturating_add(1) < members.len() {
                        ",\n"
                    } else {
                        "\n"
                    });
                }
                out.push_str(&pad(indent));
                out.push('}');
            }
        }
    }
}

/// A documentation text on one line.
fn prose(doc: &str) -> String {
    doc.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn member(key: &str, value: Node) -> (String, Node) {
    (key.to_owned(), value)
}

fn safe_integer(description: String) -> Vec<(String, Node)> {
    vec![
        member("type", Node::text("integer")),
        member("minimum", Node::Integer(-MAX_SAFE_INTEGER)),
        member("maximum", Node::Integer(MAX_SAFE_INTEGER)),
        member("description", Node::Text(description)),
    ]
}

fn code_spec(name: &str) -> Option<&'static CodeSpec> {
    ENUMERATIONS.iter().copied().find(|spec| spec.name == name)
}

/// The schema of one field's value, given its documentation; records the
/// models it refers to in `defs`.
fn field_schema(kind: Kind, doc: &str, defs: &mut Vec<&'static Schema>) -> Option<Node> {
    let description = prose(doc);
    let mut refer = |schema: &'static Schema| {
        if !defs.iter().any(|d| d.name == schema.name) {
            defs.push(schema);
        }
        Node::Object(vec![member(
            "$ref",
            Node::Text(format!("#/$defs/{}", schema.name)),
        )])
    };
    let members = match kind {
        Kind::Token => return None,
        Kind::Text | Kind::Id64 => vec![
            member("type", Node::text("string")),
            member("description", Node::Text(description)),
        ],
        Kind::Int | Kind::Millis => safe_integer(description),
        Kind::Code(name) => {
            let mut members = safe_integer(description);
            if let Some(spec) = code_spec(name) {
                let codes = spec.table.iter().map(|c| Node::Integer(c.code));
                members.push(member("examples", Node::List(codes.collect())));
            }
            members
        }
        Kind::Seconds | Kind::Minutes => vec![
            member("type", Node::text("number")),
            member("description", Node::Text(description)),
        ],
        Kind::Bool => vec![
            member("type", Node::text("boolean")),
            member("description", Node::Text(description)),
        ],
        Kind::Strings => vec![
            member("type", Node::text("array")),
            member(
                "items",
                Node::Object(vec![member("type", Node::text("string"))]),
            ),
            member("description", Node::Text(description)),
        ],
        Kind::Object(schema) => {
            let Node::Object(mut members) = refer(schema) else {
                return None;
            };
            members.push(member("description", Node::Text(description)));
            members
        }
        Kind::List(schema) | Kind::OneOrMany(schema) => vec![
            member("type", Node::text("array")),
            member("items", refer(schema)),
            member("description", Node::Text(description)),
        ],
        Kind::Json(shape) => {
            let mut members = Vec::new();
            match shape.json_types() {
                [] => {}
                [one] => members.push(member("type", Node::text(one))),
                many => members.push(member(
                    "type",
                    Node::List(many.iter().map(|t| Node::text(t)).collect()),
                )),
            }
            members.push(member("description", Node::Text(description)));
            members
        }
    };
    Some(Node::Object(members))
}

/// An object schema for a model: its properties, closed to others.
fn object_schema(schema: &'static Schema, defs: &mut Vec<&'static Schema>) -> Vec<(String, Node)> {
    let model_docs = docs(schema);
    let mut properties = Vec::new();
    for (i, field) in schema.fields.iter().enumerate() {
        let doc = model_docs
            .and_then(|d| d.fields.get(i))
            .map_or("", |d| d.doc);
        if let Some(node) = field_schema(field.kind, doc, defs) {
            properties.push(member(field.name, node));
        }
    }
    let mut members = vec![member("type", Node::text("object"))];
    if let Some(model_docs) = model_docs {
        members.push(member("description", Node::Text(prose(model_docs.doc))));
    }
    members.push(member("properties", Node::Object(properties)));
    members.push(member("additionalProperties", Node::Bool(false)));
    members
}

/// The JSON Schema of one typed body's `event`, as text.
fn schema_text(entry: &TypedEvent) -> String {
    let mut defs = Vec::new();
    let body = object_schema(entry.schema, &mut defs);
    let mut members = vec![
        member("$schema", Node::text(DIALECT)),
        member(
            "$id",
            Node::Text(format!("urn:larkhook:schema:{}", entry.event_type)),
        ),
        member(
            "title",
            Node::Text(format!("{} ({})", entry.event_type, entry.name)),
        ),
    ];
    members.extend(body);
    // Models referred to from models referred to: until none is new.
    let mut written = Vec::new();
    let mut next = 0;
    while let Some(schema) = defs.get(next).copied() {
        next = next.saturating_add(1);
        let model = object_schema(schema, &mut defs);
        written.push(member(schema.name, Node::Object(model)));
    }
    if !written.is_empty() {
        members.push(member("$defs", Node::Object(written)));
    }
    let mut out = String::new();
    Node::Object(members).write(0, &mut out);
    out.push('\n');
    out
}

/// The JSON Schema of the typed `event` of `name`, an event type such as
/// `card.action.trigger` or `card_action` (the legacy message-card
/// callback); `None` for a type larkhook does not type.
///
/// ```
/// let schema = larkhook::codegen::json_schema("helpdesk.ticket.created_v1").unwrap();
/// assert!(schema.contains("https://json-schema.org/draft/2020-12/schema"));
/// assert!(larkhook::codegen::json_schema("im.message.receive_v1").is_none());
/// ```
pub fn json_schema(name: &str) -> Option<String> {
    typed_bodies()
        .find(|e| e.event_type == name)
        .map(schema_text)
}

/// Every schema as `(file name, text)`: `<event_type>.json` for each typed
/// event type, then `card_action.json`.
pub fn json_schemas() -> Vec<(String, String)> {
    typed_bodies()
        .map(|e| (format!("{}.json", e.event_type), schema_text(e)))
        .collect()
}
