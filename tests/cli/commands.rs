//! Every command, end to end, with the JSON shapes of docs/cli.md.

use crate::support::{TestEnv, num};
use serde_json::Value;

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

fn has_keys(v: &Value, want: &[&str]) {
    let k = keys(v);
    for w in want {
        assert!(k.contains(&w.to_string()), "missing {w} in {v}");
    }
}

fn couple() -> TestEnv {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env
}

#[test]
fn the_documents_agreements_from_promise_to_json() {
    let env = couple();
    let a = env.json(&[
        "promise",
        "I will spend 2 weekends each month just with you",
        "--terms",
        "2 weekends a month",
        "--slug",
        "weekends",
    ]);
    has_keys(
        &a,
        &[
            "id", "uuid", "slug", "text", "by", "to", "kind", "terms", "unit", "zone", "starts", "ends", "status",
            "remind", "trust", "rate", "pending",
        ],
    );
    assert_eq!(a["slug"], "weekends");
    assert_eq!(a["by"], "Alex");
    assert_eq!(a["to"], "Sam");
    assert_eq!(a["kind"], "quota");
    assert_eq!(a["terms"], "2/month");
    assert_eq!(a["unit"], "weekends");
    assert_eq!(a["zone"], "Europe/Berlin");
    assert_eq!(a["starts"], "2026-11-23T18:00:00+01:00");
    assert_eq!(a["ends"], Value::Null);
    assert_eq!(a["status"], "active");
    assert_eq!(a["remind"], "3d");
    assert_eq!(num(&a["trust"]), 0.5);
    assert_eq!(a["rate"], Value::Null);
    assert_eq!(a["pending"], Value::Null);
    assert_eq!(a["uuid"].as_str().unwrap().len(), 36);

    let d = env.json(&["promise", "Date night every Friday", "--terms", "every friday at 7pm", "--slug", "date-night"]);
    assert_eq!(d["kind"], "schedule");
    assert_eq!(d["terms"], "every fri 19:00");
    assert_eq!(d["unit"], Value::Null);
    assert_eq!(d["remind"], "1h");
    let c = env.json(&["promise", "Call if I'm running late", "--by", "Sam", "--to", "Alex"]);
    assert_eq!(c["kind"], "standing");
    assert_eq!(c["terms"], "standing");
    assert_eq!(c["by"], "Sam");
    assert_eq!(c["remind"], Value::Null);
    let s = env.json(&["promise", "Fix the sink", "--terms", "by 2026-12-01 18:00", "--remind", "2h"]);
    assert_eq!(s["kind"], "deadline");
    assert_eq!(s["terms"], "by 2026-12-01 18:00");
    assert_eq!(s["remind"], "2h");
    // A lead is shown as it was typed; the defaults are docs/design.md §6's.
    assert_eq!(env.json(&["promise", "Trip", "--terms", "1/year", "--anyway"])["remind"], "14d");
    assert_eq!(env.json(&["promise", "Cook", "--terms", "3/week", "--anyway"])["remind"], "2d");
    assert_eq!(env.json(&["promise", "Walk", "--terms", "daily", "--anyway"])["remind"], "6h");
    assert_eq!(env.json(&["promise", "Plan", "--terms", "monthly", "--remind", "1w", "--anyway"])["remind"], "1w");
    assert_eq!(s["slug"], "fix-sink");

    let list = env.json(&["list"]);
    let slugs: Vec<&str> = list.as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["weekends", "date-night", "call-if-late", "fix-sink", "trip", "cook", "walk", "plan"]);
    let table = env.ok(&["list"]);
    assert!(table.contains("weekends") && table.contains("every fri 19:00"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 80), "fits 80 columns:\n{table}");
}

#[test]
fn slugs_are_made_from_the_text_with_a_number_on_a_clash() {
    let env = couple();
    assert_eq!(env.json(&["promise", "Date night"])["slug"], "date-night");
    assert_eq!(env.json(&["promise", "Date night"])["slug"], "date-night-2");
    assert_eq!(env.json(&["promise", "2026"])["slug"], "p-2026");
}

