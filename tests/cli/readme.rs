//! Every example in the README runs as written.
//!
//! The README's ```sh blocks are runnable, in order, as one session on a
//! fresh ledger with a fixed clock (Monday 23 November 2026, 18:00 in
//! Berlin); each line must exit 0. Blocks that cannot run here (a daemon in
//! the background, systemd, a second computer) are fenced as ```console and
//! skipped. `cargo run --release -- ARGS` runs the same binary as `troth ARGS`.

use crate::support::TestEnv;
use std::process::Command;

const README: &str = include_str!("../../README.md");

/// The command lines of the runnable blocks, in order.
fn runnable_lines() -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_sh = false;
    for line in README.lines() {
        let t = line.trim_start();
        if let Some(info) = t.strip_prefix("```") {
            in_sh = !in_sh && info.trim() == "sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let cmd = strip_comment(line).trim().to_string();
        if cmd.is_empty() || cmd.starts_with("cargo test") || cmd.starts_with("cargo install") {
            continue;
        }
        let cmd = match cmd.strip_prefix("cargo run --release -- ") {
            Some(rest) => format!("troth {rest}"),
            None => cmd,
        };
        lines.push(cmd);
    }
    lines
}

/// The line without a trailing `# comment` (a `#` outside quotes, after a space).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev.is_whitespace() => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

#[test]
fn the_readme_has_runnable_examples() {
    let lines = runnable_lines();
    assert!(lines.len() >= 20, "expected the README's tour to be runnable, found {lines:?}");
    assert!(lines.iter().all(|l| l.starts_with("troth ")), "{lines:?}");
}

#[test]
fn every_readme_example_runs_as_written() {
    let env = TestEnv::berlin();
    let bin = assert_cmd::cargo::cargo_bin("troth");
    let bin_dir = bin.parent().expect("binary folder").to_path_buf();
    let work = env.path("work");
    std::fs::create_dir_all(&work).unwrap();
    for line in runnable_lines() {
        let mut sh = Command::new("sh");
        sh.arg("-c").arg(&line).current_dir(&work);
        sh.env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .env("HOME", env.path("home"))
            .env("XDG_DATA_HOME", env.path("data"))
            .env("TZ", &env.tz)
            .env("TROTH_NOW", &env.now)
            .env("TROTH_DB", &env.db)
            .env("NO_COLOR", "1");
        let out = sh.output().expect("run sh");
        assert!(
            out.status.success(),
            "README example failed: {line}\nexit {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn comments_are_stripped_outside_quotes_only() {
    assert_eq!(strip_comment("troth log   # every entry"), "troth log   ");
    assert_eq!(strip_comment("troth kept x --note \"a # b\""), "troth kept x --note \"a # b\"");
    assert_eq!(strip_comment("troth kept x#y"), "troth kept x#y");
}
