//! Merging a data frame's fragments: the platform splits a large payload
//! into `sum` frames sharing a `message_id`, numbered by `seq` from 0, and
//! they may interleave with other messages' frames. Bounded in every
//! direction: fragments per message, bytes per message, messages waiting at
//! once, and age (the caller passes `now` and calls [`Reassembler::expire`]).

use std::collections::BTreeMap;

use super::FrameError;

/// The bounds of a [`Reassembler`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FragmentLimits {
    /// Most fragments one message may be split into (`sum`).
    pub max_fragments: u32,
    /// Most bytes one merged message may have.
    pub max_bytes: usize,
    /// Most milliseconds between a message's first fragment and its last.
    pub max_age_ms: u64,
    /// Most incomplete messages kept at once.
    pub max_pending: usize,
}

impl Default for FragmentLimits {
    /// 64 fragments, 1 MiB (the webhook's default body limit: a larger event
    /// would be refused by `parse` anyway), 10 s (the official Node client's
    /// bound; the Go client's is 5 s), 64 messages.
    fn default() -> Self {
        FragmentLimits {
            max_fragments: 64,
            max_bytes: crate::DEFAULT_MAX_BODY_BYTES,
            max_age_ms: 10_000,
            max_pending: 64,
        }
    }
}

/// What [`Reassembler::push`] made of a fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Merge {
    /// The whole payload: the fragments' bytes in `seq` order.
    Complete(Vec<u8>),
    /// Kept; `received` of `sum` fragments are in.
    Partial {
        /// Distinct fragments received so far.
        received: u32,
        /// Fragments expected.
        sum: u32,
    },
}

/// An incomplete message dropped by [`Reassembler::expire`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expired {
    /// Its `message_id`.
    pub message_id: String,
    /// Distinct fragments that had arrived.
    pub received: u32,
    /// Fragments expected.
    pub sum: u32,
    /// Milliseconds since its first fragment.
    pub age_ms: u64,
}

impl Expired {
    /// The error to report for it (`fragments_expired`).
    pub fn error(&self) -> FrameError {
        FrameError::FragmentsExpired {
            received: self.received,
            sum: self.sum,
            age_ms: self.age_ms,
        }
    }
}

#[derive(Debug)]
struct Pending {
    parts: Vec<Option<Vec<u8>>>,
    bytes: usize,
    received: u32,
    first_ms: u64,
}

/// Incomplete messages by `message_id`.
///
/// ```
/// use larkhook::frame::{FragmentLimits, Merge, Reassembler};
///
/// let mut merge = Reassembler::new(FragmentLimits::default());
/// assert!(matches!(merge.push("m1", 2, 1, b"world".to_vec(), 0), Ok(Merge::Partial { received: 1, sum: 2 })));
/// assert_eq!(merge.push("m1", 2, 0, b"hello ".to_vec(), 5), Ok(Merge::Complete(b"hello world".to_vec())));
/// assert_eq!(merge.pending(), 0);
/// ```
#[derive(Debug)]
pub struct Reassembler {
    limits: FragmentLimits,
    pending: BTreeMap<String, Pending>,
}

impl Reassembler {
    /// An empty reassembler with these bounds.
    pub fn new(limits: FragmentLimits) -> Self {
        Reassembler {
            limits,
            pending: BTreeMap::new(),
        }
    }

