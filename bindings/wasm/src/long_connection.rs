//! The long connection's frame codec for JavaScript (tools module): read a
//! WebSocket message (decode, classify, merge fragments), build pings and
//! acks. The client around it is `pkg-template/src/socket/`.
//!
//! A read's answer is bytes: a 4-byte little-endian length `n`, `n` bytes of
//! a JSON head in ASCII, then the payload (a pong's configuration is in the
//! head; a data message's merged JSON follows it once complete):
//!
//! - control: `{"method":0,"type":"ping"|"pong"|…,"config":{…}|null}`;
//! - data: `{"method":1,"type":"event"|"card"|…,"message_id":…,"trace_id":…,
//!   "sum":n,"seq":n,"complete":bool}`;
//! - anything else: `{"method":n,"type":…}`.
//!
//! `pkg-template/src/socket/codec.mjs` reads this layout, in one place.

use larkhook::frame::{self, ClientConfig, FragmentLimits, Frame, FrameError, Merge, Reassembler};
use wasm_bindgen::prelude::*;

use crate::{CoreError, write_string};

impl From<FrameError> for CoreError {
    fn from(e: FrameError) -> Self {
        CoreError {
            code: e.code(),
            status: 400,
            message: e.to_string(),
            setting: None,
        }
    }
}

/// Milliseconds from JavaScript; a value that is not a finite number ≥ 0 is 0.
fn millis(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        // `as` saturates; milliseconds since 1970 fit easily.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        return ms as u64;
    }
    0
}

fn write_config(out: &mut Vec<u8>, config: Option<ClientConfig>) {
    let Some(c) = config else {
        out.extend_from_slice(b"null");
        return;
    };
    let fields = [
        ("PingInterval", c.ping_interval.map(|n| n.to_string())),
        ("ReconnectCount", c.reconnect_count.map(|n| n.to_string())),
        (
            "ReconnectInterval",
            c.reconnect_interval.map(|n| n.to_string()),
        ),
        ("ReconnectNonce", c.reconnect_nonce.map(|n| n.to_string())),
    ];
    out.push(b'{');
    let mut first = true;
    for (name, value) in fields {
        let Some(value) = value else { continue };
        if !first {
            out.push(b',');
        }
        first = false;
        write_string(out, name);
        out.push(b':');
        out.extend_from_slice(value.as_bytes());
    }
    out.push(b'}');
}

/// `{"PingInterval":…,…}` with only the usable fields of a `ClientConfig`
/// JSON text (the endpoint call's `data.ClientConfig`), or `null`.
#[wasm_bindgen(js_name = clientConfig)]
pub fn client_config(json: &[u8]) -> String {
    let mut out = Vec::new();
    write_config(&mut out, ClientConfig::from_json(json));
    String::from_utf8(out).unwrap_or_default()
}

/// A `ping` control frame for `service` (the URL's `service_id`).
#[wasm_bindgen(js_name = pingFrame)]
pub fn ping_frame(service: i32) -> Vec<u8> {
    frame::ping(service).encode()
}

/// The ack of a data message: `frame` (the bytes of the frame that completed
/// it) echoed with `biz_rt` and `{"code":code,"data"?:base64(data)}`.
#[wasm_bindgen(js_name = ackFrame)]
pub fn ack_frame(
    frame_bytes: &[u8],
    code: u16,
    data: Option<Vec<u8>>,
    biz_rt_ms: f64,
) -> Result<Vec<u8>, CoreError> {
    let received = Frame::decode(frame_bytes)?;
    Ok(frame::ack(&received, code, data.as_deref(), millis(biz_rt_ms)).encode())
}

/// The frames of one connection: decodes each WebSocket message and merges
/// a data message's fragments, within bounds.
#[wasm_bindgen]
pub struct FrameReader {
    merge: Reassembler,
}

#[wasm_bindgen]
impl FrameReader {
    /// Bounds: fragments per message, bytes per message, milliseconds from
    /// first to last fragment, incomplete messages at once.
    #[wasm_bindgen(constructor)]
    pub fn new(
        max_fragments: u32,
        max_bytes: u32,
        max_age_ms: f64,
        max_pending: u32,
    ) -> FrameReader {
        FrameReader {
            merge: Reassembler::new(FragmentLimits {
                max_fragments,
                max_bytes: usize::try_from(max_bytes).unwrap_or(usize::MAX),
                max_age_ms: millis(max_age_ms),
                max_pending: usize::try_from(max_pending).unwrap_or(usize::MAX),
            }),
        }
    }

    /// Reads one WebSocket message received at `now_ms` (layout above).
    pub fn read(&mut self, bytes: &[u8], now_ms: f64) -> Result<Vec<u8>, CoreError> {
        let received = Frame::decode(bytes)?;
        let kind = received.header(frame::HEADER_TYPE).unwrap_or("");
        let mut head = Vec::with_capacity(160);
        let mut body = None;
        head.extend_from_slice(format!(r#"{{"method":{},"type":"#, received.method).as_bytes());
        write_string(&mut head, kind);
        if received.method == frame::METHOD_CONTROL {
            head.extend_from_slice(br#","config":"#);
            let config = (kind == frame::TYPE_PONG)
                .then(|| {
                    received
                        .payload
                        .as_deref()
                        .and_then(ClientConfig::from_json)
                })
                .flatten();
            write_config(&mut head, config);
        } else if received.method == frame::METHOD_DATA {
            let headers = frame::data_headers(&received)?;
            let (message_id, trace_id, sum, seq) = (
                headers.message_id.to_owned(),
                headers.trace_id.to_owned(),
                headers.sum,
                headers.seq,
            );
            let payload = received.payload.unwrap_or_default();
            let merged = self
                .merge
                .push(&message_id, sum, seq, payload, millis(now_ms))?;
            head.extend_from_slice(br#","message_id":"#);
            write_string(&mut head, &message_id);
            head.extend_from_slice(br#","trace_id":"#);
            write_string(&mut head, &trace_id);
            head.extend_from_slice(format!(r#","sum":{sum},"seq":{seq},"complete":"#).as_bytes());
            match merged {
                Merge::Complete(whole) => {
                    head.extend_from_slice(b"true");
                    body = Some(whole);
                }
                Merge::Partial { .. } => head.extend_from_slice(b"false"),
            }
        }
        head.push(b'}');
        let length = u32::try_from(head.len()).unwrap_or(u32::MAX);
        let body = body.unwrap_or_default();
        let mut out = Vec::with_capacity(head.len().saturating_add(body.len()).saturating_add(4));
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&head);
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// The incomplete messages older than the age bound at `now_ms`,
    /// dropped: `[{"code":"fragments_expired","message":…,"message_id":…}]`.
    pub fn expire(&mut self, now_ms: f64) -> String {
        let expired = self.merge.expire(millis(now_ms));
        let mut out = Vec::from(&b"["[..]);
        for (i, e) in expired.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let error = e.error();
            out.extend_from_slice(br#"{"code":"#);
            write_string(&mut out, error.code());
            out.extend_from_slice(br#","message":"#);
            write_string(&mut out, &error.to_string());
            out.extend_from_slice(br#","message_id":"#);
            write_string(&mut out, &e.message_id);
            out.push(b'}');
        }
        out.push(b']');
        String::from_utf8(out).unwrap_or_default()
    }

    /// Incomplete messages kept now.
    pub fn pending(&self) -> u32 {
        u32::try_from(self.merge.pending()).unwrap_or(u32::MAX)
    }
}
