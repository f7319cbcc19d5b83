//! Reminders (docs/design.md §6): one desktop notification per open slot with
//! units remaining, once its notification time has come.
//!
//! Exactly once: a slot (agreement, start) is claimed in an IMMEDIATE
//! transaction before anything is sent, so two runs never both send it; the
//! outcome is recorded after. A failed send is recorded and retried on the next
//! run. The one window in which a reminder can repeat is a crash between the
//! send and the record: the claim then has no outcome, and after
//! `CLAIM_LEASE` another run takes it again.

use super::{Book, Ctx};
use crate::cli::RemindArgs;
use crate::domain::Agreement;
use crate::domain::remind::remind_lead;
use crate::domain::terms::Terms;
use crate::domain::time::{Instant, local, resolve_local};
use crate::domain::trust::SlotTally;
use crate::error::{Error, Result};
use crate::ledger::reminders::Sent;
use crate::ledger::{Ledger, from_ts, ts};
use crate::notify::{Desktop, Note, Notifier};
use crate::render::json::write_json;
use crate::render::words;
use chrono::{Duration, NaiveTime};
use chrono_tz::Tz;
use serde_json::json;
use std::io::Write;

/// A claim with no recorded outcome is taken to be in flight for this long.
const CLAIM_LEASE: Duration = Duration::minutes(10);
/// `--watch` wakes at least this often, so a laptop back from suspend catches up.
const WATCH_MAX_SLEEP: std::time::Duration = std::time::Duration::from_secs(300);

pub fn systemd(out: &mut dyn Write) -> Result<()> {
    let exe = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "troth".into());
    writeln!(
        out,
        "# ~/.config/systemd/user/troth-remind.service
[Unit]
Description=troth: desktop reminders for promises that fall due

[Service]
Type=oneshot
ExecStart={exe} remind

# ~/.config/systemd/user/troth-remind.timer
[Unit]
Description=Run troth reminders every 5 minutes

[Timer]
OnBootSec=1min
OnUnitActiveSec=5min
Persistent=true

[Install]
WantedBy=timers.target

# Install: save the two units above, then
#   systemctl --user daemon-reload && systemctl --user enable --now troth-remind.timer"
    )?;
    Ok(())
}

/// One reminder that is due to be sent.
#[derive(Clone, Debug)]
pub struct Pending {
    pub agreement_id: i64,
    pub slot_start: Instant,
    pub notify_at: Instant,
    pub note: Note,
    pub slug: String,
}

fn in_quiet(t: NaiveTime, (from, until): (NaiveTime, NaiveTime)) -> bool {
    if from == until {
        false
    } else if from < until {
        from <= t && t < until
    } else {
        t >= from || t < until
    }
}

/// The first instant at or after `t` outside quiet hours (in the home zone).
pub fn out_of_quiet(t: Instant, home: Tz, quiet: Option<(NaiveTime, NaiveTime)>) -> Instant {
    let Some(q) = quiet else { return t };
    let l = local(home, t);
    if !in_quiet(l.time(), q) {
        return t;
    }
    let mut end = l.date().and_time(q.1);
    if end <= l {
        end += Duration::days(1);
    }
    resolve_local(home, end)
}

/// When a slot's reminder is due: lead before its due time (a quota's end),
/// never before the slot starts, never in quiet hours.
pub fn notify_time(a: &Agreement, s: &SlotTally, home: Tz, quiet: Option<(NaiveTime, NaiveTime)>) -> Option<Instant> {
    let lead = remind_lead(a, &s.slot.terms)?;
    let base = match s.slot.terms {
        Terms::Quota { .. } => s.slot.end,
        _ => s.slot.due,
    };
    let at = lead.before(a.zone, base).max(s.slot.start);
    let after_quiet = out_of_quiet(at, home, quiet);
    // Quiet hours never make a reminder late (docs/design.md §6): when they end at
    // or after the due time, it goes out just before they begin instead —
    // the evening before a 07:30 promise.
    match quiet {
        Some((from, _)) if after_quiet != at && after_quiet >= s.slot.due => {
            let l = local(home, at);
            let mut begin = l.date().and_time(from);
            if begin > l {
                begin -= Duration::days(1);
            }
            Some(resolve_local(home, begin) - Duration::minutes(1))
        }
        _ => Some(after_quiet),
    }
}

