//! `$ref`s to any schema location, not only `#/components/schemas/<name>`.
//!
//! Real specs point at `…/properties/x`, `…/allOf/0`, `…/items`,
//! `definitions` nested in a component, schemas under `paths`, `responses`
//! or `parameters`. The IR only follows references to component schemas,
//! so this step (the last of the loader's conversions) makes every target of
//! such a reference a component schema of its own:
//!
//! - a target in a schema position is *moved*: it becomes
//!   `components.schemas.<Name>` and its old place holds a `$ref` to it, so
//!   the schema that contained it and every reference to it use one type,
//!   generated once;
//! - a target elsewhere (a schema-shaped object under `x-…`, a Swagger-style
//!   `definitions` left in a 3.0 document) is *copied* there;
//! - a target that is itself a `$ref` is skipped: references to it go to
//!   what it refers to (a chain that comes back to itself is an error: a
//!   type made only of itself).
//!
//! `<Name>` is the name the target's own place gives it: the enclosing
//! component, request body, response, parameter or operation, then the
//! property names (and `Item`, `Value`, `VariantN`, the `definitions` key)
//! on the way down (`#/components/schemas/Disk/properties/filesystem` →
//! `DiskFilesystem`), made unique among the component names.
//!
//! The document records each new component's original place in
//! `x-oapi-hoisted` (name → JSON pointer) at its root: the IR uses that
//! place as the model's pointer, so messages point at the schema as the
//! author wrote it, and a moved schema that is not a model (a string, an
//! array) gets no alias of its own.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use super::percent_decode;
use super::walk::{Ctx, fragment, pointer_from_tokens, pointer_tokens, settle, visit, walk_mut};
use crate::error::{Error, Result, escape_pointer_token};

/// The root key holding the new components' original places.
pub(crate) const HOISTED_KEY: &str = "x-oapi-hoisted";

