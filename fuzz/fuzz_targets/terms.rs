#![no_main]
//! Terms parsing never panics, and what it accepts prints back to itself.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    if let Ok(p) = troth::domain::terms::parse(data, today) {
        let again = troth::domain::terms::parse(&p.terms.to_string(), today).expect("canonical terms parse");
        assert_eq!(again.terms, p.terms);
    }
});
