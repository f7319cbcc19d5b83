//! `inbox`: what waits for one person — entries to confirm, disputes, late
//! excuses, repairs offered (docs/design.md §10).

use crate::commands::Ctx;
use crate::domain::report::Item;
use crate::domain::time::{Instant, human_date};
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

impl<'a> Inbox<'a> {
    /// Repairs not yet accepted: offered to me, or offered by me and waiting.
    /// One whose broken entry already has an accepted repair waits for
    /// nothing: `accept` would refuse it (§10: one per broken entry).
    /// A void or retired promise takes no more words (§1: retirement is final).
    fn repairs(&mut self, agreements: &'a [Agreement], me: &str, now: Instant) {
        for x in agreements.iter().filter(|x| x.is_live(now)) {
            let settled = |r: &Repair| {
                r.entry_id.is_some_and(|e| x.repairs.iter().any(|o| o.entry_id == Some(e) && o.accepted().is_some()))
            };
            for r in x.repairs.iter().filter(|r| r.accepted().is_none() && !settled(r)) {
                if r.by == me {
                    self.waiting.push((r, x));
                } else if x.to == me {
                    self.offered.push((r, x));
                }
            }
        }
    }
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
    // What the partner logged on a clock running up to the allowed skew ahead
    // is here already, and waits for a word like the rest (§9).
    let soon = now + chrono::Duration::seconds(crate::sync::SKEW_SECS);
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
        let Some(x) = by_id.get(&e.agreement_id).copied().filter(|x| x.is_live(now) && party(x)) else { continue };
        let others = other_parties(&x.by, &x.to, &e.logged_by);
        let mine = latest_by(&e.verdicts, me);
        let late = analyses.get(&x.id).is_some_and(|an| an.late_excuses.contains(&e.id));
        match deciding(&e.verdicts) {
            Some(v) if v.kind == VerdictKind::Disputed => inbox.disputes.push((e, x)),
            _ if late && others.contains(&me) && mine.is_none() => inbox.late_excuses.push((e, x)),
            _ if !late && others.contains(&me) && mine.is_none() && e.logged_at > since && e.logged_at <= soon => {
                inbox.to_confirm.push((e, x))
            }
            _ => {}
        }
    }
    inbox.to_confirm.sort_by_key(|(e, _)| (e.logged_at, e.id));
    inbox.repairs(agreements, me, now);
    // Possible duplicates (§9): the same outcome logged by two people for the
    // same slot (or the same day, outside slots), beyond what was promised.
    let recent: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.void.is_none() && e.logged_at > since && e.outcome != Outcome::Excused)
        .filter(|e| by_id.get(&e.agreement_id).is_some_and(|x| x.is_live(now) && party(x)))
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

/// What one promise contributes, owned: its entries and repairs that wait,
/// each with its JSON already made while that promise's analysis is at hand.
#[derive(Default)]
struct Picked {
    to_confirm: Vec<(Entry, usize, Value)>,
    disputes: Vec<(Entry, usize, Value)>,
    late_excuses: Vec<(Entry, usize, Value)>,
    offered: Vec<Value>,
    waiting: Vec<Value>,
    duplicates: Vec<(Entry, Entry, usize, Value)>,
}

/// The ledger's entry order (`Ledger::entries`): time, logged, uuid.
fn order(e: &Entry) -> (Instant, Instant, &str) {
    (e.at, e.logged_at, e.uuid.as_str())
}

