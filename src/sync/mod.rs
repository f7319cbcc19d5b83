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

use crate::domain::settings::{SHARED_KEYS, Settings};
use crate::domain::time::{Instant, parse_rfc3339};
use crate::error::{Error, Result};
use crate::interchange::json::{
    self, AcceptanceDoc, AgreementDoc, Document, EntryDoc, RepairDoc, StatusDoc, VerdictDoc, VersionDoc, VoidDoc, Voids,
};
use crate::ledger::door::{self, VoidRow};
use crate::ledger::sync::{self as store, FileRow, NewFacts, SettingRow};
use crate::ledger::{Ledger, ts};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
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

use crate::interchange::json::utc;

fn folder_error(dir: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::failure(format!("could not {what} the sync folder {}: {e}", dir.display()))
}

// ---------- publishing ----------

/// Build the batch that carries `new`: every touched agreement with its
/// terms, statuses and voids; every touched entry with its voids.
fn batch(ledger: &crate::ledger::Tx<'_>, new: &NewFacts, now: Instant) -> Result<Document> {
    let mut doc = Document::empty(now);
    let mut uuids: HashMap<i64, String> = HashMap::new();
    let void_doc = |v: VoidRow| VoidDoc { uuid: v.uuid, reason: v.reason, at: utc(v.at), device: Some(v.device) };
    for &aid in &new.agreements {
        let Some(a) = door::agreement_by_id(ledger, aid)? else { continue };
        uuids.insert(aid, a.uuid.clone());
        let versions = door::versions_of(ledger, aid)?.into_iter().map(VersionDoc::from).collect();
        let statuses = door::statuses_of(ledger, aid)?.into_iter().map(StatusDoc::from).collect();
        let voids = store::voids_of(ledger, aid, false)?.into_iter().map(void_doc).collect();
        doc.agreements.push(AgreementDoc {
            uuid: a.uuid,
            slug: a.slug,
            text: a.text,
            by: a.by,
            to: a.to,
            zone: a.zone,
            starts: utc(a.starts),
            ends: a.ends.map(utc),
            remind: a.remind,
            created: utc(a.created),
            void: Voids(voids),
            versions,
            statuses,
            device: Some(a.device),
        });
    }
    let mut entry_uuids: HashMap<i64, String> = HashMap::new();
    for e in store::entries_by_id(ledger, &new.entries)? {
        entry_uuids.insert(e.id, e.uuid.clone());
        let Some(agreement) = uuids.get(&e.agreement_id).cloned() else { continue };
        let voids = store::voids_of(ledger, e.id, true)?.into_iter().map(void_doc).collect();
        doc.entries.push(EntryDoc {
            uuid: e.uuid,
            agreement,
            outcome: e.outcome,
            at: utc(e.at),
            note: e.note,
            logged_by: e.logged_by,
            logged_at: utc(e.logged_at),
            void: Voids(voids),
            device: Some(e.device),
        });
    }
    // The partner's voice (docs/design.md §10): each with what it names.
    for u in &new.verdicts {
        let Some(v) = crate::ledger::voice::verdict_by_uuid(ledger, u)? else { continue };
        let Some(entry) = entry_uuids.get(&v.entry_id).cloned() else { continue };
        doc.verdicts.push(VerdictDoc {
            uuid: v.uuid,
            entry,
            verdict: v.kind.name().into(),
            by: v.by,
            note: v.note,
            at: utc(ts(v.at)),
            device: v.device,
        });
    }
    for u in &new.repairs {
        let Some(r) = crate::ledger::voice::repair_by_uuid(ledger, u)? else { continue };
        let Some(agreement) = uuids.get(&r.agreement_id).cloned() else { continue };
        doc.repairs.push(RepairDoc {
            uuid: r.uuid,
            agreement,
            entry: r.entry_id.and_then(|e| entry_uuids.get(&e).cloned()),
            slot: r.slot_start.map(|t| utc(ts(t))),
            by: r.by,
            understood: r.understood,
            feeling: r.feeling,
            apology: r.apology,
            plan: r.plan,
            at: utc(ts(r.at)),
            device: r.device,
        });
    }
    for u in &new.acceptances {
        let Some(a) = crate::ledger::voice::acceptance_by_uuid(ledger, u)? else { continue };
        let Some(repair) = store::repair_uuid(ledger, a.repair_id)? else { continue };
        doc.acceptances.push(AcceptanceDoc {
            uuid: a.uuid,
            repair,
            by: a.by,
            note: a.note,
            at: utc(ts(a.at)),
            device: a.device,
        });
    }
    Ok(doc)
}

