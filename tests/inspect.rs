//! The inspector's step-by-step report agrees with `parse` and says why.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use larkhook::{DeliveryBuilder, StepStatus, Webhook};

fn statuses(report: &larkhook::Report) -> Vec<(&'static str, StepStatus, Option<&'static str>)> {
    report
        .steps
        .iter()
        .map(|s| (s.id, s.status, s.code))
        .collect()
}

fn first_failure(report: &larkhook::Report) -> Option<&'static str> {
    report
        .steps
        .iter()
        .find(|s| s.status == StepStatus::Fail)
        .and_then(|s| s.code)
}

#[test]
fn a_good_delivery_passes_every_step() {
    let d = delivery(MESSAGE);
    let report = hook().inspect(&d.headers, d.body.as_bytes(), NOW);
    assert!(report.outcome.is_ok());
    use StepStatus::Pass;
    assert_eq!(
        statuses(&report),
        [
            ("body_size", Pass, None),
            ("headers", Pass, None),
            ("timestamp", Pass, None),
            ("signature", Pass, None),
            ("body_json", Pass, None),
            ("decryption", Pass, None),
            ("payload_json", Pass, None),
            ("schema", Pass, None),
            ("token", Pass, None),
            ("event_type", Pass, None),
            ("typed_model", Pass, None),
        ]
    );
    assert_eq!(
        report.plaintext.as_deref().map(|p| p.contains("请问vpn")),
        Some(true)
    );
    assert!(report.unrecognized_fields.is_empty());
}

#[test]
fn signed_failures_stop_at_the_step_parse_fails_at() {
    let hook = hook();
    let good = delivery(CREATED);
    let mut tampered = good.clone();
    tampered.body = tampered.body.replacen('A', "B", 1);
    let mut stale = good.clone();
    set_header(&mut stale, "X-Lark-Request-Timestamp", "1600000000");
    resign(&mut stale, KEY);
    let wrong_token = DeliveryBuilder::new(CREATED)
        .verification_token("nope")
        .encrypt(KEY, [1; 16])
        .sign(NOW, "n")
        .build()
        .unwrap();
    let mut plain = good.clone();
    plain.body = CREATED.to_owned();
    resign(&mut plain, KEY);
    for (name, d, step) in [
        ("tampered", &tampered, "signature"),
        ("stale", &stale, "timestamp"),
        ("wrong token", &wrong_token, "token"),
        ("plain", &plain, "decryption"),
    ] {
        let report = hook.inspect(&d.headers, d.body.as_bytes(), NOW);
        let parse_code = hook
            .parse(&d.headers, d.body.as_bytes(), NOW)
            .unwrap_err()
            .code();
        assert_eq!(first_failure(&report), Some(parse_code), "{name}");
        let failed = report
            .steps
            .iter()
            .find(|s| s.status == StepStatus::Fail)
            .unwrap();
        assert_eq!(failed.id, step, "{name}");
        // Every step after the failure is skipped.
        let after: Vec<_> = report
            .steps
            .iter()
            .skip_while(|s| s.id != step)
            .skip(1)
            .collect();
        assert!(
            after.iter().all(|s| s.status == StepStatus::Skip),
            "{name}: {after:?}"
        );
    }
}

#[test]
fn the_signature_step_shows_expected_values_and_spots_reformatted_bodies() {
    let d = delivery(CREATED);
    let value: serde_json::Value = serde_json::from_str(&d.body).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    let report = hook().inspect(&d.headers, pretty.as_bytes(), NOW);
    let step = report.steps.iter().find(|s| s.id == "signature").unwrap();
    assert_eq!(step.status, StepStatus::Fail);
    let expected = larkhook::sign(&NOW.to_string(), "nonce", KEY, pretty.as_bytes());
    assert!(
        step.detail
            .contains(&format!("expected with Encrypt Key #1: {expected}")),
        "{}",
        step.detail
    );
    assert!(step.detail.contains("reformatted"), "{}", step.detail);
}

#[test]
fn unsigned_deliveries_are_explained_although_parse_says_only_missing_signature() {
    let hook = hook();
    let challenge = DeliveryBuilder::new(r#"{"type":"url_verification","challenge":"c"}"#)
        .verification_token("wrong")
        .encrypt(KEY, [2; 16])
        .build()
        .unwrap();
    let report = hook.inspect(&challenge.headers, challenge.body.as_bytes(), NOW);
    assert_eq!(
        report.outcome.as_ref().unwrap_err().code(),
        "missing_signature"
    );
    assert_eq!(first_failure(&report), Some("token_mismatch"));

    let unsigned_event = DeliveryBuilder::new(CREATED)
        .encrypt(KEY, [2; 16])
        .build()
        .unwrap();
    let report = hook.inspect(&unsigned_event.headers, unsigned_event.body.as_bytes(), NOW);
    assert_eq!(first_failure(&report), Some("missing_signature"));
    assert!(
        report.plaintext.is_some(),
        "the developer sees what was inside"
    );
}

#[test]
fn no_key_configured_skips_the_signature_and_decodes_plain_json() {
    let hook = Webhook::builder().insecure(true).build().unwrap();
    let no_headers: [(&str, &str); 0] = [];
    let report = hook.inspect(&no_headers, UPDATED.as_bytes(), NOW);
    assert!(report.outcome.is_ok());
    let signature = report.steps.iter().find(|s| s.id == "signature").unwrap();
    assert_eq!(signature.status, StepStatus::Skip);
    let token = report.steps.iter().find(|s| s.id == "token").unwrap();
    assert_eq!(token.status, StepStatus::Skip);
    let encrypted = delivery(CREATED);
    let report = hook.inspect(&encrypted.headers, encrypted.body.as_bytes(), NOW);
    assert_eq!(first_failure(&report), Some("key_required"));
}

#[test]
fn an_undecodable_helpdesk_event_is_flagged_but_accepted() {
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1"},"event":{"status":{"x":1},"extra":1}}"#;
    let hook = Webhook::builder().insecure(true).build().unwrap();
    let no_headers: [(&str, &str); 0] = [];
    let report = hook.inspect(&no_headers, event.as_bytes(), NOW);
    assert!(report.outcome.is_ok());
    let typed = report.steps.iter().find(|s| s.id == "typed_model").unwrap();
    assert_eq!(typed.status, StepStatus::Fail);
    assert!(typed.detail.contains("at `status`"), "{}", typed.detail);
    assert_eq!(typed.code, None, "parse tolerates it: no error code");
    // One entry per step, in parse's order: the verdict is parse's own.
    let ids: Vec<_> = report.steps.iter().map(|s| s.id).collect();
    let all: Vec<_> = larkhook::StepId::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(ids, all);
}