/// Folds one promise at a time (its entries and analysis are dropped before
/// the next is read), so the peak is one promise's history, not the
/// ledger's (issue 17); the lists are then put in the order the whole-ledger
/// pass gave them.
fn pick(ctx: &Ctx, ledger: &Ledger, me: &str, agreements: &[Agreement]) -> Result<Picked> {
    let mut p = Picked::default();
    for (i, x) in agreements.iter().enumerate() {
        if !x.is_live(ctx.now) || (x.by != me && x.to != me) {
            continue;
        }
        let entries = ledger.entries(Some(x.id))?;
        let facts: Vec<Fact> = entries.iter().filter(|e| e.void.is_none()).map(Into::into).collect();
        let item = Item::new(x, facts, ctx.now, Instant::MIN_UTC, ctx.now);
        let analyses: HashMap<i64, &Analysis> = HashMap::from([(x.id, &item.analysis)]);
        let one = gather(me, std::slice::from_ref(x), &entries, &analyses, ctx.now);
        let ej = |e: &Entry| entry_json(e, x, Some(&item.analysis));
        let own = |v: &[(&Entry, &Agreement)]| v.iter().map(|(e, _)| ((*e).clone(), i, ej(e))).collect::<Vec<_>>();
        p.to_confirm.extend(own(&one.to_confirm));
        p.disputes.extend(own(&one.disputes));
        p.late_excuses.extend(own(&one.late_excuses));
        let uuids = entry_uuids(&entries);
        p.offered.extend(one.offered.iter().map(|(r, x)| repair_json(r, x, &uuids)));
        p.waiting.extend(one.waiting.iter().map(|(r, x)| repair_json(r, x, &uuids)));
        p.duplicates
            .extend(one.duplicates.iter().map(|(a, b, _)| ((*a).clone(), (*b).clone(), i, json!([ej(a), ej(b)]))));
    }
    p.to_confirm.sort_by_key(|(e, _, _)| (e.logged_at, e.id));
    p.disputes.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)));
    p.late_excuses.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)));
    p.duplicates.sort_by(|a, b| (order(&a.0), order(&a.1)).cmp(&(order(&b.0), order(&b.1))));
    Ok(p)
}

pub fn inbox(ctx: &Ctx, ledger: &Ledger, out: &mut dyn Write) -> Result<()> {
    let me = ctx.settings.default_by();
    let agreements = ledger.agreements()?;
    // One read transaction: every promise read as of the same moment.
    let p = ledger.snapshot(|| pick(ctx, ledger, &me, &agreements))?;
    if ctx.env.json {
        let vals = |v: &[(Entry, usize, Value)]| v.iter().map(|(_, _, j)| j.clone()).collect::<Vec<_>>();
        return write_json(
            out,
            &json!({
                "to_confirm": vals(&p.to_confirm),
                "disputes": vals(&p.disputes),
                "late_excuses": vals(&p.late_excuses),
                "repairs_offered": p.offered,
                "repairs_waiting": p.waiting,
                "duplicates": p.duplicates.iter().map(|(_, _, _, j)| j.clone()).collect::<Vec<_>>(),
            }),
        );
    }
    fn refs<'a>(v: &'a [(Entry, usize, Value)], xs: &'a [Agreement]) -> Vec<(&'a Entry, &'a Agreement)> {
        v.iter().map(|(e, i, _)| (e, &xs[*i])).collect()
    }
    let mut inbox = Inbox {
        to_confirm: refs(&p.to_confirm, &agreements),
        disputes: refs(&p.disputes, &agreements),
        late_excuses: refs(&p.late_excuses, &agreements),
        offered: vec![],
        waiting: vec![],
        duplicates: p.duplicates.iter().map(|(a, b, i, _)| (a, b, &agreements[*i])).collect(),
    };
    inbox.repairs(&agreements, &me, ctx.now);
    let said = write_entries(out, &inbox, &me, ctx.now)?;
    let offered = write_repairs(out, &inbox, ctx.now)?;
    if !said && !offered {
        writeln!(out, "Nothing waits for you, {me}.")?;
    }
    Ok(())
}

/// Entries waiting for a word: to confirm, late excuses, disputes. Whether
/// anything was said.
fn write_entries(out: &mut dyn Write, inbox: &Inbox, me: &str, now: Instant) -> Result<bool> {
    let quote = |s: &Option<String>| s.as_deref().map(|n| format!("  \"{}\"", short(n, 60))).unwrap_or_default();
    let line = |e: &Entry, x: &Agreement| {
        format!("#{:<4} {}  {}  {}", e.id, x.slug, e.outcome.name(), crate::render::words::moment(e.at, x.zone, now))
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
            // A disputed broken entry counts for nothing: `accept` waits for
            // the dispute to be settled (§10).
            match r.entry_id.filter(|e| inbox.disputes.iter().any(|(d, _)| d.id == *e)) {
                Some(e) => {
                    writeln!(out, "             once #{e} is settled (troth confirm {e}): troth accept {}", r.id)?
                }
                None => writeln!(out, "             troth accept {}", r.id)?,
            }
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
