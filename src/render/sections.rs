//! Report sections that are one table each: rates per each denominator, the area beside its
//! peers, and the partner datasets' figures. Each becomes the same [`Section`] in the HTML and
//! Markdown report and a sheet of the data appendix.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{PartnerFigure, Unit, Value};
use crate::render::format::{p_value, signed, signed_pct, thousands};
use crate::render::sheets::{self, Sheet};
use crate::render::table::xlsx::Table;
use crate::render::table::{population_cell, rate_cell, value_cell};
use crate::stats::peers::PeerRow;
use crate::stats::rates::RateRow;

/// A titled table with the sentences a reader needs before and after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub id: String,
    pub heading: String,
    pub intro: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
    /// Which columns hold figures (right-aligned in the HTML report).
    pub numeric: Vec<bool>,
    /// The same figures typed for the data appendix (see [`crate::render::sheets`]).
    #[serde(skip)]
    pub sheet: Sheet,
    /// Who published the figures, for the appendix sheet's source line (set by the report).
    #[serde(skip)]
    pub source: String,
}

impl Section {
    /// The section as a data appendix sheet, with its own source line.
    pub fn appendix_table(&self, sheet: String, number: usize) -> Table {
        Table {
            sheet,
            title: format!("Table {number}: {}", self.heading),
            description: self.intro.clone(),
            source: self.source.clone(),
            header: self.sheet.0.clone(),
            rows: self.sheet.1.clone(),
        }
    }
}

/// Rates for one period, categories down, one column per denominator.
/// `period` is the period's label as the comparison gives it (saying so when it is partial).
pub fn rates(rows: &[RateRow], period: &str, per: f64, confidence: &str) -> Section {
    let mut names: Vec<&str> = Vec::new();
    for r in rows {
        if !names.contains(&r.denominator.as_str()) {
            names.push(&r.denominator);
        }
    }
    let per_label = thousands(per as i64);
    let mut header = vec!["Category".to_string(), "Count".to_string()];
    header.extend(
        names
            .iter()
            .map(|n| format!("Per {per_label} {n} ({confidence} interval)")),
    );
    let mut by_category: Vec<(String, i64, Vec<String>)> = Vec::new();
    for r in rows {
        let cell = format!(
            "{} ({} to {})",
            rate_cell(r.rate),
            rate_cell(r.ci_low),
            rate_cell(r.ci_high)
        );
        match by_category.iter_mut().find(|(c, _, _)| *c == r.category) {
            Some((_, _, cells)) => cells.push(cell),
            None => by_category.push((r.category.clone(), r.count, vec![cell])),
        }
    }
    let notes = rate_notes(rows, &names, period);
    Section {
        id: "rates".into(),
        heading: format!("Rates per {per_label} people, {period}"),
        intro: format!(
            "Recorded crime in {period} per {per_label} of each population, side by side; anti-social behaviour incidents are shown apart and are not in the crime total."
        ),
        header,
        rows: by_category
            .into_iter()
            .map(|(c, n, cells)| {
                let mut row = vec![c, thousands(n)];
                row.extend(cells);
                row
            })
            .collect(),
        numeric: figures_after(1, names.len() + 2),
        notes,
        sheet: sheets::rates(rows, &names, per, confidence),
        source: String::new(),
    }
}

/// Each denominator's population and source, then how to read the intervals.
fn rate_notes(rows: &[RateRow], names: &[&str], period: &str) -> Vec<String> {
    names
        .iter()
        .filter_map(|n| rows.iter().find(|r| r.denominator == *n))
        .map(|r| {
            format!(
                "{}: {} people in {} ({})",
                r.denominator,
                population_label(r.population),
                period,
                r.source
            )
        })
        .chain(std::iter::once("Intervals: Byar's method, exact Poisson below 10 events. A rate says which population it is per: where many more people work in or visit an area than live there, a rate per resident overstates the risk to any one person.".to_string()))
        .collect()
}

