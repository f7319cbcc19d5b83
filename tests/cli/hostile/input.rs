//! What a careless script or a hostile file gives troth, found in the
//! acceptance pass: empty values that meant "nothing", ledger paths SQLite
//! would read as something else, many first commands at once, bytes that are
//! not text, and characters that would act on a terminal.

use crate::support::TestEnv;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn empty_terms_are_refused_not_taken_as_standing() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Weekends", "--terms", "2/month", "--slug", "weekends", "--starts", "2026-11-01"]);
    for args in [
        vec!["promise", "Walk", "--terms", ""],
        vec!["promise", "Walk", "--terms", "   "],
        vec!["amend", "weekends", "--terms", ""],
        vec!["amend", "weekends", "--terms", " \t "],
    ] {
        let err = env.fails(2, &args);
        assert!(err.contains("--terms is empty"), "{args:?}: {err}");
        assert!(err.contains("hint: try \"every fri 19:00\""), "{err}");
    }
    // Left out, it is still the standing default.
    assert_eq!(env.json(&["promise", "Call if late"])["terms"], "standing");
}

/// A relative `file:…` name is a URI to SQLite: the ledger must still be the
/// file of that name, holding what was written, and nothing else appears.
#[test]
fn a_ledger_named_file_colon_is_that_file() {
    let env = TestEnv::berlin();
    let dir = env.path("here");
    std::fs::create_dir(&dir).unwrap();
    let run = |args: &[&str]| {
        let out = env.command().current_dir(&dir).env("TROTH_DB", "file:g.db").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["promise", "Walk together", "--slug", "walk"]);
    run(&["kept", "walk"]);
    let list: serde_json::Value = serde_json::from_str(&run(&["list", "--json"])).unwrap();
    assert_eq!(list[0]["slug"], "walk", "{list}");
    assert_eq!(names_in(&dir), ["file:g.db"]);
}

/// A ledger path that is not UTF-8 keeps its bytes: the new ledger is that
/// file, with the promise in it, and no copy is left beside it.
#[test]
fn a_ledger_path_that_is_not_text_holds_its_promises() {
    let env = TestEnv::berlin();
    let dir = env.path("bytes");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join(OsStr::from_bytes(b"\xffz.db"));
    let run = |args: &[&str]| {
        let out = env.command().env("TROTH_DB", &db).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["promise", "Walk together", "--slug", "walk"]);
    assert!(run(&["list"]).contains("walk"));
    let files: Vec<Vec<u8>> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().as_bytes().to_vec()).collect();
    assert_eq!(files, [b"\xffz.db".to_vec()]);
}

