//! Rates per population with 95% (or any level) confidence intervals, as public-health indicator
//! tools compute them: Byar's approximation for 10 or more events, the exact Poisson interval (from
//! the gamma distribution) below that.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Gamma, Normal};

use crate::error::{Error, Result};
use crate::harmonise::Period;
use crate::harmonise::police_uk::is_asb;
use crate::model::{Dataset, Denominator, Unit, Value, same_name};
use crate::stats::compare::total_label;
use crate::stats::counts::{Coverage, period_figures};

/// A rate and its interval, per `per` people.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rate {
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// The rate of `events` in `population`, per `per` (e.g. 1,000), with an interval at `confidence`.
/// `None` when the population is not positive (a rate needs a denominator).
pub fn rate(events: u64, population: f64, per: f64, confidence: f64) -> Option<Rate> {
    if population <= 0.0 || !population.is_finite() {
        return None;
    }
    let (low, high) = event_interval(events, confidence);
    let scale = per / population;
    Some(Rate {
        rate: events as f64 * scale,
        low: low * scale,
        high: high * scale,
    })
}

/// The interval for the expected number of events given `o` observed.
pub fn event_interval(o: u64, confidence: f64) -> (f64, f64) {
    let tail = (1.0 - confidence) / 2.0;
    if o < 10 {
        let gamma = |shape: f64, q: f64| {
            Gamma::new(shape, 1.0)
                .expect("shape is positive")
                .inverse_cdf(q)
        };
        let low = if o == 0 { 0.0 } else { gamma(o as f64, tail) };
        return (low, gamma(o as f64 + 1.0, 1.0 - tail));
    }
    let z = Normal::standard().inverse_cdf(1.0 - tail);
    let o = o as f64;
    let low = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * o.sqrt())).powi(3);
    let up = o + 1.0;
    let high = up * (1.0 - 1.0 / (9.0 * up) + z / (3.0 * up.sqrt())).powi(3);
    (low, high)
}

/// One rate as the `rates` command prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateRow {
    pub category: String,
    pub period: Period,
    pub count: i64,
    /// The denominator's name (what the rate is per).
    pub denominator: String,
    pub population: f64,
    pub rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Where the population figure comes from.
    pub source: String,
}

/// The columns of [`RateRow`] in CSV.
pub const COLUMNS: [&str; 8] = [
    "category",
    "period",
    "count",
    "denominator",
    "population",
    "rate",
    "ci_low",
    "ci_high",
];

/// Counts by category, in order, for rates.
pub type RateCounts = Vec<(String, i64)>;

/// The counts a rate is computed on, for `area` in `period`: each category, the crime total, then
/// anti-social behaviour apart (never in the total); with the months a rolled-up period covers
/// (partial periods are refused unless `allow_partial`).
pub fn counts(
    data: &Dataset,
    area: &str,
    period: Period,
    allow_partial: bool,
) -> Result<(RateCounts, Option<Coverage>)> {
    let figures = period_figures(data, area, period, "--period", allow_partial)?;
    let (mut crime, mut apart) = (Vec::new(), Vec::new());
    for o in &figures.observations {
        let (Value::Count(n), Unit::Count) = (&o.value, o.unit) else {
            return Err(Error::Usage(format!(
                "{}:{}: `{}` in {period} is not a published count, so no rate can be computed",
                data.inputs[o.input].path, o.line, o.category
            )));
        };
        let side = if is_asb(o.category.as_str()) {
            &mut apart
        } else {
            &mut crime
        };
        side.push((o.category.to_string(), *n));
    }
    let total = crime.iter().map(|(_, n)| n).sum();
    crime.push((total_label(!apart.is_empty()).to_string(), total));
    crime.extend(apart);
    Ok((crime, figures.coverage))
}

/// The names of the denominators known for an area (`areas`: its name and aliases), in the order
/// first given.
pub fn names_for<'a>(denominators: &'a [Denominator], areas: &[String]) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for d in denominators.iter().filter(|d| in_area(d, areas)) {
        if !names.contains(&d.name.as_str()) {
            names.push(&d.name);
        }
    }
    names
}

