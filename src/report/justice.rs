//! The report's "After the crime" section: what had happened to a year's recorded crimes at a
//! stated follow-up, by outcome group, and the change from the year before at the same follow-up;
//! its chart, and its tables (also sheets of the appendix). Stop and search is [`super::searches`].

use crate::error::Result;
use crate::harmonise::outcome_groups::Group;
use crate::render::chart::Labels;
use crate::render::justice_charts::{GroupBar, outcome_groups};
use crate::render::sections::Section;
use crate::render::sheets;
use crate::render::table::{self, xlsx::Cell, xlsx::ONE_DP};
use crate::report::artefacts::{Evidence, chart_artefact};
use crate::report::output::Artefact;
use crate::report::place::typed_section;
use crate::report::{FigureView, TopicView, sources};
use crate::stats::justice::{ALL_CRIME, Cohort, GroupShare};
use crate::stats::justice_change::CohortChange;
use crate::stats::justice_evidence::{JusticeEvidence, Outcomes};

/// The outcome and stop-and-search sections, those the evidence holds.
pub fn views(
    j: Option<&JusticeEvidence>,
    ev: &Evidence,
    artefacts: &mut Vec<Artefact>,
) -> Result<Vec<TopicView>> {
    let Some(j) = j else {
        return Ok(Vec::new());
    };
    let source = source_line(j, ev);
    let mut out = Vec::new();
    if let Some(o) = &j.outcomes {
        out.push(outcomes_view(j, o, (ev, &source), artefacts)?);
    }
    if let Some(s) = &j.searches {
        out.push(super::searches::view(j, s, (ev, &source), artefacts)?);
    }
    Ok(out)
}

/// The source line of every file the join read (street, outcome, stop-and-search).
fn source_line(j: &JusticeEvidence, ev: &Evidence) -> String {
    let d = &ev.data.justice;
    let mut used: Vec<usize> = d
        .crimes
        .iter()
        .filter(|c| *c.area == *j.area)
        .map(|c| c.input)
        .collect();
    used.extend(
        d.searches
            .iter()
            .filter(|s| *s.area == *j.area)
            .map(|s| s.input),
    );
    let forces: Vec<&str> = d
        .crimes
        .iter()
        .filter(|c| *c.area == *j.area)
        .map(|c| c.force.as_str())
        .collect();
    used.extend(
        d.outcomes
            .iter()
            .filter(|o| forces.contains(&o.force.as_str()))
            .map(|o| o.input),
    );
    used.sort_unstable();
    used.dedup();
    format!("Source: {}.", sources::line(ev.data, &used))
}

/// "3 months", "1 month".
pub(crate) fn months(n: u32) -> String {
    if n == 1 {
        "1 month".into()
    } else {
        format!("{n} months")
    }
}

/// A share as a percentage to one decimal place.
pub(crate) fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// Whose figures these are, when they are not the compared area's own.
pub(crate) fn whose(j: &JusticeEvidence, compared: &str) -> Option<String> {
    (!crate::model::same_name(&j.area, compared)).then(|| format!(
        "These are {}'s figures: data.police.uk publishes outcomes and stop and search by force. The comparison's area is {compared}; where the force covers more than it, so do these figures.",
        j.area
    ))
}

fn share<'a>(c: &'a Cohort, category: &str, g: Group) -> Option<&'a GroupShare> {
    c.shares
        .iter()
        .find(|s| s.category == category && s.group == g)
}

