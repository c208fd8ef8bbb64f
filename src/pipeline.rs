//! The stages in order: ingest -> harmonise -> stats -> findings -> render -> report -> write.
//!
//! Everything is computed and rendered in memory before the first byte is written, so bad input
//! never leaves partial output (see [`crate::report::output`]).

use std::path::PathBuf;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::findings::{self, Finding};
use crate::harmonise::Period;
use crate::model::{Dataset, InputFile};
use crate::outcomes::{self, Framework, OutcomeAssessment};
use crate::render::{chart, outcomes as outcome_table, reconciliation, table, trend};
use crate::report::output::{self, Artefact};
use crate::report::{self, manifest};
use crate::stats::{self, Comparison, counts};

/// What a finished run did.
#[derive(Debug)]
pub struct RunOutcome {
    pub written: Vec<PathBuf>,
    pub findings: Vec<Finding>,
}

/// Reads every source; fails if any file's ledger does not balance.
pub fn load_all(cfg: &Config) -> Result<Dataset> {
    if cfg.sources.is_empty() {
        return Err(Error::Usage(
            "no sources: name one with --source KIND=PATH (e.g. --source summary=table.csv) or add a [[source]] to the config".into(),
        ));
    }
    let taxonomy = cfg.taxonomy.load()?;
    let mut data = crate::ingest::load_all(&cfg.sources, &taxonomy)?;
    let zeros = findings::implausible_zeros(&data);
    data.findings.extend(zeros);
    if let Some(dir) = &cfg.export_parquet {
        let written = crate::ingest::police_uk::export::write(&data, dir)?;
        if !cfg.quiet {
            eprintln!(
                "exported {} Parquet files below {}",
                written.len(),
                dir.display()
            );
        }
    }
    if let Some(f) = data
        .inputs
        .iter()
        .find(|f| f.rows_read != f.rows_counted + f.rows_rejected)
    {
        return Err(Error::Usage(format!(
            "{}: the reconciliation does not balance ({} rows read, {} counted, {} rejected); this is a bug in saferstats, please report it",
            f.path, f.rows_read, f.rows_counted, f.rows_rejected
        )));
    }
    Ok(data)
}

/// Reads every source and picks the area to report on.
pub fn load(cfg: &Config) -> Result<(Dataset, String)> {
    let data = load_all(cfg)?;
    let area = counts::select_area(&data, cfg.area.as_deref())?;
    Ok((data, area))
}

/// The two periods to compare: from the flags or the config.
pub fn periods(cfg: &Config) -> Result<(Period, Period)> {
    match (cfg.from, cfg.to) {
        (Some(from), Some(to)) => Ok((from, to)),
        _ => Err(Error::Usage(
            "no periods to compare: give --from and --to (e.g. --from 2016/17 --to 2017/18) or set them under [compare] in the config".into(),
        )),
    }
}

/// Every denominator: from population tables and from the config.
pub fn denominators(cfg: &Config, data: &Dataset) -> Vec<crate::model::Denominator> {
    data.denominators
        .iter()
        .chain(&cfg.denominators)
        .cloned()
        .collect()
}

/// Rates per `cfg.per` for the area in `period`, per the named denominator or every one known
/// for the area.
pub fn rates(
    cfg: &Config,
    period: Period,
    wanted: Option<&str>,
) -> Result<(Vec<stats::rates::RateRow>, Vec<Finding>)> {
    let (data, area) = load(cfg)?;
    let all = denominators(cfg, &data);
    let names: Vec<&str> = match wanted {
        Some(w) => vec![w],
        None => stats::rates::names_for(&all, &data.names_of(&area)),
    };
    if names.is_empty() {
        return Err(Error::Usage(format!(
            "no denominator for {area}: add a [[denominator]] to the config (e.g. the workday population) or name a population table with --source population=FILE"
        )));
    }
    let (counts, coverage) = stats::rates::counts(&data, &area, period, cfg.allow_partial)?;
    let rows = stats::rates::rate_rows(
        &counts,
        period,
        &data.names_of(&area),
        &all,
        &names,
        cfg.per,
        1.0 - cfg.settings.alpha,
    )?;
    let mut findings = data.findings;
    findings.extend(coverage.filter(|c| c.is_partial()).map(|c| Finding {
        severity: crate::findings::Severity::Warning,
        code: "partial-rates",
        message: format!(
            "{area}: rates for {period} rest on {} of its {} months of counts, so they understate a whole period's",
            c.have, c.of
        ),
    }));
    Ok((rows, findings))
}

