//! Home Office recorded crime tables (CSV): both column namings, quarters rolled up to financial
//! years, negative adjustments kept, partial years refused. Expected figures are in
//! tests/data/README.md, summed by hand.

mod common;

use common::Cli;

#[test]
fn csp_table_rolls_quarters_up_to_years() {
    let (out, _) = Cli::new()
        .source("home-office", "ok/home-office-csp.csv")
        .args([
            "--area",
            "London, City of",
            "compare",
            "--from",
            "2016/17",
            "--to",
            "2017/18",
            "--format",
            "csv",
        ])
        .expect(0);
    assert!(
        out.contains("\nRape,2016/17,2017/18,10,27,17,170.0,0.007632,"),
        "{out}"
    );
    assert!(
        out.contains("\nResidential burglary,2016/17,2017/18,14,14,0,n/a,,,,false,\"not comparable: definition changed from 2017-04"),
        "{out}"
    );
    assert!(out.contains("\nTotal,2016/17,2017/18,24,41,17,"), "{out}");
    let (out, _) = Cli::new()
        .source("home-office", "ok/home-office-csp.csv")
        .args(["--area", "westminster"])
        .counts_csv("2017/18")
        .expect(0);
    assert_eq!(
        out,
        "period,area,category,count\n2017/18,Westminster,Rape,80\n"
    );
}

#[test]
fn negative_adjustments_are_kept_and_reported() {
    let (out, _) = Cli::new()
        .source("home-office", "ok/home-office-csp.csv")
        .args(["check"])
        .expect(0);
    assert!(out.contains("home-office-csp.csv: 1 rows are negative adjustments; they are kept and summed as published"), "{out}");
    let (out, _) = Cli::new()
        .source("home-office", "ok/home-office-csp.csv")
        .args(["--area", "London, City of"])
        .counts_csv("2016/17 Q4")
        .expect(0);
    assert!(
        out.contains("2016/17 Q4,\"London, City of\",Residential burglary,3\n"),
        "{out}"
    );
}

#[test]
fn newer_column_names_and_partial_years() {
    let (out, _) = Cli::new()
        .source("home-office", "ok/home-office-pfa-new-naming.csv")
        .args(["counts", "--period", "2016/17", "--format", "csv"])
        .expect(0);
    assert_eq!(
        out,
        "period,area,category,count\n2016/17,City of London,Shoplifting,7300\n"
    );
    let (_, err) = Cli::new()
        .source("home-office", "ok/home-office-pfa-new-naming.csv")
        .args(["compare", "--from", "2016/17", "--to", "2017/18"])
        .expect(2);
    assert!(err.contains("2017/18 is a partial year in the data: City of London has 9 of its 12 months (missing 2018-01, 2018-02, 2018-03)"), "{err}");
}

#[test]
fn a_table_without_the_needed_columns_is_refused() {
    let (_, err) = Cli::new()
        .source("home-office", "ok/tidy-two-areas.csv")
        .args(["counts", "--period", "2016/17"])
        .expect(2);
    assert!(
        err.contains("tidy-two-areas.csv:1: no header row with `Financial Year` and `Financial Quarter` in the first 20 rows"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ho.csv");
    std::fs::write(&file, "Financial Year,Financial Quarter,Force Name,Offence Group,Number of Offences\n2017/18,1,City of London,Robbery,3\n").unwrap();
    let (_, err) = Cli::new()
        .source_path("home-office", &file)
        .args(["check"])
        .expect(2);
    assert!(
        err.contains("ho.csv:1: no `Offence Subgroup` column; a Home Office table needs"),
        "{err}"
    );
}

#[test]
fn a_group_listed_in_place_of_its_subgroups_is_counted_as_the_group() {
    let header = "Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences\n";
    let cli = Cli::new();
    let alone = cli.dir.path().join("alone.csv");
    let rows = "2016/17,1,Kent,Maidstone,Criminal damage,Criminal damage and arson,Criminal damage and arson,58A,100\n\
                2016/17,2,Kent,Maidstone,Criminal damage,Criminal damage and arson,Criminal damage and arson,58A,110\n\
                2016/17,1,Kent,Maidstone,Rape,Sexual offences,Rape,19C,7\n";
    std::fs::write(&alone, format!("{header}{rows}")).unwrap();
    let run = |path: &std::path::Path, args: &[&str]| {
        Cli::new()
            .source_path("home-office", path)
            .args(args.iter().copied())
            .run()
    };
    let (code, out, _) = run(
        &alone,
        &["counts", "--period", "2016/17 Q1", "--format", "csv"],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "period,area,category,count\n\
         2016/17 Q1,Maidstone,Criminal damage and arson,100\n\
         2016/17 Q1,Maidstone,Rape,7\n"
    );
    let (_, out, _) = run(&alone, &["check"]);
    assert!(out.contains("alone.csv: `Criminal damage and arson` is an offence group where a subgroup is expected; none of its subgroups is listed, so it is counted as the group [group-as-subgroup]"), "{out}");
    // Beside one of its own subgroups in the same quarter it would count twice: refused, located.
    let both = cli.dir.path().join("both.csv");
    let arson = "2016/17,1,Kent,Maidstone,Arson,Criminal damage and arson,Arson,56A,4\n";
    std::fs::write(&both, format!("{header}{rows}{arson}")).unwrap();
    let (code, _, err) = run(&both, &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("both.csv:2: column `Offence Subgroup`: `Criminal damage and arson` is an offence group listed beside its own subgroups for Maidstone in 2016/17 Q1"), "{err}");
}
