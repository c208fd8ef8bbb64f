//! Outcome-rate indicators: `measure = "charge rate: violence and sexual offences"` judges the
//! share of a crime type's crimes in one Home Office outcome group, compared between the
//! comparison's two periods at the same follow-up (the longest the outcome files allow for both),
//! with the test of the difference in proportions. The crimes are the force's whose archive is
//! loaded: a partnership inside a force is told so by the report's "After the crime" section.

use crate::error::{Error, Result};
use crate::harmonise::outcome_groups::Group;
use crate::harmonise::police_uk::CRIME_TYPES;
use crate::outcomes::framework::{Direction, Framework, Indicator};
use crate::outcomes::verdict::{RateFigures, Reason, Verdict};
use crate::stats::justice::ALL_CRIME;
use crate::stats::justice_change::cohort_change;
use crate::stats::{CompareSettings, Comparison};

/// The group and the crime type (as data.police.uk names it, or all crime) a measure names, if
/// it is an outcome rate (`<group> rate: <crime type>`).
pub fn parse(measure: &str) -> Option<(Group, &str)> {
    let (name, crime) = measure.split_once(':')?;
    let name = name.trim();
    let group = name
        .strip_suffix(" rate")
        .or_else(|| name.strip_suffix(" Rate"))?;
    Some((Group::of_rate_name(group)?, crime.trim()))
}

/// The crime type as the cohorts name it; an unknown one is the framework's error.
fn crime_type(fw: &Framework, entry: &str, crime: &str) -> Result<&'static str> {
    let all = ["all crime", "all recorded crime", "total"];
    if all.iter().any(|a| crate::model::same_name(a, crime)) {
        return Ok(ALL_CRIME);
    }
    CRIME_TYPES
        .iter()
        .skip(1) // anti-social behaviour is not recorded crime and has no outcomes
        .find(|t| crate::model::same_name(t, crime))
        .copied()
        .ok_or_else(|| Error::Framework {
            file: fw.file.clone(),
            entry: entry.to_string(),
            message: format!(
                "`{crime}` is not a data.police.uk crime type; an outcome rate names one (closest: {}) or `all crime`",
                crate::harmonise::label::closest(crime, &CRIME_TYPES[1..]).join(", ")
            ),
        })
}

/// The verdict on `measure`, an outcome rate of `group` for `crime`, or why there is none.
pub fn judge(
    (fw, outcome): (&Framework, &str),
    ind: &Indicator,
    (group, crime): (Group, &str),
    cmp: &Comparison,
    data: &crate::model::Dataset,
) -> Result<(Verdict, Reason)> {
    let measure = ind.subject.label().to_string();
    let entry = format!("outcome `{outcome}`, indicator `{measure}`");
    let crime = crime_type(fw, &entry, crime)?;
    let figures = match figures(data, cmp, (group, crime)) {
        Ok(f) => f,
        Err(why) => {
            let reason = Reason::RateNotCompared { measure, why };
            return Ok((Verdict::NotAssessable, reason));
        }
    };
    let (t, q) = (figures.test, figures.q_value);
    let verdict = match ind.direction {
        Direction::Context => Verdict::Context,
        _ if q > cmp.alpha => Verdict::NoChange,
        Direction::Up if t.difference > 0.0 => Verdict::Improving,
        Direction::Down if t.difference < 0.0 => Verdict::Improving,
        _ => Verdict::Worsening,
    };
    Ok((verdict, Reason::Rate { verdict, figures }))
}

/// The rate in both of the comparison's periods at their common follow-up, or why there is none.
fn figures(
    data: &crate::model::Dataset,
    cmp: &Comparison,
    (group, crime): (Group, &str),
) -> std::result::Result<RateFigures, String> {
    let areas = data.justice.crimes.iter().map(|c| &*c.area);
    let area = crate::model::detail_area(areas, &cmp.area).ok_or(
        "no data.police.uk outcome files are loaded for the area (read an archive with its outcome files)",
    )?;
    let settings = CompareSettings {
        alpha: cmp.alpha,
        small_numbers: cmp.small_numbers,
        adjust: cmp.adjust,
    };
    let c = cohort_change(&data.justice, area, (cmp.from, cmp.to), None, &settings)
        .map_err(|e| e.to_string())?;
    for cohort in [&c.from, &c.to] {
        let (n, of) = (cohort.crime_months.2, cohort.period.month_count() as usize);
        if n < of {
            let p = cohort.period;
            return Err(format!(
                "partial year: {area}'s street files cover {n} of {p}'s {of} months"
            ));
        }
    }
    let g = c
        .changes
        .iter()
        .find(|g| g.category == crime && g.group == group)
        .ok_or_else(|| format!("{area} recorded no {crime} in {} or {}", cmp.from, cmp.to))?;
    let (Some(test), Some(q_value)) = (g.test, g.q_value) else {
        let (a, b) = (g.from, g.to);
        return Err(format!(
            "nothing to test: {} of {} then {} of {}",
            a.0, a.1, b.0, b.1
        ));
    };
    Ok(RateFigures {
        area: area.to_string(),
        from: (cmp.from, g.from),
        to: (cmp.to, g.to),
        follow_up: c.follow_up,
        test,
        q_value,
    })
}
