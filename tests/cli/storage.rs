//! Storage (docs/design.md §7): private files, default path, read-only commands
//! create nothing, refusals of newer, foreign and unsafe ledgers.

use crate::support::{TestEnv, dump};
use assert_cmd::prelude::*;
use std::os::unix::fs::PermissionsExt;

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn ledger_and_its_new_folder_are_private() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    assert_eq!(mode(&env.db), 0o600);
    assert_eq!(mode(env.db.parent().unwrap()), 0o700);
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00"]);
    for suffix in ["-wal", "-shm"] {
        let p = env.db.with_file_name(format!("troth.db{suffix}"));
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{suffix}");
        }
    }
}

#[test]
fn an_existing_folder_keeps_its_mode() {
    let env = TestEnv::berlin();
    let folder = env.db.parent().unwrap();
    std::fs::create_dir_all(folder).unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    env.ok(&["init"]);
    assert_eq!(mode(folder), 0o755);
    assert_eq!(mode(&env.db), 0o600);
}

#[test]
fn default_path_is_under_xdg_data_home() {
    let env = TestEnv::berlin();
    let out = env.command().env_remove("TROTH_DB").args(["init", "--me", "Alex"]).output().unwrap();
    assert!(out.status.success());
    let expected = env.path("data/troth/troth.db");
    assert!(expected.exists(), "ledger at {}", expected.display());
    assert_eq!(mode(expected.parent().unwrap()), 0o700);
    // --db overrides, before or after the subcommand.
    let other = env.path("other.db");
    env.command().args(["--db", other.to_str().unwrap(), "init"]).assert().success();
    env.command().args(["init", "--db", other.to_str().unwrap(), "--me", "Sam"]).assert().success();
    assert!(other.exists());
}

#[test]
fn read_only_commands_create_nothing() {
    let env = TestEnv::berlin();
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["log"],
        vec!["report"],
        vec!["report", "--format", "json"],
        vec!["trend"],
        vec!["overpromising"],
        vec!["due"],
        vec!["config"],
    ] {
        env.ok(&args);
        assert!(!env.db.exists(), "{args:?} created the ledger");
        assert!(!env.db.parent().unwrap().exists(), "{args:?} created the folder");
    }
    assert_eq!(env.json(&["list"]), serde_json::json!([]));
}

#[test]
fn a_newer_ledger_is_refused_untouched() {
    let env = TestEnv::berlin();
    env.ok(&["init"]);
    {
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let bytes = std::fs::read(&env.db).unwrap();
    let err = env.fails(1, &["list"]);
    assert!(err.contains("newer troth"), "{err}");
    env.fails(1, &["promise", "x"]);
    assert_eq!(bytes, std::fs::read(&env.db).unwrap());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let env = TestEnv::berlin();
    crate::support::private_dir(env.db.parent().unwrap());
    std::fs::write(&env.db, b"these are my private notes, not a database at all, and long enough to have a header....")
        .unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let before = std::fs::read(&env.db).unwrap();
    let err = env.fails(1, &["list"]);
    assert!(err.contains("not a troth ledger"), "{err}");
    env.fails(1, &["promise", "x"]);
    assert_eq!(before, std::fs::read(&env.db).unwrap());
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let env = TestEnv::berlin();
    crate::support::private_dir(env.db.parent().unwrap());
    {
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');").unwrap();
    }
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let before = dump(&env.db);
    let err = env.fails(1, &["promise", "x"]);
    assert!(err.contains("not a troth ledger"), "{err}");
    assert_eq!(before, dump(&env.db));
}

#[test]
fn a_ledger_others_can_write_is_refused_with_the_fix() {
    let env = TestEnv::berlin();
    env.ok(&["init"]);
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o666)).unwrap();
    let err = env.fails(1, &["list"]);
    assert!(err.contains("chmod 600"), "{err}");
    assert_eq!(mode(&env.db), 0o666, "troth never changes a mode it did not set");
}

#[test]
fn journal_is_wal_and_schema_is_versioned() {
    let env = TestEnv::berlin();
    env.ok(&["init"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert!(v >= 1);
    let strict: i64 = c.query_row("SELECT count(*) FROM pragma_table_list WHERE strict = 1", [], |r| r.get(0)).unwrap();
    assert!(strict >= 7, "tables are STRICT");
}

#[test]
fn the_home_zone_is_recorded_at_creation() {
    let env = TestEnv::new("America/New_York", "2026-11-23T18:00:00-05:00");
    env.ok(&["init"]);
    assert_eq!(env.ok(&["config", "zone"]).trim(), "America/New_York");
    // A later TZ does not change it.
    let out = env.command().env("TZ", "Asia/Tokyo").args(["config", "zone"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "America/New_York");
}

#[test]
fn a_posix_tz_is_refused_with_a_hint() {
    let env = TestEnv::new("CET-1CEST,M3.5.0,M10.5.0/3", "2026-11-23T18:00:00+01:00");
    let err = env.fails(2, &["init"]);
    assert!(err.contains("IANA"), "{err}");
    assert!(!env.db.exists());
}

#[test]
fn the_ledger_is_append_only() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    env.ok(&["kept", "date-night", "--at", "2026-11-20 19:30"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    assert!(c.execute("UPDATE entries SET outcome = 'broken'", []).is_err());
    assert!(c.execute("DELETE FROM entries", []).is_err());
}

#[test]
fn a_broken_pipe_is_not_an_error() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-01-01"]);
    for d in 1..=40 {
        let at = format!("2026-{:02}-{:02} 20:00", 1 + d / 28, 1 + d % 28);
        env.ok(&["kept", "date-night", "--at", &at]);
    }
    // Tables, JSON and CSV alike (`troth log | head -1`).
    for args in [vec!["log"], vec!["log", "--json"], vec!["export", "--format", "csv"], vec!["report", "--json"]] {
        let mut child = env
            .command()
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
