//! A zone's UTC offsets over the years a calendar walk covers, read from
//! chrono-tz once and shared by every promise in that zone.
//!
//! Why: ten years of daily slots are tens of thousands of local midnights and
//! due times, and each resolved alone is a search of the zone's whole table.
//! Between two transitions the offset is constant, so a walk needs only the
//! few transitions of its years. Answers are exactly those of
//! `time::resolve_local` (the RFC 5545 rule of docs/design.md §2): the same
//! single, ambiguous and gap cases, decided the way chrono-tz decides them,
//! and chrono-tz itself outside the years read (tests below compare the two).

use crate::domain::time::{Instant, resolve_local};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;
use std::cell::RefCell;
use std::rc::Rc;

const DAY: i64 = 86_400;

/// Probing step when reading transitions. Real zones never change offset
/// twice within a week (tzdb 1970–2100: at least 7 days apart), so a day's
/// step finds every transition and bisecting finds its second.
/// (Every zone of chrono-tz, every day 1970–2045 at nine times of day, was
/// checked once against chrono-tz; the tests keep the hard cases.)
const STEP: i64 = DAY;

/// At most this much is read for one zone (a walk over longer spans, or
/// outside them, asks chrono-tz directly).
const MAX_SPAN: i64 = 80 * 366 * DAY;

/// The offsets of one zone over UTC seconds [lo, hi).
#[derive(Debug)]
pub struct Offsets {
    tz: Tz,
    lo: i64,
    hi: i64,
    /// (first UTC second, offset in seconds), in order; each runs to the next.
    spans: Vec<(i64, i64)>,
}

fn offset_at(tz: Tz, utc: i64) -> i64 {
    let t = DateTime::from_timestamp(utc, 0).unwrap_or_default().naive_utc();
    tz.offset_from_utc_datetime(&t).fix().local_minus_utc() as i64
}

impl Offsets {
    /// Read `tz`'s transitions over [lo, hi) (UTC seconds).
    fn read(tz: Tz, lo: i64, hi: i64) -> Offsets {
        let mut o = offset_at(tz, lo);
        let mut spans = vec![(lo, o)];
        let mut t = lo;
        while t < hi {
            let p = (t + STEP).min(hi);
            let op = offset_at(tz, p);
            if op != o {
                // The one change in (t, p]: its first second.
                let (mut a, mut b) = (t, p);
                while b - a > 1 {
                    let mid = a + (b - a) / 2;
                    if offset_at(tz, mid) == o {
                        a = mid;
                    } else {
                        b = mid;
                    }
                }
                spans.push((b, op));
                o = op;
            }
            t = p;
        }
        Offsets { tz, lo, hi, spans }
    }

    /// The offset in force at UTC second `utc` (within [lo, hi)).
    fn offset(&self, utc: i64) -> i64 {
        let k = self.spans.partition_point(|(s, _)| *s <= utc);
        self.spans[k.saturating_sub(1)].1
    }

    /// The instant a local wall-clock time names: `time::resolve_local`.
    pub fn resolve(&self, naive: NaiveDateTime) -> Instant {
        let local = naive.and_utc().timestamp();
        // Offsets are under a day: the candidates lie within two days of it.
        if local - 2 * DAY < self.lo || local + 2 * DAY >= self.hi {
            return resolve_local(self.tz, naive);
        }
        // The spans whose local stretch [start + o, next start + o) holds
        // it: the span in force a day before, and those after it.
        let first = self.spans.partition_point(|(s, _)| *s <= local - 2 * DAY).saturating_sub(1);
        // Local stretches begin in order (transitions are days apart, offsets
        // under a day), so the search stops at the first that begins later.
        let mut hits =
            self.spans[first..].iter().enumerate().take_while(|(_, (start, o))| start + o <= local).filter_map(
                |(i, &(_, o))| {
                    let end = self.spans.get(first + i + 1).map_or(i64::MAX, |n| n.0);
                    (local < end.saturating_add(o)).then_some(local - o)
                },
            );
        let utc = match (hits.next(), hits.next()) {
            // One: it exists once. Two: it occurs twice, the first is meant.
            (Some(a), b) => b.map_or(a, |b| a.min(b)),
            // In a gap: read with the offset in force before it (a day
            // before, as `resolve_local` does).
            (None, _) => local - self.offset(local - DAY),
        };
        DateTime::from_timestamp(utc, 0).unwrap_or_default()
    }

