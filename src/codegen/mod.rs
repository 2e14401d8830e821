//! Generates the npm package's TypeScript declarations, its JavaScript
//! constants and the payload inspector's field tables from the registry
//! (the models' schemas, the typed events, the enumerations, the error
//! codes, the step ids, the defaults), so there is one source of truth.
//! `tests/generated.rs` fails when the checked-in files drift from what this
//! produces; `make generate` rewrites them.
//!
//! Not part of parsing: nothing here reaches the WebAssembly module.

use std::fmt::Write as _;

mod fields;
mod json_schema;

pub use fields::fields_module;
pub use json_schema::{json_schema, json_schemas};

use crate::event::{CARD_ACTION, TYPED_EVENTS, TypedEvent};
use crate::model::{
    CodeSpec, ENUMERATIONS, EVENT_HEADER, EVENT_HEADER_DOCS, JsonShape, Kind, MODELS, Schema,
    SchemaDocs,
};
use crate::{Error, Setting, StepId};

const NOTE: &str = "// Generated from the Rust registry by `make generate` (cargo test --test generated).\n// Do not edit by hand.\n";

/// A documentation text on one line: the `///` lines joined.
fn prose(doc: &str) -> String {
    doc.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A JavaScript string literal (JSON's syntax is JavaScript's).
fn js(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// The field names each enumeration appears in, in registry order.
fn enum_fields(spec: &CodeSpec) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for (schema, _) in MODELS {
        for field in schema.fields {
            if let Kind::Code(name) = field.kind {
                if name == spec.name && !names.contains(&field.name) {
                    names.push(field.name);
                }
            }
        }
    }
    names
}

fn ts_type(kind: Kind) -> String {
    match kind {
        Kind::Text | Kind::Id64 | Kind::Token => "string".to_owned(),
        Kind::Int | Kind::Millis | Kind::Seconds | Kind::Minutes => "number".to_owned(),
        Kind::Bool => "boolean".to_owned(),
        Kind::Strings => "string[]".to_owned(),
        Kind::Code(name) => name.to_owned(),
        Kind::Object(schema) => schema.name.to_owned(),
        Kind::List(schema) | Kind::OneOrMany(schema) => format!("{}[]", schema.name),
        Kind::Json(JsonShape::Object) => "JsonObject".to_owned(),
        Kind::Json(JsonShape::ObjectOrString) => "JsonObject | string".to_owned(),
        Kind::Json(_) => "JsonValue".to_owned(),
    }
}

/// Every registry entry with a typed body: the typed event types, then the
/// legacy message-card callback (`card_action`).
pub fn typed_bodies() -> impl Iterator<Item = &'static TypedEvent> {
    TYPED_EVENTS.iter().chain(core::iter::once(&CARD_ACTION))
}

fn ts_interface(schema: &Schema, schema_docs: &SchemaDocs, out: &mut String) {
    let _ = writeln!(
        out,
        "/** {} */\nexport interface {} {{",
        prose(schema_docs.doc),
        schema.name
    );
    for (field, field_docs) in schema.fields.iter().zip(schema_docs.fields) {
        if matches!(field.kind, Kind::Token) {
            continue;
        }
        let optional = if field_docs.required { "" } else { "?" };
        let _ = writeln!(
            out,
            "  /** {} */\n  {}{optional}: {};",
            prose(field_docs.doc),
            field.name,
            ts_type(field.kind)
        );
    }
    out.push_str("}\n\n");
}

/// `pkg-template/src/types/types.generated.d.ts`.
pub fn declarations() -> String {
    let mut out = String::from(NOTE);
    out.push('\n');
    ts_enumeration_types(&mut out);
    for (schema, schema_docs) in MODELS {
        ts_interface(schema, schema_docs, &mut out);
    }
    ts_interface(&EVENT_HEADER, &EVENT_HEADER_DOCS, &mut out);
    out.push_str(
        "/** The event body of `helpdesk.ticket.created_v1`: the new ticket. */\nexport type TicketCreatedV1 = TicketEvent;\n\n",
    );
    out.push_str(INBOUND_DECLARATIONS);
    ts_event_types(&mut out);
    ts_code_types(&mut out);
    ts_constants(&mut out);
    out
}

/// The type of each enumerated field: its documented codes, or any number.
fn ts_enumeration_types(out: &mut String) {
    for spec in ENUMERATIONS {
        let codes: Vec<String> = spec
            .table
            .iter()
            .map(|e| format!("{} {}", e.code, e.en))
            .collect();
        let mut union: Vec<String> = spec.table.iter().map(|e| e.code.to_string()).collect();
        union.push("(number & {})".to_owned());
        let _ = writeln!(
            out,
            "/** `{}`: {}; other numbers may appear and are kept. */\nexport type {} = {};\n",
            enum_fields(spec).join("`, `"),
            codes.join(", "),
            spec.name,
            union.join(" | ")
        );
    }
}

