//! Two periods side by side: counts, absolute and percentage change, the exact test, the ratio
//! interval and the small-numbers flag, per category and for the total of all categories.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::{Error, Location, Result};
use crate::harmonise::police_uk::is_asb;
use crate::harmonise::{Month, Period};
use crate::model::{Category, Dataset, Observation, SeriesBreak, Unit, Value};
use crate::stats::counts::{Coverage, Figures, figures_among};
use crate::stats::dispersion::{self, Dispersion, Test};
use crate::stats::{CompareSettings, exact};

/// The name of the row that sums every category.
pub const TOTAL: &str = "Total";
/// Its name when anti-social behaviour is shown apart (it is never part of a crime total).
pub const TOTAL_CRIME: &str = "Total crime";

/// One category's change between two periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub category: Category,
    pub from_count: i64,
    pub to_count: i64,
    pub change: i64,
    /// Percentage change; `None` when the earlier count is 0 (or negative, as a net adjustment).
    pub pct_change: Option<f64>,
    /// Two-sided p-value of the exact conditional test; `None` when there is nothing to test.
    pub p_value: Option<f64>,
    /// Interval for the ratio later / earlier at confidence `1 - alpha`.
    pub ci_low: Option<f64>,
    /// `None` when the interval is unbounded above (earlier count 0) or there is nothing to test.
    pub ci_high: Option<f64>,
    /// Significant at alpha by the adjusted q-value (the p-value where no adjustment applies).
    pub significant: bool,
    /// The p-value adjusted for the other tests of its family (the categories of one
    /// comparison); a total is a family of one, so its q-value is its p-value.
    pub q_value: Option<f64>,
    /// The dispersion estimated from sub-period counts, where both periods have them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispersion: Option<Dispersion>,
    /// The test behind `p_value`.
    pub test: Test,
    /// Either count is at or below the small-numbers threshold.
    pub small_numbers: bool,
    /// Months missing from their release inside either period (compared with `--allow-partial`
    /// only): the row is partial.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Month>,
    /// How a change of definition inside the compared span touches this row, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub across: Option<Across>,
}

/// How a series break inside the compared span touches a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "role")]
pub enum Across {
    /// One of the categories the break changed: its counts are shown, never tested, and it has no
    /// percentage change (the change of definition would pass as a change in crime).
    Changed { series_break: SeriesBreak },
    /// The changed categories together, continuous across the break: tested in their place.
    Together { series_break: SeriesBreak },
}

/// A whole comparison: one row per category in source order, then the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub area: String,
    pub from: Period,
    pub to: Period,
    pub alpha: f64,
    pub small_numbers: i64,
    /// How the categories' p-values were adjusted together.
    pub adjust: dispersion::Adjust,
    pub rows: Vec<Change>,
    pub total: Change,
    /// Categories a break changed, compared together where the whole is continuous. Their parts
    /// are in `rows` and the total; these are never added into it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub together: Vec<Change>,
    /// Rows shown after the total and never added into it: anti-social behaviour incidents.
    pub separate: Vec<Change>,
    /// Months covered, for periods rolled up from monthly data (`None`: published as a whole).
    pub from_coverage: Option<Coverage>,
    pub to_coverage: Option<Coverage>,
    /// Indices of the input files the figures came from.
    #[serde(skip)]
    pub inputs: Vec<usize>,
}

impl Comparison {
    /// Whether either period is built from fewer months than it spans.
    pub fn is_partial(&self) -> bool {
        [&self.from_coverage, &self.to_coverage]
            .iter()
            .any(|c| c.as_ref().is_some_and(Coverage::is_partial))
    }

    /// A period's label, saying so when it is partial: `2017/18 (partial: 3 of 12 months)`.
    pub fn label(&self, later: bool) -> String {
        let (period, coverage) = if later {
            (self.to, &self.to_coverage)
        } else {
            (self.from, &self.from_coverage)
        };
        match coverage {
            Some(c) if c.is_partial() => {
                format!("{period} (partial: {} of {} months)", c.have, c.of)
            }
            _ => period.to_string(),
        }
    }
}

