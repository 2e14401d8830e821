//! Interpreting an envelope read by `crate::decode::wire`: the URL-verification
//! challenge, a schema 2.0 event or a legacy 1.0 one, the token policy, and
//! the typed event.

use serde::de::{IgnoredAny, MapAccess};
use serde_json::value::RawValue;

use crate::decode::expect::{Expect, read};
use crate::decode::text::{Text, string_value};
use crate::decode::wire::{Envelope, members};
use crate::error::Error;
use crate::event::{
    Challenge, EventBody, EventHeader, Schema, TypedEvent, Verified, VerifiedEvent,
};
use crate::observe::{Fact, Observer, Skip, StepId};
use crate::verify::crypto::TokenDigest;
use crate::verify::token::check_token;

/// The schema 2.0 header, as sent.
struct WireHeader<'a> {
    event_id: Option<String>,
    event_type: Option<String>,
    /// Kept raw: an unreadable `create_time` is dropped, not a reason to
    /// refuse an otherwise valid event.
    create_time: Option<&'a RawValue>,
    app_id: Option<String>,
    tenant_key: Option<String>,
    token: Option<&'a RawValue>,
}

impl<'a> WireHeader<'a> {
    /// `None` unless `json` is an object whose ids and type, when present,
    /// are strings (and that names none of them twice). Read in one pass,
    /// the strings straight into the header (the members' raw text read
    /// again would cost a parse a few percent: BENCHMARKS.md).
    fn read(json: &'a str) -> Option<Self> {
        let mut de = serde_json::Deserializer::from_str(json);
        read(&mut de, HeaderSeed).ok()
    }
}

/// Reads a [`WireHeader`] (see [`WireHeader::read`]).
struct HeaderSeed;

impl<'de> Expect<'de> for HeaderSeed {
    type Value = WireHeader<'de>;

    fn expected(&self) -> &'static str {
        "an object"
    }

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<WireHeader<'de>, A::Error> {
        use serde::de::Error as _;
        const MEMBERS: [&str; 6] = [
            "event_id",
            "event_type",
            "create_time",
            "app_id",
            "tenant_key",
            "token",
        ];
        let mut header = WireHeader {
            event_id: None,
            event_type: None,
            create_time: None,
            app_id: None,
            tenant_key: None,
            token: None,
        };
        let mut seen = [false; MEMBERS.len()];
        while let Some(key) = map.next_key::<Text<'de>>()? {
            let Some(index) = MEMBERS.iter().position(|m| *m == key.as_str()) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match seen.get_mut(index) {
                Some(true) => return Err(A::Error::custom("a member appears more than once")),
                Some(seen) => *seen = true,
                None => {}
            }
            let string = |text: Option<Text<'de>>| text.map(|t| t.0.into_owned());
            match index {
                0 => header.event_id = string(map.next_value()?),
                1 => header.event_type = string(map.next_value()?),
                2 => header.create_time = map.next_value()?,
                3 => header.app_id = string(map.next_value()?),
                4 => header.tenant_key = string(map.next_value()?),
                _ => header.token = map.next_value()?,
            }
        }
        Ok(header)
    }
}

/// The fields of a schema 1.0 `event` object that belong in the header.
struct WireV1Event {
    kind: Option<String>,
    app_id: Option<String>,
    tenant_key: Option<String>,
}

impl WireV1Event {
    /// `None` unless `json` is an object whose `type`, `app_id` and
    /// `tenant_key`, when present, are strings.
    fn read(json: &str) -> Option<Self> {
        let [kind, app_id, tenant_key] = members(json, &["type", "app_id", "tenant_key"])?;
        Some(WireV1Event {
            kind: optional_string(kind)?,
            app_id: optional_string(app_id)?,
            tenant_key: optional_string(tenant_key)?,
        })
    }
}

/// A member that is a string when present: `Some(None)` when absent,
/// `None` when it is of another kind.
fn optional_string(member: Option<&RawValue>) -> Option<Option<String>> {
    match member {
        None => Some(None),
        Some(raw) => string_value(raw).map(Some),
    }
}

