//! Partner datasets declared in the config, with no code: ASB incidents, noise complaints, MARAC
//! and Channel referrals, accredited premises, survey results.
//!
//! ```toml
//! [[source]]
//! name = "resident-survey"
//! kind = "partner"
//! path = "data/city-of-london/partner/resident-survey.csv"
//! area = "City of London"        # when the file has no area column
//! rows = "values"                # values: each row a published figure; incidents: count the rows
//! unit = "percent"               # count | percent | rate (values only)
//! encoding = "windows-1252"      # utf-8 (default, BOM or not) | windows-1252
//! [source.columns]
//! period = "Year"                # or: date = "Date" with date_format = "%d/%m/%Y"
//! category = "Question"          # or a fixed `measure = "..."` on the source
//! value = "Percentage"
//! ```
//!
//! Thousands separators are read; suppression markers (`*`, `..`, `-`, `[x]`, `[c]`) become
//! "suppressed", never zero; a percentage outside 0 to 100 is an error. Incident rows are counted
//! by month and published by financial year (or `publish_by = "quarter" | "month"`); a year the
//! data covers only part of says so. A source marked `sensitive` goes through
//! [`crate::ingest::disclosure`] here, before any figure leaves the loader.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::harmonise::{Month, Period, label};
use crate::ingest::Source;
use crate::ingest::grid::{self, Grid, GridRow};
use crate::ingest::{check_count, number};
use crate::model::{InputFile, PartnerFigure, Unit, Value};

/// What each row of a partner file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    /// One incident per row: rows are counted.
    Incidents,
    /// One published figure per row.
    #[default]
    Values,
}

/// The period incident counts are published by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Grain {
    Month,
    Quarter,
    #[default]
    FinancialYear,
}

/// Which column holds what (names as in the header, matched ignoring case and spacing).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub period: Option<String>,
    pub date: Option<String>,
    pub category: Option<String>,
    pub area: Option<String>,
    pub value: Option<String>,
    /// A free-text note carried with the figure (e.g. what a partial period covers).
    pub note: Option<String>,
    /// Population tables: the population column (ONS: `All Ages`).
    pub population: Option<String>,
}

/// How a partner (or population) table is laid out; set on the source in the config.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub rows: RowKind,
    pub unit: Unit,
    pub columns: Columns,
    /// A chrono format such as `%d/%m/%Y`; ISO dates (`2017-04-30`) when unset.
    pub date_format: Option<String>,
    /// The category when the file has no category column.
    pub measure: Option<String>,
    /// The category that is the sum of the others (for secondary suppression).
    pub total: Option<String>,
    /// The area whose rows are the sum of the other areas' (for secondary suppression).
    pub area_total: Option<String>,
    pub publish_by: Grain,
    /// The period a table without a period column describes (population estimates).
    pub period: Option<Period>,
}

/// Resolved column positions.
struct Positions {
    period: Option<usize>,
    date: Option<usize>,
    category: Option<usize>,
    area: Option<usize>,
    value: Option<usize>,
    note: Option<usize>,
}

/// Loads a partner dataset: figures (after disclosure control, for sensitive sources) and the
/// file's ledger.
pub fn load(
    tables: grid::Tables,
    source: &Source,
    input: usize,
) -> Result<(Vec<PartnerFigure>, InputFile)> {
    let layout = source.layout.clone().unwrap_or_default();
    let mut figures = Vec::new();
    let mut rows = 0u64;
    for g in &tables.grids {
        let Some((header, body)) = g.rows.split_first() else {
            continue;
        };
        let cells = header.cells.iter().map(String::as_str);
        crate::ingest::read::distinct_columns(cells, &g.at(header.line))?;
        let pos = positions(&layout, header, g)?;
        for r in body.iter().filter(|r| !grid::is_blank(r)) {
            figures.push(figure(r, &pos, &layout, source, g, input)?);
            rows += 1;
        }
    }
    if rows == 0 {
        return Err(crate::ingest::read::no_rows(&source.display));
    }
    let mut figures = match layout.rows {
        RowKind::Values => check_unique(figures, source)?,
        RowKind::Incidents => count_incidents(figures, &layout, source),
    };
    if let Some(threshold) = source.sensitive {
        let totals = crate::ingest::disclosure::Totals {
            category: layout.total.as_deref(),
            area: layout.area_total.as_deref(),
        };
        crate::ingest::disclosure::apply(&mut figures, threshold, totals);
    }
    let mut periods: Vec<Period> = figures.iter().map(|f| f.period).collect();
    periods.sort();
    periods.dedup();
    let file = InputFile {
        // Incident rows of a sensitive source count people: their number is withheld too.
        withheld: source.sensitive.is_some() && layout.rows == RowKind::Incidents,
        ..crate::ingest::counted_file(source, tables.digest, rows, periods)
    };
    Ok((figures, file))
}

