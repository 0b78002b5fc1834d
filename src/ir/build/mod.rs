//! Builds the [`Ir`] from a loaded spec.
//!
//! Traversal order, which fixes every invented name: component schemas
//! sorted by their spec name (bytewise), then `components.requestBodies` and
//! `components.responses` (sorted), then operations (paths sorted, methods in
//! the order get, put, post, delete, options, head, patch, trace). Inside a
//! schema, properties in spec order, depth first. Component names are
//! claimed before any invented name.
//!
//! A component schema replaced by a Rust type (`Settings::replacements` or
//! `x-rust-type` on it) gets no model and no name: every reference to it is
//! `TypeRef::External`. `x-rust-type` on any other schema makes that use of
//! it the Rust type.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use serde_json::Value;

use crate::error::{Error, Result, escape_pointer_token};
use crate::ir::cycles::{CycleFix, PassNode, break_union_cycles, mark_boxes};
use crate::ir::fallback::{FallbackReason, warning_message};
use crate::ir::identical::IdenticalSchemas;
use crate::ir::names::{self, NameAllocator};
use crate::ir::view::{SchemaRef, View};
use crate::ir::{
    AdditionalProperties, Diagnostic, EnumModel, EnumRepr, EnumVariant, ExampleCase, Field,
    IR_VERSION, Ir, Model, ModelKind, Origin, Primitive, Settings, StructModel, TypeRef,
    UnionModel, UnionTagging, UnionVariant,
};
use crate::load::schema::{
    AdditionalProperties as OaAdditional, Discriminator, ReferenceOr, Schema, SchemaData,
};
use crate::load::typed::{MediaType, Operation};
use crate::load::{LoadedSpec, elided_json as elided, quote_elided};

mod enums;
mod objects;
mod refs;
mod shape;
mod unions;

// The parts share the builder's state and each other's helpers.
use enums::*;
use objects::*;
use refs::*;
use shape::*;
use unions::*;

const COMPONENTS_PREFIX: &str = "#/components/schemas/";

/// The component name in what follows [`COMPONENTS_PREFIX`] in a `$ref`
/// or discriminator mapping: a URI fragment, so percent-decoded (as the
/// loader resolves it), then a JSON pointer token, so `~1` and `~0` unescaped.
fn component_name(tail: &str) -> String {
    crate::load::percent_decode(tail)
        .replace("~1", "/")
        .replace("~0", "~")
}

/// Builds the IR of a loaded spec.
pub fn build(spec: &LoadedSpec, settings: &Settings) -> Result<Ir> {
    let components = &spec.spec.components.schemas;
    check_replacements(settings, components)?;
    let mut builder = Builder {
        file: &spec.path,
        ref_examples: &spec.spec.ref_examples,
        settings,
        components,
        hoisted: &spec.spec.hoisted,
        component_names: HashMap::new(),
        replaced: HashMap::new(),
        names: NameAllocator::default(),
        models: Vec::new(),
        resolved: HashMap::new(),
        inline_models: HashMap::new(),
        identical: IdenticalSchemas::default(),
        examples: Vec::new(),
        noted_examples: HashSet::new(),
        warnings: Vec::new(),
        union_fixes: HashMap::new(),
        pending_fallback: RefCell::new(None),
        fallen: HashMap::new(),
        newtypes: HashSet::new(),
    };
    builder.run()?;
    builder.run_operations(spec)?;
    let Builder {
        mut models,
        mut examples,
        mut warnings,
        ..
    } = builder;
    // A schema merged into several structs reports its conflicts once.
    let mut seen = HashSet::new();
    warnings.retain(|w| seen.insert((w.pointer.clone(), w.message.clone())));
    models.sort_by(|a, b| a.name.cmp(&b.name));
    check_file_names(&spec.path, &models)?;
    mark_boxes(&mut models);
    let mut ir = Ir {
        version: IR_VERSION,
        title: spec.spec.info.title.clone(),
        models,
        examples: Vec::new(),
        warnings,
    };
    order_untagged_variants(&mut ir);
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    for example in &mut examples {
        example.invalid = super::examples::mismatch(&ir, &example.ty, &example.value);
        if let Some(why) = &example.invalid {
            ir.warnings.push(Diagnostic {
                pointer: example.pointer.clone(),
                message: format!(
                    "example does not fit its schema ({why}); its test checks that it is rejected"
                ),
            });
        }
    }
    ir.examples = examples;
    Ok(ir)
}

