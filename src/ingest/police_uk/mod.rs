//! data.police.uk bulk archives: a folder tree or zip of monthly street, outcomes and
//! stop-and-search files for one or more forces.
//!
//! Street rows become monthly counts by force, LSOA and crime type; anti-social behaviour stays a
//! category of its own and is never added into crime totals. Every file gets provenance (digest,
//! rows read, counted, rejected) and the archive gets data-quality findings: missing force-months,
//! partial financial years, rows without a location or outside the force's area, duplicate Crime
//! IDs, and series that cross the May 2013 category change.

pub mod archive;
pub mod cache;
pub mod export;
pub mod file;
pub mod quality;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::harmonise::Month;
use crate::harmonise::Period;
use crate::harmonise::police_uk::CRIME_TYPES;
use crate::ingest::Source;
pub use crate::model::police_uk::{LsoaCount, LsoaRecord};
use crate::model::{Category, Dataset, InputFile, Observation, Unit, Value};
use archive::{Archive, Entry};
use file::{BadRows, Kind, Name, Parsed};

/// Which part of an archive to read, and how strictly.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Force slugs to read (all when empty).
    pub forces: Vec<String>,
    /// First and last month to read (inclusive).
    pub from: Option<Month>,
    pub to: Option<Month>,
    pub bad_rows: BadRows,
    /// Local-authority name prefixes of LSOAs inside each force's area, by force slug.
    pub force_areas: BTreeMap<String, Vec<String>>,
    /// Show a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
    /// The incremental cache's folder; `None` reads every file afresh.
    pub cache_dir: Option<std::path::PathBuf>,
    /// Keep counts by LSOA (for `counts --by lsoa` and the Parquet export); otherwise only the
    /// per-file totals and quality figures are kept, which is what comparisons need.
    pub lsoa_detail: bool,
    /// Read and hash every file instead of taking files the cache knows by their fingerprint.
    pub rehash: bool,
}

/// A file that was read: its name, provenance and what it held.
struct ReadFile {
    entry: Entry,
    name: Name,
    digest: String,
    parsed: Parsed,
}

/// Reads the archive at `source.path` into `data`.
pub fn load_into(data: &mut Dataset, source: &Source, selection: &Selection) -> Result<()> {
    let archive = Archive::open(&source.path)?;
    let chosen = choose(&archive, selection, &source.display)?;
    let mut cache = selection
        .cache_dir
        .as_deref()
        .map(|dir| cache::Cache::open(dir, selection.lsoa_detail));
    let (files, tally) = read_all(&archive, chosen, &source.display, selection, cache.as_ref())?;
    if let Some(cache) = cache.as_mut() {
        data.findings
            .push(tally.note(&source.display, &archive, files.len()));
        for (key, cached) in tally.fresh {
            cache.add(key, cached);
        }
        for (fingerprint, key) in tally.learnt {
            cache.learn(fingerprint, key);
        }
    }
    if let Some(Err(e)) = cache.map(cache::Cache::save) {
        let message = format!(
            "{}: the cache could not be written ({e}); the next run parses every file again",
            source.display
        );
        data.findings.push(crate::model::Finding {
            severity: crate::model::Severity::Note,
            code: "cache",
            message,
        });
    }
    let first_input = data.inputs.len();
    for f in &files {
        data.inputs.push(provenance(f, source));
    }
    let streets: Vec<(&ReadFile, usize)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name.kind == Kind::Street)
        .map(|(i, f)| (f, first_input + i))
        .collect();
    for (f, input) in &streets {
        add_street(data, f, *input, selection);
    }
    let found = quality::findings(data, &streets_view(&streets));
    data.findings.extend(found);
    Ok(())
}

/// The entries to read, named and checked: selected forces and months, no force-month twice.
fn choose(archive: &Archive, selection: &Selection, display: &str) -> Result<Vec<(Entry, Name)>> {
    let mut chosen: Vec<(Entry, Name)> = Vec::new();
    let mut seen: BTreeMap<(String, Month, Kind), String> = BTreeMap::new();
    let this_month = current_month();
    for entry in archive.entries()? {
        let name = file::parse_name(&entry.name).map_err(|e| within(display, e))?;
        if !selected(&name, selection) {
            continue;
        }
        if name.month > this_month {
            return Err(Error::Usage(format!(
                "{display}: {} is for {}, which has not happened yet; check the file's name",
                entry.name, name.month
            )));
        }
        let key = (name.force.clone(), name.month, name.kind);
        if let Some(first) = seen.insert(key, entry.name.clone()) {
            return Err(Error::Usage(format!(
                "{display}: {} {} for {} is supplied twice ({first} and {}); keep one release of each force-month",
                name.force,
                name.kind.label(),
                name.month,
                entry.name
            )));
        }
        chosen.push((entry, name));
    }
    if chosen.is_empty() {
        return Err(Error::Usage(format!(
            "{display}: no data.police.uk files for the chosen forces and months"
        )));
    }
    Ok(chosen)
}

