//! The change by place between two periods: per LSOA and crime type, and per anonymised point,
//! with the comparison's tests (dispersion from the months where both periods have them) and
//! every row of one table one family for the multiple-testing adjustment.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::harmonise::police_uk::CRIME_TYPES;
use crate::model::{Dataset, Period};
use crate::stats::place::crimes;
use crate::stats::{Change, CompareSettings, dispersion};

/// One LSOA's change in one crime type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceChange {
    pub lsoa_code: String,
    pub lsoa_name: String,
    pub change: Change,
}

/// Each LSOA x crime type's change from `from` to `to` in `area`, by data.police.uk's LSOA codes
/// (from the archive's LSOA detail, or a `points` source's points, unnamed):
/// the comparison's test (allowing for month-to-month dispersion where both periods have all
/// their months), every row one family for the multiple-testing adjustment.
pub fn lsoa_changes(
    data: &Dataset,
    area: &str,
    periods: (Period, Period),
    settings: &CompareSettings,
) -> Vec<PlaceChange> {
    let mut cells: BTreeMap<(String, usize), (String, Sides)> = BTreeMap::new();
    let mut add = |code: &str, name: &str, month, counts: &[u32; 14]| {
        for (t, &n) in counts.iter().enumerate() {
            let cell = cells
                .entry((code.to_string(), t))
                .or_insert_with(|| (name.to_string(), Sides::default()));
            cell.1.add(periods, month, i64::from(n));
        }
    };
    let mut detail = data.lsoa.iter().filter(|l| &*l.area == area).peekable();
    if detail.peek().is_some() {
        detail.for_each(|l| add(&l.lsoa_code, &l.lsoa_name, l.month, &l.counts));
    } else {
        // A `points` source keeps no LSOA detail: its points carry the same counts.
        for p in data.points.iter().filter(|p| &*p.area == area) {
            add(&p.lsoa_code, "", p.month, &p.counts);
        }
    }
    let mut out: Vec<PlaceChange> = cells
        .into_iter()
        .filter(|(_, (_, sides))| sides.any())
        .map(|((code, t), (name, sides))| PlaceChange {
            lsoa_code: code,
            lsoa_name: name,
            change: sides.tested(CRIME_TYPES[t], periods, settings),
        })
        .collect();
    adjust(out.iter_mut().map(|c| &mut c.change), settings);
    out
}

/// One place's counts by month on either side of a comparison.
#[derive(Debug, Clone, Default)]
struct Sides(
    BTreeMap<crate::model::Month, i64>,
    BTreeMap<crate::model::Month, i64>,
);

impl Sides {
    /// Adds `n` at `month` to the period holding it (neither: not counted).
    fn add(&mut self, (from, to): (Period, Period), month: crate::model::Month, n: i64) {
        let side = match (from.contains(month), to.contains(month)) {
            (true, _) => &mut self.0,
            (_, true) => &mut self.1,
            _ => return,
        };
        *side.entry(month).or_default() += n;
    }

    fn any(&self) -> bool {
        self.0.values().chain(self.1.values()).any(|&n| n > 0)
    }

    /// The change with the comparison's test, allowing for dispersion where both periods have
    /// their months.
    fn tested(
        &self,
        category: &str,
        (from, to): (Period, Period),
        settings: &CompareSettings,
    ) -> Change {
        let monthly = |p: Period, m: &BTreeMap<crate::model::Month, i64>| -> Vec<i64> {
            p.months()
                .map(|month| m.get(&month).copied().unwrap_or(0))
                .collect()
        };
        let (a, b) = (self.0.values().sum(), self.1.values().sum());
        let mut change = Change::new(category, a, b, settings);
        if let Some(d) = dispersion::estimate(&monthly(from, &self.0), &monthly(to, &self.1)) {
            change.allow_for(d, settings);
        }
        change
    }
}

/// One family's q-values, as the comparison adjusts its categories.
fn adjust<'a>(changes: impl Iterator<Item = &'a mut Change>, settings: &CompareSettings) {
    crate::stats::compare::adjust_changes(changes.collect(), settings);
}

/// One anonymised point's change in recorded crime between two periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointChange {
    pub location: String,
    pub longitude: f64,
    pub latitude: f64,
    pub lsoa_code: String,
    pub change: Change,
}

/// Each point's recorded crime (anti-social behaviour apart) in `from` and `to`, with the
/// comparison's test (dispersion from the months where both periods have them) and every point
/// one family for the multiple-testing adjustment; busiest in `to` first.
pub fn point_changes(
    data: &Dataset,
    area: &str,
    periods: (Period, Period),
    settings: &CompareSettings,
) -> Vec<PointChange> {
    let mut cells: BTreeMap<(String, String, String), (f64, f64, Sides)> = BTreeMap::new();
    for p in data
        .points
        .iter()
        .filter(|p| &*p.area == area && crimes(p) > 0)
    {
        let at = format!("{},{}", p.longitude, p.latitude);
        let key = (p.lsoa_code.to_string(), p.location.to_string(), at);
        let cell = cells
            .entry(key)
            .or_insert_with(|| (p.longitude, p.latitude, Sides::default()));
        cell.2.add(periods, p.month, crimes(p) as i64);
    }
    let mut out: Vec<PointChange> = cells
        .into_iter()
        .filter(|(_, (_, _, sides))| sides.any())
        .map(
            |((lsoa_code, location, _), (longitude, latitude, sides))| PointChange {
                location,
                longitude,
                latitude,
                lsoa_code,
                change: sides.tested("Recorded crime", periods, settings),
            },
        )
        .collect();
    adjust(out.iter_mut().map(|c| &mut c.change), settings);
    out.sort_by_key(|c| std::cmp::Reverse(c.change.to_count));
    out
}
