#![no_main]
//! Import validation never panics on any bytes.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = troth::commands::check_import(text);
    }
});
