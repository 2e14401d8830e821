//! Bugs found by the cargo-fuzz targets in `fuzz/` and while building the
//! hostile corpus (`tests/hostile/`), kept as tests once fixed (see
//! SECURITY.md, "Fuzzing").

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

/// Hostile corpus: serde's derived structs also accept a JSON array and read
/// the fields by position, so `["<ciphertext>"]` was taken for
/// `{"encrypt":"<ciphertext>"}` (and answered as a challenge), and arrays
/// passed as the body, the decrypted payload, `header`, a legacy `event` and
/// a typed event. A parser differential: any other JSON reader (a proxy, a
/// log pipeline, `JSON.parse(event.raw).header`) saw a different document.
#[test]
fn json_arrays_are_not_read_as_objects() {
    let none: [(&str, &str); 0] = [];
    let plain = Webhook::builder().insecure(true).build().unwrap();
    let code = |hook: &Webhook, body: &str| {
        hook.parse(&none, body.as_bytes(), NOW)
            .map_err(|e| e.code())
    };

    assert_eq!(
        code(
            &plain,
            r#"[null,"2.0",{"event_id":"e","event_type":"x.y"},{}]"#
        )
        .err(),
        Some("invalid_json")
    );
    assert_eq!(
        code(
            &plain,
            r#"{"schema":"2.0","header":["e","helpdesk.ticket.created_v1"],"event":{}}"#
        )
        .err(),
        Some("invalid_envelope")
    );
    assert_eq!(
        code(
            &plain,
            r#"{"uuid":"u","type":"event_callback","event":["x.y"]}"#
        )
        .err(),
        Some("invalid_envelope")
    );
    let typed = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket.created_v1"},"event":["6626871355780366331"]}"#;
    let Ok(Inbound::Event(event)) = plain.parse(&none, typed.as_bytes(), NOW) else {
        panic!("the event still arrives")
    };
    assert!(
        matches!(&event.payload, larkhook::Payload::Untyped { decode_error: Some(e), .. } if e.path == ".")
    );

    // The unsigned challenge path: an array around a valid encrypted challenge.
    let d = DeliveryBuilder::new(r#"{"type":"url_verification","challenge":"c"}"#)
        .verification_token(TOKEN)
        .encrypt(KEY, [1; 16])
        .build()
        .unwrap();
    let wrapped = format!("[{}]", &d.body["{\"encrypt\":".len()..d.body.len() - 1]);
    assert!(wrapped.starts_with("[\"") && wrapped.ends_with("\"]"));
    assert!(matches!(
        hook().parse(&none, d.body.as_bytes(), NOW),
        Ok(Inbound::Challenge(_))
    ));
    assert_eq!(
        hook()
            .parse(&none, wrapped.as_bytes(), NOW)
            .unwrap_err()
            .code(),
        "missing_signature"
    );
}

/// Hostile corpus: `json_error` promised not to echo input, but passed
/// serde's data errors through, and serde quotes a wrong string in full: a
/// body that is one JSON string came back whole in the message (up to the
/// size limit), and on the signed path a decrypted plaintext that is a JSON
/// string would have put payload text into an error message.
#[test]
fn json_errors_do_not_quote_the_value() {
    let none: [(&str, &str); 0] = [];
    let plain = Webhook::builder().insecure(true).build().unwrap();
    let long = format!("\"{}\"", "secret-looking-text ".repeat(5_000));
    let e = plain.parse(&none, long.as_bytes(), NOW).unwrap_err();
    assert_eq!(e.code(), "invalid_json");
    assert!(!e.to_string().contains("secret-looking-text"), "{e}");
    assert!(e.to_string().len() < 300, "{e}");
    assert!(
        e.to_string().contains("invalid type: string, expected"),
        "{e}"
    );

    // Other kinds of values keep their kind; syntax errors are unchanged.
    let e = plain
        .parse(&none, br#"{"encrypt":12345}"#, NOW)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("invalid type: integer, expected a string"),
        "{e}"
    );
    assert!(!e.to_string().contains("12345"), "{e}");
    let e = plain.parse(&none, br#"{"encrypt":1.5}"#, NOW).unwrap_err();
    assert!(
        e.to_string()
            .contains("invalid type: floating point, expected"),
        "{e}"
    );
    let e = plain.parse(&none, b"{", NOW).unwrap_err();
    assert!(e.to_string().contains("EOF while parsing"), "{e}");

    // The decrypted payload on the signed path.
    let d = DeliveryBuilder::new("\"payload text\"")
        .encrypt(KEY, [2; 16])
        .sign(NOW, "n")
        .build()
        .unwrap();
    let e = hook()
        .parse(&d.headers, d.body.as_bytes(), NOW)
        .unwrap_err();
    assert_eq!(e.code(), "invalid_json");
    assert!(!e.to_string().contains("payload text"), "{e}");
}

/// roundtrip: serde_json's default float parser is not correctly rounded:
/// `42624.951e040` lands 2 ULP from the nearest double, so a typed duration
/// can differ in its last bits from what `JSON.parse(event.raw)` gives.
/// Harmless for durations; serde_json's `float_roundtrip` would make it exact
/// at the cost of ~36 KB of wasm, so it stays off and this is pinned.
#[test]
fn typed_floats_are_within_a_few_ulps_of_the_decimal_sent() {
    let none: [(&str, &str); 0] = [];
    let body = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"helpdesk.ticket_message.created_v1"},"event":{"ticket":{"agent_service_duration":42624.951e040}}}"#;
    let plain = Webhook::builder().insecure(true).build().unwrap();
    let Ok(Inbound::Event(event)) = plain.parse(&none, body.as_bytes(), NOW) else {
        panic!("the event arrives")
    };
    let larkhook::Payload::TicketMessageCreated(message) = &event.payload else {
        panic!("typed")
    };
    let duration = message
        .ticket
        .as_ref()
        .unwrap()
        .agent_service_duration
        .unwrap();
    let exact = 4.2624951e44_f64;
    assert!(
        (duration - exact).abs() <= 4.0 * f64::EPSILON * exact,
        "{duration:e}"
    );
}