fn positions(layout: &Layout, header: &GridRow, g: &Grid) -> Result<Positions> {
    let names: Vec<String> = header.cells.iter().map(|c| label::match_key(c)).collect();
    let find = |key: &str, wanted: &Option<String>| -> Result<Option<usize>> {
        let Some(w) = wanted else { return Ok(None) };
        names
            .iter()
            .position(|n| *n == label::match_key(w))
            .map(Some)
            .ok_or_else(|| Error::Header {
                at: g.at(header.line),
                message: format!(
                    "columns.{key} = \"{w}\" names no column; the header holds {}. Correct [source.columns] in the config",
                    header.cells.iter().map(|c| format!("`{}`", c.trim())).collect::<Vec<_>>().join(", ")
                ),
            })
    };
    let c = &layout.columns;
    let pos = Positions {
        period: find("period", &c.period)?,
        date: find("date", &c.date)?,
        category: find("category", &c.category)?,
        area: find("area", &c.area)?,
        value: find("value", &c.value)?,
        note: find("note", &c.note)?,
    };
    let missing = |what: &str| Error::Header {
        at: g.whole(),
        message: format!("{what}; set it under [source.columns] in the config"),
    };
    if pos.period.is_none() && pos.date.is_none() && layout.period.is_none() {
        return Err(missing("no period: name a `period` or a `date` column"));
    }
    if pos.category.is_none() && layout.measure.is_none() {
        return Err(missing(
            "no category: name a `category` column, or set `measure` on the source",
        ));
    }
    if layout.rows == RowKind::Values && pos.value.is_none() {
        return Err(missing("rows = \"values\" needs a `value` column"));
    }
    Ok(pos)
}

fn figure(
    r: &GridRow,
    pos: &Positions,
    layout: &Layout,
    source: &Source,
    g: &Grid,
    input: usize,
) -> Result<PartnerFigure> {
    let at = g.at(r.line);
    let cell = |i: usize| r.cells.get(i).map_or("", String::as_str);
    let period = period_of(r, pos, layout, &at)?;
    let text = |i: Option<usize>, fixed: Option<&String>, what: &str| -> Result<String> {
        let t = i.map(|i| label::tidy(cell(i))).or_else(|| fixed.cloned());
        t.filter(|t| !t.is_empty()).ok_or_else(|| Error::Row {
            at: at.clone(),
            message: format!("the {what} is empty; every row needs one"),
        })
    };
    let area = text(pos.area, source.area.as_ref(), "area")?;
    let measure = text(pos.category, layout.measure.as_ref(), "category")?;
    let value = match (layout.rows, pos.value) {
        (RowKind::Values, Some(i)) => value_of(cell(i), layout.unit, &at, &layout.columns)?,
        _ => Value::Count(1),
    };
    Ok(PartnerFigure {
        source: source.name.clone(),
        input,
        line: r.line,
        area,
        measure,
        period,
        value,
        unit: layout.unit,
        note: pos
            .note
            .map(|i| label::tidy(cell(i)))
            .filter(|n| !n.is_empty()),
    })
}

fn period_of(r: &GridRow, pos: &Positions, layout: &Layout, at: &Location) -> Result<Period> {
    let cell = |i: usize| r.cells.get(i).map_or("", String::as_str);
    if let Some(i) = pos.period {
        let column = layout.columns.period.as_deref().unwrap_or("period");
        return cell(i).parse().map_err(|e| Error::Period {
            at: format!("{at}: column `{column}`"),
            message: format!("{e}"),
        });
    }
    if let Some(i) = pos.date {
        let month =
            parse_date(cell(i), layout.date_format.as_deref()).map_err(|m| Error::Period {
                at: format!(
                    "{at}: column `{}`",
                    layout.columns.date.as_deref().unwrap_or("date")
                ),
                message: m,
            })?;
        return Ok(Period::Month(month));
    }
    Ok(layout.period.expect("checked in positions"))
}

