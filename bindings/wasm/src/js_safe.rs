//! An untyped event for JavaScript: the JSON as sent, in ASCII (see
//! `ascii`), with every number that `JSON.parse` would change written as a
//! string instead (the core's `larkhook::js_safe`, the rule the typed
//! models' as-sent fields follow too).

/// Appends `json` to `out` in ASCII, numbers JavaScript cannot hold as strings.
pub(crate) fn write(out: &mut Vec<u8>, json: &str) {
    larkhook::js_safe::segments(json, |text, quote| {
        if quote {
            out.push(b'"');
            out.extend_from_slice(text.as_bytes());
            out.push(b'"');
        } else {
            crate::ascii::extend(out, text);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::write;

    #[test]
    fn numbers_become_strings_and_text_becomes_ascii() {
        let mut out = Vec::new();
        write(&mut out, r#"{"a":123456789012345678901234567890,"b":"é"}"#);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":"123456789012345678901234567890","b":"\u00e9"}"#
        );
    }
}
