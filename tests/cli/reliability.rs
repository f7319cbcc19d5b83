//! Reliability: concurrent writers, crashes, read-only and full disks.

use crate::support::{TestEnv, dump};
use assert_cmd::prelude::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn count(env: &TestEnv, table: &str) -> i64 {
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

fn integrity(env: &TestEnv) -> String {
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

/// A small, seedable generator for kill times (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
}

#[test]
fn eight_writers_two_hundred_entries_each_lose_nothing() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--terms", "standing", "--slug", "walk", "--starts", "2026-01-01"]);
    let threads: Vec<_> = (0..8)
        .map(|w| {
            let cmd = env.command();
            std::thread::spawn(move || {
                let mut failed = 0;
                for i in 0..200 {
                    let mut c = Command::new(cmd.get_program());
                    c.envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
                    c.env_clear();
                    c.envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
                    let at = format!("2026-0{}-{:02} 10:00", 1 + w % 8, 1 + i % 28);
                    let st = c.args(["kept", "walk", "--at", &at]).stdout(Stdio::null()).status().unwrap();
                    if !st.success() {
                        failed += 1;
                    }
                }
                failed
            })
        })
        .collect();
    let failed: i32 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(failed, 0, "no command failed");
    assert_eq!(count(&env, "entries"), 1600, "exactly 1,600 entries");
    assert_eq!(integrity(&env), "ok");
}

#[test]
fn sigkill_during_import_leaves_all_or_nothing() {
    let source = TestEnv::berlin();
    let big = source.path("big.db");
    source
        .command()
        .args(["demo", "--db", big.to_str().unwrap(), "--agreements", "20", "--years", "3"])
        .assert()
        .success();
    let file = source.path("big.json");
    let mut export = source.command();
    export.env("TROTH_DB", &big).args(["export", "-o", file.to_str().unwrap()]).assert().success();
    let total: i64 = {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        v["entries"].as_array().unwrap().len() as i64
    };
    assert!(total > 10_000);
    // How long a whole import takes here.
    let probe = TestEnv::berlin();
    probe.ok(&["init"]);
    let t = Instant::now();
    probe.ok(&["import", file.to_str().unwrap()]);
    let full = t.elapsed().as_millis() as u64;
    let mut rng = Lcg(seed());
    let mut outcomes = (0, 0);
    for _ in 0..24 {
        let env = TestEnv::berlin();
        env.ok(&["init"]);
        let mut child = env.command().args(["import", file.to_str().unwrap()]).stdout(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(full + 20)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(integrity(&env), "ok");
        let n = count(&env, "entries");
        assert!(n == 0 || n == total, "all or none of the import, got {n} of {total}");
        if n == 0 {
            outcomes.0 += 1
        } else {
            outcomes.1 += 1
        }
        // And the ledger still works.
        env.ok(&["list"]);
    }
    eprintln!("import killed 24 times: {} left nothing, {} had finished", outcomes.0, outcomes.1);
}

#[test]
fn sigkill_during_kept_loses_no_committed_entry() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
    let mut rng = Lcg(seed());
    let mut succeeded = 0;
    for _ in 0..30 {
        let mut child =
            env.command().args(["kept", "walk", "--at", "2026-11-01"]).stdout(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(20_000)));
        let _ = child.kill();
        if child.wait().unwrap().success() {
            succeeded += 1;
        }
        assert_eq!(integrity(&env), "ok");
        let n = count(&env, "entries");
        assert!(n >= succeeded && n <= succeeded + 30, "committed entries survive: {n} vs {succeeded}");
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// A small tmpfs of our own (root only: mounting needs it; skipped otherwise,
/// and says so — but not under CI, see `support::skip`).
struct Tmpfs(std::path::PathBuf);
impl Tmpfs {
    fn new(dir: &std::path::Path, size: &str) -> Option<Tmpfs> {
        if !is_root() {
            crate::support::skip("mounting a small tmpfs needs root");
            return None;
        }
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(dir)
            .output();
        if !ok.as_ref().is_ok_and(|o| o.status.success()) {
            let said = ok.map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).unwrap_or_else(|e| e.to_string());
            crate::support::skip(&format!("could not mount a tmpfs here: {}", said.trim()));
            return None;
        }
        Some(Tmpfs(dir.to_path_buf()))
    }
    fn remount_ro(&self) {
        assert!(Command::new("mount").args(["-o", "remount,ro"]).arg(&self.0).status().unwrap().success());
    }
}
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_gives_a_clear_error_and_changes_nothing() {
    let mut env = TestEnv::berlin();
    let mnt = env.path("small");
    // Room for a fresh ledger (every table and index has its pages) and its WAL.
    let Some(_fs) = Tmpfs::new(&mnt, "1m") else { return };
    env.db = mnt.join("troth.db");
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
    env.ok(&["kept", "walk", "--at", "2026-11-01"]);
    // Fill the disk.
    let filler = mnt.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 2_000_000]);
    let note = "n".repeat(4000);
    let mut failed = false;
    for _ in 0..60 {
        let before = dump(&env.db);
        let r = env.run(&["kept", "walk", "--at", "2026-11-02", "--note", &note]);
        if r.code != 0 {
            assert_eq!(r.code, 1, "{}", r.stderr);
            assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
            assert!(r.stderr.contains("disk"), "{}", r.stderr);
            assert_eq!(before, dump(&env.db), "the failed write changed nothing");
            failed = true;
            break;
        }
    }
    assert!(failed, "the disk filled up");
    let _ = std::fs::remove_file(&filler);
    assert_eq!(integrity(&env), "ok");
    env.ok(&["kept", "walk", "--at", "2026-11-03"]);
}

#[test]
fn a_read_only_ledger_gives_a_clear_error_and_changes_nothing() {
    let mut env = TestEnv::berlin();
    let mnt = env.path("ro");
    let Some(fs) = Tmpfs::new(&mnt, "2m") else { return };
    env.db = mnt.join("troth.db");
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
    env.ok(&["kept", "walk", "--at", "2026-11-01"]);
    let before = dump(&env.db);
    fs.remount_ro();
    let r = env.run(&["kept", "walk", "--at", "2026-11-02"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert_eq!(r.stderr.lines().filter(|l| l.starts_with("error: ")).count(), 1);
    assert_eq!(before, dump(&env.db));
}
