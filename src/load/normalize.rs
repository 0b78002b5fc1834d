//! OpenAPI 3.1 / 3.2 → 3.0 shape, so the typed parse and the IR see what
//! they know. Only schema positions change (see [`super::walk`]), plus a
//! few top-level fixes.
//!
//! In every schema:
//! - `type: [T, "null"]` → `type: T, nullable: true`; `type: "null"` (or
//!   `["null"]`) → `nullable: true, enum: [null]`; several non-null types →
//!   `anyOf: [{type: A}, {type: B}, …]` (+ `nullable: true` when `null` was
//!   listed), each type's own keywords moved onto its member (`items` to the
//!   array member, `properties` to the object member, numeric bounds to
//!   every numeric member, `format` when only one member can take it, enum
//!   values split by their JSON type; a member no enum value fits is dropped).
//! - `const: v` → `enum: [v]`, `x-oapi-const: true`.
//! - `examples: [a, …]` → `x-oapi-examples: [a, …]`, and `example: a` when
//!   there is no `example`.
//! - `$ref` with siblings other than `summary` → `allOf: [{$ref}]` with the
//!   siblings (`description`, `default`, `nullable`, …) kept beside it.
//! - numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true`
//!   (unless a larger `minimum` makes it moot); the same for maximum.
//! - `$defs` entries are hoisted into `components.schemas` under their key
//!   (a clash appends `2`, `3`, …, in order of their pointers) and refs into
//!   them are rewritten.
//! - `$schema`, `$id`, `$comment`, `contentMediaType`, `contentEncoding`,
//!   `unevaluatedProperties` are dropped; `prefixItems` (and the old array
//!   form of `items`) is kept as `x-oapi-prefixItems`; boolean schemas
//!   become `{}` / `{not: {}}` (except for `additionalProperties`). Unknown
//!   keys are kept.
//!
//! Top level: `openapi` becomes `"3.0.3"` and the original version is kept
//! in `x-oapi-original-version`; `paths: {}` is added when missing; an
//! operation without `responses` gets `responses: {}`; `mutualTLS` security
//! schemes move to `components.x-oapi-mutualTLS`. `webhooks`,
//! `jsonSchemaDialect`, `info.license.identifier` and 3.2 tag fields stay
//! (the typed parse ignores them; webhook schemas are normalised too).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value, json};

use super::percent_decode;
use super::walk::{
    Ctx, deep_clone, for_each_schema_mut, fragment, move_key, pointer_from_tokens, pointer_of,
    pointer_tokens, rename_key, sanitize_name, unique_name, visit,
};
use crate::error::{Error, Result, escape_pointer_token};

/// The OpenAPI version the output claims.
const TARGET_VERSION: &str = "3.0.3";

/// HTTP methods of a 3.0 path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords dropped from schemas.
const DROPPED: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "contentMediaType",
    "contentEncoding",
    "unevaluatedProperties",
];

/// Keywords that apply to strings only.
const STRING_KEYS: &[&str] = &["minLength", "maxLength", "pattern"];
/// Keywords that apply to numbers and integers.
const NUMBER_KEYS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
/// Keywords that apply to arrays only.
const ARRAY_KEYS: &[&str] = &[
    "items",
    "x-oapi-prefixItems",
    "x-oapi-items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "additionalItems",
];
/// Keywords that apply to objects only.
const OBJECT_KEYS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
];

/// Converts a (joined) OpenAPI 3.1/3.2 document to 3.0 shape.
pub(crate) fn normalize(path: &Path, document: Value) -> Result<Value> {
    let mut document = document;
    let Some(root) = document.as_object_mut() else {
        return Err(Error::spec(
            path,
            "",
            "not an OpenAPI document: the top level is not an object",
        ));
    };
    top_level(root);
    let defs = hoist_defs(path, &mut document)?;
    for_each_schema_mut(&mut document, Ctx::Root, false, |value, ctx| {
        normalize_schema(value, ctx, &defs);
        Ok(())
    })?;
    Ok(document)
}

