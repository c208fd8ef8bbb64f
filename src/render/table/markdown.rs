//! Markdown tables, with markup characters and pipes in data shown rather than read.

use crate::render::table::{confidence_label, display_rows};
use crate::stats::Comparison;

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
        "q-value".into(),
        format!("{confidence} CI of ratio"),
        "Note".into(),
    ];
    let rows: Vec<Vec<String>> = display_rows(cmp)
        .into_iter()
        .map(|r| {
            vec![
                r.category, r.from, r.to, r.change, r.pct, r.p_value, r.q_value, r.ci, r.note,
            ]
        })
        .collect();
    markdown(
        &header,
        &rows,
        &[false, true, true, true, true, true, true, false, false],
    )
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

pub fn markdown(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
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
