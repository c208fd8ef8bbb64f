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
pub mod justice;
pub mod lookup;
mod lsoa_run;
pub mod progress;
pub mod quality;
mod reading;
mod rows;
mod segment;
mod selection;
mod stream;

use std::collections::BTreeMap;

use crate::error::Result;
use crate::harmonise::Period;
use crate::harmonise::police_uk::CRIME_TYPES;
use crate::ingest::Source;
pub use crate::model::police_uk::{LsoaCount, LsoaRecord};
use crate::model::{Category, Dataset, DigestBasis, InputFile, Observation, Unit, Value};
use std::sync::Arc;

use archive::{Archive, Entry};
use file::{Kind, Name, Parsed};
use reading::read_all;
pub use selection::Selection;
use selection::choose;

/// A file that was read: its name, provenance and what it held.
struct ReadFile {
    entry: Entry,
    name: Name,
    digest: String,
    parsed: Parsed,
}

/// The selection with the forces whose files keep their points, when points are wanted for an area.
fn for_points(selection: &Selection, chosen: &[(Entry, Name)]) -> Option<Selection> {
    let area = selection
        .point_area
        .as_ref()
        .filter(|_| selection.point_detail || selection.justice_detail)?;
    let slugs: Vec<&str> = chosen.iter().map(|(_, n)| n.force.as_str()).collect();
    Some(selection::for_area(selection, area, &slugs))
}

/// Whose LSOA detail the run needs from the cache: the files that keep it, known by their
/// fingerprints; every file's with `--rehash` or a file with none (known only once hashed).
fn wanted(s: &Selection, chosen: &[(Entry, Name)]) -> cache::Wanted {
    if !s.lsoa_detail {
        return cache::Wanted::None;
    }
    let prints: Option<Vec<String>> = chosen
        .iter()
        .filter(|(_, name)| selection::keeps_lsoas(s, name))
        .map(|(entry, _)| entry.fingerprint.clone())
        .collect();
    match prints {
        Some(prints) if !s.rehash => cache::Wanted::Of(prints),
        _ => cache::Wanted::All,
    }
}

/// Reads the archive at `source.path` into `data`.
pub fn load_into(data: &mut Dataset, source: &Source, selection: &Selection) -> Result<()> {
    let archive = Archive::open(&source.path)?;
    let chosen = choose(&archive, selection, &source.display)?;
    let narrowed = for_points(selection, &chosen);
    let selection = narrowed.as_ref().unwrap_or(selection);
    let cache = selection
        .cache_dir
        .as_deref()
        .map(|dir| cache::Cache::open(dir, &wanted(selection, &chosen)));
    let (mut files, tally) =
        read_all(&archive, chosen, &source.display, selection, cache.as_ref())?;
    if cache.is_some() {
        let note = tally.note(&source.display, &archive, files.len());
        progress::say(selection.progress, &note);
    }
    save_cache(cache, tally, source, selection);
    let first_input = data.inputs.len();
    let basis = digest_basis(&archive, selection.rehash);
    for f in &files {
        data.inputs.push(provenance(f, source, basis));
    }
    let names = force_names(&files);
    let streets: Vec<(&ReadFile, usize)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name.kind == Kind::Street)
        .map(|(i, f)| (f, first_input + i))
        .collect();
    // An archive read for the outcome join only counts nothing: another source counts its crimes.
    if !selection.justice_only {
        for (f, input) in &streets {
            add_street(data, f, (*input, &names), selection);
        }
        let found = quality::findings(data, &streets_view(&streets, &names));
        data.findings.extend(found);
    }
    let kinds: Vec<quality::KindMonth> = files
        .iter()
        .map(|f| (f.name.force.as_str(), f.name.kind, f.name.month))
        .collect();
    let mut known = names.clone();
    known.extend(data.aliases.clone());
    data.findings.extend(quality::other_kinds(&kinds, &known));
    if selection.justice_detail {
        add_justice(data, &mut files, first_input, &names);
        let found = quality::outcome_findings(&data.justice, &known);
        data.findings.extend(found);
    }
    if let Some(l) = &selection.lookup {
        lookup::load_into(data, l, source)?;
    }
    Ok(())
}

