//! Every number troth prints, checked against docs/design.md by hand in the
//! zones and on the days that trip calendars up: Lord Howe's half-hour clock
//! changes, Auckland's southern-hemisphere spring, Kolkata's +05:30 through
//! ISO week 53 and New Year, a ledger made in Berlin and read in New York,
//! and the leap day of 2028 in UTC. Each expectation is worked out from the
//! rules (§2 slots, §3 trust, §4 over-promising, §5 report), with the
//! arithmetic beside it — never read back from troth. Beside it: the
//! calendar export read back in those zones (`calendar`), how times and
//! figures read on the screens (`screens`), and trust against an
//! independent fold for random entries (`prop`).

mod calendar;
mod prop;
mod screens;

use crate::support::{TestEnv, num};
use serde_json::Value;

/// The trust model of docs/design.md §3 with the defaults, event by event
/// ('k' kept, anything else broken or missed), from 0.5.
fn trust(events: &str) -> f64 {
    events.chars().fold(0.5, |s, e| if e == 'k' { s + 0.05 * (1.0 - s) } else { s - 0.2 * s })
}

/// Rounded as JSON carries it (4 decimals).
fn r4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn by_slug<'a>(list: &'a Value, slug: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|a| a["slug"] == slug).unwrap_or_else(|| panic!("no {slug} in {list}"))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// The (start, end) of every slot `show --json` lists for `slug`.
fn windows(env: &TestEnv, slug: &str) -> Vec<(String, String, String)> {
    let show = env.json(&["show", slug]);
    show["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (s(&x["start"]).to_string(), s(&x["end"]).to_string(), s(&x["due"]).to_string()))
        .collect()
}

#[test]
fn lord_howe_half_hour_fall_back_is_read_as_the_first_and_told_apart() {
    // Lord Howe falls back on Sun 5 Apr 2026 at 02:00 +11:00 to 01:30
    // +10:30: 01:30–02:00 happens twice, and that day is 24½ hours.
    let env = TestEnv::new("Australia/Lord_Howe", "2026-03-30T09:00:00+11:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", "2026-03-30"]);
    env.ok(&["promise", "Swim", "--terms", "every sun 01:45", "--slug", "swim", "--starts", "2026-03-30"]);
    let mut env = env;
    env.set_now("2026-04-06T12:00:00+10:30");
    // "01:45" that night is the first of the two (RFC 5545): +11:00.
    let first = env.json(&["kept", "swim", "--at", "2026-04-05 01:45"]);
    assert_eq!(first["at"], "2026-04-05T01:45:00+11:00");
    let second = env.json(&["kept", "swim", "--at", "2026-04-05T01:45:00+10:30"]);
    assert_eq!(second["at"], "2026-04-05T01:45:00+10:30");
    // The swim slot was due at the first 01:45.
    let slots = windows(&env, "swim");
    assert_eq!(
        slots[0],
        ("2026-04-05T00:00:00+11:00".into(), "2026-04-12T00:00:00+10:30".into(), "2026-04-05T01:45:00+11:00".into())
    );
    // The walk's Sunday runs 24½ hours: from 00:00 +11:00 to 00:00 +10:30.
    let walk = windows(&env, "walk");
    let sunday = walk.iter().find(|w| w.0.starts_with("2026-04-05")).unwrap();
    assert_eq!(sunday.1, "2026-04-06T00:00:00+10:30");
    // Two different instants read "01:45" on the screen; each says its offset.
    let log = env.ok(&["log", "swim"]);
    assert!(log.contains("Sun 5 Apr 01:45 +11:00"), "{log}");
    assert!(log.contains("Sun 5 Apr 01:45 +10:30"), "{log}");
    // The slot is kept once, the second entry is extra: one kept step.
    let swim = by_slug(&env.json(&["list"]), "swim").clone();
    assert_eq!(num(&swim["trust"]), r4(trust("k")), "0.5 + 0.05 × 0.5 = 0.525");
}

