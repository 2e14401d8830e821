//! The first stage: is this delivery from the platform? The signature
//! headers (`headers`), the signature and decryption (`crypto`; the legacy
//! card callback's SHA-1 signature in `card`), the
//! Verification Token (`token`), and the configuration that says what to
//! check with ([`Webhook`](crate::Webhook) and its builder, `webhook`).
//!
//! Everything secret is compared in constant time and wiped on drop, here
//! and nowhere else. Uses nothing of the crate but its errors and the header
//! names (at the root); `decode` uses its decryption and token check.

pub(crate) mod card;
pub(crate) mod crypto;
pub(crate) mod headers;
pub(crate) mod token;
pub(crate) mod webhook;
