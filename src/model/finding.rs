//! Findings: what a reader must know about the data before trusting a figure. Every stage may
//! raise one; the findings stage judges them against the `--fail-on` policy.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// One thing a reader should know, with a stable code for scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

/// `note`, `warning` or `error`.
pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Note => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// A count as a finding's message writes it: `5435` -> `5,435`.
pub fn count(n: u64) -> String {
    indicatif::HumanCount(n).to_string()
}
