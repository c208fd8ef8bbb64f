//! Render: turn computed numbers into tables and charts. Formatting lives here and only here.
//!
//! - [`format`]: fixed number formats (thousands, signs, significant figures).
//! - [`table`]: CSV, Markdown and terminal tables.
//! - [`chart`]: SVG and PNG figures ([`diverging`]: the percentage-change bars).
//! - [`export`]: the one place a command's output format is chosen.
//! - [`icons`]: the at-a-glance table's variation and assurance icons.
//! - [`reason`]: verdict reasons in words.
//! - [`spc`]: the XmR chart table.
//! - [`sheets`]: the one-table sections typed for the data appendix.
//! - [`summary`]: the executive summary's sentences.

pub mod chart;
pub mod diverging;
pub mod export;
pub mod format;
pub mod funnel;
pub mod geojson;
pub mod icons;
pub mod justice;
pub mod justice_charts;
pub mod map;
pub mod outcomes;
pub mod place;
pub mod reason;
pub mod reconciliation;
pub mod sections;
pub mod sheets;
pub mod spc;
pub mod summary;
pub mod table;
pub mod trend;
