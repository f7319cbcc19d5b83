//! Unit tests of the pure engine on hand-worked cases: slots (clock changes,
//! ISO week 53, month ends), trust::analyze_window, judge, and the report's
//! summary, due and trend. Every expected value is worked out by hand in the
//! comments from docs/design.md §2–§5, never read back from the code.

use super::report::{self, Book, Week};
use super::terms::{Period, Terms};
use super::time::{Instant, parse_rfc3339, rfc3339};
use super::trust::{self, EventKind};
use super::{Agreement, Fact, Outcome, TrustParams};
use chrono_tz::Tz;
use chrono_tz::{America::New_York, Europe::Berlin};

const P: TrustParams = TrustParams { start: 0.5, gain: 0.05, loss: 0.20 };

fn t(s: &str) -> Instant {
    parse_rfc3339(s).unwrap_or_else(|| panic!("not RFC 3339: {s}"))
}

/// An agreement of Alex's with one terms version in force from `starts`.
fn agreement(id: i64, terms_text: &str, zone: Tz, starts: &str) -> Agreement {
    super::test_support::agreement(id, terms_text, "Alex", zone, t(starts))
}

fn fact(id: i64, agreement: i64, outcome: Outcome, at: &str) -> Fact {
    Fact { id, agreement_id: agreement, outcome, at: t(at), logged_at: t(at), uuid: id as u128, verdict: None }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// ---------------------------------------------------------------- §2 slots

/// §2's worked example: "2 a month", November. One kept on the 14th, one
/// excused on the 21st. At the month's end: units 2, excused 1, promised
/// 2 − 1 = 1, kept 1, delivered min(1, 1) = 1, missed max(0, 1 − 1 − 0) = 0.
#[test]
fn two_a_month_with_an_excuse_misses_nothing() {
    let a = agreement(1, "2/month", Berlin, "2026-11-01T00:00:00+01:00");
    let facts = [
        fact(1, 1, Outcome::Kept, "2026-11-14T12:00:00+01:00"),
        fact(2, 1, Outcome::Excused, "2026-11-21T12:00:00+01:00"),
    ];
    let now = t("2026-12-01T12:00:00+01:00");
    let an = trust::analyze(&a, &facts, now, now);
    let nov = &an.slots[0];
    assert_eq!(rfc3339(nov.slot.start, Berlin), "2026-11-01T00:00:00+01:00");
    assert_eq!(rfc3339(nov.slot.end, Berlin), "2026-12-01T00:00:00+01:00");
    assert!(nov.closed);
    assert_eq!((nov.slot.units, nov.excused, nov.promised, nov.kept, nov.delivered, nov.missed), (2, 1, 1, 1, 1, 0));
}

/// The same without the excuse: promised 2, kept 1, delivered 1, missed
/// 2 − 1 − 0 = 1 — and the miss is one trust event at the slot's end.
#[test]
fn two_a_month_without_the_excuse_misses_one() {
    let a = agreement(1, "2/month", Berlin, "2026-11-01T00:00:00+01:00");
    let facts = [fact(1, 1, Outcome::Kept, "2026-11-14T12:00:00+01:00")];
    let now = t("2026-12-01T12:00:00+01:00");
    let an = trust::analyze(&a, &facts, now, now);
    let nov = &an.slots[0];
    assert_eq!((nov.promised, nov.delivered, nov.missed), (2, 1, 1));
    let missed: Vec<_> = an.events.iter().filter(|e| e.kind == EventKind::Missed).collect();
    assert_eq!(missed.len(), 1);
    assert_eq!(rfc3339(missed[0].at, Berlin), "2026-12-01T00:00:00+01:00");
    assert_eq!(missed[0].units, 1);
}

/// A quota's first slot is the first whole period at or after `starts`:
/// promised on 20 Nov, "2 a month" starts 1 Dec.
#[test]
fn a_quota_begins_with_the_next_whole_period() {
    let a = agreement(1, "2/month", Berlin, "2026-11-20T10:00:00+01:00");
    let slots = a.plan.slots(t("2027-01-15T00:00:00+01:00"));
    assert_eq!(rfc3339(slots[0].start, Berlin), "2026-12-01T00:00:00+01:00");
    assert_eq!(rfc3339(slots[0].end, Berlin), "2027-01-01T00:00:00+01:00");
}

/// Month ends: "1/month" from January 2026 has windows of 31, 28 (2026 is
/// not a leap year), 31 and 30 days; "monthly on 31" lands on the last day
/// of the shorter months (28 Feb, 30 Apr).
#[test]
fn month_ends_follow_the_calendar() {
    let a = agreement(1, "1/month", Berlin, "2026-01-01T00:00:00+01:00");
    let slots = a.plan.slots(t("2026-05-01T00:00:00+02:00"));
    let days: Vec<i64> = slots.iter().take(4).map(|s| (s.end - s.start).num_hours()).collect();
    // March loses an hour to summer time (29 Mar), so it is 31×24 − 1.
    assert_eq!(days, [31 * 24, 28 * 24, 31 * 24 - 1, 30 * 24]);

    let a = agreement(2, "monthly on 31 09:00", Berlin, "2026-01-01T00:00:00+01:00");
    let dues: Vec<String> =
        a.plan.slots(t("2026-05-01T00:00:00+02:00")).iter().map(|s| rfc3339(s.due, Berlin)).collect();
    assert_eq!(
        dues,
        [
            "2026-01-31T09:00:00+01:00",
            "2026-02-28T09:00:00+01:00",
            "2026-03-31T09:00:00+02:00",
            "2026-04-30T09:00:00+02:00",
        ]
    );
}

/// Spring forward in Berlin, Sunday 29 March 2026, 02:00 → 03:00. "every
/// sun 02:30": that local time does not exist, so it is read with the offset
/// before the gap (+01:00): 02:30+01:00 = 01:30Z = 03:30+02:00. The window
/// runs from that day's start (00:00+01:00) to the next occurrence's day's
/// start (5 April, 00:00+02:00): 7 days less the lost hour.
#[test]
fn berlin_spring_forward_reads_a_missing_time_with_the_earlier_offset() {
    let a = agreement(1, "every sun 02:30", Berlin, "2026-03-23T00:00:00+01:00");
    let s = &a.plan.slots(t("2026-04-01T00:00:00+02:00"))[0];
    assert_eq!(rfc3339(s.due, Berlin), "2026-03-29T03:30:00+02:00");
    assert_eq!(rfc3339(s.start, Berlin), "2026-03-29T00:00:00+01:00");
    assert_eq!(rfc3339(s.end, Berlin), "2026-04-05T00:00:00+02:00");
    assert_eq!((s.end - s.start).num_hours(), 7 * 24 - 1);
}

/// Fall back in Berlin, Sunday 25 October 2026, 03:00 → 02:00: 02:30 happens
/// twice; the first (02:30+02:00 = 00:30Z) is the one.
#[test]
fn berlin_fall_back_takes_the_first_of_a_repeated_time() {
    let a = agreement(1, "every sun 02:30", Berlin, "2026-10-19T00:00:00+02:00");
    let s = &a.plan.slots(t("2026-10-27T00:00:00+01:00"))[0];
    assert_eq!(rfc3339(s.due, Berlin), "2026-10-25T02:30:00+02:00");
    assert_eq!(s.due, t("2026-10-25T00:30:00Z"));
}

/// New York: spring forward Sunday 8 March 2026 (02:00 EST → 03:00 EDT) and
/// fall back Sunday 1 November 2026 (02:00 EDT → 01:00 EST). "every day
/// 02:30" on 8 March is 02:30−05:00 = 07:30Z = 03:30 EDT; that day's window
/// is 23 hours. "every day 01:30" on 1 November is the first 01:30 (EDT,
/// 05:30Z), and that day's window is 25 hours.
#[test]
fn new_york_days_are_23_and_25_hours_long_across_clock_changes() {
    let a = agreement(1, "every day 02:30", New_York, "2026-03-07T00:00:00-05:00");
    let slots = a.plan.slots(t("2026-03-10T00:00:00-04:00"));
    let s = slots.iter().find(|s| rfc3339(s.start, New_York).starts_with("2026-03-08")).expect("8 March");
    assert_eq!(rfc3339(s.due, New_York), "2026-03-08T03:30:00-04:00");
    assert_eq!((s.end - s.start).num_hours(), 23);

    let a = agreement(2, "every day 01:30", New_York, "2026-10-31T00:00:00-04:00");
    let slots = a.plan.slots(t("2026-11-03T00:00:00-05:00"));
    let s = slots.iter().find(|s| rfc3339(s.start, New_York).starts_with("2026-11-01")).expect("1 November");
    assert_eq!(s.due, t("2026-11-01T05:30:00Z"));
    assert_eq!(rfc3339(s.due, New_York), "2026-11-01T01:30:00-04:00");
    assert_eq!((s.end - s.start).num_hours(), 25);
}

/// 1 January 2026 is a Thursday, so 2026 has an ISO week 53: Monday 28
/// December 2026 to Monday 4 January 2027. 2025 began on a Wednesday (not a
/// leap year), so it has none. A weekly quota's slot there is that week.
#[test]
fn iso_week_53_of_2026() {
    let now = t("2027-01-10T12:00:00+01:00");
    let w = Week::parse(Some("2026-W53"), now, Berlin).unwrap();
    assert_eq!(w.label, "2026-W53");
    assert_eq!(rfc3339(w.start, Berlin), "2026-12-28T00:00:00+01:00");
    assert_eq!(rfc3339(w.end, Berlin), "2027-01-04T00:00:00+01:00");
    assert!(Week::parse(Some("2025-W53"), now, Berlin).is_err());
    // 3 January 2027 (a Sunday) still belongs to 2026-W53.
    assert_eq!(Week::containing(t("2027-01-03T23:00:00+01:00"), Berlin).label, "2026-W53");

    let a = agreement(1, "1/week", Berlin, "2026-12-21T00:00:00+01:00");
    let slots = a.plan.slots(t("2027-01-05T00:00:00+01:00"));
    assert_eq!(rfc3339(slots[1].start, Berlin), "2026-12-28T00:00:00+01:00");
    assert_eq!(rfc3339(slots[1].end, Berlin), "2027-01-04T00:00:00+01:00");
}

// ---------------------------------------------------------------- §3 trust

/// "1/week" from Monday 2 November 2026 (Berlin): kept in week 1, kept in
/// week 2, nothing in week 3 (missed at its end, Monday 23 Nov 00:00), kept
/// in week 4. Now is Monday 30 Nov, noon: four slots closed.
fn kept_kept_missed_kept() -> (Agreement, Vec<Fact>, Instant) {
    let a = agreement(1, "1/week", Berlin, "2026-11-02T00:00:00+01:00");
    let facts = vec![
        fact(1, 1, Outcome::Kept, "2026-11-03T19:00:00+01:00"),
        fact(2, 1, Outcome::Kept, "2026-11-10T19:00:00+01:00"),
        fact(3, 1, Outcome::Kept, "2026-11-24T19:00:00+01:00"),
    ];
    (a, facts, t("2026-11-30T12:00:00+01:00"))
}

/// §3's worked example: kept, kept, missed, kept →
/// 0.5 → 0.5 + 0.05·0.5 = 0.525 → 0.525 + 0.05·0.475 = 0.54875
///     → 0.54875 − 0.20·0.54875 = 0.439 → 0.439 + 0.05·0.561 = 0.46705.
/// Follow-through 3 of 4 = 75%.
#[test]
fn the_worked_trust_example() {
    let (a, facts, now) = kept_kept_missed_kept();
    let an = trust::analyze_window(&a, &facts, now, a.starts, now);
    let kinds: Vec<EventKind> = an.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Kept, EventKind::Kept, EventKind::Missed, EventKind::Kept]);
    assert_eq!(rfc3339(an.events[2].at, Berlin), "2026-11-23T00:00:00+01:00");
    let s = trust::score_at(&an.events, &P, now);
    assert!(close(s.trust, 0.46705), "{}", s.trust);
    assert_eq!((s.kept, s.total), (3, 4));
    assert!(close(s.rate().unwrap(), 0.75));
    // Step by step, at each event.
    let at: Vec<f64> = an.events.iter().map(|e| trust::score_at(&an.events, &P, e.at).trust).collect();
    for (got, want) in at.iter().zip([0.525, 0.54875, 0.439, 0.46705]) {
        assert!(close(*got, want), "{got} != {want}");
    }
}

