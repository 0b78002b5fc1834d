//! The Markdown target reproduces the golden pages byte for byte, and every
//! link on every page points to a page that exists.

mod common;

use std::collections::BTreeSet;

use oapi_models::Generator;

#[test]
fn hathora_golden_pages_are_reproduced_byte_for_byte() {
    let generated = Generator::new().generate(&common::hathora()).unwrap();
    // A copy of `../shared/golden/hathora/`, so a bare clone checks them.
    let golden_dir = common::root().join("tests").join("golden").join("hathora");
    let mut compared = 0;
    for entry in std::fs::read_dir(&golden_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let expected = std::fs::read_to_string(&path).unwrap();
        let page = generated
            .files
            .iter()
            .find(|f| f.path.to_str() == Some(&format!("docs/models/{name}")))
            .unwrap_or_else(|| panic!("no page docs/models/{name}"));
        assert_eq!(
            page.contents, expected,
            "page {name} differs from the golden one"
        );
        compared += 1;
    }
    assert_eq!(compared, 3, "expected the three golden pages");
}

/// Extracts the targets of `[text](target)` links.
fn links(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_string());
        }
    }
    out
}

#[test]
fn every_link_points_to_an_existing_page() {
    let generated = Generator::new().generate(&common::hathora()).unwrap();
    let pages: BTreeSet<String> = generated
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix("docs/models").ok())
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    let mut checked = 0;
    for file in &generated.files {
        if !file.path.starts_with("docs/models") {
            continue;
        }
        for link in links(&file.contents) {
            if link.starts_with("http") {
                continue;
            }
            assert!(
                pages.contains(&link),
                "{} links to {link}, which does not exist",
                file.path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn one_page_per_struct_enum_and_union() {
    let generated = Generator::new().generate(&common::hathora()).unwrap();
    let pages = generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("docs/models") && !f.path.ends_with("README.md"))
        .count();
    assert_eq!(pages, generated.page_count());
    assert!(pages >= 80, "only {pages} pages");
}
