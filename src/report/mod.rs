//! Report: the evidence base as one serialisable view-model, filled into templates (HTML and
//! Markdown), and the manifest that lists every artefact with the inputs it came from.
//!
//! Numbers arrive here already computed (stats) and formatted (render); this module only places
//! them. The view-model can be written as JSON for debugging.

pub mod manifest;

use minijinja::Environment;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::model::InputFile;
use crate::render::table::{DisplayRow, confidence_label, display_rows, markdown_escape};
use crate::stats::Comparison;

/// A chart as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub title: String,
    pub source: String,
    /// The SVG markup, inlined into the HTML (plotters escapes its text).
    #[serde(skip)]
    pub svg: String,
    /// Where the SVG file is, relative to the report.
    pub svg_path: String,
}

/// Everything the report templates show.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub title: String,
    pub generator: String,
    pub area: String,
    pub from: String,
    pub to: String,
    pub headline: String,
    pub alpha: f64,
    pub confidence: String,
    pub small_numbers: i64,
    pub rows: Vec<DisplayRow>,
    pub chart: ChartView,
    pub findings: Vec<Finding>,
    pub sources: Vec<InputFile>,
}

/// Builds the view-model for a comparison.
pub fn context(
    title: &str,
    cmp: &Comparison,
    chart: ChartView,
    findings: &[Finding],
    sources: &[InputFile],
) -> Context {
    Context {
        title: title.to_string(),
        generator: crate::GENERATOR.to_string(),
        area: cmp.area.clone(),
        from: cmp.from.to_string(),
        to: cmp.to.to_string(),
        headline: format!("{}.", chart.title),
        alpha: cmp.alpha,
        confidence: confidence_label(cmp.alpha),
        small_numbers: cmp.small_numbers,
        rows: display_rows(cmp),
        chart,
        findings: findings.to_vec(),
        sources: sources.to_vec(),
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
    ] {
        env.add_template(name, source)
            .expect("the bundled templates parse");
    }
    env
}

fn render(name: &str, page: impl Serialize) -> Result<String> {
    environment()
        .get_template(name)
        .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(page))))
        .map_err(|e| Error::Render {
            what: format!("template {name}"),
            message: e.to_string(),
        })
}

/// What a template sees: the view-model plus the pieces that are markup already.
#[derive(Serialize)]
struct Page<'a> {
    #[serde(flatten)]
    ctx: &'a Context,
    chart_svg: &'a str,
    table: &'a str,
}

/// The self-contained HTML report: inline CSS and SVG, nothing fetched. Every data-derived string
/// is HTML-escaped by the template engine.
pub fn html(ctx: &Context) -> Result<String> {
    let page = Page {
        ctx,
        chart_svg: &ctx.chart.svg,
        table: "",
    };
    render("evidence-base.html", page)
}

/// The Markdown report, for reading in a repository; `table` is the comparison table already in
/// Markdown.
pub fn markdown(ctx: &Context, table: &str) -> Result<String> {
    let page = Page {
        ctx,
        chart_svg: "",
        table,
    };
    render("evidence-base.md", page)
}
