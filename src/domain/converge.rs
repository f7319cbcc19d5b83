//! The same facts give the same screens (DESIGN.md §9) — pure, no I/O.
//!
//! Two devices hold the same facts in whatever order they arrived; every rule
//! here decides by time, then uuid, never by arrival order or local ids. Owns
//! the slugs people see (two promises made with one slug on two devices) and
//! the reasons an entry counts for nothing that come from the facts
//! themselves (its void, its promise's void or retirement) — the trust engine
//! leaves such entries out through `excluded`, and the entries JSON gets its
//! `counts`/`why` from `voice::counts_why`, which asks `why` here first and
//! then adds the verdict-based reasons (§10): one decision, one place.

use crate::domain::time::Instant;
use crate::domain::{Agreement, Entry};
use std::collections::{BTreeMap, HashSet};

/// Why an entry counts for nothing (`"why"` in the JSON of an entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// The entry itself was voided.
    Void,
    /// Its promise was voided as entered by mistake: none of it counts.
    PromiseVoid,
    /// Logged for a time at or after its promise's retirement took effect
    /// (the retirement was made on the other device, before this arrived).
    AfterRetirement,
}

impl Why {
    pub fn name(self) -> &'static str {
        match self {
            Why::Void => "void",
            Why::PromiseVoid => "promise void",
            Why::AfterRetirement => "after retirement",
        }
    }

    /// A few words for the screens (`log`, `show`).
    pub fn words(self) -> &'static str {
        match self {
            Why::Void => "void",
            Why::PromiseVoid => "counts for nothing: the promise was voided",
            Why::AfterRetirement => "counts for nothing: logged after the promise was retired",
        }
    }
}

/// Why an entry counts for nothing, or None when it counts.
pub fn why(e: &Entry, a: &Agreement) -> Option<Why> {
    if e.void.is_some() {
        return Some(Why::Void);
    }
    excluded(a, a.plan.retired_from(), e.at)
}

/// The reasons that come from the promise rather than the entry, for an
/// entry at `at`; `retired` is `a.plan.retired_from()` (asked once by
/// callers that go through many entries).
pub fn excluded(a: &Agreement, retired: Option<Instant>, at: Instant) -> Option<Why> {
    if a.is_void() {
        return Some(Why::PromiseVoid);
    }
    if retired.is_some_and(|r| r <= at) {
        return Some(Why::AfterRetirement);
    }
    None
}

/// The slugs people see. A slug is unique among live promises (neither
/// voided nor retired at `now`); where two live promises share one — each
/// device made its own — the one made first (created time, then uuid) keeps
/// it and the others show as `slug-2`, `slug-3`, … (a number no live promise
/// uses as its own slug; shortened to stay within 40 characters),
/// identically on every device. Promises that are not
/// live keep the slug they were made with. Stored slugs never change; this is
/// applied to what is read.
pub fn display_slugs(agreements: &mut [Agreement], now: Instant) {
    let live: Vec<bool> = agreements.iter().map(|a| a.is_live(now)).collect();
    let mut taken: HashSet<String> =
        agreements.iter().zip(&live).filter(|(_, l)| **l).map(|(a, _)| a.slug.clone()).collect();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in agreements.iter().enumerate() {
        if live[i] {
            groups.entry(a.slug.clone()).or_default().push(i);
        }
    }
    for (slug, mut members) in groups {
        if members.len() < 2 {
            continue;
        }
        members.sort_by(|&x, &y| {
            let (a, b) = (&agreements[x], &agreements[y]);
            (a.created_at, &a.uuid).cmp(&(b.created_at, &b.uuid))
        });
        let mut n = 2;
        for &i in &members[1..] {
            while taken.contains(&numbered(&slug, n)) {
                n += 1;
            }
            let shown = numbered(&slug, n);
            taken.insert(shown.clone());
            agreements[i].slug = shown;
        }
    }
}

/// `slug-n`, shortened where needed so that it is still a slug (≤ 40 characters).
pub fn numbered(slug: &str, n: u32) -> String {
    let suffix = format!("-{n}");
    let keep = 40usize.saturating_sub(suffix.len());
    let base: String = slug.chars().take(keep).collect();
    format!("{}{suffix}", base.trim_end_matches('-'))
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn a_numbered_slug_is_still_a_slug() {
        assert_eq!(numbered("date-night", 2), "date-night-2");
        let long = "a".repeat(40);
        assert_eq!(numbered(&long, 2), format!("{}-2", "a".repeat(38)));
        assert_eq!(numbered(&format!("{}-b", "a".repeat(37)), 10), format!("{}-10", "a".repeat(37)));
    }
}
