//! The one door for outside facts: the JSON document that `export` writes and
//! `import` (and `sync`) reads — one serde type, [`Document`], both ways — and
//! [`apply`], the ledger transaction that takes a batch of facts in.
//!
//! Every fact goes through the same validation as the command that makes it,
//! judged at the time the fact was made: entries not before their promise
//! starts, not after it ends, kept/broken not after they were logged; terms
//! not in force before the promise starts, nothing taking effect before it
//! was made (docs/design.md §9 "Applying"), deadlines due after the start, and the
//! same limits on slugs, names, texts and notes. Uuids are normalised
//! (lower-case, hyphenated); a uuid already here with different content is
//! refused and named. All or nothing: the first problem is named, exit 2.
//!
//! What two devices can honestly produce offline — an entry on a promise the
//! other device retired or voided, two amends, two voids of one entry, a late
//! excuse — is stored: docs/design.md §9–§10 decide what counts, so an export of a
//! synced ledger always imports.
//!
//! To add a fact kind (verdicts, repairs, acceptances): a field on
//! [`Document`] with `#[serde(default, skip_serializing_if = "Vec::is_empty")]`,
//! its check in `check`, its rows in `ledger::door`, and its step in `apply_in`.

use crate::commands::{validate_note, validate_slug, validate_text};
use crate::domain::Outcome;
use crate::domain::settings::{KEYS, Settings, validate_name};
use crate::domain::slots::{self, Status};
use crate::domain::terms::{self, Terms};
use crate::domain::time::{self, Instant, parse_rfc3339, parse_zone, printable, rfc3339};
use crate::error::{Error, Result};
use crate::ledger::door::{self, AgreementRow, EntryRow, ResultRow, VersionRow};
use crate::ledger::{Ledger, NewAgreement, Tx, from_ts, new_uuid, ts};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::HashMap;

mod voice;
pub use voice::{AcceptanceDoc, RepairDoc, VerdictDoc};

pub const FORMAT: &str = "troth-export";
pub const FORMAT_VERSION: i64 = 1;

/// How far a fact's own times may run ahead of this ledger's clock, or of the
/// fact it depends on (two devices' clocks differ a little).
pub const SKEW_SECS: i64 = 10 * 60;

/// The whole ledger, or any batch of its facts.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub version: i64,
    #[serde(default)]
    pub exported: Option<String>,
    /// Settings set on the exporting ledger (key → value as `config` prints it).
    #[serde(default)]
    pub settings: serde_json::Map<String, Value>,
    #[serde(default)]
    pub agreements: Vec<AgreementDoc>,
    #[serde(default)]
    pub entries: Vec<EntryDoc>,
    #[serde(default)]
    pub reminders: Vec<ReminderDoc>,
    /// The partner's voice (§10): verdicts on entries, repairs, acceptances.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdicts: Vec<VerdictDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<RepairDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acceptances: Vec<AcceptanceDoc>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgreementDoc {
    pub uuid: String,
    pub slug: String,
    pub text: String,
    pub by: String,
    pub to: String,
    pub zone: String,
    pub starts: String,
    pub ends: Option<String>,
    pub remind: Option<String>,
    pub created: String,
    #[serde(default)]
    pub void: Voids,
    pub versions: Vec<VersionDoc>,
    #[serde(default)]
    pub statuses: Vec<StatusDoc>,
    /// The device that made it (absent in files from before devices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VersionDoc {
    pub uuid: String,
    pub terms: String,
    pub unit: Option<String>,
    pub effective: String,
    pub note: Option<String>,
    pub created: String,
    /// The device that made it (absent in files from before devices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StatusDoc {
    pub uuid: String,
    pub status: String,
    pub effective: String,
    pub created: String,
    /// The device that made it (absent in files from before devices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VoidDoc {
    pub uuid: String,
    pub reason: Option<String>,
    pub at: String,
    /// The device that made it (absent in files from before devices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// The voids of one thing: `null`, one object, or (two devices voided the
/// same entry) a list of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Voids(pub Vec<VoidDoc>);

