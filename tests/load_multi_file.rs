//! Specs split over several files joined by relative `$ref`s: schema refs
//! become components, other refs are copied in place, names follow the
//! bundling rules, and every file read is listed.

mod common;

use std::path::{Path, PathBuf};

use common::{Loaded, load_full};
use oapi_models::load::{LoadOptions, load};
use serde_json::{Value, json};

fn fixture(rel: &str) -> PathBuf {
    common::root().join("tests/fixtures/load").join(rel)
}

fn loaded(path: &Path) -> Loaded {
    load_full(path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema_names(spec: &Loaded) -> Vec<String> {
    spec.document["components"]["schemas"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn schema_refs_become_named_components() {
    let spec = loaded(&fixture("multi/api.yaml"));
    // The root's own entries first, then new ones in (path, pointer) order:
    // `Thing.yaml` and `common.yaml#/Thing` clash, and `T` sorts before `c`.
    assert_eq!(
        schema_names(&spec),
        ["Named", "Local", "Pet", "Count", "Thing", "Tag", "Thing2"]
    );
    let schemas = &spec.document["components"]["schemas"];
    // An entry that is only a `$ref` to a file holds that file's schema.
    assert_eq!(
        schemas["Named"],
        json!({"type": "object", "properties": {"n": {"type": "integer"}}})
    );
    assert_eq!(
        schemas["Local"]["properties"],
        json!({"other": {"$ref": "#/components/schemas/Thing2"},
               "self": {"$ref": "#/components/schemas/Named"}})
    );
    // Refs inside a file are relative to it; `#/…` points into that file;
    // the target named by an entry keeps the entry's name.
    assert_eq!(
        schemas["Thing"]["properties"],
        json!({"id": {"type": "string"},
               "tag": {"$ref": "#/components/schemas/Tag"},
               "named": {"$ref": "#/components/schemas/Named"}})
    );
    // Every extension is stripped from the file name.
    assert_eq!(schemas["Count"], json!({"type": "integer", "minimum": 1}));
    assert_eq!(
        schemas["Pet"]["discriminator"]["mapping"],
        json!({"thing": "#/components/schemas/Thing"})
    );
    assert_eq!(
        spec.document["x-oapi-original-version"],
        Value::Null,
        "3.0 stays 3.0"
    );
    assert_eq!(spec.openapi.components.map(|c| c.schemas.len()), Some(7));
}

#[test]
fn other_refs_are_copied_in_place() {
    let spec = loaded(&fixture("multi/api.yaml"));
    let get = &spec.document["paths"]["/things"]["get"];
    assert_eq!(
        get["parameters"],
        json!([
            {"name": "limit", "in": "query", "schema": {"$ref": "#/components/schemas/Count"}},
            {"name": "page", "in": "query", "schema": {"type": "integer"}}
        ])
    );
    // A ref back into the root file becomes a local ref.
    assert_eq!(
        get["responses"]["default"],
        json!({"$ref": "#/components/responses/Err"})
    );
    assert_eq!(
        get["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}})
    );
    assert_eq!(
        spec.document["components"]["parameters"]["Limit"],
        json!({"name": "limit", "in": "query", "schema": {"$ref": "#/components/schemas/Count"}})
    );
}

#[test]
fn every_file_read_is_listed_root_first_then_sorted() {
    let root = fixture("multi/api.yaml");
    let spec = loaded(&root);
    let dir = fixture("multi");
    let expected: Vec<PathBuf> = [
        "api.yaml",
        "params.yaml",
        "paths/things.yaml",
        "schemas/Count.schema.json",
        "schemas/Renamed.yaml",
        "schemas/Thing.yaml",
        "schemas/common.yaml",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    assert_eq!(spec.files, expected);
    assert_eq!(spec.path, root);
}

#[test]
fn components_map_given_as_a_ref_to_an_index_file() {
    let spec = loaded(&fixture("index/api.yaml"));
    let schemas = &spec.document["components"]["schemas"];
    assert_eq!(
        schema_names(&spec),
        ["A", "B", "C", "Item", "Part", "Unused"]
    );
    assert_eq!(
        schemas["A"]["properties"],
        json!({"b": {"$ref": "#/components/schemas/B"},
               "c": {"$ref": "#/components/schemas/C"},
               "item": {"$ref": "#/components/schemas/Item"}})
    );
    // 3.1: `$defs` of another file are hoisted, `#` is the file itself.
    assert_eq!(
        schemas["Item"],
        json!({"type": "object", "properties": {
            "part": {"$ref": "#/components/schemas/Part"},
            "self": {"$ref": "#/components/schemas/Item"}}})
    );
    assert_eq!(schemas["C"], json!({"type": "integer", "nullable": true}));
    assert_eq!(
        spec.document["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["examples"]
            ["one"],
        json!({"summary": "one example", "value": {"b": "x", "c": 1}})
    );
}

#[test]
fn lichess_bundles_every_schema_file() {
    if !common::shared_present() {
        return;
    }
    let root = common::shared().join("specs/lichess/lichess-api.yaml");
    let spec = loaded(&root);
    let names = schema_names(&spec);
    // 196 files under schemas/ (besides `_index.yaml`): `PatchQuery.yaml` and
    // the two `headers/` files are parameters, so they are copied in place.
    assert_eq!(names.len(), 195);
    assert_eq!(
        spec.openapi.components.as_ref().map(|c| c.schemas.len()),
        Some(195)
    );
    for name in ["PatchQuery", "AcceptPgnOrJson", "AcceptPgnOrNdjson"] {
        assert!(!names.iter().any(|n| n == name), "{name}");
    }
    // `_index.yaml` names 100 schemas; the others come from refs between
    // files, named after the file.
    let index =
        std::fs::read_to_string(root.with_file_name("schemas/_index.yaml")).unwrap_or_default();
    assert!(!index.contains("BroadcastWithLastRound:"));
    assert!(names.iter().any(|n| n == "BroadcastWithLastRound"));
    assert_eq!(
        spec.document["components"]["schemas"]["BroadcastTop"]["properties"]["active"]["items"],
        json!({"$ref": "#/components/schemas/BroadcastWithLastRound"})
    );
    // Every file of the spec is read, once.
    assert_eq!(spec.files.len(), 500);
    assert_eq!(spec.files.first(), Some(&root));
    assert!(spec.files.windows(2).skip(1).all(|w| w[0] < w[1]));
    // Nothing is left pointing into another file.
    let text = serde_json::to_string(&spec.document).unwrap_or_default();
    assert!(!text.contains(".yaml\""), "a ref to a file survived");
}

#[test]
fn bundling_is_deterministic() {
    if !common::shared_present() {
        return;
    }
    let root = common::shared().join("specs/lichess/lichess-api.yaml");
    let a = serde_json::to_string(&loaded(&root).document).unwrap_or_default();
    let b = serde_json::to_string(&loaded(&root).document).unwrap_or_default();
    assert_eq!(a, b);
}

/// `petstore-separate/spec/swagger.json` refers to `../common/Error.json`,
/// outside its own folder: it loads once that folder's parent is allowed.
#[test]
fn petstore_separate_loads_with_its_parent_folder_allowed() {
    if !common::shared_present() {
        return;
    }
    let dir = common::shared().join("specs/oai-examples/v2.0/json/petstore-separate");
    let options = LoadOptions {
        ref_root: Some(dir.clone()),
        ..LoadOptions::default()
    };
    let spec =
        load_full(&dir.join("spec/swagger.json"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(schema_names(&spec), ["Error", "NewPet", "Pet"]);
    let schemas = &spec.document["components"]["schemas"];
    assert_eq!(
        schemas["NewPet"]["allOf"][0],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    let get = &spec.document["paths"]["/pets"]["get"];
    assert_eq!(get["parameters"][0]["name"], "tags");
    assert_eq!(
        get["responses"]["default"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Error"})
    );
    assert_eq!(
        spec.document["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/NewPet"})
    );
    assert_eq!(spec.files.len(), 5);
}

#[test]
fn petstore_separate_without_options_refuses_the_ref_outside_its_folder() {
    if !common::shared_present() {
        return;
    }
    let path =
        common::shared().join("specs/oai-examples/v2.0/json/petstore-separate/spec/swagger.json");
    let error = match load(&path) {
        Ok(_) => panic!("loaded although ../common is outside spec/"),
        Err(e) => e.to_string(),
    };
    assert!(
        error.contains("refers outside the spec's folder"),
        "{error}"
    );
    assert!(error.contains("../common/Error.json"), "{error}");
}
