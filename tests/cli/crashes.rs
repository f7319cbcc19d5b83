//! SIGKILL while a ledger is created, backed up and upgraded: the whole file
//! or none, a backup that is whole or absent, and nothing lost. And a mixed
//! concurrent workload — writers, imports, exports, voids, amends, reminders
//! — that ends with exact totals.

use crate::support::TestEnv;
use std::process::Stdio;
use std::time::{Duration, Instant};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
}

fn next(x: &mut u64, n: u64) -> u64 {
    *x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (*x >> 33) % n.max(1)
}

fn query(path: &std::path::Path, sql: &str) -> String {
    let c = rusqlite::Connection::open(path).unwrap();
    c.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0)).map(|v| format!("{v:?}")).unwrap()
}

/// Run `args`, SIGKILL it after `ms`.
fn killed(env: &TestEnv, args: &[&str], ms: u64) {
    let mut child = env.command().args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(ms));
    let _ = child.kill();
    let _ = child.wait();
}

fn timed(env: &TestEnv, args: &[&str]) -> u64 {
    let t = Instant::now();
    env.ok(args);
    t.elapsed().as_millis() as u64
}

#[test]
fn sigkill_while_a_ledger_is_created_leaves_all_or_nothing() {
    let probe = TestEnv::berlin();
    let full = timed(&probe, &["promise", "Walk together", "--slug", "walk"]);
    let mut x = seed();
    let (mut none, mut whole) = (0, 0);
    for _ in 0..16 {
        let env = TestEnv::new("Asia/Tokyo", "2026-11-23T18:00:00+09:00");
        killed(&env, &["promise", "Walk together", "--slug", "walk"], next(&mut x, full + 5));
        if !env.db.exists() {
            none += 1;
            continue;
        }
        whole += 1;
        assert_eq!(query(&env.db, "PRAGMA integrity_check"), "Text(\"ok\")");
        // Created whole: its home zone and its promise came with it.
        assert_eq!(query(&env.db, "SELECT value FROM settings WHERE key = 'zone'"), "Text(\"Asia/Tokyo\")");
        assert_eq!(query(&env.db, "SELECT count(*) FROM agreements"), "Integer(1)");
    }
    eprintln!("creation killed 16 times: {none} left nothing, {whole} a whole ledger");
}

fn v1(env: &TestEnv) {
    crate::support::private_dir(env.db.parent().unwrap());
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch(&std::fs::read_to_string(format!("{FIXTURES}/v1.sql")).unwrap()).unwrap();
    drop(c);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn sigkill_during_backup_and_upgrade_loses_nothing() {
    let reference = TestEnv::berlin();
    v1(&reference);
    let fixture_rows = query(&reference.db, "SELECT count(*) FROM entries");
    let full = timed(&reference, &["list", "--all", "--json"]);
    let expected = reference.ok(&["list", "--all", "--json"]);
    let mut x = seed();
    for _ in 0..16 {
        let env = TestEnv::berlin();
        v1(&env);
        killed(&env, &["list", "--all", "--json"], next(&mut x, full + 5));
        let mut bak = env.db.as_os_str().to_owned();
        bak.push(".bak-v1");
        let bak = std::path::PathBuf::from(bak);
        if bak.exists() {
            // A backup is whole or absent: never a partial file under its name.
            assert_eq!(query(&bak, "PRAGMA integrity_check"), "Text(\"ok\")");
            assert_eq!(query(&bak, "PRAGMA user_version"), "Integer(1)");
            assert_eq!(query(&bak, "SELECT count(*) FROM entries"), fixture_rows);
        }
        // The ledger is at v1 or fully upgraded, and the next run finishes it.
        assert_eq!(query(&env.db, "PRAGMA integrity_check"), "Text(\"ok\")");
        assert_eq!(env.ok(&["list", "--all", "--json"]), expected);
        assert_eq!(query(&env.db, "SELECT count(*) FROM entries"), fixture_rows);
    }
}

#[test]
fn a_partial_backup_is_never_trusted() {
    let env = TestEnv::berlin();
    v1(&env);
    let mut bak = env.db.as_os_str().to_owned();
    bak.push(".bak-v1");
    let bak = std::path::PathBuf::from(bak);
    std::fs::write(&bak, b"SQLite format 3\0 cut short").unwrap();
    env.ok(&["list"]);
    assert_eq!(query(&bak, "PRAGMA integrity_check"), "Text(\"ok\")");
    assert_eq!(query(&bak, "PRAGMA user_version"), "Integer(1)");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&bak).unwrap().permissions().mode() & 0o777, 0o600);
}

