//! Picking figures out of a dataset: one area, one period, in the order the source listed them.
//!
//! A period the sources publish directly (a financial year in a summary table) is taken as it is.
//! Otherwise it is rolled up from monthly figures, and only when every month is there: a financial
//! year built from fewer months is partial, and is refused unless the caller allows it (then the
//! coverage travels with the figures so the output can say so).

use std::collections::HashMap;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::harmonise::{FinancialYear, Month, Period};
use crate::model::{Dataset, Observation, Value, same_name};

/// How much of a rolled-up period the data covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub have: usize,
    pub of: usize,
    pub missing: Vec<Month>,
}

impl Coverage {
    pub fn is_partial(&self) -> bool {
        self.have < self.of
    }
}

/// One period's figures for an area, and where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub observations: Vec<Observation>,
    /// `None` when published for the period directly; else the months the roll-up covers.
    pub coverage: Option<Coverage>,
    /// Input files the figures came from.
    pub inputs: Vec<usize>,
    /// Category-months inside the period missing from their release (allowed with
    /// `--allow-partial` only): those categories' figures are partial.
    pub gaps: Vec<crate::model::Gap>,
    /// The sub-period figures (months, or quarters) a rolled-up period was summed from; empty
    /// for a period published as a whole.
    pub parts: Vec<Observation>,
}

/// The area to report on: the one asked for (by name or alias, ignoring case and spacing), or the
/// only one the data holds.
pub fn select_area(data: &Dataset, wanted: Option<&str>) -> Result<String> {
    let areas = data.areas();
    let available = || areas.join(", ");
    let Some(w) = wanted else {
        return match areas.as_slice() {
            [one] => Ok(one.to_string()),
            _ => Err(Error::AmbiguousArea {
                available: available(),
            }),
        };
    };
    let by_alias = data
        .aliases
        .iter()
        .find(|(alias, _)| same_name(alias, w))
        .map(|(_, a)| a.as_str());
    areas
        .iter()
        .copied()
        .find(|a| same_name(a, w))
        .or(by_alias)
        .map(str::to_string)
        .ok_or_else(|| Error::AreaNotInData {
            area: w.to_string(),
            available: available(),
        })
}

/// The figures for `area` in `period`; errors name `flag`.
pub fn period_figures(
    data: &Dataset,
    area: &str,
    period: Period,
    flag: &str,
    allow_partial: bool,
) -> Result<Figures> {
    let own: Vec<&Observation> = data
        .observations
        .iter()
        .filter(|o| o.area == area)
        .collect();
    figures_among(data, &own, (area, period, flag), allow_partial)
}

/// Each area's observations, in the order the dataset holds them: one pass over the dataset for a
/// run over many areas, where [`period_figures`] would scan it for each.
pub fn by_area(data: &Dataset) -> HashMap<&str, Vec<&Observation>> {
    let mut out: HashMap<&str, Vec<&Observation>> = HashMap::new();
    for o in &data.observations {
        out.entry(o.area.as_str()).or_default().push(o);
    }
    out
}

/// [`period_figures`] from `own`, the area's observations (all of them, in the dataset's order).
pub fn figures_among(
    data: &Dataset,
    own: &[&Observation],
    (area, period, flag): (&str, Period, &str),
    allow_partial: bool,
) -> Result<Figures> {
    let overlaps = |p: Period| {
        p.first_month() <= period.last_month() && period.first_month() <= p.last_month()
    };
    if let Some(u) = data
        .unresolved
        .iter()
        .find(|u| u.area == area && overlaps(u.period))
    {
        return Err(Error::Row {
            at: u.at.clone(),
            message: u.message.clone(),
        });
    }
    let exact: Vec<Observation> = own
        .iter()
        .filter(|o| o.period == period)
        .map(|o| (*o).clone())
        .collect();
    if !exact.is_empty() {
        let inputs = inputs_of(&exact);
        return Ok(Figures {
            observations: exact,
            coverage: None,
            inputs,
            gaps: Vec::new(),
            parts: Vec::new(),
        });
    }
    let monthly = parts(own, period);
    if monthly.is_empty() || matches!(period, Period::Month(_)) {
        return Err(not_in_data(data, area, period, flag));
    }
    let coverage = coverage(data, area, period);
    let gaps: Vec<crate::model::Gap> = data.gaps_in(area, period).cloned().collect();
    if !allow_partial {
        whole(&coverage, &gaps, (area, period, flag))?;
    }
    let observations = roll_up(&monthly, period);
    let inputs = monthly
        .iter()
        .map(|o| o.input)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Ok(Figures {
        observations,
        coverage: Some(coverage),
        inputs,
        gaps,
        parts: monthly.into_iter().cloned().collect(),
    })
}

