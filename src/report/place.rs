//! The report's "Where" section: the LSOA map, the Gi* hotspot map, how concentrated crime is,
//! and the busiest anonymised places, each table also a sheet of the appendix.

use crate::error::Result;
use crate::model::{Dataset, Period};
use crate::render::chart::Formats;
use crate::render::sections::Section;
use crate::render::sheets;
use crate::render::table::xlsx::{Cell, ONE_DP};
use crate::report::output::Artefact;
use crate::report::{TopicView, place_maps, sources};
use crate::stats::concentration::concentration;
use crate::stats::place::{PlaceEvidence, PointTotal};

/// How many of the busiest points the report lists.
const BUSIEST: usize = 10;

/// The view, its maps as artefacts, and its two tables.
pub fn build(
    ev: &PlaceEvidence,
    data: &Dataset,
    (compared, alpha, formats): (&str, f64, Formats),
    artefacts: &mut Vec<Artefact>,
) -> Result<TopicView> {
    let source = source_line(ev, data);
    let lsoas = lsoa_crimes(ev);
    let mut maps = Vec::new();
    let mut notes = Vec::new();
    if let Some(b) = &ev.boundaries {
        let cx = place_maps::Context {
            compared,
            source: &source,
            alpha,
            formats,
        };
        maps = place_maps::maps(ev, b, &lsoas, &cx, artefacts)?;
    } else if let Some(why) = &ev.no_boundaries {
        notes.push(format!(
            "No maps: {why}. The tables stand on data.police.uk's own LSOA codes."
        ));
    }
    let artefact_points = ev.points.iter().filter(|p| p.artefact).count();
    if artefact_points > 0 {
        notes.push(format!("{artefact_points} points hold over half of their LSOA's crime (of 10 or more): most likely snap points that take a whole area's crimes, a data artefact rather than a hotspot; flagged in the table."));
    }
    if let Some(((from, to), _)) = &ev.change {
        notes.push(change_note(*from, *to));
    }
    notes.push("Anti-social behaviour incidents are not recorded crime: they are counted apart and never in the totals, maps or hotspots.".into());
    Ok(TopicView {
        id: "where".into(),
        heading: format!("Where crime concentrates: {}, {}", ev.area, ev.period),
        intro: format!(
            "Recorded crime by the LSOA and the anonymised street point data.police.uk gives each crime (its points are snapped to nearby streets to protect victims' privacy), {} (the latest financial year the street data covers whole).",
            ev.period
        ),
        paragraphs: vec![concentration_sentence(&lsoas, &ev.points)],
        figures: maps,
        notes,
        tables: [
            Some(lsoa_section(ev, &lsoas, &source)),
            change_section(ev, &source),
            Some(points_section(ev, &source)),
        ]
        .into_iter()
        .flatten()
        .collect(),
    })
}

/// Each LSOA's recorded crimes and ASB incidents (code, name, crimes, ASB), busiest first.
fn lsoa_crimes(ev: &PlaceEvidence) -> Vec<(String, String, u64, u64)> {
    let mut by: std::collections::BTreeMap<&str, (u64, u64)> = std::collections::BTreeMap::new();
    for p in ev.points.iter().filter(|p| !p.lsoa_code.is_empty()) {
        let e = by.entry(p.lsoa_code.as_str()).or_default();
        (e.0, e.1) = (e.0 + p.crimes, e.1 + p.asb);
    }
    let name = |code: &str| {
        ev.boundaries
            .as_ref()
            .and_then(|b| b.places.iter().find(|p| p.code == code))
            .map_or_else(String::new, |p| p.name.clone())
    };
    let mut out: Vec<_> = by
        .into_iter()
        .map(|(c, (n, a))| (c.to_string(), name(c), n, a))
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.2));
    out
}