fn note_for(a: &Agreement, s: &SlotTally, now: Instant, private: bool) -> Note {
    // Private: not even the unit's noun ("2 of 2 weekends") — it says what.
    let unit = if private { None } else { a.plan.version_at(s.slot.start).1.unit };
    let body = match s.slot.terms {
        Terms::Quota { period, .. } => words::left(
            s.remaining,
            s.promised,
            &crate::render::words::unit_word(unit.as_deref(), s.promised),
            period,
            s.slot.end,
            a.zone,
            now,
        ),
        _ if s.slot.due <= now => format!("overdue since {}", words::due_relative(s.slot.due, a.zone, now)),
        _ => format!("due {}", words::due_relative(s.slot.due, a.zone, now)),
    };
    if private {
        Note { summary: "A promise is due".into(), body }
    } else {
        Note { summary: a.text.clone(), body: format!("{} — {body}", a.slug) }
    }
}

/// Every reminder whose time has come (`due_now`) and the next time one will.
pub fn plan(ctx: &Ctx, ledger: &Ledger, all: bool) -> Result<(Vec<Pending>, Option<Instant>)> {
    let agreements = ledger.agreements()?;
    let from = crate::domain::report::open_window(&agreements, ctx.now);
    let entries = ledger.facts_since(from)?;
    let horizon = ctx.now + Duration::days(400);
    let book = Book::window(&agreements, entries, ctx.now, from, horizon);
    let me = ctx.settings.me.clone();
    let mut due_now = Vec::new();
    let mut next: Option<Instant> = None;
    let sent = ledger.reminded_or_claimed(ctx.now - CLAIM_LEASE)?;
    for item in &book.items {
        let a = item.agreement;
        if !all && me.as_deref().is_some_and(|m| a.by != m) {
            continue;
        }
        for s in item.analysis.slots.iter().filter(|s| !s.closed && s.remaining > 0) {
            let Some(at) = notify_time(a, s, ctx.settings.zone, ctx.settings.quiet) else { continue };
            if sent.contains(&(a.id, s.slot.start)) {
                continue;
            }
            if at <= ctx.now {
                due_now.push(Pending {
                    agreement_id: a.id,
                    slot_start: s.slot.start,
                    notify_at: at,
                    note: note_for(a, s, ctx.now, ctx.settings.private),
                    slug: a.slug.clone(),
                });
            } else {
                next = Some(next.map_or(at, |n: Instant| n.min(at)));
            }
        }
    }
    // Quiet hours hold back even what is overdue.
    if out_of_quiet(ctx.now, ctx.settings.zone, ctx.settings.quiet) != ctx.now {
        let wake = out_of_quiet(ctx.now, ctx.settings.zone, ctx.settings.quiet);
        if !due_now.is_empty() {
            next = Some(next.map_or(wake, |n| n.min(wake)));
        }
        due_now.clear();
    }
    due_now.sort_by_key(|p| (p.notify_at, p.agreement_id));
    Ok((due_now, next))
}

fn record(ledger: &mut Ledger, claim: i64, outcome: Sent, detail: Option<&str>, now: Instant) -> Result<()> {
    let tx = ledger.write()?;
    tx.record_reminder(claim, outcome, detail, now)?;
    tx.commit()
}

fn no_server(detail: &str) -> Error {
    Error::failure(format!("could not reach a notification server: {detail}"))
        .hint("reminders need a desktop session (a D-Bus session bus and a notification daemon)")
        .hint("nothing was recorded as sent; it will be tried again on the next run — `troth remind --systemd` sets up a timer")
}

/// Send what is due. Returns what was sent; stops at the first failed send.
/// A slot whose send failed within the hour is tried again only once the
/// server answers, so a server that stays away is recorded at most once per
/// slot per hour.
pub fn send_due(ctx: &Ctx, ledger: &mut Ledger, notifier: &dyn Notifier, all: bool) -> Result<Vec<Pending>> {
    let (due, _) = plan(ctx, ledger, all)?;
    let mut sent = Vec::new();
    for p in due {
        if ledger.reminder_failed_since(p.agreement_id, p.slot_start, ctx.now - Duration::hours(1))?
            && let Err(detail) = notifier.reachable()
        {
            return Err(no_server(&detail));
        }
        let tx = ledger.write()?;
        let claimed = tx.claim_reminder(p.agreement_id, p.slot_start, ctx.now, ctx.now - CLAIM_LEASE)?;
        tx.commit()?;
        let Some(claim_id) = claimed else { continue };
        match notifier.send(&p.note) {
            Ok(()) => {
                record(ledger, claim_id, Sent::Sent, None, ctx.now)?;
                sent.push(p);
            }
            Err(detail) => {
                record(ledger, claim_id, Sent::Failed, Some(&detail), ctx.now)?;
                return Err(no_server(&detail));
            }
        }
    }
    Ok(sent)
}