/// What OpenAPI 3.0 (and converted Swagger 2.0) documents write in the
/// 3.1 way, brought to 3.0 shape like a 3.1 document: `type` arrays and
/// `type: "null"` (→ `nullable`, `anyOf`), draft-4 tuple `items: [..]` (→
/// `x-oapi-prefixItems`). A `type` that is no type name at all (a number,
/// an object, a list with one) is moved to [`INVALID_TYPE_KEY`], where the
/// IR finds it and types the schema by the fallback.
pub(crate) fn normalize_v30_shapes(document: &mut Value) -> Result<()> {
    for_each_schema_mut(document, Ctx::Root, false, |value, _| {
        let Value::Object(map) = value else {
            return Ok(());
        };
        let odd_type = match map.get("type") {
            Some(Value::String(t)) => t == "null",
            Some(_) => true,
            None => false,
        };
        let tuple = map.get("items").is_some_and(Value::is_array);
        if !odd_type && !tuple {
            return Ok(());
        }
        if tuple {
            move_key(map, "items", "x-oapi-prefixItems");
        }
        if odd_type {
            split_types(map);
        }
        if map.get("type").is_some_and(|t| !t.is_string()) {
            move_key(map, "type", INVALID_TYPE_KEY);
        }
        Ok(())
    })
}

/// Where a `type` that names no type is kept for the IR.
pub(crate) const INVALID_TYPE_KEY: &str = "x-oapi-invalid-type";

/// Version, `paths`, operations without responses, `mutualTLS`.
fn top_level(root: &mut Map<String, Value>) {
    let original = root.get("openapi").cloned().unwrap_or(Value::Null);
    root.insert("openapi".to_string(), json!(TARGET_VERSION));
    let at = root
        .iter()
        .position(|(k, _)| k == "openapi")
        .map_or(0, |i| i + 1);
    root.shift_insert(at, "x-oapi-original-version".to_string(), original);
    if !root.contains_key("paths") {
        let at = root
            .iter()
            .position(|(k, _)| k == "info")
            .map_or(root.len(), |i| i + 1);
        root.shift_insert(at, "paths".to_string(), json!({}));
    }
    // Path items whose operations the typed parse reads.
    let mut items: Vec<&mut Value> = Vec::new();
    let (paths, components) = split_two(root, "paths", "components");
    if let Some(Value::Object(paths)) = paths {
        items.extend(paths.values_mut());
    }
    if let Some(Value::Object(components)) = components {
        move_mutual_tls(components);
        if let Some(Value::Object(callbacks)) = components.get_mut("callbacks") {
            for callback in callbacks.values_mut() {
                if let Value::Object(expressions) = callback {
                    items.extend(expressions.values_mut());
                }
            }
        }
    }
    while let Some(item) = items.pop() {
        let Value::Object(item) = item else { continue };
        if item.contains_key("$ref") {
            continue;
        }
        for (method, operation) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Value::Object(operation) = operation else {
                continue;
            };
            if !operation.contains_key("responses") {
                operation.insert("responses".to_string(), json!({}));
            }
            if let Some(Value::Object(callbacks)) = operation.get_mut("callbacks") {
                for callback in callbacks.values_mut() {
                    if let Value::Object(expressions) = callback {
                        items.extend(expressions.values_mut());
                    }
                }
            }
        }
    }
}

/// Mutable access to two different keys of one map.
fn split_two<'a>(
    map: &'a mut Map<String, Value>,
    a: &str,
    b: &str,
) -> (Option<&'a mut Value>, Option<&'a mut Value>) {
    let mut first = None;
    let mut second = None;
    for (key, value) in map.iter_mut() {
        if key == a {
            first = Some(value);
        } else if key == b {
            second = Some(value);
        }
    }
    (first, second)
}

/// 3.0 has no `mutualTLS` security scheme: such schemes move to
/// `components.x-oapi-mutualTLS`.
fn move_mutual_tls(components: &mut Map<String, Value>) {
    let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") else {
        return;
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(k, _)| k.clone())
        .collect();
    if names.is_empty() {
        return;
    }
    let mut moved = Map::new();
    for name in names {
        if let Some(scheme) = schemes.shift_remove(&name) {
            moved.insert(name, scheme);
        }
    }
    components.insert("x-oapi-mutualTLS".to_string(), Value::Object(moved));
}

