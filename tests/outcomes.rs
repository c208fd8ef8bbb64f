//! The outcome framework on the default data: the expected verdicts (figures as published,
//! p-values from scipy), the counts adding up, and bad frameworks refused with the file and entry.

mod common;

use common::{Cli, fixture, repo};
use saferstats::harmonise::Month;
use saferstats::outcomes::{
    self, Assessment, DataRag, Framework, OutcomeAssessment, RagRule, Verdict, VerdictSettings,
};
use saferstats::pipeline;

fn default_assessment() -> OutcomeAssessment {
    let cfg = common::default_config();
    let (data, cmp, _) = pipeline::comparison(&cfg).unwrap();
    pipeline::outcome_assessment(&cfg, &data, &cmp)
        .unwrap()
        .unwrap()
        .0
}

fn indicator<'a>(oa: &'a OutcomeAssessment, outcome: &str, name: &str) -> &'a Assessment {
    let id = oa
        .outcomes
        .iter()
        .find(|o| o.title == outcome)
        .unwrap()
        .id
        .clone();
    oa.indicators
        .iter()
        .find(|a| a.outcome == id && a.indicator == name)
        .unwrap()
}

fn pct(a: &Assessment) -> f64 {
    a.change.as_ref().unwrap().pct_change.unwrap()
}

fn p(a: &Assessment) -> f64 {
    a.change.as_ref().unwrap().p_value.unwrap()
}

#[test]
fn violent_crime_outcome() {
    let oa = default_assessment();
    let o = "People are safe from violent crime";
    let vwi = indicator(&oa, o, "Violence without injury");
    // p 0.03227 alone, but 23 categories are tested at once: Benjamini-Hochberg gives it rank 6,
    // q = 0.0322743 x 23 / 6 = 0.12372 (by hand), beyond 0.05: no significant change, moving
    // the wrong way.
    assert_eq!(vwi.verdict, Verdict::NoChange);
    assert!(vwi.wrong_way);
    assert!((pct(vwi) - 17.142_857).abs() < 1e-5 && (p(vwi) - 0.032_274_3).abs() < 1e-6);
    let q = vwi.change.as_ref().unwrap().q_value.unwrap();
    assert!((q - 0.032_274_3 * 23.0 / 6.0).abs() < 1e-6, "{q}");
    let vi = indicator(&oa, o, "Violence with injury");
    assert_eq!(vi.verdict, Verdict::NoChange);
    assert!((pct(vi) - 0.523_560).abs() < 1e-5);
    let rape = indicator(&oa, o, "Rape");
    assert_eq!(rape.verdict, Verdict::Worsening);
    assert!(rape.small_numbers);
    assert!(
        rape.reason
            .to_string()
            .contains("small numbers (10 in 2016/17)"),
        "{}",
        rape.reason
    );
}

#[test]
fn acquisitive_crime_outcome() {
    let oa = default_assessment();
    let o = "People and businesses are protected from theft and fraud/acquisitive crime";
    let tfp = indicator(&oa, o, "Theft from a person");
    assert_eq!(tfp.verdict, Verdict::Worsening);
    assert!((pct(tfp) - 31.477_516).abs() < 1e-5 && p(tfp) < 0.001);
    let robbery = indicator(&oa, o, "Robbery of personal property");
    assert_eq!(robbery.verdict, Verdict::Worsening);
    assert!((pct(robbery) - 153.846_154).abs() < 1e-5);
    assert_eq!(
        indicator(&oa, o, "Bicycle theft").verdict,
        Verdict::NoChange
    );
}

#[test]
fn an_indicator_mapped_with_direction_down_that_falls_is_improving() {
    let oa = default_assessment();
    let misc = indicator(
        &oa,
        "Anti-Social Behaviour is tackled and responded to effectively",
        "Miscellaneous crimes against society",
    );
    assert_eq!(misc.verdict, Verdict::Improving);
    assert!((pct(misc) + 28.813_559).abs() < 1e-5 && (p(misc) - 0.003_999_405).abs() < 1e-8);
}

#[test]
fn outcome_counts_add_up_to_the_mapped_indicators() {
    let oa = default_assessment();
    for o in &oa.outcomes {
        let mapped = oa.indicators.iter().filter(|a| a.outcome == o.id).count();
        assert_eq!(
            o.improving + o.worsening + o.no_change + o.not_assessable,
            mapped,
            "{}",
            o.title
        );
    }
    let total: usize = oa
        .outcomes
        .iter()
        .map(|o| o.improving + o.worsening + o.no_change + o.not_assessable)
        .sum();
    assert_eq!(total, oa.indicators.len());
}

