//! The one door for outside facts (import): facts wrong in themselves are
//! refused whole, with the fact named; what two devices honestly produce
//! offline is stored; nothing troth writes lands on the ledger.

use crate::support::TestEnv;
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;

/// Alex & Sam with a quota, a schedule, a deadline and a few entries.
fn base() -> TestEnv {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Weekends together", "--terms", "2/month", "--slug", "weekends", "--starts", "2026-09-01"]);
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--slug", "date-night", "--starts", "2026-10-01"]);
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-12-01", "--slug", "sink", "--starts", "2026-11-01"]);
    env.ok(&["kept", "weekends", "--at", "2026-10-10"]);
    env.ok(&["kept", "date-night", "--at", "2026-11-20 20:00"]);
    env
}

fn export(env: &TestEnv) -> Value {
    env.json(&["export"])
}

fn write(env: &TestEnv, name: &str, v: &Value) -> String {
    let p = env.path(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p.to_str().unwrap().to_string()
}

fn uuid(n: u32) -> String {
    format!("0000000{n}-aaaa-4bbb-8ccc-dddddddddddd")
}

/// An import of `doc` into the ledger it came from is refused (exit 2,
/// nothing changed); returns stderr.
fn refused(env: &TestEnv, doc: &Value) -> String {
    let f = write(env, "bad.json", doc);
    env.fails(2, &["import", &f])
}

#[test]
fn a_crafted_past_terms_version_on_an_existing_promise_is_refused() {
    let env = base();
    let mut doc = export(&env);
    let versions = doc["agreements"][0]["versions"].as_array_mut().unwrap();
    versions.push(json!({"uuid": uuid(1), "terms": "9/month", "unit": null,
        "effective": "2026-10-01T00:00:00+00:00", "note": null, "created": "2026-11-23T17:00:00+00:00"}));
    let err = refused(&env, &doc);
    assert!(err.contains("versions[1]") && err.contains("before it was made"), "{err}");
    // A second "first" terms version at the promise's start is no better.
    let mut doc = export(&env);
    let first = doc["agreements"][0]["versions"][0].clone();
    let mut second = first.clone();
    second["uuid"] = uuid(2).into();
    second["terms"] = "9/month".into();
    doc["agreements"][0]["versions"].as_array_mut().unwrap().push(second);
    let err = refused(&env, &doc);
    assert!(err.contains("first terms"), "{err}");
}

#[test]
fn a_past_status_change_is_refused() {
    let env = base();
    let mut doc = export(&env);
    doc["agreements"][0]["statuses"] = json!([{"uuid": uuid(3), "status": "retired",
        "effective": "2026-10-01T00:00:00+00:00", "created": "2026-11-23T17:00:00+00:00"}]);
    let err = refused(&env, &doc);
    assert!(err.contains("statuses[0]") && err.contains("before it was made"), "{err}");
}

#[test]
fn an_existing_uuid_with_different_content_is_refused_and_named() {
    let env = base();
    for (path, value) in [
        ("/entries/0/outcome", json!("broken")),
        ("/entries/0/at", json!("2026-10-11T10:00:00+00:00")),
        ("/entries/0/note", json!("rewritten")),
        ("/agreements/0/text", json!("Something else")),
        ("/agreements/0/starts", json!("2026-08-01T00:00:00+00:00")),
        ("/agreements/1/versions/0/terms", json!("every sat 19:00")),
    ] {
        let mut doc = export(&env);
        *doc.pointer_mut(path).unwrap() = value;
        let err = refused(&env, &doc);
        assert!(err.contains("already here") && err.contains("uuid"), "{path}: {err}");
    }
}

#[test]
fn upper_case_uuids_are_the_same_facts() {
    let env = base();
    let doc = export(&env);
    let mut up = doc.clone();
    let re_up = |v: &mut Value| {
        if let Some(s) = v.as_str() {
            *v = Value::String(s.to_uppercase());
        }
    };
    for a in up["agreements"].as_array_mut().unwrap() {
        re_up(&mut a["uuid"]);
        for v in a["versions"].as_array_mut().unwrap() {
            re_up(&mut v["uuid"]);
        }
    }
    for e in up["entries"].as_array_mut().unwrap() {
        re_up(&mut e["uuid"]);
        re_up(&mut e["agreement"]);
    }
    let before = env.dump();
    let f = write(&env, "up.json", &up);
    let out = env.json(&["import", &f]);
    assert_eq!(out["new"], 0, "{out}");
    assert_eq!(before, env.dump());
}

#[test]
fn facts_the_command_line_would_refuse_are_refused() {
    let env = base();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/entries/0/at", json!("2026-08-01T10:00:00+00:00"), "before the promise started"),
        ("/entries/0/logged_at", json!("2026-10-01T10:00:00+00:00"), "still in the future"),
        ("/entries/0/logged_at", json!("2099-10-01T10:00:00+00:00"), "in the future"),
        ("/agreements/0/versions/0/effective", json!("2026-08-01T00:00:00+00:00"), "before the promise starts"),
        ("/agreements/2/versions/0/terms", json!("by 2026-10-01"), "deadline"),
        ("/agreements/0/created", json!("2099-01-01T00:00:00+00:00"), "future"),
    ];
    for (path, value, why) in cases {
        // Into a fresh ledger, so nothing is "already here".
        let fresh = TestEnv::berlin();
        fresh.ok(&["init"]);
        let mut doc = export(&env);
        *doc.pointer_mut(path).unwrap() = value;
        let f = write(&fresh, "bad.json", &doc);
        let err = fresh.fails(2, &["import", &f]);
        assert!(err.contains(why), "{path}: expected \"{why}\" in {err}");
    }
}

