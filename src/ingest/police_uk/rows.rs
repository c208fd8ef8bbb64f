//! A file's data rows as the splitter gives them, each handed on with the header's width checked,
//! and the line numbers of the rows that are rejected.

use super::file::{BadRows, Parsed, Reader, Record};
use crate::error::{Error, Location, Result};

/// The data rows of a file, with what is needed to place and judge each one.
pub(super) struct Rows<'a> {
    reader: Reader<'a>,
    lines: Lines<'a>,
    /// Fields in the header: a row with another number is ragged.
    width: usize,
    display: &'a str,
    policy: BadRows,
}

impl<'a> Rows<'a> {
    /// The rows of `body` as `reader` splits them; `width` the header's fields, `display` the
    /// file's name in messages.
    pub(super) fn new(
        reader: Reader<'a>,
        body: &'a [u8],
        (width, display, policy): (usize, &'a str, BadRows),
    ) -> Self {
        Rows {
            reader,
            lines: Lines::new(body),
            width,
            display,
            policy,
        }
    }

    /// The size of the file's body in bytes, to size tables by.
    pub(super) fn bytes(&self) -> usize {
        self.lines.body.len()
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
                        at: Location::line(self.display, self.lines.at(start)),
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
            let line = self.lines.at(start);
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
