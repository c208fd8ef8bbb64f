//! Places: area boundaries (LSOAs, wards, local authorities) read from a boundary file, in British
//! National Grid metres, and the anonymised street points data.police.uk locates crimes at.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

/// A coordinate reference system a boundary file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crs {
    /// British National Grid (OSGB36), EPSG:27700: eastings and northings in metres.
    Bng,
    /// WGS84 (EPSG:4326) longitude and latitude, taken as ETRS89.
    Wgs84,
}

impl FromStr for Crs {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "epsg:27700" | "27700" | "bng" | "osgb36" | "british national grid" => Ok(Crs::Bng),
            "epsg:4326" | "4326" | "wgs84" | "crs84" | "epsg:4258" | "etrs89" => Ok(Crs::Wgs84),
            _ => Err(format!(
                "`{s}` is not a coordinate system saferstats reads; give EPSG:27700 (British National Grid) or EPSG:4326 (WGS84 longitude and latitude)"
            )),
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Crs::Bng => "EPSG:27700",
            Crs::Wgs84 => "EPSG:4326",
        })
    }
}

/// A boundary file as the config declares it (`[[boundaries]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct BoundarySpec {
    /// What the places are (`lsoa`, `ward`, `borough`): how the config and commands name the set.
    pub name: String,
    pub path: PathBuf,
    /// The path as written, for messages.
    pub display: String,
    pub code_column: String,
    pub name_column: String,
    /// The WKT column of a CSV (`geometry`, `WKT` or `the_geom` when not given).
    pub geometry_column: Option<String>,
    /// As declared; otherwise a shapefile's `.prj`, GeoJSON's WGS84, or a CSV's coordinates say.
    pub crs: Option<Crs>,
}

/// One place: its code, its name and its shape in British National Grid metres.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub shape: geo::MultiPolygon<f64>,
}

/// A boundary file, read: its places in file order, and the coordinate system it was in.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundaries {
    pub name: String,
    pub display: String,
    pub crs: Crs,
    pub places: Vec<Place>,
}

/// One anonymised street point of one street file: where data.police.uk put the crimes it
/// counts, per crime type (index into `harmonise::police_uk::CRIME_TYPES`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PointRecord {
    /// The street file it came from (an index into `Dataset::inputs`).
    pub input: usize,
    pub month: crate::model::Month,
    pub area: Arc<str>,
    /// WGS84, as published.
    pub longitude: f64,
    pub latitude: f64,
    /// `On or near ...`, as published.
    pub location: Box<str>,
    pub lsoa_code: Box<str>,
    pub counts: [u32; 14],
}

impl PointRecord {
    /// The point's recorded crimes: every type but anti-social behaviour (the first), which is
    /// not recorded crime and is never added in.
    pub fn crimes(&self) -> u64 {
        self.counts[1..].iter().map(|&n| u64::from(n)).sum()
    }
}

/// One LSOA's population from a population table by LSOA (the ONS mid-year estimates).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LsoaPopulation {
    pub code: String,
    /// The period the table says it serves (`period` on the source); `None`: every period.
    pub period: Option<crate::model::Period>,
    pub population: f64,
    /// The population table it came from (an index into `Dataset::inputs`).
    pub input: usize,
}

/// A lookup from LSOAs to a larger geography as the config declares it (`[[lookup]]`): ONS's
/// best-fit LSOA to ward, MSOA or local authority tables, or a boundary file's own columns.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupSpec {
    /// The geography (`msoa`, `ward`): how `place --lookup` names it.
    pub name: String,
    pub path: PathBuf,
    /// The path as written, for messages.
    pub display: String,
    pub lsoa_column: String,
    pub code_column: String,
    pub name_column: String,
}

/// A lookup, read: each LSOA code's group (code and name).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lookup {
    pub name: String,
    pub display: String,
    pub groups: std::collections::BTreeMap<String, (String, String)>,
}
