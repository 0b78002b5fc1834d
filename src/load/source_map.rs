//! Where a JSON pointer's node is in the text of a spec file, for messages.
//!
//! Errors and warnings name a JSON pointer into the document the loader
//! built; this finds the line and column of that node in the file as the
//! user wrote it, so a message can show the source line. It runs only when
//! something is reported, never on the way to a successful result: one pass
//! over the text finds every pointer asked for (a small byte scanner for
//! JSON, `yaml-rust2` parser events for YAML).
//!
//! A member is found at its key (`type` in `type: strng`), an array element
//! at its value. The document the pointers refer to may differ from the
//! text: Swagger 2.0 was converted (`/components/schemas/X` was written
//! `/definitions/X`), OpenAPI 3.1 was normalised (`$ref` siblings wrapped in
//! `allOf`, type arrays split into `anyOf`), and other files were joined in.
//! Known renames are followed back ([`Match::Rewritten`]); otherwise the
//! nearest enclosing node that surely exists as written is given
//! ([`Match::Enclosing`]), unless that is only a collection such as
//! `/components/schemas`, or the root: then nothing. A position is never a
//! guess at a node that merely has the same pointer: array indices that
//! conversion may have shifted are not followed.

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, Parser};

use super::Format;
use crate::error::escape_pointer_token;

/// Where a node was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The pointer of the node at that place in the file as written: the
    /// one asked for, its form before conversion, or an enclosing node's.
    pub pointer: String,
    /// How the place relates to the pointer asked for.
    pub matched: Match,
    /// What kind of document the text is (why a pointer was rewritten).
    pub document: DocumentKind,
}

/// How a [`Located`] place relates to the pointer asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The node itself, at the same pointer.
    Exact,
    /// The node itself, written under another pointer before conversion
    /// (`/definitions/X` for `/components/schemas/X`).
    Rewritten,
    /// The node is not in the text as written (converted, or joined from
    /// another file); this is the nearest node enclosing it.
    Enclosing,
}

/// What a spec text is, as far as the rewriting of pointers goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// OpenAPI 3.0: read as written (other files may be joined in).
    OpenApi30,
    /// OpenAPI 3.1 or 3.2: normalised to 3.0 shape.
    OpenApi31,
    /// Swagger 2.0: converted to OpenAPI 3.0.
    Swagger2,
    /// No version field: a file another one refers to, or not a spec.
    Other,
}

impl DocumentKind {
    /// Why a pointer of this kind of document may not be in its text.
    pub fn rewrite_reason(self) -> &'static str {
        match self {
            DocumentKind::Swagger2 => "the document was converted from Swagger 2.0",
            DocumentKind::OpenApi31 => "the document was brought from OpenAPI 3.1 to 3.0 shape",
            DocumentKind::OpenApi30 | DocumentKind::Other => {
                "that part was joined in from another file"
            }
        }
    }
}

/// Finds one pointer in a spec text; see [`locate_all`].
pub fn locate(path: &Path, text: &str, pointer: &str) -> Option<Located> {
    locate_all(path, text, &[pointer])
        .into_iter()
        .next()
        .flatten()
}

/// Finds the place of each pointer (into the document loaded from `path`,
/// whose text is `text`) in one pass over the text (rarely two or three,
/// when an OpenAPI 3.1 rewrite needs a node not asked for at first).
/// `None` where the pointer is the root, is not a pointer, or has no place
/// in the text that is surely its own or its enclosing node's.
pub fn locate_all(path: &Path, text: &str, pointers: &[&str]) -> Vec<Option<Located>> {
    let format = Format::detect(path, text);
    let queries: Vec<Option<Vec<String>>> = pointers.iter().map(|p| parse_pointer(p)).collect();
    let mut facts = Facts::default();
    // First pass: the version fields, every prefix of every pointer as
    // asked and as Swagger 2.0 wrote it, and the probes of OpenAPI 3.1 rules.
    let mut wanted: Vec<Vec<String>> = vec![vec!["openapi".into()], vec!["swagger".into()]];
    for tokens in queries.iter().flatten() {
        wanted.push(tokens.clone());
        let (original, _) = swagger2_original(tokens);
        wanted.push(original);
        for end in 0..=tokens.len() {
            let prefix = tokens.get(..end).unwrap_or_default();
            for probe in V31_PROBES {
                let mut path = prefix.to_vec();
                path.extend(probe.iter().map(|t| (*t).to_string()));
                wanted.push(path);
            }
        }
    }
    let mut results: Vec<Option<Option<Located>>> = vec![None; queries.len()];
    for _round in 0..3 {
        facts.scan(format, text, &wanted);
        wanted.clear();
        for (query, result) in queries.iter().zip(results.iter_mut()) {
            if result.is_some() {
                continue;
            }
            let Some(tokens) = query else {
                *result = Some(None);
                continue;
            };
            match resolve(tokens, &facts) {
                Step::Done(located) => *result = Some(located),
                Step::Need(paths) => wanted.extend(paths),
            }
        }
        if wanted.is_empty() {
            break;
        }
    }
    // After the last pass, nodes still unknown count as absent.
    facts.complete = true;
    queries
        .iter()
        .zip(results)
        .map(|(query, result)| match (query, result) {
            (_, Some(located)) => located,
            (Some(tokens), None) => match resolve(tokens, &facts) {
                Step::Done(located) => located,
                Step::Need(_) => None,
            },
            (None, None) => None,
        })
        .collect()
}

