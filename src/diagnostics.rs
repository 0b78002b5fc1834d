//! Errors and warnings for people: the file, the JSON pointer and the line
//! and column, the source line with a caret under the place, and a hint
//! where one helps.
//!
//! ```text
//! error: spec.yaml:7:13#/components/schemas/A/properties/b/$ref: $ref "#/components/schemas/Pet" points nowhere: …
//!   |
//! 7 |         b: {$ref: '#/components/schemas/Pet'}
//!   |             ^^^^
//!   = hint: did you mean `#/components/schemas/Pets`?
//! ```
//!
//! The first line is the one-line form of the error (its `Display`, with
//! the line and column added where the pointer was found), so editors and
//! CI logs can jump to the place. Warnings are one line each, in the same
//! form. Positions are looked up only here, when something is reported
//! (see [`crate::load::source_map`]); the text of each file is read again
//! from disk unless [`Sources::insert`] gave it.
//!
//! [`Error::render`] and [`render_warning`] are the short ways in; the CLI
//! uses [`render_error`] and [`render_warnings`] with one [`Sources`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Location, escape_pointer_token};
use crate::ir::Diagnostic;
use crate::load::source_map::{self, Located, Match};

/// Widest part of a source line shown, in characters; longer lines (a
/// minified JSON file is one line) are cut around the place with `…`.
const MAX_LINE_WIDTH: usize = 120;

/// Characters kept before the place when a long line is cut.
const CONTEXT_BEFORE: usize = 40;

/// Columns a tab is shown as.
const TAB_WIDTH: usize = 4;

/// The texts of the files messages point into: read from disk when first
/// needed, or given (for a spec that was given in memory, not as a file:
/// never show a line of a file on disk that may hold something else).
#[derive(Debug, Default)]
pub struct Sources {
    files: HashMap<PathBuf, Option<String>>,
}

impl Sources {
    /// No texts yet: every file is read when a message needs it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `text` as the content of `file` instead of reading it.
    pub fn insert(&mut self, file: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(file.into(), Some(text.into()));
    }

    /// The text of `file`; `None` when it cannot be read. Bytes that are
    /// not UTF-8 are replaced (a message may be about exactly that).
    fn text(&mut self, file: &Path) -> Option<&str> {
        self.files
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                let bytes = read_source(file)?;
                Some(match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                })
            })
            .as_deref()
    }
}

/// The bytes of a file to quote from: only a regular file, and only up to
/// the loader's default size limit (a message about `/dev/zero` or a
/// 10 GB file must not read it).
fn read_source(file: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(file).ok()?;
    if !meta.is_file() || meta.len() > crate::load::DEFAULT_MAX_SPEC_BYTES {
        return None;
    }
    std::fs::read(file).ok()
}

impl Error {
    /// The error as the CLI prints it: `error: ` and the one-line form
    /// (with the line and column of a JSON pointer, looked up in the file),
    /// then the source line with a caret and a hint where one helps; no
    /// final newline. Reads the file named by the error again; for a spec
    /// given in memory use [`render_error`] with [`Sources::insert`].
    /// `build.rs` scripts can print it to give the same message as the CLI:
    /// `eprintln!("{}", e.render())`.
    pub fn render(&self) -> String {
        render_error(self, &mut Sources::new())
    }
}

/// Renders an error (see [`Error::render`]) with the texts in `sources`.
pub fn render_error(error: &Error, sources: &mut Sources) -> String {
    match error {
        Error::Syntax {
            file,
            format,
            location,
            message,
        } => {
            let mut out = format!("error: {error}");
            let Some((line, column)) = location.line_col else {
                return out;
            };
            let Some(text) = sources.text(file) else {
                return out;
            };
            // A configuration error's position is the start of the key or
            // value concerned (a span); a parser's is one character.
            let width = if *format == "configuration" {
                Width::Token
            } else {
                Width::Point
            };
            let mut marks = vec![Mark {
                line,
                column,
                width,
                primary: true,
                label: None,
            }];
            let mut notes = Vec::new();
            if let Some((key, first_line)) = duplicate_key(message) {
                marks.push(Mark {
                    line: first_line,
                    column: find_key(text, first_line, &key).unwrap_or(1),
                    width: Width::Token,
                    primary: false,
                    label: Some("the first one".to_string()),
                });
                if let Some(first) = marks.first_mut() {
                    first.width = Width::Token;
                    first.label = Some("again".to_string());
                }
            }
            if *format == "YAML" && (message.contains("tab") || indented_with_tabs(text, line)) {
                notes
                    .push("hint: YAML does not allow tabs for indentation; use spaces".to_string());
            }
            append_snippet(&mut out, text, marks, &notes);
            out
        }
        Error::Spec {
            file,
            location,
            message,
        } => render_spec(file, location, message, sources),
        other => format!("error: {other}"),
    }
}

