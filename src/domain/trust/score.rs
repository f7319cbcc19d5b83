//! Scoring (docs/design.md §3): one step per event, an agreement's score at
//! any instant, and a group's mean over the agreements with an event.

use super::{Event, EventKind};
use crate::domain::settings::TrustParams;
use crate::domain::time::Instant;

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

pub(super) fn scores_from(mut s: Score, events: &[Event], p: &TrustParams, times: &[Instant]) -> Vec<Score> {
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
