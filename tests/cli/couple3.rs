//! Two devices as a couple uses them, third pass: what `kept` costs the disk
//! with a sync folder, and what a crash between the folder file and the
//! ledger's commit leaves behind (docs/design.md §9).

use crate::support::TestEnv;
use crate::sync::{Pair, pair_with, without_ids};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// fsync and fdatasync calls of one troth run, counted by strace (CI
/// installs it; it is Debian's `strace`).
fn syncs(env: &TestEnv, args: &[&str]) -> usize {
    let log = env.path("strace.log");
    let mut c = Command::new("strace");
    c.args(["-f", "-qq", "-e", "trace=fsync,fdatasync", "-o"]).arg(&log);
    let troth = env.command();
    c.arg(troth.get_program()).args(args).env_clear();
    for (k, v) in troth.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    let out = c.output().expect("strace runs (apt-get install strace)");
    assert!(out.status.success(), "troth {args:?} under strace: {}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&log).unwrap();
    text.lines().filter(|l| l.contains("fsync(") || l.contains("fdatasync(")).count()
}

/// `kept` on a synced ledger writes its entry, the folder file and the marks
/// saying the file is out in one transaction: it costs the disk the file's
/// two syncs (the file, then its folder) more than `kept` without a folder —
/// not a second ledger transaction besides.
#[test]
fn kept_with_a_sync_folder_costs_two_syncs_more_than_without() {
    let plain = TestEnv::berlin();
    plain.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    plain.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--slug", "date-night"]);
    plain.ok(&["kept", "date-night"]);
    let p = pair_with(None);
    p.alex.ok(&["kept", "date-night"]);
    // Steady state: the second `kept` of each, the folder already read.
    let without = syncs(&plain, &["kept", "date-night", "--note", "again"]);
    let with = syncs(&p.alex, &["kept", "date-night", "--note", "again"]);
    assert!(without >= 1, "kept without a folder syncs its commit: {without}");
    assert_eq!(with, without + 2, "kept with a folder: {with} syncs, without: {without}");
    // And it went out: Sam has both.
    assert_eq!(p.sam.json(&["log", "date-night"]).as_array().unwrap().len(), 2);
    p.alex.ok(&["verify"]);
}

fn copy_ledger(from: &std::path::Path, to: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let (f, t) = (format!("{}{suffix}", from.display()), format!("{}{suffix}", to.display()));
        let _ = std::fs::remove_file(&t);
        if std::path::Path::new(&f).exists() {
            std::fs::copy(&f, &t).unwrap();
        }
    }
}

/// The entries of both devices, without local ids, for comparing.
fn both_logs(p: &Pair) -> (Value, Value) {
    (without_ids(&p.alex.json(&["log", "--all"])), without_ids(&p.sam.json(&["log", "--all"])))
}

/// The file reached the folder but the ledger's commit did not happen (the
/// power went): the next command finds the entry in the folder and takes it
/// back, the partner counts it once, the chain goes on, and both devices
/// print the same.
#[test]
fn a_crash_after_the_file_and_before_the_commit_loses_nothing_and_counts_once() {
    let p = pair_with(None);
    let before = p.alex.path("before.db");
    copy_ledger(&p.alex.db, &before);
    let kept = p.alex.json(&["kept", "date-night", "--note", "pasta"]);
    // The ledger as it was before the commit; the folder as it is after the file.
    copy_ledger(&before, &p.alex.db);
    let log = p.alex.json(&["log"]);
    assert_eq!(log.as_array().unwrap().len(), 1, "the entry comes back from the folder: {log}");
    assert_eq!(log[0]["uuid"], kept["uuid"]);
    p.alex.ok(&["kept", "date-night", "--note", "after"]);
    let (alex, sam) = both_logs(&p);
    assert_eq!(alex, sam);
    assert_eq!(sam.as_array().unwrap().len(), 2, "{sam}");
    assert_eq!(p.sam.json(&["sync"])["refused"], Value::Array(vec![]));
    p.alex.ok(&["verify"]);
    p.sam.ok(&["verify"]);
    assert_eq!(without_ids(&p.alex.json(&["show", "date-night"])), without_ids(&p.sam.json(&["show", "date-night"])));
}

fn seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
}

/// SIGKILL a synced `kept` at any moment, again and again: every entry is
/// on both devices or on neither, never twice, and every chain is intact.
#[test]
fn sigkill_of_a_synced_kept_at_any_moment_leaves_both_devices_equal() {
    let p = pair_with(None);
    let t = Instant::now();
    p.alex.ok(&["kept", "date-night"]);
    let full = t.elapsed().as_millis() as u64 + 5;
    let mut x = seed();
    eprintln!("seed {x}");
    let mut entries = 1;
    for i in 0..12 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let ms = (x >> 33) % full;
        let note = format!("try {i}");
        let mut child = p
            .alex
            .command()
            .args(["kept", "date-night", "--note", &note])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
        let _ = child.wait();
        let log = p.alex.json(&["log", "--all"]);
        let n = log.as_array().unwrap().len();
        assert!(n == entries || n == entries + 1, "after kill {i} at {ms} ms: {n} entries, had {entries}");
        entries = n;
        let sync = p.sam.json(&["sync"]);
        assert_eq!(sync["refused"], Value::Array(vec![]), "{sync}");
        let (alex, sam) = both_logs(&p);
        assert_eq!(alex, sam, "after kill {i} at {ms} ms");
    }
    p.alex.ok(&["verify"]);
    p.sam.ok(&["verify"]);
}

