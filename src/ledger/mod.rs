//! The ledger: the only place with SQL.
//!
//! Owns opening (private files, WAL with `synchronous=FULL`, busy timeout,
//! foreign keys), the migration runner over `PRAGMA user_version`, refusing
//! files that are not troth ledgers or are newer than this program, and typed
//! reads and appends. The ledger is append-only: nothing here updates or
//! deletes a row (triggers in the schema enforce it).

mod migrate;
pub mod settings;

pub use migrate::LATEST_VERSION;
pub use settings::Settings;

use crate::error::{Error, Result};
use crate::slots::{Plan, Status, StatusChange, Version};
use crate::terms;
use crate::time::{Instant, Span};
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a troth ledger: "trot".
pub const APPLICATION_ID: i64 = 0x7472_6f74;

pub struct Ledger {
    pub conn: Connection,
    /// None for an in-memory stand-in (a read-only command with no ledger yet).
    pub path: Option<PathBuf>,
    /// "Now" for the command (`TROTH_NOW`): which promises are live decides
    /// the slugs shown (`converge::display_slugs`).
    pub now: Instant,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Kept,
    Broken,
    Excused,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Kept => "kept",
            Outcome::Broken => "broken",
            Outcome::Excused => "excused",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "kept" => Outcome::Kept,
            "broken" => Outcome::Broken,
            "excused" => Outcome::Excused,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Void {
    pub reason: Option<String>,
    pub at: Instant,
}

#[derive(Clone, Debug)]
pub struct Agreement {
    pub id: i64,
    pub uuid: String,
    pub slug: String,
    pub text: String,
    pub by: String,
    pub to: String,
    pub zone: Tz,
    pub starts: Instant,
    pub ends: Option<Instant>,
    pub remind: Option<Span>,
    /// The lead as the user typed it (`1w`, `90m`), shown back as typed.
    pub remind_text: Option<String>,
    pub created_at: Instant,
    pub void: Option<Void>,
    pub plan: Plan,
}

impl Agreement {
    pub fn is_void(&self) -> bool {
        self.void.is_some()
    }

    /// Retired, with retirement already in effect at `now`.
    pub fn retired_at(&self, now: Instant) -> bool {
        self.plan.retired_from().is_some_and(|r| r <= now)
    }

    /// Live: neither voided nor retired (a slug is unique among these).
    pub fn is_live(&self, now: Instant) -> bool {
        !self.is_void() && !self.retired_at(now)
    }
}

/// What the engine needs of an entry: who, what, when. Void entries are
/// never facts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fact {
    pub id: i64,
    pub agreement_id: i64,
    pub outcome: Outcome,
    pub at: Instant,
    /// Entries at the same instant go in logged order, then uuid (DESIGN.md
    /// §3, §9) — never by local id, which differs between devices.
    pub logged_at: Instant,
    pub uuid: u128,
}

impl Fact {
    /// The order of entries everywhere: time, logged time, uuid.
    pub fn order(&self) -> (Instant, Instant, u128) {
        (self.at, self.logged_at, self.uuid)
    }
}

/// A uuid as a number that sorts as its text does.
pub fn uuid_key(s: &str) -> u128 {
    uuid::Uuid::parse_str(s).map(|u| u.as_u128()).unwrap_or(0)
}

