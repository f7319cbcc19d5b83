//! The hostile corpus: ledger paths that are not ledgers (folders, pipes,
//! devices, dangling links, foreign SQLite files at several user_versions,
//! tampered and newer ledgers), ledgers that other users own or can write, a
//! planted `-wal`, bad environment and bad values that would reach a schema
//! CHECK — every command against each. Each case checks the exit code, one
//! `error:` line (+ `hint:` lines), nothing on stdout, no panic, and that the
//! files at the ledger's path are byte for byte as they were.

mod input;

use crate::support::TestEnv;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One command of each kind, reading and writing.
fn every_command(import: &str) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    vec![
        v(&["list"]),
        v(&["list", "--all", "--json"]),
        v(&["show", "walk"]),
        v(&["log"]),
        v(&["report"]),
        v(&["report", "--format", "json"]),
        v(&["trend"]),
        v(&["due"]),
        v(&["overpromising"]),
        v(&["export"]),
        v(&["export", "--format", "csv"]),
        v(&["config"]),
        v(&["config", "me"]),
        v(&["remind", "--dry-run"]),
        v(&["init", "--me", "Alex"]),
        v(&["promise", "Walk together", "--slug", "walk2"]),
        v(&["kept", "walk"]),
        v(&["broke", "walk"]),
        v(&["excuse", "walk"]),
        v(&["void", "1"]),
        v(&["amend", "walk", "--terms", "1/week"]),
        v(&["pause", "walk"]),
        v(&["config", "me", "Sam"]),
        v(&["import", import]),
    ]
}

/// Everything at and beside the ledger's path, as bytes (or what it is).
fn snapshot(db: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal", ".bak-v1", ".bak-v2"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        let what = match std::fs::symlink_metadata(&p) {
            Err(_) => "absent".to_string(),
            Ok(m) if m.is_file() => {
                // FNV-1a: a short fingerprint of the bytes.
                let bytes = std::fs::read(&p).unwrap();
                let h =
                    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ *b as u64).wrapping_mul(0x100_0000_01b3));
                format!("{} bytes, {h:016x}", bytes.len())
            }
            Ok(m) => format!("{:?} {:o}", m.file_type(), m.permissions().mode()),
        };
        out.push((suffix.to_string(), what));
    }
    out
}

fn check_refused(env: &TestEnv, args: &[String], code: i32, label: &str) -> String {
    let before = snapshot(&env.db);
    let mut c = env.command();
    c.env_remove("RUST_BACKTRACE");
    let out = c.args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{label}: troth {args:?}\nstdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.starts_with("error: "), "{label}: troth {args:?}: {stderr}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("error: ")).count(), 1, "{label}: {stderr}");
    assert!(stderr.lines().skip(1).all(|l| l.starts_with("hint: ")), "{label}: troth {args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{label}: {stderr}");
    assert!(stdout.is_empty(), "{label}: troth {args:?} printed {stdout}");
    assert_eq!(before, snapshot(&env.db), "{label}: troth {args:?} changed the files at the ledger's path");
    stderr.into_owned()
}

fn sqlite_file(path: &Path, user_version: i64, app_id: i64, wal: bool) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');").unwrap();
    c.pragma_update(None, "user_version", user_version).unwrap();
    c.pragma_update(None, "application_id", app_id).unwrap();
    if wal {
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
}

/// A real troth ledger with one promise, then tampered by `f`.
fn tampered(env: &TestEnv, f: impl Fn(&rusqlite::Connection)) {
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    f(&c);
    c.pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
}

