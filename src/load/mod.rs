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
mod hoist;
mod json;
mod lenient;
mod normalize;
pub mod schema;
pub mod source_map;
mod swagger2;
pub mod typed;
mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Location, Result, escape_pointer_token};

pub use typed::TypedSpec;

/// A spec that was read, parsed, checked and typed: what the IR builder
/// reads.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file it was read from.
    pub path: PathBuf,
    /// The parts of the document that hold models, typed (see
    /// [`TypedSpec`]).
    pub spec: TypedSpec,
    /// Every file read: the spec itself first, then the files it refers to,
    /// sorted and without duplicates (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
    /// What the loader worked around (a schema keyword holding the wrong
    /// JSON type), in document order. [`crate::Generator`] puts them first
    /// among the IR's warnings, so they are printed and denied alike.
    pub warnings: Vec<Warning>,
}

/// Something in the spec that the loader read leniently, at a JSON pointer
/// of the document in OpenAPI 3.0 shape (as the IR's warnings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON pointer of the value concerned.
    pub pointer: String,
    /// What was found and what was done with it.
    pub message: String,
}

/// A document that was read, parsed and checked, before the typed parse:
/// see [`load_document`].
#[derive(Debug, Clone)]
pub struct LoadedDocument {
    /// The file it was read from.
    pub path: PathBuf,
    /// The document as a JSON value, keys in source order, in OpenAPI 3.0
    /// shape: other files joined in, 3.1/3.2 and Swagger 2.0 converted.
    pub document: Value,
    /// Every file read (as [`LoadedSpec::files`]).
    pub files: Vec<PathBuf>,
    /// What loading left out or changed, each with its place.
    pub warnings: Vec<Warning>,
}

/// Settings for [`load_with`].
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The folder that references between files may not leave. `None`
    /// (the default) means the folder of the spec file itself.
    pub ref_root: Option<PathBuf>,
    /// Largest file read, in bytes: the spec and each file it refers to
    /// (default [`DEFAULT_MAX_SPEC_BYTES`]).
    pub max_bytes: u64,
    /// Deepest nesting of objects and arrays (the top level is level 1) in
    /// every file read and in the document once joined and converted to
    /// OpenAPI 3.0 (default [`DEFAULT_MAX_DEPTH`]). Later stages recurse
    /// once per level, so this also bounds their stack use.
    pub max_depth: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            ref_root: None,
            max_bytes: DEFAULT_MAX_SPEC_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// Default of [`LoadOptions::max_bytes`]: 256 MiB, 20 times the largest
/// public spec we know (GitHub's, 13 MB), and about what a 64-bit machine
/// can parse into a value in a few GB of memory.
pub const DEFAULT_MAX_SPEC_BYTES: u64 = 256 * 1024 * 1024;

/// Default of [`LoadOptions::max_depth`]: 128 levels, five times the
/// deepest spec in our corpus (Stripe's, 25), `serde_json`'s own default,
/// and safe for the recursive stages (typed parse, IR, code formatting)
/// on an 8 MB main-thread stack even in a debug build.
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// How to raise the depth limit, for error messages.
const RAISE_DEPTH: &str =
    "raise the limit with --max-depth N or `max-depth = N` under [limits] in oapi-models.toml";

/// The message for a document nested deeper than `max_depth` levels.
fn too_deep(max_depth: usize, what: &str) -> String {
    format!("{what} nests deeper than {max_depth} levels ({RAISE_DEPTH})")
}

/// The error for a file over the limit `max_bytes`: `size` bytes, or (for
/// a device or pipe) at least that many.
fn too_large(name: &Path, size: Option<u64>, max_bytes: u64) -> Error {
    let size = match size {
        Some(size) => format!("is {size} bytes, over"),
        None => "does not end before".to_string(),
    };
    Error::spec(
        name,
        "",
        format!(
            "the file {size} the limit of {max_bytes} bytes (raise it with \
             --max-spec-bytes N or `max-spec-bytes = N` under [limits] in oapi-models.toml)"
        ),
    )
}

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
/// to (which must lie in the spec's folder), converts it to OpenAPI 3.0
/// shape and parses the parts that hold models.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    load_with(path, &LoadOptions::default())
}

