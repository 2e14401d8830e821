//! The long connection's frame codec: what travels on the WebSocket an app
//! opens to receive events without a public URL. No I/O and no clock (the
//! caller passes `now`); nothing here panics on any bytes.
//!
//! Every WebSocket message is one protobuf [`Frame`]. Control frames
//! ([`METHOD_CONTROL`]) carry `type: ping` (the client's, every
//! `PingInterval`) and `type: pong` (the platform's, whose JSON payload
//! updates the [`ClientConfig`]). Data frames ([`METHOD_DATA`]) carry an
//! event (`type: event`) or a card callback (`type: card`) as plain,
//! unsigned JSON (the connection itself is authenticated), possibly split
//! into `sum` fragments sharing a `message_id` ([`Reassembler`]). The client
//! answers each data message with an [`ack`]: the same frame with a `biz_rt`
//! header and the payload `{"code":200|500,"data"?:base64}`.
//!
//! This module is used by the tools module of the npm package (the
//! long-connection client in `pkg-template/src/socket/`), never by the
//! request path. A merged payload is typed by the same
//! [`crate::Webhook::parse`] as a webhook delivery.

mod message;
mod reassemble;

pub use message::{Frame, Header};
pub use reassemble::{Expired, FragmentLimits, Merge, Reassembler};

use base64::Engine as _;
use core::fmt;

/// `method` of a control frame (ping, pong).
pub const METHOD_CONTROL: i32 = 0;
/// `method` of a data frame (event, card).
pub const METHOD_DATA: i32 = 1;

/// Header: the frame's type (`ping`, `pong`, `event`, `card`).
pub const HEADER_TYPE: &str = "type";
/// Header: the data message's id, shared by its fragments.
pub const HEADER_MESSAGE_ID: &str = "message_id";
/// Header: how many fragments the message has (1 when whole).
pub const HEADER_SUM: &str = "sum";
/// Header: this fragment's number, from 0.
pub const HEADER_SEQ: &str = "seq";
/// Header: the platform's trace id.
pub const HEADER_TRACE_ID: &str = "trace_id";
/// Header added to an ack: the handling time in milliseconds.
pub const HEADER_BIZ_RT: &str = "biz_rt";

/// A control frame's `type`: the client's keep-alive.
pub const TYPE_PING: &str = "ping";
/// A control frame's `type`: the platform's answer, with a configuration.
pub const TYPE_PONG: &str = "pong";
/// A data frame's `type`: an event.
pub const TYPE_EVENT: &str = "event";
/// A data frame's `type`: a card callback.
pub const TYPE_CARD: &str = "card";

/// The largest WebSocket message [`Frame::decode`] reads (4 MiB); payloads
/// larger than that arrive in fragments.
pub const MAX_FRAME_BYTES: usize = 4 * 1024 * 1024;

/// Why a frame or a fragment was refused. Never carries payload bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The message is larger than [`MAX_FRAME_BYTES`].
    FrameTooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The message's length.
        actual: usize,
    },
    /// The bytes are not a protobuf `Frame`.
    Malformed {
        /// What the protobuf decoder reported (no input bytes).
        detail: String,
    },
    /// `sum`, `seq` or `message_id` do not describe a fragment.
    InvalidFragment {
        /// Which rule was broken.
        reason: &'static str,
    },
    /// A message announced more fragments than allowed.
    TooManyFragments {
        /// The limit.
        limit: u32,
        /// The announced `sum`.
        actual: u32,
    },
    /// A message's fragments add up to more bytes than allowed.
    FragmentsTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Too many incomplete messages at once.
    TooManyPending {
        /// The limit.
        limit: usize,
    },
    /// An incomplete message was dropped after the age bound.
    FragmentsExpired {
        /// Fragments that had arrived.
        received: u32,
        /// Fragments expected.
        sum: u32,
        /// Milliseconds since its first fragment.
        age_ms: u64,
    },
}

impl FrameError {
    /// Every code [`FrameError::code`] can return.
    pub const CODES: [&'static str; 7] = [
        "frame_too_large",
        "frame_malformed",
        "fragment_invalid",
        "fragments_too_many",
        "fragments_too_large",
        "fragments_pending_limit",
        "fragments_expired",
    ];

