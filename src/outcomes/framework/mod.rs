//! The outcome framework file (TOML): a plan's outcomes, each with its indicators, the
//! cross-cutting themes, and the partnership's activity reports with the RAG key each used.
//!
//! ```toml
//! [plan]
//! id = "scp-2018-23"
//! title = "Safer City Partnership Strategic Plan 2018-23"
//! first_year = "2018/19"
//! last_year = "2022/23"
//!
//! [[theme]]
//! id = "vawg"
//! title = "Violence against Women and Girls"
//!
//! [[outcome]]
//! id = "violence"
//! title = "People are safe from violent crime"
//!
//! [[outcome.indicator]]
//! category = "Rape"              # or: measure = "Channel referrals" (partner data)
//! direction = "down"             # down | up | context
//! why = "Sexual violence is named in the outcome"
//! themes = ["vawg"]
//! breaks = [{ from = "2018-04", reason = "recording rules changed" }]   # optional
//!
//! [[rag_key]]
//! id = "scp-2018"
//! report = "SCP Priorities and KPA, September 2018"
//! levels = [{ code = "GREEN", meaning = "Work being delivered" }, { code = "RED", meaning = "Not started" }]
//!
//! [[activity_report]]
//! date = "2018-09"
//! key = "scp-2018"
//! activities = "kpa-2018-09.csv"   # code,title,owner,outcome,theme,rag,note
//! outcome_rag = { violence = "GREEN" }   # the report's own rating per outcome, where it gave one
//! ```
//!
//! RAG levels are listed best first. Everything is validated on load; an error names the file and
//! the entry.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

mod activity;
mod raw;

use activity::provenance;
use raw::{RawFramework, RawReport, outcome, plan, unique};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::harmonise::{FinancialYear, Month};
use crate::model::{Category, InputFile};

/// Which way an indicator should move for its outcome to be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Down,
    Up,
    /// Shown for context; no verdict (e.g. offences found by proactive policing).
    Context,
}

/// What an indicator measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// A crime category some source must provide.
    Category(Category),
    /// A partner measure, which may not have arrived yet (then: not assessable, missing data).
    Measure(Category),
}

impl Subject {
    pub fn label(&self) -> &str {
        self.category().as_str()
    }

    /// What the indicator measures, as a typed category.
    pub fn category(&self) -> &Category {
        match self {
            Subject::Category(c) | Subject::Measure(c) => c,
        }
    }
}

/// A break in a series: figures before and after `from` are not comparable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesBreak {
    pub from: Month,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub subject: Subject,
    pub direction: Direction,
    pub why: String,
    pub themes: Vec<String>,
    pub target: Option<String>,
    pub breaks: Vec<SeriesBreak>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RagLevel {
    pub code: String,
    pub meaning: String,
}

/// The RAG key a report used, best level first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RagKey {
    pub id: String,
    pub report: String,
    pub levels: Vec<RagLevel>,
}

impl RagKey {
    /// Position of `code` in the key (0 = best), matched ignoring case.
    pub fn rank(&self, code: &str) -> Option<usize> {
        self.levels
            .iter()
            .position(|l| l.code.eq_ignore_ascii_case(code.trim()))
    }

    fn codes(&self) -> String {
        self.levels
            .iter()
            .map(|l| l.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One activity's status in one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub code: String,
    pub title: String,
    pub owner: String,
    pub outcome: Option<String>,
    pub theme: Option<String>,
    pub rag: String,
    pub note: String,
}

/// The partnership's activity statuses at one reporting date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityReport {
    pub date: Month,
    pub key: RagKey,
    pub file: String,
    pub activities: Vec<Activity>,
    /// The report's own rating per outcome id, where it gave one.
    pub outcome_rag: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub first_year: Option<FinancialYear>,
    pub last_year: Option<FinancialYear>,
    pub source: Option<String>,
}

/// A whole framework, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Framework {
    pub file: String,
    pub plan: Plan,
    pub themes: Vec<Theme>,
    pub outcomes: Vec<Outcome>,
    pub reports: Vec<ActivityReport>,
    /// The framework file and its activity tables, for the manifest and the report.
    pub inputs: Vec<InputFile>,
}

fn err(file: &str, entry: impl Into<String>, message: impl Into<String>) -> Error {
    Error::Framework {
        file: file.to_string(),
        entry: entry.into(),
        message: message.into(),
    }
}

