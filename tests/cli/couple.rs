//! A couple as the acceptance review acted them out (docs/design.md §9, §10):
//! Alex in Berlin and Sam in New York, each with their own ledger, one
//! shared folder, the partner confirming, disputing, accepting a repair —
//! and what went wrong on the way, pinned.

use crate::support::TestEnv;
use serde_json::Value;
use std::path::PathBuf;

/// Alex (Europe/Berlin) and Sam (America/New_York), each on their own
/// device, sharing one folder; Alex promised date night on Fridays.
struct Couple {
    alex: TestEnv,
    sam: TestEnv,
    folder: PathBuf,
    _dir: tempfile::TempDir,
}

fn couple() -> Couple {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let alex = TestEnv::new("Europe/Berlin", "2026-10-20T10:00:00+02:00");
    let mut sam = TestEnv::new("America/New_York", "2026-10-20T04:01:00-04:00");
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    alex.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--starts", "2026-10-01"]);
    let code = alex.json(&["sync", "setup", folder.to_str().unwrap()])["code"].as_str().unwrap().to_string();
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    sam.extra.push(("TROTH_SYNC_CODE".into(), code));
    sam.ok(&["sync", "join", folder.to_str().unwrap()]);
    Couple { alex, sam, folder, _dir: dir }
}

/// The local id of the entry or repair with this uuid on a device.
fn id_of(list: &Value, uuid: &Value) -> String {
    let found = list.as_array().unwrap().iter().find(|e| e["uuid"] == *uuid);
    found.unwrap_or_else(|| panic!("{uuid} not in {list}"))["id"].as_i64().unwrap().to_string()
}

#[test]
fn sync_status_and_verify_before_any_ledger_create_none() {
    let env = TestEnv::berlin();
    for args in [&["sync", "status"][..], &["sync", "status", "--json"], &["verify"], &["verify", "--json"]] {
        env.ok(args);
        assert!(!env.db.exists(), "troth {args:?} created a ledger");
        assert!(!env.db.parent().unwrap().exists(), "troth {args:?} created the ledger's folder");
    }
}

/// §10: at most one accepted repair per broken entry — so once Sam accepted
/// one, the other repair Alex offered for it waits for nothing, and neither
/// inbox offers `troth accept` for it (that would be refused).
#[test]
fn inbox_no_longer_offers_a_repair_whose_broken_entry_is_repaired() {
    let mut c = couple();
    c.alex.set_now("2026-10-24T16:00:00+02:00");
    let broken = c.alex.json(&["broke", "date-night", "--at", "2026-10-23 19:30"]);
    let entry = broken["id"].as_i64().unwrap().to_string();
    let first = c.alex.json(&["repair", &entry, "--understood", "I cancelled late", "--apology", "I'm sorry"]);
    let second = c.alex.json(&["repair", &entry, "--understood", "I left you waiting", "--apology", "I'm sorry"]);
    c.sam.set_now("2026-10-24T11:00:00-04:00");
    let offered = c.sam.json(&["inbox"])["repairs_offered"].clone();
    assert_eq!(offered.as_array().unwrap().len(), 2, "{offered}");
    c.sam.ok(&["accept", &id_of(&offered, &first["uuid"])]);
    // The other one can no longer be accepted, so it is not offered…
    let refused = c.sam.fails(2, &["accept", &id_of(&offered, &second["uuid"])]);
    assert!(refused.contains("already has an accepted repair"), "{refused}");
    let inbox = c.sam.json(&["inbox"]);
    assert_eq!(inbox["repairs_offered"], serde_json::json!([]), "{inbox}");
    // …nor waiting on Alex's side.
    c.alex.set_now("2026-10-24T17:30:00+02:00");
    let inbox = c.alex.json(&["inbox"]);
    assert_eq!(inbox["repairs_waiting"], serde_json::json!([]), "{inbox}");
    assert!(!c.alex.ok(&["inbox"]).contains("not yet accepted"));
}