impl Change {
    /// The change from `from` to `to` for `category`.
    pub fn new(
        category: impl Into<Category>,
        from: i64,
        to: i64,
        settings: &CompareSettings,
    ) -> Change {
        let test = match (u64::try_from(from), u64::try_from(to)) {
            (Ok(a), Ok(b)) => exact::poisson_ratio_test(a, b, 1.0 - settings.alpha),
            _ => None,
        };
        Change {
            category: category.into(),
            from_count: from,
            to_count: to,
            change: to - from,
            // A percentage of a negative (a net adjustment as published) means nothing.
            pct_change: (from > 0).then(|| 100.0 * (to - from) as f64 / from as f64),
            p_value: test.map(|t| t.p_value),
            ci_low: test.map(|t| t.ratio_low),
            ci_high: test.and_then(|t| t.ratio_high),
            significant: test.is_some_and(|t| t.p_value <= settings.alpha),
            q_value: test.map(|t| t.p_value),
            dispersion: None,
            test: Test::ExactPoisson,
            small_numbers: from.min(to) <= settings.small_numbers,
            missing: Vec::new(),
            across: None,
        }
    }

    /// Allows for the dispersion `d` estimated from sub-period counts: above Poisson (phi > 1),
    /// the quasi-Poisson test and its wider interval replace the exact ones.
    pub fn allow_for(&mut self, d: Dispersion, settings: &CompareSettings) {
        self.dispersion = Some(d);
        let (Ok(a), Ok(b)) = (u64::try_from(self.from_count), u64::try_from(self.to_count)) else {
            return;
        };
        if d.phi <= 1.0 || self.p_value.is_none() {
            return;
        }
        let (p, interval) = dispersion::quasi_test(a, b, d, 1.0 - settings.alpha);
        self.p_value = Some(p);
        self.q_value = Some(p);
        if let Some((low, high)) = interval {
            (self.ci_low, self.ci_high) = (Some(low), Some(high));
        }
        self.significant = p <= settings.alpha;
        self.test = Test::QuasiPoisson;
    }

    /// This row as one the break changed: shown, not tested.
    fn changed_by(&mut self, b: &SeriesBreak) {
        self.pct_change = None;
        self.p_value = None;
        self.q_value = None;
        self.ci_low = None;
        self.ci_high = None;
        self.significant = false;
        self.across = Some(Across::Changed {
            series_break: b.clone(),
        });
    }

    /// Whether the change goes up, down or neither, significance aside.
    pub fn direction(&self) -> std::cmp::Ordering {
        self.to_count.cmp(&self.from_count)
    }
}

/// The total row's name: "Total crime" when anti-social behaviour is shown apart, else "Total".
pub fn total_label(asb_apart: bool) -> &'static str {
    if asb_apart { TOTAL_CRIME } else { TOTAL }
}

/// Compares `area`'s counts in `from` and `to`, category by category.
pub fn compare(
    data: &Dataset,
    area: &str,
    from: Period,
    to: Period,
    settings: &CompareSettings,
    allow_partial: bool,
) -> Result<Comparison> {
    let own: Vec<&Observation> = data
        .observations
        .iter()
        .filter(|o| o.area == area)
        .collect();
    compare_among(data, (area, &own), (from, to), settings, allow_partial)
}

