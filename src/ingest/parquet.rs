//! `parquet`: monthly street counts by force, LSOA and crime type, in the layout
//! `--export-parquet` writes, so counts aggregated elsewhere (DuckDB, Spark) feed the same
//! comparisons, outcomes and reports as the archive they came from.
//!
//! The source is a folder (read recursively: `year=2016/force=city-of-london/part-0.parquet`, any
//! file names, Hive partition folders or none) or one file. Every file has the columns `month`
//! (`2016-04`), `area` (the force as its rows name it, `City of London Police`), `lsoa_code`,
//! `lsoa_name` (empty for rows without a location), `crime_type` (data.police.uk's, older labels
//! mapped as the archive reader maps them) and `count` (any integer type). Rows of the same month,
//! area, LSOA and type are summed, wherever they are. A month is covered for a force when any row
//! holds it: an aggregate cannot say that a force published a month with no crimes at all, so
//! such a month reads as missing (partial, never zero). Row-level quality (locations, duplicate
//! Crime IDs) stays with whoever read the rows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;

use crate::error::{Error, Location, Result};
use crate::harmonise::police_uk::{CRIME_TYPES, crime_type};
use crate::harmonise::{Month, Period};
use crate::ingest::{Source, read};
use crate::model::{
    Category, Dataset, DigestBasis, InputFile, LsoaRecord, Observation, Unit, Value,
};

/// The columns every file has (others are ignored).
pub const COLUMNS: [&str; 6] = [
    "month",
    "area",
    "lsoa_code",
    "lsoa_name",
    "crime_type",
    "count",
];

/// Counts by (area, month), then (LSOA code, name), with the first file that held each month.
type Cells = BTreeMap<(String, Month), (usize, BTreeMap<(String, String), [u32; 14]>)>;

/// Reads every Parquet file of the source into `data`: force-month counts, LSOA detail, coverage
/// and each file's provenance.
pub fn load_into(data: &mut Dataset, source: &Source) -> Result<()> {
    let files = files(&source.path, &source.display)?;
    let mut cells = Cells::new();
    for path in &files {
        let input = data.inputs.len();
        let display = display_of(source, path);
        let bytes = std::fs::read(path).map_err(|e| Error::Read {
            path: display.clone(),
            source: e,
        })?;
        let frame = ParquetReader::new(std::io::Cursor::new(&bytes))
            .finish()
            .map_err(|e| unreadable(&display, &e.to_string()))?;
        let (months, areas) = add_rows(&frame, &display, input, &mut cells)?;
        if let (Some(slug), [area]) = (partition(path, "force"), areas.as_slice()) {
            alias(data, source, &slug, area);
        }
        data.inputs
            .push(provenance(source, display, &bytes, frame.height(), months));
    }
    for area in cells.keys().map(|(a, _)| a.clone()).collect::<Vec<_>>() {
        let slug = crate::harmonise::label::slug(&area);
        if !data.aliases.values().any(|a| *a == area) {
            alias(data, source, &slug, &area);
        }
    }
    add_cells(data, cells);
    Ok(())
}

/// The value of a Hive partition folder `key=value` on `path`.
fn partition(path: &Path, key: &str) -> Option<String> {
    path.components().rev().find_map(|c| {
        let c = c.as_os_str().to_str()?;
        let (k, v) = c.split_once('=')?;
        (k == key && !v.is_empty()).then(|| v.to_string())
    })
}

/// The force answers to its slug and, when its area is one local authority, to that authority's
/// name, as with the archive it came from.
fn alias(data: &mut Dataset, source: &Source, slug: &str, area: &str) {
    data.aliases.insert(slug.to_string(), area.to_string());
    if let Some([authority]) = source.selection.force_areas.get(slug).map(Vec::as_slice) {
        data.aliases.insert(authority.clone(), area.to_string());
    }
}

/// Every `.parquet` file below `path` (or `path` itself), in path order.
fn files(path: &Path, display: &str) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::Read {
            path: dir.display().to_string(),
            source: e,
        })?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "parquet") {
                found.push(p);
            }
        }
    }
    found.sort();
    if found.is_empty() {
        return Err(Error::Usage(format!(
            "{display}: no .parquet files in this folder or below it; give the folder --export-parquet (or DuckDB's COPY ... PARTITION_BY) wrote"
        )));
    }
    Ok(found)
}

/// The file as the user would name it: the source's path as written, then the file below it.
fn display_of(source: &Source, path: &Path) -> String {
    match path.strip_prefix(&source.path) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            format!("{}/{}", source.display.trim_end_matches('/'), rel.display())
        }
        _ => source.display.clone(),
    }
}

fn unreadable(display: &str, why: &str) -> Error {
    Error::Row {
        at: Location::file(display),
        message: format!("not a readable Parquet file ({why})"),
    }
}

/// A file's columns, as text and whole numbers.
struct Columns {
    month: StringChunked,
    area: StringChunked,
    code: StringChunked,
    name: StringChunked,
    kind: StringChunked,
    count: Int64Chunked,
}

/// One row: its force, month, LSOA (code, name), crime type's index and count.
type Row = (String, Month, (String, String), usize, u32);