/// The month of a date written in `format` (ISO `%Y-%m-%d` when unset).
pub fn parse_date(raw: &str, format: Option<&str>) -> std::result::Result<Month, String> {
    let format = format.unwrap_or("%Y-%m-%d");
    let raw = raw.trim();
    // A spreadsheet date cell arrives as ISO text whatever the declared format.
    let date = chrono::NaiveDate::parse_from_str(raw, format)
        .or_else(|_| chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d"))
        .map_err(|_| {
            format!("`{raw}` is not a date in the format {format}; correct the cell or set `date_format` on the source (e.g. \"%d/%m/%Y\")")
        })?;
    use chrono::Datelike;
    Month::new(date.year(), date.month() as u8)
        .ok_or_else(|| format!("`{raw}`: the year {} is not plausible", date.year()))
}

fn value_of(raw: &str, unit: Unit, at: &Location, columns: &Columns) -> Result<Value> {
    let column = columns.value.as_deref().unwrap_or("value");
    let value = match unit {
        Unit::Count => check_count(raw, column, at)?,
        _ => number::parse_measure(raw).ok_or_else(|| Error::NotANumber {
            at: at.clone(),
            column: column.to_string(),
            value: raw.to_string(),
        })?,
    };
    if let (Unit::Percent, Value::Measure(x)) = (unit, &value)
        && !(0.0..=100.0).contains(x)
    {
        return Err(Error::Row {
            at: at.clone(),
            message: format!(
                "column `{column}`: {x} is not a percentage (0 to 100); if the file holds proportions (0 to 1) or counts, set `unit` on the source to match"
            ),
        });
    }
    Ok(value)
}

/// Values: one figure per (area, measure, period).
fn check_unique(figures: Vec<PartnerFigure>, source: &Source) -> Result<Vec<PartnerFigure>> {
    let mut seen: BTreeMap<(String, String, Period), u64> = BTreeMap::new();
    for f in &figures {
        let key = (
            label::match_key(&f.area),
            label::match_key(&f.measure),
            f.period,
        );
        if let Some(first_line) = seen.insert(key, f.line) {
            return Err(Error::DuplicateCategory {
                at: Location::line(&source.display, f.line),
                category: f.measure.clone(),
                first_line,
            });
        }
    }
    Ok(figures)
}

/// Incidents: counted by (area, measure) over each publication period; a period the data covers
/// only in part carries a note saying which months it has.
fn count_incidents(
    figures: Vec<PartnerFigure>,
    layout: &Layout,
    source: &Source,
) -> Vec<PartnerFigure> {
    let months: Vec<Month> = figures.iter().map(|f| f.period.first_month()).collect();
    let covered = coverage(source, &months);
    let mut sums: BTreeMap<(String, String, Period), PartnerFigure> = BTreeMap::new();
    for f in figures {
        let month = f.period.first_month();
        let period = match layout.publish_by {
            Grain::Month => Period::Month(month),
            Grain::Quarter => {
                Period::FinancialQuarter(month.financial_year(), month.financial_quarter())
            }
            Grain::FinancialYear => Period::FinancialYear(month.financial_year()),
        };
        let key = (f.area.clone(), f.measure.clone(), period);
        let entry = sums.entry(key).or_insert(PartnerFigure {
            period,
            value: Value::Count(0),
            note: None,
            ..f
        });
        if let Value::Count(n) = &mut entry.value {
            *n += 1;
        }
    }
    let mut out: Vec<PartnerFigure> = sums.into_values().collect();
    for f in &mut out {
        let have = f.period.months().filter(|m| covered.contains(m)).count();
        let of = f.period.month_count() as usize;
        if have < of {
            f.note = Some(format!(
                "partial: the data covers {have} of its {of} months"
            ));
        }
    }
    out
}

/// The months an incident file covers: declared (`from_month`, `to_month`) or first to last seen.
fn coverage(source: &Source, months: &[Month]) -> std::collections::BTreeSet<Month> {
    let first = source
        .selection
        .from
        .or_else(|| months.iter().min().copied());
    let last = source.selection.to.or_else(|| months.iter().max().copied());
    match (first, last) {
        (Some(a), Some(b)) => (0..=a.months_until(b)).map(|i| a.plus(i)).collect(),
        _ => Default::default(),
    }
}
