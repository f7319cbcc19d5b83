//! `troth overpromising`: promises the record says are more than can be
//! kept, and what could be promised instead.

use super::check_person;
use super::{Ctx, book};
use crate::cli::OverpromisingArgs;
use crate::domain::fold::Keep;
use crate::domain::report::{self, Over};
use crate::domain::time::Instant;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::json::write_json;
use crate::render::over::{over_json, over_sentence};
use crate::render::{self, percent};
use std::io::Write;

pub fn overpromising(ctx: &Ctx, ledger: &Ledger, a: OverpromisingArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(n) = a.slots
        && n < 3
    {
        return Err(Error::usage(format!("--slots {n} is too few to judge; at least 3 are needed")));
    }
    let agreements = ledger.agreements()?;
    check_person(&agreements, a.by.as_deref())?;
    // Only the latest closed slots are judged: keep those of each promise.
    let keep = Keep { judged: a.slots.map_or(28, |n| n as usize).max(28), ..Keep::from(ctx.now) };
    let book = book(ctx, ledger, &agreements, (Instant::MIN_UTC, ctx.now), &keep)?;
    let (list, people) =
        report::overpromising(&book, ctx.now, a.slots.map(|n| n as usize), ctx.settings.threshold, a.by.as_deref());
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