fn at_once(env: &TestEnv, n: usize, args: impl Fn(usize) -> Vec<String>) {
    let children: Vec<_> = (0..n)
        .map(|i| {
            env.command()
                .args(args(i))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Twenty first commands at once, before any ledger exists: one makes it,
/// the others find it made and write into it — none is lost or refused.
#[test]
fn twenty_first_commands_at_once_all_land() {
    let env = TestEnv::berlin();
    at_once(&env, 20, |i| vec!["promise".into(), format!("Promise {i}"), "--slug".into(), format!("p{i}")]);
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 20);
    at_once(&env, 20, |i| vec!["kept".into(), "p0".into(), "--note".into(), format!("n{i}")]);
    assert_eq!(env.json(&["log"]).as_array().unwrap().len(), 20);
}

#[test]
fn troth_me_that_is_not_text_is_an_error() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk together", "--slug", "walk"]);
    let before = env.dump();
    let out = env.command().env("TROTH_ME", OsStr::from_bytes(b"Sam\xff")).args(["kept", "walk"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: TROTH_ME is not valid text"), "{err}");
    assert_eq!(before, env.dump());
}

/// With colour forced on, styles pass to the terminal: a path with an escape
/// sequence in it must still be shown, not obeyed.
#[test]
fn paths_printed_to_a_colour_terminal_are_scrubbed() {
    let env = TestEnv::berlin();
    let dir = env.path("esc");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("\u{1b}]0;PWNED\u{7}x.db");
    let run = |args: &[&str]| {
        let out = env
            .command()
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1")
            .env("TROTH_DB", &db)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let svg = dir.join("\u{1b}]0;PWNED\u{7}.svg");
    let demo = dir.join("d\u{1b}]0;PWNED\u{7}.db");
    for out in [
        run(&["init", "--me", "Alex", "--partner", "Sam"]),
        run(&["trend", "--svg", svg.to_str().unwrap()]),
        run(&["demo", "--db", demo.to_str().unwrap(), "--agreements", "1", "--years", "1"]),
    ] {
        assert!(!out.contains(']') || !out.contains('\u{7}'), "{out:?}");
        assert!(!out.contains("\u{1b}]0"), "{out:?}");
    }
}

#[test]
fn names_that_would_reorder_a_line_are_refused() {
    let env = TestEnv::berlin();
    let err = env.fails(2, &["promise", "Walk", "--by", "\u{202e}Bob", "--to", "Carl"]);
    assert!(err.contains("\"\\u{202e}Bob\" is not a name"), "{err}");
    env.fails(2, &["init", "--me", "Alex\u{2066}", "--partner", "Sam"]);
}

#[test]
fn show_prints_a_promise_s_words_without_reordering_marks() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk \u{202e} together", "--slug", "walk"]);
    let out = env.ok(&["show", "walk"]);
    assert!(!out.contains('\u{202e}'), "{out:?}");
    assert!(out.contains("Walk \\u{202e} together"), "{out}");
}

#[test]
fn control_characters_in_messages_are_escaped_once() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk"]);
    let err = env.fails(2, &["kept", "a\u{1b}b"]);
    assert!(err.contains("there is no promise \"a\\u{1b}b\""), "{err}");
    let err = env.fails(2, &["init", "--me", "Al\u{7}ex"]);
    assert!(err.contains("\"Al\\u{7}ex\" is not a name"), "{err}");
}

/// An export saved by an editor that adds a byte-order mark still imports.
#[test]
fn an_export_with_a_byte_order_mark_imports() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk"]);
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(env.ok(&["export"]).as_bytes());
    let file = env.path("export.json");
    std::fs::write(&file, bytes).unwrap();
    let other = TestEnv::berlin();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.json(&["list"])[0]["slug"], "walk");
    // A syntax error names its place once.
    std::fs::write(&file, "{\"format\": ").unwrap();
    let err = other.fails(2, &["import", file.to_str().unwrap()]);
    assert_eq!(err.matches("column").count(), 1, "{err}");
}

