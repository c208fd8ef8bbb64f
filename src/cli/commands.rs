//! One small runner per command: load through the pipeline, say which rows to print, and leave
//! the format to [`export`].

use super::args::By;
use super::print;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::harmonise::Period;
use crate::pipeline;
use crate::render::export::{self, AllAreas, Format, Outcomes, Rows};
use crate::render::table;
use crate::stats::counts;

/// `run`: the whole pipeline, every artefact written or none.
pub fn run(cfg: &Config) -> Result<Vec<Finding>> {
    let outcome = pipeline::run(cfg)?;
    if !cfg.quiet {
        crate::error::say(format_args!(
            "wrote {} files below {}",
            outcome.written.len(),
            cfg.out_dir.display()
        ));
    }
    Ok(outcome.findings)
}

/// `run --all-areas`: every area's evidence base and the index.
pub fn run_all(cfg: &Config, families: Option<&std::path::Path>) -> Result<Vec<Finding>> {
    let opts = pipeline::BatchOptions {
        families: families.map(|p| (p.to_path_buf(), p.display().to_string())),
    };
    let outcome = pipeline::run_all(cfg, &opts)?;
    if !cfg.quiet {
        let failed = outcome
            .findings
            .iter()
            .filter(|f| f.code == "area-failed")
            .count();
        crate::error::say(format_args!(
            "wrote {} files below {} ({failed} {} failed; see index.html)",
            outcome.written.len(),
            cfg.out_dir.display(),
            if failed == 1 { "area" } else { "areas" }
        ));
    }
    Ok(outcome.findings)
}

/// `compare`: the configured area, or every area with `--all-areas`.
pub fn compare(cfg: &Config, all_areas: bool, format: Format) -> Result<Vec<Finding>> {
    if all_areas {
        return compare_all(cfg, format);
    }
    let (_, cmp, findings) = pipeline::comparison(cfg)?;
    print(&export::export(&cmp, format))?;
    Ok(findings)
}

fn compare_all(cfg: &Config, format: Format) -> Result<Vec<Finding>> {
    let data = pipeline::load_all(cfg)?;
    let (from, to) = match (cfg.from, cfg.to) {
        (Some(from), Some(to)) => (from, to),
        // Every area's own default would compare areas over different years: one for all.
        _ => {
            let first = data
                .areas()
                .first()
                .map(|a| a.to_string())
                .unwrap_or_default();
            pipeline::periods(cfg, &data, &first)?
        }
    };
    let by_area = crate::stats::counts::by_area(&data);
    let mut comparisons = Vec::new();
    for area in data.areas() {
        let own = by_area.get(area).map_or(&[][..], Vec::as_slice);
        comparisons.push(crate::stats::compare::compare_among(
            &data,
            (area, own),
            (from, to),
            &cfg.settings,
            cfg.allow_partial,
        )?);
    }
    crate::stats::compare::adjust_across(&mut comparisons, &cfg.settings);
    print(&export::export(&AllAreas(&comparisons), format))?;
    Ok(data.findings)
}

/// `outcomes`: one row per outcome, or per indicator with `--detail`.
pub fn outcomes(cfg: &Config, detail: bool, format: Format) -> Result<Vec<Finding>> {
    let (data, cmp, findings) = pipeline::comparison(cfg)?;
    let (assessment, _) = pipeline::outcome_assessment(cfg, &data, &cmp)?.ok_or_else(|| {
        Error::Usage(
            "no outcome framework: give --framework FILE or set outcomes.framework in the config"
                .into(),
        )
    })?;
    let result = Outcomes {
        assessment: &assessment,
        detail,
    };
    print(&export::export(&result, format))?;
    Ok(findings)
}

