//! The trust model, over-promising and the trend — pure functions of
//! (agreements, entries, now), docs/design.md §2–§4.
//!
//! Owns: tallying each slot (kept, broken, excused, promised, delivered, extra,
//! missed), turning entries and misses into trust events in their exact order,
//! scoring them, and the judgements built on that. Nothing is stored: every
//! figure is recomputed from the append-only facts.

use crate::domain::settings::TrustParams;
use crate::domain::slots::Slot;
use crate::domain::terms::{Period, Terms};
use crate::domain::time::{Instant, local_date};
use crate::domain::voice::{VerdictKind, Why};
use crate::domain::{Agreement, Fact, Outcome};
use std::collections::{HashMap, HashSet};

#[derive(Clone, Debug)]
pub struct SlotTally {
    pub slot: Slot,
    pub kept: u32,
    pub broken: u32,
    pub excused: u32,
    /// Units set aside while a kept or broken entry is disputed (§10).
    pub held: u32,
    pub promised: u32,
    pub delivered: u32,
    pub extra: u32,
    /// Judged only once the slot is closed.
    pub missed: u32,
    pub closed: bool,
    /// Units still to deliver: promised − kept − broken.
    pub remaining: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Kept,
    Broken,
    Missed,
    /// An accepted repair (§10): one kept-sized step, no follow-through.
    Repair,
}

#[derive(Clone, Debug)]
pub struct Event {
    pub at: Instant,
    pub kind: EventKind,
    /// The entry behind a kept or broken event.
    pub entry: Option<i64>,
    /// The slot behind a missed event (index into `Analysis::slots`).
    pub slot: Option<usize>,
    /// Missed units land together at the slot's end, one step each.
    pub units: u32,
    /// The repair behind a repair event.
    pub repair: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub slots: Vec<SlotTally>,
    pub events: Vec<Event>,
    /// (entry id, index of the slot holding it), in time order.
    pub slot_of: Vec<(i64, usize)>,
    /// Kept entries after their deadline was due.
    pub late: HashSet<i64>,
    /// Kept entries not scored: beyond a slot's promise, or a second one the
    /// same day on a standing rule.
    pub unscored: HashSet<i64>,
    /// Entries that count for nothing because of a verdict, and why (§10).
    pub why: HashMap<i64, Why>,
    /// Excuses logged after their slot was due (from `review`).
    pub late_excuses: HashSet<i64>,
    /// Accepted repairs that moved trust.
    pub repairs: HashSet<i64>,
    /// The score after events already folded away (`domain::fold`): `events`
    /// then hold only what came after. None: `events` are all of them.
    pub base: Option<Score>,
}

/// Tally slots and build the ordered trust events of one agreement.
/// `entries` are the agreement's non-void entries; `horizon` bounds the slots
/// generated (at least `now`).
pub fn analyze(a: &Agreement, entries: &[Fact], now: Instant, horizon: Instant) -> Analysis {
    analyze_window(a, entries, now, Instant::MIN_UTC, horizon)
}