impl Serialize for Voids {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [] => s.serialize_none(),
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Voids {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(VoidDoc),
            Many(Vec<VoidDoc>),
        }
        Ok(match Option::<OneOrMany>::deserialize(d)? {
            None => Voids(Vec::new()),
            Some(OneOrMany::One(v)) => Voids(vec![v]),
            Some(OneOrMany::Many(v)) => Voids(v),
        })
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntryDoc {
    pub uuid: String,
    pub agreement: String,
    pub outcome: String,
    pub at: String,
    pub note: Option<String>,
    pub logged_by: String,
    pub logged_at: String,
    #[serde(default)]
    pub void: Voids,
    /// The device that made it (absent in files from before devices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReminderDoc {
    pub uuid: String,
    pub agreement: String,
    pub slot_start: String,
    pub claimed: String,
    pub result: Option<ReminderResultDoc>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReminderResultDoc {
    pub uuid: String,
    pub outcome: String,
    pub detail: Option<String>,
    pub at: String,
}

/// A stored time as the document writes it: RFC 3339 in UTC.
pub(crate) fn utc(t: i64) -> String {
    rfc3339(from_ts(t), chrono_tz::UTC)
}

impl From<VersionRow> for VersionDoc {
    fn from(v: VersionRow) -> VersionDoc {
        VersionDoc {
            uuid: v.uuid,
            terms: v.terms,
            unit: v.unit,
            effective: utc(v.effective),
            note: v.note,
            created: utc(v.created),
            device: Some(v.device),
        }
    }
}

impl From<door::StatusRow> for StatusDoc {
    fn from(s: door::StatusRow) -> StatusDoc {
        StatusDoc {
            uuid: s.uuid,
            status: s.status,
            effective: utc(s.effective),
            created: utc(s.created),
            device: Some(s.device),
        }
    }
}

impl Document {
    /// An empty batch, stamped `now`.
    pub fn empty(now: Instant) -> Document {
        Document {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            exported: Some(utc(ts(now))),
            settings: serde_json::Map::new(),
            agreements: Vec::new(),
            entries: Vec::new(),
            reminders: Vec::new(),
            verdicts: Vec::new(),
            repairs: Vec::new(),
            acceptances: Vec::new(),
        }
    }

    /// Read a document from bytes: UTF-8 JSON of this shape, or a usage
    /// error naming the line and column.
    pub fn parse(bytes: &[u8]) -> Result<Document> {
        let text = std::str::from_utf8(bytes).map_err(|e| bad("the file", format!("not UTF-8 text ({e})")))?;
        // A newer format is named as such even when its shape has changed.
        if let Ok(v) = serde_json::from_str::<Value>(text)
            && let Some(n) = v.get("version").and_then(Value::as_i64)
            && n > FORMAT_VERSION
            && v.get("format").and_then(Value::as_str) == Some(FORMAT)
        {
            return Err(newer(n));
        }
        serde_json::from_str(text).map_err(|e| bad(&format!("line {}, column {}", e.line(), e.column()), e))
    }

    /// The whole ledger, in a stable order.
    pub fn from_ledger(ledger: &Ledger, now: Instant) -> Result<Document> {
        let c = ledger;
        let mut doc = Document::empty(now);
        let set = door::settings_set(c)?;
        for key in KEYS {
            if let Some((_, v)) = set.iter().find(|(k, _)| k == key) {
                doc.settings.insert(key.to_string(), Value::String(v.clone()));
            }
        }
        let mut entry_voids: HashMap<i64, Vec<VoidDoc>> = HashMap::new();
        let mut agreement_voids: HashMap<i64, Vec<VoidDoc>> = HashMap::new();
        for v in door::voids(c)? {
            let d = VoidDoc { uuid: v.uuid, reason: v.reason, at: utc(v.at), device: Some(v.device) };
            match (v.entry_id, v.agreement_id) {
                (Some(e), _) => entry_voids.entry(e).or_default().push(d),
                (None, Some(a)) => agreement_voids.entry(a).or_default().push(d),
                (None, None) => {}
            }
        }
        let rows = door::agreements(c)?;
        let uuid_of: HashMap<i64, String> = rows.iter().map(|a| (a.id, a.uuid.clone())).collect();
        for a in rows {
            let versions = door::versions_of(c, a.id)?.into_iter().map(VersionDoc::from).collect();
            let statuses = door::statuses_of(c, a.id)?.into_iter().map(StatusDoc::from).collect();
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
                void: Voids(agreement_voids.remove(&a.id).unwrap_or_default()),
                versions,
                statuses,
                device: Some(a.device),
            });
        }
        for e in door::entries(c)? {
            let Some(agreement) = uuid_of.get(&e.agreement_id) else { continue };
            doc.entries.push(EntryDoc {
                uuid: e.uuid,
                agreement: agreement.clone(),
                outcome: e.outcome,
                at: utc(e.at),
                note: e.note,
                logged_by: e.logged_by,
                logged_at: utc(e.logged_at),
                void: Voids(entry_voids.remove(&e.id).unwrap_or_default()),
                device: Some(e.device),
            });
        }
        for r in door::claims(c)? {
            let Some(agreement) = uuid_of.get(&r.agreement_id) else { continue };
            let result = door::result_of_claim(c, r.id)?.map(|x| ReminderResultDoc {
                uuid: x.uuid,
                outcome: x.outcome,
                detail: x.detail,
                at: utc(x.at),
            });
            doc.reminders.push(ReminderDoc {
                uuid: r.uuid,
                agreement: agreement.clone(),
                slot_start: utc(r.slot_start),
                claimed: utc(r.claimed),
                result,
            });
        }
        voice::export(ledger, &mut doc)?;
        Ok(doc)
    }
}

/// What a batch did: facts new here, facts already here (skipped).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    pub new: usize,
    pub skipped: usize,
    pub agreements: usize,
    pub entries: usize,
    pub voids: usize,
    /// Slugs taken here by another promise: (the file's, the one stored).
    pub renamed: Vec<(String, String)>,
}

