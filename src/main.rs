//! troth: parse arguments; read the clock and the environment; open the
//! ledger; run the command; map errors to exit codes. Nothing below this file
//! reads the real clock or the environment.

use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use troth::domain::time;
use troth::error::{Error, Result};
use troth::{Env, cli, commands, error, ledger};

fn main() {
    if std::env::var_os(commands::completions::VAR).is_some() {
        commands::completions::complete_if_asked(completion_lookup());
    }
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => exit_usage(e),
    };
    // A command that lost the race to create a new ledger wrote nothing (its
    // output is held until the ledger is on disk): it runs again, now on the
    // ledger the other one made, so twenty at once all land.
    let mut result = run(cli);
    for _ in 0..3 {
        match &result {
            Err(e) if matches!(e.kind, error::Kind::Raced) => {
                result = run(cli::Cli::try_parse().unwrap_or_else(|e| exit_usage(e)));
            }
            _ => break,
        }
    }
    let code = match result {
        Ok(()) => 0,
        Err(e) if matches!(e.kind, error::Kind::BrokenPipe) => 0,
        Err(e) => {
            let mut err = anstream::stderr().lock();
            // Messages quote input: nothing from it may reach the terminal raw.
            let _ = writeln!(err, "error: {}", time::scrub(&e.message));
            for h in &e.hints {
                let _ = writeln!(err, "hint: {}", time::scrub(h));
            }
            e.exit_code()
        }
    };
    std::process::exit(code);
}

/// Clap's own errors in troth's shape: clap's message as one `error:` line
/// (a list of missing arguments joined onto it, never re-prefixed line by
/// line), then its tips and the usage as `hint:` lines; exit 2. `troth`
/// alone names the commands in a `hint:` line after its `error:` line.
fn exit_usage(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // `--help > /dev/full` is a failure like any other output that was lost.
        if let Err(err) = e.print().and_then(|()| std::io::stdout().flush())
            && err.kind() != std::io::ErrorKind::BrokenPipe
        {
            let _ = writeln!(std::io::stderr(), "error: could not write the help: {err}");
            std::process::exit(1);
        }
        std::process::exit(0);
    }
    let mut err = anstream::stderr().lock();
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // One `error:` line and `hint:` lines, like every other error.
        let _ = writeln!(err, "error: troth needs a command, e.g. `troth list` or `troth promise \"…\"`");
        let cli = <cli::Cli as clap::CommandFactory>::command();
        let names: Vec<&str> = cli.get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name()).collect();
        let _ = writeln!(err, "hint: the commands: {}", names.join(", "));
        let _ = writeln!(err, "hint: `troth --help` says what each one does");
        std::process::exit(2);
    }
    let text = e.render().to_string();
    let mut message: Vec<&str> = Vec::new();
    let mut hints: Vec<String> = Vec::new();
    let mut in_message = true;
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() {
            in_message = false;
            continue;
        }
        if let Some(tip) = l.strip_prefix("tip: ") {
            hints.push(tip.to_string());
        } else if let Some(usage) = l.strip_prefix("Usage: ") {
            hints.push(format!("usage: {usage}"));
        } else if l.starts_with("For more information") {
            hints.push(l.trim_start_matches("For more information, ").to_string());
        } else if in_message {
            message.push(l.strip_prefix("error: ").unwrap_or(l));
        } else {
            hints.push(l.to_string());
        }
    }
    if e.kind() == ErrorKind::UnknownArgument
        && let Some(h) = stray_word_hint(&e)
    {
        hints.insert(0, h.to_string());
    }
    let message = message.join(" ");
    let message = if message.is_empty() { "bad arguments" } else { &message };
    let _ = writeln!(err, "error: {}", time::scrub(&shorten_words(message)));
    for h in hints {
        let _ = writeln!(err, "hint: {}", time::scrub(&shorten_words(&h)));
    }
    std::process::exit(2);
}

