//! The long view: the average annual change over a run of years from a log-linear
//! quasi-Poisson trend, and the seasonal profile of monthly counts.
//!
//! **Trend.** Yearly counts y_t (t = 0, 1, ...) are fitted by the Poisson log-linear model
//! log E[y_t] = a + b t (iteratively reweighted least squares, to convergence); the dispersion is
//! the Pearson statistic over n - 2 degrees of freedom, floored at 1; the average annual change is
//! exp(b) - 1 with the interval exp(b -+ t(n-2) x se(b)) - 1, se(b) from the fitted information
//! matrix scaled by the dispersion. Fewer than three years give no trend.
//!
//! **Season.** With at least three complete years of months, each month-of-year's index is its
//! mean count over those years divided by the mean month, times 100.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A fitted trend over `years` yearly counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    pub years: usize,
    /// Average change a year, per cent.
    pub annual_change: f64,
    pub low: f64,
    pub high: f64,
    /// The dispersion allowed for (at least 1).
    pub dispersion: f64,
}

/// The log-linear quasi-Poisson trend of yearly counts at `confidence`; `None` with fewer than
/// three years, a negative count, or no events.
pub fn trend(counts: &[i64], confidence: f64) -> Option<Trend> {
    let n = counts.len();
    if n < 3 || counts.iter().any(|&c| c < 0) || counts.iter().all(|&c| c == 0) {
        return None;
    }
    let y: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    let t: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let mean = y.iter().sum::<f64>() / n as f64;
    let (mut a, mut b) = (mean.ln(), 0.0);
    for _ in 0..100 {
        // Newton step on the Poisson log-likelihood: score and information of (a, b).
        let mu: Vec<f64> = t.iter().map(|&ti| (a + b * ti).exp()).collect();
        let (s0, s1) = (0..n).fold((0.0, 0.0), |(s0, s1), i| {
            (s0 + y[i] - mu[i], s1 + (y[i] - mu[i]) * t[i])
        });
        let (i00, i01, i11) = information(&mu, &t);
        let det = i00 * i11 - i01 * i01;
        let (da, db) = ((i11 * s0 - i01 * s1) / det, (i00 * s1 - i01 * s0) / det);
        a += da;
        b += db;
        if da.abs() < 1e-12 && db.abs() < 1e-12 {
            break;
        }
    }
    let mu: Vec<f64> = t.iter().map(|&ti| (a + b * ti).exp()).collect();
    let df = (n - 2) as f64;
    let pearson: f64 = (0..n).map(|i| (y[i] - mu[i]).powi(2) / mu[i]).sum();
    let dispersion = (pearson / df).max(1.0);
    let (i00, i01, i11) = information(&mu, &t);
    let var_b = i00 / (i00 * i11 - i01 * i01) * dispersion;
    let q = StudentsT::new(0.0, 1.0, df)
        .ok()?
        .inverse_cdf(1.0 - (1.0 - confidence) / 2.0);
    let pct = |x: f64| 100.0 * (x.exp() - 1.0);
    Some(Trend {
        years: n,
        annual_change: pct(b),
        low: pct(b - q * var_b.sqrt()),
        high: pct(b + q * var_b.sqrt()),
        dispersion,
    })
}

/// The Poisson information matrix of (a, b) at fitted means `mu`: (I_aa, I_ab, I_bb).
fn information(mu: &[f64], t: &[f64]) -> (f64, f64, f64) {
    mu.iter()
        .zip(t)
        .fold((0.0, 0.0, 0.0), |(x, y, z), (&m, &ti)| {
            (x + m, y + m * ti, z + m * ti * ti)
        })
}

/// The seasonal index of each month of the year (in the order the years give them: April first
/// for financial years), from `years` complete years of twelve monthly counts each; `None` with
/// fewer than three years or no events.
pub fn seasonal(years: &[[i64; 12]]) -> Option<[f64; 12]> {
    if years.len() < 3 {
        return None;
    }
    let total: i64 = years.iter().flatten().sum();
    if total <= 0 {
        return None;
    }
    let mean_month = total as f64 / (12 * years.len()) as f64;
    let mut index = [0.0; 12];
    for (m, slot) in index.iter_mut().enumerate() {
        let sum: i64 = years.iter().map(|y| y[m]).sum();
        *slot = 100.0 * sum as f64 / years.len() as f64 / mean_month;
    }
    Some(index)
}

/// One category's long view in an area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LongView {
    pub category: String,
    /// The financial years the trend spans, first and last.
    pub from: crate::model::Period,
    pub to: crate::model::Period,
    /// `None` with fewer than three years, or where a series break falls inside the span.
    pub trend: Option<Trend>,
    /// A change of definition inside the span, which a trend would pass off as a change in crime.
    pub series_break: Option<crate::model::Month>,
    /// The category is missing from some year of the span (no trend).
    pub incomplete: bool,
    /// The month with the highest seasonal index and that index (three or more complete
    /// financial years of months).
    pub peak: Option<(String, f64)>,
}

/// The long view of each category of `area` over its last `last_n` complete financial years.
pub fn long_views(
    data: &crate::model::Dataset,
    area: &str,
    last_n: usize,
    confidence: f64,
) -> Vec<LongView> {
    use crate::model::{FinancialYear, Period};
    let years: Vec<FinancialYear> = financial_years(data, area);
    let mut per_year: Vec<(FinancialYear, Vec<crate::model::Observation>)> = Vec::new();
    for fy in years {
        let period = Period::FinancialYear(fy);
        if let Ok(f) = crate::stats::counts::period_figures(data, area, period, "--years", false) {
            per_year.push((fy, f.observations));
        }
    }
    let start = per_year.len().saturating_sub(last_n.max(1));
    let span = &per_year[start..];
    let Some(last) = span.last() else {
        return Vec::new();
    };
    last.1
        .iter()
        .map(|o| category_view(data, area, o, span, confidence))
        .collect()
}