/// One type per typed event, and their union.
fn ts_event_types(out: &mut String) {
    for event in &TYPED_EVENTS {
        let _ = writeln!(
            out,
            "/** `{0}` */\nexport type {1}Event = TypedEvent<\"{0}\", {2}>;",
            event.event_type, event.variant, event.name
        );
    }
    let variants: Vec<String> = TYPED_EVENTS
        .iter()
        .map(|e| format!("{}Event", e.variant))
        .collect();
    let _ = writeln!(
        out,
        "\n/** The typed events (the helpdesk events and `card.action.trigger`), a union discriminated by `event_type`. */\nexport type HelpdeskEvent = {};\n",
        variants.join(" | ")
    );
    out.push_str("/** The event types larkhook decodes into typed models. */\nexport type HelpdeskEventType = HelpdeskEvent[\"event_type\"];\n\n");
    let callbacks: Vec<String> = typed_bodies()
        .filter(|e| e.callback)
        .map(|e| format!("\"{}\"", e.event_type))
        .collect();
    let _ = writeln!(
        out,
        "/** The callbacks: `createHandler` answers them with their handler's value (a toast, a card). */\nexport type CallbackType = {};\n",
        callbacks.join(" | ")
    );
}

/// The core's error codes and step ids as string unions.
fn ts_code_types(out: &mut String) {
    let union = |items: &mut dyn Iterator<Item = &str>| -> String {
        items
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let _ = writeln!(
        out,
        "/** Every `LarkWebhookError.code` the core raises. */\nexport type ErrorCode = {};\n",
        union(&mut Error::CODES.iter().copied())
    );
    let _ = writeln!(
        out,
        "/** The steps of `parse`, in order, as `inspect` reports them. */\nexport type StepId = {};\n",
        union(&mut StepId::ALL.iter().map(|s| s.as_str()))
    );
}

/// The declarations of the JavaScript constants (codes.generated.mjs).
fn ts_constants(out: &mut String) {
    out.push_str(
        "/** Named constants for the enumerated fields, e.g. `Status.ClosedByBot === 50`. */\n",
    );
    for spec in ENUMERATIONS {
        let members: Vec<String> = spec
            .table
            .iter()
            .map(|e| format!("readonly {}: {}", e.name, e.code))
            .collect();
        let _ = writeln!(
            out,
            "export declare const {}: {{ {} }};",
            spec.name,
            members.join("; ")
        );
    }
    let fields: Vec<String> = ENUMERATIONS
        .iter()
        .flat_map(|spec| enum_fields(spec).into_iter().map(|f| format!("\"{f}\"")))
        .collect();
    let _ = writeln!(
        out,
        "\n/** A field with an enumerated value. */\nexport type EnumField = {};",
        fields.join(" | ")
    );
    let types: Vec<String> = TYPED_EVENTS
        .iter()
        .map(|e| format!("readonly {}: \"{}\"", e.name, e.event_type))
        .collect();
    let _ = writeln!(
        out,
        "\n/** The typed event types by name, e.g. `EventType.TicketUpdatedV1 === \"{}\"`. */\nexport declare const EventType: {{ {} }};",
        crate::TICKET_UPDATED_V1,
        types.join("; ")
    );
}

const INBOUND_DECLARATIONS: &str = r#"/** Any JSON value, as `JSON.parse` returns it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, as `JSON.parse` returns it. */
export type JsonObject = { [key: string]: JsonValue };

/** The URL-verification request: answer HTTP 200 with `response` as JSON. */
export interface ChallengeRequest {
  kind: "challenge";
  /** The value to echo back. */
  challenge: string;
  /** The exact body to answer with. */
  response: { challenge: string };
}

/** One of the typed helpdesk events, decoded into its model. */
export interface TypedEvent<T extends string, E> {
  kind: "event";
  schema: "2.0";
  event_type: T;
  typed: true;
  header: EventHeader;
  /** The event body, field names as in the platform documentation. */
  event: E;
  /**
   * The decrypted JSON text exactly as sent. It holds the Verification Token:
   * readable by name, but not enumerable, so `JSON.stringify` and
   * `util.inspect` of the event leave it out.
   */
  readonly raw: string;
}

/**
 * Any other event, or a helpdesk event whose body did not decode (then
 * `decode_error` says where and why). Integers beyond ±(2^53 − 1) and
 * numbers beyond a double's range in `event` arrive as decimal strings, so
 * that none is silently rounded.
 */
export interface UntypedEvent {
  kind: "untyped_event";
  schema: "2.0" | "1.0";
  event_type: string;
  typed: false;
  header: EventHeader;
  event: JsonValue;
  decode_error?: string;
  /** As `TypedEvent.raw`: readable by name, not enumerable. */
  readonly raw: string;
}

/**
 * A legacy message-card callback (a plain body signed with SHA-1 over the
 * Verification Token): `event` is its body, typed; when the body does not
 * fit the model, `typed` is false and `decode_error` says where. It has no
 * header and no `event_id` (it is not deduplicated); `event_type` is
 * `"card_action"`, its handler's name in `on`. Answer it like `card.action.trigger`.
 */
export type CardActionRequest =
  | { kind: "card_action"; event_type: "card_action"; typed: true; event: CardAction; readonly raw: string }
  | { kind: "card_action"; event_type: "card_action"; typed: false; event: JsonValue; decode_error: string; readonly raw: string };

/**
 * What `parse` returns. Narrow on `kind`, then on `event_type`:
 * `if (m.kind === "event" && m.event_type === "helpdesk.ticket.updated_v1")`
 * makes `m.event` a `TicketUpdatedV1`.
 */
export type Inbound = ChallengeRequest | HelpdeskEvent | UntypedEvent | CardActionRequest;

"#;

/// `pkg-template/src/core/codes.generated.mjs`: constants the JavaScript layer
/// and its users import.
pub fn codes_module() -> String {
    let mut out = String::from(NOTE);
    out.push('\n');
    js_enumerations(&mut out);
    js_registry_lists(&mut out);
    out
}

/// A constant per enumeration (`Status.ClosedByBot`), and every code's labels.
fn js_enumerations(out: &mut String) {
    for spec in ENUMERATIONS {
        let members: Vec<String> = spec
            .table
            .iter()
            .map(|e| format!("{}: {}", e.name, e.code))
            .collect();
        let _ = writeln!(
            out,
            "export const {} = Object.freeze({{ {} }});",
            spec.name,
            members.join(", ")
        );
    }
    out.push_str("\n/** field -> code -> [English, Chinese]; \"*\" is the label for codes not listed. */\nexport const LABELS = Object.freeze({\n");
    for spec in ENUMERATIONS {
        let mut entries: Vec<String> = spec
            .table
            .iter()
            .map(|e| format!("{}: [{}, {}]", e.code, js(e.en), js(e.zh)))
            .collect();
        entries.push(format!(
            "\"*\": [{}, {}]",
            js(spec.other_en),
            js(spec.other_zh)
        ));
        for field in enum_fields(spec) {
            let _ = writeln!(
                out,
                "  {field}: Object.freeze({{ {} }}),",
                entries.join(", ")
            );
        }
    }
    out.push_str("});\n\n");
}

/// The registry's lists: error codes, event types, steps, settings, defaults, headers.
fn js_registry_lists(out: &mut String) {
    let list = |items: &mut dyn Iterator<Item = &str>| -> String {
        items.map(js).collect::<Vec<_>>().join(", ")
    };
    let _ = writeln!(
        out,
        "/** Every error code the core raises, in its order. */\nexport const ERROR_CODES = Object.freeze([{}]);\n",
        list(&mut Error::CODES.iter().copied())
    );
    let types: Vec<String> = TYPED_EVENTS
        .iter()
        .map(|e| format!("{}: {}", e.name, js(e.event_type)))
        .collect();
    let _ = writeln!(
        out,
        "/** The event types larkhook decodes into typed models; every other type arrives untyped. */\nexport const EventType = Object.freeze({{ {} }});\n",
        types.join(", ")
    );
    let callbacks: Vec<String> = typed_bodies()
        .filter(|e| e.callback)
        .map(|e| js(e.event_type))
        .collect();
    let _ = writeln!(
        out,
        "/** The callbacks (`card_action`: the legacy message-card callback's kind): their handler's value is the answer. */\nexport const CALLBACK_TYPES = Object.freeze([{}]);\n",
        callbacks.join(", ")
    );
    let _ = writeln!(
        out,
        "/** The steps of parse, in order (the ids inspect reports). */\nexport const STEP_IDS = Object.freeze([{}]);\n",
        list(&mut StepId::ALL.iter().map(|s| s.as_str()))
    );
    let titles: Vec<String> = StepId::ALL
        .iter()
        .map(|s| format!("{}: {}", s.as_str(), js(s.title())))
        .collect();
    let _ = writeln!(
        out,
        "/** Each step's title for people, by id. */\nexport const STEP_TITLES = Object.freeze({{ {} }});\n",
        titles.join(", ")
    );
    let _ = writeln!(
        out,
        "/** The settings an error can name (see Error::setting in the core). */\nexport const SETTINGS = Object.freeze([{}]);\n",
        list(&mut Setting::ALL.iter().map(|s| s.as_str()))
    );
    let _ = writeln!(
        out,
        "/** The core's defaults. */\nexport const DEFAULTS = Object.freeze({{ toleranceSeconds: {}, maxBodyBytes: {} }});\n\n/** The largest body size limit (`maxBodyBytes`) a configuration accepts. */\nexport const MAX_BODY_BYTES_LIMIT = {};\n",
        crate::DEFAULT_TOLERANCE_SECONDS,
        crate::DEFAULT_MAX_BODY_BYTES,
        crate::MAX_BODY_BYTES_LIMIT
    );
    let _ = writeln!(
        out,
        "/** The signature headers, lower-cased. */\nexport const SIGNATURE_HEADERS = Object.freeze([{}]);",
        list(
            &mut [
                crate::TIMESTAMP_HEADER,
                crate::NONCE_HEADER,
                crate::SIGNATURE_HEADER
            ]
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
        )
    );
}
