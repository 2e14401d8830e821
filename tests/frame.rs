//! The long connection's frame codec (`larkhook::frame`): against bytes made
//! by protobufjs, the library the official Node client uses
//! (tests/vectors/frames.json, from tests/vectors/frames.mjs), and by
//! properties: round trips, fragments merged in any order, every bound
//! enforced, no panic on any bytes.
#![cfg(not(target_arch = "wasm32"))]

use larkhook::frame::{
    self, ClientConfig, FragmentLimits, Frame, FrameError, Header, Merge, Reassembler,
};
use proptest::prelude::*;

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

struct Vector {
    name: String,
    frame: Frame,
    bytes: Vec<u8>,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("vectors/frames.json");
    let list: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
    list.into_iter()
        .map(|v| {
            let string = |key: &str| v.get(key).and_then(|s| s.as_str()).map(str::to_owned);
            Vector {
                name: string("name").unwrap(),
                frame: Frame {
                    seq_id: string("seq_id").unwrap().parse().unwrap(),
                    log_id: string("log_id").unwrap().parse().unwrap(),
                    service: i32::try_from(v["service"].as_i64().unwrap()).unwrap(),
                    method: i32::try_from(v["method"].as_i64().unwrap()).unwrap(),
                    headers: v["headers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|pair| Header {
                            key: pair[0].as_str().unwrap().into(),
                            value: pair[1].as_str().unwrap().into(),
                        })
                        .collect(),
                    payload_encoding: string("payload_encoding"),
                    payload_type: string("payload_type"),
                    payload: string("payload_hex").map(|h| unhex(&h)),
                    log_id_new: string("log_id_new"),
                },
                bytes: unhex(&string("bytes_hex").unwrap()),
            }
        })
        .collect()
}

#[test]
fn decodes_and_encodes_the_bytes_protobufjs_makes() {
    let vectors = vectors();
    assert!(vectors.len() >= 7);
    for v in vectors {
        assert_eq!(Frame::decode(&v.bytes).unwrap(), v.frame, "{}", v.name);
        assert_eq!(v.frame.encode(), v.bytes, "{}", v.name);
    }
}

#[test]
fn ping_and_ack_are_the_frames_the_official_client_sends() {
    let vectors = vectors();
    let find = |prefix: &str| vectors.iter().find(|v| v.name.starts_with(prefix)).unwrap();
    assert_eq!(frame::ping(7).encode(), find("ping").bytes);

    // The ack vector is the whole event's headers (SeqID 9, LogID 10) with
    // biz_rt 12 and {"code":200}.
    let ack_vector = find("an ack");
    let mut event = ack_vector.frame.clone();
    event.headers.pop();
    event.payload = Some(b"{\"schema\":\"2.0\"}".to_vec());
    assert_eq!(frame::ack(&event, 200, None, 12).encode(), ack_vector.bytes);
    // An earlier biz_rt is replaced, not repeated.
    let again = frame::ack(&ack_vector.frame, 200, None, 12);
    assert_eq!(again.encode(), ack_vector.bytes);
}

