//! The config file as written: serde's view of the TOML, and its resolution into a typed
//! [`Config`], checking every value and naming the key that is wrong.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::source::{RawSource, resolve_source};
use super::{Config, DEFAULT_TITLE, FailOn, OutcomesConfig, TaxonomyConfig};
use crate::harmonise::taxonomy::Taxonomy;
use crate::harmonise::{Month, Period};
use crate::outcomes::{RagRule, VerdictSettings};
use crate::stats::CompareSettings;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    title: Option<String>,
    area: Option<String>,
    #[serde(default, rename = "source")]
    sources: Vec<RawSource>,
    #[serde(default)]
    compare: RawCompare,
    #[serde(default)]
    output: RawOutput,
    outcomes: Option<RawOutcomes>,
    #[serde(default)]
    report: RawReport,
    #[serde(default)]
    taxonomy: RawTaxonomy,
    #[serde(default, rename = "denominator")]
    denominators: Vec<RawDenominator>,
    #[serde(default)]
    peers: RawPeers,
    #[serde(default)]
    rates: RawRates,
    #[serde(default, rename = "boundaries")]
    boundaries: Vec<RawBoundaries>,
    #[serde(default, rename = "lookup")]
    lookups: Vec<RawLookup>,
}

/// A lookup from LSOAs to a larger geography (`[[lookup]]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLookup {
    /// The geography: `msoa`, `ward`...
    name: String,
    path: String,
    lsoa_column: String,
    code_column: String,
    name_column: String,
}

impl RawLookup {
    fn resolve(self, base: &Path) -> crate::model::place::LookupSpec {
        crate::model::place::LookupSpec {
            name: self.name,
            path: base.join(&self.path),
            display: self.path,
            lsoa_column: self.lsoa_column,
            code_column: self.code_column,
            name_column: self.name_column,
        }
    }
}

/// A boundary file for place analysis (`[[boundaries]]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBoundaries {
    /// What the places are: `lsoa`, `ward`, `borough`...
    name: String,
    path: String,
    code_column: String,
    name_column: String,
    geometry_column: Option<String>,
    /// `EPSG:27700` (British National Grid) or `EPSG:4326` (WGS84).
    crs: Option<String>,
}

impl RawBoundaries {
    fn resolve(self, i: usize, base: &Path) -> Result<crate::model::place::BoundarySpec, String> {
        let crs = self
            .crs
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e: String| format!("boundaries[{i}].crs: {e}"))?;
        Ok(crate::model::place::BoundarySpec {
            name: self.name,
            path: base.join(&self.path),
            display: self.path,
            code_column: self.code_column,
            name_column: self.name_column,
            geometry_column: self.geometry_column,
            crs,
        })
    }
}

