//! Swagger 2.0 → OpenAPI 3.0.
//!
//! Rules:
//! - `definitions` → `components.schemas` (refs `#/definitions/X` →
//!   `#/components/schemas/X`); top-level `parameters` → `components.parameters`
//!   (body parameters → `components.requestBodies`; `formData` ones are
//!   copied into each operation that uses them); `responses` →
//!   `components.responses`; `securityDefinitions` → `components.securitySchemes`.
//! - A body parameter becomes the operation's `requestBody`, with one media
//!   type per `consumes` entry (operation's, else the document's, else
//!   `application/json`). `formData` parameters become one object schema under
//!   `multipart/form-data` or `application/x-www-form-urlencoded` (from
//!   `consumes`; without a form type there, multipart when a parameter is a
//!   file). Path-level body and form parameters apply to every operation
//!   that does not override them.
//! - Other parameters and headers keep their fields; the type fields move
//!   into `schema`, `collectionFormat` becomes `style`/`explode` (`tsv`,
//!   which 3.0 lacks, is kept as `x-oapi-collectionFormat`).
//! - A response `schema` becomes `content` with one media type per
//!   `produces` entry (default `application/json`); response `examples` go
//!   to the matching media type's `example`.
//! - In schemas: `type: file` → `type: string, format: binary`;
//!   `x-nullable: true` → `nullable: true`; a string `discriminator` → `{propertyName}`.
//! - `host`, `basePath`, `schemes` → `servers`; `"x-oapi-original-version": "2.0"`
//!   records where the document came from. `x-` extensions are kept.

use std::path::Path;

use serde_json::{Map, Value, json};

use super::percent_decode;
use super::walk::{Ctx, deep_clone, for_each_schema_mut, ref_of};
use crate::error::{Error, Result, escape_pointer_token};

/// The OpenAPI version the output claims.
const TARGET_VERSION: &str = "3.0.3";

/// Media type used when `consumes`/`produces` say nothing.
const DEFAULT_MEDIA_TYPE: &str = "application/json";

const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// Operation keys of a path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Fields of a non-body parameter, header or items object that describe its
/// value: they move into the 3.0 `schema`.
const SCHEMA_FIELDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Converts a (joined) Swagger 2.0 document to OpenAPI 3.0.
pub(crate) fn convert(path: &Path, document: Value) -> Result<Value> {
    let Value::Object(mut src) = document else {
        return Err(Error::spec(
            path,
            "",
            "not an OpenAPI document: the top level is not an object",
        ));
    };
    let mut out = Map::new();
    let version = src.shift_remove("swagger").unwrap_or_else(|| json!("2.0"));
    out.insert("openapi".to_string(), json!(TARGET_VERSION));
    out.insert("x-oapi-original-version".to_string(), version);
    if let Some(info) = src.shift_remove("info") {
        out.insert("info".to_string(), info);
    }
    if let Some(servers) = servers(&src) {
        out.insert("servers".to_string(), servers);
    }
    let parameters = match src.shift_remove("parameters") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let converter = Converter {
        consumes: media_types(src.get("consumes")),
        produces: media_types(src.get("produces")),
        parameters,
    };
    let mut paths = Map::new();
    if let Some(Value::Object(src_paths)) = src.shift_remove("paths") {
        for (key, item) in src_paths {
            paths.insert(key, converter.path_item(item));
        }
    }
    out.insert("paths".to_string(), Value::Object(paths));

    let mut components = Map::new();
    if let Some(definitions) = src.shift_remove("definitions") {
        components.insert("schemas".to_string(), definitions);
    }
    let mut parameters = Map::new();
    let mut request_bodies = Map::new();
    for (name, parameter) in &converter.parameters {
        match location(parameter) {
            Some("body") => {
                request_bodies.insert(
                    name.clone(),
                    converter.request_body(parameter, &converter.consumes),
                );
            }
            // Copied into each operation that uses them.
            Some("formData") => {}
            _ => {
                parameters.insert(name.clone(), converter.parameter(parameter));
            }
        }
    }
    if let Some(Value::Object(responses)) = src.shift_remove("responses") {
        let responses: Map<String, Value> = responses
            .into_iter()
            .map(|(name, r)| (name, converter.response(r, &converter.produces)))
            .collect();
        components.insert("responses".to_string(), Value::Object(responses));
    }
    if !parameters.is_empty() {
        components.insert("parameters".to_string(), Value::Object(parameters));
    }
    if !request_bodies.is_empty() {
        components.insert("requestBodies".to_string(), Value::Object(request_bodies));
    }
    if let Some(Value::Object(definitions)) = src.shift_remove("securityDefinitions") {
        let schemes: Map<String, Value> = definitions
            .into_iter()
            .map(|(name, d)| (name, security_scheme(d)))
            .collect();
        components.insert("securitySchemes".to_string(), Value::Object(schemes));
    }
    if !components.is_empty() {
        out.insert("components".to_string(), Value::Object(components));
    }
    for key in ["security", "tags", "externalDocs"] {
        if let Some(value) = src.shift_remove(key) {
            out.insert(key.to_string(), value);
        }
    }
    for (key, value) in src {
        if key.starts_with("x-") {
            out.insert(key, value);
        }
    }
    let mut document = Value::Object(out);
    for_each_schema_mut(&mut document, Ctx::Root, false, |value, _| {
        fix_schema(value);
        Ok(())
    })?;
    Ok(document)
}

