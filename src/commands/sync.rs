//! `troth sync setup|join|status`, `troth sync`, `troth verify`, and the
//! automatic pass every other command makes (apply first, publish after).
//! The work is in `crate::sync`; this file validates, words and shapes it.

use super::Ctx;
use crate::cli::{SyncAction, SyncArgs};
use crate::domain::time::{printable, rfc3339};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, from_ts, ts};
use crate::render::json::write_json;
use crate::sync::{self, Folder, Report, crypto, folder};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

fn absolute(dir: &Path) -> Result<PathBuf> {
    let d = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::failure(format!("could not read the current folder: {e}")))?
            .join(dir)
    };
    Ok(d.canonicalize().unwrap_or(d))
}

fn shown(p: &Path) -> String {
    clean(&p.display().to_string())
}

/// Text from the folder or the ledger, without control characters (not cut short).
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

fn not_syncing() -> Error {
    Error::usage("this ledger does not sync through a folder yet")
        .hint("on the first device: troth sync setup DIR; on the other: troth sync join DIR")
}

fn already(f: &Folder) -> Error {
    Error::usage(format!("this ledger already syncs through {}", shown(&f.path)))
        .hint("`troth sync` keeps it in step; `troth sync status` shows the devices")
}

/// The files in DIR that troth would read: troth's own (of some ledger),
/// and any other file — which every later pass would name as unreadable.
fn files_in(dir: &Path) -> (bool, Option<String>) {
    let listed = folder::list(dir).unwrap_or_default();
    let read: Vec<&folder::Listed> = listed.iter().filter(|f| folder::kind(&f.name) == folder::Kind::File).collect();
    let troth = read.iter().any(|f| f.name.ends_with(folder::SUFFIX));
    (troth, read.first().map(|f| f.name.clone()))
}

pub fn run(ctx: &Ctx, ledger: &mut Ledger, a: SyncArgs, out: &mut dyn Write) -> Result<()> {
    match a.action {
        Some(SyncAction::Setup(d)) => setup(ctx, ledger, &d.dir, out),
        Some(SyncAction::Join(d)) => join(ctx, ledger, &d.dir, out),
        Some(SyncAction::Status) => status(ctx, ledger, out),
        None => sync_now(ctx, ledger, out),
    }
}

/// Cheap counts (a join may bring years of entries; loading them all to
/// count them would cost more than applying them).
fn counts(ledger: &Ledger) -> Result<(i64, i64)> {
    crate::ledger::sync::counts(ledger)
}

