//! The `parquet` source kind: monthly LSOA counts in `--export-parquet`'s Hive layout feed the
//! same comparisons as the archive they came from (DuckDB writing the layout is in
//! `bench/parquet_equivalence.sh`, which needs the duckdb Python package).

mod common;

use std::path::Path;

use common::Cli;
use polars::prelude::*;

fn export(archive: &Path, dir: &Path) {
    Cli::new()
        .source_path("police-uk", archive)
        .args([
            "--no-cache",
            "--export-parquet",
            &dir.display().to_string(),
            "check",
        ])
        .expect(0);
}

fn compare(kind: &str, path: &Path, extra: &[&str]) -> String {
    let (out, _) = Cli::new()
        .source_path(kind, path)
        .args([
            "--no-cache",
            "--allow-partial",
            "compare",
            "--from",
            "2016/17",
            "--to",
            "2017/18",
            "--format",
            "csv",
        ])
        .args(extra)
        .expect(0);
    out
}

#[test]
fn the_exported_layout_gives_the_same_comparisons_as_the_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("archive");
    common::two_forces::write(&archive);
    let parquet = tmp.path().join("parquet");
    export(&archive, &parquet);
    assert!(
        parquet
            .join("year=2017/force=sussex/part-0.parquet")
            .exists()
    );
    for extra in [
        &["--all-areas"][..],
        &["--area", "kent"],
        &["--area", "Maidstone"],
        &["--area", "Brighton and Hove"],
    ] {
        let raw = compare("police-uk", &archive, extra);
        let from_parquet = compare("parquet", &parquet, extra);
        assert_eq!(raw, from_parquet, "{extra:?}");
        assert!(raw.lines().count() > 2, "{raw}");
    }
    // By hand: Maidstone 72 crimes in 2016/17 and 84 in 2017/18.
    let m = compare("parquet", &parquet, &["--area", "Maidstone"]);
    let total = m.lines().find(|l| l.starts_with("Total")).unwrap();
    assert!(total.contains(",72,84,12,"), "{total}");
}

fn write_frame(path: &Path, mut df: DataFrame) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    ParquetWriter::new(std::fs::File::create(path).unwrap())
        .finish(&mut df)
        .unwrap();
}

#[test]
fn a_crime_type_that_matches_nothing_is_an_error_naming_file_and_row() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("agg/year=2016/force=kent/part-0.parquet");
    let df = df!(
        "month" => ["2016-04", "2016-04"],
        "area" => ["Kent Police", "Kent Police"],
        "lsoa_code" => ["E01024001", "E01024001"],
        "lsoa_name" => ["Maidstone 001A", "Maidstone 001A"],
        "crime_type" => ["Shoplifting", "Shopliftin"],
        "count" => [3i64, 2],
    )
    .unwrap();
    write_frame(&file, df);
    let (_, err) = Cli::new()
        .source_path("parquet", &tmp.path().join("agg"))
        .args(["counts", "--period", "2016-04"])
        .expect(2);
    assert!(
        err.contains("part-0.parquet") && err.contains("row 2") && err.contains("Shopliftin"),
        "{err}"
    );
}

#[test]
fn a_file_without_the_layouts_columns_is_refused_saying_which_it_wants() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("agg/part-0.parquet");
    write_frame(&file, df!("month" => ["2016-04"], "n" => [1i64]).unwrap());
    let (_, err) = Cli::new()
        .source_path("parquet", &tmp.path().join("agg"))
        .args(["counts", "--period", "2016-04"])
        .expect(2);
    assert!(
        err.contains("month,area,lsoa_code,lsoa_name,crime_type,count"),
        "{err}"
    );
}
