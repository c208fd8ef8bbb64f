//! `saferstats spc`: XmR charts of monthly series with NHSRplotthedots' rules (the rules and the
//! limits are reproduced from NHSRplotthedots' own tests in `src/stats/spc.rs`); here, the
//! command's table on a small fixture computed by hand.

mod common;

use common::Cli;

#[test]
fn spc_lists_each_month_with_its_limits_and_special_cause() {
    let dir = tempfile::tempdir().unwrap();
    let counts = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 20];
    let mut csv = "period,area,category,value\n".to_string();
    for (i, n) in counts.iter().enumerate() {
        csv += &format!("2016-{:02},A,Shoplifting,{n}\n", i + 1);
    }
    let data = dir.path().join("monthly.csv");
    std::fs::write(&data, csv).unwrap();
    let (out, _) = Cli::new()
        .source_path("tidy", &data)
        .args(["--area", "A", "spc", "--format", "csv"])
        .expect(0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "area,category,month,count,mean,lower,upper,special_cause,variation"
    );
    // By hand: mean 120 / 11 = 10.909; moving ranges 1,2,1,1,2,1,1,2,1,10 average 2.2, and the
    // 10 (at or above 3.267 x 2.2 = 7.19) is screened out: 12 / 9 = 1.3333; limits
    // 10.909 -+ 2.66 x 1.3333 = 7.362 and 14.456. November's 20 lies above: special cause, and
    // with no outcome framework no desired direction: "neither".
    assert_eq!(
        lines[1],
        "A,Shoplifting,2016-01,10,10.91,7.362,14.46,,common"
    );
    assert_eq!(
        lines[11],
        "A,Shoplifting,2016-11,20,10.91,7.362,14.46,above upper limit,neither"
    );
    // A baseline fixes the limits on its months: January to May (51 / 5 = 10.2).
    let (out, _) = Cli::new()
        .source_path("tidy", &data)
        .args([
            "--area",
            "A",
            "spc",
            "--baseline",
            "2016-01..2016-05",
            "--format",
            "csv",
        ])
        .expect(0);
    assert!(out.contains("\nA,Shoplifting,2016-11,20,10.2,"), "{out}");
    let (_, err) = Cli::new()
        .source_path("tidy", &data)
        .args(["--area", "A", "spc", "--baseline", "2016-05..2016-01"])
        .expect(2);
    assert!(
        err.contains("--baseline 2016-05..2016-01: give two months as FIRST..LAST"),
        "{err}"
    );
}

#[test]
fn spc_judges_by_the_frameworks_desired_direction() {
    let (out, _) = Cli::new()
        .default_config()
        .args(["--area", "City of London Police", "spc", "--format", "csv"])
        .expect(0);
    // The 2018-23 framework wants anti-social behaviour down: March 2017's 179 incidents, above
    // the upper limit, are concerning; the gap of May 2017 has no point.
    assert!(
        out.contains("\nCity of London Police,Anti-social behaviour,2017-03,179,"),
        "{out}"
    );
    let march = out
        .lines()
        .find(|l| l.contains("Anti-social behaviour,2017-03,"))
        .unwrap();
    assert!(march.ends_with(",above upper limit,concerning"), "{march}");
    assert!(
        out.contains("\nCity of London Police,Anti-social behaviour,2017-05,,,,,,\n"),
        "{out}"
    );
}

#[test]
fn the_report_shows_each_indicator_at_a_glance_with_icons_and_words() {
    let dir = common::default_run();
    let md = std::fs::read_to_string(dir.path().join("reports/evidence-base.md")).unwrap();
    // Anti-social behaviour: not assessable year on year (the City's table has no ASB), but its
    // monthly series runs above its mean from 2016-09: special cause, concerning (wanted down).
    assert!(md.contains("| Anti-Social Behaviour is tackled and responded to effectively | Anti-social behaviour | not assessable | special cause, concerning (high) since 2016-09 (City of London Police, to 2017-06) | no numeric target |"), "{md}");
    // A Home Office subgroup says which coarser monthly series measures it.
    assert!(md.contains("| People are safe from violent crime | Rape | worsening | common cause variation since 2017-01 (measured as Violence and sexual offences, City of London Police, to 2017-06) |"), "{md}");
    let html = std::fs::read_to_string(dir.path().join("reports/evidence-base.html")).unwrap();
    assert!(
        html.contains(
            "<svg class=\"icon\" role=\"img\" aria-label=\"special cause, concerning (high)\""
        ),
        "icon named for screen readers"
    );
    assert!(html.contains("<title>worsening</title>"));
}

/// Area A, yearly: Shoplifting exactly +10% a year over 2014/15 to 2017/18; Bicycle theft
/// 100, 100, 121 from 2015/16. Area B, monthly over 2015/16 to 2017/18: 10 a month, 20 each
/// December.
fn long_series(dir: &std::path::Path) -> std::path::PathBuf {
    let mut csv = "period,area,category,value\n".to_string();
    for (i, (shop, bikes)) in [(1000, 0), (1100, 100), (1210, 100), (1331, 121)]
        .iter()
        .enumerate()
    {
        let fy = format!("{}/{:02}", 2014 + i, (15 + i) % 100);
        csv += &format!("{fy},A,Shoplifting,{shop}\n");
        if i > 0 {
            csv += &format!("{fy},A,Bicycle theft,{bikes}\n");
        }
    }
    // Area B, monthly over three financial years: 10 a month, 20 each December.
    let april = saferstats::harmonise::Month::new(2015, 4).unwrap();
    for i in 0..36 {
        let m = april.plus(i);
        let n = if m.month() == 12 { 20 } else { 10 };
        csv += &format!("{m},B,Vehicle crime,{n}\n");
    }
    let data = dir.join("long.csv");
    std::fs::write(&data, csv).unwrap();
    data
}

