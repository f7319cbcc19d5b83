//! The partner's voice (DESIGN.md §10): `--as`/`TROTH_ME`, `confirm`,
//! `dispute`, `repair`, `accept` and `inbox`, and the repair JSON shape that
//! `show` and `report` share.
//!
//! Who may speak is checked here, before anything is written: only an
//! entry's other party gives a verdict, only the promisor offers a repair,
//! only the one it was promised to accepts it — once.

use super::promise::when;
use super::{Ctx, entry_json, find, validate_note, write_json};
use crate::cli::{AcceptArgs, RepairArgs};
use crate::domain::voice::{Repair, VerdictKind, deciding, explains, latest_by, other_parties};
use crate::error::{Error, Result};
use crate::ledger::voice::{NewAcceptance, NewRepair, NewVerdict};
use crate::ledger::{Agreement, Entry, Fact, Ledger, Outcome, Settings, new_uuid};
use crate::render::{self, paint, trust2};
use crate::time::{DateMeaning, Instant, human_date, human_datetime, printable, rfc3339};
use crate::trust::{self, Analysis};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, Write};

/// `--as NAME` / `TROTH_ME`: act as `me` or `partner` of this ledger for one
/// command — the other becomes the partner.
pub fn act_as(mut settings: Settings, name: &str, source: &str) -> Result<Settings> {
    let (me, partner) = (settings.default_by(), settings.default_to());
    if name == me {
        return Ok(settings);
    }
    if name == partner {
        settings.me = Some(partner);
        settings.partner = Some(me);
        return Ok(settings);
    }
    let close = |known: &str| {
        known.to_lowercase() == name.to_lowercase()
            || strsim::damerau_levenshtein(&known.to_lowercase(), &name.to_lowercase()) <= 1
    };
    let mut err = Error::usage(format!(
        "{source} names \"{}\", who is neither of the two of you on this ledger ({me} and {partner})",
        printable(name)
    ));
    if let Some(known) = [&me, &partner].into_iter().find(|k| close(k)) {
        err = err.hint(format!("did you mean {known}?"));
    } else {
        err = err.hint(format!("use {source} {me} or {source} {partner}; `troth init` names the two of you"));
    }
    Err(err)
}

fn parse_id(arg: &str, what: &str, hint: &str) -> Result<i64> {
    let t = arg.trim().trim_start_matches('#');
    t.parse::<i64>().ok().filter(|n| *n > 0 && t.chars().all(|c| c.is_ascii_digit())).ok_or_else(|| {
        Error::usage(format!("\"{}\" is not {what} id; ids are whole numbers like 7", printable(arg))).hint(hint)
    })
}

fn load_entry(ledger: &Ledger, id: i64) -> Result<Entry> {
    ledger
        .entry(id)?
        .ok_or_else(|| Error::usage(format!("there is no entry #{id}")).hint("`troth log` shows each entry's id"))
}

fn agreement_of(agreements: &[Agreement], id: i64) -> Result<&Agreement> {
    agreements.iter().find(|a| a.id == id).ok_or_else(|| Error::failure("the entry's promise could not be read"))
}

/// An agreement's analysis as of now, verdicts and repairs included.
fn analyse(ledger: &Ledger, x: &Agreement, now: Instant) -> Result<(Vec<Entry>, Analysis)> {
    let entries = ledger.entries(Some(x.id))?;
    let live: Vec<Fact> = entries.iter().filter(|e| e.void.is_none()).map(Into::into).collect();
    Ok((entries, trust::analyze(x, &live, now, now)))
}

fn names(people: &[&str]) -> String {
    people.join(" or ")
}