#[test]
fn lord_howe_half_hour_gap_moves_02_15_to_02_45() {
    // Lord Howe springs forward on Sun 4 Oct 2026 at 02:00 +10:30 to 02:30
    // +11:00. 02:15 does not exist: read with the offset before the gap,
    // 02:15 +10:30 = 15:45Z = 02:45 +11:00. That Sunday is 23½ hours.
    let mut env = TestEnv::new("Australia/Lord_Howe", "2026-09-28T09:00:00+10:30");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Early swim", "--terms", "every sun 02:15", "--slug", "swim", "--starts", "2026-09-28"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", "2026-09-28"]);
    let due = env.json(&["due", "--within", "7d"]);
    let swim = by_slug(&due, "swim");
    assert_eq!(swim["due"], "2026-10-04T02:45:00+11:00");
    assert_eq!(swim["start"], "2026-10-04T00:00:00+10:30");
    env.set_now("2026-10-05T12:00:00+11:00");
    let kept = env.json(&["kept", "swim", "--at", "2026-10-04 02:15"]);
    assert_eq!(kept["at"], "2026-10-04T02:45:00+11:00");
    let walk = windows(&env, "walk");
    let sunday = walk.iter().find(|w| w.0.starts_with("2026-10-04")).unwrap();
    assert_eq!(sunday.0, "2026-10-04T00:00:00+10:30");
    assert_eq!(sunday.1, "2026-10-05T00:00:00+11:00");
    // Seven walk days Mon 28 Sep – Sun 4 Oct closed unkept: 0.5 × 0.8⁷.
    let list = env.json(&["list"]);
    assert_eq!(num(&by_slug(&list, "walk")["trust"]), r4(0.5 * 0.8f64.powi(7)));
    assert_eq!(num(&by_slug(&list, "walk")["rate"]), 0.0);
}

/// Auckland's spring week: clocks go 02:00 → 03:00 on Sun 27 Sep 2026.
fn auckland() -> TestEnv {
    let mut env = TestEnv::new("Pacific/Auckland", "2026-09-21T08:00:00+12:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", "2026-09-21"]);
    env.ok(&["promise", "Swim", "--terms", "every sun 02:30", "--slug", "swim", "--starts", "2026-09-21"]);
    env.ok(&["promise", "Weekends", "--terms", "2 weekends a month", "--slug", "weekends", "--starts", "2026-09-01"]);
    env.ok(&["promise", "Dinner", "--terms", "3 times a week", "--slug", "dinner", "--starts", "2026-09-21"]);
    env.set_now("2026-09-29T09:00:00+13:00");
    for d in ["21", "22", "23", "26", "28"] {
        env.ok(&["kept", "walk", "--at", &format!("2026-09-{d} 12:00")]);
    }
    env.ok(&["broke", "walk", "--at", "2026-09-24 12:00"]);
    env.ok(&["kept", "walk", "--at", "2026-09-27 23:30"]);
    env.ok(&["kept", "swim", "--at", "2026-09-27 03:45"]);
    env.ok(&["kept", "dinner", "--at", "2026-09-22 19:00"]);
    env.ok(&["kept", "dinner", "--at", "2026-09-25 19:00"]);
    env.ok(&["kept", "weekends", "--at", "2026-09-26 12:00"]);
    env
}

