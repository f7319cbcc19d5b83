//! Applying a checked batch in one transaction: facts already here are
//! skipped (the same uuid, the same content), facts that contradict what is
//! here are refused by name, and the rest are stored (docs/design.md §9 "Applying").

use super::check::{AgreementFact, Batch, EntryFact, ReminderFact, VoidFact, check};
use super::plan::{apply_statuses, apply_versions};
use super::{Applied, Document, SKEW_SECS, refuse, voice};
use crate::domain::Outcome;
use crate::domain::time::{Instant, rfc3339};
use crate::error::{Error, Result};
use crate::ledger::door::{self, AgreementRow, EntryRow, ResultRow};
use crate::ledger::{Ledger, NewAgreement, Tx, from_ts, new_uuid, ts};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Apply a batch in its own IMMEDIATE transaction: all of it, or nothing.
pub fn apply(ledger: &mut Ledger, doc: &Document, now: Instant) -> Result<Applied> {
    let batch = check(doc)?;
    let mut tx = ledger.write()?;
    let applied = apply_batch(&mut tx, batch, now)?;
    tx.commit()?;
    Ok(applied)
}

/// Apply a batch inside a transaction the caller holds (sync records which
/// file it applied in the same transaction). On an error the caller must
/// roll back (dropping the transaction does).
pub fn apply_in(tx: &mut Tx<'_>, doc: &Document, now: Instant) -> Result<Applied> {
    let batch = check(doc)?;
    let done = apply_batch(tx, batch, now);
    tx.set_origin(None);
    done
}

/// What the door knows of an agreement while applying.
#[derive(Clone)]
pub(super) struct Known {
    pub(super) row: AgreementRow,
    pub(super) zone: Tz,
}

pub(super) fn known(c: &Tx<'_>, uuid: &str, batch: &HashMap<String, Known>) -> Result<Option<Known>> {
    if let Some(k) = batch.get(uuid) {
        return Ok(Some(k.clone()));
    }
    Ok(door::agreement_by_uuid(c, uuid)?.and_then(|row| row.zone.parse().ok().map(|zone| Known { row, zone })))
}

pub(super) fn at_text(t: i64, zone: Tz) -> String {
    rfc3339(from_ts(t), zone)
}

/// The first field in which a stored row and an incoming fact differ.
pub(super) fn differs<'a>(pairs: &[(&'a str, bool)]) -> Option<&'a str> {
    pairs.iter().find(|(_, same)| !same).map(|(name, _)| *name)
}

pub(super) fn already_different(at: &str, uuid: &str, what: &str, field: &str) -> Error {
    refuse(at, uuid, format!("a different {what} with this uuid is already here (its {field} differs)"))
}

pub(super) fn made_in_future(at: &str, uuid: &str, made: i64, now: Instant, zone: Tz) -> Result<()> {
    if made > ts(now) + SKEW_SECS {
        return Err(refuse(at, uuid, format!("it was made in the future ({})", at_text(made, zone))));
    }
    Ok(())
}

pub(super) fn apply_batch(c: &mut Tx<'_>, batch: Batch, now: Instant) -> Result<Applied> {
    let mut done = Applied::default();
    for (key, value) in batch.settings {
        if c.setting(&key)?.is_none() {
            c.set_setting(&new_uuid(), &key, &value, now)?;
            done.new += 1;
        } else {
            done.skipped += 1;
        }
    }
    // The file's own promises, by uuid: its entries and reminders may name them.
    let mut agreements: HashMap<String, Known> = HashMap::new();
    for fa in batch.agreements {
        let k = apply_agreement(c, fa, now, &mut done)?;
        agreements.insert(k.row.uuid.clone(), k);
    }
    for fe in batch.entries {
        apply_entry(c, fe, &agreements, now, &mut done)?;
    }
    voice::apply(c, batch.voice, now, &mut done)?;
    for r in batch.reminders {
        apply_reminder(c, r, &agreements, now, &mut done)?;
    }
    Ok(done)
}

