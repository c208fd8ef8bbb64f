//! Tables, in one place: the rows every format shares (here), and one file per format:
//! [`csv`] (tidy, for machines), [`markdown`], [`text`] (a terminal), [`json`], [`html`] (a
//! standalone accessible table) and [`xlsx`] (the data appendix).
//!
//! Every format is filled from the same formatted rows, so they cannot disagree, and every
//! data-derived string is escaped for its format.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;
pub mod xlsx;

pub use self::csv::{comparison_csv, comparisons_csv, csv_of, defuse, monthly_csv, write_csv};
pub use self::json::json_of;
pub use self::markdown::{comparison_markdown, markdown, markdown_escape};
pub use self::text::{aligned, comparison_text, plain};

use serde::Serialize;

use crate::model::{Observation, Value};
use crate::render::format::{p_value, pct, sig4, signed, signed_pct, thousands};
use crate::stats::compare::Across;
use crate::stats::{Change, Comparison};

/// The comparison CSV's columns, in order.
pub const COMPARISON_COLUMNS: [&str; 15] = [
    "category",
    "from_period",
    "to_period",
    "from_count",
    "to_count",
    "change",
    "pct_change",
    "p_value",
    "ci_low",
    "ci_high",
    "significant",
    "note",
    "q_value",
    "dispersion",
    "test",
];

/// The counts CSV's columns, in order.
pub const COUNTS_COLUMNS: [&str; 4] = ["period", "area", "category", "count"];

/// One comparison row formatted for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisplayRow {
    pub category: String,
    pub from: String,
    pub to: String,
    pub change: String,
    pub pct: String,
    pub p_value: String,
    pub q_value: String,
    pub ci: String,
    pub significant: bool,
    pub small_numbers: bool,
    pub note: String,
}

/// The caveats on a row: a change of definition, small numbers, and why there is no test.
pub fn note(c: &Change, cmp: &Comparison) -> String {
    let mut parts = Vec::new();
    if let Some(across) = &c.across {
        parts.push(across_note(across));
    }
    if !c.missing.is_empty() {
        parts.push(missing_note(&c.missing));
    }
    let small: Vec<String> = [(c.from_count, cmp.from), (c.to_count, cmp.to)]
        .iter()
        .filter(|(n, _)| *n <= cmp.small_numbers)
        .map(|(n, p)| format!("{} in {p}", thousands(*n)))
        .collect();
    if !small.is_empty() {
        parts.push(format!("small numbers: {}", small.join(", ")));
    }
    if c.p_value.is_none() && c.across.is_none() {
        parts.push(if c.from_count < 0 || c.to_count < 0 {
            "no test: a count is negative (a net adjustment, as published)".to_string()
        } else {
            "no test: no crimes in either period".to_string()
        });
    }
    parts.join("; ")
}

/// `partial: no figure for 2017-05 (missing from the release)`.
pub fn missing_note(months: &[crate::model::Month]) -> String {
    let months: Vec<String> = months.iter().map(ToString::to_string).collect();
    format!(
        "partial: no figure for {} (missing from the release)",
        months.join(", ")
    )
}

/// `not comparable: definition changed from 2017-04 (...); compared as Burglary`, or, on the whole,
/// what it holds and why it is compared.
pub fn across_note(across: &Across) -> String {
    match across {
        Across::Changed { series_break: b } => {
            let whole = b
                .together
                .as_ref()
                .map_or_else(String::new, |w| format!("; compared as {w}"));
            format!(
                "not comparable: definition changed from {} ({}){whole}",
                b.from, b.reason
            )
        }
        Across::Together { series_break: b } => format!(
            "{} together: continuous across the change of definition from {}; not added into the total (its parts are)",
            b.categories.join(" and "),
            b.from
        ),
    }
}

/// A row for people: thousands separators, signs, the interval as `low to high`.
pub fn display_row(c: &Change, cmp: &Comparison) -> DisplayRow {
    let ci = match (c.ci_low, c.ci_high) {
        (Some(low), Some(high)) => format!("{} to {}", sig4(Some(low)), sig4(Some(high))),
        (Some(low), None) => format!("{} to unbounded", sig4(Some(low))),
        _ => String::new(),
    };
    DisplayRow {
        category: c.category.to_string(),
        from: thousands(c.from_count),
        to: thousands(c.to_count),
        change: signed(c.change),
        pct: signed_pct(c.pct_change),
        p_value: p_value(c.p_value),
        q_value: p_value(c.q_value),
        ci,
        significant: c.significant,
        small_numbers: c.small_numbers,
        note: note(c, cmp),
    }
}

