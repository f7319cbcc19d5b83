//! `troth excuse`: release one unit by mutual agreement, before it is due.

use super::kept::{analyse_one, check_open};
use super::promise::when;
use super::{Ctx, find_one};
use crate::cli::LogArgs;
use crate::domain::Outcome;
use crate::domain::time::DateMeaning;
use crate::domain::validate::validate_note;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use crate::render::{self, paint, words};
use std::io::Write;

pub fn excuse(ctx: &Ctx, ledger: &mut Ledger, a: LogArgs, out: &mut dyn Write) -> Result<()> {
    let x = &find_one(ledger, &a.agreement, ctx.now)?;
    let note = validate_note(a.note.as_deref())?;
    let given = a.at.as_deref().map(|s| when(s, ctx, x.zone, DateMeaning::Noon, "--at")).transpose()?;
    let probe = given.unwrap_or(ctx.now);
    check_open(x, probe.max(x.starts), ctx.now)?;
    let horizon = probe.max(ctx.now) + chrono::Duration::days(400);
    let (_, analysis) = analyse_one(ledger, x, ctx.now, horizon)?;
    let nothing_due = || match (given, analysis.slots.first()) {
        // Before the first slot (a quota starts at the next week or month):
        // say when it starts rather than suggest a standing rule.
        (Some(at), Some(first)) if at < first.slot.start => Error::usage(format!(
            "nothing of {} is due then: its first slot starts {}",
            x.slug,
            words::start(first.slot.start, x.zone, ctx.now)
        ))
        .hint("name a time from then on with --at, or leave --at out for the next slot due"),
        _ => Error::usage(format!("{} has no slot to excuse: it is a standing rule, or nothing is due then", x.slug))
            .hint("excuse releases one unit of a slot before it is due; standing rules have nothing to release"),
    };
    let (index, at) = match given {
        Some(at) => {
            let i = analysis.slots.iter().rposition(|s| s.slot.holds(at)).ok_or_else(nothing_due)?;
            (i, at)
        }
        None => {
            let i = analysis.slots.iter().position(|s| s.slot.due > ctx.now).ok_or_else(nothing_due)?;
            (i, analysis.slots[i].slot.start.max(ctx.now).max(x.starts))
        }
    };
    let s = &analysis.slots[index];
    check_open(x, at, ctx.now)?;
    if ctx.now > s.slot.due {
        let day = words::date(words::end_date(s.slot.due, x.zone), x.zone, ctx.now);
        let at = if words::is_day_end(s.slot.due, x.zone) {
            "by the end of that day".to_string()
        } else {
            format!("at {}", words::hm(s.slot.due, x.zone))
        };
        return Err(Error::usage(format!("too late to excuse {} on {day}: it was due {at}", x.slug))
            .hint("log it as broken, or amend the terms for the weeks ahead"));
    }
    if s.remaining == 0 {
        return Err(Error::usage(format!(
            "the slot due {} has no promised units left to excuse",
            words::due(s.slot.due, x.zone, ctx.now)
        ))
        .hint("name a later slot with --at"));
    }
    let by = ctx.settings.default_by();
    let tx = ledger.write()?;
    let id = tx.add_entry(&new_uuid(), x.id, Outcome::Excused, at, note.as_deref(), &by, ctx.now)?;
    tx.commit()?;
    let entry = ledger.entry(id)?.ok_or_else(|| Error::failure("the entry could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &super::written_entry_json(ctx, ledger, x, &entry)?);
    }
    writeln!(
        out,
        "{}  {}{} · one unit of the slot due {} released by agreement · trust unchanged",
        paint(render::CALM, "excused"),
        x.slug,
        if ctx.env.verbose { format!(" #{id}") } else { String::new() },
        words::due(s.slot.due, x.zone, ctx.now)
    )?;
    // A typed time the clocks skip or repeat: say how it was read, as kept does.
    if let Some(o) = a.at.as_deref().and_then(|s| crate::domain::time::odd_wall_clock(s, ctx.now, x.zone)) {
        writeln!(out, "note: {}", words::odd_wall_clock(o, at, x.zone, ctx.now))?;
    }
    Ok(())
}
