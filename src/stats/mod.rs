//! Stats: pure functions from observations to numbers. Nothing here formats or writes.
//!
//! - [`exact`]: the exact conditional test for two Poisson counts and its ratio interval.
//! - [`dispersion`]: the quasi-Poisson test where sub-periods show extra variation, and the
//!   adjustment of many p-values at once (Benjamini-Hochberg, Holm).
//! - [`counts`]: picking one area's counts for one period.
//! - [`compare`]: two periods side by side, per category and in total.
//! - [`trend`]: monthly series with rolling 12-month averages.
//! - [`rates`]: rates per population with Byar / exact Poisson intervals.
//! - [`funnel`]: funnel plot limits (exact Poisson, 95% and 99.8%) around a benchmark rate.
//! - [`spc`]: XmR charts of monthly series; [`longterm`]: the annual trend and seasonal profile.

pub mod compare;
pub mod concentration;
pub mod counts;
pub mod dispersion;
pub mod disproportionality;
pub mod exact;
pub mod funnel;
pub mod gaps;
pub mod hotspot;
pub mod justice;
pub mod justice_change;
pub mod justice_evidence;
pub mod longterm;
pub mod peers;
pub mod place;
pub mod place_change;
pub mod rates;
pub mod search_change;
pub mod searches;
pub mod shares;
pub mod spc;
pub mod trend;

pub use compare::{Change, Comparison, compare};

/// How a comparison judges change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareSettings {
    /// Significance level; intervals are at confidence `1 - alpha`.
    pub alpha: f64,
    /// A count at or below this is a small number: its percentage change gets a caveat.
    pub small_numbers: i64,
    /// How the categories' p-values are adjusted for testing them all at once.
    pub adjust: dispersion::Adjust,
}

impl Default for CompareSettings {
    fn default() -> Self {
        CompareSettings {
            alpha: 0.05,
            small_numbers: 10,
            adjust: dispersion::Adjust::Bh,
        }
    }
}

impl CompareSettings {
    /// Checks the settings make sense, saying which one does not.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(format!(
                "alpha must lie between 0 and 1 (exclusive), not {}",
                self.alpha
            ));
        }
        if self.small_numbers < 0 {
            return Err(format!(
                "small_numbers must be 0 or more, not {}",
                self.small_numbers
            ));
        }
        Ok(())
    }
}