fn source_line(ev: &PlaceEvidence, data: &Dataset) -> String {
    let mut used: Vec<usize> = data
        .points
        .iter()
        .filter(|p| *p.area == *ev.area)
        .map(|p| p.input)
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut line = format!("Source: {}", sources::line(data, &used));
    if let Some(b) = &ev.boundaries {
        line += &format!(
            "; boundaries: Office for National Statistics ({})",
            b.display
        );
    }
    line + "."
}

fn concentration_sentence(lsoas: &[(String, String, u64, u64)], points: &[PointTotal]) -> String {
    let by_lsoa: Vec<u64> = lsoas.iter().map(|l| l.2).filter(|&n| n > 0).collect();
    let by_point: Vec<u64> = points.iter().map(|p| p.crimes).filter(|&n| n > 0).collect();
    let (l, p) = (concentration(&by_lsoa), concentration(&by_point));
    let f = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |x| format!("{x:.2}"));
    let pct =
        |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |x| format!("{:.1}%", 100.0 * x));
    let generalised = match (p.generalised, p.gini) {
        (Some(g), Some(s)) if (g - s).abs() > 5e-3 => format!(
            " (generalised for there being fewer crimes than points: {})",
            f(Some(g))
        ),
        _ => String::new(),
    };
    format!(
        "Across the {} LSOAs where crime was recorded, the Gini coefficient is {} (0: every LSOA alike; 1: all crime in one) and the busiest 5% of them hold {} of it; across the {} anonymised points, the Gini is {}{generalised} and the busiest 5% hold {}.",
        l.places,
        f(l.gini),
        pct(l.top5),
        p.places,
        f(p.gini),
        pct(p.top5)
    )
}

/// A cell as the HTML and Markdown tables show it.
pub(crate) fn shown(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.clone(),
        Cell::Count(n) => crate::render::format::thousands(*n),
        Cell::Number(x, _) => format!("{x:.1}"),
        Cell::Unavailable => "[x]".into(),
    }
}

/// A table section from its typed cells: the report shows them as text, the appendix as they are.
pub(crate) fn typed_section(
    (id, heading, intro): (&str, String, String),
    names: &[&str],
    body: Vec<Vec<Cell>>,
    source: &str,
) -> Section {
    let numeric = body
        .first()
        .map(|r| {
            r.iter()
                .map(|c| matches!(c, Cell::Count(_) | Cell::Number(..)))
                .collect()
        })
        .unwrap_or_else(|| vec![false; names.len()]);
    Section {
        id: id.into(),
        heading,
        intro,
        header: sheets::plain_header(names),
        rows: body.iter().map(|r| r.iter().map(shown).collect()).collect(),
        notes: Vec::new(),
        numeric,
        sheet: (sheets::plain_header(names), body),
        source: source
            .trim_start_matches("Source: ")
            .trim_end_matches('.')
            .to_string(),
    }
}

fn lsoa_section(ev: &PlaceEvidence, lsoas: &[(String, String, u64, u64)], source: &str) -> Section {
    let total: u64 = lsoas.iter().map(|l| l.2).sum();
    let share = |n: u64| {
        if total > 0 {
            100.0 * n as f64 / total as f64
        } else {
            0.0
        }
    };
    let body = lsoas
        .iter()
        .map(|(c, name, n, a)| {
            vec![
                Cell::Text(c.clone()),
                Cell::Text(name.clone()),
                Cell::Count(*n as i64),
                Cell::Number(share(*n), ONE_DP),
                Cell::Count(*a as i64),
            ]
        })
        .collect();
    let intro = format!(
        "{} recorded crimes located by data.police.uk in {} LSOAs, busiest first; crimes without a location are not here.",
        crate::render::format::thousands(total as i64),
        lsoas.len()
    );
    let heading = format!("Where: recorded crime by LSOA, {}", ev.period);
    let names = [
        "LSOA",
        "Name",
        "Recorded crimes",
        "Share of located crime (%)",
        "ASB incidents",
    ];
    typed_section(("where-lsoa", heading, intro), &names, body, source)
}