/// `sync setup` makes the folder it is given, not a trail of missing ones
/// above it: `~/Synk/troth` (a typo) or a sync tool's folder that is not
/// there yet would make a folder no sync tool shares, and nothing would ever
/// reach the partner.
#[test]
fn setup_under_a_folder_that_does_not_exist_is_refused_and_makes_nothing() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let missing = env.path("Synk");
    let err = env.fails(2, &["sync", "setup", missing.join("deep").join("troth").to_str().unwrap()]);
    assert!(err.contains("there is no folder") && err.contains("Synk/deep"), "{err}");
    assert!(!missing.exists(), "nothing was made");
    assert_eq!(env.json(&["sync", "status"])["folder"], Value::Null);
    // The folder itself may be new.
    std::fs::create_dir(&missing).unwrap();
    env.ok(&["sync", "setup", missing.join("troth").to_str().unwrap()]);
    assert!(missing.join("troth").is_dir());
}

/// `sync join` on a new ledger that does not say who uses it (DESIGN §9: a
/// new ledger may join): the join says so and how, naming the person the
/// folder's other device is not — else everything logged here reads
/// "logged by me" on both screens and nothing waits in `inbox`. Once named,
/// nothing more is said.
#[test]
fn a_join_that_does_not_know_who_uses_this_computer_says_how_to_tell_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let alex = TestEnv::berlin();
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    alex.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--slug", "date-night"]);
    let code = alex.json(&["sync", "setup", folder.to_str().unwrap()])["code"].as_str().unwrap().to_string();
    let mut sam = TestEnv::berlin();
    sam.extra.push(("TROTH_SYNC_CODE".into(), code.clone()));
    let out = sam.ok(&["sync", "join", folder.to_str().unwrap()]);
    assert!(out.contains("troth init --me Sam --partner Alex"), "{out}");
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    assert_eq!(sam.json(&["inbox"])["to_confirm"], Value::Array(vec![]));
    // Named as neither of the two: said too.
    let join_as = |me: &str| {
        let mut env = TestEnv::berlin();
        env.extra.push(("TROTH_SYNC_CODE".into(), code.clone()));
        env.ok(&["init", "--me", me, "--partner", "Alex"]);
        env.ok(&["sync", "join", folder.to_str().unwrap()])
    };
    let out = join_as("Samantha");
    assert!(out.contains("You are Samantha here") && out.contains("troth init --me Sam --partner Alex"), "{out}");
    // The usual way: named first, nothing more.
    let out = join_as("Sam");
    assert!(out.starts_with("Joined") && out.lines().count() == 1, "{out}");
}

/// The names of the folder's troth files.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".troth"))
        .collect();
    v.sort();
    v
}

/// One of Alex's files goes from the folder before Sam's device read it —
/// removed by hand, or replaced by other bytes. Sam's device waits for it,
/// and for every later file of Alex's, for good. Alex's next `troth sync`
/// sends everything Alex's device made again, after the last of its files
/// still there: Sam counts each entry once, both print the same, and
/// `verify` still names what went (docs/design.md §9: nothing quietly taken
/// back, nothing lost).
#[test]
fn a_file_gone_from_the_folder_is_sent_again_and_the_partner_catches_up() {
    for replaced in [false, true] {
        let p = pair_with(None);
        let before = names(&p.folder);
        p.alex.ok(&["kept", "date-night", "--note", "one"]);
        let gone: Vec<String> = names(&p.folder).into_iter().filter(|n| !before.contains(n)).collect();
        assert_eq!(gone.len(), 1);
        p.alex.ok(&["kept", "date-night", "--note", "two"]);
        let path = p.folder.join(&gone[0]);
        if replaced {
            let mut bytes = std::fs::read(&path).unwrap();
            let mid = bytes.len() / 2;
            bytes[mid] ^= 1;
            std::fs::write(&path, bytes).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 0, "Sam waits for the file that went");
        // (Replaced, the file no longer opens: Alex's sync names it, exit 1.)
        let sync = |env: &TestEnv| -> Value { serde_json::from_str(&env.run(&["sync", "--json"]).stdout).unwrap() };
        let first = sync(&p.alex);
        assert_eq!(first["resent"]["file"], 2, "{first}");
        assert_eq!(sync(&p.alex)["resent"], Value::Null, "sent again once");
        let sam = sync(&p.sam);
        let (alex, sam_log) = both_logs(&p);
        assert_eq!(alex, sam_log, "{sam}");
        assert_eq!(sam_log.as_array().unwrap().len(), 2);
        // The chain goes on from the new branch.
        p.alex.ok(&["kept", "date-night", "--note", "three"]);
        let (alex, sam_log) = both_logs(&p);
        assert_eq!(alex, sam_log);
        assert_eq!(sam_log.as_array().unwrap().len(), 3);
        // What went is still named.
        assert_eq!(p.alex.run(&["verify"]).code, 1);
        assert_eq!(p.sam.run(&["verify"]).code, 1);
    }
}

