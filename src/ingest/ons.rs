//! The ONS police force area rolling-year file (kind `ons-pfa`):
//!
//! ```text
//! 12 months ending,PFA,Region,Offence,Rolling year total number of offences
//! 31-03-2018,City of London,London,Violence with injury,384
//! ```
//!
//! The year ending 31 March is the financial year (31-03-2018 is 2017/18); any other month end is
//! a rolling 12-month period. Offences are named as the taxonomy names them. The file lists
//! subgroups beside the groups and totals they add up to: subgroups are counted; a group whose
//! subgroups are listed is checked against them and not counted twice; a group listed without its
//! subgroups is counted as itself; totals are checked against the counted rows. Rows not counted
//! are in the ledger with the reason.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Location, Result};
use crate::harmonise::taxonomy::{Level, Resolved, Taxonomy};
use crate::harmonise::{Month, Period, label};
use crate::ingest::Source;
use crate::ingest::grid::{self, Grid};
use crate::ingest::{Loaded, check_count};
use crate::model::{Category, Observation, Rejection, Unit, Value};
use crate::model::{Finding, Severity};

const COLUMNS: [&str; 3] = ["12 months ending", "PFA", "Offence"];
const COUNT: &str = "Rolling year total number of offences";

/// One row, read.
struct Row {
    line: u64,
    area: String,
    period: Period,
    offence: Resolved,
    count: i64,
}

/// Loads the rolling-year file (read by [`grid::read`]); mismatched totals are returned as
/// findings.
pub fn load(
    tables: grid::Tables,
    source: &Source,
    input: usize,
    taxonomy: &Taxonomy,
) -> Result<(Loaded, Vec<Finding>)> {
    let mut rows = Vec::new();
    for g in &tables.grids {
        rows.extend(read_grid(g, taxonomy)?);
    }
    if rows.is_empty() {
        return Err(crate::ingest::read::no_rows(&source.display));
    }
    let read = rows.len() as u64;
    let (observations, rejections, findings) = classify(rows, input, &source.display);
    let mut periods: Vec<Period> = observations.iter().map(|o| o.period).collect();
    periods.sort();
    periods.dedup();
    let mut file = crate::ingest::counted_file(source, tables.digest, read, periods);
    file.publisher = file.publisher.or_else(|| {
        Some("Office for National Statistics, police recorded crime by police force area (rolling year)".into())
    });
    file.rows_rejected = rejections.len() as u64;
    file.rows_counted = read - file.rows_rejected;
    file.rejections = rejections;
    Ok((Loaded { file, observations }, findings))
}

fn read_grid(g: &Grid, taxonomy: &Taxonomy) -> Result<Vec<Row>> {
    let Some(h) = grid::header_row(g, &COLUMNS) else {
        return Err(Error::Header {
            at: g.at(g.rows.first().map_or(1, |r| r.line)),
            message: format!(
                "not the ONS rolling-year file: expected the columns `12 months ending,PFA,Region,Offence,{COUNT}`"
            ),
        });
    };
    let names: Vec<String> = g.rows[h]
        .cells
        .iter()
        .map(|c| label::match_key(c))
        .collect();
    let col = |n: &str| names.iter().position(|x| *x == label::match_key(n));
    let count = col(COUNT)
        .or_else(|| names.iter().position(|x| x.contains("number of offences")))
        .ok_or_else(|| Error::Header {
            at: g.at(g.rows[h].line),
            message: format!("no `{COUNT}` column"),
        })?;
    let (end, area, offence) = (
        col(COLUMNS[0]).expect("in the header"),
        col(COLUMNS[1]).expect("in the header"),
        col(COLUMNS[2]).expect("in the header"),
    );
    g.rows[h + 1..]
        .iter()
        .filter(|r| !grid::is_blank(r))
        .map(|r| {
            let at = g.at(r.line);
            let cell = |i: usize| r.cells.get(i).map_or("", String::as_str);
            let count = match check_count(cell(count), COUNT, &at)? {
                Value::Count(n) => n,
                _ => {
                    return Err(Error::Row {
                        at,
                        message: format!("column `{COUNT}`: a suppressed figure cannot be compared; supply the count"),
                    });
                }
            };
            Ok(Row {
                line: r.line,
                area: label::tidy(cell(area)),
                period: period_ending(cell(end), &at)?,
                offence: taxonomy.resolve_at(cell(offence), &at, "Offence")?,
                count,
            })
        })
        .collect()
}

