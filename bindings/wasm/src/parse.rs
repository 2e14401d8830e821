//! The request path: a configured hook and its `parse`.

use larkhook::Error;
use wasm_bindgen::prelude::*;

use crate::{
    CoreError, configure, finish, frame, header_pairs, now_seconds, take_raw, write_result,
};

/// A configured webhook (the object behind `new LarkWebhook(...)`).
#[wasm_bindgen]
pub struct Hook {
    inner: larkhook::Webhook,
}

#[wasm_bindgen]
impl Hook {
    /// Builds the configuration from options JavaScript has type-checked;
    /// throws a [`CoreError`] (`invalid_config`) for an unusable one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        mut keys: Vec<String>,
        mut tokens: Vec<String>,
        tolerance_seconds: Option<u32>,
        max_body_bytes: u32,
        insecure: bool,
    ) -> Result<Hook, CoreError> {
        let inner = configure(
            &mut keys,
            &mut tokens,
            tolerance_seconds,
            max_body_bytes,
            insecure,
        )?;
        Ok(Hook { inner })
    }

    /// Verifies, decrypts and types one delivery: the framed result (see
    /// the crate docs), or a thrown [`CoreError`]. A repeated header arrives
    /// joined with `", "`, which the core refuses as `duplicate_header`.
    pub fn parse(
        &self,
        body: &[u8],
        now: f64,
        timestamp: Option<String>,
        nonce: Option<String>,
        signature: Option<String>,
    ) -> Result<Vec<u8>, CoreError> {
        let now = now_seconds(now)?;
        let headers = header_pairs(timestamp.as_deref(), nonce.as_deref(), signature.as_deref());
        let mut verified = self.inner.verify(&headers, body, now)?;
        let mut out = frame(body.len());
        write_result(&mut out, &verified);
        let raw = take_raw(&mut verified);
        Ok(finish(out, raw))
    }
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
