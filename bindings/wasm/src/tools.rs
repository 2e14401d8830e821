//! The tools module: the inspector's report, test deliveries, and the
//! stand-alone `encrypt`, `decrypt` and `sign`. Never on the request path.

use larkhook::{DeliveryBuilder, Error, StepStatus};
use wasm_bindgen::prelude::*;

use crate::{
    CoreError, configure, finish, frame, header_pairs, now_seconds, take_raw, write_result,
    write_string,
};

/// A configured webhook for diagnosis (the inspector's `inspect`).
#[wasm_bindgen]
pub struct Inspector {
    inner: larkhook::Webhook,
}

#[wasm_bindgen]
impl Inspector {
    /// The same configuration as `Hook`'s constructor.
    #[wasm_bindgen(constructor)]
    pub fn new(
        mut keys: Vec<String>,
        mut tokens: Vec<String>,
        tolerance_seconds: Option<u32>,
        max_age_seconds: Option<u32>,
        max_body_bytes: u32,
        insecure: bool,
    ) -> Result<Inspector, CoreError> {
        let inner = configure(
            &mut keys,
            &mut tokens,
            tolerance_seconds,
            max_age_seconds,
            max_body_bytes,
            insecure,
        )?;
        Ok(Inspector { inner })
    }

    /// The step-by-step report, framed like a parse result: its JSON is
    /// `{"steps":[…],"result":…|"error":{code,status,message,setting?},
    /// "plaintext"?:…,"unrecognized_fields":[…]}` and the raw text follows.
    pub fn inspect(
        &self,
        body: &[u8],
        now: f64,
        timestamp: Option<String>,
        nonce: Option<String>,
        signature: Option<String>,
    ) -> Result<Vec<u8>, CoreError> {
        let now = now_seconds(now)?;
        let headers = header_pairs(timestamp.as_deref(), nonce.as_deref(), signature.as_deref());
        let mut report = self.inner.inspect_verified(&headers, body, now);
        let mut out = Vec::new();
        // The JSON and the raw text are each about as long as the plaintext.
        frame(&mut out, body.len().saturating_mul(2).saturating_add(256));
        out.extend_from_slice(br#"{"steps":["#);
        for (i, step) in report.steps.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"id":"#);
            write_string(&mut out, step.id);
            out.extend_from_slice(br#","status":"#);
            write_string(
                &mut out,
                match step.status {
                    StepStatus::Pass => "pass",
                    StepStatus::Fail => "fail",
                    StepStatus::Skip => "skip",
                },
            );
            if let Some(code) = step.code {
                out.extend_from_slice(br#","code":"#);
                write_string(&mut out, code);
            }
            out.extend_from_slice(br#","detail":"#);
            write_string(&mut out, &step.detail);
            out.push(b'}');
        }
        out.push(b']');
        let mut raw = None;
        match &mut report.outcome {
            Ok(verified) => {
                out.extend_from_slice(br#","result":"#);
                write_result(&mut out, verified);
                raw = take_raw(verified);
            }
            Err(e) => {
                let e = CoreError::from(e.clone());
                out.extend_from_slice(br#","error":{"code":"#);
                write_string(&mut out, e.code);
                out.extend_from_slice(format!(r#","status":{},"message":"#, e.status).as_bytes());
                write_string(&mut out, &e.message);
                if let Some(setting) = e.setting {
                    out.extend_from_slice(br#","setting":"#);
                    write_string(&mut out, setting);
                }
                out.push(b'}');
            }
        }
        if let Some(plaintext) = &report.plaintext {
            out.extend_from_slice(br#","plaintext":"#);
            write_string(&mut out, plaintext);
        }
        out.extend_from_slice(br#","unrecognized_fields":"#);
        crate::write_json(&mut out, &report.unrecognized_fields);
        out.push(b'}');
        finish(&mut out, raw.filter(|r| !r.is_empty()));
        Ok(out)
    }
}

fn iv_from(iv: &[u8]) -> Result<[u8; 16], CoreError> {
    iv.try_into().map_err(|_| {
        Error::InvalidArgument {
            reason: format!("the IV must be 16 bytes, not {}", iv.len()),
        }
        .into()
    })
}

/// `createTestDelivery(...)`: `{"headers":{…},"body":"…"}` as JSON (ASCII).
/// `card_action`: a legacy message-card callback (plain, SHA-1 signed with
/// the token) instead of an event.
#[wasm_bindgen(js_name = createDelivery)]
#[allow(clippy::too_many_arguments)] // one flat call across the boundary
pub fn create_delivery(
    event_json: &str,
    key: Option<String>,
    token: Option<String>,
    timestamp: f64,
    nonce: &str,
    iv: &[u8],
    signed: bool,
    card_action: bool,
) -> Result<String, CoreError> {
    let mut builder = DeliveryBuilder::new(event_json);
    if let Some(token) = token.as_deref() {
        builder = builder.verification_token(token);
    }
    if card_action {
        builder = builder.sign_card_action(now_seconds(timestamp)?, nonce);
    }
    if let Some(key) = key.as_deref() {
        // With `card_action`, the builder refuses the key: never encrypted.
        builder = builder.encrypt(key, iv_from(iv)?);
        if signed && !card_action {
            builder = builder.sign(now_seconds(timestamp)?, nonce);
        }
    }
    let delivery = builder.build()?;
    let mut out = Vec::with_capacity(delivery.body.len().saturating_add(256));
    out.extend_from_slice(br#"{"headers":{"#);
    for (i, (name, value)) in delivery.headers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(&mut out, name);
        out.push(b':');
        write_string(&mut out, value);
    }
    out.extend_from_slice(br#"},"body":"#);
    write_string(&mut out, &delivery.body);
    out.push(b'}');
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// `decrypt(key, encrypted)`: the plaintext as text.
#[wasm_bindgen]
pub fn decrypt(key: &str, encrypted: &str) -> Result<String, CoreError> {
    let bytes = larkhook::decrypt(key, encrypted)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::DecryptFailed {
            reason: larkhook::DecryptFailure::Utf8,
        }
        .into()
    })
}

/// `sign(timestamp, nonce, key, body)`: the `X-Lark-Signature` value.
#[wasm_bindgen]
pub fn sign(timestamp: &str, nonce: &str, key: &str, body: &[u8]) -> String {
    larkhook::sign(timestamp, nonce, key, body)
}

/// `encrypt(key, plaintext, iv)`: base64 of IV and ciphertext.
#[wasm_bindgen]
pub fn encrypt(key: &str, plaintext: &[u8], iv: &[u8]) -> Result<String, CoreError> {
    Ok(larkhook::encrypt(key, plaintext, iv_from(iv)?))
}
