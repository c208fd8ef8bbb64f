//! Population tables, the denominators of rates (kind `population`), in one of three forms:
//!
//! - a simple table `area,period,population` (`1,954` with its thousands separator is fine);
//! - the ONS mid-year estimates by local authority (the MYE2 layout `Code,Name,Geography,All ages,
//!   0,1,...`): one population per named area (districts, counties, regions and countries alike,
//!   each under its own name; none is summed into another). No period column: the source says which
//!   period it serves, as for the LSOA form;
//! - the ONS mid-year estimates by LSOA (`LSOA Code,LSOA Name,...,All Ages`, UTF-8 with a BOM,
//!   quoted thousands), summed into each local authority by the LSOA name (`City of London 001A`
//!   belongs to `City of London`). The file has no period column: the source says which period the
//!   estimate is the denominator for (`period = "2017/18"`, conventionally mid-2017's estimate).
//!
//! Every row is counted into one area's population; a population of zero or less is an error.

use std::collections::BTreeMap;

use crate::error::{Error, Location, Result};
use crate::harmonise::{Period, label};
use crate::ingest::Source;
use crate::ingest::grid::{self, Grid, GridRow};
use crate::ingest::number;
use crate::model::place::LsoaPopulation;
use crate::model::{Denominator, InputFile, Value};

/// Loads a population table into denominators named after the source.
pub fn load(
    tables: grid::Tables,
    source: &Source,
    input: usize,
) -> Result<(Vec<Denominator>, Vec<LsoaPopulation>, InputFile)> {
    let mut sums: BTreeMap<(String, Option<Period>), f64> = BTreeMap::new();
    let mut lsoas: Vec<LsoaPopulation> = Vec::new();
    let mut rows = 0u64;
    for g in &tables.grids {
        let Some((header, body)) = g.rows.split_first() else {
            continue;
        };
        let cells = header.cells.iter().map(String::as_str);
        crate::ingest::read::distinct_columns(cells, &g.at(header.line))?;
        let form = Form::of(header, g, source)?;
        let mut first_line: BTreeMap<(String, Option<Period>), u64> = BTreeMap::new();
        for r in body.iter().filter(|r| !grid::is_blank(r)) {
            let (area, period, population, code) = form.row(r, g)?;
            if let Some(code) = code {
                lsoas.push(LsoaPopulation {
                    code,
                    period,
                    population,
                    input,
                });
            }
            let key = (area, period);
            if let (false, Some(&first)) = (form.sums_rows(), first_line.get(&key)) {
                return Err(given_twice(&key, first, g.at(r.line)));
            }
            first_line.entry(key.clone()).or_insert(r.line);
            *sums.entry(key).or_default() += population;
            rows += 1;
        }
    }
    if rows == 0 {
        return Err(crate::ingest::read::no_rows(&source.display));
    }
    let file = input_file(source, tables.digest, rows, &sums);
    let denominators = sums
        .into_iter()
        .map(|((area, period), population)| Denominator {
            name: source.name.clone(),
            area,
            period,
            population,
            source: source.display.clone(),
            input: Some(input),
        })
        .collect();
    Ok((denominators, lsoas, file))
}

/// The table's provenance, with the periods its populations serve.
fn input_file(
    source: &Source,
    digest: String,
    rows: u64,
    sums: &BTreeMap<(String, Option<Period>), f64>,
) -> InputFile {
    let mut periods: Vec<Period> = sums.keys().filter_map(|(_, p)| *p).collect();
    periods.dedup();
    crate::ingest::counted_file(source, digest, rows, periods)
}

/// Which form the table is in, with its column positions.
enum Form {
    Simple {
        area: usize,
        period: usize,
        population: usize,
    },
    Lsoa {
        name: usize,
        /// `LSOA Code`, when the table has it: each LSOA's own population, for rates by place.
        code: Option<usize>,
        population: usize,
        period: Option<Period>,
    },
    Authority {
        name: usize,
        population: usize,
        period: Option<Period>,
    },
}