/// The area beside its peers: total recorded crime, change, test and rate.
pub fn peers(
    rows: &[PeerRow],
    from: &str,
    to: &str,
    per: f64,
    denominator: Option<&str>,
) -> Section {
    let mut header: Vec<String> = [
        "Area",
        from,
        to,
        "Change",
        "Percentage change",
        "p-value",
        "Significant",
    ]
    .map(String::from)
    .to_vec();
    if let Some(d) = denominator {
        header.push(format!("{to} per {} {d}", thousands(per as i64)));
    }
    let body = rows
        .iter()
        .map(|r| {
            let c = &r.change;
            let mut row = vec![
                r.area.clone(),
                thousands(c.from_count),
                thousands(c.to_count),
                signed(c.change),
                signed_pct(c.pct_change),
                p_value(c.p_value),
                if c.significant { "yes" } else { "no" }.to_string(),
            ];
            if denominator.is_some() {
                row.push(r.rate.map_or_else(String::new, |x| {
                    format!(
                        "{} ({} to {})",
                        rate_cell(x.rate),
                        rate_cell(x.low),
                        rate_cell(x.high)
                    )
                }));
            }
            row
        })
        .collect();
    Section {
        id: "peers".into(),
        heading: format!("Beside its peers, {from} and {to}"),
        intro: "Total recorded crime in the area and in each peer area, with the exact test of each change; the peer group row sums the peers.".into(),
        numeric: figures_after(1, header.len()),
        sheet: sheets::peers(rows, &header, denominator.is_some()),
        source: String::new(),
        header,
        rows: body,
        notes: vec![],
    }
}