/// `host`, `basePath`, `schemes` → `servers`.
fn servers(src: &Map<String, Value>) -> Option<Value> {
    let host = src.get("host").and_then(Value::as_str);
    let base = src.get("basePath").and_then(Value::as_str);
    if host.is_none() && base.is_none() {
        return None;
    }
    let base = base.unwrap_or_default();
    let urls: Vec<String> = match host {
        Some(host) => {
            let schemes = media_types(src.get("schemes"));
            if schemes.is_empty() {
                vec![format!("//{host}{base}")]
            } else {
                schemes
                    .iter()
                    .map(|s| format!("{s}://{host}{base}"))
                    .collect()
            }
        }
        None if base.is_empty() => vec!["/".to_string()],
        None => vec![base.to_string()],
    };
    Some(Value::Array(
        urls.into_iter().map(|url| json!({ "url": url })).collect(),
    ))
}

/// A list of strings (`consumes`, `produces`, `schemes`); anything else is empty.
fn media_types(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A parameter's `in`.
fn location(parameter: &Value) -> Option<&str> {
    parameter.get("in").and_then(Value::as_str)
}

/// A parameter as it sits in an operation, sorted by what it becomes.
enum Param {
    /// A 3.0 parameter (or a ref to one).
    Normal(Value),
    /// The request body (or a ref to one).
    Body(Value),
    /// A form field: the 2.0 parameter itself.
    Form(Value),
}

struct Converter {
    consumes: Vec<String>,
    produces: Vec<String>,
    /// Top-level `parameters`, for refs from operations.
    parameters: Map<String, Value>,
}

impl Converter {
    fn path_item(&self, item: Value) -> Value {
        let Value::Object(item) = item else {
            return item;
        };
        if item.contains_key("$ref") {
            return Value::Object(item);
        }
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(|list| list.iter().map(deep_clone).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        for (key, value) in &item {
            if METHODS.contains(&key.as_str()) {
                out.insert(key.clone(), self.operation(value, &shared));
            } else if key == "parameters" {
                let kept: Vec<Value> = shared
                    .iter()
                    .filter_map(|p| match self.classify(p, &self.consumes) {
                        (Param::Normal(v), _) => Some(v),
                        _ => None,
                    })
                    .collect();
                if !kept.is_empty() {
                    out.insert(key.clone(), Value::Array(kept));
                }
            } else {
                out.insert(key.clone(), deep_clone(value));
            }
        }
        Value::Object(out)
    }

    /// Sorts a parameter and converts it; also returns its `(name, in)`.
    fn classify(
        &self,
        parameter: &Value,
        consumes: &[String],
    ) -> (Param, Option<(String, String)>) {
        let key_of = |p: &Value| {
            Some((
                p.get("name")?.as_str()?.to_string(),
                location(p)?.to_string(),
            ))
        };
        if let Some(reference) = parameter.as_object().and_then(ref_of) {
            let name = reference
                .strip_prefix("#/parameters/")
                .map(|n| percent_decode(n).replace("~1", "/").replace("~0", "~"));
            let Some((name, target)) = name.and_then(|n| self.parameters.get(&n).map(|t| (n, t)))
            else {
                return (Param::Normal(deep_clone(parameter)), None);
            };
            let key = key_of(target);
            let token = escape_pointer_token(&name).replace('%', "%25");
            return match location(target) {
                Some("body") if consumes == self.consumes.as_slice() => (
                    Param::Body(json!({ "$ref": format!("#/components/requestBodies/{token}") })),
                    key,
                ),
                Some("body") => (Param::Body(self.request_body(target, consumes)), key),
                Some("formData") => (Param::Form(deep_clone(target)), key),
                _ => (
                    Param::Normal(json!({ "$ref": format!("#/components/parameters/{token}") })),
                    key,
                ),
            };
        }
        let key = key_of(parameter);
        match location(parameter) {
            Some("body") => (Param::Body(self.request_body(parameter, consumes)), key),
            Some("formData") => (Param::Form(deep_clone(parameter)), key),
            _ => (Param::Normal(self.parameter(parameter)), key),
        }
    }

    fn operation(&self, operation: &Value, shared: &[Value]) -> Value {
        let Value::Object(op) = operation else {
            return deep_clone(operation);
        };
        let consumes = match op.get("consumes") {
            Some(c) => media_types(Some(c)),
            None => self.consumes.clone(),
        };
        let produces = match op.get("produces") {
            Some(p) => media_types(Some(p)),
            None => self.produces.clone(),
        };
        let own: Vec<(Param, Option<(String, String)>)> = op
            .get("parameters")
            .and_then(Value::as_array)
            .map(|list| list.iter().map(|p| self.classify(p, &consumes)).collect())
            .unwrap_or_default();
        let own_keys: Vec<&(String, String)> = own.iter().filter_map(|(_, k)| k.as_ref()).collect();
        let mut body: Option<Value> = None;
        let mut form: Vec<Value> = Vec::new();
        // Path-level body and form parameters that the operation does not override.
        for p in shared {
            let (param, key) = self.classify(p, &consumes);
            if key.as_ref().is_some_and(|k| own_keys.contains(&k)) {
                continue;
            }
            match param {
                Param::Body(b) => body = Some(b),
                Param::Form(f) => form.push(f),
                Param::Normal(_) => {}
            }
        }
        let mut parameters = Vec::new();
        for (param, _) in own {
            match param {
                Param::Normal(v) => parameters.push(v),
                Param::Body(b) => body = Some(b),
                Param::Form(f) => form.push(f),
            }
        }
        let request_body = match body {
            Some(b) => Some(b),
            None if !form.is_empty() => Some(form_body(&form, &consumes)),
            None => None,
        };
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "consumes" | "produces" | "schemes" => {}
                "parameters" => {
                    if !parameters.is_empty() {
                        out.insert(key.clone(), Value::Array(std::mem::take(&mut parameters)));
                    }
                }
                "responses" => {
                    let responses = match value {
                        Value::Object(responses) => Value::Object(
                            responses
                                .iter()
                                .map(|(code, r)| {
                                    (code.clone(), self.response(deep_clone(r), &produces))
                                })
                                .collect(),
                        ),
                        other => deep_clone(other),
                    };
                    out.insert(key.clone(), responses);
                }
                _ => {
                    out.insert(key.clone(), deep_clone(value));
                }
            }
        }
        if !out.contains_key("responses") {
            out.insert("responses".to_string(), json!({}));
        }
        if let Some(request_body) = request_body {
            let at = out
                .iter()
                .position(|(k, _)| k == "responses")
                .unwrap_or(out.len());
            out.shift_insert(at, "requestBody".to_string(), request_body);
        }
        Value::Object(out)
    }

    /// A body parameter → request body.
    fn request_body(&self, parameter: &Value, consumes: &[String]) -> Value {
        let mut out = Map::new();
        if let Some(d) = parameter.get("description") {
            out.insert("description".to_string(), deep_clone(d));
        }
        let schema = parameter
            .get("schema")
            .map_or_else(|| json!({}), deep_clone);
        let mut content = Map::new();
        for media_type in or_default(consumes) {
            content.insert(media_type, json!({ "schema": deep_clone(&schema) }));
        }
        out.insert("content".to_string(), Value::Object(content));
        if parameter.get("required").and_then(Value::as_bool) == Some(true) {
            out.insert("required".to_string(), Value::Bool(true));
        }
        if let Value::Object(p) = parameter {
            for (key, value) in p {
                if key.starts_with("x-") {
                    out.insert(key.clone(), deep_clone(value));
                }
            }
        }
        if let Some(name) = parameter.get("name") {
            out.insert("x-codegen-request-body-name".to_string(), deep_clone(name));
        }
        Value::Object(out)
    }

    /// A non-body parameter → 3.0 parameter.
    fn parameter(&self, parameter: &Value) -> Value {
        let Value::Object(p) = parameter else {
            return deep_clone(parameter);
        };
        let (mut out, schema) = split_schema_fields(p);
        let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
        if location == "path" {
            out.insert("required".to_string(), Value::Bool(true));
        }
        let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
        out.insert("schema".to_string(), Value::Object(schema));
        if is_array {
            let format = p
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let query_like = matches!(location, "query" | "cookie");
            let style = match format {
                "csv" if query_like => Some(("form", false)),
                "multi" => Some(("form", true)),
                "ssv" => Some(("spaceDelimited", false)),
                "pipes" => Some(("pipeDelimited", false)),
                _ => None,
            };
            if let Some((style, explode)) = style {
                out.insert("style".to_string(), json!(style));
                out.insert("explode".to_string(), json!(explode));
            }
            if format == "tsv" {
                out.insert("x-oapi-collectionFormat".to_string(), json!("tsv"));
            }
        }
        Value::Object(out)
    }

    /// A 2.0 response (or ref) → 3.0 response.
    fn response(&self, response: Value, produces: &[String]) -> Value {
        let Value::Object(r) = response else {
            return response;
        };
        if let Some(reference) = ref_of(&r) {
            let reference = match reference.strip_prefix("#/responses/") {
                Some(name) => format!("#/components/responses/{name}"),
                None => reference.to_string(),
            };
            return json!({ "$ref": reference });
        }
        let mut out = Map::new();
        out.insert(
            "description".to_string(),
            r.get("description").map_or_else(|| json!(""), deep_clone),
        );
        let schema = r.get("schema");
        let examples = r.get("examples").and_then(Value::as_object);
        for (key, value) in &r {
            match key.as_str() {
                "description" | "schema" | "examples" => {}
                "headers" => {
                    let headers = match value {
                        Value::Object(h) => Value::Object(
                            h.iter()
                                .map(|(name, header)| (name.clone(), convert_header(header)))
                                .collect(),
                        ),
                        other => deep_clone(other),
                    };
                    out.insert(key.clone(), headers);
                }
                _ => {
                    out.insert(key.clone(), deep_clone(value));
                }
            }
        }
        let mut content = Map::new();
        if let Some(schema) = schema {
            for media_type in or_default(produces) {
                let mut entry = Map::new();
                entry.insert("schema".to_string(), deep_clone(schema));
                if let Some(example) = examples.and_then(|e| e.get(&media_type)) {
                    entry.insert("example".to_string(), deep_clone(example));
                }
                content.insert(media_type, Value::Object(entry));
            }
        }
        if let Some(examples) = examples {
            for (media_type, example) in examples {
                if content.contains_key(media_type) {
                    continue;
                }
                let mut entry = Map::new();
                if let Some(schema) = schema {
                    entry.insert("schema".to_string(), deep_clone(schema));
                }
                entry.insert("example".to_string(), deep_clone(example));
                content.insert(media_type.clone(), Value::Object(entry));
            }
        }
        if !content.is_empty() {
            out.insert("content".to_string(), Value::Object(content));
        }
        Value::Object(out)
    }
}

