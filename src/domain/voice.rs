//! The partner's voice as rules, docs/design.md §10 — pure, no I/O.
//!
//! Owns the facts of §10 (verdicts on entries, repairs, acceptances), which
//! verdict decides an entry when several people gave one, which acceptance of
//! a repair is the one that counts, who the other party of an entry is, why
//! an entry counts for nothing (one function for `counts`/`why` everywhere),
//! and the gentle check of an apology. The engine (`trust`) applies them.

use crate::domain::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictKind {
    Confirmed,
    Disputed,
}

impl VerdictKind {
    pub fn name(self) -> &'static str {
        match self {
            VerdictKind::Confirmed => "confirmed",
            VerdictKind::Disputed => "disputed",
        }
    }

    pub fn parse(s: &str) -> Option<VerdictKind> {
        match s {
            "confirmed" => Some(VerdictKind::Confirmed),
            "disputed" => Some(VerdictKind::Disputed),
            _ => None,
        }
    }
}

/// One person's word on one entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub id: i64,
    pub uuid: String,
    pub entry_id: i64,
    pub kind: VerdictKind,
    pub by: String,
    pub note: Option<String>,
    pub at: Instant,
    pub device: Option<String>,
}

/// Each person's latest verdict (time, then uuid) — a later one replaces an
/// earlier one, so `confirm` withdraws a dispute.
pub fn latest_by<'a>(verdicts: &'a [Verdict], person: &str) -> Option<&'a Verdict> {
    verdicts.iter().filter(|v| v.by == person).max_by(|a, b| (a.at, &a.uuid).cmp(&(b.at, &b.uuid)))
}

/// The verdict that decides an entry: among each person's latest, a dispute
/// (anyone's still open dispute holds the entry), else a confirmation. The
/// latest of those wins, so every device picks the same one.
pub fn deciding(verdicts: &[Verdict]) -> Option<&Verdict> {
    let mut people: Vec<&str> = verdicts.iter().map(|v| v.by.as_str()).collect();
    people.sort_unstable();
    people.dedup();
    let latest: Vec<&Verdict> = people.iter().filter_map(|p| latest_by(verdicts, p)).collect();
    let pick = |kind: VerdictKind| {
        latest.iter().copied().filter(|v| v.kind == kind).max_by(|a, b| (a.at, &a.uuid).cmp(&(b.at, &b.uuid)))
    };
    pick(VerdictKind::Disputed).or_else(|| pick(VerdictKind::Confirmed))
}

/// The other party of an entry: the party of the promise who did not log it;
/// both, when someone else logged it (§10).
pub fn other_parties<'a>(by: &'a str, to: &'a str, logged_by: &str) -> Vec<&'a str> {
    if logged_by == by {
        vec![to]
    } else if logged_by == to {
        vec![by]
    } else {
        vec![by, to]
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Acceptance {
    pub id: i64,
    pub uuid: String,
    pub repair_id: i64,
    pub by: String,
    pub note: Option<String>,
    pub at: Instant,
    pub device: Option<String>,
}

/// A repair offered after a broken entry (`entry_id`) or a missed unit of the
/// slot starting at `slot_start`.
#[derive(Clone, Debug, PartialEq)]
pub struct Repair {
    pub id: i64,
    pub uuid: String,
    pub agreement_id: i64,
    pub entry_id: Option<i64>,
    pub slot_start: Option<Instant>,
    pub by: String,
    pub understood: String,
    pub feeling: Option<String>,
    pub apology: String,
    pub plan: Option<String>,
    pub at: Instant,
    pub device: Option<String>,
    /// Every acceptance recorded (two devices may each have made one).
    pub acceptances: Vec<Acceptance>,
}

impl Repair {
    /// The acceptance that counts: the earliest (time, then uuid).
    pub fn accepted(&self) -> Option<&Acceptance> {
        self.acceptances.iter().min_by(|a, b| (a.at, &a.uuid).cmp(&(b.at, &b.uuid)))
    }
}

/// Why an entry counts for nothing, in the words of the entries JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// A kept or broken entry the other party disputes: held.
    Held,
    /// An excuse the other party disputes: the unit is promised again.
    DisputedExcuse,
    /// An excuse logged after its slot was due, not yet confirmed.
    LateExcuse,
}

impl Why {
    pub fn name(self) -> &'static str {
        match self {
            Why::Held | Why::DisputedExcuse => "disputed",
            Why::LateExcuse => "late excuse not confirmed",
        }
    }
}

