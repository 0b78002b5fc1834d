//! A small random OpenAPI document: named component schemas (objects,
//! arrays, maps, enums, unions with and without a discriminator, `$ref`s to
//! existing and missing components, nullable, formats, odd names) and a few
//! operations with inline bodies, serialized to JSON.
//!
//! Shared by the fuzz target `spec_structured` (which fills it from
//! `arbitrary` bytes) and `tests/proptest_pipeline.rs` (which fills it from
//! proptest strategies); included there with `#[path]`.

use serde_json::{Map, Value, json};

/// A document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// 3.0 (`nullable`, one-value `enum`) or 3.1 (type arrays, `const`).
    pub v31: bool,
    /// `info.title` (it goes into doc comments).
    pub title: String,
    /// `components/schemas`, in this order (names may repeat: the last wins).
    pub components: Vec<(String, Schema)>,
    /// Operations with inline request and response bodies.
    pub operations: Vec<Operation>,
}

/// An operation under `paths`.
#[derive(Debug, Clone)]
pub struct Operation {
    pub path: String,
    pub method: &'static str,
    pub operation_id: Option<String>,
    pub request: Option<Schema>,
    pub response: Option<Schema>,
}

/// A schema: its shape and the keywords any schema can have.
#[derive(Debug, Clone)]
pub struct Schema {
    pub kind: Kind,
    pub nullable: bool,
    pub title: Option<String>,
    pub description: Option<String>,
    pub example: Option<Value>,
    pub default: Option<Value>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
}

/// What a schema is.
#[derive(Debug, Clone)]
pub enum Kind {
    /// No `type` at all.
    Any,
    /// `type` (and maybe `format`).
    Primitive {
        ty: &'static str,
        format: Option<String>,
    },
    /// An object.
    Object {
        properties: Vec<(String, Schema)>,
        /// Names in `required` (some may not be properties).
        required: Vec<String>,
        additional: Additional,
    },
    /// An array.
    Array(Box<Schema>),
    /// An `enum`, with or without a `type` (values may mix types).
    Enum {
        ty: Option<&'static str>,
        values: Vec<Value>,
    },
    /// `const` (3.1) or a one-value `enum` (3.0).
    Const(Value),
    /// `oneOf`, `anyOf` or `allOf`.
    Composite {
        keyword: &'static str,
        members: Vec<Schema>,
        discriminator: Option<Discriminator>,
        /// Properties beside the members.
        properties: Vec<(String, Schema)>,
    },
    /// A `$ref` to a component (which may not exist).
    Ref(String),
    /// Nested objects `depth` levels deep, each with one property `name`.
    Deep { depth: usize, name: String },
}

/// `additionalProperties`.
#[derive(Debug, Clone)]
pub enum Additional {
    Absent,
    Bool(bool),
    Schema(Box<Schema>),
}

/// A `discriminator`.
#[derive(Debug, Clone)]
pub struct Discriminator {
    pub property: String,
    /// Tag value → component name.
    pub mapping: Vec<(String, String)>,
}

impl Schema {
    /// A schema with only a shape.
    pub fn plain(kind: Kind) -> Schema {
        Schema {
            kind,
            nullable: false,
            title: None,
            description: None,
            example: None,
            default: None,
            deprecated: false,
            read_only: false,
            write_only: false,
        }
    }
}

