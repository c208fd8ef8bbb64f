//! The command line as clap reads it: every flag and command, documented for `--help`. Nothing
//! here runs anything; [`super::merge`] turns these into a typed [`crate::config::Config`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::SourceKind;
use crate::findings;
use crate::harmonise::{Month, Period};
use crate::render::export;

/// The config file read when `--config` is not given, if it exists in the current folder.
pub const DEFAULT_CONFIG: &str = "saferstats.toml";

const AFTER_HELP: &str = "\
Examples:
  saferstats run                                   run the whole pipeline from saferstats.toml
  saferstats run --out /tmp/evidence               write charts/ and reports/ below /tmp/evidence
  saferstats compare --from 2016/17 --to 2017/18   the year-on-year table
  saferstats compare --source summary=table.csv --from 2016/17 --to 2017/18 --format csv
  saferstats counts --period 2017/18 --format csv
  saferstats check --source police-uk=archive.zip
  saferstats compare --source police-uk=archive/ --area city-of-london --from 2016/17 --to 2017/18
  saferstats counts --source police-uk=archive/ --period 2016/17 --by month
  saferstats outcomes --from 2016/17 --to 2017/18 --detail

Periods: 2017/18 (financial year, April to March), 2017/18 Q1, 2017-04, 2017, 12 months ending 2018-03.

Exit codes:
  0  ok
  1  the run succeeded but its findings fail the --fail-on policy
  2  bad input, config or usage (nothing was written; earlier outputs are left as they were)";

