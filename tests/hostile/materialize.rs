//! Materializing the hostile corpus's recipes (`tests/hostile.rs`): each
//! case's `make` becomes its headers and body, with larkhook's fixture tools
//! (`encrypt`, `sign`, `DeliveryBuilder`), once, by the ignored
//! `regenerate_corpus` test; `materialized_cases_are_up_to_date` checks them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use larkhook::{DeliveryBuilder, SIGNATURE_HEADER};

use super::{Case, Make, generate};

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

pub(super) fn apply(case: &mut Case) {
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
pub(super) fn render(cases: &[Case]) -> String {
    let lines: Vec<String> = cases
        .iter()
        .map(|c| serde_json::to_string(c).expect("a case serializes"))
        .collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}