fn outcomes_view(
    j: &JusticeEvidence,
    o: &Outcomes,
    (ev, source): (&Evidence, &str),
    artefacts: &mut Vec<Artefact>,
) -> Result<TopicView> {
    let c = o.latest();
    let (first, last, _) = c.crime_months;
    let confidence = table::confidence_label(ev.cmp.alpha);
    let mut paragraphs = vec![headline(c)];
    let mut notes: Vec<String> = whose(j, &ev.cmp.area).into_iter().collect();
    let mut tables = vec![cohort_section(c, source, &confidence)];
    let slug = c.period.slug();
    artefacts.push(Artefact::new(
        format!("reports/tables/justice-{slug}.csv"),
        table::csv_of(
            &crate::render::justice::JUSTICE_COLUMNS,
            &crate::render::justice::cohort_rows(c),
        ),
    ));
    if let Outcomes::Change(ch) = o {
        paragraphs.push(change_sentence(ch, ev.cmp.alpha));
        notes.push(format!("The follow-up is {}.", ch.why));
        tables.push(change_section(ch, source, ev.cmp.alpha));
        artefacts.push(Artefact::new(
            format!(
                "reports/tables/justice-{}-to-{slug}.csv",
                ch.from.period.slug()
            ),
            table::csv_of(
                &crate::render::justice::JUSTICE_CHANGE_COLUMNS,
                &crate::render::justice::change_rows(ch, ev.cmp.alpha),
            ),
        ));
    }
    notes.push(format!(
        "Outcome rows of the force matching no crime of the archive (crimes recorded before it): {}; rows repeating a row of their own file: {}. Neither is counted.",
        crate::render::format::thousands(c.unmatched_outcomes as i64),
        crate::render::format::thousands(c.duplicate_outcomes as i64)
    ));
    notes.extend(j.outcome_notes.iter().cloned());
    let figure = groups_figure(c, source, ev.formats, artefacts)?;
    Ok(TopicView {
        id: "after-the-crime".into(),
        heading: format!(
            "After the crime: investigation outcomes, {}, {}",
            j.area, c.period
        ),
        intro: format!(
            "Each crime recorded in {} (street files {first} to {last}) as it stood {} after its month, by the Home Office outcome group of its latest outcome by then: outcome files joined to street files by Crime ID, and a crime with no outcome by then counted as under investigation. A recent crime has had less time, so years are compared only at the same follow-up. Shares carry exact (Clopper-Pearson) {confidence} intervals.",
            c.period,
            months(c.follow_up)
        ),
        paragraphs,
        figures: vec![figure],
        notes,
        tables,
    })
}

/// What had happened to all crime: charged, no suspect, still awaiting.
fn headline(c: &Cohort) -> String {
    let g = |group| share(c, ALL_CRIME, group);
    let (Some(charged), Some(none), Some(awaiting)) =
        (g(Group::Charged), g(Group::NoSuspect), g(Group::Awaiting))
    else {
        return String::new();
    };
    format!(
        "Of the {} crimes recorded in {}, {} had been charged or summonsed {} after their month ({} to {}), {} had closed with no suspect identified and {} were still under investigation or had no outcome yet.",
        crate::render::format::thousands(charged.crimes as i64),
        c.period,
        pct(charged.share),
        months(c.follow_up),
        pct(charged.ci_low),
        pct(charged.ci_high),
        pct(none.share),
        pct(awaiting.share)
    )
}

/// The change in the share charged or summonsed, all crime, at the same follow-up.
fn change_sentence(ch: &CohortChange, alpha: f64) -> String {
    let Some(g) = ch
        .changes
        .iter()
        .find(|g| g.category == ALL_CRIME && g.group == Group::Charged)
    else {
        return String::new();
    };
    let share = |(k, n): (u64, u64)| {
        if n > 0 {
            pct(k as f64 / n as f64)
        } else {
            "n/a".into()
        }
    };
    let tested = match (&g.test, g.q_value) {
        (Some(t), Some(q)) => format!(
            ": a difference of {:+.1} points ({:+.1} to {:+.1}; p = {}, adjusted q = {}), {}",
            100.0 * t.difference,
            100.0 * t.ci.0,
            100.0 * t.ci.1,
            crate::render::format::p_value(Some(t.p_value)),
            crate::render::format::p_value(Some(q)),
            if q <= alpha {
                "beyond ordinary variation"
            } else {
                "within ordinary variation"
            }
        ),
        _ => String::new(),
    };
    format!(
        "At the same follow-up of {}, the share charged or summonsed went from {} of {}'s crimes to {} of {}'s{tested}.",
        months(ch.follow_up),
        share(g.from),
        ch.from.period,
        share(g.to),
        ch.to.period
    )
}

