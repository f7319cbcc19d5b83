//! `confirm` and `dispute`: the other party's word on an entry (docs/design.md §10).

use super::{agreement_of, analyse, load_entry, names, parse_id};
use crate::commands::Ctx;
use crate::domain::Outcome;
use crate::domain::time::{human_date, rfc3339};
use crate::domain::validate::validate_note;
use crate::domain::voice::{VerdictKind, latest_by, other_parties};
use crate::error::{Error, Result};
use crate::ledger::voice::NewVerdict;
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::{entry_json, write_json};
use crate::render::{self, paint};
use std::io::Write;

/// `confirm ENTRY` (kind Confirmed) and `dispute ENTRY --note` (Disputed).
pub fn verdict(
    ctx: &Ctx,
    ledger: &mut Ledger,
    arg: &str,
    kind: VerdictKind,
    note: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let id = parse_id(arg, "an entry", "`troth log` shows each entry's id")?;
    let note = validate_note(note)?;
    if kind == VerdictKind::Disputed && note.is_none() {
        return Err(Error::usage("a dispute says what you saw: --note \"…\" cannot be empty")
            .hint("for example: troth dispute 41 --note \"you were on your phone most of the evening\""));
    }
    let e = load_entry(ledger, id)?;
    let agreements = ledger.agreements()?;
    let x = agreement_of(&agreements, e.agreement_id)?;
    let verb = if kind == VerdictKind::Confirmed { "confirm" } else { "dispute" };
    if e.void.is_some() {
        return Err(Error::usage(format!("entry #{id} is void; there is nothing to {verb}"))
            .hint("`troth log --all` shows void entries"));
    }
    if x.is_void() {
        return Err(Error::usage(format!("entry #{id} is on {}, which was voided as entered by mistake", x.slug)));
    }
    super::not_retired(x, ctx.now)?;
    let me = ctx.settings.default_by();
    let others = other_parties(&x.by, &x.to, &e.logged_by);
    if !others.contains(&me.as_str()) {
        let why = if me == e.logged_by {
            format!("you logged entry #{id} yourself; only {} can {verb} it", names(&others))
        } else {
            format!(
                "entry #{id} is about a promise between {} and {}; only {} can {verb} it",
                x.by,
                x.to,
                names(&others)
            )
        };
        return Err(Error::usage(why)
            .hint(format!("on a shared ledger, say who is answering: troth {verb} {id} --as {}", others[0])));
    }
    // The partner's clock may run a little ahead: an entry from up to the
    // allowed skew in this device's future is here, and can be answered
    // (docs/design.md §9).
    if ctx.now + chrono::Duration::seconds(crate::sync::SKEW_SECS) < e.logged_at {
        return Err(Error::usage(format!("entry #{id} was logged at {}, after now", rfc3339(e.logged_at, x.zone))));
    }
    let before = latest_by(&e.verdicts, &me).map(|v| v.kind);
    let tx = ledger.write()?;
    tx.add_verdict(&NewVerdict { uuid: &new_uuid(), entry: id, kind, by: &me, note: note.as_deref(), at: ctx.now })?;
    tx.commit()?;
    let (entries, analysis) = analyse(ledger, x, ctx.now)?;
    let e =
        entries.into_iter().find(|en| en.id == id).ok_or_else(|| Error::failure("the entry could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &entry_json(&e, x, Some(&analysis)));
    }
    let what = format!("#{id} {} ({} {})", x.slug, e.outcome.name(), human_date(e.at, x.zone, ctx.now));
    let tail = match (kind, e.outcome) {
        (VerdictKind::Disputed, Outcome::Excused) => {
            "the excuse does not count meanwhile — the unit is promised again".to_string()
        }
        (VerdictKind::Disputed, _) => "held until you two talk it through — it counts for nothing meanwhile".into(),
        (VerdictKind::Confirmed, _) if before == Some(VerdictKind::Disputed) => {
            "your dispute is withdrawn; it counts again".into()
        }
        (VerdictKind::Confirmed, Outcome::Excused) if analysis.late_excuses.contains(&id) => {
            "the late excuse counts now".into()
        }
        (VerdictKind::Confirmed, _) => "you both see it the same way".into(),
    };
    let word = if kind == VerdictKind::Confirmed { "confirmed" } else { "disputed" };
    writeln!(out, "{}  {what} · {tail}", paint(render::CALM, word))?;
    Ok(())
}
