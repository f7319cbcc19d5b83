//! `list`'s cache file (docs/design.md §7, "The list cache"): derived and
//! disposable, kept outside the ledger in `$XDG_CACHE_HOME/troth/`.
//!
//! Owns: where the file lives (one per ledger path; valid only for the
//! ledger and device uuids inside), its format (a checksummed JSON document), reading it —
//! anything corrupt, truncated, foreign, wrongly owned, readable by others
//! or from another program build is ignored, never an error — and writing
//! it privately under a temporary name then renaming it into place, so that
//! concurrent runs each leave a whole file. What the checkpoints mean is
//! `domain::checkpoint`'s; which promises a new fact touches is the ledger's.

use crate::domain::checkpoint::Checkpoint;
use crate::domain::settings::TrustParams;
use crate::domain::trust::Score;
use crate::ledger::{Ledger, Mark, Touched, from_ts, ts};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file's first line names the format; bump it when the document changes.
const MAGIC: &str = "troth-list-cache 1";
/// A cache file is a few kilobytes; anything much larger is not ours.
const MAX_BYTES: u64 = 8 << 20;

/// What a cache entry is valid for, beside the watermarks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Key {
    /// This program build: rules may change between builds of one version.
    program: String,
    ledger: String,
    device: String,
    path: String,
    /// `PRAGMA user_version` and the schema cookie.
    schema: (i64, i64),
    /// The trust parameters, to the bit.
    params: [u64; 3],
}

#[derive(Debug, Serialize, Deserialize)]
struct Doc {
    key: Key,
    marks: Vec<Mark>,
    promises: BTreeMap<i64, Saved>,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Saved {
    at: i64,
    trust: u64,
    kept: u32,
    total: u32,
}

/// What a usable cache file holds for this run.
pub struct Loaded {
    /// Checkpoints of the promises no new fact has touched.
    pub checkpoints: HashMap<i64, Checkpoint>,
    /// Facts were added since the file was written: write it again.
    pub stale: bool,
}

/// The cache of one on-disk ledger.
pub struct Cache {
    dir: PathBuf,
    file: PathBuf,
    key: Key,
}

impl Cache {
    /// The cache for `ledger`, or None: turned off, no home folder, or a
    /// ledger that lives only in memory.
    pub fn open(dir: Option<&Path>, ledger: &Ledger, params: &TrustParams) -> Option<Cache> {
        let dir = dir?.to_path_buf();
        let path = ledger.path.as_ref().filter(|_| !ledger.is_new())?;
        let path = std::fs::canonicalize(path).ok()?;
        let id = ledger.identity().ok()?;
        let key = Key {
            program: program()?,
            ledger: id.ledger,
            device: id.device,
            path: path.to_string_lossy().into_owned(),
            schema: ledger.schema_version().ok()?,
            params: [params.start.to_bits(), params.gain.to_bits(), params.loss.to_bits()],
        };
        // One file per ledger path: a ledger made again at the same path
        // (`demo`) replaces its predecessor's file instead of adding one;
        // the identity inside decides whether an entry is this ledger's.
        let name = hex(&Sha256::digest(key.path.as_bytes()));
        let file = dir.join(format!("list-{}.json", &name[..32]));
        Some(Cache { dir, file, key })
    }

    /// The saved checkpoints no fact has touched since, by promise id; None
    /// when there is no usable file (then every promise is computed afresh).
    pub fn load(&self, ledger: &Ledger) -> Option<Loaded> {
        let doc = self.read()?;
        if doc.key != self.key || !ledger.marks_hold(&doc.marks).ok()? {
            return None;
        }
        let touched = match ledger.touched_since(&doc.marks).ok()? {
            Touched::All => return None,
            Touched::Some(ids) => ids,
        };
        let checkpoints = doc
            .promises
            .into_iter()
            .map(|(id, s)| {
                let score = Score { trust: f64::from_bits(s.trust), kept: s.kept, total: s.total };
                (id, Checkpoint { at: from_ts(s.at), score })
            })
            // A new fact after the checkpoint is read with the rest since
            // then; one at or before it changes what the checkpoint says.
            .filter(|(id, c)| touched.get(id).is_none_or(|from| *from > c.at))
            .collect();
        Some(Loaded { checkpoints, stale: !touched.is_empty() })
    }

    /// Save checkpoints made from the facts up to `marks` (read before the
    /// facts, so a fact added meanwhile only touches its promise next time).
    /// Failing to save changes nothing: the cache is only a shortcut.
    pub fn save(&self, marks: Vec<Mark>, checkpoints: &HashMap<i64, Checkpoint>) {
        let promises = checkpoints
            .iter()
            .filter(|(_, c)| c.score.trust.is_finite())
            .map(|(id, c)| {
                let s = c.score;
                (*id, Saved { at: ts(c.at), trust: s.trust.to_bits(), kept: s.kept, total: s.total })
            })
            .collect();
        let doc = Doc { key: self.key.clone(), marks, promises };
        let Ok(body) = serde_json::to_vec(&doc) else { return };
        if private_dir(&self.dir).is_some() {
            let _ = write_atomic(&self.file, &body);
        }
    }

    fn read(&self) -> Option<Doc> {
        let meta = std::fs::symlink_metadata(&self.file).ok()?;
        if !meta.is_file() || !private(&meta) || meta.len() > MAX_BYTES {
            return None;
        }
        let bytes = std::fs::read(&self.file).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        let (magic, rest) = text.split_once('\n')?;
        let (sum, body) = rest.split_once('\n')?;
        if magic != MAGIC || sum != hex(&Sha256::digest(body.as_bytes())) {
            return None;
        }
        serde_json::from_str(body).ok()
    }
}

/// This build of the program: its version and its executable's size and time.
fn program() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{} {} {}", env!("CARGO_PKG_VERSION"), meta.len(), modified.as_nanos()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(unix)]
fn private(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == rustix::process::geteuid().as_raw() && meta.mode() & 0o077 == 0
}

#[cfg(not(unix))]
fn private(_: &std::fs::Metadata) -> bool {
    true
}

/// The cache folder, created private (0700) if missing; None when it is not
/// a folder of ours that only we can write.
fn private_dir(dir: &Path) -> Option<()> {
    // `~/.cache` may be made, but never a home folder that is not there
    // (HOME=/nonexistent for a service, a mistyped XDG_CACHE_HOME).
    if !dir.parent()?.parent()?.is_dir() {
        return None;
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).ok()?;
    let meta = std::fs::symlink_metadata(dir).ok()?;
    (meta.is_dir() && private(&meta)).then_some(())
}

/// Write under a unique temporary name (0600) and rename into place.
fn write_atomic(file: &Path, body: &[u8]) -> std::io::Result<()> {
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| std::io::Error::other(e.to_string()))?;
    let tmp = file.with_extension(format!("{}.{}.tmp", std::process::id(), hex(&nonce)));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = options.open(&tmp).and_then(|mut f| {
        f.write_all(format!("{MAGIC}\n{}\n", hex(&Sha256::digest(body))).as_bytes())?;
        f.write_all(body)?;
        f.flush()?;
        drop(f);
        std::fs::rename(&tmp, file)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