#[test]
fn every_default_category_serves_an_outcome() {
    let cfg = common::default_config();
    let (_, cmp, _) = pipeline::comparison(&cfg).unwrap();
    let oa = default_assessment();
    for row in &cmp.rows {
        assert!(
            oa.indicators.iter().any(|a| a.indicator == row.category),
            "{} is in no outcome",
            row.category
        );
    }
}

#[test]
fn data_rag_and_activity_rag_side_by_side() {
    let oa = default_assessment();
    let rag = |id: &str| oa.outcomes.iter().find(|o| o.id == id).unwrap();
    // Violence: Violence without injury worsens significantly on 760 events -> red, while the
    // partnership's September 2018 report rates the priority GREEN.
    assert_eq!(rag("violence").data_rag, DataRag::Red);
    assert_eq!(rag("violence").activity_rag.as_deref(), Some("GREEN"));
    // Prevent: its one indicator is context only (Channel referrals, 2018/19 only): the numbers
    // say nothing either way, never amber and never green.
    assert_eq!(rag("prevent").data_rag, DataRag::NoEvidence);
    assert_eq!(rag("prevent").not_assessable, 1);
    assert!(rag("prevent").drivers.is_empty());
}

#[test]
fn a_new_plan_is_a_new_file() {
    let mut cfg = common::default_config();
    cfg.outcomes.as_mut().unwrap().framework =
        repo().join("data/city-of-london/framework-2016-17.toml");
    cfg.outcomes.as_mut().unwrap().report = None;
    let (data, cmp, _) = pipeline::comparison(&cfg).unwrap();
    let oa = pipeline::outcome_assessment(&cfg, &data, &cmp)
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(oa.outcomes.len(), 5);
    assert_eq!(oa.plan, "Safer City Partnership Strategic Plan 2016-17");
    assert!(oa.outcomes.iter().all(|o| o.activity_rag.is_none()));
}

/// `fw` assessed on the tidy fixture with default settings and the shipped taxonomy.
fn assess_fixture(
    fw: &Framework,
    report: Option<Month>,
) -> saferstats::error::Result<OutcomeAssessment> {
    let (data, cmp) = fixture_comparison();
    let taxonomy = saferstats::harmonise::taxonomy::Taxonomy::shipped();
    let partner = Default::default();
    let ev = outcomes::Evidence {
        cmp: &cmp,
        partner: &partner,
        taxonomy: &taxonomy,
        data: &data,
    };
    outcomes::assess(
        fw,
        &ev,
        &VerdictSettings::default(),
        &RagRule::default(),
        report,
    )
}

fn fixture_comparison() -> (saferstats::model::Dataset, saferstats::stats::Comparison) {
    let data = saferstats::ingest::load_all(
        &[saferstats::config::Source::new(
            saferstats::config::SourceKind::Tidy,
            fixture("ok/tidy-two-areas.csv"),
            "tidy-two-areas.csv",
        )],
        &saferstats::harmonise::taxonomy::Taxonomy::shipped(),
    )
    .unwrap();
    let (from, to) = ("2016/17".parse().unwrap(), "2017/18".parse().unwrap());
    let cmp = saferstats::stats::compare(
        &data,
        "City of London",
        from,
        to,
        &Default::default(),
        false,
    )
    .unwrap();
    (data, cmp)
}

#[test]
fn each_report_keeps_its_own_rag_key() {
    let fw = Framework::load(&fixture("frameworks/base.toml"), "base.toml").unwrap();
    let sept_2018 = assess_fixture(&fw, Some(Month::new(2018, 9).unwrap())).unwrap();
    assert_eq!(sept_2018.outcomes[0].activity_rag.as_deref(), Some("GREEN"));
    assert!(
        sept_2018.outcomes[0]
            .activity_detail
            .to_string()
            .contains("1 GREEN, 1 AMBER"),
        "{}",
        sept_2018.outcomes[0].activity_detail
    );
    // The latest report (2021) used Blue/Green/Amber/Red and rated no outcome itself: worst activity.
    let latest = assess_fixture(&fw, None).unwrap();
    assert_eq!(latest.activity_report.as_deref(), Some("2021-02"));
    assert_eq!(latest.outcomes[0].activity_rag.as_deref(), Some("AMBER"));
    assert!(
        latest.outcomes[0]
            .activity_detail
            .to_string()
            .contains("1 BLUE, 1 AMBER")
    );
    let rape = &latest.indicators[0];
    assert_eq!(
        (rape.verdict, rape.small_numbers),
        (Verdict::Worsening, true)
    );
    assert_eq!(latest.indicators[1].verdict, Verdict::NotAssessable);
    assert!(
        latest.indicators[1]
            .reason
            .to_string()
            .contains("small numbers: 3 events")
    );
    assert_eq!(latest.outcomes[0].data_rag, DataRag::Red);
}

