//! One test per finding of the fuzz targets (`fuzz/`) and the property
//! test (`tests/proptest_pipeline.rs`): the minimized input, run through
//! the whole pipeline in memory with the same checks (no panic, `.rs` files
//! parse, Markdown tables well formed), plus what the fix guarantees.

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use oapi_models::{Generated, Generator, Result};

/// Runs `spec` (JSON, or YAML when `name` says so) with default settings,
/// failing the test when it takes more than `limit` (a hang is a finding too).
fn generate_within(name: &str, spec: &str, limit: Duration) -> Result<Generated> {
    let (send, receive) = mpsc::channel();
    let (owned_name, spec) = (name.to_string(), spec.to_string());
    std::thread::spawn(move || {
        let generated = Generator::new()
            .crate_name("regression")
            .generate_bytes(Path::new(&owned_name), spec.as_bytes());
        let _ = send.send(generated);
    });
    match receive.recv_timeout(limit) {
        Ok(generated) => generated,
        Err(_) => panic!("{name}: generation took more than {limit:?}"),
    }
}

/// Generates `spec`, which must succeed, and checks every file.
fn generate_ok(name: &str, spec: &str) -> Generated {
    let generated = match generate_within(name, spec, Duration::from_secs(30)) {
        Ok(generated) => generated,
        Err(e) => panic!("{name}: {e}"),
    };
    if let Err(problem) = checks::check_files(&generated.files) {
        panic!("{problem}");
    }
    generated
}

fn file<'a>(generated: &'a Generated, path: &str) -> &'a str {
    match generated.files.iter().find(|f| f.path == Path::new(path)) {
        Some(f) => &f.contents,
        None => panic!("no file {path}"),
    }
}

/// spec_structured: a description holding a lone carriage return broke the
/// index table (Markdown ends a line at `\r`); cells now write `\r\n` and
/// `\r` as `<br/>`, like `\n`.
#[test]
fn carriage_return_in_a_description_stays_in_its_cell() {
    let spec = r#"{
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "Pet": {
                "description": "cr\ronly",
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "crlf\r\nline | pipe"},
                    "kind": {"type": "string", "enum": ["a"], "description": "x\ry"}
                }
            }
        }}
    }"#;
    let generated = generate_ok("spec.json", spec);
    let index = file(&generated, "docs/models/README.md");
    assert!(index.contains("cr<br/>only"), "{index}");
    let page = file(&generated, "docs/models/pet.md");
    assert!(page.contains("crlf<br/>line \\| pipe"), "{page}");
    assert!(!index.contains('\r') && !page.contains("x\ry"));
}

/// proptest_pipeline: an untagged union among whose members (through
/// other unions) is the union itself made checking an example that fits no
/// member try every path down to the checker's depth limit: exponential
/// time (a hang). Each union is now tried once per value.
#[test]
fn example_of_a_self_referencing_union_is_checked_quickly() {
    let spec = r##"{
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "A": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/A"}, {"type": "integer"}], "example": "no"},
            "B": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}, {"type": "boolean"}], "example": [1]}
        }}
    }"##;
    let generated = generate_within("spec.json", spec, Duration::from_secs(30));
    if let Ok(generated) = generated
        && let Err(problem) = checks::check_files(&generated.files)
    {
        panic!("{problem}");
    }
}

/// proptest_pipeline: inline models are named after their owner and the
/// property (or the `components.requestBodies` key) in UpperCamelCase,
/// which kept letters and digits that cannot start or continue an
/// identifier (`Empty𝍠`, `1abcRequest`), and the Rust target panicked
/// making an `Ident` of them. Claimed names are now identifiers.
#[test]
fn inline_model_names_from_odd_property_names_are_identifiers() {
    let spec = r#"{
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "__": {"type": "object", "properties": {
                    "𝍠": {"type": "object", "properties": {"a": {"type": "string"}}},
                    "名前": {"type": "string", "enum": ["x", "y"]},
                    "ﹰ": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
                }}
            },
            "requestBodies": {
                "1abc": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"b": {"type": "integer"}}
                }}}}
            }
        }
    }"#;
    let generated = generate_ok("spec.json", spec);
    let names: Vec<&str> = generated
        .ir
        .models
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert!(names.contains(&"EmptyU1d360"), "{names:?}");
    assert!(names.contains(&"N1abcRequest"), "{names:?}");
    assert!(names.iter().all(|n| n.is_ascii()), "{names:?}");
}

