//! Stage 1: read the spec file, parse JSON or YAML, check every `$ref`, and
//! parse the document into typed OpenAPI structures.
//!
//! Nothing here knows about Rust or Markdown; the output, [`LoadedSpec`], is
//! what the IR builder reads.

pub mod yaml;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Location, Result, escape_pointer_token};

/// A spec that was read, parsed and checked.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file it was read from.
    pub path: PathBuf,
    /// The document as a JSON value, keys in source order.
    pub document: Value,
    /// The typed OpenAPI 3.0 view of the same document.
    pub openapi: openapiv3::OpenAPI,
}

/// The text format of a spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML (1.2).
    Yaml,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        }
    }

    /// Picks the format from the file extension, or from the first
    /// non-blank character when the extension says nothing.
    pub fn detect(path: &Path, text: &str) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
                Format::Yaml
            }
            _ if text.trim_start().starts_with('{') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Reads, parses and checks the spec at `path`.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    let text = read_text(path)?;
    let document = parse_text(path, &text)?;
    check_version(path, &document)?;
    check_refs(path, &document)?;
    let openapi = parse_openapi(path, &document)?;
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        document,
        openapi,
    })
}

/// Reads a file as UTF-8 text, with errors that name the file.
pub fn read_text(path: &Path) -> Result<String> {
    if path.is_dir() {
        return Err(Error::Read {
            file: path.to_path_buf(),
            source: std::io::Error::other("is a directory, not a spec file"),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        file: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = &e.as_bytes()[..valid];
        let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = prefix
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&prefix[line_start..])
            .chars()
            .count()
            + 1;
        Error::Syntax {
            file: path.to_path_buf(),
            format: "text",
            location: Location::line_col(line, column),
            message: format!("not UTF-8 (invalid byte at offset {valid})"),
        }
    })
}

/// Parses spec text as JSON or YAML (see [`Format::detect`]).
pub fn parse_text(path: &Path, text: &str) -> Result<Value> {
    let format = Format::detect(path, text);
    let syntax_error = |line, column, message: String| Error::Syntax {
        file: path.to_path_buf(),
        format: format.name(),
        location: Location::line_col(line, column),
        message,
    };
    if text.trim().is_empty() {
        return Err(syntax_error(1, 1, "the file is empty".to_string()));
    }
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            // serde_json appends " at line L column C"; we print the position ourselves.
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            syntax_error(e.line(), e.column(), message)
        }),
        Format::Yaml => {
            yaml::parse_yaml(text).map_err(|e| syntax_error(e.line, e.column, e.message))
        }
    }
}

/// Accepts OpenAPI 3.0.x; says clearly what is not supported yet.
fn check_version(path: &Path, document: &Value) -> Result<()> {
    let Some(root) = document.as_object() else {
        return Err(Error::spec(
            path,
            "",
            "not an OpenAPI document: the top level is not an object",
        ));
    };
    if let Some(version) = root.get("openapi") {
        let version = version.as_str().unwrap_or_default();
        if version.starts_with("3.0") {
            return Ok(());
        }
        return Err(Error::spec(
            path,
            "/openapi",
            format!(
                "OpenAPI version {version:?} is not supported yet: this version of oapi-models reads OpenAPI 3.0.x"
            ),
        ));
    }
    if root.contains_key("swagger") {
        return Err(Error::spec(
            path,
            "/swagger",
            "Swagger 2.0 is not supported yet: this version of oapi-models reads OpenAPI 3.0.x",
        ));
    }
    Err(Error::spec(
        path,
        "",
        "not an OpenAPI document: it has neither an `openapi` nor a `swagger` field",
    ))
}

/// Keys whose values are data (examples, defaults, enum values), not schema
/// structure: a `$ref` inside them is not a reference.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Keys whose values map names to schemas: their children are names, so a
/// child called `example` or `default` is still a schema.
const NAME_MAP_KEYS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "definitions",
    "$defs",
];

/// Checks that every `$ref` in the document points at something that exists.
fn check_refs(path: &Path, document: &Value) -> Result<()> {
    // Iterative walk: (value, pointer, key under which the value sits in its parent).
    let mut stack: Vec<(&Value, String, &str)> = vec![(document, String::new(), "")];
    while let Some((value, pointer, parent_key)) = stack.pop() {
        match value {
            Value::Object(map) => {
                let is_name_map = NAME_MAP_KEYS.contains(&parent_key);
                if !is_name_map && let Some(Value::String(target)) = map.get("$ref") {
                    let ref_pointer = format!("{pointer}/$ref");
                    resolve_local_ref(path, document, target, &ref_pointer)?;
                }
                for (key, child) in map.iter().rev() {
                    if !is_name_map && DATA_KEYS.contains(&key.as_str()) {
                        continue;
                    }
                    let child_pointer = format!("{pointer}/{}", escape_pointer_token(key));
                    stack.push((child, child_pointer, key.as_str()));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((child, format!("{pointer}/{i}"), ""));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Resolves a `$ref` that points into the same document (`#/…`).
pub fn resolve_local_ref<'a>(
    path: &Path,
    document: &'a Value,
    target: &str,
    ref_pointer: &str,
) -> Result<&'a Value> {
    let Some(fragment) = target.strip_prefix('#') else {
        return Err(Error::spec(
            path,
            ref_pointer,
            format!(
                "$ref {target:?} points into another file: references between files are not supported yet"
            ),
        ));
    };
    let decoded = percent_decode(fragment);
    document.pointer(&decoded).ok_or_else(|| {
        Error::spec(
            path,
            ref_pointer,
            format!("$ref {target:?} points nowhere: the document has nothing at {decoded:?}"),
        )
    })
}

/// Decodes `%XX` escapes in a URI fragment.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses the checked document into `openapiv3` structures.
fn parse_openapi(path: &Path, document: &Value) -> Result<openapiv3::OpenAPI> {
    serde_path_to_error::deserialize(document).map_err(|e| {
        let pointer: String = e
            .path()
            .iter()
            .filter_map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => {
                    Some(format!("/{}", escape_pointer_token(key)))
                }
                serde_path_to_error::Segment::Enum { variant } => {
                    Some(format!("/{}", escape_pointer_token(variant)))
                }
                serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        Error::spec(
            path,
            pointer,
            format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/paths/~1a%7Bid%7D"), "/paths/~1a{id}");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn format_detection() {
        assert_eq!(Format::detect(Path::new("a.json"), ""), Format::Json);
        assert_eq!(Format::detect(Path::new("a.YML"), "{"), Format::Yaml);
        assert_eq!(Format::detect(Path::new("a"), "  {"), Format::Json);
        assert_eq!(Format::detect(Path::new("a"), "openapi: 3"), Format::Yaml);
    }
}
