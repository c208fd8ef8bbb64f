//! Which part of an archive to read: the forces and months asked for, each force-month once,
//! none from the future.

use std::collections::BTreeMap;

use super::archive::{Archive, Entry};
use super::file::{self, BadRows, Kind, Name};
use crate::error::{Error, Result};
use crate::harmonise::Month;

/// Which part of an archive to read, and how strictly.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Force slugs to read (all when empty).
    pub forces: Vec<String>,
    /// First and last month to read (inclusive).
    pub from: Option<Month>,
    pub to: Option<Month>,
    pub bad_rows: BadRows,
    /// Local-authority name prefixes of LSOAs inside each force's area, by force slug.
    pub force_areas: BTreeMap<String, Vec<String>>,
    /// Show a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
    /// The incremental cache's folder; `None` reads every file afresh.
    pub cache_dir: Option<std::path::PathBuf>,
    /// Keep counts by LSOA (for `counts --by lsoa` and the Parquet export); otherwise only the
    /// per-file totals and quality figures are kept, which is what comparisons need.
    pub lsoa_detail: bool,
    /// Keep counts by anonymised street point (for `place`): the cache keeps no points, so every
    /// street file is parsed.
    pub point_detail: bool,
    /// The area points are wanted for: only the files of the forces it names keep them (every
    /// file's, when it names none of the archive's forces).
    pub point_area: Option<String>,
    /// The force slugs whose files keep points (set from `point_area` once the files are chosen;
    /// `None`: every file).
    pub point_forces: Option<std::collections::BTreeSet<String>>,
    /// The force slugs whose files keep their LSOA detail, when points are wanted for an area
    /// that is itself a force (set with `point_forces`; `None`: every file, as attributing a
    /// local authority needs every force that locates crimes in its LSOAs).
    pub lsoa_forces: Option<std::collections::BTreeSet<String>>,
    /// The months (first and last of each period asked for) whose files keep points; `None`:
    /// every month.
    pub point_months: Option<Vec<(Month, Month)>>,
    /// Keep each recorded crime's Crime ID and the outcome and stop-and-search files' rows (for
    /// `justice` and `searches`), of the area's forces only: the cache keeps none of them, so
    /// every file is parsed.
    pub justice_detail: bool,
    /// Read the archive for [`justice_detail`](Self::justice_detail) only: its street files give
    /// the Crime IDs of the outcome join, never counts (another source counts the crimes).
    pub justice_only: bool,
    /// Read and hash every file instead of taking files the cache knows by their fingerprint.
    pub rehash: bool,
    /// LSOA codes to the areas of another geography, for `--area` naming one of them.
    pub lookup: Option<super::lookup::Lookup>,
}

/// The entries to read, named and checked: selected forces and months, no force-month twice.
pub(super) fn choose(
    archive: &Archive,
    selection: &Selection,
    display: &str,
) -> Result<Vec<(Entry, Name)>> {
    let mut chosen: Vec<(Entry, Name)> = Vec::new();
    let mut seen: BTreeMap<(String, Month, Kind), String> = BTreeMap::new();
    let this_month = current_month();
    for entry in archive.entries()? {
        let name = file::parse_name(&entry.name).map_err(|e| within(display, e))?;
        if !selected(&name, selection) {
            continue;
        }
        if name.month > this_month {
            return Err(Error::Usage(format!(
                "{display}: {} is for {}, which has not happened yet; check the file's name",
                entry.name, name.month
            )));
        }
        let key = (name.force.clone(), name.month, name.kind);
        if let Some(first) = seen.insert(key, entry.name.clone()) {
            return Err(Error::Usage(format!(
                "{display}: {} {} for {} is supplied twice ({first} and {}); keep one release of each force-month",
                name.force,
                name.kind.label(),
                name.month,
                entry.name
            )));
        }
        chosen.push((entry, name));
    }
    if chosen.is_empty() {
        return Err(Error::Usage(format!(
            "{display}: no data.police.uk files for the chosen forces and months"
        )));
    }
    Ok(chosen)
}

fn within(display: &str, e: Error) -> Error {
    match e {
        Error::Header { at, message } => Error::Header {
            at: crate::error::Location {
                file: format!("{display}: {}", at.file),
                line: at.line,
                in_sheet: false,
            },

            message,
        },
        other => other,
    }
}

