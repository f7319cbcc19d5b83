//! Watermarks of the fact tables, for `list`'s disposable cache
//! (docs/design.md §7, "The list cache").
//!
//! Owns: the newest row of each fact table (its rowid and uuid), whether a
//! saved watermark still describes this ledger, and which promises the
//! rows added since a watermark touch. The ledger is append-only, so a table's rows up to a
//! watermark never change; every new fact — made here, imported, or applied
//! from the partner's device with an old time (§9) — gets a higher rowid.

use super::{Ledger, from_ts};
use crate::domain::time::Instant;
use crate::error::Result;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The newest row of one fact table when a cache was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub table: String,
    pub id: i64,
    pub uuid: Option<String>,
}

/// The fact tables and, for rows after a watermark, the promises they touch
/// and from when: an entry, a void of one or a verdict on one from the
/// entry's `at` (NULL: a promise, a terms version, a status change, a repair
/// or an acceptance may change its whole history). `None`: a row there
/// touches every promise (a setting may change any number).
const TABLES: [(&str, Option<&str>); 9] = [
    ("settings", None),
    ("agreements", Some("SELECT id, NULL FROM agreements WHERE id > ?1")),
    ("terms_versions", Some("SELECT agreement_id, NULL FROM terms_versions WHERE id > ?1")),
    ("status_changes", Some("SELECT agreement_id, NULL FROM status_changes WHERE id > ?1")),
    ("entries", Some("SELECT agreement_id, at FROM entries WHERE id > ?1")),
    (
        "voids",
        Some(
            "SELECT coalesce(v.agreement_id, e.agreement_id), CASE WHEN v.agreement_id IS NULL THEN e.at END
             FROM voids v LEFT JOIN entries e ON e.id = v.entry_id WHERE v.id > ?1",
        ),
    ),
    (
        "verdicts",
        Some("SELECT e.agreement_id, e.at FROM verdicts v JOIN entries e ON e.id = v.entry_id WHERE v.id > ?1"),
    ),
    ("repairs", Some("SELECT agreement_id, NULL FROM repairs WHERE id > ?1")),
    (
        "acceptances",
        Some("SELECT r.agreement_id, NULL FROM acceptances a JOIN repairs r ON r.id = a.repair_id WHERE a.id > ?1"),
    ),
];

/// What the rows added after some watermarks touch.
#[derive(Debug, PartialEq, Eq)]
pub enum Touched {
    /// Every promise (a setting changed).
    All,
    /// These promises (by local id), each from the earliest instant a new
    /// fact bears on (`Instant::MIN_UTC`: its whole history).
    Some(HashMap<i64, Instant>),
}

impl Ledger {
    /// The newest row of every fact table, now.
    pub fn marks(&self) -> Result<Vec<Mark>> {
        let mut out = Vec::with_capacity(TABLES.len());
        for (table, _) in TABLES {
            let row: Option<(i64, String)> = self
                .conn
                .prepare_cached(&format!("SELECT id, uuid FROM {table} ORDER BY id DESC LIMIT 1"))?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (id, uuid) = row.map_or((0, None), |(id, u)| (id, Some(u)));
            out.push(Mark { table: table.to_string(), id, uuid });
        }
        Ok(out)
    }

    /// Do saved watermarks describe this ledger's history? Each must name a
    /// known table, in order, whose row at that id still has that uuid (a
    /// restored backup, or another copy of the file, fails this).
    pub fn marks_hold(&self, saved: &[Mark]) -> Result<bool> {
        if saved.len() != TABLES.len() {
            return Ok(false);
        }
        for ((table, _), m) in TABLES.iter().zip(saved) {
            if m.table != *table || m.id < 0 {
                return Ok(false);
            }
            let uuid: Option<String> = self
                .conn
                .prepare_cached(&format!("SELECT uuid FROM {table} WHERE id = ?1"))?
                .query_row([m.id], |r| r.get(0))
                .optional()?;
            if uuid != m.uuid {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The promises that rows added after `saved` (which must hold) touch.
    pub fn touched_since(&self, saved: &[Mark]) -> Result<Touched> {
        let mut out: HashMap<i64, Instant> = HashMap::new();
        for ((_, query), m) in TABLES.iter().zip(saved) {
            let Some(query) = query else {
                let newer: bool = self
                    .conn
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM settings WHERE id > ?1)")?
                    .query_row([m.id], |r| r.get(0))?;
                if newer {
                    return Ok(Touched::All);
                }
                continue;
            };
            let mut stmt = self.conn.prepare_cached(query)?;
            let rows = stmt.query_map([m.id], |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?)))?;
            for row in rows {
                let (Some(id), at) = row? else { continue };
                let at = at.map_or(Instant::MIN_UTC, from_ts);
                out.entry(id).and_modify(|t| *t = (*t).min(at)).or_insert(at);
            }
        }
        Ok(Touched::Some(out))
    }

    /// Run `f` on one snapshot of the ledger (a read transaction): the
    /// watermarks, the promises and their facts all as of one moment, even
    /// while another troth writes.
    pub fn snapshot<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f();
        }
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let out = f();
        self.conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
        out
    }

    /// The schema version (`PRAGMA user_version`) and SQLite's schema
    /// cookie, which any change to the schema moves — dropping the
    /// append-only triggers to edit a fact in place among them.
    pub fn schema_version(&self) -> Result<(i64, i64)> {
        let user: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let cookie: i64 = self.conn.pragma_query_value(None, "schema_version", |r| r.get(0))?;
        Ok((user, cookie))
    }
}
