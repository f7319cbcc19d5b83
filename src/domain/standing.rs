//! Where a promise stands now, beyond its trust: the change not yet in force
//! (terms or status), and whether a deadline is done (docs/design.md §2).

use crate::domain::Agreement;
use crate::domain::slots::Status;
use crate::domain::terms::Terms;
use crate::domain::time::Instant;
use crate::domain::trust::Analysis;

/// A deadline whose slot has closed is done (docs/design.md §2): "kept", "kept
/// late" or "missed"; None for anything else.
pub fn done(a: &Agreement, analysis: Option<&Analysis>, now: Instant) -> Option<&'static str> {
    let (_, version) = a.plan.version_at(now);
    let Terms::Deadline { .. } = version.terms else { return None };
    let analysis = analysis?;
    let slot = analysis.slots.iter().rev().find(|s| matches!(s.slot.terms, Terms::Deadline { .. }))?;
    // Done when its slot closes (at the due time), even if kept before: until
    // then the slot is open and shows its progress, "1 of 1 kept".
    if !slot.closed {
        return None;
    }
    let kept = slot.kept >= slot.promised.max(1);
    Some(if kept || slot.delivered > 0 {
        "kept"
    } else if !analysis.late.is_empty() {
        "kept late"
    } else if slot.promised == 0 && slot.excused > 0 {
        // Released by agreement before it was due: nothing was missed.
        "excused"
    } else {
        "missed"
    })
}

/// The change not yet in effect, if any: new terms, a new status, or both,
/// and from when.
pub fn pending(a: &Agreement, now: Instant) -> Option<(Option<Terms>, Option<Status>, Instant)> {
    let (_, current) = a.plan.version_at(now);
    let v = a.plan.versions_in_force().into_iter().find(|v| v.effective > now);
    // A change that changes nothing is no change ahead: a pause withdrawn by
    // a resume before it took effect leaves the promise simply active.
    let v = v.filter(|v| v.terms != current.terms || v.unit != current.unit);
    let in_force = a.plan.status_at(now);
    // Retirement is final: an amend agreed for later never takes effect.
    if in_force == Status::Retired {
        return None;
    }
    let s = a.plan.statuses_in_force().into_iter().find(|s| s.effective > now).filter(|s| s.status != in_force);
    match (v, s) {
        (None, None) => None,
        (Some(v), None) => Some((Some(v.terms), None, v.effective)),
        (None, Some(s)) => Some((None, Some(s.status), s.effective)),
        // Terms agreed for after a retirement never apply: the retirement is what is ahead.
        (Some(v), Some(s)) if s.status == Status::Retired && s.effective < v.effective => {
            Some((None, Some(s.status), s.effective))
        }
        (Some(v), Some(s)) if v.effective == s.effective => Some((Some(v.terms), Some(s.status), v.effective)),
        (Some(v), Some(s)) if v.effective < s.effective => Some((Some(v.terms), None, v.effective)),
        (Some(_), Some(s)) => Some((None, Some(s.status), s.effective)),
    }
}
