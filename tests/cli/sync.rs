//! Two partners, two devices (docs/design.md §9): two real ledgers keeping in
//! step through one real folder (and a real git remote), with what sync
//! tools really do to a folder — temporary files, conflict copies, garbage,
//! a wrong key, files removed or replaced.

use crate::support::{TestEnv, git, git_clones};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Alex's and Sam's devices, sharing `folder`.
pub struct Pair {
    pub alex: TestEnv,
    pub sam: TestEnv,
    pub folder: PathBuf,
    pub code: String,
    _dir: tempfile::TempDir,
}

pub fn pair_with(folder_sam: Option<&Path>) -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let alex = TestEnv::berlin();
    let mut sam = TestEnv::berlin();
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    alex.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--slug", "date-night"]);
    let setup = alex.json(&["sync", "setup", folder.to_str().unwrap()]);
    let code = setup["code"].as_str().unwrap().to_string();
    assert_eq!(setup["folder"].as_str().unwrap(), folder.canonicalize().unwrap().to_str().unwrap());
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    sam.extra.push(("TROTH_SYNC_CODE".into(), code.clone()));
    let join_dir = folder_sam.map(Path::to_path_buf).unwrap_or_else(|| folder.clone());
    if folder_sam.is_none() {
        sam.ok(&["sync", "join", join_dir.to_str().unwrap()]);
    }
    Pair { alex, sam, folder, code, _dir: dir }
}

fn pair() -> Pair {
    pair_with(None)
}

fn troth_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "troth"))
        .collect();
    v.sort();
    v
}

/// A list without local ids, for comparing two devices.
pub fn without_ids(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter().filter(|(k, _)| k.as_str() != "id").map(|(k, v)| (k.clone(), without_ids(v))).collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_ids).collect()),
        other => other.clone(),
    }
}

#[test]
fn setup_prints_a_code_and_join_adopts_the_ledger() {
    let p = pair();
    let code = &p.code;
    let groups: Vec<&str> = code.split('-').collect();
    assert!(groups.len() >= 6 && groups.iter().all(|g| g.len() == 4), "{code}");
    let a = p.alex.json(&["sync", "status"]);
    let s = p.sam.json(&["sync", "status"]);
    assert_eq!(a["ledger"], s["ledger"], "the joining device adopts the ledger uuid");
    assert_ne!(a["device"], s["device"]);
    assert_eq!(s["devices"].as_array().unwrap().len(), 2);
    let alex_seen_by_sam = s["devices"].as_array().unwrap().iter().find(|d| d["this"] == false).unwrap();
    assert_eq!(alex_seen_by_sam["person"], "Alex");
    assert_eq!(alex_seen_by_sam["device"], a["device"]);
    assert_eq!(without_ids(&p.alex.json(&["list"])), without_ids(&p.sam.json(&["list"])));
    let v = p.sam.json(&["verify"]);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["devices"], 2);
}

/// A couple starting fresh: `sync setup` on an empty ledger still starts the
/// chain, so `join` finds the ledger, and the first promise made on either
/// side reaches the other.
#[test]
fn a_fresh_ledger_can_be_set_up_and_joined_before_any_promise() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let alex = TestEnv::berlin();
    let mut sam = TestEnv::berlin();
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let setup = alex.json(&["sync", "setup", folder.to_str().unwrap()]);
    assert_eq!(troth_files(&folder).len(), 1, "setup starts this device's chain");
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    sam.extra.push(("TROTH_SYNC_CODE".into(), setup["code"].as_str().unwrap().into()));
    sam.ok(&["sync", "join", folder.to_str().unwrap()]);
    assert_eq!(sam.json(&["sync", "status"])["ledger"], setup["ledger"]);
    sam.ok(&["promise", "Cook on Tuesdays", "--terms", "every tue 19:00", "--slug", "cook"]);
    let list = alex.json(&["list"]);
    assert_eq!((list[0]["slug"].as_str(), list[0]["by"].as_str()), (Some("cook"), Some("Sam")));
    assert_eq!(alex.json(&["verify"])["ok"], true);
}

