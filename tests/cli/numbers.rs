//! Every number against a hand-worked six-month scenario (docs/design.md §2–§5).
//!
//! Europe/Berlin; "now" is Monday 23 November 2026, 18:00. gain 0.05, loss 0.20.
//! kept: s + 0.05(1 − s); broken or missed: s − 0.20 s.
//!
//! weekends (Alex, "2 weekends a month" from 1 Jun; amended on 10 Oct to 1/month,
//! which takes effect 1 Nov):
//!   Jun 6 K 0.525 · Jun 20 K 0.54875 · Jun 27 K — extra, not scored
//!   Jul 11 K 0.5713125 · Jul 25 K — voided, counts for nothing
//!   Aug 1 00:00 July missed 1 → 0.45705
//!   Aug: 1 of 2 excused on Aug 10 · Aug 22 K 0.4841975 (promised 1, delivered 1)
//!   Sep 5 K 0.509987625 · Sep 19 B 0.4079901 (kept 1, broken 1: nothing missed)
//!   Oct 3 K 0.437590595 · Oct 24 K 0.4657110653
//!   Nov 14 K 0.492425512 (1/month now; the slot is open)
//!   → trust 0.4924, follow-through 8 of 10 = 0.8
//! date-night (Alex, "every fri 19:00" from 1 Oct; fall-back on 25 Oct):
//!   Oct 2 K 0.525 · Oct 9 K 0.54875 · Oct 16 B 0.439
//!   Oct 23 nothing → missed at the window's end, Fri 30 Oct 00:00+01:00 → 0.3512
//!   Sat Oct 31 K (a make-up in the Oct 30 window) 0.38364 · Nov 6 K 0.414458
//!   Nov 13 excused on Nov 12 · Nov 20 K 0.4437351
//!   → 0.4437, 5 of 7 = 0.7143
//! call-if-late (Sam, standing from 1 Sep): Sep 10 08:00 K 0.525 · Sep 10 18:00 K —
//!   same day, not scored · Oct 5 B 0.42 · Nov 2 K 0.449 → 0.449, 2 of 3
//! sink (Sam, "by 2026-10-15 18:00" from 1 Oct): due → missed 0.4 · Oct 17 K (late) 0.43
//! Alex = (0.492425512 + 0.4437351) / 2 = 0.4681; Sam = (0.449 + 0.43) / 2 = 0.4395
//! overall = mean of the four = 0.4538

use crate::support::{TestEnv, num, r4};
use serde_json::Value;

fn scenario() -> TestEnv {
    let mut env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&[
        "promise",
        "2 weekends each month just with you",
        "--terms",
        "2 weekends a month",
        "--slug",
        "weekends",
        "--starts",
        "2026-06-01",
    ]);
    env.ok(&[
        "promise",
        "Date night every Friday",
        "--terms",
        "every fri 19:00",
        "--slug",
        "date-night",
        "--starts",
        "2026-10-01",
    ]);
    env.ok(&[
        "promise",
        "Call if I'm running late",
        "--by",
        "Sam",
        "--to",
        "Alex",
        "--slug",
        "call-if-late",
        "--starts",
        "2026-09-01",
    ]);
    env.ok(&[
        "promise",
        "Fix the sink",
        "--terms",
        "by 2026-10-15 18:00",
        "--by",
        "Sam",
        "--to",
        "Alex",
        "--slug",
        "sink",
        "--starts",
        "2026-10-01",
    ]);
    for at in [
        "2026-06-06",
        "2026-06-20",
        "2026-06-27",
        "2026-07-11",
        "2026-08-22",
        "2026-09-05",
        "2026-10-03",
        "2026-10-24",
        "2026-11-14",
    ] {
        env.ok(&["kept", "weekends", "--at", at]);
    }
    let wrong = env.json(&["kept", "weekends", "--at", "2026-07-25"]);
    env.ok(&["void", &wrong["id"].to_string(), "--reason", "that was a work trip"]);
    env.ok(&["broke", "weekends", "--at", "2026-09-19"]);
    for at in ["2026-10-02 21:00", "2026-10-09 20:00", "2026-10-31 20:00", "2026-11-06 20:00", "2026-11-20 19:30"] {
        env.ok(&["kept", "date-night", "--at", at]);
    }
    env.ok(&["broke", "date-night", "--at", "2026-10-16 19:00", "--note", "stayed late at work"]);
    env.ok(&["kept", "call-if-late", "--at", "2026-09-10 08:00"]);
    env.ok(&["kept", "call-if-late", "--at", "2026-09-10 18:00"]);
    env.ok(&["broke", "call-if-late", "--at", "2026-10-05 20:00"]);
    env.ok(&["kept", "call-if-late", "--at", "2026-11-02 20:00"]);
    env.ok(&["kept", "sink", "--at", "2026-10-17 10:00"]);
    // Excuses are logged before the slot is due; the amend on 10 October.
    env.set_now("2026-08-10T10:00:00+02:00");
    env.ok(&["excuse", "weekends", "--note", "your sister visits"]);
    env.set_now("2026-11-12T09:00:00+01:00");
    env.ok(&["excuse", "date-night", "--note", "you travel"]);
    env.set_now("2026-10-10T09:00:00+02:00");
    env.ok(&["amend", "weekends", "--terms", "1 weekend a month"]);
    env.set_now("2026-11-23T18:00:00+01:00");
    env
}

