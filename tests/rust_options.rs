//! The Rust code options (`RustOptions` and the `Generator` builder
//! methods): module layout, models path, extra derives, map type and type
//! replacements (`Generator::replace`, `x-rust-type`).
//!
//! The text of the output is checked here; whether it compiles is checked
//! by building every variant as one cargo workspace (clippy `-D warnings`,
//! then the tests): generated crates, and a hand-written crate that
//! `include!`s single files the way a `build.rs` user does.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use oapi_models::ir::{ModelKind, TypeRef};
use oapi_models::targets::GeneratedFile;
use oapi_models::{Error, Generated, Generator, MapType, ModuleLayout, RustOptions};

fn spec(name: &str) -> PathBuf {
    common::root()
        .join("tests/constructs")
        .join(format!("{name}.yaml"))
}

fn file<'a>(generated: &'a Generated, path: &str) -> &'a str {
    generated
        .files
        .iter()
        .find(|f| f.path == Path::new(path))
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no file {path}; files: {:?}", paths(&generated.files)))
}

fn paths(files: &[GeneratedFile]) -> Vec<String> {
    files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect()
}

/// The text without whitespace, so derive lists compare whatever their wrapping.
fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}

fn has_file(generated: &Generated, path: &str) -> bool {
    generated.files.iter().any(|f| f.path == Path::new(path))
}

fn usage_error(result: oapi_models::Result<Generated>) -> String {
    match result {
        Err(Error::Usage(message)) => message,
        Err(other) => panic!("expected a usage error, got {other}"),
        Ok(_) => panic!("expected a usage error, got output"),
    }
}

// ---------------------------------------------------------------- defaults

#[test]
fn explicit_defaults_change_nothing() {
    let plain = Generator::new()
        .crate_name("x")
        .generate(&spec("rust_options"))
        .unwrap();
    let explicit = Generator::new()
        .crate_name("x")
        .module_layout(ModuleLayout::FilePerModel)
        .models_path("src/models")
        .map_type(MapType::BTreeMap)
        .generate(&spec("rust_options"))
        .unwrap();
    let options = Generator::new()
        .crate_name("x")
        .rust_options(RustOptions::default())
        .generate(&spec("rust_options"))
        .unwrap();
    assert_eq!(plain.files, explicit.files);
    assert_eq!(plain.files, options.files);
    assert_eq!(RustOptions::default().models_path, "src/models");
}

