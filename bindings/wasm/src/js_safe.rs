//! An untyped event for JavaScript, or a typed one whose model keeps values
//! as sent (`Kind::Json`: a card's `action.value`): the JSON as sent, with
//! every number that `JSON.parse` would change written as a string instead. Integers
//! beyond ±(2^53 − 1) keep their digits exactly (`123456789012345678901234567890`
//! becomes `"123456789012345678901234567890"`), and numbers beyond a double
//! (`1e400`, which would become `Infinity`) keep their text. Everything else,
//! strings included, is copied as written (non-ASCII characters as `\u`
//! escapes, see `ascii`), so a lone surrogate escape (`"\ud83d"`) reaches
//! `JSON.parse` and becomes what it would make of it, and no depth of
//! nesting is too deep.
//!
//! The input is JSON the core has already read (a `RawValue`), so this is
//! a scan for number tokens outside strings, not a parser.

/// The largest integer JavaScript holds exactly, as digits.
const MAX_SAFE_INTEGER: &[u8] = b"9007199254740991";

/// Appends `json` to `out`, numbers JavaScript cannot hold as strings.
pub(crate) fn write(out: &mut Vec<u8>, json: &str) {
    let bytes = json.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => i = string_end(bytes, i),
            b'-' | b'0'..=b'9' => {
                let end = number_end(bytes, i);
                let number = bytes.get(i..end).unwrap_or_default();
                if !representable(number) {
                    crate::ascii::extend(out, json.get(copied..i).unwrap_or_default());
                    out.push(b'"');
                    out.extend_from_slice(number);
                    out.push(b'"');
                    copied = end;
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    crate::ascii::extend(out, json.get(copied..).unwrap_or_default());
}

/// The index after the string starting at `start` (its opening quote).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after the number token starting at `start`.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = bytes.get(i) {
        i += 1;
    }
    i
}

/// The significant digits of the largest finite double, 1.7976931348623157e308.
const MAX_DOUBLE_DIGITS: &[u8] = b"17976931348623157";

/// Whether `JSON.parse` yields this number without losing it: an integer
/// within ±(2^53 − 1), or a non-integer below a double's overflow (tiny
/// values round towards zero, as every decimal fraction rounds).
fn representable(number: &[u8]) -> bool {
    let unsigned = number.strip_prefix(b"-").unwrap_or(number);
    if unsigned.iter().all(u8::is_ascii_digit) {
        return unsigned.len() < MAX_SAFE_INTEGER.len()
            || (unsigned.len() == MAX_SAFE_INTEGER.len() && unsigned <= MAX_SAFE_INTEGER);
    }
    let (mantissa, exponent) = match unsigned.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(at) => (
            unsigned.get(..at).unwrap_or_default(),
            unsigned.get(at + 1..).unwrap_or_default(),
        ),
        None => (unsigned, &b""[..]),
    };
    let (negative, exponent) = match exponent.first() {
        Some(b'-') => (true, exponent.get(1..).unwrap_or_default()),
        Some(b'+') => (false, exponent.get(1..).unwrap_or_default()),
        _ => (false, exponent),
    };
    if negative {
        return true;
    }
    if exponent.len() > 6 {
        return false;
    }
    let exponent = exponent
        .iter()
        .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    // The significant digits and the decimal exponent of the first one.
    let mut parts = mantissa.splitn(2, |b| *b == b'.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next().unwrap_or_default();
    let whole_significant: Vec<u8> = whole.iter().copied().skip_while(|b| *b == b'0').collect();
    let (leading, digits): (i64, Vec<u8>) = if whole_significant.is_empty() {
        let zeros = fraction.iter().take_while(|b| **b == b'0').count();
        let rest = fraction.get(zeros..).unwrap_or_default();
        if rest.is_empty() {
            return true; // zero
        }
        (-(zeros as i64) - 1, rest.to_vec())
    } else {
        let mut digits = whole_significant.clone();
        digits.extend_from_slice(fraction);
        (whole_significant.len() as i64 - 1, digits)
    };
    match (leading + exponent).cmp(&308) {
        core::cmp::Ordering::Less => true,
        core::cmp::Ordering::Greater => false,
        core::cmp::Ordering::Equal => {
            let digits = digits
                .get(..MAX_DOUBLE_DIGITS.len().min(digits.len()))
                .unwrap_or_default();
            digits <= MAX_DOUBLE_DIGITS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write;

    fn safe(json: &str) -> String {
        let mut out = Vec::new();
        write(&mut out, json);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_javascript_would_change_become_strings() {
        assert_eq!(
            safe(
                r#"{"a":123456789012345678901234567890,"b":9007199254740991,"c":-9007199254740992}"#
            ),
            r#"{"a":"123456789012345678901234567890","b":9007199254740991,"c":"-9007199254740992"}"#
        );
        assert_eq!(
            safe("[1e400,1.5e308,1.8e308,0.0018e311,1e-400,0.1,-0,0.0e999]"),
            r#"["1e400",1.5e308,"1.8e308","0.0018e311",1e-400,0.1,-0,0.0e999]"#
        );
        assert_eq!(
            safe("12345678901234567890123"),
            r#""12345678901234567890123""#
        );
    }

    #[test]
    fn strings_are_copied_as_they_are() {
        let json = r#"{"x":"\ud83d 12345678901234567890123 \"q\\","y":"\\"}"#;
        assert_eq!(safe(json), json);
    }
}
