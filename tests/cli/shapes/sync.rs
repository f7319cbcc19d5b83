//! Two devices in UTC (`sync setup`, `join`, `sync`, `sync status`, `verify`,
//! the inbox's duplicates), and `--json` on bad input: exit 2, nothing on stdout.

use super::check::*;
use super::ledger;
use crate::support::TestEnv;
use serde_json::Value;

#[test]
fn sync_and_verify_have_their_documented_shape_in_utc() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let f = folder.to_str().unwrap();
    let alex = TestEnv::new("UTC", "2026-11-23T18:00:00+00:00");
    let empty = j(&alex, &["sync", "status"]);
    assert_eq!(empty, serde_json::json!({"ledger": null, "device": null, "folder": null, "devices": []}));
    // Nor is there a device to count before any ledger exists.
    let none = j(&alex, &["verify"]);
    assert_eq!(none, serde_json::json!({"ok": true, "devices": 0, "files": 0, "problems": []}));
    assert!(!alex.db.exists(), "verify made a ledger");
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    // A ledger that does not sync yet: no folder, one device (this one).
    let alone = j(&alex, &["sync", "status"]);
    has(&alone, "sync status --json", &[("ledger", T::Uuid), ("device", T::Uuid), ("devices", T::Arr)]);
    assert_eq!((&alone["folder"], arr(&alone["devices"]).len()), (&Value::Null, 1), "{alone}");
    alex.fails(2, &["sync", "--json"]);
    let p = j(
        &alex,
        &["promise", "Date night", "--terms", "every fri 19:00", "--slug", "date-night", "--starts", "2026-11-01"],
    );
    assert_eq!(p["starts"], "2026-11-01T00:00:00+00:00", "UTC is +00:00");
    assert_eq!(j(&alex, &["list"]), Value::Array(vec![p.clone()]), "promise --json is one element of list --json");
    let s = j(&alex, &["sync", "setup", f]);
    has(&s, "sync setup --json", &[("ledger", T::Uuid), ("device", T::Uuid), ("folder", T::Str), ("code", T::Str)]);
    assert_eq!(s["folder"], f);
    let code = s["code"].as_str().unwrap().to_string();
    let mut sam = TestEnv::new("UTC", "2026-11-23T18:05:00+00:00");
    sam.extra.push(("TROTH_SYNC_CODE".into(), code.clone()));
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    let joined = j(&sam, &["sync", "join", f]);
    assert!(joined.is_object(), "{joined}");
    assert!(!joined.to_string().contains(&code), "the code is printed only by sync setup: {joined}");
    let e = j(&sam, &["kept", "date-night", "--at", "2026-11-20 19:00"]);
    entry(&e, "kept on the second device");
    assert_eq!(e["by"], "Sam");
    for env in [&alex, &sam] {
        let y = j(env, &["sync"]);
        has(
            &y,
            "sync --json",
            &[("published", T::Count), ("applied", T::Count), ("waiting", T::Arr), ("refused", T::Arr)],
        );
        for w in arr(&y["waiting"]).iter().chain(arr(&y["refused"])) {
            has(w, "sync waiting/refused", &[("device", T::UuidN), ("file", T::Str), ("why", T::Str)]);
        }
        let st = j(env, &["sync", "status"]);
        has(
            &st,
            "sync status --json",
            &[("ledger", T::Uuid), ("device", T::Uuid), ("folder", T::StrN), ("devices", T::Arr)],
        );
        assert_eq!(arr(&st["devices"]).len(), 2, "{st}");
        for d in arr(&st["devices"]) {
            has(
                d,
                "sync status devices",
                &[
                    ("device", T::Uuid),
                    ("person", T::Str),
                    ("files", T::Count),
                    ("facts", T::Count),
                    ("last", T::Time),
                    ("this", T::Bool),
                ],
            );
            assert!(d["last"].as_str().unwrap().ends_with("+00:00"), "{d}");
        }
        assert_eq!(arr(&st["devices"]).iter().filter(|d| d["this"] == true).count(), 1);
        let v = j(env, &["verify"]);
        has(&v, "verify --json", &[("ok", T::Bool), ("devices", T::Count), ("files", T::Count), ("problems", T::Arr)]);
        assert_eq!((&v["ok"], &v["devices"]), (&true.into(), &2.into()), "{v}");
        assert!(!env.run(&["sync", "--json"]).stdout.contains(&code));
    }
    refused_then_duplicates(&alex, &sam, &folder, &s);
}

