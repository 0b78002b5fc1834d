//! Where the schemas are: the structural context of every node of an
//! OpenAPI (or Swagger 2.0) document, and iterative walks that use it.
//!
//! A node is in a *schema position* when it is an entry of
//! `components.schemas` (Swagger: `definitions`), the value of a `schema`
//! (or 3.2 `itemSchema`) key of a parameter, header or media type, or, inside
//! a schema, a value of `properties/*`, `patternProperties/*`, `items`
//! (object or array form), `prefixItems/*`, `additionalProperties`,
//! `allOf/*`, `oneOf/*`, `anyOf/*`, `not`, `$defs/*`, `definitions/*`,
//! `contains`, `if`, `then`, `else`, `dependentSchemas/*` (and the other
//! JSON Schema subschema keywords `propertyNames`, `additionalItems`,
//! `unevaluatedItems`, `unevaluatedProperties`, `contentSchema`).
//!
//! **Which `$ref`s are references** (one rule, [`Ctx::holds_data`], applied
//! by every walk: the multi-file bundler, the local `$ref` check, the
//! Swagger 2.0 converter and the 3.1 normaliser): a `$ref` is followed only
//! on a schema or on an OpenAPI object that may be a Reference Object
//! (parameter, response, request body, header, example, link, callback,
//! path item, security scheme) or that leads to one. Everything below a
//! *data* position is data, never followed nor checked, even if it holds
//! `{"$ref": …}`: vendor extensions (`x-…` keys of any object that is not a
//! map of names, at any depth below them), example values (`example`,
//! `examples` of a schema, the content of an Example Object, which itself
//! may still be a `$ref`), `default`, `enum`, `const`, `externalDocs`,
//! `xml`, `discriminator` (its `mapping` is read where the schema is),
//! `info`, `servers`, `tags`, `security`, OAuth `flows`, and any keyword of
//! a schema that is not a schema keyword.
//! Everything else is a non-schema position, walked with enough structure to
//! know that the keys of `paths`, `responses`, `headers`, `content`, … are
//! names, not keywords (so a header called `x-rate-limit` is a header).
//!
//! Every walk here uses an explicit stack, so deep documents cannot overflow
//! the call stack.

use serde_json::{Map, Value};

use crate::error::Result;

/// What a node is, as far as references and schema rewriting care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// The document root.
    Root,
    /// `components` (OpenAPI 3).
    Components,
    /// `components.schemas` or Swagger `definitions`: names → component schemas.
    ComponentSchemas,
    /// One entry of `components.schemas` / `definitions`.
    ComponentEntry,
    /// A schema (or a `$ref` to one).
    Schema,
    /// `additionalProperties`: a schema, where `true`/`false` are also valid in 3.0.
    AdditionalProperties,
    /// A map from names to schemas (`properties`, `$defs`, …).
    SchemaMap,
    /// An array of schemas (`allOf`, `prefixItems`, …).
    SchemaList,
    /// `items`: a schema, or (array form) a list of schemas.
    SchemaOrList,
    /// An OpenAPI object that is not a schema (operation, parameter, …).
    Object,
    /// A map from names to non-schema objects (`headers`, `content`,
    /// `components.parameters`, …): every key is a name.
    ObjectMap,
    /// A map from names to non-schema objects that also takes `x-`
    /// extensions: `paths`, an operation's `responses`, a callback.
    ExtensibleMap,
    /// `callbacks`: names → (expressions → path items).
    CallbackMap,
    /// `examples` / `links`: names → objects that may be a `$ref` but hold data.
    RefOnlyMap,
    /// An example or link object: it may be a `$ref`; its content is data.
    RefOnly,
    /// Data (example values, defaults, enum values, extensions, …): not
    /// walked, and a `$ref` inside is not a reference (see [`Ctx::holds_data`]).
    Data,
}

