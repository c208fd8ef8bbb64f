//! The default data through the library: the City of London's published 2016/17 and 2017/18
//! table. Expected figures are from the table and from scipy.stats (binomtest, beta.ppf),
//! computed outside this crate.

mod common;

use saferstats::pipeline;
use saferstats::render::table;
use saferstats::stats::{Change, Comparison};

fn default_comparison() -> Comparison {
    let cfg = common::default_config();
    pipeline::comparison(&cfg).unwrap().1
}

fn row<'a>(cmp: &'a Comparison, category: &str) -> &'a Change {
    if category == "Total" {
        return &cmp.total;
    }
    cmp.rows.iter().find(|r| r.category == category).unwrap()
}

#[test]
fn reproduces_the_published_table() {
    let cmp = default_comparison();
    assert_eq!(cmp.rows.len(), 24);
    // category, from, to, change, % (1 dp), p (4 sf), small-numbers note
    let expected = [
        (
            "Violence without injury",
            350,
            410,
            60,
            "17.1",
            "0.03227",
            false,
        ),
        ("Rape", 10, 27, 17, "170.0", "0.007632", true),
        (
            "Robbery of personal property",
            26,
            66,
            40,
            "153.8",
            "3.670e-05",
            false,
        ),
        ("Bicycle theft", 373, 371, -2, "-0.5", "0.9708", false),
        (
            "Miscellaneous crimes against society",
            177,
            126,
            -51,
            "-28.8",
            "0.003999",
            false,
        ),
        ("Homicide", 1, 2, 1, "100.0", "1", true),
        ("Total", 5435, 5888, 453, "8.3", "2.154e-05", false),
    ];
    for (category, from, to, change, pct, p, small) in expected {
        let r = row(&cmp, category);
        let d = table::display_row(r, &cmp);
        assert_eq!(
            (r.from_count, r.to_count, r.change),
            (from, to, change),
            "{category}"
        );
        assert_eq!(
            saferstats::render::format::pct(r.pct_change),
            pct,
            "{category}"
        );
        assert_eq!(d.p_value, p, "{category}");
        assert_eq!(r.small_numbers, small, "{category}");
        assert_eq!(
            d.note.starts_with("small numbers"),
            small,
            "{category}: {}",
            d.note
        );
    }
}

#[test]
fn ratio_intervals_match_scipy() {
    let cmp = default_comparison();
    // (category, low, high): beta.ppf(0.025, b, n-b+1) and beta.ppf(0.975, b+1, n-b) as ratios.
    let expected = [
        ("Violence without injury", 1.013_223_04, 1.354_913_32),
        ("Rape", 1.266_578_49, 6.251_495_72),
        ("Homicide", 0.104_117_54, 117.994_373_9),
        ("Total", 1.043_957_64, 1.124_241_38),
    ];
    for (category, low, high) in expected {
        let r = row(&cmp, category);
        assert!(
            (r.ci_low.unwrap() - low).abs() / low < 1e-6,
            "{category} {:?}",
            r.ci_low
        );
        assert!(
            (r.ci_high.unwrap() - high).abs() / high < 1e-6,
            "{category} {:?}",
            r.ci_high
        );
        // The p-value is at or below 0.05 exactly when the interval excludes 1 (significance
        // itself follows the q-value, adjusted for the other categories).
        assert_eq!(
            r.p_value.unwrap() <= 0.05,
            low > 1.0 || high < 1.0,
            "{category}"
        );
    }
}

#[test]
fn total_is_the_sum_of_its_parts() {
    let cmp = default_comparison();
    assert_eq!(
        cmp.rows.iter().map(|r| r.from_count).sum::<i64>(),
        cmp.total.from_count
    );
    assert_eq!(
        cmp.rows.iter().map(|r| r.to_count).sum::<i64>(),
        cmp.total.to_count
    );
}