/// Kept beyond a slot's promise is shown, not scored: three kept in one
/// week of "1/week" give kept 3, delivered 1, extra 2, and one kept event
/// (0.5 → 0.525).
#[test]
fn extra_kept_is_shown_not_scored() {
    let a = agreement(1, "1/week", Berlin, "2026-11-02T00:00:00+01:00");
    let facts = [
        fact(1, 1, Outcome::Kept, "2026-11-03T08:00:00+01:00"),
        fact(2, 1, Outcome::Kept, "2026-11-04T08:00:00+01:00"),
        fact(3, 1, Outcome::Kept, "2026-11-05T08:00:00+01:00"),
    ];
    let now = t("2026-11-09T12:00:00+01:00");
    let an = trust::analyze_window(&a, &facts, now, a.starts, now);
    let s = &an.slots[0];
    assert_eq!((s.kept, s.delivered, s.extra, s.missed), (3, 1, 2, 0));
    assert_eq!(an.events.len(), 1);
    assert!(close(trust::score_at(&an.events, &P, now).trust, 0.525));
    assert_eq!(an.unscored.len(), 2);
}

/// An open slot has no misses yet; its remaining is promised − kept −
/// broken: "3/week", one kept and one broken so far → remaining 1, missed 0.
#[test]
fn an_open_slot_counts_progress_not_misses() {
    let a = agreement(1, "3/week", Berlin, "2026-11-23T00:00:00+01:00");
    let facts = [
        fact(1, 1, Outcome::Kept, "2026-11-23T08:00:00+01:00"),
        fact(2, 1, Outcome::Broken, "2026-11-24T08:00:00+01:00"),
    ];
    let now = t("2026-11-25T12:00:00+01:00");
    let an = trust::analyze_window(&a, &facts, now, a.starts, now);
    let s = &an.slots[0];
    assert!(!s.closed);
    assert_eq!((s.promised, s.kept, s.broken, s.missed, s.remaining), (3, 1, 1, 0, 1));
    // kept then broken: 0.5 → 0.525 → 0.525·0.8 = 0.42.
    assert!(close(trust::score_at(&an.events, &P, now).trust, 0.42));
}

