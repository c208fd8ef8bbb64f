//! The executive summary, in words: the headline change, the outcomes the numbers support and
//! those they do not, the largest significant changes and the warnings that change a reading.
//! Short on purpose: it fits one screen above the report and on the appendix's cover sheet.

use serde::Serialize;

use crate::model::{Finding, Severity};
use crate::outcomes::{DataRag, OutcomeAssessment};
use crate::render::format::{p_value, signed, signed_pct, thousands};
use crate::stats::{Change, Comparison};

/// How many of the largest significant changes the summary names.
pub const LARGEST: usize = 3;

/// The summary's lines, each a plain sentence.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// The change in the total, with its test.
    pub headline: String,
    /// Outcomes whose data RAG is green, with why.
    pub supported: Vec<String>,
    /// Outcomes whose data RAG is red or amber, with the finding behind it.
    pub not_supported: Vec<String>,
    /// Outcomes with no assessable indicator.
    pub cannot_say: Vec<String>,
    /// The largest significant changes by absolute size (at most [`LARGEST`]).
    pub largest: Vec<String>,
    /// Warnings a reader must weigh before quoting a figure.
    pub warnings: Vec<String>,
}

/// The summary of `cmp`, its outcome assessment (if any) and the run's findings.
pub fn summary(cmp: &Comparison, oa: Option<&OutcomeAssessment>, findings: &[Finding]) -> Summary {
    let mut out = Summary {
        headline: headline(cmp),
        largest: largest(cmp),
        warnings: findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(|f| f.message.clone())
            .collect(),
        ..Summary::default()
    };
    for o in oa.map(|oa| oa.outcomes.as_slice()).unwrap_or_default() {
        let mine: Vec<_> = oa
            .into_iter()
            .flat_map(|oa| &oa.indicators)
            .filter(|a| a.outcome == o.id)
            .collect();
        let finding = crate::render::outcomes::finding_title(o, &mine);
        let line = format!("{} ({}): {finding}.", o.title, o.data_rag.label());
        match o.data_rag {
            DataRag::Green => out.supported.push(line),
            DataRag::Amber | DataRag::Red => out.not_supported.push(line),
            DataRag::NoEvidence => out.cannot_say.push(format!("{}.", o.title)),
        }
    }
    out
}

/// "The change of +453 crimes is beyond chance (p 2.154e-05)." (the report's lede gives the
/// counts and the percentage).
fn headline(cmp: &Comparison) -> String {
    let t = &cmp.total;
    format!(
        "The change of {} crimes is {}.",
        signed(t.change),
        beyond_chance(t)
    )
}

/// `+453, +8.3%`, or `+3` where the percentage is undefined.
fn change(c: &Change) -> String {
    match c.pct_change {
        Some(p) => format!("{}, {}%", signed(c.change), signed_pct(Some(p))),
        None => signed(c.change),
    }
}

fn beyond_chance(c: &Change) -> String {
    match c.p_value {
        Some(p) if c.significant => format!("beyond chance (p {})", p_value(Some(p))),
        Some(p) => format!("within ordinary variation (p {})", p_value(Some(p))),
        None => "not tested".to_string(),
    }
}

/// The largest significant category changes, largest first (ties by name).
fn largest(cmp: &Comparison) -> Vec<String> {
    let mut sig: Vec<&Change> = cmp.rows.iter().filter(|c| c.significant).collect();
    sig.sort_by(|a, b| {
        b.change
            .abs()
            .cmp(&a.change.abs())
            .then_with(|| a.category.as_str().cmp(b.category.as_str()))
    });
    sig.iter()
        .take(LARGEST)
        .map(|c| {
            format!(
                "{}: {} to {} ({}), p {}, q {}.",
                c.category.as_str(),
                thousands(c.from_count),
                thousands(c.to_count),
                change(c),
                p_value(c.p_value),
                p_value(c.q_value)
            )
        })
        .collect()
}
