//! `remind --watch`: stay running and send each reminder when its time comes,
//! woken by the clock, a change to the ledger or the sync folder, or a signal.

use super::{WATCH_MAX_SLEEP, plan, send_due};
use crate::commands::Ctx;
use crate::domain::time::Instant;
use crate::error::{Error, Result};
use crate::ledger::{Access, Ledger, from_ts, ts};
use crate::notify::Desktop;
use chrono::Duration;
use std::io::Write;
use std::sync::mpsc;

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
pub(super) fn watch(ctx: &Ctx, ledger: &mut Ledger, all: bool, out: &mut dyn Write) -> Result<()> {
    let (tx, rx) = mpsc::channel::<Wake>();
    stop_on_signals(tx.clone())?;
    // The wall clock, not the monotonic one: a monotonic clock stops while
    // the laptop is suspended, and the watch must see the hours that passed
    // (docs/design.md §6). With TROTH_NOW the clock starts there and runs on.
    let started = std::time::SystemTime::now();
    let clock_start = ctx.now;
    let now = || {
        let now = clock_start + Duration::from_std(started.elapsed().unwrap_or_default()).unwrap_or_default();
        from_ts(ts(now))
    };
    if ledger.path.is_none() && !wait_for_ledger(ctx, ledger, &rx, &now)? {
        return Ok(());
    }
    if let Some(path) = ledger.path.clone() {
        watch_ledger(&path, tx.clone());
    }
    // With a sync folder, the partner's new files wake the watch too (§9).
    let synced = crate::sync::folder_of(ledger).unwrap_or(None);
    if let Some(f) = &synced {
        watch_sync_folder(&f.path, tx.clone());
    }
    let mut backoff = Backoff::default();
    let mut seen = ledger.data_version()?;
    loop {
        if let Some(f) = &synced {
            crate::commands::sync::auto_apply(ledger, f, now());
        }
        let settings = ledger.settings()?;
        let tick = Ctx { env: ctx.env, settings, now: now() };
        backoff.send_due(&tick, ledger, all, out)?;
        // What we wrote ourselves is not news: only another connection's
        // commit changes data_version.
        seen = ledger.data_version()?.max(seen);
        let (_, next) = plan(&tick, ledger, all)?;
        if !sleep(&rx, backoff.deadline(&tick, next), ledger, &mut seen)? {
            return Ok(());
        }
    }
}

/// SIGINT or SIGTERM wakes the watch to stop.
fn stop_on_signals(tx: mpsc::Sender<Wake>) -> Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM])
        .map_err(|e| Error::failure(format!("could not listen for signals: {e}")))?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Wake::Stop);
        }
    });
    Ok(())
}

/// Started before there is a ledger (a session's autostart before the first
/// promise): wait for the file, then open it — the empty in-memory ledger
/// read in its place would never see what is written there. False when told
/// to stop first.
fn wait_for_ledger(
    ctx: &Ctx,
    ledger: &mut Ledger,
    rx: &mpsc::Receiver<Wake>,
    now: &dyn Fn() -> Instant,
) -> Result<bool> {
    loop {
        match rx.recv_timeout(std::time::Duration::from_secs(1)) {
            Ok(Wake::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(false),
            _ => {}
        }
        if ctx.env.db.exists() {
            *ledger = Ledger::open(&ctx.env.db, Access::Write, now(), || ctx.env.home_zone())?;
            return Ok(true);
        }
    }
}

/// A server that stays away is retried with backoff (30 s, doubling, at
/// most WATCH_MAX_SLEEP), and said once per stretch of failures.
#[derive(Default)]
struct Backoff {
    failures: u32,
    retry_at: Option<std::time::Instant>,
}

impl Backoff {
    /// Send what is due, unless the server is away and its retry not yet due.
    fn send_due(&mut self, tick: &Ctx, ledger: &mut Ledger, all: bool, out: &mut dyn Write) -> Result<()> {
        if self.retry_at.is_some_and(|r| std::time::Instant::now() < r) {
            return Ok(());
        }
        match send_due(tick, ledger, &Desktop, all) {
            Ok(sent) => {
                self.failures = 0;
                self.retry_at = None;
                for p in &sent {
                    writeln!(out, "reminded  {}: {}", p.note.summary, p.note.body)?;
                }
                out.flush()?;
            }
            Err(e) => {
                if self.failures == 0 {
                    let mut err = std::io::stderr();
                    let _ = writeln!(err, "error: {}", crate::domain::time::scrub(&e.message));
                }
                let backoff = std::time::Duration::from_secs(30u64 << self.failures.min(4)).min(WATCH_MAX_SLEEP);
                self.failures += 1;
                self.retry_at = Some(std::time::Instant::now() + backoff);
            }
        }
        Ok(())
    }

    /// When to look again: just after the next reminder is due, not before
    /// a retry, and WATCH_MAX_SLEEP at the most.
    fn deadline(&self, tick: &Ctx, next: Option<Instant>) -> std::time::Instant {
        let mut wait = next
            .map(|t| (t - tick.now).to_std().unwrap_or_default() + std::time::Duration::from_millis(200))
            .unwrap_or(WATCH_MAX_SLEEP)
            .min(WATCH_MAX_SLEEP);
        if let Some(r) = self.retry_at {
            wait = wait.max(r.saturating_duration_since(std::time::Instant::now()));
        }
        std::time::Instant::now() + wait.min(WATCH_MAX_SLEEP)
    }
}

/// Sleep until `deadline`, or until another connection has committed to the
/// ledger (`seen`: the data_version last looked at). False when told to stop.
fn sleep(rx: &mpsc::Receiver<Wake>, deadline: std::time::Instant, ledger: &Ledger, seen: &mut i64) -> Result<bool> {
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(Wake::Stop) => return Ok(false),
            Ok(Wake::Changed) => {
                // Let a burst of writes settle, then look once.
                std::thread::sleep(std::time::Duration::from_millis(50));
                while let Ok(w) = rx.try_recv() {
                    if matches!(w, Wake::Stop) {
                        return Ok(false);
                    }
                }
                let v = ledger.data_version()?;
                if v != *seen {
                    *seen = v;
                    return Ok(true);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => return Ok(true),
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(false),
        }
    }
}

/// Wake the watch when another process commits to the ledger: inotify on the
/// ledger's folder, for writes to its WAL or the ledger itself (not the
/// shared-memory index, which readers touch too).
#[cfg(target_os = "linux")]
fn watch_ledger(path: &std::path::Path, tx: mpsc::Sender<Wake>) {
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
fn watch_sync_folder(dir: &std::path::Path, tx: mpsc::Sender<Wake>) {
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
fn watch_sync_folder(_dir: &std::path::Path, _tx: mpsc::Sender<Wake>) {}

/// Elsewhere, look for changes every few seconds.
#[cfg(not(target_os = "linux"))]
fn watch_ledger(_path: &std::path::Path, tx: mpsc::Sender<Wake>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(5));
            if tx.send(Wake::Changed).is_err() {
                return;
            }
        }
    });
}
