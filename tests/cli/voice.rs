//! The partner's voice (docs/design.md §10), hand-worked through the real binary:
//! confirm, dispute, late excuses, repair and accept, inbox, --as/TROTH_ME,
//! the report's "To talk about", on one shared ledger and across two.
//!
//! The promise in most scenarios: Alex to Sam, date night every Friday 19:00
//! from Sunday 1 November 2026 (Berlin). Each Friday's slot runs from that
//! Friday 00:00 to the next Friday 00:00, so by Saturday 14 November the
//! slots of 6 and 13 November are closed. Trust: start 0.5, gain 0.05, loss
//! 0.20.

use crate::support::{Run, TestEnv, on_terminal, r4};
use serde_json::Value;

/// Run as `who` (TROTH_ME) at `now`.
fn run(env: &TestEnv, now: &str, who: &str, args: &[&str]) -> Run {
    Run::from(env.command().env("TROTH_NOW", now).env("TROTH_ME", who).args(args).output().expect("run troth"))
}

fn ok(env: &TestEnv, now: &str, who: &str, args: &[&str]) -> String {
    let r = run(env, now, who, args);
    assert_eq!(r.code, 0, "troth {args:?} as {who} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    r.stdout
}

fn json(env: &TestEnv, now: &str, who: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let out = ok(env, now, who, &a);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("troth {args:?} printed no JSON ({e}):\n{out}"))
}

