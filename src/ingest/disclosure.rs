//! Disclosure control for sensitive partner data (MARAC and Channel referrals, for instance):
//! published counts from 1 to a threshold (default 4) become `[c]`, and so does enough else that
//! no suppressed figure can be worked out from a total and its other parts.
//!
//! Runs in the loader, on the figures as they will be published, so the raw count never reaches
//! the dataset, the report's view-model, the manifest or any other artefact.

use std::collections::BTreeMap;

use crate::harmonise::{Period, label};
use crate::model::{PartnerFigure, Value};

pub use crate::model::MARKER;

/// The default threshold: counts of 1 to 4 are suppressed.
pub const DEFAULT_THRESHOLD: i64 = 4;

/// Suppresses counts from 1 to `threshold` (primary), then enough more that no withheld figure
/// can be worked out by subtraction (secondary): across every linear relation a figure belongs
/// to, a category total with its parts (where `total` names the total row) in each area and
/// period, and a period with the shorter periods that make it up (a year and its quarters) for
/// each area and measure, until no relation holds exactly one unknown. Markers count by what
/// they mean: `[z]` is a known zero, no protection; `[x]`, `[c]` and the rest are unknown.
pub fn apply(figures: &mut [PartnerFigure], threshold: i64, totals: Totals) {
    for f in figures.iter_mut() {
        if matches!(f.value, Value::Count(n) if (1..=threshold).contains(&n)) {
            f.value = Value::Suppressed(MARKER.into());
        }
    }
    let relations = relations(figures, totals);
    // Each pass withholds one more figure in every relation left with a single unknown, then the
    // audit one more beside any withheld figure a reader could still bound too tightly; a
    // withheld figure never comes back, so this ends.
    loop {
        while relations.iter().fold(false, |c, r| protect(figures, r) | c) {}
        let pinned = audit(figures, &relations, threshold);
        let widened = pinned
            .iter()
            .fold(false, |c, &i| widen(figures, &relations, i) | c);
        if !widened {
            break;
        }
    }
}

/// Every linear relation among `figures`: category totals, area totals and period roll-ups.
pub fn relations(figures: &[PartnerFigure], totals: Totals) -> Vec<Relation> {
    category_totals(figures, totals.category)
        .into_iter()
        .chain(area_totals(figures, totals.area))
        .chain(period_roll_ups(figures))
        .collect()
}

/// The withheld figures a reader who knows every published figure and relation, and that counts
/// are not negative, could bound inside less than 0 to `threshold`: for each, a linear program
/// (microlp) finds its least and greatest feasible value.
pub fn audit(figures: &[PartnerFigure], relations: &[Relation], threshold: i64) -> Vec<usize> {
    let withheld: Vec<usize> = (0..figures.len())
        .filter(|&i| unknown(&figures[i]))
        .collect();
    withheld
        .iter()
        .copied()
        .filter(|&w| {
            use microlp::OptimizationDirection::{Maximize, Minimize};
            let least = bound(figures, relations, &withheld, w, Minimize);
            let most = bound(figures, relations, &withheld, w, Maximize);
            least.is_some_and(|v| v > 0.5) || most.is_some_and(|v| v < threshold as f64 - 0.5)
        })
        .collect()
}

/// The least or greatest value of withheld figure `w` given every relation; `None` when the
/// solver finds no finite bound (unbounded, or it cannot say).
fn bound(
    figures: &[PartnerFigure],
    relations: &[Relation],
    withheld: &[usize],
    w: usize,
    direction: microlp::OptimizationDirection,
) -> Option<f64> {
    use microlp::{ComparisonOp, Problem};
    let mut problem = Problem::new(direction);
    let vars: BTreeMap<usize, microlp::Variable> = withheld
        .iter()
        .map(|&i| {
            (
                i,
                problem.add_var(if i == w { 1.0 } else { 0.0 }, (0.0, f64::INFINITY)),
            )
        })
        .collect();
    for r in relations {
        // total - sum(parts) = 0, the published figures moved to the right.
        let (mut terms, mut rhs) = (Vec::new(), 0.0);
        for (i, sign) in r
            .cells()
            .map(|i| (i, if i == r.total { 1.0 } else { -1.0 }))
        {
            match (&figures[i].value, vars.get(&i)) {
                (_, Some(v)) => terms.push((*v, sign)),
                (Value::Count(n), None) => rhs -= sign * *n as f64,
                _ => {}
            }
        }
        if !terms.is_empty() {
            problem.add_constraint(terms.as_slice(), ComparisonOp::Eq, rhs);
        }
    }
    let solution = problem.solve().ok()?.into_solution().ok()?;
    Some(solution.objective())
}

