//! The registry's vocabulary: what a field of a typed model is, and what an
//! enumeration is, as data.
//!
//! Every typed model is declared once (with `model!`, in `helpdesk.rs`) and
//! yields its Rust struct, a [`Schema`] (the list of its fields with their
//! [`Kind`]) and its [`SchemaDocs`]; every enumeration (`code_enum!`, in
//! `codes.rs`) yields its [`CodeSpec`]. The schema drives the decoder that
//! turns what the platform sends into the normalized JSON of the model
//! (`crate::decode::typed`) and the list of fields a payload has that the
//! model does not know; the docs feed the generated TypeScript declarations
//! and inspector field tables (`crate::codegen`). They are kept apart so
//! that the documentation never reaches the WebAssembly module, which needs
//! only names and kinds. One declaration, no copies to keep in step.

/// How a field's value is read from the wire and written to the normalized
/// JSON. Every kind accepts `null` or a missing field as "absent".
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Kind {
    /// Text: a string, or an integer of any size written as a number (kept
    /// digit for digit as a string).
    Text,
    /// A 64-bit identifier: read like [`Kind::Text`], shown as an id.
    Id64,
    /// An integer: a number, an integral float (`3.0`) or a decimal string
    /// (`"3"`), within ±(2^53 − 1) so that JavaScript holds it exactly.
    Int,
    /// Milliseconds since the epoch, read like [`Kind::Int`]; the platform's
    /// `-1` ("no value") is absent.
    Millis,
    /// A duration in seconds: a number or a numeric string.
    Seconds,
    /// A duration in minutes: a number or a numeric string.
    Minutes,
    /// `true` or `false`.
    Bool,
    /// An array of strings.
    Strings,
    /// An enumerated code, read like [`Kind::Int`]; unknown codes are kept.
    /// The enumeration's name ([`CodeSpec::name`]).
    Code(&'static str),
    /// A nested object.
    Object(&'static Schema),
    /// An array of objects.
    List(&'static Schema),
    /// One object or an array of them (the documentation shows one where
    /// real payloads carry a list): always an array once normalized.
    OneOrMany(&'static Schema),
    /// A JSON value kept as sent (a card's `action.value`, a form's
    /// values), copied text for text. The JavaScript binding hands its
    /// numbers over as an untyped event's: one JavaScript cannot hold
    /// exactly (beyond ±(2^53 − 1), beyond a double) as a string of its
    /// digits. The shape says which JSON types the field may hold.
    Json(JsonShape),
    /// The Verification Token: checked, never written to the normalized JSON.
    Token,
}

/// Which JSON types a [`Kind::Json`] field may hold. Anything else makes
/// the event arrive untyped, with a decode error saying where (as a string
/// where a number belongs does for any other kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonShape {
    /// Any JSON value.
    Any,
    /// An object.
    Object,
    /// An object or a string (a card button's `value`).
    ObjectOrString,
}

impl JsonShape {
    /// The JSON types the shape allows, as JSON Schema names them.
    pub fn json_types(self) -> &'static [&'static str] {
        match self {
            JsonShape::Any => &[],
            JsonShape::Object => &["object"],
            JsonShape::ObjectOrString => &["object", "string"],
        }
    }

    /// Whether a JSON value (its text, starting with its first character)
    /// has this shape.
    pub(crate) fn admits(self, json: &str) -> bool {
        match self {
            JsonShape::Any => true,
            JsonShape::Object => json.starts_with('{'),
            JsonShape::ObjectOrString => json.starts_with('{') || json.starts_with('"'),
        }
    }
}

/// One field of a [`Schema`].
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The JSON member name, the platform's own.
    pub name: &'static str,
    /// How the value is read and written.
    pub kind: Kind,
}

/// A typed model (or the envelope header) as the decoder needs it: its
/// fields, in documentation order.
#[derive(Clone, Copy, Debug)]
pub struct Schema {
    /// The Rust and TypeScript type name, e.g. `TicketEvent`.
    pub name: &'static str,
    /// The fields.
    pub fields: &'static [Field],
}

impl Schema {
    /// Whether a value of this model can hold a [`Kind::Json`] field, here
    /// or in a model it contains (evaluated at compile time for the
    /// registry: see [`crate::TypedEvent::holds_json`]).
    pub const fn holds_json(&self) -> bool {
        let mut fields = self.fields;
        while let Some((field, rest)) = fields.split_first() {
            let holds = match field.kind {
                Kind::Json(_) => true,
                Kind::Object(s) | Kind::List(s) | Kind::OneOrMany(s) => s.holds_json(),
                _ => false,
            };
            if holds {
                return true;
            }
            fields = rest;
        }
        false
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The documentation of a [`Schema`], field for field in the same order.
#[derive(Clone, Copy, Debug)]
pub struct SchemaDocs {
    /// The type name on the platform's page, e.g. `ticket_event`.
    pub page_type: &'static str,
    /// The model's documentation.
    pub doc: &'static str,
    /// The fields' documentation.
    pub fields: &'static [FieldDocs],
}

/// The documentation of one [`Field`].
#[derive(Clone, Copy, Debug)]
pub struct FieldDocs {
    /// The English description (the Rust field's documentation).
    pub doc: &'static str,
    /// The description on the platform's page, verbatim (Chinese on most
    /// pages, English on some); empty when the page has none.
    pub zh: &'static str,
    /// The type name the platform's page gives (`string`, `int`,
    /// `ticket_user_event`, ...).
    pub page_type: &'static str,
    /// Whether the event page lists the field (`false` for fields only the
    /// official SDKs model).
    pub on_page: bool,
    /// Whether every value carries it (only header fields are required).
    pub required: bool,
    /// For a field shown as a group of its own by the inspector: its title.
    pub group: &'static str,
}

/// An enumeration as data: its name, the field names it appears in, and its
/// table of documented codes.
#[derive(Clone, Copy, Debug)]
pub struct CodeSpec {
    /// The Rust enum and JavaScript constant name, e.g. `Status`.
    pub name: &'static str,
    /// Every documented code with its labels.
    pub table: &'static [CodeLabel],
    /// The English label for a code the documentation does not list.
    pub other_en: &'static str,
    /// The Chinese label for a code the documentation does not list.
    pub other_zh: &'static str,
}

/// One entry of an enumeration's table: the code and its two labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeLabel {
    /// The platform's numeric code.
    pub code: i64,
    /// The English label, e.g. "closed by bot".
    pub en: &'static str,
    /// The Chinese label, as the documentation writes it, e.g. "被机器人关闭".
    pub zh: &'static str,
    /// The Rust variant's name, e.g. "ClosedByBot" (also the JS constant's name).
    pub name: &'static str,
}