fn bad(at: &str, what: impl std::fmt::Display) -> Error {
    Error::usage(format!("the import file is not a valid troth export: {at}: {what}"))
        .hint("nothing was imported; the file must come from `troth export --format json`")
}

fn newer(n: i64) -> Error {
    Error::usage(format!(
        "the import file was written by a newer troth (export format {n}; this troth reads up to {FORMAT_VERSION})"
    ))
    .hint("nothing was imported; install the newer troth to read it")
}

/// A fact that is wrong in itself, or contradicts what is here.
fn refuse(at: &str, uuid: &str, why: impl std::fmt::Display) -> Error {
    Error::usage(format!("refused {at} (uuid {uuid}): {why}")).hint("nothing was applied; the ledger is as it was")
}

// ---------- checking a document on its own ----------

fn time_at(at: &str, s: &str) -> Result<i64> {
    parse_rfc3339(s)
        .map(ts)
        .ok_or_else(|| bad(at, format!("\"{}\" is not an RFC 3339 time from 1970–2999", printable(s))))
}

/// A uuid in its one stored form: lower-case, hyphenated.
pub fn normal_uuid(s: &str) -> Option<String> {
    uuid::Uuid::parse_str(s.trim()).ok().map(|u| u.hyphenated().to_string())
}

fn uuid_at(at: &str, s: &str) -> Result<String> {
    normal_uuid(s).ok_or_else(|| bad(at, format!("\"{}\" is not a uuid", printable(s))))
}

fn device_at(at: &str, d: &Option<String>) -> Result<Option<String>> {
    match d {
        None => Ok(None),
        Some(d) => match normal_uuid(d) {
            Some(u) if !u.starts_with("00000000-0000-0000-0000") => Ok(Some(u)),
            _ => Err(bad(at, format!("\"{}\" is not a device uuid", printable(d)))),
        },
    }
}

fn note_at(at: &str, s: &Option<String>) -> Result<Option<String>> {
    validate_note(s.as_deref()).map_err(|e| bad(at, e.message))
}

struct VoidFact {
    path: String,
    device: Option<String>,
    uuid: String,
    reason: Option<String>,
    at: i64,
}

struct VersionFact {
    path: String,
    device: Option<String>,
    uuid: String,
    terms: Terms,
    unit: Option<String>,
    effective: i64,
    note: Option<String>,
    created: i64,
}

struct StatusFact {
    path: String,
    device: Option<String>,
    uuid: String,
    status: Status,
    effective: i64,
    created: i64,
}

struct AgreementFact {
    path: String,
    device: Option<String>,
    row: AgreementRow,
    voids: Vec<VoidFact>,
    versions: Vec<VersionFact>,
    statuses: Vec<StatusFact>,
}

struct EntryFact {
    path: String,
    device: Option<String>,
    row: EntryRow,
    agreement: String,
    voids: Vec<VoidFact>,
}

struct ReminderFact {
    path: String,
    uuid: String,
    agreement: String,
    slot_start: i64,
    claimed: i64,
    result: Option<(String, ResultRow)>,
}

/// The document's facts, each checked on its own and normalised.
struct Batch {
    settings: Vec<(String, String)>,
    agreements: Vec<AgreementFact>,
    entries: Vec<EntryFact>,
    reminders: Vec<ReminderFact>,
    voice: voice::VoiceBatch,
}

fn voids_at(at: &str, v: &Voids) -> Result<Vec<VoidFact>> {
    v.0.iter()
        .enumerate()
        .map(|(k, v)| {
            let p = if k == 0 { format!("{at}.void") } else { format!("{at}.void[{k}]") };
            Ok(VoidFact {
                device: device_at(&format!("{p}.device"), &v.device)?,
                uuid: uuid_at(&format!("{p}.uuid"), &v.uuid)?,
                reason: note_at(&format!("{p}.reason"), &v.reason)?,
                at: time_at(&format!("{p}.at"), &v.at)?,
                path: p,
            })
        })
        .collect()
}

