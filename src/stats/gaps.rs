//! Months missing from a release: data.police.uk publishes an absent submission as no rows, which
//! counts as 0. A 0 where the same series' other months average [`IMPLAUSIBLE_ZERO_MEAN`] or more is
//! most likely missing (the City's 2017-05 file has no anti-social behaviour rows where its other
//! months average 116), and is treated as missing: a gap, never a real 0. A data.police.uk type in
//! a month its scheme did not publish it (shoplifting before September 2011, counted in Other
//! crime then) is neither: those months are left out of its series here.

use std::collections::BTreeMap;

use crate::harmonise::police_uk::{CRIME_TYPES, published_in};
use crate::model::{Category, Dataset, Gap, Month, Period, Value};

/// A monthly count of 0 is implausible when the same series' other months average at least this
/// many: under a Poisson model P(0) = e^-20, about 2 in 10^9.
pub const IMPLAUSIBLE_ZERO_MEAN: f64 = 20.0;

/// One series' category and its monthly counts.
type Monthly<'a> = (&'a Category, Vec<(Month, i64)>);

/// Every monthly 0 whose series' other months average [`IMPLAUSIBLE_ZERO_MEAN`] or more.
pub fn implausible_zeros(data: &Dataset) -> Vec<Gap> {
    let mut series: BTreeMap<(&str, &str), Monthly> = BTreeMap::new();
    for o in &data.observations {
        if let (Period::Month(m), Value::Count(n)) = (o.period, &o.value) {
            if !in_scheme(data, o.input, &o.category, m) {
                continue;
            }
            let entry = series
                .entry((&o.area, o.category.key()))
                .or_insert((&o.category, Vec::new()));
            entry.1.push((m, *n));
        }
    }
    let mut out = Vec::new();
    for ((area, _), (category, months)) in &series {
        let total: i64 = months.iter().map(|(_, n)| n).sum();
        let others = months.len().saturating_sub(1);
        let mean = total as f64 / others.max(1) as f64;
        if others == 0 || mean < IMPLAUSIBLE_ZERO_MEAN {
            continue;
        }
        for (month, _) in months.iter().filter(|(_, n)| *n == 0) {
            out.push(Gap {
                area: area.to_string(),
                category: (*category).clone(),
                month: *month,
                others,
                mean,
            });
        }
    }
    out
}

/// Whether `category` was published in `month` by the source of input `input`: always, except a
/// data.police.uk type before its scheme had it.
fn in_scheme(data: &Dataset, input: usize, category: &Category, month: Month) -> bool {
    let police_uk = data
        .inputs
        .get(input)
        .is_some_and(|i| i.kind.starts_with("police-uk"));
    let label = category.as_str();
    !police_uk || !CRIME_TYPES.contains(&label) || published_in(label, month)
}