fn within(display: &str, e: Error) -> Error {
    match e {
        Error::Header { at, message } => Error::Header {
            at: crate::error::Location {
                file: format!("{display}: {}", at.file),
                line: at.line,
                in_sheet: false,
            },

            message,
        },
        other => other,
    }
}

fn selected(name: &Name, s: &Selection) -> bool {
    (s.forces.is_empty() || s.forces.iter().any(|f| f.eq_ignore_ascii_case(&name.force)))
        && s.from.is_none_or(|m| name.month >= m)
        && s.to.is_none_or(|m| name.month <= m)
}

/// This month, by the machine's clock: files for later months are refused.
fn current_month() -> Month {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    Month::new(today.year(), today.month() as u8).expect("the clock gives a valid month")
}

/// How the files of one archive were read, and what the cache should learn from it.
#[derive(Default)]
struct Tally {
    /// Files parsed this run.
    parsed: usize,
    /// Files taken from the cache by their fingerprint, without being read.
    by_sight: usize,
    /// Clean aggregates parsed this run, with their keys.
    fresh: Vec<Keyed>,
    /// Fingerprints the cache did not know, with their files' keys.
    learnt: Vec<(String, String)>,
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
    fn note(&self, display: &str, archive: &Archive, files: usize) -> crate::model::Finding {
        let how = match (self.by_sight, archive) {
            (0, _) => String::new(),
            (n, Archive::Zip(_)) => {
                format!(", {n} of them by the zip's checksum without decompressing")
            }
            (n, Archive::Folder(_)) => format!(
                ", {n} of them by their unchanged size, times and inode without reading them"
            ),
        };
        crate::model::Finding {
            severity: crate::model::Severity::Note,
            code: "cache",
            message: format!(
                "{display}: {} of {files} files taken from the cache (same name and bytes{how}), {} parsed",
                files - self.parsed,
                self.parsed
            ),
        }
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
fn read_all(
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
                    None => {
                        archive.read_into(&entry, zip, buffer)?;
                        read_one(buffer, entry, name, display, s, cache)
                    }
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
    let learnt = match (cache, &entry.fingerprint, &key) {
        (Some(cache), Some(print), Some(key)) if !cache.knows(print) => {
            Some((print.clone(), key.clone()))
        }
        _ => None,
    };
    let hit = key
        .as_deref()
        .and_then(|k| cache?.get(k))
        .filter(|hit| usable(hit, area, s.lsoa_detail));
    if let Some(hit) = hit {
        let file = from_cache(hit, entry, name);
        return Ok(Read {
            file,
            how: How::Hashed,
            learnt,
        });
    }
    let shown = format!("{display}/{}", entry.name);
    let parsed = file::parse(bytes, &name, &shown, s.bad_rows, area)?;
    let clean = parsed.rejected.is_empty();
    let fresh = key.filter(|_| clean).map(|k| {
        let cached = cache::Cached {
            digest: digest.clone(),
            rows_read: parsed.rows_read,
            street: parsed.street.clone(),
        };
        (k, cached)
    });
    Ok(Read {
        file: ReadFile {
            digest,
            entry,
            name,
            parsed,
        },
        how: How::Parsed(fresh),
        learnt: learnt.filter(|_| clean),
    })
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
    usable(hit, s.force_areas.get(&name.force), s.lsoa_detail)
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
        },
    }
}

/// A cached aggregate serves this run if it was counted against the same force area and holds
/// the LSOA detail when the run needs it.
fn usable(hit: &cache::Cached, area: Option<&Vec<String>>, lsoa_detail: bool) -> bool {
    let Some(street) = &hit.street else {
        return true;
    };
    let same_area =
        street.outside_area.as_ref().map(|(_, p)| p.clone()) == area.map(|a| a.join("|"));
    same_area && (street.has_lsoa_detail || !lsoa_detail)
}

/// The progress bar of a long ingest, on stderr: files done of all, rows done and their rate.
/// Hidden when stderr is not a terminal or with `--quiet`.
struct Progress {
    bar: indicatif::ProgressBar,
    rows: std::sync::atomic::AtomicU64,
}

