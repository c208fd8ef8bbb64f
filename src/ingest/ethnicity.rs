//! A population by ethnic group, the denominator of stop and search's disproportionality: a CSV
//! `ethnicity,population` (e.g. the Census 2011 or 2021 usual residents of the area by the five
//! broad groups: White, Black, Asian, Mixed, Other). Thousands separators are fine; a group
//! twice, or a population that is not a positive number, is an error naming the line.

use std::path::Path;

use crate::error::{Error, Location, Result};

/// The groups and their populations, in the file's order.
pub fn read(path: &Path) -> Result<Vec<(String, f64)>> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::Usage(format!("{display}: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = super::read::csv_reader(text);
    let bad = |line: u64, message: String| Error::Row {
        at: Location::line(&display, line),
        message,
    };
    let mut out: Vec<(String, f64)> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| super::read::csv_error(&display, e))?;
        let line = i as u64 + 1;
        let (group, population) = (rec.get(0).unwrap_or("").trim(), rec.get(1).unwrap_or(""));
        if i == 0 {
            if !group.eq_ignore_ascii_case("ethnicity") {
                return Err(Error::Header {
                    at: Location::line(&display, 1),
                    message: "a population by ethnicity has the columns ethnicity,population"
                        .into(),
                });
            }
            continue;
        }
        let n = population.trim().replace(',', "").parse::<f64>().ok();
        let n = n
            .filter(|n| *n > 0.0 && n.is_finite())
            .ok_or_else(|| bad(line, format!("`{population}` is not a positive population")))?;
        if out.iter().any(|(g, _)| g.eq_ignore_ascii_case(group)) {
            return Err(bad(line, format!("the group `{group}` is listed twice")));
        }
        out.push((group.to_string(), n));
    }
    Ok(out)
}
