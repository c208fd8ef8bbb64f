//! Street counts by anonymised point, as `saferstats place --by point --detail` writes them from
//! a data.police.uk archive: one row per month, area, point and crime type.
//!
//! ```text
//! month,area,location,longitude,latitude,lsoa_code,category,count
//! 2016-04,City of London Police,On or near Bride Lane,-0.105134,51.513869,E01032740,Other theft,3
//! ```
//!
//! It carries the points of an archive without the archive (the shipped sample data is one), for
//! the report's place analysis. A crime type that is not data.police.uk's, a month that is not
//! one, or coordinates that are not numbers are errors naming the line.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::harmonise::Month;
use crate::harmonise::police_uk::CRIME_TYPES;
use crate::ingest::{Source, read};
use crate::model::InputFile;
use crate::model::place::PointRecord;

/// The columns, in order.
pub const COLUMNS: [&str; 8] = [
    "month",
    "area",
    "location",
    "longitude",
    "latitude",
    "lsoa_code",
    "category",
    "count",
];

type Key = (Month, String, String, String, String, String);

/// Reads the file: its points, and its provenance.
pub fn load(source: &Source, input: usize) -> Result<(Vec<PointRecord>, InputFile)> {
    let table = read::read_table(source)?;
    let mut reader = read::csv_reader(&table.text);
    let mut records = reader.records();
    let header = read::header(&mut records, &table.display)?;
    let found: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if found != COLUMNS {
        return Err(Error::Header {
            at: Location::line(&table.display, 1),
            message: format!("a points file has the columns {}", COLUMNS.join(",")),
        });
    }
    let mut cells: BTreeMap<Key, [u32; 14]> = BTreeMap::new();
    let mut rows = 0u64;
    for (i, record) in records.enumerate() {
        let record = record.map_err(|e| read::csv_error(&table.display, e))?;
        let at = Location::line(&table.display, i as u64 + 2);
        let (key, t, n) = row(&record, &at)?;
        cells.entry(key).or_insert([0; 14])[t] += n;
        rows += 1;
    }
    let mut months: Vec<Month> = cells.keys().map(|k| k.0).collect();
    months.dedup();
    let periods = months
        .into_iter()
        .map(crate::harmonise::Period::Month)
        .collect();
    let file = crate::ingest::counted_file(source, table.digest.clone(), rows, periods);
    let points = cells
        .into_iter()
        .map(|(k, counts)| record(k, counts, input))
        .collect();
    Ok((points, file))
}

fn record(
    (month, area, location, lon, lat, lsoa): Key,
    counts: [u32; 14],
    input: usize,
) -> PointRecord {
    PointRecord {
        input,
        month,
        area: Arc::from(area.as_str()),
        longitude: lon.parse().unwrap_or(f64::NAN),
        latitude: lat.parse().unwrap_or(f64::NAN),
        location: location.into(),
        lsoa_code: lsoa.into(),
        counts,
    }
}

/// One row: its point, its crime type's index and its count.
fn row(record: &csv::StringRecord, at: &Location) -> Result<(Key, usize, u32)> {
    let field = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
    let bad = |message: String| Error::Row {
        at: at.clone(),
        message,
    };
    let month: Month = field(0).parse().map_err(|e| bad(format!("`month`: {e}")))?;
    for (i, name) in [(3, "longitude"), (4, "latitude")] {
        if !field(i).parse::<f64>().is_ok_and(f64::is_finite) {
            return Err(bad(format!("`{name}` `{}` is not a number", field(i))));
        }
    }
    let category = field(6);
    let t = CRIME_TYPES
        .iter()
        .position(|c| *c == category)
        .ok_or_else(|| {
            bad(format!(
                "`{category}` is not a data.police.uk crime type ({})",
                CRIME_TYPES.join(", ")
            ))
        })?;
    let n: u32 = field(7)
        .parse()
        .map_err(|_| bad(format!("`count` `{}` is not a whole number", field(7))))?;
    let key = (month, field(1), field(2), field(3), field(4), field(5));
    Ok((key, t, n))
}