/// saferstats: turn police crime data and partner datasets into a community safety evidence base.
#[derive(Debug, Parser)]
#[command(name = "saferstats", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Config file (TOML). Default: saferstats.toml in the current folder, when there is one.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// An input named directly, as KIND=PATH (kinds: summary, tidy, police-uk, home-office,
    /// ons-pfa, partner, population). Repeatable; replaces the config's sources of the same role
    /// (recorded crime, partner data or populations).
    #[arg(long = "source", global = true, value_name = "KIND=PATH", value_parser = parse_source)]
    pub sources: Vec<(SourceKind, PathBuf)>,

    /// The area to report on, where the sources hold several.
    #[arg(long, global = true, value_name = "NAME")]
    pub area: Option<String>,

    /// Significance level for the exact test; intervals are at 1 - alpha [default: 0.05].
    #[arg(long, global = true)]
    pub alpha: Option<f64>,

    /// A count at or below this gets a small-numbers note [default: 10].
    #[arg(long, global = true, value_name = "N")]
    pub small_numbers: Option<i64>,

    /// Exit with code 1 when findings reach this severity.
    #[arg(long, global = true, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOnArg>,

    /// Print nothing but errors (and the requested table); no progress bar.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Compare a partial year (built from fewer months than it spans) instead of refusing; the
    /// output labels it partial.
    #[arg(long, global = true)]
    pub allow_partial: bool,

    /// Archives: read only these forces (slugs, comma-separated, e.g. city-of-london,btp).
    #[arg(long, global = true, value_delimiter = ',', value_name = "SLUGS")]
    pub forces: Vec<String>,

    /// Archives: read only these months, as FIRST..LAST (e.g. 2016-04..2017-03).
    #[arg(long, global = true, value_name = "FIRST..LAST", value_parser = parse_months)]
    pub months: Option<(Month, Month)>,

    /// The text encoding of sources named with --source: utf-8 (default) or windows-1252.
    #[arg(long, global = true, value_name = "ENCODING")]
    pub encoding: Option<crate::ingest::read::Encoding>,

    /// Archives: the incremental cache's folder [default: $SAFERSTATS_CACHE_DIR, else
    /// ~/.cache/saferstats].
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Archives: parse every file afresh, neither reading nor writing the cache.
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Archives: read and hash every file, trusting the cache only for files whose bytes it
    /// knows (by default a file it has seen with the same size, times and inode, or a zip entry
    /// with the same checksum, is not read again).
    #[arg(long, global = true)]
    pub rehash: bool,

    /// Archives: also write the monthly LSOA counts as Parquet under DIR, partitioned
    /// year=YYYY/force=SLUG (Hive layout, for DuckDB or Spark).
    #[arg(long, global = true, value_name = "DIR")]
    pub export_parquet: Option<PathBuf>,

    /// Archives: reject rows that cannot be counted (listed in reports/reconciliation.csv)
    /// instead of stopping at the first.
    #[arg(long, global = true)]
    pub reject_bad_rows: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline and write charts/ and reports/.
    Run {
        /// Folder to write charts/ and reports/ below [default: the config's output.dir, or the
        /// current folder].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The earlier period [default: compare.from in the config].
        #[arg(long, value_name = "PERIOD")]
        from: Option<Period>,
        /// The later period [default: compare.to in the config].
        #[arg(long, value_name = "PERIOD")]
        to: Option<Period>,
        /// Also write the report's view-model (what the templates see) as JSON to FILE.
        #[arg(long, value_name = "FILE")]
        dump_context: Option<PathBuf>,
        /// Build every area's evidence base (each local authority an archive's LSOAs name, else
        /// every area the sources hold) under DIR/areas/<slug>/, with an index page.
        #[arg(long)]
        all_areas: bool,
        /// With --all-areas: each area's family of similar areas (CSV `area,family`), for the
        /// family funnel plot.
        #[arg(long, value_name = "FILE", requires = "all_areas")]
        families: Option<PathBuf>,
        /// Draw every chart as PNG (for slides) beside its SVG, in a batch too [default: PNG in a
        /// one-area run, not in a batch; or as the config's output.png says].
        #[arg(long)]
        png: bool,
    },
    /// Compare two periods, category by category, with the exact test for each change.
    Compare {
        /// The earlier period [default: compare.from in the config].
        #[arg(long, value_name = "PERIOD")]
        from: Option<Period>,
        /// The later period [default: compare.to in the config].
        #[arg(long, value_name = "PERIOD")]
        to: Option<Period>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Compare every area the sources hold (CSV and JSON gain an `area` column).
        #[arg(long)]
        all_areas: bool,
    },
    /// Data-quality findings and the reconciliation of every file read (rows read = counted +
    /// rejected).
    Check,
    /// Which outcomes do the numbers support? One row per outcome (or per indicator with --detail).
    Outcomes {
        /// The earlier period [default: compare.from in the config].
        #[arg(long, value_name = "PERIOD")]
        from: Option<Period>,
        /// The later period [default: compare.to in the config].
        #[arg(long, value_name = "PERIOD")]
        to: Option<Period>,
        /// The outcome framework (TOML) [default: outcomes.framework in the config].
        #[arg(long, value_name = "FILE")]
        framework: Option<PathBuf>,
        /// One row per indicator, with its verdict and the reason.
        #[arg(long)]
        detail: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Rates per 1,000 (or --per) with confidence intervals (Byar; exact Poisson below 10
    /// events), per each denominator known for the area: csv columns
    /// category,period,count,denominator,population,rate,ci_low,ci_high.
    Rates {
        #[arg(long, value_name = "PERIOD")]
        period: Period,
        /// Rates per this many people [default: rates.per in the config, else 1000].
        #[arg(long, value_name = "N")]
        per: Option<f64>,
        /// Only this denominator (e.g. residents, "workday population").
        #[arg(long, value_name = "NAME")]
        denominator: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// The area's change in recorded crime beside its peers ([peers] in the config).
    Peers {
        /// The earlier period [default: compare.from in the config].
        #[arg(long, value_name = "PERIOD")]
        from: Option<Period>,
        /// The later period [default: compare.to in the config].
        #[arg(long, value_name = "PERIOD")]
        to: Option<Period>,
        /// Peer areas, comma-separated [default: peers.areas in the config].
        #[arg(long, value_delimiter = ',', value_name = "AREAS")]
        peers: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// List the partner datasets' figures (kept apart from recorded crime): csv columns
    /// source,area,measure,period,value,unit,note.
    Measures {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Statistical process control: an XmR chart of each monthly series (NHSRplotthedots'
    /// rules), judged by the outcome framework's desired direction: csv columns
    /// area,category,month,count,mean,lower,upper,special_cause,variation.
    Spc {
        /// Fix the limits on these months, e.g. 2016-01..2016-12 [default: every month].
        #[arg(long, value_name = "FIRST..LAST")]
        baseline: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The long view: each category's average annual change over the last complete financial
    /// years (log-linear quasi-Poisson trend) and its seasonal peak: csv columns
    /// area,category,from,to,years,annual_change_pct,low_pct,high_pct,dispersion,peak_month,peak_index,note.
    Trend {
        /// How many of the latest complete financial years.
        #[arg(long, default_value_t = 5)]
        years: usize,
        /// List each category's rolling 12-month totals instead, with series breaks marked:
        /// csv columns area,category,month,rolling_12_total,series_break.
        #[arg(long)]
        rolling: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Where crime falls: counts by place (LSOA, located in the `[[boundaries]]` file's places
    /// when one is declared), the change per LSOA with --from/--to, or Gi* hotspots on a grid.
    /// CSV columns: area,period,lsoa_code,lsoa_name,category,count (--by lsoa);
    /// area,from_period,to_period,lsoa_code,lsoa_name,category,from_count,to_count,change,pct_change,p_value,q_value,significant,test
    /// (--by lsoa --from --to); area,period,x_min,y_min,count,gistar,p_value,q_value,hotspot (--by grid);
    /// area,period,location,longitude,latitude,lsoa_code,count,share_of_lsoa,artefact (--by point).
    Place {
        #[arg(long, value_name = "PERIOD", conflicts_with_all = ["from", "to"])]
        period: Option<Period>,
        /// The earlier period of a change by LSOA.
        #[arg(long, value_name = "PERIOD", requires = "to")]
        from: Option<Period>,
        #[arg(long, value_name = "PERIOD", requires = "from")]
        to: Option<Period>,
        #[arg(long, value_enum, default_value_t = PlaceBy::Lsoa)]
        by: PlaceBy,
        /// Which `[[boundaries]]` to locate points in, by its name [default: the first declared].
        #[arg(long, value_name = "NAME")]
        boundaries: Option<String>,
        /// With --by lsoa: regroup the LSOAs into the wards, MSOAs or other places of the
        /// `[[lookup]]` of this name (columns then `<name>_code`, `<name>_name`).
        #[arg(long, value_name = "NAME")]
        lookup: Option<String>,
        /// Grid cell size in metres [default: sfhotspot's, from the points' extent].
        #[arg(long, value_name = "METRES")]
        cell_size: Option<f64>,
        /// Write the results as GeoJSON (WGS84) too, for QGIS: LSOAs with their counts or
        /// change, grid cells with Gi* and class, or points.
        #[arg(long, value_name = "FILE")]
        geojson: Option<PathBuf>,
        /// With --by point: one row per month, point and crime type, in the `points` source's
        /// columns (month,area,location,longitude,latitude,lsoa_code,category,count), so the
        /// points of an archive can be kept without the archive.
        #[arg(long)]
        detail: bool,
        /// With --by grid: classify each cell over the period's months as sfhotspot's
        /// hotspot_classify does (persistent, emerging, former, intermittent hot or coldspot,
        /// mixed, no pattern): area,period,x_min,y_min,count,hot_months,cold_months,class.
        #[arg(long)]
        classify: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// What happened after the crimes of a period (from the archive's outcome files): each crime
    /// type's share in each Home Office outcome group as the crimes stood a follow-up of MONTHS
    /// after their month (a cohort at equal follow-up), with exact (Clopper-Pearson) intervals.
    /// Columns: area,period,category,outcome_group,crimes,count,share,ci_low,ci_high,follow_up_months.
    /// With --from/--to instead of --period: both periods' crimes at the same follow-up, each
    /// share's difference with the two-proportion z test (area,from_period,to_period,category,
    /// outcome_group,from_crimes,from_count,from_share,to_crimes,to_count,to_share,difference,
    /// difference_low,difference_high,p_value,q_value,significant,follow_up_months).
    Justice {
        #[command(flatten)]
        periods: OneOrTwo,
        /// Months of follow-up after each crime's month [default: the most the outcome files
        /// cover for every crime of the period].
        #[arg(long, value_name = "MONTHS")]
        follow_up: Option<u32>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Stop and search in a period (from the archive's stop-and-search files): searches by
    /// object, legislation, self-defined ethnicity, age range, type or gender, with the find rate
    /// (outcome linked to the object of search) and the arrest rate, each with its exact interval.
    /// Columns: area,period,by,value,searches,found,find_rate,find_rate_low,find_rate_high,
    /// arrests,arrest_rate,arrest_rate_low,arrest_rate_high,strip_searches,without_location.
    ///
    /// With --from and --to instead of --period: each value's searches in both periods with the
    /// comparison's count test, and the change in its find and arrest rates with the test of the
    /// difference in proportions (area,from_period,to_period,by,value,from_searches,to_searches,
    /// change,p_value,q_value,significant, then from_, to_, difference, p_value and q_value of the
    /// find rate and of the arrest rate).
    Searches {
        #[command(flatten)]
        periods: OneOrTwo,
        /// object, legislation, ethnicity (self-defined), age (range), type (of search) or gender.
        #[arg(long, default_value = "object", value_name = "FIELD")]
        by: crate::stats::searches::SearchBy,
        /// With --by ethnicity: the area's population by broad ethnic group (a CSV
        /// `ethnicity,population`), for each group's searches per 1,000 residents and its ratio to
        /// the White group's rate (area,period,ethnicity,searches,population,rate_per_1000,
        /// ratio_to_white,ratio_low,ratio_high).
        #[arg(long, value_name = "FILE")]
        population: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// List the counts behind a comparison for one period.
    Counts {
        #[arg(long, value_name = "PERIOD")]
        period: Period,
        /// Break the period down by month or by LSOA (monthly archive sources).
        #[arg(long, value_enum)]
        by: Option<By>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// `--period`, or `--from` and `--to`: one period, or two to compare (`justice`, `searches`).
#[derive(Debug, Clone, Copy, Args)]
pub struct OneOrTwo {
    #[arg(long, value_name = "PERIOD", conflicts_with_all = ["from", "to"], required_unless_present = "from")]
    pub period: Option<Period>,
    #[arg(long, value_name = "PERIOD", requires = "to")]
    pub from: Option<Period>,
    #[arg(long, value_name = "PERIOD", requires = "from")]
    pub to: Option<Period>,
}

/// One period, or two to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periods {
    One(Period),
    Two(Period, Period),
}

impl OneOrTwo {
    /// The periods given (clap has required one form or the other).
    pub fn periods(self, command: &str) -> Result<Periods, crate::error::Error> {
        match (self.period, self.from, self.to) {
            (Some(p), _, _) => Ok(Periods::One(p)),
            (None, Some(a), Some(b)) => Ok(Periods::Two(a, b)),
            _ => Err(crate::error::Error::Usage(format!(
                "{command} takes --period, or --from and --to"
            ))),
        }
    }
}

/// When findings turn a successful run into exit code 1 (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Never: findings are reported, the exit code stays 0.
    Never,
    /// When any finding is an error.
    Error,
    /// When any finding is a warning or an error.
    Warning,
}

impl From<FailOnArg> for findings::FailOn {
    fn from(arg: FailOnArg) -> Self {
        match arg {
            FailOnArg::Never => findings::FailOn::Never,
            FailOnArg::Error => findings::FailOn::Error,
            FailOnArg::Warning => findings::FailOn::Warning,
        }
    }
}

/// How a command prints its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

impl From<Format> for export::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Table => export::Format::Table,
            Format::Csv => export::Format::Csv,
            Format::Json => export::Format::Json,
        }
    }
}

/// What `place` counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlaceBy {
    Lsoa,
    Grid,
    /// Each anonymised street point (`On or near ...`), busiest first.
    Point,
}

/// How `counts` breaks a period down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Month,
    Lsoa,
}

pub(crate) fn parse_months(s: &str) -> std::result::Result<(Month, Month), String> {
    let (a, b) = s
        .split_once("..")
        .ok_or_else(|| format!("`{s}`: write FIRST..LAST, e.g. 2016-04..2017-03"))?;
    let (a, b): (Month, Month) = (
        a.parse().map_err(|e| format!("{e}"))?,
        b.parse().map_err(|e| format!("{e}"))?,
    );
    if b < a {
        return Err(format!("`{s}`: the last month is before the first"));
    }
    Ok((a, b))
}

pub(crate) fn parse_source(s: &str) -> std::result::Result<(SourceKind, PathBuf), String> {
    let (kind, path) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: write KIND=PATH, e.g. summary=table.csv"))?;
    Ok((kind.parse()?, PathBuf::from(path)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::path::PathBuf;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sources_are_kind_equals_path() {
        assert_eq!(
            parse_source("tidy=a=b.csv").unwrap(),
            (SourceKind::Tidy, PathBuf::from("a=b.csv"))
        );
        assert!(parse_source("table.csv").unwrap_err().contains("KIND=PATH"));
        assert!(
            parse_source("xls=table.csv")
                .unwrap_err()
                .contains("unknown source kind")
        );
    }
}