/// Every row of a comparison, in the order every format shows them: categories, the total, then
/// rows kept apart from it (ASB).
pub fn changes(cmp: &Comparison) -> impl Iterator<Item = &Change> {
    cmp.rows
        .iter()
        .chain([&cmp.total])
        .chain(&cmp.together)
        .chain(&cmp.separate)
}

/// What the comparison's tests rest on, in one sentence for a table's caption.
pub fn test_note(cmp: &Comparison) -> String {
    let rows: Vec<&Change> = changes(cmp).filter(|c| c.p_value.is_some()).collect();
    let quasi = rows
        .iter()
        .filter(|c| c.test == crate::stats::dispersion::Test::QuasiPoisson)
        .count();
    let estimated = rows.iter().filter(|c| c.dispersion.is_some()).count();
    let test = if estimated == 0 {
        "p-value: exact conditional test of two Poisson counts, which assumes Poisson variation: no sub-period data to check it".to_string()
    } else {
        format!(
            "p-value: dispersion estimated from the sub-period counts of {estimated} rows; {quasi} vary more than Poisson and are tested allowing for it (quasi-Poisson, Student's t), the rest by the exact conditional test of two Poisson counts"
        )
    };
    let family = cmp
        .rows
        .iter()
        .chain(&cmp.together)
        .filter(|c| c.p_value.is_some())
        .count();
    format!(
        "{test}; q-value: {} across the {family} categories tested; significant: q at or below {}",
        cmp.adjust.label(),
        cmp.alpha
    )
}

/// Every row for people.
pub fn display_rows(cmp: &Comparison) -> Vec<DisplayRow> {
    changes(cmp).map(|c| display_row(c, cmp)).collect()
}

/// A row for machines, as [`COMPARISON_COLUMNS`]: plain numbers, the unbounded interval end as
/// `inf`, no escaping (each format escapes its own).
pub fn tidy_row(c: &Change, cmp: &Comparison) -> Vec<String> {
    let ci_high = match (c.ci_low, c.ci_high) {
        (_, Some(h)) => sig4(Some(h)),
        (Some(_), None) => "inf".into(),
        (None, None) => String::new(),
    };
    vec![
        c.category.to_string(),
        cmp.label(false),
        cmp.label(true),
        c.from_count.to_string(),
        c.to_count.to_string(),
        c.change.to_string(),
        pct(c.pct_change),
        p_value(c.p_value),
        sig4(c.ci_low),
        ci_high,
        c.significant.to_string(),
        note(c, cmp),
        p_value(c.q_value),
        c.dispersion.map_or_else(String::new, |d| sig4(Some(d.phi))),
        c.p_value
            .map_or_else(String::new, |_| c.test.label().to_string()),
    ]
}

/// The `counts --by lsoa` columns.
pub const LSOA_COLUMNS: [&str; 6] = [
    "period",
    "area",
    "lsoa_code",
    "lsoa_name",
    "category",
    "count",
];

/// One period's figures, as rows of [`COUNTS_COLUMNS`].
pub fn count_rows(figures: &[Observation]) -> Vec<Vec<String>> {
    figures
        .iter()
        .map(|o| {
            let value = value_cell(&o.value);
            vec![
                o.period.to_string(),
                o.area.clone(),
                o.category.to_string(),
                value,
            ]
        })
        .collect()
}

/// LSOA counts as rows of [`LSOA_COLUMNS`], labelled with the period asked for.
pub fn lsoa_rows(counts: &[crate::model::LsoaCount]) -> Vec<Vec<String>> {
    counts
        .iter()
        .map(|l| {
            let code = if l.lsoa_code.is_empty() {
                "(no location)".to_string()
            } else {
                l.lsoa_code.clone()
            };
            vec![
                l.period.to_string(),
                l.area.clone(),
                code,
                l.lsoa_name.clone(),
                l.category.clone(),
                l.count.to_string(),
            ]
        })
        .collect()
}

/// A month missing from its release, in tables for people and the appendix (the GSS marker for
/// "not available").
pub const MISSING: &str = "[x]";

