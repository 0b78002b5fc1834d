//! Schemas as the IR reads them: one flat, compact shape per schema.
//!
//! A schema is parsed as an `openapiv3::Schema` (so every rule of that
//! crate about which fields make which kind of schema holds) and at once
//! turned into a [`Schema`] here: the fields the IR reads, flat, whatever
//! `openapiv3` variant held them, and the rest (validation keywords such as
//! `maxLength`) kept only as compact JSON text. An `openapiv3::Schema` is
//! about 950 bytes before its strings; a [`Schema`] about a third of that,
//! which is most of the typed spec's memory on large specs.

use indexmap::IndexMap;
use openapiv3 as oa;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A `$ref` or the thing itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ReferenceOr<T> {
    /// `{"$ref": ...}`: the reference as written.
    Reference {
        /// The `$ref` value.
        reference: String,
    },
    /// The object itself.
    Item(T),
}

impl<T> ReferenceOr<T> {
    /// The same reference, or the item turned by `f`.
    fn map<U>(self, f: impl FnOnce(T) -> U) -> ReferenceOr<U> {
        match self {
            ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
            ReferenceOr::Item(item) => ReferenceOr::Item(f(item)),
        }
    }

    fn from_openapi(r: oa::ReferenceOr<T>) -> Self {
        match r {
            oa::ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
            oa::ReferenceOr::Item(item) => ReferenceOr::Item(item),
        }
    }
}

/// Parsed as `openapiv3::ReferenceOr` does: an object with `$ref` is a
/// reference (its other keys ignored), anything else the item.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for ReferenceOr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        oa::ReferenceOr::<T>::deserialize(deserializer).map(ReferenceOr::from_openapi)
    }
}

/// The keywords every schema may have (OpenAPI's "schema data").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SchemaData {
    /// `nullable`.
    pub nullable: bool,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `example`.
    pub example: Option<Box<Value>>,
    /// `default`.
    pub default: Option<Box<Value>>,
    /// `discriminator`.
    pub discriminator: Option<Box<Discriminator>>,
    /// The `x-` extensions, in document order (`None` when there are none).
    pub extensions: Option<Box<IndexMap<String, Value>>>,
}

impl SchemaData {
    /// The extension `key` (`x-…`), if written.
    pub fn extension(&self, key: &str) -> Option<&Value> {
        self.extensions.as_ref().and_then(|e| e.get(key))
    }
}

/// A `discriminator`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discriminator {
    /// `propertyName`.
    pub property_name: String,
    /// `mapping`: tag value → `$ref`, in document order.
    pub mapping: IndexMap<String, String>,
}

/// `additionalProperties`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AdditionalProperties {
    /// `true` or `false`.
    Any(bool),
    /// A schema for the values.
    Schema(Box<ReferenceOr<Schema>>),
}

/// A schema, flat: the fields of every `openapiv3` schema kind in one
/// struct, those not written left empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Schema {
    /// Title, description, examples, flags and extensions.
    pub schema_data: SchemaData,
    /// `type`, when written.
    pub typ: Option<TypeName>,
    /// `format`, when written.
    pub format: Option<Box<str>>,
    /// `enum` (numbers of a `number` schema as floats, as `openapiv3` reads them).
    pub enumeration: Vec<Value>,
    /// `properties`: `Some` (possibly empty) for a `type: object` schema
    /// without other kind keywords, else `Some` only when not empty.
    pub properties: Option<Box<IndexMap<String, ReferenceOr<Box<Schema>>>>>,
    /// `required`.
    pub required: Vec<String>,
    /// `additionalProperties`.
    pub additional_properties: Option<Box<AdditionalProperties>>,
    /// `items`.
    pub items: Option<Box<ReferenceOr<Box<Schema>>>>,
    /// `oneOf`.
    pub one_of: Vec<ReferenceOr<Schema>>,
    /// `anyOf`.
    pub any_of: Vec<ReferenceOr<Schema>>,
    /// `allOf`.
    pub all_of: Vec<ReferenceOr<Schema>>,
    /// A `not` that excludes a shape (a `not` that only says which
    /// properties may not appear together is a validation rule).
    pub has_not: bool,
    /// Everything else written (validation keywords, `externalDocs`, the
    /// `not` schema itself), as compact JSON: not read, but part of the
    /// schema's identity when identical inline schemas are merged.
    pub constraints: Option<Box<str>>,
}

