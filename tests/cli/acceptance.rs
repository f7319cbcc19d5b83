//! Found in an acceptance review against docs/design.md and docs/cli.md: the
//! program used as the contract says, each case pinned where it went wrong.

use crate::support::{TestEnv, num};
use serde_json::Value;

fn couple() -> TestEnv {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env
}

/// The fields of a promise that say what its record is.
fn figures(v: &Value) -> (f64, Value, Value, Value) {
    (num(&v["trust"]), v["rate"].clone(), v["done"].clone(), v["status"].clone())
}

fn listed(env: &TestEnv, slug: &str) -> Value {
    let list = env.json(&["list", "--all"]);
    list.as_array().unwrap().iter().find(|x| x["slug"] == slug).cloned().expect("listed")
}

/// `promise --json` is "one element of `list --json`" (docs/cli.md), and so
/// is what `amend`, `pause`, `resume`, `retire` and `void --agreement` print:
/// a promise started in the past already has missed slots behind its trust.
#[test]
fn every_command_that_prints_a_promise_prints_its_record() {
    let env = couple();
    // September and October missed: 0.5 × 0.8⁴ = 0.2048, follow-through 0.
    let made = env.json(&["promise", "Weekends", "--terms", "2/month", "--starts", "2026-09-01", "--slug", "w"]);
    assert_eq!(num(&made["trust"]), 0.2048);
    assert_eq!(made["rate"], 0.0);
    assert_eq!(made, listed(&env, "w"));
    env.ok(&["kept", "w", "--at", "2026-11-02"]);
    let amended = env.json(&["amend", "w", "--terms", "1/month", "--anyway"]);
    assert_eq!(amended, listed(&env, "w"));
    assert!(num(&amended["trust"]) > 0.2048, "{amended}");
    for cmd in ["pause", "resume", "retire"] {
        let v = env.json(&[cmd, "w"]);
        assert_eq!(figures(&v), figures(&listed(&env, "w")), "{cmd}");
        assert_eq!(v, listed(&env, "w"), "{cmd}");
    }
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-11-20", "--starts", "2026-11-01", "--slug", "sink"]);
    let voided = env.json(&["void", "--agreement", "sink"]);
    assert_eq!(voided, listed(&env, "sink"));
}

/// `--by me` and `--to partner` name the two people `init` set, as `--as me`
/// does — never a third person literally called "me".
#[test]
fn the_role_words_name_the_two_people() {
    let env = couple();
    let p = env.json(&["promise", "Cook", "--by", "me"]);
    assert_eq!((p["by"].as_str(), p["to"].as_str()), (Some("Alex"), Some("Sam")));
    let p = env.json(&["promise", "Call", "--by", "partner"]);
    assert_eq!((p["by"].as_str(), p["to"].as_str()), (Some("Sam"), Some("Alex")));
    let p = env.json(&["promise", "Walk", "--to", "me"]);
    assert_eq!((p["by"].as_str(), p["to"].as_str()), (Some("Sam"), Some("Alex")));
    let p = env.json(&["promise", "Tea", "--by", "partner", "--to", "me"]);
    assert_eq!((p["by"].as_str(), p["to"].as_str()), (Some("Sam"), Some("Alex")));
    env.fails(2, &["promise", "Self", "--by", "me", "--to", "Alex"]);
    // Before `init` the roles are the names themselves.
    let fresh = TestEnv::berlin();
    let p = fresh.json(&["promise", "Cook", "--by", "partner"]);
    assert_eq!((p["by"].as_str(), p["to"].as_str()), (Some("partner"), Some("me")));
}

/// docs/design.md §4: `amend` to more than the record supports goes ahead only
/// with `--anyway` — easing 4 a month to 3 when the record supports 2 too.
#[test]
fn easing_to_more_than_the_record_supports_needs_anyway() {
    let env = couple();
    env.ok(&["promise", "Weekends", "--terms", "4/month", "--starts", "2026-05-01", "--slug", "w"]);
    // Delivered 4, 2, 2, 1, 3, 2: 14 of 24 → supports ⌊14 × 4 / 24⌋ = 2 a month.
    for (month, kept) in [(5, 4), (6, 2), (7, 2), (8, 1), (9, 3), (10, 2)] {
        for day in 1..=kept {
            env.ok(&["kept", "w", "--at", &format!("2026-{month:02}-{day:02}")]);
        }
    }
    let o = env.json(&["overpromising"]);
    assert_eq!(o["agreements"][0]["suggested_terms"], "2/month");
    let err = env.fails(2, &["amend", "w", "--terms", "3/month"]);
    assert!(err.contains("promised 24, delivered 14"), "{err}");
    assert!(err.contains("2/month does"), "{err}");
    env.fails(2, &["amend", "w", "--terms", "every sat"]);
    env.ok(&["amend", "w", "--terms", "3/month", "--anyway"]);
    env.ok(&["amend", "w", "--terms", "2/month"]);
}