/// As `analyze`, for the slots that end after `from` only: enough for what
/// is open or due, not for trust (earlier events are left out).
pub fn analyze_window(a: &Agreement, entries: &[Fact], now: Instant, from: Instant, horizon: Instant) -> Analysis {
    let slots = a.plan.slots_between(from, horizon.max(now));
    // Entries that count for nothing (after retirement, on a void promise)
    // are left out here, the one place every figure comes through.
    let retired = a.plan.retired_from();
    let mut sorted: Vec<&Fact> =
        entries.iter().filter(|e| crate::domain::converge::excluded(a, retired, e.at).is_none()).collect();
    sorted.sort_by_key(|e| e.order());
    let mut out = Analysis {
        slots: slots
            .into_iter()
            .map(|slot| SlotTally {
                closed: slot.closed(now),
                slot,
                kept: 0,
                broken: 0,
                excused: 0,
                held: 0,
                promised: 0,
                delivered: 0,
                extra: 0,
                missed: 0,
                remaining: 0,
            })
            .collect(),
        ..Analysis::default()
    };
    let mut per_slot: Vec<Vec<&Fact>> = vec![Vec::new(); out.slots.len()];
    let mut outside: Vec<&Fact> = Vec::new();
    for e in &sorted {
        match find_slot(&out.slots, e.at) {
            Some(i) => {
                out.slot_of.push((e.id, i));
                per_slot[i].push(e);
            }
            None => outside.push(e),
        }
    }
    for (i, tally) in out.slots.iter_mut().enumerate() {
        let units = tally.slot.units;
        // §10: a disputed excuse, or a late one not yet confirmed, is as if
        // it were not there; a disputed kept or broken entry is held — its
        // unit set aside like an excuse, counting for nothing.
        let mut entries: Vec<&Fact> = Vec::with_capacity(per_slot[i].len());
        let (mut excused, mut held) = (0u32, 0u32);
        for e in &per_slot[i] {
            match (e.outcome, e.verdict) {
                (Outcome::Excused, v) => {
                    let late = e.logged_at > tally.slot.due;
                    if late {
                        out.late_excuses.insert(e.id);
                    }
                    if v == Some(VerdictKind::Disputed) {
                        out.why.insert(e.id, Why::DisputedExcuse);
                    } else if late && v != Some(VerdictKind::Confirmed) {
                        out.why.insert(e.id, Why::LateExcuse);
                    } else {
                        excused += 1;
                    }
                }
                (_, Some(VerdictKind::Disputed)) => {
                    out.why.insert(e.id, Why::Held);
                    held += 1;
                }
                _ => entries.push(e),
            }
        }
        tally.excused = excused.min(units);
        tally.held = held.min(units - tally.excused);
        tally.promised = units - tally.excused - tally.held;
        let mut kept_scored = 0;
        for e in entries {
            match e.outcome {
                Outcome::Kept => {
                    tally.kept += 1;
                    if kept_scored < tally.promised {
                        kept_scored += 1;
                        out.events.push(Event {
                            at: e.at,
                            kind: EventKind::Kept,
                            entry: Some(e.id),
                            slot: Some(i),
                            units: 1,
                            repair: None,
                        });
                    } else {
                        out.unscored.insert(e.id);
                    }
                }
                Outcome::Broken => {
                    tally.broken += 1;
                    out.events.push(Event {
                        at: e.at,
                        kind: EventKind::Broken,
                        entry: Some(e.id),
                        slot: Some(i),
                        units: 1,
                        repair: None,
                    });
                }
                Outcome::Excused => {}
            }
        }
        tally.delivered = tally.kept.min(tally.promised);
        tally.extra = tally.kept - tally.delivered;
        tally.remaining = tally.promised.saturating_sub(tally.kept + tally.broken);
        if tally.closed {
            tally.missed = tally.remaining;
            if tally.missed > 0 {
                out.events.push(Event {
                    at: tally.slot.end,
                    kind: EventKind::Missed,
                    entry: None,
                    slot: Some(i),
                    units: tally.missed,
                    repair: None,
                });
            }
        }
    }
    let deadline_dues: Vec<Instant> =
        out.slots.iter().filter(|s| matches!(s.slot.terms, Terms::Deadline { .. })).map(|s| s.slot.due).collect();
    // Facts come in time order, so one kept a day is "not the same day as the last".
    let mut last_standing_day = None;
    let versions = a.plan.versions_in_force();
    let standing_at = |t: Instant| {
        let i = versions.iter().rposition(|v| v.effective <= t).unwrap_or(0);
        versions[i].terms == Terms::Standing
    };
    for e in outside {
        if e.outcome != Outcome::Excused && e.verdict == Some(VerdictKind::Disputed) {
            out.why.insert(e.id, Why::Held);
            continue;
        }
        match e.outcome {
            Outcome::Kept => {
                if standing_at(e.at)
                    && last_standing_day.replace(local_date(a.zone, e.at)) == Some(local_date(a.zone, e.at))
                {
                    out.unscored.insert(e.id);
                    continue;
                }
                if deadline_dues.iter().any(|d| *d < e.at) {
                    out.late.insert(e.id);
                }
                out.events.push(Event {
                    at: e.at,
                    kind: EventKind::Kept,
                    entry: Some(e.id),
                    slot: None,
                    units: 1,
                    repair: None,
                });
            }
            Outcome::Broken => {
                out.events.push(Event {
                    at: e.at,
                    kind: EventKind::Broken,
                    entry: Some(e.id),
                    slot: None,
                    units: 1,
                    repair: None,
                });
            }
            Outcome::Excused => {}
        }
    }
    repair_events(a, &sorted, &mut out);
    // Ties: a slot's misses come before entries at the same instant; entries
    // at the same instant go in the order they were logged, then by uuid —
    // the same on every device (local ids are not); an accepted repair after
    // them. Entry events were pushed in that order (facts at one instant
    // share a slot, or all fall outside), so a stable sort keeps it.
    out.events.sort_by_key(|e| {
        (e.at, e.kind != EventKind::Missed, e.kind == EventKind::Repair, if e.entry.is_none() { e.slot } else { None })
    });
    out
}

