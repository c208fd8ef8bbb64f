//! The evidence base as a reader gets it: the xlsx appendix read back with calamine, hostile labels
//! shown as text in every format, the view-model dump, and insta snapshots of the default data's
//! view-model and Markdown tables.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Cli, fixture};
use saferstats::pipeline;
use saferstats::render::{outcomes as outcome_table, table};

use common::{default_config, default_run};

#[test]
fn the_xlsx_appendix_opens_with_the_sheets_the_guidance_asks_for() {
    let dir = default_run();
    let mut book: Xlsx<_> = open_workbook(dir.path().join("reports/data-appendix.xlsx")).unwrap();
    let names = book.sheet_names();
    // Tables 12 to 16 (outcomes, stop and search) come from the archive in ../shared.
    let tables = if common::shared_path("data/police-uk/city-of-london").is_some() {
        16
    } else {
        11
    };
    let expected: Vec<String> = ["Cover", "Contents", "Notes"]
        .into_iter()
        .map(String::from)
        .chain((1..=tables).map(|i| format!("Table_{i}")))
        .collect();
    assert_eq!(names, expected);
    // Rates per both denominators, and the partner data with MARAC counts withheld.
    let rates = book.worksheet_range("Table_5").unwrap();
    assert_eq!(
        rates.get_value((0, 0)),
        Some(&Data::String(
            "Table 5: Rates per 1,000 people, 2017/18".into()
        ))
    );
    let rape = (4..rates.height() as u32)
        .find(|r| rates.get_value((*r, 0)) == Some(&Data::String("Rape".into())))
        .unwrap();
    // Rape, 27 in 2017/18 per 7,500 residents: 3.600 per 1,000, Byar's interval 2.372 to 5.238
    // (by hand): three numbers in three columns, never one string.
    let num = |r: u32, c: u32| match rates.get_value((r, c)) {
        Some(Data::Float(x)) => *x,
        other => panic!("({r}, {c}) is not a number: {other:?}"),
    };
    assert!((num(rape, 2) - 3.6).abs() < 1e-9);
    assert!((num(rape, 3) - 2.372).abs() < 5e-4, "{}", num(rape, 3));
    assert!((num(rape, 4) - 5.238).abs() < 5e-4, "{}", num(rape, 4));
    assert_eq!(
        rates.get_value((3, 3)),
        Some(&Data::String("residents: 95% interval, lower".into()))
    );
    let partner = book.worksheet_range("Table_6").unwrap();
    let marac: Vec<_> = partner
        .rows()
        .filter(|r| matches!(&r[0], Data::String(s) if s.starts_with("MARAC")))
        .map(|r| r[4].clone())
        .collect();
    assert_eq!(
        marac,
        [Data::String("[c]".into()), Data::String("[c]".into())]
    );

    let t1 = book.worksheet_range("Table_1").unwrap();
    assert_eq!(
        t1.get_value((0, 0)),
        Some(&Data::String(
            "Table 1: Recorded crime by category, City of London, 2016/17 and 2017/18".into()
        ))
    );
    assert!(
        matches!(t1.get_value((1, 0)), Some(Data::String(s)) if s.starts_with("Source: City of London Police Annual Report 2018"))
    );
    assert_eq!(t1.get_value((3, 0)), Some(&Data::String("Category".into())));
    // Row 5 (index 4) is the first category; numbers are numbers.
    assert_eq!(
        t1.get_value((4, 0)),
        Some(&Data::String("Violence with injury".into()))
    );
    assert_eq!(t1.get_value((4, 1)), Some(&Data::Float(382.0)));
    let total_row = (4..t1.height() as u32)
        .find(|r| t1.get_value((*r, 0)) == Some(&Data::String("Total".into())))
        .unwrap();
    assert_eq!(t1.get_value((total_row, 1)), Some(&Data::Float(5435.0)));
    assert_eq!(t1.get_value((total_row, 2)), Some(&Data::Float(5888.0)));
    let notes = book.worksheet_range("Notes").unwrap();
    assert!(
        matches!(notes.get_value((4, 1)), Some(Data::String(s)) if s.starts_with("[x] = not available"))
    );
    for sheet in ["Notes", "Table_2", "Table_5"] {
        let range = book.worksheet_range(sheet).unwrap();
        assert!(
            matches!(range.get_value((1, 0)), Some(Data::String(s)) if s.starts_with("Source: ")),
            "{sheet}"
        );
    }
}

