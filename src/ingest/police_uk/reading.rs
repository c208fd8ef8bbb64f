//! Reading an archive's chosen files in parallel: from the cache when it knows a file by its
//! fingerprint or its bytes, parsed otherwise, and what the cache should learn from the run.

use rayon::prelude::*;

use super::archive::{Archive, Entry};
use super::file::{self, Name, Parsed};
use super::progress::Progress;
use super::{ReadFile, Selection, cache};
use crate::error::{Error, Result};

/// How the files of one archive were read, and what the cache should learn from it.
#[derive(Default)]
pub(super) struct Tally {
    /// Files parsed this run.
    parsed: usize,
    /// Files taken from the cache by their fingerprint, without being read.
    by_sight: usize,
    /// Clean aggregates parsed this run, with their keys.
    pub(super) fresh: Vec<Keyed>,
    /// Fingerprints the cache did not know, with their files' keys.
    pub(super) learnt: Vec<(String, String)>,
}

impl Tally {
    fn add(&mut self, how: How, learnt: Option<(String, String)>) {
        match how {
            How::Parsed(fresh) => {
                self.parsed += 1;
                self.fresh.extend(fresh);
            }
            How::Hashed => {}
            How::BySight => self.by_sight += 1,
        }
        self.learnt.extend(learnt);
    }

    /// The note that says how much of `files` the cache served.
    pub(super) fn note(&self, display: &str, archive: &Archive, files: usize) -> String {
        let how = match (self.by_sight, archive) {
            (0, _) => String::new(),
            (n, Archive::Zip(_)) => {
                format!(", {n} of them by the zip's checksum without decompressing")
            }
            (n, Archive::Folder(_)) => format!(
                ", {n} of them by their unchanged size, times and inode without reading them"
            ),
        };
        format!(
            "{display}: {} of {files} files taken from the cache (same name and bytes{how}), {} parsed",
            files - self.parsed,
            self.parsed
        )
    }
}

/// A file's aggregate with its cache key.
type Keyed = (String, cache::Cached);

/// How one file's aggregate was found.
enum How {
    /// Parsed; with its aggregate for the cache when it is clean (no rejected rows).
    Parsed(Option<Keyed>),
    /// Read and hashed, and its key was in the cache.
    Hashed,
    /// Known to the cache by its fingerprint: not read at all.
    BySight,
}

/// One file as read, and what the cache should learn from it.
struct Read {
    file: ReadFile,
    how: How,
    /// The file's fingerprint and key, when the cache did not know the fingerprint.
    learnt: Option<(String, String)>,
}

/// Reads every chosen file in parallel, keeping archive order: from the cache when it knows the
/// file by its fingerprint or its bytes, parsed otherwise.
pub(super) fn read_all(
    archive: &Archive,
    chosen: Vec<(Entry, Name)>,
    display: &str,
    s: &Selection,
    cache: Option<&cache::Cache>,
) -> Result<(Vec<ReadFile>, Tally)> {
    let progress = Progress::new(chosen.len() as u64, s.progress);
    let results: Result<Vec<Read>> = chosen
        .into_par_iter()
        .map_init(
            || (archive.zip_reader(), Vec::new()),
            |(zip, buffer), (entry, name)| {
                let zip = zip.as_mut().map_err(|e| Error::Usage(e.to_string()))?;
                let read = match known_by_sight(&entry, &name, s, cache) {
                    Some(file) => Ok(Read {
                        file,
                        how: How::BySight,
                        learnt: None,
                    }),
                    None => match streamed(&entry, &name, display, s, cache) {
                        Some((parsed, digest)) => {
                            Ok(parsed_read(parsed, digest, entry, name, s, cache))
                        }
                        None => {
                            archive.read_into(&entry, zip, buffer)?;
                            read_one(buffer, entry, name, display, s, cache)
                        }
                    },
                };
                if let Ok(read) = &read {
                    progress.file_done(read.file.parsed.rows_read);
                }
                read
            },
        )
        .collect();
    progress.bar.finish_and_clear();
    let mut files = Vec::new();
    let mut tally = Tally::default();
    for read in results? {
        tally.add(read.how, read.learnt);
        files.push(read.file);
    }
    Ok((files, tally))
}

/// A clean street file of a folder counted as it is read (see [`super::stream`]), when no cache
/// could know it already; `None` for any other file, read then by [`read_one`].
fn streamed(
    entry: &Entry,
    name: &Name,
    display: &str,
    s: &Selection,
    cache: Option<&cache::Cache>,
) -> Option<(Parsed, String)> {
    let unknown = cache.is_none_or(cache::Cache::is_empty);
    let path = Archive::file_path(entry).filter(|_| unknown && name.kind == file::Kind::Street)?;
    let shown = format!("{display}/{}", entry.name);
    let area = s.force_areas.get(&name.force);
    let keep = keep(s, name, cache);
    super::stream::parse(path, (name, &shown), s.bad_rows, area, keep)
}

