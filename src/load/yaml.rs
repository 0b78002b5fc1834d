//! YAML 1.2 (core schema) to JSON value, built from `yaml-rust2` parser events.
//!
//! We do not go through `yaml_rust2::Yaml` because we need mapping key order,
//! duplicate-key detection and source positions for errors, and we do not use
//! `serde_yaml` because it rejects integers that overflow 64 bits instead of
//! reading them as floats.
//!
//! Everything here is iterative: the parser is driven event by event (its own
//! `load` recurses once per nesting level) and the value under construction is
//! an explicit stack of containers. Nesting is capped (by default at
//! [`DEFAULT_MAX_DEPTH`](super::DEFAULT_MAX_DEPTH) levels), which also bounds
//! the recursion of `serde_json::Value`'s drop and clone.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

/// Most nodes that alias expansion may copy in one document ("billion laughs" guard).
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Prefix of the YAML core schema tags (`!!str` is `tag:yaml.org,2002:str`).
const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// A YAML syntax or structure error with a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What went wrong.
    pub message: String,
    /// Whether the document nests deeper than the limit (not a syntax error).
    pub too_deep: bool,
}

impl YamlError {
    fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        YamlError {
            line,
            column,
            message: message.into(),
            too_deep: false,
        }
    }

    /// yaml-rust2 markers have 1-based lines and 0-based columns.
    fn at(mark: Marker, message: impl Into<String>) -> Self {
        YamlError::new(mark.line().max(1), mark.col() + 1, message)
    }

    fn from_scan(error: &ScanError) -> Self {
        if error.info() == "recursion limit exceeded" {
            // yaml-rust2 counts flow levels in a u8.
            return YamlError::at(
                *error.marker(),
                "flow collections (`[...]`, `{...}`) nest deeper than 255 levels, \
                 the most the YAML reader supports (block style has no such limit)",
            );
        }
        YamlError::at(*error.marker(), error.info())
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for YamlError {}

/// Parses one YAML document (YAML 1.2 core schema) into a JSON value, keeping mapping key order.
///
/// # Errors
/// Returns a [`YamlError`] for syntax errors, an empty stream, several documents,
/// non-scalar or duplicate mapping keys, unknown aliases, unsupported tags,
/// values that do not fit their tag, and nesting deeper than
/// [`DEFAULT_MAX_DEPTH`](super::DEFAULT_MAX_DEPTH) levels.
pub fn parse_yaml(text: &str) -> Result<Value, YamlError> {
    parse_yaml_with_depth(text, super::DEFAULT_MAX_DEPTH)
}

/// [`parse_yaml`] with another nesting limit: at most `max_depth` levels of
/// sequences and mappings (the top level is level 1).
pub fn parse_yaml_with_depth(text: &str, max_depth: usize) -> Result<Value, YamlError> {
    // The scanner does not skip a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        max_depth,
        ..Builder::default()
    };
    // Drive the parser ourselves rather than through `Parser::load`, which
    // recurses per nesting level and cannot be stopped by the receiver.
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError::from_scan(&e))?;
        let end = matches!(event, Event::StreamEnd);
        builder.on_event(event, mark);
        if let Some(error) = builder.error.take() {
            return Err(error);
        }
        if end {
            break;
        }
    }
    builder
        .root
        .ok_or_else(|| YamlError::new(1, 1, "empty document"))
}

/// A value kept for an anchor, to be copied by its aliases.
struct Anchored {
    value: Value,
    /// The scalar's source text, used when the alias is a mapping key.
    key_text: Option<String>,
    /// Container levels inside the value (0 for a scalar).
    height: usize,
    /// Nodes in the value, counting itself.
    nodes: usize,
}

/// An open sequence or mapping.
enum Container {
    Seq(Vec<Value>),
    Map {
        map: Map<String, Value>,
        /// Line of each key, for duplicate-key errors.
        key_lines: HashMap<String, usize>,
        /// The key whose value comes next.
        pending_key: Option<String>,
    },
}

struct Frame {
    container: Container,
    anchor: usize,
    /// Greatest `height` among the children.
    child_height: usize,
    /// Nodes so far, counting the container itself.
    nodes: usize,
}

/// Builds the document from parser events; the first error stops it.
#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    root: Option<Value>,
    documents: usize,
    alias_nodes: usize,
    error: Option<YamlError>,
    /// Deepest nesting accepted.
    max_depth: usize,
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_none()
            && let Err(error) = self.handle(event, mark)
        {
            self.error = Some(error);
        }
    }
}

