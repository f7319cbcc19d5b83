//! Commands: validate input → call the domain → store → render.
//!
//! Each command receives an open ledger and the environment read by `main`;
//! none opens a ledger or reads the clock itself. One file per subcommand
//! (pause/resume/retire share `status.rs`, kept/broke `kept.rs`, completions
//! `man.rs` writes the man page). This file dispatches and holds what several
//! commands share: finding an agreement, input validation, and the JSON
//! shapes of docs/cli.md.

mod amend;
mod completions;
mod config;
mod data;
mod demo;
mod due;
mod excuse;
mod init;
mod kept;
mod list;
mod log;
mod man;
mod overpromising;
mod page;
mod promise;
mod remind;
mod report;
mod review;
mod show;
mod status;
mod sync;
mod trend;
mod voice;
mod void;

use crate::Env;
use crate::cli::Command;
use crate::domain::slots::Status;
use crate::domain::terms::{Period, Terms};
use crate::domain::time::{Instant, Span, rfc3339};
use crate::domain::trust::{Analysis, Score};
use crate::domain::{Agreement, Entry, Settings};
use crate::error::{Error, Result};
use crate::ledger::{Access, Ledger};
use serde_json::{Value, json};
use std::io::Write;

pub use crate::domain::report::Book;
pub use data::check_import;
pub use promise::validate_slug;

/// What every command gets: the environment, the ledger's settings, "now".
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub settings: Settings,
    pub now: Instant,
}

pub fn run(env: &Env, command: Command, real_out: &mut dyn Write) -> Result<()> {
    let out = &mut *real_out;
    let access = match &command {
        Command::Completions(a) => return completions::completions(a, out),
        Command::Man => return man::man(out),
        Command::Demo(a) => return demo::run(env, a, out),
        Command::Remind(a) if a.systemd => return remind::systemd(out),
        Command::Init(_)
        | Command::Promise(_)
        | Command::Kept(_)
        | Command::Broke(_)
        | Command::Excuse(_)
        | Command::Void(_)
        | Command::Amend(_)
        | Command::Pause(_)
        | Command::Resume(_)
        | Command::Retire(_)
        | Command::Review
        | Command::Import(_)
        | Command::Confirm(_)
        | Command::Dispute(_)
        | Command::Repair(_)
        | Command::Accept(_)
        | Command::Sync(_) => Access::Write,
        // With no ledger there is nothing to remind of, and nothing to create.
        Command::Remind(a) if !a.dry_run && env.db.exists() => Access::Write,
        Command::Config(a) if a.value.is_some() => Access::Write,
        _ => Access::Read,
    };
    // A command about an existing promise or entry cannot succeed on a ledger
    // that does not exist yet: read it (creating nothing), so that a typo
    // before `init` (`troth kept foo`) leaves no ledger behind.
    let access = match &command {
        Command::Kept(_)
        | Command::Broke(_)
        | Command::Excuse(_)
        | Command::Void(_)
        | Command::Amend(_)
        | Command::Pause(_)
        | Command::Resume(_)
        | Command::Retire(_)
        | Command::Review
        | Command::Remind(_)
            if !env.db.exists() =>
        {
            Access::Read
        }
        _ => access,
    };
    let init_zone = match &command {
        Command::Init(a) => a.zone.clone(),
        _ => None,
    };
    let mut ledger = Ledger::open(&env.db, access, env.now, || match &init_zone {
        Some(z) => crate::domain::time::parse_zone(z).map_err(Error::usage),
        None => env.home_zone(),
    })?;
    // With a sync folder: apply what is new there first; after a command that
    // writes, publish what it made (docs/design.md §9). Failures are warnings.
    let synced = match &command {
        Command::Sync(_) | Command::Verify => None,
        _ => crate::sync::folder_of(&ledger).unwrap_or(None),
    };
    if let Some(f) = &synced {
        sync::auto_apply(&mut ledger, f, env.now);
    }
    let mut settings = ledger.settings()?;
    // `init` and `config` name the two of you; everything else may act as one.
    if let Some((name, source)) = &env.acting_as
        && !matches!(command, Command::Init(_) | Command::Config(_))
    {
        settings = voice::act_as(settings, name, source)?;
    }
    let ctx = Ctx { env, settings, now: env.now };
    // A new ledger reaches the disk only when its first command succeeds,
    // and that command's output only once it has.
    let new = ledger.is_new();
    let mut held: Vec<u8> = Vec::new();
    dispatch(&ctx, &mut ledger, command, if new { &mut held } else { &mut *real_out })?;
    if new {
        ledger.persist()?;
        real_out.write_all(&held)?;
    }
    if access == Access::Write
        && let Some(f) = &synced
    {
        sync::auto_publish(&mut ledger, f, env.now);
    }
    Ok(())
}

