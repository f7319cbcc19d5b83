//! Every date and word a couple reads means what they think it means (issue
//! 14): end-of-day times shown as that day, "today"/"tomorrow" relative to
//! now, slugs from the meaningful words, did-you-mean, who promised whom, and
//! the shell around it — across both clock changes in Berlin and New York,
//! month ends and ISO week 53.

use crate::support::TestEnv;

fn couple(tz: &str, now: &str) -> TestEnv {
    let env = TestEnv::new(tz, now);
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env
}

/// The clock changes of 2026 in both zones: (zone, a "now" the Saturday
/// before the change, the Sunday of the change as shown).
const CHANGES: [(&str, &str, &str); 4] = [
    ("Europe/Berlin", "2026-03-28T10:00:00+01:00", "Sun 29 Mar"),
    ("Europe/Berlin", "2026-10-24T10:00:00+02:00", "Sun 25 Oct"),
    ("America/New_York", "2026-03-07T10:00:00-05:00", "Sun 8 Mar"),
    ("America/New_York", "2026-10-31T10:00:00-04:00", "Sun 1 Nov"),
];

#[test]
fn by_a_day_is_due_that_day_across_clock_changes() {
    for (tz, now, sunday) in CHANGES {
        let env = couple(tz, now);
        let out = env.ok(&["promise", "Fix the sink", "--terms", "by sunday"]);
        assert!(out.contains(&format!("due {sunday}")), "{tz} {now}: {out}");
        let due = env.ok(&["due"]);
        assert!(due.contains(sunday), "{tz}: {due}");
        assert!(due.contains("due tomorrow"), "{tz}: {due}");
        // A schedule without a time is due at the end of its day, shown as that day.
        let out = env.ok(&["promise", "Sunday walk", "--terms", "every sun"]);
        assert!(out.contains(&format!("first due {sunday}")), "{tz}: {out}");
    }
}

#[test]
fn a_daily_promise_made_monday_is_first_due_tuesday() {
    for tz in ["Europe/Berlin", "America/New_York"] {
        let env =
            couple(tz, if tz == "Europe/Berlin" { "2026-11-23T18:00:00+01:00" } else { "2026-11-23T18:00:00-05:00" });
        let out = env.ok(&["promise", "Phones away at dinner", "--terms", "daily"]);
        assert!(out.contains("from Tue 24 Nov, first due Tue 24 Nov"), "{tz}: {out}");
    }
}

#[test]
fn due_at_a_month_end_says_tonight_and_names_future_days() {
    // Monday 30 November: the month ends tonight; daily slots ahead are named
    // by their own day, never "today".
    let env = couple("Europe/Berlin", "2026-11-01T09:00:00+01:00");
    env.ok(&[
        "promise",
        "Weekends together",
        "--terms",
        "2 weekends a month",
        "--slug",
        "weekends",
        "--starts",
        "2026-11-01",
    ]);
    env.ok(&["promise", "Phones away", "--terms", "daily", "--slug", "phones", "--starts", "2026-11-01"]);
    let mut env = env;
    env.set_now("2026-11-30T10:00:00+01:00");
    let due = env.ok(&["due"]);
    assert!(due.contains("2 of 2 weekends left, the month ends tonight"), "{due}");
    assert!(due.contains("1 of 1 time left, the day ends tonight"), "{due}");
    assert!(due.contains("1 time promised tomorrow"), "{due}");
    assert!(due.contains("1 time promised Wednesday"), "{due}");
    assert!(due.contains("1 time promised Sunday"), "{due}");
    assert!(!due.contains("promised today"), "{due}");
    assert!(!due.contains("Tue 1 Dec  weekends"), "the month's end is shown as Mon 30 Nov:\n{due}");
    assert!(due.lines().any(|l| l.trim_start().starts_with("Mon 30 Nov") && l.contains("weekends")), "{due}");
    let out = env.ok(&["excuse", "weekends", "--note", "you travel"]);
    assert!(out.contains("the slot due Mon 30 Nov"), "{out}");
}