impl Ctx {
    /// Whether a node in this context is a schema.
    pub(crate) fn is_schema(self) -> bool {
        matches!(
            self,
            Ctx::Schema | Ctx::ComponentEntry | Ctx::AdditionalProperties
        )
    }

    /// Whether the keys of an object in this context are names chosen by
    /// the author (so `$ref` is a reference only when its value is a string).
    pub(crate) fn is_name_map(self) -> bool {
        matches!(
            self,
            Ctx::ComponentSchemas
                | Ctx::SchemaMap
                | Ctx::ObjectMap
                | Ctx::ExtensibleMap
                | Ctx::CallbackMap
                | Ctx::RefOnlyMap
        )
    }

    /// Whether a `$ref` on a node in this context is a reference to follow
    /// (resolve, check, join in from another file): everywhere but in data.
    pub(crate) fn follows_refs(self) -> bool {
        self != Ctx::Data
    }

    /// Whether the value under `key` in an object of this context is data:
    /// the rule of which positions hold references (see the module
    /// documentation). `swagger2` selects the Swagger 2.0 layout, where a
    /// response's `examples` are example values by media type.
    pub(crate) fn holds_data(self, key: &str, swagger2: bool) -> bool {
        match self {
            // Keys of these maps are names; their values are what the map holds.
            Ctx::ComponentSchemas
            | Ctx::SchemaMap
            | Ctx::ObjectMap
            | Ctx::CallbackMap
            | Ctx::RefOnlyMap
            | Ctx::SchemaList
            | Ctx::SchemaOrList => false,
            Ctx::RefOnly | Ctx::Data => true,
            Ctx::Schema | Ctx::ComponentEntry | Ctx::AdditionalProperties => {
                !SCHEMA_KEYWORDS.contains(&key)
            }
            Ctx::ExtensibleMap => is_extension(key),
            Ctx::Root => {
                is_extension(key)
                    || matches!(
                        key,
                        "info" | "servers" | "tags" | "externalDocs" | "security"
                    )
            }
            Ctx::Components => is_extension(key),
            Ctx::Object => {
                is_extension(key)
                    || matches!(
                        key,
                        "example"
                            | "default"
                            | "enum"
                            | "const"
                            | "externalDocs"
                            | "servers"
                            | "security"
                            | "flows"
                            | "scopes"
                            | "mapping"
                    )
                    || (swagger2 && key == "examples")
            }
        }
    }

    /// The context of the value under `key` in an object of this context.
    /// `swagger2` selects the Swagger 2.0 layout (root `definitions`,
    /// `parameters`, `responses`; response `examples` are data).
    pub(crate) fn child(self, key: &str, swagger2: bool) -> Ctx {
        if self.holds_data(key, swagger2) {
            return Ctx::Data;
        }
        match self {
            Ctx::Root => match key {
                "components" if !swagger2 => Ctx::Components,
                "definitions" if swagger2 => Ctx::ComponentSchemas,
                "paths" => Ctx::ExtensibleMap,
                "webhooks" => Ctx::ObjectMap,
                "parameters" | "responses" | "securityDefinitions" if swagger2 => Ctx::ObjectMap,
                _ => Ctx::Object,
            },
            Ctx::Components => match key {
                "schemas" => Ctx::ComponentSchemas,
                "examples" | "links" => Ctx::RefOnlyMap,
                "callbacks" => Ctx::CallbackMap,
                _ => Ctx::ObjectMap,
            },
            Ctx::ComponentSchemas => Ctx::ComponentEntry,
            Ctx::Schema | Ctx::ComponentEntry | Ctx::AdditionalProperties => schema_child(key),
            Ctx::SchemaMap | Ctx::SchemaList => Ctx::Schema,
            // Only reached for array elements of the list form.
            Ctx::SchemaOrList => Ctx::Schema,
            Ctx::Object => match key {
                "schema" | "itemSchema" => Ctx::Schema,
                "examples" | "links" => Ctx::RefOnlyMap,
                "callbacks" => Ctx::CallbackMap,
                "responses" => Ctx::ExtensibleMap,
                "content" | "headers" | "encoding" | "variables" | "paths" | "pathItems" => {
                    Ctx::ObjectMap
                }
                _ => Ctx::Object,
            },
            Ctx::ObjectMap | Ctx::ExtensibleMap => Ctx::Object,
            Ctx::CallbackMap => Ctx::ExtensibleMap,
            Ctx::RefOnlyMap => Ctx::RefOnly,
            Ctx::RefOnly | Ctx::Data => Ctx::Data,
        }
    }

