//! Bad input (DESIGN.md §8): one `error:` line, hints after it, exit 2, the
//! ledger's content unchanged. `TestEnv::fails` checks all four.

use crate::support::TestEnv;

fn ledger() -> TestEnv {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    env.ok(&["promise", "Weekends", "--terms", "2 weekends a month", "--starts", "2026-11-01"]);
    env.ok(&["promise", "Call if late"]);
    env.ok(&["kept", "date-night", "--at", "2026-11-20 19:30"]);
    env
}

#[test]
fn bad_terms_name_a_valid_example() {
    let env = ledger();
    let err = env.fails(2, &["promise", "date night", "--terms", "lots"]);
    assert!(err.contains("could not read terms \"lots\""), "{err}");
    assert!(err.contains("hint: try \"every fri 19:00\""), "{err}");
}

#[test]
fn the_corpus_of_bad_input() {
    let env = ledger();
    let long = "x".repeat(501);
    let long_note = "n".repeat(4001);
    let long_slug = "a".repeat(41);
    let long_name = "n".repeat(61);
    let cases: Vec<Vec<&str>> = vec![
        // unknown agreement or entry
        vec!["kept", "nope"],
        vec!["kept", "99"],
        vec!["show", "nope"],
        vec!["void", "999"],
        vec!["void", "abc"],
        vec!["void", "--agreement", "nope"],
        vec!["amend", "nope", "--terms", "daily"],
        vec!["pause", "nope"],
        vec!["trend", "nope"],
        vec!["log", "nope"],
        // slugs
        vec!["promise", "x", "--slug", "Date Night"],
        vec!["promise", "x", "--slug", "123"],
        vec!["promise", "x", "--slug", "date-night"],
        vec!["promise", "x", "--slug", "a'; DROP TABLE entries; --"],
        vec!["promise", "x", "--slug", &long_slug],
        vec!["promise", "x", "--slug", ""],
        // text and notes
        vec!["promise", &long],
        vec!["promise", ""],
        vec!["promise", "   "],
        vec!["kept", "date-night", "--note", &long_note],
        vec!["promise", "x", "--by", &long_name],
        vec!["promise", "x", "--to", ""],
        // terms
        vec!["promise", "x", "--terms", "0/week"],
        vec!["promise", "x", "--terms", "-1/week"],
        vec!["promise", "x", "--terms", "99999999999/day"],
        vec!["promise", "x", "--terms", "every 25:00"],
        vec!["promise", "x", "--terms", "monthly on 32"],
        vec!["promise", "x", "--terms", "by 2026-02-30"],
        vec!["promise", "x", "--terms", "by 0000-01-01"],
        vec!["promise", "x", "--terms", "by 9999-12-31"],
        vec!["promise", "x", "--terms", "by 2026-11-01"],
        vec!["promise", "x", "--terms", "'; DROP TABLE agreements; --"],
        vec!["amend", "date-night", "--terms", "sometimes"],
        // WHEN
        vec!["kept", "date-night", "--at", "tomorrow"],
        vec!["kept", "date-night", "--at", "2027-01-01"],
        vec!["kept", "date-night", "--at", "2026-10-01"],
        vec!["kept", "date-night", "--at", "last blursday"],
        vec!["kept", "date-night", "--at", "2026-13-01"],
        vec!["kept", "date-night", "--at", "0000-01-01"],
        vec!["kept", "date-night", "--at", "9999-01-01"],
        vec!["kept", "date-night", "--at", "-3d ago"],
        vec!["promise", "x", "--starts", "soon"],
        vec!["promise", "x", "--starts", "2026-11-01", "--ends", "2026-10-01"],
        vec!["log", "--since", "whenever"],
        // DURATION
        vec!["promise", "x", "--remind", "soon"],
        vec!["promise", "x", "--remind", "-1h"],
        vec!["promise", "x", "--remind", "99999999d"],
        vec!["due", "--within", "7"],
        vec!["due", "--within", "1y"],
        // zones
        vec!["promise", "x", "--zone", "Mars/Olympus"],
        vec!["promise", "x", "--zone", "CET-1CEST"],
        vec!["init", "--zone", "Nowhere"],
        // names
        vec!["init", "--me", ""],
        // rules
        vec!["excuse", "date-night", "--at", "2026-11-13"],
        vec!["excuse", "call-if-late"],
        vec!["amend", "date-night", "--terms", "every fri 19:00"],
        vec!["resume", "date-night"],
        vec!["report", "--week", "2026-W54"],
        vec!["report", "--week", "next"],
        vec!["report", "--by", "Nobody"],
        vec!["overpromising", "--slots", "2"],
        vec!["trend", "--weeks", "0"],
        vec!["trend", "--weeks", "-3"],
        vec!["config", "nope"],
        // usage errors from clap
        vec!["kept"],
        vec!["promise"],
        vec!["frobnicate"],
        vec!["report", "--format", "pdf"],
        vec!["void"],
    ];
    for args in &cases {
        env.fails(2, args);
    }
}