fn check(doc: &Document) -> Result<Batch> {
    if doc.format != FORMAT {
        return Err(bad("format", format!("expected \"{FORMAT}\"")));
    }
    if doc.version > FORMAT_VERSION {
        return Err(newer(doc.version));
    }
    if doc.version < 1 {
        return Err(bad("version", "must be 1 or more"));
    }
    let mut settings = Vec::new();
    let mut scratch = Settings::load_defaults();
    for (k, v) in &doc.settings {
        let raw = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        scratch.apply(k, &raw).map_err(|e| bad(&format!("settings.{}", printable(k)), e.message))?;
        settings.push((k.clone(), scratch.get(k)?));
    }
    let mut agreements = Vec::new();
    for (i, a) in doc.agreements.iter().enumerate() {
        let at = format!("agreements[{i}]");
        let p = |f: &str| format!("{at}.{f}");
        let uuid = uuid_at(&p("uuid"), &a.uuid)?;
        let slug = validate_slug(a.slug.trim()).map_err(|e| bad(&p("slug"), e.message))?;
        let text = validate_text(&a.text).map_err(|e| bad(&p("text"), e.message))?;
        let by = validate_name(&a.by).map_err(|e| bad(&p("by"), e.message))?;
        let to = validate_name(&a.to).map_err(|e| bad(&p("to"), e.message))?;
        let zone: Tz = parse_zone(&a.zone).map_err(|e| bad(&p("zone"), e))?;
        let starts = time_at(&p("starts"), &a.starts)?;
        let ends = a.ends.as_deref().map(|e| time_at(&p("ends"), e)).transpose()?;
        if ends.is_some_and(|e| e <= starts) {
            return Err(bad(&p("ends"), "not after starts"));
        }
        let remind = match &a.remind {
            Some(r) => Some(normal_remind(r).map_err(|e| bad(&p("remind"), e))?),
            None => None,
        };
        let created = time_at(&p("created"), &a.created)?;
        let voids = voids_at(&at, &a.void)?;
        if a.versions.is_empty() {
            return Err(bad(&p("versions"), "an agreement has at least one terms version"));
        }
        let mut versions = Vec::new();
        for (j, v) in a.versions.iter().enumerate() {
            let vat = format!("{at}.versions[{j}]");
            let q = |f: &str| format!("{vat}.{f}");
            let uuid = uuid_at(&q("uuid"), &v.uuid)?;
            let parsed = terms::parse(&v.terms, NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"))
                .map_err(|e| bad(&q("terms"), e))?;
            if parsed.terms.to_string() != v.terms.trim() {
                return Err(bad(&q("terms"), format!("not in canonical form (\"{}\")", parsed.terms)));
            }
            let unit = match &v.unit {
                Some(u) => {
                    let u = u.trim();
                    if u.is_empty() || u.chars().count() > 40 || u.chars().any(char::is_control) {
                        return Err(bad(&q("unit"), "a unit is 1–40 characters, without control characters"));
                    }
                    Some(u.to_string())
                }
                None => None,
            };
            versions.push(VersionFact {
                device: device_at(&q("device"), &v.device)?,
                uuid,
                terms: parsed.terms,
                unit,
                effective: time_at(&q("effective"), &v.effective)?,
                note: note_at(&q("note"), &v.note)?,
                created: time_at(&q("created"), &v.created)?,
                path: vat,
            });
        }
        let mut statuses = Vec::new();
        for (j, s) in a.statuses.iter().enumerate() {
            let sat = format!("{at}.statuses[{j}]");
            let q = |f: &str| format!("{sat}.{f}");
            statuses.push(StatusFact {
                device: device_at(&q("device"), &s.device)?,
                uuid: uuid_at(&q("uuid"), &s.uuid)?,
                status: Status::parse(&s.status).ok_or_else(|| bad(&q("status"), "active, paused or retired"))?,
                effective: time_at(&q("effective"), &s.effective)?,
                created: time_at(&q("created"), &s.created)?,
                path: sat,
            });
        }
        agreements.push(AgreementFact {
            row: AgreementRow {
                id: 0,
                uuid,
                slug,
                text,
                by,
                to,
                zone: zone.name().to_string(),
                starts,
                ends,
                remind,
                created,
                device: String::new(),
            },
            device: device_at(&p("device"), &a.device)?,
            path: at,
            voids,
            versions,
            statuses,
        });
    }
    let mut entries = Vec::new();
    for (i, e) in doc.entries.iter().enumerate() {
        let at = format!("entries[{i}]");
        let p = |f: &str| format!("{at}.{f}");
        let uuid = uuid_at(&p("uuid"), &e.uuid)?;
        let agreement = uuid_at(&p("agreement"), &e.agreement)?;
        let outcome = Outcome::parse(e.outcome.trim()).ok_or_else(|| bad(&p("outcome"), "kept, broken or excused"))?;
        let when = time_at(&p("at"), &e.at)?;
        let logged_at = time_at(&p("logged_at"), &e.logged_at)?;
        let note = note_at(&p("note"), &e.note)?;
        let logged_by = validate_name(&e.logged_by).map_err(|x| bad(&p("logged_by"), x.message))?;
        let voids = voids_at(&at, &e.void)?;
        entries.push(EntryFact {
            row: EntryRow {
                id: 0,
                uuid,
                agreement_id: 0,
                outcome: outcome.name().to_string(),
                at: when,
                note,
                logged_by,
                logged_at,
                device: String::new(),
            },
            device: device_at(&p("device"), &e.device)?,
            path: at,
            agreement,
            voids,
        });
    }
    let mut reminders = Vec::new();
    for (i, r) in doc.reminders.iter().enumerate() {
        let at = format!("reminders[{i}]");
        let p = |f: &str| format!("{at}.{f}");
        let result = match &r.result {
            Some(res) => {
                let outcome = res.outcome.trim();
                if !matches!(outcome, "sent" | "failed") {
                    return Err(bad(&p("result.outcome"), "sent or failed"));
                }
                Some((
                    p("result"),
                    ResultRow {
                        uuid: uuid_at(&p("result.uuid"), &res.uuid)?,
                        claim_id: 0,
                        outcome: outcome.to_string(),
                        detail: note_at(&p("result.detail"), &res.detail)?,
                        at: time_at(&p("result.at"), &res.at)?,
                    },
                ))
            }
            None => None,
        };
        reminders.push(ReminderFact {
            uuid: uuid_at(&p("uuid"), &r.uuid)?,
            agreement: uuid_at(&p("agreement"), &r.agreement)?,
            slot_start: time_at(&p("slot_start"), &r.slot_start)?,
            claimed: time_at(&p("claimed"), &r.claimed)?,
            result,
            path: at,
        });
    }
    let voice = voice::check(doc)?;
    Ok(Batch { settings, agreements, entries, reminders, voice })
}

/// A reminder lead in the form stored: lower-case, no spaces, a valid
/// DURATION that fits the ledger (at most 20 characters).
pub fn normal_remind(r: &str) -> std::result::Result<String, String> {
    time::parse_duration(r)?;
    let s: String = r.to_ascii_lowercase().split_whitespace().collect();
    if s.chars().count() > 20 {
        return Err(format!(
            "the duration \"{}\" is longer than 20 characters; write it shorter, e.g. 1w2d",
            printable(r)
        ));
    }
    Ok(s)
}

/// Parse and check a document without touching any ledger (fuzzing, tests).
pub fn check_text(text: &str) -> Result<()> {
    check(&Document::parse(text.as_bytes())?).map(|_| ())
}

// ---------- applying a batch ----------

/// Apply a batch in its own IMMEDIATE transaction: all of it, or nothing.
pub fn apply(ledger: &mut Ledger, doc: &Document, now: Instant) -> Result<Applied> {
    let batch = check(doc)?;
    let mut tx = ledger.write()?;
    let applied = apply_batch(&mut tx, batch, now)?;
    tx.commit()?;
    Ok(applied)
}

/// Apply a batch inside a transaction the caller holds (sync records which
/// file it applied in the same transaction). On an error the caller must
/// roll back (dropping the transaction does).
pub fn apply_in(tx: &mut Tx<'_>, doc: &Document, now: Instant) -> Result<Applied> {
    let batch = check(doc)?;
    let done = apply_batch(tx, batch, now);
    tx.set_origin(None);
    done
}

/// What the door knows of an agreement while applying.
#[derive(Clone)]
struct Known {
    row: AgreementRow,
    zone: Tz,
}

fn known(c: &Tx<'_>, uuid: &str, batch: &HashMap<String, Known>) -> Result<Option<Known>> {
    if let Some(k) = batch.get(uuid) {
        return Ok(Some(k.clone()));
    }
    Ok(door::agreement_by_uuid(c, uuid)?.and_then(|row| row.zone.parse().ok().map(|zone| Known { row, zone })))
}

fn at_text(t: i64, zone: Tz) -> String {
    rfc3339(from_ts(t), zone)
}

/// The first field in which a stored row and an incoming fact differ.
fn differs<'a>(pairs: &[(&'a str, bool)]) -> Option<&'a str> {
    pairs.iter().find(|(_, same)| !same).map(|(name, _)| *name)
}

