//! Opening the ledger without trusting anything on disk.
//!
//! Before SQLite touches a byte: the path must be a regular file (not a
//! folder, pipe or device), and the ledger, its folder, `-wal` and `-shm`
//! must belong to the user and not be writable by others (another local
//! user could otherwise plant a forged `-wal` that the next command would
//! read and checkpoint). The file is then inspected read-only: a SQLite file
//! that is not a troth ledger (any `user_version`, no troth application id or
//! schema), a negative `user_version`, or a newer schema is refused byte for
//! byte untouched — before WAL is switched on.
//!
//! A new ledger is built in memory (schema and home zone) and written only
//! when the command that creates it succeeds — under a temporary name,
//! fsynced, then linked into place — so a refused command creates nothing
//! and a crash leaves the whole ledger or none. A backup before an upgrade is
//! written the same way, so a partial backup is never mistaken for one.

use super::files::with_suffix;
use super::{APPLICATION_ID, Access, LATEST_VERSION, Ledger, migrate};
use crate::domain::time::{Instant, printable};
use crate::error::{Error, Result};
use chrono_tz::Tz;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a ledger `troth demo` made ("trod"): the demo
/// rebuilds only ledgers that carry it.
pub const DEMO_APPLICATION_ID: i64 = 0x7472_6f64;

fn shown(p: &Path) -> String {
    printable(&p.display().to_string())
}

/// What is at the ledger's path.
enum Found {
    Missing,
    /// A zero-length regular file: no ledger yet.
    Empty,
    File,
}

fn inspect(path: &Path) -> Result<Found> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(e) => return Err(Error::failure(format!("could not read the ledger {}: {e}", shown(path)))),
        Ok(_) => {}
    }
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::failure(format!("the ledger {} is a symbolic link to nothing usable ({e})", shown(path)))
            .hint("point --db or TROTH_DB at a troth ledger, or at a path where none exists yet")
    })?;
    if meta.is_dir() {
        return Err(Error::failure(format!("{} is a folder, not a troth ledger", shown(path)))
            .hint("give the ledger's file name, e.g. --db ~/.local/share/troth/troth.db"));
    }
    if !meta.is_file() {
        return Err(Error::failure(format!(
            "{} is not a regular file (a device, pipe or socket), so it cannot be a troth ledger",
            shown(path)
        ))
        .hint("point --db or TROTH_DB at a troth ledger, or at a path where none exists yet"));
    }
    Ok(if meta.len() == 0 { Found::Empty } else { Found::File })
}

/// The folder a path lives in ("." for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuse a file or folder that another user owns or can write.
#[cfg(unix)]
fn check_owner_and_mode(path: &Path, what: &str, follow: bool) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = if follow { std::fs::metadata(path) } else { std::fs::symlink_metadata(path) };
    let meta = match meta {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::failure(format!("could not read {what} {}: {e}", shown(path)))),
    };
    if meta.file_type().is_symlink() {
        return Err(Error::failure(format!(
            "{what} {} is a symbolic link; troth keeps intimate records and will not follow it",
            shown(path)
        ))
        .hint(format!("remove it if you did not make it: rm '{}'", shown(path))));
    }
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(Error::failure(format!(
            "{what} {} belongs to another user (uid {}); troth keeps intimate records and will not use it",
            shown(path),
            meta.uid()
        ))
        .hint(if meta.is_dir() {
            "keep the ledger in a folder of your own, e.g. ~/.local/share/troth".to_string()
        } else {
            format!("if it is yours, take it back: chown {me} '{}' (else remove it)", shown(path))
        }));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        let fix = if meta.is_dir() { "chmod go-w" } else { "chmod 600" };
        return Err(Error::failure(format!(
            "{what} {} can be written by other users (mode {:o}); troth keeps intimate records and will not use it",
            shown(path),
            mode & 0o1777
        ))
        .hint(if meta.is_dir() && mode & 0o1000 != 0 && shared_by_all(path) {
            // /tmp and its kind are shared by design: never advise chmod there.
            "a folder shared by everyone is no place for it: keep the ledger in a folder of your own, \
             e.g. ~/.local/share/troth"
                .to_string()
        } else {
            format!("make it private to you: {fix} '{}'", shown(path))
        }));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_and_mode(_path: &Path, _what: &str, _follow: bool) -> Result<()> {
    Ok(())
}

