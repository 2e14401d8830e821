//! Property tests: round trips for arbitrary keys and bodies, and `parse`
//! returning (never panicking) on arbitrary input.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use larkhook::{DeliveryBuilder, Inbound, Webhook};
use proptest::prelude::*;

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("X-Lark-Request-Timestamp".to_owned()),
        Just("x-lark-request-nonce".to_owned()),
        Just("X-LARK-SIGNATURE".to_owned()),
        "[a-zA-Z-]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn encrypt_then_decrypt(key in ".*", plaintext in proptest::collection::vec(any::<u8>(), 0..600), iv in any::<[u8; 16]>()) {
        let encrypted = larkhook::encrypt(&key, &plaintext, iv);
        prop_assert_eq!(larkhook::decrypt(&key, &encrypted).unwrap(), plaintext);
    }

    #[test]
    // Nonces as HTTP can carry them: visible ASCII (header values lose
    // surrounding whitespace), without the comma that joins repeated headers.
    // Keys with something besides whitespace: a blank one is refused (tests/edges.rs).
    fn sign_then_verify(key in ".*\\S.*", ts in 0i64..4_000_000_000, nonce in "[!-+\\--~]{0,24}", challenge in ".*", iv in any::<[u8; 16]>()) {
        let event = serde_json::json!({
            "schema": "2.0",
            "header": {"event_id": "e", "event_type": "custom.event_v1"},
            "event": {"text": challenge},
        }).to_string();
        let delivery = DeliveryBuilder::new(&event).encrypt(&key, iv).sign(ts, &nonce).build().unwrap();
        let hook = Webhook::builder().encrypt_key(&key).build().unwrap();
        let parsed = hook.parse(&delivery.headers, delivery.body.as_bytes(), ts).unwrap();
        let Inbound::Event(parsed) = parsed else { panic!("expected an event") };
        prop_assert_eq!(parsed.raw, event);
        // The same delivery under any other key is a mismatch.
        let other = Webhook::builder().encrypt_key(&format!("{key}x")).build().unwrap();
        prop_assert_eq!(other.parse(&delivery.headers, delivery.body.as_bytes(), ts).unwrap_err().code(), "signature_mismatch");
    }

    #[test]
    fn parse_returns_on_arbitrary_bytes(body in proptest::collection::vec(any::<u8>(), 0..2048),
                                        headers in proptest::collection::vec((header_name(), ".{0,80}"), 0..6),
                                        now in any::<i64>()) {
        for hook in [
            hook(),
            Webhook::builder().insecure(true).build().unwrap(),
            Webhook::builder().verification_token(TOKEN).tolerance_seconds(None).build().unwrap(),
        ] {
            let _ = hook.parse(&headers, &body, now);
        }
    }

    #[test]
    fn parse_returns_on_arbitrary_encrypted_json(json in ".{0,400}", ts in any::<i64>(), nonce in ".{0,10}") {
        let body = format!(r#"{{"encrypt":"{}"}}"#, larkhook::encrypt(KEY, json.as_bytes(), [0; 16]));
        let signature = larkhook::sign(&ts.to_string(), &nonce, KEY, body.as_bytes());
        let headers = [
            ("X-Lark-Request-Timestamp", ts.to_string()),
            ("X-Lark-Request-Nonce", nonce.clone()),
            ("X-Lark-Signature", signature),
        ];
        let _ = hook().parse(&headers, body.as_bytes(), ts);
        let _ = hook().parse(&[] as &[(&str, &str)], body.as_bytes(), ts);
    }

    #[test]
    // Codes within the integers JavaScript holds exactly; ids of any size.
    fn typed_events_survive_mutated_fields(status in -9_007_199_254_740_991i64..=9_007_199_254_740_991, id in any::<u128>(), position in prop_oneof![any::<i64>().prop_map(|n| n.to_string()), any::<i64>().prop_map(|n| format!("\"{n}\""))]) {
        let event = format!(r#"{{"schema":"2.0","header":{{"event_id":"e","event_type":"helpdesk.ticket_message.created_v1"}},
            "event":{{"position":{position},"ticket":{{"status":{status},"comments":{{"id":{id}}}}}}}}}"#);
        let hook = Webhook::builder().insecure(true).build().unwrap();
        let Inbound::Event(e) = hook.parse(&[] as &[(&str, &str)], event.as_bytes(), 0).unwrap() else { panic!() };
        let larkhook::Payload::TicketMessageCreated(m) = e.payload else { panic!("not typed: {:?}", e.payload) };
        let ticket = m.ticket.unwrap();
        prop_assert_eq!(ticket.status.unwrap().code(), status);
        let expected_id = id.to_string();
        let comments = ticket.comments.unwrap();
        prop_assert_eq!(comments[0].id.as_deref(), Some(expected_id.as_str()));
    }

    #[test]
    // A code JavaScript could not hold exactly makes the event untyped, saying where.
    fn codes_beyond_safe_integers_are_decode_errors(status in prop_oneof![9_007_199_254_740_992i64..=i64::MAX, i64::MIN..=-9_007_199_254_740_992]) {
        let event = format!(r#"{{"schema":"2.0","header":{{"event_id":"e","event_type":"helpdesk.ticket_message.created_v1"}},
            "event":{{"ticket":{{"status":{status}}}}}}}"#);
        let hook = Webhook::builder().insecure(true).build().unwrap();
        let Inbound::Event(e) = hook.parse(&[] as &[(&str, &str)], event.as_bytes(), 0).unwrap() else { panic!() };
        let larkhook::Payload::Untyped { decode_error: Some(error), .. } = e.payload else { panic!("typed: {:?}", e.payload) };
        prop_assert_eq!(error.path, "ticket.status");
    }
}
