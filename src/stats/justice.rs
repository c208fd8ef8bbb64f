//! After the crime: where each recorded crime of a period stood `k` months after its month, by
//! the Home Office's outcome groups, with exact (Clopper-Pearson) intervals.
//!
//! Outcomes arrive months after the crime, so a period's figures depend on how long its crimes
//! have had. A cohort is read at equal follow-up: a crime of month `m` counts the outcomes the
//! outcome files record up to month `m + k`, and stands at the latest of them (in one month, the
//! highest ranked: a court result after the charge). A crime with none by then is "under
//! investigation or no outcome yet". `k` can be at most what the outcome files cover, without a
//! gap, from the cohort's first month to `k` months after its last.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::{Error, Result};
use crate::harmonise::outcome_groups::{Group, Groups};
use crate::harmonise::police_uk::CRIME_TYPES;
use crate::model::justice::{CrimeId, Justice};
use crate::model::{Month, Period};

/// The name of the all-crime rows.
pub const ALL_CRIME: &str = "All recorded crime";

/// One crime type's (or all crime's) count in one outcome group.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupShare {
    pub category: String,
    pub group: Group,
    /// Crimes of the type in the cohort.
    pub crimes: u64,
    /// Those standing in the group at the follow-up.
    pub count: u64,
    pub share: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// A period's crimes at a follow-up.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cohort {
    pub area: String,
    pub period: Period,
    pub follow_up: u32,
    /// The months of the period with street files, first and last, and how many.
    pub crime_months: (Month, Month, usize),
    /// By crime type (in data.police.uk's order) then all crime, every group.
    pub shares: Vec<GroupShare>,
    /// Outcome rows of the area's forces whose Crime ID matches no crime in the archive
    /// (crimes older than the archive, mostly): counted apart.
    pub unmatched_outcomes: u64,
    /// Outcome rows repeating an earlier row of their file.
    pub duplicate_outcomes: u64,
}

/// A period's recorded crimes of one area: each Crime ID (at its first month) with its month
/// and crime type, and the forces whose files hold them.
struct Crimes {
    by_id: FxHashMap<CrimeId, (Month, u8)>,
    forces: BTreeSet<String>,
    months: BTreeSet<Month>,
}

fn crimes_of(j: &Justice, area: &str, period: Period) -> Crimes {
    let mut c = Crimes {
        by_id: FxHashMap::default(),
        forces: BTreeSet::new(),
        months: BTreeSet::new(),
    };
    let files = j
        .crimes
        .iter()
        .filter(|f| crate::model::same_name(&f.area, area) && period.contains(f.month));
    for f in files {
        c.forces.insert(f.force.clone());
        c.months.insert(f.month);
        for &(id, t) in &f.crimes {
            let at = c.by_id.entry(id).or_insert((f.month, t));
            if f.month < at.0 {
                *at = (f.month, t);
            }
        }
    }
    c
}

/// The longest follow-up the outcome files of `forces` allow for crimes of `first..=last`:
/// the months from `first` on that every force has outcome files for, without a gap, less
/// `last`; `None` when they do not reach `last`.
pub fn follow_up_limit(
    j: &Justice,
    forces: &BTreeSet<String>,
    (first, last): (Month, Month),
) -> Option<u32> {
    let mut reach: Option<Month> = None;
    for force in forces {
        let months: BTreeSet<Month> = j
            .outcomes
            .iter()
            .filter(|o| &o.force == force)
            .map(|o| o.month)
            .collect();
        let mut m = first;
        while months.contains(&m) {
            m = m.plus(1);
        }
        // `m` is the first month from `first` without outcome files.
        let covered = m.plus(-1);
        reach = Some(reach.map_or(covered, |r: Month| r.min(covered)));
    }
    let k = last.months_until(reach?);
    u32::try_from(k).ok()
}