/// [`load`] with settings.
pub fn load_with(path: &Path, options: &LoadOptions) -> Result<LoadedSpec> {
    load_document(path, options)?.into_spec()
}

/// [`load_with`] for a spec already in memory: `bytes` are taken as the
/// content of the file `name`, which errors name and whose extension picks
/// JSON or YAML (see [`Format::detect`]); nothing is read for the spec
/// itself. A document with no references to other files needs no file at
/// all (`name` need not exist). References to other files are resolved as
/// for a file: relative to `name`'s folder and inside
/// [`LoadOptions::ref_root`] (default that folder); `name` must then be an
/// existing file (its content is not read, `bytes` are used instead),
/// otherwise the load fails with a read error saying so.
pub fn load_bytes(name: &Path, bytes: &[u8], options: &LoadOptions) -> Result<LoadedSpec> {
    let document = parse_bytes(name, bytes, options)?;
    convert(name, document, options)?.into_spec()
}

/// The steps of [`load_with`] before the typed parse: the whole document
/// in OpenAPI 3.0 shape, as a JSON value.
pub fn load_document(path: &Path, options: &LoadOptions) -> Result<LoadedDocument> {
    let document = {
        // The file's bytes are freed as soon as they are parsed.
        let bytes = read_bytes_named(path, path, options.max_bytes)?;
        parse_bytes(path, &bytes, options)?
    };
    convert(path, document, options)
}

/// Parses the content of the file `name`, within the size and depth limits.
fn parse_bytes(name: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Value> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > options.max_bytes {
        return Err(too_large(name, Some(size), options.max_bytes));
    }
    let text = decode_utf8(name, bytes)?;
    parse_text_with(name, text, options.max_depth)
}

/// Checks the version and every `$ref` of the parsed document at `path`,
/// joins the files it refers to and converts it to OpenAPI 3.0 shape.
fn convert(path: &Path, document: Value, options: &LoadOptions) -> Result<LoadedDocument> {
    let version = check_version(path, &document)?;
    let flavor = bundle::Flavor {
        swagger2: version == SpecVersion::Swagger2,
        v31: version == SpecVersion::V31,
    };
    let scan = scan_refs(path, &document, flavor.swagger2, false, options.max_depth);
    let (document, files, warnings) = if scan.external {
        if !path.is_file() {
            return Err(Error::Read {
                file: path.to_path_buf(),
                source: std::io::Error::other(
                    "the spec was given in memory and refers to other files, which are found \
                     from the spec file's folder: it must be an existing file",
                ),
            });
        }
        let bundled = bundle::bundle(path, document, flavor, options)?;
        check_refs(path, &bundled.document, flavor.swagger2, options.max_depth)?;
        (bundled.document, bundled.files, bundled.warnings)
    } else if let Some(error) = scan.first_error {
        return Err(error);
    } else {
        (document, vec![path.to_path_buf()], Vec::new())
    };
    let document = match version {
        SpecVersion::V30 => {
            let mut document = document;
            normalize::normalize_v30_shapes(&mut document)?;
            document
        }
        SpecVersion::V31 | SpecVersion::Swagger2 => {
            let document = if version == SpecVersion::V31 {
                normalize::normalize(path, document)?
            } else {
                let mut document = swagger2::convert(path, document)?;
                normalize::normalize_v30_shapes(&mut document)?;
                document
            };
            // Also catches a document that conversion made too deep, which
            // is then taken apart without recursion.
            if let Err(error) = check_refs(path, &document, false, options.max_depth) {
                walk::dismantle(document);
                return Err(error);
            }
            document
        }
    };
    let mut document = document;
    hoist::hoist_ref_targets(path, &mut document)?;
    Ok(LoadedDocument {
        path: path.to_path_buf(),
        document,
        files,
        warnings,
    })
}

