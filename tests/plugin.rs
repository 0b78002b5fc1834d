//! External targets: the IR as JSON and its checked-in schema, a round trip
//! through a real plugin process, and every way a plugin can fail (a clear
//! `Error::Plugin`, and nothing written).
//!
//! The plugins are the python3 scripts in `tests/plugins/`.

mod common;

use std::path::Path;

use oapi_models::targets::Target;
use oapi_models::targets::plugin::{PluginTarget, ir_json, ir_json_schema};
use oapi_models::{Error, Generator};
use serde_json::Value;

/// A plugin from a command line, run from the project root.
fn plugin(line: &str) -> PluginTarget {
    PluginTarget::from_command_line(line)
        .unwrap()
        .current_dir(common::root())
}

/// Runs the whole pipeline with `plugin`, writing into a fresh output
/// directory that holds one file of a user. Returns the error, after
/// checking that the directory and its parent did not change.
fn fails(case: &str, plugin: PluginTarget) -> Error {
    let dir = common::scratch(&format!("plugin-{case}"));
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "a user's file\n").unwrap();
    let before = common::snapshot_dir(&dir);
    let result = Generator::new()
        .plugin(plugin)
        .generate(&common::hathora())
        .and_then(|generated| generated.write(&out));
    let after = common::snapshot_dir(&dir);
    assert_eq!(
        before, after,
        "{case}: files changed although the run failed"
    );
    let err = result.expect_err("the plugin should fail");
    assert!(matches!(err, Error::Plugin { .. }), "{case}: {err:?}");
    assert_eq!(err.exit_code(), 3);
    err
}

/// A plugin (`answer.py`) that prints `answer` whatever the IR.
fn answering(answer: &str) -> PluginTarget {
    PluginTarget::new("python3", ["tests/plugins/answer.py", answer]).current_dir(common::root())
}

#[test]
fn checked_in_schema_is_current() {
    let path = common::root().join("docs").join("ir.schema.json");
    let schema = ir_json_schema();
    if std::env::var_os("UPDATE_IR_SCHEMA").is_some() {
        std::fs::write(&path, &schema).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == schema,
        "docs/ir.schema.json differs from ir_json_schema(): the IR's shape changed.\n\
         If the change is incompatible, bump IR_VERSION (src/ir/mod.rs) first; then rewrite \
         the file with\n    UPDATE_IR_SCHEMA=1 cargo test --test plugin checked_in_schema_is_current"
    );
}

#[test]
fn ir_json_of_a_real_spec_validates_against_the_schema() {
    let generated = Generator::new().generate(&common::hathora()).unwrap();
    let text = ir_json(&generated.ir);
    assert!(text.ends_with("}\n"));
    assert_eq!(text, ir_json(&generated.ir), "not deterministic");
    assert!(
        text.starts_with(&format!(
            "{{\n  \"version\": {},\n",
            oapi_models::ir::IR_VERSION
        )),
        "`version` is not the first key"
    );

    let instance: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = instance
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["version", "title", "models", "examples", "warnings"]);

    let schema: Value = serde_json::from_str(&ir_json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .take(10)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));

    // The schema is strict enough to notice a wrong shape.
    let mut broken = instance.clone();
    broken["models"][0]["kind"] = Value::from("klass");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn the_ir_round_trips_through_a_plugin() {
    let generated = Generator::new()
        .plugin(plugin("python3 tests/plugins/summary.py"))
        .generate(&common::hathora())
        .unwrap();
    let ir = &generated.ir;
    let mut expected = format!("# {}\n\n{} models\n\n", ir.title, ir.models.len());
    for model in &ir.models {
        let kind = serde_json::to_value(model).unwrap()["kind"].clone();
        expected.push_str(&format!("- {}: {}\n", model.name, kind.as_str().unwrap()));
    }
    assert!(expected.contains(": struct\n") && expected.contains(": enum\n"));
    let summary = generated
        .files
        .iter()
        .find(|f| f.path == Path::new("plugin/summary.md"))
        .expect("plugin/summary.md is among the files");
    assert_eq!(summary.contents, expected);

    // Built-in files are still there, and the list stays sorted by path.
    assert!(
        generated
            .files
            .iter()
            .any(|f| f.path == Path::new("src/models/mod.rs"))
    );
    assert!(generated.files.windows(2).all(|w| w[0].path < w[1].path));

    // And written like any other file.
    let out = common::scratch("plugin-round-trip");
    generated.write(&out).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("plugin/summary.md")).unwrap(),
        expected
    );
}

