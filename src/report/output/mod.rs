//! Writing artefacts all or nothing.
//!
//! Every artefact is rendered in memory first. [`commit`] then, holding the output folder's
//! [`lock`] (one run at a time):
//! 1. finishes any commit a killed run left ([`recover`]);
//! 2. checks every target before writing anything: paths inside the folder, none twice (two areas
//!    whose names slug alike), no link on the way, no folder where a file goes, no input file;
//! 3. writes each artefact to a temporary sibling (`.name.saferstats-tmp`);
//! 4. writes the journal of renames (`.saferstats-journal`, itself renamed into place), renames
//!    every file and removes the journal.
//!
//! A run killed before the journal is in place leaves the old tree (its temporary files are
//! removed by the next run); one killed after it is rolled forward by the next run: either way the
//! folder holds exactly the old or exactly the new evidence base.

pub mod lock;

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

/// The journal of a commit's renames, in the output folder.
pub const JOURNAL: &str = ".saferstats-journal";

/// Writes `artefacts` below `out_dir`, all or nothing, never over one of `inputs`; returns the
/// paths written.
pub fn commit(out_dir: &Path, artefacts: &[Artefact], inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    create_dir(out_dir)?;
    let _lock = lock::Lock::take(out_dir)?;
    recover(out_dir)?;
    let targets = check_all(out_dir, artefacts, inputs)?;
    let mut faults = Faults::from_env();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    if let Err(e) = stage_all(artefacts, &targets, &mut staged, &mut faults) {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    write_journal(out_dir, &staged, &mut faults)?;
    roll_forward(out_dir, &staged, &mut faults)?;
    Ok(targets)
}

/// Finishes what a killed run left in `out_dir`: a journal in place is rolled forward (its
/// renames done); temporary files without one are removed (the old tree stands).
pub fn recover(out_dir: &Path) -> Result<()> {
    let journal = out_dir.join(JOURNAL);
    match std::fs::read_to_string(&journal) {
        Ok(text) => {
            let staged: Vec<(PathBuf, PathBuf)> = text
                .lines()
                .filter_map(|l| l.split_once('\t'))
                .map(|(tmp, target)| (out_dir.join(tmp), out_dir.join(target)))
                .collect();
            roll_forward(out_dir, &staged, &mut Faults::default())
        }
        Err(_) => {
            remove_temporaries(out_dir);
            Ok(())
        }
    }
}

/// Renames every staged file still there into place, then removes the journal.
fn roll_forward(out_dir: &Path, staged: &[(PathBuf, PathBuf)], faults: &mut Faults) -> Result<()> {
    for (tmp, target) in staged {
        if tmp.exists() {
            std::fs::rename(tmp, target).map_err(|e| Error::Write {
                path: target.clone(),
                source: e,
            })?;
            faults.step();
        }
    }
    let _ = std::fs::remove_file(out_dir.join(JOURNAL));
    faults.step();
    remove_temporaries(out_dir);
    Ok(())
}

/// The journal of `staged`'s renames, written whole and then renamed into place.
fn write_journal(out_dir: &Path, staged: &[(PathBuf, PathBuf)], faults: &mut Faults) -> Result<()> {
    let relative = |p: &Path| p.strip_prefix(out_dir).unwrap_or(p).display().to_string();
    let lines: Vec<String> = staged
        .iter()
        .map(|(tmp, target)| format!("{}\t{}", relative(tmp), relative(target)))
        .collect();
    let journal = out_dir.join(JOURNAL);
    let pending = out_dir.join(format!("{JOURNAL}{TMP_SUFFIX}"));
    let write = |path: &Path, r: std::io::Result<()>| {
        r.map_err(|e| Error::Write {
            path: path.to_path_buf(),
            source: e,
        })
    };
    write(&pending, std::fs::write(&pending, lines.join("\n") + "\n"))?;
    faults.step();
    write(&journal, std::fs::rename(&pending, &journal))?;
    faults.step();
    Ok(())
}

/// Every temporary file a commit leaves below `dir`, removed.
fn remove_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let is_link = e.file_type().is_ok_and(|t| t.is_symlink());
        if path.is_dir() && !is_link {
            remove_temporaries(&path);
        } else if path.to_string_lossy().ends_with(TMP_SUFFIX) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Every target, checked before anything is written.
fn check_all(out_dir: &Path, artefacts: &[Artefact], inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut seen: std::collections::BTreeMap<String, &str> = Default::default();
    let mut targets = Vec::new();
    for a in artefacts {
        let relative = safe_relative(&a.path)?;
        if let Some(first) = seen.insert(a.path.to_lowercase(), &a.path) {
            return Err(Error::Usage(format!(
                "two artefacts would both be written to `{}` (`{first}` and `{}`): two areas whose names differ only in case or punctuation; rename one in its source",
                a.path, a.path
            )));
        }
        let target = out_dir.join(relative);
        no_link_on_the_way(out_dir, relative)?;
        check_target(&target, &inputs)?;
        targets.push(target);
    }
    Ok(targets)
}

/// No component below `out_dir` on the way to an artefact is a symbolic link (writing through one
/// would land in another folder).
fn no_link_on_the_way(out_dir: &Path, relative: &Path) -> Result<()> {
    let mut at = out_dir.to_path_buf();
    for part in relative.components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Usage(format!(
                "{} is a symbolic link; saferstats does not write through links: remove it or choose another output folder",
                at.display()
            )));
        }
    }
    Ok(())
}