/// `consumes`/`produces`, or `[application/json]` when empty.
fn or_default(media_types: &[String]) -> Vec<String> {
    if media_types.is_empty() {
        vec![DEFAULT_MEDIA_TYPE.to_string()]
    } else {
        media_types.to_vec()
    }
}

/// Form parameters → a request body with one object schema.
fn form_body(fields: &[Value], consumes: &[String]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut has_file = false;
    for field in fields {
        let Value::Object(p) = field else { continue };
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let (_, mut schema) = split_schema_fields(p);
        if let Some(d) = p.get("description") {
            schema.insert("description".to_string(), deep_clone(d));
        }
        has_file |= schema.get("type").and_then(Value::as_str) == Some("file");
        properties.insert(name.to_string(), Value::Object(schema));
        if p.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(json!(name));
        }
    }
    let mut schema = Map::new();
    schema.insert("type".to_string(), json!("object"));
    schema.insert("properties".to_string(), Value::Object(properties));
    let any_required = !required.is_empty();
    if any_required {
        schema.insert("required".to_string(), Value::Array(required));
    }
    let mut media_types: Vec<String> = consumes
        .iter()
        .filter(|m| m.as_str() == MULTIPART || m.as_str() == URLENCODED)
        .cloned()
        .collect();
    if media_types.is_empty() {
        media_types.push(if has_file { MULTIPART } else { URLENCODED }.to_string());
    }
    let schema = Value::Object(schema);
    let mut content = Map::new();
    for media_type in media_types {
        content.insert(media_type, json!({ "schema": deep_clone(&schema) }));
    }
    let mut out = Map::new();
    out.insert("content".to_string(), Value::Object(content));
    if any_required {
        out.insert("required".to_string(), Value::Bool(true));
    }
    Value::Object(out)
}

