//! The ground: every type that crosses a stage boundary. The tidy model every source is turned
//! into (one [`Observation`] per figure, and one [`InputFile`] per file read, which is the
//! provenance each figure carries), periods, findings and what an archive yields by LSOA.
//!
//! Nothing here imports a stage; every stage may import it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub mod category;
pub mod finding;
pub mod justice;
pub mod period;
pub mod place;
pub mod police_uk;

pub use category::{Category, detail_area, label_key, same_name};
pub use finding::{Finding, Severity};
pub use period::{FinancialYear, Month, Period, PeriodError};
pub use police_uk::{ForceMonthQuality, LsoaCount, LsoaRecord};

/// The tool and version that produced an artefact.
pub const GENERATOR: &str = concat!("saferstats ", env!("CARGO_PKG_VERSION"));

/// The marker a figure withheld by disclosure control is published as.
pub const MARKER: &str = "[c]";

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A count of crimes or incidents.
    #[default]
    Count,
    /// A percentage (0 to 100).
    Percent,
    /// A rate per some population.
    Rate,
}

/// A figure as published.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Value {
    Count(i64),
    Measure(f64),
    /// Withheld by the publisher; the marker as written (`[x]`, `*`, `..`). Never a zero.
    Suppressed(String),
}

/// One figure: `value` of `category` in `area` over `period`, from input file number `input`
/// (an index into [`Dataset::inputs`]) at `line`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub input: usize,
    pub line: u64,
    pub area: String,
    pub category: Category,
    pub period: Period,
    pub value: Value,
    pub unit: Unit,
}

/// Where figures came from, and the reconciliation of that file: every data row read is either
/// counted or rejected. For a sensitive source whose rows are people (`withheld`), the row counts
/// are checked but published as `[c]` only, here and in every artefact.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFile {
    /// The source's name in the config (or its kind, for `--source`).
    pub source: String,
    pub kind: String,
    /// The path as the user gave it (relative to the config file for config sources).
    pub path: String,
    /// The file's content hash, named by its algorithm: `sha256:<hex>` for tables,
    /// `blake3:<hex>` for data.police.uk month-files (see `ingest::read::sha256_digest`).
    pub digest: String,
    /// Whether this run computed `digest` from the bytes or may have taken it by a record.
    pub digest_basis: DigestBasis,
    pub publisher: Option<String>,
    pub rows_read: u64,
    pub rows_counted: u64,
    pub rows_rejected: u64,
    /// The periods the file holds figures for, in order.
    pub periods: Vec<Period>,
    /// Every rejected row with its line and reason (`rows_rejected` of them).
    pub rejections: Vec<Rejection>,
    /// The row counts are disclosive (disclosure control): publish them as `[c]`.
    pub withheld: bool,
}

/// How a run knows a file's digest. It depends only on the kind of file and `--rehash`, never on
/// the cache, so that artefacts are byte-identical with or without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DigestBasis {
    /// Computed from the file's bytes in this run: every table, and month-files under `--rehash`.
    Computed,
    /// A zip entry's: the digest of the content its CRC-32 and size (recorded in the zip's
    /// directory) identify. Without `--rehash`, an entry the cache knows by that record is not
    /// decompressed, so a forged CRC-32 would keep the digest recorded for the older content.
    ZipRecord,
    /// A folder month-file's: the digest of the content its size, times and inode identify (the
    /// change time cannot be set back), taken from the cache when that record is known.
    FileRecord,
}

/// A row count as it may be published: the number, or `[c]` for a file whose row counts are
/// disclosive (see [`InputFile::withheld`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowCount {
    Shown(u64),
    Withheld,
}

impl Serialize for RowCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RowCount::Shown(n) => s.serialize_u64(*n),
            RowCount::Withheld => s.serialize_str(MARKER),
        }
    }
}

impl std::fmt::Display for RowCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowCount::Shown(n) => write!(f, "{n}"),
            RowCount::Withheld => f.write_str(MARKER),
        }
    }
}

impl InputFile {
    /// Rows read, counted and rejected as they may be published, in every artefact.
    pub fn published(&self) -> [RowCount; 3] {
        [self.rows_read, self.rows_counted, self.rows_rejected].map(|n| {
            if self.withheld {
                RowCount::Withheld
            } else {
                RowCount::Shown(n)
            }
        })
    }
}

