//! One month-file of the archive: its name (month, force, kind), its header (which kind it really
//! is) and, for street files, its rows aggregated straight into counts by LSOA and crime type.
//!
//! Rows are counted as published: duplicate Crime IDs are counted and reported, rows without a
//! location are counted and reported. A row that cannot be counted (wrong month, unknown crime type,
//! ragged) fails the file, or with `BadRows::Reject` is rejected with its line and reason.

use rustc_hash::FxHashMap;

use super::justice::{self, CrimeIds};
use super::lsoa_run::{LsoaTable, Run};
use super::rows::Rows;

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
    /// By LSOA code ("" for rows with no location): the LSOA's name and its count per crime type.
    pub by_lsoa: LsoaTable,
    pub no_location: u64,
    pub duplicate_ids: u64,
    pub legacy: Vec<&'static Legacy>,
    /// Located rows in LSOAs outside the force's own area, and the area prefixes it was counted
    /// against; `None` where no area is configured for the force.
    pub outside_area: Option<(u64, String)>,
    /// Whether `by_lsoa` holds the LSOA detail (a cached summary may leave it out).
    pub has_lsoa_detail: bool,
    /// By anonymised point (`longitude,latitude` as published), when asked for.
    pub by_point: FxHashMap<Box<[u8]>, PointCell>,
    pub has_point_detail: bool,
    /// Recorded crimes by Crime ID with their crime type, when asked for (for `justice`).
    pub crimes: Vec<(crate::model::justice::CrimeId, u8)>,
}

/// One anonymised point's crimes in a street file: its `Location`, its LSOA and its count per
/// crime type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PointCell {
    pub location: Box<str>,
    pub lsoa_code: Box<str>,
    pub counts: [u32; 14],
}

impl StreetCounts {
    /// Lets the LSOA table go: a run that needs no LSOA detail keeps the totals only.
    pub fn forget_lsoas(&mut self) {
        self.by_lsoa = LsoaTable::default();
        self.has_lsoa_detail = false;
    }

    /// Counts located rows whose LSOA name starts with none of `prefixes`, and remembers them.
    pub fn count_outside(&mut self, prefixes: Option<&Vec<String>>) {
        self.outside_area = prefixes.map(|prefixes| {
            let inside = |name: &str| prefixes.iter().any(|p| name.starts_with(p.as_str()));
            let n = self
                .by_lsoa
                .iter()
                .filter(|(code, (name, _))| !code.is_empty() && !inside(name))
                .map(|(_, (_, by_type))| by_type.iter().map(|&n| u64::from(n)).sum::<u64>())
                .sum();
            (n, prefixes.join("|"))
        });
    }
}

/// The outcome of reading one file.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub rows_read: u64,
    pub rejected: Vec<crate::model::Rejection>,
    /// `Some` for street files; shared, so the cache and the loader never copy it.
    pub street: Option<std::sync::Arc<StreetCounts>>,
    /// `Some` for outcome files read for `justice`.
    pub outcomes: Option<std::sync::Arc<justice::OutcomeRows>>,
    /// `Some` for stop-and-search files read for `searches`.
    pub searches: Option<std::sync::Arc<Vec<crate::model::justice::Search>>>,
}

/// What a parse keeps beyond the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Each street row's anonymised point (for `place`).
    pub points: bool,
    /// Each recorded crime's Crime ID, and the outcome and stop-and-search files' rows (for
    /// `justice` and `searches`).
    pub crimes: bool,
    /// The counts by LSOA (for local authorities, `place`, the cache). A run that needs none lets
    /// them go once the file's rows outside its force's area are counted: kept for every file
    /// until the archive is read, they were most of a national run's memory.
    pub lsoas: bool,
}

impl Default for Keep {
    /// The counts and the LSOA detail.
    fn default() -> Self {
        Keep {
            points: false,
            crimes: false,
            lsoas: true,
        }
    }
}

/// Column positions in a street file.
struct Columns {
    crimes: bool,
    crime_id: Option<usize>,
    month: usize,
    falls_within: Option<usize>,
    lsoa_code: Option<usize>,
    lsoa_name: Option<usize>,
    crime_type: usize,
    /// Longitude, latitude and location, when points are kept.
    point: Option<(usize, usize, Option<usize>)>,
}