/// §9: a file written more than 10 minutes before the device's previous one
/// is refused by the other device with the rest of that chain. The device
/// whose clock was set back says so when it writes such a file, instead of
/// letting the couple drift apart in silence.
#[test]
fn a_device_whose_clock_was_set_back_is_told_and_its_partner_refuses_the_file() {
    let mut c = couple();
    c.alex.set_now("2026-10-24T16:00:00+02:00");
    let r = c.alex.run(&["kept", "date-night", "--at", "2026-10-23 21:00"]);
    assert_eq!(r.code, 0);
    assert!(!r.stderr.contains("clock"), "{}", r.stderr);
    c.alex.set_now("2026-10-24T15:00:00+02:00");
    let r = c.alex.run(&["config", "trust.gain", "0.1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(warnings[0].starts_with("warning: ") && warnings[0].contains("clock"), "{}", r.stderr);
    c.sam.set_now("2026-10-24T10:00:00-04:00");
    let r = c.sam.run(&["sync", "--json"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["refused"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(c.sam.json(&["log"]).as_array().unwrap().len(), 1, "the kept before the clock change arrived");
    assert_eq!(c.sam.ok(&["config", "trust.gain"]).trim(), "0.05");
    let status = c.sam.json(&["sync", "status"]);
    let alex = status["devices"].as_array().unwrap().iter().find(|d| d["person"] == "Alex").unwrap().clone();
    assert_eq!(alex["refused"], 1, "sync status says what was refused: {status}");
}

/// §8: bad input changes nothing — on a ledger that syncs too. The file a
/// command publishes is part of the folder's listing it has already seen, so
/// the next command, refused, has nothing to note down.
#[test]
fn a_refused_command_on_a_synced_ledger_leaves_it_as_it_was() {
    let mut c = couple();
    c.alex.set_now("2026-10-24T16:00:00+02:00");
    c.alex.ok(&["kept", "date-night", "--at", "2026-10-23 21:00"]);
    c.alex.fails(2, &["kept", "date-nite"]);
    c.alex.fails(2, &["confirm", "1"]);
    c.sam.set_now("2026-10-24T11:00:00-04:00");
    c.sam.ok(&["confirm", "1"]);
    c.sam.fails(2, &["dispute", "1", "--note", ""]);
    c.sam.fails(2, &["accept", "9"]);
}

/// `sync setup` in a folder that holds someone's other files says so (not
/// that it holds a troth ledger), and points at a folder of troth's own
/// inside it; every later pass would otherwise name those files unreadable.
#[test]
fn setup_in_a_folder_of_other_files_says_what_is_there() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let sync = env.path("Sync");
    std::fs::create_dir(&sync).unwrap();
    std::fs::write(sync.join("holiday.jpg"), b"not a troth file").unwrap();
    let err = env.fails(2, &["sync", "setup", sync.to_str().unwrap()]);
    assert!(err.contains("holiday.jpg") && !err.contains("troth ledger's files"), "{err}");
    assert!(err.contains("hint: ") && err.contains("Sync/troth"), "{err}");
    env.ok(&["sync", "setup", sync.join("troth").to_str().unwrap()]);
    assert_eq!(env.json(&["sync", "status"])["folder"], sync.join("troth").canonicalize().unwrap().to_str().unwrap());
}

/// Pairing: once Sam has joined — even with nothing of their own yet — Alex's
/// device knows it, and by whom: `sync status` lists both devices.
#[test]
fn after_join_the_first_device_sees_the_second() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let alex = TestEnv::new("Europe/Berlin", "2026-10-20T10:00:00+02:00");
    let mut sam = TestEnv::new("America/New_York", "2026-10-20T04:01:00-04:00");
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let setup = alex.json(&["sync", "setup", folder.to_str().unwrap()]);
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    sam.extra.push(("TROTH_SYNC_CODE".into(), setup["code"].as_str().unwrap().into()));
    let joined = sam.json(&["sync", "join", folder.to_str().unwrap()]);
    // Sam's first file holds no facts: nothing to say it was "received".
    let out = alex.ok(&["sync"]);
    assert!(out.contains("nothing new received") && !out.contains("received 0"), "{out}");
    let status = alex.json(&["sync", "status"]);
    let devices = status["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2, "{status}");
    let other = devices.iter().find(|d| d["this"] == false).unwrap();
    assert_eq!((&other["device"], &other["person"]), (&joined["device"], &Value::from("Sam")), "{status}");
    assert_eq!(alex.json(&["verify"])["ok"], true);
    assert_eq!(sam.json(&["verify"])["ok"], true);
    // Nothing more to say: a repeated sync writes nothing.
    let files = std::fs::read_dir(&folder).unwrap().count();
    assert_eq!(sam.json(&["sync"])["published"], 0);
    assert_eq!(alex.json(&["sync"])["published"], 0);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), files);
}

/// §9/§10: both partners logged the same date night; Sam disputes Alex's log
/// (it names the wrong evening). Sam's own log still delivers the unit: the
/// held entry was an extra, so it sets aside nothing — the slot is kept,
/// and its kept step counts.
#[test]
fn a_disputed_duplicate_does_not_take_the_kept_unit_with_it() {
    let mut c = couple();
    c.alex.set_now("2026-10-31T10:00:00+01:00");
    let alex_log = c.alex.json(&["kept", "date-night", "--at", "2026-10-30 21:00", "--note", "the Italian place"]);
    c.sam.set_now("2026-10-31T05:05:00-04:00");
    c.sam.ok(&["kept", "date-night", "--at", "2026-10-30 21:30", "--note", "we cooked at home"]);
    let log = c.sam.json(&["log"]);
    let before = c.sam.json(&["show", "date-night"]);
    c.sam.ok(&["dispute", &id_of(&log, &alex_log["uuid"]), "--note", "that was Thursday"]);
    for (who, env) in [("Sam", &mut c.sam), ("Alex", &mut c.alex)] {
        env.set_now("2026-11-07T12:00:00+01:00");
        let show = env.json(&["show", "date-night"]);
        let slot = show["slots"].as_array().unwrap().iter().find(|s| s["due"] == "2026-10-30T19:00:00+01:00").unwrap();
        let got: Vec<u64> = ["promised", "kept", "delivered", "extra", "missed", "held"]
            .iter()
            .map(|k| slot[*k].as_u64().unwrap())
            .collect();
        assert_eq!(got, [1, 1, 1, 0, 0, 0], "{who}: {slot}");
        let kept_steps = show["events"].as_array().unwrap().iter().filter(|e| e["event"] == "kept").count();
        assert_eq!(kept_steps, 1, "{who}: {}", show["events"]);
        assert_eq!(show["rate"], before["rate"], "{who}");
    }
    let a = c.alex.json(&["report", "--week", "2026-W44"]);
    let row = a["agreements"].as_array().unwrap().iter().find(|r| r["slug"] == "date-night").unwrap().clone();
    assert_eq!((row["promised"].as_u64(), row["kept"].as_u64(), row["missed"].as_u64()), (Some(1), Some(1), Some(0)));
}

/// §9: two amends not yet in effect — the one made later wins, on both
/// devices, also when it would start after the other: Alex (offline) moves
/// date night to Saturdays, a minute later Sam (offline) to Thursdays. The
/// Saturday terms never take effect.
#[test]
fn of_two_pending_amends_the_later_wins_even_when_it_starts_later() {
    let mut c = couple();
    c.alex.set_now("2026-11-02T11:00:00+01:00");
    c.sam.set_now("2026-11-02T05:01:00-05:00");
    let away = c.folder.with_file_name("away");
    std::fs::rename(&c.folder, &away).unwrap();
    c.alex.ok(&["amend", "date-night", "--terms", "every sat 19:00"]);
    c.sam.ok(&["amend", "date-night", "--terms", "every thu 19:00"]);
    std::fs::rename(&away, &c.folder).unwrap();
    c.alex.set_now("2026-11-02T11:10:00+01:00");
    c.sam.set_now("2026-11-02T05:10:00-05:00");
    c.alex.ok(&["sync"]);
    c.sam.ok(&["sync"]);
    c.alex.ok(&["sync"]);
    for (who, env) in [("Alex", &c.alex), ("Sam", &c.sam)] {
        let show = env.json(&["show", "date-night"]);
        assert_eq!(show["terms"], "every fri 19:00", "{who}");
        assert_eq!(show["pending"]["terms"], "every thu 19:00", "{who}: {}", show["pending"]);
    }
    for (who, env) in [("Alex", &mut c.alex), ("Sam", &mut c.sam)] {
        env.set_now("2026-11-10T12:00:00+01:00");
        let show = env.json(&["show", "date-night"]);
        assert_eq!(show["terms"], "every fri 19:00", "{who}: Saturday never took effect");
        let sat = show["slots"].as_array().unwrap().iter().filter(|s| s["terms"] == "every sat 19:00").count();
        assert_eq!(sat, 0, "{who}: {}", show["slots"]);
        env.set_now("2026-11-13T12:00:00+01:00");
        assert_eq!(env.json(&["show", "date-night"])["terms"], "every thu 19:00", "{who}");
    }
}

/// §1/§2: a promise that starts on Monday 7 December, renegotiated on 20
/// November before it began, still has no slot before 7 December (it had
/// two weeks of misses before it began).
#[test]
fn amending_a_promise_not_yet_started_adds_no_slot_before_it_starts() {
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-20T10:00:00+01:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "A walk together", "--terms", "1/week", "--starts", "2026-12-07", "--slug", "walk"]);
    env.ok(&["amend", "walk", "--terms", "2/week", "--anyway"]);
    env.fails(2, &["amend", "walk", "--terms", "3/week", "--anyway", "--from", "2026-11-30"]);
    env.set_now("2026-12-20T10:00:00+01:00");
    let show = env.json(&["show", "walk"]);
    let starts: Vec<&str> = show["slots"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap()).collect();
    assert_eq!(starts, ["2026-12-07T00:00:00+01:00", "2026-12-14T00:00:00+01:00"], "{}", show["slots"]);
    assert_eq!(show["terms"], "2/week");
    assert_eq!(show["slots"][0]["units"], 2);
}

