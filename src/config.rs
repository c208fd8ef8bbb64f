//! The TOML config: which sources to read, which periods to compare, where outputs go.
//!
//! ```toml
//! title = "City of London: police recorded crime"
//!
//! [[source]]
//! name = "recorded-crime"
//! kind = "summary"                 # summary | tidy
//! path = "data/city-of-london/recorded-crime-2016-17-to-2017-18.csv"
//! area = "City of London"
//! publisher = "City of London Police Annual Report 2018"
//!
//! [compare]
//! from = "2016/17"
//! to = "2017/18"
//! alpha = 0.05                     # significance level; intervals are at 1 - alpha
//! small_numbers = 10               # a count at or below this gets a small-numbers note
//!
//! [output]
//! dir = "."                        # charts/ and reports/ are written below it
//!
//! [outcomes]                       # optional: assess a plan's outcomes
//! framework = "data/city-of-london/framework-2018-23.toml"
//! min_events = 10                  # fewer events in both periods together: not assessable
//! activity_report = "2018-09"      # which activity report to show; default the latest
//! [outcomes.data_rag]
//! red_min_events = 20              # red when an indicator with this many events worsens significantly
//! amber_on_wrong_way = true        # amber when one moves the wrong way without significance
//! amber_on_not_assessable = true   # amber when one cannot be assessed (context-only never counts)
//! ```
//!
//! Paths are relative to the config file's folder. The file is parsed once, here, into typed
//! values; command-line flags then override it (see [`crate::cli`]).

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use serde::Deserialize;

pub use crate::findings::FailOn;
use crate::ingest::police_uk::Selection;
use crate::ingest::police_uk::file::BadRows;
pub use crate::ingest::source::{Source, SourceKind, default_force_areas};

use crate::error::{Error, Result};
use crate::harmonise::{Month, Period};
use crate::outcomes::{RagRule, VerdictSettings};
use crate::stats::CompareSettings;

/// The whole run's settings, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The config file's name, if there was one (input paths are relative to its folder).
    pub file: Option<String>,
    pub title: String,
    pub area: Option<String>,
    pub sources: Vec<Source>,
    pub from: Option<Period>,
    pub to: Option<Period>,
    pub settings: CompareSettings,
    pub out_dir: PathBuf,
    pub fail_on: FailOn,
    pub quiet: bool,
    pub outcomes: Option<OutcomesConfig>,
    /// Compare a partial year (fewer months than the period holds) when asked, labelled as such.
    pub allow_partial: bool,
    /// Write archive aggregates as Hive-partitioned Parquet here.
    pub export_parquet: Option<PathBuf>,
    /// Write the report's view-model as JSON here (for debugging templates).
    pub dump_context: Option<PathBuf>,
    /// The category taxonomy: the shipped one unless the config names another, plus extensions.
    pub taxonomy: TaxonomyConfig,
    /// Draw the chart of each offence group's share of recorded crime.
    pub shares_chart: bool,
    /// Populations given in the config (the workday population, say).
    pub denominators: Vec<crate::model::Denominator>,
    /// Peer areas to compare the chosen area with.
    pub peers: Vec<String>,
    /// The denominator peers' rates are per.
    pub peers_denominator: Option<String>,
    /// Rates per this many people.
    pub per: f64,
}

/// Which taxonomy to use: a file in place of the shipped one, files that extend it, and aliases.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaxonomyConfig {
    /// Replaces the shipped taxonomy: the file and its path as written.
    pub file: Option<(PathBuf, String)>,
    /// Extend it (more subgroups, more aliases of existing ones).
    pub extend: Vec<(PathBuf, String)>,
    /// `label = "canonical name"`.
    pub aliases: BTreeMap<String, String>,
    /// The config that declared the aliases, for messages.
    pub declared_in: String,
}

