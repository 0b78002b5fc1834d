//! The configuration file, `oapi-models.toml`.
//!
//! The file holds the same settings as the [`Generator`](crate::Generator)
//! builder. The CLI looks for it next to the spec (or takes `--config`);
//! `build.rs` passes it with
//! [`Generator::config_file`](crate::Generator::config_file). Every key is
//! optional, unknown keys are errors naming the key, and relative paths are
//! relative to the file's own folder. [`DEFAULT_CONFIG`] is the commented
//! file `oapi-models init` writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::targets::MapType;
use crate::targets::rust::ModuleLayout;

/// The name the CLI looks for next to the spec.
pub const CONFIG_FILE: &str = "oapi-models.toml";

/// The commented default configuration written by `oapi-models init`.
/// Every setting in it is the built-in default, so writing it changes
/// nothing until a value is edited.
pub const DEFAULT_CONFIG: &str = include_str!("default-config.toml");

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Output directory (`--out` overrides it).
    pub out: Option<PathBuf>,
    /// Also write `Cargo.toml`, `src/lib.rs` and tests for a crate of this name.
    pub crate_name: Option<String>,
    /// The folder `$ref`s between files may reach.
    pub ref_root: Option<PathBuf>,
    /// External targets: command lines run with the IR as JSON on stdin.
    pub plugins: Vec<String>,
    /// Whether warnings fail the run.
    pub deny_warnings: Option<bool>,
    /// Limits on the input.
    pub limits: LimitsConfig,
    /// Settings of the Rust target.
    pub rust: RustConfig,
    /// Settings of the Markdown target.
    pub docs: DocsConfig,
}

/// `[rust]`: the generated code.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustConfig {
    /// A file per model, or one file.
    pub layout: Option<ModuleLayout>,
    /// Where the models go inside the output directory.
    pub models_path: Option<String>,
    /// Derives added to every generated type.
    pub derives: Vec<String>,
    /// The map type for `additionalProperties`.
    pub map_type: Option<MapType>,
    /// Whether enums keep values the spec does not list.
    pub enum_catch_all: Option<bool>,
    /// `format` → Rust type path.
    pub format_types: BTreeMap<String, String>,
    /// Schema name → Rust type path used instead of a generated model.
    pub replacements: BTreeMap<String, String>,
}

/// `[limits]`: how large and how deep a spec may be.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsConfig {
    /// Largest file read, in bytes (the spec and each file it refers to).
    pub max_spec_bytes: Option<u64>,
    /// Deepest nesting of objects and arrays.
    pub max_depth: Option<usize>,
}

/// `[docs]`: the reference pages.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocsConfig {
    /// Whether to write pages at all.
    pub enabled: Option<bool>,
    /// Folder of the pages inside the output directory.
    pub dir: Option<String>,
    /// Whether to write the index page.
    pub index: Option<bool>,
    /// A folder whose files replace the built-in templates of the same name.
    pub templates: Option<PathBuf>,
    /// What root-relative links in descriptions are prefixed with.
    pub link_base: Option<String>,
}

/// A configuration read from a file, with the folder its relative paths
/// start from.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigFile {
    /// The file.
    pub path: PathBuf,
    /// Its contents.
    pub config: Config,
}

impl ConfigFile {
    /// Reads and checks a configuration file.
    pub fn read(path: &Path) -> Result<ConfigFile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            file: path.to_path_buf(),
            source: e,
        })?;
        Ok(ConfigFile {
            path: path.to_path_buf(),
            config: parse(path, &text)?,
        })
    }

    /// The configuration next to `spec` ([`CONFIG_FILE`] in its folder), if any.
    pub fn discover(spec: &Path) -> Result<Option<ConfigFile>> {
        let dir = spec.parent().unwrap_or(Path::new(""));
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            ConfigFile::read(&candidate).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A path from the file, made relative to the current directory.
    pub fn resolve(&self, relative: &Path) -> PathBuf {
        match self.path.parent() {
            Some(dir) if relative.is_relative() => dir.join(relative),
            _ => relative.to_path_buf(),
        }
    }

    /// The folder relative paths in the file start from.
    pub fn dir(&self) -> PathBuf {
        self.resolve(Path::new("."))
    }
}

/// Parses configuration text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Config> {
    toml::from_str(text).map_err(|e| {
        let line_col = e.span().map(|span| line_col(text, span.start));
        Error::Syntax {
            file: path.to_path_buf(),
            format: "configuration",
            location: Location {
                pointer: String::new(),
                line_col,
            },
            message: e.message().trim().to_string(),
        }
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
