//! Stage 2: the intermediate model (IR).
//!
//! Every decision about the generated types is made here: which schemas
//! become named models, their Rust names, field names, optionality and
//! nullability, union representation, boxing for recursion, and which
//! description and example document each field. Targets only print the IR.
//!
//! The IR is plain data and serializes to JSON (`version` field first), so
//! external targets can read it.

mod build;
mod cycles;
pub mod examples;
pub mod fallback;
mod identical;
pub mod names;
mod view;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

pub use build::build;
pub use fallback::FallbackReason;

/// Version of the IR's JSON form; bumped on every incompatible change.
pub const IR_VERSION: u32 = 2;

/// The whole intermediate model of one spec.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Ir {
    /// Version of this structure ([`IR_VERSION`]).
    pub version: u32,
    /// The spec's `info.title`.
    pub title: String,
    /// Every named type, sorted by `name`.
    pub models: Vec<Model>,
    /// Every `example` found on a schema or property, with the Rust type it
    /// should deserialize into.
    pub examples: Vec<ExampleCase>,
    /// Things the generator did that the user should know about.
    pub warnings: Vec<Diagnostic>,
}

/// A warning about the spec, at a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Diagnostic {
    /// JSON pointer of the schema concerned.
    pub pointer: String,
    /// What happened.
    pub message: String,
}

/// Choices that change the IR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Give enums a catch-all variant that keeps values unknown to the spec,
    /// so a newer server does not break an older client (default: on).
    /// Single-value enums (constants, tags) never get one.
    pub enum_catch_all: bool,
    /// `format` → Rust type path, overriding the default mapping
    /// (e.g. `"uuid" → "String"`, `"date-time" → "time::OffsetDateTime"`).
    pub format_types: std::collections::BTreeMap<String, String>,
    /// Schema name (under `components/schemas`) → Rust type path used
    /// instead of a generated model, like an `x-rust-type` extension on the
    /// schema (which this overrides). A name that is not a component schema
    /// is an error. `allOf` members referencing a replaced schema still
    /// contribute its properties.
    pub replacements: std::collections::BTreeMap<String, String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enum_catch_all: true,
            format_types: std::collections::BTreeMap::new(),
            replacements: std::collections::BTreeMap::new(),
        }
    }
}

impl Ir {
    /// Finds a model by its Rust name.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models
            .binary_search_by(|m| m.name.as_str().cmp(name))
            .ok()
            .and_then(|i| self.models.get(i))
    }

    /// Follows aliases until a non-alias type is reached.
    pub fn resolve_alias<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut current = ty;
        // Alias chains are acyclic by construction; the bound is a safety net.
        for _ in 0..self.models.len() + 1 {
            match current {
                TypeRef::Model { name } => match self.model(name).map(|m| &m.kind) {
                    Some(ModelKind::Alias { target }) => current = target,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }
}

/// One named type.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Model {
    /// The Rust type name: a valid, unique identifier in UpperCamelCase.
    pub name: String,
    /// Where the schema came from.
    pub origin: Origin,
    /// The schema's description.
    pub description: Option<String>,
    /// `deprecated: true` on the schema.
    pub deprecated: bool,
    /// The schema's own `example`.
    pub example: Option<Value>,
    /// What kind of type it is.
    #[serde(flatten)]
    pub kind: ModelKind,
}

/// Where a model's schema is in the spec, and how its name was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Origin {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// The component name in the spec, for component schemas.
    pub schema_name: Option<String>,
    /// `true` when the name was derived from the spec's own name for the
    /// schema; `false` when it was invented for an inline schema.
    pub name_given: bool,
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelKind {
    /// An object with known properties.
    Struct(StructModel),
    /// A closed set of string or integer values.
    Enum(EnumModel),
    /// One of several types (`oneOf` / `anyOf`).
    Union(UnionModel),
    /// Another name for a type (a primitive, array or map component, or a `$ref`).
    Alias {
        /// The aliased type.
        target: TypeRef,
    },
    /// A type of its own wrapping another: an array or map component that
    /// contains itself through its elements (`A = Vec<A>` cannot be a Rust
    /// alias), read and written as the inner type.
    Newtype {
        /// The wrapped type.
        inner: TypeRef,
    },
}

