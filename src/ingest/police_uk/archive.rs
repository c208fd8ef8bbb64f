//! The data.police.uk archive as distributed: a folder tree `YYYY-MM/YYYY-MM-<force>-<kind>.csv`
//! or a zip of that tree. Entries are listed in name order and read one at a time, so memory holds
//! one month-file per worker, never the archive.
//!
//! A zip is untrusted: an entry whose name would leave the archive's folder (`../`, an absolute
//! path) is refused, and so are archives whose entries declare, or turn out to hold, more than the
//! limits below (a zip bomb).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// At most this many entries in one archive.
pub const MAX_ENTRIES: usize = 200_000;
/// At most this many bytes in one decompressed entry (a national month-file is ~100 MB at most).
pub const MAX_ENTRY_BYTES: u64 = 2 << 30;
/// At most this many decompressed bytes in all (a 36-month national archive is ~2 GB).
pub const MAX_TOTAL_BYTES: u64 = 64 << 30;
/// CSV compresses about 10:1; far beyond that is a bomb, not a police file.
pub const MAX_RATIO: u64 = 200;

/// Where the archive is.
#[derive(Debug, Clone)]
pub enum Archive {
    Folder(PathBuf),
    Zip(PathBuf),
}

/// One CSV in the archive: its name relative to the archive root (with `/`), and how to find it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    location: Location,
    /// What identifies the entry's content without reading it, for the cache: a zip entry's
    /// CRC-32 and size from the zip's central directory, or a folder file's size, times, inode
    /// and device (see [`stat_fingerprint`]). Always ends with the entry's name.
    pub fingerprint: Option<String>,
}

#[derive(Debug, Clone)]
enum Location {
    File(PathBuf),
    ZipIndex(usize),
}

fn zip_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Csv {
        at: crate::error::Location::file(path.display().to_string()),
        message: format!(
            "{message}; the zip is damaged or not a data.police.uk archive: download it again"
        ),
    }
}

impl Archive {
    /// A folder or a `.zip` file.
    pub fn open(path: &Path) -> Result<Archive> {
        let read_err = |e| Error::Read {
            path: path.display().to_string(),
            source: e,
        };
        let meta = std::fs::metadata(path).map_err(read_err)?;
        if meta.is_dir() {
            return Ok(Archive::Folder(path.to_path_buf()));
        }
        crate::ingest::read::check_input(path, &meta)?;
        Ok(Archive::Zip(path.to_path_buf()))
    }

    /// Every `.csv` entry, in name order.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let mut entries = match self {
            Archive::Folder(root) => folder_entries(root)?,
            Archive::Zip(path) => zip_entries(path)?,
        };
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// Opens a reader for zip entries; `None` for a folder. One per worker thread.
    pub fn zip_reader(&self) -> Result<Option<zip::ZipArchive<File>>> {
        match self {
            Archive::Folder(_) => Ok(None),
            Archive::Zip(path) => {
                let file = File::open(path).map_err(|e| Error::Read {
                    path: path.display().to_string(),
                    source: e,
                })?;
                Ok(Some(
                    zip::ZipArchive::new(file).map_err(|e| zip_error(path, e))?,
                ))
            }
        }
    }

    /// The path of a folder's file (`None` for a zip's entry).
    pub fn file_path(entry: &Entry) -> Option<&Path> {
        match &entry.location {
            Location::File(path) => Some(path),
            Location::ZipIndex(_) => None,
        }
    }

    /// Reads the entry's bytes into `bytes` (cleared first). Each worker keeps one buffer for
    /// all its files, so the pages of a fresh allocation are not faulted in and zeroed per file.
    pub fn read_into(
        &self,
        entry: &Entry,
        zip: &mut Option<zip::ZipArchive<File>>,
        bytes: &mut Vec<u8>,
    ) -> Result<()> {
        bytes.clear();
        match (&entry.location, zip) {
            (Location::File(path), _) => File::open(path)
                .and_then(|mut f| f.read_to_end(bytes))
                .map(drop)
                .map_err(|e| Error::Read {
                    path: path.display().to_string(),
                    source: e,
                }),
            (Location::ZipIndex(i), Some(zip)) => self.read_zip_entry(zip, *i, &entry.name, bytes),
            (Location::ZipIndex(_), None) => unreachable!("zip entries are read with a zip reader"),
        }
    }

    fn read_zip_entry(
        &self,
        zip: &mut zip::ZipArchive<File>,
        index: usize,
        name: &str,
        bytes: &mut Vec<u8>,
    ) -> Result<()> {
        let path = self.path();
        let mut file = zip
            .by_index(index)
            .map_err(|e| zip_error(path, format!("entry {name}: {e}")))?;
        let declared = file.size();
        bytes.reserve(declared.min(MAX_ENTRY_BYTES) as usize);
        (&mut file)
            .take(declared + 1)
            .read_to_end(bytes)
            .map_err(|e| zip_error(path, format!("entry {name}: {e}")))?;
        if bytes.len() as u64 != declared {
            return Err(zip_error(
                path,
                format!(
                    "entry {name} holds {} bytes but declares {declared}",
                    bytes.len()
                ),
            ));
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        match self {
            Archive::Folder(p) | Archive::Zip(p) => p,
        }
    }
}

