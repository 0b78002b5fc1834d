//! Errors of every pipeline stage, each naming the file and the place in it.

use std::path::PathBuf;

/// Where in an input document something is: a JSON pointer, and a line and
/// column when the input was text and the position is known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// JSON pointer into the document (`/components/schemas/Pet`), empty for the root.
    pub pointer: String,
    /// 1-based line and column, when known.
    pub line_col: Option<(usize, usize)>,
}

impl Location {
    /// A location given by a JSON pointer alone.
    pub fn pointer(pointer: impl Into<String>) -> Self {
        Location {
            pointer: pointer.into(),
            line_col: None,
        }
    }

    /// A location given by a line and a column alone.
    pub fn line_col(line: usize, column: usize) -> Self {
        Location {
            pointer: String::new(),
            line_col: Some((line, column)),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((line, column)) = self.line_col {
            write!(f, ":{line}:{column}")?;
        }
        if !self.pointer.is_empty() || self.line_col.is_none() {
            write!(f, "#{}", self.pointer)?;
        }
        Ok(())
    }
}

/// Every way a run can fail. The `Display` form is one line starting with
/// `file:line:col` or `file#/json/pointer` so editors and CI logs can jump
/// to the place; [`Error::render`] (in [`crate::diagnostics`]) is what the
/// CLI prints: the line and column of a pointer looked up in the file, the
/// source line with a caret, and a hint where one helps.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file (or a file it references) could not be read.
    #[error("{}: cannot read: {source}", file.display())]
    Read {
        /// The file that could not be read.
        file: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The input is not valid JSON or YAML.
    #[error("{}{location}: invalid {format}: {message}", file.display())]
    Syntax {
        /// The file with the syntax error.
        file: PathBuf,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// Where the error is.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// The document parses but is not a spec we can use: a dangling `$ref`, a
    /// structure that is not OpenAPI, or a construct not supported yet.
    #[error("{}{location}: {message}", file.display())]
    Spec {
        /// The spec file.
        file: PathBuf,
        /// Where in the spec.
        location: Location,
        /// What is wrong, with a hint where one helps.
        message: String,
    },
    /// The command line or settings ask for something impossible.
    #[error("{0}")]
    Usage(String),
    /// The output could not be written.
    #[error("{}: cannot write output: {message}", path.display())]
    Write {
        /// The path that could not be written.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// An external target (plugin) could not be run, failed, or gave an
    /// answer we refuse.
    #[error("plugin `{command}`: {message}")]
    Plugin {
        /// The plugin's command line (its target name).
        command: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Process exit code for this error: 2 for bad input, 3 for I/O and
    /// plugin failures. (The CLI adds 1 for `--check` drift and 4 for an
    /// internal error, a panic.)
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Syntax { .. } | Error::Spec { .. } | Error::Usage(_) => 2,
            Error::Read { .. } | Error::Write { .. } | Error::Plugin { .. } => 3,
        }
    }

    /// Builds a [`Error::Spec`] at a JSON pointer.
    pub fn spec(
        file: impl Into<PathBuf>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Spec {
            file: file.into(),
            location: Location::pointer(pointer),
            message: message.into(),
        }
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one JSON pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