    /// The stable code, e.g. `frame_malformed`.
    pub fn code(&self) -> &'static str {
        match self {
            FrameError::FrameTooLarge { .. } => "frame_too_large",
            FrameError::Malformed { .. } => "frame_malformed",
            FrameError::InvalidFragment { .. } => "fragment_invalid",
            FrameError::TooManyFragments { .. } => "fragments_too_many",
            FrameError::FragmentsTooLarge { .. } => "fragments_too_large",
            FrameError::TooManyPending { .. } => "fragments_pending_limit",
            FrameError::FragmentsExpired { .. } => "fragments_expired",
        }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::FrameTooLarge { limit, actual } => write!(
                f,
                "a long-connection message of {actual} bytes is over the {limit}-byte limit; it was dropped and the platform will redeliver it"
            ),
            FrameError::Malformed { detail } => write!(
                f,
                "a long-connection message is not a protobuf Frame ({detail}); it was dropped"
            ),
            FrameError::InvalidFragment { reason } => write!(
                f,
                "a data frame's fragment headers are inconsistent ({reason}); its message was dropped and the platform will redeliver it"
            ),
            FrameError::TooManyFragments { limit, actual } => write!(
                f,
                "a message announced {actual} fragments, over the limit of {limit}; it was dropped"
            ),
            FrameError::FragmentsTooLarge { limit } => write!(
                f,
                "a message's fragments add up to more than {limit} bytes; it was dropped"
            ),
            FrameError::TooManyPending { limit } => write!(
                f,
                "{limit} fragmented messages are already incomplete; a new one was dropped and the platform will redeliver it"
            ),
            FrameError::FragmentsExpired {
                received,
                sum,
                age_ms,
            } => write!(
                f,
                "a message's fragments were incomplete after {age_ms} ms ({received} of {sum}); they were dropped and the platform will redeliver it"
            ),
        }
    }
}

impl std::error::Error for FrameError {}

/// What a data frame says about itself (its headers, checked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataHeaders<'a> {
    /// `type`: `event`, `card`, or something newer (empty when absent).
    pub kind: &'a str,
    /// `message_id` (empty when absent).
    pub message_id: &'a str,
    /// `sum`: 1 when absent.
    pub sum: u32,
    /// `seq`: 0 when absent.
    pub seq: u32,
    /// `trace_id` (empty when absent).
    pub trace_id: &'a str,
}

/// Reads a data frame's headers. `sum` and `seq` must be decimal numbers
/// when present, and a split message needs a `message_id`.
pub fn data_headers(frame: &Frame) -> Result<DataHeaders<'_>, FrameError> {
    let number = |key: &str, default: u32| match frame.header(key) {
        None => Ok(default),
        Some(text) => text
            .parse::<u32>()
            .map_err(|_| FrameError::InvalidFragment {
                reason: "sum and seq must be decimal numbers",
            }),
    };
    let headers = DataHeaders {
        kind: frame.header(HEADER_TYPE).unwrap_or(""),
        message_id: frame.header(HEADER_MESSAGE_ID).unwrap_or(""),
        sum: number(HEADER_SUM, 1)?,
        seq: number(HEADER_SEQ, 0)?,
        trace_id: frame.header(HEADER_TRACE_ID).unwrap_or(""),
    };
    if headers.sum > 1 && headers.message_id.is_empty() {
        return Err(FrameError::InvalidFragment {
            reason: "a split message needs a message_id",
        });
    }
    Ok(headers)
}

/// The connection settings the platform sends (seconds), from the endpoint
/// call's `data.ClientConfig` or a pong's payload. A field that is absent or
/// not a usable number is `None` (keep the previous value).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientConfig {
    /// `PingInterval`: seconds between pings (> 0).
    pub ping_interval: Option<u64>,
    /// `ReconnectCount`: attempts before giving up; negative means never.
    pub reconnect_count: Option<i64>,
    /// `ReconnectInterval`: seconds between reconnection attempts (≥ 0).
    pub reconnect_interval: Option<u64>,
    /// `ReconnectNonce`: up to this many seconds of random delay (≥ 0).
    pub reconnect_nonce: Option<u64>,
}

