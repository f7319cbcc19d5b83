//! `troth pause`, `resume`, `retire`: status changes from the next slot boundary.

use super::amend::refuse_if_closed;
use super::{Ctx, find};
use crate::cli::StatusArgs;
use crate::domain::slots::Status;
use crate::domain::terms::Terms;
use crate::domain::time::human_datetime;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use crate::render::{self, paint};
use std::io::Write;

pub fn set_status(ctx: &Ctx, ledger: &mut Ledger, a: &StatusArgs, status: Status, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let x = find(&agreements, &a.agreement, ctx.now)?.clone();
    let note = crate::domain::validate::validate_note(a.note.as_deref())?;
    refuse_if_closed(&x, ctx.now)?;
    match status {
        Status::Paused => super::amend::refuse_if_ended(&x, ctx.now, "pause")?,
        Status::Active => super::amend::refuse_if_ended(&x, ctx.now, "resume")?,
        Status::Retired => {}
    }
    let intended = x.plan.statuses_in_force().last().map(|s| s.status).unwrap_or(Status::Active);
    if intended == Status::Retired {
        return Err(Error::usage(format!("{} is already being retired", x.slug)));
    }
    if intended == status {
        // A change asked for but not yet in effect is said as such.
        let from = match x.plan.statuses_in_force().last() {
            Some(s) if s.effective > ctx.now => format!(" from {}", human_datetime(s.effective, x.zone, ctx.now)),
            _ => String::new(),
        };
        let msg = match (status, from.is_empty()) {
            (Status::Paused, true) => format!("{} is already paused", x.slug),
            (Status::Paused, false) => format!("{} is already being paused{from}", x.slug),
            (Status::Active, true) => format!("{} is not paused", x.slug),
            (Status::Active, false) => format!("{} is already being resumed{from}", x.slug),
            (Status::Retired, _) => unreachable!(),
        };
        return Err(Error::usage(msg));
    }
    let (_, version) = x.plan.version_at(ctx.now);
    let effective = match (status, version.terms) {
        // Retiring a deadline before it is due releases it, now.
        (Status::Retired, Terms::Deadline { .. }) => ctx.now,
        _ => x.plan.next_boundary(ctx.now),
    };
    let tx = ledger.write()?;
    tx.add_status(&new_uuid(), x.id, status, effective, note.as_deref(), ctx.now)?;
    tx.commit()?;
    let updated = ledger.agreement(x.id)?.expect("still there");
    if ctx.env.json {
        return write_json(out, &super::promise_json(ctx, ledger, &updated)?);
    }
    let verb = match status {
        Status::Paused => "paused",
        Status::Active => "resumed",
        Status::Retired => "retired",
    };
    let when = if effective <= ctx.now {
        "now".to_string()
    } else {
        format!("from {} (the slot under way still counts)", human_datetime(effective, x.zone, ctx.now))
    };
    writeln!(out, "{}  {} {when}", paint(render::CALM, verb), x.slug)?;
    Ok(())
}
