//! The evidence base's view of what happens after a crime and of stop and search: the financial
//! years the archive's files cover whole, the cohorts of those years at equal follow-up, and the
//! searches of the latest whole year (beside the year before, when it is whole too).

use std::collections::BTreeSet;

use super::CompareSettings;
use super::justice::{Cohort, cohort};
use super::justice_change::{CohortChange, cohort_change};
use super::search_change::{SearchChange, search_change};
use super::searches::{SearchBy, Searches, searches};
use crate::model::justice::Justice;
use crate::model::{Month, Period};

/// The two sections' evidence, for one area (the force whose files they are).
#[derive(Debug, Clone, PartialEq)]
pub struct JusticeEvidence {
    /// Whose figures: the area the archive's files describe (a force).
    pub area: String,
    pub outcomes: Option<Outcomes>,
    pub searches: Option<SearchEvidence>,
    /// Why the outcomes are not compared (or are missing), and the follow-up's reason.
    pub outcome_notes: Vec<String>,
    /// Why stop and search is not compared year on year.
    pub search_notes: Vec<String>,
}

/// The crimes of whole financial years by outcome group.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcomes {
    /// The latest two whole years at the follow-up both allow.
    Change(Box<CohortChange>),
    /// The only whole year, at the longest follow-up the outcome files allow.
    One(Cohort),
}

impl Outcomes {
    /// The later (or only) cohort.
    pub fn latest(&self) -> &Cohort {
        match self {
            Outcomes::Change(c) => &c.to,
            Outcomes::One(c) => c,
        }
    }
}

/// The fields the report groups searches by, in its order.
pub const REPORTED: [SearchBy; 4] = [
    SearchBy::Object,
    SearchBy::Legislation,
    SearchBy::Ethnicity,
    SearchBy::Age,
];

/// Stop and search in one financial year.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchEvidence {
    pub period: Period,
    /// The year's searches by each of [`REPORTED`].
    pub by: Vec<Searches>,
    /// By object of search against the year before, when both are whole.
    pub change: Option<SearchChange>,
    /// The year's months without a stop-and-search file (none: the year is whole).
    pub missing: Vec<Month>,
}

/// The evidence for the area of the archive's outcome and search files that is `compared` (or
/// the only one they hold); `None` when they hold none.
pub fn justice_evidence(
    j: &Justice,
    compared: &str,
    settings: &CompareSettings,
) -> Option<JusticeEvidence> {
    let areas = j.crimes.iter().map(|c| &*c.area);
    let area =
        crate::model::detail_area(areas.chain(j.searches.iter().map(|s| &*s.area)), compared)?;
    let (mut outcome_notes, mut search_notes) = (Vec::new(), Vec::new());
    let outcomes = outcomes(j, area, settings, &mut outcome_notes);
    let searches = search_evidence(j, area, settings, &mut search_notes);
    Some(JusticeEvidence {
        area: area.to_string(),
        outcomes,
        searches,
        outcome_notes,
        search_notes,
    })
}

/// The financial years, latest first, whose every month is in `months`.
pub fn whole_years(months: &BTreeSet<Month>) -> Vec<Period> {
    let years: BTreeSet<_> = months.iter().map(|m| m.financial_year()).collect();
    years
        .into_iter()
        .rev()
        .map(Period::FinancialYear)
        .filter(|p| p.months().all(|m| months.contains(&m)))
        .collect()
}

fn outcomes(
    j: &Justice,
    area: &str,
    settings: &CompareSettings,
    notes: &mut Vec<String>,
) -> Option<Outcomes> {
    let months: BTreeSet<Month> = j
        .crimes
        .iter()
        .filter(|c| &*c.area == area)
        .map(|c| c.month)
        .collect();
    let years = whole_years(&months);
    let Some(&latest) = years.first() else {
        notes.push(format!(
            "No outcomes by crime type: the street files of {area} cover no financial year whole."
        ));
        return None;
    };
    if let Some(&before) = years.get(1) {
        match cohort_change(j, area, (before, latest), None, settings) {
            Ok(c) => return Some(Outcomes::Change(Box::new(c))),
            Err(e) => notes.push(format!("{before} and {latest} are not compared: {e}.")),
        }
    } else {
        notes.push(format!("Outcomes are not compared year on year: {latest} is the only financial year the street files cover whole."));
    }
    match cohort(j, (area, latest), None, 1.0 - settings.alpha) {
        Ok(c) => {
            notes.push(format!(
                "The follow-up is {} months: the longest the outcome files cover, without a gap, for every crime of {latest} (its last crimes are of {}, the outcome files reach {}).",
                c.follow_up,
                c.crime_months.1,
                c.crime_months.1.plus(c.follow_up as i32)
            ));
            Some(Outcomes::One(c))
        }
        Err(e) => {
            notes.push(format!("No outcomes by crime type: {e}."));
            None
        }
    }
}

fn search_evidence(
    j: &Justice,
    area: &str,
    settings: &CompareSettings,
    notes: &mut Vec<String>,
) -> Option<SearchEvidence> {
    let months: BTreeSet<Month> = j
        .searches
        .iter()
        .filter(|s| &*s.area == area)
        .map(|s| s.month)
        .collect();
    let years = whole_years(&months);
    // The latest whole year, else the latest year with any files (partial, and said so).
    let period = years.first().copied().or_else(|| {
        months
            .last()
            .map(|m| Period::FinancialYear(m.financial_year()))
    })?;
    let confidence = 1.0 - settings.alpha;
    let by: Vec<Searches> = REPORTED
        .iter()
        .filter_map(|&b| searches(j, (area, period), b, confidence).ok())
        .collect();
    let change = match years.get(1) {
        Some(&before) => search_change(j, area, (before, period), SearchBy::Object, settings)
            .map_err(|e| {
                notes.push(format!(
                    "Stop and search is not compared year on year: {e}."
                ))
            })
            .ok(),
        None => {
            notes.push(format!("Stop and search is not compared year on year: the stop-and-search files cover no whole financial year before {period}."));
            None
        }
    };
    let missing = period.months().filter(|m| !months.contains(m)).collect();
    Some(SearchEvidence {
        period,
        by,
        change,
        missing,
    })
}