/// The ledger's folder (if it exists), the ledger, its `-wal` and `-shm`.
fn check_neighbourhood(path: &Path, ledger_exists: bool) -> Result<()> {
    let real = if ledger_exists {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    check_owner_and_mode(&folder_of(&real), "the ledger's folder", true)?;
    if ledger_exists {
        check_owner_and_mode(&real, "the ledger", true)?;
    }
    for suffix in ["-wal", "-shm"] {
        check_owner_and_mode(&with_suffix(&real, suffix), &format!("the ledger's {suffix} file"), false)?;
    }
    Ok(())
}

/// What a SQLite file says it is, read without changing it.
struct Header {
    version: i64,
    app_id: i64,
    tables: Vec<String>,
}

/// `path` as an SQLite URI that reads the main file only: no locks, no
/// `-wal` or `-shm` created or read, so looking changes nothing at all.
fn immutable_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for b in abs.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(*b as char),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

fn read_header(path: &Path) -> Result<Header> {
    let not_sqlite = || {
        Error::failure(format!("{} is not a troth ledger (it is not an SQLite database)", shown(path)))
            .hint("point --db or TROTH_DB at a troth ledger, or at a path where none exists yet")
    };
    // The header first, from the bytes: a file that is not SQLite, or that
    // another program marked as its own, is refused without opening it.
    let mut head = [0u8; 100];
    let mut f = std::fs::File::open(path)
        .map_err(|e| Error::failure(format!("could not read the ledger {}: {e}", shown(path))))?;
    std::io::Read::read_exact(&mut f, &mut head).map_err(|_| not_sqlite())?;
    if &head[..16] != b"SQLite format 3\0" {
        return Err(not_sqlite());
    }
    let be = |i: usize| i32::from_be_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]) as i64;
    let (version, app_id) = (be(60), be(68));
    // Marked by another program, or by troth: no need to look further (and
    // a troth ledger may be being written by another troth right now, which
    // an immutable read must not race with).
    if app_id != 0 {
        return Ok(Header { version, app_id, tables: Vec::new() });
    }
    // Only "not a database" means the file is not one; anything else (a
    // full disk, a lock held too long) is said as what it is.
    let why = |e: rusqlite::Error| {
        if matches!(&e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase) {
            not_sqlite()
        } else {
            Error::from(e)
        }
    };
    let conn = Connection::open_with_flags(
        immutable_uri(path),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(why)?;
    let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").map_err(why)?;
    let tables = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
        .map_err(why)?;
    Ok(Header { version, app_id, tables })
}

fn troth_tables(tables: &[String]) -> bool {
    ["agreements", "entries", "settings", "terms_versions"].iter().all(|t| tables.iter().any(|x| x == t))
}

