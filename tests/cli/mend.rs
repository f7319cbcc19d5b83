//! Review fixes: a synced command that applies the partner's file inside
//! one transaction (docs/design.md §9) does not hold the ledger's write lock
//! while it waits on a pipe or on standard input.

use crate::sync::pair_with;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Whether, within a minute, another writer could take the ledger's write
/// lock at once and found the partner's `entries` applied (count > `before`).
/// (The command under test waits for as long as it is let, so a generous
/// deadline for a loaded machine asks no less of it.)
fn partner_applied_and_lock_free(db: &std::path::Path, before: i64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.busy_timeout(Duration::ZERO).unwrap();
        if conn.execute_batch("BEGIN IMMEDIATE").is_ok() {
            let n: i64 = conn.query_row("SELECT count(*) FROM entries", [], |r| r.get(0)).unwrap();
            conn.execute_batch("ROLLBACK").unwrap();
            if n > before {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn entries(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM entries", [], |r| r.get(0)).unwrap()
}

fn finish(mut child: Child) -> std::process::Output {
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// `import -` waits for its standard input (a person typing, a slow
/// producer): the partner's waiting file is applied and the write lock let
/// go meanwhile, or every other troth (`remind --watch`, a `kept` in
/// another terminal) would wait on it and give up as "busy".
#[test]
fn import_from_standard_input_does_not_hold_the_write_lock_while_it_waits() {
    let p = pair_with(None);
    p.alex.ok(&["kept", "date-night", "--note", "pasta"]);
    let before = entries(&p.sam.db);
    let child: Child = p
        .sam
        .command()
        .args(["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let free = partner_applied_and_lock_free(&p.sam.db, before);
    let out = finish(child);
    assert!(free, "the write lock was held while import waited for standard input");
    // Nothing on standard input is no export: refused, as before.
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Output to a pipe nobody reads yet (`troth log --all | less`, the reader
/// not scrolling) does not hold the write lock either: what the command
/// prints waits, the ledger does not.
#[test]
fn output_to_a_slow_pipe_does_not_hold_the_write_lock() {
    let p = pair_with(None);
    // Enough history on Sam's device that the log is larger than a pipe
    // holds (64 KiB); then Alex's file waits in the folder.
    let demo = p.sam.path("demo.db");
    let demo = demo.to_str().unwrap();
    p.sam.ok(&["demo", "--db", demo, "--agreements", "3", "--years", "1", "--seed", "1"]);
    let export = p.sam.ok(&["--db", demo, "export", "--format", "json"]);
    assert_eq!(p.sam.piped(&["import", "-"], export.as_bytes()).code, 0);
    p.alex.ok(&["kept", "date-night", "--note", "pasta"]);
    let before = entries(&p.sam.db);
    let mut child = p
        .sam
        .command()
        .args(["log", "--all", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let free = partner_applied_and_lock_free(&p.sam.db, before);
    let mut shown = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut shown).unwrap();
    let out = finish(child);
    assert!(free, "the write lock was held while the output waited for its reader");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let log: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert!(
        shown.len() > 1 << 16 && log.as_array().is_some_and(|l| l.len() > 500),
        "{} bytes: {log:.200}",
        shown.len()
    );
}

/// An excuse brings "2 weekends a month" down to one unit: the words say
/// "1 of 1 weekend", not "1 of 1 weekends"; a noun English does not make
/// plural with an s stays as typed.
#[test]
fn one_unit_of_a_named_quota_is_named_in_the_singular() {
    let env = crate::support::TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let promise = |slug: &str, terms: &str| {
        env.ok(&["promise", "Time together", "--terms", terms, "--slug", slug, "--starts", "2026-11-01", "--anyway"])
    };
    promise("weekends", "2 weekends a month");
    promise("lunches", "2 long lunches a month");
    promise("parties", "2 parties a month");
    for slug in ["weekends", "lunches", "parties"] {
        env.ok(&["excuse", slug]);
    }
    let show = env.ok(&["show", "weekends"]);
    assert!(show.contains("this month: 0 of 1 weekend kept, 1 excused"), "{show}");
    let kept = env.ok(&["kept", "weekends", "-v"]);
    assert!(kept.contains("· 1 of 1 weekend this month"), "{kept}");
    let kept = env.ok(&["kept", "lunches", "-v"]);
    assert!(kept.contains("· 1 of 1 long lunch this month"), "{kept}");
    let kept = env.ok(&["kept", "parties", "-v"]);
    assert!(kept.contains("· 1 of 1 parties this month"), "{kept}");
    // Two units are named as typed.
    promise("walks", "2 walks a month");
    let kept = env.ok(&["kept", "walks", "-v"]);
    assert!(kept.contains("· 1 of 2 walks this month"), "{kept}");
}

/// `excuse --at` a local time the clocks skip or repeat says how it was
/// read, as `kept` and `broke` do (New York: 8 Mar 2026 02:00 → 03:00,
/// 1 Nov 02:00 → 01:00); with an offset, or as JSON, nothing more is said.
#[test]
fn excuse_at_a_time_the_clocks_skip_or_repeat_says_how_it_was_read() {
    let mut env = crate::support::TestEnv::new("America/New_York", "2026-03-02T09:00:00-05:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk together", "--terms", "3 walks a week", "--slug", "walks", "--starts", "2026-03-02"]);
    let out = env.ok(&["excuse", "walks", "--at", "2026-03-08 02:30"]);
    assert!(
        out.contains("note: Sun 8 Mar 02:30 does not exist in America/New_York (the clocks go forward); read as 03:30"),
        "{out}"
    );
    env.set_now("2026-10-26T09:00:00-04:00");
    let out = env.ok(&["excuse", "walks", "--at", "2026-11-01 01:30"]);
    assert!(out.contains("read as the first, 01:30 -04:00"), "{out}");
    assert!(out.contains("for the second, give its offset: 2026-11-01T01:30:00-05:00"), "{out}");
    assert!(!env.ok(&["excuse", "walks", "--at", "2026-11-01T01:30:00-05:00"]).contains("note:"));
    let json = env.json(&["excuse", "walks", "--at", "2026-11-01 01:30"]);
    assert_eq!(json["at"], "2026-11-01T01:30:00-04:00");
}

/// In a zone whose day starts at 01:00 (America/Santiago, 6 Sep 2026:
/// 00:00 → 01:00) the end of Saturday is Sunday 01:00; the HTML page shows
/// it as Saturday, as the terminal does, not as "Sun 6 Sep 01:00".
#[test]
fn the_page_shows_a_day_end_at_a_skipped_midnight_as_that_day() {
    let env = crate::support::TestEnv::new("America/Santiago", "2026-09-03T12:00:00-04:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Swim together", "--terms", "every sat", "--slug", "swim", "--starts", "2026-08-31"]);
    let json = env.json(&["report"]);
    assert!(json.to_string().contains("2026-09-06T01:00:00-03:00"), "the day-end instant: {json}");
    assert!(env.ok(&["due"]).contains("due Saturday"));
    let page = env.ok(&["report", "--format", "html"]);
    assert!(page.contains("remaining, due Sat 5 Sep)"), "Coming up: {page}");
    assert!(!page.contains("Sun 6 Sep 01:00"), "{page}");
    // The week under way: its open slot's progress.
    let page = env.ok(&["report", "--format", "html", "--week", "2026-W36"]);
    assert!(page.contains("so far · due Sat 5 Sep"), "{page}");
    assert!(!page.contains("Sun 6 Sep 01:00"), "{page}");
}

/// An entry is a moment, not a day (docs/design.md §7): one logged at 00:00
/// is shown with its time on every screen that names it — the log, the void
/// line, show's history, the Markdown report and the inbox — never as the
/// bare day a miss at the end of the day before would be.
#[test]
fn an_entry_at_midnight_is_shown_with_its_time_everywhere() {
    let env = crate::support::TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Call if late", "--slug", "late", "--starts", "2026-11-01"]);
    env.ok(&["kept", "late", "--at", "2026-11-20 00:00"]);
    env.ok(&["kept", "late", "--at", "2026-11-20 00:00", "--as", "Sam"]);
    let log = env.ok(&["log"]);
    assert!(log.contains("Fri 20 Nov 00:00"), "{log}");
    let md = env.ok(&["report", "--format", "markdown", "--week", "2026-W47"]);
    assert!(md.contains("- Fri 20 Nov 00:00 · late · kept"), "{md}");
    let inbox = env.ok(&["inbox"]);
    assert!(inbox.contains("late  kept  Fri 20 Nov 00:00"), "{inbox}");
    let void = env.ok(&["void", "1"]);
    assert!(void.contains("(late kept Fri 20 Nov 00:00)"), "{void}");
    let show = env.ok(&["show", "late"]);
    assert!(show.contains("voided #1, kept Fri 20 Nov 00:00"), "{show}");
}

/// Where the clocks skip midnight (America/Santiago, 6 Sep 2026: the day
/// starts at 01:00) a promise starting that day, or a pause from it, is
/// named by the day, as at any other day's 00:00 — not "Sun 6 Sep 01:00".
#[test]
fn a_day_that_starts_at_one_is_named_by_the_day() {
    let env = crate::support::TestEnv::new("America/Santiago", "2026-09-05T12:00:00-04:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Swim together", "--terms", "2 swims a week", "--slug", "swim", "--starts", "2026-09-06"]);
    env.ok(&["promise", "Walk together", "--terms", "every day 09:00", "--slug", "walk", "--starts", "2026-09-01"]);
    let paused = env.ok(&["pause", "walk"]);
    assert!(paused.contains("paused  walk from Sun 6 Sep (the slot under way still counts)"), "{paused}");
    let show = env.ok(&["show", "swim"]);
    assert!(show.contains(" Sun 6 Sep   promised: 2 swims a week"), "{show}");
    assert!(!show.contains("01:00"), "{show}");
    // JSON keeps the exact instant.
    assert_eq!(env.json(&["show", "swim"])["starts"], "2026-09-06T01:00:00-03:00");
}