    /// Incomplete messages currently kept.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Adds fragment `seq` of `sum` of message `message_id`, received at
    /// `now_ms`. A fragment that breaks a bound drops its whole message (an
    /// error says which bound): the platform, never acked, redelivers it.
    /// A repeated `seq` replaces the earlier copy.
    pub fn push(
        &mut self,
        message_id: &str,
        sum: u32,
        seq: u32,
        payload: Vec<u8>,
        now_ms: u64,
    ) -> Result<Merge, FrameError> {
        let limits = self.limits;
        self.check(message_id, sum, seq, payload.len())?;
        if sum == 1 {
            self.pending.remove(message_id);
            return Ok(Merge::Complete(payload));
        }
        self.start(message_id, sum, now_ms)?;
        let Some(entry) = self.pending.get_mut(message_id) else {
            return Err(FrameError::InvalidFragment {
                reason: "the message's fragments were dropped",
            });
        };
        let expected = u32::try_from(entry.parts.len()).unwrap_or(u32::MAX);
        if expected != sum {
            self.pending.remove(message_id);
            return Err(FrameError::InvalidFragment {
                reason: "a fragment's sum differs from the first fragment's",
            });
        }
        let Some(slot) = usize::try_from(seq)
            .ok()
            .and_then(|i| entry.parts.get_mut(i))
        else {
            self.pending.remove(message_id);
            return Err(FrameError::InvalidFragment {
                reason: "seq must be below sum, and sum at least 1",
            });
        };
        let replaced = slot.as_ref().map_or(0, Vec::len);
        let bytes = entry
            .bytes
            .saturating_sub(replaced)
            .saturating_add(payload.len());
        if bytes > limits.max_bytes {
            self.pending.remove(message_id);
            return Err(FrameError::FragmentsTooLarge {
                limit: limits.max_bytes,
            });
        }
        if slot.is_none() {
            entry.received = entry.received.saturating_add(1);
        }
        *slot = Some(payload);
        entry.bytes = bytes;
        if entry.received < sum {
            return Ok(Merge::Partial {
                received: entry.received,
                sum,
            });
        }
        let Some(entry) = self.pending.remove(message_id) else {
            return Err(FrameError::InvalidFragment {
                reason: "the message's fragments were dropped",
            });
        };
        let mut whole = Vec::with_capacity(entry.bytes);
        for part in entry.parts.into_iter().flatten() {
            whole.extend_from_slice(&part);
        }
        Ok(Merge::Complete(whole))
    }

    /// Refuses a fragment that breaks a bound by itself, dropping its message.
    fn check(
        &mut self,
        message_id: &str,
        sum: u32,
        seq: u32,
        len: usize,
    ) -> Result<(), FrameError> {
        let limits = self.limits;
        if sum == 0 || seq >= sum {
            self.pending.remove(message_id);
            return Err(FrameError::InvalidFragment {
                reason: "seq must be below sum, and sum at least 1",
            });
        }
        if sum > limits.max_fragments {
            self.pending.remove(message_id);
            return Err(FrameError::TooManyFragments {
                limit: limits.max_fragments,
                actual: sum,
            });
        }
        if len > limits.max_bytes {
            self.pending.remove(message_id);
            return Err(FrameError::FragmentsTooLarge {
                limit: limits.max_bytes,
            });
        }
        Ok(())
    }

    /// Makes room for a message's first fragment, within the bound on
    /// pending messages (a message already pending keeps its place).
    fn start(&mut self, message_id: &str, sum: u32, now_ms: u64) -> Result<(), FrameError> {
        if !self.pending.contains_key(message_id) {
            if self.pending.len() >= self.limits.max_pending {
                return Err(FrameError::TooManyPending {
                    limit: self.limits.max_pending,
                });
            }
            let parts = (0..sum).map(|_| None).collect();
            self.pending.insert(
                message_id.into(),
                Pending {
                    parts,
                    bytes: 0,
                    received: 0,
                    first_ms: now_ms,
                },
            );
        }
        Ok(())
    }

    /// Drops every incomplete message whose first fragment is older than
    /// `max_age_ms` at `now_ms`, and says which. A clock that went back
    /// counts as no time passed.
    pub fn expire(&mut self, now_ms: u64) -> Vec<Expired> {
        let max_age = self.limits.max_age_ms;
        let mut expired = Vec::new();
        self.pending.retain(|id, entry| {
            let age_ms = now_ms.saturating_sub(entry.first_ms);
            if age_ms <= max_age {
                return true;
            }
            expired.push(Expired {
                message_id: id.clone(),
                received: entry.received,
                sum: u32::try_from(entry.parts.len()).unwrap_or(u32::MAX),
                age_ms,
            });
            false
        });
        expired
    }

    /// Drops everything kept (a closed connection's fragments will not be
    /// completed on another: the platform redelivers whole messages).
    pub fn clear(&mut self) -> Vec<Expired> {
        core::mem::take(&mut self.pending)
            .into_iter()
            .map(|(message_id, entry)| Expired {
                message_id,
                received: entry.received,
                sum: u32::try_from(entry.parts.len()).unwrap_or(u32::MAX),
                age_ms: 0,
            })
            .collect()
    }
}
