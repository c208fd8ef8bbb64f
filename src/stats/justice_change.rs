//! Two periods' crimes at the same follow-up, outcome group by outcome group: the change in each
//! share with the test of the difference in proportions (two-sided z test on the pooled
//! proportion; the interval of the difference from the unpooled standard error), p-values
//! adjusted across every category and group compared at once.

use statrs::distribution::{ContinuousCDF, Normal};

use super::justice::{Cohort, cohort};
use crate::error::{Error, Result};
use crate::model::Period;
use crate::model::justice::Justice;

/// The test of `to`'s proportion against `from`'s (each `(count, of)`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ProportionTest {
    /// `to`'s share less `from`'s.
    pub difference: f64,
    pub ci: (f64, f64),
    pub z: f64,
    pub p_value: f64,
}

/// The two-proportion z test and the interval of the difference; `None` when either period has
/// no crimes or neither has any in the group (nothing to test).
pub fn difference_in_proportions(
    (x1, n1): (u64, u64),
    (x2, n2): (u64, u64),
    confidence: f64,
) -> Option<ProportionTest> {
    if n1 == 0 || n2 == 0 || x1 + x2 == 0 || x1 + x2 == n1 + n2 {
        return None;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / n1f, x2 as f64 / n2f);
    let pooled = (x1 + x2) as f64 / (n1f + n2f);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    let z = (p2 - p1) / se;
    let normal = Normal::standard();
    let p_value = 2.0 * (1.0 - normal.cdf(z.abs()));
    let q = normal.inverse_cdf(1.0 - (1.0 - confidence) / 2.0);
    let unpooled = (p1 * (1.0 - p1) / n1f + p2 * (1.0 - p2) / n2f).sqrt();
    Some(ProportionTest {
        difference: p2 - p1,
        ci: (p2 - p1 - q * unpooled, p2 - p1 + q * unpooled),
        z,
        p_value,
    })
}

/// One category's change in one group.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupChange {
    pub category: String,
    pub group: crate::harmonise::outcome_groups::Group,
    /// (count, crimes) in each period.
    pub from: (u64, u64),
    pub to: (u64, u64),
    pub test: Option<ProportionTest>,
    pub q_value: Option<f64>,
}

/// Both cohorts at the follow-up they share, and the changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CohortChange {
    pub from: Cohort,
    pub to: Cohort,
    /// The follow-up both were read at, and why it was chosen.
    pub follow_up: u32,
    pub why: String,
    pub changes: Vec<GroupChange>,
}

/// `area`'s crimes of `from` and `to` at the same follow-up: `follow_up` when given (refused if
/// the outcome files do not cover it for both), else the longest they cover for both.
pub fn cohort_change(
    j: &Justice,
    area: &str,
    (from, to): (Period, Period),
    follow_up: Option<u32>,
    settings: &super::CompareSettings,
) -> Result<CohortChange> {
    let confidence = 1.0 - settings.alpha;
    let limit = |p: Period| cohort(j, (area, p), None, confidence).map(|c| c.follow_up);
    let (lf, lt) = (limit(from)?, limit(to)?);
    let (k, why) = match follow_up {
        Some(k) if k > lf.min(lt) => {
            return Err(Error::Usage(format!(
                "justice: the outcome files cover {lf} months after {from}'s crimes and {lt} after {to}'s: ask for --follow-up {} or less, so both stand at the same follow-up",
                lf.min(lt)
            )));
        }
        Some(k) => (k, format!("{k} months, as asked")),
        None => (
            lf.min(lt),
            format!(
                "{} months: the longest the outcome files cover for both ({lf} for {from}, {lt} for {to})",
                lf.min(lt)
            ),
        ),
    };
    let (a, b) = (
        cohort(j, (area, from), Some(k), confidence)?,
        cohort(j, (area, to), Some(k), confidence)?,
    );
    let changes = changes(&a, &b, settings);
    Ok(CohortChange {
        from: a,
        to: b,
        follow_up: k,
        why,
        changes,
    })
}

/// Each (category, group) of either cohort, in the later cohort's order then any only earlier.
fn changes(a: &Cohort, b: &Cohort, settings: &super::CompareSettings) -> Vec<GroupChange> {
    let key = |s: &super::justice::GroupShare| (s.category.clone(), s.group);
    let find = |c: &Cohort, k: &(String, _)| {
        c.shares
            .iter()
            .find(|s| key(s) == *k)
            .map_or((0, 0), |s| (s.count, s.crimes))
    };
    let mut keys: Vec<_> = b.shares.iter().map(key).collect();
    keys.extend(
        a.shares
            .iter()
            .map(key)
            .filter(|k| !b.shares.iter().any(|s| key(s) == *k)),
    );
    let confidence = 1.0 - settings.alpha;
    let mut out: Vec<GroupChange> = keys
        .into_iter()
        .map(|k| {
            let (from, to) = (find(a, &k), find(b, &k));
            GroupChange {
                test: difference_in_proportions(from, to, confidence),
                category: k.0,
                group: k.1,
                from,
                to,
                q_value: None,
            }
        })
        .collect();
    let p: Vec<Option<f64>> = out.iter().map(|c| c.test.map(|t| t.p_value)).collect();
    for (c, q) in out
        .iter_mut()
        .zip(super::dispersion::adjust(&p, settings.adjust))
    {
        c.q_value = q;
    }
    out
}