#[test]
fn a_series_break_inside_the_span_makes_an_indicator_not_assessable() {
    let text = std::fs::read_to_string(fixture("frameworks/base.toml")).unwrap().replace(
        "themes = [\"vawg\"]",
        "themes = [\"vawg\"]\nbreaks = [{ from = \"2017-04\", reason = \"recording rules changed\" }]",
    );
    let dir = tempfile::tempdir().unwrap();
    for f in ["activities-2018.csv", "activities-2021.csv"] {
        std::fs::copy(fixture(&format!("frameworks/{f}")), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("fw.toml"), text).unwrap();
    let fw = Framework::load(&dir.path().join("fw.toml"), "fw.toml").unwrap();
    let oa = assess_fixture(&fw, None).unwrap();
    assert_eq!(oa.indicators[0].verdict, Verdict::NotAssessable);
    assert_eq!(
        oa.indicators[0].reason.to_string(),
        "series break from 2017-04: recording rules changed"
    );
}

#[test]
fn a_partial_year_makes_every_indicator_not_assessable() {
    // Monthly data for 2016-04, 2016-05 and all of Q2: 2016/17 Q1 lacks June.
    let mut monthly = "period,area,category,value\n2016-04,City of London,Rape,10\n2016-04,City of London,Homicide,1\n2016-05,City of London,Rape,30\n2016-05,City of London,Homicide,2\n".to_string();
    for m in ["2016-07", "2016-08", "2016-09"] {
        monthly += &format!("{m},City of London,Rape,12\n{m},City of London,Homicide,1\n");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("monthly.csv");
    std::fs::write(&path, monthly).unwrap();
    let source = format!("tidy={}", path.display());
    let framework = fixture("frameworks/base.toml").display().to_string();
    let cli = Cli::new().args([
        "--source",
        &source,
        "--allow-partial",
        "outcomes",
        "--detail",
        "--format",
        "csv",
    ]);
    let (out, _) = cli
        .args([
            "--framework",
            &framework,
            "--from",
            "2016/17 Q1",
            "--to",
            "2016/17 Q2",
        ])
        .expect(0);
    assert!(out.contains(",not assessable,partial year: 2016/17 Q1 (partial: 2 of 3 months) compared with 2016/17 Q2"), "{out}");
}

#[test]
fn outcomes_command_prints_the_documented_columns() {
    let config = common::default_config_path().display().to_string();
    let (out, _) = Cli::new()
        .args(["--config", &config, "outcomes", "--format", "csv"])
        .expect(0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "outcome,data_rag,improving,worsening,no_change,not_assessable,activity_rag"
    );
    assert_eq!(lines.len(), 6);
    assert!(
        lines.contains(&"People are safe from violent crime,red,0,2,4,3,GREEN"),
        "{out}"
    );
    assert!(
        lines.contains(
            &"Anti-Social Behaviour is tackled and responded to effectively,red,1,1,1,2,GREEN"
        ),
        "{out}"
    );
    let (out, _) = Cli::new()
        .args([
            "--config", &config, "outcomes", "--detail", "--format", "csv",
        ])
        .expect(0);
    assert!(out.starts_with(
        "outcome,indicator,direction,from_count,to_count,change,pct_change,p_value,q_value,verdict,reason\n"
    ));
    assert!(out.contains("People are safe from violent crime,Violence without injury,down,350,410,60,17.1,0.03227,0.1237,no significant change,\"no significant change, moving the wrong way: 350 to 410 (+17.1%), p 0.03227, q 0.1237\""), "{out}");
}

#[test]
fn bad_frameworks_name_the_file_and_entry() {
    let cases = [
        (
            "bad-unknown-category.toml",
            "bad-unknown-category.toml: outcome `violence`, indicator `Homocide`: no source provides this category for 2016/17 and 2017/18, and the taxonomy does not know it; closest: Homicide",
        ),
        (
            "bad-empty-outcome.toml",
            "bad-empty-outcome.toml: outcome `prevent`: the outcome has no indicators",
        ),
        (
            "bad-rag-outside-key.toml",
            "activities-bad-rag.csv:3: activity V2: RAG `AMER` is not in the key `k2021` this report used (BLUE, GREEN, AMBER, RED)",
        ),
        (
            "bad-duplicate-activity.toml",
            "activities-duplicate.csv:3: activity: activity 2.1.1a appears twice (first at line 2)",
        ),
    ];
    for (file, expected) in cases {
        let (_, err) = Cli::new()
            .source("tidy", "ok/tidy-two-areas.csv")
            .args([
                "--area",
                "City of London",
                "outcomes",
                "--from",
                "2016/17",
                "--to",
                "2017/18",
            ])
            .args([
                "--framework",
                &fixture(&format!("frameworks/{file}")).display().to_string(),
            ])
            .expect(2);
        assert!(err.contains(expected), "{file}:\n{err}");
    }
}

#[test]
fn partner_measures_are_judged_from_partner_data() {
    let p = |f: &str| common::toml_path(&fixture(f));
    let cfg = format!(
        "area = \"City of London\"\n\
         [[source]]\nkind = \"tidy\"\npath = \"{}\"\n\
         [[source]]\nkind = \"partner\"\npath = \"{}\"\narea = \"City of London\"\n\
         [source.columns]\nperiod = \"Period\"\ncategory = \"Measure\"\nvalue = \"Value\"\n\
         [[source]]\nkind = \"partner\"\npath = \"{}\"\narea = \"City of London\"\nunit = \"percent\"\n\
         [source.columns]\nperiod = \"Year\"\ncategory = \"Question\"\nvalue = \"Percentage\"\n\
         [compare]\nfrom = \"2016/17\"\nto = \"2017/18\"\n\
         [outcomes]\nframework = \"{}\"\n",
        p("ok/tidy-two-areas.csv"),
        p("ok/partner/measures-two-years.csv"),
        p("ok/partner/survey-two-years.csv"),
        p("frameworks/partner.toml"),
    );
    let cli = Cli::new();
    let config = cli.dir.path().join("s.toml");
    std::fs::write(&config, cfg).unwrap();
    let (out, _) = cli
        .args(["--config".to_string(), config.display().to_string()])
        .args(["outcomes", "--detail", "--format", "csv"])
        .expect(0);
    let row = |name: &str| {
        out.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}: {out}"))
            .to_string()
    };
    // 1,463 -> 1,210: -17.3%, far beyond chance (exact test); ASB is wanted down.
    assert!(row("ASB incidents").contains("improving"), "{out}");
    assert!(
        row("ASB incidents").contains("1,463 to 1,210 (-17.3%)"),
        "{out}"
    );
    assert!(
        row("Felt safe after dark").contains("a percent with no count behind it (87.4 in 2016/17, 82.6 in 2017/18): no test of the change is possible"),
        "{out}"
    );
    assert!(
        row("Noise complaints")
            .contains("suppressed: Noise complaints is withheld ([x]) in 2016/17 or 2017/18"),
        "{out}"
    );
}

#[test]
fn an_indicator_named_by_a_taxonomy_alias_finds_the_category() {
    // "Rape offences" is an alias of Rape in data/taxonomy.toml; the fixture's row is "Rape".
    let text = std::fs::read_to_string(fixture("frameworks/base.toml"))
        .unwrap()
        .replace("category = \"rape\"", "category = \"Rape offences\"");
    let dir = tempfile::tempdir().unwrap();
    for f in ["activities-2018.csv", "activities-2021.csv"] {
        std::fs::copy(fixture(&format!("frameworks/{f}")), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("fw.toml"), text).unwrap();
    let mut fw = Framework::load(&dir.path().join("fw.toml"), "fw.toml").unwrap();
    // Spelt differently, the row is found through the taxonomy, whether or not the framework
    // was named with it first.
    for named in [false, true] {
        if named {
            fw.name_with(&saferstats::harmonise::taxonomy::Taxonomy::shipped());
        }
        let oa = assess_fixture(&fw, None).unwrap();
        let rape = &oa.indicators[0];
        assert_eq!(rape.verdict, Verdict::Worsening);
        let c = rape.change.as_ref().unwrap();
        assert_eq!((c.from_count, c.to_count), (10, 27));
        assert_eq!(rape.measured_as, None);
    }
    // A label the taxonomy does not know and no source provides is an error.
    let typo = std::fs::read_to_string(dir.path().join("fw.toml"))
        .unwrap()
        .replace(
            "category = \"Rape offences\"",
            "category = \"Rap offences\"",
        );
    std::fs::write(dir.path().join("fw.toml"), typo).unwrap();
    let fw = Framework::load(&dir.path().join("fw.toml"), "fw.toml").unwrap();
    let e = assess_fixture(&fw, None).unwrap_err().to_string();
    assert!(e.contains("indicator `Rap offences`: no source provides this category for 2016/17 and 2017/18, and the taxonomy does not know it; closest: Rape"), "{e}");
}

#[test]
fn an_indicator_whose_definition_changed_inside_the_span_is_not_assessable() {
    // The City's 2016/17 -> 2017/18 crosses April 2017, when both burglary subgroups changed.
    let oa = default_assessment();
    let o = "People and businesses are protected from theft and fraud/acquisitive crime";
    for name in ["Burglary – Residential", "Burglary – Business/Community"] {
        let a = indicator(&oa, o, name);
        assert_eq!(a.verdict, Verdict::NotAssessable, "{name}");
        assert!(
            a.reason.to_string().starts_with(
                "series break from 2017-04: domestic burglary became residential burglary"
            ),
            "{name}: {}",
            a.reason
        );
    }
}

/// A framework and tidy yearly figures (`period,area,category,value` rows for the City) in a
/// fresh folder, assessed by `outcomes --detail --format csv` for 2016/17 against 2017/18:
/// (detail CSV, summary CSV).
fn outcomes_of(framework: &str, rows: &str) -> (String, String) {
    let cli = Cli::new();
    let data = cli.dir.path().join("data.csv");
    std::fs::write(&data, format!("period,area,category,value\n{rows}")).unwrap();
    let fw = cli.dir.path().join("fw.toml");
    std::fs::write(&fw, framework).unwrap();
    let run = |detail: bool| {
        let cli = Cli::new()
            .source_path("tidy", &data)
            .args(["--area", "City of London", "outcomes"])
            .args(["--from", "2016/17", "--to", "2017/18", "--format", "csv"])
            .args(["--framework".to_string(), fw.display().to_string()]);
        let cli = if detail { cli.args(["--detail"]) } else { cli };
        cli.expect(0).0
    };
    (run(true), run(false))
}

/// A framework of outcomes, each `(id, [(subject line, direction)])`.
fn framework(outcomes: &[(&str, &[(&str, &str)])]) -> String {
    let mut text = "[plan]\nid = \"t\"\ntitle = \"Test plan\"\n".to_string();
    for (id, indicators) in outcomes {
        text += &format!("[[outcome]]\nid = \"{id}\"\ntitle = \"Outcome {id}\"\n");
        for (subject, direction) in *indicators {
            text += &format!(
                "[[outcome.indicator]]\n{subject}\ndirection = \"{direction}\"\nwhy = \"test\"\n"
            );
        }
    }
    text
}

fn line_of<'a>(csv: &'a str, starting: &str) -> &'a str {
    csv.lines()
        .find(|l| l.starts_with(starting))
        .unwrap_or_else(|| panic!("no line starting {starting}: {csv}"))
}