/// A target is not a folder, and not (inside) one of the run's inputs.
fn check_target(target: &Path, inputs: &[PathBuf]) -> Result<()> {
    if target.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a folder where an artefact goes; move it away (nothing was written)",
            target.display()
        )));
    }
    let real = target.canonicalize().ok().or_else(|| {
        Some(
            target
                .parent()?
                .canonicalize()
                .ok()?
                .join(target.file_name()?),
        )
    });
    if let Some(real) = real
        && inputs.iter().any(|i| real == *i || real.starts_with(i))
    {
        return Err(Error::Usage(format!(
            "{} is one of the run's inputs (or inside one); choose an output folder apart from the inputs",
            target.display()
        )));
    }
    Ok(())
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Write {
        path: dir.to_path_buf(),
        source: e,
    })
}

fn stage_all(
    artefacts: &[Artefact],
    targets: &[PathBuf],
    staged: &mut Vec<(PathBuf, PathBuf)>,
    faults: &mut Faults,
) -> Result<()> {
    for (a, target) in artefacts.iter().zip(targets) {
        let parent = target.parent().expect("a target has a folder");
        create_dir(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let tmp = parent.join(format!(".{name}{TMP_SUFFIX}"));
        let _ = std::fs::remove_file(&tmp);
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &a.bytes));
        staged.push((tmp.clone(), target.clone()));
        written.map_err(|e| Error::Write {
            path: tmp,
            source: e,
        })?;
        faults.step();
    }
    Ok(())
}

/// Fault injection for the crash tests: with `SAFERSTATS_FAULT_AFTER=N` the process aborts, as a
/// `kill -9` would end it, after the commit's Nth file operation.
#[derive(Default)]
struct Faults {
    after: Option<u64>,
    done: u64,
}

impl Faults {
    fn from_env() -> Faults {
        let after = std::env::var("SAFERSTATS_FAULT_AFTER")
            .ok()
            .and_then(|v| v.parse().ok());
        Faults { after, done: 0 }
    }

    fn step(&mut self) {
        self.done += 1;
        if self.after == Some(self.done) {
            std::process::abort();
        }
    }
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
        commit(dir.path(), &[Artefact::new("reports/a.txt", "old")], &[]).unwrap();
        // A regular file where a folder must go makes the second artefact fail.
        std::fs::write(dir.path().join("charts"), "not a folder").unwrap();
        let err = commit(
            dir.path(),
            &[
                Artefact::new("reports/a.txt", "new"),
                Artefact::new("charts/b.svg", "x"),
            ],
            &[],
        );
        assert!(err.is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("reports/a.txt")).unwrap(),
            "old"
        );
        assert!(!dir.path().join("reports/.a.txt.saferstats-tmp").exists());
    }
}
