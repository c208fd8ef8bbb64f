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

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ingest::police_uk::Selection;
use crate::ingest::police_uk::file::BadRows;

use crate::error::{Error, Result};
use crate::harmonise::{Month, Period};
use crate::outcomes::{RagRule, VerdictSettings};
use crate::stats::CompareSettings;

/// The kinds of source saferstats reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Summary,
    Tidy,
    /// A data.police.uk archive: a folder tree or a zip.
    PoliceUk,
    /// A Home Office police recorded crime open data table (CSV).
    HomeOffice,
}

const KINDS: &str = "summary, tidy, police-uk, home-office";

impl FromStr for SourceKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "summary" => Ok(SourceKind::Summary),
            "tidy" => Ok(SourceKind::Tidy),
            "police-uk" | "police.uk" | "policeuk" => Ok(SourceKind::PoliceUk),
            "home-office" | "homeoffice" => Ok(SourceKind::HomeOffice),
            other => Err(format!(
                "unknown source kind `{other}`; the kinds are {KINDS}"
            )),
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceKind::Summary => "summary",
            SourceKind::Tidy => "tidy",
            SourceKind::PoliceUk => "police-uk",
            SourceKind::HomeOffice => "home-office",
        })
    }
}

/// One input, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub name: String,
    pub kind: SourceKind,
    /// Where to read it.
    pub path: PathBuf,
    /// The path as the user wrote it, for messages and provenance.
    pub display: String,
    pub area: Option<String>,
    pub publisher: Option<String>,
    /// For archives: which forces and months to read, and how strictly.
    pub selection: Selection,
    /// The text encoding of CSV sources (UTF-8 unless declared).
    pub encoding: crate::ingest::read::Encoding,
}

/// The local-authority prefixes of LSOA names inside each force's own area, where known.
pub fn default_force_areas() -> BTreeMap<String, Vec<String>> {
    BTreeMap::from([(
        "city-of-london".to_string(),
        vec!["City of London".to_string()],
    )])
}

/// When findings turn a successful run into exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    /// Never: findings are reported, the exit code stays 0.
    #[default]
    Never,
    /// When any finding is an error.
    Error,
    /// When any finding is a warning or an error.
    Warning,
}

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
    /// The category taxonomy for the share-of-total chart: the file and its path as written.
    pub groups: Option<(PathBuf, String)>,
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
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReport {
    /// The category taxonomy (offence groups and subgroups) for the share-of-total chart.
    taxonomy: Option<String>,
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
    /// police-uk: LSOA-name prefixes inside each force's area, by slug (added to the defaults).
    #[serde(default)]
    force_areas: BTreeMap<String, Vec<String>>,
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
            groups: None,
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
            groups: raw.report.taxonomy.map(|g| (base.join(&g), g)),
        })
    }
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
