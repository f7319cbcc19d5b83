//! What a couple brings into ledgers that already sync (docs/design.md §9):
//! an old ledger's JSON export imported on one device reaches the other.

use crate::support::TestEnv;

/// Alex kept promises on an old laptop, never synced; after pairing with
/// Sam, Alex imports the old ledger's export. The imported promise and its
/// entry reach Sam's device too (they kept the old ledger's device uuid, so
/// they were never published), and `verify` on both is clean (it took them
/// for facts taken back from a device). Sam does not send them back: they
/// came from Alex's file (Sam's `sync` sent them on as made there).
#[test]
fn an_old_ledger_imported_after_pairing_reaches_the_partner() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let old = TestEnv::new("Europe/Berlin", "2026-11-20T10:00:00+01:00");
    old.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    old.ok(&["promise", "Sunday walk", "--terms", "every sun 10:00", "--slug", "walk", "--starts", "2026-11-01"]);
    old.ok(&["kept", "walk", "--at", "2026-11-15 10:30"]);
    let export = old.path("old.json");
    old.ok(&["export", "-o", export.to_str().unwrap()]);
    let mut alex = TestEnv::new("Europe/Berlin", "2026-11-20T10:00:00+01:00");
    let mut sam = TestEnv::new("America/New_York", "2026-11-20T04:00:00-05:00");
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    alex.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--slug", "date-night"]);
    let code = alex.json(&["sync", "setup", folder.to_str().unwrap()])["code"].as_str().unwrap().to_string();
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    sam.extra.push(("TROTH_SYNC_CODE".into(), code));
    sam.ok(&["sync", "join", folder.to_str().unwrap()]);
    alex.set_now("2026-11-20T10:05:00+01:00");
    alex.ok(&["import", export.to_str().unwrap()]);
    sam.set_now("2026-11-20T04:06:00-05:00");
    let mut slugs: Vec<String> =
        sam.json(&["list"]).as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap().to_string()).collect();
    slugs.sort();
    assert_eq!(slugs, ["date-night", "walk"]);
    assert_eq!(sam.json(&["log"]).as_array().unwrap().len(), 1);
    let v = sam.json(&["sync"]);
    assert_eq!(v["published"], 0, "Sam made nothing: what came from Alex's files is not sent back: {v}");
    alex.set_now("2026-11-20T10:07:00+01:00");
    sam.set_now("2026-11-20T10:07:00+01:00");
    let a = crate::sync::without_ids(&alex.json(&["show", "walk"]));
    assert_eq!(a, crate::sync::without_ids(&sam.json(&["show", "walk"])));
    for env in [&alex, &sam] {
        let v = env.json(&["verify"]);
        assert_eq!(v["ok"], true, "{v}");
        assert_eq!(v["devices"], 2, "{v}");
    }
}
