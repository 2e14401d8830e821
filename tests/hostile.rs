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
use larkhook::{
    DeliveryBuilder, Error, Inbound, Payload, SIGNATURE_HEADER, TYPED_EVENT_TYPES, Webhook,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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

// ---- materializing the recipes ------------------------------------------

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Changes to the base64 `encrypt` string. Each must change something (the
/// regenerator checks), so a case cannot silently test nothing.
fn transform(encrypted: &str, how: &str) -> String {
    let bytes = || STANDARD.decode(encrypted).expect("own base64");
    match how {
        "truncate_base64" => encrypted[..encrypted.len() - 3].to_owned(),
        "newline" => {
            let mut s = encrypted.to_owned();
            s.insert(encrypted.len() / 2, '\n');
            s
        }
        "crlf_every_16" => {
            let chars: Vec<char> = encrypted.chars().collect();
            chars
                .chunks(16)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("\r\n")
        }
        "space" => {
            let mut s = encrypted.to_owned();
            s.insert(encrypted.len() / 2, ' ');
            s
        }
        "leading_space" => format!(" {encrypted}"),
        "trailing_newline" => format!("{encrypted}\n"),
        "url_safe" => encrypted.replace('+', "-").replace('/', "_"),
        "no_padding" => encrypted.trim_end_matches('=').to_owned(),
        "extra_padding" => format!("{encrypted}=="),
        "iv_only" => STANDARD.encode(&bytes()[..16]),
        "iv_and_15" => STANDARD.encode(&bytes()[..31]),
        "not_whole_blocks" => {
            let b = bytes();
            STANDARD.encode(&b[..b.len() - 5])
        }
        "one_byte_extra" => {
            let mut b = bytes();
            b.push(0);
            STANDARD.encode(b)
        }
        "empty" => String::new(),
        // Non-canonical trailing bits: the last symbol before `=` carries
        // bits that decoding drops; lenient decoders accept it.
        "noncanonical_tail" => {
            let trimmed = encrypted.trim_end_matches('=');
            let pad = encrypted.len() - trimmed.len();
            let mut chars: Vec<char> = trimmed.chars().collect();
            let last = chars.pop().expect("non-empty");
            const ALPHABET: &str =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let index = ALPHABET.find(last).expect("base64 symbol");
            chars.push(ALPHABET.as_bytes()[index ^ 1] as char);
            format!(
                "{}{}",
                chars.into_iter().collect::<String>(),
                "=".repeat(pad)
            )
        }
        other => panic!("unknown transform {other}"),
    }
}

/// Builds `(headers, body)` from a recipe.
fn materialize(make: &Make) -> (Vec<(String, String)>, Vec<u8>) {
    let mut plaintext = match (&make.plaintext, &make.plaintext_gen, &make.plaintext_hex) {
        (Some(text), None, None) => text.clone().into_bytes(),
        (None, Some(parts), None) => generate(parts),
        (None, None, Some(h)) => hex(h),
        _ => panic!("exactly one plaintext source"),
    };
    if let Some(token) = &make.token {
        let json = String::from_utf8(plaintext).expect("a token goes into JSON text");
        plaintext = DeliveryBuilder::new(&json)
            .verification_token(token)
            .build()
            .expect("DeliveryBuilder writes the token")
            .body
            .into_bytes();
    }
    let iv: [u8; 16] = hex(&make.iv_hex).try_into().expect("16-byte IV");
    let mut encrypted = larkhook::encrypt(&make.key, &plaintext, iv);
    if make.nopad {
        assert_eq!(plaintext.len() % 16, 0, "nopad wants whole blocks");
        let mut bytes = STANDARD.decode(&encrypted).expect("own base64");
        bytes.truncate(bytes.len() - 16);
        encrypted = STANDARD.encode(bytes);
    }
    if let Some(how) = &make.transform {
        let changed = transform(&encrypted, how);
        assert_ne!(changed, encrypted, "transform {how} changed nothing");
        encrypted = changed;
    }
    let literal = serde_json::to_string(&encrypted).expect("a string serializes");
    let template = make
        .template
        .as_deref()
        .unwrap_or(r#"{"encrypt":{encrypt}}"#);
    assert!(
        template.contains("{encrypt}"),
        "template without {{encrypt}}"
    );
    let body = template.replace("{encrypt}", &literal).into_bytes();
    let mut headers = make.headers.clone();
    if let Some(sign) = &make.sign {
        let over = sign.over.as_ref().map(|o| o.replace("{encrypt}", &literal));
        let signed = over.as_ref().map_or(&body[..], |over| over.as_bytes());
        let signature = larkhook::sign(&sign.timestamp, &sign.nonce, &sign.key, signed);
        headers.push((
            larkhook::TIMESTAMP_HEADER.to_owned(),
            sign.timestamp.clone(),
        ));
        headers.push((larkhook::NONCE_HEADER.to_owned(), sign.nonce.clone()));
        headers.push((SIGNATURE_HEADER.to_owned(), signature));
    }
    if let Some(how) = &make.header_edit {
        let before = headers.clone();
        edit_headers(&mut headers, how);
        assert_ne!(before, headers, "header edit {how} changed nothing");
    }
    (headers, body)
}

/// Changes to the signed headers: duplicates, case, whitespace, absence.
fn edit_headers(headers: &mut Vec<(String, String)>, how: &str) {
    use larkhook::{NONCE_HEADER, TIMESTAMP_HEADER};
    let value = |headers: &[(String, String)], name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .expect("signed header")
    };
    match how {
        "duplicate_signature" => {
            let v = value(headers, SIGNATURE_HEADER);
            headers.push((SIGNATURE_HEADER.to_owned(), v));
        }
        "duplicate_signature_other_case" => {
            let v = value(headers, SIGNATURE_HEADER);
            headers.push(("x-lark-signature".to_owned(), v));
        }
        "duplicate_timestamp" => {
            let v = value(headers, TIMESTAMP_HEADER);
            headers.insert(0, ("X-LARK-REQUEST-TIMESTAMP".to_owned(), v));
        }
        "duplicate_nonce_other_value" => {
            headers.push((NONCE_HEADER.to_owned(), "other".to_owned()));
        }
        "lowercase_names" => headers.iter_mut().for_each(|(n, _)| *n = n.to_lowercase()),
        "uppercase_names" => headers.iter_mut().for_each(|(n, _)| *n = n.to_uppercase()),
        "mixed_case_names" => {
            for (n, _) in headers.iter_mut() {
                *n = n
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if i % 2 == 0 {
                            c.to_ascii_lowercase()
                        } else {
                            c.to_ascii_uppercase()
                        }
                    })
                    .collect();
            }
        }
        "pad_values" => headers
            .iter_mut()
            .for_each(|(_, v)| *v = format!(" \t{v} \t")),
        "pad_names" => headers.iter_mut().for_each(|(n, _)| *n = format!(" {n}")),
        "empty_signature" => set(headers, SIGNATURE_HEADER, ""),
        "empty_timestamp" => set(headers, TIMESTAMP_HEADER, ""),
        "uppercase_signature" => {
            let v = value(headers, SIGNATURE_HEADER).to_uppercase();
            set(headers, SIGNATURE_HEADER, &v);
        }
        "short_signature" => {
            let v = value(headers, SIGNATURE_HEADER);
            set(headers, SIGNATURE_HEADER, &v[..62]);
        }
        "drop_nonce" => headers.retain(|(n, _)| n != NONCE_HEADER),
        "drop_timestamp" => headers.retain(|(n, _)| n != TIMESTAMP_HEADER),
        "drop_signature" => headers.retain(|(n, _)| n != SIGNATURE_HEADER),
        other => panic!("unknown header edit {other}"),
    }
}

