//! Rates per population with 95% (or any level) confidence intervals, as public-health indicator
//! tools compute them: Byar's approximation for 10 or more events, the exact Poisson interval (from
//! the gamma distribution) below that.

use statrs::distribution::{ContinuousCDF, Gamma, Normal};

/// A rate and its interval, per `per` people.
#[derive(Debug, Clone, Copy, PartialEq)]
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
