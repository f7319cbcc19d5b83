//! Publishing: this device's new facts become one sealed file in the folder,
//! naming the hash of its previous file (docs/design.md §9).

use super::{Envelope, Folder, SettingFact, folder_error};
use super::{crypto, folder};
use crate::domain::time::Instant;
use crate::error::{Error, Result};
use crate::interchange::json::utc;
use crate::interchange::json::{
    AcceptanceDoc, AgreementDoc, Document, EntryDoc, RepairDoc, StatusDoc, VerdictDoc, VersionDoc, VoidDoc, Voids,
};
use crate::ledger::door::{self, VoidRow};
use crate::ledger::sync::{self as store, FileRow, NewFacts};
use crate::ledger::{Identity, Ledger, Tx, ts};
use std::collections::{HashMap, HashSet};

/// Build the batch that carries `new`: every touched agreement with its
/// terms, statuses and voids; every touched entry with its voids.
pub(super) fn batch(ledger: &crate::ledger::Tx<'_>, new: &NewFacts, now: Instant) -> Result<Document> {
    let mut doc = Document::empty(now);
    let mut uuids: HashMap<i64, String> = HashMap::new();
    let void_doc = |v: VoidRow| VoidDoc { uuid: v.uuid, reason: v.reason, at: utc(v.at), device: Some(v.device) };
    for &aid in &new.agreements {
        let Some(a) = door::agreement_by_id(ledger, aid)? else { continue };
        uuids.insert(aid, a.uuid.clone());
        let versions = door::versions_of(ledger, aid)?.into_iter().map(VersionDoc::from).collect();
        let statuses = door::statuses_of(ledger, aid)?.into_iter().map(StatusDoc::from).collect();
        let voids = store::voids_of(ledger, aid, false)?.into_iter().map(void_doc).collect();
        doc.agreements.push(AgreementDoc::from_row(a, Voids(voids), versions, statuses));
    }
    let mut entry_uuids: HashMap<i64, String> = HashMap::new();
    for e in store::entries_by_id(ledger, &new.entries)? {
        entry_uuids.insert(e.id, e.uuid.clone());
        let Some(agreement) = uuids.get(&e.agreement_id).cloned() else { continue };
        let voids = store::voids_of(ledger, e.id, true)?.into_iter().map(void_doc).collect();
        doc.entries.push(EntryDoc {
            uuid: e.uuid,
            agreement,
            outcome: e.outcome,
            at: utc(e.at),
            note: e.note,
            logged_by: e.logged_by,
            logged_at: utc(e.logged_at),
            void: Voids(voids),
            device: Some(e.device),
        });
    }
    // The partner's voice (docs/design.md §10): each with what it names.
    for u in &new.verdicts {
        let Some(v) = crate::ledger::voice::verdict_by_uuid(ledger, u)? else { continue };
        let Some(entry) = entry_uuids.get(&v.entry_id).cloned() else { continue };
        doc.verdicts.push(VerdictDoc {
            uuid: v.uuid,
            entry,
            verdict: v.kind.name().into(),
            by: v.by,
            note: v.note,
            at: utc(ts(v.at)),
            device: v.device,
        });
    }
    for u in &new.repairs {
        let Some(r) = crate::ledger::voice::repair_by_uuid(ledger, u)? else { continue };
        let Some(agreement) = uuids.get(&r.agreement_id).cloned() else { continue };
        doc.repairs.push(RepairDoc {
            uuid: r.uuid,
            agreement,
            entry: r.entry_id.and_then(|e| entry_uuids.get(&e).cloned()),
            slot: r.slot_start.map(|t| utc(ts(t))),
            by: r.by,
            understood: r.understood,
            feeling: r.feeling,
            apology: r.apology,
            plan: r.plan,
            at: utc(ts(r.at)),
            device: r.device,
        });
    }
    for u in &new.acceptances {
        let Some(a) = crate::ledger::voice::acceptance_by_uuid(ledger, u)? else { continue };
        let Some(repair) = store::repair_uuid(ledger, a.repair_id)? else { continue };
        doc.acceptances.push(AcceptanceDoc {
            uuid: a.uuid,
            repair,
            by: a.by,
            note: a.note,
            at: utc(ts(a.at)),
            device: a.device,
        });
    }
    Ok(doc)
}

