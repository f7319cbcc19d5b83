//! Applying the folder: read what is new, in each device's chain order,
//! unseal, check and apply through the one door; name what waits, what is
//! unreadable, what is refused, and chains that fork (docs/design.md §9).

use super::{Envelope, Folder, Named, Report, SKEW_SECS, folder_error};
use super::{crypto, folder};
use crate::domain::settings::{SHARED_KEYS, Settings};
use crate::domain::time::{Instant, parse_rfc3339};
use crate::error::{Error, Result};
use crate::interchange::json::utc;
use crate::interchange::json::{self};
use crate::ledger::sync::{self as store, FileRow, SettingRow};
use crate::ledger::{Ledger, ts};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A file name, its size, and the hash of its bytes.
pub(super) type NameMemo = (String, i64, String);

/// A decrypted file waiting to be applied.
pub(super) struct Decoded {
    name: String,
    hash: String,
    env: Envelope,
}

pub(super) fn count_facts(env: &Envelope) -> i64 {
    let d = &env.facts;
    let a: usize = d.agreements.iter().map(|a| 1 + a.versions.len() + a.statuses.len() + a.void.0.len()).sum();
    let e: usize = d.entries.iter().map(|e| 1 + e.void.0.len()).sum();
    (a + e + env.settings.len() + d.verdicts.len() + d.repairs.len() + d.acceptances.len()) as i64
}

/// The latest time any fact in the file was made.
pub(super) fn latest_made(env: &Envelope) -> i64 {
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

pub(super) fn short(device: &str) -> &str {
    &device[..8.min(device.len())]
}

/// Read the folder: every troth file not yet published, applied or refused
/// here, decrypted; the unreadable and temporary ones named. With `rehash`
/// (an explicit `troth sync`) every file's bytes are hashed again rather
/// than known by name and size, so one changed in place after it was
/// applied here is named too.
pub(super) fn read_new(
    ledger: &Ledger,
    f: &Folder,
    ledger_uuid: &str,
    known: &HashMap<String, FileRow>,
    listing: &[folder::Listed],
    report: &mut Report,
    rehash: bool,
) -> Result<(Vec<Decoded>, Vec<NameMemo>)> {
    let memo = if rehash { HashMap::new() } else { store::names(ledger)? };
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
                let b = match folder::read(&f.path, l) {
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
            None => match folder::read(&f.path, l) {
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
pub(super) fn check_settings(env: &Envelope) -> Result<Vec<SettingRow>> {
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

/// How a decoded file is recorded, in the state it ended in.
fn file_row(d: &Decoded, state: &str, why: Option<String>) -> FileRow {
    FileRow {
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
    }
}

/// Apply one file in its own transaction; a usage error refuses it.
pub(super) fn apply_file(ledger: &mut Ledger, d: &Decoded, now: Instant) -> Result<std::result::Result<usize, String>> {
    let row = |state: &str, why: Option<String>| file_row(d, state, why);
    let result = (|| -> Result<usize> {
        let settings = check_settings(&d.env)?;
        let mut tx = ledger.write()?;
        let caught_up = store::caught_up(&tx)?;
        tx.set_origin(Some(&d.env.device));
        let mut n = 0;
        for s in &settings {
            if tx.add_setting_fact(s)? {
                n += 1;
            }
        }
        let applied = json::apply_in(&mut tx, &d.env.facts, now)?;
        tx.set_origin(None);
        // What came from a file is not this device's to publish.
        if caught_up {
            tx.set_marks(&store::last_ids(&tx)?)?;
        }
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
    apply_listed(ledger, f, now, full, folder::list(&f.path))
}

/// `apply`, given the folder's listing already read (once per command).
pub fn apply_listed(
    ledger: &mut Ledger,
    f: &Folder,
    now: Instant,
    full: bool,
    listing: std::io::Result<Vec<folder::Listed>>,
) -> Result<Report> {
    let mut report = Report::default();
    let listing = listing.map_err(|e| folder_error(&f.path, "read", e))?;
    let digest = folder::digest(&listing);
    if !full && store::listing(&*ledger)?.as_deref() == Some(digest.as_str()) {
        return Ok(report);
    }
    let id = ledger.identity()?;
    let known: HashMap<String, FileRow> = store::files(&*ledger)?.into_iter().map(|r| (r.hash.clone(), r)).collect();
    let (pending, new_names) = read_new(ledger, f, &id.ledger, &known, &listing, &mut report, full)?;
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
                let why = refuse_written_early(ledger, d, pw, now)?;
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
    report_waiting(&mut report, &waiting_future, &open);
    report.forks = forks(&store::files(&*ledger)?);
    let tx = ledger.write()?;
    tx.remember_names(&new_names)?;
    let settled = report.waiting.is_empty();
    tx.set_listing(if settled { Some(&digest) } else { None })?;
    tx.commit()?;
    Ok(report)
}

/// A file written more than the allowed skew before its predecessor from the
/// same device is refused, and recorded as such; the reason is returned.
fn refuse_written_early(ledger: &mut Ledger, d: &Decoded, prev_written: i64, now: Instant) -> Result<String> {
    let why = format!(
        "written at {}, more than 10 minutes before the file before it from that device ({})",
        utc(d.env.written),
        utc(prev_written)
    );
    let tx = ledger.write()?;
    tx.record_file(&file_row(d, "refused", Some(why.clone())), ts(now))?;
    tx.commit()?;
    Ok(why)
}

/// Name what waits: files made in this device's future, and files whose
/// predecessor has not arrived (or waits itself).
fn report_waiting(report: &mut Report, waiting_future: &[(&Decoded, i64)], open: &[&Decoded]) {
    for (d, made) in waiting_future {
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
}

/// Devices with two files naming the same predecessor.
pub(super) fn forks(files: &[FileRow]) -> Vec<Named> {
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
                "the chain of device {} forks after file {} (restored from an older backup, or a file gone from the folder and sent again); both branches were applied",
                short(&device),
                v[0].seq - 1
            ),
        })
        .collect()
}
