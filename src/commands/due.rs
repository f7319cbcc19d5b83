//! `troth due`: what falls due soon, in words.

use super::Ctx;
use crate::cli::DueArgs;
use crate::domain::fold::Keep;
use crate::domain::report::{self};
use crate::domain::time::{self};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::due::{due_json, left_words};
use crate::render::json::write_json;
use crate::render::{self, words};
use std::io::Write;

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
