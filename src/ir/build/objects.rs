//! Objects: structs from `properties` and `allOf` members merged in order
//! (a property defined twice: the later wins, with a warning; a member that
//! only annotates keeps the earlier schema), and each field's docs.

use super::*;

/// What `collect_parts` takes from the schema it starts at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Top {
    /// Everything; a real `oneOf`/`anyOf` is an error.
    Whole,
    /// Everything but `allOf` member `n` and the schema's own `oneOf`/`anyOf`
    /// (they are distributed over a union; `usize::MAX` skips no member).
    Without(usize),
}

/// One property gathered for a struct.
#[derive(Clone)]
pub(super) struct PropertyPart<'a> {
    pub(super) schema: SchemaRef<'a>,
    pub(super) pointer: String,
    /// Name of the model declaring it (inline schemas are named after it).
    pub(super) owner: String,
    /// A later `allOf` member that only adds a description or example.
    pub(super) annotations: Option<(SchemaRef<'a>, String)>,
}

#[derive(Default, Clone)]
pub(super) struct ObjectParts<'a> {
    pub(super) properties: IndexMap<String, PropertyPart<'a>>,
    pub(super) required: BTreeSet<&'a str>,
    /// Each `required` entry and its pointer, for the unknown-property warning.
    pub(super) required_at: Vec<(&'a str, String)>,
    pub(super) additional: Option<(&'a OaAdditional, String)>,
    /// (property, first pointer, second pointer) defined twice differently.
    pub(super) conflicts: Vec<(String, String, String)>,
}

pub(super) struct FieldDocs {
    pub(super) description: Option<String>,
    pub(super) example: Option<Value>,
    pub(super) default: Option<Value>,
    pub(super) deprecated: bool,
    pub(super) read_only: bool,
    pub(super) write_only: bool,
}

impl FieldDocs {
    pub(super) fn from_data(data: &SchemaData) -> Self {
        FieldDocs {
            description: data.description.clone(),
            example: data.example.as_deref().cloned(),
            default: data.default.as_deref().cloned(),
            deprecated: data.deprecated,
            read_only: data.read_only,
            write_only: data.write_only,
        }
    }
}

impl<'a> Builder<'a> {
    pub(super) fn build_struct(
        &mut self,
        name: &str,
        view: &View<'a>,
        pointer: &str,
    ) -> Result<StructModel> {
        let mut parts = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_parts(view, pointer, name, &mut parts, &mut visiting, Top::Whole)?;
        self.struct_from_parts(name, parts)
    }

    /// Fields of a struct from the properties gathered for it.
    pub(super) fn struct_from_parts(
        &mut self,
        name: &str,
        mut parts: ObjectParts<'a>,
    ) -> Result<StructModel> {
        for (key, first, second) in std::mem::take(&mut parts.conflicts) {
            self.warn(
                &second,
                format!(
                    "property {key:?} is also defined at #{first} with a different schema; the one here is used"
                ),
            );
        }
        // JSON Schema reads such a name as "must be present, any value";
        // unless other properties are declared, it is almost always a typo.
        let open = matches!(
            parts.additional,
            Some((OaAdditional::Any(true) | OaAdditional::Schema(_), _))
        );
        if !open {
            for (key, at) in &parts.required_at {
                if !parts.properties.contains_key(*key) {
                    self.warn(
                        at,
                        format!(
                            "`required` lists {}, which is not among the properties: the \
                             generated type has no such field (a typo?)",
                            quote_elided(key)
                        ),
                    );
                }
            }
        }
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire_name, part) in &parts.properties {
            // Inline schemas are named after the model that declares them,
            // which for merged `allOf` members is the referenced component.
            let hint = format!("{}{}", part.owner, wire_name.to_upper_camel_case());
            let ty = self.type_of(part.schema, &part.pointer, &hint, true)?;
            let (ty, nullable) = match ty {
                TypeRef::Nullable { inner } => (*inner, true),
                other => (other, false),
            };
            let mut docs = self.field_docs(part.schema, &part.pointer)?;
            if let Some((schema, at)) = &part.annotations {
                let extra = self.field_docs(*schema, at)?;
                docs.description = extra.description.or(docs.description);
                docs.example = extra.example.or(docs.example);
                docs.default = extra.default.or(docs.default);
                docs.deprecated |= extra.deprecated;
            }
            fields.push(Field {
                wire_name: wire_name.clone(),
                rust_name: names::field_name(wire_name),
                ty,
                required: parts.required.contains(wire_name.as_str()),
                nullable,
                boxed: false,
                default: docs.default,
                description: docs.description,
                example: docs.example,
                deprecated: docs.deprecated,
                read_only: docs.read_only,
                write_only: docs.write_only,
            });
        }
        let rust_names = names::dedupe(fields.iter().map(|f| f.rust_name.clone()).collect());
        for (field, rust_name) in fields.iter_mut().zip(rust_names) {
            field.rust_name = rust_name;
        }
        let additional_properties = match parts.additional {
            None => AdditionalProperties::Unspecified,
            Some((OaAdditional::Any(false), _)) => AdditionalProperties::Forbidden,
            Some((OaAdditional::Any(true), _)) => AdditionalProperties::Allowed {
                values: TypeRef::Any,
            },
            Some((OaAdditional::Schema(s), ap_pointer)) => AdditionalProperties::Allowed {
                values: self.type_of(
                    SchemaRef::of(s),
                    &ap_pointer,
                    &format!("{name}AdditionalProperty"),
                    false,
                )?,
            },
        };
        Ok(StructModel {
            fields,
            additional_properties,
        })
    }

    /// Gathers properties, `required` and `additionalProperties` from a
    /// schema and, recursively, from its `allOf` members.
    pub(super) fn collect_parts(
        &self,
        view: &View<'a>,
        pointer: &str,
        owner: &str,
        parts: &mut ObjectParts<'a>,
        visiting: &mut Vec<&'a str>,
        top: Top,
    ) -> Result<()> {
        let real_union = top == Top::Whole
            && view.one_of.iter().chain(view.any_of).any(|m| match m {
                ReferenceOr::Item(s) => {
                    let v = View::of(s);
                    !v.is_constraint_only() && !v.only_refines(view)
                }
                ReferenceOr::Reference { .. } => true,
            });
        if real_union {
            return Err(self.unsupported(
                pointer,
                FallbackReason::UnionInsideObject,
                "a `oneOf`/`anyOf` of shapes in an `allOf` member",
            ));
        }
        for (i, member) in view.all_of.iter().enumerate() {
            if top == Top::Without(i) {
                continue;
            }
            let member_pointer = format!("{pointer}/allOf/{i}");
            match member {
                ReferenceOr::Reference { reference } => {
                    let target = self.ref_target(reference, &member_pointer)?;
                    if visiting.contains(&target) {
                        return Err(self
                            .error(&member_pointer, format!("`allOf` cycle through {target:?}")));
                    }
                    let schema = self.component_schema(target, &member_pointer)?;
                    let member_view = View::of(schema);
                    if !member_view.has_properties()
                        && member_view.all_of.is_empty()
                        && !matches!(member_view.typ, None | Some("object"))
                    {
                        return Err(self.unsupported(
                            &member_pointer,
                            FallbackReason::AllOfUnmergeable,
                            format!("member {target:?} is not an object"),
                        ));
                    }
                    let target_owner = self
                        .component_names
                        .get(target)
                        .cloned()
                        .unwrap_or_else(|| names::type_name(target));
                    visiting.push(target);
                    self.collect_parts(
                        &member_view,
                        &self.component_pointer(target),
                        &target_owner,
                        parts,
                        visiting,
                        Top::Whole,
                    )?;
                    visiting.pop();
                }
                ReferenceOr::Item(schema) => {
                    let member_view = View::of(schema);
                    if !member_view.has_properties()
                        && member_view.all_of.is_empty()
                        && !member_view.is_constraint_only()
                        && !matches!(member_view.typ, None | Some("object"))
                    {
                        return Err(self.unsupported(
                            &member_pointer,
                            FallbackReason::AllOfUnmergeable,
                            format!(
                                "a member of type {} beside objects",
                                quote_elided(member_view.typ.unwrap_or_default())
                            ),
                        ));
                    }
                    self.collect_parts(
                        &member_view,
                        &member_pointer,
                        owner,
                        parts,
                        visiting,
                        Top::Whole,
                    )?;
                }
            }
        }
        if let Some(properties) = view.properties {
            for (key, schema) in properties {
                let prop_pointer = format!("{pointer}/properties/{}", escape_pointer_token(key));
                let schema = SchemaRef::of_boxed(schema);
                if let Some(existing) = parts.properties.get_mut(key) {
                    // A later member that only annotates (description,
                    // example) keeps the earlier schema and adds its docs.
                    if let SchemaRef::Inline(s) = schema
                        && View::of(s).is_constraint_only()
                    {
                        existing.annotations = Some((schema, prop_pointer));
                        continue;
                    }
                    let same = match (existing.schema, schema) {
                        (SchemaRef::Ref(a), SchemaRef::Ref(b)) => a == b,
                        (SchemaRef::Inline(a), SchemaRef::Inline(b)) => a == b,
                        _ => false,
                    };
                    if !same {
                        parts.conflicts.push((
                            key.clone(),
                            existing.pointer.clone(),
                            prop_pointer.clone(),
                        ));
                    }
                }
                parts.properties.insert(
                    key.clone(),
                    PropertyPart {
                        schema,
                        pointer: prop_pointer,
                        owner: owner.to_string(),
                        annotations: None,
                    },
                );
            }
        }
        parts
            .required
            .extend(view.required.iter().map(String::as_str));
        parts.required_at.extend(
            view.required
                .iter()
                .enumerate()
                .map(|(i, key)| (key.as_str(), format!("{pointer}/required/{i}"))),
        );
        if let Some(additional) = view.additional {
            parts.additional = Some((additional, format!("{pointer}/additionalProperties")));
        }
        Ok(())
    }

    /// The facts that document a field, following `$ref` as the page format
    /// prescribes (see ARCHITECTURE.md, "Field documentation").
    pub(super) fn field_docs(&self, schema: SchemaRef<'a>, pointer: &str) -> Result<FieldDocs> {
        Ok(match schema {
            SchemaRef::Ref(reference) => {
                let target = self.ref_target(reference, pointer)?;
                let data = &self.component_schema(target, pointer)?.schema_data;
                FieldDocs::from_data(data)
            }
            SchemaRef::Inline(schema) => {
                let data = &schema.schema_data;
                let mut docs = FieldDocs::from_data(data);
                let view = View::of(schema);
                if let [ReferenceOr::Reference { reference }] = view.all_of
                    && docs.example.is_none()
                {
                    let target = self.ref_target(reference, pointer)?;
                    docs.example = self
                        .component_schema(target, pointer)?
                        .schema_data
                        .example
                        .as_deref()
                        .cloned();
                }
                docs
            }
        })
    }
}