/// This device's latest file: the next one names it.
fn head(files: &[FileRow], device: &str) -> Option<FileRow> {
    files
        .iter()
        .filter(|f| f.device == device && f.state != "refused")
        .max_by(|a, b| (a.seq, a.written, &a.hash).cmp(&(b.seq, b.written, &b.hash)))
        .cloned()
}

/// Publish what this device made since its last file (with `all`, every
/// fact in the ledger: `sync setup`, `sync join`). Returns the facts written.
pub fn publish(ledger: &mut Ledger, f: &Folder, now: Instant, all: bool) -> Result<usize> {
    let id = ledger.identity()?;
    let person = ledger.settings()?.me;
    let tx = ledger.write()?;
    let new = store::new_facts(&tx, if all { None } else { Some(&id.device) }, !all)?;
    if new.is_empty() {
        tx.set_marks(&new.last)?;
        tx.commit()?;
        return Ok(0);
    }
    let doc = batch(&tx, &new, now)?;
    let files = store::files(&tx)?;
    let head = head(&files, &id.device);
    let env = Envelope {
        ledger: id.ledger.clone(),
        device: id.device.clone(),
        person: person.clone(),
        seq: head.as_ref().map_or(1, |h| h.seq + 1),
        prev: head.as_ref().map(|h| h.hash.clone()),
        written: ts(now),
        settings: new
            .settings
            .iter()
            .map(|s| SettingFact { uuid: s.uuid.clone(), key: s.key.clone(), value: s.value.clone(), set_at: s.set_at })
            .collect(),
        facts: doc,
    };
    let plain = serde_json::to_vec(&env)?;
    let bytes = crypto::seal(&f.key, &plain).map_err(Error::failure)?;
    let hash = crypto::sha256_hex(&bytes);
    let name = folder::name_for(&hash);
    folder::write_once(&f.path, &name, &bytes).map_err(|e| folder_error(&f.path, "write to", e))?;
    tx.record_file(
        &FileRow {
            hash: hash.clone(),
            name: name.clone(),
            device: id.device,
            person,
            seq: env.seq,
            prev: env.prev,
            written: env.written,
            facts: new.count as i64,
            state: "published".into(),
            why: None,
        },
        ts(now),
    )?;
    tx.remember_names(&[(name, bytes.len() as i64, hash)])?;
    tx.set_marks(&new.last)?;
    tx.commit()?;
    Ok(new.count)
}

// ---------- applying ----------

/// A file name, its size, and the hash of its bytes.
type NameMemo = (String, i64, String);

/// A decrypted file waiting to be applied.
struct Decoded {
    name: String,
    hash: String,
    env: Envelope,
}

fn count_facts(env: &Envelope) -> i64 {
    let d = &env.facts;
    let a: usize = d.agreements.iter().map(|a| 1 + a.versions.len() + a.statuses.len() + a.void.0.len()).sum();
    let e: usize = d.entries.iter().map(|e| 1 + e.void.0.len()).sum();
    (a + e + env.settings.len() + d.verdicts.len() + d.repairs.len() + d.acceptances.len()) as i64
}

/// The latest time any fact in the file was made.
fn latest_made(env: &Envelope) -> i64 {
    let t = |s: &str| parse_rfc3339(s).map(ts).unwrap_or(i64::MIN);
    let mut m = i64::MIN;
    for a in &env.facts.agreements {
        m = m.max(t(&a.created));
        for v in &a.versions {
            m = m.max(t(&v.created));
        }
        for s in &a.statuses {
            m = m.max(t(&s.created));
        }
        for v in &a.void.0 {
            m = m.max(t(&v.at));
        }
    }
    for e in &env.facts.entries {
        m = m.max(t(&e.logged_at));
        for v in &e.void.0 {
            m = m.max(t(&v.at));
        }
    }
    for s in &env.settings {
        m = m.max(s.set_at);
    }
    for v in &env.facts.verdicts {
        m = m.max(t(&v.at));
    }
    for r in &env.facts.repairs {
        m = m.max(t(&r.at));
    }
    for x in &env.facts.acceptances {
        m = m.max(t(&x.at));
    }
    m
}

fn short(device: &str) -> &str {
    &device[..8.min(device.len())]
}