/// Moves every `$defs` entry into `components.schemas`; returns the old
/// pointer of each entry → its component name.
fn hoist_defs(path: &Path, document: &mut Value) -> Result<HashMap<String, String>> {
    let mut found: Vec<(String, String)> = Vec::new();
    visit(document, Ctx::Root, false, |value, ctx, trail| {
        if ctx.is_schema()
            && let Some(Value::Object(defs)) = value.get("$defs")
        {
            let holder = pointer_of(trail);
            for key in defs.keys() {
                found.push((holder.clone(), key.clone()));
            }
        }
        Ok(true)
    })?;
    let mut names = HashMap::new();
    if found.is_empty() {
        return Ok(names);
    }
    let entry_pointer =
        |(holder, key): &(String, String)| format!("{holder}/$defs/{}", escape_pointer_token(key));
    found.sort_by_key(|e| entry_pointer(e));
    let mut taken: HashSet<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut ordered: Vec<(String, String)> = Vec::with_capacity(found.len());
    for entry in &found {
        let base = sanitize_name(&entry.1);
        let base = if base.is_empty() {
            "Schema".to_string()
        } else {
            base
        };
        let name = unique_name(&base, &taken);
        taken.insert(name.clone());
        names.insert(entry_pointer(entry), name.clone());
        ordered.push((entry_pointer(entry), name));
    }
    // Take the entries out, deepest first so nested ones leave their parent
    // entry before it moves.
    let mut by_depth: Vec<&(String, String)> = found.iter().collect();
    by_depth.sort_by_key(|e| std::cmp::Reverse(entry_pointer(e).len()));
    let mut taken_out: HashMap<String, Value> = HashMap::new();
    for entry in by_depth {
        let (holder, key) = entry;
        let Some(Value::Object(holder_map)) = document.pointer_mut(holder) else {
            return Err(Error::spec(
                path,
                holder.as_str(),
                "internal error: lost a `$defs`",
            ));
        };
        let Some(Value::Object(defs)) = holder_map.get_mut("$defs") else {
            return Err(Error::spec(
                path,
                holder.as_str(),
                "internal error: lost a `$defs`",
            ));
        };
        if let Some(value) = defs.shift_remove(key) {
            taken_out.insert(entry_pointer(entry), value);
        }
        if defs.is_empty() {
            holder_map.shift_remove("$defs");
        }
    }
    let Some(root) = document.as_object_mut() else {
        return Ok(names);
    };
    let components = root.entry("components").or_insert_with(|| json!({}));
    let Value::Object(components) = components else {
        return Err(Error::spec(path, "/components", "expected an object"));
    };
    let schemas = components.entry("schemas").or_insert_with(|| json!({}));
    let Value::Object(schemas) = schemas else {
        return Err(Error::spec(
            path,
            "/components/schemas",
            "expected an object",
        ));
    };
    for (pointer, name) in ordered {
        if let Some(value) = taken_out.remove(&pointer) {
            schemas.insert(name, value);
        }
    }
    Ok(names)
}

/// The new fragment for a `#…` ref into a hoisted `$defs` entry.
fn rewrite_defs_ref(reference: &str, defs: &HashMap<String, String>) -> Option<String> {
    if defs.is_empty() || !reference.contains("$defs") {
        return None;
    }
    let pointer = percent_decode(reference.strip_prefix('#')?);
    let tokens = pointer_tokens(&pointer)?;
    for end in (2..=tokens.len()).rev() {
        if tokens.get(end - 2).map(String::as_str) != Some("$defs") {
            continue;
        }
        let prefix = pointer_from_tokens(tokens.get(..end)?);
        if let Some(name) = defs.get(&prefix) {
            let rest = pointer_from_tokens(tokens.get(end..)?);
            return Some(fragment(&format!(
                "/components/schemas/{}{rest}",
                escape_pointer_token(name)
            )));
        }
    }
    None
}

