//! Structured random OpenAPI documents (see `src/model.rs`) through
//! load → IR → every target, in memory: no panic, and on success every
//! `.rs` file parses with `syn` and every Markdown table is well formed.
//! The document is written as JSON and read as JSON or (JSON being YAML)
//! as YAML, whose nesting limit is higher.

#![no_main]

use std::path::Path;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(options) = u.arbitrary::<u8>() else {
        return;
    };
    let Ok(spec) = oapi_models_fuzz::arbitrary_spec(&mut u) else {
        return;
    };
    let Ok(bytes) = serde_json::to_vec(&spec.to_json()) else {
        return;
    };
    let name = if options & 0x80 != 0 {
        "spec.yaml"
    } else {
        "spec.json"
    };
    let generator = oapi_models_fuzz::generator(options);
    oapi_models_fuzz::run(&generator, Path::new(name), &bytes);
});
