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
use crate::domain::remind::{notify_time, out_of_quiet};
use crate::domain::terms::Terms;
use crate::domain::time::Instant;
use crate::domain::trust::SlotTally;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::ledger::reminders::Sent;
use crate::notify::{Desktop, Note, Notifier};
use crate::render::json::write_json;
use crate::render::words;
use chrono::Duration;
use serde_json::json;
use std::io::Write;

mod watch;

/// A claim with no recorded outcome is taken to be in flight for this long.
const CLAIM_LEASE: Duration = Duration::minutes(10);
/// `--watch` wakes at least this often, so a laptop back from suspend catches up.
pub(super) const WATCH_MAX_SLEEP: std::time::Duration = std::time::Duration::from_secs(300);

/// A user service and timer that run `remind` for this ledger. The timer
/// fires on each minute: reminder times are whole minutes, and one sent
/// "just before the quiet hours begin" (21:59) would, with a 5-minute timer,
/// mostly be found already inside them and held until after it was due. A
/// run with nothing to send reads the ledger and contacts no server.
///
/// The service runs `remind` on this ledger: the same
/// `--db` (as an absolute path, since the timer runs elsewhere), and `--all`
/// and `--as` when they were given — else the timer would remind about
/// another ledger, or other promises, than the one the user set it up for.
pub fn systemd(env: &crate::Env, all: bool, out: &mut dyn Write) -> Result<()> {
    let exe = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "troth".into());
    let db = std::path::absolute(&env.db).unwrap_or_else(|_| env.db.clone());
    let mut command = vec![systemd_quote(&exe), "--db".into(), systemd_quote(&db.display().to_string())];
    if let Some((name, _)) = &env.acting_as {
        command.extend(["--as".into(), systemd_quote(name)]);
    }
    command.push("remind".into());
    if all {
        command.push("--all".into());
    }
    let command = command.join(" ");
    writeln!(
        out,
        "# ~/.config/systemd/user/troth-remind.service
[Unit]
Description=troth: desktop reminders for promises that fall due

[Service]
Type=oneshot
ExecStart={command}

# ~/.config/systemd/user/troth-remind.timer
[Unit]
Description=Run troth reminders each minute

[Timer]
OnCalendar=minutely
AccuracySec=1s
Persistent=true

[Install]
WantedBy=timers.target

# Install: save the two units above, then
#   systemctl --user daemon-reload && systemctl --user enable --now troth-remind.timer"
    )?;
    Ok(())
}

/// One word of an `ExecStart=` line: double-quoted when it needs to be, with
/// systemd's own escapes for `\`, `"`, `%` (specifiers), `$` (variables)
/// and control characters.
fn systemd_quote(word: &str) -> String {
    let plain = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:,@=".contains(c));
    if plain {
        return word.to_string();
    }
    let mut q = String::from("\"");
    for c in word.chars() {
        match c {
            '\\' => q.push_str("\\\\"),
            '"' => q.push_str("\\\""),
            '%' => q.push_str("%%"),
            '$' => q.push_str("$$"),
            // A newline would end the line (and start another directive).
            c if c.is_control() => q.push_str(&format!("\\u{:04x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// One reminder that is due to be sent.
#[derive(Clone, Debug)]
pub struct Pending {
    pub agreement_id: i64,
    pub slot_start: Instant,
    pub notify_at: Instant,
    pub note: Note,
    pub slug: String,
    /// The promise's zone: its slot's times are shown in it.
    pub zone: chrono_tz::Tz,
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
                    zone: a.zone,
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
                .map(|p| json!({"slug": shown_slug(ctx, p), "summary": p.note.summary, "body": p.note.body, "slot_start": crate::domain::time::rfc3339(p.slot_start, p.zone)}))
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
        return watch::watch(ctx, ledger, a.all, out);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The reminder logic with the recording notifier (no bus needed): once
    /// per slot across runs, and a failed send retried on the next run.
    #[test]
    fn recorder_sees_each_slot_once_and_a_failure_retried() {
        use crate::ledger::{Access, NewAgreement, new_uuid};
        use crate::notify::Recorder;
        let z: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
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
