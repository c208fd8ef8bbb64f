//! The category taxonomy (data, not code; `data/taxonomy.toml`): Home Office offence groups and
//! subgroups, the other names each subgroup goes by, and how the data.police.uk crime types relate
//! to the groups. Matching ignores case, dash style and spacing; a label that matches nothing is an
//! error naming the closest known labels, never a silent drop.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::harmonise::label;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    /// Counted in "acquisitive crime" (theft offences and robbery).
    pub acquisitive: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subgroup {
    pub name: String,
    pub group: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub note: Option<String>,
}

/// A data.police.uk crime type and the Home Office groups it draws on.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliceUkType {
    #[serde(rename = "type")]
    pub crime_type: String,
    pub groups: Vec<String>,
    pub note: Option<String>,
}

impl PoliceUkType {
    /// Whether the type cannot be matched one-to-one with a single Home Office group.
    pub fn spans_several_groups(&self) -> bool {
        self.groups.len() > 1
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
    #[serde(rename = "subgroup")]
    pub subgroups: Vec<Subgroup>,
    #[serde(default, rename = "police_uk")]
    pub police_uk: Vec<PoliceUkType>,
    #[serde(skip)]
    pub file: String,
}

impl Taxonomy {
    /// Reads and validates a taxonomy file; `display` names it in errors.
    pub fn load(path: &Path, display: &str) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: display.to_string(),
            source: e,
        })?;
        let mut t: Taxonomy = toml::from_str(&text).map_err(|e| Error::Config {
            path: display.to_string(),
            message: e.to_string(),
        })?;
        t.file = display.to_string();
        t.validate()?;
        Ok(t)
    }

    fn error(&self, entry: String, message: String) -> Error {
        Error::Framework {
            file: self.file.clone(),
            entry,
            message,
        }
    }

    fn validate(&self) -> Result<()> {
        let group_names: Vec<&str> = self.groups.iter().map(|g| g.name.as_str()).collect();
        let referenced = self
            .subgroups
            .iter()
            .map(|s| (format!("subgroup `{}`", s.name), &s.group));
        let by_type = self.police_uk.iter().flat_map(|p| {
            p.groups
                .iter()
                .map(move |g| (format!("police_uk `{}`", p.crime_type), g))
        });
        if let Some((entry, g)) = referenced
            .chain(by_type)
            .find(|(_, g)| !group_names.contains(&g.as_str()))
        {
            return Err(self.error(
                entry,
                format!(
                    "group `{g}` is not a [[group]] ({})",
                    group_names.join(", ")
                ),
            ));
        }
        let mut seen: Vec<(String, &str)> = Vec::new();
        for s in &self.subgroups {
            for l in std::iter::once(&s.name).chain(&s.aliases) {
                let key = label::match_key(l);
                if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
                    return Err(self.error(
                        format!("subgroup `{}`", s.name),
                        format!("the label `{l}` also names subgroup `{other}`"),
                    ));
                }
                seen.push((key, &s.name));
            }
        }
        Ok(())
    }

    /// The subgroup a label names (by its name or an alias), or an error naming the closest labels.
    pub fn subgroup(&self, category: &str) -> Result<&Subgroup> {
        let key = label::match_key(category);
        let names = |s: &Subgroup| {
            std::iter::once(s.name.clone())
                .chain(s.aliases.clone())
                .collect::<Vec<_>>()
        };
        self.subgroups
            .iter()
            .find(|s| names(s).iter().any(|l| label::match_key(l) == key))
            .ok_or_else(|| {
                let known: Vec<String> = self.subgroups.iter().flat_map(names).collect();
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                let closest = crate::outcomes::verdict::closest(category, &known).join(", ");
                self.error(
                    format!("category `{category}`"),
                    format!("matches no subgroup or alias; closest: {closest}"),
                )
            })
    }

    /// The offence group of a label.
    pub fn group_of(&self, category: &str) -> Result<&Group> {
        let sub = self.subgroup(category)?;
        Ok(self
            .groups
            .iter()
            .find(|g| g.name == sub.group)
            .expect("validated on load"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Taxonomy {
        Taxonomy::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/taxonomy.toml"),
            "taxonomy",
        )
        .unwrap()
    }

    #[test]
    fn labels_and_drift_resolve_to_subgroups() {
        let t = shipped();
        let cases = [
            ("Burglary - residential", "Residential burglary"),
            ("Burglary – Business/Community", "Non-residential burglary"),
            ("Domestic burglary", "Residential burglary"),
            ("Other theft offences", "All other theft offences"),
            ("RAPE OFFENCES", "Rape"),
            ("Stalking and Harassment", "Stalking and harassment"),
            ("Public disorder", "Public order offences"),
            (
                "Death or serious injury unlawful driving",
                "Death or serious injury caused by illegal driving",
            ),
        ];
        for (label, subgroup) in cases {
            assert_eq!(t.subgroup(label).unwrap().name, subgroup, "{label}");
        }
        assert_eq!(
            t.group_of("Robbery of personal property").unwrap().name,
            "Robbery"
        );
        let e = t.subgroup("Cyber flashing").unwrap_err().to_string();
        assert!(e.contains("matches no subgroup or alias; closest:"), "{e}");
    }

    #[test]
    fn police_uk_types_that_span_groups_say_so() {
        let t = shipped();
        let violence = t
            .police_uk
            .iter()
            .find(|p| p.crime_type == "Violence and sexual offences")
            .unwrap();
        assert!(violence.spans_several_groups());
        assert_eq!(
            t.police_uk
                .iter()
                .filter(|p| p.spans_several_groups())
                .count(),
            1
        );
        assert_eq!(t.police_uk.len(), 14);
    }

    #[test]
    fn a_label_claimed_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.toml");
        let text = "[[group]]\nname = \"G\"\nacquisitive = false\n[[subgroup]]\nname = \"A\"\ngroup = \"G\"\n[[subgroup]]\nname = \"B\"\ngroup = \"G\"\naliases = [\"a\"]\n";
        std::fs::write(&path, text).unwrap();
        let e = Taxonomy::load(&path, "t.toml").unwrap_err().to_string();
        assert!(
            e.contains("t.toml: subgroup `B`: the label `a` also names subgroup `A`"),
            "{e}"
        );
    }
}
