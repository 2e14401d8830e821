//! The payload inspector's field tables (`www-demo/fields.generated.mjs`),
//! from the same registry as the declarations and constants.

use std::fmt::Write as _;

use super::{NOTE, js, prose, typed_bodies};
use crate::model::{EVENT_HEADER, Field, FieldDocs, Kind, Schema, docs};

/// The inspector's kind for a field (how its value is shown).
fn view_kind(field: &Field) -> String {
    match field.kind {
        Kind::Text => "text".to_owned(),
        Kind::Id64 => "id64".to_owned(),
        Kind::Int => "int".to_owned(),
        Kind::Millis => "ms".to_owned(),
        Kind::Seconds => "seconds".to_owned(),
        Kind::Minutes => "minutes".to_owned(),
        Kind::Bool => "bool".to_owned(),
        Kind::Strings => "texts".to_owned(),
        Kind::Token => "token".to_owned(),
        Kind::Code(_) => format!("enum:{}", field.name),
        Kind::Object(_) => "object".to_owned(),
        Kind::List(_) | Kind::OneOrMany(_) => "list".to_owned(),
        Kind::Json(_) => "json".to_owned(),
    }
}

/// One field of the inspector's tables, its children nested; fields under
/// one the page does not list are not on the page either.
fn view_node(
    field: &Field,
    field_docs: &FieldDocs,
    on_page: bool,
    indent: usize,
    out: &mut String,
) {
    let on_page = on_page && field_docs.on_page;
    let page_type = match field.kind {
        Kind::List(_) if !field_docs.page_type.ends_with("[]") => {
            format!("{}[]", field_docs.page_type)
        }
        _ => field_docs.page_type.to_owned(),
    };
    let pad = " ".repeat(indent);
    let zh = if field_docs.zh.is_empty() || !on_page {
        "null".to_owned()
    } else {
        js(field_docs.zh)
    };
    let _ = write!(
        out,
        "{pad}{{ key: {}, type: {}, kind: {}, en: {}, zh: {zh}, page: {on_page}",
        js(field.name),
        js(&page_type),
        js(&view_kind(field)),
        js(&prose(field_docs.doc)),
    );
    match field.kind {
        Kind::Object(child) | Kind::List(child) | Kind::OneOrMany(child) => {
            out.push_str(", children: [\n");
            view_fields(child, on_page, indent.saturating_add(2), out);
            let _ = writeln!(out, "{pad}] }},");
        }
        _ => out.push_str(" },\n"),
    }
}

/// The nodes of a registered schema's fields.
fn view_fields(schema: &Schema, on_page: bool, indent: usize, out: &mut String) {
    let Some(schema_docs) = docs(schema) else {
        return;
    };
    for (field, field_docs) in schema.fields.iter().zip(schema_docs.fields) {
        view_node(field, field_docs, on_page, indent, out);
    }
}

/// `www-demo/fields.generated.mjs`: the inspector's field tables.
pub fn fields_module() -> String {
    let mut out = String::from(NOTE);
    out.push_str(
        "//\n// A node: { key, type (the page's type name), kind (how the typed view shows it:\n// text, id64, int, ms, seconds, minutes, bool, texts, enum:<field>, object, list,\n// json, token), en, zh (the page's own description, verbatim, or null), page (whether\n// the event page lists it; false for fields only the official SDKs model),\n// children? }.\n\n",
    );
    out.push_str("/** The envelope header: the same on every page. `token` is checked, never shown. */\nexport const HEADER_FIELDS = [\n");
    view_fields(&EVENT_HEADER, true, 2, &mut out);
    out.push_str("];\n\n/**\n * Per event type: its title, its page's title (`zh`), and the groups of\n * `event`, each `{ title, page?, path, type, fields }`: `path` is where the\n * group sits in `event`, `page` the page's own description of it.\n */\nexport const EVENTS = {\n");
    for event in typed_bodies() {
        let _ = writeln!(
            out,
            "  {}: {{\n    title: {},\n    zh: {},\n    groups: [",
            js(event.event_type),
            js(event.title),
            js(event.page_title)
        );
        let Some(event_docs) = docs(event.schema) else {
            continue;
        };
        let fields: Vec<(&Field, &FieldDocs)> =
            event.schema.fields.iter().zip(event_docs.fields).collect();
        let (groups, root): (Vec<_>, Vec<_>) =
            fields.into_iter().partition(|(_, d)| !d.group.is_empty());
        if !root.is_empty() {
            let _ = writeln!(
                out,
                "      {{ title: {}, path: [], type: {}, fields: [",
                js(event.root_title),
                js(event_docs.page_type)
            );
            for (field, field_docs) in root {
                view_node(field, field_docs, true, 8, &mut out);
            }
            out.push_str("      ] },\n");
        }
        for (field, field_docs) in groups {
            let (Kind::Object(child) | Kind::List(child) | Kind::OneOrMany(child)) = field.kind
            else {
                continue;
            };
            let child_type = docs(child).map_or("", |d| d.page_type);
            let _ = writeln!(
                out,
                "      {{ title: {}, page: {}, path: [{}], type: {}, fields: [",
                js(field_docs.group),
                js(field_docs.zh),
                js(field.name),
                js(child_type)
            );
            view_fields(child, field_docs.on_page, 8, &mut out);
            out.push_str("      ] },\n");
        }
        out.push_str("    ],\n  },\n");
    }
    out.push_str("};\n");
    out
}
