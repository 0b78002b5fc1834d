//! Arbitrary bytes as a spec, through load → IR → every target, in memory.
//! The first byte picks the file name (so JSON, YAML or detection by
//! content) and the generator settings; the rest is the document.
//! Errors are fine; a panic, a `.rs` file `syn` cannot parse or a broken
//! Markdown table is a finding.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, spec)) = data.split_first() else {
        return;
    };
    let name = match first % 3 {
        0 => "spec.json",
        1 => "spec.yaml",
        _ => "spec",
    };
    let generator = oapi_models_fuzz::generator(first / 3);
    oapi_models_fuzz::run(&generator, Path::new(name), spec);
});
