//! Stop and search disproportionality: each broad ethnic group's searches per 1,000 residents
//! against the White group's rate, the rate ratio with its interval. Searches are counted by
//! self-defined ethnicity, mapped to the five broad groups of the Census (White, Black, Asian,
//! Mixed, Other) by the published label's prefix; "Not Stated" and empty labels are counted apart,
//! never spread over the groups. The interval treats each group's searches as Poisson over its
//! population: ln(ratio) +- z sqrt(1/a + 1/b), for a and b searches.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::model::justice::Search;

/// The broad group of a self-defined ethnicity as data.police.uk publishes it (`White - White
/// British (W1)`, `Black or Black British - African (B2)`, `Chinese or other ethnic group - ...`);
/// `None` for "Not Stated" and empty labels.
pub fn broad_group(self_defined: &str) -> Option<&'static str> {
    let label = self_defined.trim().to_ascii_lowercase();
    [
        ("white", "White"),
        ("black", "Black"),
        ("asian", "Asian"),
        ("mixed", "Mixed"),
        ("chinese or other", "Other"),
        ("other ethnic group", "Other"),
    ]
    .into_iter()
    .find(|(prefix, _)| label.starts_with(prefix) && !label.contains("not stated"))
    .map(|(_, group)| group)
}

/// One group's searches against its population.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Disproportion {
    pub group: String,
    pub searches: u64,
    pub population: f64,
    pub rate_per_1000: f64,
    /// The rate over the White group's, with its interval; `None` for the White group itself or
    /// where either group has no searches.
    pub ratio: Option<(f64, f64, f64)>,
}

/// The rate ratio of `a` searches over population `n_a` to `b` over `n_b`, with its interval.
pub fn rate_ratio(
    (a, n_a): (u64, f64),
    (b, n_b): (u64, f64),
    confidence: f64,
) -> Option<(f64, f64, f64)> {
    if a == 0 || b == 0 {
        return None;
    }
    let ratio = (a as f64 / n_a) / (b as f64 / n_b);
    let z = Normal::standard().inverse_cdf(1.0 - (1.0 - confidence) / 2.0);
    let se = (1.0 / a as f64 + 1.0 / b as f64).sqrt();
    Some((ratio, ratio * (-z * se).exp(), ratio * (z * se).exp()))
}

/// Each group of `populations` (in its order) with its searches, rate and ratio to the White
/// group's; and the searches whose ethnicity was not stated or matched no group given.
pub fn disproportionality<'a>(
    searches: impl Iterator<Item = &'a Search>,
    populations: &[(String, f64)],
    confidence: f64,
) -> (Vec<Disproportion>, u64) {
    let mut counts = vec![0u64; populations.len()];
    let mut apart = 0;
    for s in searches {
        let group = broad_group(&s.self_defined_ethnicity);
        match group.and_then(|g| {
            populations
                .iter()
                .position(|(p, _)| p.eq_ignore_ascii_case(g))
        }) {
            Some(i) => counts[i] += 1,
            None => apart += 1,
        }
    }
    let white = populations
        .iter()
        .position(|(p, _)| p.eq_ignore_ascii_case("White"));
    let rows = populations
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, ((group, population), &n))| Disproportion {
            group: group.clone(),
            searches: n,
            population: *population,
            rate_per_1000: n as f64 / population * 1000.0,
            ratio: white.filter(|&w| w != i).and_then(|w| {
                rate_ratio((n, *population), (counts[w], populations[w].1), confidence)
            }),
        })
        .collect();
    (rows, apart)
}