/// The slug, unless reminders are private (then no word of the promise).
fn shown_slug(ctx: &Ctx, p: &Pending) -> Option<String> {
    (!ctx.settings.private).then(|| p.slug.clone())
}

pub fn run(ctx: &Ctx, ledger: &mut Ledger, a: RemindArgs, out: &mut dyn Write) -> Result<()> {
    if a.dry_run {
        let (due, next) = plan(ctx, ledger, a.all)?;
        if ctx.env.json {
            let v: Vec<_> = due
                .iter()
                .map(|p| json!({"slug": shown_slug(ctx, p), "summary": p.note.summary, "body": p.note.body, "slot_start": crate::domain::time::rfc3339(p.slot_start, ctx.settings.zone)}))
                .collect();
            return write_json(out, &serde_json::Value::Array(v));
        }
        for p in &due {
            writeln!(out, "would remind  {} — {}", p.note.summary, p.note.body)?;
        }
        if due.is_empty() {
            match next {
                Some(t) => writeln!(
                    out,
                    "Nothing to remind about now; the next reminder is due {}.",
                    words::moment(t, ctx.settings.zone, ctx.now)
                )?,
                None => writeln!(out, "Nothing to remind about.")?,
            }
        }
        return Ok(());
    }
    if a.watch {
        return watch(ctx, ledger, a.all, out);
    }
    let sent = send_due(ctx, ledger, &Desktop, a.all)?;
    if ctx.env.json {
        let v: Vec<_> = sent
            .iter()
            .map(|p| json!({"slug": shown_slug(ctx, p), "summary": p.note.summary, "body": p.note.body}))
            .collect();
        return write_json(out, &serde_json::Value::Array(v));
    }
    for p in &sent {
        writeln!(out, "reminded  {}: {}", p.note.summary, p.note.body)?;
    }
    Ok(())
}

/// Why `--watch` woke up.
enum Wake {
    /// The ledger changed (another command wrote to it).
    Changed,
    /// SIGINT or SIGTERM: stop cleanly.
    Stop,
}