impl LoadedDocument {
    /// The typed parse: the parts of the document that hold models, as
    /// [`TypedSpec`]. Schema keywords holding the wrong JSON type are fixed
    /// first, each with a warning (see `lenient.rs`). The document is
    /// written out as compact JSON and freed before the typed form is built
    /// from that text, so the two large forms are never in memory together.
    pub fn into_spec(self) -> Result<LoadedSpec> {
        let LoadedDocument {
            path,
            mut document,
            files,
            warnings: mut load_warnings,
        } = self;
        let hoisted: std::collections::HashMap<String, String> = document
            .get(hoist::HOISTED_KEY)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        // Places inside a component made of a `$ref` target are reported
        // where the schema was written.
        let original =
            |pointer: String| hoist::original_pointer(&hoisted, &pointer).unwrap_or(pointer);
        load_warnings.extend(
            lenient::fix_schema_keywords(&mut document)?
                .into_iter()
                .map(|mut w| {
                    w.pointer = original(std::mem::take(&mut w.pointer));
                    w
                }),
        );
        let warnings = load_warnings;
        let ref_examples = ref_examples(&document)?
            .into_iter()
            .map(|(pointer, example)| (original(pointer), example))
            .collect();
        let json = serde_json::to_string(&document).map_err(|e| {
            Error::spec(&path, "", format!("cannot write the document as JSON: {e}"))
        })?;
        drop(document);
        crate::memory::release_free_memory();
        let mut spec: TypedSpec = match from_json_unbounded(&json) {
            Ok(spec) => spec,
            Err(_) => {
                // Parse again as a value, tracking the path for the error.
                let document: Value = from_json_unbounded(&json).map_err(|e| {
                    Error::spec(&path, "", format!("cannot read back the document: {e}"))
                })?;
                return Err(typed_parse_error(&path, &document));
            }
        };
        spec.ref_examples = ref_examples;
        Ok(LoadedSpec {
            path,
            spec,
            files,
            warnings,
        })
    }
}

/// Parses JSON text already checked for depth (the depth limit of the
/// loader applies, not serde_json's fixed 128).
fn from_json_unbounded<T: serde::de::DeserializeOwned>(json: &str) -> serde_json::Result<T> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    deserializer.disable_recursion_limit();
    let value = T::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Examples written beside a `$ref` in schema positions, by the pointer of
/// the object holding both.
fn ref_examples(document: &Value) -> Result<std::collections::HashMap<String, Value>> {
    let mut found = std::collections::HashMap::new();
    walk::visit(document, walk::Ctx::Root, false, |value, ctx, trail| {
        if matches!(ctx, walk::Ctx::Schema | walk::Ctx::ComponentEntry)
            && let Value::Object(map) = value
            && walk::ref_of(map).is_some()
            && let Some(example) = map.get("example")
        {
            found.insert(walk::pointer_of(trail), example.clone());
        }
        Ok(true)
    })?;
    Ok(found)
}

/// Reads a file as UTF-8 text, with errors that name the file.
pub fn read_text(path: &Path) -> Result<String> {
    read_text_named(path, path, DEFAULT_MAX_SPEC_BYTES)
}

/// Reads `path` as UTF-8 text, at most `max_bytes`; errors name the file `name`.
fn read_text_named(path: &Path, name: &Path, max_bytes: u64) -> Result<String> {
    let bytes = read_bytes_named(path, name, max_bytes)?;
    decode_utf8(name, &bytes).map(str::to_string)
}

