//! `$ref`s that are data, not schemas, are never followed (issue 15,
//! point 2): inside vendor extensions, example values, `default`, `enum`,
//! `const`, `externalDocs`, … a `{"$ref": …}` is kept as written, and a
//! missing file or pointer named only there is no error. A `$ref` in a
//! schema position, or an Example Object that is a `$ref`, is still
//! followed, and a missing target there is still an error.

mod common;

use std::path::{Path, PathBuf};

use oapi_models::Generator;
use oapi_models::load::{LoadOptions, load_document};
use serde_json::{Value, json};

/// Writes `files` (name, text) into a fresh scratch dir; returns it.
fn write(case: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = common::scratch(&format!("data-refs-{case}"));
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Runs `oapi-models generate SPEC --out out` in `dir`: exit code, stderr.
fn generate(dir: &Path, spec: &str) -> (i32, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_oapi-models"))
        .current_dir(dir)
        .args(["generate", spec, "--out", "out"])
        .output()
        .unwrap();
    (
        output.status.code().expect("exit code"),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The document in OpenAPI 3.0 shape.
fn document(path: &Path) -> Value {
    load_document(path, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .document
}

/// The example values the IR tests, by pointer.
fn examples(path: &Path) -> Vec<(String, Value)> {
    let generated = Generator::new()
        .generate(path)
        .unwrap_or_else(|e| panic!("{e}"));
    generated
        .ir
        .examples
        .iter()
        .map(|e| (e.pointer.clone(), e.value.clone()))
        .collect()
}

const OPENAPI30: &str = r##"openapi: 3.0.3
info: {title: t, version: '1'}
externalDocs: {$ref: 'missing-docs.yaml'}
x-top: {$ref: '#/nowhere/at/all'}
paths:
  /pets:
    x-path-extension: {$ref: 'missing.yaml#/Thing'}
    get:
      operationId: listPets
      externalDocs: {url: 'https://example.com', $ref: '#/nope'}
      parameters:
        - name: q
          in: query
          example: {$ref: '#/nope'}
          schema: {type: string}
      responses:
        x-responses-extension: {$ref: '#/nope'}
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              example: {meta: {$ref: '#/nope'}}
              examples:
                shared: {$ref: '#/components/examples/pet'}
                inline: {value: {meta: {$ref: 'nofile.yaml'}}}
components:
  x-components-extension: {$ref: 'missing.yaml'}
  examples:
    pet: {value: {meta: {$ref: '#/nope'}}}
  schemas:
    Pet:
      type: object
      x-foo: {$ref: 'missing.yaml'}
      x-bar: {$ref: '#/nowhere'}
      x-deep: {list: [{$ref: 'missing.yaml'}, {nested: {$ref: '#/nope'}}]}
      externalDocs: {url: 'https://example.com', $ref: '#/nope'}
      xml: {name: pet, $ref: '#/nope'}
      properties:
        meta:
          type: object
          additionalProperties: true
          example: {$ref: '#/nope'}
          default: {$ref: 'missing.yaml'}
        kind:
          type: string
          enum: [a, b]
          x-enum-ref: {$ref: '#/nope'}
"##;

#[test]
fn data_refs_in_an_openapi_30_document_are_kept_as_written() {
    let dir = write("openapi30", &[("spec.yaml", OPENAPI30)]);
    let (code, stderr) = generate(&dir, "spec.yaml");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    let doc = document(&dir.join("spec.yaml"));
    let pet = &doc["components"]["schemas"]["Pet"];
    assert_eq!(pet["x-foo"], json!({"$ref": "missing.yaml"}));
    assert_eq!(pet["x-bar"], json!({"$ref": "#/nowhere"}));
    assert_eq!(doc["externalDocs"], json!({"$ref": "missing-docs.yaml"}));
    assert_eq!(
        pet["properties"]["meta"]["default"],
        json!({"$ref": "missing.yaml"})
    );
    // The example round-trips with its `$ref` key: it is the value tested.
    assert!(
        examples(&dir.join("spec.yaml")).contains(&(
            "/components/schemas/Pet/properties/meta/example".to_string(),
            json!({"$ref": "#/nope"})
        )),
        "{:?}",
        examples(&dir.join("spec.yaml"))
    );
}

#[test]
fn an_example_object_that_is_a_ref_is_still_followed() {
    let spec = OPENAPI30.replace(
        "'#/components/examples/pet'",
        "'#/components/examples/gone'",
    );
    let dir = write("example-object-ref", &[("spec.yaml", &spec)]);
    let (code, stderr) = generate(&dir, "spec.yaml");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("/examples/shared/$ref: $ref \"#/components/examples/gone\" points nowhere"),
        "{stderr}"
    );
}

#[test]
fn a_missing_target_in_a_schema_position_is_still_an_error() {
    // A header called `x-…` is a header (its map's keys are names), not an
    // extension: its `$ref` is followed.
    let spec = OPENAPI30.replace(
        "          description: ok\n",
        "          description: ok\n          headers:\n            x-rate-limit: {$ref: '#/components/headers/gone'}\n",
    );
    let dir = write("header-named-x", &[("spec.yaml", &spec)]);
    let (code, stderr) = generate(&dir, "spec.yaml");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("x-rate-limit/$ref"), "{stderr}");

    let spec = OPENAPI30.replace(
        "        kind:\n",
        "        owner: {$ref: '#/components/schemas/Gone'}\n        kind:\n",
    );
    let dir = write("schema-ref-missing", &[("spec.yaml", &spec)]);
    let (code, stderr) = generate(&dir, "spec.yaml");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("points nowhere"), "{stderr}");
}

#[test]
fn data_refs_in_a_swagger_2_document_are_kept_as_written() {
    let spec = r##"{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "x-top": {"$ref": "missing.json"},
  "paths": {
    "/pets": {
      "get": {
        "operationId": "listPets",
        "x-op": {"schema": {"$ref": "#/definitions/Gone"}},
        "responses": {
          "200": {
            "description": "ok",
            "schema": {"$ref": "#/definitions/Pet"},
            "examples": {"application/json": {"$ref": "#/nope"}}
          }
        }
      }
    }
  },
  "definitions": {
    "Pet": {
      "type": "object",
      "x-foo": {"$ref": "missing.yaml"},
      "x-bar": {"$ref": "#/definitions/Nowhere"},
      "properties": {
        "meta": {"type": "object", "example": {"$ref": "#/nope"}}
      }
    }
  }
}
"##;
    let dir = write("swagger2", &[("spec.json", spec)]);
    let (code, stderr) = generate(&dir, "spec.json");
    assert_eq!(code, 0, "{stderr}");
    let doc = document(&dir.join("spec.json"));
    let pet = &doc["components"]["schemas"]["Pet"];
    // Not rewritten to `#/components/schemas/…`: it is not a reference.
    assert_eq!(pet["x-bar"], json!({"$ref": "#/definitions/Nowhere"}));
    assert_eq!(pet["x-foo"], json!({"$ref": "missing.yaml"}));
    assert_eq!(doc["x-top"], json!({"$ref": "missing.json"}));
    assert!(examples(&dir.join("spec.json")).contains(&(
        "/components/schemas/Pet/properties/meta/example".to_string(),
        json!({"$ref": "#/nope"})
    )));
}