/// The zero-copy reader the archive's files are split with (simd-csv: see BENCHMARKS.md).
pub(super) type Reader<R> = simd_csv::ZeroCopyReader<R>;

/// The reader's buffer for a file in memory (simd-csv's default): it is refilled from memory.
const READ_BUFFER: usize = 8 * 1024;

/// A reader of `source`'s rows with a buffer of `capacity` bytes. Flexible: a ragged row is told
/// apart (and rejected with its line) by [`Rows`], not by the reader.
pub(super) fn reader<R: std::io::Read>(source: R, capacity: usize) -> Reader<R> {
    simd_csv::ZeroCopyReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(capacity)
        .from_reader(source)
}

/// One data row as the reader splits it.
pub(super) type Record<'r> = simd_csv::ZeroCopyByteRecord<'r>;

/// Reads a month-file whose name said `name`; `display` names it in messages.
pub fn parse(
    bytes: &[u8],
    name: &Name,
    display: &str,
    policy: BadRows,
    area: Option<&Vec<String>>,
) -> Result<Parsed> {
    parse_with(bytes, name, display, policy, area, Keep::default())
}

/// [`parse`], keeping what `keep` asks for too.
pub fn parse_with(
    bytes: &[u8],
    name: &Name,
    display: &str,
    policy: BadRows,
    area: Option<&Vec<String>>,
    keep: Keep,
) -> Result<Parsed> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile(Location::file(display)));
    }
    // Lone CR line ends (an old Mac export) as LF: the splitter ends rows at LF only, and would
    // read the whole file as its header. (An LF is asked for first: found at the first line's end,
    // it spares a scan of the whole file for CRs.)
    let lf: Vec<u8>;
    let body = if !body.contains(&b'\n') && body.contains(&b'\r') {
        lf = body
            .iter()
            .map(|&b| if b == b'\r' { b'\n' } else { b })
            .collect();
        &lf[..]
    } else {
        body
    };
    let mut reader = reader(body, READ_BUFFER);
    let (header, kind) = read_header(&mut reader, display, name)?;
    let columns: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = Rows::new(reader, body, (columns.len(), display, policy));
    let parsed = match kind {
        Kind::Street => street(rows, &columns, name, area, keep)?,
        Kind::Outcomes if keep.crimes => justice::outcomes(rows, &columns, name, display)?,
        Kind::Outcomes => justice::check_outcomes(rows, &columns, name, display)?,
        // Stop-and-search files are small: every row is checked (its date in the file's month),
        // kept only when asked for.
        Kind::StopAndSearch => {
            let mut parsed = justice::searches(rows, &columns, name)?;
            if !keep.crimes {
                parsed.searches = None;
            }
            parsed
        }
    };
    if parsed.rows_read == 0 && has_rows_after_header(body) {
        return Err(Error::Csv {
            at: Location::line(display, 2),
            message: "the file holds text after its header but no row could be read from it; check its line ends and delimiter".into(),
        });
    }
    Ok(parsed)
}

/// The header's columns and the file kind they belong to, which must be the kind its name says.
pub(super) fn read_header<R: std::io::Read>(
    reader: &mut Reader<R>,
    display: &str,
    name: &Name,
) -> Result<(Vec<String>, Kind)> {
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| Error::Csv {
            at: Location::line(display, 1),
            message: e.to_string(),
        })?
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let columns: Vec<&str> = header.iter().map(String::as_str).collect();
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
    Ok((header, kind))
}

/// Whether anything but white space follows the first line.
fn has_rows_after_header(body: &[u8]) -> bool {
    let rest = body
        .iter()
        .position(|&b| b == b'\n')
        .map_or(&[][..], |i| &body[i + 1..]);
    !rest.iter().all(u8::is_ascii_whitespace)
}

/// A row's `Month` must be its file's.
#[inline]
pub(super) fn same_month(row_month: &[u8], file_month: &[u8]) -> std::result::Result<(), String> {
    if super::rows::same_bytes(row_month, file_month) {
        return Ok(());
    }
    other_month(row_month, file_month)
}