/// §9 allows the two clocks ten minutes apart. Alex's laptop runs five
/// minutes ahead: what Alex logs reaches Sam at once, is in Sam's inbox,
/// and Sam can answer it — confirm, and accept a repair — without waiting
/// for their own clock to catch up; Alex's device takes the answers.
#[test]
fn a_partner_whose_clock_runs_a_little_ahead_can_be_answered_at_once() {
    let mut c = couple();
    c.alex.set_now("2026-10-24T16:05:00+02:00");
    let kept = c.alex.json(&["kept", "date-night", "--at", "2026-10-23 21:00"]);
    let broken = c.alex.json(&["broke", "date-night", "--at", "2026-10-16 19:30"]);
    let repair = c.alex.json(&["repair", &broken["id"].to_string(), "--understood", "I forgot", "--apology", "Sorry"]);
    c.sam.set_now("2026-10-24T10:01:00-04:00");
    let inbox = c.sam.json(&["inbox"]);
    let waiting: Vec<&Value> = inbox["to_confirm"].as_array().unwrap().iter().map(|e| &e["uuid"]).collect();
    assert_eq!(waiting, [&kept["uuid"], &broken["uuid"]], "{inbox}");
    let log = c.sam.json(&["log"]);
    c.sam.ok(&["confirm", &id_of(&log, &kept["uuid"])]);
    c.sam.ok(&["accept", &id_of(&inbox["repairs_offered"], &repair["uuid"])]);
    c.alex.set_now("2026-10-24T16:07:00+02:00");
    let log = c.alex.json(&["log"]);
    let mine = log.as_array().unwrap().iter().find(|e| e["uuid"] == kept["uuid"]).unwrap();
    assert_eq!(mine["verdict"]["verdict"], "confirmed", "{log}");
    let show = c.alex.json(&["show", "date-night"]);
    assert!(show["events"].as_array().unwrap().iter().any(|e| e["event"] == "repair accepted"), "{}", show["events"]);
    assert_eq!(c.alex.json(&["verify"])["ok"], true);
}