/// An object schema (after `allOf` merging).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StructModel {
    /// Properties in spec order.
    pub fields: Vec<Field>,
    /// What the schema says about properties not listed.
    pub additional_properties: AdditionalProperties,
}

/// `additionalProperties` of an object with listed properties.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdditionalProperties {
    /// Not stated: unknown properties are ignored when reading.
    Unspecified,
    /// `false`: recorded; unknown properties are still ignored when reading,
    /// so that a newer server does not break an older client.
    Forbidden,
    /// `true` or a schema: unknown properties are kept in a map of this type.
    Allowed {
        /// Type of the extra values.
        values: TypeRef,
    },
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub rust_name: String,
    /// The value's type, without the optionality wrapper.
    pub ty: TypeRef,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// `null` is a valid value.
    pub nullable: bool,
    /// Stored behind `Box` because the field closes a cycle of types.
    pub boxed: bool,
    /// The schema's `default`.
    pub default: Option<Value>,
    /// The text that documents this field (see ARCHITECTURE.md for the rules).
    pub description: Option<String>,
    /// The example that documents this field.
    pub example: Option<Value>,
    /// Deprecated, on the property or on the schema it references.
    pub deprecated: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// `writeOnly: true`.
    pub write_only: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`: not required, or nullable.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// An enum of string or integer values.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EnumModel {
    /// How values are written on the wire.
    pub repr: EnumRepr,
    /// The values in spec order.
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant that holds any other value, if any.
    pub catch_all: Option<String>,
}

/// The wire type of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers (read and written as `i64`).
    Integer,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The value on the wire (a JSON string or integer).
    pub value: Value,
    /// A description of this value, when the spec gives one.
    pub description: Option<String>,
}

impl EnumVariant {
    /// The value as written in the spec (`active`, `1`).
    pub fn value_text(&self) -> String {
        match &self.value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// A `oneOf` / `anyOf` schema.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct UnionModel {
    /// How a value picks its member.
    pub tagging: UnionTagging,
    /// The members in the order reading tries them (most specific first for
    /// untagged unions); `spec_index` gives the spec order.
    pub variants: Vec<UnionVariant>,
}

/// How a union's member is chosen when reading.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnionTagging {
    /// Try the members in order; the first that reads wins.
    Untagged,
    /// The value of a property names the member (`discriminator`).
    Discriminator {
        /// The wire name of the tag property.
        property: String,
    },
}

/// One member of a union.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The member's type.
    pub ty: TypeRef,
    /// Stored behind `Box` because the member closes a cycle of types.
    pub boxed: bool,
    /// Position of the member in the spec's `oneOf`/`anyOf`.
    pub spec_index: usize,
    /// Tag values that select this member (discriminated unions only).
    pub tag_values: Vec<String>,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeRef {
    /// A built-in scalar.
    Primitive {
        /// Which one.
        primitive: Primitive,
    },
    /// A named model.
    Model {
        /// The model's Rust name.
        name: String,
    },
    /// A JSON array.
    Array {
        /// Type of the elements.
        items: Box<TypeRef>,
    },
    /// A JSON object used as a map from string keys.
    Map {
        /// Type of the values.
        values: Box<TypeRef>,
    },
    /// A value that may also be `null`.
    Nullable {
        /// The non-null type.
        inner: Box<TypeRef>,
    },
    /// Any JSON value.
    Any,
    /// Any JSON value, because the schema could not be typed exactly: the
    /// one lossless fallback (see [`FallbackReason`]).
    Fallback {
        /// Why.
        reason: FallbackReason,
    },
    /// A Rust type chosen by the user for a `format` (a path such as `time::OffsetDateTime`).
    External {
        /// The Rust type path.
        path: String,
    },
}

impl TypeRef {
    /// A primitive type.
    pub fn primitive(primitive: Primitive) -> Self {
        TypeRef::Primitive { primitive }
    }

    /// A named model.
    pub fn model(name: impl Into<String>) -> Self {
        TypeRef::Model { name: name.into() }
    }

    /// Why this type (or a type inside it: elements, values, the non-null
    /// type) is the fallback, if it is.
    pub fn fallback(&self) -> Option<FallbackReason> {
        match self {
            TypeRef::Fallback { reason } => Some(*reason),
            TypeRef::Array { items: inner }
            | TypeRef::Map { values: inner }
            | TypeRef::Nullable { inner } => inner.fallback(),
            _ => None,
        }
    }

    /// Visits every model name this type mentions.
    pub fn for_each_model<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            TypeRef::Model { name } => f(name),
            TypeRef::Array { items: inner }
            | TypeRef::Map { values: inner }
            | TypeRef::Nullable { inner } => inner.for_each_model(f),
            TypeRef::Primitive { .. }
            | TypeRef::Any
            | TypeRef::Fallback { .. }
            | TypeRef::External { .. } => {}
        }
    }
}

/// Scalar types and the Rust types they map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Primitive {
    /// `type: string` (any format without a mapping).
    String,
    /// `type: boolean`.
    Bool,
    /// `type: integer, format: int8`.
    I8,
    /// `type: integer, format: int16`.
    I16,
    /// `type: integer, format: int32`.
    I32,
    /// `type: integer` with `format: int64`, no format or an unknown one.
    I64,
    /// `type: integer, format: uint8`.
    U8,
    /// `type: integer, format: uint16`.
    U16,
    /// `type: integer, format: uint32`.
    U32,
    /// `type: integer, format: uint64`.
    U64,
    /// `type: number, format: float`.
    F32,
    /// `type: number` with `format: double` or no format.
    F64,
    /// `type: string, format: date-time` (RFC 3339).
    DateTime,
    /// `type: string, format: date` (RFC 3339 full-date).
    Date,
    /// `type: string, format: uuid`.
    Uuid,
}

impl Primitive {
    /// The Rust type path.
    pub fn rust_type(self) -> &'static str {
        match self {
            Primitive::String => "String",
            Primitive::Bool => "bool",
            Primitive::I8 => "i8",
            Primitive::I16 => "i16",
            Primitive::I32 => "i32",
            Primitive::I64 => "i64",
            Primitive::U8 => "u8",
            Primitive::U16 => "u16",
            Primitive::U32 => "u32",
            Primitive::U64 => "u64",
            Primitive::F32 => "f32",
            Primitive::F64 => "f64",
            Primitive::DateTime => "chrono::DateTime<chrono::Utc>",
            Primitive::Date => "chrono::NaiveDate",
            Primitive::Uuid => "uuid::Uuid",
        }
    }

    /// The default mapping of an OpenAPI `type` and `format`.
    pub fn for_format(typ: &str, format: Option<&str>) -> Option<Primitive> {
        Some(match (typ, format) {
            ("boolean", _) => Primitive::Bool,
            ("integer", Some("int8")) => Primitive::I8,
            ("integer", Some("int16")) => Primitive::I16,
            ("integer", Some("int32")) => Primitive::I32,
            ("integer", Some("uint8")) => Primitive::U8,
            ("integer", Some("uint16")) => Primitive::U16,
            ("integer", Some("uint32")) => Primitive::U32,
            ("integer", Some("uint64")) => Primitive::U64,
            ("integer", _) => Primitive::I64,
            ("number", Some("float")) => Primitive::F32,
            ("number", _) => Primitive::F64,
            ("string", Some("date-time")) => Primitive::DateTime,
            ("string", Some("date")) => Primitive::Date,
            ("string", Some("uuid")) => Primitive::Uuid,
            ("string", _) => Primitive::String,
            _ => return None,
        })
    }
}

/// An example from the spec and the type it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ExampleCase {
    /// JSON pointer of the `example` value.
    pub pointer: String,
    /// The Rust type the example should deserialize into.
    pub ty: TypeRef,
    /// The example value.
    pub value: Value,
    /// Why the example does not fit its own schema, when it does not.
    pub invalid: Option<String>,
}
