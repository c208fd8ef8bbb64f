//! The `spc` table (one row per month of each category's XmR chart) and the `trend` table (one
//! row per category's long view).

use crate::render::format::sig4;
use crate::stats::spc::{Cause, SpcRow, Variation};

/// `spc --format csv` columns.
pub const SPC_COLUMNS: [&str; 9] = [
    "area",
    "category",
    "month",
    "count",
    "mean",
    "lower",
    "upper",
    "special_cause",
    "variation",
];

/// A special cause as the table names it (empty for common cause).
pub fn cause_label(c: Cause) -> &'static str {
    match c {
        Cause::AboveUpperLimit => "above upper limit",
        Cause::BelowLowerLimit => "below lower limit",
        Cause::TrendUp => "7-point rising trend",
        Cause::TrendDown => "7-point falling trend",
        Cause::TwoInThreeHigh => "2 of 3 near upper limit",
        Cause::TwoInThreeLow => "2 of 3 near lower limit",
        Cause::RunAbove => "7 points above mean",
        Cause::RunBelow => "7 points below mean",
        Cause::Common => "",
    }
}

pub fn variation_label(v: Variation) -> &'static str {
    match v {
        Variation::Common => "common",
        Variation::Improving => "improving",
        Variation::Concerning => "concerning",
        Variation::Neither => "neither",
    }
}

/// Rows as [`SPC_COLUMNS`]; a month missing from its release has no count and no judgement.
pub fn rows(rows: &[SpcRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let mut cells = vec![
                r.area.clone(),
                r.category.clone(),
                r.month.to_string(),
                r.count.map_or_else(String::new, |n| n.to_string()),
            ];
            match &r.point {
                Some(p) => cells.extend([
                    sig4(Some(p.limits.mean)),
                    sig4(Some(p.limits.lower)),
                    sig4(Some(p.limits.upper)),
                    cause_label(p.cause).to_string(),
                    variation_label(p.variation).to_string(),
                ]),
                None => cells.extend(std::iter::repeat_n(String::new(), 5)),
            }
            cells
        })
        .collect()
}

/// `trend --format csv` columns.
pub const LONG_COLUMNS: [&str; 12] = [
    "area",
    "category",
    "from",
    "to",
    "years",
    "annual_change_pct",
    "low_pct",
    "high_pct",
    "dispersion",
    "peak_month",
    "peak_index",
    "note",
];

/// Rows as [`LONG_COLUMNS`].
pub fn long_rows(area: &str, views: &[crate::stats::longterm::LongView]) -> Vec<Vec<String>> {
    let one = |x: f64| format!("{x:.1}");
    views
        .iter()
        .map(|v| {
            let t = v.trend.as_ref();
            let note = long_note(v);
            vec![
                area.to_string(),
                v.category.clone(),
                v.from.to_string(),
                v.to.to_string(),
                t.map_or_else(String::new, |t| t.years.to_string()),
                t.map_or_else(String::new, |t| one(t.annual_change)),
                t.map_or_else(String::new, |t| one(t.low)),
                t.map_or_else(String::new, |t| one(t.high)),
                t.map_or_else(String::new, |t| sig4(Some(t.dispersion))),
                v.peak.as_ref().map_or_else(String::new, |p| p.0.clone()),
                v.peak.as_ref().map_or_else(String::new, |p| one(p.1)),
                note,
            ]
        })
        .collect()
}

/// Why a long view has no trend (empty where it has one).
pub fn long_note(v: &crate::stats::longterm::LongView) -> String {
    match (v.series_break, &v.trend) {
        _ if v.incomplete => "not in every year of the span: no trend".to_string(),
        (Some(m), _) => format!("series break from {m}: no trend across a change of definition"),
        (None, None) => "fewer than three complete years: no trend".to_string(),
        (None, Some(_)) => String::new(),
    }
}

/// `trend --rolling --format csv` columns.
pub const ROLLING_COLUMNS: [&str; 5] = [
    "area",
    "category",
    "month",
    "rolling_12_total",
    "series_break",
];

/// Each category's rolling 12-month totals (from the 12th month of an unbroken run on), and at the
/// month a change of definition took effect, the break and why: a trend across it is no trend.
pub fn rolling_rows(
    area: &str,
    series: &[crate::stats::trend::Series],
    breaks: &[crate::model::SeriesBreak],
    taxonomy: &crate::harmonise::taxonomy::Taxonomy,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for s in series {
        let category = taxonomy.category(&s.category);
        for p in &s.points {
            let at_break = breaks
                .iter()
                .find(|b| b.from == p.month && b.changed(&category))
                .map_or_else(String::new, |b| format!("from {}: {}", b.from, b.reason));
            out.push(vec![
                area.to_string(),
                s.category.clone(),
                p.month.to_string(),
                p.rolling_12
                    .map_or_else(String::new, |m| format!("{:.0}", 12.0 * m)),
                at_break,
            ]);
        }
    }
    out
}