/// A spec error: the pointer's place is looked up in the file.
fn render_spec(file: &Path, location: &Location, message: &str, sources: &mut Sources) -> String {
    let Some(text) = sources.text(file) else {
        return format!("error: {}{location}: {message}", file.display());
    };
    let located = match location.line_col {
        Some(_) => None,
        None => source_map::locate(file, text, &location.pointer),
    };
    let line_col = location
        .line_col
        .or(located.as_ref().map(|l| (l.line, l.column)));
    let shown = Location {
        pointer: location.pointer.clone(),
        line_col,
    };
    // The snippet belongs to the first line of a message of several (a
    // list of further problems follows it).
    let (head, more) = match message.split_once('\n') {
        Some((head, more)) => (head, Some(more)),
        None => (message, None),
    };
    let mut out = format!("error: {}{shown}: {head}", file.display());
    let Some((line, column)) = line_col else {
        if let Some(more) = more {
            out.push('\n');
            out.push_str(more);
        }
        return out;
    };
    let mut notes = Vec::new();
    if let Some(located) = &located {
        match located.matched {
            Match::Exact => {}
            Match::Rewritten => notes.push(format!(
                "note: written as #{} ({})",
                located.pointer,
                located.document.rewrite_reason()
            )),
            Match::Enclosing => notes.push(format!(
                "note: the pointer is not in the file as written ({}); shown is #{}, which holds it",
                located.document.rewrite_reason(),
                located.pointer
            )),
        }
    }
    if let Some(hint) = located.as_ref().and_then(|l| ref_hint(file, text, l)) {
        notes.push(format!("hint: {hint}"));
    }
    let marks = vec![Mark {
        line,
        column,
        width: Width::Token,
        primary: true,
        label: None,
    }];
    append_snippet(&mut out, text, marks, &notes);
    if let Some(more) = more {
        out.push('\n');
        out.push_str(more);
    }
    out
}

/// One line per warning: `warning: FILE:LINE:COL#POINTER: message`, every
/// pointer looked up in one pass over `file`'s text.
pub fn render_warnings(file: &Path, warnings: &[Diagnostic], sources: &mut Sources) -> Vec<String> {
    if warnings.is_empty() {
        return Vec::new();
    }
    let located = match sources.text(file) {
        Some(text) => {
            let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
            source_map::locate_all(file, text, &pointers)
        }
        None => Vec::new(),
    };
    warnings
        .iter()
        .enumerate()
        .map(|(i, warning)| {
            let location = Location {
                pointer: warning.pointer.clone(),
                line_col: located
                    .get(i)
                    .and_then(Option::as_ref)
                    .map(|l| (l.line, l.column)),
            };
            format!("warning: {}{location}: {}", file.display(), warning.message)
        })
        .collect()
}

/// One warning as the CLI prints it (see [`render_warnings`], which reads
/// the file once for many).
pub fn render_warning(file: &Path, warning: &Diagnostic) -> String {
    render_warnings(file, std::slice::from_ref(warning), &mut Sources::new())
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// How much of the line a mark underlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Width {
    /// One character: a syntax error's position.
    Point,
    /// The token starting there (a key, a quoted string, a plain scalar).
    Token,
}

/// A place to mark in the snippet.
#[derive(Debug, Clone)]
struct Mark {
    line: usize,
    column: usize,
    width: Width,
    /// `^` for the place of the message, `-` for a related one.
    primary: bool,
    label: Option<String>,
}

