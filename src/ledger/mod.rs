//! The ledger: the only place with SQL.
//!
//! Owns opening (private files, WAL with `synchronous=FULL`, busy timeout,
//! foreign keys), the migration runner over `PRAGMA user_version`, refusing
//! files that are not troth ledgers or are newer than this program, and typed
//! reads and appends. The ledger is append-only: nothing here updates or
//! deletes a row (triggers in the schema enforce it).

pub mod door;
mod facts;
pub mod files;
mod lookup;
mod marks;
mod migrate;
mod open;
pub mod reminders;
pub mod sync;
pub mod voice;
mod write;

pub use facts::Few;
pub use marks::{Mark, Touched};
pub use migrate::LATEST_VERSION;
pub use open::DEMO_APPLICATION_ID;
pub use write::{NewAgreement, Tx};

use crate::domain::slots::{Plan, Status, StatusChange, Version};
use crate::domain::terms;
use crate::domain::time::Instant;
use crate::domain::{Agreement, Entry, Outcome, Settings, Void};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The rows of one setting, newest first: a shared key (docs/design.md §9,
/// `domain::settings::SHARED_KEYS`) by set time then uuid, the same on every
/// device; a local key by the order it was set here — as `settings()` replays.
const LATEST_FIRST: &str = "CASE WHEN key IN ('trust.start', 'trust.gain', 'trust.loss', 'overpromise.threshold')
     THEN set_at END DESC, CASE WHEN key IN ('trust.start', 'trust.gain', 'trust.loss', 'overpromise.threshold')
     THEN uuid END DESC, id DESC";

/// `PRAGMA application_id` of a troth ledger: "trot".
pub const APPLICATION_ID: i64 = 0x7472_6f74;

/// How many voids or verdicts a ledger may hold for a promise's reads to
/// look them up one by one rather than have SQLite probe ten years of rows
/// (ledger::facts, ledger::voice): a couple writes a handful of each.
pub(crate) const FEW: i64 = 64;

pub struct Ledger {
    conn: Connection,
    /// None for an in-memory stand-in (a read-only command with no ledger yet).
    pub path: Option<PathBuf>,
    /// "Now" for the command (`TROTH_NOW`): which promises are live decides
    /// the slugs shown (`domain::converge::display_slugs`).
    now: Instant,
    /// A new ledger, in memory until `persist` writes it here.
    create: Option<PathBuf>,
    /// Run by every `Tx::commit` before it commits (see `set_pre_commit`).
    pre_commit: Option<PreCommit>,
}

/// Work done inside a transaction just before it commits: a synced command
/// publishes its new facts to the folder there, so that they and the marks
/// saying they are out land in the command's one transaction
/// (docs/design.md §9). It handles its own failures (a warning) and leaves
/// the transaction as it found it when it fails.
pub type PreCommit = std::rc::Rc<dyn Fn(&Tx<'_>)>;

/// Who this ledger is (docs/design.md §9): the couple's ledger and this copy of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The ledger uuid: the same on every device that syncs this ledger.
    pub ledger: String,
    /// This device's uuid: every fact made here records it.
    pub device: String,
}

pub fn ts(t: Instant) -> i64 {
    t.timestamp()
}

pub fn from_ts(s: i64) -> Instant {
    DateTime::from_timestamp(s, 0).unwrap_or_default()
}

/// A new fact's uuid: time-ordered (UUIDv7), so that where two facts carry
/// the same second — made in quick succession — "created, then uuid" still
/// puts them in the order they were made.
pub fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub(crate) fn bad_row(what: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, what.to_string(), rusqlite::types::Type::Text)
}

/// How the command will use the ledger.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    /// Reads only: a missing ledger is not created (an empty one stands in).
    Read,
    /// Writes: a missing ledger is created, private to the user.
    Write,
}

impl Ledger {
    /// Open (or, for writes, create) the ledger at `path`. `home_zone` is
    /// recorded, as set at `now`, when the ledger is created.
    pub fn open(path: &Path, access: Access, now: Instant, home_zone: impl FnOnce() -> Result<Tz>) -> Result<Ledger> {
        open::open(path, access, now, home_zone)
    }

    /// Look at an existing ledger without writing or creating anything (for
    /// shell completion); any problem is an error, never a repair.
    pub fn peek(path: &Path, now: Instant) -> Result<Ledger> {
        open::peek(path, now)
    }

