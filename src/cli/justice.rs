//! `justice` and `searches`: what happened after the crimes, and stop and search, from an
//! archive's outcome and stop-and-search files.

use super::Command;
use super::args::Periods;
use super::commands::print_rows;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::model::Period;
use crate::pipeline;
use crate::render::export::Format;
use crate::render::justice as rows;
use crate::stats::{justice, justice_change, searches as search};

/// Runs `justice` or `searches` as the command line gives them.
pub fn from_command(cfg: &Config, command: &Command) -> Result<Vec<Finding>> {
    match command {
        Command::Justice {
            periods,
            follow_up,
            format,
        } => justice(
            cfg,
            periods.periods("justice")?,
            *follow_up,
            (*format).into(),
        ),
        Command::Searches {
            periods,
            by,
            population,
            format,
        } => match (periods.periods("searches")?, population) {
            (Periods::One(p), _) => {
                searches(cfg, (p, *by), population.as_deref(), (*format).into())
            }
            (Periods::Two(a, b), None) => search_change(cfg, (a, b), *by, (*format).into()),
            (Periods::Two(..), Some(_)) => Err(Error::Usage(
                "searches --population goes with --period".into(),
            )),
        },
        _ => Err(Error::Usage("not a justice or searches command".into())),
    }
}

/// `justice`: the crimes by outcome group at a follow-up (or two periods' at the same one), and
/// what the join left apart.
fn justice(
    cfg: &Config,
    periods: Periods,
    follow_up: Option<u32>,
    format: Format,
) -> Result<Vec<Finding>> {
    let (data, area) = pipeline::load(cfg)?;
    let confidence = 1.0 - cfg.settings.alpha;
    match periods {
        Periods::One(period) => {
            let c = justice::cohort(&data.justice, (&area, period), follow_up, confidence)?;
            say(cfg, &c);
            print_rows(
                format,
                &rows::JUSTICE_COLUMNS,
                &rows::cohort_rows(&c),
                Some(&c),
            )?;
        }
        Periods::Two(from, to) => {
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
        "{}, {}{partial}: crimes of {first} to {last} ({}) as they stood {} after each crime's month; {} outcome rows matched no crime in the archive (crimes before it), {} repeated a row of their file",
        c.area,
        c.period,
        months(n as u32),
        months(c.follow_up),
        c.unmatched_outcomes,
        c.duplicate_outcomes
    ));
}

/// `1 month`, `3 months`.
fn months(n: u32) -> String {
    if n == 1 {
        "1 month".into()
    } else {
        format!("{n} months")
    }
}

/// `searches`: the period's stop and search grouped, with find and arrest rates.
fn searches(
    cfg: &Config,
    (period, by): (Period, search::SearchBy),
    population: Option<&std::path::Path>,
    format: Format,
) -> Result<Vec<Finding>> {
    let (data, area) = pipeline::load(cfg)?;
    if let Some(path) = population {
        return disproportionality(cfg, (&data, &area, period), by, path, format);
    }
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

/// `searches --from --to`: each value's change in searches, finds and arrests.
fn search_change(
    cfg: &Config,
    (from, to): (Period, Period),
    by: search::SearchBy,
    format: Format,
) -> Result<Vec<Finding>> {
    let (data, area) = pipeline::load(cfg)?;
    let c = crate::stats::search_change::search_change(
        &data.justice,
        &area,
        (from, to),
        by,
        &cfg.settings,
    )?;
    for s in [&c.from, &c.to] {
        let expected = s.period.month_count() as usize;
        if s.months.len() < expected && !cfg.allow_partial {
            return Err(Error::Usage(format!(
                "searches: {} has stop-and-search files for {} of its {expected} months; compare whole periods, or pass --allow-partial",
                s.period,
                s.months.len()
            )));
        }
    }
    let cells = rows::search_change_rows(&c, cfg.settings.alpha);
    print_rows(format, &rows::SEARCH_CHANGE_COLUMNS, &cells, Some(&c))?;
    Ok(data.findings)
}

/// `searches --by ethnicity --population FILE`: each broad group's rate against the White group's.
fn disproportionality(
    cfg: &Config,
    (data, area, period): (&crate::model::Dataset, &str, Period),
    by: search::SearchBy,
    path: &std::path::Path,
    format: Format,
) -> Result<Vec<Finding>> {
    if by != search::SearchBy::Ethnicity {
        return Err(Error::Usage(
            "searches --population goes with --by ethnicity".into(),
        ));
    }
    let populations = crate::ingest::ethnicity::read(path)?;
    let confidence = 1.0 - cfg.settings.alpha;
    let files = search::files_of(&data.justice, area, period)?;
    let all = files.iter().flat_map(|f| &f.searches);
    let (groups, apart) =
        crate::stats::disproportionality::disproportionality(all, &populations, confidence);
    if !cfg.quiet {
        crate::error::say(format_args!(
            "{area}, {period}: {apart} searches with ethnicity not stated (or in no group of {}) are counted apart; residents are the denominator, and most people searched in a city centre may live elsewhere",
            path.display()
        ));
    }
    let cells = rows::disproportionality_rows((area, &period.to_string()), &groups);
    print_rows(
        format,
        &rows::DISPROPORTIONALITY_COLUMNS,
        &cells,
        Some(&groups),
    )?;
    Ok(data.findings.clone())
}
