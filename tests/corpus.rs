//! The corpus check: every root OpenAPI document in `../shared/specs`
//! generates, its crate passes clippy with no warning, its example tests
//! all pass and every link on its pages resolves.
//!
//! One command: `cargo test --test corpus -- --nocapture` (see
//! `docs/corpus.md`). It prints a table (spec, models, pages, compile,
//! warnings, examples passed/total, broken links, time), writes it to
//! `target/corpus/REPORT.md`, and fails unless every row is green, except
//! the specs listed in [`KNOWN_FAILING`]; a listed spec that turns green
//! fails the check too, so the list cannot go stale.
//!
//! - Roots: every `.json`/`.yaml`/`.yml` file under `../shared/specs` whose
//!   top level has an `openapi` or `swagger` key (fragments of multi-file
//!   specs have neither).
//! - Each root is generated in-process into `target/corpus/<slug>`, with
//!   `$ref`s between files allowed anywhere in the corpus (`ref_root`: the
//!   specs folder; petstore-separate refers to `../common/Error.json`).
//!   Files no longer generated are removed; unchanged files keep their
//!   modification time, so a rerun rebuilds only what changed.
//! - Every generated crate is built in the shared `target/generated-crates`
//!   (as in `generated_crate.rs`), one cargo invocation per crate:
//!   `cargo clippy` (every target but the library's unit-test harness, see
//!   [`CLIPPY_TARGETS`]), then `cargo test --no-run --test examples`, then
//!   the example test binary runs. Warnings are counted from the JSON
//!   messages and any warning makes the row red (the same gate as
//!   `-D warnings`, but a lint in the library does not hide the errors of the
//!   test target). `OAPI_CORPUS_BUILD=workspace` builds all crates through
//!   one throwaway workspace instead (see `docs/corpus.md` for the trade-off).
//! - `OAPI_CORPUS_ONLY=stripe,kavita` checks only the specs whose path
//!   contains one of the given strings.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use oapi_models::Generator;
use serde_json::Value;

/// Specs allowed to be red for now, with why (path relative to
/// `../shared/specs`). Shrink this list to empty: remove an entry as soon
/// as its spec is green (the check fails until you do).
const KNOWN_FAILING: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------
// Locations

fn specs_dir() -> PathBuf {
    common::shared().join("specs")
}

/// Where the generated crates are written: `target/corpus/<slug>`.
fn corpus_dir() -> PathBuf {
    common::root().join("target").join("corpus")
}

/// The target dir every generated crate builds in (shared with
/// `tests/generated_crate.rs`, so dependencies are built once).
fn shared_target_dir() -> PathBuf {
    common::root().join("target").join("generated-crates")
}

// ---------------------------------------------------------------------------
// Finding the root documents

/// One root document of the corpus.
#[derive(Debug, Clone)]
struct Spec {
    /// Path relative to `../shared/specs`, with `/` separators.
    rel: String,
    path: PathBuf,
    /// The crate name (and folder name under `target/corpus`).
    slug: String,
}

/// Every root document under `dir`, sorted by relative path.
fn find_specs(dir: &Path) -> Vec<Spec> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if is_root_document(&path) {
                let rel = path.strip_prefix(dir).unwrap();
                let rel: Vec<_> = rel.iter().map(|c| c.to_string_lossy()).collect();
                files.push((rel.join("/"), path));
            }
        }
    }
    files.sort();
    let rels: Vec<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    let slugs = slugs(&rels);
    files
        .into_iter()
        .zip(slugs)
        .map(|((rel, path), slug)| Spec { rel, path, slug })
        .collect()
}

/// A `.json`/`.yaml`/`.yml` file with a top-level `openapi` or `swagger` key.
/// JSON is parsed whole (cheaply: values are skipped, not built); YAML is
/// scanned for such a key at column 0. A `.json` file that does not parse
/// counts as a root, so that it shows up as a red row instead of vanishing.
fn is_root_document(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "json" => {
            let bytes = fs::read(path).unwrap();
            match serde_json::from_slice::<BTreeMap<String, serde::de::IgnoredAny>>(&bytes) {
                Ok(map) => map.contains_key("openapi") || map.contains_key("swagger"),
                Err(e) if e.is_data() => false, // valid JSON, but not an object
                Err(_) => true,
            }
        }
        "yaml" | "yml" => {
            let text = String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned();
            yaml_has_version_key(&text)
        }
        _ => false,
    }
}

fn yaml_has_version_key(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start_matches('\u{feff}');
        [
            "openapi",
            "swagger",
            "\"openapi\"",
            "\"swagger\"",
            "'openapi'",
            "'swagger'",
        ]
        .iter()
        .any(|key| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    })
}

