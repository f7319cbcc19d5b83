//! The ledger side of syncing (`crate::sync`): the folder and its key, the
//! files already published, applied or refused, the marks of what is already
//! in the folder, and the reads that find this device's new facts. Local
//! bookkeeping only; the facts themselves go through the one door.

use super::door::{AgreementRow, EntryRow, Src, VoidRow};
use super::{Ledger, Tx};
use crate::error::Result;
use rusqlite::{OptionalExtension, params};
use std::collections::{BTreeSet, HashMap};

/// The fact tables a sync file carries, with their column of "made at".
pub const FACT_TABLES: &[&str] = &[
    "agreements",
    "terms_versions",
    "status_changes",
    "entries",
    "voids",
    "settings",
    "verdicts",
    "repairs",
    "acceptances",
];

/// A file of the folder as this ledger recorded it.
#[derive(Clone, Debug, PartialEq)]
pub struct FileRow {
    pub hash: String,
    pub name: String,
    pub device: String,
    pub person: Option<String>,
    pub seq: i64,
    pub prev: Option<String>,
    pub written: i64,
    pub facts: i64,
    /// `published`, `applied` or `refused`.
    pub state: String,
    pub why: Option<String>,
}

/// A shared setting as a fact.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingRow {
    pub uuid: String,
    pub key: String,
    pub value: String,
    pub set_at: i64,
}

/// What this device made since the marks: the agreements and entries they
/// touch (a file carries each with what it needs), the shared settings, and
/// the last row of every table.
#[derive(Debug, Default)]
pub struct NewFacts {
    pub agreements: BTreeSet<i64>,
    pub entries: BTreeSet<i64>,
    pub settings: Vec<SettingRow>,
    /// New verdicts, repairs and acceptances (docs/design.md §10), by uuid; a
    /// repair also when one of its acceptances is new.
    pub verdicts: BTreeSet<String>,
    pub repairs: BTreeSet<String>,
    pub acceptances: BTreeSet<String>,
    pub count: usize,
    pub last: HashMap<String, i64>,
}

impl NewFacts {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

impl Ledger {
    /// The sync folder and its key, when this ledger syncs.
    pub fn sync_folder(&self) -> Result<Option<(String, Vec<u8>)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT path, key FROM sync_folder ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}

impl Tx<'_> {
    pub fn set_sync_folder(&self, path: &str, key: &[u8], at: i64) -> Result<()> {
        self.raw()
            .execute("INSERT INTO sync_folder (path, key, set_at) VALUES (?1, ?2, ?3)", params![path, key, at])?;
        Ok(())
    }

    pub fn record_file(&self, f: &FileRow, at: i64) -> Result<()> {
        self.raw().execute(
            "INSERT OR IGNORE INTO sync_files (hash, name, device, person, seq, prev, written, facts, state, why, seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![f.hash, f.name, f.device, f.person, f.seq, f.prev, f.written, f.facts, f.state, f.why, at],
        )?;
        Ok(())
    }

    pub fn set_marks(&self, last: &HashMap<String, i64>) -> Result<()> {
        for (t, id) in last {
            self.raw().execute(
                "INSERT INTO sync_marks (tbl, last_id) VALUES (?1, ?2)
                 ON CONFLICT (tbl) DO UPDATE SET last_id = max(last_id, excluded.last_id)",
                params![t, id],
            )?;
        }
        Ok(())
    }

    pub fn set_listing(&self, digest: Option<&str>) -> Result<()> {
        match digest {
            Some(d) => self.raw().execute(
                "INSERT INTO sync_listing (id, digest) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET digest = excluded.digest",
                [d],
            )?,
            None => self.raw().execute("DELETE FROM sync_listing", [])?,
        };
        Ok(())
    }

    pub fn remember_names(&self, names: &[(String, i64, String)]) -> Result<()> {
        let mut stmt = self.raw().prepare_cached(
            "INSERT INTO sync_names (name, size, hash) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET size = excluded.size, hash = excluded.hash",
        )?;
        for (n, s, h) in names {
            stmt.execute(params![n, s, h])?;
        }
        Ok(())
    }

