//! Builds the [`Ir`] from a loaded spec.
//!
//! Traversal order, which fixes every invented name: component schemas sorted
//! by their spec name (bytewise); inside a schema, properties in spec order,
//! depth first. Component names are claimed before any inline name.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties as OaAdditional, IntegerFormat, NumberFormat, ReferenceOr, Schema,
    SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::names::{self, NameAllocator};
use super::{
    AdditionalProperties, EnumModel, EnumVariant, ExampleCase, Field, IR_VERSION, Ir, Model,
    ModelKind, Origin, Primitive, StructModel, TypeRef, UnionModel, UnionVariant,
};
use crate::error::{Error, Result, escape_pointer_token};
use crate::load::LoadedSpec;

const COMPONENTS_PREFIX: &str = "#/components/schemas/";

/// Builds the IR of a loaded spec.
pub fn build(spec: &LoadedSpec) -> Result<Ir> {
    let empty = IndexMap::new();
    let components = spec
        .openapi
        .components
        .as_ref()
        .map_or(&empty, |c| &c.schemas);
    let mut builder = Builder {
        file: &spec.path,
        document: &spec.document,
        components,
        component_names: HashMap::new(),
        names: NameAllocator::default(),
        models: Vec::new(),
        resolved: HashMap::new(),
        inline_models: HashMap::new(),
        examples: Vec::new(),
        noted_examples: HashSet::new(),
    };
    builder.run()?;
    let mut models = builder.models;
    let mut examples = builder.examples;
    models.sort_by(|a, b| a.name.cmp(&b.name));
    mark_boxes(&mut models);
    let mut ir = Ir {
        version: IR_VERSION,
        title: spec.openapi.info.title.clone(),
        models,
        examples: Vec::new(),
    };
    for example in &mut examples {
        example.invalid = super::examples::mismatch(&ir, &example.ty, &example.value);
    }
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    ir.examples = examples;
    Ok(ir)
}

/// A schema or a reference to one, whatever box it comes in.
#[derive(Clone, Copy)]
enum SchemaRef<'s> {
    Ref(&'s str),
    Inline(&'s Schema),
}

impl<'s> SchemaRef<'s> {
    fn of(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }

    fn of_boxed(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// One flat view of a schema, whichever `openapiv3` variant holds it.
struct View<'s> {
    data: &'s SchemaData,
    typ: Option<&'s str>,
    format: Option<String>,
    enumeration: Vec<Value>,
    properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'s [String],
    additional: Option<&'s OaAdditional>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    one_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    all_of: &'s [ReferenceOr<Schema>],
    has_not: bool,
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
    fn of(schema: &'s Schema) -> Self {
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
            SchemaKind::Not { .. } => view.has_not = true,
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
                view.has_not = a.not.is_some();
            }
        }
        view
    }

    fn has_properties(&self) -> bool {
        self.properties.is_some_and(|p| !p.is_empty())
    }
}

