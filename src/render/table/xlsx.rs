//! The data appendix as an xlsx workbook, following the Government Analysis Function guidance on
//! releasing statistics in spreadsheets: a cover sheet, a contents sheet and a notes sheet, then one
//! table per sheet, each starting in A1 with a title row, with no merged cells and no blank rows
//! inside the table, numbers stored as numbers with a number format, unavailable cells as `[x]`
//! (explained in the notes), and the source on every sheet.
//!
//! Text is always written as text, so a category such as `=HYPERLINK(...)` is shown, never run.
//! The workbook's creation date is fixed, so the same input gives the same bytes.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A whole count, shown with thousands separators.
    Count(i64),
    /// A number with the given Excel number format (e.g. `0.0` or `0.0000`).
    Number(f64, &'static str),
    /// Not available or not applicable: written `[x]` (see the notes sheet).
    Unavailable,
}

/// One table: its sheet, title, what it shows, and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet: String,
    pub title: String,
    pub description: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// What the cover sheet says.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    pub title: String,
    pub about: Vec<String>,
    pub source: String,
}

/// The notes every appendix carries.
pub const NOTES: [(&str, &str); 4] = [
    (
        "note 1",
        "[x] = not available or not applicable: a percentage change from a count of 0, or no test when both counts are 0.",
    ),
    (
        "note 2",
        "Small numbers: a count of 10 or fewer in either period (the threshold is configurable). Percentage changes on small counts mislead; read the absolute change and the p-value.",
    ),
    (
        "note 3",
        "p-value: two-sided exact conditional test for two Poisson counts (the later count given the sum is Binomial(sum, 1/2) when nothing changed). The interval is the exact (Clopper-Pearson) interval for the ratio of the later to the earlier count.",
    ),
    (
        "note 4",
        "Anti-social behaviour incidents are not recorded crime and are never included in crime totals.",
    ),
];

fn xlsx_error(e: XlsxError) -> Error {
    Error::Render {
        what: "xlsx appendix".into(),
        message: e.to_string(),
    }
}

/// The whole workbook's bytes.
pub fn workbook(cover: &Cover, tables: &[Table]) -> Result<Vec<u8>> {
    build(cover, tables).map_err(xlsx_error)
}

fn build(cover: &Cover, tables: &[Table]) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&cover.title)
            .set_creation_datetime(&fixed),
    );
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(15);
    write_cover(book.add_worksheet().set_name("Cover")?, cover, &title)?;
    write_contents(
        book.add_worksheet().set_name("Contents")?,
        tables,
        &cover.source,
        &title,
        &bold,
    )?;
    write_notes(
        book.add_worksheet().set_name("Notes")?,
        &cover.source,
        &title,
        &bold,
    )?;
    for t in tables {
        write_table(
            book.add_worksheet().set_name(&t.sheet)?,
            t,
            &cover.source,
            &title,
            &bold,
        )?;
    }
    book.save_to_buffer()
}

fn write_cover(
    ws: &mut Worksheet,
    cover: &Cover,
    title: &Format,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, &cover.title, title)?;
    let mut row = 1;
    for line in &cover.about {
        ws.write_string(row, 0, line)?;
        row += 1;
    }
    ws.write_string(row, 0, format!("Source: {}", cover.source))?;
    ws.write_string(
        row + 1,
        0,
        "The contents sheet lists the tables; the notes sheet explains [x] and the methods.",
    )?;
    ws.set_column_width(0, 110)?;
    Ok(())
}

fn write_contents(
    ws: &mut Worksheet,
    tables: &[Table],
    source: &str,
    title: &Format,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "Contents", title)?;
    ws.write_string(1, 0, format!("Source: {source}"))?;
    ws.write_string_with_format(2, 0, "Sheet", bold)?;
    ws.write_string_with_format(2, 1, "Table title", bold)?;
    for (i, t) in tables.iter().enumerate() {
        ws.write_string(3 + i as u32, 0, &t.sheet)?;
        ws.write_string(3 + i as u32, 1, &t.title)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 100)?;
    Ok(())
}

fn write_notes(
    ws: &mut Worksheet,
    source: &str,
    title: &Format,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "Notes", title)?;
    ws.write_string(1, 0, format!("Source: {source}"))?;
    ws.write_string_with_format(2, 0, "Note number", bold)?;
    ws.write_string_with_format(2, 1, "Note text", bold)?;
    for (i, (number, text)) in NOTES.iter().enumerate() {
        ws.write_string(3 + i as u32, 0, *number)?;
        ws.write_string(3 + i as u32, 1, *text)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 120)?;
    Ok(())
}

/// Title in A1, source and description under it, the header on row 4, then the rows.
fn write_table(
    ws: &mut Worksheet,
    t: &Table,
    source: &str,
    title: &Format,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, &t.title, title)?;
    ws.write_string(1, 0, format!("Source: {source}"))?;
    ws.write_string(
        2,
        0,
        format!(
            "{} This worksheet contains one table; [x] cells are explained in note 1.",
            t.description
        ),
    )?;
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, h, bold)?;
        ws.set_column_width(c as u16, if c == 0 { 40.0 } else { 16.0 })?;
    }
    let count = Format::new().set_num_format("#,##0");
    for (r, row) in t.rows.iter().enumerate() {
        let r = 4 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s)?,
                Cell::Count(n) => ws.write_number_with_format(r, c, *n as f64, &count)?,
                Cell::Number(x, fmt) => {
                    ws.write_number_with_format(r, c, *x, &Format::new().set_num_format(*fmt))?
                }
                Cell::Unavailable => ws.write_string(r, c, "[x]")?,
            };
        }
    }
    Ok(())
}
