//! The trust model, over-promising and the trend — pure functions of
//! (agreements, entries, now), docs/design.md §2–§4.
//!
//! Owns: tallying each slot (kept, broken, excused, promised, delivered, extra,
//! missed), turning entries and misses into trust events in their exact order,
//! scoring them, and the judgements built on that. Nothing is stored: every
//! figure is recomputed from the append-only facts.

use crate::domain::settings::TrustParams;
use crate::domain::slots::Slot;
use crate::domain::terms::Terms;
use crate::domain::time::{Instant, local_date};
use crate::domain::voice::{VerdictKind, Why};
use crate::domain::{Agreement, Fact, Outcome};
use std::collections::{HashMap, HashSet};

mod judge;
mod score;

pub use judge::{DEFAULT_SLOTS, Judgement, judge, suggest};
use score::scores_from;
pub use score::{Group, Score, group, score_at, scores_at_each, step};

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
    // Each slot tallied as it is walked, not listed first and copied.
    let mut slots: Vec<SlotTally> = Vec::new();
    a.plan.each_slot_between(from, horizon.max(now), &mut |slot| slots.push(SlotTally::new(slot, now)));
    // Entries that count for nothing (after retirement, on a void promise)
    // are left out here, the one place every figure comes through.
    let retired = a.plan.retired_from();
    let mut sorted: Vec<&Fact> =
        entries.iter().filter(|e| crate::domain::converge::excluded(a, retired, e.at).is_none()).collect();
    sorted.sort_by_key(|e| e.order());
    let mut out = Analysis { slots, ..Analysis::default() };
    // Each fact with its slot, in fact order; then grouped by slot (a stable
    // sort: facts keep their order within a slot, and in time order the
    // groups are already in slot order, so this is one pass). One list, not
    // a list per slot: ten years of daily slots are thousands of them.
    let mut in_slot: Vec<(usize, &Fact)> = Vec::with_capacity(sorted.len());
    let mut outside: Vec<&Fact> = Vec::new();
    // Facts come in time order: the slots begun by each one's time only
    // grow, so one cursor walks them instead of a search per fact.
    let mut begun = 0;
    for e in &sorted {
        while begun < out.slots.len() && out.slots[begun].slot.start <= e.at {
            begun += 1;
        }
        match find_slot(&out.slots[..begun], e.at) {
            Some(i) => {
                out.slot_of.push((e.id, i));
                in_slot.push((i, e));
            }
            None => outside.push(e),
        }
    }
    in_slot.sort_by_key(|(i, _)| *i);
    let mut facts: Vec<&Fact> = Vec::new();
    let mut next = in_slot.iter().peekable();
    for i in 0..out.slots.len() {
        facts.clear();
        while let Some((_, e)) = next.next_if(|(j, _)| *j == i) {
            facts.push(e);
        }
        tally_slot(&mut out, i, &facts);
    }
    outside_events(a, &mut out, &outside);
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

impl SlotTally {
    fn new(slot: Slot, now: Instant) -> SlotTally {
        SlotTally {
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
        }
    }
}

/// An entry's trust event.
fn entry_event(e: &Fact, kind: EventKind, slot: Option<usize>) -> Event {
    Event { at: e.at, kind, entry: Some(e.id), slot, units: 1, repair: None }
}

/// Slot `i`'s tally (docs/design.md §2) from its facts, in order, and its
/// events (§3): kept up to the promised units, each broken, the missed units
/// at its end once closed.
fn tally_slot(out: &mut Analysis, i: usize, facts: &[&Fact]) {
    let (units, due) = (out.slots[i].slot.units, out.slots[i].slot.due);
    // §10: a disputed excuse, or a late one not yet confirmed, is as if
    // it were not there; a disputed kept or broken entry is held — its
    // unit set aside like an excuse, counting for nothing.
    let counts = |e: &Fact| e.outcome != Outcome::Excused && e.verdict != Some(VerdictKind::Disputed);
    let (mut excused, mut held) = (0u32, 0u32);
    for e in facts {
        match (e.outcome, e.verdict) {
            (Outcome::Excused, v) => {
                let late = e.logged_at > due;
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
            _ => {}
        }
    }
    let excused = excused.min(units);
    // A held entry sets aside the unit it was logged for — none where the
    // entries that count already account for every unit (it was an extra:
    // both partners logged the date night and one log is disputed).
    let accounted = facts.iter().filter(|e| counts(e)).count() as u32;
    let held = held.min((units - excused).saturating_sub(accounted));
    let promised = units - excused - held;
    let (mut kept, mut broken) = (0u32, 0u32);
    // The facts that count, read again rather than copied (a slot's few).
    for e in facts.iter().copied().filter(|e| counts(e)) {
        match e.outcome {
            Outcome::Kept => {
                kept += 1;
                if kept <= promised {
                    out.events.push(entry_event(e, EventKind::Kept, Some(i)));
                } else {
                    out.unscored.insert(e.id);
                }
            }
            Outcome::Broken => {
                broken += 1;
                out.events.push(entry_event(e, EventKind::Broken, Some(i)));
            }
            Outcome::Excused => {}
        }
    }
    let t = &mut out.slots[i];
    (t.excused, t.held, t.promised, t.kept, t.broken) = (excused, held, promised, kept, broken);
    t.delivered = kept.min(promised);
    t.extra = kept - t.delivered;
    t.remaining = promised.saturating_sub(kept + broken);
    if t.closed {
        t.missed = t.remaining;
        if t.missed > 0 {
            let missed = Event {
                at: t.slot.end,
                kind: EventKind::Missed,
                entry: None,
                slot: Some(i),
                units: t.missed,
                repair: None,
            };
            out.events.push(missed);
        }
    }
}

/// Facts outside every slot: a standing promise's entries (at most one kept
/// a day is scored), and a deadline's kept after its due time (late).
fn outside_events(a: &Agreement, out: &mut Analysis, outside: &[&Fact]) {
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
                out.events.push(entry_event(e, EventKind::Kept, None));
            }
            Outcome::Broken => out.events.push(entry_event(e, EventKind::Broken, None)),
            Outcome::Excused => {}
        }
    }
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

/// The slot holding `t`, among `begun`: the slots that start at or before it.
fn find_slot(begun: &[SlotTally], t: Instant) -> Option<usize> {
    let (slots, n) = (begun, begun.len());
    // Windows rarely overlap (a deadline's due instant); look back a little.
    (n.saturating_sub(2)..n).rev().find(|&i| slots[i].slot.holds(t))
}

#[cfg(test)]
mod tests;
