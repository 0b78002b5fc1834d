//! The bad-input corpus: specs that must fail cleanly.
//!
//! Every case in [`CASES`] runs the CLI into an output folder that already
//! holds a complete generation of a valid spec, and must:
//! - exit with its code, 2 (bad input) or 3 (I/O), never a panic (101), an
//!   internal error (4), or a signal (a stack overflow aborts);
//! - print nothing on stdout and match its stderr snapshot
//!   (`tests/snapshots/bad_input__<case>.snap`, temp paths replaced by `[DIR]`);
//! - leave the output folder byte for byte as it was, with no staging
//!   folder or journal left behind;
//! - finish within [`TIME_LIMIT`] (no hang on huge or deep input).
//!
//! The case files are in `tests/bad_input/` (a folder is a multi-file spec
//! whose root is `spec.yaml`, or, for `directory`, the SPEC itself); the
//! huge ones are written by the test. Failures are collected over all
//! cases and reported together.
//!
//! Schema names that differ only in case (`Pet`, `pet`) are not here: they
//! are not an error, the generator names them apart (`Pet`, `Pet2`), so
//! that file names differ even on case-insensitive file systems (see the
//! `fooBar`/`FooBar` schemas of `tests/constructs/names.yaml`). The case
//! collision that is a problem is a `$ref` whose file name differs in case
//! from the file on disk (`ref-file-case`): it works on macOS and Windows
//! and breaks on Linux, so the error says which file was probably meant.

mod common;