/// The area beside its peers (the flagged list, else the config's), changes and rates.
pub fn peers(
    cfg: &Config,
    flagged: &[String],
) -> Result<(Vec<stats::peers::PeerRow>, Vec<Finding>)> {
    let (from, to) = periods(cfg)?;
    let peers = if flagged.is_empty() {
        &cfg.peers
    } else {
        flagged
    };
    if peers.is_empty() {
        return Err(Error::Usage(
            "no peer areas: list them under [peers] areas in the config or give --peers A,B".into(),
        ));
    }
    let (data, area) = load(cfg)?;
    let all = denominators(cfg, &data);
    let q = peer_query(cfg, &area, peers, (from, to), &all);
    Ok((stats::peers::peers(&data, &q)?, data.findings))
}

/// What the peer table compares, with the config's settings.
fn peer_query<'a>(
    cfg: &'a Config,
    area: &'a str,
    peers: &'a [String],
    (from, to): (Period, Period),
    denominators: &'a [crate::model::Denominator],
) -> stats::peers::PeerQuery<'a> {
    stats::peers::PeerQuery {
        area,
        peers,
        from,
        to,
        settings: &cfg.settings,
        allow_partial: cfg.allow_partial,
        denominator: cfg.peers_denominator.as_deref().map(|n| (n, denominators)),
        per: cfg.per,
    }
}

/// Loads the data and compares the configured periods.
pub fn comparison(cfg: &Config) -> Result<(Dataset, Comparison, Vec<Finding>)> {
    let (from, to) = periods(cfg)?;
    let (data, area) = load(cfg)?;
    let cmp = stats::compare(&data, &area, from, to, &cfg.settings, cfg.allow_partial)?;
    let mut findings = data.findings.clone();
    findings.extend(findings::from_comparison(&cmp));
    Ok((data, cmp, findings))
}

/// The outcome framework assessed against `cmp` and the partner data in `data`, when the config
/// names one; with the framework files' provenance.
pub fn outcome_assessment(
    cfg: &Config,
    data: &Dataset,
    cmp: &Comparison,
) -> Result<Option<(OutcomeAssessment, Vec<InputFile>)>> {
    let Some(o) = &cfg.outcomes else {
        return Ok(None);
    };
    let fw = Framework::load(&o.framework, &o.display)?;
    if let Some(date) = o.report
        && fw.report_at(Some(date)).is_none()
    {
        return Err(Error::Usage(format!(
            "outcomes.activity_report: {} has no activity report dated {date}",
            o.display
        )));
    }
    let partner =
        outcomes::PartnerEvidence::from_figures(&data.partner, &data.names_of(&cmp.area), cmp);
    let oa = outcomes::assess(&fw, cmp, &o.verdicts, &o.rule, o.report, &partner)?;
    Ok(Some((oa, fw.inputs)))
}

/// The whole job: compare, assess outcomes, render every artefact, write them all or none.
pub fn run(cfg: &Config) -> Result<RunOutcome> {
    let (mut data, cmp, findings) = comparison(cfg)?;
    let assessed = outcome_assessment(cfg, &data, &cmp)?;
    let oa = assessed.map(|(oa, inputs)| {
        data.inputs.extend(inputs);
        oa
    });
    let (artefacts, ctx) = artefacts(cfg, &data, &cmp, oa.as_ref(), &findings)?;
    if let Some(path) = &cfg.dump_context {
        let json = serde_json::to_string_pretty(&ctx).expect("the view-model serialises") + "\n";
        std::fs::write(path, json).map_err(|e| Error::Write {
            path: path.clone(),
            source: e,
        })?;
    }
    let written = output::commit(&cfg.out_dir, &artefacts)?;
    Ok(RunOutcome { written, findings })
}

