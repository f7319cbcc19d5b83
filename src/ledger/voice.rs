//! SQL for the partner's voice (docs/design.md §10): reading verdicts, repairs and
//! acceptances onto the entries and agreements they belong to, and appending
//! them. The rules that use them are in `crate::domain::voice` and the engine.

use super::Tx;
use super::write::with_device;
use super::{from_ts, ts};
use crate::domain::time::Instant;
use crate::domain::voice::{Acceptance, Repair, Verdict, VerdictKind, deciding};
use crate::domain::{Agreement, Entry, Fact};
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

fn verdict_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Verdict> {
    let kind: String = r.get(3)?;
    Ok(Verdict {
        id: r.get(0)?,
        uuid: r.get(1)?,
        entry_id: r.get(2)?,
        kind: VerdictKind::parse(&kind).ok_or_else(|| super::bad_row("verdict"))?,
        by: r.get(4)?,
        note: r.get(5)?,
        at: from_ts(r.get(6)?),
        device: r.get(7)?,
    })
}

const VERDICT_SELECT: &str = "SELECT id, uuid, entry_id, verdict, by_name, note, at, device FROM verdicts";

const ACCEPTANCE_SELECT: &str = "SELECT id, uuid, repair_id, by_name, note, at, device FROM acceptances";

/// A row of `ACCEPTANCE_SELECT`.
fn acceptance_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Acceptance> {
    Ok(Acceptance {
        id: r.get(0)?,
        uuid: r.get(1)?,
        repair_id: r.get(2)?,
        by: r.get(3)?,
        note: r.get(4)?,
        at: from_ts(r.get(5)?),
        device: r.get(6)?,
    })
}

/// Every verdict, by entry id. Verdicts are few (most entries never get
/// one), so reading them all is cheaper than a join on the engine's hot path.
pub fn verdicts(conn: &Connection) -> Result<HashMap<i64, Vec<Verdict>>> {
    let mut stmt = conn.prepare_cached(&format!("{VERDICT_SELECT} ORDER BY id"))?;
    let mut out: HashMap<i64, Vec<Verdict>> = HashMap::new();
    for v in stmt.query_map([], verdict_row)? {
        let v = v?;
        out.entry(v.entry_id).or_default().push(v);
    }
    Ok(out)
}

/// The verdicts on one entry, oldest first.
pub fn verdicts_of_entry(conn: &Connection, entry: i64) -> Result<Vec<Verdict>> {
    let mut stmt = conn.prepare_cached(&format!("{VERDICT_SELECT} WHERE entry_id = ?1 ORDER BY id"))?;
    Ok(stmt.query_map([entry], verdict_row)?.collect::<rusqlite::Result<_>>()?)
}

/// Whether the ledger holds few verdicts (`ledger::FEW`; most entries never
/// get one): read once per command (`ledger::Few`).
pub fn few_verdicts(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT count(*) <= ?1 FROM (SELECT 1 FROM verdicts LIMIT ?1 + 1)")?
        .query_row([super::FEW], |r| r.get(0))?)
}

/// The verdicts on one promise's entries, by entry id.
fn verdicts_on(conn: &Connection, agreement: i64, since: i64, few: bool) -> Result<HashMap<i64, Vec<Verdict>>> {
    // Verdicts are few: with a handful in the whole ledger, look each one's
    // entry up by rowid — a summary asks this of every promise, and listing
    // ten years of a promise's entry ids to probe an empty table cost more
    // than reading its facts. With many, only the entries read (`at` from
    // `since`): `list` resuming from its cache reads days of a promise.
    let mut stmt = conn.prepare_cached(&if few {
        "SELECT v.id, v.uuid, v.entry_id, v.verdict, v.by_name, v.note, v.at, v.device FROM verdicts v
         CROSS JOIN entries e ON e.id = v.entry_id WHERE e.agreement_id = ?1 AND e.at >= ?2 ORDER BY v.id"
            .to_string()
    } else {
        format!(
            "{VERDICT_SELECT} WHERE entry_id IN (SELECT id FROM entries WHERE agreement_id = ?1 AND at >= ?2) ORDER BY id"
        )
    })?;
    let mut out: HashMap<i64, Vec<Verdict>> = HashMap::new();
    for v in stmt.query_map([agreement, since], verdict_row)? {
        let v = v?;
        out.entry(v.entry_id).or_default().push(v);
    }
    Ok(out)
}