/// `31-03-2018` -> 2017/18; `30-06-2018` -> 12 months ending 2018-06. The day must end its month.
pub fn period_ending(raw: &str, at: &Location) -> Result<Period> {
    let bad = |why: &str| Error::Period {
        at: format!("{at}: column `12 months ending`"),
        message: format!(
            "`{}` {why}; write the last day of the period's final month, e.g. 31-03-2018",
            raw.trim()
        ),
    };
    let date = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(raw.trim(), f).ok())
        .ok_or_else(|| bad("is not a date"))?;
    use chrono::Datelike;
    if date.succ_opt().is_some_and(|d| d.month() == date.month()) {
        return Err(bad("is not the last day of a month"));
    }
    let month = Month::new(date.year(), date.month() as u8)
        .ok_or_else(|| bad("has an implausible year"))?;
    Ok(if month.month() == 3 {
        Period::FinancialYear(month.financial_year())
    } else {
        Period::Rolling12(month)
    })
}

type Counted = (Vec<Observation>, Vec<Rejection>, Vec<Finding>);

/// Splits rows into counted categories and (with reasons) aggregates that are only checked.
fn classify(rows: Vec<Row>, input: usize, file: &str) -> Counted {
    // Groups whose subgroups are listed, per area and period.
    let detailed: BTreeSet<(String, Period, String)> = rows
        .iter()
        .filter(|r| r.offence.level == Level::Subgroup)
        .filter_map(|r| Some((r.area.clone(), r.period, r.offence.group.clone()?)))
        .collect();
    let mut sums: BTreeMap<(String, Period, String), i64> = BTreeMap::new();
    let (mut observations, mut rejections, mut checks) = (Vec::new(), Vec::new(), Vec::new());
    for r in rows {
        let group = r.offence.group.clone().unwrap_or_default();
        let counted = match r.offence.level {
            Level::Subgroup => true,
            Level::Group => !detailed.contains(&(r.area.clone(), r.period, group.clone())),
            Level::Total => false,
        };
        if counted {
            *sums.entry((r.area.clone(), r.period, group)).or_default() += r.count;
            observations.push(Observation {
                input,
                line: r.line,
                area: r.area,
                category: Category::new(r.offence.name.clone(), Some(r.offence.name)),
                period: r.period,
                value: Value::Count(r.count),
                unit: Unit::Count,
            });
        } else {
            rejections.push(Rejection {
                line: r.line,
                reason: format!(
                    "the {} `{}`: a sum of rows counted on their own, checked against them and not counted twice",
                    r.offence.level, r.offence.name
                ),
            });
            checks.push(r);
        }
    }
    let findings = check_sums(&checks, &sums, file);
    (observations, rejections, findings)
}

/// Compares each group and total row with the sum of the counted rows it covers.
fn check_sums(
    checks: &[Row],
    sums: &BTreeMap<(String, Period, String), i64>,
    file: &str,
) -> Vec<Finding> {
    checks
        .iter()
        .filter_map(|r| {
            let covered = sums
                .iter()
                .filter(|((a, p, g), _)| {
                    *a == r.area
                        && *p == r.period
                        && r.offence.group.as_ref().is_none_or(|want| want == g)
                        && !r.offence.excludes.contains(g)
                })
                .map(|(_, n)| n)
                .sum::<i64>();
            (covered != r.count).then(|| Finding {
                severity: Severity::Note,
                code: "aggregate-differs",
                message: format!(
                    "{file}:{}: {} {} in {} is {} but the rows counted under it sum to {covered}{}",
                    r.line,
                    r.offence.level,
                    r.offence.name,
                    r.area,
                    r.count,
                    if r.offence.level == Level::Total {
                        " (a total may include offences the file does not list)"
                    } else {
                        ""
                    }
                ),
            })
        })
        .collect()
}
