//! Stop and search year on year, value by value (each object of search, say): the change in
//! searches with the comparison's own count test (exact Poisson, quasi-Poisson where the months
//! vary more than Poisson allows), and the change in the find and arrest rates with the test of
//! the difference in proportions. Each kind of test is one family for the multiple-testing
//! adjustment; the all-searches row is a family of its own, as the comparison's total is.

use std::collections::BTreeMap;

use super::CompareSettings;
use super::compare::{Change, adjust_changes};
use super::dispersion::adjust as adjusted;
use super::justice_change::{ProportionTest, difference_in_proportions};
use super::place_change::Sides;
use super::searches::{ALL_SEARCHES, SearchBy, SearchGroup, Searches, files_of, searches};
use crate::error::Result;
use crate::model::Period;
use crate::model::justice::Justice;

/// One value's change in searches, finds and arrests.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ValueChange {
    pub value: String,
    /// Searches in each period, with the comparison's test.
    pub searches: Change,
    /// (found, searches) in each period, and the test of the find rate's change; `None` where a
    /// release does not say whether anything was found.
    pub found: Option<((u64, u64), (u64, u64))>,
    pub find_test: Option<ProportionTest>,
    pub find_q: Option<f64>,
    /// (arrests, searches) in each period, and the test of the arrest rate's change.
    pub arrests: ((u64, u64), (u64, u64)),
    pub arrest_test: Option<ProportionTest>,
    pub arrest_q: Option<f64>,
}

/// Both periods' searches by one field and the change in each value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchChange {
    pub from: Searches,
    pub to: Searches,
    pub changes: Vec<ValueChange>,
}

/// `area`'s searches of `from` and `to` by `by`, value by value (the later period's order, then
/// any value only the earlier has), all searches last.
pub fn search_change(
    j: &Justice,
    area: &str,
    (from, to): (Period, Period),
    by: SearchBy,
    settings: &CompareSettings,
) -> Result<SearchChange> {
    super::compare::comparable_periods(from, to)?;
    let confidence = 1.0 - settings.alpha;
    let (a, b) = (
        searches(j, (area, from), by, confidence)?,
        searches(j, (area, to), by, confidence)?,
    );
    let mut sides: BTreeMap<&str, Sides> = BTreeMap::new();
    let mut all = Sides::default();
    for p in [from, to] {
        for f in files_of(j, area, p)? {
            for s in &f.searches {
                sides
                    .entry(by.value(s))
                    .or_default()
                    .add((from, to), f.month, 1);
                all.add((from, to), f.month, 1);
            }
        }
    }
    let mut changes: Vec<ValueChange> = values(&a, &b)
        .into_iter()
        .map(|v| {
            let side = if v == ALL_SEARCHES {
                &all
            } else {
                &sides[v.as_str()]
            };
            let change = side.tested(&v, (from, to), settings);
            value_change(&v, change, (group(&a, &v), group(&b, &v)), confidence)
        })
        .collect();
    adjust(&mut changes, settings);
    Ok(SearchChange {
        from: a,
        to: b,
        changes,
    })
}

/// The values of either period: the later's in order, then any only the earlier has, all
/// searches last.
fn values(a: &Searches, b: &Searches) -> Vec<String> {
    let mut out: Vec<String> = b
        .groups
        .iter()
        .map(|g| g.value.clone())
        .filter(|v| v != ALL_SEARCHES)
        .collect();
    for g in &a.groups {
        if g.value != ALL_SEARCHES && !out.contains(&g.value) {
            out.push(g.value.clone());
        }
    }
    out.push(ALL_SEARCHES.to_string());
    out
}

fn group<'a>(s: &'a Searches, value: &str) -> Option<&'a SearchGroup> {
    s.groups.iter().find(|g| g.value == value)
}

fn value_change(
    value: &str,
    searches: Change,
    (a, b): (Option<&SearchGroup>, Option<&SearchGroup>),
    confidence: f64,
) -> ValueChange {
    let n = |g: Option<&SearchGroup>| g.map_or(0, |g| g.searches);
    // A value absent from a period had no searches there: nothing found, nobody arrested.
    let found = |g: Option<&SearchGroup>| match g {
        None => Some(0),
        Some(g) => g.found,
    };
    let found = match (found(a), found(b)) {
        (Some(x), Some(y)) => Some(((x, n(a)), (y, n(b)))),
        _ => None,
    };
    let arrests = |g: Option<&SearchGroup>| g.map_or(0, |g| g.arrests);
    let arrests = ((arrests(a), n(a)), (arrests(b), n(b)));
    ValueChange {
        value: value.to_string(),
        searches,
        find_test: found.and_then(|(x, y)| difference_in_proportions(x, y, confidence)),
        find_q: None,
        found,
        arrest_test: difference_in_proportions(arrests.0, arrests.1, confidence),
        arrest_q: None,
        arrests,
    }
}

/// The searches' tests are one family, the find rates' another, the arrest rates' a third; the
/// all-searches row is adjusted with none of them.
fn adjust(changes: &mut [ValueChange], settings: &CompareSettings) {
    let (values, all) = changes.split_at_mut(changes.len().saturating_sub(1));
    adjust_changes(
        values.iter_mut().map(|c| &mut c.searches).collect(),
        settings,
    );
    let ps = |f: fn(&ValueChange) -> Option<&ProportionTest>| -> Vec<Option<f64>> {
        values.iter().map(|c| f(c).map(|t| t.p_value)).collect()
    };
    let find = adjusted(&ps(|c| c.find_test.as_ref()), settings.adjust);
    let arrest = adjusted(&ps(|c| c.arrest_test.as_ref()), settings.adjust);
    for ((c, f), a) in values.iter_mut().zip(find).zip(arrest) {
        (c.find_q, c.arrest_q) = (f, a);
    }
    for c in all {
        c.find_q = c.find_test.map(|t| t.p_value);
        c.arrest_q = c.arrest_test.map(|t| t.p_value);
    }
}