/// A word with no flag before it, after a command that takes one: the
/// usual slips are unquoted words (`troth promise Date night`) and a time or
/// a note without its flag (`troth kept walk yesterday`).
fn stray_word_hint(e: &clap::Error) -> Option<&'static str> {
    use clap::error::{ContextKind, ContextValue};
    let Some(ContextValue::String(stray)) = e.get(ContextKind::InvalidArg) else { return None };
    if stray.starts_with('-') {
        return None;
    }
    // The command is the first word that is neither a global flag nor its value.
    // (`args_os`: `args` would panic on a word that is not UTF-8.)
    let mut words = std::env::args_os().skip(1).map(|w| w.to_string_lossy().into_owned());
    let command = loop {
        let w = words.next()?;
        match w.as_str() {
            "--db" | "--as" => {
                words.next();
            }
            w if w.starts_with('-') => {}
            w => break w.to_string(),
        }
    };
    match command.as_str() {
        "promise" => Some(
            "put the promise's words in quotes, and its terms in --terms: troth promise \"date night\" --terms \"every fri 19:00\"",
        ),
        "kept" | "broke" | "broken" | "excuse" => {
            Some("a time goes in --at and words in --note: troth kept date-night --at yesterday --note \"…\"")
        }
        _ => None,
    }
}

