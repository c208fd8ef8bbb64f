//! Report: the evidence base as one serialisable view-model, filled into templates (HTML and
//! Markdown), and the manifest that lists every artefact with the inputs it came from.
//!
//! Numbers arrive here already computed (stats) and formatted (render); this module only places
//! them. The view-model can be written as JSON for debugging.

pub mod appendix;
pub mod artefacts;
pub mod benchmarks;
pub mod index;
pub mod justice;
pub mod manifest;
pub mod narrative;
pub mod output;
pub mod place;
mod place_maps;
mod searches;
pub mod sources;

use minijinja::Environment;
use serde::Serialize;

use crate::error::{Error, Result};

use crate::findings::Finding;
use crate::model::InputFile;
use crate::outcomes::OutcomeAssessment;
use crate::render::table::{DisplayRow, confidence_label, display_rows, markdown_escape};
use crate::stats::Comparison;

/// A chart as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub title: String,
    pub source: String,
    /// The SVG markup, inlined into the HTML (plotters escapes its text).
    pub svg: String,
    /// Where the SVG file is, relative to the report.
    pub svg_path: String,
}

/// Everything the report templates show.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub title: String,
    pub generator: String,
    /// The executive summary at the top of the report and on the appendix's cover.
    pub summary: crate::render::summary::Summary,
    /// The report's sections in order, for its table of contents.
    pub contents: Vec<ContentsEntry>,
    pub area: String,
    pub from: String,
    pub to: String,
    pub headline: String,
    pub alpha: f64,
    /// What the tests rest on: the test used, and the adjustment for many tests.
    pub test_note: String,
    pub confidence: String,
    pub small_numbers: i64,
    pub rows: Vec<DisplayRow>,
    /// The total's row (also in `rows`), for the narrative.
    pub total: DisplayRow,
    /// The analyst's narrative, filled with this run's numbers (`[report] narrative`).
    pub narrative: Option<narrative::Narrative>,
    pub chart: ChartView,
    pub findings: Vec<Finding>,
    pub sources: Vec<InputFile>,
    pub outcomes: Option<OutcomesView>,
    /// Monthly trends, one per area with monthly data.
    pub trends: Vec<TrendView>,
    /// Sections of several parts: where crime concentrates (when the sources hold points), what
    /// happens after a crime and stop and search (when they hold the archive's outcome and
    /// stop-and-search files).
    pub topics: Vec<TopicView>,
    /// Further figures on the comparison (percentage change, shares by group).
    pub figures: Vec<FigureView>,
    /// One-table sections: rates, peers, partner data.
    pub sections: Vec<crate::render::sections::Section>,
    /// The tables the Markdown report shows as they are (already Markdown).
    pub tables: Tables,
}

/// Tables rendered once, for the Markdown report and `reports/tables/`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tables {
    /// The comparison (`reports/tables/<stem>.md`).
    pub comparison: String,
    /// One row per outcome; empty without a framework.
    pub outcomes: String,
}

/// A section of the report: its heading, its HTML id and its Markdown anchor (as GitHub and
/// most Markdown renderers make one from the heading).
#[derive(Debug, Clone, Serialize)]
pub struct ContentsEntry {
    pub heading: String,
    pub id: String,
    pub anchor: String,
}

impl ContentsEntry {
    fn new(heading: impl Into<String>, id: impl Into<String>) -> ContentsEntry {
        let heading = heading.into();
        let anchor = anchor(&heading);
        ContentsEntry {
            heading,
            id: id.into(),
            anchor,
        }
    }
}

/// A heading's Markdown anchor: lower case, punctuation dropped, spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The report's sections in the order the templates show them.
pub fn contents(ctx: &Context) -> Vec<ContentsEntry> {
    let mut out = vec![ContentsEntry::new("Summary", "summary")];
    if ctx.narrative.is_some() {
        out.push(ContentsEntry::new(
            "The partnership's assessment",
            "assessment",
        ));
    }
    if ctx.outcomes.is_some() {
        out.push(ContentsEntry::new(
            "Which outcomes do the numbers support?",
            "outcomes",
        ));
    }
    let heading = format!("Recorded crime, {} and {}", ctx.from, ctx.to);
    out.push(ContentsEntry::new(heading, "comparison"));
    for (i, t) in ctx.trends.iter().enumerate() {
        let heading = format!("Monthly trends: {}", t.area);
        out.push(ContentsEntry::new(heading, format!("trend-{}", i + 1)));
    }
    for t in &ctx.topics {
        out.push(ContentsEntry::new(t.heading.clone(), t.id.clone()));
    }
    for s in &ctx.sections {
        out.push(ContentsEntry::new(s.heading.clone(), s.id.clone()));
    }
    out.push(ContentsEntry::new("Data-quality findings", "findings"));
    out.push(ContentsEntry::new("Sources and provenance", "provenance"));
    out
}

