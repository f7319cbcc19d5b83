//! The migration runner: numbered SQL files in migrations/, embedded at build
//! time, applied in order, each in its own IMMEDIATE transaction, tracked by
//! `PRAGMA user_version`. Files are never edited once released; new ones are
//! added (a test checks every file in migrations/ is listed here).

use super::APPLICATION_ID;
use crate::error::Result;
use rusqlite::{Connection, TransactionBehavior};

pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init.sql", include_str!("../../migrations/0001_init.sql")),
    ("0002_indexes.sql", include_str!("../../migrations/0002_indexes.sql")),
    ("0003_identity.sql", include_str!("../../migrations/0003_identity.sql")),
    ("0004_voice.sql", include_str!("../../migrations/0004_voice.sql")),
    ("0005_sync.sql", include_str!("../../migrations/0005_sync.sql")),
    ("0006_promise_facts.sql", include_str!("../../migrations/0006_promise_facts.sql")),
    ("0007_status_notes.sql", include_str!("../../migrations/0007_status_notes.sql")),
];

pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn run(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read inside the lock: another process may have migrated meanwhile.
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let Some((_, sql)) = MIGRATIONS.get(version as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        if version == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_migrations_is_embedded_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(n, _)| *n).collect();
        assert_eq!(files, listed);
        for (i, name) in listed.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name} is numbered {}", i + 1);
        }
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn).unwrap();
        run(&mut conn).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, LATEST_VERSION);
    }
}