/// Why a row of another month cannot be counted.
#[cold]
fn other_month(row_month: &[u8], file_month: &[u8]) -> std::result::Result<(), String> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Err(format!(
        "the row is for month `{}` but the file is for {}",
        text(row_month),
        text(file_month)
    ))
}

pub(super) fn find(columns: &[&str], name: &str) -> Option<usize> {
    columns
        .iter()
        .position(|c| c.trim().eq_ignore_ascii_case(name))
}

pub(super) fn street<R: std::io::Read>(
    rows: Rows<R>,
    columns: &[&str],
    name: &Name,
    area: Option<&Vec<String>>,
    keep: Keep,
) -> Result<Parsed> {
    let point = match (find(columns, "Longitude"), find(columns, "Latitude")) {
        (Some(lon), Some(lat)) if keep.points => Some((lon, lat, find(columns, "Location"))),
        _ => None,
    };
    let cols = Columns {
        point,
        crime_id: find(columns, "Crime ID"),
        month: find(columns, "Month").unwrap_or_default(),
        falls_within: find(columns, "Falls within"),
        lsoa_code: find(columns, "LSOA code"),
        lsoa_name: find(columns, "LSOA name"),
        crime_type: find(columns, "Crime type").unwrap_or_default(),
        crimes: keep.crimes,
    };
    let month = name.month.to_string();
    let mut counts = StreetCounts::default();
    let mut ids = CrimeIds::for_bytes(rows.bytes());
    let mut run = Run::default();
    let mut parsed = rows.each(|record| {
        count_row(
            record,
            &cols,
            month.as_bytes(),
            (&mut counts, &mut run),
            &mut ids,
        )
    })?;
    run.flush(&mut counts.by_lsoa);
    counts.has_point_detail = keep.points;
    counts.count_outside(area);
    counts.has_lsoa_detail = true;
    if !keep.lsoas {
        counts.forget_lsoas();
    }
    parsed.street = Some(std::sync::Arc::new(counts));
    Ok(parsed)
}

/// Counts one row, or says why it cannot be counted.
fn count_row(
    r: &Record,
    cols: &Columns,
    month: &[u8],
    (counts, run): (&mut StreetCounts, &mut Run),
    ids: &mut CrimeIds,
) -> std::result::Result<(), String> {
    let field = |i: usize| r.unescape(i).unwrap_or_default();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    same_month(&field(cols.month), month)?;
    let raw_type = field(cols.crime_type);
    // Everything that can reject the row is checked before anything is counted, so a rejected row
    // is never also counted (found by fuzzing: see tests/police_uk.rs).
    let (type_index, legacy) = match police_uk::exact_type(&raw_type) {
        Some(found) => found,
        None => legacy_type(&raw_type)?,
    };
    let code = cols.lsoa_code.map(field).unwrap_or_default();
    let new_code = match run.continues(&code, &counts.by_lsoa) {
        true => None,
        false => Some(
            std::str::from_utf8(&code)
                .map_err(|_| "the LSOA code is not text (UTF-8)".to_string())?,
        ),
    };
    if let Some(l) = legacy
        && !counts.legacy.iter().any(|x| x.label == l.label)
    {
        counts.legacy.push(l);
    }
    counts.by_type[type_index] += 1;
    if counts.falls_within.is_empty()
        && let Some(i) = cols.falls_within
    {
        counts.falls_within = text(&field(i));
    }
    if code.is_empty() {
        counts.no_location += 1;
    }
    if let Some(code) = new_code {
        let name = cols.lsoa_name.map(field).unwrap_or_default();
        run.begin(code, &name, &mut counts.by_lsoa);
    }
    run.by_type[type_index] += 1;
    if let Some(p) = cols.point {
        count_point(r, p, &code, type_index, counts);
    }
    // Anti-social behaviour (type 0) is no recorded crime and has no Crime ID.
    let keep = (cols.crimes && type_index > 0).then_some(type_index as u8);
    justice::count_id(r, cols.crime_id, keep, counts, ids);
    Ok(())
}

