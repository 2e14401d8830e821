//! Typed models of the three helpdesk events: the registry.
//!
//! Each model is declared once, in `helpdesk.rs`, with the `model!` macro
//! below. A declaration gives, from the same lines:
//!
//! - the Rust struct (every field an `Option`, named as the platform names
//!   it, documented);
//! - its [`Schema`]: each field's [`Kind`] (how it is read from the wire and
//!   written to the normalized JSON), its page type, its Chinese description
//!   from the platform's page, and whether the page lists it at all.
//!
//! The schema drives the decoder (`crate::decode::typed`) and the code generator
//! (`crate::codegen`: TypeScript declarations, JavaScript constants, the
//! inspector's field tables), so nothing is listed twice.
//!
//! Where real payloads differ from the documentation the models accept both
//! forms (see `NOTES.md`):
//!
//! - any integer field: a JSON number or a numeric string;
//! - `comments` and `dissatisfaction_reason`: one object or an array, always
//!   exposed as a `Vec`;
//! - `position`: a string or a number, exposed as a string;
//! - timestamps: `i64` milliseconds (beyond 32 bits), with the platform's
//!   `-1` ("no value") exposed as `None`;
//! - identifiers: kept as decimal strings, digit for digit, never through
//!   `f64` (so JavaScript receives them intact, whatever their size).
//!
//! Integers (codes, timestamps, positions) must lie within ±(2^53 − 1), the
//! integers JavaScript holds exactly (a millisecond timestamp that large is
//! the year 287,396): a larger value makes the event arrive untyped, with a
//! decode error saying where, rather than rounded.
//!
//! Fields the models do not know are ignored; the decrypted JSON is always
//! kept on [`crate::Event::raw`], and [`crate::Event::unrecognized_fields`]
//! lists them.
//!
//! Serialized (serde), `None` fields are omitted, enumerations are the
//! platform's numbers and ids are strings: the normalized JSON the
//! JavaScript package hands over. Deserializing reads that normalized form;
//! [`crate::Webhook::parse`] accepts what the platform really sends.

pub(crate) mod codes;
pub(crate) mod schema;

pub use card::{CallbackAction, CallbackContext, CallbackOperator, CardAction, CardActionTrigger};
pub use codes::{Channel, Score, SenderType, Solve, Stage, Status};
pub use helpdesk::{
    Comment, CustomizedField, I18n, NotificationApproveV1, Ticket, TicketCreatedV1, TicketEvent,
    TicketEventUpdateInfo, TicketMessageContent, TicketMessageCreatedV1, TicketUpdatedV1,
    TicketUser, TicketUserEvent, UserId,
};
pub use schema::{CodeLabel, CodeSpec, Field, FieldDocs, JsonShape, Kind, Schema, SchemaDocs};

/// The first of its arguments: picks an optional attribute's value or the
/// default after it.
macro_rules! first {
    ($first:expr $(, $rest:expr)*) => {
        $first
    };
}

/// The Rust type of a field of a kind.
macro_rules! field_type {
    (Text) => { String };
    (Id64) => { String };
    (Int) => { i64 };
    (Millis) => { i64 };
    (Seconds) => { f64 };
    (Minutes) => { f64 };
    (Bool) => { bool };
    (Strings) => { Vec<String> };
    (Code($enum:ident)) => { $enum };
    (Object($model:ident)) => { $model };
    (List($model:ident)) => { Vec<$model> };
    (OneOrMany($model:ident)) => { Vec<$model> };
    (Json($shape:ident)) => { ::serde_json::Value };
}

/// The [`Kind`] value of a field of a kind.
macro_rules! field_kind {
    (Code($enum:ident)) => {
        $crate::model::Kind::Code(stringify!($enum))
    };
    (Object($model:ident)) => {
        $crate::model::Kind::Object(&$model::SCHEMA)
    };
    (List($model:ident)) => {
        $crate::model::Kind::List(&$model::SCHEMA)
    };
    (OneOrMany($model:ident)) => {
        $crate::model::Kind::OneOrMany(&$model::SCHEMA)
    };
    (Json($shape:ident)) => {
        $crate::model::Kind::Json($crate::model::JsonShape::$shape)
    };
    ($kind:ident) => {
        $crate::model::Kind::$kind
    };
}