    fn ensure_home_zone(&self, zone: Tz, now: Instant) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let exists: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM settings WHERE key = 'zone')", [], |r| r.get(0))?;
        if !exists {
            tx.execute(
                "INSERT INTO settings (uuid, key, value, set_at, device)
                 VALUES (?1, 'zone', ?2, ?3, (SELECT device FROM identity ORDER BY id LIMIT 1))",
                params![new_uuid(), zone.name(), ts(now)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// An IMMEDIATE transaction: concurrent writers queue on the busy timeout
    /// instead of failing halfway. A command's writes land together or not at all.
    pub fn write(&mut self) -> Result<Tx<'_>> {
        let hook = self.pre_commit.clone();
        if !self.conn.is_autocommit() {
            return Ok(Tx::new(write::Inner::Savepoint(self.conn.savepoint()?), hook));
        }
        Ok(Tx::new(write::Inner::Tx(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?), hook))
    }

    /// Open one IMMEDIATE transaction that every `write` joins (as a
    /// savepoint) until `end_outer`: a synced command applies the folder and
    /// does its work in it, so that a refused command leaves the ledger as
    /// it was, the partner's facts included (docs/design.md §9, §8).
    pub fn begin_outer(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    /// Commit (`keep`) or roll back the transaction `begin_outer` opened.
    pub fn end_outer(&mut self, keep: bool) -> Result<()> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch(if keep { "COMMIT" } else { "ROLLBACK" })?;
        }
        Ok(())
    }

    /// Run `hook` in every transaction of this ledger just before it
    /// commits, until set again (None: nothing).
    pub fn set_pre_commit(&mut self, hook: Option<PreCommit>) {
        self.pre_commit = hook;
    }

    /// This ledger's uuid (shared by every device that syncs it) and this
    /// device's uuid.
    pub fn identity(&self) -> Result<Identity> {
        Ok(self.conn.query_row(
            "SELECT ledger, (SELECT device FROM identity ORDER BY id LIMIT 1) FROM identity ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok(Identity { ledger: r.get(0)?, device: r.get(1)? }),
        )?)
    }

    /// Every stored setting replayed through the domain's validation: the
    /// latest value of a key wins.
    pub fn settings(&self) -> Result<Settings> {
        // A shared key (set on either device) goes by set time then uuid, so
        // every device agrees on the latest; a local key by the order it was
        // set here (robust to this clock moving back).
        let mut stmt = self.conn.prepare(
            "SELECT key, value FROM settings ORDER BY
               CASE WHEN key IN ('trust.start', 'trust.gain', 'trust.loss', 'overpromise.threshold') THEN set_at END,
               CASE WHEN key IN ('trust.start', 'trust.gain', 'trust.loss', 'overpromise.threshold') THEN uuid END,
               id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut s = Settings::load_defaults();
        for row in rows {
            let (key, value) = row?;
            s.apply(&key, &value)
                .map_err(|e| Error::failure(format!("the ledger holds a bad setting: {}", e.message)))?;
        }
        Ok(s)
    }

    /// The latest stored value of a setting (None when never set).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT value FROM settings WHERE key = ?1 ORDER BY {LATEST_FIRST} LIMIT 1"),
                [key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every agreement, oldest first (created, then uuid), with the slugs
    /// people see.
    pub fn agreements(&self) -> Result<Vec<Agreement>> {
        let mut all = load_agreements(&self.conn, None)?;
        crate::domain::converge::display_slugs(&mut all, self.now);
        Ok(all)
    }

    /// One agreement (its shown slug depends on the others).
    pub fn agreement(&self, id: i64) -> Result<Option<Agreement>> {
        Ok(self.agreements()?.into_iter().find(|a| a.id == id))
    }

    /// Entries, optionally of one agreement, in time order (then logged
    /// order, then uuid).
    pub fn entries(&self, agreement: Option<i64>) -> Result<Vec<Entry>> {
        load_entries(&self.conn, agreement)
    }

    /// Entries as `entries` gives them, handed to `f` one at a time.
    pub fn each_entry(&self, agreement: Option<i64>, f: &mut dyn FnMut(Entry) -> Result<()>) -> Result<()> {
        each_entry(&self.conn, agreement, f)
    }

    /// Entries (void ones included) with `at` in (since, until].
    pub fn entries_between(&self, since: Instant, until: Instant) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{ENTRY_SELECT} WHERE e.at > ?1 AND e.at <= ?2 ORDER BY e.at, e.logged_at, e.uuid"
        ))?;
        let rows = stmt.query_map([ts(since), ts(until)], entry_row)?;
        let mut entries: Vec<Entry> = rows.collect::<rusqlite::Result<_>>()?;
        voice::attach_to_entries(&self.conn, &mut entries)?;
        Ok(entries)
    }

    /// The entries the partner's voice speaks of (§10) — those with a
    /// verdict or a repair — and the ones named in `also`, in time order:
    /// what the report's "To talk about" reads, without the whole ledger.
    pub fn entries_spoken_of(&self, also: &[i64]) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{ENTRY_SELECT} WHERE e.id IN (SELECT entry_id FROM verdicts
                 UNION SELECT entry_id FROM repairs WHERE entry_id IS NOT NULL)"
        ))?;
        let mut entries: Vec<Entry> = stmt.query_map([], entry_row)?.collect::<rusqlite::Result<_>>()?;
        let mut more = Vec::new();
        for id in also.iter().filter(|id| !entries.iter().any(|e| e.id == **id)) {
            more.extend(self.entry(*id)?);
        }
        voice::attach_to_entries(&self.conn, &mut entries)?;
        entries.extend(more);
        entries.sort_by(|a, b| (a.at, a.logged_at, &a.uuid).cmp(&(b.at, b.logged_at, &b.uuid)));
        entries.dedup_by_key(|e| e.id);
        Ok(entries)
    }

    pub fn entry(&self, id: i64) -> Result<Option<Entry>> {
        let mut stmt = self.conn.prepare_cached(&format!("{ENTRY_SELECT} WHERE e.id = ?1"))?;
        let Some(mut entry) = stmt.query_row([id], entry_row).optional()? else { return Ok(None) };
        entry.verdicts = voice::verdicts_of_entry(&self.conn, id)?;
        Ok(Some(entry))
    }
}

