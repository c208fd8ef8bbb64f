//! Every artefact of a run, assembled: paths, chart titles, tables, the workbook, the view-model
//! (built once, whole, before any template runs) and the manifest last.
//!
//! Everything arrives computed ([`Evidence`]); this module only names, draws and places it.

use crate::error::Result;
use crate::findings::Finding;
use crate::model::{Dataset, Month};
use crate::outcomes::OutcomeAssessment;
use crate::render::sections::{self, Section};
use crate::render::{chart, outcomes as outcome_table, reconciliation, table, trend};
use crate::report::output::Artefact;
use crate::report::{
    self, ChartView, Context, FigureView, Tables, TrendView, appendix, manifest, sources,
};
use crate::stats::peers::PeerRow;
use crate::stats::rates::RateRow;
use crate::stats::shares::Share;
use crate::stats::{Comparison, trend as series};

/// What a run computed, ready to be shown.
pub struct Evidence<'a> {
    pub data: &'a Dataset,
    pub cmp: &'a Comparison,
    pub outcomes: Option<&'a OutcomeAssessment>,
    pub findings: &'a [Finding],
    /// Rates for the later period, per each denominator known for the area (none: no section).
    pub rates: Vec<RateRow>,
    /// The area beside its peers (none configured: no section).
    pub peers: Vec<PeerRow>,
    /// Each offence group's share, and acquisitive crime's share of the later period, when the
    /// share chart is asked for.
    pub shares: Option<(Vec<Share>, f64)>,
    /// Every monthly series' XmR chart, and each indicator's latest SPC state.
    pub spc: crate::stats::spc::SpcEvidence,
    /// Each area's long view (trend and season), the compared area first.
    pub long: Vec<sections::AreaViews>,
    /// Where crime concentrates, when the sources hold street points.
    pub place: Option<crate::stats::place::PlaceEvidence>,
    /// What happens after a crime and stop and search, when the sources hold an archive's
    /// outcome and stop-and-search files.
    pub justice: Option<crate::stats::justice_evidence::JusticeEvidence>,
    /// The area's rate beside every area's and its family's, in a batch run.
    pub benchmarks: Option<crate::stats::funnel::Benchmarks>,
    /// The formats the charts are drawn to.
    pub formats: chart::Formats,
}

/// How the report is titled and labelled: the report stage's own settings.
pub struct Settings<'a> {
    pub title: &'a str,
    /// The config file's name, for the manifest.
    pub config_file: Option<&'a str>,
    /// Rates are per this many people.
    pub per: f64,
    pub peers_denominator: Option<&'a str>,
    /// The disclosure threshold of the sensitive sources, for the partner section's note.
    pub disclosure: Option<i64>,
    /// The appendix cover's publication date and contact, as the config gives them.
    pub published: Option<&'a str>,
    pub contact: Option<&'a str>,
    /// The analyst's narrative: its text and its path as the config names it.
    pub narrative: Option<(&'a str, &'a str)>,
}

