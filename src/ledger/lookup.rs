//! Finding the one promise a command names, read on its own: `troth kept
//! walk` on a ledger of fifty promises costs what it costs on one (issue 17),
//! instead of reading and parsing every promise's plan to pick one.

use super::{Ledger, load_agreements};
use crate::domain::Agreement;
use crate::error::Result;
use std::collections::HashSet;

impl Ledger {
    /// The agreement `arg` names — an id, or a slug as people see it — read
    /// alone; None when it is not found this way (the caller then looks among
    /// all of them, which also words the error).
    ///
    /// The slugs people see are the stored ones unless two promises share a
    /// stored slug (two devices, docs/design.md §9): then a later one is shown
    /// as `slug-2`, which depends on every other promise, and this gives up.
    pub fn named(&self, arg: &str) -> Result<Option<Agreement>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, slug FROM agreements")?;
        let rows: Vec<(i64, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut seen = HashSet::with_capacity(rows.len());
        if !rows.iter().all(|(_, slug)| seen.insert(slug.as_str())) {
            return Ok(None);
        }
        // As `commands::find`: an id (`3` or `#3`), anything else a slug.
        let arg = arg.trim();
        let id = if let Some(id) = crate::domain::validate::id_form(arg) {
            id
        } else {
            rows.iter().find(|(_, slug)| slug == arg).map(|(id, _)| *id)
        };
        let Some(id) = id else { return Ok(None) };
        let mut one = load_agreements(&self.conn, Some(id))?;
        Ok(if one.len() == 1 { one.pop() } else { None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Access, NewAgreement, from_ts, new_uuid};

    const T0: i64 = 1_700_000_000;

    /// A ledger on disk with one promise per slug (a slug may repeat, as
    /// after two devices each made it), the third one voided.
    fn ledger_with(slugs: &[&str]) -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger =
            Ledger::open(&dir.path().join("t.db"), Access::Write, from_ts(T0), || Ok(chrono_tz::UTC)).unwrap();
        ledger.persist().unwrap();
        let tx = ledger.write().unwrap();
        for (i, slug) in slugs.iter().enumerate() {
            let made = from_ts(T0 - 1000 + i as i64);
            let id = tx
                .add_agreement(&NewAgreement {
                    uuid: new_uuid(),
                    slug,
                    text: "Walk together",
                    by: "me",
                    to: "partner",
                    zone: chrono_tz::Europe::Berlin,
                    starts: made,
                    ends: None,
                    remind: None,
                    created_at: made,
                })
                .unwrap();
            tx.add_version(&new_uuid(), id, "1/day", None, made, None, made).unwrap();
            if i == 2 {
                tx.void_agreement(&new_uuid(), id, Some("by mistake"), made).unwrap();
            }
        }
        tx.commit().unwrap();
        (dir, ledger)
    }

    /// What `commands::find` picks among every agreement, as `Debug` text.
    fn among_all(ledger: &Ledger, arg: &str) -> Option<String> {
        let all = ledger.agreements().unwrap();
        crate::commands::find(&all, arg, from_ts(T0)).ok().map(|x| format!("{x:?}"))
    }

    #[test]
    fn a_promise_read_alone_is_the_one_found_among_all() {
        let (_dir, ledger) = ledger_with(&["walk", "walk-2", "gym", "read"]);
        for arg in ["walk", "walk-2", " gym ", "read", "1", "2", "3", "4", "#2", " #4"] {
            let alone = ledger.named(arg).unwrap().map(|x| format!("{x:?}"));
            assert!(alone.is_some(), "{arg:?} is read alone");
            assert_eq!(alone, among_all(&ledger, arg), "{arg:?}");
        }
        // Not found alone: the caller looks among all and words the error.
        for arg in ["walks", "5", "0", "", "#", "#5", "99999999999999999999"] {
            assert!(ledger.named(arg).unwrap().is_none(), "{arg:?}");
            assert!(among_all(&ledger, arg).is_none(), "{arg:?}");
        }
    }

    #[test]
    fn a_slug_two_promises_share_is_left_to_the_search_among_all() {
        // The second "walk" is shown as "walk-3" ("walk-2" is taken): which
        // promise a slug names depends on the others.
        let (_dir, ledger) = ledger_with(&["walk", "walk-2", "gym", "walk"]);
        for arg in ["walk", "walk-3", "gym", "1"] {
            assert!(ledger.named(arg).unwrap().is_none(), "{arg:?}");
            assert!(among_all(&ledger, arg).is_some(), "{arg:?}");
        }
        let shown: Vec<String> = ledger.agreements().unwrap().into_iter().map(|a| a.slug).collect();
        assert!(shown.contains(&"walk-3".to_string()), "{shown:?}");
    }
}
