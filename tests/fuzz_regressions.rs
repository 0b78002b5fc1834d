//! One test per finding of the fuzz targets (`fuzz/`) and the property
//! test (`tests/proptest_pipeline.rs`): the minimized input, run through
//! the whole pipeline in memory with the same checks (no panic, `.rs` files
//! parse, Markdown tables well formed), plus what the fix guarantees.

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;
mod common;

use std::collections::HashSet;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use oapi_models::ir::{Ir, ModelKind, TypeRef};
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

/// Generates `spec`, which must fail, and returns the error message.
fn generate_err(name: &str, spec: &str) -> String {
    match generate_within(name, spec, Duration::from_secs(30)) {
        Ok(generated) => {
            let names: Vec<&str> = generated
                .ir
                .models
                .iter()
                .map(|m| m.name.as_str())
                .collect();
            panic!("{name}: accepted, models {names:?}")
        }
        Err(e) => e.to_string(),
    }
}

/// Fails when a union of `ir` holds itself through nothing but unions and
/// aliases: reading such a type tries the union inside itself, on the same
/// value, forever (a stack overflow) when no other member takes the value.
fn assert_no_union_holds_itself(ir: &Ir) {
    fn model_of<'a>(ir: &'a Ir, mut ty: &'a TypeRef) -> Option<&'a str> {
        loop {
            match ir.resolve_alias(ty) {
                TypeRef::Nullable { inner } => ty = inner,
                TypeRef::Model { name } => return Some(name),
                _ => return None,
            }
        }
    }
    for model in &ir.models {
        let ModelKind::Union(union) = &model.kind else {
            continue;
        };
        let mut seen = HashSet::new();
        let mut work: Vec<&TypeRef> = union.variants.iter().map(|v| &v.ty).collect();
        while let Some(ty) = work.pop() {
            let Some(name) = model_of(ir, ty) else {
                continue;
            };
            assert_ne!(name, model.name, "union {} holds itself", model.name);
            if !seen.insert(name) {
                continue;
            }
            if let Some(ModelKind::Union(inner)) = ir.model(name).map(|m| &m.kind) {
                work.extend(inner.variants.iter().map(|v| &v.ty));
            }
        }
    }
}

/// The variant names and Rust types of union `name` in the IR, spec order.
fn union_variants(generated: &Generated, name: &str) -> Vec<String> {
    match generated.ir.model(name).map(|m| &m.kind) {
        Some(ModelKind::Union(u)) => {
            let mut variants: Vec<_> = u.variants.iter().collect();
            variants.sort_by_key(|v| v.spec_index);
            variants
                .iter()
                .map(|v| format!("{}: {}", v.rust_name, type_text(&v.ty)))
                .collect()
        }
        other => panic!("{name} is not a union: {:?}", other.is_some()),
    }
}

fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Model { name } => name.clone(),
        TypeRef::Primitive { primitive } => primitive.rust_type().to_string(),
        TypeRef::Array { items } => format!("Vec<{}>", type_text(items)),
        TypeRef::Nullable { inner } => format!("Option<{}>", type_text(inner)),
        other => format!("{other:?}"),
    }
}

/// The target of alias model `name`.
fn alias_target(generated: &Generated, name: &str) -> String {
    match generated.ir.model(name).map(|m| &m.kind) {
        Some(ModelKind::Alias { target }) => type_text(target),
        _ => panic!("{name} is not an alias"),
    }
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
/// time (a hang). Each union is now tried once per value. (Since unions
/// may no longer hold themselves, see
/// `a_union_that_lists_only_itself_is_refused`, A is typed by the fallback:
/// A and B add an integer and a boolean to each other, which dropping their
/// ways back would lose.)
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
    // Typed by the fallback now, with a warning (was refused).
    let generated = generate_ok("spec.json", spec);
    assert_eq!(
        alias_target(&generated, "A"),
        "Fallback { reason: UnionCycle }"
    );
    assert!(
        generated.ir.warnings.iter().any(|w| w.message.contains(
            "typed as serde_json::Value: cycle of unions (`oneOf` of A leads back to itself through other unions/aliases only (B)"
        )),
        "{:?}",
        generated.ir.warnings
    );
    assert_no_union_holds_itself(&generated.ir);
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

/// Review (the same family as the self-referencing union above): a union
/// that lists itself was `enum U { U(Box<U>), U2(Box<U>) }`, and reading a
/// value that fits no member recursed until the generated code overflowed
/// its stack. The IR builder now drops every member that leads back to its
/// union through nothing but unions and aliases when the union's other
/// members accept all its values; a union left with no member is an error
/// naming it (exit code 2, nothing written).
#[test]
fn a_union_that_lists_only_itself_is_refused() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    U:
      oneOf:
        - $ref: '#/components/schemas/U'
        - $ref: '#/components/schemas/U'
";
    let message = generate_err("spec.yaml", spec);
    assert!(message.contains("#/components/schemas/U"), "{message}");
    assert!(
        message.contains("`oneOf` of U lists only itself (directly or through other unions/aliases): it has no value to hold"),
        "{message}"
    );
    // The same with a discriminator.
    let tagged = format!("{spec}      discriminator: {{propertyName: kind}}\n");
    let message = generate_err("spec.yaml", &tagged);
    assert!(
        message.contains("`oneOf` of U lists only itself"),
        "{message}"
    );

    let dir = common::scratch("fuzz-regressions/union-lists-itself");
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, spec).unwrap();
    let out = dir.join("out");
    let run = common::run_cli(&[
        "generate",
        spec_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate",
        "u",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("spec.yaml:6:5#/components/schemas/U: `oneOf` of U lists only itself"),
        "{stderr}"
    );
    assert!(!out.exists(), "something was written");
}

