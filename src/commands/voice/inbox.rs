//! `inbox`: what waits for one person — entries to confirm, disputes, late
//! excuses, repairs offered (docs/design.md §10).

use crate::commands::Ctx;
use crate::domain::report::Book;
use crate::domain::time::{Instant, human_date, human_datetime};
use crate::domain::trust::Analysis;
use crate::domain::voice::{Repair, VerdictKind, deciding, latest_by, other_parties};
use crate::domain::{Agreement, Entry, Fact, Outcome};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::render::json::{entry_json, write_json};
use crate::render::json::{entry_uuids, repair_json};
use crate::render::voice::{short, write_repair};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

/// What waits for one person (§10), as data.
pub struct Inbox<'a> {
    pub to_confirm: Vec<(&'a Entry, &'a Agreement)>,
    pub disputes: Vec<(&'a Entry, &'a Agreement)>,
    pub late_excuses: Vec<(&'a Entry, &'a Agreement)>,
    pub offered: Vec<(&'a Repair, &'a Agreement)>,
    pub waiting: Vec<(&'a Repair, &'a Agreement)>,
    pub duplicates: Vec<(&'a Entry, &'a Entry, &'a Agreement)>,
}

/// How far back `inbox` looks for entries to confirm.
const INBOX_DAYS: i64 = 14;

pub fn gather<'a>(
    me: &str,
    agreements: &'a [Agreement],
    entries: &'a [Entry],
    analyses: &HashMap<i64, &Analysis>,
    now: Instant,
) -> Inbox<'a> {
    let by_id: HashMap<i64, &Agreement> = agreements.iter().map(|a| (a.id, a)).collect();
    let since = now - chrono::Duration::days(INBOX_DAYS);
    let mut inbox = Inbox {
        to_confirm: vec![],
        disputes: vec![],
        late_excuses: vec![],
        offered: vec![],
        waiting: vec![],
        duplicates: vec![],
    };
    let party = |x: &Agreement| x.by == me || x.to == me;
    for e in entries.iter().filter(|e| e.void.is_none()) {
        let Some(x) = by_id.get(&e.agreement_id).copied().filter(|x| !x.is_void() && party(x)) else { continue };
        let others = other_parties(&x.by, &x.to, &e.logged_by);
        let mine = latest_by(&e.verdicts, me);
        let late = analyses.get(&x.id).is_some_and(|an| an.late_excuses.contains(&e.id));
        match deciding(&e.verdicts) {
            Some(v) if v.kind == VerdictKind::Disputed => inbox.disputes.push((e, x)),
            _ if late && others.contains(&me) && mine.is_none() => inbox.late_excuses.push((e, x)),
            _ if !late && others.contains(&me) && mine.is_none() && e.logged_at > since && e.logged_at <= now => {
                inbox.to_confirm.push((e, x))
            }
            _ => {}
        }
    }
    inbox.to_confirm.sort_by_key(|(e, _)| (e.logged_at, e.id));
    for x in agreements.iter().filter(|x| !x.is_void()) {
        for r in x.repairs.iter().filter(|r| r.accepted().is_none()) {
            if r.by == me {
                inbox.waiting.push((r, x));
            } else if x.to == me {
                inbox.offered.push((r, x));
            }
        }
    }
    // Possible duplicates (§9): the same outcome logged by two people for the
    // same slot (or the same day, outside slots), beyond what was promised.
    let recent: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.void.is_none() && e.logged_at > since && e.outcome != Outcome::Excused)
        .filter(|e| by_id.get(&e.agreement_id).is_some_and(|x| !x.is_void() && party(x)))
        .collect();
    for (i, a) in recent.iter().enumerate() {
        for b in &recent[i + 1..] {
            if a.agreement_id != b.agreement_id || a.outcome != b.outcome || a.logged_by == b.logged_by {
                continue;
            }
            let x = by_id[&a.agreement_id];
            let an = analyses.get(&x.id);
            let same = match an.map(|an| (an.slot_of(a.id), an.slot_of(b.id))) {
                Some((Some(sa), Some(sb))) => {
                    sa == sb && an.is_some_and(|an| an.slots[sa].kept + an.slots[sa].broken > an.slots[sa].slot.units)
                }
                _ => crate::domain::time::local_date(x.zone, a.at) == crate::domain::time::local_date(x.zone, b.at),
            };
            if same {
                inbox.duplicates.push((a, b, x));
            }
        }
    }
    inbox
}

pub fn inbox(ctx: &Ctx, ledger: &Ledger, out: &mut dyn Write) -> Result<()> {
    let me = ctx.settings.default_by();
    let agreements = ledger.agreements()?;
    let entries = ledger.entries(None)?;
    let facts: Vec<Fact> = entries.iter().filter(|e| e.void.is_none()).map(Into::into).collect();
    let book = Book::new(&agreements, facts, ctx.now, ctx.now);
    let analyses: HashMap<i64, &Analysis> = book.items.iter().map(|i| (i.agreement.id, &i.analysis)).collect();
    let inbox = gather(&me, &agreements, &entries, &analyses, ctx.now);
    if ctx.env.json {
        return write_json(out, &inbox_json(&inbox, &analyses, &entry_uuids(&entries)));
    }
    let said = write_entries(out, &inbox, &me, ctx.now)?;
    let offered = write_repairs(out, &inbox, ctx.now)?;
    if !said && !offered {
        writeln!(out, "Nothing waits for you, {me}.")?;
    }
    Ok(())
}