#[test]
fn data_refs_in_an_openapi_31_document_are_kept_as_written() {
    let spec = r##"openapi: 3.1.0
info: {title: t, version: '1'}
x-top: {$ref: '#/nowhere'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      x-foo: {$ref: 'missing.yaml'}
      x-bar: {$ref: '#/$defs/nowhere'}
      properties:
        meta:
          type: object
          examples: [{$ref: '#/nope'}]
        other:
          type: object
          default: {$ref: '#/nope'}
"##;
    let dir = write("openapi31", &[("spec.yaml", spec)]);
    let (code, stderr) = generate(&dir, "spec.yaml");
    assert_eq!(code, 0, "{stderr}");
    let doc = document(&dir.join("spec.yaml"));
    let pet = &doc["components"]["schemas"]["Pet"];
    assert_eq!(pet["x-bar"], json!({"$ref": "#/$defs/nowhere"}));
    assert_eq!(pet["x-foo"], json!({"$ref": "missing.yaml"}));
    assert_eq!(
        pet["properties"]["meta"]["x-oapi-examples"],
        json!([{"$ref": "#/nope"}])
    );
    assert_eq!(
        pet["properties"]["other"]["default"],
        json!({"$ref": "#/nope"})
    );
    assert!(
        examples(&dir.join("spec.yaml")).contains(&(
            "/components/schemas/Pet/properties/meta/examples/0".to_string(),
            json!({"$ref": "#/nope"})
        )),
        "{:?}",
        examples(&dir.join("spec.yaml"))
    );
}

#[test]
fn a_data_ref_to_a_missing_file_does_not_stop_a_multi_file_spec() {
    let root = r##"openapi: 3.0.3
info: {title: t, version: '1'}
x-top: {$ref: 'missing-top.yaml'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'pet.yaml'}
              example: {$ref: 'missing-example.yaml'}
components:
  schemas:
    Owner:
      type: object
      x-foo: {$ref: 'missing.yaml'}
      properties:
        pet: {$ref: 'pet.yaml'}
"##;
    let pet = r##"type: object
x-vendor: {$ref: 'also-missing.yaml#/Thing'}
externalDocs: {url: 'https://example.com', $ref: 'docs-missing.yaml'}
properties:
  name: {type: string, example: {$ref: 'not-here.yaml'}}
  meta:
    type: object
    default: {$ref: '#/nope'}
"##;
    let dir = write("multi-file", &[("spec.yaml", root), ("pet.yaml", pet)]);
    let (code, stderr) = generate(&dir, "spec.yaml");
    assert_eq!(code, 0, "{stderr}");
    let doc = document(&dir.join("spec.yaml"));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Owner"]["properties"]["pet"],
        json!({"$ref": "#/components/schemas/pet"})
    );
    assert_eq!(
        schemas["pet"]["x-vendor"],
        json!({"$ref": "also-missing.yaml#/Thing"})
    );
    assert_eq!(schemas["Owner"]["x-foo"], json!({"$ref": "missing.yaml"}));
    assert_eq!(doc["x-top"], json!({"$ref": "missing-top.yaml"}));

    // The same spec whose schema `$ref` names a missing file fails.
    let root = root.replace("pet: {$ref: 'pet.yaml'}", "pet: {$ref: 'pets.yaml'}");
    let dir = write(
        "multi-file-missing",
        &[("spec.yaml", &root), ("pet.yaml", pet)],
    );
    let (code, stderr) = generate(&dir, "spec.yaml");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("pets.yaml"), "{stderr}");
}
