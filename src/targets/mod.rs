//! Stage 3: targets turn the IR into files (in memory).
//!
//! A target is anything that implements [`Target`]; the built-in ones are
//! [`rust::RustTarget`] and [`markdown::MarkdownTarget`]; external programs
//! join them as [`plugin::PluginTarget`]s. Targets read only the IR, never
//! the spec.

pub mod markdown;
pub mod plugin;
pub mod rust;
pub mod snippets;

use std::path::PathBuf;

use crate::error::Result;
use crate::ir::Ir;

/// One output file, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, with `/` separators.
    pub path: PathBuf,
    /// The full contents.
    pub contents: String,
}

impl GeneratedFile {
    /// A file at `path` with `contents`.
    pub fn new(path: impl Into<PathBuf>, contents: impl Into<String>) -> Self {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// A code or documentation generator over the IR.
pub trait Target {
    /// A short name for messages (`rust`, `markdown`).
    fn name(&self) -> &str;

    /// Produces this target's files for `ir`, handing each to `emit` as
    /// soon as it is made (so that a large file set can be written without
    /// being held in memory at once); stops at the first error.
    fn generate_each(
        &self,
        ir: &Ir,
        emit: &mut dyn FnMut(GeneratedFile) -> Result<()>,
    ) -> Result<()>;

    /// All of this target's files for `ir`, in the order they are made.
    fn generate(&self, ir: &Ir) -> Result<Vec<GeneratedFile>> {
        let mut files = Vec::new();
        self.generate_each(ir, &mut |file| {
            files.push(file);
            Ok(())
        })?;
        Ok(files)
    }
}