/// What a schema turns into.
enum Shape<'s> {
    /// `allOf` with a single `$ref` and nothing else: the referenced type.
    Wrapper(&'s str),
    /// An object (possibly merged from `allOf`): a struct model.
    Struct,
    /// `oneOf` / `anyOf`: a union model.
    Union(&'s [ReferenceOr<Schema>]),
    /// A string enum model.
    Enum,
    /// An array.
    Array(&'s ReferenceOr<Box<Schema>>),
    /// An object without listed properties: a map.
    Map(Option<&'s OaAdditional>),
    /// A scalar.
    Primitive(Primitive),
    /// No constraints: any JSON value.
    Any,
}

impl Shape<'_> {
    fn is_model(&self) -> bool {
        matches!(self, Shape::Struct | Shape::Union(_) | Shape::Enum)
    }
}

struct Builder<'a> {
    file: &'a Path,
    document: &'a Value,
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    /// Spec component name → Rust type name.
    component_names: HashMap<&'a str, String>,
    names: NameAllocator,
    models: Vec<Model>,
    /// Component spec name → its type, `None` while being resolved.
    resolved: HashMap<&'a str, Option<TypeRef>>,
    /// Pointer of an inline schema → the model made for it, so a schema
    /// reached twice (through `allOf` merging) yields one model.
    inline_models: HashMap<String, String>,
    examples: Vec<ExampleCase>,
    /// Pointers of the examples already noted.
    noted_examples: HashSet<String>,
}

fn component_pointer(name: &str) -> String {
    format!("/components/schemas/{}", escape_pointer_token(name))
}

impl<'a> Builder<'a> {
    fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::spec(self.file, pointer, message)
    }

    fn run(&mut self) -> Result<()> {
        let mut sorted: Vec<&'a String> = self.components.keys().collect();
        sorted.sort();
        for name in &sorted {
            let rust = self.names.claim(&names::type_name(name));
            self.component_names.insert(name.as_str(), rust);
        }
        for name in sorted {
            let pointer = component_pointer(name);
            let rust = self.component_names.get(name.as_str()).cloned();
            let (Some(schema), Some(rust)) = (self.components.get(name), rust) else {
                continue;
            };
            match schema {
                ReferenceOr::Item(schema)
                    if self.shape(&View::of(schema), &pointer)?.is_model() =>
                {
                    let origin = Origin {
                        pointer: pointer.clone(),
                        schema_name: Some(name.clone()),
                        name_given: true,
                    };
                    self.build_model(&rust, schema, origin)?;
                    self.note_example(&schema.schema_data, &pointer, TypeRef::model(&rust));
                }
                _ => {
                    let target = self.resolve_component(name, &pointer)?;
                    let (description, deprecated, example) = match schema {
                        ReferenceOr::Item(s) => (
                            s.schema_data.description.clone(),
                            s.schema_data.deprecated,
                            s.schema_data.example.clone(),
                        ),
                        ReferenceOr::Reference { .. } => (None, false, None),
                    };
                    self.models.push(Model {
                        name: rust,
                        origin: Origin {
                            pointer,
                            schema_name: Some(name.clone()),
                            name_given: true,
                        },
                        description,
                        deprecated,
                        example,
                        kind: ModelKind::Alias { target },
                    });
                }
            }
        }
        Ok(())
    }

    /// Classifies a schema, failing loudly on what is not supported yet.
    fn shape<'s>(&self, view: &View<'s>, pointer: &str) -> Result<Shape<'s>> {
        if view.has_not {
            return Err(self.error(pointer, "`not` schemas are not supported yet"));
        }
        let unions = usize::from(!view.one_of.is_empty()) + usize::from(!view.any_of.is_empty());
        if !view.all_of.is_empty() {
            if unions > 0 {
                return Err(self.error(
                    pointer,
                    "`allOf` together with `oneOf`/`anyOf` in one schema is not supported yet",
                ));
            }
            if let [ReferenceOr::Reference { reference }] = view.all_of
                && !view.has_properties()
            {
                return Ok(Shape::Wrapper(reference));
            }
            return Ok(Shape::Struct);
        }
        if unions > 0 {
            if unions > 1 || view.has_properties() {
                return Err(self.error(
                    pointer,
                    "`oneOf`/`anyOf` combined with other `oneOf`/`anyOf` or with `properties` is not supported yet",
                ));
            }
            if view.data.discriminator.is_some() {
                return Err(self.error(
                    pointer,
                    "`discriminator` is not supported yet (a union without it is)",
                ));
            }
            let members = if view.one_of.is_empty() {
                view.any_of
            } else {
                view.one_of
            };
            return Ok(Shape::Union(members));
        }
        if !view.enumeration.is_empty() {
            let all_strings = view
                .enumeration
                .iter()
                .all(|v| v.is_string() || v.is_null());
            if matches!(view.typ, None | Some("string")) && all_strings {
                return Ok(Shape::Enum);
            }
            return Err(self.error(
                pointer,
                format!(
                    "enums of type {} are not supported yet (string enums are)",
                    view.typ.unwrap_or("(none)")
                ),
            ));
        }
        let format = view.format.as_deref();
        match view.typ {
            Some("string") => Ok(Shape::Primitive(match format {
                Some("date-time") => Primitive::DateTime,
                Some("date") => Primitive::Date,
                _ => Primitive::String,
            })),
            Some("integer") => Ok(Shape::Primitive(match format {
                Some("int32") => Primitive::I32,
                _ => Primitive::I64,
            })),
            Some("number") => Ok(Shape::Primitive(match format {
                Some("float") => Primitive::F32,
                _ => Primitive::F64,
            })),
            Some("boolean") => Ok(Shape::Primitive(Primitive::Bool)),
            Some("array") => match view.items {
                Some(items) => Ok(Shape::Array(items)),
                None => Err(self.error(pointer, "array schema without `items`")),
            },
            Some("object") | None if view.has_properties() => Ok(Shape::Struct),
            Some("object") => Ok(Shape::Map(view.additional)),
            None if view.additional.is_some() => Ok(Shape::Map(view.additional)),
            None => Ok(Shape::Any),
            Some(other) => Err(self.error(pointer, format!("unknown schema type {other:?}"))),
        }
    }

    /// The component name a `$ref` points to.
    fn ref_target(&self, reference: &str, pointer: &str) -> Result<&'a str> {
        let name = reference.strip_prefix(COMPONENTS_PREFIX).ok_or_else(|| {
            self.error(
                pointer,
                format!(
                    "$ref {reference:?}: only references to #/components/schemas/<name> are supported yet"
                ),
            )
        })?;
        let decoded = name.replace("~1", "/").replace("~0", "~");
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
    fn component_schema(&self, mut name: &'a str, pointer: &str) -> Result<&'a Schema> {
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
                    name = self.ref_target(reference, &component_pointer(name))?;
                }
                None => {
                    return Err(self.error(pointer, format!("no component schema named {name:?}")));
                }
            }
        }
    }

    /// The type that a reference to component `name` stands for.
    fn resolve_component(&mut self, name: &'a str, pointer: &str) -> Result<TypeRef> {
        match self.resolved.get(name) {
            Some(Some(ty)) => return Ok(ty.clone()),
            Some(None) => {
                return Err(self.error(
                    pointer,
                    format!("$ref cycle through {name:?} never reaches a type"),
                ));
            }
            None => {}
        }
        let own_pointer = component_pointer(name);
        let rust =
            self.component_names.get(name).cloned().ok_or_else(|| {
                self.error(pointer, format!("no component schema named {name:?}"))
            })?;
        let schema = self.components.get(name);
        if let Some(ReferenceOr::Item(s)) = schema
            && self.shape(&View::of(s), &own_pointer)?.is_model()
        {
            let ty = TypeRef::model(rust);
            self.resolved.insert(name, Some(ty.clone()));
            return Ok(ty);
        }
        self.resolved.insert(name, None);
        let ty = match schema {
            Some(ReferenceOr::Item(s)) => {
                self.type_of(SchemaRef::Inline(s), &own_pointer, &rust, false)?
            }
            Some(ReferenceOr::Reference { reference }) => {
                let target = self.ref_target(reference, &own_pointer)?;
                let ty = self.resolve_component(target, &format!("{own_pointer}/$ref"))?;
                let nullable = self
                    .component_schema(target, &own_pointer)?
                    .schema_data
                    .nullable;
                nullable_if(ty, nullable)
            }
            None => return Err(self.error(pointer, format!("no component schema named {name:?}"))),
        };
        self.resolved.insert(name, Some(ty.clone()));
        Ok(ty)
    }

    /// The type of a schema used somewhere, creating models for inline
    /// objects, enums and unions (named after `hint`). The result includes
    /// `Nullable` when the schema allows `null`.
    fn type_of(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &str,
        hint: &str,
        is_property: bool,
    ) -> Result<TypeRef> {
        let schema = match schema {
            SchemaRef::Ref(reference) => {
                let target = self.ref_target(reference, &format!("{pointer}/$ref"))?;
                let ty = self.resolve_component(target, pointer)?;
                let nullable = self.component_schema(target, pointer)?.schema_data.nullable;
                let ty = nullable_if(ty, nullable);
                // OpenAPI 3.0 ignores keys beside `$ref`, but an example there
                // is still data the spec offers: check it against the type.
                if let Some(example) = self
                    .document
                    .pointer(pointer)
                    .and_then(|v| v.get("example"))
                {
                    self.push_example(format!("{pointer}/example"), ty.clone(), example);
                }
                return Ok(ty);
            }
            SchemaRef::Inline(schema) => schema,
        };
        let view = View::of(schema);
        let ty = match self.shape(&view, pointer)? {
            Shape::Wrapper(reference) => {
                let inner = self.type_of(
                    SchemaRef::Ref(reference),
                    &format!("{pointer}/allOf/0"),
                    hint,
                    is_property,
                )?;
                strip_nullable(inner)
            }
            Shape::Struct | Shape::Union(_) | Shape::Enum => {
                if let Some(name) = self.inline_models.get(pointer) {
                    let ty = nullable_if(TypeRef::model(name), schema.schema_data.nullable);
                    return Ok(ty);
                }
                let name = self.names.claim(hint);
                self.inline_models.insert(pointer.to_string(), name.clone());
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
                let items = self.type_of(
                    SchemaRef::of_boxed(items),
                    &format!("{pointer}/items"),
                    &items_hint,
                    false,
                )?;
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
            Shape::Any => TypeRef::Any,
        };
        let nullable = schema.schema_data.nullable || view.enumeration.contains(&Value::Null);
        let ty = if ty == TypeRef::Any {
            ty
        } else {
            nullable_if(ty, nullable)
        };
        self.note_example(&schema.schema_data, pointer, ty.clone());
        Ok(ty)
    }

    fn note_example(&mut self, data: &SchemaData, pointer: &str, ty: TypeRef) {
        if let Some(value) = &data.example {
            self.push_example(format!("{pointer}/example"), ty, value);
        }
    }

    fn push_example(&mut self, pointer: String, ty: TypeRef, value: &Value) {
        if self.noted_examples.insert(pointer.clone()) {
            self.examples.push(ExampleCase {
                pointer,
                ty,
                value: value.clone(),
                invalid: None,
            });
        }
    }

    /// Builds a struct, enum or union model named `name` and adds it.
    fn build_model(&mut self, name: &str, schema: &'a Schema, origin: Origin) -> Result<()> {
        let view = View::of(schema);
        let pointer = origin.pointer.clone();
        let kind = match self.shape(&view, &pointer)? {
            Shape::Struct => ModelKind::Struct(self.build_struct(name, &view, &pointer)?),
            Shape::Enum => ModelKind::Enum(build_enum(&view)),
            Shape::Union(members) => ModelKind::Union(self.build_union(name, members, &pointer)?),
            _ => return Err(self.error(&pointer, "internal: not a model schema")),
        };
        self.models.push(Model {
            name: name.to_string(),
            origin,
            description: schema.schema_data.description.clone(),
            deprecated: schema.schema_data.deprecated,
            example: schema.schema_data.example.clone(),
            kind,
        });
        Ok(())
    }

    fn build_struct(&mut self, name: &str, view: &View<'a>, pointer: &str) -> Result<StructModel> {
        let mut parts = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_parts(view, pointer, name, &mut parts, &mut visiting)?;
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire_name, (schema, prop_pointer, owner)) in &parts.properties {
            // Inline schemas are named after the model that declares them,
            // which for merged `allOf` members is the referenced component.
            let hint = format!("{owner}{}", wire_name.to_upper_camel_case());
            let ty = self.type_of(*schema, prop_pointer, &hint, true)?;
            let (ty, nullable) = match ty {
                TypeRef::Nullable { inner } => (*inner, true),
                other => (other, false),
            };
            let docs = self.field_docs(*schema, prop_pointer)?;
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
    fn collect_parts(
        &self,
        view: &View<'a>,
        pointer: &str,
        owner: &str,
        parts: &mut ObjectParts<'a>,
        visiting: &mut Vec<&'a str>,
    ) -> Result<()> {
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            return Err(self.error(
                pointer,
                "`oneOf`/`anyOf` inside an `allOf` member is not supported yet",
            ));
        }
        for (i, member) in view.all_of.iter().enumerate() {
            match member {
                ReferenceOr::Reference { reference } => {
                    let member_pointer = format!("{pointer}/allOf/{i}");
                    let target = self.ref_target(reference, &member_pointer)?;
                    if visiting.contains(&target) {
                        return Err(self
                            .error(&member_pointer, format!("`allOf` cycle through {target:?}")));
                    }
                    let schema = self.component_schema(target, &member_pointer)?;
                    let target_owner = self
                        .component_names
                        .get(target)
                        .cloned()
                        .unwrap_or_else(|| names::type_name(target));
                    visiting.push(target);
                    self.collect_parts(
                        &View::of(schema),
                        &component_pointer(target),
                        &target_owner,
                        parts,
                        visiting,
                    )?;
                    visiting.pop();
                }
                ReferenceOr::Item(schema) => {
                    self.collect_parts(
                        &View::of(schema),
                        &format!("{pointer}/allOf/{i}"),
                        owner,
                        parts,
                        visiting,
                    )?;
                }
            }
        }
        if !view.all_of.is_empty()
            && !view.has_properties()
            && !matches!(view.typ, None | Some("object"))
        {
            return Err(self.error(
                pointer,
                "`allOf` of non-object schemas is not supported yet",
            ));
        }
        if let Some(properties) = view.properties {
            for (key, schema) in properties {
                let prop_pointer = format!("{pointer}/properties/{}", escape_pointer_token(key));
                parts.properties.insert(
                    key.clone(),
                    (SchemaRef::of_boxed(schema), prop_pointer, owner.to_string()),
                );
            }
        }
        parts
            .required
            .extend(view.required.iter().map(String::as_str));
        if let Some(additional) = view.additional {
            parts.additional = Some((additional, format!("{pointer}/additionalProperties")));
        }
        Ok(())
    }

    /// The facts that document a field, following `$ref` as the page format
    /// prescribes (see ARCHITECTURE.md, "Field documentation").
    fn field_docs(&self, schema: SchemaRef<'a>, pointer: &str) -> Result<FieldDocs> {
        Ok(match schema {
            SchemaRef::Ref(reference) => {
                let target = self.ref_target(reference, pointer)?;
                let data = &self.component_schema(target, pointer)?.schema_data;
                FieldDocs::from_data(data)
            }
            SchemaRef::Inline(schema) => {
                let data = &schema.schema_data;
                let mut docs = FieldDocs::from_data(data);
                if let SchemaKind::AllOf { all_of } = &schema.schema_kind
                    && let [ReferenceOr::Reference { reference }] = all_of.as_slice()
                    && docs.example.is_none()
                {
                    let target = self.ref_target(reference, pointer)?;
                    docs.example = self
                        .component_schema(target, pointer)?
                        .schema_data
                        .example
                        .clone();
                }
                docs
            }
        })
    }

    fn build_union(
        &mut self,
        name: &str,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
    ) -> Result<UnionModel> {
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/{}/{i}", union_key(self.document, pointer));
            let schema = SchemaRef::of(member);
            let hint = format!("{name}Variant{}", i + 1);
            let ty = self.type_of(schema, &member_pointer, &hint, false)?;
            let rust_name = match schema {
                SchemaRef::Ref(reference) => {
                    let target = self.ref_target(reference, &member_pointer)?;
                    self.component_names
                        .get(target)
                        .cloned()
                        .unwrap_or_else(|| names::type_name(target))
                }
                SchemaRef::Inline(_) => type_label(&ty),
            };
            variants.push(UnionVariant {
                rust_name,
                ty,
                boxed: false,
            });
        }
        let rust_names = names::dedupe(variants.iter().map(|v| v.rust_name.clone()).collect());
        for (variant, rust_name) in variants.iter_mut().zip(rust_names) {
            variant.rust_name = rust_name;
        }
        Ok(UnionModel { variants })
    }
}