/// Names that have made trouble for code generators: keywords, prelude
/// and derive names, digits, signs, unicode, empty, case collisions, and
/// characters special to Rust, Markdown or JSON pointers.
pub const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "match",
    "async",
    "await",
    "dyn",
    "try",
    "union",
    "gen",
    "macro_rules",
    "r#type",
    "_",
    "__",
    "",
    " ",
    "0",
    "1",
    "1abc",
    "401k",
    "+1",
    "-1",
    "-",
    "+",
    "é",
    "名前",
    "Ünïcödé",
    "ß",
    "ǅ",
    "🦀",
    "\u{200b}",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Model",
    "Item",
    "Value",
    "Unknown",
    "Variant1",
    "serde",
    "std",
    "core",
    "models",
    "mod",
    "lib",
    "tests",
    "Serialize",
    "Deserialize",
    "Debug",
    "Clone",
    "PartialEq",
    "Display",
    "from_wire",
    "as_str",
    "VALUES",
    "additional_properties",
    "additionalProperties",
    "Foo",
    "foo",
    "FOO",
    "foo_bar",
    "fooBar",
    "FooBar",
    "foo-bar",
    "foo bar",
    "foo.bar",
    "Foo2",
    "foo2",
    "a/b",
    "a~b",
    "a~1b",
    "a%20b",
    "a|b",
    "a\nb",
    "a\r\nb",
    "`x`",
    "x`y",
    "<b>",
    "#",
    "*",
    "$ref",
    "@type",
    "a\"b",
    "a'b",
    "a\\b",
    "\\",
    "a]b",
    "{}",
    "x\u{0}y",
    "pet",
    "Pet",
    "pets",
    "Pets",
    "PET_TYPE",
    "petType",
];

/// Descriptions: Markdown- and Rust-hostile text.
pub const TEXTS: &[&str] = &[
    "",
    "plain",
    "a | b",
    "a \\| b",
    "pipe at end |",
    "\\",
    "ends with backslash \\",
    "line one\nline two",
    "para one\n\npara two | with pipe",
    "crlf\r\nline",
    "cr\ronly",
    "```rust\nfn main() {}\n```",
    "*/ /* \" '",
    "#[doc = \"x\"]",
    "<script>alert(1)</script>",
    "| a | b |\n|---|---|\n| c | d |",
    "## Fields\n\n| x |",
    "\u{2028}line separator\u{2029}",
    "\t\ttabs",
    "trailing spaces   ",
    "ünïcödé 🦀",
    "{{ title }} {% if x %}",
];

/// Formats, known and not.
pub const FORMATS: &[&str] = &[
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float",
    "double",
    "date-time",
    "date",
    "uuid",
    "byte",
    "binary",
    "uri",
    "email",
    "",
    "decimal",
    "weird format",
    "std::string::String",
    "int128",
];

/// Primitive `type`s.
pub const TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array"];

/// Example, default and enum values: odd numbers and strings.
pub fn values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(1.5),
        json!(-0.0),
        json!(1e308),
        json!(-1e-308),
        json!(5e-324),
        json!(""),
        json!("x"),
        json!("a|b"),
        json!("line\nbreak"),
        json!("\"#"),
        json!("\"##]}"),
        json!("}"),
        json!("r#type"),
        json!("🦀"),
        json!([]),
        json!({}),
        json!({"a": 1, "b": [true, null]}),
        json!([1, "a", null]),
        json!([[[]]]),
    ]
}

