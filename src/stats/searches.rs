//! Stop and search: counts by object of search, legislation, ethnicity, age range or type, with
//! the find rate (the outcome linked to the object of search) and the arrest rate, each with its
//! exact (Clopper-Pearson) interval. A search with the field empty is counted under "(not
//! recorded)", never dropped.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::model::justice::{Justice, Search, SearchMonth};
use crate::model::{Month, Period};

/// What to group searches by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SearchBy {
    Object,
    Legislation,
    /// Self-defined ethnicity, as published.
    Ethnicity,
    Age,
    Type,
    Gender,
}

impl std::str::FromStr for SearchBy {
    type Err = String;

    /// The command line's names: the [`SearchBy::key`]s.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let all = [
            SearchBy::Object,
            SearchBy::Legislation,
            SearchBy::Ethnicity,
            SearchBy::Age,
            SearchBy::Type,
            SearchBy::Gender,
        ];
        let keys: Vec<&str> = all.iter().map(|b| b.key()).collect();
        all.into_iter()
            .find(|b| b.key().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("`{s}` is none of {}", keys.join(", ")))
    }
}

impl SearchBy {
    pub fn key(self) -> &'static str {
        match self {
            SearchBy::Object => "object",
            SearchBy::Legislation => "legislation",
            SearchBy::Ethnicity => "ethnicity",
            SearchBy::Age => "age",
            SearchBy::Type => "type",
            SearchBy::Gender => "gender",
        }
    }

    /// The field searches are grouped by, as published ("(not recorded)" where it is empty).
    pub fn value(self, s: &Search) -> &str {
        let v = self.field(s);
        if v.is_empty() { NOT_RECORDED } else { v }
    }

    fn field(self, s: &Search) -> &str {
        match self {
            SearchBy::Object => &s.object,
            SearchBy::Legislation => &s.legislation,
            SearchBy::Ethnicity => &s.self_defined_ethnicity,
            SearchBy::Age => &s.age_range,
            SearchBy::Type => &s.kind,
            SearchBy::Gender => &s.gender,
        }
    }
}

/// The value of searches whose field is empty.
pub const NOT_RECORDED: &str = "(not recorded)";
/// The name of the all-searches row.
pub const ALL_SEARCHES: &str = "All searches";

/// One group's searches, finds and arrests.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchGroup {
    pub value: String,
    pub searches: u64,
    /// Finds, their rate and its interval; `None` when some of the group's searches come from a
    /// release without the outcome-linked column (a find rate of 0 would be invented).
    pub found: Option<u64>,
    pub find_rate: Option<f64>,
    pub find_ci: Option<(f64, f64)>,
    pub arrests: u64,
    pub arrest_rate: f64,
    pub arrest_ci: (f64, f64),
    /// Strip searches (removal of more than outer clothing); `None` when some of the group's
    /// searches come from a release without that column.
    pub strip: Option<u64>,
    pub without_location: u64,
}

/// A period's searches of one area, grouped.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Searches {
    pub area: String,
    pub period: Period,
    pub by: SearchBy,
    /// The period's months with stop-and-search files; fewer than its months is a partial period.
    pub months: BTreeSet<Month>,
    pub groups: Vec<SearchGroup>,
}

#[derive(Default)]
struct Tally {
    searches: u64,
    found: u64,
    link_unknown: u64,
    strip_unknown: u64,
    arrests: u64,
    strip: u64,
    without_location: u64,
}

impl Tally {
    fn add(&mut self, s: &Search) {
        self.searches += 1;
        self.found += u64::from(s.linked == Some(true));
        self.link_unknown += u64::from(s.linked.is_none());
        self.strip_unknown += u64::from(s.strip.is_none());
        self.arrests += u64::from(s.is_arrest());
        self.strip += u64::from(s.strip == Some(true));
        self.without_location += u64::from(!s.located);
    }

    fn group(&self, value: &str, confidence: f64) -> SearchGroup {
        let rate = |k: u64| k as f64 / self.searches as f64;
        let ci = |k: u64| super::exact::clopper_pearson(k, self.searches, confidence);
        let known = self.link_unknown == 0;
        SearchGroup {
            value: value.to_string(),
            searches: self.searches,
            found: known.then_some(self.found),
            find_rate: known.then(|| rate(self.found)),
            find_ci: known.then(|| ci(self.found)),
            arrests: self.arrests,
            arrest_rate: rate(self.arrests),
            arrest_ci: ci(self.arrests),
            strip: (self.strip_unknown == 0).then_some(self.strip),
            without_location: self.without_location,
        }
    }
}

/// `area`'s stop-and-search files of `period`; refused when there are none.
pub fn files_of<'a>(j: &'a Justice, area: &str, period: Period) -> Result<Vec<&'a SearchMonth>> {
    let files: Vec<_> = j
        .searches
        .iter()
        .filter(|f| crate::model::same_name(&f.area, area) && period.contains(f.month))
        .collect();
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "searches: {area} has no stop-and-search files in {period}; it needs the archive's stop-and-search files (read with the `police-uk` source)"
        )));
    }
    Ok(files)
}

/// `area`'s searches in `period` by `by` (values in order, "(not recorded)" among them), then
/// all searches; refused when the period has no stop-and-search files for the area.
pub fn searches(
    j: &Justice,
    (area, period): (&str, Period),
    by: SearchBy,
    confidence: f64,
) -> Result<Searches> {
    let files = files_of(j, area, period)?;
    let mut by_value: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    for s in files.iter().flat_map(|f| &f.searches) {
        let value = by.value(s);
        by_value.entry(value).or_default().add(s);
        all.add(s);
    }
    let mut groups: Vec<SearchGroup> = by_value
        .iter()
        .map(|(v, t)| t.group(v, confidence))
        .collect();
    groups.push(all.group(ALL_SEARCHES, confidence));
    Ok(Searches {
        area: area.to_string(),
        period,
        by,
        months: files.iter().map(|f| f.month).collect(),
        groups,
    })
}
