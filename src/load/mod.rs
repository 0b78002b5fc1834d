//! Stage 1: read the spec file (and the files it refers to), parse JSON or
//! YAML, check every `$ref`, bring the document to OpenAPI 3.0 shape, and
//! parse it into typed OpenAPI structures.
//!
//! Steps: [`parse_text`] → version check (3.0.x, 3.1.x, 3.2.x, Swagger 2.0)
//! → `bundle` (join files linked by relative `$ref`s) → local `$ref` check
//! → `normalize` (3.1/3.2 → 3.0) or `swagger2` (2.0 → 3.0) → typed parse.
//! `walk` knows which positions of a document hold schemas.
//! An OpenAPI 3.0 document in one file comes out byte for byte as read.
//!
//! Nothing here knows about Rust or Markdown; the output, [`LoadedSpec`], is
//! what the IR builder reads.

mod bundle;
mod normalize;
pub mod source_map;
mod swagger2;
mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Location, Result, escape_pointer_token};

/// A spec that was read, parsed and checked.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file it was read from.
    pub path: PathBuf,
    /// The document as a JSON value, keys in source order, in OpenAPI 3.0
    /// shape: other files joined in, 3.1/3.2 and Swagger 2.0 converted.
    pub document: Value,
    /// The typed OpenAPI 3.0 view of the same document.
    pub openapi: openapiv3::OpenAPI,
    /// Every file read: the spec itself first, then the files it refers to,
    /// sorted and without duplicates (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
}

/// Settings for [`load_with`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The folder that references between files may not leave. `None`
    /// (the default) means the folder of the spec file itself.
    pub ref_root: Option<PathBuf>,
}

/// Deepest nesting of a document (the YAML reader's limit too).
const MAX_DEPTH: usize = 2_000;

/// The kinds of document [`load`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpecVersion {
    /// OpenAPI 3.0.x: used as it is.
    V30,
    /// OpenAPI 3.1.x or 3.2.x: normalised to 3.0.
    V31,
    /// Swagger 2.0: converted to 3.0.
    Swagger2,
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

/// Reads, parses and checks the spec at `path`, joining the files it refers
/// to (which must lie in the spec's folder), and converts it to OpenAPI 3.0
/// shape.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    load_with(path, &LoadOptions::default())
}

/// [`load`] with settings.
pub fn load_with(path: &Path, options: &LoadOptions) -> Result<LoadedSpec> {
    let text = read_text(path)?;
    let document = parse_text(path, &text)?;
    let version = check_version(path, &document)?;
    let flavor = bundle::Flavor {
        swagger2: version == SpecVersion::Swagger2,
        v31: version == SpecVersion::V31,
    };
    let scan = scan_refs(path, &document, false);
    let (document, files) = if scan.external {
        let bundled = bundle::bundle(path, document, flavor, options.ref_root.as_deref())?;
        check_refs(path, &bundled.document)?;
        (bundled.document, bundled.files)
    } else if let Some(error) = scan.first_error {
        return Err(error);
    } else {
        (document, vec![path.to_path_buf()])
    };
    let document = match version {
        SpecVersion::V30 => document,
        SpecVersion::V31 | SpecVersion::Swagger2 => {
            let document = if version == SpecVersion::V31 {
                normalize::normalize(path, document)?
            } else {
                swagger2::convert(path, document)?
            };
            // Also catches a document that conversion made too deep, which
            // is then taken apart without recursion.
            if let Err(error) = check_refs(path, &document) {
                walk::dismantle(document);
                return Err(error);
            }
            document
        }
    };
    let openapi = parse_openapi(path, &document)?;
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        document,
        openapi,
        files,
    })
}

/// Reads a file as UTF-8 text, with errors that name the file.
pub fn read_text(path: &Path) -> Result<String> {
    read_text_named(path, path)
}

