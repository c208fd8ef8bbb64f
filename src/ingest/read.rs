//! What every CSV loader shares: reading the file once (hashing it for provenance), dropping a
//! UTF-8 byte-order mark, choosing the delimiter and turning `csv` errors into located ones.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};
use crate::ingest::Source;

/// A source file's text and its provenance.
pub struct Table {
    pub display: String,
    /// `sha256:<hex>` of the file's bytes.
    pub digest: String,
    pub text: String,
}

/// Reads `source`'s file whole, hashes the bytes and decodes them: UTF-8 (a BOM is dropped) unless
/// the source declares `encoding = "windows-1252"`. Undeclared non-UTF-8 text is an error that says
/// which line and how to declare it; an unbalanced quote is an error naming the line it opens on.
pub fn read_table(source: &Source) -> Result<Table> {
    let read_err = |e| Error::Read {
        path: source.display.clone(),
        source: e,
    };
    let meta = std::fs::metadata(&source.path).map_err(read_err)?;
    check_input(Path::new(&source.display), &meta)?;
    let bytes = std::fs::read(&source.path).map_err(read_err)?;
    table_from_bytes(&bytes, source)
}

/// The largest input read, by default: far above any real release (a national archive's
/// month-file is about 100 MB), far below what would exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 4 << 30;

/// Inputs are regular files no larger than [`MAX_INPUT_BYTES`] (or `SAFERSTATS_MAX_INPUT_BYTES`):
/// a FIFO or device (`/dev/zero`) would hang the run or fill memory, so it is refused unread.
pub fn check_input(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    let max = std::env::var("SAFERSTATS_MAX_INPUT_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MAX_INPUT_BYTES);
    let refuse = |why: String| Err(Error::Usage(format!("{}: {why}", path.display())));
    if !meta.is_file() {
        return refuse("is not a regular file (a FIFO, socket or device?); name a file".into());
    }
    if meta.len() > max {
        return refuse(format!(
            "is {} bytes, more than the {max} an input may be; set SAFERSTATS_MAX_INPUT_BYTES to read it",
            meta.len()
        ));
    }
    Ok(())
}

/// The same checks on bytes already in memory (the file's contents).
pub fn table_from_bytes(bytes: &[u8], source: &Source) -> Result<Table> {
    let digest = sha256_digest(bytes);
    let text = decode(bytes, source)?;
    if text.trim().is_empty() {
        return Err(Error::EmptyFile(Location::file(&source.display)));
    }
    if let Some(line) = unbalanced_quote(&text) {
        return Err(Error::Csv {
            at: Location::line(&source.display, line),
            message: "a quote opens here and is never closed; close it (\"...\") or remove it"
                .into(),
        });
    }
    Ok(Table {
        display: source.display.clone(),
        digest,
        text,
    })
}

/// A file's provenance hash as published: `sha256:<hex>`, which `sha256sum` can check. Archive
/// month-files use BLAKE3 instead (`blake3:<hex>`, checked with `b3sum`): it is several times
/// faster, and an archive is gigabytes.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

/// `blake3:<hex>` of `bytes` (see [`sha256_digest`]).
pub fn blake3_digest(bytes: &[u8]) -> String {
    blake3_label(blake3::hash(bytes))
}

/// A BLAKE3 hash as a digest, `blake3:<hex>` (of bytes hashed whole or as they were read).
pub fn blake3_label(hash: blake3::Hash) -> String {
    format!("blake3:{}", hash.to_hex())
}

fn decode(bytes: &[u8], source: &Source) -> Result<String> {
    if source.encoding == Encoding::Windows1252 {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        return Ok(unix_lines(text.into_owned()));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(body.to_vec()).map(unix_lines).map_err(|e| Error::Csv {
        at: Location::line(&source.display, line_of(body, e.utf8_error().valid_up_to())),
        message: "the text is not UTF-8 (a Windows-1252 export?): declare `encoding = \"windows-1252\"` on the source (or --encoding windows-1252), or save it as CSV UTF-8".into(),
    })
}

/// CRLF and lone CR line ends as LF. The `csv` crate reads all three, but counts lines by the `\n`
/// it has consumed: after a CRLF record the `\n` is consumed only with the next record, so every
/// line it reported in a CRLF file was one short (and every line was 1 in a CR-only file).
fn unix_lines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// The line where a quote opens that never closes, if any.
pub fn unbalanced_quote(text: &str) -> Option<u64> {
    let (mut open, mut line, mut opened_at) = (false, 1u64, 0u64);
    for c in text.chars() {
        match c {
            '"' => {
                open = !open;
                opened_at = line;
            }
            '\n' => line += 1,
            _ => {}
        }
    }
    open.then_some(opened_at)
}

/// The text encodings a source can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    Windows1252,
}

impl std::str::FromStr for Encoding {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Ok(Encoding::Windows1252),
            other => Err(format!(
                "unknown encoding `{other}`; use utf-8 or windows-1252"
            )),
        }
    }
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

/// A `csv` error, located in `file` (text read with LF line ends, see [`unix_lines`]).
pub fn csv_error(file: &str, err: csv::Error) -> Error {
    let line = err.position().map(|p| p.line());
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ragged(*len as usize, *expected_len as usize),
        _ => err.to_string(),
    };
    Error::Csv {
        at: Location {
            file: file.to_string(),
            line,
            in_sheet: false,
        },
        message,
    }
}

/// Why a row with `len` fields cannot be read under a header of `expected`.
pub fn ragged(len: usize, expected: usize) -> String {
    format!(
        "this row has {len} fields but the header has {expected}; check for a missing or extra comma, or quote fields that contain commas"
    )
}

/// The header row of a CSV being read, or the error for an empty file.
pub fn header(
    records: &mut csv::StringRecordsIter<&[u8]>,
    file: &str,
) -> Result<csv::StringRecord> {
    let header = match records.next() {
        Some(r) => r.map_err(|e| csv_error(file, e))?,
        None => return Err(Error::EmptyFile(Location::file(file))),
    };
    distinct_columns(header.iter(), &Location::line(file, 1))?;
    Ok(header)
}

/// A header names each column once (case, dashes and spacing ignored): with two columns of one
/// name, which of them holds the figure would be left to chance.
pub fn distinct_columns<'a>(cells: impl IntoIterator<Item = &'a str>, at: &Location) -> Result<()> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, cell) in cells.into_iter().enumerate() {
        let key = crate::harmonise::label::match_key(cell);
        if key.is_empty() {
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            return Err(Error::Header {
                at: at.clone(),
                message: format!(
                    "columns {} and {} are both `{}`; a header names each column once",
                    first + 1,
                    i + 1,
                    cell.trim()
                ),
            });
        }
        seen.push((key, i));
    }
    Ok(())
}

/// The error for a file with a header and no data rows.
pub fn no_rows(file: &str) -> Error {
    Error::Header {
        at: Location::line(file, 1),
        message: "the file has a header but no data rows".into(),
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
