//! Reminders over a real D-Bus bus to a real notification server (bus.rs).

use crate::bus::{Bus, NotificationServer};
use crate::support::TestEnv;

struct Setup {
    env: TestEnv,
    server: NotificationServer,
    bus: Bus,
}

/// Berlin at `now` (Friday 27 November 2026 in most tests), a private bus
/// with a notification server on it, and no ledger yet.
fn on_a_bus(now: &str) -> Setup {
    let bus = Bus::start();
    let server = NotificationServer::start(&bus);
    let mut env = TestEnv::new("Europe/Berlin", now);
    env.extra.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    Setup { env, server, bus }
}

/// As `on_a_bus`, with a ledger for Alex & Sam.
fn setup(now: &str) -> Setup {
    let s = on_a_bus(now);
    s.env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    s
}

/// The promise most tests remind about: date night every Friday 19:00 from
/// Sunday 1 November 2026 (slug `date-night`).
fn promise_date_night(env: &TestEnv) {
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
}

/// `remind --watch` running in the background with `cmd`'s environment; it
/// is stopped however the test ends (a failed assertion must not leave it
/// running, holding the test harness's output open). What it says goes to a
/// log file the failure messages quote.
struct Watcher(std::process::Child, std::path::PathBuf);

impl Watcher {
    fn start(cmd: &mut std::process::Command) -> Watcher {
        let log = tempfile::Builder::new().prefix("troth-watch").suffix(".log").tempfile().unwrap();
        let (file, path) = log.keep().unwrap();
        let child = cmd.args(["remind", "--watch"]).stdout(file.try_clone().unwrap()).stderr(file).spawn().unwrap();
        Watcher(child, path)
    }

    /// What the watch printed so far, and whether it is still running.
    fn said(&mut self) -> String {
        let state = match self.0.try_wait() {
            Ok(Some(status)) => format!("exited: {status}"),
            _ => "still running".to_string(),
        };
        format!("the watch ({state}) said:\n{}", std::fs::read_to_string(&self.1).unwrap_or_default())
    }

    /// Wait (60 s at most: a loaded machine is slow to start a process)
    /// until the watch has its inotify watch on the ledger's folder, so it
    /// has read its clock and will see what is written from now on.
    #[cfg(target_os = "linux")]
    fn wait_until_watching(&mut self) {
        let fds = std::path::PathBuf::from(format!("/proc/{}/fd", self.0.id()));
        let watching = || {
            std::fs::read_dir(&fds)
                .into_iter()
                .flatten()
                .flatten()
                .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l.to_string_lossy().contains("inotify")))
        };
        let t = std::time::Instant::now();
        while !watching() {
            if t.elapsed() > std::time::Duration::from_secs(60) || self.0.try_wait().ok().flatten().is_some() {
                panic!("the watch did not start watching the ledger in {:?}; {}", t.elapsed(), self.said());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn wait_until_watching(&mut self) {
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
        let _ = std::fs::remove_file(&self.1);
    }
}

/// Berlin at `now`, with a session bus address where there is no bus.
/// (A path in the test's own folder that is not there: a root process could
/// have made any fixed one.)
fn without_a_bus(now: &str) -> TestEnv {
    let mut env = TestEnv::new("Europe/Berlin", now);
    let gone = env.path("no-bus-here").join("bus");
    env.extra.push(("DBUS_SESSION_BUS_ADDRESS".into(), format!("unix:path={}", gone.display())));
    env
}

/// How many notifications `server` holds once it has `n`, or after `secs`
/// (a deadline for a loaded machine: a wait that succeeds ends at once).
fn wait_for(server: &NotificationServer, n: usize, secs: u64) -> usize {
    let t = std::time::Instant::now();
    while server.count() < n && t.elapsed() < std::time::Duration::from_secs(secs) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if server.count() < n {
        eprintln!("waited {:?} for {n} notifications, have {}: {:?}", t.elapsed(), server.count(), server.all());
    }
    server.count()
}

fn results(env: &TestEnv) -> Vec<String> {
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = c.prepare("SELECT outcome FROM reminder_results ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn a_schedule_is_reminded_an_hour_before_exactly_once() {
    let mut s = setup("2026-11-27T17:00:00+01:00");
    s.env.ok(&[
        "promise",
        "Date night every Friday",
        "--terms",
        "every fri 19:00",
        "--slug",
        "date-night",
        "--starts",
        "2026-11-01",
    ]);
    s.env.ok(&["remind"]);
    assert_eq!(s.server.count(), 0, "17:00 is before 18:00");
    s.env.set_now("2026-11-27T18:00:00+01:00");
    let out = s.env.ok(&["remind"]);
    assert!(out.contains("date-night"), "{out}");
    let got = s.server.all();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].app_name, "troth");
    assert_eq!(got[0].summary, "Date night every Friday");
    assert_eq!(got[0].body, "date-night — due today 19:00");
    s.env.ok(&["remind"]);
    s.env.set_now("2026-11-27T18:30:00+01:00");
    s.env.ok(&["remind"]);
    assert_eq!(s.server.count(), 1, "exactly once across runs");
    assert_eq!(results(&s.env), ["sent"]);
}

