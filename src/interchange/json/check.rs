//! Checking a document on its own, before any ledger is touched: every
//! field parsed and normalised (times, uuids, devices, notes, terms, slugs,
//! names), each fact judged against the facts it depends on in the same file.

use super::{
    AgreementDoc, Document, EntryDoc, FORMAT, FORMAT_VERSION, ReminderDoc, StatusDoc, VersionDoc, Voids, bad, newer,
    voice,
};
use crate::domain::Outcome;
use crate::domain::settings::{Settings, validate_name};
use crate::domain::slots::Status;
use crate::domain::terms::{self, Terms};
use crate::domain::time::DurationError;
use crate::domain::time::{self, parse_rfc3339, parse_zone, printable};
use crate::domain::validate::{validate_note, validate_slug, validate_text};
use crate::error::Result;
use crate::ledger::door::{AgreementRow, EntryRow, ResultRow};
use crate::ledger::ts;
use chrono::NaiveDate;
use chrono_tz::Tz;

// ---------- checking a document on its own ----------

pub(super) fn time_at(at: &str, s: &str) -> Result<i64> {
    parse_rfc3339(s)
        .map(ts)
        .ok_or_else(|| bad(at, format!("\"{}\" is not an RFC 3339 time from 1970–2999", printable(s))))
}

/// A uuid in its one stored form: lower-case, hyphenated.
pub fn normal_uuid(s: &str) -> Option<String> {
    uuid::Uuid::parse_str(s.trim()).ok().map(|u| u.hyphenated().to_string())
}

pub(super) fn uuid_at(at: &str, s: &str) -> Result<String> {
    normal_uuid(s).ok_or_else(|| bad(at, format!("\"{}\" is not a uuid", printable(s))))
}

pub(super) fn device_at(at: &str, d: &Option<String>) -> Result<Option<String>> {
    match d {
        None => Ok(None),
        Some(d) => match normal_uuid(d) {
            Some(u) if !u.starts_with("00000000-0000-0000-0000") => Ok(Some(u)),
            _ => Err(bad(at, format!("\"{}\" is not a device uuid", printable(d)))),
        },
    }
}

pub(super) fn note_at(at: &str, s: &Option<String>) -> Result<Option<String>> {
    validate_note(s.as_deref()).map_err(|e| bad(at, e.message))
}

pub(super) struct VoidFact {
    pub(super) path: String,
    pub(super) device: Option<String>,
    pub(super) uuid: String,
    pub(super) reason: Option<String>,
    pub(super) at: i64,
}

pub(super) struct VersionFact {
    pub(super) path: String,
    pub(super) device: Option<String>,
    pub(super) uuid: String,
    pub(super) terms: Terms,
    pub(super) unit: Option<String>,
    pub(super) effective: i64,
    pub(super) note: Option<String>,
    pub(super) created: i64,
}

pub(super) struct StatusFact {
    pub(super) path: String,
    pub(super) device: Option<String>,
    pub(super) uuid: String,
    pub(super) status: Status,
    pub(super) effective: i64,
    pub(super) note: Option<String>,
    pub(super) created: i64,
}

pub(super) struct AgreementFact {
    pub(super) path: String,
    pub(super) device: Option<String>,
    pub(super) row: AgreementRow,
    pub(super) voids: Vec<VoidFact>,
    pub(super) versions: Vec<VersionFact>,
    pub(super) statuses: Vec<StatusFact>,
}

pub(super) struct EntryFact {
    pub(super) path: String,
    pub(super) device: Option<String>,
    pub(super) row: EntryRow,
    pub(super) agreement: String,
    pub(super) voids: Vec<VoidFact>,
}

pub(super) struct ReminderFact {
    pub(super) path: String,
    pub(super) uuid: String,
    pub(super) agreement: String,
    pub(super) slot_start: i64,
    pub(super) claimed: i64,
    pub(super) result: Option<(String, ResultRow)>,
}

/// The document's facts, each checked on its own and normalised.
pub(super) struct Batch {
    pub(super) settings: Vec<(String, String)>,
    pub(super) agreements: Vec<AgreementFact>,
    pub(super) entries: Vec<EntryFact>,
    pub(super) reminders: Vec<ReminderFact>,
    pub(super) voice: voice::VoiceBatch,
}