fn by_slug<'a>(list: &'a Value, slug: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|a| a["slug"] == slug).unwrap_or_else(|| panic!("{slug} in {list}"))
}

#[test]
fn trust_and_follow_through_per_agreement() {
    let env = scenario();
    let list = env.json(&["list"]);
    let check = |slug: &str, trust: f64, rate: f64| {
        let a = by_slug(&list, slug);
        assert_eq!(num(&a["trust"]), trust, "{slug} trust");
        assert_eq!(num(&a["rate"]), r4(rate), "{slug} rate");
    };
    check("weekends", 0.4924, 0.8);
    check("date-night", 0.4437, 5.0 / 7.0);
    check("call-if-late", 0.449, 2.0 / 3.0);
    check("sink", 0.43, 0.5);
    assert_eq!(by_slug(&list, "weekends")["terms"], "1/month");
    assert_eq!(by_slug(&list, "weekends")["unit"], "weekend");
}

#[test]
fn show_explains_the_number_step_by_step() {
    let env = scenario();
    let show = env.json(&["show", "weekends"]);
    let steps: Vec<(String, f64)> = show["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["event"].as_str().unwrap().to_string(), num(&e["after"])))
        .collect();
    let want = [
        ("kept", 0.525),
        ("kept", 0.5488),
        ("kept", 0.5713),
        ("missed", 0.4571),
        ("kept", 0.4842),
        ("kept", 0.51),
        ("broken", 0.408),
        ("kept", 0.4376),
        ("kept", 0.4657),
        ("kept", 0.4924),
    ];
    let got: Vec<(&str, f64)> = steps.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(got, want);
    let missed = &show["events"][3];
    assert_eq!(missed["at"], "2026-08-01T00:00:00+02:00", "a miss lands at its slot's end");
    let human = env.ok(&["show", "weekends"]);
    assert!(human.contains("missed 1"), "{human}");
    assert!(human.contains("0.57 → 0.46"), "{human}");
    assert!(human.contains("follow-through 80%: 8 of 10"), "{human}");
    assert!(human.contains("1 kept beyond what was promised"), "{human}");
    // The schedule's miss falls at the end of its window, after the clock change.
    let show = env.json(&["show", "date-night"]);
    let miss = show["events"].as_array().unwrap().iter().find(|e| e["event"] == "missed").unwrap();
    assert_eq!(miss["at"], "2026-10-30T00:00:00+01:00");
    assert_eq!(num(&miss["after"]), 0.3512);
}

#[test]
fn people_and_overall_are_means_of_their_promises() {
    let env = scenario();
    let r = env.json(&["report", "--week", "this"]);
    let alex = r["people"].as_array().unwrap().iter().find(|p| p["name"] == "Alex").unwrap();
    let sam = r["people"].as_array().unwrap().iter().find(|p| p["name"] == "Sam").unwrap();
    assert_eq!(num(&alex["trust"]), 0.4681);
    assert_eq!(num(&sam["trust"]), 0.4395);
    assert_eq!(num(&r["overall"]["trust"]), 0.4538);
    // Follow-through pools the events: Alex 13 of 17, Sam 3 of 5, everyone 16 of 22.
    assert_eq!(num(&alex["rate"]), r4(13.0 / 17.0));
    assert_eq!(num(&sam["rate"]), r4(3.0 / 5.0));
    assert_eq!(num(&r["overall"]["rate"]), r4(16.0 / 22.0));
}

#[test]
fn weekly_report_of_the_fall_back_week() {
    let env = scenario();
    // Week 44: Mon 26 Oct – Sun 1 Nov; it ends at Mon 2 Nov 00:00.
    let r = env.json(&["report", "--week", "2026-W44"]);
    assert_eq!(r["week"], "2026-W44");
    assert_eq!(r["start"], "2026-10-26T00:00:00+01:00");
    assert_eq!(r["end"], "2026-11-02T00:00:00+01:00");
    let rows = r["agreements"].as_array().unwrap();
    let slugs: Vec<&str> = rows.iter().map(|a| a["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["weekends", "date-night"]);
    let w = &rows[0];
    // October's slot is due Sun 1 Nov 24:00 = Mon 2 Nov 00:00, inside (start, end].
    for (k, v) in
        [("promised", 2), ("kept", 2), ("broken", 0), ("excused", 0), ("missed", 0), ("extra", 0), ("late", 0)]
    {
        assert_eq!(w[k], v, "weekends {k}");
    }
    assert_eq!(num(&w["trust"]), 0.4657);
    assert_eq!(num(&w["trust_change"]), 0.0);
    assert_eq!(num(&w["rate"]), r4(7.0 / 9.0));
    assert_eq!(w["open"], Value::Null);
    let d = &rows[1];
    assert_eq!(d["promised"], 1);
    assert_eq!(d["kept"], 1, "Saturday's make-up counts for Friday's slot");
    assert_eq!(num(&d["trust"]), 0.3836);
    assert_eq!(num(&d["trust_change"]), -0.0554);
    assert_eq!(num(&d["rate"]), 0.6);
    assert_eq!(num(&r["overall"]["trust"]), 0.4248);
    assert_eq!(num(&r["overall"]["trust_change"]), -0.0138);
    assert_eq!(num(&r["overall"]["rate"]), r4(12.0 / 18.0));
    let entries = r["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["at"], "2026-10-31T20:00:00+01:00");
}

#[test]
fn this_weeks_report_shows_the_open_slot_and_what_is_coming() {
    let env = scenario();
    let r = env.json(&["report", "--week", "2026-W47"]);
    let rows = r["agreements"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let d = &rows[0];
    assert_eq!(d["slug"], "date-night");
    assert_eq!(d["open"]["kept"], 1);
    assert_eq!(d["open"]["promised"], 1);
    assert_eq!(d["open"]["due"], "2026-11-20T19:00:00+01:00");
    assert_eq!(num(&d["trust_change"]), 0.0293);
    let upcoming = r["upcoming"].as_array().unwrap();
    let slugs: Vec<&str> = upcoming.iter().map(|u| u["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["date-night"], "weekends' November is kept; Nov 27 is within 7 days");
    assert_eq!(upcoming[0]["due"], "2026-11-27T19:00:00+01:00");
    let md = env.ok(&["report", "--week", "2026-W47", "--format", "markdown"]);
    assert!(md.starts_with("## Week 47"), "{md}");
    assert!(md.contains("| date-night | Alex |"), "{md}");
    assert!(!md.contains('\u{1b}'), "no terminal escapes");
    let csv = env.ok(&["report", "--week", "2026-W47", "--format", "csv"]);
    assert!(csv.lines().next().unwrap().starts_with("week,promise,by"), "{csv}");
}

#[test]
fn late_deadline_is_marked_and_still_counts() {
    let env = scenario();
    let r = env.json(&["report", "--week", "2026-W42"]);
    let sink = r["agreements"].as_array().unwrap().iter().find(|a| a["slug"] == "sink").unwrap();
    assert_eq!(sink["promised"], 1);
    assert_eq!(sink["missed"], 1);
    assert_eq!(sink["late"], 1);
    assert_eq!(num(&sink["trust"]), 0.43);
    let late: Vec<&Value> = r["entries"].as_array().unwrap().iter().filter(|e| e["late"] == true).collect();
    assert_eq!(late.len(), 1);
}

#[test]
fn overpromising_suggests_what_the_record_supports() {
    let env = scenario();
    let o = env.json(&["overpromising"]);
    let list = o["agreements"].as_array().unwrap();
    // weekends has no closed slot under its new terms yet; sink has one slot.
    assert_eq!(list.len(), 1);
    let d = &list[0];
    assert_eq!(d["slug"], "date-night");
    assert_eq!(d["terms"], "every fri 19:00");
    assert_eq!(d["slots"], 7);
    assert_eq!(d["promised"], 6, "the excused Friday is not promised");
    assert_eq!(d["delivered"], 4);
    assert_eq!(num(&d["rate"]), 0.6667);
    assert_eq!(d["overpromised"], true);
    // ⌊4 × 1 / 6⌋ = 0 a week → ⌊4 × 4 / 6⌋ = 2 a month.
    assert_eq!(d["suggested_terms"], "2/month");
    let alex = &o["people"][0];
    assert_eq!(alex["name"], "Alex");
    assert_eq!(alex["promised"], 6);
    assert_eq!(alex["delivered"], 4);
    assert_eq!(alex["overpromised"], true);
}

#[test]
fn trend_is_the_score_at_each_week_end() {
    let env = scenario();
    let t = env.json(&["trend", "date-night", "--weeks", "4"]);
    assert_eq!(t["subject"], "date-night");
    let weeks: Vec<(&str, f64)> =
        t["weeks"].as_array().unwrap().iter().map(|w| (w["week"].as_str().unwrap(), num(&w["trust"]))).collect();
    // W45 ends Nov 9 (after Nov 6 K), W46 ends Nov 16 (excused Friday: no change),
    // W47 after Nov 20 K, W48 so far.
    assert_eq!(weeks, [("2026-W45", 0.4145), ("2026-W46", 0.4145), ("2026-W47", 0.4437), ("2026-W48", 0.4437)]);
    let overall = env.json(&["trend"]);
    assert_eq!(overall["subject"], "overall");
    assert_eq!(overall["weeks"].as_array().unwrap().len(), 12);
    assert_eq!(num(&overall["weeks"][11]["trust"]), 0.4538);
    let human = env.ok(&["trend"]);
    assert!(human.starts_with("overall trust, weeks 37–48:"), "{human}");
    let svg = env.path("trend.svg");
    env.ok(&["trend", "--svg", svg.to_str().unwrap()]);
    let body = std::fs::read_to_string(&svg).unwrap();
    assert!(body.contains("<svg") && body.contains("polyline") || body.contains("<path"), "a chart");
}

#[test]
fn due_lists_open_slots_with_units_left() {
    let env = scenario();
    let due = env.json(&["due", "--within", "14d"]);
    let got: Vec<(&str, &str, u64, &str)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["slug"].as_str().unwrap(),
                d["due"].as_str().unwrap(),
                d["remaining"].as_u64().unwrap(),
                d["kind"].as_str().unwrap(),
            )
        })
        .collect();
    // weekends' November (1 of 1) is kept; its December is due 1 January, past the window.
    assert_eq!(
        got,
        [
            ("date-night", "2026-11-27T19:00:00+01:00", 1, "schedule"),
            ("date-night", "2026-12-04T19:00:00+01:00", 1, "schedule"),
        ]
    );
    let soon = env.json(&["due"]);
    assert_eq!(soon.as_array().unwrap().len(), 1, "default within 7d");
}
