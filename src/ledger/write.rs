//! Writing: a typed transaction with one method per kind of fact. Append-only:
//! nothing here updates or deletes a row (triggers in the schema enforce it).
//! A command opens one `Tx`, appends, and commits, so its writes land
//! together or not at all.

use super::ts;
use crate::domain::Outcome;
use crate::domain::slots::Status;
use crate::domain::time::Instant;
use crate::error::Result;
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, Savepoint, Transaction, params};

/// An open IMMEDIATE transaction on the ledger (see `Ledger::write`).
pub struct Tx<'c> {
    // The partner's voice appends through these too (ledger/voice.rs).
    pub(super) tx: Inner<'c>,
    /// The device recorded as the maker of facts appended from here on:
    /// None is this device (every command); another device's uuid for facts
    /// that came from it (a sync folder, an import).
    pub(super) origin: Option<String>,
    /// Run just before the commit (`Ledger::set_pre_commit`).
    pre_commit: Option<super::PreCommit>,
}

/// A transaction of its own, or — inside the one a synced command runs in
/// (`Ledger::begin_outer`) — a savepoint of that one.
pub(super) enum Inner<'c> {
    Tx(Transaction<'c>),
    Savepoint(Savepoint<'c>),
}

impl std::ops::Deref for Inner<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        match self {
            Inner::Tx(t) => t,
            Inner::Savepoint(s) => s,
        }
    }
}

/// The device column's value: the origin given, else this ledger's device.
const DEVICE: &str = "coalesce(?0, (SELECT device FROM identity ORDER BY id LIMIT 1))";

/// `sql` with `$DEVICE` as parameter `?n`.
pub(super) fn with_device(sql: &str, n: usize) -> String {
    sql.replace("$DEVICE", &DEVICE.replace("?0", &format!("?{n}")))
}

/// A new agreement, before its first terms version.
pub struct NewAgreement<'a> {
    pub uuid: String,
    pub slug: &'a str,
    pub text: &'a str,
    pub by: &'a str,
    pub to: &'a str,
    pub zone: Tz,
    pub starts: Instant,
    pub ends: Option<Instant>,
    /// The reminder lead as typed (a valid DURATION).
    pub remind: Option<String>,
    pub created_at: Instant,
}

impl<'c> Tx<'c> {
    pub(super) fn new(tx: Inner<'c>, pre_commit: Option<super::PreCommit>) -> Tx<'c> {
        Tx { tx, origin: None, pre_commit }
    }

    /// Record `device` (None: this device) as the maker of the facts
    /// appended after this call (docs/design.md §9: every fact records its device).
    pub fn set_origin(&mut self, device: Option<&str>) {
        self.origin = device.map(str::to_string);
    }

    /// Join another ledger: this device now belongs to the ledger `uuid`.
    pub fn adopt_ledger(&self, uuid: &str, at: Instant) -> Result<()> {
        self.tx.execute(
            "INSERT INTO identity (ledger, device, since) SELECT ?1, device, ?2 FROM identity ORDER BY id LIMIT 1",
            params![uuid, ts(at)],
        )?;
        Ok(())
    }

    pub fn commit(mut self) -> Result<()> {
        if let Some(hook) = self.pre_commit.take() {
            hook(&self);
        }
        match self.tx {
            Inner::Tx(t) => t.commit()?,
            Inner::Savepoint(s) => s.commit()?,
        }
        Ok(())
    }

    pub fn add_agreement(&self, a: &NewAgreement<'_>) -> Result<i64> {
        self.tx.prepare_cached(&with_device(
            "INSERT INTO agreements (uuid, slug, text, by_name, to_name, zone, starts, ends, remind, created_at, device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, $DEVICE)",
            11,
        ))?
        .execute(params![
                a.uuid,
                a.slug,
                a.text,
                a.by,
                a.to,
                a.zone.name(),
                ts(a.starts),
                a.ends.map(ts),
                a.remind,
                ts(a.created_at),
                self.origin
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// A terms version: `terms` canonical, in effect from `effective`.
    #[allow(clippy::too_many_arguments)]
    pub fn add_version(
        &self,
        uuid: &str,
        agreement: i64,
        terms: &str,
        unit: Option<&str>,
        effective: Instant,
        note: Option<&str>,
        created: Instant,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO terms_versions (uuid, agreement_id, terms, unit, effective, note, created_at, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, $DEVICE)",
                8,
            ))?
            .execute(params![uuid, agreement, terms, unit, ts(effective), note, ts(created), self.origin])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn add_status(
        &self,
        uuid: &str,
        agreement: i64,
        status: Status,
        effective: Instant,
        note: Option<&str>,
        created: Instant,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO status_changes (uuid, agreement_id, status, effective, note, created_at, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, $DEVICE)",
                7,
            ))?
            .execute(params![uuid, agreement, status.name(), ts(effective), note, ts(created), self.origin])?;
        Ok(self.tx.last_insert_rowid())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn add_entry(
        &self,
        uuid: &str,
        agreement: i64,
        outcome: Outcome,
        at: Instant,
        note: Option<&str>,
        logged_by: &str,
        logged_at: Instant,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO entries (uuid, agreement_id, outcome, at, note, logged_by, logged_at, device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, $DEVICE)",
                8,
            ))?
            .execute(params![uuid, agreement, outcome.name(), ts(at), note, logged_by, ts(logged_at), self.origin])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn void_entry(&self, uuid: &str, entry: i64, reason: Option<&str>, at: Instant) -> Result<()> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO voids (uuid, entry_id, reason, voided_at, device) VALUES (?1, ?2, ?3, ?4, $DEVICE)",
                5,
            ))?
            .execute(params![uuid, entry, reason, ts(at), self.origin])?;
        Ok(())
    }

    pub fn void_agreement(&self, uuid: &str, agreement: i64, reason: Option<&str>, at: Instant) -> Result<()> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO voids (uuid, agreement_id, reason, voided_at, device) VALUES (?1, ?2, ?3, ?4, $DEVICE)",
                5,
            ))?
            .execute(params![uuid, agreement, reason, ts(at), self.origin])?;
        Ok(())
    }

    /// The latest stored value of a setting, read inside this transaction.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_row("SELECT value FROM settings WHERE key = ?1 ORDER BY id DESC LIMIT 1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_setting(&self, uuid: &str, key: &str, value: &str, at: Instant) -> Result<()> {
        self.tx
            .prepare_cached(&with_device(
                "INSERT INTO settings (uuid, key, value, set_at, device) VALUES (?1, ?2, ?3, ?4, $DEVICE)",
                5,
            ))?
            .execute(params![uuid, key, value, ts(at), self.origin])?;
        Ok(())
    }

    pub(super) fn raw(&self) -> &Connection {
        &self.tx
    }
}
