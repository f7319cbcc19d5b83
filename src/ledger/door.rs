//! The ledger side of the one door for outside facts (`interchange::json`):
//! every fact row read and written by uuid, so a batch from an import file
//! or a sync folder can be compared with what is here and appended. Rows are
//! raw (UTC seconds, text as stored); the rules live in the door itself.

use super::{Ledger, Tx};
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// Where the door reads: the ledger, or a transaction open on it.
#[derive(Clone, Copy)]
pub struct Src<'a>(&'a Connection);

impl<'a> Src<'a> {
    pub(super) fn conn(self) -> &'a Connection {
        self.0
    }
}

impl<'a> From<&'a Ledger> for Src<'a> {
    fn from(l: &'a Ledger) -> Src<'a> {
        Src(&l.conn)
    }
}

impl<'a, 'c> From<&'a Tx<'c>> for Src<'a> {
    fn from(t: &'a Tx<'c>) -> Src<'a> {
        Src(t.raw())
    }
}

/// An agreement row, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct AgreementRow {
    pub id: i64,
    pub uuid: String,
    pub slug: String,
    pub text: String,
    pub by: String,
    pub to: String,
    pub zone: String,
    pub starts: i64,
    pub ends: Option<i64>,
    pub remind: Option<String>,
    pub created: i64,
    /// The device that made it.
    pub device: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VersionRow {
    pub uuid: String,
    pub agreement_id: i64,
    pub terms: String,
    pub unit: Option<String>,
    pub effective: i64,
    pub note: Option<String>,
    pub created: i64,
    /// The device that made it.
    pub device: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatusRow {
    pub uuid: String,
    pub agreement_id: i64,
    pub status: String,
    pub effective: i64,
    pub created: i64,
    /// The device that made it.
    pub device: String,
    /// Why, in the words of whoever paused, resumed or retired it.
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EntryRow {
    pub id: i64,
    pub uuid: String,
    pub agreement_id: i64,
    pub outcome: String,
    pub at: i64,
    pub note: Option<String>,
    pub logged_by: String,
    pub logged_at: i64,
    /// The device that made it.
    pub device: String,
}

/// A void of an entry or of an agreement (exactly one of the two is set).
#[derive(Clone, Debug, PartialEq)]
pub struct VoidRow {
    pub uuid: String,
    pub entry_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub reason: Option<String>,
    pub at: i64,
    /// The device that made it.
    pub device: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClaimRow {
    pub id: i64,
    pub uuid: String,
    pub agreement_id: i64,
    pub slot_start: i64,
    pub claimed: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResultRow {
    pub uuid: String,
    pub claim_id: i64,
    pub outcome: String,
    pub detail: Option<String>,
    pub at: i64,
}

const AGREEMENT: &str =
    "SELECT id, uuid, slug, text, by_name, to_name, zone, starts, ends, remind, created_at, device FROM agreements";

fn agreement_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AgreementRow> {
    Ok(AgreementRow {
        id: r.get(0)?,
        uuid: r.get(1)?,
        slug: r.get(2)?,
        text: r.get(3)?,
        by: r.get(4)?,
        to: r.get(5)?,
        zone: r.get(6)?,
        starts: r.get(7)?,
        ends: r.get(8)?,
        remind: r.get(9)?,
        created: r.get(10)?,
        device: r.get(11)?,
    })
}

const VERSION: &str = "SELECT uuid, agreement_id, terms, unit, effective, note, created_at, device FROM terms_versions";

fn version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionRow> {
    Ok(VersionRow {
        uuid: r.get(0)?,
        agreement_id: r.get(1)?,
        terms: r.get(2)?,
        unit: r.get(3)?,
        effective: r.get(4)?,
        note: r.get(5)?,
        created: r.get(6)?,
        device: r.get(7)?,
    })
}

const STATUS: &str = "SELECT uuid, agreement_id, status, effective, created_at, device, note FROM status_changes";

fn status_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StatusRow> {
    Ok(StatusRow {
        uuid: r.get(0)?,
        agreement_id: r.get(1)?,
        status: r.get(2)?,
        effective: r.get(3)?,
        created: r.get(4)?,
        device: r.get(5)?,
        note: r.get(6)?,
    })
}

const ENTRY: &str = "SELECT id, uuid, agreement_id, outcome, at, note, logged_by, logged_at, device FROM entries";

pub(crate) fn entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EntryRow> {
    Ok(EntryRow {
        id: r.get(0)?,
        uuid: r.get(1)?,
        agreement_id: r.get(2)?,
        outcome: r.get(3)?,
        at: r.get(4)?,
        note: r.get(5)?,
        logged_by: r.get(6)?,
        logged_at: r.get(7)?,
        device: r.get(8)?,
    })
}

const VOID: &str = "SELECT uuid, entry_id, agreement_id, reason, voided_at, device FROM voids";

fn void_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VoidRow> {
    Ok(VoidRow {
        uuid: r.get(0)?,
        entry_id: r.get(1)?,
        agreement_id: r.get(2)?,
        reason: r.get(3)?,
        at: r.get(4)?,
        device: r.get(5)?,
    })
}

const CLAIM: &str = "SELECT id, uuid, agreement_id, slot_start, claimed_at FROM reminder_claims";

fn claim_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ClaimRow> {
    Ok(ClaimRow { id: r.get(0)?, uuid: r.get(1)?, agreement_id: r.get(2)?, slot_start: r.get(3)?, claimed: r.get(4)? })
}

const RESULT: &str = "SELECT uuid, claim_id, outcome, detail, at FROM reminder_results";

fn result_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ResultRow> {
    Ok(ResultRow { uuid: r.get(0)?, claim_id: r.get(1)?, outcome: r.get(2)?, detail: r.get(3)?, at: r.get(4)? })
}

fn one<T>(
    c: &Connection,
    sql: &str,
    key: impl rusqlite::ToSql,
    f: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>> {
    Ok(c.prepare_cached(sql)?.query_row([key], f).optional()?)
}

fn all<T>(
    c: &Connection,
    sql: &str,
    key: impl rusqlite::ToSql,
    f: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map([key], f)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn agreement_by_uuid<'a>(src: impl Into<Src<'a>>, uuid: &str) -> Result<Option<AgreementRow>> {
    let c = src.into().0;
    one(c, &format!("{AGREEMENT} WHERE uuid = ?1"), uuid, agreement_row)
}

pub fn agreement_by_id<'a>(src: impl Into<Src<'a>>, id: i64) -> Result<Option<AgreementRow>> {
    let c = src.into().0;
    one(c, &format!("{AGREEMENT} WHERE id = ?1"), id, agreement_row)
}

pub fn agreements<'a>(src: impl Into<Src<'a>>) -> Result<Vec<AgreementRow>> {
    let c = src.into().0;
    all(c, &format!("{AGREEMENT} WHERE ?1 IS NULL ORDER BY id"), None::<i64>, agreement_row)
}

/// Is `slug` held by an agreement that is not voided?
pub fn slug_in_use<'a>(src: impl Into<Src<'a>>, slug: &str) -> Result<bool> {
    let c = src.into().0;
    Ok(c.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM agreements WHERE slug = ?1
         AND id NOT IN (SELECT agreement_id FROM voids WHERE agreement_id IS NOT NULL))",
    )?
    .query_row([slug], |r| r.get(0))?)
}