/// As `attach_to_facts`, reading only the verdicts on one promise's entries
/// (`few`: whether the ledger's verdicts are few, `few_verdicts`).
pub fn attach_to_facts_of(conn: &Connection, agreement: i64, since: i64, few: bool, facts: &mut [Fact]) -> Result<()> {
    let all = verdicts_on(conn, agreement, since, few)?;
    for f in facts {
        if let Some(vs) = all.get(&f.id) {
            f.verdict = deciding(vs).map(|v| v.kind);
        }
    }
    Ok(())
}

/// As `attach_to_entries`, reading only the verdicts on one promise's entries.
pub fn attach_to_entries_of(conn: &Connection, agreement: i64, entries: &mut [Entry]) -> Result<()> {
    let mut all = verdicts_on(conn, agreement, i64::MIN, few_verdicts(conn)?)?;
    for e in entries {
        if let Some(vs) = all.remove(&e.id) {
            e.verdicts = vs;
        }
    }
    Ok(())
}

/// Give each fact the verdict that decides it.
pub fn attach_to_facts(conn: &Connection, facts: &mut [Fact]) -> Result<()> {
    let all = verdicts(conn)?;
    if all.is_empty() {
        return Ok(());
    }
    for f in facts {
        if let Some(vs) = all.get(&f.id) {
            f.verdict = deciding(vs).map(|v| v.kind);
        }
    }
    Ok(())
}

pub fn attach_to_entries(conn: &Connection, entries: &mut [Entry]) -> Result<()> {
    let mut all = verdicts(conn)?;
    for e in entries {
        if let Some(vs) = all.remove(&e.id) {
            e.verdicts = vs;
        }
    }
    Ok(())
}

/// Every repair with its acceptances, optionally of one agreement.
pub fn repairs(conn: &Connection, agreement: Option<i64>) -> Result<Vec<Repair>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uuid, agreement_id, entry_id, slot_start, by_name, understood, feeling, apology, plan, at, device
         FROM repairs WHERE ?1 IS NULL OR agreement_id = ?1 ORDER BY id",
    )?;
    let mut out: Vec<Repair> = stmt
        .query_map([agreement], |r| {
            Ok(Repair {
                id: r.get(0)?,
                uuid: r.get(1)?,
                agreement_id: r.get(2)?,
                entry_id: r.get(3)?,
                slot_start: r.get::<_, Option<i64>>(4)?.map(from_ts),
                by: r.get(5)?,
                understood: r.get(6)?,
                feeling: r.get(7)?,
                apology: r.get(8)?,
                plan: r.get(9)?,
                at: from_ts(r.get(10)?),
                device: r.get(11)?,
                acceptances: vec![],
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let index: HashMap<i64, usize> = out.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut stmt = conn.prepare_cached(&format!("{ACCEPTANCE_SELECT} ORDER BY id"))?;
    let rows = stmt.query_map([], acceptance_row)?;
    for a in rows {
        let a = a?;
        if let Some(&i) = index.get(&a.repair_id) {
            out[i].acceptances.push(a);
        }
    }
    Ok(out)
}

pub fn attach_to_agreements(conn: &Connection, agreements: &mut [Agreement], only: Option<i64>) -> Result<()> {
    let all = repairs(conn, only)?;
    if all.is_empty() {
        return Ok(());
    }
    let index: HashMap<i64, usize> = agreements.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    for r in all {
        if let Some(&i) = index.get(&r.agreement_id) {
            agreements[i].repairs.push(r);
        }
    }
    Ok(())
}

pub struct NewVerdict<'a> {
    pub uuid: &'a str,
    pub entry: i64,
    pub kind: VerdictKind,
    pub by: &'a str,
    pub note: Option<&'a str>,
    pub at: Instant,
}

pub struct NewRepair<'a> {
    pub uuid: &'a str,
    pub agreement: i64,
    pub entry: Option<i64>,
    pub slot_start: Option<Instant>,
    pub by: &'a str,
    pub understood: &'a str,
    pub feeling: Option<&'a str>,
    pub apology: &'a str,
    pub plan: Option<&'a str>,
    pub at: Instant,
}

pub struct NewAcceptance<'a> {
    pub uuid: &'a str,
    pub repair: i64,
    pub by: &'a str,
    pub note: Option<&'a str>,
    pub at: Instant,
}

