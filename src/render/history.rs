//! One promise's whole history as `show` prints it (docs/design.md §7): every
//! version of its terms with the note it was amended with, every pause,
//! resume and retirement, the events behind its trust (each with the trust
//! before and after), excuses, entries that count for nothing and voids — one
//! time-ordered list, so nothing that happened to a promise is out of sight.
//! `show` prints the most recent part and says how many earlier rows there
//! are; `show --all` prints every one.

use crate::domain::slots::Status;
use crate::domain::terms::{Period, Terms};
use crate::domain::time::Instant;
use crate::domain::trust::{Analysis, Event, EventKind};
use crate::domain::{Agreement, Entry, Outcome};
use crate::render::{trust2, words};
use chrono::Datelike;
use std::collections::{HashMap, HashSet};

/// One line of the history: when, what, and how trust moved (empty when it
/// did not).
pub struct Row {
    pub at: Instant,
    pub when: String,
    pub what: String,
    pub trust: String,
}

/// What the history is made from.
pub struct Source<'a> {
    pub x: &'a Agreement,
    pub entries: &'a [Entry],
    pub analysis: &'a Analysis,
    /// The events behind the number, each with the trust before and after.
    pub steps: &'a [(Event, f64, f64)],
    /// Each terms version's amend note, by version id.
    pub notes: &'a HashMap<i64, String>,
    /// Each pause's, resume's or retirement's note, by status change id.
    pub status_notes: &'a HashMap<i64, String>,
    /// Terms in words ("2 weekends a month"), as the command names them.
    pub terms_words: fn(&Terms, Option<&str>) -> String,
    pub now: Instant,
}

/// Every row, oldest first; at the same instant the misses that close a
/// slot come first, then changes of terms and status, then entries, then
/// voids — each kind in the order it was made.
pub fn rows(src: &Source) -> Vec<Row> {
    let mut rows: Vec<(Instant, u8, Row)> = Vec::new();
    terms_rows(src, &mut rows);
    status_rows(src, &mut rows);
    step_rows(src, &mut rows);
    entry_rows(src, &mut rows);
    rows.sort_by_key(|(at, rank, _)| (*at, *rank));
    rows.into_iter().map(|(_, _, r)| r).collect()
}

fn row(at: Instant, when: String, what: String) -> Row {
    Row { at, when, what, trust: String::new() }
}

fn quoted(note: &str, max: usize) -> String {
    let one_line: String = note.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = one_line.chars().take(max).collect();
    if one_line.chars().count() > max {
        short.push('…');
    }
    format!("\"{short}\"")
}

/// The terms it was made with, then each amend: when it took effect, what it
/// became, when it was agreed (if earlier) and its note.
fn terms_rows(src: &Source, rows: &mut Vec<(Instant, u8, Row)>) {
    let (x, now) = (src.x, src.now);
    let in_force: HashSet<i64> = x.plan.versions_in_force().iter().map(|v| v.id).collect();
    let retired = x.plan.statuses_in_force().into_iter().find(|s| s.status == Status::Retired).map(|s| s.effective);
    for (i, v) in x.plan.versions.iter().enumerate() {
        let mut terms = (src.terms_words)(&v.terms, v.unit.as_deref());
        if terms != v.terms.to_string() {
            terms.push_str(&format!(" ({})", v.terms));
        }
        // Retirement is final: terms agreed for after it never apply.
        // (At the same instant, terms that took effect as they were agreed did apply.)
        let moot = i > 0
            && in_force.contains(&v.id)
            && retired.is_some_and(|r| r < v.effective || (r == v.effective && v.effective > v.created));
        let mut what = if i == 0 {
            format!("promised: {terms}")
        } else if moot {
            format!("terms were to become {terms}")
        } else if v.effective > now {
            format!("terms will become {terms}")
        } else {
            format!("terms became {terms}")
        };
        if i > 0 && words::end_date(v.created, x.zone) != words::end_date(v.effective, x.zone) {
            what.push_str(&format!(", agreed {}", words::start(v.created, x.zone, now)));
        }
        if !in_force.contains(&v.id) {
            what.push_str(" — replaced before it took effect");
        } else if moot {
            what.push_str(" — never in effect: retired first");
        }
        if let Some(n) = src.notes.get(&v.id) {
            what.push_str(&format!(" {}", quoted(n, 60)));
        }
        let at = if i == 0 { x.starts.min(v.effective) } else { v.effective };
        rows.push((at, 1, row(at, words::start(at, x.zone, now), what)));
    }
}

/// Each pause, resume and retirement, at the time it took effect.
fn status_rows(src: &Source, rows: &mut Vec<(Instant, u8, Row)>) {
    let (x, now) = (src.x, src.now);
    let in_force: HashSet<i64> = x.plan.statuses_in_force().iter().map(|s| s.id).collect();
    for s in &x.plan.statuses {
        let verb = match (s.status, s.effective > now) {
            (Status::Paused, false) => "paused",
            (Status::Paused, true) => "pauses",
            (Status::Active, false) => "resumed",
            (Status::Active, true) => "resumes",
            (Status::Retired, false) => "retired",
            (Status::Retired, true) => "retires",
        };
        let mut what = verb.to_string();
        if words::end_date(s.created, x.zone) != words::end_date(s.effective, x.zone) {
            what.push_str(&format!(", asked {}", words::start(s.created, x.zone, now)));
        }
        if !in_force.contains(&s.id) {
            what.push_str(" — changed nothing");
        }
        if let Some(n) = src.status_notes.get(&s.id) {
            what.push_str(&format!(" {}", quoted(n, 60)));
        }
        rows.push((s.effective, 1, row(s.effective, words::start(s.effective, x.zone, now), what)));
    }
    if let Some(v) = &x.void {
        let mut what = "voided as entered by mistake: none of it counts".to_string();
        if let Some(r) = &v.reason {
            what.push_str(&format!(" {}", quoted(r, 60)));
        }
        rows.push((v.at, 3, row(v.at, words::moment(v.at, x.zone, now), what)));
    }
}

