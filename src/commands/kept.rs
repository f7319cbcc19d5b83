//! `troth kept` and `troth broke`: log what happened, and show how trust moved.

use super::promise::when;
use super::{Ctx, find_one};
use crate::cli::LogArgs;
use crate::domain::terms::Terms;
use crate::domain::time::{self, DateMeaning, Instant, rfc3339};
use crate::domain::trust::{self, Analysis};
use crate::domain::validate::validate_note;
use crate::domain::{Agreement, Entry, Outcome};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use crate::render::words::unit_word;
use crate::render::{self, paint, trust2, words};
use std::io::Write;

/// Refuse entries a promise cannot take.
pub(super) fn check_open(x: &Agreement, at: Instant, now: Instant) -> Result<()> {
    if x.is_void() {
        return Err(Error::usage(format!("{} was voided as entered by mistake; it takes no entries", x.slug))
            .hint("make it again with `troth promise` if it was meant"));
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
            "{} ended {}; it takes no entries after that",
            x.slug,
            words::due(e, x.zone, now)
        )));
    }
    // Retirement is final (docs/design.md §1): once it has taken effect the
    // promise takes no entries at all, not even late ones from before it;
    // before then, none dated at or after it. (Entries that arrive from the
    // other device are judged by their `at`, §9 — that is sync, not this.)
    if let Some(r) = x.plan.retired_from() {
        if r <= now {
            return Err(Error::usage(format!(
                "{} was retired from {}; retirement is final, so it takes no more entries",
                x.slug,
                words::start(r, x.zone, now)
            ))
            .hint("`troth list --all` shows retired promises; `troth promise` makes a new one"));
        }
        if at >= r {
            return Err(Error::usage(format!(
                "{} is retired from {}; it takes no entries after that",
                x.slug,
                words::start(r, x.zone, now)
            )));
        }
    }
    Ok(())
}

pub(super) fn analyse_one(
    ledger: &Ledger,
    x: &Agreement,
    now: Instant,
    horizon: Instant,
) -> Result<(Vec<Entry>, Analysis)> {
    let entries = ledger.entries(Some(x.id))?;
    let live: Vec<crate::domain::Fact> = entries.iter().filter(|e| e.void.is_none()).map(Into::into).collect();
    let analysis = trust::analyze(x, &live, now, horizon);
    Ok((entries, analysis))
}

pub fn log_outcome(ctx: &Ctx, ledger: &mut Ledger, outcome: Outcome, a: LogArgs, out: &mut dyn Write) -> Result<()> {
    let x = &find_one(ledger, &a.agreement, ctx.now)?;
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
    if ctx.env.json {
        // Only JSON shows the stored row; the plain line needs its id alone.
        let entry = ledger.entry(id)?.ok_or_else(|| Error::failure("the entry could not be read back"))?;
        return write_json(out, &super::written_entry_json(ctx, ledger, x, &entry)?);
    }
    // A typed time the clocks skip or repeat: say how it was read.
    let odd = a.at.as_deref().and_then(|s| time::odd_wall_clock(s, ctx.now, x.zone));
    let odd = odd.map(|o| format!("note: {}", words::odd_wall_clock(o, at, x.zone, ctx.now)));
    let Some(before) = before else {
        writeln!(out, "{}  {} #{id}", outcome.name(), x.slug)?;
        if let Some(n) = odd {
            writeln!(out, "{n}")?;
        }
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
                words::period(period, words::first_day(s.slot.start, x.zone), x.zone, ctx.now)
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
    if let Some(n) = odd {
        writeln!(out, "{}", paint(render::DIM, &n))?;
    }
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
