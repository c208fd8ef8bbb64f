//! A batch run's index: every area in one sortable, self-contained table (its headline change
//! with its test, its rate and where it falls in the national funnel, the data RAG of each
//! outcome where a framework applies, its warnings), each linking the area's own report; the
//! national funnel plot above it; the same as `index.csv`.

use serde::Serialize;

use crate::error::Result;
use crate::findings::{Finding, Severity};
use crate::outcomes::OutcomeAssessment;
use crate::render::format::{signed_pct, thousands};
use crate::render::table;
use crate::report::output::Artefact;
use crate::stats::Comparison;
use crate::stats::funnel::{Benchmarks, FunnelPoint};

/// What the index shows of one area that built.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub from_count: i64,
    pub to_count: i64,
    pub change: i64,
    pub pct: Option<f64>,
    pub significant: bool,
    /// `rise`, `fall` (significant after adjustment), `no significant change`, or why untested.
    pub test: String,
    pub partial: bool,
    /// Each outcome's id, title and data RAG.
    pub rags: Vec<Rag>,
    pub warnings: usize,
    pub point: Option<FunnelPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rag {
    pub id: String,
    pub title: String,
    pub key: String,
    pub label: String,
}

/// The index's view of an area's run.
pub fn headline(
    cmp: &Comparison,
    oa: Option<&OutcomeAssessment>,
    findings: &[Finding],
    benchmarks: Option<&Benchmarks>,
) -> Headline {
    let t = &cmp.total;
    let test = match (t.p_value, t.significant, t.change.signum()) {
        (None, _, _) => "not tested".to_string(),
        (Some(_), true, 1) => "rise".into(),
        (Some(_), true, -1) => "fall".into(),
        _ => "no significant change".into(),
    };
    let rags = oa.iter().flat_map(|oa| &oa.outcomes).map(|o| Rag {
        id: o.id.clone(),
        title: o.title.clone(),
        key: o.data_rag.key().into(),
        label: o.data_rag.label().into(),
    });
    Headline {
        from_count: t.from_count,
        to_count: t.to_count,
        change: t.change,
        pct: t.pct_change,
        significant: t.significant,
        test,
        partial: cmp.is_partial(),
        rags: rags.collect(),
        warnings: findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .count(),
        point: benchmarks.and_then(Benchmarks::own).cloned(),
    }
}

/// One area of the batch: its name, its folder's slug, and what its run gave.
pub struct Entry {
    pub area: String,
    pub slug: String,
    pub result: std::result::Result<Headline, String>,
}

/// What the whole batch compared, for the index's words.
pub struct Batch<'a> {
    pub title: String,
    pub from: String,
    pub to: String,
    pub per: f64,
    /// The national funnel (no area highlighted), when populations were given.
    pub national: Option<&'a Benchmarks>,
    pub generator: String,
    /// The formats the index's charts are drawn to.
    pub formats: crate::render::chart::Formats,
}

/// The columns of `index.csv`.
pub const COLUMNS: [&str; 14] = [
    "area",
    "folder",
    "status",
    "from_count",
    "to_count",
    "change",
    "pct_change",
    "test",
    "partial",
    "rate",
    "benchmark",
    "position",
    "outcomes",
    "warnings",
];

/// `index.html`, `index.csv` and the national funnel plot's files.
pub fn build(entries: &[Entry], b: &Batch) -> Result<Vec<Artefact>> {
    let mut artefacts = Vec::new();
    let funnel = match b.national {
        Some(n) => Some(national_funnel(n, b.formats, &mut artefacts)?),
        None => None,
    };
    let rows: Vec<Vec<String>> = entries.iter().map(csv_row).collect();
    artefacts.push(Artefact::new("index.csv", table::csv_of(&COLUMNS, &rows)));
    let page = Page {
        title: b.title.clone(),
        generator: b.generator.clone(),
        from: b.from.clone(),
        to: b.to.clone(),
        per: thousands(b.per as i64),
        intro: format!(
            "Each area's evidence base was built from the same ingest of every source, in its own folder under areas/. An area whose data could not be used failed alone and is listed with why. {}",
            if b.national.is_some() {
                "The funnel plot and the rates compare each area with all of them, per resident: counts alone are no fair comparison."
            } else {
                "No population was given, so no area has a rate: add a population table (ONS mid-year estimates by local authority or LSOA) for the funnel plot."
            }
        ),
        header: HEADER
            .iter()
            .map(|(name, numeric)| Column {
                name,
                numeric: *numeric,
            })
            .collect(),
        failed: entries.iter().filter(|e| e.result.is_err()).count(),
        areas: entries.iter().map(row_view).collect(),
        funnel,
    };
    artefacts.push(Artefact::new(
        "index.html",
        crate::report::render("index.html", &page)?,
    ));
    Ok(artefacts)
}

const HEADER: [(&str, bool); 10] = [
    ("Area", false),
    ("Earlier", true),
    ("Later", true),
    ("Change", true),
    ("% change", true),
    ("Test", false),
    ("Rate", true),
    ("Against the benchmark", false),
    ("Outcomes (data RAG)", true),
    ("Warnings", true),
];