fn setup(ctx: &Ctx, ledger: &mut Ledger, dir: &Path, out: &mut dyn Write) -> Result<()> {
    if let Some(f) = sync::folder_of(ledger)? {
        return Err(already(&f));
    }
    if dir.as_os_str().is_empty() {
        return Err(Error::usage("name the folder to sync through").hint("troth sync setup ~/Sync/troth"));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Error::usage(format!("{} is a file, not a folder", shown(dir))));
    }
    let dir = absolute(dir)?;
    // The folder itself may be new; a missing parent is a typo or a sync
    // tool's folder not there yet, and a folder made there would never
    // reach the partner.
    if !dir.exists()
        && let Some(parent) = dir.parent().filter(|p| !p.is_dir())
    {
        return Err(Error::usage(format!("there is no folder {}", shown(parent)))
            .hint("name a folder inside the one your sync tool shares, e.g. troth sync setup ~/Sync/troth"));
    }
    match files_in(&dir) {
        (true, _) => {
            return Err(Error::usage(format!("{} already holds a troth ledger's files", shown(&dir)))
                .hint(format!("to join that ledger: troth sync join '{}'", shown(&dir))));
        }
        (false, Some(other)) => {
            return Err(Error::usage(format!(
                "{} holds other files ({}); troth syncs through a folder of its own",
                shown(&dir),
                clean(&other)
            ))
            .hint(format!("make one inside it: troth sync setup '{}'", shown(&dir.join("troth")))));
        }
        (false, None) => {}
    }
    folder::ensure_dir(&dir)
        .map_err(|e| Error::failure(format!("could not create the folder {}: {e}", shown(&dir))))?;
    let dir = dir.canonicalize().unwrap_or(dir);
    let code = crypto::new_code().map_err(Error::failure)?;
    let key = crypto::derive_key(&crypto::normalise(&code).expect("a fresh code is valid"));
    let id = ledger.identity()?;
    let f = Folder { path: dir.clone(), key: key.to_vec() };
    // Nothing is recorded unless the folder takes the first file: a folder
    // that cannot be written leaves the ledger as it was, to be set up again.
    let published = match sync::publish(ledger, &f, ctx.now, true) {
        Ok(n) => n,
        Err(e) => return Err(e.hint("the folder must be writable; the pairing code was not kept")),
    };
    {
        let tx = ledger.write()?;
        tx.set_sync_folder(&dir.to_string_lossy(), &key, ts(ctx.now))?;
        tx.commit()?;
    }
    if folder::git_with_remote(&dir)
        && let Err(e) = folder::git_commit_push(&dir)
    {
        eprintln!("warning: sync: {e} (the files are in the folder; `troth sync` pushes them later)");
    }
    let (promises, entries) = counts(ledger)?;
    if ctx.env.json {
        return write_json(
            out,
            &json!({"ledger": id.ledger, "device": id.device, "folder": dir.to_string_lossy(), "code": code,
                    "published": published}),
        );
    }
    let partner = ctx.settings.partner.clone().unwrap_or_else(|| "your partner".into());
    writeln!(
        out,
        "Syncing through {} — {promises} promise{} and {entries} entr{} written.",
        shown(&dir),
        if promises == 1 { "" } else { "s" },
        if entries == 1 { "y" } else { "ies" }
    )?;
    writeln!(out, "Pairing code (give it to {}, nobody else):  {code}", printable(&partner))?;
    let me = ctx.settings.me.clone().unwrap_or_else(|| "me".into());
    writeln!(
        out,
        "On {}'s computer:  troth init --me {} --partner {} && troth sync join '{}'",
        printable(&partner),
        printable(&partner).replace(' ', "-"),
        printable(&me).replace(' ', "-"),
        shown(&dir)
    )?;
    Ok(())
}

