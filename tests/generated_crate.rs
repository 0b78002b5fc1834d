//! The generated Hathora crate builds with `cargo clippy -D warnings`, has
//! one type per model, and its example tests pass: every `example` in the
//! spec's schemas round-trips through its generated type.
//!
//! Generated crates share one target dir (`target/generated-crates`) so
//! their dependencies are built once.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use oapi_models::Generator;

fn shared_target_dir() -> PathBuf {
    common::root().join("target").join("generated-crates")
}

fn cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", shared_target_dir())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo")
}

/// Counts `example` keys under `components` the way a reader of the spec
/// would: every schema's and every property's example, found by walking the
/// raw JSON (independently of the IR).
fn count_schema_examples(spec: &Path) -> usize {
    fn walk(v: &serde_json::Value, n: &mut usize) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map {
                    if k == "example" {
                        *n += 1;
                    } else {
                        walk(child, n);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|c| walk(c, n)),
            _ => {}
        }
    }
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(spec).unwrap()).unwrap();
    let mut n = 0;
    walk(&doc["components"]["schemas"], &mut n);
    n
}

#[test]
fn hathora_crate_passes_clippy_and_round_trips_every_example() {
    let out = common::scratch("hathora-models");
    let spec = common::hathora();
    let run = common::run_cli(&[
        "generate",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate",
        "hathora-models",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    // One type per model.
    let generated = Generator::new().generate(&spec).unwrap();
    let mut types = 0;
    for entry in std::fs::read_dir(out.join("src/models")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        types += text
            .lines()
            .filter(|l| {
                l.starts_with("pub struct ")
                    || l.starts_with("pub enum ")
                    || l.starts_with("pub type ")
            })
            .count();
    }
    assert_eq!(types, generated.model_count());

    let clippy = cargo(&out, &["clippy", "--all-targets", "--", "-D", "warnings"]);
    assert!(
        clippy.status.success(),
        "clippy failed:\n{}",
        String::from_utf8_lossy(&clippy.stderr)
    );

    let test = cargo(&out, &["test", "--test", "examples"]);
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success(),
        "example tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
    let expected = count_schema_examples(&spec);
    assert_eq!(generated.ir.examples.len(), expected);
    assert!(
        stdout.contains(&format!("test result: ok. {expected} passed; 0 failed")),
        "expected {expected} example tests to pass:\n{stdout}"
    );
    let invalid: Vec<_> = generated
        .ir
        .examples
        .iter()
        .filter(|e| e.invalid.is_some())
        .map(|e| e.pointer.as_str())
        .collect();
    // The spec gives an object as the example of two array properties;
    // those tests assert that the example does not fit.
    assert_eq!(
        invalid,
        [
            "/components/schemas/Deployment/properties/additionalContainerPorts/example",
            "/components/schemas/DeploymentV2/properties/additionalContainerPorts/example",
        ]
    );
}