/// Appends of §10's facts, stamped with the device like every other fact.
impl Tx<'_> {
    pub fn add_verdict(&self, v: &NewVerdict<'_>) -> Result<i64> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO verdicts (uuid, entry_id, verdict, by_name, note, at, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, $DEVICE)",
                7,
            ))?
            .execute(params![v.uuid, v.entry, v.kind.name(), v.by, v.note, ts(v.at), self.origin])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn add_repair(&self, r: &NewRepair<'_>) -> Result<i64> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO repairs (uuid, agreement_id, entry_id, slot_start, by_name, understood, feeling, apology,
                                      plan, at, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, $DEVICE)",
                11,
            ))?
            .execute(params![
                r.uuid,
                r.agreement,
                r.entry,
                r.slot_start.map(ts),
                r.by,
                r.understood,
                r.feeling,
                r.apology,
                r.plan,
                ts(r.at),
                self.origin
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn add_acceptance(&self, a: &NewAcceptance<'_>) -> Result<i64> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO acceptances (uuid, repair_id, by_name, note, at, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, $DEVICE)",
                6,
            ))?
            .execute(params![a.uuid, a.repair, a.by, a.note, ts(a.at), self.origin])?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// Every verdict, for export.
pub fn verdicts_of(ledger: &super::Ledger) -> Result<Vec<Verdict>> {
    let mut stmt = ledger.conn.prepare_cached(&format!("{VERDICT_SELECT} ORDER BY id"))?;
    let rows = stmt.query_map([], verdict_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every repair with its acceptances, for export.
pub fn repairs_of(ledger: &super::Ledger) -> Result<Vec<Repair>> {
    repairs(&ledger.conn, None)
}

pub fn verdict_by_uuid(tx: &Tx<'_>, uuid: &str) -> Result<Option<Verdict>> {
    let mut stmt = tx.raw().prepare_cached(&format!("{VERDICT_SELECT} WHERE uuid = ?1"))?;
    Ok(stmt.query_row([uuid], verdict_row).optional()?)
}

/// A repair by uuid (without its acceptances).
pub fn repair_by_uuid(tx: &Tx<'_>, uuid: &str) -> Result<Option<Repair>> {
    let id: Option<(i64, i64)> = tx
        .raw()
        .prepare_cached("SELECT id, agreement_id FROM repairs WHERE uuid = ?1")?
        .query_row([uuid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((id, agreement)) = id else { return Ok(None) };
    Ok(repairs(tx.raw(), Some(agreement))?.into_iter().find(|r| r.id == id).map(|mut r| {
        r.acceptances.clear();
        r
    }))
}

pub fn acceptance_by_uuid(tx: &Tx<'_>, uuid: &str) -> Result<Option<Acceptance>> {
    Ok(tx
        .raw()
        .prepare_cached(&format!("{ACCEPTANCE_SELECT} WHERE uuid = ?1"))?
        .query_row([uuid], acceptance_row)
        .optional()?)
}
