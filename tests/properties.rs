//! Properties that must hold for any input: period arithmetic and the comparison's statistics.

use proptest::prelude::*;
use saferstats::harmonise::{Month, Period};
use saferstats::stats::{Change, CompareSettings};

fn month() -> impl Strategy<Value = Month> {
    (1950i32..2090, 1u8..=12).prop_map(|(y, m)| Month::new(y, m).unwrap())
}

proptest! {
    #[test]
    fn a_month_lies_in_its_financial_year_and_quarter(m in month()) {
        let fy = Period::FinancialYear(m.financial_year());
        prop_assert!(fy.contains(m));
        let q = Period::FinancialQuarter(m.financial_year(), m.financial_quarter());
        prop_assert!(q.contains(m));
        prop_assert!(fy.first_month().month() == 4 && fy.months().count() == 12);
        // April starts the year; the year's label parses back to itself.
        let label = fy.to_string();
        prop_assert_eq!(label.parse::<Period>().unwrap(), fy);
    }

    #[test]
    fn a_rolling_year_is_the_twelve_months_ending_with_its_month(m in month()) {
        let r = Period::Rolling12(m);
        let months: Vec<Month> = r.months().collect();
        prop_assert_eq!(months.len(), 12);
        prop_assert_eq!(*months.last().unwrap(), m);
        prop_assert!(months.windows(2).all(|w| w[0].plus(1) == w[1]));
        if m.month() == 3 {
            prop_assert_eq!(months, Period::FinancialYear(m.financial_year()).months().collect::<Vec<_>>());
        }
    }

    #[test]
    fn month_arithmetic_round_trips(m in month(), n in -600i32..600) {
        prop_assert_eq!(m.plus(n).plus(-n), m);
        prop_assert_eq!(m.months_until(m.plus(n)), n);
        prop_assert_eq!(m.to_string().parse::<Month>().unwrap(), m);
    }

    #[test]
    fn swapping_the_periods_negates_the_change(a in 0i64..5000, b in 0i64..5000) {
        let s = CompareSettings::default();
        let (ab, ba) = (Change::new("x", a, b, &s), Change::new("x", b, a, &s));
        prop_assert_eq!(ab.change, -ba.change);
        prop_assert_eq!(ab.significant, ba.significant);
        match (ab.p_value, ba.p_value) {
            (Some(p), Some(q)) => prop_assert!((p - q).abs() < 1e-9),
            (p, q) => prop_assert_eq!(p, q),
        }
        // The ratio interval of b/a is the reciprocal of a/b's.
        if let (Some(low), Some(high)) = (ab.ci_low, ba.ci_high) {
            prop_assert!((low * high - 1.0).abs() < 1e-6, "{low} x {high}");
        }
    }

    #[test]
    fn p_values_lie_in_zero_to_one(a in 0i64..20000, b in 0i64..20000) {
        let c = Change::new("x", a, b, &CompareSettings::default());
        if let Some(p) = c.p_value {
            prop_assert!((0.0..=1.0).contains(&p), "{p}");
        }
        prop_assert_eq!(c.p_value.is_none(), a == 0 && b == 0);
    }

    #[test]
    fn the_total_is_the_sum_of_its_parts(counts in proptest::collection::vec((0i64..3000, 0i64..3000), 1..30)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut text = String::from("Category,2016/17,2017/18\n");
        for (i, (a, b)) in counts.iter().enumerate() {
            text += &format!("Category {i},{a},{b}\n");
        }
        std::fs::write(&path, text).unwrap();
        let source = saferstats::config::Source {
            area: Some("Area".into()),
            ..saferstats::config::Source::new(saferstats::config::SourceKind::Summary, path, "t.csv")
        };
        let data = saferstats::ingest::load_all(&[source], &saferstats::harmonise::taxonomy::Taxonomy::shipped()).unwrap();
        let (from, to) = ("2016/17".parse().unwrap(), "2017/18".parse().unwrap());
        let cmp = saferstats::stats::compare(&data, "Area", from, to, &CompareSettings::default(), false).unwrap();
        prop_assert_eq!(cmp.total.from_count, counts.iter().map(|c| c.0).sum::<i64>());
        prop_assert_eq!(cmp.total.to_count, counts.iter().map(|c| c.1).sum::<i64>());
        prop_assert_eq!(cmp.rows.len(), counts.len());
    }
}