    /// Run `f` inside a savepoint: on success its writes join the
    /// transaction; on failure they are undone and the rest of the
    /// transaction stands (a publish that fails must not take the command's
    /// own facts with it).
    pub fn within_savepoint<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        self.raw().execute_batch("SAVEPOINT troth_publish")?;
        match f(self) {
            Ok(v) => {
                self.raw().execute_batch("RELEASE troth_publish")?;
                Ok(v)
            }
            Err(e) => {
                self.raw().execute_batch("ROLLBACK TO troth_publish; RELEASE troth_publish")?;
                Err(e)
            }
        }
    }

    /// A shared setting from another device, unless its uuid is here.
    pub fn add_setting_fact(&self, s: &SettingRow) -> Result<bool> {
        let here: bool =
            self.raw().query_row("SELECT EXISTS (SELECT 1 FROM settings WHERE uuid = ?1)", [&s.uuid], |r| r.get(0))?;
        if here {
            return Ok(false);
        }
        self.set_setting(&s.uuid, &s.key, &s.value, super::from_ts(s.set_at))?;
        Ok(true)
    }
}

pub fn listing<'a>(src: impl Into<Src<'a>>) -> Result<Option<String>> {
    let c = src.into().conn();
    Ok(c.prepare_cached("SELECT digest FROM sync_listing WHERE id = 1")?.query_row([], |r| r.get(0)).optional()?)
}

pub fn names<'a>(src: impl Into<Src<'a>>) -> Result<HashMap<String, (i64, String)>> {
    let c = src.into().conn();
    let mut stmt = c.prepare_cached("SELECT name, size, hash FROM sync_names")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get::<_, i64>(1)?, r.get::<_, String>(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn files<'a>(src: impl Into<Src<'a>>) -> Result<Vec<FileRow>> {
    let c = src.into().conn();
    let mut stmt = c.prepare_cached(
        "SELECT hash, name, device, person, seq, prev, written, facts, state, why FROM sync_files ORDER BY device, seq, hash",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(FileRow {
            hash: r.get(0)?,
            name: r.get(1)?,
            device: r.get(2)?,
            person: r.get(3)?,
            seq: r.get(4)?,
            prev: r.get(5)?,
            written: r.get(6)?,
            facts: r.get(7)?,
            state: r.get(8)?,
            why: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Facts made on `device` (None: every fact) after the marks (all of them
/// when `since_marks` is false).
pub fn new_facts<'a>(src: impl Into<Src<'a>>, device: Option<&str>, since_marks: bool) -> Result<NewFacts> {
    let c = src.into().conn();
    let mut marks: HashMap<String, i64> = HashMap::new();
    if since_marks {
        let mut stmt = c.prepare_cached("SELECT tbl, last_id FROM sync_marks")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (t, id) = row?;
            marks.insert(t, id);
        }
    }
    let mut out = NewFacts::default();
    for t in FACT_TABLES {
        let mark = marks.get(*t).copied().unwrap_or(0);
        let last: i64 = c.query_row(&format!("SELECT coalesce(max(id), 0) FROM {t}"), [], |r| r.get(0))?;
        out.last.insert(t.to_string(), last);
        if last <= mark {
            continue;
        }
        new_in(c, t, mark, device, &mut out)?;
    }
    Ok(out)
}

/// The last row id of each fact table.
pub fn last_ids<'a>(src: impl Into<Src<'a>>) -> Result<HashMap<String, i64>> {
    ids_now(src.into().conn())
}

fn ids_now(c: &rusqlite::Connection) -> Result<HashMap<String, i64>> {
    let mut last = HashMap::new();
    for t in FACT_TABLES {
        let id: i64 = c.query_row(&format!("SELECT coalesce(max(id), 0) FROM {t}"), [], |r| r.get(0))?;
        last.insert(t.to_string(), id);
    }
    Ok(last)
}

/// Whether every fact row is behind the marks: this device has published
/// all it made. The rows a file then adds can move the marks on with them,
/// so they are never published back — a fact keeps the device that made
/// it, and one from a device with no files (an old ledger's import, on the
/// partner's device) would otherwise count as made here.
pub fn caught_up<'a>(src: impl Into<Src<'a>>) -> Result<bool> {
    let c = src.into().conn();
    let mut stmt = c.prepare_cached("SELECT tbl, last_id FROM sync_marks")?;
    let marks: HashMap<String, i64> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids_now(c)?.iter().all(|(t, id)| *id <= marks.get(t).copied().unwrap_or(0)))
}

/// The facts this device publishes (`?2`, its uuid; NULL: every fact): those
/// it made, and those it brought in otherwise — an `import` of an old
/// ledger's export keeps the old device's uuid — that is, every fact whose
/// device has no files in the folder (those come from that device's files).
fn made_here(col: &str) -> String {
    format!("(?2 IS NULL OR {col} = ?2 OR {col} NOT IN (SELECT device FROM sync_files))")
}

/// The rows of fact table `t` after `mark` (made on `device`, if given),
/// added to `out` as the agreements, entries and voice facts they touch.
fn new_in(c: &rusqlite::Connection, t: &str, mark: i64, device: Option<&str>, out: &mut NewFacts) -> Result<()> {
    let filter = format!("id > ?1 AND {}", made_here("device"));
    let filter = filter.as_str();
    match t {
        "agreements" => {
            let mut s = c.prepare_cached(&format!("SELECT id FROM agreements WHERE {filter}"))?;
            for id in s.query_map(params![mark, device], |r| r.get::<_, i64>(0))? {
                out.agreements.insert(id?);
                out.count += 1;
            }
        }
        "terms_versions" | "status_changes" => {
            let mut s = c.prepare_cached(&format!("SELECT agreement_id FROM {t} WHERE {filter}"))?;
            for id in s.query_map(params![mark, device], |r| r.get::<_, i64>(0))? {
                out.agreements.insert(id?);
                out.count += 1;
            }
        }
        "entries" => {
            let mut s = c.prepare_cached(&format!("SELECT id, agreement_id FROM entries WHERE {filter}"))?;
            for row in s.query_map(params![mark, device], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
                let (e, a) = row?;
                out.entries.insert(e);
                out.agreements.insert(a);
                out.count += 1;
            }
        }
        "voids" => {
            let mut s = c.prepare_cached(&format!(
                "SELECT v.entry_id, coalesce(v.agreement_id, e.agreement_id) FROM voids v
                 LEFT JOIN entries e ON e.id = v.entry_id WHERE v.id > ?1 AND {}",
                made_here("v.device")
            ))?;
            for row in s.query_map(params![mark, device], |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, i64>(1)?)))? {
                let (e, a) = row?;
                if let Some(e) = e {
                    out.entries.insert(e);
                }
                out.agreements.insert(a);
                out.count += 1;
            }
        }
        "verdicts" | "repairs" | "acceptances" => new_voice(c, t, mark, device, out)?,
        _ => {
            let mut s = c.prepare_cached(&format!(
                "SELECT uuid, key, value, set_at FROM settings WHERE {filter}
                 AND key IN ('trust.start', 'trust.gain', 'trust.loss', 'overpromise.threshold') ORDER BY id"
            ))?;
            for row in s.query_map(params![mark, device], |r| {
                Ok(SettingRow { uuid: r.get(0)?, key: r.get(1)?, value: r.get(2)?, set_at: r.get(3)? })
            })? {
                out.settings.push(row?);
                out.count += 1;
            }
        }
    }
    Ok(())
}

