//! Data-quality findings for an archive: what is missing, partial, unlocated, outside the force's
//! area, duplicated or re-labelled. Rows are counted as published; these say how far to trust them.

use std::collections::{BTreeMap, BTreeSet};

use crate::harmonise::police_uk::{
    CRIME_TYPES, SIX_CATEGORIES, SPLIT_FROM_OTHER_THEFT, category_change, eleven_categories,
    published_in,
};
use crate::harmonise::{FinancialYear, Month, Period};
use crate::ingest::police_uk::file::{Kind, StreetCounts};
use crate::model::Dataset;
use crate::model::finding::count as thousands;
pub use crate::model::police_uk::ForceMonthQuality;
use crate::model::{Finding, Severity};

/// What the findings need of one street file.
pub struct FileView<'a> {
    pub force: &'a str,
    pub area: String,
    pub month: Month,
    pub rows: u64,
    pub rejected: u64,
    pub counts: &'a StreetCounts,
    pub entry: &'a str,
}

/// Adds per-force-month quality rows to `data` and returns the archive's findings.
pub fn findings(data: &mut Dataset, files: &[FileView]) -> Vec<Finding> {
    for f in files {
        data.quality.push(ForceMonthQuality {
            area: f.area.clone(),
            month: f.month,
            rows: f.rows,
            no_location: f.counts.no_location,
            outside_area: f.counts.outside_area.as_ref().map(|(n, _)| *n),
            duplicate_ids: f.counts.duplicate_ids,
            rejected: f.rejected,
        });
    }
    data.quality
        .sort_by(|a, b| (&a.area, a.month).cmp(&(&b.area, b.month)));
    let mut out = Vec::new();
    out.extend(coverage(files));
    out.extend(location(&data.quality));
    out.extend(duplicates_and_rejections(&data.quality));
    out.extend(relabelled(files));
    out
}

fn finding(severity: Severity, code: &'static str, message: String) -> Finding {
    Finding {
        severity,
        code,
        message,
    }
}

/// Missing force-months between the archive's first and last month, and partial financial years.
fn coverage(files: &[FileView]) -> Vec<Finding> {
    let (Some(first), Some(last)) = (
        files.iter().map(|f| f.month).min(),
        files.iter().map(|f| f.month).max(),
    ) else {
        return Vec::new();
    };
    let mut months: BTreeMap<&str, BTreeSet<Month>> = BTreeMap::new();
    for f in files {
        months.entry(f.area.as_str()).or_default().insert(f.month);
    }
    let mut out = Vec::new();
    for (area, have) in &months {
        let expected = (0..=first.months_until(last)).map(|i| first.plus(i));
        let missing: Vec<Month> = expected.filter(|m| !have.contains(m)).collect();
        if !missing.is_empty() {
            let message = format!(
                "{area}: no street file for {} (the archive runs {first} to {last})",
                ranges(&missing)
            );
            out.push(finding(Severity::Warning, "missing-months", message));
        }
        out.extend(partial_years(area, have));
    }
    out
}

/// One file of an archive: its force's slug, kind and month.
pub type KindMonth<'a> = (&'a str, Kind, Month);

/// Outcomes and stop-and-search files get the street files' month check: a force that publishes
/// a kind has it for every month its archive covers, or the missing months are said.
/// `aliases` names a force by its slug (`Falls within`, from its street files).
pub fn other_kinds(files: &[KindMonth], aliases: &BTreeMap<String, String>) -> Vec<Finding> {
    let mut span: BTreeMap<&str, (Month, Month)> = BTreeMap::new();
    let mut have: BTreeMap<(&str, Kind), BTreeSet<Month>> = BTreeMap::new();
    for &(force, kind, month) in files {
        let s = span.entry(force).or_insert((month, month));
        *s = (s.0.min(month), s.1.max(month));
        have.entry((force, kind)).or_default().insert(month);
    }
    let mut out = Vec::new();
    for ((force, kind), months) in have.iter().filter(|((_, k), _)| *k != Kind::Street) {
        let (first, last) = span[force];
        let expected = (0..=first.months_until(last)).map(|i| first.plus(i));
        let missing: Vec<Month> = expected.filter(|m| !months.contains(m)).collect();
        if missing.is_empty() {
            continue;
        }
        let name = aliases.get(*force).map_or(*force, String::as_str);
        let message = format!(
            "{name}: no {} file for {} (the archive runs {first} to {last})",
            kind.label(),
            ranges(&missing)
        );
        out.push(finding(Severity::Warning, "missing-months", message));
    }
    out
}

fn partial_years(area: &str, have: &BTreeSet<Month>) -> Vec<Finding> {
    let years: BTreeSet<FinancialYear> = have.iter().map(|m| m.financial_year()).collect();
    years
        .into_iter()
        .filter_map(|fy| {
            let period = Period::FinancialYear(fy);
            let missing: Vec<Month> = period.months().filter(|m| !have.contains(m)).collect();
            (!missing.is_empty()).then(|| {
                let message = format!(
                    "{area}: {fy} is a partial year, built from {} of 12 months (missing {}); it is compared only with --allow-partial, and then labelled",
                    12 - missing.len(),
                    ranges(&missing)
                );
                finding(Severity::Note, "partial-year", message)
            })
        })
        .collect()
}

