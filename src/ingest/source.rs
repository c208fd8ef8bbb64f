//! Sources: what to read, resolved from the config or a `--source` flag before any file is opened.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::ingest::police_uk::Selection;

/// The kinds of source saferstats reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Summary,
    Tidy,
    /// A data.police.uk archive: a folder tree or a zip.
    PoliceUk,
    /// A Home Office police recorded crime open data table (CSV, xlsx, ods).
    HomeOffice,
    /// The ONS police force area rolling-year file.
    OnsPfa,
    /// A partner dataset laid out in the config.
    Partner,
    /// A population table (denominators for rates).
    Population,
    /// Street counts by anonymised point (`place --by point --detail`), for place analysis.
    Points,
    /// Monthly street counts by force, LSOA and crime type as Parquet (`--export-parquet`'s
    /// layout, or DuckDB's or Spark's output in it).
    Parquet,
}

const KINDS: &str =
    "summary, tidy, police-uk, home-office, ons-pfa, partner, population, points, parquet";

impl FromStr for SourceKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "summary" => Ok(SourceKind::Summary),
            "tidy" => Ok(SourceKind::Tidy),
            "police-uk" | "police.uk" | "policeuk" => Ok(SourceKind::PoliceUk),
            "home-office" | "homeoffice" => Ok(SourceKind::HomeOffice),
            "ons-pfa" | "ons" => Ok(SourceKind::OnsPfa),
            "partner" => Ok(SourceKind::Partner),
            "population" => Ok(SourceKind::Population),
            "points" => Ok(SourceKind::Points),
            "parquet" => Ok(SourceKind::Parquet),
            other => Err(format!(
                "unknown source kind `{other}`; the kinds are {KINDS}"
            )),
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceKind::Summary => "summary",
            SourceKind::Tidy => "tidy",
            SourceKind::PoliceUk => "police-uk",
            SourceKind::HomeOffice => "home-office",
            SourceKind::OnsPfa => "ons-pfa",
            SourceKind::Partner => "partner",
            SourceKind::Population => "population",
            SourceKind::Points => "points",
            SourceKind::Parquet => "parquet",
        })
    }
}

/// One input, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub name: String,
    pub kind: SourceKind,
    /// Where to read it.
    pub path: PathBuf,
    /// The path as the user wrote it, for messages and provenance.
    pub display: String,
    pub area: Option<String>,
    pub publisher: Option<String>,
    /// For archives: which forces and months to read, and how strictly.
    pub selection: Selection,
    /// The text encoding of CSV sources (UTF-8 unless declared).
    pub encoding: crate::ingest::read::Encoding,
    /// For workbooks: the one sheet to read (every sheet holding a table, by default).
    pub sheet: Option<String>,
    /// Partner and population tables: which columns hold what.
    pub layout: Option<crate::ingest::partner::Layout>,
    /// Disclosure control: counts from 1 to this are published as `[c]` (sensitive sources only).
    pub sensitive: Option<i64>,
}

impl Source {
    /// A source with no options set: named by its kind, every force and month, UTF-8.
    pub fn new(kind: SourceKind, path: impl Into<PathBuf>, display: impl Into<String>) -> Source {
        Source {
            name: kind.to_string(),
            kind,
            path: path.into(),
            display: display.into(),
            area: None,
            publisher: None,
            selection: Selection::default(),
            encoding: Default::default(),
            sheet: None,
            layout: None,
            sensitive: None,
        }
    }
}

impl SourceKind {
    /// What a source contributes: recorded crime, partner figures or populations. A `--source`
    /// flag replaces the config's sources of its role only.
    pub fn role(self) -> &'static str {
        match self {
            SourceKind::Partner => "partner",
            SourceKind::Population => "population",
            _ => "crime",
        }
    }
}

/// The local-authority prefixes of LSOA names inside each force's own area, where known.
pub fn default_force_areas() -> BTreeMap<String, Vec<String>> {
    BTreeMap::from([(
        "city-of-london".to_string(),
        vec!["City of London".to_string()],
    )])
}