impl Columns {
    /// The layout's columns of `frame`; a missing one is an error saying which are wanted.
    fn of(frame: &DataFrame, display: &str) -> Result<Columns> {
        let column = |name: &str, to: &DataType| -> Result<Column> {
            let column = frame.column(name).map_err(|_| missing(display, frame))?;
            column
                .cast(to)
                .map_err(|e| unreadable(display, &e.to_string()))
        };
        let text = |name: &str| -> Result<StringChunked> {
            Ok(column(name, &DataType::String)?
                .str()
                .expect("cast to text")
                .clone())
        };
        let count = column("count", &DataType::Int64)?;
        Ok(Columns {
            month: text("month")?,
            area: text("area")?,
            code: text("lsoa_code")?,
            name: text("lsoa_name")?,
            kind: text("crime_type")?,
            count: count.i64().expect("cast to integers").clone(),
        })
    }

    /// Row `i`, checked: a month or crime type that is not one, a count that is not a whole
    /// number of at least 0, or no area is an error naming the file and row.
    fn row(&self, i: usize, display: &str) -> Result<Row> {
        let bad = |what: String| Error::Row {
            at: Location::line(display, i as u64 + 1),
            message: format!("row {}: {what}", i + 1),
        };
        let m = self.month.get(i).unwrap_or("");
        let month: Month = m
            .trim()
            .parse()
            .map_err(|_| bad(format!("month `{m}` is not one (write 2016-04)")))?;
        let k = self.kind.get(i).unwrap_or("");
        let (t, _) = crime_type(k).ok_or_else(|| {
            bad(format!(
                "crime type `{k}` is not a data.police.uk crime type"
            ))
        })?;
        let n = match self.count.get(i) {
            Some(n) if (0..=i64::from(u32::MAX)).contains(&n) => n as u32,
            other => {
                return Err(bad(format!(
                    "count {other:?} is not a whole number of at least 0"
                )));
            }
        };
        let area = self.area.get(i).unwrap_or("").trim();
        if area.is_empty() {
            return Err(bad("no area (the force, as its rows name it)".into()));
        }
        let text = |c: &StringChunked| c.get(i).unwrap_or("").trim().to_string();
        let place = (text(&self.code), text(&self.name));
        Ok((area.to_string(), month, place, t, n))
    }
}

/// Adds one file's rows to `cells`; returns the months and areas it held. Rows are checked as
/// [`Columns::row`] says; a cell whose sum would pass `u32::MAX` is an error too.
fn add_rows(
    frame: &DataFrame,
    display: &str,
    input: usize,
    cells: &mut Cells,
) -> Result<(Vec<Month>, Vec<String>)> {
    let columns = Columns::of(frame, display)?;
    let (mut months, mut areas) = (Vec::new(), Vec::<String>::new());
    for i in 0..frame.height() {
        let (a, m, place, t, n) = columns.row(i, display)?;
        if !months.contains(&m) {
            months.push(m);
        }
        if !areas.contains(&a) {
            areas.push(a.clone());
        }
        let cell = cells
            .entry((a, m))
            .or_insert_with(|| (input, BTreeMap::new()));
        let sum = &mut cell.1.entry(place).or_insert([0; 14])[t];
        *sum = sum.checked_add(n).ok_or_else(|| Error::Row {
            at: Location::line(display, i as u64 + 1),
            message: format!(
                "row {}: the counts of this month, LSOA and type pass 4,294,967,295",
                i + 1
            ),
        })?;
    }
    months.sort();
    Ok((months, areas))
}

fn missing(display: &str, frame: &DataFrame) -> Error {
    let found: Vec<&str> = frame
        .get_column_names()
        .iter()
        .map(|c| c.as_str())
        .collect();
    Error::Header {
        at: Location::file(display),
        message: format!(
            "the columns {} are expected (as --export-parquet writes them); found {}",
            COLUMNS.join(","),
            found.join(",")
        ),
    }
}

fn provenance(
    source: &Source,
    display: String,
    bytes: &[u8],
    rows: usize,
    months: Vec<Month>,
) -> InputFile {
    InputFile {
        source: source.name.clone(),
        kind: "parquet".into(),
        path: display,
        digest: read::sha256_digest(bytes),
        digest_basis: DigestBasis::Computed,
        publisher: source.publisher.clone(),
        rows_read: rows as u64,
        rows_counted: rows as u64,
        rows_rejected: 0,
        withheld: false,
        periods: months.into_iter().map(Period::Month).collect(),
        rejections: Vec::new(),
    }
}

/// Every force-month's counts by crime type (zeros included), its LSOA detail and coverage; each
/// force answers to its slug too.
fn add_cells(data: &mut Dataset, cells: Cells) {
    for ((area, month), (input, places)) in cells {
        let mut totals = [0u64; 14];
        let shared: Arc<str> = area.as_str().into();
        for ((code, name), counts) in places {
            for (t, n) in counts.iter().enumerate() {
                totals[t] += u64::from(*n);
            }
            data.lsoa.push(LsoaRecord {
                input,
                month,
                area: shared.clone(),
                lsoa_code: code.into(),
                lsoa_name: name.into(),
                counts,
            });
        }
        data.coverage.entry(area.clone()).or_default().insert(month);
        for (t, category) in CRIME_TYPES.iter().enumerate() {
            data.observations.push(Observation {
                input,
                line: 0,
                area: area.clone(),
                category: Category::from(*category),
                period: Period::Month(month),
                value: Value::Count(totals[t] as i64),
                unit: Unit::Count,
            });
        }
    }
}
