//! Inline schemas written out identically (same JSON text, descriptions
//! included) are one type: [`IdenticalSchemas`] finds the first of them.
//!
//! Schemas are grouped by a hash of their JSON text, computed while the
//! text is written into the hasher (never held); two schemas of one group
//! are the same only if their texts are equal, compared byte for byte.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hasher};

use crate::load::schema::Schema;

/// Schemas seen so far, each with a value (the model made for it).
pub(super) struct IdenticalSchemas<'a, V> {
    by_hash: HashMap<u64, Vec<(&'a Schema, V)>>,
}

impl<V> Default for IdenticalSchemas<'_, V> {
    fn default() -> Self {
        IdenticalSchemas {
            by_hash: HashMap::new(),
        }
    }
}

impl<'a, V> IdenticalSchemas<'a, V> {
    /// The value of a schema seen before whose text equals `schema`'s.
    pub(super) fn get(&self, schema: &Schema) -> Option<&V> {
        let hash = text_hash(schema)?;
        let group = self.by_hash.get(&hash)?;
        let text = serde_json::to_vec(schema).ok()?;
        group
            .iter()
            .find(|(seen, _)| serde_json::to_vec(seen).is_ok_and(|t| t == text))
            .map(|(_, value)| value)
    }

    /// Records `schema` with `value` (call only when [`Self::get`] found none).
    pub(super) fn insert(&mut self, schema: &'a Schema, value: V) {
        if let Some(hash) = text_hash(schema) {
            self.by_hash.entry(hash).or_default().push((schema, value));
        }
    }
}

/// A hash of the schema's JSON text; `None` if it cannot be written (then
/// it is like no other schema).
fn text_hash(schema: &Schema) -> Option<u64> {
    let mut hasher = HashWriter(DefaultHasher::new());
    serde_json::to_writer(&mut hasher, schema).ok()?;
    Some(hasher.0.finish())
}

/// Feeds what is written to a hasher.
struct HashWriter(DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> Schema {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn same_text_is_found_other_text_is_not() {
        let a = schema(
            r#"{"type": "object", "properties": {"x": {"type": "string"}, "y": {"type": "integer"}}}"#,
        );
        let same = a.clone();
        // The same properties in another order are another type (the
        // fields come out in another order).
        let reordered = schema(
            r#"{"type": "object", "properties": {"y": {"type": "integer"}, "x": {"type": "string"}}}"#,
        );
        let constrained = schema(
            r#"{"type": "object", "properties": {"x": {"type": "string", "maxLength": 3}, "y": {"type": "integer"}}}"#,
        );
        let mut seen = IdenticalSchemas::default();
        assert_eq!(seen.get(&a), None);
        seen.insert(&a, "A");
        assert_eq!(seen.get(&same), Some(&"A"));
        assert_eq!(seen.get(&reordered), None);
        assert_eq!(seen.get(&constrained), None);
    }
}
