//! Snapshots of the main screens on the days that trip calendars up: both
//! clock changes in Berlin (last Sundays of March and October) and New York
//! (second Sunday of March, first Sunday of November), a month's end (the
//! 31st into the 1st) and ISO week 53 (Mon 28 Dec 2026 – Sun 3 Jan 2027).
//! Each story is the same couple and the same promises, with three weeks of
//! entries, seen on a fixed `TROTH_NOW` in a fixed `TZ`. Read each snapshot
//! as the couple would: the day they mean, numbers they can add up.

use crate::screens::screen;
use crate::support::TestEnv;
use chrono::{Datelike, Days, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;

/// A couple's three weeks up to `now` in `zone`: a daily walk (broken on
/// the 5th, 10th, …), Friday date night (missed once), an early Sunday swim
/// at 02:30 (the hour that a clock change skips or repeats), two weekends a
/// month, Sam's deadline on `deadline` and a standing promise.
fn story(zone: &str, first_monday: NaiveDate, now: &str, deadline: NaiveDate) -> TestEnv {
    let tz: Tz = zone.parse().unwrap();
    let at = |d: NaiveDate, h: u32, m: u32| {
        tz.from_local_datetime(&d.and_hms_opt(h, m, 0).unwrap()).earliest().unwrap().to_rfc3339()
    };
    let mut env = TestEnv::new(zone, &at(first_monday, 9, 0));
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let start = first_monday.to_string();
    let month = first_monday.with_day(1).unwrap().to_string();
    env.ok(&["promise", "Walk together after dinner", "--terms", "daily", "--slug", "walk", "--starts", &start]);
    env.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--starts", &start]);
    env.ok(&["promise", "Early swim on Sundays", "--terms", "every sun 02:30", "--slug", "swim", "--starts", &start]);
    env.ok(&[
        "promise",
        "Two weekends a month",
        "--terms",
        "2 weekends a month",
        "--slug",
        "weekends",
        "--starts",
        &month,
    ]);
    env.ok(&["promise", "Fix the sink", "--terms", &format!("by {deadline}"), "--by", "Sam", "--slug", "sink"]);
    env.ok(&["promise", "Call if I'm running late", "--starts", &start]);
    env.set_now(now);
    let end = chrono::DateTime::parse_from_rfc3339(now).unwrap().with_timezone(&tz).date_naive();
    let mut d = first_monday;
    let mut fridays = 0;
    while d < end {
        let walk = if d.day().is_multiple_of(5) { "broke" } else { "kept" };
        env.ok(&[walk, "walk", "--at", &at(d, 20, 0)]);
        match d.weekday() {
            Weekday::Fri => {
                fridays += 1;
                if fridays != 2 {
                    env.ok(&["kept", "date-night", "--at", &at(d, 19, 30), "--note", "dinner out"]);
                }
            }
            Weekday::Sun => {
                env.ok(&["kept", "swim", "--at", &at(d, 3, 45)]);
            }
            Weekday::Sat if d.day() <= 14 => {
                env.ok(&["kept", "weekends", "--at", &at(d, 12, 0)]);
            }
            _ => {}
        }
        if d + Days::new(1) == deadline {
            env.ok(&["kept", "sink", "--at", &at(d, 17, 0)]);
        }
        d = d + Days::new(1);
    }
    env
}

/// The screens a couple reads, each a snapshot named `<case>_<screen>`.
fn screens(case: &str, env: &TestEnv, week: &str, since: &str) {
    let named: [(&str, Vec<&str>); 8] = [
        ("list", vec!["list"]),
        ("show_walk", vec!["show", "walk"]),
        ("show_swim", vec!["show", "swim"]),
        ("due", vec!["due"]),
        ("report", vec!["report", "--week", week]),
        ("report_now", vec!["report", "--week", "this"]),
        ("log", vec!["log", "--since", since]),
        ("overpromising", vec!["overpromising"]),
    ];
    for (name, args) in named {
        insta::assert_snapshot!(format!("{case}_{name}"), screen(env, &args));
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn berlin_spring_forward() {
    // Sun 29 Mar 2026: 02:00 → 03:00. Seen on Monday morning.
    let env = story("Europe/Berlin", ymd(2026, 3, 9), "2026-03-30T09:00:00+02:00", ymd(2026, 3, 29));
    screens("berlin_spring", &env, "2026-W13", "2026-03-27");
}

#[test]
fn berlin_fall_back() {
    // Sun 25 Oct 2026: 03:00 → 02:00. Seen on Monday morning.
    let env = story("Europe/Berlin", ymd(2026, 10, 5), "2026-10-26T09:00:00+01:00", ymd(2026, 10, 25));
    screens("berlin_fall", &env, "2026-W43", "2026-10-23");
}

#[test]
fn new_york_spring_forward() {
    // Sun 8 Mar 2026: 02:00 → 03:00.
    let env = story("America/New_York", ymd(2026, 2, 16), "2026-03-09T09:00:00-04:00", ymd(2026, 3, 8));
    screens("new_york_spring", &env, "2026-W10", "2026-03-06");
}

#[test]
fn new_york_fall_back_at_a_month_end() {
    // Sun 1 Nov 2026: 02:00 → 01:00, the day after October ends.
    let env = story("America/New_York", ymd(2026, 10, 12), "2026-11-02T09:00:00-05:00", ymd(2026, 11, 1));
    screens("new_york_fall", &env, "2026-W44", "2026-10-30");
}

#[test]
fn a_month_end_the_31st_into_the_1st() {
    // Seen late on Sat 31 Oct (the month ends tonight) and on Sun 1 Nov morning.
    let env = story("Europe/Berlin", ymd(2026, 10, 12), "2026-10-31T21:30:00+01:00", ymd(2026, 10, 31));
    screens("month_end_31", &env, "2026-W43", "2026-10-29");
    let mut env = env;
    env.set_now("2026-11-01T09:00:00+01:00");
    screens("month_end_1", &env, "2026-W44", "2026-10-30");
}

#[test]
fn iso_week_53() {
    // 2026-W53 is Mon 28 Dec 2026 – Sun 3 Jan 2027: seen on New Year's Eve, and
    // on Mon 4 Jan 2027, when it is "last week".
    let env = story("Europe/Berlin", ymd(2026, 12, 7), "2026-12-31T20:00:00+01:00", ymd(2027, 1, 3));
    screens("week53_eve", &env, "2026-W53", "2026-12-28");
    let mut env = env;
    env.set_now("2027-01-04T09:00:00+01:00");
    screens("week53_after", &env, "2026-W53", "2027-01-01");
}