/// Longest file name, in bytes, that common file systems accept (ext4,
/// APFS, NTFS: 255).
const MAX_FILE_NAME: usize = 255;

/// Every model's files (`<snake_case>.rs`, `<lowercase>.md`) must have names
/// the file system accepts; deeply nested inline schemas make long names.
fn check_file_names(file: &Path, models: &[Model]) -> Result<()> {
    for model in models {
        let longest = names::module_name(&model.name)
            .len()
            .max(model.name.to_lowercase().len())
            + ".rs".len();
        if longest > MAX_FILE_NAME {
            let fix = if model.origin.name_given {
                "rename the schema"
            } else {
                "move an enclosing inline schema under components/schemas with a short name"
            };
            return Err(Error::spec(
                file,
                &model.origin.pointer,
                format!(
                    "the type name made for this schema is {} characters long ({}…): its file \
                     names would be longer than the {MAX_FILE_NAME} bytes file systems allow; {fix}",
                    model.name.chars().count(),
                    model.name.chars().take(40).collect::<String>()
                ),
            ));
        }
    }
    Ok(())
}

struct Builder<'a> {
    file: &'a Path,
    /// Examples beside a `$ref`, by pointer (see `TypedSpec::ref_examples`).
    ref_examples: &'a HashMap<String, Value>,
    settings: &'a Settings,
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    /// Component schemas the loader made of `$ref` targets elsewhere →
    /// their own place (see `load::hoist`).
    hoisted: &'a IndexMap<String, String>,
    /// Spec component name → Rust type name.
    component_names: HashMap<&'a str, String>,
    /// Spec component name → the Rust type path that replaces it.
    replaced: HashMap<&'a str, String>,
    names: NameAllocator,
    models: Vec<Model>,
    /// Component spec name → its type, `None` while being resolved.
    resolved: HashMap<&'a str, Option<TypeRef>>,
    /// Pointer of an inline schema → the model made for it, so a schema
    /// reached twice (through `allOf` merging) yields one model.
    inline_models: HashMap<String, String>,
    /// Inline schemas made into models → (the model, pointer of the schema).
    identical: IdenticalSchemas<'a, (String, String)>,
    examples: Vec<ExampleCase>,
    /// Pointers of the examples already noted.
    noted_examples: HashSet<String>,
    warnings: Vec<Diagnostic>,
    /// Union pointer → how a cycle of unions through it is broken (see
    /// [`Builder::find_union_cycles`]); `shape` applies it.
    union_fixes: HashMap<String, UnionFix>,
    /// The fallback an error being returned stands for (see
    /// [`Builder::unsupported`]), taken where the schema falls back.
    pending_fallback: RefCell<Option<PendingFallback>>,
    /// Pointers of schemas typed by the fallback (an inline schema reached
    /// again, or written out identically elsewhere, falls back too).
    fallen: HashMap<String, FallbackReason>,
    /// Components reached again while their type was worked out: newtypes.
    newtypes: HashSet<&'a str>,
}

/// Every replacement names a component schema and a Rust type.
fn check_replacements(
    settings: &Settings,
    components: &IndexMap<String, ReferenceOr<Schema>>,
) -> Result<()> {
    for (name, path) in &settings.replacements {
        if !components.contains_key(name) {
            let hint = components
                .keys()
                .find(|k| k.eq_ignore_ascii_case(name))
                .map(|k| format!(" (did you mean {k:?}?)"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "replacement for schema {name:?}: the spec has no such schema under components/schemas{hint}"
            )));
        }
        if syn::parse_str::<syn::Type>(path).is_err() {
            return Err(Error::Usage(format!(
                "replacement for schema {name:?}: {path:?} is not a Rust type"
            )));
        }
    }
    Ok(())
}