/// Makes every local `$ref` in a schema position (and every discriminator
/// mapping value) point at a component schema; see the module docs.
pub(crate) fn hoist_ref_targets(path: &Path, document: &mut Value) -> Result<()> {
    let targets = collect_targets(document)?;
    if targets.is_empty() {
        return Ok(());
    }
    // What each target is: a schema to move, another node to copy, or a
    // `$ref` to follow.
    let mut moves: Vec<(String, Vec<String>)> = Vec::new();
    let mut copies: Vec<(String, Vec<String>)> = Vec::new();
    let mut chains: HashMap<String, String> = HashMap::new();
    for target in &targets {
        let Some(tokens) = pointer_tokens(target) else {
            continue;
        };
        let Some((value, ctx)) = locate(document, &tokens) else {
            // A pointer to nothing was reported before this step; a
            // document without one is left as it is.
            continue;
        };
        if let Some(next) = value.get("$ref").and_then(Value::as_str) {
            chains.insert(target.clone(), next.to_string());
            continue;
        }
        if ctx.is_schema() {
            moves.push((target.clone(), tokens));
        } else {
            copies.push((target.clone(), tokens));
        }
    }
    // Names, in the order of the targets' pointers (sorted), so they do not
    // depend on where the references are.
    let mut taken: HashSet<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| k.to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let mut named: Vec<(&String, &Vec<String>, bool)> = moves
        .iter()
        .map(|(p, t)| (p, t, true))
        .chain(copies.iter().map(|(p, t)| (p, t, false)))
        .collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (pointer, tokens, _) in &named {
        let base = place_name(document, tokens);
        let name = unique_name_ignoring_case(&base, &taken);
        taken.insert(name.to_ascii_lowercase());
        names.insert((*pointer).clone(), name);
    }
    // Take the values out (or copy them), deepest first, so a target inside
    // another leaves a `$ref` in its parent before the parent moves.
    named.sort_by_key(|(p, t, _)| (std::cmp::Reverse(t.len()), (*p).clone()));
    let mut taken_out: Vec<(String, Value)> = Vec::with_capacity(named.len());
    for (pointer, _, is_move) in &named {
        let Some(name) = names.get(*pointer) else {
            continue;
        };
        let Some(slot) = document.pointer_mut(pointer) else {
            continue;
        };
        let value = if *is_move {
            let mut reference = Map::new();
            reference.insert("$ref".to_string(), Value::String(component_ref(name)));
            std::mem::replace(slot, Value::Object(reference))
        } else {
            slot.clone()
        };
        taken_out.push((name.clone(), value));
    }
    taken_out.sort_by(|a, b| a.0.cmp(&b.0));
    let schemas = components_schemas(path, document)?;
    for (name, value) in taken_out {
        schemas.insert(name, value);
    }
    // Every reference now goes to a component: the new name of its
    // target, or, through a chain of `$ref`s, where the chain ends.
    let resolve = |reference: &str| -> Result<Option<String>> {
        let mut current = reference.to_string();
        let mut seen = HashSet::new();
        loop {
            let Some(fragment_text) = current.strip_prefix('#') else {
                return Ok(None);
            };
            let pointer = percent_decode(fragment_text);
            if let Some(name) = names.get(&pointer) {
                return Ok(Some(component_ref(name)));
            }
            match chains.get(&pointer) {
                Some(next) => {
                    if !seen.insert(pointer.clone()) {
                        return Err(Error::spec(
                            path,
                            format!("{pointer}/$ref"),
                            format!(
                                "$ref {current:?} is part of a cycle of references that never \
                                 reaches a schema (a type made only of itself)"
                            ),
                        ));
                    }
                    current = next.clone();
                }
                None if current == reference => return Ok(None),
                None => return Ok(Some(current)),
            }
        }
    };
    let mut failure: Option<Error> = None;
    walk_mut(document, Ctx::Root, false, |value, ctx| {
        if failure.is_some() || !ctx.is_schema() {
            return Ok(());
        }
        let Value::Object(map) = value else {
            return Ok(());
        };
        if let Some(Value::String(reference)) = map.get_mut("$ref") {
            match resolve(reference) {
                Ok(Some(new)) => *reference = new,
                Ok(None) => {}
                Err(e) => failure = Some(e),
            }
        }
        if let Some(Value::Object(mapping)) = map
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
        {
            for value in mapping.values_mut() {
                if let Value::String(reference) = value {
                    match resolve(reference) {
                        Ok(Some(new)) => *reference = new,
                        Ok(None) => {}
                        Err(e) => failure = Some(e),
                    }
                }
            }
        }
        Ok(())
    })?;
    if let Some(error) = failure {
        return Err(error);
    }
    if let Value::Object(root) = document {
        let places: Map<String, Value> = names
            .iter()
            .map(|(pointer, name)| (name.clone(), Value::String(pointer.clone())))
            .collect();
        if !places.is_empty() {
            let mut sorted: Vec<(String, Value)> = places.into_iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            root.insert(
                HOISTED_KEY.to_string(),
                Value::Object(sorted.into_iter().collect()),
            );
        }
    }
    Ok(())
}

/// `#/components/schemas/<name>`.
fn component_ref(name: &str) -> String {
    fragment(&format!(
        "/components/schemas/{}",
        escape_pointer_token(name)
    ))
}

