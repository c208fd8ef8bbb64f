//! The report's "Stop and search" section: a year's searches by object of search, legislation,
//! self-defined ethnicity and age range with the find and arrest rates and their exact intervals,
//! the change from the year before where both are whole, and the chart of the find rate by
//! object of search.

use crate::error::Result;
use crate::render::chart::Labels;
use crate::render::justice_charts::{RateBar, find_rates};
use crate::render::sections::Section;
use crate::render::sheets;
use crate::render::table::{self, xlsx::Cell, xlsx::ONE_DP};
use crate::report::artefacts::{Evidence, chart_artefact};
use crate::report::justice::{pct, whose};
use crate::report::output::Artefact;
use crate::report::place::typed_section;
use crate::report::{FigureView, TopicView};
use crate::stats::justice_evidence::{JusticeEvidence, SearchEvidence};
use crate::stats::search_change::SearchChange;
use crate::stats::searches::{ALL_SEARCHES, NOT_RECORDED, SearchBy, SearchGroup, Searches};

use crate::render::format::thousands;

pub(crate) fn view(
    j: &JusticeEvidence,
    s: &SearchEvidence,
    (ev, source): (&Evidence, &str),
    artefacts: &mut Vec<Artefact>,
) -> Result<TopicView> {
    let confidence = table::confidence_label(ev.cmp.alpha);
    let notes = notes(j, s, &ev.cmp.area);
    let mut tables: Vec<Section> =
        s.by.iter()
            .map(|b| by_section(b, source, &confidence))
            .collect();
    for b in &s.by {
        artefacts.push(Artefact::new(
            format!(
                "reports/tables/searches-{}-{}.csv",
                b.by.key(),
                s.period.slug()
            ),
            table::csv_of(
                &crate::render::justice::SEARCH_COLUMNS,
                &crate::render::justice::search_rows(b),
            ),
        ));
    }
    let mut paragraphs: Vec<String> = s.by.first().map(overall).into_iter().collect();
    if let Some(ch) = &s.change {
        paragraphs.push(change_sentence(ch, ev.cmp.alpha));
        tables.push(change_section(ch, source, ev.cmp.alpha));
    }
    let figures = match s.by.iter().find(|b| b.by == SearchBy::Object) {
        Some(b) => rates_figure(b, source, ev.formats, artefacts)?
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    Ok(TopicView {
        id: "stop-and-search".into(),
        heading: format!("Stop and search: {}, {}", j.area, s.period),
        intro: format!(
            "Every stop and search in the force's stop-and-search files for {} by object of search, legislation, self-defined ethnicity and age range. The find rate is the share whose outcome was linked to the object of search (what was searched for was found); the arrest rate, the share ending in arrest; each with its exact (Clopper-Pearson) {confidence} interval. A search with a field not recorded is counted as such, never dropped.",
            s.period
        ),
        paragraphs,
        figures,
        notes,
        tables,
    })
}

/// Whose figures, months missing, why no comparison, and the denominator the ratio needs.
fn notes(j: &JusticeEvidence, s: &SearchEvidence, compared: &str) -> Vec<String> {
    let mut notes: Vec<String> = whose(j, compared).into_iter().collect();
    if !s.missing.is_empty() {
        let m: Vec<String> = s.missing.iter().map(ToString::to_string).collect();
        notes.push(format!(
            "{} is partial: no stop-and-search file for {}.",
            s.period,
            m.join(", ")
        ));
    }
    notes.extend(j.search_notes.iter().cloned());
    notes.push("Rates per resident by ethnic group need a population by ethnicity: `saferstats searches --by ethnicity --population FILE` gives each group's rate per 1,000 and its ratio to the White group's, with its interval. Residents are the denominator, and many people searched in a city centre live elsewhere.".into());
    notes
}

fn all(s: &Searches) -> Option<&SearchGroup> {
    s.groups.iter().find(|g| g.value == ALL_SEARCHES)
}

/// The year's searches, finds, arrests and strip searches, and what was not recorded.
fn overall(s: &Searches) -> String {
    let Some(a) = all(s) else {
        return String::new();
    };
    let found = match (a.find_rate, a.find_ci) {
        (Some(r), Some((lo, hi))) => format!(
            "{} found what was searched for ({} to {})",
            pct(r),
            pct(lo),
            pct(hi)
        ),
        _ => "whether anything was found is not published for every search".into(),
    };
    let strip = a.strip.map_or(String::new(), |n| {
        format!(
            "; {} involved the removal of more than outer clothing",
            thousands(n as i64)
        )
    });
    format!(
        "{} searches in {}: {found}, {} ended in arrest ({} to {}){strip}; {} have no location.",
        thousands(a.searches as i64),
        s.period,
        pct(a.arrest_rate),
        pct(a.arrest_ci.0),
        pct(a.arrest_ci.1),
        thousands(a.without_location as i64)
    )
}

fn by_name(by: SearchBy) -> &'static str {
    match by {
        SearchBy::Object => "Object of search",
        SearchBy::Legislation => "Legislation",
        SearchBy::Ethnicity => "Self-defined ethnicity",
        SearchBy::Age => "Age range",
        SearchBy::Type => "Type",
        SearchBy::Gender => "Gender",
    }
}

