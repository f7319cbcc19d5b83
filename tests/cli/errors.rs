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
    let err = env.fails(2, &["promise", "date night", "--terms", "fridays"]);
    assert!(err.contains("could not read terms \"fridays\""), "{err}");
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
        vec!["kept", "date-night", "--at", "last tuesday"],
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
    assert!(err.contains("it was due at Fri 13 Nov 19:00"), "{err}");
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