/// A period rolled up from months is compared only when whole: every month covered and none of
/// its category-months missing from a release; else the error says which are missing.
fn whole(
    coverage: &Coverage,
    gaps: &[crate::model::Gap],
    (area, period, flag): (&str, Period, &str),
) -> Result<()> {
    if coverage.is_partial() {
        return Err(Error::PartialPeriod {
            flag: flag.to_string(),
            period: period.to_string(),
            area: area.to_string(),
            have: coverage.have,
            of: coverage.of,
            missing: coverage
                .missing
                .iter()
                .map(Month::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    match gaps.first() {
        Some(g) => Err(Error::PartialCategory {
            flag: flag.to_string(),
            period: period.to_string(),
            series: format!("{} in {area}", g.category),
            missing: g.month.to_string(),
        }),
        None => Ok(()),
    }
}

/// The figures for shorter periods inside `period` (months, or quarters where there are no months),
/// of one length only, so a month is never counted twice.
fn parts<'a>(own: &[&'a Observation], period: Period) -> Vec<&'a Observation> {
    let inside = |p: Period| {
        p.month_count() < period.month_count()
            && period.contains(p.first_month())
            && period.contains(p.last_month())
    };
    let all: Vec<&Observation> = own.iter().copied().filter(|o| inside(o.period)).collect();
    let finest = all.iter().map(|o| o.period.month_count()).min();
    all.into_iter()
        .filter(|o| Some(o.period.month_count()) == finest)
        .collect()
}

fn inputs_of(obs: &[Observation]) -> Vec<usize> {
    let set: std::collections::BTreeSet<usize> = obs.iter().map(|o| o.input).collect();
    set.into_iter().collect()
}

fn coverage(data: &Dataset, area: &str, period: Period) -> Coverage {
    let have = data.coverage.get(area);
    let missing: Vec<Month> = period
        .months()
        .filter(|m| !have.is_some_and(|h| h.contains(m)))
        .collect();
    let of = period.month_count() as usize;
    Coverage {
        have: of - missing.len(),
        of,
        missing,
    }
}

/// Sums monthly counts per category, in the order categories first appear.
fn roll_up(monthly: &[&Observation], period: Period) -> Vec<Observation> {
    let mut out: Vec<Observation> = Vec::new();
    for o in monthly {
        let existing = out
            .iter_mut()
            .find(|x| x.category.key() == o.category.key());
        match (existing, &o.value) {
            (Some(x), Value::Count(n)) => {
                if let Value::Count(total) = &mut x.value {
                    *total += n;
                }
            }
            (Some(x), Value::Suppressed(m)) => x.value = Value::Suppressed(m.clone()),
            (Some(_), Value::Measure(_)) => {}
            (None, _) => out.push(Observation {
                period,
                line: 0,
                ..(*o).clone()
            }),
        }
    }
    out
}

fn not_in_data(data: &Dataset, area: &str, period: Period, flag: &str) -> Error {
    let mut available: Vec<String> = periods_of(data, area)
        .iter()
        .filter(|p| !matches!(p, Period::Month(_)))
        .map(|p| p.to_string())
        .collect();
    if let Some(months) = data.coverage.get(area).filter(|m| !m.is_empty()) {
        let (first, last) = (
            months.first().expect("non-empty"),
            months.last().expect("non-empty"),
        );
        available.push(format!("months {first} to {last}"));
    }
    Error::PeriodNotInData {
        flag: flag.to_string(),
        period: period.to_string(),
        available: if available.is_empty() {
            "no periods".into()
        } else {
            available.join(", ")
        },
    }
}

/// The periods the data holds for `area`, in time order.
pub fn periods_of(data: &Dataset, area: &str) -> Vec<Period> {
    let mut periods: Vec<Period> = data
        .observations
        .iter()
        .filter(|o| o.area == area)
        .map(|o| o.period)
        .collect();
    periods.sort();
    periods.dedup();
    periods
}

/// Monthly figures for `area` within `period`, in month order (monthly sources only).
pub fn monthly(data: &Dataset, area: &str, period: Period) -> Result<Vec<Observation>> {
    let mut out: Vec<Observation> = data
        .observations
        .iter()
        .filter(|o| o.area == area && matches!(o.period, Period::Month(m) if period.contains(m)))
        .cloned()
        .collect();
    if out.is_empty() {
        return Err(Error::Usage(format!(
            "--by month: {area} has no monthly figures in {period}; only monthly sources (police-uk) break down by month"
        )));
    }
    out.sort_by_key(|o| o.period);
    Ok(out)
}

/// Counts by LSOA and crime type for `area` over `period` (summed over its months).
pub fn by_lsoa(data: &Dataset, area: &str, period: Period) -> Result<Vec<crate::model::LsoaCount>> {
    let mut sums: std::collections::BTreeMap<(String, String), (String, u64)> =
        std::collections::BTreeMap::new();
    for l in data
        .lsoa
        .iter()
        .filter(|l| &*l.area == area && period.contains(l.month))
    {
        for (t, n) in l.counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            let category = crate::harmonise::police_uk::CRIME_TYPES[t].to_string();
            let key = (l.lsoa_code.to_string(), category);
            let entry = sums.entry(key).or_insert((l.lsoa_name.to_string(), 0));
            entry.1 += u64::from(*n);
        }
    }
    if sums.is_empty() {
        return Err(Error::Usage(format!(
            "--by lsoa: {area} has no LSOA counts in {period}; only police-uk street files carry LSOAs"
        )));
    }
    Ok(sums
        .into_iter()
        .map(
            |((lsoa_code, category), (lsoa_name, count))| crate::model::LsoaCount {
                period,
                area: area.to_string(),
                lsoa_code,
                lsoa_name,
                category,
                count,
            },
        )
        .collect())
}

