//! Slots on the calendar: first periods, ISO week 53, clock changes, month
//! ends, pauses and amends; a window is the same slots as the whole calendar.

use super::*;
use crate::domain::terms;
use crate::domain::time::local_date;
use crate::domain::time::{parse_rfc3339, rfc3339};
use chrono::NaiveDate;

fn plan(zone: &str, terms_text: &str, starts: &str) -> Plan {
    let zone: Tz = zone.parse().unwrap();
    let starts = parse_rfc3339(starts).unwrap();
    let t = terms::parse(terms_text, local_date(zone, starts)).unwrap();
    Plan {
        zone,
        ends: None,
        versions: vec![Version { id: 1, terms: t.terms, unit: None, effective: starts, created: starts }],
        statuses: vec![],
    }
}

fn show(p: &Plan, until: &str) -> Vec<String> {
    p.slots(parse_rfc3339(until).unwrap())
        .iter()
        .map(|s| {
            format!("{} {} {} {}", rfc3339(s.start, p.zone), rfc3339(s.end, p.zone), rfc3339(s.due, p.zone), s.units)
        })
        .collect()
}

#[test]
fn a_quota_starts_with_the_first_whole_period() {
    let p = plan("Europe/Berlin", "2/month", "2026-11-20T10:00:00+01:00");
    assert_eq!(
        show(&p, "2027-01-15T00:00:00+01:00"),
        [
            "2026-12-01T00:00:00+01:00 2027-01-01T00:00:00+01:00 2027-01-01T00:00:00+01:00 2",
            "2027-01-01T00:00:00+01:00 2027-02-01T00:00:00+01:00 2027-02-01T00:00:00+01:00 2",
        ]
    );
    let p = plan("Europe/Berlin", "2/month", "2026-11-01T00:00:00+01:00");
    assert_eq!(show(&p, "2026-11-02T00:00:00+01:00").len(), 1);
}

#[test]
fn weekly_quota_across_iso_week_53_and_dst() {
    // 2026 has an ISO week 53: Mon 28 Dec 2026 – Sun 3 Jan 2027.
    let p = plan("America/New_York", "3/week", "2026-12-21T00:00:00-05:00");
    let s = show(&p, "2027-01-05T00:00:00-05:00");
    assert_eq!(s[1], "2026-12-28T00:00:00-05:00 2027-01-04T00:00:00-05:00 2027-01-04T00:00:00-05:00 3");
    // The week of the spring change is 167 hours long.
    let p = plan("Europe/Berlin", "1/week", "2026-03-23T00:00:00+01:00");
    let slots = p.slots(parse_rfc3339("2026-03-24T00:00:00+01:00").unwrap());
    assert_eq!((slots[0].end - slots[0].start).num_hours(), 167);
    assert_eq!(rfc3339(slots[0].end, p.zone), "2026-03-30T00:00:00+02:00");
}

#[test]
fn schedule_windows_run_to_the_next_occurrence_day() {
    let p = plan("Europe/Berlin", "every fri 19:00", "2026-11-20T10:00:00+01:00");
    assert_eq!(
        show(&p, "2026-11-28T00:00:00+01:00"),
        [
            "2026-11-20T00:00:00+01:00 2026-11-27T00:00:00+01:00 2026-11-20T19:00:00+01:00 1",
            "2026-11-27T00:00:00+01:00 2026-12-04T00:00:00+01:00 2026-11-27T19:00:00+01:00 1",
        ]
    );
    // Starting after the occurrence time skips to the next week.
    let p = plan("Europe/Berlin", "every fri 19:00", "2026-11-20T20:00:00+01:00");
    assert_eq!(show(&p, "2026-11-28T00:00:00+01:00").len(), 1);
}

#[test]
fn schedule_in_the_spring_gap_and_the_fall_overlap() {
    let p = plan("Europe/Berlin", "every sun 02:30", "2026-03-28T00:00:00+01:00");
    let s = show(&p, "2026-11-01T00:00:00+01:00");
    assert!(s[0].contains(" 2026-03-29T03:30:00+02:00 "), "{}", s[0]);
    let oct = s.iter().find(|l| l.starts_with("2026-10-25")).unwrap();
    assert!(oct.contains(" 2026-10-25T02:30:00+02:00 "), "{oct}");
    let p = plan("America/New_York", "every sun 02:30", "2026-03-01T00:00:00-05:00");
    let s = show(&p, "2026-03-09T00:00:00-04:00");
    assert!(s[1].contains(" 2026-03-08T03:30:00-04:00 "), "{}", s[1]);
}

