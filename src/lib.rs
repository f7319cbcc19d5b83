//! troth: a private ledger of the promises two partners make, and of each
//! time one was kept. The library holds everything but `main`, so fuzz targets
//! and benchmarks can reach the parsers; the binary is `src/main.rs`.

pub mod cache;
pub mod cli;
pub mod commands;
pub mod domain;
pub mod error;
pub mod interchange;
pub mod ledger;
pub mod notify;
pub mod render;
pub mod sync;

use domain::time;
use error::{Error, Result};

use std::path::PathBuf;

/// Everything a command may know about the world, read once here.
pub struct Env {
    pub now: time::Instant,
    /// `TZ`, if set (validated only where it is used: creating a ledger).
    pub tz: Option<String>,
    pub db: PathBuf,
    /// `--db` was given on the command line (not `TROTH_DB`).
    pub db_flag: bool,
    pub json: bool,
    pub verbose: bool,
    /// Where `demo` keeps its own ledger.
    pub demo_db: PathBuf,
    /// Is stdin a terminal (for `review`)?
    pub interactive: bool,
    /// Is stdout a terminal? Logging then also shows how trust moved.
    pub stdout_tty: bool,
    /// `--as NAME`, else `TROTH_ME`: who is acting (§10), and where it came from.
    pub acting_as: Option<(String, &'static str)>,
    /// `TROTH_SYNC_CODE`: the pairing code for `sync join` without a terminal.
    pub sync_code: Option<String>,
    /// Where `list` keeps its disposable cache (`$XDG_CACHE_HOME/troth`);
    /// None with `TROTH_NO_CACHE=1` or without a home folder.
    pub cache_dir: Option<PathBuf>,
}

impl Env {
    /// The zone a new ledger records as home: `TZ` (an IANA name), else the
    /// system's zone, else UTC.
    pub fn home_zone(&self) -> Result<chrono_tz::Tz> {
        match &self.tz {
            // glibc also reads TZ as a tzfile path (`/usr/share/zoneinfo/Europe/Berlin`,
            // `:/usr/share/...`): the zone it names is the part after `zoneinfo/`.
            // `TZ=:/etc/localtime` (a link into zoneinfo) names the zone the link points to.
            Some(tz) if !tz.is_empty() => {
                let path = tz.strip_prefix(':').unwrap_or(tz);
                let linked = (path.starts_with('/') && !path.contains("zoneinfo/"))
                    .then(|| std::fs::canonicalize(path).ok())
                    .flatten()
                    .and_then(|p| p.to_str().map(str::to_string));
                let tz = linked.as_deref().filter(|p| p.contains("zoneinfo/")).unwrap_or(tz);
                time::parse_zone(tz.rsplit_once("zoneinfo/").map_or(tz, |(_, n)| n)).map_err(|e| {
                    Error::usage(format!("TZ: {e}"))
                        .hint("set TZ to an IANA zone name, e.g. TZ=Europe/Berlin, or unset it")
                })
            }
            _ => Ok(iana_time_zone::get_timezone().ok().and_then(|n| n.parse().ok()).unwrap_or(chrono_tz::UTC)),
        }
    }
}
