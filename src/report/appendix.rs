//! The data appendix's tables, from the run's results: the comparison, the outcomes and their
//! indicators, monthly counts per area, and the reconciliation of every input file.

use crate::model::{Dataset, RowCount};
use crate::outcomes::OutcomeAssessment;
use crate::render::table::note;
use crate::render::table::xlsx::{Cell, Cover, ONE_DP, P_VALUE, THREE_DP, Table};
use crate::stats::trend::Series;
use crate::stats::{Change, Comparison};

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn number(x: Option<f64>, format: &'static str) -> Cell {
    x.map_or(Cell::Unavailable, |x| Cell::Number(x, format))
}

fn comparison_row(c: &Change, cmp: &Comparison) -> Vec<Cell> {
    vec![
        text(c.category.as_str()),
        Cell::Count(c.from_count),
        Cell::Count(c.to_count),
        Cell::Count(c.change),
        number(c.pct_change, ONE_DP),
        number(c.p_value, P_VALUE),
        number(c.ci_low, THREE_DP),
        number(c.ci_high, THREE_DP),
        text(if c.significant { "yes" } else { "no" }),
        text(note(c, cmp)),
    ]
}

/// The comparison table; `source` names who published its figures.
pub fn comparison(cmp: &Comparison, source: &str) -> Table {
    let header = [
        "Category",
        &cmp.label(false),
        &cmp.label(true),
        "Change",
        "Percentage change",
        "p-value",
        "Ratio interval low",
        "Ratio interval high",
        "Significant",
        "Note",
    ];
    Table {
        sheet: "Table_1".into(),
        title: format!("Table 1: Recorded crime by category, {}, {} and {}", cmp.area, cmp.label(false), cmp.label(true)),
        description: "Counts, change, exact test and interval for each category, then the total (notes 4 and 5).".into(),
        source: source.to_string(),
        header: header.map(String::from).to_vec(),
        rows: cmp.rows.iter().chain([&cmp.total]).chain(&cmp.separate).map(|c| comparison_row(c, cmp)).collect(),
    }
}

/// The outcome summary and indicator tables; `source` names the counts' publishers.
pub fn outcomes(oa: &OutcomeAssessment, source: &str) -> [Table; 2] {
    let source = format!(
        "{} (outcomes and indicators, {}); counts: {source}",
        oa.plan, oa.framework
    );
    let summary = Table {
        sheet: "Table_2".into(),
        title: format!("Table 2: Outcomes of the {}, {} to {}: indicators by verdict", oa.plan, oa.from, oa.to),
        description: "Data RAG from the configured rule beside the partnership's own activity RAG; not assessable includes context-only indicators.".into(),
        source: source.clone(),
        header: ["Outcome", "Data RAG", "Improving", "Worsening", "No significant change", "Not assessable", "Activity RAG"].map(String::from).to_vec(),
        rows: oa
            .outcomes
            .iter()
            .map(|o| {
                let n = |v: usize| Cell::Count(v as i64);
                let activity = o.activity_rag.clone().map_or(Cell::Unavailable, Cell::Text);
                vec![text(&o.title), text(o.data_rag.label()), n(o.improving), n(o.worsening), n(o.no_change), n(o.not_assessable), activity]
            })
            .collect(),
    };
    let title_of = |id: &str| {
        oa.outcomes
            .iter()
            .find(|o| o.id == id)
            .map_or(id.to_string(), |o| o.title.clone())
    };
    let indicators = Table {
        sheet: "Table_3".into(),
        title: format!(
            "Table 3: Indicators of each outcome, {} to {}, with verdict and reason",
            oa.from, oa.to
        ),
        description: "One row per indicator of each outcome.".into(),
        source,
        header: [
            "Outcome",
            "Indicator",
            "Desired direction",
            "Earlier count",
            "Later count",
            "Percentage change",
            "p-value",
            "Verdict",
            "Reason",
        ]
        .map(String::from)
        .to_vec(),
        rows: oa
            .indicators
            .iter()
            .map(|a| {
                let c = a.change.as_ref();
                vec![
                    text(title_of(&a.outcome)),
                    text(&a.indicator),
                    text(format!("{:?}", a.direction).to_lowercase()),
                    c.map_or(Cell::Unavailable, |c| Cell::Count(c.from_count)),
                    c.map_or(Cell::Unavailable, |c| Cell::Count(c.to_count)),
                    number(c.and_then(|c| c.pct_change), ONE_DP),
                    number(c.and_then(|c| c.p_value), P_VALUE),
                    text(a.verdict.label()),
                    text(crate::render::reason::reason_text(a)),
                ]
            })
            .collect(),
    };
    [summary, indicators]
}

/// Monthly counts for one area: month down, categories across; `source`: their publishers.
pub fn monthly(area: &str, series: &[Series], source: &str, sheet: String, number: usize) -> Table {
    let (header, rows) = crate::render::table::monthly_rows(series);
    let rows = rows
        .into_iter()
        .map(|r| {
            let mut cells = vec![text(&r[0])];
            cells.extend(r[1..].iter().map(|c| match c.replace(',', "").parse() {
                Ok(n) => Cell::Count(n),
                Err(_) => Cell::Unavailable,
            }));
            cells
        })
        .collect();
    Table {
        sheet,
        title: format!("Table {number}: {area}, counts by month and crime type"),
        description: "Total crime excludes anti-social behaviour (note 6).".into(),
        source: source.to_string(),
        header,
        rows,
    }
}

/// The reconciliation: every input file's rows read, counted and rejected.
pub fn reconciliation(data: &Dataset, sheet: String, number: usize) -> Table {
    Table {
        sheet,
        title: format!(
            "Table {number}: Reconciliation of every input file (rows read = counted + rejected)"
        ),
        description:
            "Rejected rows, with their line and reason, are in reports/reconciliation.csv.".into(),
        source: format!(
            "{}, from every input file named here",
            crate::model::GENERATOR
        ),
        header: [
            "File",
            "Kind",
            "Digest",
            "Digest basis",
            "Rows read",
            "Rows counted",
            "Rows rejected",
        ]
        .map(String::from)
        .to_vec(),
        rows: data
            .inputs
            .iter()
            .map(|f| {
                let counts = f.published().map(|n| match n {
                    RowCount::Shown(v) => Cell::Count(v as i64),
                    withheld => text(withheld.to_string()),
                });
                let basis = crate::render::reconciliation::digest_basis(f.digest_basis);
                [text(&f.path), text(&f.kind), text(&f.digest), text(basis)]
                    .into_iter()
                    .chain(counts)
                    .collect()
            })
            .collect(),
    }
}

/// What the cover says beyond the tables: when and by whom it is published, and its summary.
#[derive(Debug, Clone, Default)]
pub struct Publication {
    pub published: Option<String>,
    pub contact: Option<String>,
    pub summary: Vec<String>,
}

/// The cover sheet: title, what the tables cover, publication date, contact, every source and
/// the executive summary.
pub fn cover(title: &str, cmp: &Comparison, sources: Vec<String>, p: Publication) -> Cover {
    Cover {
        title: format!("{title}: data appendix"),
        about: vec![
            format!(
                "Area: {}. Periods compared: {} and {}.",
                cmp.area,
                cmp.label(false),
                cmp.label(true)
            ),
            format!(
                "Produced by {} from the sources below; each table names its own source, and the reconciliation table lists every input file.",
                crate::model::GENERATOR
            ),
        ],
        published: p.published,
        contact: p.contact,
        sources,
        summary: p.summary,
    }
}
