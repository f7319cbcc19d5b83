//! `troth man`: one self-contained man page, troth(1).
//!
//! Generated from the clap definitions (so every command and flag is there
//! and stays current) plus the sections a reader of a man page expects:
//! TERMS, WHEN AND DURATION, ENVIRONMENT, FILES, EXIT STATUS, EXAMPLES. Every
//! command is described on this page — there are no troth-NAME(1) pages to
//! point at. The text is escaped by the `roff` crate and wrapped to short
//! lines so that `mandoc -Tlint` has nothing to say.

use crate::cli::Cli;
use crate::error::Result;
use clap::CommandFactory;
use roff::{Roff, bold, italic, roman};
use std::io::Write;

/// The date of this page's content, shown in its title line (mandoc wants one).
const PAGE_DATE: &str = "2026-11-26";

/// The kinds of terms: what people type, and the canonical form stored.
const TERM_KINDS: [(&str, &str, &str); 5] = [
    ("quota", "2/month, 2 weekends a month, 3 times a week, twice a week, daily, weekly", "2/month, 3/week, 1/day"),
    (
        "schedule",
        "every fri 19:00, every mon,wed 07:30, every day 21:00, monthly on 1 09:00, every sat",
        "every mon,wed 07:30",
    ),
    (
        "fortnight",
        "every other fri 19:00, every 2 weeks on sat, once a fortnight",
        "every 2 weeks fri 19:00, 1/fortnight",
    ),
    ("deadline", "by 2026-12-01, by 2026-12-01 18:00, by saturday", "by 2026-12-01"),
    ("standing", "standing (the default): an ongoing rule, nothing is due", "standing"),
];

const ENVIRONMENT: [(&str, &str); 7] = [
    ("TROTH_DB", "The ledger file, as with --db."),
    ("TROTH_NOW", "An RFC 3339 instant used as now by every command (for tests and what-if questions)."),
    ("TROTH_ME", "Act as this person (me or partner) for one command, as with --as."),
    ("TROTH_SYNC_CODE", "The pairing code for sync join where there is no terminal to ask on."),
    ("TZ", "An IANA zone name; recorded as the ledger's home zone when the ledger is created."),
    ("NO_COLOR", "No colour. Colour is also off when standard output is not a terminal."),
    ("XDG_DATA_HOME", "Where the default ledger lives (see FILES)."),
];

const FILES: [(&str, &str); 3] = [
    (
        "$XDG_DATA_HOME/troth/troth.db",
        "The ledger (else ~/.local/share/troth/troth.db), private to you (0600, its folder 0700). It is \
         append-only: nothing in it is ever updated or deleted.",
    ),
    ("troth.db.bak-vN", "A private copy of the ledger taken before upgrading it from schema version N."),
    ("$XDG_DATA_HOME/troth/demo.db", "The demo's own ledger, rebuilt by each troth demo."),
];

const EXIT_STATUS: [(&str, &str); 3] = [
    ("0", "Success."),
    (
        "1",
        "A failure that is not the input's fault: an unreadable or newer ledger, no notification server, \
         a sync folder with files that could not be applied, a broken chain in verify.",
    ),
    (
        "2",
        "Bad input: an unknown promise or entry, terms or a date that cannot be read, a rule refused. \
         Nothing was changed.",
    ),
];

