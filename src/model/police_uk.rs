//! What a data.police.uk archive yields beyond counts: street counts by LSOA and the quality of
//! each force-month.

use serde::Serialize;

use crate::model::{Month, Period};

/// One street file's counts by LSOA, kept for `counts --by lsoa`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LsoaCount {
    /// The period asked for (a month, a financial year, ...): what its rows are labelled with.
    pub period: Period,
    pub area: String,
    pub lsoa_code: String,
    pub lsoa_name: String,
    pub category: String,
    pub count: u64,
}

/// One street file's counts for one LSOA, compact: expanded into [`LsoaCount`]s only when asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LsoaRecord {
    /// The street file it came from (an index into `Dataset::inputs`).
    pub input: usize,
    pub month: Month,
    pub area: std::sync::Arc<str>,
    pub lsoa_code: Box<str>,
    pub lsoa_name: Box<str>,
    /// Count per crime type (index into `harmonise::police_uk::CRIME_TYPES`).
    pub counts: [u32; 14],
}

/// Quality figures for one force-month (reports/data-quality.csv).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForceMonthQuality {
    pub area: String,
    pub month: Month,
    pub rows: u64,
    pub no_location: u64,
    /// Located rows in LSOAs outside the force's area; `None` when the area is not configured.
    pub outside_area: Option<u64>,
    pub duplicate_ids: u64,
    pub rejected: u64,
}
