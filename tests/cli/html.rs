//! The weekly page (`report --format html`) and the trend chart (`trend
//! --svg`): structure, the numbers of `report --json`, escaping of hostile
//! text, nothing from elsewhere, private files never written onto the
//! ledger. The page in a real browser is checked by tests/browser/check-page.py.

use crate::support::{TestEnv, num};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

const HOSTILE: &str = "<script>alert('x')</script> \"quoted\" \u{202e}reversed\u{202c} 🎉";
const HOSTILE_NOTE: &str = "\"><img src=x onerror=alert(1)> \u{200f}שלום & 💛";

/// Berlin, now Mon 23 Nov 2026 18:00: a schedule, a quota amended and paused,
/// a standing promise with hostile words, entries across several weeks.
fn scenario() -> TestEnv {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&[
        "promise",
        "Date night every Friday",
        "--terms",
        "every fri 19:00",
        "--slug",
        "date-night",
        "--starts",
        "2026-09-01",
    ]);
    env.ok(&["promise", "Cook dinner", "--terms", "3/week", "--slug", "cook", "--by", "Sam", "--starts", "2026-09-07"]);
    env.ok(&["promise", HOSTILE, "--slug", "hostile", "--by", "Sam", "--starts", "2026-09-01"]);
    for (slug, at) in [
        ("date-night", "2026-10-02 21:00"),
        ("date-night", "2026-10-09 21:00"),
        ("date-night", "2026-11-06 21:00"),
        ("date-night", "2026-11-20 21:00"),
        ("cook", "2026-11-16 19:00"),
        ("cook", "2026-11-18 19:00"),
        ("cook", "2026-10-20 19:00"),
    ] {
        env.ok(&["kept", slug, "--at", at]);
    }
    env.ok(&["broke", "date-night", "--at", "2026-10-16 21:00", "--note", "stayed late at work"]);
    env.ok(&["kept", "hostile", "--at", "2026-11-17 12:00", "--note", HOSTILE_NOTE]);
    env
}

fn with_history(mut env: TestEnv) -> TestEnv {
    // Paused for two weeks in October, and renegotiated from 3 to 2 a week.
    env.set_now("2026-10-05T10:00:00+02:00");
    env.ok(&["pause", "cook"]);
    env.set_now("2026-10-19T10:00:00+02:00");
    env.ok(&["resume", "cook"]);
    env.set_now("2026-11-04T10:00:00+01:00");
    env.ok(&["amend", "cook", "--terms", "2/week", "--anyway"]);
    env.set_now("2026-11-23T18:00:00+01:00");
    env
}

fn page(env: &TestEnv, extra: &[&str]) -> String {
    let mut args = vec!["report", "--format", "html"];
    args.extend_from_slice(extra);
    let html = env.ok(&args);
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..html.len().min(200)]);
    html
}

/// The `<tr>…</tr>` of the promises table that names `slug`.
fn row<'a>(html: &'a str, slug: &str) -> &'a str {
    let needle = format!("<span class=\"slug\"><bdi>{slug}</bdi></span>");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no row for {slug}"));
    let start = html[..at].rfind("<tr>").expect("row start");
    let end = at + html[at..].find("</tr>").expect("row end");
    &html[start..end]
}

fn f4(v: &Value) -> String {
    format!("{:.4}", num(v))
}

fn f2(v: &Value) -> String {
    format!("{:.2}", num(v))
}