pub fn man(out: &mut dyn Write) -> Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut page = Roff::new();
    page.control("TH", ["TROTH", "1", PAGE_DATE, &format!("troth {}", env!("CARGO_PKG_VERSION")), "User Commands"]);

    page.control("SH", ["NAME"]);
    page.text([roman("troth - a private ledger of the promises two partners make")]);

    page.control("SH", ["SYNOPSIS"]);
    page.text([bold("troth"), roman(" ["), italic("global options"), roman("] "), italic("command"), roman(" ...")]);

    page.control("SH", ["DESCRIPTION"]);
    para_lines(
        &mut page,
        "troth keeps a private SQLite ledger of the explicit agreements two partners make, and of each time \
         one was kept, broken or excused. It shows what that adds up to: what was promised against what was \
         delivered, who is over-promising and what they could keep instead, and a trust score per promise \
         that starts at 0.50, rises in small steps with each kept promise and falls faster with each broken \
         or missed one. With a shared folder (Syncthing, git) two partners keep their own copies in step, \
         and the person a promise was made to can confirm, dispute, and accept a repair.",
    );

    page.control("SH", ["GLOBAL OPTIONS"]);
    options(&mut page, &cmd, true);

    page.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(&mut page, sub, "troth");
    }

    page.control("SH", ["TERMS"]);
    para_lines(&mut page, "What was promised, in one of four kinds (stored in the canonical form on the right):");
    for (kind, typed, canonical) in TERM_KINDS {
        page.control("TP", [] as [&str; 0]);
        page.text([bold(kind)]);
        para_lines(&mut page, &format!("{typed}; stored as {canonical}."));
    }

    page.control("SH", ["WHEN AND DURATION"]);
    para_lines(
        &mut page,
        "WHEN is 2026-11-20, \"2026-11-20 19:30\", an RFC 3339 time, today, yesterday, now, 3d ago or 2h ago, \
         in the promise's zone (else the home zone) unless an offset is given. A date alone means 12:00 for \
         --at, the start of the day for --starts, --since and --from, and the end of the day for --ends, \
         --until and by terms. DURATION is 30m, 2h, 1h30m, 1d or 1w; days and weeks are calendar days in the \
         zone, so 1d across a clock change lasts 23 or 25 hours.",
    );

    tagged(&mut page, "ENVIRONMENT", &ENVIRONMENT, false);

    tagged(&mut page, "FILES", &FILES, true);

    tagged(&mut page, "EXIT STATUS", &EXIT_STATUS, false);
    para(&mut page, "Errors are one line on standard error starting with error:, sometimes followed by hint: lines.");

    page.control("SH", ["EXAMPLES"]);
    page.control("nf", [] as [&str; 0]);
    for line in [
        "troth init --me Alex --partner Sam",
        "troth promise \"Date night every Friday\" --terms \"every fri 19:00\"",
        "troth kept date-night --note \"the little Italian place\"",
        "troth report --format markdown",
        "troth trend --weeks 12",
    ] {
        page.text([roman(line)]);
    }
    page.control("fi", [] as [&str; 0]);

    page.control("SH", ["SEE ALSO"]);
    page.text([bold("sqlite3"), roman("(1)")]);

    out.write_all(page.to_roff().as_bytes())?;
    Ok(())
}

/// A section of tagged paragraphs: each tag (a name in bold, a path in
/// italic) and what it means.
fn tagged(page: &mut Roff, heading: &str, items: &[(&str, &str)], path: bool) {
    page.control("SH", [heading]);
    for (name, what) in items {
        page.control("TP", [] as [&str; 0]);
        page.text([if path { italic(*name) } else { bold(*name) }]);
        para_lines(page, what);
    }
}

/// One command: its usage line, what it does, and its own options.
fn command(page: &mut Roff, cmd: &clap::Command, parent: &str) {
    let name = format!("{parent} {}", cmd.get_name());
    let subs: Vec<&clap::Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    page.control("SS", [name.as_str()]);
    let usage = cmd.clone().bin_name(&name).render_usage().to_string();
    let usage = usage.trim_start_matches("Usage:").trim();
    page.text([bold(usage.to_string())]);
    page.control("br", [] as [&str; 0]);
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        para_lines(page, &about.to_string());
    }
    if !cmd.get_aliases().collect::<Vec<_>>().is_empty() {
        let aliases: Vec<&str> = cmd.get_aliases().collect();
        para_lines(page, &format!("Also: {}.", aliases.join(", ")));
    }
    options(page, cmd, false);
    for sub in subs {
        command(page, sub, &name);
    }
}

/// The options of one command; with `globals`, only the global ones (shown once).
fn options(page: &mut Roff, cmd: &clap::Command, globals: bool) {
    for arg in cmd.get_arguments() {
        if arg.is_hide_set() || arg.is_global_set() != globals || arg.is_positional() {
            continue;
        }
        let id = arg.get_id().as_str();
        if matches!(id, "help" | "version") {
            continue;
        }
        let mut head = Vec::new();
        if let Some(s) = arg.get_short() {
            head.push(bold(format!("-{s}")));
            head.push(roman(", "));
        }
        if let Some(l) = arg.get_long() {
            head.push(bold(format!("--{l}")));
        }
        if arg.get_action().takes_values() {
            let value = arg.get_value_names().and_then(|v| v.first()).map(|v| v.to_string());
            head.push(roman(" "));
            head.push(italic(value.unwrap_or_else(|| id.to_uppercase())));
        }
        page.control("TP", [] as [&str; 0]);
        page.text(head);
        let help = arg.get_long_help().or(arg.get_help()).map(|h| h.to_string()).unwrap_or_default();
        let values: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
        let help = if values.is_empty() { help } else { format!("{help} (one of: {})", values.join(", ")) };
        para_lines(page, if help.is_empty() { "(no description)" } else { &help });
    }
}

/// A paragraph of its own.
fn para(page: &mut Roff, text: &str) {
    page.control("PP", [] as [&str; 0]);
    para_lines(page, text);
}

/// Text as short input lines (roff fills them into one paragraph again).
fn para_lines(page: &mut Roff, text: &str) {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > 70 {
            page.text([roman(std::mem::take(&mut line))]);
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        page.text([roman(line)]);
    }
}