/// Crate names for the relative paths (in the same order): the path without
/// its extension, lower-cased, runs of other characters turned into `-`,
/// plus `-models`. Paths that would collide keep their extension
/// (`petstore-expanded-json-models`); anything still colliding is numbered.
fn slugs(rels: &[&str]) -> Vec<String> {
    fn slugify(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        let out = out.trim_end_matches('-');
        if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
            format!("spec-{out}-models")
        } else {
            format!("{out}-models")
        }
    }
    fn without_extension(rel: &str) -> &str {
        match rel.rfind('.') {
            Some(dot) if !rel[dot..].contains('/') => &rel[..dot],
            _ => rel,
        }
    }
    let short: Vec<String> = rels.iter().map(|r| slugify(without_extension(r))).collect();
    let mut out: Vec<String> = rels
        .iter()
        .zip(&short)
        .map(|(rel, s)| {
            if short.iter().filter(|t| *t == s).count() > 1 {
                slugify(rel)
            } else {
                s.clone()
            }
        })
        .collect();
    let mut seen = BTreeSet::new();
    for slug in &mut out {
        let base = slug.clone();
        let mut n = 2;
        while !seen.insert(slug.clone()) {
            *slug = format!("{}-{n}-models", base.trim_end_matches("-models"));
            n += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// One row of the report

#[derive(Debug, Default)]
struct Row {
    spec: String,
    slug: String,
    known: Option<&'static str>,
    /// Set when generation succeeded.
    generated: Option<GenInfo>,
    gen_error: Option<String>,
    gen_time: Duration,
    broken_links: Vec<String>,
    links_checked: usize,
    build: Option<BuildResult>,
}

#[derive(Debug, Default)]
struct GenInfo {
    models: usize,
    pages: usize,
    examples_total: usize,
    /// (JSON pointer, reason) of the examples the IR marks invalid.
    excluded: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct BuildResult {
    /// Rendered compiler errors, first occurrence order, without duplicates.
    errors: Vec<String>,
    /// Rendered compiler warnings, without duplicates.
    warnings: Vec<String>,
    /// A cargo failure that is not a compiler error (manifest, resolution…).
    cargo_failure: Option<String>,
    tests: Option<TestRun>,
    /// Build and test time; `None` when the crate was built together with
    /// the others (workspace mode).
    time: Option<Duration>,
}

#[derive(Debug, Default)]
struct TestRun {
    passed: usize,
    failed: usize,
    /// Names of the failing tests, with the first lines of their output.
    failures: Vec<String>,
    /// Set when the binary did not report a result (crash, abort).
    crash: Option<String>,
}

impl Row {
    fn compiled(&self) -> Option<bool> {
        let b = self.build.as_ref()?;
        Some(b.errors.is_empty() && b.cargo_failure.is_none())
    }

    /// What keeps the row from being green (empty when green).
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let Some(info) = &self.generated else {
            out.push(format!(
                "generation failed: {}",
                self.gen_error.as_deref().unwrap_or("?")
            ));
            return out;
        };
        let Some(build) = &self.build else {
            out.push("not built".to_string());
            return out;
        };
        if let Some(failure) = &build.cargo_failure {
            out.push(format!("cargo failed:\n{failure}"));
        }
        if let Some(first) = build.errors.first() {
            out.push(format!(
                "does not compile ({} errors); first:\n{}",
                build.errors.len(),
                first_lines(first, 12)
            ));
        }
        if !build.warnings.is_empty() {
            let mut text = format!("{} warnings; first:", build.warnings.len());
            for w in build.warnings.iter().take(3) {
                text.push('\n');
                text.push_str(&first_lines(w, 6));
            }
            out.push(text);
        }
        match &build.tests {
            Some(t) => {
                if let Some(crash) = &t.crash {
                    out.push(format!("example tests did not finish: {crash}"));
                }
                if t.passed != info.examples_total || t.failed > 0 {
                    let mut text = format!(
                        "{}/{} examples passed ({} failed)",
                        t.passed, info.examples_total, t.failed
                    );
                    for f in t.failures.iter().take(5) {
                        text.push('\n');
                        text.push_str(f);
                    }
                    out.push(text);
                }
            }
            None if self.compiled() == Some(true) => {
                out.push("example tests were not built".to_string())
            }
            None => {}
        }
        if !self.broken_links.is_empty() {
            let shown: Vec<&str> = self
                .broken_links
                .iter()
                .take(5)
                .map(String::as_str)
                .collect();
            out.push(format!(
                "{} broken links, e.g. {}",
                self.broken_links.len(),
                shown.join(", ")
            ));
        }
        out
    }

    fn green(&self) -> bool {
        self.problems().is_empty()
    }
}

fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let mut out = lines[..lines.len().min(n)].join("\n");
    if lines.len() > n {
        out.push_str("\n…");
    }
    out
}

// ---------------------------------------------------------------------------
// Generation and links

fn generate(spec: &Spec) -> Row {
    let mut row = Row {
        spec: spec.rel.clone(),
        slug: spec.slug.clone(),
        known: KNOWN_FAILING
            .iter()
            .find(|(rel, _)| *rel == spec.rel)
            .map(|(_, why)| *why),
        ..Row::default()
    };
    let out = corpus_dir().join(&spec.slug);
    let started = Instant::now();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        Generator::new()
            .crate_name(spec.slug.as_str())
            .ref_root(specs_dir())
            .generate(&spec.path)
    }));
    let generated = match result {
        Ok(Ok(generated)) => generated,
        Ok(Err(e)) => {
            row.gen_error = Some(shorten_paths(&e.to_string()));
            row.gen_time = started.elapsed();
            let _ = fs::remove_dir_all(&out);
            return row;
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            row.gen_error = Some(format!("the generator panicked: {message}"));
            row.gen_time = started.elapsed();
            let _ = fs::remove_dir_all(&out);
            return row;
        }
    };
    // `write` removes the files an earlier run generated and this one
    // does not (the manifest), and keeps unchanged files' mtimes.
    if let Err(e) = generated.write(&out) {
        row.gen_error = Some(format!("writing the output failed: {e}"));
        row.gen_time = started.elapsed();
        return row;
    }
    row.gen_time = started.elapsed();
    row.generated = Some(GenInfo {
        models: generated.model_count(),
        pages: generated.page_count(),
        examples_total: generated.ir.examples.len(),
        excluded: generated
            .ir
            .examples
            .iter()
            .filter_map(|e| Some((e.pointer.clone(), e.invalid.clone()?)))
            .collect(),
    });
    let (checked, broken) = check_links(&out.join("docs").join("models"));
    row.links_checked = checked;
    row.broken_links = broken;
    row
}