fn set(headers: &mut [(String, String)], name: &str, value: &str) {
    for (n, v) in headers.iter_mut() {
        if n == name {
            *v = value.to_owned();
        }
    }
}

fn apply(case: &mut Case) {
    let Some(make) = &case.make else { return };
    let (headers, body) = materialize(make);
    case.headers = headers;
    case.body_gen = None;
    match String::from_utf8(body) {
        Ok(text) => {
            case.body = Some(text);
            case.body_base64 = None;
        }
        Err(e) => {
            case.body = None;
            case.body_base64 = Some(STANDARD.encode(e.into_bytes()));
        }
    }
}

/// One case per line: small diffs, and the file stays readable.
fn render(cases: &[Case]) -> String {
    let lines: Vec<String> = cases
        .iter()
        .map(|c| serde_json::to_string(c).expect("a case serializes"))
        .collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
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

// ---- comparisons: one path for any mismatch -------------------------------

/// A signature that differs from the right one in its first byte and one that
/// differs in its last byte are refused by the same path, with the same error;
/// likewise tokens that differ in their first or last character. (The
/// comparisons are `subtle::ConstantTimeEq`; see the unit test in
/// `src/verify/crypto.rs`.)
#[test]
fn first_and_last_byte_mismatches_take_the_same_path() {
    const KEY: &str = "hostile-encrypt-key-6d1f";
    const TOKEN: &str = "hostile-verification-token-c0a7";
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"x.y"},"event":{}}"#;
    let d = DeliveryBuilder::new(event)
        .verification_token(TOKEN)
        .encrypt(KEY, [5; 16])
        .sign(1_700_000_000, "n")
        .build()
        .unwrap();
    let hook = Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .build()
        .unwrap();
    assert!(
        hook.parse(&d.headers, d.body.as_bytes(), 1_700_000_000)
            .is_ok()
    );

    let flip = |hex_sig: &str, at: usize| {
        let mut chars: Vec<char> = hex_sig.chars().collect();
        chars[at] = if chars[at] == '0' { '1' } else { '0' };
        chars.into_iter().collect::<String>()
    };
    let signature = d
        .headers
        .iter()
        .find(|(n, _)| n == SIGNATURE_HEADER)
        .unwrap()
        .1
        .clone();
    let mut errors = Vec::new();
    for at in [0, 1, 62, 63] {
        let headers: Vec<(String, String)> = d
            .headers
            .iter()
            .map(|(n, v)| {
                let v = if n == SIGNATURE_HEADER {
                    flip(&signature, at)
                } else {
                    v.clone()
                };
                (n.clone(), v)
            })
            .collect();
        errors.push(
            hook.parse(&headers, d.body.as_bytes(), 1_700_000_000)
                .unwrap_err(),
        );
    }
    assert!(errors.iter().all(|e| *e == Error::SignatureMismatch));
    assert!(
        errors
            .windows(2)
            .all(|w| w[0].to_string() == w[1].to_string())
    );

    let mut token_errors = Vec::new();
    for wrong in [
        "Xostile-verification-token-c0a7",
        "hostile-verification-token-c0aX",
    ] {
        let d = DeliveryBuilder::new(event)
            .verification_token(wrong)
            .encrypt(KEY, [5; 16])
            .sign(1_700_000_000, "n")
            .build()
            .unwrap();
        token_errors.push(
            hook.parse(&d.headers, d.body.as_bytes(), 1_700_000_000)
                .unwrap_err(),
        );
    }
    assert_eq!(token_errors[0], Error::TokenMismatch { present: true });
    assert_eq!(token_errors[0], token_errors[1]);
    assert_eq!(token_errors[0].to_string(), token_errors[1].to_string());
}

