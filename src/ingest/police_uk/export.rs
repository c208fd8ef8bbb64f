//! `--export-parquet DIR`: the monthly LSOA aggregates as Parquet in a Hive layout,
//! `DIR/year=2016/force=city-of-london/part-0.parquet`, so DuckDB (`read_parquet(...,
//! hive_partitioning = true)`) or Spark can query the same numbers. The partition columns live in
//! the path, not the files. Columns: month, area, lsoa_code, lsoa_name, crime_type, count.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::harmonise::police_uk::CRIME_TYPES;
use crate::ingest::police_uk::LsoaRecord;
use crate::model::Dataset;

/// Writes every partition; returns the files written, in order.
pub fn write(data: &Dataset, dir: &Path) -> Result<Vec<PathBuf>> {
    let slug_of: BTreeMap<&str, &str> = data
        .aliases
        .iter()
        .map(|(slug, area)| (area.as_str(), slug.as_str()))
        .collect();
    let mut parts: BTreeMap<(i32, String), Vec<&LsoaRecord>> = BTreeMap::new();
    for r in &data.lsoa {
        let slug = slug_of
            .get(&*r.area)
            .map_or_else(|| crate::harmonise::label::slug(&r.area), |s| s.to_string());
        parts.entry((r.month.year(), slug)).or_default().push(r);
    }
    let mut written = Vec::new();
    for ((year, force), records) in parts {
        let folder = dir
            .join(format!("year={year}"))
            .join(format!("force={force}"));
        let path = folder.join("part-0.parquet");
        let failed = |e: String| Error::Write {
            path: path.clone(),
            source: std::io::Error::other(e),
        };
        std::fs::create_dir_all(&folder).map_err(|e| Error::Write {
            path: folder.clone(),
            source: e,
        })?;
        let mut df = frame(&records).map_err(|e| failed(e.to_string()))?;
        let file = std::fs::File::create(&path).map_err(|e| Error::Write {
            path: path.clone(),
            source: e,
        })?;
        ParquetWriter::new(file)
            .finish(&mut df)
            .map_err(|e| failed(e.to_string()))?;
        written.push(path);
    }
    Ok(written)
}

/// One partition's rows: one per month, LSOA and crime type with a count above zero.
fn frame(records: &[&LsoaRecord]) -> PolarsResult<DataFrame> {
    let (mut month, mut area, mut code, mut name, mut kind, mut count) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for r in records {
        for (t, n) in r.counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            month.push(r.month.to_string());
            area.push(r.area.to_string());
            code.push(r.lsoa_code.to_string());
            name.push(r.lsoa_name.to_string());
            kind.push(CRIME_TYPES[t]);
            count.push(*n);
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("month".into(), month),
        Column::new("area".into(), area),
        Column::new("lsoa_code".into(), code),
        Column::new("lsoa_name".into(), name),
        Column::new("crime_type".into(), kind),
        Column::new("count".into(), count),
    ])
}
