//! Funnel plots: every area's rate against one benchmark rate, with exact Poisson control limits
//! at 95% and 99.8% (Spiegelhalter, "Funnel plots for comparing institutional performance",
//! Statistics in Medicine 2005; the Public Health England Fingertips method as
//! PHEindicatormethods' `calculate_funnel_limits` implements it).
//!
//! At `e` expected events (the benchmark rate times the area's population) the limits are the
//! observed counts, read as continuous, that sit exactly on the edge of the exact Poisson
//! interval: the lower limit is the count `o` whose upper exact bound is `e` (the chi-squared
//! quantile `qchisq(1 - tail, 2(o + 1)) / 2 = e`), the upper limit the count whose lower exact
//! bound is `e` (`qchisq(tail, 2o) / 2 = e`). Tails are 0.025 (95%) and 0.001 (99.8%). Divided by
//! the population they are the funnel's rate limits; they narrow as the population grows.
//! An area is outside a limit when its count is beyond the limit's count.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Gamma};

/// Two-sided 95% limits: each tail 2.5% ("two sigma" in PHE's naming).
pub const TAIL_95: f64 = 0.025;
/// Two-sided 99.8% limits: each tail 0.1% ("three sigma").
pub const TAIL_998: f64 = 0.001;

/// The expected count at which `observed` is on the lower limit of `tail`: the upper bound of its
/// exact Poisson interval (PHE's `lower_2s_exp_events` for `tail` = 0.025).
pub fn expected_at_lower(observed: f64, tail: f64) -> f64 {
    gamma(observed + 1.0).inverse_cdf(1.0 - tail)
}

/// The expected count at which `observed` is on the upper limit of `tail`: the lower bound of its
/// exact Poisson interval (PHE's `upper_2s_exp_events`); 0 for no events.
pub fn expected_at_upper(observed: f64, tail: f64) -> f64 {
    if observed <= 0.0 {
        return 0.0;
    }
    gamma(observed).inverse_cdf(tail)
}

fn gamma(shape: f64) -> Gamma {
    Gamma::new(shape, 1.0).expect("a positive shape")
}

/// The counts `(lower, upper)` of the control limits at `expected` events, for one `tail`: the
/// inverses of [`expected_at_lower`] and [`expected_at_upper`]. The lower limit is 0 where even
/// no events would be inside it (small expected counts).
pub fn count_limits(expected: f64, tail: f64) -> (f64, f64) {
    // P(X <= o) and P(X >= o) under Poisson(expected), with o continuous: both monotone in o.
    let below = |o: f64| 1.0 - gamma(o + 1.0).cdf(expected);
    let above = |o: f64| {
        if o <= 0.0 {
            1.0
        } else {
            gamma(o).cdf(expected)
        }
    };
    let hi = expected + 20.0 * expected.sqrt() + 40.0;
    let lower = if below(0.0) >= tail {
        0.0
    } else {
        bisect(|o| below(o) < tail, 0.0, hi)
    };
    let upper = bisect(|o| above(o) >= tail, 0.0, hi);
    (lower, upper)
}

/// The point where `still(x)` turns false on `[lo, hi]` (`still` true at `lo`, false at `hi`),
/// to within 1e-12 relative.
fn bisect(still: impl Fn(f64) -> bool, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if still(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Where an area falls against the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    Below998,
    Below95,
    Within,
    Above95,
    Above998,
}

impl Position {
    /// In words, for tables and the index.
    pub fn describe(self) -> &'static str {
        match self {
            Position::Below998 => "below the 99.8% limit",
            Position::Below95 => "below the 95% limit",
            Position::Within => "within the limits",
            Position::Above95 => "above the 95% limit",
            Position::Above998 => "above the 99.8% limit",
        }
    }

    /// Whether the area is outside the 95% limits.
    pub fn is_outside(self) -> bool {
        self != Position::Within
    }
}

/// An area's rate and the funnel's limits at its population, all per `per`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelPoint {
    pub area: String,
    pub events: u64,
    pub population: f64,
    pub rate: f64,
    pub benchmark: f64,
    pub lower_95: f64,
    pub upper_95: f64,
    pub lower_998: f64,
    pub upper_998: f64,
    pub position: Position,
}

