//! What every CSV loader shares: reading the file once (hashing it for provenance), dropping a
//! UTF-8 byte-order mark, choosing the delimiter and turning `csv` errors into located ones.

use sha2::{Digest, Sha256};

use crate::config::Source;
use crate::error::{Error, Location, Result};

/// A source file's text and its provenance.
pub struct Table {
    pub display: String,
    pub sha256: String,
    pub text: String,
}

/// Reads `source`'s file whole, hashes the bytes and decodes them as UTF-8 (a BOM is dropped).
pub fn read_table(source: &Source) -> Result<Table> {
    let bytes = std::fs::read(&source.path).map_err(|e| Error::Read {
        path: source.display.clone(),
        source: e,
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8(body.to_vec()).map_err(|e| Error::Csv {
        at: Location::line(&source.display, line_of(body, e.utf8_error().valid_up_to())),
        message: "the text is not UTF-8; save the file as UTF-8 (CSV UTF-8 in Excel)".into(),
    })?;
    if text.trim().is_empty() {
        return Err(Error::EmptyFile(Location::file(&source.display)));
    }
    Ok(Table {
        display: source.display.clone(),
        sha256,
        text,
    })
}

/// A strict reader over `text`: tab-delimited when the first line holds a tab, comma otherwise;
/// every row must have as many fields as the first.
pub fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// A `csv` error, located in `file`.
pub fn csv_error(file: &str, err: csv::Error) -> Error {
    let line = err.position().map(|p| p.line());
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} fields but the header has {expected_len}; check for a missing or extra comma, or quote fields that contain commas"
        ),
        _ => err.to_string(),
    };
    Error::Csv {
        at: Location {
            file: file.to_string(),
            line,
        },
        message,
    }
}

/// The 1-based line of a record.
pub fn line_of_record(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, |p| p.line())
}

fn line_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