/// Easing a promise that delivered nothing has no figure to exceed: it goes
/// ahead (the record names no suggestion, docs/design.md §4).
#[test]
fn easing_a_promise_that_delivered_nothing_goes_ahead() {
    let env = couple();
    env.ok(&["promise", "Weekends", "--terms", "4/month", "--starts", "2026-05-01", "--slug", "w"]);
    let o = env.json(&["overpromising"]);
    assert_eq!(o["agreements"][0]["suggested_terms"], Value::Null);
    env.ok(&["amend", "w", "--terms", "1/month"]);
    env.fails(2, &["amend", "w", "--terms", "5/month"]);
}

/// `review` reads its answers from stdin whether or not it is a terminal, so
/// a script (or a test) can pipe them; `--json` lists what it would ask.
#[test]
fn review_takes_piped_answers() {
    let env = couple();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let asked = env.json(&["review"]);
    let dues: Vec<&str> = asked.as_array().unwrap().iter().map(|s| s["due"].as_str().unwrap()).collect();
    assert_eq!(dues, ["2026-11-06T19:00:00+01:00", "2026-11-13T19:00:00+01:00", "2026-11-20T19:00:00+01:00"]);
    assert_eq!(asked[0]["remaining"], 1);
    assert_eq!(asked[0]["slug"], "date-night");
    assert!(env.json(&["log"]).as_array().unwrap().is_empty(), "--json records nothing");
    // No input at all: nothing logged, no error.
    let out = env.ok(&["review"]);
    assert!(out.contains("0 logged"), "{out}");
    let out = env.piped(&["review"], b"kept\nskip\nb\n");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    assert!(text.contains("3 slots are past due"), "{text}");
    assert!(text.contains("2 logged"), "{text}");
    let log = env.json(&["log"]);
    let got: Vec<(&str, &str)> =
        log.as_array().unwrap().iter().map(|e| (e["outcome"].as_str().unwrap(), e["at"].as_str().unwrap())).collect();
    assert_eq!(got, [("kept", "2026-11-06T19:00:00+01:00"), ("broken", "2026-11-20T19:00:00+01:00")]);
    assert!(env.json(&["review"]).as_array().unwrap().len() == 1, "13 Nov was skipped: still asked about");
}

/// `me` and `partner` are two people (docs/design.md §1): `init` or `config`
/// that would name one person twice is refused, the ledger untouched.
#[test]
fn me_and_partner_are_two_people() {
    let fresh = TestEnv::berlin();
    fresh.fails(2, &["init", "--me", "Sam", "--partner", "Sam"]);
    assert!(!fresh.db.exists(), "a refused init creates no ledger");
    let env = couple();
    let err = env.fails(2, &["init", "--me", "Sam"]);
    assert!(err.contains("Sam cannot be both me and partner"), "{err}");
    env.fails(2, &["init", "--partner", "Alex"]);
    env.fails(2, &["config", "partner", "Alex"]);
    env.fails(2, &["config", "me", " Sam "]);
    env.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    assert_eq!(env.json(&["config"])["me"], "Sam");
}

