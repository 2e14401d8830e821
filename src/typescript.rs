//! Generates the npm package's TypeScript declarations and its table of
//! enumeration constants from the Rust models (feature `ts`), so there is one
//! source of truth. `tests/generated.rs` fails when the checked-in files in
//! `pkg-template/src/` drift from what this produces.

use ts_rs::{Config, TS};

use crate::Error;
use crate::event::{EventHeader, TICKET_CREATED_V1, TICKET_MESSAGE_CREATED_V1, TICKET_UPDATED_V1};
use crate::model::codes_ts;
use crate::model::{
    Channel, CodeLabel, Comment, CustomizedField, I18n, Score, SenderType, Solve, Stage, Status,
    Ticket, TicketEvent, TicketEventUpdateInfo, TicketMessageContent, TicketMessageCreatedV1,
    TicketUpdatedV1, TicketUser, TicketUserEvent, UserId,
};

const NOTE: &str = "// Generated from the Rust models by `make generate` (cargo test --features ts --test generated).\n// Do not edit by hand.\n";

fn decl<T: TS + ?Sized>(cfg: &Config, out: &mut String) {
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&T::decl(cfg));
    out.push_str("\n\n");
}

/// The enumerations: name, field names they appear in, and their table.
fn enumerations() -> [(&'static str, &'static [&'static str], &'static [CodeLabel]); 6] {
    [
        ("Stage", &["stage", "ticket_type"], Stage::TABLE),
        ("Status", &["status"], Status::TABLE),
        ("Score", &["score"], Score::TABLE),
        ("Solve", &["solve"], Solve::TABLE),
        ("Channel", &["channel"], Channel::TABLE),
        ("SenderType", &["sender_type"], SenderType::TABLE),
    ]
}

/// The type declarations: models, enumerations, the `Inbound` union.
pub fn declarations() -> String {
    let cfg = Config::default();
    let mut out = String::from(NOTE);
    out.push('\n');
    for (name, fields, table) in enumerations() {
        let doc: Vec<String> = table
            .iter()
            .map(|e| format!("{} {}", e.code, e.en))
            .collect();
        out.push_str(&format!(
            "/** `{}`: {}; other numbers may appear and are kept. */\nexport type {name} = {};\n\n",
            fields.join("`, `"),
            doc.join(", "),
            codes_ts::union(table)
        ));
    }
    decl::<UserId>(&cfg, &mut out);
    decl::<TicketUserEvent>(&cfg, &mut out);
    decl::<CustomizedField>(&cfg, &mut out);
    decl::<TicketEvent>(&cfg, &mut out);
    out.push_str("/** The event body of `helpdesk.ticket.created_v1`: the new ticket. */\nexport type TicketCreatedV1 = TicketEvent;\n\n");
    decl::<TicketEventUpdateInfo>(&cfg, &mut out);
    decl::<TicketUpdatedV1>(&cfg, &mut out);
    decl::<Comment>(&cfg, &mut out);
    decl::<I18n>(&cfg, &mut out);
    decl::<TicketUser>(&cfg, &mut out);
    decl::<Ticket>(&cfg, &mut out);
    decl::<TicketMessageContent>(&cfg, &mut out);
    decl::<TicketMessageCreatedV1>(&cfg, &mut out);
    decl::<EventHeader>(&cfg, &mut out);

    out.push_str(&format!(
        r#"/** Any JSON value, as `JSON.parse` returns it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | {{ [key: string]: JsonValue }};

/** The URL-verification request: answer HTTP 200 with `response` as JSON. */
export interface ChallengeRequest {{
  kind: "challenge";
  /** The value to echo back. */
  challenge: string;
  /** The exact body to answer with. */
  response: {{ challenge: string }};
}}

/** One of the three helpdesk events, decoded into its typed model. */
export interface TypedEvent<T extends string, E> {{
  kind: "event";
  schema: "2.0";
  event_type: T;
  typed: true;
  header: EventHeader;
  /** The event body, field names as in the platform documentation. */
  event: E;
  /** The decrypted JSON text exactly as sent (it contains the verification token: do not log it). */
  raw: string;
}}

/** `{TICKET_CREATED_V1}` */
export type TicketCreatedEvent = TypedEvent<"{TICKET_CREATED_V1}", TicketCreatedV1>;
/** `{TICKET_UPDATED_V1}` */
export type TicketUpdatedEvent = TypedEvent<"{TICKET_UPDATED_V1}", TicketUpdatedV1>;
/** `{TICKET_MESSAGE_CREATED_V1}` */
export type TicketMessageCreatedEvent = TypedEvent<"{TICKET_MESSAGE_CREATED_V1}", TicketMessageCreatedV1>;

/** The typed events, a union discriminated by `event_type`. */
export type HelpdeskEvent = TicketCreatedEvent | TicketUpdatedEvent | TicketMessageCreatedEvent;

/** The event types larkhook decodes into typed models. */
export type HelpdeskEventType = HelpdeskEvent["event_type"];

/**
 * Any other event, or a helpdesk event whose body did not decode (then
 * `decode_error` says where and why). Integers beyond ±(2^53 − 1) in `event`
 * arrive as decimal strings so that none is silently rounded.
 */
export interface UntypedEvent {{
  kind: "untyped_event";
  schema: "2.0" | "1.0";
  event_type: string;
  typed: false;
  header: EventHeader;
  event: JsonValue;
  decode_error?: string;
  raw: string;
}}

/**
 * What `parse` returns. Narrow on `kind`, then on `event_type`:
 * `if (m.kind === "event" && m.event_type === "{TICKET_UPDATED_V1}")` makes
 * `m.event` a `TicketUpdatedV1`.
 */
export type Inbound = ChallengeRequest | HelpdeskEvent | UntypedEvent;

/** Every `LarkWebhookError.code`. */
export type ErrorCode = {codes};

"#,
        codes = Error::CODES.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(" | ")
    ));

    out.push_str(
        "/** Named constants for the enumerated fields, e.g. `Status.ClosedByBot === 50`. */\n",
    );
    for (name, _, table) in enumerations() {
        let members: Vec<String> = table
            .iter()
            .map(|e| format!("readonly {}: {}", e.name, e.code))
            .collect();
        out.push_str(&format!(
            "export declare const {name}: {{ {} }};\n",
            members.join("; ")
        ));
    }
    let fields: Vec<String> = enumerations()
        .iter()
        .flat_map(|(_, fields, _)| fields.iter().map(|f| format!("\"{f}\"")))
        .collect();
    out.push_str(&format!(
        "\n/** A field with an enumerated value. */\nexport type EnumField = {};\n",
        fields.join(" | ")
    ));
    let types: Vec<String> = event_types()
        .iter()
        .map(|(name, event_type)| format!("readonly {name}: {event_type:?}"))
        .collect();
    out.push_str(&format!(
        "\n/** The typed event types by name, e.g. `EventType.TicketUpdatedV1 === \"{TICKET_UPDATED_V1}\"`. */\nexport declare const EventType: {{ {} }};\n",
        types.join("; ")
    ));
    out
}

/// The JavaScript module with the constants and labels.
pub fn codes_module() -> String {
    let mut out = String::from(NOTE);
    out.push('\n');
    for (name, _, table) in enumerations() {
        let members: Vec<String> = table
            .iter()
            .map(|e| format!("{}: {}", e.name, e.code))
            .collect();
        out.push_str(&format!(
            "export const {name} = Object.freeze({{ {} }});\n",
            members.join(", ")
        ));
    }
    out.push_str("\n/** field -> code -> [English, Chinese]; \"*\" is the label for codes not listed. */\nexport const LABELS = Object.freeze({\n");
    let others = [
        (Stage::Unknown(0).label_en(), Stage::Unknown(0).label_zh()),
        (Status::Unknown(0).label_en(), Status::Unknown(0).label_zh()),
        (Score::Unknown(0).label_en(), Score::Unknown(0).label_zh()),
        (Solve::Unknown(0).label_en(), Solve::Unknown(0).label_zh()),
        (Channel::Other(0).label_en(), Channel::Other(0).label_zh()),
        (
            SenderType::Unknown(0).label_en(),
            SenderType::Unknown(0).label_zh(),
        ),
    ];
    for ((_, fields, table), (other_en, other_zh)) in enumerations().iter().zip(others) {
        let mut entries: Vec<String> = table
            .iter()
            .map(|e| format!("{}: [{:?}, {:?}]", e.code, e.en, e.zh))
            .collect();
        entries.push(format!("\"*\": [{other_en:?}, {other_zh:?}]"));
        for field in *fields {
            out.push_str(&format!(
                "  {field}: Object.freeze({{ {} }}),\n",
                entries.join(", ")
            ));
        }
    }
    out.push_str("});\n\n");
    let codes: Vec<String> = Error::CODES.iter().map(|c| format!("{c:?}")).collect();
    out.push_str(&format!(
        "export const ERROR_CODES = Object.freeze([{}]);\n",
        codes.join(", ")
    ));
    let types: Vec<String> = event_types()
        .iter()
        .map(|(name, event_type)| format!("{name}: {event_type:?}"))
        .collect();
    out.push_str(&format!(
        "\n/** The event types larkhook decodes into typed models; every other type arrives untyped. */\nexport const EventType = Object.freeze({{ {} }});\n",
        types.join(", ")
    ));
    out
}

/// The typed event types with the names of their JavaScript constants.
fn event_types() -> [(&'static str, &'static str); 3] {
    [
        ("TicketCreatedV1", TICKET_CREATED_V1),
        ("TicketUpdatedV1", TICKET_UPDATED_V1),
        ("TicketMessageCreatedV1", TICKET_MESSAGE_CREATED_V1),
    ]
}
