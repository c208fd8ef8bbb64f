//! The incremental cache: each clean month-file's aggregate, stored in Parquet and keyed by the
//! file's name in the archive and the BLAKE3 hash of its bytes.
//!
//! A file whose key is in the cache is not parsed: its counts, quality figures and digest (for
//! provenance) come from the cache. Most files are not even read: the cache also knows files by
//! their fingerprint (a zip entry's CRC-32 and size from the zip's directory; a folder file's
//! size, times, inode and device, see [`super::archive::stat_fingerprint`]), and a file whose
//! fingerprint it has seen is taken without reading its bytes. `--rehash` turns that off: every
//! file is read and hashed, and only its hash is trusted. A file whose bytes changed has another
//! hash (and another fingerprint), so its old aggregate is never used.
//!
//! The per-file summaries are small and always loaded; the counts by LSOA are loaded only when a
//! run needs them (`--by lsoa`, `--export-parquet`). Files with rejected rows are never cached. The
//! cache is only ever a copy: delete the folder and the next run rebuilds it; an unreadable
//! segment is ignored.
//!
//! Layout under `<dir>/police-uk-v11/`: `files-<id>.parquet` (one row per month-file: key, detail,
//! digest, rows_read, is_street, falls_within, no_location, duplicate_ids, legacy, outside_area,
//! outside_prefixes, t0..t13 totals by crime type) beside `segment-<id>.arrow` (Arrow IPC with
//! LZ4, one row per file: `file`, the number its summary row holds as `detail`; lists `lsoa` (each
//! LSOA's number, the number of its (code, name) pair), `types` (a mask of the crime types it
//! counts), `counts` (those counts, u16) and `named`, `lsoa_code`, `lsoa_name` (the pairs the file
//! names first); see [`super::segment`]). Each run that parses new files
//! adds one pair, the segment written while the files are parsed. `fingerprints-<id>.parquet`
//! (fingerprint, key) is added by each run that meets files the cache did not know by sight.
//! `index.tsv` holds each of those files' own BLAKE3 digest: a file whose bytes no longer match
//! (edited, even into another valid Parquet file) is not read, and its month-files are parsed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use polars::prelude::*;

use super::segment::Detail;
use crate::harmonise::police_uk::LEGACY;
use crate::ingest::police_uk::file::StreetCounts;

/// Where the cache lives: `SAFERSTATS_CACHE_DIR`, else `$XDG_CACHE_HOME/saferstats`, else
/// `~/.cache/saferstats`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SAFERSTATS_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("saferstats"))
}

/// One month-file's aggregate as cached.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The file's provenance digest (`blake3:<hex>`).
    pub digest: String,
    pub rows_read: u64,
    /// `Some` for street files.
    pub street: Option<Arc<StreetCounts>>,
}

/// The cache, loaded: every aggregate by key, and the new ones this run adds.
pub struct Cache {
    dir: PathBuf,
    entries: HashMap<String, Cached>,
    /// Fingerprint -> key.
    by_fingerprint: HashMap<String, String>,
    added: Vec<(String, Cached)>,
    /// Fingerprints met this run, with their keys.
    learnt: Vec<(String, String)>,
    /// The LSOA detail of this run's new files, written as they are parsed.
    detail: Detail,
}

/// The cache's folder under its directory, named for its layout (tests find it by this name).
///
/// v4: keys are the name and the BLAKE3 digest; fingerprints of zip entries and folder files.
/// v5: stop-and-search rows are checked (dated in their month) in every run, not only for `searches`.
/// v6: outcome rows too (month, Crime ID, outcome type), not only for `justice`.
/// v10: the segment's counts are u16 (a file with a larger count keeps no LSOA detail); the
/// Parquet tables are LZ4.
/// v11: the segment holds one row per file, its LSOAs in lists, the counts that are not zero.
pub const VERSION: &str = "police-uk-v11";

