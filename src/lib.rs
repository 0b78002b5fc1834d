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

// Input data must never make the library panic: no unwrap, expect or
// unchecked indexing outside tests (issue: never panic, never lose output).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod config;
pub mod diagnostics;
pub mod error;
pub mod ir;
pub mod load;
mod memory;
pub mod output;
pub mod targets;

use std::path::{Path, PathBuf};

use config::ConfigFile;
use diagnostics::Sources;
pub use error::{Error, Result};
use ir::Ir;
use load::LoadedSpec;
pub use targets::MapType;
use targets::markdown::{MarkdownTarget, Templates};
use targets::rust::RustTarget;
pub use targets::rust::{ModuleLayout, RustOptions};
use targets::{GeneratedFile, Target};

/// Runs the pipeline with one set of settings.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    crate_name: Option<String>,
    settings: ir::Settings,
    /// Layout, folder, derives and map type of the Rust code.
    rust: RustOptions,
    load_options: load::LoadOptions,
    docs: DocsOptions,
    /// The configuration file read, if any (for `rerun-if-changed`).
    config_file: Option<PathBuf>,
    /// External targets, run in order after the built-in ones.
    plugins: Vec<targets::plugin::PluginTarget>,
    /// Whether a warning fails the run.
    deny_warnings: bool,
}

/// Settings of the Markdown pages.
#[derive(Debug, Clone)]
struct DocsOptions {
    enabled: bool,
    dir: String,
    index: bool,
    templates: Option<PathBuf>,
    link_base: Option<String>,
}

impl Default for DocsOptions {
    fn default() -> Self {
        DocsOptions {
            enabled: true,
            dir: targets::markdown::DOCS_DIR.to_string(),
            index: true,
            templates: None,
            link_base: None,
        }
    }
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

    /// The largest spec file read, in bytes, for the spec and each file it
    /// refers to (default [`load::DEFAULT_MAX_SPEC_BYTES`], 256 MiB). A
    /// larger file is an error naming it and the limit.
    pub fn max_spec_bytes(mut self, bytes: u64) -> Self {
        self.load_options.max_bytes = bytes;
        self
    }

