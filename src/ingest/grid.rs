//! A table as rows of text cells, read from a CSV file or from the sheets of a workbook (xlsx, xls
//! or ods, through calamine), each row with the line or sheet row an error can name.
//!
//! Loaders that accept both forms (Home Office tables, partner datasets, population tables) read a
//! [`Grid`] and never care which it was.

use std::path::Path;

use calamine::{Data, Reader};

use crate::error::{Error, Location, Result};
use crate::ingest::Source;
use crate::ingest::read;

/// One row: its 1-based line (CSV) or row (sheet) and its cells as text.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    pub line: u64,
    pub cells: Vec<String>,
}

/// A table: where it came from and its rows, header included.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub file: String,
    pub sheet: Option<String>,
    pub rows: Vec<GridRow>,
}

impl Grid {
    /// The location of row `line`.
    pub fn at(&self, line: u64) -> Location {
        Location::cell(&self.file, self.sheet.as_deref(), line)
    }

    /// The location of the table as a whole.
    pub fn whole(&self) -> Location {
        match &self.sheet {
            Some(sheet) => Location::file(format!("{}, sheet `{sheet}`", self.file)),
            None => Location::file(&self.file),
        }
    }
}

/// A source's tables and the SHA-256 of its bytes.
pub struct Tables {
    pub digest: String,
    pub grids: Vec<Grid>,
}

/// Whether a path names a workbook calamine reads.
pub fn is_workbook(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
    )
}

/// Reads a source: its one CSV table, or every sheet of a workbook (only `sheet` when named; a
/// sheet that is not there is an error listing those that are).
pub fn read(source: &Source, sheet: Option<&str>) -> Result<Tables> {
    if is_workbook(&source.path) {
        return read_workbook(source, sheet);
    }
    if let Some(s) = sheet {
        return Err(Error::Header {
            at: Location::file(&source.display),
            message: format!(
                "`sheet = \"{s}\"` is set but this is a CSV file, which has no sheets; remove the key"
            ),
        });
    }
    from_csv(read::read_table(source)?)
}

