//! The tidy loader: any bytes give figures or a located error, never a panic; every data
//! row read is counted.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::config::{Source, SourceKind};
use saferstats::ingest::{read, tidy};

fuzz_target!(|data: &[u8]| {
    let source = Source {
        name: "fuzz".into(),
        kind: SourceKind::Tidy,
        path: "fuzz.csv".into(),
        display: "fuzz.csv".into(),
        area: Some("Area".into()),
        publisher: None,
        selection: Default::default(),
        encoding: Default::default(),
    };
    let Ok(table) = read::table_from_bytes(data, &source) else { return };
    if let Ok(loaded) = tidy::load_table(table, &source, 0) {
        assert_eq!(loaded.file.rows_read, loaded.file.rows_counted + loaded.file.rows_rejected);
    }
});
