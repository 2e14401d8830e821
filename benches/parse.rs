//! Native (Rust) benchmarks of the core, with criterion.
//!
//! ```sh
//! cargo bench --bench parse                 # everything
//! cargo bench --bench parse -- parse/       # one group
//! LARKHOOK_BENCH_QUICK=1 cargo bench --bench parse   # a short smoke run
//! ```
//!
//! - `parse/<event>`: `Webhook::parse` of a signed, encrypted delivery of each
//!   documentation event (compact JSON, the token written in by
//!   `DeliveryBuilder`), plus plain ones (no Encrypt Key: no signature, no
//!   decryption, so encrypted minus plain is the crypto's share) and a 64 KiB
//!   message. The hook is built once (keys derived once), as in a server.
//!   Throughput is one element per parse, so criterion prints parses per
//!   second on one core.
//! - `crypto/decrypt*`: `larkhook::decrypt` of the `encrypt` value alone
//!   (this public function derives the key on every call: one SHA-256 and an
//!   AES key schedule, which `parse` does not pay).
//! - `crypto/sign*`: `larkhook::sign` over the body (also derives the key).
//!
//! `benches/report.mjs` reads the medians from `target/criterion/*/*/new/estimates.json`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use larkhook::{Delivery, DeliveryBuilder, Inbound, Webhook};

const KEY: &str = "lark-encrypt-key";
const TOKEN: &str = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";
const NOW: i64 = 1_700_000_000;
const NONCE: &str = "bench-nonce-0001";

/// JSON text without insignificant whitespace (numbers kept digit for digit).
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

const CREATED: &str = include_str!("../tests/fixtures/ticket_created_v1.json");
const UPDATED: &str = include_str!("../tests/fixtures/ticket_updated_v1.json");
const MESSAGE: &str = include_str!("../tests/fixtures/ticket_message_created_v1.json");

/// The ticket_message fixture with `event.text` grown to make the plaintext about `bytes` long.
fn big_message(bytes: usize) -> String {
    let base = minify(MESSAGE);
    let marker = r#""text":"请问vpn怎么下载""#;
    assert!(base.contains(marker), "the fixture's text field changed");
    let unit = "请问vpn怎么下载? The VPN client asks for a certificate. ";
    let text = unit.repeat(bytes.saturating_sub(base.len()) / unit.len());
    base.replace(marker, &format!(r#""text":"{text}""#))
}

fn encrypted(event_json: &str) -> Delivery {
    DeliveryBuilder::new(event_json)
        .verification_token(TOKEN)
        .encrypt(KEY, [7; 16])
        .sign(NOW, NONCE)
        .build()
        .expect("a valid delivery")
}

fn plain(event_json: &str) -> Delivery {
    DeliveryBuilder::new(event_json)
        .verification_token(TOKEN)
        .build()
        .expect("a valid delivery")
}

fn encrypt_field(delivery: &Delivery) -> String {
    #[derive(serde::Deserialize)]
    struct Body {
        encrypt: String,
    }
    serde_json::from_str::<Body>(&delivery.body)
        .expect("an encrypted body")
        .encrypt
}

fn config() -> Criterion {
    let quick = std::env::var("LARKHOOK_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    Criterion::default()
        .warm_up_time(Duration::from_millis(if quick { 200 } else { 1000 }))
        .measurement_time(Duration::from_millis(if quick { 600 } else { 3000 }))
        .sample_size(if quick { 20 } else { 60 })
}

fn parse(c: &mut Criterion) {
    let hook = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .build()
        .expect("config");
    let token_only = Webhook::builder()
        .verification_token(TOKEN)
        .build()
        .expect("config");

    let cases: Vec<(&str, Delivery, &Webhook, &str)> = vec![
        (
            "ticket_created_v1",
            encrypted(&minify(CREATED)),
            &hook,
            "helpdesk.ticket.created_v1",
        ),
        (
            "ticket_updated_v1",
            encrypted(&minify(UPDATED)),
            &hook,
            "helpdesk.ticket.updated_v1",
        ),
        (
            "ticket_message_created_v1",
            encrypted(&minify(MESSAGE)),
            &hook,
            "helpdesk.ticket_message.created_v1",
        ),
        (
            "plain_ticket_created_v1",
            plain(&minify(CREATED)),
            &token_only,
            "helpdesk.ticket.created_v1",
        ),
        (
            "plain_ticket_message_created_v1",
            plain(&minify(MESSAGE)),
            &token_only,
            "helpdesk.ticket_message.created_v1",
        ),
        (
            "ticket_message_64k",
            encrypted(&big_message(64 * 1024)),
            &hook,
            "helpdesk.ticket_message.created_v1",
        ),
    ];

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(1));
    for (name, delivery, hook, event_type) in &cases {
        // Every delivery must parse, typed, before it is timed.
        match hook.parse(&delivery.headers, delivery.body.as_bytes(), NOW) {
            Ok(Inbound::Event(event)) => {
                assert_eq!(event.header.event_type, *event_type, "{name}");
                assert!(
                    !matches!(event.payload, larkhook::Payload::Untyped { .. }),
                    "{name} did not decode into its typed model"
                );
            }
            other => panic!("{name}: {other:?}"),
        }
        group.bench_function(*name, |b| {
            b.iter(|| {
                hook.parse(
                    black_box(&delivery.headers),
                    black_box(delivery.body.as_bytes()),
                    NOW,
                )
            });
        });
    }
    group.finish();
}

fn crypto(c: &mut Criterion) {
    let message = encrypted(&minify(MESSAGE));
    let big = encrypted(&big_message(64 * 1024));
    let mut group = c.benchmark_group("crypto");
    for (name, delivery) in [("", &message), ("_64k", &big)] {
        let encrypt = encrypt_field(delivery);
        assert!(larkhook::decrypt(KEY, &encrypt).is_ok());
        group.throughput(Throughput::Bytes(encrypt.len() as u64));
        group.bench_function(format!("decrypt{name}"), |b| {
            b.iter(|| larkhook::decrypt(black_box(KEY), black_box(&encrypt)));
        });
        group.throughput(Throughput::Bytes(delivery.body.len() as u64));
        group.bench_function(format!("sign{name}"), |b| {
            b.iter(|| {
                larkhook::sign(
                    black_box("1700000000"),
                    black_box(NONCE),
                    black_box(KEY),
                    black_box(delivery.body.as_bytes()),
                )
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = parse, crypto
}
criterion_main!(benches);
