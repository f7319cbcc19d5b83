//! Slots: what was promised, when — pure, no I/O (DESIGN.md §2).
//!
//! Owns the calendar of an agreement: quota periods, schedule occurrences and
//! their windows, deadline windows, the first-slot rule, and how terms
//! versions and status changes (pause, resume, retire) take effect at slot
//! boundaries. Everything is computed in the agreement's own zone.

use crate::domain::terms::{Period, Schedule, Terms};
use crate::domain::time::{Instant, day_end, day_start, local_date, resolve_local, week_monday};
use chrono::{Datelike, Days, Months, NaiveDate};
use chrono_tz::Tz;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Paused,
    Retired,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "active" => Status::Active,
            "paused" => Status::Paused,
            "retired" => Status::Retired,
            _ => return None,
        })
    }
}

/// One version of an agreement's terms, in force from `effective`.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub id: i64,
    pub terms: Terms,
    pub unit: Option<String>,
    pub effective: Instant,
    pub created: Instant,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub id: i64,
    pub status: Status,
    pub effective: Instant,
    pub created: Instant,
}

/// Everything that decides an agreement's slots.
#[derive(Clone, Debug)]
pub struct Plan {
    pub zone: Tz,
    pub ends: Option<Instant>,
    /// In the order they were made: created time, then uuid — never the
    /// order they arrived in (DESIGN.md §9), so that of two amends not yet in
    /// effect the one made later wins on every device.
    pub versions: Vec<Version>,
    /// In the same order (created, then uuid).
    pub statuses: Vec<StatusChange>,
}

/// One window of time and the units promised in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    pub start: Instant,
    pub end: Instant,
    pub due: Instant,
    pub units: u32,
    /// Index into `Plan::versions_in_force()`.
    pub version: usize,
    pub terms: Terms,
}

impl Slot {
    /// Does this slot's window hold `t`? Windows are half-open, except a
    /// deadline's, which includes its due time (kept at 18:00 for "by 18:00"
    /// is on time).
    pub fn holds(&self, t: Instant) -> bool {
        match self.terms {
            Terms::Deadline { .. } => self.start <= t && t <= self.end,
            _ => self.start <= t && t < self.end,
        }
    }

    /// Closed: its window has ended, judged at `now`.
    pub fn closed(&self, now: Instant) -> bool {
        self.end <= now
    }
}

/// Later decisions override earlier ones that had not yet taken effect: each
/// record removes the earlier records whose effective time is at or after its
/// own. A renegotiated deadline therefore replaces the old one.
fn in_force<T: Clone>(records: &[T], effective: impl Fn(&T) -> Instant) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for r in records {
        let e = effective(r);
        out.retain(|x| effective(x) < e);
        out.push(r.clone());
    }
    out
}

impl Plan {
    pub fn versions_in_force(&self) -> Vec<Version> {
        in_force(&self.versions, |v| v.effective)
    }

    /// The status changes that take effect, in order (DESIGN.md §9): all of
    /// them apply in order of (effective, created, uuid) — `statuses` is kept
    /// in (created, uuid) order, so a stable sort by (effective, created)
    /// gives that; one that changes nothing (a pause of a paused promise, or
    /// anything after retirement) has no effect, and changes at the same
    /// instant net out (a pause and a resume that both start on Monday leave
    /// the promise active).
    pub fn statuses_in_force(&self) -> Vec<StatusChange> {
        let mut sorted: Vec<&StatusChange> = self.statuses.iter().collect();
        sorted.sort_by_key(|s| (s.effective, s.created));
        let mut out: Vec<StatusChange> = Vec::new();
        let state = |out: &[StatusChange]| out.last().map(|s| s.status).unwrap_or(Status::Active);
        for c in sorted {
            let current = state(&out);
            if current == Status::Retired || c.status == current {
                continue;
            }
            if out.last().is_some_and(|l| l.effective == c.effective) {
                out.pop();
                if state(&out) == c.status {
                    continue;
                }
            }
            out.push(c.clone());
        }
        out
    }

    /// The status in force at `t`.
    pub fn status_at(&self, t: Instant) -> Status {
        self.statuses_in_force().iter().rev().find(|s| s.effective <= t).map(|s| s.status).unwrap_or(Status::Active)
    }

    /// When retirement takes (or took) effect, if it was decided.
    pub fn retired_from(&self) -> Option<Instant> {
        self.statuses_in_force().iter().find(|s| s.status == Status::Retired).map(|s| s.effective)
    }

    /// The version in force at `t` (the first one before it starts).
    pub fn version_at(&self, t: Instant) -> (usize, Version) {
        let versions = self.versions_in_force();
        let i = versions.iter().rposition(|v| v.effective <= t).unwrap_or(0);
        (i, versions[i].clone())
    }

