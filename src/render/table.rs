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

/// Every row for people, the total last.
pub fn display_rows(cmp: &Comparison) -> Vec<DisplayRow> {
    cmp.rows
        .iter()
        .chain([&cmp.total])
        .map(|c| display_row(c, cmp))
        .collect()
}

/// The comparison as CSV with [`COMPARISON_COLUMNS`]; plain numbers, text cells made safe for
/// spreadsheets.
pub fn comparison_csv(cmp: &Comparison) -> String {
    let mut rows = vec![COMPARISON_COLUMNS.map(String::from).to_vec()];
    for c in cmp.rows.iter().chain([&cmp.total]) {
        rows.push(vec![
            defuse(&c.category),
            cmp.from.to_string(),
            cmp.to.to_string(),
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
        cmp.from.to_string(),
        cmp.to.to_string(),
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
        &cmp.from.to_string(),
        &cmp.to.to_string(),
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

/// One period's figures, as rows of [`COUNTS_COLUMNS`].
pub fn count_rows(figures: &[&Observation]) -> Vec<Vec<String>> {
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

/// Counts as CSV.
pub fn counts_csv(figures: &[&Observation]) -> String {
    let mut rows = vec![COUNTS_COLUMNS.map(String::from).to_vec()];
    rows.extend(
        count_rows(figures)
            .into_iter()
            .map(|r| r.iter().map(|c| defuse(c)).collect()),
    );
    write_csv(&rows)
}

/// Counts as aligned text.
pub fn counts_text(figures: &[&Observation]) -> String {
    aligned(
        &COUNTS_COLUMNS.map(String::from),
        &count_rows(figures),
        &[false, false, false, true],
    )
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
