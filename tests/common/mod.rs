//! Shared helpers for the integration tests.
#![allow(dead_code)]

use larkhook::{Delivery, DeliveryBuilder, Error, Webhook};
use serde::Deserialize;

pub const KEY: &str = "lark-encrypt-key";
pub const TOKEN: &str = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";
pub const NOW: i64 = 1_700_000_000;

/// One entry of `tests/vectors/vectors.json`, produced by OpenSSL and sha256sum.
#[derive(Deserialize, Debug)]
pub struct Vector {
    pub name: String,
    pub key: String,
    pub iv_hex: String,
    pub timestamp: String,
    pub nonce: String,
    pub plaintext: String,
    pub encrypt: String,
    pub body: String,
    pub signature: String,
}

impl Vector {
    pub fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        for (i, byte) in iv.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&self.iv_hex[2 * i..2 * i + 2], 16).unwrap();
        }
        iv
    }

    pub fn headers(&self) -> Vec<(String, String)> {
        vec![
            ("X-Lark-Request-Timestamp".into(), self.timestamp.clone()),
            ("X-Lark-Request-Nonce".into(), self.nonce.clone()),
            ("X-Lark-Signature".into(), self.signature.clone()),
        ]
    }
}

pub fn vectors() -> Vec<Vector> {
    serde_json::from_str(include_str!("../vectors/vectors.json")).unwrap()
}

pub const CREATED: &str = include_str!("../fixtures/ticket_created_v1.json");
pub const UPDATED: &str = include_str!("../fixtures/ticket_updated_v1.json");
pub const MESSAGE: &str = include_str!("../fixtures/ticket_message_created_v1.json");

/// A webhook with the test key and token.
pub fn hook() -> Webhook {
    Webhook::builder()
        .encrypt_key(KEY)
        .verification_token(TOKEN)
        .build()
        .unwrap()
}

/// A signed, encrypted delivery of `event` with the test key and token, at `NOW`.
pub fn delivery(event: &str) -> Delivery {
    DeliveryBuilder::new(event)
        .verification_token(TOKEN)
        .encrypt(KEY, [3; 16])
        .sign(NOW, "nonce")
        .build()
        .unwrap()
}

/// The error code `hook.parse` returns for a delivery.
pub fn code(hook: &Webhook, d: &Delivery) -> &'static str {
    match hook.parse(&d.headers, d.body.as_bytes(), NOW) {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

/// Replaces the value of one header (by exact name).
pub fn set_header(d: &mut Delivery, name: &str, value: &str) {
    for (n, v) in &mut d.headers {
        if n == name {
            *v = value.to_owned();
        }
    }
}

pub fn remove_header(d: &mut Delivery, name: &str) {
    d.headers.retain(|(n, _)| n != name);
}

/// Re-signs a delivery's current body with `key` (after tampering with it on purpose).
pub fn resign(d: &mut Delivery, key: &str) {
    let ts = header(d, "X-Lark-Request-Timestamp");
    let nonce = header(d, "X-Lark-Request-Nonce");
    let sig = larkhook::sign(&ts, &nonce, key, d.body.as_bytes());
    set_header(d, "X-Lark-Signature", &sig);
}

pub fn header(d: &Delivery, name: &str) -> String {
    d.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap()
}

/// Headers for a delivery that carries none.
pub const NO_HEADERS: [(&str, &str); 0] = [];

/// The error `parse` refuses a delivery with (it must refuse it).
pub fn err(hook: &Webhook, headers: &[(String, String)], body: &[u8], now: i64) -> Error {
    hook.parse(headers, body, now).unwrap_err()
}

/// A URL-verification challenge's JSON, with `token`.
pub fn challenge_json(token: &str) -> String {
    format!(r#"{{"challenge":"c-1","token":"{token}","type":"url_verification"}}"#)
}
