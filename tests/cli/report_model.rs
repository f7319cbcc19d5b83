//! The weekly report as one model: every format says the same, and a
//! person's figure can be added up from what the report shows (issue 14,
//! "person totals that can be reconciled": the demo's "Alex trust 0.42" once
//! stood beside a single row of 0.59).

use crate::support::{TestEnv, num};
use serde_json::Value;

/// The demo's ledger, read on the demo's own clock.
fn demo() -> TestEnv {
    let env = TestEnv::berlin();
    env.ok(&["demo"]);
    let mut demo = TestEnv::berlin();
    demo.db = env.dir.path().join("data/troth/demo.db");
    demo.dir = env.dir;
    demo
}

#[test]
fn each_persons_trust_is_the_mean_of_the_promises_it_lists() {
    let env = demo();
    let report = env.json(&["report", "--week", "2026-W47"]);
    let people = report["people"].as_array().unwrap();
    assert!(!people.is_empty());
    for p in people {
        let averages = p["averages"].as_array().unwrap();
        assert!(!averages.is_empty(), "{p}");
        let mean = averages.iter().map(|a| num(&a["trust"])).sum::<f64>() / averages.len() as f64;
        assert!((mean - num(&p["trust"])).abs() < 1e-3, "{p}");
    }
    // Together is the mean over every promise listed, whoever made it.
    let all: Vec<f64> =
        people.iter().flat_map(|p| p["averages"].as_array().unwrap().iter().map(|a| num(&a["trust"]))).collect();
    let together = all.iter().sum::<f64>() / all.len() as f64;
    assert!((together - num(&report["overall"]["trust"])).abs() < 1e-3, "{report}");
}

/// The words a screen gives for a person: their trust, and the promises
/// named with theirs when the table does not show them all.
fn shown(line: &str) -> Vec<f64> {
    line.split(": ").last().unwrap().split(", ").map(|p| p.rsplit(' ').next().unwrap().parse().unwrap()).collect()
}

#[test]
fn a_person_whose_promises_are_not_all_in_the_table_is_reconciled_in_words() {
    let env = demo();
    let json = env.json(&["report", "--week", "2026-W47"]);
    let alex = json["people"].as_array().unwrap().iter().find(|p| p["name"] == "Alex").unwrap().clone();
    let slugs: Vec<&str> = alex["averages"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap()).collect();
    let rows: Vec<&Value> = json["agreements"].as_array().unwrap().iter().filter(|r| r["by"] == "Alex").collect();
    assert!(rows.len() < slugs.len(), "the demo's week shows fewer of Alex's promises than the figure averages");

    let text = env.ok(&["report", "--week", "2026-W47"]);
    let line = text.lines().find(|l| l.contains("the mean of")).unwrap_or_else(|| panic!("{text}"));
    for slug in &slugs {
        assert!(line.contains(slug), "{line}");
    }
    let values = shown(line);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let figure = format!("{:.2}", num(&alex["trust"]));
    assert!(text.contains(&format!("Alex       trust {figure}")), "{text}");
    assert!((mean - figure.parse::<f64>().unwrap()).abs() <= 0.006, "{line} does not add up to {figure}");

    let md = env.ok(&["report", "--week", "2026-W47", "--format", "markdown"]);
    let line = md.lines().find(|l| l.starts_with("- **Alex**")).unwrap();
    assert!(line.contains(&format!("the mean of {} promises", slugs.len())), "{line}");
    // Where a person's rows are exactly what their figure averages, the
    // table adds up and nothing more is said; otherwise the words do.
    for p in json["people"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let mut averaged: Vec<&str> =
            p["averages"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap()).collect();
        let mut in_table: Vec<&str> = json["agreements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["by"] == name)
            .map(|r| r["slug"].as_str().unwrap())
            .collect();
        averaged.sort();
        in_table.sort();
        let line = md.lines().find(|l| l.starts_with(&format!("- **{name}**"))).unwrap();
        assert_eq!(line.contains("mean of"), averaged != in_table, "{line}");
    }
}

#[test]
fn every_format_reports_the_same_rows() {
    let env = demo();
    let json = env.json(&["report", "--week", "2026-W47"]);
    let csv = env.ok(&["report", "--week", "2026-W47", "--format", "csv"]);
    let md = env.ok(&["report", "--week", "2026-W47", "--format", "markdown"]);
    for row in json["agreements"].as_array().unwrap() {
        let slug = row["slug"].as_str().unwrap();
        let trust = format!("{:.4}", num(&row["trust"]));
        assert!(csv.lines().any(|l| l.contains(&format!(",{slug},")) && l.contains(&trust)), "{slug} {trust}\n{csv}");
        let short = format!("{:.2}", num(&row["trust"]));
        assert!(md.lines().any(|l| l.starts_with(&format!("| {slug} |")) && l.contains(&short)), "{slug}\n{md}");
    }
}