/// Refuse what is not a troth ledger this program may write.
fn judge(path: &Path, h: &Header) -> Result<()> {
    let ours = h.app_id == APPLICATION_ID || h.app_id == DEMO_APPLICATION_ID;
    let foreign = || {
        Error::failure(format!("{} is an SQLite database but not a troth ledger", shown(path)))
            .hint("point --db or TROTH_DB at a troth ledger, or at a path where none exists yet; it was left untouched")
    };
    let empty = h.version == 0 && h.tables.is_empty() && h.app_id == 0;
    if empty {
        return Ok(());
    }
    let troth_without_id = h.app_id == 0 && h.version > 0 && troth_tables(&h.tables);
    if !ours && !troth_without_id {
        return Err(foreign());
    }
    if h.version < 0 || (h.version == 0 && (ours || !h.tables.is_empty())) {
        return Err(Error::failure(format!(
            "{} has a schema version troth never writes ({}); it may have been tampered with",
            shown(path),
            h.version
        ))
        .hint("restore the ledger from a backup (troth.db.bak-v…, or an export); it was left untouched"));
    }
    if h.version > LATEST_VERSION {
        return Err(Error::failure(format!(
            "{} was written by a newer troth (schema version {}; this troth knows up to {LATEST_VERSION})",
            shown(path),
            h.version
        ))
        .hint("install the newer troth to read it; the ledger was left untouched"));
    }
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

pub(super) fn open(
    path: &Path,
    access: Access,
    now: Instant,
    home_zone: impl FnOnce() -> Result<Tz>,
) -> Result<Ledger> {
    let found = inspect(path)?;
    let new = match found {
        Found::Missing | Found::Empty => true,
        Found::File => false,
    };
    check_neighbourhood(path, matches!(found, Found::File | Found::Empty))?;
    if new && access == Access::Write {
        super::files::guard_companion(path)?;
    }
    if new {
        // Nothing is written here: a reading command reads an empty ledger,
        // a writing one writes it to disk when it succeeds (`persist`).
        let zone = home_zone()?;
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::run(&mut conn)?;
        let mut ledger = Ledger { conn, path: None, create: None, now, pre_commit: None };
        ledger.ensure_home_zone(zone, now)?;
        if access == Access::Write {
            ledger.path = Some(path.to_path_buf());
            ledger.create = Some(path.to_path_buf());
        }
        return Ok(ledger);
    }
    let header = read_header(path)?;
    judge(path, &header)?;
    let mut conn = Connection::open(path)
        .map_err(|e| Error::failure(format!("could not open the ledger {}: {e}", shown(path))))?;
    configure(&conn)?;
    if access == Access::Read {
        // A reading command reads each page once (one promise's index range,
        // then the next): a 512 KiB page cache instead of SQLite's 2 MiB
        // default costs it nothing and keeps its peak memory small.
        conn.pragma_update(None, "cache_size", -512)?;
    }
    // The header as SQLite reads it, with the journal applied.
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let header = Header { version, ..header };
    judge(path, &header)?;
    if header.version > 0 && header.version < LATEST_VERSION {
        backup_before_upgrade(&conn, path, header.version)?;
    }
    if header.version < LATEST_VERSION {
        migrate::run(&mut conn)?;
    }
    Ok(Ledger { conn, path: Some(path.to_path_buf()), create: None, now, pre_commit: None })
}

/// A private file that did not exist, for troth's temporary copies.
fn create_new_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)
}

/// A temporary name beside `path` that the output guard knows as the ledger's.
fn temp_beside(path: &Path, what: &str) -> PathBuf {
    with_suffix(path, &format!(".tmp-{what}-{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()))
}

fn sync_folder(path: &Path) {
    if let Ok(d) = std::fs::File::open(folder_of(path)) {
        let _ = d.sync_all();
    }
}

/// `path` as an SQLite URI naming exactly that file. `VACUUM INTO` takes a
/// file name as text: a relative `file:x.db` would be read as a URI (another
/// file), and a name that is not UTF-8 would lose its bytes — the copy would
/// land elsewhere, world-readable, and the ledger be left empty. Every byte
/// the URI reader could take for syntax, or that is not ASCII, is
/// percent-encoded; an absolute path gets an empty authority (`file:///…`).
fn file_uri(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    let mut uri = String::from(if path.is_absolute() { "file://" } else { "file:" });
    for b in &bytes {
        match b {
            b'?' | b'#' | b'%' | 0..=0x20 | 0x7f.. => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(*b as char),
        }
    }
    uri
}

/// The system's folders for everyone's temporary files.
fn shared_by_all(folder: &Path) -> bool {
    let Ok(folder) = folder.canonicalize() else { return false };
    [PathBuf::from("/tmp"), PathBuf::from("/var/tmp"), PathBuf::from("/dev/shm"), std::env::temp_dir()]
        .iter()
        .any(|p| p.canonicalize().is_ok_and(|p| p == folder))
}

/// A complete copy of the database on `conn` at `dest`, or nothing: copied
/// to a temporary file, fsynced, then moved into place (`link` when `dest`
/// must not exist yet, `rename` when it replaces an older copy).
fn copy_to(conn: &Connection, dest: &Path, wal: bool, replace: bool) -> Result<bool> {
    let tmp = temp_beside(dest, "copy");
    let fail = |e: &dyn std::fmt::Display| Error::failure(format!("could not write {}: {e}", shown(dest)));
    let result = (|| -> Result<bool> {
        drop(create_new_private(&tmp).map_err(|e| fail(&e))?);
        conn.execute("VACUUM INTO ?1", [file_uri(&tmp)]).map_err(|e| fail(&e))?;
        if wal {
            let c = Connection::open(&tmp).map_err(|e| fail(&e))?;
            c.pragma_update(None, "journal_mode", "WAL").map_err(|e| fail(&e))?;
            drop(c);
        }
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| fail(&e))?;
        if replace {
            std::fs::rename(&tmp, dest).map_err(|e| fail(&e))?;
        } else {
            match std::fs::hard_link(&tmp, dest) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
                Err(e) => return Err(fail(&e)),
            }
        }
        sync_folder(dest);
        Ok(true)
    })();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&tmp, suffix));
    }
    result
}

