//! `justice` as rows: each crime type's share in each outcome group at the stated follow-up.

use crate::render::format::sig4;
use crate::stats::justice::Cohort;

pub const JUSTICE_COLUMNS: [&str; 10] = [
    "area",
    "period",
    "category",
    "outcome_group",
    "crimes",
    "count",
    "share",
    "ci_low",
    "ci_high",
    "follow_up_months",
];

/// One row per crime type and outcome group (the group's key, as `data/outcome-groups.csv`
/// names it), shares and their exact interval to four significant figures.
pub fn cohort_rows(c: &Cohort) -> Vec<Vec<String>> {
    c.shares
        .iter()
        .map(|s| {
            vec![
                c.area.clone(),
                c.period.to_string(),
                s.category.clone(),
                s.group.key().to_string(),
                s.crimes.to_string(),
                s.count.to_string(),
                sig4(Some(s.share)),
                sig4(Some(s.ci_low)),
                sig4(Some(s.ci_high)),
                c.follow_up.to_string(),
            ]
        })
        .collect()
}

pub const SEARCH_COLUMNS: [&str; 15] = [
    "area",
    "period",
    "by",
    "value",
    "searches",
    "found",
    "find_rate",
    "find_rate_low",
    "find_rate_high",
    "arrests",
    "arrest_rate",
    "arrest_rate_low",
    "arrest_rate_high",
    "strip_searches",
    "without_location",
];

/// One row per value searched by, then all searches; rates and intervals to four significant
/// figures.
pub fn search_rows(s: &crate::stats::searches::Searches) -> Vec<Vec<String>> {
    let f = |x: f64| sig4(Some(x));
    s.groups
        .iter()
        .map(|g| {
            vec![
                s.area.clone(),
                s.period.to_string(),
                s.by.key().to_string(),
                g.value.clone(),
                g.searches.to_string(),
                g.found.map_or(String::new(), |n| n.to_string()),
                sig4(g.find_rate),
                sig4(g.find_ci.map(|c| c.0)),
                sig4(g.find_ci.map(|c| c.1)),
                g.arrests.to_string(),
                f(g.arrest_rate),
                f(g.arrest_ci.0),
                f(g.arrest_ci.1),
                g.strip.map_or(String::new(), |n| n.to_string()),
                g.without_location.to_string(),
            ]
        })
        .collect()
}

pub const JUSTICE_CHANGE_COLUMNS: [&str; 18] = [
    "area",
    "from_period",
    "to_period",
    "category",
    "outcome_group",
    "from_crimes",
    "from_count",
    "from_share",
    "to_crimes",
    "to_count",
    "to_share",
    "difference",
    "difference_low",
    "difference_high",
    "p_value",
    "q_value",
    "significant",
    "follow_up_months",
];

/// One row per crime type and group: both shares, the difference with its interval and test,
/// `yes` where the adjusted p-value is at or below `alpha`.
pub fn change_rows(c: &crate::stats::justice_change::CohortChange, alpha: f64) -> Vec<Vec<String>> {
    let share = |(k, n): (u64, u64)| sig4((n > 0).then(|| k as f64 / n as f64));
    c.changes
        .iter()
        .map(|g| {
            let t = g.test.as_ref();
            vec![
                c.from.area.clone(),
                c.from.period.to_string(),
                c.to.period.to_string(),
                g.category.clone(),
                g.group.key().to_string(),
                g.from.1.to_string(),
                g.from.0.to_string(),
                share(g.from),
                g.to.1.to_string(),
                g.to.0.to_string(),
                share(g.to),
                sig4(t.map(|t| t.difference)),
                sig4(t.map(|t| t.ci.0)),
                sig4(t.map(|t| t.ci.1)),
                crate::render::format::p_value(t.map(|t| t.p_value)),
                crate::render::format::p_value(g.q_value),
                match g.q_value {
                    Some(q) if q <= alpha => "yes".into(),
                    Some(_) => "no".into(),
                    None => String::new(),
                },
                c.follow_up.to_string(),
            ]
        })
        .collect()
}

pub const DISPROPORTIONALITY_COLUMNS: [&str; 9] = [
    "area",
    "period",
    "ethnicity",
    "searches",
    "population",
    "rate_per_1000",
    "ratio_to_white",
    "ratio_low",
    "ratio_high",
];

/// One row per broad ethnic group: searches per 1,000 residents and the ratio to the White
/// group's rate with its interval.
pub fn disproportionality_rows(
    (area, period): (&str, &str),
    rows: &[crate::stats::disproportionality::Disproportion],
) -> Vec<Vec<String>> {
    rows.iter()
        .map(|d| {
            let r = |f: fn(&(f64, f64, f64)) -> f64| sig4(d.ratio.as_ref().map(f));
            vec![
                area.to_string(),
                period.to_string(),
                d.group.clone(),
                d.searches.to_string(),
                d.population.to_string(),
                sig4(Some(d.rate_per_1000)),
                r(|x| x.0),
                r(|x| x.1),
                r(|x| x.2),
            ]
        })
        .collect()
}

pub const SEARCH_CHANGE_COLUMNS: [&str; 21] = [
    "area",
    "from_period",
    "to_period",
    "by",
    "value",
    "from_searches",
    "to_searches",
    "change",
    "p_value",
    "q_value",
    "significant",
    "from_find_rate",
    "to_find_rate",
    "find_difference",
    "find_p_value",
    "find_q_value",
    "from_arrest_rate",
    "to_arrest_rate",
    "arrest_difference",
    "arrest_p_value",
    "arrest_q_value",
];

/// One row per value then all searches: both periods' searches with the count test, and each
/// rate's change with the test of the difference in proportions.
pub fn search_change_rows(
    c: &crate::stats::search_change::SearchChange,
    alpha: f64,
) -> Vec<Vec<String>> {
    let rate = |(k, n): (u64, u64)| sig4((n > 0).then(|| k as f64 / n as f64));
    let p = |x: Option<f64>| crate::render::format::p_value(x);
    let yes = |q: Option<f64>| match q {
        Some(q) if q <= alpha => "yes".to_string(),
        Some(_) => "no".into(),
        None => String::new(),
    };
    c.changes
        .iter()
        .map(|v| {
            let s = &v.searches;
            let (f, a) = (v.find_test.as_ref(), v.arrest_test.as_ref());
            vec![
                c.from.area.clone(),
                c.from.period.to_string(),
                c.to.period.to_string(),
                c.from.by.key().to_string(),
                v.value.clone(),
                s.from_count.to_string(),
                s.to_count.to_string(),
                s.change.to_string(),
                p(s.p_value),
                p(s.q_value),
                yes(s.q_value),
                v.found.map_or(String::new(), |x| rate(x.0)),
                v.found.map_or(String::new(), |x| rate(x.1)),
                sig4(f.map(|t| t.difference)),
                p(f.map(|t| t.p_value)),
                p(v.find_q),
                rate(v.arrests.0),
                rate(v.arrests.1),
                sig4(a.map(|t| t.difference)),
                p(a.map(|t| t.p_value)),
                p(v.arrest_q),
            ]
        })
        .collect()
}