    /// The context of the elements of an array found in this context.
    pub(crate) fn element(self) -> Ctx {
        match self {
            Ctx::SchemaList | Ctx::SchemaOrList => Ctx::Schema,
            Ctx::Data | Ctx::RefOnly | Ctx::RefOnlyMap => Ctx::Data,
            // An array where a schema or a map is expected is malformed; its
            // elements are walked as plain objects so that nothing is lost.
            Ctx::Schema
            | Ctx::ComponentEntry
            | Ctx::AdditionalProperties
            | Ctx::SchemaMap
            | Ctx::ComponentSchemas
            | Ctx::ObjectMap
            | Ctx::ExtensibleMap
            | Ctx::CallbackMap
            | Ctx::Components
            | Ctx::Root
            | Ctx::Object => Ctx::Object,
        }
    }
}

/// Whether `key` is a vendor extension (`x-…`) rather than one of the
/// loader's own keys that hold schemas (`x-oapi-prefixItems`, `x-oapi-items`,
/// made by the 3.1 normaliser).
fn is_extension(key: &str) -> bool {
    key.starts_with("x-") && !matches!(key, "x-oapi-prefixItems" | "x-oapi-items")
}

/// The keywords of a schema whose values hold schemas: any other keyword's
/// value (annotations, constraints, examples, extensions, keywords no
/// version defines) is data.
const SCHEMA_KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "items",
    "prefixItems",
    "allOf",
    "oneOf",
    "anyOf",
    "x-oapi-prefixItems",
    "x-oapi-items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "additionalItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// The context of the value under `key` inside a schema (a key of
/// [`SCHEMA_KEYWORDS`]).
fn schema_child(key: &str) -> Ctx {
    match key {
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
            Ctx::SchemaMap
        }
        "items" => Ctx::SchemaOrList,
        "prefixItems" | "allOf" | "oneOf" | "anyOf" | "x-oapi-prefixItems" => Ctx::SchemaList,
        "additionalProperties" => Ctx::AdditionalProperties,
        "not"
        | "contains"
        | "if"
        | "then"
        | "else"
        | "propertyNames"
        | "additionalItems"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "contentSchema"
        | "x-oapi-items" => Ctx::Schema,
        _ => Ctx::Data,
    }
}

/// Calls `f` on every node in a schema position under `root` (which is in
/// context `start`), parents before children. `f` may rewrite the node,
/// even replace it; the children of what it leaves are walked afterwards.
pub(crate) fn for_each_schema_mut<F>(
    root: &mut Value,
    start: Ctx,
    swagger2: bool,
    mut f: F,
) -> Result<()>
where
    F: FnMut(&mut Value, Ctx) -> Result<()>,
{
    walk_mut(root, start, swagger2, |value, ctx| {
        if ctx.is_schema() {
            f(value, ctx)?;
        }
        Ok(())
    })
}

/// Calls `f` on every node under `root` that is not data (example values,
/// defaults, enums, extensions: see [`Ctx::holds_data`]), parents before
/// children, with its context. `f` may
/// rewrite the node; the children of what it leaves are walked afterwards.
pub(crate) fn walk_mut<F>(root: &mut Value, start: Ctx, swagger2: bool, mut f: F) -> Result<()>
where
    F: FnMut(&mut Value, Ctx) -> Result<()>,
{
    let start = settle(start, root);
    let mut stack: Vec<(&mut Value, Ctx)> = vec![(root, start)];
    while let Some((value, ctx)) = stack.pop() {
        if !ctx.follows_refs() {
            continue;
        }
        f(value, ctx)?;
        push_children(value, ctx, swagger2, &mut stack);
    }
    Ok(())
}