/// Appends the source lines of `marks` with their underlines, then the
/// notes, rustc style. Marks on lines the text does not have are dropped.
fn append_snippet(out: &mut String, text: &str, mut marks: Vec<Mark>, notes: &[String]) {
    marks.sort_by_key(|m| (m.line, m.column));
    let mut lines: Vec<(Mark, &str)> = marks
        .into_iter()
        .filter_map(|m| line_text(text, m.line).map(|line| (m, line)))
        .collect();
    // An empty line alone (an empty file, the end of one) shows nothing.
    if let [(_, line)] = lines.as_slice()
        && line.trim().is_empty()
    {
        lines.clear();
    }
    let gutter = lines
        .iter()
        .map(|(m, _)| m.line.to_string().len())
        .max()
        .unwrap_or(1);
    let pad = " ".repeat(gutter);
    if !lines.is_empty() {
        let _ = write!(out, "\n{pad} |");
    }
    let mut previous: Option<usize> = None;
    for (mark, line) in &lines {
        if let Some(previous) = previous
            && mark.line > previous + 1
        {
            let _ = write!(out, "\n{pad} ...");
        }
        previous = Some(mark.line);
        let (shown, offset, width) = window(line, mark.column, mark.width);
        let _ = write!(out, "\n{:>gutter$} | {shown}", mark.line);
        trim_line_end(out);
        let under = if mark.primary { "^" } else { "-" }.repeat(width.max(1));
        let label = mark
            .label
            .as_ref()
            .map(|l| format!(" {l}"))
            .unwrap_or_default();
        let _ = write!(out, "\n{pad} | {}{under}{label}", " ".repeat(offset));
        // A line with nothing on it should not end in a space.
        trim_line_end(out);
    }
    for note in notes {
        let _ = write!(out, "\n{pad} = {note}");
    }
}

/// Removes trailing spaces of the last line of `out`.
fn trim_line_end(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
}

/// Line `number` (1-based) of `text` without its line break; the line
/// after a final newline counts (an error at the end of the file).
fn line_text(text: &str, number: usize) -> Option<&str> {
    let line = text.split('\n').nth(number.checked_sub(1)?)?;
    Some(line.strip_suffix('\r').unwrap_or(line))
}

/// What is shown of `line` for a mark at `column` (1-based, characters):
/// at most [`MAX_LINE_WIDTH`] characters around it with `…` where cut,
/// tabs as spaces and control characters replaced; and the mark's display
/// offset and width in that text.
fn window(line: &str, column: usize, width: Width) -> (String, usize, usize) {
    let at = column.saturating_sub(1);
    let token = match width {
        Width::Point => 1,
        Width::Token => token_width(line, at),
    };
    // Counted once, without copying (a minified file is one long line).
    let total = line.chars().count();
    let at = at.min(total);
    let (start, end) = if total <= MAX_LINE_WIDTH {
        (0, total)
    } else {
        let start = at
            .saturating_sub(CONTEXT_BEFORE)
            .min(total.saturating_sub(MAX_LINE_WIDTH));
        (start, (start + MAX_LINE_WIDTH).min(total))
    };
    let mut shown = String::new();
    let mut offset = 0;
    let mut mark_width = 0;
    if start > 0 {
        shown.push('…');
    }
    for (i, c) in line.chars().enumerate().skip(start).take(end - start) {
        let piece_width = if c == '\t' { TAB_WIDTH } else { 1 };
        if i < at {
            offset += piece_width;
        } else if i < at + token {
            mark_width += piece_width;
        }
        match c {
            '\t' => shown.push_str(&" ".repeat(TAB_WIDTH)),
            c if c.is_control() => shown.push('\u{fffd}'),
            c => shown.push(c),
        }
    }
    if end < total {
        shown.push('…');
    }
    let offset = offset + usize::from(start > 0);
    let shown = shown.trim_end().to_string();
    (shown, offset, mark_width.max(1))
}

/// Characters of the token starting at character `at` of `line`: a quoted
/// string with its quotes, else a plain word up to `: `, `,`, a bracket or
/// a comment; 1 for a bracket or nothing.
fn token_width(line: &str, at: usize) -> usize {
    let mut chars = line.chars().skip(at).peekable();
    let Some(first) = chars.next() else {
        return 1;
    };
    let mut width = 1;
    match first {
        '"' | '\'' => {
            let mut escaped = false;
            for c in chars {
                width += 1;
                if first == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == first && !escaped {
                    return width;
                }
                escaped = false;
            }
            width
        }
        '{' | '[' | '}' | ']' | ',' | '-' => 1,
        _ => {
            let mut pending_spaces = 0;
            while let Some(c) = chars.next() {
                let ends = match c {
                    ',' | '[' | ']' | '{' | '}' => true,
                    ':' => chars.peek().is_none_or(|n| n.is_whitespace()),
                    // A comment, or TOML's `key = value`.
                    '#' | '=' => pending_spaces > 0,
                    _ => false,
                };
                if ends {
                    break;
                }
                if c.is_whitespace() {
                    pending_spaces += 1;
                } else {
                    width += pending_spaces + 1;
                    pending_spaces = 0;
                }
            }
            width
        }
    }
}