// ---- length extension ---------------------------------------------------

/// SHA-256's padding for a message of `len` bytes.
fn sha256_padding(len: usize) -> Vec<u8> {
    let mut pad = vec![0x80];
    while (len + pad.len()) % 64 != 56 {
        pad.push(0);
    }
    pad.extend_from_slice(&((len as u64) * 8).to_be_bytes());
    pad
}

/// The platform's signature is `SHA-256(timestamp || nonce || key || body)`,
/// a plain hash rather than an HMAC, so whoever sees one signed delivery can
/// compute a valid signature for `body || SHA-256 padding || anything`
/// without the key (length extension; only the key's length must be
/// guessed). This test performs that forgery and checks that it is real (the
/// forged signature equals `sign` over the extended body) and that larkhook
/// still refuses the extended body: the padding begins with the byte 0x80,
/// which cannot follow the body's closing `}` in UTF-8, and JSON allows
/// nothing after the top-level value.
#[test]
fn length_extension_forgeries_are_refused() {
    const KEY: &str = "hostile-encrypt-key-6d1f";
    let event = r#"{"schema":"2.0","header":{"event_id":"e","event_type":"x.y"},"event":{}}"#;
    let d = DeliveryBuilder::new(event)
        .encrypt(KEY, [9; 16])
        .sign(1_700_000_000, "nonce")
        .build()
        .unwrap();
    let get = |name: &str| d.headers.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let (ts, nonce, signature) = (
        get(larkhook::TIMESTAMP_HEADER),
        get(larkhook::NONCE_HEADER),
        get(SIGNATURE_HEADER),
    );
    let hook = Webhook::builder().encrypt_key(KEY).build().unwrap();

    for suffix in [&br#",{"encrypt":"x"}"#[..], b" ", b"\n", &[0u8; 70][..]] {
        // The attacker knows everything but the key, and tries its length.
        let signed_len = ts.len() + nonce.len() + KEY.len() + d.body.len();
        let glue = sha256_padding(signed_len);
        let mut state = [0u32; 8];
        let digest: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&signature[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        for (word, bytes) in state.iter_mut().zip(digest.chunks(4)) {
            *word = u32::from_be_bytes(bytes.try_into().unwrap());
        }
        let total = signed_len + glue.len() + suffix.len();
        let mut tail = suffix.to_vec();
        tail.extend(sha256_padding(total));
        let blocks: Vec<[u8; 64]> = tail.chunks(64).map(|c| c.try_into().unwrap()).collect();
        sha2::block_api::compress256(&mut state, &blocks);
        let forged: String = state.iter().map(|w| format!("{w:08x}")).collect();

        let mut extended = d.body.clone().into_bytes();
        extended.extend_from_slice(&glue);
        extended.extend_from_slice(suffix);
        // The forgery is real: it is the signature of the extended body.
        assert_eq!(forged, larkhook::sign(&ts, &nonce, KEY, &extended));

        let headers = [
            (larkhook::TIMESTAMP_HEADER, ts.as_str()),
            (larkhook::NONCE_HEADER, nonce.as_str()),
            (SIGNATURE_HEADER, forged.as_str()),
        ];
        let e = hook.parse(&headers, &extended, 1_700_000_000).unwrap_err();
        // The signature verifies; the body is then refused as not JSON text.
        assert_eq!(e.code(), "invalid_json", "{e}");
    }
}