impl TaxonomyConfig {
    /// The taxonomy this config describes, read and validated.
    pub fn load(&self) -> Result<crate::harmonise::taxonomy::Taxonomy> {
        use crate::harmonise::taxonomy::Taxonomy;
        let mut t = match &self.file {
            Some((path, display)) => Taxonomy::load(path, display)?,
            None => Taxonomy::shipped(),
        };
        for (path, display) in &self.extend {
            t.extend_with_file(path, display)?;
        }
        t.add_aliases(&self.aliases, &self.declared_in)?;
        Ok(t)
    }
}

/// The outcome framework to assess, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomesConfig {
    pub framework: PathBuf,
    /// The framework path as written, for messages and provenance.
    pub display: String,
    pub verdicts: VerdictSettings,
    pub rule: RagRule,
    /// The activity report to show (its date); the latest when `None`.
    pub report: Option<Month>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Option<String>,
    kind: String,
    path: String,
    area: Option<String>,
    publisher: Option<String>,
    /// police-uk: force slugs to read.
    #[serde(default)]
    forces: Vec<String>,
    /// police-uk: first and last month to read.
    from_month: Option<String>,
    to_month: Option<String>,
    /// police-uk: `fail` (default) or `reject` rows that cannot be counted.
    bad_rows: Option<String>,
    /// `utf-8` (default) or `windows-1252`.
    encoding: Option<String>,
    /// Workbooks: the sheet to read.
    sheet: Option<String>,
    /// partner: `values` (default) or `incidents`.
    rows: Option<crate::ingest::partner::RowKind>,
    /// partner: `count` (default), `percent` or `rate`.
    unit: Option<crate::model::Unit>,
    /// partner, population: which column holds what.
    columns: Option<crate::ingest::partner::Columns>,
    date_format: Option<String>,
    measure: Option<String>,
    total: Option<String>,
    publish_by: Option<crate::ingest::partner::Grain>,
    /// population (ONS LSOA estimates): the period the estimate is the denominator for.
    period: Option<String>,
    /// partner: disclosure control; `true` withholds counts of 1 to 4, a number sets the top.
    sensitive: Option<Sensitive>,
    /// police-uk: LSOA-name prefixes inside each force's area, by slug (added to the defaults).
    #[serde(default)]
    force_areas: BTreeMap<String, Vec<String>>,
}

/// `sensitive = true` or `sensitive = 9`.
#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
enum Sensitive {
    Flag(bool),
    Threshold(i64),
}

/// The layout keys of partner and population sources.
fn layout(
    raw: &RawSource,
    kind: SourceKind,
) -> Result<Option<crate::ingest::partner::Layout>, String> {
    use crate::ingest::partner::Layout;
    if !matches!(kind, SourceKind::Partner | SourceKind::Population) {
        let set = [
            ("rows", raw.rows.is_some()),
            ("unit", raw.unit.is_some()),
            ("columns", raw.columns.is_some()),
            ("date_format", raw.date_format.is_some()),
            ("measure", raw.measure.is_some()),
            ("total", raw.total.is_some()),
            ("publish_by", raw.publish_by.is_some()),
            ("period", raw.period.is_some()),
        ];
        return match set.iter().find(|(_, on)| *on) {
            Some((key, _)) => Err(format!(
                "`{key}` applies to partner and population sources only"
            )),
            None => Ok(None),
        };
    }
    let period = raw
        .period
        .as_deref()
        .map(|p| p.parse::<Period>().map_err(|e| format!("period: {e}")))
        .transpose()?;
    if let Some(f) = &raw.date_format {
        check_date_format(f)?;
    }
    Ok(Some(Layout {
        rows: raw.rows.unwrap_or_default(),
        unit: raw.unit.unwrap_or_default(),
        columns: raw.columns.clone().unwrap_or_default(),
        date_format: raw.date_format.clone(),
        measure: raw.measure.clone(),
        total: raw.total.clone(),
        publish_by: raw.publish_by.unwrap_or_default(),
        period,
    }))
}