/// Splits a parameter/header into its own fields and its value's schema
/// (without `collectionFormat` at any `items` level).
fn split_schema_fields(p: &Map<String, Value>) -> (Map<String, Value>, Map<String, Value>) {
    let mut own = Map::new();
    let mut schema = Map::new();
    for (key, value) in p {
        if SCHEMA_FIELDS.contains(&key.as_str()) {
            schema.insert(key.clone(), deep_clone(value));
        } else if key != "collectionFormat" {
            own.insert(key.clone(), deep_clone(value));
        }
    }
    let mut items = schema.get_mut("items");
    while let Some(Value::Object(level)) = items {
        level.shift_remove("collectionFormat");
        items = level.get_mut("items");
    }
    (own, schema)
}

/// A 2.0 header → 3.0 header.
fn convert_header(header: &Value) -> Value {
    let Value::Object(h) = header else {
        return deep_clone(header);
    };
    if h.contains_key("$ref") {
        return deep_clone(header);
    }
    let (mut own, schema) = split_schema_fields(h);
    own.insert("schema".to_string(), Value::Object(schema));
    Value::Object(own)
}

/// A 2.0 security definition → 3.0 security scheme.
fn security_scheme(definition: Value) -> Value {
    let Value::Object(d) = definition else {
        return definition;
    };
    let mut out = Map::new();
    let kind = d.get("type").and_then(Value::as_str).unwrap_or_default();
    match kind {
        "basic" => {
            out.insert("type".to_string(), json!("http"));
            out.insert("scheme".to_string(), json!("basic"));
        }
        "oauth2" => {
            out.insert("type".to_string(), json!("oauth2"));
            let flow = match d.get("flow").and_then(Value::as_str) {
                Some("accessCode") => "authorizationCode",
                Some("application") => "clientCredentials",
                Some("password") => "password",
                _ => "implicit",
            };
            let mut f = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(v) = d.get(key) {
                    f.insert(key.to_string(), deep_clone(v));
                }
            }
            f.insert(
                "scopes".to_string(),
                d.get("scopes").map_or_else(|| json!({}), deep_clone),
            );
            out.insert("flows".to_string(), json!({ flow: f }));
        }
        _ => {
            for key in ["type", "name", "in"] {
                if let Some(v) = d.get(key) {
                    out.insert(key.to_string(), deep_clone(v));
                }
            }
        }
    }
    for (key, value) in &d {
        if key == "description" || key.starts_with("x-") {
            out.insert(key.clone(), deep_clone(value));
        }
    }
    Value::Object(out)
}