/// Makes absolute paths to the specs relative, so messages stay short.
fn shorten_paths(message: &str) -> String {
    let mut prefix = specs_dir().to_string_lossy().into_owned();
    prefix.push(std::path::MAIN_SEPARATOR);
    message.replace(&prefix, "")
}

/// Targets of the `[text](target)` links on a page, outside code spans
/// (a run of backticks up to the next run of as many: text, not links).
/// A target must be followed by `)` or a title (`"`, `'`, `(`): an
/// unclosed `[text](target` is text (Stripe's spec has one).
fn links(page: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in code_span_free_parts(page) {
        let mut rest = part;
        while let Some(i) = rest.find("](") {
            rest = &rest[i + 2..];
            let end = rest
                .find(|c: char| c == ')' || c.is_whitespace())
                .unwrap_or(rest.len());
            let after = rest[end..].trim_start_matches([' ', '\t', '\n']);
            if after.starts_with([')', '"', '\'', '(']) {
                out.push(&rest[..end]);
            }
        }
    }
    out
}

/// The parts of `page` outside code spans.
fn code_span_free_parts(page: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let bytes = page.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        // The closing run: the next run of exactly `run` backticks.
        let mut j = i + run;
        let mut close = None;
        while j < bytes.len() {
            if bytes[j] != b'`' {
                j += 1;
                continue;
            }
            let len = bytes[j..].iter().take_while(|&&b| b == b'`').count();
            if len == run {
                close = Some(j + len);
                break;
            }
            j += len;
        }
        match close {
            Some(end) => {
                parts.push(&page[start..i]);
                start = end;
                i = end;
            }
            None => i += run,
        }
    }
    parts.push(&page[start..]);
    parts
}