#[test]
fn the_page_holds_the_numbers_of_report_json() {
    let env = with_history(scenario());
    let json = env.json(&["report"]);
    let html = page(&env, &[]);
    assert!(html.contains("Week 47"), "the week asked for");
    let rows = json["agreements"].as_array().unwrap();
    assert!(rows.len() >= 3, "{json}");
    for a in rows {
        let slug = a["slug"].as_str().unwrap();
        if slug == "hostile" {
            continue; // its slug is plain; its words are checked below
        }
        let r = row(&html, slug);
        assert!(r.contains(&format!("<data value=\"{}\">", f4(&a["trust"]))), "{slug}: {r}");
        assert!(r.contains(&format!("<data value=\"{}\">", f4(&a["trust_change"]))), "{slug}: {r}");
        if a["promised"].as_u64().unwrap() > 0 {
            let kept = a["kept"].as_u64().unwrap().min(a["promised"].as_u64().unwrap());
            assert!(r.contains(&format!("{kept} of {} kept", a["promised"])), "{slug}: {r}");
        }
        if let Some(rate) = a["rate"].as_f64() {
            assert!(r.contains(&format!("{}%", (rate * 100.0).round() as i64)), "{slug}: {r}");
        }
    }
    let cook = rows.iter().find(|a| a["slug"] == "cook").unwrap();
    assert_eq!((cook["promised"].as_u64(), cook["kept"].as_u64()), (Some(2), Some(2)), "amended to 2/week: {cook}");
    for p in json["people"].as_array().unwrap().iter().chain([&json["overall"]]) {
        assert!(html.contains(&format!("<data value=\"{}\">", f4(&p["trust"]))), "{p}");
        assert!(html.contains(&format!("<data value=\"{}\">", f4(&p["trust_change"]))), "{p}");
    }
    assert!(html.contains("<bdi>Alex</bdi>") && html.contains("<bdi>Sam</bdi>"));
    // What happened: every entry of the week, with its note.
    assert_eq!(json["entries"].as_array().unwrap().len(), 4, "{json}");
    for e in json["entries"].as_array().unwrap() {
        assert!(html.contains(&format!("id=\"entry-{}\"", e["id"])), "entry {e}");
    }
    // Coming up, as of now.
    for d in json["upcoming"].as_array().unwrap() {
        assert!(html.contains(&format!("<span class=\"slug\"><bdi>{}</bdi></span> — ", d["slug"].as_str().unwrap())));
    }
    // Real headings and tables, the chart with a text alternative.
    for h in ["<h1>", "<h2 id=\"trend\">", "<h2 id=\"coming\">", "<th scope=\"col\">", "<th scope=\"row\""] {
        assert!(html.contains(h), "{h}");
    }
    assert!(html.contains("role=\"img\" aria-labelledby=\"chart-title chart-desc\""));
    assert!(html.contains("<desc id=\"chart-desc\">overall trust, 12 weeks from 2026-W37 to 2026-W48"));
    assert!(html.contains("prefers-color-scheme:dark") && html.contains("@media print"));
}

#[test]
fn the_chart_is_the_trend_with_pauses_and_amends() {
    let env = with_history(scenario());
    let trend = env.json(&["trend"]);
    let html = page(&env, &[]);
    let table = &html[html.find("class=\"trend-table\"").expect("the chart as a table")..];
    for w in trend["weeks"].as_array().unwrap() {
        let label = w["week"].as_str().unwrap();
        let short = format!("W{}", label.split("-W").nth(1).unwrap().trim_start_matches('0'));
        assert!(table.contains(&format!("<th scope=\"row\">{short}</th>")), "{label}");
    }
    let last = trend["weeks"].as_array().unwrap().last().unwrap();
    // The 4-place value is exact; the 2-place text rounds the unrounded
    // score, as the terminal does.
    let want = format!("<data value=\"{}\">", f4(&last["trust"]));
    let at = table.rfind(&want).unwrap_or_else(|| panic!("{want}\n{table}"));
    assert!(table[at..].starts_with(&want) && table[at..].contains("</data> so far"), "{table}");
    assert!(html.contains("class=\"c-pause\""), "the pause is shaded");
    assert!(html.contains("paused from Mon 12 Oct to Mon 19 Oct") || html.contains("paused from"), "{html}");
    assert!(html.contains("class=\"c-amend\""), "the amend is marked");
    assert!(html.contains("amended to 2/week from Mon 9 Nov"), "{html}");
}