/// Counts a row at its anonymised point; a row without coordinates has no point (it is counted
/// as without a location).
fn count_point(
    r: &Record,
    (lon, lat, location): (usize, usize, Option<usize>),
    code: &[u8],
    type_index: usize,
    counts: &mut StreetCounts,
) {
    let field = |i: usize| r.unescape(i).unwrap_or_default();
    let (x, y) = (field(lon), field(lat));
    if x.is_empty() || y.is_empty() {
        return;
    }
    // `longitude,latitude` as published, built on the stack: most rows are at a point already
    // seen, and find it without allocating.
    let mut buf = [0u8; 64];
    let mut long = Vec::new();
    let n = x.len() + 1 + y.len();
    let key: &mut [u8] = if n <= buf.len() {
        &mut buf[..n]
    } else {
        long.resize(n, 0);
        &mut long
    };
    key[..x.len()].copy_from_slice(&x);
    key[x.len()] = b',';
    key[x.len() + 1..].copy_from_slice(&y);
    if let Some(cell) = counts.by_point.get_mut(&*key) {
        cell.counts[type_index] += 1;
        return;
    }
    let mut cell = PointCell {
        location: location
            .map(|i| String::from_utf8_lossy(&field(i)).into_owned())
            .unwrap_or_default()
            .into(),
        // The row's LSOA code, already checked as text (UTF-8) when its run began.
        lsoa_code: String::from_utf8_lossy(code).into(),
        counts: [0; 14],
    };
    cell.counts[type_index] = 1;
    counts
        .by_point
        .insert(key.to_vec().into_boxed_slice(), cell);
}

fn legacy_type(raw: &[u8]) -> std::result::Result<(usize, Option<&'static Legacy>), String> {
    let label = String::from_utf8_lossy(raw);
    police_uk::crime_type(&label).ok_or_else(|| {
        format!(
            "crime type `{label}` matches none of data.police.uk's categories ({})",
            CRIME_TYPES.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_after_the_header_is_seen() {
        assert!(!super::has_rows_after_header(b"a,b\n"));
        assert!(!super::has_rows_after_header(b"a,b\n \r\n"));
        assert!(super::has_rows_after_header(b"a,b\n1,2"));
        assert!(!super::has_rows_after_header(b"a,b"));
    }

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

    #[test]
    fn a_run_that_needs_no_lsoa_detail_keeps_the_counts_and_the_outside_rows() {
        let text = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n\
            ,2016-04,Kent Police,Kent Police,0.5,51.2,On or near X,E01024001,Maidstone 001A,Anti-social behaviour,,\n\
            ,2016-04,Kent Police,Kent Police,0.5,51.2,On or near X,E01024001,Maidstone 001A,Burglary,,\n\
            ,2016-04,Kent Police,Kent Police,0.1,51.0,On or near Y,E01021000,Wealden 002B,Burglary,,\n\
            ,2016-04,Kent Police,Kent Police,,,No Location,,,Burglary,,\n";
        let name = parse_name("2016-04/2016-04-kent-street.csv").unwrap();
        let area = vec!["Maidstone".to_string()];
        let read = |lsoas| {
            let keep = Keep {
                lsoas,
                ..Keep::default()
            };
            let parsed = parse_with(
                text.as_bytes(),
                &name,
                "k",
                BadRows::Fail,
                Some(&area),
                keep,
            );
            parsed.unwrap().street.unwrap()
        };
        let (full, bare) = (read(true), read(false));
        // Three LSOA keys with detail (the two codes and "" for no location), none without.
        assert_eq!((full.by_lsoa.len(), full.has_lsoa_detail), (3, true));
        assert_eq!((bare.by_lsoa.len(), bare.has_lsoa_detail), (0, false));
        // Both count 1 ASB and 3 burglaries (index 2), 1 row without a location, and the one
        // located row outside Maidstone (Wealden 002B).
        for s in [&full, &bare] {
            assert_eq!((s.by_type[0], s.by_type[2], s.no_location), (1, 3, 1));
            assert_eq!(s.outside_area, Some((1, "Maidstone".to_string())));
        }
    }
}