/// One step of a path from the root of a walk.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tok<'a> {
    /// The root of the walk.
    Root,
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// The JSON pointer of a path of [`Tok`]s.
pub(crate) fn pointer_of(path: &[Tok<'_>]) -> String {
    let mut out = String::new();
    for tok in path {
        match tok {
            Tok::Root => {}
            Tok::Key(k) => {
                out.push('/');
                out.push_str(&crate::error::escape_pointer_token(k));
            }
            Tok::Index(i) => {
                out.push('/');
                out.push_str(&i.to_string());
            }
        }
    }
    out
}

/// Calls `f` on every node under `root` that is not data, parents before
/// children, with its context and its path from `root`. Returning `false`
/// from `f` skips the node's children.
pub(crate) fn visit<'a, F>(root: &'a Value, start: Ctx, swagger2: bool, mut f: F) -> Result<()>
where
    F: FnMut(&'a Value, Ctx, &[Tok<'a>]) -> Result<bool>,
{
    let mut path: Vec<Tok<'a>> = Vec::new();
    let mut stack: Vec<(&'a Value, Ctx, usize, Tok<'a>)> =
        vec![(root, settle(start, root), 0, Tok::Root)];
    while let Some((value, ctx, depth, tok)) = stack.pop() {
        path.truncate(depth);
        path.push(tok);
        if !f(value, ctx, &path)? {
            continue;
        }
        match value {
            Value::Object(map) => {
                let name_map = ctx.is_name_map();
                let start = stack.len();
                for (key, child) in map {
                    if name_map && key == "$ref" && child.is_string() {
                        continue;
                    }
                    let child_ctx = settle(ctx.child(key, swagger2), child);
                    if child_ctx.follows_refs() {
                        stack.push((child, child_ctx, depth + 1, Tok::Key(key)));
                    }
                }
                if let Some(pushed) = stack.get_mut(start..) {
                    pushed.reverse();
                }
            }
            Value::Array(items) => {
                let element = ctx.element();
                if element.follows_refs() {
                    let start = stack.len();
                    for (i, item) in items.iter().enumerate() {
                        stack.push((item, element, depth + 1, Tok::Index(i)));
                    }
                    if let Some(pushed) = stack.get_mut(start..) {
                        pushed.reverse();
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Pushes the children of `value` with their contexts, last child first so
/// that they pop in document order.
fn push_children<'a>(
    value: &'a mut Value,
    ctx: Ctx,
    swagger2: bool,
    stack: &mut Vec<(&'a mut Value, Ctx)>,
) {
    match value {
        Value::Object(map) => {
            let name_map = ctx.is_name_map();
            let start = stack.len();
            for (key, child) in map.iter_mut() {
                if name_map && key == "$ref" && child.is_string() {
                    continue;
                }
                let child_ctx = settle(ctx.child(key, swagger2), child);
                if child_ctx.follows_refs() {
                    stack.push((child, child_ctx));
                }
            }
            if let Some(pushed) = stack.get_mut(start..) {
                pushed.reverse();
            }
        }
        Value::Array(items) => {
            let element = ctx.element();
            if element.follows_refs() {
                let start = stack.len();
                stack.extend(items.iter_mut().map(|item| (item, element)));
                if let Some(pushed) = stack.get_mut(start..) {
                    pushed.reverse();
                }
            }
        }
        _ => {}
    }
}

/// Decides [`Ctx::SchemaOrList`] by the value's shape; other contexts stay.
pub(crate) fn settle(ctx: Ctx, value: &Value) -> Ctx {
    match ctx {
        Ctx::SchemaOrList if value.is_array() => Ctx::SchemaList,
        Ctx::SchemaOrList => Ctx::Schema,
        other => other,
    }
}

/// The `$ref` of an object, when it has a string one.
pub(crate) fn ref_of(map: &Map<String, Value>) -> Option<&str> {
    map.get("$ref").and_then(Value::as_str)
}

/// Height of a value (0 for a scalar, 1 + the tallest child for a
/// container) and its number of nodes. Iterative, so safe on any input.
pub(crate) fn measure(value: &Value) -> (usize, usize) {
    let mut height = 0;
    let mut nodes = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        nodes += 1;
        match v {
            Value::Object(map) => {
                height = height.max(depth + 1);
                stack.extend(map.values().map(|c| (c, depth + 1)));
            }
            Value::Array(items) => {
                height = height.max(depth + 1);
                stack.extend(items.iter().map(|c| (c, depth + 1)));
            }
            _ => {}
        }
    }
    (height, nodes)
}

/// A copy of `value` made with an explicit stack: `Value::clone` recurses
/// once per level, which deep documents (the depth limit can be raised)
/// cannot afford on small thread stacks.
pub(crate) fn deep_clone(value: &Value) -> Value {
    /// A container being copied: what is left to copy, what is done, and
    /// the key it goes under in its parent.
    enum Frame<'a> {
        Array(std::slice::Iter<'a, Value>, Vec<Value>, Option<String>),
        Object(
            serde_json::map::Iter<'a>,
            Map<String, Value>,
            Option<String>,
        ),
    }
    fn open(value: &Value, key: Option<String>) -> Result<Frame<'_>, Value> {
        match value {
            Value::Array(items) => Ok(Frame::Array(
                items.iter(),
                Vec::with_capacity(items.len()),
                key,
            )),
            Value::Object(map) => Ok(Frame::Object(map.iter(), Map::new(), key)),
            scalar => Err(scalar.clone()),
        }
    }
    let mut stack = match open(value, None) {
        Ok(frame) => vec![frame],
        Err(scalar) => return scalar,
    };
    loop {
        let next = match stack.last_mut() {
            Some(Frame::Array(rest, _, _)) => rest.next().map(|child| (None, child)),
            Some(Frame::Object(rest, _, _)) => {
                rest.next().map(|(k, child)| (Some(k.clone()), child))
            }
            None => return Value::Null,
        };
        let (key, done) = match next {
            Some((key, child)) => match open(child, key.clone()) {
                Ok(frame) => {
                    stack.push(frame);
                    continue;
                }
                Err(scalar) => (key, scalar),
            },
            None => match stack.pop() {
                Some(Frame::Array(_, items, key)) => (key, Value::Array(items)),
                Some(Frame::Object(_, map, key)) => (key, Value::Object(map)),
                None => return Value::Null,
            },
        };
        match stack.last_mut() {
            Some(Frame::Array(_, items, _)) => items.push(done),
            Some(Frame::Object(_, map, _)) => {
                map.insert(key.unwrap_or_default(), done);
            }
            None => return done,
        }
    }
}

/// Drops a value with an explicit stack (`Value`'s own drop recurses once
/// per level): for documents that may have grown past the depth limit.
pub(crate) fn dismantle(value: Value) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, child)| child)),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

/// Splits a JSON pointer into unescaped tokens (`~1` → `/`, `~0` → `~`).
/// The empty pointer has no tokens; a pointer must otherwise start with `/`.
pub(crate) fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// Builds a JSON pointer from unescaped tokens.
pub(crate) fn pointer_from_tokens<S: AsRef<str>>(tokens: &[S]) -> String {
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        out.push_str(&crate::error::escape_pointer_token(t.as_ref()));
    }
    out
}

