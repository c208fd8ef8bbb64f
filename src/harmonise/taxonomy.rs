//! The category taxonomy (data, not code; `data/taxonomy.toml`): Home Office offence groups and
//! subgroups, the other names each subgroup goes by, and how the data.police.uk crime types relate
//! to the groups. Matching ignores case, dash style and spacing; a label that matches nothing is an
//! error naming the closest known labels, never a silent drop.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::harmonise::label;

/// The taxonomy shipped with saferstats (`data/taxonomy.toml`), used when the config names none.
pub const SHIPPED: &str = include_str!("../../data/taxonomy.toml");

/// Where the shipped taxonomy says it comes from, in messages.
pub const SHIPPED_NAME: &str = "data/taxonomy.toml (shipped)";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    /// Counted in "acquisitive crime" (theft offences and robbery).
    #[serde(default)]
    pub acquisitive: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub note: Option<String>,
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

/// A total across groups ("Total recorded crime"): published alongside its parts, never a part.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Total {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Groups the total leaves out ("excluding fraud").
    #[serde(default)]
    pub excludes: Vec<String>,
    pub note: Option<String>,
}

/// A data.police.uk crime type and the Home Office groups it draws on.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliceUkType {
    #[serde(rename = "type")]
    pub crime_type: String,
    pub groups: Vec<String>,
    /// The Home Office subgroups the type holds (by name or alias; canonical names once loaded):
    /// an indicator named by one is measured by the type where no finer figure exists.
    #[serde(default)]
    pub subgroups: Vec<String>,
    pub note: Option<String>,
}

impl PoliceUkType {
    /// Whether the type cannot be matched one-to-one with a single Home Office group.
    pub fn spans_several_groups(&self) -> bool {
        self.groups.len() > 1
    }
}

/// How fine a category is: a subgroup is a part of its group, a group a part of every total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Subgroup,
    Group,
    Total,
}

/// What a label names: its canonical name, level and (for a subgroup) group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub name: String,
    pub level: Level,
    /// The offence group: the subgroup's, or the group itself; `None` for a total.
    pub group: Option<String>,
    /// For a total: the groups it leaves out.
    pub excludes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    #[serde(default, rename = "subgroup")]
    pub subgroups: Vec<Subgroup>,
    #[serde(default, rename = "total")]
    pub totals: Vec<Total>,
    #[serde(default, rename = "police_uk")]
    pub police_uk: Vec<PoliceUkType>,
    /// Changes of definition, by the subgroups they changed.
    #[serde(default, rename = "break")]
    pub breaks: Vec<crate::model::SeriesBreak>,
    /// The files it was read from, for messages.
    #[serde(skip)]
    pub file: String,
    /// Every label's match key and what it names, finest level first; built by `validate`.
    #[serde(skip)]
    index: HashMap<String, Resolved>,
}

impl Taxonomy {
    /// Reads and validates a taxonomy file; `display` names it in errors.
    pub fn load(path: &Path, display: &str) -> Result<Taxonomy> {
        let mut t = Self::read(path, display)?;
        t.validate()?;
        Ok(t)
    }

    /// The shipped taxonomy.
    pub fn shipped() -> Taxonomy {
        let mut t = Self::parse(SHIPPED, SHIPPED_NAME).expect("the shipped taxonomy parses");
        t.validate().expect("the shipped taxonomy is valid");
        t
    }

