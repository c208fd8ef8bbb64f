//! The data appendix as an xlsx workbook, following the Government Analysis Function guidance on
//! releasing statistics in spreadsheets: a cover sheet, a contents sheet and a notes sheet, then one
//! table per sheet, each starting in A1 with a title row and its own source line, the table an
//! Excel table object with a header row, no merged cells and no blank rows inside it, numbers
//! stored as numbers with a number format (p-values that show small values), periods as text,
//! every shorthand explained on the notes sheet, and columns as wide as their contents. The
//! contents sheet links to each table; the cover gives the publication date and contact from the
//! config (never the clock) and every source.
//!
//! Text is always written as text, so a category such as `=HYPERLINK(...)` is shown, never run.
//! The workbook's creation date is fixed, so the same input gives the same bytes.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Table as ExcelTable, TableColumn, Url, Workbook,
    Worksheet, XlsxError,
};

use crate::error::{Error, Result};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A whole count, shown with thousands separators.
    Count(i64),
    /// A number with the given Excel number format (e.g. [`ONE_DP`] or [`P_VALUE`]).
    Number(f64, &'static str),
    /// Not available or not applicable: written `[x]` (see the notes sheet).
    Unavailable,
}

/// A percentage or percentage points, to one decimal place.
pub const ONE_DP: &str = "0.0";
/// A rate or an interval bound, to three decimal places.
pub const THREE_DP: &str = "0.000";
/// A p-value: four decimal places, and small values in scientific form (3.67E-05, never 0.0000).
pub const P_VALUE: &str = "[<0.001]0.00E+00;0.0000";

/// One table: its sheet, title, what it shows, its own source, and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet: String,
    pub title: String,
    pub description: String,
    /// Who published the figures this table shows (without "Source: ").
    pub source: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// What the cover sheet says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cover {
    pub title: String,
    pub about: Vec<String>,
    /// The publication date as the config gives it (never the clock: same input, same bytes).
    pub published: Option<String>,
    pub contact: Option<String>,
    /// Every publisher whose figures the workbook holds.
    pub sources: Vec<String>,
    /// The executive summary's lines.
    pub summary: Vec<String>,
}

/// The notes every appendix carries: every shorthand a cell can hold, and the methods.
pub const NOTES: [(&str, &str); 8] = [
    (
        "note 1",
        "[x] = not available or not applicable: a percentage change from a count of 0, no test when both counts are 0, or a figure the source does not give.",
    ),
    (
        "note 2",
        "[c] = withheld to protect confidentiality (disclosure control): a count from 1 to the source's threshold, or a figure withheld so that one cannot be worked out from a total and its other parts.",
    ),
    (
        "note 3",
        "[z] = not applicable: a known zero or a cell that cannot hold a figure, as published at source. [u] = low reliability, as flagged at source. Other markers (*, .., -) are shown as the source published them and mean not available or withheld; none is ever read as zero.",
    ),
    (
        "note 4",
        "Small numbers: a count of 10 or fewer in either period (the threshold is configurable). Percentage changes on small counts mislead; read the absolute change and the p-value.",
    ),
    (
        "note 5",
        "p-value: two-sided exact conditional test for two Poisson counts (the later count given the sum is Binomial(sum, 1/2) when nothing changed). The interval is the exact (Clopper-Pearson) interval for the ratio of the later to the earlier count. Values below 0.001 are shown in scientific form.",
    ),
    (
        "note 6",
        "Anti-social behaviour incidents are not recorded crime and are never included in crime totals.",
    ),
    (
        "note 7",
        "Rates: per the population named in the column; intervals by Byar's method, exact Poisson below 10 events. Percentages and percentage points are numbers to one decimal place.",
    ),
    (
        "note 8",
        "Periods are text: a financial year (2017/18), a quarter (2017/18 Q1), a month (2017-04) or a calendar year (2019).",
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

/// The formats the sheets share.
struct Styles {
    title: Format,
    bold: Format,
    wrap: Format,
}

fn build(cover: &Cover, tables: &[Table]) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&cover.title)
            .set_creation_datetime(&fixed),
    );
    let styles = Styles {
        title: Format::new().set_bold().set_font_size(15),
        bold: Format::new().set_bold(),
        wrap: Format::new().set_text_wrap(),
    };
    write_cover(book.add_worksheet().set_name("Cover")?, cover, &styles)?;
    write_contents(book.add_worksheet().set_name("Contents")?, tables, &styles)?;
    let notes = notes_table();
    write_table(
        book.add_worksheet().set_name("Notes")?,
        &notes,
        &styles,
        false,
    )?;
    for t in tables {
        write_table(book.add_worksheet().set_name(&t.sheet)?, t, &styles, true)?;
    }
    book.save_to_buffer()
}

/// The notes sheet, as a table of its own.
fn notes_table() -> Table {
    Table {
        sheet: "Notes".into(),
        title: "Notes".into(),
        description: "The shorthand used in the tables and the methods behind the figures.".into(),
        source: "saferstats".into(),
        header: vec!["Note number".into(), "Note text".into()],
        rows: NOTES
            .iter()
            .map(|(n, t)| vec![Cell::Text(n.to_string()), Cell::Text(t.to_string())])
            .collect(),
    }
}

