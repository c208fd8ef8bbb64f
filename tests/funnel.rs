//! Funnel plot limits against published figures.
//!
//! PHEindicatormethods (UKHSA), `tests/testthat/testdata_funnel_ratio_outputs.csv`: for each
//! observed count, the expected counts at which it sits on the 95% ("2s") and 99.8% ("3s")
//! limits. PHStatsMethods (DHSC), `tests/test_utils_funnel.py`: `poisson_funnel(200, 0.025,
//! "low")` = 173.24086241121654 and `poisson_funnel(500, 0.001, "high")` = 573.0274767209943.

use saferstats::stats::funnel::{
    AreaCount, Position, TAIL_95, TAIL_998, benchmark, count_limits, expected_at_lower,
    expected_at_upper, funnel,
};

/// `Observed_events, lower_2s_exp_events, upper_2s_exp_events, lower_3s_exp_events,
/// upper_3s_exp_events`, as published.
const PHE: [[f64; 5]; 6] = [
    [1.0, 5.571644585, 0.025317898, 9.233410143, 0.001000547],
    [2.0, 7.224687515, 0.242209467, 11.22886836, 0.04540199],
    [20.0, 30.88838097, 12.21651877, 38.04188668, 8.958211233],
    [100.0, 121.6268111, 81.36400699, 134.9243187, 71.92139974],
    [343.0, 381.2896174, 307.6572071, 404.1757059, 288.604859],
    [716.0, 770.4222128, 664.5083011, 802.60414, 636.1521174],
];

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-300)
}

/// Whether `got` (exact) agrees with `published`, an expected count the peers find for `observed`
/// by bisection rather than from the gamma quantile: they halve a step from 0.5 while it is over
/// 1e-7, so they stop with the step at 2^-24 in `v`, where the count is `(1 + o) v / (1 - v)`.
/// Their answer is within that step of the exact one, so within `(1 + o) 2^-24 / (1 - v)^2` of
/// the count: the tolerance is the published figures' own resolution, not a guess.
fn within_bisection(got: f64, published: f64, observed: f64) -> bool {
    let v = published / (published + 1.0 + observed);
    let step = (1.0 + observed) * 2f64.powi(-24) / (1.0 - v).powi(2);
    (got - published).abs() <= step
}

#[test]
fn the_expected_counts_on_the_limits_match_phe_indicator_methods() {
    for [o, l2, u2, l3, u3] in PHE {
        let got = [
            expected_at_lower(o, TAIL_95),
            expected_at_upper(o, TAIL_95),
            expected_at_lower(o, TAIL_998),
            expected_at_upper(o, TAIL_998),
        ];
        for (g, w) in got.iter().zip([l2, u2, l3, u3]) {
            assert!(within_bisection(*g, w, o), "observed {o}: {g} against {w}");
        }
    }
}

#[test]
fn the_count_limits_invert_them() {
    for [o, ..] in PHE {
        // At the expected count where `o` is on a limit, that limit's count is `o`.
        let (l2, u2) = (expected_at_lower(o, TAIL_95), expected_at_upper(o, TAIL_95));
        let (l3, u3) = (
            expected_at_lower(o, TAIL_998),
            expected_at_upper(o, TAIL_998),
        );
        assert!(close(count_limits(l2, TAIL_95).0, o, 1e-9), "{o} lower 95");
        assert!(close(count_limits(u2, TAIL_95).1, o, 1e-9), "{o} upper 95");
        assert!(
            close(count_limits(l3, TAIL_998).0, o, 1e-9),
            "{o} lower 99.8"
        );
        assert!(
            close(count_limits(u3, TAIL_998).1, o, 1e-9),
            "{o} upper 99.8"
        );
    }
}

#[test]
fn the_bisection_of_ph_stats_methods_is_reproduced() {
    let low = expected_at_upper(200.0, 0.025);
    assert!(within_bisection(low, 173.24086241121654, 200.0), "{low}");
    let high = expected_at_lower(500.0, 0.001);
    assert!(within_bisection(high, 573.0274767209943, 500.0), "{high}");
}

#[test]
fn small_expected_counts_have_no_lower_limit() {
    // Below -ln(0.025) = 3.689 expected events even none observed is inside the 95% funnel.
    assert_eq!(count_limits(3.6, TAIL_95).0, 0.0);
    assert!(count_limits(3.8, TAIL_95).0 > 0.0);
}

#[test]
fn large_counts_approach_the_normal_limits() {
    // At a million expected, the limits are e +- z sqrt(e) to within a few events.
    let e = 1.0e6;
    let (lo, hi) = count_limits(e, TAIL_95);
    assert!((lo - (e - 1.959964 * 1000.0)).abs() < 3.0, "{lo}");
    assert!((hi - (e + 1.959964 * 1000.0)).abs() < 3.0, "{hi}");
}

#[test]
fn areas_are_placed_against_the_benchmark_of_all_of_them() {
    // Hand-computed: the areas with a population hold 1,000 events among 100,000 people, so the
    // benchmark is 10 per 1,000. Poisson tails by direct summation: P(X <= 70 | 100) = 0.00097,
    // P(X >= 229 | 200) = 0.0238, P(X >= 246 | 200) = 0.00091.
    let areas = vec![
        AreaCount {
            area: "Low".into(),
            events: 60,
            population: 10_000.0,
        },
        AreaCount {
            area: "Mid".into(),
            events: 700,
            population: 70_000.0,
        },
        AreaCount {
            area: "High".into(),
            events: 240,
            population: 20_000.0,
        },
        AreaCount {
            area: "None".into(),
            events: 5,
            population: 0.0,
        },
    ];
    let theta = benchmark(&areas).unwrap();
    assert!(close(theta, 0.01, 1e-12), "{theta}");
    let points = funnel(&areas, 0.01, 1000.0);
    assert_eq!(points.len(), 3, "the area without a population is left out");
    // Low: 60 against 100 expected is below the lower 99.8% limit (about 70 events).
    assert_eq!(points[0].position, Position::Below998);
    assert_eq!(points[1].position, Position::Within);
    // High: 240 against 200 is above the 95% limit (about 228) and inside the 99.8% (about 245).
    assert_eq!(points[2].position, Position::Above95);
}
