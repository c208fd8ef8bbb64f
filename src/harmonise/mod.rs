//! Harmonise: make labels from different sources comparable.
//!
//! - [`period`]: reporting periods as types (financial years, quarters, months, rolling years);
//!   they are ground types, defined in `model` and named here too.
//! - [`label`]: the matching key for category names (case, dash style and spacing ignored).

pub mod area;
pub mod crs;
pub mod label;
pub mod lookup;
pub mod outcome_groups;
pub mod police_uk;
pub mod taxonomy;

pub use crate::model::period;
pub use crate::model::period::{FinancialYear, Month, Period, PeriodError};
