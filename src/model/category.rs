//! Categories as types: a crime category is resolved once, at ingest, into the label as
//! published, the key two spellings of one name share, and (where the taxonomy knows it) its
//! canonical name. No stage after ingest compares raw label strings.

use std::fmt;

use serde::{Serialize, Serializer};

/// The key two labels are matched on: lower case, every dash as `-`, no space around dashes,
/// runs of white space folded to one space. "Burglary – Residential" (en dash), "Burglary -
/// Residential" and "burglary -residential" share one key.
pub fn label_key(label: &str) -> String {
    key_chars(label).collect()
}

/// The characters of [`label_key`], without allocating: each word's dashes as `-`, one space
/// between words except beside a dash, all lower case.
fn key_chars(label: &str) -> impl Iterator<Item = char> + '_ {
    let dash = |c: char| match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => '-',
        c => c,
    };
    let is_dash = move |c: Option<char>| c.map(dash) == Some('-');
    let mut prev_ends_dash: Option<bool> = None;
    label.split_whitespace().flat_map(move |word| {
        let space = prev_ends_dash.is_some_and(|ended| !ended && !is_dash(word.chars().next()));
        prev_ends_dash = Some(is_dash(word.chars().last()));
        space
            .then_some(' ')
            .into_iter()
            .chain(word.chars().map(dash).flat_map(char::to_lowercase))
    })
}

/// Whether two names (of areas, measures or categories) name one thing: case, dash style and
/// spacing ignored.
pub fn same_name(a: &str, b: &str) -> bool {
    a == b || key_chars(a).eq(key_chars(b))
}

/// The area a kind of detail (street points, outcome rows) is read for: `preferred` when the
/// detail holds it (by [`same_name`]), else the only area it holds; `None` when it holds none or
/// several others.
pub fn detail_area<'a>(areas: impl Iterator<Item = &'a str>, preferred: &str) -> Option<&'a str> {
    let areas: std::collections::BTreeSet<&str> = areas.collect();
    if let Some(a) = areas.iter().find(|a| same_name(a, preferred)) {
        return Some(a);
    }
    match areas.len() {
        1 => areas.into_iter().next(),
        _ => None,
    }
}

/// A category: what a source called it, the key it is compared on, and the taxonomy's name for
/// it where the label names a known subgroup, group, total or alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    published: String,
    key: String,
    canonical: Option<String>,
}

impl Category {
    /// A category as published, with the taxonomy's name for it when there is one.
    pub fn new(published: impl Into<String>, canonical: Option<String>) -> Category {
        let published = published.into();
        Category {
            key: label_key(&published),
            published,
            canonical,
        }
    }

    /// The label as the source published it: what tables and charts show.
    pub fn as_str(&self) -> &str {
        &self.published
    }

    /// The key labels are compared on (case, dash style and spacing ignored).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The taxonomy's name for it, where the taxonomy knows the label.
    pub fn canonical(&self) -> Option<&str> {
        self.canonical.as_deref()
    }

    /// Whether `other` names the same category: one spelling of the same label, or two labels
    /// the taxonomy takes to the same entry (a name and its alias).
    pub fn names_same(&self, other: &Category) -> bool {
        self.key == other.key
            || matches!((self.canonical(), other.canonical()), (Some(a), Some(b)) if a == b)
    }
}

impl From<&str> for Category {
    fn from(label: &str) -> Category {
        Category::new(label, None)
    }
}

impl From<String> for Category {
    fn from(label: String) -> Category {
        Category::new(label, None)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.published)
    }
}

impl Serialize for Category {
    /// As published: every JSON output shows the label the source used.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.published)
    }
}

impl PartialEq<str> for Category {
    fn eq(&self, other: &str) -> bool {
        self.published == other
    }
}

impl PartialEq<&str> for Category {
    fn eq(&self, other: &&str) -> bool {
        self.published == *other
    }
}

impl PartialEq<Category> for String {
    fn eq(&self, other: &Category) -> bool {
        *self == other.published
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_keys_by_hand() {
        let cases = [
            ("Burglary \u{2013} Residential", "burglary-residential"),
            ("Burglary -  Residential", "burglary-residential"),
            ("burglary -residential", "burglary-residential"),
            ("  Other   theft ", "other theft"),
            ("a - - b", "a--b"),
            (
                "Violence and sexual offences",
                "violence and sexual offences",
            ),
            ("", ""),
        ];
        for (label, key) in cases {
            assert_eq!(label_key(label), key, "{label:?}");
        }
        assert!(same_name(
            "Anti-social behaviour",
            "ANTI \u{2011} social  Behaviour"
        ));
        assert!(!same_name("Other theft", "Other thefts"));
        assert!(!same_name("Other theft", "Othertheft"));
    }

    /// The key as the string passes spell it: fold white space, join, drop the spaces beside
    /// dashes, lower-case.
    fn passes_key(label: &str) -> String {
        let dashed: String = label
            .chars()
            .map(|c| {
                if "\u{2010}\u{2013}\u{2212}".contains(c) {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let words: Vec<&str> = dashed.split_whitespace().collect();
        words
            .join(" ")
            .replace(" -", "-")
            .replace("- ", "-")
            .to_lowercase()
    }

    proptest::proptest! {
        /// The one-pass key is the string passes' key, and `same_name` is equal keys.
        #[test]
        fn one_pass_key_is_the_passes_key(
            a in "[aB \u{2010}\u{2013}\u{2212}\t-]{0,10}",
            b in "[aB \u{2010}\u{2013}\u{2212}\t-]{0,10}",
        ) {
            proptest::prop_assert_eq!(label_key(&a), passes_key(&a));
            proptest::prop_assert_eq!(same_name(&a, &b), passes_key(&a) == passes_key(&b));
        }
    }

    #[test]
    fn spellings_of_one_name_are_one_category_and_keep_their_label() {
        let dash = Category::from("Burglary – Residential");
        let hyphen = Category::from("burglary -residential");
        assert_eq!(dash.key(), "burglary-residential");
        assert!(dash.names_same(&hyphen));
        assert_eq!(hyphen.to_string(), "burglary -residential");
        assert_eq!(
            serde_json::to_string(&dash).unwrap(),
            "\"Burglary – Residential\""
        );
    }

    #[test]
    fn an_alias_is_the_same_category_through_the_taxonomy() {
        let name = Category::new("Domestic burglary", Some("Residential burglary".into()));
        let alias = Category::new(
            "Burglary in a dwelling",
            Some("Residential burglary".into()),
        );
        assert!(name.names_same(&alias));
        assert!(!name.names_same(&Category::from("Burglary in a dwelling")));
    }
}
