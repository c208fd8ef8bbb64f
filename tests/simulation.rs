//! Simulations that can fail: the year-on-year test holds its false-alarm rate when crime counts
//! vary more than Poisson, and across many categories at once. Seeded, so every run draws the
//! same series; the shares are printed (run with `--nocapture` to see them).

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, Gamma, Poisson};
use saferstats::stats::dispersion::{self, Adjust};
use saferstats::stats::{Change, CompareSettings};

/// Twelve monthly counts with mean `mean`, each Poisson given a gamma-distributed rate: a
/// negative binomial with variance `dispersion` x mean (1 is Poisson).
fn year(rng: &mut Xoshiro256PlusPlus, mean: f64, dispersion: f64) -> Vec<i64> {
    (0..12)
        .map(|_| {
            let rate = if dispersion > 1.0 {
                let shape = mean / (dispersion - 1.0);
                Gamma::new(shape, mean / shape).unwrap().sample(rng)
            } else {
                mean
            };
            Poisson::new(rate.max(1e-9)).unwrap().sample(rng) as i64
        })
        .collect()
}

/// One category's change between two simulated years with no change, tested as `compare` does:
/// the exact test, then the quasi-Poisson test where the months show extra variation.
fn change(rng: &mut Xoshiro256PlusPlus, mean: f64, dispersion: f64) -> (Change, Change) {
    let settings = CompareSettings::default();
    let (a, b) = (year(rng, mean, dispersion), year(rng, mean, dispersion));
    let poisson = Change::new("X", a.iter().sum(), b.iter().sum(), &settings);
    let mut allowed = poisson.clone();
    if let Some(d) = dispersion::estimate(&a, &b) {
        allowed.allow_for(d, &settings);
    }
    (poisson, allowed)
}

fn share(hits: usize, of: usize) -> f64 {
    hits as f64 / of as f64
}

#[test]
fn overdispersed_counts_with_no_change_are_rarely_called_significant() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2016);
    let runs = 2_000;
    let (mut poisson, mut allowed) = (0, 0);
    for _ in 0..runs {
        let (p, a) = change(&mut rng, 50.0, 3.0);
        poisson += usize::from(p.significant);
        allowed += usize::from(a.significant);
    }
    let (p, a) = (share(poisson, runs), share(allowed, runs));
    eprintln!(
        "negative binomial (dispersion 3), no change, 2,000 series at alpha 0.05: exact Poisson test {p:.3}, dispersion-aware {a:.3}"
    );
    assert!(a <= 0.06, "dispersion-aware test: {a}");
    assert!(p > 0.2, "the pure Poisson test should call far more: {p}");
}

#[test]
fn poisson_counts_with_no_change_are_called_significant_about_one_time_in_twenty() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2017);
    let runs = 2_000;
    let allowed = (0..runs)
        .filter(|_| change(&mut rng, 50.0, 1.0).1.significant)
        .count();
    let a = share(allowed, runs);
    eprintln!("Poisson, no change, 2,000 series at alpha 0.05: dispersion-aware {a:.3}");
    assert!((0.03..=0.065).contains(&a), "{a}");
}

#[test]
fn across_24_categories_with_no_change_a_false_worsening_is_rare_with_bh() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2018);
    let runs = 2_000;
    let (mut raw_runs, mut bh_runs) = (0, 0);
    for _ in 0..runs {
        let changes: Vec<Change> = (0..24).map(|_| change(&mut rng, 40.0, 3.0).1).collect();
        let p: Vec<Option<f64>> = changes.iter().map(|c| c.p_value).collect();
        let q = dispersion::adjust(&p, Adjust::Bh);
        let worse = |c: &Change, v: Option<f64>| c.change > 0 && v.is_some_and(|v| v <= 0.05);
        raw_runs += usize::from(changes.iter().zip(&p).any(|(c, &p)| worse(c, p)));
        bh_runs += usize::from(changes.iter().zip(&q).any(|(c, &q)| worse(c, q)));
    }
    let (raw, bh) = (share(raw_runs, runs), share(bh_runs, runs));
    eprintln!(
        "24 categories, no change, 2,000 runs: any 'worsening' unadjusted {raw:.3}, with Benjamini-Hochberg {bh:.3}"
    );
    assert!(bh <= 0.06, "{bh}");
    assert!(raw > 0.3, "unadjusted, a false worsening is common: {raw}");
}