#[test]
fn week_53_and_the_year_end_are_shown_in_their_own_year() {
    // 2026-W53 runs from Mon 28 Dec 2026 to Sun 3 Jan 2027.
    for (tz, now) in [("Europe/Berlin", "2026-12-28T09:00:00+01:00"), ("America/New_York", "2026-12-28T09:00:00-05:00")]
    {
        let env = couple(tz, "2026-12-01T09:00:00+01:00");
        env.ok(&["promise", "Cook", "--terms", "3 times a week", "--slug", "cook", "--starts", "2026-12-01"]);
        let mut env = env;
        env.set_now(now);
        let due = env.ok(&["due"]);
        assert!(due.contains("Sun 3 Jan 2027"), "{tz}: {due}");
        assert!(due.contains("3 of 3 times left, the week ends Sun 3 Jan 2027"), "{tz}: {due}");
        let report = env.ok(&["report", "--week", "2026-W53"]);
        assert!(report.contains("Week 53 · 28 Dec 2026–3 Jan 2027"), "{tz}: {report}");
    }
}

#[test]
fn the_readme_slugs_work_as_written() {
    let mut env = couple("Europe/Berlin", "2026-11-23T18:00:00+01:00");
    let d = env.json(&["promise", "Date night every Friday", "--terms", "every fri 19:00"]);
    assert_eq!(d["slug"], "date-night");
    let c = env.json(&["promise", "Call if I'm running late", "--by", "Sam"]);
    assert_eq!(c["slug"], "call-if-late");
    env.set_now("2026-11-28T10:00:00+01:00");
    env.ok(&["broke", "date-night", "--note", "stayed late at work"]);
}

