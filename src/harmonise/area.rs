//! Whose figures: a data.police.uk archive is a force's, and a partnership is usually one local
//! authority inside a force. The LSOA a row is located in names its authority (`Maidstone 001A`
//! is in Maidstone), so an authority's figures are the rows located in its LSOAs; rows located
//! elsewhere are outside it and rows with no location cannot be attributed to any area. A lookup
//! given with the archive names other geographies' areas by LSOA code, and is read the same way.

use std::collections::{BTreeMap, BTreeSet};

use crate::harmonise::police_uk::{CRIME_TYPES, is_asb};
use crate::model::{Category, Dataset, LsoaRecord, Month, Observation, Period, Unit, Value};

/// The local authority an LSOA's name gives: `Westminster 013B` -> `Westminster`; `None` for a
/// name that does not end in an LSOA code (three digits and a letter), or no name at all.
pub fn authority_of(lsoa_name: &str) -> Option<&str> {
    let (authority, code) = lsoa_name.trim().rsplit_once(' ')?;
    let b = code.as_bytes();
    let is_code =
        b.len() == 4 && b[..3].iter().all(u8::is_ascii_digit) && b[3].is_ascii_uppercase();
    is_code.then_some(authority)
}

/// Whether an LSOA's authority is `area`, written either way round: the Home Office writes the
/// City's CSP `London, City of` where its LSOAs say `City of London`.
pub fn is_authority(lsoa_authority: &str, area: &str) -> bool {
    let turned = area
        .split_once(", ")
        .map(|(head, tail)| format!("{tail} {head}"));
    crate::model::same_name(lsoa_authority, area)
        || turned.is_some_and(|t| crate::model::same_name(lsoa_authority, &t))
}

/// Crimes (anti-social behaviour apart) every force located in `area`'s LSOAs in `period`, when
/// every month of it is in the archive; `None` otherwise (or when none is located there).
pub fn located_in(data: &Dataset, area: &str, period: Period) -> Option<u64> {
    let inside = |r: &&LsoaRecord| locates(data, r, area);
    let records: Vec<&LsoaRecord> = data.lsoa.iter().filter(inside).collect();
    let forces: BTreeSet<&str> = records.iter().map(|r| &*r.area).collect();
    let whole = !forces.is_empty()
        && forces.iter().all(|f| {
            let have = data.coverage.get(*f);
            period
                .months()
                .all(|m| have.is_some_and(|h| h.contains(&m)))
        });
    let crimes = |r: &LsoaRecord| -> u64 {
        let types = CRIME_TYPES.iter().zip(r.counts);
        types
            .filter(|(c, _)| !is_asb(c))
            .map(|(_, n)| u64::from(n))
            .sum()
    };
    let located = records
        .iter()
        .filter(|r| period.contains(r.month))
        .map(|r| crimes(r));
    whole.then(|| located.sum())
}

/// Whether `r` is located in `area`: an authority its LSOA's name gives, or an area a lookup gives
/// its LSOA code.
fn locates(data: &Dataset, r: &LsoaRecord, area: &str) -> bool {
    authority_of(&r.lsoa_name).is_some_and(|a| is_authority(a, area))
        || data
            .lsoa_areas
            .get(&*r.lsoa_code)
            .is_some_and(|a| crate::model::same_name(a, area))
}

/// `area` as the data spells it: an LSOA name's authority, else a lookup's area.
fn spelling(data: &Dataset, area: &str) -> Option<String> {
    let authority = data
        .lsoa
        .iter()
        .filter_map(|r| authority_of(&r.lsoa_name))
        .find(|a| is_authority(a, area));
    let looked_up = || {
        let areas = data.lsoa_areas.values();
        areas
            .map(String::as_str)
            .find(|a| crate::model::same_name(a, area))
    };
    authority.or_else(looked_up).map(str::to_string)
}

/// An authority's figures built from the rows located in its LSOAs, every crime type and month
/// all the forces that located them publish (zeros included), and those forces.
pub struct Attributed {
    /// The authority as its LSOA names spell it.
    pub name: String,
    pub observations: Vec<Observation>,
    pub months: BTreeSet<Month>,
    pub forces: Vec<String>,
}

/// The figures of `authority` (as its LSOA names spell it), from every force's rows located there;
/// `None` when no row is located in it.
pub fn attribute(data: &Dataset, authority: &str) -> Option<Attributed> {
    let inside = |r: &&LsoaRecord| locates(data, r, authority);
    data.lsoa.iter().find(inside)?;
    let name = spelling(data, authority)?;
    Some(assemble(data, name, data.lsoa.iter().filter(inside)))
}

