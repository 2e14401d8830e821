//! The card callbacks (`card.action.trigger` and the legacy message-card
//! callback) and `helpdesk.notification.approve_v1`: typed, tolerant, signed
//! as the platform signs them (the legacy SHA-1 checked against `sha1sum`),
//! and the strict window of a callback.

mod common;

use std::process::Command;

use common::*;
use larkhook::*;

const TRIGGER: &str = include_str!("fixtures/card_action_trigger.json");
/// The legacy callback as the platform posts it: one line, no newline after.
const LEGACY_FILE: &str = include_str!("fixtures/card_action_legacy.json");
const APPROVE: &str = include_str!("fixtures/notification_approve_v1.json");

fn event(hook: &Webhook, d: &Delivery, now: i64) -> Event {
    match hook.parse(&d.headers, d.body.as_bytes(), now).unwrap() {
        Inbound::Event(e) => e,
        other => panic!("expected an event, got {other:?}"),
    }
}

fn legacy(body: &str, token: &str, timestamp: i64) -> Delivery {
    DeliveryBuilder::new(body)
        .verification_token(token)
        .sign_card_action(timestamp, "nonce-1")
        .build()
        .unwrap()
}

fn card_action(hook: &Webhook, d: &Delivery, now: i64) -> Result<CardActionCallback, Error> {
    hook.parse(&d.headers, d.body.as_bytes(), now)
        .map(|inbound| match inbound {
            Inbound::CardAction(c) => c,
            other => panic!("expected a card action, got {other:?}"),
        })
}

#[test]
fn card_action_trigger_is_typed_field_for_field() {
    let e = event(&hook(), &delivery(TRIGGER), NOW);
    assert_eq!(e.event_type(), "card.action.trigger");
    // Callbacks carry microseconds: the platform's unit is kept.
    assert_eq!(e.header.create_time, Some(1_700_000_000_123_456));
    let Payload::CardActionTrigger(card) = &e.payload else {
        panic!("untyped: {:?}", e.payload)
    };
    let operator = card.operator.as_ref().unwrap();
    assert_eq!(
        operator.open_id.as_deref(),
        Some("ou_84aad35d084aa403a838cf73ee18467")
    );
    assert_eq!(operator.user_id.as_deref(), Some("e33ggbyz"));
    assert_eq!(
        operator.union_id.as_deref(),
        Some("on_8ed6aa67826108097d9ee143816345")
    );
    assert_eq!(operator.tenant_key.as_deref(), Some("2ca1d211f64f6438"));
    assert_eq!(
        card.token.as_deref(),
        Some("c-7d0b6a3e1f2c4b5a9e8d7c6b5a4f3e2d1c0b9a8f")
    );
    assert_eq!(card.host.as_deref(), Some("im_message"));
    let action = card.action.as_ref().unwrap();
    assert_eq!(action.tag.as_deref(), Some("button"));
    assert_eq!(action.name.as_deref(), Some("assign"));
    assert_eq!(action.timezone.as_deref(), Some("Asia/Shanghai"));
    let value = action.value.as_ref().unwrap();
    assert_eq!(value["command"], "assign_to_me");
    assert_eq!(value["attempt"], 1);
    // A 64-bit integer in `value` keeps its digits in Rust (u64).
    assert_eq!(value["big"].as_u64(), Some(7_262_656_095_919_128_578));
    assert_eq!(action.form_value.as_ref().unwrap()["note"], "on it");
    assert!(action.option.is_none() && action.options.is_none() && action.checked.is_none());
    let context = card.context.as_ref().unwrap();
    assert_eq!(
        context.open_message_id.as_deref(),
        Some("om_8baa3656c7b41900d29bf9104bf5310b")
    );
    assert_eq!(
        context.open_chat_id.as_deref(),
        Some("oc_a0553eda9014c201e6969b478895c230")
    );
    assert!(context.url.is_none() && context.preview_token.is_none());
    assert!(e.unrecognized_fields().is_empty());
}

