//! Home Office police recorded crime open data tables, at community safety partnership or police
//! force area level, as CSV or as the published xlsx/ods workbooks (one sheet per year plus a Notes
//! sheet; sheets without a table are skipped and said so):
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

use crate::error::{Error, Location, Result};
use crate::harmonise::taxonomy::{Level, Resolved, Taxonomy};
use crate::harmonise::{FinancialYear, Period, label};
use crate::ingest::Source;
use crate::ingest::grid::{self, Grid, GridRow};
use crate::ingest::{Loaded, number};
use crate::model::{Category, InputFile, Observation, Unit, Unresolved, Value};
use crate::model::{Finding, Severity};

/// Column positions, by either naming.
struct Columns {
    year: usize,
    quarter: usize,
    force: usize,
    csp: Option<usize>,
    subgroup: usize,
    count: usize,
}

const HEADER_HINT: &str = "a Home Office table needs Financial Year, Financial Quarter, Force Name (or Police Force), Offence Subgroup and Number of Offences (or Offence Count)";

fn find_columns(header: &GridRow, at: Location) -> Result<Columns> {
    let names: Vec<String> = header.cells.iter().map(|c| label::match_key(c)).collect();
    let find = |options: &[&str]| {
        options
            .iter()
            .find_map(|o| names.iter().position(|n| *n == label::match_key(o)))
    };
    let need = |options: &[&str]| {
        find(options).ok_or_else(|| Error::Header {
            at: at.clone(),
            message: format!("no `{}` column; {HEADER_HINT}", options.join("` or `")),
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

/// Sums by (area, subgroup, quarter), with the first line of each.
type Sums = BTreeMap<(String, String, Period), (i64, u64)>;

/// What a Home Office table gives: figures, findings (negative adjustments, sheets without a
/// table) and area aliases (a force with one CSP answers to the force's name too).
pub type HomeOffice = (Loaded, Vec<Finding>, Vec<(String, String)>, Vec<Unresolved>);

/// Loads a Home Office table (CSV, or every sheet of an xlsx/xls/ods workbook that holds one),
/// read by [`grid::read`]. Offence subgroups are named as the taxonomy names them, so a renamed
/// subgroup stays one series.
pub fn load(
    tables: grid::Tables,
    source: &Source,
    input: usize,
    taxonomy: &Taxonomy,
) -> Result<HomeOffice> {
    let mut read = Read::default();
    for g in &tables.grids {
        let Some(h) = grid::header_row(g, &["Financial Year", "Financial Quarter"]) else {
            if g.sheet.is_none() || source.sheet.is_some() {
                return Err(Error::Header {
                    at: g.at(1),
                    message: format!(
                        "no header row with `Financial Year` and `Financial Quarter` in the first 20 rows; {HEADER_HINT}"
                    ),
                });
            }
            read.findings.push(skipped_sheet(g));
            continue;
        };
        read.add_grid(g, h, taxonomy)?;
    }
    if read.rows == 0 {
        return Err(crate::ingest::read::no_rows(&source.display));
    }
    read.finish(tables.digest, source, input)
}

/// What the grids of one table add up to so far.
#[derive(Default)]
struct Read {
    sums: Sums,
    rows: u64,
    negatives: u64,
    findings: Vec<Finding>,
    areas_of_force: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Offence groups listed where a subgroup is expected: (area, quarter, group) and where.
    groups: BTreeMap<(String, Period, String), crate::error::Location>,
    /// The (area, quarter, group) of every subgroup row.
    with_subgroups: std::collections::BTreeSet<(String, Period, String)>,
    /// Rows whose offence the taxonomy does not know: an error only where used.
    unresolved: Vec<Unresolved>,
}

impl Read {
    /// Sums the rows below the header row `h` of one grid.
    fn add_grid(&mut self, g: &Grid, h: usize, taxonomy: &Taxonomy) -> Result<()> {
        let at = g.at(g.rows[h].line);
        crate::ingest::read::distinct_columns(g.rows[h].cells.iter().map(String::as_str), &at)?;
        let cols = find_columns(&g.rows[h], at)?;
        for r in g.rows[h + 1..].iter().filter(|r| !grid::is_blank(r)) {
            let (key, n, offence) = match row(r, &cols, g, taxonomy)? {
                Ok(read) => read,
                Err(unknown) => {
                    self.rows += 1;
                    self.unresolved.push(unknown);
                    continue;
                }
            };
            let (area, period) = (key.0.clone(), key.2);
            match (offence.level, offence.group) {
                (Level::Group, _) => {
                    let at = g.at(r.line);
                    self.groups
                        .entry((area, period, offence.name))
                        .or_insert(at);
                }
                (_, Some(group)) => {
                    self.with_subgroups.insert((area, period, group));
                }
                _ => {}
            }
            let force = label::tidy(r.cells.get(cols.force).map_or("", String::as_str));
            self.areas_of_force
                .entry(force)
                .or_default()
                .insert(key.0.clone());
            self.rows += 1;
            self.negatives += u64::from(n < 0);
            let entry = self.sums.entry(key).or_insert((0, r.line));
            entry.0 += n;
        }
        Ok(())
    }

    /// A group listed where a subgroup is expected is counted as the group, with a note, when
    /// none of its subgroups is listed for the same area and quarter; beside them it would count
    /// twice, which is an error naming its line.
    fn groups_in_place_of_subgroups(&mut self, source: &Source) -> Result<()> {
        let mut noted: std::collections::BTreeSet<&str> = Default::default();
        for (key, at) in &self.groups {
            if self.with_subgroups.contains(key) {
                return Err(Error::Row {
                    at: at.clone(),
                    message: format!(
                        "column `Offence Subgroup`: `{}` is an offence group listed beside its own subgroups for {} in {}; it would be counted twice: list either the group or its subgroups",
                        key.2, key.0, key.1
                    ),
                });
            }
            noted.insert(&key.2);
        }
        for group in noted {
            self.findings.push(Finding {
                severity: Severity::Note,
                code: "group-as-subgroup",
                message: format!(
                    "{}: `{group}` is an offence group where a subgroup is expected; none of its subgroups is listed, so it is counted as the group",
                    source.display
                ),
            });
        }
        Ok(())
    }

    /// The table's figures, its findings and the areas its forces answer for.
    fn finish(mut self, digest: String, source: &Source, input: usize) -> Result<HomeOffice> {
        self.groups_in_place_of_subgroups(source)?;
        if self.negatives > 0 {
            self.findings.push(Finding {
                severity: Severity::Note,
                code: "negative-adjustments",
                message: format!(
                    "{}: {} rows are negative adjustments; they are kept and summed as published",
                    source.display, self.negatives
                ),
            });
        }
        let mut file = input_file(source, digest, self.rows, &self.sums);
        file.rows_rejected = self.unresolved.len() as u64;
        file.rows_counted = self.rows - file.rows_rejected;
        file.rejections = self
            .unresolved
            .iter()
            .map(crate::ingest::unresolved_rejection)
            .collect();
        self.findings
            .extend(crate::ingest::unresolved_findings(&self.unresolved));
        let observations = self
            .sums
            .into_iter()
            .map(|((area, category, period), (n, line))| Observation {
                input,
                line,
                area,
                category: Category::new(category.clone(), Some(category)),
                period,
                value: Value::Count(n),
                unit: Unit::Count,
            })
            .collect();
        let aliases = self
            .areas_of_force
            .into_iter()
            .filter(|(force, areas)| areas.len() == 1 && !areas.contains(force))
            .map(|(force, areas)| (force, areas.into_iter().next().expect("one area")))
            .collect();
        Ok((
            Loaded { file, observations },
            self.findings,
            aliases,
            self.unresolved,
        ))
    }
}

fn skipped_sheet(g: &Grid) -> Finding {
    Finding {
        severity: Severity::Note,
        code: "sheet-skipped",
        message: format!(
            "{}: holds no Home Office table (no `Financial Year` header in its first 20 rows), so it was not read; {} rows",
            g.whole(),
            g.rows.len()
        ),
    }
}

fn input_file(source: &Source, digest: String, rows: u64, sums: &Sums) -> InputFile {
    let mut periods: Vec<Period> = sums.keys().map(|(_, _, p)| *p).collect();
    periods.sort();
    periods.dedup();
    let mut file = crate::ingest::counted_file(source, digest, rows, periods);
    file.publisher = file
        .publisher
        .or_else(|| Some("Home Office police recorded crime open data tables".into()));
    file
}

/// A row's (area, offence, quarter), count and what its label names.
type Keyed = ((String, String, Period), i64, Resolved);

/// One row: its (area, offence, quarter), count and what the offence label names (a subgroup, or a
/// group listed in a subgroup's place).
fn row(
    r: &GridRow,
    cols: &Columns,
    g: &Grid,
    taxonomy: &Taxonomy,
) -> Result<std::result::Result<Keyed, Unresolved>> {
    let at = g.at(r.line);
    let cell = |i: usize| r.cells.get(i).map_or("", String::as_str);
    let year: FinancialYear = cell(cols.year).parse().map_err(|e| Error::Period {
        at: format!("{at}: column `Financial Year`"),
        message: format!("{e}"),
    })?;
    let quarter = match cell(cols.quarter).trim() {
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
        .map(|i| label::tidy(cell(i)))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| label::tidy(cell(cols.force)));
    let count = match number::parse_count(cell(cols.count)) {
        Some(Value::Count(n)) => n,
        _ => {
            return Err(Error::NotANumber {
                at: at.clone(),
                column: "Number of Offences".into(),
                value: cell(cols.count).to_string(),
            });
        }
    };
    let period = Period::FinancialQuarter(year, quarter);
    let offence = match taxonomy.resolve_at(cell(cols.subgroup), &at, "Offence Subgroup") {
        Ok(offence) => offence,
        Err(e) => return crate::ingest::unresolved(e, area, period).map(Err),
    };
    if offence.level == Level::Total {
        return Err(Error::Row {
            at,
            message: format!(
                "column `Offence Subgroup`: `{}` names the total `{}`, not a subgroup; a Home Office table lists subgroups",
                cell(cols.subgroup),
                offence.name
            ),
        });
    }
    Ok(Ok(((area, offence.name.clone(), period), count, offence)))
}