/// The report's view-model for the configured run, computed without writing anything.
pub fn context(cfg: &Config) -> Result<report::Context> {
    let (mut data, cmp, findings) = comparison(cfg)?;
    let oa = outcome_assessment(cfg, &data, &cmp)?.map(|(oa, inputs)| {
        data.inputs.extend(inputs);
        oa
    });
    Ok(artefacts(cfg, &data, &cmp, oa.as_ref(), &findings)?.1)
}

/// Every artefact of a run (the manifest last), and the report's view-model.
pub fn artefacts(
    cfg: &Config,
    data: &Dataset,
    cmp: &Comparison,
    oa: Option<&OutcomeAssessment>,
    findings: &[Finding],
) -> Result<(Vec<Artefact>, report::Context)> {
    let stem = format!("yoy-{}-to-{}", cmp.from.slug(), cmp.to.slug());
    let labels = chart::Labels {
        title: chart::comparison_title(cmp, &format!("Recorded crime in {}", cmp.area)),
        subtitle: format!("Recorded crimes by category, {} and {}", cmp.from, cmp.to),
        source: source_line(data, &cmp.inputs),
    };
    let figure = chart::comparison_bars(cmp, &labels)?;
    let chart_view = report::ChartView {
        title: labels.title.clone(),
        source: labels.source.clone(),
        svg: figure.svg.clone(),
        svg_path: format!("../charts/{stem}.svg"),
    };
    let mut artefacts = Vec::new();
    let outcomes_view = match oa {
        Some(oa) => Some(outcome_artefacts(
            oa,
            cmp,
            &labels.source,
            &stem,
            &mut artefacts,
        )?),
        None => None,
    };
    let outcomes_md = oa
        .map(|oa| outcome_table::markdown_table(oa, false))
        .unwrap_or_default();
    let ctx = report::context(
        &cfg.title,
        cmp,
        chart_view,
        findings,
        &data.inputs,
        outcomes_view,
    );
    let trends = trend_artefacts(data, &mut artefacts)?;
    artefacts.push(Artefact::new(
        "reports/reconciliation.csv",
        reconciliation::csv(data),
    ));
    let sections = table_sections(cfg, data, cmp, &stem, &mut artefacts)?;
    let workbook = appendix_workbook(cfg, data, cmp, oa, &labels.source, &sections)?;
    artefacts.push(Artefact::new("reports/data-appendix.xlsx", workbook));
    if !data.quality.is_empty() {
        artefacts.push(Artefact::new(
            "reports/data-quality.csv",
            reconciliation::quality_csv(data),
        ));
    }
    let mut ctx = ctx;
    ctx.trends = trends;
    ctx.sections = sections;
    ctx.figures = comparison_figures(cfg, cmp, &labels.source, &stem, &mut artefacts)?;
    let table_md = table::comparison_markdown(cmp);
    artefacts.extend([
        Artefact::new(format!("charts/{stem}.svg"), figure.svg),
        Artefact::new(format!("charts/{stem}.png"), figure.png),
        Artefact::new(
            format!("reports/tables/{stem}.csv"),
            table::comparison_csv(cmp),
        ),
        Artefact::new(format!("reports/tables/{stem}.md"), table_md.clone()),
        Artefact::new(
            format!("reports/tables/{stem}.html"),
            table::html::comparison_html(cmp, &labels.source),
        ),
        Artefact::new("reports/evidence-base.html", report::html(&ctx)?),
        Artefact::new(
            "reports/evidence-base.md",
            report::markdown(&ctx, &table_md, &outcomes_md)?,
        ),
    ]);
    // Every artefact draws on the compared sources, the framework (when outcomes are assessed) and
    // the partner and population tables the report's sections show.
    let shown_apart = data.inputs.iter().enumerate().filter(|(_, f)| {
        f.periods.is_empty() || matches!(f.kind.as_str(), "partner" | "population")
    });
    let mut used: Vec<usize> = cmp
        .inputs
        .iter()
        .copied()
        .chain(shown_apart.map(|(i, _)| i))
        .collect();
    used.sort_unstable();
    used.dedup();

    let manifest = manifest::build(cfg.file.as_deref(), &data.inputs, &artefacts, &used);
    let json = serde_json::to_string_pretty(&manifest).expect("the manifest serialises") + "\n";
    artefacts.push(Artefact::new("reports/manifest.json", json));
    Ok((artefacts, ctx))
}

