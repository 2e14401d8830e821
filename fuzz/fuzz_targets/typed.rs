//! Arbitrary JSON as the `event` of each of the three typed helpdesk event
//! types (and as a schema 1.0 event), parsed with a no-key webhook. Must
//! never panic; a typed event type comes back typed, or untyped with a
//! `decode_error`; a typed model serializes and reads back unchanged.
//!
//! Input format: byte 0 picks the event type (`% 3`), the rest is the event.
#![no_main]

mod common;

use larkhook::{Inbound, Payload, TYPED_EVENT_TYPES, Webhook};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(event_json) = core::str::from_utf8(rest) else {
        return;
    };
    let event_type = TYPED_EVENT_TYPES[usize::from(selector % 3)];
    let hook = Webhook::builder().insecure(true).build().expect("default config");
    let body = format!(
        r#"{{"schema":"2.0","header":{{"event_id":"e-1","event_type":"{event_type}"}},"event":{event_json}}}"#
    );
    // Strict expectations only when the fuzzed text is exactly one JSON
    // value (otherwise it can close the object and add fields of its own).
    let one_value = serde_json::from_str::<serde::de::IgnoredAny>(event_json).is_ok();
    // `"event": null` counts as a missing event (an envelope error, like the
    // platform never sending one), not as an event to type.
    let null = event_json.trim_matches([' ', '\t', '\n', '\r']) == "null";
    let wrapped_is_json = serde_json::from_str::<serde::de::IgnoredAny>(&body).is_ok();
    let no_headers: [(&str, &str); 0] = [];
    match hook.parse(&no_headers, body.as_bytes(), 0) {
        Ok(inbound) => {
            common::check_inbound(&inbound);
            assert!(!null, "a null event was accepted");
            if !one_value {
                return;
            }
            let Inbound::Event(event) = inbound else {
                panic!("a schema 2.0 body came back as a challenge");
            };
            assert_eq!(event.header.event_type, event_type);
            assert_eq!(event.raw, body);
            match (&event.payload, event_type) {
                (Payload::TicketCreated(_), larkhook::TICKET_CREATED_V1)
                | (Payload::TicketUpdated(_), larkhook::TICKET_UPDATED_V1)
                | (Payload::TicketMessageCreated(_), larkhook::TICKET_MESSAGE_CREATED_V1) => {}
                (
                    Payload::Untyped {
                        event,
                        decode_error: Some(_),
                    },
                    _,
                ) => {
                    serde_json::from_str::<serde::de::IgnoredAny>(event.get())
                        .expect("untyped event is JSON");
                }
                (other, _) => panic!("{event_type} came back as {other:?}"),
            }
        }
        Err(e) => {
            common::check_error(&e, data);
            // The envelope around one JSON value is well-formed: only a value
            // too deep to nest once more may fail the parse.
            if null {
                assert_eq!(e.code(), "invalid_envelope");
                return;
            }
            assert!(
                !one_value || !wrapped_is_json,
                "valid JSON refused as {}: {e}",
                e.code()
            );
        }
    }

    // Schema 1.0: the same JSON as a legacy event is always untyped.
    if let Ok(serde_json::Value::Object(mut map)) = serde_json::from_str(event_json) {
        map.insert("type".into(), event_type.into());
        let legacy = serde_json::json!({
            "uuid": "u-1", "type": "event_callback", "ts": "1502199207.7171419", "event": map,
        })
        .to_string();
        if let Ok(Inbound::Event(e)) = hook.parse(&no_headers, legacy.as_bytes(), 0) {
            assert!(matches!(
                e.payload,
                Payload::Untyped {
                    decode_error: None,
                    ..
                }
            ));
        }
    }
});
