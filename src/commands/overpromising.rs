//! `troth overpromising`: promises the record says are more than can be
//! kept, and what could be promised instead.

use super::check_person;
use super::{Ctx, book};
use crate::cli::OverpromisingArgs;
use crate::domain::Agreement;
use crate::domain::fold::Keep;
use crate::domain::report::{self, Over, OverPerson};
use crate::domain::terms::Terms;
use crate::domain::time::Instant;
use crate::domain::trust::Judgement;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::json::{round4, write_json};
use crate::render::{self, percent};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

pub(super) fn over_json(list: &[Over], people: &[OverPerson], by_id: &HashMap<i64, &Agreement>) -> Value {
    json!({
        "agreements": list.iter().map(|o| {
            let a = by_id[&o.agreement_id];
            let j = &o.judgement;
            json!({"slug": a.slug, "by": a.by, "terms": j.terms.to_string(), "slots": j.slots, "promised": j.promised,
                   "delivered": j.delivered, "rate": j.rate.map(round4), "overpromised": j.overpromised,
                   "suggested_terms": j.suggested.map(|t| t.to_string())})
        }).collect::<Vec<_>>(),
        "people": people.iter().map(|p| json!({"name": p.name, "promised": p.promised, "delivered": p.delivered,
                   "rate": p.rate.map(round4), "overpromised": p.overpromised})).collect::<Vec<_>>(),
    })
}

/// "4 a month" / "1 a week".
fn per_words(t: &Terms) -> String {
    match t.per_period() {
        Some((n, p)) => format!("{n} a {}", p.name()),
        None => t.to_string(),
    }
}

pub(super) fn over_sentence(a: &Agreement, j: &Judgement) -> String {
    // An excused slot is shown as excused, never as 0 (docs/design.md §4).
    let delivered: Vec<String> = j
        .per_slot
        .iter()
        .zip(&j.excused_per_slot)
        .map(|(d, e)| match (d, e) {
            (0, e) if *e > 0 => "excused".to_string(),
            (d, 0) => d.to_string(),
            (d, e) => format!("{d} (+{e} excused)"),
        })
        .collect();
    // Four weeks of a daily promise is 28 numbers nobody reads: past a dozen
    // slots, the sum over them — which the table beside it repeats.
    let record = if delivered.len() > 12 {
        let excused: u32 = j.excused_per_slot.iter().sum();
        let over = match j.terms {
            Terms::Quota { period, .. } => format!("the last {} {}s", j.slots, period.name()),
            _ => format!("the last {} times it was due", j.slots),
        };
        let excused = if excused > 0 { format!(", {excused} excused") } else { String::new() };
        format!("{} of {} over {over}{excused}", j.delivered, j.promised)
    } else {
        delivered.join(", ")
    };
    let mut s =
        format!("{}: {} promised {} and delivered {record} ({})", a.slug, a.by, per_words(&j.terms), percent(j.rate));
    match (&j.suggested, j.overpromised) {
        (Some(t), true) => s.push_str(&format!(" — promise {} and keep it.", per_words(t))),
        (None, true) => s.push_str(" — nothing was delivered lately; talk about what could really be promised."),
        _ => s.push_str(" — within what the record supports."),
    }
    s
}

pub fn overpromising(ctx: &Ctx, ledger: &Ledger, a: OverpromisingArgs, out: &mut dyn Write) -> Result<()> {
    if a.slots < 3 {
        return Err(Error::usage(format!("--slots {} is too few to judge; at least 3 are needed", a.slots)));
    }
    let agreements = ledger.agreements()?;
    check_person(&agreements, a.by.as_deref())?;
    // Only the latest closed slots are judged: keep those of each promise.
    let keep = Keep { judged: (a.slots as usize).max(28), ..Keep::from(ctx.now) };
    let book = book(ctx, ledger, &agreements, (Instant::MIN_UTC, ctx.now), &keep)?;
    let (list, people) =
        report::overpromising(&book, ctx.now, a.slots as usize, ctx.settings.threshold, a.by.as_deref());
    let by_id = report::index(&book);
    if ctx.env.json {
        return write_json(out, &over_json(&list, &people, &by_id));
    }
    if list.is_empty() {
        writeln!(out, "Nothing to judge yet: a promise needs 3 closed slots under its current terms.")?;
        return Ok(());
    }
    let over: Vec<&Over> = list.iter().filter(|o| o.judgement.overpromised).collect();
    if over.is_empty() {
        writeln!(out, "No promise is more than its record supports. Keep going.")?;
    }
    for o in &over {
        writeln!(out, "{}", over_sentence(by_id[&o.agreement_id], &o.judgement))?;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|o| {
            let a = by_id[&o.agreement_id];
            let j = &o.judgement;
            vec![
                a.slug.clone(),
                a.by.clone(),
                j.terms.to_string(),
                j.slots.to_string(),
                format!("{} of {}", j.delivered, j.promised),
                percent(j.rate),
                j.suggested.map(|t| t.to_string()).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    writeln!(out)?;
    writeln!(out, "{}", render::table(&["promise", "by", "terms", "slots", "delivered", "rate", "suggested"], &rows))?;
    for p in &people {
        writeln!(
            out,
            "{}: promised {}, delivered {} ({}){}",
            p.name,
            p.promised,
            p.delivered,
            percent(p.rate),
            if p.overpromised {
                " — more promised than delivered; fewer, kept promises build trust faster"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}

// ---------- due ----------