fn read_code(ctx: &Ctx) -> Result<String> {
    if ctx.env.interactive {
        eprint!("Pairing code: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| Error::failure(format!("could not read the code: {e}")))?;
        return Ok(line.trim().to_string());
    }
    ctx.env.sync_code.clone().filter(|c| !c.trim().is_empty()).ok_or_else(|| {
        Error::usage("sync join needs the pairing code, and there is no terminal to ask for it")
            .hint("set TROTH_SYNC_CODE to the code `troth sync setup` printed on the first device")
    })
}

fn join(ctx: &Ctx, ledger: &mut Ledger, dir: &Path, out: &mut dyn Write) -> Result<()> {
    if let Some(f) = sync::folder_of(ledger)? {
        return Err(already(&f));
    }
    // A git clone made before the first device pushed lacks the folder; a
    // pull that brings it in brings its files too (not pulled again below).
    let mut pulled = false;
    if !dir.is_dir()
        && let Some(parent) = dir.parent().filter(|p| folder::git_with_remote(p))
    {
        pulled = folder::git_pull(parent).is_ok();
    }
    if !dir.is_dir() {
        return Err(Error::usage(format!("there is no folder {}", shown(dir)))
            .hint("wait until the sync tool has brought the folder over, then run this again"));
    }
    let dir = absolute(dir)?;
    let typed = read_code(ctx)?;
    let code = crypto::normalise(&typed).ok_or_else(|| {
        Error::usage("that is not a pairing code")
            .hint("a pairing code is 7 groups of 4 letters and digits, e.g. KX7Q-M2PD-…")
    })?;
    let key = crypto::derive_key(&code);
    // A git clone made before the first device pushed has no files yet:
    // bring in what the remote has, as `troth sync` would.
    if !pulled
        && folder::git_with_remote(&dir)
        && let Err(e) = folder::git_pull(&dir)
    {
        eprintln!("warning: sync: {e} (joining with what the folder has)");
    }
    // The ledger uuid comes from the first file that opens with this code.
    let listing = folder::list(&dir).map_err(|e| Error::failure(format!("could not read {}: {e}", shown(&dir))))?;
    let mut any = false;
    let mut ledger_uuid = None;
    for l in listing.iter().filter(|l| folder::kind(&l.name) == folder::Kind::File) {
        any = true;
        let Ok(bytes) = folder::read(&dir, l) else { continue };
        if let Ok(plain) = crypto::open(&key, &bytes)
            && let Ok(env) = serde_json::from_slice::<sync::Envelope>(&plain)
        {
            ledger_uuid = Some(env.ledger);
            break;
        }
    }
    let Some(ledger_uuid) = ledger_uuid else {
        return Err(if any {
            Error::usage(format!("the pairing code does not open the files in {}", shown(&dir)))
                .hint("check the code `troth sync setup` printed on the first device; nothing was changed")
        } else {
            Error::usage(format!("{} holds no troth files yet", shown(&dir)))
                .hint("run `troth sync setup DIR` on the first device, and let the sync tool bring the folder over")
        });
    };
    let before = ledger.identity()?;
    {
        let tx = ledger.write()?;
        if before.ledger != ledger_uuid {
            tx.adopt_ledger(&ledger_uuid, ctx.now)?;
        }
        tx.set_sync_folder(&dir.to_string_lossy(), &key, ts(ctx.now))?;
        tx.commit()?;
    }
    let f = Folder { path: dir.clone(), key: key.to_vec() };
    let mut report = sync::apply(ledger, &f, ctx.now, true)?;
    // Joined either way: what this device has goes out with its next command.
    report.published = sync::publish(ledger, &f, ctx.now, false).unwrap_or_else(|e| {
        eprintln!("{}", sync::warn(&e));
        0
    });
    if folder::git_with_remote(&dir)
        && let Err(e) = folder::git_commit_push(&dir)
    {
        eprintln!("warning: sync: {e} (the files are in the folder; `troth sync` pushes them later)");
    }
    let (promises, entries) = counts(ledger)?;
    let id = ledger.identity()?;
    if ctx.env.json {
        let mut v = report_json(&report);
        let o = v.as_object_mut().expect("object");
        o.insert("ledger".into(), json!(id.ledger));
        o.insert("device".into(), json!(id.device));
        o.insert("folder".into(), json!(dir.to_string_lossy()));
        write_json(out, &v)?;
    } else {
        writeln!(
            out,
            "Joined the ledger in {}: {promises} promise{}, {entries} entr{}. From now on what either of you logs shows up here by itself.",
            shown(&dir),
            if promises == 1 { "" } else { "s" },
            if entries == 1 { "y" } else { "ies" }
        )?;
        if report.published > 0 {
            writeln!(out, "Your own {} fact(s) from before were merged in and sent.", report.published)?;
        }
        if let Some(line) = who_here(ctx, ledger)? {
            writeln!(out, "{line}")?;
        }
        report_lines(ctx, &report, out)?;
    }
    finish(&report)
}

/// After a join: a word when this device does not say who uses it, or names
/// someone the joined promises do not (docs/design.md §9: `me` is the person
/// using this device, and is local). Otherwise what is logged here reads
/// "logged by me" on both screens, and nothing waits in `inbox`.
fn who_here(ctx: &Ctx, ledger: &Ledger) -> Result<Option<String>> {
    let mut names: Vec<String> = Vec::new();
    for a in ledger.agreements()?.iter().filter(|a| !a.is_void()) {
        for n in [&a.by, &a.to] {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
    }
    if names.is_empty() || ctx.settings.me.as_ref().is_some_and(|m| names.contains(m)) {
        return Ok(None);
    }
    // The people whose devices wrote the folder are probably not this one.
    let others: Vec<String> = sync::devices(ledger, ctx.settings.me.as_deref())?
        .into_iter()
        .filter(|d| !d.this)
        .filter_map(|d| d.person)
        .collect();
    let guess: Vec<&String> = names.iter().filter(|n| !others.contains(n)).collect();
    let shown_names = names.iter().map(|n| printable(n)).collect::<Vec<_>>().join(" and ");
    let init = match (guess.as_slice(), others.first()) {
        ([me], Some(partner)) => format!(
            "if you are {}: troth init --me {} --partner {}",
            printable(me),
            quoted(&printable(me)),
            quoted(&printable(partner))
        ),
        _ => "say who you are: troth init --me NAME --partner NAME".to_string(),
    };
    Ok(Some(match &ctx.settings.me {
        None => format!("Who uses this computer? The promises here are between {shown_names}; {init}"),
        Some(m) => format!("You are {} here, but the promises are between {shown_names}; {init}", printable(m)),
    }))
}

/// A name as the shell takes it.
fn quoted(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "'\\''"))
    }
}