/// [`compare`] from `own`, the area's observations (see [`crate::stats::counts::by_area`]).
pub fn compare_among(
    data: &Dataset,
    (area, own): (&str, &[&Observation]),
    (from, to): (Period, Period),
    settings: &CompareSettings,
    allow_partial: bool,
) -> Result<Comparison> {
    comparable_periods(from, to)?;
    let before_figures = figures_among(data, own, (area, from, "--from"), allow_partial)?;
    let after_figures = figures_among(data, own, (area, to, "--to"), allow_partial)?;
    let before = keyed(data, &before_figures)?;
    let after = keyed(data, &after_figures)?;
    let (mut rows, mut separate) = paired(data, &before, &after, (from, to), settings)?;
    for c in rows.iter_mut().chain(separate.iter_mut()) {
        let gaps = before_figures.gaps.iter().chain(&after_figures.gaps);
        c.missing = gaps
            .filter(|g| g.category.key() == c.category.key())
            .map(|g| g.month)
            .collect();
    }
    let subs = (
        sub_counts(&before_figures, from),
        sub_counts(&after_figures, to),
    );
    for c in rows.iter_mut().chain(separate.iter_mut()) {
        allow_for_dispersion(c, &subs, &[c.category.key().to_string()], settings);
    }
    let mut together = apply_breaks(&data.breaks, &mut rows, (from, to), settings);
    let mut total = Change::new(
        total_label(!separate.is_empty()),
        rows.iter().map(|r| r.from_count).sum(),
        rows.iter().map(|r| r.to_count).sum(),
        settings,
    );
    let crime: Vec<String> = rows.iter().map(|r| r.category.key().to_string()).collect();
    allow_for_dispersion(&mut total, &subs, &crime, settings);
    adjust_family(&mut rows, &mut together, settings);
    let mut inputs: Vec<usize> = [&before_figures.inputs[..], &after_figures.inputs[..]].concat();
    inputs.sort_unstable();
    inputs.dedup();
    Ok(Comparison {
        area: area.to_string(),
        from,
        to,
        alpha: settings.alpha,
        small_numbers: settings.small_numbers,
        adjust: settings.adjust,
        rows,
        total,
        together,
        separate,
        from_coverage: before_figures.coverage,
        to_coverage: after_figures.coverage,
        inputs,
    })
}

/// Each category's counts by position inside `period` (month 0 to 11 of a year, or quarter 0 to
/// 3), from the sub-period figures it was rolled up from; empty for a period published whole.
/// A covered sub-period with no figure for a category holds 0 of it; a month not covered, or
/// missing from its release for that category, is unknown.
type SubCounts = HashMap<String, Vec<Option<i64>>>;

fn sub_counts(figures: &Figures, period: Period) -> SubCounts {
    let mut out: SubCounts = HashMap::new();
    let Some(length) = figures.parts.first().map(|p| p.period.month_count().max(1)) else {
        return out;
    };
    let slots = (period.month_count() / length) as usize;
    let slot = |m: Month| (period.first_month().months_until(m) / length) as usize;
    let uncovered: Vec<usize> = figures
        .coverage
        .iter()
        .flat_map(|c| c.missing.iter().map(|m| slot(*m)))
        .collect();
    for o in &figures.parts {
        let cells = out.entry(o.category.key().to_string()).or_insert_with(|| {
            (0..slots)
                .map(|i| (!uncovered.contains(&i)).then_some(0))
                .collect()
        });
        let at = slot(o.period.first_month());
        match (cells.get_mut(at), &o.value) {
            (Some(Some(cell)), Value::Count(n)) => *cell += n,
            (Some(cell), _) => *cell = None,
            (None, _) => {}
        }
    }
    for g in &figures.gaps {
        if let Some(cells) = out.get_mut(g.category.key())
            && let Some(cell) = cells.get_mut(slot(g.month))
        {
            *cell = None;
        }
    }
    out
}

/// `c` tested allowing for the dispersion of the categories `keys` summed, where it is known.
fn allow_for_dispersion(
    c: &mut Change,
    subs: &(SubCounts, SubCounts),
    keys: &[String],
    settings: &CompareSettings,
) {
    if let Some(d) = dispersion_of(subs, keys) {
        c.allow_for(d, settings);
    }
}

/// The dispersion of the categories `keys` summed, from both periods' sub-period counts; `None`
/// unless every sub-period of both is there for each of them.
fn dispersion_of((before, after): &(SubCounts, SubCounts), keys: &[String]) -> Option<Dispersion> {
    let summed = |subs: &SubCounts| -> Option<Vec<i64>> {
        let mut total: Option<Vec<i64>> = None;
        for k in keys {
            let cells: Vec<i64> = subs.get(k)?.iter().copied().collect::<Option<_>>()?;
            total = Some(match total {
                None => cells,
                Some(t) if t.len() == cells.len() => {
                    t.iter().zip(&cells).map(|(a, b)| a + b).collect()
                }
                Some(_) => return None,
            });
        }
        total
    };
    dispersion::estimate(&summed(before)?, &summed(after)?)
}

