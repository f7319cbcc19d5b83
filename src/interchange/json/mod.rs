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

use crate::domain::settings::KEYS;
use crate::domain::time::{Instant, rfc3339};
use crate::error::{Error, Result};
use crate::ledger::door::{self, VersionRow};
use crate::ledger::{Ledger, from_ts, ts};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::HashMap;

mod apply;
mod check;
mod plan;

mod voice;
pub use apply::{apply, apply_in};
pub use check::{check_text, normal_remind, normal_uuid};
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

impl AgreementDoc {
    /// A promise as the document carries it: its stored row, its voids and
    /// its history (export and sync publish the same shape).
    pub fn from_row(
        a: door::AgreementRow,
        void: Voids,
        versions: Vec<VersionDoc>,
        statuses: Vec<StatusDoc>,
    ) -> AgreementDoc {
        AgreementDoc {
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
            void,
            versions,
            statuses,
            device: Some(a.device),
        }
    }
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
    /// Its note, if it was given one (absent in files from before notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
            note: s.note,
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
        // An export opened and saved in an editor may gain a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // troth's other two exports are one-way: say so, rather than name a
        // JSON syntax error at line 1, column 1.
        let head = text.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("BEGIN:VCALENDAR") {
            return Err(bad("the file", "it is an iCalendar file (`export --format ics`), which is for calendar apps"));
        }
        if head.starts_with(&crate::interchange::csv::HEADER.join(",")) {
            return Err(bad(
                "the file",
                "it is the spreadsheet export (`export --format csv`), which holds entries only",
            ));
        }
        // A newer format is named as such even when its shape has changed.
        // Only the two header fields are kept; the rest is skipped without
        // being built (a whole-file `Value` of a huge file takes ~40× its
        // size in memory before the first error could be named).
        #[derive(Deserialize)]
        struct Header {
            #[serde(default)]
            format: Option<Value>,
            #[serde(default)]
            version: Option<Value>,
        }
        if let Ok(h) = serde_json::from_str::<Header>(text)
            && let Some(n) = h.version.as_ref().and_then(Value::as_i64)
            && n > FORMAT_VERSION
            && h.format.as_ref().and_then(Value::as_str) == Some(FORMAT)
        {
            return Err(newer(n));
        }
        serde_json::from_str(text).map_err(|e| {
            // serde_json ends its message with the place, which `bad` already names first.
            let place = format!("line {}, column {}", e.line(), e.column());
            let said = e.to_string();
            let said = said.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&said);
            bad(&place, said)
        })
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
            let void = Voids(agreement_voids.remove(&a.id).unwrap_or_default());
            doc.agreements.push(AgreementDoc::from_row(a, void, versions, statuses));
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

pub(super) fn bad(at: &str, what: impl std::fmt::Display) -> Error {
    Error::usage(format!("the import file is not a valid troth export: {at}: {what}"))
        .hint("nothing was imported; the file must come from `troth export --format json`")
}

pub(super) fn newer(n: i64) -> Error {
    Error::usage(format!(
        "the import file was written by a newer troth (export format {n}; this troth reads up to {FORMAT_VERSION})"
    ))
    .hint("nothing was imported; install the newer troth to read it")
}

/// A fact that is wrong in itself, or contradicts what is here.
pub(super) fn refuse(at: &str, uuid: &str, why: impl std::fmt::Display) -> Error {
    Error::usage(format!("refused {at} (uuid {uuid}): {why}")).hint("nothing was applied; the ledger is as it was")
}
