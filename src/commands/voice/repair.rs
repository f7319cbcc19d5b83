//! `repair`: the promisor offers to make good a broken entry or a missed slot,
//! answering the four questions (docs/design.md §10).

use super::{agreement_of, analyse, load_entry, parse_id};
use crate::cli::RepairArgs;
use crate::commands::promise::when;
use crate::commands::{Ctx, find};
use crate::domain::Agreement;
use crate::domain::time::{DateMeaning, Instant, human_date, human_datetime};
use crate::domain::validate::validate_note;
use crate::domain::voice::explains;
use crate::domain::{Entry, Outcome};
use crate::error::{Error, Result};
use crate::ledger::voice::NewRepair;
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use crate::render::json::{entry_uuids, repair_json};
use crate::render::{self, paint};
use std::io::{BufRead, Write};

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
    let (x, target) = target(ctx, ledger, &agreements, &a)?;
    may_repair(ctx, ledger, x, &target, &me)?;
    let (understood, feeling, apology, plan) = answers(ctx, &a, x, out)?;
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

/// What is repaired: a broken entry by id, or a missed unit of a closed slot
/// (`--slot WHEN`), with its promise.
fn target<'a>(
    ctx: &Ctx,
    ledger: &Ledger,
    agreements: &'a [Agreement],
    a: &RepairArgs,
) -> Result<(&'a Agreement, Target)> {
    Ok(match &a.slot {
        None => {
            let id = parse_id(
                &a.target,
                "an entry",
                "repair a broken entry by its id (`troth log`), or a missed unit with: troth repair PROMISE --slot WHEN",
            )?;
            let e = load_entry(ledger, id)?;
            let x = agreement_of(agreements, e.agreement_id)?;
            (x, Target::Entry(e))
        }
        Some(w) => {
            let x = find(agreements, &a.target, ctx.now)?;
            let t = when(w, ctx, x.zone, DateMeaning::Noon, "--slot")?;
            let (_, analysis) = analyse(ledger, x, ctx.now)?;
            let Some(s) = analysis.slots.iter().rev().find(|s| s.slot.holds(t)) else {
                let when = human_datetime(t, x.zone, ctx.now);
                let what = if t > ctx.now {
                    format!("{when} is still ahead: nothing of {} can have been missed then", x.slug)
                } else {
                    format!("{} has no slot holding {when}", x.slug)
                };
                // Point at a slot that was missed, if there is one.
                let missed = analysis.slots.iter().rev().find(|s| s.closed && s.missed > 0);
                let hint = match missed {
                    Some(m) => format!(
                        "name a time inside the slot that was missed, e.g. --slot {}",
                        crate::domain::time::local_date(x.zone, m.slot.due)
                    ),
                    None => format!("no slot of {} has a missed unit", x.slug),
                };
                return Err(Error::usage(what).hint(hint));
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
    })
}

/// Only the promisor repairs, a live promise, a broken (not void) entry or
/// a missed unit — and only once it has not been repaired already.
fn may_repair(ctx: &Ctx, ledger: &Ledger, x: &Agreement, target: &Target, me: &str) -> Result<()> {
    if x.is_void() {
        return Err(Error::usage(format!("{} was voided as entered by mistake; it takes no repairs", x.slug)));
    }
    super::not_retired(x, ctx.now)?;
    if x.by != me {
        return Err(Error::usage(format!("only {}, who made the promise {}, can offer a repair for it", x.by, x.slug))
            .hint(format!("on a shared ledger, say who is offering: --as {}", x.by)));
    }
    // The same target, already repaired and accepted?
    let (_, analysis) = analyse(ledger, x, ctx.now)?;
    match target {
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
    Ok(())
}

/// Understood, feeling, apology, plan.
type Answers = (String, Option<String>, String, Option<String>);

/// The four answers (docs/design.md §10): from the flags, else asked in turn
/// on a terminal; "understood" and "apology" are required.
fn answers(ctx: &Ctx, a: &RepairArgs, x: &Agreement, out: &mut dyn Write) -> Result<Answers> {
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
    Ok((understood.expect("asked"), feeling, apology.expect("asked"), plan))
}