/// The categories' q-values, adjusted together (with the rows compared together across a
/// break, which stand in for their untested parts); `significant` follows the q-value.
fn adjust_family(rows: &mut [Change], together: &mut [Change], settings: &CompareSettings) {
    adjust_changes(
        rows.iter_mut().chain(together.iter_mut()).collect(),
        settings,
    );
}

/// One family's q-values, and `significant` by them.
pub fn adjust_changes(mut family: Vec<&mut Change>, settings: &CompareSettings) {
    let p: Vec<Option<f64>> = family.iter().map(|c| c.p_value).collect();
    for (c, q) in family
        .iter_mut()
        .zip(dispersion::adjust(&p, settings.adjust))
    {
        c.q_value = q;
        c.significant = q.is_some_and(|q| q <= settings.alpha);
    }
}

/// Many areas at once (`--all-areas`): every area's categories are one family, adjusted together
/// (areas x categories); each total stays a family of one.
pub fn adjust_across(comparisons: &mut [Comparison], settings: &CompareSettings) {
    let family = comparisons
        .iter_mut()
        .flat_map(|c| c.rows.iter_mut().chain(c.together.iter_mut()))
        .collect();
    adjust_changes(family, settings);
}

/// Two periods are compared only when they are different, of one length, and share no month:
/// counts over different lengths of time, or counting a month twice, are no comparison.
pub fn comparable_periods(from: Period, to: Period) -> Result<()> {
    let refuse = |why: String| Err(Error::Usage(format!("--from {from} and --to {to}: {why}")));
    if from == to {
        return refuse("they are the same period; name two different periods".into());
    }
    let (m, n) = (from.month_count(), to.month_count());
    if m != n {
        return refuse(format!(
            "{m} months against {n}: counts over different lengths of time are not compared; choose two periods of one length (two financial years, two quarters, two months)"
        ));
    }
    if from.first_month() <= to.last_month() && to.first_month() <= from.last_month() {
        return refuse(
            "they share months, which would be counted on both sides; choose periods that do not overlap".into(),
        );
    }
    Ok(())
}

/// Each category's change, in source order: crime rows, and rows kept apart from the total
/// (anti-social behaviour). A category in one period only is an error naming its file and line.
fn paired(
    data: &Dataset,
    before: &Keyed,
    after: &Keyed,
    (from, to): (Period, Period),
    settings: &CompareSettings,
) -> Result<(Vec<Change>, Vec<Change>)> {
    let (mut rows, mut separate) = (Vec::new(), Vec::new());
    for (key, a) in &before.order {
        let b = after.get(key).ok_or_else(|| missing(data, a, from, to))?;
        let (x, y) = (count(data, a)?, count(data, b)?);
        let change = Change::new(a.category.clone(), x, y, settings);
        if is_asb(a.category.as_str()) {
            separate.push(change)
        } else {
            rows.push(change)
        }
    }
    if let Some((_, b)) = after.order.iter().find(|(k, _)| before.get(k).is_none()) {
        return Err(missing(data, b, to, from));
    }
    Ok((rows, separate))
}

