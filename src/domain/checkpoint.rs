//! Checkpoints of one promise's trust fold, for `list`'s disposable cache
//! (docs/design.md §7, "The list cache").
//!
//! Owns: where a promise's events may be cut — an instant T after which its
//! events follow from its facts at or after T alone — the score of every
//! event up to T, and resuming from there. Pure: the cut is checked against
//! the full fold when it is made, and a property test checks every resume.

use crate::domain::settings::TrustParams;
use crate::domain::terms::Terms;
use crate::domain::time::{Instant, day_start, local_date};
use crate::domain::trust::{self, Analysis, Event, Score};
use crate::domain::{Agreement, Fact};

/// The score after every event at or before `at`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Checkpoint {
    pub at: Instant,
    pub score: Score,
}

/// Can `a`'s fold be cut at all? A deadline's `done` needs its whole slot
/// history and is cheap to recompute; a void promise shows no score.
pub fn cuttable(a: &Agreement) -> bool {
    !a.is_void() && !a.plan.versions_in_force().iter().any(|v| matches!(v.terms, Terms::Deadline { .. }))
}

/// The latest safe cut of `a`'s fold at or before `now`, given its full
/// analysis at `now` and its (non-void) facts. T must:
/// - be a slot boundary no slot straddles, so every slot ending after T
///   holds only facts at or after T (a slot's kept count caps what scores);
/// - be the start of a local day, so "one kept a day" on standing terms
///   never looks back across T;
/// - follow every accepted repair, whose counting looks at older slots.
///
/// Every slot ending at or before T is closed at `now`, so the events up to
/// T change only with a new fact — which the cache's watermarks catch.
/// Checked here against the full fold; None when no cut passes.
pub fn cut(a: &Agreement, full: &Analysis, facts: &[Fact], p: &TrustParams, now: Instant) -> Option<Checkpoint> {
    if !cuttable(a) {
        return None;
    }
    let accepted = a.repairs.iter().flat_map(|r| r.acceptances.iter().map(|x| x.at)).max();
    let straddled = |t: Instant| full.slots.iter().any(|s| s.slot.start < t && t < s.slot.end);
    let mut candidates: Vec<Instant> = full
        .slots
        .iter()
        .flat_map(|s| [s.slot.start, s.slot.end])
        .chain([day_start(a.zone, local_date(a.zone, now))])
        .filter(|t| *t <= now)
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let at = candidates
        .into_iter()
        .rev()
        .find(|&t| !straddled(t) && day_start(a.zone, local_date(a.zone, t)) == t && accepted.is_none_or(|x| x <= t))?;
    let checkpoint = Checkpoint { at, score: trust::score_at(&full.events, p, at) };
    let since: Vec<Fact> = facts.iter().filter(|f| f.at >= at).cloned().collect();
    let window = window(a, &since, at, now);
    let after = |events: &[Event]| -> Vec<_> {
        events.iter().filter(|e| e.at > at).map(|e| (e.at, e.kind, e.entry, e.units, e.repair)).collect()
    };
    let same = after(&full.events) == after(&window.events)
        && same_score(resume(&checkpoint, &window, p, now), trust::score_at(&full.events, p, now));
    same.then_some(checkpoint)
}

/// The analysis from a checkpoint on: the slots ending after `at` and the
/// facts at or after it.
pub fn window(a: &Agreement, since: &[Fact], at: Instant, now: Instant) -> Analysis {
    trust::analyze_window(a, since, now, at, now)
}

/// The score at `now`: the checkpoint's, then each event after it.
pub fn resume(c: &Checkpoint, window: &Analysis, p: &TrustParams, now: Instant) -> Score {
    let mut s = c.score;
    for e in window.events.iter().filter(|e| e.at > c.at).take_while(|e| e.at <= now) {
        s.apply(e, p);
    }
    s
}

/// Equal to the bit: the cache must never change a number.
pub fn same_score(x: Score, y: Score) -> bool {
    x.trust.to_bits() == y.trust.to_bits() && x.kept == y.kept && x.total == y.total
}