/// `2017-07 to 2018-03, 2018-05`: runs of consecutive months.
pub fn ranges(months: &[Month]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < months.len() {
        let mut j = i;
        while j + 1 < months.len() && months[j].plus(1) == months[j + 1] {
            j += 1;
        }
        parts.push(if i == j {
            months[i].to_string()
        } else {
            format!("{} to {}", months[i], months[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

fn pct(part: u64, whole: u64) -> String {
    format!("{:.1}%", 100.0 * part as f64 / whole.max(1) as f64)
}

fn by_area(quality: &[ForceMonthQuality]) -> BTreeMap<&str, Vec<&ForceMonthQuality>> {
    let mut m: BTreeMap<&str, Vec<&ForceMonthQuality>> = BTreeMap::new();
    for q in quality {
        m.entry(q.area.as_str()).or_default().push(q);
    }
    m
}

fn location(quality: &[ForceMonthQuality]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (area, qs) in by_area(quality) {
        let rows: u64 = qs.iter().map(|q| q.rows).sum();
        let none: u64 = qs.iter().map(|q| q.no_location).sum();
        let worst = qs
            .iter()
            .max_by_key(|q| (q.no_location * 1000) / q.rows.max(1))
            .expect("an area has months");
        out.push(finding(Severity::Note, "no-location", format!(
            "{area}: {} of {} street rows ({}) have no location or LSOA (highest {} in {}); they count in totals but not by LSOA",
            thousands(none), thousands(rows), pct(none, rows), pct(worst.no_location, worst.rows), worst.month
        )));
        let outside: Option<u64> = qs.iter().map(|q| q.outside_area).sum();
        let message = match outside {
            Some(n) => format!(
                "{area}: {} of {} located rows ({}) are in LSOAs outside the force's own area; they are counted as published",
                thousands(n),
                thousands(rows - none),
                pct(n, rows - none)
            ),
            None => format!(
                "{area}: rows outside the force's area not checked (no force area configured for it)"
            ),
        };
        out.push(finding(Severity::Note, "outside-area", message));
    }
    out
}

fn duplicates_and_rejections(quality: &[ForceMonthQuality]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (area, qs) in by_area(quality) {
        let dups: Vec<String> = qs
            .iter()
            .filter(|q| q.duplicate_ids > 0)
            .map(|q| format!("{} in {}", q.duplicate_ids, q.month))
            .collect();
        if !dups.is_empty() {
            out.push(finding(Severity::Warning, "duplicate-crime-ids", format!(
                "{area}: repeated Crime IDs within a month ({}); each row is counted as published",
                dups.join(", ")
            )));
        }
        let rejected: u64 = qs.iter().map(|q| q.rejected).sum();
        if rejected > 0 {
            out.push(finding(Severity::Error, "rejected-rows", format!(
                "{area}: {rejected} rows rejected; each is in reports/reconciliation.csv with its line and reason"
            )));
        }
    }
    out
}

/// Older labels mapped onto the current 14, and series that cross the May 2013 change.
fn relabelled(files: &[FileView]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for l in files.iter().flat_map(|f| f.counts.legacy.iter()) {
        if seen.insert(l.label) {
            out.push(finding(
                Severity::Note,
                "legacy-category",
                format!("`{}` counted as {} ({})", l.label, l.current, l.note),
            ));
        }
    }
    if crosses(files, eleven_categories()) {
        let begun: Vec<&str> = CRIME_TYPES
            .into_iter()
            .filter(|t| published_in(t, eleven_categories()) && !SIX_CATEGORIES.contains(t))
            .collect();
        out.push(finding(Severity::Warning, "category-change", format!(
            "the months read cross September 2011, when data.police.uk's six crime categories became eleven: {} were counted in Other crime before it, so their series begin there (earlier months are not zeros) and Other crime is not comparable across it",
            begun.join(", ")
        )));
    }
    if crosses(files, category_change()) {
        out.push(finding(Severity::Warning, "category-change", format!(
            "the months read cross the May 2013 change of crime types: series for {} and Public order / Possession of weapons are not comparable across it",
            SPLIT_FROM_OTHER_THEFT.join(", ")
        )));
    }
    out
}

/// Whether the files read hold months both before `change` and from it on.
fn crosses(files: &[FileView], change: Month) -> bool {
    files.iter().any(|f| f.month < change) && files.iter().any(|f| f.month >= change)
}

/// Per force read for `justice`: outcome rows whose Crime ID matches no street row of the archive
/// (crimes recorded before its first month: counted apart, never joined), and rows repeating a
/// row of their own file (counted once).
pub fn outcome_findings(
    j: &crate::model::justice::Justice,
    names: &BTreeMap<String, String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let forces: BTreeSet<&str> = j.outcomes.iter().map(|o| o.force.as_str()).collect();
    for force in forces {
        let name = names.get(force).map_or(force, String::as_str);
        let known: rustc_hash::FxHashSet<&crate::model::justice::CrimeId> = j
            .crimes
            .iter()
            .filter(|c| c.force == force)
            .flat_map(|c| c.crimes.iter().map(|(id, _)| id))
            .collect();
        let files = j.outcomes.iter().filter(|o| o.force == force);
        let (mut unmatched, mut repeated) = (0u64, 0u64);
        for o in files {
            repeated += o.duplicates;
            unmatched += o
                .outcomes
                .iter()
                .filter(|(id, _)| !known.contains(id))
                .count() as u64;
        }
        let first = j
            .crimes
            .iter()
            .filter(|c| c.force == force)
            .map(|c| c.month)
            .min();
        if unmatched > 0 {
            let before = first.map_or(String::new(), |m| {
                format!(" (recorded before {m}, its first street file)")
            });
            let message = format!(
                "{name}: {} outcome rows are for crimes not in the archive's street files{before}: counted apart, never joined to a crime",
                thousands(unmatched)
            );
            out.push(finding(Severity::Note, "outcomes-before-archive", message));
        }
        if repeated > 0 {
            let message = format!(
                "{name}: {} outcome rows repeat a row of their own file (the same Crime ID and outcome type): counted once",
                thousands(repeated)
            );
            out.push(finding(Severity::Note, "duplicate-outcomes", message));
        }
    }
    out
}
