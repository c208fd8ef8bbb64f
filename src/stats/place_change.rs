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
/// (from the archive's LSOA detail, or a `points` source's points, unnamed): the comparison's
/// test (allowing for month-to-month dispersion where both periods have all their months), every
/// row one family for the multiple-testing adjustment.
pub fn lsoa_changes(
    data: &Dataset,
    area: &str,
    periods: (Period, Period),
    settings: &CompareSettings,
) -> Vec<PlaceChange> {
    changes_by(data, area, periods, settings, false)
}

/// What the total of recorded crime is called in the change by place.
pub const TOTAL: &str = "Total recorded crime";

/// Each LSOA's change in all recorded crime (anti-social behaviour apart), tested as
/// [`lsoa_changes`] tests each type, the LSOAs one family: what the change map shows.
pub fn lsoa_total_changes(
    data: &Dataset,
    area: &str,
    periods: (Period, Period),
    settings: &CompareSettings,
) -> Vec<PlaceChange> {
    changes_by(data, area, periods, settings, true)
}

fn changes_by(
    data: &Dataset,
    area: &str,
    periods: (Period, Period),
    settings: &CompareSettings,
    total: bool,
) -> Vec<PlaceChange> {
    // Keyed by code and crime type (none: the total).
    let mut cells: BTreeMap<(String, Option<usize>), (String, Sides)> = BTreeMap::new();
    let mut add = |code: &str, name: &str, month, counts: &[u32; 14]| {
        let split: Vec<(Option<usize>, u32)> = if total {
            // Anti-social behaviour (the first type) is not recorded crime.
            vec![(None, counts[1..].iter().sum())]
        } else {
            counts
                .iter()
                .enumerate()
                .map(|(t, &n)| (Some(t), n))
                .collect()
        };
        for (t, n) in split {
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
            change: sides.tested(t.map_or(TOTAL, |t| CRIME_TYPES[t]), periods, settings),
        })
        .collect();
    adjust(out.iter_mut().map(|c| &mut c.change), settings);
    out
}

/// The two periods the report's change map compares: the latest financial year `area`'s points
/// cover whole and the one before, when both are whole; else the latest financial quarter they
/// cover whole and the same quarter a year before (so season does not pass for change).
pub fn change_periods(data: &Dataset, area: &str) -> Option<(Period, Period)> {
    let months = crate::stats::place::point_months(data, area);
    let whole = |p: Period| p.months().all(|m| months.contains(&m));
    let year_before = |p: Period| match p {
        Period::FinancialYear(y) => {
            crate::model::period::FinancialYear::new(y.start_year() - 1).map(Period::FinancialYear)
        }
        Period::FinancialQuarter(y, q) => {
            crate::model::period::FinancialYear::new(y.start_year() - 1)
                .map(|y| Period::FinancialQuarter(y, q))
        }
        _ => None,
    };
    let pair = |p: Period| Some((year_before(p)?, p)).filter(|(a, b)| whole(*a) && whole(*b));
    let mut years: Vec<_> = months.iter().map(|m| m.financial_year()).collect();
    years.dedup();
    let quarters: Vec<Period> = months
        .iter()
        .map(|m| Period::FinancialQuarter(m.financial_year(), m.financial_quarter()))
        .collect();
    years
        .into_iter()
        .rev()
        .map(Period::FinancialYear)
        .find_map(pair)
        .or_else(|| quarters.into_iter().rev().find_map(pair))
}

/// One place's counts by month on either side of a comparison.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sides(
    BTreeMap<crate::model::Month, i64>,
    BTreeMap<crate::model::Month, i64>,
);

impl Sides {
    /// Adds `n` at `month` to the period holding it (neither: not counted).
    pub(crate) fn add(&mut self, (from, to): (Period, Period), month: crate::model::Month, n: i64) {
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
    pub(crate) fn tested(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::place::PointRecord;

    fn point(month: &str, lsoa: &str, counts: [u32; 14]) -> PointRecord {
        PointRecord {
            input: 0,
            month: month.parse().unwrap(),
            area: "X".into(),
            longitude: -0.09,
            latitude: 51.51,
            location: "On or near Here".into(),
            lsoa_code: lsoa.into(),
            counts,
        }
    }

    fn months(from: &str, n: i32) -> Vec<PointRecord> {
        let first: crate::model::Month = from.parse().unwrap();
        (0..n)
            .map(|i| point(&first.plus(i).to_string(), "A", [0; 14]))
            .collect()
    }

    #[test]
    fn the_change_map_compares_whole_years_else_the_same_quarter_a_year_apart() {
        let fy = |s: &str| s.parse::<Period>().unwrap();
        let data = |points| Dataset {
            points,
            ..Dataset::default()
        };
        // 2015-04 to 2017-03: two whole financial years.
        let d = data(months("2015-04", 24));
        assert_eq!(
            change_periods(&d, "X"),
            Some((fy("2015/16"), fy("2016/17")))
        );
        // 2016-01 to 2017-06 (the shipped points): one whole year; April to June in both 2016
        // and 2017.
        let d = data(months("2016-01", 18));
        assert_eq!(
            change_periods(&d, "X"),
            Some((fy("2016/17 Q1"), fy("2017/18 Q1")))
        );
        // Eleven months: nothing to compare.
        assert_eq!(change_periods(&data(months("2016-04", 11)), "X"), None);
    }

    #[test]
    fn the_total_change_adds_every_type_but_asb() {
        // ASB 7 (not crime), bicycle theft 2, burglary 3 in June 2016; burglary 9 in June 2017.
        let mut a = [0u32; 14];
        (a[0], a[1], a[2]) = (7, 2, 3);
        let mut b = [0u32; 14];
        b[2] = 9;
        let d = Dataset {
            points: vec![point("2016-06", "A", a), point("2017-06", "A", b)],
            ..Dataset::default()
        };
        let periods = ("2016-06".parse().unwrap(), "2017-06".parse().unwrap());
        let c = lsoa_total_changes(&d, "X", periods, &CompareSettings::default());
        assert_eq!(c.len(), 1);
        let ch = &c[0].change;
        assert_eq!(
            (ch.category.as_str(), ch.from_count, ch.to_count),
            (TOTAL, 5, 9)
        );
        // One month each side: the exact conditional test, X ~ Bin(14, 1/2), 9 or more of 14:
        // p = 2 x (2002 + 1001 + 364 + 91 + 14 + 1) / 16384 = 0.4240 (by hand).
        let p = ch.p_value.unwrap();
        assert!((p - 0.4240).abs() < 5e-5, "{p}");
    }
}