#[test]
fn serde_names_are_kebab_case() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Config {
        layout: ModuleLayout,
        map_type: MapType,
    }
    let read = |layout: &str, map: &str| {
        serde_json::from_str::<Config>(&format!(r#"{{"layout": "{layout}", "map_type": "{map}"}}"#))
    };
    let cases = [
        ("file-per-model", ModuleLayout::FilePerModel),
        ("single-file", ModuleLayout::SingleFile),
    ];
    for (name, layout) in cases {
        assert_eq!(read(name, "btree-map").unwrap().layout, layout);
    }
    let cases = [
        ("btree-map", MapType::BTreeMap),
        ("hash-map", MapType::HashMap),
        ("index-map", MapType::IndexMap),
    ];
    for (name, map) in cases {
        assert_eq!(read("single-file", name).unwrap().map_type, map);
    }
    assert!(read("SingleFile", "btree-map").is_err());
    assert!(read("single-file", "b-tree-map").is_err());
}

// ------------------------------------------------------------------ layout

#[test]
fn single_file_has_everything_in_one_includable_file() {
    let generated = Generator::new()
        .crate_name("single-models")
        .module_layout(ModuleLayout::SingleFile)
        .generate(&spec("rust_options"))
        .unwrap();
    let rust_files: Vec<String> = paths(&generated.files)
        .into_iter()
        .filter(|p| p.starts_with("src/"))
        .collect();
    assert_eq!(rust_files, ["src/lib.rs", "src/models.rs"]);
    let models = file(&generated, "src/models.rs");
    syn::parse_file(models).expect("the single file parses");
    // `include!` rejects inner attributes and inner doc comments.
    assert!(!models.contains("#!["), "{models}");
    assert!(!models.lines().any(|l| l.trim_start().starts_with("//!")));
    // The enum macros come before their first use.
    let defined = models.find("macro_rules! string_enum").unwrap();
    let used = models.find("string_enum!(").unwrap();
    assert!(defined < used);
    let defined = models.find("macro_rules! integer_enum").unwrap();
    let used = models.find("integer_enum!(").unwrap();
    assert!(defined < used);
    // One module: no imports between models.
    assert!(!models.contains("use super::"), "{models}");
    for model in &generated.ir.models {
        assert!(
            models.contains(&format!("pub struct {} ", model.name))
                || models.contains(&format!("pub enum {} ", model.name))
                || models.contains(&format!("pub type {} ", model.name)),
            "{} missing",
            model.name
        );
    }
    // The default place needs no `#[path]`.
    let lib = file(&generated, "src/lib.rs");
    assert!(lib.contains("pub mod models;") && !lib.contains("#[path"));
}

#[test]
fn models_path_moves_the_files_and_lib_rs_follows() {
    // One file per model, elsewhere.
    let generated = Generator::new()
        .crate_name("x")
        .models_path("src/gen/api/")
        .generate(&spec("rust_options"))
        .unwrap();
    assert!(has_file(&generated, "src/gen/api/mod.rs"));
    assert!(has_file(&generated, "src/gen/api/order.rs"));
    assert!(
        !paths(&generated.files)
            .iter()
            .any(|p| p.starts_with("src/models"))
    );
    let lib = file(&generated, "src/lib.rs");
    assert!(
        lib.contains("#[path = \"gen/api/mod.rs\"]\npub mod models;"),
        "{lib}"
    );

    // One file, elsewhere.
    let generated = Generator::new()
        .crate_name("x")
        .module_layout(ModuleLayout::SingleFile)
        .models_path("src/api")
        .generate(&spec("rust_options"))
        .unwrap();
    assert!(has_file(&generated, "src/api.rs"));
    let lib = file(&generated, "src/lib.rs");
    assert!(
        lib.contains("#[path = \"api.rs\"]\npub mod models;"),
        "{lib}"
    );

    // Without a crate, any relative path will do.
    let generated = Generator::new()
        .module_layout(ModuleLayout::SingleFile)
        .models_path("models")
        .generate(&spec("rust_options"))
        .unwrap();
    assert!(has_file(&generated, "models.rs"));
    assert!(!has_file(&generated, "src/lib.rs"));
}

#[test]
fn bad_models_paths_are_usage_errors() {
    let with_crate = |path: &str, layout: ModuleLayout| {
        usage_error(
            Generator::new()
                .crate_name("x")
                .module_layout(layout)
                .models_path(path)
                .generate(&spec("rust_options")),
        )
    };
    let message = with_crate("models", ModuleLayout::FilePerModel);
    assert!(
        message.contains("\"models\"") && message.contains("inside `src/`"),
        "{message}"
    );
    let message = with_crate("src/lib", ModuleLayout::SingleFile);
    assert!(message.contains("src/lib.rs"), "{message}");
    for bad in [
        "",
        "/abs/models",
        "src/../models",
        "src//models",
        "./src/models",
    ] {
        let message = usage_error(
            Generator::new()
                .models_path(bad)
                .generate(&spec("rust_options")),
        );
        assert!(message.contains("models path"), "{bad}: {message}");
    }
}

// ----------------------------------------------------------------- derives

#[test]
fn extra_derives_are_added_once_to_every_type() {
    let generated = Generator::new()
        .crate_name("derives-models")
        .derive("Eq")
        .derive("Hash")
        .derive("PartialOrd")
        .derive("Ord")
        .derive("std::hash::Hash")
        .derive("Clone")
        .generate(&spec("enums"))
        .unwrap();
    let holder = compact(file(&generated, "src/models/holder.rs"));
    assert!(
        holder.contains(
            "#[derive(Debug,Clone,PartialEq,serde::Serialize,serde::Deserialize,Eq,Hash,PartialOrd,Ord)]"
        ),
        "{holder}"
    );
    let status = compact(file(&generated, "src/models/status.rs"));
    assert!(
        status.contains("#[derive(Debug,Clone,PartialEq,Eq,Hash,PartialOrd,Ord)]"),
        "{status}"
    );
    let priority = compact(file(&generated, "src/models/priority.rs"));
    assert!(
        priority.contains("#[derive(Debug,Clone,Copy,PartialEq,Eq,Hash,PartialOrd,Ord)]"),
        "{priority}"
    );

    // Traits the code implements by hand are not derived again.
    let generated = Generator::new()
        .derive("serde::Deserialize")
        .derive("serde::Serialize")
        .generate(&spec("rust_options"))
        .unwrap();
    let pet = compact(file(&generated, "src/models/pet.rs"));
    assert!(
        pet.contains("#[derive(Debug,Clone,PartialEq,serde::Serialize)]"),
        "{pet}"
    );
    let currency = compact(file(&generated, "src/models/currency.rs"));
    assert!(
        currency.contains("#[derive(Debug,Clone,PartialEq,Eq,Hash)]"),
        "{currency}"
    );
    let order = compact(file(&generated, "src/models/order.rs"));
    assert!(
        order.contains("#[derive(Debug,Clone,PartialEq,serde::Serialize,serde::Deserialize)]"),
        "{order}"
    );
}

#[test]
fn a_bad_derive_is_a_usage_error_naming_it() {
    for bad in ["not a path!", "Vec<u8>", "", "Eq, Hash"] {
        let message = usage_error(
            Generator::new()
                .derive("Hash")
                .derive(bad)
                .generate(&spec("enums")),
        );
        assert!(message.contains(&format!("{bad:?}")), "{bad}: {message}");
    }
}

// ---------------------------------------------------------------- map type

#[test]
fn map_type_is_used_for_maps_and_extra_properties() {
    let generated = Generator::new()
        .crate_name("index-map-models")
        .map_type(MapType::IndexMap)
        .generate(&spec("rust_options"))
        .unwrap();
    let order = file(&generated, "src/models/order.rs");
    assert!(
        order.contains("pub by_tax: Option<indexmap::IndexMap<String, Money>>"),
        "{order}"
    );
    assert!(
        order.contains("pub additional_properties: indexmap::IndexMap<String, String>"),
        "{order}"
    );
    assert!(!order.contains("BTreeMap"));
    let cargo = file(&generated, "Cargo.toml");
    assert!(
        cargo.contains("indexmap = { version = \"2\", features = [\"serde\"] }"),
        "{cargo}"
    );

    let generated = Generator::new()
        .crate_name("hash-map-models")
        .map_type(MapType::HashMap)
        .generate(&spec("rust_options"))
        .unwrap();
    let order = file(&generated, "src/models/order.rs");
    assert!(order.contains("std::collections::HashMap<String, Money>"));
    assert!(!file(&generated, "Cargo.toml").contains("indexmap"));

    // No maps, no dependency.
    let generated = Generator::new()
        .crate_name("x")
        .map_type(MapType::IndexMap)
        .generate(&spec("enums"))
        .unwrap();
    assert!(!file(&generated, "Cargo.toml").contains("indexmap"));
}

// ------------------------------------------------------------ replacements

#[test]
fn a_replaced_schema_has_no_model_and_its_uses_have_the_rust_type() {
    let generated = Generator::new()
        .crate_name("replaced-models")
        .replace("Currency", "String")
        .replace("Money", "crate::my::Money")
        .generate(&spec("rust_options"))
        .unwrap();
    let ir = &generated.ir;
    assert!(ir.model("Money").is_none() && ir.model("Currency").is_none());
    assert!(!has_file(&generated, "src/models/money.rs"));
    assert!(!has_file(&generated, "src/models/currency.rs"));
    assert!(!has_file(&generated, "docs/models/money.md"));
    assert!(!file(&generated, "src/models/mod.rs").contains("Money"));
    let Some(ModelKind::Struct(order)) = ir.model("Order").map(|m| &m.kind) else {
        panic!("no Order struct");
    };
    let money = TypeRef::External {
        path: "crate::my::Money".into(),
    };
    assert_eq!(order.fields[1].ty, money);
    let code = file(&generated, "src/models/order.rs");
    assert!(code.contains("pub total: crate::my::Money,"), "{code}");
    assert!(code.contains("pub discounts: Option<Vec<crate::my::Money>>,"));
    assert!(code.contains("std::collections::BTreeMap<String, crate::my::Money>"));
    assert!(!code.contains("use super::{") || !code.contains("Money}"));
    // The page shows the Rust type.
    let page = file(&generated, "docs/models/order.md");
    assert!(page.contains("crate::my::Money"), "{page}");
    // Examples holding the user type are not tested by the generated crate.
    let examples = file(&generated, "tests/examples.rs");
    assert!(examples.contains("Not tested: 1 example(s)"), "{examples}");
    assert!(!examples.contains("fn components_schemas_order_example"));
    assert!(examples.contains("fn components_schemas_pet_example"));
}

#[test]
fn an_unknown_or_bad_replacement_is_a_usage_error() {
    let message = usage_error(
        Generator::new()
            .replace("Monee", "String")
            .generate(&spec("rust_options")),
    );
    assert!(message.contains("\"Monee\""), "{message}");
    let message = usage_error(
        Generator::new()
            .replace("money", "String")
            .generate(&spec("rust_options")),
    );
    assert!(message.contains("did you mean \"Money\""), "{message}");
    let message = usage_error(
        Generator::new()
            .replace("Money", "not a type!")
            .generate(&spec("rust_options")),
    );
    assert!(
        message.contains("\"Money\"") && message.contains("not a Rust type"),
        "{message}"
    );
}

#[test]
fn x_rust_type_replaces_a_component_or_one_use() {
    let generated = Generator::new()
        .crate_name("x")
        .generate(&spec("rust_type"))
        .unwrap();
    assert!(generated.ir.model("Money").is_none());
    assert!(!has_file(&generated, "src/models/money.rs"));
    assert!(!has_file(&generated, "docs/models/money.md"));
    let code = file(&generated, "src/models/invoice.rs");
    assert!(code.contains("pub total: crate::my::Money,"), "{code}");
    assert!(code.contains("pub lines: Option<Vec<crate::my::Money>>,"));
    assert!(code.contains("pub note: Option<crate::my::Note>,"));
    // `Generator::replace` wins over `x-rust-type`.
    let generated = Generator::new()
        .replace("Money", "String")
        .generate(&spec("rust_type"))
        .unwrap();
    let code = file(&generated, "src/models/invoice.rs");
    assert!(code.contains("pub total: String,"), "{code}");
}

#[test]
fn x_rust_type_that_is_not_a_type_name_is_a_spec_error_with_pointer() {
    let dir = common::scratch("rust-options-bad-x-rust-type");
    let cases = [
        (
            "Money: {type: object, x-rust-type: 42}",
            "/components/schemas/Money/x-rust-type",
        ),
        (
            "Money: {type: object, properties: {a: {type: string, x-rust-type: [a]}}}",
            "/components/schemas/Money/properties/a/x-rust-type",
        ),
        (
            "Money: {type: object, x-rust-type: 'not a type!'}",
            "/components/schemas/Money/x-rust-type",
        ),
    ];
    for (i, (schema, pointer)) in cases.into_iter().enumerate() {
        let path = dir.join(format!("bad{i}.yaml"));
        std::fs::write(
            &path,
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    {schema}\n"
            ),
        )
        .unwrap();
        match Generator::new().generate(&path) {
            Err(error @ Error::Spec { .. }) => {
                let message = error.to_string();
                assert!(message.contains(pointer), "{message}");
                assert!(message.contains("x-rust-type"), "{message}");
            }
            Err(other) => panic!("{schema}: expected a spec error, got {other}"),
            Ok(_) => panic!("{schema}: expected an error"),
        }
    }
}