/// Adds the files parsed to the cache and writes it (a failure is said, not fatal: the next run
/// parses again).
fn save_cache(
    cache: Option<cache::Cache>,
    tally: reading::Tally,
    source: &Source,
    selection: &Selection,
) {
    let Some(mut cache) = cache else { return };
    for (key, cached) in tally.fresh {
        cache.add(key, cached);
    }
    for (fingerprint, key) in tally.learnt {
        cache.learn(fingerprint, key);
    }
    if let Err(e) = cache.save() {
        let message = format!(
            "{}: the cache could not be written ({e}); the next run parses every file again",
            source.display
        );
        progress::say(selection.progress, &message);
    }
}

/// How this run knows its month-files' digests: by the zip's or the file system's record unless
/// `--rehash` (the cache is left out, so that artefacts do not depend on it).
fn digest_basis(archive: &Archive, rehash: bool) -> DigestBasis {
    match archive {
        _ if rehash => DigestBasis::Computed,
        Archive::Zip(_) => DigestBasis::ZipRecord,
        Archive::Folder(_) => DigestBasis::FileRecord,
    }
}

fn provenance(f: &ReadFile, source: &Source, digest_basis: DigestBasis) -> InputFile {
    let rejected = f.parsed.rejected.len() as u64;
    InputFile {
        source: source.name.clone(),
        kind: format!("police-uk {}", f.name.kind.label()),
        path: format!("{}/{}", source.display, f.entry.name),
        digest: f.digest.clone(),
        digest_basis,
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

/// Each force's name as its rows give it (`Falls within`), by slug.
fn force_names(files: &[ReadFile]) -> BTreeMap<String, String> {
    let named = files.iter().filter_map(|f| {
        let name = f.parsed.street.as_ref().map(|s| s.falls_within.as_str())?;
        (!name.is_empty()).then(|| (f.name.force.clone(), name.to_string()))
    });
    named.collect()
}

/// The force's name as its rows give it; for a file with no rows, as the force's other files give
/// it (a month without crimes is no new area), else its slug.
fn area_of(f: &ReadFile, names: &BTreeMap<String, String>) -> String {
    match f.parsed.street.as_ref().map(|s| s.falls_within.as_str()) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => names
            .get(&f.name.force)
            .cloned()
            .unwrap_or_else(|| f.name.force.clone()),
    }
}

/// The 14 crime types as categories, built once (cloned into every file's observations).
static TYPES: std::sync::LazyLock<Vec<Category>> =
    std::sync::LazyLock::new(|| CRIME_TYPES.map(Category::from).to_vec());

/// Adds one street file's monthly counts (every crime type, zeros included) and LSOA counts. The
/// force answers to its slug too, and, when its area is one local authority (the City of London
/// Police's is the City), to that authority's name, so a CSP's name finds its force's data.
fn add_street(
    data: &mut Dataset,
    f: &ReadFile,
    (input, names): (usize, &BTreeMap<String, String>),
    selection: &Selection,
) {
    let Some(counts) = &f.parsed.street else {
        return;
    };
    let area = area_of(f, names);
    data.aliases.insert(f.name.force.clone(), area.clone());
    if let Some([authority]) = selection.force_areas.get(&f.name.force).map(Vec::as_slice) {
        data.aliases.insert(authority.clone(), area.clone());
    }
    data.coverage
        .entry(area.clone())
        .or_default()
        .insert(f.name.month);
    for (i, category) in TYPES.iter().enumerate() {
        data.observations.push(Observation {
            input,
            line: 0,
            area: area.clone(),
            category: category.clone(),
            period: Period::Month(f.name.month),
            value: Value::Count(counts.by_type[i] as i64),
            unit: Unit::Count,
        });
    }
    if !selection::keeps_lsoas(selection, &f.name) {
        return;
    }
    let area: std::sync::Arc<str> = area.into();
    let mut records: Vec<LsoaRecord> = counts
        .by_lsoa
        .iter()
        .map(|(code, (name, by_type))| LsoaRecord {
            input,
            month: f.name.month,
            area: area.clone(),
            lsoa_code: code.clone(),
            lsoa_name: name.clone(),
            counts: *by_type,
        })
        .collect();
    records.sort_by(|a, b| a.lsoa_code.cmp(&b.lsoa_code));
    data.lsoa.extend(records);
    add_points(data, counts, input, f.name.month, &area);
}

/// The file's anonymised points, in coordinate order; coordinates that are not numbers are kept
/// as NaN, so they count as outside every boundary rather than vanish.
fn add_points(
    data: &mut Dataset,
    counts: &file::StreetCounts,
    input: usize,
    month: crate::model::Month,
    area: &std::sync::Arc<str>,
) {
    let mut points: Vec<crate::model::place::PointRecord> = counts
        .by_point
        .iter()
        .map(|(key, cell)| {
            let key = String::from_utf8_lossy(key);
            let (lon, lat) = key.split_once(',').unwrap_or((&key, ""));
            let number = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
            crate::model::place::PointRecord {
                input,
                month,
                area: area.clone(),
                longitude: number(lon),
                latitude: number(lat),
                location: cell.location.clone(),
                lsoa_code: cell.lsoa_code.clone(),
                counts: cell.counts,
            }
        })
        .collect();
    points.sort_by(|a, b| {
        a.longitude
            .total_cmp(&b.longitude)
            .then(a.latitude.total_cmp(&b.latitude))
            .then_with(|| a.location.cmp(&b.location))
    });
    data.points.extend(points);
}

/// Every street file's recorded crimes by Crime ID and every outcome and stop-and-search file's
/// rows, for `justice`, moved out of the parsed files (on a national archive they are the bulk of
/// the memory).
fn add_justice(
    data: &mut Dataset,
    files: &mut [ReadFile],
    first_input: usize,
    names: &BTreeMap<String, String>,
) {
    use crate::model::justice::{CrimeMonth, OutcomeMonth, SearchMonth};
    for (i, f) in files.iter_mut().enumerate() {
        let (input, force, month) = (first_input + i, f.name.force.clone(), f.name.month);
        let area: Arc<str> = area_of(f, names).into();
        if let Some(street) = &mut f.parsed.street {
            let crimes = take(street, |s| &mut s.crimes);
            let c = CrimeMonth {
                input,
                area,
                force,
                month,
                crimes,
            };
            data.justice.crimes.push(c);
        } else if let Some(s) = &mut f.parsed.searches {
            let searches = take(s, |s| s);
            let s = SearchMonth {
                input,
                area,
                force,
                month,
                searches,
            };
            data.justice.searches.push(s);
        } else if let Some(o) = &mut f.parsed.outcomes {
            let duplicates = o.duplicates;
            let outcomes = take(o, |o| &mut o.outcomes);
            let o = OutcomeMonth {
                input,
                force,
                month,
                outcomes,
                duplicates,
            };
            data.justice.outcomes.push(o);
        }
    }
}

/// A field of a parsed file, moved out when nothing else holds the file (a cache entry would),
/// else copied.
fn take<T: Clone, V: Default>(arc: &mut Arc<T>, field: fn(&mut T) -> &mut V) -> V {
    match Arc::get_mut(arc) {
        Some(inner) => std::mem::take(field(inner)),
        None => std::mem::take(field(&mut (**arc).clone())),
    }
}

fn streets_view<'a>(
    streets: &'a [(&'a ReadFile, usize)],
    names: &BTreeMap<String, String>,
) -> Vec<quality::FileView<'a>> {
    streets
        .iter()
        .filter_map(|(f, _)| {
            f.parsed.street.as_ref().map(|s| quality::FileView {
                force: &f.name.force,
                area: area_of(f, names),
                month: f.name.month,
                rows: f.parsed.rows_read - f.parsed.rejected.len() as u64,
                rejected: f.parsed.rejected.len() as u64,
                counts: s,
                entry: &f.entry.name,
            })
        })
        .collect()
}