fn points_section(ev: &PlaceEvidence, source: &str) -> Section {
    // The busiest points, and every point flagged as a snap artefact however busy.
    let top = ev
        .points
        .iter()
        .filter(|p| p.crimes > 0)
        .enumerate()
        .filter(|(i, p)| *i < BUSIEST || p.artefact)
        .map(|(_, p)| p);
    let flag = |p: &PointTotal| {
        if p.artefact {
            "snap artefact: most of its LSOA's crime"
        } else {
            ""
        }
    };
    let body = top
        .map(|p| {
            vec![
                Cell::Text(p.location.clone()),
                Cell::Text(p.lsoa_code.clone()),
                Cell::Count(p.crimes as i64),
                Cell::Number(100.0 * p.share_of_lsoa, ONE_DP),
                Cell::Text(flag(p).to_string()),
            ]
        })
        .collect();
    let intro = format!(
        "The {BUSIEST} anonymised street points with the most recorded crime, and any point that holds most of its LSOA's crime. `On or near` names the street a point was snapped to, not an address."
    );
    let heading = format!("Where: the busiest places, {}", ev.period);
    let names = [
        "Location",
        "LSOA",
        "Recorded crimes",
        "Share of its LSOA's crime (%)",
        "Note",
    ];
    typed_section(("where-points", heading, intro), &names, body, source)
}

/// Which periods the change by LSOA compares, and why those.
fn change_note(from: Period, to: Period) -> String {
    let why = match to {
        Period::FinancialYear(_) => "the latest two financial years the street points cover whole",
        _ => {
            "the street points cover no two whole financial years, so the latest quarter they cover whole is set against the same quarter a year before (the same months, so season does not pass for change)"
        }
    };
    format!(
        "The change by LSOA compares {from} with {to}: {why}. Each LSOA is tested as the comparison tests a category, the LSOAs one family for the multiple-testing adjustment."
    )
}

/// Each LSOA's change in recorded crime with its test, the largest rises first.
fn change_section(ev: &PlaceEvidence, source: &str) -> Option<Section> {
    let ((from, to), changes) = ev.change.as_ref()?;
    let name = |code: &str| {
        ev.boundaries
            .as_ref()
            .and_then(|b| b.places.iter().find(|p| p.code == code))
            .map_or_else(String::new, |p| p.name.clone())
    };
    let mut rows: Vec<_> = changes.iter().filter(|c| !c.lsoa_code.is_empty()).collect();
    rows.sort_by_key(|c| (std::cmp::Reverse(c.change.change), c.lsoa_code.clone()));
    let verdict = |c: &crate::stats::Change| match (c.significant, c.change.signum()) {
        (true, 1) => "rise beyond chance",
        (true, -1) => "fall beyond chance",
        _ => "ordinary variation",
    };
    let p = |x: Option<f64>| Cell::Text(crate::render::format::p_value(x));
    let body = rows
        .iter()
        .map(|c| {
            let ch = &c.change;
            vec![
                Cell::Text(c.lsoa_code.clone()),
                Cell::Text(name(&c.lsoa_code)),
                Cell::Count(ch.from_count),
                Cell::Count(ch.to_count),
                Cell::Count(ch.change),
                p(ch.p_value),
                p(ch.q_value),
                Cell::Text(verdict(ch).to_string()),
            ]
        })
        .collect();
    let intro = format!(
        "Recorded crimes (anti-social behaviour apart) by LSOA in {from} and in {to}, the largest rises first, with the comparison's test; q is the p-value adjusted for the {} LSOAs tested; a verdict of ordinary variation means the change is within what chance gives.",
        rows.len()
    );
    let heading = format!("Where: the change by LSOA, {from} to {to}");
    let names = [
        "LSOA",
        "Name",
        &from.to_string(),
        &to.to_string(),
        "Change",
        "p",
        "q",
        "Verdict",
    ];
    Some(typed_section(
        ("where-change", heading, intro),
        &names,
        body,
        source,
    ))
}
