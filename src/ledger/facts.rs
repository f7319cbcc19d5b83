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
        // Voided entries are few: with a handful in the ledger they are left
        // out here, not by a lookup in SQLite for each of ten years of rows.
        let mut voided: Vec<i64> = self
            .conn
            .prepare_cached("SELECT entry_id FROM voids WHERE entry_id IS NOT NULL LIMIT ?1")?
            .query_map([super::FEW + 1], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let few = voided.len() as i64 <= super::FEW;
        voided.sort_unstable();
        let mut stmt = self.conn.prepare_cached(if few { PROMISE_FACTS_ALL } else { PROMISE_FACTS })?;
        let mut facts: Vec<Fact> = Vec::new();
        let mut rows = stmt.query(params![agreement, ts(since)])?;
        while let Some(r) = rows.next()? {
            let f = promise_fact_row(r, agreement)?;
            if !few || voided.binary_search(&f.id).is_err() {
                facts.push(f);
            }
        }
        voice::attach_to_facts_of(&self.conn, agreement, ts(since), &mut facts)?;
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
    use rusqlite::Connection;

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
