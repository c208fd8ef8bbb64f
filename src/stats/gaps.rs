//! Months missing from a release: data.police.uk publishes an absent submission as no rows, which
//! counts as 0. A 0 where the same series' other months average [`IMPLAUSIBLE_ZERO_MEAN`] or more is
//! most likely missing (the City's 2017-05 file has no anti-social behaviour rows where its other
//! months average 116), and is treated as missing: a gap, never a real 0. A data.police.uk type in
//! a month its scheme did not publish it (shoplifting before September 2011, counted in Other
//! crime then) is neither: those months are left out of its series here, and each scheme's months
//! are judged apart (the six-category Other crime held most crime).

use std::collections::BTreeMap;

use crate::harmonise::police_uk::{CRIME_TYPES, published_in, scheme};
use crate::model::{Category, Dataset, Gap, Month, Period, Value};

/// A monthly count of 0 is implausible when the same series' other months average at least this
/// many: under a Poisson model P(0) = e^-20, about 2 in 10^9.
pub const IMPLAUSIBLE_ZERO_MEAN: f64 = 20.0;

/// One series' category and its monthly counts.
type Monthly<'a> = (&'a Category, Vec<(Month, i64)>);

/// Every monthly 0 whose series' other months average [`IMPLAUSIBLE_ZERO_MEAN`] or more.
pub fn implausible_zeros(data: &Dataset) -> Vec<Gap> {
    let mut series: BTreeMap<(&str, &str, u8), Monthly> = BTreeMap::new();
    for o in &data.observations {
        if let (Period::Month(m), Value::Count(n)) = (o.period, &o.value) {
            let Some(era) = era(data, o.input, &o.category, m) else {
                continue;
            };
            let entry = series
                .entry((&o.area, o.category.key(), era))
                .or_insert((&o.category, Vec::new()));
            entry.1.push((m, *n));
        }
    }
    let mut out = Vec::new();
    for ((area, _, _), (category, months)) in &series {
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

/// The part of its series a month's count is judged in: a data.police.uk type is judged among the
/// months of the same category scheme (Other crime held most crime before September 2011, so its
/// later months are not measured against those), and is not judged at all in a month its scheme
/// did not publish it (`None`). Any other source's series is one whole (`Some(0)`).
fn era(data: &Dataset, input: usize, category: &Category, month: Month) -> Option<u8> {
    let police_uk = data
        .inputs
        .get(input)
        .is_some_and(|i| i.kind.starts_with("police-uk"));
    let label = category.as_str();
    if !police_uk || !CRIME_TYPES.contains(&label) {
        return Some(0);
    }
    published_in(label, month).then(|| scheme(month))
}