/// The cohort of `area`'s recorded crimes of `period` at `follow_up` months (at the longest the
/// outcome files allow when `None`); refused when the files do not cover it.
pub fn cohort(
    j: &Justice,
    (area, period): (&str, Period),
    follow_up: Option<u32>,
    confidence: f64,
) -> Result<Cohort> {
    let crimes = crimes_of(j, area, period);
    let (Some(&first), Some(&last)) = (crimes.months.first(), crimes.months.last()) else {
        return Err(Error::Usage(format!(
            "justice: {area} has no street files with recorded crimes in {period}; it needs the archive's street and outcome files (read with the `police-uk` source)"
        )));
    };
    let limit = follow_up_limit(j, &crimes.forces, (first, last)).ok_or_else(|| {
        Error::Usage(format!(
            "justice: the outcome files of {area} do not run from {first} to {last}, the months of its {period} crimes, without a gap; add the missing outcome files"
        ))
    })?;
    let k = follow_up.unwrap_or(limit);
    if k > limit {
        return Err(Error::Usage(format!(
            "justice: a follow-up of {k} months for {period} needs outcome files to {}; the archive's reach {} ({limit} months): ask for --follow-up {limit} or less",
            last.plus(k as i32),
            last.plus(limit as i32)
        )));
    }
    let (standing, unmatched, duplicates) = standing_at(j, &crimes, k);
    Ok(Cohort {
        area: area.to_string(),
        period,
        follow_up: k,
        crime_months: (first, last, crimes.months.len()),
        shares: shares(&crimes, &standing, confidence),
        unmatched_outcomes: unmatched,
        duplicate_outcomes: duplicates,
    })
}

/// Each crime's standing outcome (month, rank, type) at `k` months after its month; and the
/// outcome rows of the forces matching no crime in the archive, and duplicated rows.
fn standing_at(
    j: &Justice,
    crimes: &Crimes,
    k: u32,
) -> (FxHashMap<CrimeId, (Month, u8, u16)>, u64, u64) {
    let groups = Groups::shipped();
    let known: FxHashSet<&CrimeId> = j
        .crimes
        .iter()
        .filter(|f| crimes.forces.contains(&f.force))
        .flat_map(|f| f.crimes.iter().map(|(id, _)| id))
        .collect();
    let mut standing: FxHashMap<CrimeId, (Month, u8, u16)> = FxHashMap::default();
    let (mut unmatched, mut duplicates) = (0, 0);
    for file in j
        .outcomes
        .iter()
        .filter(|o| crimes.forces.contains(&o.force))
    {
        duplicates += file.duplicates;
        for &(id, outcome) in &file.outcomes {
            if !known.contains(&id) {
                unmatched += 1;
                continue;
            }
            let Some(&(month, _)) = crimes.by_id.get(&id) else {
                continue;
            };
            if file.month > month.plus(k as i32) {
                continue;
            }
            let candidate = (file.month, groups.get(outcome).rank, outcome);
            let at = standing.entry(id).or_insert(candidate);
            if (candidate.0, candidate.1) > (at.0, at.1) {
                *at = candidate;
            }
        }
    }
    (standing, unmatched, duplicates)
}

/// Counts by crime type and group (every group, zeros included), then all crime.
fn shares(
    crimes: &Crimes,
    standing: &FxHashMap<CrimeId, (Month, u8, u16)>,
    confidence: f64,
) -> Vec<GroupShare> {
    let groups = Groups::shipped();
    let mut counts: BTreeMap<u8, [u64; 7]> = BTreeMap::new();
    for (id, &(_, t)) in &crimes.by_id {
        let group = standing
            .get(id)
            .map_or(Group::Awaiting, |s| groups.get(s.2).group);
        counts.entry(t).or_default()[group as usize] += 1;
    }
    let mut all = [0u64; 7];
    let mut out = Vec::new();
    for (t, by_group) in &counts {
        all.iter_mut().zip(by_group).for_each(|(a, n)| *a += n);
        out.extend(rows(CRIME_TYPES[usize::from(*t)], by_group, confidence));
    }
    out.extend(rows(ALL_CRIME, &all, confidence));
    out
}

fn rows(category: &str, by_group: &[u64; 7], confidence: f64) -> Vec<GroupShare> {
    let crimes: u64 = by_group.iter().sum();
    Group::ALL
        .iter()
        .map(|&group| {
            let count = by_group[group as usize];
            let (ci_low, ci_high) = super::exact::clopper_pearson(count, crimes, confidence);
            GroupShare {
                category: category.to_string(),
                group,
                crimes,
                count,
                share: count as f64 / crimes as f64,
                ci_low,
                ci_high,
            }
        })
        .collect()
}
