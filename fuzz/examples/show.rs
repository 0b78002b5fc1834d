//! Prints the document a `spec_structured` input stands for (to turn a
//! finding into a regression test) and times the pipeline on it:
//! `cargo run --release --example show -- artifacts/spec_structured/crash-…`.

use std::path::Path;
use std::time::Instant;

use arbitrary::Unstructured;

fn main() {
    for arg in std::env::args().skip(1) {
        let data = std::fs::read(&arg).unwrap_or_default();
        let mut u = Unstructured::new(&data);
        let options: u8 = u.arbitrary().unwrap_or_default();
        let Ok(spec) = oapi_models_fuzz::arbitrary_spec(&mut u) else {
            eprintln!("{arg}: not enough bytes");
            continue;
        };
        let json = spec.to_json();
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        let bytes = serde_json::to_vec(&json).unwrap_or_default();
        let name = if options & 0x80 != 0 {
            "spec.yaml"
        } else {
            "spec.json"
        };
        let start = Instant::now();
        let result = oapi_models_fuzz::generator(options).generate_bytes(Path::new(name), &bytes);
        let outcome = match &result {
            Ok(g) => format!(
                "{} files, {} bytes",
                g.files.len(),
                g.files.iter().map(|f| f.contents.len()).sum::<usize>()
            ),
            Err(e) => format!("error: {e}"),
        };
        eprintln!(
            "{arg}: options {options:#04x}, {name}, {:?}: {outcome}",
            start.elapsed()
        );
        if let Ok(g) = result
            && let Err(problem) = oapi_models_fuzz::checks::check_files(&g.files)
        {
            eprintln!("{problem}");
        }
    }
}
