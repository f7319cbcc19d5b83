//! The partner's voice (docs/design.md §10): `--as`/`TROTH_ME`, `confirm`,
//! `dispute`, `repair`, `accept` and `inbox` (a file each), and what they
//! share: whose voice this is, reading an id, an entry, its promise.
//!
//! Who may speak is checked here, before anything is written: only an
//! entry's other party gives a verdict, only the promisor offers a repair,
//! only the one it was promised to accepts it — once.

use crate::domain::time::{Instant, printable};
use crate::domain::trust::{self, Analysis};
use crate::domain::{Agreement, Entry, Fact, Settings};
use crate::error::{Error, Result};
use crate::ledger::Ledger;

mod accept;
mod inbox;
mod repair;
mod verdict;

pub use accept::accept;
pub use inbox::inbox;
pub use repair::repair;
pub use verdict::verdict;

/// `--as NAME` / `TROTH_ME`: act as `me` or `partner` of this ledger for one
/// command — the other becomes the partner.
pub fn act_as(mut settings: Settings, name: &str, source: &str) -> Result<Settings> {
    let (me, partner) = (settings.default_by(), settings.default_to());
    // The names as `init` set them, or the roles themselves: `--as me`,
    // `--as partner` (what CLI.md's "must be `me` or `partner`" reads as).
    if name == me || (name == "me" && partner != "me") {
        return Ok(settings);
    }
    if name == partner || name == "partner" {
        settings.me = Some(partner);
        settings.partner = Some(me);
        return Ok(settings);
    }
    let close = |known: &str| {
        known.to_lowercase() == name.to_lowercase()
            || strsim::damerau_levenshtein(&known.to_lowercase(), &name.to_lowercase()) <= 1
    };
    let mut err = Error::usage(format!(
        "{source} names \"{}\", who is neither of the two of you on this ledger ({me} and {partner})",
        printable(name)
    ));
    if let Some(known) = [&me, &partner].into_iter().find(|k| close(k)) {
        err = err.hint(format!("did you mean {known}?"));
    } else {
        err = err.hint(format!("use {source} {me} or {source} {partner}; `troth init` names the two of you"));
    }
    Err(err)
}

fn parse_id(arg: &str, what: &str, hint: &str) -> Result<i64> {
    let t = arg.trim().trim_start_matches('#');
    t.parse::<i64>().ok().filter(|n| *n > 0 && t.chars().all(|c| c.is_ascii_digit())).ok_or_else(|| {
        Error::usage(format!("\"{}\" is not {what} id; ids are whole numbers like 7", printable(arg))).hint(hint)
    })
}

fn load_entry(ledger: &Ledger, id: i64) -> Result<Entry> {
    ledger
        .entry(id)?
        .ok_or_else(|| Error::usage(format!("there is no entry #{id}")).hint("`troth log` shows each entry's id"))
}

/// Retirement is final (docs/design.md §1): once it has taken effect a
/// promise's record takes no verdict, repair or acceptance either — only
/// `void --agreement` still applies to it.
fn not_retired(x: &Agreement, now: Instant) -> Result<()> {
    match x.plan.retired_from().filter(|r| *r <= now) {
        Some(r) => Err(Error::usage(format!(
            "{} was retired from {}; retirement is final, so its record stays as it is",
            x.slug,
            crate::render::words::start(r, x.zone, now)
        ))
        .hint("`troth list --all` shows retired promises")),
        None => Ok(()),
    }
}

fn agreement_of(agreements: &[Agreement], id: i64) -> Result<&Agreement> {
    agreements.iter().find(|a| a.id == id).ok_or_else(|| Error::failure("the entry's promise could not be read"))
}

/// An agreement's analysis as of now, verdicts and repairs included.
fn analyse(ledger: &Ledger, x: &Agreement, now: Instant) -> Result<(Vec<Entry>, Analysis)> {
    let entries = ledger.entries(Some(x.id))?;
    let live: Vec<Fact> = entries.iter().filter(|e| e.void.is_none()).map(Into::into).collect();
    Ok((entries, trust::analyze(x, &live, now, now)))
}

fn names(people: &[&str]) -> String {
    people.join(" or ")
}