#[test]
fn an_entry_after_the_promise_ended_is_refused() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Trial month", "--terms", "1/week", "--starts", "2026-10-01", "--ends", "2026-10-31"]);
    let mut doc = export(&env);
    doc["entries"] = json!([{"uuid": uuid(4), "agreement": doc["agreements"][0]["uuid"], "outcome": "kept",
        "at": "2026-11-02T10:00:00+00:00", "note": null, "logged_by": "me", "logged_at": "2026-11-02T10:00:00+00:00",
        "void": null}]);
    let fresh = TestEnv::berlin();
    fresh.ok(&["init"]);
    let f = write(&fresh, "late.json", &doc);
    let err = fresh.fails(2, &["import", &f]);
    assert!(err.contains("ended"), "{err}");
}

#[test]
fn honest_offline_combinations_are_stored() {
    let env = base();
    let mut doc = export(&env);
    let weekends = doc["agreements"][0]["uuid"].clone();
    // The other device retired the promise; this one logged an entry after that.
    doc["agreements"][0]["statuses"] = json!([{"uuid": uuid(5), "status": "retired",
        "effective": "2026-11-23T17:00:00+00:00", "created": "2026-11-23T17:00:00+00:00"}]);
    doc["entries"].as_array_mut().unwrap().push(json!({"uuid": uuid(6), "agreement": weekends, "outcome": "kept",
        "at": "2026-11-23T17:02:00+00:00", "note": null, "logged_by": "Sam",
        "logged_at": "2026-11-23T17:02:00+00:00", "void": null}));
    // Both devices voided the same entry.
    doc["entries"][0]["void"] = json!([
        {"uuid": uuid(7), "reason": "dup", "at": "2026-11-23T17:01:00+00:00"},
        {"uuid": uuid(8), "reason": "dup too", "at": "2026-11-23T17:03:00+00:00"}]);
    let f = write(&env, "honest.json", &doc);
    let out = env.json(&["import", &f]);
    assert_eq!(out["entries"], 1, "{out}");
    // Importing the same again changes nothing.
    let before = env.dump();
    env.json(&["import", &f]);
    assert_eq!(before, env.dump());
}

#[test]
fn a_forty_character_slug_that_clashes_gets_a_suffix_that_fits() {
    let slug = "a".repeat(40);
    let a = TestEnv::berlin();
    a.ok(&["promise", "Long one", "--slug", &slug]);
    let doc = export(&a);
    let b = TestEnv::berlin();
    b.ok(&["promise", "Mine", "--slug", &slug]);
    let f = write(&b, "long.json", &doc);
    let out = b.json(&["import", &f]);
    let to = out["renamed"][0]["to"].as_str().unwrap();
    assert!(to.len() <= 40 && to.ends_with("-2"), "{to}");
}

#[test]
fn values_valid_only_after_trimming_are_stored_trimmed() {
    let a = base();
    let mut doc = export(&a);
    doc["agreements"][0]["by"] = Value::String(format!(" {} ", "x".repeat(60)));
    doc["entries"][0]["logged_by"] = Value::String("  Alex  ".into());
    let b = TestEnv::berlin();
    let f = write(&b, "trim.json", &doc);
    b.ok(&["import", &f]);
    let list = b.json(&["list"]);
    assert_eq!(list[0]["by"], "x".repeat(60));
}

