//! The ledger's neighbourhood on disk: which paths belong to it (the file,
//! its `-wal`, `-shm` and `-journal`, its backups and temporary files), the
//! guard every output path passes so nothing troth writes lands on one of
//! them, and the one way troth writes an output file: private (0600) whether
//! or not it existed, through a temporary file in the same folder, fsynced
//! and renamed into place.
//!
//! Commands that write a file (`export -o`, `trend --svg`, `report -o`) call
//! [`write_output`]; anything else that takes an output path calls
//! [`guard_output_path`] first.

use crate::error::{Error, Result};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The ledger's companion files that SQLite and troth make beside it.
pub const COMPANIONS: &[&str] = &["-wal", "-shm", "-journal"];

/// `path` with `suffix` appended to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s: OsString = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Canonical form of a path that may not exist yet: its folder resolved
/// (symlinks followed), its name kept — or the whole path resolved when it
/// exists (a symlink to the ledger is the ledger).
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

/// Does this file name belong to the ledger named `ledger_name`?
fn is_companion_name(name: &str, ledger_name: &str) -> bool {
    let Some(rest) = name.strip_prefix(ledger_name) else { return false };
    rest.is_empty() || COMPANIONS.contains(&rest) || rest.starts_with(".bak") || rest.starts_with(".tmp")
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_a: &Path, _b: &Path) -> bool {
    false
}

/// The ledger's own files that exist now: itself, companions, backups.
fn ledger_files(ledger: &Path) -> Vec<PathBuf> {
    let mut out = vec![ledger.to_path_buf()];
    out.extend(COMPANIONS.iter().map(|s| with_suffix(ledger, s)));
    if let (Some(dir), Some(name)) = (ledger.parent(), ledger.file_name().and_then(|n| n.to_str())) {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                if let Some(n) = e.file_name().to_str()
                    && is_companion_name(n, name)
                {
                    out.push(e.path());
                }
            }
        }
    }
    out
}

/// Refuse a path for a new ledger that names a companion of an existing one
/// (`troth.db-wal` beside `troth.db`): SQLite would read it as that ledger's
/// journal.
pub fn guard_companion(path: &Path) -> Result<()> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return Ok(()) };
    let mut bases: Vec<&str> = COMPANIONS.iter().filter_map(|s| name.strip_suffix(s)).collect();
    for marker in [".bak", ".tmp"] {
        if let Some(i) = name.find(marker) {
            bases.push(&name[..i]);
        }
    }
    for base in bases {
        if !base.is_empty() && path.with_file_name(base).exists() {
            return Err(Error::usage(format!(
                "{} is a journal or backup name of the ledger {}; troth will not write there",
                crate::domain::time::printable(&path.display().to_string()),
                crate::domain::time::printable(base)
            ))
            .hint("choose another file name"));
        }
    }
    Ok(())
}

/// Refuse an output path that is the ledger, its `-wal`/`-shm`/`-journal`,
/// a backup or a temporary file of it — by name after resolving symlinks and
/// `..`, and by device and inode (a hard link or a symlink to one of them).
pub fn guard_output_path(ledger: &Path, out: &Path) -> Result<()> {
    let refuse = || {
        Error::usage(format!(
            "{} is the ledger or one of its own files (its journal or a backup); troth will not write over it",
            crate::domain::time::printable(&out.display().to_string())
        ))
        .hint("choose another file name, e.g. -o troth-export.json in your home folder")
    };
    let out_c = canonical(out);
    let ledger_c = canonical(ledger);
    if let (Some(o), Some(l)) = (&out_c, &ledger_c) {
        let same_dir = o.parent() == l.parent();
        if let (Some(on), Some(ln)) = (o.file_name().and_then(|n| n.to_str()), l.file_name().and_then(|n| n.to_str()))
            && same_dir
            && is_companion_name(on, ln)
        {
            return Err(refuse());
        }
    }
    if out.exists() {
        for f in ledger_files(ledger) {
            if same_file(out, &f) {
                return Err(refuse());
            }
        }
    }
    Ok(())
}

/// Write `bytes` to `out`, private to the user, never over the ledger.
///
/// A regular file (new or existing) is replaced atomically by a temporary
/// file in the same folder, written with mode 0600, fsynced and renamed into
/// place: a crash leaves the old file or the new one, and an existing file's
/// looser mode is not kept. Something that is not a regular file (a pipe,
/// `/dev/stdout`, `/dev/null`) is written to as it is.
pub fn write_output(ledger: &Path, out: &Path, bytes: &[u8]) -> Result<()> {
    guard_output_path(ledger, out)?;
    let shown = crate::domain::time::printable(&out.display().to_string());
    let fail = |e: std::io::Error| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => "its folder does not exist: create it, or give a file in another folder",
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                "choose a file in a folder you can write to, e.g. your home folder"
            }
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                "the disk is full: free some space, or give a file on another disk"
            }
            _ => "choose another file name",
        };
        Error::failure(format!("could not write {shown}: {e}")).hint(hint)
    };
    if let Ok(meta) = std::fs::metadata(out) {
        if meta.is_dir() {
            return Err(
                Error::usage(format!("{shown} is a folder")).hint("give a file name, e.g. -o troth-export.json")
            );
        }
        if !meta.is_file() {
            let mut f = std::fs::OpenOptions::new().write(true).open(out).map_err(fail)?;
            f.write_all(bytes).map_err(fail)?;
            return Ok(());
        }
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().ok_or_else(|| Error::usage(format!("{shown} is not a file name")))?;
    let mut tmp_name = OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".troth-tmp-{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()));
    let tmp = dir.join(tmp_name);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let result = (|| -> std::io::Result<()> {
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        // Resolve a symlink at `out` to the file it names, so the link stays.
        let target = match std::fs::symlink_metadata(out) {
            Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf()),
            _ => out.to_path_buf(),
        };
        std::fs::rename(&tmp, &target)?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companion_names() {
        for n in ["troth.db", "troth.db-wal", "troth.db-shm", "troth.db-journal", "troth.db.bak-v1", "troth.db.tmp-3"] {
            assert!(is_companion_name(n, "troth.db"), "{n}");
        }
        for n in ["troth.dbx", "other.db", "troth.db.json", "troth.d"] {
            assert!(!is_companion_name(n, "troth.db"), "{n}");
        }
    }

    #[test]
    fn the_ledger_is_refused_by_name_link_and_inode() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("troth.db");
        std::fs::write(&ledger, b"x").unwrap();
        assert!(guard_output_path(&ledger, &ledger).is_err());
        assert!(guard_output_path(&ledger, &dir.path().join("troth.db-wal")).is_err());
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(guard_output_path(&ledger, &dir.path().join("sub/../troth.db")).is_err());
        assert!(guard_output_path(&ledger, &dir.path().join("troth.db.bak-v1")).is_err());
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&ledger, &link).unwrap();
        assert!(guard_output_path(&ledger, &link).is_err());
        let hard = dir.path().join("hard.json");
        std::fs::hard_link(&ledger, &hard).unwrap();
        assert!(guard_output_path(&ledger, &hard).is_err());
        assert!(guard_output_path(&ledger, &dir.path().join("export.json")).is_ok());
    }

    #[test]
    fn an_existing_loose_file_becomes_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("troth.db");
        let out = dir.path().join("out.json");
        std::fs::write(&out, b"old").unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_output(&ledger, &out, b"new").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }
}
