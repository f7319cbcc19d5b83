//! The JSON contract of docs/cli.md, field by field: a two-person ledger
//! built with the real binary (every terms kind; kept, broken, excused,
//! voided and late-excused entries; a verdict each way, a repair of an
//! entry and of a missed slot, one accepted with `--as`), then every command
//! that takes `--json`, checked for the names, JSON types, enum values,
//! null-versus-absent, 4-decimal numbers in [0, 1] and RFC 3339 times at
//! the offset of the zone they belong to (`+00:00`, never `Z`). Fields may
//! be added; these may never go missing or change type.

mod check;
mod report;
mod sync;

use crate::support::TestEnv;
use check::*;
use serde_json::Value;

fn at(env: &mut TestEnv, now: &str) {
    env.set_now(now);
}

pub const NOW: &str = "2026-11-23T18:00:00+01:00";

/// Alex and Sam's ledger in Berlin: promised since August, used through
/// November, looked at on Monday 23 November 2026 at 18:00.
pub fn ledger() -> TestEnv {
    let mut env = TestEnv::new("Europe/Berlin", "2026-08-01T09:00:00+02:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let p = j(&env, &["promise", "Weekends away", "--terms", "2 weekends a month", "--slug", "weekends"]);
    promise(&p, "promise (quota)");
    assert_eq!((&p["kind"], &p["terms"], &p["unit"]), (&"quota".into(), &"2/month".into(), &"weekends".into()));
    assert_eq!(p["starts"], "2026-08-01T09:00:00+02:00");
    assert_eq!(
        (&p["trust"], &p["rate"], &p["pending"], &p["ends"]),
        (&0.5.into(), &Value::Null, &Value::Null, &Value::Null)
    );
    j(&env, &["promise", "Call mum", "--terms", "monthly on 1 09:00", "--slug", "mum"]);
    at(&mut env, "2026-11-01T09:00:00+01:00");
    let p = j(&env, &["promise", "Date night", "--terms", "every fri,mon 19:00", "--slug", "date-night"]);
    promise(&p, "promise (schedule)");
    assert_eq!(
        (&p["kind"], &p["terms"], &p["unit"]),
        (&"schedule".into(), &"every mon,fri 19:00".into(), &Value::Null)
    );
    let p = j(&env, &["promise", "Fix the shelf", "--terms", "by 2026-11-20 18:00", "--slug", "shelf"]);
    assert_eq!((&p["kind"], &p["terms"]), (&"deadline".into(), &"by 2026-11-20 18:00".into()));
    let p = j(&env, &["promise", "Be kind", "--terms", "standing", "--slug", "kind", "--by", "partner", "--to", "me"]);
    assert_eq!(
        (&p["kind"], &p["by"], &p["to"], &p["remind"]),
        (&"standing".into(), &"Sam".into(), &"Alex".into(), &Value::Null)
    );
    let p = j(
        &env,
        &["promise", "Call at nine", "--terms", "every day 21:00", "--slug", "nyc", "--zone", "America/New_York"],
    );
    promise(&p, "promise (New York)");
    assert_eq!(p["starts"], "2026-11-01T03:00:00-05:00");
    j(&env, &["promise", "Entered by mistake", "--slug", "oops"]);
    j(&env, &["promise", "Old habit", "--slug", "old", "--ends", "2026-12-31"]);
    at(&mut env, NOW);
    env.ok(&["kept", "weekends", "--at", "2026-08-08"]); // 1
    env.ok(&["kept", "weekends", "--at", "2026-09-12"]); // 2
    env.ok(&["kept", "date-night", "--at", "2026-11-16 19:00"]); // 3
    env.ok(&["broke", "date-night", "--at", "2026-11-20 19:00"]); // 4
    env.ok(&["kept", "shelf", "--at", "2026-11-19"]); // 5
    env.ok(&["kept", "kind", "--as", "partner", "--at", "2026-11-18"]); // 6
    env.ok(&["kept", "nyc", "--at", "2026-11-20 21:00"]); // 7
    env.ok(&["excuse", "date-night", "--note", "away"]); // 8: Friday 27th
    env.ok(&["kept", "mum", "--at", "2026-11-01"]); // 9
    env.ok(&["kept", "weekends", "--at", "2026-11-21"]); // 10, voided below
    // The oldest past-due slot nobody logged (mum, 1 August), excused late.
    let r = env.piped(&["review"], b"e\nq\n");
    assert_eq!(r.code, 0, "review: {}", r.stderr);
    env
}

#[test]
fn entries_verdicts_repairs_and_the_inbox_have_their_documented_shape() {
    let env = ledger();
    // kept / broke / excuse --json: the entry, in its agreement's zone.
    let mut env = env;
    at(&mut env, NOW);
    let e = j(&env, &["kept", "nyc", "--at", "2026-11-22 21:00", "--note", "called"]);
    entry(&e, "kept --json");
    assert_eq!(
        (&e["outcome"], &e["at"], &e["note"], &e["by"], &e["void"]),
        (&"kept".into(), &"2026-11-22T21:00:00-05:00".into(), &"called".into(), &"Alex".into(), &false.into())
    );
    assert_eq!((&e["verdict"], &e["counts"], &e["why"]), (&Value::Null, &true.into(), &Value::Null));
    let e = j(&env, &["broke", "nyc", "--at", "2026-11-21 21:00"]);
    entry(&e, "broke --json");
    assert_eq!(e["outcome"], "broken");
    let e = j(&env, &["broken", "date-night", "--at", "2026-11-13 19:00"]);
    assert_eq!(e["outcome"], "broken");
    let e = j(&env, &["excuse", "nyc"]);
    entry(&e, "excuse --json");
    assert_eq!(e["outcome"], "excused");
    in_zone(&e["at"], "America/New_York");

    // The partner's voice, with --as on one shared ledger.
    let c = j(&env, &["confirm", "3", "--as", "partner", "--note", "lovely"]);
    entry(&c, "confirm --json");
    assert_eq!(c["verdict"], serde_json::json!({"verdict": "confirmed", "by": "Sam", "note": "lovely", "at": NOW}));
    let d = j(&env, &["dispute", "9", "--as", "Sam", "--note", "you did not call"]);
    entry(&d, "dispute --json");
    assert_eq!(
        (&d["verdict"]["verdict"], &d["counts"], &d["why"]),
        (&"disputed".into(), &false.into(), &"disputed".into())
    );
    j(&env, &["confirm", "4", "--as", "partner"]);
    j(&env, &["confirm", "6"]);

    let r = j(
        &env,
        &["repair", "4", "--understood", "you waited", "--feeling", "sad", "--apology", "sorry", "--plan", "an alarm"],
    );
    repair(&r, "repair ENTRY --json");
    let entry4 = &j(&env, &["log", "date-night"]).as_array().unwrap().iter().find(|e| e["id"] == 4).unwrap().clone();
    assert_eq!(
        (&r["entry"], &r["slot"], &r["by"], &r["accepted"]),
        (&entry4["uuid"], &Value::Null, &"Alex".into(), &Value::Null)
    );
    assert_eq!(
        (&r["understood"], &r["feeling"], &r["apology"], &r["plan"]),
        (&"you waited".into(), &"sad".into(), &"sorry".into(), &"an alarm".into())
    );
    let s = j(
        &env,
        &["repair", "date-night", "--slot", "2026-11-09 19:00", "--understood", "I forgot", "--apology", "sorry"],
    );
    repair(&s, "repair --slot --json");
    assert_eq!(
        (&s["entry"], &s["slot"], &s["feeling"], &s["plan"]),
        (&Value::Null, &"2026-11-09T00:00:00+01:00".into(), &Value::Null, &Value::Null)
    );
    let id = r["id"].as_i64().unwrap().to_string();
    let a = j(&env, &["accept", &id, "--as", "partner", "--note", "thank you"]);
    repair(&a, "accept --json");
    assert_eq!(a["accepted"], serde_json::json!({"by": "Sam", "note": "thank you", "at": NOW}));

    // A repair is the same object in accept, show and inbox.
    let shown = j(&env, &["show", "date-night"]);
    let find = |list: &Value, id: &Value| arr(list).iter().find(|r| &r["id"] == id).cloned();
    assert_eq!(find(&shown["repairs"], &a["id"]).as_ref(), Some(&a), "accept --json and show repairs");
    assert_eq!(find(&shown["repairs"], &s["id"]).as_ref(), Some(&s), "repair --json and show repairs");
    assert_eq!(find(&j(&env, &["inbox"])["repairs_waiting"], &s["id"]).as_ref(), Some(&s), "repair --json and inbox");

    let v = j(&env, &["void", "10", "--reason", "typed twice"]);
    entry(&v, "void --json");
    assert_eq!((&v["void"], &v["counts"], &v["why"]), (&true.into(), &false.into(), &"void".into()));
    log_and_inbox(&env, &v);
}

/// `log` and `inbox` on the ledger of the test above, after its verdicts,
/// repairs and the void of entry 10 (`voided`: what `void --json` printed).
fn log_and_inbox(env: &TestEnv, v: &Value) {
    // log: void entries only with --all; each element an entry.
    let log = j(env, &["log"]);
    assert!(arr(&log).iter().all(|e| e["void"] == false), "log without --all shows a void entry");
    let all = j(env, &["log", "--all"]);
    assert_eq!(arr(&all).len(), arr(&log).len() + 1);
    for e in arr(&all) {
        entry(e, "log --all --json");
        let zone = if e["agreement"] == "nyc" { "America/New_York" } else { "Europe/Berlin" };
        in_zone(&e["at"], zone);
    }
    let late = arr(&all).iter().find(|e| e["why"] == "late excuse not confirmed").expect("the late excuse from review");
    assert_eq!(
        (&late["agreement"], &late["outcome"], &late["counts"]),
        (&"mum".into(), &"excused".into(), &false.into())
    );
    let since = j(env, &["log", "--since", "2026-11-20", "--until", "2026-11-21"]);
    assert!(arr(&since).iter().all(|e| e["at"].as_str().unwrap() >= "2026-11-20"), "{since}");

    // inbox, for each of the two.
    let keys = [
        ("to_confirm", T::Arr),
        ("disputes", T::Arr),
        ("late_excuses", T::Arr),
        ("repairs_offered", T::Arr),
        ("repairs_waiting", T::Arr),
        ("duplicates", T::Arr),
    ];
    for who in ["me", "partner"] {
        let inbox = j(env, &["inbox", "--as", who]);
        has(&inbox, "inbox --json", &keys);
        for k in ["to_confirm", "disputes", "late_excuses"] {
            arr(&inbox[k]).iter().for_each(|e| entry(e, &format!("inbox {k}")));
        }
        for k in ["repairs_offered", "repairs_waiting"] {
            arr(&inbox[k]).iter().for_each(|r| repair(r, &format!("inbox {k}")));
        }
        for pair in arr(&inbox["duplicates"]) {
            assert_eq!(arr(pair).len(), 2, "a duplicate is a pair: {pair}");
            arr(pair).iter().for_each(|e| entry(e, "inbox duplicates"));
        }
        assert_eq!(arr(&inbox["disputes"]).len(), 1, "inbox --as {who}: {inbox}");
    }
    // An entry is the same object wherever it is printed.
    for who in ["me", "partner"] {
        let inbox = j(env, &["inbox", "--as", who]);
        for k in ["to_confirm", "disputes", "late_excuses"] {
            for e in arr(&inbox[k]) {
                let same = arr(&all).iter().find(|l| l["uuid"] == e["uuid"]).unwrap();
                assert_eq!(e, same, "inbox {k} and log --all --json");
            }
        }
    }
    let shown = j(env, &["show", "date-night"]);
    for e in arr(&shown["entries"]) {
        let same = arr(&all).iter().find(|l| l["uuid"] == e["uuid"]).unwrap();
        assert_eq!(e, same, "show entries and log --all --json");
    }
    let voided = arr(&all).iter().find(|l| l["id"] == 10).unwrap();
    for (k, val) in voided.as_object().unwrap() {
        assert_eq!(&v[k], val, "void --json and log --all --json disagree on `{k}`");
    }
    let sam = j(env, &["inbox", "--as", "partner"]);
    assert_eq!(arr(&sam["late_excuses"]).len(), 1, "{sam}");
    assert_eq!(arr(&sam["repairs_offered"]).len(), 1, "the slot repair, not yet accepted: {sam}");
    let alex = j(env, &["inbox"]);
    assert_eq!(arr(&alex["repairs_waiting"]).len(), 1, "{alex}");
    assert!(arr(&alex["to_confirm"]).iter().all(|e| e["by"] == "Sam"), "{alex}");
}

#[test]
fn promises_list_show_and_the_changes_to_them_have_their_documented_shape() {
    let env = ledger();
    let list = j(&env, &["list"]);
    // The list cache changes nothing (docs/cli.md, TROTH_NO_CACHE).
    assert_eq!(j(&env, &["list"]), list, "list --json from its cache");
    let mut nocache = TestEnv::new("Europe/Berlin", NOW);
    nocache.db = env.db.clone();
    nocache.extra.push(("TROTH_NO_CACHE".into(), "1".into()));
    assert_eq!(j(&nocache, &["list"]), list, "list --json with TROTH_NO_CACHE=1");
    for p in arr(&list) {
        promise(p, "list --json");
    }
    let slugs = |v: &Value| arr(v).iter().map(|p| p["slug"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert!(slugs(&list).contains(&"oops".to_string()));
    let shelf = arr(&list).iter().find(|p| p["slug"] == "shelf").unwrap();
    assert_eq!((&shelf["done"], &shelf["status"]), (&true.into(), &"active".into()), "a finished deadline: {shelf}");
    let nyc = arr(&list).iter().find(|p| p["slug"] == "nyc").unwrap();
    assert_eq!(nyc["zone"], "America/New_York");
    let old = arr(&list).iter().find(|p| p["slug"] == "old").unwrap();
    assert_eq!(old["ends"], "2027-01-01T00:00:00+01:00", "--ends a date: the end of that day: {old}");

    // The changes print the promise, as one element of list --json.
    let a = j(
        &env,
        &["amend", "weekends", "--terms", "3 weekends a month", "--from", "2026-12-01", "--note", "more", "--anyway"],
    );
    promise(&a, "amend --json");
    assert_eq!((&a["terms"], &a["unit"]), (&"2/month".into(), &"weekends".into()), "terms in force now: {a}");
    assert_eq!(
        a["pending"],
        serde_json::json!({"terms": "3/month", "status": null, "from": "2026-12-01T00:00:00+01:00"})
    );
    let listed = j(&env, &["list"]);
    assert_eq!(arr(&listed).iter().find(|p| p["slug"] == "weekends"), Some(&a), "amend --json and list --json");
    let p = j(&env, &["pause", "mum", "--note", "travel"]);
    promise(&p, "pause --json");
    let now_or_pending = |p: &Value, s: &str| p["status"] == s || p["pending"]["status"] == s;
    assert!(now_or_pending(&p, "paused"), "{p}");
    let r = j(&env, &["resume", "mum"]);
    promise(&r, "resume --json");
    let r = j(&env, &["retire", "old"]);
    promise(&r, "retire --json");
    assert!(now_or_pending(&r, "retired"), "{r}");
    let v = j(&env, &["void", "--agreement", "oops", "--reason", "mistake"]);
    promise(&v, "void --agreement --json");

    let list = j(&env, &["list"]);
    let all = j(&env, &["list", "--all"]);
    assert!(!slugs(&list).contains(&"oops".to_string()), "a voided promise is in list: {list}");
    assert!(slugs(&all).contains(&"oops".to_string()) && slugs(&all).contains(&"old".to_string()), "{all}");
    arr(&all).iter().for_each(|p| promise(p, "list --all --json"));

    // show: the same object with more fields.
    for slug in ["weekends", "date-night", "shelf", "kind", "nyc", "mum"] {
        let s = j(&env, &["show", slug]);
        promise(&s, "show --json");
        let same = arr(&all).iter().find(|p| p["slug"] == slug).unwrap();
        for (k, v) in same.as_object().unwrap() {
            assert_eq!(&s[k], v, "show {slug} --json and list --json disagree on `{k}`");
        }
        has(
            &s,
            "show --json",
            &[
                ("versions", T::Arr),
                ("statuses", T::Arr),
                ("slots", T::Arr),
                ("events", T::Arr),
                ("entries", T::Arr),
                ("repairs", T::Arr),
            ],
        );
        let zone = s["zone"].as_str().unwrap();
        for v in arr(&s["versions"]) {
            has(v, "show versions", &[("terms", T::Str), ("note", T::StrN)]);
        }
        for st in arr(&s["statuses"]) {
            has(st, "show statuses", &[("status", T::OneOf(STATUSES)), ("note", T::StrN)]);
        }
        for ev in arr(&s["events"]) {
            has(ev, "show events", &[("at", T::Time), ("event", T::Str), ("before", T::Frac), ("after", T::Frac)]);
        }
        arr(&s["entries"]).iter().for_each(|e| entry(e, "show entries"));
        arr(&s["repairs"]).iter().for_each(|r| repair(r, "show repairs"));
        for sl in arr(&s["slots"]) {
            in_zone(&sl["start"], zone);
        }
    }
    let w = j(&env, &["show", "weekends"]);
    assert_eq!(arr(&w["versions"]).last().unwrap()["note"], "more");
    let m = j(&env, &["show", "mum"]);
    assert!(arr(&m["statuses"]).iter().any(|s| s["note"] == "travel"), "{m}");
}

#[test]
fn an_accepted_repair_is_an_event_of_show_and_talk_in_the_report() {
    let env = ledger();
    j(&env, &["confirm", "4", "--as", "partner"]);
    let r = j(&env, &["repair", "4", "--understood", "you waited", "--apology", "sorry"]);
    let id = r["id"].as_i64().unwrap().to_string();
    j(&env, &["accept", &id, "--as", "partner"]);
    j(&env, &["dispute", "9", "--as", "partner", "--note", "no call"]);
    let s = j(&env, &["show", "date-night"]);
    let ev = arr(&s["events"])
        .iter()
        .find(|e| e["event"] == "repair accepted")
        .unwrap_or_else(|| panic!("no `repair accepted` event: {s}"));
    assert!(ev["after"].as_f64() > ev["before"].as_f64(), "{ev}");
    assert_eq!(arr(&s["repairs"]).len(), 1);
    assert_eq!(arr(&s["repairs"])[0]["accepted"]["by"], "Sam");

    let rep = j(&env, &["report", "--week", "this"]);
    let talk = arr(&rep["talk"]);
    for t in talk {
        has(
            t,
            "report talk",
            &[
                ("kind", T::OneOf(&["dispute", "late_excuse", "repair_offered", "repair_accepted"])),
                ("agreement", T::Str),
                ("entry", T::ObjN),
                ("repair", T::ObjN),
            ],
        );
        if !t["entry"].is_null() {
            entry(&t["entry"], "talk entry");
        }
        if !t["repair"].is_null() {
            repair(&t["repair"], "talk repair");
        }
    }
    let kinds: Vec<&str> = talk.iter().map(|t| t["kind"].as_str().unwrap()).collect();
    for k in ["dispute", "late_excuse", "repair_accepted"] {
        assert!(kinds.contains(&k), "report talk lacks {k}: {kinds:?}");
    }
}