/// Every artefact of a run (the manifest last), and the report's view-model.
pub fn build(ev: &Evidence, s: &Settings) -> Result<(Vec<Artefact>, Context)> {
    let cmp = ev.cmp;
    let stem = format!("yoy-{}-to-{}", cmp.from.slug(), cmp.to.slug());
    let source = format!("Source: {}.", sources::line(ev.data, &cmp.inputs));
    let mut artefacts = Vec::new();
    let outcomes = match ev.outcomes {
        Some(oa) => Some(outcome_artefacts(oa, ev, &source, &stem, &mut artefacts)?),
        None => None,
    };
    let trends = trend_artefacts(ev.data, &ev.spc.series, ev.formats, &mut artefacts)?;
    artefacts.push(Artefact::new(
        "reports/reconciliation.csv",
        reconciliation::csv(ev.data),
    ));
    let sections = table_sections(ev, s, &stem, &mut artefacts);
    let topics = topic_views(ev, &mut artefacts)?;
    let summary = crate::render::summary::summary(cmp, ev.outcomes, ev.findings);
    // The appendix: every table section, the topics' tables last (earlier numbers stay put).
    let mut all = sections.clone();
    all.extend(topics.iter().flat_map(|p| p.tables.iter().cloned()));
    let workbook = appendix_workbook(ev, s, &summary, &all)?;
    artefacts.push(Artefact::new("reports/data-appendix.xlsx", workbook));
    if !ev.data.quality.is_empty() {
        artefacts.push(Artefact::new(
            "reports/data-quality.csv",
            reconciliation::quality_csv(ev.data),
        ));
    }
    let figures = comparison_figures(ev, &source, &stem, &mut artefacts)?;
    let chart = comparison_chart(ev, &source, &stem, &mut artefacts)?;
    let tables = Tables {
        comparison: table::comparison_markdown(cmp),
        outcomes: ev
            .outcomes
            .map(|oa| outcome_table::markdown_table(oa, false))
            .unwrap_or_default(),
    };
    let mut ctx = Context {
        trends,
        topics,
        sections,
        figures,
        tables,
        outcomes,
        summary,
        ..report::context(s.title, cmp, chart, ev.findings, &ev.data.inputs)
    };
    if let Some((text, file)) = s.narrative {
        ctx.narrative = Some(report::narrative::render(text, file, &ctx)?);
    }
    ctx.contents = report::contents(&ctx);
    comparison_tables(cmp, &source, &stem, &ctx, &mut artefacts)?;
    let mut manifest = manifest::build(s.config_file, &ev.data.inputs, &artefacts, &used(ev));
    manifest.narrative = ctx.narrative.as_ref().map(manifest::narrative);
    let json = serde_json::to_string_pretty(&manifest).expect("the manifest serialises") + "\n";
    artefacts.push(Artefact::new("reports/manifest.json", json));
    Ok((artefacts, ctx))
}

/// A chart's SVG and (where drawn) PNG as `charts/<name>.svg|png`, and the chart as the report
/// shows it.
pub(crate) fn chart_artefact(
    name: &str,
    labels: chart::Labels,
    figure: chart::Figure,
    artefacts: &mut Vec<Artefact>,
) -> ChartView {
    artefacts.push(Artefact::new(
        format!("charts/{name}.svg"),
        figure.svg.clone(),
    ));
    if let Some(png) = figure.png {
        artefacts.push(Artefact::new(format!("charts/{name}.png"), png));
    }
    ChartView {
        title: labels.title,
        source: labels.source,
        svg: figure.svg,
        svg_path: format!("../charts/{name}.svg"),
    }
}

/// The headline chart: each category's count in both periods.
fn comparison_chart(
    ev: &Evidence,
    source: &str,
    stem: &str,
    artefacts: &mut Vec<Artefact>,
) -> Result<ChartView> {
    let cmp = ev.cmp;
    let labels = chart::Labels {
        title: chart::comparison_title(cmp, &format!("Recorded crime in {}", cmp.area)),
        subtitle: format!("Recorded crimes by category, {} and {}", cmp.from, cmp.to),
        source: source.to_string(),
    };
    let figure = chart::comparison_bars(cmp, &labels, ev.formats)?;
    Ok(chart_artefact(stem, labels, figure, artefacts))
}

/// The comparison as CSV, Markdown and HTML tables, then the two reports.
fn comparison_tables(
    cmp: &Comparison,
    source: &str,
    stem: &str,
    ctx: &Context,
    artefacts: &mut Vec<Artefact>,
) -> Result<()> {
    artefacts.extend([
        Artefact::new(
            format!("reports/tables/{stem}.csv"),
            table::comparison_csv(cmp),
        ),
        Artefact::new(
            format!("reports/tables/{stem}.md"),
            ctx.tables.comparison.clone(),
        ),
        Artefact::new(
            format!("reports/tables/{stem}.html"),
            table::html::comparison_html(cmp, source),
        ),
        Artefact::new("reports/evidence-base.html", report::html(ctx)?),
        Artefact::new("reports/evidence-base.md", report::markdown(ctx)?),
    ]);
    Ok(())
}

