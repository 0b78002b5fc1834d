//! References and the fallback: the type of a schema use ([`Builder::type_of`]),
//! what a `$ref` to a component stands for (aliases resolved, newtypes for
//! components that contain themselves through arrays or maps), and the one
//! fallback: a schema that cannot be typed exactly is `serde_json::Value`
//! with a located warning, whether that is found by `shape` or deep inside
//! the schema's model (an error from [`Builder::unsupported`], caught by the
//! schema being typed, so one odd construct costs only the smallest schema
//! that holds it).

use super::*;

/// A construct found deep inside a schema's model that cannot be typed
/// exactly, on its way up to that schema as an error.
pub(super) struct PendingFallback {
    /// The error's message, to recognise it.
    pub(super) message: String,
    pub(super) pointer: String,
    pub(super) reason: FallbackReason,
}

impl<'a> Builder<'a> {
    /// The error for a construct inside a model that cannot be typed
    /// exactly. It travels up to the schema whose model is being built
    /// ([`Builder::type_of`], or a component in [`Builder::run`]), which
    /// then falls back instead of failing.
    pub(super) fn unsupported(
        &self,
        pointer: &str,
        reason: FallbackReason,
        detail: impl Into<String>,
    ) -> Error {
        let detail = detail.into();
        let message = warning_message(reason, &detail);
        *self.pending_fallback.borrow_mut() = Some(PendingFallback {
            message: message.clone(),
            pointer: pointer.to_string(),
            reason,
        });
        self.error(pointer, message)
    }

    /// The fallback that `error` stands for, if it came from
    /// [`Builder::unsupported`]; the warning is recorded.
    pub(super) fn take_fallback(&mut self, error: &Error) -> Option<FallbackReason> {
        let Error::Spec { message, .. } = error else {
            return None;
        };
        let pending = self.pending_fallback.borrow_mut().take()?;
        if pending.message != *message {
            return None;
        }
        self.warn(&pending.pointer, pending.message);
        Some(pending.reason)
    }

    /// The one fallback: the schema at `pointer` is typed
    /// `serde_json::Value`, with a located warning saying why.
    pub(super) fn fallback(
        &mut self,
        pointer: &str,
        reason: FallbackReason,
        detail: &str,
    ) -> TypeRef {
        self.warn(pointer, warning_message(reason, detail));
        self.fallen.insert(pointer.to_string(), reason);
        TypeRef::Fallback { reason }
    }

