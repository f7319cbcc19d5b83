//! The partner's voice through the one door (docs/design.md §10): verdicts,
//! repairs and acceptances in the JSON document, checked as the commands
//! check them — a verdict only by the entry's other party (a dispute says
//! what was seen), a repair only by the promisor and only for a broken entry
//! of that promise or a slot, an acceptance only by the one it was promised
//! to — and applied by uuid. Two acceptances of one repair made on two
//! devices are both stored; the earliest counts (`domain::voice`).

use super::apply::{already_different, differs, made_in_future};
use super::check::{device_at, note_at, time_at, uuid_at};
use super::{Applied, Document, bad, refuse, utc};
use crate::domain::settings::validate_name;
use crate::domain::time::Instant;
use crate::domain::voice::VerdictKind;
use crate::error::Result;
use crate::ledger::door::{self, AgreementRow, EntryRow};
use crate::ledger::voice::{NewAcceptance, NewRepair, NewVerdict};
use crate::ledger::{Ledger, Tx, from_ts};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VerdictDoc {
    pub uuid: String,
    /// The entry's uuid.
    pub entry: String,
    /// `confirmed` or `disputed`.
    pub verdict: String,
    pub by: String,
    pub note: Option<String>,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RepairDoc {
    pub uuid: String,
    /// The promise's uuid.
    pub agreement: String,
    /// A broken entry's uuid, or null for a missed unit.
    pub entry: Option<String>,
    /// The start of the slot with the missed unit, or null.
    pub slot: Option<String>,
    pub by: String,
    pub understood: String,
    pub feeling: Option<String>,
    pub apology: String,
    pub plan: Option<String>,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AcceptanceDoc {
    pub uuid: String,
    /// The repair's uuid.
    pub repair: String,
    pub by: String,
    pub note: Option<String>,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// Every verdict, repair and acceptance of the ledger, for `from_ledger`.
pub(super) fn export(ledger: &Ledger, doc: &mut Document) -> Result<()> {
    let entry_uuid: HashMap<i64, String> = door::entries(ledger)?.into_iter().map(|e| (e.id, e.uuid)).collect();
    let agreement_uuid: HashMap<i64, String> = door::agreements(ledger)?.into_iter().map(|a| (a.id, a.uuid)).collect();
    let mut verdicts: Vec<_> = crate::ledger::voice::verdicts_of(ledger)?;
    verdicts.sort_by_key(|v| v.id);
    for v in verdicts {
        let Some(entry) = entry_uuid.get(&v.entry_id) else { continue };
        doc.verdicts.push(VerdictDoc {
            uuid: v.uuid,
            entry: entry.clone(),
            verdict: v.kind.name().into(),
            by: v.by,
            note: v.note,
            at: utc(v.at.timestamp()),
            device: v.device,
        });
    }
    for r in crate::ledger::voice::repairs_of(ledger)? {
        let Some(agreement) = agreement_uuid.get(&r.agreement_id) else { continue };
        let mut acceptances = r.acceptances.clone();
        acceptances.sort_by_key(|a| a.id);
        doc.repairs.push(RepairDoc {
            uuid: r.uuid.clone(),
            agreement: agreement.clone(),
            entry: r.entry_id.and_then(|e| entry_uuid.get(&e).cloned()),
            slot: r.slot_start.map(|t| utc(t.timestamp())),
            by: r.by,
            understood: r.understood,
            feeling: r.feeling,
            apology: r.apology,
            plan: r.plan,
            at: utc(r.at.timestamp()),
            device: r.device,
        });
        for a in acceptances {
            doc.acceptances.push(AcceptanceDoc {
                uuid: a.uuid,
                repair: r.uuid.clone(),
                by: a.by,
                note: a.note,
                at: utc(a.at.timestamp()),
                device: a.device,
            });
        }
    }
    Ok(())
}

pub(super) struct VerdictFact {
    path: String,
    uuid: String,
    entry: String,
    kind: VerdictKind,
    by: String,
    note: Option<String>,
    at: i64,
    device: Option<String>,
}

pub(super) struct RepairFact {
    path: String,
    uuid: String,
    agreement: String,
    entry: Option<String>,
    slot: Option<i64>,
    by: String,
    understood: String,
    feeling: Option<String>,
    apology: String,
    plan: Option<String>,
    at: i64,
    device: Option<String>,
}

pub(super) struct AcceptanceFact {
    path: String,
    uuid: String,
    repair: String,
    by: String,
    note: Option<String>,
    at: i64,
    device: Option<String>,
}

/// The document's §10 facts, each checked on its own.
#[derive(Default)]
pub(super) struct VoiceBatch {
    verdicts: Vec<VerdictFact>,
    repairs: Vec<RepairFact>,
    acceptances: Vec<AcceptanceFact>,
}

/// Required text of a repair: 1–4,000 characters.
fn text_at(at: &str, s: &str) -> Result<String> {
    match note_at(at, &Some(s.to_string()))? {
        Some(t) if !t.trim().is_empty() => Ok(t),
        _ => Err(bad(at, "must not be empty")),
    }
}

pub(super) fn check(doc: &Document) -> Result<VoiceBatch> {
    let mut out = VoiceBatch::default();
    for (i, v) in doc.verdicts.iter().enumerate() {
        let at = format!("verdicts[{i}]");
        let p = |f: &str| format!("{at}.{f}");
        let kind = VerdictKind::parse(v.verdict.trim()).ok_or_else(|| bad(&p("verdict"), "confirmed or disputed"))?;
        let note = note_at(&p("note"), &v.note)?;
        if kind == VerdictKind::Disputed && note.is_none() {
            return Err(bad(&p("note"), "a dispute says what was seen"));
        }
        out.verdicts.push(VerdictFact {
            uuid: uuid_at(&p("uuid"), &v.uuid)?,
            entry: uuid_at(&p("entry"), &v.entry)?,
            kind,
            by: validate_name(&v.by).map_err(|e| bad(&p("by"), e.message))?,
            note,
            at: time_at(&p("at"), &v.at)?,
            device: device_at(&p("device"), &v.device)?,
            path: at,
        });
    }
    for (i, r) in doc.repairs.iter().enumerate() {
        let at = format!("repairs[{i}]");
        let p = |f: &str| format!("{at}.{f}");
        let entry = r.entry.as_deref().map(|e| uuid_at(&p("entry"), e)).transpose()?;
        let slot = r.slot.as_deref().map(|s| time_at(&p("slot"), s)).transpose()?;
        if entry.is_some() == slot.is_some() {
            return Err(bad(&at, "a repair names a broken entry or a slot, exactly one of the two"));
        }
        out.repairs.push(RepairFact {
            uuid: uuid_at(&p("uuid"), &r.uuid)?,
            agreement: uuid_at(&p("agreement"), &r.agreement)?,
            entry,
            slot,
            by: validate_name(&r.by).map_err(|e| bad(&p("by"), e.message))?,
            understood: text_at(&p("understood"), &r.understood)?,
            feeling: note_at(&p("feeling"), &r.feeling)?,
            apology: text_at(&p("apology"), &r.apology)?,
            plan: note_at(&p("plan"), &r.plan)?,
            at: time_at(&p("at"), &r.at)?,
            device: device_at(&p("device"), &r.device)?,
            path: at,
        });
    }
    for (i, a) in doc.acceptances.iter().enumerate() {
        let at = format!("acceptances[{i}]");
        let p = |f: &str| format!("{at}.{f}");
        out.acceptances.push(AcceptanceFact {
            uuid: uuid_at(&p("uuid"), &a.uuid)?,
            repair: uuid_at(&p("repair"), &a.repair)?,
            by: validate_name(&a.by).map_err(|e| bad(&p("by"), e.message))?,
            note: note_at(&p("note"), &a.note)?,
            at: time_at(&p("at"), &a.at)?,
            device: device_at(&p("device"), &a.device)?,
            path: at,
        });
    }
    Ok(out)
}

fn entry_and_agreement(c: &Tx<'_>, path: &str, uuid: &str, entry: &str) -> Result<(EntryRow, AgreementRow)> {
    let missing =
        || refuse(path, uuid, format!("it names entry {entry}, which is in neither the file nor this ledger"));
    let e = door::entry_by_uuid(c, entry)?.ok_or_else(missing)?;
    let a = door::agreement_by_id(c, e.agreement_id)?.ok_or_else(missing)?;
    Ok((e, a))
}

fn zone(a: &AgreementRow) -> chrono_tz::Tz {
    a.zone.parse().unwrap_or(chrono_tz::UTC)
}

/// Apply after agreements and entries, so what they name is here.
pub(super) fn apply(c: &mut Tx<'_>, batch: VoiceBatch, now: Instant, done: &mut Applied) -> Result<()> {
    for v in batch.verdicts {
        apply_verdict(c, v, now, done)?;
    }
    for r in batch.repairs {
        apply_repair(c, r, now, done)?;
    }
    for x in batch.acceptances {
        apply_acceptance(c, x, now, done)?;
    }
    Ok(())
}

/// A verdict: only by the entry's other party, not before the entry was logged.
fn apply_verdict(c: &mut Tx<'_>, v: VerdictFact, now: Instant, done: &mut Applied) -> Result<()> {
    use crate::ledger::voice as lv;
    let (e, a) = entry_and_agreement(c, &v.path, &v.uuid, &v.entry)?;
    if let Some(here) = lv::verdict_by_uuid(c, &v.uuid)? {
        let field = differs(&[
            ("entry", here.entry_id == e.id),
            ("verdict", here.kind == v.kind),
            ("by", here.by == v.by),
            ("note", here.note == v.note),
            ("at", here.at.timestamp() == v.at),
            ("device", v.device.as_ref().is_none_or(|d| Some(d) == here.device.as_ref())),
        ]);
        if let Some(f) = field {
            return Err(already_different(&v.path, &v.uuid, "verdict", f));
        }
        done.skipped += 1;
        return Ok(());
    }
    let others = crate::domain::voice::other_parties(&a.by, &a.to, &e.logged_by);
    if !others.contains(&v.by.as_str()) {
        return Err(refuse(
            &v.path,
            &v.uuid,
            format!("{} is not the other party of the entry (only {} can give a verdict)", v.by, others.join(" or ")),
        ));
    }
    if v.at + super::SKEW_SECS < e.logged_at {
        return Err(refuse(&v.path, &v.uuid, "it was given before the entry was logged"));
    }
    made_in_future(&v.path, &v.uuid, v.at, now, zone(&a))?;
    c.set_origin(v.device.as_deref());
    c.add_verdict(&NewVerdict {
        uuid: &v.uuid,
        entry: e.id,
        kind: v.kind,
        by: &v.by,
        note: v.note.as_deref(),
        at: from_ts(v.at),
    })?;
    done.new += 1;
    Ok(())
}

/// A repair: only by the promisor, for a broken entry of that promise or a slot.
fn apply_repair(c: &mut Tx<'_>, r: RepairFact, now: Instant, done: &mut Applied) -> Result<()> {
    use crate::ledger::voice as lv;
    let a = door::agreement_by_uuid(&*c, &r.agreement)?.ok_or_else(|| {
        refuse(
            &r.path,
            &r.uuid,
            format!("it names promise {}, which is in neither the file nor this ledger", r.agreement),
        )
    })?;
    let entry = match &r.entry {
        Some(u) => {
            let (e, ea) = entry_and_agreement(c, &r.path, &r.uuid, u)?;
            if ea.id != a.id || e.outcome != "broken" {
                return Err(refuse(&r.path, &r.uuid, "its entry is not a broken entry of its promise"));
            }
            Some(e)
        }
        None => None,
    };
    if let Some(here) = lv::repair_by_uuid(c, &r.uuid)? {
        let field = differs(&[
            ("promise", here.agreement_id == a.id),
            ("entry", here.entry_id == entry.as_ref().map(|e| e.id)),
            ("slot", here.slot_start.map(|t| t.timestamp()) == r.slot),
            ("by", here.by == r.by),
            ("understood", here.understood == r.understood),
            ("feeling", here.feeling == r.feeling),
            ("apology", here.apology == r.apology),
            ("plan", here.plan == r.plan),
            ("at", here.at.timestamp() == r.at),
            ("device", r.device.as_ref().is_none_or(|d| Some(d) == here.device.as_ref())),
        ]);
        if let Some(f) = field {
            return Err(already_different(&r.path, &r.uuid, "repair", f));
        }
        done.skipped += 1;
        return Ok(());
    }
    if r.by != a.by {
        return Err(refuse(&r.path, &r.uuid, format!("only {}, who made the promise, can offer a repair", a.by)));
    }
    if entry.as_ref().is_some_and(|e| r.at + super::SKEW_SECS < e.logged_at) {
        return Err(refuse(&r.path, &r.uuid, "it was offered before its broken entry was logged"));
    }
    made_in_future(&r.path, &r.uuid, r.at, now, zone(&a))?;
    c.set_origin(r.device.as_deref());
    c.add_repair(&NewRepair {
        uuid: &r.uuid,
        agreement: a.id,
        entry: entry.as_ref().map(|e| e.id),
        slot_start: r.slot.map(from_ts),
        by: &r.by,
        understood: &r.understood,
        feeling: r.feeling.as_deref(),
        apology: &r.apology,
        plan: r.plan.as_deref(),
        at: from_ts(r.at),
    })?;
    done.new += 1;
    Ok(())
}

/// An acceptance: only by the one the promise was made to, after the offer.
fn apply_acceptance(c: &mut Tx<'_>, x: AcceptanceFact, now: Instant, done: &mut Applied) -> Result<()> {
    use crate::ledger::voice as lv;
    let repair = lv::repair_by_uuid(c, &x.repair)?.ok_or_else(|| {
        refuse(&x.path, &x.uuid, format!("it names repair {}, which is in neither the file nor this ledger", x.repair))
    })?;
    if let Some(here) = lv::acceptance_by_uuid(c, &x.uuid)? {
        let field = differs(&[
            ("repair", here.repair_id == repair.id),
            ("by", here.by == x.by),
            ("note", here.note == x.note),
            ("at", here.at.timestamp() == x.at),
            ("device", x.device.as_ref().is_none_or(|d| Some(d) == here.device.as_ref())),
        ]);
        if let Some(f) = field {
            return Err(already_different(&x.path, &x.uuid, "acceptance", f));
        }
        done.skipped += 1;
        return Ok(());
    }
    let a = door::agreement_by_id(&*c, repair.agreement_id)?
        .ok_or_else(|| refuse(&x.path, &x.uuid, "its repair's promise is not here"))?;
    if x.by != a.to || x.by == repair.by {
        return Err(refuse(
            &x.path,
            &x.uuid,
            format!("only {}, to whom the promise was made, can accept its repairs", a.to),
        ));
    }
    if x.at + super::SKEW_SECS < repair.at.timestamp() {
        return Err(refuse(&x.path, &x.uuid, "it was accepted before the repair was offered"));
    }
    made_in_future(&x.path, &x.uuid, x.at, now, zone(&a))?;
    c.set_origin(x.device.as_deref());
    c.add_acceptance(&NewAcceptance {
        uuid: &x.uuid,
        repair: repair.id,
        by: &x.by,
        note: x.note.as_deref(),
        at: from_ts(x.at),
    })?;
    done.new += 1;
    Ok(())
}