// ------------------------------------------------------------------ builds

/// Every option's output compiles, passes clippy and its tests: one
/// workspace of generated crates plus a crate that `include!`s single files.
#[test]
fn every_variant_builds_passes_clippy_and_its_tests() {
    let workspace = common::root().join("target").join("rust-options");
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&workspace).unwrap();
    let mut members = Vec::new();
    let mut add = |dir: &str, generator: Generator, spec_name: &str| -> PathBuf {
        let out = workspace.join(dir);
        generator
            .generate(&spec(spec_name))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .write(&out)
            .unwrap();
        members.push(format!("{dir:?}"));
        out
    };

    // One file, as a module of a generated crate.
    let single = add(
        "single",
        Generator::new()
            .crate_name("single-models")
            .module_layout(ModuleLayout::SingleFile),
        "rust_options",
    );
    // A file per model elsewhere (`#[path]`), IndexMap.
    add(
        "index-map",
        Generator::new()
            .crate_name("index-map-models")
            .models_path("src/gen/api")
            .map_type(MapType::IndexMap),
        "fields",
    );
    // One file elsewhere, HashMap (a union has a map member).
    add(
        "hash-map",
        Generator::new()
            .crate_name("hash-map-models")
            .module_layout(ModuleLayout::SingleFile)
            .models_path("src/api")
            .map_type(MapType::HashMap),
        "rust_options",
    );
    // Extra derives.
    add(
        "derives",
        Generator::new()
            .crate_name("derives-models")
            .derive("Eq")
            .derive("Hash")
            .derive("PartialOrd")
            .derive("Ord"),
        "enums",
    );
    // A schema replaced by `String`.
    add(
        "replaced",
        Generator::new()
            .crate_name("replaced-models")
            .replace("Currency", "String"),
        "rust_options",
    );

    // Single files included the way a build.rs user includes them from
    // OUT_DIR, with replacements by types of the including crate.
    let included = workspace.join("included");
    let gen_dir = included.join("gen");
    let write_single = |name: &str, generator: Generator, spec_name: &str| -> PathBuf {
        generator
            .module_layout(ModuleLayout::SingleFile)
            .models_path(name)
            .generate(&spec(spec_name))
            .unwrap()
            .write(&gen_dir.join(name))
            .unwrap();
        gen_dir.join(name).join(format!("{name}.rs"))
    };
    let replaced = write_single(
        "replaced",
        Generator::new().replace("Money", "crate::my::Money"),
        "rust_options",
    );
    let typed = write_single("typed", Generator::new(), "rust_type");
    std::fs::create_dir_all(included.join("src")).unwrap();
    std::fs::write(
        included.join("Cargo.toml"),
        "[package]\nname = \"included\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n",
    )
    .unwrap();
    std::fs::write(
        included.join("src/lib.rs"),
        format!(
            r##"//! Generated single files, included as a `build.rs` user includes them.

/// The user's own types that replace schemas.
pub mod my {{
    /// Money, as the user wants it.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Money {{
        /// Minor units.
        pub amount: i64,
        /// ISO 4217.
        pub currency: String,
    }}
    /// A note.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Note(pub String);
}}

