//! data.police.uk outcome types into the Home Office's outcome groups, from the shipped table
//! `data/outcome-groups.csv` (a table, not code: a new outcome type is a new row there).
//!
//! Court results (`Offender fined`, `Defendant found not guilty`, ...) follow a charge or summons
//! and are in that group. `rank` orders the outcomes a crime gets in one month: the highest is
//! the one it stood at (a court result after the charge, a charge after "under investigation").

use std::sync::OnceLock;

/// The shipped table.
pub const SHIPPED: &str = include_str!("../../data/outcome-groups.csv");

/// A Home Office outcome group, as the table's `group` column names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Group {
    Charged,
    OutOfCourt,
    Evidential,
    PublicInterest,
    NoSuspect,
    OtherBody,
    /// Under investigation, or no outcome recorded yet.
    Awaiting,
}

impl Group {
    pub const ALL: [Group; 7] = [
        Group::Charged,
        Group::OutOfCourt,
        Group::Evidential,
        Group::PublicInterest,
        Group::NoSuspect,
        Group::OtherBody,
        Group::Awaiting,
    ];

    /// The key the table uses.
    pub fn key(self) -> &'static str {
        match self {
            Group::Charged => "charged",
            Group::OutOfCourt => "out_of_court",
            Group::Evidential => "evidential",
            Group::PublicInterest => "public_interest",
            Group::NoSuspect => "no_suspect",
            Group::OtherBody => "other_body",
            Group::Awaiting => "awaiting",
        }
    }

    /// The group as a reader says it.
    pub fn label(self) -> &'static str {
        match self {
            Group::Charged => "Charged or summonsed",
            Group::OutOfCourt => {
                "Out-of-court disposal (caution, penalty notice, community resolution)"
            }
            Group::Evidential => "Evidential difficulties",
            Group::PublicInterest => "Not in the public interest",
            Group::NoSuspect => "Investigation complete, no suspect identified",
            Group::OtherBody => "Action by another organisation",
            Group::Awaiting => "Under investigation or no outcome yet",
        }
    }

    /// The group an outcome-rate measure names (`charge rate: ...`, `no suspect rate: ...`):
    /// its key with spaces, its label, or a short name; case and hyphens aside.
    pub fn of_rate_name(name: &str) -> Option<Group> {
        let key = |n: &str| crate::model::label_key(&n.replace('-', " "));
        let k = key(name);
        let short = |g: Group| match g {
            Group::Charged => &["charge", "charged", "charge or summons"][..],
            Group::OutOfCourt => &["out of court", "out of court disposal"][..],
            Group::Evidential => &["evidential difficulties"][..],
            Group::PublicInterest => &["public interest"][..],
            Group::NoSuspect => &["no suspect", "no suspect identified"][..],
            Group::OtherBody => &["other body", "another organisation"][..],
            Group::Awaiting => &["under investigation"][..],
        };
        Group::ALL.into_iter().find(|&g| {
            [g.key().replace('_', " ").as_str(), g.label()]
                .into_iter()
                .chain(short(g).iter().copied())
                .any(|n| key(n) == k)
        })
    }

    fn of_key(key: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.key() == key)
    }
}

/// One outcome type of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeType {
    pub label: String,
    pub group: Group,
    pub rank: u8,
}

/// The outcome types, in the table's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups {
    pub types: Vec<OutcomeType>,
}

#[derive(serde::Deserialize)]
struct Row {
    outcome_type: String,
    group: String,
    rank: u8,
}

impl Groups {
    /// Reads a table with the columns `outcome_type,group,rank`; says which row is wrong.
    pub fn parse(text: &str) -> Result<Groups, String> {
        let mut types: Vec<OutcomeType> = Vec::new();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for (i, row) in reader.deserialize::<Row>().enumerate() {
            let line = i + 2;
            let row = row.map_err(|e| format!("line {line}: {e}"))?;
            let group = Group::of_key(row.group.trim()).ok_or_else(|| {
                let keys: Vec<&str> = Group::ALL.iter().map(|g| g.key()).collect();
                format!(
                    "line {line}: `{}` is not a group ({})",
                    row.group,
                    keys.join(", ")
                )
            })?;
            let label = row.outcome_type.trim().to_string();
            if types.iter().any(|t| t.label.eq_ignore_ascii_case(&label)) {
                return Err(format!("line {line}: `{label}` is listed twice"));
            }
            types.push(OutcomeType {
                label,
                group,
                rank: row.rank,
            });
        }
        Ok(Groups { types })
    }

    /// The shipped table (checked by the tests, so it always reads).
    pub fn shipped() -> &'static Groups {
        static SHIPPED_GROUPS: OnceLock<Groups> = OnceLock::new();
        SHIPPED_GROUPS
            .get_or_init(|| Groups::parse(SHIPPED).expect("data/outcome-groups.csv reads"))
    }

    /// The index of the outcome type `label` (as published, ignoring case and outer spaces).
    pub fn find(&self, label: &[u8]) -> Option<u16> {
        let label = std::str::from_utf8(label).ok()?.trim();
        let i = self
            .types
            .iter()
            .position(|t| t.label.eq_ignore_ascii_case(label))?;
        u16::try_from(i).ok()
    }

    pub fn get(&self, index: u16) -> &OutcomeType {
        &self.types[usize::from(index)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_groups_the_published_types() {
        let g = Groups::shipped();
        let group = |label: &str| g.get(g.find(label.as_bytes()).unwrap()).group;
        assert_eq!(group("Suspect charged"), Group::Charged);
        assert_eq!(group("Offender sent to prison"), Group::Charged);
        assert_eq!(group("Local resolution"), Group::OutOfCourt);
        assert_eq!(group("Unable to prosecute suspect"), Group::Evidential);
        assert_eq!(
            group("investigation complete; no suspect identified "),
            Group::NoSuspect
        );
        assert_eq!(g.find(b"Suspect teleported"), None);
        // A court result outranks the charge it follows.
        let rank = |label: &str| g.get(g.find(label.as_bytes()).unwrap()).rank;
        assert!(rank("Offender fined") > rank("Suspect charged"));
    }

    #[test]
    fn a_bad_table_says_which_line() {
        let e = Groups::parse("outcome_type,group,rank\nA,charged,1\nB,jailed,2\n").unwrap_err();
        assert!(e.starts_with("line 3: `jailed` is not a group"), "{e}");
        let e = Groups::parse("outcome_type,group,rank\nA,charged,1\na,awaiting,2\n").unwrap_err();
        assert!(e.contains("line 3") && e.contains("twice"), "{e}");
    }
}