/// Both screens, without local ids.
fn same_on_both(c: &Couple, args: &[&str]) -> Value {
    let a = crate::sync::without_ids(&c.alex.json(args));
    let s = crate::sync::without_ids(&c.sam.json(args));
    assert_eq!(a, s, "troth {args:?} differs between Alex's and Sam's devices");
    a
}

fn at_both(c: &mut Couple, now: &str) {
    c.alex.set_now(now);
    c.sam.set_now(now);
}

/// The whole of §10 between Berlin and New York, across both clock changes
/// (Berlin on 25 October, New York on 1 November): confirm, break, repair,
/// accept, dispute, confirm again — and after every step, both devices show
/// the same numbers, and a second `sync` has nothing to do.
#[test]
fn a_month_of_date_nights_between_berlin_and_new_york() {
    let mut c = couple();
    // Fri 16 Oct: kept, logged by Alex, confirmed by Sam.
    c.alex.set_now("2026-10-20T10:05:00+02:00");
    let kept = c.alex.json(&["kept", "date-night", "--at", "2026-10-16 21:00"]);
    c.sam.set_now("2026-10-20T04:10:00-04:00");
    c.sam.ok(&["confirm", &id_of(&c.sam.json(&["log"]), &kept["uuid"])]);
    // Fri 23 Oct: Sam logs it broken; after Berlin's clock change Alex offers
    // a repair and Sam accepts it (Tue 27 Oct, 12:00 in New York).
    c.sam.set_now("2026-10-24T09:00:00-04:00");
    let broken = c.sam.json(&["broke", "date-night", "--at", "2026-10-23 19:30"]);
    c.alex.set_now("2026-10-26T09:00:00+01:00");
    let entry = id_of(&c.alex.json(&["log"]), &broken["uuid"]);
    let repair = c.alex.json(&["repair", &entry, "--understood", "I cancelled late", "--apology", "I'm sorry"]);
    c.sam.set_now("2026-10-27T12:00:00-04:00");
    let offered = c.sam.json(&["inbox"])["repairs_offered"].clone();
    c.sam.ok(&["accept", &id_of(&offered, &repair["uuid"])]);
    // Fri 30 Oct (Berlin on winter time, New York not yet): Alex logs kept,
    // Sam disputes it, and after New York's change confirms it after all.
    c.alex.set_now("2026-10-31T10:00:00+01:00");
    let kept2 = c.alex.json(&["kept", "date-night", "--at", "2026-10-30 20:00"]);
    c.sam.set_now("2026-10-31T05:10:00-04:00");
    let id2 = id_of(&c.sam.json(&["log"]), &kept2["uuid"]);
    c.sam.ok(&["dispute", &id2, "--note", "we stayed in, you were on your phone"]);
    at_both(&mut c, "2026-11-01T12:00:00+01:00");
    let held = same_on_both(&c, &["show", "date-night"]);
    let slot = |show: &Value, due: &str| -> Value {
        show["slots"].as_array().unwrap().iter().find(|s| s["due"] == due).cloned().unwrap()
    };
    let fri30 = slot(&held, "2026-10-30T19:00:00+01:00");
    assert_eq!((fri30["promised"].as_u64(), fri30["held"].as_u64()), (Some(0), Some(1)), "{fri30}");
    assert_eq!(held["trust"], 0.319, "0.5 → 0.4 → 0.32 (two misses) → 0.354 (kept) → 0.2832 (broken) → 0.319 (repair)");
    c.sam.set_now("2026-11-02T08:00:00-05:00");
    c.sam.ok(&["confirm", &id2]);
    at_both(&mut c, "2026-11-02T15:00:00+01:00");
    c.alex.ok(&["sync"]);
    c.sam.ok(&["sync"]);
    for env in [&c.alex, &c.sam] {
        let again = env.json(&["sync"]);
        assert_eq!((again["published"].as_u64(), again["applied"].as_u64()), (Some(0), Some(0)), "{again}");
    }
    let show = same_on_both(&c, &["show", "date-night"]);
    assert_eq!(show["trust"], 0.3531, "the confirmed kept scores at its time: 0.319 + 0.05 × 0.681");
    assert_eq!(show["rate"], 0.4, "delivered 2 of 5 (Oct 2, 9, 16, 23, 30); repairs change no rate");
    let fri30 = slot(&show, "2026-10-30T19:00:00+01:00");
    assert_eq!((fri30["promised"].as_u64(), fri30["delivered"].as_u64()), (Some(1), Some(1)), "{fri30}");
    let events: Vec<&str> = show["events"].as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["missed", "missed", "kept", "broken", "repair accepted", "kept"]);
    for args in [&["list"][..], &["log", "--all"], &["due"], &["overpromising"]] {
        same_on_both(&c, args);
    }
    assert_eq!(c.alex.json(&["verify"])["ok"], true);
    assert_eq!(c.sam.json(&["verify"])["ok"], true);
}