/// Why the data's own periods were chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultPeriods {
    /// The area's figures cover exactly two periods.
    OnlyTwo,
    /// The latest financial year the data covers whole, and the one before.
    LatestCompleteYear,
}

impl DefaultPeriods {
    /// The reason, as the note on stderr gives it.
    pub fn describe(self) -> &'static str {
        match self {
            DefaultPeriods::OnlyTwo => "the only two periods the data holds",
            DefaultPeriods::LatestCompleteYear => {
                "the latest complete financial year in the data and the one before"
            }
        }
    }
}

/// The periods to compare when none are given: `area`'s only two periods, else the latest
/// financial year it has whole (published as a year, or every one of its months) and the one
/// before, when that is whole too.
pub fn default_periods(data: &Dataset, area: &str) -> Option<(Period, Period, DefaultPeriods)> {
    let names = data.names_of(area);
    let mut periods: Vec<Period> = data
        .observations
        .iter()
        .filter(|o| names.contains(&o.area))
        .map(|o| o.period)
        .collect();
    periods.sort();
    periods.dedup();
    if let [from, to] = periods.as_slice() {
        return Some((*from, *to, DefaultPeriods::OnlyTwo));
    }
    let months = names.iter().filter_map(|n| data.coverage.get(n)).next();
    let whole = |fy: FinancialYear| {
        periods.contains(&Period::FinancialYear(fy))
            || months.is_some_and(|m| Period::FinancialYear(fy).months().all(|x| m.contains(&x)))
    };
    let mut years: Vec<FinancialYear> = periods
        .iter()
        .map(|p| p.last_month().financial_year())
        .collect();
    years.sort();
    years.dedup();
    years.into_iter().rev().find_map(|fy| {
        let before = FinancialYear::new(fy.start_year() - 1)?;
        (whole(fy) && whole(before)).then_some((
            Period::FinancialYear(before),
            Period::FinancialYear(fy),
            DefaultPeriods::LatestCompleteYear,
        ))
    })
}