fn selected(name: &Name, s: &Selection) -> bool {
    (s.forces.is_empty() || s.forces.iter().any(|f| f.eq_ignore_ascii_case(&name.force)))
        && s.from.is_none_or(|m| name.month >= m)
        && s.to.is_none_or(|m| name.month <= m)
}

/// This month, by the machine's clock: files for later months are refused.
fn current_month() -> Month {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    Month::new(today.year(), today.month() as u8).expect("the clock gives a valid month")
}

/// Whether the file `name` keeps its Crime IDs, outcomes or searches: they are wanted, of its
/// force (the area's forces, as for points).
pub fn keeps_crimes(s: &Selection, name: &Name) -> bool {
    s.justice_detail
        && s.point_forces
            .as_ref()
            .is_none_or(|f| f.contains(&name.force))
}

/// Whether the file `name` keeps its points: points are wanted, of its force and its month.
pub fn keeps_points(s: &Selection, name: &Name) -> bool {
    s.point_detail
        && s.point_forces
            .as_ref()
            .is_none_or(|f| f.contains(&name.force))
        && in_point_months(s, name.month)
}

/// `s` with the forces whose files keep their points for `area` (see [`point_forces`]) and,
/// when `area` is itself a force by name (not a local authority one force covers), the same
/// forces alone keeping their LSOA detail: nothing is attributed to a force from the others.
pub fn for_area(s: &Selection, area: &str, slugs: &[&str]) -> Selection {
    let point_forces = point_forces(slugs.iter().copied(), area, &s.force_areas);
    let by_name = point_forces_by_name(slugs, area);
    let lsoa_forces = by_name.filter(|f| Some(f) == point_forces.as_ref());
    Selection {
        point_forces,
        lsoa_forces,
        ..s.clone()
    }
}

fn point_forces_by_name(slugs: &[&str], area: &str) -> Option<std::collections::BTreeSet<String>> {
    point_forces(slugs.iter().copied(), area, &BTreeMap::new())
}

/// Whether the file `name` keeps its LSOA detail: every file's is kept, but for an area that is
/// a force, only its own files' of the months that keep points (nothing else is asked of them).
pub fn keeps_lsoas(s: &Selection, name: &Name) -> bool {
    s.lsoa_detail
        && s.lsoa_forces
            .as_ref()
            .is_none_or(|f| f.contains(&name.force) && in_point_months(s, name.month))
}

fn in_point_months(s: &Selection, month: Month) -> bool {
    s.point_months
        .as_ref()
        .is_none_or(|m| m.iter().any(|(a, b)| (*a..=*b).contains(&month)))
}

/// The forces among `slugs` whose files `area` draws its points from: a force whose slug's words
/// stand in the area's name in order (`metropolitan` in "Metropolitan Police Service",
/// `city-of-london` in "City of London Police"), or whose area is the local authority named;
/// `None` (every force) when none does.
pub fn point_forces<'a>(
    slugs: impl Iterator<Item = &'a str>,
    area: &str,
    force_areas: &BTreeMap<String, Vec<String>>,
) -> Option<std::collections::BTreeSet<String>> {
    let words: Vec<String> = crate::harmonise::label::match_key(area)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let named = |slug: &str| {
        let s: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).collect();
        !s.is_empty()
            && words
                .windows(s.len())
                .any(|w| w.iter().zip(&s).all(|(a, b)| a == b))
    };
    let authority = |slug: &str| {
        force_areas
            .get(slug)
            .is_some_and(|las| las.iter().any(|la| crate::model::same_name(la, area)))
    };
    let found: std::collections::BTreeSet<String> = slugs
        .filter(|s| named(s) || authority(s))
        .map(str::to_string)
        .collect();
    (!found.is_empty()).then_some(found)
}

#[cfg(test)]
mod point_tests {
    use super::*;

    const SLUGS: [&str; 3] = ["bedfordshire", "city-of-london", "metropolitan"];