fn dispatch(ctx: &Ctx, ledger: &mut Ledger, command: Command, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::Init(a) => init::init(ctx, ledger, a, out),
        Command::Promise(a) => promise::promise(ctx, ledger, a, out),
        Command::List(a) => list::list(ctx, ledger, a, out),
        Command::Show(a) => show::show(ctx, ledger, a, out),
        Command::Amend(a) => amend::amend(ctx, ledger, a, out),
        Command::Pause(a) => status::set_status(ctx, ledger, &a.agreement, Status::Paused, out),
        Command::Resume(a) => status::set_status(ctx, ledger, &a.agreement, Status::Active, out),
        Command::Retire(a) => status::set_status(ctx, ledger, &a.agreement, Status::Retired, out),
        Command::Void(a) => void::void(ctx, ledger, a, out),
        Command::Config(a) => config::config(ctx, ledger, a, out),
        Command::Kept(a) => kept::log_outcome(ctx, ledger, crate::domain::Outcome::Kept, a, out),
        Command::Broke(a) => kept::log_outcome(ctx, ledger, crate::domain::Outcome::Broken, a, out),
        Command::Excuse(a) => excuse::excuse(ctx, ledger, a, out),
        Command::Log(a) => log::list(ctx, ledger, a, out),
        Command::Report(a) => report::report(ctx, ledger, a, out),
        Command::Trend(a) => trend::trend(ctx, ledger, a, out),
        Command::Overpromising(a) => overpromising::overpromising(ctx, ledger, a, out),
        Command::Due(a) => due::due(ctx, ledger, a, out),
        Command::Review => review::review(ctx, ledger, out),
        Command::Remind(a) => remind::run(ctx, ledger, a, out),
        Command::Export(a) => data::export(ctx, ledger, a, out),
        Command::Import(a) => data::import(ctx, ledger, a, out),
        Command::Confirm(a) => voice::verdict(
            ctx,
            ledger,
            &a.entry_id,
            crate::domain::voice::VerdictKind::Confirmed,
            a.note.as_deref(),
            out,
        ),
        Command::Dispute(a) => {
            voice::verdict(ctx, ledger, &a.entry_id, crate::domain::voice::VerdictKind::Disputed, Some(&a.note), out)
        }
        Command::Repair(a) => voice::repair(ctx, ledger, a, out),
        Command::Accept(a) => voice::accept(ctx, ledger, a, out),
        Command::Inbox => voice::inbox(ctx, ledger, out),
        Command::Sync(a) => sync::run(ctx, ledger, a, out),
        Command::Verify => sync::verify(ctx, ledger, out),
        Command::Demo(_) | Command::Completions(_) | Command::Man => unreachable!("handled above"),
    }
}

/// Every live agreement analysed from its own facts (read from its index),
/// one at a time, each reduced by `f` before the next is read: the peak is
/// one promise's history, not ten years of all of them. Facts before `from`
/// are not read (as `Book::window`).
pub fn each_item<'a, T>(
    ctx: &Ctx,
    ledger: &Ledger,
    agreements: &'a [Agreement],
    (from, horizon): (Instant, Instant),
    mut f: impl FnMut(crate::domain::report::Item<'a>) -> T,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for a in agreements.iter().filter(|a| !a.is_void()) {
        let facts = ledger.facts_of_since(a.id, from)?;
        out.push(f(crate::domain::report::Item::new(a, facts, ctx.now, from, horizon)));
    }
    Ok(out)
}

/// The book of `each_item`, each item cut down to what `keep` says the
/// command will ask of it (`domain::fold`).
pub fn book<'a>(
    ctx: &Ctx,
    ledger: &Ledger,
    agreements: &'a [Agreement],
    window: (Instant, Instant),
    keep: &crate::domain::fold::Keep,
) -> Result<Book<'a>> {
    Ok(Book::of(each_item(ctx, ledger, agreements, window, |item| item.compact(keep, &ctx.settings.trust))?))
}