/// A section of several parts as the templates show it: paragraphs, figures, notes, and tables
/// that are also sheets of the appendix.
#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub id: String,
    pub heading: String,
    pub intro: String,
    pub paragraphs: Vec<String>,
    pub figures: Vec<FigureView>,
    pub notes: Vec<String>,
    pub tables: Vec<crate::render::sections::Section>,
}

/// A figure with its own heading and a sentence on how to read it.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub heading: String,
    pub caption: String,
    pub chart: ChartView,
}

/// An area's monthly trend: the chart and the monthly table (months down, categories across).
#[derive(Debug, Clone, Serialize)]
pub struct TrendView {
    pub area: String,
    pub chart: ChartView,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The outcome section: which outcomes the numbers support.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomesView {
    pub plan: String,
    pub framework: String,
    pub activity_report: Option<String>,
    pub panels: Vec<OutcomePanel>,
    /// One row per indicator: its verdict, SPC variation and assurance, with icons.
    pub glance: Vec<GlanceRow>,
}

/// An indicator at a glance: year-on-year verdict, latest SPC variation and assurance, each as
/// an icon (inline SVG, named for screen readers) and in words.
#[derive(Debug, Clone, Serialize)]
pub struct GlanceRow {
    pub outcome: String,
    pub indicator: String,
    pub verdict: String,
    pub verdict_icon: String,
    /// E.g. "special cause, concerning (high) since 2016-09 (City of London Police, to 2017-06)".
    pub variation: String,
    pub variation_icon: String,
    pub assurance: String,
    pub assurance_icon: String,
}

/// The SPC state of an assessed indicator, where a monthly series measures it.
fn spc_of<'a>(
    spc: &'a [crate::stats::spc::IndicatorSpc],
    a: &crate::outcomes::Assessment,
) -> Option<&'a crate::stats::spc::IndicatorSpc> {
    spc.iter()
        .find(|s| s.outcome == a.outcome && s.indicator == a.indicator)
}

/// An indicator's reason with what its monthly series says: "...; SPC: special cause,
/// concerning (high) since 2016-09".
fn reason_with_spc(
    a: &crate::outcomes::Assessment,
    spc: &[crate::stats::spc::IndicatorSpc],
) -> String {
    let reason = crate::render::reason::reason_text(a);
    match spc_of(spc, a) {
        Some(s) => {
            let m = &s.summary;
            let words = crate::render::icons::variation_words(m.variation, m.cause);
            let of = if crate::model::same_name(&s.series, &a.indicator) {
                String::new()
            } else {
                format!(" of {}", s.series)
            };
            format!("{reason}; SPC{of}: {words} since {}", m.since)
        }
        None => reason,
    }
}

/// The at-a-glance rows, in framework order.
fn glance_rows(oa: &OutcomeAssessment, spc: &[crate::stats::spc::IndicatorSpc]) -> Vec<GlanceRow> {
    use crate::render::icons;
    let title = |id: &str| {
        oa.outcomes
            .iter()
            .find(|o| o.id == id)
            .map_or(id.to_string(), |o| o.title.clone())
    };
    oa.indicators
        .iter()
        .map(|a| {
            let found = spc_of(spc, a);
            let (variation, variation_icon, assurance, assurance_icon) = match found {
                Some(s) => {
                    let m = &s.summary;
                    let words = icons::variation_words(m.variation, m.cause);
                    let series = if crate::model::same_name(&s.series, &a.indicator) {
                        String::new()
                    } else {
                        format!("measured as {}, ", s.series)
                    };
                    (
                        format!(
                            "{words} since {} ({series}{}, to {})",
                            m.since, s.area, m.latest
                        ),
                        icons::variation_icon(m.variation, m.cause),
                        icons::assurance_words(m.assurance).to_string(),
                        m.assurance.map(icons::assurance_icon).unwrap_or_default(),
                    )
                }
                None => (
                    "no monthly series".to_string(),
                    String::new(),
                    icons::assurance_words(None).to_string(),
                    String::new(),
                ),
            };
            GlanceRow {
                outcome: title(&a.outcome),
                indicator: a.indicator.clone(),
                verdict: a.verdict.label().to_string(),
                verdict_icon: icons::verdict_icon(a.verdict),
                variation,
                variation_icon,
                assurance,
                assurance_icon,
            }
        })
        .collect()
}