/// A promise with its terms, statuses and voids: stored, or found the same.
fn apply_agreement(c: &mut Tx<'_>, fa: AgreementFact, now: Instant, done: &mut Applied) -> Result<Known> {
    let a = fa.row;
    let zone: Tz = a.zone.parse().expect("checked");
    let id = match door::agreement_by_uuid(&*c, &a.uuid)? {
        Some(here) => {
            let field = differs(&[
                ("text", here.text == a.text),
                ("by", here.by == a.by),
                ("to", here.to == a.to),
                ("zone", here.zone == a.zone),
                ("starts", here.starts == a.starts),
                ("ends", here.ends == a.ends),
                ("remind", here.remind == a.remind),
                ("created", here.created == a.created),
                ("device", fa.device.as_ref().is_none_or(|d| *d == here.device)),
            ]);
            if let Some(f) = field {
                return Err(already_different(&fa.path, &a.uuid, "promise", f));
            }
            done.skipped += 1;
            here.id
        }
        None => {
            made_in_future(&fa.path, &a.uuid, a.created, now, zone)?;
            c.set_origin(fa.device.as_deref());
            // The slug is stored as made: where it clashes with a live
            // promise here, the one made later shows numbered — derived
            // on reading (`domain::converge::display_slugs`), the same
            // on every device whatever arrived first.
            let slug = a.slug.clone();
            let id = c.add_agreement(&NewAgreement {
                uuid: a.uuid.clone(),
                slug: &slug,
                text: &a.text,
                by: &a.by,
                to: &a.to,
                zone,
                starts: from_ts(a.starts),
                ends: a.ends.map(from_ts),
                remind: a.remind.clone(),
                created_at: from_ts(a.created),
            })?;
            done.new += 1;
            done.agreements += 1;
            id
        }
    };
    let k = Known { row: AgreementRow { id, ..a.clone() }, zone };
    apply_versions(c, &k, fa.versions, now, done)?;
    apply_statuses(c, &k, fa.statuses, now, done)?;
    for v in fa.voids {
        apply_void(c, v, (None, Some(id)), "promise", a.created, now, zone, done)?;
    }
    Ok(k)
}

fn apply_entry(
    c: &mut Tx<'_>,
    fe: EntryFact,
    agreements: &HashMap<String, Known>,
    now: Instant,
    done: &mut Applied,
) -> Result<()> {
    let Some(k) = known(&*c, &fe.agreement, agreements)? else {
        return Err(refuse(
            &fe.path,
            &fe.row.uuid,
            format!("it names promise {}, which is in neither the file nor this ledger", fe.agreement),
        ));
    };
    let e = EntryRow { agreement_id: k.row.id, ..fe.row };
    let id = match door::entry_by_uuid(&*c, &e.uuid)? {
        Some(here) => {
            let field = differs(&[
                ("promise", here.agreement_id == e.agreement_id),
                ("outcome", here.outcome == e.outcome),
                ("at", here.at == e.at),
                ("note", here.note == e.note),
                ("logged_by", here.logged_by == e.logged_by),
                ("logged_at", here.logged_at == e.logged_at),
                ("device", fe.device.as_ref().is_none_or(|d| *d == here.device)),
            ]);
            if let Some(f) = field {
                return Err(already_different(&fe.path, &e.uuid, "entry", f));
            }
            done.skipped += 1;
            here.id
        }
        None => {
            check_entry(&fe.path, &e, &k, now)?;
            c.set_origin(fe.device.as_deref());
            let outcome = Outcome::parse(&e.outcome).expect("checked");
            let id = c.add_entry(
                &e.uuid,
                k.row.id,
                outcome,
                from_ts(e.at),
                e.note.as_deref(),
                &e.logged_by,
                from_ts(e.logged_at),
            )?;
            done.new += 1;
            done.entries += 1;
            id
        }
    };
    for v in fe.voids {
        apply_void(c, v, (Some(id), None), "entry", e.logged_at, now, k.zone, done)?;
    }
    Ok(())
}

