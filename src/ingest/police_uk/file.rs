//! One month-file of the archive: its name (month, force, kind), its header (which kind it really
//! is) and, for street files, its rows aggregated straight into counts by LSOA and crime type.
//!
//! Rows are counted as published: duplicate Crime IDs are counted and reported, rows without a
//! location are counted and reported. A row that cannot be counted (wrong month, unknown crime type,
//! ragged) fails the file, or with `BadRows::Reject` is rejected with its line and reason.

use std::collections::{HashMap, HashSet};

use crate::error::{Error, Location, Result};
use crate::harmonise::Month;
use crate::harmonise::police_uk::{self, CRIME_TYPES, Legacy};

/// What a month-file holds, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Street,
    Outcomes,
    StopAndSearch,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Street => "street",
            Kind::Outcomes => "outcomes",
            Kind::StopAndSearch => "stop-and-search",
        }
    }

    /// The kind a header belongs to, by its distinctive columns.
    pub fn of_header(columns: &[&str]) -> Option<Kind> {
        let has = |c: &str| columns.iter().any(|h| h.trim().eq_ignore_ascii_case(c));
        if has("Object of search") {
            Some(Kind::StopAndSearch)
        } else if has("Outcome type") {
            Some(Kind::Outcomes)
        } else if has("Crime type") && has("Month") {
            Some(Kind::Street)
        } else {
            None
        }
    }
}

/// What a file's name says: `YYYY-MM/YYYY-MM-<force>-<kind>.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub month: Month,
    pub force: String,
    pub kind: Kind,
}

/// What to do with a row that cannot be counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BadRows {
    /// Stop with an error naming the file and line (the default).
    #[default]
    Fail,
    /// Reject the row into the reconciliation ledger with its reason, and go on.
    Reject,
}

pub fn parse_name(entry: &str) -> Result<Name> {
    let bad = |why: String| Error::Header {
        at: Location::file(entry),
        message: format!(
            "{why}; data.police.uk files are named YYYY-MM/YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv"
        ),
    };
    let (folder, file) = entry.rsplit_once('/').unwrap_or(("", entry));
    let stem = file.strip_suffix(".csv").unwrap_or(file);
    let (rest, kind) = [
        ("-street", Kind::Street),
        ("-outcomes", Kind::Outcomes),
        ("-stop-and-search", Kind::StopAndSearch),
    ]
    .iter()
    .find_map(|(suffix, kind)| stem.strip_suffix(suffix).map(|r| (r, *kind)))
    .ok_or_else(|| bad("the name does not end in -street, -outcomes or -stop-and-search".into()))?;
    let (month, force) = (rest.get(..7).unwrap_or(""), rest.get(8..).unwrap_or(""));
    let month: Month = month
        .parse()
        .map_err(|_| bad("the name does not start with the month".into()))?;
    if force.is_empty() {
        return Err(bad("the name has no force".into()));
    }
    let folder_month = folder.rsplit('/').next().unwrap_or("");
    if !folder_month.is_empty() && folder_month != month.to_string() {
        return Err(bad(format!(
            "the file is for {month} but sits in the folder {folder_month}"
        )));
    }
    Ok(Name {
        month,
        force: force.to_string(),
        kind,
    })
}

/// A street file's counts and quality figures.
#[derive(Debug, Clone, Default)]
pub struct StreetCounts {
    /// The force as the rows name it (`Falls within`).
    pub falls_within: String,
    /// Count per crime type (index into [`CRIME_TYPES`]).
    pub by_type: [u64; 14],
    /// Count per (LSOA code, crime type); code "" for rows with no location.
    pub by_lsoa: HashMap<(String, u8), u64>,
    pub lsoa_names: HashMap<String, String>,
    pub no_location: u64,
    pub duplicate_ids: u64,
    pub legacy: Vec<&'static Legacy>,
}

/// The outcome of reading one file.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub rows_read: u64,
    pub rejected: Vec<crate::model::Rejection>,
    /// `Some` for street files.
    pub street: Option<StreetCounts>,
}

/// Column positions in a street file.
struct Columns {
    crime_id: Option<usize>,
    month: usize,
    falls_within: Option<usize>,
    lsoa_code: Option<usize>,
    lsoa_name: Option<usize>,
    crime_type: usize,
}

/// Reads a month-file whose name said `name`; `display` names it in messages.
pub fn parse(bytes: &[u8], name: &Name, display: &str, policy: BadRows) -> Result<Parsed> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile(Location::file(display)));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body);
    let header = reader
        .headers()
        .map_err(|e| super::super::read::csv_error(display, e))?
        .clone();
    let columns: Vec<&str> = header.iter().collect();
    let kind = Kind::of_header(&columns).ok_or_else(|| Error::Header {
        at: Location::line(display, 1),
        message: format!(
            "`{}` is not a data.police.uk street, outcomes or stop-and-search header",
            columns.join(",")
        ),
    })?;
    if kind != name.kind {
        return Err(Error::Header {
            at: Location::line(display, 1),
            message: format!(
                "the name says {} but the header is a {} header",
                name.kind.label(),
                kind.label()
            ),
        });
    }
    match kind {
        Kind::Street => street(&mut reader, &columns, name, display, policy),
        _ => count_rows(&mut reader, display, policy),
    }
}