/// Reads the bytes of `path`, refusing more than `max_bytes` (also from a
/// device or pipe that never ends); errors name the file `name`.
fn read_bytes_named(path: &Path, name: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    use std::io::Read as _;
    if path.is_dir() {
        return Err(Error::Read {
            file: name.to_path_buf(),
            source: std::io::Error::other("is a directory, not a spec file"),
        });
    }
    let read_error = |source| Error::Read {
        file: name.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > max_bytes {
        return Err(too_large(name, Some(size), max_bytes));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > max_bytes {
        // The metadata said less: a device, a pipe, or a file still growing.
        return Err(too_large(name, None, max_bytes));
    }
    Ok(bytes)
}

/// Checks that `bytes` (the content of the file `name`) are UTF-8 text.
fn decode_utf8<'a>(name: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = bytes.get(..valid).unwrap_or_default();
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

/// Parses spec text as JSON or YAML (see [`Format::detect`]), nested at
/// most [`DEFAULT_MAX_DEPTH`] levels.
pub fn parse_text(path: &Path, text: &str) -> Result<Value> {
    parse_text_with(path, text, DEFAULT_MAX_DEPTH)
}

/// [`parse_text`] with another nesting limit.
pub fn parse_text_with(path: &Path, text: &str, max_depth: usize) -> Result<Value> {
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
    let depth_error = |line, column| Error::Spec {
        file: path.to_path_buf(),
        location: Location::line_col(line, column),
        message: too_deep(max_depth, "the document"),
    };
    match format {
        Format::Json => json::parse_json(text, max_depth).map_err(|e| {
            if e.too_deep {
                depth_error(e.line, e.column)
            } else {
                syntax_error(e.line, e.column, e.message)
            }
        }),
        Format::Yaml => yaml::parse_yaml_with_depth(text, max_depth).map_err(|e| {
            if e.too_deep {
                depth_error(e.line, e.column)
            } else {
                syntax_error(e.line, e.column, e.message)
            }
        }),
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
/// structure: skipped when looking for a `type` that is not a string.
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

/// Checks that every `$ref` in the document (Swagger 2.0 when `swagger2`)
/// points at something that exists.
fn check_refs(path: &Path, document: &Value, swagger2: bool, max_depth: usize) -> Result<()> {
    match scan_refs(path, document, swagger2, true, max_depth).first_error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Walks every `$ref` that is a reference (not data: see
/// `walk::Ctx::holds_data`) of a document (Swagger 2.0 when `swagger2`).
/// With `external_is_error`, a reference to another file is an error;
/// otherwise it is only noted, and the walk stops at the first one.
fn scan_refs(
    path: &Path,
    document: &Value,
    swagger2: bool,
    external_is_error: bool,
    max_depth: usize,
) -> RefScan {
    use walk::Ctx;
    let mut external = false;
    let mut first_error: Option<Error> = None;
    // Iterative walk: (value, its context, depth, path step); `trail` holds
    // the path to the current node, for error pointers. Data is not walked.
    let mut trail: Vec<walk::Tok<'_>> = Vec::new();
    let mut stack: Vec<(&Value, Ctx, usize, walk::Tok<'_>)> = vec![(
        document,
        walk::settle(Ctx::Root, document),
        0,
        walk::Tok::Root,
    )];
    while let Some((value, ctx, depth, step)) = stack.pop() {
        trail.truncate(depth);
        trail.push(step);
        // Joining files and converting to 3.0 can deepen a document; the
        // typed parse recurses once per level.
        if depth >= max_depth && (value.is_object() || value.is_array()) {
            if first_error.is_none() {
                first_error = Some(Error::spec(
                    path,
                    walk::pointer_of(&trail),
                    too_deep(
                        max_depth,
                        "once other files are joined in and it is brought to OpenAPI 3.0 shape, the document",
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
                if ctx.follows_refs()
                    && let Some(Value::String(target)) = map.get("$ref")
                {
                    if let Some(fragment) = target.strip_prefix('#') {
                        if first_error.is_none()
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
                if ctx.is_schema()
                    && let Some(Value::Object(mapping)) =
                        map.get("discriminator").and_then(|d| d.get("mapping"))
                    && mapping
                        .values()
                        .filter_map(Value::as_str)
                        .any(bundle::mapping_is_external)
                {
                    external = true;
                }
                let name_map = ctx.is_name_map();
                let start = stack.len();
                for (key, child) in map {
                    if name_map && key == "$ref" && child.is_string() {
                        continue;
                    }
                    let child_ctx = walk::settle(ctx.child(key, swagger2), child);
                    if child_ctx.follows_refs() {
                        stack.push((child, child_ctx, depth + 1, walk::Tok::Key(key)));
                    }
                }
                if let Some(pushed) = stack.get_mut(start..) {
                    pushed.reverse();
                }
            }
            Value::Array(items) => {
                let element = ctx.element();
                if element.follows_refs() {
                    let start = stack.len();
                    for (i, child) in items.iter().enumerate() {
                        stack.push((
                            child,
                            walk::settle(element, child),
                            depth + 1,
                            walk::Tok::Index(i),
                        ));
                    }
                    if let Some(pushed) = stack.get_mut(start..) {
                        pushed.reverse();
                    }
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
        let target = quote_elided(target);
        let message = if !decoded.is_empty() && !decoded.starts_with('/') {
            let hint = if document.pointer(&format!("/{decoded}")).is_some() {
                format!(" (did you mean \"#/{decoded}\"?)")
            } else {
                String::new()
            };
            format!(
                "$ref {target} is not a JSON pointer: after `#` it must start with `/`{hint}; \
                 anchors (`#name`) are not supported"
            )
        } else if let Some(bad) = bad_pointer_escape(&decoded) {
            format!(
                "$ref {target} is not a valid JSON pointer: `{bad}` is not an escape \
                 (`~0` stands for `~`, `~1` for `/`)"
            )
        } else {
            format!(
                "$ref {target} points nowhere: the document has nothing at {}",
                quote_elided(&decoded)
            )
        };
        Error::spec(path, ref_pointer, message)
    })
}

/// The first `~` escape in a JSON pointer that is neither `~0` nor `~1`.
fn bad_pointer_escape(pointer: &str) -> Option<String> {
    let mut chars = pointer.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.peek() {
                Some('0' | '1') => {}
                Some(next) => return Some(format!("~{next}")),
                None => return Some("~".to_string()),
            }
        }
    }
    None
}

/// `text` quoted for a message (`"abc"`), cut after 60 characters with its
/// full length given, so a huge value from the spec does not flood the
/// terminal.
pub(crate) fn quote_elided(text: &str) -> String {
    const KEEP: usize = 60;
    match text.char_indices().nth(KEEP) {
        None => format!("{text:?}"),
        Some((cut, _)) => {
            let head = text.get(..cut).unwrap_or_default();
            format!("{head:?}… ({} bytes)", text.len())
        }
    }
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

/// The error of a typed parse that failed: where in `document` and why.
fn typed_parse_error(path: &Path, document: &Value) -> Error {
    let result: std::result::Result<TypedSpec, _> = serde_path_to_error::deserialize(document);
    let Err(e) = result else {
        return Error::spec(
            path,
            "",
            "not a valid OpenAPI 3.0 document (the typed parse failed, but not again)",
        );
    };
    {
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
        // A schema is parsed as "a $ref or a schema", which loses the
        // place of the error inside it; a `type` that is not a string is
        // the usual cause, so look for one.
        if let Some((at, found)) = document
            .pointer(&pointer)
            .and_then(|subtree| non_string_type(subtree, &pointer))
        {
            let hint = if found.is_array() {
                " (a list of types is OpenAPI 3.1: declare `openapi: 3.1.0`, or use \
                 one type and `nullable: true`)"
            } else {
                ""
            };
            return Error::spec(
                path,
                at,
                format!(
                    "not a valid OpenAPI 3.0 document: `type` must be a string such as \
                     \"string\" or \"object\", found {}{hint}",
                    elided_json(found)
                ),
            );
        }
        Error::spec(
            path,
            pointer,
            format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
        )
    }
}

/// A value as JSON text, cut after 60 characters.
pub(crate) fn elided_json(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text,
    }
}

/// The first `type` in `value` (document order, data such as examples
/// skipped) whose value is not a string: its pointer (`base` + the path)
/// and its value.
fn non_string_type<'a>(value: &'a Value, base: &str) -> Option<(String, &'a Value)> {
    let mut stack: Vec<(&Value, String, bool)> = vec![(value, base.to_string(), false)];
    while let Some((node, at, in_name_map)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if !in_name_map && let Some(found) = map.get("type").filter(|t| !t.is_string()) {
                    return Some((format!("{at}/type"), found));
                }
                for (key, child) in map.iter().rev() {
                    if !in_name_map && DATA_KEYS.contains(&key.as_str()) {
                        continue;
                    }
                    let is_name_map = !in_name_map && NAME_MAP_KEYS.contains(&key.as_str());
                    stack.push((
                        child,
                        format!("{at}/{}", escape_pointer_token(key)),
                        is_name_map,
                    ));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((child, format!("{at}/{i}"), false));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_elided_in_messages() {
        assert_eq!(quote_elided("strin"), "\"strin\"");
        let long = "x".repeat(1_000);
        assert_eq!(
            quote_elided(&long),
            format!("\"{}\"… (1000 bytes)", "x".repeat(60))
        );
    }

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