/// Partner figures: each measure's values by period, with the change on its previous period.
pub fn partner(figures: &[PartnerFigure], disclosure: Option<i64>) -> Section {
    let mut previous: BTreeMap<(&str, &str, &str), &PartnerFigure> = BTreeMap::new();
    let mut sorted: Vec<&PartnerFigure> = figures.iter().collect();
    sorted.sort_by_key(|f| {
        (
            f.source.clone(),
            f.area.clone(),
            f.measure.clone(),
            f.period,
        )
    });
    let paired: Vec<(&PartnerFigure, Option<&PartnerFigure>)> = sorted
        .iter()
        .map(|f| {
            let key = (f.source.as_str(), f.area.as_str(), f.measure.as_str());
            (*f, previous.insert(key, f))
        })
        .collect();
    let rows = paired
        .iter()
        .map(|(f, before)| {
            vec![
                f.measure.clone(),
                f.area.clone(),
                f.period.to_string(),
                shown(f),
                before.map_or_else(String::new, |p| change(p, f)),
                f.source.clone(),
                f.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let mut notes = vec![
        "Partner figures are not recorded crime and are never added into crime totals.".to_string(),
    ];
    if let Some(t) = disclosure {
        notes.push(withheld_note(t));
    }
    if figures
        .iter()
        .any(|f| matches!(&f.value, Value::Suppressed(m) if m != crate::model::MARKER))
    {
        notes.push("[x], [z], *, .. and -: not available, not applicable or withheld at source; never read as zero.".into());
    }
    Section {
        id: "partner".into(),
        heading: "Partner data".into(),
        intro: "Figures from the partnership's other datasets, as declared in the config, with the change on each measure's previous period.".into(),
        header: ["Measure", "Area", "Period", "Value", "Change on previous period", "Source", "Note"]
            .map(String::from)
            .to_vec(),
        rows,
        notes,
        numeric: vec![false, false, false, true, true, false, false],
        sheet: sheets::partner(&paired),
        source: String::new(),
    }
}

/// Every column but the first `labels` holds figures.
fn figures_after(labels: usize, columns: usize) -> Vec<bool> {
    (0..columns).map(|i| i >= labels).collect()
}

fn shown(f: &PartnerFigure) -> String {
    match (&f.value, f.unit) {
        (Value::Measure(x), Unit::Percent) => format!("{x:.1}%"),
        (Value::Count(n), _) => thousands(*n),
        (v, _) => value_cell(v),
    }
}

/// A change in the unit's own terms: counts, or percentage points; none across a withheld value.
fn change(before: &PartnerFigure, after: &PartnerFigure) -> String {
    match (&before.value, &after.value, after.unit) {
        (Value::Count(a), Value::Count(b), _) => signed(b - a),
        (Value::Measure(a), Value::Measure(b), Unit::Percent) => format!("{:+.1} points", b - a),
        (Value::Measure(a), Value::Measure(b), _) => format!("{:+}", b - a),
        _ => String::new(),
    }
}

fn population_label(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        thousands(x as i64)
    } else {
        population_cell(x)
    }
}

/// What a reader is told about `[c]`.
fn withheld_note(threshold: i64) -> String {
    format!(
        "[c]: withheld to protect confidentiality: a count from 1 to {threshold}, or a figure withheld so that one cannot be worked out from a total and its other parts"
    )
}

/// An area's long views, as the report takes them: the area and its views.
pub type AreaViews = (String, Vec<crate::stats::longterm::LongView>);

/// The long view: each category with a trend or a seasonal profile, then per area one row for
/// the categories with neither, saying why (the appendix sheet lists every category).
pub fn long_term(areas: &[AreaViews], confidence: &str) -> Section {
    let mut rows = Vec::new();
    for (area, views) in areas {
        let (shown, rest): (Vec<_>, Vec<_>) = views
            .iter()
            .partition(|v| v.trend.is_some() || v.peak.is_some());
        rows.extend(shown.iter().map(|v| long_row(area, v)));
        if !rest.is_empty() {
            let span = views.first().map_or_else(String::new, long_span);
            rows.push(vec![
                format!("Other categories ({})", rest.len()),
                area.clone(),
                span,
                String::new(),
                String::new(),
                reasons(&rest),
            ]);
        }
    }
    Section {
        id: "long-term".into(),
        heading: "Long-term view".into(),
        intro: format!(
            "Each category's average annual change over the latest complete financial years (up to {LONG_YEARS}), from a log-linear trend that allows for more than Poisson variation between years, with its {confidence} interval; and, with three or more complete years of months, the month its seasonal index peaks (100 = an average month). A trend never spans a change of definition."
        ),
        header: [
            "Category",
            "Area",
            "Years",
            "Average annual change, % (interval)",
            "Seasonal peak (index)",
            "Note",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        notes: vec![
            "Fewer than three complete financial years give no trend: two points fit any line."
                .into(),
        ],
        numeric: vec![false, false, false, true, true, false],
        sheet: sheets::long_term(areas),
        source: String::new(),
    }
}

/// The most financial years a long view spans in the report.
pub const LONG_YEARS: usize = 5;

fn long_span(v: &crate::stats::longterm::LongView) -> String {
    if v.from == v.to {
        v.from.to_string()
    } else {
        format!("{} to {}", v.from, v.to)
    }
}

fn long_row(area: &str, v: &crate::stats::longterm::LongView) -> Vec<String> {
    let change = v.trend.map_or_else(String::new, |t| {
        format!(
            "{} ({} to {})",
            signed_pct(Some(t.annual_change)),
            signed_pct(Some(t.low)),
            signed_pct(Some(t.high))
        )
    });
    let peak = v
        .peak
        .as_ref()
        .map_or_else(String::new, |(m, i)| format!("{m} ({i:.1})"));
    vec![
        v.category.clone(),
        area.to_string(),
        long_span(v),
        change,
        peak,
        crate::render::spc::long_note(v),
    ]
}

/// Each reason once, with the categories it applies to where it is not the common one.
fn reasons(views: &[&crate::stats::longterm::LongView]) -> String {
    let mut by: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for v in views {
        by.entry(crate::render::spc::long_note(v))
            .or_default()
            .push(&v.category);
    }
    let common = by
        .iter()
        .max_by_key(|(_, c)| c.len())
        .map(|(r, _)| r.clone());
    by.iter()
        .map(|(reason, cats)| match &common {
            Some(c) if c == reason => format!("{}: {reason}", plural(cats.len())),
            _ => format!("{}: {reason}", cats.join(", ")),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 category".into()
    } else {
        format!("{n} categories")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FinancialYear, Month, Period};
    use crate::stats::longterm::{LongView, Trend};

    fn view(category: &str, trend: Option<Trend>, brk: Option<Month>) -> LongView {
        let fy = |y: &str| Period::FinancialYear(y.parse::<FinancialYear>().unwrap());
        LongView {
            category: category.into(),
            from: fy("2013/14"),
            to: fy("2017/18"),
            trend,
            series_break: brk,
            incomplete: false,
            peak: trend.map(|_| ("December".to_string(), 112.44)),
        }
    }

    #[test]
    fn long_term_shows_trends_and_says_why_the_rest_have_none() {
        let t = Trend {
            years: 5,
            annual_change: 3.21,
            low: -1.04,
            high: 7.66,
            dispersion: 2.5,
        };
        let views = vec![
            view("Shoplifting", Some(t), None),
            view("Arson", None, None),
            view("Criminal damage", None, None),
            view(
                "Burglary – Residential",
                None,
                Some("2017-04".parse().unwrap()),
            ),
        ];
        let s = long_term(&[("Area A".into(), views)], "95%");
        assert_eq!(
            s.rows[0],
            [
                "Shoplifting",
                "Area A",
                "2013/14 to 2017/18",
                "+3.2 (-1.0 to +7.7)",
                "December (112.4)",
                ""
            ]
        );
        assert_eq!(s.rows[1][0], "Other categories (3)");
        assert_eq!(
            s.rows[1][5],
            "2 categories: fewer than three complete years: no trend; \
             Burglary – Residential: series break from 2017-04: no trend across a change of definition"
        );
        // The appendix sheet lists every category, the trend's figures as numbers.
        assert_eq!(s.sheet.1.len(), 4);
        assert_eq!(
            s.sheet.1[0][5],
            crate::render::table::xlsx::Cell::Number(3.21, "0.0")
        );
        assert_eq!(
            s.sheet.1[1][5],
            crate::render::table::xlsx::Cell::Unavailable
        );
    }
}
