//! Outcome summaries: per outcome, how many indicators fall in each verdict, which indicators
//! drive its data RAG, and the partnership's own activity RAG beside it.
//!
//! The data RAG follows a rule from the config ([`RagRule`]). Context-only indicators (no desired
//! direction) never set it, and an outcome with no assessable indicator has **no evidence either
//! way**, never amber. Otherwise, by default:
//! - **red** when any indicator with at least `red_min_events` events (both periods together)
//!   worsens significantly;
//! - **amber** when any indicator worsens on fewer events, moves the wrong way without
//!   significance (`amber_on_wrong_way`), or cannot be assessed (`amber_on_not_assessable`; an
//!   indicator measured by a category the outcome already judges under another does not count);
//! - **green** otherwise.

use serde::{Deserialize, Serialize};

use crate::model::Month;
use crate::outcomes::framework::Direction;
use crate::outcomes::framework::{ActivityReport, Framework};
use crate::outcomes::verdict::{Assessment, Reason, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DataRag {
    /// No assessable indicator: the numbers say nothing either way.
    #[serde(rename = "none")]
    NoEvidence,
    Green,
    Amber,
    Red,
}

impl DataRag {
    pub fn label(self) -> &'static str {
        match self {
            DataRag::NoEvidence => "no evidence either way",
            DataRag::Green => "green",
            DataRag::Amber => "amber",
            DataRag::Red => "red",
        }
    }

    /// A one-word key (`none` for no evidence), e.g. for a style class.
    pub fn key(self) -> &'static str {
        match self {
            DataRag::NoEvidence => "none",
            other => other.label(),
        }
    }
}

/// The rule that turns verdicts into a data RAG.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RagRule {
    pub red_min_events: i64,
    pub amber_on_wrong_way: bool,
    pub amber_on_not_assessable: bool,
}

impl Default for RagRule {
    fn default() -> Self {
        RagRule {
            red_min_events: 20,
            amber_on_wrong_way: true,
            amber_on_not_assessable: true,
        }
    }
}

/// One outcome's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeSummary {
    pub id: String,
    pub title: String,
    pub data_rag: DataRag,
    pub improving: usize,
    pub worsening: usize,
    pub no_change: usize,
    /// Not assessable, including context-only indicators (which are never judged).
    pub not_assessable: usize,
    /// The indicators that set the data RAG.
    pub drivers: Vec<String>,
    /// The partnership's own RAG for the outcome in the activity report, or the worst of its
    /// activities' RAGs when the report gave none; `None` without a report or activities.
    pub activity_rag: Option<String>,
    /// How the activity RAG was read, e.g. `report's rating; activities: 5 GREEN, 1 AMBER`.
    /// Where the activity RAG comes from and what the activities were; `render` words it.
    pub activity_detail: ActivityDetail,
}

/// Summarises each outcome of `fw` from `assessed`.
pub fn summarise(
    fw: &Framework,
    assessed: &[Assessment],
    rule: &RagRule,
    report: Option<&ActivityReport>,
) -> Vec<OutcomeSummary> {
    fw.outcomes
        .iter()
        .map(|o| {
            let mine: Vec<&Assessment> = assessed.iter().filter(|a| a.outcome == o.id).collect();
            let count = |v: &[Verdict]| mine.iter().filter(|a| v.contains(&a.verdict)).count();
            let (data_rag, drivers) = data_rag(&mine, rule);
            let (activity_rag, activity_detail) = activity_rag(&o.id, report);
            OutcomeSummary {
                id: o.id.clone(),
                title: o.title.clone(),
                data_rag,
                improving: count(&[Verdict::Improving]),
                worsening: count(&[Verdict::Worsening]),
                no_change: count(&[Verdict::NoChange]),
                not_assessable: count(&[Verdict::NotAssessable, Verdict::Context]),
                drivers,
                activity_rag,
                activity_detail,
            }
        })
        .collect()
}

fn events(a: &Assessment) -> i64 {
    a.change.as_ref().map_or(0, |c| c.from_count + c.to_count)
}

fn data_rag(mine: &[&Assessment], rule: &RagRule) -> (DataRag, Vec<String>) {
    let judged: Vec<&Assessment> = mine
        .iter()
        .copied()
        .filter(|a| a.direction != Direction::Context)
        .collect();
    let assessable =
        |a: &&Assessment| !matches!(a.verdict, Verdict::NotAssessable | Verdict::Context);
    if !judged.iter().any(assessable) {
        return (DataRag::NoEvidence, Vec::new());
    }
    let names = |f: &dyn Fn(&Assessment) -> bool| -> Vec<String> {
        judged
            .iter()
            .filter(|a| f(a))
            .map(|a| a.indicator.clone())
            .collect()
    };
    let red = names(&|a| a.verdict == Verdict::Worsening && events(a) >= rule.red_min_events);
    if !red.is_empty() {
        return (DataRag::Red, red);
    }
    let amber = names(&|a| {
        a.verdict == Verdict::Worsening
            || (rule.amber_on_wrong_way && a.wrong_way)
            || (rule.amber_on_not_assessable
                && a.verdict == Verdict::NotAssessable
                && !matches!(a.reason, Reason::SameMeasure { .. }))
    });
    if !amber.is_empty() {
        return (DataRag::Amber, amber);
    }
    (DataRag::Green, names(&|a| a.verdict == Verdict::Improving))
}

/// Where an outcome's activity RAG comes from, and its activities by status.
#[derive(Debug, Clone, PartialEq)]
pub enum ActivityDetail {
    /// The framework has no activity report.
    NoReport,
    /// Rated in the report dated `date`: by the report itself (`own`) or as its worst activity.
    Rated {
        own: bool,
        date: Month,
        /// How many activities hold each status, in the key's order (none with none).
        tally: Vec<(usize, String)>,
    },
}

fn activity_rag(
    outcome: &str,
    report: Option<&ActivityReport>,
) -> (Option<String>, ActivityDetail) {
    let Some(report) = report else {
        return (None, ActivityDetail::NoReport);
    };
    let acts: Vec<_> = report
        .activities
        .iter()
        .filter(|a| a.outcome.as_deref() == Some(outcome))
        .collect();
    let tally: Vec<(usize, String)> = report
        .key
        .levels
        .iter()
        .map(|l| {
            let n = acts.iter().filter(|a| a.rag.eq_ignore_ascii_case(&l.code));
            (n.count(), l.code.clone())
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    let date = report.date;
    if let Some(own) = report.outcome_rag.get(outcome) {
        let detail = ActivityDetail::Rated {
            own: true,
            date,
            tally,
        };
        return (Some(own.to_uppercase()), detail);
    }
    let worst = acts.iter().filter_map(|a| report.key.rank(&a.rag)).max();
    let rag = worst.map(|i| report.key.levels[i].code.clone());
    (
        rag,
        ActivityDetail::Rated {
            own: false,
            date,
            tally,
        },
    )
}