#[test]
fn large_input_and_output_do_not_deadlock() {
    // The plugin fills its stderr pipe before reading the IR, then answers
    // a file of several hundred kilobytes.
    let generated = Generator::new()
        .plugin(plugin("python3 tests/plugins/chatty.py").forward_stderr(false))
        .generate(&common::hathora())
        .unwrap();
    let big = generated
        .files
        .iter()
        .find(|f| f.path == Path::new("big/models.txt"))
        .unwrap();
    assert_eq!(
        big.contents.lines().count(),
        generated.ir.models.len() * 200
    );
}

#[test]
fn a_plugin_may_ignore_its_input() {
    let quiet = PluginTarget::new(
        "python3",
        [
            "-c",
            r#"print('{"files": [{"path": "a.txt", "contents": "a"}]}')"#,
        ],
    );
    let generated = Generator::new()
        .plugin(quiet)
        .generate(&common::hathora())
        .unwrap();
    assert!(generated.files.iter().any(|f| f.path == Path::new("a.txt")));
}

#[test]
fn plugins_with_no_files_are_fine() {
    let generated = Generator::new()
        .plugin(answering(r#"{"files": []}"#))
        .generate(&common::hathora())
        .unwrap();
    let without = Generator::new().generate(&common::hathora()).unwrap();
    assert_eq!(generated.files, without.files);
}

#[test]
fn a_failing_plugin_names_its_status_and_stderr() {
    let err = fails(
        "fail",
        plugin("python3 tests/plugins/fail.py").forward_stderr(false),
    );
    insta::assert_snapshot!(err, @r"
    plugin `python3 tests/plugins/fail.py`: exited with status 3; last 20 lines of its standard error (6 before them not shown):
      fail.py: log line 7
      fail.py: log line 8
      fail.py: log line 9
      fail.py: log line 10
      fail.py: log line 11
      fail.py: log line 12
      fail.py: log line 13
      fail.py: log line 14
      fail.py: log line 15
      fail.py: log line 16
      fail.py: log line 17
      fail.py: log line 18
      fail.py: log line 19
      fail.py: log line 20
      fail.py: log line 21
      fail.py: log line 22
      fail.py: log line 23
      fail.py: log line 24
      fail.py: log line 25
      fail.py: something went wrong
    ");
}

#[test]
fn a_missing_program_is_named() {
    let err = fails(
        "missing",
        plugin("oapi-models-no-such-plugin --flag 'two words'"),
    );
    insta::assert_snapshot!(err, @"plugin `oapi-models-no-such-plugin --flag 'two words'`: cannot start `oapi-models-no-such-plugin`: program not found");
}

#[test]
fn output_that_is_not_json_is_refused() {
    let err = fails("garbage", plugin("python3 tests/plugins/garbage.py"));
    insta::assert_snapshot!(err, @r#"plugin `python3 tests/plugins/garbage.py`: its standard output is not valid JSON: expected value at line 1 column 1; expected one JSON object {"files": [{"path": "relative/path", "contents": "text"}, ...]}"#);
}

#[test]
fn a_path_leaving_the_output_directory_is_refused() {
    let err = fails("escape", plugin("python3 tests/plugins/escape.py"));
    insta::assert_snapshot!(err, @r#"plugin `python3 tests/plugins/escape.py`: refusing the path "../outside.txt": it has a `..` segment (files must stay inside the output directory)"#);
}

#[test]
fn answers_of_the_wrong_shape_are_refused() {
    let cases = [
        ("empty", "", "printed nothing on its standard output"),
        (
            "array",
            "[]",
            r#"its standard output is JSON but not an answer: invalid type: sequence, expected an object {"files": [...]} at line 1 column 0"#,
        ),
        (
            "unknown-field",
            r#"{"files": [], "extra": 1}"#,
            "its standard output is JSON but not an answer: unknown field `extra`, expected `files` at line 1 column 21",
        ),
        (
            "no-contents",
            r#"{"files": [{"path": "a.txt"}]}"#,
            "its standard output is JSON but not an answer: missing field `contents` at line 1 column 28",
        ),
        (
            "bytes",
            r#"{"files": [{"path": "a.txt", "contents": [1, 2]}]}"#,
            "invalid type: sequence, expected a string at line 1 column 41",
        ),
        (
            "file-as-array",
            r#"{"files": [["a.txt", "x"]]}"#,
            "invalid type: sequence, expected an object",
        ),
        (
            "twice",
            r#"{"files": [], "files": []}"#,
            "duplicate field `files` at line 1 column 26",
        ),
        (
            "trailing",
            r#"{"files": []} {}"#,
            "its standard output is not valid JSON: trailing characters at line 1 column 15",
        ),
    ];
    for (case, answer, expected) in cases {
        let message = fails(case, answering(answer)).to_string();
        assert!(message.contains(expected), "{case}: {message}");
        assert!(
            message.contains(r#"expected one JSON object {"files": [{"path": "relative/path", "contents": "text"}, ...]}"#),
            "{case}: {message}"
        );
    }
}

#[test]
fn bad_paths_are_refused() {
    let cases = [
        ("", "the path is empty"),
        ("/etc/passwd", "it is absolute"),
        ("a/../../b", "it has a `..` segment"),
        (r"docs\\x.md", "it contains a backslash"),
        ("a//b", "it has an empty or `.` segment"),
        ("./a", "it has an empty or `.` segment"),
    ];
    for (path, why) in cases {
        let answer = format!(r#"{{"files": [{{"path": "{path}", "contents": ""}}]}}"#);
        let message = fails("bad-path", answering(&answer)).to_string();
        let shown = serde_json::from_str::<String>(&format!("\"{path}\"")).unwrap();
        assert!(
            message.contains(&format!("refusing the path {shown:?}: {why}")),
            "{path}: {message}"
        );
    }
}

#[test]
fn duplicate_paths_are_refused() {
    let err = fails(
        "duplicate",
        answering(
            r#"{"files": [{"path": "a.txt", "contents": "1"}, {"path": "a.txt", "contents": "2"}]}"#,
        ),
    );
    assert!(
        err.to_string()
            .ends_with(r#": refusing the path "a.txt": it is answered twice"#),
        "{err}"
    );
}

#[test]
fn a_plugin_file_may_not_replace_a_built_in_one() {
    let answer = r#"{"files": [{"path": "src/models/mod.rs", "contents": "// mine\n"}]}"#;
    let err = fails("clash", answering(answer));
    let name = answering(answer).name().to_string();
    assert!(name.starts_with("python3 tests/plugins/answer.py "));
    assert_eq!(
        err.to_string(),
        format!(
            "plugin `{name}`: the file `src/models/mod.rs` is written by both `rust` and `{name}`"
        )
    );

    // Nor may two plugins write the same file.
    let other = r#"{"files": [{"path": "x/y.txt", "contents": ""}]}"#;
    let err = Generator::new()
        .plugin(answering(other))
        .plugin(answering(other).forward_stderr(false))
        .generate(&common::hathora())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("the file `x/y.txt` is written by both"),
        "{err}"
    );

    // Nor use a built-in file as a folder.
    let err = fails(
        "clash-folder",
        answering(r#"{"files": [{"path": "src/models/mod.rs/x", "contents": ""}]}"#),
    );
    assert!(
        err.to_string()
            .contains("is inside `src/models/mod.rs`, a file written by `rust`"),
        "{err}"
    );
}
