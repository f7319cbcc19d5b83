//! Reading facts: the engine's hot path over years of history — every
//! promise's non-void entries as `Fact`s (id, outcome, times, uuid key, the
//! verdict that decides it), read from narrow columns and indexes.

use super::{Ledger, from_ts, ts, voice};
use crate::domain::time::Instant;
use crate::domain::{Fact, Outcome};
use crate::error::Result;
use rusqlite::params;

impl Ledger {
    /// Non-void entries as facts, optionally of one agreement, in no particular
    /// order (the engine sorts each agreement's own). Reads four narrow columns
    /// in table order: the engine's hot path over years of history.
    pub fn facts(&self, agreement: Option<i64>) -> Result<Vec<Fact>> {
        if let Some(id) = agreement {
            return self.facts_of(id);
        }
        // The whole ledger scans the table in order of rowid (no per-row
        // index lookups), cheaper than reading it promise by promise.
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, agreement_id, outcome, at, logged_at, uuid FROM entries
             WHERE id NOT IN (SELECT entry_id FROM voids WHERE entry_id IS NOT NULL)",
        )?;
        let rows = stmt.query_map([], fact_row)?;
        let mut facts: Vec<Fact> = rows.collect::<rusqlite::Result<_>>()?;
        voice::attach_to_facts(&self.conn, &mut facts)?;
        Ok(facts)
    }

    /// One promise's non-void facts in the engine's order (time, logged,
    /// uuid), read from its covering index alone (migrations/0006): the cost
    /// is that promise's entries, not the ledger's.
    pub fn facts_of(&self, agreement: i64) -> Result<Vec<Fact>> {
        self.facts_of_since(agreement, Instant::MIN_UTC)
    }

    /// As `facts_of`, those with `at` at or after `since` only.
    pub fn facts_of_since(&self, agreement: i64, since: Instant) -> Result<Vec<Fact>> {
        self.facts_of_since_given(agreement, since, &self.few()?)
    }

    /// What every promise's read needs to know of the whole ledger, read
    /// once by a command that reads its promises one by one (in a snapshot,
    /// so that it stays true): see `Few`.
    pub fn few(&self) -> Result<Few> {
        let mut voided: Vec<i64> = self
            .conn
            .prepare_cached("SELECT entry_id FROM voids WHERE entry_id IS NOT NULL LIMIT ?1")?
            .query_map([super::FEW + 1], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        voided.sort_unstable();
        let voided = (voided.len() as i64 <= super::FEW).then_some(voided);
        Ok(Few { voided, verdicts: voice::few_verdicts(&self.conn)? })
    }

    /// As `facts_of_since`, with `few` read before (`Ledger::few`).
    pub fn facts_of_since_given(&self, agreement: i64, since: Instant, few: &Few) -> Result<Vec<Fact>> {
        let mut stmt =
            self.conn.prepare_cached(if few.voided.is_some() { PROMISE_FACTS_ALL } else { PROMISE_FACTS })?;
        let mut facts: Vec<Fact> = Vec::new();
        let mut rows = stmt.query(params![agreement, ts(since)])?;
        while let Some(r) = rows.next()? {
            let f = promise_fact_row(r, agreement)?;
            if few.voided.as_ref().is_none_or(|v| v.binary_search(&f.id).is_err()) {
                facts.push(f);
            }
        }
        voice::attach_to_facts_of(&self.conn, agreement, ts(since), few.verdicts, &mut facts)?;
        Ok(facts)
    }

    /// Non-void facts with `at` at or after `since`, in time order.
    pub fn facts_since(&self, since: Instant) -> Result<Vec<Fact>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, agreement_id, outcome, at, logged_at, uuid FROM entries
             WHERE at >= ?1 AND id NOT IN (SELECT entry_id FROM voids WHERE entry_id IS NOT NULL)
             ORDER BY at, logged_at, uuid",
        )?;
        let rows = stmt.query_map([ts(since)], fact_row)?;
        let mut facts: Vec<Fact> = rows.collect::<rusqlite::Result<_>>()?;
        voice::attach_to_facts(&self.conn, &mut facts)?;
        Ok(facts)
    }
}

/// Whether the ledger's voids and verdicts are few (`ledger::FEW`): a couple
/// writes a handful of each. With few, a promise's read leaves the void
/// entries out itself and looks each verdict's entry up by rowid, rather than
/// have SQLite probe ten years of the promise's rows for them. Read once per
/// command (`Ledger::few`), not once per promise.
pub struct Few {
    /// The void entries, sorted, when they are few.
    voided: Option<Vec<i64>>,
    /// Whether the verdicts are few.
    verdicts: bool,
}

/// One promise's non-void facts from `at` on, in the engine's order: read
/// from the covering index alone (a test below holds SQLite to that).
const PROMISE_FACTS: &str = "SELECT id, CASE outcome WHEN 'kept' THEN 0 WHEN 'broken' THEN 1 ELSE 2 END,
       at, logged_at, uuid FROM entries
     WHERE agreement_id = ?1 AND at >= ?2
       AND id NOT IN (SELECT entry_id FROM voids WHERE entry_id IS NOT NULL)
     ORDER BY at, logged_at, uuid";

/// As `PROMISE_FACTS`, voided entries included (left out by the caller).
const PROMISE_FACTS_ALL: &str = "SELECT id, CASE outcome WHEN 'kept' THEN 0 WHEN 'broken' THEN 1 ELSE 2 END,
       at, logged_at, uuid FROM entries WHERE agreement_id = ?1 AND at >= ?2 ORDER BY at, logged_at, uuid";