/// Whether an entry counts, and why not: the one place `counts`/`why` are
/// decided. First what `converge::why` finds of the entry and its promise —
/// void, a void promise, after retirement (§9): such an entry counts for
/// nothing whatever else — then what the engine found of its verdict (§10).
pub fn counts_why(facts: Option<super::converge::Why>, engine: Option<Why>) -> (bool, Option<&'static str>) {
    if let Some(w) = facts {
        return (false, Some(w.name()));
    }
    match engine {
        Some(w) => (false, Some(w.name())),
        None => (true, None),
    }
}

/// Words that turn an apology into an explanation (§10); the apology is
/// still recorded, with a gentle hint.
pub fn explains(apology: &str) -> Option<&'static str> {
    let lower = format!(" {} ", apology.to_lowercase());
    let words: String = lower.chars().map(|c| if c.is_alphanumeric() || c == '\'' { c } else { ' ' }).collect();
    let padded = format!(" {} ", words.split_whitespace().collect::<Vec<_>>().join(" "));
    ["but", "because", "if you", "i was just"].into_iter().find(|w| padded.contains(&format!(" {w} ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(by: &str, kind: VerdictKind, at: i64, uuid: &str) -> Verdict {
        Verdict {
            id: at,
            uuid: uuid.into(),
            entry_id: 1,
            kind,
            by: by.into(),
            note: None,
            at: chrono::DateTime::from_timestamp(at, 0).unwrap(),
            device: None,
        }
    }

    #[test]
    fn a_later_verdict_by_the_same_person_replaces_the_earlier() {
        let d = v("Sam", VerdictKind::Disputed, 10, "a");
        let c = v("Sam", VerdictKind::Confirmed, 20, "b");
        assert_eq!(deciding(&[d.clone(), c.clone()]).map(|x| x.kind), Some(VerdictKind::Confirmed));
        assert_eq!(
            deciding(&[c, d.clone(), v("Sam", VerdictKind::Disputed, 30, "c")]).map(|x| x.kind),
            Some(VerdictKind::Disputed)
        );
        // Same time: the uuid decides, whatever the order they arrived in.
        let x = v("Sam", VerdictKind::Confirmed, 10, "b");
        assert_eq!(deciding(&[d.clone(), x.clone()]).map(|x| x.kind), Some(VerdictKind::Confirmed));
        assert_eq!(deciding(&[x, d]).map(|x| x.kind), Some(VerdictKind::Confirmed));
    }

    #[test]
    fn anyones_open_dispute_holds() {
        let a = v("Alex", VerdictKind::Disputed, 10, "a");
        let s = v("Sam", VerdictKind::Confirmed, 20, "b");
        assert_eq!(deciding(&[a, s]).map(|x| x.by.as_str()), Some("Alex"));
        assert!(deciding(&[]).is_none());
    }

    #[test]
    fn apologies_that_explain() {
        assert_eq!(explains("I'm sorry, but work was busy"), Some("but"));
        assert_eq!(explains("Sorry. Because of traffic."), Some("because"));
        assert_eq!(explains("sorry if you felt that way"), Some("if you"));
        assert_eq!(explains("I was just tired"), Some("i was just"));
        assert_eq!(explains("I'm sorry I left you waiting"), None);
        assert_eq!(explains("Butterflies; I'm sorry"), None);
    }

    #[test]
    fn other_party() {
        assert_eq!(other_parties("Alex", "Sam", "Alex"), vec!["Sam"]);
        assert_eq!(other_parties("Alex", "Sam", "Sam"), vec!["Alex"]);
        assert_eq!(other_parties("Alex", "Sam", "Kim"), vec!["Alex", "Sam"]);
    }
}