#[test]
fn each_kind_of_terms_when_due_and_not_yet() {
    // Saturday 28 November 2026, 12:00.
    let mut s = setup("2026-11-28T12:00:00+01:00");
    s.env.ok(&[
        "promise",
        "Cook three times a week",
        "--terms",
        "3 times a week",
        "--slug",
        "cook",
        "--starts",
        "2026-11-23",
    ]);
    s.env.ok(&["kept", "cook", "--at", "2026-11-24 19:00"]);
    s.env.ok(&[
        "promise",
        "Fix the sink",
        "--terms",
        "by 2026-11-29 18:00",
        "--slug",
        "sink",
        "--starts",
        "2026-11-20",
    ]);
    s.env.ok(&["promise", "Weekends", "--terms", "2 weekends a month", "--starts", "2026-11-01"]);
    s.env.ok(&["promise", "Call if late"]);
    s.env.ok(&["remind"]);
    let mut got: Vec<(String, String)> = s.server.all().into_iter().map(|r| (r.summary, r.body)).collect();
    got.sort();
    // Week quota: lead 2 days before Monday 00:00 → Saturday 00:00, after quiet hours 08:00.
    // Deadline: lead 1 day before Sunday 18:00 → Saturday 18:00: not yet.
    // Month quota: lead 3 days before 1 December → Saturday 28 November 00:00 → 08:00.
    assert_eq!(
        got,
        [
            ("Cook three times a week".to_string(), "cook — 2 of 3 times left, the week ends tomorrow".to_string()),
            ("Weekends".to_string(), "weekends — 2 of 2 weekends left, the month ends Mon 30 Nov".to_string()),
        ]
    );
    s.env.set_now("2026-11-28T18:00:00+01:00");
    s.env.ok(&["remind"]);
    assert_eq!(s.server.count(), 3);
    assert_eq!(s.server.all()[2].body, "sink — due tomorrow 18:00");
}

#[test]
fn quiet_hours_hold_a_reminder_until_they_end() {
    let mut s = setup("2026-11-27T06:00:00+01:00");
    s.env.ok(&["promise", "Morning run", "--terms", "every day 07:30", "--slug", "run", "--starts", "2026-11-26"]);
    s.env.set_now("2026-11-27T06:45:00+01:00");
    s.env.ok(&["remind"]);
    assert_eq!(s.server.count(), 0, "never at 06:45: quiet until 08:00");
    s.env.set_now("2026-11-27T08:00:00+01:00");
    s.env.ok(&["remind"]);
    assert_eq!(s.server.all()[0].body, "run — overdue since today 07:30");
}

#[test]
fn only_my_promises_unless_all() {
    let s = setup("2026-11-27T18:00:00+01:00");
    s.env.ok(&[
        "promise",
        "Date night",
        "--terms",
        "every fri 19:00",
        "--by",
        "Sam",
        "--to",
        "Alex",
        "--starts",
        "2026-11-01",
    ]);
    s.env.ok(&["remind"]);
    assert_eq!(s.server.count(), 0);
    s.env.ok(&["remind", "--all"]);
    assert_eq!(s.server.count(), 1);
}

#[test]
fn private_reminders_hide_the_words() {
    let s = setup("2026-11-27T18:00:00+01:00");
    s.env.ok(&["config", "remind.private", "true"]);
    promise_date_night(&s.env);
    s.env.ok(&["remind"]);
    let got = s.server.all();
    assert_eq!(got[0].summary, "A promise is due");
    assert!(!got[0].body.contains("date"), "{}", got[0].body);
}

#[test]
fn dry_run_records_nothing() {
    let s = setup("2026-11-27T18:00:00+01:00");
    promise_date_night(&s.env);
    let before = s.env.dump();
    let out = s.env.ok(&["remind", "--dry-run"]);
    assert!(out.contains("would remind  Date night — date-night — due today 19:00"), "{out}");
    assert_eq!(s.server.count(), 0);
    assert_eq!(before, s.env.dump());
    s.env.ok(&["remind"]);
    assert_eq!(s.server.count(), 1);
}

