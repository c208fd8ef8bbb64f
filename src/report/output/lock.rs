//! One run at a time per output folder: `.saferstats.lock` holds the writing run's process id,
//! created exclusively; a second run fails saying who holds it. A lock whose process is gone (a
//! killed run) is stale and taken over.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The lock's file name in the output folder.
pub const LOCK: &str = ".saferstats.lock";

/// Held while a run writes; released (the file removed) when dropped.
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock on `dir`, taking over a stale one.
    pub fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    if alive(holder.trim()) {
                        return Err(held(dir, &path, holder.trim()));
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => {
                    return Err(Error::Write { path, source: e });
                }
            }
        }
        Err(held(dir, &path, "unknown"))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the process `pid` still runs (Linux: its `/proc` entry; elsewhere assumed so).
fn alive(pid: &str) -> bool {
    match pid.parse::<u32>() {
        Ok(p) if cfg!(target_os = "linux") => Path::new(&format!("/proc/{p}")).exists(),
        Ok(_) => true,
        Err(_) => false,
    }
}

fn held(dir: &Path, path: &Path, pid: &str) -> Error {
    Error::Usage(format!(
        "{} is being written by another saferstats run (process {pid}); wait for it to finish, or remove {} if no run is going",
        dir.display(),
        path.display()
    ))
}