#[test]
fn every_default_label_resolves_to_a_home_office_subgroup() {
    let taxonomy = saferstats::harmonise::taxonomy::Taxonomy::load(
        &common::repo().join("data/taxonomy.toml"),
        "taxonomy",
    )
    .unwrap();
    let cmp = default_comparison();
    let unmatched: Vec<&str> = cmp
        .rows
        .iter()
        .map(|r| r.category.as_str())
        .filter(|c| taxonomy.subgroup(c).is_err())
        .collect();
    assert!(unmatched.is_empty(), "{unmatched:?}");
    assert_eq!(
        taxonomy
            .subgroup("Burglary – Business/Community")
            .unwrap()
            .name,
        "Non-residential burglary"
    );
}

#[test]
fn every_category_keeps_its_printed_label() {
    let cmp = default_comparison();
    let labels: Vec<&str> = cmp.rows.iter().map(|r| r.category.as_str()).collect();
    assert!(labels.contains(&"Burglary – Residential"));
    assert!(labels.contains(&"Burglary – Business/Community"));
    assert_eq!(labels[0], "Violence with injury");
    assert_eq!(labels[23], "Death or serious injury unlawful driving");
}

/// Loads `rows` (tidy CSV lines after the header) with the shipped taxonomy.
fn tidy_dataset(rows: &str) -> saferstats::model::Dataset {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, format!("period,area,category,value\n{rows}")).unwrap();
    let source =
        saferstats::config::Source::new(saferstats::config::SourceKind::Tidy, path, "t.csv");
    let taxonomy = saferstats::harmonise::taxonomy::Taxonomy::shipped();
    saferstats::ingest::load_all(&[source], &taxonomy).unwrap()
}

/// Loads `rows` (tidy CSV lines after the header) for one area and compares `from` with `to`.
fn tidy_comparison(rows: &str, from: &str, to: &str) -> Comparison {
    let data = tidy_dataset(rows);
    let settings = saferstats::stats::CompareSettings::default();
    let (from, to) = (from.parse().unwrap(), to.parse().unwrap());
    saferstats::stats::compare(&data, "Kent", from, to, &settings, false).unwrap()
}

#[test]
fn a_break_inside_the_span_compares_the_changed_pair_as_a_whole() {
    // The ONS figures for Kent: burglary 7,000 + 3,904 = 10,904 in 2016/17 (domestic and
    // non-domestic), 8,400 + 3,608 = 12,008 in 2017/18 (residential and non-residential).
    let cmp = tidy_comparison(
        "2016/17,Kent,Domestic burglary,7000\n2016/17,Kent,Non-domestic burglary,3904\n\
         2017/18,Kent,Domestic burglary,8400\n2017/18,Kent,Non-domestic burglary,3608\n\
         2016/17,Kent,Rape,1900\n2017/18,Kent,Rape,2100\n",
        "2016/17",
        "2017/18",
    );
    let part = row(&cmp, "Domestic burglary");
    assert_eq!(
        (part.from_count, part.to_count, part.change),
        (7000, 8400, 1400)
    );
    assert_eq!(
        (part.pct_change, part.p_value, part.significant),
        (None, None, false)
    );
    let note = table::note(part, &cmp);
    assert!(
        note.starts_with("not comparable: definition changed from 2017-04"),
        "{note}"
    );
    assert!(note.ends_with("; compared as Burglary"), "{note}");
    let whole = &cmp.together[0];
    assert_eq!(whole.category, "Burglary");
    assert_eq!((whole.from_count, whole.to_count), (10_904, 12_008));
    // The whole is tested as any category: 1,104 more, +10.1%, beyond chance.
    assert!(whole.significant && (whole.pct_change.unwrap() - 10.124_724).abs() < 1e-5);
    // Rape is untouched; the total sums the parts once (the whole is never added in).
    assert!(row(&cmp, "Rape").p_value.is_some());
    assert_eq!((cmp.total.from_count, cmp.total.to_count), (12_804, 14_108));
    let csv = table::comparison_csv(&cmp);
    assert!(
        csv.contains("\nBurglary,2016/17,2017/18,10904,12008,1104,10.1,"),
        "{csv}"
    );
}

