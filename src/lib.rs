//! oapi-models: OpenAPI documents → Rust model code and Markdown reference pages.
//!
//! The pipeline has four stages, one module each, and dependencies point one
//! way only:
//!
//! 1. [`load`]: read JSON or YAML, check `$ref`s, parse into typed OpenAPI;
//! 2. [`ir`]: build the intermediate model, where every naming and typing
//!    decision is made;
//! 3. [`targets`]: turn the IR into files in memory (Rust, Markdown, …);
//! 4. [`output`]: write the files, all or nothing.
//!
//! [`Generator`] runs them for the CLI, `build.rs` and tests alike.

pub mod error;
pub mod ir;
pub mod load;
pub mod output;
pub mod targets;

use std::path::Path;

pub use error::{Error, Result};
use ir::Ir;
use load::LoadedSpec;
use targets::markdown::MarkdownTarget;
use targets::rust::RustTarget;
pub use targets::rust::{MapType, ModuleLayout, RustOptions};
use targets::{GeneratedFile, Target};

/// Runs the pipeline with one set of settings.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    crate_name: Option<String>,
    settings: ir::Settings,
    /// Layout, folder, derives and map type of the Rust code.
    rust: RustOptions,
    load_options: load::LoadOptions,
    /// External targets, run in order after the built-in ones.
    plugins: Vec<targets::plugin::PluginTarget>,
}

impl Generator {
    /// A generator with default settings: models and pages, no crate files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also write `Cargo.toml`, `src/lib.rs` and `tests/examples.rs` for a crate of this name.
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// Whether enums get a catch-all variant for values the spec does not
    /// list (default: yes).
    pub fn enum_catch_all(mut self, on: bool) -> Self {
        self.settings.enum_catch_all = on;
        self
    }

    /// Maps an OpenAPI `format` to a Rust type path, overriding the default
    /// mapping (e.g. `format_type("uuid", "String")`).
    pub fn format_type(mut self, format: impl Into<String>, rust_type: impl Into<String>) -> Self {
        self.settings
            .format_types
            .insert(format.into(), rust_type.into());
        self
    }

    /// One file per model (the default) or one file for all models (see
    /// [`ModuleLayout`]).
    pub fn module_layout(mut self, layout: ModuleLayout) -> Self {
        self.rust.layout = layout;
        self
    }

    /// Where the models go inside the output directory, without `.rs`
    /// (default `src/models`; see [`RustOptions::models_path`]).
    pub fn models_path(mut self, path: impl Into<String>) -> Self {
        self.rust.models_path = path.into();
        self
    }

    /// Adds a derive to every generated struct, enum and union (e.g. `Hash`,
    /// `schemars::JsonSchema`; see [`RustOptions::extra_derives`]). Repeatable.
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.rust.extra_derives.push(path.into());
        self
    }

    /// The map type of `additionalProperties` (default `BTreeMap`).
    pub fn map_type(mut self, map_type: MapType) -> Self {
        self.rust.map_type = map_type;
        self
    }

    /// All Rust code options at once, replacing those set before.
    pub fn rust_options(mut self, options: RustOptions) -> Self {
        self.rust = options;
        self
    }

    /// Uses the Rust type `rust_type` (a path such as `crate::money::Money`)
    /// for the schema `schema_name` of `components/schemas`: no model is
    /// generated for it and every reference to it has that type (`allOf`
    /// members referencing it still contribute its properties). A name
    /// that is not a component schema is an error. The same as
    /// `x-rust-type: "crate::money::Money"` on the schema, which it overrides.
    /// Use absolute paths (`crate::…`, a crate name): they mean the same in
    /// both module layouts.
    pub fn replace(mut self, schema_name: impl Into<String>, rust_type: impl Into<String>) -> Self {
        self.settings
            .replacements
            .insert(schema_name.into(), rust_type.into());
        self
    }

    /// The folder that `$ref`s between files may not leave (default: the
    /// spec file's own folder).
    pub fn ref_root(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.load_options.ref_root = Some(dir.into());
        self
    }

    /// Adds an external target, run after the built-in ones (and after the
    /// plugins added before it) with the IR as JSON on its standard input;
    /// see `docs/plugins.md`. A path that two targets produce is an error.
    pub fn plugin(mut self, plugin: targets::plugin::PluginTarget) -> Self {
        self.plugins.push(plugin);
        self
    }

    /// Stage 1: reads and checks the spec.
    pub fn load(&self, spec: &Path) -> Result<LoadedSpec> {
        load::load_with(spec, &self.load_options)
    }

    /// Stage 2: builds the IR.
    pub fn build_ir(&self, spec: &LoadedSpec) -> Result<Ir> {
        ir::build(spec, &self.settings)
    }

    /// Stage 3: runs every target over the IR; files are sorted by path.
    pub fn generate_files(&self, ir: &Ir) -> Result<Vec<GeneratedFile>> {
        let targets: [&dyn Target; 2] = [
            &RustTarget {
                crate_name: self.crate_name.clone(),
                options: self.rust.clone(),
            },
            &MarkdownTarget::default(),
        ];
        let mut outputs = Vec::new();
        for target in targets {
            outputs.push((target.name(), target.generate(ir)?));
        }
        for plugin in &self.plugins {
            outputs.push((plugin.name(), plugin.generate(ir)?));
        }
        let mut files = targets::plugin::merge_outputs(outputs)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Stages 1–3: everything in memory.
    pub fn generate(&self, spec: &Path) -> Result<Generated> {
        let loaded = self.load(spec)?;
        let ir = self.build_ir(&loaded)?;
        let files = self.generate_files(&ir)?;
        Ok(Generated { ir, files })
    }
}

/// The result of a run before anything is written.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The intermediate model.
    pub ir: Ir,
    /// Every output file.
    pub files: Vec<GeneratedFile>,
}

impl Generated {
    /// Number of models (named types).
    pub fn model_count(&self) -> usize {
        self.ir.models.len()
    }

    /// Number of reference pages written (the index not counted).
    pub fn page_count(&self) -> usize {
        self.ir
            .models
            .iter()
            .filter(|m| targets::markdown::has_page(m))
            .count()
    }

    /// Stage 4: writes the files under `out_dir`.
    pub fn write(&self, out_dir: &Path) -> Result<output::WriteReport> {
        output::write_files(out_dir, &self.files)
    }
}