#[test]
fn a_review_answer_that_is_not_text_is_asked_again() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let r = env.piped(&["review"], b"\xff\xfe\nkept\nq\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("kept, broken, excused, skip or quit?"), "{}", r.stdout);
    assert!(r.stdout.contains("1 logged."), "{}", r.stdout);
    assert_eq!(env.json(&["log"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_small_synthetic_ledger_is_counted_in_good_english() {
    let env = TestEnv::berlin();
    let db = env.path("d.db");
    let out = env.ok(&["demo", "--db", db.to_str().unwrap(), "--agreements", "1", "--years", "1"]);
    assert!(out.contains("— 1 promise, 1 year, "), "{out}");
}

#[test]
fn troth_now_beyond_the_years_says_so() {
    let env = TestEnv::berlin();
    let out = env.command().env("TROTH_NOW", "3000-06-01T00:00:00+00:00").arg("list").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: TROTH_NOW is outside the years 1970–2999"), "{err}");
}

#[test]
fn an_empty_zone_says_what_would_be_right() {
    let env = TestEnv::berlin();
    for args in [vec!["init", "--zone", ""], vec!["promise", "Walk", "--zone", " "]] {
        let err = env.fails(2, &args);
        assert!(err.contains("empty time zone; use an IANA zone name such as Europe/Berlin"), "{err}");
    }
}

/// Help that could not be written is lost output: exit 1, not 0.
#[test]
fn help_to_a_full_disk_is_a_failure() {
    let env = TestEnv::berlin();
    for args in [vec!["--help"], vec!["list", "--help"], vec!["--version"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = env.command().args(&args).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "), "{args:?}");
    }
}

/// Output that cannot be written fails (exit 1) saying what would work, for
/// each command that writes a file; the ledger is as it was.
#[test]
fn output_to_a_missing_folder_says_what_would_work() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk"]);
    let gone = env.path("gone/out.json");
    let gone = gone.to_str().unwrap();
    for args in [vec!["export", "-o", gone], vec!["report", "-o", gone], vec!["trend", "--svg", gone]] {
        let err = env.fails(1, &args);
        assert!(err.contains("hint: its folder does not exist"), "{args:?}: {err}");
    }
    let err = env.fails(1, &["export", "-o", "/dev/full"]);
    assert!(err.contains("hint: the disk is full"), "{err}");
    let long = env.path(&"n".repeat(300));
    let err = env.fails(1, &["export", "-o", long.to_str().unwrap()]);
    assert!(err.contains("hint: choose another file name"), "{err}");
}

/// /tmp is open to all on purpose: the advice is a folder of one's own,
/// never to chmod it (as root the folder's mode is what refuses it; as
/// anyone else, its owner).
#[test]
fn a_ledger_in_tmp_is_refused_without_chmod_advice() {
    let mut env = TestEnv::berlin();
    env.db = std::path::PathBuf::from(format!("/tmp/troth-hostile-{}.db", std::process::id()));
    let err = env.fails(1, &["promise", "Walk together"]);
    assert!(err.contains("keep the ledger in a folder of your own"), "{err}");
    assert!(!err.contains("chmod"), "{err}");
    assert!(!env.db.exists());
}

#[test]
fn the_markdown_report_shows_reordering_marks_in_notes_escaped() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Call if late", "--slug", "call"]);
    env.ok(&["kept", "call", "--note", "on time \u{202e} really"]);
    let md = env.ok(&["report", "--week", "this", "--format", "markdown"]);
    assert!(md.contains("on time \\u{202e} really"), "{md}");
    assert!(!md.contains('\u{202e}'), "{md:?}");
}

/// remind's modes that cannot go together are refused, not half-obeyed
/// (`--dry-run --watch` printed once and quit; `--systemd` ignored the rest).
#[test]
fn remind_modes_that_contradict_are_refused() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    for args in [
        vec!["remind", "--dry-run", "--watch"],
        vec!["remind", "--systemd", "--dry-run"],
        vec!["remind", "--systemd", "--watch"],
    ] {
        let err = env.fails(2, &args);
        assert!(err.contains("cannot be used with"), "{args:?}: {err}");
    }
    assert!(env.ok(&["remind", "--systemd", "--all"]).contains("remind --all"));
}

/// A 10,000-character argument gets an error of a line, whoever refuses it.
#[test]
fn a_huge_argument_gets_a_short_error() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk"]);
    env.ok(&["kept", "walk"]);
    let huge = "x".repeat(10_000);
    let flag = format!("--{huge}");
    let sub = format!("lsit{huge}");
    for args in [vec![sub.as_str()], vec!["list", flag.as_str()], vec!["completions", huge.as_str()]] {
        let err = env.fails(2, &args);
        assert!(err.len() < 600, "{} bytes: {}", err.len(), &err[..200]);
        assert!(err.contains("xxxxxxxx…"), "{err}");
    }
    let err = env.fails(2, &["void", "1", "--reason", &huge]);
    assert!(err.starts_with("error: --reason: "), "{err}");
}

/// A ledger made read-only is not written — not even by root — and nothing
/// appears beside it; reading still works. A journal left read-only by SQLite
/// (it copies the ledger's mode) is named, so `chmod` on the ledger alone is
/// not a dead end.
#[test]
fn a_read_only_ledger_is_not_written_even_by_root() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-11-01"]);
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    mode(&env.db, 0o400);
    let bytes = std::fs::read(&env.db).unwrap();
    assert_eq!(env.run(&["kept", "walk"]).code, 1);
    assert_eq!(names_in(env.db.parent().unwrap()), ["troth.db"], "nothing made beside it");
    for args in [vec!["kept", "walk"], vec!["config", "me", "Alex"], vec!["promise", "Another"]] {
        let err = env.fails(1, &args);
        assert!(err.contains("the ledger is read-only"), "{args:?}: {err}");
        assert!(err.contains("hint: nothing was changed; to write to it again: chmod u+w"), "{err}");
    }
    assert_eq!(bytes, std::fs::read(&env.db).unwrap());
    assert!(env.ok(&["list"]).contains("walk"));
    // The ledger writable again, a journal file still read-only.
    mode(&env.db, 0o600);
    let shm = env.db.with_file_name("troth.db-shm");
    let _ = std::fs::remove_file(&shm);
    std::fs::write(&shm, b"").unwrap();
    mode(&shm, 0o400);
    // (Run directly: the test's own read of the ledger would remove the journal.)
    let r = env.run(&["kept", "walk"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("troth.db-shm'") && !r.stderr.contains("troth.db',"), "{}", r.stderr);
    std::fs::remove_file(&shm).unwrap();
    env.ok(&["kept", "walk"]);
}

/// Retirement is final: terms agreed for a time after it never apply, so
/// they are not shown as a change ahead (list, show, JSON).
#[test]
fn an_amend_overtaken_by_retirement_is_not_ahead() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Weekends", "--terms", "2/month", "--slug", "weekends", "--starts", "2026-11-01"]);
    env.ok(&["amend", "weekends", "--terms", "3/month"]);
    env.ok(&["retire", "weekends"]);
    // Both agreed for the same boundary: both are the change ahead, in the
    // list's words too (it used to name the terms alone).
    let a = &env.json(&["list"])[0];
    assert_eq!(
        a["pending"],
        serde_json::json!({"terms": "3/month", "status": "retired", "from": "2026-12-01T00:00:00+01:00"})
    );
    assert!(env.ok(&["list"]).contains("active (3/month, retired from Tue 1 Dec)"));
    assert!(env.ok(&["show", "weekends"]).contains("never in effect: retired first"));
    // Terms agreed for after a retirement that comes first are not ahead.
    env.ok(&["promise", "Swim", "--terms", "1/week", "--slug", "swim", "--starts", "2026-11-01"]);
    env.ok(&["amend", "swim", "--terms", "every sat", "--from", "2026-12-14"]);
    env.ok(&["retire", "swim"]);
    let all = env.json(&["list"]);
    let swim = all.as_array().unwrap().iter().find(|a| a["slug"] == "swim").unwrap();
    assert_eq!(
        swim["pending"],
        serde_json::json!({"terms": null, "status": "retired", "from": "2026-11-30T00:00:00+01:00"})
    );
    // A deadline retired now, with new terms agreed for next week.
    env.ok(&["promise", "Tax", "--terms", "by 2026-11-25", "--slug", "tax"]);
    env.ok(&["amend", "tax", "--terms", "2/week"]);
    env.ok(&["retire", "tax"]);
    let all = env.json(&["list", "--all"]);
    let tax = all.as_array().unwrap().iter().find(|a| a["slug"] == "tax").unwrap();
    assert_eq!(tax["status"], "retired");
    assert_eq!(tax["pending"], serde_json::Value::Null, "{tax}");
    let show = env.ok(&["show", "tax"]);
    assert!(!show.contains("change ahead") && !show.contains("will become"), "{show}");
}