pub fn version_by_uuid<'a>(src: impl Into<Src<'a>>, uuid: &str) -> Result<Option<VersionRow>> {
    let c = src.into().0;
    one(c, &format!("{VERSION} WHERE uuid = ?1"), uuid, version_row)
}

pub fn versions_of<'a>(src: impl Into<Src<'a>>, agreement: i64) -> Result<Vec<VersionRow>> {
    let c = src.into().0;
    all(c, &format!("{VERSION} WHERE agreement_id = ?1 ORDER BY id"), agreement, version_row)
}

pub fn status_by_uuid<'a>(src: impl Into<Src<'a>>, uuid: &str) -> Result<Option<StatusRow>> {
    let c = src.into().0;
    one(c, &format!("{STATUS} WHERE uuid = ?1"), uuid, status_row)
}

pub fn statuses_of<'a>(src: impl Into<Src<'a>>, agreement: i64) -> Result<Vec<StatusRow>> {
    let c = src.into().0;
    all(c, &format!("{STATUS} WHERE agreement_id = ?1 ORDER BY id"), agreement, status_row)
}

pub fn entry_by_uuid<'a>(src: impl Into<Src<'a>>, uuid: &str) -> Result<Option<EntryRow>> {
    let c = src.into().0;
    one(c, &format!("{ENTRY} WHERE uuid = ?1"), uuid, entry_row)
}

