//! Borrowed views of a schema ([`View`]) and of a schema-or-reference
//! ([`SchemaRef`]): what the IR builder looks at.

use indexmap::IndexMap;
use serde_json::Value;

use crate::load::schema::{AdditionalProperties, ReferenceOr, Schema, SchemaData};

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

/// The parts of a schema the IR builder looks at, borrowed.
#[derive(Clone, Copy)]
pub(super) struct View<'s> {
    schema: &'s Schema,
    pub(super) data: &'s SchemaData,
    pub(super) typ: Option<&'s str>,
    pub(super) format: Option<&'s str>,
    pub(super) enumeration: &'s [Value],
    pub(super) properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub(super) required: &'s [String],
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    pub(super) all_of: &'s [ReferenceOr<Schema>],
}

impl<'s> View<'s> {
    pub(super) fn of(schema: &'s Schema) -> Self {
        View {
            schema,
            data: &schema.schema_data,
            typ: schema.typ.as_ref().map(|t| t.as_str()),
            format: schema.format.as_deref(),
            enumeration: &schema.enumeration,
            properties: schema.properties.as_deref(),
            required: &schema.required,
            additional: schema.additional_properties.as_deref(),
            items: schema.items.as_deref(),
            one_of: &schema.one_of,
            any_of: &schema.any_of,
            all_of: &schema.all_of,
        }
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

    /// A schema that only constrains and says nothing about the shape (see
    /// [`Schema::is_constraint_only`]).
    pub(super) fn is_constraint_only(&self) -> bool {
        self.schema.is_constraint_only()
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
        self.data.extension(key)
    }
}
