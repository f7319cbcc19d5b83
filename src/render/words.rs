//! Words for days and periods — the one vocabulary every screen uses.
//!
//! Owns how an instant becomes a day a person reads (docs/design.md §7): an
//! end-of-day instant (24:00) is shown as that day ("by Sat 3 Oct", "the month
//! ends Mon 30 Nov", "tonight"), never as the next day's 00:00; "today",
//! "tomorrow", weekday names, "this week"/"next week" are relative to `now`
//! in the zone of the thing described; and the one "N of M left, ends X"
//! phrase. JSON keeps exact instants and never goes through here.

use crate::domain::terms::Period;
use crate::domain::terms::Terms;
use crate::domain::time::{Instant, OddWallClock, day_end, day_start, local_date, rfc3339, week_monday};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

/// The day an instant that *ends* something belongs to: 24:00 is the day
/// before the next day's 00:00 (also where that midnight falls in a gap).
pub fn end_date(t: Instant, tz: Tz) -> NaiveDate {
    let d = local_date(tz, t);
    match d.pred_opt() {
        Some(prev) if day_end(tz, prev) == t => prev,
        _ => d,
    }
}

/// Is `t` the end of a local day (24:00)?
pub fn is_day_end(t: Instant, tz: Tz) -> bool {
    end_date(t, tz) != local_date(tz, t)
}

/// "Fri 27 Nov", with the year when it is not `now`'s year in that zone.
pub fn date(d: NaiveDate, tz: Tz, now: Instant) -> String {
    if d.year() == local_date(tz, now).year() {
        d.format("%a %-d %b").to_string()
    } else {
        d.format("%a %-d %b %Y").to_string()
    }
}

/// An instant that begins something ("from", "since", an entry's time):
/// "Fri 27 Nov" at the first instant of the day (00:00, or 01:00 where the
/// clocks skip midnight), else "Fri 27 Nov 19:00".
pub fn start(t: Instant, tz: Tz, now: Instant) -> String {
    let day = local_date(tz, t);
    let d = date(day, tz, now);
    if t == day_start(tz, day) { d } else { format!("{d} {}", hm(t, tz)) }
}

/// A moment something happened: always with its time ("Fri 27 Nov 00:00"
/// is a real midnight entry, not a day).
pub fn moment(t: Instant, tz: Tz, now: Instant) -> String {
    format!("{} {}", date(local_date(tz, t), tz, now), hm(t, tz))
}

/// An instant something is due or ends by: "Sat 3 Oct" for the end of a
/// day, else "Fri 27 Nov 19:00".
pub fn due(t: Instant, tz: Tz, now: Instant) -> String {
    if is_day_end(t, tz) { date(end_date(t, tz), tz, now) } else { start(t, tz, now) }
}

/// "19:00"; in the fall-back overlap with its offset ("02:30 +01:00").
pub fn hm(t: Instant, tz: Tz) -> String {
    crate::domain::time::clock(t, tz)
}

/// How a typed local time that the clocks skip or repeat was read (§2's
/// RFC 5545 rule), so no one is surprised by the time in the log.
pub fn odd_wall_clock(odd: OddWallClock, at: Instant, tz: Tz, now: Instant) -> String {
    let typed = |n: chrono::NaiveDateTime| format!("{} {}", date(n.date(), tz, now), n.format("%H:%M"));
    match odd {
        OddWallClock::Skipped(n) => format!(
            "{} does not exist in {} (the clocks go forward); read as {}, as calendars do",
            typed(n),
            tz.name(),
            hm(at, tz)
        ),
        OddWallClock::Repeated(n, second) => format!(
            "{} happens twice in {} (the clocks go back); read as the first, {} — for the second, give its offset: {}",
            typed(n),
            tz.name(),
            hm(at, tz),
            rfc3339(second, tz)
        ),
    }
}

/// A day relative to today: "today", "tomorrow", "yesterday", a weekday
/// name within the coming six days ("Friday"), else the date.
pub fn day(d: NaiveDate, tz: Tz, now: Instant) -> String {
    let today = local_date(tz, now);
    match (d - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        2..=6 => d.format("%A").to_string(),
        _ => date(d, tz, now),
    }
}

/// When something is due, relative to now: "tonight" (the end of today),
/// "today 19:00", "tomorrow", "tomorrow 07:30", "Friday 19:00", else
/// "Fri 4 Dec 19:00".
pub fn due_relative(t: Instant, tz: Tz, now: Instant) -> String {
    let d = end_date(t, tz);
    let days = (d - local_date(tz, now)).num_days();
    let end = is_day_end(t, tz);
    match (days, end) {
        (0, true) => "tonight".into(),
        (-6..=6, true) => day(d, tz, now),
        (-1..=6, false) => format!("{} {}", day(d, tz, now), hm(t, tz)),
        _ => due(t, tz, now),
    }
}

