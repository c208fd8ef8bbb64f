//! Which part of an archive to read: the forces and months asked for, each force-month once,
//! none from the future.

use std::collections::BTreeMap;

use super::archive::{Archive, Entry};
use super::file::{self, BadRows, Kind, Name};
use crate::error::{Error, Result};
use crate::harmonise::Month;

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
    /// Keep counts by anonymised street point (for `place`): the cache keeps no points, so every
    /// street file is parsed.
    pub point_detail: bool,
    /// Read and hash every file instead of taking files the cache knows by their fingerprint.
    pub rehash: bool,
    /// LSOA codes to the areas of another geography, for `--area` naming one of them.
    pub lookup: Option<super::lookup::Lookup>,
}

/// The entries to read, named and checked: selected forces and months, no force-month twice.
pub(super) fn choose(
    archive: &Archive,
    selection: &Selection,
    display: &str,
) -> Result<Vec<(Entry, Name)>> {
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
