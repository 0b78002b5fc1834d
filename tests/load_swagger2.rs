//! Swagger 2.0 documents are converted to OpenAPI 3.0.

mod common;

use std::path::{Path, PathBuf};

use common::{Loaded, load_full};
use oapi_models::load::LoadOptions;
use serde_json::json;

fn loaded(path: &Path) -> Loaded {
    load_full(path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cases() -> Loaded {
    loaded(&common::root().join("tests/fixtures/load/swagger2.json"))
}

#[test]
fn top_level() {
    let spec = cases();
    let doc = &spec.document;
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["x-oapi-original-version"], "2.0");
    assert_eq!(
        doc["servers"],
        json!([{"url": "https://api.example.com/v2"}, {"url": "http://api.example.com/v2"}])
    );
    for key in [
        "swagger",
        "host",
        "basePath",
        "schemes",
        "consumes",
        "produces",
        "definitions",
    ] {
        assert!(doc.get(key).is_none(), "{key} left over");
    }
    assert_eq!(spec.openapi.servers.len(), 2);
}

#[test]
fn definitions_become_component_schemas() {
    let spec = cases();
    let schemas = &spec.document["components"]["schemas"];
    assert_eq!(
        schemas["Pet"],
        json!({
            "type": "object",
            "required": ["name"],
            "discriminator": {"propertyName": "kind"},
            "properties": {
                "name": {"type": "string"},
                "kind": {"type": "string"},
                "nickname": {"type": "string", "nullable": true},
                "photo": {"type": "string", "format": "binary"}
            }
        })
    );
    assert_eq!(spec.openapi.components.map(|c| c.schemas.len()), Some(2));
}

#[test]
fn body_parameter_becomes_request_body() {
    let spec = cases();
    let post = &spec.document["paths"]["/pets"]["post"];
    assert_eq!(
        post["requestBody"],
        json!({
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
            "required": true,
            "x-codegen-request-body-name": "pet"
        })
    );
    assert_eq!(
        post["parameters"],
        json!([{"$ref": "#/components/parameters/Trace"}])
    );
    assert_eq!(
        spec.document["components"]["parameters"]["Trace"],
        json!({"name": "X-Trace", "in": "header", "schema": {"type": "string"}})
    );
}

#[test]
fn responses_get_content_per_produced_type() {
    let spec = cases();
    let responses = &spec.document["paths"]["/pets"]["post"]["responses"];
    assert_eq!(
        responses["201"],
        json!({
            "description": "created",
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"},
                    "example": {"name": "Rex"}
                },
                "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}
            }
        })
    );
    assert_eq!(
        responses["default"],
        json!({"$ref": "#/components/responses/Problem"})
    );
    assert_eq!(
        spec.document["components"]["responses"]["Problem"]["content"]["application/xml"],
        json!({"schema": {"$ref": "#/components/schemas/Problem"}})
    );
}

#[test]
fn form_parameters_become_an_object_schema() {
    let spec = cases();
    let item = &spec.document["paths"]["/pets/{id}/photo"];
    assert_eq!(
        item["parameters"],
        json!([{"name": "id", "in": "path", "required": true,
                "schema": {"type": "integer", "format": "int64"}}])
    );
    assert_eq!(
        item["put"]["requestBody"],
        json!({
            "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "photo": {"type": "string", "format": "binary"},
                    "caption": {"type": "string", "description": "shown under the photo"}
                },
                "required": ["photo"]
            }}},
            "required": true
        })
    );
    // Without a form type in `consumes` and without files: urlencoded.
    let get = &spec.document["paths"]["/search"]["get"];
    assert_eq!(
        get["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"],
        json!({"q": {"type": "string"}})
    );
    assert_eq!(
        get["parameters"],
        json!([{"name": "tags", "in": "query",
                "schema": {"type": "array", "items": {"type": "string"}},
                "style": "pipeDelimited", "explode": false}])
    );
}

#[test]
fn every_2_0_example_loads() {
    if !common::shared_present() {
        return;
    }
    let dir = common::shared().join("specs/oai-examples/v2.0/json");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    assert_eq!(files.len(), 4);
    for path in files {
        let spec = loaded(&path);
        assert_eq!(spec.document["x-oapi-original-version"], "2.0");
        assert!(
            spec.openapi
                .components
                .as_ref()
                .is_some_and(|c| !c.schemas.is_empty()),
            "{}",
            path.display()
        );
    }
}