#[test]
fn card_action_trigger_is_tolerant() {
    // A string `value`, the select and checker fields, an unknown field, a
    // missing `context`: typed, never refused.
    let json = r#"{"schema":"2.0","header":{"event_id":"e1","event_type":"card.action.trigger"},
        "event":{"action":{"value":"plain","tag":"select_static","option":"a","options":["a","b"],
        "checked":true,"input_value":"typed text","mystery":1},"host":"im_message"}}"#;
    let e = event(&hook(), &delivery(json), NOW);
    let Payload::CardActionTrigger(card) = &e.payload else {
        panic!("untyped: {:?}", e.payload)
    };
    let action = card.action.as_ref().unwrap();
    assert_eq!(action.value, Some(serde_json::json!("plain")));
    assert_eq!(action.option.as_deref(), Some("a"));
    assert_eq!(
        action.options.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
    assert_eq!(action.checked, Some(true));
    assert_eq!(action.input_value.as_deref(), Some("typed text"));
    assert!(card.context.is_none() && card.operator.is_none());
    assert_eq!(e.unrecognized_fields(), ["action.mystery"]);

    // A `value` of a type cards do not send: the event arrives untyped,
    // saying where.
    let json = r#"{"schema":"2.0","header":{"event_id":"e2","event_type":"card.action.trigger"},
        "event":{"action":{"value":42}}}"#;
    let e = event(&hook(), &delivery(json), NOW);
    let Payload::Untyped { decode_error, .. } = &e.payload else {
        panic!("typed: {:?}", e.payload)
    };
    let decode_error = decode_error.as_ref().unwrap();
    assert_eq!(decode_error.path, "action.value");
    assert!(decode_error.message.contains("an object or a string"));
}

#[test]
fn notification_approve_is_typed() {
    let e = event(&hook(), &delivery(APPROVE), NOW);
    let Payload::NotificationApprove(approve) = &e.payload else {
        panic!("untyped: {:?}", e.payload)
    };
    assert_eq!(
        approve.notification_id.as_deref(),
        Some("6981801914270744596")
    );
    assert_eq!(approve.helpdesk_id.as_deref(), Some("6939771743531696147"));
    assert_eq!(approve.approve_status.as_deref(), Some("APPROVED"));
    assert_eq!(
        TypedEvent::find(NOTIFICATION_APPROVE_V1).map(|t| t.callback),
        Some(false)
    );
    assert_eq!(
        TypedEvent::find(CARD_ACTION_TRIGGER).map(|t| t.callback),
        Some(true)
    );
}

#[test]
fn a_callback_keeps_the_strict_window_where_events_get_a_wider_one() {
    let wide = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .tolerance_seconds(Some(27_000))
        .build()
        .unwrap();
    let late = NOW + 400;
    // An event 400 s old passes the wide window...
    let d = delivery(CREATED);
    assert!(wide.parse(&d.headers, d.body.as_bytes(), late).is_ok());
    // ...a callback does not, and the inspector says why.
    let d = delivery(TRIGGER);
    let e = wide.parse(&d.headers, d.body.as_bytes(), late).unwrap_err();
    assert_eq!(e.code(), "timestamp_out_of_range");
    assert!(e.to_string().contains("±300 s"), "{e}");
    let report = wide.inspect(&d.headers, d.body.as_bytes(), late);
    let step = report.steps.iter().find(|s| s.id == "timestamp").unwrap();
    assert_eq!(step.status, StepStatus::Fail);
    assert!(step.detail.contains("never retries"), "{}", step.detail);
    // Within 300 s both pass; with the window off, both pass too.
    assert!(wide.parse(&d.headers, d.body.as_bytes(), NOW + 299).is_ok());
    let off = Webhook::builder()
        .encrypt_key(KEY)
        .tolerance_seconds(None)
        .build()
        .unwrap();
    assert!(
        off.parse(&d.headers, d.body.as_bytes(), NOW + 99_999)
            .is_ok()
    );
    // A narrower window than 300 s applies to callbacks as configured.
    let narrow = Webhook::builder()
        .encrypt_key(KEY)
        .tolerance_seconds(Some(10))
        .build()
        .unwrap();
    assert!(
        narrow
            .parse(&d.headers, d.body.as_bytes(), NOW + 11)
            .is_err()
    );
}

