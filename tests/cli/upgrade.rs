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

/// Rows of every table as text, without the schema.
fn rows(db: &std::path::Path) -> String {
    dump(db)
}

/// The rows of `old`'s tables read from `new` through `old`'s columns only:
/// an upgrade may add tables and columns, never lose or change a value.
fn old_columns_in(old: &std::path::Path, new: &std::path::Path) -> String {
    let o = rusqlite::Connection::open(old).unwrap();
    let n = rusqlite::Connection::open(new).unwrap();
    let tables: Vec<String> = o
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let cols: Vec<String> = o
            .prepare(&format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.push_str(&format!("== {t}\n"));
        let mut stmt = n.prepare(&format!("SELECT {} FROM \"{t}\" ORDER BY 1", cols.join(", "))).unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..cols.len())
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
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
        crate::support::private_dir(env.db.parent().unwrap());
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
        let backup = env.db.with_file_name(format!("troth.db.bak-v{v}"));
        assert_eq!(before, old_columns_in(&backup, &env.db), "every row intact");
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

/// Version 3 gives the ledger and this device an identity; every fact made
/// before it belongs to this device, and the same entry may now hold two
/// voids (one from each device).
#[test]
fn an_upgraded_ledger_knows_its_device_and_owns_its_facts() {
    let env = TestEnv::berlin();
    crate::support::private_dir(env.db.parent().unwrap());
    let sql = std::fs::read_to_string(std::path::Path::new(FIXTURES).join("v2.sql")).unwrap();
    rusqlite::Connection::open(&env.db).unwrap().execute_batch(&sql).unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.ok(&["list"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let (ledger, device): (String, String) =
        c.query_row("SELECT ledger, device FROM identity", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(uuid::Uuid::parse_str(&ledger).unwrap().get_version_num(), 4);
    assert_eq!(uuid::Uuid::parse_str(&device).unwrap().get_version_num(), 4);
    assert_ne!(ledger, device);
    for t in ["settings", "agreements", "terms_versions", "status_changes", "entries", "voids"] {
        let (all, mine): (i64, i64) = c
            .query_row(&format!("SELECT count(*), count(*) FILTER (WHERE device = ?1) FROM {t}"), [&device], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert!(all > 0, "{t} has rows in the fixture");
        assert_eq!(all, mine, "every fact in {t} belongs to this device");
    }
    // A new fact is stamped with this device too.
    env.ok(&["kept", "call", "--at", "now"]);
    let stamped: String = c.query_row("SELECT device FROM entries ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(stamped, device);
    // Still append-only, and a second void of one entry is storable.
    assert!(c.execute("UPDATE entries SET note = 'x' WHERE id = 1", []).is_err());
    assert!(c.execute("DELETE FROM voids", []).is_err());
    assert!(c.execute("UPDATE identity SET ledger = device", []).is_err());
    let other = uuid::Uuid::new_v4().to_string();
    c.execute(
        "INSERT INTO voids (uuid, entry_id, reason, voided_at, device) VALUES (?1, 3, 'also', 1795453300, ?2)",
        [uuid::Uuid::new_v4().to_string(), other.clone()],
    )
    .unwrap();
    let voids: i64 = c.query_row("SELECT count(*) FROM voids WHERE entry_id = 3", [], |r| r.get(0)).unwrap();
    assert_eq!(voids, 2);
    // A fact without a device is refused, not silently given one.
    assert!(
        c.execute(
            "INSERT INTO entries (uuid, agreement_id, outcome, at, logged_by, logged_at) VALUES (?1, 1, 'kept', 1, 'x', 1)",
            [uuid::Uuid::new_v4().to_string()],
        )
        .is_err()
    );
    // The device never changes; the ledger uuid can be adopted (sync join).
    assert!(c.execute("INSERT INTO identity (ledger, device, since) VALUES (?1, ?1, 1)", [&other]).is_err());
}
