//! Ingest: one file per source format, each turning a file into tidy [`Observation`]s and an
//! [`InputFile`] that records where they came from.
//!
//! | kind      | format                                                     | module      |
//! |-----------|------------------------------------------------------------|-------------|
//! | `summary` | wide table: category, then one column per period           | [`summary`] |
//! | `tidy`    | long table: `period,area,category,value[,unit]`            | [`tidy`]    |
//! | `police-uk` | data.police.uk archive (folder tree or zip)              | [`police_uk`] |
//! | `home-office` | Home Office recorded crime open data table (CSV, xlsx, ods) | [`home_office`] |
//! | `ons-pfa` | ONS police force area rolling-year file                   | [`ons`]      |
//! | `partner` | a partner dataset laid out in the config                   | [`partner`]  |
//! | `population` | population table: `area,period,population` or ONS LSOA estimates | [`population`] |
//! | `parquet` | monthly LSOA counts in `--export-parquet`'s Hive layout        | [`parquet`] |

pub mod boundaries;
pub mod disclosure;
pub mod ethnicity;
pub mod families;
pub mod grid;
pub mod home_office;
pub mod lookup;
pub mod number;
pub mod ons;
pub mod parquet;
pub mod partner;
pub mod points;
pub mod police_uk;
pub mod population;
pub mod read;
pub mod source;
pub mod summary;
pub mod tidy;

use std::collections::HashMap;

use crate::error::{Error, Location, Result};
use crate::harmonise::taxonomy::Taxonomy;
use crate::model::{Category, Dataset, InputFile, Observation, Unresolved, Value};
pub use source::{Source, SourceKind};

/// What one loader returns: the file's provenance and its figures.
pub struct Loaded {
    pub file: InputFile,
    pub observations: Vec<Observation>,
}

/// Loads every source, in order. The first bad file stops the run with its error.
pub fn load_all(sources: &[Source], taxonomy: &Taxonomy) -> Result<Dataset> {
    let mut data = Dataset::default();
    for source in sources {
        load_one(&mut data, source, taxonomy)?;
    }
    labels_fit(&data)?;
    name_categories(&mut data, taxonomy)?;
    data.breaks = taxonomy.breaks.clone();
    Ok(data)
}

/// Reads one source into `data`: its rows, its input file's record, and what it found.
fn load_one(data: &mut Dataset, source: &Source, taxonomy: &Taxonomy) -> Result<()> {
    let input = data.inputs.len();
    let loaded = match source.kind {
        SourceKind::Summary => summary::load(source, input)?,
        SourceKind::Tidy => tidy::load(source, input)?,
        SourceKind::HomeOffice => {
            let (loaded, findings, aliases, unresolved) =
                home_office::load(tables(source)?, source, input, taxonomy)?;
            data.findings.extend(findings);
            data.aliases.extend(aliases);
            data.unresolved.extend(unresolved);
            loaded
        }
        SourceKind::OnsPfa => {
            let (loaded, findings, unresolved) =
                ons::load(tables(source)?, source, input, taxonomy)?;
            data.findings.extend(findings);
            data.unresolved.extend(unresolved);
            loaded
        }
        SourceKind::PoliceUk if source.selection.justice_only && !source.path.exists() => {
            data.justice.absent.push(source.display.clone());
            return Ok(());
        }
        SourceKind::PoliceUk => return police_uk::load_into(data, source, &source.selection),
        SourceKind::Parquet => return parquet::load_into(data, source),
        SourceKind::Partner => {
            let (figures, file) = partner::load(tables(source)?, source, input)?;
            data.partner.extend(figures);
            data.inputs.push(file);
            return Ok(());
        }
        SourceKind::Points => {
            let (points, file) = points::load(source, input)?;
            data.points.extend(points);
            data.inputs.push(file);
            return Ok(());
        }
        SourceKind::Population => {
            let (denominators, lsoas, file) = population::load(tables(source)?, source, input)?;
            data.denominators.extend(denominators);
            data.lsoa_population.extend(lsoas);
            data.inputs.push(file);
            return Ok(());
        }
    };
    data.inputs.push(loaded.file);
    record_monthly_coverage(data, &loaded.observations);
    data.observations.extend(loaded.observations);
    Ok(())
}

/// The longest label (a category, measure or area name) read: far beyond any real one, and within
/// what a spreadsheet cell, a chart and a terminal table can hold.
pub const MAX_LABEL_CHARS: usize = 1_000;

/// Every label fits [`MAX_LABEL_CHARS`]; a longer one (a damaged file, a missing quote) is refused
/// at its file and line.
fn labels_fit(data: &Dataset) -> Result<()> {
    let observed = data.observations.iter().flat_map(|o| {
        [
            (o.input, o.line, o.category.as_str()),
            (o.input, o.line, o.area.as_str()),
        ]
    });
    let partner = data.partner.iter().flat_map(|f| {
        [
            (f.input, f.line, f.measure.as_str()),
            (f.input, f.line, f.area.as_str()),
        ]
    });
    for (input, line, label) in observed.chain(partner) {
        let n = label.chars().count();
        if n > MAX_LABEL_CHARS {
            return Err(Error::Row {
                at: Location::line(&data.inputs[input].path, line),
                message: format!(
                    "a label of {n} characters (`{}...`); labels are at most {MAX_LABEL_CHARS}: check the file for a missing quote or delimiter",
                    label.chars().take(40).collect::<String>()
                ),
            });
        }
    }
    Ok(())
}