impl Serialize for InputFile {
    /// As published: row counts are `[c]` for a withheld file.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("InputFile", 12)?;
        st.serialize_field("source", &self.source)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("digest", &self.digest)?;
        st.serialize_field("digest_basis", &self.digest_basis)?;
        st.serialize_field("publisher", &self.publisher)?;
        let [read, counted, rejected] = self.published();
        st.serialize_field("rows_read", &read)?;
        st.serialize_field("rows_counted", &counted)?;
        st.serialize_field("rows_rejected", &rejected)?;
        if self.withheld {
            st.serialize_field("withheld", &true)?;
        }
        st.serialize_field("periods", &self.periods)?;
        if !self.rejections.is_empty() {
            st.serialize_field("rejections", &self.rejections)?;
        }
        st.end()
    }
}

/// A partner dataset's figure (ASB incidents, referrals, survey results): kept apart from
/// recorded crime, never added into crime totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerFigure {
    /// The source's name in the config.
    pub source: String,
    pub input: usize,
    pub line: u64,
    pub area: String,
    pub measure: String,
    pub period: Period,
    pub value: Value,
    pub unit: Unit,
    /// What a reader must know about this figure (a partial period, a caveat from the file).
    pub note: Option<String>,
}

/// A population a rate can be computed per: residents from a population table, or a user's
/// denominator such as the workday population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Denominator {
    /// Its name (`residents`, `workday population`): what the report says a rate is per.
    pub name: String,
    pub area: String,
    /// The period it applies to; `None` applies to every period.
    pub period: Option<Period>,
    pub population: f64,
    /// Where the figure comes from.
    pub source: String,
    /// The input file, when it was read from one.
    pub input: Option<usize>,
}

/// A data row that was read but not counted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub line: u64,
    pub reason: String,
}

/// A change of definition: from `from`, the categories the taxonomy names `categories` are not the
/// series they were, and a comparison whose span crosses it cannot test them as one. `together`
/// names them as a whole where the whole is continuous (residential and non-residential burglary
/// together are Burglary), compared in their place.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesBreak {
    pub from: Month,
    /// Canonical names, as the taxonomy gives them.
    pub categories: Vec<String>,
    pub together: Option<String>,
    pub reason: String,
}

impl SeriesBreak {
    /// Whether the break falls inside the span from `first` to `last` (a series that starts at the
    /// break is not crossed by it).
    pub fn crosses(&self, first: Month, last: Month) -> bool {
        first < self.from && self.from <= last
    }

    /// Whether `category` is one of the series the break changed.
    pub fn changed(&self, category: &Category) -> bool {
        category
            .canonical()
            .is_some_and(|c| self.categories.iter().any(|b| same_name(b, c)))
    }
}

/// A category-month that a release most likely lacks: published as no rows (so counted 0) where
/// the series' other months average `mean` over `others` months. Treated as missing, never as 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub area: String,
    pub category: Category,
    pub month: Month,
    pub others: usize,
    pub mean: f64,
}

/// A row whose label the taxonomy does not know, in a file of many areas and periods: checked only
/// where it is used. Reading any figure of its area over a period holding it is the error it
/// carries (file, line and the closest labels); elsewhere it is a warning and a ledgered rejection.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    pub area: String,
    pub period: Period,
    /// Where the row is, and what is wrong with its label (with the closest known labels).
    pub at: crate::error::Location,
    pub message: String,
}

/// Everything read from the sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dataset {
    pub inputs: Vec<InputFile>,
    pub observations: Vec<Observation>,
    /// Months each area has monthly data for (a month present with no crimes is still covered).
    pub coverage: BTreeMap<String, BTreeSet<Month>>,
    /// Other names of an area (a force's slug for its `Falls within` name).
    pub aliases: BTreeMap<String, String>,
    /// Street counts by LSOA, for `counts --by lsoa`.
    pub lsoa: Vec<LsoaRecord>,
    /// Street counts by anonymised point, for `place` (kept only when asked).
    pub points: Vec<place::PointRecord>,
    /// Crimes by Crime ID and their outcomes, for `justice` (kept only when asked).
    #[serde(skip)]
    pub justice: justice::Justice,
    /// Each LSOA's population, from population tables by LSOA, for rates by place.
    pub lsoa_population: Vec<place::LsoaPopulation>,
    /// Data quality per force-month.
    pub quality: Vec<ForceMonthQuality>,
    /// What the loaders found that a reader must know.
    pub findings: Vec<Finding>,
    /// Partner datasets' figures, kept apart from recorded crime.
    pub partner: Vec<PartnerFigure>,
    /// Populations for rates.
    pub denominators: Vec<Denominator>,
    /// Changes of definition the taxonomy knows, applied by every comparison that crosses one.
    pub breaks: Vec<SeriesBreak>,
    /// Category-months missing from a release: no observation stands for them.
    pub gaps: Vec<Gap>,
    /// Areas whose figures were counted from the rows forces located in their LSOAs, with those
    /// forces.
    pub attributed: BTreeMap<String, Vec<String>>,
    /// LSOA codes to areas of another geography, from lookups given with archives.
    pub lsoa_areas: BTreeMap<String, String>,
    /// Rows whose labels match nothing, an error wherever they are used.
    #[serde(skip)]
    pub unresolved: Vec<Unresolved>,
}

