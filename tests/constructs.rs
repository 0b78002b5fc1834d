//! One small spec per construct group in `tests/constructs/`: a snapshot of
//! the generated models and pages for each, and all of them built together
//! as crates of one workspace (clippy with `-D warnings`, then the example
//! round-trip tests and the union snippets).

mod common;

use std::path::PathBuf;
use std::process::Command;

use oapi_models::Generator;

const SPECS: &[&str] = &[
    "all_of",
    "unions",
    "enums",
    "fields",
    "recursion",
    "names",
    "operations",
    "refs_anywhere",
    "lenient",
    "vendor_names",
];

fn spec_path(name: &str) -> PathBuf {
    common::root()
        .join("tests/constructs")
        .join(format!("{name}.yaml"))
}

fn crate_name(name: &str) -> String {
    format!("{}-models", name.replace('_', "-"))
}

/// The models, pages and warnings of one spec as one text.
fn rendering(name: &str) -> String {
    let generated = Generator::new()
        .crate_name(crate_name(name))
        .generate(&spec_path(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut text = String::new();
    for file in &generated.files {
        let path = file.path.to_string_lossy();
        let shown = (path.starts_with("src/models/") && !path.ends_with("mod.rs"))
            || (path.starts_with("docs/models/") && !path.ends_with("README.md"));
        if shown {
            text.push_str(&format!("=== {path}\n{}\n", file.contents));
        }
    }
    for warning in &generated.ir.warnings {
        text.push_str(&format!(
            "=== warning #{}: {}\n",
            warning.pointer, warning.message
        ));
    }
    for example in &generated.ir.examples {
        if let Some(why) = &example.invalid {
            text.push_str(&format!(
                "=== invalid example #{}: {why}\n",
                example.pointer
            ));
        }
    }
    text
}

macro_rules! snapshot_tests {
    ($($name:ident),*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), rendering(stringify!($name)));
        }
    )*};
}

snapshot_tests!(
    all_of,
    unions,
    enums,
    fields,
    recursion,
    names,
    operations,
    refs_anywhere,
    lenient,
    vendor_names
);

#[test]
fn construct_crates_pass_clippy_and_round_trip_their_examples() {
    let workspace = common::root().join("target").join("constructs");
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&workspace).unwrap();
    let mut members = Vec::new();
    for name in SPECS {
        let generated = Generator::new()
            .crate_name(crate_name(name))
            .generate(&spec_path(name))
            .unwrap();
        generated.write(&workspace.join(name)).unwrap();
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    let cargo = |args: &[&str]| {
        let out = Command::new(env!("CARGO"))
            .current_dir(&workspace)
            .args(args)
            .env(
                "CARGO_TARGET_DIR",
                common::root().join("target").join("generated-crates"),
            )
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cargo {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    let stdout = cargo(&["test", "--workspace"]);
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(passed >= 10, "only {passed} example tests ran:\n{stdout}");
}

/// The settings that change the output: no enum catch-all, and a format
/// mapped to another Rust type.
#[test]
fn settings_turn_off_the_catch_all_and_remap_a_format() {
    let default = Generator::new().generate(&spec_path("enums")).unwrap();
    let strict = Generator::new()
        .enum_catch_all(false)
        .generate(&spec_path("enums"))
        .unwrap();
    let status = |files: &[oapi_models::targets::GeneratedFile]| {
        files
            .iter()
            .find(|f| f.path.ends_with("src/models/status.rs"))
            .map(|f| f.contents.clone())
            .unwrap_or_default()
    };
    assert!(status(&default.files).contains("Unknown(String)"));
    assert!(!status(&strict.files).contains("Unknown"));
    assert!(status(&strict.files).contains("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]"));

    let remapped = Generator::new()
        .format_type("uuid", "String")
        .format_type("date-time", "std::time::SystemTime")
        .generate(&spec_path("fields"))
        .unwrap();
    let formats = remapped
        .files
        .iter()
        .find(|f| f.path.ends_with("src/models/formats.rs"))
        .map(|f| f.contents.clone())
        .unwrap_or_default();
    assert!(formats.contains("pub id: Option<String>"), "{formats}");
    assert!(
        formats.contains("pub when: Option<std::time::SystemTime>"),
        "{formats}"
    );

    let bad = Generator::new()
        .format_type("uuid", "not a type!")
        .generate(&spec_path("fields"));
    assert!(bad.is_err_and(|e| e.to_string().contains("is not a Rust type")));
}
