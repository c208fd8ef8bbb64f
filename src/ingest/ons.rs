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
//!
//! What the publisher published is kept and explained, never refused (the national file's real
//! quirks): a negative rolling total (net of reclassifications) is kept and reported; rows whose
//! `PFA` is a national fraud reporting body (`Action Fraud`, `CIFAS`, `UK Finance`) are national
//! fraud counts, said so; a period end is read by its month, and a day that is not the month's
//! last (`30-12-2017`) is noted; where both namings of a renamed offence are listed in one period
//! (domestic and residential burglary from 2017), a zero under the naming not in use is not data.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Location, Result};
use crate::harmonise::taxonomy::{Level, Resolved, Taxonomy};
use crate::harmonise::{Month, Period, label};
use crate::ingest::Loaded;
use crate::ingest::Source;
use crate::ingest::grid::{self, Grid};
use crate::model::{Category, Observation, Rejection, Unit, Unresolved, Value};
use crate::model::{Finding, Severity};

const COLUMNS: [&str; 3] = ["12 months ending", "PFA", "Offence"];
const COUNT: &str = "Rolling year total number of offences";

/// One row, read.
struct Row {
    line: u64,
    area: String,
    period: Period,
    offence: Resolved,
    /// The offence as the file names it.
    label: String,
    value: Value,
}

impl Row {
    fn count(&self) -> i64 {
        match self.value {
            Value::Count(n) => n,
            _ => 0,
        }
    }
}

/// The national fraud reporting bodies the file lists in its `PFA` column.
pub const FRAUD_BODIES: [&str; 3] = ["Action Fraud", "CIFAS", "UK Finance"];

/// Loads the rolling-year file (read by [`grid::read`]); mismatched totals are returned as
/// findings, and rows whose offence the taxonomy does not know as unresolved (an error only where
/// their area and period are used).
pub fn load(
    tables: grid::Tables,
    source: &Source,
    input: usize,
    taxonomy: &Taxonomy,
) -> Result<(Loaded, Vec<Finding>, Vec<Unresolved>)> {
    let (mut rows, mut findings, mut unresolved) = (Vec::new(), Vec::new(), Vec::new());
    for g in &tables.grids {
        let (read, notes, unknown) = read_grid(g, taxonomy)?;
        rows.extend(read);
        findings.extend(notes);
        unresolved.extend(unknown);
    }
    if rows.is_empty() && unresolved.is_empty() {
        return Err(crate::ingest::read::no_rows(&source.display));
    }
    let read = (rows.len() + unresolved.len()) as u64;
    findings.extend(crate::ingest::unresolved_findings(&unresolved));
    findings.extend(published_quirks(&rows, &source.display));
    let (rows, mut rejections) = one_naming(rows);
    rejections.extend(unresolved.iter().map(crate::ingest::unresolved_rejection));
    let (observations, mut counted_rejections, checks) = classify(rows, input, &source.display);
    rejections.append(&mut counted_rejections);
    rejections.sort_by_key(|r| r.line);
    findings.extend(checks);
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
    Ok((Loaded { file, observations }, findings, unresolved))
}

/// The grid's rows, a note for each period end that is not the last day of its month, and the rows
/// whose offence matches nothing.
fn read_grid(g: &Grid, taxonomy: &Taxonomy) -> Result<(Vec<Row>, Vec<Finding>, Vec<Unresolved>)> {
    let Some(h) = grid::header_row(g, &COLUMNS) else {
        return Err(Error::Header {
            at: g.at(g.rows.first().map_or(1, |r| r.line)),
            message: format!(
                "not the ONS rolling-year file: expected the columns `12 months ending,PFA,Region,Offence,{COUNT}`"
            ),
        });
    };
    let cells = g.rows[h].cells.iter().map(String::as_str);
    crate::ingest::read::distinct_columns(cells, &g.at(g.rows[h].line))?;
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
    let cols = [
        col(COLUMNS[0]).expect("in the header"),
        col(COLUMNS[1]).expect("in the header"),
        col(COLUMNS[2]).expect("in the header"),
        count,
    ];
    let (mut rows, mut ends, mut unresolved) = (Vec::new(), BTreeMap::new(), Vec::new());
    for r in g.rows[h + 1..].iter().filter(|r| !grid::is_blank(r)) {
        let (row, end) = match read_row(g, r, &cols, taxonomy)? {
            Ok(read) => read,
            Err(unknown) => {
                unresolved.push(unknown);
                continue;
            }
        };
        if let Some(raw) = end {
            ends.entry(raw).or_insert((r.line, row.period));
        }
        rows.push(row);
    }
    let notes = ends
        .into_iter()
        .map(|(raw, (line, period))| Finding {
            severity: Severity::Note,
            code: "period-end-day",
            message: format!(
                "{}: `{raw}` (first at line {line}) is not the last day of its month; read by its month, as {period}",
                g.at(line).file
            ),
        })
        .collect();
    Ok((rows, notes, unresolved))
}