#[test]
fn a_span_that_crosses_no_break_is_untouched_and_one_that_crosses_another_is_not() {
    // 2017/18 -> 2018/19 is after the burglary change but crosses April 2018, when stalking and
    // harassment's counting rules changed.
    let cmp = tidy_comparison(
        "2017/18,Kent,Residential burglary,8400\n2018/19,Kent,Residential burglary,8000\n\
         2017/18,Kent,Stalking and harassment,9000\n2018/19,Kent,Stalking and harassment,14000\n",
        "2017/18",
        "2018/19",
    );
    let burglary = row(&cmp, "Residential burglary");
    assert!(burglary.p_value.is_some() && burglary.across.is_none());
    assert!((burglary.pct_change.unwrap() + 4.761_905).abs() < 1e-5);
    let stalking = row(&cmp, "Stalking and harassment");
    assert_eq!((stalking.p_value, stalking.pct_change), (None, None));
    // Nothing is continuous in its place: no whole is compared.
    assert!(cmp.together.is_empty());
    let note = table::note(stalking, &cmp);
    assert_eq!(
        note,
        "not comparable: definition changed from 2018-04 (the Home Office counting rules for stalking and harassment changed)"
    );
}

#[test]
fn periods_of_different_lengths_or_sharing_months_are_not_compared() {
    let rows = "2016/17,Kent,Rape,1900\n2016/17 Q1,Kent,Rape,500\n2017/18,Kent,Rape,2100\n";
    let data = tidy_dataset(rows);
    let settings = saferstats::stats::CompareSettings::default();
    let compare = |from: &str, to: &str| {
        let (from, to) = (from.parse().unwrap(), to.parse().unwrap());
        saferstats::stats::compare(&data, "Kent", from, to, &settings, false)
            .map_err(|e| e.to_string())
    };
    let shorter = compare("2016/17", "2016/17 Q1").unwrap_err();
    assert!(shorter.contains("12 months against 3"), "{shorter}");
    let overlapping = compare("2016/17 Q1", "2016/17").unwrap_err();
    assert!(overlapping.contains("3 months against 12"), "{overlapping}");
    // One length, but April to June 2017 on both sides.
    let shared = compare("12 months ending 2017-06", "2017/18").unwrap_err();
    assert!(shared.contains("they share months"), "{shared}");
    assert!(compare("2016/17", "2017/18").is_ok());
}

#[test]
fn a_p_value_too_small_for_a_float_is_never_printed_as_zero() {
    // 0 -> 5,000: p = 2 * 0.5^5000, far below the smallest float (about 1e-308).
    let cli = common::Cli::new();
    let data = cli.dir.path().join("d.csv");
    std::fs::write(
        &data,
        "period,area,category,value\n2016/17,A,Shoplifting,0\n2017/18,A,Shoplifting,5000\n",
    )
    .unwrap();
    let (out, _) = cli
        .source_path("tidy", &data)
        .args(YEAR_ON_YEAR_CSV)
        .expect(0);
    assert!(
        out.contains("\nShoplifting,2016/17,2017/18,0,5000,5000,n/a,<1e-300,"),
        "{out}"
    );
}