/// The outcome tables and one chart per outcome; returns the report's outcome section.
fn outcome_artefacts(
    oa: &OutcomeAssessment,
    cmp: &Comparison,
    source: &str,
    stem: &str,
    artefacts: &mut Vec<Artefact>,
) -> Result<report::OutcomesView> {
    artefacts.push(Artefact::new(
        format!("reports/tables/outcomes-{stem}.csv"),
        outcome_table::csv(oa, false),
    ));
    artefacts.push(Artefact::new(
        format!("reports/tables/outcome-indicators-{stem}.csv"),
        outcome_table::csv(oa, true),
    ));
    let mut charts = Vec::new();
    for o in &oa.outcomes {
        let bars: Vec<chart::PanelBar> = oa
            .indicators
            .iter()
            .filter(|a| a.outcome == o.id)
            .map(|a| chart::PanelBar {
                label: a.indicator.clone(),
                pct: a.change.as_ref().and_then(|c| c.pct_change),
                verdict: a.verdict,
                small_numbers: a.small_numbers,
            })
            .collect();
        let labels = chart::Labels {
            title: outcome_title(o),
            subtitle: format!(
                "{}: percentage change in each indicator, {} to {}",
                o.title, cmp.from, cmp.to
            ),
            source: source.to_string(),
        };
        let figure = chart::outcome_panel(&bars, &labels)?;
        let name = format!("outcome-{}-{stem}", o.id);
        charts.push(report::ChartView {
            title: labels.title,
            source: labels.source,
            svg: figure.svg.clone(),
            svg_path: format!("../charts/{name}.svg"),
        });
        artefacts.push(Artefact::new(format!("charts/{name}.svg"), figure.svg));
        artefacts.push(Artefact::new(format!("charts/{name}.png"), figure.png));
    }
    Ok(report::outcomes_view(oa, charts))
}

/// The percentage-change chart and, with offence groups configured, the share-of-total chart.
fn comparison_figures(
    cfg: &Config,
    cmp: &Comparison,
    source: &str,
    stem: &str,
    artefacts: &mut Vec<Artefact>,
) -> Result<Vec<report::FigureView>> {
    let mut figures = Vec::new();
    let rises = cmp
        .rows
        .iter()
        .filter(|r| r.significant && r.change > 0 && !r.small_numbers)
        .count();
    let falls = cmp
        .rows
        .iter()
        .filter(|r| r.significant && r.change < 0 && !r.small_numbers)
        .count();
    let labels = chart::Labels {
        title: format!(
            "{rises} categories rose and {falls} fell beyond chance between {} and {}",
            cmp.label(false),
            cmp.label(true)
        ),
        subtitle: format!(
            "Percentage change by category, {}; small-number categories shown pale",
            cmp.area
        ),
        source: source.to_string(),
    };
    let figure = chart::change_by_category(cmp, &labels)?;
    figures.push(figure_view(format!("change-{stem}"), "Percentage change by category", "Each bar is labelled with its change and whether it is beyond chance (exact test); categories resting on small numbers are pale and say so.", labels, figure, artefacts));
    if cfg.shares_chart {
        let taxonomy = cfg.taxonomy.load()?;
        let (shares, (_, acquisitive)) = stats::shares::shares(cmp, &taxonomy)?;
        let top = &shares[0];
        let labels = chart::Labels {
            title: format!(
                "{} were {:.1}% of recorded crime in {}; acquisitive crime (theft and robbery) {:.1}%",
                top.group,
                top.to_pct,
                cmp.label(true),
                acquisitive
            ),
            subtitle: format!(
                "Share of all recorded crime by Home Office offence group, {}",
                cmp.area
            ),
            source: source.to_string(),
        };
        let figure = chart::share_bars(&shares, cmp, &labels)?;
        figures.push(figure_view(format!("shares-{stem}"), "Share of recorded crime by offence group", "Groups follow the Home Office offence classification; each category's subgroup and group are set in the taxonomy file.", labels, figure, artefacts));
    }
    Ok(figures)
}