/// The partner's voice (docs/design.md §10): new verdicts, repairs and
/// acceptances, with the entries and agreements they speak of.
fn new_voice(c: &rusqlite::Connection, t: &str, mark: i64, device: Option<&str>, out: &mut NewFacts) -> Result<()> {
    match t {
        "verdicts" => {
            let mut s = c.prepare_cached(&format!(
                "SELECT v.uuid, v.entry_id, e.agreement_id FROM verdicts v JOIN entries e ON e.id = v.entry_id
                 WHERE v.id > ?1 AND {}",
                made_here("v.device")
            ))?;
            for row in s.query_map(params![mark, device], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
            })? {
                let (u, e, a) = row?;
                out.verdicts.insert(u);
                out.entries.insert(e);
                out.agreements.insert(a);
                out.count += 1;
            }
        }
        "repairs" | "acceptances" => {
            let sql = if t == "repairs" {
                format!(
                    "SELECT r.uuid, NULL, r.entry_id, r.agreement_id FROM repairs r WHERE r.id > ?1 AND {}",
                    made_here("r.device")
                )
            } else {
                format!(
                    "SELECT r.uuid, x.uuid, r.entry_id, r.agreement_id FROM acceptances x JOIN repairs r ON r.id = x.repair_id
                 WHERE x.id > ?1 AND {}",
                    made_here("x.device")
                )
            };
            let mut s = c.prepare_cached(&sql)?;
            for row in s.query_map(params![mark, device], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })? {
                let (repair, acceptance, e, a) = row?;
                out.repairs.insert(repair);
                if let Some(x) = acceptance {
                    out.acceptances.insert(x);
                }
                if let Some(e) = e {
                    out.entries.insert(e);
                }
                out.agreements.insert(a);
                out.count += 1;
            }
        }
        _ => {}
    }
    Ok(())
}

