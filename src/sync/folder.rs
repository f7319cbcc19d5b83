//! The folder on disk: listing it, telling troth's files from a sync tool's
//! temporary ones, writing a file once (temporary name, fsync, rename, fsync
//! of the folder), and git as a transport (pull --rebase, commit, push).

use super::crypto::sha256_hex;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The suffix of troth's files. A file's name is the first 32 hex digits of
/// the SHA-256 of its bytes: it says nothing about what is inside.
pub const SUFFIX: &str = ".troth";

/// The largest file troth reads from the folder. Ten years of fifty
/// promises (a `sync setup` of a long ledger) make one file of about 28 MB;
/// a file far beyond that is not troth's, and is not read into memory.
pub const MAX_FILE: i64 = 256 * 1024 * 1024;

/// A folder file's bytes, unless it is larger than any troth file.
pub fn read(dir: &Path, l: &Listed) -> std::io::Result<Vec<u8>> {
    if l.size > MAX_FILE {
        return Err(std::io::Error::other(format!("{} MB, larger than any troth file (not read)", l.size / 1_000_000)));
    }
    std::fs::read(dir.join(&l.name))
}

/// One entry of the folder listing.
#[derive(Clone, Debug)]
pub struct Listed {
    pub name: String,
    pub size: i64,
}

/// What a name in the folder is.
#[derive(Debug, PartialEq)]
pub enum Kind {
    /// A troth file, or a sync tool's conflict copy of one: read it.
    File,
    /// A temporary or partial file of troth or the sync tool: skipped, named.
    Temporary,
    /// The sync tool's or git's own files (`.stfolder`, `.git`, …): ignored.
    Tool,
}

pub fn kind(name: &str) -> Kind {
    let lower = name.to_ascii_lowercase();
    // The desktop's own files in a shared folder (Windows, macOS) are not
    // anybody's troth files.
    if matches!(lower.as_str(), "desktop.ini" | "thumbs.db" | "icon\r") {
        return Kind::Tool;
    }
    if matches!(name, ".stfolder" | ".stignore" | ".stversions" | ".git" | ".gitignore" | ".gitattributes")
        || lower.starts_with(".st") && !lower.starts_with(".syncthing.") && !lower.ends_with(".tmp")
    {
        return Kind::Tool;
    }
    let temporary = lower.starts_with(".syncthing.")
        || lower.starts_with("~syncthing~")
        || lower.starts_with(".troth-tmp")
        || lower.ends_with(".tmp")
        || lower.ends_with(".part")
        || lower.ends_with(".partial")
        || lower.ends_with(".crdownload")
        || lower.starts_with(".~")
        || lower.starts_with('~');
    if temporary {
        return Kind::Temporary;
    }
    if name.starts_with('.') {
        return Kind::Tool;
    }
    Kind::File
}