/// One row: its cells by `cols` (period end, PFA, offence, count), and the period end as written
/// when its day is not the month's last; or, when the taxonomy knows no such offence, the row as
/// unresolved.
fn read_row(
    g: &Grid,
    r: &grid::GridRow,
    &[end, area, offence, count]: &[usize; 4],
    taxonomy: &Taxonomy,
) -> Result<std::result::Result<(Row, Option<String>), Unresolved>> {
    let at = g.at(r.line);
    let cell = |i: usize| r.cells.get(i).map_or("", String::as_str);
    let value =
        crate::ingest::number::parse_count(cell(count)).ok_or_else(|| Error::NotANumber {
            at: at.clone(),
            column: COUNT.into(),
            value: cell(count).trim().to_string(),
        })?;
    let (period, exact) = period_ending(cell(end), &at)?;
    let area = label::tidy(cell(area));
    let resolved = match taxonomy.resolve_at(cell(offence), &at, "Offence") {
        Ok(resolved) => resolved,
        Err(e) => return crate::ingest::unresolved(e, area, period).map(Err),
    };
    let row = Row {
        line: r.line,
        area,
        period,
        offence: resolved,
        label: label::tidy(cell(offence)),
        value,
    };
    Ok(Ok((row, (!exact).then(|| cell(end).trim().to_string()))))
}

/// `31-03-2018` -> 2017/18; `30-06-2018` -> 12 months ending 2018-06. A period end is read by its
/// month; the flag is false when its day is not the month's last (`30-12-2017`).
pub fn period_ending(raw: &str, at: &Location) -> Result<(Period, bool)> {
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
    let last_day = date.succ_opt().is_none_or(|d| d.month() != date.month());
    let month = Month::new(date.year(), date.month() as u8)
        .ok_or_else(|| bad("has an implausible year"))?;
    let period = if month.month() == 3 {
        Period::FinancialYear(month.financial_year())
    } else {
        Period::Rolling12(month)
    };
    Ok((period, last_day))
}

/// Findings on figures kept as published: each negative rolling total, and the national fraud
/// bodies listed as if they were forces.
fn published_quirks(rows: &[Row], file: &str) -> Vec<Finding> {
    let mut out: Vec<Finding> = rows
        .iter()
        .filter(|r| r.count() < 0)
        .map(|r| Finding {
            severity: Severity::Note,
            code: "negative-rolling-total",
            message: format!(
                "{file}:{}: {}, {}, {}: {} as published (a rolling total net of reclassifications); kept as published",
                r.line,
                r.area,
                r.label,
                r.period,
                r.count()
            ),
        })
        .collect();
    let bodies: BTreeSet<&str> = rows
        .iter()
        .filter_map(|r| {
            FRAUD_BODIES
                .iter()
                .find(|b| label::match_key(b) == label::match_key(&r.area))
        })
        .copied()
        .collect();
    if !bodies.is_empty() {
        let names: Vec<&str> = bodies.into_iter().collect();
        out.push(Finding {
            severity: Severity::Note,
            code: "national-fraud",
            message: format!(
                "{file}: {} are national fraud reporting bodies, not police force areas: their rows are national fraud counts, kept as their own series and in no force's figures",
                names.join(", ")
            ),
        });
    }
    out
}