/// The events behind the trust figure, with the trust before and after.
fn step_rows(src: &Source, rows: &mut Vec<(Instant, u8, Row)>) {
    let (x, now) = (src.x, src.now);
    let by_id: HashMap<i64, &Entry> = src.entries.iter().map(|e| (e.id, e)).collect();
    for (ev, before, after) in src.steps {
        let what = match ev.kind {
            EventKind::Missed => {
                let s = &src.analysis.slots[ev.slot.unwrap_or(0)];
                match s.slot.terms {
                    Terms::Quota { period, .. } => format!(
                        "missed {} ({}: {} of {} kept)",
                        ev.units,
                        period_name(period, s.slot.start, x.zone, now),
                        s.delivered,
                        s.promised
                    ),
                    _ => format!("missed (due {})", words::due(s.slot.due, x.zone, now)),
                }
            }
            k => {
                let mut w = event_name(k).to_string();
                if let Some(e) = ev.entry.and_then(|id| by_id.get(&id)) {
                    if src.analysis.late.contains(&e.id) {
                        w.push_str(" (late)");
                    }
                    if let Some(n) = &e.note {
                        w.push_str(&format!(" {}", quoted(n, 40)));
                    }
                }
                w
            }
        };
        // A miss lands at its slot's end: the last day of the slot. An entry
        // is a moment, with its time even at midnight: "Fri 3 Apr" alone
        // would read as the end of that day, like a miss.
        let when = match ev.kind {
            EventKind::Missed => words::due(ev.at, x.zone, now),
            _ => words::moment(ev.at, x.zone, now),
        };
        let mut r = row(ev.at, when, what);
        r.trust = format!("{} → {}", trust2(*before), trust2(*after));
        // A miss closes the slot before it: it comes before a change that
        // takes effect at the same boundary.
        let rank = if ev.kind == EventKind::Missed { 0 } else { 2 };
        rows.push((ev.at, rank, r));
    }
}

/// Entries that moved no trust — excuses, kept beyond the promise, entries
/// that count for nothing — and every void, at the time it was made.
fn entry_rows(src: &Source, rows: &mut Vec<(Instant, u8, Row)>) {
    let (x, now, an) = (src.x, src.now, src.analysis);
    let scored: HashSet<i64> = src.steps.iter().filter_map(|(ev, _, _)| ev.entry).collect();
    for e in src.entries {
        let note = e.note.as_deref().map(|n| format!(" {}", quoted(n, 40))).unwrap_or_default();
        if e.void.is_none() && !scored.contains(&e.id) {
            let why = if let Some(w) = crate::domain::converge::why(e, x) {
                format!(" — {}", w.words())
            } else if let Some(w) = an.why.get(&e.id) {
                format!(" — counts for nothing for now: {}", w.name())
            } else if e.outcome == Outcome::Kept && an.unscored.contains(&e.id) {
                " — beyond what was promised (shown, not scored)".to_string()
            } else {
                String::new()
            };
            // An excuse names a slot ahead: it stands where it was agreed.
            let (at, what) = if e.at > now || (e.outcome == Outcome::Excused && e.logged_at < e.at) {
                (
                    e.logged_at,
                    format!("{} the slot of {}{note}{why}", e.outcome.name(), words::start(e.at, x.zone, now)),
                )
            } else {
                (e.at, format!("{}{note}{why}", e.outcome.name()))
            };
            if at <= now {
                rows.push((at, 2, row(at, words::moment(at, x.zone, now), what)));
            }
        }
        if let Some(v) = &e.void {
            let mut what = format!("voided #{}, {} {}{note}", e.id, e.outcome.name(), words::moment(e.at, x.zone, now));
            if let Some(r) = &v.reason {
                what.push_str(&format!(" — {}", quoted(r, 60)));
            }
            rows.push((v.at, 3, row(v.at, words::moment(v.at, x.zone, now), what)));
        }
    }
}

/// A quota's period by name, for a history: "Tue 10 Nov", "the week of Mon
/// 9 Nov", "the fortnight from Mon 9 Nov", "October" ("October 2025" in
/// another year), "2026".
fn period_name(p: Period, start: Instant, tz: chrono_tz::Tz, now: Instant) -> String {
    let first = words::first_day(start, tz);
    let this_year = crate::domain::time::local_date(tz, now).year() == first.year();
    match p {
        Period::Day => words::date(first, tz, now),
        Period::Week => format!("the week of {}", words::date(first, tz, now)),
        Period::Fortnight => format!("the fortnight from {}", words::date(first, tz, now)),
        Period::Month if this_year => first.format("%B").to_string(),
        Period::Month => first.format("%B %Y").to_string(),
        Period::Year => first.year().to_string(),
    }
}

pub fn event_name(k: EventKind) -> &'static str {
    match k {
        EventKind::Kept => "kept",
        EventKind::Broken => "broken",
        EventKind::Missed => "missed",
        EventKind::Repair => "repair accepted",
    }
}
