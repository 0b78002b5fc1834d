//! Checks a spec example against the type the IR gives it.
//!
//! The check mirrors what the generated serde code accepts and keeps, so an
//! example it passes must round-trip through the generated type, and an
//! example it rejects must not. The generated example tests hold both sides.

use std::collections::HashMap;

use serde_json::Value;

use super::{AdditionalProperties, EnumRepr, Ir, ModelKind, Primitive, TypeRef, UnionTagging};

/// Why `value` does not fit `ty`, or `None` when it does.
pub fn mismatch(ir: &Ir, ty: &TypeRef, value: &Value) -> Option<String> {
    let mut cx = Checker {
        ir,
        active: Vec::new(),
        verdicts: HashMap::new(),
        cuts: 0,
        budget: MAX_MODEL_CHECKS,
    };
    check(&mut cx, ty, value, "", 0)
}

const MAX_DEPTH: usize = 256;

/// Model checks one example may take (a bound for adversarial specs).
const MAX_MODEL_CHECKS: usize = 100_000;

/// A model checked against one value of the example: the value's address
/// (every value is borrowed from the one example) and the model's name.
type Key<'a> = (usize, &'a str);

/// The state of one example's check. Untagged unions may reach themselves
/// (through other unions and aliases) without going into the value; every
/// path through them would be tried down to [`MAX_DEPTH`], which takes
/// exponential time. So a model reached again for the same value is a
/// cycle that no value can satisfy (cut), and each model's verdict for a
/// value is kept, unless a cut decided it (the cut member may fit when the
/// model is reached another way).
struct Checker<'a> {
    ir: &'a Ir,
    /// The models being checked, innermost last.
    active: Vec<Key<'a>>,
    /// Verdicts no cut decided.
    verdicts: HashMap<Key<'a>, Option<String>>,
    /// Cycles cut so far.
    cuts: usize,
    /// Model checks left.
    budget: usize,
}

fn check<'a>(
    cx: &mut Checker<'a>,
    ty: &'a TypeRef,
    value: &Value,
    at: &str,
    depth: usize,
) -> Option<String> {
    if depth > MAX_DEPTH {
        return Some(format!("{at}: nested too deeply to check"));
    }
    let place = if at.is_empty() { "the value" } else { at };
    let wrong = |expected: &str| Some(format!("{place}: expected {expected}, found {value}"));
    match ty {
        TypeRef::Any | TypeRef::Fallback { .. } | TypeRef::External { .. } => None,
        TypeRef::Nullable { inner } => {
            if value.is_null() {
                None
            } else {
                check(cx, inner, value, at, depth + 1)
            }
        }
        TypeRef::Primitive { primitive } => match primitive {
            Primitive::String => (!value.is_string()).then(|| wrong("a string")).flatten(),
            Primitive::Bool => (!value.is_boolean()).then(|| wrong("a boolean")).flatten(),
            Primitive::I8 => int_in(value, i8::MIN.into(), i8::MAX.into(), "an 8-bit integer"),
            Primitive::I16 => int_in(value, i16::MIN.into(), i16::MAX.into(), "a 16-bit integer"),
            Primitive::I32 => int_in(value, i32::MIN.into(), i32::MAX.into(), "a 32-bit integer"),
            Primitive::I64 => int_in(value, i64::MIN.into(), i64::MAX.into(), "a 64-bit integer"),
            Primitive::U8 => int_in(value, 0, u8::MAX.into(), "an unsigned 8-bit integer"),
            Primitive::U16 => int_in(value, 0, u16::MAX.into(), "an unsigned 16-bit integer"),
            Primitive::U32 => int_in(value, 0, u32::MAX.into(), "an unsigned 32-bit integer"),
            Primitive::U64 => int_in(value, 0, u64::MAX.into(), "an unsigned 64-bit integer"),
            Primitive::Uuid => match value.as_str() {
                Some(s) if is_uuid(s) => None,
                _ => wrong("a UUID string"),
            },
            Primitive::F32 | Primitive::F64 => {
                (!value.is_number()).then(|| wrong("a number")).flatten()
            }
            Primitive::DateTime => match value.as_str() {
                Some(s) if is_rfc3339_date_time(s) => None,
                _ => wrong("an RFC 3339 date-time string"),
            },
            Primitive::Date => match value.as_str() {
                Some(s) if is_full_date(s) => None,
                _ => wrong("an RFC 3339 full-date string"),
            },
        },
        TypeRef::Array { items } => match value.as_array() {
            Some(values) => values
                .iter()
                .enumerate()
                .find_map(|(i, v)| check(cx, items, v, &format!("{at}/{i}"), depth + 1)),
            None => wrong("an array"),
        },
        TypeRef::Map { values } => match value.as_object() {
            Some(map) => map
                .iter()
                .find_map(|(k, v)| check(cx, values, v, &format!("{at}/{k}"), depth + 1)),
            None => wrong("an object"),
        },
        TypeRef::Model { name } => {
            let key = (std::ptr::from_ref(value).addr(), name.as_str());
            if let Some(verdict) = cx.verdicts.get(&key) {
                return verdict.clone();
            }
            if cx.active.contains(&key) {
                cx.cuts += 1;
                return Some(format!("{place}: {name} reaches itself for this value"));
            }
            let Some(budget) = cx.budget.checked_sub(1) else {
                return Some(format!("{place}: too many types to try"));
            };
            cx.budget = budget;
            cx.active.push(key);
            let cuts = cx.cuts;
            let verdict = check_model(cx, name, value, at, depth);
            cx.active.pop();
            if cx.cuts == cuts {
                cx.verdicts.insert(key, verdict.clone());
            }
            verdict
        }
    }
}