#[test]
fn hostile_labels_are_text_in_every_output() {
    let cli = Cli::new();
    let out = cli.dir.path().join("out");
    let out_arg = out.display().to_string();
    Cli::new()
        .source("summary", "ok/hostile-labels.csv")
        .args([
            "run", "--out", &out_arg, "--from", "2016/17", "--to", "2017/18",
        ])
        .expect(0);
    let html = std::fs::read_to_string(out.join("reports/evidence-base.html")).unwrap();
    assert!(!html.contains("<script>alert"), "raw script in HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    let md = std::fs::read_to_string(out.join("reports/evidence-base.md")).unwrap();
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(md.contains("\\| pipe \\* star \\_ under"), "{md}");
    let table =
        std::fs::read_to_string(out.join("reports/tables/yoy-2016-17-to-2017-18.html")).unwrap();
    assert!(
        !table.contains("<script>alert") && table.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{table}"
    );
    let csv =
        std::fs::read_to_string(out.join("reports/tables/yoy-2016-17-to-2017-18.csv")).unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",2016/17"),
        "{csv}"
    );
    let svg = std::fs::read_to_string(out.join("charts/yoy-2016-17-to-2017-18.svg")).unwrap();
    assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
    let mut book: Xlsx<_> = open_workbook(out.join("reports/data-appendix.xlsx")).unwrap();
    let formulas = book.worksheet_formula("Table_1").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "a cell was stored as a formula"
    );
    let t1 = book.worksheet_range("Table_1").unwrap();
    assert_eq!(
        t1.get_value((5, 0)),
        Some(&Data::String(
            "=HYPERLINK(\"http://evil.example\",\"click\")".into()
        ))
    );
}

#[test]
fn dump_context_writes_the_view_model() {
    let cli = Cli::new();
    let (out, json) = (
        cli.dir.path().join("out"),
        cli.dir.path().join("context.json"),
    );
    let config = common::default_config_path().display().to_string();
    Cli::new()
        .args([
            "--config",
            &config,
            "run",
            "--out",
            &out.display().to_string(),
            "--dump-context",
            &json.display().to_string(),
        ])
        .expect(0);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["from"], "2016/17");
    // 24 categories, the total and burglary as a whole (its two subgroups changed in April 2017).
    assert_eq!(v["rows"].as_array().unwrap().len(), 26);
    assert_eq!(v["outcomes"]["panels"][1]["data_rag"], "red");
    // The dump is the templates' whole input: rendered again from it, both reports come out
    // byte for byte as the run wrote them.
    for name in ["evidence-base.md", "evidence-base.html"] {
        let written = std::fs::read_to_string(out.join("reports").join(name)).unwrap();
        assert_eq!(
            saferstats::report::render(name, &v).unwrap(),
            written,
            "{name}"
        );
    }
    let svg = std::fs::read_to_string(out.join("charts/yoy-2016-17-to-2017-18.svg")).unwrap();
    assert_eq!(v["chart"]["svg"], svg.as_str());
}

#[test]
fn snapshot_default_view_model() {
    // The view-model holds the maps drawn from the shared boundaries.
    if common::shared_path("data/boundaries/london-lsoa-2011.csv").is_none() {
        return;
    }
    let ctx = pipeline::context(&default_config()).unwrap();
    // SVG markup is the charts' business (the golden test pins it byte for byte): its length
    // stands in for it here.
    let json = serde_json::to_string_pretty(&ctx).unwrap();
    let shortened: Vec<String> = json.lines().map(shorten_svg).collect();
    insta::assert_snapshot!("view_model", shortened.join("\n"));
}