#[test]
fn a_misspelt_slug_is_answered_with_did_you_mean() {
    let env = couple("Europe/Berlin", "2026-11-23T18:00:00+01:00");
    env.ok(&["promise", "Weekends", "--terms", "2/month", "--slug", "weekends"]);
    for typo in ["weekend", "Weekends", "wekends", "weekendss"] {
        let err = env.fails(2, &["kept", typo]);
        assert!(err.contains("did you mean weekends?"), "{typo}: {err}");
    }
    let err = env.fails(2, &["show", "dishes"]);
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn by_alone_means_to_the_other_and_near_names_are_refused() {
    let env = couple("Europe/Berlin", "2026-11-23T18:00:00+01:00");
    let a = env.json(&["promise", "Call if late", "--by", "Sam"]);
    assert_eq!((a["by"].as_str(), a["to"].as_str()), (Some("Sam"), Some("Alex")));
    let a = env.json(&["promise", "Tea in bed", "--to", "Alex"]);
    assert_eq!((a["by"].as_str(), a["to"].as_str()), (Some("Sam"), Some("Alex")));
    let a = env.json(&["promise", "Flowers", "--to", "Sam"]);
    assert_eq!((a["by"].as_str(), a["to"].as_str()), (Some("Alex"), Some("Sam")));
    for (flag, name, meant) in
        [("--by", "sam", "Sam"), ("--by", "Sma", "Sam"), ("--to", "alex", "Alex"), ("--to", "Alx", "Alex")]
    {
        let err = env.fails(2, &["promise", "Something", flag, name]);
        assert!(err.contains(&format!("did you mean {meant}?")), "{flag} {name}: {err}");
    }
    // A friend works when both are given.
    let a = env.json(&["promise", "Return the book", "--by", "Alex", "--to", "Jordan"]);
    assert_eq!(a["to"], "Jordan");
}

#[test]
fn the_shell_around_it() {
    let env = TestEnv::berlin();
    // `troth` alone: one error line, the commands in a hint after it, exit 2.
    let r = env.run(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert!(r.stderr.contains("hint: the commands: "), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    // A clap error: one error line, hints after it, the missing argument named in it.
    let err = env.fails(2, &["void"]);
    assert!(err.lines().next().unwrap().contains("<ENTRY_ID>"), "{err}");
    // A typo before init creates no ledger.
    env.fails(2, &["kept", "foo"]);
    assert!(!env.db.exists(), "a typo before init created a ledger");
}

#[test]
fn completions_into_a_closed_pipe_are_not_a_panic() {
    let env = TestEnv::berlin();
    let bin = assert_cmd::cargo::cargo_bin("troth");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{}' completions zsh | head -1", bin.display()))
        .env_clear()
        .env("HOME", env.path("home"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn quiet_hours_never_make_a_reminder_late() {
    // Every mon,wed 07:30 with the default 1h lead and quiet 22:00–08:00:
    // reminded the evening before, just before quiet hours begin.
    for (tz, sun_2158, sun_2159) in [
        ("Europe/Berlin", "2026-11-29T21:58:00+01:00", "2026-11-29T21:59:00+01:00"),
        ("America/New_York", "2026-11-29T21:58:00-05:00", "2026-11-29T21:59:00-05:00"),
    ] {
        let mut env = couple(tz, "2026-11-26T09:00:00Z");
        env.ok(&["promise", "Gym", "--terms", "every mon,wed 07:30", "--slug", "gym"]);
        env.set_now(sun_2158);
        let out = env.ok(&["remind", "--dry-run"]);
        assert!(out.contains("the next reminder is due Sun 29 Nov 21:59"), "{tz}: {out}");
        env.set_now(sun_2159);
        let out = env.ok(&["remind", "--dry-run"]);
        assert!(out.contains("gym — due tomorrow 07:30"), "{tz}: {out}");
    }
}

#[test]
fn every_other_week_is_a_fortnight_counted_from_the_first_slot() {
    for (tz, now) in [("Europe/Berlin", "2026-11-25T09:00:00+01:00"), ("America/New_York", "2026-11-25T09:00:00-05:00")]
    {
        let mut env = couple(tz, now);
        let d = env.json(&["promise", "Date night every other Friday", "--terms", "every other friday at 7pm"]);
        assert_eq!(d["terms"], "every 2 weeks fri 19:00");
        assert_eq!(d["slug"], "date-night");
        let q = env.json(&["promise", "Long walk", "--terms", "2 every 2 weeks"]);
        assert_eq!(q["terms"], "2/fortnight");
        let due = env.json(&["due", "--within", "31d"]);
        let dues: Vec<(&str, &str)> =
            due.as_array().unwrap().iter().map(|d| (d["slug"].as_str().unwrap(), d["due"].as_str().unwrap())).collect();
        let nights: Vec<&str> = dues.iter().filter(|(s, _)| *s == "date-night").map(|(_, d)| &d[..10]).collect();
        assert_eq!(nights, ["2026-11-27", "2026-12-11", "2026-12-25"], "{tz}");
        // The quota's first fortnight starts the Monday after the promise: 30 Nov – 13 Dec.
        let walks: Vec<&str> = dues.iter().filter(|(s, _)| *s == "long-walk").map(|(_, d)| &d[..10]).collect();
        assert_eq!(walks, ["2026-12-14"], "{tz}: due at the end of Sun 13 Dec");
        env.set_now(if tz == "Europe/Berlin" { "2026-12-10T09:00:00+01:00" } else { "2026-12-10T09:00:00-05:00" });
        let text = env.ok(&["due"]);
        assert!(text.contains("2 of 2 times left, the fortnight ends Sun 13 Dec"), "{tz}: {text}");
        assert!(text.contains("due tomorrow 19:00"), "{tz}: {text}");
    }
}

#[test]
fn times_people_type_for_at() {
    // Monday 23 November 2026, 18:00.
    let env = couple("Europe/Berlin", "2026-11-23T18:00:00+01:00");
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    for (at, want) in [
        ("friday", "2026-11-20T12:00:00+01:00"),
        ("last friday", "2026-11-20T12:00:00+01:00"),
        ("2 days ago", "2026-11-21T18:00:00+01:00"),
        ("2026-11-13 7pm", "2026-11-13T19:00:00+01:00"),
        ("friday 9pm", "2026-11-20T21:00:00+01:00"),
    ] {
        let e = env.json(&["kept", "date-night", "--at", at]);
        assert_eq!(e["at"], want, "{at}");
    }
    let err = env.fails(2, &["kept", "date-night", "--at", "someday"]);
    assert!(err.contains("last friday"), "the hint names the forms: {err}");
}

#[test]
fn terms_people_type_and_specific_hints() {
    let env = couple("America/New_York", "2026-11-23T18:00:00-05:00");
    for (terms, canonical) in [
        ("by next friday", "by 2026-11-27"),
        ("by 1 dec", "by 2026-12-01"),
        ("every other week", "1/fortnight"),
        ("every 2 weeks", "1/fortnight"),
        ("once a fortnight", "1/fortnight"),
        ("2x a week", "2/week"),
        ("fridays", "every fri"),
        ("daily at 9", "every day 09:00"),
        ("weekdays 7am", "every mon,tue,wed,thu,fri 07:00"),
    ] {
        let a = env.json(&["promise", "Something kind", "--terms", terms, "--anyway"]);
        assert_eq!(a["terms"], canonical, "{terms}");
    }
    let err = env.fails(2, &["promise", "x", "--terms", "by someday"]);
    assert!(err.contains("by next friday"), "{err}");
    let err = env.fails(2, &["promise", "x", "--terms", "every blursday"]);
    assert!(err.contains("every other sat"), "{err}");
}

#[test]
fn a_deadline_kept_before_it_is_due_is_done_once_its_slot_closes() {
    // DESIGN §2: a deadline is done once its slot has closed, at the due time
    // (Sat 28 Nov 24:00); kept on Wednesday it is active, 1 of 1 kept, until then.
    let mut env = couple("Europe/Berlin", "2026-11-23T18:00:00+01:00");
    env.ok(&["promise", "Fix the sink", "--terms", "by saturday"]);
    env.set_now("2026-11-25T18:00:00+01:00");
    env.ok(&["kept", "fix-sink"]);
    let list = env.ok(&["list"]);
    assert!(!list.contains("done"), "{list}");
    assert_eq!(env.json(&["list"])[0]["done"], false);
    env.set_now("2026-11-28T23:59:00+01:00");
    assert_eq!(env.json(&["list"])[0]["done"], false, "the slot is open until Saturday ends");
    env.set_now("2026-11-29T00:00:00+01:00");
    let list = env.ok(&["list"]);
    assert!(list.contains("done: kept"), "{list}");
    assert_eq!(env.json(&["list"])[0]["done"], true);
    assert_eq!(env.json(&["list"])[0]["status"], "active");
    env.set_now("2026-12-05T18:00:00+01:00");
    assert!(env.ok(&["show", "fix-sink"]).contains("done: kept"));
}

#[test]
fn pause_then_resume_before_it_takes_effect_is_simply_active() {
    let env = couple("Europe/Berlin", "2026-11-23T18:00:00+01:00");
    env.ok(&["promise", "Weekends", "--terms", "2/month", "--slug", "weekends", "--starts", "2026-11-01"]);
    env.ok(&["pause", "weekends"]);
    env.ok(&["resume", "weekends"]);
    let list = env.ok(&["list"]);
    assert!(!list.contains("active (active"), "{list}");
    assert_eq!(env.json(&["list"])[0]["pending"], serde_json::Value::Null);
}

#[test]
fn over_promising_shows_excused_slots_and_names_the_promise() {
    let mut env = couple("Europe/Berlin", "2026-09-01T09:00:00+02:00");
    env.ok(&["promise", "Cook", "--terms", "every sat", "--slug", "cook", "--starts", "2026-09-01"]);
    // Saturdays 5 Sep … 17 Oct (closed by 26 Oct): kept, excused, missed, missed, kept, missed, excused.
    env.set_now("2026-09-04T09:00:00+02:00");
    env.ok(&["excuse", "cook", "--at", "2026-09-12"]);
    env.set_now("2026-10-16T09:00:00+02:00");
    env.ok(&["excuse", "cook", "--at", "2026-10-17"]);
    env.set_now("2026-10-26T09:00:00+01:00");
    env.ok(&["kept", "cook", "--at", "2026-09-05"]);
    env.ok(&["kept", "cook", "--at", "2026-10-03"]);
    let out = env.ok(&["overpromising"]);
    assert!(out.contains("delivered 1, excused, 0, 0, 1, 0, excused (40%)"), "{out}");
    let err = env.fails(2, &["promise", "Dishes", "--terms", "every sun"]);
    assert!(err.contains("cook (2 of 5, 40%)"), "the gate names the promise: {err}");
    let report = env.ok(&["report"]);
    assert!(report.contains("trust starts at 0.50"), "{report}");
}

/// `promise` says when the first reminder will come (docs/design.md §6), and
/// `remind` sends it then — not a minute before.
#[test]
fn promise_says_when_the_first_reminder_comes_and_remind_agrees() {
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-30T10:00:00+01:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    for (terms, says, at) in [
        // 06:30 is in the quiet hours, which end after 07:30: the evening before.
        (
            "every mon,wed 07:30",
            "first reminder tomorrow 21:59, before the quiet hours begin — 1 hour before each is due",
            "2026-12-01T21:59:00+01:00",
        ),
        ("every fri 19:00", "first reminder Friday 18:00 — 1 hour before each is due", "2026-12-04T18:00:00+01:00"),
        (
            "daily",
            "first reminder tomorrow 18:00 — 6 hours before each day ends, unless already kept",
            "2026-12-01T18:00:00+01:00",
        ),
        // Three days before the month ends is Tue 29 Dec 00:00, in the quiet hours.
        (
            "2 weekends a month",
            "first reminder Tue 29 Dec 08:00, after the quiet hours — 3 days before each month ends, while weekends remain",
            "2026-12-29T08:00:00+01:00",
        ),
    ] {
        let fresh = TestEnv::new("Europe/Berlin", "2026-11-30T10:00:00+01:00");
        fresh.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
        let out = fresh.ok(&["promise", "Something", "--terms", terms, "--slug", "it"]);
        assert!(out.contains(says), "{terms}: {out}");
        let mut fresh = fresh;
        let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
        fresh.set_now(&(at - chrono::Duration::minutes(1)).to_rfc3339());
        assert!(!fresh.ok(&["remind", "--dry-run"]).contains("would remind"), "{terms}: not before {at}");
        fresh.set_now(&at.to_rfc3339());
        assert!(fresh.ok(&["remind", "--dry-run"]).contains("would remind"), "{terms}: at {at}");
    }
    let out = env.ok(&["promise", "Call if I'm running late"]);
    assert!(out.contains("no reminders: a standing promise is never due"), "{out}");
    let out = env.ok(&["promise", "Fix the sink", "--terms", "by 2026-12-05", "--by", "Sam"]);
    assert!(out.contains("reminders go to Sam (1 day before it is due); here only with `troth remind --all`"), "{out}");
    env.set_now("2026-12-01T10:00:00+01:00");
    let out = env.ok(&["promise", "Water the plants", "--terms", "daily", "--remind", "90m", "--starts", "2026-12-01"]);
    // 22:30 is in the quiet hours, which end after the day does: just before they begin.
    assert!(
        out.contains("first reminder today 21:59, before the quiet hours begin — 90 minutes before each day ends"),
        "{out}"
    );
    // Backdated, with a slot already past its reminder: the next run sends it.
    let out = env.ok(&["promise", "Cook", "--terms", "every sat", "--slug", "cook", "--starts", "2026-11-20"]);
    assert!(out.contains("a reminder is due now: the next `troth remind` sends it"), "{out}");
    assert!(env.ok(&["remind", "--dry-run"]).contains("Cook — cook — overdue since"));
}

/// Every place a promise or a person is named answers an unknown one with
/// "did you mean …?" on its one `error:` line, exit 2, and changes nothing.
#[test]
fn did_you_mean_wherever_a_promise_or_a_person_is_named() {
    let env = couple("Europe/Berlin", "2026-11-30T10:00:00+01:00");
    env.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00"]);
    env.ok(&["promise", "Two weekends a month", "--terms", "2 weekends a month", "--slug", "weekends"]);
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-12-05", "--by", "Sam"]);
    let slug_cases: &[(&[&str], &str)] = &[
        (&["show", "weekend"], "weekends"),
        (&["show", "datenight"], "date-night"),
        (&["kept", "date-nite"], "date-night"),
        (&["broke", "Date-Night"], "date-night"),
        (&["broken", "weekend"], "weekends"),
        (&["excuse", "date"], "date-night"),
        (&["log", "sink"], "fix-sink"),
        (&["amend", "weekend", "--terms", "1/month"], "weekends"),
        (&["pause", "weekend"], "weekends"),
        (&["resume", "weekend"], "weekends"),
        (&["retire", "weekend"], "weekends"),
        (&["trend", "weekend"], "weekends"),
        (&["void", "--agreement", "weekend"], "weekends"),
        (&["repair", "weekend", "--slot", "2026-11-01"], "weekends"),
    ];
    for (args, meant) in slug_cases {
        let err = env.fails(2, args);
        assert!(err.lines().next().unwrap().contains(&format!("did you mean {meant}?")), "{args:?}: {err}");
    }
    let name_cases: &[(&[&str], &str)] = &[
        (&["report", "--by", "alex"], "Alex"),
        (&["report", "--by", "Sma"], "Sam"),
        (&["trend", "--by", "Alx"], "Alex"),
        (&["overpromising", "--by", "sam"], "Sam"),
        (&["promise", "Walk", "--by", "Sma"], "Sam"),
        (&["promise", "Walk", "--to", "alex"], "Alex"),
        (&["--as", "Sma", "list"], "Sam"),
    ];
    for (args, meant) in name_cases {
        let err = env.fails(2, args);
        assert!(err.contains(&format!("did you mean {meant}?")), "{args:?}: {err}");
    }
    // Nothing close: no guess, still one line saying what would be right.
    let err = env.fails(2, &["kept", "groceries"]);
    assert!(!err.contains("did you mean") && err.contains("troth list"), "{err}");
}

/// `log`'s "logged by" is the person at the keyboard (docs/design.md §10:
/// `me`, or `--as`/`TROTH_ME`), not the one who made the promise: Alex
/// logging that Sam fixed the sink is logged by Alex.
#[test]
fn logged_by_is_who_logged_it_not_who_promised() {
    let env = couple("Europe/Berlin", "2026-11-30T10:00:00+01:00");
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-12-05", "--by", "Sam", "--slug", "sink"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", "2026-11-28"]);
    env.ok(&["kept", "sink"]);
    env.ok(&["--as", "Sam", "kept", "walk", "--at", "2026-11-28 20:00"]);
    let mut cmd = env.command();
    let out = cmd.env("TROTH_ME", "Sam").args(["kept", "walk", "--at", "2026-11-29 20:00"]).output().unwrap();
    assert!(out.status.success());
    let log = env.json(&["log"]);
    let by: Vec<(&str, &str)> =
        log.as_array().unwrap().iter().map(|e| (e["agreement"].as_str().unwrap(), e["by"].as_str().unwrap())).collect();
    assert_eq!(by, vec![("walk", "Sam"), ("walk", "Sam"), ("sink", "Alex")]);
    let text = env.ok(&["log"]);
    let sink = text.lines().find(|l| l.contains("sink")).unwrap();
    assert!(sink.contains("Alex"), "{text}");
}

/// Across a year's end the trend's weeks keep their years: "weeks 49–01"
/// would read as running backwards.
#[test]
fn the_trend_across_a_year_end_names_each_weeks_year() {
    let mut env = couple("Europe/Berlin", "2026-12-01T10:00:00+01:00");
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk"]);
    env.set_now("2027-01-05T10:00:00+01:00");
    env.ok(&["kept", "walk", "--at", "2026-12-30 20:00"]);
    let out = env.ok(&["trend", "--weeks", "6"]);
    assert!(out.starts_with("overall trust, weeks 2026-W49–2027-W01:"), "{out}");
    assert!(out.contains("2026-W53   28 Dec–3 Jan"), "{out}");
    env.set_now("2027-03-01T10:00:00+01:00");
    let out = env.ok(&["trend", "--weeks", "4"]);
    assert!(out.starts_with("overall trust, weeks 6–9:"), "{out}");
}

/// The markdown report is pasted to the partner: names and notes are text,
/// never markup — a `*`, `_`, `|` or `<script>` someone typed is escaped, and
/// a note's line break does not end its list item.
#[test]
fn markdown_report_shows_names_and_notes_as_text() {
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-16T09:00:00+01:00");
    env.ok(&["init", "--me", "A|*x*_y", "--partner", "Sam"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", "2026-11-16"]);
    env.set_now("2026-11-18T20:00:00+01:00");
    env.ok(&["kept", "walk", "--note", "<script>alert(1)</script> **so** [x](y)\nnext line"]);
    let md = env.ok(&["report", "--week", "this", "--format", "markdown"]);
    assert!(md.contains("A\\|\\*x\\*\\_y"), "{md}");
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("\\<script\\>alert(1)\\</script\\> \\*\\*so\\*\\* \\[x\\](y) next line"), "{md}");
    assert!(!md.contains("A|*x*"), "{md}");
}
