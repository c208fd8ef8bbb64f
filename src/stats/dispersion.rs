//! Allowing for variation beyond Poisson, and for many tests at once.
//!
//! **Dispersion.** Crime counts vary more than Poisson from month to month (clustering, recording
//! practice, events). Where both compared periods come with their sub-periods (months, or
//! quarters), a category's dispersion is estimated from the two periods' sub-period counts: the
//! Pearson statistic of the period x sub-period table against the two-way Poisson model (fitted
//! value = row total x column total / grand total), divided by its degrees of freedom,
//! (2 - 1) x (K - 1) for K sub-periods. With phi* = max(1, phi), the change is tested by
//! (later - earlier) / sqrt(phi* x (earlier + later)) against Student's t with those degrees of
//! freedom (quasi-Poisson), and the ratio's interval widens the same way; where phi* = 1 the
//! exact conditional test stands. Without sub-periods the exact test stands, and the output says
//! it assumes Poisson variation.
//!
//! **Many tests.** One comparison tests every category at once: at alpha 0.05, 24 categories
//! give about one false "significant" a run by chance alone. The categories' p-values are
//! adjusted together (Benjamini-Hochberg by default, or Holm) and `significant` uses the
//! adjusted q-value; a total is a family of one.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A category's estimated dispersion and the degrees of freedom behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dispersion {
    pub phi: f64,
    pub df: u32,
}

/// How a change was tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Test {
    /// The exact conditional test of two Poisson counts.
    #[default]
    ExactPoisson,
    /// Allowing for dispersion above Poisson, estimated from sub-period counts.
    QuasiPoisson,
}

impl Test {
    pub fn label(self) -> &'static str {
        match self {
            Test::ExactPoisson => "exact-poisson",
            Test::QuasiPoisson => "quasi-poisson",
        }
    }
}

/// How p-values of one family are adjusted for testing many at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Adjust {
    /// Benjamini-Hochberg: controls the false discovery rate.
    #[default]
    Bh,
    /// Holm: controls the family-wise error rate.
    Holm,
    /// No adjustment: q = p.
    None,
}

impl Adjust {
    /// The method's name in words, for notes.
    pub fn label(self) -> &'static str {
        match self {
            Adjust::Bh => "Benjamini-Hochberg",
            Adjust::Holm => "Holm",
            Adjust::None => "no adjustment",
        }
    }
}

/// The dispersion of a category from its sub-period counts in the two periods (`from[j]`,
/// `to[j]` for sub-period j of each); `None` with fewer than two sub-periods, lengths that
/// differ, or no events at all.
pub fn estimate(from: &[i64], to: &[i64]) -> Option<Dispersion> {
    if from.len() != to.len() || from.len() < 2 || from.iter().chain(to).any(|&n| n < 0) {
        return None;
    }
    let (r1, r2) = (
        from.iter().sum::<i64>() as f64,
        to.iter().sum::<i64>() as f64,
    );
    let n = r1 + r2;
    if n <= 0.0 {
        return None;
    }
    let mut pearson = 0.0;
    for (&a, &b) in from.iter().zip(to) {
        let column = (a + b) as f64;
        for (observed, row) in [(a as f64, r1), (b as f64, r2)] {
            let fitted = row * column / n;
            if fitted > 0.0 {
                pearson += (observed - fitted).powi(2) / fitted;
            }
        }
    }
    let df = (from.len() - 1) as u32;
    Some(Dispersion {
        phi: pearson / f64::from(df),
        df,
    })
}

/// The quasi-Poisson test of `a` against `b` with dispersion `d` (phi above 1): the two-sided
/// p-value and the ratio interval at `confidence` (`None` where a count is 0).
pub fn quasi_test(a: u64, b: u64, d: Dispersion, confidence: f64) -> (f64, Option<(f64, f64)>) {
    let phi = d.phi.max(1.0);
    let t_dist = StudentsT::new(0.0, 1.0, f64::from(d.df)).expect("df >= 1");
    let (x, y) = (a as f64, b as f64);
    let p = if a + b == 0 {
        1.0
    } else {
        let t = (y - x) / (phi * (x + y)).sqrt();
        (2.0 * t_dist.sf(t.abs())).min(1.0)
    };
    let interval = (a > 0 && b > 0).then(|| {
        let half =
            t_dist.inverse_cdf(1.0 - (1.0 - confidence) / 2.0) * (phi * (1.0 / x + 1.0 / y)).sqrt();
        let log_ratio = (y / x).ln();
        ((log_ratio - half).exp(), (log_ratio + half).exp())
    });
    (p, interval)
}