// ---------------------------------------------------------------- §4 judge

/// §4's example: 4 a month, delivered 4, 2, 2, 1, 3, 2 over six months
/// (May–October 2026): promised 24, delivered 14, rate 14/24 = 0.5833 < 0.8
/// → over-promised; ⌊14 × 4 / 24⌋ = ⌊2.33⌋ = 2 → "2/month".
#[test]
fn the_worked_overpromising_example() {
    let a = agreement(1, "4/month", Berlin, "2026-05-01T00:00:00+02:00");
    let mut facts = Vec::new();
    let mut id = 0;
    for (month, kept) in [(5, 4), (6, 2), (7, 2), (8, 1), (9, 3), (10, 2)] {
        for day in 0..kept {
            id += 1;
            facts.push(fact(id, 1, Outcome::Kept, &format!("2026-{month:02}-{:02}T12:00:00+02:00", 3 + day * 5)));
        }
    }
    let now = t("2026-11-15T12:00:00+01:00");
    let an = trust::analyze(&a, &facts, now, now);
    let j = trust::judge(&a, &an, now, None, 0.8).expect("six closed slots");
    assert_eq!((j.slots, j.promised, j.delivered), (6, 24, 14));
    assert_eq!(j.per_slot, [4, 2, 2, 1, 3, 2]);
    assert!(close(j.rate.unwrap(), 14.0 / 24.0));
    assert!(j.overpromised);
    assert_eq!(j.suggested, Some(Terms::Quota { count: 2, period: Period::Month }));
}

