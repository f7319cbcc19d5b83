//! Files troth writes for people to keep (`report -o`, `trend --svg`):
//! private to the user (0600), written whole under a temporary name and
//! renamed into place, and never onto the ledger, its `-wal`/`-shm` or a
//! backup (DESIGN.md §7).
//!
//! `refuse_ledger_path` is a plain canonical-path check; the ledger's own
//! guard for output paths replaces it where that exists.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The path with its folder resolved (symlinks, `..`), and the file itself
/// resolved when it exists (a symlink to the ledger is the ledger).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(parent.canonicalize().ok()?.join(name))
}

/// Refuse an output path that is the ledger, its `-wal` or `-shm`, or one of
/// its backups (`*.bak-v*`).
pub fn refuse_ledger_path(out: &Path, ledger: &Path, flag: &str) -> Result<()> {
    let Some(target) = resolved(out) else { return Ok(()) };
    let Some(db) = resolved(ledger) else { return Ok(()) };
    let db_name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let same_dir = target.parent() == db.parent();
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let is_ledger = target == db
        || (same_dir
            && (name == format!("{db_name}-wal")
                || name == format!("{db_name}-shm")
                || name.starts_with(&format!("{db_name}.bak"))));
    if is_ledger {
        return Err(Error::usage(format!(
            "{flag} {} would overwrite the ledger or one of its files",
            crate::domain::time::printable(&out.display().to_string())
        ))
        .hint("choose another file name, e.g. week.html in your home folder"));
    }
    Ok(())
}

/// Write `bytes` to `path`: 0600, under a temporary name in the same folder,
/// then renamed into place — a crash leaves the whole file or none.
pub fn write_private(path: &Path, ledger: &Path, flag: &str, bytes: &[u8]) -> Result<()> {
    refuse_ledger_path(path, ledger, flag)?;
    let shown = crate::domain::time::printable(&path.display().to_string());
    if path.is_dir() {
        return Err(Error::usage(format!("{flag} {shown} is a folder")).hint("give a file name, e.g. week.html"));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| Error::failure(format!("could not write {shown}: {e}"));
    // tempfile creates the file 0600 and removes it if anything fails.
    let mut tmp = tempfile::Builder::new().prefix(".troth-").suffix(".tmp").tempfile_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
