//! The `oapi-models` command: argument parsing and reporting only; the work
//! is done by the library.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use oapi_models::config::{CONFIG_FILE, ConfigFile, DEFAULT_CONFIG};
use oapi_models::targets::markdown::DEFAULT_TEMPLATES;
use oapi_models::targets::plugin::{self, PluginTarget};
use oapi_models::{Error, Generator};

/// Generate Rust models and Markdown reference pages from an OpenAPI document.
#[derive(Parser)]
#[command(name = "oapi-models", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate models under DIR/src/models and pages under DIR/docs/models.
    Generate {
        // Boxed: the settings dwarf the other commands' fields.
        #[command(flatten)]
        settings: Box<Settings>,
        /// The output directory (default: `out` of the configuration file).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write nothing; print a unified diff of what generating would
        /// change and exit with 1 if anything would (0 when up to date).
        #[arg(long)]
        check: bool,
    },
    /// Print the intermediate model (IR) of SPEC as JSON, the input of
    /// plugins (see docs/plugins.md).
    Ir {
        /// The OpenAPI document (not needed with --schema).
        #[arg(required_unless_present = "schema")]
        spec: Option<PathBuf>,
        /// Read this configuration file instead of SPEC's folder's oapi-models.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Print the JSON Schema of the IR instead.
        #[arg(long, conflicts_with = "spec")]
        schema: bool,
    },
    /// Write a commented default oapi-models.toml, or with --templates copy
    /// the built-in page templates to a folder to start overriding them.
    Init {
        /// Where to write the configuration.
        #[arg(default_value = CONFIG_FILE, value_name = "FILE")]
        config: PathBuf,
        /// Copy the built-in templates into DIR instead.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
    },
}

/// Settings shared by `generate` (the configuration file has the same ones).
#[derive(Args)]
struct Settings {
    /// The OpenAPI document (JSON or YAML).
    spec: PathBuf,
    /// The configuration file (default: oapi-models.toml next to SPEC, if any).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Also write DIR/Cargo.toml, DIR/src/lib.rs and DIR/tests/ for a crate of this name.
    #[arg(long = "crate", value_name = "NAME")]
    crate_name: Option<String>,
    /// The folder that `$ref`s between files may reach (default: the
    /// spec's own folder).
    #[arg(long, value_name = "DIR")]
    ref_root: Option<PathBuf>,
    /// Do not give enums a catch-all variant for values the spec does not list.
    #[arg(long)]
    no_enum_catch_all: bool,
    /// Map an OpenAPI `format` to a Rust type, e.g. `uuid=String` or
    /// `date-time=time::OffsetDateTime` (repeatable).
    #[arg(long = "format-type", value_name = "FORMAT=TYPE", value_parser = parse_format_type)]
    format_types: Vec<(String, String)>,
    /// A folder of page templates overriding the built-in ones file by file.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Prefix root-relative links in descriptions (`/docs/guide`) with URL
    /// on the pages (default: write them as plain text).
    #[arg(long, value_name = "URL")]
    docs_link_base: Option<String>,
    /// Run an external target: CMD (split like a shell command line) gets
    /// the IR as JSON on stdin and answers with files (repeatable).
    #[arg(long = "plugin", value_name = "CMD")]
    plugins: Vec<String>,
    /// Make every warning an error: exit with 2 and write nothing when the
    /// spec has any.
    #[arg(long)]
    deny_warnings: bool,
    /// The largest spec file read, in bytes, for the spec and each file it
    /// refers to (default 268435456, 256 MiB).
    #[arg(long, value_name = "BYTES")]
    max_spec_bytes: Option<u64>,
    /// The deepest nesting of objects and arrays accepted (default 128).
    #[arg(long, value_name = "LEVELS")]
    max_depth: Option<usize>,
}

/// Parses `FORMAT=TYPE`.
fn parse_format_type(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((format, rust_type)) if !format.is_empty() && !rust_type.is_empty() => {
            Ok((format.to_string(), rust_type.to_string()))
        }
        _ => Err(format!("expected FORMAT=TYPE, got {arg:?}")),
    }
}