#[test]
fn ledger_paths_that_are_not_ledgers_are_refused_untouched() {
    type Setup = Box<dyn Fn(&TestEnv)>;
    let kinds: Vec<(&str, Setup, &str)> = vec![
        ("a folder", Box::new(|e: &TestEnv| std::fs::create_dir_all(&e.db).unwrap()), "folder"),
        (
            "a fifo",
            Box::new(|e: &TestEnv| {
                std::fs::create_dir_all(e.db.parent().unwrap()).unwrap();
                assert!(Command::new("mkfifo").arg(&e.db).status().unwrap().success());
            }),
            "regular file",
        ),
        (
            "a dangling symlink",
            Box::new(|e: &TestEnv| {
                std::fs::create_dir_all(e.db.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink(e.path("nowhere/x.db"), &e.db).unwrap();
            }),
            "symbolic link",
        ),
        (
            "a symlink to a folder",
            Box::new(|e: &TestEnv| {
                std::fs::create_dir_all(e.db.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink(e.dir.path(), &e.db).unwrap();
            }),
            "folder",
        ),
        (
            "garbage",
            Box::new(|e: &TestEnv| {
                std::fs::create_dir_all(e.db.parent().unwrap()).unwrap();
                std::fs::write(&e.db, b"this is not a database, just some text\n".repeat(200)).unwrap();
                std::fs::set_permissions(&e.db, std::fs::Permissions::from_mode(0o600)).unwrap();
            }),
            "not an SQLite database",
        ),
    ];
    let mut n = 0;
    for (label, setup, why) in &kinds {
        let env = TestEnv::berlin();
        setup(&env);
        let import = env.path("in.json");
        std::fs::write(&import, "{}").unwrap();
        for args in every_command(import.to_str().unwrap()) {
            let err = check_refused(&env, &args, 1, label);
            assert!(err.contains(why), "{label}: expected \"{why}\": {err}");
            n += 1;
        }
    }
    // /dev/null, which root could otherwise replace.
    let mut env = TestEnv::berlin();
    env.db = PathBuf::from("/dev/null");
    for args in every_command("/dev/null") {
        check_refused(&env, &args, 1, "/dev/null");
        n += 1;
    }
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device_like());
    eprintln!("{n} cases");
}

trait CharDevice {
    fn is_char_device_like(&self) -> bool;
}
impl CharDevice for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_char_device(self)
    }
}

#[test]
fn foreign_sqlite_files_are_refused_byte_for_byte_untouched() {
    let cases: Vec<(i64, i64, bool, &str)> = vec![
        (0, 0, false, "not a troth ledger"),
        (1, 0, false, "not a troth ledger"),
        (2, 0, false, "not a troth ledger"),
        (3, 0, true, "not a troth ledger"),
        (7, 0, false, "not a troth ledger"),
        (99, 0, false, "not a troth ledger"),
        (-1, 0, false, "not a troth ledger"),
        (1, 0x1234_5678, false, "not a troth ledger"),
    ];
    for (version, app, wal, why) in cases {
        let env = TestEnv::berlin();
        std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        sqlite_file(&env.db, version, app, wal);
        let import = env.path("in.json");
        std::fs::write(&import, "{}").unwrap();
        for args in every_command(import.to_str().unwrap()) {
            let err = check_refused(&env, &args, 1, &format!("foreign v{version}"));
            assert!(err.contains(why), "v{version}: {err}");
        }
    }
}

#[test]
fn tampered_and_newer_ledgers_are_refused_untouched() {
    let cases: Vec<(&str, i64, &str)> = vec![
        ("negative user_version", -1, "tampered"),
        ("user_version 0 with tables", 0, "tampered"),
        ("a newer troth", 99, "newer troth"),
    ];
    for (label, version, why) in cases {
        let env = TestEnv::berlin();
        tampered(&env, |c| c.pragma_update(None, "user_version", version).unwrap());
        let import = env.path("in.json");
        std::fs::write(&import, "{}").unwrap();
        for args in every_command(import.to_str().unwrap()) {
            let err = check_refused(&env, &args, 1, label);
            assert!(err.contains(why), "{label}: {err}");
        }
    }
}

fn chown(path: &Path, uid: u32) {
    assert!(Command::new("chown").arg(uid.to_string()).arg(path).status().unwrap().success());
}

