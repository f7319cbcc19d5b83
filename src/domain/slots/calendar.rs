//! Calendar arithmetic for slots: where periods begin, the next occurrence
//! of a schedule, a deadline's due time — in the agreement's zone.

use crate::domain::terms::{Period, Schedule, Terms};
use crate::domain::time::{Instant, day_end, day_start, local_date, resolve_local, week_monday};
use chrono::{Datelike, Days, Months, NaiveDate};
use chrono_tz::Tz;

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
