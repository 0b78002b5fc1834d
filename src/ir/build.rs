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

use super::cycles::{CycleFix, PassNode, break_union_cycles, mark_boxes};
use super::fallback::{FallbackReason, warning_message};
use super::identical::IdenticalSchemas;
use super::names::{self, NameAllocator};
use super::view::{SchemaRef, View};
use super::{
    AdditionalProperties, Diagnostic, EnumModel, EnumRepr, EnumVariant, ExampleCase, Field,
    IR_VERSION, Ir, Model, ModelKind, Origin, Primitive, Settings, StructModel, TypeRef,
    UnionModel, UnionTagging, UnionVariant,
};
use crate::error::{Error, Result, escape_pointer_token};
use crate::load::schema::{
    AdditionalProperties as OaAdditional, Discriminator, ReferenceOr, Schema, SchemaData,
};
use crate::load::typed::{MediaType, Operation};
use crate::load::{LoadedSpec, quote_elided};

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

/// What a schema turns into.
enum Shape<'s> {
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
    fn is_model(&self) -> bool {
        matches!(
            self,
            Shape::Struct | Shape::Union(_) | Shape::Enum(..) | Shape::Distributed(_)
        )
    }
}

/// One value of an enum being built.
struct EnumValue {
    value: Value,
    name: Option<String>,
    description: Option<String>,
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

/// A construct found deep inside a schema's model that cannot be typed
/// exactly, on its way up to that schema as an error.
struct PendingFallback {
    /// The error's message, to recognise it.
    message: String,
    pointer: String,
    reason: FallbackReason,
}

/// What a union on a cycle of unions and aliases becomes.
enum UnionFix {
    /// The indices (in `oneOf`/`anyOf`) of the members dropped.
    Drop(BTreeSet<usize>),
    /// The union is refused: this message.
    Refuse(String),
}

/// Where a node of the union cycle graph comes from, while it is being filled.
enum PassSource<'a> {
    /// A component that is a `$ref` to another.
    Ref(&'a str),
    /// A schema, at the node's pointer.
    Schema(&'a Schema),
}

/// The graph of unions and aliases that [`break_union_cycles`] works on,
/// with each node's pointer and, for a component, its name.
#[derive(Default)]
struct PassGraph<'a> {
    nodes: Vec<PassNode>,
    pointers: Vec<String>,
    names: Vec<Option<&'a str>>,
    /// `oneOf` or `anyOf`, for a union node.
    keys: Vec<&'static str>,
    by_pointer: HashMap<String, usize>,
    /// Identity of a value (a component's pointer, an inline schema's JSON
    /// text, `null`) → its id.
    value_ids: HashMap<String, usize>,
    pending: Vec<(usize, PassSource<'a>)>,
}

impl<'a> PassGraph<'a> {
    fn value_id(&mut self, identity: String) -> usize {
        let next = self.value_ids.len();
        *self.value_ids.entry(identity).or_insert(next)
    }

    /// The node at `pointer`, made (as a leaf, to be filled from `source`) if new.
    fn node(&mut self, pointer: String, name: Option<&'a str>, source: PassSource<'a>) -> usize {
        if let Some(&i) = self.by_pointer.get(&pointer) {
            return i;
        }
        let i = self.nodes.len();
        self.nodes.push(PassNode {
            union: false,
            edges: Vec::new(),
            own: Vec::new(),
        });
        self.pointers.push(pointer.clone());
        self.names.push(name);
        self.keys.push("oneOf");
        self.by_pointer.insert(pointer, i);
        self.pending.push((i, source));
        i
    }

    /// A leaf node holding the value `identity` (a schema the builder
    /// reports an error for, or a replaced component).
    fn leaf(&mut self, pointer: String, identity: String) -> usize {
        if let Some(&i) = self.by_pointer.get(&pointer) {
            return i;
        }
        let id = self.value_id(identity);
        let i = self.nodes.len();
        self.nodes.push(PassNode {
            union: false,
            edges: Vec::new(),
            own: vec![id],
        });
        self.pointers.push(pointer.clone());
        self.names.push(None);
        self.keys.push("oneOf");
        self.by_pointer.insert(pointer, i);
        i
    }

    /// How a node is named in messages.
    fn label(&self, i: usize) -> String {
        match (self.names.get(i).copied().flatten(), self.pointers.get(i)) {
            (Some(name), _) => name.to_string(),
            (None, Some(pointer)) => format!("#{pointer}"),
            (None, None) => String::new(),
        }
    }
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

/// A value's JSON text for messages, cut after 40 characters.
fn elided(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text,
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

    fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::spec(self.file, pointer, message)
    }

    /// The error for a construct inside a model that cannot be typed
    /// exactly. It travels up to the schema whose model is being built
    /// ([`Builder::type_of`], or a component in [`Builder::run`]), which
    /// then falls back instead of failing.
    fn unsupported(
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
    fn take_fallback(&mut self, error: &Error) -> Option<FallbackReason> {
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
    fn fallback(&mut self, pointer: &str, reason: FallbackReason, detail: &str) -> TypeRef {
        self.warn(pointer, warning_message(reason, detail));
        self.fallen.insert(pointer.to_string(), reason);
        TypeRef::Fallback { reason }
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
                    let hoisted = self.hoisted.contains_key(name.as_str());
                    let origin = Origin {
                        pointer: pointer.clone(),
                        schema_name: (!hoisted).then(|| name.clone()),
                        name_given: !hoisted,
                    };
                    if let Err(error) = self.build_model(&rust, schema, origin.clone()) {
                        let Some(reason) = self.take_fallback(&error) else {
                            return Err(error);
                        };
                        // References already name the model: it becomes
                        // an alias of the fallback.
                        self.fallen.insert(pointer.clone(), reason);
                        self.models.push(Model {
                            name: rust.clone(),
                            origin,
                            description: schema.schema_data.description.clone(),
                            deprecated: schema.schema_data.deprecated,
                            example: schema.schema_data.example.as_deref().cloned(),
                            kind: ModelKind::Alias {
                                target: TypeRef::Fallback { reason },
                            },
                        });
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
                    let (description, deprecated, example) = match schema {
                        ReferenceOr::Item(s) => (
                            s.schema_data.description.clone(),
                            s.schema_data.deprecated,
                            s.schema_data.example.as_deref().cloned(),
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

    /// The `oneOf`/`anyOf` members of a schema that are shapes
    /// (`shape_members`), less those dropped to break a cycle of unions
    /// (see [`Builder::find_union_cycles`]); an error for a union refused
    /// for its cycle.
    fn kept_members<'s>(
        &self,
        view: &View<'s>,
        pointer: &str,
    ) -> Result<Vec<(usize, &'s ReferenceOr<Schema>)>> {
        let mut members = shape_members(view);
        match self.union_fixes.get(pointer) {
            None => {}
            Some(UnionFix::Drop(dropped)) => members.retain(|(i, _)| !dropped.contains(i)),
            Some(UnionFix::Refuse(message)) => {
                return Err(self.unsupported(pointer, FallbackReason::UnionCycle, message.clone()));
            }
        }
        Ok(members)
    }

    /// Finds the unions that list themselves, directly or through other
    /// unions and aliases (`$ref` to `$ref`, one-member `allOf`/`oneOf`/
    /// `anyOf`), reached from the component schemas. As written, such a
    /// union is `enum U { U(Box<U>), .. }`, and reading a value that fits
    /// no other member tries `U` inside itself on the same value forever.
    ///
    /// A member that leads back to its union that way is dropped when the
    /// union's other members accept every value it does (always so when
    /// the way back lists nothing else); a union left with no member is
    /// refused ("lists only itself"), and so is a cycle whose unions list
    /// members of their own that would be lost (`break_union_cycles`).
    /// Recursion through a struct, an array or a map is not such a cycle.
    ///
    /// Runs before any model is built, with no fixes yet, so `shape` here
    /// classifies schemas as written.
    fn find_union_cycles(&self) -> HashMap<String, UnionFix> {
        let mut graph = PassGraph::default();
        let mut sorted: Vec<&'a String> = self.components.keys().collect();
        sorted.sort();
        for name in sorted {
            self.pass_component(&mut graph, name);
        }
        while let Some((i, source)) = graph.pending.pop() {
            self.pass_fill(&mut graph, i, source);
        }
        let mut fixes = HashMap::new();
        for (i, fix) in break_union_cycles(&graph.nodes) {
            let (Some(pointer), Some(node)) = (graph.pointers.get(i), graph.nodes.get(i)) else {
                continue;
            };
            let key = graph.keys.get(i).copied().unwrap_or("oneOf");
            let what = match graph.names.get(i).copied().flatten() {
                Some(name) => format!("`{key}` of {name}"),
                None => format!("this `{key}`"),
            };
            let fix = match fix {
                CycleFix::Drop(dropped) if dropped.len() >= node.edges.len() => {
                    UnionFix::Refuse(format!(
                        "{what} lists only itself (directly or through other unions/aliases): \
                         it has no value to hold"
                    ))
                }
                CycleFix::Drop(dropped) => UnionFix::Drop(dropped),
                CycleFix::Refuse(others) => {
                    let mut through: Vec<String> =
                        others.iter().take(3).map(|&o| graph.label(o)).collect();
                    if others.len() > 3 {
                        through.push("…".to_string());
                    }
                    UnionFix::Refuse(format!(
                        "{what} leads back to itself through other unions/aliases only ({}), \
                         which accept values its other members do not: such a cycle of unions \
                         is not supported yet (reading a value would try the union inside \
                         itself forever); list all the members in one union",
                        through.join(", ")
                    ))
                }
            };
            fixes.insert(pointer.clone(), fix);
        }
        fixes
    }

    /// The union cycle graph node of component `name`.
    fn pass_component(&self, graph: &mut PassGraph<'a>, name: &'a str) -> usize {
        let pointer = self.component_pointer(name);
        if self.replaced.contains_key(name) {
            return graph.leaf(pointer.clone(), pointer);
        }
        match self.components.get(name) {
            Some(ReferenceOr::Item(schema)) => {
                graph.node(pointer, Some(name), PassSource::Schema(schema))
            }
            Some(ReferenceOr::Reference { reference }) => {
                graph.node(pointer, Some(name), PassSource::Ref(reference))
            }
            None => graph.leaf(pointer.clone(), pointer),
        }
    }

    /// The union cycle graph node of a member (or alias target) at `pointer`.
    fn pass_member(
        &self,
        graph: &mut PassGraph<'a>,
        member: SchemaRef<'a>,
        pointer: String,
    ) -> usize {
        match member {
            SchemaRef::Ref(reference) => match self.ref_target(reference, &pointer) {
                Ok(target) => self.pass_component(graph, target),
                Err(_) => graph.leaf(pointer.clone(), pointer),
            },
            SchemaRef::Inline(schema) => graph.node(pointer, None, PassSource::Schema(schema)),
        }
    }

    /// Fills node `i` of the union cycle graph: a union's members, an
    /// alias's target, or a leaf's value. Schemas the builder refuses are
    /// leaves here (it reports them).
    fn pass_fill(&self, graph: &mut PassGraph<'a>, i: usize, source: PassSource<'a>) {
        let pointer = graph.pointers.get(i).cloned().unwrap_or_default();
        let mut edges = Vec::new();
        let mut own = Vec::new();
        let mut union = false;
        match source {
            PassSource::Ref(reference) => match self.ref_target(reference, &pointer) {
                Ok(target) => edges.push((0, self.pass_component(graph, target))),
                Err(_) => own.push(graph.value_id(pointer.clone())),
            },
            PassSource::Schema(schema) => {
                let view = View::of(schema);
                match self.shape(&view, &pointer) {
                    Ok(Shape::Single(member, at)) => {
                        edges.push((
                            0,
                            self.pass_member(graph, member, format!("{pointer}/{at}")),
                        ));
                    }
                    Ok(Shape::Union(_)) => {
                        union = true;
                        let key = if view.one_of.is_empty() {
                            "anyOf"
                        } else {
                            "oneOf"
                        };
                        if let Some(k) = graph.keys.get_mut(i) {
                            *k = key;
                        }
                        for (index, member) in shape_members(&view) {
                            let at = format!("{pointer}/{key}/{index}");
                            edges.push((index, self.pass_member(graph, SchemaRef::of(member), at)));
                        }
                    }
                    _ => {
                        // A component is a value of its own; an inline
                        // schema the same value wherever it is written
                        // out identically (the builder reuses its model).
                        let identity = match graph.names.get(i) {
                            Some(Some(_)) => pointer.clone(),
                            _ => serde_json::to_string(schema).unwrap_or_else(|_| pointer.clone()),
                        };
                        own.push(graph.value_id(identity));
                    }
                }
                if !edges.is_empty() && view_nullable(&view) {
                    own.push(graph.value_id("null".to_string()));
                }
            }
        }
        if let Some(node) = graph.nodes.get_mut(i) {
            *node = PassNode { union, edges, own };
        }
    }

    /// Classifies a schema, failing loudly on what is not supported yet.
    fn shape<'s>(&self, view: &View<'s>, pointer: &str) -> Result<Shape<'s>> {
        if let Some(path) = self.rust_type_extension(view, pointer)? {
            return Ok(Shape::External(path));
        }
        // `not` only narrows what the other keywords allow: it does not
        // change their type (a schema that is only `not` is any value).
        if let Some(UnionFix::Refuse(message)) = self.union_fixes.get(pointer) {
            return Ok(Shape::Fallback(FallbackReason::UnionCycle, message.clone()));
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
    fn shape_by_type<'s>(&self, view: &View<'s>) -> Shape<'s> {
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
    fn scalar_type(&self, schema: SchemaRef<'_>) -> Option<&'static str> {
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
    fn constant_members<'s>(&self, members: &[(SchemaRef<'s>, String)]) -> Option<Shape<'s>> {
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

    /// Classifies a schema with `enum`. Values as real specs write them:
    /// `null` makes the type nullable; on a `string` schema, numbers and
    /// booleans are read as their text (YAML turned `16:9` or `yes` into
    /// them); on an `integer` or `number` schema, strings that are integers
    /// are those integers; on an `array` or `object` schema whose values
    /// are all arrays or objects, the enum only constrains and the rest of
    /// the schema gives the type. Anything else (values of several kinds,
    /// strings on a number schema, integers beyond 64 bits) falls back.
    fn enum_shape<'s>(&self, view: &View<'s>) -> Shape<'s> {
        let values: Vec<&Value> = view.enumeration.iter().filter(|v| !v.is_null()).collect();
        let names = enum_names(view, &values);
        let descriptions = enum_descriptions(view, &values);
        let make = |values: Vec<Value>| -> Vec<EnumValue> {
            values
                .into_iter()
                .enumerate()
                .map(|(i, value)| EnumValue {
                    value,
                    name: names.get(i).cloned().flatten(),
                    description: descriptions.get(i).cloned().flatten(),
                })
                .collect()
        };
        let typ = view.typ;
        let is_scalar = |v: &&Value| !(v.is_array() || v.is_object());
        if values.iter().all(|v| v.is_string()) && matches!(typ, None | Some("string")) {
            let values = values.into_iter().cloned().collect();
            return Shape::Enum(EnumRepr::String, make(values));
        }
        if typ == Some("string") && values.iter().all(is_scalar) {
            // Numbers and booleans in a string enum: their text is the value.
            let texts = values
                .iter()
                .map(|v| match v {
                    Value::String(s) => Value::String(s.clone()),
                    other => Value::String(other.to_string()),
                })
                .collect();
            return Shape::Enum(EnumRepr::String, make(texts));
        }
        if matches!(typ, Some("integer" | "number")) && values.iter().all(|v| v.is_string()) {
            // Integer enums written as strings (`enum: ["0", "1"]`).
            let parsed: Option<Vec<Value>> = values
                .iter()
                .map(|v| {
                    v.as_str()
                        .and_then(|s| s.trim().parse::<i64>().ok())
                        .map(Value::from)
                })
                .collect();
            if let Some(ints) = parsed {
                return Shape::Enum(EnumRepr::Integer, make(ints));
            }
        }
        if values.iter().all(|v| v.is_i64()) && matches!(typ, None | Some("integer" | "number")) {
            let values = values.into_iter().cloned().collect();
            return Shape::Enum(EnumRepr::Integer, make(values));
        }
        if values.iter().all(|v| v.is_boolean()) && matches!(typ, None | Some("boolean")) {
            // A boolean "enum" is a constant or a plain boolean: `bool`.
            return Shape::Primitive(Primitive::Bool);
        }
        if typ == Some("boolean")
            && values
                .iter()
                .all(|v| matches!(v.as_str(), Some("true" | "false")))
        {
            return Shape::Primitive(Primitive::Bool);
        }
        if values.iter().all(|v| v.is_number()) && matches!(typ, None | Some("number")) {
            return Shape::Primitive(Primitive::F64);
        }
        let container = match typ {
            Some("array") => Some(Value::is_array as fn(&Value) -> bool),
            Some("object") => Some(Value::is_object as fn(&Value) -> bool),
            _ => None,
        };
        if let Some(fits) = container
            && values.iter().all(|v| fits(v))
        {
            return self.shape_by_type(view);
        }
        let listed = |values: &[&Value]| {
            let mut text = values
                .iter()
                .take(4)
                .map(|v| elided(v))
                .collect::<Vec<_>>()
                .join(", ");
            if values.len() > 4 {
                text.push_str(", …");
            }
            text
        };
        if typ == Some("integer")
            && values.iter().all(|v| v.is_number())
            && let Some(value) = values.iter().find(|v| !v.is_i64())
        {
            return Shape::Fallback(
                FallbackReason::EnumIntegerRange,
                format!(
                    "{} is not a 64-bit signed integer, which integer enums are read and written through",
                    elided(value)
                ),
            );
        }
        if values.iter().any(|v| v.is_array() || v.is_object())
            && values.iter().all(|v| !is_scalar(v))
        {
            return Shape::Fallback(
                FallbackReason::EnumOfContainers,
                format!("values {}", listed(&values)),
            );
        }
        let mut kinds: Vec<&str> = values.iter().map(|v| json_kind(v)).collect();
        kinds.sort_unstable();
        kinds.dedup();
        Shape::Fallback(
            FallbackReason::EnumMixedTypes,
            format!(
                "`type: {}` and values of kind {} ({})",
                typ.unwrap_or("not given"),
                kinds.join(", "),
                listed(&values)
            ),
        )
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
                    name = self.ref_target(reference, &self.component_pointer(name))?;
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
    fn finish_newtype(
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
        let hoisted = self.hoisted.contains_key(name);
        self.models.push(Model {
            name: rust.to_string(),
            origin: Origin {
                pointer,
                schema_name: (!hoisted).then(|| name.to_string()),
                name_given: !hoisted,
            },
            description: schema.schema_data.description.clone(),
            deprecated: schema.schema_data.deprecated,
            example: schema.schema_data.example.as_deref().cloned(),
            kind: ModelKind::Newtype { inner },
        });
        let ty = TypeRef::model(rust);
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
    fn type_of_exact(
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
        self.models.push(Model {
            name: name.to_string(),
            origin,
            description: schema.schema_data.description.clone(),
            deprecated: schema.schema_data.deprecated,
            example: schema.schema_data.example.as_deref().cloned(),
            kind,
        });
        Ok(())
    }

    fn build_enum(&self, view: &View<'_>, repr: EnumRepr, values: Vec<EnumValue>) -> EnumModel {
        let rust_names = names::dedupe(
            values
                .iter()
                .map(|v| {
                    let text = match &v.value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    names::variant_name(v.name.as_deref().unwrap_or(&text))
                })
                .collect(),
        );
        let bitmask = view.extension("x-enum-is-bitmask") == Some(&Value::Bool(true));
        let wants_catch_all = bitmask || (self.settings.enum_catch_all && values.len() > 1);
        let catch_all = wants_catch_all.then(|| {
            let mut name = "Unknown".to_string();
            let mut n = 2;
            while rust_names.contains(&name) {
                name = format!("Unknown{n}");
                n += 1;
            }
            name
        });
        EnumModel {
            repr,
            variants: values
                .into_iter()
                .zip(rust_names)
                .map(|(v, rust_name)| EnumVariant {
                    rust_name,
                    value: v.value,
                    description: v.description,
                })
                .collect(),
            catch_all,
        }
    }

    fn build_struct(&mut self, name: &str, view: &View<'a>, pointer: &str) -> Result<StructModel> {
        let mut parts = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_parts(view, pointer, name, &mut parts, &mut visiting, Top::Whole)?;
        self.struct_from_parts(name, parts)
    }

    /// Fields of a struct from the properties gathered for it.
    fn struct_from_parts(&mut self, name: &str, mut parts: ObjectParts<'a>) -> Result<StructModel> {
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
    fn collect_parts(
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

    fn build_union(
        &mut self,
        name: &str,
        view: &View<'a>,
        members: Vec<(SchemaRef<'a>, String)>,
        pointer: &str,
    ) -> Result<UnionModel> {
        let mut variants = Vec::with_capacity(members.len());
        for (spec_index, (member, at)) in members.into_iter().enumerate() {
            let member_pointer = format!("{pointer}/{at}");
            let hint = self.member_hint(name, member, spec_index);
            let ty = self.type_of(member, &member_pointer, &hint, false)?;
            let rust_name = match member {
                SchemaRef::Ref(reference) => {
                    let target = self.ref_target(reference, &member_pointer)?;
                    self.component_names
                        .get(target)
                        .cloned()
                        .unwrap_or_else(|| names::type_name(target))
                }
                SchemaRef::Inline(_) => match &ty {
                    TypeRef::Model { name: model } if model.len() > name.len() => model
                        .strip_prefix(name)
                        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                        .unwrap_or(model)
                        .to_string(),
                    other => type_label(other),
                },
            };
            variants.push(UnionVariant {
                rust_name,
                ty,
                boxed: false,
                spec_index,
                tag_values: Vec::new(),
            });
        }
        self.finish_union(view, variants, view.data.discriminator.as_deref(), pointer)
    }

    /// Makes variant names unique and assigns the tags of a discriminated union.
    fn finish_union(
        &mut self,
        view: &View<'a>,
        mut variants: Vec<UnionVariant>,
        discriminator: Option<&Discriminator>,
        pointer: &str,
    ) -> Result<UnionModel> {
        let rust_names = names::dedupe(variants.iter().map(|v| v.rust_name.clone()).collect());
        for (variant, rust_name) in variants.iter_mut().zip(rust_names) {
            variant.rust_name = rust_name;
        }
        let tagging = match discriminator {
            None => UnionTagging::Untagged,
            Some(discriminator) => {
                self.assign_tags(
                    view,
                    &mut variants,
                    &discriminator.mapping,
                    &discriminator.property_name,
                    pointer,
                )?;
                UnionTagging::Discriminator {
                    property: discriminator.property_name.clone(),
                }
            }
        };
        Ok(UnionModel { tagging, variants })
    }

    /// "Properties and one of several shapes": a union whose members are
    /// structs holding the shared properties plus one member's.
    fn build_distributed(
        &mut self,
        name: &str,
        view: &View<'a>,
        part: UnionPart<'a>,
        pointer: &str,
    ) -> Result<UnionModel> {
        let (union_view, union_pointer, skip) = match part {
            UnionPart::Own => (*view, pointer.to_string(), usize::MAX),
            UnionPart::AllOfMember(i, schema) => {
                (View::of(schema), format!("{pointer}/allOf/{i}"), i)
            }
        };
        let mut base = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_parts(
            view,
            pointer,
            name,
            &mut base,
            &mut visiting,
            Top::Without(skip),
        )?;
        let union_key = if union_view.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let members = shape_members(&union_view);
        let mut variants = Vec::with_capacity(members.len());
        for (spec_index, (i, member)) in members.into_iter().enumerate() {
            let member_pointer = format!("{union_pointer}/{union_key}/{i}");
            let member_name =
                self.names
                    .claim(&self.member_hint(name, SchemaRef::of(member), spec_index));
            let mut parts = base.clone();
            let description = match member {
                ReferenceOr::Reference { reference } => {
                    let target = self.ref_target(reference, &member_pointer)?;
                    let schema = self.component_schema(target, &member_pointer)?;
                    let owner = self
                        .component_names
                        .get(target)
                        .cloned()
                        .unwrap_or_else(|| names::type_name(target));
                    self.collect_parts(
                        &View::of(schema),
                        &self.component_pointer(target),
                        &owner,
                        &mut parts,
                        &mut visiting,
                        Top::Whole,
                    )?;
                    schema.schema_data.description.clone()
                }
                ReferenceOr::Item(schema) => {
                    self.collect_parts(
                        &View::of(schema),
                        &member_pointer,
                        &member_name,
                        &mut parts,
                        &mut visiting,
                        Top::Whole,
                    )?;
                    schema.schema_data.description.clone()
                }
            };
            let structure = self.struct_from_parts(&member_name, parts)?;
            self.models.push(Model {
                name: member_name.clone(),
                origin: Origin {
                    pointer: member_pointer,
                    schema_name: None,
                    name_given: false,
                },
                description,
                deprecated: false,
                example: None,
                kind: ModelKind::Struct(structure),
            });
            let rust_name = member_name
                .strip_prefix(name)
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                .unwrap_or(&member_name)
                .to_string();
            variants.push(UnionVariant {
                rust_name,
                ty: TypeRef::model(member_name),
                boxed: false,
                spec_index,
                tag_values: Vec::new(),
            });
        }
        let discriminator = union_view
            .data
            .discriminator
            .as_deref()
            .or(view.data.discriminator.as_deref());
        self.finish_union(&union_view, variants, discriminator, pointer)
    }

    /// A name for an inline union member: its constant tag value, its
    /// title, or its position.
    fn member_hint(&self, union_name: &str, member: SchemaRef<'a>, index: usize) -> String {
        if let SchemaRef::Inline(schema) = member {
            let view = View::of(schema);
            if let Some(properties) = view.properties {
                for (key, prop) in properties {
                    if !view.required.contains(key) {
                        continue;
                    }
                    if let ReferenceOr::Item(p) = prop
                        && let [Value::String(tag)] = View::of(p).enumeration
                    {
                        return format!("{union_name}{}", names::type_name(tag));
                    }
                }
            }
            if let Some(title) = &view.data.title {
                return format!("{union_name}{}", names::type_name(title));
            }
        }
        format!("{union_name}Variant{}", index + 1)
    }

    /// Tag values of a discriminated union's members: the `mapping` keys
    /// that point to each member; else the constant values the member
    /// declares for the tag property; else the member's schema name.
    /// A value claimed by two members stays with the first (a warning).
    fn assign_tags(
        &mut self,
        view: &View<'a>,
        variants: &mut [UnionVariant],
        mapping: &IndexMap<String, String>,
        property: &str,
        pointer: &str,
    ) -> Result<()> {
        for (value, mapped) in mapping {
            let mapped_name = mapped.strip_prefix(COMPONENTS_PREFIX).unwrap_or(mapped);
            let decoded = component_name(mapped_name);
            if !self.components.contains_key(decoded.as_str()) {
                // Only a tag value is lost: the members are the schemas.
                self.warn(
                    &format!(
                        "{pointer}/discriminator/mapping/{}",
                        escape_pointer_token(value)
                    ),
                    format!(
                        "discriminator mapping {} left out: it points to {}, and there is no such \
                         component schema",
                        quote_elided(value),
                        quote_elided(mapped)
                    ),
                );
            }
        }
        let members = self
            .kept_members(view, pointer)?
            .into_iter()
            .map(|(_, m)| m);
        let mut taken: HashSet<String> = HashSet::new();
        for (variant, member) in variants.iter_mut().zip(members) {
            let reference = match member {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(s) => match View::of(s).all_of {
                    [ReferenceOr::Reference { reference }] => Some(reference.as_str()),
                    _ => None,
                },
            };
            let target = reference.map(|r| self.ref_target(r, pointer)).transpose()?;
            let mut values = Vec::new();
            if let Some(target) = target {
                for (value, mapped) in mapping {
                    let mapped_name = mapped.strip_prefix(COMPONENTS_PREFIX).unwrap_or(mapped);
                    if component_name(mapped_name) == target {
                        values.push(value.clone());
                    }
                }
            }
            if values.is_empty() {
                values =
                    self.tag_constants(SchemaRef::of(member), property, 0, &mut HashSet::new())?;
            }
            if values.is_empty() {
                match target {
                    Some(target) => values.push(target.to_string()),
                    None => {
                        return Err(self.unsupported(
                            pointer,
                            FallbackReason::Discriminator,
                            format!(
                                "member {} is inline and declares no constant for {property:?}",
                                variant.spec_index
                            ),
                        ));
                    }
                }
            }
            for value in values {
                if taken.insert(value.clone()) {
                    variant.tag_values.push(value);
                } else {
                    self.warn(
                        pointer,
                        format!("tag value {value:?} names several members; the first one is used"),
                    );
                }
            }
        }
        Ok(())
    }

    /// The constant (single- or multi-value `enum`) string values a schema
    /// declares for `property`, looking through `$ref` and `allOf`.
    /// `seen` holds the components already searched: an `allOf` that
    /// refers to itself (several times) would otherwise be searched down to
    /// the depth limit along every path, which takes exponential time.
    fn tag_constants(
        &self,
        schema: SchemaRef<'a>,
        property: &str,
        depth: usize,
        seen: &mut HashSet<&'a str>,
    ) -> Result<Vec<String>> {
        if depth > 16 {
            return Ok(Vec::new());
        }
        let schema = match schema {
            SchemaRef::Ref(reference) => {
                let target = self.ref_target(reference, "")?;
                if !seen.insert(target) {
                    return Ok(Vec::new());
                }
                self.component_schema(target, "")?
            }
            SchemaRef::Inline(s) => s,
        };
        let view = View::of(schema);
        if let Some(prop) = view.properties.and_then(|p| p.get(property)) {
            let prop_schema = match prop {
                ReferenceOr::Reference { reference } => {
                    let target = self.ref_target(reference, "")?;
                    self.component_schema(target, "")?
                }
                ReferenceOr::Item(s) => s,
            };
            let values: Vec<String> = View::of(prop_schema)
                .enumeration
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            if !values.is_empty() {
                return Ok(values);
            }
        }
        for member in view.all_of {
            let values = self.tag_constants(SchemaRef::of(member), property, depth + 1, seen)?;
            if !values.is_empty() {
                return Ok(values);
            }
        }
        Ok(Vec::new())
    }
}

/// The `oneOf`/`anyOf` members that are shapes (with their index), not
/// only constraints, `null` or refinements of the schema's own properties.
fn shape_members<'s>(view: &View<'s>) -> Vec<(usize, &'s ReferenceOr<Schema>)> {
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
fn has_real_union(view: &View<'_>) -> bool {
    !shape_members(view).is_empty()
}

/// The name a schema gives its own type: `x-speakeasy-name-override`
/// (specs prepared for SDK generators), else Azure's `x-ms-enum.name` on an
/// enum. Claimed like any other name, so it stays collision-free.
fn given_name(view: &View<'_>) -> Option<String> {
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    text(view.extension("x-speakeasy-name-override")).or_else(|| {
        if view.enumeration.is_empty() {
            return None;
        }
        text(view.extension("x-ms-enum").and_then(|e| e.get("name")))
    })
}

/// A per-value list of an extension: an array in the order of the values
/// (`null` values of the enum left out, as `values` has them), or an object
/// keyed by each value's text.
fn per_value(list: &Value, view: &View<'_>, values: &[&Value]) -> Option<Vec<Option<String>>> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match list {
        Value::Array(items) => {
            let items: Vec<&Value> = if items.len() == values.len() {
                items.iter().collect()
            } else if items.len() == view.enumeration.len() {
                // One entry per value, `null` included: skip null's.
                items
                    .iter()
                    .zip(view.enumeration)
                    .filter(|(_, v)| !v.is_null())
                    .map(|(item, _)| item)
                    .collect()
            } else {
                return None;
            };
            Some(
                items
                    .into_iter()
                    .map(|n| n.as_str().filter(|t| !t.is_empty()).map(str::to_string))
                    .collect(),
            )
        }
        Value::Object(by_value) => Some(
            values
                .iter()
                .map(|v| {
                    by_value
                        .get(&text(v))
                        .and_then(Value::as_str)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                })
                .collect(),
        ),
        _ => None,
    }
}

/// One text field of the entry of Azure's `x-ms-enum.values` for each value
/// (entries are matched by their `value`).
fn x_ms_enum_field(view: &View<'_>, values: &[&Value], field: &str) -> Option<Vec<Option<String>>> {
    let entries = view.extension("x-ms-enum")?.get("values")?.as_array()?;
    Some(
        values
            .iter()
            .map(|v| {
                entries
                    .iter()
                    .find(|e| e.get("value") == Some(*v))
                    .and_then(|e| e.get(field))
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
            })
            .collect(),
    )
}

/// Names for enum values from `x-enum-varnames` / `x-enumNames` (lists of
/// names), `x-enum-values` (objects with an `identifier`) or Azure's
/// `x-ms-enum.values[].name`.
fn enum_names(view: &View<'_>, values: &[&Value]) -> Vec<Option<String>> {
    let from = |key: &str| {
        view.extension(key)
            .and_then(|list| per_value(list, view, values))
    };
    from("x-enum-varnames")
        .or_else(|| from("x-enumNames"))
        .or_else(|| x_enum_values_field(view, "identifier").filter(|n| n.len() == values.len()))
        .or_else(|| x_ms_enum_field(view, values, "name"))
        .unwrap_or_default()
}

/// One text field (non-empty) of every entry of `x-enum-values`.
fn x_enum_values_field(view: &View<'_>, field: &str) -> Option<Vec<Option<String>>> {
    view.extension("x-enum-values")
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .map(|v| {
                    v.get(field)
                        .and_then(Value::as_str)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                })
                .collect()
        })
}

/// Descriptions of enum values from `x-enum-descriptions` /
/// `x-enumDescriptions` (a list, or an object keyed by value),
/// `x-enum-values` or Azure's `x-ms-enum.values[].description`.
fn enum_descriptions(view: &View<'_>, values: &[&Value]) -> Vec<Option<String>> {
    let from = |key: &str| {
        view.extension(key)
            .and_then(|list| per_value(list, view, values))
    };
    from("x-enum-descriptions")
        .or_else(|| from("x-enumDescriptions"))
        .or_else(|| x_enum_values_field(view, "description").filter(|d| d.len() == values.len()))
        .or_else(|| x_ms_enum_field(view, values, "description"))
        .unwrap_or_default()
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

/// Orders the members of untagged unions so that reading tries the most
/// specific first: objects with a constant tag, objects with more required
/// and more listed properties, enums, arrays, maps, then scalars, with
/// `String` and `serde_json::Value` last. Ties keep the spec order.
fn order_untagged_variants(ir: &mut Ir) {
    let ranks: Vec<Option<Vec<(u8, usize, usize)>>> = ir
        .models
        .iter()
        .map(|m| match &m.kind {
            ModelKind::Union(u) if u.tagging == UnionTagging::Untagged => {
                Some(u.variants.iter().map(|v| specificity(ir, &v.ty)).collect())
            }
            _ => None,
        })
        .collect();
    for (model, ranks) in ir.models.iter_mut().zip(ranks) {
        let (ModelKind::Union(u), Some(ranks)) = (&mut model.kind, ranks) else {
            continue;
        };
        let mut ranked: Vec<(UnionVariant, (u8, usize, usize))> =
            u.variants.drain(..).zip(ranks).collect();
        ranked.sort_by_key(|(_, rank)| *rank);
        u.variants = ranked.into_iter().map(|(v, _)| v).collect();
    }
}

/// Sort key for an untagged union member: lower is tried first.
fn specificity(ir: &Ir, ty: &TypeRef) -> (u8, usize, usize) {
    let ty = ir.resolve_alias(ty);
    match ty {
        TypeRef::Nullable { inner } => specificity(ir, inner),
        TypeRef::Model { name } => match ir.model(name).map(|m| &m.kind) {
            Some(ModelKind::Struct(s)) => {
                let has_tag = s.fields.iter().any(|f| {
                    f.required
                        && matches!(ir.resolve_alias(&f.ty), TypeRef::Model { name }
                            if matches!(ir.model(name).map(|m| &m.kind),
                                Some(ModelKind::Enum(e)) if e.variants.len() == 1 && e.catch_all.is_none()))
                });
                let required = s.fields.iter().filter(|f| f.required).count();
                (
                    if has_tag { 0 } else { 1 },
                    usize::MAX - required,
                    usize::MAX - s.fields.len(),
                )
            }
            Some(ModelKind::Union(_)) => (2, 0, 0),
            Some(ModelKind::Enum(e)) if e.catch_all.is_none() => (3, 0, 0),
            Some(ModelKind::Enum(_)) => (4, 0, 0),
            _ => (12, 0, 0),
        },
        TypeRef::Array { .. } => (5, 0, 0),
        TypeRef::Map { .. } => (6, 0, 0),
        TypeRef::Primitive { primitive } => match primitive {
            Primitive::Bool => (7, 0, 0),
            Primitive::F32 | Primitive::F64 => (9, 0, 0),
            Primitive::String => (11, 0, 0),
            Primitive::DateTime | Primitive::Date | Primitive::Uuid => (10, 0, 0),
            _ => (8, 0, 0),
        },
        TypeRef::External { .. } => (10, 0, 0),
        TypeRef::Any | TypeRef::Fallback { .. } => (13, 0, 0),
    }
}

/// What `collect_parts` takes from the schema it starts at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Top {
    /// Everything; a real `oneOf`/`anyOf` is an error.
    Whole,
    /// Everything but `allOf` member `n` and the schema's own `oneOf`/`anyOf`
    /// (they are distributed over a union; `usize::MAX` skips no member).
    Without(usize),
}

/// Where the union of a "base and (one of …)" schema is.
#[derive(Clone, Copy)]
enum UnionPart<'s> {
    /// The schema's own `oneOf`/`anyOf`.
    Own,
    /// The `oneOf`/`anyOf` of `allOf` member `n`.
    AllOfMember(usize, &'s Schema),
}

/// One property gathered for a struct.
#[derive(Clone)]
struct PropertyPart<'a> {
    schema: SchemaRef<'a>,
    pointer: String,
    /// Name of the model declaring it (inline schemas are named after it).
    owner: String,
    /// A later `allOf` member that only adds a description or example.
    annotations: Option<(SchemaRef<'a>, String)>,
}

#[derive(Default, Clone)]
struct ObjectParts<'a> {
    properties: IndexMap<String, PropertyPart<'a>>,
    required: BTreeSet<&'a str>,
    /// Each `required` entry and its pointer, for the unknown-property warning.
    required_at: Vec<(&'a str, String)>,
    additional: Option<(&'a OaAdditional, String)>,
    /// (property, first pointer, second pointer) defined twice differently.
    conflicts: Vec<(String, String, String)>,
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
            example: data.example.as_deref().cloned(),
            default: data.default.as_deref().cloned(),
            deprecated: data.deprecated,
            read_only: data.read_only,
            write_only: data.write_only,
        }
    }
}