/// A model named `name` of `kind`, documented by `schema` (its description,
/// deprecation and example; none for a component that is only a `$ref`).
fn model_of(name: &str, origin: Origin, schema: Option<&Schema>, kind: ModelKind) -> Model {
    let data = schema.map(|s| &s.schema_data);
    Model {
        name: name.to_string(),
        origin,
        description: data.and_then(|d| d.description.clone()),
        deprecated: data.is_some_and(|d| d.deprecated),
        example: data.and_then(|d| d.example.as_deref().cloned()),
        kind,
    }
}

/// The JSON kind of a value, for messages.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn components_pointer(name: &str) -> String {
    format!("/components/schemas/{}", escape_pointer_token(name))
}

/// Whether a schema allows `null`: `nullable`, `null` among the enum
/// values, or a `null`-only member of its `oneOf`/`anyOf`.
fn view_nullable(view: &View<'_>) -> bool {
    view.data.nullable
        || view.enumeration.contains(&Value::Null)
        || view
            .one_of
            .iter()
            .chain(view.any_of)
            .any(|m| matches!(m, ReferenceOr::Item(s) if View::of(s).is_null_only()))
}

impl<'a> Builder<'a> {
    /// The JSON pointer of component schema `name`: its own place for a
    /// schema the loader made a component of (see `load::hoist`).
    fn component_pointer(&self, name: &str) -> String {
        match self.hoisted.get(name) {
            Some(place) => place.clone(),
            None => components_pointer(name),
        }
    }

