//! The Home Office table loader: any bytes give figures or a located error, never a panic; the
//! ledger balances and the counted rows are what the sums hold.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::config::{Source, SourceKind};
use saferstats::harmonise::taxonomy::Taxonomy;
use saferstats::ingest::{grid, home_office, read};

fuzz_target!(|data: &[u8]| {
    let source = Source::new(SourceKind::HomeOffice, "fuzz.csv", "fuzz.csv");
    let Ok(table) = read::table_from_bytes(data, &source) else { return };
    let Ok(tables) = grid::from_csv(table) else { return };
    if let Ok((loaded, _, _, _)) = home_office::load(tables, &source, 0, &Taxonomy::shipped()) {
        let f = &loaded.file;
        assert_eq!(f.rows_read, f.rows_counted + f.rows_rejected);
        assert!(!loaded.observations.is_empty());
    }
});
