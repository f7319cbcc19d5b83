//! Upgrades: every older schema version has a fixture (SQL text made by the
//! old migrations) that upgrades to the current one with every row intact,
//! after a private backup beside it.

use crate::support::{TestEnv, dump};
use std::os::unix::fs::PermissionsExt;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn latest_version() -> i64 {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".sql"))
        .count() as i64
}

/// Rows of every table as text, without the schema; tables a later
/// migration added (still empty) are left out, so old and new compare.
fn rows(db: &std::path::Path) -> String {
    let text = dump(db);
    let mut out = String::new();
    for p in text.split("== ").filter(|p| !p.is_empty()) {
        if p.trim_end().contains('\n') {
            out.push_str("== ");
            out.push_str(p);
        }
    }
    out
}

#[test]
fn there_is_one_fixture_per_older_version() {
    for v in 1..latest_version() {
        let p = std::path::Path::new(FIXTURES).join(format!("v{v}.sql"));
        assert!(p.exists(), "missing fixture for schema version {v}: {}", p.display());
    }
}

#[test]
fn every_older_ledger_upgrades_with_nothing_lost() {
    for v in 1..latest_version() {
        let env = TestEnv::berlin();
        std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        let sql = std::fs::read_to_string(std::path::Path::new(FIXTURES).join(format!("v{v}.sql"))).unwrap();
        {
            let c = rusqlite::Connection::open(&env.db).unwrap();
            c.execute_batch(&sql).unwrap();
            let got: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
            assert_eq!(got, v);
        }
        std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
        let before = rows(&env.db);
        let list_before_upgrade = env.json(&["list", "--all"]);
        let c = rusqlite::Connection::open(&env.db).unwrap();
        let now: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(now, latest_version(), "upgraded in place");
        assert_eq!(before, rows(&env.db), "every row intact");
        let backup = env.db.with_file_name(format!("troth.db.bak-v{v}"));
        assert!(backup.exists(), "backup {} written", backup.display());
        assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(before, rows(&backup), "the backup holds the old ledger");
        let bv: i64 = rusqlite::Connection::open(&backup)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(bv, v);
        // It still reads and writes.
        assert_eq!(list_before_upgrade.as_array().unwrap().len(), 4);
        env.ok(&["kept", "call", "--at", "now"]);
        assert_eq!(env.json(&["log"]).as_array().unwrap().len(), 4);
    }
}
