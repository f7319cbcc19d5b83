//! The iCalendar export in Lord Howe and Auckland, read back by the
//! icalendar and rrule crates (as tests/cli/calendar.rs does for Berlin and
//! New York), is exactly troth's slots.

use super::s;
use crate::calendar::{Occurrence, calendar_occurrences, utc};
use crate::support::TestEnv;
use chrono::DateTime;
use std::collections::BTreeMap;

/// Every slot `show --json` lists, due by `until`, as the calendar test
/// reads occurrences: (uuid, "event"|"todo", wall clock, UTC).
fn slots_as_occurrences(env: &TestEnv, until: &str) -> (Vec<Occurrence>, BTreeMap<String, chrono_tz::Tz>) {
    let until = DateTime::parse_from_rfc3339(until).unwrap();
    let (mut out, mut zones) = (Vec::new(), BTreeMap::new());
    for a in env.json(&["list", "--all"]).as_array().unwrap() {
        let uuid = s(&a["uuid"]).to_string();
        zones.insert(uuid.clone(), s(&a["zone"]).parse().unwrap());
        for x in env.json(&["show", &a["id"].to_string()])["slots"].as_array().unwrap() {
            let due = DateTime::parse_from_rfc3339(s(&x["due"])).unwrap();
            if due > until {
                continue;
            }
            let terms = s(&x["terms"]);
            let event = terms.starts_with("every") || terms.starts_with("monthly");
            let wall = s(&x["due"])[..19].to_string();
            out.push(match (event, terms.contains(':')) {
                (true, true) => (uuid.clone(), "event", wall, utc(due.to_utc())),
                (true, false) => (uuid.clone(), "event", s(&x["start"])[..10].to_string(), "-".into()),
                _ => (uuid.clone(), "todo", wall, utc(due.to_utc())),
            });
        }
    }
    out.sort();
    (out, zones)
}

#[test]
fn the_calendar_reads_back_as_the_slots_in_lord_howe_and_auckland() {
    // A year of Lord Howe's half-hour changes (02:15 falls in the October
    // gap, 01:45 twice in April) beside Auckland's, each read back by the
    // icalendar and rrule crates, must be exactly troth's slots.
    let mut env = TestEnv::new("Australia/Lord_Howe", "2026-01-05T10:00:00+11:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let p = |env: &TestEnv, slug: &str, terms: &str, zone: &str| {
        env.ok(&[
            "promise",
            slug,
            "--slug",
            slug,
            "--terms",
            terms,
            "--zone",
            zone,
            "--starts",
            "2026-01-05",
            "--anyway",
        ]);
    };
    p(&env, "gap", "every sun 02:15", "Australia/Lord_Howe");
    p(&env, "twice", "every sun 01:45", "Australia/Lord_Howe");
    p(&env, "daily", "every day 02:40", "Australia/Lord_Howe");
    p(&env, "nz", "every sun 02:30", "Pacific/Auckland");
    p(&env, "nzback", "every sun 02:30", "Pacific/Auckland");
    p(&env, "rent", "monthly on 31 09:00", "Pacific/Auckland");
    p(&env, "fort", "every other sat 10:00", "Australia/Lord_Howe");
    p(&env, "weekends", "2 weekends a month", "Pacific/Auckland");
    p(&env, "market", "every sat", "Australia/Lord_Howe");
    env.set_now("2026-06-10T12:00:00+10:30");
    env.ok(&["amend", "nzback", "--terms", "every sat 02:30", "--anyway"]);
    env.ok(&["pause", "market"]);
    let until_day = "2026-12-31";
    let text = env.ok(&["export", "--format", "ics", "--until", until_day]);
    env.set_now("2027-01-02T12:00:00+11:00");
    let (want, zones) = slots_as_occurrences(&env, "2027-01-01T00:00:00+11:00");
    let got = calendar_occurrences(&text, &zones);
    let missing: Vec<&Occurrence> = want.iter().filter(|w| !got.contains(w)).collect();
    let extra: Vec<&Occurrence> = got.iter().filter(|g| !want.contains(g)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:#?}\nextra {extra:#?}");
    // The gap Sunday: 02:15 +10:30 = 02:45 +11:00 (15:45Z on the 3rd);
    // the overlap Sunday: the first 01:45 (+11:00, 14:45Z on the 4th).
    assert!(got.iter().any(|o| o.2 == "2026-10-04T02:45:00" && o.3 == "2026-10-03T15:45:00Z"), "{got:#?}");
    assert!(got.iter().any(|o| o.2 == "2026-04-05T01:45:00" && o.3 == "2026-04-04T14:45:00Z"));
    // Auckland's gap (27 Sep, 02:00 → 03:00): 02:30 is 03:30 NZDT.
    assert!(got.iter().any(|o| o.2 == "2026-09-27T03:30:00" && o.3 == "2026-09-26T14:30:00Z"));
    // A to-do's summary counts in words: "2 weekends this month"; a daily
    // quota's "1 time today", not "1 times".
    assert!(text.contains("SUMMARY:weekends (weekends): 2 weekends this month"));
    env.ok(&["promise", "Stretch", "--slug", "stretch", "--terms", "daily", "--starts", "2027-01-03"]);
    let text = env.ok(&["export", "--format", "ics", "--from", "2027-01-03", "--until", "2027-01-03"]);
    assert!(text.contains("SUMMARY:Stretch (stretch): 1 time today"), "{text}");
}
