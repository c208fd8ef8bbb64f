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
    let crime = crime_type(
        fw,
        &format!("outcome `{outcome}`, indicator `{measure}`"),
        crime,
    )?;
    let not = |why: String| {
        Ok((
            Verdict::NotAssessable,
            Reason::RateNotCompared {
                measure: measure.clone(),
                why,
            },
        ))
    };
    let areas = data.justice.crimes.iter().map(|c| &*c.area);
    let Some(area) = crate::model::detail_area(areas, &cmp.area) else {
        return not("no data.police.uk outcome files are loaded for the area (read an archive with its outcome files)".into());
    };
    let settings = CompareSettings {
        alpha: cmp.alpha,
        small_numbers: cmp.small_numbers,
        adjust: cmp.adjust,
    };
    let c = match cohort_change(&data.justice, area, (cmp.from, cmp.to), None, &settings) {
        Ok(c) => c,
        Err(e) => return not(e.to_string()),
    };
    for cohort in [&c.from, &c.to] {
        let (n, of) = (cohort.crime_months.2, cohort.period.month_count() as usize);
        if n < of {
            return not(format!(
                "partial year: {area}'s street files cover {n} of {}'s {of} months",
                cohort.period
            ));
        }
    }
    let Some(g) = c
        .changes
        .iter()
        .find(|g| g.category == crime && g.group == group)
    else {
        return not(format!(
            "{area} recorded no {crime} in {} or {}",
            cmp.from, cmp.to
        ));
    };
    let (Some(t), Some(q)) = (g.test, g.q_value) else {
        return not(format!(
            "nothing to test: {} of {} then {} of {}",
            g.from.0, g.from.1, g.to.0, g.to.1
        ));
    };
    let figures = RateFigures {
        area: area.to_string(),
        from: (cmp.from, g.from),
        to: (cmp.to, g.to),
        follow_up: c.follow_up,
        test: t,
        q_value: q,
    };
    let verdict = match ind.direction {
        Direction::Context => {
            return Ok((
                Verdict::Context,
                Reason::Rate {
                    verdict: Verdict::Context,
                    figures,
                },
            ));
        }
        _ if q > cmp.alpha => Verdict::NoChange,
        Direction::Up if t.difference > 0.0 => Verdict::Improving,
        Direction::Down if t.difference < 0.0 => Verdict::Improving,
        _ => Verdict::Worsening,
    };
    Ok((verdict, Reason::Rate { verdict, figures }))
}