/// Clap quotes what was typed whole: a 10,000-character argument would be
/// a 10,000-character error. Each word longer than 80 characters is cut to
/// its first 60, as troth's own messages quote input.
fn shorten_words(line: &str) -> String {
    line.split(' ')
        .map(|w| match w.char_indices().nth(80) {
            Some(_) => format!("{}…", w.chars().take(60).collect::<String>()),
            None => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a completion request looks (the shell is mid-line, so nothing is
/// parsed yet): `--db` among the words being completed, else `TROTH_DB`, else
/// the default ledger; `TROTH_NOW` or the clock. Nothing here may fail loudly.
fn completion_lookup() -> commands::completions::Lookup {
    let words: Vec<std::ffi::OsString> = std::env::args_os().skip_while(|a| a != "--").collect();
    let mut db = None;
    for (i, w) in words.iter().enumerate() {
        let w = w.to_string_lossy();
        if w == "--db" {
            db = words.get(i + 1).map(PathBuf::from);
        } else if let Some(p) = w.strip_prefix("--db=") {
            db = Some(PathBuf::from(p));
        }
    }
    let db = db
        .or_else(|| std::env::var_os("TROTH_DB").filter(|v| !v.is_empty()).map(PathBuf::from))
        .or_else(|| directories::ProjectDirs::from("", "", "troth").map(|d| d.data_dir().join("troth.db")));
    let now = std::env::var("TROTH_NOW").ok().and_then(|s| time::parse_rfc3339(&s)).unwrap_or_else(chrono::Utc::now);
    commands::completions::Lookup { db, now: ledger::from_ts(now.timestamp()) }
}

/// SQLite reads a file name that starts with `file:` as a URI naming another
/// file (`file:x.db` is `x.db`), so a ledger at the relative path `file:x.db`
/// would be written in one place and read from another. `./` in front makes
/// it the plain file name it is.
fn not_a_uri(p: PathBuf) -> PathBuf {
    if p.as_os_str().as_encoded_bytes().starts_with(b"file:") { PathBuf::from(".").join(p) } else { p }
}

fn run(cli: cli::Cli) -> Result<()> {
    let text_var = |name: &str| -> Result<Option<String>> {
        match std::env::var(name) {
            Ok(s) => Ok(Some(s)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(raw)) => Err(Error::usage(format!(
                "{name} is not valid text (UTF-8): \"{}\"",
                time::printable(&raw.to_string_lossy())
            ))
            .hint(format!("set {name} to plain text, or unset it"))),
        }
    };
    let tz = text_var("TZ")?;
    let now = match text_var("TROTH_NOW")?.ok_or(std::env::VarError::NotPresent) {
        Ok(s) if !s.is_empty() => time::parse_rfc3339(&s).ok_or_else(|| {
            // A well-formed time in the year 3000 is out of range, not unreadable.
            let what = match chrono::DateTime::parse_from_rfc3339(s.trim()) {
                Ok(_) => "is outside the years 1970–2999",
                Err(_) => "is not an RFC 3339 time",
            };
            Error::usage(format!("TROTH_NOW {what}: \"{}\"", time::printable(&s)))
                .hint("for example TROTH_NOW=2026-11-23T18:00:00+01:00")
        })?,
        _ => chrono::Utc::now(),
    };
    // Whole seconds: the ledger stores seconds, and "now" must compare equal to itself.
    let now = ledger::from_ts(now.timestamp());
    let dirs = directories::ProjectDirs::from("", "", "troth");
    let data_dir = dirs.as_ref().map(|d| d.data_dir().to_path_buf());
    // `TROTH_NO_CACHE=1` turns `list`'s disposable cache off (docs/design.md §7).
    let no_cache = std::env::var_os("TROTH_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0");
    let cache_dir = dirs.as_ref().map(|d| d.cache_dir().to_path_buf()).filter(|_| !no_cache);
    let default_db = || -> Result<PathBuf> {
        data_dir.clone().map(|d| d.join("troth.db")).ok_or_else(|| {
            Error::failure("could not find a home folder for the ledger").hint("set TROTH_DB or pass --db PATH")
        })
    };
    let env_db = std::env::var_os("TROTH_DB").filter(|v| !v.is_empty()).map(PathBuf::from);
    let db_flag = cli.db.is_some();
    let db = match (cli.db.clone(), env_db) {
        (Some(p), _) | (None, Some(p)) => not_a_uri(p),
        (None, None) => default_db()?,
    };
    // Elsewhere `-` is standard input or output; a ledger must be a file.
    if db.as_os_str() == "-" {
        return Err(Error::usage("--db -: a ledger is a file, not standard input or output")
            .hint("give a path, e.g. --db ./troth.db"));
    }
    let demo_db = data_dir.unwrap_or_else(std::env::temp_dir).join("demo.db");
    let env = Env {
        now,
        tz,
        db,
        db_flag,
        json: cli.json,
        verbose: cli.verbose,
        demo_db,
        interactive: std::io::IsTerminal::is_terminal(&std::io::stdin()),
        stdout_tty: std::io::IsTerminal::is_terminal(&std::io::stdout()),
        acting_as: match (cli.as_name.clone(), text_var("TROTH_ME")?.filter(|v| !v.is_empty())) {
            (Some(n), _) => Some((n, "--as")),
            (None, Some(n)) => Some((n, "TROTH_ME")),
            (None, None) => None,
        },
        sync_code: std::env::var("TROTH_SYNC_CODE").ok(),
        cache_dir,
    };
    let width = terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0 as usize);
    troth::render::set_width(width);
    let stdout = anstream::stdout();
    // A terminal sees each line as it comes; a pipe or a file gets whole
    // blocks (`show --json` of ten years is 80,000 lines: one write each
    // cost more than computing them). Prompts flush before they read. Where
    // styles are stripped, plain text skips the escape parser (render::plain).
    let mut out: Box<dyn Write> = if env.stdout_tty {
        Box::new(stdout.lock())
    } else if stdout.current_choice() == anstream::ColorChoice::Never {
        let plain = troth::render::plain::Plain::new(std::io::stdout().lock());
        Box::new(std::io::BufWriter::with_capacity(64 * 1024, plain))
    } else {
        Box::new(std::io::BufWriter::with_capacity(64 * 1024, stdout.lock()))
    };
    commands::run(&env, cli.command, &mut out)?;
    out.flush()?;
    Ok(())
}