fn figure_view(
    name: String,
    heading: &str,
    caption: &str,
    labels: chart::Labels,
    figure: chart::Figure,
    artefacts: &mut Vec<Artefact>,
) -> report::FigureView {
    artefacts.push(Artefact::new(
        format!("charts/{name}.svg"),
        figure.svg.clone(),
    ));
    artefacts.push(Artefact::new(format!("charts/{name}.png"), figure.png));
    report::FigureView {
        heading: heading.to_string(),
        caption: caption.to_string(),
        chart: report::ChartView {
            title: labels.title,
            source: labels.source,
            svg: figure.svg,
            svg_path: format!("../charts/{name}.svg"),
        },
    }
}

/// The xlsx data appendix: cover, contents, notes, then one table per sheet.
fn appendix_workbook(
    cfg: &Config,
    data: &Dataset,
    cmp: &Comparison,
    oa: Option<&OutcomeAssessment>,
    source: &str,
    sections: &[crate::render::sections::Section],
) -> Result<Vec<u8>> {
    use crate::report::appendix;
    let mut tables = vec![appendix::comparison(cmp)];
    if let Some(oa) = oa {
        tables.extend(appendix::outcomes(oa));
    }
    for area in data.coverage.keys() {
        let n = tables.len() + 1;
        let series = stats::trend::monthly_series(data, area);
        tables.push(appendix::monthly(area, &series, format!("Table_{n}"), n));
    }
    for s in sections {
        let n = tables.len() + 1;
        tables.push(s.appendix_table(format!("Table_{n}"), n));
    }
    let n = tables.len() + 1;
    tables.push(appendix::reconciliation(data, format!("Table_{n}"), n));
    crate::render::table::xlsx::workbook(&appendix::cover(&cfg.title, cmp, source), &tables)
}

/// The one-table sections (rates, peers, partner data), each with its CSV artefact.
fn table_sections(
    cfg: &Config,
    data: &Dataset,
    cmp: &Comparison,
    stem: &str,
    artefacts: &mut Vec<Artefact>,
) -> Result<Vec<crate::render::sections::Section>> {
    use crate::render::sections;
    let mut out = Vec::new();
    let all = denominators(cfg, data);
    let areas = data.names_of(&cmp.area);
    let names = stats::rates::names_for(&all, &areas);
    if !names.is_empty() {
        // A partial period is labelled through the comparison's own label below.
        let (counts, _) = stats::rates::counts(data, &cmp.area, cmp.to, cfg.allow_partial)?;
        let confidence = 1.0 - cfg.settings.alpha;
        let rows =
            stats::rates::rate_rows(&counts, cmp.to, &areas, &all, &names, cfg.per, confidence)?;
        artefacts.push(Artefact::new(
            format!("reports/tables/rates-{}.csv", cmp.to.slug()),
            table::csv_of(&stats::rates::COLUMNS, &table::rate_rows(&rows)),
        ));
        out.push(sections::rates(
            &rows,
            &cmp.label(true),
            cfg.per,
            &table::confidence_label(cfg.settings.alpha),
        ));
    }
    if !cfg.peers.is_empty() {
        let q = peer_query(cfg, &cmp.area, &cfg.peers, (cmp.from, cmp.to), &all);
        let rows = stats::peers::peers(data, &q)?;
        let (header, cells) = table::peer_rows(&rows, cfg.per);
        artefacts.push(Artefact::new(
            format!("reports/tables/peers-{stem}.csv"),
            table::csv_of(&header, &cells),
        ));
        out.push(sections::peers(
            &rows,
            &cmp.label(false),
            &cmp.label(true),
            cfg.per,
            cfg.peers_denominator.as_deref(),
        ));
    }
    if !data.partner.is_empty() {
        artefacts.push(Artefact::new(
            "reports/tables/partner-data.csv",
            table::csv_of(&table::MEASURE_COLUMNS, &table::measure_rows(&data.partner)),
        ));
        let threshold = cfg.sources.iter().filter_map(|s| s.sensitive).max();
        out.push(sections::partner(&data.partner, threshold));
    }
    Ok(out)
}