/// `println!` that ignores a closed standard output (`oapi-models … | head`)
/// instead of panicking: the report is a courtesy, the work is done.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed standard error.
macro_rules! eout {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// Exit code when `--check` finds that the output is not up to date.
const EXIT_DRIFT: u8 = 1;

/// Exit code of an internal error: oapi-models panicked, which is a bug.
const EXIT_INTERNAL: u8 = 4;

/// Test only: when this environment variable is set, the command panics
/// on purpose right after parsing its arguments, so that tests can check
/// the internal-error report and exit code 4 without a real bug
/// (`tests/diagnostics.rs`). Not documented for users.
const TEST_PANIC_VAR: &str = "OAPI_MODELS_TEST_PANIC";

/// Where bugs are reported (`repository` in Cargo.toml).
const ISSUES_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/issues");

fn main() -> ExitCode {
    install_panic_hook();
    let outcome = std::panic::catch_unwind(|| {
        let cli = Cli::parse();
        if std::env::var_os(TEST_PANIC_VAR).is_some() {
            panic!("deliberate panic for tests ({TEST_PANIC_VAR} is set)");
        }
        match cli.command {
            Command::Generate {
                settings,
                out,
                check,
            } => generate(*settings, out, check),
            Command::Ir {
                spec,
                config,
                schema,
            } => print_ir(spec, config, schema),
            Command::Init {
                config,
                templates,
                force,
            } => init(&config, templates.as_deref(), force),
        }
    });
    match outcome {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            // The one-line form if rendering the snippet fails: the error
            // itself must not be lost.
            let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| e.render()))
                .unwrap_or_else(|_| format!("error: {e}"));
            eout!("{rendered}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
        }
        Err(_) => {
            let (message, backtrace) = panic_report();
            eout!(
                "error: internal error: {message}; this is a bug in oapi-models \u{2014} please \
                 report it with the spec that triggers it at {ISSUES_URL}"
            );
            match backtrace {
                Some(backtrace) => eout!("stack backtrace:\n{backtrace}"),
                None => {
                    eout!("note: run with RUST_BACKTRACE=1 to add a backtrace to the report")
                }
            }
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

/// The last panic's message and place, and its backtrace when
/// `RUST_BACKTRACE` asks for one; recorded by the hook [`install_panic_hook`]
/// sets instead of Rust's default report.
static PANIC: std::sync::Mutex<Option<(String, Option<String>)>> = std::sync::Mutex::new(None);

/// Records panics (message, place, backtrace) for `main` to report as an
/// internal error, instead of printing the default report.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::capture();
        let backtrace = (backtrace.status() == std::backtrace::BacktraceStatus::Captured)
            .then(|| backtrace.to_string());
        let mut slot = PANIC
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = Some((format!("{message}{place}"), backtrace));
    }));
}

/// What the hook recorded about the panic.
fn panic_report() -> (String, Option<String>) {
    PANIC
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
        .unwrap_or_else(|| ("a panic that left no report".to_string(), None))
}

/// The configuration: `--config`, else the file next to the spec.
fn find_config(spec: &Path, explicit: Option<&Path>) -> Result<Option<ConfigFile>, Error> {
    match explicit {
        Some(path) => ConfigFile::read(path).map(Some),
        None => ConfigFile::discover(spec),
    }
}

/// The generator for the settings: configuration first, flags over it.
fn generator(settings: &Settings, config: Option<&ConfigFile>) -> Result<Generator, Error> {
    let mut generator = Generator::new();
    if let Some(config) = config {
        generator = generator.config(config)?;
    }
    if let Some(name) = &settings.crate_name {
        generator = generator.crate_name(name);
    }
    if let Some(dir) = &settings.ref_root {
        generator = generator.ref_root(dir);
    }
    if settings.no_enum_catch_all {
        generator = generator.enum_catch_all(false);
    }
    for (format, rust_type) in &settings.format_types {
        generator = generator.format_type(format, rust_type);
    }
    if let Some(dir) = &settings.templates {
        generator = generator.templates(dir);
    }
    if let Some(url) = &settings.docs_link_base {
        generator = generator.docs_link_base(url);
    }
    for line in &settings.plugins {
        generator = generator.plugin(PluginTarget::from_command_line(line)?);
    }
    if settings.deny_warnings {
        generator = generator.deny_warnings(true);
    }
    if let Some(bytes) = settings.max_spec_bytes {
        generator = generator.max_spec_bytes(bytes);
    }
    if let Some(depth) = settings.max_depth {
        generator = generator.max_depth(depth);
    }
    Ok(generator)
}

