//! Walking one terms version's stretch of the calendar into slots: a quota's
//! whole periods, a schedule's occurrences (docs/design.md §2).

use super::calendar::{next_occurrence, next_period, period_start};
use super::{Slot, Version};
use crate::domain::offsets::{self, Offsets};
use crate::domain::terms::{Period, Schedule};
use crate::domain::time::{self, Instant, local_date, week_monday};
use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use std::rc::Rc;

/// One terms version's stretch of the calendar: where its slots are walked.
pub(super) struct Walk<'a> {
    pub(super) zone: Tz,
    pub(super) ends: Option<Instant>,
    pub(super) version: usize,
    pub(super) v: &'a Version,
    /// Slots ending at or before `from` are not needed; none begins at `upper`.
    pub(super) from: Instant,
    pub(super) upper: Instant,
    pub(super) active_at: &'a dyn Fn(Instant) -> bool,
    /// The zone's offsets over a long walk (`domain::offsets`); a short one
    /// asks chrono-tz for its few times.
    pub(super) offsets: Option<Rc<Offsets>>,
}

/// A walk longer than this reads its zone's transitions once.
const LONG: chrono::TimeDelta = chrono::TimeDelta::days(90);

/// The zone's offsets for a walk over [from, upper], if it is long.
pub(super) fn offsets_for(zone: Tz, from: Instant, upper: Instant) -> Option<Rc<Offsets>> {
    (upper - from > LONG).then(|| offsets::covering(zone, from, upper))
}

impl Walk<'_> {
    /// The first instant of a local day (`time::day_start`).
    fn day_start(&self, d: NaiveDate) -> Instant {
        match &self.offsets {
            Some(o) => o.day_start(d),
            None => time::day_start(self.zone, d),
        }
    }

    /// When an occurrence is due (`calendar::occurrence_time`).
    fn occurrence_time(&self, s: &Schedule, d: NaiveDate) -> Instant {
        match (s.time(), &self.offsets) {
            (Some(t), Some(o)) => o.resolve(d.and_time(t)),
            (None, _) => self.day_start(d + Days::new(1)),
            (Some(_), None) => super::calendar::occurrence_time(s, self.zone, d),
        }
    }

    /// A quota: one slot per whole period, `count` units each.
    pub(super) fn quota(&self, count: u32, period: Period, out: &mut dyn FnMut(Slot)) {
        let (v, from, upper, i) = (self.v, self.from, self.upper, self.version);
        let mut p = period_start(period, local_date(self.zone, v.effective));
        if self.day_start(p) < v.effective {
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
        let mut start = self.day_start(p);
        while start < upper {
            let next = next_period(period, p);
            let end = self.day_start(next);
            if (self.active_at)(start) {
                out(Slot { start, end, due: end, units: count, version: i, terms: v.terms });
            }
            p = next;
            start = end;
        }
    }

    /// A schedule: one slot per occurrence, running to the next one's day.
    pub(super) fn schedule(&self, s: &Schedule, first: bool, out: &mut dyn FnMut(Slot)) {
        let (v, from, upper, i) = (self.v, self.from, self.upper, self.version);
        let mut date = local_date(self.zone, v.effective);
        // Find the first occurrence: at or after `starts` for the
        // first version, beginning at or after `effective` later.
        let mut d = next_occurrence(s, date);
        loop {
            let ok = if first { self.occurrence_time(s, d) >= v.effective } else { self.day_start(d) >= v.effective };
            if ok {
                break;
            }
            d = next_occurrence(s, d + Days::new(1));
        }
        // Every other week: the weeks an even number of weeks after
        // the first occurrence's.
        let anchor = week_monday(d);
        let next_in = |from: NaiveDate| {
            let mut n = next_occurrence(s, from);
            if matches!(s, Schedule::Fortnightly { .. }) {
                while (week_monday(n) - anchor).num_days().rem_euclid(14) != 0 {
                    n = next_occurrence(s, week_monday(n) + Days::new(7));
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
        let mut start = self.day_start(d);
        while start < upper {
            let next = next_in(d + Days::new(1));
            let next_start = self.day_start(next);
            let end =
                if self.ends.is_some_and(|e| next_start >= e) { self.day_start(d + Days::new(1)) } else { next_start };
            if (self.active_at)(start) {
                let due = self.occurrence_time(s, d);
                out(Slot { start, end, due, units: 1, version: i, terms: v.terms });
            }
            date = next;
            d = date;
            start = next_start;
        }
    }
}
