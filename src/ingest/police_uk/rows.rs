//! A file's data rows as the splitter gives them, each handed on with the header's width checked,
//! and the line numbers of the rows that are rejected.

use std::io::Read;

use super::file::{BadRows, Parsed, Reader, Record};
use crate::error::{Error, Location, Result};

/// The data rows of a file, with what is needed to place and judge each one: read from the file's
/// bytes in memory (`R = &[u8]`), or from the file itself as it is read (see [`super::stream`]).
pub(super) struct Rows<'a, R> {
    reader: Reader<R>,
    /// The file's bytes, to number the lines of rows that are rejected; `None` when the rows are
    /// read as the file is (a rejected row then has line 0, and the file is read again).
    lines: Option<Lines<'a>>,
    /// The file's size in bytes.
    size: usize,
    /// Fields in the header: a row with another number is ragged.
    width: usize,
    display: &'a str,
    policy: BadRows,
}

impl<'a> Rows<'a, &'a [u8]> {
    /// The rows of `body` as `reader` splits them; `width` the header's fields, `display` the
    /// file's name in messages.
    pub(super) fn new(
        reader: Reader<&'a [u8]>,
        body: &'a [u8],
        (width, display, policy): (usize, &'a str, BadRows),
    ) -> Self {
        Rows {
            reader,
            lines: Some(Lines::new(body)),
            size: body.len(),
            width,
            display,
            policy,
        }
    }
}

impl<'a, R: Read> Rows<'a, R> {
    /// The rows `reader` splits as it reads a file of `size` bytes, without line numbers.
    pub(super) fn unnumbered(
        reader: Reader<R>,
        size: usize,
        (width, display, policy): (usize, &'a str, BadRows),
    ) -> Self {
        Rows {
            reader,
            lines: None,
            size,
            width,
            display,
            policy,
        }
    }

    /// The size of the file's body in bytes, to size tables by.
    pub(super) fn bytes(&self) -> usize {
        self.size
    }

    /// Hands every row with the header's width to `count`. A ragged row, or one `count` refuses,
    /// fails the file or (with [`BadRows::Reject`]) is rejected with its line and reason.
    pub(super) fn each(
        mut self,
        mut count: impl FnMut(&Record) -> std::result::Result<(), String>,
    ) -> Result<Parsed> {
        let mut parsed = Parsed {
            rows_read: 0,
            rejected: Vec::new(),
            street: None,
            outcomes: None,
            searches: None,
        };
        loop {
            let start = self.reader.position();
            let record = match self.reader.read_byte_record() {
                Ok(Some(record)) => record,
                Ok(None) => break,
                Err(e) => {
                    return Err(Error::Csv {
                        at: Location::line(self.display, self.line(start)),
                        message: e.to_string(),
                    });
                }
            };
            parsed.rows_read += 1;
            let (ragged, outcome) = if record.len() == self.width {
                (false, count(&record))
            } else {
                (
                    true,
                    Err(super::super::read::ragged(record.len(), self.width)),
                )
            };
            let Err(reason) = outcome else { continue };
            let line = self.line(start);
            match (self.policy, ragged) {
                (BadRows::Reject, _) => parsed
                    .rejected
                    .push(crate::model::Rejection { line, reason }),
                (BadRows::Fail, true) => {
                    return Err(Error::Csv {
                        at: Location::line(self.display, line),
                        message: reason,
                    });
                }
                (BadRows::Fail, false) => {
                    return Err(Error::Row {
                        at: Location::line(self.display, line),
                        message: reason,
                    });
                }
            }
        }
        Ok(parsed)
    }

    /// The line of the record begun at byte `start` (0 when the rows are not numbered).
    fn line(&mut self, start: u64) -> u64 {
        self.lines.as_mut().map_or(0, |l| l.at(start))
    }
}

/// Whether two fields are the same bytes. The fields compared on every row are short (a month is
/// 7 bytes, an LSOA code 9): from 4 to 16 bytes they are compared as two overlapping words each,
/// not by a call to `memcmp` (which `==` on slices of unknown length makes).
#[inline]
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w64 = |s: &[u8], at: usize| s[at..].first_chunk().copied().map(u64::from_ne_bytes);
    let w32 = |s: &[u8], at: usize| s[at..].first_chunk().copied().map(u32::from_ne_bytes);
    match n {
        8..=16 => w64(a, 0) == w64(b, 0) && w64(a, n - 8) == w64(b, n - 8),
        4..=7 => w32(a, 0) == w32(b, 0) && w32(a, n - 4) == w32(b, n - 4),
        _ => a == b,
    }
}

/// Line numbers of records, from their byte offsets. Asked only for rows that are rejected, in
/// file order, so the newlines are counted once however many rows are rejected.
struct Lines<'a> {
    body: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(body: &'a [u8]) -> Self {
        Lines {
            body,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record the reader began at `start`: the reader's offset may still point at
    /// the previous record's line end (`\r\n`) or at blank lines it skips.
    fn at(&mut self, start: u64) -> u64 {
        let mut begin = (start as usize).clamp(self.offset, self.body.len());
        while matches!(self.body.get(begin), Some(b'\r' | b'\n')) {
            begin += 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.body[self.offset..begin]).count() as u64;
        self.offset = begin;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    /// Every pair of fields of 0 to 40 bytes that differ in one byte, or not at all, against `==`.
    #[test]
    fn same_bytes_agrees_with_equality() {
        for n in 0..=40usize {
            let a: Vec<u8> = (0..n as u8).map(|k| b'A' + k).collect();
            assert!(same_bytes(&a, &a.clone()), "{n} bytes, equal");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same_bytes(&a, &b), "{n} bytes, differing at {at}");
            }
            assert!(!same_bytes(&a, &[a.as_slice(), b"x"].concat()));
        }
        assert!(same_bytes(b"2017-04", b"2017-04") && !same_bytes(b"2017-04", b"2017-05"));
        assert!(!same_bytes(b"Other crime", b"Other theft") && same_bytes(b"", b""));
    }
}