pub fn entries_by_id<'a>(src: impl Into<Src<'a>>, ids: &BTreeSet<i64>) -> Result<Vec<EntryRow>> {
    let c = src.into().conn();
    let mut stmt = c.prepare_cached(
        "SELECT id, uuid, agreement_id, outcome, at, note, logged_by, logged_at, device FROM entries WHERE id = ?1",
    )?;
    let mut out = Vec::new();
    for id in ids {
        out.push(stmt.query_row([id], super::door::entry_row)?);
    }
    Ok(out)
}

pub fn agreement_uuid<'a>(src: impl Into<Src<'a>>, id: i64) -> Result<Option<AgreementRow>> {
    super::door::agreement_by_id(src, id)
}

/// Voids of an entry (`entry` true) or of an agreement, in the order made.
pub fn voids_of<'a>(src: impl Into<Src<'a>>, id: i64, entry: bool) -> Result<Vec<VoidRow>> {
    let c = src.into().conn();
    let col = if entry { "entry_id" } else { "agreement_id" };
    let mut stmt = c.prepare_cached(&format!(
        "SELECT uuid, entry_id, agreement_id, reason, voided_at, device FROM voids WHERE {col} = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([id], |r| {
        Ok(VoidRow {
            uuid: r.get(0)?,
            entry_id: r.get(1)?,
            agreement_id: r.get(2)?,
            reason: r.get(3)?,
            at: r.get(4)?,
            device: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The uuids of every fact here that `device` made (verify checks each is
/// still in that device's files).
pub fn uuids_made_by<'a>(src: impl Into<Src<'a>>, device: &str) -> Result<Vec<String>> {
    let c = src.into().conn();
    let mut out = Vec::new();
    for t in FACT_TABLES {
        let extra = if *t == "acceptances" {
            " AND device IS NOT NULL"
        } else if *t == "settings" {
            " AND key IN ('trust.start', 'trust.gain', 'trust.loss', 'overpromise.threshold')"
        } else {
            ""
        };
        let mut stmt = c.prepare(&format!("SELECT uuid FROM {t} WHERE device = ?1{extra}"))?;
        for u in stmt.query_map([device], |r| r.get::<_, String>(0))? {
            out.push(u?);
        }
    }
    Ok(out)
}

/// The devices that made facts here, with the name of their `me` where a
/// file said it.
pub fn devices_with_facts<'a>(src: impl Into<Src<'a>>) -> Result<Vec<(String, i64)>> {
    let c = src.into().conn();
    let mut stmt = c.prepare(
        "SELECT device, count(*) FROM (
           SELECT device FROM agreements UNION ALL SELECT device FROM terms_versions
           UNION ALL SELECT device FROM status_changes UNION ALL SELECT device FROM entries
           UNION ALL SELECT device FROM voids UNION ALL SELECT device FROM verdicts
           UNION ALL SELECT device FROM repairs UNION ALL SELECT device FROM acceptances)
         GROUP BY device ORDER BY device",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn repair_uuid<'a>(src: impl Into<Src<'a>>, id: i64) -> Result<Option<String>> {
    let c = src.into().conn();
    Ok(c.prepare_cached("SELECT uuid FROM repairs WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?)
}

/// Promises and entries not void (for what `sync setup` and `join` say).
pub fn counts<'a>(src: impl Into<Src<'a>>) -> Result<(i64, i64)> {
    let c = src.into().conn();
    Ok(c.query_row(
        "SELECT (SELECT count(*) FROM agreements WHERE id NOT IN (SELECT agreement_id FROM voids WHERE agreement_id IS NOT NULL)),
                (SELECT count(*) FROM entries WHERE id NOT IN (SELECT entry_id FROM voids WHERE entry_id IS NOT NULL))",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