/// `import -` reads standard input, as `export -o -` writes standard output.
#[test]
fn import_dash_reads_standard_input() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk"]);
    let export = env.ok(&["export", "-o", "-"]);
    let other = TestEnv::berlin();
    let r = other.piped(&["import", "-"], export.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(other.json(&["list"])[0]["slug"], "walk");
    let r = other.piped(&["import", "-"], b"");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: the import file is not a valid troth export"), "{}", r.stderr);
}

/// Refusals that used to stop at what was wrong now say what would be right.
#[test]
fn refusals_name_the_next_step() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk"]);
    env.ok(&["void", "--agreement", "walk"]);
    let err = env.fails(2, &["kept", "walk"]);
    assert!(err.contains("hint: make it again with `troth promise`"), "{err}");
    let missing = env.path("nowhere.json");
    let err = env.fails(2, &["import", missing.to_str().unwrap()]);
    assert!(err.contains("hint: give the file `troth export` wrote"), "{err}");
}

/// `TZ=:/etc/localtime` (glibc's "the system zone, without a stat each
/// time", common in containers) names the zone its link points to.
#[test]
fn tz_naming_the_localtime_link_is_its_zone() {
    let Some(zone) = std::fs::canonicalize("/etc/localtime")
        .ok()
        .and_then(|p| p.to_str().and_then(|p| p.rsplit_once("zoneinfo/").map(|(_, z)| z.to_string())))
    else {
        return; // no link into zoneinfo on this machine: nothing to name
    };
    for tz in ["/etc/localtime", ":/etc/localtime"] {
        let mut env = TestEnv::berlin();
        env.tz = tz.into();
        let out = env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
        assert!(out.contains(&format!("home zone {zone}")), "{tz}: {out}");
    }
}