/// The `$ref` to a component, escaped as a JSON pointer and a URI fragment.
pub fn component_ref(name: &str) -> String {
    let mut out = String::from("#/components/schemas/");
    for c in name.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c if c.is_ascii_alphanumeric() || "-._".contains(c) => out.push(c),
            c => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

impl Spec {
    /// The document as JSON.
    pub fn to_json(&self) -> Value {
        let mut schemas = Map::new();
        for (name, schema) in &self.components {
            schemas.insert(name.clone(), schema.to_json(self.v31));
        }
        let mut paths = Map::new();
        for op in &self.operations {
            let mut operation = Map::new();
            if let Some(id) = &op.operation_id {
                operation.insert("operationId".into(), json!(id));
            }
            if let Some(request) = &op.request {
                operation.insert(
                    "requestBody".into(),
                    json!({"content": {"application/json": {"schema": request.to_json(self.v31)}}}),
                );
            }
            let mut response = json!({"description": "ok"});
            if let (Some(schema), Some(map)) = (&op.response, response.as_object_mut()) {
                map.insert(
                    "content".into(),
                    json!({"application/json": {"schema": schema.to_json(self.v31)}}),
                );
            }
            operation.insert("responses".into(), json!({ "200": response }));
            let item = paths
                .entry(op.path.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(item) = item.as_object_mut() {
                item.insert(op.method.into(), Value::Object(operation));
            }
        }
        json!({
            "openapi": if self.v31 { "3.1.0" } else { "3.0.3" },
            "info": {"title": self.title, "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas},
        })
    }
}

fn properties_json(properties: &[(String, Schema)], v31: bool) -> Value {
    Value::Object(
        properties
            .iter()
            .map(|(name, schema)| (name.clone(), schema.to_json(v31)))
            .collect(),
    )
}

impl Schema {
    /// The schema as JSON, in 3.0 or 3.1 spelling.
    pub fn to_json(&self, v31: bool) -> Value {
        let mut map = Map::new();
        let mut ty: Option<&str> = None;
        match &self.kind {
            Kind::Any => {}
            Kind::Primitive { ty: t, format } => {
                ty = Some(t);
                if let Some(format) = format {
                    map.insert("format".into(), json!(format));
                }
                if *t == "array" {
                    map.insert("items".into(), json!({}));
                }
            }
            Kind::Object {
                properties,
                required,
                additional,
            } => {
                ty = Some("object");
                if !properties.is_empty() {
                    map.insert("properties".into(), properties_json(properties, v31));
                }
                if !required.is_empty() {
                    map.insert("required".into(), json!(required));
                }
                match additional {
                    Additional::Absent => {}
                    Additional::Bool(b) => {
                        map.insert("additionalProperties".into(), json!(b));
                    }
                    Additional::Schema(s) => {
                        map.insert("additionalProperties".into(), s.to_json(v31));
                    }
                }
            }
            Kind::Array(items) => {
                ty = Some("array");
                map.insert("items".into(), items.to_json(v31));
            }
            Kind::Enum { ty: t, values } => {
                ty = *t;
                map.insert("enum".into(), Value::Array(values.clone()));
            }
            Kind::Const(value) => {
                if v31 {
                    map.insert("const".into(), value.clone());
                } else {
                    map.insert("enum".into(), json!([value]));
                }
            }
            Kind::Composite {
                keyword,
                members,
                discriminator,
                properties,
            } => {
                map.insert(
                    (*keyword).into(),
                    Value::Array(members.iter().map(|m| m.to_json(v31)).collect()),
                );
                if let Some(d) = discriminator {
                    let mut disc = Map::new();
                    disc.insert("propertyName".into(), json!(d.property));
                    if !d.mapping.is_empty() {
                        disc.insert(
                            "mapping".into(),
                            Value::Object(
                                d.mapping
                                    .iter()
                                    .map(|(tag, name)| (tag.clone(), json!(component_ref(name))))
                                    .collect(),
                            ),
                        );
                    }
                    map.insert("discriminator".into(), Value::Object(disc));
                }
                if !properties.is_empty() {
                    map.insert("properties".into(), properties_json(properties, v31));
                }
            }
            Kind::Ref(name) => {
                map.insert("$ref".into(), json!(component_ref(name)));
            }
            Kind::Deep { depth, name } => {
                // Built by hand: `json!` would serialize `value` again at
                // every level.
                let mut value = json!({"type": "string"});
                for _ in 0..*depth {
                    let mut properties = Map::new();
                    properties.insert(name.clone(), value);
                    let mut object = Map::new();
                    object.insert("type".into(), json!("object"));
                    object.insert("properties".into(), Value::Object(properties));
                    value = Value::Object(object);
                }
                return value;
            }
        }
        match ty {
            Some(t) if self.nullable && v31 => {
                map.insert("type".into(), json!([t, "null"]));
            }
            Some(t) => {
                map.insert("type".into(), json!(t));
            }
            None => {}
        }
        if self.nullable && !(v31 && ty.is_some()) {
            map.insert("nullable".into(), json!(true));
        }
        let texts = [("title", &self.title), ("description", &self.description)];
        for (key, text) in texts {
            if let Some(text) = text {
                map.insert(key.into(), json!(text));
            }
        }
        if let Some(example) = &self.example {
            map.insert("example".into(), example.clone());
        }
        if let Some(default) = &self.default {
            map.insert("default".into(), default.clone());
        }
        let flags = [
            ("deprecated", self.deprecated),
            ("readOnly", self.read_only),
            ("writeOnly", self.write_only),
        ];
        for (key, on) in flags {
            if on {
                map.insert(key.into(), json!(true));
            }
        }
        Value::Object(map)
    }
}
