//! What the folder holds, read-only: each device's files and how far this
//! ledger has applied them (`sync status`), and `sync verify`'s check that
//! every fact published is here.

use super::apply::short;
use super::{Envelope, Folder, folder_error};
use super::{crypto, folder};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::ledger::sync::{self as store};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// Files of this device refused here (with every later one of its chain).
    pub refused: i64,
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
            refused: 0,
        },
    );
    for f in store::files(ledger)? {
        let d = out.entry(f.device.clone()).or_insert(DeviceStatus {
            device: f.device.clone(),
            person: None,
            files: 0,
            facts: 0,
            last: None,
            this: false,
            refused: 0,
        });
        if f.state == "refused" {
            d.refused += 1;
            if d.person.is_none() && !d.this {
                d.person = f.person.clone();
            }
            continue;
        }
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
    let files = read_all(f, &listing, &id.ledger, &mut v);
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
    // Facts "received from a device" are those of a device with files here:
    // an `import` of an old ledger's export keeps that ledger's device, which
    // never had files to take anything back from (this device publishes them).
    for r in &known {
        devices.insert(r.device.clone());
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

fn problem(device: Option<&str>, file: Option<&str>, p: String) -> Problem {
    Problem { device: device.map(str::to_string), file: file.map(str::to_string), problem: p }
}

/// Every file of the folder that opens as this ledger's, by hash; each one
/// that does not is a problem named.
fn read_all(
    f: &Folder,
    listing: &[folder::Listed],
    ledger: &str,
    v: &mut Verified,
) -> HashMap<String, (String, Envelope)> {
    let mut files: HashMap<String, (String, Envelope)> = HashMap::new();
    for l in listing {
        if folder::kind(&l.name) != folder::Kind::File {
            continue;
        }
        let bytes = match folder::read(&f.path, l) {
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
        if env.ledger != ledger {
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
    files
}
