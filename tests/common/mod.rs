//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The project root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the project root: the public specs the wider
/// checks use (CI has it; a bare clone of the repository does not).
pub fn shared() -> PathBuf {
    root().join("..").join("shared")
}

/// Whether `../shared/specs` is there. Tests that read it return early
/// without it (saying so), so `cargo test` passes on a bare clone; CI has
/// it and runs them.
pub fn shared_present() -> bool {
    let present = shared().join("specs").is_dir();
    if !present {
        eprintln!("skipped: ../shared/specs is not beside the project (CI has it)");
    }
    present
}

/// The spec shipped with the project.
pub fn hathora() -> PathBuf {
    root().join("specs").join("hathora.json")
}

/// A fresh, empty scratch directory under the target dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` (relative path → bytes).
pub fn snapshot_dir(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Runs the `oapi-models` binary with `args`.
pub fn run_cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_oapi-models"))
        .args(args)
        .output()
        .expect("run oapi-models")
}

/// A spec as the loader sees it, for tests of the loader's conversions.
pub struct Loaded {
    /// The spec file.
    pub path: PathBuf,
    /// The whole document in OpenAPI 3.0 shape (`load_document`).
    pub document: serde_json::Value,
    /// The same document parsed as a full `openapiv3::OpenAPI`: the
    /// conversions must give a valid 3.0 document, not only the parts the
    /// models come from.
    pub openapi: openapiv3::OpenAPI,
    /// Every file read.
    pub files: Vec<PathBuf>,
}

/// Loads `path` as `load_with` does (the typed parse included), keeping the
/// document and its full typed parse for the test to look at.
pub fn load_full(
    path: &Path,
    options: &oapi_models::load::LoadOptions,
) -> Result<Loaded, oapi_models::Error> {
    let loaded = oapi_models::load::load_document(path, options)?;
    let document = loaded.document.clone();
    let files = loaded.files.clone();
    loaded.into_spec()?;
    let openapi = serde_json::from_value(document.clone()).unwrap_or_else(|e| {
        panic!(
            "{}: not valid OpenAPI 3.0 for openapiv3: {e}",
            path.display()
        )
    });
    Ok(Loaded {
        path: path.to_path_buf(),
        document,
        openapi,
        files,
    })
}
