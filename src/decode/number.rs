//! JSON number text, read without converting it: is it an integer, is it
//! one JavaScript holds exactly, is it a finite number. The typed decoder
//! and the envelope copy numbers as the sender wrote them, so these checks
//! work on the digits.

/// The largest integer JavaScript holds exactly, 2^53 − 1, as digits.
const MAX_SAFE_INTEGER: &str = "9007199254740991";

/// `-?(0|[1-9][0-9]*)`: a JSON integer literal.
pub(crate) fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

/// An integer within ±(2^53 − 1): a JSON integer, an integral float
/// (`3.0`), or a string of decimal digits (`"-1"`). Returns whether it is
/// negative and its significant digits (`"0"` for zero), ready to write.
pub(crate) fn safe_integer(text: &str) -> Option<(bool, &str)> {
    let quoted = text.starts_with('"');
    let inner = if quoted {
        text.strip_prefix('"')?.strip_suffix('"')?
    } else {
        text
    };
    // An integral float: a number (not a string) whose fraction is all zeros.
    let whole = match inner.split_once('.') {
        Some((whole, fraction))
            if !quoted && !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') =>
        {
            whole
        }
        _ => inner,
    };
    let (negative, digits) = match whole.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, whole),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    let within = significant.len() < MAX_SAFE_INTEGER.len()
        || (significant.len() == MAX_SAFE_INTEGER.len() && significant <= MAX_SAFE_INTEGER);
    match (within, significant.is_empty()) {
        (false, _) => None,
        (true, true) => Some((false, "0")),
        (true, false) => Some((negative, significant)),
    }
}

/// A JSON number as text, from a number or a numeric string, refused when it
/// is not finite as a double (a duration beyond 10^300 is not a duration).
pub(crate) fn number_text(text: &str) -> Option<&str> {
    let inner = match text.strip_prefix('"') {
        Some(quoted) => quoted.strip_suffix('"')?,
        None => text,
    };
    let body = inner.strip_prefix('-').unwrap_or(inner);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (body.get(..at)?, Some(body.get(at.checked_add(1)?..)?)),
        None => (body, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    if fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    let magnitude = i64::try_from(whole.trim_start_matches('0').len()).ok()?;
    let exponent = match exponent {
        None => 0,
        Some(e) => {
            let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
            if !digits(unsigned) || unsigned.len() > 4 {
                return None;
            }
            let value: i64 = unsigned.parse().ok()?;
            if e.starts_with('-') {
                value.checked_neg()?
            } else {
                value
            }
        }
    };
    // The decimal exponent of the leading digit.
    (magnitude.checked_add(exponent)? <= 301).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_integers_are_normalized_digits() {
        assert_eq!(safe_integer("222"), Some((false, "222")));
        assert_eq!(safe_integer("\"10\""), Some((false, "10")));
        assert_eq!(safe_integer("\"-1\""), Some((true, "1")));
        assert_eq!(safe_integer("-1"), Some((true, "1")));
        assert_eq!(safe_integer("3.0"), Some((false, "3")));
        assert_eq!(safe_integer("\"007\""), Some((false, "7")));
        assert_eq!(safe_integer("\"-007\""), Some((true, "7")));
        assert_eq!(safe_integer("0"), Some((false, "0")));
        assert_eq!(safe_integer("\"-0\""), Some((false, "0")));
        assert_eq!(
            safe_integer("9007199254740991"),
            Some((false, "9007199254740991"))
        );
        assert_eq!(
            safe_integer("-9007199254740991"),
            Some((true, "9007199254740991"))
        );
        for bad in [
            "9007199254740992",
            "-9007199254740992",
            "18446744073709551615",
            "1.5",
            "\"3.0\"",
            "\"+1\"",
            "\" 1\"",
            "\"1e3\"",
            "1e3",
            "\"\"",
            "true",
            "\"1\\u0030\"",
        ] {
            assert_eq!(safe_integer(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_are_checked_and_copied() {
        assert_eq!(number_text("42624.95"), Some("42624.95"));
        assert_eq!(number_text("\"1.5\""), Some("1.5"));
        assert_eq!(number_text("7"), Some("7"));
        assert_eq!(number_text("-0.5e-3"), Some("-0.5e-3"));
        assert_eq!(number_text("1e300"), Some("1e300"));
        for bad in [
            "\"NaN\"", "\"inf\"", "\"+1\"", "\"\"", "\"1.\"", "\".5\"", "1e400", "\"01\"",
            "1e99999",
        ] {
            assert_eq!(number_text(bad), None, "{bad}");
        }
    }

    #[test]
    fn integers_as_text_keep_every_digit() {
        assert!(is_integer("7262656095919128578"));
        assert!(is_integer("123456789012345678901234567890"));
        assert!(is_integer("-5"));
        assert!(!is_integer("1.5"));
        assert!(!is_integer("01"));
        assert!(!is_integer("-"));
    }
}