/// "dates from 1970 to 2999" (docs/cli.md) are the dates a person types in
/// their zone: 1 January 1970 in Berlin (23:00 UTC the day before) and the end
/// of 31 December 2999 in New York (05:00 UTC in 3000) are in; a day either
/// side is out. An export of such a promise imports again.
#[test]
fn the_year_limits_are_read_in_the_zone() {
    let berlin = TestEnv::berlin();
    let p = berlin.json(&["promise", "Old", "--starts", "1970-01-01", "--terms", "1/year", "--anyway"]);
    assert_eq!(p["starts"], "1970-01-01T00:00:00+01:00");
    berlin.fails(2, &["promise", "Older", "--starts", "1969-12-31 23:59"]);
    berlin.fails(2, &["promise", "Older", "--starts", "1969-12-31T23:30:00+00:00"]);
    let out = berlin.path("old.json");
    berlin.ok(&["export", "-o", out.to_str().unwrap()]);
    let again = TestEnv::berlin();
    again.ok(&["import", out.to_str().unwrap()]);
    assert_eq!(again.json(&["list"])[0]["starts"], "1970-01-01T00:00:00+01:00");

    let ny = TestEnv::new("America/New_York", "2026-11-23T12:00:00-05:00");
    let p = ny.json(&["promise", "Long", "--ends", "2999-12-31"]);
    assert_eq!(p["ends"], "3000-01-01T00:00:00-05:00");
    ny.fails(2, &["promise", "Longer", "--ends", "3000-01-01 00:30"]);
    ny.fails(2, &["promise", "Longer", "--ends", "3000-01-01T00:00:00-05:00"]);
}

/// `#3`, as troth prints a promise's id, finds it; `log` with `--since` after
/// `--until` names no time at all and is refused rather than answered empty.
#[test]
fn ids_as_printed_and_a_reversed_range() {
    let env = couple();
    env.ok(&["promise", "Call if late", "--slug", "call", "--starts", "2026-11-01"]);
    let e = env.json(&["kept", "#1", "--at", "2026-11-20"]);
    assert_eq!(e["agreement"], "call");
    assert_eq!(env.json(&["show", "#1"])["slug"], "call");
    let err = env.fails(2, &["log", "--since", "2026-11-22", "--until", "2026-11-20"]);
    assert!(err.contains("--since") && err.contains("after --until"), "{err}");
    let same_day = env.json(&["log", "--since", "2026-11-20", "--until", "2026-11-20"]);
    assert_eq!(same_day.as_array().unwrap().len(), 1, "both ends are inclusive");
    env.fails(2, &["kept", "#99"]);
    env.fails(2, &["kept", "#"]);
}

/// `--json` is JSON on stdout and nothing else (docs/cli.md), whatever
/// `--format` says — as `export --json` already was.
#[test]
fn json_wins_over_another_format() {
    let env = couple();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    for format in ["markdown", "csv", "table", "html", "json"] {
        let v = env.json(&["report", "--format", format]);
        assert_eq!(v["week"], "2026-W47", "{format}");
    }
    assert_eq!(env.json(&["export", "--format", "csv"])["format"], "troth-export");
}

/// A slug made from words with accents keeps their letters: "Écouter
/// ensemble" → `ecouter-ensemble`, not `couter-ensemble`.
#[test]
fn slugs_keep_accented_letters() {
    let env = couple();
    for (text, slug) in [
        ("Écouter ensemble", "ecouter-ensemble"),
        ("Café on Sundays", "cafe"),
        ("Tschüß sagen", "tschuss-sagen"),
        ("Ça va 🙂", "ca-va"),
        ("🙂🙂", "promise"),
    ] {
        assert_eq!(env.json(&["promise", text])["slug"], slug, "{text}");
    }
}

/// A refused setting says the range it must be in: 0 is refused for a gain
/// (it would never move trust), so "between 0 and 1" would not be right.
#[test]
fn a_refused_setting_says_its_range() {
    let env = couple();
    let err = env.fails(2, &["config", "trust.gain", "0"]);
    assert!(err.contains("above 0 and at most 1"), "{err}");
    let err = env.fails(2, &["config", "trust.start", "1.5"]);
    assert!(err.contains("from 0 to 1"), "{err}");
    env.ok(&["config", "trust.start", "0"]);
}

/// `troth` alone is a usage error like any other: one `error:` line, then
/// only `hint:` lines (the commands named in one), exit 2.
#[test]
fn troth_alone_is_one_error_line_and_hints() {
    let env = TestEnv::berlin();
    let err = env.fails(2, &[]);
    assert!(err.contains("hint: the commands: init, promise, list"), "{err}");
}