/// The inputs every artefact draws on: the compared sources, the framework (when outcomes are
/// assessed) and the partner and population tables the report's sections show.
fn used(ev: &Evidence) -> Vec<usize> {
    let shown_apart = ev.data.inputs.iter().enumerate().filter(|(_, f)| {
        f.periods.is_empty() || matches!(f.kind.as_str(), "partner" | "population")
    });
    let mut used: Vec<usize> = ev
        .cmp
        .inputs
        .iter()
        .copied()
        .chain(shown_apart.map(|(i, _)| i))
        .collect();
    used.sort_unstable();
    used.dedup();
    used
}

/// The outcome tables and one chart per outcome; returns the report's outcome section.
fn outcome_artefacts(
    oa: &OutcomeAssessment,
    ev: &Evidence,
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
        let mine: Vec<_> = oa.indicators.iter().filter(|a| a.outcome == o.id).collect();
        let labels = chart::Labels {
            title: outcome_table::finding_title(o, &mine),
            subtitle: format!(
                "{}: percentage change in each indicator, {} to {}",
                o.title, ev.cmp.from, ev.cmp.to
            ),
            source: source.to_string(),
        };
        let figure = chart::outcome_panel(&bars, &labels, ev.formats)?;
        let name = format!("outcome-{}-{stem}", o.id);
        charts.push(chart_artefact(&name, labels, figure, artefacts));
    }
    Ok(report::outcomes_view(oa, charts, &ev.spc.indicators))
}

/// The percentage-change chart and, when asked for, the share-of-total chart.
fn comparison_figures(
    ev: &Evidence,
    source: &str,
    stem: &str,
    artefacts: &mut Vec<Artefact>,
) -> Result<Vec<FigureView>> {
    let cmp = ev.cmp;
    // Categories that moved beyond chance, by the sign of their change (small numbers aside).
    let beyond = |sign: i64| {
        let moved = |r: &&crate::stats::Change| r.significant && !r.small_numbers;
        let rows = cmp.rows.iter().filter(moved);
        rows.filter(|r| r.change.signum() == sign).count()
    };
    let labels = chart::Labels {
        title: format!(
            "{} categories rose and {} fell beyond chance between {} and {}",
            beyond(1),
            beyond(-1),
            cmp.label(false),
            cmp.label(true)
        ),
        subtitle: format!(
            "Percentage change by category, {}; small-number categories shown pale",
            cmp.area
        ),
        source: source.to_string(),
    };
    let figure = chart::change_by_category(cmp, &labels, ev.formats)?;
    let mut figures = vec![FigureView {
        heading: "Percentage change by category".into(),
        caption: "Each bar is labelled with its change and whether it is beyond chance (exact test); categories resting on small numbers are pale and say so.".into(),
        chart: chart_artefact(&format!("change-{stem}"), labels, figure, artefacts),
    }];
    if let Some((shares, acquisitive)) = &ev.shares {
        figures.push(share_figure(
            shares,
            *acquisitive,
            ev,
            source,
            stem,
            artefacts,
        )?);
    }
    Ok(figures)
}

/// Each offence group's share of recorded crime.
fn share_figure(
    shares: &[Share],
    acquisitive: f64,
    ev: &Evidence,
    source: &str,
    stem: &str,
    artefacts: &mut Vec<Artefact>,
) -> Result<FigureView> {
    let (top, cmp) = (&shares[0], ev.cmp);
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
    let figure = chart::share_bars(shares, cmp, &labels, ev.formats)?;
    Ok(FigureView {
        heading: "Share of recorded crime by offence group".into(),
        caption: "Groups follow the Home Office offence classification; each category's subgroup and group are set in the taxonomy file.".into(),
        chart: chart_artefact(&format!("shares-{stem}"), labels, figure, artefacts),
    })
}

