//! The TOML config: any text gives a config or an error naming the file, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Config::from_toml(text, "fuzz.toml", std::path::Path::new(""));
});
