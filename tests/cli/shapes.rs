//! The JSON contract of docs/cli.md, field by field: a two-person ledger
//! built with the real binary (every terms kind; kept, broken, excused,
//! voided and late-excused entries; a verdict each way, a repair of an
//! entry and of a missed slot, one accepted with `--as`), then every command
//! that takes `--json`, checked for the names, JSON types, enum values,
//! null-versus-absent, 4-decimal numbers in [0, 1] and RFC 3339 times at
//! the offset of the zone they belong to (`+00:00`, never `Z`). Fields may
//! be added; these may never go missing or change type.

use crate::support::{Run, TestEnv};
use chrono::{DateTime, FixedOffset, Offset, TimeZone};
use serde_json::Value;

const UUID: &str = "uuid";

/// What a field must hold.
#[derive(Clone, Copy)]
enum T {
    Int,
    Count,
    Str,
    StrN,
    Uuid,
    UuidN,
    Time,
    TimeN,
    /// A trust value or rate: a number in [0, 1] with at most 4 decimals.
    Frac,
    FracN,
    /// A trust change: a number in [-1, 1] with at most 4 decimals.
    Change,
    Bool,
    Arr,
    ObjN,
    OneOf(&'static [&'static str]),
    OneOfN(&'static [&'static str]),
}

fn four_places(x: f64) -> bool {
    ((x * 10_000.0).round() / 10_000.0 - x).abs() < 1e-12
}

/// An RFC 3339 time as troth writes it: seconds, no fraction, a numeric
/// offset (UTC as `+00:00`).
fn time_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 25
        && (b[19] == b'+' || b[19] == b'-')
        && b[10] == b'T'
        && !s.contains('Z')
        && DateTime::parse_from_rfc3339(s).is_ok()
}

fn type_ok(v: &Value, t: T) -> bool {
    match t {
        T::Int => v.is_i64(),
        T::Count => v.is_u64(),
        T::Str => v.as_str().is_some_and(|s| !s.is_empty()),
        T::StrN => v.is_null() || v.is_string(),
        T::Uuid => v.as_str().is_some_and(|s| s.len() == 36 && s.matches('-').count() == 4),
        T::UuidN => v.is_null() || type_ok(v, T::Uuid),
        T::Time => v.as_str().is_some_and(time_ok),
        T::TimeN => v.is_null() || type_ok(v, T::Time),
        T::Frac => v.as_f64().is_some_and(|x| (0.0..=1.0).contains(&x) && four_places(x)),
        T::FracN => v.is_null() || type_ok(v, T::Frac),
        T::Change => v.as_f64().is_some_and(|x| (-1.0..=1.0).contains(&x) && four_places(x)),
        T::Bool => v.is_boolean(),
        T::Arr => v.is_array(),
        T::ObjN => v.is_null() || v.is_object(),
        T::OneOf(vals) => v.as_str().is_some_and(|s| vals.contains(&s)),
        T::OneOfN(vals) => v.is_null() || type_ok(v, T::OneOf(vals)),
    }
}

/// Every field of `spec` is present in `v` (an object) with its type.
fn has(v: &Value, what: &str, spec: &[(&str, T)]) {
    let obj = v.as_object().unwrap_or_else(|| panic!("{what}: not an object: {v}"));
    for (name, t) in spec {
        let field = obj.get(*name).unwrap_or_else(|| panic!("{what}: no field `{name}` in {v}"));
        let want = match t {
            T::OneOf(vals) | T::OneOfN(vals) => format!("one of {vals:?}"),
            T::Frac | T::FracN => "a number in [0, 1] with 4 decimals at most".into(),
            _ => String::new(),
        };
        assert!(type_ok(field, *t), "{what}: `{name}` has the wrong type {want}: {field}\nin {v}");
    }
}