/// The xlsx data appendix: cover, contents, notes, then one table per sheet.
fn appendix_workbook(
    ev: &Evidence,
    s: &Settings,
    summary: &crate::render::summary::Summary,
    sections: &[Section],
) -> Result<Vec<u8>> {
    let source = sources::line(ev.data, &ev.cmp.inputs);
    let mut tables = vec![appendix::comparison(ev.cmp, &source)];
    if let Some(oa) = ev.outcomes {
        tables.extend(appendix::outcomes(oa, &source));
    }
    for area in ev.data.coverage.keys() {
        let n = tables.len() + 1;
        let series = series::monthly_series(ev.data, area);
        let source = sources::of_area(ev.data, area);
        tables.push(appendix::monthly(
            area,
            &series,
            &source,
            format!("Table_{n}"),
            n,
        ));
    }
    for section in sections {
        let n = tables.len() + 1;
        tables.push(section.appendix_table(format!("Table_{n}"), n));
    }
    let n = tables.len() + 1;
    tables.push(appendix::reconciliation(ev.data, format!("Table_{n}"), n));
    let publication = appendix::Publication {
        published: s.published.map(str::to_string),
        contact: s.contact.map(str::to_string),
        summary: summary_lines(summary),
    };
    let cover = appendix::cover(s.title, ev.cmp, sources::all(ev.data), publication);
    table::xlsx::workbook(&cover, &tables)
}

/// The executive summary as the cover's lines.
fn summary_lines(s: &crate::render::summary::Summary) -> Vec<String> {
    let mut lines = vec![s.headline.clone()];
    let listed = |label: &str, items: &[String]| -> Vec<String> {
        items.iter().map(|i| format!("{label}: {i}")).collect()
    };
    lines.extend(listed("Supported", &s.supported));
    lines.extend(listed("Not supported", &s.not_supported));
    lines.extend(listed("Cannot say", &s.cannot_say));
    lines.extend(listed("Largest change", &s.largest));
    lines.extend(listed("Warning", &s.warnings));
    lines
}

/// The one-table sections (rates, peers, partner data, long view), each with its CSV artefact.
fn table_sections(
    ev: &Evidence,
    s: &Settings,
    stem: &str,
    artefacts: &mut Vec<Artefact>,
) -> Vec<Section> {
    let (cmp, mut out) = (ev.cmp, Vec::new());
    if !ev.rates.is_empty() {
        artefacts.push(Artefact::new(
            format!("reports/tables/rates-{}.csv", cmp.to.slug()),
            table::csv_of(&crate::stats::rates::COLUMNS, &table::rate_rows(&ev.rates)),
        ));
        // A partial period is labelled through the comparison's own label.
        let confidence = table::confidence_label(cmp.alpha);
        let mut section = sections::rates(&ev.rates, &cmp.label(true), s.per, &confidence);
        let mut populations: Vec<&str> = ev.rates.iter().map(|r| r.source.as_str()).collect();
        populations.dedup();
        let crime = sources::line(ev.data, &cmp.inputs);
        section.source = format!("{crime}; populations: {}", populations.join("; "));
        out.push(section);
    }
    if !ev.peers.is_empty() {
        let (header, cells) = table::peer_rows(&ev.peers, s.per);
        artefacts.push(Artefact::new(
            format!("reports/tables/peers-{stem}.csv"),
            table::csv_of(&header, &cells),
        ));
        let (from, to) = (cmp.label(false), cmp.label(true));
        let mut section = sections::peers(&ev.peers, &from, &to, s.per, s.peers_denominator);
        let areas: Vec<&str> = ev.peers.iter().map(|p| p.area.as_str()).collect();
        section.source = sources::of_areas(ev.data, &areas);
        out.push(section);
    }
    let partner = &ev.data.partner;
    if !partner.is_empty() {
        artefacts.push(Artefact::new(
            "reports/tables/partner-data.csv",
            table::csv_of(&table::MEASURE_COLUMNS, &table::measure_rows(partner)),
        ));
        let mut section = sections::partner(partner, s.disclosure);
        section.source = sources::of_partner(ev.data);
        out.push(section);
    }
    out.extend(long_term_section(ev, artefacts));
    out
}

