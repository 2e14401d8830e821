//! Finding the three signature headers in whatever form the caller has them.

use crate::{Error, NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// The signature headers of one delivery, borrowed from the caller's headers.
///
/// Names match case-insensitively (HTTP field names are case-insensitive and
/// runtimes deliver them in any case). Values are trimmed of the optional
/// whitespace HTTP allows around a field value. A header given twice is an
/// error, even with equal values: a proxy that duplicates headers is worth
/// knowing about, and accepting either copy would hide it. So is a value
/// holding a comma: that is how Fetch's `Headers` and Node's
/// `IncomingMessage.headers` join a repeated header (`"a, a"`), and no
/// timestamp, nonce or signature the platform sends contains one.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SignatureHeaders<'h> {
    pub(crate) timestamp: Option<&'h str>,
    pub(crate) nonce: Option<&'h str>,
    pub(crate) signature: Option<&'h str>,
}

impl<'h> SignatureHeaders<'h> {
    /// Collects the three headers from name/value pairs; other names are skipped.
    pub(crate) fn collect<I, K, V>(headers: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = &'h (K, V)>,
        K: AsRef<str> + 'h,
        V: AsRef<str> + 'h,
    {
        let mut found = SignatureHeaders::default();
        for (name, value) in headers {
            let name = name.as_ref();
            let (slot, canonical) = if is_header(name, TIMESTAMP_HEADER) {
                (&mut found.timestamp, TIMESTAMP_HEADER)
            } else if is_header(name, NONCE_HEADER) {
                (&mut found.nonce, NONCE_HEADER)
            } else if is_header(name, SIGNATURE_HEADER) {
                (&mut found.signature, SIGNATURE_HEADER)
            } else {
                continue;
            };
            let value = value.as_ref().trim_matches([' ', '\t']);
            if slot.is_some() || value.contains(',') {
                return Err(Error::DuplicateHeader { header: canonical });
            }
            *slot = Some(value);
        }
        Ok(found)
    }

    /// The timestamp and the nonce, which every signature covers; a missing
    /// one (the timestamp named first) is `missing_signature`.
    pub(crate) fn timestamp_and_nonce(&self) -> Result<(&'h str, &'h str), Error> {
        match (self.timestamp, self.nonce) {
            (Some(timestamp), Some(nonce)) => Ok((timestamp, nonce)),
            (None, _) => Err(Error::MissingSignature {
                header: TIMESTAMP_HEADER,
            }),
            (Some(_), None) => Err(Error::MissingSignature {
                header: NONCE_HEADER,
            }),
        }
    }
}

/// Whether a header name is `canonical`, in any case. Out of line: with
/// the canonical name known at each call site, the comparison would be
/// unrolled three times over (16 to 24 characters each).
#[inline(never)]
fn is_header(name: &str, canonical: &str) -> bool {
    name.eq_ignore_ascii_case(canonical)
}

/// Parses `X-Lark-Request-Timestamp`: 1 to 18 ASCII digits, nothing else.
///
/// Eighteen digits cannot overflow `i64`, so no sign, no `+`, no fraction, no
/// exponent and no 64-bit overflow can slip through `str::parse`'s leniency.
pub(crate) fn parse_timestamp(value: &str) -> Result<i64, Error> {
    if value.is_empty() || value.len() > 18 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidTimestamp);
    }
    value.parse::<i64>().map_err(|_| Error::InvalidTimestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_case_and_values_are_trimmed() {
        let headers = [
            ("x-lark-request-timestamp", " 1700000000\t"),
            ("X-LARK-REQUEST-NONCE", "abc"),
            ("X-Lark-Signature", "ff"),
            ("content-type", "application/json"),
        ];
        let found = SignatureHeaders::collect(&headers).unwrap();
        assert_eq!(found.timestamp, Some("1700000000"));
        assert_eq!(found.nonce, Some("abc"));
        assert_eq!(found.signature, Some("ff"));
    }

    #[test]
    fn a_repeated_header_is_refused() {
        let headers = [("x-lark-signature", "a"), ("X-Lark-Signature", "a")];
        assert_eq!(
            SignatureHeaders::collect(&headers),
            Err(Error::DuplicateHeader {
                header: SIGNATURE_HEADER
            })
        );
    }

    #[test]
    fn a_joined_repeat_is_a_repeated_header() {
        // What a Fetch `Headers` (and Node's IncomingMessage) makes of two.
        for (name, canonical) in [
            ("X-Lark-Signature", SIGNATURE_HEADER),
            ("x-lark-request-nonce", NONCE_HEADER),
            ("X-Lark-Request-Timestamp", TIMESTAMP_HEADER),
        ] {
            let headers = [(name, "a, a")];
            assert_eq!(
                SignatureHeaders::collect(&headers),
                Err(Error::DuplicateHeader { header: canonical })
            );
        }
    }

    #[test]
    fn timestamps_are_plain_digits_only() {
        assert_eq!(parse_timestamp("1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_timestamp("0"), Ok(0));
        for bad in [
            "",
            "-1",
            "+1700000000",
            "1.5",
            "1e9",
            " 1",
            "0x10",
            "1234567890123456789",
            "99999999999999999999999",
            "１２３",
        ] {
            assert_eq!(
                parse_timestamp(bad),
                Err(Error::InvalidTimestamp),
                "{bad:?}"
            );
        }
    }
}
