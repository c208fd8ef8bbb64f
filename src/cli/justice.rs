//! `justice` and `searches`: what happened after the crimes, and stop and search, from an
//! archive's outcome and stop-and-search files.

use super::commands::print_rows;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::model::Period;
use crate::pipeline;
use crate::render::export::Format;
use crate::render::justice as rows;
use crate::stats::{justice, justice_change, searches as search};

/// One period, or two to compare at the same follow-up.
#[derive(Debug, Clone, Copy)]
pub enum JusticePeriods {
    One(Period),
    Two(Period, Period),
}

/// `justice`: the crimes by outcome group at a follow-up (or two periods' at the same one), and
/// what the join left apart.
pub fn justice(
    cfg: &Config,
    periods: JusticePeriods,
    follow_up: Option<u32>,
    format: Format,
) -> Result<Vec<Finding>> {
    let (data, area) = pipeline::load(cfg)?;
    let confidence = 1.0 - cfg.settings.alpha;
    match periods {
        JusticePeriods::One(period) => {
            let c = justice::cohort(&data.justice, (&area, period), follow_up, confidence)?;
            say(cfg, &c);
            print_rows(
                format,
                &rows::JUSTICE_COLUMNS,
                &rows::cohort_rows(&c),
                Some(&c),
            )?;
        }
        JusticePeriods::Two(from, to) => {
            let c = justice_change::cohort_change(
                &data.justice,
                &area,
                (from, to),
                follow_up,
                &cfg.settings,
            )?;
            for cohort in [&c.from, &c.to] {
                whole(cfg, cohort)?;
                say(cfg, cohort);
            }
            if !cfg.quiet {
                crate::error::say(format_args!("follow-up: {}", c.why));
            }
            let cells = rows::change_rows(&c, cfg.settings.alpha);
            print_rows(format, &rows::JUSTICE_CHANGE_COLUMNS, &cells, Some(&c))?;
        }
    }
    Ok(data.findings)
}

/// A cohort of fewer months than its period is compared only with --allow-partial.
fn whole(cfg: &Config, c: &justice::Cohort) -> Result<()> {
    let (n, of) = (c.crime_months.2, c.period.month_count() as usize);
    if n < of && !cfg.allow_partial {
        return Err(Error::Usage(format!(
            "justice: {} has street files for {n} of its {of} months ({} to {}); compare whole periods, or pass --allow-partial",
            c.period, c.crime_months.0, c.crime_months.1
        )));
    }
    Ok(())
}

/// What the cohort rests on, on stderr.
fn say(cfg: &Config, c: &justice::Cohort) {
    if cfg.quiet {
        return;
    }
    let (first, last, n) = c.crime_months;
    let of = c.period.month_count();
    let partial = if (n as i32) < of {
        format!(" (partial: {n} of {of} months)")
    } else {
        String::new()
    };
    crate::error::say(format_args!(
        "{}, {}{partial}: crimes of {first} to {last} ({n} months) as they stood {} months after each crime's month; {} outcome rows matched no crime in the archive (crimes before it), {} repeated a row of their file",
        c.area, c.period, c.follow_up, c.unmatched_outcomes, c.duplicate_outcomes
    ));
}

/// `searches`: the period's stop and search grouped, with find and arrest rates.
pub fn searches(
    cfg: &Config,
    period: Period,
    by: search::SearchBy,
    format: Format,
) -> Result<Vec<Finding>> {
    let (data, area) = pipeline::load(cfg)?;
    let confidence = 1.0 - cfg.settings.alpha;
    let s = search::searches(&data.justice, (&area, period), by, confidence)?;
    let expected = period.month_count() as usize;
    if !cfg.quiet && s.months.len() < expected {
        crate::error::say(format_args!(
            "{area}, {period}: only {} of its {expected} months have stop-and-search files: a partial period",
            s.months.len()
        ));
    }
    print_rows(
        format,
        &rows::SEARCH_COLUMNS,
        &rows::search_rows(&s),
        Some(&s),
    )?;
    Ok(data.findings)
}
