//! Commands: validate input → call the domain → store → render.
//!
//! Each command receives an open ledger and the environment read by `main`;
//! none opens a ledger or reads the clock itself. One file per subcommand
//! (pause/resume/retire share `status.rs`, kept/broke `kept.rs`, completions
//! `man.rs` writes the man page). This file dispatches and holds what several
//! commands share: finding an agreement, input validation, and the JSON
//! shapes of docs/cli.md.

mod amend;
pub mod completions;
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
use crate::domain::time::Instant;
use crate::domain::{Agreement, Settings};
use crate::error::{Error, Result};
use crate::ledger::{Access, Ledger};
use std::io::Write;

pub use crate::domain::report::Book;
pub use data::check_import;

/// What every command gets: the environment, the ledger's settings, "now".
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub settings: Settings,
    pub now: Instant,
}

pub fn run(env: &Env, command: Command, real_out: &mut dyn Write) -> Result<()> {
    let out = &mut *real_out;
    // The commands that need no ledger.
    match &command {
        Command::Completions(a) => return completions::completions(a, out),
        Command::Man => return man::man(out),
        Command::Demo(a) => return demo::run(env, a, out),
        Command::Remind(a) if a.systemd => return remind::systemd(env, a.all, out),
        _ => {}
    }
    let access = access(&command, env.db.exists());
    if access == Access::Write {
        refuse_read_only(&env.db)?;
    }
    let init_zone = match &command {
        Command::Init(a) => a.zone.clone(),
        _ => None,
    };
    let mut ledger = Ledger::open(&env.db, access, env.now, || match &init_zone {
        Some(z) => crate::domain::time::parse_zone(z).map_err(Error::from),
        None => env.home_zone(),
    })?;
    // With a sync folder: apply what is new there first; after a command that
    // writes, publish what it made (docs/design.md §9). Failures are warnings.
    let synced = match &command {
        // `sync status` is a command like the others: it shows the folder as it is now.
        Command::Sync(a) if matches!(a.action, Some(crate::cli::SyncAction::Status)) => {
            crate::sync::folder_of(&ledger).unwrap_or(None)
        }
        Command::Sync(_) | Command::Verify => None,
        _ => crate::sync::folder_of(&ledger).unwrap_or(None),
    };
    // What the folder brings and what the command does land together: a
    // refused command leaves the ledger as it was, the partner's facts too
    // (the next command applies them). Not around a command that waits on a
    // person or runs on: it would hold the ledger's write lock meanwhile.
    // The folder is listed once: whether it changed, and what to apply.
    let listing = synced.as_ref().map(|f| crate::sync::folder::list(&f.path));
    let outer = listing.as_ref().is_some_and(|l| !waits_or_runs_on(&command, env) && sync::folder_changed(&ledger, l));
    if outer {
        ledger.begin_outer()?;
    }
    let warned = match (&synced, listing) {
        (Some(f), Some(l)) => sync::auto_apply_listed(&mut ledger, f, env.now, l),
        _ => false,
    };
    let mut settings = ledger.settings()?;
    // `init` and `config` name the two of you; everything else may act as one.
    if let Some((name, source)) = &env.acting_as
        && !matches!(command, Command::Init(_) | Command::Config(_))
    {
        settings = voice::act_as(settings, name, source)?;
    }
    let ctx = Ctx { env, settings, now: env.now };
    // A new ledger reaches the disk only when its first command succeeds,
    // and that command's output only once it has. Inside the one
    // transaction the output waits too: a pipe nobody reads yet (`| less`)
    // must not hold the ledger's write lock.
    let new = ledger.is_new();
    let hold = new || outer;
    let mut held: Vec<u8> = Vec::new();
    // A command that makes its facts in one transaction publishes them in it.
    let warned = std::rc::Rc::new(std::cell::Cell::new(warned));
    let published = std::rc::Rc::new(std::cell::Cell::new(false));
    if access == Access::Write
        && publishes_in_its_transaction(&command)
        && let Some(f) = &synced
    {
        let hook = sync::publish_on_commit(&ledger, f, env.now, warned.clone())?;
        let seen = published.clone();
        ledger.set_pre_commit(Some(std::rc::Rc::new(move |tx: &crate::ledger::Tx<'_>| {
            seen.set(true);
            hook(tx)
        })));
    }
    let done = dispatch(&ctx, &mut ledger, command, if hold { &mut held } else { &mut *real_out });
    ledger.set_pre_commit(None);
    // Facts a command has committed, and so published, stay even if it then
    // fails: rolling them back would leave a file in the folder that this
    // ledger lacks. (Every command checks before it writes; this keeps it so.)
    ledger.end_outer(published.get() || !matches!(&done, Err(e) if e.exit_code() == 2))?;
    done?;
    if new {
        ledger.persist()?;
    }
    if hold {
        real_out.write_all(&held)?;
    }
    if access == Access::Write
        && let Some(f) = &synced
    {
        sync::auto_publish(&mut ledger, f, env.now, warned.get());
    }
    Ok(())
}