/// Read the folder: every troth file not yet published, applied or refused
/// here, decrypted; the unreadable and temporary ones named.
fn read_new(
    ledger: &Ledger,
    f: &Folder,
    ledger_uuid: &str,
    known: &HashMap<String, FileRow>,
    listing: &[folder::Listed],
    report: &mut Report,
) -> Result<(Vec<Decoded>, Vec<NameMemo>)> {
    let memo = store::names(ledger)?;
    let mut new_names = Vec::new();
    let mut out: Vec<Decoded> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for l in listing {
        match folder::kind(&l.name) {
            folder::Kind::Tool => continue,
            folder::Kind::Temporary => {
                report.temporary.push(Named {
                    device: None,
                    file: l.name.clone(),
                    why: "a temporary or partial file of the sync tool (skipped)".into(),
                });
                continue;
            }
            folder::Kind::File => {}
        }
        let mut bytes = None;
        let hash = match memo.get(&l.name) {
            Some((size, hash)) if *size == l.size => hash.clone(),
            _ => {
                let b = match std::fs::read(f.path.join(&l.name)) {
                    Ok(b) => b,
                    Err(e) => {
                        report.unreadable.push(Named { device: None, file: l.name.clone(), why: e.to_string() });
                        continue;
                    }
                };
                let h = crypto::sha256_hex(&b);
                new_names.push((l.name.clone(), l.size, h.clone()));
                bytes = Some(b);
                h
            }
        };
        if known.contains_key(&hash) || !seen.insert(hash.clone()) {
            continue;
        }
        let bytes = match bytes {
            Some(b) => b,
            None => match std::fs::read(f.path.join(&l.name)) {
                Ok(b) => b,
                Err(e) => {
                    report.unreadable.push(Named { device: None, file: l.name.clone(), why: e.to_string() });
                    continue;
                }
            },
        };
        let plain = match crypto::open(&f.key, &bytes) {
            Ok(p) => p,
            Err(u) => {
                report.unreadable.push(Named { device: None, file: l.name.clone(), why: u.to_string() });
                continue;
            }
        };
        let env: Envelope = match serde_json::from_slice(&plain) {
            Ok(e) => e,
            Err(e) => {
                report.unreadable.push(Named {
                    device: None,
                    file: l.name.clone(),
                    why: format!("opens with the pairing code but cannot be read ({e})"),
                });
                continue;
            }
        };
        if env.ledger != ledger_uuid {
            report.unreadable.push(Named {
                device: Some(env.device.clone()),
                file: l.name.clone(),
                why: "belongs to another troth ledger".into(),
            });
            continue;
        }
        out.push(Decoded { name: l.name.clone(), hash, env });
    }
    out.sort_by(|a, b| (&a.env.device, a.env.seq, &a.hash).cmp(&(&b.env.device, b.env.seq, &b.hash)));
    Ok((out, new_names))
}

/// Check the shared settings a file carries, as `troth config` would.
fn check_settings(env: &Envelope) -> Result<Vec<SettingRow>> {
    let mut scratch = Settings::load_defaults();
    let mut out = Vec::new();
    for s in &env.settings {
        if !SHARED_KEYS.contains(&s.key.as_str()) {
            return Err(Error::usage(format!("the setting {} is not one that devices share", s.key)));
        }
        scratch.apply(&s.key, &s.value)?;
        let uuid = json::normal_uuid(&s.uuid)
            .ok_or_else(|| Error::usage(format!("the setting {} has no valid uuid", s.key)))?;
        if s.set_at > env.written + SKEW_SECS {
            return Err(Error::usage(format!("the setting {} takes effect before it was made", s.key)));
        }
        out.push(SettingRow { uuid, key: s.key.clone(), value: s.value.clone(), set_at: s.set_at });
    }
    Ok(out)
}

/// Apply one file in its own transaction; a usage error refuses it.
fn apply_file(ledger: &mut Ledger, d: &Decoded, now: Instant) -> Result<std::result::Result<usize, String>> {
    let row = |state: &str, why: Option<String>| FileRow {
        hash: d.hash.clone(),
        name: d.name.clone(),
        device: d.env.device.clone(),
        person: d.env.person.clone(),
        seq: d.env.seq,
        prev: d.env.prev.clone(),
        written: d.env.written,
        facts: count_facts(&d.env),
        state: state.into(),
        why,
    };
    let result = (|| -> Result<usize> {
        let settings = check_settings(&d.env)?;
        let mut tx = ledger.write()?;
        tx.set_origin(Some(&d.env.device));
        let mut n = 0;
        for s in &settings {
            if tx.add_setting_fact(s)? {
                n += 1;
            }
        }
        let applied = json::apply_in(&mut tx, &d.env.facts, now)?;
        tx.set_origin(None);
        tx.record_file(&row("applied", None), ts(now))?;
        tx.commit()?;
        Ok(n + applied.new)
    })();
    match result {
        Ok(n) => Ok(Ok(n)),
        Err(e) if e.exit_code() == 2 => {
            let why = e.message.clone();
            let tx = ledger.write()?;
            tx.record_file(&row("refused", Some(why.clone())), ts(now))?;
            tx.commit()?;
            Ok(Err(why))
        }
        Err(e) => Err(e),
    }
}