/// The single file of the `single` crate, as it is.
pub mod plain {{
    include!({plain:?});
}}

/// `Money` replaced by `crate::my::Money`.
pub mod models {{
    include!({replaced:?});
}}

/// `x-rust-type` in the spec.
pub mod typed {{
    include!({typed:?});
}}

#[cfg(test)]
mod tests {{
    use crate::my::{{Money, Note}};

    #[test]
    fn replaced_type_is_read_and_written() {{
        let json = r#"{{"id":"o1","total":{{"amount":5,"currency":"USD"}},"discounts":[{{"amount":1,"currency":"EUR"}}]}}"#;
        let order: crate::models::Order = serde_json::from_str(json).unwrap();
        assert_eq!(order.total, Money {{ amount: 5, currency: "USD".into() }});
        let back = serde_json::to_value(&order).unwrap();
        assert_eq!(back["discounts"][0]["currency"], "EUR");
        // The other models are still there, enum macros included.
        let currency: crate::models::Currency = serde_json::from_str("\"EUR\"").unwrap();
        assert_eq!(currency.to_string(), "EUR");
    }}

    #[test]
    fn x_rust_type_is_read_and_written() {{
        let json = r#"{{"total":{{"amount":1,"currency":"EUR"}},"note":"hi"}}"#;
        let invoice: crate::typed::Invoice = serde_json::from_str(json).unwrap();
        assert_eq!(invoice.note, Some(Note("hi".into())));
        assert_eq!(invoice.total.amount, 1);
    }}

