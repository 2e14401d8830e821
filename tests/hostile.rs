//! The hostile-input corpus, `tests/hostile/corpus.json`, run natively.
//!
//! The corpus is data so that the same cases can run against the wasm build
//! from JavaScript (see `tests/hostile/README.md` for the format). Each case
//! is one delivery (config, headers, body, `now`) and the hand-written
//! expectation: an error code with its HTTP status, or a documented
//! acceptance (`challenge` / `event`) with the reason in `why`.
//!
//! Besides each case's own expectation, this runner checks the corpus as a
//! whole:
//! - no error message (`Display` or `Debug`) contains a configured Encrypt
//!   Key or Verification Token, nor their hex / base64 forms, nor the derived
//!   AES key;
//! - on the unsigned path (a key configured, no `X-Lark-Signature`), every
//!   refusal other than `plaintext_rejected`, `body_too_large` and
//!   `duplicate_header` is the very same error: code, status and message (no
//!   padding oracle).
//!
//! Encrypted and signed bodies are materialized once from each case's `make`
//! recipe with larkhook's fixture tools (`encrypt`, `sign`,
//! `DeliveryBuilder`): `LARKHOOK_REGENERATE_HOSTILE=1 cargo test --test
//! hostile regenerate_corpus -- --ignored`. `materialized_cases_are_up_to_date`
//! checks that the file matches its recipes. Expectations are never written
//! by the regenerator.

use std::collections::BTreeSet;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use larkhook::{Error, Inbound, Payload, SIGNATURE_HEADER, TYPED_EVENT_TYPES, Webhook};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

// Turning each case's recipe into its headers and body.
#[path = "hostile/materialize.rs"]
mod materialize;
use materialize::{apply, render};

// ---- the corpus format ----------------------------------------------------

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    why: String,
    config: Config,
    headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body_base64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body_gen: Option<Vec<Part>>,
    now: i64,
    expect: Expect,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    make: Option<Make>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct Config {
    encrypt_keys: Vec<String>,
    tokens: Vec<String>,
    tolerance_seconds: Option<u64>,
    max_body_bytes: usize,
}

/// The body generator: the parts are concatenated, in order.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(untagged, deny_unknown_fields)]
enum Part {
    /// UTF-8 text as is.
    Text { text: String },
    /// `repeat` written `times` times.
    Repeat { repeat: String, times: usize },
    /// Raw bytes (for bytes that are not UTF-8).
    Bytes { base64: String },
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// Refusal: the error code, and the HTTP status it must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    /// Acceptance: `challenge` or `event`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    /// For an event: whether the payload must be typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    typed: Option<bool>,
    /// For a challenge: the exact value that must come back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    challenge: Option<String>,
    /// For an event: its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event_type: Option<String>,
}

/// How the regenerator builds an encrypted (and usually signed) delivery.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct Make {
    /// The plaintext: text, generated, or hex bytes (crafted blocks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    plaintext: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    plaintext_gen: Option<Vec<Part>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    plaintext_hex: Option<String>,
    /// Written into the plaintext JSON with `DeliveryBuilder::verification_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    key: String,
    iv_hex: String,
    /// Encrypt without padding: the plaintext is whole blocks (ending in the
    /// crafted padding) and the padding block `encrypt` adds is cut off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    nopad: bool,
    /// A change to the base64 `encrypt` string (see `transform`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    transform: Option<String>,
    /// The body, with `{encrypt}` standing for the JSON string literal of the
    /// `encrypt` value. Default `{"encrypt":{encrypt}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    template: Option<String>,
    /// Headers written before the signature headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sign: Option<Sign>,
    /// A change to the headers after signing (see `edit_headers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    header_edit: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct Sign {
    key: String,
    timestamp: String,
    nonce: String,
    /// Sign this text instead of the body (a valid signature over a
    /// different body); `{encrypt}` as in `template`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    over: Option<String>,
}

fn corpus_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/corpus.json")
}

fn load() -> Vec<Case> {
    let text = std::fs::read_to_string(corpus_path()).expect("tests/hostile/corpus.json");
    serde_json::from_str(&text).expect("corpus.json matches the case format")
}

