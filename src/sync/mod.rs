//! Two partners, two devices (docs/design.md §9): journals in a shared folder.
//!
//! Each device adds files of its own to a folder that a sync tool (Syncthing,
//! Nextcloud, git, …) keeps the same on both; troth never opens a network
//! connection. A file is written once and never changed; it holds a batch of
//! facts (the one document type of `interchange::json`, applied through its
//! one door), the device's shared settings, and the hash of the device's
//! previous file, so each device's files form a chain. Everything is sealed
//! with a key derived from the pairing code (`crypto`); names are hashes.
//!
//! Applying goes in chain order; a file whose predecessor has not arrived
//! waits; an unreadable file is skipped and named; a refused file stops its
//! device's chain there. With nothing new in the folder a command compares a
//! digest of the listing and reads nothing else.

pub mod crypto;
pub mod folder;

mod apply;
mod publish;
mod verify;

pub use apply::{apply, apply_listed};
pub use publish::{publish, publish_in, publish_noting_clock, republish_lost};
pub use verify::{DeviceStatus, Problem, Verified, devices, verify, warn};

use crate::error::{Error, Result};
use crate::interchange::json::Document;
use crate::ledger::Ledger;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Clock skew allowed between devices (docs/design.md §9: ten minutes).
pub const SKEW_SECS: i64 = 10 * 60;

/// The plaintext of a folder file.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub ledger: String,
    pub device: String,
    /// `me` on the writing device, so the other can say whose files these are.
    #[serde(default)]
    pub person: Option<String>,
    pub seq: i64,
    /// SHA-256 (hex) of this device's previous file; None for its first.
    pub prev: Option<String>,
    /// When the file was written (UTC seconds).
    pub written: i64,
    #[serde(default)]
    pub settings: Vec<SettingFact>,
    pub facts: Document,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct SettingFact {
    pub uuid: String,
    pub key: String,
    pub value: String,
    pub set_at: i64,
}

/// The folder this ledger syncs through.
#[derive(Clone, Debug)]
pub struct Folder {
    pub path: PathBuf,
    pub key: Vec<u8>,
}

pub fn folder_of(ledger: &Ledger) -> Result<Option<Folder>> {
    if ledger.path.is_none() {
        return Ok(None);
    }
    Ok(ledger.sync_folder()?.map(|(p, key)| Folder { path: PathBuf::from(p), key }))
}

/// A file named in a report, with why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Named {
    pub device: Option<String>,
    pub file: String,
    pub why: String,
}

/// What one pass over the folder did.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Facts published / files written.
    pub published: usize,
    pub published_files: usize,
    /// Facts new here / files applied.
    pub applied: usize,
    pub applied_files: usize,
    /// By device: facts applied from it.
    pub applied_from: BTreeMap<String, (Option<String>, usize)>,
    pub waiting: Vec<Named>,
    pub refused: Vec<Named>,
    /// Unreadable files (garbage, truncated, a wrong key, a newer format).
    pub unreadable: Vec<Named>,
    /// Temporary and partial files of the sync tool (skipped, normal).
    pub temporary: Vec<Named>,
    /// Devices whose chain forks (restored from an old backup): both
    /// branches are applied.
    pub forks: Vec<Named>,
}

impl Report {
    pub fn failed(&self) -> bool {
        !self.refused.is_empty() || !self.unreadable.is_empty()
    }
}

pub(super) fn folder_error(dir: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::failure(format!("could not {what} the sync folder {}: {e}", dir.display()))
}