/// Two financial years of monthly counts for area A: Shoplifting alternates 10 and 30 a month in
/// 2016/17 (240) and runs at 25 a month in 2017/18 (300); Bicycle theft is 20 a month, then 30.
fn two_years_monthly(dir: &std::path::Path) -> std::path::PathBuf {
    let mut csv = "period,area,category,value\n".to_string();
    let first = saferstats::harmonise::Month::new(2016, 4).unwrap();
    for i in 0..24 {
        let month = first.plus(i);
        let shoplifting = if i < 12 {
            [10, 30][(i % 2) as usize]
        } else {
            25
        };
        let bicycles = if i < 12 { 20 } else { 30 };
        csv +=
            &format!("{month},A,Shoplifting,{shoplifting}\n{month},A,Bicycle theft,{bicycles}\n");
    }
    let path = dir.join("monthly.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

#[test]
fn monthly_data_gives_a_dispersion_aware_test_and_q_values_by_hand() {
    let cli = common::Cli::new();
    let data = two_years_monthly(cli.dir.path());
    let (out, _) = cli
        .source_path("tidy", &data)
        .args(YEAR_ON_YEAR_CSV)
        .expect(0);
    // Shoplifting, by hand (Python with mpmath): the 2 x 12 table's fitted values are
    // 240 x column / 540 and 300 x column / 540 (columns 35 and 55, six of each); Pearson
    // X^2 = 6 x 3.5714 + 6 x 2.2727 = 35.065 on 11 df, phi = 3.1877. t = 60 / sqrt(3.1877 x 540)
    // = 1.4462; two-sided p from Student's t(11) = 0.17602.
    let shoplifting = out.lines().find(|l| l.starts_with("Shoplifting,")).unwrap();
    assert!(
        shoplifting.starts_with("Shoplifting,2016/17,2017/18,240,300,60,25.0,0.176,"),
        "{shoplifting}"
    );
    assert!(
        shoplifting.ends_with(",false,,0.176,3.188,quasi-poisson"),
        "{shoplifting}"
    );
    // Bicycle theft: no variation within either year (phi 0), so the exact test stands:
    // p = 2 P(X <= 240), X ~ Binomial(600, 1/2) = 1.0957e-06 (exact fractions). Two categories
    // tested: Benjamini-Hochberg q = 2 x 1.0957e-06 = 2.191e-06.
    let bicycles = out
        .lines()
        .find(|l| l.starts_with("Bicycle theft,"))
        .unwrap();
    assert!(
        bicycles.starts_with("Bicycle theft,2016/17,2017/18,240,360,120,50.0,1.096e-06,"),
        "{bicycles}"
    );
    assert!(
        bicycles.ends_with(",true,,2.191e-06,0,exact-poisson"),
        "{bicycles}"
    );
}

#[test]
fn all_areas_adjusts_areas_times_categories_as_one_family() {
    let (out, _) = common::Cli::new()
        .source("tidy", "ok/tidy-two-areas.csv")
        .args([
            "compare",
            "--all-areas",
            "--from",
            "2016/17",
            "--to",
            "2017/18",
        ])
        .args(["--format", "csv"])
        .expect(0);
    // Three category tests across the two areas: the City's Rape (p 0.007632) is smallest,
    // q = 0.007632 x 3 / 1 = 0.0229 (by hand; 0.01526 in the City's comparison alone). Each
    // total is a family of one: q = p.
    assert!(out.contains("\nCity of London,Rape,2016/17,2017/18,10,27,17,170.0,0.007632,1.267,6.251,true,small numbers: 10 in 2016/17,0.0229,,exact-poisson\n"), "{out}");
    assert!(out.contains("\nWestminster,Total,2016/17,2017/18,99,101,2,2.0,0.9437,0.7655,1.36,false,,0.9437,,exact-poisson\n"), "{out}");
}

/// `--area A compare` of 2016/17 with 2017/18 as CSV.
const YEAR_ON_YEAR_CSV: [&str; 9] = [
    "--area", "A", "compare", "--from", "2016/17", "--to", "2017/18", "--format", "csv",
];

#[test]
fn a_year_to_date_compares_the_same_months_of_two_years() {
    let dir = tempfile::tempdir().unwrap();
    let data = two_years_monthly(dir.path());
    let (out, _) = common::Cli::new()
        .source_path("tidy", &data)
        .args(["--area", "A", "compare", "--from", "2016/17 to 2016-09"])
        .args(["--to", "2017/18 to 2017-09", "--format", "csv"])
        .expect(0);
    // April to September: Shoplifting 10, 30, 10, 30, 10, 30 = 120 against 6 x 25 = 150;
    // Bicycle theft 6 x 20 = 120 against 6 x 30 = 180. The labels say year to date.
    assert!(out.contains("\nShoplifting,2016/17 to 2016-09 (year to date),2017/18 to 2017-09 (year to date),120,150,30,25.0,"), "{out}");
    assert!(out.contains("\nBicycle theft,2016/17 to 2016-09 (year to date),2017/18 to 2017-09 (year to date),120,180,60,50.0,"), "{out}");
    // A year to date against a whole year is no comparison; a month outside the year is refused.
    let refused = |from: &str, to: &str| {
        common::Cli::new()
            .source_path("tidy", &data)
            .args(["--area", "A", "compare", "--from", from, "--to", to])
            .expect(2)
            .1
    };
    assert!(refused("2016/17 to 2016-09", "2017/18").contains("6 months against 12"));
    assert!(
        refused("2016/17 to 2017-09", "2017/18")
            .contains("a year to date runs from April of the financial year to a month inside it")
    );
}