/// `s` (an RFC 3339 time) carries the offset `zone` has at that instant.
fn in_zone(s: &Value, zone: &str) {
    let s = s.as_str().unwrap_or_else(|| panic!("not a time: {s}"));
    let t = DateTime::parse_from_rfc3339(s).unwrap();
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    let want: FixedOffset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    assert_eq!(*t.offset(), want, "{s} is not at {zone}'s offset");
}

const KINDS: &[&str] = &["quota", "schedule", "deadline", "standing"];
const STATUSES: &[&str] = &["active", "paused", "retired"];
const OUTCOMES: &[&str] = &["kept", "broken", "excused"];
const VERDICTS: &[&str] = &["confirmed", "disputed"];

fn promise_spec() -> Vec<(&'static str, T)> {
    vec![
        ("id", T::Int),
        (UUID, T::Uuid),
        ("slug", T::Str),
        ("text", T::Str),
        ("by", T::Str),
        ("to", T::Str),
        ("kind", T::OneOf(KINDS)),
        ("terms", T::Str),
        ("unit", T::StrN),
        ("zone", T::Str),
        ("starts", T::Time),
        ("ends", T::TimeN),
        ("status", T::OneOf(STATUSES)),
        ("remind", T::StrN),
        ("trust", T::Frac),
        ("rate", T::FracN),
        ("pending", T::ObjN),
        ("done", T::Bool),
    ]
}

fn promise(v: &Value, what: &str) {
    has(v, what, &promise_spec());
    let zone = v["zone"].as_str().unwrap();
    in_zone(&v["starts"], zone);
    if !v["pending"].is_null() {
        has(&v["pending"], what, &[("terms", T::StrN), ("status", T::OneOfN(STATUSES)), ("from", T::Time)]);
        in_zone(&v["pending"]["from"], zone);
    }
}

fn entry(v: &Value, what: &str) {
    has(
        v,
        what,
        &[
            ("id", T::Int),
            (UUID, T::Uuid),
            ("agreement", T::Str),
            ("outcome", T::OneOf(OUTCOMES)),
            ("at", T::Time),
            ("note", T::StrN),
            ("by", T::Str),
            ("void", T::Bool),
            ("device", T::Uuid),
            ("verdict", T::ObjN),
            ("counts", T::Bool),
            ("why", T::StrN),
        ],
    );
    if !v["verdict"].is_null() {
        has(
            &v["verdict"],
            what,
            &[("verdict", T::OneOf(VERDICTS)), ("by", T::Str), ("note", T::StrN), ("at", T::Time)],
        );
    }
    // `why` says why it does not count, and only then.
    assert_eq!(v["counts"].as_bool().unwrap(), v["why"].is_null(), "{what}: counts and why disagree: {v}");
}

fn repair(v: &Value, what: &str) {
    has(
        v,
        what,
        &[
            ("id", T::Int),
            (UUID, T::Uuid),
            ("agreement", T::Str),
            ("entry", T::UuidN),
            ("slot", T::TimeN),
            ("by", T::Str),
            ("understood", T::Str),
            ("feeling", T::StrN),
            ("apology", T::Str),
            ("plan", T::StrN),
            ("at", T::Time),
            ("accepted", T::ObjN),
        ],
    );
    assert!(v["entry"].is_null() != v["slot"].is_null(), "{what}: a repair is of an entry or of a slot: {v}");
    if !v["accepted"].is_null() {
        has(&v["accepted"], what, &[("by", T::Str), ("note", T::StrN), ("at", T::Time)]);
    }
}

fn due_item(v: &Value, what: &str) {
    has(v, what, &[("slug", T::Str), ("due", T::Time), ("remaining", T::Count), ("kind", T::OneOf(KINDS))]);
}

