//! Guards against quadratic passes: generating a synthetic spec with 4×
//! the schemas of another must take less than 6× as long (linear would be
//! 4×; quadratic 16×). Each size is timed several times and the fastest
//! run counts, so a busy machine does not make the test flaky.

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use oapi_models::Generator;

/// A spec with `n` object schemas that refer to each other, each with an
/// inline enum, an array, a map, a nullable field, an `allOf` and a
/// `oneOf`, so every stage sees work proportional to `n`.
fn synthetic_spec(n: usize) -> String {
    let mut schemas = String::new();
    for i in 0..n {
        let prev = if i == 0 { n - 1 } else { i - 1 };
        let _ = write!(
            schemas,
            r##"{comma}"Thing{i}": {{
                "type": "object",
                "description": "Thing number {i}.\n\nA longer paragraph about thing {i}.",
                "required": ["id", "kind"],
                "properties": {{
                    "id": {{"type": "integer", "format": "int64", "example": {i}}},
                    "name": {{"type": "string", "nullable": true, "example": "thing-{i}"}},
                    "kind": {{"type": "string", "enum": ["a{i}", "b{i}", "c{i}"]}},
                    "previous": {{"$ref": "#/components/schemas/Thing{prev}"}},
                    "children": {{"type": "array", "items": {{"$ref": "#/components/schemas/Thing{prev}"}}}},
                    "labels": {{"type": "object", "additionalProperties": {{"type": "string"}}}},
                    "extended": {{"allOf": [{{"$ref": "#/components/schemas/Base"}}, {{"type": "object", "properties": {{"extra{i}": {{"type": "boolean"}}}}}}]}},
                    "either": {{"oneOf": [{{"type": "string"}}, {{"$ref": "#/components/schemas/Base"}}]}}
                }}
            }}"##,
            comma = if i == 0 { "" } else { "," }
        );
    }
    format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "Synthetic", "version": "1"}}, "paths": {{}},
        "components": {{"schemas": {{
            "Base": {{"type": "object", "properties": {{"base": {{"type": "string"}}}}}},
            {schemas}
        }}}}}}"##
    )
}

/// The fastest of a few in-memory generations of an `n`-schema spec.
fn fastest_generation(n: usize) -> Duration {
    let dir = common::scratch(&format!("complexity-{n}"));
    let spec = dir.join("spec.json");
    std::fs::write(&spec, synthetic_spec(n)).unwrap();
    let generator = Generator::new().crate_name("synthetic");
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let generated = generator.generate(&spec).unwrap();
        best = best.min(start.elapsed());
        assert!(generated.model_count() > n, "every schema becomes a model");
    }
    best
}

#[test]
fn four_times_the_schemas_takes_less_than_six_times_as_long() {
    let small = 150;
    let small_time = fastest_generation(small);
    let large_time = fastest_generation(4 * small);
    let ratio = large_time.as_secs_f64() / small_time.as_secs_f64();
    println!(
        "{small} schemas: {small_time:?}; {}: {large_time:?}; ratio {ratio:.2}",
        4 * small
    );
    assert!(
        ratio < 6.0,
        "4× the schemas took {ratio:.2}× as long ({small_time:?} → {large_time:?}): something is worse than linear"
    );
}