/// The sections of several parts: where, after the crime, stop and search (those the evidence
/// holds).
fn topic_views(ev: &Evidence, artefacts: &mut Vec<Artefact>) -> Result<Vec<report::TopicView>> {
    let mut topics: Vec<report::TopicView> = place_view(ev, artefacts)?.into_iter().collect();
    topics.extend(report::justice::views(ev.justice.as_ref(), ev, artefacts)?);
    if let Some(b) = &ev.benchmarks {
        let source = format!("Source: {}.", sources::line(ev.data, &ev.cmp.inputs));
        topics.push(report::benchmarks::view(b, &source, ev.formats, artefacts)?);
    }
    Ok(topics)
}

/// The "Where" section with its maps and tables.
fn place_view(ev: &Evidence, artefacts: &mut Vec<Artefact>) -> Result<Option<report::TopicView>> {
    let Some(p) = &ev.place else {
        return Ok(None);
    };
    let cx = (ev.cmp.area.as_str(), ev.cmp.alpha, ev.formats);
    report::place::build(p, ev.data, cx, artefacts).map(Some)
}

/// The long view of each area the report covers, with its CSV artefact (every category).
fn long_term_section(ev: &Evidence, artefacts: &mut Vec<Artefact>) -> Option<Section> {
    if ev.long.iter().all(|(_, views)| views.is_empty()) {
        return None;
    }
    let cells: Vec<Vec<String>> = ev
        .long
        .iter()
        .flat_map(|(area, views)| crate::render::spc::long_rows(area, views))
        .collect();
    artefacts.push(Artefact::new(
        "reports/tables/long-term.csv",
        table::csv_of(&crate::render::spc::LONG_COLUMNS, &cells),
    ));
    let confidence = table::confidence_label(ev.cmp.alpha);
    let mut section = sections::long_term(&ev.long, &confidence);
    let areas: Vec<&str> = ev.long.iter().map(|(a, _)| a.as_str()).collect();
    section.source = sources::of_areas(ev.data, &areas);
    Some(section)
}

/// One monthly trend chart and table per area with monthly data.
/// The XmR charts of `area`'s series.
fn mine<'a>(
    spc: &'a [crate::stats::spc::SeriesSpc],
    area: &str,
) -> Vec<&'a crate::stats::spc::SeriesSpc> {
    spc.iter().filter(|s| s.area == area).collect()
}

fn trend_artefacts(
    data: &Dataset,
    spc: &[crate::stats::spc::SeriesSpc],
    formats: chart::Formats,
    artefacts: &mut Vec<Artefact>,
) -> Result<Vec<TrendView>> {
    let mut views = Vec::new();
    for area in data.coverage.keys() {
        let series = series::monthly_series(data, area);
        let (Some(first), Some(last)) = (first_month(&series), last_month(&series)) else {
            continue;
        };
        let slug = crate::harmonise::label::slug(area);
        let labels = chart::Labels {
            title: trend::trend_title(area, &series),
            subtitle: format!(
                "Monthly counts by crime type, {first} to {last}; each panel on its own scale; anti-social behaviour incidents are not recorded crime"
            ),
            source: format!("Source: {}.", sources::of_area(data, area)),
        };
        let figure = trend::monthly_panels(&series, &labels, &mine(spc, area), formats)?;
        let chart = chart_artefact(&format!("trend-{slug}"), labels, figure, artefacts);
        let (header, rows) = table::monthly_rows(&series);
        artefacts.push(Artefact::new(
            format!("reports/tables/monthly-{slug}.csv"),
            table::monthly_csv(area, &series),
        ));
        views.push(TrendView {
            area: area.clone(),
            chart,
            header,
            rows,
        });
    }
    Ok(views)
}

fn first_month(series: &[series::Series]) -> Option<Month> {
    series
        .iter()
        .filter_map(|s| s.points.first().map(|p| p.month))
        .min()
}

fn last_month(series: &[series::Series]) -> Option<Month> {
    series
        .iter()
        .filter_map(|s| s.points.last().map(|p| p.month))
        .max()
}