fn over(v: &Value, what: &str) {
    has(v, what, &[("agreements", T::Arr), ("people", T::Arr)]);
    for a in arr(&v["agreements"]) {
        has(
            a,
            what,
            &[
                ("slug", T::Str),
                ("by", T::Str),
                ("terms", T::Str),
                ("slots", T::Count),
                ("promised", T::Count),
                ("delivered", T::Count),
                ("rate", T::Frac),
                ("overpromised", T::Bool),
                ("suggested_terms", T::StrN),
            ],
        );
        assert!(a["slots"].as_u64().unwrap() >= 3, "{what}: fewer than 3 closed slots: {a}");
        if a["overpromised"] == false {
            assert!(a["suggested_terms"].is_null(), "{what}: a suggestion for one not over-promised: {a}");
        }
    }
    for p in arr(&v["people"]) {
        has(
            p,
            what,
            &[
                ("name", T::Str),
                ("promised", T::Count),
                ("delivered", T::Count),
                ("rate", T::Frac),
                ("overpromised", T::Bool),
            ],
        );
    }
}

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}"))
}

/// Run with `--json` appended: exit 0, stdout one JSON document and
/// nothing else.
fn j(env: &TestEnv, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let r: Run = env.run(&a);
    assert_eq!(r.code, 0, "troth {a:?}: exit {}\nstdout: {}\nstderr: {}", r.code, r.stdout, r.stderr);
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("troth {a:?}: stdout is not one JSON document ({e}):\n{}", r.stdout))
}

fn at(env: &mut TestEnv, now: &str) {
    env.set_now(now);
}

const NOW: &str = "2026-11-23T18:00:00+01:00";

/// Alex and Sam's ledger in Berlin: promised since August, used through
/// November, looked at on Monday 23 November 2026 at 18:00.
fn ledger() -> TestEnv {
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

    // log: void entries only with --all; each element an entry.
    let log = j(&env, &["log"]);
    assert!(arr(&log).iter().all(|e| e["void"] == false), "log without --all shows a void entry");
    let all = j(&env, &["log", "--all"]);
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
    let since = j(&env, &["log", "--since", "2026-11-20", "--until", "2026-11-21"]);
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
        let inbox = j(&env, &["inbox", "--as", who]);
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
        let inbox = j(&env, &["inbox", "--as", who]);
        for k in ["to_confirm", "disputes", "late_excuses"] {
            for e in arr(&inbox[k]) {
                let same = arr(&all).iter().find(|l| l["uuid"] == e["uuid"]).unwrap();
                assert_eq!(e, same, "inbox {k} and log --all --json");
            }
        }
    }
    let shown = j(&env, &["show", "date-night"]);
    for e in arr(&shown["entries"]) {
        let same = arr(&all).iter().find(|l| l["uuid"] == e["uuid"]).unwrap();
        assert_eq!(e, same, "show entries and log --all --json");
    }
    let voided = arr(&all).iter().find(|l| l["id"] == 10).unwrap();
    for (k, val) in voided.as_object().unwrap() {
        assert_eq!(&v[k], val, "void --json and log --all --json disagree on `{k}`");
    }
    let sam = j(&env, &["inbox", "--as", "partner"]);
    assert_eq!(arr(&sam["late_excuses"]).len(), 1, "{sam}");
    assert_eq!(arr(&sam["repairs_offered"]).len(), 1, "the slot repair, not yet accepted: {sam}");
    let alex = j(&env, &["inbox"]);
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

