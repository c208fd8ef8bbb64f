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

/// A partner table generated as published: `measures` by quarter with each measure's year, and
/// (with `totals`) a `Total` row per period summing the measures.
fn partner_table(counts: &[[i64; 4]], totals: bool) -> Vec<saferstats::model::PartnerFigure> {
    use saferstats::model::{PartnerFigure, Unit, Value};
    let figure = |measure: String, period: &str, n: i64| PartnerFigure {
        source: "s".into(),
        input: 0,
        line: 0,
        area: "A".into(),
        measure,
        period: period.parse().unwrap(),
        value: Value::Count(n),
        unit: Unit::Count,
        note: None,
    };
    let quarters = ["2018/19 Q1", "2018/19 Q2", "2018/19 Q3", "2018/19 Q4"];
    let mut out = Vec::new();
    for (m, row) in counts.iter().enumerate() {
        out.push(figure(format!("m{m}"), "2018/19", row.iter().sum()));
        for (q, n) in row.iter().enumerate() {
            out.push(figure(format!("m{m}"), quarters[q], *n));
        }
    }
    if totals {
        for (q, period) in quarters.iter().enumerate() {
            out.push(figure(
                "Total".into(),
                period,
                counts.iter().map(|r| r[q]).sum(),
            ));
        }
        let all: i64 = counts.iter().flat_map(|r| r.iter()).sum();
        out.push(figure("Total".into(), "2018/19", all));
    }
    out
}

proptest! {
    /// An attacker who knows every relation of the table (each year is its quarters, each Total
    /// its measures) and solves any one left with a single unknown, over and over, recovers no
    /// withheld figure. The attacker is written here, apart from the code under test.
    #[test]
    fn no_withheld_figure_can_be_worked_out_by_subtraction(
        counts in proptest::collection::vec(proptest::array::uniform4(prop_oneof![0i64..5, 0i64..80]), 1..5),
        totals in any::<bool>(),
    ) {
        use saferstats::model::Value;
        let truth = partner_table(&counts, totals);
        let mut published = truth.clone();
        let named = saferstats::ingest::disclosure::Totals { category: totals.then_some("Total"), area: None };
        saferstats::ingest::disclosure::apply(&mut published, 4, named);
        // Every small count is withheld.
        for (t, p) in truth.iter().zip(&published) {
            if let Value::Count(n) = t.value && (1..=4).contains(&n) {
                prop_assert!(matches!(p.value, Value::Suppressed(_)));
            }
        }
        let index = |measure: &str, period: &str| {
            published.iter().position(|f| f.measure == measure && f.period.to_string() == period)
        };
        let quarters = ["2018/19 Q1", "2018/19 Q2", "2018/19 Q3", "2018/19 Q4"];
        let mut relations: Vec<(usize, Vec<usize>)> = Vec::new();
        for m in 0..counts.len() {
            let name = format!("m{m}");
            let parts = quarters.iter().filter_map(|q| index(&name, q)).collect();
            relations.push((index(&name, "2018/19").unwrap(), parts));
        }
        if totals {
            for period in quarters.iter().chain(["2018/19"].iter()) {
                let parts = (0..counts.len()).filter_map(|m| index(&format!("m{m}"), period)).collect();
                relations.push((index("Total", period).unwrap(), parts));
            }
        }
        let mut known: Vec<Option<i64>> = published
            .iter()
            .map(|f| match f.value { Value::Count(n) => Some(n), _ => None })
            .collect();
        loop {
            let mut learnt = false;
            for (t, parts) in &relations {
                let cells: Vec<usize> = std::iter::once(*t).chain(parts.iter().copied()).collect();
                let missing: Vec<usize> = cells.iter().copied().filter(|&i| known[i].is_none()).collect();
                if let [only] = missing[..] {
                    let parts_sum: i64 = parts.iter().filter_map(|&i| known[i]).sum();
                    known[only] = Some(if only == *t { parts_sum } else { known[*t].unwrap() - parts_sum });
                    learnt = true;
                }
            }
            if !learnt { break; }
        }
        for (i, f) in published.iter().enumerate() {
            if matches!(f.value, Value::Suppressed(_)) {
                prop_assert!(known[i].is_none(), "{} {} recovered: {:?}", f.measure, f.period, known[i]);
            }
        }
        // Nor can one who combines every relation with non-negativity (a linear program) bound a
        // withheld figure inside less than 0 to 4.
        let all = saferstats::ingest::disclosure::relations(&published, named);
        let pinned = saferstats::ingest::disclosure::audit(&published, &all, 4);
        prop_assert!(pinned.is_empty(), "bounded too tightly: {:?}", pinned);
    }
}