/// The entries of `m` for the areas in `scope`.
fn keep<V: Clone>(m: &BTreeMap<String, V>, scope: &[String]) -> BTreeMap<String, V> {
    m.iter()
        .filter(|(a, _)| scope.contains(a))
        .map(|(a, v)| (a.clone(), v.clone()))
        .collect()
}

impl Dataset {
    /// The part of the dataset one area's evidence base reads, for a batch: the figures, gaps,
    /// coverage and unresolved rows of the areas in `scope` (the area and the forces its figures
    /// come from), the LSOA detail and points of `compared` alone; the inputs, findings,
    /// populations and every other dataset-wide field whole. Each area then costs what its own
    /// figures cost, not what the nation's do.
    pub fn view(&self, scope: &[String], compared: &str) -> Dataset {
        let Dataset {
            inputs,
            observations,
            coverage,
            aliases,
            lsoa,
            points,
            justice,
            lsoa_population,
            quality,
            findings,
            partner,
            denominators,
            breaks,
            gaps,
            attributed,
            lsoa_areas,
            unresolved,
        } = self;
        let within = |a: &str| scope.iter().any(|s| s == a);
        Dataset {
            inputs: inputs.clone(),
            observations: observations
                .iter()
                .filter(|o| within(&o.area))
                .cloned()
                .collect(),
            coverage: keep(coverage, scope),
            aliases: aliases.clone(),
            lsoa: lsoa
                .iter()
                .filter(|l| &*l.area == compared)
                .cloned()
                .collect(),
            points: points
                .iter()
                .filter(|p| &*p.area == compared)
                .cloned()
                .collect(),
            justice: justice.clone(),
            lsoa_population: lsoa_population.clone(),
            quality: quality.clone(),
            findings: findings.clone(),
            partner: partner.clone(),
            denominators: denominators.clone(),
            breaks: breaks.clone(),
            gaps: gaps.iter().filter(|g| within(&g.area)).cloned().collect(),
            attributed: keep(attributed, scope),
            lsoa_areas: lsoa_areas.clone(),
            unresolved: unresolved
                .iter()
                .filter(|u| within(&u.area))
                .cloned()
                .collect(),
        }
    }

    /// The distinct areas, in the order first seen (areas whose rows are all unresolved last).
    pub fn areas(&self) -> Vec<&str> {
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let named = self.observations.iter().map(|o| o.area.as_str());
        let all = named.chain(self.unresolved.iter().map(|u| u.area.as_str()));
        all.filter(|area| seen.insert(area)).collect()
    }

    /// An area's name and the other names it answers to (a force's name for its only CSP).
    pub fn names_of(&self, area: &str) -> Vec<String> {
        std::iter::once(area.to_string())
            .chain(
                self.aliases
                    .iter()
                    .filter(|(_, a)| a.as_str() == area)
                    .map(|(alias, _)| alias.clone()),
            )
            .collect()
    }

    /// Treats `gaps` as missing: their 0s are taken out, and the gaps kept for every stage after.
    pub fn mark_gaps(&mut self, gaps: Vec<Gap>) {
        let gap = |o: &Observation| {
            gaps.iter().any(|g| {
                o.period == Period::Month(g.month)
                    && o.area == g.area
                    && o.category.key() == g.category.key()
            })
        };
        self.observations.retain(|o| !gap(o));
        self.gaps.extend(gaps);
    }

    /// The gaps of `area` inside `period`.
    pub fn gaps_in(&self, area: &str, period: Period) -> impl Iterator<Item = &Gap> {
        self.gaps
            .iter()
            .filter(move |g| g.area == area && period.contains(g.month))
    }

    /// The distinct periods, in time order.
    pub fn periods(&self) -> Vec<Period> {
        let mut periods: Vec<Period> = self.observations.iter().map(|o| o.period).collect();
        periods.sort();
        periods.dedup();
        periods
    }
}
