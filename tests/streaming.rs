//! `Generator::generate_into` (what `generate` without `--check` runs)
//! stages each file as it is made: its result on disk must be exactly what
//! the in-memory path (`generate` + `Generated::write`) gives, for a first
//! write and for an update, and a failure part way leaves the old output.

mod common;

use std::path::Path;

use common::{hathora, scratch, snapshot_dir};
use oapi_models::Generator;
use oapi_models::targets::plugin::PluginTarget;

fn no_warnings(_: &str) {}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Writes `spec` with `generator` both ways, into `a` (streamed) and `b`
/// (in memory), and checks the trees and reports agree.
fn both_ways(generator: &Generator, spec: &Path, a: &Path, b: &Path) {
    let written = generator
        .generate_into(spec, a, &no_warnings)
        .unwrap_or_else(|e| panic!("{e}"));
    let generated = generator.generate(spec).unwrap_or_else(|e| panic!("{e}"));
    let report = generated.write(b).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(written.report, report);
    assert_eq!(written.files, generated.files.len());
    assert_eq!(written.models, generated.model_count());
    assert_eq!(written.pages, generated.page_count());
    assert_eq!(written.inputs, generated.inputs);
    assert!(
        snapshot_dir(a) == snapshot_dir(b),
        "streamed and in-memory writes differ"
    );
}

#[test]
fn streamed_writes_equal_in_memory_writes() {
    let dir = scratch("streaming-equal");
    let (a, b) = (dir.join("a/out"), dir.join("b/out"));
    let full = Generator::new().crate_name("hathora-models");
    // A first write (the folder does not exist yet).
    both_ways(&full, &hathora(), &a, &b);
    assert!(a.join("docs/models/README.md").is_file());
    // An update: pages off, so every page is a stale file to remove.
    let rust_only = Generator::new().crate_name("hathora-models").docs(false);
    both_ways(&rust_only, &hathora(), &a, &b);
    assert!(!a.join("docs").exists());
    // And back: pages added, the Rust files unchanged.
    both_ways(&full, &hathora(), &a, &b);
    // Nothing left of the staging.
    let names: Vec<String> = names_in(&a)
        .into_iter()
        .filter(|n| n.starts_with(".oapi-models-") && n != ".oapi-models-manifest")
        .collect();
    assert!(names.is_empty(), "{names:?}");
    assert_eq!(names_in(&dir.join("a")), ["out"]);
}

#[test]
fn a_failure_after_files_were_staged_changes_nothing() {
    let dir = scratch("streaming-failure");
    let out = dir.join("out");
    Generator::new()
        .docs(false)
        .generate_into(&hathora(), &out, &no_warnings)
        .unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot_dir(&out);
    // The Rust and Markdown files are staged before the plugin runs and fails.
    let failing = PluginTarget::new("sh", ["-c", "cat >/dev/null; exit 3"]);
    let error = Generator::new()
        .plugin(failing)
        .generate_into(&hathora(), &out, &no_warnings)
        .expect_err("the plugin fails");
    assert!(
        error.to_string().contains("exited with status 3"),
        "{error}"
    );
    assert!(snapshot_dir(&out) == before, "the old output changed");
    assert!(!out.join(".oapi-models-staging").exists());

    // The same for a first write: no folder, no hidden sibling left.
    let fresh = dir.join("fresh");
    let failing = PluginTarget::new("sh", ["-c", "cat >/dev/null; exit 3"]);
    Generator::new()
        .plugin(failing)
        .generate_into(&hathora(), &fresh, &no_warnings)
        .expect_err("the plugin fails");
    assert_eq!(names_in(&dir), ["out"]);
}

#[test]
fn warnings_are_handed_over_even_when_a_later_stage_fails() {
    let dir = scratch("streaming-warnings");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [b]\n      properties:\n        a: {type: string}\n",
    )
    .unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let failing = PluginTarget::new("sh", ["-c", "cat >/dev/null; exit 1"]);
    let result =
        Generator::new()
            .plugin(failing)
            .generate_into(&spec, &dir.join("out"), &|w: &str| {
                seen.lock().unwrap().push(w.to_string())
            });
    assert!(result.is_err());
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].starts_with("warning: ") && seen[0].contains(":8:") && seen[0].contains("\"b\""),
        "{}",
        seen[0]
    );
}

#[test]
fn targets_give_the_same_files_on_any_number_of_threads() {
    use oapi_models::targets::Target;
    use oapi_models::targets::Workers;
    use oapi_models::targets::markdown::MarkdownTarget;
    use oapi_models::targets::rust::RustTarget;
    let ir = Generator::new()
        .ir(&hathora())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ir.models.len() > 64, "enough models for several batches");
    let files = |threads: usize| {
        let workers = Workers {
            threads,
            stack_size: 16 << 20,
        };
        let rust = RustTarget {
            crate_name: Some("m".to_string()),
            workers,
            ..RustTarget::default()
        };
        let markdown = MarkdownTarget {
            workers,
            ..MarkdownTarget::default()
        };
        let mut all = rust.generate(&ir).unwrap_or_else(|e| panic!("{e}"));
        all.extend(markdown.generate(&ir).unwrap_or_else(|e| panic!("{e}")));
        all
    };
    let one = files(1);
    for threads in [2, 3, 7] {
        assert!(files(threads) == one, "{threads} threads differ");
    }
}