/// `"svg": "<svg ...>",` -> `"svg": "<21371 bytes>",`; any other line as it is.
fn shorten_svg(line: &str) -> String {
    let Some(at) = line.find("\"svg\": \"") else {
        return line.to_string();
    };
    let value = line[at + 8..].trim_end_matches(',');
    let comma = if line.ends_with(',') { "," } else { "" };
    format!(
        "{}\"svg\": \"<{} bytes>\"{comma}",
        &line[..at],
        value.len() - 1
    )
}

#[test]
fn snapshot_default_markdown_tables() {
    let cfg = default_config();
    let (data, cmp, _) = pipeline::comparison(&cfg).unwrap();
    let (oa, _) = pipeline::outcome_assessment(&cfg, &data, &cmp)
        .unwrap()
        .unwrap();
    insta::assert_snapshot!("comparison_markdown", table::comparison_markdown(&cmp));
    insta::assert_snapshot!(
        "outcomes_markdown",
        outcome_table::markdown_table(&oa, false)
    );
    let _ = fixture("");
}

#[test]
fn the_report_opens_with_a_summary_contents_and_outcome_findings() {
    let dir = default_run();
    let md = std::fs::read_to_string(dir.path().join("reports/evidence-base.md")).unwrap();
    let start = md.find("## Summary").unwrap();
    let end = start + 3 + md[start + 3..].find("\n## ").unwrap();
    let summary = &md[start..end];
    // The published table's total: 5,435 -> 5,888; exact test p 2.154e-05 (scipy).
    assert!(
        summary.contains("The change of +453 crimes is beyond chance (p 2.154e-05)."),
        "{summary}"
    );
    // The three largest changes significant after Benjamini-Hochberg across 23 categories, by
    // absolute size: +147, +60 and -51 (Violence without injury's +60 has q 0.1237).
    let largest = [
        "- Theft from a person: 467 to 614 (+147, +31.5%), p 8.706e-06, q 0.0002002.",
        "- Public disorder: 222 to 282 (+60, +27.0%), p 0.008522, q 0.0392.",
        "- Miscellaneous crimes against society: 177 to 126 (-51, -28.8%), p 0.003999, q 0.03066.",
    ];
    assert!(summary.contains(&largest.join("\n")), "{summary}");
    assert!(summary.contains("**Where the numbers cannot say:** \n- Vulnerable people and communities are safeguarded from radicalisation and the threat of terrorism."), "{summary}");
    assert!(
        summary.contains("**Outcomes the numbers support:** none."),
        "{summary}"
    );
    assert!(
        summary.contains("changed definition from 2017-04"),
        "{summary}"
    );
    // One screen: the summary is short.
    assert!(summary.lines().count() <= 30, "{summary}");
    // Contents link every section's heading.
    assert!(md.contains("[Summary](#summary) · [The partnership's assessment](#the-partnerships-assessment) · [Which outcomes do the numbers support?](#which-outcomes-do-the-numbers-support) · [Recorded crime, 2016/17 and 2017/18](#recorded-crime-201617-and-201718)"), "{md}");
    // Each outcome panel states its finding.
    assert!(md.contains("### People are safe from violent crime\n\n**Rape and robbery of personal property rose beyond chance.**"), "{md}");
    assert!(
        md.contains("**No indicator could be assessed: the numbers cannot say either way.**"),
        "{md}"
    );
    // The shipped narrative reproduces the Strategic Plan 2018-23's paragraphs from the data.
    for line in [
        "However, after a number of years where overall crime has fallen,\n2017/18 witnessed an increase: 5,435 crimes in 2016/17 and\n5,888 in 2017/18, a change of +453\n(+8.3%)",
        "Reported crime in the City of London increased\nin 2017/18, in line with the trend seen across the UK.",
        "The increase in reports of rape (10 to 27) and\nother sexual offences (51 to\n74) for 2017/18",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    let html = std::fs::read_to_string(dir.path().join("reports/evidence-base.html")).unwrap();
    for c in [
        "summary",
        "assessment",
        "outcomes",
        "comparison",
        "findings",
        "provenance",
    ] {
        assert!(html.contains(&format!("<a href=\"#{c}\">")), "{c}");
        assert!(html.contains(&format!("id=\"{c}\"")), "{c}");
    }
}

/// Every string cell of every sheet of the default run's appendix: (sheet, row, column, text).
fn appendix_strings(path: &std::path::Path) -> Vec<(String, u32, u32, String)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for (r, c, v) in range.used_cells() {
            if let Data::String(s) = v {
                out.push((name.clone(), r as u32, c as u32, s.clone()));
            }
        }
    }
    out
}