fn already_different(at: &str, uuid: &str, what: &str, field: &str) -> Error {
    refuse(at, uuid, format!("a different {what} with this uuid is already here (its {field} differs)"))
}

fn made_in_future(at: &str, uuid: &str, made: i64, now: Instant, zone: Tz) -> Result<()> {
    if made > ts(now) + SKEW_SECS {
        return Err(refuse(at, uuid, format!("it was made in the future ({})", at_text(made, zone))));
    }
    Ok(())
}

fn apply_batch(c: &mut Tx<'_>, batch: Batch, now: Instant) -> Result<Applied> {
    let mut done = Applied::default();
    for (key, value) in batch.settings {
        if c.setting(&key)?.is_none() {
            c.set_setting(&new_uuid(), &key, &value, now)?;
            done.new += 1;
        } else {
            done.skipped += 1;
        }
    }
    let mut agreements: HashMap<String, Known> = HashMap::new();
    for fa in batch.agreements {
        let a = fa.row;
        let zone: Tz = a.zone.parse().expect("checked");
        let id = match door::agreement_by_uuid(&*c, &a.uuid)? {
            Some(here) => {
                let field = differs(&[
                    ("text", here.text == a.text),
                    ("by", here.by == a.by),
                    ("to", here.to == a.to),
                    ("zone", here.zone == a.zone),
                    ("starts", here.starts == a.starts),
                    ("ends", here.ends == a.ends),
                    ("remind", here.remind == a.remind),
                    ("created", here.created == a.created),
                    ("device", fa.device.as_ref().is_none_or(|d| *d == here.device)),
                ]);
                if let Some(f) = field {
                    return Err(already_different(&fa.path, &a.uuid, "promise", f));
                }
                done.skipped += 1;
                here.id
            }
            None => {
                made_in_future(&fa.path, &a.uuid, a.created, now, zone)?;
                c.set_origin(fa.device.as_deref());
                // The slug is stored as made: where it clashes with a live
                // promise here, the one made later shows numbered — derived
                // on reading (`domain::converge::display_slugs`), the same
                // on every device whatever arrived first.
                let slug = a.slug.clone();
                let id = c.add_agreement(&NewAgreement {
                    uuid: a.uuid.clone(),
                    slug: &slug,
                    text: &a.text,
                    by: &a.by,
                    to: &a.to,
                    zone,
                    starts: from_ts(a.starts),
                    ends: a.ends.map(from_ts),
                    remind: a.remind.clone(),
                    created_at: from_ts(a.created),
                })?;
                done.new += 1;
                done.agreements += 1;
                id
            }
        };
        let k = Known { row: AgreementRow { id, ..a.clone() }, zone };
        agreements.insert(a.uuid.clone(), k.clone());
        apply_versions(c, &k, fa.versions, now, &mut done)?;
        apply_statuses(c, &k, fa.statuses, now, &mut done)?;
        for v in fa.voids {
            apply_void(c, v, (None, Some(id)), "promise", a.created, now, zone, &mut done)?;
        }
    }
    for fe in batch.entries {
        let Some(k) = known(&*c, &fe.agreement, &agreements)? else {
            return Err(refuse(
                &fe.path,
                &fe.row.uuid,
                format!("it names promise {}, which is in neither the file nor this ledger", fe.agreement),
            ));
        };
        let e = EntryRow { agreement_id: k.row.id, ..fe.row };
        let id = match door::entry_by_uuid(&*c, &e.uuid)? {
            Some(here) => {
                let field = differs(&[
                    ("promise", here.agreement_id == e.agreement_id),
                    ("outcome", here.outcome == e.outcome),
                    ("at", here.at == e.at),
                    ("note", here.note == e.note),
                    ("logged_by", here.logged_by == e.logged_by),
                    ("logged_at", here.logged_at == e.logged_at),
                    ("device", fe.device.as_ref().is_none_or(|d| *d == here.device)),
                ]);
                if let Some(f) = field {
                    return Err(already_different(&fe.path, &e.uuid, "entry", f));
                }
                done.skipped += 1;
                here.id
            }
            None => {
                check_entry(&fe.path, &e, &k, now)?;
                c.set_origin(fe.device.as_deref());
                let outcome = Outcome::parse(&e.outcome).expect("checked");
                let id = c.add_entry(
                    &e.uuid,
                    k.row.id,
                    outcome,
                    from_ts(e.at),
                    e.note.as_deref(),
                    &e.logged_by,
                    from_ts(e.logged_at),
                )?;
                done.new += 1;
                done.entries += 1;
                id
            }
        };
        for v in fe.voids {
            apply_void(c, v, (Some(id), None), "entry", e.logged_at, now, k.zone, &mut done)?;
        }
    }
    voice::apply(c, batch.voice, now, &mut done)?;
    for r in batch.reminders {
        let Some(k) = known(&*c, &r.agreement, &agreements)? else {
            return Err(refuse(
                &r.path,
                &r.uuid,
                format!("it names promise {}, which is in neither the file nor this ledger", r.agreement),
            ));
        };
        let claim_id = match door::claim_by_uuid(&*c, &r.uuid)? {
            Some(here) => {
                let field = differs(&[
                    ("promise", here.agreement_id == k.row.id),
                    ("slot_start", here.slot_start == r.slot_start),
                    ("claimed", here.claimed == r.claimed),
                ]);
                if let Some(f) = field {
                    return Err(already_different(&r.path, &r.uuid, "reminder", f));
                }
                done.skipped += 1;
                here.id
            }
            None => {
                made_in_future(&r.path, &r.uuid, r.claimed, now, k.zone)?;
                done.new += 1;
                door::insert_claim(&*c, &r.uuid, k.row.id, r.slot_start, r.claimed)?
            }
        };
        if let Some((path, res)) = r.result {
            let res = ResultRow { claim_id, ..res };
            match door::result_by_uuid(&*c, &res.uuid)? {
                Some(here) => {
                    let field = differs(&[
                        ("reminder", here.claim_id == res.claim_id),
                        ("outcome", here.outcome == res.outcome),
                        ("detail", here.detail == res.detail),
                        ("at", here.at == res.at),
                    ]);
                    if let Some(f) = field {
                        return Err(already_different(&path, &res.uuid, "reminder result", f));
                    }
                    done.skipped += 1;
                }
                None if door::result_of_claim(&*c, claim_id)?.is_some() => done.skipped += 1,
                None => {
                    if res.at < r.claimed {
                        return Err(refuse(&path, &res.uuid, "it was recorded before its reminder was claimed"));
                    }
                    made_in_future(&path, &res.uuid, res.at, now, k.zone)?;
                    door::insert_result(&*c, &res)?;
                    done.new += 1;
                }
            }
        }
    }
    Ok(done)
}