/// Stay running: send each reminder when its time comes. Sleeps until the
/// next notification time, a change to the ledger (inotify on its WAL), or 5
/// minutes at most — so a laptop back from suspend catches up. An idle watch
/// wakes no more often than that.
fn watch(ctx: &Ctx, ledger: &mut Ledger, all: bool, out: &mut dyn Write) -> Result<()> {
    let (tx, rx) = std::sync::mpsc::channel::<Wake>();
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM])
        .map_err(|e| Error::failure(format!("could not listen for signals: {e}")))?;
    let stop_tx = tx.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = stop_tx.send(Wake::Stop);
        }
    });
    if let Some(path) = ledger.path.clone() {
        watch_ledger(&path, tx.clone());
    }
    // With a sync folder, the partner's new files wake the watch too (§9).
    let synced = crate::sync::folder_of(ledger).unwrap_or(None);
    if let Some(f) = &synced {
        watch_sync_folder(&f.path, tx.clone());
    }
    let started = std::time::Instant::now();
    let clock_start = ctx.now;
    let now = || clock_start + Duration::from_std(started.elapsed()).unwrap_or_default();
    // A server that stays away is retried with backoff (30 s, doubling, at
    // most WATCH_MAX_SLEEP), and said once per stretch of failures.
    let mut failures: u32 = 0;
    let mut retry_at: Option<std::time::Instant> = None;
    let mut seen = ledger.data_version()?;
    loop {
        if let Some(f) = &synced {
            super::sync::auto_apply(ledger, f, from_ts(ts(now())));
        }
        let settings = ledger.settings()?;
        let tick = Ctx { env: ctx.env, settings, now: from_ts(ts(now())) };
        if retry_at.is_none_or(|r| std::time::Instant::now() >= r) {
            match send_due(&tick, ledger, &Desktop, all) {
                Ok(sent) => {
                    failures = 0;
                    retry_at = None;
                    for p in &sent {
                        writeln!(out, "reminded  {}: {}", p.note.summary, p.note.body)?;
                    }
                    out.flush()?;
                }
                Err(e) => {
                    if failures == 0 {
                        let mut err = std::io::stderr();
                        let _ = writeln!(err, "error: {}", crate::domain::time::scrub(&e.message));
                    }
                    let backoff = std::time::Duration::from_secs(30u64 << failures.min(4)).min(WATCH_MAX_SLEEP);
                    failures += 1;
                    retry_at = Some(std::time::Instant::now() + backoff);
                }
            }
        }
        // What we wrote ourselves is not news: only another connection's
        // commit changes data_version.
        seen = ledger.data_version()?.max(seen);
        let (_, next) = plan(&tick, ledger, all)?;
        let mut wait = next
            .map(|t| (t - tick.now).to_std().unwrap_or_default() + std::time::Duration::from_millis(200))
            .unwrap_or(WATCH_MAX_SLEEP)
            .min(WATCH_MAX_SLEEP);
        if let Some(r) = retry_at {
            wait = wait.max(r.saturating_duration_since(std::time::Instant::now()));
        }
        let deadline = std::time::Instant::now() + wait.min(WATCH_MAX_SLEEP);
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
                Ok(Wake::Stop) => return Ok(()),
                Ok(Wake::Changed) => {
                    // Let a burst of writes settle, then look once.
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    while let Ok(w) = rx.try_recv() {
                        if matches!(w, Wake::Stop) {
                            return Ok(());
                        }
                    }
                    let v = ledger.data_version()?;
                    if v != seen {
                        seen = v;
                        break;
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }
}

/// Wake the watch when another process commits to the ledger: inotify on the
/// ledger's folder, for writes to its WAL or the ledger itself (not the
/// shared-memory index, which readers touch too).
#[cfg(target_os = "linux")]
fn watch_ledger(path: &std::path::Path, tx: std::sync::mpsc::Sender<Wake>) {
    use inotify::{Inotify, WatchMask};
    let Some(dir) = path.parent().map(|p| if p.as_os_str().is_empty() { std::path::Path::new(".") } else { p }) else {
        return;
    };
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let Ok(mut inotify) = Inotify::init() else { return };
    if inotify
        .watches()
        .add(dir, WatchMask::MODIFY | WatchMask::CREATE | WatchMask::MOVED_TO | WatchMask::CLOSE_WRITE)
        .is_err()
    {
        return;
    }
    let wal = format!("{name}-wal");
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            let Ok(events) = inotify.read_events_blocking(&mut buf) else { return };
            let relevant = events
                .into_iter()
                .any(|e| e.name.is_some_and(|n| n.to_string_lossy() == wal || n.to_string_lossy() == name));
            if relevant && tx.send(Wake::Changed).is_err() {
                return;
            }
        }
    });
}

/// Wake the watch when a file is renamed into (or written in) the sync folder.
#[cfg(target_os = "linux")]
fn watch_sync_folder(dir: &std::path::Path, tx: std::sync::mpsc::Sender<Wake>) {
    use inotify::{Inotify, WatchMask};
    let Ok(mut inotify) = Inotify::init() else { return };
    if inotify.watches().add(dir, WatchMask::MOVED_TO | WatchMask::CLOSE_WRITE).is_err() {
        return;
    }
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            let Ok(events) = inotify.read_events_blocking(&mut buf) else { return };
            let relevant = events.into_iter().any(|e| {
                e.name
                    .is_some_and(|n| crate::sync::folder::kind(&n.to_string_lossy()) == crate::sync::folder::Kind::File)
            });
            if relevant && tx.send(Wake::Changed).is_err() {
                return;
            }
        }
    });
}

/// Elsewhere, the watch's own wake-ups (at most 5 minutes apart) look.
#[cfg(not(target_os = "linux"))]
fn watch_sync_folder(_dir: &std::path::Path, _tx: std::sync::mpsc::Sender<Wake>) {}