/// Whether a link leaves the pages (`https://…`, `mailto:…`).
fn is_external(link: &str) -> bool {
    link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Checks every link on every page in `pages_dir`: a link that does not
/// leave the pages must name a file in the same folder (an `#anchor` part is
/// ignored). Every other one is broken, links copied from the spec's
/// descriptions included: the pages rewrite those (`--docs-link-base`) or
/// write them as plain text, so none may be dead. Returns the number of
/// links checked and the broken ones.
fn check_links(pages_dir: &Path) -> (usize, Vec<String>) {
    let Ok(entries) = fs::read_dir(pages_dir) else {
        return (0, vec!["(no docs/models folder)".to_string()]);
    };
    let mut pages: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut checked = 0;
    let mut broken = Vec::new();
    for page in pages {
        let text = fs::read_to_string(&page).unwrap();
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        for link in links(&text) {
            if is_external(link) {
                continue;
            }
            let file = link.split('#').next().unwrap();
            if file.is_empty() {
                continue; // an anchor on the same page
            }
            checked += 1;
            let ok = !file.contains(['/', '\\']) && pages_dir.join(file).is_file();
            if !ok {
                broken.push(format!("{name} → {link}"));
            }
        }
    }
    (checked, broken)
}

// ---------------------------------------------------------------------------
// Building and testing the generated crates

/// The targets clippy checks: everything but the library's own unit-test
/// harness (`--all-targets` would check the whole library a second time
/// with `--test`, for no test: twice the time, and twice the memory at once,
/// 2 × 10 GB for github-octokit).
const CLIPPY_TARGETS: &[&str] = &["--lib", "--bins", "--examples", "--test", "*"];

fn cargo(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", shared_target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    // Generated crates are rebuilt whole when they change: incremental
    // caches only cost time (~15%) and disk (GBs for the big specs).
    if std::env::var_os("CARGO_INCREMENTAL").is_none() {
        command.env("CARGO_INCREMENTAL", "0");
    }
    command.output().expect("run cargo")
}

/// What one cargo invocation said about each generated crate (by slug).
#[derive(Debug, Default)]
struct CargoMessages {
    errors: BTreeMap<String, Vec<String>>,
    warnings: BTreeMap<String, Vec<String>>,
    /// The `examples` test binary of each crate.
    executables: BTreeMap<String, PathBuf>,
}

/// Reads cargo's `--message-format=json` output; messages are attributed to
/// a crate by their manifest path (`target/corpus/<slug>/Cargo.toml`).
fn parse_messages(stdout: &[u8]) -> CargoMessages {
    let mut out = CargoMessages::default();
    for line in String::from_utf8_lossy(stdout).lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(slug) = msg["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).parent()?.file_name()?.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        match msg["reason"].as_str() {
            Some("compiler-message") => {
                let m = &msg["message"];
                let text = m["message"].as_str().unwrap_or("");
                let summary = m["spans"].as_array().is_none_or(|s| s.is_empty())
                    && (text.starts_with("aborting due to")
                        || text.ends_with("emitted")
                        || text.starts_with("could not compile"));
                if summary {
                    continue;
                }
                let rendered = m["rendered"].as_str().unwrap_or(text).to_string();
                let list = match m["level"].as_str() {
                    Some("error" | "error: internal compiler error") => &mut out.errors,
                    Some("warning") => &mut out.warnings,
                    _ => continue,
                };
                let list = list.entry(slug).or_default();
                if !list.contains(&rendered) {
                    list.push(rendered);
                }
            }
            Some("compiler-artifact") => {
                let is_examples_test = msg["target"]["name"] == "examples"
                    && msg["target"]["kind"]
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k == "test"));
                if let (true, Some(exe)) = (is_examples_test, msg["executable"].as_str()) {
                    out.executables.insert(slug, PathBuf::from(exe));
                }
            }
            _ => {}
        }
    }
    out
}

/// The part of cargo's stderr worth showing when it failed without a
/// compiler error (bad manifest, dependency resolution, network…).
fn cargo_failure(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let start = stderr.find("error").unwrap_or(0);
    first_lines(&stderr[start..], 12)
}

