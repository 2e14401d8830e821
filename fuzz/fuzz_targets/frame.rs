//! The long connection's frame codec (`larkhook::frame`) on arbitrary bytes.
//!
//! Input format: byte 0 selects the mode.
//! - even: the rest is one WebSocket message. Whatever decodes must
//!   re-encode to bytes that decode to the same frame, its data headers
//!   read without panic, and an ack of it must decode with the same ids.
//! - odd: the rest is a sequence of fragments for one reassembler with
//!   small bounds, 5 bytes of control each (message id, sum, seq, length,
//!   time step) followed by `length` payload bytes; every bound must hold
//!   after every step, and a completed message is its fragments in order.
#![no_main]

use larkhook::frame::{self, FragmentLimits, Frame, Merge, Reassembler};
use libfuzzer_sys::fuzz_target;

const LIMITS: FragmentLimits = FragmentLimits {
    max_fragments: 8,
    max_bytes: 512,
    max_age_ms: 1000,
    max_pending: 4,
};

fn one_message(bytes: &[u8]) {
    let Ok(decoded) = Frame::decode(bytes) else {
        return;
    };
    let again = Frame::decode(&decoded.encode()).expect("an encoded frame decodes");
    assert_eq!(again, decoded);
    let _ = frame::data_headers(&decoded);
    let answer = frame::ack(&decoded, 500, Some(bytes), u64::MAX);
    let answer = Frame::decode(&answer.encode()).expect("an ack decodes");
    assert_eq!((answer.seq_id, answer.log_id, answer.service), (decoded.seq_id, decoded.log_id, decoded.service));
    assert_eq!(answer.headers.iter().filter(|h| h.key == "biz_rt").count(), 1);
    if let Some(payload) = &decoded.payload {
        let _ = frame::ClientConfig::from_json(payload);
    }
}

fn fragments(mut rest: &[u8]) {
    let mut merge = Reassembler::new(LIMITS);
    // What the harness sent per message id, to check completed payloads.
    let mut sent: [Vec<Option<Vec<u8>>>; 4] = Default::default();
    let mut now = 0u64;
    while rest.len() >= 5 {
        let (control, tail) = rest.split_at(5);
        let id = usize::from(control[0] % 4);
        let sum = u32::from(control[1] % 10);
        let seq = u32::from(control[2] % 10);
        let len = usize::from(control[3]).min(tail.len());
        now += u64::from(control[4]) * 8;
        let (payload, tail) = tail.split_at(len);
        rest = tail;
        for expired in merge.expire(now) {
            assert!(expired.age_ms > LIMITS.max_age_ms);
            sent[expired.message_id.parse::<usize>().unwrap()].clear();
        }
        match merge.push(&id.to_string(), sum, seq, payload.to_vec(), now) {
            Ok(Merge::Partial { received, sum: expected }) => {
                assert!(received < expected && expected <= LIMITS.max_fragments);
                let parts = &mut sent[id];
                if parts.len() != expected as usize {
                    *parts = vec![None; expected as usize];
                }
                parts[seq as usize] = Some(payload.to_vec());
            }
            Ok(Merge::Complete(whole)) => {
                assert!(whole.len() <= LIMITS.max_bytes);
                if sum > 1 {
                    let parts = &mut sent[id];
                    if parts.len() == sum as usize {
                        parts[seq as usize] = Some(payload.to_vec());
                        let expected: Vec<u8> = parts.iter().flatten().flatten().copied().collect();
                        assert_eq!(whole, expected);
                    }
                } else {
                    assert_eq!(whole, payload);
                }
                sent[id].clear();
            }
            Err(_) => sent[id].clear(),
        }
        assert!(merge.pending() <= LIMITS.max_pending);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        one_message(rest);
    } else {
        fragments(rest);
    }
});