fn apply_reminder(
    c: &mut Tx<'_>,
    r: ReminderFact,
    agreements: &HashMap<String, Known>,
    now: Instant,
    done: &mut Applied,
) -> Result<()> {
    let Some(k) = known(&*c, &r.agreement, agreements)? else {
        return Err(refuse(
            &r.path,
            &r.uuid,
            format!("it names promise {}, which is in neither the file nor this ledger", r.agreement),
        ));
    };
    let claim_id = match door::claim_by_uuid(&*c, &r.uuid)? {
        Some(here) => {
            let field = differs(&[
                ("promise", here.agreement_id == k.row.id),
                ("slot_start", here.slot_start == r.slot_start),
                ("claimed", here.claimed == r.claimed),
            ]);
            if let Some(f) = field {
                return Err(already_different(&r.path, &r.uuid, "reminder", f));
            }
            done.skipped += 1;
            here.id
        }
        None => {
            made_in_future(&r.path, &r.uuid, r.claimed, now, k.zone)?;
            done.new += 1;
            door::insert_claim(&*c, &r.uuid, k.row.id, r.slot_start, r.claimed)?
        }
    };
    if let Some((path, res)) = r.result {
        let res = ResultRow { claim_id, ..res };
        match door::result_by_uuid(&*c, &res.uuid)? {
            Some(here) => {
                let field = differs(&[
                    ("reminder", here.claim_id == res.claim_id),
                    ("outcome", here.outcome == res.outcome),
                    ("detail", here.detail == res.detail),
                    ("at", here.at == res.at),
                ]);
                if let Some(f) = field {
                    return Err(already_different(&path, &res.uuid, "reminder result", f));
                }
                done.skipped += 1;
            }
            None if door::result_of_claim(&*c, claim_id)?.is_some() => done.skipped += 1,
            None => {
                if res.at < r.claimed {
                    return Err(refuse(&path, &res.uuid, "it was recorded before its reminder was claimed"));
                }
                made_in_future(&path, &res.uuid, res.at, now, k.zone)?;
                door::insert_result(&*c, &res)?;
                done.new += 1;
            }
        }
    }
    Ok(())
}

/// An entry the command line would have taken when it was logged.
pub(super) fn check_entry(path: &str, e: &EntryRow, k: &Known, now: Instant) -> Result<()> {
    let z = k.zone;
    made_in_future(path, &e.uuid, e.logged_at, now, z)?;
    if e.at < k.row.starts {
        return Err(refuse(
            path,
            &e.uuid,
            format!("its time {} is before the promise started ({})", at_text(e.at, z), at_text(k.row.starts, z)),
        ));
    }
    if let Some(end) = k.row.ends
        && e.at >= end
    {
        return Err(refuse(
            path,
            &e.uuid,
            format!("its time {} is not before the promise ended ({})", at_text(e.at, z), at_text(end, z)),
        ));
    }
    if e.outcome != "excused" && e.at > e.logged_at {
        return Err(refuse(
            path,
            &e.uuid,
            format!(
                "it was logged at {} about a time still in the future then ({}); troth logs what has happened",
                at_text(e.logged_at, z),
                at_text(e.at, z)
            ),
        ));
    }
    Ok(())
}

/// A void of an entry or a promise (`target`: entry id, agreement id).
#[allow(clippy::too_many_arguments)]
pub(super) fn apply_void(
    c: &mut Tx<'_>,
    v: VoidFact,
    target: (Option<i64>, Option<i64>),
    what: &str,
    made: i64,
    now: Instant,
    zone: Tz,
    done: &mut Applied,
) -> Result<()> {
    if let Some(here) = door::void_by_uuid(&*c, &v.uuid)? {
        let field = differs(&[
            (what, (here.entry_id, here.agreement_id) == target),
            ("reason", here.reason == v.reason),
            ("at", here.at == v.at),
            ("device", v.device.as_ref().is_none_or(|d| *d == here.device)),
        ]);
        if let Some(f) = field {
            return Err(already_different(&v.path, &v.uuid, "void", f));
        }
        done.skipped += 1;
        return Ok(());
    }
    made_in_future(&v.path, &v.uuid, v.at, now, zone)?;
    if v.at + SKEW_SECS < made {
        return Err(refuse(&v.path, &v.uuid, format!("it voids the {what} before the {what} was made")));
    }
    c.set_origin(v.device.as_deref());
    match target {
        (Some(entry), _) => c.void_entry(&v.uuid, entry, v.reason.as_deref(), from_ts(v.at))?,
        (None, Some(agreement)) => c.void_agreement(&v.uuid, agreement, v.reason.as_deref(), from_ts(v.at))?,
        (None, None) => {}
    }
    done.new += 1;
    done.voids += 1;
    Ok(())
}
