//! The summary-table loader: any bytes give figures or a located error, never a panic; every data
//! row read is counted.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::config::{Source, SourceKind};
use saferstats::ingest::{read, summary};

fuzz_target!(|data: &[u8]| {
    let source = Source {
        area: Some("Area".into()),
        ..Source::new(SourceKind::Summary, "fuzz.csv", "fuzz.csv")
    };
    let Ok(table) = read::table_from_bytes(data, &source) else { return };
    if let Ok(loaded) = summary::load_table(table, &source, 0) {
        assert_eq!(loaded.file.rows_read, loaded.file.rows_counted + loaded.file.rows_rejected);
    }
});