/// §10: at most one accepted repair per broken entry. Offline, Sam accepts
/// one of Alex's two repairs on their own device, and (as Sam, on Alex's
/// laptop) the other: after sync, both devices count the earlier acceptance
/// only — one trust step, and one "repair accepted" to talk about.
#[test]
fn two_repairs_of_one_entry_accepted_offline_count_once_everywhere() {
    let mut c = couple();
    c.alex.set_now("2026-10-31T10:30:00+01:00");
    let broken = c.alex.json(&["broke", "date-night", "--at", "2026-10-30 19:30"]);
    let id = broken["id"].to_string();
    let one = c.alex.json(&["repair", &id, "--understood", "u1", "--apology", "sorry one"]);
    let two = c.alex.json(&["repair", &id, "--understood", "u2", "--apology", "sorry two"]);
    c.sam.set_now("2026-10-31T05:32:00-04:00");
    let offered = c.sam.json(&["inbox"])["repairs_offered"].clone();
    let away = c.folder.with_file_name("away");
    std::fs::rename(&c.folder, &away).unwrap();
    c.sam.set_now("2026-10-31T05:40:00-04:00");
    c.sam.ok(&["accept", &id_of(&offered, &one["uuid"])]);
    c.alex.set_now("2026-10-31T10:41:00+01:00");
    c.alex.ok(&["--as", "Sam", "accept", &two["id"].to_string()]);
    std::fs::rename(&away, &c.folder).unwrap();
    at_both(&mut c, "2026-11-02T10:00:00+01:00");
    c.alex.ok(&["sync"]);
    c.sam.ok(&["sync"]);
    c.alex.ok(&["sync"]);
    let show = same_on_both(&c, &["show", "date-night"]);
    let steps: Vec<&Value> =
        show["events"].as_array().unwrap().iter().filter(|e| e["event"] == "repair accepted").collect();
    assert_eq!(steps.len(), 1, "{}", show["events"]);
    for env in [&c.alex, &c.sam] {
        let report = env.json(&["report", "--week", "2026-W44"]);
        let accepted: Vec<&Value> = report["talk"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "repair_accepted")
            .map(|t| &t["repair"]["uuid"])
            .collect();
        assert_eq!(accepted, [&one["uuid"]], "{}", report["talk"]);
    }
}