/// Apply what is new in the folder. With `full` false (the automatic pass
/// before every command) an unchanged listing is the whole cost.
pub fn apply(ledger: &mut Ledger, f: &Folder, now: Instant, full: bool) -> Result<Report> {
    let mut report = Report::default();
    let listing = folder::list(&f.path).map_err(|e| folder_error(&f.path, "read", e))?;
    let digest = folder::digest(&listing);
    if !full && store::listing(&*ledger)?.as_deref() == Some(digest.as_str()) {
        return Ok(report);
    }
    let id = ledger.identity()?;
    let known: HashMap<String, FileRow> = store::files(&*ledger)?.into_iter().map(|r| (r.hash.clone(), r)).collect();
    let (pending, new_names) = read_new(ledger, f, &id.ledger, &known, &listing, &mut report)?;
    // What each hash is now: applied (or published) with its written time, or refused.
    let mut done: HashMap<String, i64> =
        known.values().filter(|r| r.state != "refused").map(|r| (r.hash.clone(), r.written)).collect();
    let mut refused: HashSet<String> =
        known.values().filter(|r| r.state == "refused").map(|r| r.hash.clone()).collect();
    if full {
        for r in known.values().filter(|r| r.state == "refused") {
            report.refused.push(Named {
                device: Some(r.device.clone()),
                file: r.name.clone(),
                why: r.why.clone().unwrap_or_default(),
            });
        }
    }
    let mut open: Vec<&Decoded> = pending.iter().collect();
    let mut waiting_future: Vec<(&Decoded, i64)> = Vec::new();
    loop {
        let mut progress = false;
        let mut rest = Vec::new();
        for d in open {
            let prev_written = match &d.env.prev {
                None => Some(None),
                Some(p) => done.get(p).map(|w| Some(*w)),
            };
            let blocked = d.env.prev.as_ref().is_some_and(|p| refused.contains(p));
            if blocked {
                refused.insert(d.hash.clone());
                report.refused.push(Named {
                    device: Some(d.env.device.clone()),
                    file: d.name.clone(),
                    why: "comes after a refused file from the same device (not applied)".into(),
                });
                progress = true;
                continue;
            }
            let Some(prev_written) = prev_written else {
                rest.push(d);
                continue;
            };
            progress = true;
            if let Some(pw) = prev_written
                && d.env.written < pw - SKEW_SECS
            {
                let why = format!(
                    "written at {}, more than 10 minutes before the file before it from that device ({})",
                    utc(d.env.written),
                    utc(pw)
                );
                let tx = ledger.write()?;
                tx.record_file(
                    &FileRow {
                        hash: d.hash.clone(),
                        name: d.name.clone(),
                        device: d.env.device.clone(),
                        person: d.env.person.clone(),
                        seq: d.env.seq,
                        prev: d.env.prev.clone(),
                        written: d.env.written,
                        facts: count_facts(&d.env),
                        state: "refused".into(),
                        why: Some(why.clone()),
                    },
                    ts(now),
                )?;
                tx.commit()?;
                refused.insert(d.hash.clone());
                report.refused.push(Named { device: Some(d.env.device.clone()), file: d.name.clone(), why });
                continue;
            }
            let made = latest_made(&d.env);
            if made > ts(now) + SKEW_SECS {
                waiting_future.push((d, made));
                continue;
            }
            match apply_file(ledger, d, now)? {
                Ok(n) => {
                    done.insert(d.hash.clone(), d.env.written);
                    report.applied += n;
                    report.applied_files += 1;
                    let slot = report.applied_from.entry(d.env.device.clone()).or_insert((d.env.person.clone(), 0));
                    slot.1 += n;
                }
                Err(why) => {
                    refused.insert(d.hash.clone());
                    report.refused.push(Named { device: Some(d.env.device.clone()), file: d.name.clone(), why });
                }
            }
        }
        open = rest;
        if !progress || open.is_empty() {
            break;
        }
    }
    for (d, made) in &waiting_future {
        report.waiting.push(Named {
            device: Some(d.env.device.clone()),
            file: d.name.clone(),
            why: format!("made in this device's future ({}); waits until then", utc(*made)),
        });
    }
    let future: HashSet<&str> = waiting_future.iter().map(|(d, _)| d.hash.as_str()).collect();
    for d in open {
        let why = if d.env.prev.as_deref().is_some_and(|p| future.contains(p)) {
            "waits for the file before it from the same device (made in this device's future)".to_string()
        } else {
            format!("waits for file {} of that device, which has not arrived yet", d.env.seq - 1)
        };
        report.waiting.push(Named { device: Some(d.env.device.clone()), file: d.name.clone(), why });
    }
    report.forks = forks(&store::files(&*ledger)?);
    let tx = ledger.write()?;
    tx.remember_names(&new_names)?;
    let settled = report.waiting.is_empty();
    tx.set_listing(if settled { Some(&digest) } else { None })?;
    tx.commit()?;
    Ok(report)
}

