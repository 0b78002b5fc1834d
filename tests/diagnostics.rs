//! How errors and warnings look: the file, the JSON pointer, the line and
//! column, the source line with a caret, a hint; and the internal-error
//! report (exit code 4).

mod common;

use std::path::Path;
use std::process::Command;

/// Runs `oapi-models generate SPEC --out out` in a scratch dir holding
/// `files`; returns the exit code and stderr.
fn run(case: &str, files: &[(&str, &str)], spec: &str) -> (i32, String) {
    let dir = common::scratch(&format!("diagnostics-{case}"));
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_oapi-models"))
        .current_dir(&dir)
        .env_remove("OAPI_MODELS_TEST_PANIC")
        .args(["generate", spec, "--out", "out"])
        .output()
        .unwrap();
    let code = output.status.code().expect("exit code");
    (code, String::from_utf8(output.stderr).unwrap())
}

#[test]
fn yaml_syntax_error_shows_the_line_and_a_caret() {
    let spec = "openapi: 3.0.3\ninfo:\n\ttitle: x\n";
    let (code, stderr) = run("yaml-tab", &[("spec.yaml", spec)], "spec.yaml");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r"
    error: spec.yaml:3:2: invalid YAML: tabs disallowed within this context (block indentation)
      |
    3 |     title: x
      |     ^
      = hint: YAML does not allow tabs for indentation; use spaces
    ");
}

#[test]
fn yaml_duplicate_key_shows_both_places() {
    let spec = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n  title: u\npaths: {}\n";
    let (code, stderr) = run("yaml-duplicate", &[("spec.yaml", spec)], "spec.yaml");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r#"
    error: spec.yaml:5:3: invalid YAML: duplicate key "title" (first at line 3)
      |
    3 |   title: t
      |   ----- the first one
      ...
    5 |   title: u
      |   ^^^^^ again
    "#);
}

#[test]
fn json_structure_error_is_found_at_its_pointer() {
    let spec = r#"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": ["/pets"]
}
"#;
    let (code, stderr) = run("json-structure", &[("spec.json", spec)], "spec.json");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r#"
    error: spec.json:4:3#/paths: not a valid OpenAPI 3.0 document: invalid type: sequence, expected a map
      |
    4 |   "paths": ["/pets"]
      |   ^^^^^^^
    "#);
}

#[test]
fn dangling_ref_suggests_the_closest_component() {
    let spec = r##"openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pets:
      type: array
      items: {$ref: '#/components/schemas/pet'}
    Pet:
      type: object
    Owner:
      type: object
      properties:
        pets: {$ref: '#/components/schemas/Pest'}
"##;
    // `pet` differs from `Pet` only in case: that is the suggestion.
    let (code, stderr) = run("dangling-ref", &[("spec.yaml", spec)], "spec.yaml");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r##"
    error: spec.yaml:8:15#/components/schemas/Pets/items/$ref: $ref "#/components/schemas/pet" points nowhere: the document has nothing at "/components/schemas/pet"
      |
    8 |       items: {$ref: '#/components/schemas/pet'}
      |               ^^^^
      = hint: did you mean `#/components/schemas/Pet`?
    "##);
    // A typo: the closest name.
    let spec = spec
        .replace("'#/components/schemas/pet'", "'#/components/schemas/Pet'")
        .replace("Pest", "Petts");
    let (code, stderr) = run("dangling-ref-typo", &[("spec.yaml", &spec)], "spec.yaml");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("= hint: did you mean `#/components/schemas/Pets`?"),
        "{stderr}"
    );
    // Nothing close: no hint.
    let spec = spec.replace("Petts", "Unrelated");
    let (_, stderr) = run("dangling-ref-far", &[("spec.yaml", &spec)], "spec.yaml");
    assert!(!stderr.contains("hint"), "{stderr}");
}