/// The way back may go through aliases (a `$ref` to `$ref`, a one-member
/// `allOf`) and other unions, with `anyOf` as with `oneOf`: when every
/// member leads back, the union is refused all the same.
#[test]
fn a_union_that_lists_only_itself_through_aliases_and_unions_is_refused() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    U:
      anyOf:
        - $ref: '#/components/schemas/A'
        - $ref: '#/components/schemas/B'
        - $ref: '#/components/schemas/V'
    A:
      $ref: '#/components/schemas/U'
    B:
      allOf:
        - $ref: '#/components/schemas/U'
      description: only U
    V:
      oneOf:
        - $ref: '#/components/schemas/U'
        - $ref: '#/components/schemas/A'
";
    let message = generate_err("spec.yaml", spec);
    assert!(
        message.contains("#/components/schemas/U: `anyOf` of U lists only itself (directly or through other unions/aliases)"),
        "{message}"
    );
}

/// A member that leads back to its union through an alias (`$ref` to
/// `$ref`, one-member `allOf`) is dropped; the real members stay.
#[test]
fn a_union_member_leading_back_through_an_alias_is_dropped() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    U:
      oneOf:
        - $ref: '#/components/schemas/A'
        - $ref: '#/components/schemas/Pet'
        - $ref: '#/components/schemas/B'
        - type: integer
    A:
      $ref: '#/components/schemas/U'
    B:
      allOf:
        - $ref: '#/components/schemas/U'
    Pet:
      type: object
      properties:
        name: {type: string}
";
    let generated = generate_ok("spec.yaml", spec);
    assert_no_union_holds_itself(&generated.ir);
    assert_eq!(union_variants(&generated, "U"), ["Pet: Pet", "I64: i64"]);
    assert_eq!(alias_target(&generated, "A"), "U");
    assert_eq!(alias_target(&generated, "B"), "U");
    let u = file(&generated, "src/models/u.rs");
    assert!(!u.contains("Box<U>"), "{u}");
}

/// Through another union. A member whose way back lists nothing the union
/// does not already list is dropped: `V` (only `U`) from `U`; a union left
/// with one member stands for it (`U` becomes `String`), as any one-member
/// union does. `W` lists `U` and `Pet`, both among `X`'s own members, so
/// `X` drops `W`; `W` keeps `X`, its only way to `X`'s string. When the
/// unions on the way list members the union does not (here an integer and
/// a string that `Lossy` and `Other` add to each other), dropping would
/// lose values: such a cycle is an error naming the union.
#[test]
fn a_union_member_leading_back_through_another_union_is_dropped() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    U:
      oneOf:
        - $ref: '#/components/schemas/V'
        - type: string
    V:
      oneOf:
        - $ref: '#/components/schemas/U'
    X:
      oneOf:
        - $ref: '#/components/schemas/W'
        - $ref: '#/components/schemas/Pet'
        - type: string
    W:
      anyOf:
        - $ref: '#/components/schemas/X'
        - $ref: '#/components/schemas/Pet'
    Pet:
      type: object
      properties:
        name: {type: string}
";
    let generated = generate_ok("spec.yaml", spec);
    assert_no_union_holds_itself(&generated.ir);
    assert_eq!(alias_target(&generated, "U"), "String");
    assert_eq!(alias_target(&generated, "V"), "String");
    assert_eq!(
        union_variants(&generated, "X"),
        ["Pet: Pet", "String: String"]
    );
    assert_eq!(union_variants(&generated, "W"), ["X: X", "Pet: Pet"]);

    let lossy = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Lossy:
      oneOf:
        - $ref: '#/components/schemas/Other'
        - type: integer
    Other:
      oneOf:
        - $ref: '#/components/schemas/Lossy'
        - type: string
