//! The field path (`ticket.comments[1].id`) at a byte offset of a JSON text.
//!
//! Used only to explain a typed-decoding failure: serde_json reports where it
//! failed as a position, and a user wants a path. A small scanner over text
//! that is already known to be valid JSON is far cheaper in code size than
//! decoding every model a second time with path tracking.

/// One open container while scanning.
enum Frame {
    /// An object; `key` is the current member's name once read.
    Object {
        key: Option<String>,
        expecting_key: bool,
    },
    /// An array and the index of the current element.
    Array { index: usize },
}

/// The path of the innermost member or element that contains `offset`.
/// Returns `.` for the top level.
/// serde_json positions are 1-based lines and 1-based byte columns.
pub(crate) fn byte_offset(json: &str, line: usize, column: usize) -> usize {
    let line_start = json
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .fold(0usize, usize::saturating_add);
    line_start.saturating_add(column).min(json.len())
}

pub(crate) fn path_at(json: &str, offset: usize) -> String {
    let bytes = json.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0usize;
    while i < offset.min(bytes.len()) {
        let Some(&byte) = bytes.get(i) else { break };
        match byte {
            b'"' => {
                let end = string_end(bytes, i);
                if let Some(Frame::Object { key, expecting_key }) = stack.last_mut() {
                    if *expecting_key {
                        let text = json.get(i..end).unwrap_or_default();
                        *key = Some(serde_json::from_str::<String>(text).unwrap_or_default());
                        *expecting_key = false;
                    }
                }
                i = end;
                continue;
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                expecting_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index = index.saturating_add(1),
                Some(Frame::Object { key, expecting_key }) => {
                    *key = None;
                    *expecting_key = true;
                }
                None => {}
            },
            _ => {}
        }
        i = i.saturating_add(1);
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            // An object whose member has not started yet: the path is its own.
            Frame::Object { key: None, .. } => break,
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The index just past the string starting at `start` (an opening quote).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start.saturating_add(1);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i = i.saturating_add(2),
            b'"' => return i.saturating_add(1),
            _ => i = i.saturating_add(1),
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::path_at;

    fn at(json: &str, marker: &str) -> String {
        path_at(json, json.find(marker).unwrap() + marker.len())
    }

    #[test]
    fn paths_through_objects_and_arrays() {
        let json = r#"{"ticket":{"comments":[{"id":1},{"id":{"x":1}}],"a\"b":true}}"#;
        assert_eq!(at(json, r#"{"id":{"#), "ticket.comments[1].id");
        assert_eq!(at(json, r#"{"id":1"#), "ticket.comments[0].id");
        assert_eq!(at(json, "true"), "ticket.a\"b");
        assert_eq!(path_at(json, 0), ".");
        assert_eq!(path_at(json, 1), ".");
        assert_eq!(path_at("[1,2,3]", 5), "[2]");
        assert_eq!(path_at(r#"{"a":"x,y","b":[]}"#, 9), "a");
    }
}
