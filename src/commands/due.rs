//! `troth due`: what falls due soon, in words.

use super::Ctx;
use crate::cli::DueArgs;
use crate::domain::Agreement;
use crate::domain::fold::Keep;
use crate::domain::report::{self, Due};
use crate::domain::terms::Terms;
use crate::domain::time::{self, Instant, rfc3339};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::json::write_json;
use crate::render::words::unit_word;
use crate::render::{self, words};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

pub(super) fn due_json(items: &[Due], by_id: &HashMap<i64, &Agreement>) -> Value {
    Value::Array(
        items
            .iter()
            .map(|d| {
                let a = by_id[&d.agreement_id];
                json!({"slug": a.slug, "due": rfc3339(d.due, a.zone), "remaining": d.remaining, "kind": d.terms.kind().name(),
                       "promised": d.promised, "kept": d.kept.min(d.promised), "start": rfc3339(d.start, a.zone)})
            })
            .collect(),
    )
}

/// "1 of 2 weekends left, the month ends Mon 30 Nov", "1 time promised
/// next week", "due Friday 19:00", "overdue since yesterday 19:00".
pub fn due_words(d: &Due, a: &Agreement, now: Instant) -> String {
    let unit = a.plan.version_at(d.start).1.unit;
    let overdue = d.due <= now;
    match d.terms {
        Terms::Quota { period, .. } => {
            let unit = unit_word(unit.as_deref(), d.promised);
            if d.start > now {
                let when = words::period(period, words::first_day(d.start, a.zone), a.zone, now);
                format!("{} {unit} promised {when}", d.promised)
            } else {
                words::left(d.remaining, d.promised, &unit, period, d.due, a.zone, now)
            }
        }
        _ if overdue => format!("overdue since {}", words::due_relative(d.due, a.zone, now)),
        _ => format!("due {}", words::due_relative(d.due, a.zone, now)),
    }
}

/// The `due` table's last column: a quota's "1 of 2 weekends left, the month
/// ends Mon 30 Nov"; for a schedule or deadline the units left and, in words
/// relative to now, when ("1 of 1 time left, due Friday 19:00").
fn left_words(d: &Due, a: &Agreement, now: Instant) -> String {
    match d.terms {
        Terms::Quota { .. } => due_words(d, a, now),
        _ => {
            let unit = unit_word(a.plan.version_at(d.start).1.unit.as_deref(), d.promised);
            format!("{} of {} {unit} left, {}", d.remaining, d.promised, due_words(d, a, now))
        }
    }
}

pub fn due(ctx: &Ctx, ledger: &Ledger, a: DueArgs, out: &mut dyn Write) -> Result<()> {
    let within = time::parse_duration(&a.within)
        .map_err(|e| Error::usage(format!("--within: {e}")).hint(time::DURATION_HINT))?;
    let until = within.after(ctx.settings.zone, ctx.now);
    // What is open now began at most a year ago: no need to read further back.
    let agreements = ledger.agreements()?;
    let from = report::open_window(&agreements, ctx.now);
    let book = super::book(ctx, ledger, &agreements, (from, until), &Keep::from(ctx.now))?;
    let items = report::due(&book, ctx.now, until);
    let by_id = report::index(&book);
    if ctx.env.json {
        return write_json(out, &due_json(&items, &by_id));
    }
    if items.is_empty() {
        writeln!(out, "Nothing due within {within}.")?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|d| {
            let a = by_id[&d.agreement_id];
            vec![words::due(d.due, a.zone, ctx.now), a.slug.clone(), a.by.clone(), left_words(d, a, ctx.now)]
        })
        .collect();
    writeln!(out, "{}", render::table(&["due", "promise", "by", "what is left"], &rows))?;
    Ok(())
}

// ---------- report ----------