#[test]
fn what_one_logs_shows_on_the_other_without_running_sync() {
    let mut p = pair();
    p.alex.set_now("2026-11-27T21:00:00+01:00");
    p.sam.set_now("2026-11-27T21:05:00+01:00");
    p.alex.ok(&["kept", "date-night", "--at", "now", "--note", "the little Italian place"]);
    let log = p.sam.json(&["log"]);
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log[0]["note"], "the little Italian place");
    assert_eq!(log[0]["by"], "Alex");
    // And back: Sam's promise reaches Alex.
    p.sam.ok(&["promise", "Call if I'm running late", "--terms", "standing", "--slug", "call"]);
    let list = p.alex.json(&["list"]);
    assert!(list.as_array().unwrap().iter().any(|a| a["slug"] == "call" && a["by"] == "Sam"), "{list}");
    let sync = p.alex.json(&["sync"]);
    assert_eq!(sync["applied"], 0, "already applied automatically: {sync}");
    assert_eq!(sync["published"], 0);
    p.alex.set_now("2026-11-28T10:00:00+01:00");
    p.sam.set_now("2026-11-28T10:00:00+01:00");
    assert_eq!(without_ids(&p.alex.json(&["list"])), without_ids(&p.sam.json(&["list"])));
    assert_eq!(p.alex.json(&["due"]), p.sam.json(&["due"]));
}

#[test]
fn the_partners_voice_travels_too() {
    let mut p = pair();
    p.alex.set_now("2026-11-27T21:00:00+01:00");
    p.sam.set_now("2026-11-27T21:30:00+01:00");
    p.alex.ok(&["kept", "date-night", "--at", "now"]);
    let id = p.sam.json(&["log"])[0]["id"].as_i64().unwrap().to_string();
    p.sam.ok(&["dispute", &id, "--note", "you were on your phone"]);
    p.alex.set_now("2026-11-27T21:40:00+01:00");
    let log = p.alex.json(&["log"]);
    assert_eq!(log[0]["verdict"]["verdict"], "disputed", "{log}");
    assert_eq!(log[0]["verdict"]["by"], "Sam");
    p.sam.set_now("2026-11-27T21:40:00+01:00");
    assert_eq!(without_ids(&p.alex.json(&["log"])), without_ids(&p.sam.json(&["log"])));
}