    fn read(path: &Path, display: &str) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: display.to_string(),
            source: e,
        })?;
        Self::parse(&text, display)
    }

    fn parse(text: &str, display: &str) -> Result<Taxonomy> {
        let mut t: Taxonomy = toml::from_str(text).map_err(|e| Error::Config {
            path: display.to_string(),
            message: e.to_string(),
        })?;
        t.file = display.to_string();
        Ok(t)
    }

    /// Adds a user's file: new groups, subgroups and totals, and more aliases for existing ones
    /// (an entry whose name exists adds its aliases to it).
    pub fn extend_with_file(&mut self, path: &Path, display: &str) -> Result<()> {
        let more = Self::read(path, display)?;
        self.file = format!("{} + {display}", self.file);
        for g in more.groups {
            match self
                .groups
                .iter_mut()
                .find(|x| crate::model::same_name(&x.name, &g.name))
            {
                Some(x) => x.aliases.extend(g.aliases),
                None => self.groups.push(g),
            }
        }
        for s in more.subgroups {
            match self
                .subgroups
                .iter_mut()
                .find(|x| crate::model::same_name(&x.name, &s.name))
            {
                Some(x) => x.aliases.extend(s.aliases),
                None => self.subgroups.push(s),
            }
        }
        for t in more.totals {
            match self
                .totals
                .iter_mut()
                .find(|x| crate::model::same_name(&x.name, &t.name))
            {
                Some(x) => x.aliases.extend(t.aliases),
                None => self.totals.push(t),
            }
        }
        self.police_uk.extend(more.police_uk);
        self.breaks.extend(more.breaks);
        self.validate()
    }

    /// Adds aliases from the config (`label = "canonical name"`); `display` names the config.
    pub fn add_aliases(&mut self, aliases: &BTreeMap<String, String>, display: &str) -> Result<()> {
        for (alias, target) in aliases {
            let entry = format!("[taxonomy.aliases] `{alias}`");
            let err = |message: String| Error::Framework {
                file: display.to_string(),
                entry: entry.clone(),
                message,
            };
            let resolved = self.resolve(target).map_err(|e| err(e.to_string()))?;
            let list = match resolved.level {
                Level::Subgroup => self
                    .subgroups
                    .iter_mut()
                    .find(|x| x.name == resolved.name)
                    .map(|x| &mut x.aliases),
                Level::Group => self
                    .groups
                    .iter_mut()
                    .find(|x| x.name == resolved.name)
                    .map(|x| &mut x.aliases),
                Level::Total => self
                    .totals
                    .iter_mut()
                    .find(|x| x.name == resolved.name)
                    .map(|x| &mut x.aliases),
            };
            list.expect("resolved names exist").push(alias.clone());
        }
        self.validate()
    }

    fn error(&self, entry: String, message: String) -> Error {
        Error::Framework {
            file: self.file.clone(),
            entry,
            message,
        }
    }

    /// Checks every group reference, then indexes every label (unique within its level).
    fn validate(&mut self) -> Result<()> {
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
        let left_out = self.totals.iter().flat_map(|t| {
            t.excludes
                .iter()
                .map(move |g| (format!("total `{}`", t.name), g))
        });
        if let Some((entry, g)) = referenced
            .chain(by_type)
            .chain(left_out)
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
        let mut index: HashMap<String, Resolved> = HashMap::new();
        for level in [Level::Subgroup, Level::Group, Level::Total] {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for (name, labels) in self.entries(level) {
                for l in labels {
                    let key = label::match_key(l);
                    if let Some(other) = seen.insert(key.clone(), name).filter(|o| *o != name) {
                        return Err(self.error(
                            format!("{} `{name}`", level.word()),
                            format!("the label `{l}` also names {} `{other}`", level.word()),
                        ));
                    }
                    // A label at two levels names the finer (indexed first).
                    index
                        .entry(key)
                        .or_insert_with(|| self.resolved(name, level));
                }
            }
        }
        self.index = index;
        self.name_breaks()?;
        self.name_police_uk_subgroups()
    }

    /// Each data.police.uk type's subgroups by their canonical names; a label that names no
    /// subgroup, or a subgroup two types claim, is an error naming the type.
    fn name_police_uk_subgroups(&mut self) -> Result<()> {
        let mut types = std::mem::take(&mut self.police_uk);
        let mut claimed: HashMap<String, String> = HashMap::new();
        for t in &mut types {
            for s in &mut t.subgroups {
                let entry = || format!("police_uk `{}`", t.crime_type);
                let name = self
                    .subgroup(s)
                    .map_err(|e| self.error(entry(), e.to_string()))?
                    .name
                    .clone();
                if let Some(other) = claimed.insert(name.clone(), t.crime_type.clone()) {
                    let message = format!("subgroup `{name}` is also held by `{other}`");
                    return Err(self.error(entry(), message));
                }
                *s = name;
            }
        }
        self.police_uk = types;
        Ok(())
    }

    /// The data.police.uk type that holds the subgroup `label` names, where the taxonomy says.
    pub fn police_uk_type_holding(&self, label: &str) -> Option<&PoliceUkType> {
        let r = self.index.get(&label::match_key(label))?;
        let name = (r.level == Level::Subgroup).then_some(&r.name)?;
        self.police_uk.iter().find(|p| p.subgroups.contains(name))
    }

    /// The offence group a comparison row counts towards in shares, and whether it is acquisitive:
    /// a subgroup's group; a data.police.uk type's one group, or the type itself where it spans
    /// several (acquisitive when all are); `None` for a type in no group (anti-social behaviour,
    /// not crime). Any other label is an error naming the closest.
    pub fn share_group(&self, label: &str) -> Result<Option<(String, bool)>> {
        let key = label::match_key(label);
        let group = |name: &str| self.groups.iter().find(|g| g.name == name);
        let police_uk = self
            .police_uk
            .iter()
            .find(|p| label::match_key(&p.crime_type) == key);
        let Some(t) = police_uk.filter(|_| !self.index.contains_key(&key)) else {
            let r = self.resolve(label)?;
            let g = r.group.as_deref().and_then(group).ok_or_else(|| {
                let message = format!("names the total `{}`, not a category", r.name);
                self.error(format!("category `{label}`"), message)
            })?;
            return Ok(Some((g.name.clone(), g.acquisitive)));
        };
        let groups: Vec<&Group> = t.groups.iter().filter_map(|g| group(g)).collect();
        Ok(match groups.as_slice() {
            [] => None,
            [one] => Some((one.name.clone(), one.acquisitive)),
            many => Some((t.crime_type.clone(), many.iter().all(|g| g.acquisitive))),
        })
    }

    /// Whether `label` names anything the taxonomy knows: a subgroup, group or total (by name or
    /// alias), or a data.police.uk type.
    pub fn knows(&self, label: &str) -> bool {
        let key = label::match_key(label);
        self.index.contains_key(&key)
            || self
                .police_uk
                .iter()
                .any(|p| label::match_key(&p.crime_type) == key)
    }

    /// Each break's categories by their canonical names; a label the taxonomy does not know is an
    /// error naming the break.
    fn name_breaks(&mut self) -> Result<()> {
        let mut breaks = std::mem::take(&mut self.breaks);
        for b in &mut breaks {
            for c in &mut b.categories {
                let resolved = self
                    .resolve(c)
                    .map_err(|e| self.error(format!("break from {}", b.from), e.to_string()))?;
                *c = resolved.name;
            }
        }
        self.breaks = breaks;
        Ok(())
    }

    /// Each entry of a level: its name and every label it answers to (the name first).
    fn entries(&self, level: Level) -> Vec<(&str, Vec<&str>)> {
        match level {
            Level::Subgroup => self
                .subgroups
                .iter()
                .map(|s| entry(&s.name, &s.aliases))
                .collect(),
            Level::Group => self
                .groups
                .iter()
                .map(|g| entry(&g.name, &g.aliases))
                .collect(),
            Level::Total => self
                .totals
                .iter()
                .map(|t| entry(&t.name, &t.aliases))
                .collect(),
        }
    }

    /// What a label names, finest level first (`Public order offences` is both a subgroup and a
    /// group: the subgroup), or an error naming the closest known labels.
    pub fn resolve(&self, category: &str) -> Result<Resolved> {
        if let Some(r) = self.index.get(&label::match_key(category)) {
            return Ok(r.clone());
        }
        let known: Vec<&str> = [Level::Subgroup, Level::Group, Level::Total]
            .into_iter()
            .flat_map(|level| self.entries(level))
            .flat_map(|(_, labels)| labels)
            .collect();
        let closest = crate::harmonise::label::closest(category, &known).join(", ");
        Err(self.error(
            format!("category `{category}`"),
            format!("matches no subgroup, group, total or alias; closest: {closest}. Add it as an alias under [taxonomy.aliases] in the config if it names one of these"),
        ))
    }

    /// Whether `label` names a total (a sum across groups) rather than a category.
    pub fn is_total(&self, label: &str) -> bool {
        let found = self.index.get(&label::match_key(label));
        found.is_some_and(|r| r.level == Level::Total)
    }

    /// `label` as a typed category: its canonical name where the taxonomy knows it (never an
    /// error: a label the taxonomy does not know is still a category of the source's own).
    pub fn category(&self, label: &str) -> crate::model::Category {
        let canonical = self
            .index
            .get(&label::match_key(label))
            .map(|r| r.name.clone());
        crate::model::Category::new(label, canonical)
    }

    /// [`Taxonomy::resolve`] for a cell of an input: the error names the file, row and column.
    pub fn resolve_at(
        &self,
        category: &str,
        at: &crate::error::Location,
        column: &str,
    ) -> Result<Resolved> {
        self.resolve(category).map_err(|e| match e {
            Error::Framework { message, .. } => Error::Row {
                at: at.clone(),
                message: format!(
                    "column `{column}`: `{}` {message} (taxonomy: {})",
                    category.trim(),
                    self.file
                ),
            },
            other => other,
        })
    }

    fn resolved(&self, name: &str, level: Level) -> Resolved {
        let group = match level {
            Level::Subgroup => self
                .subgroups
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.group.clone()),
            Level::Group => Some(name.to_string()),
            Level::Total => None,
        };
        let excludes = match level {
            Level::Total => self
                .totals
                .iter()
                .find(|t| t.name == name)
                .map(|t| t.excludes.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        Resolved {
            name: name.to_string(),
            level,
            group,
            excludes,
        }
    }

    /// The subgroup a label names (by its name or an alias), or an error naming the closest labels.
    pub fn subgroup(&self, category: &str) -> Result<&Subgroup> {
        let r = self.resolve(category)?;
        match r.level {
            Level::Subgroup => Ok(self
                .subgroups
                .iter()
                .find(|s| s.name == r.name)
                .expect("resolved names exist")),
            _ => Err(self.error(
                format!("category `{category}`"),
                format!("names the {} `{}`, not a subgroup", r.level.word(), r.name),
            )),
        }
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

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

impl Level {
    fn word(self) -> &'static str {
        match self {
            Level::Subgroup => "subgroup",
            Level::Group => "group",
            Level::Total => "total",
        }
    }
}

fn entry<'a>(name: &'a str, aliases: &'a [String]) -> (&'a str, Vec<&'a str>) {
    (
        name,
        std::iter::once(name)
            .chain(aliases.iter().map(String::as_str))
            .collect(),
    )
}

#[cfg(test)]
mod tests;
