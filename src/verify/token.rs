//! The Verification Token policy, compared in constant time.

use zeroize::Zeroizing;

use crate::error::Error;
use crate::verify::crypto::TokenDigest;

/// With no tokens configured anything passes; otherwise `received` (the
/// `token` field's value, `None` when absent or not a string: decoded by the
/// caller, which reads JSON) must have a digest that matches a configured
/// one. Every configured token is compared, without stopping at a match, and
/// the received copy is wiped.
pub(crate) fn check_token(tokens: &[TokenDigest], received: Option<String>) -> Result<(), Error> {
    if tokens.is_empty() {
        return Ok(());
    }
    let Some(received) = received.map(Zeroizing::new) else {
        return Err(Error::TokenMismatch { present: false });
    };
    let received = TokenDigest::new(&received);
    let matched = tokens
        .iter()
        .fold(subtle::Choice::from(0), |acc, t| acc | t.matches(&received));
    if bool::from(matched) {
        Ok(())
    } else {
        Err(Error::TokenMismatch { present: true })
    }
}