/// The population called `name` for an area (`areas`: its name, then its aliases) in `period`:
/// one given for that period, else one given for every period. An error says which periods it
/// has, and where to add the missing one.
pub fn denominator_for<'a>(
    denominators: &'a [Denominator],
    name: &str,
    areas: &[String],
    period: Period,
) -> Result<&'a Denominator> {
    let area = areas.first().map_or("", String::as_str);
    let named: Vec<&Denominator> = denominators
        .iter()
        .filter(|d| same_name(&d.name, name))
        .collect();
    if named.is_empty() {
        let mut known: Vec<&str> = denominators.iter().map(|d| d.name.as_str()).collect();
        known.dedup();
        return Err(Error::Usage(format!(
            "--denominator: no denominator called `{name}`; {}",
            if known.is_empty() {
                "none is given: add a [[denominator]] to the config or name a population table with --source population=FILE".to_string()
            } else {
                format!("the known ones are {}", known.join(", "))
            }
        )));
    }
    let in_area: Vec<&Denominator> = named.into_iter().filter(|d| in_area(d, areas)).collect();
    in_area
        .iter()
        .find(|d| d.period == Some(period))
        .or_else(|| in_area.iter().find(|d| d.period.is_none()))
        .copied()
        .ok_or_else(|| {
            let has: Vec<String> = in_area
                .iter()
                .filter_map(|d| d.period.map(|p| p.to_string()))
                .collect();
            let source = in_area
                .first()
                .map(|d| d.source.clone())
                .or_else(|| {
                    denominators
                        .iter()
                        .find(|d| same_name(&d.name, name))
                        .map(|d| d.source.clone())
                })
                .unwrap_or_default();
            Error::Usage(format!(
                "denominator `{name}` has no population for {area} in {period} (it has {}); add one for {period} to {source}",
                if has.is_empty() {
                    "none for this area".to_string()
                } else {
                    has.join(", ")
                },
            ))
        })
}

/// Rates for `counts` (category and count, in order) per each named denominator.
pub fn rate_rows(
    counts: &[(String, i64)],
    period: Period,
    area: &[String],
    denominators: &[Denominator],
    names: &[&str],
    per: f64,
    confidence: f64,
) -> Result<Vec<RateRow>> {
    let mut out = Vec::new();
    for name in names {
        let d = denominator_for(denominators, name, area, period)?;
        for (category, count) in counts {
            let events = u64::try_from(*count).map_err(|_| {
                Error::Usage(format!(
                    "{category} in {period} is {count}; a rate needs a count of 0 or more"
                ))
            })?;
            let r = rate(events, d.population, per, confidence)
                .expect("populations are checked positive when read");
            out.push(RateRow {
                category: category.clone(),
                period,
                count: *count,
                denominator: d.name.clone(),
                population: d.population,
                rate: r.rate,
                ci_low: r.low,
                ci_high: r.high,
                source: d.source.clone(),
            });
        }
    }
    Ok(out)
}

fn in_area(d: &Denominator, areas: &[String]) -> bool {
    areas.iter().any(|a| same_name(&d.area, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byar_matches_the_hand_computed_interval() {
        // 27 events in 7,500 residents: 3.6 per 1,000, 95% CI 2.372 to 5.238 (by hand:
        // 27(1 - 1/243 - 1.96/(3 sqrt 27))^3 = 17.79; 28(1 - 1/252 + 1.96/(3 sqrt 28))^3 = 39.28).
        let r = rate(27, 7_500.0, 1_000.0, 0.95).unwrap();
        assert!((r.rate - 3.6).abs() < 1e-12);
        assert!((r.low - 2.372).abs() < 0.001, "{}", r.low);
        assert!((r.high - 5.238).abs() < 0.001, "{}", r.high);
    }

    #[test]
    fn exact_poisson_below_ten_events() {
        // Exact 95% limits for 5 events: 1.6235 and 11.6683 (standard tables).
        let (low, high) = event_interval(5, 0.95);
        assert!(
            (low - 1.6235).abs() < 1e-3 && (high - 11.6683).abs() < 1e-3,
            "{low} {high}"
        );
        let (low, high) = event_interval(0, 0.95);
        assert_eq!(low, 0.0);
        assert!((high - 3.6889).abs() < 1e-3, "{high}");
        assert_eq!(rate(3, 0.0, 1000.0, 0.95), None);
    }
}