#[test]
fn context_only_indicators_never_set_the_data_rag() {
    let fw = framework(&[
        // Rape worsens (10 -> 27, 37 events): red, driven by Rape only, never by the context one.
        (
            "a",
            &[
                ("category = \"Rape\"", "down"),
                ("measure = \"Channel referrals\"", "context"),
            ],
        ),
        // Only context: a significant rise is shown but judges nothing.
        ("b", &[("category = \"Rape\"", "context")]),
        // A context measure no source provides: no evidence either way, not amber.
        ("c", &[("measure = \"Channel referrals\"", "context")]),
    ]);
    let rows = "2016/17,City of London,Rape,10\n2017/18,City of London,Rape,27\n";
    let (detail, summary) = outcomes_of(&fw, rows);
    assert!(
        line_of(&summary, "Outcome a,").starts_with("Outcome a,red,0,1,0,1,"),
        "{summary}"
    );
    assert!(
        line_of(&summary, "Outcome b,").starts_with("Outcome b,no evidence either way,0,0,0,1,"),
        "{summary}"
    );
    assert!(
        line_of(&summary, "Outcome c,").starts_with("Outcome c,no evidence either way,0,0,0,1,"),
        "{summary}"
    );
    assert!(
        line_of(&detail, "Outcome c,Channel referrals,context,")
            .ends_with(",not assessable,no figures: no loaded source provides Channel referrals"),
        "{detail}"
    );
}