fn named_json(n: &sync::Named) -> Value {
    json!({"device": n.device, "file": n.file, "why": n.why})
}

/// `refused` names every file that was not applied and makes the pass exit 1
/// (CLI contract): the refused ones, then the unreadable ones (device null
/// when it is unknown). `unreadable` repeats the latter for those who want
/// them apart; a sync tool's temporary files are only `skipped`.
fn report_json(r: &Report) -> Value {
    json!({
        "published": r.published,
        "applied": r.applied,
        "waiting": r.waiting.iter().map(named_json).collect::<Vec<_>>(),
        "refused": r.refused.iter().chain(&r.unreadable).map(named_json).collect::<Vec<_>>(),
        "unreadable": r.unreadable.iter().map(named_json).collect::<Vec<_>>(),
        "skipped": r.temporary.iter().map(named_json).collect::<Vec<_>>(),
        "forks": r.forks.iter().map(named_json).collect::<Vec<_>>(),
    })
}

fn report_lines(_ctx: &Ctx, r: &Report, out: &mut dyn Write) -> Result<()> {
    for n in &r.waiting {
        writeln!(out, "waiting   {}: {}", n.file, n.why)?;
    }
    for n in &r.refused {
        writeln!(out, "refused   {}: {}", clean(&n.file), clean(&n.why))?;
    }
    // Unreadable files make the pass exit 1 like refused ones, so they are
    // named the same way; only a sync tool's temporary files are "skipped".
    for n in &r.unreadable {
        writeln!(out, "refused   {}: {}", clean(&n.file), clean(&n.why))?;
    }
    for n in &r.temporary {
        writeln!(out, "skipped   {}: {}", clean(&n.file), clean(&n.why))?;
    }
    for n in &r.forks {
        writeln!(out, "forked    {}", n.why)?;
    }
    Ok(())
}

