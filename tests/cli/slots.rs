//! Slot rules through the binary, across clock changes, month ends and ISO
//! week 53, in Berlin and New York (hand-worked expectations inline).

use crate::support::TestEnv;

fn dues(env: &TestEnv, within: &str) -> Vec<String> {
    env.json(&["due", "--within", within])
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["due"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn berlin_spring_forward_schedule() {
    // Sunday 29 March 2026, 02:00 → 03:00. 02:30 does not exist: it is 03:30 CEST.
    let env = TestEnv::new("Europe/Berlin", "2026-03-27T12:00:00+01:00");
    env.ok(&["promise", "Sunday call", "--terms", "every sun 02:30"]);
    assert_eq!(dues(&env, "3d"), ["2026-03-29T03:30:00+02:00"]);
}

#[test]
fn new_york_fall_back_schedule_takes_the_first() {
    // Sunday 1 November 2026, 02:00 EDT → 01:00 EST. 01:30 happens twice: the first, EDT.
    let env = TestEnv::new("America/New_York", "2026-10-30T12:00:00-04:00");
    env.ok(&["promise", "Night feed", "--terms", "every sun 01:30"]);
    assert_eq!(dues(&env, "3d"), ["2026-11-01T01:30:00-04:00"]);
}

#[test]
fn new_york_spring_forward_daily_quota() {
    // The day of 8 March 2026 is 23 hours long; its slot ends at midnight EDT.
    let env = TestEnv::new("America/New_York", "2026-03-08T10:00:00-04:00");
    env.ok(&["promise", "Walk", "--terms", "daily", "--starts", "2026-03-08"]);
    assert_eq!(dues(&env, "1d"), ["2026-03-09T00:00:00-04:00"]);
}

#[test]
fn monthly_on_31_in_february_and_a_leap_year() {
    let env = TestEnv::new("Europe/Berlin", "2028-02-20T12:00:00+01:00");
    env.ok(&["promise", "Budget talk", "--terms", "monthly on 31 09:00"]);
    assert_eq!(dues(&env, "10d"), ["2028-02-29T09:00:00+01:00"]);
    let env = TestEnv::new("Europe/Berlin", "2027-04-25T12:00:00+02:00");
    env.ok(&["promise", "Budget talk", "--terms", "monthly on 31 09:00"]);
    assert_eq!(dues(&env, "6d"), ["2027-04-30T09:00:00+02:00"]);
}

#[test]
fn weekly_quota_in_iso_week_53() {
    // 2026 has 53 ISO weeks; week 53 is Mon 28 Dec – Sun 3 Jan, due Mon 4 Jan 00:00.
    let env = TestEnv::new("America/New_York", "2026-12-29T12:00:00-05:00");
    env.ok(&["promise", "Cook", "--terms", "3 times a week", "--starts", "2026-12-28"]);
    let due = env.json(&["due"]);
    assert_eq!(due[0]["due"], "2027-01-04T00:00:00-05:00");
    assert_eq!(due[0]["remaining"], 3);
    env.ok(&["kept", "cook", "--at", "2026-12-28 19:00"]);
    env.ok(&["kept", "cook", "--at", "2026-12-29 08:00"]);
    assert_eq!(env.json(&["due"])[0]["remaining"], 1);
    let r = env.json(&["report", "--week", "this"]);
    assert_eq!(r["week"], "2026-W53");
    assert_eq!(r["agreements"][0]["open"]["kept"], 2);
    assert_eq!(r["agreements"][0]["open"]["promised"], 3);
}

#[test]
fn a_quota_promised_mid_month_starts_next_month() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Weekends", "--terms", "2/month"]);
    assert_eq!(dues(&env, "40d"), ["2027-01-01T00:00:00+01:00"]);
    let env = TestEnv::berlin();
    env.ok(&["promise", "Weekends", "--terms", "2/month", "--starts", "2026-11-01"]);
    assert_eq!(dues(&env, "40d")[0], "2026-12-01T00:00:00+01:00");
}

#[test]
fn a_week_across_the_berlin_fall_back_is_168_plus_one_hours() {
    // Week 43 2026: Mon 19 Oct 00:00+02:00 → Mon 26 Oct 00:00+01:00.
    let env = TestEnv::new("Europe/Berlin", "2026-10-28T12:00:00+01:00");
    env.ok(&["init"]);
    let r = env.json(&["report", "--week", "2026-W43"]);
    assert_eq!(r["start"], "2026-10-19T00:00:00+02:00");
    assert_eq!(r["end"], "2026-10-26T00:00:00+01:00");
}