#[test]
fn anti_social_behaviour_is_an_indicator_judged_by_the_same_test_and_kept_out_of_crime() {
    let fw = framework(&[("asb", &[("category = \"Anti-social behaviour\"", "down")])]);
    let rows = "2016/17,City of London,Anti-social behaviour,100\n2017/18,City of London,Anti-social behaviour,160\n\
                2016/17,City of London,Rape,10\n2017/18,City of London,Rape,27\n";
    let (detail, summary) = outcomes_of(&fw, rows);
    // Exact conditional test: p = 2 P(X <= 100), X ~ Binomial(260, 1/2) = 0.00023894 (by hand,
    // with exact fractions).
    assert!(
        detail.contains(
            "Outcome asb,Anti-social behaviour,down,100,160,60,60.0,0.0002389,0.0002389,worsening,"
        ),
        "{detail}"
    );
    assert!(summary.contains("Outcome asb,red,0,1,0,0,"), "{summary}");
    // Never in the crime total: the total is Rape's 10 -> 27 alone.
    let cli = Cli::new();
    let data = cli.dir.path().join("d.csv");
    std::fs::write(&data, format!("period,area,category,value\n{rows}")).unwrap();
    let (cmp, _) = cli
        .source_path("tidy", &data)
        .args(["--area", "City of London", "compare", "--from", "2016/17"])
        .args(["--to", "2017/18", "--format", "csv"])
        .expect(0);
    assert!(
        line_of(&cmp, "Total crime,").starts_with("Total crime,2016/17,2017/18,10,27,17,"),
        "{cmp}"
    );
}