/// This device's latest file: the next one names it.
pub(super) fn head(files: &[FileRow], device: &str) -> Option<FileRow> {
    files
        .iter()
        .filter(|f| f.device == device && f.state != "refused")
        .max_by(|a, b| (a.seq, a.written, &a.hash).cmp(&(b.seq, b.written, &b.hash)))
        .cloned()
}

/// Publish what this device made since its last file (with `all`, every
/// fact in the ledger: `sync setup`, `sync join`). Returns the facts written.
pub fn publish(ledger: &mut Ledger, f: &Folder, now: Instant, all: bool) -> Result<usize> {
    publish_noting_clock(ledger, f, now, all).map(|(n, _)| n)
}

/// `publish`, and — when it wrote a file while this device's clock read more
/// than the allowed skew before its previous file was written (the clock was
/// set back) — that previous time: the other devices refuse the new file and
/// every later one (docs/design.md §9), so the caller says so.
pub fn publish_noting_clock(ledger: &mut Ledger, f: &Folder, now: Instant, all: bool) -> Result<(usize, Option<i64>)> {
    let id = ledger.identity()?;
    // Nothing made here since the last file (a synced command published in
    // its own transaction, or wrote nothing): no transaction, no fsync.
    if !all && store::caught_up(&*ledger)? && head(&store::files(&*ledger)?, &id.device).is_some() {
        return Ok((0, None));
    }
    let person = ledger.settings()?.me;
    let tx = ledger.write()?;
    let done = publish_in(&tx, f, now, all, &id, person)?;
    tx.commit()?;
    Ok(done)
}

/// Publish inside `tx`, the transaction that made the facts (or one of its
/// own): the file goes into the folder — written, synced, renamed, the
/// folder synced — before `tx` commits the marks that say it is out. A
/// crash before the commit leaves a file whose facts this ledger lacks; the
/// next command applies it from the folder like any other device's file,
/// so nothing is lost and nothing is published twice (docs/design.md §9).
pub fn publish_in(
    tx: &Tx<'_>,
    f: &Folder,
    now: Instant,
    all: bool,
    id: &Identity,
    person: Option<String>,
) -> Result<(usize, Option<i64>)> {
    let new = store::new_facts(tx, if all { None } else { Some(&id.device) }, !all)?;
    let files = store::files(tx)?;
    let head = head(&files, &id.device);
    // `sync setup` and `sync join` always start this device's chain, even
    // on a ledger with nothing in it yet: the partner's `join` reads the
    // ledger's identity from that first file, and the first device learns
    // that (and by whom) it was joined.
    if new.is_empty() && head.is_some() {
        tx.set_marks(&new.last)?;
        return Ok((0, None));
    }
    let behind = head.as_ref().map(|h| h.written).filter(|w| ts(now) < w - super::SKEW_SECS);
    let next = head.as_ref().map_or((1, None), |h| (h.seq + 1, Some(h.hash.clone())));
    write_file(tx, f, now, id, person, &new, next)?;
    Ok((new.count, behind))
}