/// Every agreement (or only the one with id `only`) with its plan — terms
/// versions and status changes — and its repairs.
fn load_agreements(conn: &Connection, only: Option<i64>) -> Result<Vec<Agreement>> {
    let mut out = agreement_rows(conn, only)?;
    let index: HashMap<i64, usize> = out.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    attach_versions(conn, only, &mut out, &index)?;
    attach_statuses(conn, only, &mut out, &index)?;
    for a in &mut out {
        order_versions(a);
    }
    out.retain(|a| !a.plan.versions.is_empty());
    voice::attach_to_agreements(conn, &mut out, only)?;
    Ok(out)
}

/// The agreements' own rows, each with its first void, plans still empty.
fn agreement_rows(conn: &Connection, only: Option<i64>) -> Result<Vec<Agreement>> {
    let filter = if only.is_some() { "WHERE a.id = ?1" } else { "WHERE ?1 IS NULL" };
    let mut stmt = conn.prepare(&format!(
        "SELECT a.id, a.uuid, a.slug, a.text, a.by_name, a.to_name, a.zone, a.starts, a.ends, a.remind, a.created_at,
                v.reason, v.voided_at
         FROM agreements a LEFT JOIN voids v ON v.id = (SELECT x.id FROM voids x
             WHERE x.agreement_id = a.id ORDER BY x.voided_at, x.uuid LIMIT 1) {filter}
         ORDER BY a.created_at, a.uuid"
    ))?;
    let rows = stmt.query_map([only], |r| {
        let zone: String = r.get(6)?;
        let zone: Tz = zone.parse().map_err(|_| bad_row("zone"))?;
        let remind: Option<String> = r.get(9)?;
        let voided_at: Option<i64> = r.get(12)?;
        Ok(Agreement {
            id: r.get(0)?,
            uuid: r.get(1)?,
            slug: r.get(2)?,
            text: r.get(3)?,
            by: r.get(4)?,
            to: r.get(5)?,
            zone,
            starts: from_ts(r.get(7)?),
            ends: r.get::<_, Option<i64>>(8)?.map(from_ts),
            remind: remind.as_deref().and_then(|s| crate::domain::time::parse_duration(s).ok()),
            remind_text: remind,
            created_at: from_ts(r.get(10)?),
            void: voided_at.map(|at| Void { reason: r.get(11).ok().flatten(), at: from_ts(at) }),
            plan: Plan { zone, ends: r.get::<_, Option<i64>>(8)?.map(from_ts), versions: vec![], statuses: vec![] },
            repairs: vec![],
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Each agreement's terms versions (`index`: position in `agreements` by id).
fn attach_versions(
    conn: &Connection,
    only: Option<i64>,
    agreements: &mut [Agreement],
    index: &HashMap<i64, usize>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, agreement_id, terms, unit, effective, created_at FROM terms_versions
         WHERE ?1 IS NULL OR agreement_id = ?1 ORDER BY created_at, uuid",
    )?;
    let rows = stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (id, agreement_id, text, unit, effective, created) = row?;
        let Some(&i) = index.get(&agreement_id) else {
            continue;
        };
        let today = NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
        let parsed = terms::parse(&text, today)
            .map_err(|e| Error::failure(format!("the ledger holds terms troth cannot read ({e})")))?;
        agreements[i].plan.versions.push(Version {
            id,
            terms: parsed.terms,
            unit,
            effective: from_ts(effective),
            created: from_ts(created),
        });
    }
    Ok(())
}

/// Each agreement's status changes (`index`: position in `agreements` by id).
fn attach_statuses(
    conn: &Connection,
    only: Option<i64>,
    agreements: &mut [Agreement],
    index: &HashMap<i64, usize>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, agreement_id, status, effective, created_at FROM status_changes
         WHERE ?1 IS NULL OR agreement_id = ?1 ORDER BY created_at, uuid",
    )?;
    let rows = stmt.query_map([only], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?))
    })?;
    for row in rows {
        let (id, agreement_id, status, effective, created) = row?;
        let Some(&i) = index.get(&agreement_id) else {
            continue;
        };
        let status = Status::parse(&status).ok_or_else(|| Error::failure("the ledger holds an unknown status"))?;
        agreements[i].plan.statuses.push(StatusChange {
            id,
            status,
            effective: from_ts(effective),
            created: from_ts(created),
        });
    }
    Ok(())
}