/// One area: its events and the population they are a rate of.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaCount {
    pub area: String,
    pub events: u64,
    pub population: f64,
}

/// The benchmark rate (per person) of `areas`: their events over their population, the areas
/// without a positive population left out; `None` when none has one.
pub fn benchmark(areas: &[AreaCount]) -> Option<f64> {
    let with: Vec<&AreaCount> = areas.iter().filter(|a| a.population > 0.0).collect();
    let people: f64 = with.iter().map(|a| a.population).sum();
    let events: u64 = with.iter().map(|a| a.events).sum();
    (people > 0.0).then(|| events as f64 / people)
}

/// Every area with a positive population against the benchmark rate `theta` (per person), rates
/// per `per`; areas without a population are left for the caller to report.
pub fn funnel(areas: &[AreaCount], theta: f64, per: f64) -> Vec<FunnelPoint> {
    areas
        .iter()
        .filter(|a| a.population > 0.0)
        .map(|a| point(a, theta, per))
        .collect()
}

fn point(a: &AreaCount, theta: f64, per: f64) -> FunnelPoint {
    let expected = theta * a.population;
    let (l95, u95) = count_limits(expected, TAIL_95);
    let (l998, u998) = count_limits(expected, TAIL_998);
    let o = a.events as f64;
    let position = if o > u998 {
        Position::Above998
    } else if o > u95 {
        Position::Above95
    } else if o < l998 {
        Position::Below998
    } else if o < l95 {
        Position::Below95
    } else {
        Position::Within
    };
    let scale = per / a.population;
    FunnelPoint {
        area: a.area.clone(),
        events: a.events,
        population: a.population,
        rate: o * scale,
        benchmark: theta * per,
        lower_95: l95 * scale,
        upper_95: u95 * scale,
        lower_998: l998 * scale,
        upper_998: u998 * scale,
        position,
    }
}

/// One area's fair benchmarks: its rate beside every area's (national) and beside its family of
/// similar areas', each against that group's own benchmark rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmarks {
    pub area: String,
    pub period: crate::harmonise::Period,
    /// What the rates are per (`residents`), and per how many.
    pub denominator: String,
    pub per: f64,
    pub national: Vec<FunnelPoint>,
    /// The area's family (as the family file names it) and its members' points.
    pub family: Option<(String, Vec<FunnelPoint>)>,
    /// Areas with crimes but no population for the period: no rate, said.
    pub without_population: Vec<String>,
}

impl Benchmarks {
    /// The area's own point in the national funnel.
    pub fn own(&self) -> Option<&FunnelPoint> {
        self.national.iter().find(|p| p.area == self.area)
    }
}

/// The limit curves for drawing: at `n` populations spaced evenly on a log scale from `min` to
/// `max`, `(population, lower_95, upper_95, lower_998, upper_998)` as rates per `per`.
pub fn curves(theta: f64, per: f64, (min, max): (f64, f64), n: usize) -> Vec<[f64; 5]> {
    let (a, b) = (min.max(1.0).ln(), max.max(min.max(1.0) * 1.01).ln());
    (0..n)
        .map(|i| {
            let pop = (a + (b - a) * i as f64 / (n.max(2) - 1) as f64).exp();
            let e = theta * pop;
            let (l95, u95) = count_limits(e, TAIL_95);
            let (l998, u998) = count_limits(e, TAIL_998);
            let s = per / pop;
            [pop, l95 * s, u95 * s, l998 * s, u998 * s]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_at_the_benchmark_is_within_and_a_far_one_is_outside() {
        let areas = [
            AreaCount {
                area: "A".into(),
                events: 100,
                population: 10_000.0,
            },
            AreaCount {
                area: "B".into(),
                events: 160,
                population: 10_000.0,
            },
        ];
        let points = funnel(&areas, 0.01, 1000.0);
        assert_eq!(points[0].position, Position::Within);
        // 160 against 100 expected: far beyond the 99.8% upper limit (about 133 events).
        assert_eq!(points[1].position, Position::Above998);
        assert!((points[0].benchmark - 10.0).abs() < 1e-12);
    }
}