    /// Every slot that begins before `until`, in order.
    pub fn slots(&self, until: Instant) -> Vec<Slot> {
        self.slots_between(Instant::MIN_UTC, until)
    }

    /// The slots that begin before `until` and end after `from`, in order —
    /// without walking the calendar from the first slot (what is due now
    /// does not depend on ten years ago).
    pub fn slots_between(&self, from: Instant, until: Instant) -> Vec<Slot> {
        let versions = self.versions_in_force();
        let statuses = self.statuses_in_force();
        let retired = statuses.iter().find(|s| s.status == Status::Retired).map(|s| s.effective);
        let active_at = |t: Instant| {
            statuses.iter().rev().find(|s| s.effective <= t).map(|s| s.status).unwrap_or(Status::Active)
                == Status::Active
        };
        let mut stop = until;
        if let Some(e) = self.ends {
            stop = stop.min(e);
        }
        let mut out = Vec::new();
        for (i, v) in versions.iter().enumerate() {
            let upper = versions.get(i + 1).map(|n| n.effective.min(stop)).unwrap_or(stop);
            let first = i == 0;
            match v.terms {
                Terms::Standing => {}
                Terms::Deadline { .. } => {
                    let due = due_of_deadline(&v.terms, self.zone).expect("deadline");
                    let start = v.effective;
                    let released = retired.is_some_and(|r| r < due);
                    if start < upper && due > start && active_at(start) && !released {
                        out.push(Slot { start, end: due, due, units: 1, version: i, terms: v.terms });
                    }
                }
                Terms::Quota { count, period } => {
                    let mut p = period_start(period, local_date(self.zone, v.effective));
                    if day_start(self.zone, p) < v.effective {
                        // A fortnight begins on the first Monday at or after the
                        // start: that Monday anchors every later fortnight.
                        p = if period == Period::Fortnight { p + Days::new(7) } else { next_period(period, p) };
                    }
                    if from > v.effective {
                        let near = period_start(period, local_date(self.zone, from));
                        p = if period == Period::Fortnight && near > p {
                            p + Days::new(14 * ((near - p).num_days() as u64 / 14))
                        } else {
                            p.max(near)
                        };
                    }
                    let mut start = day_start(self.zone, p);
                    while start < upper {
                        let next = next_period(period, p);
                        let end = day_start(self.zone, next);
                        if active_at(start) {
                            out.push(Slot { start, end, due: end, units: count, version: i, terms: v.terms });
                        }
                        p = next;
                        start = end;
                    }
                }
                Terms::Schedule(s) => {
                    let mut date = local_date(self.zone, v.effective);
                    // Find the first occurrence: at or after `starts` for the
                    // first version, beginning at or after `effective` later.
                    let mut d = next_occurrence(&s, date);
                    loop {
                        let ok = if first {
                            occurrence_time(&s, self.zone, d) >= v.effective
                        } else {
                            day_start(self.zone, d) >= v.effective
                        };
                        if ok {
                            break;
                        }
                        d = next_occurrence(&s, d + Days::new(1));
                    }
                    // Every other week: the weeks an even number of weeks after
                    // the first occurrence's.
                    let anchor = week_monday(d);
                    let next_in = |from: NaiveDate| {
                        let mut n = next_occurrence(&s, from);
                        if matches!(s, Schedule::Fortnightly { .. }) {
                            while (week_monday(n) - anchor).num_days().rem_euclid(14) != 0 {
                                n = next_occurrence(&s, week_monday(n) + Days::new(7));
                            }
                        }
                        n
                    };
                    if from > v.effective {
                        // The slot holding `from` began at most a month before it.
                        let near = local_date(self.zone, from) - Days::new(40);
                        if near > d {
                            d = next_in(near);
                        }
                    }
                    let mut start = day_start(self.zone, d);
                    while start < upper {
                        let next = next_in(d + Days::new(1));
                        let next_start = day_start(self.zone, next);
                        let end =
                            if self.ends.is_some_and(|e| next_start >= e) { day_end(self.zone, d) } else { next_start };
                        if active_at(start) {
                            let due = occurrence_time(&s, self.zone, d);
                            out.push(Slot { start, end, due, units: 1, version: i, terms: v.terms });
                        }
                        date = next;
                        d = date;
                        start = next_start;
                    }
                }
            }
        }
        if let Some(r) = retired {
            out.retain(|s| s.start < r || matches!(s.terms, Terms::Deadline { .. }));
        }
        if from > Instant::MIN_UTC {
            out.retain(|s| s.end > from);
        }
        out
    }