use std::io::Read as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one case may take (a debug build; the slowest case, the 50 MB
/// string, takes about 1.5 s).
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// Virtual memory each run may use (KiB), so a runaway read cannot take
/// the machine down with it.
const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;

/// Where a case's spec comes from.
enum Input {
    /// A file or folder under `tests/bad_input/` (a folder's root is `spec.yaml`).
    File(&'static str),
    /// A folder under `tests/bad_input/`, given itself as SPEC.
    Folder(&'static str),
    /// A file of the test suite outside `tests/bad_input/` (a valid spec).
    Valid(&'static str),
    /// A path given as it is.
    Given(&'static str),
    /// Written by the test under this file name.
    Generated(&'static str, fn() -> Vec<u8>),
}

struct Case {
    /// The snapshot name.
    name: &'static str,
    input: Input,
    /// Extra arguments after `generate SPEC --out out`.
    args: &'static [&'static str],
    /// The exit code expected.
    exit: i32,
}

const fn case(name: &'static str, input: Input, args: &'static [&'static str], exit: i32) -> Case {
    Case {
        name,
        input,
        args,
        exit,
    }
}

use Input::{File, Folder, Generated, Given, Valid};

/// Every case. Comments say what went wrong before the corpus existed.
const CASES: &[Case] = &[
    // Syntax.
    case("truncated-json", File("truncated.json"), &[], 2),
    case("truncated-yaml", File("truncated.yaml"), &[], 2),
    case("tab-indent", File("tab-indent.yaml"), &[], 2),
    // Was accepted: serde_json keeps the last of two equal keys.
    case("duplicate-key-json", File("duplicate-key.json"), &[], 2),
    case("duplicate-key-yaml", File("duplicate-key.yaml"), &[], 2),
    case("not-utf8", File("not-utf8.yaml"), &[], 2),
    case("empty", File("empty.yaml"), &[], 2),
    case("yaml-alias-bomb", File("yaml-alias-bomb.yaml"), &[], 2),
    // Not a spec.
    case("directory", Folder("directory"), &[], 3),
    case("top-level-array", File("top-level-array.json"), &[], 2),
    case("top-level-string", File("top-level-string.json"), &[], 2),
    case("no-version", File("no-version.yaml"), &[], 2),
    case("openapi-4", File("openapi-4.yaml"), &[], 2),
    // References.
    case(
        "ref-missing-pointer",
        File("ref-missing-pointer.yaml"),
        &[],
        2,
    ),
    case("ref-missing-file", File("ref-missing-file.yaml"), &[], 2),
    case("ref-file-case", File("ref-file-case"), &[], 2),
    case("ref-cycle-self", File("ref-cycle-self.yaml"), &[], 2),
    case("ref-cycle-2", File("ref-cycle-2.yaml"), &[], 2),
    case("ref-cycle-3", File("ref-cycle-3.yaml"), &[], 2),
    case("ref-escape", File("ref-escape.yaml"), &[], 2),
    case(
        "ref-pointer-no-slash",
        File("ref-pointer-no-slash.yaml"),
        &[],
        2,
    ),
    case(
        "ref-pointer-bad-escape",
        File("ref-pointer-bad-escape.yaml"),
        &[],
        2,
    ),
    // Schemas. The constructs that cannot be typed exactly are typed
    // `serde_json::Value` with a warning (they were errors): with
    // `--deny-warnings` they still fail. An array without `items` and an
    // array that contains itself, errors once, now have exact types
    // (`Vec<serde_json::Value>`, a newtype; see tests/constructs/).
    case(
        "type-number",
        File("type-number.yaml"),
        &["--deny-warnings"],
        2,
    ),
    case(
        "type-unknown",
        File("type-unknown.yaml"),
        &["--deny-warnings"],
        2,
    ),
    case(
        "enum-mixed-types",
        File("enum-mixed-types.yaml"),
        &["--deny-warnings"],
        2,
    ),
    case(
        "huge-integer",
        File("huge-integer.yaml"),
        &["--deny-warnings"],
        2,
    ),
    // A mapping entry that points nowhere only loses its tag value: a
    // warning (it was an error; accepted silently before that).
    case(
        "discriminator-mapping-nowhere",
        File("discriminator-mapping-nowhere.yaml"),
        &["--deny-warnings"],
        2,
    ),
    case(
        "allof-string-and-object",
        File("allof-string-and-object.yaml"),
        &["--deny-warnings"],
        2,
    ),
    case("allof-self", File("allof-self.yaml"), &[], 2),
    case(
        "allof-self-nullable",
        File("allof-self-nullable.yaml"),
        &[],
        2,
    ),
    case("ref-cycle-deep", File("ref-cycle-deep.yaml"), &[], 2),
    // Legal but suspicious: a warning, an error with --deny-warnings (was
    // not even a warning).
    case(
        "required-unknown-property",
        File("required-unknown-property.yaml"),
        &["--deny-warnings"],
        2,
    ),
    case("deny-warnings-config", File("deny-warnings-config"), &[], 2),
    // Size and depth. Deep JSON stopped at serde_json's 128 levels with
    // "recursion limit exceeded"; deep YAML (up to 2000 levels) overflowed
    // the stack from about 200 levels in a debug build, 1000 in release.
    case("deep-json", Generated("deep.json", deep_json), &[], 2),
    case("deep-yaml", Generated("deep.yaml", deep_yaml), &[], 2),
    case(
        "huge-string",
        Generated("huge-string.json", huge_string),
        &["--deny-warnings"],
        2,
    ),
    // A device that never ends: read up to the size limit, then refused.
    case("dev-zero", Given("/dev/zero"), &[], 2),
    case(
        "limit-max-spec-bytes",
        Valid("constructs/fields.yaml"),
        &["--max-spec-bytes", "1000"],
        2,
    ),
    case(
        "limit-max-depth",
        Valid("constructs/fields.yaml"),
        &["--max-depth", "4"],
        2,
    ),
    case("limits-config", File("limits-config"), &[], 2),
];

/// Levels of the generated deep documents.
const DEEP: usize = 10_000;

/// `items` inside `items`, 10,000 times, in JSON.
fn deep_json() -> Vec<u8> {
    let mut text = String::from(
        r#"{"openapi": "3.0.3", "info": {"title": "deep", "version": "1"}, "paths": {}, "components": {"schemas": {"A": "#,
    );
    text.push_str(&r#"{"type": "array", "items": "#.repeat(DEEP));
    text.push_str(r#"{"type": "string"}"#);
    text.push_str(&"}".repeat(DEEP));
    text.push_str("}}}\n");
    text.into_bytes()
}

/// Block sequences inside block sequences, 10,000 times, in YAML
/// (`- - - … x`, as block mappings would need 100 MB of indentation).
fn deep_yaml() -> Vec<u8> {
    let mut text =
        String::from("openapi: 3.0.3\ninfo: {title: deep, version: \"1\"}\npaths: {}\nx-deep:\n  ");
    text.push_str(&"- ".repeat(DEEP));
    text.push_str("x\n");
    text.into_bytes()
}

/// A 50 MB string where a schema type belongs.
fn huge_string() -> Vec<u8> {
    let mut text = String::from(
        r#"{"openapi": "3.0.3", "info": {"title": "huge", "version": "1"}, "paths": {}, "components": {"schemas": {"Pet": {"type": ""#,
    );
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push_str("\"}}}}\n");
    text.into_bytes()
}

/// A complete previous generation, copied into each case's output folder.
fn previous_generation() -> PathBuf {
    let dir = common::scratch("bad-input-previous");
    let spec = common::root().join("tests/constructs/fields.yaml");
    let out = dir.join("out");
    let run = common::run_cli(&[
        "generate",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate",
        "previous",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// What one run did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    timed_out: bool,
}

/// Runs the CLI in `dir` under a memory limit, killing it after twice the
/// time limit.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_oapi-models"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > 2 * TIME_LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        elapsed,
        timed_out,
    }
}

/// Replaces the scratch folder's absolute path (as given and canonical).
fn normalize(text: &str, dir: &Path) -> String {
    let mut text = text.to_string();
    for form in [dir.canonicalize().unwrap(), dir.to_path_buf()] {
        text = text.replace(form.to_str().unwrap(), "[DIR]");
    }
    text
}

/// Runs one case; returns what is wrong with it.
fn check(case: &Case, previous: &Path) -> Vec<String> {
    let cases = common::root().join("tests/bad_input");
    let dir = common::scratch(&format!("bad-input/{}", case.name));
    let out = dir.join("out");
    copy_tree(previous, &out);
    // The target of `ref-escape`: valid, but outside the spec's folder.
    std::fs::write(dir.join("outside.yaml"), "Secret:\n  type: string\n").unwrap();
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let spec: String = match &case.input {
        Input::File(name) => {
            let source = cases.join(name);
            copy_tree(&source, &dir.join("in").join(name));
            if source.is_dir() {
                format!("in/{name}/spec.yaml")
            } else {
                format!("in/{name}")
            }
        }
        Input::Folder(name) => {
            copy_tree(&cases.join(name), &dir.join("in").join(name));
            format!("in/{name}")
        }
        Input::Valid(path) => {
            let file = Path::new(path).file_name().unwrap().to_str().unwrap();
            std::fs::copy(
                common::root().join("tests").join(path),
                dir.join("in").join(file),
            )
            .unwrap();
            format!("in/{file}")
        }
        Input::Given(path) => path.to_string(),
        Input::Generated(name, make) => {
            std::fs::write(dir.join("in").join(name), make()).unwrap();
            format!("in/{name}")
        }
    };
    let before = common::snapshot_dir(&out);
    let mut args = vec!["generate", spec.as_str(), "--out", "out"];
    args.extend(case.args);
    let run = run_in(&dir, &args);

    let mut problems = Vec::new();
    if run.timed_out {
        problems.push(format!("hung: killed after {:?}", run.elapsed));
    } else if run.elapsed > TIME_LIMIT {
        problems.push(format!("took {:?} (limit {TIME_LIMIT:?})", run.elapsed));
    }
    match run.code {
        Some(code) if code == case.exit => {}
        Some(code) => problems.push(format!("exit code {code}, expected {}", case.exit)),
        None => problems.push("killed by a signal (a stack overflow aborts)".to_string()),
    }
    if run.stderr.contains("overflowed its stack") || run.stderr.contains("panicked") {
        problems.push("crashed (see its stderr)".to_string());
    }
    if !run.stdout.is_empty() {
        problems.push(format!("printed on stdout: {:?}", run.stdout));
    }
    if common::snapshot_dir(&out) != before {
        problems.push("the output folder changed".to_string());
    }
    for leftover in [".oapi-models-staging", ".oapi-models-journal"] {
        if out.join(leftover).exists() {
            problems.push(format!("{leftover} was left in the output folder"));
        }
    }
    let stderr = normalize(&run.stderr, &dir);
    let snapshot = catch_unwind(AssertUnwindSafe(|| {
        insta::assert_snapshot!(case.name, stderr);
    }));
    if snapshot.is_err() {
        problems.push("stderr does not match its snapshot (diff above)".to_string());
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}\n  stderr: {}", case.name, first_lines(&stderr)))
        .collect()
}

fn first_lines(text: &str) -> String {
    let head: String = text
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n          ");
    head.chars().take(600).collect()
}

#[test]
fn bad_input_fails_cleanly_and_leaves_the_output_alone() {
    let previous = previous_generation();
    let mut problems = Vec::new();
    for case in CASES {
        problems.extend(check(case, &previous));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A spec whose schema `A` nests `count` schemas in the given shape, and
/// the depth of the document: the top level, `components` and `schemas`
/// take 3 levels, `A` is on the 4th, and each nested schema takes 1 level
/// (`items`, `additionalProperties`) or 2 (`properties`, `allOf`).
fn nested_spec(shape: &str, count: usize) -> (String, usize) {
    let (open, close, step) = match shape {
        "items" => (r#"{"type": "array", "items": "#, "}", 1),
        "additionalProperties" => (r#"{"type": "object", "additionalProperties": "#, "}", 1),
        "properties" => (r#"{"type": "object", "properties": {"p": "#, "}}", 2),
        "allOf" => (r#"{"allOf": ["#, "]}", 2),
        _ => unreachable!(),
    };
    let text = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "deep", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"A": {}{{"type": "string"}}{}}}}}}}"#,
        open.repeat(count),
        close.repeat(count)
    );
    (text, 4 + count * step)
}

/// The recursive stages (typed parse, IR, code formatting) take up to about
/// 44 KB of stack per level in a debug build: the deepest specs the default
/// limit accepts generate on the main thread's 8 MB, and a raised limit
/// runs the work on a thread with stack for it.
#[test]
fn the_deepest_accepted_specs_do_not_overflow_the_stack() {
    let dir = common::scratch("bad-input-deepest");
    let default = oapi_models::load::DEFAULT_MAX_DEPTH;
    let runs = [
        ("items", default, None),
        ("additionalProperties", default, None),
        ("properties", default, None),
        ("allOf", default, None),
        ("items", 1_000, Some("1000")),
    ];
    for (shape, limit, raised) in runs {
        let step = nested_spec(shape, 1).1 - 4;
        let count = (limit - 4) / step;
        let spec = dir.join(format!("{shape}-{limit}.json"));
        let mut args = vec!["generate", spec.to_str().unwrap(), "--out", "out"];
        if let Some(levels) = raised {
            args.extend(["--max-depth", levels]);
        }
        let (text, depth) = nested_spec(shape, count);
        assert!(depth <= limit && depth + step > limit);
        std::fs::write(&spec, text).unwrap();
        let run = run_in(&dir, &args);
        assert_eq!(
            run.code,
            Some(0),
            "{shape}, {depth} levels: {}",
            first_lines(&run.stderr)
        );
        // One schema more is refused.
        std::fs::write(&spec, nested_spec(shape, count + 1).0).unwrap();
        let run = run_in(&dir, &args);
        assert_eq!(run.code, Some(2), "{shape}, {} levels", depth + step);
        assert!(
            run.stderr
                .contains(&format!("nests deeper than {limit} levels")),
            "{}",
            first_lines(&run.stderr)
        );
    }
}

/// Every file and folder of `tests/bad_input/` is a case, and the corpus
/// is as large as promised.
#[test]
fn every_case_file_is_in_the_table() {
    let listed: Vec<&str> = CASES
        .iter()
        .filter_map(|c| match c.input {
            Input::File(name) | Input::Folder(name) => Some(name),
            _ => None,
        })
        .collect();
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(common::root().join("tests/bad_input")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !listed.contains(&name.as_str()) {
            unlisted.push(name);
        }
    }
    assert!(unlisted.is_empty(), "not in CASES: {unlisted:?}");
    assert!(CASES.len() >= 25, "{} cases", CASES.len());
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CASES.len(), "case names must be unique");
}
