//! Bad input gets a clear message naming the file and the place, a non-zero
//! exit code, and leaves the output directory exactly as it was.

mod common;

use std::path::Path;
use std::process::Command;

/// Runs `generate` in a scratch dir holding `spec_name` (when `spec` is
/// given) and an output dir `out` with one pre-existing file. Returns the
/// exit code and stderr, after checking that `out` did not change.
fn fails(case: &str, spec_name: &str, spec: Option<&[u8]>, out: &str) -> (i32, String) {
    let dir = common::scratch(&format!("errors-{case}"));
    if let Some(bytes) = spec {
        std::fs::write(dir.join(spec_name), bytes).unwrap();
    }
    let out_dir = dir.join("out");
    std::fs::create_dir_all(out_dir.join("src")).unwrap();
    std::fs::write(out_dir.join("src/keep.rs"), "// a user's file\n").unwrap();
    std::fs::write(dir.join("a-file"), "not a directory\n").unwrap();
    let before = common::snapshot_dir(&dir);
    let output = Command::new(env!("CARGO_BIN_EXE_oapi-models"))
        .current_dir(&dir)
        .args(["generate", spec_name, "--out", out])
        .output()
        .unwrap();
    let after = common::snapshot_dir(&dir);
    assert_eq!(
        before, after,
        "{case}: files changed although the run failed"
    );
    assert!(
        output.stdout.is_empty(),
        "{case}: printed a summary on failure"
    );
    let code = output.status.code().expect("exit code");
    assert_ne!(code, 0, "{case}: exit code 0 on bad input");
    (code, String::from_utf8(output.stderr).unwrap())
}

const VALID_HEAD: &str =
    r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},"#;

fn spec_with_schemas(schemas: &str) -> Vec<u8> {
    format!(r#"{VALID_HEAD} "components": {{"schemas": {schemas}}}}}"#).into_bytes()
}

#[test]
fn truncated_json_names_file_line_and_column() {
    let (code, stderr) = fails(
        "truncated-json",
        "spec.json",
        Some(b"{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\"title\": "),
        "out",
    );
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r#"
    error: spec.json:3:20: invalid JSON: EOF while parsing a value
      |
    3 |   "info": {"title":
      |                    ^
    "#);
}

#[test]
fn invalid_yaml_names_file_line_and_column() {
    let (code, stderr) = fails(
        "tab-yaml",
        "spec.yaml",
        Some(b"openapi: 3.0.0\ninfo:\n\ttitle: x\n"),
        "out",
    );
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: spec.yaml:3:"), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn dangling_ref_names_the_json_pointer() {
    let spec = spec_with_schemas(
        r##"{"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Missing"}}}}"##,
    );
    let (code, stderr) = fails("dangling-ref", "spec.json", Some(&spec), "out");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r##"
    error: spec.json:1:147#/components/schemas/A/properties/b/$ref: $ref "#/components/schemas/Missing" points nowhere: the document has nothing at "/components/schemas/Missing"
      |
    1 | …{}, "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Missing"}}}}}}
      |                                                                              ^^^^^^
    "##);
}

#[test]
fn missing_spec_file_is_named() {
    let (code, stderr) = fails("missing-spec", "nowhere.yaml", None, "out");
    assert_eq!(code, 3);
    assert!(
        stderr.starts_with("error: nowhere.yaml: cannot read:"),
        "{stderr}"
    );
}

#[test]
fn directory_as_spec_is_refused() {
    let (code, stderr) = fails("dir-spec", "out", None, "out2");
    assert_eq!(code, 3);
    insta::assert_snapshot!(stderr, @"error: out: cannot read: is a directory, not a spec file");
}

#[test]
fn unwritable_output_dir_writes_nothing() {
    let spec = std::fs::read(common::hathora()).unwrap();
    // `a-file` is a regular file, so nothing can be created below it.
    let (code, stderr) = fails("unwritable-out", "spec.json", Some(&spec), "a-file/out");
    assert_eq!(code, 3);
    assert!(stderr.contains("a-file"), "{stderr}");
    assert!(stderr.contains("cannot write output"), "{stderr}");
}

#[test]
fn output_dir_that_is_a_file_is_refused() {
    let spec = std::fs::read(common::hathora()).unwrap();
    let (code, stderr) = fails("out-is-file", "spec.json", Some(&spec), "a-file");
    assert_eq!(code, 3);
    // The spec's warnings come first; the error is the last line.
    let last = stderr.lines().last().unwrap_or_default();
    insta::assert_snapshot!(last, @"error: a-file: cannot write output: exists and is not a directory");
}

#[test]
fn a_type_made_only_of_itself_fails_loudly_with_its_pointer() {
    let spec = spec_with_schemas(r##"{"A": {"allOf": [{"$ref": "#/components/schemas/A"}]}}"##);
    let (code, stderr) = fails("only-itself", "spec.json", Some(&spec), "out");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r##"
    error: spec.json:1:102#/components/schemas/A: "A" is made only of itself: no value can be written for it
      |
    1 | …": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"allOf": [{"$ref": "#/components/schemas/A"}]}}}}
      |                                                                   ^^^
    "##);
}

#[test]
fn not_an_openapi_document() {
    let (code, stderr) = fails("not-openapi", "spec.yaml", Some(b"hello: world\n"), "out");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @"error: spec.yaml#: not an OpenAPI document: it has neither an `openapi` nor a `swagger` field");
}

#[test]
fn empty_file() {
    let (code, stderr) = fails("empty", "spec.yaml", Some(b""), "out");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @"error: spec.yaml:1:1: invalid YAML: the file is empty");
}

#[test]
fn a_failed_run_keeps_previous_output_whole() {
    let dir = common::scratch("errors-previous-output");
    let out = dir.join("out");
    let ok = common::run_cli(&[
        "generate",
        common::hathora().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok.status.success());
    let before = common::snapshot_dir(&out);
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        spec_with_schemas(r##"{"A": {"$ref": "#/components/schemas/Nope"}}"##),
    )
    .unwrap();
    let failed = common::run_cli(&[
        "generate",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(failed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&failed.stderr).contains(
        "#/components/schemas/A/$ref: $ref \"#/components/schemas/Nope\" points nowhere"
    ));
    assert_eq!(before, common::snapshot_dir(&out));
    assert!(Path::new(&out).join("src/models/mod.rs").exists());
}