/// Every local authority the LSOA names give, each with its figures as [`attribute`] builds them,
/// in one pass over the LSOA detail (a national archive names about 330), by name.
pub fn attribute_all(data: &Dataset) -> Vec<Attributed> {
    let mut groups: BTreeMap<&str, Vec<&LsoaRecord>> = BTreeMap::new();
    for r in &data.lsoa {
        if let Some(a) = authority_of(&r.lsoa_name) {
            groups.entry(a).or_default().push(r);
        }
    }
    groups
        .into_iter()
        .map(|(name, records)| assemble(data, name.to_string(), records.into_iter()))
        .collect()
}

/// An authority's monthly figures from the LSOA records located in it: every crime type and
/// month all the forces that located them publish, zeros included.
fn assemble<'a>(
    data: &Dataset,
    name: String,
    records: impl Iterator<Item = &'a LsoaRecord>,
) -> Attributed {
    let mut sums: BTreeMap<Month, ([u64; 14], usize)> = BTreeMap::new();
    let mut forces: Vec<String> = Vec::new();
    for r in records {
        let entry = sums.entry(r.month).or_insert(([0; 14], r.input));
        for (t, n) in r.counts.iter().enumerate() {
            entry.0[t] += u64::from(*n);
        }
        if !forces.iter().any(|f| f.as_str() == &*r.area) {
            forces.push(r.area.to_string());
        }
    }
    // A month one of those forces did not publish is missing for the authority too: its figure
    // would hold only the other forces' crimes.
    let covered = |f: &String| data.coverage.get(f).cloned().unwrap_or_default();
    let mut months: BTreeSet<Month> = forces.first().map(covered).unwrap_or_default();
    for f in forces.iter().skip(1) {
        months = months.intersection(&covered(f)).copied().collect();
    }
    let input_of = |m: &Month| {
        sums.get(m)
            .map(|s| s.1)
            .or_else(|| sums.values().next().map(|s| s.1))
    };
    let area = name.clone();
    let observations = months
        .iter()
        .flat_map(|m| {
            let counts = sums.get(m).map_or([0; 14], |s| s.0);
            let input = input_of(m).unwrap_or(0);
            let area = area.clone();
            CRIME_TYPES
                .iter()
                .enumerate()
                .map(move |(t, c)| Observation {
                    input,
                    line: 0,
                    area: area.clone(),
                    category: Category::from(*c),
                    period: Period::Month(*m),
                    value: Value::Count(counts[t] as i64),
                    unit: Unit::Count,
                })
        })
        .collect();
    Attributed {
        name,
        observations,
        months,
        forces,
    }
}

/// How a force's crimes (anti-social behaviour apart) in a period split for one authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Every crime the force's street files hold.
    pub force: u64,
    /// Those located in the authority's LSOAs.
    pub located: u64,
    /// Located in other LSOAs.
    pub elsewhere: u64,
    /// With no location: attributable to no area.
    pub unlocated: u64,
}

/// `force`'s crimes in `period`, split by where they are located relative to `authority`.
pub fn split(data: &Dataset, force: &str, authority: &str, period: Period) -> Split {
    let mut s = Split {
        force: 0,
        located: 0,
        elsewhere: 0,
        unlocated: 0,
    };
    for r in data
        .lsoa
        .iter()
        .filter(|r| &*r.area == force && period.contains(r.month))
    {
        let crimes: u64 = CRIME_TYPES
            .iter()
            .zip(r.counts)
            .filter(|(c, _)| !is_asb(c))
            .map(|(_, n)| u64::from(n))
            .sum();
        s.force += crimes;
        if r.lsoa_code.is_empty() {
            s.unlocated += crimes;
        } else if locates(data, r, authority) {
            s.located += crimes;
        } else {
            s.elsewhere += crimes;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_lsoa_name_gives_its_authority() {
        assert_eq!(authority_of("Westminster 013B"), Some("Westminster"));
        assert_eq!(authority_of("City of London 001F"), Some("City of London"));
        assert_eq!(
            authority_of("Kingston upon Hull 012A"),
            Some("Kingston upon Hull")
        );
        assert_eq!(authority_of(""), None);
        assert_eq!(authority_of("Westminster"), None);
        assert_eq!(authority_of("Westminster 13B"), None);
    }
}