/// Elsewhere, look for changes every few seconds.
#[cfg(not(target_os = "linux"))]
fn watch_ledger(_path: &std::path::Path, tx: std::sync::mpsc::Sender<Wake>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(5));
            if tx.send(Wake::Changed).is_err() {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_wrap_midnight() {
        let q = (NaiveTime::from_hms_opt(22, 0, 0).unwrap(), NaiveTime::from_hms_opt(8, 0, 0).unwrap());
        assert!(in_quiet(NaiveTime::from_hms_opt(3, 0, 0).unwrap(), q));
        assert!(in_quiet(NaiveTime::from_hms_opt(22, 0, 0).unwrap(), q));
        assert!(!in_quiet(NaiveTime::from_hms_opt(8, 0, 0).unwrap(), q));
        assert!(!in_quiet(NaiveTime::from_hms_opt(18, 0, 0).unwrap(), q));
        let z: Tz = "Europe/Berlin".parse().unwrap();
        let t = crate::domain::time::parse_rfc3339("2026-11-23T23:30:00+01:00").unwrap();
        assert_eq!(crate::domain::time::rfc3339(out_of_quiet(t, z, Some(q)), z), "2026-11-24T08:00:00+01:00");
        let t = crate::domain::time::parse_rfc3339("2026-11-24T03:00:00+01:00").unwrap();
        assert_eq!(crate::domain::time::rfc3339(out_of_quiet(t, z, Some(q)), z), "2026-11-24T08:00:00+01:00");
    }

    /// The reminder logic with the recording notifier (no bus needed): once
    /// per slot across runs, and a failed send retried on the next run.
    #[test]
    fn recorder_sees_each_slot_once_and_a_failure_retried() {
        use crate::ledger::{Access, NewAgreement, new_uuid};
        use crate::notify::Recorder;
        let z: Tz = "Europe/Berlin".parse().unwrap();
        let now = crate::domain::time::parse_rfc3339("2026-11-27T18:00:00+01:00").unwrap();
        let mut ledger =
            Ledger::open(std::path::Path::new("/nonexistent/troth-unit.db"), Access::Read, now, || Ok(z)).unwrap();
        let starts = crate::domain::time::parse_rfc3339("2026-11-01T00:00:00+01:00").unwrap();
        {
            let tx = ledger.write().unwrap();
            for (slug, terms) in [("date-night", "every fri 19:00"), ("movie", "every fri 20:30")] {
                let id = tx
                    .add_agreement(&NewAgreement {
                        uuid: new_uuid(),
                        slug,
                        text: "Date night",
                        by: "me",
                        to: "partner",
                        zone: z,
                        starts,
                        ends: None,
                        remind: None,
                        created_at: starts,
                    })
                    .unwrap();
                tx.add_version(&new_uuid(), id, terms, None, starts, None, starts).unwrap();
            }
            tx.commit().unwrap();
        }
        let env = crate::Env {
            now,
            tz: None,
            db: "/nonexistent/troth-unit.db".into(),
            db_flag: false,
            json: false,
            verbose: false,
            demo_db: "/nonexistent/demo.db".into(),
            interactive: false,
            stdout_tty: false,
            acting_as: None,
            sync_code: None,
            cache_dir: None,
        };
        let ctx = Ctx { env: &env, settings: ledger.settings().unwrap(), now };
        // 18:00: date night (19:00, lead 1h) is due; the movie (20:30) is not, until 19:30.
        let failing = Recorder { fail: vec![0], ..Recorder::default() };
        assert!(send_due(&ctx, &mut ledger, &failing, true).is_err(), "the first send fails");
        let ok = Recorder::default();
        let sent = send_due(&ctx, &mut ledger, &ok, true).unwrap();
        assert_eq!(sent.len(), 1, "retried on the next run");
        assert_eq!(ok.sent.borrow()[0].body, "date-night — due today 19:00");
        assert!(send_due(&ctx, &mut ledger, &ok, true).unwrap().is_empty(), "and not sent again");
        let later = Ctx { env: &env, settings: ledger.settings().unwrap(), now: now + Duration::minutes(90) };
        let sent = send_due(&later, &mut ledger, &ok, true).unwrap();
        assert_eq!(sent.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["movie"]);
        assert_eq!(ok.sent.borrow().len(), 2);
    }
}