#[derive(Serialize)]
struct Page {
    title: String,
    generator: String,
    from: String,
    to: String,
    per: String,
    intro: String,
    header: Vec<Column>,
    failed: usize,
    areas: Vec<RowView>,
    funnel: Option<FunnelView>,
}

#[derive(Serialize)]
struct Column {
    name: &'static str,
    numeric: bool,
}

#[derive(Serialize)]
struct FunnelView {
    svg: String,
    title: String,
    subtitle: String,
}

#[derive(Serialize, Default)]
struct RowView {
    area: String,
    link: String,
    error: Option<String>,
    from_count: i64,
    to_count: i64,
    change: i64,
    pct: Option<f64>,
    from_shown: String,
    to_shown: String,
    change_shown: String,
    pct_shown: String,
    test: String,
    significant: bool,
    rate: Option<f64>,
    rate_shown: String,
    position: String,
    rags: Vec<Rag>,
    warnings: usize,
}

fn row_view(e: &Entry) -> RowView {
    // A slug is `[a-z0-9-]` only, so the link needs no escaping (the template marks it safe).
    let link = format!("areas/{}/reports/evidence-base.html", e.slug);
    let h = match &e.result {
        Err(why) => {
            return RowView {
                area: e.area.clone(),
                link,
                error: Some(why.clone()),
                ..RowView::default()
            };
        }
        Ok(h) => h,
    };
    let partial = if h.partial { " (partial)" } else { "" };
    RowView {
        area: e.area.clone(),
        link,
        error: None,
        from_count: h.from_count,
        to_count: h.to_count,
        change: h.change,
        pct: h.pct,
        from_shown: thousands(h.from_count),
        to_shown: format!("{}{partial}", thousands(h.to_count)),
        change_shown: format!("{:+}", h.change),
        pct_shown: signed_pct(h.pct),
        test: h.test.clone(),
        significant: h.significant,
        rate: h.point.as_ref().map(|p| p.rate),
        rate_shown: h
            .point
            .as_ref()
            .map_or("[x]".into(), |p| format!("{:.1}", p.rate)),
        position: h
            .point
            .as_ref()
            .map_or("no population".into(), |p| p.position.describe().into()),
        rags: h.rags.clone(),
        warnings: h.warnings,
    }
}

fn csv_row(e: &Entry) -> Vec<String> {
    let folder = format!("areas/{}", e.slug);
    let h = match &e.result {
        Err(why) => {
            let mut row = vec![e.area.clone(), folder, format!("failed: {why}")];
            row.extend(std::iter::repeat_n(String::new(), COLUMNS.len() - 3));
            return row;
        }
        Ok(h) => h,
    };
    let p = h.point.as_ref();
    let rags: Vec<String> = h
        .rags
        .iter()
        .map(|r| format!("{}={}", r.id, r.key))
        .collect();
    vec![
        e.area.clone(),
        folder,
        "ok".into(),
        h.from_count.to_string(),
        h.to_count.to_string(),
        h.change.to_string(),
        h.pct.map_or(String::new(), |v| format!("{v:.1}")),
        h.test.clone(),
        h.partial.to_string(),
        p.map_or(String::new(), |p| format!("{:.3}", p.rate)),
        p.map_or(String::new(), |p| format!("{:.3}", p.benchmark)),
        p.map_or(String::new(), |p| p.position.describe().into()),
        rags.join(" "),
        h.warnings.to_string(),
    ]
}

fn national_funnel(
    n: &Benchmarks,
    formats: crate::render::chart::Formats,
    artefacts: &mut Vec<Artefact>,
) -> Result<FunnelView> {
    use crate::render::funnel::{Funnel, funnel_plot};
    let pops = n.national.iter().map(|p| p.population);
    let range = pops.fold((f64::MAX, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let theta = n.national.first().map_or(0.0, |p| p.benchmark / n.per);
    let curves = crate::stats::funnel::curves(theta, n.per, (range.0 * 0.8, range.1 * 1.25), 80);
    let outside = n
        .national
        .iter()
        .filter(|p| p.position.is_outside())
        .count();
    let labels = crate::render::chart::Labels {
        title: format!(
            "{outside} of {} areas are outside the 95% limits",
            n.national.len()
        ),
        subtitle: format!(
            "Crimes per {} {}, {}: every point an area; lines the benchmark, 95% and 99.8% limits",
            thousands(n.per as i64),
            n.denominator,
            n.period
        ),
        source: "Source: the batch's sources; see each area's report.".into(),
    };
    let funnel = Funnel {
        points: &n.national,
        curves: &curves,
        highlight: None,
        per: n.per,
    };
    let figure = funnel_plot(&funnel, &labels, formats)?;
    let name = format!("charts/funnel-national-{}", n.period.slug());
    artefacts.push(Artefact::new(format!("{name}.svg"), figure.svg.clone()));
    if let Some(png) = figure.png {
        artefacts.push(Artefact::new(format!("{name}.png"), png));
    }
    Ok(FunnelView {
        svg: figure.svg,
        title: labels.title,
        subtitle: labels.subtitle,
    })
}