/// The long view of the category of `o` over the financial years of `span`.
fn category_view(
    data: &crate::model::Dataset,
    area: &str,
    o: &crate::model::Observation,
    span: &[(crate::model::FinancialYear, Vec<crate::model::Observation>)],
    confidence: f64,
) -> LongView {
    use crate::model::{Period, Value};
    let (first, last) = (span[0].0, span[span.len() - 1].0);
    let counts: Option<Vec<i64>> = span
        .iter()
        .map(|(_, obs)| {
            obs.iter()
                .find(|x| x.category.key() == o.category.key())
                .and_then(|x| match x.value {
                    Value::Count(n) => Some(n),
                    _ => None,
                })
        })
        .collect();
    let (from, to) = (first.first_month(), last.first_month().plus(11));
    let series_break = data
        .breaks
        .iter()
        .find(|b| b.changed(&o.category) && b.crosses(from, to))
        .map(|b| b.from);
    let years = span.iter().map(|(fy, _)| *fy);
    LongView {
        category: o.category.as_str().to_string(),
        from: Period::FinancialYear(first),
        to: Period::FinancialYear(last),
        trend: match (&counts, series_break) {
            (Some(c), None) => trend(c, confidence),
            _ => None,
        },
        series_break: series_break.filter(|_| counts.is_some()),
        incomplete: counts.is_none(),
        peak: counts
            .as_ref()
            .and_then(|_| peak(data, area, &o.category, years)),
    }
}

/// The financial years `area` has figures for, directly or through its months, in order.
fn financial_years(data: &crate::model::Dataset, area: &str) -> Vec<crate::model::FinancialYear> {
    use crate::model::Period;
    let mut years: Vec<_> = data
        .observations
        .iter()
        .filter(|o| o.area == area)
        .filter_map(|o| match o.period {
            Period::FinancialYear(fy) => Some(fy),
            Period::Month(m) => Some(m.financial_year()),
            _ => None,
        })
        .collect();
    years.sort();
    years.dedup();
    years
}

/// The peak month of `category`'s seasonal profile over the financial `years` whose months are
/// all present.
fn peak(
    data: &crate::model::Dataset,
    area: &str,
    category: &crate::model::Category,
    years: impl Iterator<Item = crate::model::FinancialYear>,
) -> Option<(String, f64)> {
    use crate::model::{Period, Value};
    let mut complete: Vec<[i64; 12]> = Vec::new();
    for fy in years {
        let mut months = [None; 12];
        for o in data
            .observations
            .iter()
            .filter(|o| o.area == area && o.category.key() == category.key())
        {
            if let (Period::Month(m), Value::Count(n)) = (o.period, &o.value)
                && m.financial_year() == fy
            {
                months[fy.first_month().months_until(m) as usize] = Some(*n);
            }
        }
        let covered = data.coverage.get(area);
        let all = (0..12).all(|i| covered.is_some_and(|c| c.contains(&fy.first_month().plus(i))));
        let gap = data
            .gaps
            .iter()
            .any(|g| g.category.key() == category.key() && g.month.financial_year() == fy);
        if all && !gap {
            complete.push(months.map(|n| n.unwrap_or(0)));
        }
    }
    let index = seasonal(&complete)?;
    let (at, top) = index.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
    const NAMES: [&str; 12] = [
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "January",
        "February",
        "March",
    ];
    Some((NAMES[at].to_string(), *top))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_ten_per_cent_rise_is_found_exactly() {
        // 1000, 1100, 1210, 1331: exactly geometric, so the log-linear fit is exact: b = ln 1.1,
        // no residual (dispersion floored at 1), +10.0% a year.
        let t = trend(&[1000, 1100, 1210, 1331], 0.95).unwrap();
        assert!((t.annual_change - 10.0).abs() < 1e-9, "{t:?}");
        assert_eq!(t.dispersion, 1.0);
        assert!(t.low < 10.0 && t.high > 10.0);
        assert_eq!(t.years, 4);
    }

    #[test]
    fn the_trend_by_hand_on_three_years() {
        // 100, 100, 121: Poisson fit of log mu = a + b t. Its score equations are
        // sum(y - mu) = 0 and sum(t (y - mu)) = 0; with r = e^b, 321 = m (1 + r + r^2) and
        // 342 = m (r + 2 r^2), so 342 (1 + r + r^2) = 321 (r + 2 r^2):
        // 300 r^2 - 21 r - 342 = 0, r = (21 + sqrt(441 + 410400)) / 600 = 1.103281 (by hand).
        let t = trend(&[100, 100, 121], 0.95).unwrap();
        let r: f64 = (21.0 + (441.0f64 + 410_400.0).sqrt()) / 600.0;
        assert!(
            (t.annual_change - 100.0 * (r - 1.0)).abs() < 1e-6,
            "{t:?} against {r}"
        );
        assert_eq!(trend(&[5, 6], 0.95), None);
        assert_eq!(trend(&[0, 0, 0], 0.95), None);
    }

    #[test]
    fn seasonal_index_by_hand() {
        // Three years: December twice the other months (10 a month, 20 in December): the mean
        // month is (11 x 10 + 20) / 12 = 10.8333; December's index 20 / 10.8333 = 184.6.
        let mut year = [10; 12];
        year[11] = 20;
        let index = seasonal(&[year, year, year]).unwrap();
        assert!((index[11] - 2000.0 / (130.0 / 12.0)).abs() < 1e-9);
        assert!((index[0] - 1000.0 / (130.0 / 12.0)).abs() < 1e-9);
        assert_eq!(seasonal(&[year, year]), None);
    }
}