";
    // Lossy falls back to serde_json::Value, with a warning at its place.
    let generated = generate_ok("spec.yaml", lossy);
    assert_eq!(
        alias_target(&generated, "Lossy"),
        "Fallback { reason: UnionCycle }"
    );
    assert!(
        generated.ir.warnings.iter().any(|w| w.pointer == "/components/schemas/Lossy"
            && w.message.contains("cycle of unions (`oneOf` of Lossy leads back to itself through other unions/aliases only (Other)")),
        "{:?}",
        generated.ir.warnings
    );
    assert_no_union_holds_itself(&generated.ir);
}

/// One member that is the union itself and one real member: the self
/// member is dropped and the real one kept. Without a discriminator the
/// union is then that member (`U` stands for `Pet`, fields of type `U` are
/// `Pet`); with one, a one-variant union read by its tag. Recursion through
/// a struct (`Node` holds `Vec<Node>`) is not such a cycle and stays as it
/// was.
#[test]
fn a_union_of_itself_and_a_real_member_keeps_the_real_member() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    U:
      oneOf:
        - $ref: '#/components/schemas/U'
        - $ref: '#/components/schemas/Pet'
    T:
      oneOf:
        - $ref: '#/components/schemas/T'
        - $ref: '#/components/schemas/Pet'
      discriminator:
        propertyName: kind
        mapping: {t: '#/components/schemas/T', pet: '#/components/schemas/Pet'}
    Pet:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        u: {$ref: '#/components/schemas/U'}
    Node:
      oneOf:
        - type: object
          properties:
            children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        - type: string
";
    let generated = generate_ok("spec.yaml", spec);
    assert_no_union_holds_itself(&generated.ir);
    assert_eq!(alias_target(&generated, "U"), "Pet");
    let pet = file(&generated, "src/models/pet.rs");
    assert!(pet.contains("pub u: Option<Box<Pet>>"), "{pet}");
    assert_eq!(union_variants(&generated, "T"), ["Pet: Pet"]);
    let t = file(&generated, "src/models/t.rs");
    assert!(
        t.contains(r#""pet" => serde_json::from_value(value).map(Self::Pet)"#),
        "{t}"
    );
    assert!(!t.contains("Box<T>"), "{t}");
    assert_eq!(
        union_variants(&generated, "Node"),
        ["Variant1: NodeVariant1", "String: String"]
    );
    let node = file(&generated, "src/models/node_variant1.rs");
    assert!(node.contains("pub children: Option<Vec<Node>>"), "{node}");
}

/// APIs.guru `chaingateway.io.json` (seed `fuzz/corpus/spec_bytes/giant-example-cell`):
/// an example of 330,000 characters made the table writer pad to a width
/// past 65,535, which `format!` refuses ("Formatting argument out of
/// range", an internal error). Padding is now written by hand, and a cell
/// longer than `MAX_PADDED_CELL` is written in full without counting for
/// the table's width (`docs/page-format.md`), so the other cells stay narrow.
#[test]
fn a_giant_example_cell_is_written_in_full_and_does_not_widen_the_table() {
    let giant = "ab".repeat(35_001);
    let spec = format!(
        r#"{{
        "openapi": "3.0.3",
        "info": {{"title": "giant cell", "version": "1"}},
        "paths": {{}},
        "components": {{"schemas": {{
            "Block": {{"type": "object", "properties": {{
                "id": {{"type": "string", "description": "Short.", "example": "b1"}},
                "raw": {{"type": "string", "description": "The raw block.", "example": "{giant}"}}
            }}}}
        }}}}
    }}"#
    );
    let generated = generate_ok("spec.json", &spec);
    let page = file(&generated, "docs/models/block.md");
    let rows: Vec<&str> = page.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 4, "{page}");
    // W is the longest other cell: `:heavy_minus_sign:`, 18 characters.
    assert_eq!(
        rows[0],
        format!(
            "| {:<18} | {:<18} | {:<18} | {:<18} | {:<18} |",
            "Field", "Type", "Required", "Description", "Example"
        )
    );
    assert!(
        rows[3].ends_with(&format!(" | {giant} |")),
        "the giant cell is cut or padded"
    );
    assert!(page.len() < giant.len() + 1_000, "{} bytes", page.len());
}