/// The tokens of a JSON pointer (`~1` → `/`, `~0` → `~`); `None` if it is
/// not one.
fn parse_pointer(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// A pointer from tokens.
fn pointer_of(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", escape_pointer_token(t)))
        .collect()
}

/// Paths looked up below each node of an OpenAPI 3.1 pointer, to see which
/// normalisation rules rewrote it (`type/0`…: how many types a type array lists).
const V31_PROBES: &[&[&str]] = &[
    &["$ref"],
    &["type"],
    &["type", "0"],
    &["type", "1"],
    &["type", "2"],
    &["const"],
    &["enum"],
    &["example"],
    &["examples"],
];

/// What a node is in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKind {
    Scalar,
    Mapping,
    Sequence,
    /// A YAML alias (its target's kind is not tracked).
    Alias,
}

/// A node found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NodeInfo {
    line: usize,
    column: usize,
    kind: NodeKind,
    /// The text of a short scalar (the version fields).
    scalar: Option<String>,
}

/// What the passes over the text found, by path.
#[derive(Default)]
struct Facts {
    /// Every path looked for: `Some` where the text has it.
    known: HashMap<Vec<String>, Option<NodeInfo>>,
    /// No further pass will run: unknown paths are absent.
    complete: bool,
}

/// The answer about one path.
enum Lookup<'a> {
    Present(&'a NodeInfo),
    Absent,
    /// Not looked for yet.
    Unknown,
}

impl Facts {
    fn get(&self, path: &[String]) -> Lookup<'_> {
        match self.known.get(path) {
            Some(Some(info)) => Lookup::Present(info),
            Some(None) => Lookup::Absent,
            None if self.complete => Lookup::Absent,
            None => Lookup::Unknown,
        }
    }

    fn kind(&self) -> DocumentKind {
        let scalar = |key: &str| match self.known.get(&vec![key.to_string()]) {
            Some(Some(info)) => info.scalar.clone(),
            _ => None,
        };
        if let Some(version) = scalar("openapi") {
            if version.starts_with("3.1") || version.starts_with("3.2") {
                return DocumentKind::OpenApi31;
            }
            return DocumentKind::OpenApi30;
        }
        if scalar("swagger").is_some() {
            return DocumentKind::Swagger2;
        }
        DocumentKind::Other
    }

    /// One pass over the text looking for `paths` (and their prefixes).
    fn scan(&mut self, format: Format, text: &str, paths: &[Vec<String>]) {
        // Every prefix of every path is looked for too (the walk from the
        // root needs them).
        let mut trie = Trie::default();
        let mut ends = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for path in paths {
            for end in 1..=path.len() {
                let prefix = path.get(..end).unwrap_or_default();
                if !self.known.contains_key(prefix) && queued.insert(prefix) {
                    ends.push((trie.insert(prefix), prefix.to_vec()));
                }
            }
        }
        if ends.is_empty() {
            return;
        }
        let hits = match format {
            Format::Json => scan_json(text, &trie),
            Format::Yaml => scan_yaml(text, &trie),
        };
        for (node, path) in ends {
            self.known.insert(path, hits.get(node).cloned().flatten());
        }
    }
}

/// The paths looked for in one pass, as a tree of tokens.
struct Trie {
    children: Vec<HashMap<String, usize>>,
}

impl Default for Trie {
    fn default() -> Self {
        Trie {
            children: vec![HashMap::new()],
        }
    }
}

impl Trie {
    const ROOT: usize = 0;

    fn insert(&mut self, path: &[String]) -> usize {
        let mut node = Self::ROOT;
        for token in path {
            let next = self.children.len();
            let Some(children) = self.children.get_mut(node) else {
                return node;
            };
            node = *children.entry(token.clone()).or_insert(next);
            if node == next {
                self.children.push(HashMap::new());
            }
        }
        node
    }

    fn child(&self, node: usize, token: &str) -> Option<usize> {
        self.children.get(node)?.get(token).copied()
    }