fn count_rows(reader: &mut csv::Reader<&[u8]>, display: &str, policy: BadRows) -> Result<Parsed> {
    let mut parsed = Parsed {
        rows_read: 0,
        rejected: Vec::new(),
        street: None,
    };
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => parsed.rows_read += 1,
            Err(e) => reject_or_fail(&mut parsed, e, display, policy)?,
        }
    }
    Ok(parsed)
}

fn reject_or_fail(
    parsed: &mut Parsed,
    e: csv::Error,
    display: &str,
    policy: BadRows,
) -> Result<()> {
    let err = super::super::read::csv_error(display, e);
    match (policy, &err) {
        (BadRows::Reject, Error::Csv { at, message }) => {
            parsed.rows_read += 1;
            parsed.rejected.push(crate::model::Rejection {
                line: at.line.unwrap_or(0),
                reason: message.clone(),
            });
            Ok(())
        }
        _ => Err(err),
    }
}

fn find(columns: &[&str], name: &str) -> Option<usize> {
    columns
        .iter()
        .position(|c| c.trim().eq_ignore_ascii_case(name))
}

fn street(
    reader: &mut csv::Reader<&[u8]>,
    columns: &[&str],
    name: &Name,
    display: &str,
    policy: BadRows,
) -> Result<Parsed> {
    let cols = Columns {
        crime_id: find(columns, "Crime ID"),
        month: find(columns, "Month").unwrap_or_default(),
        falls_within: find(columns, "Falls within"),
        lsoa_code: find(columns, "LSOA code"),
        lsoa_name: find(columns, "LSOA name"),
        crime_type: find(columns, "Crime type").unwrap_or_default(),
    };
    let month = name.month.to_string();
    let mut parsed = Parsed {
        rows_read: 0,
        rejected: Vec::new(),
        street: None,
    };
    let mut counts = StreetCounts::default();
    let mut ids: HashSet<Vec<u8>> = HashSet::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                parsed.rows_read += 1;
                let line = record.position().map_or(0, |p| p.line());
                if let Err(reason) =
                    count_row(&record, &cols, month.as_bytes(), &mut counts, &mut ids)
                {
                    match policy {
                        BadRows::Fail => {
                            return Err(Error::Row {
                                at: Location::line(display, line),
                                message: reason,
                            });
                        }
                        BadRows::Reject => parsed
                            .rejected
                            .push(crate::model::Rejection { line, reason }),
                    }
                }
            }
            Err(e) => reject_or_fail(&mut parsed, e, display, policy)?,
        }
    }
    parsed.street = Some(counts);
    Ok(parsed)
}

/// Counts one row, or says why it cannot be counted.
fn count_row(
    r: &csv::ByteRecord,
    cols: &Columns,
    month: &[u8],
    counts: &mut StreetCounts,
    ids: &mut HashSet<Vec<u8>>,
) -> std::result::Result<(), String> {
    let field = |i: usize| r.get(i).unwrap_or(b"");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if field(cols.month) != month {
        return Err(format!(
            "the row is for month `{}` but the file is for {}",
            text(field(cols.month)),
            text(month)
        ));
    }
    let raw_type = field(cols.crime_type);
    let type_index = match CRIME_TYPES.iter().position(|t| t.as_bytes() == raw_type) {
        Some(i) => i,
        None => legacy_type(raw_type, counts)?,
    };
    counts.by_type[type_index] += 1;
    if counts.falls_within.is_empty()
        && let Some(i) = cols.falls_within
    {
        counts.falls_within = text(field(i));
    }
    let code = cols.lsoa_code.map_or(&b""[..], field);
    if code.is_empty() {
        counts.no_location += 1;
    }
    let code = std::str::from_utf8(code).map_err(|_| "the LSOA code is not text".to_string())?;
    if !counts.lsoa_names.contains_key(code) {
        let lsoa_name = cols.lsoa_name.map_or(String::new(), |i| text(field(i)));
        counts.lsoa_names.insert(code.to_string(), lsoa_name);
    }
    *counts
        .by_lsoa
        .entry((code.to_string(), type_index as u8))
        .or_insert(0) += 1;
    if let Some(i) = cols.crime_id
        && !field(i).is_empty()
        && !ids.insert(field(i).to_vec())
    {
        counts.duplicate_ids += 1;
    }
    Ok(())
}

fn legacy_type(raw: &[u8], counts: &mut StreetCounts) -> std::result::Result<usize, String> {
    let label = String::from_utf8_lossy(raw);
    let (index, legacy) = police_uk::crime_type(&label).ok_or_else(|| {
        format!(
            "crime type `{label}` matches none of data.police.uk's categories ({})",
            CRIME_TYPES.join(", ")
        )
    })?;
    if let Some(l) = legacy
        && !counts.legacy.iter().any(|x| x.label == l.label)
    {
        counts.legacy.push(l);
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_month_force_and_kind() {
        let n = parse_name("2016-04/2016-04-city-of-london-street.csv").unwrap();
        assert_eq!(
            (n.month.to_string(), n.force.as_str(), n.kind),
            ("2016-04".into(), "city-of-london", Kind::Street)
        );
        let n = parse_name("2016-04/2016-04-btp-stop-and-search.csv").unwrap();
        assert_eq!((n.force.as_str(), n.kind), ("btp", Kind::StopAndSearch));
        let e = parse_name("2016-04/2016-05-city-of-london-street.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("the file is for 2016-05 but sits in the folder 2016-04"),
            "{e}"
        );
        assert!(parse_name("2016-04/notes.csv").is_err());
    }
}
