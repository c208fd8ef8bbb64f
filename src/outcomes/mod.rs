//! Outcomes: which of the partnership's outcomes do the numbers support?
//!
//! - [`framework`]: the plan's outcomes, indicators, themes and activity reports (data, not code).
//! - [`resolve`]: which figures measure each indicator (its own row, the coarser data.police.uk
//!   type the taxonomy says holds it, or a partner measure), or what the data holds instead.
//! - [`rate`]: outcome-rate indicators (`charge rate: ...`), judged at equal follow-up.
//! - [`verdict`]: each indicator judged against the comparison, always with a reason.
//! - [`summary`]: per outcome, verdict counts, the data RAG from a configurable rule, and the
//!   partnership's own activity RAG beside it.

pub mod framework;
pub mod rate;
pub mod resolve;
pub mod summary;
pub mod verdict;

pub use framework::{Direction, Framework};
pub use resolve::Evidence;
pub use summary::{ActivityDetail, DataRag, OutcomeSummary, RagRule};
pub use verdict::{Assessment, PartnerEvidence, Verdict, VerdictSettings};

use serde::Serialize;

use crate::error::Result;
use crate::harmonise::Month;

/// The whole outcome assessment of one comparison.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeAssessment {
    pub plan: String,
    pub framework: String,
    pub from: String,
    pub to: String,
    /// The activity report shown beside the data (its date), if any.
    pub activity_report: Option<String>,
    pub outcomes: Vec<OutcomeSummary>,
    pub indicators: Vec<Assessment>,
}

/// Assesses `fw` against `ev`, with the activity report at `report` (or the latest).
pub fn assess(
    fw: &Framework,
    ev: &Evidence,
    settings: &VerdictSettings,
    rule: &RagRule,
    report: Option<Month>,
) -> Result<OutcomeAssessment> {
    let cmp = ev.cmp;
    let indicators = verdict::assess_all(fw, ev, settings)?;
    let report = fw.report_at(report);
    Ok(OutcomeAssessment {
        plan: fw.plan.title.clone(),
        framework: fw.file.clone(),
        from: cmp.from.to_string(),
        to: cmp.to.to_string(),
        activity_report: report.map(|r| r.date.to_string()),
        outcomes: summary::summarise(fw, &indicators, rule, report),
        indicators,
    })
}
