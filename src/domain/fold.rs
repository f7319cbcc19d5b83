//! What a summary keeps of one promise once it is analysed, so that ten
//! years of slots and events are never all held at once.
//!
//! Owns: folding a promise's early trust events into one score, dropping the
//! slots and facts a summary will not look at, and renumbering what refers to
//! slots. The figures asked of what is kept are the same, to the bit, as those
//! of the whole analysis (the events are folded in the same order through the
//! same steps; see the tests here and `engine_tests`).

use crate::domain::report::Item;
use crate::domain::settings::TrustParams;
use crate::domain::time::Instant;
use crate::domain::trust::Score;

/// What a summary will ask of a promise after it is analysed.
#[derive(Clone, Copy, Debug)]
pub struct Keep {
    /// Trust is asked only at this instant or later: earlier events fold into
    /// one score.
    pub trust_from: Instant,
    /// Slots are looked at only when they end after this instant (an event
    /// kept from an earlier slot then names no slot)…
    pub slots_from: Instant,
    /// …and the last `judged` closed ones (over-promising, docs/design.md §4).
    pub judged: usize,
    /// Facts are looked at only when their `at` is after this instant.
    pub facts_from: Instant,
}

impl Keep {
    /// Everything at or after `t` (trust, slots, facts), and the closed
    /// slots over-promising judges by default.
    pub fn from(t: Instant) -> Keep {
        Keep { trust_from: t, slots_from: t, judged: 28, facts_from: t }
    }
}

impl<'a> Item<'a> {
    /// This item with only what `keep` says a summary will ask of it.
    pub fn compact(mut self, keep: &Keep, p: &TrustParams) -> Item<'a> {
        let an = &mut self.analysis;
        // Events in order: the prefix at or before `trust_from` becomes a score.
        let folded = an.events.partition_point(|e| e.at <= keep.trust_from);
        if folded > 0 {
            let mut base = an.base.unwrap_or(Score::new(p));
            for e in &an.events[..folded] {
                base.apply(e, p);
            }
            an.base = Some(base);
            an.events = an.events.split_off(folded);
        }
        // The slots kept are a suffix: those ending after `slots_from`, and
        // the last `judged` closed ones (the current terms' closed slots are
        // the latest closed ones, so over-promising sees the same).
        let ending = an.slots.iter().position(|s| s.slot.end > keep.slots_from).unwrap_or(an.slots.len());
        let closed: Vec<usize> = an.slots.iter().enumerate().filter(|(_, s)| s.closed).map(|(i, _)| i).collect();
        let judged = closed.len().checked_sub(keep.judged.max(1)).map_or(0, |k| closed[k]);
        let first = ending.min(judged);
        if first > 0 {
            an.slots = an.slots.split_off(first);
            for e in &mut an.events {
                e.slot = e.slot.and_then(|i| i.checked_sub(first));
            }
            an.slot_of.retain(|(_, i)| *i >= first);
            for (_, i) in &mut an.slot_of {
                *i -= first;
            }
        }
        // What is kept moves to allocations of its own and the ten years'
        // buffers are freed whole (`split_off` above): shrunk in place, their
        // freed tails left the heap fragmented (the report peaked 3 MiB higher).
        self.entries = self.entries.iter().filter(|f| f.at > keep.facts_from).cloned().collect();
        self.entries.shrink_to_fit();
        an.events.shrink_to_fit();
        an.slots.shrink_to_fit();
        an.slot_of.shrink_to_fit();
        self
    }
}