/// How `command` uses the ledger. A command about an existing promise or
/// entry cannot succeed on a ledger that does not exist yet: it reads it
/// (creating nothing), so that a typo before `init` (`troth kept foo`) leaves
/// no ledger behind.
fn access(command: &Command, exists: bool) -> Access {
    match command {
        Command::Init(_)
        | Command::Promise(_)
        | Command::Import(_)
        | Command::Confirm(_)
        | Command::Dispute(_)
        | Command::Repair(_)
        | Command::Accept(_) => Access::Write,
        Command::Kept(_)
        | Command::Broke(_)
        | Command::Excuse(_)
        | Command::Void(_)
        | Command::Amend(_)
        | Command::Pause(_)
        | Command::Resume(_)
        | Command::Retire(_)
        | Command::Review
            if exists =>
        {
            Access::Write
        }
        // `sync status` only reads: before any ledger exists it creates none.
        Command::Sync(a) if matches!(a.action, Some(crate::cli::SyncAction::Status)) => Access::Read,
        Command::Sync(_) => Access::Write,
        // With no ledger there is nothing to remind of, and nothing to create.
        Command::Remind(a) if !a.dry_run && exists => Access::Write,
        Command::Config(a) if a.value.is_some() => Access::Write,
        _ => Access::Read,
    }
}

/// Commands that wait for a person's answers (`review`, `repair` on a
/// terminal), for standard input (`import -`) or run on (`remind`): not run
/// inside one transaction.
fn waits_or_runs_on(command: &Command, env: &Env) -> bool {
    match command {
        Command::Review | Command::Remind(_) => true,
        Command::Import(a) => is_dash(&a.file),
        Command::Repair(_) => env.interactive,
        _ => false,
    }
}

/// Commands that make their facts in one transaction (docs/design.md §9:
/// the file goes out inside it). `init` and `config` may rename `me`, whom a
/// file names; `review` commits once per answer and publishes once at the end.
fn publishes_in_its_transaction(command: &Command) -> bool {
    !matches!(command, Command::Init(_) | Command::Config(_) | Command::Review | Command::Remind(_) | Command::Sync(_))
}

/// A ledger its owner made read-only (`chmod 400`, an archived copy) is not
/// written to — not even by root, who could — and nothing is made beside it.
/// Its `-wal`/`-shm`, which SQLite creates with the ledger's own mode when
/// a read-only ledger is read, are named too: after `chmod 600` on the
/// ledger alone, they would still refuse every write.
fn refuse_read_only(db: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let read_only: Vec<String> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| crate::ledger::files::with_suffix(db, s))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o200 == 0))
        .map(|p| format!("'{}'", crate::domain::time::scrub(&p.display().to_string())))
        .collect();
    if read_only.is_empty() {
        return Ok(());
    }
    Err(Error::failure(format!(
        "the ledger is read-only: {} may not be written, so troth will not change it",
        read_only.join(", ")
    ))
    .hint(format!("nothing was changed; to write to it again: chmod u+w {}", read_only.join(" "))))
}

/// `--by me` / `--by partner` on the summaries: the two people `init` named,
/// as for `promise` and `--as` (docs/cli.md).
fn role_word(settings: &Settings, by: Option<String>) -> Option<String> {
    match by.as_deref().map(str::trim) {
        Some("me") if settings.me.is_some() => Some(settings.default_by()),
        Some("partner") if settings.partner.is_some() => Some(settings.default_to()),
        _ => by,
    }
}