fn generate(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        match part {
            Part::Text { text } => out.extend_from_slice(text.as_bytes()),
            Part::Repeat { repeat, times } => {
                for _ in 0..*times {
                    out.extend_from_slice(repeat.as_bytes());
                }
            }
            Part::Bytes { base64 } => out.extend(STANDARD.decode(base64).expect("base64 part")),
        }
    }
    out
}

impl Case {
    fn body(&self) -> Vec<u8> {
        match (&self.body, &self.body_base64, &self.body_gen) {
            (Some(text), None, None) => text.clone().into_bytes(),
            (None, Some(b64), None) => STANDARD.decode(b64).expect("body_base64"),
            (None, None, Some(parts)) => generate(parts),
            _ => panic!("{}: exactly one of body, body_base64, body_gen", self.name),
        }
    }

    fn webhook(&self) -> Webhook {
        // The corpus exercises every configuration, the unverified one included.
        let mut builder = Webhook::builder()
            .insecure(true)
            .tolerance_seconds(self.config.tolerance_seconds)
            .max_body_bytes(self.config.max_body_bytes);
        for key in &self.config.encrypt_keys {
            builder = builder.encrypt_key(key);
        }
        for token in &self.config.tokens {
            builder = builder.verification_token(token);
        }
        builder.build().expect("the corpus configs are valid")
    }

    /// A key configured and no signature header: the unsigned path.
    fn unsigned_path(&self) -> bool {
        !self.config.encrypt_keys.is_empty()
            && !self
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(SIGNATURE_HEADER))
    }
}

// ---- running it ---------------------------------------------------------

/// Checks one case against its expectation; returns the error, if any.
fn run(case: &Case) -> Result<Option<Error>, String> {
    let result = case.webhook().parse(&case.headers, &case.body(), case.now);
    let expect = &case.expect;
    match (&expect.code, expect.kind.as_deref(), result) {
        (Some(code), None, Err(e)) => {
            let status = expect.status.ok_or("a code expectation needs a status")?;
            if e.code() != code || e.http_status() != status {
                return Err(format!(
                    "expected {code} ({status}), got {} ({}): {e}",
                    e.code(),
                    e.http_status()
                ));
            }
            Ok(Some(e))
        }
        (None, Some("challenge"), Ok(Inbound::Challenge(c))) => {
            if let Some(expected) = &expect.challenge {
                if &c.challenge != expected {
                    return Err(format!("challenge {:?} != {expected:?}", c.challenge));
                }
            }
            // The answer is JSON with exactly the challenge in it.
            let answer: serde_json::Value = serde_json::from_str(&c.response_body())
                .map_err(|e| format!("response body is not JSON: {e}"))?;
            let echoed = answer.as_object().filter(|o| o.len() == 1);
            if echoed.and_then(|o| o["challenge"].as_str()) != Some(c.challenge.as_str()) {
                return Err(format!("response body {} does not echo", c.response_body()));
            }
            Ok(None)
        }
        (None, Some("event"), Ok(Inbound::Event(event))) => {
            let typed = expect.typed.ok_or("an event expectation needs `typed`")?;
            if event.is_typed() != typed {
                return Err(format!(
                    "typed: {} (payload {:?})",
                    event.is_typed(),
                    event.payload
                ));
            }
            if let Some(expected) = &expect.event_type {
                if event.event_type() != expected {
                    return Err(format!("event type {}", event.event_type()));
                }
            }
            if let Payload::Untyped { decode_error, .. } = &event.payload {
                let known = TYPED_EVENT_TYPES.contains(&event.event_type());
                if known != decode_error.is_some() {
                    return Err(format!(
                        "decode_error {decode_error:?} for {}",
                        event.event_type()
                    ));
                }
            }
            // Re-reads the raw text: must not fail or overflow on hostile JSON.
            let _ = event.unrecognized_fields();
            Ok(None)
        }
        (_, _, Ok(inbound)) => Err(format!(
            "accepted as {}",
            match inbound {
                Inbound::Challenge(c) => format!("challenge {:?}", c.challenge),
                Inbound::Event(e) => format!("event {}", e.event_type()),
                Inbound::CardAction(_) => "a legacy card callback".to_owned(),
            }
        )),
        (_, _, Err(e)) => Err(format!("refused: {} ({}): {e}", e.code(), e.http_status())),
    }
}