pub fn load(ledger: &Ledger) -> Result<(Vec<Agreement>, Vec<crate::domain::Fact>)> {
    Ok((ledger.agreements()?, ledger.facts(None)?))
}

pub fn check_person(agreements: &[Agreement], by: Option<&str>) -> Result<()> {
    if let Some(b) = by
        && !agreements.iter().any(|a| a.by == b)
    {
        let mut names: Vec<&str> = agreements.iter().map(|a| a.by.as_str()).collect();
        names.sort();
        names.dedup();
        let mut message = format!("no promises are by \"{}\"", crate::domain::time::printable(b));
        if let Some(d) =
            crate::render::names::did_you_mean_phrase(&crate::render::names::did_you_mean(b, names.iter().copied()))
        {
            message.push_str(&format!("; {d}"));
        }
        return Err(Error::usage(message).hint(if names.is_empty() {
            "no promises yet".to_string()
        } else {
            format!("promises are by: {}", names.join(", "))
        }));
    }
    Ok(())
}

// ---------- over-promising ----------

pub fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::from(io),
        other => Error::failure(format!("could not write CSV: {other:?}")),
    }
}

/// Find an agreement by id or slug. A slug prefers the live agreement.
pub fn find<'a>(agreements: &'a [Agreement], arg: &str, now: Instant) -> Result<&'a Agreement> {
    let arg = arg.trim();
    let found = if !arg.is_empty() && arg.chars().all(|c| c.is_ascii_digit()) {
        arg.parse::<i64>().ok().and_then(|id| agreements.iter().find(|a| a.id == id))
    } else {
        let mut same: Vec<&Agreement> = agreements.iter().filter(|a| a.slug == arg).collect();
        same.sort_by_key(|a| (a.is_live(now), !a.is_void(), a.created_at, &a.uuid));
        same.last().copied()
    };
    found.ok_or_else(|| {
        let slugs = agreements.iter().filter(|a| !a.is_void()).map(|a| a.slug.as_str());
        let options = crate::render::names::did_you_mean(arg, slugs);
        let mut message = format!("there is no promise \"{}\"", crate::domain::time::printable(arg));
        if let Some(d) = crate::render::names::did_you_mean_phrase(&options) {
            message.push_str(&format!("; {d}"));
        }
        Error::usage(message).hint("`troth list` shows each promise's id and slug")
    })
}

/// Who promised whom (docs/design.md §1): `--by Sam` alone means `--to` the other
/// of the two, `--to Alex` alone means `--by` the other; neither means me to
/// partner. A name one slip from me or partner (case, one typo) is refused
/// with "did you mean …?" rather than becoming a third person.
pub fn parties(settings: &Settings, by: Option<&str>, to: Option<&str>) -> Result<(String, String)> {
    let me = settings.default_by();
    let partner = settings.default_to();
    let other = |name: &str| if name == me { partner.clone() } else { me.clone() };
    let (by, to) = match (by, to) {
        (None, None) => (me.clone(), partner.clone()),
        (Some(b), None) => {
            let b = checked_name(b, &me, &partner, "--by")?;
            let t = other(&b);
            (b, t)
        }
        (None, Some(t)) => {
            let t = checked_name(t, &me, &partner, "--to")?;
            (other(&t), t)
        }
        (Some(b), Some(t)) => (checked_name(b, &me, &partner, "--by")?, checked_name(t, &me, &partner, "--to")?),
    };
    if by == to {
        return Err(Error::usage(format!("{by} cannot promise {to}: a promise is between two people"))
            .hint(format!("give the other person with {}", if by == me { "--to" } else { "--by" })));
    }
    Ok((by, to))
}

fn checked_name(name: &str, me: &str, partner: &str, flag: &str) -> Result<String> {
    let name = crate::domain::settings::validate_name(name)?;
    near_name(&name, [me, partner])
        .map_err(|e| Error::usage(format!("{flag}: {}", e.message)).hint(e.hints.join(" ")))?;
    Ok(name)
}

/// Refuse a name one slip from a known one (`sam` for `Sam`).
pub fn near_name<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let known: Vec<&str> = known.into_iter().collect();
    if known.contains(&name) {
        return Ok(());
    }
    let options = crate::render::names::did_you_mean(name, known);
    match crate::render::names::did_you_mean_phrase(&options) {
        Some(d) => Err(Error::usage(format!("\"{}\" is not a name here; {d}", crate::domain::time::printable(name)))
            .hint("names are compared exactly as typed; another person needs both --by and --to")),
        None => Ok(()),
    }
}

pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The reminder lead in force: the agreement's own, else docs/design.md §6's default.
pub fn remind_lead(a: &Agreement, terms: &Terms) -> Option<Span> {
    a.remind.or(match terms {
        Terms::Schedule(_) => Some(Span::hours(1)),
        Terms::Deadline { .. } => Some(Span::days(1)),
        Terms::Quota { period: Period::Day, .. } => Some(Span::hours(6)),
        Terms::Quota { period: Period::Week | Period::Fortnight, .. } => Some(Span::days(2)),
        Terms::Quota { period: Period::Month, .. } => Some(Span::days(3)),
        Terms::Quota { period: Period::Year, .. } => Some(Span::days(14)),
        Terms::Standing => None,
    })
}

/// `list --json` / `show --json`: the shape of docs/cli.md.
pub fn agreement_json(a: &Agreement, analysis: Option<&Analysis>, settings: &Settings, now: Instant) -> Value {
    let (_, version) = a.plan.version_at(now);
    let score = analysis.map(|an| an.score_at(&settings.trust, now)).unwrap_or(Score::new(&settings.trust));
    let status = a.plan.status_at(now);
    json!({
        "id": a.id,
        "uuid": a.uuid,
        "slug": a.slug,
        "text": a.text,
        "by": a.by,
        "to": a.to,
        "kind": version.terms.kind().name(),
        "terms": version.terms.to_string(),
        "unit": version.unit,
        "zone": a.zone.name(),
        "starts": rfc3339(a.starts, a.zone),
        "ends": a.ends.map(|t| rfc3339(t, a.zone)),
        "status": status.name(),
        "remind": a.remind_text.clone().or_else(|| remind_lead(a, &version.terms).map(|s| s.to_string())),
        "trust": round4(score.trust),
        "rate": score.rate().map(round4),
        "pending": pending_json(a, now),
        "done": done(a, analysis, now).is_some(),
        "void": a.is_void(),
        "created": rfc3339(a.created_at, a.zone),
    })
}

/// The change not yet in effect, if any.
/// A deadline whose slot has closed is done (docs/design.md §2): "kept", "kept
/// late" or "missed"; None for anything else.
pub fn done(a: &Agreement, analysis: Option<&Analysis>, now: Instant) -> Option<&'static str> {
    let (_, version) = a.plan.version_at(now);
    let Terms::Deadline { .. } = version.terms else { return None };
    let analysis = analysis?;
    let slot = analysis.slots.iter().rev().find(|s| matches!(s.slot.terms, Terms::Deadline { .. }))?;
    // Kept on time is done at once; otherwise it is done when its slot closes.
    let kept = slot.kept >= slot.promised.max(1);
    if !slot.closed && !kept {
        return None;
    }
    Some(if kept || slot.delivered > 0 {
        "kept"
    } else if !analysis.late.is_empty() {
        "kept late"
    } else {
        "missed"
    })
}

pub fn pending(a: &Agreement, now: Instant) -> Option<(Option<Terms>, Option<Status>, Instant)> {
    let (_, current) = a.plan.version_at(now);
    let v = a.plan.versions_in_force().into_iter().find(|v| v.effective > now);
    // A change that changes nothing is no change ahead: a pause withdrawn by
    // a resume before it took effect leaves the promise simply active.
    let v = v.filter(|v| v.terms != current.terms || v.unit != current.unit);
    let in_force = a.plan.status_at(now);
    let s = a.plan.statuses_in_force().into_iter().find(|s| s.effective > now).filter(|s| s.status != in_force);
    match (v, s) {
        (None, None) => None,
        (Some(v), None) => Some((Some(v.terms), None, v.effective)),
        (None, Some(s)) => Some((None, Some(s.status), s.effective)),
        (Some(v), Some(s)) if v.effective == s.effective => Some((Some(v.terms), Some(s.status), v.effective)),
        (Some(v), Some(s)) if v.effective < s.effective => Some((Some(v.terms), None, v.effective)),
        (Some(_), Some(s)) => Some((None, Some(s.status), s.effective)),
    }
}

