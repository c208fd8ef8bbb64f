//! What happens after a crime, from the archive's outcome files, kept for `justice`: each
//! force-month's recorded crimes by Crime ID and each outcome file's outcomes.

use crate::model::Month;

/// A data.police.uk Crime ID: 64 hex digits, kept as its 32 bytes.
pub type CrimeId = [u8; 32];

/// One street file's recorded crimes with a Crime ID (anti-social behaviour has none): each with
/// its crime type (an index into the data.police.uk types).
#[derive(Debug, Clone, PartialEq)]
pub struct CrimeMonth {
    /// The street file (an index into `Dataset::inputs`).
    pub input: usize,
    pub area: std::sync::Arc<str>,
    pub force: String,
    pub month: Month,
    pub crimes: Vec<(CrimeId, u8)>,
}

/// One outcome file's outcomes: the Crime ID and the outcome type (an index into the outcome
/// groups table), in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeMonth {
    /// The outcome file (an index into `Dataset::inputs`).
    pub input: usize,
    pub force: String,
    pub month: Month,
    pub outcomes: Vec<(CrimeId, u16)>,
    /// Rows repeating an earlier row of the file (same Crime ID and outcome type).
    pub duplicates: u64,
}

/// The crimes and outcomes of the archives read (kept only when asked for).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Justice {
    pub crimes: Vec<CrimeMonth>,
    pub outcomes: Vec<OutcomeMonth>,
    pub searches: Vec<SearchMonth>,
    /// Archives declared for the outcome join only (`justice_only`) that are not there: the
    /// report leaves its outcome and stop-and-search sections out and says why.
    pub absent: Vec<String>,
}

/// One stop and search as published (text fields as written; empty where not recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub kind: Box<str>,
    pub gender: Box<str>,
    pub age_range: Box<str>,
    pub self_defined_ethnicity: Box<str>,
    pub officer_defined_ethnicity: Box<str>,
    pub legislation: Box<str>,
    pub object: Box<str>,
    pub outcome: Box<str>,
    /// `Outcome linked to object of search` (empty is not linked: nothing was found); `None`
    /// where the release has no such column, so whether anything was found is unknown.
    pub linked: Option<bool>,
    /// `Removal of more than just outer clothing`, likewise.
    pub strip: Option<bool>,
    /// Whether the search has coordinates.
    pub located: bool,
}

impl Search {
    /// An arrest, as releases have written it (`Suspect arrested`, later `Arrest`).
    pub fn is_arrest(&self) -> bool {
        self.outcome.eq_ignore_ascii_case("Suspect arrested")
            || self.outcome.eq_ignore_ascii_case("Arrest")
    }
}

/// One stop-and-search file's searches.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchMonth {
    pub input: usize,
    pub area: std::sync::Arc<str>,
    pub force: String,
    pub month: Month,
    pub searches: Vec<Search>,
}