    /// The first instant of a local day: `time::day_start`.
    pub fn day_start(&self, date: NaiveDate) -> Instant {
        self.resolve(date.and_time(NaiveTime::MIN))
    }
}

thread_local! {
    /// The zones read so far by this thread (a command uses one or two).
    static READ: RefCell<Vec<Rc<Offsets>>> = const { RefCell::new(Vec::new()) };
}

/// `tz`'s offsets covering [from, until] with room either side, read once
/// and shared; a wider request reads the union of the years again.
pub fn covering(tz: Tz, from: Instant, until: Instant) -> Rc<Offsets> {
    let (from, until) = (from.timestamp(), until.timestamp());
    READ.with(|read| {
        let mut read = read.borrow_mut();
        let found = read.iter().position(|o| o.tz == tz);
        if let Some(i) = found
            && read[i].lo + 2 * DAY <= from
            && until + 3 * DAY <= read[i].hi
        {
            return read[i].clone();
        }
        // Some weeks either side, so a walk a little further reuses it.
        let (mut lo, mut hi) = (from - 40 * DAY, until + 40 * DAY);
        if let Some(i) = found {
            lo = lo.min(read[i].lo);
            hi = hi.max(read[i].hi);
        }
        let lo = lo.max(DateTime::<chrono::Utc>::MIN_UTC.timestamp() + 3 * DAY);
        let hi = hi.min(DateTime::<chrono::Utc>::MAX_UTC.timestamp() - 3 * DAY);
        if hi - lo > MAX_SPAN || hi <= lo {
            // Too long to read: an empty stretch (not kept), so every answer
            // is chrono-tz's.
            return Rc::new(Offsets { tz, lo: 0, hi: 0, spans: vec![(0, 0)] });
        }
        let table = Rc::new(Offsets::read(tz, lo, hi));
        match found {
            Some(i) => read[i] = table.clone(),
            None => read.push(table.clone()),
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Days};

    /// Every day of `years` at times around midnight, the small hours where
    /// clocks change, and ordinary due times, against chrono-tz.
    fn agrees(zone: &str, years: std::ops::Range<i32>) {
        let tz: Tz = zone.parse().unwrap();
        let first = NaiveDate::from_ymd_opt(years.start, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(years.end, 1, 1).unwrap();
        let table = Offsets::read(tz, first.and_time(NaiveTime::MIN).and_utc().timestamp() - 400 * DAY, {
            last.and_time(NaiveTime::MIN).and_utc().timestamp() + 400 * DAY
        });
        let times: Vec<NaiveTime> = [(0, 0), (0, 30), (1, 0), (1, 30), (2, 0), (2, 30), (3, 0), (7, 30), (23, 30)]
            .iter()
            .map(|&(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap())
            .collect();
        let mut d = first;
        while d < last {
            for t in &times {
                let naive = d.and_time(*t);
                assert_eq!(table.resolve(naive), resolve_local(tz, naive), "{zone} {naive}");
            }
            d = d + Days::new(1);
        }
        assert!(d.year() == years.end);
    }

    #[test]
    fn the_same_instants_as_chrono_tz_across_clock_changes() {
        // Midnight changes (São Paulo, Havana, Santiago), half-hour DST
        // (Lord Howe), a skipped day (Apia 2011), a zone that stopped DST
        // (Moscow), the southern hemisphere, and the plain cases.
        for zone in [
            "Europe/Berlin",
            "America/New_York",
            "America/Sao_Paulo",
            "America/Havana",
            "America/Santiago",
            "Australia/Lord_Howe",
            "Pacific/Apia",
            "Europe/Moscow",
            "Asia/Gaza",
            "Asia/Kolkata",
            "UTC",
        ] {
            agrees(zone, 2008..2016);
        }
        agrees("Europe/London", 1970..1975);
        agrees("America/Los_Angeles", 2030..2040);
    }

    #[test]
    fn a_table_is_shared_and_widened() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let t = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap().and_time(NaiveTime::MIN).and_utc();
        let a = covering(tz, t(2016), t(2026));
        let b = covering(tz, t(2018), t(2020));
        assert!(Rc::ptr_eq(&a, &b));
        let c = covering(tz, t(2010), t(2026));
        assert!(c.lo < a.lo && c.hi >= a.hi);
        // Far beyond what is read: chrono-tz answers.
        let far = covering(tz, t(1971), t(2990));
        let naive = NaiveDate::from_ymd_opt(2990, 3, 31).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(far.resolve(naive), resolve_local(tz, naive));
    }
}
