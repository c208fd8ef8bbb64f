//! A lookup from LSOA codes to the areas of another geography (wards, MSOAs, a partnership's own
//! neighbourhoods): `--area` naming one of its areas counts the rows a force located in its LSOAs.
//! Every row of the lookup is counted or rejected with its line and reason.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Error, Location, Result};
use crate::harmonise::label;
use crate::ingest::{Source, SourceKind, read};
use crate::model::{Dataset, InputFile, Rejection};

/// Where the lookup is and which of its columns hold the LSOA code and the area.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub path: PathBuf,
    /// The path as the user wrote it, for messages and provenance.
    pub display: String,
    pub code: String,
    pub area: String,
}

/// Reads `lookup` into `data.lsoa_areas`, with its provenance.
pub fn load_into(data: &mut Dataset, lookup: &Lookup, source: &Source) -> Result<()> {
    let file = Source::new(SourceKind::Tidy, &lookup.path, &lookup.display);
    let table = read::read_table(&file)?;
    let mut reader = read::csv_reader(&table.text);
    let mut records = reader.records();
    let header = records
        .next()
        .transpose()
        .map_err(|e| read::csv_error(&lookup.display, e))?
        .unwrap_or_default();
    let position = |name: &str| {
        header
            .iter()
            .position(|h| label::match_key(h) == label::match_key(name))
    };
    let (Some(code), Some(area)) = (position(&lookup.code), position(&lookup.area)) else {
        return Err(Error::Header {
            at: Location::line(&lookup.display, 1),
            message: format!(
                "an LSOA lookup needs the columns `{}` (the LSOA code) and `{}` (the area); set `code` and `area` under the source's `lookup`",
                lookup.code, lookup.area
            ),
        });
    };
    let (mut rows, mut rejections, mut areas) = (0u64, Vec::new(), BTreeMap::new());
    for record in records {
        let record = record.map_err(|e| read::csv_error(&lookup.display, e))?;
        let line = read::line_of_record(&record);
        rows += 1;
        let cell = |i: usize| record.get(i).map_or("", str::trim);
        let (c, a) = (cell(code), label::tidy(cell(area)));
        if c.is_empty() || a.is_empty() {
            rejections.push(Rejection {
                line,
                reason: "an empty LSOA code or area: not attributable".into(),
            });
        } else {
            areas.insert(c.to_string(), a);
        }
    }
    data.lsoa_areas.extend(areas);
    data.inputs
        .push(provenance(source, lookup, table.digest, rows, rejections));
    Ok(())
}

fn provenance(
    source: &Source,
    lookup: &Lookup,
    digest: String,
    rows: u64,
    rejections: Vec<Rejection>,
) -> InputFile {
    InputFile {
        source: source.name.clone(),
        kind: "lsoa-lookup".into(),
        path: lookup.display.clone(),
        digest,
        digest_basis: crate::model::DigestBasis::Computed,
        publisher: None,
        rows_read: rows,
        rows_counted: rows - rejections.len() as u64,
        rows_rejected: rejections.len() as u64,
        periods: Vec::new(),
        rejections,
        withheld: false,
    }
}