/// `inbox --json`: each list of docs/cli.md.
fn inbox_json(inbox: &Inbox, analyses: &HashMap<i64, &Analysis>, uuids: &HashMap<i64, String>) -> Value {
    let ej = |(e, x): &(&Entry, &Agreement)| entry_json(e, x, analyses.get(&x.id).copied());
    json!({
        "to_confirm": inbox.to_confirm.iter().map(ej).collect::<Vec<_>>(),
        "disputes": inbox.disputes.iter().map(ej).collect::<Vec<_>>(),
        "late_excuses": inbox.late_excuses.iter().map(ej).collect::<Vec<_>>(),
        "repairs_offered": inbox.offered.iter().map(|(r, x)| repair_json(r, x, uuids)).collect::<Vec<_>>(),
        "repairs_waiting": inbox.waiting.iter().map(|(r, x)| repair_json(r, x, uuids)).collect::<Vec<_>>(),
        "duplicates": inbox.duplicates.iter()
            .map(|(a, b, x)| json!([ej(&(*a, *x)), ej(&(*b, *x))])).collect::<Vec<_>>(),
    })
}

/// Entries waiting for a word: to confirm, late excuses, disputes. Whether
/// anything was said.
fn write_entries(out: &mut dyn Write, inbox: &Inbox, me: &str, now: Instant) -> Result<bool> {
    let quote = |s: &Option<String>| s.as_deref().map(|n| format!("  \"{}\"", short(n, 60))).unwrap_or_default();
    let line = |e: &Entry, x: &Agreement| {
        format!("#{:<4} {}  {}  {}", e.id, x.slug, e.outcome.name(), human_datetime(e.at, x.zone, now))
    };
    let mut any = false;
    if !inbox.to_confirm.is_empty() {
        any = true;
        let mut loggers: Vec<&str> = inbox.to_confirm.iter().map(|(e, _)| e.logged_by.as_str()).collect();
        loggers.dedup();
        loggers.sort_unstable();
        loggers.dedup();
        writeln!(out, "To confirm — logged by {} about promises you share:", loggers.join(" and "))?;
        for (e, x) in &inbox.to_confirm {
            writeln!(
                out,
                "  {}{}  (by {})   troth confirm {id} · troth dispute {id} --note \"…\"",
                line(e, x),
                quote(&e.note),
                e.logged_by,
                id = e.id
            )?;
        }
    }
    if !inbox.late_excuses.is_empty() {
        any = true;
        writeln!(out, "Late excuses — logged after they were due; they count once you confirm:")?;
        for (e, x) in &inbox.late_excuses {
            writeln!(out, "  {}{}  (by {})   troth confirm {}", line(e, x), quote(&e.note), e.logged_by, e.id)?;
        }
    }
    if !inbox.disputes.is_empty() {
        any = true;
        writeln!(out, "Seen differently — held until you two talk it through:")?;
        for (e, x) in &inbox.disputes {
            let v = deciding(&e.verdicts).expect("disputed");
            let who =
                if v.by == me { "You saw it differently".to_string() } else { format!("{} saw it differently", v.by) };
            let how = if v.by == me {
                format!("troth confirm {} withdraws it · troth void {} if it was logged wrong", e.id, e.id)
            } else {
                format!("talk it through; {} can confirm it, or it can be voided and logged again", v.by)
            };
            writeln!(out, "  {}  — {who}: \"{}\"   {how}", line(e, x), short(v.note.as_deref().unwrap_or(""), 60))?;
        }
    }
    Ok(any)
}

/// Repairs offered to me or by me, and entries possibly logged twice.
/// Whether anything was said.
fn write_repairs(out: &mut dyn Write, inbox: &Inbox, now: Instant) -> Result<bool> {
    let mut any = false;
    if !inbox.offered.is_empty() {
        any = true;
        writeln!(out, "Offered to you:")?;
        for (r, x) in &inbox.offered {
            write_repair(out, r, x, now)?;
            writeln!(out, "             troth accept {}", r.id)?;
        }
    }
    if !inbox.waiting.is_empty() {
        any = true;
        writeln!(out, "Offered by you, not yet accepted:")?;
        for (r, x) in &inbox.waiting {
            write_repair(out, r, x, now)?;
        }
    }
    if !inbox.duplicates.is_empty() {
        any = true;
        writeln!(out, "Possibly logged twice:")?;
        for (a, b, x) in &inbox.duplicates {
            writeln!(
                out,
                "  #{} and #{}  {}  {}  {} — by {} and by {}   troth void {} if it is the same",
                a.id,
                b.id,
                x.slug,
                a.outcome.name(),
                human_date(a.at, x.zone, now),
                a.logged_by,
                b.logged_by,
                b.id
            )?;
        }
    }
    Ok(any)
}