fn generate(settings: Settings, out: Option<PathBuf>, check: bool) -> Result<ExitCode, Error> {
    let start = Instant::now();
    let spec = &settings.spec;
    let config = find_config(spec, settings.config.as_deref())?;
    let out = match (out, &config) {
        (Some(out), _) => out,
        (None, Some(config)) if config.config.out.is_some() => {
            config.resolve(config.config.out.as_deref().unwrap_or(Path::new(".")))
        }
        _ => {
            return Err(Error::Usage(
                "no output directory: pass --out DIR or set `out` in oapi-models.toml".to_string(),
            ));
        }
    };
    let generator = generator(&settings, config.as_ref())?;
    if !check {
        // Files are written as they are made (see `Generator::generate_into`).
        let written = generator.generate_into(spec, &out, &|warning| eout!("{warning}"))?;
        let report = written.report;
        out!(
            "oapi-models: {} models, {} pages, {} files ({} written, {} unchanged, {} removed) in {} ms → {}",
            written.models,
            written.pages,
            written.files,
            report.written,
            report.unchanged,
            report.removed,
            start.elapsed().as_millis(),
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let generated = generator.generate(spec)?;
    for line in &generated.warnings {
        eout!("{line}");
    }
    let plan = generated.plan(&out)?;
    if plan.is_up_to_date() {
        out!(
            "oapi-models: {} is up to date ({} files)",
            out.display(),
            generated.files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(plan.unified_diff().as_bytes());
    let _ = stdout.flush();
    let _ = write!(std::io::stderr().lock(), "{}", plan.summary());
    eout!(
        "oapi-models: {} is out of date ({} added, {} changed, {} removed); \
         run the same command without --check to update it",
        out.display(),
        plan.added.len(),
        plan.changed.len(),
        plan.removed.len()
    );
    Ok(ExitCode::from(EXIT_DRIFT))
}

fn print_ir(
    spec: Option<PathBuf>,
    config: Option<PathBuf>,
    schema: bool,
) -> Result<ExitCode, Error> {
    let text = match spec {
        Some(spec) if !schema => {
            let mut generator = Generator::new();
            if let Some(config) = find_config(&spec, config.as_deref())? {
                generator = generator.config(&config)?;
            }
            plugin::ir_json(&generator.ir(&spec)?)
        }
        _ => plugin::ir_json_schema(),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::Write {
            path: "(standard output)".into(),
            message: e.to_string(),
        })?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the default configuration, or copies the templates.
fn init(config: &Path, templates: Option<&Path>, force: bool) -> Result<ExitCode, Error> {
    let files: Vec<(PathBuf, &str)> = match templates {
        Some(dir) => DEFAULT_TEMPLATES
            .iter()
            .map(|(name, source)| (dir.join(name), *source))
            .collect(),
        None => vec![(config.to_path_buf(), DEFAULT_CONFIG)],
    };
    if !force && let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(Error::Usage(format!(
            "{} exists; not overwriting it (pass --force to replace it)",
            path.display()
        )));
    }
    for (path, contents) in &files {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::Write {
                path: parent.to_path_buf(),
                message: e.to_string(),
            })?;
        }
        std::fs::write(path, contents).map_err(|e| Error::Write {
            path: path.clone(),
            message: e.to_string(),
        })?;
        out!("oapi-models: wrote {}", path.display());
    }
    if let Some(dir) = templates {
        out!(
            "oapi-models: generate with --templates {} (or `templates = ...` under [docs] in {CONFIG_FILE}) to use them",
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