fn by_section(s: &Searches, source: &str, confidence: &str) -> Section {
    let rate = |r: Option<f64>| r.map_or(Cell::Unavailable, |r| Cell::Number(100.0 * r, ONE_DP));
    let body = s
        .groups
        .iter()
        .map(|g| {
            vec![
                Cell::Text(g.value.clone()),
                Cell::Count(g.searches as i64),
                g.found.map_or(Cell::Unavailable, |n| Cell::Count(n as i64)),
                rate(g.find_rate),
                rate(g.find_ci.map(|c| c.0)),
                rate(g.find_ci.map(|c| c.1)),
                Cell::Count(g.arrests as i64),
                rate(Some(g.arrest_rate)),
                rate(Some(g.arrest_ci.0)),
                rate(Some(g.arrest_ci.1)),
            ]
        })
        .collect();
    let what = by_name(s.by);
    let names = [
        what,
        "Searches",
        "Found",
        "Find rate (%)",
        "Find rate lower (%)",
        "Find rate upper (%)",
        "Arrests",
        "Arrest rate (%)",
        "Arrest rate lower (%)",
        "Arrest rate upper (%)",
    ];
    let heading = format!("Stop and search by {}, {}", what.to_lowercase(), s.period);
    let intro = format!(
        "Searches in {} by {}, with the find and arrest rates (%) and, in brackets, their {confidence} intervals; `{NOT_RECORDED}` counts the searches without one; [x]: not published for every search.",
        s.period,
        what.to_lowercase()
    );
    let mut section = typed_section(
        (&format!("searches-{}", s.by.key()), heading, intro),
        &names,
        body,
        source,
    );
    compact(&mut section, s, what);
    section
}

/// The report shows each rate with its interval in one column (the appendix keeps three).
fn compact(section: &mut Section, s: &Searches, what: &str) {
    let with = |r: Option<f64>, ci: Option<(f64, f64)>| match (r, ci) {
        (Some(r), Some((lo, hi))) => {
            format!("{:.1} ({:.1} to {:.1})", 100.0 * r, 100.0 * lo, 100.0 * hi)
        }
        _ => "[x]".into(),
    };
    section.header = sheets::plain_header(&[
        what,
        "Searches",
        "Found",
        "Find rate (%)",
        "Arrests",
        "Arrest rate (%)",
    ]);
    section.numeric = vec![false, true, true, true, true, true];
    section.rows = s
        .groups
        .iter()
        .map(|g| {
            vec![
                g.value.clone(),
                thousands(g.searches as i64),
                g.found.map_or("[x]".into(), |n| thousands(n as i64)),
                with(g.find_rate, g.find_ci),
                thousands(g.arrests as i64),
                with(Some(g.arrest_rate), Some(g.arrest_ci)),
            ]
        })
        .collect();
}

/// The change in all searches and in their find rate.
fn change_sentence(ch: &SearchChange, alpha: f64) -> String {
    let Some(a) = ch.changes.iter().find(|c| c.value == ALL_SEARCHES) else {
        return String::new();
    };
    let verdict = |sig: bool| {
        if sig {
            "beyond ordinary variation"
        } else {
            "within ordinary variation"
        }
    };
    let c = &a.searches;
    let mut out = format!(
        "Searches went from {} in {} to {} in {} ({:+}; p = {}), {}",
        thousands(c.from_count),
        ch.from.period,
        thousands(c.to_count),
        ch.to.period,
        c.change,
        crate::render::format::p_value(c.p_value),
        verdict(c.significant)
    );
    if let (Some(((x1, n1), (x2, n2))), Some(t)) = (a.found, &a.find_test) {
        out += &format!(
            "; the find rate from {} to {} ({:+.1} points, p = {}), {}",
            pct(x1 as f64 / n1.max(1) as f64),
            pct(x2 as f64 / n2.max(1) as f64),
            100.0 * t.difference,
            crate::render::format::p_value(Some(t.p_value)),
            verdict(t.p_value <= alpha)
        );
    }
    out + "."
}

