//! Stage 4: writing generated files into the output directory.
//!
//! All files are first written into a staging folder inside the output
//! directory; only when every one of them is written are they moved into
//! place (a rename each). A failure before that leaves the output directory
//! as it was. Files whose contents did not change are not touched, so their
//! modification time stays.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::targets::GeneratedFile;

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: usize,
    /// Files already up to date.
    pub unchanged: usize,
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Checks that a generated path stays inside the output directory.
fn check_relative(path: &Path) -> Result<()> {
    let inside = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if inside && path.components().next().is_some() {
        Ok(())
    } else {
        Err(write_error(
            path,
            "refusing a path that is not relative to the output directory",
        ))
    }
}

/// Writes `files` under `out_dir` (see the module docs for the guarantees).
pub fn write_files(out_dir: &Path, files: &[GeneratedFile]) -> Result<WriteReport> {
    for file in files {
        check_relative(&file.path)?;
    }
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(write_error(out_dir, "exists and is not a directory"));
    }
    fs::create_dir_all(out_dir).map_err(|e| write_error(out_dir, e))?;

    let mut report = WriteReport::default();
    let changed: Vec<&GeneratedFile> = files
        .iter()
        .filter(|f| {
            let same =
                fs::read(out_dir.join(&f.path)).is_ok_and(|old| old == f.contents.as_bytes());
            if same {
                report.unchanged += 1;
            }
            !same
        })
        .collect();
    if changed.is_empty() {
        return Ok(report);
    }

    let staging = out_dir.join(format!(".oapi-models-staging-{}", std::process::id()));
    let result = stage_and_move(out_dir, &staging, &changed);
    // The staging folder is empty after a full move; on failure it holds
    // the files that were not moved, which are of no use.
    let _ = fs::remove_dir_all(&staging);
    result?;
    report.written = changed.len();
    Ok(report)
}

fn stage_and_move(out_dir: &Path, staging: &Path, files: &[&GeneratedFile]) -> Result<()> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        let target = out_dir.join(&file.path);
        if target.is_dir() {
            return Err(write_error(&target, "a directory is in the way"));
        }
        if let Some(parent) = target.parent()
            && parent.exists()
            && !parent.is_dir()
        {
            return Err(write_error(parent, "exists and is not a directory"));
        }
        let temp = staging.join(i.to_string());
        fs::create_dir_all(staging).map_err(|e| write_error(staging, e))?;
        fs::write(&temp, &file.contents).map_err(|e| write_error(&temp, e))?;
        staged.push((temp, target));
    }
    for (temp, target) in staged {
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
        }
        fs::rename(&temp, &target).map_err(|e| write_error(&target, e))?;
    }
    Ok(())
}
