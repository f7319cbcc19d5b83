//! TestEnv: a private folder, a cleared environment, a fixed clock and zone.

use assert_cmd::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::process::Output;
use tempfile::TempDir;

pub struct TestEnv {
    pub dir: TempDir,
    pub db: PathBuf,
    pub tz: String,
    pub now: String,
    pub extra: Vec<(String, String)>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl TestEnv {
    pub fn new(tz: &str, now: &str) -> TestEnv {
        let dir = tempfile::Builder::new().prefix("troth-test").tempdir_in(env_tmp()).expect("temp dir");
        // Private whatever the caller's umask (under umask 000 a new folder
        // is open to all, and troth rightly refuses a ledger there).
        std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o700)).expect("chmod");
        let db = dir.path().join("ledger").join("troth.db");
        // A person has a home folder (the list cache lives under it; troth
        // never creates a missing one).
        private_dir(&dir.path().join("home"));
        TestEnv { dir, db, tz: tz.into(), now: now.into(), extra: Vec::new() }
    }

    /// Berlin, Monday 23 November 2026, 18:00.
    pub fn berlin() -> TestEnv {
        TestEnv::new("Europe/Berlin", "2026-11-23T18:00:00+01:00")
    }

    pub fn set_now(&mut self, now: &str) -> &mut Self {
        self.now = now.into();
        self
    }

    pub fn command(&self) -> Command {
        let mut c = Command::cargo_bin("troth").expect("binary");
        c.env_clear()
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("TZ", &self.tz)
            .env("TROTH_NOW", &self.now)
            .env("TROTH_DB", &self.db)
            .env("NO_COLOR", "1");
        for (k, v) in &self.extra {
            c.env(k, v);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command().args(args).output().expect("run troth"))
    }

    /// Run with `input` on a pipe for standard input (not a terminal).
    pub fn piped(&self, args: &[&str], input: &[u8]) -> Run {
        use std::io::Write;
        use std::process::Stdio;
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run troth");
        child.stdin.take().unwrap().write_all(input).unwrap();
        Run::from(child.wait_with_output().expect("run troth"))
    }

    /// Run with a real terminal for standard input, typing `answers` a line
    /// at a time; returns what the terminal showed.
    pub fn on_terminal(&self, args: &[&str], answers: &[&str]) -> String {
        on_terminal(&self.command(), args, answers)
    }

    /// Run and expect success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(r.code, 0, "troth {args:?} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        r.stdout
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut a: Vec<&str> = args.to_vec();
        a.push("--json");
        let out = self.ok(&a);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("troth {args:?} printed no JSON ({e}):\n{out}"))
    }

    /// Run and expect failure with `code`, one `error:` line first, and the
    /// ledger's content unchanged. Returns stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let before = self.dump();
        let r = self.run(args);
        assert_eq!(r.code, code, "troth {args:?}: expected exit {code}\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        assert!(r.stderr.starts_with("error: "), "troth {args:?}: stderr should start with `error: `:\n{}", r.stderr);
        assert_eq!(r.stderr.lines().filter(|l| l.starts_with("error: ")).count(), 1, "one error line:\n{}", r.stderr);
        for line in r.stderr.lines().skip(1) {
            assert!(line.starts_with("hint: "), "only hint lines may follow: {line}");
        }
        assert!(r.stdout.is_empty(), "nothing on stdout on failure: {}", r.stdout);
        assert_eq!(before, self.dump(), "troth {args:?} changed the ledger");
        r.stderr
    }

    /// The ledger's content, table by table (not its bytes: SQLite may
    /// rewrite pages without changing content). Empty when there is no ledger.
    pub fn dump(&self) -> String {
        dump(&self.db)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

/// Run `base` (troth with its environment) with `args` on a real terminal
/// (script(1) from util-linux), typing each of `answers` as a line after a
/// pause that lets troth ask first; returns what the terminal showed.
pub fn on_terminal(base: &Command, args: &[&str], answers: &[&str]) -> String {
    use std::io::Write;
    use std::process::Stdio;
    let pause = || std::thread::sleep(std::time::Duration::from_millis(300));
    let line = std::iter::once(base.get_program().to_string_lossy().into_owned())
        .chain(args.iter().map(|a| a.to_string()))
        .map(|word| {
            assert!(!word.contains('\''), "a word script(1)'s shell can take in single quotes: {word}");
            format!("'{word}'")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new("script")
        .env_clear()
        .envs(base.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .args(["-qec", &line, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script(1) gives troth a terminal: apt-get install bsdutils");
    let mut stdin = child.stdin.take().unwrap();
    for answer in answers {
        pause();
        writeln!(stdin, "{answer}").unwrap();
    }
    pause();
    drop(stdin);
    String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout).into_owned()
}

pub fn dump(db: &Path) -> String {
    if !db.exists() {
        return String::new();
    }
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let mut out = String::new();
    let tables: Vec<String> = match conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect::<Result<_, _>>())
    {
        Ok(t) => t,
        // Not a database: its bytes are its content.
        Err(_) => return format!("{:?}", std::fs::read(db).unwrap()),
    };
    for t in tables {
        out.push_str(&format!("== {t}\n"));
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut cells = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    cells.push(format!("{v:?}"));
                }
                Ok(cells.join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

/// Make the folder `path` (and any missing parents), private to the user
/// whatever the caller's umask: the folders a person keeps a ledger in are.
pub fn private_dir(path: &Path) {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(path).expect("create a private folder");
}

/// Tests run on a real disk where possible (TMPDIR may be tmpfs).
fn env_tmp() -> PathBuf {
    std::env::temp_dir()
}

/// Round to 4 places, as troth's JSON does.
pub fn r4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Who commits in the tests' git folders (a cleared environment has no
/// git identity, and git refuses to commit without one), and no git
/// configuration but the repository's own: the machine's /etc/gitconfig (or
/// a person's ~/.gitconfig, say with commit.gpgsign) is not the test's.
const GIT_IDENT: [(&str, &str); 6] = [
    ("GIT_AUTHOR_NAME", "t"),
    ("GIT_AUTHOR_EMAIL", "t@example.invalid"),
    ("GIT_COMMITTER_NAME", "t"),
    ("GIT_COMMITTER_EMAIL", "t@example.invalid"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
];

impl TestEnv {
    /// Let troth's own git commits (a sync folder in a clone) go through.
    pub fn with_git_identity(&mut self) -> &mut Self {
        self.extra.extend(GIT_IDENT.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self
    }
}

/// Run git in `dir`; it must succeed. Its environment is cleared (a
/// GIT_DIR, GIT_WORK_TREE or HOME of whoever runs the tests is not the
/// test's) but for PATH, which git needs to find its own helpers.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .envs(GIT_IDENT)
        .output()
        .expect("git must be installed for the git sync tests (apt-get install git)");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// An empty bare remote in `dir` and two clones of it, `a` and `b`, both
/// made before anything was pushed.
pub fn git_clones(dir: &Path) -> (PathBuf, PathBuf) {
    let remote = dir.join("remote.git");
    git(dir, &["init", "-q", "--bare", "-b", "main", remote.to_str().unwrap()]);
    git(dir, &["clone", "-q", remote.to_str().unwrap(), "a"]);
    git(dir, &["clone", "-q", remote.to_str().unwrap(), "b"]);
    (dir.join("a"), dir.join("b"))
}

/// A check that cannot run on this machine (no root, no tool) says so and
/// is skipped — except under CI (`CI` set; .ci/run sets it), where the
/// machine is made to have what every test needs, and a skip would hide a
/// check that never ran.
pub fn skip(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "under CI every check runs, but: {why}");
    eprintln!("skipped: {why}");
}

/// Whether the tests run as root, who alone can switch to another user.
pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false)
}

/// Whether another user (`nobody`) can reach `path`: every folder above it
/// searchable by others. A private TMPDIR (made under umask 077, say) is not.
pub fn others_can_reach(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.ancestors()
        .skip(1)
        .all(|p| p.as_os_str().is_empty() || std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

/// troth run as the unprivileged user `nobody` (65534), with HOME and the
/// ledger given, in Berlin on Monday 23 November 2026 at 18:00.
pub fn as_nobody(home: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(assert_cmd::cargo::cargo_bin("troth"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("TROTH_DB", db)
        .env("TZ", "Europe/Berlin")
        .env("TROTH_NOW", "2026-11-23T18:00:00+01:00")
        .output()
        .expect("run setpriv")
}