impl Framework {
    /// Reads and validates a framework file; activity tables are read relative to it, and
    /// `display` names it in messages.
    pub fn load(path: &Path, display: &str) -> Result<Framework> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: display.to_string(),
            source: e,
        })?;
        let raw: RawFramework =
            toml::from_str(&text).map_err(|e| err(display, "TOML", e.to_string()))?;
        let base = path.parent().unwrap_or(Path::new(""));
        let dir = Path::new(display).parent().unwrap_or(Path::new(""));
        let plan = plan(raw.plan, display)?;
        unique(raw.themes.iter().map(|t| t.id.as_str()), display, "theme")?;
        unique(raw.keys.iter().map(|k| k.id.as_str()), display, "rag_key")?;
        let theme_ids: HashSet<&str> = raw.themes.iter().map(|t| t.id.as_str()).collect();
        let mut outcomes = Vec::new();
        for o in raw.outcomes {
            outcomes.push(outcome(o, &theme_ids, display)?);
        }
        unique(outcomes.iter().map(|o| o.id.as_str()), display, "outcome")?;
        if outcomes.is_empty() {
            return Err(err(
                display,
                "outcome",
                "the framework has no outcomes; add at least one [[outcome]]",
            ));
        }
        let indicators = outcomes.iter().map(|o| o.indicators.len() as u64).sum();
        let mut fw = Framework {
            file: display.to_string(),
            plan,
            themes: raw.themes,
            outcomes,
            reports: Vec::new(),
            inputs: vec![provenance(
                "framework",
                display,
                text.as_bytes(),
                indicators,
            )],
        };
        for r in raw.reports {
            let report = fw.report(r, &raw.keys, base, dir)?;
            fw.reports.push(report);
        }
        fw.reports.sort_by_key(|r| r.date);
        Ok(fw)
    }

    /// The report at `date`, or the latest one.
    /// Names every indicator's category as `taxonomy` does, so an indicator written as an alias
    /// finds the data's row for the same category.
    pub fn name_with(&mut self, taxonomy: &crate::harmonise::taxonomy::Taxonomy) {
        for ind in self.outcomes.iter_mut().flat_map(|o| &mut o.indicators) {
            ind.subject = match &ind.subject {
                Subject::Category(c) => Subject::Category(taxonomy.category(c.as_str())),
                Subject::Measure(m) => Subject::Measure(m.clone()),
            };
        }
    }

    pub fn report_at(&self, date: Option<Month>) -> Option<&ActivityReport> {
        match date {
            Some(d) => self.reports.iter().find(|r| r.date == d),
            None => self.reports.last(),
        }
    }

    fn report(
        &mut self,
        raw: RawReport,
        keys: &[RagKey],
        base: &Path,
        dir: &Path,
    ) -> Result<ActivityReport> {
        let entry = format!("activity_report {}", raw.date);
        let date: Month = raw
            .date
            .parse()
            .map_err(|e| err(&self.file, &entry, format!("date: {e}")))?;
        let key = keys
            .iter()
            .find(|k| k.id == raw.key)
            .ok_or_else(|| {
                err(
                    &self.file,
                    &entry,
                    format!("key `{}` is not a [[rag_key]] in this file", raw.key),
                )
            })?
            .clone();
        if key.levels.is_empty() {
            return Err(err(
                &self.file,
                format!("rag_key {}", key.id),
                "the key has no levels",
            ));
        }
        for (outcome, rag) in &raw.outcome_rag {
            self.check_outcome(outcome, &entry)?;
            if key.rank(rag).is_none() {
                let message = format!(
                    "outcome_rag.{outcome}: `{rag}` is not in the key `{}` ({})",
                    key.id,
                    key.codes()
                );
                return Err(err(&self.file, &entry, message));
            }
        }
        let display = dir.join(&raw.activities).display().to_string();
        let activities = self.activities(&base.join(&raw.activities), &display, &key)?;
        Ok(ActivityReport {
            date,
            key,
            file: display,
            activities,
            outcome_rag: raw.outcome_rag,
        })
    }

    fn check_outcome(&self, id: &str, entry: &str) -> Result<()> {
        if self.outcomes.iter().any(|o| o.id == id) {
            return Ok(());
        }
        let known: Vec<&str> = self.outcomes.iter().map(|o| o.id.as_str()).collect();
        Err(err(
            &self.file,
            entry,
            format!(
                "`{id}` is not an outcome of this framework ({})",
                known.join(", ")
            ),
        ))
    }
}