#[test]
fn trend_gives_the_average_annual_change_and_the_seasonal_peak() {
    let dir = tempfile::tempdir().unwrap();
    let data = long_series(dir.path());
    let run = |area: &str| {
        Cli::new()
            .source_path("tidy", &data)
            .args(["--area", area, "trend", "--years", "4", "--format", "csv"])
            .expect(0)
            .0
    };
    let a = run("A");
    // Shoplifting: geometric, the fit is exact: +10.0% a year, dispersion 1 (floored).
    assert!(a.contains("\nA,Shoplifting,2014/15,2017/18,4,10.0,"), "{a}");
    // Bicycle theft is in the latest year but not the first of the four: no trend for a series
    // the span does not hold whole, and it says so.
    assert!(
        a.contains(
            "\nA,Bicycle theft,2014/15,2017/18,,,,,,,,not in every year of the span: no trend\n"
        ),
        "{a}"
    );
    let a3 = Cli::new()
        .source_path("tidy", &data)
        .args(["--area", "A", "trend", "--years", "3", "--format", "csv"])
        .expect(0)
        .0;
    // Bicycle theft over three years: r = (21 + sqrt(410841)) / 600 = 1.10328 (by hand): +10.3%.
    assert!(
        a3.contains("\nA,Bicycle theft,2015/16,2017/18,3,10.3,"),
        "{a3}"
    );
    let b = run("B");
    // Three complete years of months, December twice the rest: index 20 / (130 / 12) = 184.6.
    assert!(b.contains(",December,184.6,"), "{b}");
    assert!(
        b.contains("\nB,Vehicle crime,2015/16,2017/18,3,0.0,"),
        "{b}"
    );
}

#[test]
fn rolling_year_totals_mark_the_series_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = "period,area,category,value\n".to_string();
    let april = saferstats::harmonise::Month::new(2016, 4).unwrap();
    for i in 0..15 {
        csv += &format!("{},A,Residential burglary,{}\n", april.plus(i), 10 + i);
    }
    let data = dir.path().join("burglary.csv");
    std::fs::write(&data, csv).unwrap();
    let (out, _) = Cli::new()
        .source_path("tidy", &data)
        .args(["--area", "A", "trend", "--rolling", "--format", "csv"])
        .expect(0);
    // The first rolling year ends 2017-03: 10 + 11 + ... + 21 = 186 (by hand); 2017-04 adds 22 and
    // drops 10: 198, and is the month the taxonomy's burglary break took effect.
    assert!(
        out.contains("\nA,Residential burglary,2017-02,,\n"),
        "{out}"
    );
    assert!(
        out.contains("\nA,Residential burglary,2017-03,186,\n"),
        "{out}"
    );
    assert!(out.contains("\nA,Residential burglary,2017-04,198,\"from 2017-04: domestic burglary became residential burglary"), "{out}");
}

#[test]
fn the_report_carries_the_long_view_of_the_compared_area_and_each_monthly_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = long_series(dir.path());
    let out = dir.path().join("out");
    Cli::new()
        .source_path("tidy", &data)
        .args([
            "--area", "A", "run", "--from", "2016/17", "--to", "2017/18", "--out",
        ])
        .args([out.to_str().unwrap()])
        .expect(0);
    let md = std::fs::read_to_string(out.join("reports/evidence-base.md")).unwrap();
    // A's yearly series over the four years it holds (the report takes up to five); the exact
    // fit leaves no excess variation, so the interval is Poisson's: by hand, with mu_t =
    // 1000 x 1.1^t, var(b) = S0 / (S0 S2 - S1^2) (S_k = sum mu_t t^k), se 0.01318, t(2) 4.3027:
    // exp(ln 1.1 -+ 4.3027 x 0.01318) - 1 = +3.9% to +16.4%. Then B's months: three
    // complete years, so a seasonal peak (December, 184.6, as by hand above).
    assert!(
        md.contains("| Shoplifting | A | 2014/15 to 2017/18 | +10.0 (+3.9 to +16.4) |  |  |"),
        "{md}"
    );
    assert!(
        md.contains(
            "| Vehicle crime | B | 2015/16 to 2017/18 | 0.0 (-54.5 to +119.9) | December (184.6) |"
        ),
        "{md}"
    );
    assert!(md.contains("| Other categories (1) | A | 2014/15 to 2017/18 |  |  | 1 category: not in every year of the span: no trend |"), "{md}");
    let csv = std::fs::read_to_string(out.join("reports/tables/long-term.csv")).unwrap();
    assert!(
        csv.contains(
            "\nA,Bicycle theft,2014/15,2017/18,,,,,,,,not in every year of the span: no trend\n"
        ),
        "{csv}"
    );
}
