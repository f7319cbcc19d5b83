//! Reminder bookkeeping: a claim per (agreement, slot) taken before a
//! notification is sent, and its result after. A claim without a result is
//! "in flight" until its lease runs out; then another run may take it again.

use super::{Ledger, Tx, new_uuid, ts};
use crate::domain::time::Instant;
use crate::error::Result;
use rusqlite::{OptionalExtension, params};
use std::collections::HashSet;

/// How a reminder went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sent {
    Sent,
    Failed,
}

impl Sent {
    fn name(self) -> &'static str {
        match self {
            Sent::Sent => "sent",
            Sent::Failed => "failed",
        }
    }
}

impl Ledger {
    /// `(agreement id, slot start)` of every slot already reminded, or
    /// claimed after `lease_start` by a run that may still be sending.
    pub fn reminded_or_claimed(&self, lease_start: Instant) -> Result<HashSet<(i64, Instant)>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.agreement_id, c.slot_start FROM reminder_claims c
             LEFT JOIN reminder_results r ON r.claim_id = c.id
             WHERE r.outcome = 'sent' OR (r.outcome IS NULL AND c.claimed_at > ?1)",
        )?;
        let rows = stmt.query_map([ts(lease_start)], |r| Ok((r.get(0)?, super::from_ts(r.get(1)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Ledger {
    /// Did a send for this slot fail after `since`?
    pub fn reminder_failed_since(&self, agreement: i64, slot_start: Instant, since: Instant) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM reminder_claims c JOIN reminder_results r ON r.claim_id = c.id
             WHERE c.agreement_id = ?1 AND c.slot_start = ?2 AND r.outcome = 'failed' AND r.at > ?3)",
            params![agreement, ts(slot_start), ts(since)],
            |r| r.get(0),
        )?)
    }

    /// Changes when another connection commits to the ledger (not this one):
    /// how `remind --watch` tells a partner's write from its own.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }
}

impl Tx<'_> {
    /// Claim a slot's reminder at `now`: None when it is already sent, or
    /// claimed after `lease_start` by another run.
    pub fn claim_reminder(
        &self,
        agreement: i64,
        slot_start: Instant,
        now: Instant,
        lease_start: Instant,
    ) -> Result<Option<i64>> {
        let tx = self.raw();
        let taken: Option<i64> = tx
            .query_row(
                "SELECT c.id FROM reminder_claims c LEFT JOIN reminder_results r ON r.claim_id = c.id
                 WHERE c.agreement_id = ?1 AND c.slot_start = ?2
                   AND (r.outcome = 'sent' OR (r.outcome IS NULL AND c.claimed_at > ?3)) LIMIT 1",
                params![agreement, ts(slot_start), ts(lease_start)],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Ok(None);
        }
        tx.execute(
            "INSERT INTO reminder_claims (uuid, agreement_id, slot_start, claimed_at) VALUES (?1, ?2, ?3, ?4)",
            params![new_uuid(), agreement, ts(slot_start), ts(now)],
        )?;
        Ok(Some(tx.last_insert_rowid()))
    }

    /// What became of a claimed reminder. `detail` (an error) is kept to 4000 characters.
    pub fn record_reminder(&self, claim: i64, outcome: Sent, detail: Option<&str>, now: Instant) -> Result<()> {
        self.raw().execute(
            "INSERT INTO reminder_results (uuid, claim_id, outcome, detail, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                new_uuid(),
                claim,
                outcome.name(),
                detail.map(|d| d.chars().take(4000).collect::<String>()),
                ts(now)
            ],
        )?;
        Ok(())
    }
}
