//! Schema keywords holding the wrong JSON type (`title: 0`, `required:
//! true`, `nullable: "true"`, `minLength: "3"`), as real specs write them:
//! fixed before the typed parse, each with a warning, instead of refusing
//! the whole document.
//!
//! One table ([`KEYWORDS`]) says what JSON type each keyword the typed
//! parse reads must hold. A value of another type is converted where the
//! meaning is plain (a number or boolean `title`/`description` → its text,
//! `"true"`/`"false"` → a boolean, a numeric string or a whole float where a
//! number or count is expected → that number, one name where `required`
//! wants a list → a list of it, a string `discriminator` → its
//! `propertyName`, a numeric 3.1-style `exclusiveMinimum` → `minimum` +
//! `exclusiveMinimum: true`), and otherwise dropped. `null` for a keyword
//! that may be absent is absence, left as it is. Only the schemas the typed
//! parse reads are looked at (those under `components.schemas` and the
//! request and response bodies), and a schema that is a `$ref` is skipped
//! (its other keys are ignored anyway). `type`, `enum` and `items` are not
//! in the table: what they say decides the shape, which the IR decides.

use serde_json::{Map, Number, Value};

use super::walk::{self, Ctx};
use super::{Warning, elided_json};
use crate::error::{Result, escape_pointer_token};

/// What a keyword must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    /// Text read by people (`title`, `description`): numbers and booleans are
    /// taken as their text.
    Text,
    /// A string with a meaning to machines (`format`, `pattern`): anything
    /// else is dropped.
    String,
    /// A boolean that has a default (`nullable`): `null` is not absence.
    Flag,
    /// A boolean that may be absent (`uniqueItems`).
    Boolean,
    /// A boolean in OpenAPI 3.0, a number in 3.1 (`exclusiveMinimum`).
    ExclusiveBound,
    /// A number.
    Number,
    /// A non-negative integer (`minLength`).
    Count,
    /// A list of property names (`required`).
    Names,
    /// An object (`properties`).
    Object,
    /// A boolean or a schema (`additionalProperties`).
    BooleanOrSchema,
    /// A Discriminator Object.
    Discriminator,
    /// An External Documentation Object.
    ExternalDocs,
}

/// Every schema keyword the typed parse reads with a fixed JSON type.
const KEYWORDS: &[(&str, Expected)] = &[
    ("title", Expected::Text),
    ("description", Expected::Text),
    ("format", Expected::String),
    ("pattern", Expected::String),
    ("nullable", Expected::Flag),
    ("readOnly", Expected::Flag),
    ("writeOnly", Expected::Flag),
    ("deprecated", Expected::Flag),
    ("uniqueItems", Expected::Boolean),
    ("exclusiveMinimum", Expected::ExclusiveBound),
    ("exclusiveMaximum", Expected::ExclusiveBound),
    ("minimum", Expected::Number),
    ("maximum", Expected::Number),
    ("multipleOf", Expected::Number),
    ("minLength", Expected::Count),
    ("maxLength", Expected::Count),
    ("minItems", Expected::Count),
    ("maxItems", Expected::Count),
    ("minProperties", Expected::Count),
    ("maxProperties", Expected::Count),
    ("required", Expected::Names),
    ("properties", Expected::Object),
    ("additionalProperties", Expected::BooleanOrSchema),
    ("discriminator", Expected::Discriminator),
    ("externalDocs", Expected::ExternalDocs),
];

impl Expected {
    /// How it reads in a message: "should be …".
    fn describe(self) -> &'static str {
        match self {
            Expected::Text | Expected::String => "a string",
            Expected::Flag | Expected::Boolean => "a boolean",
            Expected::ExclusiveBound => "a boolean in OpenAPI 3.0",
            Expected::Number => "a number",
            Expected::Count => "a non-negative integer",
            Expected::Names => "a list of property names",
            Expected::Object => "an object of property schemas",
            Expected::BooleanOrSchema => "a boolean or a schema",
            Expected::Discriminator => "an object with a string `propertyName`",
            Expected::ExternalDocs => "an object with a string `url`",
        }
    }
}