/// Something delivered, but less than once a year: no quota fits, so no
/// suggestion — and the words do not say that nothing was delivered.
#[test]
fn less_than_once_a_year_is_not_nothing() {
    let env = couple();
    env.ok(&["promise", "Trips", "--terms", "3/year", "--slug", "trips", "--starts", "2020-01-01"]);
    env.ok(&["kept", "trips", "--at", "2021-05-01"]);
    let o = env.json(&["overpromising"]);
    assert_eq!(o["agreements"][0]["delivered"], 1);
    assert_eq!(o["agreements"][0]["suggested_terms"], Value::Null);
    let text = env.ok(&["overpromising"]);
    assert!(!text.contains("nothing was delivered"), "{text}");
    assert!(text.contains("less than once a year"), "{text}");
}

/// Retirement is final (docs/design.md §1): once it has taken effect, nothing
/// but `void --agreement` applies — voiding one of its entries is refused too.
#[test]
fn a_retired_promise_takes_nothing_but_void_agreement() {
    let env = couple();
    env.ok(&["promise", "Call if late", "--slug", "call", "--starts", "2026-11-01"]);
    env.ok(&["kept", "call", "--at", "2026-11-20"]);
    env.ok(&["retire", "call"]);
    for args in [
        vec!["void", "1"],
        vec!["pause", "call"],
        vec!["resume", "call"],
        vec!["retire", "call"],
        vec!["amend", "call", "--terms", "1/week"],
        vec!["kept", "call"],
        vec!["broke", "call"],
        vec!["excuse", "call"],
    ] {
        env.fails(2, &args);
    }
    env.ok(&["void", "--agreement", "call"]);
}

/// `kept`/`broke`/`excuse`/`void --json` print the entry as `log --json` has
/// it (docs/cli.md), `late` included: a deadline kept after its due time.
#[test]
fn a_written_entry_is_the_logged_entry() {
    let env = couple();
    env.ok(&["promise", "Call if late", "--slug", "call", "--starts", "2026-11-01"]);
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-11-22", "--slug", "sink", "--starts", "2026-11-01"]);
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let written = vec![
        env.json(&["kept", "call", "--at", "2026-11-20"]),
        env.json(&["kept", "sink"]),
        env.json(&["broke", "date-night", "--at", "2026-11-20 20:00"]),
        env.json(&["excuse", "date-night"]),
    ];
    assert_eq!(written[1]["late"], true, "the sink was fixed after its deadline");
    assert_eq!(written[0]["late"], false);
    let log = env.json(&["log"]);
    for w in &written {
        let logged = log.as_array().unwrap().iter().find(|e| e["id"] == w["id"]).unwrap();
        assert_eq!(w, logged);
    }
    let voided = env.json(&["void", "1"]);
    let log = env.json(&["log", "--all"]);
    assert_eq!(&voided, log.as_array().unwrap().iter().find(|e| e["id"] == 1).unwrap());
}

/// The summaries read `--by me` and `--by partner` as the two names `init`
/// set, as `promise --by me` and `--as me` do.
#[test]
fn summaries_by_the_role_words() {
    let env = couple();
    env.ok(&["promise", "Weekends", "--terms", "2/month", "--starts", "2026-10-01", "--slug", "w"]);
    env.ok(&["promise", "Call", "--by", "Sam", "--slug", "call", "--starts", "2026-11-01"]);
    env.ok(&["kept", "call", "--at", "2026-11-20"]);
    assert_eq!(env.json(&["report", "--by", "me"]), env.json(&["report", "--by", "Alex"]));
    assert_eq!(env.json(&["report", "--by", "partner"]), env.json(&["report", "--by", "Sam"]));
    assert_eq!(env.json(&["trend", "--by", "me"])["subject"], "Alex");
    assert_eq!(env.json(&["overpromising", "--by", "me"]), env.json(&["overpromising", "--by", "Alex"]));
    let mut as_sam = env.command();
    as_sam.args(["--as", "Sam", "trend", "--by", "me", "--json"]);
    let out = as_sam.output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["subject"], "Sam");
}