/// One file's bytes: from the cache when their key is known, parsed otherwise; hashed (BLAKE3)
/// for provenance either way.
fn read_one(
    bytes: &[u8],
    entry: Entry,
    name: Name,
    display: &str,
    s: &Selection,
    cache: Option<&cache::Cache>,
) -> Result<Read> {
    let area = s.force_areas.get(&name.force);
    let digest = crate::ingest::read::blake3_digest(bytes);
    let key = cache.map(|_| cache::key(&entry.name, &digest));
    let hit = key
        .as_deref()
        .and_then(|k| cache?.get(k))
        .filter(|hit| usable(hit, area, s, &name));
    if let Some(hit) = hit {
        let learnt = learnt(cache, &entry, key);
        let file = from_cache(hit, entry, name);
        return Ok(Read {
            file,
            how: How::Hashed,
            learnt,
        });
    }
    let shown = format!("{display}/{}", entry.name);
    let keep = keep(s, &name, cache);
    let parsed = file::parse_with(bytes, &name, &shown, s.bad_rows, area, keep)?;
    Ok(parsed_read(parsed, digest, entry, name, s, cache))
}

/// What to keep of a file's rows beside its counts.
fn keep(s: &Selection, name: &Name, cache: Option<&cache::Cache>) -> file::Keep {
    file::Keep {
        points: super::selection::keeps_points(s, name),
        crimes: super::selection::keeps_crimes(s, name),
        // The cache keeps the detail, so that it serves a later run that needs it.
        lsoas: cache.is_some() || super::selection::keeps_lsoas(s, name),
    }
}

/// The file's fingerprint and key (`cache::key` of its name and digest), when the cache does
/// not know the fingerprint.
fn learnt(
    cache: Option<&cache::Cache>,
    entry: &Entry,
    key: Option<String>,
) -> Option<(String, String)> {
    match (cache, &entry.fingerprint, key) {
        (Some(cache), Some(print), Some(key)) if !cache.knows(print) => Some((print.clone(), key)),
        _ => None,
    }
}

/// A parsed file with its digest, and what the cache keeps of it: its aggregate and LSOA detail
/// when it is clean (no rejected rows).
fn parsed_read(
    mut parsed: Parsed,
    digest: String,
    entry: Entry,
    name: Name,
    s: &Selection,
    cache: Option<&cache::Cache>,
) -> Read {
    let key = cache.map(|_| cache::key(&entry.name, &digest));
    let clean = parsed.rejected.is_empty();
    let learnt = learnt(cache, &entry, key.clone()).filter(|_| clean);
    let key = key.filter(|_| clean);
    hand_over_detail(&mut parsed, cache.zip(key.as_deref()), s, &name);
    let fresh = key.map(|k| {
        let cached = cache::Cached {
            digest: digest.clone(),
            rows_read: parsed.rows_read,
            street: parsed.street.clone(),
        };
        (k, cached)
    });
    Read {
        file: ReadFile {
            digest,
            entry,
            name,
            parsed,
        },
        how: How::Parsed(fresh),
        learnt,
    }
}

/// Gives the cache (with the clean file's key) the file's LSOA detail, then lets the detail go
/// if this run itself needs none.
fn hand_over_detail(
    parsed: &mut Parsed,
    cache: Option<(&cache::Cache, &str)>,
    s: &Selection,
    name: &Name,
) {
    if let (Some((cache, key)), Some(street)) = (cache, &parsed.street) {
        cache.keep_detail((key, &name.force), street);
    }
    let street = parsed.street.as_mut().and_then(std::sync::Arc::get_mut);
    if let Some(street) = street.filter(|_| !super::selection::keeps_lsoas(s, name)) {
        street.forget_lsoas();
    }
}

/// A file the cache knows by its fingerprint (unless `--rehash`): no need to read it.
fn known_by_sight(
    entry: &Entry,
    name: &Name,
    s: &Selection,
    cache: Option<&cache::Cache>,
) -> Option<ReadFile> {
    if s.rehash {
        return None;
    }
    let hit = cache?.get_by_fingerprint(entry.fingerprint.as_deref()?)?;
    usable(hit, s.force_areas.get(&name.force), s, name)
        .then(|| from_cache(hit, entry.clone(), name.clone()))
}

/// A file as its cached aggregate gives it.
fn from_cache(hit: &cache::Cached, entry: Entry, name: Name) -> ReadFile {
    ReadFile {
        digest: hit.digest.clone(),
        entry,
        name,
        parsed: Parsed {
            rows_read: hit.rows_read,
            rejected: Vec::new(),
            street: hit.street.clone(),
            outcomes: None,
            searches: None,
        },
    }
}

/// A cached aggregate serves this run if it was counted against the same force area and holds
/// the LSOA and point detail when the run needs them.
fn usable(hit: &cache::Cached, area: Option<&Vec<String>>, s: &Selection, name: &Name) -> bool {
    if super::selection::keeps_crimes(s, name) {
        return false; // the cache keeps no Crime IDs nor outcome rows
    }
    let Some(street) = &hit.street else {
        return true;
    };
    let same_area =
        street.outside_area.as_ref().map(|(_, p)| p.clone()) == area.map(|a| a.join("|"));
    same_area
        && (street.has_lsoa_detail || !super::selection::keeps_lsoas(s, name))
        && (street.has_point_detail || !super::selection::keeps_points(s, name))
}
