//! Over-promising (docs/design.md §4): judging the recent closed slots of one
//! promise and suggesting terms its record supports.

use super::{Analysis, SlotTally};
use crate::domain::Agreement;
use crate::domain::terms::{Period, Terms};
use crate::domain::time::Instant;

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
/// `n` is the window asked for (`--slots`); `None` is the default: 8 slots, 28
/// for daily terms.
pub fn judge(a: &Agreement, analysis: &Analysis, now: Instant, n: Option<usize>, threshold: f64) -> Option<Judgement> {
    let (current, version) = a.plan.version_at(now);
    // The default window is 8 slots; daily terms are judged on four weeks
    // (28 slots), so one week's luck does not flip the verdict (docs/design.md §4).
    let daily = match version.terms {
        Terms::Quota { period: Period::Day, .. } => true,
        Terms::Schedule(s) => s.natural() == (7, Period::Week),
        _ => false,
    };
    let n = n.unwrap_or(if daily { 28 } else { DEFAULT_SLOTS });
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