#[test]
fn reports_trends_overpromising_due_and_review_have_their_documented_shape() {
    let env = ledger();
    let rep = j(&env, &["report", "--week", "2026-W47"]);
    // Its parts are "as in" the commands that print them alone.
    assert_eq!(rep["upcoming"], j(&env, &["due"]), "report upcoming and due --json (7 days)");
    assert_eq!(rep["overpromising"], j(&env, &["overpromising"]), "report overpromising and overpromising --json");
    let log = j(&env, &["log", "--all"]);
    for e in arr(&rep["entries"]) {
        let same = arr(&log).iter().find(|l| l["uuid"] == e["uuid"]).unwrap_or_else(|| panic!("not in log --all: {e}"));
        assert_eq!(e, same, "a report entry and the same entry in log --json");
    }
    assert!(!arr(&rep["entries"]).is_empty());
    has(
        &rep,
        "report --json",
        &[
            ("week", T::Str),
            ("start", T::Time),
            ("end", T::Time),
            ("agreements", T::Arr),
            ("people", T::Arr),
            ("overall", T::ObjN),
            ("entries", T::Arr),
            ("overpromising", T::ObjN),
            ("upcoming", T::Arr),
            ("talk", T::Arr),
        ],
    );
    assert_eq!(
        (&rep["week"], &rep["start"], &rep["end"]),
        (&"2026-W47".into(), &"2026-11-16T00:00:00+01:00".into(), &"2026-11-23T00:00:00+01:00".into())
    );
    let counts = ["promised", "kept", "broken", "excused", "missed", "extra", "late"];
    for a in arr(&rep["agreements"]) {
        let mut spec: Vec<(&str, T)> = vec![
            ("slug", T::Str),
            ("by", T::Str),
            ("to", T::Str),
            ("open", T::ObjN),
            ("trust", T::Frac),
            ("trust_change", T::Change),
            ("rate", T::FracN),
        ];
        spec.extend(counts.iter().map(|c| (*c, T::Count)));
        has(a, "report agreements", &spec);
        if !a["open"].is_null() {
            has(&a["open"], "report open", &[("kept", T::Count), ("promised", T::Count), ("due", T::Time)]);
        }
    }
    let this = j(&env, &["report", "--week", "this"]);
    let open: Vec<&Value> = arr(&this["agreements"]).iter().filter(|a| !a["open"].is_null()).collect();
    assert!(!open.is_empty(), "this week has open slots: {this}");
    for p in arr(&rep["people"]) {
        has(
            p,
            "report people",
            &[
                ("name", T::Str),
                ("trust", T::Frac),
                ("trust_change", T::Change),
                ("rate", T::FracN),
                ("averages", T::Arr),
            ],
        );
        for a in arr(&p["averages"]) {
            has(a, "report averages", &[("slug", T::Str), ("trust", T::Frac)]);
        }
    }
    has(&rep["overall"], "report overall", &[("trust", T::Frac), ("trust_change", T::Change), ("rate", T::FracN)]);
    arr(&rep["entries"]).iter().for_each(|e| entry(e, "report entries"));
    over(&rep["overpromising"], "report overpromising");
    arr(&rep["upcoming"]).iter().for_each(|d| due_item(d, "report upcoming"));
    // --format json is --json, and --json wins over any other format.
    for args in [
        &["report", "--week", "2026-W47", "--format", "json"][..],
        &["report", "--week", "2026-W47", "--format", "csv", "--json"][..],
    ] {
        let out = env.ok(args);
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), rep, "troth {args:?}");
    }

    for (args, subject) in [
        (&["trend"][..], "overall"),
        (&["trend", "--by", "Alex"][..], "Alex"),
        (&["trend", "weekends"][..], "weekends"),
    ] {
        let t = j(&env, args);
        has(&t, "trend --json", &[("subject", T::Str), ("weeks", T::Arr)]);
        assert_eq!(t["subject"], subject);
        assert!(!arr(&t["weeks"]).is_empty());
        for w in arr(&t["weeks"]) {
            has(w, "trend weeks", &[("week", T::Str), ("trust", T::Frac)]);
            assert!(w["week"].as_str().unwrap().contains("-W"), "{w}");
        }
    }

    // A week's trust in trend is the report's figure for that week.
    let week47 = |t: &Value| arr(&t["weeks"]).iter().find(|w| w["week"] == "2026-W47").unwrap()["trust"].clone();
    assert_eq!(week47(&j(&env, &["trend"])), rep["overall"]["trust"], "trend and report, overall");
    let alex = arr(&rep["people"]).iter().find(|p| p["name"] == "Alex").unwrap();
    assert_eq!(week47(&j(&env, &["trend", "--by", "Alex"])), alex["trust"], "trend and report, Alex");
    for a in arr(&rep["agreements"]) {
        let slug = a["slug"].as_str().unwrap();
        assert_eq!(week47(&j(&env, &["trend", slug])), a["trust"], "trend and report, {slug}");
    }

    let o = j(&env, &["overpromising"]);
    over(&o, "overpromising --json");
    assert!(!arr(&o["agreements"]).is_empty() && !arr(&o["people"]).is_empty(), "{o}");

    let due = j(&env, &["due", "--within", "14d"]);
    assert!(!arr(&due).is_empty());
    let mut last = i64::MIN;
    for d in arr(&due) {
        due_item(d, "due --json");
        let t = DateTime::parse_from_rfc3339(d["due"].as_str().unwrap()).unwrap().timestamp();
        assert!(t >= last, "due --json is not sorted by due: {due}");
        last = t;
        let zone = if d["slug"] == "nyc" { "America/New_York" } else { "Europe/Berlin" };
        in_zone(&d["due"], zone);
    }
    let review = j(&env, &["review"]);
    assert!(!arr(&review).is_empty());
    for r in arr(&review) {
        due_item(r, "review --json");
        has(r, "review --json", &[("start", T::Time), ("promised", T::Count), ("kept", T::Count)]);
    }
    let before = env.dump();
    j(&env, &["review"]);
    assert_eq!(before, env.dump(), "review --json recorded something");

    let e = j(&env, &["export", "--format", "json"]);
    assert!(e.is_object(), "{e}");
    assert_eq!(j(&env, &["export", "--format", "csv"]), e, "--json wins over --format for export");
    let c = j(&env, &["config"]);
    has(
        &c,
        "config --json",
        &[
            ("me", T::Str),
            ("partner", T::Str),
            ("zone", T::Str),
            ("trust.start", T::Frac),
            ("trust.gain", T::Frac),
            ("trust.loss", T::Frac),
            ("overpromise.threshold", T::Frac),
            ("remind.quiet", T::Str),
            ("remind.private", T::Bool),
        ],
    );
}

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
    let st = j(&alex, &["sync", "status"]);
    arr(&st["devices"]).iter().for_each(|d| has(d, "sync status devices", &[("refused", T::Count)]));

    let log = j(&alex, &["log"]);
    assert_eq!(arr(&log).len(), 1);
    entry(&arr(&log)[0], "log on the first device");
    assert_eq!(arr(&log)[0]["at"], "2026-11-20T19:00:00+00:00");
    assert_ne!(arr(&log)[0]["device"], s["device"], "logged on Sam's device");
    // The same slot logged on both devices: a pair of entries in the inbox.
    std::fs::remove_file(&junk).unwrap();
    alex.ok(&["kept", "date-night", "--at", "2026-11-20 19:30"]);
    j(&sam, &["sync"]);
    for env in [&alex, &sam] {
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

/// The checks above can fail: what they refuse.
#[test]
fn the_shape_checks_refuse_what_the_contract_forbids() {
    assert!(time_ok("2026-11-23T18:00:00+00:00") && time_ok("2026-11-20T21:00:00-05:00"));
    for bad in ["2026-11-23T18:00:00Z", "2026-11-23T18:00:00.5+00:00", "2026-11-23 18:00:00+00:00", "2026-11-23"] {
        assert!(!time_ok(bad), "{bad}");
    }
    assert!(type_ok(&0.4512.into(), T::Frac) && type_ok(&1.into(), T::Frac));
    for bad in [0.45125, 1.5, -0.1] {
        assert!(!type_ok(&bad.into(), T::Frac), "{bad}");
    }
    assert!(!type_ok(&"0.5".into(), T::Frac) && !type_ok(&Value::Null, T::Frac));
    assert!(!type_ok(&"Kept".into(), T::OneOf(OUTCOMES)) && !type_ok(&1.5.into(), T::Int));
    assert!(!type_ok(&Value::Null, T::Str) && type_ok(&Value::Null, T::StrN));
}