/// A pass in which some file could not be applied exits 1 (after saying so).
fn finish(r: &Report) -> Result<()> {
    let bad = r.refused.len() + r.unreadable.len();
    if bad > 0 {
        return Err(Error::failure(format!(
            "{bad} file{} in the sync folder could not be applied (named above); everything else was",
            if bad == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

fn sync_now(ctx: &Ctx, ledger: &mut Ledger, out: &mut dyn Write) -> Result<()> {
    let f = sync::folder_of(ledger)?.ok_or_else(not_syncing)?;
    let git = folder::git_with_remote(&f.path);
    if git && let Err(e) = folder::git_pull(&f.path) {
        eprintln!("warning: sync: {e} (applying what the folder has)");
    }
    let mut report = sync::apply(ledger, &f, ctx.now, true)?;
    // A file of this device gone from the folder: its facts go out again.
    let resent = sync::republish_lost(ledger, &f, ctx.now)?;
    let (published, behind) = sync::publish_noting_clock(ledger, &f, ctx.now, false)?;
    report.published = published;
    warn_clock_behind(behind);
    let pushed = git
        && folder::git_commit_push(&f.path).unwrap_or_else(|e| {
            eprintln!("warning: sync: {e} (the files are in the folder; the next `troth sync` pushes them)");
            false
        });
    if ctx.env.json {
        let mut v = report_json(&report);
        v["resent"] = match resent {
            Some((file, facts)) => json!({"file": file, "facts": facts}),
            None => Value::Null,
        };
        write_json(out, &v)?;
    } else {
        let mut parts = vec![format!("sent {} fact{}", report.published, if report.published == 1 { "" } else { "s" })];
        if let Some((file, facts)) = resent {
            parts.push(format!(
                "sent again all {facts} fact{} made here: this device's file {file} is gone from the folder or refused",
                if facts == 1 { "" } else { "s" }
            ));
        }
        // In git, what earlier commands put in the folder goes out now.
        if pushed {
            parts.push("pushed to the git remote".into());
        }
        // A file with no new facts (a device's first, an echo) says nothing.
        let received: Vec<_> = report.applied_from.iter().filter(|(_, (_, n))| *n > 0).collect();
        if received.is_empty() {
            parts.push("nothing new received".into());
        }
        for (device, (person, n)) in received {
            let who = person
                .clone()
                .map(|p| format!("{}'s device", printable(&p)))
                .unwrap_or_else(|| format!("device {}", &device[..8]));
            parts.push(format!("received {n} from {who}"));
        }
        writeln!(out, "{}", parts.join(" · "))?;
        report_lines(ctx, &report, out)?;
    }
    finish(&report)
}

fn status(ctx: &Ctx, ledger: &mut Ledger, out: &mut dyn Write) -> Result<()> {
    if ledger.path.is_none() {
        // No ledger yet: the stand-in's made-up uuids would change each call.
        if ctx.env.json {
            return write_json(out, &json!({"ledger": null, "device": null, "folder": null, "devices": []}));
        }
        writeln!(out, "ledger   none yet at {}", shown(&ctx.env.db))?;
        writeln!(out, "         troth init starts one; troth sync join DIR joins your partner's")?;
        return Ok(());
    }
    let id = ledger.identity()?;
    let f = sync::folder_of(ledger)?;
    let devices = sync::devices(ledger, ctx.settings.me.as_deref())?;
    let zone = ctx.settings.zone;
    if ctx.env.json {
        return write_json(
            out,
            &json!({
                "ledger": id.ledger,
                "device": id.device,
                "folder": f.as_ref().map(|f| f.path.to_string_lossy().into_owned()),
                "devices": devices.iter().map(|d| json!({
                    "device": d.device, "person": d.person, "files": d.files, "facts": d.facts,
                    "last": d.last.map(|t| rfc3339(from_ts(t), zone)), "this": d.this, "refused": d.refused,
                })).collect::<Vec<_>>(),
            }),
        );
    }
    writeln!(out, "ledger   {}", id.ledger)?;
    match &f {
        Some(f) => writeln!(out, "folder   {}", shown(&f.path))?,
        None => writeln!(out, "folder   none (troth sync setup DIR, or troth sync join DIR)")?,
    }
    for d in &devices {
        writeln!(
            out,
            "device   {}{}  {}  {} file{}, {} fact{}{}",
            d.device,
            if d.this { " (this one)" } else { "" },
            d.person.as_deref().map(printable).unwrap_or_else(|| "—".into()),
            d.files,
            if d.files == 1 { "" } else { "s" },
            d.facts,
            if d.facts == 1 { "" } else { "s" },
            d.last.map(|t| format!(", last {}", rfc3339(from_ts(t), zone))).unwrap_or_default()
        )?;
        if d.refused > 0 {
            writeln!(
                out,
                "         {} file{} of it refused here — `troth sync` says why",
                d.refused,
                if d.refused == 1 { "" } else { "s" }
            )?;
        }
    }
    Ok(())
}

pub fn verify(ctx: &Ctx, ledger: &Ledger, out: &mut dyn Write) -> Result<()> {
    let Some(f) = sync::folder_of(ledger)? else {
        if ctx.env.json {
            // One device, this one, once a ledger exists; before, none (as
            // `sync status` says: no ledger, no device).
            let devices = usize::from(ledger.path.is_some());
            return write_json(out, &json!({"ok": true, "devices": devices, "files": 0, "problems": []}));
        }
        writeln!(out, "ok  this ledger does not sync through a folder; nothing to check")?;
        return Ok(());
    };
    let v = sync::verify(ledger, &f)?;
    if ctx.env.json {
        write_json(
            out,
            &json!({"ok": v.problems.is_empty(), "devices": v.devices, "files": v.files,
                    "problems": v.problems.iter().map(|p| json!({"device": p.device, "file": p.file, "problem": p.problem})).collect::<Vec<_>>()}),
        )?;
    } else if v.problems.is_empty() {
        writeln!(
            out,
            "ok  {} device{}, {} file{}: every chain intact",
            v.devices,
            if v.devices == 1 { "" } else { "s" },
            v.files,
            if v.files == 1 { "" } else { "s" }
        )?;
    } else {
        for p in &v.problems {
            writeln!(
                out,
                "{}{}",
                p.file.as_deref().map(|f| format!("{}: ", clean(f))).unwrap_or_default(),
                clean(&p.problem)
            )?;
        }
    }
    if !v.problems.is_empty() {
        return Err(Error::failure(format!(
            "verify found {} problem{} in the sync folder",
            v.problems.len(),
            if v.problems.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// Whether the folder's listing differs from the one last settled here:
/// there may be something to apply (an unreadable folder counts as changed;
/// the apply names it).
pub fn folder_changed(ledger: &Ledger, listing: &std::io::Result<Vec<folder::Listed>>) -> bool {
    let Ok(listing) = listing else { return true };
    crate::ledger::sync::listing(ledger).ok().flatten().as_deref() != Some(folder::digest(listing).as_str())
}

/// Before a command: apply what is new in the folder. One warning line when
/// that fails or some file could not be applied; the command goes on.
/// Returns whether it warned, so that the publish after the command does not
/// add a second line (docs/design.md §9: a failure is one `warning:` line).
pub fn auto_apply(ledger: &mut Ledger, f: &Folder, now: crate::domain::time::Instant) -> bool {
    auto_apply_listed(ledger, f, now, folder::list(&f.path))
}

/// `auto_apply`, given the folder's listing already read for the command.
pub fn auto_apply_listed(
    ledger: &mut Ledger,
    f: &Folder,
    now: crate::domain::time::Instant,
    listing: std::io::Result<Vec<folder::Listed>>,
) -> bool {
    match sync::apply_listed(ledger, f, now, false, listing) {
        Ok(r) if r.failed() => {
            let n = r.refused.len() + r.unreadable.len();
            eprintln!(
                "warning: {n} file{} in the sync folder could not be applied; `troth sync` says which and why",
                if n == 1 { "" } else { "s" }
            );
            true
        }
        Ok(_) => false,
        Err(e) => {
            eprintln!("{}", sync::warn(&e));
            true
        }
    }
}

/// For a command that makes facts in one transaction: publish them inside
/// it, just before it commits, so that the file and the marks saying it is
/// out cost the command one transaction, not two (docs/design.md §9). A
/// failure is one warning line (unless `warned` says one was printed) and
/// takes nothing from the command: its facts commit, unpublished, and go out
/// with the next command. `warned` is set when this hook warned.
pub fn publish_on_commit(
    ledger: &Ledger,
    f: &Folder,
    now: crate::domain::time::Instant,
    warned: std::rc::Rc<std::cell::Cell<bool>>,
) -> Result<crate::ledger::PreCommit> {
    let id = ledger.identity()?;
    let person = ledger.settings()?.me;
    let f = f.clone();
    Ok(std::rc::Rc::new(move |tx: &crate::ledger::Tx<'_>| {
        match tx.within_savepoint(|tx| sync::publish_in(tx, &f, now, false, &id, person.clone())) {
            Ok((_, behind)) => warn_clock_behind(behind),
            Err(e) => {
                if !warned.replace(true) {
                    eprintln!("{}", sync::warn(&e));
                }
            }
        }
    }))
}

/// After a writing command: publish what it made. A failure is a warning
/// line unless the apply before the command already printed one (the folder
/// moved away fails both the same way; the facts go out next time either way,
/// and `troth sync` names every failure).
pub fn auto_publish(ledger: &mut Ledger, f: &Folder, now: crate::domain::time::Instant, warned: bool) {
    match sync::publish_noting_clock(ledger, f, now, false) {
        Err(e) if !warned => eprintln!("{}", sync::warn(&e)),
        Ok((_, behind)) => warn_clock_behind(behind),
        _ => {}
    }
}

/// One line when this device just wrote a file its partner will refuse: its
/// clock was set back behind its previous file (docs/design.md §9).
fn warn_clock_behind(behind: Option<i64>) {
    if let Some(w) = behind {
        eprintln!(
            "warning: sync: this device's clock is more than 10 minutes behind its previous sync file (written {}); \
             the other device will refuse this file and every later one from here — if the clock is right now, \
             it was ahead when that file was written, and `troth sync` sends it all again once it has passed that time",
            rfc3339(from_ts(w), chrono_tz::UTC)
        );
    }
}