/// The areas the chosen one is compared with.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPeers {
    #[serde(default)]
    areas: Vec<String>,
    /// The denominator the peers' rates are per (a name from [[denominator]] or a population source).
    denominator: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRates {
    /// Rates per this many people (1,000 by default).
    per: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    /// Replaces the shipped taxonomy.
    file: Option<String>,
    /// Files that extend it.
    #[serde(default)]
    extend: Vec<String>,
    /// `label = "canonical name"`.
    #[serde(default)]
    aliases: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReport {
    /// Draw the chart of each offence group's share of recorded crime.
    #[serde(default)]
    shares_chart: bool,
    /// The publication date, `YYYY-MM-DD`.
    published: Option<String>,
    contact: Option<String>,
    /// The analyst's narrative, relative to the config file.
    narrative: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcomes {
    framework: String,
    min_events: Option<i64>,
    activity_report: Option<String>,
    #[serde(default)]
    data_rag: RagRule,
}

/// A population the config gives directly, such as the workday population.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDenominator {
    name: String,
    area: String,
    period: Option<String>,
    population: f64,
    source: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCompare {
    from: Option<String>,
    to: Option<String>,
    alpha: Option<f64>,
    small_numbers: Option<i64>,
    /// `bh` (the default), `holm` or `none`.
    adjust: Option<crate::stats::dispersion::Adjust>,
    /// Compare partial years (labelled) instead of refusing.
    allow_partial: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    dir: Option<String>,
    /// Draw each chart as PNG beside its SVG.
    png: Option<bool>,
}

impl RawConfig {
    /// The `[taxonomy]` table, paths resolved, taken out to be read before the rest resolves.
    pub(super) fn take_taxonomy(&mut self, display: &str, base: &Path) -> TaxonomyConfig {
        std::mem::take(&mut self.taxonomy).resolve(display, base)
    }

    /// The typed config with its taxonomy, or what is wrong, in the order the keys are checked.
    pub(super) fn resolve(
        self,
        display: &str,
        base: &Path,
        taxonomy: Taxonomy,
    ) -> Result<Config, String> {
        let mut sources = Vec::new();
        for (i, s) in self.sources.into_iter().enumerate() {
            sources.push(resolve_source(s, i, base)?);
        }
        let settings = self.compare.settings()?;
        let boundaries = self
            .boundaries
            .into_iter()
            .enumerate()
            .map(|(i, b)| b.resolve(i, base))
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Config {
            boundaries,
            lookups: self.lookups.into_iter().map(|l| l.resolve(base)).collect(),
            file: Some(display.to_string()),
            title: self.title.unwrap_or_else(|| DEFAULT_TITLE.into()),
            area: self.area,
            sources,
            from: period("from", self.compare.from)?,
            to: period("to", self.compare.to)?,
            settings,
            out_dir: base.join(self.output.dir.unwrap_or_else(|| ".".into())),
            png: self.output.png,
            fail_on: FailOn::Never,
            quiet: false,
            outcomes: self
                .outcomes
                .map(|o| resolve_outcomes(o, base))
                .transpose()?,
            allow_partial: self.compare.allow_partial.unwrap_or(false),
            export_parquet: None,
            dump_context: None,
            taxonomy,
            shares_chart: self.report.shares_chart,
            published: published(self.report.published)?,
            contact: self.report.contact,
            narrative: self.report.narrative.map(|n| (base.join(&n), n)),
            denominators: self
                .denominators
                .into_iter()
                .enumerate()
                .map(|(i, d)| resolve_denominator(d, i))
                .collect::<Result<_, _>>()?,
            peers: self.peers.areas,
            peers_denominator: self.peers.denominator,
            per: self.rates.per()?,
        })
    }
}

/// `report.published`, checked to be a date.
fn published(v: Option<String>) -> Result<Option<String>, String> {
    v.map(|d| {
        chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .map(|_| d.clone())
            .map_err(|_| {
                format!("report.published: `{d}` is not a date as YYYY-MM-DD (e.g. 2018-10-01)")
            })
    })
    .transpose()
}

/// `compare.from` or `compare.to`, parsed.
fn period(key: &str, v: Option<String>) -> Result<Option<Period>, String> {
    v.map(|s| {
        s.parse::<Period>()
            .map_err(|e| format!("compare.{key}: {e}"))
    })
    .transpose()
}

impl RawCompare {
    /// The test's settings, defaults filled in and checked.
    fn settings(&self) -> Result<CompareSettings, String> {
        let defaults = CompareSettings::default();
        let settings = CompareSettings {
            alpha: self.alpha.unwrap_or(defaults.alpha),
            small_numbers: self.small_numbers.unwrap_or(defaults.small_numbers),
            adjust: self.adjust.unwrap_or(defaults.adjust),
        };
        settings.validate().map_err(|m| format!("compare: {m}"))?;
        Ok(settings)
    }
}

impl RawTaxonomy {
    /// Paths resolved against the config's folder; aliases declared in `display`.
    fn resolve(self, display: &str, base: &Path) -> TaxonomyConfig {
        TaxonomyConfig {
            file: self.file.map(|f| (base.join(&f), f)),
            extend: self
                .extend
                .into_iter()
                .map(|f| (base.join(&f), f))
                .collect(),
            aliases: self.aliases,
            declared_in: display.to_string(),
        }
    }
}

impl RawRates {
    /// Rates per this many people: 1,000 unless the config says otherwise.
    fn per(&self) -> Result<f64, String> {
        match self.per {
            None => Ok(1000.0),
            Some(p) if p > 0.0 && p.is_finite() => Ok(p),
            Some(p) => Err(format!("rates.per must be a positive number, not {p}")),
        }
    }
}

fn resolve_denominator(d: RawDenominator, i: usize) -> Result<crate::model::Denominator, String> {
    let at = |m: String| format!("denominator {} (`{}`): {m}", i + 1, d.name);
    if !(d.population > 0.0 && d.population.is_finite()) {
        return Err(at(format!(
            "population {} cannot be a denominator; give the number of people",
            d.population
        )));
    }
    let period = d
        .period
        .as_deref()
        .map(|p| p.parse::<Period>().map_err(|e| at(format!("period: {e}"))))
        .transpose()?;
    Ok(crate::model::Denominator {
        name: d.name.clone(),
        area: d.area.clone(),
        period,
        population: d.population,
        source: d.source.clone(),
        input: None,
    })
}

fn resolve_outcomes(raw: RawOutcomes, base: &Path) -> Result<OutcomesConfig, String> {
    let report = raw
        .activity_report
        .map(|d| {
            d.parse::<Month>()
                .map_err(|e| format!("outcomes.activity_report: {e}"))
        })
        .transpose()?;
    let min_events = raw
        .min_events
        .unwrap_or(VerdictSettings::default().min_events);
    if min_events < 0 {
        return Err(format!(
            "outcomes.min_events must be 0 or more, not {min_events}"
        ));
    }
    Ok(OutcomesConfig {
        framework: base.join(&raw.framework),
        display: raw.framework,
        verdicts: VerdictSettings { min_events },
        rule: raw.data_rag,
        report,
    })
}