/// Every break inside the span from `from` to `to`: the rows it changed are shown untested, and
/// where every one of them is present and the break names their whole, the whole is compared.
fn apply_breaks(
    breaks: &[SeriesBreak],
    rows: &mut [Change],
    (from, to): (Period, Period),
    settings: &CompareSettings,
) -> Vec<Change> {
    let mut together = Vec::new();
    for b in breaks
        .iter()
        .filter(|b| b.crosses(from.first_month(), to.last_month()))
    {
        let parts: Vec<usize> = (0..rows.len())
            .filter(|&i| b.changed(&rows[i].category))
            .collect();
        for &i in &parts {
            rows[i].changed_by(b);
        }
        let all_present = b.categories.iter().all(|c| {
            let named = |i: &usize| rows[*i].category.canonical() == Some(c.as_str());
            parts.iter().any(named)
        });
        if let (Some(name), true) = (&b.together, all_present) {
            let sum = |f: fn(&Change) -> i64| parts.iter().map(|&i| f(&rows[i])).sum::<i64>();
            let category = Category::new(name.clone(), Some(name.clone()));
            let mut whole = Change::new(
                category,
                sum(|c| c.from_count),
                sum(|c| c.to_count),
                settings,
            );
            whole.across = Some(Across::Together {
                series_break: b.clone(),
            });
            together.push(whole);
        }
    }
    together
}

/// One period's figures keyed by category match key, in source order.
struct Keyed<'a> {
    order: Vec<(String, &'a Observation)>,
    index: HashMap<String, usize>,
}

impl<'a> Keyed<'a> {
    fn get(&self, key: &str) -> Option<&'a Observation> {
        self.index.get(key).map(|&i| self.order[i].1)
    }
}

fn keyed<'a>(data: &Dataset, figures: &'a Figures) -> Result<Keyed<'a>> {
    let mut keyed = Keyed {
        order: Vec::new(),
        index: HashMap::new(),
    };
    for o in &figures.observations {
        let key = o.category.key().to_string();
        if let Some(first) = keyed.get(&key) {
            return Err(Error::DuplicateCategory {
                at: location(data, o),
                category: o.category.to_string(),
                first_line: first.line,
            });
        }
        keyed.index.insert(key.clone(), keyed.order.len());
        keyed.order.push((key, o));
    }
    Ok(keyed)
}

fn count(data: &Dataset, o: &Observation) -> Result<i64> {
    match (&o.value, o.unit) {
        (Value::Count(n), Unit::Count) => Ok(*n),
        (Value::Suppressed(_), _) => Err(Error::SuppressedInComparison {
            at: location(data, o),
            category: o.category.to_string(),
            period: o.period.to_string(),
        }),
        _ => Err(Error::Usage(format!(
            "{}: `{}` is a {:?} measure, not a count; the comparison tests counts",
            location(data, o),
            o.category,
            o.unit
        ))),
    }
}

fn missing(data: &Dataset, o: &Observation, has: Period, lacks: Period) -> Error {
    Error::MissingFigure {
        at: location(data, o),
        category: o.category.to_string(),
        has: has.to_string(),
        missing: lacks.to_string(),
    }
}

fn location(data: &Dataset, o: &Observation) -> Location {
    Location::line(&data.inputs[o.input].path, o.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_case_table() {
        let s = CompareSettings::default();
        // category, from, to, change, pct, significant, small
        let cases = [
            (
                "Violence without injury",
                350,
                410,
                60,
                Some(17.142_857),
                true,
                false,
            ),
            ("Rape", 10, 27, 17, Some(170.0), true, true),
            (
                "Bicycle theft",
                373,
                371,
                -2,
                Some(-0.536_193),
                false,
                false,
            ),
            ("New category", 0, 4, 4, None, false, true),
            ("Boundary", 11, 11, 0, Some(0.0), false, false),
        ];
        for (name, a, b, change, pct, significant, small) in cases {
            let c = Change::new(name, a, b, &s);
            assert_eq!(c.change, change, "{name}");
            match (c.pct_change, pct) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 1e-5, "{name}: {x}"),
                (x, y) => assert_eq!(x, y, "{name}"),
            }
            assert_eq!(c.significant, significant, "{name}");
            assert_eq!(c.small_numbers, small, "{name}");
        }
    }

    #[test]
    fn significance_follows_alpha() {
        let strict = CompareSettings {
            alpha: 0.01,
            ..CompareSettings::default()
        };
        assert!(!Change::new("Violence without injury", 350, 410, &strict).significant);
        assert!(Change::new("Rape", 10, 27, &strict).significant);
    }
}