impl Builder {
    fn handle(&mut self, event: Event, mark: Marker) -> Result<(), YamlError> {
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlError::at(
                        mark,
                        "expected one YAML document, found several",
                    ));
                }
                Ok(())
            }
            Event::Alias(id) => self.alias(id, mark),
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(text, style, anchor, tag.as_ref(), mark)
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(Container::Seq(Vec::new()), anchor, tag.as_ref(), mark)
            }
            Event::MappingStart(anchor, tag) => {
                let map = Container::Map {
                    map: Map::new(),
                    key_lines: HashMap::new(),
                    pending_key: None,
                };
                self.open(map, anchor, tag.as_ref(), mark)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(mark),
        }
    }

    /// Whether the next node is a mapping key.
    fn awaiting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                container: Container::Map {
                    pending_key: None,
                    ..
                },
                ..
            })
        )
    }

    fn scalar(
        &mut self,
        text: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mark: Marker,
    ) -> Result<(), YamlError> {
        if self.awaiting_key() {
            // A key is its source text; the tag is still checked.
            if anchor != 0 || tag.is_some() {
                let value = resolve_scalar(text.clone(), style, tag, mark)?;
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Anchored {
                            value,
                            key_text: Some(text.clone()),
                            height: 0,
                            nodes: 1,
                        },
                    );
                }
            }
            return self.push_key(text, mark);
        }
        if anchor == 0 {
            let value = resolve_scalar(text, style, tag, mark)?;
            self.push_value(value, 0, 1);
        } else {
            let value = resolve_scalar(text.clone(), style, tag, mark)?;
            self.anchors.insert(
                anchor,
                Anchored {
                    value: value.clone(),
                    key_text: Some(text),
                    height: 0,
                    nodes: 1,
                },
            );
            self.push_value(value, 0, 1);
        }
        Ok(())
    }

    fn alias(&mut self, id: usize, mark: Marker) -> Result<(), YamlError> {
        let awaiting_key = self.awaiting_key();
        let depth = self.stack.len();
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(YamlError::at(
                mark,
                "alias refers to an unknown anchor (or to a node that contains it)",
            ));
        };
        if awaiting_key {
            let Some(key) = anchored.key_text.clone() else {
                return Err(YamlError::at(
                    mark,
                    "mapping key must be a scalar, found an alias to a collection",
                ));
            };
            return self.push_key(key, mark);
        }
        if depth + anchored.height > self.max_depth {
            return Err(depth_error(mark, self.max_depth));
        }
        self.alias_nodes = self.alias_nodes.saturating_add(anchored.nodes);
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(YamlError::at(
                mark,
                format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
            ));
        }
        let (value, height, nodes) = (anchored.value.clone(), anchored.height, anchored.nodes);
        self.push_value(value, height, nodes);
        Ok(())
    }

    fn open(
        &mut self,
        container: Container,
        anchor: usize,
        tag: Option<&Tag>,
        mark: Marker,
    ) -> Result<(), YamlError> {
        let (kind, core) = match container {
            Container::Seq(_) => ("sequence", CoreTag::Seq),
            Container::Map { .. } => ("mapping", CoreTag::Map),
        };
        if self.awaiting_key() {
            return Err(YamlError::at(
                mark,
                format!("mapping key must be a scalar, found a {kind}"),
            ));
        }
        if let Some(tag) = tag {
            match core_tag(tag) {
                Some(found) if found == core || found == CoreTag::NonSpecific => {}
                Some(_) => {
                    return Err(YamlError::at(
                        mark,
                        format!("YAML tag {} cannot be used on a {kind}", tag_name(tag)),
                    ));
                }
                None => return Err(unsupported_tag(tag, mark)),
            }
        }
        if self.stack.len() >= self.max_depth {
            return Err(depth_error(mark, self.max_depth));
        }
        self.stack.push(Frame {
            container,
            anchor,
            child_height: 0,
            nodes: 1,
        });
        Ok(())
    }

    fn close(&mut self, mark: Marker) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Err(YamlError::at(mark, "unbalanced end of collection"));
        };
        let value = match frame.container {
            Container::Seq(items) => Value::Array(items),
            Container::Map {
                mut map,
                pending_key,
                ..
            } => {
                // The parser always pairs keys with values; be lenient anyway.
                if let Some(key) = pending_key {
                    map.insert(key, Value::Null);
                }
                Value::Object(map)
            }
        };
        let height = frame.child_height + 1;
        if frame.anchor != 0 {
            self.anchors.insert(
                frame.anchor,
                Anchored {
                    value: value.clone(),
                    key_text: None,
                    height,
                    nodes: frame.nodes,
                },
            );
        }
        self.push_value(value, height, frame.nodes);
        Ok(())
    }

    /// Records a mapping key, rejecting duplicates.
    fn push_key(&mut self, key: String, mark: Marker) -> Result<(), YamlError> {
        if let Some(Frame {
            container:
                Container::Map {
                    key_lines,
                    pending_key,
                    ..
                },
            ..
        }) = self.stack.last_mut()
        {
            if let Some(first) = key_lines.get(&key) {
                return Err(YamlError::at(
                    mark,
                    format!("duplicate key {key:?} (first at line {first})"),
                ));
            }
            key_lines.insert(key.clone(), mark.line().max(1));
            *pending_key = Some(key);
        }
        Ok(())
    }

    /// Adds a finished node to the open container, or makes it the document.
    fn push_value(&mut self, value: Value, height: usize, nodes: usize) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(value);
            return;
        };
        frame.child_height = frame.child_height.max(height);
        frame.nodes = frame.nodes.saturating_add(nodes);
        match &mut frame.container {
            Container::Seq(items) => items.push(value),
            Container::Map {
                map, pending_key, ..
            } => {
                // `awaiting_key` routes keys to `push_key`, so a key is pending here.
                if let Some(key) = pending_key.take() {
                    map.insert(key, value);
                }
            }
        }
    }
}

