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
    /// For a zip entry, the checksum of its content the zip itself records (CRC-32 and size, from
    /// the central directory): known without decompressing. `None` for a folder's files.
    pub checksum: Option<String>,
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
        Ok(if meta.is_dir() {
            Archive::Folder(path.to_path_buf())
        } else {
            Archive::Zip(path.to_path_buf())
        })
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

    /// The entry's bytes.
    pub fn read(&self, entry: &Entry, zip: &mut Option<zip::ZipArchive<File>>) -> Result<Vec<u8>> {
        match (&entry.location, zip) {
            (Location::File(path), _) => std::fs::read(path).map_err(|e| Error::Read {
                path: path.display().to_string(),
                source: e,
            }),
            (Location::ZipIndex(i), Some(zip)) => self.read_zip_entry(zip, *i, &entry.name),
            (Location::ZipIndex(_), None) => unreachable!("zip entries are read with a zip reader"),
        }
    }

    fn read_zip_entry(
        &self,
        zip: &mut zip::ZipArchive<File>,
        index: usize,
        name: &str,
    ) -> Result<Vec<u8>> {
        let path = self.path();
        let mut file = zip
            .by_index(index)
            .map_err(|e| zip_error(path, format!("entry {name}: {e}")))?;
        let declared = file.size();
        let mut bytes = Vec::with_capacity(declared.min(MAX_ENTRY_BYTES) as usize);
        (&mut file)
            .take(declared + 1)
            .read_to_end(&mut bytes)
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
        Ok(bytes)
    }

    pub fn path(&self) -> &Path {
        match self {
            Archive::Folder(p) | Archive::Zip(p) => p,
        }
    }
}

fn folder_entries(root: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let read_err = |e| Error::Read {
            path: dir.display().to_string(),
            source: e,
        };
        for item in std::fs::read_dir(&dir).map_err(read_err)? {
            let path = item.map_err(read_err)?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            {
                let name = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(Entry {
                    name,
                    location: Location::File(path),
                    checksum: None,
                });
            }
        }
    }
    Ok(out)
}

fn zip_entries(path: &Path) -> Result<Vec<Entry>> {
    let file = File::open(path).map_err(|e| Error::Read {
        path: path.display().to_string(),
        source: e,
    })?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| zip_error(path, e))?;
    if zip.len() > MAX_ENTRIES {
        return Err(zip_error(
            path,
            format!(
                "{} entries is more than the {MAX_ENTRIES} allowed",
                zip.len()
            ),
        ));
    }
    let mut out = Vec::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| zip_error(path, e))?;
        let raw_name = entry.name().map_err(|e| zip_error(path, e))?.to_string();
        if entry.enclosed_name().is_none() {
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
        out.push(Entry {
            checksum: Some(format!(
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
