//! Turning spec names into valid, unique Rust identifiers.
//!
//! Rules (documented in ARCHITECTURE.md):
//! - types and variants are UpperCamelCase, fields and modules snake_case (by `heck`);
//! - a leading `+` / `-` is spelled `plus` / `minus` (`+1` → `plus_1`), other
//!   characters that cannot be in an identifier separate words;
//! - a name that would start with a digit gets a letter in front
//!   (`401k` → `n401k`, `1` → `V1`), an empty name becomes `empty` / `Empty`;
//! - keywords become raw identifiers (`type` → `r#type`), except those that
//!   cannot be raw (`self` → `self_`);
//! - type names that would shadow the prelude (`Option`, `Result`, …) get a `Model` suffix;
//! - collisions get a numeric suffix (`Name2`, `Name3`, …) in a fixed order.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict, reserved and edition-2024 ones).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code uses unqualified (the prelude).
const RESERVED_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Spells a leading sign as a word, so `+1` and `-1` stay apart, and
/// writes non-ASCII letters and digits as `uXXXX` words, so identifiers stay
/// ASCII (and distinct: `½` → `u00bd`).
fn spell_leading_sign(raw: &str) -> String {
    let signed = if let Some(rest) = raw.strip_prefix('+') {
        format!("plus_{rest}")
    } else if let Some(rest) = raw.strip_prefix('-') {
        format!("minus_{rest}")
    } else {
        raw.to_string()
    };
    if signed.is_ascii() {
        return signed;
    }
    let mut out = String::with_capacity(signed.len() + 8);
    for c in signed.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("_u{:04x}_", u32::from(c)));
        } else {
            out.push('_');
        }
    }
    out
}

/// Rust field (or module) name for a spec property name.
pub fn field_name(raw: &str) -> String {
    let mut name = spell_leading_sign(raw).to_snake_case();
    if name.is_empty() {
        name = "empty".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    escape_keyword(name)
}

/// Makes a keyword usable as an identifier.
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Rust type name for a spec schema name (before collision handling).
pub fn type_name(raw: &str) -> String {
    let mut name = spell_leading_sign(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if KEYWORDS.contains(&name.as_str()) || RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// Rust variant name for an enum value (before collision handling).
pub fn variant_name(raw: &str) -> String {
    let mut name = spell_leading_sign(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// Rust module (file) name for a type name.
pub fn module_name(type_name: &str) -> String {
    escape_keyword(type_name.to_snake_case())
}

/// Hands out names that are unique ignoring ASCII case, so that page and
/// file names derived from them never collide, even on case-insensitive
/// file systems.
#[derive(Debug, Default, Clone)]
pub struct NameAllocator {
    taken: HashSet<String>,
}

impl NameAllocator {
    /// Returns `candidate` if free, else `candidate2`, `candidate3`, …, and marks it taken.
    pub fn claim(&mut self, candidate: &str) -> String {
        let candidate = &identifier(candidate);
        let mut name = candidate.to_string();
        let mut n = 2;
        while !self.taken.insert(name.to_ascii_lowercase()) {
            name = if candidate.ends_with(|c: char| c.is_ascii_digit()) {
                format!("{candidate}_{n}")
            } else {
                format!("{candidate}{n}")
            };
            n += 1;
        }
        name
    }
}

/// `candidate` as an ASCII type name. Names of inline models are built
/// from raw spec names (`Pet` + `名前`), so a non-ASCII letter or digit
/// becomes `Uxxxx` (as [`type_name`] spells them), anything else that
/// cannot be in an identifier is dropped, a leading digit gets an `N`, and
/// a keyword or prelude name a `Model` suffix. ASCII type names pass unchanged.
fn identifier(candidate: &str) -> String {
    let mut name = String::with_capacity(candidate.len());
    for c in candidate.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c);
        } else if c.is_alphanumeric() {
            name.push_str(&format!("U{:04x}", u32::from(c)));
        }
    }
    if !name.contains(|c: char| c.is_ascii_alphanumeric()) {
        name = "Empty".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if KEYWORDS.contains(&name.as_str()) || RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// Makes every name in `names` unique (case-sensitively) by numeric suffixes, in order.
pub fn dedupe(names: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    names
        .into_iter()
        .map(|candidate| {
            let mut name = candidate.clone();
            let mut n = 2;
            while !seen.insert(name.clone()) {
                let base = candidate.trim_start_matches("r#");
                let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
                    "_"
                } else {
                    ""
                };
                name = format!("{base}{sep}{n}");
                n += 1;
            }
            name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        assert_eq!(field_name("roomId"), "room_id");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("+1"), "plus_1");
        assert_eq!(field_name("-1"), "minus_1");
        assert_eq!(field_name("@odata.type"), "odata_type");
        assert_eq!(field_name("401k"), "n401k");
        assert_eq!(field_name(""), "empty");
        assert_eq!(field_name("files[0]"), "files_0");
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("Record_string.never_"), "RecordStringNever");
        assert_eq!(type_name("Omit_Room.allocations_"), "OmitRoomAllocations");
        assert_eq!(type_name("ConnectionInfoV2"), "ConnectionInfoV2");
        assert_eq!(type_name("simple-user"), "SimpleUser");
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(type_name("2fa"), "N2fa");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("active"), "Active");
        assert_eq!(variant_name("Los_Angeles"), "LosAngeles");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("-INF"), "MinusInf");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("½½"), "U00bdU00bd");
        assert_eq!(field_name("café"), "caf_u00e9");
    }

    #[test]
    fn allocation_is_case_insensitive() {
        let mut names = NameAllocator::default();
        assert_eq!(names.claim("FooBar"), "FooBar");
        assert_eq!(names.claim("Foobar"), "Foobar2");
        assert_eq!(names.claim("V2"), "V2");
        assert_eq!(names.claim("V2"), "V2_2");
    }

    #[test]
    fn claimed_names_are_identifiers() {
        let mut names = NameAllocator::default();
        assert_eq!(names.claim("Empty𝍠"), "EmptyU1d360");
        assert_eq!(names.claim("Pet名前"), "PetU540dU524d");
        assert_eq!(names.claim("1abcRequest"), "N1abcRequest");
        assert_eq!(names.claim("Self"), "SelfModel");
        assert_eq!(names.claim("_"), "Empty");
    }

    #[test]
    fn dedupe_in_order() {
        let names = vec!["a".to_string(), "a".to_string(), "r#type".to_string()];
        assert_eq!(dedupe(names), vec!["a", "a2", "r#type"]);
    }
}