#[test]
fn the_demo_and_every_export_import_again() {
    let env = TestEnv::berlin();
    let demo = env.path("demo.db");
    env.ok(&["demo", "--db", demo.to_str().unwrap()]);
    let mut c = env.command();
    c.env("TROTH_DB", &demo);
    let out = c.args(["export"]).output().unwrap();
    assert!(out.status.success());
    let f = env.path("demo.json");
    std::fs::write(&f, &out.stdout).unwrap();
    let r = env.json(&["import", f.to_str().unwrap()]);
    assert!(r["entries"].as_u64().unwrap() > 50, "{r}");
}

#[test]
fn nothing_troth_writes_lands_on_the_ledger() {
    let env = base();
    let db = env.db.to_str().unwrap().to_string();
    let dir = env.db.parent().unwrap();
    std::os::unix::fs::symlink(&env.db, env.path("link.json")).unwrap();
    std::fs::hard_link(&env.db, env.path("hard.json")).unwrap();
    let targets = vec![
        db.clone(),
        format!("{db}-wal"),
        format!("{db}-shm"),
        format!("{db}.bak-v1"),
        dir.join("../ledger/troth.db").to_str().unwrap().to_string(),
        env.path("link.json").to_str().unwrap().to_string(),
        env.path("hard.json").to_str().unwrap().to_string(),
    ];
    for t in &targets {
        for args in [
            vec!["export", "-o", t],
            vec!["export", "--format", "csv", "-o", t],
            vec!["export", "--format", "ics", "-o", t],
            vec!["trend", "--svg", t],
            vec!["report", "--format", "html", "-o", t],
        ] {
            let err = env.fails(2, &args);
            assert!(err.contains("will not write over it"), "{args:?}: {err}");
        }
    }
    assert!(env.json(&["list"]).as_array().unwrap().len() == 3);
}

#[test]
fn exports_and_charts_are_private_whether_or_not_the_file_existed() {
    let env = base();
    for (args, name) in [(vec!["export", "-o"], "e.json"), (vec!["trend", "--svg"], "t.svg")] {
        let p = env.path(name);
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut a = args.clone();
        a.push(p.to_str().unwrap());
        env.ok(&a);
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600, "{name}");
        assert_ne!(std::fs::read_to_string(&p).unwrap(), "old");
    }
}

