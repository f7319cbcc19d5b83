//! The couple keeping two ledgers in step through git (docs/design.md §9):
//! each partner's clone of one bare remote is their device's folder.

use crate::support::{TestEnv, git_clones};

/// Each partner cloned the (empty) remote first; Alex then set up and pushed.
/// Sam's `sync join` in the older clone pulls first, as `troth sync` does,
/// instead of finding no troth files.
#[test]
fn join_in_a_git_clone_made_before_setup_pulls_first() {
    let dir = tempfile::tempdir().unwrap();
    let (clone_a, clone_b) = git_clones(dir.path());
    let mut alex = TestEnv::new("Europe/Berlin", "2026-10-20T10:00:00+02:00");
    let mut sam = TestEnv::new("America/New_York", "2026-10-20T04:01:00-04:00");
    alex.with_git_identity();
    sam.with_git_identity();
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    alex.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--slug", "date-night"]);
    let folder_a = clone_a.join("troth");
    let code = alex.json(&["sync", "setup", folder_a.to_str().unwrap()])["code"].as_str().unwrap().to_string();
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    sam.extra.push(("TROTH_SYNC_CODE".into(), code));
    // Sam's clone does not have the folder yet.
    let folder_b = clone_b.join("troth");
    sam.ok(&["sync", "join", folder_b.to_str().unwrap()]);
    assert_eq!(sam.json(&["list"])[0]["slug"], "date-night");
    assert_eq!(sam.json(&["sync", "status"])["ledger"], alex.json(&["sync", "status"])["ledger"]);
    // What Sam logs is in the folder at once; `troth sync` says it went out.
    sam.set_now("2026-10-24T05:00:00-04:00");
    sam.ok(&["kept", "date-night", "--at", "2026-10-23 21:00"]);
    let out = sam.ok(&["sync"]);
    assert!(out.contains("pushed"), "{out}");
    assert!(!sam.ok(&["sync"]).contains("pushed"), "nothing more to push");
    alex.set_now("2026-10-24T11:05:00+02:00");
    alex.ok(&["sync"]);
    assert_eq!(alex.json(&["log"]).as_array().unwrap().len(), 1);
}