#[test]
fn auckland_spring_forward_week_by_hand() {
    let env = auckland();
    // The swim slot on the gap day is due at 02:30 +12:00 = 03:30 +13:00.
    assert_eq!(windows(&env, "swim")[0].2, "2026-09-27T03:30:00+13:00");
    // Walk, Mon 21 – Mon 28 (closed by Tue 29 09:00): k k k b m k k k,
    // the Thursday broken and the Friday missed → 6 of 8.
    let list = env.json(&["list"]);
    let walk = by_slug(&list, "walk");
    assert_eq!(num(&walk["trust"]), r4(trust("kkkbmkkk")), "0.4561");
    assert_eq!(num(&walk["rate"]), 0.75);
    // Dinner 3/week, week of 21 Sep: 2 kept, 1 missed at Mon 28 00:00.
    assert_eq!(num(&by_slug(&list, "dinner")["trust"]), r4(trust("kkm")), "0.439");
    assert_eq!(num(&by_slug(&list, "dinner")["rate"]), r4(2.0 / 3.0));
    assert_eq!(num(&by_slug(&list, "swim")["trust"]), 0.525);

    // Week 39 is (Mon 21 Sep 00:00 +12:00, Mon 28 Sep 00:00 +13:00].
    let report = env.json(&["report", "--week", "2026-W39"]);
    assert_eq!(report["start"], "2026-09-21T00:00:00+12:00");
    assert_eq!(report["end"], "2026-09-28T00:00:00+13:00");
    let w = by_slug(&report["agreements"], "walk");
    // Seven daily slots due in the week (22nd 00:00 … 28th 00:00).
    assert_eq!(
        (w["promised"].as_u64(), w["kept"].as_u64(), w["broken"].as_u64(), w["missed"].as_u64()),
        (Some(7), Some(5), Some(1), Some(1))
    );
    // At the week's end: k k k b m k k = 0.42749; change 0.42749 − 0.5.
    assert_eq!(num(&w["trust"]), r4(trust("kkkbmkk")));
    assert_eq!(num(&w["trust_change"]), r4(trust("kkkbmkk") - 0.5), "−0.0725");
    // Alex: the mean of walk, swim (k), weekends (k), dinner (k k m):
    // (0.42749 + 0.525 + 0.525 + 0.439) / 4 = 0.47912; all four started at
    // 0.5 with no event before the week, so the change is −0.02088.
    let alex = (trust("kkkbmkk") + 0.525 + 0.525 + trust("kkm")) / 4.0;
    assert_eq!(num(&report["people"][0]["trust"]), r4(alex));
    assert_eq!(num(&report["people"][0]["trust_change"]), r4(alex - 0.5));
    // Follow-through: kept 5 + 1 + 1 + 2 = 9 of 7 + 1 + 1 + 3 = 12.
    assert_eq!(num(&report["overall"]["rate"]), 0.75);

    // The trend: W39 ends Mon 28 Sep 00:00 +13:00; W40 so far adds the
    // walk kept on the 28th: (0.45612 + 0.525 + 0.525 + 0.439) / 4.
    let trend = env.json(&["trend", "--weeks", "2"]);
    assert_eq!(trend["weeks"][0]["week"], "2026-W39");
    assert_eq!(num(&trend["weeks"][0]["trust"]), r4(alex));
    let w40 = (trust("kkkbmkkk") + 0.525 + 0.525 + trust("kkm")) / 4.0;
    assert_eq!(num(&trend["weeks"][1]["trust"]), r4(w40));
    // 10 kept of 13 scored units.
    assert_eq!(num(&trend["weeks"][1]["rate"]), r4(10.0 / 13.0));

    // Over-promising: walk, 8 closed days, 6 delivered (rate 0.75 < 0.8);
    // ⌊6 × 1 / 8⌋ = 0 a day → ⌊6 × 7 / 8⌋ = 5 a week.
    let over = env.json(&["overpromising"]);
    let walk = by_slug(&over["agreements"], "walk");
    assert_eq!(
        (walk["slots"].as_u64(), walk["promised"].as_u64(), walk["delivered"].as_u64()),
        (Some(8), Some(8), Some(6))
    );
    assert_eq!(walk["suggested_terms"], "5/week");
}