/// Turns an envelope into a challenge or an event, whose `raw` the caller
/// fills in (it owns the text the envelope borrows from).
pub(crate) fn classify<O: Observer>(
    envelope: Envelope<'_>,
    tokens: &[TokenDigest],
    obs: &mut O,
) -> Result<Verified, Error> {
    let kind = envelope.kind.and_then(string_value);
    if kind.as_deref() == Some("url_verification") {
        obs.pass(StepId::Schema, Fact::Challenge);
        token_step(tokens, envelope.token, obs)?;
        let Some(challenge) = envelope.challenge.and_then(string_value) else {
            let error = Error::InvalidEnvelope {
                reason: "`challenge` must be a string",
            };
            obs.fail(StepId::Schema, &error, Fact::None);
            return Err(error);
        };
        obs.skip(StepId::EventType, Skip::Challenge);
        obs.skip(StepId::TypedModel, Skip::Challenge);
        return Ok(Verified::Challenge(Challenge { challenge }));
    }
    if envelope.schema.is_some() {
        return classify_v2(envelope, tokens, obs);
    }
    if kind.as_deref() == Some("event_callback") {
        return classify_v1(envelope, tokens, obs);
    }
    let error = Error::UnsupportedSchema {
        found: "no `schema`, and no `type` larkhook knows (\"event_callback\" or \"url_verification\")",
    };
    obs.fail(StepId::Schema, &error, Fact::None);
    Err(error)
}

fn classify_v2<O: Observer>(
    envelope: Envelope<'_>,
    tokens: &[TokenDigest],
    obs: &mut O,
) -> Result<Verified, Error> {
    let step = |obs: &mut O, step: StepId, error: Error| {
        obs.fail(step, &error, Fact::None);
        error
    };
    let schema = envelope.schema.map(RawValue::get).unwrap_or_default();
    // The usual spelling first; an escaped "2.0" is still "2.0".
    if schema != "\"2.0\"" && envelope.schema.and_then(string_value).as_deref() != Some("2.0") {
        let error = Error::UnsupportedSchema {
            found: "a `schema` other than the string \"2.0\"",
        };
        return Err(step(obs, StepId::Schema, error));
    }
    let Some(header) = envelope.header else {
        let reason = "`header` is missing";
        return Err(step(obs, StepId::Schema, Error::InvalidEnvelope { reason }));
    };
    let Some(header) = WireHeader::read(header.get()) else {
        let reason = "`header` must be an object whose ids and type are strings";
        return Err(step(obs, StepId::Schema, Error::InvalidEnvelope { reason }));
    };
    obs.pass(StepId::Schema, Fact::EventSchema(Schema::V2));
    token_step(tokens, header.token, obs)?;
    let Some(event_id) = header.event_id.filter(|id| !id.is_empty()) else {
        let reason = "`header.event_id` is missing or empty";
        return Err(step(
            obs,
            StepId::EventType,
            Error::InvalidEnvelope { reason },
        ));
    };
    let event_type =
        validate_event_type(header.event_type).map_err(|e| step(obs, StepId::EventType, e))?;
    obs.pass(
        StepId::EventType,
        Fact::Event {
            event_type: &event_type,
        },
    );
    let body = match (envelope.typed, envelope.event) {
        // Decoded in the same pass as the envelope, for this very header.
        (Some((event, json)), _) => EventBody::Typed { event, json },
        (None, Some(event)) => decode_body(&event_type, event),
        (None, None) => {
            let reason = "`event` is missing";
            return Err(step(
                obs,
                StepId::TypedModel,
                Error::InvalidEnvelope { reason },
            ));
        }
    };
    match &body {
        EventBody::Typed { .. } => obs.pass(StepId::TypedModel, Fact::Typed),
        EventBody::Untyped {
            decode_error: Some(e),
            ..
        } => obs.pass(StepId::TypedModel, Fact::DecodeFailed(e)),
        EventBody::Untyped { .. } => obs.skip(StepId::TypedModel, Skip::NotTyped),
    }
    Ok(Verified::Event(VerifiedEvent {
        schema: Schema::V2,
        header: EventHeader {
            event_id,
            event_type,
            create_time: header.create_time.and_then(create_time_value),
            app_id: header.app_id,
            tenant_key: header.tenant_key,
        },
        body,
        raw: String::new(),
    }))
}

