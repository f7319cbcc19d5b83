//! Times and ranges as people type them (docs/cli.md WHEN): the years troth
//! keeps, and a day given to `--until` ending at 24:00 — the next day's first
//! instant, which belongs to that next day.

use crate::support::TestEnv;

/// A time outside the years 1970–2999 says so and names the range, however
/// it is typed (a date, a local time, words, RFC 3339) — not "could not read
/// the time", which would send a person looking for another format.
#[test]
fn a_time_outside_the_years_says_the_range_however_typed() {
    let env = TestEnv::new("America/New_York", "2026-11-23T18:00:00-05:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let before = env.dump();
    for when in ["3000-01-01", "3000-01-01 00:30", "1969-12-31 23:59", "3000-01-01T00:00:00-05:00"] {
        let err = env.fails(2, &["promise", "Longer", "--ends", when]);
        let first = err.lines().next().unwrap_or_default();
        assert_eq!(first, format!("error: --ends: the time \"{when}\" is outside the years 1970–2999"), "{err}");
        assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{err}");
    }
    assert_eq!(env.dump(), before, "refusals leave the ledger as it was");
}

/// `log --until 2026-11-16` is up to the end of the 16th: an entry at
/// midnight that ends it (Tue 17 Nov 00:00) is the 17th's and is left out
/// (it was listed); `--since` the 17th `--until` the 16th is no time at all
/// and is refused (it listed that midnight entry). A time to the minute is
/// inclusive.
#[test]
fn log_until_a_day_ends_before_the_next_day_begins() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Call if late", "--terms", "standing", "--slug", "call", "--starts", "2026-11-01"]);
    env.ok(&["kept", "call", "--at", "2026-11-16 23:59"]);
    env.ok(&["kept", "call", "--at", "2026-11-17 00:00"]);
    let at = |args: &[&str]| -> Vec<String> {
        env.json(args).as_array().unwrap().iter().map(|e| e["at"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(at(&["log", "--until", "2026-11-16"]), ["2026-11-16T23:59:00+01:00"]);
    assert_eq!(at(&["log", "--since", "2026-11-17", "--until", "2026-11-17"]), ["2026-11-17T00:00:00+01:00"]);
    assert_eq!(at(&["log", "--until", "2026-11-17 00:00"]).len(), 2, "a time is inclusive");
    let err = env.fails(2, &["log", "--since", "2026-11-17", "--until", "2026-11-16"]);
    assert!(err.starts_with("error: --since (Tue 17 Nov) is after --until (Mon 16 Nov)"), "{err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{err}");
}

/// `kept --at` today's date before noon logs the morning's keeping at the
/// moment it is logged (12:00 would be a future time, and was refused); after
/// noon, and for any other day, a date alone is 12:00 that day.
#[test]
fn kept_at_todays_date_in_the_morning_is_now_not_a_future_noon() {
    let env = TestEnv::new("America/New_York", "2026-11-27T09:10:00-05:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk", "--terms", "1/day", "--slug", "walk", "--starts", "2026-11-20"]);
    let morning = env.json(&["kept", "walk", "--at", "2026-11-27"]);
    assert_eq!(morning["at"], "2026-11-27T09:10:00-05:00", "{morning}");
    let before = env.json(&["kept", "walk", "--at", "2026-11-26"]);
    assert_eq!(before["at"], "2026-11-26T12:00:00-05:00", "{before}");
    let err = env.fails(2, &["kept", "walk", "--at", "2026-11-28"]);
    assert!(err.starts_with("error: "), "a later day is still the future: {err}");
}