    /// Points and LSOA detail wanted; Bedfordshire covers two authorities, the City's force one.
    fn wanted() -> Selection {
        Selection {
            lsoa_detail: true,
            point_detail: true,
            force_areas: BTreeMap::from([
                (
                    "bedfordshire".to_string(),
                    vec!["Bedford".to_string(), "Luton".to_string()],
                ),
                (
                    "city-of-london".to_string(),
                    vec!["City of London".to_string()],
                ),
            ]),
            ..Selection::default()
        }
    }

    fn file(force: &str, month: &str) -> Name {
        Name {
            month: month.parse().unwrap(),
            force: force.into(),
            kind: Kind::Street,
        }
    }

    #[test]
    fn only_a_force_by_name_drops_the_other_forces_lsoa_detail() {
        let (s, slugs) = (wanted(), SLUGS);
        let met = for_area(&s, "Metropolitan Police Service", &slugs);
        assert!(
            keeps_lsoas(&met, &file("metropolitan", "2017-04"))
                && !keeps_lsoas(&met, &file("bedfordshire", "2017-04"))
        );
        assert!(
            keeps_points(&met, &file("metropolitan", "2017-04"))
                && !keeps_points(&met, &file("city-of-london", "2017-04"))
        );
        // The City's force is named and is the City's only force: the same alone.
        let city = for_area(&s, "City of London Police", &slugs);
        assert!(
            keeps_lsoas(&city, &file("city-of-london", "2017-04"))
                && !keeps_lsoas(&city, &file("metropolitan", "2017-04"))
        );
        // A local authority is attributed from every force's LSOAs: all keep theirs.
        let bedford = for_area(&s, "Bedford", &slugs);
        assert!(
            keeps_points(&bedford, &file("bedfordshire", "2017-04"))
                && !keeps_points(&bedford, &file("metropolitan", "2017-04"))
        );
        assert!(
            slugs
                .iter()
                .all(|f| keeps_lsoas(&bedford, &file(f, "2017-04")))
        );
    }

    #[test]
    fn only_the_months_asked_for_keep_points() {
        let (s, slugs) = (wanted(), SLUGS);
        let met = for_area(&s, "Metropolitan Police Service", &slugs);
        let april = Selection {
            point_months: Some(vec![(
                "2017-04".parse().unwrap(),
                "2017-06".parse().unwrap(),
            )]),
            ..met.clone()
        };
        assert!(keeps_points(&april, &file("metropolitan", "2017-06")));
        assert!(!keeps_points(&april, &file("metropolitan", "2017-07")));
        assert!(!keeps_lsoas(&april, &file("metropolitan", "2017-07")));
        // A local authority's LSOA detail is kept whatever the months.
        let la = Selection {
            point_months: april.point_months.clone(),
            ..for_area(&s, "Bedford", &slugs)
        };
        assert!(keeps_lsoas(&la, &file("metropolitan", "2017-07")));
    }

    #[test]
    fn the_forces_an_area_draws_its_points_from() {
        let areas = BTreeMap::from([(
            "city-of-london".to_string(),
            vec!["City of London".to_string()],
        )]);
        let slugs = [
            "metropolitan",
            "city-of-london",
            "essex",
            "sussex",
            "btp",
            "north-yorkshire",
        ];
        let of = |area: &str| {
            point_forces(slugs.iter().copied(), area, &areas)
                .map(|s| s.into_iter().collect::<Vec<_>>())
        };
        assert_eq!(
            of("Metropolitan Police Service"),
            Some(vec!["metropolitan".to_string()])
        );
        assert_eq!(
            of("City of London Police"),
            Some(vec!["city-of-london".to_string()])
        );
        // A local authority a force's area is named for.
        assert_eq!(
            of("City of London"),
            Some(vec!["city-of-london".to_string()])
        );
        // Whole words only: Essex is not in "Sussex Police".
        assert_eq!(of("Sussex Police"), Some(vec!["sussex".to_string()]));
        assert_eq!(
            of("North Yorkshire Police"),
            Some(vec!["north-yorkshire".to_string()])
        );
        // A name no slug spells (British Transport Police is `btp`), or a borough inside a force:
        // every force keeps its points.
        assert_eq!(of("British Transport Police"), None);
        assert_eq!(of("Camden"), None);
    }
}