fn folder_entries(root: &Path) -> Result<Vec<Entry>> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let inside = root.canonicalize().map_err(|e| Error::Read {
        path: root.display().to_string(),
        source: e,
    })?;
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let read_err = |e| Error::Read {
            path: dir.display().to_string(),
            source: e,
        };
        for item in std::fs::read_dir(&dir).map_err(read_err)? {
            let path = item.map_err(read_err)?.path();
            // Follows links, as reading the file will.
            let meta = std::fs::metadata(&path).map_err(|e| Error::Read {
                path: path.display().to_string(),
                source: e,
            })?;
            if meta.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            {
                regular_inside(&path, &meta, &inside)?;
                let name = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(Entry {
                    fingerprint: stat_fingerprint(&meta, &name, now),
                    name,
                    location: Location::File(path),
                });
            }
        }
    }
    Ok(out)
}

/// A month-file is a regular file inside the archive's folder: a link that leads outside it, a
/// FIFO or a device is refused before anything is read from it.
fn regular_inside(path: &Path, meta: &std::fs::Metadata, root: &Path) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "{}: {why}; an archive's month-files are regular files inside its folder",
            path.display()
        )))
    };
    if !meta.is_file() {
        return refuse("is not a regular file (a FIFO, socket or device?)");
    }
    match path.canonicalize() {
        Ok(real) if real.starts_with(root) => Ok(()),
        _ => refuse("is a link that leads outside the archive's folder"),
    }
}

/// How many entries a zip's end-of-central-directory record declares; `None` where it cannot say
/// (no record found, or a Zip64 archive, which declares them elsewhere).
fn declared_entries(path: &Path) -> Option<u64> {
    use std::io::{Seek, SeekFrom};
    let mut f = File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let tail = len.min(65_557);
    f.seek(SeekFrom::Start(len - tail)).ok()?;
    let mut buf = Vec::with_capacity(tail as usize);
    f.take(tail).read_to_end(&mut buf).ok()?;
    let at = buf
        .windows(4)
        .rposition(|w| w == [0x50, 0x4b, 0x05, 0x06])?;
    let total = u16::from_le_bytes([*buf.get(at + 10)?, *buf.get(at + 11)?]);
    (total != 0xFFFF).then_some(u64::from(total))
}

/// An entry name that is absolute (`/x`, `\\x`), carries a drive letter (`C:`) or climbs (`..`).
fn unsafe_name(name: &str) -> bool {
    let b = name.as_bytes();
    let drive = b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic();
    drive || name.starts_with(['/', '\\']) || name.split(['/', '\\']).any(|part| part == "..")
}