#[test]
fn the_appendix_meets_the_spreadsheet_guidance() {
    let dir = default_run();
    let path = dir.path().join("reports/data-appendix.xlsx");
    let strings = appendix_strings(&path);
    let notes: String = strings
        .iter()
        .filter(|(sheet, ..)| sheet == "Notes")
        .map(|(.., s)| s.as_str())
        .collect();
    // Every shorthand a cell holds is explained on the notes sheet.
    let mut used = std::collections::BTreeSet::new();
    for (.., s) in strings.iter().filter(|(sheet, ..)| sheet != "Notes") {
        let chars: Vec<char> = s.chars().collect();
        for w in chars
            .windows(3)
            .filter(|w| w[0] == '[' && w[2] == ']' && w[1].is_ascii_lowercase())
        {
            used.insert(w.iter().collect::<String>());
        }
    }
    for marker in ["[c]", "[x]", "[z]"] {
        assert!(used.contains(marker), "{marker} is not used: {used:?}");
    }
    for m in &used {
        assert!(
            notes.contains(&format!("{m} =")),
            "{m} is not explained: {notes}"
        );
    }
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    // Each table names its own source: the partner sheet its partners, never the police report.
    let source_of = |book: &mut Xlsx<_>, sheet: &str| match book
        .worksheet_range(sheet)
        .unwrap()
        .get_value((1, 0))
    {
        Some(Data::String(s)) => s.clone(),
        other => panic!("{sheet}: {other:?}"),
    };
    let partner = source_of(&mut book, "Table_6");
    assert!(
        partner.starts_with("Source: City of London resident survey"),
        "{partner}"
    );
    assert!(!partner.contains("Annual Report"), "{partner}");
    let monthly = source_of(&mut book, "Table_4");
    assert!(
        monthly.starts_with("Source: data.police.uk street-level crime"),
        "{monthly}"
    );
    let rates = source_of(&mut book, "Table_5");
    assert!(rates.contains("populations:"), "{rates}");
    // Periods are text: Safety Thirst's 2019 is a year, not the number 2,019.
    let t6 = book.worksheet_range("Table_6").unwrap();
    let thirst = (4..t6.height() as u32)
        .find(|r| matches!(t6.get_value((*r, 0)), Some(Data::String(s)) if s == "Safety Thirst accredited premises"))
        .unwrap();
    assert_eq!(
        t6.get_value((thirst, 2)),
        Some(&Data::String("2019".into()))
    );
    assert_eq!(t6.get_value((thirst, 4)), Some(&Data::Float(72.0)));
    // A percentage is a number, its change in points a number.
    let survey = (4..t6.height() as u32)
        .filter(|r| matches!(t6.get_value((*r, 3)), Some(Data::String(u)) if u == "percent"))
        .collect::<Vec<_>>();
    assert!(!survey.is_empty());
    for r in survey {
        assert!(
            matches!(t6.get_value((r, 4)), Some(Data::Float(_))),
            "row {r}"
        );
    }
    // The cover: publication date and contact from the config, every source, the summary.
    let cover: Vec<&str> = strings
        .iter()
        .filter(|(s, ..)| s == "Cover")
        .map(|(.., t)| t.as_str())
        .collect();
    for line in [
        "2018-10-01",
        "Community Safety Team, City of London Corporation (Safer City Partnership)",
        "City of London resident survey, as quoted in Safer City Partnership Priorities 2016-17 (Policing Plan Review 2015)",
        "The change of +453 crimes is beyond chance (p 2.154e-05).",
    ] {
        assert!(cover.contains(&line), "{line}: {cover:?}");
    }
    // The contents sheet links to each table; each table is an Excel table object; small
    // p-values show in scientific form.
    let zip = |name: &str| {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let contents = zip("xl/worksheets/sheet2.xml");
    assert!(contents.contains("location=\"'Table_1'!A1\""), "{contents}");
    assert!(contents.contains("location=\"'Table_7'!A1\""), "{contents}");
    for n in 1..=8 {
        let table = zip(&format!("xl/tables/table{n}.xml"));
        assert!(table.contains("<tableColumn"), "{table}");
    }
    assert!(zip("xl/styles.xml").contains("formatCode=\"[&lt;0.001]0.00E+00;0.0000\""));
    // Column widths fit: no table column is left at Excel's default of 8.43.
    let t1 = zip("xl/worksheets/sheet4.xml");
    assert!(t1.contains("<cols>"), "{t1}");
}

/// A run of the tidy fixture with `narrative` as its narrative: (exit code, stderr, out folder).
fn narrative_run(narrative: &str) -> (i32, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("narrative.md"), narrative).unwrap();
    let config = format!(
        "area = \"City of London\"\n[[source]]\nkind = \"tidy\"\npath = \"{}\"\n\
         [compare]\nfrom = \"2016/17\"\nto = \"2017/18\"\n\
         [report]\nnarrative = \"narrative.md\"\n",
        common::toml_path(&fixture("ok/tidy-two-areas.csv"))
    );
    std::fs::write(dir.path().join("s.toml"), config).unwrap();
    let out = dir.path().join("out").display().to_string();
    let (code, _, err) = Cli::new()
        .args(["--config", &dir.path().join("s.toml").display().to_string()])
        .args(["run", "--out", &out])
        .run();
    (code, err, dir)
}