    /// The component name a `$ref` points to.
    pub(super) fn ref_target(&self, reference: &str, pointer: &str) -> Result<&'a str> {
        let name = reference.strip_prefix(COMPONENTS_PREFIX).ok_or_else(|| {
            self.error(
                pointer,
                format!(
                    "$ref {reference:?}: only references to #/components/schemas/<name> are supported yet"
                ),
            )
        })?;
        let decoded = component_name(name);
        self.components
            .get_key_value(decoded.as_str())
            .map(|(k, _)| k.as_str())
            .ok_or_else(|| {
                self.error(
                    pointer,
                    format!("$ref {reference:?} points nowhere: there is no such component schema"),
                )
            })
    }

    /// Follows component-to-component references to the schema at the end.
    pub(super) fn component_schema(&self, mut name: &'a str, pointer: &str) -> Result<&'a Schema> {
        let mut seen = HashSet::new();
        loop {
            if !seen.insert(name) {
                return Err(self.error(
                    pointer,
                    format!("$ref cycle through {name:?} never reaches a schema"),
                ));
            }
            match self.components.get(name) {
                Some(ReferenceOr::Item(schema)) => return Ok(schema),
                Some(ReferenceOr::Reference { reference }) => {
                    name = self.ref_target(reference, &self.component_pointer(name))?;
                }
                None => {
                    return Err(self.error(pointer, format!("no component schema named {name:?}")));
                }
            }
        }
    }

    /// The type that a reference to component `name` stands for.
    pub(super) fn resolve_component(&mut self, name: &'a str, pointer: &str) -> Result<TypeRef> {
        match self.resolved.get(name) {
            Some(Some(ty)) => return Ok(ty.clone()),
            Some(None) => {
                // Reached again while its type is being worked out: unless
                // it is a chain of references, it becomes a newtype (a Rust
                // alias cannot contain itself), checked once the type is known.
                if let (Some(ReferenceOr::Item(_)), Some(rust)) =
                    (self.components.get(name), self.component_names.get(name))
                {
                    let rust = rust.clone();
                    self.newtypes.insert(name);
                    return Ok(TypeRef::model(rust));
                }
                return Err(self.error(
                    pointer,
                    format!("$ref cycle through {name:?} never reaches a type"),
                ));
            }
            None => {}
        }
        if let Some(path) = self.replaced.get(name).cloned() {
            let nullable = matches!(self.components.get(name),
                Some(ReferenceOr::Item(s)) if view_nullable(&View::of(s)));
            let ty = nullable_if(TypeRef::External { path }, nullable);
            self.resolved.insert(name, Some(ty.clone()));
            return Ok(ty);
        }
        let own_pointer = self.component_pointer(name);
        let rust =
            self.component_names.get(name).cloned().ok_or_else(|| {
                self.error(pointer, format!("no component schema named {name:?}"))
            })?;
        let schema = self.components.get(name);
        if let Some(ReferenceOr::Item(s)) = schema {
            let view = View::of(s);
            if self.shape(&view, &own_pointer)?.is_model() {
                let ty = nullable_if(TypeRef::model(rust), view_nullable(&view));
                self.resolved.insert(name, Some(ty.clone()));
                return Ok(ty);
            }
        }
        self.resolved.insert(name, None);
        let ty = match schema {
            Some(ReferenceOr::Item(s)) => {
                let ty = self.type_of(SchemaRef::Inline(s), &own_pointer, &rust, false)?;
                if self.newtypes.contains(name) {
                    return self.finish_newtype(name, s, &rust, ty);
                }
                ty
            }
            Some(ReferenceOr::Reference { reference }) => {
                let target = self.ref_target(reference, &own_pointer)?;
                self.resolve_component(target, &format!("{own_pointer}/$ref"))?
            }
            None => return Err(self.error(pointer, format!("no component schema named {name:?}"))),
        };
        self.resolved.insert(name, Some(ty.clone()));
        Ok(ty)
    }

    /// Component `name`, whose type `inner` mentions itself, as a newtype
    /// model; an error when it holds itself by value (not inside an array
    /// or a map), which no Rust type can: a type made only of itself.
    pub(super) fn finish_newtype(
        &mut self,
        name: &'a str,
        schema: &'a Schema,
        rust: &str,
        inner: TypeRef,
    ) -> Result<TypeRef> {
        let pointer = self.component_pointer(name);
        let mut by_value = &inner;
        while let TypeRef::Nullable { inner } = by_value {
            by_value = inner;
        }
        if matches!(by_value, TypeRef::Model { name: n } if n == rust) {
            return Err(self.error(
                &pointer,
                format!("{name:?} is made only of itself: no value can be written for it"),
            ));
        }
        let origin = self.component_origin(name);
        let model = model_of(rust, origin, Some(schema), ModelKind::Newtype { inner });
        self.models.push(model);
        let ty = TypeRef::model(rust);
        self.resolved.insert(name, Some(ty.clone()));
        Ok(ty)
    }

    /// The type of a schema used somewhere, creating models for inline
    /// objects, enums and unions (named after `hint`). The result includes
    /// `Nullable` when the schema allows `null`.
    pub(super) fn type_of(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &str,
        hint: &str,
        is_property: bool,
    ) -> Result<TypeRef> {
        match self.type_of_exact(schema, pointer, hint, is_property) {
            Ok(ty) => Ok(ty),
            Err(error) => match self.take_fallback(&error) {
                Some(reason) => {
                    // The model begun for it (if any) was never added.
                    self.inline_models.remove(pointer);
                    self.fallen.insert(pointer.to_string(), reason);
                    Ok(TypeRef::Fallback { reason })
                }
                None => Err(error),
            },
        }
    }

    /// [`Builder::type_of`] without the fallback for what is found inside
    /// the schema's model.
    pub(super) fn type_of_exact(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &str,
        hint: &str,
        is_property: bool,
    ) -> Result<TypeRef> {
        if let Some(&reason) = self.fallen.get(pointer) {
            return Ok(TypeRef::Fallback { reason });
        }
        let schema = match schema {
            SchemaRef::Ref(reference) => {
                let target = self.ref_target(reference, &format!("{pointer}/$ref"))?;
                let ty = self.resolve_component(target, pointer)?;
                // OpenAPI 3.0 ignores keys beside `$ref`, but an example there
                // is still data the spec offers: check it against the type.
                if let Some(example) = self.ref_examples.get(pointer) {
                    self.push_example(format!("{pointer}/example"), ty.clone(), example);
                }
                return Ok(ty);
            }
            SchemaRef::Inline(schema) => schema,
        };
        let view = View::of(schema);
        let nullable = view_nullable(&view);
        let ty = match self.shape(&view, pointer)? {
            Shape::Single(member, at) => {
                self.type_of(member, &format!("{pointer}/{at}"), hint, is_property)?
            }
            Shape::Struct | Shape::Union(_) | Shape::Enum(..) | Shape::Distributed(_) => {
                if let Some(name) = self.inline_models.get(pointer) {
                    return Ok(nullable_if(TypeRef::model(name), nullable));
                }
                // An inline schema written out identically elsewhere (same
                // JSON, descriptions included) is the same type: reuse the
                // model of its first occurrence, and copy that model's
                // examples to this place so every example is still tested.
                // A union that dropped members to break a cycle is not the
                // same type as its text elsewhere (nor the other way round).
                let fixed = self.union_fixes.contains_key(pointer);
                let seen = (!fixed).then(|| self.identical.get(schema)).flatten();
                if let Some((_, first)) = seen
                    && let Some(&reason) = self.fallen.get(first)
                {
                    self.fallen.insert(pointer.to_string(), reason);
                    return Ok(TypeRef::Fallback { reason });
                }
                if let Some((name, first)) = seen.cloned() {
                    self.inline_models.insert(pointer.to_string(), name.clone());
                    self.copy_examples(&first, pointer);
                    return Ok(nullable_if(TypeRef::model(name), nullable));
                }
                let name = match given_name(&view) {
                    Some(given) => self.names.claim(&names::type_name(&given)),
                    None => self.names.claim(hint),
                };
                self.inline_models.insert(pointer.to_string(), name.clone());
                if !fixed {
                    self.identical
                        .insert(schema, (name.clone(), pointer.to_string()));
                }
                let origin = Origin {
                    pointer: pointer.to_string(),
                    schema_name: None,
                    name_given: false,
                };
                self.build_model(&name, schema, origin)?;
                TypeRef::model(name)
            }
            Shape::Array(items) => {
                let items_hint = if is_property {
                    hint.to_string()
                } else {
                    format!("{hint}Item")
                };
                let items = match items {
                    Some(items) => self.type_of(
                        SchemaRef::of_boxed(items),
                        &format!("{pointer}/items"),
                        &items_hint,
                        false,
                    )?,
                    None => TypeRef::Any,
                };
                TypeRef::Array {
                    items: Box::new(items),
                }
            }
            Shape::Map(additional) => {
                let values = match additional {
                    Some(OaAdditional::Schema(s)) => self.type_of(
                        SchemaRef::of(s),
                        &format!("{pointer}/additionalProperties"),
                        &format!("{hint}Value"),
                        false,
                    )?,
                    Some(OaAdditional::Any(_)) | None => TypeRef::Any,
                };
                TypeRef::Map {
                    values: Box::new(values),
                }
            }
            Shape::Primitive(p) => TypeRef::primitive(p),
            Shape::External(path) => TypeRef::External { path },
            Shape::Any => TypeRef::Any,
            Shape::Fallback(reason, detail) => self.fallback(pointer, reason, &detail),
            Shape::Tuple(positions) => TypeRef::Array {
                items: Box::new(self.fallback(
                    &format!("{pointer}/items"),
                    FallbackReason::TupleItems,
                    &format!("{positions} positions, each with its own schema"),
                )),
            },
        };
        let ty = nullable_if(ty, nullable);
        self.note_example(&schema.schema_data, pointer, ty.clone());
        Ok(ty)
    }
}
