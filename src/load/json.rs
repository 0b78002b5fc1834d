//! JSON text to a JSON value, with the two checks `serde_json` does not make:
//! nesting beyond a configured depth and duplicate object keys.
//!
//! A first pass over the bytes (iterative, no value built) tracks the open
//! brackets and the keys of every open object. A bracket that opens a level
//! beyond the limit stops it at once, so that `serde_json`, whose parser
//! recurses once per level and whose own limit of 128 levels is switched
//! off here, only ever sees a document it can take apart safely. A repeated
//! key is noted and reported after `serde_json` has checked the syntax, so
//! a malformed document gets its syntax error, not a guess.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

/// Why JSON text was refused, with a 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// Whether the document nests deeper than the limit (not a syntax error).
    pub too_deep: bool,
}

/// Parses JSON text, refusing nesting deeper than `max_depth` levels of
/// objects and arrays (the top level is level 1) and duplicate keys.
pub fn parse_json(text: &str, max_depth: usize) -> Result<Value, JsonError> {
    let scan = scan(text, max_depth);
    if let Some(offset) = scan.too_deep {
        let (line, column) = line_col(text, offset);
        return Err(JsonError {
            line,
            column,
            message: format!("nesting deeper than {max_depth} levels"),
            too_deep: true,
        });
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // Safe: the scan above bounds the depth, hence the recursion.
    deserializer.disable_recursion_limit();
    let parsed = Value::deserialize(&mut deserializer).and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    let value = parsed.map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; the position is kept apart.
        let message = match message.rfind(" at line ") {
            Some(i) => message.get(..i).unwrap_or(&message).to_string(),
            None => message,
        };
        JsonError {
            line: e.line(),
            column: e.column(),
            message,
            too_deep: false,
        }
    })?;
    if let Some(duplicate) = scan.duplicate {
        let (line, column) = line_col(text, duplicate.offset);
        let (first_line, _) = line_col(text, duplicate.first_offset);
        return Err(JsonError {
            line,
            column,
            message: format!(
                "duplicate key {:?} (first at line {first_line})",
                duplicate.key
            ),
            too_deep: false,
        });
    }
    Ok(value)
}

/// A key met twice in one object.
struct Duplicate {
    key: String,
    /// Byte offset of the second occurrence's opening quote.
    offset: usize,
    /// Byte offset of the first one's.
    first_offset: usize,
}

/// What the first pass found.
struct Scan {
    /// Byte offset of the first bracket beyond the depth limit.
    too_deep: Option<usize>,
    /// The first repeated key, in text order.
    duplicate: Option<Duplicate>,
}

/// Keys an object holds before they are looked up in a map instead of
/// one by one (most objects have a handful).
const SMALL_OBJECT: usize = 16;

/// An open bracket.
enum Open<'t> {
    Array,
    Object {
        /// Where this object's keys start in [`Keys::list`] (the keys of a
        /// small object; those of a large one are in `map`).
        first: usize,
        /// The keys of a large object → byte offset of their opening quote.
        map: Option<HashMap<Cow<'t, str>, usize>>,
        /// Whether the next string is a key (after `{` or `,`).
        expect_key: bool,
    },
}

/// The keys of the open small objects, innermost last, each with the byte
/// offset of its opening quote: one list for all, so that an object costs
/// no allocation of its own.
#[derive(Default)]
struct Keys<'t> {
    list: Vec<(Cow<'t, str>, usize)>,
}

impl<'t> Keys<'t> {
    /// Records `key` (at `offset`) in the innermost object; the offset of
    /// its earlier occurrence if it is there already.
    fn add(
        &mut self,
        first: usize,
        map: &mut Option<HashMap<Cow<'t, str>, usize>>,
        key: Cow<'t, str>,
        offset: usize,
    ) -> Option<usize> {
        if let Some(map) = map {
            if let Some(&earlier) = map.get(&key) {
                return Some(earlier);
            }
            map.insert(key, offset);
            return None;
        }
        let own = self.list.get(first..).unwrap_or_default();
        if let Some((_, earlier)) = own.iter().find(|(k, _)| *k == key) {
            return Some(*earlier);
        }
        if own.len() >= SMALL_OBJECT {
            let mut large: HashMap<Cow<'t, str>, usize> = self.list.drain(first..).collect();
            large.insert(key, offset);
            *map = Some(large);
        } else {
            self.list.push((key, offset));
        }
        None
    }
}

