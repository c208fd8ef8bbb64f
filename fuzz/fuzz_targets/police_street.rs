//! A data.police.uk street file: any bytes give counts or a located error; with bad rows rejected,
//! rows read = counted + rejected, and the counts add up to the rows counted.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::ingest::police_uk::file::{self, BadRows};

fuzz_target!(|data: &[u8]| {
    let name = file::parse_name("2016-04/2016-04-city-of-london-street.csv").unwrap();
    let area = vec!["City of London".to_string()];
    if let Ok(parsed) = file::parse(data, &name, "fuzz.csv", BadRows::Reject, Some(&area)) {
        let rejected = parsed.rejected.len() as u64;
        assert!(rejected <= parsed.rows_read);
        if let Some(street) = parsed.street {
            assert_eq!(street.by_type.iter().sum::<u64>(), parsed.rows_read - rejected);
        }
    }
});