/// Which key (`oneOf` or `anyOf`) holds a union's members in the document.
fn union_key(document: &Value, pointer: &str) -> &'static str {
    match document.pointer(pointer) {
        Some(v) if v.get("oneOf").is_some() => "oneOf",
        _ => "anyOf",
    }
}

/// A name for a union variant that holds an unnamed type.
fn type_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive { primitive } => match primitive {
            Primitive::String => "String",
            Primitive::Bool => "Bool",
            Primitive::I32 => "I32",
            Primitive::I64 => "I64",
            Primitive::F32 => "F32",
            Primitive::F64 => "F64",
            Primitive::DateTime => "DateTime",
            Primitive::Date => "Date",
        }
        .to_string(),
        TypeRef::Model { name } => name.clone(),
        TypeRef::Array { items } => format!("{}Array", type_label(items)),
        TypeRef::Map { values } => format!("{}Map", type_label(values)),
        TypeRef::Nullable { inner } => type_label(inner),
        TypeRef::Any => "Value".to_string(),
    }
}

fn nullable_if(ty: TypeRef, nullable: bool) -> TypeRef {
    match ty {
        TypeRef::Nullable { .. } | TypeRef::Any => ty,
        _ if nullable => TypeRef::Nullable {
            inner: Box::new(ty),
        },
        _ => ty,
    }
}