fn depth_error(mark: Marker, max_depth: usize) -> YamlError {
    YamlError {
        too_deep: true,
        ..YamlError::at(mark, format!("nesting deeper than {max_depth} levels"))
    }
}

/// The tags we understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CoreTag {
    Str,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
    /// `!`: "not a plain scalar", i.e. a string for scalars.
    NonSpecific,
}

fn core_tag(tag: &Tag) -> Option<CoreTag> {
    let full = format!("{}{}", tag.handle, tag.suffix);
    if full == "!" {
        return Some(CoreTag::NonSpecific);
    }
    Some(match full.strip_prefix(CORE_TAG_PREFIX)? {
        "str" => CoreTag::Str,
        "int" => CoreTag::Int,
        "float" => CoreTag::Float,
        "bool" => CoreTag::Bool,
        "null" => CoreTag::Null,
        "seq" => CoreTag::Seq,
        "map" => CoreTag::Map,
        _ => return None,
    })
}

/// The tag as it would be written in the source.
fn tag_name(tag: &Tag) -> String {
    let full = format!("{}{}", tag.handle, tag.suffix);
    if let Some(rest) = full.strip_prefix(CORE_TAG_PREFIX) {
        format!("!!{rest}")
    } else if tag.handle == "!" || full == "!" {
        full
    } else {
        format!("!<{full}>")
    }
}

fn unsupported_tag(tag: &Tag, mark: Marker) -> YamlError {
    YamlError::at(mark, format!("unsupported YAML tag {}", tag_name(tag)))
}

/// Turns a scalar into a value: plain untagged scalars by the core schema,
/// tagged ones by their tag, everything else as a string.
fn resolve_scalar(
    text: String,
    style: TScalarStyle,
    tag: Option<&Tag>,
    mark: Marker,
) -> Result<Value, YamlError> {
    let Some(tag) = tag else {
        return Ok(match style {
            TScalarStyle::Plain => resolve_plain(text),
            _ => Value::String(text),
        });
    };
    let Some(core) = core_tag(tag) else {
        return Err(unsupported_tag(tag, mark));
    };
    let resolved = match core {
        CoreTag::Str | CoreTag::NonSpecific => Some(Value::String(text.clone())),
        CoreTag::Null => is_null(&text).then_some(Value::Null),
        CoreTag::Bool => parse_bool(&text).map(Value::Bool),
        CoreTag::Int => parse_int(&text),
        CoreTag::Float => {
            if is_special_float(&text) {
                Some(Value::String(text.clone()))
            } else if is_float_syntax(&text) {
                // Numbers too large for f64 stay as written, like `.inf`.
                Some(float_value(&text).unwrap_or_else(|| Value::String(text.clone())))
            } else {
                None
            }
        }
        CoreTag::Seq | CoreTag::Map => {
            return Err(YamlError::at(
                mark,
                format!("YAML tag {} cannot be used on a scalar", tag_name(tag)),
            ));
        }
    };
    resolved.ok_or_else(|| {
        YamlError::at(
            mark,
            format!("invalid value {text:?} for YAML tag {}", tag_name(tag)),
        )
    })
}