fn merge(into: &mut Vec<String>, from: Option<Vec<String>>) {
    for item in from.unwrap_or_default() {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

/// Runs an `examples` test binary and reads what it reports.
fn run_examples(exe: &Path, dir: &Path) -> TestRun {
    let output = Command::new(exe)
        .current_dir(dir)
        .output()
        .expect("run the examples test binary");
    let mut run = parse_test_output(&String::from_utf8_lossy(&output.stdout));
    if run.crash.is_some() {
        run.crash = Some(format!(
            "{}, no `test result` line; stderr:\n{}",
            output.status,
            first_lines(&String::from_utf8_lossy(&output.stderr), 12)
        ));
    }
    run
}

/// Reads libtest's output: the summary line and the failing tests.
fn parse_test_output(stdout: &str) -> TestRun {
    let mut run = TestRun::default();
    let Some(summary) = stdout.lines().rfind(|l| l.starts_with("test result:")) else {
        run.crash = Some(String::new());
        return run;
    };
    // test result: FAILED. 58 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; …
    for part in summary.split(['.', ';']) {
        let mut words = part.split_whitespace();
        if let (Some(n), Some(what)) = (words.next(), words.next()) {
            match (n.parse::<usize>(), what) {
                (Ok(n), "passed") => run.passed = n,
                (Ok(n), "failed") => run.failed = n,
                _ => {}
            }
        }
    }
    // `---- name stdout ----` sections hold each failure's panic message.
    for name in stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
    {
        let header = format!("---- {name} stdout ----\n");
        let detail = stdout
            .find(&header)
            .and_then(|i| stdout[i + header.len()..].split("\n\n").next())
            .map(|section| first_lines(section, 4))
            .unwrap_or_default();
        run.failures.push(format!("{name}: {detail}"));
    }
    run
}

/// Builds, lints and tests one crate with its own cargo invocations.
fn build_one(slug: &str) -> BuildResult {
    let dir = corpus_dir().join(slug);
    let started = Instant::now();
    let mut result = BuildResult::default();

    let clippy = cargo(
        &dir,
        &[
            &["clippy"],
            CLIPPY_TARGETS,
            &["--message-format=json", "--quiet"],
        ]
        .concat(),
    );
    let mut messages = parse_messages(&clippy.stdout);
    merge(&mut result.errors, messages.errors.remove(slug));
    merge(&mut result.warnings, messages.warnings.remove(slug));
    if !clippy.status.success() && result.errors.is_empty() {
        result.cargo_failure = Some(cargo_failure(&clippy));
    }

    if result.errors.is_empty() && result.cargo_failure.is_none() {
        let build = cargo(
            &dir,
            &[
                "test",
                "--no-run",
                "--test",
                "examples",
                "--message-format=json",
                "--quiet",
            ],
        );
        let mut messages = parse_messages(&build.stdout);
        merge(&mut result.errors, messages.errors.remove(slug));
        merge(&mut result.warnings, messages.warnings.remove(slug));
        if !build.status.success() && result.errors.is_empty() {
            result.cargo_failure = Some(cargo_failure(&build));
        }
        if let Some(exe) = messages.executables.get(slug) {
            result.tests = Some(run_examples(exe, &dir));
        }
    }
    result.time = Some(started.elapsed());
    result
}

/// Builds, lints and tests all crates through one throwaway workspace
/// (`target/corpus/Cargo.toml`). Returns `None` when cargo fails without
/// blaming a crate (the workspace itself is broken), so the caller can fall
/// back to one invocation per crate.
fn build_workspace(slugs: &[&str]) -> Option<BTreeMap<String, BuildResult>> {
    let dir = corpus_dir();
    let mut manifest = String::from(
        "# Written by tests/corpus.rs to build every generated crate at once.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for slug in slugs {
        writeln!(manifest, "    \"{slug}\",").unwrap();
    }
    manifest.push_str("]\n");
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let run = |args: &[&str]| {
        let output = cargo(&dir, args);
        let messages = parse_messages(&output.stdout);
        let blamed = messages.errors.values().any(|e| !e.is_empty());
        (output.status.success() || blamed).then_some(messages)
    };
    let clippy = run(&[
        &["clippy", "--workspace"],
        CLIPPY_TARGETS,
        &["--keep-going", "--message-format=json", "--quiet"],
    ]
    .concat());
    let build = run(&[
        "test",
        "--workspace",
        "--no-run",
        "--no-fail-fast",
        "--test",
        "examples",
        "--message-format=json",
        "--quiet",
    ]);
    let _ = fs::remove_file(dir.join("Cargo.toml"));
    let (mut clippy, mut build) = (clippy?, build?);
    let mut results = BTreeMap::new();
    for slug in slugs {
        let mut result = BuildResult::default();
        for messages in [&mut clippy, &mut build] {
            merge(&mut result.errors, messages.errors.remove(*slug));
            merge(&mut result.warnings, messages.warnings.remove(*slug));
        }
        if let Some(exe) = build.executables.get(*slug) {
            result.tests = Some(run_examples(exe, &dir.join(slug)));
        }
        results.insert(slug.to_string(), result);
    }
    Some(results)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum BuildMode {
    PerCrate,
    Workspace,
}

fn build_all(rows: &mut [Row], mode: BuildMode) {
    let slugs: Vec<&str> = rows
        .iter()
        .filter(|r| r.generated.is_some())
        .map(|r| r.slug.as_str())
        .collect();
    let mut results = match mode {
        BuildMode::Workspace => build_workspace(&slugs).unwrap_or_else(|| {
            eprintln!("corpus: the workspace build failed as a whole; building crate by crate");
            BTreeMap::new()
        }),
        BuildMode::PerCrate => BTreeMap::new(),
    };
    for row in rows.iter_mut().filter(|r| r.generated.is_some()) {
        row.build = Some(
            results
                .remove(&row.slug)
                .unwrap_or_else(|| build_one(&row.slug)),
        );
    }
}

// ---------------------------------------------------------------------------
// The report

fn render(rows: &[Row], mode: BuildMode, total: Duration) -> String {
    let header = [
        "",
        "spec",
        "models",
        "pages",
        "compile",
        "warnings",
        "examples",
        "broken links",
        "time",
    ];
    let mut table: Vec<[String; 9]> = Vec::new();
    for row in rows {
        let status = match (row.green(), row.known) {
            (true, None) => "green",
            (true, Some(_)) => "GREEN (listed)",
            (false, Some(_)) => "red (known)",
            (false, None) => "RED",
        };
        let dash = || "—".to_string();
        let info = row.generated.as_ref();
        let build = row.build.as_ref();
        let examples = match (info, build.and_then(|b| b.tests.as_ref())) {
            (Some(i), Some(t)) => format!("{}/{}", t.passed, i.examples_total),
            (Some(i), None) => format!("—/{}", i.examples_total),
            _ => dash(),
        };
        let time = match build.and_then(|b| b.time) {
            Some(t) => format!("{:.1}+{:.1} s", row.gen_time.as_secs_f64(), t.as_secs_f64()),
            None => format!("{:.1} s", row.gen_time.as_secs_f64()),
        };
        table.push([
            status.to_string(),
            format!("`{}`", row.spec),
            info.map_or_else(dash, |i| i.models.to_string()),
            info.map_or_else(dash, |i| i.pages.to_string()),
            match row.compiled() {
                Some(true) => "ok".to_string(),
                Some(false) => "FAIL".to_string(),
                None => dash(),
            },
            build.map_or_else(dash, |b| b.warnings.len().to_string()),
            examples,
            info.map_or_else(dash, |_| row.broken_links.len().to_string()),
            time,
        ]);
    }
    let mut widths = header.map(|h| h.chars().count());
    for cells in &table {
        for (w, cell) in widths.iter_mut().zip(cells) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            // Numbers right-aligned, text left-aligned.
            if (2..=7).contains(&i) {
                write!(s, " {}{cell} |", " ".repeat(pad)).unwrap();
            } else {
                write!(s, " {cell}{} |", " ".repeat(pad)).unwrap();
            }
        }
        s.push('\n');
        s
    };

    let mut out = String::from("# Corpus check\n\n");
    out.push_str(&line(&header.map(String::from)));
    out.push_str(&line(&widths.map(|w| "-".repeat(w))));
    for cells in &table {
        out.push_str(&line(cells));
    }

    let green = rows.iter().filter(|r| r.green()).count();
    let known = rows
        .iter()
        .filter(|r| !r.green() && r.known.is_some())
        .count();
    let unexpected = rows.len() - green - known;
    let links: usize = rows.iter().map(|r| r.links_checked).sum();
    writeln!(
        out,
        "\n{} specs: {green} green, {known} red and listed in KNOWN_FAILING, {unexpected} red and not listed. \
         {links} page links checked (every one must resolve). Build: {}. Total time {:.0} s.",
        rows.len(),
        match mode {
            BuildMode::PerCrate => "one cargo invocation per crate",
            BuildMode::Workspace => "one workspace (time column: generation only)",
        },
        total.as_secs_f64()
    )
    .unwrap();

    let red: Vec<&Row> = rows.iter().filter(|r| !r.green()).collect();
    if !red.is_empty() {
        out.push_str("\n## Red rows\n");
        for row in red {
            write!(out, "\n### `{}`\n\n", row.spec).unwrap();
            if let Some(why) = row.known {
                writeln!(out, "Listed in KNOWN_FAILING: {why}\n").unwrap();
            }
            for problem in row.problems() {
                let (first, rest) = problem.split_once('\n').unwrap_or((&problem, ""));
                writeln!(out, "- {first}").unwrap();
                if !rest.is_empty() {
                    out.push_str("\n  ```text\n");
                    for l in rest.lines() {
                        writeln!(out, "  {l}").unwrap();
                    }
                    out.push_str("  ```\n");
                }
            }
        }
    }

    let excluded: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter_map(|r| Some((r, r.generated.as_ref()?)))
        .flat_map(|(r, i)| {
            i.excluded
                .iter()
                .map(move |(p, why)| (r.spec.as_str(), p.as_str(), why.as_str()))
        })
        .collect();
    writeln!(
        out,
        "\n## Excluded examples ({})\n\n\
         Examples that do not fit their own schema: their test asserts that \
         they do not round-trip.\n",
        excluded.len()
    )
    .unwrap();
    for (spec, pointer, why) in excluded {
        writeln!(out, "- `{spec}` `{pointer}`: {why}").unwrap();
    }
    out
}

/// Everything that makes the check fail.
fn verdict(rows: &[Row], all_specs: &[Spec]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    for (rel, _) in KNOWN_FAILING {
        if !listed.insert(*rel) {
            problems.push(format!("{rel} is listed twice in KNOWN_FAILING"));
        }
        if !all_specs.iter().any(|s| s.rel == *rel) {
            problems.push(format!(
                "{rel} is in KNOWN_FAILING but is not a root document under ../shared/specs: remove it"
            ));
        }
    }
    for row in rows {
        match (row.green(), row.known) {
            (true, Some(_)) => problems.push(format!(
                "{} is green now: remove it from KNOWN_FAILING in tests/corpus.rs",
                row.spec
            )),
            (false, None) => {
                let mut text = format!("{}:", row.spec);
                for p in row.problems() {
                    text.push_str("\n  ");
                    text.push_str(&p.replace('\n', "\n    "));
                }
                problems.push(text);
            }
            _ => {}
        }
    }
    problems
}

// ---------------------------------------------------------------------------
// The check

#[test]
fn corpus_generates_builds_and_round_trips_every_example() {
    if !common::shared_present() {
        return;
    }
    let started = Instant::now();
    let specs_dir = specs_dir();
    assert!(
        specs_dir.is_dir(),
        "the corpus is missing: {} is not a folder",
        specs_dir.display()
    );
    let specs = find_specs(&specs_dir);
    assert!(
        !specs.is_empty(),
        "no root document under {}",
        specs_dir.display()
    );

    let only: Option<Vec<String>> = std::env::var("OAPI_CORPUS_ONLY")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split(',').map(|p| p.trim().to_string()).collect());
    let selected: Vec<&Spec> = specs
        .iter()
        .filter(|s| {
            only.as_ref()
                .is_none_or(|o| o.iter().any(|p| s.rel.contains(p.as_str())))
        })
        .collect();
    assert!(
        !selected.is_empty(),
        "OAPI_CORPUS_ONLY={only:?} selects no spec"
    );
    let mode = match std::env::var("OAPI_CORPUS_BUILD").as_deref() {
        Ok("workspace") => BuildMode::Workspace,
        Ok("per-crate") | Err(_) => BuildMode::PerCrate,
        Ok(other) => panic!("OAPI_CORPUS_BUILD={other}: use `per-crate` or `workspace`"),
    };

    let corpus = corpus_dir();
    fs::create_dir_all(&corpus).unwrap();
    // A workspace manifest left by an interrupted workspace-mode run would
    // capture the crates of a per-crate run.
    let _ = fs::remove_file(corpus.join("Cargo.toml"));
    if only.is_none() {
        // Folders of specs that are gone.
        for entry in fs::read_dir(&corpus).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() && !specs.iter().any(|s| s.slug == name) {
                fs::remove_dir_all(&path).unwrap();
            }
        }
    }

    let mut rows: Vec<Row> = selected.iter().map(|s| generate(s)).collect();
    build_all(&mut rows, mode);

    let report = render(&rows, mode, started.elapsed());
    println!("{report}");
    fs::write(corpus.join("REPORT.md"), &report).unwrap();

    let problems = verdict(&rows, &specs);
    assert!(
        problems.is_empty(),
        "corpus check failed ({} problems; full report in target/corpus/REPORT.md):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------
// The helpers above, on small inputs

#[test]
fn slugs_are_crate_names_and_unique() {
    let rels = [
        "github-api.github.com.json",
        "kubernetes/api__v1_openapi.json",
        "oai-examples/v3.0/petstore-expanded.json",
        "oai-examples/v3.0/petstore-expanded.yaml",
        "oai-examples/v3.2/3.2-tags-example.yaml",
        "3d.json",
        "a_b.json",
        "a-b.yaml",
    ];
    assert_eq!(
        slugs(&rels),
        [
            "github-api-github-com-models",
            "kubernetes-api-v1-openapi-models",
            "oai-examples-v3-0-petstore-expanded-json-models",
            "oai-examples-v3-0-petstore-expanded-yaml-models",
            "oai-examples-v3-2-3-2-tags-example-models",
            "spec-3d-models",
            "a-b-json-models",
            "a-b-yaml-models",
        ]
    );
    assert_eq!(slugs(&["a_b", "a-b"]), ["a-b-models", "a-b-2-models"]);
}

#[test]
fn yaml_roots_have_a_version_key_at_column_0() {
    assert!(yaml_has_version_key("# c\nopenapi: 3.0.0\ninfo: {}\n"));
    assert!(yaml_has_version_key("swagger : '2.0'\n"));
    assert!(yaml_has_version_key("\"openapi\": 3.1.0\n"));
    assert!(!yaml_has_version_key(
        "type: object\nproperties:\n  openapi: {}\n"
    ));
    assert!(!yaml_has_version_key("openapiVersion: 3\n"));
}

#[test]
fn links_are_extracted_and_classified() {
    let page = "See [A](a.md), [B](b.md#x \"t\"), [web](https://x.org/a_(b)), `[c](/code)`, \
                ``x`[d](/d)``, [open](/unclosed | and [top](#top).";
    assert_eq!(
        links(page),
        ["a.md", "b.md#x", "https://x.org/a_(b", "#top"]
    );
    assert!(is_external("https://x.org"));
    assert!(is_external("mailto:a@b.c"));
    assert!(!is_external("a.md"));
    assert!(!is_external("../a.md"));
}

#[test]
fn every_dead_link_is_broken_wherever_it_came_from() {
    let dir = corpus_dir().join("link-check-fixture");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("a.md"), "[B](b.md) [C](c.md) [guide](/docs/guide)").unwrap();
    fs::write(
        dir.join("b.md"),
        "[A](a.md) [other](../elsewhere.md) `[x](/code)`",
    )
    .unwrap();
    let (checked, broken) = check_links(&dir);
    assert_eq!(checked, 5);
    assert_eq!(
        broken,
        [
            "a.md → c.md",
            "a.md → /docs/guide",
            "b.md → ../elsewhere.md"
        ]
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn test_summary_is_parsed() {
    let stdout = "running 3 tests
test a ... ok
test b ... FAILED
test c ... ok

failures:

---- b stdout ----
thread 'b' panicked at tests/examples.rs:9:5:
does not deserialize: missing field `x`

failures:
    b

test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
";
    let run = parse_test_output(stdout);
    assert_eq!((run.passed, run.failed), (2, 1));
    assert!(run.crash.is_none());
    assert_eq!(
        run.failures,
        [
            "b: thread 'b' panicked at tests/examples.rs:9:5:\ndoes not deserialize: missing field `x`"
        ]
    );
    assert!(parse_test_output("running 1 test\n").crash.is_some());
}

#[test]
fn verdict_fails_on_unlisted_red_rows_and_on_listed_green_ones() {
    let row = |spec: &str, known: Option<&'static str>, passed: usize, warnings: &[&str]| Row {
        spec: spec.to_string(),
        slug: "x-models".to_string(),
        known,
        generated: Some(GenInfo {
            models: 1,
            pages: 1,
            examples_total: 2,
            excluded: Vec::new(),
        }),
        build: Some(BuildResult {
            warnings: warnings.iter().map(|w| w.to_string()).collect(),
            tests: Some(TestRun {
                passed,
                ..TestRun::default()
            }),
            ..BuildResult::default()
        }),
        ..Row::default()
    };
    let failed_generation = Row {
        spec: "c.yaml".to_string(),
        gen_error: Some("c.yaml#/x: not supported yet".to_string()),
        ..Row::default()
    };
    let rows = [
        row("green.json", None, 2, &[]),
        row("fixed.json", Some("was red"), 2, &[]),
        row("known.json", Some("still red"), 1, &[]),
        row(
            "lint.json",
            None,
            2,
            &["warning: unused import\n --> src/lib.rs:1:5"],
        ),
        failed_generation,
    ];
    assert!(rows[0].green() && rows[1].green());
    assert!(!rows[2].green() && !rows[3].green() && !rows[4].green());
    let problems = verdict(&rows, &[]);
    let expected_prefixes = [
        "fixed.json is green now: remove it from KNOWN_FAILING",
        "lint.json:\n  1 warnings; first:\n    warning: unused import\n     --> src/lib.rs:1:5",
        "c.yaml:\n  generation failed: c.yaml#/x: not supported yet",
    ];
    // KNOWN_FAILING entries that are not among the (here: no) root documents
    // come first, one per entry.
    let problems = &problems[KNOWN_FAILING.len()..];
    assert_eq!(problems.len(), expected_prefixes.len(), "{problems:#?}");
    for (problem, prefix) in problems.iter().zip(expected_prefixes) {
        assert!(
            problem.starts_with(prefix),
            "{problem}\ndoes not start with\n{prefix}"
        );
    }
    assert!(problems[0].contains("tests/corpus.rs"));
}