fn pending_json(a: &Agreement, now: Instant) -> Value {
    match pending(a, now) {
        None => Value::Null,
        Some((terms, status, from)) => json!({
            "terms": terms.map(|t| t.to_string()),
            "status": status.map(|s| s.name()),
            "from": rfc3339(from, a.zone),
        }),
    }
}

/// `kept --json` and each element of `log --json`.
pub fn entry_json(e: &Entry, a: &Agreement, analysis: Option<&Analysis>) -> Value {
    let mut v = json!({
        "id": e.id,
        "uuid": e.uuid,
        "agreement": a.slug,
        "outcome": e.outcome.name(),
        "at": rfc3339(e.at, a.zone),
        "note": e.note,
        "by": e.logged_by,
        "void": e.void.is_some(),
    });
    let obj = v.as_object_mut().expect("object");
    obj.insert("agreement_id".into(), json!(a.id));
    obj.insert("logged_at".into(), json!(rfc3339(e.logged_at, a.zone)));
    if let Some(void) = &e.void {
        obj.insert("reason".into(), json!(void.reason));
        obj.insert("voided_at".into(), json!(rfc3339(void.at, a.zone)));
    }
    if let Some(an) = analysis {
        obj.insert("late".into(), json!(an.late.contains(&e.id)));
    }
    obj.insert("agreement_uuid".into(), json!(a.uuid));
    obj.insert("device".into(), json!(e.device));
    voice_json(obj, e, a, analysis);
    v
}

/// Entries JSON of §10: `device`, the deciding `verdict`, and `counts`/`why`.
fn voice_json(obj: &mut serde_json::Map<String, Value>, e: &Entry, a: &Agreement, analysis: Option<&Analysis>) {
    let deciding = crate::domain::voice::deciding(&e.verdicts);
    obj.insert(
        "verdict".into(),
        deciding.map_or(
            Value::Null,
            |v| json!({"verdict": v.kind.name(), "by": v.by, "note": v.note, "at": rfc3339(v.at, a.zone)}),
        ),
    );
    // Without the engine's analysis, a dispute still says why.
    let engine = match analysis {
        Some(an) => an.why.get(&e.id).copied(),
        None => deciding
            .filter(|v| v.kind == crate::domain::voice::VerdictKind::Disputed)
            .map(|_| crate::domain::voice::Why::Held),
    };
    let (counts, why) = crate::domain::voice::counts_why(crate::domain::converge::why(e, a), engine);
    obj.insert("counts".into(), json!(counts));
    obj.insert("why".into(), json!(why));
}

pub fn write_json(out: &mut dyn Write, v: &Value) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

/// Text of a promise: 1–500 characters, no control characters.
pub fn validate_text(text: &str) -> Result<String> {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(Error::usage("a promise needs its words")
            .hint("for example: troth promise \"date night every Friday\" --terms \"every fri 19:00\""));
    }
    if n > 500 {
        return Err(Error::usage(format!("the promise is {n} characters long; at most 500 fit"))
            .hint("say it shorter; details can go in a note"));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(Error::usage("the promise contains control characters").hint("write it on one line, as plain text"));
    }
    Ok(t.to_string())
}

pub fn validate_note(note: Option<&str>) -> Result<Option<String>> {
    let Some(n) = note else { return Ok(None) };
    let count = n.chars().count();
    if count > 4000 {
        return Err(Error::usage(format!("the note is {count} characters long; at most 4,000 fit")));
    }
    if n.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Error::usage("the note contains control characters").hint("plain text, newlines and tabs are fine"));
    }
    Ok(if n.trim().is_empty() { None } else { Some(n.to_string()) })
}

/// Words for a quota's unit: "weekends" / "times".
pub fn unit_word(unit: Option<&str>, n: u32) -> String {
    match unit {
        Some(u) => u.to_string(),
        None if n == 1 => "time".into(),
        None => "times".into(),
    }
}

/// Terms in words: "2 weekends a month", "every fri 19:00".
pub fn terms_words(t: &Terms, unit: Option<&str>) -> String {
    match t {
        Terms::Quota { count, period } => match unit {
            Some(u) => format!("{count} {u} a {}", period.name()),
            None if *count == 1 => format!("once a {}", period.name()),
            None if *count == 2 => format!("twice a {}", period.name()),
            None => format!("{count} times a {}", period.name()),
        },
        Terms::Standing => "standing".into(),
        other => other.to_string(),
    }
}