#[test]
fn a_ledger_with_promises_of_its_own_merges_them_in() {
    let mut p = pair_with(Some(Path::new("/nonexistent")));
    p.sam.ok(&["promise", "Water the plants", "--terms", "2/week", "--slug", "plants"]);
    p.sam.ok(&["sync", "join", p.folder.to_str().unwrap()]);
    let slugs = |e: &TestEnv| -> Vec<String> {
        let mut v: Vec<String> =
            e.json(&["list"]).as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap().to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(slugs(&p.sam), vec!["date-night", "plants"]);
    p.alex.set_now("2026-11-23T18:01:00+01:00");
    assert_eq!(slugs(&p.alex), vec!["date-night", "plants"]);
}

#[test]
fn nothing_in_the_folder_is_readable_and_forgeries_are_refused() {
    let mut p = pair();
    p.alex.ok(&["kept", "date-night", "--at", "now", "--note", "Trattoria Zuccherino"]);
    p.sam.ok(&["config", "trust.gain", "0.07"]);
    p.alex.ok(&["list"]);
    for f in std::fs::read_dir(&p.folder).unwrap() {
        let f = f.unwrap();
        let name = f.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(f.path()).unwrap();
        // The words as troth writes them, byte for byte: long enough that
        // ciphertext does not hold one by chance (three letters in any case,
        // as "sam" was, turn up in a few kilobytes of random bytes one run in
        // fifty).
        for secret in ["Alex", "\"Sam\"", "date-night", "Friday", "Zuccherino", "Trattoria", "2026-11-", "trust.gain"] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{name} reveals {secret}");
        }
        for secret in ["alex", "sam", "date", "friday", "zuccherino", "trattoria", "trust"] {
            assert!(!name.to_lowercase().contains(secret), "the name {name} reveals {secret}");
        }
    }
    // The shared setting reached the other device; a local one did not.
    assert_eq!(p.alex.ok(&["config", "trust.gain"]).trim(), "0.07");
    assert_eq!(p.alex.ok(&["config", "me"]).trim(), "Alex");
    // A file forged without the code, and one altered after it was written.
    std::fs::write(
        p.folder.join("0123456789abcdef0123456789abcdef.troth"),
        b"trsync\x01forged forged forged forged forged",
    )
    .unwrap();
    let first =
        troth_files(&p.folder).into_iter().find(|f| !f.ends_with("0123456789abcdef0123456789abcdef.troth")).unwrap();
    let mut bytes = std::fs::read(&first).unwrap();
    let n = bytes.len();
    bytes[n - 3] ^= 0x55;
    let altered = p.folder.join("fedcba9876543210fedcba9876543210.troth");
    std::fs::write(&altered, &bytes).unwrap();
    // Temporary files of a sync tool are skipped and named, not an error.
    std::fs::write(p.folder.join(".syncthing.abc.troth.tmp"), b"half").unwrap();
    p.sam.set_now("2026-11-23T18:30:00+01:00");
    let r = p.sam.run(&["sync", "--json"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let unreadable: Vec<&str> =
        v["unreadable"].as_array().unwrap().iter().map(|n| n["file"].as_str().unwrap()).collect();
    assert!(unreadable.contains(&"0123456789abcdef0123456789abcdef.troth"), "{v}");
    assert!(unreadable.contains(&"fedcba9876543210fedcba9876543210.troth"), "{v}");
    // `refused` names every file that was not applied (the CLI contract);
    // the sync tool's temporary file is only skipped.
    let refused: Vec<&str> = v["refused"].as_array().unwrap().iter().map(|n| n["file"].as_str().unwrap()).collect();
    assert!(refused.contains(&"0123456789abcdef0123456789abcdef.troth"), "{v}");
    assert!(refused.contains(&"fedcba9876543210fedcba9876543210.troth"), "{v}");
    assert!(!refused.contains(&".syncthing.abc.troth.tmp"), "{v}");
    assert!(v["skipped"].as_array().unwrap().iter().any(|n| n["file"] == ".syncthing.abc.troth.tmp"), "{v}");
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    // Everything genuine was applied all the same.
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 1);
    // A command with junk in the folder still works, with one warning at most.
    let r = p.sam.run(&["list"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.lines().count() <= 1, "{}", r.stderr);
}

#[test]
fn a_conflict_copy_and_a_duplicate_are_applied_once() {
    let p = pair();
    p.alex.ok(&["kept", "date-night", "--at", "now"]);
    let files = troth_files(&p.folder);
    let last = files.iter().max_by_key(|f| std::fs::metadata(f).unwrap().len()).unwrap().clone();
    let stem = last.file_stem().unwrap().to_string_lossy().into_owned();
    std::fs::copy(&last, p.folder.join(format!("{stem}.sync-conflict-20261123-180000-ABCDEFG.troth"))).unwrap();
    p.sam.ok(&["list"]);
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 1);
    let v = p.sam.json(&["sync"]);
    assert_eq!(v["applied"], 0, "{v}");
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_file_whose_predecessor_has_not_arrived_waits() {
    let p = pair();
    let held = p.folder.parent().unwrap().join("held");
    std::fs::create_dir(&held).unwrap();
    let before: Vec<PathBuf> = troth_files(&p.folder);
    p.alex.ok(&["kept", "date-night", "--at", "now"]);
    let first: PathBuf = troth_files(&p.folder).into_iter().find(|f| !before.contains(f)).unwrap();
    std::fs::rename(&first, held.join(first.file_name().unwrap())).unwrap();
    p.alex.ok(&["broke", "date-night", "--at", "now"]);
    let v = p.sam.json(&["sync"]);
    assert_eq!(v["waiting"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 0);
    std::fs::rename(held.join(first.file_name().unwrap()), &first).unwrap();
    let v = p.sam.json(&["sync"]);
    assert_eq!(v["waiting"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 2);
}

#[test]
fn verify_reports_a_removed_or_replaced_file() {
    let p = pair();
    p.alex.ok(&["kept", "date-night", "--at", "now", "--note", "one"]);
    p.alex.ok(&["broke", "date-night", "--at", "now"]);
    p.sam.ok(&["list"]);
    assert_eq!(p.sam.json(&["verify"])["ok"], true);
    let files = troth_files(&p.folder);
    std::fs::remove_file(&files[0]).unwrap();
    let r = p.sam.run(&["verify"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.lines().count() >= 1);
    assert!(r.stdout.contains("no longer in the folder"), "{}", r.stdout);
    let r = p.sam.run(&["verify", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert!(!v["problems"].as_array().unwrap().is_empty());
}

#[test]
fn sync_without_a_folder_says_how_to_start() {
    let e = TestEnv::berlin();
    e.ok(&["init"]);
    let err = e.fails(2, &["sync"]);
    assert!(err.contains("sync setup"), "{err}");
    let mut s = TestEnv::berlin();
    s.ok(&["init"]);
    s.extra.push(("TROTH_SYNC_CODE".into(), "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA".into()));
    let p = pair();
    let err = s.fails(2, &["sync", "join", p.folder.to_str().unwrap()]);
    assert!(err.contains("does not open"), "{err}");
}

#[test]
fn a_missing_folder_is_one_warning_and_the_command_still_works() {
    let p = pair();
    let gone = p.folder.with_file_name("gone");
    std::fs::rename(&p.folder, &gone).unwrap();
    let r = p.alex.run(&["promise", "x"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Reading and writing the folder both fail, and that is said once.
    let warnings: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(warnings[0].contains("sync folder"), "{}", r.stderr);
    let r = p.alex.run(&["kept", "date-night", "--at", "now"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.lines().filter(|l| l.starts_with("warning:")).count(), 1, "{}", r.stderr);
    // Both are in the ledger here.
    let list = p.alex.json(&["list"]);
    assert!(list.as_array().unwrap().iter().any(|a| a["slug"] == "x"), "{list}");
    std::fs::rename(&gone, &p.folder).unwrap();
    // They go out next time: the partner sees both.
    let v = p.alex.json(&["sync"]);
    // (a promise and its terms, and the entry: counted as facts)
    assert!(v["published"].as_u64().unwrap() >= 2, "{v}");
    let list = p.sam.json(&["list"]);
    assert!(list.as_array().unwrap().iter().any(|a| a["slug"] == "x"), "{list}");
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_junk_file_is_refused_by_name_and_sync_exits_1() {
    let p = pair();
    p.alex.ok(&["kept", "date-night", "--at", "now"]);
    std::fs::write(p.folder.join("zzz.troth"), b"junk\n").unwrap();
    let r = p.sam.run(&["sync", "--json"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let refused = v["refused"].as_array().unwrap();
    let junk = refused.iter().find(|n| n["file"] == "zzz.troth").unwrap_or_else(|| panic!("{v}"));
    assert!(junk["device"].is_null(), "{v}");
    assert!(!junk["why"].as_str().unwrap().is_empty(), "{v}");
    assert_eq!(refused.len(), 1, "{v}");
    // Everything else was applied all the same.
    assert_eq!(v["applied"], 1, "{v}");
    // Said the same way in words, and again on the next pass.
    let r = p.sam.run(&["sync"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.lines().any(|l| l.starts_with("refused") && l.contains("zzz.troth")), "{}", r.stdout);
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 1);
    // A sync tool's temporary file alone is skipped and named, not a failure.
    std::fs::remove_file(p.folder.join("zzz.troth")).unwrap();
    std::fs::write(p.folder.join(".syncthing.zzz.troth.tmp"), b"half").unwrap();
    let r = p.sam.run(&["sync", "--json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["refused"].as_array().unwrap().is_empty(), "{v}");
    assert!(v["skipped"].as_array().unwrap().iter().any(|n| n["file"] == ".syncthing.zzz.troth.tmp"), "{v}");
}

#[test]
fn two_clones_of_a_git_remote_keep_two_ledgers_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cb) = git_clones(dir.path());
    let mut alex = TestEnv::berlin();
    let mut sam = TestEnv::berlin();
    alex.with_git_identity();
    sam.with_git_identity();
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    alex.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--slug", "date-night"]);
    let code = alex.json(&["sync", "setup", ca.to_str().unwrap()])["code"].as_str().unwrap().to_string();
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    sam.extra.push(("TROTH_SYNC_CODE".into(), code));
    git(&cb, &["pull", "-q"]);
    sam.ok(&["sync", "join", cb.to_str().unwrap()]);
    // Offline work on both, then `troth sync` on each.
    alex.set_now("2026-11-27T21:00:00+01:00");
    sam.set_now("2026-11-27T21:02:00+01:00");
    alex.ok(&["kept", "date-night", "--at", "now", "--note", "pizza"]);
    sam.ok(&["promise", "Call if I'm running late", "--terms", "standing", "--slug", "call"]);
    sam.ok(&["kept", "call", "--at", "now"]);
    alex.ok(&["sync"]);
    sam.ok(&["sync"]);
    alex.ok(&["sync"]);
    alex.set_now("2026-11-28T10:00:00+01:00");
    sam.set_now("2026-11-28T10:00:00+01:00");
    assert_eq!(without_ids(&alex.json(&["list"])), without_ids(&sam.json(&["list"])));
    assert_eq!(without_ids(&alex.json(&["log"])), without_ids(&sam.json(&["log"])));
    assert_eq!(alex.json(&["log"]).as_array().unwrap().len(), 2);
    assert_eq!(alex.json(&["verify"])["ok"], true);
}

#[test]
fn a_fact_from_this_devices_future_waits_until_then() {
    let mut p = pair();
    p.alex.set_now("2026-11-27T21:00:00+01:00");
    p.sam.set_now("2026-11-27T20:00:00+01:00");
    p.alex.ok(&["kept", "date-night", "--at", "now"]);
    let v = p.sam.json(&["sync"]);
    assert_eq!(v["waiting"].as_array().unwrap().len(), 1, "{v}");
    assert!(v["waiting"][0]["why"].as_str().unwrap().contains("future"), "{v}");
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 0);
    // Within ten minutes of it, it is applied.
    p.sam.set_now("2026-11-27T20:55:00+01:00");
    assert_eq!(p.sam.json(&["log"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_file_written_long_before_the_one_before_it_is_refused_with_the_rest_of_that_chain() {
    let mut p = pair();
    p.alex.set_now("2026-11-23T17:30:00+01:00");
    p.alex.ok(&["config", "trust.gain", "0.09"]);
    p.alex.set_now("2026-11-23T18:30:00+01:00");
    p.alex.ok(&["config", "trust.loss", "0.3"]);
    p.sam.set_now("2026-11-23T18:40:00+01:00");
    let r = p.sam.run(&["sync", "--json"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let refused = v["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 2, "{v}");
    assert!(refused.iter().any(|n| n["why"].as_str().unwrap().contains("10 minutes")), "{v}");
    assert_eq!(p.sam.ok(&["config", "trust.gain"]).trim(), "0.05", "nothing of the refused file was applied");
    let r = p.sam.run(&["verify"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("refused"), "{}", r.stdout);
}

#[test]
fn a_device_restored_from_an_old_backup_forks_its_chain_and_both_branches_count() {
    let p = pair();
    // Alex's device has seen Sam's join (its first file) before the backup.
    p.alex.ok(&["list"]);
    let backup = p.alex.path("backup.db");
    rusqlite::Connection::open(&p.alex.db).unwrap().execute("VACUUM INTO ?1", [backup.to_str().unwrap()]).unwrap();
    p.alex.ok(&["kept", "date-night", "--at", "now", "--note", "before the restore"]);
    // The disk dies and the backup comes back; the sync tool has not brought
    // back the file written after the backup yet when the restored ledger writes.
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", p.alex.db.display()));
    }
    std::fs::copy(&backup, &p.alex.db).unwrap();
    let known_at_backup = rusqlite::Connection::open(&backup)
        .unwrap()
        .prepare("SELECT name FROM sync_files")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let hidden: Vec<PathBuf> = troth_files(&p.folder)
        .into_iter()
        .filter(|f| !known_at_backup.contains(&f.file_name().unwrap().to_string_lossy().into_owned()))
        .collect();
    let held = p.folder.with_file_name("held");
    std::fs::create_dir_all(&held).unwrap();
    assert_eq!(hidden.len(), 1, "one file was written after the backup");
    std::fs::rename(&hidden[0], held.join("hidden")).unwrap();
    p.alex.ok(&["broke", "date-night", "--at", "now", "--note", "after the restore"]);
    std::fs::rename(held.join("hidden"), &hidden[0]).unwrap();
    let v = p.sam.json(&["sync"]);
    assert_eq!(v["forks"].as_array().unwrap().len(), 1, "{v}");
    let notes: Vec<String> =
        p.sam.json(&["log"]).as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap_or("").to_string()).collect();
    assert!(
        notes.contains(&"before the restore".to_string()) && notes.contains(&"after the restore".to_string()),
        "{notes:?}"
    );
    // The restored device takes its own lost entry back from the folder.
    let notes: Vec<String> = p
        .alex
        .json(&["log"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["note"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(notes.contains(&"before the restore".to_string()), "{notes:?}");
}

/// `sync status` where no ledger exists yet says so, the same every time:
/// no ledger or device uuid made up for a ledger that is not there (each
/// call used to print fresh ones), and nothing is created.
#[test]
fn sync_status_without_a_ledger_invents_no_uuids() {
    let env = TestEnv::berlin();
    let json = env.json(&["sync", "status"]);
    assert_eq!(json, serde_json::json!({"ledger": null, "device": null, "folder": null, "devices": []}));
    let text = env.ok(&["sync", "status"]);
    assert!(text.starts_with("ledger   none yet at "), "{text}");
    assert!(text.contains("troth init"), "{text}");
    assert!(!env.db.exists(), "a reading command creates no ledger");
}