/// `components.schemas`, made when missing.
fn components_schemas<'d>(
    path: &Path,
    document: &'d mut Value,
) -> Result<&'d mut Map<String, Value>> {
    let Value::Object(root) = document else {
        return Err(Error::spec(path, "", "expected an object"));
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(components) = components else {
        return Err(Error::spec(path, "/components", "expected an object"));
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    match schemas {
        Value::Object(schemas) => Ok(schemas),
        _ => Err(Error::spec(
            path,
            "/components/schemas",
            "expected an object",
        )),
    }
}

/// Whether a decoded pointer names a component schema itself.
fn is_component_root(pointer: &str) -> bool {
    pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

/// The decoded pointers that local references in schema positions (and
/// discriminator mappings) point at, other than component schemas; sorted.
fn collect_targets(document: &Value) -> Result<Vec<String>> {
    let mut found: HashSet<String> = HashSet::new();
    let mut note = |reference: &str| {
        if let Some(fragment_text) = reference.strip_prefix('#') {
            let pointer = percent_decode(fragment_text);
            if !pointer.is_empty() && !is_component_root(&pointer) {
                found.insert(pointer);
            }
        }
    };
    visit(document, Ctx::Root, false, |value, ctx, _| {
        if ctx.is_schema()
            && let Value::Object(map) = value
        {
            if let Some(Value::String(reference)) = map.get("$ref") {
                note(reference);
            }
            if let Some(Value::Object(mapping)) =
                map.get("discriminator").and_then(|d| d.get("mapping"))
            {
                for reference in mapping.values().filter_map(Value::as_str) {
                    note(reference);
                }
            }
        }
        Ok(true)
    })?;
    // Chains of references between targets are followed in the rewrite;
    // a target that is a `$ref` to another target adds that one too (it is
    // already among the references of schema positions, being one itself).
    let mut sorted: Vec<String> = found.into_iter().collect();
    sorted.sort();
    Ok(sorted)
}

/// The node at `tokens` and its context (what [`Ctx`] the walkers give it).
fn locate<'d>(document: &'d Value, tokens: &[String]) -> Option<(&'d Value, Ctx)> {
    let mut value = document;
    let mut ctx = Ctx::Root;
    for token in tokens {
        match value {
            Value::Object(map) => {
                ctx = settle(ctx.child(token, false), map.get(token)?);
                value = map.get(token)?;
            }
            Value::Array(items) => {
                let index: usize = token.parse().ok()?;
                value = items.get(index)?;
                ctx = settle(ctx.element(), value);
            }
            _ => return None,
        }
    }
    Some((value, ctx))
}

/// `base` or `base2`, `base3`, …: the first whose lower case `taken` does
/// not hold (the IR's names are unique ignoring case).
fn unique_name_ignoring_case(base: &str, taken: &HashSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 2usize;
    while taken.contains(&candidate.to_ascii_lowercase()) {
        candidate = format!("{base}{n}");
        n += 1;
    }
    candidate
}

/// The name a schema's place gives it (see the module docs).
fn place_name(document: &Value, tokens: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    // Where the schemas begin: after the enclosing component, operation or
    // path.
    let start = match tokens {
        [c, kind, name, ..] if c == "components" => {
            parts.push(name.clone());
            match kind.as_str() {
                "requestBodies" => parts.push("Request".to_string()),
                "responses" => parts.push("Response".to_string()),
                _ => {}
            }
            3
        }
        [p, path, method, ..] if p == "paths" && method != "parameters" => {
            let operation_id = document
                .pointer(&pointer_from_tokens(&[p, path, method]))
                .and_then(|o| o.get("operationId"))
                .and_then(Value::as_str);
            match operation_id {
                Some(id) => parts.push(id.to_string()),
                None => parts.push(format!("{method} {path}")),
            }
            3
        }
        [p, path, ..] if p == "paths" => {
            parts.push(path.clone());
            2
        }
        _ => 0,
    };
    let token = |i: usize| tokens.get(i).map(String::as_str);
    let index = |i: usize| token(i).and_then(|t| t.parse::<usize>().ok());
    let mut i = start;
    let mut after_property = false;
    while let Some(current) = token(i) {
        let next = token(i + 1);
        let mut step = 1;
        let mut property = false;
        match current {
            "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas"
            | "schemas" | "headers" => {
                if let Some(key) = next {
                    parts.push(key.to_string());
                    step = 2;
                }
                property = current == "properties";
            }
            "items" if !after_property => parts.push("Item".to_string()),
            "additionalProperties" => parts.push("Value".to_string()),
            "content" => step = 2,
            "allOf" => {
                // An `allOf` member's properties belong to the whole; the
                // member itself is a part of it.
                if let Some(n) = index(i + 1) {
                    if token(i + 2).is_none() {
                        parts.push(format!("AllOf{}", n + 1));
                    }
                    step = 2;
                }
            }
            "oneOf" | "anyOf" => {
                // A union member: its title, else its position (as the IR
                // names inline members).
                if let Some(n) = index(i + 1) {
                    let at = pointer_from_tokens(tokens.get(..i + 2).unwrap_or_default());
                    match document
                        .pointer(&at)
                        .and_then(|m| m.get("title"))
                        .and_then(Value::as_str)
                    {
                        Some(title) => parts.push(title.to_string()),
                        None => parts.push(format!("Variant{}", n + 1)),
                    }
                    step = 2;
                }
            }
            "requestBody" => parts.push("Request".to_string()),
            "responses" => {
                parts.push("Response".to_string());
                if let Some(code) = next {
                    if !code.starts_with('2') {
                        parts.push(code.to_string());
                    }
                    step = 2;
                }
            }
            "parameters" => {
                if next.is_some() {
                    let at = pointer_from_tokens(tokens.get(..i + 2).unwrap_or_default());
                    let name = document
                        .pointer(&at)
                        .and_then(|p| p.get("name"))
                        .and_then(Value::as_str);
                    parts.push(name.unwrap_or("Parameter").to_string());
                    step = 2;
                }
            }
            "items" | "schema" | "not" | "x-oapi-prefixItems" | "prefixItems" => {}
            other if other.parse::<usize>().is_ok() => {}
            other => parts.push(other.to_string()),
        }
        after_property = property;
        i += step;
    }
    let name = parts
        .iter()
        .map(|p| p.to_upper_camel_case())
        .collect::<String>();
    if name.is_empty() {
        "Schema".to_string()
    } else {
        name
    }
}

/// The original place of a node of a hoisted component, for messages and
/// the IR: `/components/schemas/<name>/rest` → `<place>/rest`.
pub(crate) fn original_pointer(hoisted: &HashMap<String, String>, pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    let (name, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let name = name.replace("~1", "/").replace("~0", "~");
    hoisted.get(&name).map(|place| format!("{place}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn name(document: &Value, pointer: &str) -> String {
        place_name(document, &pointer_tokens(pointer).unwrap_or_default())
    }

    #[test]
    fn names_come_from_the_place() {
        let doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {}}],
                "get": {"operationId": "getA", "responses": {}},
                "put": {"responses": {}}
            }},
            "components": {"schemas": {"U": {"oneOf": [{}, {"title": "big one"}]}}}
        });
        let at = |p: &str| name(&doc, p);
        assert_eq!(
            at("/components/schemas/Disk/properties/filesystem"),
            "DiskFilesystem"
        );
        assert_eq!(
            at("/components/schemas/Disk/properties/labels/items"),
            "DiskLabels"
        );
        assert_eq!(at("/components/schemas/Disk/items"), "DiskItem");
        assert_eq!(at("/components/schemas/M/additionalProperties"), "MValue");
        assert_eq!(at("/components/schemas/T/allOf/0"), "TAllOf1");
        assert_eq!(at("/components/schemas/T/allOf/1/properties/x"), "TX");
        assert_eq!(at("/components/schemas/U/oneOf/0"), "UVariant1");
        assert_eq!(at("/components/schemas/U/oneOf/1"), "UBigOne");
        assert_eq!(at("/components/schemas/A/definitions/b"), "AB");
        assert_eq!(at("/components/parameters/Limit/schema"), "Limit");
        assert_eq!(
            at("/components/responses/Problem/content/application~1json/schema/properties/code"),
            "ProblemResponseCode"
        );
        assert_eq!(
            at("/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/properties/x"),
            "GetAResponseX"
        );
        assert_eq!(
            at("/paths/~1a~1{id}/put/responses/404/content/application~1json/schema"),
            "PutAIdResponse404"
        );
        assert_eq!(at("/paths/~1a~1{id}/parameters/0/schema"), "AIdId");
        assert_eq!(at(""), "Schema");
    }

    #[test]
    fn original_places_of_hoisted_nodes() {
        let hoisted: HashMap<String, String> = [(
            "DiskFs".to_string(),
            "/components/schemas/Disk/properties/fs".to_string(),
        )]
        .into();
        assert_eq!(
            original_pointer(&hoisted, "/components/schemas/DiskFs/properties/kind").as_deref(),
            Some("/components/schemas/Disk/properties/fs/properties/kind")
        );
        assert_eq!(
            original_pointer(&hoisted, "/components/schemas/Other"),
            None
        );
    }
}
