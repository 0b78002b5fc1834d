//! A flat view of a schema, whichever `openapiv3` variant holds it, so the
//! IR builder has one shape to look at.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties as OaAdditional, IntegerFormat, NumberFormat, ReferenceOr, Schema,
    SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema or a reference to one, whatever box it comes in.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'s> {
    Ref(&'s str),
    Inline(&'s Schema),
}

impl<'s> SchemaRef<'s> {
    pub(super) fn of(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }

    pub(super) fn of_boxed(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// One flat view of a schema, whichever `openapiv3` variant holds it.
#[derive(Clone)]
pub(super) struct View<'s> {
    pub(super) data: &'s SchemaData,
    pub(super) typ: Option<&'s str>,
    pub(super) format: Option<String>,
    pub(super) enumeration: Vec<Value>,
    pub(super) properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub(super) required: &'s [String],
    pub(super) additional: Option<&'s OaAdditional>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    pub(super) all_of: &'s [ReferenceOr<Schema>],
    /// A `not` that excludes a shape (a `not` that only says which
    /// properties may not appear together is a validation rule and ignored).
    pub(super) has_not: bool,
}

fn format_name<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(item).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'s> View<'s> {
    pub(super) fn of(schema: &'s Schema) -> Self {
        let mut view = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            enumeration: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            has_not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = format_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                view.enumeration = s
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.format = format_name(&i.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                view.enumeration = i
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.format = format_name(&n.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                view.enumeration = n
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.typ = Some("boolean");
                view.enumeration = b
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = Some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::Not { not } => view.has_not = !is_constraint(not),
            SchemaKind::Any(a) => {
                view.typ = a.typ.as_deref();
                view.format = a.format.clone();
                view.enumeration = a.enumeration.clone();
                view.properties = (!a.properties.is_empty()).then_some(&a.properties);
                view.required = &a.required;
                view.additional = a.additional_properties.as_ref();
                view.items = a.items.as_ref();
                view.one_of = &a.one_of;
                view.any_of = &a.any_of;
                view.all_of = &a.all_of;
                view.has_not = a.not.as_deref().is_some_and(|n| !is_constraint(n));
            }
        }
        view
    }

    pub(super) fn has_properties(&self) -> bool {
        self.properties.is_some_and(|p| !p.is_empty())
    }
}

impl View<'_> {
    /// `{enum: [null]}` (what OpenAPI 3.1's `type: "null"` becomes): only `null` fits.
    pub(super) fn is_null_only(&self) -> bool {
        !self.enumeration.is_empty() && self.enumeration.iter().all(Value::is_null)
    }

    /// A schema that only constrains (`required`, descriptions) and says
    /// nothing about the shape, as in `oneOf: [{required: [a]}, {required: [b]}]`.
    pub(super) fn is_constraint_only(&self) -> bool {
        self.typ.is_none()
            && !self.has_properties()
            && self.items.is_none()
            && self.enumeration.is_empty()
            && self.additional.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && !self.has_not
    }

    /// A `oneOf`/`anyOf` member of an object that only narrows properties
    /// the object already lists (`{properties: {status: {enum: [done]}},
    /// required: [conclusion]}`): a validation rule, not another shape.
    pub(super) fn only_refines(&self, parent: &View<'_>) -> bool {
        let Some(parent_props) = parent.properties else {
            return false;
        };
        matches!(self.typ, None | Some("object"))
            && self.items.is_none()
            && self.enumeration.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && self
                .properties
                .is_none_or(|p| p.keys().all(|k| parent_props.contains_key(k)))
            && self.required.iter().all(|r| parent_props.contains_key(r))
    }

    /// An extension value (`x-…`).
    pub(super) fn extension(&self, key: &str) -> Option<&Value> {
        self.data.extensions.get(key)
    }
}

/// `not: {required: [a, b]}` and the like: a rule about which properties
/// appear, not a shape.
fn is_constraint(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(s) => View::of(s).is_constraint_only(),
        ReferenceOr::Reference { .. } => false,
    }
}