/// §8: a `sync setup` that fails (a folder this user cannot write to) exits 1
/// and leaves the ledger as it was — not syncing through a folder whose
/// pairing code was never shown — so it can be set up again elsewhere.
#[test]
fn a_setup_that_cannot_write_the_folder_leaves_the_ledger_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    if !crate::support::is_root() {
        crate::support::skip("switching users needs root");
        return;
    }
    let base = tempfile::Builder::new().prefix("troth-couple").tempdir().unwrap();
    if !crate::support::others_can_reach(base.path()) {
        return crate::support::skip(&format!("nobody cannot reach {} (a private TMPDIR)", base.path().display()));
    }
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = base.path().join("home");
    let theirs = base.path().join("theirs");
    // Modes set, not left to the caller's umask: under umask 000 `theirs`
    // would be open to all, nobody included.
    crate::support::private_dir(&home);
    std::fs::create_dir(&theirs).unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::chown(&home, Some(65534), Some(65534)).unwrap();
    let db = home.join("troth").join("troth.db");
    let run = |args: &[&str]| crate::support::as_nobody(&home, &db, args);
    assert!(run(&["init", "--me", "Alex", "--partner", "Sam"]).status.success());
    let before = crate::support::dump(&db);
    let out = run(&["sync", "setup", theirs.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
    assert!(out.stdout.is_empty());
    assert_eq!(crate::support::dump(&db), before, "the failed setup changed the ledger");
    let mine = home.join("sync");
    let out = run(&["sync", "setup", mine.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["folder"], mine.to_str().unwrap());
}

/// `repair --slot` for a slot still ahead says so, and the hint names a slot
/// that really was missed (it used to name a fixed date).
#[test]
fn repair_slot_ahead_says_so_and_hints_a_missed_one() {
    let mut c = couple();
    c.alex.set_now("2026-10-20T10:30:00+02:00");
    c.alex.ok(&["list"]); // takes in Sam's join first
    let err = c.alex.fails(2, &["repair", "date-night", "--slot", "2026-10-30", "--understood", "u", "--apology", "a"]);
    assert!(err.contains("still ahead"), "{err}");
    assert!(err.contains("hint: ") && err.contains("--slot 2026-10-09"), "{err}");
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk", "--terms", "every sat 10:00", "--slug", "walk"]);
    let err = env.fails(2, &["repair", "walk", "--slot", "2026-11-01", "--understood", "u", "--apology", "a"]);
    assert!(err.contains("no slot of walk has a missed unit"), "{err}");
}

/// §9: a file that cannot be read is skipped and named. Sam's device had
/// already applied Alex's file when someone changed a byte of it in the
/// folder: `troth sync` names it (exit 1), as `verify` does.
#[test]
fn sync_names_a_file_changed_in_place_after_it_was_applied() {
    let mut c = couple();
    c.alex.set_now("2026-10-24T16:00:00+02:00");
    let before: Vec<PathBuf> = std::fs::read_dir(&c.folder).unwrap().map(|e| e.unwrap().path()).collect();
    c.alex.ok(&["kept", "date-night", "--at", "2026-10-23 21:00"]);
    let file = std::fs::read_dir(&c.folder).unwrap().map(|e| e.unwrap().path()).find(|p| !before.contains(p)).unwrap();
    c.sam.set_now("2026-10-24T10:05:00-04:00");
    assert_eq!(c.sam.json(&["log"]).as_array().unwrap().len(), 1, "applied by the automatic pass");
    let mut bytes = std::fs::read(&file).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();
    let r = c.sam.run(&["sync", "--json"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(v["refused"].as_array().unwrap().iter().any(|n| n["file"] == name), "{v}");
    assert_eq!(c.sam.run(&["verify"]).code, 1);
    assert_eq!(c.sam.json(&["log"]).as_array().unwrap().len(), 1, "what was applied stays");
}

/// A repair of a broken entry Sam disputes cannot be accepted until the
/// dispute is settled; Sam's inbox says so instead of a bare `troth accept`.
#[test]
fn inbox_says_a_repair_of_a_disputed_entry_waits_for_the_dispute() {
    let mut c = couple();
    c.alex.set_now("2026-10-24T16:00:00+02:00");
    let broken = c.alex.json(&["broke", "date-night", "--at", "2026-10-23 19:30"]);
    c.sam.set_now("2026-10-24T10:05:00-04:00");
    let id = id_of(&c.sam.json(&["log"]), &broken["uuid"]);
    c.sam.ok(&["dispute", &id, "--note", "you came, just late"]);
    c.alex.set_now("2026-10-24T16:10:00+02:00");
    c.alex.ok(&["repair", &broken["id"].to_string(), "--understood", "I was late", "--apology", "Sorry"]);
    c.sam.set_now("2026-10-24T10:15:00-04:00");
    let text = c.sam.ok(&["inbox"]);
    assert!(text.contains(&format!("once #{id} is settled (troth confirm {id}): troth accept")), "{text}");
}
