//! `troth review`: walk through past-due slots no one logged, and log them.

use super::load;
use super::{Book, Ctx};
use crate::domain::time::{Instant, rfc3339};
use crate::domain::trust::SlotTally;
use crate::domain::{Agreement, Outcome};
use crate::error::Result;
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use crate::render::words;
use chrono::Duration;
use std::io::{BufRead, Write};

/// Answers come from stdin, a terminal or not — a script may pipe them
/// ("kept", "b", "skip", one a line); at the end of input the walk stops with
/// what was answered logged. `--json` lists the slots that would be asked
/// about, asks nothing and records nothing.
pub fn review(ctx: &Ctx, ledger: &mut Ledger, out: &mut dyn Write) -> Result<()> {
    let (agreements, entries) = load(ledger)?;
    let book = Book::new(&agreements, entries, ctx.now, ctx.now);
    let pending = past_due(&book, ctx.now);
    if ctx.env.json {
        return write_json(out, &pending_json(&pending));
    }
    if pending.is_empty() {
        writeln!(out, "Everything past due is logged. Nothing to review.")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} past due with nothing logged for {}. For each: kept, broken, excused, or skip? (q to stop)",
        match pending.len() {
            1 => "1 slot is".to_string(),
            n => format!("{n} slots are"),
        },
        if pending.len() == 1 { "it" } else { "them" }
    )?;
    out.flush()?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut logged = 0;
    for (a, s) in pending {
        for _ in 0..s.remaining {
            write!(
                out,
                "{} — due {} ({} of {} kept) [k/b/e/s/q] ",
                a.slug,
                words::due(s.slot.due, a.zone, ctx.now),
                s.kept.min(s.promised),
                s.promised
            )?;
            out.flush()?;
            match answer(ctx, &mut lines, out)? {
                Answer::Log(outcome) => {
                    log_in_slot(ctx, ledger, a, s, outcome, out)?;
                    logged += 1;
                }
                Answer::Skip => break,
                Answer::Quit => {
                    writeln!(out, "{logged} logged.")?;
                    return Ok(());
                }
                Answer::EndOfInput => {
                    writeln!(out, "\n{logged} logged.")?;
                    return Ok(());
                }
            }
        }
    }
    writeln!(out, "{logged} logged.")?;
    Ok(())
}

/// The slots of promises not retired that are past due with units no one
/// logged, the longest overdue first.
fn past_due<'a>(book: &'a Book<'a>, now: Instant) -> Vec<(&'a Agreement, &'a SlotTally)> {
    let mut pending: Vec<(&Agreement, &SlotTally)> = book
        .items
        .iter()
        .filter(|i| !i.agreement.retired_at(now))
        .flat_map(|i| {
            i.analysis.slots.iter().filter(|s| s.slot.due <= now && s.remaining > 0).map(move |s| (i.agreement, s))
        })
        .collect();
    pending.sort_by_key(|(_, s)| s.slot.due);
    pending
}

/// `review --json`: the slots it would ask about.
fn pending_json(pending: &[(&Agreement, &SlotTally)]) -> serde_json::Value {
    let list: Vec<serde_json::Value> = pending
        .iter()
        .map(|(a, s)| {
            serde_json::json!({"slug": a.slug, "due": rfc3339(s.slot.due, a.zone), "remaining": s.remaining,
                "kind": a.plan.version_at(s.slot.start).1.terms.kind().name(),
                "start": rfc3339(s.slot.start, a.zone), "promised": s.promised, "kept": s.kept.min(s.promised)})
        })
        .collect();
    serde_json::Value::Array(list)
}

/// What was answered for one unit of a slot.
enum Answer {
    Log(Outcome),
    /// Pass over the rest of this slot.
    Skip,
    Quit,
    EndOfInput,
}

/// Read answers until one can be read. An answer it cannot read is asked
/// again, not taken as a skip (a typo such as "kep" must not pass over a
/// slot unnoticed).
fn answer(ctx: &Ctx, lines: &mut impl Iterator<Item = std::io::Result<String>>, out: &mut dyn Write) -> Result<Answer> {
    loop {
        let Some(line) = lines.next() else { return Ok(Answer::EndOfInput) };
        let answer = match line {
            Ok(l) => l.trim().to_ascii_lowercase(),
            // Bytes that are not text are no answer: asked again.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => "\u{fffd}".to_string(),
            Err(e) => return Err(e.into()),
        };
        if !ctx.env.interactive {
            // Piped answers are not echoed by a terminal: show each.
            writeln!(out, "{}", crate::domain::time::printable(&answer))?;
        }
        match answer.as_str() {
            "k" | "kept" => return Ok(Answer::Log(Outcome::Kept)),
            "b" | "broken" | "broke" => return Ok(Answer::Log(Outcome::Broken)),
            "e" | "excused" | "excuse" => return Ok(Answer::Log(Outcome::Excused)),
            "s" | "skip" | "" => return Ok(Answer::Skip),
            "q" | "quit" => return Ok(Answer::Quit),
            _ => {
                write!(out, "  kept, broken, excused, skip or quit? [k/b/e/s/q] ")?;
                out.flush()?;
            }
        }
    }
}

/// Log `outcome` inside the slot: at its due time, or just before its end.
fn log_in_slot(
    ctx: &Ctx,
    ledger: &mut Ledger,
    a: &Agreement,
    s: &SlotTally,
    outcome: Outcome,
    out: &mut dyn Write,
) -> Result<()> {
    let at = s.slot.due.min(s.slot.end - Duration::seconds(1)).min(ctx.now).max(a.starts);
    let tx = ledger.write()?;
    tx.add_entry(&new_uuid(), a.id, outcome, at, Some("logged in review"), &ctx.settings.default_by(), ctx.now)?;
    tx.commit()?;
    if outcome == Outcome::Excused {
        // §10: an excuse written down after the slot was due waits for the other's word.
        let me = ctx.settings.default_by();
        let others = crate::domain::voice::other_parties(&a.by, &a.to, &me);
        writeln!(
            out,
            "  a late excuse: it counts once {} confirms it (it shows in their `troth inbox`)",
            others.join(" or ")
        )?;
    }
    Ok(())
}
