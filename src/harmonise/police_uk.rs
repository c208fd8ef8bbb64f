//! data.police.uk crime types: the 14 used since May 2013, and how older labels map onto them.
//!
//! History (data.police.uk): "Violent crime" was renamed "Violence and sexual offences" in May 2013;
//! "Public disorder and weapons" was split into Public order and Possession of weapons, and Bicycle
//! theft and Theft from the person were split out of Other theft, also in May 2013. Before September
//! 2011 there were only six categories. A split label is mapped to the part that kept its scope
//! (so the series is continuous in total) and every series it touches is marked as broken at the
//! change.

use crate::harmonise::{Month, label};

/// The label of anti-social behaviour incidents, which are not recorded crime.
pub const ASB: &str = "Anti-social behaviour";

/// The 14 current crime types, in data.police.uk's order, ASB first.
pub const CRIME_TYPES: [&str; 14] = [
    ASB,
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
];

/// A pre-May-2013 label, the current type it is counted as, and the current types whose series it
/// breaks.
#[derive(Debug)]
pub struct Legacy {
    pub label: &'static str,
    pub current: &'static str,
    pub breaks: &'static [&'static str],
    pub note: &'static str,
}

/// The month the current 14 categories began.
pub fn category_change() -> Month {
    Month::new(2013, 5).expect("May 2013 is a valid month")
}

/// The month data.police.uk's eleven categories began. Before it there were six: anti-social
/// behaviour, burglary, robbery, vehicle crime, violent crime and other crime, which held the rest.
pub fn eleven_categories() -> Month {
    Month::new(2011, 9).expect("September 2011 is a valid month")
}

/// The current types data.police.uk published in its six categories before September 2011 (as
/// themselves or under a label counted as them).
pub const SIX_CATEGORIES: [&str; 6] = [
    ASB,
    "Burglary",
    "Other crime",
    "Robbery",
    "Vehicle crime",
    "Violence and sexual offences",
];

/// The current types first published in May 2013 (before it, within Other theft and Public
/// disorder and weapons).
pub const SINCE_MAY_2013: [&str; 3] = [
    "Bicycle theft",
    "Possession of weapons",
    "Theft from the person",
];

/// Whether data.police.uk published the current type `current` (one of [`CRIME_TYPES`]), as itself
/// or under a label counted as it, in `month`. Where it did not, a month's 0 says nothing about
/// crime: the type was counted in another category.
pub fn published_in(current: &str, month: Month) -> bool {
    if month >= category_change() {
        return true;
    }
    if SINCE_MAY_2013.contains(&current) {
        return false;
    }
    month >= eleven_categories() || SIX_CATEGORIES.contains(&current)
}

/// Which of data.police.uk's category schemes `month` falls in: 0 for the six categories (to
/// August 2011), 1 for the eleven (to April 2013), 2 for the fourteen.
pub fn scheme(month: Month) -> u8 {
    if month >= category_change() {
        2
    } else if month >= eleven_categories() {
        1
    } else {
        0
    }
}

pub const LEGACY: [Legacy; 3] = [
    Legacy {
        label: "Violent crime",
        current: "Violence and sexual offences",
        breaks: &[],
        note: "renamed Violence and sexual offences in May 2013",
    },
    Legacy {
        label: "Public disorder and weapons",
        current: "Public order",
        breaks: &["Public order", "Possession of weapons"],
        note: "split into Public order and Possession of weapons in May 2013",
    },
    Legacy {
        label: "All other crime",
        current: "Other crime",
        breaks: &["Other crime"],
        note: "the six categories used before September 2011 grouped most crime here",
    },
];

/// The current type a label is counted as: its index in [`CRIME_TYPES`], and the legacy mapping
/// used, if any. `None` for a label that matches nothing (an error for the caller to report).
pub fn crime_type(raw: &str) -> Option<(usize, Option<&'static Legacy>)> {
    if let Some(found) = exact_type(raw.as_bytes()) {
        return Some(found);
    }
    let key = label::match_key(raw);
    if let Some(i) = CRIME_TYPES.iter().position(|t| label::match_key(t) == key) {
        return Some((i, None));
    }
    let legacy = LEGACY.iter().find(|l| label::match_key(l.label) == key)?;
    let i = CRIME_TYPES.iter().position(|t| *t == legacy.current)?;
    Some((i, Some(legacy)))
}