/// The first pass: brackets, strings and keys; everything else is left to
/// `serde_json`. It never fails: on malformed text it finds what it can.
fn scan(text: &str, max_depth: usize) -> Scan {
    let bytes = text.as_bytes();
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut keys = Keys::default();
    let mut duplicate: Option<Duplicate> = None;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'{' | b'[' => {
                if stack.len() >= max_depth {
                    return Scan {
                        too_deep: Some(i),
                        duplicate,
                    };
                }
                stack.push(if byte == b'{' {
                    Open::Object {
                        first: keys.list.len(),
                        map: None,
                        expect_key: true,
                    }
                } else {
                    Open::Array
                });
            }
            b'}' | b']' => {
                if let Some(Open::Object { first, .. }) = stack.pop() {
                    keys.list.truncate(first);
                }
            }
            b',' | b':' => {
                if let Some(Open::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = byte == b',';
                }
            }
            b'"' => {
                let start = i;
                let mut escaped = false;
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    match b {
                        b'\\' => {
                            escaped = true;
                            i += 1;
                        }
                        b'"' => break,
                        _ => {}
                    }
                    i += 1;
                }
                // `i` is at the closing quote (or past the end).
                if let Some(Open::Object {
                    first,
                    map,
                    expect_key,
                }) = stack.last_mut()
                    && *expect_key
                {
                    *expect_key = false;
                    if duplicate.is_none()
                        && let Some(key) = key_text(text, start, i, escaped)
                        && let Some(first_offset) = keys.add(*first, map, key.clone(), start)
                    {
                        duplicate = Some(Duplicate {
                            key: key.into_owned(),
                            offset: start,
                            first_offset,
                        });
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Scan {
        too_deep: None,
        duplicate,
    }
}

/// The text of the key whose quotes are at byte offsets `start` and `end`,
/// escapes decoded; `None` when it is malformed (`serde_json` reports it).
fn key_text(text: &str, start: usize, end: usize, escaped: bool) -> Option<Cow<'_, str>> {
    if escaped {
        let quoted = text.get(start..=end)?;
        serde_json::from_str::<String>(quoted).ok().map(Cow::Owned)
    } else {
        text.get(start + 1..end).map(Cow::Borrowed)
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_like_serde_json() {
        let text = r#"{"a": [1, {"b": "x\"y"}], "c": null, "d": "{["}"#;
        assert_eq!(
            parse_json(text, 128).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn depth_limit_counts_objects_and_arrays() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse_json(&nested(5), 5).is_ok());
        let e = parse_json(&nested(6), 5).unwrap_err();
        assert_eq!((e.line, e.column, e.too_deep), (1, 6, true));
        assert_eq!(e.message, "nesting deeper than 5 levels");
        // Beyond serde_json's own limit of 128 when allowed (not much
        // beyond: a test thread's stack is 2 MB).
        assert!(parse_json(&nested(200), 200).is_ok());
        // Brackets inside strings do not count.
        assert!(parse_json(r#"{"a": "[[[[[[[[", "b": "\\"}"#, 1).is_ok());
        // Far deeper input is refused without recursion.
        let e = parse_json(&"[".repeat(10_000_000), 128).unwrap_err();
        assert_eq!(e.column, 129);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let e = parse_json("{\n  \"a\": 1,\n  \"b\": {\"a\": 2},\n  \"a\": 3\n}", 128).unwrap_err();
        assert_eq!((e.line, e.column), (4, 3));
        assert_eq!(e.message, r#"duplicate key "a" (first at line 2)"#);
        assert!(!e.too_deep);
        // Escapes are decoded before comparing.
        let e = parse_json(r#"{"ab": 1, "a\u0062": 2}"#, 128).unwrap_err();
        assert_eq!(e.message, r#"duplicate key "ab" (first at line 1)"#);
        // The same key in different objects is fine.
        assert_eq!(
            parse_json(r#"[{"a": 1}, {"a": 2}]"#, 128).unwrap(),
            json!([{"a": 1}, {"a": 2}])
        );
    }

    #[test]
    fn duplicates_in_large_objects_and_after_nested_ones() {
        // A nested object's keys are its own, before and after it closes.
        let text = r#"{"a": 1, "b": {"c": 1, "a": 2}, "c": 3, "d": {"c": 4}}"#;
        assert!(parse_json(text, 128).is_ok());
        // Past the small-object size the keys move to a map: a repeat is
        // still found, whether its first occurrence came before or after.
        for repeat in [0, 5, 19] {
            let mut members: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
            members.insert(30, format!("\"k{repeat}\": true"));
            let text = format!("{{\n{}\n}}", members.join(",\n"));
            let e = parse_json(&text, 128).unwrap_err();
            assert_eq!(e.line, 32, "{repeat}");
            assert_eq!(
                e.message,
                format!("duplicate key \"k{repeat}\" (first at line {})", repeat + 2)
            );
        }
        let members: Vec<String> = (0..40)
            .map(|i| format!("\"k{i}\": {{\"k{i}\": 1}}"))
            .collect();
        assert!(parse_json(&format!("{{{}}}", members.join(",")), 128).is_ok());
    }

    #[test]
    fn syntax_errors_come_before_duplicates() {
        let e = parse_json(r#"{"a": 1, "a": 2"#, 128).unwrap_err();
        assert!(e.message.starts_with("EOF"), "{}", e.message);
    }
}