/// Rewrites one schema node (its children are walked afterwards).
fn normalize_schema(value: &mut Value, ctx: Ctx, defs: &HashMap<String, String>) {
    let map = match value {
        Value::Bool(b) if ctx != Ctx::AdditionalProperties => {
            *value = if *b { json!({}) } else { json!({"not": {}}) };
            return;
        }
        Value::Object(map) => map,
        _ => return,
    };
    // Most schemas need nothing: look at the keys once before any lookup.
    let needs_work = map.iter().any(|(k, v)| match k.as_str() {
        "type" => !matches!(v, Value::String(t) if t != "null"),
        "items" | "examples" => v.is_array(),
        "exclusiveMinimum" | "exclusiveMaximum" => v.is_number(),
        "prefixItems" | "$ref" | "discriminator" | "const" => true,
        other => DROPPED.contains(&other),
    });
    if !needs_work {
        return;
    }
    for key in DROPPED {
        map.shift_remove(*key);
    }
    move_key(map, "prefixItems", "x-oapi-prefixItems");
    if map.get("items").is_some_and(Value::is_array) {
        let new = if map.contains_key("x-oapi-prefixItems") {
            "x-oapi-items"
        } else {
            "x-oapi-prefixItems"
        };
        move_key(map, "items", new);
    }
    if let Some(Value::String(reference)) = map.get_mut("$ref")
        && let Some(new) = rewrite_defs_ref(reference, defs)
    {
        *reference = new;
    }
    if let Some(Value::Object(mapping)) = map
        .get_mut("discriminator")
        .and_then(|d| d.get_mut("mapping"))
    {
        for target in mapping.values_mut() {
            if let Value::String(reference) = target
                && let Some(new) = rewrite_defs_ref(reference, defs)
            {
                *reference = new;
            }
        }
    }
    wrap_ref_siblings(map);
    if let Some(slot) = map.get_mut("const") {
        let constant = std::mem::take(slot);
        let is_null = constant.is_null();
        rename_key(map, "const", "enum", Value::Array(vec![constant]));
        map.insert("x-oapi-const".to_string(), Value::Bool(true));
        if is_null {
            map.insert("nullable".to_string(), Value::Bool(true));
        }
    }
    if map.get("examples").is_some_and(Value::is_array) {
        let first = map
            .get("examples")
            .and_then(|e| e.get(0))
            .filter(|_| !map.contains_key("example"))
            .map(deep_clone);
        move_key(map, "examples", "x-oapi-examples");
        if let Some(first) = first {
            map.insert("example".to_string(), first);
        }
    }
    exclusive_bounds(map);
    split_types(map);
    if map.get("type").is_some_and(|t| !t.is_string()) {
        move_key(map, "type", INVALID_TYPE_KEY);
    }
}

/// `{$ref, siblings…}` → `{allOf: [{$ref}], siblings…}` when a sibling other
/// than `summary` is present.
fn wrap_ref_siblings(map: &mut Map<String, Value>) {
    let Some(reference) = map.get("$ref").cloned() else {
        return;
    };
    if !reference.is_string() || map.keys().all(|k| k == "$ref" || k == "summary") {
        return;
    }
    let member = json!({ "$ref": reference });
    let has_all_of = matches!(map.get("allOf"), Some(Value::Array(_)));
    let old = std::mem::take(map);
    for (key, value) in old {
        match (key.as_str(), value) {
            ("$ref", _) => {
                if !has_all_of {
                    map.insert("allOf".to_string(), Value::Array(vec![member.clone()]));
                }
            }
            ("allOf", Value::Array(mut members)) => {
                members.insert(0, member.clone());
                map.insert(key, Value::Array(members));
            }
            (_, value) => {
                map.insert(key, value);
            }
        }
    }
}

/// 3.1 numeric `exclusiveMinimum`/`exclusiveMaximum` → 3.0 booleans.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(limit)) = map.get(exclusive).cloned() else {
            continue;
        };
        let limit_f = limit.as_f64().unwrap_or(0.0);
        let stricter_bound = map
            .get(bound)
            .and_then(Value::as_f64)
            .is_some_and(|b| if lower { b > limit_f } else { b < limit_f });
        if stricter_bound {
            map.shift_remove(exclusive);
        } else {
            map.insert(bound.to_string(), Value::Number(limit));
            map.insert(exclusive.to_string(), Value::Bool(true));
        }
    }
}

/// `nullable: true, enum: [null]`: the schema of `null` alone.
fn null_only(map: &mut Map<String, Value>) {
    map.insert("nullable".to_string(), Value::Bool(true));
    map.insert("enum".to_string(), json!([null]));
}