#[test]
fn home_office_subgroups_are_measured_by_the_data_police_uk_type_that_holds_them() {
    let fw = framework(&[
        (
            "violence",
            &[
                ("category = \"Violence with injury\"", "down"),
                ("category = \"Rape\"", "down"),
            ],
        ),
        ("acq", &[("category = \"Shoplifting\"", "down")]),
    ]);
    let rows = "2016/17,City of London,Violence and sexual offences,300\n2017/18,City of London,Violence and sexual offences,400\n\
                2016/17,City of London,Shoplifting,50\n2017/18,City of London,Shoplifting,40\n";
    let (detail, summary) = outcomes_of(&fw, rows);
    // p = 2 P(X <= 300), X ~ Binomial(700, 1/2) = 0.00017848 (exact fractions, by hand); two
    // categories tested: Benjamini-Hochberg q = 0.00017848 x 2 = 0.000357.
    assert!(
        detail.contains("Outcome violence,Violence with injury,down,300,400,100,33.3,0.0001785,0.000357,worsening,\"measured as Violence and sexual offences (data.police.uk), which also holds other offences: worsening: 300 to 400 (+33.3%), p 0.0001785, q 0.000357\""),
        "{detail}"
    );
    // One count is judged once in an outcome: Rape, held by the same type, names the first.
    assert!(
        detail.contains("Outcome violence,Rape,down,,,,,,,not assessable,\"measured as Violence and sexual offences, which this outcome already judges under Violence with injury\""),
        "{detail}"
    );
    assert!(
        summary.contains("Outcome violence,red,0,1,0,1,"),
        "{summary}"
    );
    // A type of the same name is the subgroup itself, not coarser.
    assert!(
        detail.contains("Outcome acq,Shoplifting,down,50,40,-10,-20.0,"),
        "{detail}"
    );
}

#[test]
fn reasons_are_plain_sentences_that_say_what_exists() {
    let (out, _) = Cli::new()
        .default_config()
        .args(["outcomes", "--detail", "--format", "csv"])
        .expect(0);
    assert!(!out.contains('`'), "Markdown in a reason: {out}");
    // The Prevent outcome's measure exists for 2018/19 only, withheld (counts of 1 and 3).
    assert!(
        out.contains("context,,,,,,,not assessable,no figures for 2016/17 or 2017/18; the partner data holds Channel: referrals relating to City residents for 2018/19 only (withheld)"),
        "{out}"
    );
    // Anti-social behaviour is an indicator of the ASB outcome; the default data holds it
    // monthly for the force, not for the compared years.
    assert!(
        out.contains("Anti-social behaviour,down,,,,,,,not assessable,no figures for 2016/17 or 2017/18; the data holds Anti-social behaviour for City of London Police from 2016-01 to 2017-06 (police-uk-monthly)"),
        "{out}"
    );
}