/// Every category typed once, here: its label as published and, where the taxonomy knows the
/// label, the taxonomy's name for it (so later stages match aliases without reading labels). A
/// summary or tidy row named as a total (`Total`, `All crime`) would sit beside the total the
/// comparison computes, and is refused at its line.
fn name_categories(data: &mut Dataset, taxonomy: &Taxonomy) -> Result<()> {
    let mut typed = Typed::default();
    for o in &mut data.observations {
        let file = &data.inputs[o.input];
        if matches!(file.kind.as_str(), "summary" | "tidy")
            && taxonomy.is_total(o.category.as_str())
        {
            return Err(Error::Row {
                at: Location::line(&file.path, o.line),
                message: format!(
                    "category `{}` is a total of the other rows, which saferstats computes itself; remove the row, or rename it if it is a category of its own",
                    o.category
                ),
            });
        }
        if o.category.canonical().is_none() {
            o.category = typed.typed(taxonomy, &o.category);
        }
    }
    Ok(())
}

/// Each distinct label typed by the taxonomy once (a national archive repeats its 14 crime types
/// in some 120,000 observations).
#[derive(Default)]
struct Typed(HashMap<String, Category>);

impl Typed {
    fn typed(&mut self, taxonomy: &Taxonomy, category: &Category) -> Category {
        if let Some(done) = self.0.get(category.as_str()) {
            return done.clone();
        }
        let done = taxonomy.category(category.as_str());
        self.0.insert(category.as_str().to_owned(), done.clone());
        done
    }
}

/// A label the taxonomy does not know, in a row of `area` and `period`: kept as unresolved (an
/// error where it is used) when `e` is that cell's error; any other error stands.
pub(crate) fn unresolved(
    e: Error,
    area: String,
    period: crate::model::Period,
) -> Result<Unresolved> {
    match e {
        Error::Row { at, message } => Ok(Unresolved {
            area,
            period,
            at,
            message,
        }),
        other => Err(other),
    }
}

/// The ledger's line for an unresolved row.
pub(crate) fn unresolved_rejection(u: &Unresolved) -> crate::model::Rejection {
    crate::model::Rejection {
        line: u.at.line.unwrap_or(0),
        reason: format!(
            "{} (an error wherever {} in {} is used)",
            u.message, u.area, u.period
        ),
    }
}

/// One warning per unresolved row: not an error until its area and period are used.
pub(crate) fn unresolved_findings(unresolved: &[Unresolved]) -> Vec<crate::model::Finding> {
    unresolved
        .iter()
        .map(|u| crate::model::Finding {
            severity: crate::model::Severity::Warning,
            code: "unknown-label",
            message: format!(
                "{}: {}; {} in {} cannot be used until it is named (other areas and periods are unaffected)",
                u.at, u.message, u.area, u.period
            ),
        })
        .collect()
}

/// A source's tables: its CSV, or its workbook's sheets (only the one it names, if it does).
fn tables(source: &Source) -> Result<grid::Tables> {
    grid::read(source, source.sheet.as_deref())
}

/// The provenance of a file whose every data row was counted.
pub(crate) fn counted_file(
    source: &Source,
    digest: String,
    rows: u64,
    periods: Vec<crate::harmonise::Period>,
) -> InputFile {
    InputFile {
        source: source.name.clone(),
        kind: source.kind.to_string(),
        path: source.display.clone(),
        digest,
        digest_basis: crate::model::DigestBasis::Computed,
        publisher: source.publisher.clone(),
        rows_read: rows,
        rows_counted: rows,
        rows_rejected: 0,
        periods,
        rejections: Vec::new(),
        withheld: false,
    }
}

/// A tidy file's monthly figures cover their months: a month with a row for the area is present.
fn record_monthly_coverage(data: &mut Dataset, observations: &[Observation]) {
    for o in observations {
        if o.period.month_count() < 12 {
            data.coverage
                .entry(o.area.clone())
                .or_default()
                .extend(o.period.months());
        }
    }
}

/// Parses a count cell, refusing text and negative counts (a count of crimes is never negative in
/// these tables; sources with adjustments have their own loaders).
pub(crate) fn check_count(raw: &str, column: &str, at: &Location) -> Result<Value> {
    match number::parse_count(raw) {
        Some(Value::Count(n)) if n < 0 => Err(Error::NegativeCount {
            at: at.clone(),
            column: column.to_string(),
            value: n,
        }),
        Some(value) => Ok(value),
        None => Err(Error::NotANumber {
            at: at.clone(),
            column: column.to_string(),
            value: raw.to_string(),
        }),
    }
}
