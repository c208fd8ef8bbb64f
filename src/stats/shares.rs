//! Each offence group's share of the total, in both periods, and acquisitive crime's share. On
//! data.police.uk types, a type that spans several groups is a share of its own, and anti-social
//! behaviour (not crime) has none.

use serde::Serialize;

use crate::error::Result;
use crate::harmonise::taxonomy::Taxonomy;
use crate::stats::Comparison;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub group: String,
    pub from_count: i64,
    pub to_count: i64,
    /// Percentage of the total in each period.
    pub from_pct: f64,
    pub to_pct: f64,
}

/// Shares by group (largest first in the later period) and the acquisitive share
/// (earlier, later), in per cent.
pub fn shares(cmp: &Comparison, taxonomy: &Taxonomy) -> Result<(Vec<Share>, (f64, f64))> {
    let mut out: Vec<Share> = Vec::new();
    let (mut acq_from, mut acq_to) = (0, 0);
    for row in &cmp.rows {
        let Some((group, acquisitive)) = taxonomy.share_group(row.category.as_str())? else {
            continue;
        };
        if acquisitive {
            acq_from += row.from_count;
            acq_to += row.to_count;
        }
        match out.iter_mut().find(|s| s.group == group) {
            Some(s) => {
                s.from_count += row.from_count;
                s.to_count += row.to_count;
            }
            None => out.push(Share {
                group,
                from_count: row.from_count,
                to_count: row.to_count,
                from_pct: 0.0,
                to_pct: 0.0,
            }),
        }
    }
    let pct = |n: i64, total: i64| {
        if total == 0 {
            0.0
        } else {
            100.0 * n as f64 / total as f64
        }
    };
    for s in &mut out {
        s.from_pct = pct(s.from_count, cmp.total.from_count);
        s.to_pct = pct(s.to_count, cmp.total.to_count);
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.to_count));
    Ok((
        out,
        (
            pct(acq_from, cmp.total.from_count),
            pct(acq_to, cmp.total.to_count),
        ),
    ))
}