impl Form {
    fn of(header: &GridRow, g: &Grid, source: &Source) -> Result<Form> {
        let names: Vec<String> = header.cells.iter().map(|c| label::match_key(c)).collect();
        let find = |n: &str| names.iter().position(|x| *x == label::match_key(n));
        let wanted = source
            .layout
            .as_ref()
            .and_then(|l| l.columns.population.clone());
        let population = |default: &str| find(wanted.as_deref().unwrap_or(default));
        let declared = source.layout.as_ref().and_then(|l| l.period);
        if let (Some(name), Some(pop)) = (find("LSOA Name"), population("All Ages")) {
            return Ok(Form::Lsoa {
                name,
                code: find("LSOA Code"),
                population: pop,
                period: declared,
            });
        }
        if let (Some(_), Some(name), Some(pop)) =
            (find("Code"), find("Name"), population("All Ages"))
        {
            return Ok(Form::Authority {
                name,
                population: pop,
                period: declared,
            });
        }
        if let (Some(area), Some(period), Some(pop)) =
            (find("area"), find("period"), population("population"))
        {
            return Ok(Form::Simple {
                area,
                period,
                population: pop,
            });
        }
        Err(Error::Header {
            at: g.at(header.line),
            message: format!(
                "not a population table: expected the columns `area,period,population`, the ONS estimates by local authority (`Code,Name,Geography,All ages,...`) or by LSOA (`LSOA Code,LSOA Name,...,All Ages`); found {}",
                header
                    .cells
                    .iter()
                    .map(|c| format!("`{}`", c.trim()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }

    /// Whether rows of one area are summed (LSOAs into their authority); else each area is given
    /// once.
    fn sums_rows(&self) -> bool {
        matches!(self, Form::Lsoa { .. })
    }

    /// The row's area, period, population and (by LSOA) its LSOA code.
    fn row(&self, r: &GridRow, g: &Grid) -> Result<(String, Option<Period>, f64, Option<String>)> {
        let at = g.at(r.line);
        let cell = |i: usize| r.cells.get(i).map_or("", String::as_str);
        match *self {
            Form::Simple {
                area,
                period,
                population,
            } => {
                let p: Period = cell(period).parse().map_err(|e| Error::Period {
                    at: format!("{at}: column `period`"),
                    message: format!("{e}"),
                })?;
                let n = positive(cell(population), "population", &at)?;
                Ok((label::tidy(cell(area)), Some(p), n, None))
            }
            Form::Lsoa {
                name,
                code,
                population,
                period,
            } => {
                let area = local_authority(cell(name)).ok_or_else(|| Error::Row {
                    at: at.clone(),
                    message: format!(
                        "column `LSOA Name`: `{}` is not an LSOA name such as `City of London 001A`",
                        cell(name)
                    ),
                })?;
                let n = positive(cell(population), "All Ages", &at)?;
                let code = code
                    .map(|i| cell(i).trim().to_string())
                    .filter(|c| !c.is_empty());
                Ok((area, period, n, code))
            }
            Form::Authority {
                name,
                population,
                period,
            } => {
                let n = positive(cell(population), "All ages", &at)?;
                Ok((label::tidy(cell(name)), period, n, None))
            }
        }
    }
}

/// A second row for an area and period in a table that gives each once.
fn given_twice(key: &(String, Option<Period>), first: u64, at: Location) -> Error {
    Error::Row {
        at,
        message: format!(
            "{} already has a population for {} (line {first}); give each area and period once",
            key.0,
            key.1.map_or_else(String::new, |p| p.to_string())
        ),
    }
}

/// `City of London 001A` -> `City of London`.
pub fn local_authority(lsoa_name: &str) -> Option<String> {
    let t = label::tidy(lsoa_name);
    let (la, code) = t.rsplit_once(' ')?;
    let code = code.as_bytes();
    let well_formed =
        code.len() == 4 && code[..3].iter().all(u8::is_ascii_digit) && code[3].is_ascii_uppercase();

    (well_formed && !la.is_empty()).then(|| la.to_string())
}

fn positive(raw: &str, column: &str, at: &Location) -> Result<f64> {
    match number::parse_count(raw) {
        Some(Value::Count(n)) if n > 0 => Ok(n as f64),
        Some(Value::Count(n)) => Err(Error::Row {
            at: at.clone(),
            message: format!(
                "column `{column}`: a population of {n} cannot be a denominator; correct the figure"
            ),
        }),
        _ => Err(Error::NotANumber {
            at: at.clone(),
            column: column.to_string(),
            value: raw.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ONS layout by local authority, as published (MYE2, mid-2017): every row its own area,
    /// quoted thousands, a repeated name refused with both lines.
    #[test]
    fn estimates_by_local_authority_give_each_named_area_its_population() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mye2.csv");
        let text = "Code,Name,Geography,All ages,0,1\n\
            K04000001,ENGLAND AND WALES,Country,\"58,744,595\",\"697,009\",\"711,203\"\n\
            E09000001,City of London,London Borough,\"7,654\",50,48\n\
            E07000110,Maidstone,Non-metropolitan District,\"169,955\",\"2,037\",\"2,079\"\n";
        std::fs::write(&path, text).unwrap();
        let source = Source::new(crate::ingest::SourceKind::Population, &path, "mye2.csv");
        let tables = grid::read(&source, None).unwrap();
        let (denominators, lsoas, _) = load(tables, &source, 0).unwrap();
        let got: Vec<(String, f64)> = denominators
            .iter()
            .map(|d| (d.area.clone(), d.population))
            .collect();
        let want = [
            ("City of London", 7654.0),
            ("ENGLAND AND WALES", 58_744_595.0),
            ("Maidstone", 169_955.0),
        ];
        assert_eq!(got.len(), 3);
        for (area, n) in want {
            assert!(got.contains(&(area.to_string(), n)), "{area} {n}: {got:?}");
        }
        assert!(lsoas.is_empty());
        std::fs::write(
            &path,
            format!("{text}E07000110,Maidstone,Non-metropolitan District,1,0,0\n"),
        )
        .unwrap();
        let err = load(grid::read(&source, None).unwrap(), &source, 0).unwrap_err();
        assert!(
            err.to_string().contains("already has a population")
                && err.to_string().contains("(line 4)"),
            "{err}"
        );
    }

    #[test]
    fn lsoa_names_give_their_local_authority() {
        assert_eq!(
            local_authority("City of London 001A").as_deref(),
            Some("City of London")
        );
        assert_eq!(
            local_authority("Kingston upon Thames 023E").as_deref(),
            Some("Kingston upon Thames")
        );
        assert_eq!(local_authority("City of London"), None);
        assert_eq!(local_authority("001A"), None);
        assert_eq!(local_authority("Dagenham 01Ԣ"), None);
    }
}