/// `counts`: one period's counts, or broken down by month or LSOA.
pub fn counts(
    cfg: &Config,
    period: Period,
    by: Option<By>,
    format: Format,
) -> Result<Vec<Finding>> {
    let (data, area) = pipeline::load(cfg)?;
    let (header, cells) = match by {
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
    print_rows(format, &header, &cells, None::<&()>)?;
    Ok(data.findings)
}

/// `trend`: each category's long view, or with `rolling` its rolling-year totals.
pub fn trend(cfg: &Config, years: usize, rolling: bool, format: Format) -> Result<Vec<Finding>> {
    if rolling {
        let (data, area) = pipeline::load(cfg)?;
        let series = crate::stats::trend::monthly_series(&data, &area);
        let cells = crate::render::spc::rolling_rows(&area, &series, &data.breaks, &cfg.taxonomy);
        print_rows(
            format,
            &crate::render::spc::ROLLING_COLUMNS,
            &cells,
            None::<&()>,
        )?;
        return Ok(data.findings);
    }
    let (area, views, findings) = pipeline::longterm(cfg, years)?;
    let cells = crate::render::spc::long_rows(&area, &views);
    print_rows(
        format,
        &crate::render::spc::LONG_COLUMNS,
        &cells,
        Some(&views),
    )?;
    Ok(findings)
}

/// `spc`: each monthly series as an XmR chart.
pub fn spc(cfg: &Config, baseline: Option<&str>, format: Format) -> Result<Vec<Finding>> {
    let baseline = baseline.map(parse_baseline).transpose()?;
    let (rows, findings) = pipeline::spc(cfg, baseline)?;
    let cells = crate::render::spc::rows(&rows);
    print_rows(
        format,
        &crate::render::spc::SPC_COLUMNS,
        &cells,
        Some(&rows),
    )?;
    Ok(findings)
}

/// `FIRST..LAST`, two months in order.
fn parse_baseline(text: &str) -> Result<(crate::model::Month, crate::model::Month)> {
    let bad = || {
        Error::Usage(format!(
            "--baseline {text}: give two months as FIRST..LAST, e.g. 2016-01..2016-12"
        ))
    };
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let month = |s: &str| s.trim().parse::<crate::model::Month>().map_err(|_| bad());
    let (first, last) = (month(a)?, month(b)?);
    if first > last {
        return Err(bad());
    }
    Ok((first, last))
}

/// `rates`: per each denominator known for the area, or the one named.
pub fn rates(
    cfg: &Config,
    period: Period,
    denominator: Option<&str>,
    format: Format,
) -> Result<Vec<Finding>> {
    let (rows, findings) = pipeline::rates(cfg, period, denominator)?;
    let header = crate::stats::rates::COLUMNS.to_vec();
    print_rows(format, &header, &table::rate_rows(&rows), Some(&rows))?;
    Ok(findings)
}

/// `peers`: the area's change beside its peers'.
pub fn peers(cfg: &Config, flagged: &[String], format: Format) -> Result<Vec<Finding>> {
    let (rows, findings) = pipeline::peers(cfg, flagged)?;
    let (header, cells) = table::peer_rows(&rows, cfg.per);
    print_rows(format, &header, &cells, Some(&rows))?;
    Ok(findings)
}

/// `measures`: the partner datasets' figures.
pub fn measures(cfg: &Config, format: Format) -> Result<Vec<Finding>> {
    let data = pipeline::load_all(cfg)?;
    if data.partner.is_empty() {
        return Err(Error::Usage(
            "no partner datasets: add a [[source]] with kind = \"partner\" to the config, or --source partner=FILE".into(),
        ));
    }
    let header = table::MEASURE_COLUMNS.to_vec();
    let cells = table::measure_rows(&data.partner);
    print_rows(format, &header, &cells, Some(&data.partner))?;
    Ok(data.findings)
}

/// `check`: the reconciliation and every finding, on standard output.
pub fn check(cfg: &Config) -> Result<Vec<Finding>> {
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

/// Prints rows in `format`; JSON is `typed` serialised where given, with its numbers as numbers.
pub(super) fn print_rows<T: serde::Serialize>(
    format: Format,
    header: &[&str],
    cells: &[Vec<String>],
    typed: Option<&T>,
) -> Result<()> {
    let rows = Rows {
        header,
        cells,
        typed,
    };
    print(&export::export(&rows, format))
}