/// After the pairing above: a junk file in the folder, then the same slot
/// logged on both devices.
fn refused_then_duplicates(alex: &TestEnv, sam: &TestEnv, folder: &std::path::Path, s: &Value) {
    // A file that cannot be applied: sync still prints its JSON, names the
    // file in `refused`, and exits 1; verify says the same as a problem.
    let junk = folder.join("0123456789abcdef0123456789abcdef.troth");
    std::fs::write(&junk, "junk").unwrap();
    std::fs::set_permissions(&junk, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let r = alex.run(&["sync", "--json"]);
    assert_eq!(r.code, 1, "sync with a junk file: {}", r.stderr);
    let y: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("sync --json printed no JSON ({e}): {}", r.stdout));
    let refused = arr(&y["refused"]);
    assert!(
        refused.iter().any(|f| f["file"] == "0123456789abcdef0123456789abcdef.troth" && f["device"].is_null()),
        "{y}"
    );
    refused.iter().for_each(|f| has(f, "sync refused", &[("device", T::UuidN), ("file", T::Str), ("why", T::Str)]));
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    let r = alex.run(&["verify", "--json"]);
    assert_eq!(r.code, 1, "verify with a junk file: {}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert!(!arr(&v["problems"]).is_empty(), "{v}");
    for p in arr(&v["problems"]) {
        has(p, "verify problems", &[("device", T::UuidN), ("file", T::StrN), ("problem", T::Str)]);
    }
    let st = j(alex, &["sync", "status"]);
    arr(&st["devices"]).iter().for_each(|d| has(d, "sync status devices", &[("refused", T::Count)]));

    let log = j(alex, &["log"]);
    assert_eq!(arr(&log).len(), 1);
    entry(&arr(&log)[0], "log on the first device");
    assert_eq!(arr(&log)[0]["at"], "2026-11-20T19:00:00+00:00");
    assert_ne!(arr(&log)[0]["device"], s["device"], "logged on Sam's device");
    // The same slot logged on both devices: a pair of entries in the inbox.
    std::fs::remove_file(&junk).unwrap();
    alex.ok(&["kept", "date-night", "--at", "2026-11-20 19:30"]);
    j(sam, &["sync"]);
    for env in [alex, sam] {
        let inbox = j(env, &["inbox"]);
        let dups = arr(&inbox["duplicates"]);
        assert_eq!(dups.len(), 1, "{inbox}");
        assert_eq!(arr(&dups[0]).len(), 2, "a duplicate is a pair: {inbox}");
        arr(&dups[0]).iter().for_each(|e| entry(e, "inbox duplicates"));
    }
}

/// With `--json`, bad input is still one `error:` line on stderr, exit 2,
/// nothing on stdout and the ledger untouched.
#[test]
fn bad_input_with_json_is_one_error_line_and_exit_2_with_nothing_on_stdout() {
    let env = ledger();
    let bad: &[&[&str]] = &[
        &["kept", "nosuch", "--json"],
        &["broke", "weekends", "--at", "garbage", "--json"],
        &["excuse", "kind", "--json"],
        &["show", "99", "--json"],
        &["log", "--since", "someday", "--json"],
        &["promise", "", "--json"],
        &["promise", "x", "--terms", "sometimes", "--json"],
        &["void", "999", "--json"],
        &["void", "--agreement", "nosuch", "--json"],
        &["amend", "weekends", "--terms", "?", "--json"],
        &["pause", "nosuch", "--json"],
        &["confirm", "999", "--json"],
        &["dispute", "3", "--json"],
        &["accept", "999", "--json"],
        &["repair", "nosuch", "--slot", "2026-11-09", "--json"],
        &["report", "--week", "2026-W99", "--json"],
        &["trend", "nosuch", "--json"],
        &["overpromising", "--by", "Nobody", "--json"],
        &["due", "--within", "soon", "--json"],
        &["list", "--bogus", "--json"],
        &["config", "nosuch.key", "--json"],
    ];
    for args in bad {
        env.fails(2, args);
    }
    // Any other failure (here a ledger that is not one): exit 1, the same way.
    let mut junk = TestEnv::berlin();
    junk.db = junk.path("junk.db");
    std::fs::write(&junk.db, "not a ledger at all, not even close to one").unwrap();
    std::fs::set_permissions(&junk.db, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    for args in [&["list", "--json"][..], &["report", "--json"][..], &["kept", "weekends", "--json"][..]] {
        let r = junk.run(args);
        assert_eq!(r.code, 1, "troth {args:?} on a file that is no ledger: {}", r.stderr);
        assert!(r.stdout.is_empty(), "troth {args:?}: stdout {}", r.stdout);
        assert_eq!(r.stderr.lines().filter(|l| l.starts_with("error: ")).count(), 1, "{}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    }
}
