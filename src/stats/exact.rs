//! The exact conditional test for two Poisson counts.
//!
//! If `a` and `b` are Poisson counts with rates `λa` and `λb`, then given their sum `n`, `b` is
//! Binomial(`n`, π) with π = λb / (λa + λb). No change (λa = λb) means π = 1/2. The two-sided
//! p-value doubles the smaller tail (capped at 1); the ratio λb / λa has the exact interval
//! π / (1 - π) over the Clopper-Pearson interval for π. The doubled-tail p-value and the
//! Clopper-Pearson interval invert the same pair of one-sided tests, so at level `alpha` the
//! change is significant exactly when the interval excludes 1.

use statrs::distribution::{Beta, Binomial, ContinuousCDF, DiscreteCDF};

/// The test's result for counts `a` (earlier) and `b` (later).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioTest {
    pub p_value: f64,
    /// Lower bound of the interval for the ratio `b / a` of the underlying rates.
    pub ratio_low: f64,
    /// Upper bound; `None` when unbounded (`a` = 0).
    pub ratio_high: Option<f64>,
}

/// Tests whether `b` differs from `a` beyond chance; `None` when both are zero (nothing to test).
pub fn poisson_ratio_test(a: u64, b: u64, confidence: f64) -> Option<RatioTest> {
    let n = a + b;
    if n == 0 {
        return None;
    }
    let (low, high) = clopper_pearson(b, n, confidence);
    Some(RatioTest {
        p_value: two_sided_p(b, n),
        ratio_low: low / (1.0 - low),
        ratio_high: (high < 1.0).then(|| high / (1.0 - high)),
    })
}

/// Two-sided p-value of `k` successes in `n` trials under Binomial(`n`, 1/2).
pub fn two_sided_p(k: u64, n: u64) -> f64 {
    let binomial = Binomial::new(0.5, n).expect("p = 0.5 is a valid probability");
    // By symmetry P(X >= max) = P(X <= min): use the lower tail, which stays accurate when tiny.
    (2.0 * binomial.cdf(k.min(n - k))).min(1.0)
}

/// The exact (Clopper-Pearson) interval for a binomial proportion `k / n` at `confidence`.
pub fn clopper_pearson(k: u64, n: u64, confidence: f64) -> (f64, f64) {
    let tail = (1.0 - confidence) / 2.0;
    let (k, n) = (k as f64, n as f64);
    let beta = |a: f64, b: f64, q: f64| {
        Beta::new(a, b)
            .expect("shape parameters are positive")
            .inverse_cdf(q)
    };
    let low = if k == 0.0 {
        0.0
    } else {
        beta(k, n - k + 1.0, tail)
    };
    let high = if k == n {
        1.0
    } else {
        beta(k + 1.0, n - k, 1.0 - tail)
    };
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from scipy.stats (binomtest(k, n, 0.5).pvalue and beta.ppf), computed
    /// outside this crate.
    #[test]
    fn agrees_with_scipy() {
        let cases = [
            // a, b, p-value, ratio low, ratio high
            (350, 410, 0.032_274_307_488, 1.013_223_04, 1.354_913_32),
            (10, 27, 0.007_632_078_603, 1.266_578_49, 6.251_495_72),
            (1, 2, 1.0, 0.104_117_54, 117.994_373_9),
            (5435, 5888, 2.154_269_766e-5, 1.043_957_64, 1.124_241_38),
        ];
        for (a, b, p, low, high) in cases {
            let t = poisson_ratio_test(a, b, 0.95).unwrap();
            assert!(
                (t.p_value - p).abs() / p < 1e-8,
                "{a}->{b}: p {}",
                t.p_value
            );
            assert!(
                (t.ratio_low - low).abs() / low < 1e-6,
                "{a}->{b}: low {}",
                t.ratio_low
            );
            let h = t.ratio_high.unwrap();
            assert!((h - high).abs() / high < 1e-6, "{a}->{b}: high {h}");
        }
    }

    #[test]
    fn edges() {
        assert_eq!(poisson_ratio_test(0, 0, 0.95), None);
        let from_zero = poisson_ratio_test(0, 5, 0.95).unwrap();
        assert_eq!(from_zero.ratio_high, None);
        // 5 of 5 under p = 1/2: 2 * 0.5^5.
        assert!((from_zero.p_value - 0.0625).abs() < 1e-12);
        let to_zero = poisson_ratio_test(5, 0, 0.95).unwrap();
        assert_eq!(to_zero.ratio_low, 0.0);
        assert!((two_sided_p(3, 6) - 1.0).abs() < 1e-12);
    }
}