/// Withholds one more figure in a relation of `w`: the smallest non-zero part still shown, else
/// the total. Whether it withheld one.
fn widen(figures: &mut [PartnerFigure], relations: &[Relation], w: usize) -> bool {
    for r in relations.iter().filter(|r| r.cells().any(|i| i == w)) {
        if withhold_next(figures, r) {
            return true;
        }
    }
    false
}

/// The rows that sum others, as the source names them: a category (`total`) summing the other
/// categories of an area and period, and an area (`area_total`) summing the other areas of a
/// measure and period (a borough and its wards).
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals<'a> {
    pub category: Option<&'a str>,
    pub area: Option<&'a str>,
}

/// For each measure and period, the row of the area named `area` and the other areas' rows.
fn area_totals(figures: &[PartnerFigure], area: Option<&str>) -> Vec<Relation> {
    sums_named(figures, area, |f| &f.measure, |f| &f.area)
}

/// Within each group of figures sharing `group` and a period, the figure whose `role` is `name`
/// summing the others.
fn sums_named(
    figures: &[PartnerFigure],
    name: Option<&str>,
    group: fn(&PartnerFigure) -> &str,
    role: fn(&PartnerFigure) -> &str,
) -> Vec<Relation> {
    let Some(name) = name.map(label::match_key) else {
        return Vec::new();
    };
    let mut groups: BTreeMap<(String, Period), (Option<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, f) in figures.iter().enumerate() {
        let entry = groups
            .entry((label::match_key(group(f)), f.period))
            .or_default();
        if label::match_key(role(f)) == name {
            entry.0 = Some(i);
        } else {
            entry.1.push(i);
        }
    }
    groups
        .into_values()
        .filter_map(|(t, parts)| Some(Relation { total: t?, parts }))
        .collect()
}

/// A sum: `total` is the sum of `parts`.
pub struct Relation {
    total: usize,
    parts: Vec<usize>,
}