/// Where two labels of one offence are listed for one area and period (both burglary namings
/// from 2017), keeps the naming in use: a zero under the other is not data (rejected, with the
/// reason); where both hold figures (a rolling year spanning the renaming) they are one count.
fn one_naming(rows: Vec<Row>) -> (Vec<Row>, Vec<Rejection>) {
    let mut by_offence: BTreeMap<(String, Period, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let key = (r.area.clone(), r.period, r.offence.name.clone());
        by_offence.entry(key).or_default().push(i);
    }
    let mut drop: BTreeMap<usize, String> = BTreeMap::new();
    for ((_, period, name), idx) in by_offence.iter().filter(|(_, idx)| idx.len() > 1) {
        let in_use: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| rows[i].count() != 0)
            .collect();
        let keep = in_use.first().copied().unwrap_or(idx[0]);
        for &i in idx.iter().filter(|&&i| i != keep && !in_use.contains(&i)) {
            let reason = format!(
                "a 0 under `{}`, the naming of {name} not in use in {period}: not data",
                rows[i].label
            );
            drop.insert(i, reason);
        }
    }
    let mut kept = Vec::new();
    let mut rejections = Vec::new();
    for (i, r) in rows.into_iter().enumerate() {
        match drop.remove(&i) {
            Some(reason) => rejections.push(Rejection {
                line: r.line,
                reason,
            }),
            None => kept.push(r),
        }
    }
    (kept, rejections)
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
    let mut counted = Counter::default();
    let (mut rejections, mut checks) = (Vec::new(), Vec::new());
    for r in rows {
        let group = r.offence.group.clone().unwrap_or_default();
        let is_counted = match r.offence.level {
            Level::Subgroup => true,
            Level::Group => !detailed.contains(&(r.area.clone(), r.period, group.clone())),
            Level::Total => false,
        };
        if is_counted {
            *sums.entry((r.area.clone(), r.period, group)).or_default() += r.count();
            counted.add(r, input);
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
    let mut findings = counted.merged_notes(file);
    findings.extend(check_sums(&checks, &sums, file));
    (counted.observations, rejections, findings)
}

/// Counted rows as observations, one per area, period and offence: two namings of one offence
/// that both hold figures (a rolling year spanning the renaming) are one count.
#[derive(Default)]
struct Counter {
    observations: Vec<Observation>,
    /// Each observation's place, and the label its first row gave.
    index: BTreeMap<(String, Period, String), (usize, String)>,
    /// (line, the offence's name, the labels counted together) for each merge.
    merged: Vec<(u64, String, Vec<String>)>,
}

impl Counter {
    fn add(&mut self, r: Row, input: usize) {
        let key = (r.area.clone(), r.period, r.offence.name.clone());
        if let Some((i, first)) = self.index.get(&key) {
            let o = &mut self.observations[*i];
            if let (Value::Count(total), Value::Count(n)) = (&mut o.value, &r.value) {
                *total += n;
            }
            let labels = vec![first.clone(), r.label];
            self.merged.push((r.line, r.offence.name, labels));
            return;
        }
        self.index
            .insert(key, (self.observations.len(), r.label.clone()));
        self.observations.push(Observation {
            input,
            line: r.line,
            area: r.area,
            category: Category::new(r.offence.name.clone(), Some(r.offence.name)),
            period: r.period,
            value: r.value,
            unit: Unit::Count,
        });
    }

    fn merged_notes(&self, file: &str) -> Vec<Finding> {
        self.merged
            .iter()
            .map(|(line, name, labels)| Finding {
                severity: Severity::Note,
                code: "namings-counted-together",
                message: format!(
                    "{file}:{line}: `{}` both hold figures for one period (a rolling year spanning the renaming): counted together as {name}",
                    labels.join("`, `")
                ),
            })
            .collect()
    }
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
            (covered != r.count()).then(|| Finding {
                severity: Severity::Note,
                code: "aggregate-differs",
                message: format!(
                    "{file}:{}: {} {} in {} is {} but the rows counted under it sum to {covered}{}",
                    r.line,
                    r.offence.level,
                    r.offence.name,
                    r.area,
                    r.count(),
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