/// Import contradictions, table-driven: each is refused whole (exit 2, one
/// `error:` line naming where, nothing changed).
#[test]
fn the_corpus_of_import_contradictions() {
    let env = base();
    let good = export(&env);
    let e0 = good["entries"][0].clone();
    let a0 = good["agreements"][0]["uuid"].clone();
    type Edit = Box<dyn Fn(&mut Value)>;
    let set = |path: &'static str, v: Value| -> Edit {
        Box::new(move |d: &mut Value| *d.pointer_mut(path).unwrap() = v.clone())
    };
    let push_entry =
        |e: Value| -> Edit { Box::new(move |d: &mut Value| d["entries"].as_array_mut().unwrap().push(e.clone())) };
    let mut dup = e0.clone();
    dup["note"] = "the same uuid, other words".into();
    let mut upper = e0.clone();
    upper["uuid"] = e0["uuid"].as_str().unwrap().to_uppercase().into();
    upper["outcome"] = "broken".into();
    let new_entry = |at: &str, logged: &str| {
        json!({"uuid": uuid(9), "agreement": a0, "outcome": "kept", "at": at, "note": null,
               "logged_by": "Alex", "logged_at": logged, "void": null})
    };
    let cases: Vec<(&str, Edit)> = vec![
        ("entries[0].uuid", set("/entries/0/uuid", json!("not-a-uuid"))),
        ("entries[0].agreement", set("/entries/0/agreement", json!("zzz"))),
        ("neither the file nor this ledger", set("/entries/0/agreement", json!(uuid(8)))),
        ("entries[0].outcome", set("/entries/0/outcome", json!("forgotten"))),
        ("entries[0].at", set("/entries/0/at", json!("yesterday"))),
        ("entries[0].at", set("/entries/0/at", json!("3026-01-01T00:00:00+00:00"))),
        ("entries[0].note", set("/entries/0/note", json!("n".repeat(4001)))),
        ("entries[0].note", set("/entries/0/note", json!("bell \u{7}"))),
        ("entries[0].logged_by", set("/entries/0/logged_by", json!(""))),
        ("entries[0].logged_by", set("/entries/0/logged_by", json!("x".repeat(61)))),
        ("already here", set("/entries/0/logged_by", json!("Sam"))),
        ("already here", push_entry(dup)),
        ("already here", push_entry(upper)),
        ("before the promise started", push_entry(new_entry("2026-08-01T00:00:00+00:00", "2026-11-23T17:00:00+00:00"))),
        ("still in the future", push_entry(new_entry("2026-11-23T16:00:00+00:00", "2026-11-23T15:00:00+00:00"))),
        ("in the future", push_entry(new_entry("2026-11-23T16:00:00+00:00", "2027-11-23T15:00:00+00:00"))),
        ("void", set("/entries/0/void", json!({"uuid": uuid(7), "reason": null, "at": "2026-01-01T00:00:00+00:00"}))),
        ("future", set("/entries/0/void", json!({"uuid": uuid(7), "reason": null, "at": "2099-01-01T00:00:00+00:00"}))),
        (
            "void.reason",
            set(
                "/entries/0/void",
                json!({"uuid": uuid(7), "reason": "r".repeat(4001), "at": "2026-11-23T17:00:00+00:00"}),
            ),
        ),
        ("agreements[0].slug", set("/agreements/0/slug", json!("Bad Slug"))),
        ("agreements[0].slug", set("/agreements/0/slug", json!("12345"))),
        ("agreements[0].slug", set("/agreements/0/slug", json!("s".repeat(41)))),
        ("agreements[0].text", set("/agreements/0/text", json!("t".repeat(501)))),
        ("agreements[0].text", set("/agreements/0/text", json!("   "))),
        ("agreements[0].by", set("/agreements/0/by", json!(""))),
        ("agreements[0].zone", set("/agreements/0/zone", json!("Mars/Olympus"))),
        ("agreements[0].zone", set("/agreements/0/zone", json!("CET-1CEST"))),
        ("agreements[0].ends", set("/agreements/0/ends", json!("2026-01-01T00:00:00+00:00"))),
        ("agreements[0].remind", set("/agreements/0/remind", json!("000001w000001d000001h"))),
        ("agreements[0].remind", set("/agreements/0/remind", json!("soon"))),
        ("agreements[0].versions", set("/agreements/0/versions", json!([]))),
        ("agreements[0].versions[0].terms", set("/agreements/0/versions/0/terms", json!("every friday 19:00"))),
        ("agreements[0].versions[0].unit", set("/agreements/0/versions/0/unit", json!("u".repeat(41)))),
        ("already here", set("/agreements/0/versions/0/unit", json!("hugs"))),
        ("already here", set("/agreements/0/created", json!("2026-11-23T16:00:00+00:00"))),
        (
            "agreements[0].statuses[0].status",
            set(
                "/agreements/0/statuses",
                json!([{"uuid": uuid(6), "status": "gone",
            "effective": "2026-11-23T17:00:00+00:00", "created": "2026-11-23T17:00:00+00:00"}]),
            ),
        ),
        (
            "future",
            set(
                "/agreements/0/statuses",
                json!([{"uuid": uuid(6), "status": "paused",
            "effective": "2099-11-23T17:00:00+00:00", "created": "2099-11-23T17:00:00+00:00"}]),
            ),
        ),
        ("settings.trust.gain", set("/settings", json!({"trust.gain": "7"}))),
        ("settings.trust.gain", set("/settings", json!({"trust.gain": "1e-300"}))),
        ("settings.colour", set("/settings", json!({"colour": "red"}))),
        ("format", set("/format", json!("other"))),
        ("version", set("/version", json!(0))),
        ("newer troth", set("/version", json!(2))),
        (
            "reminders[0].agreement",
            set(
                "/reminders",
                json!([{"uuid": uuid(5), "agreement": "nope",
            "slot_start": "2026-11-01T00:00:00+00:00", "claimed": "2026-11-23T17:00:00+00:00", "result": null}]),
            ),
        ),
        (
            "reminders[0].result",
            set(
                "/reminders",
                json!([{"uuid": uuid(5), "agreement": a0,
            "slot_start": "2026-11-01T00:00:00+00:00", "claimed": "2026-11-23T17:00:00+00:00",
            "result": {"uuid": uuid(4), "outcome": "sent", "detail": null, "at": "2026-11-01T00:00:00+00:00"}}]),
            ),
        ),
        ("unknown field", Box::new(|d: &mut Value| d["entries"][0]["extra"] = json!(1))),
    ];
    let n = cases.len();
    for (why, edit) in cases {
        let mut doc = good.clone();
        edit(&mut doc);
        let err = refused(&env, &doc);
        assert!(err.contains(why), "expected \"{why}\" in: {err}");
    }
    assert!(n >= 45, "{n} cases");
}
