//! The tidy model every source is turned into: one [`Observation`] per figure, and one
//! [`InputFile`] per file read, which is the provenance each figure carries.

use serde::Serialize;

use crate::harmonise::Period;

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A count of crimes or incidents.
    Count,
    /// A percentage (0 to 100).
    Percent,
    /// A rate per some population.
    Rate,
}

/// A figure as published.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Value {
    Count(i64),
    Measure(f64),
    /// Withheld by the publisher; the marker as written (`[x]`, `*`, `..`). Never a zero.
    Suppressed(String),
}

/// One figure: `value` of `category` in `area` over `period`, from input file number `input`
/// (an index into [`Dataset::inputs`]) at `line`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub input: usize,
    pub line: u64,
    pub area: String,
    pub category: String,
    pub period: Period,
    pub value: Value,
    pub unit: Unit,
}

/// Where figures came from, and the reconciliation of that file: every data row read is either
/// counted or rejected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputFile {
    /// The source's name in the config (or its kind, for `--source`).
    pub source: String,
    pub kind: String,
    /// The path as the user gave it (relative to the config file for config sources).
    pub path: String,
    pub sha256: String,
    pub publisher: Option<String>,
    pub rows_read: u64,
    pub rows_counted: u64,
    pub rows_rejected: u64,
    /// The periods the file holds figures for, in order.
    pub periods: Vec<Period>,
}

/// Everything read from the sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dataset {
    pub inputs: Vec<InputFile>,
    pub observations: Vec<Observation>,
}

impl Dataset {
    /// The distinct areas, in the order first seen.
    pub fn areas(&self) -> Vec<&str> {
        let mut areas: Vec<&str> = Vec::new();
        for o in &self.observations {
            if !areas.contains(&o.area.as_str()) {
                areas.push(&o.area);
            }
        }
        areas
    }

    /// The distinct periods, in time order.
    pub fn periods(&self) -> Vec<Period> {
        let mut periods: Vec<Period> = self.observations.iter().map(|o| o.period).collect();
        periods.sort();
        periods.dedup();
        periods
    }
}
