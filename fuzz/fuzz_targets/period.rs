//! Period labels: any text either fails to parse or parses to a period whose label parses back to it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::harmonise::Period;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(period) = text.parse::<Period>() {
        assert_eq!(period.to_string().parse::<Period>().unwrap(), period);
        assert_eq!(period.months().count() as i32, period.month_count());
    }
});
