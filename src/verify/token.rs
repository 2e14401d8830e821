//! The Verification Token policy, compared in constant time.

use serde_json::value::RawValue;
use zeroize::Zeroizing;

use crate::decode::text::string_value;
use crate::error::Error;
use crate::verify::crypto::TokenDigest;

/// With no tokens configured anything passes; otherwise the field must be a
/// string whose digest matches a configured one. Every configured token is
/// compared, without stopping at a match, and the received copy is wiped.
pub(crate) fn check_token(tokens: &[TokenDigest], field: Option<&RawValue>) -> Result<(), Error> {
    if tokens.is_empty() {
        return Ok(());
    }
    let received = field.and_then(string_value);
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
