//! The population loader: every denominator (and LSOA population) is positive and finite; never a
//! panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::config::{Source, SourceKind};
use saferstats::ingest::{grid, population, read};

fuzz_target!(|data: &[u8]| {
    let source = Source::new(SourceKind::Population, "fuzz.csv", "fuzz.csv");
    let Ok(table) = read::table_from_bytes(data, &source) else { return };
    let Ok(tables) = grid::from_csv(table) else { return };
    if let Ok((denominators, lsoas, file)) = population::load(tables, &source, 0) {
        assert_eq!(file.rows_read, file.rows_counted + file.rows_rejected);
        assert!(denominators.iter().all(|d| d.population > 0.0 && d.population.is_finite()));
        assert!(lsoas.iter().all(|l| l.population > 0.0 && l.population.is_finite()));
    }
});