/// Writers, imports, exports, voids, amends and reminders at once; then the
/// totals are exactly what was done.
#[test]
fn a_mixed_concurrent_workload_ends_with_exact_totals() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
    env.ok(&["promise", "Weekends", "--terms", "2/month", "--slug", "weekends", "--starts", "2026-01-01", "--anyway"]);
    // An import file from another ledger: 1 promise and 30 entries.
    let other = TestEnv::berlin();
    other.ok(&["promise", "Read together", "--slug", "read", "--starts", "2026-01-01"]);
    for d in 1..=30 {
        other.ok(&["kept", "read", "--at", &format!("2026-10-{d:02} 21:00")]);
    }
    let file = other.path("other.json");
    other.ok(&["export", "-o", file.to_str().unwrap()]);
    let file = file.to_str().unwrap().to_string();
    // Entries to void, made first.
    let to_void: Vec<String> = (1..=10)
        .map(|d| env.json(&["broke", "walk", "--at", &format!("2026-09-{d:02} 10:00")])["id"].to_string())
        .collect();
    let jobs: Vec<Vec<String>> = {
        let mut j: Vec<Vec<String>> = Vec::new();
        for w in 0..4 {
            for i in 0..20 {
                j.push(vec![
                    "kept".into(),
                    "walk".into(),
                    "--at".into(),
                    format!("2026-0{}-{:02} 10:00", 1 + w, 1 + i),
                ]);
            }
        }
        for id in &to_void {
            j.push(vec!["void".into(), id.clone(), "--reason".into(), "test".into()]);
        }
        for _ in 0..5 {
            j.push(vec!["import".into(), file.clone()]);
        }
        for _ in 0..5 {
            j.push(vec!["export".into()]);
            j.push(vec!["report".into(), "--format".into(), "json".into()]);
        }
        j.push(vec!["amend".into(), "weekends".into(), "--terms".into(), "1/month".into(), "--anyway".into()]);
        for _ in 0..3 {
            j.push(vec!["remind".into(), "--dry-run".into()]);
        }
        j
    };
    let mut x = seed();
    let mut jobs = jobs;
    for i in (1..jobs.len()).rev() {
        jobs.swap(i, next(&mut x, i as u64 + 1) as usize);
    }
    let chunks: Vec<Vec<Vec<String>>> = (0..6).map(|k| jobs.iter().skip(k).step_by(6).cloned().collect()).collect();
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let cmd = env.command();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for args in chunk {
                    let mut c = std::process::Command::new(cmd.get_program());
                    c.env_clear().envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
                    let out = c.args(&args).stdout(Stdio::null()).stderr(Stdio::piped()).output().unwrap();
                    if !out.status.success() {
                        failures.push(format!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(query(&env.db, "PRAGMA integrity_check"), "Text(\"ok\")");
    assert_eq!(query(&env.db, "SELECT count(*) FROM agreements"), "Integer(3)");
    // 10 broken + 80 kept here, 30 imported once however many imports ran.
    assert_eq!(query(&env.db, "SELECT count(*) FROM entries"), "Integer(120)");
    assert_eq!(query(&env.db, "SELECT count(DISTINCT entry_id) FROM voids WHERE entry_id IS NOT NULL"), "Integer(10)");
    assert_eq!(query(&env.db, "SELECT count(*) FROM terms_versions"), "Integer(4)");
    let log = env.json(&["log", "walk"]);
    assert_eq!(log.as_array().unwrap().len(), 80, "the voided entries are gone from log");
}
