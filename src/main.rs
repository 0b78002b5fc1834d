//! The `oapi-models` command: argument parsing and reporting only; the work
//! is done by the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use oapi_models::Generator;

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
        /// The OpenAPI document (JSON or YAML).
        spec: PathBuf,
        /// The output directory.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Also write DIR/Cargo.toml, DIR/src/lib.rs and DIR/tests/examples.rs
        /// for a crate of this name.
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
    },
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            spec,
            out,
            crate_name,
            ref_root,
            no_enum_catch_all,
            format_types,
        } => {
            let start = Instant::now();
            let mut generator = Generator::new().enum_catch_all(!no_enum_catch_all);
            if let Some(name) = crate_name {
                generator = generator.crate_name(name);
            }
            if let Some(dir) = ref_root {
                generator = generator.ref_root(dir);
            }
            for (format, rust_type) in format_types {
                generator = generator.format_type(format, rust_type);
            }
            let result = generator
                .generate(&spec)
                .and_then(|generated| generated.write(&out).map(|report| (generated, report)));
            match result {
                Ok((generated, report)) => {
                    for warning in &generated.ir.warnings {
                        eprintln!(
                            "warning: {}#{}: {}",
                            spec.display(),
                            warning.pointer,
                            warning.message
                        );
                    }
                    println!(
                        "oapi-models: {} models, {} pages, {} files ({} written, {} unchanged) in {} ms → {}",
                        generated.model_count(),
                        generated.page_count(),
                        generated.files.len(),
                        report.written,
                        report.unchanged,
                        start.elapsed().as_millis(),
                        out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
                }
            }
        }
    }
}
