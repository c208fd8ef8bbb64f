//! Plain-text tables aligned for a terminal.

use crate::render::table::display_rows;
use crate::stats::Comparison;

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

/// Any table as aligned text, the last column right-aligned.
pub fn plain(header: &[&str], rows: &[Vec<String>]) -> String {
    let right: Vec<bool> = (0..header.len()).map(|i| i == header.len() - 1).collect();
    aligned(
        &header.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
        rows,
        &right,
    )
}

pub fn aligned(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
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