#[test]
fn too_late_to_excuse_says_what_would_be_right() {
    let env = ledger();
    let err = env.fails(2, &["excuse", "date-night", "--at", "2026-11-13"]);
    assert!(err.contains("too late to excuse date-night"), "{err}");
    assert!(err.contains("on Fri 13 Nov: it was due at 19:00"), "{err}");
    assert!(err.contains("hint: log it as broken"), "{err}");
}

#[test]
fn a_bad_troth_now_is_bad_input() {
    let mut env = ledger();
    env.set_now("yesterday-ish");
    env.fails(2, &["list"]);
}

#[test]
fn invalid_utf8_in_arguments_is_refused() {
    use std::os::unix::ffi::OsStrExt;
    let env = ledger();
    let before = env.dump();
    let out = env.command().arg("promise").arg(std::ffi::OsStr::from_bytes(b"caf\xe9")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
    assert_eq!(before, env.dump());
}

/// A corpus of hostile input: every case exits 2 with one `error:` line and
/// leaves the ledger's content as it was (TestEnv::fails checks all of it).
#[test]
fn hostile_corpus() {
    let env = ledger();
    let mut cases: Vec<Vec<String>> = Vec::new();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    for terms in [
        "",
        "0/day",
        "1/0",
        "1/eon",
        "1 per",
        "per month",
        "2 a",
        "every",
        "every xday",
        "every fri 24:00",
        "every fri 19:60",
        "every fri 7:5",
        "every fri 13pm",
        "monthly on",
        "monthly on -1",
        "monthly on 1st 25:00",
        "by",
        "by tomorrow-ish",
        "by 2026-00-10",
        "by 2026-12-32",
        "by 1969-12-31",
        "by 3000-01-01",
        "standing still",
        "\" OR 1=1 --",
        "2/month; DELETE FROM entries",
        "1e9/day",
        "NaN/week",
        "٣/week",
        "🙂 a week",
        "2/month/year",
    ] {
        if terms.is_empty() {
            continue; // empty terms are "standing", which is valid
        }
        cases.push(s(&["promise", "x", "--terms", terms]));
    }
    for when in [
        "soonish",
        "2026-11-31",
        "2026-02-29",
        "2026-11-20 25:00",
        "2026-11-20T19:30:00+25:00",
        "24h from now",
        "0d ago ago",
        "1y ago",
        "ago",
        "-1d",
        "9999-12-31",
        "0000-01-01",
        "1969-12-31 23:59",
        "20261120",
        "11/20/2026",
        "2026-11-20 7xm",
        "now + 1d",
        "' OR '1'='1",
        "\u{7f}",
        "2026-11-20 19:30 +01:00 extra",
    ] {
        cases.push(s(&["kept", "date-night", "--at", when]));
    }
    for dur in ["0", "1", "d", "1.5h", "1h1h", "-2h", "1hour", "∞", "99999999m", "1d-1h", "1w1x", " ", "1s"] {
        cases.push(s(&["promise", "x", "--remind", dur]));
        cases.push(s(&["due", "--within", dur]));
    }
    for slug in [
        "UPPER",
        "with space",
        "ümlaut",
        "a/b",
        "a.b",
        "a_b",
        "0",
        "42",
        "'; DROP TABLE agreements; --",
        "\"quoted\"",
        "tab\there",
        "slash\\",
        "weekends",
    ] {
        cases.push(s(&["promise", "x", "--slug", slug]));
    }
    for zone in ["Mars/Olympus", "UTC+1", "EST5EDT,M3.2.0,M11.1.0", "europe/berlin/extra", "../../etc/passwd", ""] {
        cases.push(s(&["promise", "x", "--zone", zone]));
    }
    for num in ["-1", "0", "99999999999999999999", "1e3", "abc", "3.5"] {
        cases.push(s(&["trend", "--weeks", num]));
        cases.push(s(&["void", num]));
    }
    for week in ["2026-W00", "2026-W54", "2026W47", "W47", "0000-W01", "9999-W01", "2026-W-1"] {
        cases.push(s(&["report", "--week", week]));
    }
    let long_text = "x".repeat(501);
    let long_note = "n".repeat(4001);
    cases.push(s(&["promise", &long_text]));
    cases.push(s(&["kept", "date-night", "--note", &long_note]));
    cases.push(s(&["promise", "ctrl\u{7}char"]));
    cases.push(s(&["kept", "date-night", "--note", "bell\u{7}"]));
    cases.push(s(&["promise", "x", "--by", "new\nline"]));
    cases.push(s(&["config", "me", ""]));
    cases.push(s(&["config", "overpromise.threshold", "-0.1"]));
    cases.push(s(&["config", "trust.start", "NaN"]));
    cases.push(s(&["config", "trust.gain", "inf"]));
    cases.push(s(&["config", "remind.quiet", "25:00-08:00"]));
    assert!(cases.len() >= 100, "the corpus has {} cases", cases.len());
    for args in &cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        env.fails(2, &a);
    }
}