/// Past its `--ends` a promise takes no entries (docs/design.md §1), and
/// there is nothing left to amend, pause or resume; retiring still works.
#[test]
fn an_ended_promise_has_nothing_left_to_change() {
    let mut env = couple();
    env.ok(&["promise", "Walk", "--terms", "1/week", "--starts", "2026-11-02", "--ends", "2026-11-25", "--slug", "w"]);
    env.set_now("2026-11-28T10:00:00+01:00");
    env.ok(&["kept", "w", "--at", "2026-11-25 20:00"]);
    let err = env.fails(2, &["amend", "w", "--terms", "2/week", "--anyway"]);
    assert!(err.contains("w ended Wed 25 Nov"), "{err}");
    env.fails(2, &["pause", "w"]);
    env.fails(2, &["kept", "w"]);
    env.fails(2, &["excuse", "w"]);
    env.ok(&["retire", "w"]);
}

/// TZ as glibc also reads it, a tzfile path, names its IANA zone.
#[test]
fn tz_as_a_zoneinfo_path_names_its_zone() {
    for (tz, zone) in [
        ("/usr/share/zoneinfo/Asia/Kolkata", "Asia/Kolkata"),
        (":/usr/share/zoneinfo/Pacific/Auckland", "Pacific/Auckland"),
    ] {
        let env = TestEnv::new(tz, "2026-11-23T18:00:00+01:00");
        assert_eq!(env.json(&["init"])["zone"], zone);
    }
    let env = TestEnv::new("/usr/share/zoneinfo/Mars/Olympus", "2026-11-23T18:00:00+01:00");
    env.fails(2, &["init"]);
}

/// A deadline released by agreement before it was due is done, and was not
/// missed: `list` says "done: excused", its trust is untouched.
#[test]
fn an_excused_deadline_is_not_missed() {
    let mut env = couple();
    env.set_now("2026-11-20T18:00:00+01:00");
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-11-22", "--slug", "sink"]);
    env.ok(&["excuse", "sink"]);
    env.set_now("2026-11-24T10:00:00+01:00");
    let text = env.ok(&["list"]);
    assert!(text.contains("done: excused"), "{text}");
    assert!(!text.contains("missed"), "{text}");
    let v = &env.json(&["list"])[0];
    assert_eq!((v["done"].clone(), num(&v["trust"]), v["rate"].clone()), (Value::Bool(true), 0.5, Value::Null));
}

/// A fortnight quota may name its unit or say "times", as a month's may
/// ("2 weekends a month"): "3 times every 2 weeks", "2 dinners every other week".
#[test]
fn fortnight_quotas_with_their_unit() {
    let env = couple();
    for (terms, canonical, unit) in [
        ("3 times every 2 weeks", "3/fortnight", Value::Null),
        ("2 dinners every 2 weeks", "2/fortnight", Value::from("dinners")),
        ("2 dinners every other week", "2/fortnight", Value::from("dinners")),
        ("2 every 2 weeks", "2/fortnight", Value::Null),
    ] {
        let p = env.json(&["promise", "Dinners", "--terms", terms, "--anyway"]);
        assert_eq!((p["terms"].clone(), p["unit"].clone()), (Value::from(canonical), unit), "{terms}");
    }
    assert_eq!(env.json(&["promise", "Hike", "--terms", "every 2 weeks on sat"])["terms"], "every 2 weeks sat");
}

/// An answer `review` cannot read is asked again rather than taken as a skip;
/// an empty answer skips.
#[test]
fn review_asks_again_after_an_answer_it_cannot_read() {
    let env = couple();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let text = env.piped(&["review"], b"kep\nk\n\nb\n").stdout;
    assert!(text.contains("kept, broken, excused, skip or quit?"), "{text}");
    let log = env.json(&["log"]);
    let got: Vec<(&str, &str)> =
        log.as_array().unwrap().iter().map(|e| (e["outcome"].as_str().unwrap(), e["at"].as_str().unwrap())).collect();
    assert_eq!(got, [("kept", "2026-11-06T19:00:00+01:00"), ("broken", "2026-11-20T19:00:00+01:00")]);
}

/// A pause asked for but not yet in effect is said as such when asked again.
#[test]
fn a_pending_pause_is_said_as_pending() {
    let mut env = couple();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    env.ok(&["pause", "date-night"]);
    let err = env.fails(2, &["pause", "date-night"]);
    assert!(err.contains("date-night is already being paused from Fri 27 Nov"), "{err}");
    env.set_now("2026-11-28T10:00:00+01:00");
    let err = env.fails(2, &["pause", "date-night"]);
    assert!(err.contains("date-night is already paused"), "{err}");
}
