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

/// Suppresses counts from 1 to `threshold` (primary), then, where `total` names the category
/// that sums the others, one more part in each (area, period) whose total and other parts would
/// reveal a lone suppressed cell (secondary: the smallest non-zero part still shown).
pub fn apply(figures: &mut [PartnerFigure], threshold: i64, total: Option<&str>) {
    for f in figures.iter_mut() {
        if matches!(f.value, Value::Count(n) if (1..=threshold).contains(&n)) {
            f.value = Value::Suppressed(MARKER.into());
        }
    }
    let Some(total) = total.map(label::match_key) else {
        return;
    };
    let mut groups: BTreeMap<(String, Period), (Option<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, f) in figures.iter().enumerate() {
        let group = groups
            .entry((label::match_key(&f.area), f.period))
            .or_default();
        if label::match_key(&f.measure) == total {
            group.0 = Some(i);
        } else {
            group.1.push(i);
        }
    }
    for (sum, parts) in groups.values() {
        let total_shown = sum.is_some_and(|t| matches!(figures[t].value, Value::Count(_)));
        if total_shown {
            secondary(figures, parts);
        }
    }
}

/// Within the parts of a published total: a lone suppressed part gets company.
fn secondary(figures: &mut [PartnerFigure], parts: &[usize]) {
    let suppressed = |f: &PartnerFigure| matches!(f.value, Value::Suppressed(_));
    if parts.iter().filter(|&&i| suppressed(&figures[i])).count() != 1 {
        return;
    }
    let count = |i: usize| match figures[i].value {
        Value::Count(n) => Some(n),
        _ => None,
    };
    let next = parts
        .iter()
        .copied()
        .filter_map(|i| count(i).map(|n| (n == 0, n, i)))
        .min();
    if let Some((_, _, i)) = next {
        figures[i].value = Value::Suppressed(MARKER.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

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
        apply(&mut f, 4, Some("total"));
        assert_eq!(shown(&f), ["101", "[c]", "[c]", "58"]);
    }

    #[test]
    fn zeros_are_shown_and_two_suppressed_parts_need_nothing_more() {
        let mut f = vec![fig("Total", 7), fig("a", 3), fig("b", 4), fig("c", 0)];
        apply(&mut f, 4, Some("Total"));
        assert_eq!(shown(&f), ["7", "[c]", "[c]", "0"]);
        // Without a published total there is nothing to subtract from.
        let mut f = vec![fig("a", 1), fig("b", 9)];
        apply(&mut f, 4, None);
        assert_eq!(shown(&f), ["[c]", "9"]);
        // A withheld total reveals nothing: the zero stays.
        let mut f = vec![fig("Total", 3), fig("a", 3), fig("b", 0)];
        apply(&mut f, 4, Some("Total"));
        assert_eq!(shown(&f), ["[c]", "[c]", "0"]);
        // Each area and period is its own table: the other area's parts are not touched.
        let mut f = vec![fig("Total", 20), fig("a", 1), fig("b", 19), fig("b", 6)];
        f[3].area = "B".into();
        apply(&mut f, 4, Some("Total"));
        assert_eq!(shown(&f), ["20", "[c]", "[c]", "6"]);
    }
}