#[test]
fn kept_broke_excuse_and_log() {
    let env = couple();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let k = env.json(&["kept", "date-night", "--at", "2026-11-20 19:30", "--note", "the Thai place"]);
    has_keys(&k, &["id", "uuid", "agreement", "outcome", "at", "note", "by", "void"]);
    assert_eq!(k["agreement"], "date-night");
    assert_eq!(k["outcome"], "kept");
    assert_eq!(k["at"], "2026-11-20T19:30:00+01:00");
    assert_eq!(k["note"], "the Thai place");
    assert_eq!(k["by"], "Alex");
    assert_eq!(k["void"], false);
    let b = env.json(&["broken", "date-night", "--at", "2026-11-13"]);
    assert_eq!(b["outcome"], "broken");
    assert_eq!(b["at"], "2026-11-13T12:00:00+01:00", "a date alone means 12:00");
    // Excuse defaults to the next slot still ahead: Friday 27 November.
    let e = env.json(&["excuse", "date-night", "--note", "you travel"]);
    assert_eq!(e["outcome"], "excused");
    assert_eq!(e["at"], "2026-11-27T00:00:00+01:00", "names Friday's slot");
    let log = env.json(&["log"]);
    let outcomes: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["broken", "kept", "excused"], "time order");
    let since = env.json(&["log", "--since", "2026-11-14", "--until", "2026-11-20"]);
    assert_eq!(since.as_array().unwrap().len(), 1, "--since/--until are inclusive days");
    let human = env.ok(&["kept", "date-night", "--at", "yesterday", "-v"]);
    assert!(human.starts_with("kept  date-night"), "{human}");
    assert!(human.contains("trust"), "{human}");
    let broke = env.ok(&["broke", "date-night", "--at", "2026-11-06 20:00", "-v"]);
    assert_eq!(
        env.ok(&["kept", "date-night", "--at", "2026-11-06 21:00"]).trim(),
        "kept  date-night #6",
        "scripts get the short line"
    );
    assert!(broke.contains("hint:"), "{broke}");
}

#[test]
fn void_keeps_everything_visible() {
    let env = couple();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let k = env.json(&["kept", "date-night", "--at", "2026-11-20 19:30"]);
    let id = k["id"].to_string();
    let v = env.json(&["void", &id, "--reason", "logged the wrong week"]);
    assert_eq!(v["void"], true);
    assert_eq!(env.json(&["log"]).as_array().unwrap().len(), 0);
    let all = env.json(&["log", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["void"], true);
    // A void cannot be voided.
    let err = env.fails(2, &["void", &id]);
    assert!(err.contains("already void"), "{err}");
    // A promise entered by mistake.
    env.ok(&["promise", "Oops", "--terms", "daily"]);
    let v = env.json(&["void", "--agreement", "oops"]);
    assert_eq!(v["void"], true);
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["list", "--all"]).as_array().unwrap().len(), 2);
    env.fails(2, &["kept", "oops"]);
}

#[test]
fn amend_takes_effect_at_the_next_slot() {
    let env = couple();
    env.ok(&["promise", "Weekends", "--terms", "4/month", "--starts", "2026-09-01"]);
    // Monthly → weekly from Tuesday 1 December starts Monday 7 December.
    env.ok(&["amend", "weekends", "--terms", "1/week", "--anyway"]);
    let a = env.json(&["show", "weekends"]);
    assert_eq!(a["terms"], "4/month", "terms in force now");
    assert_eq!(a["pending"]["terms"], "1/week");
    assert_eq!(a["pending"]["status"], Value::Null);
    assert_eq!(a["pending"]["from"], "2026-12-07T00:00:00+01:00");
    // --from before the first possible slot is refused.
    let err = env.fails(2, &["amend", "weekends", "--terms", "2/month", "--from", "2026-11-25"]);
    assert!(err.contains("--from"), "{err}");
    // A later amend replaces the pending one.
    env.ok(&["amend", "weekends", "--terms", "2 weekends a month", "--from", "2026-12-01"]);
    let a = env.json(&["show", "weekends"]);
    assert_eq!(a["pending"]["terms"], "2/month");
    assert_eq!(a["pending"]["from"], "2026-12-01T00:00:00+01:00");
    let mut later = TestEnv::berlin();
    later.dir = env.dir;
    later.db = env.db.clone();
    later.set_now("2026-12-02T09:00:00+01:00");
    let a = later.json(&["show", "weekends"]);
    assert_eq!(a["terms"], "2/month");
    assert_eq!(a["unit"], "weekends");
    assert_eq!(a["pending"], Value::Null);
}

