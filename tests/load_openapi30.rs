//! OpenAPI 3.0 documents in one file come out exactly as they were read.

mod common;

use std::path::PathBuf;

use oapi_models::load::{LoadOptions, load_document, parse_text, read_text};

fn specs() -> Vec<PathBuf> {
    let shared = common::shared().join("specs");
    let mut files = vec![
        common::hathora(),
        shared.join("kavita.json"),
        shared.join("ory-kratos.json"),
        shared.join("oxide-nexus.json"),
    ];
    let examples = shared.join("oai-examples/v3.0");
    let mut more: Vec<PathBuf> = std::fs::read_dir(&examples)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    more.sort();
    files.extend(more);
    files
}

#[test]
fn documents_are_byte_identical() {
    if !common::shared_present() {
        return;
    }
    for path in specs() {
        let text = read_text(&path).unwrap_or_else(|e| panic!("{e}"));
        let parsed = parse_text(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let spec = load_document(&path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&spec.document).ok(),
            serde_json::to_string(&parsed).ok(),
            "{}",
            path.display()
        );
        assert_eq!(spec.files, vec![path.clone()]);
    }
}
