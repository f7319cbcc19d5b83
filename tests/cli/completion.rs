//! Dynamic completion: the scripts `troth completions SHELL` prints call back
//! into troth, which answers with promise slugs and people's names from the
//! ledger — tested through a real bash with the generated script, and
//! through the same entry point the zsh and fish scripts call. Completion
//! never creates, changes or migrates a ledger and says nothing on errors.

use crate::support::TestEnv;
use std::process::Command;

fn couple() -> TestEnv {
    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00"]);
    env.ok(&["promise", "Two weekends a month,   at least", "--terms", "2 weekends a month", "--slug", "weekends"]);
    env.ok(&["promise", "Water Kim's plants", "--by", "Sam", "--to", "Kim", "--slug", "plants"]);
    env
}

/// What bash offers for `words` (the last one being completed), through the
/// script troth generated.
fn bash(env: &TestEnv, words: &[&str]) -> Vec<String> {
    let script = env.path("troth.bash");
    std::fs::write(&script, env.ok(&["completions", "bash"])).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("troth");
    let dir = bin.parent().unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        r#"source '{}'
COMP_WORDS=({})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"; COMP_POINT=${{#COMP_LINE}}; COMP_TYPE=9
_clap_complete_troth troth "${{COMP_WORDS[$COMP_CWORD]}}" "${{COMP_WORDS[$COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script.display(),
        quoted.join(" ")
    );
    let mut c = Command::new("bash");
    c.arg("--noprofile").arg("--norc").arg("-c").arg(&program);
    c.env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", dir.display()))
        .env("TROTH_DB", &env.db)
        .env("TZ", &env.tz)
        .env("TROTH_NOW", &env.now)
        .env("HOME", env.path("home"));
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// What the completer answers a shell's call, as the zsh and fish scripts make it.
fn ask(env: &TestEnv, shell: &str, words: &[&str]) -> (String, String) {
    let mut c = env.command();
    c.env("_TROTH_COMPLETE", shell).env("_CLAP_IFS", "\n").env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string());
    let out = c.arg("--").args(words).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn bash_completes_slugs_and_names_from_the_ledger() {
    let env = couple();
    let slugs = bash(&env, &["troth", "kept", ""]);
    for s in ["date-night", "weekends", "plants"] {
        assert!(slugs.contains(&s.to_string()), "{slugs:?}");
    }
    assert_eq!(bash(&env, &["troth", "show", "we"]), vec!["weekends"]);
    assert_eq!(bash(&env, &["troth", "amend", "da"]), vec!["date-night"]);
    assert_eq!(bash(&env, &["troth", "void", "--agreement", "pl"]), vec!["plants"]);
    assert_eq!(bash(&env, &["troth", "log", "d"]), vec!["date-night"]);
    assert_eq!(bash(&env, &["troth", "promise", "Walk", "--by", ""]), vec!["Alex", "Sam", "Kim"]);
    assert_eq!(bash(&env, &["troth", "report", "--by", "S"]), vec!["Sam"]);
    assert_eq!(bash(&env, &["troth", "trend", "--by", "K"]), vec!["Kim"]);
    // --as is me or partner only.
    assert_eq!(bash(&env, &["troth", "--as", ""]), vec!["Alex", "Sam"]);
    assert!(bash(&env, &["troth", "sho"]).contains(&"show".to_string()));
}

#[test]
fn zsh_and_fish_get_slugs_with_the_promise_words_beside_them() {
    let env = couple();
    let (zsh, err) = ask(&env, "zsh", &["troth", "kept", "we"]);
    assert!(err.is_empty(), "{err}");
    // One line per value, the words beside it (runs of spaces folded).
    assert_eq!(zsh.lines().next(), Some("weekends:Two weekends a month, at least"), "{zsh}");
    let (fish, _) = ask(&env, "fish", &["troth", "excuse", ""]);
    assert!(fish.contains("date-night\tDate night every Friday"), "{fish}");
    assert!(fish.contains("plants\tWater Kim's plants"), "{fish}");
    let (fish, _) = ask(&env, "fish", &["troth", "promise", "x", "--to", ""]);
    assert_eq!(fish.lines().filter(|l| !l.starts_with('-')).collect::<Vec<_>>(), vec!["Alex", "Sam", "Kim"]);
    // Entry ids for confirm, dispute and void, newest first, with what each was.
    let mut env = env;
    env.set_now("2026-11-24T10:00:00+01:00");
    env.ok(&["kept", "date-night", "--at", "2026-11-23 18:10", "--note", "pasta"]);
    env.ok(&["--as", "Sam", "kept", "plants", "--at", "2026-11-23 18:20"]);
    let (fish, _) = ask(&env, "fish", &["troth", "confirm", ""]);
    let ids: Vec<&str> = fish.lines().filter(|l| !l.starts_with('-')).collect();
    assert_eq!(
        ids,
        vec!["2\tplants kept Mon 23 Nov 18:20 · Sam", "1\tdate-night kept Mon 23 Nov 18:10 · Alex"],
        "{fish}"
    );
    assert_eq!(bash(&env, &["troth", "void", "1"]), vec!["1"]);
    // The ledger named on the line being completed is the one read.
    let other = TestEnv::berlin();
    other.ok(&["init", "--me", "Ana", "--partner", "Bo"]);
    other.ok(&["promise", "Cook on Sundays", "--terms", "every sun 18:00", "--slug", "cook"]);
    let db = other.db.display().to_string();
    let (fish, _) = ask(&env, "fish", &["troth", "--db", &db, "kept", ""]);
    assert!(fish.contains("cook\t") && !fish.contains("weekends"), "{fish}");
}