/// [`crime_type`] of a label spelt exactly as data.police.uk publishes it, a current category or
/// a legacy one, found by comparing bytes (no case folding, no allocation: it runs per row, and
/// inlined against the constant labels it costs a few compares); `None` for any other spelling.
#[inline(always)]
pub fn exact_type(raw: &[u8]) -> Option<(usize, Option<&'static Legacy>)> {
    if let Some(i) = CRIME_TYPES.iter().position(|t| t.as_bytes() == raw) {
        return Some((i, None));
    }
    let legacy = LEGACY.iter().find(|l| l.label.as_bytes() == raw)?;
    let i = CRIME_TYPES.iter().position(|t| *t == legacy.current)?;
    Some((i, Some(legacy)))
}

/// Other theft before May 2013 included bicycle theft and theft from the person: those three
/// series break at the change even though the label did not.
pub const SPLIT_FROM_OTHER_THEFT: [&str; 3] =
    ["Other theft", "Bicycle theft", "Theft from the person"];

/// Whether a category label is anti-social behaviour (never added into crime totals).
pub fn is_asb(category: &str) -> bool {
    label::match_key(category) == label::match_key(ASB)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schemes as FORMATS.md gives them: six categories to August 2011, eleven to April 2013
    /// (Public order through "Public disorder and weapons"), fourteen since.
    #[test]
    fn which_types_each_scheme_published() {
        let m = |y, mo| Month::new(y, mo).unwrap();
        let count = |month| {
            CRIME_TYPES
                .iter()
                .filter(|t| published_in(t, month))
                .count()
        };
        assert_eq!(count(m(2010, 12)), 6);
        assert_eq!(count(m(2011, 8)), 6);
        assert_eq!(count(m(2011, 9)), 11);
        assert_eq!(count(m(2013, 4)), 11);
        assert_eq!(count(m(2013, 5)), 14);
        assert!(!published_in("Shoplifting", m(2011, 8)));
        assert!(published_in("Public order", m(2012, 1)));
        assert!(!published_in("Possession of weapons", m(2012, 1)));
        assert!(published_in("Violence and sexual offences", m(2010, 12)));
    }

    #[test]
    fn labels_as_published_are_found_by_their_bytes() {
        let found = |raw: &[u8]| exact_type(raw).map(|(i, l)| (CRIME_TYPES[i], l.map(|l| l.label)));
        for t in CRIME_TYPES {
            assert_eq!(found(t.as_bytes()), Some((t, None)), "{t}");
        }
        assert_eq!(
            found(b"All other crime"),
            Some(("Other crime", Some("All other crime")))
        );
        assert_eq!(
            found(b"Public disorder and weapons"),
            Some(("Public order", Some("Public disorder and weapons")))
        );
        // Another spelling is left to `crime_type`, which folds case and spacing.
        assert_eq!(found(b"violent crime"), None);
        assert_eq!(found(b"Drugs "), None);
        assert_eq!(found(b""), None);
        assert_eq!(
            crime_type("Drugs ").map(|t| CRIME_TYPES[t.0]),
            Some("Drugs")
        );
    }

    #[test]
    fn current_and_legacy_labels() {
        assert_eq!(crime_type("Bicycle theft").unwrap().0, 1);
        assert_eq!(
            CRIME_TYPES[crime_type("violent crime").unwrap().0],
            "Violence and sexual offences"
        );
        assert_eq!(
            CRIME_TYPES[crime_type("Public disorder and weapons").unwrap().0],
            "Public order"
        );
        assert!(crime_type("Violent crime").unwrap().1.is_some());
        assert!(crime_type("Cybercrime").is_none());
        assert!(
            is_asb("Anti-social behaviour") && is_asb("anti-social  behaviour") && !is_asb("Drugs")
        );
    }
}
