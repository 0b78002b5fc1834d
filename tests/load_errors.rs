//! Bad references and versions are errors that name the file holding the
//! bad `$ref` and its JSON pointer.

mod common;

use std::path::PathBuf;

use oapi_models::Error;
use oapi_models::load::{LoadOptions, load, load_document};

fn fixture(rel: &str) -> PathBuf {
    common::root().join("tests/fixtures/load").join(rel)
}

/// The file, pointer and message of a spec error.
fn spec_error(result: Result<oapi_models::load::LoadedSpec, Error>) -> (PathBuf, String, String) {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(Error::Spec {
            file,
            location,
            message,
        }) => (file, location.pointer, message),
        Err(other) => panic!("expected a spec error, got {other}"),
    }
}

#[test]
fn missing_file_names_the_referring_file_and_pointer() {
    let (file, pointer, message) = spec_error(load(&fixture("err-missing/api.yaml")));
    assert_eq!(file, fixture("err-missing/paths/p.yaml"));
    assert_eq!(
        pointer,
        "/get/responses/200/content/application~1json/schema/$ref"
    );
    assert_eq!(
        message,
        format!(
            "$ref \"../schemas/Nope.yaml\" refers to the file {}, which does not exist",
            fixture("err-missing/schemas/Nope.yaml").display()
        )
    );
}

#[test]
fn missing_pointer_in_an_existing_file() {
    let (file, pointer, message) = spec_error(load(&fixture("err-pointer/api.yaml")));
    assert_eq!(file, fixture("err-pointer/api.yaml"));
    assert_eq!(pointer, "/components/schemas/A/$ref");
    assert_eq!(
        message,
        format!(
            "$ref \"common.yaml#/Nope\" points nowhere: {} has nothing at \"/Nope\"",
            fixture("err-pointer/common.yaml").display()
        )
    );
}

#[test]
fn dangling_local_ref_inside_another_file() {
    let (file, pointer, message) = spec_error(load(&fixture("err-local/api.yaml")));
    assert_eq!(file, fixture("err-local/s.yaml"));
    assert_eq!(pointer, "/properties/x/$ref");
    assert!(message.contains("points nowhere"), "{message}");
}

#[test]
fn ref_escaping_the_spec_folder() {
    let root = fixture("err-escape/spec/api.yaml");
    let (file, pointer, message) = spec_error(load(&root));
    assert_eq!(file, root);
    assert_eq!(pointer, "/components/schemas/A/properties/o/$ref");
    assert!(
        message.starts_with("$ref \"../outside.yaml\" refers outside the spec's folder"),
        "{message}"
    );
    // Allowed once the folder above is the boundary.
    let options = LoadOptions {
        ref_root: Some(fixture("err-escape")),
        ..LoadOptions::default()
    };
    let spec = load_document(&root, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        spec.document["components"]["schemas"]["outside"],
        serde_json::json!({"type": "string"})
    );
}

#[test]
fn cycle_of_copied_refs() {
    let (file, pointer, message) = spec_error(load(&fixture("err-cycle/api.yaml")));
    assert_eq!(file, fixture("err-cycle/b.yaml"));
    assert_eq!(pointer, "/$ref");
    assert!(message.contains("makes a cycle"), "{message}");
    assert!(message.contains("a.yaml"), "{message}");
}

#[test]
fn syntax_error_names_the_referenced_file() {
    let error = match load(&fixture("err-syntax/api.yaml")) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    };
    match &error {
        Error::Syntax { file, location, .. } => {
            assert_eq!(file, &fixture("err-syntax/bad.yaml"));
            assert_eq!(location.line_col.map(|(line, _)| line), Some(3));
        }
        other => panic!("expected a syntax error, got {other}"),
    }
}

#[test]
fn unknown_major_version_names_the_openapi_field() {
    let path = fixture("openapi-4.yaml");
    let (file, pointer, message) = spec_error(load(&path));
    assert_eq!(file, path);
    assert_eq!(pointer, "/openapi");
    assert_eq!(
        message,
        "OpenAPI version \"4.0.0\" is not supported: oapi-models reads OpenAPI 3.0.x, 3.1.x, 3.2.x and Swagger 2.0"
    );
}

