//! `report`, `trend`, `overpromising`, `due`, `review`, `export` and `config`
//! with `--json`, on the shared ledger of tests/cli/shapes.rs.

use super::check::*;
use super::ledger;
use chrono::DateTime;
use serde_json::Value;

#[test]
fn the_report_has_its_documented_shape() {
    let env = ledger();
    let rep = j(&env, &["report", "--week", "2026-W47"]);
    // Its parts are "as in" the commands that print them alone.
    assert_eq!(rep["upcoming"], j(&env, &["due"]), "report upcoming and due --json (7 days)");
    assert_eq!(rep["overpromising"], j(&env, &["overpromising"]), "report overpromising and overpromising --json");
    let log = j(&env, &["log", "--all"]);
    for e in arr(&rep["entries"]) {
        let same = arr(&log).iter().find(|l| l["uuid"] == e["uuid"]).unwrap_or_else(|| panic!("not in log --all: {e}"));
        assert_eq!(e, same, "a report entry and the same entry in log --json");
    }
    assert!(!arr(&rep["entries"]).is_empty());
    has(
        &rep,
        "report --json",
        &[
            ("week", T::Str),
            ("start", T::Time),
            ("end", T::Time),
            ("agreements", T::Arr),
            ("people", T::Arr),
            ("overall", T::ObjN),
            ("entries", T::Arr),
            ("overpromising", T::ObjN),
            ("upcoming", T::Arr),
            ("talk", T::Arr),
        ],
    );
    assert_eq!(
        (&rep["week"], &rep["start"], &rep["end"]),
        (&"2026-W47".into(), &"2026-11-16T00:00:00+01:00".into(), &"2026-11-23T00:00:00+01:00".into())
    );
    let counts = ["promised", "kept", "broken", "excused", "missed", "extra", "late"];
    for a in arr(&rep["agreements"]) {
        let mut spec: Vec<(&str, T)> = vec![
            ("slug", T::Str),
            ("by", T::Str),
            ("to", T::Str),
            ("open", T::ObjN),
            ("trust", T::Frac),
            ("trust_change", T::Change),
            ("rate", T::FracN),
        ];
        spec.extend(counts.iter().map(|c| (*c, T::Count)));
        has(a, "report agreements", &spec);
        if !a["open"].is_null() {
            has(&a["open"], "report open", &[("kept", T::Count), ("promised", T::Count), ("due", T::Time)]);
        }
    }
    let this = j(&env, &["report", "--week", "this"]);
    let open: Vec<&Value> = arr(&this["agreements"]).iter().filter(|a| !a["open"].is_null()).collect();
    assert!(!open.is_empty(), "this week has open slots: {this}");
    for p in arr(&rep["people"]) {
        has(
            p,
            "report people",
            &[
                ("name", T::Str),
                ("trust", T::Frac),
                ("trust_change", T::Change),
                ("rate", T::FracN),
                ("averages", T::Arr),
            ],
        );
        for a in arr(&p["averages"]) {
            has(a, "report averages", &[("slug", T::Str), ("trust", T::Frac)]);
        }
    }
    has(&rep["overall"], "report overall", &[("trust", T::Frac), ("trust_change", T::Change), ("rate", T::FracN)]);
    arr(&rep["entries"]).iter().for_each(|e| entry(e, "report entries"));
    over(&rep["overpromising"], "report overpromising");
    arr(&rep["upcoming"]).iter().for_each(|d| due_item(d, "report upcoming"));
    // --format json is --json, and --json wins over any other format.
    for args in [
        &["report", "--week", "2026-W47", "--format", "json"][..],
        &["report", "--week", "2026-W47", "--format", "csv", "--json"][..],
    ] {
        let out = env.ok(args);
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), rep, "troth {args:?}");
    }
}

#[test]
fn trends_overpromising_due_review_export_and_config_have_their_documented_shape() {
    let env = ledger();
    let rep = j(&env, &["report", "--week", "2026-W47"]);
    for (args, subject) in [
        (&["trend"][..], "overall"),
        (&["trend", "--by", "Alex"][..], "Alex"),
        (&["trend", "weekends"][..], "weekends"),
    ] {
        let t = j(&env, args);
        has(&t, "trend --json", &[("subject", T::Str), ("weeks", T::Arr)]);
        assert_eq!(t["subject"], subject);
        assert!(!arr(&t["weeks"]).is_empty());
        for w in arr(&t["weeks"]) {
            has(w, "trend weeks", &[("week", T::Str), ("trust", T::Frac)]);
            assert!(w["week"].as_str().unwrap().contains("-W"), "{w}");
        }
    }

    // A week's trust in trend is the report's figure for that week.
    let week47 = |t: &Value| arr(&t["weeks"]).iter().find(|w| w["week"] == "2026-W47").unwrap()["trust"].clone();
    assert_eq!(week47(&j(&env, &["trend"])), rep["overall"]["trust"], "trend and report, overall");
    let alex = arr(&rep["people"]).iter().find(|p| p["name"] == "Alex").unwrap();
    assert_eq!(week47(&j(&env, &["trend", "--by", "Alex"])), alex["trust"], "trend and report, Alex");
    for a in arr(&rep["agreements"]) {
        let slug = a["slug"].as_str().unwrap();
        assert_eq!(week47(&j(&env, &["trend", slug])), a["trust"], "trend and report, {slug}");
    }

    let o = j(&env, &["overpromising"]);
    over(&o, "overpromising --json");
    assert!(!arr(&o["agreements"]).is_empty() && !arr(&o["people"]).is_empty(), "{o}");

    let due = j(&env, &["due", "--within", "14d"]);
    assert!(!arr(&due).is_empty());
    let mut last = i64::MIN;
    for d in arr(&due) {
        due_item(d, "due --json");
        let t = DateTime::parse_from_rfc3339(d["due"].as_str().unwrap()).unwrap().timestamp();
        assert!(t >= last, "due --json is not sorted by due: {due}");
        last = t;
        let zone = if d["slug"] == "nyc" { "America/New_York" } else { "Europe/Berlin" };
        in_zone(&d["due"], zone);
    }
    let review = j(&env, &["review"]);
    assert!(!arr(&review).is_empty());
    for r in arr(&review) {
        due_item(r, "review --json");
        has(r, "review --json", &[("start", T::Time), ("promised", T::Count), ("kept", T::Count)]);
    }
    let before = env.dump();
    j(&env, &["review"]);
    assert_eq!(before, env.dump(), "review --json recorded something");

    let e = j(&env, &["export", "--format", "json"]);
    assert!(e.is_object(), "{e}");
    assert_eq!(j(&env, &["export", "--format", "csv"]), e, "--json wins over --format for export");
    let c = j(&env, &["config"]);
    has(
        &c,
        "config --json",
        &[
            ("me", T::Str),
            ("partner", T::Str),
            ("zone", T::Str),
            ("trust.start", T::Frac),
            ("trust.gain", T::Frac),
            ("trust.loss", T::Frac),
            ("overpromise.threshold", T::Frac),
            ("remind.quiet", T::Str),
            ("remind.private", T::Bool),
        ],
    );
}