/// A slug that begins with `-` would read as an option (`troth kept -walk`).
#[test]
fn a_new_slug_cannot_begin_with_a_dash() {
    let env = TestEnv::berlin();
    for slug in ["--slug=-walk", "--slug=-", "--slug=---"] {
        let err = env.fails(2, &["promise", "Walk together", slug]);
        assert!(err.contains("it would read as an option"), "{slug}: {err}");
    }
    assert_eq!(env.json(&["promise", "Walk together", "--slug", "walk-"])["slug"], "walk-");
}

/// Words left without their flag or quotes get a hint at what was meant —
/// and a word that is not UTF-8 elsewhere on the line does not crash it.
#[test]
fn stray_words_are_told_where_they_go() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let err = env.fails(2, &["promise", "Date", "night"]);
    assert!(err.contains("hint: put the promise's words in quotes"), "{err}");
    let err = env.fails(2, &["--json", "kept", "date-night", "yesterday"]);
    assert!(err.contains("hint: a time goes in --at and words in --note"), "{err}");
    let out = env
        .command()
        .args([OsStr::new("promise"), OsStr::new("a"), OsStr::new("b"), OsStr::from_bytes(b"\xff")])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: ") && !err.contains("panicked"), "{err}");
}

/// `trend --svg -` puts the chart on standard output, as `export -o -` does,
/// instead of a file named `-` beside the table.
#[test]
fn trend_svg_dash_is_standard_output() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let dir = env.path("here");
    std::fs::create_dir(&dir).unwrap();
    let out = env.command().current_dir(&dir).args(["trend", "--svg", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.trim_start().starts_with("<svg") || svg.trim_start().starts_with("<?xml"), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"), "{svg}");
    assert!(names_in(&dir).is_empty());
    env.fails(2, &["trend", "--svg", "-", "--json"]);
    // And a ledger is never `-`.
    for args in [vec!["--db", "-", "list"], vec!["promise", "Walk", "--db", "-"]] {
        let out = env.command().current_dir(&dir).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.starts_with("error: --db -: a ledger is a file"), "{err}");
    }
    assert!(names_in(&dir).is_empty());
}