#[test]
fn kolkata_through_iso_week_53_and_new_year() {
    // +05:30 all year. 2026-W53 is Mon 28 Dec 2026 – Sun 3 Jan 2027.
    let mut env = TestEnv::new("Asia/Kolkata", "2026-12-20T12:00:00+05:30");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "d", "--starts", "2026-12-28"]);
    env.ok(&["promise", "Dinners", "--terms", "2/week", "--slug", "wk", "--starts", "2026-12-21"]);
    env.ok(&["promise", "A trip", "--terms", "1/year", "--slug", "yr", "--starts", "2026-01-01"]);
    env.set_now("2027-01-04T09:00:00+05:30");
    for (slug, day) in [
        ("d", "2026-12-28"),
        ("d", "2026-12-29"),
        ("d", "2026-12-30"),
        ("d", "2027-01-01"),
        ("d", "2027-01-02"),
        ("wk", "2026-12-22"),
        ("wk", "2026-12-29"),
        ("wk", "2027-01-03"),
    ] {
        env.ok(&["kept", slug, "--at", &format!("{day} 20:00")]);
    }
    env.ok(&["broke", "d", "--at", "2026-12-31 20:00"]);
    env.ok(&["kept", "yr", "--at", "2026-12-31 23:59"]);

    let r = env.json(&["report", "--week", "2026-W53"]);
    assert_eq!(
        (s(&r["week"]), s(&r["start"]), s(&r["end"])),
        ("2026-W53", "2026-12-28T00:00:00+05:30", "2027-01-04T00:00:00+05:30")
    );
    // d: k k k b k k, and Sun 3 Jan missed at Mon 4 Jan 00:00 — the week's
    // end, so inside it: 0.40799; it had no event before the week (0.5).
    let d = by_slug(&r["agreements"], "d");
    assert_eq!(
        (d["promised"].as_u64(), d["kept"].as_u64(), d["broken"].as_u64(), d["missed"].as_u64()),
        (Some(7), Some(5), Some(1), Some(1))
    );
    assert_eq!(num(&d["trust"]), r4(trust("kkkbkkm")));
    assert_eq!(num(&d["trust_change"]), r4(trust("kkkbkkm") - 0.5), "−0.0920");
    assert_eq!(num(&d["rate"]), r4(5.0 / 7.0));
    // wk: W52 one kept and one missed (0.42), W53 two kept → 0.47655.
    let wk = by_slug(&r["agreements"], "wk");
    assert_eq!(num(&wk["trust"]), r4(trust("kmkk")));
    assert_eq!(num(&wk["trust_change"]), r4(trust("kmkk") - trust("km")), "0.0566");
    // yr: the year 2026's slot is due Fri 1 Jan 00:00, inside W53.
    let yr = by_slug(&r["agreements"], "yr");
    assert_eq!((yr["promised"].as_u64(), yr["kept"].as_u64()), (Some(1), Some(1)));
    // Overall at the end: (0.40799 + 0.47655 + 0.525) / 3 = 0.46985; at the
    // start only wk had an event (0.42): change 0.04985. 9 of 12 kept.
    let end = (trust("kkkbkkm") + trust("kmkk") + 0.525) / 3.0;
    assert_eq!(num(&r["overall"]["trust"]), r4(end));
    assert_eq!(num(&r["overall"]["trust_change"]), r4(end - trust("km")));
    assert_eq!(num(&r["overall"]["rate"]), 0.75);
    // The trend names the weeks across New Year.
    let t = env.json(&["trend", "--weeks", "3"]);
    let weeks: Vec<&str> = t["weeks"].as_array().unwrap().iter().map(|w| s(&w["week"])).collect();
    assert_eq!(weeks, ["2026-W52", "2026-W53", "2027-W01"]);
    assert_eq!(num(&t["weeks"][0]["trust"]), r4(trust("km")));
    assert_eq!(num(&t["weeks"][1]["trust"]), r4(end));
    // 2027 has no week 53.
    env.fails(2, &["report", "--week", "2027-W53"]);
    // --since and --until are whole days, both included: 31 Dec and 1 Jan.
    let log = env.json(&["log", "--since", "2026-12-31", "--until", "2027-01-01"]);
    let ats: Vec<&str> = log.as_array().unwrap().iter().map(|e| s(&e["at"])).collect();
    assert_eq!(ats, ["2026-12-31T20:00:00+05:30", "2026-12-31T23:59:00+05:30", "2027-01-01T20:00:00+05:30"]);
}