/// A `type` value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeName {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `object`.
    Object,
    /// `array`.
    Array,
    /// Any other value, as written.
    Other(Box<str>),
}

impl TypeName {
    fn of(name: String) -> Self {
        match name.as_str() {
            "string" => TypeName::String,
            "integer" => TypeName::Integer,
            "number" => TypeName::Number,
            "boolean" => TypeName::Boolean,
            "object" => TypeName::Object,
            "array" => TypeName::Array,
            _ => TypeName::Other(name.into_boxed_str()),
        }
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        match self {
            TypeName::String => "string",
            TypeName::Integer => "integer",
            TypeName::Number => "number",
            TypeName::Boolean => "boolean",
            TypeName::Object => "object",
            TypeName::Array => "array",
            TypeName::Other(name) => name,
        }
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        oa::Schema::deserialize(deserializer).map(Schema::from_openapi)
    }
}

/// Collects the keywords a [`Schema`] does not hold, for
/// [`Schema::constraints`].
#[derive(Default)]
struct Rest(Map<String, Value>);

impl Rest {
    fn put(&mut self, key: &str, value: Option<impl Into<Value>>) {
        if let Some(value) = value {
            self.0.insert(key.to_string(), value.into());
        }
    }

    fn flag(&mut self, key: &str, value: bool) {
        if value {
            self.0.insert(key.to_string(), Value::Bool(true));
        }
    }

    /// `multipleOf` and the exclusive-bound flags of a number or integer.
    fn bounds(
        &mut self,
        multiple_of: Option<impl Into<Value>>,
        exclusive_min: bool,
        exclusive_max: bool,
    ) {
        self.put("multipleOf", multiple_of);
        self.flag("exclusiveMinimum", exclusive_min);
        self.flag("exclusiveMaximum", exclusive_max);
    }

    fn put_json(&mut self, key: &str, value: &impl Serialize) {
        if let Ok(value) = serde_json::to_value(value) {
            self.0.insert(key.to_string(), value);
        }
    }

    fn text(self) -> Option<Box<str>> {
        if self.0.is_empty() {
            return None;
        }
        serde_json::to_string(&self.0)
            .ok()
            .map(String::into_boxed_str)
    }
}

fn format_name<T>(
    format: oa::VariantOrUnknownOrEmpty<T>,
    name: impl Fn(&T) -> &'static str,
) -> Option<Box<str>> {
    match format {
        oa::VariantOrUnknownOrEmpty::Item(item) => Some(name(&item).into()),
        oa::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.into_boxed_str()),
        oa::VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn boxed_schema(r: oa::ReferenceOr<Box<oa::Schema>>) -> ReferenceOr<Box<Schema>> {
    ReferenceOr::from_openapi(r).map(|s| Box::new(Schema::from_openapi(*s)))
}

fn schema_list(list: Vec<oa::ReferenceOr<oa::Schema>>) -> Vec<ReferenceOr<Schema>> {
    list.into_iter()
        .map(|r| ReferenceOr::from_openapi(r).map(Schema::from_openapi))
        .collect()
}

fn property_map(
    properties: IndexMap<String, oa::ReferenceOr<Box<oa::Schema>>>,
) -> Box<IndexMap<String, ReferenceOr<Box<Schema>>>> {
    Box::new(
        properties
            .into_iter()
            .map(|(name, schema)| (name, boxed_schema(schema)))
            .collect(),
    )
}

fn additional(a: oa::AdditionalProperties) -> Box<AdditionalProperties> {
    Box::new(match a {
        oa::AdditionalProperties::Any(any) => AdditionalProperties::Any(any),
        oa::AdditionalProperties::Schema(s) => AdditionalProperties::Schema(Box::new(
            ReferenceOr::from_openapi(*s).map(Schema::from_openapi),
        )),
    })
}

/// Whether `not: schema` only says which properties may not appear
/// together (`not: {required: [a, b]}`): a rule, not a shape.
fn is_constraint(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(s) => s.is_constraint_only(),
        ReferenceOr::Reference { .. } => false,
    }
}