/// Reads `path` as UTF-8 text; errors name the file `name`.
fn read_text_named(path: &Path, name: &Path) -> Result<String> {
    if path.is_dir() {
        return Err(Error::Read {
            file: name.to_path_buf(),
            source: std::io::Error::other("is a directory, not a spec file"),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        file: name.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = e.as_bytes().get(..valid).unwrap_or_default();
        let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = prefix
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(prefix.get(line_start..).unwrap_or_default())
            .chars()
            .count()
            + 1;
        Error::Syntax {
            file: name.to_path_buf(),
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

/// Accepts OpenAPI 3.0.x, 3.1.x, 3.2.x and Swagger 2.0.
fn check_version(path: &Path, document: &Value) -> Result<SpecVersion> {
    let Some(root) = document.as_object() else {
        return Err(Error::spec(
            path,
            "",
            "not an OpenAPI document: the top level is not an object",
        ));
    };
    const READS: &str = "oapi-models reads OpenAPI 3.0.x, 3.1.x, 3.2.x and Swagger 2.0";
    if let Some(version) = root.get("openapi") {
        let Some(text) = version.as_str() else {
            return Err(Error::spec(
                path,
                "/openapi",
                format!(
                    "the OpenAPI version must be a string such as \"3.0.3\" (in YAML, quote it), found {version}"
                ),
            ));
        };
        let mut parts = text.split('.');
        return match (parts.next(), parts.next()) {
            (Some("3"), Some("0")) => Ok(SpecVersion::V30),
            (Some("3"), Some("1" | "2")) => Ok(SpecVersion::V31),
            _ => Err(Error::spec(
                path,
                "/openapi",
                format!("OpenAPI version {text:?} is not supported: {READS}"),
            )),
        };
    }
    if let Some(version) = root.get("swagger") {
        return match version.as_str() {
            Some("2.0") => Ok(SpecVersion::Swagger2),
            _ => Err(Error::spec(
                path,
                "/swagger",
                format!("Swagger version {version} is not supported: {READS}"),
            )),
        };
    }
    Err(Error::spec(
        path,
        "",
        "not an OpenAPI document: it has neither an `openapi` nor a `swagger` field",
    ))
}

/// Keys whose values are data (examples, defaults, enum values), not schema
/// structure: a `$ref` inside them is not a reference.
const DATA_KEYS: &[&str] = &[
    "example",
    "examples",
    "default",
    "enum",
    "const",
    "x-oapi-examples",
];

/// Keys whose values map names to schemas: their children are names, so a
/// child called `example` or `default` is still a schema.
const NAME_MAP_KEYS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "definitions",
    "$defs",
];

/// What a walk over a document's `$ref`s found.
struct RefScan {
    /// Whether some `$ref` (or discriminator mapping) names another file.
    external: bool,
    /// The first problem, in document order: a local `$ref` that points
    /// nowhere, or (when references to other files are errors) such a reference.
    first_error: Option<Error>,
}

/// Checks that every `$ref` in the document points at something that exists.
fn check_refs(path: &Path, document: &Value) -> Result<()> {
    match scan_refs(path, document, true).first_error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Walks every `$ref` outside example/default/enum data. With
/// `external_is_error`, a reference to another file is an error; otherwise
/// it is only noted, and the walk stops at the first one.
fn scan_refs(path: &Path, document: &Value, external_is_error: bool) -> RefScan {
    let mut external = false;
    let mut first_error: Option<Error> = None;
    // Iterative walk: (value, key under which it sits in its parent, depth, path step);
    // `trail` holds the path to the current node, for error pointers.
    let mut trail: Vec<walk::Tok<'_>> = Vec::new();
    let mut stack: Vec<(&Value, &str, usize, walk::Tok<'_>)> =
        vec![(document, "", 0, walk::Tok::Root)];
    while let Some((value, parent_key, depth, step)) = stack.pop() {
        trail.truncate(depth);
        trail.push(step);
        // Joining files and converting to 3.0 can deepen a document; the
        // typed parse recurses once per level.
        if depth >= MAX_DEPTH && (value.is_object() || value.is_array()) {
            if first_error.is_none() {
                first_error = Some(Error::spec(
                    path,
                    walk::pointer_of(&trail),
                    format!(
                        "the document nests deeper than {MAX_DEPTH} levels once other files are joined in and it is brought to OpenAPI 3.0 shape"
                    ),
                ));
            }
            if external_is_error {
                break;
            }
            continue;
        }
        match value {
            Value::Object(map) => {
                let is_name_map = NAME_MAP_KEYS.contains(&parent_key);
                if let Some(Value::String(target)) = map.get("$ref") {
                    if let Some(fragment) = target.strip_prefix('#') {
                        if !is_name_map
                            && first_error.is_none()
                            && document.pointer(&percent_decode(fragment)).is_none()
                        {
                            let ref_pointer = format!("{}/$ref", walk::pointer_of(&trail));
                            first_error =
                                resolve_local_ref(path, document, target, &ref_pointer).err();
                        }
                    } else {
                        external = true;
                        if external_is_error && first_error.is_none() {
                            let ref_pointer = format!("{}/$ref", walk::pointer_of(&trail));
                            first_error =
                                resolve_local_ref(path, document, target, &ref_pointer).err();
                        }
                    }
                }
                if !is_name_map
                    && let Some(Value::Object(mapping)) =
                        map.get("discriminator").and_then(|d| d.get("mapping"))
                    && mapping
                        .values()
                        .filter_map(Value::as_str)
                        .any(bundle::mapping_is_external)
                {
                    external = true;
                }
                let start = stack.len();
                for (key, child) in map {
                    if !is_name_map && DATA_KEYS.contains(&key.as_str()) {
                        // Example objects may still be `$ref`s to other files.
                        if key == "examples"
                            && let Value::Object(examples) = child
                            && examples
                                .values()
                                .filter_map(|e| e.get("$ref").and_then(Value::as_str))
                                .any(|r| !r.starts_with('#'))
                        {
                            external = true;
                        }
                        continue;
                    }
                    stack.push((child, key.as_str(), depth + 1, walk::Tok::Key(key)));
                }
                if let Some(pushed) = stack.get_mut(start..) {
                    pushed.reverse();
                }
            }
            Value::Array(items) => {
                let start = stack.len();
                for (i, child) in items.iter().enumerate() {
                    stack.push((child, "", depth + 1, walk::Tok::Index(i)));
                }
                if let Some(pushed) = stack.get_mut(start..) {
                    pushed.reverse();
                }
            }
            _ => {}
        }
        let done = if external_is_error {
            first_error.is_some()
        } else {
            external
        };
        if done {
            break;
        }
    }
    RefScan {
        external,
        first_error,
    }
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
                "$ref {target:?} points into another file where only references inside the document are resolved"
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
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(byte);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses the checked document into `openapiv3` structures.
fn parse_openapi(path: &Path, document: &Value) -> Result<openapiv3::OpenAPI> {
    // Fast path; on failure parse again, tracking the path for the error.
    if let Ok(openapi) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(document) {
        return Ok(openapi);
    }
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