/// The YAML 1.2 core schema for untagged plain scalars.
fn resolve_plain(text: String) -> Value {
    if is_null(&text) {
        return Value::Null;
    }
    if let Some(b) = parse_bool(&text) {
        return Value::Bool(b);
    }
    if let Some(n) = parse_int(&text) {
        return n;
    }
    if is_float_syntax(&text)
        && let Some(f) = float_value(&text)
    {
        return f;
    }
    // Everything else, including `.inf`/`.nan` (JSON has no such numbers),
    // numbers too large for f64, and dates, stays a string.
    Value::String(text)
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`. Integers that do not fit in
/// 64 bits become floats; `None` if the text is not an integer (or is too large
/// even for a finite f64).
fn parse_int(s: &str) -> Option<Value> {
    if let Some(digits) = s.strip_prefix("0x") {
        return parse_radix(digits, 16);
    }
    if let Some(digits) = s.strip_prefix("0o") {
        return parse_radix(digits, 8);
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Ok(i) = s.parse::<i64>() {
        return Some(Value::from(i));
    }
    if let Ok(u) = unsigned.parse::<u64>()
        && !s.starts_with('-')
    {
        return Some(Value::from(u));
    }
    float_value(s)
}

fn parse_radix(digits: &str, radix: u32) -> Option<Value> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    if let Ok(u) = u64::from_str_radix(digits, radix) {
        return Some(Value::from(u));
    }
    let f = digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .fold(0.0_f64, |acc, d| acc * f64::from(radix) + f64::from(d));
    Number::from_f64(f).map(Value::Number)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float_syntax(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (s.get(..i).unwrap_or(""), s.get(i + 1..)),
        None => (s, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            all_digits(int) && all_digits(frac) && (!int.is_empty() || !frac.is_empty())
        }
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && all_digits(e)
        }
    };
    mantissa_ok && exponent_ok
}

/// `[-+]?.inf` and `.nan` in the case variants of the core schema.
fn is_special_float(s: &str) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN")
}

/// A finite f64 as a JSON number; `None` if it overflows.
fn float_value(s: &str) -> Option<Value> {
    let f = s.parse::<f64>().ok()?;
    Number::from_f64(f).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> Value {
        match parse_yaml(text) {
            Ok(v) => v,
            Err(e) => panic!("unexpected error for {text:?}: {e}"),
        }
    }

    fn error(text: &str) -> YamlError {
        match parse_yaml(text) {
            Ok(v) => panic!("expected an error for {text:?}, got {v}"),
            Err(e) => e,
        }
    }

    /// The value of key `v` in `v: <text>`.
    fn scalar(text: &str) -> Value {
        parse(&format!("v: {text}\n"))["v"].clone()
    }

    #[test]
    fn display_format() {
        let e = YamlError::new(3, 7, "boom");
        assert_eq!(e.to_string(), "line 3, column 7: boom");
    }

    #[test]
    fn nulls_and_bools() {
        for s in ["null", "Null", "NULL", "~", ""] {
            assert_eq!(scalar(s), Value::Null, "{s}");
        }
        for s in ["true", "True", "TRUE"] {
            assert_eq!(scalar(s), json!(true), "{s}");
        }
        for s in ["false", "False", "FALSE"] {
            assert_eq!(scalar(s), json!(false), "{s}");
        }
        // YAML 1.1 booleans are strings in 1.2.
        for s in ["yes", "no", "on", "off", "tRUE", "nULL"] {
            assert_eq!(scalar(s), json!(s), "{s}");
        }
    }

    #[test]
    fn integers() {
        assert_eq!(scalar("0"), json!(0));
        assert_eq!(scalar("-17"), json!(-17));
        assert_eq!(scalar("+5"), json!(5));
        assert_eq!(scalar("007"), json!(7));
        assert_eq!(scalar("9223372036854775807"), json!(i64::MAX));
        assert_eq!(scalar("-9223372036854775808"), json!(i64::MIN));
        assert_eq!(scalar("18446744073709551615"), json!(u64::MAX));
        assert!(scalar("42").is_i64());
        assert_eq!(scalar("0o17"), json!(15));
        assert_eq!(scalar("0x1F"), json!(31));
        assert_eq!(scalar("0xff"), json!(255));
        // Not integers in the core schema.
        for s in ["0x", "0xG1", "0o8", "-0x1", "1_000", "0b101", "1,000"] {
            assert_eq!(scalar(s), json!(s), "{s}");
        }
    }

    #[test]
    fn big_integers_become_floats() {
        let v = scalar("-9223372036854776000");
        assert!(v.is_f64(), "{v:?}");
        assert_eq!(v.as_f64(), Some(-9.223_372_036_854_776e18));
        assert_eq!(
            scalar("18446744073709551616").as_f64(),
            Some(18_446_744_073_709_551_616.0)
        );
        assert_eq!(
            scalar("0x10000000000000000").as_f64(),
            Some(18_446_744_073_709_551_616.0)
        );
        // Too large even for f64: kept as written.
        let huge = format!("1{}", "0".repeat(400));
        assert_eq!(scalar(&huge), json!(huge));
    }

    #[test]
    fn floats() {
        assert_eq!(scalar(".5"), json!(0.5));
        assert_eq!(scalar("1e3"), json!(1000.0));
        assert!(scalar("1e3").is_f64());
        assert_eq!(scalar("1.5"), json!(1.5));
        assert_eq!(scalar("-2.5E-2"), json!(-0.025));
        assert_eq!(scalar("+.5e+1"), json!(5.0));
        assert_eq!(scalar("1."), json!(1.0));
        for s in [".", "1e", "e3", "1.2.3", "1e3.5", "--1", "+", "1 e3"] {
            assert_eq!(scalar(s), json!(s), "{s}");
        }
    }

    #[test]
    fn infinities_and_nan_stay_strings() {
        for s in [
            ".inf", "-.inf", "+.inf", ".Inf", "-.Inf", ".INF", "-.INF", ".nan", ".NaN", ".NAN",
        ] {
            assert_eq!(scalar(s), json!(s), "{s}");
        }
        assert_eq!(scalar("-.inf"), json!("-.inf"));
    }

    #[test]
    fn dates_and_other_plain_text_are_strings() {
        assert_eq!(scalar("2001-12-14"), json!("2001-12-14"));
        assert_eq!(scalar("12:30"), json!("12:30"));
        assert_eq!(scalar("hello world"), json!("hello world"));
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        assert_eq!(scalar("\"123\""), json!("123"));
        assert_eq!(scalar("'1e3'"), json!("1e3"));
        assert_eq!(scalar("'true'"), json!("true"));
        assert_eq!(scalar("\"null\""), json!("null"));
        assert_eq!(scalar("''"), json!(""));
        assert_eq!(parse("v: |\n  42\n")["v"], json!("42\n"));
        assert_eq!(parse("v: >-\n  0x1F\n")["v"], json!("0x1F"));
    }

    #[test]
    fn key_order_is_kept() {
        let v = parse("zeta: 1\nalpha: 2\nmid: {b: 1, a: 2}\n");
        let keys: Vec<&String> = v
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["zeta", "alpha", "mid"]);
        assert_eq!(
            serde_json::to_string(&v["mid"]).ok(),
            Some(r#"{"b":1,"a":2}"#.to_string())
        );
    }

    #[test]
    fn keys_are_source_text() {
        let v = parse("200: ok\ntrue: t\n~: n\n1.50: f\n\"q\": 1\n: empty\n");
        assert_eq!(
            v,
            json!({"200": "ok", "true": "t", "~": "n", "1.50": "f", "q": 1, "": "empty"})
        );
    }

    #[test]
    fn non_scalar_keys_are_errors() {
        let e = error("a: 1\n? [x, y]\n: 2\n");
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.contains("mapping key must be a scalar"), "{e}");
        let e = error("{? {a: 1} : 2}\n");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("found a mapping"), "{e}");
        let e = error("x: &s [1]\n*s : 2\n");
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("alias to a collection"), "{e}");
    }

    #[test]
    fn duplicate_key() {
        let e = error("name: a\nother: b\nname: c\n");
        assert_eq!(
            e,
            YamlError::new(3, 1, "duplicate key \"name\" (first at line 1)")
        );
        let e = error("outer:\n  x: 1\n\n  y: 2\n  x: 3\n");
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (5, 3, "duplicate key \"x\" (first at line 2)")
        );
        // Same text in different styles is the same key.
        let e = error("a: 1\n'a': 2\n");
        assert_eq!(e.line, 2);
        // Same key in different mappings is fine.
        assert_eq!(
            parse("a: {x: 1}\nb: {x: 2}\n"),
            json!({"a": {"x": 1}, "b": {"x": 2}})
        );
    }

    #[test]
    fn marker_lines_and_columns_are_one_based() {
        // yaml-rust2 reports 1-based lines and 0-based columns.
        let e = error("a: 1\nb: [1, 2\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.column, 1);
        let e = error("key: \"unterminated\n");
        assert_eq!((e.line, e.column), (1, 6));
        assert!(e.message.contains("quoted scalar"), "{e}");
    }

    #[test]
    fn tab_indentation_error_position() {
        let e = error("a:\n\tb: 1\n");
        // The scanner points just after the tab, at `b`.
        assert_eq!((e.line, e.column), (2, 2));
        assert!(e.message.contains("tabs"), "{e}");
        let e = error("a: 1\n  b: 2\n\tc: 3\n");
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn anchors_and_aliases() {
        let v = parse(
            "base: &b {x: 1, y: [a, b]}\ncopy: *b\nn: &n 5\nm: *n\n&k key: v\nalias_key: {*k : 1}\n",
        );
        assert_eq!(v["copy"], json!({"x": 1, "y": ["a", "b"]}));
        assert_eq!(v["m"], json!(5));
        assert_eq!(v["alias_key"], json!({"key": 1}));
        // A redefined anchor: later aliases see the new value.
        assert_eq!(parse("- &a 1\n- *a\n- &a 2\n- *a\n"), json!([1, 1, 2, 2]));
        // Merge keys are ordinary keys.
        assert_eq!(
            parse("a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n")["b"],
            json!({"<<": {"x": 1}, "y": 2})
        );
    }

    #[test]
    fn unknown_alias() {
        let e = error("a: 1\nb: *nope\n");
        assert_eq!((e.line, e.column), (2, 4));
        assert!(e.message.contains("unknown anchor"), "{e}");
        // An alias inside its own anchor.
        let e = error("a: &x [1, *x]\n");
        assert!(e.message.contains("unknown anchor"), "{e}");
    }

    #[test]
    fn alias_bomb_is_stopped() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = error(&text);
        assert!(e.message.contains("aliases expand to more than"), "{e}");
    }

    #[test]
    fn core_tags() {
        assert_eq!(scalar("!!str 123"), json!("123"));
        assert_eq!(scalar("!!str"), json!(""));
        assert_eq!(scalar("!!str true"), json!("true"));
        assert_eq!(scalar("!!int \"42\""), json!(42));
        assert_eq!(scalar("!!int 0x1F"), json!(31));
        assert_eq!(scalar("!!float 1"), json!(1.0));
        assert!(scalar("!!float 1").is_f64());
        assert_eq!(scalar("!!float '-.inf'"), json!("-.inf"));
        assert_eq!(scalar("!!bool 'True'"), json!(true));
        assert_eq!(scalar("!!null ''"), Value::Null);
        assert_eq!(scalar("!<tag:yaml.org,2002:str> 7"), json!("7"));
        assert_eq!(scalar("! 7"), json!("7"));
        assert_eq!(parse("!!map {a: !!seq [1]}\n"), json!({"a": [1]}));
        assert_eq!(parse("!!str 200: x\n"), json!({"200": "x"}));
    }

    #[test]
    fn bad_tag_values_are_errors() {
        let e = error("a: 1\nb: !!int 12abc\n");
        // Tagged scalars are positioned at their text, after the tag.
        assert_eq!((e.line, e.column), (2, 10));
        assert_eq!(e.message, "invalid value \"12abc\" for YAML tag !!int");
        for text in ["v: !!float x\n", "v: !!bool yes\n", "v: !!null 0\n"] {
            let e = error(text);
            assert_eq!(e.line, 1, "{text}");
            assert!(e.message.starts_with("invalid value"), "{e}");
        }
        let e = error("!!int 1x: v\n");
        assert!(e.message.starts_with("invalid value"), "{e}");
        let e = error("v: !!seq {a: 1}\n");
        assert!(e.message.contains("cannot be used on a mapping"), "{e}");
        let e = error("v: !!map abc\n");
        assert!(e.message.contains("cannot be used on a scalar"), "{e}");
    }

    #[test]
    fn unsupported_tags() {
        let e = error("a: 1\nb: !custom x\n");
        assert_eq!(e, YamlError::new(2, 12, "unsupported YAML tag !custom"));
        let e = error("v: !!binary aGVsbG8=\n");
        assert_eq!(e.message, "unsupported YAML tag !!binary");
        let e = error("v: !!set {a, b}\n");
        assert_eq!(e.message, "unsupported YAML tag !!set");
        let e = error("v: !<tag:example.com,2000:x> 1\n");
        assert_eq!(e.message, "unsupported YAML tag !<tag:example.com,2000:x>");
    }

    #[test]
    fn empty_stream() {
        for text in ["", "\n\n", "# only a comment\n", "  # c\n# d"] {
            assert_eq!(
                parse_yaml(text),
                Err(YamlError::new(1, 1, "empty document")),
                "{text:?}"
            );
        }
        // An explicit empty document is a null, not an empty stream.
        assert_eq!(parse("---\n"), Value::Null);
    }

    #[test]
    fn several_documents() {
        let e = error("a: 1\n---\nb: 2\n");
        assert_eq!(
            e,
            YamlError::new(2, 1, "expected one YAML document, found several")
        );
        let e = error("a: 1\n...\nb: 2\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "expected one YAML document, found several");
        // One document with explicit markers is fine.
        assert_eq!(parse("---\na: 1\n...\n"), json!({"a": 1}));
    }

    #[test]
    fn errors_after_the_document_are_reported() {
        let e = error("  - a\n - b\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        assert_eq!(parse("\u{feff}a: 1\n"), json!({"a": 1}));
    }

    /// `n` nested block sequences around `x`: `- - - x`.
    fn nested_block(n: usize) -> String {
        format!("{}x\n", "- ".repeat(n))
    }

    /// The limit the nesting tests use.
    const MAX_DEPTH: usize = 2_000;

    fn deep_error(text: &str) -> YamlError {
        parse_yaml_with_depth(text, MAX_DEPTH).unwrap_err()
    }

    #[test]
    fn nesting_limit() {
        let mut v = &parse_yaml_with_depth(&nested_block(MAX_DEPTH), MAX_DEPTH).unwrap();
        let mut depth = 0;
        while let Some(inner) = v.as_array().and_then(|a| a.first()) {
            v = inner;
            depth += 1;
        }
        assert_eq!((depth, v), (MAX_DEPTH, &json!("x")));

        let e = deep_error(&nested_block(MAX_DEPTH + 1));
        assert_eq!(
            e,
            YamlError {
                too_deep: true,
                ..YamlError::new(1, 2 * MAX_DEPTH + 1, "nesting deeper than 2000 levels")
            }
        );

        // Far deeper input stops early without overflowing the stack.
        let e = deep_error(&nested_block(1_000_000));
        assert_eq!(e.message, "nesting deeper than 2000 levels");
        let mut block = String::new();
        for i in 0..3_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        assert_eq!(
            deep_error(&block).message,
            "nesting deeper than 2000 levels"
        );
        // The default limit.
        let limit = crate::load::DEFAULT_MAX_DEPTH;
        assert!(parse_yaml(&nested_block(limit)).is_ok());
        assert!(error(&nested_block(limit + 1)).too_deep);
    }

    #[test]
    fn flow_nesting_is_limited_by_the_scanner() {
        // yaml-rust2 counts flow levels in a u8.
        let ok = format!("{}{}", "[".repeat(255), "]".repeat(255));
        assert!(parse_yaml_with_depth(&ok, MAX_DEPTH).is_ok());
        let e = deep_error(&"[".repeat(1_000_000));
        assert_eq!((e.line, e.column), (1, 256));
        assert!(e.message.starts_with("flow collections"), "{}", e.message);
        assert!(!e.too_deep);
    }

    #[test]
    fn aliases_respect_the_nesting_limit() {
        let half = MAX_DEPTH / 2 + 1;
        let text = format!(
            "a: &a\n  {}x\nb:\n  {}*a\n",
            "- ".repeat(half),
            "- ".repeat(half)
        );
        assert_eq!(deep_error(&text).message, "nesting deeper than 2000 levels");
        let text = format!("a: &a\n  {}x\nb:\n  *a\n", "- ".repeat(half));
        assert!(parse_yaml_with_depth(&text, MAX_DEPTH).is_ok());
    }
}