    /// The slot under way at `now`, if any (none while paused, before the
    /// first slot, or for standing terms).
    pub fn slot_in_progress(&self, now: Instant) -> Option<Slot> {
        self.slots(now + chrono::Duration::seconds(1)).into_iter().rev().find(|s| s.start <= now && now < s.end)
    }

    /// The next slot boundary: the end of the slot under way, else `now`.
    pub fn next_boundary(&self, now: Instant) -> Instant {
        self.slot_in_progress(now).map(|s| s.end).unwrap_or(now)
    }
}

/// The due time of deadline terms in `tz`.
pub fn due_of_deadline(terms: &Terms, tz: Tz) -> Option<Instant> {
    match terms {
        Terms::Deadline { date, time: Some(t) } => Some(resolve_local(tz, date.and_time(*t))),
        Terms::Deadline { date, time: None } => Some(day_end(tz, *date)),
        _ => None,
    }
}

/// The first slot of `terms` that begins at or after `base`: where renewed
/// terms start. Standing and deadline terms start at `base` itself.
pub fn first_start(terms: &Terms, tz: Tz, base: Instant) -> Instant {
    match terms {
        Terms::Standing | Terms::Deadline { .. } => base,
        Terms::Quota { period, .. } => {
            let mut p = period_start(*period, local_date(tz, base));
            while day_start(tz, p) < base {
                p = if *period == Period::Fortnight { p + Days::new(7) } else { next_period(*period, p) };
            }
            day_start(tz, p)
        }
        Terms::Schedule(s) => {
            let mut d = next_occurrence(s, local_date(tz, base));
            while day_start(tz, d) < base {
                d = next_occurrence(s, d + Days::new(1));
            }
            day_start(tz, d)
        }
    }
}

/// The first day of the calendar period holding `date`.
pub fn period_start(period: Period, date: NaiveDate) -> NaiveDate {
    match period {
        Period::Day => date,
        // A fortnight's grid is anchored by its first slot; alone, a date
        // only says which week (see `slots_between`).
        Period::Week | Period::Fortnight => week_monday(date),
        Period::Month => date.with_day(1).expect("day 1"),
        Period::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("jan 1"),
    }
}

pub fn next_period(period: Period, start: NaiveDate) -> NaiveDate {
    match period {
        Period::Day => start + Days::new(1),
        Period::Week => start + Days::new(7),
        Period::Fortnight => start + Days::new(14),
        Period::Month => start + Months::new(1),
        Period::Year => start + Months::new(12),
    }
}

/// The first occurrence date on or after `date`.
pub fn next_occurrence(s: &Schedule, date: NaiveDate) -> NaiveDate {
    match s {
        // The week parity of a fortnightly schedule is its first slot's: see
        // `slots_between`, which skips the other weeks.
        Schedule::Weekly { days, .. } | Schedule::Fortnightly { days, .. } => {
            let mut d = date;
            while !days.contains(d.weekday()) {
                d = d + Days::new(1);
            }
            d
        }
        Schedule::Monthly { day, .. } => {
            let this = Schedule::monthly_date(*day, date.year(), date.month());
            if this >= date {
                this
            } else {
                let next = date.with_day(1).expect("day 1") + Months::new(1);
                Schedule::monthly_date(*day, next.year(), next.month())
            }
        }
    }
}

/// When an occurrence is due: at its time, or at the end of its day.
pub fn occurrence_time(s: &Schedule, tz: Tz, date: NaiveDate) -> Instant {
    match s.time() {
        Some(t) => resolve_local(tz, date.and_time(t)),
        None => day_end(tz, date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::terms;
    use crate::domain::time::{parse_rfc3339, rfc3339};

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
                format!(
                    "{} {} {} {}",
                    rfc3339(s.start, p.zone),
                    rfc3339(s.end, p.zone),
                    rfc3339(s.due, p.zone),
                    s.units
                )
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
        let dues: Vec<String> = p
            .slots(parse_rfc3339("2028-03-01T00:00:00+01:00").unwrap())
            .iter()
            .map(|s| rfc3339(s.due, p.zone))
            .collect();
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
        let dec7 = parse_rfc3339("2026-12-07T00:00:00+01:00").unwrap();
        p.versions.push(Version { id: 2, terms: t("3/month"), unit: None, effective: dec, created: dec });
        p.versions.push(Version { id: 3, terms: t("1/week"), unit: None, effective: dec7, created: dec7 });
        let slots = p.slots(parse_rfc3339("2026-12-15T00:00:00+01:00").unwrap());
        assert_eq!(slots.iter().filter(|s| s.units == 3).count(), 1);
        p.versions.push(Version { id: 4, terms: t("2/month"), unit: None, effective: dec, created: dec });
        assert_eq!(p.versions_in_force().len(), 2);
        assert_eq!(p.versions_in_force()[1].terms, t("2/month"));
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
}
