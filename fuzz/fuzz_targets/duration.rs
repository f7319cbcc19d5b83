#![no_main]
//! DURATION parsing never panics, and what it accepts prints back to itself.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(span) = troth::domain::time::parse_duration(data) {
        assert_eq!(troth::domain::time::parse_duration(&span.to_string()), Ok(span));
    }
});
