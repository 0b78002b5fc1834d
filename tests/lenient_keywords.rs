//! Schema keywords holding the wrong JSON type (issue 15, point 4): real
//! specs write `title: 0`, `required: true`, `nullable: "true"`,
//! `minLength: "3"`. The spec still generates; each such keyword is
//! converted (where the meaning is plain) or dropped, with a located
//! warning that `--deny-warnings` turns into exit 2.

mod common;

use std::path::Path;

/// Runs `oapi-models generate SPEC --out out ARGS` in a scratch dir holding
/// the spec; returns the exit code and stderr.
fn run(case: &str, name: &str, spec: &str, args: &[&str]) -> (i32, String) {
    let dir = common::scratch(&format!("lenient-{case}"));
    std::fs::write(dir.join(name), spec).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_oapi-models"))
        .current_dir(&dir)
        .args(["generate", name, "--out", "out"])
        .args(args)
        .output()
        .unwrap();
    let code = output.status.code().expect("exit code");
    let stderr = String::from_utf8(output.stderr).unwrap();
    if code == 0 {
        assert!(Path::new(&dir.join("out/src/models/video.rs")).is_file());
    }
    (code, stderr)
}

const SPEC: &str = r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Video:
      title: 0
      description: 5
      type: object
      required: [id]
      properties:
        id: {type: string, format: 1, minLength: "3"}
        name: {type: string, nullable: "true", readOnly: "false"}
        size: {type: integer, deprecated: "yes", minimum: "1", required: true}
        tags: {type: array, items: {type: string}, maxItems: 2.0}
        meta:
          type: object
          additionalProperties: "true"
          example: {title: 0}
"#;

#[test]
fn wrong_keyword_types_are_warnings() {
    let (code, stderr) = run("warnings", "spec.yaml", SPEC, &[]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stderr, @r#"
    warning: spec.yaml:7:7#/components/schemas/Video/title: `title` should be a string, found 0: read as "0"
    warning: spec.yaml:8:7#/components/schemas/Video/description: `description` should be a string, found 5: read as "5"
    warning: spec.yaml:12:28#/components/schemas/Video/properties/id/format: ignored `format`: it should be a string, found 1
    warning: spec.yaml:12:39#/components/schemas/Video/properties/id/minLength: `minLength` should be a non-negative integer, found "3": read as 3
    warning: spec.yaml:13:30#/components/schemas/Video/properties/name/nullable: `nullable` should be a boolean, found "true": read as true
    warning: spec.yaml:13:48#/components/schemas/Video/properties/name/readOnly: `readOnly` should be a boolean, found "false": read as false
    warning: spec.yaml:14:31#/components/schemas/Video/properties/size/deprecated: ignored `deprecated`: it should be a boolean, found "yes"
    warning: spec.yaml:14:50#/components/schemas/Video/properties/size/minimum: `minimum` should be a number, found "1": read as 1
    warning: spec.yaml:14:64#/components/schemas/Video/properties/size/required: ignored `required`: it should be a list of property names, found true (`required: true` on a property is not OpenAPI: list the property in the `required` of the object that holds it)
    warning: spec.yaml:15:52#/components/schemas/Video/properties/tags/maxItems: `maxItems` should be a non-negative integer, found 2.0: read as 2
    warning: spec.yaml:18:11#/components/schemas/Video/properties/meta/additionalProperties: `additionalProperties` should be a boolean or a schema, found "true": read as true
    "#);
}

#[test]
fn deny_warnings_refuses_wrong_keyword_types() {
    let (code, stderr) = run("deny", "spec.yaml", SPEC, &["--deny-warnings"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: spec.yaml:7:7#/components/schemas/Video/title: `title` should be a string, found 0"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("(a warning, denied by --deny-warnings"),
        "{stderr}"
    );
}

#[test]
fn swagger2_warnings_point_where_the_keyword_was_written() {
    let spec = r#"{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "paths": {},
  "definitions": {
    "Video": {"type": "object", "properties": {"id": {"type": "string", "pattern": 0}}}
  }
}
"#;
    let (code, stderr) = run("swagger2", "spec.json", spec, &[]);
    assert_eq!(code, 0, "{stderr}");
    // Located in the Swagger 2.0 text, pointer as converted (as the IR's own
    // warnings are).
    insta::assert_snapshot!(stderr, @"warning: spec.json:6:73#/components/schemas/Video/properties/id/pattern: ignored `pattern`: it should be a string, found 0");
}
