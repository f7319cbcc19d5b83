//! `troth completions SHELL`, and the completer those scripts call.
//!
//! The scripts are clap_complete's dynamic ("env") registration: on Tab the
//! shell runs `_TROTH_COMPLETE=<shell> troth -- <words>`, and troth answers
//! from the same clap types that parse the command line — subcommands, flags,
//! and the values only the ledger knows: promise slugs wherever a promise is
//! named, people's names for `--by`/`--to`, `me`/`partner` for `--as`, and
//! the last month's entries (by id, with what they were) for `confirm`,
//! `dispute` and `void`.
//! The ledger is only looked at (`Ledger::peek`): completion never creates,
//! migrates or writes one, and stays quiet when there is nothing to read.

use crate::cli::{Cli, CompletionsArgs};
use crate::domain::time::Instant;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use clap::CommandFactory;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{CompleteEnv, Shells};
use std::ffi::OsStr;
use std::io::Write;
use std::path::PathBuf;

/// The variable that turns a run of troth into a completion request. Not
/// clap's default `COMPLETE`: a name that common could be set for another
/// program and silently turn every troth command into a completer.
pub const VAR: &str = "_TROTH_COMPLETE";

pub fn completions(a: &CompletionsArgs, out: &mut dyn Write) -> Result<()> {
    let name = a.shell.to_string();
    let shells = Shells::builtins();
    let shell = shells.completer(&name).ok_or_else(|| Error::usage(format!("troth cannot complete for {name}")))?;
    // Written into memory first: `troth completions zsh | head` closes the
    // pipe early, and that is no error of the script's.
    let mut buf = Vec::new();
    shell.write_registration(VAR, "troth", "troth", "troth", &mut buf)?;
    if name == "zsh" {
        buf = zsh_either_way(buf);
    }
    out.write_all(&buf)?;
    Ok(())
}

/// clap's zsh script registers itself with `compdef`, which suits
/// `source <(troth completions zsh)`; saved as `_troth` on `$fpath`, zsh runs
/// the file as the completion function itself, so it must also complete
/// there and then — as zsh's own `#compdef` files do.
fn zsh_either_way(script: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&script);
    let register = "compdef _clap_dynamic_completer_troth troth";
    if !text.contains(register) {
        return script;
    }
    let both = "if [ \"${funcstack[1]}\" = \"_troth\" ]; then\n    _clap_dynamic_completer_troth \"$@\"\nelse\n    compdef _clap_dynamic_completer_troth troth\nfi";
    text.replacen(register, both, 1).into_bytes()
}

/// Where the completer looks: the ledger and "now".
#[derive(Clone)]
pub struct Lookup {
    pub db: Option<PathBuf>,
    pub now: Instant,
}

/// What the ledger knows that a person might type.
#[derive(Default)]
struct Known {
    /// Slugs with the promise's words (shown beside them by zsh and fish);
    /// promises still live come first.
    slugs: Vec<(String, String)>,
    /// me and partner, as `init` named them.
    us: Vec<String>,
    /// Everyone named on a promise, me and partner first.
    people: Vec<String>,
    /// Entries of the last 30 days, newest first, by id with what they were
    /// ("date-night kept Fri 20 Nov 21:10") — for confirm, dispute and void.
    entries: Vec<(String, String)>,
}

