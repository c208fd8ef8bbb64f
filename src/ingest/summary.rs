//! The wide summary table a partnership report prints: the first column names the category, each
//! further column is a period.
//!
//! ```text
//! Category,2016/17,2017/18
//! Violence with injury,382,384
//! Burglary – Residential,14,14
//! ```
//!
//! Counts may carry thousands separators (`"1,506"`) or suppression markers; a header cell that
//! is not a period label (the seed's `2016/16`) is an error, never a guess.

use std::collections::HashMap;

use crate::error::{Error, Location, Result};
use crate::harmonise::{Period, label};
use crate::ingest::Source;
use crate::ingest::{Loaded, check_count, read};
use crate::model::{Category, Observation, Unit};

/// Loads a summary table as observations for `source`'s area.
pub fn load(source: &Source, input: usize) -> Result<Loaded> {
    load_table(read::read_table(source)?, source, input)
}

/// Loads a table already read (see [`read::table_from_bytes`]); the entry point for fuzzing.
pub fn load_table(table: read::Table, source: &Source, input: usize) -> Result<Loaded> {
    let mut reader = read::csv_reader(&table.text);
    let mut records = reader.records();
    let header = read::header(&mut records, &table.display)?;
    let periods = header_periods(&header, &table.display)?;
    let area = source.area.clone().unwrap_or_else(|| "unnamed area".into());
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut observations = Vec::new();
    let mut rows_read = 0;
    for record in records {
        let record = record.map_err(|e| read::csv_error(&table.display, e))?;
        rows_read += 1;
        let line = read::line_of_record(&record);
        let category = row_category(&record, line, &table.display, &mut seen)?;
        for (i, period) in periods.iter().enumerate() {
            let column = &header[i + 1];
            let at = Location::line(&table.display, line);
            let value = check_count(&record[i + 1], column, &at)?;
            observations.push(Observation {
                input,
                line,
                area: area.clone(),
                category: Category::from(category.as_str()),
                period: *period,
                value,
                unit: Unit::Count,
            });
        }
    }
    if rows_read == 0 {
        return Err(read::no_rows(&table.display));
    }
    let file = crate::ingest::counted_file(source, table.digest, rows_read, periods.clone());
    Ok(Loaded { file, observations })
}

/// The header's period columns, validated: at least one, each a period label, none twice.
fn header_periods(header: &csv::StringRecord, file: &str) -> Result<Vec<Period>> {
    let at = || Location::line(file, 1);
    if header.len() < 2 {
        return Err(Error::Header {
            at: at(),
            message: "expected a category column followed by one column per period (e.g. `Category,2016/17,2017/18`)".into(),
        });
    }
    let mut periods: Vec<Period> = Vec::new();
    for (i, cell) in header.iter().enumerate().skip(1) {
        let period: Period = cell.parse().map_err(|e| Error::Header {
            at: at(),
            message: format!("column {}: {e}", i + 1),
        })?;
        if periods.contains(&period) {
            return Err(Error::Header {
                at: at(),
                message: format!(
                    "column {}: period {period} appears twice in the header",
                    i + 1
                ),
            });
        }
        periods.push(period);
    }
    Ok(periods)
}

/// The row's category label, checked for emptiness and for a repeat of an earlier row.
fn row_category(
    record: &csv::StringRecord,
    line: u64,
    file: &str,
    seen: &mut HashMap<String, u64>,
) -> Result<String> {
    let category = label::tidy(&record[0]);
    let at = Location::line(file, line);
    if category.is_empty() {
        return Err(Error::Header {
            at,
            message: "the category (first column) is empty; every row needs a category name".into(),
        });
    }
    if let Some(&first_line) = seen.get(&label::match_key(&category)) {
        return Err(Error::DuplicateCategory {
            at,
            category,
            first_line,
        });
    }
    seen.insert(label::match_key(&category), line);
    Ok(category)
}
