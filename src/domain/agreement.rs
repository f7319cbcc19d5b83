//! Agreements and entries: the facts the rules work on, as plain values.
//! Where they are stored is `ledger`'s business; what they mean is here.

use crate::domain::slots::Plan;
use crate::domain::time::{Instant, Span};
use chrono_tz::Tz;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Kept,
    Broken,
    Excused,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Kept => "kept",
            Outcome::Broken => "broken",
            Outcome::Excused => "excused",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "kept" => Outcome::Kept,
            "broken" => Outcome::Broken,
            "excused" => Outcome::Excused,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Void {
    pub reason: Option<String>,
    pub at: Instant,
}

#[derive(Clone, Debug)]
pub struct Agreement {
    pub id: i64,
    pub uuid: String,
    pub slug: String,
    pub text: String,
    pub by: String,
    pub to: String,
    pub zone: Tz,
    pub starts: Instant,
    pub ends: Option<Instant>,
    pub remind: Option<Span>,
    /// The lead as the user typed it (`1w`, `90m`), shown back as typed.
    pub remind_text: Option<String>,
    pub created_at: Instant,
    pub void: Option<Void>,
    pub plan: Plan,
    /// Repairs offered on this promise, with their acceptances (§10).
    pub repairs: Vec<super::voice::Repair>,
}

impl Agreement {
    pub fn is_void(&self) -> bool {
        self.void.is_some()
    }

    /// Retired, with retirement already in effect at `now`.
    pub fn retired_at(&self, now: Instant) -> bool {
        self.plan.retired_from().is_some_and(|r| r <= now)
    }

    /// Live: neither voided nor retired (a slug is unique among these).
    pub fn is_live(&self, now: Instant) -> bool {
        !self.is_void() && !self.retired_at(now)
    }
}

/// What the engine needs of an entry: who, what, when. Void entries are
/// never facts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fact {
    pub id: i64,
    pub agreement_id: i64,
    pub outcome: Outcome,
    pub at: Instant,
    /// When it was logged: an excuse logged after its slot was due is late;
    /// entries at the same instant go in logged order, then uuid (DESIGN.md
    /// §3, §9) — never by local id, which differs between devices.
    pub logged_at: Instant,
    pub uuid: u128,
    /// The verdict that decides it (§10), if anyone gave one.
    pub verdict: Option<super::voice::VerdictKind>,
}

impl Fact {
    /// The order of entries everywhere: time, logged time, uuid.
    pub fn order(&self) -> (Instant, Instant, u128) {
        (self.at, self.logged_at, self.uuid)
    }
}

/// A uuid as a number that sorts as its text does.
pub fn uuid_key(s: &str) -> u128 {
    uuid::Uuid::parse_str(s).map(|u| u.as_u128()).unwrap_or(0)
}

impl From<&Entry> for Fact {
    fn from(e: &Entry) -> Fact {
        Fact {
            id: e.id,
            agreement_id: e.agreement_id,
            outcome: e.outcome,
            at: e.at,
            logged_at: e.logged_at,
            uuid: uuid_key(&e.uuid),
            verdict: super::voice::deciding(&e.verdicts).map(|v| v.kind),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i64,
    pub uuid: String,
    pub agreement_id: i64,
    pub outcome: Outcome,
    pub at: Instant,
    pub note: Option<String>,
    pub logged_by: String,
    pub logged_at: Instant,
    /// The earliest of its voids, if any (DESIGN.md §9: voided on two
    /// devices, it is void from the earlier one).
    pub void: Option<Void>,
    /// The device it was logged on (uuid).
    pub device: String,
    /// Every verdict given on it (§10); `voice::deciding` picks the one that counts.
    pub verdicts: Vec<super::voice::Verdict>,
}