#[test]
fn logged_in_berlin_read_in_new_york() {
    // The home zone is recorded when the ledger is made; a person who flies
    // to New York reads the same promises in their own zone (Berlin).
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-16T09:00:00+01:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", "2026-11-16"]);
    env.ok(&["promise", "Call if late", "--slug", "late"]);
    env.set_now("2026-11-20T23:30:00+01:00");
    env.ok(&["kept", "walk"]);
    env.ok(&["kept", "late"]);
    env.set_now("2026-11-21T00:30:00+01:00");
    env.ok(&["kept", "late"]);
    // Now in New York: Sat 21 Nov 10:00 -05:00 = 16:00 in Berlin.
    env.tz = "America/New_York".into();
    env.set_now("2026-11-21T10:00:00-05:00");
    // A time typed there is read in the promise's zone.
    let e = env.json(&["kept", "walk", "--at", "2026-11-21 08:00"]);
    assert_eq!(e["at"], "2026-11-21T08:00:00+01:00");
    let log = env.json(&["log", "--since", "2026-11-21"]);
    let ats: Vec<&str> = log.as_array().unwrap().iter().map(|e| s(&e["at"])).collect();
    assert_eq!(ats, ["2026-11-21T00:30:00+01:00", "2026-11-21T08:00:00+01:00"]);
    // Walk: Mon 16 – Thu 19 missed, Fri 20 kept, Sat 21 kept (open):
    // 0.5 × 0.8⁴ = 0.2048 → 0.24456 → 0.28233; 2 of 6.
    let list = env.json(&["list"]);
    assert_eq!(num(&by_slug(&list, "walk")["trust"]), r4(trust("mmmmkk")));
    assert_eq!(num(&by_slug(&list, "walk")["rate"]), r4(2.0 / 6.0));
    // Standing: at most one kept a day — Fri 23:30 and Sat 00:30 in Berlin
    // are two days, two steps.
    assert_eq!(num(&by_slug(&list, "late")["trust"]), r4(trust("kk")));
    // "Tomorrow" is Berlin's: Sunday 22 November.
    let due = env.ok(&["due", "--within", "2d"]);
    assert!(due.contains("Sun 22 Nov") && due.contains("tomorrow"), "{due}");
    // Report weeks are the home zone's.
    let r = env.json(&["report", "--week", "this"]);
    assert_eq!(r["start"], "2026-11-16T00:00:00+01:00");
}

#[test]
fn leap_day_2028_and_month_ends() {
    // In UTC on Sun 30 Jan 2028: "monthly on 29/30/31" land on Tue 29 Feb
    // (the last day of a 29-day February), a quota's February ends Wed 1
    // Mar 00:00, and "by 2028-02-29" is due at the end of the 29th.
    let env = TestEnv::new("UTC", "2028-01-30T12:00:00+00:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "a", "--slug", "m29", "--terms", "monthly on 29 09:00"]);
    env.ok(&["promise", "b", "--slug", "m30", "--terms", "monthly on 30 20:00"]);
    env.ok(&["promise", "c", "--slug", "m31", "--terms", "monthly on 31"]);
    env.ok(&["promise", "d", "--slug", "dl", "--terms", "by 2028-02-29"]);
    env.ok(&["promise", "e", "--slug", "q", "--terms", "1/month", "--starts", "2028-02-01"]);
    let due = env.json(&["due", "--within", "31d"]);
    let mut got: Vec<(&str, &str)> = due.as_array().unwrap().iter().map(|d| (s(&d["slug"]), s(&d["due"]))).collect();
    // Sorted by due; ties in any order.
    got.sort_by_key(|(slug, due)| (*due, *slug));
    assert_eq!(
        got,
        [
            ("m30", "2028-01-30T20:00:00+00:00"),
            ("m31", "2028-02-01T00:00:00+00:00"),
            ("m29", "2028-02-29T09:00:00+00:00"),
            ("m30", "2028-02-29T20:00:00+00:00"),
            ("dl", "2028-03-01T00:00:00+00:00"),
            ("m31", "2028-03-01T00:00:00+00:00"),
            ("q", "2028-03-01T00:00:00+00:00"),
        ]
    );
    // Shown to a person, the end of the 29th is the 29th.
    let text = env.ok(&["due", "--within", "31d"]);
    assert!(!text.contains("Wed 1 Mar"), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with(" Tue 29 Feb")).count(), 5, "{text}");
}

