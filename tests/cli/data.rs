//! Export, import, CSV, iCalendar, completions and the man page.

use crate::support::TestEnv;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

/// A ledger with every kind of terms, an amend, a pause, voids and non-ASCII notes.
fn rich() -> TestEnv {
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
        "2026-09-01",
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
    env.ok(&["promise", "Budget talk", "--terms", "monthly on 31 09:00", "--starts", "2026-10-01"]);
    env.ok(&["promise", "Call if I'm running late", "--by", "Sam", "--to", "Alex", "--slug", "call"]);
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-12-01 18:00", "--slug", "sink", "--starts", "2026-11-01"]);
    env.ok(&["promise", "Plant the tulips", "--terms", "by 2026-12-10", "--slug", "tulips"]);
    env.ok(&["kept", "weekends", "--at", "2026-10-10", "--note", "Ausflug an den See — très bien 🌊"]);
    env.ok(&["kept", "date-night", "--at", "2026-11-20 20:00", "--note", "日本料理"]);
    let e = env.json(&["broke", "date-night", "--at", "2026-11-13 19:00"]);
    env.ok(&["void", &e["id"].to_string(), "--reason", "wrong week"]);
    // Alex's date nights are behind, so a new promise needs --anyway (docs/design.md §4).
    env.fails(2, &["promise", "Oops", "--terms", "daily"]);
    env.ok(&["promise", "Oops", "--terms", "daily", "--anyway"]);
    env.ok(&["void", "--agreement", "oops", "--reason", "typed by mistake"]);
    env.ok(&["amend", "weekends", "--terms", "1 weekend a month"]);
    env.ok(&["pause", "date-night"]);
    env.set_now("2026-11-23T18:00:00+01:00");
    env
}

fn without_exported(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("exported");
    v
}

#[test]
fn export_import_export_is_the_same_content() {
    let a = rich();
    let file = a.path("backup.json");
    a.ok(&["export", "-o", file.to_str().unwrap()]);
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    let first: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(first["format"], "troth-export");
    assert_eq!(first["version"], 1);
    assert_eq!(first["agreements"].as_array().unwrap().len(), 7);
    let b = TestEnv::berlin();
    b.ok(&["import", file.to_str().unwrap()]);
    let second = b.json(&["export"]);
    assert_eq!(without_exported(first.clone()), without_exported(second));
    // The numbers agree too.
    assert_eq!(a.json(&["list", "--all"]), b.json(&["list", "--all"]));
    // Importing again adds nothing.
    let before = b.dump();
    let again = b.json(&["import", file.to_str().unwrap()]);
    assert_eq!(again["entries"], 0);
    assert_eq!(before, b.dump());
}

#[test]
fn a_slug_clash_gets_a_suffix_and_says_so() {
    let a = rich();
    let file = a.path("a.json");
    a.ok(&["export", "-o", file.to_str().unwrap()]);
    let b = TestEnv::berlin();
    b.ok(&["init", "--me", "Jo"]);
    b.ok(&["promise", "Our own weekends", "--slug", "weekends", "--terms", "1/month"]);
    let out = b.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("now shows as \"weekends-2\""), "{out}");
    let slugs: Vec<String> = b
        .json(&["list", "--all"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["slug"].as_str().unwrap().to_string())
        .collect();
    assert!(slugs.contains(&"weekends".to_string()) && slugs.contains(&"weekends-2".to_string()), "{slugs:?}");
    assert_eq!(b.ok(&["config", "me"]).trim(), "Jo", "local settings win");
}