impl Schema {
    /// The flat form of an `openapiv3` schema.
    pub fn from_openapi(schema: oa::Schema) -> Schema {
        let data = schema.schema_data;
        let mut rest = Rest::default();
        if let Some(docs) = &data.external_docs {
            rest.put_json("externalDocs", docs);
        }
        let discriminator = data.discriminator.map(|d| {
            if !d.extensions.is_empty() {
                rest.put_json("discriminatorExtensions", &d.extensions);
            }
            Box::new(Discriminator {
                property_name: d.property_name,
                mapping: d.mapping,
            })
        });
        let mut out = Schema {
            schema_data: SchemaData {
                nullable: data.nullable,
                read_only: data.read_only,
                write_only: data.write_only,
                deprecated: data.deprecated,
                title: data.title,
                description: data.description,
                example: data.example.map(Box::new),
                default: data.default.map(Box::new),
                discriminator,
                extensions: (!data.extensions.is_empty()).then(|| Box::new(data.extensions)),
            },
            ..Schema::default()
        };
        match schema.schema_kind {
            oa::SchemaKind::Type(oa::Type::String(s)) => {
                out.typ = Some(TypeName::String);
                out.format = format_name(s.format, |f| match f {
                    oa::StringFormat::Date => "date",
                    oa::StringFormat::DateTime => "date-time",
                    oa::StringFormat::Password => "password",
                    oa::StringFormat::Byte => "byte",
                    oa::StringFormat::Binary => "binary",
                });
                out.enumeration = s
                    .enumeration
                    .into_iter()
                    .map(|v| v.map_or(Value::Null, Value::String))
                    .collect();
                rest.put("pattern", s.pattern);
                rest.put("minLength", s.min_length);
                rest.put("maxLength", s.max_length);
            }
            oa::SchemaKind::Type(oa::Type::Integer(i)) => {
                out.typ = Some(TypeName::Integer);
                out.format = format_name(i.format, |f| match f {
                    oa::IntegerFormat::Int32 => "int32",
                    oa::IntegerFormat::Int64 => "int64",
                });
                out.enumeration = i
                    .enumeration
                    .into_iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
                rest.bounds(i.multiple_of, i.exclusive_minimum, i.exclusive_maximum);
                rest.put("minimum", i.minimum);
                rest.put("maximum", i.maximum);
            }
            oa::SchemaKind::Type(oa::Type::Number(n)) => {
                out.typ = Some(TypeName::Number);
                out.format = format_name(n.format, |f| match f {
                    oa::NumberFormat::Float => "float",
                    oa::NumberFormat::Double => "double",
                });
                out.enumeration = n
                    .enumeration
                    .into_iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
                rest.bounds(n.multiple_of, n.exclusive_minimum, n.exclusive_maximum);
                rest.put("minimum", n.minimum);
                rest.put("maximum", n.maximum);
            }
            oa::SchemaKind::Type(oa::Type::Boolean(b)) => {
                out.typ = Some(TypeName::Boolean);
                out.enumeration = b
                    .enumeration
                    .into_iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            oa::SchemaKind::Type(oa::Type::Object(o)) => {
                out.typ = Some(TypeName::Object);
                out.properties = Some(property_map(o.properties));
                out.required = o.required;
                out.additional_properties = o.additional_properties.map(additional);
                rest.put("minProperties", o.min_properties);
                rest.put("maxProperties", o.max_properties);
            }
            oa::SchemaKind::Type(oa::Type::Array(a)) => {
                out.typ = Some(TypeName::Array);
                out.items = a.items.map(|items| Box::new(boxed_schema(items)));
                rest.put("minItems", a.min_items);
                rest.put("maxItems", a.max_items);
                rest.flag("uniqueItems", a.unique_items);
            }
            oa::SchemaKind::OneOf { one_of } => out.one_of = schema_list(one_of),
            oa::SchemaKind::AnyOf { any_of } => out.any_of = schema_list(any_of),
            oa::SchemaKind::AllOf { all_of } => out.all_of = schema_list(all_of),
            oa::SchemaKind::Not { not } => {
                rest.put_json("not", &not);
                let not = ReferenceOr::from_openapi(*not).map(Schema::from_openapi);
                out.has_not = !is_constraint(&not);
            }
            oa::SchemaKind::Any(a) => {
                out.typ = a.typ.map(TypeName::of);
                out.format = a.format.map(String::into_boxed_str);
                out.enumeration = a.enumeration;
                out.properties = (!a.properties.is_empty()).then(|| property_map(a.properties));
                out.required = a.required;
                out.additional_properties = a.additional_properties.map(additional);
                out.items = a.items.map(|items| Box::new(boxed_schema(items)));
                out.one_of = schema_list(a.one_of);
                out.any_of = schema_list(a.any_of);
                out.all_of = schema_list(a.all_of);
                if let Some(not) = a.not {
                    rest.put_json("not", &not);
                    let not = ReferenceOr::from_openapi(*not).map(Schema::from_openapi);
                    out.has_not = !is_constraint(&not);
                }
                rest.put("pattern", a.pattern);
                rest.put("multipleOf", a.multiple_of);
                rest.put("exclusiveMinimum", a.exclusive_minimum);
                rest.put("exclusiveMaximum", a.exclusive_maximum);
                rest.put("minimum", a.minimum);
                rest.put("maximum", a.maximum);
                rest.put("minProperties", a.min_properties);
                rest.put("maxProperties", a.max_properties);
                rest.put("minItems", a.min_items);
                rest.put("maxItems", a.max_items);
                rest.put("uniqueItems", a.unique_items);
                rest.put("minLength", a.min_length);
                rest.put("maxLength", a.max_length);
            }
        }
        out.constraints = rest.text();
        out
    }

    /// A schema that only constrains (`required`, descriptions) and says
    /// nothing about the shape, as in `oneOf: [{required: [a]}, {required: [b]}]`.
    pub fn is_constraint_only(&self) -> bool {
        self.typ.is_none()
            && self.properties.as_ref().is_none_or(|p| p.is_empty())
            && self.items.is_none()
            && self.enumeration.is_empty()
            && self.additional_properties.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && !self.has_not
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Schema {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn kinds_come_out_flat() {
        let s =
            parse(r#"{"type": "string", "format": "date", "enum": ["a", null], "maxLength": 3}"#);
        assert_eq!(s.typ, Some(TypeName::String));
        assert_eq!(s.format.as_deref(), Some("date"));
        assert_eq!(s.enumeration, vec![Value::from("a"), Value::Null]);
        assert_eq!(s.constraints.as_deref(), Some(r#"{"maxLength":3}"#));

        // `type: object` alone keeps an empty property list; other
        // keywords beside it make the catch-all kind, which does not.
        let s = parse(r#"{"type": "object"}"#);
        assert!(s.properties.is_some_and(|p| p.is_empty()));
        let s = parse(r##"{"type": "object", "oneOf": [{"$ref": "#/x"}]}"##);
        assert!(s.properties.is_none());
        assert_eq!(s.one_of.len(), 1);

        // Numbers of a `number` enum are read as floats.
        let s = parse(r#"{"type": "number", "enum": [1]}"#);
        assert_eq!(s.enumeration, vec![Value::from(1.0)]);

        let s = parse(r#"{"not": {"required": ["a", "b"]}}"#);
        assert!(!s.has_not);
        assert!(s.constraints.is_some());
        let s = parse(r#"{"not": {"type": "string"}}"#);
        assert!(s.has_not);
    }

    #[test]
    fn references_and_extensions() {
        let r: ReferenceOr<Schema> =
            serde_json::from_str(r##"{"$ref": "#/components/schemas/A", "example": 1}"##)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            r,
            ReferenceOr::Reference {
                reference: "#/components/schemas/A".to_string()
            }
        );
        let s =
            parse(r#"{"x-rust-type": "u8", "description": "d", "additionalProperties": false}"#);
        assert_eq!(
            s.schema_data.extension("x-rust-type"),
            Some(&Value::from("u8"))
        );
        assert_eq!(s.schema_data.description.as_deref(), Some("d"));
        assert_eq!(
            s.additional_properties.as_deref(),
            Some(&AdditionalProperties::Any(false))
        );
    }
}
