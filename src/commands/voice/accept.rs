//! `accept`: the one it was promised to accepts a repair — once (docs/design.md §10).

use super::{agreement_of, analyse, parse_id};
use crate::cli::AcceptArgs;
use crate::commands::Ctx;
use crate::domain::time::{human_datetime, rfc3339};
use crate::domain::trust;
use crate::domain::validate::validate_note;
use crate::error::{Error, Result};
use crate::ledger::voice::NewAcceptance;
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use crate::render::json::{entry_uuids, repair_json};
use crate::render::{self, paint, trust2};
use std::io::Write;

pub fn accept(ctx: &Ctx, ledger: &mut Ledger, a: AcceptArgs, out: &mut dyn Write) -> Result<()> {
    let id = parse_id(&a.repair_id, "a repair", "`troth inbox` shows the repairs offered to you")?;
    let note = validate_note(a.note.as_deref())?;
    let agreements = ledger.agreements()?;
    let Some((x, r)) = agreements.iter().find_map(|x| x.repairs.iter().find(|r| r.id == id).map(|r| (x, r))) else {
        return Err(
            Error::usage(format!("there is no repair #{id}")).hint("`troth inbox` shows the repairs offered to you")
        );
    };
    let me = ctx.settings.default_by();
    if me != x.to || me == r.by {
        return Err(Error::usage(format!("only {}, to whom {} was promised, can accept repair #{id}", x.to, x.slug))
            .hint(format!("on a shared ledger, say who is accepting: troth accept {id} --as {}", x.to)));
    }
    if x.is_void() {
        return Err(Error::usage(format!(
            "{} was voided as entered by mistake; its repairs count for nothing",
            x.slug
        )));
    }
    super::not_retired(x, ctx.now)?;
    if let Some(acc) = r.accepted() {
        return Err(Error::usage(format!(
            "repair #{id} was already accepted by {} on {}; it is accepted once",
            acc.by,
            human_datetime(acc.at, x.zone, ctx.now)
        ))
        .hint("trust comes back through kept promises from here"));
    }
    if ctx.now + chrono::Duration::seconds(crate::sync::SKEW_SECS) < r.at {
        return Err(Error::usage(format!("repair #{id} was offered at {}, after now", rfc3339(r.at, x.zone))));
    }
    let (entries, before) = analyse(ledger, x, ctx.now)?;
    match (r.entry_id, r.slot_start) {
        (Some(eid), _) => {
            let e = entries.iter().find(|e| e.id == eid);
            if e.is_none_or(|e| e.void.is_some()) {
                return Err(Error::usage(format!("the broken entry #{eid} that repair #{id} answers is void")));
            }
            if let Some(other) = x.repairs.iter().find(|o| o.entry_id == Some(eid) && before.repairs.contains(&o.id)) {
                return Err(Error::usage(format!(
                    "entry #{eid} already has an accepted repair (#{}); one is all a broken entry takes",
                    other.id
                )));
            }
            if before.why.contains_key(&eid) {
                return Err(Error::usage(format!(
                    "entry #{eid} is disputed, so it counts for nothing until you two settle what happened"
                ))
                .hint(format!("confirm it first if it was broken: troth confirm {eid}")));
            }
        }
        (None, Some(start)) => {
            let missed = before.slots.iter().find(|s| s.slot.start == start && s.closed).map(|s| s.missed).unwrap_or(0);
            let accepted =
                x.repairs.iter().filter(|o| o.slot_start == Some(start) && before.repairs.contains(&o.id)).count();
            if accepted as u32 >= missed {
                return Err(Error::usage(format!(
                    "every missed unit of that slot of {} already has an accepted repair",
                    x.slug
                )));
            }
        }
        (None, None) => return Err(Error::failure("the repair names neither an entry nor a slot")),
    }
    let tx = ledger.write()?;
    tx.add_acceptance(&NewAcceptance { uuid: &new_uuid(), repair: id, by: &me, note: note.as_deref(), at: ctx.now })?;
    tx.commit()?;
    let agreements = ledger.agreements()?;
    let x = agreement_of(&agreements, x.id)?;
    let r = x.repairs.iter().find(|r| r.id == id).ok_or_else(|| Error::failure("the repair could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &repair_json(r, x, &entry_uuids(&entries)));
    }
    let (_, after) = analyse(ledger, x, ctx.now)?;
    let p = &ctx.settings.trust;
    let t0 = trust::score_at(&before.events, p, ctx.now).trust;
    let t1 = trust::score_at(&after.events, p, ctx.now).trust;
    writeln!(
        out,
        "{}  repair #{id} · you chose to trust a little more · {} trust {} → {}",
        paint(render::KEPT, "accepted"),
        x.slug,
        trust2(t0),
        trust2(t1)
    )?;
    Ok(())
}