/// A CSV table already read (see [`read::table_from_bytes`]); the entry point for fuzzing.
pub fn from_csv(table: read::Table) -> Result<Tables> {
    let mut reader = read::csv_reader(&table.text);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| read::csv_error(&table.display, e))?;
        rows.push(GridRow {
            line: read::line_of_record(&record),
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(Tables {
        digest: table.digest,
        grids: vec![Grid {
            file: table.display,
            sheet: None,
            rows,
        }],
    })
}

fn read_workbook(source: &Source, wanted: Option<&str>) -> Result<Tables> {
    let read_err = |e| Error::Read {
        path: source.display.clone(),
        source: e,
    };
    let meta = std::fs::metadata(&source.path).map_err(read_err)?;
    read::check_input(std::path::Path::new(&source.display), &meta)?;
    let bytes = std::fs::read(&source.path).map_err(read_err)?;
    workbook_from_bytes(bytes, &source.display, wanted)
}

/// A workbook's tables from its bytes (xlsx, xls or ods), checked before it is read.
pub fn workbook_from_bytes(bytes: Vec<u8>, display: &str, wanted: Option<&str>) -> Result<Tables> {
    bounded(&bytes, display)?;
    let digest = read::sha256_digest(&bytes);
    let unreadable = |e: calamine::Error| Error::Header {
        at: Location::file(display),
        message: format!(
            "cannot read the workbook: {e}; check it opens in a spreadsheet program and is saved as xlsx, xls or ods"
        ),
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let names = book.sheet_names();
    let chosen: Vec<String> = match wanted {
        None => names.clone(),
        Some(w) => match names.iter().find(|n| n.trim() == w.trim()) {
            Some(n) => vec![n.clone()],
            None => {
                return Err(Error::Header {
                    at: Location::file(display),
                    message: format!(
                        "there is no sheet `{w}`; the workbook's sheets are {}",
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        },
    };
    let mut grids = Vec::new();
    for name in chosen {
        let range = book.worksheet_range(&name).map_err(unreadable)?;
        grids.push(grid_of(display, &name, &range));
    }
    Ok(Tables { digest, grids })
}

/// The most a workbook may expand to, and the most cells a sheet may span: far beyond any
/// published table, far below what would exhaust memory.
pub const MAX_WORKBOOK_BYTES: u64 = 512 << 20;
pub const MAX_SHEET_CELLS: u64 = 50_000_000;

/// A workbook (xlsx and ods are zips) is checked before it is read: its entries' declared sizes in
/// all, and each xlsx sheet's span from its cells' references (one cell at XFD1048576 would make
/// the reader allocate 17 billion cells).
fn bounded(bytes: &[u8], display: &str) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let refuse = |why: String| {
        Err(Error::Usage(format!(
            "{display}: {why}; the workbook is refused unread"
        )))
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else { continue };
        total = total.saturating_add(entry.size());
        if total > MAX_WORKBOOK_BYTES {
            return refuse(format!(
                "it expands to more than {MAX_WORKBOOK_BYTES} bytes"
            ));
        }
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let mut xml = Vec::new();
            std::io::Read::read_to_end(
                &mut std::io::Read::take(entry, MAX_WORKBOOK_BYTES),
                &mut xml,
            )
            .map_err(|e| Error::Read {
                path: display.to_string(),
                source: e,
            })?;
            if let Some(cells) = span(&xml).filter(|&c| c > MAX_SHEET_CELLS) {
                return refuse(format!(
                    "{name} spans {cells} cells, more than the {MAX_SHEET_CELLS} a sheet may"
                ));
            }
        }
    }
    Ok(())
}

/// The cells a sheet's XML spans, from the `r="B7"` references of its cells.
fn span(xml: &[u8]) -> Option<u64> {
    let (mut rows, mut cols) = ((u64::MAX, 0u64), (u64::MAX, 0u64));
    for at in memchr::memmem::find_iter(xml, b" r=\"") {
        let reference = &xml[at + 4..];
        let letters = reference
            .iter()
            .take_while(|b| b.is_ascii_uppercase())
            .count();
        let digits = reference[letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if letters == 0 || digits == 0 || letters > 3 {
            continue;
        }
        let col = reference[..letters]
            .iter()
            .fold(0u64, |n, b| n * 26 + u64::from(b - b'A' + 1));
        let row: u64 = std::str::from_utf8(&reference[letters..letters + digits])
            .ok()?
            .parse()
            .ok()?;
        rows = (rows.0.min(row), rows.1.max(row));
        cols = (cols.0.min(col), cols.1.max(col));
    }
    (rows.1 > 0).then(|| (rows.1 - rows.0 + 1) * (cols.1 - cols.0 + 1))
}

/// A sheet's cells as text; rows numbered as the spreadsheet program shows them.
fn grid_of(file: &str, sheet: &str, range: &calamine::Range<Data>) -> Grid {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| GridRow {
            line: u64::from(first_row) + i as u64 + 1,
            cells: std::iter::repeat_n(String::new(), first_col as usize)
                .chain(cells.iter().map(text))
                .collect(),
        })
        .collect();
    Grid {
        file: file.to_string(),
        sheet: Some(sheet.to_string()),
        rows,
    }
}

/// A cell as the text a CSV export would hold: whole numbers without `.0`, dates as ISO dates.
fn text(cell: &Data) -> String {
    match cell {
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| {
                if t.time() == chrono::NaiveTime::MIN {
                    t.date().format("%Y-%m-%d").to_string()
                } else {
                    t.format("%Y-%m-%dT%H:%M:%S").to_string()
                }
            })
            .unwrap_or_else(|| cell.to_string()),
        other => other.to_string(),
    }
}

/// Finds the header row: the first of the first 20 rows holding every `needed` column name
/// (compared by [`crate::harmonise::label::match_key`]). `None` when there is none.
pub fn header_row(grid: &Grid, needed: &[&str]) -> Option<usize> {
    use crate::harmonise::label::match_key;
    let keys: Vec<String> = needed.iter().map(|n| match_key(n)).collect();
    grid.rows.iter().take(20).position(|r| {
        let cells: Vec<String> = r.cells.iter().map(|c| match_key(c)).collect();
        keys.iter().all(|k| cells.contains(k))
    })
}

/// Whether every cell of a row is blank.
pub fn is_blank(row: &GridRow) -> bool {
    row.cells.iter().all(|c| c.trim().is_empty())
}