/// `confirm ENTRY` (kind Confirmed) and `dispute ENTRY --note` (Disputed).
pub fn verdict(
    ctx: &Ctx,
    ledger: &mut Ledger,
    arg: &str,
    kind: VerdictKind,
    note: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let id = parse_id(arg, "an entry", "`troth log` shows each entry's id")?;
    let note = validate_note(note)?;
    if kind == VerdictKind::Disputed && note.is_none() {
        return Err(Error::usage("a dispute says what you saw: --note \"…\" cannot be empty")
            .hint("for example: troth dispute 41 --note \"you were on your phone most of the evening\""));
    }
    let e = load_entry(ledger, id)?;
    let agreements = ledger.agreements()?;
    let x = agreement_of(&agreements, e.agreement_id)?;
    let verb = if kind == VerdictKind::Confirmed { "confirm" } else { "dispute" };
    if e.void.is_some() {
        return Err(Error::usage(format!("entry #{id} is void; there is nothing to {verb}"))
            .hint("`troth log --all` shows void entries"));
    }
    if x.is_void() {
        return Err(Error::usage(format!("entry #{id} is on {}, which was voided as entered by mistake", x.slug)));
    }
    let me = ctx.settings.default_by();
    let others = other_parties(&x.by, &x.to, &e.logged_by);
    if !others.contains(&me.as_str()) {
        let why = if me == e.logged_by {
            format!("you logged entry #{id} yourself; only {} can {verb} it", names(&others))
        } else {
            format!(
                "entry #{id} is about a promise between {} and {}; only {} can {verb} it",
                x.by,
                x.to,
                names(&others)
            )
        };
        return Err(Error::usage(why)
            .hint(format!("on a shared ledger, say who is answering: troth {verb} {id} --as {}", others[0])));
    }
    if ctx.now < e.logged_at {
        return Err(Error::usage(format!("entry #{id} was logged at {}, after now", rfc3339(e.logged_at, x.zone))));
    }
    let before = latest_by(&e.verdicts, &me).map(|v| v.kind);
    let tx = ledger.write()?;
    tx.add_verdict(&NewVerdict { uuid: &new_uuid(), entry: id, kind, by: &me, note: note.as_deref(), at: ctx.now })?;
    tx.commit()?;
    let (entries, analysis) = analyse(ledger, x, ctx.now)?;
    let e =
        entries.into_iter().find(|en| en.id == id).ok_or_else(|| Error::failure("the entry could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &entry_json(&e, x, Some(&analysis)));
    }
    let what = format!("#{id} {} ({} {})", x.slug, e.outcome.name(), human_date(e.at, x.zone, ctx.now));
    let tail = match (kind, e.outcome) {
        (VerdictKind::Disputed, Outcome::Excused) => {
            "the excuse does not count meanwhile — the unit is promised again".to_string()
        }
        (VerdictKind::Disputed, _) => "held until you two talk it through — it counts for nothing meanwhile".into(),
        (VerdictKind::Confirmed, _) if before == Some(VerdictKind::Disputed) => {
            "your dispute is withdrawn; it counts again".into()
        }
        (VerdictKind::Confirmed, Outcome::Excused) if analysis.late_excuses.contains(&id) => {
            "the late excuse counts now".into()
        }
        (VerdictKind::Confirmed, _) => "you both see it the same way".into(),
    };
    let word = if kind == VerdictKind::Confirmed { "confirmed" } else { "disputed" };
    writeln!(out, "{}  {what} · {tail}", paint(render::CALM, word))?;
    Ok(())
}

/// The repair JSON of CLI.md.
pub fn repair_json(r: &Repair, x: &Agreement, entry_uuid: &HashMap<i64, String>) -> Value {
    json!({
        "id": r.id,
        "uuid": r.uuid,
        "agreement": x.slug,
        "entry": r.entry_id.and_then(|id| entry_uuid.get(&id).cloned()),
        "slot": r.slot_start.map(|t| rfc3339(t, x.zone)),
        "by": r.by,
        "understood": r.understood,
        "feeling": r.feeling,
        "apology": r.apology,
        "plan": r.plan,
        "at": rfc3339(r.at, x.zone),
        "accepted": r.accepted().map(|a| json!({"by": a.by, "note": a.note, "at": rfc3339(a.at, x.zone)})),
        "device": r.device,
    })
}

/// Entry uuids by id, for repair JSON.
pub fn entry_uuids(entries: &[Entry]) -> HashMap<i64, String> {
    entries.iter().map(|e| (e.id, e.uuid.clone())).collect()
}

/// Text of a repair answer: 1–4,000 characters, plain text.
fn answer(flag: &str, text: Option<&str>) -> Result<Option<String>> {
    let Some(t) = text else { return Ok(None) };
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    validate_note(Some(t)).map_err(|e| Error::usage(format!("{flag}: {}", e.message)))
}

/// The documents' steps, each with one line of their guidance.
const QUESTIONS: [(&str, &str); 4] = [
    ("What happened, in your words?", "(understanding comes first; this isn't about blame)"),
    ("How did it feel for {to}?", "(name the feeling; you don't have to agree to acknowledge it — enter to skip)"),
    ("Your apology", "(own the impact; leave out the explanations)"),
    ("A plan, if you have one", "(enter to skip)"),
];

fn ask(
    out: &mut dyn Write,
    lines: &mut dyn Iterator<Item = std::io::Result<String>>,
    q: usize,
    to: &str,
    required: bool,
) -> Result<Option<String>> {
    let (question, guidance) = QUESTIONS[q];
    let question = question.replace("{to}", to);
    loop {
        writeln!(out, "{question:<32}{}", paint(render::DIM, guidance))?;
        write!(out, "> ")?;
        out.flush()?;
        let Some(line) = lines.next() else {
            return Err(Error::usage("the repair was not finished; nothing was recorded")
                .hint("answer each question, or pass --understood and --apology"));
        };
        let line = line?;
        let flag = ["--understood", "--feeling", "--apology", "--plan"][q];
        match answer(flag, Some(&line))? {
            Some(a) => return Ok(Some(a)),
            None if !required => return Ok(None),
            None => writeln!(out, "{}", paint(render::DIM, "this one is needed; a sentence is enough"))?,
        }
    }
}

/// What a repair answers: a broken entry, or a missed unit of a slot.
enum Target {
    Entry(Entry),
    Slot { start: Instant },
}

pub fn repair(ctx: &Ctx, ledger: &mut Ledger, a: RepairArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let me = ctx.settings.default_by();
    let (x, target) = match &a.slot {
        None => {
            let id = parse_id(
                &a.target,
                "an entry",
                "repair a broken entry by its id (`troth log`), or a missed unit with: troth repair PROMISE --slot WHEN",
            )?;
            let e = load_entry(ledger, id)?;
            let x = agreement_of(&agreements, e.agreement_id)?;
            (x, Target::Entry(e))
        }
        Some(w) => {
            let x = find(&agreements, &a.target, ctx.now)?;
            let t = when(w, ctx, x.zone, DateMeaning::Noon, "--slot")?;
            let (_, analysis) = analyse(ledger, x, ctx.now)?;
            let Some(s) = analysis.slots.iter().rev().find(|s| s.slot.holds(t)) else {
                return Err(Error::usage(format!(
                    "{} has no slot holding {}",
                    x.slug,
                    human_datetime(t, x.zone, ctx.now)
                ))
                .hint("name a time inside the slot that was missed, e.g. --slot 2026-11-13"));
            };
            if !s.closed || s.missed == 0 {
                let why = if !s.closed { "it is still open" } else { "nothing in it was missed" };
                return Err(Error::usage(format!(
                    "the slot of {} due {} has no missed unit to repair: {why}",
                    x.slug,
                    human_datetime(s.slot.due, x.zone, ctx.now)
                ))
                .hint("a repair answers a broken entry (troth repair ENTRY_ID) or a missed unit of a closed slot"));
            }
            (x, Target::Slot { start: s.slot.start })
        }
    };
    if x.is_void() {
        return Err(Error::usage(format!("{} was voided as entered by mistake; it takes no repairs", x.slug)));
    }
    if x.by != me {
        return Err(Error::usage(format!("only {}, who made the promise {}, can offer a repair for it", x.by, x.slug))
            .hint(format!("on a shared ledger, say who is offering: --as {}", x.by)));
    }
    // The same target, already repaired and accepted?
    let (_, analysis) = analyse(ledger, x, ctx.now)?;
    match &target {
        Target::Entry(e) => {
            if e.void.is_some() {
                return Err(Error::usage(format!("entry #{} is void; there is nothing to repair", e.id)));
            }
            if e.outcome != Outcome::Broken {
                return Err(Error::usage(format!(
                    "entry #{} is {}; a repair answers a broken entry or a missed unit",
                    e.id,
                    e.outcome.name()
                ))
                .hint(format!("for a missed unit: troth repair {} --slot WHEN", x.slug)));
            }
            if let Some(r) = x.repairs.iter().find(|r| r.entry_id == Some(e.id) && analysis.repairs.contains(&r.id)) {
                return Err(Error::usage(format!(
                    "entry #{} already has an accepted repair (#{}); one is all a broken entry takes",
                    e.id, r.id
                ))
                .hint("trust comes back through kept promises from here"));
            }
        }
        Target::Slot { start, .. } => {
            let accepted =
                x.repairs.iter().filter(|r| r.slot_start == Some(*start) && analysis.repairs.contains(&r.id)).count();
            let missed = analysis.slots.iter().find(|s| s.slot.start == *start).map(|s| s.missed).unwrap_or(0);
            if accepted as u32 >= missed {
                return Err(Error::usage(format!(
                    "every missed unit of that slot of {} already has an accepted repair",
                    x.slug
                ))
                .hint("trust comes back through kept promises from here"));
            }
        }
    }
    let mut understood = answer("--understood", a.understood.as_deref())?;
    let mut feeling = answer("--feeling", a.feeling.as_deref())?;
    let mut apology = answer("--apology", a.apology.as_deref())?;
    let mut plan = answer("--plan", a.plan.as_deref())?;
    let asked = understood.is_none() || apology.is_none();
    if asked {
        if !ctx.env.interactive || ctx.env.json {
            let missing: Vec<&str> = [("--understood", &understood), ("--apology", &apology)]
                .into_iter()
                .filter(|(_, v)| v.is_none())
                .map(|(f, _)| f)
                .collect();
            return Err(Error::usage(format!("a repair needs {}", missing.join(" and "))).hint(
                "on a terminal troth asks for each in turn; in a script pass --understood \"…\" --apology \"…\" \
                 (--feeling and --plan if you wish)",
            ));
        }
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines();
        if understood.is_none() {
            understood = ask(out, &mut lines, 0, &x.to, true)?;
        }
        if feeling.is_none() {
            feeling = ask(out, &mut lines, 1, &x.to, false)?;
        }
        if apology.is_none() {
            apology = ask(out, &mut lines, 2, &x.to, true)?;
        }
        if plan.is_none() {
            plan = ask(out, &mut lines, 3, &x.to, false)?;
        }
    }
    let (understood, apology) = (understood.expect("asked"), apology.expect("asked"));
    let (entry, slot_start, label) = match &target {
        Target::Entry(e) => (Some(e.id), None, format!("{}, broken {}", x.slug, human_date(e.at, x.zone, ctx.now))),
        Target::Slot { start } => {
            (None, Some(*start), format!("{}, missed in the slot of {}", x.slug, human_date(*start, x.zone, ctx.now)))
        }
    };
    let tx = ledger.write()?;
    let id = tx.add_repair(&NewRepair {
        uuid: &new_uuid(),
        agreement: x.id,
        entry,
        slot_start,
        by: &me,
        understood: &understood,
        feeling: feeling.as_deref(),
        apology: &apology,
        plan: plan.as_deref(),
        at: ctx.now,
    })?;
    tx.commit()?;
    if let Some(word) = explains(&apology) {
        // A hint, not a refusal: the apology is recorded as written.
        eprintln!(
            "hint: an apology is not an explanation — \"{word}\" starts one. It was recorded as written; \
             the why can come later, when {} asks for it.",
            x.to
        );
    }
    let agreements = ledger.agreements()?;
    let x = agreement_of(&agreements, x.id)?;
    let r = x.repairs.iter().find(|r| r.id == id).ok_or_else(|| Error::failure("the repair could not be read back"))?;
    if ctx.env.json {
        let entries = ledger.entries(Some(x.id))?;
        return write_json(out, &repair_json(r, x, &entry_uuids(&entries)));
    }
    writeln!(
        out,
        "{}  repair #{id} for {label} — {} can accept it with: troth accept {id}",
        paint(render::CALM, "offered"),
        x.to
    )?;
    Ok(())
}

pub fn accept(ctx: &Ctx, ledger: &mut Ledger, a: AcceptArgs, out: &mut dyn Write) -> Result<()> {
    let id = parse_id(&a.repair_id, "a repair", "`troth inbox` shows the repairs offered to you")?;
    let note = validate_note(a.note.as_deref())?;
    let agreements = ledger.agreements()?;
    let Some((x, r)) = agreements.iter().find_map(|x| x.repairs.iter().find(|r| r.id == id).map(|r| (x, r))) else {
        return Err(
            Error::usage(format!("there is no repair #{id}")).hint("`troth inbox` shows the repairs offered to you")
        );
    };
    let me = ctx.settings.default_by();
    if me != x.to || me == r.by {
        return Err(Error::usage(format!("only {}, to whom {} was promised, can accept repair #{id}", x.to, x.slug))
            .hint(format!("on a shared ledger, say who is accepting: troth accept {id} --as {}", x.to)));
    }
    if x.is_void() {
        return Err(Error::usage(format!(
            "{} was voided as entered by mistake; its repairs count for nothing",
            x.slug
        )));
    }
    if let Some(acc) = r.accepted() {
        return Err(Error::usage(format!(
            "repair #{id} was already accepted by {} on {}; it is accepted once",
            acc.by,
            human_datetime(acc.at, x.zone, ctx.now)
        ))
        .hint("trust comes back through kept promises from here"));
    }
    if ctx.now < r.at {
        return Err(Error::usage(format!("repair #{id} was offered at {}, after now", rfc3339(r.at, x.zone))));
    }
    let (entries, before) = analyse(ledger, x, ctx.now)?;
    match (r.entry_id, r.slot_start) {
        (Some(eid), _) => {
            let e = entries.iter().find(|e| e.id == eid);
            if e.is_none_or(|e| e.void.is_some()) {
                return Err(Error::usage(format!("the broken entry #{eid} that repair #{id} answers is void")));
            }
            if let Some(other) = x.repairs.iter().find(|o| o.entry_id == Some(eid) && before.repairs.contains(&o.id)) {
                return Err(Error::usage(format!(
                    "entry #{eid} already has an accepted repair (#{}); one is all a broken entry takes",
                    other.id
                )));
            }
            if before.why.contains_key(&eid) {
                return Err(Error::usage(format!(
                    "entry #{eid} is disputed, so it counts for nothing until you two settle what happened"
                ))
                .hint(format!("confirm it first if it was broken: troth confirm {eid}")));
            }
        }
        (None, Some(start)) => {
            let missed = before.slots.iter().find(|s| s.slot.start == start && s.closed).map(|s| s.missed).unwrap_or(0);
            let accepted =
                x.repairs.iter().filter(|o| o.slot_start == Some(start) && before.repairs.contains(&o.id)).count();
            if accepted as u32 >= missed {
                return Err(Error::usage(format!(
                    "every missed unit of that slot of {} already has an accepted repair",
                    x.slug
                )));
            }
        }
        (None, None) => return Err(Error::failure("the repair names neither an entry nor a slot")),
    }
    let tx = ledger.write()?;
    tx.add_acceptance(&NewAcceptance { uuid: &new_uuid(), repair: id, by: &me, note: note.as_deref(), at: ctx.now })?;
    tx.commit()?;
    let agreements = ledger.agreements()?;
    let x = agreement_of(&agreements, x.id)?;
    let r = x.repairs.iter().find(|r| r.id == id).ok_or_else(|| Error::failure("the repair could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &repair_json(r, x, &entry_uuids(&entries)));
    }
    let (_, after) = analyse(ledger, x, ctx.now)?;
    let p = &ctx.settings.trust;
    let t0 = trust::score_at(&before.events, p, ctx.now).trust;
    let t1 = trust::score_at(&after.events, p, ctx.now).trust;
    writeln!(
        out,
        "{}  repair #{id} · you chose to trust a little more · {} trust {} → {}",
        paint(render::KEPT, "accepted"),
        x.slug,
        trust2(t0),
        trust2(t1)
    )?;
    Ok(())
}

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
                _ => crate::time::local_date(x.zone, a.at) == crate::time::local_date(x.zone, b.at),
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
    let book = super::Book::new(&agreements, facts, ctx.now, ctx.now);
    let analyses: HashMap<i64, &Analysis> = book.items.iter().map(|i| (i.agreement.id, &i.analysis)).collect();
    let inbox = gather(&me, &agreements, &entries, &analyses, ctx.now);
    let uuids = entry_uuids(&entries);
    let ej = |(e, x): &(&Entry, &Agreement)| entry_json(e, x, analyses.get(&x.id).copied());
    if ctx.env.json {
        return write_json(
            out,
            &json!({
                "to_confirm": inbox.to_confirm.iter().map(ej).collect::<Vec<_>>(),
                "disputes": inbox.disputes.iter().map(ej).collect::<Vec<_>>(),
                "late_excuses": inbox.late_excuses.iter().map(ej).collect::<Vec<_>>(),
                "repairs_offered": inbox.offered.iter().map(|(r, x)| repair_json(r, x, &uuids)).collect::<Vec<_>>(),
                "repairs_waiting": inbox.waiting.iter().map(|(r, x)| repair_json(r, x, &uuids)).collect::<Vec<_>>(),
                "duplicates": inbox.duplicates.iter()
                    .map(|(a, b, x)| json!([ej(&(*a, *x)), ej(&(*b, *x))])).collect::<Vec<_>>(),
            }),
        );
    }
    let now = ctx.now;
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
    if !any {
        writeln!(out, "Nothing waits for you, {me}.")?;
    }
    Ok(())
}

fn short(s: &str, n: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n { one } else { format!("{}…", one.chars().take(n - 1).collect::<String>()) }
}

/// What a repair is for, in words: "broken Fri 13 Nov" / "missed, slot of 1 Oct".
pub fn repair_for(r: &Repair, x: &Agreement, now: Instant) -> String {
    match r.slot_start {
        Some(s) => format!("missed, slot of {}", human_date(s, x.zone, now)),
        None => format!("broken, entry #{}", r.entry_id.unwrap_or(0)),
    }
}

fn write_repair(out: &mut dyn Write, r: &Repair, x: &Agreement, now: Instant) -> Result<()> {
    let mut text =
        format!("  repair #{:<3} {} ({}) — {}: \"{}\"", r.id, x.slug, repair_for(r, x, now), r.by, r.apology);
    if let Some(p) = &r.plan {
        text.push_str(&format!("  Plan: \"{p}\""));
    }
    writeln!(out, "{text}")?;
    Ok(())
}

/// `show`'s verdicts, repairs and acceptances, in time order.
pub fn show_voices(out: &mut dyn Write, x: &Agreement, entries: &[Entry], an: &Analysis, now: Instant) -> Result<()> {
    let mut lines: Vec<(Instant, u8, String, String)> = Vec::new();
    for e in entries {
        for v in &e.verdicts {
            let what = match v.kind {
                VerdictKind::Confirmed => format!("{} confirmed #{} ({})", v.by, e.id, e.outcome.name()),
                VerdictKind::Disputed => format!(
                    "{} saw #{} ({}) differently: \"{}\"",
                    v.by,
                    e.id,
                    e.outcome.name(),
                    short(v.note.as_deref().unwrap_or(""), 60)
                ),
            };
            let mut what = what;
            if let (VerdictKind::Confirmed, Some(n)) = (v.kind, &v.note) {
                what.push_str(&format!(": \"{}\"", short(n, 60)));
            }
            lines.push((v.at, 0, v.uuid.clone(), what));
        }
        if let Some(why) = an.why.get(&e.id)
            && e.void.is_none()
        {
            let now_line = match why {
                crate::domain::voice::Why::Held => {
                    format!("#{} is held: it counts for nothing until you two settle it", e.id)
                }
                crate::domain::voice::Why::DisputedExcuse => {
                    format!("#{} (excused) is disputed: the unit is promised again", e.id)
                }
                crate::domain::voice::Why::LateExcuse => {
                    format!(
                        "#{} is a late excuse: it counts once {} confirms it",
                        e.id,
                        names(&other_parties(&x.by, &x.to, &e.logged_by))
                    )
                }
            };
            lines.push((now, 2, format!("~{}", e.id), now_line));
        }
    }
    for r in &x.repairs {
        let mut what =
            format!("{} offered repair #{} ({}): \"{}\"", r.by, r.id, repair_for(r, x, now), short(&r.apology, 60));
        if let Some(p) = &r.plan {
            what.push_str(&format!(" · plan: \"{}\"", short(p, 40)));
        }
        lines.push((r.at, 0, r.uuid.clone(), what));
        for a in &r.acceptances {
            let counted = r.accepted().is_some_and(|first| first.uuid == a.uuid) && an.repairs.contains(&r.id);
            let mut what = format!("{} accepted repair #{}", a.by, r.id);
            if !counted {
                what.push_str(
                    " (counts for nothing: its broken entry or missed unit was already repaired or no longer counts)",
                );
            }
            lines.push((a.at, 1, a.uuid.clone(), what));
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    lines.sort();
    writeln!(out, "\nwhat each of you said")?;
    for (at, _, key, what) in lines {
        if key.starts_with('~') {
            writeln!(out, "  now{:<19} {what}", "")?;
        } else {
            writeln!(out, "  {:<22} {what}", human_datetime(at, x.zone, now))?;
        }
    }
    Ok(())
}

/// `log`'s verdict column: "confirmed by Sam", "Sam saw it differently",
/// "late excuse, not yet confirmed", or nothing.
pub fn verdict_words(e: &Entry, an: Option<&Analysis>) -> String {
    let why = an.and_then(|an| an.why.get(&e.id));
    match (deciding(&e.verdicts), why) {
        (Some(v), _) if v.kind == VerdictKind::Disputed => format!("{} saw it differently", v.by),
        (_, Some(crate::domain::voice::Why::LateExcuse)) => "late excuse, not yet confirmed".into(),
        (Some(v), _) => format!("confirmed by {}", v.by),
        (None, _) => String::new(),
    }
}

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
            if let Some(a) = accepted.filter(|a| start < a.at && a.at <= end) {
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

pub fn talk_json(t: &Talk, analyses: &HashMap<i64, &Analysis>, uuids: &HashMap<i64, String>) -> Value {
    json!({
        "kind": t.kind,
        "agreement": t.agreement.slug,
        "entry": t.entry.map(|e| entry_json(e, t.agreement, analyses.get(&t.agreement.id).copied())),
        "repair": t.repair.map(|r| repair_json(r, t.agreement, uuids)),
    })
}

/// One line, never blaming: "Sam saw it differently: …".
pub fn talk_words(t: &Talk, now: Instant) -> String {
    let x = t.agreement;
    match (t.entry, t.repair) {
        (Some(e), _) if t.kind == "dispute" => {
            let v = deciding(&e.verdicts).filter(|v| v.kind == VerdictKind::Disputed);
            format!(
                "{} #{} {} {} — {} saw it differently: \"{}\"",
                x.slug,
                e.id,
                e.outcome.name(),
                human_date(e.at, x.zone, now),
                v.map(|v| v.by.as_str()).unwrap_or("one of you"),
                short(v.and_then(|v| v.note.as_deref()).unwrap_or(""), 60)
            )
        }
        (Some(e), _) => format!(
            "{} #{} excused {} — logged after it was due; it counts once {} confirms it",
            x.slug,
            e.id,
            human_date(e.at, x.zone, now),
            names(&other_parties(&x.by, &x.to, &e.logged_by))
        ),
        (None, Some(r)) if t.kind == "repair_accepted" => format!(
            "{} — {} accepted {}'s repair #{} ({})",
            x.slug,
            r.accepted().map(|a| a.by.as_str()).unwrap_or(&x.to),
            r.by,
            r.id,
            repair_for(r, x, now)
        ),
        (None, Some(r)) => format!(
            "{} — {} offered a repair #{} ({}): \"{}\"",
            x.slug,
            r.by,
            r.id,
            repair_for(r, x, now),
            short(&r.apology, 60)
        ),
        (None, None) => x.slug.clone(),
    }
}

/// The report's "To talk about" section, as a table's trailer or Markdown.
pub fn write_talk(out: &mut dyn Write, talk: &[Talk], markdown: bool, now: Instant) -> Result<()> {
    if markdown {
        writeln!(out, "\n### To talk about\n")?;
        if talk.is_empty() {
            writeln!(out, "- nothing open between you this week")?;
        }
        for t in talk {
            writeln!(out, "- {}", talk_words(t, now).replace('|', "\\|"))?;
        }
        return Ok(());
    }
    writeln!(out)?;
    if talk.is_empty() {
        writeln!(out, "  To talk about: nothing open between you this week")?;
        return Ok(());
    }
    writeln!(out, "  To talk about:")?;
    for t in talk {
        writeln!(out, "    {}", talk_words(t, now))?;
    }
    Ok(())
}