/// Devices with two files naming the same predecessor.
fn forks(files: &[FileRow]) -> Vec<Named> {
    let mut by_prev: BTreeMap<(String, Option<String>), Vec<&FileRow>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.state != "refused") {
        by_prev.entry((f.device.clone(), f.prev.clone())).or_default().push(f);
    }
    by_prev
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|((device, _), v)| Named {
            device: Some(device.clone()),
            file: v.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
            why: format!(
                "the chain of device {} forks after file {} (restored from an older backup?); both branches were applied",
                short(&device),
                v[0].seq - 1
            ),
        })
        .collect()
}

/// The automatic pass: apply what is new, then (for a writing command,
/// after it ran) publish. Errors become one warning line.
pub fn warn(e: &Error) -> String {
    format!("warning: sync: {} (the command still did its work; troth tries again next time)", e.message)
}

// ---------- status and verify ----------

/// One device as `sync status` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct DeviceStatus {
    pub device: String,
    pub person: Option<String>,
    pub files: i64,
    pub facts: i64,
    pub last: Option<i64>,
    pub this: bool,
}

pub fn devices(ledger: &Ledger, me: Option<&str>) -> Result<Vec<DeviceStatus>> {
    let id = ledger.identity()?;
    let mut out: BTreeMap<String, DeviceStatus> = BTreeMap::new();
    out.insert(
        id.device.clone(),
        DeviceStatus {
            device: id.device.clone(),
            person: me.map(str::to_string),
            files: 0,
            facts: 0,
            last: None,
            this: true,
        },
    );
    for f in store::files(ledger)?.into_iter().filter(|f| f.state != "refused") {
        let d = out.entry(f.device.clone()).or_insert(DeviceStatus {
            device: f.device.clone(),
            person: None,
            files: 0,
            facts: 0,
            last: None,
            this: false,
        });
        d.files += 1;
        d.facts += f.facts;
        if d.last.is_none_or(|l| f.written >= l) {
            d.last = Some(f.written);
            if !d.this && f.person.is_some() {
                d.person = f.person.clone();
            }
        }
    }
    let mut v: Vec<DeviceStatus> = out.into_values().collect();
    v.sort_by(|a, b| (!a.this, &a.device).cmp(&(!b.this, &b.device)));
    Ok(v)
}

/// A problem `verify` found.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Problem {
    pub device: Option<String>,
    pub file: Option<String>,
    pub problem: String,
}

#[derive(Clone, Debug, Default)]
pub struct Verified {
    pub devices: usize,
    pub files: usize,
    pub problems: Vec<Problem>,
}

fn fact_uuids(env: &Envelope) -> Vec<String> {
    let mut out = Vec::new();
    for a in &env.facts.agreements {
        out.push(a.uuid.to_lowercase());
        out.extend(a.versions.iter().map(|v| v.uuid.to_lowercase()));
        out.extend(a.statuses.iter().map(|s| s.uuid.to_lowercase()));
        out.extend(a.void.0.iter().map(|v| v.uuid.to_lowercase()));
    }
    for e in &env.facts.entries {
        out.push(e.uuid.to_lowercase());
        out.extend(e.void.0.iter().map(|v| v.uuid.to_lowercase()));
    }
    out.extend(env.settings.iter().map(|s| s.uuid.to_lowercase()));
    out.extend(env.facts.verdicts.iter().map(|v| v.uuid.to_lowercase()));
    out.extend(env.facts.repairs.iter().map(|r| r.uuid.to_lowercase()));
    out.extend(env.facts.acceptances.iter().map(|x| x.uuid.to_lowercase()));
    out
}