fn write_cover(
    ws: &mut Worksheet,
    cover: &Cover,
    s: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, &cover.title, &s.title)?;
    let mut lines: Vec<(String, bool)> = Vec::new();
    let heading = |text: &str, lines: &mut Vec<(String, bool)>| lines.push((text.into(), true));
    heading("About these tables", &mut lines);
    lines.extend(cover.about.iter().map(|l| (l.clone(), false)));
    heading("Publication date", &mut lines);
    lines.push((
        cover
            .published
            .clone()
            .unwrap_or_else(|| "not given in the config ([report] published)".into()),
        false,
    ));
    heading("Contact", &mut lines);
    lines.push((
        cover
            .contact
            .clone()
            .unwrap_or_else(|| "not given in the config ([report] contact)".into()),
        false,
    ));
    heading("Sources", &mut lines);
    lines.extend(cover.sources.iter().map(|l| (l.clone(), false)));
    if !cover.summary.is_empty() {
        heading("Summary", &mut lines);
        lines.extend(cover.summary.iter().map(|l| (l.clone(), false)));
    }
    heading("Notes", &mut lines);
    lines.push(("The contents sheet links to each table; the notes sheet explains every shorthand ([x], [c], [z], [u]) and the methods.".into(), false));
    for (i, (text, bold)) in lines.iter().enumerate() {
        let format = if *bold { &s.bold } else { &s.wrap };
        ws.write_string_with_format(1 + i as u32, 0, text, format)?;
    }
    ws.set_column_width(0, 110)?;
    Ok(())
}

fn write_contents(
    ws: &mut Worksheet,
    tables: &[Table],
    s: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "Contents", &s.title)?;
    ws.write_string(1, 0, "Each sheet name links to its table.")?;
    let columns = ["Sheet", "Table title", "Source"].map(|h| TableColumn::new().set_header(h));
    for (i, t) in tables.iter().enumerate() {
        let row = 3 + i as u32;
        let link = Url::new(format!("internal:'{}'!A1", t.sheet)).set_text(&t.sheet);
        ws.write_url(row, 0, &link)?;
        ws.write_string(row, 1, &t.title)?;
        ws.write_string(row, 2, &t.source)?;
    }
    if !tables.is_empty() {
        let object = ExcelTable::new()
            .set_columns(&columns)
            .set_name("Contents_table");
        ws.add_table(2, 0, 2 + tables.len() as u32, 2, &object)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 90)?;
    ws.set_column_width(2, 60)?;
    Ok(())
}

/// Title in A1, source and description under it, then the table: an Excel table object whose
/// header is row 4, with columns as wide as their contents (within limits).
fn write_table(
    ws: &mut Worksheet,
    t: &Table,
    s: &Styles,
    one_table_note: bool,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, &t.title, &s.title)?;
    ws.write_string(1, 0, format!("Source: {}", t.source))?;
    let about = if one_table_note {
        format!(
            "{} This worksheet contains one table; its shorthand is explained on the notes sheet.",
            t.description
        )
    } else {
        t.description.clone()
    };
    ws.write_string(2, 0, about)?;
    let count = Format::new().set_num_format("#,##0");
    for (r, row) in t.rows.iter().enumerate() {
        let r = 4 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(text) => ws.write_string(r, c, text)?,
                Cell::Count(n) => ws.write_number_with_format(r, c, *n as f64, &count)?,
                Cell::Number(x, fmt) => {
                    ws.write_number_with_format(r, c, *x, &Format::new().set_num_format(*fmt))?
                }
                Cell::Unavailable => ws.write_string(r, c, "[x]")?,
            };
        }
    }
    let columns: Vec<TableColumn> = t
        .header
        .iter()
        .map(|h| TableColumn::new().set_header(h).set_header_format(&s.bold))
        .collect();
    let last_col = t.header.len().saturating_sub(1) as u16;
    if t.rows.is_empty() {
        for (c, h) in t.header.iter().enumerate() {
            ws.write_string_with_format(3, c as u16, h, &s.bold)?;
        }
    } else {
        let name = format!(
            "{}_table",
            t.sheet.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let object = ExcelTable::new().set_columns(&columns).set_name(name);
        ws.add_table(3, 0, 3 + t.rows.len() as u32, last_col, &object)?;
    }
    for (c, width) in widths(t).into_iter().enumerate() {
        ws.set_column_width(c as u16, width)?;
    }
    Ok(())
}

/// Each column's width: its longest header or cell as shown, plus room for the filter button,
/// between 8 and 60 characters (longer text wraps in Excel's own way).
fn widths(t: &Table) -> Vec<f64> {
    (0..t.header.len())
        .map(|c| {
            let cells = t.rows.iter().filter_map(|r| r.get(c)).map(shown_len);
            let longest = cells
                .chain([t.header[c].chars().count()])
                .max()
                .unwrap_or(0);
            (longest as f64 + 3.0).clamp(8.0, 60.0)
        })
        .collect()
}

/// How many characters a cell shows.
fn shown_len(cell: &Cell) -> usize {
    match cell {
        Cell::Text(s) => s.chars().count(),
        Cell::Count(n) => crate::render::format::thousands(*n).len(),
        Cell::Number(x, _) => format!("{x:.4}").len(),
        Cell::Unavailable => 3,
    }
}