fn dispatch(ctx: &Ctx, ledger: &mut Ledger, command: Command, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::Init(a) => init::init(ctx, ledger, a, out),
        Command::Promise(a) => promise::promise(ctx, ledger, a, out),
        Command::List(a) => list::list(ctx, ledger, a, out),
        Command::Show(a) => show::show(ctx, ledger, a, out),
        Command::Amend(a) => amend::amend(ctx, ledger, a, out),
        Command::Pause(a) => status::set_status(ctx, ledger, &a, Status::Paused, out),
        Command::Resume(a) => status::set_status(ctx, ledger, &a, Status::Active, out),
        Command::Retire(a) => status::set_status(ctx, ledger, &a, Status::Retired, out),
        Command::Void(a) => void::void(ctx, ledger, a, out),
        Command::Config(a) => config::config(ctx, ledger, a, out),
        Command::Kept(a) => kept::log_outcome(ctx, ledger, crate::domain::Outcome::Kept, a, out),
        Command::Broke(a) => kept::log_outcome(ctx, ledger, crate::domain::Outcome::Broken, a, out),
        Command::Excuse(a) => excuse::excuse(ctx, ledger, a, out),
        Command::Log(a) => log::list(ctx, ledger, a, out),
        Command::Report(mut a) => {
            a.by = role_word(&ctx.settings, a.by);
            report::report(ctx, ledger, a, out)
        }
        Command::Trend(mut a) => {
            a.by = role_word(&ctx.settings, a.by);
            trend::trend(ctx, ledger, a, out)
        }
        Command::Overpromising(mut a) => {
            a.by = role_word(&ctx.settings, a.by);
            overpromising::overpromising(ctx, ledger, a, out)
        }
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
/// are not read (as `Book::window`). All are read from one snapshot.
pub fn each_item<'a, T>(
    ctx: &Ctx,
    ledger: &Ledger,
    agreements: &'a [Agreement],
    (from, horizon): (Instant, Instant),
    mut f: impl FnMut(crate::domain::report::Item<'a>) -> T,
) -> Result<Vec<T>> {
    // One snapshot: what `few` says of the ledger holds for every promise read.
    ledger.snapshot(|| {
        let few = ledger.few()?;
        let mut out = Vec::new();
        for a in agreements.iter().filter(|a| !a.is_void()) {
            let facts = ledger.facts_of_since_given(a.id, from, &few)?;
            out.push(f(crate::domain::report::Item::new(a, facts, ctx.now, from, horizon)));
        }
        Ok(out)
    })
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

/// One promise in the shape of `list --json` (docs/cli.md): what `promise`,
/// `amend`, `pause`/`resume`/`retire` and `void --agreement` print with
/// `--json`, its trust and follow-through folded from its facts as `list` does.
pub fn promise_json(ctx: &Ctx, ledger: &Ledger, x: &Agreement) -> Result<serde_json::Value> {
    let facts = ledger.facts_of(x.id)?;
    let analysis = crate::domain::trust::analyze(x, &facts, ctx.now, ctx.now);
    Ok(crate::render::json::agreement_json(x, (!x.is_void()).then_some(&analysis), &ctx.settings, ctx.now))
}

/// An entry as `log --json` shows it, for the commands that write one
/// (`kept`, `broke`, `excuse`, `void`): `late` too, which only a kept entry of
/// a deadline after its due time can be — the one case that reads the
/// promise's (single-slot) history, so the hot path stays as it is.
pub fn written_entry_json(
    ctx: &Ctx,
    ledger: &Ledger,
    x: &Agreement,
    e: &crate::domain::Entry,
) -> Result<serde_json::Value> {
    let mut v = crate::render::json::entry_json(e, x, None);
    let deadline = matches!(x.plan.version_at(e.at).1.terms, crate::domain::terms::Terms::Deadline { .. });
    let late = deadline
        && e.void.is_none()
        && crate::domain::trust::analyze(x, &ledger.facts_of(x.id)?, ctx.now, ctx.now).late.contains(&e.id);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("late".into(), serde_json::json!(late));
    }
    Ok(v)
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

/// `-` names standard output where troth writes a file (`-o -`, `--svg -`)
/// and standard input where it reads one (`import -`), as most tools do.
fn is_dash(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

/// `find` for a command about one promise: that promise read on its own
/// where the ledger can tell it apart (`Ledger::named`), else found among all.
pub fn find_one(ledger: &Ledger, arg: &str, now: Instant) -> Result<Agreement> {
    if let Some(x) = ledger.named(arg)? {
        return Ok(x);
    }
    Ok(find(&ledger.agreements()?, arg, now)?.clone())
}

/// Find an agreement by id or slug. A slug prefers the live agreement.
pub fn find<'a>(agreements: &'a [Agreement], arg: &str, now: Instant) -> Result<&'a Agreement> {
    let arg = arg.trim();
    // `#3` as troth prints it is the id 3, as `void #7` is the entry 7.
    let found = if let Some(id) = crate::domain::validate::id_form(arg) {
        id.and_then(|id| agreements.iter().find(|a| a.id == id))
    } else {
        let mut same: Vec<&Agreement> = agreements.iter().filter(|a| a.slug == arg).collect();
        same.sort_by_key(|a| (a.is_live(now), !a.is_void(), a.created_at, &a.uuid));
        same.last().copied()
    };
    found.ok_or_else(|| {
        let slugs = agreements.iter().filter(|a| !a.is_void()).map(|a| a.slug.as_str());
        let options = crate::render::names::did_you_mean_slug(arg, slugs);
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
    // The roles themselves name the two people `init` set, as `--as me` does
    // (docs/cli.md): `--by me` is never a third person called "me".
    let name = match name.as_str() {
        "me" if partner != "me" => me.to_string(),
        "partner" if me != "partner" => partner.to_string(),
        _ => name,
    };
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
