//! The chosen area beside a named group of peer areas (CSPs or forces in one Home Office table):
//! each area's change in recorded crime with its exact test, its rate where a denominator is
//! given, and the peer group as a whole.

use serde::Serialize;

use crate::error::Result;
use crate::harmonise::Period;
use crate::model::{Category, Dataset, Denominator};
use crate::stats::rates::{Rate, denominator_for, rate};
use crate::stats::{Change, CompareSettings, compare};

/// One area's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerRow {
    pub area: String,
    /// `area` (the one reported on), `peer`, or `peer group` (the peers summed).
    pub role: &'static str,
    /// Total recorded crime in the two periods, with its test.
    pub change: Change,
    /// The later period's rate per the chosen denominator, when one is named.
    pub rate: Option<Rate>,
}

/// What to compare, and against whom.
pub struct PeerQuery<'a> {
    pub area: &'a str,
    pub peers: &'a [String],
    pub from: Period,
    pub to: Period,
    pub settings: &'a CompareSettings,
    pub allow_partial: bool,
    /// A denominator's name and its figures, for rates; `None` for changes only.
    pub denominator: Option<(&'a str, &'a [Denominator])>,
    pub per: f64,
}

/// The area first, then each peer in the order given, then the peer group.
pub fn peers(data: &Dataset, q: &PeerQuery) -> Result<Vec<PeerRow>> {
    let mut out = Vec::new();
    let areas = std::iter::once(q.area.to_string()).chain(q.peers.iter().cloned());
    for (i, wanted) in areas.enumerate() {
        let area = crate::stats::counts::select_area(data, Some(&wanted))?;
        let cmp = compare(data, &area, q.from, q.to, q.settings, q.allow_partial)?;
        let mut change = cmp.total.clone();
        change.category = Category::from(area.as_str());
        let rate = area_rate(q, &data.names_of(&area), change.to_count)?;
        out.push(PeerRow {
            area,
            role: if i == 0 { "area" } else { "peer" },
            change,
            rate,
        });
    }
    if out.len() > 1 {
        out.push(group_row(data, &out[1..], q)?);
    }
    Ok(out)
}

fn area_rate(q: &PeerQuery, area: &[String], count: i64) -> Result<Option<Rate>> {
    let Some((name, denominators)) = q.denominator else {
        return Ok(None);
    };
    let d = denominator_for(denominators, name, area, q.to)?;
    Ok(rate(
        u64::try_from(count).unwrap_or(0),
        d.population,
        q.per,
        1.0 - q.settings.alpha,
    ))
}

/// The peers summed: counts, and the rate on their summed populations.
fn group_row(data: &Dataset, peers: &[PeerRow], q: &PeerQuery) -> Result<PeerRow> {
    let from: i64 = peers.iter().map(|p| p.change.from_count).sum();
    let to: i64 = peers.iter().map(|p| p.change.to_count).sum();
    let change = Change::new("Peer group", from, to, q.settings);
    let rate = match q.denominator {
        None => None,
        Some((name, denominators)) => {
            let mut population = 0.0;
            for p in peers {
                let names = data.names_of(&p.area);
                population += denominator_for(denominators, name, &names, q.to)?.population;
            }
            rate(
                u64::try_from(to).unwrap_or(0),
                population,
                q.per,
                1.0 - q.settings.alpha,
            )
        }
    };
    Ok(PeerRow {
        area: "Peer group".into(),
        role: "peer group",
        change,
        rate,
    })
}