#[test]
fn a_deadline_can_be_moved_until_it_is_due() {
    let env = couple();
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-11-28", "--slug", "sink"]);
    env.ok(&["amend", "sink", "--terms", "by 2026-12-05"]);
    let a = env.json(&["show", "sink"]);
    assert_eq!(a["terms"], "by 2026-12-05", "replaced at once");
    assert_eq!(a["pending"], Value::Null);
    let due = env.json(&["due", "--within", "30d"]);
    assert_eq!(due.as_array().unwrap().len(), 1);
    assert_eq!(due[0]["due"], "2026-12-06T00:00:00+01:00");
}

/// After its due time a deadline was kept or missed: moving it then would
/// reopen a missed promise, so it is refused and the record stands; the
/// refusal shows the due day as that day ("Sat 28 Nov"), not the next
/// day's midnight.
#[test]
fn a_deadline_past_due_cannot_be_amended() {
    let mut env = couple();
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-11-28", "--slug", "sink"]);
    env.set_now("2026-11-30T10:00:00+01:00");
    let err = env.fails(2, &["amend", "sink", "--terms", "by 2026-12-05"]);
    assert!(err.starts_with("error: sink was due Sat 28 Nov;"), "{err}");
    env.fails(2, &["amend", "sink", "--terms", "1/week"]);
    assert_eq!(env.json(&["list"])[0]["done"], true);
    assert_eq!(env.json(&["due", "--within", "30d"]).as_array().unwrap().len(), 0);
}

/// An explicit `--slots 8` is eight slots, even for daily terms (whose
/// default is 28).
#[test]
fn overpromising_slots_given_is_the_window_used() {
    let mut env = couple();
    env.ok(&["promise", "Walk", "--terms", "daily", "--starts", "2026-10-01", "--slug", "walk"]);
    env.set_now("2026-11-20T12:00:00+01:00");
    let slots = |args: &[&str]| env.json(args)["agreements"][0]["slots"].as_u64().unwrap();
    assert_eq!(slots(&["overpromising"]), 28);
    assert_eq!(slots(&["overpromising", "--slots", "8"]), 8);
    assert_eq!(slots(&["overpromising", "--slots", "7"]), 7);
    env.fails(2, &["overpromising", "--slots", "2"]);
}

/// Past its `--ends` a promise reads as ended on `list` (its JSON status
/// keeps the contract's three values).
#[test]
fn a_promise_past_its_end_reads_as_ended() {
    let mut env = couple();
    env.ok(&[
        "promise",
        "Walk",
        "--terms",
        "1/week",
        "--starts",
        "2026-11-02",
        "--ends",
        "2026-11-25",
        "--slug",
        "walk",
    ]);
    assert!(env.ok(&["list"]).contains(" active "));
    env.set_now("2026-11-27T10:00:00+01:00");
    assert!(env.ok(&["list"]).contains("ended Wed 25 Nov"), "{}", env.ok(&["list"]));
    assert_eq!(env.json(&["list"])[0]["status"], "active");
}

#[test]
fn pause_resume_retire() {
    let env = couple();
    env.ok(&["promise", "Gym together", "--terms", "2/week", "--starts", "2026-11-02", "--slug", "gym"]);
    let p = env.json(&["pause", "gym"]);
    assert_eq!(p["status"], "active", "takes effect at the next slot boundary");
    assert_eq!(p["pending"]["status"], "paused");
    assert_eq!(p["pending"]["from"], "2026-11-30T00:00:00+01:00");
    env.fails(2, &["pause", "gym"]);
    env.ok(&["resume", "gym"]);
    env.fails(2, &["resume", "gym"]);
    env.ok(&["retire", "gym"]);
    env.fails(2, &["retire", "gym"]);
    env.fails(2, &["pause", "gym"]);
}

