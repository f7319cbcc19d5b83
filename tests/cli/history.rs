//! `show` keeps a promise's whole history (docs/design.md §7): the terms it
//! was made with and every amend with its note and when it took effect,
//! pauses and resumes, excuses and voids beside the events behind its trust;
//! the recent part by default, saying exactly how many earlier rows are left
//! out, and every row with `--all`.

use crate::screens::screen;
use crate::support::TestEnv;

/// Date night, amended from Fridays to Saturdays with a note, paused and
/// resumed, an excuse ahead and an entry voided; seen on Wed 14 Oct 2026.
fn amended() -> TestEnv {
    let mut env = TestEnv::new("Europe/Berlin", "2026-09-01T09:00:00+02:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00"]);
    for (now, args) in [
        ("2026-09-05T10:00:00+02:00", vec!["kept", "date-night", "--at", "2026-09-04 20:00"]),
        ("2026-09-12T10:00:00+02:00", vec!["broke", "date-night", "--at", "2026-09-11 20:00", "--note", "worked late"]),
        (
            "2026-09-16T10:00:00+02:00",
            vec!["amend", "date-night", "--terms", "every sat 19:00", "--note", "Fridays are too tiring after work"],
        ),
        ("2026-09-20T10:00:00+02:00", vec!["kept", "date-night", "--at", "2026-09-19 20:00"]),
        ("2026-09-21T10:00:00+02:00", vec!["pause", "date-night", "--note", "until the move is done"]),
        ("2026-10-01T10:00:00+02:00", vec!["resume", "date-night"]),
        ("2026-10-13T10:00:00+02:00", vec!["excuse", "date-night", "--note", "away at mum's"]),
        ("2026-10-13T10:00:00+02:00", vec!["kept", "date-night", "--at", "2026-10-10 21:00", "--note", "oops"]),
    ] {
        env.set_now(now);
        env.ok(&args);
    }
    let log = env.json(&["log"]);
    let oops = log.as_array().unwrap().iter().find(|e| e["note"] == "oops").unwrap()["id"].to_string();
    env.ok(&["void", &oops, "--reason", "wrong day"]);
    env.set_now("2026-10-14T10:00:00+02:00");
    env
}

#[test]
fn show_keeps_amends_with_their_notes_pauses_excuses_and_voids() {
    let env = amended();
    let text = env.ok(&["show", "date-night"]);
    for needle in [
        "promised: every fri 19:00",
        "terms became every sat 19:00, agreed Wed 16 Sep 10:00 \"Fridays are too tiring after work\"",
        "paused, asked Mon 21 Sep 10:00 \"until the move is done\"",
        "resumed",
        "excused the slot of Sat 17 Oct \"away at mum's\"",
        "voided #",
        "\"wrong day\"",
        "broken \"worked late\"",
    ] {
        assert!(text.contains(needle), "show lacks {needle:?}:\n{text}");
    }
    assert!(!text.contains("not shown"), "a short history is shown whole:\n{text}");
    insta::assert_snapshot!("show_amended", screen(&env, &["show", "date-night"]));
    // The JSON carries each version's note (and keeps the contract's shape).
    let json = env.json(&["show", "date-night"]);
    let versions = json["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["note"], serde_json::Value::Null);
    assert_eq!(versions[1]["note"], "Fridays are too tiring after work");
    assert_eq!(versions[1]["terms"], "every sat 19:00");
    let statuses = json["statuses"].as_array().unwrap();
    assert_eq!(statuses[0]["note"], "until the move is done");
    assert_eq!(statuses[1]["note"], serde_json::Value::Null);
    // The notes travel with the facts: export, import elsewhere, the same history.
    let file = env.path("facts.json");
    env.ok(&["export", "-o", file.to_str().unwrap()]);
    let mut other = TestEnv::new("Europe/Berlin", "2026-10-14T10:00:00+02:00");
    other.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    other.ok(&["import", file.to_str().unwrap()]);
    other.set_now("2026-10-14T10:00:00+02:00");
    assert_eq!(other.ok(&["show", "date-night"]), env.ok(&["show", "date-night"]));
    // Importing the same file again changes nothing (the notes compare equal).
    other.ok(&["import", file.to_str().unwrap()]);
    for key in ["id", "uuid", "slug", "terms", "status", "trust", "rate", "pending", "statuses", "events", "entries"] {
        assert!(json.get(key).is_some(), "show --json keeps {key}");
    }
}

#[test]
fn a_long_history_says_how_many_rows_are_left_out_and_all_shows_them() {
    let mut env = TestEnv::new("America/New_York", "2026-09-01T08:00:00-04:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk together", "--terms", "daily", "--slug", "walk", "--starts", "2026-09-01"]);
    // 50 days: kept on most, broken on every seventh, one amend.
    for day in 1..=50u32 {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(u64::from(day - 1));
        env.set_now(&format!("{date}T21:00:00-04:00"));
        let at = format!("{date} 20:00");
        if day % 7 == 0 {
            env.ok(&["broke", "walk", "--at", &at]);
        } else {
            env.ok(&["kept", "walk", "--at", &at]);
        }
    }
    env.set_now("2026-10-21T09:00:00-04:00");
    let short = env.ok(&["show", "walk"]);
    let all = env.ok(&["show", "walk", "--all"]);
    let rows =
        |s: &str| s.lines().filter(|l| l.starts_with(' ') && (l.contains(" → ") || l.contains("promised: "))).count();
    // The promise, 50 entries; the default shows the last 30 and counts the rest.
    assert_eq!(rows(&all), 51, "{all}");
    assert_eq!(rows(&short), 30, "{short}");
    assert!(
        short.contains("21 earlier rows (Tue 1 Sep – Sun 20 Sep 20:00) not shown; all of them: troth show walk --all"),
        "{short}"
    );
    assert!(all.contains("promised: once a day (1/day)"), "{all}");
    assert!(!all.contains("not shown"), "{all}");
    // 51 rows, 30 shown: the first shown is the 22nd, the entry of day 21.
    let first_shown = short.lines().find(|l| l.starts_with(' ') && l.contains(" → ")).unwrap();
    assert!(first_shown.trim_start().starts_with("Mon 21 Sep 20:00"), "{first_shown}");
}