#[test]
fn dangling_ref_in_another_file_shows_that_file() {
    let api = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {$ref: 'schemas/a.yaml'}
";
    let a = "type: object
properties:
  b:
    $ref: 'common.yaml#/Thng'
";
    let common = "Thing: {type: string}\n";
    let (code, stderr) = run(
        "other-file",
        &[
            ("api.yaml", api),
            ("schemas/a.yaml", a),
            ("schemas/common.yaml", common),
        ],
        "api.yaml",
    );
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r#"
    error: schemas/a.yaml:4:5#/properties/b/$ref: $ref "common.yaml#/Thng" points nowhere: schemas/common.yaml has nothing at "/Thng"
      |
    4 |     $ref: 'common.yaml#/Thng'
      |     ^^^^
      = hint: did you mean `common.yaml#/Thing`?
    "#);
}

#[test]
fn warnings_name_line_and_column() {
    let spec = r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        count:
          type: integer
          example: many
"#;
    let (code, stderr) = run("warning", &[("spec.yaml", spec)], "spec.yaml");
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stderr, @r#"warning: spec.yaml:11:11#/components/schemas/A/properties/count/example: example does not fit its schema (expected a 64-bit integer, found "many"); its test checks that it is rejected"#);
}

#[test]
fn minified_json_shows_a_cut_line() {
    let padding: Vec<String> = (0..200).map(|i| format!("\"value-{i}\"")).collect();
    let spec = format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"x-before":[{}],"paths":{{}},"components":{{"schemas":{{"A":{{"type":"object","properties":{{"b":{{"type":"string","x-rust-type":"1 +"}}}}}}}}}},"x-after":[{}]}}"#,
        padding.join(","),
        padding.join(",")
    );
    let (code, stderr) = run("minified", &[("spec.json", &spec)], "spec.json");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r#"
    error: spec.json:1:2450#/components/schemas/A/properties/b/x-rust-type: x-rust-type "1 +" is not a Rust type
      |
    1 | …ect","properties":{"b":{"type":"string","x-rust-type":"1 +"}}}}},"x-after":["value-0","value-1","value-2","value-3","val…
      |                                          ^^^^^^^^^^^^^
    "#);
    for line in stderr.lines() {
        assert!(line.chars().count() < 200, "{line}");
    }
}

#[test]
fn a_huge_one_line_file_is_never_printed() {
    // 8 MB on one line, the error near the end.
    let padding = "\"padding\",".repeat(800_000);
    let spec = format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"x-pad":[{padding}0],"paths":{{}},"components":{{"schemas":{{"A":{{"x-rust-type":"1 +"}}}}}}}}"#
    );
    let (code, stderr) = run("huge-line", &[("spec.json", &spec)], "spec.json");
    assert_eq!(code, 2);
    assert!(stderr.len() < 1_000, "{} bytes of stderr", stderr.len());
    assert!(stderr.starts_with("error: spec.json:1:8000"), "{stderr}");
}

#[test]
fn swagger2_errors_point_where_the_text_was_written() {
    let spec = r#"{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/pets": {
      "post": {
        "parameters": [
          {"in": "query", "name": "q", "type": "string"},
          {"in": "body", "name": "pet", "schema": {"type": "object",
            "properties": {"tag": {"type": "string", "x-rust-type": "1 +"}}}}
        ],
        "responses": {"200": {"description": "ok"}}
      }
    }
  },
  "definitions": {
    "Pet": {"type": "object", "properties": {"id": {"type": "integer", "x-rust-type": "1 +"}}}
  }
}
"#;
    // Under `definitions`: the node itself, where Swagger 2.0 wrote it.
    let (code, stderr) = run("swagger2", &[("spec.json", spec)], "spec.json");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r#"
    error: spec.json:17:72#/components/schemas/Pet/properties/id/x-rust-type: x-rust-type "1 +" is not a Rust type
       |
    17 |     "Pet": {"type": "object", "properties": {"id": {"type": "integer", "x-rust-type": "1 +"}}}
       |                                                                        ^^^^^^^^^^^^^
       = note: written as #/definitions/Pet/properties/id/x-rust-type (the document was converted from Swagger 2.0)
    "#);
    // A body parameter became a request body: the operation holding it.
    let spec = spec.replace(
        r#""type": "integer", "x-rust-type": "1 +""#,
        r#""type": "integer""#,
    );
    let (code, stderr) = run("swagger2-body", &[("spec.json", &spec)], "spec.json");
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r#"
    error: spec.json:6:7#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/tag/x-rust-type: x-rust-type "1 +" is not a Rust type
      |
    6 |       "post": {
      |       ^^^^^^
      = note: the pointer is not in the file as written (the document was converted from Swagger 2.0); shown is #/paths/~1pets/post, which holds it
    "#);
}

