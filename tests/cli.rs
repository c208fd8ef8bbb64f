//! The binary end to end: output formats, flags without a config, exit codes, and every kind of
//! bad input refused with a located message and no partial output.

mod common;

use common::{Cli, config_arg, fixture};

#[test]
fn compare_csv_has_the_documented_columns_and_rows() {
    let (out, _) = Cli::new()
        .args(config_arg())
        .args(["compare", "--format", "csv"])
        .expect(0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "category,from_period,to_period,from_count,to_count,change,pct_change,p_value,ci_low,ci_high,significant,note,q_value,dispersion,test"
    );
    // 24 categories, the total, then the two burglary subgroups compared together: the span
    // crosses April 2017, when their definitions changed.
    assert_eq!(lines.len(), 1 + 24 + 1 + 1);
    // q-values: Benjamini-Hochberg across the 23 tested categories (22 and Burglary together);
    // a summary table has no months, so the exact test stands and no dispersion is estimated.
    // Rape: rank 4, q = min(0.007632 x 23/4, 0.008522 x 23/5) = 0.0392 (by hand).
    assert!(lines.contains(&"Rape,2016/17,2017/18,10,27,17,170.0,0.007632,1.267,6.251,true,small numbers: 10 in 2016/17,0.0392,,exact-poisson"));
    // p 0.03227 alone; rank 6 of 23: q = 0.03227 x 23/6 = 0.1237: not significant.
    assert!(lines.contains(
        &"Violence without injury,2016/17,2017/18,350,410,60,17.1,0.03227,1.013,1.355,false,,0.1237,,exact-poisson"
    ));
    assert!(lines.contains(
        &"Bicycle theft,2016/17,2017/18,373,371,-2,-0.5,0.9708,0.8592,1.151,false,,1,,exact-poisson"
    ));
    // A total is a family of one: q = p.
    assert_eq!(
        lines[25],
        "Total,2016/17,2017/18,5435,5888,453,8.3,2.154e-05,1.044,1.124,true,,2.154e-05,,exact-poisson"
    );
    // 14 + 237 = 251 -> 14 + 272 = 286; each part shown, untested, saying why.
    assert!(
        lines[26].starts_with("Burglary,2016/17,2017/18,251,286,35,13.9,0.1422,"),
        "{}",
        lines[26]
    );
    assert!(lines.contains(&"Burglary – Business/Community,2016/17,2017/18,237,272,35,n/a,,,,false,\"not comparable: definition changed from 2017-04 (domestic burglary became residential burglary, which took in sheds and garages from non-domestic burglary); compared as Burglary\",,,"));
}

#[test]
fn compare_json_carries_raw_numbers() {
    let (out, _) = Cli::new()
        .args(config_arg())
        .args(["compare", "--format", "json"])
        .expect(0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["from"], "2016/17");
    assert_eq!(v["total"]["to_count"], 5888);
    let rape = &v["rows"][2];
    assert_eq!(rape["category"], "Rape");
    assert!((rape["p_value"].as_f64().unwrap() - 0.007_632_078_6).abs() < 1e-9);
    assert_eq!(rape["small_numbers"], true);
}

#[test]
fn compare_table_is_aligned_for_a_terminal() {
    let (out, _) = Cli::new().default_config().args(["compare"]).expect(0);
    let total = out.lines().find(|l| l.starts_with("Total ")).unwrap();
    assert!(
        total.contains("5,435") && total.contains("+453") && total.contains("+8.3"),
        "{total}"
    );
    // Every figure column is right-aligned under its heading: on every row the column's last
    // character is where the heading's is, with a space (or the line's end) after it. Counted in
    // characters, since categories hold en dashes.
    let lines: Vec<Vec<char>> = out.lines().map(|l| l.chars().collect()).collect();
    let header: String = lines[0].iter().collect();
    for heading in ["2016/17", "2017/18", "change", "%", "p"] {
        let at = header.find(&format!(" {heading} ")).unwrap() + 1;
        let end = header[..at].chars().count() + heading.chars().count();
        for row in &lines[1..] {
            let text: String = row.iter().collect();
            // A blank cell (no test) is spaces under the whole heading; any other ends with it.
            let under: String = row[end - heading.chars().count()..end].iter().collect();
            if !under.trim().is_empty() {
                assert_ne!(row[end - 1], ' ', "`{heading}` ends at {end} in: {text}");
            }
            assert!(
                row.get(end).is_none_or(|c| *c == ' '),
                "`{heading}`: {text}"
            );
        }
    }
    assert_eq!(
        lines.len(),
        27,
        "a header, 24 categories, the total and burglary as a whole"
    );
}