/// An amend cannot come before its promise: the terms the promise was made
/// with come first, and an amend whose clock said earlier counts as made
/// with the promise. The sort is stable, so ties stay in uuid order.
fn order_versions(a: &mut Agreement) {
    let (created, starts) = (a.created_at, a.starts);
    a.plan.versions.sort_by_key(|v| {
        let initial = v.created == created && v.effective == starts;
        (v.created.max(created), !initial)
    });
}

/// An entry voided on two devices has two voids; it is void from the
/// earlier one (voided time, then uuid), whose reason is shown.
const ENTRY_SELECT: &str = "SELECT e.id, e.uuid, e.agreement_id, e.outcome, e.at, e.note, e.logged_by, e.logged_at,
        v.reason, v.voided_at, e.device FROM entries e LEFT JOIN voids v ON v.id = (SELECT x.id FROM voids x
        WHERE x.entry_id = e.id ORDER BY x.voided_at, x.uuid LIMIT 1)";

fn entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let outcome: String = r.get(3)?;
    let voided_at: Option<i64> = r.get(9)?;
    Ok(Entry {
        id: r.get(0)?,
        uuid: r.get(1)?,
        agreement_id: r.get(2)?,
        outcome: Outcome::parse(&outcome).ok_or_else(|| bad_row("outcome"))?,
        at: from_ts(r.get(4)?),
        note: r.get(5)?,
        logged_by: r.get(6)?,
        logged_at: from_ts(r.get(7)?),
        void: voided_at.map(|at| Void { reason: r.get(8).ok().flatten(), at: from_ts(at) }),
        device: r.get(10)?,
        verdicts: vec![],
    })
}

/// As `load_entries`, one entry at a time in the same order: `log` writes
/// ten years of entries without holding them (issue 17). Only the verdicts
/// (few) are read up front.
fn each_entry(conn: &Connection, agreement: Option<i64>, f: &mut dyn FnMut(Entry) -> Result<()>) -> Result<()> {
    let filter = if agreement.is_some() { "e.agreement_id = ?1" } else { "?1 IS NULL" };
    let mut stmt = conn.prepare_cached(&format!("{ENTRY_SELECT} WHERE {filter} ORDER BY e.at, e.logged_at, e.uuid"))?;
    let mut verdicts = voice::verdicts(conn)?;
    for row in stmt.query_map([agreement], entry_row)? {
        let mut e = row?;
        if let Some(vs) = verdicts.remove(&e.id) {
            e.verdicts = vs;
        }
        f(e)?;
    }
    Ok(())
}

fn load_entries(conn: &Connection, agreement: Option<i64>) -> Result<Vec<Entry>> {
    let filter = if agreement.is_some() { "e.agreement_id = ?1" } else { "?1 IS NULL" };
    let mut stmt = conn.prepare_cached(&format!("{ENTRY_SELECT} WHERE {filter} ORDER BY e.at, e.logged_at, e.uuid"))?;
    let rows = stmt.query_map([agreement], entry_row)?;
    let mut entries: Vec<Entry> = rows.collect::<rusqlite::Result<_>>()?;
    match agreement {
        Some(id) => voice::attach_to_entries_of(conn, id, &mut entries)?,
        None => voice::attach_to_entries(conn, &mut entries)?,
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_runs_wal_with_synchronous_full() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        // A new ledger lives in memory until its first command succeeds.
        let mut new = Ledger::open(&path, Access::Write, from_ts(0), || Ok(chrono_tz::UTC)).unwrap();
        assert!(new.is_new() && !path.exists());
        new.persist().unwrap();
        assert!(path.exists());
        for access in [Access::Write, Access::Read] {
            let ledger = Ledger::open(&path, access, from_ts(0), || Ok(chrono_tz::UTC)).unwrap();
            let mode: String = ledger.conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
            let sync: i64 = ledger.conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
            let fk: i64 = ledger.conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
            let busy: i64 = ledger.conn.pragma_query_value(None, "busy_timeout", |r| r.get(0)).unwrap();
            assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1), "{access:?}");
            assert!(busy >= 10_000);
        }
    }
}