/// The monthly table for people: one row per month, one column per category, then Total crime.
pub fn monthly_rows(series: &[crate::stats::trend::Series]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["Month".to_string()];
    header.extend(series.iter().map(|s| s.category.clone()));
    header.push("Total crime".into());
    let months: std::collections::BTreeSet<crate::harmonise::Month> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.month))
        .collect();
    let rows = months
        .into_iter()
        .map(|m| {
            // No point: none published that month (0); a point without a count: missing.
            let counts: Vec<Option<i64>> = series
                .iter()
                .map(|s| {
                    s.points
                        .iter()
                        .find(|p| p.month == m)
                        .map_or(Some(0), |p| p.count)
                })
                .collect();
            let crime: Option<i64> = series
                .iter()
                .zip(&counts)
                .filter(|(s, _)| !crate::harmonise::police_uk::is_asb(&s.category))
                .map(|(_, n)| *n)
                .sum();
            let cell = |n: Option<i64>| n.map_or_else(|| MISSING.to_string(), thousands);
            let mut row = vec![m.to_string()];
            row.extend(counts.iter().map(|n| cell(*n)));
            row.push(cell(crime));
            row
        })
        .collect();
    (header, rows)
}

/// `0.05` -> `95%`.
pub fn confidence_label(alpha: f64) -> String {
    format!("{}%", sig4(Some(100.0 * (1.0 - alpha))))
}

/// A rate, or an interval limit, for a table: three decimals.
pub fn rate_cell(x: f64) -> String {
    format!("{x:.3}")
}

/// A population: whole people without decimals.
pub fn population_cell(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// Rates as rows of [`crate::stats::rates::COLUMNS`].
pub fn rate_rows(rows: &[crate::stats::rates::RateRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.category.clone(),
                r.period.to_string(),
                r.count.to_string(),
                r.denominator.clone(),
                population_cell(r.population),
                rate_cell(r.rate),
                rate_cell(r.ci_low),
                rate_cell(r.ci_high),
            ]
        })
        .collect()
}

/// The peer table: its header (the rate columns only when rates were computed) and rows.
pub fn peer_rows(
    rows: &[crate::stats::peers::PeerRow],
    per: f64,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let with_rates = rows.iter().any(|r| r.rate.is_some());
    let mut header = vec![
        "area",
        "role",
        "from_count",
        "to_count",
        "change",
        "pct_change",
        "p_value",
        "significant",
    ];
    if with_rates {
        header.extend(["rate", "rate_ci_low", "rate_ci_high", "per"]);
    }
    let cells = rows
        .iter()
        .map(|r| {
            let c = &r.change;
            let mut row = vec![
                r.area.clone(),
                r.role.to_string(),
                c.from_count.to_string(),
                c.to_count.to_string(),
                c.change.to_string(),
                c.pct_change.map(|p| format!("{p:.1}")).unwrap_or_default(),
                p_value(c.p_value),
                if c.significant { "yes" } else { "no" }.to_string(),
            ];
            if with_rates {
                let (rate, low, high) = r
                    .rate
                    .map(|x| (rate_cell(x.rate), rate_cell(x.low), rate_cell(x.high)))
                    .unwrap_or_default();
                row.extend([rate, low, high, population_cell(per)]);
            }
            row
        })
        .collect();
    (header, cells)
}

/// The partner figures' columns, in order.
pub const MEASURE_COLUMNS: [&str; 7] = [
    "source", "area", "measure", "period", "value", "unit", "note",
];

/// A published value as a table shows it: counts whole, measures as given, markers as written.
pub fn value_cell(v: &Value) -> String {
    match v {
        Value::Count(n) => n.to_string(),
        Value::Measure(x) => format!("{x}"),
        Value::Suppressed(marker) => marker.clone(),
    }
}

/// Partner figures as rows of [`MEASURE_COLUMNS`], in source order.
pub fn measure_rows(figures: &[crate::model::PartnerFigure]) -> Vec<Vec<String>> {
    figures
        .iter()
        .map(|f| {
            vec![
                f.source.clone(),
                f.area.clone(),
                f.measure.clone(),
                f.period.to_string(),
                value_cell(&f.value),
                format!("{:?}", f.unit).to_lowercase(),
                f.note.clone().unwrap_or_default(),
            ]
        })
        .collect()
}