/// At least 3 closed slots are needed to judge: on 17 Nov only the weeks of
/// 2 and 9 Nov have closed. At exactly the threshold (4 of 5 = 0.8) it is not
/// over-promised ("rate < threshold").
#[test]
fn judging_needs_three_slots_and_the_threshold_is_strict() {
    let a = agreement(1, "1/week", Berlin, "2026-11-02T00:00:00+01:00");
    let facts = [fact(1, 1, Outcome::Kept, "2026-11-03T12:00:00+01:00")];
    let now = t("2026-11-17T12:00:00+01:00");
    let an = trust::analyze(&a, &facts, now, now);
    assert!(trust::judge(&a, &an, now, None, 0.8).is_none(), "two closed slots");

    // Five weeks, four kept: 4/5 = 0.8, not below 0.8.
    let facts: Vec<Fact> =
        [3, 10, 17, 24].iter().map(|d| fact(*d, 1, Outcome::Kept, &format!("2026-11-{d:02}T12:00:00+01:00"))).collect();
    let now = t("2026-12-07T12:00:00+01:00");
    let an = trust::analyze(&a, &facts, now, now);
    let j = trust::judge(&a, &an, now, None, 0.8).unwrap();
    assert_eq!((j.promised, j.delivered), (5, 4));
    assert!(!j.overpromised);
    assert_eq!(j.suggested, None);
}