/// Accepted repairs (§10), each one kept-sized step at its acceptance, in
/// order of acceptance (time, then uuid): at most one per broken entry that
/// counts, and per slot at most as many as it has missed units.
fn repair_events(a: &Agreement, entries: &[&Fact], out: &mut Analysis) {
    let mut accepted: Vec<(&crate::domain::voice::Repair, &crate::domain::voice::Acceptance)> =
        a.repairs.iter().filter_map(|r| r.accepted().map(|acc| (r, acc))).collect();
    if accepted.is_empty() {
        return;
    }
    accepted.sort_by(|x, y| (x.1.at, &x.1.uuid).cmp(&(y.1.at, &y.1.uuid)));
    let mut used_entries = HashSet::new();
    let mut used_slots: HashMap<usize, u32> = HashMap::new();
    for (r, acc) in accepted {
        let slot = match (r.entry_id, r.slot_start) {
            (Some(id), _) => {
                let counts =
                    entries.iter().any(|e| e.id == id && e.outcome == Outcome::Broken) && !out.why.contains_key(&id);
                if !counts || !used_entries.insert(id) {
                    continue;
                }
                out.slot_of(id)
            }
            (None, Some(start)) => {
                let Some(i) = out.slots.iter().position(|s| s.slot.start == start && s.closed) else { continue };
                let used = used_slots.entry(i).or_default();
                if *used >= out.slots[i].missed {
                    continue;
                }
                *used += 1;
                Some(i)
            }
            (None, None) => continue,
        };
        out.repairs.insert(r.id);
        out.events.push(Event {
            at: acc.at,
            kind: EventKind::Repair,
            entry: r.entry_id,
            slot,
            units: 1,
            repair: Some(r.id),
        });
    }
}

impl Analysis {
    /// The score after every event at or before `t` — from `base` when
    /// earlier events were folded into it (`t` is then after them).
    pub fn score_at(&self, p: &TrustParams, t: Instant) -> Score {
        let mut s = self.base.unwrap_or(Score::new(p));
        for e in self.events.iter().take_while(|e| e.at <= t) {
            s.apply(e, p);
        }
        s
    }

    /// Scores at each of a sorted list of instants, in one sweep.
    pub fn scores_at_each(&self, p: &TrustParams, times: &[Instant]) -> Vec<Score> {
        scores_from(self.base.unwrap_or(Score::new(p)), &self.events, p, times)
    }

    /// The slot holding an entry, if any.
    pub fn slot_of(&self, entry: i64) -> Option<usize> {
        self.slot_of.iter().find(|(e, _)| *e == entry).map(|(_, i)| *i)
    }
}

fn find_slot(slots: &[SlotTally], t: Instant) -> Option<usize> {
    let n = slots.partition_point(|s| s.slot.start <= t);
    // Windows rarely overlap (a deadline's due instant); look back a little.
    (n.saturating_sub(2)..n).rev().find(|&i| slots[i].slot.holds(t))
}

/// One step of the model.
pub fn step(s: f64, kind: EventKind, p: &TrustParams) -> f64 {
    match kind {
        EventKind::Kept | EventKind::Repair => s + p.gain * (1.0 - s),
        EventKind::Broken | EventKind::Missed => s - p.loss * s,
    }
}