impl Progress {
    fn new(files: u64, wanted: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = if wanted && std::io::stderr().is_terminal() {
            let style = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files  {msg}  {elapsed}",
            )
            .expect("the progress template is valid");
            indicatif::ProgressBar::new(files).with_style(style)
        } else {
            indicatif::ProgressBar::hidden()
        };
        Progress {
            bar,
            rows: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// One more file done, with its rows.
    fn file_done(&self, rows: u64) {
        use std::sync::atomic::Ordering;
        let total = self.rows.fetch_add(rows, Ordering::Relaxed) + rows;
        if !self.bar.is_hidden() {
            let secs = self.bar.elapsed().as_secs_f64();
            self.bar.set_message(rows_message(total, secs));
        }
        self.bar.inc(1);
    }
}

/// `1,234,567 rows, 617,283 rows/s`.
fn rows_message(rows: u64, secs: f64) -> String {
    let rate = (rows as f64 / secs.max(1e-3)).round() as u64;
    format!(
        "{} rows, {} rows/s",
        indicatif::HumanCount(rows),
        indicatif::HumanCount(rate)
    )
}

fn provenance(f: &ReadFile, source: &Source) -> InputFile {
    let rejected = f.parsed.rejected.len() as u64;
    InputFile {
        source: source.name.clone(),
        kind: format!("police-uk {}", f.name.kind.label()),
        path: format!("{}/{}", source.display, f.entry.name),
        digest: f.digest.clone(),
        publisher: source
            .publisher
            .clone()
            .or_else(|| Some("data.police.uk (Open Government Licence v3.0)".into())),
        rows_read: f.parsed.rows_read,
        rows_counted: f.parsed.rows_read - rejected,
        rows_rejected: rejected,
        withheld: false,
        periods: vec![Period::Month(f.name.month)],
        rejections: f.parsed.rejected.clone(),
    }
}

/// The force's name as its rows give it (`Falls within`), or its slug for an empty file.
fn area_of(f: &ReadFile) -> String {
    match f.parsed.street.as_ref().map(|s| s.falls_within.as_str()) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => f.name.force.clone(),
    }
}

/// Adds one street file's monthly counts (every crime type, zeros included) and LSOA counts. The
/// force answers to its slug too, and, when its area is one local authority (the City of London
/// Police's is the City), to that authority's name, so a CSP's name finds its force's data.
fn add_street(data: &mut Dataset, f: &ReadFile, input: usize, selection: &Selection) {
    let Some(counts) = &f.parsed.street else {
        return;
    };
    let area = area_of(f);
    data.aliases.insert(f.name.force.clone(), area.clone());
    if let Some([authority]) = selection.force_areas.get(&f.name.force).map(Vec::as_slice) {
        data.aliases.insert(authority.clone(), area.clone());
    }
    data.coverage
        .entry(area.clone())
        .or_default()
        .insert(f.name.month);
    for (i, category) in CRIME_TYPES.iter().enumerate() {
        data.observations.push(Observation {
            input,
            line: 0,
            area: area.clone(),
            category: Category::from(*category),
            period: Period::Month(f.name.month),
            value: Value::Count(counts.by_type[i] as i64),
            unit: Unit::Count,
        });
    }
    if !selection.lsoa_detail {
        return;
    }
    let area: std::sync::Arc<str> = area.into();
    let mut records: Vec<LsoaRecord> = counts
        .by_lsoa
        .iter()
        .map(|(code, (name, by_type))| LsoaRecord {
            month: f.name.month,
            area: area.clone(),
            lsoa_code: code.clone(),
            lsoa_name: name.clone(),
            counts: *by_type,
        })
        .collect();
    records.sort_by(|a, b| a.lsoa_code.cmp(&b.lsoa_code));
    data.lsoa.extend(records);
}

fn streets_view<'a>(streets: &'a [(&'a ReadFile, usize)]) -> Vec<quality::FileView<'a>> {
    streets
        .iter()
        .filter_map(|(f, _)| {
            f.parsed.street.as_ref().map(|s| quality::FileView {
                force: &f.name.force,
                area: area_of(f),
                month: f.name.month,
                rows: f.parsed.rows_read - f.parsed.rejected.len() as u64,
                rejected: f.parsed.rejected.len() as u64,
                counts: s,
                entry: &f.entry.name,
            })
        })
        .collect()
}

/// Months each area has data for, from every monthly source.
pub fn months_of(data: &Dataset, area: &str) -> BTreeSet<Month> {
    data.coverage.get(area).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_says_rows_and_their_rate() {
        assert_eq!(
            rows_message(1_234_567, 2.0),
            "1,234,567 rows, 617,284 rows/s"
        );
        assert_eq!(rows_message(0, 0.0), "0 rows, 0 rows/s");
    }
}