// ---------------------------------------------------------------- §5 report

/// The week 2026-W48 (Mon 23 Nov – Mon 30 Nov, Berlin) of the worked trust
/// example: its slot kept on the 24th. Trust at the week's start (after
/// kept, kept, missed at 23 Nov 00:00) is 0.439; at its end 0.46705; change
/// 0.02805. Follow-through over all events to the end: 3 of 4.
#[test]
fn the_weekly_summary_of_the_worked_example() {
    let (a, facts, now) = kept_kept_missed_kept();
    let agreements = [a];
    let week = Week::parse(Some("2026-W48"), now, Berlin).unwrap();
    let book = Book::new(&agreements, facts, now, week.end.max(now));
    let s = report::summary(&book, &week, &P, None);
    assert_eq!(s.rows.len(), 1);
    let r = &s.rows[0];
    assert_eq!((r.promised, r.kept, r.broken, r.excused, r.missed, r.extra), (1, 1, 0, 0, 0, 0));
    assert!(close(r.trust, 0.46705), "{}", r.trust);
    assert!(close(r.trust_change, 0.46705 - 0.439), "{}", r.trust_change);
    assert!(close(r.rate.unwrap(), 0.75));
    assert_eq!(s.people.len(), 1);
    assert_eq!(s.people[0].0, "Alex");
    assert!(close(s.overall.trust, 0.46705));
    assert_eq!(s.entries, [3]);
}

/// Due within 7 days of Wednesday 25 Nov, noon: the "1/week" slot of W48
/// (nothing kept yet) is due at its end, Monday 30 Nov 00:00; the W49 slot
/// is due 7 Dec 00:00, after 2 Dec noon, so it is not listed.
#[test]
fn due_lists_what_ends_within_the_window() {
    let a = agreement(1, "1/week", Berlin, "2026-11-23T00:00:00+01:00");
    let agreements = [a];
    let now = t("2026-11-25T12:00:00+01:00");
    let until = t("2026-12-02T12:00:00+01:00");
    let book = Book::new(&agreements, vec![], now, until);
    let due = report::due(&book, now, until);
    assert_eq!(due.len(), 1);
    assert_eq!(rfc3339(due[0].due, Berlin), "2026-11-30T00:00:00+01:00");
    assert_eq!((due[0].remaining, due[0].promised, due[0].kept), (1, 1, 0));
}

/// Trend: the score at the end of each ISO week, the miss at Monday 23 Nov
/// 00:00 landing in W47 (the week it ends). W46 (ends 16 Nov): kept, kept
/// → 0.54875. W47 (ends 23 Nov 00:00): missed → 0.439. W48: kept → 0.46705.
/// W49 so far: nothing new → 0.46705.
#[test]
fn the_trend_of_the_worked_example() {
    let (a, facts, now) = kept_kept_missed_kept();
    let agreements = [a];
    let book = Book::new(&agreements, facts, now, now);
    let items: Vec<&report::Item> = book.items.iter().collect();
    let points = report::trend(&items, &P, now, Berlin, 4);
    let got: Vec<(String, f64)> = points.iter().map(|(w, g)| (w.label.clone(), g.unwrap().trust)).collect();
    let want = [("2026-W46", 0.54875), ("2026-W47", 0.439), ("2026-W48", 0.46705), ("2026-W49", 0.46705)];
    assert_eq!(got.len(), 4);
    for ((gl, gt), (wl, wt)) in got.iter().zip(want) {
        assert_eq!(gl, wl);
        assert!(close(*gt, wt), "{gl}: {gt} != {wt}");
    }
}