/// The folder's entries (regular files), sorted by name.
pub fn list(dir: &Path) -> std::io::Result<Vec<Listed>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let Ok(meta) = e.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        out.push(Listed { name: e.file_name().to_string_lossy().into_owned(), size: meta.len() as i64 });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// A digest of the listing: equal digests mean nothing was added, removed
/// or resized.
pub fn digest(listing: &[Listed]) -> String {
    let mut text = String::new();
    for l in listing {
        text.push_str(&l.name);
        text.push('\0');
        text.push_str(&l.size.to_string());
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

/// The name a file with these bytes has in the folder.
pub fn name_for(hash: &str) -> String {
    format!("{}{SUFFIX}", &hash[..32])
}

/// Write `bytes` into `dir` as `name`, once: a temporary name in the same
/// folder, fsync, rename into place, fsync the folder. The file's times say
/// nothing (set to the epoch): the folder reveals no dates.
pub fn write_once(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let target = dir.join(name);
    if target.exists() {
        return Ok(target);
    }
    let mut rnd = [0u8; 8];
    getrandom::fill(&mut rnd).map_err(|e| std::io::Error::other(e.to_string()))?;
    let tmp = dir.join(format!(".troth-tmp-{}", sha256_hex(&rnd)[..16].to_owned()));
    let result = (|| {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        let epoch = std::time::UNIX_EPOCH + std::time::Duration::from_secs(946_684_800);
        let _ = f.set_times(std::fs::FileTimes::new().set_modified(epoch).set_accessed(epoch));
        drop(f);
        std::fs::rename(&tmp, &target)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map(|_| target)
}

/// Make the folder troth syncs through, private when troth creates it.
pub fn ensure_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

// ---------- git ----------

fn git(dir: &Path, args: &[&str]) -> std::io::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        // troth's commits say nothing about when: a fixed date.
        .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
}

fn git_ok(dir: &Path, args: &[&str]) -> Result<String, String> {
    match git(dir, args) {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        Ok(o) => Err(format!(
            "git {} failed: {}",
            args.first().copied().unwrap_or(""),
            String::from_utf8_lossy(&o.stderr).lines().next().unwrap_or("").trim()
        )),
        Err(e) => Err(format!("could not run git: {e}")),
    }
}

/// The folder is inside a git work tree that has a remote.
pub fn git_with_remote(dir: &Path) -> bool {
    if !dir.is_dir() {
        return false;
    }
    let inside = git_ok(dir, &["rev-parse", "--is-inside-work-tree"]).is_ok_and(|s| s == "true");
    inside && git_ok(dir, &["remote"]).is_ok_and(|s| !s.is_empty())
}

/// Bring in what the remote has (files are only ever added, so a rebase
/// never has to merge one). An empty remote has nothing to pull.
pub fn git_pull(dir: &Path) -> Result<(), String> {
    let has_upstream = git_ok(dir, &["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]).is_ok();
    if !has_upstream {
        // A fresh clone of an empty remote, or a branch not pushed yet.
        let remote = git_ok(dir, &["remote"])?.lines().next().unwrap_or("origin").to_string();
        let _ = git_ok(dir, &["fetch", &remote]);
        // `symbolic-ref`, not `rev-parse`: a fresh clone's branch has no commit yet.
        let branch = git_ok(dir, &["symbolic-ref", "--short", "HEAD"]).unwrap_or_default();
        if git_ok(dir, &["rev-parse", "--verify", &format!("{remote}/{branch}")]).is_ok() {
            git_ok(dir, &["pull", "--rebase", &remote, &branch])?;
        }
        return Ok(());
    }
    git_ok(dir, &["pull", "--rebase"]).map(|_| ())
}

/// Commit troth's new files and push, trying once more after a pull when
/// the push is rejected. Whether anything went to the remote.
pub fn git_commit_push(dir: &Path) -> Result<bool, String> {
    git_ok(dir, &["add", "--", &format!("*{SUFFIX}")]).or_else(|_| git_ok(dir, &["add", "-A", "."]))?;
    let staged = git(dir, &["diff", "--cached", "--quiet"]).map_err(|e| e.to_string())?;
    if !staged.status.success() {
        git_ok(dir, &["commit", "-q", "-m", "troth sync"])?;
    }
    let remote = git_ok(dir, &["remote"])?.lines().next().unwrap_or("origin").to_string();
    let branch = git_ok(dir, &["rev-parse", "--abbrev-ref", "HEAD"])?;
    if branch == "HEAD" {
        return Err("the git folder is not on a branch".into());
    }
    let ahead = git_ok(dir, &["rev-list", "--count", &format!("{remote}/{branch}..HEAD")]);
    if ahead.as_deref() == Ok("0") {
        return Ok(false);
    }
    if git_ok(dir, &["push", "-q", "-u", &remote, &branch]).is_ok() {
        return Ok(true);
    }
    git_ok(dir, &["pull", "--rebase", &remote, &branch])?;
    git_ok(dir, &["push", "-q", "-u", &remote, &branch]).map(|_| true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_told_apart() {
        assert_eq!(kind("0123456789abcdef0123456789abcdef.troth"), Kind::File);
        assert_eq!(kind("0123456789abcdef0123456789abcdef.sync-conflict-20261126-120000-ABCDEFG.troth"), Kind::File);
        assert_eq!(kind(".syncthing.0123.troth.tmp"), Kind::Temporary);
        assert_eq!(kind("~syncthing~0123.troth.tmp"), Kind::Temporary);
        assert_eq!(kind(".troth-tmp-abc"), Kind::Temporary);
        assert_eq!(kind(".stfolder"), Kind::Tool);
        assert_eq!(kind(".git"), Kind::Tool);
        assert_eq!(kind("desktop.ini"), Kind::Tool);
        assert_eq!(kind("Thumbs.db"), Kind::Tool);
    }
}
