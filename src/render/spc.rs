//! The `spc` table: one row per month of each category's XmR chart.

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