#[test]
fn retired_promises_take_no_entries() {
    let mut env = couple();
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-12-01", "--slug", "sink"]);
    env.ok(&["retire", "sink"]);
    assert_eq!(env.json(&["show", "sink"])["status"], "retired");
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 0);
    assert_eq!(env.json(&["list", "--all"]).as_array().unwrap().len(), 1);
    env.set_now("2026-11-23T19:00:00+01:00");
    let err = env.fails(2, &["kept", "sink"]);
    assert!(err.contains("retired"), "{err}");
    env.fails(2, &["amend", "sink", "--terms", "by 2026-12-10"]);
    env.ok(&["void", "--agreement", "sink"]);
    // The slug is free again.
    env.ok(&["promise", "Fix the sink properly", "--terms", "by 2026-12-10", "--slug", "sink"]);
}

/// Retired from Monday: on the Thursday before, no slot from Monday on can
/// be excused; from Monday on, retirement is final and the promise takes
/// no entries at all — not even Sunday's walk logged late (DESIGN §1:
/// anything but `void --agreement` on a retired promise is refused). The
/// ledger is untouched by each refusal.
#[test]
fn a_retired_promise_takes_no_more_entries() {
    let mut env = couple();
    env.set_now("2026-11-19T10:00:00+01:00");
    env.ok(&["promise", "Walk together", "--terms", "2/week", "--starts", "2026-11-16", "--slug", "walk"]);
    env.ok(&["retire", "walk"]);
    let err = env.fails(2, &["excuse", "walk", "--at", "2026-11-24", "--note", "away"]);
    assert!(err.starts_with("error: walk is retired from Mon 23 Nov; it takes no entries after that"), "{err}");
    env.ok(&["kept", "walk", "--at", "2026-11-18 10:00"]);
    env.set_now("2026-11-24T10:00:00+01:00");
    let before = env.ok(&["log", "--all", "--json"]);
    for args in
        [&["kept", "walk", "--at", "2026-11-22 10:00"][..], &["kept", "walk"], &["broke", "walk", "--at", "2026-11-21"]]
    {
        let err = env.fails(2, args);
        assert!(err.starts_with("error: walk was retired from Mon 23 Nov; retirement is final"), "{args:?}: {err}");
        assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{err}");
    }
    assert_eq!(env.ok(&["log", "--all", "--json"]), before, "refusals leave the ledger as it was");
}

#[test]
fn config_keys_are_validated() {
    let env = couple();
    assert_eq!(env.ok(&["config", "me"]).trim(), "Alex");
    env.ok(&["config", "trust.gain", "0.1"]);
    assert_eq!(env.ok(&["config", "trust.gain"]).trim(), "0.1");
    env.ok(&["config", "remind.quiet", "23:00-07:00"]);
    env.ok(&["config", "remind.private", "true"]);
    let all = env.json(&["config"]);
    assert_eq!(all["remind.private"], true);
    assert_eq!(all["remind.quiet"], "23:00-07:00");
    assert_eq!(all["zone"], "Europe/Berlin");
    env.fails(2, &["config", "trust.gain", "1.5"]);
    env.fails(2, &["config", "trust.loss", "lots"]);
    env.fails(2, &["config", "remind.private", "maybe"]);
    env.fails(2, &["config", "remind.quiet", "late"]);
    env.fails(2, &["config", "zone", "Mars/Olympus"]);
    env.fails(2, &["config", "colour", "blue"]);
}

#[test]
fn names_default_to_me_and_partner_until_init() {
    let env = TestEnv::berlin();
    let a = env.json(&["promise", "Date night", "--terms", "weekly"]);
    assert_eq!(a["by"], "me");
    assert_eq!(a["to"], "partner");
}