/// An agreement's trust and follow-through after some of its events.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub trust: f64,
    /// Scored kept units, and all scored units (kept + broken + missed).
    pub kept: u32,
    pub total: u32,
}

impl Score {
    pub fn new(p: &TrustParams) -> Score {
        Score { trust: p.start, kept: 0, total: 0 }
    }

    pub fn apply(&mut self, e: &Event, p: &TrustParams) {
        for _ in 0..e.units {
            self.trust = step(self.trust, e.kind, p);
        }
        // Follow-through rates ignore repairs (§10).
        if e.kind == EventKind::Repair {
            return;
        }
        if e.kind == EventKind::Kept {
            self.kept += e.units;
        }
        self.total += e.units;
    }

    pub fn has_events(&self) -> bool {
        self.total > 0
    }

    /// Follow-through rate: delivered / promised over the same events.
    pub fn rate(&self) -> Option<f64> {
        (self.total > 0).then(|| self.kept as f64 / self.total as f64)
    }
}

/// The score after every event at or before `t`.
pub fn score_at(events: &[Event], p: &TrustParams, t: Instant) -> Score {
    let mut s = Score::new(p);
    for e in events.iter().take_while(|e| e.at <= t) {
        s.apply(e, p);
    }
    s
}

/// The mean of the scores of agreements with at least one event, and the
/// follow-through over all their events. None when none has an event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Group {
    pub trust: f64,
    pub rate: Option<f64>,
}

pub fn group(scores: &[Score]) -> Option<Group> {
    let with: Vec<&Score> = scores.iter().filter(|s| s.has_events()).collect();
    if with.is_empty() {
        return None;
    }
    let trust = with.iter().map(|s| s.trust).sum::<f64>() / with.len() as f64;
    let kept: u32 = with.iter().map(|s| s.kept).sum();
    let total: u32 = with.iter().map(|s| s.total).sum();
    Some(Group { trust, rate: (total > 0).then(|| kept as f64 / total as f64) })
}

/// Scores at each of a sorted list of instants, in one sweep.
pub fn scores_at_each(events: &[Event], p: &TrustParams, times: &[Instant]) -> Vec<Score> {
    scores_from(Score::new(p), events, p, times)
}

fn scores_from(mut s: Score, events: &[Event], p: &TrustParams, times: &[Instant]) -> Vec<Score> {
    let mut out = Vec::with_capacity(times.len());
    let mut i = 0;
    for t in times {
        while i < events.len() && events[i].at <= *t {
            s.apply(&events[i], p);
            i += 1;
        }
        out.push(s);
    }
    out
}

/// Over-promising judgement of one agreement (docs/design.md §4).
#[derive(Clone, Debug)]
pub struct Judgement {
    pub terms: Terms,
    pub slots: u32,
    pub promised: u32,
    pub delivered: u32,
    /// Delivered per slot, oldest first, for the plain-words sentence.
    pub per_slot: Vec<u32>,
    /// Excused units per slot, beside `per_slot`: an excused slot is shown
    /// as excused, never as 0.
    pub excused_per_slot: Vec<u32>,
    pub rate: Option<f64>,
    pub overpromised: bool,
    pub suggested: Option<Terms>,
}

/// How many closed slots over-promising looks at unless told (docs/design.md §4).
pub const DEFAULT_SLOTS: usize = 8;