impl ClientConfig {
    /// Reads `{"PingInterval":…,"ReconnectCount":…,…}`; `None` when the
    /// text is not a JSON object.
    ///
    /// ```
    /// use larkhook::frame::ClientConfig;
    /// let config = ClientConfig::from_json(br#"{"PingInterval":90,"ReconnectCount":-1,"ReconnectNonce":"x"}"#).unwrap();
    /// assert_eq!(config.ping_interval, Some(90));
    /// assert_eq!(config.reconnect_count, Some(-1));
    /// assert_eq!(config.reconnect_nonce, None);
    /// ```
    pub fn from_json(json: &[u8]) -> Option<ClientConfig> {
        // A derived struct would also accept an array, by position.
        if json.trim_ascii_start().first() != Some(&b'{') {
            return None;
        }
        let wire: WireConfig = serde_json::from_slice(json).ok()?;
        let seconds = |n: Option<Number>| n.and_then(|n| u64::try_from(n.0?).ok());
        Some(ClientConfig {
            ping_interval: seconds(wire.ping_interval).filter(|&n| n > 0),
            reconnect_count: wire.reconnect_count.and_then(|n| n.0),
            reconnect_interval: seconds(wire.reconnect_interval),
            reconnect_nonce: seconds(wire.reconnect_nonce),
        })
    }
}

/// `ClientConfig` as sent. Read with derive rather than through
/// `serde_json::Value`, which costs the tools module about 29 KB.
#[derive(serde::Deserialize)]
struct WireConfig {
    #[serde(rename = "PingInterval", default)]
    ping_interval: Option<Number>,
    #[serde(rename = "ReconnectCount", default)]
    reconnect_count: Option<Number>,
    #[serde(rename = "ReconnectInterval", default)]
    reconnect_interval: Option<Number>,
    #[serde(rename = "ReconnectNonce", default)]
    reconnect_nonce: Option<Number>,
}

/// A whole number, or `None` for any other JSON value (ignored, not refused).
struct Number(Option<i64>);

impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, n: i64) -> Result<Number, E> {
                Ok(Number(Some(n)))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Number, E> {
                Ok(Number(i64::try_from(n).ok()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Number, E> {
                Ok(Number(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Number, E> {
                Ok(Number(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Number, E> {
                Ok(Number(None))
            }
            fn visit_unit<E>(self) -> Result<Number, E> {
                Ok(Number(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Number, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Number(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Number, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Number(None))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// The client's keep-alive: a control frame `type: ping` for `service`
/// (the `service_id` of the connection URL).
pub fn ping(service: i32) -> Frame {
    let mut frame = Frame {
        method: METHOD_CONTROL,
        service,
        ..Frame::default()
    };
    frame.push_header(HEADER_TYPE, TYPE_PING);
    frame
}

/// The answer to a data message: `frame` (the one that completed it) with
/// its payload replaced by `{"code":code}`, plus `"data"` (standard base64
/// of `data`) when given, and a `biz_rt` header of `biz_rt_ms` replacing any
/// earlier one. Everything else is echoed as received.
///
/// ```
/// use larkhook::frame::{ack, Frame, METHOD_DATA};
/// let event = Frame { seq_id: 7, method: METHOD_DATA, payload: Some(b"{}".to_vec()), ..Frame::default() };
/// let answer = ack(&event, 200, Some(br#"{"toast":{}}"#), 12);
/// assert_eq!(answer.seq_id, 7);
/// assert_eq!(answer.header("biz_rt"), Some("12"));
/// assert_eq!(answer.payload.as_deref(), Some(&br#"{"code":200,"data":"eyJ0b2FzdCI6e319"}"#[..]));
/// ```
pub fn ack(frame: &Frame, code: u16, data: Option<&[u8]>, biz_rt_ms: u64) -> Frame {
    let mut answer = frame.clone();
    answer.headers.retain(|h| h.key != HEADER_BIZ_RT);
    answer.push_header(HEADER_BIZ_RT, &biz_rt_ms.to_string());
    let mut payload = format!(r#"{{"code":{code}"#);
    if let Some(data) = data {
        payload.push_str(r#","data":""#);
        payload.push_str(&base64::engine::general_purpose::STANDARD.encode(data));
        payload.push('"');
    }
    payload.push('}');
    answer.payload = Some(payload.into_bytes());
    answer
}
