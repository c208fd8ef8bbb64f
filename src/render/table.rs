//! Tables: the comparison and the counts behind it, as CSV (for machines), Markdown and plain
//! text (for people). Every format is filled from the same formatted rows, so they cannot
//! disagree.

use serde::Serialize;

use crate::model::{Observation, Value};
use crate::render::format::{pct, sig4, signed, signed_pct, thousands};
use crate::stats::{Change, Comparison};

/// The comparison CSV's columns, in order.
pub const COMPARISON_COLUMNS: [&str; 12] = [
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
    pub ci: String,
    pub significant: bool,
    pub small_numbers: bool,
    pub note: String,
}

/// The caveats on a row: small numbers, and why there is no test.
pub fn note(c: &Change, cmp: &Comparison) -> String {
    let mut parts = Vec::new();
    let small: Vec<String> = [(c.from_count, cmp.from), (c.to_count, cmp.to)]
        .iter()
        .filter(|(n, _)| *n <= cmp.small_numbers)
        .map(|(n, p)| format!("{} in {p}", thousands(*n)))
        .collect();
    if !small.is_empty() {
        parts.push(format!("small numbers: {}", small.join(", ")));
    }
    if c.p_value.is_none() {
        parts.push("no test: no crimes in either period".to_string());
    }
    parts.join("; ")
}

/// A row for people: thousands separators, signs, the interval as `low to high`.
pub fn display_row(c: &Change, cmp: &Comparison) -> DisplayRow {
    let ci = match (c.ci_low, c.ci_high) {
        (Some(low), Some(high)) => format!("{} to {}", sig4(Some(low)), sig4(Some(high))),
        (Some(low), None) => format!("{} to unbounded", sig4(Some(low))),
        _ => String::new(),
    };
    DisplayRow {
        category: c.category.clone(),
        from: thousands(c.from_count),
        to: thousands(c.to_count),
        change: signed(c.change),
        pct: signed_pct(c.pct_change),
        p_value: sig4(c.p_value),
        ci,
        significant: c.significant,
        small_numbers: c.small_numbers,
        note: note(c, cmp),
    }
}

/// Every row for people: categories, the total, then rows kept apart from it (ASB).
pub fn display_rows(cmp: &Comparison) -> Vec<DisplayRow> {
    cmp.rows
        .iter()
        .chain([&cmp.total])
        .chain(&cmp.separate)
        .map(|c| display_row(c, cmp))
        .collect()
}

/// The comparison as CSV with [`COMPARISON_COLUMNS`]; plain numbers, text cells made safe for
/// spreadsheets.
pub fn comparison_csv(cmp: &Comparison) -> String {
    let mut rows = vec![COMPARISON_COLUMNS.map(String::from).to_vec()];
    for c in cmp.rows.iter().chain([&cmp.total]).chain(&cmp.separate) {
        rows.push(vec![
            defuse(&c.category),
            cmp.label(false),
            cmp.label(true),
            c.from_count.to_string(),
            c.to_count.to_string(),
            c.change.to_string(),
            pct(c.pct_change),
            sig4(c.p_value),
            sig4(c.ci_low),
            c.ci_high.map_or_else(
                || {
                    if c.ci_low.is_some() {
                        "inf".into()
                    } else {
                        String::new()
                    }
                },
                |h| sig4(Some(h)),
            ),
            c.significant.to_string(),
            defuse(&note(c, cmp)),
        ]);
    }
    write_csv(&rows)
}

/// The comparison as a Markdown table.
pub fn comparison_markdown(cmp: &Comparison) -> String {
    let confidence = confidence_label(cmp.alpha);
    let header = [
        "Category".to_string(),
        cmp.label(false),
        cmp.label(true),
        "Change".into(),
        "% change".into(),
        "p-value".into(),
        format!("{confidence} CI of ratio"),
        "Note".into(),
    ];
    let rows: Vec<Vec<String>> = display_rows(cmp)
        .into_iter()
        .map(|r| {
            vec![
                r.category, r.from, r.to, r.change, r.pct, r.p_value, r.ci, r.note,
            ]
        })
        .collect();
    markdown(
        &header,
        &rows,
        &[false, true, true, true, true, true, false, false],
    )
}

/// The comparison as an aligned plain-text table for a terminal.
pub fn comparison_text(cmp: &Comparison) -> String {
    let header = [
        "category",
        &cmp.label(false),
        &cmp.label(true),
        "change",
        "%",
        "p",
        "sig",
        "note",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = display_rows(cmp)
        .into_iter()
        .map(|r| {
            let sig = if r.significant { "*" } else { "" };
            vec![
                r.category,
                r.from,
                r.to,
                r.change,
                r.pct,
                r.p_value,
                sig.into(),
                r.note,
            ]
        })
        .collect();
    aligned(
        &header,
        &rows,
        &[false, true, true, true, true, true, false, false],
    )
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
            let value = match &o.value {
                Value::Count(n) => n.to_string(),
                Value::Measure(x) => format!("{x}"),
                Value::Suppressed(marker) => marker.clone(),
            };
            vec![
                o.period.to_string(),
                o.area.clone(),
                o.category.clone(),
                value,
            ]
        })
        .collect()
}

