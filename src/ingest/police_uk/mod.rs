//! data.police.uk bulk archives: a folder tree or zip of monthly street, outcomes and
//! stop-and-search files for one or more forces.
//!
//! Street rows become monthly counts by force, LSOA and crime type; anti-social behaviour stays a
//! category of its own and is never added into crime totals. Every file gets provenance (sha256,
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
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::config::Source;
use crate::error::{Error, Result};
use crate::harmonise::Month;
use crate::harmonise::Period;
use crate::harmonise::police_uk::CRIME_TYPES;
use crate::ingest::read::hex;
use crate::model::{Dataset, InputFile, Observation, Unit, Value};
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
}

/// One street file's counts by LSOA, kept for `counts --by lsoa`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LsoaCount {
    pub month: Month,
    pub area: String,
    pub lsoa_code: String,
    pub lsoa_name: String,
    pub category: String,
    pub count: u64,
}

/// One street file's counts for one LSOA, compact: expanded into [`LsoaCount`]s only when asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LsoaRecord {
    pub month: Month,
    pub area: std::sync::Arc<str>,
    pub lsoa_code: Box<str>,
    pub lsoa_name: Box<str>,
    /// Count per crime type (index into [`CRIME_TYPES`]).
    pub counts: [u32; 14],
}

/// A file that was read: its name, provenance and what it held.
struct ReadFile {
    entry: Entry,
    name: Name,
    sha256: String,
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
    let (files, fresh, unzipped) =
        read_all(&archive, chosen, &source.display, selection, cache.as_ref())?;
    if let Some(cache) = cache.as_mut() {
        data.findings.push(cache_note(
            &source.display,
            files.len(),
            fresh.len(),
            unzipped,
        ));
        for (key, cached) in fresh {
            cache.add(key, cached);
        }
    }
    if let Some(Err(e)) = cache.map(cache::Cache::save) {
        let message = format!(
            "{}: the cache could not be written ({e}); the next run parses every file again",
            source.display
        );
        data.findings.push(crate::findings::Finding {
            severity: crate::findings::Severity::Note,
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
        add_street(data, f, *input, selection.lsoa_detail);
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

/// `by_checksum` of the cached files were known by the zip's own checksum, not decompressed.
fn cache_note(
    display: &str,
    files: usize,
    parsed: usize,
    by_checksum: usize,
) -> crate::findings::Finding {
    let how = if by_checksum > 0 {
        format!(", {by_checksum} of them by the zip's checksum without decompressing")
    } else {
        String::new()
    };
    crate::findings::Finding {
        severity: crate::findings::Severity::Note,
        code: "cache",
        message: format!(
            "{display}: {} of {files} files taken from the cache (same name and bytes{how}), {parsed} parsed",
            files - parsed
        ),
    }
}

/// A file's aggregate with its cache key.
type Keyed = (String, cache::Cached);

/// A file's aggregate for the cache, when it is clean (no rejected rows).
type Fresh = Option<Keyed>;

/// Reads every chosen file in parallel, keeping archive order: from the cache when its bytes are
/// known (for a zip entry, by the zip's own checksum), parsed otherwise. Also returns the newly
/// parsed clean aggregates, and how many zip entries the cache knew without decompressing them.
fn read_all(
    archive: &Archive,
    chosen: Vec<(Entry, Name)>,
    display: &str,
    s: &Selection,
    cache: Option<&cache::Cache>,
) -> Result<(Vec<ReadFile>, Vec<Keyed>, usize)> {
    let bar = progress_bar(chosen.len() as u64, s.progress);
    let unzipped = std::sync::atomic::AtomicUsize::new(0);
    let results: Result<Vec<(ReadFile, Fresh)>> = chosen
        .into_par_iter()
        .map_init(
            || archive.zip_reader(),
            |zip, (entry, name)| {
                let zip = zip.as_mut().map_err(|e| Error::Usage(e.to_string()))?;
                if let Some(hit) = checksum_hit(&entry, &name, s, cache) {
                    unzipped.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    bar.inc(1);
                    return Ok((hit, None));
                }
                let bytes = archive.read(&entry, zip)?;
                let read = read_one(bytes, entry, name, display, s, cache);
                bar.inc(1);
                read
            },
        )
        .collect();
    bar.finish_and_clear();
    let (files, fresh): (Vec<ReadFile>, Vec<Fresh>) = results?.into_iter().unzip();
    Ok((
        files,
        fresh.into_iter().flatten().collect(),
        unzipped.into_inner(),
    ))
}

/// One file: from the cache when its bytes are known, parsed (and hashed for provenance) otherwise.
fn read_one(
    bytes: Vec<u8>,
    entry: Entry,
    name: Name,
    display: &str,
    s: &Selection,
    cache: Option<&cache::Cache>,
) -> Result<(ReadFile, Fresh)> {
    let area = s.force_areas.get(&name.force);
    let key = cache.map(|_| cache::key(&entry.name, &bytes));
    let hit = key
        .as_deref()
        .and_then(|k| cache?.get(k))
        .filter(|hit| usable(hit, area, s.lsoa_detail));
    if let Some(hit) = hit {
        return Ok((from_cache(hit, entry, name), None));
    }
    let shown = format!("{display}/{}", entry.name);
    let parsed = file::parse(&bytes, &name, &shown, s.bad_rows, area)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let fresh = key.filter(|_| parsed.rejected.is_empty()).map(|k| {
        let cached = cache::Cached {
            sha256: sha256.clone(),
            zip_checksum: entry.checksum.clone(),
            rows_read: parsed.rows_read,
            street: parsed.street.clone(),
        };
        (k, cached)
    });
    Ok((
        ReadFile {
            sha256,
            entry,
            name,
            parsed,
        },
        fresh,
    ))
}

/// A zip entry the cache knows by the zip's own checksum: no need to decompress it.
fn checksum_hit(
    entry: &Entry,
    name: &Name,
    s: &Selection,
    cache: Option<&cache::Cache>,
) -> Option<ReadFile> {
    let hit = cache?.get_by_checksum(entry.checksum.as_deref()?)?;
    usable(hit, s.force_areas.get(&name.force), s.lsoa_detail)
        .then(|| from_cache(hit, entry.clone(), name.clone()))
}

/// A file as its cached aggregate gives it.
fn from_cache(hit: &cache::Cached, entry: Entry, name: Name) -> ReadFile {
    ReadFile {
        sha256: hit.sha256.clone(),
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

fn progress_bar(files: u64, wanted: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let style =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  {elapsed}")
            .expect("the progress template is valid");
    indicatif::ProgressBar::new(files).with_style(style)
}

fn provenance(f: &ReadFile, source: &Source) -> InputFile {
    let rejected = f.parsed.rejected.len() as u64;
    InputFile {
        source: source.name.clone(),
        kind: format!("police-uk {}", f.name.kind.label()),
        path: format!("{}/{}", source.display, f.entry.name),
        sha256: f.sha256.clone(),
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

/// Adds one street file's monthly counts (every crime type, zeros included) and LSOA counts.
fn add_street(data: &mut Dataset, f: &ReadFile, input: usize, lsoa_detail: bool) {
    let Some(counts) = &f.parsed.street else {
        return;
    };
    let area = area_of(f);
    data.aliases.insert(f.name.force.clone(), area.clone());
    data.coverage
        .entry(area.clone())
        .or_default()
        .insert(f.name.month);
    for (i, category) in CRIME_TYPES.iter().enumerate() {
        data.observations.push(Observation {
            input,
            line: 0,
            area: area.clone(),
            category: category.to_string(),
            period: Period::Month(f.name.month),
            value: Value::Count(counts.by_type[i] as i64),
            unit: Unit::Count,
        });
    }
    if !lsoa_detail {
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
