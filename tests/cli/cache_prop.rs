//! `list`'s cache changes no number (docs/design.md §7, "The list cache"):
//! random ledgers on two devices take random steps — promises of every kind
//! with history reaching back across a clock change, kept/broken/excused
//! entries at old times, voids, amends, pauses, retirements, verdicts,
//! repairs and acceptances, trust settings, facts arriving late from the
//! partner's device through the sync folder, `now` moving across slot ends
//! and the spring-forward night, the cache file deleted or damaged — and
//! after every step `list --all --json` with the warm cache equals it with
//! `TROTH_NO_CACHE=1`, byte for byte. Cases: `TROTH_CACHE_CASES` (default 8).

use crate::support::TestEnv;
use proptest::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
enum Op {
    /// Device, what, which promise or entry, days back for `--at`.
    Act(usize, u8, usize, u32),
    /// Copy one device's new folder files into the other's folder.
    Pass(usize),
    /// Move both clocks on by minutes.
    Tick(u32),
    /// Do something to the cache file: delete, truncate, garbage, newer, foreign.
    Spoil(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..2, 0u8..16, 0usize..6, prop_oneof![0u32..2, 0u32..40]).prop_map(|(d, w, p, b)| Op::Act(d, w, p, b)),
        2 => (0usize..2).prop_map(Op::Pass),
        3 => prop_oneof![0u32..600, 600u32..20_000].prop_map(Op::Tick),
        1 => (0u8..5).prop_map(Op::Spoil),
    ]
}

struct Device {
    env: TestEnv,
    folder: PathBuf,
    me: &'static str,
}

fn now_at(minutes: u32) -> String {
    // A week before Berlin springs forward (28 March 2027).
    let t = chrono::DateTime::parse_from_rfc3339("2027-03-21T18:00:00+01:00").unwrap()
        + chrono::Duration::minutes(minutes as i64);
    t.to_rfc3339()
}

fn json(d: &Device, args: &[&str]) -> Value {
    let r = d.env.run(args);
    serde_json::from_str(&r.stdout).unwrap_or(Value::Null)
}

fn ids(v: &Value, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter(|x| keep(x)).filter_map(|x| x["id"].as_i64()).map(|i| i.to_string()).collect())
        .unwrap_or_default()
}