/// Exit 2, one `error:` line (then only hints), nothing on stdout, the ledger unchanged.
fn refused(env: &TestEnv, now: &str, who: &str, args: &[&str]) -> String {
    let before = env.dump();
    let r = run(env, now, who, args);
    assert_eq!(r.code, 2, "troth {args:?} as {who}: expected exit 2\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert_eq!(r.stderr.lines().filter(|l| l.starts_with("error: ")).count(), 1, "{}", r.stderr);
    assert!(r.stderr.lines().skip(1).all(|l| l.starts_with("hint: ")), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(before, env.dump(), "troth {args:?} changed the ledger");
    r.stderr
}

fn date_night() -> TestEnv {
    date_night_from("2026-11-01")
}

fn date_night_from(starts: &str) -> TestEnv {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    ok(
        &env,
        "2026-11-01T10:00:00+01:00",
        "Alex",
        &[
            "promise",
            "Date night every Friday",
            "--terms",
            "every fri 19:00",
            "--starts",
            starts,
            "--slug",
            "date-night",
        ],
    );
    env
}

const SAT14: &str = "2026-11-14T10:00:00+01:00";

fn show(env: &TestEnv, now: &str) -> Value {
    json(env, now, "Alex", &["show", "date-night"])
}

fn slot(show: &Value, start: &str) -> Value {
    show["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["start"] == start)
        .cloned()
        .unwrap_or_else(|| panic!("no slot starting {start} in {}", show["slots"]))
}

fn events(show: &Value) -> Vec<(String, f64, f64)> {
    show["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["event"].as_str().unwrap().to_string(), e["before"].as_f64().unwrap(), e["after"].as_f64().unwrap())
        })
        .collect()
}

fn entry(show: &Value, id: i64) -> Value {
    show["entries"].as_array().unwrap().iter().find(|e| e["id"] == id).cloned().expect("entry")
}

const FRI6: &str = "2026-11-06T00:00:00+01:00";
const FRI13: &str = "2026-11-13T00:00:00+01:00";

#[test]
fn a_disputed_kept_is_held_until_confirmed() {
    let env = date_night();
    let e = json(&env, "2026-11-06T22:00:00+01:00", "Alex", &["kept", "date-night"]);
    let id = e["id"].as_i64().unwrap();
    assert_eq!(e["verdict"], Value::Null);
    assert_eq!(e["counts"], true);
    // Sam saw it differently.
    let out =
        ok(&env, "2026-11-07T09:00:00+01:00", "Sam", &["dispute", &id.to_string(), "--note", "you were on your phone"]);
    assert!(out.starts_with("disputed  #1 date-night"), "{out}");
    assert!(out.contains("held until you two talk it through"), "{out}");
    // Held: the slot of 6 Nov promised 0 (set aside), nothing kept, nothing missed; no trust event at all.
    let s = show(&env, SAT14);
    let held = slot(&s, FRI6);
    assert_eq!(
        (held["promised"].as_u64(), held["kept"].as_u64(), held["missed"].as_u64()),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(held["held"], 1);
    // No trust event at all (13 Nov's slot is still open).
    assert!(events(&s).is_empty(), "{}", s["events"]);
    assert_eq!(s["trust"], 0.5);
    let e = entry(&s, id);
    assert_eq!((e["counts"].clone(), e["why"].clone()), (Value::Bool(false), Value::from("disputed")));
    assert_eq!(e["verdict"]["verdict"], "disputed");
    assert_eq!(e["verdict"]["by"], "Sam");
    assert_eq!(e["verdict"]["note"], "you were on your phone");
    assert_eq!(e["verdict"]["at"], "2026-11-07T09:00:00+01:00");
    // Sam confirms after they talked: the later verdict replaces the dispute.
    let out = ok(&env, "2026-11-14T11:00:00+01:00", "Sam", &["confirm", "1"]);
    assert!(out.contains("your dispute is withdrawn"), "{out}");
    let s = show(&env, "2026-11-14T11:00:00+01:00");
    let back = slot(&s, FRI6);
    assert_eq!((back["promised"].as_u64(), back["kept"].as_u64(), back["held"].as_u64()), (Some(1), Some(1), Some(0)));
    // kept, at its own time: 0.5 → 0.525.
    assert_eq!(events(&s), [("kept".to_string(), 0.5, 0.525)]);
    assert_eq!(s["trust"], 0.525);
    assert_eq!(s["rate"], 1.0);
    assert_eq!(entry(&s, id)["counts"], true);
    assert_eq!(entry(&s, id)["verdict"]["verdict"], "confirmed");
    // And disputing again holds it again: verdicts replace verdicts.
    ok(&env, "2026-11-14T12:00:00+01:00", "Sam", &["dispute", "1", "--note", "thinking about it again"]);
    let s = show(&env, "2026-11-14T12:00:00+01:00");
    assert!(events(&s).is_empty(), "{}", s["events"]);
    assert_eq!(entry(&s, id)["verdict"]["note"], "thinking about it again");
}

#[test]
fn a_disputed_broken_is_held_and_a_void_promises_the_unit_again() {
    let env = date_night();
    ok(&env, "2026-11-06T22:00:00+01:00", "Alex", &["broke", "date-night"]);
    ok(&env, "2026-11-07T09:00:00+01:00", "Sam", &["dispute", "1", "--note", "we agreed to move it to Saturday"]);
    // Nothing broken, nothing missed on 6 Nov: no trust event.
    let s = show(&env, SAT14);
    let held = slot(&s, FRI6);
    assert_eq!(
        (held["promised"].as_u64(), held["broken"].as_u64(), held["missed"].as_u64()),
        (Some(0), Some(0), Some(0))
    );
    assert!(events(&s).is_empty(), "{}", s["events"]);
    // They talk; the entry is voided (the unit is promised again, so it is missed at the slot's end).
    ok(&env, "2026-11-14T11:00:00+01:00", "Alex", &["void", "1", "--reason", "we agreed it was moved"]);
    let s = show(&env, "2026-11-14T11:00:00+01:00");
    let again = slot(&s, FRI6);
    assert_eq!((again["promised"].as_u64(), again["missed"].as_u64()), (Some(1), Some(1)));
    // Missed at the slot's end, 13 Nov 00:00: 0.5 → 0.4.
    assert_eq!(events(&s), [("missed".to_string(), 0.5, 0.4)]);
    assert_eq!(s["events"][0]["at"], FRI13);
    assert_eq!(s["slots"].as_array().unwrap().iter().filter(|x| x["closed"] == true).count(), 1);
    let log = json(&env, "2026-11-14T11:00:00+01:00", "Alex", &["log", "--all"]);
    assert_eq!(log[0]["counts"], false);
    assert_eq!(log[0]["why"], "void");
}

#[test]
fn confirming_a_disputed_broken_scores_it_at_its_time() {
    let env = date_night();
    ok(&env, "2026-11-13T22:00:00+01:00", "Alex", &["broke", "date-night", "--note", "stayed late at work"]);
    ok(&env, "2026-11-14T09:00:00+01:00", "Sam", &["dispute", "1", "--note", "you did call"]);
    // Held: trust as if nothing had happened on the 13th (6 Nov's slot missed: 0.4).
    let s = show(&env, "2026-11-21T10:00:00+01:00");
    assert_eq!(slot(&s, FRI13)["promised"], 0);
    assert_eq!(events(&s), [("missed".to_string(), 0.5, 0.4)]);
    ok(&env, "2026-11-21T10:00:00+01:00", "Sam", &["confirm", "1", "--note", "we talked; it was broken"]);
    let s = show(&env, "2026-11-21T10:00:00+01:00");
    assert_eq!(slot(&s, FRI13)["broken"], 1);
    assert_eq!(events(&s), [("missed".to_string(), 0.5, 0.4), ("broken".to_string(), 0.4, 0.32)]);
}

#[test]
fn a_disputed_excuse_does_not_count_and_the_unit_is_missed() {
    let env = date_night();
    // On Wednesday 18 Nov Alex excuses Friday 20 Nov ahead of time.
    ok(&env, "2026-11-18T10:00:00+01:00", "Alex", &["excuse", "date-night", "--note", "I travel"]);
    let fri20 = "2026-11-20T00:00:00+01:00";
    let now = "2026-11-28T10:00:00+01:00";
    let before = show(&env, now);
    assert_eq!(
        (slot(&before, fri20)["promised"].as_u64(), slot(&before, fri20)["excused"].as_u64()),
        (Some(0), Some(1))
    );
    let missed_before = events(&before).len();
    // Sam never agreed to it.
    let out = ok(&env, "2026-11-19T10:00:00+01:00", "Sam", &["dispute", "1", "--note", "we never agreed to skip it"]);
    assert!(out.contains("the unit is promised again"), "{out}");
    let s = show(&env, now);
    let sl = slot(&s, fri20);
    assert_eq!((sl["promised"].as_u64(), sl["excused"].as_u64(), sl["missed"].as_u64()), (Some(1), Some(0), Some(1)));
    // One more miss than before, at the slot's end (27 Nov 00:00).
    let ev = s["events"].as_array().unwrap();
    assert_eq!(ev.len(), missed_before + 1);
    assert!(ev.iter().any(|e| e["event"] == "missed" && e["at"] == "2026-11-27T00:00:00+01:00"), "{ev:?}");
    assert_eq!(entry(&s, 1)["why"], "disputed");
}

/// Run as `who` at `now` on a real terminal, typing `answers`; what it showed.
fn on_terminal_as(env: &TestEnv, now: &str, who: &str, args: &[&str], answers: &[&str]) -> String {
    on_terminal(env.command().env("TROTH_NOW", now).env("TROTH_ME", who), args, answers)
}

#[test]
fn a_late_excuse_counts_only_once_the_other_confirms_it() {
    let env = date_night();
    // Nothing logged for 6 and 13 Nov. On the 14th Alex reviews: 6 Nov excused (they had agreed, but no one wrote
    // it down), then stops.
    let text = on_terminal_as(&env, SAT14, "Alex", &["review"], &["e", "q"]);
    assert!(text.contains("kept, broken, excused, or skip?"), "{text}");
    assert!(text.contains("a late excuse: it counts once Sam confirms it"), "{text}");
    let log = json(&env, SAT14, "Alex", &["log"]);
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log[0]["outcome"], "excused");
    assert_eq!(
        (log[0]["counts"].clone(), log[0]["why"].clone()),
        (Value::Bool(false), Value::from("late excuse not confirmed"))
    );
    // Until Sam confirms, the slot is judged as if the excuse were not there: missed, 0.5 → 0.4.
    let s = show(&env, SAT14);
    let sl = slot(&s, FRI6);
    assert_eq!((sl["promised"].as_u64(), sl["excused"].as_u64(), sl["missed"].as_u64()), (Some(1), Some(0), Some(1)));
    assert_eq!(events(&s), [("missed".to_string(), 0.5, 0.4)]);
    // Sam's inbox has it waiting; Alex's does not.
    let inbox = json(&env, SAT14, "Sam", &["inbox"]);
    assert_eq!(inbox["late_excuses"].as_array().unwrap().len(), 1, "{inbox}");
    assert_eq!(inbox["to_confirm"].as_array().unwrap().len(), 0, "{inbox}");
    assert_eq!(json(&env, SAT14, "Alex", &["inbox"])["late_excuses"].as_array().unwrap().len(), 0);
    // Alex cannot confirm their own excuse.
    let err = refused(&env, SAT14, "Alex", &["confirm", "1"]);
    assert!(err.contains("only Sam can confirm it"), "{err}");
    let out = ok(&env, "2026-11-14T11:00:00+01:00", "Sam", &["confirm", "1"]);
    assert!(out.contains("the late excuse counts now"), "{out}");
    let s = show(&env, "2026-11-14T11:00:00+01:00");
    let sl = slot(&s, FRI6);
    assert_eq!((sl["promised"].as_u64(), sl["excused"].as_u64(), sl["missed"].as_u64()), (Some(0), Some(1), Some(0)));
    assert!(events(&s).is_empty(), "{}", s["events"]);
    assert_eq!(s["trust"], 0.5);
    assert_eq!(entry(&s, 1)["counts"], true);
    assert_eq!(json(&env, "2026-11-14T11:00:00+01:00", "Sam", &["inbox"])["late_excuses"], serde_json::json!([]));
}

#[test]
fn an_accepted_repair_is_one_kept_sized_step_at_acceptance() {
    // From Saturday 7 Nov: the first slot is Friday 13 Nov.
    let env = date_night_from("2026-11-07");
    ok(&env, "2026-11-13T22:00:00+01:00", "Alex", &["broke", "date-night", "--note", "stayed late at work"]);
    let now = "2026-11-14T10:00:00+01:00";
    // Refusals first: the wrong person, the wrong entry, a missing apology.
    let err = refused(&env, now, "Sam", &["repair", "1", "--understood", "x", "--apology", "sorry"]);
    assert!(err.contains("only Alex, who made the promise"), "{err}");
    let err = refused(&env, now, "Alex", &["repair", "1", "--understood", "I stayed late without calling"]);
    assert!(err.contains("--apology"), "{err}");
    refused(&env, now, "Alex", &["repair", "9", "--understood", "x", "--apology", "y"]);
    let r = json(
        &env,
        now,
        "Alex",
        &[
            "repair",
            "1",
            "--understood",
            "I promised date night and stayed late at work without calling.",
            "--feeling",
            "Forgotten",
            "--apology",
            "I'm sorry I left you waiting.",
            "--plan",
            "I'll call by 17:00",
        ],
    );
    for k in
        ["id", "uuid", "agreement", "entry", "slot", "by", "understood", "feeling", "apology", "plan", "at", "accepted"]
    {
        assert!(r.get(k).is_some(), "repair JSON lacks {k}: {r}");
    }
    assert_eq!(r["agreement"], "date-night");
    assert_eq!(r["slot"], Value::Null);
    assert_eq!(r["accepted"], Value::Null);
    let log = json(&env, now, "Alex", &["log"]);
    assert_eq!(r["entry"], log[0]["uuid"]);
    // An offered repair changes no number.
    let before = show(&env, "2026-11-14T11:00:00+01:00");
    assert_eq!(before["trust"], 0.4);
    // Alex cannot accept their own repair.
    let err = refused(&env, "2026-11-14T12:00:00+01:00", "Alex", &["accept", "1"]);
    assert!(err.contains("only Sam"), "{err}");
    let inbox = json(&env, "2026-11-14T12:00:00+01:00", "Sam", &["inbox"]);
    assert_eq!(inbox["repairs_offered"][0]["id"], 1);
    assert_eq!(json(&env, "2026-11-14T12:00:00+01:00", "Alex", &["inbox"])["repairs_waiting"][0]["id"], 1);
    let out = ok(&env, "2026-11-14T12:00:00+01:00", "Sam", &["accept", "1", "--note", "thank you"]);
    // 0.4 + 0.05 × (1 − 0.4) = 0.43.
    assert!(out.contains("you chose to trust a little more · date-night trust 0.40 → 0.43"), "{out}");
    let s = show(&env, "2026-11-14T13:00:00+01:00");
    let ev = s["events"].as_array().unwrap();
    let last = ev.last().unwrap();
    assert_eq!(last["event"], "repair accepted");
    assert_eq!(last["at"], "2026-11-14T12:00:00+01:00");
    assert_eq!((last["before"].as_f64(), last["after"].as_f64()), (Some(0.4), Some(r4(0.4 + 0.05 * 0.6))));
    assert_eq!(ev.iter().filter(|e| e["event"] == "repair accepted").count(), 1);
    assert_eq!(s["trust"], r4(0.43));
    // Follow-through ignores repairs: 0 of 1.
    assert_eq!(s["rate"], 0.0);
    assert_eq!(s["repairs"][0]["accepted"]["by"], "Sam");
    assert_eq!(s["repairs"][0]["accepted"]["note"], "thank you");
    // Once: a second acceptance, and a second repair for the same entry, are refused.
    let err = refused(&env, "2026-11-14T13:00:00+01:00", "Sam", &["accept", "1"]);
    assert!(err.contains("already accepted"), "{err}");
    let err =
        refused(&env, "2026-11-14T13:00:00+01:00", "Alex", &["repair", "1", "--understood", "x", "--apology", "y"]);
    assert!(err.contains("already has an accepted repair"), "{err}");
    // Before the acceptance, trust was 0.4: the step lands at acceptance time.
    let trend = json(&env, "2026-11-14T13:00:00+01:00", "Alex", &["trend", "date-night", "--weeks", "2"]);
    assert_eq!(trend["weeks"][1]["trust"], r4(0.43), "{trend}");
    let text = ok(&env, "2026-11-14T13:00:00+01:00", "Alex", &["show", "date-night"]);
    assert!(text.contains("repair accepted"), "{text}");
    assert!(text.contains("Sam accepted repair #1"), "{text}");
}

#[test]
fn a_missed_unit_is_repaired_with_slot() {
    let env = date_night();
    let now = SAT14;
    // 6 Nov's slot was missed (closed 13 Nov 00:00): 0.5 → 0.4.
    assert_eq!(show(&env, now)["trust"], 0.4);
    // 13 Nov's slot is still open: nothing to repair there yet.
    let err = refused(
        &env,
        now,
        "Alex",
        &["repair", "date-night", "--slot", "2026-11-13", "--understood", "x", "--apology", "y"],
    );
    assert!(err.contains("no missed unit"), "{err}");
    let r = json(
        &env,
        now,
        "Alex",
        &[
            "repair",
            "date-night",
            "--slot",
            "2026-11-06",
            "--understood",
            "I forgot date night",
            "--apology",
            "I'm sorry, but I was tired",
        ],
    );
    assert_eq!(r["slot"], FRI6);
    assert_eq!(r["entry"], Value::Null);
    // The apology explains; a gentle hint, and it is recorded all the same.
    let out = run(
        &env,
        now,
        "Alex",
        &["repair", "date-night", "--slot", "2026-11-06", "--understood", "x", "--apology", "sorry because of work"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.starts_with("hint: an apology is not an explanation"), "{}", out.stderr);
    ok(&env, "2026-11-14T12:00:00+01:00", "Sam", &["accept", "1"]);
    let s = show(&env, "2026-11-14T12:00:00+01:00");
    assert_eq!(events(&s), [("missed".to_string(), 0.5, 0.4), ("repair accepted".to_string(), 0.4, 0.43)]);
    // One missed unit, one accepted repair: the second repair for it is refused.
    let err = refused(&env, "2026-11-14T12:30:00+01:00", "Sam", &["accept", "2"]);
    assert!(err.contains("already has an accepted repair"), "{err}");
}

#[test]
fn verdicts_need_the_other_party_and_names_must_be_the_two_of_you() {
    let env = date_night();
    ok(&env, "2026-11-06T22:00:00+01:00", "Alex", &["kept", "date-night"]);
    let err = refused(&env, SAT14, "Alex", &["dispute", "1", "--note", "no"]);
    assert!(err.contains("you logged entry #1 yourself; only Sam can dispute it"), "{err}");
    refused(&env, SAT14, "Sam", &["dispute", "1"].iter().chain(&["--note", "  "]).copied().collect::<Vec<_>>());
    refused(&env, SAT14, "Sam", &["confirm", "7"]);
    refused(&env, SAT14, "Sam", &["confirm", "seven"]);
    // TROTH_ME and --as must name `me` or `partner`.
    let err = refused(&env, SAT14, "Sma", &["confirm", "1"]);
    assert!(err.contains("TROTH_ME") && err.contains("did you mean Sam?"), "{err}");
    let err = refused(&env, SAT14, "Sam", &["--as", "Kim", "confirm", "1"]);
    assert!(err.starts_with("error: --as"), "{err}");
    // The roles work as names too: `--as me` is Alex here, so Alex may
    // not confirm what Alex logged.
    let err = refused(&env, SAT14, "Sam", &["--as", "me", "confirm", "1"]);
    assert!(err.contains("only Sam can"), "{err}");
    // --as wins over TROTH_ME: Sam confirms although TROTH_ME says Alex
    // (`--as partner` is Sam, as `--as Sam` would be).
    let out = ok(&env, SAT14, "Alex", &["confirm", "1", "--as", "partner"]);
    assert!(out.starts_with("confirmed  #1"), "{out}");
    // Whoever logs is who acts: Sam logs, so Alex may give the verdict.
    ok(&env, "2026-11-13T21:00:00+01:00", "Sam", &["kept", "date-night"]);
    let log = json(&env, SAT14, "Alex", &["log"]);
    assert_eq!(log[1]["by"], "Sam");
    refused(&env, SAT14, "Sam", &["confirm", "2"]);
    ok(&env, SAT14, "Alex", &["confirm", "2"]);
    // log shows who logged each entry and its verdict.
    let text = ok(&env, SAT14, "Alex", &["log"]);
    assert!(text.contains("logged by") && text.contains("confirmed"), "{text}");
    let log = json(&env, SAT14, "Alex", &["log"]);
    assert_eq!((log[0]["verdict"]["by"].as_str(), log[1]["verdict"]["by"].as_str()), (Some("Sam"), Some("Alex")));
}

#[test]
fn inbox_lists_what_waits_for_me_in_the_shape_of_cli_md() {
    let env = date_night();
    ok(&env, "2026-11-06T22:00:00+01:00", "Alex", &["kept", "date-night", "--note", "the little Italian place"]);
    ok(&env, "2026-11-13T21:00:00+01:00", "Alex", &["kept", "date-night"]);
    // Sam also logged 13 Nov: a possible duplicate.
    ok(&env, "2026-11-13T21:30:00+01:00", "Sam", &["kept", "date-night"]);
    let inbox = json(&env, SAT14, "Sam", &["inbox"]);
    let mut keys: Vec<&str> = inbox.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["disputes", "duplicates", "late_excuses", "repairs_offered", "repairs_waiting", "to_confirm"]);
    let ids: Vec<i64> = inbox["to_confirm"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 2], "by logged time, only the other's entries");
    assert_eq!(inbox["to_confirm"][0]["note"], "the little Italian place");
    assert_eq!(inbox["duplicates"].as_array().unwrap().len(), 1, "{inbox}");
    assert_eq!(inbox["duplicates"][0][0]["id"], 2);
    assert_eq!(inbox["duplicates"][0][1]["id"], 3);
    let text = ok(&env, SAT14, "Sam", &["inbox"]);
    assert!(text.contains("troth confirm 1 · troth dispute 1"), "{text}");
    // A dispute shows for both, in words that blame no one.
    ok(&env, SAT14, "Sam", &["dispute", "1", "--note", "you were on your phone most of the evening"]);
    let inbox = json(&env, SAT14, "Alex", &["inbox"]);
    assert_eq!(inbox["disputes"][0]["id"], 1);
    let text = ok(&env, SAT14, "Alex", &["inbox"]);
    assert!(text.contains("Sam saw it differently: \"you were on your phone"), "{text}");
    let sam = json(&env, SAT14, "Sam", &["inbox"]);
    assert_eq!(sam["disputes"][0]["id"], 1);
    assert_eq!(sam["to_confirm"].as_array().unwrap().len(), 1, "a verdict from me takes it off the list");
    // Entries older than 14 days (by logged time) no longer wait.
    let later = json(&env, "2026-11-29T10:00:00+01:00", "Sam", &["inbox"]);
    assert_eq!(later["to_confirm"], serde_json::json!([]));
    // Open disputes wait however old they are.
    assert_eq!(later["disputes"][0]["id"], 1);
    let text = ok(&env, "2026-11-29T10:00:00+01:00", "Sam", &["--as", "Alex", "inbox"]);
    assert!(text.contains("Sam saw it differently"), "{text}");
}

#[test]
fn the_weekly_report_has_things_to_talk_about() {
    let env = date_night();
    ok(&env, "2026-11-13T22:00:00+01:00", "Alex", &["broke", "date-night"]);
    ok(
        &env,
        "2026-11-14T09:00:00+01:00",
        "Alex",
        &["repair", "1", "--understood", "I stayed late", "--apology", "I'm sorry"],
    );
    ok(&env, "2026-11-14T10:00:00+01:00", "Sam", &["accept", "1"]);
    ok(&env, "2026-11-14T11:00:00+01:00", "Alex", &["kept", "date-night", "--at", "2026-11-14 10:00"]);
    ok(&env, "2026-11-14T12:00:00+01:00", "Sam", &["dispute", "2", "--note", "that was Saturday breakfast"]);
    let now = "2026-11-16T09:00:00+01:00";
    let r = json(&env, now, "Alex", &["report", "--week", "2026-W46"]);
    let kinds: Vec<&str> = r["talk"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["repair_accepted", "dispute"], "{}", r["talk"]);
    assert_eq!(r["talk"][0]["repair"]["id"], 1);
    assert_eq!(r["talk"][0]["entry"], Value::Null);
    assert_eq!(r["talk"][1]["entry"]["id"], 2);
    assert_eq!(r["talk"][1]["agreement"], "date-night");
    for format in ["table", "markdown", "csv"] {
        let text = ok(&env, now, "Alex", &["report", "--week", "2026-W46", "--format", format]);
        assert!(
            text.contains("Sam saw it differently: ") && text.contains("that was Saturday breakfast"),
            "{format}: {text}"
        );
        assert!(text.contains("Sam accepted Alex's repair #1"), "{format}: {text}");
    }
    assert!(ok(&env, now, "Alex", &["report", "--week", "2026-W46"]).contains("To talk about"));
    // The week before has nothing to talk about.
    let r = json(&env, now, "Alex", &["report", "--week", "2026-W45"]);
    assert_eq!(r["talk"], serde_json::json!([]));
}

#[test]
fn repair_asks_each_question_on_a_terminal() {
    let env = date_night();
    ok(&env, "2026-11-13T22:00:00+01:00", "Alex", &["broke", "date-night"]);
    let text = on_terminal_as(
        &env,
        SAT14,
        "Alex",
        &["repair", "1"],
        &[
            "I promised date night and stayed late at work without calling.",
            "Forgotten, and like work matters more.",
            "I'm sorry I left you waiting, but the deadline was real.",
            "",
        ],
    );
    assert!(text.contains("What happened, in your words?") && text.contains("understanding comes first"), "{text}");
    assert!(text.contains("How did it feel for Sam?"), "{text}");
    assert!(text.contains("own the impact; leave out the explanations"), "{text}");
    assert!(text.contains("A plan, if you have one"), "{text}");
    assert!(text.contains("hint: an apology is not an explanation"), "{text}");
    assert!(text.contains("offered  repair #1"), "{text}");
    let s = show(&env, SAT14);
    let r = &s["repairs"][0];
    assert_eq!(r["understood"], "I promised date night and stayed late at work without calling.");
    assert_eq!(r["feeling"], "Forgotten, and like work matters more.");
    assert_eq!(r["apology"], "I'm sorry I left you waiting, but the deadline was real.");
    assert_eq!(r["plan"], Value::Null);
}

/// Export from one ledger and import into another, at `now`.
fn carry(from: &TestEnv, to: &TestEnv, now: &str, who_from: &str, who_to: &str) {
    let file = from.path("carry.json");
    ok(from, now, who_from, &["export", "-o", file.to_str().unwrap()]);
    ok(to, now, who_to, &["import", file.to_str().unwrap()]);
}

fn id_of(env: &TestEnv, now: &str, uuid: &Value) -> String {
    let log = json(env, now, "Sam", &["log", "--all"]);
    log.as_array().unwrap().iter().find(|e| e["uuid"] == *uuid).expect("entry carried")["id"].to_string()
}

#[test]
fn two_ledgers_agree_through_export_and_import() {
    // Alex's laptop and Sam's laptop, each with its own ledger and its own `me`.
    let alex = date_night_from("2026-11-01");
    let sam = TestEnv::berlin();
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    let kept = json(&alex, "2026-11-06T22:00:00+01:00", "Alex", &["kept", "date-night"]);
    let broke = json(&alex, "2026-11-13T22:00:00+01:00", "Alex", &["broke", "date-night"]);
    let t1 = "2026-11-14T09:00:00+01:00";
    carry(&alex, &sam, t1, "Alex", "Sam");
    // Sam sees both to confirm, disputes the kept one (as `me`, no --as needed).
    let inbox = json(&sam, t1, "Sam", &["inbox"]);
    assert_eq!(inbox["to_confirm"].as_array().unwrap().len(), 2, "{inbox}");
    let k = id_of(&sam, t1, &kept["uuid"]);
    let run_sam = |now: &str, args: &[&str]| {
        let out = sam.command().env("TROTH_NOW", now).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    run_sam(t1, &["dispute", &k, "--note", "you were on your phone"]);
    let t2 = "2026-11-14T10:00:00+01:00";
    carry(&sam, &alex, t2, "Sam", "Alex");
    // On Alex's ledger the kept entry is held now.
    let s = show(&alex, t2);
    assert_eq!(slot(&s, FRI6)["held"], 1);
    assert_eq!(entry(&s, kept["id"].as_i64().unwrap())["verdict"]["by"], "Sam");
    // Alex offers a repair for the broken one; Sam accepts it on Sam's laptop.
    ok(
        &alex,
        t2,
        "Alex",
        &["repair", &broke["id"].to_string(), "--understood", "I stayed late", "--apology", "I'm sorry"],
    );
    carry(&alex, &sam, "2026-11-14T11:00:00+01:00", "Alex", "Sam");
    let offered = json(&sam, "2026-11-14T11:00:00+01:00", "Sam", &["inbox"]);
    let rid = offered["repairs_offered"][0]["id"].to_string();
    run_sam("2026-11-14T12:00:00+01:00", &["accept", &rid]);
    let t3 = "2026-11-14T13:00:00+01:00";
    carry(&sam, &alex, t3, "Sam", "Alex");
    // The same facts give the same numbers on both: held kept, broken 0.5 → 0.4, repair 0.4 → 0.43.
    let a = show(&alex, t3);
    let b = json(&sam, t3, "Sam", &["show", "date-night"]);
    assert_eq!(events(&a), [("broken".to_string(), 0.5, 0.4), ("repair accepted".to_string(), 0.4, 0.43)]);
    assert_eq!(events(&a), events(&b));
    assert_eq!(a["trust"], b["trust"]);
    assert_eq!(a["repairs"][0]["uuid"], b["repairs"][0]["uuid"]);
    assert_eq!(a["repairs"][0]["accepted"]["at"], "2026-11-14T12:00:00+01:00");
    // Carrying again changes nothing (by uuid).
    let before = alex.dump();
    carry(&sam, &alex, t3, "Sam", "Alex");
    assert_eq!(before, alex.dump());
    // A verdict by the one who logged the entry is refused at the door, like at the command line.
    let file = alex.path("forged.json");
    let mut doc: Value = serde_json::from_str(&ok(&alex, t3, "Alex", &["export"])).expect("export is JSON");
    let mut forged = doc["verdicts"][0].clone();
    forged["uuid"] = Value::from("7b0c4c1e-6a0b-4b7e-9a51-3f6f1b2c9d10");
    forged["by"] = Value::from("Alex");
    forged["verdict"] = Value::from("confirmed");
    doc["verdicts"].as_array_mut().unwrap().push(forged);
    std::fs::write(&file, serde_json::to_string(&doc).unwrap()).unwrap();
    let err = refused(&sam, t3, "Sam", &["import", file.to_str().unwrap()]);
    assert!(err.contains("not the other party"), "{err}");
    // So is an acceptance by the promisor.
    let mut doc: Value = serde_json::from_str(&ok(&alex, t3, "Alex", &["export"])).unwrap();
    let mut forged = doc["acceptances"][0].clone();
    forged["uuid"] = Value::from("7b0c4c1e-6a0b-4b7e-9a51-3f6f1b2c9d11");
    forged["by"] = Value::from("Alex");
    doc["acceptances"].as_array_mut().unwrap().push(forged);
    std::fs::write(&file, serde_json::to_string(&doc).unwrap()).unwrap();
    let err = refused(&sam, t3, "Sam", &["import", file.to_str().unwrap()]);
    assert!(err.contains("can accept"), "{err}");
}

#[test]
fn two_synced_ledgers_hear_each_other() {
    // Alex and Sam, each on their own laptop, syncing through one folder.
    let mut p = crate::sync::pair_with(None);
    let (alex, sam) = (&mut p.alex, &mut p.sam);
    alex.set_now("2026-11-27T22:00:00+01:00");
    let kept = alex.json(&["kept", "date-night", "--note", "the little Italian place"]);
    let broke_at = "2026-12-04T22:00:00+01:00";
    alex.set_now(broke_at);
    let broke = alex.json(&["broke", "date-night"]);
    // Sam's inbox shows both, seconds later, without running sync.
    sam.set_now("2026-12-05T09:00:00+01:00");
    let inbox = sam.json(&["inbox"]);
    let uuids: Vec<&Value> = inbox["to_confirm"].as_array().unwrap().iter().map(|e| &e["uuid"]).collect();
    assert_eq!(uuids, [&kept["uuid"], &broke["uuid"]], "{inbox}");
    let local =
        |v: &Value, uuid: &Value| v.as_array().unwrap().iter().find(|e| e["uuid"] == *uuid).unwrap()["id"].to_string();
    let log = sam.json(&["log"]);
    sam.ok(&["dispute", &local(&log, &kept["uuid"]), "--note", "you were on your phone most of the evening"]);
    // Alex sees it held, in words that blame no one.
    alex.set_now("2026-12-05T10:00:00+01:00");
    let text = alex.ok(&["inbox"]);
    assert!(text.contains("Sam saw it differently: \"you were on your phone"), "{text}");
    alex.ok(&["repair", &broke["id"].to_string(), "--understood", "I stayed late", "--apology", "I'm sorry"]);
    sam.set_now("2026-12-05T11:00:00+01:00");
    let offered = sam.json(&["inbox"]);
    let rid = offered["repairs_offered"][0]["id"].to_string();
    let out = sam.ok(&["accept", &rid]);
    assert!(out.contains("you chose to trust a little more"), "{out}");
    // The same numbers on both laptops: the kept entry held, broken 0.5 → 0.4, one repair step 0.4 → 0.43.
    alex.set_now("2026-12-05T12:00:00+01:00");
    sam.set_now("2026-12-05T12:00:00+01:00");
    let a = alex.json(&["show", "date-night"]);
    let s = sam.json(&["show", "date-night"]);
    assert_eq!(events(&a), [("broken".to_string(), 0.5, 0.4), ("repair accepted".to_string(), 0.4, 0.43)]);
    assert_eq!(events(&a), events(&s));
    assert_eq!(a["trust"], s["trust"]);
    assert_eq!(crate::sync::without_ids(&a["repairs"]), crate::sync::without_ids(&s["repairs"]));
    assert_eq!(alex.json(&["inbox"])["disputes"][0]["uuid"], kept["uuid"]);
    // Every fact is in its device's files.
    let v = alex.json(&["verify"]);
    assert_eq!(v["ok"], true, "{v}");
}