#[test]
fn trend_svg_puts_each_point_at_its_weeks_end() {
    let env = with_history(scenario());
    let trend = env.json(&["trend", "date-night"]);
    let svg_path = env.path("chart.svg");
    env.ok(&["trend", "date-night", "--svg", svg_path.to_str().unwrap()]);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert_eq!(std::fs::metadata(&svg_path).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(svg.starts_with("<?xml") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("<title id=\"trend-title\">date-night trust, week by week</title>"));
    // 12 weeks over the plot (x 64 to 614): the k-th point at the end of the
    // k-th week, i.e. 64 + 550·(k+1)/12 — never at a week's start.
    let cx: Vec<f64> = svg
        .split("<circle ")
        .skip(1)
        .map(|c| {
            let v = &c[c.find("cx=\"").unwrap() + 4..];
            v[..v.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    let weeks = trend["weeks"].as_array().unwrap();
    let scored: Vec<usize> = (0..weeks.len()).filter(|k| weeks[*k]["rate"].is_number()).collect();
    assert_eq!(cx.len(), scored.len(), "one point per scored week");
    for (x, k) in cx.iter().zip(&scored) {
        let want = 64.0 + 550.0 * (*k as f64 + 1.0) / 12.0;
        assert!((x - want).abs() < 1.5, "week {k}: x {x}, want {want}");
    }
    // Each point's title carries the week and the trend's value.
    for k in &scored {
        let w = &weeks[*k];
        assert!(svg.contains(&format!("{} (", w["week"].as_str().unwrap())), "{w}");
        assert!(svg.contains(&format!("): {}", f2(&w["trust"]))), "{w}");
    }
    // cook's pause and amend are cook's, not date-night's.
    assert!(!svg.contains("c-pause\" x="), "no pause on date-night");
    let cook = env.path("cook.svg");
    env.ok(&["trend", "cook", "--svg", cook.to_str().unwrap()]);
    let cook = std::fs::read_to_string(&cook).unwrap();
    assert!(cook.contains("<rect class=\"c-pause\""), "{cook}");
    assert!(cook.contains("<line class=\"c-amend\""), "{cook}");
}

#[test]
fn hostile_words_come_out_as_text() {
    let env = scenario();
    let html = page(&env, &[]);
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("<img"), "no image element");
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &quot;quoted&quot;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt; \u{200f}שלום &amp; 💛"));
    // Right-to-left marks stay inside an isolated run of user text.
    let rtl = html.find('\u{202e}').expect("the override is kept as text");
    let open = html[..rtl].rfind("<bdi>").unwrap();
    assert!(!html[open..rtl].contains("</bdi>"), "inside <bdi>");
    assert!(html.contains("🎉"));
}

#[test]
fn the_page_is_self_contained() {
    let env = with_history(scenario());
    for html in [page(&env, &[]), page(&env, &["--weeks", "3"])] {
        let head = &html[..html.find("</head>").unwrap()];
        let csp =
            head.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-");
        assert!(csp.is_some(), "strict CSP in the head");
        for bad in ["http:", "https:", "//", "url(", "@import", "<script", "<link", "<iframe", "<object", "<img"] {
            assert!(!html.contains(bad), "{bad} in the page");
        }
        // No element points anywhere (user text may say "src=", escaped).
        for tag in html.split('<').skip(1).map(|t| &t[..t.find('>').unwrap_or(t.len())]) {
            for attr in [" src=", " href=", " srcset=", " action=", " xlink:href="] {
                assert!(!tag.contains(attr), "<{tag}>");
            }
        }
        assert_eq!(html.matches("<style>").count(), 1, "one stylesheet, the one the CSP names");
    }
}

#[test]
fn several_weeks_on_one_page() {
    let env = with_history(scenario());
    let html = page(&env, &["--weeks", "3", "--week", "2026-W47"]);
    assert!(html.contains("<h1>Weeks 45–47 · 2 Nov 2026 – 22 Nov 2026</h1>"), "{}", &html[..2000.min(html.len())]);
    let mut from = 0;
    for label in ["2026-W45", "2026-W46", "2026-W47"] {
        let at = html[from..].find(&format!("data-week=\"{label}\"")).unwrap_or_else(|| panic!("{label} in order"));
        from += at + 1;
        let json = env.json(&["report", "--week", label]);
        let rest = &html[from..];
        let section = &rest[..rest.find("data-week=").unwrap_or(rest.len())];
        let overall = &json["overall"];
        assert!(section.contains(&format!("<data value=\"{}\">", f4(&overall["trust"]))), "{label}");
    }
    env.fails(2, &["report", "--weeks", "2"]);
    env.fails(2, &["report", "--format", "html", "--weeks", "0"]);
}

#[test]
fn output_files_are_private_and_never_the_ledger() {
    let env = scenario();
    let out = env.path("week.html");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = env.run(&["report", "--format", "html", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "the page goes to the file: {}", r.stdout);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), page(&env, &[]));
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    // -o for the other formats too: the same bytes as on stdout.
    for format in ["json", "markdown", "csv", "table"] {
        let f = env.path(&format!("week.{format}"));
        env.ok(&["report", "--format", format, "-o", f.to_str().unwrap()]);
        assert_eq!(std::fs::read_to_string(&f).unwrap(), env.ok(&["report", "--format", format]), "{format}");
    }
    let no_temp =
        std::fs::read_dir(env.dir.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp"));
    assert!(no_temp, "no temporary file left behind");
    // Never onto the ledger, its -wal or -shm, a backup, or a link to it.
    let db = env.db.to_str().unwrap().to_string();
    let link = env.path("link.html");
    std::os::unix::fs::symlink(&env.db, &link).unwrap();
    for target in
        [db.clone(), format!("{db}-wal"), format!("{db}-shm"), format!("{db}.bak-v1"), link.to_str().unwrap().into()]
    {
        let err = env.fails(2, &["report", "--format", "html", "-o", &target]);
        assert!(err.contains("ledger"), "{err}");
        let err = env.fails(2, &["trend", "--svg", &target]);
        assert!(err.contains("ledger"), "{err}");
    }
    let dotted = format!("{}/../ledger/troth.db", env.db.parent().unwrap().display());
    env.fails(2, &["report", "-o", &dotted]);
}

#[test]
fn to_talk_about_is_on_the_page() {
    let mut env = scenario();
    env.set_now("2026-11-14T09:00:00+01:00");
    let kept = env.json(&["kept", "date-night", "--at", "2026-11-13 21:00"]);
    let id = kept["id"].to_string();
    env.set_now("2026-11-21T10:00:00+01:00");
    env.ok(&["--as", "Sam", "dispute", &id, "--note", "you were on your phone <b>all</b> evening"]);
    env.set_now("2026-11-23T18:00:00+01:00");
    let json = env.json(&["report"]);
    let talk = json["talk"].as_array().expect("report --json has talk");
    assert!(talk.iter().any(|t| t["kind"] == "dispute"), "{json}");
    let html = page(&env, &[]);
    let at = html.find("<h2 id=\"talk-0\">To talk about</h2>").expect("the section");
    let section = &html[at..at + html[at..].find("</section>").unwrap()];
    assert!(section.contains("Seen differently"), "{section}");
    assert!(section.contains("<bdi>date-night</bdi>"), "{section}");
    assert!(section.contains("you were on your phone &lt;b&gt;all&lt;/b&gt; evening"), "{section}");
}

#[test]
fn a_week_with_nothing_due_is_not_called_standing() {
    let env = scenario();
    env.ok(&[
        "promise",
        "Weekends with you",
        "--terms",
        "2/month",
        "--slug",
        "weekends",
        "--starts",
        "2026-11-01",
        "--anyway",
    ]);
    env.ok(&["kept", "weekends", "--at", "2026-11-07 12:00"]);
    let html = page(&env, &["--week", "2026-W45"]);
    let r = row(&html, "weekends");
    assert!(r.contains("nothing due this week"), "{r}");
    assert!(!r.contains("an ongoing promise"), "{r}");
    let html = page(&env, &[]);
    let r = row(&html, "hostile");
    assert!(r.contains("1 kept") && r.contains("an ongoing promise"), "{r}");
}

/// The week Lord Howe Island springs forward by half an hour (Sun 4 Oct
/// 2026, 02:00 → 02:30): a daily promise, worked out by hand, the same in
/// JSON, CSV and on the page. Kept Mon–Thu, broken Fri, kept Sat 23:59,
/// nothing Sun (a 23.5-hour day whose miss lands at the week's end, inside
/// it): 0.5 → 0.525 → 0.54875 → 0.5713125 → 0.592746875 (kept ×4) → ×0.8
/// = 0.4741975 (broken) → +0.05×(1−s) = 0.500487625 (kept) → ×0.8 =
/// 0.4003901 (missed at Mon 5 Oct 00:00 +11:00). Change −0.0996; rate 5/7.
#[test]
fn a_half_hour_clock_change_week_by_hand_in_every_format() {
    let mut env = TestEnv::new("Australia/Lord_Howe", "2026-09-27T12:00:00+10:30");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk together", "--terms", "daily", "--slug", "walk"]);
    env.set_now("2026-10-06T12:00:00+11:00");
    for day in ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-01"] {
        env.ok(&["kept", "walk", "--at", &format!("{day} 20:00")]);
    }
    env.ok(&["broke", "walk", "--at", "2026-10-02 20:00"]);
    env.ok(&["kept", "walk", "--at", "2026-10-03 23:59"]);
    let r = env.json(&["report", "--week", "2026-W40"]);
    assert_eq!(r["start"], "2026-09-28T00:00:00+10:30");
    assert_eq!(r["end"], "2026-10-05T00:00:00+11:00");
    let a = &r["agreements"][0];
    for (k, want) in [("promised", 7), ("kept", 5), ("broken", 1), ("excused", 0), ("missed", 1), ("extra", 0)] {
        assert_eq!(a[k], want, "{k}: {a}");
    }
    assert_eq!(f4(&a["trust"]), "0.4004");
    assert_eq!(f4(&a["trust_change"]), "-0.0996");
    assert_eq!(f4(&a["rate"]), "0.7143");
    assert_eq!(r["overall"]["trust"], a["trust"]);
    let csv = env.ok(&["report", "--week", "2026-W40", "--format", "csv"]);
    assert!(csv.contains("2026-W40,walk,Alex,Sam,7,5,1,0,1,0,0,,,,0.4004,-0.0996,0.7143,"), "{csv}");
    let html = page(&env, &["--week", "2026-W40"]);
    let row = row(&html, "walk");
    assert!(row.contains("0.40"), "{row}");
    assert!(html.contains("0.4004"), "the exact figure is on the page too");
}
