//! Checks on generated files, shared by the fuzz targets, `tests/proptest_pipeline.rs`
//! and `tests/fuzz_regressions.rs` (included there with `#[path]`):
//! the pipeline run in memory with settings picked by a byte; every `.rs`
//! file parses with `syn`; every Markdown table is well formed.

use std::path::Path;

use oapi_models::targets::GeneratedFile;
use oapi_models::{Generator, MapType, ModuleLayout};

/// Generator settings picked by one byte, so both module layouts, the
/// crate files, map types, derives and the catch-all switch are exercised.
pub fn generator(options: u8) -> Generator {
    let mut generator = Generator::new();
    if options & 1 != 0 {
        generator = generator.crate_name("fuzzed-models");
    }
    if options & 2 != 0 {
        generator = generator.module_layout(ModuleLayout::SingleFile);
    }
    if options & 4 != 0 {
        generator = generator.enum_catch_all(false);
    }
    match (options >> 3) & 3 {
        0 => generator,
        1 => generator.map_type(MapType::HashMap),
        2 => generator.map_type(MapType::IndexMap),
        _ => generator.derive("Eq").docs_index(false),
    }
}

/// Runs load → IR → every target in memory and, when that succeeds,
/// checks the files. A generation error is fine (`Ok`); a bad file is `Err`.
pub fn run(generator: &Generator, name: &Path, bytes: &[u8]) -> Result<(), String> {
    match generator.generate_bytes(name, bytes) {
        Ok(generated) => check_files(&generated.files),
        Err(_) => Ok(()),
    }
}

/// Checks every file; the error names the file and what is wrong.
pub fn check_files(files: &[GeneratedFile]) -> Result<(), String> {
    for file in files {
        let path = file.path.to_string_lossy();
        if path.ends_with(".rs") {
            syn::parse_file(&file.contents)
                .map_err(|e| format!("{path}: not Rust: {e}\n{}", file.contents))?;
        } else if path.ends_with(".md") {
            let name = file.path.file_name().unwrap_or_default().to_string_lossy();
            check_page(&name, &file.contents)
                .map_err(|e| format!("{path}: {e}\n{}", file.contents))?;
        }
    }
    Ok(())
}

/// The headings a page's generated part follows. The last one in the page
/// is the real one (a description, before it, may hold the same text).
const HEADINGS: &[&str] = &[
    "\n## Fields\n\n",
    "\n## Values\n\n",
    "\n## Supported Types\n\n",
];

/// Checks a page. The index (`README.md`) and struct and enum pages end in
/// a generated table: every line is a row `| … |` with as many unescaped
/// `|` as the header, the second line is the delimiter row, and no cell
/// holds a line break (a raw newline would start a line that is not a row,
/// or a row with too few cells; a carriage return is refused outright).
/// A union page's members are checked by [`check_union_members`].
pub fn check_page(file_name: &str, page: &str) -> Result<(), String> {
    let start = if file_name == "README.md" {
        page.strip_prefix("# Models\n\n")
            .map(|_| "# Models\n\n".len())
            .ok_or_else(|| "the index does not start with its heading".to_string())?
    } else {
        let Some((start, heading)) = HEADINGS
            .iter()
            .filter_map(|h| page.rfind(h).map(|i| (i + h.len(), *h)))
            .max()
        else {
            return Ok(());
        };
        if heading.contains("Supported Types") {
            return check_union_members(page.get(start..).unwrap_or_default());
        }
        start
    };
    let table = page.get(start..).unwrap_or_default();
    let table = table.strip_suffix('\n').unwrap_or(table);
    if table.contains('\r') {
        return Err("a table holds a carriage return".to_string());
    }
    let lines: Vec<&str> = table.split('\n').collect();
    if lines.len() < 2 {
        return Err(format!("a table without a delimiter row: {table:?}"));
    }
    let header = pipes(lines.first().copied().unwrap_or_default());
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with("| ") || !line.ends_with(" |") {
            return Err(format!("table line {} is not a row: {line:?}", i + 1));
        }
        let count = pipes(line);
        if count != header {
            return Err(format!(
                "table line {} has {count} cell separators, the header {header}: {line:?}",
                i + 1
            ));
        }
        if i == 1
            && !line
                .split('|')
                .filter(|c| !c.is_empty())
                .all(|c| c.trim().chars().all(|ch| ch == '-') && !c.trim().is_empty())
        {
            return Err(format!("line 2 is not a delimiter row: {line:?}"));
        }
    }
    Ok(())
}

/// A union page's members: each a one-line `###` heading and a fenced
/// snippet that cannot end its fence early.
fn check_union_members(members: &str) -> Result<(), String> {
    let members = format!("\n{members}");
    for block in members.split("\n### ").skip(1) {
        let (heading, body) = block.split_once('\n').unwrap_or((block, ""));
        if heading.contains('\r') {
            return Err(format!("a member heading holds a line break: {heading:?}"));
        }
        let Some(code) = body
            .strip_prefix("\n```rust\n")
            .and_then(|b| b.split_once("\n```\n").map(|(code, _)| code))
        else {
            return Err(format!("member {heading:?} has no snippet: {body:?}"));
        };
        if code.contains("```") {
            return Err(format!(
                "member {heading:?}: snippet ends its fence: {code:?}"
            ));
        }
    }
    Ok(())
}

/// Number of `|` not escaped by a backslash (GFM splits cells only there).
pub fn pipes(line: &str) -> usize {
    let mut count = 0;
    let mut prev = None;
    for c in line.chars() {
        if c == '|' && prev != Some('\\') {
            count += 1;
        }
        prev = Some(c);
    }
    count
}
