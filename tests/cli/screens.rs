//! Snapshots of the main screens (insta): list, show, report in every
//! format, due, log and a few errors — stdout, stderr and the exit code
//! together, so a change of wording or layout is a reviewed diff of
//! tests/cli/snapshots/. Random uuids and the temp folder are masked.
//!
//! To accept a change: `INSTA_UPDATE=always cargo test --test cli screens::`
//! (or `cargo insta review`), then read the diff before committing it.

use crate::support::{Run, TestEnv};

/// A small, fixed history in Berlin: two people, three promises, three weeks
/// of entries, seen on Wednesday 25 November 2026 at 18:00.
fn story() -> TestEnv {
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-02T09:00:00+01:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&[
        "promise",
        "Two weekends away a month",
        "--terms",
        "2 weekends a month",
        "--starts",
        "2026-11-01",
        "--slug",
        "weekends",
    ]);
    env.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--slug", "date-night"]);
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-11-20", "--by", "Sam", "--to", "Alex", "--slug", "sink"]);
    env.set_now("2026-11-25T18:00:00+01:00");
    for (what, slug, at, note) in [
        ("kept", "date-night", "2026-11-06T19:30:00+01:00", Some("pasta at home")),
        ("kept", "weekends", "2026-11-08T12:00:00+01:00", None),
        ("broke", "date-night", "2026-11-13T19:00:00+01:00", Some("worked late")),
        ("kept", "sink", "2026-11-19T10:00:00+01:00", None),
        ("kept", "date-night", "2026-11-20T20:00:00+01:00", None),
        ("kept", "weekends", "2026-11-22T12:00:00+01:00", Some("the lake")),
    ] {
        let mut args = vec![what, slug, "--at", at];
        if let Some(n) = note {
            args.extend(["--note", n]);
        }
        env.ok(&args);
    }
    env
}

/// Mask what changes from run to run: uuids and the temp folder.
pub(crate) fn scrub(env: &TestEnv, s: &str) -> String {
    let s = s.replace(&env.dir.path().display().to_string(), "[dir]");
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if i + 36 <= b.len() && is_uuid(&b[i..i + 36]) {
            out.push_str("[uuid]");
            i += 36;
        } else {
            let c = s[i..].chars().next().expect("char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn is_uuid(b: &[u8]) -> bool {
    b.iter().enumerate().all(|(i, c)| match i {
        8 | 13 | 18 | 23 => *c == b'-',
        _ => c.is_ascii_hexdigit(),
    })
}

/// One screen as a reviewer reads it: the command, its exit code, stdout, stderr.
pub(crate) fn screen(env: &TestEnv, args: &[&str]) -> String {
    let Run { code, stdout, stderr } = env.run(args);
    let mut s = format!("$ troth {}\nexit: {code}\n", args.join(" "));
    s.push_str("--- stdout\n");
    s.push_str(&stdout);
    if !stderr.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&stderr);
    }
    scrub(env, &s)
}

#[test]
fn list() {
    let env = story();
    insta::assert_snapshot!("list", screen(&env, &["list"]));
    insta::assert_snapshot!("list_all_json", screen(&env, &["list", "--all", "--json"]));
}

#[test]
fn show() {
    let env = story();
    insta::assert_snapshot!("show_date_night", screen(&env, &["show", "date-night"]));
    insta::assert_snapshot!("show_weekends_json", screen(&env, &["show", "weekends", "--json"]));
}

#[test]
fn report_in_every_format() {
    let env = story();
    for format in ["table", "markdown", "csv", "json"] {
        insta::assert_snapshot!(
            format!("report_{format}"),
            screen(&env, &["report", "--week", "2026-W47", "--format", format])
        );
    }
}

#[test]
fn due_and_log() {
    let env = story();
    insta::assert_snapshot!("due", screen(&env, &["due"]));
    insta::assert_snapshot!("log", screen(&env, &["log"]));
}

#[test]
fn errors() {
    let env = story();
    insta::assert_snapshot!("error_unknown_promise", screen(&env, &["show", "nosuch"]));
    insta::assert_snapshot!("error_bad_terms", screen(&env, &["promise", "Walk", "--terms", "sometimes"]));
    insta::assert_snapshot!(
        "error_future_entry",
        screen(&env, &["kept", "weekends", "--at", "2026-12-24T10:00:00+01:00"])
    );
    insta::assert_snapshot!("error_bad_week", screen(&env, &["report", "--week", "2025-W53"]));
}
