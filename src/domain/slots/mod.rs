//! Slots: what was promised, when — pure, no I/O (docs/design.md §2).
//!
//! Owns the calendar of an agreement: quota periods, schedule occurrences and
//! their windows, deadline windows, the first-slot rule, and how terms
//! versions and status changes (pause, resume, retire) take effect at slot
//! boundaries. Everything is computed in the agreement's own zone.

use crate::domain::terms::Terms;
use crate::domain::time::Instant;
use chrono_tz::Tz;

mod calendar;
mod walk;

pub use calendar::{due_of_deadline, first_start, next_occurrence, next_period, occurrence_time, period_start};
use walk::Walk;

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
    /// order they arrived in (docs/design.md §9), so that of two amends not yet in
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
/// record (in the order made) removes the earlier records whose effective
/// time is at or after its own, and those not yet in effect when it was made
/// — of two amends not yet in effect the one made later wins outright
/// (docs/design.md §9), whichever of the two would have started first. A
/// renegotiated deadline therefore replaces the old one.
fn in_force<T: Clone>(records: &[T], effective: impl Fn(&T) -> Instant, created: impl Fn(&T) -> Instant) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for r in records {
        let (e, made) = (effective(r), created(r));
        out.retain(|x| effective(x) < e && effective(x) <= made);
        out.push(r.clone());
    }
    out
}

impl Plan {
    pub fn versions_in_force(&self) -> Vec<Version> {
        in_force(&self.versions, |v| v.effective, |v| v.created)
    }

    /// The status changes that take effect, in order (docs/design.md §9): all of
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
        let mut out = Vec::new();
        self.each_slot_between(from, until, &mut |s| out.push(s));
        out
    }

    /// As `slots_between`, each slot handed to `f` as it is walked: ten years
    /// of slots need not be held twice (docs/design.md §2 for the rules).
    pub fn each_slot_between(&self, from: Instant, until: Instant, f: &mut dyn FnMut(Slot)) {
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
        for (i, v) in versions.iter().enumerate() {
            let next = versions.get(i + 1).map(|n| n.effective);
            let upper = next.map(|n| n.min(stop)).unwrap_or(stop);
            let mut emit = |mut s: Slot| {
                // Renegotiated terms replace the old ones where the new
                // terms' first slot begins: an old-terms slot is promised
                // only if it falls due before then, and its window ends there
                // at the latest, so the two never overlap ("2/month" →
                // "1/week" on 10 Nov: November keeps its two, December is not
                // also promised under the old terms; docs/design.md §1).
                if let Some(n) = next {
                    if s.due > n {
                        return;
                    }
                    s.end = s.end.min(n);
                }
                if retired.is_some_and(|r| s.start >= r && !matches!(s.terms, Terms::Deadline { .. })) {
                    return;
                }
                if from > Instant::MIN_UTC && s.end <= from {
                    return;
                }
                f(s);
            };
            let offsets = walk::offsets_for(self.zone, v.effective.max(from), upper);
            let walk =
                Walk { zone: self.zone, ends: self.ends, version: i, v, from, upper, active_at: &active_at, offsets };
            match v.terms {
                Terms::Standing => {}
                Terms::Deadline { .. } => {
                    let due = due_of_deadline(&v.terms, self.zone).expect("deadline");
                    let start = v.effective;
                    let released = retired.is_some_and(|r| r < due);
                    if start < upper && due > start && active_at(start) && !released {
                        emit(Slot { start, end: due, due, units: 1, version: i, terms: v.terms });
                    }
                }
                Terms::Quota { count, period } => walk.quota(count, period, &mut emit),
                Terms::Schedule(s) => walk.schedule(&s, i == 0, &mut emit),
            }
        }
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

#[cfg(test)]
mod tests;
