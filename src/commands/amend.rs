//! `troth amend`: renegotiate a promise's terms, from the next slot on.

use super::promise::{overpromised_record, parse_terms, when};
use super::{Book, Ctx, find};
use crate::cli::AmendArgs;
use crate::domain::Agreement;
use crate::domain::slots::{self, Version};
use crate::domain::terms::{self, Terms};
use crate::domain::time::{self, DateMeaning, Instant, human_datetime, rfc3339};
use crate::domain::trust;
use crate::domain::validate::validate_note;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use crate::render::{self, paint, percent};
use std::io::Write;

pub fn amend(ctx: &Ctx, ledger: &mut Ledger, a: AmendArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let x = find(&agreements, &a.agreement, ctx.now)?.clone();
    refuse_if_closed(&x, ctx.now)?;
    refuse_if_ended(&x, ctx.now, "amend")?;
    let note = validate_note(a.note.as_deref())?;
    let parsed = parse_terms(&a.terms, x.zone, ctx.now)?;
    let (_, current) = x.plan.version_at(ctx.now);
    refuse_if_due(&x, &current.terms, ctx.now)?;
    let latest = x.plan.versions_in_force().last().cloned().expect("a version");
    if latest.terms == parsed.terms && latest.unit == parsed.unit {
        return Err(Error::usage(format!("{} already has the terms {}", x.slug, parsed.terms)));
    }
    let from = a.from.as_deref().map(|f| when(f, ctx, x.zone, DateMeaning::Start, "--from")).transpose()?;
    let effective = effective(ctx, &x, &current, &parsed.terms, from)?;
    refuse_a_passed_deadline(&x, &parsed.terms, effective, ctx.now)?;
    if !a.anyway {
        let more = parsed.terms.load() > current.terms.load();
        refuse_overpromise(ctx, ledger, &agreements, &x, &parsed.terms, more)?;
    }
    let tx = ledger.write()?;
    tx.add_version(
        &new_uuid(),
        x.id,
        &parsed.terms.to_string(),
        parsed.unit.as_deref(),
        effective,
        note.as_deref(),
        ctx.now,
    )?;
    tx.commit()?;
    let updated = ledger.agreement(x.id)?.expect("still there");
    if ctx.env.json {
        return write_json(out, &super::promise_json(ctx, ledger, &updated)?);
    }
    write_amended(ctx, &x, &updated, &parsed, effective, out)
}

/// A deadline may be moved until it is due; after that it was kept or
/// missed, and that stays on the record (docs/design.md §1).
fn refuse_if_due(x: &Agreement, current: &Terms, now: Instant) -> Result<()> {
    match slots::due_of_deadline(current, x.zone) {
        Some(due) if due <= now => Err(Error::usage(format!(
            "{} was due {}; a deadline can be amended only until it is due",
            x.slug,
            crate::render::words::due(due, x.zone, now)
        ))
        .hint("make a new promise with `troth promise … --terms \"by DATE\"` for the new date")),
        _ => Ok(()),
    }
}

/// When the new terms take effect: the next slot boundary (or `--from`, not
/// before it), never before the promise starts; a deadline not yet due is
/// moved in place.
fn effective(ctx: &Ctx, x: &Agreement, current: &Version, terms: &Terms, from: Option<Instant>) -> Result<Instant> {
    match (current.terms, terms, from) {
        // A deadline may be moved until it is due: the new due time replaces the old one.
        (Terms::Deadline { .. }, Terms::Deadline { .. }, None)
            if slots::due_of_deadline(&current.terms, x.zone).is_some_and(|d| ctx.now < d) =>
        {
            Ok(current.effective)
        }
        _ => {
            // A promise not yet started takes no slots before its `starts`.
            let base = x.plan.next_boundary(ctx.now).max(x.starts);
            let base = match from {
                Some(f) if f < base => {
                    return Err(Error::usage(format!(
                        "--from {} is before the new terms could start",
                        time::human_datetime(f, x.zone, ctx.now)
                    ))
                    .hint(format!(
                        "the slot under way keeps the terms it was promised under; the earliest is {}",
                        rfc3339(base, x.zone)
                    )));
                }
                Some(f) => f,
                None => base,
            };
            Ok(slots::first_start(terms, x.zone, base))
        }
    }
}