/// One monthly trend chart and table per area with monthly data.
fn trend_artefacts(
    data: &Dataset,
    artefacts: &mut Vec<Artefact>,
) -> Result<Vec<report::TrendView>> {
    let mut views = Vec::new();
    for area in data.coverage.keys() {
        let series = stats::trend::monthly_series(data, area);
        let (Some(first), Some(last)) = (first_month(&series), last_month(&series)) else {
            continue;
        };
        let slug = crate::harmonise::label::slug(area);
        let labels = chart::Labels {
            title: format!("{area}: monthly counts by crime type, {first} to {last}"),
            subtitle: "Each panel on its own scale; anti-social behaviour incidents are not recorded crime".into(),
            source: format!("Source: {}.", publishers(data, area)),
        };
        let figure = trend::monthly_panels(&series, &labels)?;
        artefacts.push(Artefact::new(
            format!("charts/trend-{slug}.svg"),
            figure.svg.clone(),
        ));
        artefacts.push(Artefact::new(
            format!("charts/trend-{slug}.png"),
            figure.png,
        ));
        let (header, rows) = table::monthly_rows(&series);
        artefacts.push(Artefact::new(
            format!("reports/tables/monthly-{slug}.csv"),
            table::monthly_csv(area, &series),
        ));
        views.push(report::TrendView {
            area: area.clone(),
            chart: report::ChartView {
                title: labels.title,
                source: labels.source,
                svg: figure.svg,
                svg_path: format!("../charts/trend-{slug}.svg"),
            },
            header,
            rows,
        });
    }
    Ok(views)
}

fn first_month(series: &[stats::trend::Series]) -> Option<crate::harmonise::Month> {
    series
        .iter()
        .filter_map(|s| s.points.first().map(|p| p.month))
        .min()
}

fn last_month(series: &[stats::trend::Series]) -> Option<crate::harmonise::Month> {
    series
        .iter()
        .filter_map(|s| s.points.last().map(|p| p.month))
        .max()
}

/// The publishers of the inputs that hold `area`'s figures.
fn publishers(data: &Dataset, area: &str) -> String {
    let used: Vec<usize> = data
        .observations
        .iter()
        .filter(|o| o.area == area)
        .map(|o| o.input)
        .collect();
    source_line(data, &used)
        .trim_start_matches("Source: ")
        .trim_end_matches('.')
        .to_string()
}

/// A chart title that states the outcome's finding.
fn outcome_title(o: &outcomes::OutcomeSummary) -> String {
    let total = o.improving + o.worsening + o.no_change + o.not_assessable;
    format!(
        "{} of {total} indicators worsening, {} improving: data RAG {}",
        o.worsening,
        o.improving,
        o.data_rag.label()
    )
}

/// `Source: <publishers>`, naming each input's publisher (or its file when none is given).
fn source_line(data: &Dataset, used: &[usize]) -> String {
    let mut names: Vec<String> = Vec::new();
    for &i in used {
        let f = &data.inputs[i];
        let name = f.publisher.clone().unwrap_or_else(|| f.path.clone());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    format!("Source: {}.", names.join("; "))
}