fn backup_before_upgrade(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let backup = with_suffix(path, &format!(".bak-v{version}"));
    // Always a fresh, whole copy: a backup left by a crash is never trusted.
    copy_to(conn, &backup, false, true).map_err(|e| {
        Error::failure(format!("could not back up the ledger before upgrading it: {}", e.message))
            .hint("nothing was changed; free some space or check the folder's permissions")
    })?;
    Ok(())
}

/// Create the folders troth has to make for a new ledger, private to the user.
fn create_folder(path: &Path) -> Result<()> {
    let parent = folder_of(path);
    if parent.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&parent)
        .map_err(|e| Error::failure(format!("could not create the folder {} for the ledger: {e}", shown(&parent))))
}

impl Ledger {
    /// Does the file at `path` carry the demo's mark? (Read without changing it.)
    pub fn is_demo(path: &Path) -> Result<bool> {
        Ok(matches!(inspect(path)?, Found::File) && read_header(path).is_ok_and(|h| h.app_id == DEMO_APPLICATION_ID))
    }

    /// Mark a new ledger as the demo's own (before `persist`).
    pub fn mark_demo(&self) -> Result<()> {
        self.conn.pragma_update(None, "application_id", DEMO_APPLICATION_ID)?;
        Ok(())
    }

    /// Is this a new ledger that exists only in memory until `persist`?
    pub fn is_new(&self) -> bool {
        self.create.is_some()
    }

    /// Write a new ledger to disk, whole, under a temporary name then moved
    /// into place; a ledger that already existed needs nothing. Refused when
    /// another troth created a ledger at the same path meanwhile.
    pub fn persist(&mut self) -> Result<()> {
        let Some(path) = self.create.take() else { return Ok(()) };
        create_folder(&path)?;
        check_neighbourhood(&path, false)?;
        // An empty file at the path (`touch`) is replaced; anything else is not.
        let replace = matches!(inspect(&path)?, Found::Empty);
        if !copy_to(&self.conn, &path, true, replace)? {
            return Err(Error::raced(format!(
                "another troth created the ledger {} at the same moment; nothing was written here",
                shown(&path)
            ))
            .hint("run the command again"));
        }
        let conn = Connection::open(&path)
            .map_err(|e| Error::failure(format!("could not open the ledger {}: {e}", shown(&path))))?;
        configure(&conn)?;
        self.conn = conn;
        Ok(())
    }
}

/// Open an existing ledger only to look at it (shell completion): strictly
/// read-only, creating nothing — no ledger, no `-wal`/`-shm`, no migration, no
/// backup. Where no other process has the ledger open (no `-shm` beside
/// it), SQLite is told the file cannot change (`immutable=1`) and so takes
/// no locks and makes no files; otherwise it reads through the live journal.
/// A ledger of another schema version is not read.
pub(super) fn peek(path: &Path, now: Instant) -> Result<Ledger> {
    if !path.is_file() {
        return Err(Error::failure("no ledger"));
    }
    let mut uri = String::from("file:");
    // Every byte SQLite's URI reader could take for syntax, or that is not
    // ASCII, is percent-encoded: any file name survives.
    let name = path.to_str().ok_or_else(|| Error::failure("a ledger path that is not text"))?;
    for b in name.as_bytes() {
        match b {
            b'?' | b'#' | b'%' | 0..=0x20 | 0x7f.. => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(*b as char),
        }
    }
    let live = with_suffix(path, "-shm").exists();
    uri.push_str(if live { "?mode=ro" } else { "?mode=ro&immutable=1" });
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&uri, flags)?;
    conn.busy_timeout(std::time::Duration::from_millis(200))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != LATEST_VERSION {
        return Err(Error::failure("another schema version"));
    }
    Ok(Ledger { conn, path: Some(path.to_path_buf()), create: None, now, pre_commit: None })
}