/// New deadline terms must still be ahead, of now and of when they take effect.
fn refuse_a_passed_deadline(x: &Agreement, terms: &Terms, effective: Instant, now: Instant) -> Result<()> {
    match slots::due_of_deadline(terms, x.zone) {
        Some(due) if due <= effective.max(x.starts) || due <= now => Err(Error::usage(format!(
            "the new deadline {} has already passed",
            crate::render::words::due(due, x.zone, now)
        ))
        .hint("choose a due time that is still ahead")),
        _ => Ok(()),
    }
}

/// What `amend` says of `x`: the new terms and when they begin, and until
/// then the terms in force just before, as the `updated` promise has them (an
/// earlier change still pending is replaced by this one: docs/design.md §9).
fn write_amended(
    ctx: &Ctx,
    x: &Agreement,
    updated: &Agreement,
    parsed: &terms::Parsed,
    effective: Instant,
    out: &mut dyn Write,
) -> Result<()> {
    let when = if effective <= ctx.now {
        "now".to_string()
    } else {
        format!("from {}", human_datetime(effective, x.zone, ctx.now))
    };
    writeln!(
        out,
        "{}  {} — {} {when}",
        paint(render::CALM, "amended"),
        x.slug,
        crate::render::words::terms_both(&parsed.terms, parsed.unit.as_deref()),
    )?;
    let until_then = updated.plan.version_at(effective - chrono::Duration::seconds(1)).1.terms;
    if effective > ctx.now && until_then != Terms::Standing {
        writeln!(out, "         until then: {until_then} — the slot under way keeps the terms it was promised under")?;
    }
    Ok(())
}

/// Past its `ends` a promise has no slot left to change: amending, pausing
/// or resuming it would change nothing (retiring it still tidies `list`).
pub(super) fn refuse_if_ended(x: &Agreement, now: Instant, verb: &str) -> Result<()> {
    match x.ends {
        Some(end) if end <= now => Err(Error::usage(format!(
            "{} ended {}; there is nothing left to {verb}",
            x.slug,
            crate::render::words::due(end, x.zone, now)
        ))
        .hint("make a new promise with `troth promise` if it is to go on")),
        _ => Ok(()),
    }
}

pub(super) fn refuse_if_closed(x: &Agreement, now: Instant) -> Result<()> {
    if x.is_void() {
        return Err(Error::usage(format!("{} was voided as entered by mistake; it takes nothing more", x.slug))
            .hint("make it again with `troth promise` if it was meant"));
    }
    if x.retired_at(now) {
        return Err(Error::usage(format!("{} is retired; retirement is final", x.slug))
            .hint("make a new promise with `troth promise` if it is to go on"));
    }
    Ok(())
}

/// Terms that ask for more than the record supports are refused (docs/design.md
/// §4): when this promise's own record is over-promised and the new terms
/// exceed what it supports — easing 4 a month to 3 when 2 are kept included;
/// easing one that delivered nothing (no suggestion) goes ahead —
/// or, for terms asking more than before, when its maker is over-promising.
fn refuse_overpromise(
    ctx: &Ctx,
    ledger: &Ledger,
    agreements: &[Agreement],
    x: &Agreement,
    terms: &Terms,
    more: bool,
) -> Result<()> {
    let own = trust::analyze(x, &ledger.facts_of(x.id)?, ctx.now, ctx.now);
    if let Some(j) = trust::judge(x, &own, ctx.now, None, ctx.settings.threshold) {
        let supported = j.suggested.map(|t| t.load()).unwrap_or(0.0);
        // Easing a promise with nothing delivered has no figure to exceed.
        if j.overpromised && (more || j.suggested.is_some()) && terms.load() > supported + 1e-9 {
            let mut err = Error::usage(format!(
                "{}'s record for {}: promised {}, delivered {} over the last {} slots ({})",
                x.by,
                x.slug,
                j.promised,
                j.delivered,
                j.slots,
                percent(j.rate)
            ));
            err = err.hint(format!(
                "{} looks like more than the record supports{}",
                terms,
                j.suggested.map(|t| format!("; {t} does")).unwrap_or_default()
            ));
            return Err(err.hint("promise it anyway with --anyway, or choose terms you can keep"));
        }
    }
    if !more {
        return Ok(());
    }
    let book = Book::new(agreements, ledger.facts(None)?, ctx.now, ctx.now);
    if let Some(record) = overpromised_record(ctx, &book, &x.by) {
        return Err(Error::usage(format!("{record}; these terms ask for more"))
            .hint("choose terms you can keep, or add --anyway"));
    }
    Ok(())
}