/// What to do with a keyword.
#[derive(Debug, Clone, PartialEq)]
enum Fix {
    /// Write this value instead.
    Replace(Value),
    /// Remove the keyword.
    Drop,
    /// `exclusiveMinimum: n` → `minimum: n`, `exclusiveMinimum: true` (the
    /// key of the bound to write, the number).
    Bound(&'static str, Value),
}

/// One keyword to fix: the schema's pointer, the keyword, the fix, the message.
struct Found {
    schema: String,
    key: String,
    fix: Fix,
    message: String,
}

/// Fixes the keywords of the schemas the typed parse reads; returns a
/// warning for each keyword changed or dropped.
pub(crate) fn fix_schema_keywords(document: &mut Value) -> Result<Vec<Warning>> {
    let mut found = Vec::new();
    for (base, root, ctx) in typed_schema_roots(document) {
        walk::visit(root, ctx, false, |value, ctx, trail| {
            if !ctx.is_schema() {
                return Ok(true);
            }
            let Value::Object(map) = value else {
                return Ok(true);
            };
            if walk::ref_of(map).is_some() {
                // A reference: its other keys are not read.
                return Ok(false);
            }
            for (key, value) in map {
                if let Some((fix, message)) = check(map, key, value) {
                    found.push(Found {
                        schema: format!("{base}{}", walk::pointer_of(trail)),
                        key: key.clone(),
                        fix,
                        message,
                    });
                }
            }
            Ok(true)
        })?;
    }
    let mut warnings = Vec::with_capacity(found.len());
    for Found {
        schema,
        key,
        fix,
        message,
    } in found
    {
        if let Some(Value::Object(map)) = document.pointer_mut(&schema) {
            match fix {
                Fix::Replace(value) => {
                    if let Some(slot) = map.get_mut(&key) {
                        *slot = value;
                    }
                }
                Fix::Drop => {
                    map.shift_remove(&key);
                }
                Fix::Bound(bound, number) => {
                    map.insert(bound.to_string(), number);
                    map.insert(key.clone(), Value::Bool(true));
                }
            }
        }
        warnings.push(Warning {
            pointer: format!("{schema}/{}", escape_pointer_token(&key)),
            message,
        });
    }
    Ok(warnings)
}

/// The places the typed parse reads schemas from (see `typed.rs`), each
/// with its pointer and context.
fn typed_schema_roots(document: &Value) -> Vec<(String, &Value, Ctx)> {
    /// The schemas of a request body or response: `content/*/schema`.
    fn body<'a>(out: &mut Vec<(String, &'a Value, Ctx)>, at: String, body: &'a Value) {
        let Some(body) = body.as_object() else { return };
        if walk::ref_of(body).is_some() {
            return;
        }
        if let Some(Value::Object(content)) = body.get("content") {
            for (media, media_type) in content {
                if let Some(schema) = media_type.get("schema") {
                    out.push((
                        format!("{at}/content/{}/schema", escape_pointer_token(media)),
                        schema,
                        Ctx::Schema,
                    ));
                }
            }
        }
    }
    let mut out = Vec::new();
    let components = document.get("components");
    if let Some(schemas) = components.and_then(|c| c.get("schemas")) {
        out.push((
            "/components/schemas".to_string(),
            schemas,
            Ctx::ComponentSchemas,
        ));
    }
    for kind in ["requestBodies", "responses"] {
        if let Some(Value::Object(map)) = components.and_then(|c| c.get(kind)) {
            for (name, value) in map {
                body(
                    &mut out,
                    format!("/components/{kind}/{}", escape_pointer_token(name)),
                    value,
                );
            }
        }
    }
    if let Some(Value::Object(paths)) = document.get("paths") {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            if path.starts_with("x-") || walk::ref_of(item).is_some() {
                continue;
            }
            let item_at = format!("/paths/{}", escape_pointer_token(path));
            for (method, operation) in item {
                if !matches!(
                    method.as_str(),
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
                ) {
                    continue;
                }
                let at = format!("{item_at}/{method}");
                if let Some(request) = operation.get("requestBody") {
                    body(&mut out, format!("{at}/requestBody"), request);
                }
                if let Some(Value::Object(responses)) = operation.get("responses") {
                    for (status, response) in responses {
                        if !status.starts_with("x-") {
                            body(
                                &mut out,
                                format!("{at}/responses/{}", escape_pointer_token(status)),
                                response,
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

/// The fix and message for `key: value` in the schema `map`, when the
/// value does not have the JSON type the keyword needs.
fn check(map: &Map<String, Value>, key: &str, value: &Value) -> Option<(Fix, String)> {
    let expected = KEYWORDS.iter().find(|(k, _)| *k == key)?.1;
    let fix = fix(map, key, expected, value)?;
    let found = elided_json(value);
    let what = expected.describe();
    let message = match &fix {
        Fix::Drop => format!("ignored `{key}`: it should be {what}, found {found}"),
        Fix::Replace(new) => format!(
            "`{key}` should be {what}, found {found}: read as {}",
            elided_json(new)
        ),
        Fix::Bound(bound, number) => format!(
            "`{key}` should be {what}, found {found}: read as `{bound}: {number}` with `{key}: true`"
        ),
    };
    let message = if expected == Expected::Names && value.is_boolean() {
        format!(
            "{message} (`required: true` on a property is not OpenAPI: list the property \
             in the `required` of the object that holds it)"
        )
    } else {
        message
    };
    Some((fix, message))
}

/// `None` when `value` (under `key` in the schema `map`) is right for
/// `expected`, else what to do.
fn fix(map: &Map<String, Value>, key: &str, expected: Expected, value: &Value) -> Option<Fix> {
    // `null` is absence for every keyword that may be absent.
    if value.is_null() {
        return (expected == Expected::Flag).then_some(Fix::Drop);
    }
    match expected {
        Expected::Text => match value {
            Value::String(_) => None,
            Value::Number(n) => Some(Fix::Replace(Value::String(n.to_string()))),
            Value::Bool(b) => Some(Fix::Replace(Value::String(b.to_string()))),
            _ => Some(Fix::Drop),
        },
        Expected::String => (!value.is_string()).then_some(Fix::Drop),
        Expected::Flag | Expected::Boolean => match value {
            Value::Bool(_) => None,
            other => Some(boolean(other).map_or(Fix::Drop, |b| Fix::Replace(Value::Bool(b)))),
        },
        Expected::ExclusiveBound => match value {
            Value::Bool(_) => None,
            Value::Number(_) => {
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                Some(if map.contains_key(bound) {
                    Fix::Drop
                } else {
                    Fix::Bound(bound, value.clone())
                })
            }
            other => Some(boolean(other).map_or(Fix::Drop, |b| Fix::Replace(Value::Bool(b)))),
        },
        Expected::Number => match value {
            Value::Number(_) => None,
            other => Some(number(other).map_or(Fix::Drop, |n| Fix::Replace(Value::Number(n)))),
        },
        Expected::Count => {
            if value.as_u64().is_some() {
                return None;
            }
            let count = number(value).and_then(|n| {
                n.as_u64().or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9.0e15)
                        .map(|f| f as u64)
                })
            });
            Some(count.map_or(Fix::Drop, |c| Fix::Replace(Value::from(c))))
        }
        Expected::Names => match value {
            Value::Array(names) if names.iter().all(Value::is_string) => None,
            Value::Array(names) => {
                let kept: Vec<Value> = names.iter().filter(|n| n.is_string()).cloned().collect();
                Some(Fix::Replace(Value::Array(kept)))
            }
            Value::String(name) => Some(Fix::Replace(Value::Array(vec![Value::String(
                name.clone(),
            )]))),
            _ => Some(Fix::Drop),
        },
        Expected::Object => (!value.is_object()).then_some(Fix::Drop),
        Expected::BooleanOrSchema => match value {
            Value::Bool(_) | Value::Object(_) => None,
            other => Some(boolean(other).map_or(Fix::Drop, |b| Fix::Replace(Value::Bool(b)))),
        },
        Expected::Discriminator => match value {
            Value::String(property) => Some(Fix::Replace(
                serde_json::json!({ "propertyName": property }),
            )),
            Value::Object(d) => {
                if !d.get("propertyName").is_some_and(Value::is_string) {
                    return Some(Fix::Drop);
                }
                match d.get("mapping") {
                    None | Some(Value::Null) => None,
                    Some(Value::Object(m)) if m.values().all(Value::is_string) => None,
                    Some(Value::Object(m)) => {
                        let mut fixed = d.clone();
                        let kept: Map<String, Value> = m
                            .iter()
                            .filter(|(_, v)| v.is_string())
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        fixed.insert("mapping".to_string(), Value::Object(kept));
                        Some(Fix::Replace(Value::Object(fixed)))
                    }
                    Some(_) => {
                        let mut fixed = d.clone();
                        fixed.shift_remove("mapping");
                        Some(Fix::Replace(Value::Object(fixed)))
                    }
                }
            }
            _ => Some(Fix::Drop),
        },
        Expected::ExternalDocs => {
            let fits = value.as_object().is_some_and(|d| {
                d.get("url").is_some_and(Value::is_string)
                    && d.get("description")
                        .is_none_or(|t| t.is_string() || t.is_null())
            });
            (!fits).then_some(Fix::Drop)
        }
    }
}

/// `"true"` / `"false"` (any case, spaces around) as a boolean.
fn boolean(value: &Value) -> Option<bool> {
    let text = value.as_str()?.trim();
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A number, or a string holding one (`"3"`, `" 1.5 "`).
fn number(value: &Value) -> Option<Number> {
    match value {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => s.trim().parse::<Number>().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixed(schema: Value) -> (Value, Vec<String>) {
        let mut doc = json!({"components": {"schemas": {"S": schema}}});
        let warnings = fix_schema_keywords(&mut doc).unwrap_or_else(|e| panic!("{e}"));
        (
            doc["components"]["schemas"]["S"].clone(),
            warnings
                .into_iter()
                .map(|w| format!("{}: {}", w.pointer, w.message))
                .collect(),
        )
    }

    #[test]
    fn wrong_types_are_converted_or_dropped() {
        let (schema, warnings) = fixed(json!({
            "title": 0, "description": true, "format": 1, "pattern": 0,
            "nullable": "true", "readOnly": "no", "deprecated": null,
            "minLength": "3", "maxLength": 2.0, "minItems": -1, "minimum": "1.5",
            "exclusiveMaximum": 10, "required": true, "type": "object",
            "properties": {"a": {"type": "string", "writeOnly": "FALSE", "required": "a"}},
            "additionalProperties": "false",
            "externalDocs": {"description": "d"},
            "discriminator": "kind",
            "example": {"title": 0}
        }));
        assert_eq!(
            schema,
            json!({
                "title": "0", "description": "true",
                "nullable": true,
                "minLength": 3, "maxLength": 2, "minimum": 1.5,
                "exclusiveMaximum": true, "type": "object",
                "properties": {"a": {"type": "string", "writeOnly": false, "required": ["a"]}},
                "additionalProperties": false,
                "discriminator": {"propertyName": "kind"},
                "example": {"title": 0},
                "maximum": 10
            })
        );
        assert_eq!(
            warnings,
            [
                "/components/schemas/S/title: `title` should be a string, found 0: read as \"0\"",
                "/components/schemas/S/description: `description` should be a string, found true: read as \"true\"",
                "/components/schemas/S/format: ignored `format`: it should be a string, found 1",
                "/components/schemas/S/pattern: ignored `pattern`: it should be a string, found 0",
                "/components/schemas/S/nullable: `nullable` should be a boolean, found \"true\": read as true",
                "/components/schemas/S/readOnly: ignored `readOnly`: it should be a boolean, found \"no\"",
                "/components/schemas/S/deprecated: ignored `deprecated`: it should be a boolean, found null",
                "/components/schemas/S/minLength: `minLength` should be a non-negative integer, found \"3\": read as 3",
                "/components/schemas/S/maxLength: `maxLength` should be a non-negative integer, found 2.0: read as 2",
                "/components/schemas/S/minItems: ignored `minItems`: it should be a non-negative integer, found -1",
                "/components/schemas/S/minimum: `minimum` should be a number, found \"1.5\": read as 1.5",
                "/components/schemas/S/exclusiveMaximum: `exclusiveMaximum` should be a boolean in OpenAPI 3.0, found 10: read as `maximum: 10` with `exclusiveMaximum: true`",
                "/components/schemas/S/required: ignored `required`: it should be a list of property names, found true (`required: true` on a property is not OpenAPI: list the property in the `required` of the object that holds it)",
                "/components/schemas/S/additionalProperties: `additionalProperties` should be a boolean or a schema, found \"false\": read as false",
                "/components/schemas/S/externalDocs: ignored `externalDocs`: it should be an object with a string `url`, found {\"description\":\"d\"}",
                "/components/schemas/S/discriminator: `discriminator` should be an object with a string `propertyName`, found \"kind\": read as {\"propertyName\":\"kind\"}",
                "/components/schemas/S/properties/a/writeOnly: `writeOnly` should be a boolean, found \"FALSE\": read as false",
                "/components/schemas/S/properties/a/required: `required` should be a list of property names, found \"a\": read as [\"a\"]",
            ]
        );
    }

    #[test]
    fn right_types_references_and_unread_places_are_left_alone() {
        let schema = json!({
            "title": "t", "nullable": false, "minimum": 1, "exclusiveMinimum": true,
            "required": ["a"], "properties": {"a": {"$ref": "#/x", "title": 0}},
            "additionalProperties": {"type": "string"}, "pattern": null,
            "discriminator": {"propertyName": "a", "mapping": {"x": "#/x"}}
        });
        let (same, warnings) = fixed(schema.clone());
        assert_eq!(same, schema);
        assert!(warnings.is_empty(), "{warnings:?}");
        // Parameters are not read by the typed parse: not looked at.
        let mut doc = json!({"paths": {"/a": {"get": {
            "parameters": [{"name": "p", "in": "query", "schema": {"title": 0}}],
            "responses": {"200": {"content": {"application/json": {"schema": {"title": 1}}}}}}}}});
        let warnings = fix_schema_keywords(&mut doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings.first().map(|w| w.pointer.as_str()),
            Some("/paths/~1a/get/responses/200/content/application~1json/schema/title")
        );
    }
}