/// An entry the command line would have taken when it was logged.
fn check_entry(path: &str, e: &EntryRow, k: &Known, now: Instant) -> Result<()> {
    let z = k.zone;
    made_in_future(path, &e.uuid, e.logged_at, now, z)?;
    if e.at < k.row.starts {
        return Err(refuse(
            path,
            &e.uuid,
            format!("its time {} is before the promise started ({})", at_text(e.at, z), at_text(k.row.starts, z)),
        ));
    }
    if let Some(end) = k.row.ends
        && e.at >= end
    {
        return Err(refuse(
            path,
            &e.uuid,
            format!("its time {} is not before the promise ended ({})", at_text(e.at, z), at_text(end, z)),
        ));
    }
    if e.outcome != "excused" && e.at > e.logged_at {
        return Err(refuse(
            path,
            &e.uuid,
            format!(
                "it was logged at {} about a time still in the future then ({}); troth logs what has happened",
                at_text(e.logged_at, z),
                at_text(e.at, z)
            ),
        ));
    }
    Ok(())
}

/// A void of an entry or a promise (`target`: entry id, agreement id).
#[allow(clippy::too_many_arguments)]
fn apply_void(
    c: &mut Tx<'_>,
    v: VoidFact,
    target: (Option<i64>, Option<i64>),
    what: &str,
    made: i64,
    now: Instant,
    zone: Tz,
    done: &mut Applied,
) -> Result<()> {
    if let Some(here) = door::void_by_uuid(&*c, &v.uuid)? {
        let field = differs(&[
            (what, (here.entry_id, here.agreement_id) == target),
            ("reason", here.reason == v.reason),
            ("at", here.at == v.at),
            ("device", v.device.as_ref().is_none_or(|d| *d == here.device)),
        ]);
        if let Some(f) = field {
            return Err(already_different(&v.path, &v.uuid, "void", f));
        }
        done.skipped += 1;
        return Ok(());
    }
    made_in_future(&v.path, &v.uuid, v.at, now, zone)?;
    if v.at + SKEW_SECS < made {
        return Err(refuse(&v.path, &v.uuid, format!("it voids the {what} before the {what} was made")));
    }
    c.set_origin(v.device.as_deref());
    match target {
        (Some(entry), _) => c.void_entry(&v.uuid, entry, v.reason.as_deref(), from_ts(v.at))?,
        (None, Some(agreement)) => c.void_agreement(&v.uuid, agreement, v.reason.as_deref(), from_ts(v.at))?,
        (None, None) => {}
    }
    done.new += 1;
    done.voids += 1;
    Ok(())
}