/// Where a period stands relative to now, named from its first day:
/// "today", "tomorrow", "this week", "next week", "this month", "next
/// month", "this year", "next year", "this fortnight", "next fortnight" —
/// else the period itself ("the week of Mon 7 Dec", "January 2027", "2027").
pub fn period(p: Period, first_day: NaiveDate, tz: Tz, now: Instant) -> String {
    let today = local_date(tz, now);
    match p {
        Period::Day => day(first_day, tz, now),
        Period::Week => match (week_monday(first_day) - week_monday(today)).num_days() {
            0 => "this week".into(),
            7 => "next week".into(),
            -7 => "last week".into(),
            _ => format!("the week of {}", date(week_monday(first_day), tz, now)),
        },
        Period::Fortnight => {
            let days = (first_day - today).num_days();
            if (-13..=0).contains(&days) {
                "this fortnight".into()
            } else if (1..=14).contains(&days) {
                "next fortnight".into()
            } else {
                format!("the fortnight from {}", date(first_day, tz, now))
            }
        }
        Period::Month => {
            let months = (first_day.year() - today.year()) * 12 + first_day.month() as i32 - today.month() as i32;
            match months {
                0 => "this month".into(),
                1 => "next month".into(),
                -1 => "last month".into(),
                _ => first_day.format("%B %Y").to_string(),
            }
        }
        Period::Year => match first_day.year() - today.year() {
            0 => "this year".into(),
            1 => "next year".into(),
            -1 => "last year".into(),
            _ => first_day.year().to_string(),
        },
    }
}

/// When a period that ends at `end` ends, in words: "tonight", "tomorrow",
/// "Mon 30 Nov" (always the last day of the period, never the next one's 00:00).
pub fn ends(end: Instant, tz: Tz, now: Instant) -> String {
    let d = end_date(end, tz);
    match (d - local_date(tz, now)).num_days() {
        0 => "tonight".into(),
        1 => "tomorrow".into(),
        _ => date(d, tz, now),
    }
}

/// The one "N of M left" phrase: "1 of 2 weekends left, the month ends Mon
/// 30 Nov", "1 of 1 time left, the day ends tonight".
pub fn left(remaining: u32, promised: u32, unit: &str, p: Period, end: Instant, tz: Tz, now: Instant) -> String {
    format!("{remaining} of {promised} {unit} left, the {} ends {}", p.name(), ends(end, tz, now))
}

/// "1 of 2 this month" — progress in a period, named relative to now.
pub fn progress(kept: u32, promised: u32, p: Period, first_day: NaiveDate, tz: Tz, now: Instant) -> String {
    format!("{kept} of {promised} {}", period(p, first_day, tz, now))
}

/// A lead time in words: "1 hour", "90 minutes", "3 days", "1 day 6 hours";
/// a week of days is "1 week".
pub fn lead(days: i64, minutes: i64) -> String {
    let plural = |n: i64, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    let mut parts = Vec::new();
    match days {
        0 => {}
        d if d % 7 == 0 => parts.push(plural(d / 7, "week")),
        d => parts.push(plural(d, "day")),
    }
    match (minutes / 60, minutes % 60) {
        (0, 0) => {}
        (h, 0) => parts.push(plural(h, "hour")),
        (h, m) if h < 2 => parts.push(plural(h * 60 + m, "minute")),
        (h, m) => parts.push(format!("{} {}", plural(h, "hour"), plural(m, "minute"))),
    }
    if parts.is_empty() { "0 minutes".into() } else { parts.join(" ") }
}

/// The first day of a slot that starts at `start` (slots start at 00:00).
pub fn first_day(start: Instant, tz: Tz) -> NaiveDate {
    local_date(tz, start)
}

/// The one line that says what a trust figure is, for a first-time reader.
pub fn trust_legend(start: f64) -> String {
    format!(
        "trust starts at {} for each promise, rises in small steps with each one kept and falls in bigger steps with each one broken or missed; a person's trust is the average over their promises",
        super::trust2(start)
    )
}

/// Words for a quota's unit: "weekends" / "times"; one unit (excuses can
/// bring "2 weekends a month" down to one) is "1 of 1 weekend".
pub fn unit_word(unit: Option<&str>, n: u32) -> String {
    match unit {
        Some(u) if n == 1 => singular(u),
        Some(u) => u.to_string(),
        None if n == 1 => "time".into(),
        None => "times".into(),
    }
}

