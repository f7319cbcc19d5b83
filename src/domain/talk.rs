//! "To talk about" for a week (docs/design.md §10): disputes still open, late
//! excuses still waiting, repairs offered or accepted — as data.

use crate::domain::time::Instant;
use crate::domain::trust::Analysis;
use crate::domain::voice::{Repair, VerdictKind, deciding};
use crate::domain::{Agreement, Entry};
use std::collections::HashMap;

/// One thing the weekly report suggests talking about (§10).
pub struct Talk<'a> {
    pub kind: &'static str,
    pub agreement: &'a Agreement,
    pub entry: Option<&'a Entry>,
    pub repair: Option<&'a Repair>,
}

/// "To talk about" for the week (start, end]: disputes open at its end, late
/// excuses still waiting then, repairs offered in it (and not accepted by its
/// end) and repairs accepted in it.
pub fn talk<'a>(
    agreements: &'a [Agreement],
    entries: &'a [Entry],
    analyses: &HashMap<i64, &Analysis>,
    start: Instant,
    end: Instant,
    by: Option<&str>,
) -> Vec<Talk<'a>> {
    let by_id: HashMap<i64, &Agreement> =
        agreements.iter().filter(|a| !a.is_void() && by.is_none_or(|b| a.by == b)).map(|a| (a.id, a)).collect();
    let mut out: Vec<(Instant, String, Talk)> = Vec::new();
    for e in entries {
        let Some(x) = by_id.get(&e.agreement_id).copied() else { continue };
        if e.logged_at > end || e.void.as_ref().is_some_and(|v| v.at <= end) {
            continue;
        }
        let said: Vec<crate::domain::voice::Verdict> = e.verdicts.iter().filter(|v| v.at <= end).cloned().collect();
        let decided = deciding(&said);
        if let Some(v) = decided.filter(|v| v.kind == VerdictKind::Disputed) {
            out.push((v.at, v.uuid.clone(), Talk { kind: "dispute", agreement: x, entry: Some(e), repair: None }));
        } else if decided.is_none() && analyses.get(&x.id).is_some_and(|an| an.late_excuses.contains(&e.id)) {
            out.push((
                e.logged_at,
                e.uuid.clone(),
                Talk { kind: "late_excuse", agreement: x, entry: Some(e), repair: None },
            ));
        }
    }
    for x in by_id.values() {
        for r in &x.repairs {
            let accepted = r.accepted();
            // Of two repairs of one broken entry accepted on two devices,
            // only the one that counts was "accepted" (§10: at most one).
            let counted = analyses.get(&x.id).is_none_or(|an| an.repairs.contains(&r.id));
            if let Some(a) = accepted.filter(|a| start < a.at && a.at <= end && counted) {
                out.push((
                    a.at,
                    a.uuid.clone(),
                    Talk { kind: "repair_accepted", agreement: x, entry: None, repair: Some(r) },
                ));
            } else if start < r.at && r.at <= end && accepted.is_none_or(|a| a.at > end) {
                out.push((
                    r.at,
                    r.uuid.clone(),
                    Talk { kind: "repair_offered", agreement: x, entry: None, repair: Some(r) },
                ));
            }
        }
    }
    out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    out.into_iter().map(|(_, _, t)| t).collect()
}
