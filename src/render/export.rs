//! One output-format abstraction for what a command prints (hyperfine's `Exporter` is the
//! model). A result says how it reads as a terminal table, as CSV and as JSON through
//! [`Export`]; [`export`] is the one place a [`Format`] is chosen. The formats themselves live
//! one per file under [`crate::render::table`].

use serde::Serialize;

use crate::outcomes::OutcomeAssessment;
use crate::render::table;
use crate::stats::Comparison;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned for a terminal.
    Table,
    /// Tidy CSV, for machines.
    Csv,
    /// JSON, numbers as numbers.
    Json,
}

/// A result as every format writes it.
pub trait Export {
    /// An aligned table for a terminal.
    fn text(&self) -> String;
    /// CSV with a header row.
    fn csv(&self) -> String;
    /// Pretty JSON with a final new line.
    fn json(&self) -> String;
}

/// `result` in `format`: the one place the choice is made.
pub fn export(result: &dyn Export, format: Format) -> String {
    match format {
        Format::Table => result.text(),
        Format::Csv => result.csv(),
        Format::Json => result.json(),
    }
}

/// Any value as pretty JSON with a final new line.
pub fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("results serialise") + "\n"
}

/// Formatted rows under a header; JSON is the typed value when there is one (its numbers as
/// numbers), else the rows as objects.
pub struct Rows<'a, T: Serialize> {
    pub header: &'a [&'a str],
    pub cells: &'a [Vec<String>],
    pub typed: Option<&'a T>,
}

impl<T: Serialize> Export for Rows<'_, T> {
    fn text(&self) -> String {
        table::plain(self.header, self.cells)
    }

    fn csv(&self) -> String {
        table::csv_of(self.header, self.cells)
    }

    fn json(&self) -> String {
        match self.typed {
            Some(t) => pretty(t),
            None => table::json_of(self.header, self.cells),
        }
    }
}

impl Export for Comparison {
    fn text(&self) -> String {
        table::comparison_text(self)
    }

    fn csv(&self) -> String {
        table::comparison_csv(self)
    }

    fn json(&self) -> String {
        pretty(self)
    }
}

/// Every area's comparison: one table per area, one CSV with an `area` column.
pub struct AllAreas<'a>(pub &'a [Comparison]);

impl Export for AllAreas<'_> {
    fn text(&self) -> String {
        let tables: Vec<String> = self
            .0
            .iter()
            .map(|c| format!("{}\n{}", c.area, table::comparison_text(c)))
            .collect();
        tables.join("\n")
    }

    fn csv(&self) -> String {
        table::comparisons_csv(self.0)
    }

    fn json(&self) -> String {
        pretty(&self.0)
    }
}

/// The outcome assessment: one row per outcome, or per indicator with `detail`.
pub struct Outcomes<'a> {
    pub assessment: &'a OutcomeAssessment,
    pub detail: bool,
}

impl Export for Outcomes<'_> {
    fn text(&self) -> String {
        crate::render::outcomes::text(self.assessment, self.detail)
    }

    fn csv(&self) -> String {
        crate::render::outcomes::csv(self.assessment, self.detail)
    }

    fn json(&self) -> String {
        pretty(self.assessment)
    }
}
