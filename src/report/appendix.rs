//! The data appendix's tables, from the run's results: the comparison, the outcomes and their
//! indicators, monthly counts per area, and the reconciliation of every input file.

use crate::model::{Dataset, RowCount};
use crate::outcomes::OutcomeAssessment;
use crate::render::table::note;
use crate::render::table::xlsx::{Cell, Cover, Table};
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
        number(c.pct_change, "0.0"),
        number(c.p_value, "0.0000"),
        number(c.ci_low, "0.000"),
        number(c.ci_high, "0.000"),
        text(if c.significant { "yes" } else { "no" }),
        text(note(c, cmp)),
    ]
}

/// The comparison table.
pub fn comparison(cmp: &Comparison) -> Table {
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
        description: "Counts, change, exact test and interval for each category, then the total (notes 2 and 3).".into(),
        header: header.map(String::from).to_vec(),
        rows: cmp.rows.iter().chain([&cmp.total]).chain(&cmp.separate).map(|c| comparison_row(c, cmp)).collect(),
    }
}

/// The outcome summary and indicator tables.
pub fn outcomes(oa: &OutcomeAssessment) -> [Table; 2] {
    let summary = Table {
        sheet: "Table_2".into(),
        title: format!("Table 2: Outcomes of the {}, {} to {}: indicators by verdict", oa.plan, oa.from, oa.to),
        description: "Data RAG from the configured rule beside the partnership's own activity RAG; not assessable includes context-only indicators.".into(),
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
                    number(c.and_then(|c| c.pct_change), "0.0"),
                    number(c.and_then(|c| c.p_value), "0.0000"),
                    text(a.verdict.label()),
                    text(crate::render::reason::reason_text(a)),
                ]
            })
            .collect(),
    };
    [summary, indicators]
}

/// Monthly counts for one area: month down, categories across.
pub fn monthly(area: &str, series: &[Series], sheet: String, number: usize) -> Table {
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
        description: "Total crime excludes anti-social behaviour (note 4).".into(),
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

/// The cover sheet.
pub fn cover(title: &str, cmp: &Comparison, source: &str) -> Cover {
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
                "Produced by {} from the sources listed in Table 1's source line and the reconciliation table.",
                crate::model::GENERATOR
            ),
        ],
        source: source
            .trim_start_matches("Source: ")
            .trim_end_matches('.')
            .to_string(),
    }
}