impl From<&Entry> for Fact {
    fn from(e: &Entry) -> Fact {
        Fact {
            id: e.id,
            agreement_id: e.agreement_id,
            outcome: e.outcome,
            at: e.at,
            logged_at: e.logged_at,
            uuid: uuid_key(&e.uuid),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i64,
    pub uuid: String,
    pub agreement_id: i64,
    pub outcome: Outcome,
    pub at: Instant,
    pub note: Option<String>,
    pub logged_by: String,
    pub logged_at: Instant,
    pub void: Option<Void>,
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

fn bad_row(what: &str) -> rusqlite::Error {
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
    /// recorded when the ledger is created.
    pub fn open(path: &Path, access: Access, home_zone: impl FnOnce() -> Result<Tz>) -> Result<Ledger> {
        let exists = path.exists();
        if !exists && access == Access::Read {
            let zone = home_zone()?;
            let mut conn = Connection::open_in_memory()?;
            migrate::run(&mut conn)?;
            let ledger = Ledger { conn, path: None, now: chrono::Utc::now() };
            ledger.ensure_home_zone(zone)?;
            return Ok(ledger);
        }
        // A new ledger's home zone is checked before anything is created.
        let mut new_zone = None;
        if exists {
            check_private(path)?;
        } else {
            new_zone = Some(home_zone()?);
            create_private(path)?;
        }
        let conn = Connection::open(path)
            .map_err(|e| Error::failure(format!("could not open the ledger {}: {e}", path.display())))?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        // Look before touching anything: journal_mode=WAL would rewrite the header.
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| not_a_ledger(path, e))?;
        let app_id: i64 =
            conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| not_a_ledger(path, e))?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| r.get(0))
            .map_err(|e| not_a_ledger(path, e))?;
        if (app_id != 0 && app_id != APPLICATION_ID) || (version == 0 && tables > 0) {
            return Err(Error::failure(format!("{} is an SQLite database but not a troth ledger", path.display()))
                .hint("point --db or TROTH_DB at a troth ledger, or at a path where none exists yet"));
        }
        if version > LATEST_VERSION {
            return Err(Error::failure(format!(
                "{} was written by a newer troth (schema version {version}; this troth knows up to {LATEST_VERSION})",
                path.display()
            ))
            .hint("install the newer troth to read it; the ledger was left untouched"));
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut conn = conn;
        if version > 0 && version < LATEST_VERSION {
            backup_before_upgrade(&conn, path, version)?;
        }
        if version < LATEST_VERSION {
            migrate::run(&mut conn)?;
        }
        let ledger = Ledger { conn, path: Some(path.to_path_buf()), now: chrono::Utc::now() };
        if let Some(zone) = new_zone {
            ledger.ensure_home_zone(zone)?;
        }
        Ok(ledger)
    }

    fn ensure_home_zone(&self, zone: Tz) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let exists: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM settings WHERE key = 'zone')", [], |r| r.get(0))?;
        if !exists {
            tx.execute(
                "INSERT INTO settings (uuid, key, value, set_at) VALUES (?1, 'zone', ?2, ?3)",
                params![new_uuid(), zone.name(), ts(chrono::Utc::now())],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// An IMMEDIATE transaction: concurrent writers queue on the busy timeout
    /// instead of failing halfway.
    pub fn write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    pub fn settings(&self) -> Result<Settings> {
        Settings::load(&self.conn)
    }

    /// Every agreement, oldest first (created, then uuid), with the slugs
    /// people see.
    pub fn agreements(&self) -> Result<Vec<Agreement>> {
        let mut all = load_agreements(&self.conn, None)?;
        crate::converge::display_slugs(&mut all, self.now);
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

    /// Non-void entries as facts, optionally of one agreement, in no particular
    /// order (the engine sorts each agreement's own). Reads four narrow columns
    /// in table order: the engine's hot path over years of history.
    pub fn facts(&self, agreement: Option<i64>) -> Result<Vec<Fact>> {
        // Two statements, so the one-agreement case can use its index; the
        // whole-ledger case scans the table in order of rowid (no per-row index
        // lookups), which is several times cheaper than reading it by time.
        let mut stmt = self.conn.prepare_cached(if agreement.is_some() {
            "SELECT id, agreement_id, outcome, at, logged_at, uuid FROM entries
             WHERE agreement_id = ?1 AND id NOT IN (SELECT entry_id FROM voids WHERE entry_id IS NOT NULL)"
        } else {
            "SELECT id, agreement_id, outcome, at, logged_at, uuid FROM entries
             WHERE ?1 IS NULL AND id NOT IN (SELECT entry_id FROM voids WHERE entry_id IS NOT NULL)"
        })?;
        let rows = stmt.query_map([agreement], fact_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Non-void facts with `at` at or after `since`, in time order.
    pub fn facts_since(&self, since: Instant) -> Result<Vec<Fact>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, agreement_id, outcome, at, logged_at, uuid FROM entries
             WHERE at >= ?1 AND id NOT IN (SELECT entry_id FROM voids WHERE entry_id IS NOT NULL)
             ORDER BY at, logged_at, uuid",
        )?;
        let rows = stmt.query_map([ts(since)], fact_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Entries (void ones included) with `at` in (since, until].
    pub fn entries_between(&self, since: Instant, until: Instant) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{ENTRY_SELECT} WHERE e.at > ?1 AND e.at <= ?2 ORDER BY e.at, e.logged_at, e.uuid"
        ))?;
        let rows = stmt.query_map([ts(since), ts(until)], entry_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn entry(&self, id: i64) -> Result<Option<Entry>> {
        let mut stmt = self.conn.prepare_cached(&format!("{ENTRY_SELECT} WHERE e.id = ?1"))?;
        Ok(stmt.query_row([id], entry_row).optional()?)
    }
}

fn not_a_ledger(path: &Path, e: rusqlite::Error) -> Error {
    let err = Error::from(e);
    if err.message.contains("not a troth ledger") {
        Error::failure(format!("{} is not a troth ledger (it is not an SQLite database)", path.display()))
            .hint("point --db or TROTH_DB at a troth ledger, or at a path where none exists yet")
    } else {
        err
    }
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::failure(format!("could not read the ledger {}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(Error::failure(format!("{} is a folder, not a troth ledger", path.display())));
    }
    let mode = meta.permissions().mode();
    if mode & 0o022 != 0 {
        return Err(Error::failure(format!(
            "{} can be written by other users (mode {:o}); troth keeps intimate records and will not use it",
            path.display(),
            mode & 0o777
        ))
        .hint(format!("make it private to you: chmod 600 '{}'", path.display())));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<()> {
    Ok(())
}

/// Create the ledger file (and any folders troth has to make) private to the user.
pub fn create_private(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(parent).map_err(|e| {
            Error::failure(format!("could not create the folder {} for the ledger: {e}", parent.display()))
        })?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path).map_err(|e| Error::failure(format!("could not create the ledger {}: {e}", path.display())))?;
    Ok(())
}

/// A private file for troth's own output (backups, exports).
pub fn create_private_file(path: &Path) -> Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path).map_err(|e| Error::failure(format!("could not write {}: {e}", path.display())))
}

fn backup_before_upgrade(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".bak-v{version}"));
    let backup = PathBuf::from(name);
    if backup.exists() {
        return Ok(());
    }
    drop(create_private_file(&backup)?);
    conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()]).map_err(|e| {
        Error::failure(format!("could not back up the ledger to {} before upgrading it: {e}", backup.display()))
    })?;
    Ok(())
}

pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            &format!("SELECT value FROM settings WHERE key = ?1 ORDER BY {} LIMIT 1", settings::LATEST_FIRST),
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

fn load_agreements(conn: &Connection, only: Option<i64>) -> Result<Vec<Agreement>> {
    let filter = if only.is_some() { "WHERE a.id = ?1" } else { "WHERE ?1 IS NULL" };
    let mut stmt = conn.prepare(&format!(
        "SELECT a.id, a.uuid, a.slug, a.text, a.by_name, a.to_name, a.zone, a.starts, a.ends, a.remind, a.created_at,
                v.reason, v.voided_at
         FROM agreements a LEFT JOIN voids v ON v.id = (SELECT x.id FROM voids x
             WHERE x.agreement_id = a.id ORDER BY x.voided_at, x.uuid LIMIT 1) {filter}
         ORDER BY a.created_at, a.uuid"
    ))?;
    let mut out: Vec<Agreement> = stmt
        .query_map([only], |r| {
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
                remind: remind.as_deref().and_then(|s| crate::time::parse_duration(s).ok()),
                remind_text: remind,
                created_at: from_ts(r.get(10)?),
                void: voided_at.map(|at| Void { reason: r.get(11).ok().flatten(), at: from_ts(at) }),
                plan: Plan { zone, ends: r.get::<_, Option<i64>>(8)?.map(from_ts), versions: vec![], statuses: vec![] },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: std::collections::HashMap<i64, usize> = out.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
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
        let a = &mut out[i];
        let today = NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
        let parsed = terms::parse(&text, today)
            .map_err(|e| Error::failure(format!("the ledger holds terms troth cannot read ({e})")))?;
        a.plan.versions.push(Version {
            id,
            terms: parsed.terms,
            unit,
            effective: from_ts(effective),
            created: from_ts(created),
        });
    }
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
        out[i].plan.statuses.push(StatusChange {
            id,
            status,
            effective: from_ts(effective),
            created: from_ts(created),
        });
    }
    // An amend cannot come before its promise: the terms the promise was made
    // with come first, and an amend whose clock said earlier counts as made
    // with the promise. The sort is stable, so ties stay in uuid order.
    for a in &mut out {
        let (created, starts) = (a.created_at, a.starts);
        a.plan.versions.sort_by_key(|v| {
            let initial = v.created == created && v.effective == starts;
            (v.created.max(created), !initial)
        });
    }
    out.retain(|a| !a.plan.versions.is_empty());
    Ok(out)
}

/// A row of `SELECT id, agreement_id, outcome, at, logged_at, uuid FROM entries`.
fn fact_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Fact> {
    let outcome = match r.get_ref(2)?.as_str()? {
        "kept" => Outcome::Kept,
        "broken" => Outcome::Broken,
        _ => Outcome::Excused,
    };
    Ok(Fact {
        id: r.get(0)?,
        agreement_id: r.get(1)?,
        outcome,
        at: from_ts(r.get(3)?),
        logged_at: from_ts(r.get(4)?),
        uuid: uuid_key(r.get_ref(5)?.as_str()?),
    })
}