#[test]
fn counts_lists_the_figures_behind_a_period() {
    let (out, _) = Cli::new()
        .args(config_arg())
        .args(["counts", "--period", "2017/18", "--format", "csv"])
        .expect(0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "period,area,category,count");
    assert_eq!(lines.len(), 25);
    assert!(lines.contains(&"2017/18,City of London,Rape,27"));
    assert!(lines.contains(&"2017/18,City of London,Burglary – Residential,14"));
}

#[test]
fn works_without_a_config_file() {
    let cli = Cli::new()
        .source("summary", "ok/bom-crlf-thousands.csv")
        .args([
            "compare", "--from", "2016/17", "--to", "2017/18", "--format", "csv",
        ]);
    let (out, _) = cli.expect(0);
    assert!(
        out.contains("All other theft offences,2016/17,2017/18,1506,1515,9,0.6,"),
        "{out}"
    );
    assert!(
        out.contains("Total,2016/17,2017/18,1516,1542,26,1.7,"),
        "{out}"
    );
}

#[test]
fn area_is_chosen_where_a_source_holds_several() {
    let base = Cli::new().source("tidy", "ok/tidy-two-areas.csv");
    let (_, err) = base
        .args(["compare", "--from", "2016/17", "--to", "2017/18"])
        .expect(2);
    assert!(
        err.contains("several areas (City of London, Westminster)"),
        "{err}"
    );
    let (out, _) = Cli::new()
        .source("tidy", "ok/tidy-two-areas.csv")
        .args([
            "--area",
            "city of london",
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
        out.contains("Total,2016/17,2017/18,11,29,18,163.6,"),
        "{out}"
    );
    let (_, err) = Cli::new()
        .source("tidy", "ok/tidy-two-areas.csv")
        .args(["--area", "Camden", "counts", "--period", "2016/17"])
        .expect(2);
    assert!(
        err.contains(
            "area `Camden` is not in the data; the data holds City of London, Westminster"
        ),
        "{err}"
    );
}

#[test]
fn suppressed_figures_are_listed_but_never_compared_as_zero() {
    let (out, _) = Cli::new()
        .source("summary", "ok/suppressed.tsv")
        .args(["counts", "--period", "2016/17", "--format", "csv"])
        .expect(0);
    assert!(out.contains(",Homicide,[x]"), "{out}");
    let (_, err) = Cli::new()
        .source("summary", "ok/suppressed.tsv")
        .args(["compare", "--from", "2016/17", "--to", "2017/18"])
        .expect(2);
    assert!(
        err.contains("suppressed.tsv:3: category `Homicide` is suppressed in 2016/17"),
        "{err}"
    );
}

#[test]
fn bad_inputs_name_the_file_line_and_fix() {
    let cases = [
        (
            "summary",
            "bad/period-typo-in-header.csv",
            "period-typo-in-header.csv:1: column 2: `2016/16` is not a financial year: the second year must be the one after 2016 (as in 2016/17)",
        ),
        (
            "summary",
            "bad/non-numeric-count.csv",
            "non-numeric-count.csv:3: column `2016/17`: `one` is not a number",
        ),
        (
            "summary",
            "bad/duplicate-category.csv",
            "duplicate-category.csv:4: category `Burglary - residential` appears again (first at line 2)",
        ),
        (
            "summary",
            "bad/too-few-fields.csv",
            "too-few-fields.csv:3: malformed CSV: this row has 2 fields but the header has 3",
        ),
        (
            "summary",
            "bad/too-many-fields.csv",
            "too-many-fields.csv:3: malformed CSV: this row has 4 fields but the header has 3",
        ),
        (
            "summary",
            "bad/negative-count.csv",
            "negative-count.csv:2: column `2016/17`: the count -10 is negative",
        ),
        ("summary", "bad/empty.csv", "empty.csv: the file is empty"),
        (
            "summary",
            "bad/header-only.csv",
            "header-only.csv:1: the file has a header but no data rows",
        ),
        (
            "tidy",
            "bad/tidy-wrong-header.csv",
            "tidy-wrong-header.csv:1: missing column(s) period, area, category, value",
        ),
        (
            "tidy",
            "bad/tidy-missing-figure.csv",
            "tidy-missing-figure.csv:4: category `Homicide` has a figure for 2016/17 but none for 2017/18",
        ),
        (
            "summary",
            "bad/no-such-file.csv",
            "no-such-file.csv: cannot read",
        ),
    ];
    for (kind, file, expected) in cases {
        let (_, err) = Cli::new()
            .source(kind, file)
            .args(["compare", "--from", "2016/17", "--to", "2017/18"])
            .expect(2);
        assert!(err.contains(expected), "{file}:\n{err}");
        assert!(err.starts_with("error: "), "{file}: {err}");
    }
}

#[test]
fn bad_periods_on_the_command_line() {
    let (_, err) = Cli::new()
        .args(config_arg())
        .args(["compare", "--from", "2016/16", "--to", "2017/18"])
        .expect(2);
    assert!(err.contains("`2016/16` is not a financial year"), "{err}");
    let (_, err) = Cli::new()
        .args(config_arg())
        .args(["compare", "--from", "2015/16", "--to", "2017/18"])
        .expect(2);
    assert!(
        err.contains("--from: period 2015/16 is not in the data; the data holds 2016/17, 2017/18"),
        "{err}"
    );
    let (_, err) = Cli::new()
        .args(config_arg())
        .args(["counts", "--period", "2018/19"])
        .expect(2);
    assert!(
        err.contains("--period: period 2018/19 is not in the data"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (_, err) = Cli::new()
        .args(["compare", "--from", "2016/17", "--to", "2017/18"])
        .expect(2);
    assert!(err.contains("no sources"), "{err}");
    let (_, err) = Cli::new()
        .args(["--source", "excel=x.xlsx", "run"])
        .expect(2);
    assert!(err.contains("unknown source kind `excel`"), "{err}");
    let (_, err) = Cli::new()
        .args(["--config", "missing.toml", "run"])
        .expect(2);
    assert!(err.contains("missing.toml: cannot read"), "{err}");
}

#[test]
fn fail_on_turns_findings_into_exit_code_1() {
    let cli = |policy: &str| {
        let c = Cli::new();
        let out = c.dir.path().join("out").display().to_string();
        c.args(config_arg())
            .args(["--fail-on", policy, "run", "--out", &out])
    };
    // The default data has a small-numbers warning (Rape, Homicide, ...).
    let failing = cli("warning");
    let (_, err) = failing.expect(1);
    assert!(err.contains("warning: 5 of 24 categories"), "{err}");
    assert!(
        failing
            .dir
            .path()
            .join("out/reports/manifest.json")
            .is_file()
    );
    cli("error").expect(0);
    let (_, err) = cli("warning").args(["--quiet"]).expect(1);
    assert_eq!(err, "");
}

#[test]
fn a_failed_run_leaves_earlier_outputs_intact() {
    let cli = Cli::new();
    let out = cli.dir.path().join("out");
    let out_arg = out.display().to_string();
    Cli::new()
        .args(config_arg())
        .args(["run", "--out", &out_arg])
        .expect(0);
    let manifest = std::fs::read(out.join("reports/manifest.json")).unwrap();
    let csv = std::fs::read(out.join("reports/tables/yoy-2016-17-to-2017-18.csv")).unwrap();

    // Bad input: refused before anything is written.
    let bad = fixture("bad/non-numeric-count.csv").display().to_string();
    Cli::new()
        .args(config_arg())
        .args([
            "--source",
            &format!("summary={bad}"),
            "run",
            "--out",
            &out_arg,
        ])
        .expect(2);
    // A write that fails halfway: charts/ replaced by a file, so the chart cannot be written.
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    std::fs::write(out.join("charts"), "in the way").unwrap();
    let (_, err) = Cli::new()
        .args(config_arg())
        .args(["run", "--out", &out_arg])
        .expect(2);
    assert!(err.contains("cannot write"), "{err}");

    assert_eq!(
        std::fs::read(out.join("reports/manifest.json")).unwrap(),
        manifest
    );
    assert_eq!(
        std::fs::read(out.join("reports/tables/yoy-2016-17-to-2017-18.csv")).unwrap(),
        csv
    );
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".saferstats-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let (out, _) = Cli::new().args(["--help"]).expect(0);
    assert!(
        out.contains("saferstats compare --from 2016/17 --to 2017/18"),
        "{out}"
    );
    assert!(out.contains("Exit codes:"), "{out}");
    assert!(out.contains("2  bad input"), "{out}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn without_periods_a_table_of_two_compares_them_and_says_so() {
    let (out, err) = Cli::new()
        .source("summary", "ok/bom-crlf-thousands.csv")
        .args(["compare", "--format", "csv"])
        .expect(0);
    assert!(
        err.contains("note: comparing 2016/17 with 2017/18, the only two periods the data holds; give --from and --to to choose"),
        "{err}"
    );
    assert!(
        out.contains("\nAll other theft offences,2016/17,2017/18,1506,1515,9,0.6,"),
        "{out}"
    );
}

#[test]
fn without_periods_monthly_data_compares_its_latest_complete_financial_year() {
    // 2015-04 to 2017-06: 2015/16 and 2016/17 are whole, 2017/18 has 3 of its 12 months.
    let cli = Cli::new();
    let path = cli.dir.path().join("monthly.csv");
    let mut text = String::from("period,area,category,value\n");
    for i in 0..27 {
        let (y, m) = (2015 + (3 + i) / 12, (3 + i) % 12 + 1);
        let n = if y * 100 + m >= 201604 { 2 } else { 1 };
        text += &format!("{y}-{m:02},Area,Shoplifting,{n}\n");
    }
    std::fs::write(&path, text).unwrap();
    let (out, err) = cli
        .source_path("tidy", &path)
        .args(["compare", "--format", "csv"])
        .expect(0);
    assert!(
        err.contains("note: comparing 2015/16 with 2016/17, the latest complete financial year in the data and the one before"),
        "{err}"
    );
    // 12 months of 1, then 12 of 2.
    assert!(
        out.contains("\nShoplifting,2015/16,2016/17,12,24,12,100.0,"),
        "{out}"
    );
}

/// `tests/data/ok/tidy-missing-month.csv`: 2015-04 to 2017-03, anti-social behaviour 30 a month
/// but 0 in 2016-06 (no rows: missing from that release), shoplifting 5 a month throughout.
#[test]
fn a_month_flagged_as_missing_is_missing_not_zero() {
    let tidy = || Cli::new().source("tidy", "ok/tidy-missing-month.csv");
    let compare = [
        "compare", "--from", "2015/16", "--to", "2016/17", "--format", "csv",
    ];
    let (_, err) = tidy().args(compare).expect(2);
    assert!(
        err.contains("--to: 2016/17 is partial for Anti-social behaviour in Area: 2016-06 is most likely missing from the release"),
        "{err}"
    );
    let (out, _) = tidy().args(["--allow-partial"]).args(compare).expect(0);
    // 12 x 30 = 360 against 11 x 30 = 330, labelled; shoplifting 60 -> 60 untouched.
    assert!(
        out.contains("\nAnti-social behaviour,2015/16,2016/17,360,330,-30,-8.3,")
            && out.contains("partial: no figure for 2016-06 (missing from the release)"),
        "{out}"
    );
    assert!(
        out.contains("\nShoplifting,2015/16,2016/17,60,60,0,0.0,1,"),
        "{out}"
    );
    // The monthly table has no count for the month, and no rolling average over it.
    let out_dir = tempfile::tempdir().unwrap();
    let dir = out_dir.path().display().to_string();
    let run = [
        "--allow-partial",
        "run",
        "--from",
        "2015/16",
        "--to",
        "2016/17",
        "--out",
    ];
    tidy().args(run).args([dir]).expect(0);
    let monthly =
        std::fs::read_to_string(out_dir.path().join("reports/tables/monthly-area.csv")).unwrap();
    assert!(
        monthly.contains("\n2016-06,Area,Anti-social behaviour,,\n"),
        "{monthly}"
    );
    // The first whole 12 months ending after the gap end in 2017-06, past the data: none.
    assert!(
        monthly.contains("\n2016-05,Area,Anti-social behaviour,30,30.00\n"),
        "{monthly}"
    );
    assert!(
        monthly.contains("\n2017-03,Area,Anti-social behaviour,30,\n"),
        "{monthly}"
    );
    assert!(
        monthly.contains("\n2016-06,Area,Shoplifting,5,5.00\n"),
        "{monthly}"
    );
}

#[test]
fn a_header_naming_a_column_twice_is_refused() {
    let cli = Cli::new();
    let path = cli.dir.path().join("twice.csv");
    std::fs::write(
        &path,
        "period,area,category,value,Value\n2016/17,A,Rape,10,12\n",
    )
    .unwrap();
    let (_, err) = cli.source_path("tidy", &path).args(["check"]).expect(2);
    assert!(
        err.contains(
            "twice.csv:1: columns 4 and 5 are both `Value`; a header names each column once"
        ),
        "{err}"
    );
}

#[test]
fn a_total_row_cannot_sit_beside_the_computed_total() {
    let cli = Cli::new();
    let path = cli.dir.path().join("with-total.csv");
    std::fs::write(&path, "Category,2016/17,2017/18\nRape,10,27\nTotal,10,27\n").unwrap();
    let (_, err) = cli.source_path("summary", &path).args(["check"]).expect(2);
    assert!(err.contains("with-total.csv:3: category `Total` is a total of the other rows, which saferstats computes itself"), "{err}");
}

#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    use std::process::{Command, Stdio};
    // `compare` writes its table to stdout and its warnings to stderr; both readers are gone.
    let mut child = Command::new(env!("CARGO_BIN_EXE_saferstats"))
        .args(config_arg())
        .arg("compare")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    // Not a panic (exit 101): the run succeeded, and nobody was left to tell.
    assert_eq!(status.code(), Some(0));
}

#[test]
fn control_and_bidi_characters_in_labels_are_shown_not_obeyed() {
    let cli = Cli::new();
    let path = cli.dir.path().join("hostile.csv");
    std::fs::write(
        &path,
        "Category,2016/17,2017/18\nRape\u{0}\u{1b}[31m,10,27\nTheft \u{202e}tfeht,5,6\n",
    )
    .unwrap();
    let out = cli.dir.path().join("out");
    let out_arg = out.display().to_string();
    let cli = cli.source_path("summary", &path).args([
        "run", "--from", "2016/17", "--to", "2017/18", "--out", &out_arg,
    ]);
    cli.expect(0);
    let mut stack = vec![out.clone()];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let bad = text.chars().find(|&c| {
                (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                    || ('\u{202a}'..='\u{202e}').contains(&c)
            });
            assert_eq!(bad, None, "{}", p.display());
            seen += 1;
        }
    }
    assert!(seen >= 8, "{seen} text artefacts");
    let csv =
        std::fs::read_to_string(out.join("reports/tables/yoy-2016-17-to-2017-18.csv")).unwrap();
    assert!(csv.contains("Rape\\u{0}\\u{1B}[31m,"), "{csv}");
}

#[test]
fn a_label_too_long_for_any_output_names_its_file_and_line() {
    // Before: a panic formatting the terminal table, or an xlsx error naming no file.
    let cli = Cli::new();
    let path = cli.dir.path().join("long.csv");
    let long = "A".repeat(5000);
    std::fs::write(
        &path,
        format!("Category,2016/17,2017/18\nRape,10,27\n{long},5,6\n"),
    )
    .unwrap();
    let (_, err) = cli
        .source_path("summary", &path)
        .args(["compare", "--from", "2016/17", "--to", "2017/18"])
        .expect(2);
    assert!(
        err.contains("long.csv:3: a label of 5000 characters"),
        "{err}"
    );
}