#[test]
fn a_failed_send_is_recorded_and_retried() {
    let s = setup("2026-11-27T18:00:00+01:00");
    promise_date_night(&s.env);
    s.server.fail_next.store(1, std::sync::atomic::Ordering::SeqCst);
    let r = s.env.run(&["remind"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert_eq!(s.server.count(), 0);
    assert_eq!(results(&s.env), ["failed"]);
    s.env.ok(&["remind"]);
    assert_eq!(s.server.count(), 1);
    assert_eq!(results(&s.env), ["failed", "sent"]);
}

#[test]
fn no_notification_server_exits_1_and_records_nothing_sent() {
    let bus = Bus::start();
    let mut env = TestEnv::new("Europe/Berlin", "2026-11-27T18:00:00+01:00");
    env.extra.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    promise_date_night(&env);
    let r = env.run(&["remind"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.lines().next().map(|l| l.starts_with("error: ")), Some(true), "{}", r.stderr);
    assert!(!results(&env).contains(&"sent".to_string()));
    // No bus at all.
    let env2 = without_a_bus("2026-11-27T18:00:00+01:00");
    promise_date_night(&env2);
    assert_eq!(env2.run(&["remind"]).code, 1);
    assert!(!results(&env2).contains(&"sent".to_string()));
}

#[test]
fn nothing_to_send_contacts_no_server() {
    let env = without_a_bus("2026-11-27T12:00:00+01:00");
    promise_date_night(&env);
    env.ok(&["remind"]);
}

#[test]
fn concurrent_runs_send_each_reminder_once() {
    let s = setup("2026-11-27T18:00:00+01:00");
    for i in 0..5 {
        s.env.ok(&["promise", &format!("Date night {i}"), "--terms", "every fri 19:00", "--starts", "2026-11-01"]);
    }
    let children: Vec<_> = (0..6).map(|_| s.env.command().arg("remind").spawn().unwrap()).collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(s.server.count(), 5, "exactly one notification per slot");
}

#[test]
fn watch_wakes_for_a_reminder_and_for_a_new_promise() {
    // 17:59:57: the reminder for 19:00 is due in 3 seconds.
    let s = setup("2026-11-27T17:59:57+01:00");
    promise_date_night(&s.env);
    let mut watcher = Watcher::start(&mut s.env.command());
    assert_eq!(wait_for(&s.server, 1, 60), 1, "woke for the reminder; {}", watcher.said());
    // A promise added while it sleeps, already due: picked up promptly.
    s.env.ok(&["promise", "Fix the sink", "--terms", "by 2026-11-28 12:00"]);
    assert_eq!(wait_for(&s.server, 2, 60), 2, "picked up the new promise; {}", watcher.said());
    let _ = std::process::Command::new("kill").args(["-TERM", &watcher.0.id().to_string()]).status();
    let status = watcher.0.wait().unwrap();
    assert!(status.success(), "stops cleanly on SIGTERM: {status:?}");
}

/// One `ExecStart=` line split into words as systemd does: spaces between
/// words, double quotes with `\\` escapes, `%%` and `$$` for `%` and `$`.
fn exec_start_words(unit: &str) -> Vec<String> {
    let lines: Vec<&str> = unit.lines().filter(|l| l.starts_with("ExecStart=")).collect();
    assert_eq!(lines.len(), 1, "one ExecStart line:\n{unit}");
    let line = lines[0].trim_start_matches("ExecStart=");
    let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => (quoted, any) = (!quoted, true),
            '\\' if quoted => word.push(chars.next().expect("an escaped character")),
            '%' | '$' => {
                assert_eq!(chars.next(), Some(c), "{c} is doubled in {line}");
                word.push(c);
            }
            ' ' if !quoted => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => word.push(c),
        }
    }
    assert!(!quoted, "quotes balance in {line}");
    words.push(word);
    words
}

/// The unit `remind --systemd` prints runs `remind` for *this* ledger (and
/// with `--all` when asked): run its ExecStart as the timer would — from `/`,
/// without TROTH_DB — and the reminder on Sam's promise comes.
#[test]
fn the_systemd_unit_reminds_about_this_ledger() {
    let Setup { mut env, server, bus } = on_a_bus("2026-11-27T18:00:00+01:00");
    env.db = env.path("my \"ledgers\" 100% $HOME").join("troth.db");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--by", "Sam", "--starts", "2026-11-01"]);
    let unit = env.ok(&["remind", "--systemd", "--all"]);
    let words = exec_start_words(&unit);
    assert_eq!(words[1..3], ["--db".to_string(), env.db.display().to_string()], "{unit}");
    assert_eq!(words.last().map(String::as_str), Some("--all"), "{unit}");
    let status = std::process::Command::new(&words[0])
        .args(&words[1..])
        .env_clear()
        .env("HOME", env.path("home"))
        .env("XDG_DATA_HOME", env.path("data"))
        .env("TZ", "Europe/Berlin")
        .env("TROTH_NOW", "2026-11-27T18:00:00+01:00")
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .current_dir("/")
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    assert_eq!(server.count(), 1, "the unit reminded about this ledger's promise");
    assert_eq!(server.all()[0].summary, "Date night");
    assert!(!env.path("data").join("troth").exists(), "and made no other ledger");
    // The timer runs it each minute, to the second: the reminder sent just
    // before quiet hours begin (21:59) must not be found at 22:0x, inside them.
    let timer = &unit[unit.find("[Timer]").expect("a timer")..];
    assert!(timer.contains("\nOnCalendar=minutely\n"), "{timer}");
    assert!(timer.contains("\nAccuracySec=1s\n"), "{timer}");
    assert!(!timer.contains("OnUnitActiveSec"), "{timer}");
    // Without --all the unit keeps to `me`'s promises, like `remind` itself.
    let unit = env.ok(&["remind", "--systemd"]);
    assert_eq!(exec_start_words(&unit).last().map(String::as_str), Some("remind"), "{unit}");
}

/// libfaketime, which moves the wall clock while the monotonic one runs on —
/// what a suspended laptop sees on waking (CI installs the `faketime` package).
fn libfaketime() -> std::path::PathBuf {
    let dirs = ["/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime", "/usr/lib/faketime"];
    dirs.iter()
        .map(|d| std::path::Path::new(d).join("libfaketime.so.1"))
        .find(|p| p.exists())
        .expect("libfaketime is needed for this test: apt-get install faketime")
}

/// A laptop suspended for six hours: the wall clock jumps, the monotonic
/// clock does not. The watch, woken (by a write here, as by its 5-minute
/// tick), must see the hours that passed and send the reminder now due.
#[test]
fn watch_catches_up_after_a_suspend() {
    // Friday 12:00: the reminder for 19:00 is due at 18:00, six hours on.
    let s = setup("2026-11-27T12:00:00+01:00");
    promise_date_night(&s.env);
    let offset = s.env.path("faketime");
    std::fs::write(&offset, "+0\n").unwrap();
    let mut watcher = Watcher::start(
        s.env
            .command()
            .env("LD_PRELOAD", libfaketime())
            .env("FAKETIME_TIMESTAMP_FILE", &offset)
            .env("FAKETIME_NO_CACHE", "1")
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1"),
    );
    // Its clock read before the jump (a watch started after it would take
    // 18:00 for the start of its own run), then a while at 12:00.
    watcher.wait_until_watching();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(s.server.count(), 0, "nothing is due at 12:00");
    // Suspend: six hours pass on the wall clock only. Then something wakes it.
    std::fs::write(&offset, "+6h\n").unwrap();
    s.env.ok(&["promise", "Call if I'm running late"]);
    assert_eq!(wait_for(&s.server, 1, 60), 1, "the watch saw that it is 18:00 now; {}", watcher.said());
    assert_eq!(s.server.all()[0].body, "date-night — due today 19:00");
}

/// `remind --watch` started before there is any ledger (a session's
/// autostart, before the first promise) creates none, and picks the ledger
/// up once it is made: the reminder of the first promise still comes.
#[test]
fn watch_started_before_the_ledger_exists_picks_it_up() {
    let s = on_a_bus("2026-11-27T18:00:00+01:00");
    let mut watcher = Watcher::start(&mut s.env.command());
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert!(!s.env.db.exists(), "the watch creates no ledger; {}", watcher.said());
    promise_date_night(&s.env);
    assert_eq!(wait_for(&s.server, 1, 60), 1, "the reminder of the new ledger's promise came; {}", watcher.said());
}

/// `remind --dry-run --json` gives each slot's start with the offset of the
/// promise's zone (docs/cli.md: times carry the offset of the zone they
/// belong to), not the home zone's.
#[test]
fn dry_run_json_slot_start_is_in_the_promises_zone() {
    // Home Berlin; date night in Kolkata, Fri 19:00 IST = 14:30 in Berlin,
    // reminded an hour before: 13:30 in Berlin.
    let s = setup("2026-11-27T13:30:00+01:00");
    s.env.ok(&[
        "promise",
        "Date night",
        "--terms",
        "every fri 19:00",
        "--zone",
        "Asia/Kolkata",
        "--starts",
        "2026-11-01",
    ]);
    let v = s.env.json(&["remind", "--dry-run"]);
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v[0]["slot_start"], "2026-11-27T00:00:00+05:30", "{v}");
    assert_eq!(v[0]["body"], "date-night — due today 19:00", "{v}");
}
