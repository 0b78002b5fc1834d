//! The one fallback: what a schema becomes when it cannot be typed exactly.
//!
//! Every schema gets a type: the exact one where a sound Rust type exists,
//! else [`TypeRef::Fallback`](super::TypeRef::Fallback), which the targets
//! print as `serde_json::Value` (lossless: every payload still decodes and
//! encodes as it was) with the reason beside it (the field's doc comment, the
//! page's Type cell) and a located warning
//! (`typed as serde_json::Value: <reason>`; `--deny-warnings` makes it an
//! error). The reasons are this closed list, so they can be counted (the
//! wide-corpus sweep groups fallbacks by them) and documented (README's
//! list of fallbacks is this table).

use schemars::JsonSchema;
use serde::Serialize;

/// Why a schema is typed `serde_json::Value` instead of exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FallbackReason {
    /// `enum` values of several JSON types (`["a", 1]`), or values that do
    /// not fit the declared `type` (numbers in a string enum).
    EnumMixedTypes,
    /// `enum` values that are arrays or objects.
    EnumOfContainers,
    /// An integer `enum` value beyond the 64-bit range integer enums use.
    EnumIntegerRange,
    /// `oneOf` and `anyOf` in one schema.
    OneOfAndAnyOf,
    /// `allOf` with several members that are unions.
    AllOfSeveralUnions,
    /// `allOf` whose members cannot be merged (an object and a scalar,
    /// scalars of different types).
    AllOfUnmergeable,
    /// `oneOf`/`anyOf` beside `properties` or inside an `allOf` member, in a
    /// way that cannot be distributed over the members.
    UnionInsideObject,
    /// A `type` that is not one of JSON Schema's.
    UnknownType,
    /// A union that leads back to itself through other unions that accept
    /// values its own other members do not (serde would try it inside
    /// itself forever).
    UnionCycle,
    /// Draft-4 tuple validation (`items: [A, B]`).
    TupleItems,
}

impl FallbackReason {
    /// Every reason, in the order of the documentation.
    pub const ALL: &'static [FallbackReason] = &[
        FallbackReason::EnumMixedTypes,
        FallbackReason::EnumOfContainers,
        FallbackReason::EnumIntegerRange,
        FallbackReason::OneOfAndAnyOf,
        FallbackReason::AllOfSeveralUnions,
        FallbackReason::AllOfUnmergeable,
        FallbackReason::UnionInsideObject,
        FallbackReason::UnknownType,
        FallbackReason::UnionCycle,
        FallbackReason::TupleItems,
    ];

    /// The short, stable text that names the reason in warnings, doc
    /// comments and pages.
    pub fn label(self) -> &'static str {
        match self {
            FallbackReason::EnumMixedTypes => "enum values of mixed types",
            FallbackReason::EnumOfContainers => "enum of arrays or objects",
            FallbackReason::EnumIntegerRange => "integer enum value beyond 64 bits",
            FallbackReason::OneOfAndAnyOf => "oneOf and anyOf in one schema",
            FallbackReason::AllOfSeveralUnions => "allOf of several unions",
            FallbackReason::AllOfUnmergeable => "allOf members that cannot be merged",
            FallbackReason::UnionInsideObject => "union inside an object",
            FallbackReason::UnknownType => "unknown type",
            FallbackReason::UnionCycle => "cycle of unions",
            FallbackReason::TupleItems => "tuple items",
        }
    }
}

/// The warning text of a fallback: `typed as serde_json::Value: <label>`,
/// then what exactly was found.
pub fn warning_message(reason: FallbackReason, detail: &str) -> String {
    if detail.is_empty() {
        format!("typed as serde_json::Value: {}", reason.label())
    } else {
        format!("typed as serde_json::Value: {} ({detail})", reason.label())
    }
}
