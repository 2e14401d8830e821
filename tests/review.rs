//! Regression tests for the security review (issue 11), on the Rust side:
//! `Debug` shows no secret, integers stay exact, a repeated signature header
//! is refused in any shape. The JavaScript side is `tests/js/review.test.mjs`.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use larkhook::{DeliveryBuilder, Inbound, Payload, Webhook};

#[test]
fn debug_of_what_parse_returns_shows_no_secret() {
    let hook = hook();
    for event in [CREATED, UPDATED, MESSAGE] {
        let d = delivery(event);
        let parsed = hook.parse(&d.headers, d.body.as_bytes(), NOW).unwrap();
        let verified = hook.verify(&d.headers, d.body.as_bytes(), NOW).unwrap();
        let report = hook.inspect(&d.headers, d.body.as_bytes(), NOW);
        for shown in [
            format!("{parsed:?}"),
            format!("{parsed:#?}"),
            format!("{verified:?}"),
            format!("{:?}", report.outcome),
            format!("{hook:?}"),
        ] {
            assert!(!shown.contains(TOKEN), "the token in {shown}");
            assert!(!shown.contains(KEY), "the key in {shown}");
        }
        let Inbound::Event(event) = parsed else {
            panic!("an event")
        };
        assert!(event.raw.contains(TOKEN), "raw itself is the text as sent");
    }
}

fn plain(event: &str) -> larkhook::Event {
    let hook = Webhook::builder().insecure(true).build().unwrap();
    let no_headers: [(&str, &str); 0] = [];
    match hook.parse(&no_headers, event.as_bytes(), NOW).unwrap() {
        Inbound::Event(event) => event,
        other => panic!("an event, got {other:?}"),
    }
}

#[test]
fn ids_of_any_size_keep_every_digit() {
    let event = plain(
        r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket_message.created_v1"},
        "event":{"ticket_message_id":123456789012345678901234567890,
                 "ticket":{"comments":[{"id":18446744073709551616,"user_id":-9223372036854775809}]}}}"#,
    );
    let Payload::TicketMessageCreated(message) = event.payload else {
        panic!("typed: {:?}", event.payload)
    };
    assert_eq!(
        message.ticket_message_id.as_deref(),
        Some("123456789012345678901234567890")
    );
    let comment = &message.ticket.unwrap().comments.unwrap()[0];
    assert_eq!(comment.id.as_deref(), Some("18446744073709551616"));
    assert_eq!(comment.user_id.as_deref(), Some("-9223372036854775809"));
}

#[test]
fn typed_integers_beyond_javascript_precision_are_refused_with_their_path() {
    for (field, value) in [
        ("created_at", "9007199254740993"),
        ("status", "-9007199254740992"),
        ("updated_at", "\"18446744073709551615\""),
    ] {
        let event = plain(&format!(
            r#"{{"schema":"2.0","header":{{"event_id":"e","event_type":"helpdesk.ticket.created_v1"}},"event":{{"{field}":{value}}}}}"#
        ));
        let Payload::Untyped {
            event: raw,
            decode_error: Some(error),
        } = event.payload
        else {
            panic!("{field}: typed: {:?}", event.payload)
        };
        assert_eq!(error.path, field);
        assert!(error.message.contains("2^53"), "{}", error.message);
        assert!(
            raw.get().contains(value),
            "the untyped event keeps the value as sent"
        );
    }
    // At the limit, typed and exact.
    let event = plain(
        r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1"},"event":{"created_at":9007199254740991}}"#,
    );
    let Payload::TicketCreated(ticket) = event.payload else {
        panic!("typed")
    };
    assert_eq!(ticket.created_at, Some(9_007_199_254_740_991));
}

#[test]
fn a_joined_repeated_signature_header_is_a_duplicate() {
    let hook = hook();
    for name in [
        "X-Lark-Signature",
        "X-Lark-Request-Nonce",
        "X-Lark-Request-Timestamp",
    ] {
        let mut d = delivery(CREATED);
        let value = header(&d, name);
        // What a Fetch `Headers` or Node's IncomingMessage.headers make of two.
        set_header(&mut d, name, &format!("{value}, {value}"));
        assert_eq!(code(&hook, &d), "duplicate_header", "{name}");
    }
    let d = DeliveryBuilder::new(CREATED)
        .verification_token(TOKEN)
        .encrypt(KEY, [3; 16])
        .sign(NOW, "n")
        .build()
        .unwrap();
    let mut headers = d.headers.clone();
    headers.push((
        "x-lark-signature".to_owned(),
        header(&d, "X-Lark-Signature"),
    ));
    assert_eq!(
        hook.parse(&headers, d.body.as_bytes(), NOW)
            .unwrap_err()
            .code(),
        "duplicate_header"
    );
}