#[test]
fn malformed_and_newer_files_are_refused_untouched() {
    let a = rich();
    let good = a.json(&["export"]);
    let b = rich();
    let write = |name: &str, body: &[u8]| {
        let p = b.path(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let mut newer = good.clone();
    newer["version"] = 99.into();
    let p = write("newer.json", newer.to_string().as_bytes());
    let err = b.fails(2, &["import", p.to_str().unwrap()]);
    assert!(err.contains("newer troth"), "{err}");
    let mut broken = good.clone();
    broken["entries"][0]["outcome"] = "forgotten".into();
    let p = write("bad-outcome.json", broken.to_string().as_bytes());
    let err = b.fails(2, &["import", p.to_str().unwrap()]);
    assert!(err.contains("entries[0].outcome"), "{err}");
    let mut broken = good.clone();
    broken["agreements"][1]["versions"][0]["terms"] = "whenever".into();
    let p = write("bad-terms.json", broken.to_string().as_bytes());
    let err = b.fails(2, &["import", p.to_str().unwrap()]);
    assert!(err.contains("agreements[1].versions[0].terms"), "{err}");
    let mut nul = good.clone();
    nul["entries"][0]["note"] = "a NUL \u{0} byte".into();
    let p = write("nul.json", nul.to_string().as_bytes());
    let err = b.fails(2, &["import", p.to_str().unwrap()]);
    assert!(err.contains("entries[0].note"), "{err}");
    for (name, body) in [
        ("truncated.json", &good.to_string().as_bytes()[..200]),
        ("binary.json", b"\xff\xfe\x00garbage".as_slice()),
        ("empty.json", b"".as_slice()),
        ("array.json", b"[]".as_slice()),
    ] {
        let p = write(name, body);
        b.fails(2, &["import", p.to_str().unwrap()]);
    }
    b.fails(2, &["import", b.path("missing.json").to_str().unwrap()]);
}

#[test]
fn csv_has_one_row_per_entry() {
    let env = rich();
    let out = env.ok(&["export", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        ["id", "agreement", "text", "by", "to", "outcome", "at", "note", "logged_by", "logged_at", "void", "reason"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    let weekend = rows.iter().find(|x| &x[1] == "weekends").unwrap();
    assert_eq!(&weekend[7], "Ausflug an den See — très bien 🌊");
    let void = rows.iter().find(|x| &x[10] == "true").unwrap();
    assert_eq!(&void[11], "wrong week");
}

#[test]
fn completions_pass_bash_syntax_and_the_man_page_renders() {
    let env = TestEnv::berlin();
    let bash = env.path("troth.bash");
    std::fs::write(&bash, env.ok(&["completions", "bash"])).unwrap();
    let st = std::process::Command::new("bash").arg("-n").arg(&bash).status().unwrap();
    assert!(st.success());
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        assert!(env.ok(&["completions", shell]).contains("troth"));
    }
    let page = env.path("troth.1");
    std::fs::write(&page, env.ok(&["man"])).unwrap();
    // A cleared environment: the caller's MANOPT, MANWIDTH or locale are not the test's.
    let out = std::process::Command::new("man")
        .arg("-l")
        .arg(&page)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path("home"))
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output();
    match out {
        Ok(o) => {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            assert!(String::from_utf8_lossy(&o.stdout).contains("troth"));
        }
        Err(e) => panic!("man must be installed for this test (apt-get install man-db): {e}"),
    }
}

/// A huge file is refused as fast as a small one: the newer-format check
/// reads only the header fields, so 40 MB of tiny objects is named at its
/// first bad entry within a memory limit a whole-file parse would blow
/// (it took ~40× the file's size), and a file past any export's size — or
/// `/dev/zero` — is refused without reading it all.
#[test]
fn huge_import_files_are_refused_without_exhausting_memory() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let big = env.path("big.json");
    let mut body = String::from(r#"{"format":"troth-export","version":1,"entries":["#);
    body.push_str(&vec![r#"{"uuid":"x"}"#; 3_300_000].join(","));
    body.push_str("]}");
    std::fs::write(&big, body).unwrap();
    let before = env.dump();
    // 1 GB of address space: the binary and its threads need a few dozen MB.
    let mut sh = std::process::Command::new("sh");
    // troth's environment only (as TestEnv gives it), not the caller's.
    sh.arg("-c").arg(r#"ulimit -v 1000000 && exec "$TROTH" import "$BIG""#).env_clear();
    for (k, v) in env.command().get_envs() {
        if let Some(v) = v {
            sh.env(k, v);
        }
    }
    let r = sh.env("BIG", &big).env("TROTH", assert_cmd::cargo::cargo_bin("troth")).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains("missing field `agreement`"), "{stderr}");
    assert_eq!(before, env.dump());
    // Past the largest export troth reads: refused by its size.
    let sparse = env.path("sparse.json");
    std::fs::File::create(&sparse).unwrap().set_len((512 << 20) + 1).unwrap();
    let err = env.fails(2, &["import", sparse.to_str().unwrap()]);
    assert!(err.contains("larger than any troth export"), "{err}");
    let err = env.fails(2, &["import", "/dev/zero"]);
    assert!(err.contains("larger than any troth export"), "{err}");
}

#[test]
fn import_counts_in_words_that_agree_with_the_number() {
    let a = TestEnv::berlin();
    a.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--slug", "date", "--starts", "2026-11-01"]);
    a.ok(&["kept", "date", "--at", "2026-11-20 19:00"]);
    let file = a.path("one.json");
    a.ok(&["export", "-o", file.to_str().unwrap()]);
    let b = TestEnv::berlin();
    let out = b.ok(&["import", file.to_str().unwrap()]);
    assert!(out.starts_with("imported  1 promise, 1 entry, 0 voids ("), "{out}");
    let out = b.ok(&["import", file.to_str().unwrap()]);
    assert!(out.starts_with("imported  0 promises, 0 entries, 0 voids ("), "{out}");
    assert!(out.contains(" facts already here, skipped)"), "{out}");
}

/// `report --format csv` opens in a spreadsheet like the CSV export: a name
/// that looks like a formula is written as text (`'` in front), while the
/// numbers — a negative trust change too — stay numbers.
#[test]
fn report_csv_names_that_look_like_formulas_are_text() {
    let mut env = TestEnv::berlin();
    env.set_now("2026-11-01T10:00:00+01:00");
    env.ok(&["init", "--me", "=cmd|' /C calc'!A0", "--partner", "@SUM(1+1)"]);
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--slug", "date"]);
    env.set_now("2026-11-23T18:00:00+01:00");
    env.ok(&["kept", "date", "--at", "2026-11-20 19:00"]);
    let out = env.ok(&["report", "--format", "csv"]);
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows.records().map(|r| r.unwrap()).find(|r| &r[col("promise")] == "date").expect("a row for date");
    assert_eq!(&row[col("by")], "'=cmd|' /C calc'!A0");
    assert_eq!(&row[col("to")], "'@SUM(1+1)");
    // 6 Nov missed (its slot closes 13 Nov 00:00, in week 46): 0.5 → 0.4;
    // 13 Nov missed at 20 Nov 00:00: 0.32; kept 20 Nov: 0.354.
    assert_eq!(&row[col("trust")], "0.3540");
    let all = env.ok(&["report", "--format", "csv", "--week", "2026-W46"]);
    let change = all.lines().find(|l| l.contains(",date,")).unwrap().split(',').nth(15).unwrap().to_string();
    assert_eq!(change, "-0.1000", "a negative number is not guarded: {all}");
}

/// `import` reads the JSON export; given troth's own calendar or spreadsheet
/// export instead, it says which file it was given, not a JSON syntax error.
#[test]
fn importing_the_calendar_or_spreadsheet_export_says_which_it_is() {
    let a = rich();
    let ics = a.path("troth.ics");
    a.ok(&["export", "--format", "ics", "-o", ics.to_str().unwrap()]);
    let csv = a.path("entries.csv");
    a.ok(&["export", "--format", "csv", "-o", csv.to_str().unwrap()]);
    let b = TestEnv::berlin();
    b.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let err = b.fails(2, &["import", ics.to_str().unwrap()]);
    assert!(err.contains("iCalendar file (`export --format ics`)"), "{err}");
    assert!(err.contains("hint: nothing was imported; the file must come from `troth export --format json`"), "{err}");
    let err = b.fails(2, &["import", csv.to_str().unwrap()]);
    assert!(err.contains("spreadsheet export (`export --format csv`)"), "{err}");
}

/// `-o -` is standard output (the usual convention), not a file named `-`:
/// for every export format and the report, in the directory it runs in.
#[test]
fn output_dash_is_standard_output() {
    let env = rich();
    let cwd = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = env.command().current_dir(cwd.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    for format in ["json", "csv", "ics"] {
        let plain = run(&["export", "--format", format]);
        assert!(!plain.is_empty(), "{format}");
        assert_eq!(run(&["export", "--format", format, "-o", "-"]), plain, "{format}");
    }
    let report = run(&["report", "--format", "markdown"]);
    assert!(report.contains('|'), "{report}");
    assert_eq!(run(&["report", "--format", "markdown", "-o", "-"]), report);
    assert!(run(&["report", "--format", "html", "-o", "-"]).contains("<html"));
    assert!(!cwd.path().join("-").exists(), "no file named '-' was written");
}