#[test]
fn completions_and_man_page() {
    let env = TestEnv::berlin();
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("troth"), "{bash}");
    let man = env.ok(&["man"]);
    let title = man.lines().find(|l| l.starts_with(".TH ")).expect("a .TH line");
    // A date in the title line (mandoc warns without one), and the version.
    assert!(title.starts_with(".TH TROTH 1 20"), "{title}");
    assert!(title.contains("troth 0."), "{title}");
    for section in
        ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "TERMS", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES"]
    {
        assert!(man.lines().any(|l| l == format!(".SH {section}") || l == format!(".SH \"{section}\"")), "{section}");
    }
    // Every command is on this page: no pointers to troth-NAME(1) pages that do not exist.
    assert!(!man.contains("troth\\-init"), "points at other pages");
    for cmd in ["init", "promise", "kept", "report", "review", "remind", "import"] {
        assert!(man.contains(&format!(".SS \"troth {cmd}\"")), "{cmd} missing");
    }
}

/// `mandoc -Tlint` has nothing to say about the page (CI installs mandoc).
#[test]
fn man_page_is_lint_clean() {
    let env = TestEnv::berlin();
    let page = env.path("troth.1");
    std::fs::write(&page, env.ok(&["man"])).unwrap();
    let out = match std::process::Command::new("mandoc").arg("-Tlint").arg(&page).output() {
        Ok(o) => o,
        Err(e) => panic!("mandoc must be installed for this test (apt-get install mandoc): {e}"),
    };
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.trim().is_empty(), "mandoc -Tlint:\n{said}");
}

#[test]
fn review_asks_about_past_due_slots_on_a_terminal() {
    let env = couple();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    // Fridays 6, 13 and 20 November are past due and unlogged.
    let text = env.on_terminal(&["review"], &["k", "b", "s"]);
    assert!(text.contains("kept, broken, excused, or skip?"), "{text}");
    let log = env.json(&["log"]);
    let got: Vec<(&str, &str)> =
        log.as_array().unwrap().iter().map(|e| (e["outcome"].as_str().unwrap(), e["at"].as_str().unwrap())).collect();
    assert_eq!(got, [("kept", "2026-11-06T19:00:00+01:00"), ("broken", "2026-11-13T19:00:00+01:00")]);
}

#[test]
fn demo_writes_its_own_ledger_and_tells_the_story() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Jo"]);
    let before = env.dump();
    let out = env.ok(&["demo"]);
    assert!(out.contains("your own ledger is untouched"), "{out}");
    assert!(out.contains("Week 47"), "{out}");
    assert!(
        out.contains("weekends: Alex promised 4 a month and delivered 4, 2, 2, 1, 3, 2 (58%) — promise 2 a month"),
        "{out}"
    );
    assert!(out.contains("overall trust, weeks 37–48"), "{out}");
    assert_eq!(before, env.dump(), "the user's ledger is untouched");
    assert!(env.path("data/troth/demo.db").exists());
    // Run twice: rebuilt, not doubled.
    env.ok(&["demo"]);
    let mut demo = TestEnv::berlin();
    demo.dir = env.dir;
    demo.db = demo.dir.path().join("data/troth/demo.db");
    let show = demo.json(&["show", "weekends"]);
    assert_eq!(show["terms"], "4/month");
}

#[test]
fn synthetic_ledgers_are_the_same_for_the_same_seed() {
    let env = TestEnv::berlin();
    let a = env.path("a.db");
    let b = env.path("b.db");
    let s = env.json(&["demo", "--db", a.to_str().unwrap(), "--agreements", "3", "--years", "2", "--seed", "7"]);
    assert_eq!(s["entries"], 1200, "200 entries per agreement-year");
    env.ok(&["demo", "--db", b.to_str().unwrap(), "--agreements", "3", "--years", "2", "--seed", "7"]);
    let export = |p: &std::path::Path| {
        let mut v: serde_json::Value = serde_json::from_str(
            &String::from_utf8(env.command().env("TROTH_DB", p).args(["export"]).output().unwrap().stdout).unwrap(),
        )
        .unwrap();
        v.as_object_mut().unwrap().remove("exported");
        // Each ledger is its own device; the facts are the same.
        fn strip(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(m) => {
                    m.remove("device");
                    m.values_mut().for_each(strip);
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
                _ => {}
            }
        }
        strip(&mut v);
        v
    };
    assert_eq!(export(&a), export(&b));
    env.fails(2, &["demo", "--db", a.to_str().unwrap(), "--agreements", "3", "--years", "2"]);
}
