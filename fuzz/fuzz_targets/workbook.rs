//! Any bytes as a workbook (xlsx, xls or ods): read or refused, never a crash, a hang or an
//! allocation beyond the workbook caps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saferstats::ingest::grid;

fuzz_target!(|data: &[u8]| {
    if let Ok(tables) = grid::workbook_from_bytes(data.to_vec(), "fuzz.xlsx", None) {
        for g in &tables.grids {
            assert!(g.rows.iter().all(|r| r.line >= 1));
        }
    }
});
