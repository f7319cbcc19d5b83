#![no_main]
//! WHEN parsing never panics, in any meaning, in zones with odd rules.
use libfuzzer_sys::fuzz_target;
use troth::domain::time::{DateMeaning, parse_when};

fuzz_target!(|data: &str| {
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap();
    for zone in [chrono_tz::Europe::Berlin, chrono_tz::America::Santiago, chrono_tz::Australia::Lord_Howe] {
        for m in [DateMeaning::Noon, DateMeaning::Start, DateMeaning::End] {
            let _ = parse_when(data, now, zone, m);
        }
    }
});