fn strip_nullable(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable { inner } => *inner,
        other => other,
    }
}

fn build_enum(view: &View<'_>) -> EnumModel {
    let values: Vec<String> = view
        .enumeration
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let rust_names = names::dedupe(values.iter().map(|v| names::variant_name(v)).collect());
    EnumModel {
        variants: values
            .into_iter()
            .zip(rust_names)
            .map(|(value, rust_name)| EnumVariant { rust_name, value })
            .collect(),
    }
}

#[derive(Default)]
struct ObjectParts<'a> {
    /// Property name → (schema, its pointer, name of the model declaring it).
    properties: IndexMap<String, (SchemaRef<'a>, String, String)>,
    required: BTreeSet<&'a str>,
    additional: Option<(&'a OaAdditional, String)>,
}

struct FieldDocs {
    description: Option<String>,
    example: Option<Value>,
    default: Option<Value>,
    deprecated: bool,
    read_only: bool,
    write_only: bool,
}

impl FieldDocs {
    fn from_data(data: &SchemaData) -> Self {
        FieldDocs {
            description: data.description.clone(),
            example: data.example.clone(),
            default: data.default.clone(),
            deprecated: data.deprecated,
            read_only: data.read_only,
            write_only: data.write_only,
        }
    }
}

/// Marks the fields and union members that must be boxed: those that hold,
/// by value, a model in the same cycle of by-value containment.
/// `Vec` and maps already put values on the heap, so they break cycles.
fn mark_boxes(models: &mut [Model]) {
    let index: HashMap<String, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = models
        .iter()
        .map(|m| {
            let mut out = Vec::new();
            for ty in by_value_types(&m.kind) {
                by_value_models(ty, models, &index, &mut out);
            }
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    for i in 0..models.len() {
        let Some(&own) = component.get(i) else {
            continue;
        };
        let in_cycle = |ty: &TypeRef| {
            let mut hits = Vec::new();
            by_value_models(ty, models, &index, &mut hits);
            hits.iter().any(|&j| component.get(j) == Some(&own))
        };
        let boxes: Vec<bool> = by_value_types(&models[i].kind)
            .into_iter()
            .map(in_cycle)
            .collect();
        match &mut models[i].kind {
            ModelKind::Struct(s) => {
                for (field, boxed) in s.fields.iter_mut().zip(boxes) {
                    field.boxed = boxed;
                }
            }
            ModelKind::Union(u) => {
                for (variant, boxed) in u.variants.iter_mut().zip(boxes) {
                    variant.boxed = boxed;
                }
            }
            _ => {}
        }
    }
}

/// The types a model holds directly, one per field or variant.
fn by_value_types(kind: &ModelKind) -> Vec<&TypeRef> {
    match kind {
        ModelKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        ModelKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        ModelKind::Alias { target } => vec![target],
        ModelKind::Enum(_) => Vec::new(),
    }
}

/// Models reached by value from `ty` (through `Option` and aliases, not `Vec` or maps).
fn by_value_models(
    ty: &TypeRef,
    models: &[Model],
    index: &HashMap<String, usize>,
    out: &mut Vec<usize>,
) {
    match ty {
        TypeRef::Model { name } => {
            if let Some(&i) = index.get(name) {
                if let Some(Model {
                    kind: ModelKind::Alias { target },
                    ..
                }) = models.get(i)
                {
                    by_value_models(target, models, index, out);
                } else {
                    out.push(i);
                }
            }
        }
        TypeRef::Nullable { inner } => by_value_models(inner, models, index, out),
        TypeRef::Array { .. } | TypeRef::Map { .. } | TypeRef::Primitive { .. } | TypeRef::Any => {}
    }
}

/// Tarjan's algorithm, iterative: the component number of every node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn tarjan_finds_cycles() {
        // 0 → 1 → 2 → 0, 3 → 0, 4 → 4
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4]];
        let c = strongly_connected(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }
}
