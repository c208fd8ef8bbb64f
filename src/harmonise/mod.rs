//! Harmonise: make labels from different sources comparable.
//!
//! - [`period`]: reporting periods as types (financial years, quarters, months, rolling years).
//! - [`label`]: the matching key for category names (case, dash style and spacing ignored).

pub mod label;
pub mod period;
pub mod police_uk;
pub mod taxonomy;

pub use period::{FinancialYear, Month, Period, PeriodError};