/// Seal `new` into one file numbered `seq` after the file `prev` names
/// (None: the start of a chain), write it into the folder, and record it
/// with the marks in `tx`.
fn write_file(
    tx: &Tx<'_>,
    f: &Folder,
    now: Instant,
    id: &Identity,
    person: Option<String>,
    new: &NewFacts,
    (seq, prev): (i64, Option<String>),
) -> Result<()> {
    let doc = batch(tx, new, now)?;
    let env = Envelope {
        ledger: id.ledger.clone(),
        device: id.device.clone(),
        person: person.clone(),
        seq,
        prev,
        written: ts(now),
        settings: new
            .settings
            .iter()
            .map(|s| SettingFact { uuid: s.uuid.clone(), key: s.key.clone(), value: s.value.clone(), set_at: s.set_at })
            .collect(),
        facts: doc,
    };
    let plain = serde_json::to_vec(&env)?;
    let bytes = crypto::seal(&f.key, &plain).map_err(Error::failure)?;
    let hash = crypto::sha256_hex(&bytes);
    let name = folder::name_for(&hash);
    // Whether the folder held nothing unapplied before this file went in.
    let before = folder::list(&f.path).ok();
    let settled = match &before {
        Some(l) => store::listing(tx)?.is_some_and(|d| d == folder::digest(l)),
        None => false,
    };
    folder::write_once(&f.path, &name, &bytes).map_err(|e| folder_error(&f.path, "write to", e))?;
    // Then the listing with this file added is settled too: the next command
    // need not read the folder again, nor write to the ledger to note it —
    // a refused command leaves the ledger as it was. A file that arrives in
    // the meantime changes the listing, and is read then.
    if let Some(mut l) = before.filter(|_| settled)
        && !l.iter().any(|x| x.name == name)
    {
        l.push(folder::Listed { name: name.clone(), size: bytes.len() as i64 });
        l.sort_by(|a, b| a.name.cmp(&b.name));
        tx.set_listing(Some(&folder::digest(&l)))?;
    }
    tx.record_file(
        &FileRow {
            hash: hash.clone(),
            name: name.clone(),
            device: id.device.clone(),
            person,
            seq: env.seq,
            prev: env.prev,
            written: env.written,
            facts: new.count as i64,
            state: "published".into(),
            why: None,
        },
        ts(now),
    )?;
    tx.remember_names(&[(name, bytes.len() as i64, hash)])?;
    tx.set_marks(&new.last)?;
    Ok(())
}

/// This device's own files that are gone from the folder — removed, or
/// replaced by other bytes — leave its partner waiting for them, and for
/// every file after them, for good; so does a file the partner refuses
/// because this clock read earlier than when the file before it was
/// written. So `troth sync` sends again, after the last good file still
/// there, every fact this device made: the partner
/// skips what it has and applies the rest (docs/design.md §9: nothing is
/// lost; `verify` still names the file that went). Returns the seq of the
/// first file missing and the facts sent again, when one was.
pub fn republish_lost(ledger: &mut Ledger, f: &Folder, now: Instant) -> Result<Option<(i64, usize)>> {
    let id = ledger.identity()?;
    let listing = folder::list(&f.path).map_err(|e| folder_error(&f.path, "read", e))?;
    let memo = store::names(&*ledger)?;
    let present: HashSet<&str> = listing
        .iter()
        .filter_map(|l| memo.get(&l.name).filter(|(size, _)| *size == l.size).map(|(_, h)| h.as_str()))
        .collect();
    let files = store::files(&*ledger)?;
    let Some(top) = head(&files, &id.device) else { return Ok(None) };
    // This device's chain, oldest first, from its latest file back.
    let mine: HashMap<&str, &FileRow> =
        files.iter().filter(|r| r.device == id.device && r.state != "refused").map(|r| (r.hash.as_str(), r)).collect();
    let mut chain: Vec<&FileRow> = Vec::new();
    let mut at = mine.get(top.hash.as_str()).copied();
    while let Some(r) = at {
        chain.push(r);
        at = r.prev.as_deref().and_then(|p| mine.get(p).copied());
    }
    chain.reverse();
    // A file the partner refuses is as good as gone: one written more than
    // the allowed skew before the file before it (this clock ran ahead, or
    // was set back), with every later one (docs/design.md §9).
    let early = |i: usize| i > 0 && chain[i].written < chain[i - 1].written - super::SKEW_SECS;
    let Some(gone) = (0..chain.len()).find(|&i| !present.contains(chain[i].hash.as_str()) || early(i)) else {
        return Ok(None);
    };
    // A new file after the last good one must not be early itself: after a
    // clock that ran ahead, wait until this one has caught up.
    if gone > 0 && ts(now) < chain[gone - 1].written - super::SKEW_SECS {
        return Ok(None);
    }
    let seq = chain[gone].seq;
    let base = gone.checked_sub(1).map(|i| chain[i].hash.clone());
    let person = ledger.settings()?.me;
    let tx = ledger.write()?;
    let new = store::new_facts(&tx, Some(&id.device), false)?;
    // A new branch after the last file still there, numbered after them all
    // so that it is this device's chain from now on.
    write_file(&tx, f, now, &id, person, &new, (top.seq + 1, base))?;
    tx.commit()?;
    Ok(Some((seq, new.count)))
}

// ---------- applying ----------