/// Judge the most recent `n` closed slots under the terms in force now; None
/// with fewer than 3.
pub fn judge(a: &Agreement, analysis: &Analysis, now: Instant, n: usize, threshold: f64) -> Option<Judgement> {
    let (current, version) = a.plan.version_at(now);
    // The default window is 8 slots; daily terms are judged on four weeks
    // (28 slots), so one week's luck does not flip the verdict (docs/design.md §4).
    let daily = match version.terms {
        Terms::Quota { period: Period::Day, .. } => true,
        Terms::Schedule(s) => s.natural() == (7, Period::Week),
        _ => false,
    };
    let n = if n == DEFAULT_SLOTS && daily { 28 } else { n };
    let closed: Vec<&SlotTally> = analysis.slots.iter().filter(|s| s.closed && s.slot.version == current).collect();
    if closed.len() < 3 || n < 3 {
        return None;
    }
    let recent = &closed[closed.len().saturating_sub(n)..];
    let promised: u32 = recent.iter().map(|s| s.promised).sum();
    let delivered: u32 = recent.iter().map(|s| s.delivered).sum();
    let rate = (promised > 0).then(|| delivered as f64 / promised as f64);
    let overpromised = rate.is_some_and(|r| r < threshold);
    let suggested = if overpromised { suggest(&version.terms, delivered, promised) } else { None };
    Some(Judgement {
        terms: version.terms,
        slots: recent.len() as u32,
        promised,
        delivered,
        per_slot: recent.iter().map(|s| s.delivered).collect(),
        excused_per_slot: recent.iter().map(|s| s.excused).collect(),
        rate,
        overpromised,
        suggested,
    })
}

/// The most the record shows can be kept: ⌊delivered × N / promised⌋ per the
/// same period, moving to longer periods while that is 0.
pub fn suggest(terms: &Terms, delivered: u32, promised: u32) -> Option<Terms> {
    if delivered == 0 || promised == 0 {
        return None;
    }
    let (mut n, mut period): (u64, Period) = terms.per_period().map(|(n, p)| (n as u64, p))?;
    loop {
        let k = delivered as u64 * n / promised as u64;
        if k >= 1 {
            return Some(Terms::Quota { count: k.min(1000) as u32, period });
        }
        let (longer, factor) = period.longer()?;
        n *= factor as u64;
        period = longer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P: TrustParams = TrustParams { start: 0.5, gain: 0.05, loss: 0.20 };

    #[test]
    fn one_step_each_way() {
        assert!((step(0.5, EventKind::Kept, &P) - 0.525).abs() < 1e-12);
        assert!((step(0.5, EventKind::Broken, &P) - 0.4).abs() < 1e-12);
        assert!((step(0.5, EventKind::Missed, &P) - 0.4).abs() < 1e-12);
    }

    #[test]
    fn eighty_percent_holds_trust_level() {
        // gain·p·(1−s) = loss·(1−p)·s at p = 0.8 gives s = 0.5.
        let (g, l, p) = (P.gain, P.loss, 0.8);
        let s = g * p / (g * p + l * (1.0 - p));
        assert!((s - 0.5).abs() < 1e-12);
    }

    #[test]
    fn the_documents_example_suggests_two_a_month() {
        let t = Terms::Quota { count: 4, period: Period::Month };
        assert_eq!(suggest(&t, 14, 24), Some(Terms::Quota { count: 2, period: Period::Month }));
        // 1/day delivered 2 of 30 → 0/day → 2×7/30 = 0/week → 2×28/30 = 1/month.
        let t = Terms::Quota { count: 1, period: Period::Day };
        assert_eq!(suggest(&t, 2, 30), Some(Terms::Quota { count: 1, period: Period::Month }));
        assert_eq!(suggest(&t, 0, 30), None);
    }

    proptest! {
        #[test]
        fn trust_stays_in_unit_interval(kinds in prop::collection::vec(0u8..3, 0..300), start in 0.0f64..=1.0,
                                        gain in 0.001f64..=1.0, loss in 0.001f64..=1.0) {
            let p = TrustParams { start, gain, loss };
            let mut s = start;
            for k in kinds {
                let kind = [EventKind::Kept, EventKind::Broken, EventKind::Missed][k as usize];
                let next = step(s, kind, &p);
                prop_assert!((0.0..=1.0).contains(&next));
                if kind == EventKind::Kept { prop_assert!(next >= s); } else { prop_assert!(next <= s); }
                s = next;
            }
        }

        #[test]
        fn group_mean_lies_between_its_members(trusts in prop::collection::vec(0.0f64..=1.0, 1..20)) {
            let scores: Vec<Score> = trusts.iter().map(|&t| Score { trust: t, kept: 1, total: 2 }).collect();
            let g = group(&scores).unwrap();
            let lo = trusts.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = trusts.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(g.trust >= lo - 1e-12 && g.trust <= hi + 1e-12);
        }
    }
}