fn known(l: &Lookup) -> Known {
    let Some(db) = &l.db else { return Known::default() };
    let read = || -> Result<Known> {
        let ledger = Ledger::peek(db, l.now)?;
        let settings = ledger.settings()?;
        let agreements = ledger.agreements()?;
        let mut k = Known::default();
        let mut list: Vec<_> = agreements.iter().filter(|a| !a.is_void()).collect();
        list.sort_by_key(|a| !a.is_live(l.now));
        k.slugs = list.iter().map(|a| (a.slug.clone(), a.text.clone())).collect();
        k.us = vec![settings.default_by(), settings.default_to()];
        let slug_of: std::collections::HashMap<i64, &crate::domain::Agreement> =
            agreements.iter().map(|a| (a.id, a)).collect();
        let recent = ledger.entries_between(l.now - chrono::Duration::days(30), l.now + chrono::Duration::days(400))?;
        for e in recent.iter().rev().filter(|e| e.void.is_none()) {
            let Some(a) = slug_of.get(&e.agreement_id) else { continue };
            let when = crate::render::words::moment(e.at, a.zone, l.now);
            k.entries.push((e.id.to_string(), format!("{} {} {when} · {}", a.slug, e.outcome.name(), e.logged_by)));
        }
        k.people = k.us.clone();
        for a in &agreements {
            for n in [&a.by, &a.to] {
                if !k.people.contains(n) {
                    k.people.push(n.clone());
                }
            }
        }
        Ok(k)
    };
    read().unwrap_or_default()
}

fn matching(current: &OsStr, values: impl IntoIterator<Item = (String, Option<String>)>) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    values
        .into_iter()
        .filter(|(v, _)| v.starts_with(typed.as_ref()))
        .map(|(v, help)| CompletionCandidate::new(v).help(help.map(|h| one_line(&h).into())))
        .collect()
}

/// A promise's words as a shell shows them beside a slug: one line, no
/// control characters, at most 60 characters.
fn one_line(text: &str) -> String {
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect();
    words.join(" ").chars().take(60).collect()
}

/// The clap command with a value completer on every argument that names a
/// promise or a person.
fn with_completers(l: Lookup) -> clap::Command {
    let slugs = {
        let l = l.clone();
        ArgValueCompleter::new(move |current: &OsStr| {
            matching(current, known(&l).slugs.into_iter().map(|(s, text)| (s, Some(text))))
        })
    };
    let people = {
        let l = l.clone();
        ArgValueCompleter::new(move |current: &OsStr| {
            matching(current, known(&l).people.into_iter().map(|p| (p, None)))
        })
    };
    let entries = {
        let l = l.clone();
        ArgValueCompleter::new(move |current: &OsStr| {
            matching(current, known(&l).entries.into_iter().map(|(id, what)| (id, Some(what))))
        })
    };
    let us =
        ArgValueCompleter::new(move |current: &OsStr| matching(current, known(&l).us.into_iter().map(|p| (p, None))));
    let mut cmd = Cli::command().mut_arg("as_name", |a| a.add(us.clone()));
    // Subcommands' arguments are deferred (cli.rs): build them to reach them.
    cmd.build();
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |sub| {
            let ids: Vec<String> = sub.get_arguments().map(|a| a.get_id().to_string()).collect();
            let mut sub = sub;
            for id in ids {
                sub = match id.as_str() {
                    // `repair` takes an entry id or a promise: slugs help with the second.
                    "agreement" | "target" => sub.mut_arg(id, |a| a.add(slugs.clone())),
                    "by" | "to" => sub.mut_arg(id, |a| a.add(people.clone())),
                    "entry_id" => sub.mut_arg(id, |a| a.add(entries.clone())),
                    _ => sub,
                };
            }
            sub
        });
    }
    cmd
}

/// Answer a completion request and exit, when this run is one (`VAR` set);
/// otherwise return and let troth run as usual. Errors say nothing: a
/// shell's Tab is no place for them.
pub fn complete_if_asked(l: Lookup) {
    // Read before clap_complete clears it for any child processes.
    let asked = std::env::var_os(VAR).is_some_and(|v| !v.is_empty() && v != "0");
    let _ = CompleteEnv::with_factory(move || with_completers(l.clone()))
        .var(VAR)
        .bin("troth")
        .completer("troth")
        .try_complete(std::env::args_os(), std::env::current_dir().ok().as_deref())
        .map(|done| {
            if done {
                std::process::exit(0)
            }
        });
    if asked {
        std::process::exit(0);
    }
}