#[test]
fn the_legacy_callback_is_typed_under_event() {
    let d = legacy(LEGACY_FILE.trim_end(), TOKEN, NOW);
    assert_eq!(d.body, LEGACY_FILE.trim_end(), "the body is sent as given");
    // With a token alone, and with a key beside it.
    for hook in [
        hook(),
        Webhook::builder()
            .verification_token(TOKEN)
            .build()
            .unwrap(),
    ] {
        let card = card_action(&hook, &d, NOW + 5).unwrap();
        let Payload::CardAction(action) = &card.payload else {
            panic!("untyped: {:?}", card.payload)
        };
        assert_eq!(
            action.open_id.as_deref(),
            Some("ou_84aad35d084aa403a838cf73ee18467")
        );
        assert_eq!(action.user_id.as_deref(), Some("e33ggbyz"));
        assert_eq!(
            action.open_message_id.as_deref(),
            Some("om_8baa3656c7b41900d29bf9104bf5310b")
        );
        assert_eq!(
            action.open_chat_id.as_deref(),
            Some("oc_a0553eda9014c201e6969b478895c230")
        );
        assert_eq!(action.tenant_key.as_deref(), Some("2ca1d211f64f6438"));
        assert_eq!(
            action.token.as_deref(),
            Some("c-4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f")
        );
        let a = action.action.as_ref().unwrap();
        assert_eq!(a.tag.as_deref(), Some("button"));
        assert_eq!(a.value.as_ref().unwrap()["command"], "close_ticket");
        assert_eq!(card.raw, d.body);
    }
}

#[test]
fn the_legacy_signature_is_sha1_over_timestamp_nonce_token_and_body() {
    // The signature computed by coreutils' sha1sum from the same inputs.
    let timestamp = "1700000000";
    let nonce = "nonce-1";
    let input = format!("{timestamp}{nonce}{TOKEN}{}", LEGACY_FILE.trim_end());
    let output = Command::new("sha1sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(input.as_bytes())?;
            child.wait_with_output()
        })
        .expect("sha1sum (coreutils) runs");
    let expected = String::from_utf8(output.stdout).unwrap();
    let expected = expected.split_whitespace().next().unwrap();
    assert_eq!(expected.len(), 40);
    assert_eq!(
        sign_card_action(timestamp, nonce, TOKEN, LEGACY_FILE.trim_end().as_bytes()),
        expected
    );
    let d = legacy(LEGACY_FILE.trim_end(), TOKEN, NOW);
    assert!(
        d.headers
            .iter()
            .any(|(n, v)| n == "X-Lark-Signature" && v == expected)
    );
    // Upper-case hex is the same signature.
    let mut upper = d.clone();
    for (name, value) in &mut upper.headers {
        if name == "X-Lark-Signature" {
            *value = value.to_ascii_uppercase();
        }
    }
    assert!(card_action(&hook(), &upper, NOW).is_ok());
}