    fn len(&self) -> usize {
        self.children.len()
    }
}

/// A step of [`resolve`].
enum Step {
    Done(Option<Located>),
    /// These paths must be looked for first.
    Need(Vec<Vec<String>>),
}

/// Pointers at these nodes are too coarse to be worth a line: the enclosing
/// node of a pointer that is not in the text must be more specific.
fn is_collection(path: &[String]) -> bool {
    let tokens: Vec<&str> = path.iter().map(String::as_str).collect();
    matches!(
        tokens.as_slice(),
        [] | ["components"]
            | ["components", _]
            | ["paths"
                | "webhooks"
                | "definitions"
                | "parameters"
                | "responses"
                | "securityDefinitions"]
    )
}

/// Finds the place of one pointer with what is known so far.
fn resolve(tokens: &[String], facts: &Facts) -> Step {
    if tokens.is_empty() {
        return Step::Done(None);
    }
    let document = facts.kind();
    let (mut mapped, complete) = if document == DocumentKind::Swagger2 {
        swagger2_original(tokens)
    } else {
        (tokens.to_vec(), true)
    };
    let mut rewritten = mapped != tokens;
    let mut current: Vec<String> = Vec::new();
    let mut info: Option<&NodeInfo> = None;
    let found = |path: &[String], info: &NodeInfo, matched: Match| {
        Step::Done(Some(Located {
            line: info.line,
            column: info.column,
            pointer: pointer_of(path),
            matched,
            document,
        }))
    };
    let mut index = 0;
    let mut enclosing = false;
    while let Some(token) = mapped.get(index).cloned() {
        let mut token = token;
        if document == DocumentKind::OpenApi31 {
            let probe = |name: &[&str]| {
                let mut path = current.clone();
                path.extend(name.iter().map(|t| (*t).to_string()));
                path
            };
            let mut need = Vec::new();
            let mut probes = HashMap::new();
            for name in V31_PROBES {
                let path = probe(name);
                match facts.get(&path) {
                    Lookup::Unknown => need.push(path),
                    Lookup::Present(info) => {
                        probes.insert(name.join("/"), info);
                    }
                    Lookup::Absent => {}
                }
            }
            if !need.is_empty() {
                return Step::Need(need);
            }
            // Two types besides `null`: split into `anyOf` members.
            let types_split = ["type/0", "type/1", "type/2"]
                .iter()
                .filter_map(|t| probes.get(*t))
                .filter(|t| t.scalar.as_deref() != Some("null"))
                .count()
                >= 2;
            let rest = mapped.get(index + 1..).unwrap_or_default();
            match token.as_str() {
                // `examples` is kept as `x-oapi-examples`.
                "x-oapi-examples" => {
                    token = "examples".to_string();
                    rewritten = true;
                }
                // `$ref` with siblings became `allOf: [{$ref}, …the allOf as written]`.
                "allOf" if probes.contains_key("$ref") => {
                    let ref_only = |r: &[String]| {
                        r.is_empty() || (r.len() == 1 && r.first().is_some_and(|t| t == "$ref"))
                    };
                    match rest.first().map(|r| r.parse::<usize>()) {
                        Some(Ok(0)) if ref_only(rest.get(1..).unwrap_or_default()) => {
                            if let Some(at) = probes.get("$ref") {
                                return found(&probe(&["$ref"]), at, Match::Rewritten);
                            }
                        }
                        Some(Ok(k)) if k > 0 => {
                            if let Some(slot) = mapped.get_mut(index + 1) {
                                *slot = (k - 1).to_string();
                            }
                            rewritten = true;
                        }
                        _ => {
                            enclosing = true;
                            break;
                        }
                    }
                }
                // A type array was split into `anyOf` members (inside an
                // `allOf` when there was an `anyOf`), with `enum` values
                // and type keywords moved onto them.
                "allOf" | "anyOf" | "oneOf" | "enum" | "items" | "properties" if types_split => {
                    enclosing = true;
                    break;
                }
                // `const` became a one-value `enum`.
                "enum" if probes.contains_key("const") && !probes.contains_key("enum") => {
                    if let Some(at) = probes.get("const") {
                        return found(&probe(&["const"]), at, Match::Rewritten);
                    }
                }
                // `example` was taken from `examples`.
                "example" if !probes.contains_key("example") => {
                    if let Some(at) = probes.get("examples") {
                        return found(&probe(&["examples"]), at, Match::Rewritten);
                    }
                }
                _ => {}
            }
        }
        // Beside a `$ref` (outside 3.1, where the siblings stay beside the
        // `allOf` wrapper) the document holds the target, copied or joined
        // in: keys written there are not what the pointer names.
        if document != DocumentKind::OpenApi31 && token != "$ref" {
            let mut reference = current.clone();
            reference.push("$ref".to_string());
            match facts.get(&reference) {
                Lookup::Unknown => return Step::Need(vec![reference]),
                Lookup::Present(_) => {
                    enclosing = true;
                    break;
                }
                Lookup::Absent => {}
            }
        }
        let mut next = current.clone();
        next.push(token);
        match facts.get(&next) {
            Lookup::Unknown => return Step::Need(vec![next]),
            Lookup::Absent => {
                enclosing = true;
                break;
            }
            Lookup::Present(node) => {
                info = Some(node);
                current = next;
            }
        }
        index += 1;
    }
    let Some(info) = info else {
        return Step::Done(None);
    };
    if enclosing || !complete {
        if is_collection(&current) {
            return Step::Done(None);
        }
        return found(&current, info, Match::Enclosing);
    }
    let matched = if rewritten {
        Match::Rewritten
    } else {
        Match::Exact
    };
    found(&current, info, matched)
}