#[test]
fn overpromising_suggestions_for_every_kind_of_terms() {
    // UTC, read on Mon 2 Mar 2026 12:00. Each promise's record, its rate
    // and the suggestion of docs/design.md §4, worked by hand.
    let mut env = TestEnv::new("UTC", "2025-10-01T08:00:00+00:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let promise = |env: &TestEnv, slug: &str, terms: &str, starts: &str| {
        env.ok(&["promise", slug, "--slug", slug, "--terms", terms, "--starts", starts, "--anyway"]);
    };
    promise(&env, "q4m", "4/month", "2025-10-01");
    promise(&env, "mon31", "monthly on 31 09:00", "2025-10-01");
    env.set_now("2026-03-02T12:00:00+00:00");
    promise(&env, "dy", "daily", "2026-02-02");
    promise(&env, "mw", "every mon,wed 07:30", "2026-02-02");
    promise(&env, "ft", "2 every 2 weeks", "2026-01-05");
    promise(&env, "fr", "every fri", "2026-01-05");
    promise(&env, "w3", "3/week", "2026-01-05");
    let kept = |env: &TestEnv, slug: &str, day: &str| {
        env.ok(&["kept", slug, "--at", &format!("{day} 12:00")]);
    };
    for day in ["2025-10-10", "2025-11-10", "2026-01-10"] {
        kept(&env, "q4m", day);
    }
    kept(&env, "mon31", "2025-12-31");
    for day in ["2026-02-03", "2026-02-10", "2026-02-20"] {
        kept(&env, "dy", day);
    }
    for day in ["2026-02-02", "2026-02-11", "2026-02-25"] {
        kept(&env, "mw", day);
    }
    for day in ["2026-01-06", "2026-02-03", "2026-02-17"] {
        kept(&env, "ft", day);
    }
    for day in ["2026-01-09", "2026-01-16", "2026-01-23", "2026-01-30", "2026-02-06"] {
        kept(&env, "fr", day);
    }
    for monday in 0..8 {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() + chrono::Days::new(7 * monday);
        kept(&env, "w3", &d.to_string());
        kept(&env, "w3", &(d + chrono::Days::new(1)).to_string());
    }
    let over = env.json(&["overpromising"]);
    let want: [(&str, u64, u64, u64, &str); 7] = [
        // Oct–Feb closed: 1,1,0,1,0 of 4 each = 3/20; ⌊3×4/20⌋ = 0 a month
        // → ⌊3×48/20⌋ = ⌊7.2⌋ = 7 a year.
        ("q4m", 5, 20, 3, "7/year"),
        // Oct 31, Nov 30, Dec 31, Jan 31 closed (Feb 28's slot runs to Mar
        // 31): 1 of 4; ⌊1×1/4⌋ = 0 → ⌊1×12/4⌋ = 3 a year.
        ("mon31", 4, 4, 1, "3/year"),
        // 28 closed days, 3 kept: ⌊3/28⌋ = 0 a day, ⌊3×7/28⌋ = 0 a week,
        // ⌊3×28/28⌋ = 3 a month.
        ("dy", 28, 28, 3, "3/month"),
        // 8 closed Mondays and Wednesdays, 3 kept: ⌊3×2/8⌋ = 0 a week →
        // ⌊3×8/8⌋ = 3 a month.
        ("mw", 8, 8, 3, "3/month"),
        // Fortnights from Mon 5 Jan, 4 closed: 1,0,1,1 of 2 = 3/8;
        // ⌊3×2/8⌋ = 0 a fortnight → a month is two: ⌊3×4/8⌋ = 1 a month.
        ("ft", 4, 8, 3, "1/month"),
        // Fridays 9 Jan – 20 Feb closed (7), 5 kept: rate 0.714 < 0.8;
        // ⌊5×1/7⌋ = 0 a week → ⌊5×4/7⌋ = 2 a month.
        ("fr", 7, 7, 5, "2/month"),
        // 8 closed weeks of 2 of 3: 16/24; ⌊16×3/24⌋ = 2 a week.
        ("w3", 8, 24, 16, "2/week"),
    ];
    for (slug, slots, promised, delivered, suggested) in want {
        let a = by_slug(&over["agreements"], slug);
        assert_eq!(
            (a["slots"].as_u64(), a["promised"].as_u64(), a["delivered"].as_u64()),
            (Some(slots), Some(promised), Some(delivered)),
            "{slug}: {a}"
        );
        assert_eq!(num(&a["rate"]), r4(delivered as f64 / promised as f64), "{slug}");
        assert_eq!(a["overpromised"], true, "{slug}");
        assert_eq!(a["suggested_terms"], suggested, "{slug}");
    }
    // Alex over all seven: 20+4+28+8+8+7+24 = 99 promised, 3+1+3+3+3+5+16 = 34.
    let alex = &over["people"][0];
    assert_eq!((alex["promised"].as_u64(), alex["delivered"].as_u64()), (Some(99), Some(34)));
    assert_eq!(num(&alex["rate"]), r4(34.0 / 99.0));
}

