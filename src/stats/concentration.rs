//! How concentrated crime is across places: the Lorenz curve, the Gini coefficient and its
//! generalised version for sparse data, and the share of crime in the top 5% of places.
//!
//! As Steenbeek's `lorenzgini` (0.1.2, `gini()`, after Bernasco & Steenbeek 2017, "More places
//! than crimes", *J Quant Criminol* 33:451-467) computes them, with its defaults
//! (`generalized = TRUE, unbiased = TRUE`):
//!
//! - **Gini** of n places' counts x in ascending order: G = 2 Σ i x_(i) / (n Σx) - 1 - 1/n
//!   (0: every place alike; near 1: all in one), times n / (n - 1) when unbiased.
//! - **Generalised Gini** with N crimes: compared with maximal equality given the data (every
//!   crime in a place of its own when N < n): G' = 1 - max(1, n / N) (1 - G_biased), times
//!   m / (m - 1) with m = min(n, N) when unbiased. With N >= n it is the Gini itself.

use serde::Serialize;

/// The Gini of `counts` (one per place); `None` with fewer than two places or no crimes.
pub fn gini(counts: &[u64], unbiased: bool) -> Option<f64> {
    let n = counts.len();
    let total: u64 = counts.iter().sum();
    if n < 2 || total == 0 {
        return None;
    }
    let mut x = counts.to_vec();
    x.sort_unstable();
    let weighted: f64 = x
        .iter()
        .enumerate()
        .map(|(i, &v)| (i + 1) as f64 * v as f64)
        .sum();
    let n = n as f64;
    let g = 2.0 * weighted / (n * total as f64) - 1.0 - 1.0 / n;
    Some(if unbiased { g * n / (n - 1.0) } else { g })
}

/// The generalised Gini; `None` with fewer than two places, or fewer than two crimes (one crime
/// is as concentrated and as equal as it can be at once).
pub fn generalised_gini(counts: &[u64], unbiased: bool) -> Option<f64> {
    let (n, total) = (counts.len() as f64, counts.iter().sum::<u64>() as f64);
    let m = n.min(total);
    if m < 2.0 {
        return None;
    }
    let g = 1.0 - (n / total).max(1.0) * (1.0 - gini(counts, false)?);
    Some(if unbiased { g * m / (m - 1.0) } else { g })
}

/// The share of all crime in the busiest 5% of places (at least one place).
pub fn top_share(counts: &[u64], share: f64) -> Option<f64> {
    let total: u64 = counts.iter().sum();
    if counts.is_empty() || total == 0 {
        return None;
    }
    let mut x = counts.to_vec();
    x.sort_unstable_by(|a, b| b.cmp(a));
    let k = ((share * x.len() as f64).ceil() as usize).max(1);
    Some(x[..k].iter().sum::<u64>() as f64 / total as f64)
}

/// The Lorenz curve from the busiest place down: (share of places, share of crime), from (0, 0)
/// to (1, 1).
pub fn lorenz(counts: &[u64]) -> Vec<(f64, f64)> {
    let total = counts.iter().sum::<u64>() as f64;
    let mut x = counts.to_vec();
    x.sort_unstable_by(|a, b| b.cmp(a));
    let n = x.len() as f64;
    let mut out = vec![(0.0, 0.0)];
    let mut run = 0u64;
    for (i, v) in x.iter().enumerate() {
        run += v;
        out.push((
            (i + 1) as f64 / n,
            if total > 0.0 { run as f64 / total } else { 0.0 },
        ));
    }
    out
}

/// An area's concentration in one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Concentration {
    pub places: usize,
    pub crimes: u64,
    pub gini: Option<f64>,
    pub generalised: Option<f64>,
    /// Share of crime in the busiest 5% of places.
    pub top5: Option<f64>,
}

pub fn concentration(counts: &[u64]) -> Concentration {
    Concentration {
        places: counts.len(),
        crimes: counts.iter().sum(),
        gini: gini(counts, true),
        generalised: generalised_gini(counts, true),
        top5: top_share(counts, 0.05),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// lorenzgini 0.1.2's gini() run on these vectors (R 4.2.2): (counts, standard biased,
    /// standard unbiased, generalised biased, generalised unbiased).
    const LORENZGINI: [(&[u64], f64, f64, f64, f64); 7] = [
        (
            &[0, 0, 0, 0, 0, 0, 1, 1, 2, 5],
            0.744444444444444,
            67.0 / 81.0,
            58.0 / 81.0,
            29.0 / 36.0,
        ),
        (&[0, 0, 0, 3, 7], 0.68, 0.85, 0.68, 0.85),
        (
            &[0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
            0.6,
            0.666666666666667,
            0.0,
            0.0,
        ),
        (&[0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 0.9, 1.0, 0.75, 1.0),
        (
            &[5, 2, 1, 0, 0, 0, 0, 0, 0, 0],
            0.8,
            0.888888888888889,
            0.75,
            6.0 / 7.0,
        ),
        (
            &[3, 1, 1, 0, 0, 0, 0, 0, 0, 0],
            0.78,
            0.866666666666667,
            0.56,
            0.7,
        ),
        (
            &[10, 8, 2, 0, 0, 0, 0, 0, 0, 0],
            0.78,
            0.866666666666667,
            0.78,
            0.866666666666667,
        ),
    ];

    #[test]
    fn reproduces_lorenzgini() {
        for (x, g, gu, gg, ggu) in LORENZGINI {
            let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-12;
            assert!(close(gini(x, false), g), "{x:?}: {:?}", gini(x, false));
            assert!(close(gini(x, true), gu), "{x:?}");
            assert!(
                close(generalised_gini(x, false), gg),
                "{x:?}: {:?}",
                generalised_gini(x, false)
            );
            assert!(close(generalised_gini(x, true), ggu), "{x:?}");
        }
        // Its documented edge: one crime cannot be judged (lorenzgini gives Inf).
        assert_eq!(generalised_gini(&[1, 0, 0], true), None);
        assert_eq!(gini(&[0, 0], true), None);
    }

    #[test]
    fn gini_and_top_share_by_hand() {
        // 0, 3, 7 ascending over n = 3: 2 (1 x 0 + 2 x 3 + 3 x 7) / (3 x 10) - 1 - 1/3 = 54/30 -
        // 4/3 = 0.4667. The top 5% of 3 places is one place: 7 of 10.
        assert!((gini(&[7, 0, 3], false).unwrap() - (54.0 / 30.0 - 4.0 / 3.0)).abs() < 1e-12);
        assert_eq!(top_share(&[7, 0, 3], 0.05), Some(0.7));
        // 40 places, the top 5% is 2: 10 + 5 of 20.
        let mut x = vec![0u64; 40];
        (x[0], x[1], x[2]) = (10, 5, 5);
        assert_eq!(top_share(&x, 0.05), Some(0.75));
        assert_eq!(lorenz(&[1, 3]), vec![(0.0, 0.0), (0.5, 0.75), (1.0, 1.0)]);
    }
}
