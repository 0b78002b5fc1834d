//! Short Rust snippets shown on the union pages. They are also compiled in
//! the generated crate's tests, so a page never shows code that does not build.

use crate::ir::{Primitive, TypeRef, UnionVariant};

/// One line that builds a value of the union from `variant`; maps are
/// built with `map_path` (e.g. `std::collections::BTreeMap`).
pub fn union_member(union_name: &str, variant: &UnionVariant, map_path: &str) -> String {
    let mut sample = sample_value(&variant.ty, map_path);
    if variant.boxed {
        sample = format!("Box::new({sample})");
    }
    format!("let value = {union_name}::{}({sample});", variant.rust_name)
}

/// A Rust expression of type `ty`: a literal for scalars and containers,
/// `todo!()` naming the type for models; maps are built with `map_path`.
pub fn sample_value(ty: &TypeRef, map_path: &str) -> String {
    match ty {
        TypeRef::Primitive { primitive } => match primitive {
            Primitive::String => "String::from(\"…\")".to_string(),
            Primitive::Bool => "true".to_string(),
            Primitive::F32 | Primitive::F64 => "1.0".to_string(),
            Primitive::DateTime | Primitive::Date | Primitive::Uuid => {
                format!("<{}>::default()", primitive.rust_type())
            }
            other => format!("1{}", other.rust_type()),
        },
        TypeRef::Model { name } => format!("todo!(\"{name} value\")"),
        TypeRef::Array { .. } => "Vec::new()".to_string(),
        TypeRef::Map { .. } => format!("{map_path}::new()"),
        TypeRef::Nullable { .. } => "None".to_string(),
        TypeRef::Any | TypeRef::Fallback { .. } => "serde_json::Value::Null".to_string(),
        TypeRef::External { path } => format!("todo!(\"{path} value\")"),
    }
}
