//! The typed form of a loaded document: only the parts model generation
//! reads (the title, `components.schemas`, request and response bodies),
//! with schemas in the compact form of [`super::schema`].
//!
//! Everything else (parameters, security, servers, tags, media type
//! examples, operation descriptions) is skipped while parsing, never held:
//! a full `openapiv3::OpenAPI` of a large spec takes about as much memory as
//! its JSON value, and both together were most of the peak.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use super::schema::{ReferenceOr, Schema};
use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// What the IR builder reads of an OpenAPI 3.0 document.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TypedSpec {
    /// `info` (only the title is kept).
    pub info: Info,
    /// `components` (schemas, request bodies and responses).
    #[serde(default)]
    pub components: Components,
    /// `paths`, in document order, without `x-` extensions.
    #[serde(default, deserialize_with = "without_extensions")]
    pub paths: IndexMap<String, ReferenceOr<PathItem>>,
    /// Component schemas the loader made of `$ref` targets elsewhere in
    /// the document: name → the JSON pointer of the schema's own place.
    #[serde(default, rename = "x-oapi-hoisted")]
    pub hoisted: IndexMap<String, String>,
    /// Examples written beside a `$ref` in a schema position (which
    /// OpenAPI 3.0 ignores, but which are still data to check), by the
    /// JSON pointer of the `$ref`'s object. Filled by the loader.
    #[serde(skip)]
    pub ref_examples: HashMap<String, Value>,
}

/// The `info` object.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Info {
    /// `info.title`.
    pub title: String,
}

/// The parts of `components` that hold models.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Components {
    /// `components.schemas`, in document order.
    #[serde(default)]
    pub schemas: IndexMap<String, ReferenceOr<Schema>>,
    /// `components.requestBodies`.
    #[serde(default, rename = "requestBodies")]
    pub request_bodies: IndexMap<String, ReferenceOr<Body>>,
    /// `components.responses`.
    #[serde(default)]
    pub responses: IndexMap<String, ReferenceOr<Body>>,
}

/// A request body or a response: its content by media type.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Body {
    /// `content`, in document order.
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
}

/// A media type object (only its schema).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MediaType {
    /// `schema`.
    #[serde(default)]
    pub schema: Option<ReferenceOr<Schema>>,
}

/// A path item: its operations.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PathItem {
    #[serde(default)]
    get: Option<Operation>,
    #[serde(default)]
    put: Option<Operation>,
    #[serde(default)]
    post: Option<Operation>,
    #[serde(default)]
    delete: Option<Operation>,
    #[serde(default)]
    options: Option<Operation>,
    #[serde(default)]
    head: Option<Operation>,
    #[serde(default)]
    patch: Option<Operation>,
    #[serde(default)]
    trace: Option<Operation>,
}

impl PathItem {
    /// The operations with their methods, in the order get, put, post,
    /// delete, options, head, patch, trace.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("options", &self.options),
            ("head", &self.head),
            ("patch", &self.patch),
            ("trace", &self.trace),
        ]
        .into_iter()
        .filter_map(|(method, operation)| operation.as_ref().map(|o| (method, o)))
    }
}

/// An operation: its id, request body and responses.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Operation {
    /// `operationId`.
    #[serde(default, rename = "operationId")]
    pub operation_id: Option<String>,
    /// `requestBody`.
    #[serde(default, rename = "requestBody")]
    pub request_body: Option<ReferenceOr<Body>>,
    /// `responses` by status code as written (`200`, `2XX`, `default`), in
    /// document order, without `x-` extensions.
    #[serde(default, deserialize_with = "without_extensions")]
    pub responses: IndexMap<String, ReferenceOr<Body>>,
}

/// A map whose `x-` keys (extensions) are skipped unread.
fn without_extensions<'de, D, T>(deserializer: D) -> Result<IndexMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct MapVisitor<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
        type Value = IndexMap<String, T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = IndexMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if key.starts_with("x-") {
                    map.next_value::<IgnoredAny>()?;
                } else {
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(MapVisitor(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_what_models_need() {
        let text = r##"{
          "openapi": "3.0.3",
          "info": {"title": "T", "version": "1"},
          "x-top": 1,
          "paths": {
            "x-ext": {"not": "a path"},
            "/a": {
              "parameters": [{"name": "p", "in": "query"}],
              "post": {
                "operationId": "make",
                "requestBody": {"content": {"application/json": {"schema": {"type": "string"}, "example": "x"}}},
                "responses": {"201": {"description": "ok"}, "x-r": 1, "default": {"$ref": "#/components/responses/E"}}
              },
              "get": {"responses": {}}
            }
          },
          "components": {"schemas": {"S": {"type": "integer"}}, "securitySchemes": {"k": {"type": "apiKey"}}}
        }"##;
        let spec: TypedSpec = serde_json::from_str(text).unwrap_or_default();
        assert_eq!(spec.info.title, "T");
        assert_eq!(spec.components.schemas.len(), 1);
        assert_eq!(spec.paths.keys().collect::<Vec<_>>(), ["/a"]);
        let Some(ReferenceOr::Item(item)) = spec.paths.get("/a") else {
            panic!("no /a");
        };
        let methods: Vec<&str> = item.operations().map(|(m, _)| m).collect();
        assert_eq!(methods, ["get", "post"]);
        let post = item
            .post
            .as_ref()
            .map(|o| (o.operation_id.clone(), o.responses.len()));
        assert_eq!(post, Some((Some("make".to_string()), 2)));
    }
}