#[test]
fn lord_howe_week_of_the_half_hour_gap_report() {
    // Week 40 of 2026 in Lord Howe: Mon 28 Sep 00:00 +10:30 to Mon 5 Oct
    // 00:00 +11:00 — 167½ hours, the clocks going 02:00 → 02:30 on Sunday.
    let mut env = TestEnv::new("Australia/Lord_Howe", "2026-09-28T09:00:00+10:30");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", "2026-09-28"]);
    env.ok(&["promise", "Swim", "--terms", "every sun 02:15", "--slug", "swim", "--starts", "2026-09-28"]);
    env.ok(&["promise", "Dinners", "--terms", "2/week", "--slug", "wk", "--starts", "2026-09-28"]);
    env.set_now("2026-10-05T08:00:00+11:00");
    for d in ["09-28", "09-29", "09-30", "10-01", "10-02", "10-03", "10-04"] {
        env.ok(&["kept", "walk", "--at", &format!("2026-{d} 20:00")]);
    }
    env.ok(&["kept", "swim", "--at", "2026-10-04 02:50"]);
    env.ok(&["kept", "wk", "--at", "2026-10-04 23:45"]);
    let r = env.json(&["report"]);
    assert_eq!(
        (s(&r["week"]), s(&r["start"]), s(&r["end"])),
        ("2026-W40", "2026-09-28T00:00:00+10:30", "2026-10-05T00:00:00+11:00")
    );
    // walk: seven kept, 1 − 0.5 × 0.95⁷ = 0.65083; swim 0.525; wk one kept
    // then one missed at the week's end: 0.525 × 0.8 = 0.42.
    let walk = 1.0 - 0.5 * 0.95f64.powi(7);
    assert_eq!(num(&by_slug(&r["agreements"], "walk")["trust"]), r4(walk));
    let wk = by_slug(&r["agreements"], "wk");
    assert_eq!((wk["promised"].as_u64(), wk["kept"].as_u64(), wk["missed"].as_u64()), (Some(2), Some(1), Some(1)));
    assert_eq!(num(&wk["trust"]), r4(trust("km")));
    // Alex: (0.65083 + 0.525 + 0.42) / 3 = 0.53194; 9 of 10 kept.
    let alex = (walk + 0.525 + trust("km")) / 3.0;
    assert_eq!(num(&r["overall"]["trust"]), r4(alex));
    assert_eq!(num(&r["overall"]["trust_change"]), r4(alex - 0.5));
    assert_eq!(num(&r["overall"]["rate"]), 0.9);
    // What falls due in the next 7 days names every promise, not just the
    // first six days of the daily walk.
    let text = env.ok(&["report"]);
    let coming = text.lines().find(|l| l.contains("Coming up:")).unwrap();
    assert!(coming.contains("walk 1 of 1 time left, the day ends tonight (then 6 more)"), "{coming}");
    assert!(coming.contains("swim due Sunday 02:15"), "{coming}");
    assert!(coming.contains("wk 2 of 2 times left, the week ends Sun 11 Oct"), "{coming}");
}