impl Cache {
    /// Opens (and reads) the cache under `dir`, with the LSOA detail of the files `detail` asks
    /// for; unreadable segments are skipped.
    pub fn open(dir: &Path, detail: &Wanted) -> Cache {
        let dir = dir.join(VERSION);
        let mut entries = HashMap::new();
        let mut by_fingerprint = HashMap::new();
        let index = read_index(&dir);
        let needs = !matches!(detail, Wanted::None);
        if let Ok(listing) = std::fs::read_dir(&dir) {
            let mut names: Vec<PathBuf> =
                listing.filter_map(|e| e.ok().map(|e| e.path())).collect();
            // A segment is read (and so checked) only when the run needs the LSOA detail.
            let unread = |p: &PathBuf| !needs && file_name(p).starts_with("segment-");
            names.retain(|p| unread(p) || verified(p, &index));
            names.sort();
            for known in names
                .iter()
                .filter(|p| file_name(p).starts_with("fingerprints-"))
            {
                let _ = read_fingerprints(known, &mut by_fingerprint);
            }
            let keys = detail.keys(&by_fingerprint);
            for files in names.iter().filter(|p| file_name(p).starts_with("files-")) {
                let segment = segment_beside(files);
                if needs && !names.contains(&segment) {
                    continue;
                }
                let segment = needs.then_some((segment.as_path(), keys.as_ref()));
                let _ = read_pair(files, segment, &mut entries);
            }
        }
        Cache {
            entries,
            by_fingerprint,
            added: Vec::new(),
            learnt: Vec::new(),
            detail: Detail::new(&dir),
            dir,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Cached> {
        self.entries.get(key)
    }

    /// The aggregate of a file whose fingerprint the cache has seen: found without reading it.
    pub fn get_by_fingerprint(&self, fingerprint: &str) -> Option<&Cached> {
        self.by_fingerprint
            .get(fingerprint)
            .and_then(|k| self.get(k))
    }

    /// Whether the cache holds no file's aggregate (its first run): no file can be found in it.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the cache knows `fingerprint` already.
    pub fn knows(&self, fingerprint: &str) -> bool {
        self.by_fingerprint.contains_key(fingerprint)
    }

    /// Keeps the LSOA detail of the clean file with `key`, of `force`, for the next run, written
    /// now (by the worker that parsed it) so that the run need not hold the table to its end.
    /// `add` the file too: a segment's rows serve only keys its summary table holds.
    pub fn keep_detail(&self, (key, force): (&str, &str), street: &StreetCounts) {
        let id = self.detail.next.fetch_add(1, Ordering::Relaxed);
        self.detail.keep((key, id, force), street);
    }

    /// Keeps `cached` for the next run.
    pub fn add(&mut self, key: String, cached: Cached) {
        self.added.push((key, cached));
    }

    /// Remembers that the file with `fingerprint` has `key`, for the next run.
    pub fn learn(&mut self, fingerprint: String, key: String) {
        self.learnt.push((fingerprint, key));
    }

    /// Writes this run's new aggregates as one pair of files, and the fingerprints it learnt,
    /// the three files at once (the run's parsing is over, and its cores are free). Failing to
    /// write the cache never fails the run: the cache is an optimisation.
    pub fn save(mut self) -> Result<(), String> {
        if self.added.is_empty() && self.learnt.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
        self.added.sort_by(|a, b| a.0.cmp(&b.0));
        self.learnt.sort();
        let (added, learnt) = rayon::join(|| self.save_added(), || self.save_learnt());
        let mut index = read_index(&self.dir);
        index.extend(added?.into_iter().chain(learnt?));
        write_index(&self.dir, &index)
    }

    /// Writes the aggregates this run added (if any): the segment and the summaries beside it;
    /// each file's name and digest.
    fn save_added(&self) -> Result<Vec<(String, String)>, String> {
        if self.added.is_empty() {
            return Ok(Vec::new());
        }
        let id = id_of(self.added.iter().map(|(key, _)| key));
        let segment = self.dir.join(format!("segment-{id}.arrow"));
        let ids = self.detail.take_ids();
        let files = self.dir.join(format!("files-{id}.parquet"));
        let summaries = || write(&files, &mut files_frame(&self.added, &ids)?);
        let (segment, summaries) = rayon::join(|| self.detail.commit(&segment), summaries);
        Ok(vec![segment?, summaries?])
    }

    /// Writes the fingerprints this run learnt (if any); the file's name and digest.
    fn save_learnt(&self) -> Result<Option<(String, String)>, String> {
        if self.learnt.is_empty() {
            return Ok(None);
        }
        let id = id_of(self.learnt.iter().map(|(fingerprint, _)| fingerprint));
        let (prints, keys): (Vec<&str>, Vec<&str>) = self
            .learnt
            .iter()
            .map(|(f, k)| (f.as_str(), k.as_str()))
            .unzip();
        let mut frame = DataFrame::new_infer_height(vec![
            Column::new("fingerprint".into(), prints),
            Column::new("key".into(), keys),
        ])
        .map_err(|e| e.to_string())?;
        let known = self.dir.join(format!("fingerprints-{id}.parquet"));
        write(&known, &mut frame).map(Some)
    }
}

/// The segment written with the summaries `files` (`files-<id>.parquet`): `segment-<id>.arrow`.
fn segment_beside(files: &Path) -> PathBuf {
    let name = file_name(files);
    let id = name
        .trim_start_matches("files-")
        .trim_end_matches(".parquet");
    files.with_file_name(format!("segment-{id}.arrow"))
}

/// A file id from the (sorted) names it holds.
fn id_of<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let mut hasher = blake3::Hasher::new();
    for name in names {
        hasher.update(name.as_bytes());
        hasher.update(&[0]);
    }
    hasher.finalize().to_hex()[..16].to_string()
}

fn read_fingerprints(path: &Path, into: &mut HashMap<String, String>) -> PolarsResult<()> {
    let frame = read(path)?;
    let (prints, keys) = (
        frame.column("fingerprint")?.str()?,
        frame.column("key")?.str()?,
    );
    for (print, key) in prints.iter().zip(keys.iter()) {
        if let (Some(print), Some(key)) = (print, key) {
            into.insert(print.to_string(), key.to_string());
        }
    }
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The key of a file: its name in the archive and the digest of its bytes. The name is part of it
/// because the aggregate depends on it (the month and force the file must hold): the same bytes
/// under another month's name are parsed, and refused, not taken from the cache.
pub fn key(name: &str, digest: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(name.as_bytes());
    h.update(&[0]);
    h.update(digest.as_bytes());
    h.finalize().to_hex().to_string()
}

/// Writes `df` as Parquet at `path` (through a temporary file); its name and digest for the index.
fn write(path: &Path, df: &mut DataFrame) -> Result<(String, String), String> {
    let tmp = path.with_extension("parquet.tmp");
    let file = std::fs::File::create(&tmp).map_err(|e| e.to_string())?;
    // LZ4, not the default zstd: these tables are small and written by every run that parses,
    // where zstd's match search cost more than the bytes it saved.
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Lz4Raw)
        .finish(df)
        .map_err(|e| e.to_string())?;
    commit(&tmp, path)
}

/// Moves the finished file `tmp` to `path`; its name and digest for the index.
pub(super) fn commit(tmp: &Path, path: &Path) -> Result<(String, String), String> {
    let bytes = std::fs::read(tmp).map_err(|e| e.to_string())?;
    let digest = blake3::hash(&bytes).to_hex().to_string();
    std::fs::rename(tmp, path).map_err(|e| e.to_string())?;
    Ok((file_name(path), digest))
}

/// Each cache file's own digest, by file name.
type Index = std::collections::BTreeMap<String, String>;

const INDEX: &str = "index.tsv";

fn read_index(dir: &Path) -> Index {
    let text = std::fs::read_to_string(dir.join(INDEX)).unwrap_or_default();
    let lines = text.lines().filter_map(|l| l.split_once('\t'));
    lines
        .map(|(name, digest)| (name.to_string(), digest.to_string()))
        .collect()
}

fn write_index(dir: &Path, index: &Index) -> Result<(), String> {
    let text: String = index.iter().map(|(n, d)| format!("{n}\t{d}\n")).collect();
    let tmp = dir.join(format!("{INDEX}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, dir.join(INDEX)).map_err(|e| e.to_string())
}

/// Whether a cache file's bytes are those its index recorded (only Parquet files are read).
fn verified(path: &Path, index: &Index) -> bool {
    let Some(recorded) = index.get(&file_name(path)) else {
        return false;
    };
    std::fs::read(path).is_ok_and(|bytes| blake3::hash(&bytes).to_hex().as_str() == recorded)
}

/// A file's older labels, as the summary table holds them (`|` between them).
fn legacy_labels(street: &StreetCounts) -> String {
    let labels: Vec<&str> = street.legacy.iter().map(|l| l.label).collect();
    labels.join("|")
}

fn files_frame(
    added: &[(String, Cached)],
    ids: &HashMap<String, u32>,
) -> Result<DataFrame, String> {
    static EMPTY: std::sync::LazyLock<StreetCounts> =
        std::sync::LazyLock::new(StreetCounts::default);
    fn street(c: &Cached) -> &StreetCounts {
        c.street.as_deref().unwrap_or(&EMPTY)
    }
    let u64s = |name: &str, f: &dyn Fn(&Cached) -> u64| {
        Column::new(
            name.into(),
            added.iter().map(|(_, c)| f(c)).collect::<Vec<u64>>(),
        )
    };
    let strs = |name: &str, f: &dyn Fn(&Cached) -> String| {
        Column::new(
            name.into(),
            added.iter().map(|(_, c)| f(c)).collect::<Vec<String>>(),
        )
    };
    let mut columns = vec![
        Column::new(
            "key".into(),
            added.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "detail".into(),
            added
                .iter()
                .map(|(k, _)| ids.get(k).copied())
                .collect::<Vec<_>>(),
        ),
        strs("digest", &|c| c.digest.clone()),
        u64s("rows_read", &|c| c.rows_read),
        u64s("is_street", &|c| u64::from(c.street.is_some())),
        strs("falls_within", &|c| street(c).falls_within.clone()),
        u64s("no_location", &|c| street(c).no_location),
        u64s("duplicate_ids", &|c| street(c).duplicate_ids),
        strs("legacy", &|c| legacy_labels(street(c))),
        u64s("has_outside", &|c| {
            u64::from(street(c).outside_area.is_some())
        }),
        u64s("outside_area", &|c| {
            street(c).outside_area.as_ref().map_or(0, |o| o.0)
        }),
        strs("outside_prefixes", &|c| {
            street(c)
                .outside_area
                .as_ref()
                .map_or(String::new(), |o| o.1.clone())
        }),
    ];
    for t in 0..14 {
        columns.push(u64s(&format!("t{t}"), &|c| street(c).by_type[t]));
    }
    DataFrame::new_infer_height(columns).map_err(|e| e.to_string())
}

fn read(path: &Path) -> PolarsResult<DataFrame> {
    ParquetReader::new(std::fs::File::open(path)?).finish()
}

/// Reads one pair (the summaries, and the LSOA detail when `segment` is given) into `entries`;
/// any error leaves `entries` as it was.
fn read_pair(
    files: &Path,
    segment: Option<(&Path, Option<&HashSet<String>>)>,
    entries: &mut HashMap<String, Cached>,
) -> PolarsResult<()> {
    let meta = read(files)?;
    let summary = Summary::of(&meta)?;
    let mut found: HashMap<String, (Cached, Option<StreetCounts>)> = (0..meta.height())
        .filter_map(|i| summary.entry(i))
        .collect();
    if let Some((segment, wanted)) = segment {
        let keys: HashMap<u32, &str> = (0..meta.height())
            .filter_map(|i| Some((summary.detail.get(i)?, summary.keys.get(i)?)))
            .filter(|(_, key)| wanted.is_none_or(|w| w.contains(*key)))
            .collect();
        if !keys.is_empty() {
            let rows = IpcReader::new(std::fs::File::open(segment)?).finish()?;
            add_detail(&rows, &keys, &mut found)?;
        }
    }
    for (key, (mut cached, street)) in found {
        cached.street = street.map(Arc::new);
        entries.insert(key, cached);
    }
    Ok(())
}

/// Whose LSOA detail a run needs from the cache.
pub enum Wanted {
    None,
    All,
    /// The files with these fingerprints (the others' summaries serve alone).
    Of(Vec<String>),
}

impl Wanted {
    /// The keys wanted, `None` for all.
    fn keys(&self, by_fingerprint: &HashMap<String, String>) -> Option<HashSet<String>> {
        match self {
            Wanted::Of(prints) => Some(
                prints
                    .iter()
                    .filter_map(|p| by_fingerprint.get(p).cloned())
                    .collect(),
            ),
            _ => None,
        }
    }
}

/// The summary table's columns, one file a row.
struct Summary<'a> {
    keys: &'a StringChunked,
    /// The file's number in the segment beside (for a file whose LSOA detail it holds).
    detail: &'a UInt32Chunked,
    digests: &'a StringChunked,
    falls: &'a StringChunked,
    legacy: &'a StringChunked,
    prefixes: &'a StringChunked,
    rows: &'a UInt64Chunked,
    is_street: &'a UInt64Chunked,
    no_loc: &'a UInt64Chunked,
    dups: &'a UInt64Chunked,
    has_outside: &'a UInt64Chunked,
    outside: &'a UInt64Chunked,
    totals: Vec<&'a UInt64Chunked>,
}

impl<'a> Summary<'a> {
    fn of(meta: &'a DataFrame) -> PolarsResult<Summary<'a>> {
        let text = |name: &str| meta.column(name).and_then(|c| c.str());
        let num = |name: &str| meta.column(name).and_then(|c| c.u64());
        Ok(Summary {
            keys: text("key")?,
            detail: meta.column("detail")?.u32()?,
            digests: text("digest")?,
            falls: text("falls_within")?,
            legacy: text("legacy")?,
            prefixes: text("outside_prefixes")?,
            rows: num("rows_read")?,
            is_street: num("is_street")?,
            no_loc: num("no_location")?,
            dups: num("duplicate_ids")?,
            has_outside: num("has_outside")?,
            outside: num("outside_area")?,
            totals: (0..14)
                .map(|t| num(&format!("t{t}")))
                .collect::<PolarsResult<_>>()?,
        })
    }

    /// Row `i`: its key, its aggregate and, for a street file, its counts (without LSOA detail).
    fn entry(&self, i: usize) -> Option<(String, (Cached, Option<StreetCounts>))> {
        let (key, digest) = (self.keys.get(i)?, self.digests.get(i)?);
        let cached = Cached {
            digest: digest.to_string(),
            rows_read: self.rows.get(i).unwrap_or(0),
            street: None,
        };
        let street = (self.is_street.get(i) == Some(1)).then(|| self.street(i));
        Some((key.to_string(), (cached, street)))
    }

    fn street(&self, i: usize) -> StreetCounts {
        let mut street = StreetCounts {
            falls_within: self.falls.get(i).unwrap_or("").to_string(),
            no_location: self.no_loc.get(i).unwrap_or(0),
            duplicate_ids: self.dups.get(i).unwrap_or(0),
            legacy: self
                .legacy
                .get(i)
                .unwrap_or("")
                .split('|')
                .filter_map(|l| LEGACY.iter().find(|x| x.label == l))
                .collect(),
            outside_area: (self.has_outside.get(i) == Some(1)).then(|| {
                (
                    self.outside.get(i).unwrap_or(0),
                    self.prefixes.get(i).unwrap_or("").to_string(),
                )
            }),
            ..StreetCounts::default()
        };
        for (t, col) in self.totals.iter().enumerate() {
            street.by_type[t] = col.get(i).unwrap_or(0);
        }
        street
    }
}

/// Adds a segment's LSOA tables to the files they belong to (`keys`: each file's key by its
/// number).
fn add_detail(
    segment: &DataFrame,
    keys: &HashMap<u32, &str>,
    found: &mut HashMap<String, (Cached, Option<StreetCounts>)>,
) -> PolarsResult<()> {
    let tables = super::segment::tables(segment, |file| keys.contains_key(&file))?;
    for key in keys.values() {
        if let Some((_, Some(street))) = found.get_mut(*key) {
            street.has_lsoa_detail = true;
        }
    }
    for (file, table) in tables {
        let street = keys.get(&file).and_then(|k| found.get_mut(*k));
        if let Some((_, Some(street))) = street {
            street.by_lsoa = table;
        }
    }
    Ok(())
}