#[test]
fn library_render_matches_the_cli() {
    let dir = common::scratch("diagnostics-library");
    let path = dir.join("spec.yaml");
    std::fs::write(
        &path,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {not: {}}\n    B: {x-rust-type: '2 +'}\n",
    )
    .unwrap();
    let error = match oapi_models::Generator::new().generate(&path) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    };
    let rendered = error.render();
    let first = rendered.lines().next().unwrap_or_default();
    // The one-line form, with the line and column added.
    assert_eq!(
        first,
        format!(
            "error: {}:7:9#/components/schemas/B/x-rust-type: x-rust-type \"2 +\" is not a Rust type",
            path.display()
        )
    );
    assert_eq!(
        error.to_string(),
        format!(
            "{}#/components/schemas/B/x-rust-type: x-rust-type \"2 +\" is not a Rust type",
            path.display()
        )
    );
    assert!(
        rendered.contains("7 |     B: {x-rust-type: '2 +'}\n  |         ^"),
        "{rendered}"
    );
    // A spec given in memory: the text comes from the caller.
    let mut sources = oapi_models::diagnostics::Sources::new();
    sources.insert(
        Path::new("memory.yaml"),
        "openapi: 3.0.3\ncomponents:\n  schemas:\n    B: x\n",
    );
    let error = oapi_models::Error::spec("memory.yaml", "/components/schemas/B", "boom");
    let rendered = oapi_models::diagnostics::render_error(&error, &mut sources);
    assert_eq!(
        rendered,
        "error: memory.yaml:4:5#/components/schemas/B: boom\n  |\n4 |     B: x\n  |     ^"
    );
    let warning = oapi_models::ir::Diagnostic {
        pointer: "/components/schemas/A/not".to_string(),
        message: "careful".to_string(),
    };
    assert_eq!(
        oapi_models::diagnostics::render_warning(&path, &warning),
        format!(
            "warning: {}:6:9#/components/schemas/A/not: careful",
            path.display()
        )
    );
}

#[test]
fn internal_errors_exit_with_4_and_ask_for_a_report() {
    let output = Command::new(env!("CARGO_BIN_EXE_oapi-models"))
        .env("OAPI_MODELS_TEST_PANIC", "1")
        .env("RUST_BACKTRACE", "0")
        .args(["generate", "spec.yaml", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The place of the panic changes with the code around it.
    let at = stderr.find(" at src/main.rs:").expect("the panic's place");
    let end = stderr[at..].find(';').map_or(stderr.len(), |i| at + i);
    let stderr = format!(
        "{} at src/main.rs:<line>:<column>{}",
        &stderr[..at],
        &stderr[end..]
    );
    insta::assert_snapshot!(stderr, @r"
    error: internal error: deliberate panic for tests (OAPI_MODELS_TEST_PANIC is set) at src/main.rs:<line>:<column>; this is a bug in oapi-models — please report it with the spec that triggers it at https://github.com/oapi-models/oapi-models/issues
    note: run with RUST_BACKTRACE=1 to add a backtrace to the report
    ");
    let cargo = std::fs::read_to_string(common::root().join("Cargo.toml")).unwrap();
    assert!(cargo.contains("repository = \"https://github.com/oapi-models/oapi-models\""));
}