/// A date format must name a day, month and year (chrono `%d`, `%m` or `%b`, `%Y`).
fn check_date_format(f: &str) -> Result<(), String> {
    let has = |any: &[&str]| any.iter().any(|p| f.contains(p));
    if has(&["%d", "%e"]) && has(&["%m", "%b", "%B"]) && has(&["%Y", "%y"]) {
        Ok(())
    } else {
        Err(format!(
            "date_format `{f}` must hold a day, month and year, e.g. \"%d/%m/%Y\" or \"%Y-%m-%d\""
        ))
    }
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
    /// Compare partial years (labelled) instead of refusing.
    allow_partial: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    dir: Option<String>,
}

/// The title used when the config gives none.
pub const DEFAULT_TITLE: &str = "Community safety evidence base";

impl Default for Config {
    fn default() -> Self {
        Config {
            file: None,
            title: DEFAULT_TITLE.into(),
            area: None,
            sources: Vec::new(),
            from: None,
            to: None,
            settings: CompareSettings::default(),
            out_dir: PathBuf::from("."),
            fail_on: FailOn::Never,
            quiet: false,
            outcomes: None,
            allow_partial: false,
            export_parquet: None,
            dump_context: None,
            taxonomy: TaxonomyConfig::default(),
            shares_chart: false,
            denominators: Vec::new(),
            peers: Vec::new(),
            peers_denominator: None,
            per: 1000.0,
        }
    }
}

