//! Command-line types only (clap derive). Stands alone: completions and the
//! man page are generated from these definitions. The contract is docs/cli.md.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A private ledger of the promises you make to each other, and of each time one was kept.
#[derive(Debug, Parser)]
#[command(name = "troth", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The ledger file (default: $XDG_DATA_HOME/troth/troth.db)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Print JSON on stdout instead of tables
    #[arg(long, global = true)]
    pub json: bool,

    /// Say more (ids of what was written)
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Act as this person for one command (`me` or `partner` of the ledger; also TROTH_ME)
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub as_name: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

// Deferred: a run builds the arguments of the one subcommand it runs, not
// of all thirty (clap's `defer`; help, man and completions build them all).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Name the two of you: promises default to --by ME --to PARTNER
    Init(InitArgs),
    /// Make a promise: what was said, and its terms
    Promise(PromiseArgs),
    /// List promises with their trust and follow-through
    List(ListArgs),
    /// One promise: terms history, slots, and the events behind its trust
    Show(ShowArgs),
    /// Log that a promise was kept
    Kept(LogArgs),
    /// Log that a promise was broken
    #[command(alias = "broken")]
    Broke(LogArgs),
    /// Release one unit by mutual agreement, before it is due
    Excuse(LogArgs),
    /// The entries logged, oldest first
    Log(LogListArgs),
    /// Mark an entry (or a promise entered by mistake) void; nothing is deleted
    Void(VoidArgs),
    /// Renegotiate a promise's terms, from the next slot on
    Amend(AmendArgs),
    /// Pause a promise from the next slot boundary
    Pause(StatusArgs),
    /// Resume a paused promise
    Resume(StatusArgs),
    /// Retire a promise for good
    Retire(StatusArgs),
    /// The weekly summary, to read together
    Report(ReportArgs),
    /// Trust week by week
    Trend(TrendArgs),
    /// Promises the record says are more than can be kept, and what could be promised instead
    Overpromising(OverpromisingArgs),
    /// What falls due soon
    Due(DueArgs),
    /// Walk through past-due slots no one logged yet
    Review,
    /// Send desktop reminders for what is due
    Remind(RemindArgs),
    /// Write the ledger out (json backup, csv, ics calendar)
    Export(ExportArgs),
    /// Merge a JSON export into this ledger (idempotent)
    Import(ImportArgs),
    /// Build a demo ledger and show what troth does
    Demo(DemoArgs),
    /// Show or change settings
    Config(ConfigArgs),
    /// Keep this ledger in step with your partner's through a shared folder
    Sync(SyncArgs),
    /// Check every device's chain of files in the sync folder
    Verify,
    /// Print shell completions
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
    /// Agree that an entry the other logged is how it was
    Confirm(ConfirmArgs),
    /// Say you saw an entry differently; it is held until you two talk
    Dispute(DisputeArgs),
    /// Offer a repair after a broken entry or a missed unit
    Repair(RepairArgs),
    /// Accept a repair offered to you: choosing to trust a little more
    Accept(AcceptArgs),
    /// What waits for you: entries to confirm, disputes, repairs
    Inbox,
}

