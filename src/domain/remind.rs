//! Reminder timing (docs/design.md §6): the lead in force for a promise, and
//! when a slot's reminder is due — never before the slot starts, never in
//! quiet hours, never late because of them.

use crate::domain::Agreement;
use crate::domain::terms::{Period, Terms};
use crate::domain::time::Span;
use crate::domain::time::{Instant, local, resolve_local};
use crate::domain::trust::SlotTally;
use chrono::{Duration, LocalResult, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// The reminder lead in force: the agreement's own, else docs/design.md §6's default.
pub fn remind_lead(a: &Agreement, terms: &Terms) -> Option<Span> {
    a.remind.or(match terms {
        Terms::Schedule(_) => Some(Span::hours(1)),
        Terms::Deadline { .. } => Some(Span::days(1)),
        Terms::Quota { period: Period::Day, .. } => Some(Span::hours(6)),
        Terms::Quota { period: Period::Week | Period::Fortnight, .. } => Some(Span::days(2)),
        Terms::Quota { period: Period::Month, .. } => Some(Span::days(3)),
        Terms::Quota { period: Period::Year, .. } => Some(Span::days(14)),
        Terms::Standing => None,
    })
}

fn in_quiet(t: NaiveTime, (from, until): (NaiveTime, NaiveTime)) -> bool {
    if from == until {
        false
    } else if from < until {
        from <= t && t < until
    } else {
        t >= from || t < until
    }
}

/// The first instant at or after `t` outside quiet hours (in the home zone).
pub fn out_of_quiet(t: Instant, home: Tz, quiet: Option<(NaiveTime, NaiveTime)>) -> Instant {
    let Some(q) = quiet else { return t };
    let l = local(home, t);
    if !in_quiet(l.time(), q) {
        return t;
    }
    let mut end = l.date().and_time(q.1);
    if end <= l {
        end += Duration::days(1);
    }
    // The end is the next time the wall clock reads it. On the fall-back
    // night it reads it twice: from 02:00 +01:00 (the second pass) quiet
    // hours until 02:30 end at 02:30 +01:00, not at the first 02:30, an hour
    // before the reminder was even due.
    match home.from_local_datetime(&end) {
        LocalResult::Ambiguous(a, b) => {
            let (first, second) = (a.to_utc().min(b.to_utc()), a.to_utc().max(b.to_utc()));
            if first >= t { first } else { second }
        }
        _ => wall_reaches(home, end).max(t),
    }
}

/// The first instant at which the wall clock reads `naive` or later. Quiet
/// hours are wall-clock hours (`in_quiet`): where `naive` falls in the
/// spring-forward gap they start or end when the clocks jump past it (03:00
/// summer time for 02:30), not at the 03:30 that §2's rule reads a typed
/// 02:30 as — by then the wall clock has read "after 02:30" for half an hour.
fn wall_reaches(home: Tz, naive: chrono::NaiveDateTime) -> Instant {
    let t = resolve_local(home, naive);
    if !matches!(home.from_local_datetime(&naive), LocalResult::None) {
        return t;
    }
    // Walk back to the jump: the earliest minute whose wall clock is still
    // at or after `naive` (gaps are at most a few hours).
    let mut first = t;
    for _ in 0..(4 * 60) {
        let earlier = first - Duration::minutes(1);
        if local(home, earlier) < naive {
            break;
        }
        first = earlier;
    }
    first
}

/// When a slot's reminder is due: lead before its due time (a quota's end),
/// never before the slot starts, never in quiet hours.
pub fn notify_time(a: &Agreement, s: &SlotTally, home: Tz, quiet: Option<(NaiveTime, NaiveTime)>) -> Option<Instant> {
    let lead = remind_lead(a, &s.slot.terms)?;
    let base = match s.slot.terms {
        Terms::Quota { .. } => s.slot.end,
        _ => s.slot.due,
    };
    let at = lead.before(a.zone, base).max(s.slot.start);
    let after_quiet = out_of_quiet(at, home, quiet);
    // Quiet hours never make a reminder late (docs/design.md §6): when they end at
    // or after the due time, it goes out just before they begin instead —
    // the evening before a 07:30 promise.
    match quiet {
        Some((from, _)) if after_quiet != at && after_quiet >= s.slot.due => {
            let l = local(home, at);
            let mut begin = l.date().and_time(from);
            if begin > l {
                begin -= Duration::days(1);
            }
            Some(wall_reaches(home, begin) - Duration::minutes(1))
        }
        _ => Some(after_quiet),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_wrap_midnight() {
        let q = (NaiveTime::from_hms_opt(22, 0, 0).unwrap(), NaiveTime::from_hms_opt(8, 0, 0).unwrap());
        assert!(in_quiet(NaiveTime::from_hms_opt(3, 0, 0).unwrap(), q));
        assert!(in_quiet(NaiveTime::from_hms_opt(22, 0, 0).unwrap(), q));
        assert!(!in_quiet(NaiveTime::from_hms_opt(8, 0, 0).unwrap(), q));
        assert!(!in_quiet(NaiveTime::from_hms_opt(18, 0, 0).unwrap(), q));
        let z: Tz = "Europe/Berlin".parse().unwrap();
        let t = crate::domain::time::parse_rfc3339("2026-11-23T23:30:00+01:00").unwrap();
        assert_eq!(crate::domain::time::rfc3339(out_of_quiet(t, z, Some(q)), z), "2026-11-24T08:00:00+01:00");
        let t = crate::domain::time::parse_rfc3339("2026-11-24T03:00:00+01:00").unwrap();
        assert_eq!(crate::domain::time::rfc3339(out_of_quiet(t, z, Some(q)), z), "2026-11-24T08:00:00+01:00");
    }

    #[test]
    fn quiet_hours_ending_in_the_fall_back_overlap_end_after_the_reminder() {
        // Berlin, Sun 25 Oct 2026: 03:00 +02:00 falls back to 02:00 +01:00,
        // so the wall clock reads 02:00–03:00 twice. Quiet 01:00–02:30.
        let z: Tz = "Europe/Berlin".parse().unwrap();
        let q = (NaiveTime::from_hms_opt(1, 0, 0).unwrap(), NaiveTime::from_hms_opt(2, 30, 0).unwrap());
        let at = |s: &str| crate::domain::time::parse_rfc3339(s).unwrap();
        let show = |t| crate::domain::time::rfc3339(t, z);
        // 02:00 +01:00 (01:00Z, the second pass) is quiet; the quiet hours
        // end at the next 02:30 on the wall: 02:30 +01:00 (01:30Z) — not the
        // first 02:30 +02:00 (00:30Z), which is half an hour earlier still.
        assert_eq!(show(out_of_quiet(at("2026-10-25T02:00:00+01:00"), z, Some(q))), "2026-10-25T02:30:00+01:00");
        // 01:30 +02:00 (23:30Z, the first pass) ends at the first 02:30.
        assert_eq!(show(out_of_quiet(at("2026-10-25T01:30:00+02:00"), z, Some(q))), "2026-10-25T02:30:00+02:00");
    }

    #[test]
    fn quiet_hours_ending_in_the_spring_forward_gap_end_at_the_jump() {
        // Berlin, Sun 29 Mar 2026: 02:00 +01:00 jumps to 03:00 +02:00. Quiet
        // 22:00–02:30: at 01:30 +01:00 it is quiet; the wall clock next reads
        // "02:30 or later" at the jump, 03:00 +02:00 — not 03:30.
        let z: Tz = "Europe/Berlin".parse().unwrap();
        let q = (NaiveTime::from_hms_opt(22, 0, 0).unwrap(), NaiveTime::from_hms_opt(2, 30, 0).unwrap());
        let t = crate::domain::time::parse_rfc3339("2026-03-29T01:30:00+01:00").unwrap();
        assert_eq!(crate::domain::time::rfc3339(out_of_quiet(t, z, Some(q)), z), "2026-03-29T03:00:00+02:00");
        // Lord Howe's half-hour jump, 02:00 → 02:30 on Sun 4 Oct 2026: quiet
        // until 02:15 ends at 02:30 +11:00, the jump.
        let lh: Tz = "Australia/Lord_Howe".parse().unwrap();
        let q = (NaiveTime::from_hms_opt(22, 0, 0).unwrap(), NaiveTime::from_hms_opt(2, 15, 0).unwrap());
        let t = crate::domain::time::parse_rfc3339("2026-10-04T01:00:00+10:30").unwrap();
        assert_eq!(crate::domain::time::rfc3339(out_of_quiet(t, lh, Some(q)), lh), "2026-10-04T02:30:00+11:00");
    }
}