/// The report model (docs/design.md §3, §5): in W48 the worked example's
/// "1/week" (a1) has a row; Alex's "2/month" (a2), kept once on 10 Oct, has
/// nothing due or logged in the week, so no row — yet Alex's figure averages
/// both: a1 0.46705, and a2 kept on 10 Oct (0.5 + 0.05 · 0.5 = 0.525) then
/// October's second unit missed at 1 Nov 00:00 (0.525 − 0.2 · 0.525 = 0.42;
/// November's slot is still open at the week's end); mean 0.443525. The
/// model lists both, so the figure can be added up from what is shown.
#[test]
fn a_persons_figure_lists_every_promise_it_averages() {
    let (a1, mut facts, now) = kept_kept_missed_kept();
    let a2 = agreement(2, "2/month", Berlin, "2026-10-01T00:00:00+02:00");
    facts.push(fact(10, 2, Outcome::Kept, "2026-10-10T12:00:00+02:00"));
    let agreements = [a1, a2];
    let week = Week::parse(Some("2026-W48"), now, Berlin).unwrap();
    let book = Book::new(&agreements, facts, now, week.end.max(now));
    let inputs = super::weekly::Inputs {
        week: &week,
        home: Berlin,
        now,
        params: &P,
        threshold: 0.8,
        by: None,
        week_entries: &[],
        agreements: &agreements,
        spoken: &[],
    };
    let m = super::weekly::build(&book, &inputs);
    assert_eq!(m.rows.iter().map(|r| r.agreement.id).collect::<Vec<_>>(), [1]);
    assert_eq!(m.people.len(), 1);
    let alex = &m.people[0];
    let listed: Vec<(i64, f64)> = alex.averages.iter().map(|(a, t)| (a.id, *t)).collect();
    assert_eq!(listed.len(), 2);
    assert!(listed[0].0 == 1 && close(listed[0].1, 0.46705), "{listed:?}");
    assert!(listed[1].0 == 2 && close(listed[1].1, 0.42), "{listed:?}");
    assert!(close(alex.trust.trust, 0.443525), "{}", alex.trust.trust);
    assert!(close(m.overall.trust, alex.trust.trust));
}

/// Reminder timing (docs/design.md §6) for "every fri 19:00" in Berlin: the
/// default lead is 1 hour, so Friday 27 Nov 18:00. Quiet hours 17:00–18:30
/// move it to 18:30, still before 19:00. Quiet hours 17:00–20:00 would end
/// after the due time: it goes out just before they begin, 16:59 — never late.
#[test]
fn a_reminder_comes_a_lead_before_and_never_late_for_quiet_hours() {
    use super::remind::notify_time;
    use chrono::NaiveTime;
    let a = agreement(1, "every fri 19:00", Berlin, "2026-11-23T00:00:00+01:00");
    let now = t("2026-11-23T12:00:00+01:00");
    let an = trust::analyze(&a, &[], now, t("2026-11-28T00:00:00+01:00"));
    let fri = an.slots.iter().find(|s| rfc3339(s.slot.due, Berlin) == "2026-11-27T19:00:00+01:00").expect("Friday");
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let at = |quiet| notify_time(&a, fri, Berlin, quiet).map(|i| rfc3339(i, Berlin));
    assert_eq!(at(None).as_deref(), Some("2026-11-27T18:00:00+01:00"));
    assert_eq!(at(Some((hm(17, 0), hm(18, 30)))).as_deref(), Some("2026-11-27T18:30:00+01:00"));
    assert_eq!(at(Some((hm(17, 0), hm(20, 0)))).as_deref(), Some("2026-11-27T16:59:00+01:00"));
}

/// Quiet hours that begin in the spring-forward gap (Berlin, Sun 29 Mar
/// 2026, 02:00 +01:00 → 03:00 +02:00): "every sun 07:30" reminds an hour
/// before, 06:30, inside quiet 02:30–08:00, whose end comes after the due
/// time; so it goes out just before they began. The wall clock first read
/// "02:30 or later" at the jump, 03:00 +02:00, so that is 01:59 +01:00 —
/// not 03:29 +02:00, which is already half an hour into them.
#[test]
fn quiet_hours_that_begin_in_the_gap_begin_at_the_jump() {
    use super::remind::notify_time;
    use chrono::NaiveTime;
    let a = agreement(1, "every sun 07:30", Berlin, "2026-03-23T00:00:00+01:00");
    let now = t("2026-03-23T12:00:00+01:00");
    let an = trust::analyze(&a, &[], now, t("2026-03-30T00:00:00+02:00"));
    let sun = an.slots.iter().find(|s| rfc3339(s.slot.due, Berlin) == "2026-03-29T07:30:00+02:00").expect("Sunday");
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let at = notify_time(&a, sun, Berlin, Some((hm(2, 30), hm(8, 0)))).map(|i| rfc3339(i, Berlin));
    assert_eq!(at.as_deref(), Some("2026-03-29T01:59:00+01:00"));
}
