//! The library's error type.
//!
//! Every variant says *what* went wrong, *where* (a file and line, or the flag or config key the
//! user typed) and, through its message, *what to do*. The binary maps any `Error` to exit code 2.

use std::path::PathBuf;

use thiserror::Error;

/// A location in an input: the file as the user named it (relative to the config where there is
/// one) and, where known, the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: Option<u64>,
    /// A workbook sheet's row: `file` names the sheet too, and `line` is the row.
    pub in_sheet: bool,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: None,
            in_sheet: false,
        }
    }

    pub fn line(file: impl Into<String>, line: u64) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            in_sheet: false,
        }
    }

    /// A row of a workbook sheet.
    pub fn cell(file: impl Into<String>, sheet: Option<&str>, row: u64) -> Self {
        let file = file.into();
        match sheet {
            Some(sheet) => Location {
                file: format!("{file}, sheet `{sheet}`"),
                line: Some(row),
                in_sheet: true,
            },
            None => Location::line(file, row),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.in_sheet, self.line) {
            (true, Some(row)) => write!(f, "{}, row {row}", self.file),
            (false, Some(line)) => write!(f, "{}:{}", self.file, line),
            (_, None) => write!(f, "{}", self.file),
        }
    }
}

/// Everything that can go wrong between reading the config and writing the last artefact.
#[derive(Debug, Error)]
pub enum Error {
    #[error(
        "{path}: cannot read: {source}. Check the path (relative paths are resolved against the config file's folder)."
    )]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{0}: the file is empty; expected a header row and at least one data row")]
    EmptyFile(Location),

    #[error("{at}: {message}")]
    Header { at: Location, message: String },

    #[error("{at}: malformed CSV: {message}")]
    Csv { at: Location, message: String },

    #[error("{at}: {message}")]
    Row { at: Location, message: String },

    #[error(
        "{at}: column `{column}`: `{value}` is not a number; write a whole count such as 1506 or 1,506 (or a suppression marker such as [x])"
    )]
    NotANumber {
        at: Location,
        column: String,
        value: String,
    },

    #[error(
        "{at}: column `{column}`: the count {value} is negative, which a count of crimes cannot be; correct the source"
    )]
    NegativeCount {
        at: Location,
        column: String,
        value: i64,
    },

    #[error(
        "{at}: category `{category}` appears again (first at line {first_line}); each category may appear once per period and area"
    )]
    DuplicateCategory {
        at: Location,
        category: String,
        first_line: u64,
    },

    #[error("{at}: {message}")]
    Period { at: String, message: String },

    #[error("{flag}: period {period} is not in the data; the data holds {available}")]
    PeriodNotInData {
        flag: String,
        period: String,
        available: String,
    },

    #[error(
        "{flag}: {period} is a partial year in the data: {area} has {have} of its {of} months (missing {missing}). A partial year is not compared with a full one: choose full periods, or pass --allow-partial to compare anyway (the output is then labelled partial)"
    )]
    PartialPeriod {
        flag: String,
        period: String,
        area: String,
        have: usize,
        of: usize,
        missing: String,
    },

    #[error(
        "{flag}: {period} is partial for {series}: {missing} is most likely missing from the release (a 0 where its other months average 20 or more). A partial year is not compared with a full one: choose full periods, or pass --allow-partial to compare anyway (the row is then labelled partial)"
    )]
    PartialCategory {
        flag: String,
        period: String,
        /// `<category> in <area>`.
        series: String,
        missing: String,
    },

    #[error("area `{area}` is not in the data; the data holds {available}")]
    AreaNotInData { area: String, available: String },

    #[error(
        "the sources hold several areas ({available}); choose one with --area (or `area` in the config)"
    )]
    AmbiguousArea { available: String },

    #[error(
        "{at}: category `{category}` has a figure for {has} but none for {missing}; add a row for {missing} (write 0 if there were none)"
    )]
    MissingFigure {
        at: Location,
        category: String,
        has: String,
        missing: String,
    },

    #[error(
        "{at}: category `{category}` is suppressed in {period} and cannot be compared; supply the unsuppressed count or drop the category from the source"
    )]
    SuppressedInComparison {
        at: Location,
        category: String,
        period: String,
    },

    #[error("{path}: {message}")]
    Config { path: String, message: String },

    #[error("{file}: {entry}: {message}")]
    Framework {
        file: String,
        entry: String,
        message: String,
    },

    #[error("{0}")]
    Usage(String),

    #[error(
        "{path}: cannot write: {source}. Check that the output folder exists and is writable; earlier outputs were left as they were."
    )]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{what}: {message}")]
    Render { what: String, message: String },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Writes a line to standard error, ignoring a closed pipe (`2>&-`, a reader that went away): a
/// message must never be what ends a run.
pub fn say(line: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