fn apply_versions(
    c: &mut Tx<'_>,
    k: &Known,
    versions: Vec<VersionFact>,
    now: Instant,
    done: &mut Applied,
) -> Result<()> {
    let a = &k.row;
    let z = k.zone;
    let mut here: Vec<VersionRow> = door::versions_of(&*c, a.id)?;
    for v in versions {
        let terms = v.terms.to_string();
        if let Some(row) = door::version_by_uuid(&*c, &v.uuid)? {
            let field = differs(&[
                ("promise", row.agreement_id == a.id),
                ("terms", row.terms == terms),
                ("unit", row.unit == v.unit),
                ("effective", row.effective == v.effective),
                ("note", row.note == v.note),
                ("created", row.created == v.created),
                ("device", v.device.as_ref().is_none_or(|d| *d == row.device)),
            ]);
            if let Some(f) = field {
                return Err(already_different(&v.path, &v.uuid, "terms version", f));
            }
            done.skipped += 1;
            continue;
        }
        made_in_future(&v.path, &v.uuid, v.created, now, z)?;
        if v.created + SKEW_SECS < a.created {
            return Err(refuse(&v.path, &v.uuid, "it was made before its promise"));
        }
        if v.effective < a.starts {
            return Err(refuse(
                &v.path,
                &v.uuid,
                format!(
                    "it is in force from {}, before the promise starts ({})",
                    at_text(v.effective, z),
                    at_text(a.starts, z)
                ),
            ));
        }
        // The first terms start with the promise, which may start in the
        // past; any later terms take effect no earlier than they were made —
        // except a deadline moved before it was due (docs/design.md §1).
        let first = v.effective == a.starts && v.created == a.created;
        if first && here.iter().any(|w| w.created == a.created && w.effective == a.starts) {
            return Err(refuse(&v.path, &v.uuid, "the promise already has its first terms"));
        }
        let due = slots::due_of_deadline(&v.terms, z).map(ts);
        if v.effective < v.created && !first {
            let moved = due.is_some()
                && here.iter().any(|w| {
                    w.created <= v.created
                        && w.effective == v.effective
                        && terms::parse(&w.terms, NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"))
                            .ok()
                            .and_then(|p| slots::due_of_deadline(&p.terms, z))
                            .is_some_and(|d| ts(d) > v.created)
                });
            if !moved {
                return Err(refuse(
                    &v.path,
                    &v.uuid,
                    format!(
                        "it takes effect ({}) before it was made ({}); past slots are never rescored",
                        at_text(v.effective, z),
                        at_text(v.created, z)
                    ),
                ));
            }
        }
        if let Some(d) = due
            && (d <= a.starts || (!first && (d <= v.created || d <= v.effective)))
        {
            return Err(refuse(
                &v.path,
                &v.uuid,
                format!("the deadline {} is not after the promise starts or the terms were made", at_text(d, z)),
            ));
        }
        c.set_origin(v.device.as_deref());
        c.add_version(
            &v.uuid,
            a.id,
            &terms,
            v.unit.as_deref(),
            from_ts(v.effective),
            v.note.as_deref(),
            from_ts(v.created),
        )?;
        done.new += 1;
        here.push(VersionRow {
            uuid: v.uuid,
            agreement_id: a.id,
            terms,
            unit: v.unit,
            effective: v.effective,
            note: v.note,
            created: v.created,
            device: String::new(),
        });
    }
    if !here.iter().any(|w| w.effective == a.starts) {
        return Err(refuse(&format!("the promise {}", a.slug), &a.uuid, "it has no terms from its start"));
    }
    Ok(())
}

fn apply_statuses(
    c: &mut Tx<'_>,
    k: &Known,
    statuses: Vec<StatusFact>,
    now: Instant,
    done: &mut Applied,
) -> Result<()> {
    let a = &k.row;
    let z = k.zone;
    for s in statuses {
        if let Some(row) = door::status_by_uuid(&*c, &s.uuid)? {
            let field: Option<&str> = differs(&[
                ("promise", row.agreement_id == a.id),
                ("status", row.status == s.status.name()),
                ("effective", row.effective == s.effective),
                ("created", row.created == s.created),
                ("device", s.device.as_ref().is_none_or(|d| *d == row.device)),
            ]);
            if let Some(f) = field {
                return Err(already_different(&s.path, &s.uuid, "status change", f));
            }
            done.skipped += 1;
            continue;
        }
        made_in_future(&s.path, &s.uuid, s.created, now, z)?;
        if s.created + SKEW_SECS < a.created {
            return Err(refuse(&s.path, &s.uuid, "it was made before its promise"));
        }
        if s.effective < s.created {
            return Err(refuse(
                &s.path,
                &s.uuid,
                format!(
                    "it takes effect ({}) before it was made ({}); past slots are never rescored",
                    at_text(s.effective, z),
                    at_text(s.created, z)
                ),
            ));
        }
        c.set_origin(s.device.as_deref());
        c.add_status(&s.uuid, a.id, s.status, from_ts(s.effective), from_ts(s.created))?;
        done.new += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    const MINIMAL: &str = r#"{"format":"troth-export","version":1,"exported":"2026-11-23T17:00:00+00:00",
      "settings":{"me":"Alex"},
      "agreements":[{"uuid":"6f1c1e0e-3f0e-4c3e-9a43-0d7c2b0d9b11","slug":"weekends","text":"2 weekends",
        "by":"Alex","to":"Sam","zone":"Europe/Berlin","starts":"2026-09-01T00:00:00+00:00","ends":null,"remind":null,
        "created":"2026-09-01T00:00:00+00:00","void":null,
        "versions":[{"uuid":"6f1c1e0e-3f0e-4c3e-9a43-0d7c2b0d9b12","terms":"2/month","unit":"weekends",
          "effective":"2026-09-01T00:00:00+00:00","note":null,"created":"2026-09-01T00:00:00+00:00"}],
        "statuses":[]}],
      "entries":[{"uuid":"6f1c1e0e-3f0e-4c3e-9a43-0d7c2b0d9b13","agreement":"6f1c1e0e-3f0e-4c3e-9a43-0d7c2b0d9b11",
        "outcome":"kept","at":"2026-09-12T10:00:00+00:00","note":null,"logged_by":"Alex",
        "logged_at":"2026-09-12T10:00:00+00:00","void":null}],
      "reminders":[]}"#;

    #[test]
    fn the_minimal_export_is_valid() {
        check_text(MINIMAL).unwrap();
    }

    fn leaves(v: &Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, x)| leaves(x, [path.clone(), vec![k.clone()]].concat(), out)),
            Value::Array(a) => {
                a.iter().enumerate().for_each(|(i, x)| leaves(x, [path.clone(), vec![i.to_string()]].concat(), out))
            }
            _ => out.push(path),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn import_never_panics_on_any_text(s in "\\PC{0,200}") {
            let _ = check_text(&s);
        }

        #[test]
        fn import_never_panics_on_a_mutated_export(pick in any::<prop::sample::Index>(), replacement in prop_oneof![
            "\\PC{0,30}".prop_map(Value::from), any::<i64>().prop_map(Value::from), any::<f64>().prop_map(Value::from),
            Just(Value::Null), any::<bool>().prop_map(Value::from)]) {
            let mut v: Value = serde_json::from_str(MINIMAL).unwrap();
            let mut paths = Vec::new();
            leaves(&v, vec![], &mut paths);
            let path = pick.get(&paths);
            let mut cur = &mut v;
            for k in path {
                cur = match cur {
                    Value::Object(m) => m.get_mut(k).unwrap(),
                    Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
                    _ => unreachable!(),
                };
            }
            *cur = replacement;
            let _ = check_text(&v.to_string());
        }
    }
}