/// [`check`] for a model.
fn check_model<'a>(
    cx: &mut Checker<'a>,
    name: &'a str,
    value: &Value,
    at: &str,
    depth: usize,
) -> Option<String> {
    let place = if at.is_empty() { "the value" } else { at };
    let wrong = |expected: &str| Some(format!("{place}: expected {expected}, found {value}"));
    let ir = cx.ir;
    let Some(model) = ir.model(name) else {
        return Some(format!("{place}: unknown model {name}"));
    };
    match &model.kind {
        ModelKind::Alias { target } | ModelKind::Newtype { inner: target } => {
            check(cx, target, value, at, depth + 1)
        }
        ModelKind::Enum(e) => {
            let right_type = match e.repr {
                EnumRepr::String => value.is_string(),
                EnumRepr::Integer => value.is_i64(),
            };
            let known = e.variants.iter().any(|v| v.value == *value);
            if right_type && (known || e.catch_all.is_some()) {
                None
            } else {
                wrong(&format!("one of the values of {name}"))
            }
        }
        ModelKind::Union(u) if matches!(u.tagging, UnionTagging::Discriminator { .. }) => {
            let UnionTagging::Discriminator { property } = &u.tagging else {
                return None;
            };
            let tag = value.get(property).and_then(Value::as_str);
            let variant = tag.and_then(|t| {
                u.variants
                    .iter()
                    .find(|v| v.tag_values.iter().any(|x| x == t))
            });
            match variant {
                Some(v) => check(cx, &v.ty, value, at, depth + 1),
                None => wrong(&format!(
                    "an object whose {property:?} names a member of {name}"
                )),
            }
        }
        ModelKind::Union(u) => {
            if u.variants
                .iter()
                .any(|v| check(cx, &v.ty, value, at, depth + 1).is_none())
            {
                None
            } else {
                wrong(&format!("a value of one of the members of {name}"))
            }
        }
        ModelKind::Struct(s) => {
            let Some(map) = value.as_object() else {
                return wrong(&format!("an object ({name})"));
            };
            for field in &s.fields {
                let field_at = format!("{at}/{}", field.wire_name);
                match map.get(&field.wire_name) {
                    None if !field.is_optional() => {
                        return Some(format!(
                            "{place}: required property {:?} of {name} is missing",
                            field.wire_name
                        ));
                    }
                    None => {}
                    Some(Value::Null) if field.is_optional() => {}
                    Some(v) => {
                        if let Some(why) = check(cx, &field.ty, v, &field_at, depth + 1) {
                            return Some(why);
                        }
                    }
                }
            }
            for (key, v) in map {
                if s.fields.iter().any(|f| &f.wire_name == key) {
                    continue;
                }
                match &s.additional_properties {
                    AdditionalProperties::Allowed { values } => {
                        if let Some(why) = check(cx, values, v, &format!("{at}/{key}"), depth + 1) {
                            return Some(why);
                        }
                    }
                    _ => {
                        return Some(format!(
                            "{place}: property {key:?} is not a property of {name}"
                        ));
                    }
                }
            }
            None
        }
    }
}

/// An integer within `[min, max]` (checked in 128 bits).
fn int_in(value: &Value, min: i128, max: i128, expected: &str) -> Option<String> {
    let n = value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from));
    match n {
        Some(n) if (min..=max).contains(&n) => None,
        _ => Some(format!("expected {expected}, found {value}")),
    }
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DD`.
pub fn is_full_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && digits(y) && digits(m) && digits(d))
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, as RFC 3339 section 5.6 defines it.
pub fn is_rfc3339_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return false;
    };
    if !is_full_date(date) {
        return false;
    }
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], Some(&time[i + 1..]))
    } else {
        return false;
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (clock, None),
    };
    let hms_ok = matches!(hms.split(':').collect::<Vec<_>>().as_slice(),
        [h, m, s] if h.len() == 2 && m.len() == 2 && s.len() == 2 && digits(h) && digits(m) && digits(s));
    let frac_ok = frac.is_none_or(digits);
    let offset_ok = offset.is_none_or(|o| {
        matches!(o.split(':').collect::<Vec<_>>().as_slice(),
            [h, m] if h.len() == 2 && m.len() == 2 && digits(h) && digits(m))
    });
    hms_ok && frac_ok && offset_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_syntax() {
        assert!(is_rfc3339_date_time("2023-01-02T03:04:05Z"));
        assert!(is_rfc3339_date_time("2023-01-02T03:04:05.123+02:00"));
        assert!(!is_rfc3339_date_time("2023-01-02 03:04:05Z"));
        assert!(!is_rfc3339_date_time("2023-01-02T03:04:05"));
        assert!(is_full_date("2023-01-02"));
        assert!(!is_full_date("2023-1-02"));
    }
}