impl Relation {
    fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

/// Whether a figure is not known to a reader: withheld by any marker but `[z]` (a known zero).
fn unknown(f: &PartnerFigure) -> bool {
    matches!(&f.value, Value::Suppressed(m) if !m.eq_ignore_ascii_case("[z]"))
}

/// Withholds one more figure of `r` when exactly one of its figures is unknown. Whether it
/// withheld one.
fn protect(figures: &mut [PartnerFigure], r: &Relation) -> bool {
    r.cells().filter(|&i| unknown(&figures[i])).count() == 1 && withhold_next(figures, r)
}

/// Withholds the smallest non-zero part of `r` still shown, else its total. Whether it did.
fn withhold_next(figures: &mut [PartnerFigure], r: &Relation) -> bool {
    let count = |i: usize| match figures[i].value {
        Value::Count(n) => Some(n),
        _ => None,
    };
    let part = r
        .parts
        .iter()
        .copied()
        .filter_map(|i| count(i).map(|n| (n == 0, n, i)))
        .min()
        .map(|(_, _, i)| i);
    match part.or_else(|| count(r.total).map(|_| r.total)) {
        Some(i) => {
            figures[i].value = Value::Suppressed(MARKER.into());
            true
        }
        None => false,
    }
}

/// In each area and period, the row named `total` and the other rows it sums.
fn category_totals(figures: &[PartnerFigure], total: Option<&str>) -> Vec<Relation> {
    sums_named(figures, total, |f| &f.area, |f| &f.measure)
}

/// For each area and measure, every period with the shorter periods (of one length) that make it
/// up exactly: a year and its four quarters, a quarter and its three months.
fn period_roll_ups(figures: &[PartnerFigure]) -> Vec<Relation> {
    let mut series: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in figures.iter().enumerate() {
        let key = (label::match_key(&f.area), label::match_key(&f.measure));
        series.entry(key).or_default().push(i);
    }
    let mut out = Vec::new();
    for cells in series.values() {
        for &t in cells {
            let whole = figures[t].period;
            let inside: Vec<usize> = cells
                .iter()
                .copied()
                .filter(|&i| {
                    let p = figures[i].period;
                    p.month_count() < whole.month_count()
                        && whole.contains(p.first_month())
                        && whole.contains(p.last_month())
                })
                .collect();
            let Some(finest) = inside
                .iter()
                .map(|&i| figures[i].period.month_count())
                .min()
            else {
                continue;
            };
            let parts: Vec<usize> = inside
                .into_iter()
                .filter(|&i| figures[i].period.month_count() == finest)
                .collect();
            let mut months: Vec<_> = parts
                .iter()
                .flat_map(|&i| figures[i].period.months())
                .collect();
            months.sort();
            let exact = months.len() as i32 == whole.month_count()
                && months.windows(2).all(|w| w[0] != w[1]);
            if exact {
                out.push(Relation { total: t, parts });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    fn totals(category: Option<&str>) -> Totals<'_> {
        Totals {
            category,
            area: None,
        }
    }

    #[test]
    fn an_area_total_with_its_wards_hides_a_second_ward() {
        // The borough's 120 = 3 + 50 + 67 across its wards: 3 is primary, and 50 goes with it.
        let mut f = vec![
            fig("Referrals", 120),
            fig("Referrals", 3),
            fig("Referrals", 50),
            fig("Referrals", 67),
        ];
        for (i, area) in ["Borough", "Ward 1", "Ward 2", "Ward 3"].iter().enumerate() {
            f[i].area = area.to_string();
        }
        let by_area = Totals {
            category: None,
            area: Some("Borough"),
        };
        apply(&mut f, 4, by_area);
        assert_eq!(shown(&f), ["120", "[c]", "[c]", "67"]);
    }

    fn fig(measure: &str, n: i64) -> PartnerFigure {
        PartnerFigure {
            source: "s".into(),
            input: 0,
            line: 0,
            area: "A".into(),
            measure: measure.into(),
            period: "2018/19".parse().unwrap(),
            value: Value::Count(n),
            unit: Unit::Count,
            note: None,
        }
    }

    fn shown(figures: &[PartnerFigure]) -> Vec<String> {
        figures
            .iter()
            .map(|f| match &f.value {
                Value::Count(n) => n.to_string(),
                Value::Suppressed(m) => m.clone(),
                Value::Measure(x) => x.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_lone_small_part_takes_the_next_smallest_with_it() {
        // Total 101 = 2 + 41 + 58: the 2 is primary; 41 is withheld too, else 101 - 41 - 58 = 2.
        let mut f = vec![fig("Total", 101), fig("a", 2), fig("b", 41), fig("c", 58)];
        apply(&mut f, 4, totals(Some("total")));
        assert_eq!(shown(&f), ["101", "[c]", "[c]", "58"]);
    }

    #[test]
    fn a_year_total_with_its_quarters_hides_a_second_quarter() {
        // 5555 = 3 + 1850 + 1851 + 1851: the 3 is primary; without another quarter withheld,
        // 5555 - 1850 - 1851 - 1851 gives it back.
        let mut f: Vec<PartnerFigure> = [
            ("2018/19", 5555),
            ("2018/19 Q1", 3),
            ("2018/19 Q2", 1850),
            ("2018/19 Q3", 1851),
            ("2018/19 Q4", 1851),
        ]
        .iter()
        .map(|(p, n)| PartnerFigure {
            period: p.parse().unwrap(),
            ..fig("Referrals", *n)
        })
        .collect();
        apply(&mut f, 4, Totals::default());
        assert_eq!(shown(&f), ["5555", "[c]", "[c]", "1851", "1851"]);
    }

    #[test]
    fn a_known_zero_is_no_protection() {
        // 1307 = [c] + [z] + 617 + 688: [z] is a published zero, so 617 must go too.
        let mut f = vec![
            fig("Total", 1307),
            fig("a", 2),
            fig("b", 0),
            fig("c", 617),
            fig("d", 688),
        ];
        f[2].value = Value::Suppressed("[z]".into());
        apply(&mut f, 4, totals(Some("Total")));
        assert_eq!(shown(&f), ["1307", "[c]", "[z]", "[c]", "688"]);
    }

    #[test]
    fn suppression_follows_every_relation_to_a_fixed_point() {
        // Two measures by quarter, each with its year: withholding Q1 of `a` (3) takes Q2 of `a`
        // (the smallest other quarter); every year and quarter relation then has two unknowns.
        let mut f: Vec<PartnerFigure> = Vec::new();
        for (m, counts) in [("a", [3, 40, 50, 60]), ("b", [30, 20, 10, 9])] {
            let year: i64 = counts.iter().sum();
            f.push(PartnerFigure {
                period: "2018/19".parse().unwrap(),
                ..fig(m, year)
            });
            for (q, n) in counts.iter().enumerate() {
                let period = format!("2018/19 Q{}", q + 1).parse().unwrap();
                f.push(PartnerFigure {
                    period,
                    ..fig(m, *n)
                });
            }
        }
        apply(&mut f, 4, Totals::default());
        assert_eq!(
            shown(&f),
            ["153", "[c]", "[c]", "50", "60", "69", "30", "20", "10", "9"]
        );
    }

    #[test]
    fn the_audit_withholds_a_total_that_bounds_its_parts_below_the_threshold() {
        // Total 3 = 1 + 2: both parts are withheld, but with 3 shown a reader knows each is at
        // most 3, so both are small: the audit (a linear program) withholds the total too.
        let mut f = vec![fig("Total", 3), fig("a", 1), fig("b", 2)];
        apply(&mut f, 4, totals(Some("Total")));
        assert_eq!(shown(&f), ["[c]", "[c]", "[c]"]);
        // With 9 shown, each part may be anything from 0 to 9: nothing more is needed.
        let mut f = vec![fig("Total", 9), fig("a", 4), fig("b", 3), fig("c", 2)];
        apply(&mut f, 4, totals(Some("Total")));
        assert_eq!(shown(&f), ["9", "[c]", "[c]", "[c]"]);
    }

    #[test]
    fn zeros_are_shown_and_two_suppressed_parts_need_nothing_more() {
        let mut f = vec![fig("Total", 7), fig("a", 3), fig("b", 4), fig("c", 0)];
        apply(&mut f, 4, totals(Some("Total")));
        assert_eq!(shown(&f), ["7", "[c]", "[c]", "0"]);
        // Without a published total there is nothing to subtract from.
        let mut f = vec![fig("a", 1), fig("b", 9)];
        apply(&mut f, 4, Totals::default());
        assert_eq!(shown(&f), ["[c]", "9"]);
        // A withheld total reveals nothing: the zero stays.
        let mut f = vec![fig("Total", 3), fig("a", 3), fig("b", 0)];
        apply(&mut f, 4, totals(Some("Total")));
        assert_eq!(shown(&f), ["[c]", "[c]", "0"]);
        // Each area and period is its own table: the other area's parts are not touched.
        let mut f = vec![fig("Total", 20), fig("a", 1), fig("b", 19), fig("b", 6)];
        f[3].area = "B".into();
        apply(&mut f, 4, totals(Some("Total")));
        assert_eq!(shown(&f), ["20", "[c]", "[c]", "6"]);
    }
}