/// The singular of a typed unit noun where English forms its plural
/// regularly ("weekends", "date nights", "lunches", "boxes"); any other noun
/// ("parties", "nights out", "weekend") stays as typed rather than be
/// misspelt.
fn singular(unit: &str) -> String {
    let (head, last) = unit.rsplit_once(' ').map_or(("", unit), |(h, l)| (h, l));
    let lower = last.to_lowercase();
    let cut = if ["ches", "shes", "sses", "xes", "zes"].iter().any(|e| lower.ends_with(e)) {
        2
    } else if lower.ends_with('s') && !["ss", "us", "is", "ies"].iter().any(|e| lower.ends_with(e)) {
        1
    } else {
        0
    };
    let one = last.get(..last.len() - cut).unwrap_or(last);
    if head.is_empty() { one.to_string() } else { format!("{head} {one}") }
}

/// Terms in words: "2 weekends a month", "every fri 19:00".
pub fn terms_words(t: &Terms, unit: Option<&str>) -> String {
    match t {
        Terms::Quota { count, period } => match unit {
            Some(u) => format!("{count} {u} a {}", period.name()),
            None if *count == 1 => format!("once a {}", period.name()),
            None if *count == 2 => format!("twice a {}", period.name()),
            None => format!("{count} times a {}", period.name()),
        },
        Terms::Standing => "standing".into(),
        other => other.to_string(),
    }
}

/// Terms in words with their canonical form beside them when that differs:
/// "2 weekends a month (2/month)", but "every fri 19:00" once.
pub fn terms_both(t: &Terms, unit: Option<&str>) -> String {
    let words = terms_words(t, unit);
    let canonical = t.to_string();
    if words == canonical { words } else { format!("{words} ({canonical})") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{day_start, parse_rfc3339};

    fn tz(s: &str) -> Tz {
        s.parse().unwrap()
    }
    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn end_of_day_is_that_day_across_clock_changes() {
        for (zone, dates) in [
            ("Europe/Berlin", [ymd(2026, 3, 28), ymd(2026, 3, 29), ymd(2026, 10, 24), ymd(2026, 10, 25)]),
            ("America/New_York", [ymd(2026, 3, 7), ymd(2026, 3, 8), ymd(2026, 10, 31), ymd(2026, 11, 1)]),
        ] {
            let z = tz(zone);
            for d in dates {
                let t = day_end(z, d);
                assert_eq!(end_date(t, z), d, "{zone} {d}");
                assert!(is_day_end(t, z));
                assert!(!is_day_end(day_start(z, d) + chrono::Duration::hours(19), z));
            }
        }
    }

    #[test]
    fn due_words_name_the_day_meant() {
        let z = tz("Europe/Berlin");
        let now = parse_rfc3339("2026-11-30T10:00:00+01:00").unwrap();
        assert_eq!(due(day_end(z, ymd(2026, 10, 3)), z, now), "Sat 3 Oct");
        assert_eq!(ends(day_end(z, ymd(2026, 11, 30)), z, now), "tonight");
        assert_eq!(due_relative(day_end(z, ymd(2026, 11, 30)), z, now), "tonight");
        assert_eq!(due_relative(day_end(z, ymd(2026, 12, 1)), z, now), "tomorrow");
        assert_eq!(due_relative(day_start(z, ymd(2026, 12, 4)) + chrono::Duration::hours(19), z, now), "Friday 19:00");
        assert_eq!(period(Period::Day, ymd(2026, 12, 2), z, now), "Wednesday");
        assert_eq!(period(Period::Week, ymd(2026, 12, 7), z, now), "next week");
        assert_eq!(period(Period::Month, ymd(2026, 12, 1), z, now), "next month");
        // ISO week 53 of 2026 runs into 2027: its end is shown in 2027.
        let w53 = parse_rfc3339("2026-12-28T09:00:00+01:00").unwrap();
        assert_eq!(due(day_end(z, ymd(2027, 1, 3)), z, w53), "Sun 3 Jan 2027");
        assert_eq!(period(Period::Week, ymd(2026, 12, 28), z, w53), "this week");
    }

    #[test]
    fn lead_times_read_as_said() {
        assert_eq!(lead(0, 60), "1 hour");
        assert_eq!(lead(0, 90), "90 minutes");
        assert_eq!(lead(3, 0), "3 days");
        assert_eq!(lead(7, 0), "1 week");
        assert_eq!(lead(1, 360), "1 day 6 hours");
        assert_eq!(lead(0, 0), "0 minutes");
    }
}
