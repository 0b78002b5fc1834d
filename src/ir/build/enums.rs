//! Enums: which `enum` lists become Rust enums (values as real specs write
//! them: `null` among them, numbers in a string enum, integers as strings,
//! containers that only constrain; the rest falls back), and the names and
//! docs of their variants and types from vendor extensions (`x-enum-varnames`,
//! `x-enumNames`, `x-enum-values`, `x-enum-descriptions`,
//! `x-enumDescriptions`, Azure's `x-ms-enum`, `x-speakeasy-name-override`).

use super::*;

/// One value of an enum being built.
pub(super) struct EnumValue {
    pub(super) value: Value,
    pub(super) name: Option<String>,
    pub(super) description: Option<String>,
}

/// The name a schema gives its own type: `x-speakeasy-name-override`
/// (specs prepared for SDK generators), else Azure's `x-ms-enum.name` on an
/// enum. Claimed like any other name, so it stays collision-free.
pub(super) fn given_name(view: &View<'_>) -> Option<String> {
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
pub(super) fn per_value(
    list: &Value,
    view: &View<'_>,
    values: &[&Value],
) -> Option<Vec<Option<String>>> {
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
pub(super) fn x_ms_enum_field(
    view: &View<'_>,
    values: &[&Value],
    field: &str,
) -> Option<Vec<Option<String>>> {
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
pub(super) fn enum_names(view: &View<'_>, values: &[&Value]) -> Vec<Option<String>> {
    value_texts(
        view,
        values,
        ["x-enum-varnames", "x-enumNames"],
        "identifier",
        "name",
    )
}

/// Descriptions of enum values from `x-enum-descriptions` /
/// `x-enumDescriptions` (a list, or an object keyed by value),
/// `x-enum-values` or Azure's `x-ms-enum.values[].description`.
pub(super) fn enum_descriptions(view: &View<'_>, values: &[&Value]) -> Vec<Option<String>> {
    value_texts(
        view,
        values,
        ["x-enum-descriptions", "x-enumDescriptions"],
        "description",
        "description",
    )
}

/// One text per enum value, from the first extension that gives them: the
/// per-value `lists` (see [`per_value`]), then field `x_enum_values_key`
/// of `x-enum-values`, then field `x_ms_enum_key` of `x-ms-enum.values`.
fn value_texts(
    view: &View<'_>,
    values: &[&Value],
    lists: [&str; 2],
    x_enum_values_key: &str,
    x_ms_enum_key: &str,
) -> Vec<Option<String>> {
    lists
        .iter()
        .find_map(|key| {
            view.extension(key)
                .and_then(|list| per_value(list, view, values))
        })
        .or_else(|| {
            x_enum_values_field(view, x_enum_values_key).filter(|t| t.len() == values.len())
        })
        .or_else(|| x_ms_enum_field(view, values, x_ms_enum_key))
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

impl<'a> Builder<'a> {
    /// Classifies a schema with `enum`. Values as real specs write them:
    /// `null` makes the type nullable; on a `string` schema, numbers and
    /// booleans are read as their text (YAML turned `16:9` or `yes` into
    /// them); on an `integer` or `number` schema, strings that are integers
    /// are those integers; on an `array` or `object` schema whose values
    /// are all arrays or objects, the enum only constrains and the rest of
    /// the schema gives the type. Anything else (values of several kinds,
    /// strings on a number schema, integers beyond 64 bits) falls back.
    pub(super) fn enum_shape<'s>(&self, view: &View<'s>) -> Shape<'s> {
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

    pub(super) fn build_enum(
        &self,
        view: &View<'_>,
        repr: EnumRepr,
        values: Vec<EnumValue>,
    ) -> EnumModel {
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
}