/// How Swagger 2.0 wrote a pointer of the converted document, and whether
/// that is the node itself (`false`: an enclosing node, because the node
/// was made by the conversion or its array index may have shifted).
fn swagger2_original(tokens: &[String]) -> (Vec<String>, bool) {
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let own = |parts: &[&str]| parts.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    let join = |head: &[&str], (tail, complete): (Vec<String>, bool)| {
        let mut path = own(head);
        path.extend(tail);
        (path, complete)
    };
    match t.as_slice() {
        ["components", "schemas", rest @ ..] => join(&["definitions"], (own(rest), true)),
        ["components", "securitySchemes", rest @ ..] => {
            join(&["securityDefinitions"], (own(rest), true))
        }
        ["components", "responses", name, rest @ ..] => join(&["responses", name], response(rest)),
        // Non-body parameters: their type fields moved into `schema`.
        ["components", "parameters", name, rest @ ..] => {
            join(&["parameters", name], moved_into_schema(rest))
        }
        // Body parameters: `schema` moved under `content`.
        ["components", "requestBodies", name, rest @ ..] => {
            join(&["parameters", name], media_schema(rest))
        }
        ["paths", path, rest @ ..] => join(&["paths", path], path_item(rest)),
        _ => (tokens.to_vec(), true),
    }
}

/// `content/<type>/schema/…` → `schema/…`.
fn media_schema(rest: &[&str]) -> (Vec<String>, bool) {
    match rest {
        ["content", _, "schema", tail @ ..] => {
            let mut path = vec!["schema".to_string()];
            path.extend(tail.iter().map(|s| (*s).to_string()));
            (path, true)
        }
        _ => (Vec::new(), rest.is_empty()),
    }
}

/// `schema/<field>/…` → `<field>/…` (parameters and headers).
fn moved_into_schema(rest: &[&str]) -> (Vec<String>, bool) {
    match rest {
        ["schema"] => (Vec::new(), false),
        ["schema", tail @ ..] => (tail.iter().map(|s| (*s).to_string()).collect(), true),
        _ => (rest.iter().map(|s| (*s).to_string()).collect(), true),
    }
}

/// A response: its schema moved under `content`, header fields into `schema`.
fn response(rest: &[&str]) -> (Vec<String>, bool) {
    match rest {
        ["content", ..] => media_schema(rest),
        ["headers", name, tail @ ..] => {
            let (tail, complete) = moved_into_schema(tail);
            let mut path = vec!["headers".to_string(), (*name).to_string()];
            path.extend(tail);
            (path, complete)
        }
        _ => (rest.iter().map(|s| (*s).to_string()).collect(), true),
    }
}

/// Inside a path item: bodies came from parameters (whose indices shift as
/// body and form parameters leave the list), responses as above.
fn path_item(rest: &[&str]) -> (Vec<String>, bool) {
    match rest {
        ["parameters", ..] => (Vec::new(), false),
        [method, "requestBody" | "parameters", ..] => (vec![(*method).to_string()], false),
        [method, "responses", code, tail @ ..] => {
            let (tail, complete) = response(tail);
            let mut path = vec![
                (*method).to_string(),
                "responses".to_string(),
                (*code).to_string(),
            ];
            path.extend(tail);
            (path, complete)
        }
        _ => (rest.iter().map(|s| (*s).to_string()).collect(), true),
    }
}

/// Longest scalar whose text is kept (enough for a version number).
const MAX_SCALAR: usize = 40;