/// The zip, opened and checked as a whole: no repeated name, not too many entries.
fn open_zip(path: &Path) -> Result<zip::ZipArchive<File>> {
    let file = File::open(path).map_err(|e| Error::Read {
        path: path.display().to_string(),
        source: e,
    })?;
    let zip = zip::ZipArchive::new(file).map_err(|e| zip_error(path, e))?;
    // The zip reader keeps one entry per name: fewer entries than the central directory declares
    // means a name was repeated and one of its entries would silently win.
    if declared_entries(path).is_some_and(|n| n != zip.len() as u64) {
        return Err(Error::Usage(format!(
            "{}: two entries share a name; which one is the release cannot be told, so the archive is refused",
            path.display()
        )));
    }
    if zip.len() > MAX_ENTRIES {
        return Err(zip_error(
            path,
            format!(
                "{} entries is more than the {MAX_ENTRIES} allowed",
                zip.len()
            ),
        ));
    }
    Ok(zip)
}

fn zip_entries(path: &Path) -> Result<Vec<Entry>> {
    let mut zip = open_zip(path)?;
    let mut out = Vec::new();
    let mut names = std::collections::HashSet::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| zip_error(path, e))?;
        let raw_name = entry.name().map_err(|e| zip_error(path, e))?.to_string();
        if entry.enclosed_name().is_none() || unsafe_name(&raw_name) {
            return Err(Error::Usage(format!(
                "{}: zip entry `{raw_name}` would be written outside its folder; the archive is not safe to read",
                path.display()
            )));
        }
        if entry.is_dir() || !raw_name.to_ascii_lowercase().ends_with(".csv") {
            continue;
        }
        check_bomb(
            path,
            &raw_name,
            entry.size(),
            entry.compressed_size(),
            &mut total,
        )?;
        if !names.insert(raw_name.clone()) {
            return Err(Error::Usage(format!(
                "{}: two entries are named `{raw_name}`; which one is the release cannot be told, so the archive is refused",
                path.display()
            )));
        }
        out.push(Entry {
            fingerprint: Some(format!(
                "zip-crc32:{:08x}:{}:{raw_name}",
                entry.crc32(),
                entry.size()
            )),
            name: raw_name,
            location: Location::ZipIndex(i),
        });
    }
    Ok(out)
}

/// Seconds a file must have been left unchanged before its fingerprint is trusted.
const SETTLED_SECS: i64 = 2;

/// A folder file's fingerprint, as git's index keeps one: size, modification time, change time,
/// inode and device. The change time (ctime) is set by the kernel on every write and no tool can
/// set it back, so a file whose bytes changed has another fingerprint even when its size and
/// modification time were restored. A file changed in the last [`SETTLED_SECS`] gets none: a
/// second write within the same clock tick could leave its times as they were (git's "racy"
/// case), so it is read and hashed until it settles. `None` where there is no ctime (not Unix).
#[cfg(unix)]
pub fn stat_fingerprint(meta: &std::fs::Metadata, name: &str, now: i64) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    if now - meta.ctime().max(meta.mtime()) < SETTLED_SECS {
        return None;
    }
    Some(format!(
        "stat:{}:{}.{:09}:{}.{:09}:{}:{}:{name}",
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
        meta.ino(),
        meta.dev()
    ))
}

#[cfg(not(unix))]
pub fn stat_fingerprint(_: &std::fs::Metadata, _: &str, _: i64) -> Option<String> {
    None
}

fn check_bomb(path: &Path, name: &str, size: u64, compressed: u64, total: &mut u64) -> Result<()> {
    *total += size;
    let message = if size > MAX_ENTRY_BYTES {
        format!("entry {name} declares {size} bytes, more than the {MAX_ENTRY_BYTES} allowed")
    } else if *total > MAX_TOTAL_BYTES {
        format!("the entries declare more than {MAX_TOTAL_BYTES} bytes in all")
    } else if size > 1 << 20 && size / compressed.max(1) > MAX_RATIO {
        format!(
            "entry {name} expands {}:1, beyond any CSV (a zip bomb?)",
            size / compressed.max(1)
        )
    } else {
        return Ok(());
    };
    Err(Error::Usage(format!(
        "{}: {message}; refusing to decompress it",
        path.display()
    )))
}