#[test]
fn the_legacy_callback_is_refused_when_it_cannot_be_verified() {
    let d = legacy(LEGACY_FILE.trim_end(), TOKEN, NOW);
    let code =
        |hook: &Webhook, d: &Delivery, now: i64| card_action(hook, d, now).unwrap_err().code();
    // Another token, a changed body, a reformatted body.
    let other = Webhook::builder()
        .verification_token("other")
        .build()
        .unwrap();
    assert_eq!(code(&other, &d, NOW), "signature_mismatch");
    let mut changed = d.clone();
    changed.body = changed.body.replace("close_ticket", "open_ticket");
    assert_eq!(code(&hook(), &changed, NOW), "signature_mismatch");
    let mut pretty = d.clone();
    pretty.body =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&d.body).unwrap())
            .unwrap();
    let e = card_action(&hook(), &pretty, NOW).unwrap_err();
    assert_eq!(e.code(), "signature_mismatch");
    assert!(e.to_string().contains("re-serialized"));
    // A missing nonce or timestamp.
    for header in ["X-Lark-Request-Nonce", "X-Lark-Request-Timestamp"] {
        let mut missing = d.clone();
        missing.headers.retain(|(n, _)| n != header);
        assert_eq!(
            code(&hook(), &missing, NOW),
            "missing_signature",
            "{header}"
        );
    }
    // No signature at all: missing_signature, whatever is configured, not
    // the schema or plaintext refusal of a body that is no event.
    let mut unsigned = d.clone();
    unsigned.headers.retain(|(n, _)| n != "X-Lark-Signature");
    let token_only = Webhook::builder()
        .verification_token(TOKEN)
        .build()
        .unwrap();
    let key_only = Webhook::builder().encrypt_key(KEY).build().unwrap();
    for (name, config) in [
        ("key and token", hook()),
        ("token", token_only.clone()),
        ("key", key_only.clone()),
    ] {
        let e = card_action(&config, &unsigned, NOW).unwrap_err();
        assert_eq!(e.code(), "missing_signature", "{name}");
        assert!(e.to_string().contains("X-Lark-Signature"), "{name}: {e}");
    }
    // A body that is neither an event nor a card callback keeps its own refusal.
    let mut stray = unsigned.clone();
    stray.body = r#"{"hello":"world"}"#.to_owned();
    assert_eq!(code(&token_only, &stray, NOW), "unsupported_schema");
    assert_eq!(code(&key_only, &stray, NOW), "plaintext_rejected");
    // No token configured: it cannot be verified.
    assert_eq!(code(&key_only, &d, NOW), "token_required");
    let insecure = Webhook::builder().insecure(true).build().unwrap();
    assert_eq!(code(&insecure, &d, NOW), "token_required");
    // The strict window, even where events get a wider one.
    let wide = Webhook::builder()
        .verification_token(TOKEN)
        .tolerance_seconds(Some(27_000))
        .build()
        .unwrap();
    assert_eq!(code(&wide, &d, NOW + 301), "timestamp_out_of_range");
    assert!(card_action(&wide, &d, NOW + 300).is_ok());
    // Never encrypted, never an envelope.
    let encrypted = format!(
        r#"{{"encrypt":"{}"}}"#,
        encrypt(KEY, LEGACY_FILE.trim_end().as_bytes(), [1; 16])
    );
    assert_eq!(
        code(&hook(), &legacy(&encrypted, TOKEN, NOW), NOW),
        "invalid_envelope"
    );
    assert_eq!(
        code(&hook(), &legacy(CREATED, TOKEN, NOW), NOW),
        "invalid_envelope"
    );
}

#[test]
fn a_legacy_body_that_does_not_fit_arrives_untyped() {
    let body = r#"{"open_id":"ou_1","action":{"value":[1,2]},"extra":true}"#;
    let card = card_action(&hook(), &legacy(body, TOKEN, NOW), NOW).unwrap();
    let Payload::Untyped {
        event,
        decode_error,
    } = &card.payload
    else {
        panic!("typed: {:?}", card.payload)
    };
    assert_eq!(event.get(), body);
    assert_eq!(decode_error.as_ref().unwrap().path, "action.value");
}

#[test]
fn the_inspector_walks_the_legacy_callback() {
    let d = legacy(LEGACY_FILE.trim_end(), TOKEN, NOW);
    let report = hook().inspect(&d.headers, d.body.as_bytes(), NOW);
    let status: Vec<(&str, StepStatus)> = report.steps.iter().map(|s| (s.id, s.status)).collect();
    use StepStatus::*;
    assert_eq!(
        status,
        [
            ("body_size", Pass),
            ("headers", Pass),
            ("timestamp", Pass),
            ("signature", Pass),
            ("body_json", Pass),
            ("decryption", Skip),
            ("payload_json", Pass),
            ("schema", Pass),
            ("token", Pass),
            ("event_type", Pass),
            ("typed_model", Pass),
        ]
    );
    assert!(report.steps[1].detail.contains("SHA-1"));
    assert!(report.steps[3].detail.contains("Verification Token #1"));
    assert!(matches!(report.outcome, Ok(Inbound::CardAction(_))));
    // A wrong token: the expected signature for each configured token.
    let other = Webhook::builder()
        .verification_token("other")
        .build()
        .unwrap();
    let report = other.inspect(&d.headers, d.body.as_bytes(), NOW);
    let signature = &report.steps[3];
    assert_eq!(signature.code, Some("signature_mismatch"));
    assert!(
        signature
            .detail
            .contains("expected with Verification Token #1: ")
    );
    assert!(!signature.detail.contains("other"));
}