/// Finds the trie's nodes in JSON text: a scanner that skips what is not
/// asked for without decoding it. Stops quietly at anything that is not
/// JSON (the text was parsed before, so only a file changed since would do that).
fn scan_json(text: &str, trie: &Trie) -> Vec<Option<NodeInfo>> {
    #[derive(Clone, Copy)]
    enum Frame {
        Object(Option<usize>),
        Array(Option<usize>, usize),
    }
    #[derive(Clone, Copy)]
    enum State {
        /// A value belonging to `node`, recorded at `at` (its key) or at its start.
        Value {
            node: Option<usize>,
            at: Option<usize>,
        },
        ObjectStart,
        ArrayStart,
        Key,
        AfterValue,
    }
    let bytes = text.as_bytes();
    // Byte offset of each node found, converted to lines at the end.
    let mut offsets: Vec<Option<(usize, NodeKind, Option<String>)>> = vec![None; trie.len()];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut state = State::Value {
        node: Some(Trie::ROOT),
        at: None,
    };
    let skip_ws = |mut i: usize| {
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    };
    // The end of the string starting at `i` (just after its closing quote).
    let string_end = |mut i: usize| -> Option<usize> {
        i += 1;
        loop {
            match bytes.get(i)? {
                b'"' => return Some(i + 1),
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
    };
    let decode = |raw: &str| -> Option<String> {
        if raw.contains('\\') {
            serde_json::from_str::<String>(raw).ok()
        } else {
            raw.get(1..raw.len().saturating_sub(1)).map(str::to_string)
        }
    };
    loop {
        match state {
            State::Value { node, at } => {
                i = skip_ws(i);
                let start = i;
                let (kind, next) = match bytes.get(i) {
                    Some(b'{') => {
                        stack.push(Frame::Object(node));
                        (NodeKind::Mapping, State::ObjectStart)
                    }
                    Some(b'[') => {
                        stack.push(Frame::Array(node, 0));
                        (NodeKind::Sequence, State::ArrayStart)
                    }
                    Some(b'"') => {
                        let Some(end) = string_end(i) else { break };
                        i = end - 1;
                        (NodeKind::Scalar, State::AfterValue)
                    }
                    Some(_) => {
                        while !matches!(
                            bytes.get(i + 1),
                            None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                        ) {
                            i += 1;
                        }
                        (NodeKind::Scalar, State::AfterValue)
                    }
                    None => break,
                };
                if let Some(node) = node
                    && let Some(slot) = offsets.get_mut(node)
                {
                    let scalar = match kind {
                        NodeKind::Scalar if i + 1 - start <= MAX_SCALAR + 2 => text
                            .get(start..=i)
                            .map(|raw| raw.trim_matches('"').to_string()),
                        _ => None,
                    };
                    *slot = Some((at.unwrap_or(start), kind, scalar));
                }
                i += 1;
                state = next;
            }
            State::ObjectStart => {
                i = skip_ws(i);
                if bytes.get(i) == Some(&b'}') {
                    i += 1;
                    stack.pop();
                    state = State::AfterValue;
                } else {
                    state = State::Key;
                }
            }
            State::ArrayStart => {
                i = skip_ws(i);
                if bytes.get(i) == Some(&b']') {
                    i += 1;
                    stack.pop();
                    state = State::AfterValue;
                } else {
                    let node = match stack.last() {
                        Some(Frame::Array(Some(node), _)) => trie.child(*node, "0"),
                        _ => None,
                    };
                    state = State::Value { node, at: None };
                }
            }
            State::Key => {
                i = skip_ws(i);
                if bytes.get(i) != Some(&b'"') {
                    break;
                }
                let start = i;
                let Some(end) = string_end(i) else { break };
                let node = match stack.last() {
                    Some(Frame::Object(Some(parent))) => text
                        .get(start..end)
                        .and_then(decode)
                        .and_then(|key| trie.child(*parent, &key)),
                    _ => None,
                };
                i = skip_ws(end);
                if bytes.get(i) != Some(&b':') {
                    break;
                }
                i += 1;
                state = State::Value {
                    node,
                    at: Some(start),
                };
            }
            State::AfterValue => {
                i = skip_ws(i);
                let Some(frame) = stack.last_mut() else { break };
                match (bytes.get(i), frame) {
                    (Some(b','), Frame::Object(_)) => {
                        i += 1;
                        state = State::Key;
                    }
                    (Some(b','), Frame::Array(parent, index)) => {
                        i += 1;
                        *index += 1;
                        let node = parent.and_then(|p| trie.child(p, &index.to_string()));
                        state = State::Value { node, at: None };
                    }
                    (Some(b'}'), Frame::Object(_)) | (Some(b']'), Frame::Array(..)) => {
                        i += 1;
                        stack.pop();
                    }
                    _ => break,
                }
            }
        }
    }
    to_line_columns(text, offsets)
}

/// Converts byte offsets to 1-based lines and character columns in one
/// sweep over the text.
fn to_line_columns(
    text: &str,
    offsets: Vec<Option<(usize, NodeKind, Option<String>)>>,
) -> Vec<Option<NodeInfo>> {
    let mut order: Vec<(usize, usize)> = offsets
        .iter()
        .enumerate()
        .filter_map(|(node, found)| found.as_ref().map(|(offset, ..)| (*offset, node)))
        .collect();
    order.sort_unstable();
    let mut positions: HashMap<usize, (usize, usize)> = HashMap::new();
    let (mut line, mut line_start, mut scanned, mut column) = (1, 0, 0, 1);
    let bytes = text.as_bytes();
    for (offset, node) in order {
        // Lines before the offset.
        while let Some(newline) = bytes
            .get(scanned..offset)
            .and_then(|b| b.iter().position(|c| *c == b'\n'))
        {
            line += 1;
            line_start = scanned + newline + 1;
            scanned = line_start;
            column = 1;
        }
        // Characters between the last point counted and the offset.
        column += bytes
            .get(scanned.max(line_start)..offset)
            .map_or(0, |b| b.iter().filter(|c| (**c & 0xC0) != 0x80).count());
        scanned = offset.max(scanned);
        positions.insert(node, (line, column));
    }
    offsets
        .into_iter()
        .enumerate()
        .map(|(node, found)| {
            let (_, kind, scalar) = found?;
            let (line, column) = positions.get(&node).copied()?;
            Some(NodeInfo {
                line,
                column,
                kind,
                scalar,
            })
        })
        .collect()
}

/// Finds the trie's nodes in YAML text, from the parser's events. Stops
/// quietly at a syntax error.
fn scan_yaml(text: &str, trie: &Trie) -> Vec<Option<NodeInfo>> {
    enum Frame {
        Map {
            node: Option<usize>,
            /// The next node is a key.
            key_turn: bool,
            /// The node and place (its key) of the value that comes next.
            pending: (Option<usize>, usize, usize),
        },
        Seq {
            node: Option<usize>,
            index: usize,
        },
    }
    let mut found: Vec<Option<NodeInfo>> = vec![None; trie.len()];
    // The loader skips a byte order mark, so the parser never sees it.
    let (stripped, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 1),
        None => (text, 0),
    };
    let mut parser = Parser::new_from_str(stripped);
    let mut stack: Vec<Frame> = Vec::new();
    // Texts of anchored scalars, for aliases used as keys.
    let mut anchored_keys: HashMap<usize, String> = HashMap::new();
    let mut root_done = false;
    while let Ok((event, mark)) = parser.next_token() {
        // yaml-rust2: 1-based lines, 0-based columns in characters.
        let line = mark.line().max(1);
        let column = mark.col() + 1 + if line == 1 { bom } else { 0 };
        let kind = match &event {
            Event::StreamEnd => break,
            Event::Scalar(..) => NodeKind::Scalar,
            Event::Alias(_) => NodeKind::Alias,
            Event::MappingStart(..) => NodeKind::Mapping,
            Event::SequenceStart(..) => NodeKind::Sequence,
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                continue;
            }
            _ => continue,
        };
        if let Event::Scalar(value, _, anchor, _) = &event
            && *anchor != 0
        {
            anchored_keys.insert(*anchor, value.clone());
        }
        // A key?
        if let Some(Frame::Map {
            node,
            key_turn,
            pending,
        }) = stack.last_mut()
            && *key_turn
        {
            let key = match &event {
                Event::Scalar(value, ..) => Some(value.as_str()),
                Event::Alias(id) => anchored_keys.get(id).map(String::as_str),
                _ => None,
            };
            let Some(key) = key else {
                // A collection as a key: the loader refuses those.
                break;
            };
            *pending = (node.and_then(|n| trie.child(n, key)), line, column);
            *key_turn = false;
            continue;
        }
        // A value: whose, and placed where?
        let (node, at_line, at_column) = match stack.last_mut() {
            Some(Frame::Map {
                key_turn, pending, ..
            }) => {
                *key_turn = true;
                *pending
            }
            Some(Frame::Seq { node, index }) => {
                let child = node.and_then(|n| trie.child(n, &index.to_string()));
                *index += 1;
                (child, line, column)
            }
            None if !root_done => {
                root_done = true;
                (Some(Trie::ROOT), line, column)
            }
            None => break,
        };
        if let Some(node) = node
            && let Some(slot) = found.get_mut(node)
        {
            let scalar = match &event {
                Event::Scalar(value, ..) if value.len() <= MAX_SCALAR => Some(value.clone()),
                _ => None,
            };
            *slot = Some(NodeInfo {
                line: at_line,
                column: at_column,
                kind,
                scalar,
            });
        }
        match event {
            Event::MappingStart(..) => stack.push(Frame::Map {
                node,
                key_turn: true,
                pending: (None, 0, 0),
            }),
            Event::SequenceStart(..) => stack.push(Frame::Seq { node, index: 0 }),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(name: &str, text: &str, pointer: &str) -> Option<(usize, usize, String, Match)> {
        locate(Path::new(name), text, pointer).map(|l| (l.line, l.column, l.pointer, l.matched))
    }

    fn exact(line: usize, column: usize, pointer: &str) -> Option<(usize, usize, String, Match)> {
        Some((line, column, pointer.to_string(), Match::Exact))
    }

    const JSON: &str = r##"{
  "openapi": "3.0.3",
  "components": {"schemas": {
    "A": {"type": "object", "properties": {"b": {"type": "strng"}, "c/d": {"enum": [1, 2]}}},
    "é": {"allOf": [{"$ref": "#/x"}, {"type": "string"}]}
  }}
}"##;

    #[test]
    fn json_members_at_their_keys_elements_at_their_values() {
        assert_eq!(
            at("s.json", JSON, "/components/schemas/A/properties/b/type"),
            exact(4, 50, "/components/schemas/A/properties/b/type")
        );
        assert_eq!(
            at(
                "s.json",
                JSON,
                "/components/schemas/A/properties/c~1d/enum/1"
            ),
            exact(4, 88, "/components/schemas/A/properties/c~1d/enum/1")
        );
        // Columns count characters, not bytes.
        assert_eq!(
            at("s.json", JSON, "/components/schemas/é/allOf/1/type"),
            exact(5, 39, "/components/schemas/é/allOf/1/type")
        );
        assert_eq!(at("s.json", JSON, "/openapi"), exact(2, 3, "/openapi"));
    }

    #[test]
    fn json_missing_nodes_fall_back_to_an_enclosing_node_never_a_collection() {
        assert_eq!(
            at("s.json", JSON, "/components/schemas/A/properties/zz/type"),
            Some((
                4,
                29,
                "/components/schemas/A/properties".to_string(),
                Match::Enclosing
            ))
        );
        assert_eq!(at("s.json", JSON, "/components/schemas/Nope/type"), None);
        assert_eq!(at("s.json", JSON, ""), None);
        assert_eq!(at("s.json", JSON, "not a pointer"), None);
        // Below a scalar: the scalar's member.
        assert_eq!(
            at("s.json", JSON, "/components/schemas/A/type/x").map(|l| l.2),
            Some("/components/schemas/A/type".to_string())
        );
    }

    #[test]
    fn minified_json_on_one_line() {
        let text = JSON.replace('\n', "");
        let l = at("s.json", &text, "/components/schemas/A/properties/b/type");
        assert_eq!(l.map(|l| (l.0, l.1)), Some((1, 101)));
        assert_eq!(text.get(100..106), Some("\"type\""));
    }

    const YAML: &str = "openapi: 3.0.3
components:
  schemas:
    A:
      type: object
      properties:
        b: {type: strng}
        'c/d':
          enum:
            - 1
            - [x, y]
    B: &anchor
      type: string
";

    #[test]
    fn yaml_members_and_elements() {
        assert_eq!(
            at("s.yaml", YAML, "/components/schemas/A/properties/b/type"),
            exact(7, 13, "/components/schemas/A/properties/b/type")
        );
        assert_eq!(
            at(
                "s.yaml",
                YAML,
                "/components/schemas/A/properties/c~1d/enum/1/1"
            ),
            exact(11, 19, "/components/schemas/A/properties/c~1d/enum/1/1")
        );
        assert_eq!(
            at("s.yaml", YAML, "/components/schemas/B/type"),
            exact(13, 7, "/components/schemas/B/type")
        );
        assert_eq!(
            at("s.yaml", YAML, "/components/schemas/A"),
            exact(4, 5, "/components/schemas/A")
        );
    }

    #[test]
    fn yaml_with_a_byte_order_mark_and_a_syntax_error_after_the_node() {
        let text = "\u{feff}openapi: 3.0.3\ninfo: {title: t}\nbad: [\n";
        assert_eq!(at("s.yaml", text, "/openapi"), exact(1, 2, "/openapi"));
        assert_eq!(
            at("s.yaml", text, "/info/title"),
            exact(2, 8, "/info/title")
        );
    }

    #[test]
    fn swagger2_pointers_are_found_where_they_were_written() {
        let text = r#"{"swagger": "2.0",
 "definitions": {"Pet": {"properties": {"id": {"type": "integer"}}}},
 "paths": {"/p": {"post": {
   "parameters": [{"in": "body", "name": "b", "schema": {"type": "object"}}],
   "responses": {"200": {"schema": {"items": {"type": "string"}}}}}}}}"#;
        assert_eq!(
            at("s.json", text, "/components/schemas/Pet/properties/id"),
            Some((
                2,
                41,
                "/definitions/Pet/properties/id".to_string(),
                Match::Rewritten
            ))
        );
        assert_eq!(
            at(
                "s.json",
                text,
                "/paths/~1p/post/responses/200/content/application~1json/schema/items"
            ),
            Some((
                5,
                37,
                "/paths/~1p/post/responses/200/schema/items".to_string(),
                Match::Rewritten
            ))
        );
        // A body parameter's index is not followed: the operation.
        assert_eq!(
            at(
                "s.json",
                text,
                "/paths/~1p/post/requestBody/content/application~1json/schema"
            ),
            Some((3, 19, "/paths/~1p/post".to_string(), Match::Enclosing))
        );
        // Hoisted under a new name: no place.
        assert_eq!(at("s.json", text, "/components/schemas/New"), None);
    }

    #[test]
    fn openapi31_rewrites() {
        let text = "openapi: 3.1.0
components:
  schemas:
    A:
      $ref: '#/components/schemas/B'
      description: d
      allOf:
        - type: object
    B:
      type: [string, integer]
      enum: [a, 1]
    C:
      const: x
      examples: [x, y]
";
        let p = |s: &str| at("s.yaml", text, s);
        assert_eq!(
            p("/components/schemas/A/allOf/0"),
            Some((
                5,
                7,
                "/components/schemas/A/$ref".to_string(),
                Match::Rewritten
            ))
        );
        assert_eq!(
            p("/components/schemas/A/allOf/1/type"),
            Some((
                8,
                11,
                "/components/schemas/A/allOf/0/type".to_string(),
                Match::Rewritten
            ))
        );
        // Split by type: the members are not in the text.
        assert_eq!(
            p("/components/schemas/B/anyOf/0/enum/0"),
            Some((9, 5, "/components/schemas/B".to_string(), Match::Enclosing))
        );
        assert_eq!(
            p("/components/schemas/B/type"),
            exact(10, 7, "/components/schemas/B/type")
        );
        assert_eq!(
            p("/components/schemas/C/enum"),
            Some((
                13,
                7,
                "/components/schemas/C/const".to_string(),
                Match::Rewritten
            ))
        );
        assert_eq!(
            p("/components/schemas/C/x-oapi-examples/1"),
            Some((
                14,
                21,
                "/components/schemas/C/examples/1".to_string(),
                Match::Rewritten
            ))
        );
        assert_eq!(
            p("/components/schemas/C/example"),
            Some((
                14,
                7,
                "/components/schemas/C/examples".to_string(),
                Match::Rewritten
            ))
        );
    }

    #[test]
    fn openapi31_nullable_type_arrays_keep_their_pointers() {
        let text = "openapi: 3.1.0
components:
  schemas:
    A:
      type: [object, 'null']
      properties:
        b: {type: string}
    B:
      type: ['null', string, integer]
      enum: [a, 1]
";
        assert_eq!(
            at("s.yaml", text, "/components/schemas/A/properties/b/type"),
            exact(7, 13, "/components/schemas/A/properties/b/type")
        );
        assert_eq!(
            at("s.yaml", text, "/components/schemas/B/anyOf/1/enum/0"),
            Some((8, 5, "/components/schemas/B".to_string(), Match::Enclosing))
        );
        // Not rewritten in OpenAPI 3.0: an `allOf` beside a `$ref` is as written.
        let text = text.replace("3.1.0", "3.0.3");
        assert_eq!(
            at("s.yaml", &text, "/components/schemas/B/enum/1"),
            exact(10, 17, "/components/schemas/B/enum/1")
        );
    }

    #[test]
    fn keys_beside_a_ref_are_not_the_targets() {
        let text = "openapi: 3.0.3
components:
  schemas:
    A:
      $ref: 'a.yaml'
      description: ignored beside a $ref
";
        assert_eq!(
            at("s.yaml", text, "/components/schemas/A/description"),
            Some((4, 5, "/components/schemas/A".to_string(), Match::Enclosing))
        );
        assert_eq!(
            at("s.yaml", text, "/components/schemas/A/$ref"),
            exact(5, 7, "/components/schemas/A/$ref")
        );
    }

    #[test]
    fn many_pointers_in_one_pass() {
        let pointers = [
            "/components/schemas/A/properties/b/type",
            "/components/schemas/B/type",
            "/nope/x",
        ];
        let found: Vec<_> = locate_all(Path::new("s.yaml"), YAML, &pointers)
            .into_iter()
            .map(|l| l.map(|l| l.line))
            .collect();
        assert_eq!(found, vec![Some(7), Some(13), None]);
    }
}