/// An entry voided on two devices has two voids; it is void from the
/// earlier one (voided time, then uuid), whose reason is shown.
const ENTRY_SELECT: &str = "SELECT e.id, e.uuid, e.agreement_id, e.outcome, e.at, e.note, e.logged_by, e.logged_at,
        v.reason, v.voided_at FROM entries e LEFT JOIN voids v ON v.id = (SELECT x.id FROM voids x
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
    })
}

fn load_entries(conn: &Connection, agreement: Option<i64>) -> Result<Vec<Entry>> {
    let filter = if agreement.is_some() { "e.agreement_id = ?1" } else { "?1 IS NULL" };
    let mut stmt = conn.prepare_cached(&format!("{ENTRY_SELECT} WHERE {filter} ORDER BY e.at, e.logged_at, e.uuid"))?;
    let rows = stmt.query_map([agreement], entry_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Appends. Each takes an open transaction so a command's writes land together.
pub mod append {
    use super::*;
    use rusqlite::Transaction;

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

    pub fn agreement(tx: &Transaction<'_>, a: &NewAgreement<'_>) -> Result<i64> {
        tx.execute(
            "INSERT INTO agreements (uuid, slug, text, by_name, to_name, zone, starts, ends, remind, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                a.uuid,
                a.slug,
                a.text,
                a.by,
                a.to,
                a.zone.name(),
                ts(a.starts),
                a.ends.map(ts),
                a.remind,
                ts(a.created_at)
            ],
        )?;
        Ok(tx.last_insert_rowid())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn version(
        tx: &Transaction<'_>,
        uuid: &str,
        agreement: i64,
        terms: &str,
        unit: Option<&str>,
        effective: Instant,
        note: Option<&str>,
        created: Instant,
    ) -> Result<i64> {
        tx.execute(
            "INSERT INTO terms_versions (uuid, agreement_id, terms, unit, effective, note, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![uuid, agreement, terms, unit, ts(effective), note, ts(created)],
        )?;
        Ok(tx.last_insert_rowid())
    }

    pub fn status(
        tx: &Transaction<'_>,
        uuid: &str,
        agreement: i64,
        status: Status,
        effective: Instant,
        created: Instant,
    ) -> Result<i64> {
        tx.execute(
            "INSERT INTO status_changes (uuid, agreement_id, status, effective, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![uuid, agreement, status.name(), ts(effective), ts(created)],
        )?;
        Ok(tx.last_insert_rowid())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn entry(
        tx: &Transaction<'_>,
        uuid: &str,
        agreement: i64,
        outcome: Outcome,
        at: Instant,
        note: Option<&str>,
        logged_by: &str,
        logged_at: Instant,
    ) -> Result<i64> {
        tx.prepare_cached(
            "INSERT INTO entries (uuid, agreement_id, outcome, at, note, logged_by, logged_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![uuid, agreement, outcome.name(), ts(at), note, logged_by, ts(logged_at)])?;
        Ok(tx.last_insert_rowid())
    }

    pub fn void_entry(tx: &Transaction<'_>, uuid: &str, entry: i64, reason: Option<&str>, at: Instant) -> Result<()> {
        tx.execute(
            "INSERT INTO voids (uuid, entry_id, reason, voided_at) VALUES (?1, ?2, ?3, ?4)",
            params![uuid, entry, reason, ts(at)],
        )?;
        Ok(())
    }

    pub fn void_agreement(
        tx: &Transaction<'_>,
        uuid: &str,
        agreement: i64,
        reason: Option<&str>,
        at: Instant,
    ) -> Result<()> {
        tx.execute(
            "INSERT INTO voids (uuid, agreement_id, reason, voided_at) VALUES (?1, ?2, ?3, ?4)",
            params![uuid, agreement, reason, ts(at)],
        )?;
        Ok(())
    }

    pub fn setting(tx: &Transaction<'_>, uuid: &str, key: &str, value: &str, at: Instant) -> Result<()> {
        tx.execute(
            "INSERT INTO settings (uuid, key, value, set_at) VALUES (?1, ?2, ?3, ?4)",
            params![uuid, key, value, ts(at)],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_runs_wal_with_synchronous_full() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        for access in [Access::Write, Access::Read] {
            let ledger = Ledger::open(&path, access, || Ok(chrono_tz::UTC)).unwrap();
            let mode: String = ledger.conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
            let sync: i64 = ledger.conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
            let fk: i64 = ledger.conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
            let busy: i64 = ledger.conn.pragma_query_value(None, "busy_timeout", |r| r.get(0)).unwrap();
            assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1), "{access:?}");
            assert!(busy >= 10_000);
        }
    }
}