#[test]
fn show_says_where_a_promise_stands_before_its_first_slot_and_while_paused() {
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-25T10:00:00+01:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Two weekends a month", "--terms", "2 weekends a month", "--slug", "weekends"]);
    env.ok(&["promise", "Run on Mondays", "--terms", "every mon 07:30", "--slug", "run", "--starts", "2026-11-02"]);
    let text = env.ok(&["show", "weekends"]);
    assert!(text.contains("next month: 2 weekends promised — the month ends Thu 31 Dec"), "{text}");
    env.ok(&["pause", "run"]);
    env.set_now("2026-12-02T10:00:00+01:00");
    let text = env.ok(&["show", "run"]);
    assert!(text.contains("paused: nothing falls due until `troth resume run`"), "{text}");
    // The miss that closes the last slot comes before the pause that starts at its end.
    let miss = text.find("missed (due Mon 23 Nov 07:30)").expect("the last miss");
    let pause = text.find("paused, asked Wed 25 Nov").expect("the pause");
    assert!(miss < pause, "{text}");
}

#[test]
fn a_voided_or_retired_promise_shows_nothing_open_and_its_reasons() {
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-02T10:00:00+01:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Oops", "--terms", "every fri 19:00", "--slug", "oops"]);
    env.ok(&["promise", "Gym", "--terms", "2/week", "--slug", "gym"]);
    env.set_now("2026-11-20T10:00:00+01:00");
    env.ok(&["kept", "gym", "--at", "2026-11-10 20:00"]);
    env.ok(&["void", "--agreement", "oops", "--reason", "entered twice"]);
    env.ok(&["retire", "gym", "--note", "knee injury"]);
    env.set_now("2026-12-01T10:00:00+01:00");
    let oops = env.ok(&["show", "oops"]);
    assert!(oops.contains("voided as entered by mistake: none of it counts \"entered twice\""), "{oops}");
    assert!(oops.contains("no trust figure: it was voided"), "{oops}");
    assert!(!oops.contains("next:") && !oops.contains("late keep"), "{oops}");
    let gym = env.ok(&["show", "gym"]);
    assert!(gym.contains("retired, asked Fri 20 Nov 10:00 \"knee injury\""), "{gym}");
    assert!(gym.contains("missed 1 (the week of Mon 9 Nov: 1 of 2 kept)"), "{gym}");
    assert!(!gym.contains("next:") && !gym.contains("this week"), "{gym}");
}

/// The notes of an amend and a pause reach the partner's device, and both
/// devices show the same history; verify finds every fact in its files.
#[test]
fn amend_and_pause_notes_travel_to_the_partners_device() {
    let mut p = crate::sync::pair_with(None);
    p.alex.set_now("2026-11-25T10:00:00+01:00");
    p.sam.set_now("2026-11-25T10:05:00+01:00");
    p.alex.ok(&["amend", "date-night", "--terms", "every sat 19:00", "--note", "Fridays are too tiring"]);
    p.alex.ok(&["pause", "date-night", "--note", "while we move house"]);
    p.sam.ok(&["sync"]);
    let sam = p.sam.ok(&["show", "date-night"]);
    assert!(sam.contains("\"Fridays are too tiring\"") && sam.contains("\"while we move house\""), "{sam}");
    p.alex.set_now("2026-11-25T10:05:00+01:00");
    let strip = |s: String| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(p.alex.ok(&["show", "date-night"])), strip(sam));
    for d in [&p.alex, &p.sam] {
        assert_eq!(d.json(&["verify"])["ok"], true);
    }
}