#[test]
fn the_narrative_is_filled_from_the_numbers_and_listed_in_the_manifest() {
    // The fixture: Rape 10 -> 27, Homicide 1 -> 2; total 11 -> 29 (+18, +163.6%).
    let text = "Crime {% if compare.total.rose %}rose{% endif %} by {{ compare.total.pct_change }}% \
                ({{ compare.total.from }} to {{ compare.total.to }}); rape: {{ category(\"rape\").change }}.\n\n<script>x</script>\n";
    let (code, err, dir) = narrative_run(text);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(dir.path().join("out/reports/evidence-base.md")).unwrap();
    assert!(
        md.contains(
            "## The partnership's assessment\n\nCrime rose by +163.6% (11 to 29); rape: +17."
        ),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.path().join("out/reports/evidence-base.html")).unwrap();
    assert!(
        html.contains("<p>Crime rose by +163.6% (11 to 29); rape: +17.</p>"),
        "{html}"
    );
    // Raw HTML in the analyst's file is shown as text, never run.
    assert!(
        !html.contains("<script>x</script>") && html.contains("&lt;script&gt;x&lt;/script&gt;")
    );
    let manifest = std::fs::read_to_string(dir.path().join("out/reports/manifest.json")).unwrap();
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let values = &m["narrative"]["values"];
    let pairs: Vec<(String, String)> = values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["reference"].as_str().unwrap().into(),
                v["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        ("compare.total.rose", "true"),
        ("compare.total.pct_change", "+163.6"),
        ("compare.total.from", "11"),
        ("compare.total.to", "29"),
        ("category(\"rape\").change", "+17"),
    ];
    assert_eq!(pairs, want.map(|(a, b)| (a.to_string(), b.to_string())));
}

#[test]
fn an_unknown_reference_in_the_narrative_is_refused_with_its_line() {
    for (text, expected) in [
        (
            "Fine.\n\nTotal: {{ compare.totl.from }}.\n",
            "narrative.md:3:",
        ),
        ("{{ compare.total.frm }}\n", "narrative.md:1:"),
        (
            "One.\n{{ outcome(\"violence\").rag }}\n",
            "narrative.md:2: no outcome `violence`; there are: none (no outcome framework is assessed)",
        ),
        (
            "{{ category(\"Burglary\").to }}\n",
            "narrative.md:1: no category `Burglary`; there are: Rape, Homicide",
        ),
    ] {
        let (code, err, dir) = narrative_run(text);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(err.contains(expected), "{text}: {err}");
        // Nothing was written: a refused narrative leaves earlier outputs as they were.
        assert!(!dir.path().join("out/reports").exists());
    }
}