#[derive(Debug, Args)]
pub struct ConfirmArgs {
    /// The entry id (`troth log` shows them)
    pub entry_id: String,
    /// What you would add
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct DisputeArgs {
    /// The entry id (`troth log` shows them)
    pub entry_id: String,
    /// What you saw
    #[arg(long, value_name = "TEXT", required = true)]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// A broken entry's id, or a promise (id or slug) with --slot
    pub target: String,
    /// A missed unit: the slot that holds WHEN
    #[arg(long, value_name = "WHEN")]
    pub slot: Option<String>,
    /// What happened, in your words
    #[arg(long, value_name = "TEXT")]
    pub understood: Option<String>,
    /// How it felt for the other
    #[arg(long, value_name = "TEXT")]
    pub feeling: Option<String>,
    /// An apology that owns the impact
    #[arg(long, value_name = "TEXT")]
    pub apology: Option<String>,
    /// A plan, if you have one
    #[arg(long, value_name = "TEXT")]
    pub plan: Option<String>,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// The repair id (`troth inbox` shows them)
    pub repair_id: String,
    /// What you would add
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Your name
    #[arg(long, value_name = "NAME")]
    pub me: Option<String>,
    /// Your partner's name
    #[arg(long, value_name = "NAME")]
    pub partner: Option<String>,
    /// The ledger's home zone (IANA name)
    #[arg(long, value_name = "IANA")]
    pub zone: Option<String>,
}

#[derive(Debug, Args)]
pub struct PromiseArgs {
    /// The words as they were said
    pub text: String,
    /// What exactly was promised: "2 weekends a month", "every fri 19:00", "by 2026-12-01", "standing"
    #[arg(long, value_name = "TERMS")]
    pub terms: Option<String>,
    /// A short handle (default: made from the text)
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    /// Who promised (default: `me`)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// To whom (default: `partner`)
    #[arg(long, value_name = "NAME")]
    pub to: Option<String>,
    /// The zone its slots are computed in (default: the ledger's home zone)
    #[arg(long, value_name = "IANA")]
    pub zone: Option<String>,
    /// When it starts (default: now)
    #[arg(long, value_name = "WHEN")]
    pub starts: Option<String>,
    /// When it ends
    #[arg(long, value_name = "WHEN")]
    pub ends: Option<String>,
    /// How long before it is due to remind
    #[arg(long, value_name = "DURATION")]
    pub remind: Option<String>,
    /// Promise it even though the record says it is more than can be kept
    #[arg(long)]
    pub anyway: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include retired and voided promises
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An id (3) or a slug (weekends)
    pub agreement: String,
    /// The whole history, however long (by default the most recent part,
    /// saying how many earlier rows there are)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// An id (3) or a slug (weekends)
    pub agreement: String,
    /// Why, in a few words (shown by `show`)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct AgreementArg {
    /// An id (3) or a slug (weekends)
    pub agreement: String,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// An id (3) or a slug (weekends)
    pub agreement: String,
    /// When it happened (default: now)
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// A note (up to 4,000 characters)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogListArgs {
    /// Only this promise
    pub agreement: Option<String>,
    /// From (inclusive)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Until (inclusive)
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// Include void entries
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct VoidArgs {
    /// The entry id
    #[arg(required_unless_present = "agreement", conflicts_with = "agreement")]
    pub entry_id: Option<String>,
    /// Void a whole promise entered by mistake
    #[arg(long, value_name = "AGREEMENT")]
    pub agreement: Option<String>,
    /// Why
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct AmendArgs {
    /// An id (3) or a slug (weekends)
    pub agreement: String,
    /// The new terms
    #[arg(long, value_name = "TERMS")]
    pub terms: String,
    /// Not before this time
    #[arg(long, value_name = "WHEN")]
    pub from: Option<String>,
    /// Why
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Amend even though the record says it is more than can be kept
    #[arg(long)]
    pub anyway: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
    Markdown,
    /// One self-contained page to read together (inline CSS and SVG)
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// this, last, or an ISO week like 2026-W47 (default: last)
    #[arg(long, value_name = "WEEK")]
    pub week: Option<String>,
    /// Only this person's promises
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ReportFormat>,
    /// Write to FILE (private to you) instead of the terminal
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How many weeks, ending with the one asked for (the html page)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub weeks: u32,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// One promise's trend
    pub agreement: Option<String>,
    /// One person's trend
    #[arg(long, value_name = "NAME", conflicts_with = "agreement")]
    pub by: Option<String>,
    /// How many weeks, the current one included
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub weeks: u32,
    /// Also draw an SVG chart into FILE (`-`: the chart alone on standard output)
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OverpromisingArgs {
    /// Only this person's promises
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// How many recent closed slots to judge (at least 3; default 8, or 28
    /// for daily terms)
    #[arg(long, value_name = "N")]
    pub slots: Option<u32>,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// How far ahead
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    pub within: String,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Print what would be sent; record nothing
    #[arg(long, conflicts_with = "watch")]
    pub dry_run: bool,
    /// Keep running, sending each reminder when its time comes
    #[arg(long)]
    pub watch: bool,
    /// Everyone's promises, not only `me`'s
    #[arg(long)]
    pub all: bool,
    /// Print a systemd user service and timer that run `troth remind`
    #[arg(long, conflicts_with_all = ["dry_run", "watch"])]
    pub systemd: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub action: Option<SyncAction>,
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Start syncing through DIR (a Syncthing, Nextcloud or git folder); prints the pairing code
    Setup(SyncDirArg),
    /// Join the ledger in DIR with the pairing code from the first device
    Join(SyncDirArg),
    /// This ledger, its devices, and what was applied, is waiting or was refused
    Status,
}

#[derive(Debug, Args)]
pub struct SyncDirArg {
    /// The folder both devices keep the same
    #[arg(value_name = "DIR")]
    pub dir: std::path::PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
    Ics,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "json", value_name = "FORMAT")]
    pub format: ExportFormat,
    /// Write to FILE (created private to you) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// ics: occurrences due from WHEN on (default: each promise's start)
    #[arg(long, value_name = "WHEN")]
    pub from: Option<String>,
    /// ics: occurrences due until WHEN (default: a year from now)
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `troth export --format json` (`-`: standard input)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Synthetic ledger: how many promises
    #[arg(long, value_name = "N", requires = "years")]
    pub agreements: Option<u32>,
    /// Synthetic ledger: how many years of history
    #[arg(long, value_name = "Y", requires = "agreements")]
    pub years: Option<u32>,
    /// Synthetic ledger: random seed
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// A setting: me, partner, zone, trust.start, trust.gain, trust.loss, overpromise.threshold, remind.quiet, remind.private
    pub key: Option<String>,
    /// Its new value
    pub value: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    pub shell: clap_complete::Shell,
}
