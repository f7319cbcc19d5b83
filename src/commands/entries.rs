//! Logging what happened: kept, broke, excuse — and reading it back with log.

use super::agreements::when;
use super::{Ctx, entry_json, find, period_phrase, unit_word, validate_note, write_json};
use crate::cli::{LogArgs, LogListArgs};
use crate::domain::terms::Terms;
use crate::domain::time::{DateMeaning, Instant, human_date, human_datetime, rfc3339};
use crate::domain::trust::{self, Analysis};
use crate::domain::{Agreement, Entry, Outcome};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, new_uuid};
use crate::render::{self, paint, trust2};
use serde_json::Value;
use std::io::Write;

/// Refuse entries a promise cannot take.
fn check_open(x: &Agreement, at: Instant, now: Instant) -> Result<()> {
    if x.is_void() {
        return Err(Error::usage(format!("{} was voided as entered by mistake; it takes no entries", x.slug)));
    }
    if x.retired_at(now) {
        return Err(Error::usage(format!("{} is retired; it takes no entries", x.slug))
            .hint("`troth list --all` shows retired promises"));
    }
    if at < x.starts {
        return Err(Error::usage(format!(
            "{} is before {} started ({})",
            rfc3339(at, x.zone),
            x.slug,
            rfc3339(x.starts, x.zone)
        ))
        .hint("use --at with a time on or after the start"));
    }
    if let Some(e) = x.ends
        && at >= e
    {
        return Err(Error::usage(format!(
            "{} ended at {}; it takes no entries after that",
            x.slug,
            rfc3339(e, x.zone)
        )));
    }
    if let Some(r) = x.plan.retired_from()
        && at >= r
    {
        return Err(Error::usage(format!(
            "{} is retired from {}; it takes no entries after that",
            x.slug,
            rfc3339(r, x.zone)
        )));
    }
    Ok(())
}

fn analyse_one(ledger: &Ledger, x: &Agreement, now: Instant, horizon: Instant) -> Result<(Vec<Entry>, Analysis)> {
    let entries = ledger.entries(Some(x.id))?;
    let live: Vec<crate::domain::Fact> = entries.iter().filter(|e| e.void.is_none()).map(Into::into).collect();
    let analysis = trust::analyze(x, &live, now, horizon);
    Ok((entries, analysis))
}