#[test]
fn files_that_others_own_or_can_write_are_refused() {
    type Setup = Box<dyn Fn(&TestEnv)>;
    let wal = |e: &TestEnv| {
        let mut p = e.db.as_os_str().to_owned();
        p.push("-wal");
        PathBuf::from(p)
    };
    let cases: Vec<(&str, Setup, &str)> = vec![
        (
            "a group-writable ledger",
            Box::new(|e: &TestEnv| std::fs::set_permissions(&e.db, std::fs::Permissions::from_mode(0o660)).unwrap()),
            "chmod 600",
        ),
        (
            "a world-writable folder",
            Box::new(|e: &TestEnv| {
                std::fs::set_permissions(e.db.parent().unwrap(), std::fs::Permissions::from_mode(0o777)).unwrap()
            }),
            "chmod go-w",
        ),
        (
            "a sticky shared folder",
            Box::new(|e: &TestEnv| {
                std::fs::set_permissions(e.db.parent().unwrap(), std::fs::Permissions::from_mode(0o1777)).unwrap()
            }),
            "chmod go-w",
        ),
        ("a ledger another user owns", Box::new(|e: &TestEnv| chown(&e.db, 65534)), "another user"),
        ("a folder another user owns", Box::new(|e: &TestEnv| chown(e.db.parent().unwrap(), 65534)), "another user"),
        (
            "a planted -wal another user owns",
            Box::new(move |e: &TestEnv| {
                std::fs::write(wal(e), b"forged history").unwrap();
                chown(&wal(e), 65534);
            }),
            "another user",
        ),
        (
            "a world-writable -wal",
            Box::new(move |e: &TestEnv| {
                std::fs::write(wal(e), b"").unwrap();
                std::fs::set_permissions(wal(e), std::fs::Permissions::from_mode(0o666)).unwrap();
            }),
            "chmod 600",
        ),
        (
            "a -wal that is a symlink",
            Box::new(move |e: &TestEnv| std::os::unix::fs::symlink(e.path("elsewhere"), wal(e)).unwrap()),
            "symbolic link",
        ),
        (
            "a -shm another user owns",
            Box::new(|e: &TestEnv| {
                let mut p = e.db.as_os_str().to_owned();
                p.push("-shm");
                std::fs::write(&p, b"").unwrap();
                chown(Path::new(&p), 65534);
            }),
            "another user",
        ),
    ];
    for (label, setup, why) in cases {
        let env = TestEnv::berlin();
        env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
        drop(c);
        for suffix in ["-wal", "-shm"] {
            let mut p = env.db.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        setup(&env);
        let import = env.path("in.json");
        std::fs::write(&import, "{}").unwrap();
        for args in every_command(import.to_str().unwrap()) {
            let err = check_refused(&env, &args, 1, label);
            assert!(err.contains(why), "{label}: expected \"{why}\" in {err}");
        }
    }
}

/// As an unprivileged user (root would hide the problem): a ledger in a
/// folder of one's own works; a -wal planted there by root is refused.
#[test]
fn an_unprivileged_user_is_protected_from_a_planted_wal() {
    if !Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false) {
        eprintln!("skipped: needs root to switch users");
        return;
    }
    let base = tempfile::Builder::new().prefix("troth-unpriv").tempdir().unwrap();
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = base.path().join("home");
    std::fs::create_dir(&home).unwrap();
    chown(&home, 65534);
    let db = home.join("troth").join("troth.db");
    let run = |args: &[&str]| crate::support::as_nobody(&home, &db, args);
    let out = run(&["promise", "Walk together", "--slug", "walk"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(std::fs::metadata(db.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    let before = std::fs::read(&db).unwrap();
    // Root (another user) plants a -wal beside it.
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::write(&wal, b"forged").unwrap();
    let out = run(&["list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("another user"), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(before, std::fs::read(&db).unwrap());
}

#[test]
fn refused_and_reading_commands_create_nothing() {
    let env = TestEnv::berlin();
    let folder = env.db.parent().unwrap().to_path_buf();
    // A file that is not there, inside the test's own folder (root could make /nonexistent).
    let missing = env.path("missing.json").display().to_string();
    for args in [
        vec!["list"],
        vec!["log"],
        vec!["report"],
        vec!["export"],
        vec!["due"],
        vec!["remind"],
        vec!["remind", "--dry-run"],
        vec!["config", "me"],
        vec!["promise", ""],
        vec!["promise", "x", "--terms", "sometimes"],
        vec!["kept", "nothing"],
        vec!["config", "trust.gain", "7"],
        vec!["init", "--zone", "Mars/Base"],
        vec!["import", missing.as_str()],
    ] {
        let r = env.run(&args);
        assert!(r.code == 0 || r.code == 2, "{args:?}: {}", r.stderr);
        assert!(!folder.exists(), "troth {args:?} created {}", folder.display());
    }
    // An empty file stands for no ledger: reading leaves it empty.
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(&env.db, b"").unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.ok(&["list"]);
    env.fails(2, &["kept", "nothing"]);
    assert_eq!(std::fs::read(&env.db).unwrap(), b"");
    // A write makes it a ledger.
    env.ok(&["promise", "Walk together"]);
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_new_ledger_has_its_home_zone_from_the_start() {
    let env = TestEnv::new("Asia/Tokyo", "2026-11-23T18:00:00+09:00");
    env.ok(&["promise", "Walk together"]);
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let zone: String = c.query_row("SELECT value FROM settings WHERE key = 'zone'", [], |r| r.get(0)).unwrap();
    assert_eq!(zone, "Asia/Tokyo");
    let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn demo_writes_only_ledgers_it_made() {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex"]);
    let db = env.db.to_str().unwrap().to_string();
    // --db naming the user's ledger, and TROTH_DB naming a ledger called demo.db.
    let err = env.fails(2, &["demo", "--db", &db]);
    assert!(err.contains("not a ledger the demo made"), "{err}");
    let mut user = TestEnv::berlin();
    user.db = user.path("data/troth/demo.db");
    user.ok(&["promise", "Walk together"]);
    let before = user.dump();
    let r = user.run(&["demo"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(before, user.dump());
    // A journal name beside the ledger is not a place for a demo either.
    let wal = format!("{db}-wal");
    let err = env.fails(2, &["demo", "--db", &wal]);
    assert!(err.contains("journal or backup name"), "{err}");
    // Its own ledger it rebuilds.
    let d = TestEnv::berlin();
    d.ok(&["demo"]);
    d.ok(&["demo"]);
}

#[test]
fn environment_that_is_not_text_is_an_error() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
    let bad = std::ffi::OsStr::from_bytes(b"2026-11-23T18:00:00\xff+01:00");
    for var in ["TROTH_NOW", "TZ"] {
        let before = env.dump();
        let mut c = env.command();
        c.env(var, bad).env_remove("RUST_BACKTRACE");
        let out = c.args(["kept", "walk"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: ") && err.contains(var), "{err}");
        assert_eq!(before, env.dump());
    }
}

#[test]
fn values_that_would_fail_a_schema_check_are_refused_first() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
    let long_unit = format!("2 {} a month", "u".repeat(45));
    let long_name = format!(" {} ", "n".repeat(61));
    let cases: Vec<Vec<&str>> = vec![
        vec!["config", "trust.gain", "1e-300"],
        vec!["config", "trust.loss", "1e-300"],
        vec!["config", "trust.start", "1e-300"],
        vec!["config", "overpromise.threshold", "4.9e-324"],
        vec!["config", "me", &long_name],
        vec!["config", "remind.quiet", "22:00-08:00-09:00"],
        vec!["promise", "x", "--remind", "000001w000001d000001h"],
        vec!["promise", "x", "--remind", "0000000001h"],
        vec!["promise", "x", "--terms", &long_unit],
        vec!["promise", "x", "--by", &long_name],
    ];
    for args in cases {
        let err = env.fails(2, &args);
        assert!(!err.contains("CHECK") && !err.contains("ledger error"), "{args:?}: {err}");
    }
}

#[test]
fn escape_sequences_never_reach_the_terminal() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"]);
    let esc = "\u{1b}[31mred\u{1b}]0;title\u{7}";
    let cases: Vec<Vec<String>> = vec![
        vec!["promise".into(), "x".into(), "--zone".into(), esc.into()],
        vec!["init".into(), "--zone".into(), esc.into()],
        vec!["config".into(), esc.into()],
        vec!["config".into(), "me".into(), esc.into()],
        vec!["kept".into(), esc.into()],
        vec!["kept".into(), "walk".into(), "--at".into(), esc.into()],
        vec!["kept".into(), "walk".into(), "--note".into(), esc.into()],
        vec!["promise".into(), esc.into()],
        vec!["promise".into(), "x".into(), "--terms".into(), esc.into()],
        vec!["promise".into(), "x".into(), "--slug".into(), esc.into()],
        vec!["log".into(), "--since".into(), esc.into()],
        vec!["report".into(), "--week".into(), esc.into()],
        vec!["report".into(), "--by".into(), esc.into()],
        vec!["import".into(), esc.into()],
        vec!["export".into(), "-o".into(), format!("{}/{esc}", env.path("missing").display())],
    ];
    for args in cases {
        let r = env.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_ne!(r.code, 0, "{args:?}");
        assert!(!r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'), "{args:?}: {:?}", r.stderr);
        assert!(!r.stdout.contains('\u{1b}'), "{args:?}");
    }
    // From the environment and from a file.
    let mut c = env.command();
    c.env("TZ", esc);
    let fresh = TestEnv::berlin();
    let out = fresh.command().env("TZ", esc).args(["promise", "x"]).output().unwrap();
    assert!(!out.stderr.contains(&0x1b), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = format!(
        r#"{{"format":"troth-export","version":1,"settings":{{"{esc}":"x"}},"agreements":[],"entries":[]}}"#,
        esc = esc.replace('\u{1b}', "\\u001b").replace('\u{7}', "\\u0007")
    );
    let f = env.path("esc.json");
    std::fs::write(&f, doc).unwrap();
    let err = env.fails(2, &["import", f.to_str().unwrap()]);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    let doc = r#"{"format":"troth-export","version":1,"agreements":[],"entries":[],"\u001b[31m":1}"#;
    std::fs::write(&f, doc).unwrap();
    let err = env.fails(2, &["import", f.to_str().unwrap()]);
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

/// `remind --watch` with a bus but no notification server: it says so once,
/// retries with backoff, never wakes for its own writes, and records the
/// failure at most once for the slot (not ~15 times a second).
#[test]
fn a_watch_without_a_server_does_not_flood_the_ledger() {
    use std::time::Duration;
    let bus = crate::bus::Bus::start();
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-27T18:00:00+01:00");
    env.extra.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    let child = env
        .command()
        .args(["remind", "--watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(4));
    let rows = |table: &str| -> i64 {
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    let (claims, results) = (rows("reminder_claims"), rows("reminder_results"));
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let out = child.wait_with_output().unwrap();
    assert!(claims <= 1 && results <= 1, "{claims} claims and {results} results in 4 seconds");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().filter(|l| l.starts_with("error: ")).count(), 1, "said once: {err}");
    // A one-shot run within the hour records nothing more either.
    let r = env.run(&["remind"]);
    assert_eq!(r.code, 1);
    assert_eq!(rows("reminder_results"), results);
}

#[test]
fn private_reminders_hide_the_unit_noun_too() {
    let env = TestEnv::new("Europe/Berlin", "2026-11-28T12:00:00+01:00");
    env.ok(&["config", "remind.private", "true"]);
    env.ok(&["promise", "Massages", "--terms", "2 secret massages a month", "--starts", "2026-11-01"]);
    let out = env.ok(&["remind", "--dry-run"]);
    assert!(out.contains("A promise is due"), "{out}");
    assert!(!out.contains("massage") && !out.contains("secret") && !out.contains("Massages"), "{out}");
    let json = env.json(&["remind", "--dry-run"]);
    let text = json.to_string();
    assert!(!text.contains("massage") && !text.contains("secret"), "{text}");
}