/// Every form in which a secret could show up in a message.
fn secret_forms(secret: &str) -> Vec<String> {
    let bytes = secret.as_bytes();
    let digest = Sha256::digest(bytes);
    let mut forms = vec![secret.to_owned()];
    for data in [bytes, digest.as_slice()] {
        forms.push(STANDARD.encode(data));
        forms.push(STANDARD_NO_PAD.encode(data));
        forms.push(URL_SAFE.encode(data));
        forms.push(URL_SAFE_NO_PAD.encode(data));
        forms.push(base16ct::lower::encode_string(data));
        forms.push(base16ct::upper::encode_string(data));
    }
    // Also the Rust `Debug` form of the bytes.
    forms.push(format!("{bytes:?}"));
    forms.push(format!("{:?}", digest.as_slice()));
    forms
}

/// Code, status, `Display` and `Debug` of a refusal.
type Refusal = (&'static str, u16, String, String);

#[test]
fn hostile_corpus() {
    let cases = load();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut names = BTreeSet::new();
    let mut failures = Vec::new();
    let mut messages: Vec<(String, String)> = Vec::new();
    let mut secrets = BTreeSet::new();
    let mut unsigned_refusals: Vec<(String, Refusal)> = Vec::new();

    for case in &cases {
        assert!(
            names.insert(case.name.clone()),
            "duplicate name {}",
            case.name
        );
        assert!(!case.why.trim().is_empty(), "{}: `why` is empty", case.name);
        secrets.extend(case.config.encrypt_keys.iter().cloned());
        secrets.extend(case.config.tokens.iter().cloned());
        match run(case) {
            Err(problem) => failures.push(format!("{}: {problem}", case.name)),
            Ok(None) => {}
            Ok(Some(e)) => {
                let display = e.to_string();
                let debug = format!("{e:?}");
                messages.push((case.name.clone(), format!("{display}\n{debug}")));
                if case.unsigned_path()
                    && !matches!(
                        e.code(),
                        "plaintext_rejected" | "body_too_large" | "duplicate_header"
                    )
                {
                    unsigned_refusals.push((
                        case.name.clone(),
                        (e.code(), e.http_status(), display, debug),
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    // No secret, in any encoding, in any message the corpus produced.
    for secret in &secrets {
        for form in secret_forms(secret) {
            for (name, message) in &messages {
                assert!(
                    !message.contains(&form),
                    "{name}: a configured secret ({form:?}) appears in: {message}"
                );
            }
        }
    }

    // No padding oracle: one and the same refusal on the unsigned path.
    assert!(
        unsigned_refusals.len() >= 20,
        "only {} unsigned refusals",
        unsigned_refusals.len()
    );
    let (first_name, first) = &unsigned_refusals[0];
    for (name, refusal) in &unsigned_refusals {
        assert_eq!(
            refusal, first,
            "unsigned-path refusals differ: {name} vs {first_name}"
        );
    }
    assert_eq!(first.0, "missing_signature");
    assert_eq!(first.1, 401);
}

#[test]
fn materialized_cases_are_up_to_date() {
    for case in load() {
        let mut regenerated = case.clone();
        apply(&mut regenerated);
        assert_eq!(
            (
                &regenerated.headers,
                &regenerated.body,
                &regenerated.body_base64
            ),
            (&case.headers, &case.body, &case.body_base64),
            "{}: run LARKHOOK_REGENERATE_HOSTILE=1 cargo test --test hostile regenerate_corpus -- --ignored",
            case.name
        );
    }
}

#[test]
#[ignore = "rewrites tests/hostile/corpus.json; run with LARKHOOK_REGENERATE_HOSTILE=1"]
fn regenerate_corpus() {
    if std::env::var_os("LARKHOOK_REGENERATE_HOSTILE").is_none() {
        return;
    }
    let mut cases = load();
    for case in &mut cases {
        apply(case);
    }
    std::fs::write(corpus_path(), render(&cases)).expect("write corpus.json");
}