/// The crime types with crimes, busiest first, all crime on top.
fn types_by_size(c: &Cohort) -> Vec<(&str, u64)> {
    let mut types: Vec<(&str, u64)> = c
        .shares
        .iter()
        .filter(|s| s.group == Group::Charged && s.crimes > 0 && s.category != ALL_CRIME)
        .map(|s| (s.category.as_str(), s.crimes))
        .collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if let Some(all) = share(c, ALL_CRIME, Group::Charged) {
        types.insert(0, (ALL_CRIME, all.crimes));
    }
    types
}

fn groups_figure(
    c: &Cohort,
    source: &str,
    formats: crate::render::chart::Formats,
    artefacts: &mut Vec<Artefact>,
) -> Result<FigureView> {
    let bars: Vec<GroupBar> = types_by_size(c)
        .into_iter()
        .map(|(t, n)| {
            let mut shares = [0.0; 7];
            for (i, g) in Group::ALL.iter().enumerate() {
                shares[i] = share(c, t, *g).map_or(0.0, |s| s.share);
            }
            GroupBar {
                label: format!("{t} ({})", crate::render::format::thousands(n as i64)),
                shares,
            }
        })
        .collect();
    let charged = share(c, ALL_CRIME, Group::Charged).map_or(0.0, |s| s.share);
    let none = share(c, ALL_CRIME, Group::NoSuspect).map_or(0.0, |s| s.share);
    let labels = Labels {
        title: format!(
            "{} of {}'s recorded crimes were charged or summonsed within {}; {} closed with no suspect",
            pct(charged),
            c.period,
            months(c.follow_up),
            pct(none)
        ),
        subtitle: format!(
            "{}, {}: each crime type's crimes by the outcome group they stood in {} after their month",
            c.area,
            c.period,
            months(c.follow_up)
        ),
        source: source.to_string(),
    };
    let figure = outcome_groups(&bars, &labels, formats)?;
    let name = format!("outcome-groups-{}", c.period.slug());
    Ok(FigureView {
        heading: "Outcome groups by crime type".into(),
        caption: "Each bar is one crime type's crimes (their number beside its name), split by the outcome group each stood in at the follow-up; grey is still under investigation or no outcome yet.".into(),
        chart: chart_artefact(&name, labels, figure, artefacts),
    })
}

fn cohort_section(c: &Cohort, source: &str, confidence: &str) -> Section {
    let body = types_by_size(c)
        .into_iter()
        .flat_map(|(t, _)| Group::ALL.iter().filter_map(move |g| share(c, t, *g)))
        .map(|s| {
            vec![
                Cell::Text(s.category.clone()),
                Cell::Text(s.group.label().to_string()),
                Cell::Count(s.crimes as i64),
                Cell::Count(s.count as i64),
                Cell::Number(100.0 * s.share, ONE_DP),
                Cell::Number(100.0 * s.ci_low, ONE_DP),
                Cell::Number(100.0 * s.ci_high, ONE_DP),
            ]
        })
        .collect();
    let low = format!("{confidence} interval, lower (%)");
    let high = format!("{confidence} interval, upper (%)");
    let names = [
        "Crime type",
        "Outcome group",
        "Crimes",
        "In the group",
        "Share (%)",
        &low,
        &high,
    ];
    let heading = format!(
        "After the crime: outcome groups by crime type, {}",
        c.period
    );
    let intro = format!(
        "Each crime type's crimes of {} by outcome group {} after each crime's month, all crime first, then the types by their number of crimes.",
        c.period,
        months(c.follow_up)
    );
    let mut section = typed_section(("justice-groups", heading, intro), &names, body, source);
    wide(&mut section, c);
    section
}