pub fn entries<'a>(src: impl Into<Src<'a>>) -> Result<Vec<EntryRow>> {
    let c = src.into().0;
    all(c, &format!("{ENTRY} WHERE ?1 IS NULL ORDER BY id"), None::<i64>, entry_row)
}

pub fn void_by_uuid<'a>(src: impl Into<Src<'a>>, uuid: &str) -> Result<Option<VoidRow>> {
    let c = src.into().0;
    one(c, &format!("{VOID} WHERE uuid = ?1"), uuid, void_row)
}

/// Every void, in the order they were recorded.
pub fn voids<'a>(src: impl Into<Src<'a>>) -> Result<Vec<VoidRow>> {
    let c = src.into().0;
    all(c, &format!("{VOID} WHERE ?1 IS NULL ORDER BY id"), None::<i64>, void_row)
}

pub fn claim_by_uuid<'a>(src: impl Into<Src<'a>>, uuid: &str) -> Result<Option<ClaimRow>> {
    let c = src.into().0;
    one(c, &format!("{CLAIM} WHERE uuid = ?1"), uuid, claim_row)
}

pub fn claims<'a>(src: impl Into<Src<'a>>) -> Result<Vec<ClaimRow>> {
    let c = src.into().0;
    all(c, &format!("{CLAIM} WHERE ?1 IS NULL ORDER BY id"), None::<i64>, claim_row)
}

pub fn result_by_uuid<'a>(src: impl Into<Src<'a>>, uuid: &str) -> Result<Option<ResultRow>> {
    let c = src.into().0;
    one(c, &format!("{RESULT} WHERE uuid = ?1"), uuid, result_row)
}

pub fn result_of_claim<'a>(src: impl Into<Src<'a>>, claim: i64) -> Result<Option<ResultRow>> {
    let c = src.into().0;
    one(c, &format!("{RESULT} WHERE claim_id = ?1"), claim, result_row)
}

pub fn insert_claim(tx: &Tx<'_>, uuid: &str, agreement: i64, slot_start: i64, claimed: i64) -> Result<i64> {
    let c = tx.raw();
    c.execute(
        "INSERT INTO reminder_claims (uuid, agreement_id, slot_start, claimed_at) VALUES (?1, ?2, ?3, ?4)",
        params![uuid, agreement, slot_start, claimed],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn insert_result(tx: &Tx<'_>, r: &ResultRow) -> Result<()> {
    tx.raw().execute(
        "INSERT INTO reminder_results (uuid, claim_id, outcome, detail, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![r.uuid, r.claim_id, r.outcome, r.detail, r.at],
    )?;
    Ok(())
}

/// The settings that were set on this ledger (key, latest value).
pub fn settings_set<'a>(src: impl Into<Src<'a>>) -> Result<Vec<(String, String)>> {
    let c = src.into().0;
    let mut stmt = c.prepare("SELECT key, value FROM settings ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out: Vec<(String, String)> = Vec::new();
    for row in rows {
        let (k, v) = row?;
        match out.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => out.push((k, v)),
        }
    }
    Ok(out)
}
