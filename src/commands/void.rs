//! `troth void`: mark an entry, or a promise made by mistake, void.
//! Nothing is deleted.

use super::{Ctx, find_one};
use crate::cli::VoidArgs;
use crate::domain::time;
use crate::domain::validate::validate_note;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use crate::render::{self, paint};
use std::io::Write;

pub fn void(ctx: &Ctx, ledger: &mut Ledger, a: VoidArgs, out: &mut dyn Write) -> Result<()> {
    // The reason is a note by another name: say which flag it was.
    let reason = validate_note(a.reason.as_deref())
        .map_err(|e| crate::error::Error { message: format!("--reason: {}", e.message), ..e })?;
    if let Some(arg) = &a.agreement {
        let x = &find_one(ledger, arg, ctx.now)?;
        if x.is_void() {
            return Err(Error::usage(format!("{} is already void; a void cannot be undone", x.slug))
                .hint("make the promise again with `troth promise` if it was meant"));
        }
        let tx = ledger.write()?;
        tx.void_agreement(&new_uuid(), x.id, reason.as_deref(), ctx.now)?;
        tx.commit()?;
        let updated = ledger.agreement(x.id)?.expect("still there");
        if ctx.env.json {
            return write_json(out, &super::promise_json(ctx, ledger, &updated)?);
        }
        writeln!(
            out,
            "{}  promise #{} {} — it counts for nothing now, and stays in `troth list --all`",
            paint(render::CALM, "voided"),
            x.id,
            x.slug
        )?;
        return Ok(());
    }
    let raw = a.entry_id.as_deref().unwrap_or_default().trim().trim_start_matches('#');
    let id: i64 = raw.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
        Error::usage(format!("\"{}\" is not an entry id", time::printable(raw)))
            .hint("entry ids are the numbers in `troth log`; to void a promise use --agreement")
    })?;
    let entry = ledger.entry(id)?.ok_or_else(|| {
        Error::usage(format!("there is no entry #{id}")).hint("`troth log --all` shows every entry with its id")
    })?;
    if entry.void.is_some() {
        return Err(Error::usage(format!("entry #{id} is already void; a void cannot be voided"))
            .hint("log the entry again instead"));
    }
    let x = &find_one(ledger, &entry.agreement_id.to_string(), ctx.now)?;
    // Retirement is final: only `void --agreement` still applies (docs/design.md §1).
    if !x.is_void() && x.retired_at(ctx.now) {
        return Err(Error::usage(format!("{} is retired; retirement is final, its entries stay as they are", x.slug))
            .hint(format!("`troth void --agreement {}` if the whole promise was made by mistake", x.slug)));
    }
    let tx = ledger.write()?;
    tx.void_entry(&new_uuid(), id, reason.as_deref(), ctx.now)?;
    tx.commit()?;
    let entry = ledger.entry(id)?.expect("still there");
    if ctx.env.json {
        return write_json(out, &super::written_entry_json(ctx, ledger, x, &entry)?);
    }
    writeln!(
        out,
        "{}  entry #{id} ({} {} {}) — it counts for nothing now, and stays in `troth log --all`",
        paint(render::CALM, "voided"),
        x.slug,
        entry.outcome.name(),
        render::words::moment(entry.at, x.zone, ctx.now)
    )?;
    Ok(())
}
