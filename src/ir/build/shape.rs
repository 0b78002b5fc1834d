//! What a schema is: [`Shape`] classifies each schema (struct, enum,
//! union, "distributed" union of structs, array, map, scalar, a user's Rust
//! type, any value, a tuple, or the fallback) before anything is built.
//! Every rule that decides which kind of model a schema becomes is here;
//! the other files build what it says.

use super::*;

/// What a schema turns into.
pub(super) enum Shape<'s> {
    /// A schema that stands for one other schema: `allOf` with one typed
    /// member, or `oneOf`/`anyOf` with one member besides `null`. The string
    /// is the member's pointer relative to the schema.
    Single(SchemaRef<'s>, String),
    /// An object (possibly merged from `allOf`): a struct model.
    Struct,
    /// `oneOf` / `anyOf`: a union model. The strings are the members' relative pointers.
    Union(Vec<(SchemaRef<'s>, String)>),
    /// Properties and a `oneOf`/`anyOf` (directly or in an `allOf`
    /// member): a union of structs, each the properties plus one member.
    Distributed(UnionPart<'s>),
    /// An enum model (from `enum`, or from a `oneOf` of constants).
    Enum(EnumRepr, Vec<EnumValue>),
    /// An array (of any values without `items`).
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    /// An object without listed properties: a map.
    Map(Option<&'s OaAdditional>),
    /// A scalar.
    Primitive(Primitive),
    /// A scalar with a user-chosen Rust type.
    External(String),
    /// No constraints: any JSON value.
    Any,
    /// Draft-4 tuple validation (`items: [A, B]`, kept as
    /// `x-oapi-prefixItems`) with this many positions: an array whose
    /// elements fall back (positions of different types, and any number of
    /// them, cannot be one Rust element type).
    Tuple(usize),
    /// Cannot be typed exactly: the lossless fallback, with the reason and
    /// what was found (see [`Builder::fallback`]).
    Fallback(FallbackReason, String),
}

impl Shape<'_> {
    pub(super) fn is_model(&self) -> bool {
        matches!(
            self,
            Shape::Struct | Shape::Union(_) | Shape::Enum(..) | Shape::Distributed(_)
        )
    }
}

/// The `oneOf`/`anyOf` members that are shapes (with their index), not
/// only constraints, `null` or refinements of the schema's own properties.
pub(super) fn shape_members<'s>(view: &View<'s>) -> Vec<(usize, &'s ReferenceOr<Schema>)> {
    view.one_of
        .iter()
        .chain(view.any_of)
        .enumerate()
        .filter(|(_, m)| match m {
            ReferenceOr::Item(s) => {
                let v = View::of(s);
                !v.is_null_only() && !v.is_constraint_only() && !v.only_refines(view)
            }
            ReferenceOr::Reference { .. } => true,
        })
        .collect()
}

/// Whether a schema has `oneOf`/`anyOf` members that are shapes.
pub(super) fn has_real_union(view: &View<'_>) -> bool {
    !shape_members(view).is_empty()
}

impl<'a> Builder<'a> {
    /// Classifies a schema, failing loudly on what is not supported yet.
    pub(super) fn shape<'s>(&self, view: &View<'s>, pointer: &str) -> Result<Shape<'s>> {
        if let Some(path) = self.rust_type_extension(view, pointer)? {
            return Ok(Shape::External(path));
        }
        // `not` only narrows what the other keywords allow: it does not
        // change their type (a schema that is only `not` is any value).
        match self.union_fixes.get(pointer) {
            Some(UnionFix::OnlyItself(message)) => return Err(self.error(pointer, message.clone())),
            Some(UnionFix::Refuse(message)) => {
                return Ok(Shape::Fallback(FallbackReason::UnionCycle, message.clone()));
            }
            _ => {}
        }
        // Union members that are only constraints (`required: [a]`) or only `null`.
        let union_key = if view.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let union_members: Vec<(SchemaRef<'s>, String)> = self
            .kept_members(view, pointer)?
            .into_iter()
            .map(|(i, m)| (SchemaRef::of(m), format!("{union_key}/{i}")))
            .collect();
        if !view.one_of.is_empty() && !view.any_of.is_empty() {
            return Ok(Shape::Fallback(
                FallbackReason::OneOfAndAnyOf,
                String::new(),
            ));
        }
        if !view.all_of.is_empty() {
            if !union_members.is_empty() {
                return Ok(Shape::Distributed(UnionPart::Own));
            }
            let union_parts: Vec<(usize, &'s Schema)> = view
                .all_of
                .iter()
                .enumerate()
                .filter_map(|(i, m)| match m {
                    ReferenceOr::Item(s) if has_real_union(&View::of(s)) => Some((i, s)),
                    _ => None,
                })
                .collect();
            match union_parts.as_slice() {
                [] => {}
                [(i, s)] => return Ok(Shape::Distributed(UnionPart::AllOfMember(*i, s))),
                _ => {
                    return Ok(Shape::Fallback(
                        FallbackReason::AllOfSeveralUnions,
                        format!("{} members are unions", union_parts.len()),
                    ));
                }
            }
            let typed: Vec<(usize, &'s ReferenceOr<Schema>)> = view
                .all_of
                .iter()
                .enumerate()
                .filter(|(_, m)| match m {
                    ReferenceOr::Item(s) => !View::of(s).is_constraint_only(),
                    ReferenceOr::Reference { .. } => true,
                })
                .collect();
            let no_own_shape = !view.has_properties()
                && matches!(view.additional, None | Some(OaAdditional::Any(false)));
            if no_own_shape
                && let [(first, member), rest @ ..] = typed.as_slice()
                && !rest.is_empty()
                && let Some(typ) = self.scalar_type(SchemaRef::of(member))
                && rest
                    .iter()
                    .all(|(_, m)| self.scalar_type(SchemaRef::of(m)) == Some(typ))
            {
                // Scalars of one type (`allOf: [{$ref: Id}, {type: string,
                // maxLength: 8}]`): the others only constrain the first.
                return Ok(Shape::Single(
                    SchemaRef::of(member),
                    format!("allOf/{first}"),
                ));
            }
            if let [(i, member)] = typed.as_slice()
                && no_own_shape
            {
                let is_object_part = match member {
                    ReferenceOr::Item(s) => View::of(s).has_properties(),
                    ReferenceOr::Reference { .. } => false,
                };
                if !is_object_part {
                    return Ok(Shape::Single(SchemaRef::of(member), format!("allOf/{i}")));
                }
            }
            return Ok(Shape::Struct);
        }
        if !union_members.is_empty() {
            if view.has_properties() {
                return Ok(Shape::Distributed(UnionPart::Own));
            }
            if view.data.discriminator.is_none() {
                if let Some(values) = self.constant_members(&union_members) {
                    return Ok(values);
                }
                if let [(member, at)] = union_members.as_slice() {
                    return Ok(Shape::Single(*member, at.clone()));
                }
            }
            return Ok(Shape::Union(union_members));
        }
        if !view.enumeration.is_empty() && !view.is_null_only() {
            return Ok(self.enum_shape(view));
        }
        Ok(self.shape_by_type(view))
    }

    /// Classifies a schema by its `type` (and `properties`,
    /// `additionalProperties`, `items`, `format`), whatever its `enum`.
    pub(super) fn shape_by_type<'s>(&self, view: &View<'s>) -> Shape<'s> {
        if let Some(written) = view.extension("x-oapi-invalid-type") {
            return Shape::Fallback(
                FallbackReason::UnknownType,
                format!("`type: {}` names no type", elided(written)),
            );
        }
        if view.typ.is_none_or(|t| t == "array")
            && view.items.is_none()
            && let Some(Value::Array(members)) = view.extension("x-oapi-prefixItems")
        {
            return Shape::Tuple(members.len());
        }
        let Some(typ) = view.typ else {
            if view.has_properties() {
                return Shape::Struct;
            }
            if view.additional.is_some() {
                return Shape::Map(view.additional);
            }
            return Shape::Any;
        };
        match typ {
            // Without `items` any element is allowed (JSON Schema).
            "array" => Shape::Array(view.items),
            "object" if view.has_properties() => Shape::Struct,
            "object" => Shape::Map(view.additional),
            _ => {
                let format = view.format;
                if let Some(path) = format.and_then(|f| self.settings.format_types.get(f)) {
                    return Shape::External(path.clone());
                }
                match Primitive::for_format(typ, format) {
                    Some(p) => Shape::Primitive(p),
                    None => Shape::Fallback(
                        FallbackReason::UnknownType,
                        format!(
                            "{}: the types are string, number, integer, boolean, array and object",
                            quote_elided(typ)
                        ),
                    ),
                }
            }
        }
    }

    /// The `type` of a scalar schema (string, integer, number, boolean,
    /// without properties or members), following references to components.
    pub(super) fn scalar_type(&self, schema: SchemaRef<'_>) -> Option<&'static str> {
        let schema: &Schema = match schema {
            SchemaRef::Inline(s) => s,
            SchemaRef::Ref(reference) => {
                let target = self.ref_target(reference, "").ok()?;
                self.component_schema(target, "").ok()?
            }
        };
        let view = View::of(schema);
        let plain = !view.has_properties()
            && view.all_of.is_empty()
            && view.one_of.is_empty()
            && view.any_of.is_empty()
            && view.items.is_none();
        match view.typ {
            Some("string") if plain => Some("string"),
            Some("integer") if plain => Some("integer"),
            Some("number") if plain => Some("number"),
            Some("boolean") if plain => Some("boolean"),
            _ => None,
        }
    }

    /// `oneOf` whose members are all single constants (`const` / one-value
    /// `enum`) of one kind: an enum with a description per value.
    pub(super) fn constant_members<'s>(
        &self,
        members: &[(SchemaRef<'s>, String)],
    ) -> Option<Shape<'s>> {
        let mut values = Vec::with_capacity(members.len());
        for (member, _) in members {
            let SchemaRef::Inline(schema) = member else {
                return None;
            };
            let view = View::of(schema);
            let [value] = view.enumeration else {
                return None;
            };
            if view.has_properties() || value.is_null() {
                return None;
            }
            values.push(EnumValue {
                value: value.clone(),
                name: view.data.title.clone(),
                description: view.data.description.clone(),
            });
        }
        let repr = if values.iter().all(|v| v.value.is_string()) {
            EnumRepr::String
        } else if values.iter().all(|v| v.value.is_i64()) {
            EnumRepr::Integer
        } else {
            return None;
        };
        Some(Shape::Enum(repr, values))
    }
}
