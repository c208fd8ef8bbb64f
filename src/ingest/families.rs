//! A family file for fair benchmarks: `area,family`, one row per area, naming the group of
//! similar areas each belongs to (e.g. a force's most similar groups). saferstats ships none: a
//! family is the analyst's choice, not a fact of the data.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Location, Result};

/// Each area's family, by area name as the file spells it.
pub fn load(path: &Path, display: &str) -> Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: display.to_string(),
        source: e,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Header {
            at: Location::line(display, 1),
            message: e.to_string(),
        })?
        .iter()
        .map(str::to_ascii_lowercase)
        .collect();
    let (Some(a), Some(f)) = (
        header.iter().position(|h| h == "area"),
        header.iter().position(|h| h == "family"),
    ) else {
        return Err(Error::Header {
            at: Location::line(display, 1),
            message: "a family file has the columns area,family".into(),
        });
    };
    let mut families = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let at = Location::line(display, i as u64 + 2);
        let record = record.map_err(|e| Error::Row {
            at: at.clone(),
            message: e.to_string(),
        })?;
        let (area, family) = (record.get(a).unwrap_or(""), record.get(f).unwrap_or(""));
        if area.is_empty() || family.is_empty() {
            return Err(Error::Row {
                at,
                message: "an area and its family are both needed".into(),
            });
        }
        if families
            .insert(area.to_string(), family.to_string())
            .is_some()
        {
            return Err(Error::Row {
                at,
                message: format!("{area} is listed twice: give each area one family"),
            });
        }
    }
    Ok(families)
}