fn change_section(ch: &SearchChange, source: &str, alpha: f64) -> Section {
    let p = |x: Option<f64>| Cell::Text(crate::render::format::p_value(x));
    let rate = |f: Option<(u64, u64)>| match f {
        Some((k, n)) if n > 0 => Cell::Number(100.0 * k as f64 / n as f64, ONE_DP),
        _ => Cell::Unavailable,
    };
    let body = ch
        .changes
        .iter()
        .map(|c| {
            let s = &c.searches;
            let verdict = match (s.significant, s.change.signum()) {
                (true, 1) => "rise beyond chance",
                (true, -1) => "fall beyond chance",
                _ => "ordinary variation",
            };
            vec![
                Cell::Text(c.value.clone()),
                Cell::Count(s.from_count),
                Cell::Count(s.to_count),
                Cell::Count(s.change),
                p(s.p_value),
                p(s.q_value),
                Cell::Text(verdict.into()),
                rate(c.found.map(|f| f.0)),
                rate(c.found.map(|f| f.1)),
                p(c.find_q),
                Cell::Text(match c.find_q {
                    Some(q) if q <= alpha => "beyond chance".into(),
                    Some(_) => "ordinary variation".into(),
                    None => "nothing to test".into(),
                }),
            ]
        })
        .collect();
    let (from, to) = (ch.from.period.to_string(), ch.to.period.to_string());
    let names = [
        "Object of search",
        &from,
        &to,
        "Change",
        "p",
        "q",
        "Verdict",
        &format!("Find rate {from} (%)"),
        &format!("Find rate {to} (%)"),
        "Find rate q",
        "Find rate verdict",
    ];
    let heading = format!("Stop and search: the change from {from} to {to}");
    let intro = "Searches by object of search in both years with the comparison's count test (quasi-Poisson where the months vary more than chance), and the change in the find rate with the two-proportion z test; q adjusts each family of tests for the objects tested; all searches are a family of their own.".to_string();
    let mut section = typed_section(("searches-change", heading, intro), &names, body, source);
    compact_change(&mut section, &from, &to);
    section
}

/// The report shows the find rate's two years in one column (the appendix keeps both).
fn compact_change(section: &mut Section, from: &str, to: &str) {
    section.header = sheets::plain_header(&[
        "Object of search",
        from,
        to,
        "Change",
        "q",
        "Verdict",
        "Find rate (%)",
        "Find rate q",
    ]);
    section.numeric = vec![false, true, true, true, true, false, true, true];
    section.rows = section
        .rows
        .iter()
        .map(|r| {
            let mut out = r[..6].to_vec();
            out.push(format!("{} to {}", r[7], r[8]));
            out.push(r[9].clone());
            out
        })
        .collect();
}

fn rates_figure(
    s: &Searches,
    source: &str,
    formats: crate::render::chart::Formats,
    artefacts: &mut Vec<Artefact>,
) -> Result<Option<FigureView>> {
    // The most searched for first, those not recorded last.
    let mut groups: Vec<&SearchGroup> = s
        .groups
        .iter()
        .filter(|g| g.value != ALL_SEARCHES)
        .collect();
    groups.sort_by_key(|g| {
        (
            g.value == NOT_RECORDED,
            std::cmp::Reverse(g.searches),
            g.value.clone(),
        )
    });
    let bars: Vec<RateBar> = groups
        .into_iter()
        .filter_map(|g| {
            Some(RateBar {
                label: format!("{} ({})", g.value, thousands(g.searches as i64)),
                rate: g.find_rate?,
                ci: g.find_ci?,
            })
        })
        .collect();
    let Some(overall) = all(s).and_then(|a| a.find_rate) else {
        return Ok(None);
    };
    let labels = Labels {
        title: format!(
            "{} of {}'s stops and searches found what was searched for",
            pct(overall),
            s.period
        ),
        subtitle: format!(
            "{}, {}: find rate by object of search with its exact interval; the dashed line is all searches",
            s.area, s.period
        ),
        source: source.to_string(),
    };
    let figure = find_rates(&bars, Some(overall), &labels, formats)?;
    let name = format!("find-rate-{}", s.period.slug());
    Ok(Some(FigureView {
        heading: "Find rate by object of search".into(),
        caption: "Each point is the share of searches for that object (their number beside its name) whose outcome was linked to it, the line across it its exact interval: a wide line is a small number of searches.".into(),
        chart: chart_artefact(&name, labels, figure, artefacts),
    }))
}