/// Every device's chain intact, every file readable, every fact received
/// from a device still in that device's files (docs/design.md §9 "Verify").
pub fn verify(ledger: &Ledger, f: &Folder) -> Result<Verified> {
    let mut v = Verified::default();
    let id = ledger.identity()?;
    let listing = folder::list(&f.path).map_err(|e| folder_error(&f.path, "read", e))?;
    let mut files: HashMap<String, (String, Envelope)> = HashMap::new();
    let problem = |device: Option<&str>, file: Option<&str>, p: String| Problem {
        device: device.map(str::to_string),
        file: file.map(str::to_string),
        problem: p,
    };
    for l in &listing {
        if folder::kind(&l.name) != folder::Kind::File {
            continue;
        }
        let bytes = match std::fs::read(f.path.join(&l.name)) {
            Ok(b) => b,
            Err(e) => {
                v.problems.push(problem(None, Some(&l.name), format!("cannot be read: {e}")));
                continue;
            }
        };
        v.files += 1;
        let hash = crypto::sha256_hex(&bytes);
        let env = match crypto::open(&f.key, &bytes) {
            Ok(p) => match serde_json::from_slice::<Envelope>(&p) {
                Ok(e) => e,
                Err(e) => {
                    v.problems.push(problem(None, Some(&l.name), format!("cannot be read ({e})")));
                    continue;
                }
            },
            Err(u) => {
                v.problems.push(problem(None, Some(&l.name), format!("cannot be read: {u}")));
                continue;
            }
        };
        if env.ledger != id.ledger {
            v.problems.push(problem(Some(&env.device), Some(&l.name), "belongs to another troth ledger".into()));
            continue;
        }
        if !l.name.starts_with(&hash[..32]) {
            v.problems.push(problem(
                Some(&env.device),
                Some(&l.name),
                "its content is not the content written under this name (replaced)".into(),
            ));
        }
        files.insert(hash, (l.name.clone(), env));
    }
    let known = store::files(ledger)?;
    for r in &known {
        if r.state == "refused" {
            v.problems.push(problem(
                Some(&r.device),
                Some(&r.name),
                format!("refused: {}", r.why.clone().unwrap_or_default()),
            ));
        } else if !files.contains_key(&r.hash) {
            v.problems.push(problem(
                Some(&r.device),
                Some(&r.name),
                format!(
                    "file {} of device {} was {} here but is no longer in the folder (removed or replaced)",
                    r.seq,
                    short(&r.device),
                    if r.state == "published" { "written" } else { "applied" }
                ),
            ));
        }
    }
    let known_hashes: HashSet<&str> = known.iter().map(|r| r.hash.as_str()).collect();
    let mut devices: HashSet<String> = HashSet::new();
    devices.insert(id.device.clone());
    let mut by_device: HashMap<String, HashSet<String>> = HashMap::new();
    let mut names: Vec<(&String, &(String, Envelope))> = files.iter().collect();
    names.sort_by(|a, b| a.1.0.cmp(&b.1.0));
    for (_, (name, env)) in names {
        devices.insert(env.device.clone());
        by_device.entry(env.device.clone()).or_default().extend(fact_uuids(env));
        if let Some(p) = &env.prev
            && !files.contains_key(p)
            && !known_hashes.contains(p.as_str())
        {
            v.problems.push(problem(
                Some(&env.device),
                Some(name),
                format!("the file before it (file {} of device {}) is missing", env.seq - 1, short(&env.device)),
            ));
        }
    }
    for (device, _) in store::devices_with_facts(ledger)? {
        devices.insert(device);
    }
    let empty = HashSet::new();
    for device in &devices {
        if *device == id.device {
            continue;
        }
        let in_files = by_device.get(device).unwrap_or(&empty);
        let here = store::uuids_made_by(ledger, device)?;
        let missing = here.iter().filter(|u| !in_files.contains(&u.to_lowercase())).count();
        if missing > 0 {
            v.problems.push(problem(
                Some(device),
                None,
                format!(
                    "{missing} fact(s) received from device {} are in none of its files (a file was removed or replaced)",
                    short(device)
                ),
            ));
        }
    }
    v.devices = devices.len();
    Ok(v)
}