#[test]
fn monthly_on_31_falls_on_the_last_day() {
    let p = plan("Europe/Berlin", "monthly on 31 09:00", "2027-01-01T00:00:00+01:00");
    let dues: Vec<String> =
        p.slots(parse_rfc3339("2028-03-01T00:00:00+01:00").unwrap()).iter().map(|s| rfc3339(s.due, p.zone)).collect();
    assert_eq!(dues[0], "2027-01-31T09:00:00+01:00");
    assert_eq!(dues[1], "2027-02-28T09:00:00+01:00");
    assert_eq!(dues[3], "2027-04-30T09:00:00+02:00");
    assert_eq!(dues[13], "2028-02-29T09:00:00+01:00");
}

#[test]
fn deadline_is_one_slot_and_retiring_it_early_releases_it() {
    let mut p = plan("Europe/Berlin", "by 2026-12-01", "2026-11-20T10:00:00+01:00");
    assert_eq!(
        show(&p, "2027-01-01T00:00:00+01:00"),
        ["2026-11-20T10:00:00+01:00 2026-12-02T00:00:00+01:00 2026-12-02T00:00:00+01:00 1"]
    );
    let now = parse_rfc3339("2026-11-25T10:00:00+01:00").unwrap();
    p.statuses.push(StatusChange { id: 1, status: Status::Retired, effective: now, created: now });
    assert!(show(&p, "2027-01-01T00:00:00+01:00").is_empty());
}

#[test]
fn a_later_version_replaces_a_pending_one() {
    let mut p = plan("Europe/Berlin", "4/month", "2026-09-01T00:00:00+02:00");
    let t = |s| terms::parse(s, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()).unwrap().terms;
    let dec = parse_rfc3339("2026-12-01T00:00:00+01:00").unwrap();
    let jan4 = parse_rfc3339("2027-01-04T00:00:00+01:00").unwrap();
    p.versions.push(Version { id: 2, terms: t("3/month"), unit: None, effective: dec, created: dec });
    p.versions.push(Version { id: 3, terms: t("1/week"), unit: None, effective: jan4, created: dec });
    let slots = p.slots(parse_rfc3339("2027-01-15T00:00:00+01:00").unwrap());
    assert_eq!(slots.iter().filter(|s| s.units == 3).count(), 1);
    p.versions.push(Version { id: 4, terms: t("2/month"), unit: None, effective: dec, created: dec });
    assert_eq!(p.versions_in_force().len(), 2);
    assert_eq!(p.versions_in_force()[1].terms, t("2/month"));
}

/// Amended on Tue 10 Nov from "2/month" to "1/week": November keeps its two
/// weekends, the weekly terms begin Mon 7 Dec, and December is not also
/// promised under the old terms — the two never overlap. Likewise "every fri"
/// → "every sat" on Wed 11 Nov: the old terms hold until Sat 14 Nov, so
/// Fri 13 Nov is still promised, but its window ends where Saturday's begins.
#[test]
fn renegotiated_terms_never_overlap_the_old_ones() {
    let t = |s| terms::parse(s, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()).unwrap().terms;
    let at = |s| parse_rfc3339(s).unwrap();
    let mut p = plan("Europe/Berlin", "2/month", "2026-10-01T00:00:00+02:00");
    let dec7 = at("2026-12-07T00:00:00+01:00");
    p.versions.push(Version {
        id: 2,
        terms: t("1/week"),
        unit: None,
        effective: dec7,
        created: at("2026-11-10T09:00:00+01:00"),
    });
    assert_eq!(
        show(&p, "2026-12-20T00:00:00+01:00"),
        vec![
            "2026-10-01T00:00:00+02:00 2026-11-01T00:00:00+01:00 2026-11-01T00:00:00+01:00 2",
            "2026-11-01T00:00:00+01:00 2026-12-01T00:00:00+01:00 2026-12-01T00:00:00+01:00 2",
            "2026-12-07T00:00:00+01:00 2026-12-14T00:00:00+01:00 2026-12-14T00:00:00+01:00 1",
            "2026-12-14T00:00:00+01:00 2026-12-21T00:00:00+01:00 2026-12-21T00:00:00+01:00 1",
        ]
    );
    let mut p = plan("Europe/Berlin", "every fri 19:00", "2026-10-30T00:00:00+01:00");
    let sat14 = at("2026-11-14T00:00:00+01:00");
    p.versions.push(Version {
        id: 2,
        terms: t("every sat 19:00"),
        unit: None,
        effective: sat14,
        created: at("2026-11-11T09:00:00+01:00"),
    });
    assert_eq!(
        show(&p, "2026-11-22T00:00:00+01:00")[2..],
        [
            "2026-11-13T00:00:00+01:00 2026-11-14T00:00:00+01:00 2026-11-13T19:00:00+01:00 1",
            "2026-11-14T00:00:00+01:00 2026-11-21T00:00:00+01:00 2026-11-14T19:00:00+01:00 1",
            "2026-11-21T00:00:00+01:00 2026-11-28T00:00:00+01:00 2026-11-21T19:00:00+01:00 1",
        ]
    );
}