fn classify_v1<O: Observer>(
    envelope: Envelope<'_>,
    tokens: &[TokenDigest],
    obs: &mut O,
) -> Result<Verified, Error> {
    let step = |obs: &mut O, error: Error| {
        obs.fail(StepId::EventType, &error, Fact::None);
        error
    };
    obs.pass(StepId::Schema, Fact::EventSchema(Schema::V1));
    token_step(tokens, envelope.token, obs)?;
    let Some(event_id) = envelope
        .uuid
        .and_then(string_value)
        .filter(|id| !id.is_empty())
    else {
        let reason = "`uuid` is missing or empty";
        return Err(step(obs, Error::InvalidEnvelope { reason }));
    };
    let Some(event) = envelope.event else {
        let reason = "`event` is missing";
        return Err(step(obs, Error::InvalidEnvelope { reason }));
    };
    let Some(inner) = WireV1Event::read(event.get()) else {
        let reason = "`event` must be an object whose `type` is a string";
        return Err(step(obs, Error::InvalidEnvelope { reason }));
    };
    let event_type = validate_event_type(inner.kind).map_err(|e| step(obs, e))?;
    obs.pass(
        StepId::EventType,
        Fact::Event {
            event_type: &event_type,
        },
    );
    obs.skip(StepId::TypedModel, Skip::NotTyped);
    Ok(Verified::Event(VerifiedEvent {
        schema: Schema::V1,
        header: EventHeader {
            event_id,
            event_type,
            create_time: envelope.ts.and_then(v1_ts_millis),
            app_id: inner.app_id,
            tenant_key: inner.tenant_key,
        },
        body: EventBody::Untyped {
            event: event.to_owned(),
            decode_error: None,
        },
        raw: String::new(),
    }))
}

/// The token step: [`check_token`], observed.
fn token_step<O: Observer>(
    tokens: &[TokenDigest],
    field: Option<&RawValue>,
    obs: &mut O,
) -> Result<(), Error> {
    if tokens.is_empty() {
        obs.skip(StepId::Token, Skip::NoToken);
        return Ok(());
    }
    match check_token(tokens, field.and_then(string_value)) {
        Ok(()) => {
            obs.pass(StepId::Token, Fact::None);
            Ok(())
        }
        Err(error) => {
            obs.fail(StepId::Token, &error, Fact::None);
            Err(error)
        }
    }
}

/// A typed event type decoded into its model's normalized JSON; any other
/// type, or one that does not fit its model, untyped.
fn decode_body(event_type: &str, event: &RawValue) -> EventBody {
    let Some(typed) = TypedEvent::find(event_type) else {
        return EventBody::Untyped {
            event: event.to_owned(),
            decode_error: None,
        };
    };
    match crate::decode::typed::normalize(event.get(), typed.schema) {
        Ok(json) => EventBody::Typed { event: typed, json },
        Err(decode_error) => EventBody::Untyped {
            event: event.to_owned(),
            decode_error: Some(decode_error),
        },
    }
}

/// Event types are identifiers such as `helpdesk.ticket.created_v1` or
/// (schema 1.0) `approval_instance`: printable ASCII without spaces, short.
const MAX_EVENT_TYPE_LEN: usize = 256;

fn validate_event_type(event_type: Option<String>) -> Result<String, Error> {
    let problem = match event_type.as_deref() {
        None => "the event type is missing",
        Some("") => "the event type is empty",
        Some(t) if t.len() > MAX_EVENT_TYPE_LEN => "the event type is longer than 256 characters",
        Some(t) if !t.bytes().all(|b| b.is_ascii_graphic()) => {
            "the event type must be printable ASCII without spaces"
        }
        Some(_) => "",
    };
    match event_type {
        Some(valid) if problem.is_empty() => Ok(valid),
        _ => Err(Error::InvalidEnvelope { reason: problem }),
    }
}

/// `header.create_time` in the platform's unit (milliseconds for an event,
/// microseconds for a callback): a number or a decimal string within
/// ±(2^53 − 1), `-1` ("no value") excepted; anything else is `None`.
fn create_time_value(raw: &RawValue) -> Option<i64> {
    let (negative, digits) = crate::decode::number::safe_integer(raw.get())?;
    let value: i64 = digits.parse().ok()?;
    let value = if negative {
        value.checked_neg()?
    } else {
        value
    };
    (value != -1).then_some(value)
}

/// Schema 1.0 `ts` is seconds as a string with a fraction
/// (`"1502199207.7171419"`); the header carries milliseconds, rounded. Read
/// as decimal text (no float on the way): up to 12 digits of seconds, so
/// the result stays a date before the year 33,658.
fn v1_ts_millis(ts: &RawValue) -> Option<i64> {
    let text = string_value(ts).unwrap_or_else(|| ts.get().to_owned());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 12 || !digits(whole) || !digits(fraction) {
        return None;
    }
    let seconds: i64 = whole.parse().ok()?;
    // Three digits of milliseconds (padded with zeros), the fourth rounds.
    let mut fraction = fraction.bytes().chain(core::iter::repeat(b'0'));
    let millis_text: String = fraction.by_ref().take(3).map(char::from).collect();
    let millis: i64 = millis_text.parse().ok()?;
    let round_up = i64::from(fraction.next().is_some_and(|d| d >= b'5'));
    seconds
        .checked_mul(1000)?
        .checked_add(millis)?
        .checked_add(round_up)
}