/// The page's type name for a field of a kind, unless the field says.
macro_rules! field_page_type {
    (Text) => {
        "string"
    };
    (Id64) => {
        "string"
    };
    (Int) => {
        "int"
    };
    (Millis) => {
        "int"
    };
    (Seconds) => {
        "int"
    };
    (Minutes) => {
        "float"
    };
    (Bool) => {
        "boolean"
    };
    (Strings) => {
        "string[]"
    };
    (Code($enum:ident)) => {
        "int"
    };
    (Object($model:ident)) => {
        $model::DOCS.page_type
    };
    (List($model:ident)) => {
        $model::DOCS.page_type
    };
    (OneOrMany($model:ident)) => {
        $model::DOCS.page_type
    };
    (Json(Any)) => {
        "any"
    };
    (Json(Object)) => {
        "object"
    };
    (Json(ObjectOrString)) => {
        "object | string"
    };
}

/// Declares a model: the struct and its [`Schema`] (see the module docs).
///
/// Per field, in this order, all optional: `#[doc]` (the English
/// description), `#[zh = "…"]` (the page's description), `#[page = "…"]`
/// (the page's type name when the kind's default is not it),
/// `#[on_page = false]` (modelled by the official SDKs, not on the page),
/// `#[group = "…"]` (the inspector shows the field as a group of its own).
macro_rules! model {
    (
        $(#[doc = $doc:literal])*
        #[page_type = $page_type:literal]
        pub struct $name:ident {
            $(
                $(#[doc = $fdoc:literal])*
                $(#[zh = $zh:literal])?
                $(#[page = $page:literal])?
                $(#[on_page = $on_page:literal])?
                $(#[group = $group:literal])?
                $field:ident: $kind:ident $(($arg:ident))?,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(default)]
        pub struct $name {
            $(
                $(#[doc = $fdoc])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<$crate::model::field_type!($kind $(($arg))?)>,
            )*
        }

        impl $name {
            /// This model as data: its fields and how each is read (see
            /// [`crate::model::Schema`]).
            pub const SCHEMA: $crate::model::Schema = $crate::model::Schema {
                name: stringify!($name),
                fields: &[$($crate::model::Field {
                    name: stringify!($field),
                    kind: $crate::model::field_kind!($kind $(($arg))?),
                },)*],
            };

            /// This model's documentation, field for field (see
            /// [`crate::model::SchemaDocs`]).
            pub const DOCS: $crate::model::SchemaDocs = $crate::model::SchemaDocs {
                page_type: $page_type,
                doc: concat!($($doc, "\n"),*),
                fields: &[$($crate::model::FieldDocs {
                    doc: concat!($($fdoc, "\n"),*),
                    zh: $crate::model::first!($($zh,)? ""),
                    page_type: $crate::model::first!($($page,)? $crate::model::field_page_type!($kind $(($arg))?)),
                    on_page: $crate::model::first!($($on_page,)? true),
                    required: false,
                    group: $crate::model::first!($($group,)? ""),
                },)*],
            };
        }
    };
}

pub(crate) use {field_kind, field_page_type, field_type, first};

mod card;
mod helpdesk;

/// Every model in the registry with its documentation, in the order the
/// TypeScript declarations list them (a model before the models that
/// contain it).
pub const MODELS: &[(&Schema, &SchemaDocs)] = &[
    (&UserId::SCHEMA, &UserId::DOCS),
    (&TicketUserEvent::SCHEMA, &TicketUserEvent::DOCS),
    (&CustomizedField::SCHEMA, &CustomizedField::DOCS),
    (&TicketEvent::SCHEMA, &TicketEvent::DOCS),
    (&TicketEventUpdateInfo::SCHEMA, &TicketEventUpdateInfo::DOCS),
    (&TicketUpdatedV1::SCHEMA, &TicketUpdatedV1::DOCS),
    (&Comment::SCHEMA, &Comment::DOCS),
    (&I18n::SCHEMA, &I18n::DOCS),
    (&TicketUser::SCHEMA, &TicketUser::DOCS),
    (&Ticket::SCHEMA, &Ticket::DOCS),
    (&TicketMessageContent::SCHEMA, &TicketMessageContent::DOCS),
    (
        &TicketMessageCreatedV1::SCHEMA,
        &TicketMessageCreatedV1::DOCS,
    ),
    (&NotificationApproveV1::SCHEMA, &NotificationApproveV1::DOCS),
    (&CallbackOperator::SCHEMA, &CallbackOperator::DOCS),
    (&CallbackAction::SCHEMA, &CallbackAction::DOCS),
    (&CallbackContext::SCHEMA, &CallbackContext::DOCS),
    (&CardActionTrigger::SCHEMA, &CardActionTrigger::DOCS),
    (&CardAction::SCHEMA, &CardAction::DOCS),
];

/// The documentation of a registered model's schema.
pub fn docs(schema: &Schema) -> Option<&'static SchemaDocs> {
    MODELS
        .iter()
        .chain([(&EVENT_HEADER, &EVENT_HEADER_DOCS)].iter())
        .find(|(s, _)| s.name == schema.name)
        .map(|(_, d)| *d)
}

/// The schema 2.0 envelope header as the platform's pages document it. The
/// Rust [`crate::EventHeader`] holds its fields except the token (checked,
/// then dropped); a test keeps the two in step.
pub const EVENT_HEADER: Schema = Schema {
    name: "EventHeader",
    fields: &[
        Field {
            name: "event_id",
            kind: Kind::Text,
        },
        Field {
            name: "event_type",
            kind: Kind::Text,
        },
        Field {
            name: "create_time",
            kind: Kind::Millis,
        },
        Field {
            name: "token",
            kind: Kind::Token,
        },
        Field {
            name: "app_id",
            kind: Kind::Text,
        },
        Field {
            name: "tenant_key",
            kind: Kind::Text,
        },
    ],
};

/// The documentation of [`EVENT_HEADER`].
pub const EVENT_HEADER_DOCS: SchemaDocs = SchemaDocs {
    page_type: "event_header",
    doc: "The envelope header of an event, the same shape for both schemas (`header` in 2.0; `uuid`, `ts` and the event's `app_id` and `tenant_key` in 1.0). The Verification Token is checked and not kept.",
    fields: &[
        header_docs(
            "The delivery's id: `header.event_id` (2.0) or `uuid` (1.0). Retries repeat it: deduplicate on it.",
            "事件 ID",
            true,
        ),
        header_docs(
            "The event type, e.g. `helpdesk.ticket.created_v1`.",
            "事件类型",
            true,
        ),
        header_docs(
            "When the event was created, in the platform's unit: milliseconds since the epoch (`header.create_time` in 2.0, `ts` in 1.0), but microseconds for a callback (`card.action.trigger`), kept as sent.",
            "事件创建时间戳（单位：毫秒）",
            false,
        ),
        header_docs(
            "The Verification Token: checked against yours, not kept in the result.",
            "事件 Token",
            false,
        ),
        header_docs("The app the event is for.", "应用 ID", false),
        header_docs("The tenant the event comes from.", "租户 Key", false),
    ],
};

const fn header_docs(doc: &'static str, zh: &'static str, required: bool) -> FieldDocs {
    FieldDocs {
        doc,
        zh,
        page_type: "string",
        on_page: true,
        required,
        group: "",
    }
}

/// Every enumeration.
pub const ENUMERATIONS: &[&CodeSpec] = &[
    &Stage::SPEC,
    &Status::SPEC,
    &Score::SPEC,
    &Solve::SPEC,
    &Channel::SPEC,
    &SenderType::SPEC,
];