#[test]
fn dangling_local_ref_in_a_single_file_is_unchanged() {
    let dir = common::scratch("load-errors-dangling");
    let path = dir.join("spec.json");
    let spec = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"A": {"properties": {"b": {"$ref": "#/components/schemas/Missing"}}}}}}"##;
    std::fs::write(&path, spec).unwrap_or_else(|e| panic!("{e}"));
    let (file, pointer, message) = spec_error(load(&path));
    assert_eq!(file, path);
    assert_eq!(pointer, "/components/schemas/A/properties/b/$ref");
    assert_eq!(
        message,
        "$ref \"#/components/schemas/Missing\" points nowhere: the document has nothing at \"/components/schemas/Missing\""
    );
}

#[test]
fn copied_content_may_not_nest_too_deeply() {
    let dir = common::scratch("load-errors-deep");
    // Each file fits the limit; joined, they do not.
    let limit = oapi_models::load::DEFAULT_MAX_DEPTH;
    let depth = limit * 3 / 4;
    let mut deep = String::new();
    for i in 0..depth {
        deep.push_str(&" ".repeat(i));
        deep.push_str("k:\n");
    }
    std::fs::write(dir.join("deep.yaml"), &deep).unwrap_or_else(|e| panic!("{e}"));
    // The copy lands `depth` levels down, inside a key OpenAPI does not
    // define (walked as an OpenAPI object; an `x-` extension would be data,
    // whose `$ref`s are not followed).
    let mut root = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
    root.push_str("nest:\n");
    for i in 1..depth {
        root.push_str(&" ".repeat(i));
        root.push_str("k:\n");
    }
    root.push_str(&" ".repeat(depth));
    root.push_str("$ref: deep.yaml\n");
    std::fs::write(dir.join("spec.yaml"), &root).unwrap_or_else(|e| panic!("{e}"));
    let (file, _, message) = spec_error(load(&dir.join("spec.yaml")));
    assert_eq!(file, dir.join("spec.yaml"));
    assert!(message.contains("copied here"), "{message}");
    assert!(
        message.contains(&format!("deeper than {limit} levels")),
        "{message}"
    );
}

#[test]
fn conversion_may_not_nest_too_deeply() {
    // Each level of `type: [array, object]` becomes `anyOf/0/items`: twice as deep.
    let dir = common::scratch("load-errors-deep-31");
    let mut spec = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n",
    );
    let limit = oapi_models::load::DEFAULT_MAX_DEPTH;
    let mut indent = " ".repeat(6);
    for _ in 0..limit * 3 / 4 {
        spec.push_str(&format!("{indent}type: [array, object]\n{indent}items:\n"));
        indent.push_str("  ");
    }
    spec.push_str(&format!("{indent}type: string\n"));
    let path = dir.join("spec.yaml");
    std::fs::write(&path, spec).unwrap_or_else(|e| panic!("{e}"));
    let (file, pointer, message) = spec_error(load(&path));
    assert_eq!(file, path);
    assert!(pointer.starts_with("/components/schemas/A/anyOf/0/items/anyOf/0/items"));
    assert!(message.contains("OpenAPI 3.0 shape"), "{message}");
    assert!(
        message.contains(&format!("deeper than {limit} levels")),
        "{message}"
    );
}

#[test]
fn urls_and_anchors_are_refused() {
    let dir = common::scratch("load-errors-url");
    std::fs::write(dir.join("other.yaml"), "type: string\n").unwrap_or_else(|e| panic!("{e}"));
    for (reference, expected) in [
        ("https://example.com/s.yaml", "is a URL"),
        ("other.yaml#anchor", "only JSON pointer fragments"),
    ] {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '{reference}'\n"
        );
        let path = dir.join("spec.yaml");
        std::fs::write(&path, spec).unwrap_or_else(|e| panic!("{e}"));
        let (file, pointer, message) = spec_error(load(&path));
        assert_eq!(file, path);
        assert_eq!(pointer, "/components/schemas/A/$ref");
        assert!(message.contains(expected), "{message}");
    }
}
