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

mod raw;
mod source;

pub use crate::findings::FailOn;
pub use crate::ingest::source::{Source, SourceKind, default_force_areas};

use crate::error::{Error, Result};
use crate::harmonise::taxonomy::Taxonomy;
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
    /// Draw charts as PNG beside SVG (`[output] png`, `run --png`); unset: as [`Config::formats`]
    /// says.
    pub png: Option<bool>,
    pub fail_on: FailOn,
    pub quiet: bool,
    pub outcomes: Option<OutcomesConfig>,
    /// Compare a partial year (fewer months than the period holds) when asked, labelled as such.
    pub allow_partial: bool,
    /// Write archive aggregates as Hive-partitioned Parquet here.
    pub export_parquet: Option<PathBuf>,
    /// Write the report's view-model as JSON here (for debugging templates).
    pub dump_context: Option<PathBuf>,
    /// The category taxonomy: the shipped one unless the config names another, plus extensions;
    /// read and validated once, with the config, so every stage of a run uses the same one.
    pub taxonomy: Taxonomy,
    /// Draw the chart of each offence group's share of recorded crime.
    pub shares_chart: bool,
    /// The evidence base's publication date (`YYYY-MM-DD`), for the appendix's cover: from the
    /// config, never the clock, so the same inputs give the same bytes.
    pub published: Option<String>,
    /// Who to contact about the figures, for the appendix's cover.
    pub contact: Option<String>,
    /// The analyst's narrative (Markdown with references to computed values): the file and its
    /// path as written.
    pub narrative: Option<(PathBuf, String)>,
    /// Populations given in the config (the workday population, say).
    pub denominators: Vec<crate::model::Denominator>,
    /// Peer areas to compare the chosen area with.
    pub peers: Vec<String>,
    /// The denominator peers' rates are per.
    pub peers_denominator: Option<String>,
    /// Rates per this many people.
    pub per: f64,
    /// Boundary files for place analysis, as `[[boundaries]]` declares them.
    pub boundaries: Vec<crate::model::place::BoundarySpec>,
    /// Lookups from LSOAs to larger geographies, as `[[lookup]]` declares them.
    pub lookups: Vec<crate::model::place::LookupSpec>,
}

/// Which taxonomy to use: a file in place of the shipped one, files that extend it, and aliases.
#[derive(Debug, Clone, PartialEq, Default)]
struct TaxonomyConfig {
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
    fn load(&self) -> Result<Taxonomy> {
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
            png: None,
            fail_on: FailOn::Never,
            quiet: false,
            outcomes: None,
            allow_partial: false,
            export_parquet: None,
            dump_context: None,
            taxonomy: Taxonomy::shipped(),
            shares_chart: false,
            published: None,
            contact: None,
            narrative: None,
            denominators: Vec::new(),
            peers: Vec::new(),
            peers_denominator: None,
            per: 1000.0,
            boundaries: Vec::new(),
            lookups: Vec::new(),
        }
    }
}

impl Config {
    /// The formats charts are drawn to: SVG always; PNG as the config or `--png` says, else in a
    /// one-area run and not in a batch (whose readers open the reports, which embed the SVG).
    pub fn formats(&self, batch: bool) -> crate::render::chart::Formats {
        crate::render::chart::Formats {
            png: self.png.unwrap_or(!batch),
        }
    }

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
        let mut raw: raw::RawConfig = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let taxonomy = raw.take_taxonomy(display, base).load()?;
        raw.resolve(display, base, taxonomy).map_err(err)
    }
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
    fn png_is_drawn_in_a_one_area_run_and_not_in_a_batch_unless_the_config_says() {
        let plain = Config::from_toml("", "s.toml", Path::new(".")).unwrap();
        assert!(plain.formats(false).png && !plain.formats(true).png);
        let on = Config::from_toml("[output]\npng = true\n", "s.toml", Path::new(".")).unwrap();
        assert!(on.formats(false).png && on.formats(true).png);
        let off = Config::from_toml("[output]\npng = false\n", "s.toml", Path::new(".")).unwrap();
        assert!(!off.formats(false).png && !off.formats(true).png);
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