/// A row of `PROMISE_FACTS`: five columns, the outcome as a number — ten
/// years of a promise are thousands of rows, and each column asked of SQLite
/// costs as much as stepping to the row.
fn promise_fact_row(r: &rusqlite::Row<'_>, agreement_id: i64) -> rusqlite::Result<Fact> {
    let int = |i: usize| -> rusqlite::Result<i64> {
        match r.get_ref(i)? {
            rusqlite::types::ValueRef::Integer(n) => Ok(n),
            other => Err(rusqlite::Error::InvalidColumnType(i, String::new(), other.data_type())),
        }
    };
    Ok(Fact {
        id: int(0)?,
        agreement_id,
        outcome: match int(1)? {
            0 => Outcome::Kept,
            1 => Outcome::Broken,
            _ => Outcome::Excused,
        },
        at: from_ts(int(2)?),
        logged_at: from_ts(int(3)?),
        uuid: crate::domain::agreement::uuid_key(r.get_ref(4)?.as_str()?),
        verdict: None,
    })
}

/// A row of `SELECT id, agreement_id, outcome, at, logged_at, uuid FROM entries`
/// (the verdict is attached after).
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
        uuid: crate::domain::agreement::uuid_key(r.get_ref(5)?.as_str()?),
        verdict: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::voice::VerdictKind;
    use crate::ledger::voice::NewVerdict;
    use crate::ledger::{Access, NewAgreement, new_uuid};
    use rusqlite::Connection;

    /// A ledger on disk with one daily promise and `n` entries, every third
    /// voided (their ids returned) and every other given a verdict.
    fn ledger_with(n: i64) -> (tempfile::TempDir, Ledger, i64, Vec<i64>) {
        const T0: i64 = 1_700_000_000;
        let dir = tempfile::tempdir().unwrap();
        let mut ledger =
            Ledger::open(&dir.path().join("t.db"), Access::Write, from_ts(T0), || Ok(chrono_tz::UTC)).unwrap();
        ledger.persist().unwrap();
        let tx = ledger.write().unwrap();
        let t = |i: i64| from_ts(T0 + i * 86_400);
        let id = tx
            .add_agreement(&NewAgreement {
                uuid: new_uuid(),
                slug: "walk",
                text: "Walk together",
                by: "me",
                to: "partner",
                zone: chrono_tz::Europe::Berlin,
                starts: t(0),
                ends: None,
                remind: None,
                created_at: t(0),
            })
            .unwrap();
        tx.add_version(&new_uuid(), id, "1/day", None, t(0), None, t(0)).unwrap();
        let mut voided = Vec::new();
        for i in 0..n {
            let outcome = if i % 5 == 0 { Outcome::Broken } else { Outcome::Kept };
            let e = tx.add_entry(&new_uuid(), id, outcome, t(i), None, "me", t(i)).unwrap();
            if i % 3 == 0 {
                tx.void_entry(&new_uuid(), e, None, t(i)).unwrap();
                voided.push(e);
            }
            if i % 2 == 0 {
                let (kind, note) =
                    if i % 4 == 0 { (VerdictKind::Confirmed, None) } else { (VerdictKind::Disputed, Some("not so")) };
                let v = NewVerdict { uuid: &new_uuid(), entry: e, kind, by: "partner", note, at: t(i) };
                tx.add_verdict(&v).unwrap();
            }
        }
        tx.commit().unwrap();
        (dir, ledger, id, voided)
    }

    /// Both ways of reading a promise's facts — void entries and verdicts
    /// looked up one by one, or left to SQLite — give the same facts as the
    /// whole ledger's read, and `few` picks the first while the voids and
    /// verdicts are few.
    #[test]
    fn few_or_many_voids_and_verdicts_read_the_same_facts() {
        for n in [30, 3 * super::super::FEW + 3] {
            let (_dir, ledger, id, voided) = ledger_with(n);
            let few = ledger.few().unwrap();
            // 30 entries: 10 voided, 15 verdicts; 195: 65 and 98, more than FEW.
            let is_few = n == 30;
            assert_eq!(few.voided.as_ref(), is_few.then_some(&voided), "n = {n}");
            assert_eq!(few.verdicts, is_few, "n = {n}");
            let mut whole = ledger.facts(None).unwrap();
            whole.sort_by_key(|f| (f.at, f.logged_at, f.uuid));
            assert_eq!(whole.len(), n as usize - voided.len(), "n = {n}");
            assert!(whole.iter().any(|f| f.verdict.is_some()), "n = {n}");
            let since = Instant::MIN_UTC;
            for few in [Few { voided: Some(voided.clone()), verdicts: true }, Few { voided: None, verdicts: false }] {
                assert_eq!(ledger.facts_of_since_given(id, since, &few).unwrap(), whole, "n = {n}");
            }
            assert_eq!(ledger.facts_of_since(id, since).unwrap(), whole, "n = {n}");
        }
    }

    #[test]
    fn one_promises_facts_come_from_its_covering_index_in_order() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migrate::run(&mut conn).unwrap();
        for query in [PROMISE_FACTS, PROMISE_FACTS_ALL] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
                .unwrap()
                .query_map(params![1, 0], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let plan = plan.join("\n");
            assert!(plan.contains("USING COVERING INDEX entries_agreement_facts"), "{plan}");
            assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "sorted by SQLite, not read in order: {plan}");
        }
    }
}
