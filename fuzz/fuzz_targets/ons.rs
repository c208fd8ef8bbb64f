//! The ONS rolling-year loader: every row is counted (one figure each) or ledgered as an
//! aggregate; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::config::{Source, SourceKind};
use saferstats::harmonise::taxonomy::Taxonomy;
use saferstats::ingest::{grid, ons, read};

fuzz_target!(|data: &[u8]| {
    let source = Source::new(SourceKind::OnsPfa, "fuzz.csv", "fuzz.csv");
    let Ok(table) = read::table_from_bytes(data, &source) else { return };
    let Ok(tables) = grid::from_csv(table) else { return };
    if let Ok((loaded, _, _)) = ons::load(tables, &source, 0, &Taxonomy::shipped()) {
        let f = &loaded.file;
        assert_eq!(f.rows_read, f.rows_counted + f.rows_rejected);
        // Two namings of one offence in one period are one observation (both rows counted).
        assert!(loaded.observations.len() as u64 <= f.rows_counted);
        assert_eq!(f.rejections.len() as u64, f.rows_rejected);
    }
});