/// The report shows one row per crime type, a column per group (the appendix keeps a row per
/// group with its interval).
fn wide(section: &mut Section, c: &Cohort) {
    let mut names = vec!["Crime type".to_string(), "Crimes".to_string()];
    names.extend(Group::ALL.iter().map(|g| match g {
        // The one short name too long for a column of A4.
        Group::Evidential => "Evidential".to_string(),
        g => crate::render::justice_charts::short(*g).to_string(),
    }));
    section.header = names;
    section.numeric = std::iter::once(false)
        .chain(std::iter::repeat_n(true, 8))
        .collect();
    section.rows = types_by_size(c)
        .into_iter()
        .map(|(t, n)| {
            let mut row = vec![t.to_string(), crate::render::format::thousands(n as i64)];
            row.extend(Group::ALL.iter().map(|g| {
                share(c, t, *g).map_or("[x]".into(), |s| format!("{:.1}", 100.0 * s.share))
            }));
            row
        })
        .collect();
    section.intro += " Here a row per crime type, each group's share in per cent; the appendix gives each share's count and exact interval.";
}

/// A change's verdict by its adjusted p-value.
fn verdict(q: Option<f64>, alpha: f64) -> &'static str {
    match q {
        Some(q) if q <= alpha => "beyond ordinary variation",
        Some(_) => "ordinary variation",
        None => "nothing to test",
    }
}

fn change_section(ch: &CohortChange, source: &str, alpha: f64) -> Section {
    let share = |(k, n): (u64, u64)| {
        if n > 0 {
            Cell::Number(100.0 * k as f64 / n as f64, ONE_DP)
        } else {
            Cell::Unavailable
        }
    };
    let p = |x: Option<f64>| Cell::Text(crate::render::format::p_value(x));
    let body = ch
        .changes
        .iter()
        .filter(|g| g.from.1 > 0 || g.to.1 > 0)
        .map(|g| {
            let t = g.test.as_ref();
            vec![
                Cell::Text(g.category.clone()),
                Cell::Text(g.group.label().to_string()),
                share(g.from),
                share(g.to),
                t.map_or(Cell::Unavailable, |t| {
                    Cell::Number(100.0 * t.difference, ONE_DP)
                }),
                t.map_or(Cell::Unavailable, |t| Cell::Number(100.0 * t.ci.0, ONE_DP)),
                t.map_or(Cell::Unavailable, |t| Cell::Number(100.0 * t.ci.1, ONE_DP)),
                p(t.map(|t| t.p_value)),
                p(g.q_value),
                Cell::Text(verdict(g.q_value, alpha).into()),
            ]
        })
        .collect();
    let (from, to) = (ch.from.period.to_string(), ch.to.period.to_string());
    let names = [
        "Crime type",
        "Outcome group",
        &format!("{from} share (%)"),
        &format!("{to} share (%)"),
        "Difference (points)",
        "Lower",
        "Upper",
        "p",
        "q",
        "Verdict",
    ];
    let heading = format!(
        "After the crime: the change from {from} to {to} at {}",
        months(ch.follow_up)
    );
    let intro = format!(
        "Each share of {to}'s crimes against the same share of {from}'s, both at {} of follow-up, with the two-proportion z test; q is the p-value adjusted for every crime type and group tested.",
        months(ch.follow_up)
    );
    let mut section = typed_section(("justice-change", heading, intro), &names, body, source);
    compact(&mut section, &from, &to);
    section
}

/// The report shows the difference with its interval in one column (the appendix keeps three).
fn compact(section: &mut Section, from: &str, to: &str) {
    let (a, b) = (format!("{from} (%)"), format!("{to} (%)"));
    section.header = sheets::plain_header(&[
        "Crime type",
        "Outcome group",
        &a,
        &b,
        "Difference (points)",
        "q",
        "Verdict",
    ]);
    section.numeric = vec![false, false, true, true, true, true, false];
    section.rows = section
        .rows
        .iter()
        .map(|r| {
            let mut out = r[..4].to_vec();
            out.push(format!("{} ({} to {})", r[4], r[5], r[6]));
            out.extend([r[8].clone(), r[9].clone()]);
            out
        })
        .collect();
}
