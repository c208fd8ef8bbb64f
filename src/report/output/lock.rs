//! One run at a time per output folder: `.saferstats.lock`, locked exclusively by the writing
//! run (an advisory `flock`, which the kernel releases when the process ends, so a killed run
//! leaves no stale lock) and holding its process id; a second run fails saying who holds it.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The lock's file name in the output folder.
pub const LOCK: &str = ".saferstats.lock";

/// Held while a run writes; the file is removed and the lock released when dropped.
pub struct Lock {
    path: PathBuf,
    _file: std::fs::File,
}

impl Lock {
    /// Takes the lock on `dir`, or fails naming the run that holds it.
    pub fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK);
        let write_err = |e| Error::Write {
            path: path.clone(),
            source: e,
        };
        loop {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(write_err)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    return Err(held(dir, &path, holder.trim()));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(write_err(e)),
            }
            // A run that finished removed the file it had locked after this one opened it: lock
            // the file now at the path instead.
            if !same_file(&file, &path) {
                continue;
            }
            file.set_len(0).map_err(write_err)?;
            file.rewind().map_err(write_err)?;
            write!(file, "{}", std::process::id()).map_err(write_err)?;
            return Ok(Lock { path, _file: file });
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked: a run that opened it meanwhile sees it is gone.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the open `file` is the file now at `path`.
#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::File, path: &Path) -> bool {
    path.exists()
}

fn held(dir: &Path, path: &Path, pid: &str) -> Error {
    let who = if pid.is_empty() {
        "a run just starting".to_string()
    } else {
        format!("process {pid}")
    };
    Error::Usage(format!(
        "{} is being written by another saferstats run ({who}); wait for it to finish, or remove {} if no run is going",
        dir.display(),
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn never_two_holders_at_once() {
        // Many takers racing on one folder, each dropping the lock soon after: before the lock
        // was a kernel lock, a taker could read a just-created, still empty lock file as stale and
        // take it over, so two runs wrote at once.
        let dir = tempfile::tempdir().unwrap();
        let holders = AtomicUsize::new(0);
        let taken = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..3000 {
                        if let Ok(lock) = Lock::take(dir.path()) {
                            assert_eq!(holders.fetch_add(1, Ordering::SeqCst), 0);
                            taken.fetch_add(1, Ordering::SeqCst);
                            std::thread::yield_now();
                            holders.fetch_sub(1, Ordering::SeqCst);
                            drop(lock);
                        }
                    }
                });
            }
        });
        assert!(taken.load(Ordering::SeqCst) > 0);
        assert!(!dir.path().join(LOCK).exists());
    }
}