/// The key and the first line of a duplicate-key error of the YAML reader
/// (`duplicate key "name" (first at line 3)`).
fn duplicate_key(message: &str) -> Option<(String, usize)> {
    let rest = message.strip_prefix("duplicate key ")?;
    let (key, rest) = rest.rsplit_once(" (first at line ")?;
    let line = rest.strip_suffix(')')?.parse().ok()?;
    let key = serde_json::from_str::<String>(key).ok()?;
    Some((key, line))
}

/// The column of `key` on line `number`: the first place it starts a key.
fn find_key(text: &str, number: usize, key: &str) -> Option<usize> {
    let line = line_text(text, number)?;
    let mut search = 0;
    while let Some(found) = line.get(search..)?.find(key) {
        let byte = search + found;
        let before = line.get(..byte)?;
        let quote = before.ends_with(['"', '\'']);
        let start = if quote { byte - 1 } else { byte };
        let prefix = line.get(..start)?.trim_end();
        if prefix.is_empty() || prefix.ends_with(['-', '{', ',', '?']) {
            return Some(line.get(..start)?.chars().count() + 1);
        }
        search = byte + key.len().max(1);
    }
    None
}

/// Whether line `number`'s indentation holds a tab.
fn indented_with_tabs(text: &str, number: usize) -> bool {
    line_text(text, number).is_some_and(|line| {
        line.chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    })
}

/// For a `$ref` whose target does not exist: the existing target closest
/// to it (`did you mean …?`), in the same document or the file it names.
fn ref_hint(file: &Path, text: &str, located: &Located) -> Option<String> {
    if located.matched == Match::Enclosing || !located.pointer.ends_with("/$ref") {
        return None;
    }
    let document = crate::load::parse_text(file, text).ok()?;
    let reference = document.pointer(&located.pointer)?.as_str()?;
    let (target_file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if target_file.is_empty() {
        let corrected = closest_pointer(&document, fragment)?;
        return Some(format!("did you mean `#{corrected}`?"));
    }
    if target_file.contains("://") {
        return None;
    }
    let target = file.parent().unwrap_or(Path::new("")).join(target_file);
    if !target.is_file() {
        let name = closest_file(&target)?;
        let suggestion = match target_file.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{name}"),
            None => name,
        };
        let fragment = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{fragment}")
        };
        return Some(format!("did you mean `{suggestion}{fragment}`?"));
    }
    let target_text = String::from_utf8(read_source(&target)?).ok()?;
    let target_document = crate::load::parse_text(&target, &target_text).ok()?;
    let corrected = closest_pointer(&target_document, fragment)?;
    Some(format!("did you mean `{target_file}#{corrected}`?"))
}

/// The pointer closest to `fragment` that exists in `document`, found
/// token by token (each missing one replaced by the closest key); `None`
/// when the fragment exists or nothing is close.
fn closest_pointer(document: &Value, fragment: &str) -> Option<String> {
    let decoded = crate::load::percent_decode(fragment);
    if document.pointer(&decoded).is_some() {
        return None;
    }
    let tokens = decoded.strip_prefix('/')?.split('/');
    let mut node = document;
    let mut corrected = String::new();
    for raw in tokens {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let (key, next) = match node {
            Value::Object(map) => match map.get_key_value(&token) {
                Some((key, next)) => (key.clone(), next),
                None => {
                    let key = closest_name(&token, map.keys().map(String::as_str))?;
                    let next = map.get(&key)?;
                    (key, next)
                }
            },
            Value::Array(items) => (token.clone(), items.get(token.parse::<usize>().ok()?)?),
            _ => return None,
        };
        corrected.push('/');
        corrected.push_str(&escape_pointer_token(&key));
        node = next;
    }
    Some(corrected)
}

