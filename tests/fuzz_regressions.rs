//! Inputs found by the cargo-fuzz targets in `fuzz/` (see SECURITY.md,
//! "Fuzzing"), kept as tests once the bug they showed was fixed.

use larkhook::{DeliveryBuilder, Inbound, Webhook};

const KEY: &str = "lark-encrypt-key";
const TOKEN: &str = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";
const NOW: i64 = 1_700_000_000;

fn hook() -> Webhook {
    Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .build()
        .unwrap()
}

/// roundtrip: `DeliveryBuilder::verification_token` wrote the token into
/// `header.token` whenever a `schema` field was present, but `parse` reads a
/// challenge's token at the top level whatever else it carries, so the
/// builder's own challenge came back as `token_mismatch`.
#[test]
fn builder_puts_a_challenges_token_where_parse_reads_it() {
    let json = r#"{"schema":"2.0","type":"url_verification","challenge":"c"}"#;
    for signed in [false, true] {
        let mut builder = DeliveryBuilder::new(json)
            .verification_token(TOKEN)
            .encrypt(KEY, [7; 16]);
        if signed {
            builder = builder.sign(NOW, "nonce");
        }
        let d = builder.build().unwrap();
        let parsed = hook().parse(&d.headers, d.body.as_bytes(), NOW);
        let Ok(Inbound::Challenge(c)) = parsed else {
            panic!("signed={signed}: {parsed:?}")
        };
        assert_eq!(c.challenge, "c");
    }
}

/// roundtrip: a `"schema": null` counts as no schema for `parse` (serde reads
/// `null` as an absent `Option`), but the builder took it for schema 2.0 and
/// wrote `header.token` into a legacy event.
#[test]
fn builder_treats_a_null_schema_as_absent() {
    let json = r#"{"schema":null,"uuid":"u","type":"event_callback","event":{"type":"x"}}"#;
    let d = DeliveryBuilder::new(json)
        .verification_token(TOKEN)
        .encrypt(KEY, [7; 16])
        .sign(NOW, "nonce")
        .build()
        .unwrap();
    let Ok(Inbound::Event(event)) = hook().parse(&d.headers, d.body.as_bytes(), NOW) else {
        panic!("expected the legacy event back")
    };
    let raw: serde_json::Value = serde_json::from_str(&event.raw).unwrap();
    assert_eq!(raw["token"], TOKEN);
    assert!(raw.get("header").is_none());
}

/// The unchanged cases: a schema 2.0 event gets `header.token`, a legacy
/// event and a plain challenge the top-level `token`.
#[test]
fn builder_token_placement_is_unchanged_elsewhere() {
    let cases = [
        (
            r#"{"schema":"2.0","header":{"event_id":"e","event_type":"t"},"event":{}}"#,
            "/header/token",
        ),
        (
            r#"{"uuid":"u","type":"event_callback","event":{"type":"x"}}"#,
            "/token",
        ),
        (r#"{"type":"url_verification","challenge":"c"}"#, "/token"),
    ];
    for (json, pointer) in cases {
        let d = DeliveryBuilder::new(json)
            .verification_token(TOKEN)
            .build()
            .unwrap();
        let body: serde_json::Value = serde_json::from_str(&d.body).unwrap();
        assert_eq!(
            body.pointer(pointer).and_then(|v| v.as_str()),
            Some(TOKEN),
            "{json}"
        );
        let plain = Webhook::builder()
            .verification_token(TOKEN)
            .build()
            .unwrap();
        assert!(
            plain.parse(&d.headers, d.body.as_bytes(), NOW).is_ok(),
            "{json}"
        );
    }
}