    /// Where component `name` comes from: its spec name, or, for a
    /// component the loader made of a `$ref` target, its place only.
    fn component_origin(&self, name: &str) -> Origin {
        let hoisted = self.hoisted.contains_key(name);
        Origin {
            pointer: self.component_pointer(name),
            schema_name: (!hoisted).then(|| name.to_string()),
            name_given: !hoisted,
        }
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::spec(self.file, pointer, message)
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// The Rust type path replacing component `name`, if any: from the
    /// settings, else from `x-rust-type` on the schema.
    fn replacement(&self, name: &str) -> Result<Option<String>> {
        if let Some(path) = self.settings.replacements.get(name) {
            return Ok(Some(path.clone()));
        }
        match self.components.get(name) {
            Some(ReferenceOr::Item(schema)) => {
                self.rust_type_extension(&View::of(schema), &self.component_pointer(name))
            }
            _ => Ok(None),
        }
    }

    /// The checked `x-rust-type` of a schema. typify's object form
    /// (`{crate, version, path}`, as in Oxide's specs) names a type of
    /// another crate that the generated crate does not depend on; it is
    /// left alone and the schema generated as usual (a replacement in the
    /// settings can still pick that type).
    fn rust_type_extension(&self, view: &View<'_>, pointer: &str) -> Result<Option<String>> {
        let Some(value) = view.extension("x-rust-type") else {
            return Ok(None);
        };
        if value.get("crate").is_some() && value.get("path").is_some() {
            return Ok(None);
        }
        let at = format!("{pointer}/x-rust-type");
        let Some(path) = value.as_str() else {
            return Err(self.error(
                &at,
                format!(
                    "x-rust-type must be a string naming a Rust type (such as \"crate::money::Money\"), not {value}"
                ),
            ));
        };
        if syn::parse_str::<syn::Type>(path).is_err() {
            return Err(self.error(&at, format!("x-rust-type {path:?} is not a Rust type")));
        }
        Ok(Some(path.to_string()))
    }

    fn run(&mut self) -> Result<()> {
        let mut sorted: Vec<&'a String> = self.components.keys().collect();
        sorted.sort();
        for name in &sorted {
            if let Some(path) = self.replacement(name)? {
                self.replaced.insert(name.as_str(), path);
                continue;
            }
            let given = match self.components.get(name.as_str()) {
                Some(ReferenceOr::Item(schema)) => given_name(&View::of(schema)),
                _ => None,
            };
            let rust = self
                .names
                .claim(&names::type_name(given.as_deref().unwrap_or(name)));
            self.component_names.insert(name.as_str(), rust);
        }
        self.union_fixes = self.find_union_cycles();
        for name in sorted {
            if self.replaced.contains_key(name.as_str()) {
                continue;
            }
            let pointer = self.component_pointer(name);
            let rust = self.component_names.get(name.as_str()).cloned();
            let (Some(schema), Some(rust)) = (self.components.get(name), rust) else {
                continue;
            };
            match schema {
                ReferenceOr::Item(schema)
                    if self.shape(&View::of(schema), &pointer)?.is_model() =>
                {
                    let origin = self.component_origin(name);
                    if let Err(error) = self.build_model(&rust, schema, origin.clone()) {
                        let Some(reason) = self.take_fallback(&error) else {
                            return Err(error);
                        };
                        // References already name the model: it becomes
                        // an alias of the fallback.
                        self.fallen.insert(pointer.clone(), reason);
                        let target = TypeRef::Fallback { reason };
                        let model =
                            model_of(&rust, origin, Some(schema), ModelKind::Alias { target });
                        self.models.push(model);
                        continue;
                    }
                    let ty = nullable_if(TypeRef::model(&rust), view_nullable(&View::of(schema)));
                    self.note_example(&schema.schema_data, &pointer, ty);
                }
                _ => {
                    let target = self.resolve_component(name, &pointer)?;
                    if self.newtypes.contains(name.as_str()) {
                        continue; // its model is made by `finish_newtype`
                    }
                    if self.hoisted.contains_key(name.as_str()) {
                        // References use the target type; a schema taken
                        // from inside another needs no alias of its own.
                        continue;
                    }
                    let item = match schema {
                        ReferenceOr::Item(s) => Some(s),
                        ReferenceOr::Reference { .. } => None,
                    };
                    let origin = self.component_origin(name);
                    let model = model_of(&rust, origin, item, ModelKind::Alias { target });
                    self.models.push(model);
                }
            }
        }
        Ok(())
    }

    /// Models for the inline schemas of request bodies and responses, named
    /// after the operation (`operationId` + `Request` / `Response`, or the
    /// method and path without an `operationId`).
    fn run_operations(&mut self, spec: &'a LoadedSpec) -> Result<()> {
        {
            let components = &spec.spec.components;
            let mut bodies: Vec<_> = components.request_bodies.iter().collect();
            bodies.sort_by(|a, b| a.0.cmp(b.0));
            for (key, body) in bodies {
                if let ReferenceOr::Item(body) = body {
                    let pointer =
                        format!("/components/requestBodies/{}", escape_pointer_token(key));
                    let hint = format!("{}Request", key.to_upper_camel_case());
                    self.media_schema(&body.content, &pointer, &hint)?;
                }
            }
            let mut responses: Vec<_> = components.responses.iter().collect();
            responses.sort_by(|a, b| a.0.cmp(b.0));
            for (key, response) in responses {
                if let ReferenceOr::Item(response) = response {
                    let pointer = format!("/components/responses/{}", escape_pointer_token(key));
                    let hint = format!("{}Response", key.to_upper_camel_case());
                    self.media_schema(&response.content, &pointer, &hint)?;
                }
            }
        }
        let mut paths: Vec<_> = spec.spec.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, operation) in item.operations() {
                let pointer = format!("/paths/{}/{method}", escape_pointer_token(path));
                self.operation(method, path, operation, &pointer)?;
            }
        }
        Ok(())
    }

    fn operation(
        &mut self,
        method: &str,
        path: &str,
        operation: &'a Operation,
        pointer: &str,
    ) -> Result<()> {
        let base = match &operation.operation_id {
            Some(id) => names::type_name(id),
            None => names::type_name(&format!("{method} {path}")),
        };
        if let Some(ReferenceOr::Item(body)) = &operation.request_body {
            let body_pointer = format!("{pointer}/requestBody");
            self.media_schema(&body.content, &body_pointer, &format!("{base}Request"))?;
        }
        let mut first_success = true;
        for (code, response) in &operation.responses {
            let ReferenceOr::Item(response) = response else {
                continue;
            };
            if code == "default" {
                continue;
            }
            let suffix = if code.starts_with('2') && first_success {
                first_success = false;
                String::new()
            } else {
                code.clone()
            };
            let response_pointer = format!("{pointer}/responses/{code}");
            self.media_schema(
                &response.content,
                &response_pointer,
                &format!("{base}Response{suffix}"),
            )?;
        }
        if let Some(ReferenceOr::Item(response)) = operation.responses.get("default") {
            let response_pointer = format!("{pointer}/responses/default");
            self.media_schema(
                &response.content,
                &response_pointer,
                &format!("{base}ResponseDefault"),
            )?;
        }
        Ok(())
    }

    /// Makes models for the inline schema of a request or response body
    /// (JSON media type preferred, else the first one).
    fn media_schema(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        pointer: &str,
        hint: &str,
    ) -> Result<()> {
        let chosen = content
            .iter()
            .find(|(mt, _)| mt.as_str() == "application/json")
            .or_else(|| content.iter().find(|(mt, _)| mt.contains("json")))
            .or_else(|| content.iter().next());
        let Some((media_type, media)) = chosen else {
            return Ok(());
        };
        let Some(ReferenceOr::Item(schema)) = &media.schema else {
            return Ok(());
        };
        let schema_pointer = format!(
            "{pointer}/content/{}/schema",
            escape_pointer_token(media_type)
        );
        self.type_of(SchemaRef::Inline(schema), &schema_pointer, hint, false)?;
        Ok(())
    }

    /// Copies the examples found under `from` (a schema) to the same places under `to`.
    fn copy_examples(&mut self, from: &str, to: &str) {
        let prefix = format!("{from}/");
        let copies: Vec<ExampleCase> = self
            .examples
            .iter()
            .filter_map(|e| {
                let rest = e.pointer.strip_prefix(&prefix)?;
                Some(ExampleCase {
                    pointer: format!("{to}/{rest}"),
                    ..e.clone()
                })
            })
            .collect();
        for copy in copies {
            if self.noted_examples.insert(copy.pointer.clone()) {
                self.examples.push(copy);
            }
        }
    }

    fn note_example(&mut self, data: &SchemaData, pointer: &str, ty: TypeRef) {
        if let Some(value) = &data.example {
            self.push_example(format!("{pointer}/example"), ty.clone(), value);
        }
        // OpenAPI 3.1 `examples` (an array), kept by the loader.
        if let Some(Value::Array(values)) = data.extension("x-oapi-examples") {
            for (i, value) in values.iter().enumerate() {
                self.push_example(format!("{pointer}/examples/{i}"), ty.clone(), value);
            }
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
            Shape::Enum(repr, values) => ModelKind::Enum(self.build_enum(&view, repr, values)),
            Shape::Union(members) => {
                ModelKind::Union(self.build_union(name, &view, members, &pointer)?)
            }
            Shape::Distributed(part) => {
                ModelKind::Union(self.build_distributed(name, &view, part, &pointer)?)
            }
            _ => return Err(self.error(&pointer, "internal: not a model schema")),
        };
        self.models.push(model_of(name, origin, Some(schema), kind));
        Ok(())
    }
}

/// A name for a union variant that holds an unnamed type.
fn type_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive { primitive } => match primitive {
            Primitive::DateTime => "DateTime".to_string(),
            Primitive::Date => "Date".to_string(),
            Primitive::Uuid => "Uuid".to_string(),
            other => other.rust_type().to_upper_camel_case(),
        },
        TypeRef::Model { name } => name.clone(),
        TypeRef::Array { items } => format!("{}Array", type_label(items)),
        TypeRef::Map { values } => format!("{}Map", type_label(values)),
        TypeRef::Nullable { inner } => type_label(inner),
        TypeRef::Any | TypeRef::Fallback { .. } => "Value".to_string(),
        TypeRef::External { path } => path
            .rsplit("::")
            .next()
            .unwrap_or(path)
            .to_upper_camel_case(),
    }
}

fn nullable_if(ty: TypeRef, nullable: bool) -> TypeRef {
    match ty {
        TypeRef::Nullable { .. } | TypeRef::Any | TypeRef::Fallback { .. } => ty,
        _ if nullable => TypeRef::Nullable {
            inner: Box::new(ty),
        },
        _ => ty,
    }
}