/// The sibling of a missing file closest to its name.
fn closest_file(missing: &Path) -> Option<String> {
    let name = missing.file_name()?.to_str()?;
    let dir = missing.parent()?;
    let entries = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .ok()?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    closest_name(name, names.iter().map(String::as_str))
}

/// The candidate closest to `name`: equal ignoring case first, else the
/// smallest edit distance (at most a third of the longer name, first in
/// order on a tie).
fn closest_name<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
) -> Option<String> {
    if let Some(same) = candidates.clone().find(|c| c.eq_ignore_ascii_case(name)) {
        return Some(same.to_string());
    }
    let lower = name.to_lowercase();
    candidates
        .filter_map(|c| {
            let distance = edit_distance(&lower, &c.to_lowercase());
            let longest = name.chars().count().max(c.chars().count());
            (distance * 3 <= longest).then_some((distance, c))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c.to_string())
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut previous = i + 1;
        let mut next_row = Vec::with_capacity(row.len());
        next_row.push(previous);
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX - 1);
            let cost = usize::from(ca != *cb);
            let value = (diagonal + cost).min(above + 1).min(previous + 1);
            next_row.push(value);
            diagonal = above;
            previous = value;
        }
        row = next_row;
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("pet", "pets"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            closest_name("Pet", ["Order", "Pets", "Pat"].into_iter()),
            Some("Pets".to_string())
        );
        assert_eq!(
            closest_name("pets", ["Order", "Pets"].into_iter()),
            Some("Pets".to_string())
        );
        assert_eq!(closest_name("Missing", ["A"].into_iter()), None);
    }

    #[test]
    fn closest_pointers() {
        let doc = serde_json::json!({"components": {"schemas": {"Pets": {}, "Order": {}}}});
        assert_eq!(
            closest_pointer(&doc, "/components/schemas/Pet"),
            Some("/components/schemas/Pets".to_string())
        );
        assert_eq!(
            closest_pointer(&doc, "/components/schema/Ordr"),
            Some("/components/schemas/Order".to_string())
        );
        assert_eq!(closest_pointer(&doc, "/components/schemas/Pets"), None);
        assert_eq!(closest_pointer(&doc, "/components/schemas/Unrelated"), None);
    }

    #[test]
    fn tokens() {
        assert_eq!(token_width(r#""$ref": "x""#, 0), 6);
        assert_eq!(token_width(r#""a\"b": 1"#, 0), 6);
        assert_eq!(token_width("type: strng", 0), 4);
        assert_eq!(token_width("a b: 1", 0), 3);
        assert_eq!(token_width("strng # comment", 0), 5);
        assert_eq!(token_width("derive = [\"Eq\"]", 0), 6);
        assert_eq!(token_width("{type: x}", 0), 1);
        assert_eq!(token_width("", 0), 1);
        assert_eq!(token_width("x: 'it''s'", 3), 4);
    }

    #[test]
    fn long_lines_are_cut_around_the_place() {
        let line = format!("{}\"key\": 1{}", "a".repeat(500), "b".repeat(500));
        let (shown, offset, width) = window(&line, 501, Width::Token);
        assert_eq!(shown.chars().count(), MAX_LINE_WIDTH + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(offset, CONTEXT_BEFORE + 1);
        assert_eq!(width, 5);
        assert_eq!(
            shown.chars().skip(offset).take(width).collect::<String>(),
            "\"key\""
        );
        // At the end of a long line.
        let (shown, offset, _) = window(&line, 1008, Width::Point);
        assert!(shown.starts_with('…') && !shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().nth(offset), Some('b'));
    }

    #[test]
    fn tabs_are_shown_as_spaces() {
        let (shown, offset, width) = window("\t\tb: 1", 3, Width::Token);
        assert_eq!(shown, "        b: 1");
        assert_eq!((offset, width), (8, 1));
    }

    #[test]
    fn duplicate_keys_are_read_from_the_message() {
        assert_eq!(
            duplicate_key("duplicate key \"name\" (first at line 3)"),
            Some(("name".to_string(), 3))
        );
        assert_eq!(find_key("a:\n  - name: 1\n", 2, "name"), Some(5));
        assert_eq!(find_key("x: name\n'name': 2\n", 2, "name"), Some(1));
        assert_eq!(find_key("x: name\n", 1, "name"), None);
    }
}