/// proptest_pipeline: the loader percent-decodes a `$ref`'s fragment (it
/// is a URI fragment), the IR did not, so a correctly encoded reference to
/// a component named with a space, a `|`, a `%` or non-ASCII letters passed
/// the load and was then refused ("points nowhere"); discriminator mappings
/// likewise. The IR now decodes them the same way.
#[test]
fn percent_encoded_references_resolve_in_the_ir() {
    let spec = r##"{
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "名前": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "a b|c%d": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "x/y": {"type": "string"},
            "Owner": {"type": "object", "properties": {
                "zw": {"$ref": "#/components/schemas/%E5%90%8D%E5%89%8D"},
                "odd": {"$ref": "#/components/schemas/a%20b%7Cc%25d"},
                "slash": {"$ref": "#/components/schemas/x~1y"},
                "either": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/%E5%90%8D%E5%89%8D"},
                        {"$ref": "#/components/schemas/a%20b%7Cc%25d"}
                    ],
                    "discriminator": {"propertyName": "kind", "mapping": {
                        "first": "#/components/schemas/%E5%90%8D%E5%89%8D",
                        "second": "#/components/schemas/a%20b%7Cc%25d"
                    }}
                }
            }}
        }}
    }"##;
    let generated = generate_ok("spec.json", spec);
    let owner = file(&generated, "src/models/owner.rs");
    assert!(owner.contains("U540dU524d"), "{owner}");
    assert!(owner.contains("pub slash: Option<String>"), "{owner}");
    let tags: Vec<String> = generated
        .ir
        .models
        .iter()
        .filter_map(|m| match &m.kind {
            oapi_models::ir::ModelKind::Union(u) => Some(
                u.variants
                    .iter()
                    .flat_map(|v| v.tag_values.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            _ => None,
        })
        .collect();
    assert_eq!(tags, ["first,second"]);
}

/// spec_structured: the example tests (`tests/examples.rs`) name each
/// example by its JSON pointer in a doc comment, and say why an invalid one
/// does not fit; a property name holding a newline (and NULs) ended the
/// comment and left the rest of the pointer as code. The title, in the
/// crate's and the single file's doc comment, likewise. Control characters
/// in such doc text are now written as escapes.
#[test]
fn line_breaks_in_names_and_title_stay_inside_doc_comments() {
    let spec = r#"{
        "openapi": "3.0.3",
        "info": {"title": "two\nlines\r\u0000", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "Tests": {"type": "object", "properties": {
                "\u0000\u0000\u0000k\n#7": {
                    "type": "object",
                    "properties": {"a\nb": {"type": "integer"}},
                    "example": {"a\nb": "not an integer"}
                }
            }}
        }}
    }"#;
    let generated = generate_ok("spec.json", spec);
    let tests = file(&generated, "tests/examples.rs");
    assert!(
        tests.contains(r"/// `#/components/schemas/Tests/properties/\u{0}\u{0}\u{0}k\n#7/example`"),
        "{tests}"
    );
    let lib = file(&generated, "src/lib.rs");
    assert!(
        lib.contains(r#"//! Models for "two\nlines\r\u{0}""#),
        "{lib}"
    );
    let single = Generator::new()
        .module_layout(oapi_models::ModuleLayout::SingleFile)
        .generate_bytes(Path::new("spec.json"), spec.as_bytes());
    match single {
        Ok(single) => {
            if let Err(problem) = checks::check_files(&single.files) {
                panic!("{problem}");
            }
        }
        Err(e) => panic!("{e}"),
    }
}

/// proptest_pipeline: looking for a discriminated member's tag values
/// through `allOf` followed every path of an `allOf` that refers to itself
/// three times, down to 16 levels: 3^16 searches (minutes; a hang). Each
/// component is now searched once per member; the spec is refused at once
/// for its `allOf` cycle.
#[test]
fn tag_search_through_a_self_referencing_all_of_is_quick() {
    let spec = r##"{
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "Model": {
                "oneOf": [{"$ref": "#/components/schemas/String"}],
                "discriminator": {"propertyName": "kind"}
            },
            "String": {"allOf": [
                {"$ref": "#/components/schemas/String"},
                {"$ref": "#/components/schemas/String"},
                {"$ref": "#/components/schemas/String"}
            ]}
        }}
    }"##;
    match generate_within("spec.json", spec, Duration::from_secs(30)) {
        Ok(_) => panic!("an `allOf` cycle was accepted"),
        Err(e) => assert!(e.to_string().contains("`allOf` cycle"), "{e}"),
    }
}
