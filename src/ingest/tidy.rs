//! The tidy long CSV: one figure per row.
//!
//! ```text
//! period,area,category,value
//! 2016/17,City of London,Rape,10
//! ```
//!
//! Column names are matched ignoring case and order; an optional `unit` column (`count`,
//! `percent`, `rate`) says what `value` measures (counts by default).

use std::collections::HashMap;

use crate::error::{Error, Location, Result};
use crate::harmonise::{Period, label};
use crate::ingest::Source;
use crate::ingest::{Loaded, check_count, read};
use crate::model::{Category, Observation, Unit};

const REQUIRED: [&str; 4] = ["period", "area", "category", "value"];

/// Column positions of the tidy header.
struct Columns {
    period: usize,
    area: usize,
    category: usize,
    value: usize,
    unit: Option<usize>,
}

/// Loads a tidy CSV.
pub fn load(source: &Source, input: usize) -> Result<Loaded> {
    load_table(read::read_table(source)?, source, input)
}

/// Loads a table already read (see [`read::table_from_bytes`]); the entry point for fuzzing.
pub fn load_table(table: read::Table, source: &Source, input: usize) -> Result<Loaded> {
    let mut reader = read::csv_reader(&table.text);
    let mut records = reader.records();
    let header = read::header(&mut records, &table.display)?;
    let columns = find_columns(&header, &table.display)?;
    let mut seen: HashMap<(Period, String, String), u64> = HashMap::new();
    let mut observations: Vec<Observation> = Vec::new();
    for record in records {
        let record = record.map_err(|e| read::csv_error(&table.display, e))?;
        let o = observation(&record, &columns, &table.display, input)?;
        let key = (
            o.period,
            label::match_key(&o.area),
            o.category.key().to_string(),
        );
        if let Some(&first_line) = seen.get(&key) {
            return Err(Error::DuplicateCategory {
                at: Location::line(&table.display, o.line),
                category: o.category.to_string(),
                first_line,
            });
        }
        seen.insert(key, o.line);
        observations.push(o);
    }
    if observations.is_empty() {
        return Err(read::no_rows(&table.display));
    }
    let mut periods: Vec<Period> = observations.iter().map(|o| o.period).collect();
    periods.sort();
    periods.dedup();
    let rows = observations.len() as u64;
    let file = crate::ingest::counted_file(source, table.digest, rows, periods);
    Ok(Loaded { file, observations })
}

fn find_columns(header: &csv::StringRecord, file: &str) -> Result<Columns> {
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let missing: Vec<&str> = REQUIRED.into_iter().filter(|n| find(n).is_none()).collect();
    if !missing.is_empty() {
        return Err(Error::Header {
            at: Location::line(file, 1),
            message: format!(
                "missing column(s) {}; a tidy file needs the columns {} (unit optional), found `{}`",
                missing.join(", "),
                REQUIRED.join(","),
                header.iter().collect::<Vec<_>>().join(",")
            ),
        });
    }
    let col = |name: &str| find(name).unwrap_or_default();
    Ok(Columns {
        period: col("period"),
        area: col("area"),
        category: col("category"),
        value: col("value"),
        unit: find("unit"),
    })
}

fn observation(
    record: &csv::StringRecord,
    columns: &Columns,
    file: &str,
    input: usize,
) -> Result<Observation> {
    let line = read::line_of_record(record);
    let at = Location::line(file, line);
    let period: Period = record[columns.period].parse().map_err(|e| Error::Period {
        at: format!("{at}: column `period`"),
        message: format!("{e}"),
    })?;
    let unit = match columns.unit.map(|i| record[i].trim().to_lowercase()) {
        None => Unit::Count,
        Some(u) if u.is_empty() || u == "count" => Unit::Count,
        Some(u) if u == "percent" || u == "%" => Unit::Percent,
        Some(u) if u == "rate" => Unit::Rate,
        Some(u) => {
            return Err(Error::Header {
                at,
                message: format!(
                    "column `unit`: `{u}` is not a unit; write count, percent or rate"
                ),
            });
        }
    };
    let raw = &record[columns.value];
    let value = match unit {
        Unit::Count => check_count(raw, "value", &at)?,
        _ => crate::ingest::number::parse_measure(raw).ok_or_else(|| Error::NotANumber {
            at: at.clone(),
            column: "value".into(),
            value: raw.to_string(),
        })?,
    };
    let text = |i: usize| label::tidy(&record[i]);
    if text(columns.category).is_empty() || text(columns.area).is_empty() {
        return Err(Error::Header {
            at,
            message: "the area and category may not be empty".into(),
        });
    }
    Ok(Observation {
        input,
        line,
        area: text(columns.area),
        category: Category::from(text(columns.category)),
        period,
        value,
        unit,
    })
}
