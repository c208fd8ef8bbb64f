//! Offence groups (data, not code): which Home Office group each category belongs to, read from a
//! TOML file such as `data/offence-groups.toml`. A category in no group is an error naming the
//! closest known labels, never a silent drop.

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
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Groups {
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
    #[serde(skip)]
    pub file: String,
}

impl Groups {
    /// Reads a groups file; `display` names it in errors.
    pub fn load(path: &Path, display: &str) -> Result<Groups> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: display.to_string(),
            source: e,
        })?;
        let mut groups: Groups = toml::from_str(&text).map_err(|e| Error::Config {
            path: display.to_string(),
            message: e.to_string(),
        })?;
        groups.file = display.to_string();
        Ok(groups)
    }

    /// The group `category` belongs to, or an error listing the closest known labels.
    pub fn of(&self, category: &str) -> Result<&Group> {
        let key = label::match_key(category);
        self.groups
            .iter()
            .find(|g| g.categories.iter().any(|c| label::match_key(c) == key))
            .ok_or_else(|| {
                let known: Vec<&str> = self.groups.iter().flat_map(|g| g.categories.iter().map(String::as_str)).collect();
                Error::Framework {
                    file: self.file.clone(),
                    entry: format!("category `{category}`"),
                    message: format!(
                        "matches no offence group; add it to a group's categories (closest known: {})",
                        crate::outcomes::verdict::closest(category, &known).join(", ")
                    ),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn city_labels_find_their_groups() {
        let g = Groups::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/offence-groups.toml"),
            "groups",
        )
        .unwrap();
        assert_eq!(
            g.of("Burglary - residential").unwrap().name,
            "Theft offences"
        );
        assert_eq!(
            g.of("Robbery of personal property").unwrap().name,
            "Robbery"
        );
        let e = g.of("Cyber flashing").unwrap_err().to_string();
        assert!(e.contains("matches no offence group"), "{e}");
    }
}
