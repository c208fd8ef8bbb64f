//! The command line: clap definitions, and the one place where flags become a typed [`Config`].
//!
//! Exit codes: 0 ok; 1 the run succeeded but its findings fail the `--fail-on` policy; 2 bad
//! input, config or usage (nothing was written).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{Config, OutcomesConfig, Source, SourceKind, default_force_areas};
use crate::error::{Error, Result};
use crate::findings::{self, Finding};
use crate::harmonise::{Month, Period};
use crate::ingest::police_uk::Selection;
use crate::outcomes::{RagRule, VerdictSettings};
use crate::pipeline;
use crate::render::table;
use crate::stats::counts;

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

/// How `counts` breaks a period down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Month,
    Lsoa,
}

/// How a successful command ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Findings fail the `--fail-on` policy.
    Findings = 1,
}

fn parse_months(s: &str) -> std::result::Result<(Month, Month), String> {
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

fn parse_source(s: &str) -> std::result::Result<(SourceKind, PathBuf), String> {
    let (kind, path) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: write KIND=PATH, e.g. summary=table.csv"))?;
    Ok((kind.parse()?, PathBuf::from(path)))
}

impl Cli {
    /// The config file merged with the flags; flags win.
    pub fn config(&self) -> Result<Config> {
        let g = &self.global;
        let mut cfg = match &g.config {
            Some(path) => Config::from_file(path)?,
            None if Path::new(DEFAULT_CONFIG).is_file() => {
                Config::from_file(Path::new(DEFAULT_CONFIG))?
            }
            None => Config::default(),
        };
        if !g.sources.is_empty() {
            let encoding = g.encoding.unwrap_or_default();
            let flagged = g
                .sources
                .iter()
                .map(|(kind, path)| flag_source(*kind, path, &g.area, encoding));
            let flagged: Vec<Source> = flagged.collect();
            cfg.sources
                .retain(|s| !flagged.iter().any(|f| f.kind.role() == s.kind.role()));
            cfg.sources.extend(flagged);
        }
        cfg.area = g.area.clone().or(cfg.area);
        cfg.settings.alpha = g.alpha.unwrap_or(cfg.settings.alpha);
        cfg.settings.small_numbers = g.small_numbers.unwrap_or(cfg.settings.small_numbers);
        cfg.settings
            .validate()
            .map_err(|m| Error::Usage(format!("--alpha/--small-numbers: {m}")))?;
        cfg.fail_on = g.fail_on.map_or(cfg.fail_on, Into::into);
        cfg.quiet = g.quiet;
        cfg.allow_partial |= g.allow_partial;
        cfg.export_parquet = g.export_parquet.clone();
        let lsoa_detail = g.export_parquet.is_some()
            || matches!(
                self.command,
                Command::Counts {
                    by: Some(By::Lsoa),
                    ..
                }
            );
        for source in &mut cfg.sources {
            self.select(&mut source.selection);
            source.selection.lsoa_detail = lsoa_detail;
        }
        match &self.command {
            Command::Run {
                out,
                from,
                to,
                dump_context,
            } => {
                cfg.out_dir = out.clone().unwrap_or(cfg.out_dir);
                cfg.dump_context = dump_context.clone();
                cfg.from = from.or(cfg.from);
                cfg.to = to.or(cfg.to);
            }
            Command::Compare { from, to, .. }
            | Command::Outcomes { from, to, .. }
            | Command::Peers { from, to, .. } => {
                cfg.from = from.or(cfg.from);
                cfg.to = to.or(cfg.to);
            }
            Command::Rates { per: Some(per), .. } => {
                if !(*per > 0.0 && per.is_finite()) {
                    return Err(Error::Usage(format!(
                        "--per: {per} is not a positive number"
                    )));
                }
                cfg.per = *per;
            }
            _ => {}
        }
        if let Command::Outcomes {
            framework: Some(path),
            ..
        } = &self.command
        {
            let mut o = cfg.outcomes.take().unwrap_or_else(|| OutcomesConfig {
                framework: PathBuf::new(),
                display: String::new(),
                verdicts: VerdictSettings::default(),
                rule: RagRule::default(),
                report: None,
            });
            o.framework = path.clone();
            o.display = path.display().to_string();
            cfg.outcomes = Some(o);
        }
        Ok(cfg)
    }
}

impl Cli {
    /// Archive flags narrow (or make strict or lenient) every source's selection.
    fn select(&self, selection: &mut Selection) {
        let g = &self.global;
        if !g.forces.is_empty() {
            selection.forces = g.forces.clone();
        }
        if let Some((first, last)) = g.months {
            selection.from = Some(first);
            selection.to = Some(last);
        }
        if g.reject_bad_rows {
            selection.bad_rows = crate::ingest::police_uk::file::BadRows::Reject;
        }
        selection.progress = !g.quiet;
        selection.rehash = g.rehash;
        selection.cache_dir = if g.no_cache {
            None
        } else {
            g.cache_dir
                .clone()
                .or_else(crate::ingest::police_uk::cache::default_dir)
        };
    }
}

fn flag_source(
    kind: SourceKind,
    path: &Path,
    area: &Option<String>,
    encoding: crate::ingest::read::Encoding,
) -> Source {
    Source {
        encoding,
        area: area.clone(),
        selection: Selection {
            force_areas: default_force_areas(),
            ..Selection::default()
        },
        ..Source::new(kind, path, path.display().to_string())
    }
}

/// Runs the command; the binary maps the result to an exit code.
pub fn execute(cli: &Cli) -> Result<Exit> {
    let cfg = cli.config()?;
    let findings = match &cli.command {
        Command::Run { .. } => run(&cfg)?,
        Command::Compare {
            format,
            all_areas: false,
            ..
        } => compare(&cfg, *format)?,
        Command::Compare {
            format,
            all_areas: true,
            ..
        } => compare_all(&cfg, *format)?,
        Command::Counts { period, by, format } => counts(&cfg, *period, *by, *format)?,
        Command::Check => return finish_check(&cfg),
        Command::Rates {
            period,
            denominator,
            format,
            ..
        } => rates(&cfg, *period, denominator.as_deref(), *format)?,
        Command::Peers { peers, format, .. } => peers_table(&cfg, peers, *format)?,
        Command::Measures { format } => measures(&cfg, *format)?,
        Command::Outcomes { detail, format, .. } => outcomes(&cfg, *detail, *format)?,
    };
    report_findings(&findings, cfg.quiet);
    Ok(if findings::fails(&findings, cfg.fail_on) {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

fn run(cfg: &Config) -> Result<Vec<Finding>> {
    let outcome = pipeline::run(cfg)?;
    if !cfg.quiet {
        eprintln!(
            "wrote {} files below {}",
            outcome.written.len(),
            cfg.out_dir.display()
        );
    }
    Ok(outcome.findings)
}

fn compare(cfg: &Config, format: Format) -> Result<Vec<Finding>> {
    let (_, cmp, findings) = pipeline::comparison(cfg)?;
    let text = match format {
        Format::Table => table::comparison_text(&cmp),
        Format::Csv => table::comparison_csv(&cmp),
        Format::Json => {
            serde_json::to_string_pretty(&cmp).expect("the comparison serialises") + "\n"
        }
    };
    print(&text)?;
    Ok(findings)
}

fn outcomes(cfg: &Config, detail: bool, format: Format) -> Result<Vec<Finding>> {
    let (data, cmp, findings) = pipeline::comparison(cfg)?;
    let (oa, _) = pipeline::outcome_assessment(cfg, &data, &cmp)?.ok_or_else(|| {
        Error::Usage(
            "no outcome framework: give --framework FILE or set outcomes.framework in the config"
                .into(),
        )
    })?;
    let text = match format {
        Format::Table => crate::render::outcomes::text(&oa, detail),
        Format::Csv => crate::render::outcomes::csv(&oa, detail),
        Format::Json => {
            serde_json::to_string_pretty(&oa).expect("the assessment serialises") + "\n"
        }
    };
    print(&text)?;
    Ok(findings)
}

/// `check` prints its findings to stdout itself; only the exit code remains.
fn finish_check(cfg: &Config) -> Result<Exit> {
    let findings = check(cfg)?;
    Ok(if findings::fails(&findings, cfg.fail_on) {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

fn compare_all(cfg: &Config, format: Format) -> Result<Vec<Finding>> {
    let (from, to) = pipeline::periods(cfg)?;
    let data = pipeline::load_all(cfg)?;
    let mut comparisons = Vec::new();
    for area in data.areas() {
        comparisons.push(crate::stats::compare(
            &data,
            area,
            from,
            to,
            &cfg.settings,
            cfg.allow_partial,
        )?);
    }
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(&comparisons).expect("comparisons serialise") + "\n"
        }
        Format::Csv => table::comparisons_csv(&comparisons),
        Format::Table => comparisons
            .iter()
            .map(|c| format!("{}\n{}", c.area, table::comparison_text(c)))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    print(&text)?;
    Ok(data.findings)
}

fn counts(cfg: &Config, period: Period, by: Option<By>, format: Format) -> Result<Vec<Finding>> {
    let (data, area) = pipeline::load(cfg)?;
    let (header, rows) = match by {
        None => {
            let figures =
                counts::period_figures(&data, &area, period, "--period", cfg.allow_partial)?;
            (
                table::COUNTS_COLUMNS.to_vec(),
                table::count_rows(&figures.observations),
            )
        }
        Some(By::Month) => (
            table::COUNTS_COLUMNS.to_vec(),
            table::count_rows(&counts::monthly(&data, &area, period)?),
        ),
        Some(By::Lsoa) => (
            table::LSOA_COLUMNS.to_vec(),
            table::lsoa_rows(&counts::by_lsoa(&data, &area, period)?),
        ),
    };
    let text = match format {
        Format::Table => table::plain(&header, &rows),
        Format::Csv => table::csv_of(&header, &rows),
        Format::Json => table::json_of(&header, &rows),
    };
    print(&text)?;
    Ok(data.findings)
}

fn rates(
    cfg: &Config,
    period: Period,
    denominator: Option<&str>,
    format: Format,
) -> Result<Vec<Finding>> {
    let (rows, findings) = pipeline::rates(cfg, period, denominator)?;
    let header = crate::stats::rates::COLUMNS.to_vec();
    print_rows(format, &header, &table::rate_rows(&rows), &rows)?;
    Ok(findings)
}

fn peers_table(cfg: &Config, flagged: &[String], format: Format) -> Result<Vec<Finding>> {
    let (rows, findings) = pipeline::peers(cfg, flagged)?;
    let (header, cells) = table::peer_rows(&rows, cfg.per);
    print_rows(format, &header, &cells, &rows)?;
    Ok(findings)
}

/// Prints rows as a table or CSV; JSON is `typed` serialised, with its numbers as numbers.
fn print_rows(
    format: Format,
    header: &[&str],
    cells: &[Vec<String>],
    typed: &impl serde::Serialize,
) -> Result<()> {
    print(&match format {
        Format::Table => table::plain(header, cells),
        Format::Csv => table::csv_of(header, cells),
        Format::Json => serde_json::to_string_pretty(typed).expect("rows serialise") + "\n",
    })
}

fn measures(cfg: &Config, format: Format) -> Result<Vec<Finding>> {
    let data = pipeline::load_all(cfg)?;
    if data.partner.is_empty() {
        return Err(Error::Usage(
            "no partner datasets: add a [[source]] with kind = \"partner\" to the config, or --source partner=FILE".into(),
        ));
    }
    let header = table::MEASURE_COLUMNS.to_vec();
    print_rows(
        format,
        &header,
        &table::measure_rows(&data.partner),
        &data.partner,
    )?;
    Ok(data.findings)
}

fn check(cfg: &Config) -> Result<Vec<Finding>> {
    let data = pipeline::load_all(cfg)?;
    print(&crate::render::reconciliation::summary(&data))?;
    for f in &data.findings {
        print(&format!(
            "{}: {} [{}]\n",
            crate::findings::severity_label(f.severity),
            f.message,
            f.code
        ))?;
    }
    Ok(data.findings)
}

fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: PathBuf::from("<stdout>"),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn report_findings(findings: &[Finding], quiet: bool) {
    if quiet {
        return;
    }
    // Notes are for `check` and the report; commands print what needs attention.
    let colour = use_colour();
    for f in findings
        .iter()
        .filter(|f| f.severity > crate::findings::Severity::Note)
    {
        let label = crate::findings::severity_label(f.severity);
        let label = match (colour, f.severity) {
            (true, crate::findings::Severity::Error) => format!("\x1b[1;31m{label}\x1b[0m"),
            (true, _) => format!("\x1b[1;33m{label}\x1b[0m"),
            _ => label.to_string(),
        };
        eprintln!("{label}: {} [{}]", f.message, f.code);
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

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