/// Type arrays and `"null"` types (see the module docs).
fn split_types(map: &mut Map<String, Value>) {
    let Some(ty) = map.get("type") else { return };
    let (names, has_null) = match ty {
        Value::String(s) if s == "null" => (Vec::new(), true),
        Value::String(_) => return,
        Value::Array(list) => {
            let mut names: Vec<String> = Vec::new();
            let mut has_null = false;
            for t in list {
                match t.as_str() {
                    Some("null") => has_null = true,
                    Some(s) => {
                        if !names.iter().any(|n| n == s) {
                            names.push(s.to_string());
                        }
                    }
                    // Not a list of type names: leave it for the typed parse to report.
                    None => return,
                }
            }
            (names, has_null)
        }
        _ => return,
    };
    let type_at = map.iter().position(|(k, _)| k == "type").unwrap_or(0);
    match names.as_slice() {
        [] => {
            map.shift_remove("type");
            null_only(map);
        }
        [single] => {
            map.insert("type".to_string(), Value::String(single.clone()));
            if has_null {
                map.insert("nullable".to_string(), Value::Bool(true));
            }
        }
        _ => split_members(map, &names, has_null, type_at),
    }
}

/// Whether keyword `key` applies to instances of type `ty`.
fn applies(key: &str, ty: &str) -> bool {
    match ty {
        "string" => STRING_KEYS.contains(&key) || key == "format",
        "number" | "integer" => NUMBER_KEYS.contains(&key) || key == "format",
        "array" => ARRAY_KEYS.contains(&key),
        "object" => OBJECT_KEYS.contains(&key),
        _ => false,
    }
}