    #[test]
    fn plain_single_file_works() {{
        let pet: crate::plain::Pet = serde_json::from_str(r#"{{"pet_type":"dog","bark":true}}"#).unwrap();
        assert!(matches!(pet, crate::plain::Pet::Dog(_)));
        let amount: crate::plain::Amount = serde_json::from_str(r#"{{"a":1}}"#).unwrap();
        assert!(matches!(amount, crate::plain::Amount::I64Map(_)));
    }}
}}
"##,
            plain = single.join("src/models.rs"),
        ),
    )
    .unwrap();
    members.push("\"included\"".to_string());

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
    assert!(
        !stdout.contains("test result: FAILED"),
        "some tests failed:\n{stdout}"
    );
    for name in [
        "replaced_type_is_read_and_written",
        "x_rust_type_is_read_and_written",
        "plain_single_file_works",
        "components_schemas_order_example",
    ] {
        assert!(
            stdout.contains(&format!("{name} ... ok")),
            "{name} did not pass:\n{stdout}"
        );
    }
}

#[test]
fn all_of_still_merges_a_replaced_schema_and_a_wrapper_takes_its_type() {
    let generated = Generator::new()
        .replace("Base", "crate::my::Base")
        .generate(&spec("all_of"))
        .unwrap();
    assert!(generated.ir.model("Base").is_none());
    // `Named` is `allOf: [Base, {…}]`: Base's properties are still merged in.
    let named = file(&generated, "src/models/named.rs");
    assert!(named.contains("pub id:"), "{named}");
    // A wrapper `allOf: [$ref Base]` is a use of Base.
    let wrapper = file(&generated, "src/models/wrapper.rs");
    assert!(wrapper.contains("Option<crate::my::Base>"), "{wrapper}");
}
