//! Activity tables: the partnership's own RAG for each piece of work, read from the CSV files a
//! framework names, with their provenance.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Activity, Framework, RagKey, err};
use crate::error::{Error, Location, Result};
use crate::ingest::read;
use crate::model::InputFile;

impl Framework {
    /// Reads an activity table: `code,title,owner,outcome,theme,rag,note`.
    pub(super) fn activities(
        &mut self,
        path: &Path,
        display: &str,
        key: &RagKey,
    ) -> Result<Vec<Activity>> {
        let source = crate::ingest::Source::new(crate::ingest::SourceKind::Tidy, path, display);
        let table = read::read_table(&source)?;
        let digest = table.digest.clone();
        let mut reader = read::csv_reader(&table.text);
        let mut records = reader.records();
        let header = records
            .next()
            .transpose()
            .map_err(|e| read::csv_error(display, e))?;
        let expected = ["code", "title", "owner", "outcome", "theme", "rag", "note"];
        if header
            .as_ref()
            .map(|h| h.iter().map(str::trim).collect::<Vec<_>>())
            != Some(expected.to_vec())
        {
            return Err(Error::Header {
                at: Location::line(display, 1),
                message: format!("expected the columns {}", expected.join(",")),
            });
        }
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        let mut out = Vec::new();
        for record in records {
            let record = record.map_err(|e| read::csv_error(display, e))?;
            let line = read::line_of_record(&record);
            let a = self.activity(&record, display, line, key)?;
            if let Some(first) = seen.insert(a.code.clone(), line) {
                let message = format!(
                    "activity {} appears twice (first at line {first}); codes must be unique",
                    a.code
                );
                return Err(err(&format!("{display}:{line}"), "activity", message));
            }
            out.push(a);
        }
        let mut file = provenance("activities", display, &[], out.len() as u64);
        file.digest = digest;
        self.inputs.push(file);
        Ok(out)
    }

    fn activity(
        &self,
        r: &csv::StringRecord,
        display: &str,
        line: u64,
        key: &RagKey,
    ) -> Result<Activity> {
        let at = format!("{display}:{line}");
        let field = |i: usize| r[i].trim().to_string();
        let optional = |i: usize| Some(field(i)).filter(|s| !s.is_empty());
        let code = field(0);
        let entry = format!("activity {code}");
        if code.is_empty() {
            return Err(err(&at, "activity", "the code is empty"));
        }
        let rag = field(5);
        if key.rank(&rag).is_none() {
            let message = format!(
                "RAG `{rag}` is not in the key `{}` this report used ({})",
                key.id,
                key.codes()
            );
            return Err(err(&at, entry, message));
        }
        let (outcome, theme) = (optional(3), optional(4));
        if let Some(o) = &outcome {
            self.check_outcome(o, &entry).map_err(|_| {
                err(
                    &at,
                    &entry,
                    format!("outcome `{o}` is not in {}", self.file),
                )
            })?;
        }
        if let Some(t) = &theme
            && !self.themes.iter().any(|x| &x.id == t)
        {
            return Err(err(
                &at,
                &entry,
                format!("theme `{t}` is not a [[theme]] in {}", self.file),
            ));
        }
        if outcome.is_none() && theme.is_none() {
            return Err(err(
                &at,
                &entry,
                "give the outcome (or, for cross-cutting work, the theme) the activity serves",
            ));
        }
        Ok(Activity {
            code,
            title: field(1),
            owner: field(2),
            outcome,
            theme,
            rag: rag.to_uppercase(),
            note: field(6),
        })
    }
}

/// Provenance of a framework file: `rows` entries (indicators or activities) read and used.
pub(super) fn provenance(kind: &str, display: &str, bytes: &[u8], rows: u64) -> InputFile {
    InputFile {
        source: kind.to_string(),
        kind: kind.to_string(),
        path: display.to_string(),
        digest: read::sha256_digest(bytes),
        digest_basis: crate::model::DigestBasis::Computed,
        publisher: None,
        rows_read: rows,
        rows_counted: rows,
        rows_rejected: 0,
        withheld: false,
        periods: Vec::new(),
        rejections: Vec::new(),
    }
}