pub(super) fn voids_at(at: &str, v: &Voids) -> Result<Vec<VoidFact>> {
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

pub(super) fn check(doc: &Document) -> Result<Batch> {
    if doc.format != FORMAT {
        return Err(bad("format", format!("expected \"{FORMAT}\"")));
    }
    if doc.version > FORMAT_VERSION {
        return Err(newer(doc.version));
    }
    if doc.version < 1 {
        return Err(bad("version", "must be 1 or more"));
    }
    // In the document's order, so the first problem named is the first one in it.
    Ok(Batch {
        settings: check_settings(doc)?,
        agreements: doc.agreements.iter().enumerate().map(|(i, a)| check_agreement(i, a)).collect::<Result<_>>()?,
        entries: doc.entries.iter().enumerate().map(|(i, e)| check_entry(i, e)).collect::<Result<_>>()?,
        reminders: doc.reminders.iter().enumerate().map(|(i, r)| check_reminder(i, r)).collect::<Result<_>>()?,
        voice: voice::check(doc)?,
    })
}

/// Each setting as `config` would take it, in its stored form.
fn check_settings(doc: &Document) -> Result<Vec<(String, String)>> {
    let mut settings = Vec::new();
    let mut scratch = Settings::load_defaults();
    for (k, v) in &doc.settings {
        let raw = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        scratch.apply(k, &raw).map_err(|e| bad(&format!("settings.{}", printable(k)), e.message))?;
        settings.push((k.clone(), scratch.get(k)?));
    }
    Ok(settings)
}

fn check_agreement(i: usize, a: &AgreementDoc) -> Result<AgreementFact> {
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
    let versions = a.versions.iter().enumerate().map(|(j, v)| check_version(&format!("{at}.versions[{j}]"), v));
    let versions = versions.collect::<Result<Vec<_>>>()?;
    let statuses = a.statuses.iter().enumerate().map(|(j, s)| check_status(&format!("{at}.statuses[{j}]"), s));
    let statuses = statuses.collect::<Result<Vec<_>>>()?;
    Ok(AgreementFact {
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
    })
}

fn check_version(at: &str, v: &VersionDoc) -> Result<VersionFact> {
    let q = |f: &str| format!("{at}.{f}");
    let uuid = uuid_at(&q("uuid"), &v.uuid)?;
    let parsed =
        terms::parse(&v.terms, NaiveDate::from_ymd_opt(2000, 1, 1).expect("date")).map_err(|e| bad(&q("terms"), e))?;
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
    Ok(VersionFact {
        device: device_at(&q("device"), &v.device)?,
        uuid,
        terms: parsed.terms,
        unit,
        effective: time_at(&q("effective"), &v.effective)?,
        note: note_at(&q("note"), &v.note)?,
        created: time_at(&q("created"), &v.created)?,
        path: at.to_string(),
    })
}

fn check_status(at: &str, s: &StatusDoc) -> Result<StatusFact> {
    let q = |f: &str| format!("{at}.{f}");
    Ok(StatusFact {
        device: device_at(&q("device"), &s.device)?,
        uuid: uuid_at(&q("uuid"), &s.uuid)?,
        status: Status::parse(&s.status).ok_or_else(|| bad(&q("status"), "active, paused or retired"))?,
        effective: time_at(&q("effective"), &s.effective)?,
        note: note_at(&q("note"), &s.note)?,
        created: time_at(&q("created"), &s.created)?,
        path: at.to_string(),
    })
}

fn check_entry(i: usize, e: &EntryDoc) -> Result<EntryFact> {
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
    Ok(EntryFact {
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
    })
}

fn check_reminder(i: usize, r: &ReminderDoc) -> Result<ReminderFact> {
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
    Ok(ReminderFact {
        uuid: uuid_at(&p("uuid"), &r.uuid)?,
        agreement: uuid_at(&p("agreement"), &r.agreement)?,
        slot_start: time_at(&p("slot_start"), &r.slot_start)?,
        claimed: time_at(&p("claimed"), &r.claimed)?,
        result,
        path: at,
    })
}

/// A reminder lead in the form stored: lower-case, no spaces, a valid
/// DURATION that fits the ledger (at most 20 characters).
pub fn normal_remind(r: &str) -> std::result::Result<String, DurationError> {
    time::parse_duration(r)?;
    let s: String = r.to_ascii_lowercase().split_whitespace().collect();
    if s.chars().count() > 20 {
        return Err(DurationError::TooLongToStore(r.into()));
    }
    Ok(s)
}

/// Parse and check a document without touching any ledger (fuzzing, tests).
pub fn check_text(text: &str) -> Result<()> {
    check(&Document::parse(text.as_bytes())?).map(|_| ())
}

// ---------- applying a batch ----------

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