/// LSOA counts as rows of [`LSOA_COLUMNS`] (the period is given by its first month's year span).
pub fn lsoa_rows(counts: &[crate::ingest::police_uk::LsoaCount]) -> Vec<Vec<String>> {
    counts
        .iter()
        .map(|l| {
            let code = if l.lsoa_code.is_empty() {
                "(no location)".to_string()
            } else {
                l.lsoa_code.clone()
            };
            vec![
                l.month.to_string(),
                l.area.clone(),
                code,
                l.lsoa_name.clone(),
                l.category.clone(),
                l.count.to_string(),
            ]
        })
        .collect()
}

/// Any table as CSV; text cells made safe for spreadsheets (the last column is the number).
pub fn csv_of(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut all = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    all.extend(rows.iter().map(|r| {
        let last = r.len() - 1;
        r.iter()
            .enumerate()
            .map(|(i, c)| if i == last { c.clone() } else { defuse(c) })
            .collect()
    }));
    write_csv(&all)
}

/// Any table as aligned text, the last column right-aligned.
pub fn plain(header: &[&str], rows: &[Vec<String>]) -> String {
    let right: Vec<bool> = (0..header.len()).map(|i| i == header.len() - 1).collect();
    aligned(
        &header.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
        rows,
        &right,
    )
}

/// Any table as a JSON array of objects; the last column as a number where it is one.
pub fn json_of(header: &[&str], rows: &[Vec<String>]) -> String {
    let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .iter()
        .map(|r| {
            header
                .iter()
                .zip(r)
                .map(|(h, c)| {
                    let v = c.parse::<i64>().map_or_else(
                        |_| serde_json::Value::String(c.clone()),
                        serde_json::Value::from,
                    );
                    (h.to_string(), v)
                })
                .collect()
        })
        .collect();
    serde_json::to_string_pretty(&objects).expect("the table serialises") + "\n"
}

/// Several areas' comparisons as one CSV: `area` then [`COMPARISON_COLUMNS`].
pub fn comparisons_csv(comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    for (i, cmp) in comparisons.iter().enumerate() {
        for (j, line) in comparison_csv(cmp).lines().enumerate() {
            match (i, j) {
                (0, 0) => out += &format!("area,{line}\n"),
                (_, 0) => {}
                _ => out += &format!("{},{line}\n", csv_field(&defuse(&cmp.area))),
            }
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    write_csv(&[vec![s.to_string()]]).trim_end().to_string()
}

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
            let counts: Vec<i64> = series
                .iter()
                .map(|s| {
                    s.points
                        .iter()
                        .find(|p| p.month == m)
                        .map_or(0, |p| p.count)
                })
                .collect();
            let crime: i64 = series
                .iter()
                .zip(&counts)
                .filter(|(s, _)| !crate::harmonise::police_uk::is_asb(&s.category))
                .map(|(_, n)| n)
                .sum();
            let mut row = vec![m.to_string()];
            row.extend(counts.iter().map(|n| thousands(*n)));
            row.push(thousands(crime));
            row
        })
        .collect();
    (header, rows)
}

/// The monthly series as tidy CSV: `month,area,category,count,rolling_12_month_average`.
pub fn monthly_csv(area: &str, series: &[crate::stats::trend::Series]) -> String {
    let mut rows = vec![
        [
            "month",
            "area",
            "category",
            "count",
            "rolling_12_month_average",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in series {
        for p in &s.points {
            let rolling = p.rolling_12.map_or_else(String::new, |r| format!("{r:.2}"));
            rows.push(vec![
                p.month.to_string(),
                defuse(area),
                defuse(&s.category),
                p.count.to_string(),
                rolling,
            ]);
        }
    }
    write_csv(&rows)
}

/// `0.05` -> `95%`.
pub fn confidence_label(alpha: f64) -> String {
    format!("{}%", sig4(Some(100.0 * (1.0 - alpha))))
}

/// A text cell that a spreadsheet would read as a formula gets a leading apostrophe, so it is
/// shown as the text it is.
pub fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

pub(crate) fn write_csv(rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row)
            .expect("writing CSV to memory cannot fail");
    }
    let bytes = writer
        .into_inner()
        .expect("flushing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("the CSV was built from UTF-8 strings")
}

/// Escapes text for a Markdown table cell: markup characters and pipes are shown, not read.
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn markdown(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut out = line(header.iter().map(|h| markdown_escape(h)).collect());
    out += &line(
        right
            .iter()
            .map(|&r| if r { "---:".into() } else { "---".into() })
            .collect(),
    );
    for row in rows {
        out += &line(row.iter().map(|c| markdown_escape(c)).collect());
    }
    out
}

pub(crate) fn aligned(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
    let width = |i: usize| {
        rows.iter()
            .chain([&header.to_vec()])
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if right[i] {
                    format!("{c:>w$}", w = widths[i])
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    for row in rows {
        out += &line(row);
    }
    out
}