/// The text of every `<text>` element of an SVG, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// The numbers of an axis's percentage tick labels (`-30%`, `0%`, `+50%`).
fn pct_ticks(texts: &[String]) -> Vec<f64> {
    texts
        .iter()
        .filter(|t| t.ends_with('%') && !t.contains(' '))
        .filter_map(|t| t.trim_end_matches('%').trim_start_matches('+').parse().ok())
        .collect()
}

#[test]
fn charts_fit_their_data_and_state_their_findings() {
    let dir = default_run();
    let chart = |name: &str| std::fs::read_to_string(dir.path().join("charts").join(name)).unwrap();
    // The ASB outcome's changes run from -28.8% (177 -> 126) to +33.3% (3 -> 4): the axis spans
    // them with room for the words beside each bar, not -100% to +100%.
    let asb = svg_texts(&chart("outcome-asb-yoy-2016-17-to-2017-18.svg"));
    let ticks = pct_ticks(&asb);
    let (lo, hi) = (ticks[0], ticks[ticks.len() - 1]);
    assert!(
        (-40.0..=-28.8).contains(&lo) && (33.3..=100.0).contains(&hi),
        "{ticks:?}"
    );
    assert_eq!(
        asb[0],
        "Public disorder rose beyond chance; miscellaneous crimes against society fell beyond chance"
    );
    // No percentage axis goes below -100%.
    for name in [
        "change-yoy-2016-17-to-2017-18.svg",
        "outcome-violence-yoy-2016-17-to-2017-18.svg",
    ] {
        let ticks = pct_ticks(&svg_texts(&chart(name)));
        assert!(ticks.iter().all(|t| *t >= -100.0), "{name}: {ticks:?}");
    }
    // The trend: a finding for a title (18 months of the shipped monthly counts, ASB left out:
    // 8,138 crimes, 452 a month, most in 2017-03 with 536; by hand from the CSV), year ticks, and
    // the rolling average's legend key drawn dashed, as its line is.
    let trend = chart("trend-city-of-london-police.svg");
    let texts = svg_texts(&trend);
    assert_eq!(
        texts[0],
        "City of London Police: recorded crime averaged 452 a month from 2016-01 to 2017-06, highest in 2017-03 (536)"
    );
    assert!(texts.iter().any(|t| t == "2016") && texts.iter().any(|t| t == "2017"));
    assert!(
        !texts.iter().any(|t| t == "2016-11"),
        "month ticks are gone"
    );
    let legend_dash = trend
        .split("<polyline")
        .skip(1)
        .map(|p| &p[..p.find('>').unwrap_or(p.len())])
        .filter(|p| p.contains("stroke=\"#0072B2\"") && p.contains(",83 "))
        .count();
    assert_eq!(legend_dash, 4, "the dashed key is four dashes");
    assert!(!trend.contains("y=\"76\" width=\"14\" height=\"14\" opacity=\"1\" fill=\"#0072B2\""));
    // SPC drawn on the trend: each special-cause month ringed in its variation's colour, as many
    // as `spc` lists (14 concerning, 11 improving on the 18 shipped months), plus the legend's key.
    let rings = |colour: &str| {
        trend
            .split("<circle")
            .skip(1)
            .map(|c| &c[..c.find('>').unwrap_or(c.len())])
            .filter(|c| c.contains(&format!("stroke=\"{colour}\"")))
            .count()
    };
    let (spc, _) = common::Cli::new()
        .default_config()
        .args(["--area", "City of London Police", "spc", "--format", "csv"])
        .expect(0);
    let listed = |v: &str| {
        spc.lines()
            .filter(|l| l.ends_with(&format!(",{v}")))
            .count()
    };
    assert_eq!((listed("concerning"), listed("improving")), (14, 11));
    assert_eq!(rings("#D55E00"), 14 + 1);
    assert_eq!(rings("#0072B2"), 11 + 1);
}