fn act(d: &Device, what: u8, pick: usize, back: u32, now_minutes: u32) {
    let slugs: Vec<String> = json(d, &["list", "--all", "--json"])
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["slug"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let at = (chrono::DateTime::parse_from_rfc3339(&now_at(now_minutes)).unwrap()
        - chrono::Duration::days(back as i64))
    .format("%Y-%m-%d")
    .to_string();
    let slug = slugs.get(pick % slugs.len().max(1)).cloned();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    let args: Vec<String> = match (what, slug) {
        (0, _) | (_, None) => {
            let terms = ["every day", "2/week", "every mon,thu 19:00", "standing", "3/month", "by 2027-03-30"];
            // Zones whose clocks change at 02:00, at midnight (the day starts
            // at 01:00) and by half an hour.
            let zone =
                ["Europe/Berlin", "America/Santiago", "Australia/Lord_Howe", "America/New_York"][back as usize % 4];
            let mut a = s(&["promise", "A promise", "--terms", terms[pick % terms.len()], "--zone", zone, "--anyway"]);
            if pick % terms.len() != 5 {
                a.extend(s(&["--starts", "2026-10-01"]));
            }
            a
        }
        (1 | 2, Some(x)) => s(&["kept", &x, "--at", &at]),
        // At midnight: on a checkpoint itself (checkpoints are day starts).
        (3, Some(x)) => s(&["kept", &x, "--at", &format!("{at} 00:00")]),
        (4, Some(x)) => s(&["broke", &x, "--at", &at]),
        (5, Some(x)) => s(&["excuse", &x, "--at", &at]),
        (6, Some(x)) => s(&["pause", &x]),
        (7, Some(x)) => s(&["resume", &x]),
        (8, Some(x)) if pick == 0 => s(&["retire", &x]),
        (9, Some(_)) => match ids(&json(d, &["log", "--json"]), |_| true).get(pick) {
            Some(id) => s(&["void", id, "--reason", "mistake"]),
            None => return,
        },
        (10, Some(x)) => s(&["amend", &x, "--terms", ["1/week", "every day", "standing"][pick % 3], "--anyway"]),
        (11, Some(_)) => {
            let log = json(d, &["log", "--json"]);
            match ids(&log, |e| e["by"] != d.me).get(pick) {
                Some(id) if pick.is_multiple_of(2) => s(&["dispute", id, "--note", "not so"]),
                Some(id) => s(&["confirm", id]),
                None => return,
            }
        }
        (12, Some(_)) => match ids(&json(d, &["log", "--json"]), |e| e["outcome"] == "broken").get(pick) {
            Some(id) => s(&["repair", id, "--understood", "I see", "--apology", "I'm sorry"]),
            None => return,
        },
        (13, Some(_)) => match ids(&json(d, &["inbox", "--json"])["repairs_offered"], |_| true).first() {
            Some(id) => s(&["accept", id]),
            None => return,
        },
        (14, Some(_)) => s(&["config", "trust.gain", &format!("0.0{}", 1 + pick % 9)]),
        (_, Some(x)) => s(&["kept", &x]),
    };
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = d.env.run(&a);
    assert!(r.code == 0 || r.code == 2, "troth {a:?}: {}\n{}", r.stdout, r.stderr);
}

fn pass(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap().filter_map(|e| e.ok()) {
        let name = e.file_name();
        if name.to_string_lossy().ends_with(".troth") && !to.join(&name).exists() {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

fn cache_files(d: &Device) -> Vec<PathBuf> {
    let dir = d.env.path("home/.cache/troth");
    std::fs::read_dir(dir).map(|r| r.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default()
}

fn spoil(d: &Device, how: u8) {
    for f in cache_files(d) {
        match how {
            0 => std::fs::remove_file(&f).unwrap(),
            1 => {
                let bytes = std::fs::read(&f).unwrap();
                std::fs::write(&f, &bytes[..bytes.len() / 2]).unwrap();
            }
            2 => std::fs::write(&f, b"troth-list-cache 1\n00\n{\"key\":1}").unwrap(),
            _ => {
                // Whole and well-formed, but of a newer format, or of another ledger.
                let text = std::fs::read_to_string(&f).unwrap();
                let mut lines = text.splitn(3, '\n');
                let (magic, _, body) = (lines.next().unwrap(), lines.next().unwrap(), lines.next().unwrap());
                let (magic, body) = if how == 3 {
                    ("troth-list-cache 99".to_string(), body.to_string())
                } else {
                    let mut v: Value = serde_json::from_str(body).unwrap();
                    v["key"]["ledger"] = Value::from("00000000-0000-4000-8000-000000000000");
                    (magic.to_string(), v.to_string())
                };
                let sum: String = Sha256::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
                std::fs::write(&f, format!("{magic}\n{sum}\n{body}")).unwrap();
            }
        }
    }
}

/// `list --all --json` with the warm cache (twice: making it, then using
/// it) equals it without any cache.
fn check(d: &Device, step: &str) {
    let plain = {
        let mut c = d.env.command();
        c.env("TROTH_NO_CACHE", "1").args(["list", "--all", "--json"]);
        c.output().unwrap()
    };
    for round in 0..2 {
        let warm = d.env.run(&["list", "--all", "--json"]);
        assert_eq!(warm.code, 0, "{}", warm.stderr);
        assert_eq!(
            warm.stdout,
            String::from_utf8_lossy(&plain.stdout),
            "after {step} (run {round}): the cached list differs from the full one"
        );
    }
}

fn run(ops: Vec<Op>) {
    let root = tempfile::tempdir().unwrap();
    let mut ds: Vec<Device> = ["Alex", "Sam"]
        .iter()
        .enumerate()
        .map(|(i, me)| {
            let folder = root.path().join(format!("folder-{i}"));
            std::fs::create_dir_all(&folder).unwrap();
            let mut env = TestEnv::berlin();
            env.set_now(&now_at(0));
            Device { env, folder, me }
        })
        .collect();
    ds[0].env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    ds[0].env.ok(&["promise", "Walk", "--terms", "every day", "--starts", "2026-10-01", "--slug", "walk"]);
    ds[0].env.ok(&["kept", "walk", "--at", "2026-10-20"]);
    let code = ds[0].env.json(&["sync", "setup", ds[0].folder.to_str().unwrap()])["code"].as_str().unwrap().to_string();
    pass(&ds[0].folder.clone(), &ds[1].folder.clone());
    ds[1].env.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    ds[1].env.extra.push(("TROTH_SYNC_CODE".into(), code));
    ds[1].env.ok(&["sync", "join", ds[1].folder.to_str().unwrap()]);
    let mut minutes = 0;
    check(&ds[0], "setup");
    for (i, o) in ops.into_iter().enumerate() {
        match &o {
            Op::Act(d, what, pick, back) => act(&ds[*d], *what, *pick, *back, minutes),
            Op::Pass(from) => {
                let (a, b) = (ds[*from].folder.clone(), ds[1 - *from].folder.clone());
                pass(&a, &b);
            }
            Op::Tick(m) => {
                minutes += m;
                for d in ds.iter_mut() {
                    d.env.set_now(&now_at(minutes));
                }
            }
            Op::Spoil(how) => spoil(&ds[0], *how),
        }
        check(&ds[0], &format!("step {i} {o:?}"));
    }
    check(&ds[1], "the end, on the other device");
}

fn cases() -> u32 {
    std::env::var("TROTH_CACHE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn the_cached_list_equals_the_full_one(ops in prop::collection::vec(op(), 6..20)) {
        run(ops);
    }
}

/// The cache is private, and deleting it changes nothing.
#[test]
fn the_cache_is_private_and_disposable() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk", "--terms", "every day", "--starts", "2026-01-01", "--slug", "walk"]);
    env.ok(&["kept", "walk", "--at", "2026-11-20"]);
    let first = env.ok(&["list", "--json"]);
    let dir = env.path("home/.cache/troth");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        let files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(files.len(), 1, "one cache file: {files:?}");
        assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);
        // Well-formed but with wrong numbers, and readable by others, or
        // another user's: not trusted, and rebuilt.
        let tampered = || {
            let text = std::fs::read_to_string(&files[0]).unwrap();
            let body = text.splitn(3, '\n').nth(2).unwrap();
            let mut v: Value = serde_json::from_str(body).unwrap();
            for (_, p) in v["promises"].as_object_mut().unwrap() {
                p["trust"] = Value::from(0.9f64.to_bits());
            }
            let body = v.to_string();
            let sum: String = Sha256::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
            std::fs::write(&files[0], format!("troth-list-cache 1\n{sum}\n{body}")).unwrap();
        };
        tampered();
        std::fs::set_permissions(&files[0], std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(env.ok(&["list", "--json"]), first);
        assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600, "rebuilt");
        if rustix::process::geteuid().is_root() {
            tampered();
            std::os::unix::fs::chown(&files[0], Some(65534), Some(65534)).unwrap();
            assert_eq!(env.ok(&["list", "--json"]), first);
            use std::os::unix::fs::MetadataExt;
            assert_eq!(std::fs::metadata(&files[0]).unwrap().uid(), 0, "rebuilt as ours");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(env.ok(&["list", "--json"]), first);
    let mut off = env.command();
    off.env("TROTH_NO_CACHE", "1").args(["list", "--json"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(String::from_utf8(off.output().unwrap().stdout).unwrap(), first);
    assert!(!dir.exists(), "TROTH_NO_CACHE=1 writes no cache");
    // The ledger holds facts only: no table for the cache.
    assert!(!env.dump().contains("cache"));
}

/// Runs at the same moment each leave a whole file, and the right numbers.
#[test]
fn concurrent_runs_agree() {
    let env = TestEnv::berlin();
    for (slug, terms) in [("walk", "every day"), ("dates", "2/month"), ("tidy", "standing")] {
        env.ok(&["promise", slug, "--terms", terms, "--starts", "2026-01-01", "--slug", slug, "--anyway"]);
        env.ok(&["kept", slug, "--at", "2026-11-20"]);
    }
    let full = || {
        let mut plain = env.command();
        plain.env("TROTH_NO_CACHE", "1").args(["list", "--json"]);
        plain.output().unwrap().stdout
    };
    let mut before = Vec::new();
    for round in 0..3 {
        if round > 0 {
            // A kept entry months back, as if it arrived late.
            env.ok(&["kept", "walk", "--at", &format!("2026-03-0{round}")]);
        }
        let expected = full();
        assert_ne!(expected, before, "round {round}: the old entry changes walk's numbers");
        before = expected.clone();
        let children: Vec<_> = (0..6)
            .map(|_| {
                let mut c = env.command();
                c.args(["list", "--json"]).stdout(std::process::Stdio::piped());
                c.spawn().unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success());
            assert_eq!(out.stdout, expected, "round {round}");
        }
        assert_eq!(env.ok(&["list", "--json"]).into_bytes(), expected, "round {round}, after");
        let dir = env.path("home/.cache/troth");
        let names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
    }
}

/// Many promises touched at once (as after a join) fold in one pass; a few
/// touched resume the rest from their checkpoints. Either way: the same list.
#[test]
fn many_or_few_touched_give_the_same_list() {
    let env = TestEnv::berlin();
    let terms = ["every day", "2/week", "every mon,thu 19:00", "standing", "3/month", "by 2026-12-01"];
    for i in 0..18 {
        let slug = format!("p{i}");
        env.ok(&[
            "promise",
            "A promise",
            "--terms",
            terms[i % terms.len()],
            "--starts",
            "2026-06-01",
            "--slug",
            &slug,
            "--anyway",
        ]);
        env.ok(&["kept", &slug, "--at", "2026-07-01"]);
    }
    let full = || {
        let mut plain = env.command();
        plain.env("TROTH_NO_CACHE", "1").args(["list", "--json"]);
        String::from_utf8(plain.output().unwrap().stdout).unwrap()
    };
    assert_eq!(env.ok(&["list", "--json"]), full(), "cold");
    for touched in [7, 1] {
        for i in 0..touched {
            env.ok(&["broke", &format!("p{i}"), "--at", "2026-06-15"]);
        }
        let before = full();
        assert_eq!(env.ok(&["list", "--json"]), before, "{touched} touched");
        assert_eq!(env.ok(&["list", "--json"]), before, "{touched} touched, warm");
    }
}

/// A fact edited in place behind troth's back (the append-only trigger
/// dropped, the row changed, the trigger put back) keeps its rowid and uuid;
/// the schema change it needed still discards the cache.
#[test]
fn an_edit_behind_troths_back_is_seen() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Walk", "--terms", "every day", "--starts", "2026-11-01", "--slug", "walk", "--anyway"]);
    env.ok(&["kept", "walk", "--at", "2026-11-10"]);
    let before = env.ok(&["list", "--json"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER entries_no_update;
         UPDATE entries SET outcome = 'broken';
         CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;",
    )
    .unwrap();
    drop(conn);
    let mut plain = env.command();
    plain.env("TROTH_NO_CACHE", "1").args(["list", "--json"]);
    let full = String::from_utf8(plain.output().unwrap().stdout).unwrap();
    assert_ne!(full, before, "the edit changes walk's numbers");
    assert_eq!(env.ok(&["list", "--json"]), full);
}

/// The cache may make `~/.cache`, but never a home folder that is not there
/// (a service's HOME=/nonexistent): `list` then simply runs without it.
#[test]
fn a_missing_home_is_never_created() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00"]);
    let gone = env.path("gone");
    let out = env.command().env("HOME", &gone).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!gone.exists(), "list created a missing home folder");
    env.ok(&["list"]);
    assert!(env.path("home/.cache/troth").is_dir(), "an existing home gets its cache");
}