/// Whether an enum value is of JSON type `ty`.
fn is_of_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// Several non-null types → `anyOf` of one member per type.
fn split_members(map: &mut Map<String, Value>, names: &[String], has_null: bool, type_at: usize) {
    map.shift_remove("type");
    let enum_values = match map.shift_remove("enum") {
        Some(Value::Array(values)) => Some(values),
        Some(other) => {
            // Malformed enum: keep it where it was.
            map.insert("enum".to_string(), other);
            None
        }
        None => None,
    };
    let mut members: Vec<Map<String, Value>> = names
        .iter()
        .map(|n| {
            let mut m = Map::new();
            m.insert("type".to_string(), Value::String(n.clone()));
            m
        })
        .collect();
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let accepting: Vec<usize> = names
            .iter()
            .enumerate()
            .filter(|(_, n)| applies(&key, n))
            .map(|(i, _)| i)
            .collect();
        let numeric = NUMBER_KEYS.contains(&key.as_str());
        let movable = match accepting.len() {
            0 => false,
            1 => true,
            // Numeric bounds mean the same for `number` and `integer`.
            _ => numeric,
        };
        if !movable {
            continue;
        }
        let Some(value) = map.shift_remove(&key) else {
            continue;
        };
        for i in accepting {
            if let Some(member) = members.get_mut(i) {
                member.insert(key.clone(), deep_clone(&value));
            }
        }
    }
    if let Some(values) = &enum_values {
        let mut kept = Vec::new();
        for (member, name) in members.into_iter().zip(names) {
            let fitting: Vec<Value> = values
                .iter()
                .filter(|v| is_of_type(v, name))
                .map(deep_clone)
                .collect();
            if !fitting.is_empty() {
                let mut member = member;
                member.insert("enum".to_string(), Value::Array(fitting));
                kept.push(member);
            }
        }
        members = kept;
    }
    if has_null {
        map.insert("nullable".to_string(), Value::Bool(true));
    }
    let at = type_at.min(map.len());
    match members.len() {
        0 => {
            if has_null {
                null_only(map);
            } else if let Some(values) = enum_values {
                // No listed type fits any enum value: keep what was written.
                map.insert("type".to_string(), json!(names));
                map.insert("enum".to_string(), Value::Array(values));
            }
        }
        1 => {
            if let Some(mut member) = members.pop() {
                // A nullable enum must list `null` to accept it.
                let null_listed = enum_values
                    .as_ref()
                    .is_some_and(|values| values.iter().any(Value::is_null));
                if has_null
                    && null_listed
                    && let Some(Value::Array(values)) = member.get_mut("enum")
                {
                    values.push(Value::Null);
                }
                for (i, (key, value)) in member.into_iter().enumerate() {
                    map.shift_insert((at + i).min(map.len()), key, value);
                }
            }
        }
        _ => {
            let any_of = Value::Array(members.into_iter().map(Value::Object).collect());
            if map.contains_key("anyOf") {
                let extra = json!({ "anyOf": any_of });
                match map.get_mut("allOf") {
                    Some(Value::Array(all_of)) => all_of.push(extra),
                    _ => {
                        map.insert("allOf".to_string(), Value::Array(vec![extra]));
                    }
                }
            } else {
                map.shift_insert(at, "anyOf".to_string(), any_of);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(schema: Value) -> Value {
        let mut v = schema;
        normalize_schema(&mut v, Ctx::Schema, &HashMap::new());
        v
    }

    #[test]
    fn type_arrays() {
        assert_eq!(
            norm(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            norm(json!({"type": "null"})),
            json!({"nullable": true, "enum": [null]})
        );
        assert_eq!(
            norm(json!({"type": ["null"]})),
            json!({"nullable": true, "enum": [null]})
        );
        assert_eq!(
            norm(
                json!({"type": ["array", "object", "null"], "items": {"type": "string"},
                        "properties": {"a": {}}, "description": "d"})
            ),
            json!({"anyOf": [{"type": "array", "items": {"type": "string"}},
                             {"type": "object", "properties": {"a": {}}}],
                   "description": "d", "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": ["integer", "number"], "minimum": 1, "format": "int64"})),
            json!({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "number", "minimum": 1}],
                   "format": "int64"})
        );
    }

    #[test]
    fn enum_split_by_type() {
        assert_eq!(
            norm(json!({"type": ["string", "integer", "boolean"], "enum": ["a", 1]})),
            json!({"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "integer", "enum": [1]}]})
        );
        assert_eq!(
            norm(json!({"type": ["string", "integer"], "enum": ["a", "b"], "title": "t"})),
            json!({"type": "string", "enum": ["a", "b"], "title": "t"})
        );
        assert_eq!(
            norm(json!({"type": ["string", "integer", "null"], "enum": ["a", null]})),
            json!({"type": "string", "enum": ["a", null], "nullable": true})
        );
    }

    #[test]
    fn const_examples_bounds() {
        assert_eq!(
            norm(json!({"const": "x", "type": "string"})),
            json!({"enum": ["x"], "type": "string", "x-oapi-const": true})
        );
        assert_eq!(
            norm(json!({"examples": [1, 2]})),
            json!({"x-oapi-examples": [1, 2], "example": 1})
        );
        assert_eq!(
            norm(json!({"examples": [1, 2], "example": 0})),
            json!({"x-oapi-examples": [1, 2], "example": 0})
        );
        assert_eq!(
            norm(
                json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5})
            ),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
        // 3.0-style booleans are left alone.
        assert_eq!(
            norm(json!({"minimum": 1, "exclusiveMinimum": true})),
            json!({"minimum": 1, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn ref_siblings() {
        assert_eq!(
            norm(json!({"$ref": "#/a", "summary": "s"})),
            json!({"$ref": "#/a", "summary": "s"})
        );
        assert_eq!(
            norm(json!({"description": "d", "$ref": "#/a", "default": 1})),
            json!({"description": "d", "allOf": [{"$ref": "#/a"}], "default": 1})
        );
        assert_eq!(
            norm(json!({"$ref": "#/a", "allOf": [{"$ref": "#/b"}]})),
            json!({"allOf": [{"$ref": "#/a"}, {"$ref": "#/b"}]})
        );
    }

    #[test]
    fn dropped_and_renamed() {
        assert_eq!(
            norm(
                json!({"$id": "x", "$schema": "y", "$comment": "c", "type": "array",
                        "prefixItems": [{"type": "string"}], "x-keep": 1})
            ),
            json!({"type": "array", "x-oapi-prefixItems": [{"type": "string"}], "x-keep": 1})
        );
        assert_eq!(norm(json!(true)), json!({}));
        assert_eq!(norm(json!(false)), json!({"not": {}}));
        let mut v = json!(false);
        normalize_schema(&mut v, Ctx::AdditionalProperties, &HashMap::new());
        assert_eq!(v, json!(false));
    }

    #[test]
    fn defs_refs() {
        let defs: HashMap<String, String> = [(
            "/components/schemas/A/$defs/B".to_string(),
            "B2".to_string(),
        )]
        .into();
        assert_eq!(
            rewrite_defs_ref("#/components/schemas/A/$defs/B/properties/x", &defs).as_deref(),
            Some("#/components/schemas/B2/properties/x")
        );
        assert_eq!(rewrite_defs_ref("#/components/schemas/A", &defs), None);
    }
}