/// §8 on a synced ledger: a refused command leaves the ledger as it was even
/// when the partner's new file was waiting in the folder — what it would
/// have applied is applied by the next command instead — and the refusal
/// may name what that file brought.
#[test]
fn a_refused_command_with_the_partners_file_waiting_leaves_the_ledger_as_it_was() {
    let p = pair_with(None);
    let kept = p.alex.json(&["kept", "date-night", "--note", "pasta"]);
    // Sam's device has not read Alex's file yet.
    p.sam.fails(2, &["confirm", "99"]);
    p.sam.fails(2, &["kept", "date-nite"]);
    p.sam.fails(2, &["dispute", "1", "--note", ""]);
    // Entry 1 on Sam's device is the one Alex just logged.
    let log = p.sam.json(&["log"]);
    assert_eq!(log[0]["uuid"], kept["uuid"], "{log}");
    p.sam.ok(&["confirm", "1"]);
}

/// A hostile folder: a file far larger than any troth file (here sparse,
/// 300 MB) is named as unreadable without being read into memory; the rest
/// applies, and `verify` names it too.
#[test]
fn a_huge_file_in_the_folder_is_named_not_read() {
    let p = pair_with(None);
    let huge = std::fs::File::create(p.folder.join("0123456789abcdef0123456789abcdef.troth")).unwrap();
    huge.set_len(300 * 1024 * 1024).unwrap();
    drop(huge);
    p.alex.ok(&["kept", "date-night", "--note", "pasta"]);
    let r = p.sam.run(&["sync", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let why = v["refused"][0]["why"].as_str().unwrap_or_default().to_string();
    assert!(why.contains("larger than any troth file"), "{v}");
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 1);
    let r = p.sam.run(&["verify"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("larger than any troth file"), "{}", r.stdout);
}

/// Alex's clock ran three hours ahead, then was put right. Sam's device
/// waits for what Alex wrote "in the future", then — by the rule — refuses
/// the files Alex wrote after the clock was put right, with every later one.
/// Once Alex's clock has passed the time of that last good file, Alex's
/// `troth sync` sends everything again after it, and Sam's device catches
/// up: nothing is lost, nothing counted twice.
#[test]
fn a_clock_that_ran_ahead_and_was_put_right_loses_nothing_once_it_catches_up() {
    let mut p = pair_with(None);
    p.alex.set_now("2026-11-23T21:00:00+01:00");
    p.alex.ok(&["kept", "date-night", "--note", "ahead"]);
    p.alex.set_now("2026-11-23T18:05:00+01:00");
    let r = p.alex.run(&["kept", "date-night", "--note", "put right"]);
    assert!(r.stderr.contains("sends it all again"), "{}", r.stderr);
    p.sam.set_now("2026-11-23T18:06:00+01:00");
    let v: Value = serde_json::from_str(&p.sam.run(&["sync", "--json"]).stdout).unwrap();
    assert_eq!(v["waiting"].as_array().unwrap().len(), 2, "{v}");
    // Too early for Alex to send again: the new file would be refused too.
    let early: Value = serde_json::from_str(&p.alex.run(&["sync", "--json"]).stdout).unwrap();
    assert_eq!(early["resent"], Value::Null, "{early}");
    // Three hours on.
    p.sam.set_now("2026-11-23T21:01:00+01:00");
    let r = p.sam.run(&["sync", "--json"]);
    assert_eq!(r.code, 1, "the file written after the clock was put right is refused: {}", r.stdout);
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 1);
    p.alex.set_now("2026-11-23T21:02:00+01:00");
    let v: Value = serde_json::from_str(&p.alex.run(&["sync", "--json"]).stdout).unwrap();
    assert!(v["resent"]["facts"].as_u64().unwrap() >= 2, "{v}");
    p.sam.set_now("2026-11-23T21:03:00+01:00");
    p.sam.run(&["sync"]);
    let (alex, sam) = both_logs(&p);
    assert_eq!(alex, sam);
    assert_eq!(sam.as_array().unwrap().len(), 2, "{sam}");
    // The chain goes on.
    p.alex.set_now("2026-11-23T21:04:00+01:00");
    p.alex.ok(&["kept", "date-night", "--note", "later"]);
    p.sam.set_now("2026-11-23T21:05:00+01:00");
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 3);
}