impl Config {
    /// Reads and validates a config file.
    pub fn from_file(path: &Path) -> Result<Config> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: display.clone(),
            source: e,
        })?;
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut cfg = Config::from_toml(&text, &display, &base)?;
        // Provenance names the config by file name: input paths are relative to its folder.
        cfg.file = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(cfg)
    }

    /// Parses config text; `display` names the file in errors, `base` resolves relative paths.
    pub fn from_toml(text: &str, display: &str, base: &Path) -> Result<Config> {
        let err = |message: String| Error::Config {
            path: display.to_string(),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let mut sources = Vec::new();
        for (i, s) in raw.sources.into_iter().enumerate() {
            sources.push(resolve_source(s, i, base).map_err(err)?);
        }
        let period = |key: &str, v: Option<String>| {
            v.map(|s| {
                s.parse::<Period>()
                    .map_err(|e| err(format!("compare.{key}: {e}")))
            })
            .transpose()
        };
        let defaults = CompareSettings::default();
        let settings = CompareSettings {
            alpha: raw.compare.alpha.unwrap_or(defaults.alpha),
            small_numbers: raw.compare.small_numbers.unwrap_or(defaults.small_numbers),
        };
        settings
            .validate()
            .map_err(|m| err(format!("compare: {m}")))?;
        Ok(Config {
            file: Some(display.to_string()),
            title: raw.title.unwrap_or_else(|| DEFAULT_TITLE.into()),
            area: raw.area,
            sources,
            from: period("from", raw.compare.from)?,
            to: period("to", raw.compare.to)?,
            settings,
            out_dir: base.join(raw.output.dir.unwrap_or_else(|| ".".into())),
            fail_on: FailOn::Never,
            quiet: false,
            outcomes: raw
                .outcomes
                .map(|o| resolve_outcomes(o, base))
                .transpose()
                .map_err(err)?,
            allow_partial: raw.compare.allow_partial.unwrap_or(false),
            export_parquet: None,
            dump_context: None,
            taxonomy: TaxonomyConfig {
                file: raw.taxonomy.file.map(|f| (base.join(&f), f)),
                extend: raw
                    .taxonomy
                    .extend
                    .into_iter()
                    .map(|f| (base.join(&f), f))
                    .collect(),
                aliases: raw.taxonomy.aliases,
                declared_in: display.to_string(),
            },
            shares_chart: raw.report.shares_chart,
            denominators: raw
                .denominators
                .into_iter()
                .enumerate()
                .map(|(i, d)| resolve_denominator(d, i))
                .collect::<Result<_, _>>()
                .map_err(err)?,
            peers: raw.peers.areas,
            peers_denominator: raw.peers.denominator,
            per: match raw.rates.per {
                None => 1000.0,
                Some(p) if p > 0.0 && p.is_finite() => p,
                Some(p) => {
                    return Err(err(format!("rates.per must be a positive number, not {p}")));
                }
            },
        })
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

fn resolve_source(raw: RawSource, index: usize, base: &Path) -> Result<Source, String> {
    let kind: SourceKind = raw
        .kind
        .parse()
        .map_err(|e| format!("source {}: {e}", index + 1))?;
    if raw.path.trim().is_empty() {
        return Err(format!("source {}: `path` is empty", index + 1));
    }
    let at = |key: &str, e: String| format!("source {}: {key}: {e}", index + 1);
    let layout = layout(&raw, kind).map_err(|e| at("layout", e))?;
    let sensitive = match raw.sensitive {
        None | Some(Sensitive::Flag(false)) => None,
        Some(Sensitive::Flag(true)) => Some(crate::stats::disclosure::DEFAULT_THRESHOLD),
        Some(Sensitive::Threshold(n)) if n >= 1 => Some(n),
        Some(Sensitive::Threshold(n)) => {
            return Err(at(
                "sensitive",
                format!("{n} is not a threshold; give true or a count of 1 or more"),
            ));
        }
    };
    if sensitive.is_some() && kind != SourceKind::Partner {
        return Err(at(
            "sensitive",
            "disclosure control applies to partner datasets (kind = \"partner\")".into(),
        ));
    }
    let month = |key: &str, v: Option<String>| {
        v.map(|m| m.parse::<Month>().map_err(|e| at(key, e.to_string())))
            .transpose()
    };
    let bad_rows = match raw.bad_rows.as_deref() {
        None | Some("fail") => BadRows::Fail,
        Some("reject") => BadRows::Reject,
        Some(other) => return Err(at("bad_rows", format!("`{other}` is not fail or reject"))),
    };
    let mut force_areas = default_force_areas();
    force_areas.extend(raw.force_areas);
    let selection = Selection {
        forces: raw.forces,
        from: month("from_month", raw.from_month)?,
        to: month("to_month", raw.to_month)?,
        bad_rows,
        force_areas,
        progress: false,
        cache_dir: None,
        lsoa_detail: true,
        rehash: false,
    };
    let encoding = raw
        .encoding
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e| at("encoding", e))?
        .unwrap_or_default();
    Ok(Source {
        encoding,
        layout,
        sensitive,
        sheet: raw.sheet,
        name: raw.name.unwrap_or_else(|| kind.to_string()),
        kind,
        path: base.join(&raw.path),
        display: raw.path,
        area: raw.area,
        publisher: raw.publisher,
        selection,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_config_folder() {
        let text = "[[source]]\nkind = \"summary\"\npath = \"data/x.csv\"\n[compare]\nfrom = \"2016/17\"\n";
        let c = Config::from_toml(text, "conf/s.toml", Path::new("conf")).unwrap();
        assert_eq!(c.sources[0].path, Path::new("conf/data/x.csv"));
        assert_eq!(c.sources[0].display, "data/x.csv");
        assert_eq!(c.from.unwrap().to_string(), "2016/17");
        assert_eq!(c.settings, CompareSettings::default());
    }

    #[test]
    fn bad_configs_name_the_file_and_key() {
        let cases = [
            (
                "[compare]\nfrom = \"2016/16\"\n",
                "s.toml: compare.from: `2016/16`",
            ),
            (
                "[[source]]\nkind = \"excel\"\npath = \"x\"\n",
                "source 1: unknown source kind `excel`",
            ),
            (
                "[compare]\nalpha = 1.5\n",
                "compare: alpha must lie between 0 and 1",
            ),
            ("colour = \"red\"\n", "unknown field `colour`"),
        ];
        for (text, expected) in cases {
            let e = Config::from_toml(text, "s.toml", Path::new(""))
                .unwrap_err()
                .to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }
}
