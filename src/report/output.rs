//! Writing artefacts all or nothing.
//!
//! Every artefact is rendered in memory first. [`commit`] then writes each to a temporary sibling
//! (`.name.saferstats-tmp`) and, only when every one of them is written, renames them into place.
//! A run that fails before or while writing leaves the previous evidence base as it was.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// One output file: its path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artefact {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Artefact {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Artefact {
        Artefact {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

const TMP_SUFFIX: &str = ".saferstats-tmp";

/// Writes `artefacts` below `out_dir`, all or nothing; returns the paths written.
pub fn commit(out_dir: &Path, artefacts: &[Artefact]) -> Result<Vec<PathBuf>> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = stage_all(out_dir, artefacts, &mut staged);
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (tmp, target) in &staged {
        std::fs::rename(tmp, target).map_err(|e| Error::Write {
            path: target.clone(),
            source: e,
        })?;
    }
    Ok(staged.into_iter().map(|(_, target)| target).collect())
}

fn stage_all(
    out_dir: &Path,
    artefacts: &[Artefact],
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<()> {
    for a in artefacts {
        let target = out_dir.join(safe_relative(&a.path)?);
        let parent = target.parent().unwrap_or(out_dir);
        std::fs::create_dir_all(parent).map_err(|e| Error::Write {
            path: parent.to_path_buf(),
            source: e,
        })?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let tmp = parent.join(format!(".{name}{TMP_SUFFIX}"));
        std::fs::write(&tmp, &a.bytes).map_err(|e| Error::Write {
            path: tmp.clone(),
            source: e,
        })?;
        staged.push((tmp, target));
    }
    Ok(())
}

/// An artefact path must stay inside the output folder: relative, without `..`.
fn safe_relative(path: &str) -> Result<&Path> {
    let p = Path::new(path);
    let inside = p.components().all(|c| matches!(c, Component::Normal(_)));
    if !inside || path.is_empty() {
        return Err(Error::Usage(format!(
            "output path `{path}` would leave the output folder; use a relative path without `..`"
        )));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        for bad in ["../x.csv", "/etc/passwd", "a/../../b", ""] {
            assert!(safe_relative(bad).is_err(), "{bad}");
        }
        assert!(safe_relative("reports/tables/x.csv").is_ok());
    }

    #[test]
    fn a_failed_commit_leaves_earlier_files() {
        let dir = tempfile::tempdir().unwrap();
        commit(dir.path(), &[Artefact::new("reports/a.txt", "old")]).unwrap();
        // A regular file where a folder must go makes the second artefact fail.
        std::fs::write(dir.path().join("charts"), "not a folder").unwrap();
        let err = commit(
            dir.path(),
            &[
                Artefact::new("reports/a.txt", "new"),
                Artefact::new("charts/b.svg", "x"),
            ],
        );
        assert!(err.is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("reports/a.txt")).unwrap(),
            "old"
        );
        assert!(!dir.path().join("reports/.a.txt.saferstats-tmp").exists());
    }
}
