//! OpenAPI 3.1 and 3.2 documents come out in 3.0 shape.

mod common;

use std::path::{Path, PathBuf};

use common::{Loaded, load_full};
use oapi_models::load::LoadOptions;
use serde_json::{Value, json};

fn loaded(path: &Path) -> Loaded {
    load_full(path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cases() -> Loaded {
    loaded(&common::root().join("tests/fixtures/load/v31.yaml"))
}

fn schema(spec: &Loaded, name: &str) -> Value {
    spec.document["components"]["schemas"][name].clone()
}

#[test]
fn top_level_becomes_3_0() {
    let spec = cases();
    let doc = &spec.document;
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["x-oapi-original-version"], "3.1.1");
    assert_eq!(spec.openapi.openapi, "3.0.3");
    // `paths` is optional in 3.1 but required in 3.0.
    assert_eq!(doc["paths"], json!({}));
    // Kept in the document; the typed parse ignores them.
    assert_eq!(doc["info"]["license"]["identifier"], "MIT");
    assert!(doc["jsonSchemaDialect"].is_string());
    assert_eq!(
        doc["webhooks"]["ping"]["post"]["requestBody"]["content"]["application/json"]["schema"],
        json!({"type": "string", "nullable": true})
    );
    // 3.0 has no mutualTLS scheme.
    assert_eq!(
        doc["components"]["x-oapi-mutualTLS"],
        json!({"mtls": {"type": "mutualTLS"}})
    );
    let schemes = spec.openapi.components.map(|c| c.security_schemes.len());
    assert_eq!(schemes, Some(1));
}

#[test]
fn type_arrays() {
    let spec = cases();
    assert_eq!(
        schema(&spec, "Nullable"),
        json!({"type": "string", "maxLength": 3, "nullable": true})
    );
    assert_eq!(
        schema(&spec, "OnlyNull"),
        json!({"nullable": true, "enum": [null]})
    );
    assert_eq!(
        schema(&spec, "Several"),
        json!({
            "description": "a string or an integer, or null",
            "anyOf": [{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0}],
            "format": "int64",
            "nullable": true
        })
    );
    assert_eq!(
        schema(&spec, "ArrayOrObject"),
        json!({"anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "properties": {"a": {"type": "integer", "nullable": true}}}
        ]})
    );
    assert_eq!(
        schema(&spec, "EnumSplit"),
        json!({"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "integer", "enum": [1]}]})
    );
}

#[test]
fn const_and_examples() {
    let spec = cases();
    assert_eq!(
        schema(&spec, "Const"),
        json!({"enum": ["fixed"], "x-oapi-const": true})
    );
    assert_eq!(
        schema(&spec, "Examples"),
        json!({"type": "string", "x-oapi-examples": ["first", "second"], "example": "first"})
    );
}

#[test]
fn ref_siblings_wrap_the_ref_in_all_of() {
    let spec = cases();
    assert_eq!(
        schema(&spec, "RefSiblings"),
        json!({
            "allOf": [{"$ref": "#/components/schemas/Const"}],
            "description": "the fixed value",
            "default": "fixed"
        })
    );
    // `summary` alone does not.
    assert_eq!(
        schema(&spec, "RefSummary"),
        json!({"$ref": "#/components/schemas/Const", "summary": "only a summary"})
    );
}

#[test]
fn exclusive_bounds_become_booleans() {
    let spec = cases();
    // `maximum: 5` is stricter than `exclusiveMaximum: 10`.
    assert_eq!(
        schema(&spec, "Bounds"),
        json!({"type": "integer", "exclusiveMinimum": true, "maximum": 5, "minimum": 0})
    );
}

#[test]
fn defs_are_hoisted_into_components() {
    let spec = cases();
    assert_eq!(
        schema(&spec, "Outer"),
        json!({"type": "object", "properties": {
            "inner": {"$ref": "#/components/schemas/Inner"},
            "other": {"$ref": "#/components/schemas/Const2Deep"}
        }})
    );
    // `Const` is taken, so the hoisted `Const` is `Const2`; the `$ref` to a
    // property inside it made that property a component of its own
    // (`load::hoist`), named after its place.
    assert_eq!(
        schema(&spec, "Const2"),
        json!({"type": "object", "properties": {"deep": {"$ref": "#/components/schemas/Const2Deep"}}})
    );
    assert_eq!(schema(&spec, "Const2Deep"), json!({"type": "boolean"}));
    assert_eq!(
        spec.document["x-oapi-hoisted"],
        json!({"Const2Deep": "/components/schemas/Const2/properties/deep"})
    );
    assert_eq!(schema(&spec, "Inner"), json!({"type": "string"}));
    let names: Vec<&String> = spec.document["components"]["schemas"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(names.last().map(|n| n.as_str()), Some("Const2Deep"));
}

#[test]
fn unsupported_keywords_are_dropped_or_renamed() {
    let spec = cases();
    assert_eq!(
        schema(&spec, "Dropped"),
        json!({"type": "string", "x-kept": true})
    );
    assert_eq!(
        schema(&spec, "Tuple"),
        json!({"type": "array", "x-oapi-prefixItems": [{"type": "string"}, {"type": "integer"}]})
    );
    assert_eq!(
        schema(&spec, "BoolSchemas"),
        json!({"type": "object", "properties": {"anything": {}, "nothing": {"not": {}}},
               "additionalProperties": false})
    );
}

#[test]
fn openai_loads() {
    if !common::shared_present() {
        return;
    }
    let spec = loaded(&common::shared().join("specs/openai.yaml"));
    assert_eq!(spec.document["x-oapi-original-version"], "3.1.0");
    let count = spec.openapi.components.map(|c| c.schemas.len());
    assert!(count.is_some_and(|n| n > 1000), "{count:?}");
    // No 3.1 shapes are left in schema positions.
    let text = serde_json::to_string(&spec.document).unwrap_or_default();
    assert!(!text.contains(r#""type":"null""#));
    assert!(!text.contains(r#""type":["#));
}

fn example_files(version: &str) -> Vec<PathBuf> {
    let dir = common::shared().join("specs/oai-examples").join(version);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    files
}

#[test]
fn every_3_1_and_3_2_example_loads() {
    if !common::shared_present() {
        return;
    }
    let files: Vec<PathBuf> = example_files("v3.1")
        .into_iter()
        .chain(example_files("v3.2"))
        .collect();
    assert_eq!(files.len(), 4);
    for path in files {
        let spec = loaded(&path);
        assert_eq!(spec.document["openapi"], "3.0.3", "{}", path.display());
        assert_eq!(spec.files, vec![path.clone()]);
    }
}

#[test]
fn the_3_2_tags_example_keeps_its_tags() {
    if !common::shared_present() {
        return;
    }
    let path = common::shared().join("specs/oai-examples/v3.2/3.2-tags-example.yaml");
    let spec = loaded(&path);
    assert_eq!(spec.document["x-oapi-original-version"], "3.2.0");
    assert_eq!(spec.openapi.tags.len(), 4);
    assert_eq!(spec.document["tags"][1]["parent"], "flights");
    // Operations without `responses` get an empty map.
    assert_eq!(
        spec.document["paths"]["/flights"]["get"]["responses"],
        json!({})
    );
}
