//! Properties that must hold for any input: period arithmetic and the comparison's statistics.

use proptest::prelude::*;
use saferstats::harmonise::{Month, Period};
use saferstats::stats::{Change, CompareSettings};

/// The two-sided exact binomial p-value of `k` (the smaller count) of `n` at one half, summed
/// term by term: independent of the code under test. `None` for `n` = 0.
fn exact_binomial_p(k: u64, n: u64) -> Option<f64> {
    use statrs::function::factorial::ln_factorial;
    if n == 0 {
        return None;
    }
    let ln_half_n = n as f64 * 0.5f64.ln();
    let tail: f64 = (0..=k)
        .map(|i| (ln_factorial(n) - ln_factorial(i) - ln_factorial(n - i) + ln_half_n).exp())
        .sum();
    Some((2.0 * tail).min(1.0))
}

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
        // Each against the counts themselves, not against the other.
        prop_assert_eq!((ab.change, ba.change), (b - a, a - b));
        // Both p-values against the binomial test computed here, term by term, from log
        // factorials: P = min(1, 2 * sum over i <= min(a, b) of C(n, i) / 2^n).
        let oracle = exact_binomial_p(a.min(b) as u64, (a + b) as u64);
        for (c, name) in [(&ab, "a to b"), (&ba, "b to a")] {
            match (c.p_value, oracle) {
                (Some(p), Some(q)) => prop_assert!((p - q).abs() <= 1e-9 * q.max(1e-300) + 1e-15, "{name}: {p} vs {q}"),
                (p, q) => prop_assert_eq!(p, q, "{}", name),
            }
        }
        prop_assert_eq!(ab.significant, ba.significant);
        // The ratio interval of b/a is the reciprocal of a/b's.
        if let (Some(low), Some(high)) = (ab.ci_low, ba.ci_high) {
            prop_assert!((low * high - 1.0).abs() < 1e-6, "{low} x {high}");
        }
    }

    /// At national scale and far beyond (counts up to 1e15): in [0, 1], 1 for equal counts, the
    /// same both ways round, and quick (each test well inside a millisecond's work).
    #[test]
    fn the_test_holds_at_any_scale(a in 0i64..1_000_000_000_000_000, b in 0i64..1_000_000_000_000_000, same in any::<bool>()) {
        let s = CompareSettings::default();
        let b = if same { a } else { b };
        let started = std::time::Instant::now();
        let (ab, ba) = (Change::new("x", a, b, &s), Change::new("x", b, a, &s));
        prop_assert!(started.elapsed() < std::time::Duration::from_millis(50));
        let p = ab.p_value.unwrap_or(1.0);
        prop_assert!((0.0..=1.0).contains(&p), "{a} {b}: {p}");
        prop_assert_eq!(ab.p_value, ba.p_value);
        if a == b && a > 0 {
            prop_assert_eq!(ab.p_value, Some(1.0));
            prop_assert!(!ab.significant);
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

/// One generated street-file row: what it is, and whether to quote its fields.
#[derive(Debug, Clone)]
enum Row {
    /// A good row of this crime type (index into CRIME_TYPES); its location name holds a comma
    /// and, when `multiline`, a line break inside its quotes.
    Good {
        kind: usize,
        quote_all: bool,
        multiline: bool,
    },
    /// A row missing its last field.
    Ragged,
    /// A row for another month.
    WrongMonth,
    /// A row whose crime type matches nothing.
    UnknownType,
    /// An empty line, which is no row at all.
    Blank,
}

fn street_row() -> impl Strategy<Value = Row> {
    prop_oneof![
        6 => (0usize..14, any::<bool>(), prop::bool::weighted(0.1))
            .prop_map(|(kind, quote_all, multiline)| Row::Good { kind, quote_all, multiline }),
        1 => Just(Row::Ragged),
        1 => Just(Row::WrongMonth),
        1 => Just(Row::UnknownType),
        1 => Just(Row::Blank),
    ]
}

proptest! {
    /// The street-file reader against an oracle built with the file: quoting, commas and line
    /// breaks inside quotes, CRLF or LF, blank lines, ragged and wrong rows. Every row is counted
    /// under its type or rejected at the line it starts on.
    #[test]
    fn a_street_file_is_counted_and_rejected_row_by_row(
        rows in proptest::collection::vec(street_row(), 0..60),
        crlf in any::<bool>(),
    ) {
        use saferstats::harmonise::police_uk::CRIME_TYPES;
        use saferstats::ingest::police_uk::file::{self, BadRows};
        let q = |s: &str, quote: bool| if quote { format!("\"{s}\"") } else { s.to_string() };
        let mut text = String::from("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n");
        let (mut line, mut expected, mut rejected_lines) = (2u64, [0u64; 14], Vec::new());
        for (i, row) in rows.iter().enumerate() {
            let id = format!("{i:064x}");
            let good = |kind: usize, quote: bool, place: &str| format!(
                "{},{},City of London Police,{},-0.09,51.51,{},E01000001,City of London 001F,{},,\n",
                q(&id, quote), q("2016-04", quote), q("City of London Police", quote), place, q(CRIME_TYPES[kind], quote)
            );
            let (record, lines_in_record) = match row {
                Row::Good { kind, quote_all, multiline } => {
                    expected[*kind] += 1;
                    let place = if *multiline { "\"On or near\nBank, Street\"" } else { "\"On or near Bank, Street\"" };
                    (good(*kind, *quote_all, place), 1 + u64::from(*multiline))
                }
                Row::Ragged => {
                    rejected_lines.push(line);
                    (good(1, false, "x").replacen(",,\n", ",\n", 1), 1)
                }
                Row::WrongMonth => {
                    rejected_lines.push(line);
                    (good(1, false, "x").replace("2016-04", "2016-05"), 1)
                }
                Row::UnknownType => {
                    rejected_lines.push(line);
                    (good(1, false, "x").replace("Bicycle theft", "Bicycle thefts"), 1)
                }
                Row::Blank => ("\n".to_string(), 1),
            };
            text += &record;
            line += lines_in_record;
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let name = file::parse_name("2016-04/2016-04-city-of-london-street.csv").unwrap();
        let parsed = file::parse(text.as_bytes(), &name, "t.csv", BadRows::Reject, None).unwrap();
        let lines: Vec<u64> = parsed.rejected.iter().map(|r| r.line).collect();
        prop_assert_eq!(lines, rejected_lines);
        let blank = rows.iter().filter(|r| matches!(r, Row::Blank)).count() as u64;
        prop_assert_eq!(parsed.rows_read, rows.len() as u64 - blank);
        prop_assert_eq!(parsed.street.unwrap().by_type, expected);
    }
}
