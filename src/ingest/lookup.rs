//! Lookups from LSOAs to larger geographies (`[[lookup]]`): ONS's best-fit tables (LSOA to ward,
//! MSOA or local authority) as CSV, or any CSV with an LSOA code column beside a group's code and
//! name, such as the ONS LSOA boundary files' own `MSOA11CD,MSOA11NM`. Every row gives one LSOA
//! one group; an LSOA given two different groups is an error naming both lines, never a guess.

use std::collections::BTreeMap;

use crate::error::{Error, Location, Result};
use crate::ingest::read::{csv_error, csv_reader, header, line_of_record};
use crate::model::place::{Lookup, LookupSpec};

/// Reads the lookup `spec` names.
pub fn read(spec: &LookupSpec) -> Result<Lookup> {
    let bytes = std::fs::read(&spec.path).map_err(|source| Error::Read {
        path: spec.display.clone(),
        source,
    })?;
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
        .replace("\r\n", "\n");
    let mut reader = csv_reader(&text);
    let mut records = reader.records();
    let head = header(&mut records, &spec.display)?;
    let names: Vec<String> = head.iter().map(|h| h.trim().to_string()).collect();
    let column = |c: &str| {
        names
            .iter()
            .position(|h| h.eq_ignore_ascii_case(c))
            .ok_or_else(|| Error::Header {
                at: Location::line(&spec.display, 1),
                message: format!(
                    "no column `{c}` (found: {}); name the columns with lsoa_column, code_column and name_column in [[lookup]]",
                    names.join(", ")
                ),
            })
    };
    let (lsoa, code, name) = (
        column(&spec.lsoa_column)?,
        column(&spec.code_column)?,
        column(&spec.name_column)?,
    );
    let mut groups: BTreeMap<String, (String, String, u64)> = BTreeMap::new();
    for record in records {
        let record = record.map_err(|e| csv_error(&spec.display, e))?;
        let line = line_of_record(&record);
        let field = |j: usize| record.get(j).unwrap_or_default().trim().to_string();
        let at = Location::line(&spec.display, line);
        let (l, c) = (field(lsoa), field(code));
        if l.is_empty() || c.is_empty() {
            return Err(Error::Row {
                at,
                message: format!(
                    "a lookup row needs both an LSOA code ({}) and a group code ({}); remove the row or fill it in",
                    spec.lsoa_column, spec.code_column
                ),
            });
        }
        add(&mut groups, (l, c, field(name)), line, at)?;
    }
    if groups.is_empty() {
        return Err(crate::ingest::read::no_rows(&spec.display));
    }
    Ok(Lookup {
        name: spec.name.clone(),
        display: spec.display.clone(),
        groups: groups
            .into_iter()
            .map(|(l, (c, n, _))| (l, (c, n)))
            .collect(),
    })
}

/// Adds one row's LSOA to its group; the same LSOA again must name the same group.
fn add(
    groups: &mut BTreeMap<String, (String, String, u64)>,
    (lsoa, code, name): (String, String, String),
    line: u64,
    at: Location,
) -> Result<()> {
    match groups.get(&lsoa) {
        Some((c, _, first)) if *c != code => Err(Error::Row {
            at,
            message: format!(
                "LSOA {lsoa} is in group {code} here but in {c} on line {first}: a lookup gives each LSOA one group (use a best-fit lookup)"
            ),
        }),
        Some(_) => Ok(()),
        None => {
            groups.insert(lsoa, (code, name, line));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> (tempfile::TempDir, LookupSpec) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lookup.csv");
        std::fs::write(&path, text).unwrap();
        let spec = LookupSpec {
            name: "msoa".into(),
            path,
            display: "lookup.csv".into(),
            lsoa_column: "LSOA11CD".into(),
            code_column: "MSOA11CD".into(),
            name_column: "MSOA11NM".into(),
        };
        (dir, spec)
    }

    #[test]
    fn reads_each_lsoa_into_its_group() {
        let (_d, s) = spec(
            "\u{feff}LSOA11CD,MSOA11CD,MSOA11NM\r\nE01000001,E02000001,City of London 001\r\nE01000002,E02000001,City of London 001\r\nE01000001,E02000001,City of London 001\r\n",
        );
        let l = read(&s).unwrap();
        assert_eq!(l.groups.len(), 2);
        assert_eq!(
            l.groups["E01000002"],
            ("E02000001".to_string(), "City of London 001".to_string())
        );
    }

    #[test]
    fn an_lsoa_in_two_groups_names_both_lines() {
        let (_d, s) =
            spec("LSOA11CD,MSOA11CD,MSOA11NM\nE01000001,E02000001,A\nE01000001,E02000002,B\n");
        let e = read(&s).unwrap_err().to_string();
        assert!(e.starts_with("lookup.csv:3:"), "{e}");
        assert!(e.contains("in E02000001 on line 2"), "{e}");
    }

    #[test]
    fn a_missing_column_or_code_is_an_error() {
        let (_d, s) = spec("LSOA11CD,MSOA11NM\nE01000001,A\n");
        let e = read(&s).unwrap_err().to_string();
        assert!(e.contains("no column `MSOA11CD`"), "{e}");
        let (_d, s) = spec("LSOA11CD,MSOA11CD,MSOA11NM\nE01000001,,A\n");
        let e = read(&s).unwrap_err().to_string();
        assert!(e.starts_with("lookup.csv:2:"), "{e}");
    }
}