#[test]
fn completion_never_creates_or_changes_a_ledger_and_is_quiet_on_errors() {
    // No ledger: nothing is created, not even its folder.
    let env = TestEnv::berlin();
    let (out, err) = ask(&env, "fish", &["troth", "kept", ""]);
    assert!(err.is_empty() && !out.contains("date-night"), "{out}{err}");
    assert!(!env.db.exists() && !env.db.parent().unwrap().exists(), "completion created a ledger");
    // A ledger: the same bytes, and no -wal or -shm made beside it.
    let env = couple();
    let folder = env.db.parent().unwrap();
    let listing = || {
        let mut v: Vec<String> =
            std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    };
    let (before, files) = (std::fs::read(&env.db).unwrap(), listing());
    for shell in ["bash", "zsh", "fish"] {
        let (out, _) = ask(&env, shell, &["troth", "show", ""]);
        assert!(out.contains("weekends"), "{shell}: {out}");
    }
    assert_eq!(bash(&env, &["troth", "show", "w"]), vec!["weekends"]);
    assert_eq!(std::fs::read(&env.db).unwrap(), before, "completion changed the ledger");
    assert_eq!(listing(), files, "completion made files beside the ledger");
    // Not a ledger, or a folder: no slugs, no words on stderr, exit 0, untouched.
    let junk = env.path("junk.db");
    std::fs::write(&junk, "not a database at all").unwrap();
    for db in [junk.clone(), env.dir.path().to_path_buf()] {
        let mut e = TestEnv::berlin();
        e.db = db.clone();
        let (out, err) = ask(&e, "zsh", &["troth", "kept", ""]);
        assert!(err.is_empty(), "{err}");
        assert!(out.lines().all(|l| l.starts_with('-')), "{out}");
    }
    assert_eq!(std::fs::read(&junk).unwrap(), b"not a database at all");
}

/// (Asked in `env`'s home: fish makes its config and data folders at once,
/// and the caller's XDG dirs are not the test's.)
fn installed(shell: &str, env: &TestEnv) -> bool {
    Command::new(shell)
        .arg("-c")
        .arg("exit 0")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path("home"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A real zsh (through a pseudo-terminal, as a person presses Tab) and a
/// real fish, with the scripts installed the usual ways. These shells are not
/// on every machine: where one is missing the test says so and checks the
/// others (the protocol both use is tested above either way), except under CI.
/// Paths reach the shells through the environment (a TMPDIR may hold a
/// space), and the pty is read until the completion shows, up to a minute
/// (a loaded machine is slow), not for a fixed two seconds.
#[test]
fn real_zsh_and_fish_complete_slugs() {
    let env = couple();
    let bin = assert_cmd::cargo::cargo_bin("troth");
    let path = format!("{}:/usr/bin:/bin", bin.parent().unwrap().display());
    let dir = env.path("fpath");
    std::fs::create_dir_all(&dir).unwrap();
    let script = env.ok(&["completions", "zsh"]);
    std::fs::write(dir.join("_troth"), &script).unwrap();
    std::fs::write(env.path("troth.zsh"), &script).unwrap();
    let run = |shell: &str, program: String| {
        let out = Command::new(shell)
            .args([if shell == "zsh" { "-f" } else { "--no-config" }, "-c"])
            .arg(program)
            .env_clear()
            .env("PATH", &path)
            .env("TROTH_DB", &env.db)
            .env("TZ", &env.tz)
            .env("TROTH_NOW", &env.now)
            .env("HOME", env.path("home"))
            .env("TERM", "xterm")
            .env("TROTH_FPATH", &dir)
            .env("TROTH_ZSH", env.path("troth.zsh"))
            .env("TROTH_FISH", env.path("troth.fish"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    if installed("zsh", &env) {
        // Saved on $fpath (zsh runs the file as the function) and sourced.
        for setup in ["", "; source \"$TROTH_ZSH\""] {
            // Tab is pressed once the shell has run its setup (it prints
            // READY2, which its echo of the line does not show), and what the
            // terminal shows is read until the completion is there.
            let program = format!(
                r#"zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'PROMPT="> "; fpath=("$TROTH_FPATH" $fpath); autoload -Uz compinit; compinit -u -D{setup}; print READY$((1+1))'
all=""
for i in {{1..600}}; do
  while zpty -r -t z chunk; do all+=$chunk; done
  [[ $all == *READY2* ]] && break
  sleep 0.1
done
zpty -n -w z $'troth kept \t'
all=""
for i in {{1..600}}; do
  while zpty -r -t z chunk; do all+=$chunk; done
  [[ $all == *"Date night every Friday"* ]] && break
  sleep 0.1
done
print -r -- "$all"
zpty -d z"#
            );
            let out = run("zsh", program);
            assert!(out.contains("date-night") && out.contains("Date night every Friday"), "zsh{setup}: {out}");
        }
    } else {
        crate::support::skip("zsh is not installed here (apt-get install zsh): the real-zsh check did not run");
    }
    if installed("fish", &env) {
        let fish = env.path("troth.fish");
        std::fs::write(&fish, env.ok(&["completions", "fish"])).unwrap();
        let out = run(
            "fish",
            "source $TROTH_FISH; complete -C 'troth kept we'; complete -C 'troth promise x --to '".to_string(),
        );
        assert!(out.contains("weekends\tTwo weekends a month, at least"), "fish: {out}");
        assert!(out.contains("Alex\n") && out.contains("Kim\n"), "fish: {out}");
    } else {
        crate::support::skip("fish is not installed here (apt-get install fish): the real-fish check did not run");
    }
}