/// One outcome: its data RAG and why, its indicators, and the activity RAG beside it.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomePanel {
    pub id: String,
    pub title: String,
    /// The outcome's finding in one sentence (see `render::outcomes::finding_title`).
    pub finding: String,
    pub data_rag: String,
    /// `green`, `amber`, `red` or `none`, for styles.
    pub data_rag_key: String,
    pub improving: usize,
    pub worsening: usize,
    pub no_change: usize,
    pub not_assessable: usize,
    pub drivers: String,
    pub activity_rag: String,
    pub activity_detail: String,
    pub chart: ChartView,
    pub indicators: Vec<IndicatorView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub indicator: String,
    pub direction: String,
    pub verdict: String,
    pub reason: String,
}

/// The outcome section from an assessment, one chart per outcome (in outcome order) and the
/// indicators' SPC states.
pub fn outcomes_view(
    oa: &OutcomeAssessment,
    charts: Vec<ChartView>,
    spc: &[crate::stats::spc::IndicatorSpc],
) -> OutcomesView {
    let panels = oa
        .outcomes
        .iter()
        .zip(charts)
        .map(|(o, chart)| OutcomePanel {
            id: o.id.clone(),
            title: o.title.clone(),
            finding: crate::render::outcomes::finding_title(o, &mine(oa, &o.id)),
            data_rag: o.data_rag.label().to_string(),
            data_rag_key: o.data_rag.key().to_string(),
            improving: o.improving,
            worsening: o.worsening,
            no_change: o.no_change,
            not_assessable: o.not_assessable,
            drivers: o.drivers.join(", "),
            activity_rag: o.activity_rag.clone().unwrap_or_else(|| "none".into()),
            activity_detail: o.activity_detail.to_string(),
            chart,
            indicators: oa
                .indicators
                .iter()
                .filter(|a| a.outcome == o.id)
                .map(|a| IndicatorView {
                    indicator: a.indicator.clone(),
                    direction: format!("{:?}", a.direction).to_lowercase(),
                    verdict: a.verdict.label().to_string(),
                    reason: reason_with_spc(a, spc),
                })
                .collect(),
        })
        .collect();
    OutcomesView {
        plan: oa.plan.clone(),
        framework: oa.framework.clone(),
        activity_report: oa.activity_report.clone(),
        panels,
        glance: glance_rows(oa, spc),
    }
}

/// The indicators of outcome `id`.
fn mine<'a>(oa: &'a OutcomeAssessment, id: &str) -> Vec<&'a crate::outcomes::Assessment> {
    oa.indicators.iter().filter(|a| a.outcome == id).collect()
}

/// The view-model's comparison part; [`artefacts::build`] fills in the rest before any template
/// runs.
pub fn context(
    title: &str,
    cmp: &Comparison,
    chart: ChartView,
    findings: &[Finding],
    sources: &[InputFile],
) -> Context {
    Context {
        title: title.to_string(),
        generator: crate::model::GENERATOR.to_string(),
        summary: Default::default(),
        contents: Vec::new(),
        area: cmp.area.clone(),
        from: cmp.from.to_string(),
        to: cmp.to.to_string(),
        headline: format!("{}.", chart.title),
        alpha: cmp.alpha,
        test_note: crate::render::table::test_note(cmp),
        confidence: confidence_label(cmp.alpha),
        small_numbers: cmp.small_numbers,
        rows: display_rows(cmp),
        total: crate::render::table::display_row(&cmp.total, cmp),
        narrative: None,
        chart,
        findings: findings.to_vec(),
        sources: sources.to_vec(),
        outcomes: None,
        trends: Vec::new(),
        topics: Vec::new(),
        figures: Vec::new(),
        sections: Vec::new(),
        tables: Tables::default(),
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_filter("md", |s: String| markdown_escape(&s));
    for (name, source) in [
        (
            "evidence-base.html",
            include_str!("../../templates/evidence-base.html"),
        ),
        (
            "evidence-base.md",
            include_str!("../../templates/evidence-base.md"),
        ),
        ("index.html", include_str!("../../templates/index.html")),
    ] {
        env.add_template(name, source)
            .expect("the bundled templates parse");
    }
    env
}

/// Fills the bundled template `name` (`evidence-base.html` or `evidence-base.md`) from `page`: a
/// [`Context`], or its `--dump-context` JSON read back, which renders the same.
pub fn render(name: &str, page: impl Serialize) -> Result<String> {
    environment()
        .get_template(name)
        .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(page))))
        .map_err(|e| Error::Render {
            what: format!("template {name}"),
            message: e.to_string(),
        })
}

/// The self-contained HTML report: inline CSS and SVG, nothing fetched. Every data-derived string
/// is HTML-escaped by the template engine.
pub fn html(ctx: &Context) -> Result<String> {
    render("evidence-base.html", ctx)
}

/// The Markdown report, for reading in a repository.
pub fn markdown(ctx: &Context) -> Result<String> {
    render("evidence-base.md", ctx)
}