pub fn log_outcome(ctx: &Ctx, ledger: &mut Ledger, outcome: Outcome, a: LogArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let x = find(&agreements, &a.agreement, ctx.now)?;
    let note = validate_note(a.note.as_deref())?;
    let at = match &a.at {
        Some(s) => when(s, ctx, x.zone, DateMeaning::Noon, "--at")?,
        None => ctx.now,
    };
    if at > ctx.now {
        return Err(Error::usage(format!("{} is in the future; troth logs what has happened", rfc3339(at, x.zone)))
            .hint("to release a future slot by mutual agreement, use `troth excuse`"));
    }
    check_open(x, at, ctx.now)?;
    // The hot path in scripts computes no trust: only a person at a terminal
    // (or -v) sees how it moved, which needs the promise's whole history.
    let explain = !ctx.env.json && (ctx.env.stdout_tty || ctx.env.verbose);
    let before = if explain { Some(analyse_one(ledger, x, ctx.now, ctx.now)?.1) } else { None };
    let by = ctx.settings.default_by();
    let tx = ledger.write()?;
    let id = tx.add_entry(&new_uuid(), x.id, outcome, at, note.as_deref(), &by, ctx.now)?;
    tx.commit()?;
    let entry = ledger.entry(id)?.ok_or_else(|| Error::failure("the entry could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &entry_json(&entry, x, None));
    }
    let Some(before) = before else {
        writeln!(out, "{}  {} #{id}", outcome.name(), x.slug)?;
        return Ok(());
    };
    let (_, after) = analyse_one(ledger, x, ctx.now, ctx.now)?;
    let p = &ctx.settings.trust;
    let t0 = trust::score_at(&before.events, p, ctx.now).trust;
    let t1 = trust::score_at(&after.events, p, ctx.now).trust;
    let mut line = format!(
        "{}  {}",
        paint(if outcome == Outcome::Kept { render::KEPT } else { render::CALM }, outcome.name()),
        x.slug
    );
    if ctx.env.verbose {
        line.push_str(&format!(" #{id}"));
    }
    if let Some(i) = after.slot_of(id) {
        let s = &after.slots[i];
        if let Terms::Quota { period, .. } = s.slot.terms {
            let unit = x.plan.version_at(s.slot.start).1.unit;
            line.push_str(&format!(
                " · {} of {} {} {}",
                s.kept.min(s.promised),
                s.promised,
                unit_word(unit.as_deref(), s.promised),
                if s.closed {
                    format!("in the {} of {}", period.name(), human_date(s.slot.start, x.zone, ctx.now))
                } else {
                    period_phrase(period).to_string()
                }
            ));
        }
        if s.extra > 0 && outcome == Outcome::Kept && after.unscored.contains(&id) {
            line.push_str(" · beyond what was promised (shown, not scored)");
        }
    } else if after.late.contains(&id) {
        line.push_str(" · late: the deadline had passed, and it still counts");
    } else if after.unscored.contains(&id) {
        line.push_str(" · already counted today");
    }
    line.push_str(&format!(" · trust {} → {}", trust2(t0), trust2(t1)));
    writeln!(out, "{line}")?;
    if outcome == Outcome::Broken {
        writeln!(
            out,
            "{}",
            paint(
                render::DIM,
                "hint: when you talk about it, the documents suggest: understand, acknowledge the feeling, apologise without excuses."
            )
        )?;
    }
    Ok(())
}

pub fn excuse(ctx: &Ctx, ledger: &mut Ledger, a: LogArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let x = find(&agreements, &a.agreement, ctx.now)?;
    let note = validate_note(a.note.as_deref())?;
    let given = a.at.as_deref().map(|s| when(s, ctx, x.zone, DateMeaning::Noon, "--at")).transpose()?;
    let probe = given.unwrap_or(ctx.now);
    check_open(x, probe.max(x.starts), ctx.now)?;
    let horizon = probe.max(ctx.now) + chrono::Duration::days(400);
    let (_, analysis) = analyse_one(ledger, x, ctx.now, horizon)?;
    let nothing_due = || {
        Error::usage(format!("{} has no slot to excuse: it is a standing rule, or nothing is due then", x.slug))
            .hint("excuse releases one unit of a slot before it is due; standing rules have nothing to release")
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
        return Err(Error::usage(format!(
            "too late to excuse {} on {}: it was due at {}",
            x.slug,
            human_date(s.slot.start.max(x.starts), x.zone, ctx.now),
            human_datetime(s.slot.due, x.zone, ctx.now)
        ))
        .hint("log it as broken, or amend the terms for the weeks ahead"));
    }
    if s.remaining == 0 {
        return Err(Error::usage(format!(
            "the slot due {} has no promised units left to excuse",
            human_datetime(s.slot.due, x.zone, ctx.now)
        ))
        .hint("name a later slot with --at"));
    }
    let by = ctx.settings.default_by();
    let tx = ledger.write()?;
    let id = tx.add_entry(&new_uuid(), x.id, Outcome::Excused, at, note.as_deref(), &by, ctx.now)?;
    tx.commit()?;
    let entry = ledger.entry(id)?.ok_or_else(|| Error::failure("the entry could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &entry_json(&entry, x, None));
    }
    writeln!(
        out,
        "{}  {}{} · one unit of the slot due {} released by agreement · trust unchanged",
        paint(render::CALM, "excused"),
        x.slug,
        if ctx.env.verbose { format!(" #{id}") } else { String::new() },
        human_datetime(s.slot.due, x.zone, ctx.now)
    )?;
    Ok(())
}

pub fn list(ctx: &Ctx, ledger: &Ledger, a: LogListArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let only = a.agreement.as_deref().map(|s| find(&agreements, s, ctx.now)).transpose()?;
    let zone = only.map(|x| x.zone).unwrap_or(ctx.settings.zone);
    let since = a.since.as_deref().map(|s| when(s, ctx, zone, DateMeaning::Start, "--since")).transpose()?;
    let until = a.until.as_deref().map(|s| when(s, ctx, zone, DateMeaning::End, "--until")).transpose()?;
    let entries = ledger.entries(only.map(|x| x.id))?;
    let by_id: std::collections::HashMap<i64, &Agreement> = agreements.iter().map(|x| (x.id, x)).collect();
    let shown: Vec<(&Entry, &Agreement)> = entries
        .iter()
        .filter(|e| a.all || e.void.is_none())
        .filter_map(|e| by_id.get(&e.agreement_id).map(|x| (e, *x)))
        .filter(|(_, x)| a.all || !x.is_void() || only.is_some())
        .filter(|(e, _)| since.is_none_or(|s| e.at >= s) && until.is_none_or(|u| e.at <= u))
        .collect();
    if ctx.env.json {
        let arr: Vec<Value> = shown.iter().map(|(e, x)| entry_json(e, x, None)).collect();
        return write_json(out, &Value::Array(arr));
    }
    if shown.is_empty() {
        writeln!(out, "No entries{}.", if a.all { "" } else { " (void ones are in --all)" })?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|(e, x)| {
            let note = e.note.clone().unwrap_or_default();
            let note = match (&e.void, crate::domain::converge::why(e, x)) {
                (Some(v), _) => format!(
                    "void{}{}",
                    v.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default(),
                    if note.is_empty() { String::new() } else { format!(" · {note}") }
                ),
                (None, Some(why)) => {
                    format!("{}{}", why.words(), if note.is_empty() { String::new() } else { format!(" · {note}") })
                }
                (None, None) => note,
            };
            vec![
                e.id.to_string(),
                human_datetime(e.at, x.zone, ctx.now),
                x.slug.clone(),
                e.outcome.name().to_string(),
                note,
            ]
        })
        .collect();
    writeln!(out, "{}", render::table(&["#", "when", "promise", "outcome", "note"], &rows))?;
    Ok(())
}