    /// The deepest nesting of objects and arrays accepted in a spec (default
    /// [`load::DEFAULT_MAX_DEPTH`], 128; see [`load::LoadOptions::max_depth`]).
    /// A deeper document is an error naming the place and the limit. The
    /// stages recurse per level, so [`Generator::generate`] runs them on a
    /// thread with 64 KB of stack per level (plus 8 MB); when calling
    /// [`Generator::load`] and the other stages yourself, give them as much.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.load_options.max_depth = depth;
        self
    }

    /// Whether warnings (`allOf` conflicts, examples that do not fit, a
    /// `required` name that is not a property, …) fail the run (default:
    /// no). [`Generator::build_ir`] then returns an error holding them, and
    /// nothing is written.
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.deny_warnings = deny;
        self
    }

    /// Whether to write the Markdown pages at all (default: yes).
    pub fn docs(mut self, enabled: bool) -> Self {
        self.docs.enabled = enabled;
        self
    }

    /// Folder of the pages inside the output directory (default `docs/models`).
    pub fn docs_dir(mut self, dir: impl Into<String>) -> Self {
        self.docs.dir = dir.into();
        self
    }

    /// Whether to write the index page (default: yes).
    pub fn docs_index(mut self, index: bool) -> Self {
        self.docs.index = index;
        self
    }

    /// A folder whose files replace the built-in page templates of the same
    /// name (`struct.md`, `enum.md`, `union.md`, `index.md`).
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.docs.templates = Some(dir.into());
        self
    }

    /// What root-relative links in the spec's descriptions
    /// (`[guide](/docs/guide)`, written for the vendor's site) are prefixed
    /// with on the pages: `https://example.com` makes that link
    /// `https://example.com/docs/guide`. Without it (the default) such
    /// links are written as plain text (their words), as are other
    /// relative links that name none of the pages, so no page holds a dead
    /// link (`docs/page-format.md`). It must be an absolute URL
    /// (`scheme://host…`); anything else is a usage error. The Rust doc
    /// comments keep the spec's text.
    pub fn docs_link_base(mut self, url: impl Into<String>) -> Self {
        self.docs.link_base = Some(url.into());
        self
    }

    /// Reads a configuration file and applies it (see [`config`]).
    pub fn config_file(self, path: impl AsRef<Path>) -> Result<Self> {
        self.config(&ConfigFile::read(path.as_ref())?)
    }

    /// Applies a configuration read from a file; settings it leaves out
    /// keep their current value. Relative paths in it are taken from the
    /// file's folder.
    pub fn config(mut self, file: &ConfigFile) -> Result<Self> {
        let config = &file.config;
        self.config_file = Some(file.path.clone());
        if let Some(name) = &config.crate_name {
            self = self.crate_name(name);
        }
        if let Some(dir) = &config.ref_root {
            self = self.ref_root(file.resolve(dir));
        }
        if let Some(deny) = config.deny_warnings {
            self = self.deny_warnings(deny);
        }
        if let Some(bytes) = config.limits.max_spec_bytes {
            self = self.max_spec_bytes(bytes);
        }
        if let Some(depth) = config.limits.max_depth {
            self = self.max_depth(depth);
        }
        let rust = &config.rust;
        if let Some(layout) = rust.layout {
            self = self.module_layout(layout);
        }
        if let Some(path) = &rust.models_path {
            self = self.models_path(path);
        }
        for derive in &rust.derives {
            self = self.derive(derive);
        }
        if let Some(map_type) = rust.map_type {
            self = self.map_type(map_type);
        }
        if let Some(on) = rust.enum_catch_all {
            self = self.enum_catch_all(on);
        }
        for (format, rust_type) in &rust.format_types {
            self = self.format_type(format, rust_type);
        }
        for (schema, rust_type) in &rust.replacements {
            self = self.replace(schema, rust_type);
        }
        let docs = &config.docs;
        if let Some(enabled) = docs.enabled {
            self = self.docs(enabled);
        }
        if let Some(dir) = &docs.dir {
            self = self.docs_dir(dir);
        }
        if let Some(index) = docs.index {
            self = self.docs_index(index);
        }
        if let Some(dir) = &docs.templates {
            self = self.templates(file.resolve(dir));
        }
        if let Some(url) = &docs.link_base {
            self = self.docs_link_base(url);
        }
        for line in &config.plugins {
            self = self.plugin(
                targets::plugin::PluginTarget::from_command_line(line)?.current_dir(file.dir()),
            );
        }
        Ok(self)
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
        let mut ir = ir::build(spec, &self.settings)?;
        // What the loader read leniently comes first, located, printed and
        // denied like the IR's own warnings.
        ir.warnings.splice(
            0..0,
            spec.warnings.iter().map(|w| ir::Diagnostic {
                pointer: w.pointer.clone(),
                message: w.message.clone(),
            }),
        );
        if self.deny_warnings
            && let Some(first) = ir.warnings.first()
        {
            return Err(denied_warnings(&spec.path, first, &ir.warnings));
        }
        Ok(ir)
    }

    /// Stage 3: runs every target over the IR; files are sorted by path.
    pub fn generate_files(&self, ir: &Ir) -> Result<Vec<GeneratedFile>> {
        let mut files = Vec::new();
        self.each_file(ir, &mut |file| {
            files.push(file);
            Ok(())
        })?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Runs every target (Rust, Markdown when pages are on, then the
    /// plugins) over `ir`, handing each file to `emit` as it is made;
    /// refuses a path two files share or a file inside another.
    fn each_file(&self, ir: &Ir, emit: &mut dyn FnMut(GeneratedFile) -> Result<()>) -> Result<()> {
        let rust = RustTarget {
            crate_name: self.crate_name.clone(),
            options: self.rust.clone(),
            workers: self.workers(),
        };
        let markdown = self.markdown_target()?;
        let mut targets: Vec<&dyn Target> = vec![&rust];
        if let Some(markdown) = &markdown {
            targets.push(markdown);
        }
        targets.extend(self.plugins.iter().map(|p| p as &dyn Target));
        let mut owners = targets::plugin::OutputOwners::default();
        for target in targets {
            target.generate_each(ir, &mut |file| {
                owners.claim(target.name(), &file.path)?;
                emit(file)
            })?;
        }
        Ok(())
    }

    /// The Markdown target as configured, templates read; `None` when
    /// pages are off.
    fn markdown_target(&self) -> Result<Option<MarkdownTarget>> {
        if !self.docs.enabled {
            return Ok(None);
        }
        let templates = match &self.docs.templates {
            Some(dir) => Templates::load(dir)?,
            None => Templates::default(),
        };
        if let Some(base) = &self.docs.link_base
            && !targets::markdown::links::is_link_base(base)
        {
            return Err(Error::Usage(format!(
                "docs link base `{base}`: not an absolute URL such as https://example.com"
            )));
        }
        Ok(Some(MarkdownTarget {
            docs_dir: self.docs.dir.clone(),
            index: self.docs.index,
            templates,
            map_type: self.rust.map_type,
            link_base: self.docs.link_base.clone(),
            workers: self.workers(),
        }))
    }

    /// Stages 1–2: the IR of `spec` (what `oapi-models ir` prints and
    /// plugins read), built on a thread with the stack nesting needs.
    pub fn ir(&self, spec: &Path) -> Result<Ir> {
        self.with_stack(|| self.build_ir(&self.load(spec)?))
    }

    /// Stages 1–3: everything in memory.
    pub fn generate(&self, spec: &Path) -> Result<Generated> {
        self.with_stack(|| {
            let loaded = self.load_apart(|| self.load(spec))?;
            self.generate_loaded(loaded, Sources::new())
        })
    }

    /// [`Generator::generate`] for a spec already in memory: `bytes` are
    /// the content of the file `name` (see [`load::load_bytes`]: its
    /// extension picks JSON or YAML, and it must exist only when the spec
    /// refers to other files).
    pub fn generate_bytes(&self, name: &Path, bytes: &[u8]) -> Result<Generated> {
        self.with_stack(|| {
            let mut sources = Sources::new();
            sources.insert(name, String::from_utf8_lossy(bytes));
            let loaded = self.load_apart(|| load::load_bytes(name, bytes, &self.load_options))?;
            self.generate_loaded(loaded, sources)
        })
    }

    /// Runs `work` on a thread with stack for [`Generator::max_depth`]
    /// levels, whatever the caller's stack (a test thread has 2 MB, a
    /// Windows main thread 1 MB): the stages recurse once per level
    /// (measured: up to 44 KB a level in a debug build, 4 KB in release).
    fn with_stack<T: Send>(&self, work: impl FnOnce() -> Result<T> + Send) -> Result<T> {
        memory::tune_allocator();
        let depth = self.load_options.max_depth;
        let size = self.stack_size();
        std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("oapi-models".to_string())
                .stack_size(size)
                .spawn_scoped(scope, work)
                .map_err(|e| {
                    Error::Usage(format!(
                        "max depth {depth}: cannot start a thread with the {size} bytes of \
                         stack that nesting needs ({e}); lower the limit"
                    ))
                })?;
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Runs `load` on a thread of its own (with the stack nesting needs).
    /// With glibc each thread allocates from its own arena, so the document
    /// and the typed spec fill one arena and the IR and output another:
    /// once the spec is freed, its arena empties and goes back to the system
    /// whole, instead of leaving holes between the IR's allocations that the
    /// output files do not fit.
    fn load_apart(&self, load: impl FnOnce() -> Result<LoadedSpec> + Send) -> Result<LoadedSpec> {
        self.with_stack(load)
    }

    /// Stack for [`Generator::max_depth`] levels of nesting.
    fn stack_size(&self) -> usize {
        const PER_LEVEL: usize = 64 * 1024;
        const BASE: usize = 8 * 1024 * 1024;
        self.load_options
            .max_depth
            .saturating_mul(PER_LEVEL)
            .saturating_add(BASE)
    }

    /// Threads the targets may use: one per core, each with the stack
    /// nesting needs.
    fn workers(&self) -> targets::Workers {
        targets::Workers {
            stack_size: self.stack_size(),
            ..targets::Workers::default()
        }
    }

    /// Stages 2–3 for a loaded spec, every file in memory.
    /// `sources` gives the texts warnings point into (see
    /// [`diagnostics::Sources`]).
    fn generate_loaded(&self, loaded: LoadedSpec, sources: Sources) -> Result<Generated> {
        let prepared = self.prepare(loaded, sources)?;
        let files = self.generate_files(&prepared.ir)?;
        Ok(Generated {
            ir: prepared.ir,
            warnings: prepared.warnings,
            files,
            inputs: prepared.inputs,
            pages: prepared.pages,
        })
    }

    /// Stage 2 and what comes with it: the IR, its warnings as printed,
    /// the inputs read and the number of pages.
    fn prepare(&self, loaded: LoadedSpec, mut sources: Sources) -> Result<Prepared> {
        let (ir, path, inputs, pages) = self.prepare_ir(loaded)?;
        // Warnings are located in the spec's text now, while the memory
        // that takes is free, not later beside the output files.
        let warnings = diagnostics::render_warnings(&path, &ir.warnings, &mut sources);
        drop(sources);
        memory::release_free_memory();
        Ok(Prepared {
            ir,
            warnings,
            inputs,
            pages,
        })
    }

    /// The IR of a loaded spec (whose typed form is freed once it is built),
    /// the spec's path, the inputs read and the number of pages.
    fn prepare_ir(&self, loaded: LoadedSpec) -> Result<(Ir, PathBuf, Vec<PathBuf>, usize)> {
        let ir = self.build_ir(&loaded)?;
        // The typed spec (several times the file's size) is not needed past
        // the IR: free it before the output files take its place, which
        // keeps the peak lower.
        let LoadedSpec {
            path,
            spec,
            files: mut inputs,
            ..
        } = loaded;
        drop(spec);
        memory::release_free_memory();
        let pages = if self.docs.enabled {
            ir.models
                .iter()
                .filter(|m| targets::markdown::has_page(m))
                .count()
        } else {
            0
        };
        inputs.extend(self.config_file.iter().cloned());
        if self.docs.enabled {
            inputs.extend(self.docs.templates.iter().cloned());
        }
        Ok((ir, path, inputs, pages))
    }

    /// Stages 1–4 in one pass: what [`Generator::generate`] and then
    /// [`Generated::write`] do, with the same guarantees (nothing changes
    /// in `out_dir` unless every target succeeds), but each file is staged
    /// on disk as soon as it is made instead of the whole set being held in
    /// memory, which keeps the peak memory of large specs down. The
    /// warnings are located in the spec's text on a thread of their own
    /// while the files are made, and handed to `on_warning` before this
    /// returns, also when a later stage fails.
    pub fn generate_into(
        &self,
        spec: &Path,
        out_dir: &Path,
        on_warning: &(dyn Fn(&str) + Sync),
    ) -> Result<Written> {
        self.with_stack(|| {
            let loaded = self.load_apart(|| self.load(spec))?;
            let (ir, path, inputs, pages) = self.prepare_ir(loaded)?;
            let written = std::thread::scope(|scope| {
                let locating = (!ir.warnings.is_empty())
                    .then(|| {
                        std::thread::Builder::new()
                            .name("oapi-models-warnings".to_string())
                            .stack_size(self.stack_size())
                            .spawn_scoped(scope, || {
                                diagnostics::render_warnings(
                                    &path,
                                    &ir.warnings,
                                    &mut Sources::new(),
                                )
                            })
                    })
                    .transpose()
                    .map_err(|e| Error::Usage(format!("cannot start a thread: {e}")))?;
                let written = output::FileWriter::begin(out_dir)
                    .and_then(|writer| self.write_while_generating(&ir, writer));
                if let Some(locating) = locating {
                    let warnings = locating
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    for warning in &warnings {
                        on_warning(warning);
                    }
                }
                written
            });
            let (files, report) = written?;
            Ok(Written {
                models: ir.models.len(),
                pages,
                files,
                report,
                inputs,
            })
        })
    }

    /// Runs the targets over `ir` on this thread while another one writes
    /// their files, in the order they are made, into `writer` (file system
    /// work overlaps code generation on a second core). At most
    /// [`FILES_IN_FLIGHT`] files wait in between, so memory stays bounded.
    /// Commits only when every target succeeded and every file was staged;
    /// the first error (a target's, else the writer's) is returned.
    fn write_while_generating(
        &self,
        ir: &Ir,
        mut writer: output::FileWriter,
    ) -> Result<(usize, output::WriteReport)> {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<GeneratedFile>(FILES_IN_FLIGHT);
        std::thread::scope(|scope| {
            let writing = std::thread::Builder::new()
                .name("oapi-models-writer".to_string())
                .spawn_scoped(scope, move || -> Result<output::FileWriter> {
                    for file in receiver {
                        writer.add(&file.path, &file.contents)?;
                    }
                    Ok(writer)
                })
                .map_err(|e| Error::Usage(format!("cannot start the writer thread: {e}")))?;
            let mut files = 0;
            let generated = self.each_file(ir, &mut |file| {
                files += 1;
                // A closed channel means the writer failed: stop here, its
                // error is reported below.
                sender.send(file).map_err(|_| Error::Usage(String::new()))
            });
            drop(sender);
            let written = writing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            match (generated, written) {
                (Ok(()), Ok(writer)) => Ok((files, writer.finish()?)),
                // The writer is dropped unfinished: nothing is committed.
                (_, Err(e)) => Err(e),
                (Err(e), Ok(_)) => Err(e),
            }
        })
    }

    /// For `build.rs`: generates the models of `spec` as one file,
    /// `$OUT_DIR/models.rs` (or `$OUT_DIR/<models_path>.rs` when a models
    /// path was set), writes it only if it changed, prints
    /// `cargo:rerun-if-changed` for the spec, every file its `$ref`s reach,
    /// the configuration file and the templates folder, and returns the
    /// file's path. Include it with
    /// `include!(concat!(env!("OUT_DIR"), "/models.rs"));` inside a module.
    /// Pages and crate files are not written here.
    pub fn compile(self, spec: impl AsRef<Path>) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .ok_or_else(|| {
                Error::Usage(
                    "OUT_DIR is not set: Generator::compile is meant to run in build.rs \
                 (use generate and write elsewhere)"
                        .to_string(),
                )
            })?;
        self.compile_into(spec.as_ref(), &out_dir)
    }

    /// [`Generator::compile`] with an explicit output folder instead of
    /// `$OUT_DIR`.
    pub fn compile_into(self, spec: &Path, out_dir: &Path) -> Result<PathBuf> {
        let mut generator = self.module_layout(ModuleLayout::SingleFile).docs(false);
        generator.crate_name = None;
        if generator.rust.models_path == RustOptions::default().models_path {
            generator.rust.models_path = "models".to_string();
        }
        let file = out_dir.join(format!("{}.rs", generator.rust.models_path));
        let generated = generator.generate(spec);
        // Print what to watch even when generation fails, so that fixing
        // the spec re-runs the build script.
        let watched = match &generated {
            Ok(g) => g.inputs.clone(),
            Err(_) => {
                let mut paths = vec![spec.to_path_buf()];
                paths.extend(generator.config_file.iter().cloned());
                paths
            }
        };
        for path in &watched {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        generated?.write(out_dir)?;
        Ok(file)
    }
}

/// The error for warnings when they are denied: at the first one, listing
/// the others.
fn denied_warnings(file: &Path, first: &ir::Diagnostic, all: &[ir::Diagnostic]) -> Error {
    let mut message = format!(
        "{} (a warning, denied by --deny-warnings / `deny-warnings`)",
        first.message
    );
    if let Some(rest) = all.get(1..).filter(|rest| !rest.is_empty()) {
        message.push_str(&format!(
            "; {} more warning{}:",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ));
        for warning in rest {
            message.push_str(&format!(
                "\n  {}#{}: {}",
                file.display(),
                warning.pointer,
                warning.message
            ));
        }
    }
    Error::spec(file, &first.pointer, message)
}

/// Files made but not yet written that [`Generator::generate_into`] lets
/// wait between the targets and the writer.
const FILES_IN_FLIGHT: usize = 16;

/// What [`Generator::prepare`] gives the targets.
struct Prepared {
    ir: Ir,
    warnings: Vec<String>,
    inputs: Vec<PathBuf>,
    pages: usize,
}

/// What [`Generator::generate_into`] did.
#[derive(Debug, Clone)]
pub struct Written {
    /// Number of models (named types).
    pub models: usize,
    /// Number of reference pages (the index not counted).
    pub pages: usize,
    /// Number of files generated.
    pub files: usize,
    /// What the write changed.
    pub report: output::WriteReport,
    /// Every input read (as [`Generated::inputs`]).
    pub inputs: Vec<PathBuf>,
}

/// The result of a run before anything is written.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The intermediate model.
    pub ir: Ir,
    /// Every warning of `ir` as the CLI prints it: `warning: FILE:LINE:COL#POINTER: message`.
    pub warnings: Vec<String>,
    /// Every output file.
    pub files: Vec<GeneratedFile>,
    /// Every input read: the spec, the files its `$ref`s reach, the
    /// configuration file and the templates folder (what `build.rs` watches).
    pub inputs: Vec<PathBuf>,
    pages: usize,
}

impl Generated {
    /// Number of models (named types).
    pub fn model_count(&self) -> usize {
        self.ir.models.len()
    }

    /// Number of reference pages written (the index not counted).
    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// What writing into `out_dir` would change, without writing anything
    /// (the `--check` of CI).
    pub fn plan(&self, out_dir: &Path) -> Result<output::Plan> {
        output::plan(out_dir, &self.files)
    }

    /// Stage 4: writes the files under `out_dir`.
    pub fn write(&self, out_dir: &Path) -> Result<output::WriteReport> {
        output::write_files(out_dir, &self.files)
    }
}
