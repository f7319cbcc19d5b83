//! `troth due`: what falls due soon, in words.

use super::{Book, Ctx, period_phrase, unit_word, write_json};
use crate::cli::DueArgs;
use crate::domain::Agreement;
use crate::domain::report::{self, Due};
use crate::domain::terms::{Period, Terms};
use crate::domain::time::{self, Instant, human_date, human_datetime, rfc3339};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render;
use chrono::Duration;
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

/// "1 of 2 weekends left, the month ends Monday".
pub fn due_words(d: &Due, a: &Agreement, now: Instant) -> String {
    let unit = a.plan.version_at(d.start).1.unit;
    let overdue = d.due <= now;
    match d.terms {
        Terms::Quota { period, .. } => {
            let ends = match period {
                Period::Day => "the day ends".to_string(),
                p => format!("the {} ends {}", p.name(), relative_day(d.due, a, now)),
            };
            let left = format!("{} of {} {} left", d.remaining, d.promised, unit_word(unit.as_deref(), d.promised));
            if d.start > now {
                format!("{} promised {}", d.promised, period_phrase(period).replace("this", "next"))
            } else {
                format!("{left}, {ends}")
            }
        }
        _ if overdue => format!("overdue since {}", human_datetime(d.due, a.zone, now)),
        _ => format!("due {}", human_datetime(d.due, a.zone, now)),
    }
}

/// "today", "tomorrow", "Monday", or a date.
fn relative_day(t: Instant, a: &Agreement, now: Instant) -> String {
    // An end at midnight is the end of the day before.
    let t = t - Duration::seconds(1);
    let days = (time::local_date(a.zone, t) - time::local_date(a.zone, now)).num_days();
    match days {
        0 => "tonight".into(),
        1 => "tomorrow night".into(),
        2..=6 => format!("{} night", t.with_timezone(&a.zone).format("%A")),
        _ => format!("on {}", human_date(t, a.zone, now)),
    }
}

pub fn due(ctx: &Ctx, ledger: &Ledger, a: DueArgs, out: &mut dyn Write) -> Result<()> {
    let within = time::parse_duration(&a.within)
        .map_err(|e| Error::usage(format!("--within: {e}")).hint(time::DURATION_HINT))?;
    let until = within.after(ctx.settings.zone, ctx.now);
    // What is open now began at most a year ago: no need to read further back.
    let agreements = ledger.agreements()?;
    let from = report::open_window(&agreements, ctx.now);
    let facts = ledger.facts_since(from)?;
    let book = Book::window(&agreements, facts, ctx.now, from, until);
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
            vec![human_datetime(d.due, a.zone, ctx.now), a.slug.clone(), a.by.clone(), due_words(d, a, ctx.now)]
        })
        .collect();
    writeln!(out, "{}", render::table(&["due", "promise", "by", ""], &rows))?;
    Ok(())
}

// ---------- report ----------