#[test]
fn pause_skips_slots_that_start_while_paused() {
    let mut p = plan("Europe/Berlin", "1/week", "2026-11-02T00:00:00+01:00");
    let pause = parse_rfc3339("2026-11-16T00:00:00+01:00").unwrap();
    let resume = parse_rfc3339("2026-11-25T12:00:00+01:00").unwrap();
    p.statuses.push(StatusChange { id: 1, status: Status::Paused, effective: pause, created: pause });
    p.statuses.push(StatusChange { id: 2, status: Status::Active, effective: resume, created: resume });
    let s = show(&p, "2026-12-08T00:00:00+01:00");
    let starts: Vec<&str> = s.iter().map(|l| &l[..10]).collect();
    assert_eq!(starts, ["2026-11-02", "2026-11-09", "2026-11-30", "2026-12-07"]);
}

#[test]
fn status_changes_apply_in_time_order_and_no_ops_do_nothing() {
    let at = |s: &str| parse_rfc3339(s).unwrap();
    let change = |status, effective: &str, created: &str| StatusChange {
        id: 0,
        status,
        effective: at(effective),
        created: at(created),
    };
    let mon = "2026-11-30T00:00:00+01:00";
    let mut p = plan("Europe/Berlin", "1/week", "2026-11-02T00:00:00+01:00");
    // Paused on two devices: the second pause changes nothing.
    p.statuses.push(change(Status::Paused, mon, "2026-11-25T10:00:00+01:00"));
    p.statuses.push(change(Status::Paused, mon, "2026-11-26T10:00:00+01:00"));
    assert_eq!(p.statuses_in_force().len(), 1);
    // A resume decided for the same Monday nets out: nothing changes.
    p.statuses.push(change(Status::Active, mon, "2026-11-27T10:00:00+01:00"));
    assert!(p.statuses_in_force().is_empty());
    assert_eq!(p.status_at(at("2026-12-05T00:00:00+01:00")), Status::Active);
    // Retirement is final: a resume after it has no effect, whenever it was made.
    let mut p = plan("Europe/Berlin", "1/week", "2026-11-02T00:00:00+01:00");
    p.statuses.push(change(Status::Paused, "2026-11-16T00:00:00+01:00", "2026-11-12T10:00:00+01:00"));
    p.statuses.push(change(Status::Retired, "2026-11-23T00:00:00+01:00", "2026-11-20T10:00:00+01:00"));
    p.statuses.push(change(Status::Active, mon, "2026-11-19T10:00:00+01:00"));
    let names: Vec<&str> = p.statuses_in_force().iter().map(|s| s.status.name()).collect();
    assert_eq!(names, ["paused", "retired"]);
    assert_eq!(p.retired_from(), Some(at("2026-11-23T00:00:00+01:00")));
}

#[test]
fn first_start_of_new_terms() {
    let z: Tz = "Europe/Berlin".parse().unwrap();
    let t = terms::parse("1/week", NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()).unwrap().terms;
    // Monthly → weekly from Tuesday 1 December starts Monday 7 December.
    let base = parse_rfc3339("2026-12-01T00:00:00+01:00").unwrap();
    assert_eq!(rfc3339(first_start(&t, z, base), z), "2026-12-07T00:00:00+01:00");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
    #[test]
    fn a_window_is_the_same_slots_as_the_whole_calendar(
        which in 0usize..8, from_days in 0i64..1500, zone in proptest::sample::select(vec!["Europe/Berlin", "America/New_York", "America/Santiago"])
    ) {
        let terms = ["2/month", "3/week", "1/day", "1/year", "every fri 19:00", "every mon,wed", "monthly on 31 09:00", "every day 02:30"][which];
        let p = plan(zone, terms, "2024-01-15T10:00:00+00:00");
        let until = parse_rfc3339("2028-06-01T00:00:00+00:00").unwrap();
        let from = parse_rfc3339("2024-01-01T00:00:00+00:00").unwrap() + chrono::Duration::days(from_days) + chrono::Duration::hours(from_days % 24);
        let all: Vec<Slot> = p.slots(until).into_iter().filter(|s| s.end > from).collect();
        proptest::prop_assert_eq!(p.slots_between(from, until), all);
    }
}