#[test]
fn ack_carries_the_answer_as_standard_base64() {
    let event = Frame {
        method: frame::METHOD_DATA,
        ..Frame::default()
    };
    // base64 of {"toast":{"type":"info","content":"ok"}} computed with coreutils:
    // printf '%s' '{"toast":{"type":"info","content":"ok"}}' | base64 -w0
    let answer = frame::ack(
        &event,
        200,
        Some(br#"{"toast":{"type":"info","content":"ok"}}"#),
        0,
    );
    assert_eq!(
        answer.payload.unwrap(),
        br#"{"code":200,"data":"eyJ0b2FzdCI6eyJ0eXBlIjoiaW5mbyIsImNvbnRlbnQiOiJvayJ9fQ=="}"#
    );
    let failed = frame::ack(&event, 500, None, 3);
    assert_eq!(failed.payload.as_deref(), Some(&br#"{"code":500}"#[..]));
    assert_eq!(failed.header("biz_rt"), Some("3"));
}

#[test]
fn pong_configuration() {
    let pong = vectors()
        .into_iter()
        .find(|v| v.name.starts_with("pong"))
        .unwrap();
    let config = ClientConfig::from_json(pong.frame.payload.as_deref().unwrap()).unwrap();
    assert_eq!(
        config,
        ClientConfig {
            ping_interval: Some(90),
            reconnect_count: Some(-1),
            reconnect_interval: Some(120),
            reconnect_nonce: Some(30),
        }
    );
    // Zero or negative intervals, floats and strings are ignored, not obeyed.
    let odd = ClientConfig::from_json(
        br#"{"PingInterval":0,"ReconnectInterval":-5,"ReconnectNonce":1.5}"#,
    )
    .unwrap();
    assert_eq!(odd, ClientConfig::default());
    assert_eq!(ClientConfig::from_json(b"[1]"), None);
    assert_eq!(ClientConfig::from_json(b"not json"), None);
}

#[test]
fn data_headers_are_checked() {
    let mut f = Frame::default();
    let h = frame::data_headers(&f).unwrap();
    assert_eq!((h.kind, h.sum, h.seq), ("", 1, 0));
    f.push_header("sum", "3");
    assert_eq!(
        frame::data_headers(&f).unwrap_err().code(),
        "fragment_invalid"
    );
    f.push_header("message_id", "m");
    assert_eq!(frame::data_headers(&f).unwrap().sum, 3);
    let mut g = Frame::default();
    g.push_header("seq", "-1");
    assert_eq!(
        frame::data_headers(&g).unwrap_err().code(),
        "fragment_invalid"
    );
}

#[test]
fn malformed_and_oversized_messages_are_refused() {
    assert_eq!(
        Frame::decode(&[0x08]).unwrap_err().code(),
        "frame_malformed"
    );
    // Field 5 (headers) declaring 100 bytes with 1 present.
    assert_eq!(
        Frame::decode(&[0x2a, 100, 0]).unwrap_err().code(),
        "frame_malformed"
    );
    // A header key that is not UTF-8.
    assert_eq!(
        Frame::decode(&[0x2a, 4, 0x0a, 2, 0xff, 0xfe])
            .unwrap_err()
            .code(),
        "frame_malformed"
    );
    let big = vec![0u8; frame::MAX_FRAME_BYTES + 1];
    assert_eq!(
        Frame::decode(&big).unwrap_err(),
        FrameError::FrameTooLarge {
            limit: frame::MAX_FRAME_BYTES,
            actual: frame::MAX_FRAME_BYTES + 1
        }
    );
}

fn limits() -> FragmentLimits {
    FragmentLimits {
        max_fragments: 4,
        max_bytes: 100,
        max_age_ms: 1000,
        max_pending: 2,
    }
}

#[test]
fn every_fragment_bound_is_enforced() {
    let mut r = Reassembler::new(limits());
    let code = |e: FrameError| e.code();
    assert_eq!(
        code(r.push("a", 5, 0, vec![1], 0).unwrap_err()),
        "fragments_too_many"
    );
    assert_eq!(
        code(r.push("a", 2, 2, vec![1], 0).unwrap_err()),
        "fragment_invalid"
    );
    assert_eq!(
        code(r.push("a", 0, 0, vec![1], 0).unwrap_err()),
        "fragment_invalid"
    );
    // Total bytes: 60 + 60 > 100 drops the message.
    assert!(matches!(
        r.push("a", 2, 0, vec![0; 60], 0),
        Ok(Merge::Partial { .. })
    ));
    assert_eq!(
        code(r.push("a", 2, 1, vec![0; 60], 0).unwrap_err()),
        "fragments_too_large"
    );
    assert_eq!(r.pending(), 0);
    // A changed sum drops the message.
    r.push("b", 2, 0, vec![1], 0).unwrap();
    assert_eq!(
        code(r.push("b", 3, 1, vec![1], 0).unwrap_err()),
        "fragment_invalid"
    );
    assert_eq!(r.pending(), 0);
    // Two pending at most.
    r.push("c", 2, 0, vec![1], 0).unwrap();
    r.push("d", 2, 0, vec![1], 0).unwrap();
    assert_eq!(
        code(r.push("e", 2, 0, vec![1], 0).unwrap_err()),
        "fragments_pending_limit"
    );
    // Age: c and d expire after 1000 ms, not before.
    assert!(r.expire(1000).is_empty());
    let expired = r.expire(1001);
    assert_eq!(expired.len(), 2);
    assert_eq!(expired[0].message_id, "c");
    assert_eq!((expired[0].received, expired[0].sum), (1, 2));
    assert_eq!(expired[0].error().code(), "fragments_expired");
    assert_eq!(r.pending(), 0);
    // A whole message (sum 1) needs no room.
    r.push("f", 2, 0, vec![1], 0).unwrap();
    r.push("g", 2, 0, vec![1], 0).unwrap();
    assert_eq!(r.push("h", 1, 0, vec![9], 0), Ok(Merge::Complete(vec![9])));
    assert_eq!(r.clear().len(), 2);
}

#[test]
fn error_codes_are_listed_once() {
    let samples = [
        FrameError::FrameTooLarge {
            limit: 1,
            actual: 2,
        },
        FrameError::Malformed { detail: "x".into() },
        FrameError::InvalidFragment { reason: "r" },
        FrameError::TooManyFragments {
            limit: 1,
            actual: 2,
        },
        FrameError::FragmentsTooLarge { limit: 1 },
        FrameError::TooManyPending { limit: 1 },
        FrameError::FragmentsExpired {
            received: 1,
            sum: 2,
            age_ms: 3,
        },
    ];
    let codes: Vec<_> = samples.iter().map(FrameError::code).collect();
    assert_eq!(codes, FrameError::CODES);
}

fn any_frame() -> impl Strategy<Value = Frame> {
    (
        any::<u64>(),
        any::<u64>(),
        any::<i32>(),
        any::<i32>(),
        proptest::collection::vec((".{0,12}", ".{0,24}"), 0..6),
        proptest::option::of(".{0,8}"),
        proptest::option::of(".{0,8}"),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..200)),
        proptest::option::of(".{0,8}"),
    )
        .prop_map(
            |(seq_id, log_id, service, method, headers, enc, ty, payload, log)| Frame {
                seq_id,
                log_id,
                service,
                method,
                headers: headers
                    .into_iter()
                    .map(|(key, value)| Header { key, value })
                    .collect(),
                payload_encoding: enc,
                payload_type: ty,
                payload,
                log_id_new: log,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn encode_then_decode(f in any_frame()) {
        prop_assert_eq!(Frame::decode(&f.encode()).unwrap(), f);
    }

    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(f) = Frame::decode(&bytes) {
            // Whatever decodes re-encodes to something that decodes the same.
            prop_assert_eq!(Frame::decode(&f.encode()).unwrap(), f.clone());
            let _ = frame::data_headers(&f);
            let _ = frame::ack(&f, 200, Some(&bytes), 1);
        }
    }

    #[test]
    fn fragments_in_any_order_merge_to_the_payload(
        payload in proptest::collection::vec(any::<u8>(), 1..400),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..7),
        order in any::<prop::sample::Index>(),
        repeat in any::<bool>(),
    ) {
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(payload.len())).collect();
        at.push(0);
        at.push(payload.len());
        at.sort_unstable();
        at.dedup();
        let parts: Vec<Vec<u8>> = at.windows(2).map(|w| payload[w[0]..w[1]].to_vec()).collect();
        let sum = u32::try_from(parts.len()).unwrap();
        // A rotation of the fragments, possibly with one sent twice.
        let start = order.index(parts.len());
        let mut sequence: Vec<usize> = (0..parts.len()).map(|i| (i + start) % parts.len()).collect();
        if repeat && parts.len() > 1 {
            sequence.insert(1, sequence[0]);
        }
        let mut r = Reassembler::new(FragmentLimits::default());
        let mut result = None;
        for (n, &seq) in sequence.iter().enumerate() {
            let merged = r.push("m", sum, u32::try_from(seq).unwrap(), parts[seq].clone(), 0).unwrap();
            if n + 1 < sequence.len() {
                let partial = matches!(merged, Merge::Partial { .. });
                prop_assert!(partial);
            } else {
                result = Some(merged);
            }
        }
        prop_assert_eq!(result, Some(Merge::Complete(payload)));
        prop_assert_eq!(r.pending(), 0);
    }

    #[test]
    fn any_fragment_sequence_stays_within_bounds(
        pushes in proptest::collection::vec((0u8..4, 0u32..6, 0u32..6, 0usize..60, 0u64..3000), 0..40)
    ) {
        let mut r = Reassembler::new(limits());
        for (id, sum, seq, len, now) in pushes {
            match r.push(&id.to_string(), sum, seq, vec![id; len], now) {
                Ok(Merge::Complete(bytes)) => prop_assert!(bytes.len() <= 100),
                Ok(Merge::Partial { received, sum }) => prop_assert!(received < sum && sum <= 4),
                Err(_) => {}
            }
            prop_assert!(r.pending() <= 2);
            for expired in r.expire(now) {
                prop_assert!(expired.age_ms > 1000);
            }
        }
    }
}
