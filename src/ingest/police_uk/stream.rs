//! A street file counted as it is read: the way for a file no cache could know already (the run
//! keeps no cache, or its cache is empty), where nothing waits on the file's digest. The file is
//! split and counted from the reader's buffer as the reads fill it, and its BLAKE3 digest is taken
//! from the same bytes as they pass: the file is not first copied whole into memory, and then
//! copied again in pieces into the reader's buffer, nor hashed in a pass of its own.
//!
//! Anything out of the ordinary gives the file up, and it is read again the usual way
//! ([`super::file::parse_with`], which says what is wrong exactly as it always has): a header that
//! is not a street file's, a row rejected or refused, no rows at all, a size that changed while
//! the file was read. So this path changes how fast a clean file is read, never what any file
//! gives.

use std::io::Read;
use std::path::Path;

use super::file::{BadRows, Keep, Kind, Name, Parsed, read_header, reader, street};
use super::rows::Rows;

/// The reader's buffer: large enough that a file takes few reads (system calls), small enough to
/// stay in the core's cache while it is hashed and split.
const BUFFER: usize = 256 * 1024;

/// The street file at `path` counted as it is read, and its digest (`blake3:<hex>`); `None` when
/// it is not a clean street file of the size it had when opened.
pub(super) fn parse(
    path: &Path,
    (name, display): (&Name, &str),
    policy: BadRows,
    area: Option<&Vec<String>>,
    keep: Keep,
) -> Option<(Parsed, String)> {
    let file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let (mut hasher, mut seen) = (blake3::Hasher::new(), 0u64);
    let parsed = {
        let tee = Tee {
            inner: file,
            hasher: &mut hasher,
            seen: &mut seen,
        };
        let mut reader = reader(tee, BUFFER);
        let (header, kind) = read_header(&mut reader, display, name).ok()?;
        if kind != Kind::Street {
            return None;
        }
        let columns: Vec<&str> = header.iter().map(String::as_str).collect();
        let width = (columns.len(), display, policy);
        let rows = Rows::unnumbered(reader, usize::try_from(size).ok()?, width);
        street(rows, &columns, name, area, keep).ok()?
    };
    let clean = parsed.rows_read > 0 && parsed.rejected.is_empty() && seen == size;
    clean.then(|| (parsed, crate::ingest::read::blake3_label(hasher.finalize())))
}

/// A file read through a hasher: every byte read is hashed, and counted.
struct Tee<'h, R> {
    inner: R,
    hasher: &'h mut blake3::Hasher,
    seen: &'h mut u64,
}

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        *self.seen += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::police_uk::file::{parse_name, parse_with};

    const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";
    const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// `lines` (after the header) written as a Kent street file of April 2016, read as it is
    /// read, with `BadRows::Reject` (so that a bad row is rejected, not an error).
    fn streamed(bom: bool, lines: &[&str], line_end: &str) -> (Vec<u8>, Option<(Parsed, String)>) {
        let mut text = if bom {
            "\u{feff}".to_string()
        } else {
            String::new()
        };
        for line in std::iter::once(HEADER).chain(lines.iter().copied()) {
            text.push_str(line);
            text.push_str(line_end);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2016-04-kent-street.csv");
        std::fs::write(&path, &text).unwrap();
        let name = parse_name("2016-04/2016-04-kent-street.csv").unwrap();
        let read = parse(&path, (&name, "k"), BadRows::Reject, None, Keep::default());
        (text.into_bytes(), read)
    }

    /// A clean file gives what the file read whole gives, and the digest of all its bytes (its
    /// byte-order mark too, and whatever its line ends).
    #[test]
    fn a_clean_file_counts_and_hashes_as_read_whole() {
        let rows = [
            format!("{ID},2016-04,Kent Police,Kent Police,0.5,51.2,On or near X,E01024001,Maidstone 001A,Burglary,Under investigation,"),
            ",2016-04,Kent Police,Kent Police,0.5,51.2,\"On or near X, Y\",E01024001,Maidstone 001A,Anti-social behaviour,,".to_string(),
            format!("{ID},2016-04,Kent Police,Kent Police,,,No Location,,,Drugs,Under investigation,"),
        ];
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let name = parse_name("2016-04/2016-04-kent-street.csv").unwrap();
        for (bom, end) in [(false, "\n"), (true, "\r\n")] {
            let (bytes, read) = streamed(bom, &rows, end);
            let (parsed, digest) = read.expect("a clean street file is read as it is read");
            let whole = parse_with(&bytes, &name, "k", BadRows::Reject, None, Keep::default());
            let (s, w) = (parsed.street.unwrap(), whole.unwrap().street.unwrap());
            assert_eq!(parsed.rows_read, 3);
            // By hand: burglary (2), anti-social behaviour (0) and drugs (4), one each; the drugs
            // row repeats the burglary's Crime ID (one duplicate) and has no location.
            assert_eq!((s.by_type[2], s.by_type[0], s.by_type[4]), (1, 1, 1));
            assert_eq!((s.duplicate_ids, s.no_location), (1, 1));
            assert_eq!((s.by_type, s.duplicate_ids), (w.by_type, w.duplicate_ids));
            assert_eq!(s.by_lsoa, w.by_lsoa);
            assert_eq!(digest, crate::ingest::read::blake3_digest(&bytes));
        }
    }

    /// A rejected row (its line is known only to the file read whole), no rows, lone-CR line ends
    /// and another kind of file each give the file up.
    #[test]
    fn anything_out_of_the_ordinary_gives_the_file_up() {
        let bad = ",2016-05,Kent Police,Kent Police,,,No Location,,,Burglary,,";
        let good = ",2016-04,Kent Police,Kent Police,,,No Location,,,Burglary,,";
        assert!(streamed(false, &[good, bad], "\n").1.is_none());
        assert!(streamed(false, &[good, "a,b"], "\n").1.is_none());
        assert!(streamed(false, &[], "\n").1.is_none());
        assert!(streamed(false, &[good, good], "\r").1.is_none());
        assert!(streamed(false, &[good], "\n").1.is_some());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outcomes.csv");
        std::fs::write(&path, "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n").unwrap();
        let name = parse_name("2016-04/2016-04-kent-outcomes.csv").unwrap();
        assert!(parse(&path, (&name, "k"), BadRows::Fail, None, Keep::default()).is_none());
    }
}