/// A `$ref` fragment (`#…`) for a JSON pointer: `%` is the only character
/// that must be encoded for the pointer to read back the same.
pub(crate) fn fragment(pointer: &str) -> String {
    format!("#{}", pointer.replace('%', "%25"))
}

/// Renames the key `old` to `new`, keeping its value and position.
pub(crate) fn move_key(map: &mut Map<String, Value>, old: &str, new: &str) {
    if let Some(slot) = map.get_mut(old) {
        let value = std::mem::take(slot);
        rename_key(map, old, new, value);
    }
}

/// Replaces the key `old` by `new` (with `value`) at the same position.
pub(crate) fn rename_key(map: &mut Map<String, Value>, old: &str, new: &str, value: Value) {
    match map.iter().position(|(k, _)| k == old) {
        Some(index) => {
            map.shift_remove(old);
            map.shift_remove(new);
            let index = index.min(map.len());
            map.shift_insert(index, new.to_string(), value);
        }
        None => {
            map.insert(new.to_string(), value);
        }
    }
}

/// Makes a component name out of a file stem or pointer token: characters
/// outside `[A-Za-z0-9._-]` become `_`.
pub(crate) fn sanitize_name(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `base`, or `base2`, `base3`, … : the first that `taken` does not hold.
pub(crate) fn unique_name(base: &str, taken: &std::collections::HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    let mut n = 2usize;
    loop {
        let candidate = format!("{base}{n}");
        if !taken.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schema_positions() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"properties": {"schema": {"type": "string"}, "$ref": {"type": "integer"}}},
                "examples": {"x": {"value": {"type": "ignored"}}}
            }}}}}}},
            "components": {"schemas": {"A": {"items": [{"type": "a"}], "default": {"type": "no"}}},
                           "headers": {"schema": {"schema": {"type": "h"}}}}
        });
        let mut seen = Vec::new();
        for_each_schema_mut(&mut doc, Ctx::Root, false, |v, _| {
            if let Some(t) = v.get("type") {
                seen.push(t.clone());
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            seen,
            vec![json!("string"), json!("integer"), json!("a"), json!("h")]
        );
    }

    /// Every `$ref` the walks see, by pointer.
    fn refs_seen(doc: &Value, swagger2: bool) -> Vec<String> {
        let mut seen = Vec::new();
        visit(doc, Ctx::Root, swagger2, |v, ctx, trail| {
            if ctx.follows_refs()
                && let Some(r) = v.as_object().and_then(ref_of)
            {
                seen.push(format!("{} {r}", pointer_of(trail)));
            }
            Ok(true)
        })
        .unwrap_or_else(|e| panic!("{e}"));
        seen
    }

    #[test]
    fn data_refs_are_not_references() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "x-i": {"$ref": "#/i"}},
            "externalDocs": {"$ref": "#/e"},
            "x-top": {"$ref": "#/x", "deep": [{"$ref": "#/x2"}]},
            "paths": {
                "x-p": {"$ref": "#/xp"},
                "/a": {"$ref": "#/components/pathItems/a"},
                "/b": {"get": {
                    "x-op": {"schema": {"$ref": "#/xs"}},
                    "externalDocs": {"url": "u", "$ref": "#/ed"},
                    "parameters": [{"$ref": "#/components/parameters/p"},
                                   {"name": "q", "in": "query", "example": {"$ref": "#/pe"},
                                    "schema": {"$ref": "#/components/schemas/S"}}],
                    "responses": {"x-r": {"$ref": "#/xr"}, "200": {
                        "headers": {"x-rate-limit": {"$ref": "#/components/headers/h"}},
                        "content": {"application/json": {
                            "example": {"$ref": "#/me"},
                            "examples": {"a": {"$ref": "#/components/examples/a"},
                                         "b": {"value": {"$ref": "#/ev"}}}}}}}}}
            },
            "components": {
                "x-c": {"$ref": "#/xc"},
                "schemas": {"S": {
                    "type": "object",
                    "x-s": {"$ref": "#/xs2"},
                    "xml": {"$ref": "#/xml"},
                    "unknownKeyword": {"$ref": "#/uk"},
                    "discriminator": {"propertyName": "k", "$ref": "#/d"},
                    "default": {"$ref": "#/def"},
                    "enum": [{"$ref": "#/en"}],
                    "const": {"$ref": "#/co"},
                    "properties": {"x-named": {"$ref": "#/components/schemas/T"},
                                   "p": {"example": {"$ref": "#/ex"}, "allOf": [{"$ref": "#/components/schemas/T"}]}}
                }}
            }
        });
        assert_eq!(
            refs_seen(&doc, false),
            [
                "/paths/~1a #/components/pathItems/a",
                "/paths/~1b/get/parameters/0 #/components/parameters/p",
                "/paths/~1b/get/parameters/1/schema #/components/schemas/S",
                "/paths/~1b/get/responses/200/headers/x-rate-limit #/components/headers/h",
                "/paths/~1b/get/responses/200/content/application~1json/examples/a #/components/examples/a",
                "/components/schemas/S/properties/x-named #/components/schemas/T",
                "/components/schemas/S/properties/p/allOf/0 #/components/schemas/T",
            ]
        );
        // Swagger 2.0: a response's `examples` are values by media type.
        let doc = json!({
            "swagger": "2.0",
            "x-top": {"$ref": "#/x"},
            "paths": {"/a": {"get": {"responses": {"200": {
                "schema": {"$ref": "#/definitions/D"},
                "examples": {"application/json": {"$ref": "#/ex"}}}}}}},
            "definitions": {"D": {"x-d": {"$ref": "#/xd"}, "items": {"$ref": "#/definitions/D"}}}
        });
        assert_eq!(
            refs_seen(&doc, true),
            [
                "/paths/~1a/get/responses/200/schema #/definitions/D",
                "/definitions/D/items #/definitions/D",
            ]
        );
    }

    #[test]
    fn deep_copies() {
        let v = json!({"a": [1, {"b": [true, null, "s"]}, []], "c": {}, "d": 2.5});
        let copy = deep_clone(&v);
        assert_eq!(
            serde_json::to_string(&copy).ok(),
            serde_json::to_string(&v).ok()
        );
        assert_eq!(deep_clone(&json!(3)), json!(3));
        let mut deep = json!("x");
        for _ in 0..5_000 {
            deep = Value::Array(vec![deep]);
        }
        let copy = deep_clone(&deep);
        assert_eq!(measure(&copy), (5_000, 5_001));
        // Take both apart without recursion.
        dismantle(deep);
        dismantle(copy);
    }

    #[test]
    fn pointers() {
        assert_eq!(pointer_tokens(""), Some(vec![]));
        assert_eq!(
            pointer_tokens("/a~1b/c~0d/"),
            Some(vec!["a/b".to_string(), "c~d".to_string(), String::new()])
        );
        assert_eq!(pointer_tokens("x"), None);
        assert_eq!(pointer_from_tokens(&["a/b", "c~d"]), "/a~1b/c~0d");
        assert_eq!(fragment("/a%b"), "#/a%25b");
    }

    #[test]
    fn heights_and_names() {
        assert_eq!(measure(&json!(1)), (0, 1));
        assert_eq!(measure(&json!({"a": [1, {"b": 2}]})), (3, 5));
        assert_eq!(sanitize_name("a b/c"), "a_b_c");
        let taken = ["A".to_string(), "A2".to_string()].into_iter().collect();
        assert_eq!(unique_name("A", &taken), "A3");
        assert_eq!(unique_name("B", &taken), "B");
        let mut m = json!({"a": 1, "b": 2, "c": 3});
        if let Some(m) = m.as_object_mut() {
            rename_key(m, "b", "x", json!(9));
        }
        assert_eq!(
            serde_json::to_string(&m).ok().as_deref(),
            Some(r#"{"a":1,"x":9,"c":3}"#)
        );
    }
}
