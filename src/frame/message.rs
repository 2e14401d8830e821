//! The two protobuf messages of the long connection (package `pbbp2` in the
//! official clients), declared with `prost`'s derive: field numbers and
//! proto2 labels as the platform sends them.

use prost::Message as _;

use super::{FrameError, MAX_FRAME_BYTES};

/// One key/value pair of a frame (`pbbp2.Header`).
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct Header {
    /// The header's name, e.g. `type` or `message_id`.
    #[prost(string, required, tag = "1")]
    pub key: String,
    /// Its value, always text (numbers are decimal strings).
    #[prost(string, required, tag = "2")]
    pub value: String,
}

/// One WebSocket message of the long connection (`pbbp2.Frame`).
///
/// ```
/// use larkhook::frame::{Frame, METHOD_DATA};
///
/// let mut frame = Frame { method: METHOD_DATA, ..Frame::default() };
/// frame.push_header("type", "event");
/// frame.payload = Some(br#"{"schema":"2.0"}"#.to_vec());
/// let bytes = frame.encode();
/// assert_eq!(Frame::decode(&bytes).unwrap(), frame);
/// ```
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct Frame {
    /// `SeqID` (1), echoed in the ack.
    #[prost(uint64, required, tag = "1")]
    pub seq_id: u64,
    /// `LogID` (2), echoed in the ack.
    #[prost(uint64, required, tag = "2")]
    pub log_id: u64,
    /// `service` (3): the `service_id` of the connection URL.
    #[prost(int32, required, tag = "3")]
    pub service: i32,
    /// `method` (4): [`super::METHOD_CONTROL`] or [`super::METHOD_DATA`].
    #[prost(int32, required, tag = "4")]
    pub method: i32,
    /// `headers` (5), in the order sent.
    #[prost(message, repeated, tag = "5")]
    pub headers: Vec<Header>,
    /// `payload_encoding` (6).
    #[prost(string, optional, tag = "6")]
    pub payload_encoding: Option<String>,
    /// `payload_type` (7).
    #[prost(string, optional, tag = "7")]
    pub payload_type: Option<String>,
    /// `payload` (8): the event's JSON (or one fragment of it), a pong's
    /// configuration, an ack's answer.
    #[prost(bytes = "vec", optional, tag = "8")]
    pub payload: Option<Vec<u8>>,
    /// `LogIDNew` (9).
    #[prost(string, optional, tag = "9")]
    pub log_id_new: Option<String>,
}

impl Frame {
    /// Decodes one WebSocket message. Refuses more than
    /// [`MAX_FRAME_BYTES`] before reading it, and anything that is not a
    /// well-formed `Frame` (truncated, wrong wire types, invalid UTF-8 in a
    /// string field); never panics.
    pub fn decode(bytes: &[u8]) -> Result<Frame, FrameError> {
        if bytes.len() > MAX_FRAME_BYTES {
            return Err(FrameError::FrameTooLarge {
                limit: MAX_FRAME_BYTES,
                actual: bytes.len(),
            });
        }
        <Frame as prost::Message>::decode(bytes).map_err(|e| FrameError::Malformed {
            detail: e.to_string(),
        })
    }

    /// The frame as bytes for the socket.
    pub fn encode(&self) -> Vec<u8> {
        self.encode_to_vec()
    }

    /// The value of the first header named `key` (names compare exactly, as
    /// in the official clients).
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.key == key)
            .map(|h| h.value.as_str())
    }

    /// Appends a header.
    pub fn push_header(&mut self, key: &str, value: &str) {
        self.headers.push(Header {
            key: key.into(),
            value: value.into(),
        });
    }
}