/// The 2.0 → 3.0 changes inside one schema.
fn fix_schema(value: &mut Value) {
    let Value::Object(map) = value else { return };
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".to_string(), json!("string"));
        map.insert("format".to_string(), json!("binary"));
    }
    if map.get("x-nullable").and_then(Value::as_bool) == Some(true) {
        map.shift_remove("x-nullable");
        map.insert("nullable".to_string(), Value::Bool(true));
    }
    if let Some(Value::String(property)) = map.get("discriminator").cloned() {
        map.insert(
            "discriminator".to_string(),
            json!({ "propertyName": property }),
        );
    }
    if let Some(Value::String(reference)) = map.get_mut("$ref")
        && let Some(name) = reference.strip_prefix("#/definitions/")
    {
        *reference = format!("#/components/schemas/{name}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_ok(doc: Value) -> Value {
        match convert(Path::new("t.json"), doc) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn whole_document() {
        let doc = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example.com", "basePath": "/v1", "schemes": ["https"],
            "consumes": ["application/json"],
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "type": "integer", "format": "int64"}],
                "post": {
                    "parameters": [
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                        {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"},
                                          "headers": {"X-Rate": {"type": "integer"}}},
                                  "default": {"$ref": "#/responses/Error"}}
                },
                "put": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [{"name": "file", "in": "formData", "type": "file", "required": true},
                                   {"$ref": "#/parameters/note"}],
                    "responses": {"204": {"description": "done"}}
                }
            }},
            "parameters": {"note": {"name": "note", "in": "formData", "type": "string"},
                           "limit": {"name": "limit", "in": "query", "type": "integer"}},
            "responses": {"Error": {"description": "bad", "schema": {"type": "string"}}},
            "definitions": {"Pet": {"type": "object", "discriminator": "kind",
                                    "properties": {"kind": {"type": "string", "x-nullable": true},
                                                   "photo": {"type": "file"}}}},
            "securityDefinitions": {"oauth": {"type": "oauth2", "flow": "accessCode",
                "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"r": "read"}},
                "basic": {"type": "basic"}},
            "x-top": 1
        });
        let out = convert_ok(doc);
        assert_eq!(out["openapi"], "3.0.3");
        assert_eq!(out["x-oapi-original-version"], "2.0");
        assert_eq!(
            out["servers"],
            json!([{"url": "https://api.example.com/v1"}])
        );
        let item = &out["paths"]["/pets/{id}"];
        assert_eq!(
            item["parameters"],
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}])
        );
        let post = &item["post"];
        assert_eq!(
            post["parameters"],
            json!([{"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
                    "style": "form", "explode": true}])
        );
        assert_eq!(
            post["requestBody"],
            json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                   "required": true, "x-codegen-request-body-name": "body"})
        );
        assert_eq!(
            post["responses"]["200"],
            json!({"description": "ok", "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        assert_eq!(
            post["responses"]["default"],
            json!({"$ref": "#/components/responses/Error"})
        );
        assert_eq!(
            item["put"]["requestBody"],
            json!({"content": {"multipart/form-data": {"schema": {"type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
                "required": ["file"]}}}, "required": true})
        );
        let components = &out["components"];
        assert_eq!(
            components["schemas"]["Pet"],
            json!({"type": "object", "discriminator": {"propertyName": "kind"},
                   "properties": {"kind": {"type": "string", "nullable": true},
                                  "photo": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(
            components["parameters"],
            json!({"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}})
        );
        assert_eq!(
            components["responses"]["Error"],
            json!({"description": "bad", "content": {"application/json": {"schema": {"type": "string"}}}})
        );
        assert_eq!(
            components["securitySchemes"],
            json!({"oauth": {"type": "oauth2", "flows": {"authorizationCode": {
                        "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"r": "read"}}}},
                   "basic": {"type": "http", "scheme": "basic"}})
        );
        assert_eq!(out["x-top"], 1);
    }

    #[test]
    fn servers_without_schemes() {
        let src = json!({"host": "h", "basePath": "/b"});
        let src = src.as_object().cloned().unwrap_or_default();
        assert_eq!(servers(&src), Some(json!([{"url": "//h/b"}])));
        let none = Map::new();
        assert_eq!(servers(&none), None);
    }
}
