//! Home Office police recorded crime open data tables (CSV form), at community safety partnership
//! or police force area level:
//!
//! ```text
//! Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences
//! 2017/18,1,City of London,"London, City of",Burglary - residential,Theft offences,Residential burglary,28,4
//! ```
//!
//! Newer releases say `Police Force` and `Offence Count`: both namings are accepted. Rows are summed
//! by area (the CSP, else the force), offence subgroup and financial quarter; quarters roll up to
//! financial years only when all four are there. Negative counts are adjustments: kept, and reported.

use std::collections::BTreeMap;

use crate::config::Source;
use crate::error::{Error, Location, Result};
use crate::findings::{Finding, Severity};
use crate::harmonise::{FinancialYear, Period, label};
use crate::ingest::{Loaded, number, read};
use crate::model::{InputFile, Observation, Unit, Value};

/// Column positions, by either naming.
struct Columns {
    year: usize,
    quarter: usize,
    force: usize,
    csp: Option<usize>,
    subgroup: usize,
    count: usize,
}

fn find_columns(header: &csv::StringRecord, file: &str) -> Result<Columns> {
    let names: Vec<String> = header.iter().map(label::match_key).collect();
    let find = |options: &[&str]| {
        options
            .iter()
            .find_map(|o| names.iter().position(|n| *n == label::match_key(o)))
    };
    let need = |options: &[&str]| {
        find(options).ok_or_else(|| Error::Header {
            at: Location::line(file, 1),
            message: format!(
                "no `{}` column; a Home Office table needs Financial Year, Financial Quarter, Force Name (or Police Force), Offence Subgroup and Number of Offences (or Offence Count)",
                options.join("` or `")
            ),
        })
    };
    Ok(Columns {
        year: need(&["Financial Year"])?,
        quarter: need(&["Financial Quarter"])?,
        force: need(&["Force Name", "Police Force"])?,
        csp: find(&["CSP Name"]),
        subgroup: need(&["Offence Subgroup"])?,
        count: need(&["Number of Offences", "Offence Count"])?,
    })
}

/// Loads a Home Office CSV; negative adjustments are returned as a finding.
pub fn load(source: &Source, input: usize) -> Result<(Loaded, Option<Finding>)> {
    let table = read::read_table(source)?;
    let mut reader = read::csv_reader(&table.text);
    let mut records = reader.records();
    let header = read::header(&mut records, &table.display)?;
    let cols = find_columns(&header, &table.display)?;
    let mut sums: BTreeMap<(String, String, Period), (i64, u64)> = BTreeMap::new();
    let (mut rows, mut negatives) = (0u64, 0u64);
    for record in records {
        let record = record.map_err(|e| read::csv_error(&table.display, e))?;
        let line = read::line_of_record(&record);
        let at = Location::line(&table.display, line);
        let (key, n) = row(&record, &cols, &at)?;
        rows += 1;
        negatives += u64::from(n < 0);
        let entry = sums.entry(key).or_insert((0, line));
        entry.0 += n;
    }
    if rows == 0 {
        return Err(read::no_rows(&table.display));
    }
    let observations: Vec<Observation> = sums
        .into_iter()
        .map(|((area, category, period), (n, line))| Observation {
            input,
            line,
            area,
            category,
            period,
            value: Value::Count(n),
            unit: Unit::Count,
        })
        .collect();
    let mut periods: Vec<Period> = observations.iter().map(|o| o.period).collect();
    periods.sort();
    periods.dedup();
    let finding = (negatives > 0).then(|| Finding {
        severity: Severity::Note,
        code: "negative-adjustments",
        message: format!(
            "{}: {negatives} rows are negative adjustments; they are kept and summed as published",
            table.display
        ),
    });
    let file = InputFile {
        source: source.name.clone(),
        kind: source.kind.to_string(),
        path: table.display,
        sha256: table.sha256,
        publisher: source
            .publisher
            .clone()
            .or_else(|| Some("Home Office police recorded crime open data tables".into())),
        rows_read: rows,
        rows_counted: rows,
        rows_rejected: 0,
        periods,
        rejections: Vec::new(),
    };
    Ok((Loaded { file, observations }, finding))
}

/// One row's key (area, subgroup, quarter) and count.
fn row(
    r: &csv::StringRecord,
    cols: &Columns,
    at: &Location,
) -> Result<((String, String, Period), i64)> {
    let year: FinancialYear = r[cols.year].parse().map_err(|e| Error::Period {
        at: format!("{at}: column `Financial Year`"),
        message: format!("{e}"),
    })?;
    let quarter = match r[cols.quarter].trim() {
        q @ ("1" | "2" | "3" | "4") => q.parse::<u8>().expect("a digit 1 to 4"),
        other => {
            return Err(Error::Period {
                at: format!("{at}: column `Financial Quarter`"),
                message: format!(
                    "`{other}` is not a financial quarter; write 1 to 4 (1 = April to June)"
                ),
            });
        }
    };
    let area = cols
        .csp
        .map(|i| label::tidy(&r[i]))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| label::tidy(&r[cols.force]));
    let count = match number::parse_count(&r[cols.count]) {
        Some(Value::Count(n)) => n,
        _ => {
            return Err(Error::NotANumber {
                at: at.clone(),
                column: "Number of Offences".into(),
                value: r[cols.count].to_string(),
            });
        }
    };
    Ok((
        (
            area,
            label::tidy(&r[cols.subgroup]),
            Period::FinancialQuarter(year, quarter),
        ),
        count,
    ))
}
