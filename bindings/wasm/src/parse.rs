//! The request path: a configured hook and its `parse`.

use larkhook::Error;
use wasm_bindgen::prelude::*;

use crate::{
    CoreError, configure, finish, frame, header_pairs, now_seconds, take_raw, write_result,
};

/// A configured webhook (the object behind `new LarkWebhook(...)`), with
/// the body and result buffers it reuses (see the crate docs).
#[wasm_bindgen]
pub struct Hook {
    inner: larkhook::Webhook,
    body: Vec<u8>,
    result: Vec<u8>,
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
        max_age_seconds: Option<u32>,
        max_body_bytes: u32,
        insecure: bool,
    ) -> Result<Hook, CoreError> {
        let inner = configure(
            &mut keys,
            &mut tokens,
            tolerance_seconds,
            max_age_seconds,
            max_body_bytes,
            insecure,
        )?;
        Ok(Hook {
            inner,
            body: Vec::new(),
            result: Vec::new(),
        })
    }

    /// Makes room for a body of up to `capacity` bytes (zeroed) and answers
    /// its address in the module's memory, where JavaScript writes the body
    /// before calling [`Hook::parse`].
    #[wasm_bindgen(js_name = bodyBuffer)]
    pub fn body_buffer(&mut self, capacity: usize) -> usize {
        wipe(&mut self.body);
        self.body.resize(capacity, 0);
        self.body.as_ptr() as usize
    }

    /// The address of the last framed result (see the crate docs).
    #[wasm_bindgen(js_name = resultBuffer)]
    pub fn result_buffer(&self) -> usize {
        self.result.as_ptr() as usize
    }

    /// Verifies, decrypts and types one delivery, the first `length` bytes
    /// of the body buffer: answers the length of the framed result at
    /// [`Hook::result_buffer`], or throws a [`CoreError`]. A repeated header
    /// arrives joined with `", "`, which the core refuses as
    /// `duplicate_header`. The body buffer is wiped either way, and the
    /// previous result before this one is written.
    pub fn parse(
        &mut self,
        length: usize,
        now: f64,
        timestamp: Option<String>,
        nonce: Option<String>,
        signature: Option<String>,
    ) -> Result<usize, CoreError> {
        wipe(&mut self.result);
        let outcome = self.verify(length, now, timestamp, nonce, signature);
        wipe(&mut self.body);
        let mut verified = outcome?;
        // The JSON and the raw text are each about as long as the plaintext.
        // A result that outgrows this (mostly non-ASCII text, escaped) moves
        // once, and its first block is freed unwiped (SECURITY.md); room for
        // the worst case, 4×, would cost 2 MiB more for a 1 MiB body.
        frame(
            &mut self.result,
            length.saturating_mul(2).saturating_add(256),
        );
        write_result(&mut self.result, &verified);
        let raw = take_raw(&mut verified);
        finish(&mut self.result, raw);
        Ok(self.result.len())
    }
}

/// Overwrites a buffer the hook keeps with zeros, then empties it. A plain
/// `fill` rather than `zeroize`'s byte-by-byte volatile writes (measured:
/// 0.5–1 µs of a 2.4 KB delivery): the buffers are never freed, only reused,
/// and `black_box` makes the compiler treat the zeros as read, so they
/// cannot be optimized away. `tests/js/review.test.mjs` (test 7) checks the
/// built module's memory. The spare capacity holds only zeros: every byte
/// ever written there was inside the length at the last wipe.
fn wipe(buffer: &mut Vec<u8>) {
    buffer.fill(0);
    core::hint::black_box(buffer.as_slice());
    buffer.clear();
}

impl Hook {
    fn verify(
        &self,
        length: usize,
        now: f64,
        timestamp: Option<String>,
        nonce: Option<String>,
        signature: Option<String>,
    ) -> Result<larkhook::Verified, CoreError> {
        let now = now_seconds(now)?;
        let body = self
            .body
            .get(..length)
            .ok_or_else(|| Error::InvalidArgument {
                reason: format!(
                    "the body is {length} bytes, more than the {} made room for",
                    self.body.len()
                ),
            })?;
        let headers = header_pairs(timestamp.as_deref(), nonce.as_deref(), signature.as_deref());
        Ok(self.inner.verify(&headers, body, now)?)
    }
}

/// The module's `WebAssembly.Memory`, where JavaScript writes a body into
/// [`Hook::body_buffer`] and reads the result at [`Hook::result_buffer`].
/// (Asked for here rather than taken from each runtime's loader, so that
/// every entry reaches it the same way.)
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}