/// The p-values of one family adjusted by `method`, in the order given (`None` stays `None`:
/// a row with no test is no member of the family).
pub fn adjust(p: &[Option<f64>], method: Adjust) -> Vec<Option<f64>> {
    let tested: Vec<(usize, f64)> = p
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    let m = tested.len() as f64;
    let mut order: Vec<usize> = (0..tested.len()).collect();
    order.sort_by(|&i, &j| tested[i].1.total_cmp(&tested[j].1).then(i.cmp(&j)));
    let mut adjusted = vec![0.0; tested.len()];
    match method {
        Adjust::None => {
            for (k, (_, p)) in tested.iter().enumerate() {
                adjusted[k] = *p;
            }
        }
        Adjust::Bh => {
            // q_(i) = min over j >= i of p_(j) m / j, from the largest down.
            let mut running = 1.0_f64;
            for (rank, &k) in order.iter().enumerate().rev() {
                running = running.min(tested[k].1 * m / (rank + 1) as f64);
                adjusted[k] = running;
            }
        }
        Adjust::Holm => {
            // q_(i) = max over j <= i of p_(j) (m - j + 1), from the smallest up.
            let mut running = 0.0_f64;
            for (rank, &k) in order.iter().enumerate() {
                running = running.max(tested[k].1 * (m - rank as f64)).min(1.0);
                adjusted[k] = running;
            }
        }
    }
    let mut out = vec![None; p.len()];
    for (k, (i, _)) in tested.iter().enumerate() {
        out[*i] = Some(adjusted[k].min(1.0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispersion_of_a_small_two_year_table_by_hand() {
        // Three sub-periods: earlier 10, 20, 30 (60); later 20, 20, 20 (60); N = 120.
        // Column totals 30, 40, 50; fitted values 15, 20, 25 in each row.
        // Pearson: (5^2/15 + 0 + 5^2/25) x 2 = (1.6667 + 1) x 2 = 5.3333; df = 2; phi = 2.6667.
        let d = estimate(&[10, 20, 30], &[20, 20, 20]).unwrap();
        assert_eq!(d.df, 2);
        assert!((d.phi - 8.0 / 3.0).abs() < 1e-12, "{}", d.phi);
        // Equal rows: no excess variation at all.
        assert_eq!(estimate(&[5, 5], &[5, 5]).unwrap().phi, 0.0);
        assert_eq!(estimate(&[1, 2], &[1]), None);
        assert_eq!(estimate(&[0, 0], &[0, 0]), None);
    }

    #[test]
    fn the_quasi_test_by_hand() {
        // 60 -> 90 with phi 2.6667 on 2 df: t = 30 / sqrt(2.6667 x 150) = 30 / 20 = 1.5;
        // two-sided p from Student's t with 2 df: 2 x (1 - F(1.5)) = 1 - 1.5 / sqrt(2 + 2.25)
        // = 1 - 0.727607 = 0.272393 (the t(2) CDF is 1/2 + t / (2 sqrt(2 + t^2))).
        let d = Dispersion {
            phi: 8.0 / 3.0,
            df: 2,
        };
        let (p, ci) = quasi_test(60, 90, d, 0.95);
        let want = 1.0 - 1.5 / (2.0f64 + 2.25).sqrt();
        assert!((p - want).abs() < 1e-9, "{p} against {want}");
        let (lo, hi) = ci.unwrap();
        assert!(lo < 1.5 && hi > 1.5 && lo > 0.0);
    }

    #[test]
    fn bh_and_holm_on_a_published_example() {
        // Benjamini and Hochberg (1995), section 4: fifteen p-values from a study of myocardial
        // infarction treatment; at q* = 0.05 the step-up procedure rejects the four smallest.
        let p = [
            0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
            0.5719, 0.6528, 0.7590, 1.0,
        ];
        let some: Vec<Option<f64>> = p.iter().map(|&x| Some(x)).collect();
        let q = adjust(&some, Adjust::Bh);
        let rejected = q.iter().filter(|q| q.unwrap() <= 0.05).count();
        assert_eq!(rejected, 4);
        // By hand: q for the fourth is min over j >= 4 of p_j x 15 / j: 0.0095 x 15/4 = 0.035625.
        assert!((q[3].unwrap() - 0.035625).abs() < 1e-12);
        // Holm (1979) on the same: p_(i) x (15 - i + 1), kept monotone: rejects the three
        // smallest (0.0095 x 12 = 0.114 > 0.05).
        let holm = adjust(&some, Adjust::Holm);
        assert_eq!(holm.iter().filter(|q| q.unwrap() <= 0.05).count(), 3);
        assert!((holm[2].unwrap() - 0.0019 * 13.0).abs() < 1e-12);
        // A row with no test is no member of the family.
        assert_eq!(adjust(&[None, Some(0.01)], Adjust::Bh), [None, Some(0.01)]);
    }
}
