//! Data in and out: `export` (json backup, csv, ics calendar) and `import`.
//!
//! The JSON export is the whole ledger: every fact with its uuid, plus the
//! settings in force. `import` merges by uuid — idempotent, all or nothing in
//! one transaction, everything validated before anything is written. Local
//! settings win over the file's. Slugs are stored as made; where two live
//! promises share one, the one made later shows numbered (`domain::converge`).

use super::{Ctx, validate_text, write_json};
use crate::cli::{ExportArgs, ExportFormat, ImportArgs};
use crate::domain::settings::{KEYS, Settings, validate_name};
use crate::domain::slots::{self, Status};
use crate::domain::terms::{self, Schedule, Terms};
use crate::domain::time::{Instant, parse_rfc3339, parse_zone, rfc3339};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, create_private_file, from_ts, ts};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::io::Write;

pub const FORMAT: &str = "troth-export";
pub const FORMAT_VERSION: i64 = 1;

fn utc(t: i64) -> String {
    rfc3339(from_ts(t), chrono_tz::UTC)
}

/// The whole ledger as JSON, in a stable order.
pub fn export_json(ledger: &Ledger, settings: &Settings, now: Instant) -> Result<Value> {
    let c = ledger.conn();
    let mut set = serde_json::Map::new();
    for key in KEYS {
        if ledger.setting(key)?.is_some() {
            set.insert(key.to_string(), json!(settings.get(key)?));
        }
    }
    let mut agreements = Vec::new();
    let mut stmt = c.prepare(
        "SELECT a.id, a.uuid, a.slug, a.text, a.by_name, a.to_name, a.zone, a.starts, a.ends, a.remind, a.created_at,
                v.uuid, v.reason, v.voided_at
         FROM agreements a LEFT JOIN voids v ON v.agreement_id = a.id ORDER BY a.id",
    )?;
    let rows: Vec<(i64, Value)> = stmt
        .query_map([], |r| {
            let void_uuid: Option<String> = r.get(11)?;
            Ok((
                r.get::<_, i64>(0)?,
                json!({
                    "uuid": r.get::<_, String>(1)?,
                    "slug": r.get::<_, String>(2)?,
                    "text": r.get::<_, String>(3)?,
                    "by": r.get::<_, String>(4)?,
                    "to": r.get::<_, String>(5)?,
                    "zone": r.get::<_, String>(6)?,
                    "starts": utc(r.get(7)?),
                    "ends": r.get::<_, Option<i64>>(8)?.map(utc),
                    "remind": r.get::<_, Option<String>>(9)?,
                    "created": utc(r.get(10)?),
                    "void": match void_uuid {
                        Some(u) => json!({"uuid": u, "reason": r.get::<_, Option<String>>(12)?, "at": utc(r.get(13)?)}),
                        None => Value::Null,
                    },
                }),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut versions = c.prepare(
        "SELECT uuid, terms, unit, effective, note, created_at FROM terms_versions WHERE agreement_id = ?1 ORDER BY id",
    )?;
    let mut statuses = c.prepare(
        "SELECT uuid, status, effective, created_at FROM status_changes WHERE agreement_id = ?1 ORDER BY id",
    )?;
    for (id, mut a) in rows {
        let v: Vec<Value> = versions
            .query_map([id], |r| {
                Ok(json!({"uuid": r.get::<_, String>(0)?, "terms": r.get::<_, String>(1)?, "unit": r.get::<_, Option<String>>(2)?,
                          "effective": utc(r.get(3)?), "note": r.get::<_, Option<String>>(4)?, "created": utc(r.get(5)?)}))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let s: Vec<Value> = statuses
            .query_map([id], |r| {
                Ok(json!({"uuid": r.get::<_, String>(0)?, "status": r.get::<_, String>(1)?,
                          "effective": utc(r.get(2)?), "created": utc(r.get(3)?)}))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let obj = a.as_object_mut().expect("object");
        obj.insert("versions".into(), Value::Array(v));
        obj.insert("statuses".into(), Value::Array(s));
        agreements.push(a);
    }
    let mut stmt = c.prepare(
        "SELECT e.uuid, a.uuid, e.outcome, e.at, e.note, e.logged_by, e.logged_at, v.uuid, v.reason, v.voided_at
         FROM entries e JOIN agreements a ON a.id = e.agreement_id LEFT JOIN voids v ON v.entry_id = e.id ORDER BY e.id",
    )?;
    let entries: Vec<Value> = stmt
        .query_map([], |r| {
            let void_uuid: Option<String> = r.get(7)?;
            Ok(json!({
                "uuid": r.get::<_, String>(0)?,
                "agreement": r.get::<_, String>(1)?,
                "outcome": r.get::<_, String>(2)?,
                "at": utc(r.get(3)?),
                "note": r.get::<_, Option<String>>(4)?,
                "logged_by": r.get::<_, String>(5)?,
                "logged_at": utc(r.get(6)?),
                "void": match void_uuid {
                    Some(u) => json!({"uuid": u, "reason": r.get::<_, Option<String>>(8)?, "at": utc(r.get(9)?)}),
                    None => Value::Null,
                },
            }))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = c.prepare(
        "SELECT c.uuid, a.uuid, c.slot_start, c.claimed_at, r.uuid, r.outcome, r.detail, r.at
         FROM reminder_claims c JOIN agreements a ON a.id = c.agreement_id
         LEFT JOIN reminder_results r ON r.claim_id = c.id ORDER BY c.id",
    )?;
    let reminders: Vec<Value> = stmt
        .query_map([], |r| {
            let result: Option<String> = r.get(4)?;
            Ok(json!({
                "uuid": r.get::<_, String>(0)?,
                "agreement": r.get::<_, String>(1)?,
                "slot_start": utc(r.get(2)?),
                "claimed": utc(r.get(3)?),
                "result": match result {
                    Some(u) => json!({"uuid": u, "outcome": r.get::<_, String>(5)?, "detail": r.get::<_, Option<String>>(6)?, "at": utc(r.get(7)?)}),
                    None => Value::Null,
                },
            }))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(json!({
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported": utc(ts(now)),
        "settings": set,
        "agreements": agreements,
        "entries": entries,
        "reminders": reminders,
    }))
}

pub fn export(ctx: &Ctx, ledger: &Ledger, a: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    let format = if ctx.env.json { ExportFormat::Json } else { a.format };
    match format {
        ExportFormat::Json => write_json(&mut buf, &export_json(ledger, &ctx.settings, ctx.now)?)?,
        ExportFormat::Csv => export_csv(ledger, &mut buf)?,
        ExportFormat::Ics => export_ics(ledger, ctx.now, &mut buf)?,
    }
    match &a.output {
        Some(path) => {
            let mut f = create_private_file(path)?;
            f.write_all(&buf)?;
            f.sync_all()?;
        }
        None => out.write_all(&buf)?,
    }
    Ok(())
}

fn export_csv(ledger: &Ledger, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let by_id: HashMap<i64, &crate::domain::Agreement> = agreements.iter().map(|a| (a.id, a)).collect();
    let mut w = csv::Writer::from_writer(out);
    let csv_err = super::csv_err;
    w.write_record([
        "id",
        "agreement",
        "text",
        "by",
        "to",
        "outcome",
        "at",
        "note",
        "logged_by",
        "logged_at",
        "void",
        "reason",
    ])
    .map_err(csv_err)?;
    for e in ledger.entries(None)? {
        let Some(a) = by_id.get(&e.agreement_id) else { continue };
        w.write_record([
            e.id.to_string(),
            a.slug.clone(),
            a.text.clone(),
            a.by.clone(),
            a.to.clone(),
            e.outcome.name().to_string(),
            rfc3339(e.at, a.zone),
            e.note.clone().unwrap_or_default(),
            e.logged_by.clone(),
            rfc3339(e.logged_at, a.zone),
            e.void.is_some().to_string(),
            e.void.as_ref().and_then(|v| v.reason.clone()).unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    w.flush()?;
    Ok(())
}

// ---------- iCalendar ----------

fn ics_local(t: Instant, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y%m%dT%H%M%S").to_string()
}

fn byday(d: NaiveDate) -> String {
    const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let wd = DAYS[d.weekday().num_days_from_monday() as usize];
    let next_month = d + chrono::Days::new(7);
    if next_month.month() != d.month() { format!("-1{wd}") } else { format!("{}{wd}", (d.day() - 1) / 7 + 1) }
}

/// A VTIMEZONE for `tz`, from its transitions in `year` (RFC 5545 §3.6.5).
fn vtimezone(tz: Tz, year: i32) -> String {
    use chrono::{Offset, TimeZone};
    let off = |t: Instant| tz.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc();
    let fmt_off =
        |s: i32| format!("{}{:02}{:02}", if s < 0 { '-' } else { '+' }, s.abs() / 3600, (s.abs() % 3600) / 60);
    let name = |t: Instant| t.with_timezone(&tz).format("%Z").to_string();
    let start = chrono::Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).single().expect("date");
    let mut parts = Vec::new();
    let mut t = start;
    let mut prev = off(t);
    let end = chrono::Utc.with_ymd_and_hms(year + 1, 1, 1, 0, 0, 0).single().expect("date");
    while t < end {
        let next = t + chrono::Duration::hours(1);
        let o = off(next);
        if o != prev {
            // Narrow the change down to the minute.
            let mut lo = t;
            let mut hi = next;
            while hi - lo > chrono::Duration::minutes(1) {
                let mid = lo + (hi - lo) / 2;
                if off(mid) == prev { lo = mid } else { hi = mid }
            }
            let local_start = (hi + chrono::Duration::seconds(prev as i64)).naive_utc();
            let kind = if o > prev { "DAYLIGHT" } else { "STANDARD" };
            parts.push(format!(
                "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nRRULE:FREQ=YEARLY;BYMONTH={};BYDAY={}\r\nTZNAME:{}\r\nEND:{kind}\r\n",
                local_start.format("%Y%m%dT%H%M%S"),
                fmt_off(prev),
                fmt_off(o),
                local_start.month(),
                byday(local_start.date()),
                name(hi)
            ));
            prev = o;
        }
        t = next;
    }
    if parts.is_empty() {
        parts.push(format!(
            "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:{o}\r\nTZOFFSETTO:{o}\r\nTZNAME:{}\r\nEND:STANDARD\r\n",
            name(start),
            o = fmt_off(prev)
        ));
    }
    format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n{}END:VTIMEZONE\r\n", tz.name(), parts.concat())
}

/// Schedules become recurring VEVENTs (RRULE), deadlines VTODOs with DUE, and
/// quotas recurring VTODOs: one to-do per period, due at its end.
fn export_ics(ledger: &Ledger, now: Instant, out: &mut dyn Write) -> Result<()> {
    use icalendar::{Calendar, Component, Property};
    let agreements = ledger.agreements()?;
    let mut cal = Calendar::new();
    cal.name("troth");
    cal.append_property(Property::new("PRODID", "-//troth//promises//EN"));
    let mut zones: BTreeSet<String> = BTreeSet::new();
    for a in agreements.iter().filter(|a| !a.is_void() && !a.retired_at(now)) {
        let (_, version) = a.plan.version_at(now);
        let tz = a.zone;
        let uid = format!("{}@troth", a.uuid);
        let summary = format!("{} ({})", a.text, a.slug);
        let description = format!("{} promised {}: {}", a.by, a.to, version.terms);
        let first = a.plan.slots(now + chrono::Duration::days(800)).into_iter().find(|s| s.terms == version.terms);
        let dt = |key: &str, t: Instant| {
            let mut p = Property::new(key, ics_local(t, tz));
            p.add_parameter("TZID", tz.name());
            p.done()
        };
        let date = |key: &str, d: NaiveDate| {
            let mut p = Property::new(key, d.format("%Y%m%d").to_string());
            p.add_parameter("VALUE", "DATE");
            p.done()
        };
        match version.terms {
            Terms::Standing => {}
            Terms::Schedule(s) => {
                let Some(first) = first else { continue };
                let mut ev = icalendar::Event::new();
                ev.uid(&uid).summary(&summary).description(&description);
                let rrule = match s {
                    Schedule::Weekly { days, .. } => {
                        let names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
                        let list: Vec<&str> = (0..7).filter(|i| days.0 & (1 << i) != 0).map(|i| names[i]).collect();
                        format!("FREQ=WEEKLY;BYDAY={}", list.join(","))
                    }
                    Schedule::Monthly { day, .. } if day > 28 => {
                        let days: Vec<String> = (28..=day).map(|d| d.to_string()).collect();
                        format!("FREQ=MONTHLY;BYMONTHDAY={};BYSETPOS=-1", days.join(","))
                    }
                    Schedule::Monthly { day, .. } => format!("FREQ=MONTHLY;BYMONTHDAY={day}"),
                };
                let rrule = match a.ends {
                    Some(e) => format!("{rrule};UNTIL={}", e.format("%Y%m%dT%H%M%SZ")),
                    None => rrule,
                };
                if s.time().is_some() {
                    ev.append_property(dt("DTSTART", first.due));
                    ev.append_property(dt("DTEND", first.due + chrono::Duration::hours(1)));
                    zones.insert(tz.name().to_string());
                } else {
                    let d = crate::domain::time::local_date(tz, first.start);
                    ev.append_property(date("DTSTART", d));
                    ev.append_property(date("DTEND", d + chrono::Days::new(1)));
                }
                ev.add_property("RRULE", rrule);
                cal.push(ev.done());
            }
            Terms::Deadline { date: d, time } => {
                let mut todo = icalendar::Todo::new();
                todo.uid(&uid).summary(&summary).description(&description);
                match time {
                    Some(_) => {
                        todo.append_property(dt("DUE", slots::due_of_deadline(&version.terms, tz).expect("deadline")));
                        zones.insert(tz.name().to_string());
                    }
                    None => {
                        todo.append_property(date("DUE", d));
                    }
                }
                cal.push(todo.done());
            }
            Terms::Quota { count, period } => {
                let Some(first) = first else { continue };
                let mut todo = icalendar::Todo::new();
                todo.uid(&uid).summary(&format!("{summary}: {count} this {}", period.name())).description(&description);
                todo.append_property(date("DTSTART", crate::domain::time::local_date(tz, first.start)));
                todo.append_property(date("DUE", crate::domain::time::local_date(tz, first.end)));
                let freq = match period {
                    terms::Period::Day => "DAILY",
                    terms::Period::Week => "WEEKLY",
                    terms::Period::Month => "MONTHLY",
                    terms::Period::Year => "YEARLY",
                };
                todo.add_property("RRULE", format!("FREQ={freq}"));
                cal.push(todo.done());
            }
        }
    }
    let body = cal.done().to_string();
    let year = now.year();
    let tzs: String = zones.iter().filter_map(|z| z.parse::<Tz>().ok()).map(|z| vtimezone(z, year)).collect();
    // The VTIMEZONEs go before the first component, as calendar apps expect.
    let first = ["BEGIN:VEVENT", "BEGIN:VTODO"].iter().filter_map(|k| body.find(k)).min();
    let text = match first {
        Some(i) if !tzs.is_empty() => format!("{}{tzs}{}", &body[..i], &body[i..]),
        _ => body,
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

// ---------- import ----------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: i64,
    #[serde(default)]
    #[allow(dead_code)]
    exported: Option<String>,
    #[serde(default)]
    settings: serde_json::Map<String, Value>,
    agreements: Vec<FAgreement>,
    entries: Vec<FEntry>,
    #[serde(default)]
    reminders: Vec<FReminder>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FVoid {
    uuid: String,
    reason: Option<String>,
    at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FAgreement {
    uuid: String,
    slug: String,
    text: String,
    by: String,
    to: String,
    zone: String,
    starts: String,
    ends: Option<String>,
    remind: Option<String>,
    created: String,
    void: Option<FVoid>,
    versions: Vec<FVersion>,
    #[serde(default)]
    statuses: Vec<FStatus>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FVersion {
    uuid: String,
    terms: String,
    unit: Option<String>,
    effective: String,
    note: Option<String>,
    created: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FStatus {
    uuid: String,
    status: String,
    effective: String,
    created: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FEntry {
    uuid: String,
    agreement: String,
    outcome: String,
    at: String,
    note: Option<String>,
    logged_by: String,
    logged_at: String,
    void: Option<FVoid>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FResult {
    uuid: String,
    outcome: String,
    detail: Option<String>,
    at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FReminder {
    uuid: String,
    agreement: String,
    slot_start: String,
    claimed: String,
    result: Option<FResult>,
}

fn bad(at: &str, what: impl std::fmt::Display) -> Error {
    Error::usage(format!("the import file is not a valid troth export: {at}: {what}"))
        .hint("nothing was imported; the file must come from `troth export --format json`")
}

fn time_at(at: &str, s: &str) -> Result<i64> {
    parse_rfc3339(s).map(ts).ok_or_else(|| {
        bad(at, format!("\"{}\" is not an RFC 3339 time from 1970–2999", crate::domain::time::printable(s)))
    })
}

fn uuid_at(at: &str, s: &str) -> Result<()> {
    uuid::Uuid::parse_str(s)
        .map(|_| ())
        .map_err(|_| bad(at, format!("\"{}\" is not a uuid", crate::domain::time::printable(s))))?;
    if s.len() != 36 {
        return Err(bad(at, "a uuid is written with 36 characters"));
    }
    Ok(())
}

fn note_at(at: &str, s: &Option<String>) -> Result<()> {
    if s.as_deref().is_some_and(|n| n.chars().any(|c| c.is_control() && c != '\n' && c != '\t')) {
        return Err(bad(at, "contains control characters"));
    }
    if let Some(n) = s
        && n.chars().count() > 4000
    {
        return Err(bad(at, "longer than 4,000 characters"));
    }
    Ok(())
}

/// Check every field before anything is written; the first problem wins.
fn validate(f: &File) -> Result<()> {
    if f.format != FORMAT {
        return Err(bad("format", format!("expected \"{FORMAT}\"")));
    }
    if f.version > FORMAT_VERSION {
        return Err(Error::usage(format!(
            "the import file was written by a newer troth (export format {}; this troth reads up to {FORMAT_VERSION})",
            f.version
        ))
        .hint("nothing was imported; install the newer troth to read it"));
    }
    if f.version < 1 {
        return Err(bad("version", "must be 1 or more"));
    }
    let mut scratch = Settings::load_defaults();
    for (k, v) in &f.settings {
        let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        scratch.apply(k, &v).map_err(|e| bad(&format!("settings.{k}"), e.message))?;
    }
    for (i, a) in f.agreements.iter().enumerate() {
        let at = format!("agreements[{i}]");
        uuid_at(&format!("{at}.uuid"), &a.uuid)?;
        super::promise::validate_slug(&a.slug).map_err(|e| bad(&format!("{at}.slug"), e.message))?;
        validate_text(&a.text).map_err(|e| bad(&format!("{at}.text"), e.message))?;
        validate_name(&a.by).map_err(|e| bad(&format!("{at}.by"), e.message))?;
        validate_name(&a.to).map_err(|e| bad(&format!("{at}.to"), e.message))?;
        parse_zone(&a.zone).map_err(|e| bad(&format!("{at}.zone"), e))?;
        let starts = time_at(&format!("{at}.starts"), &a.starts)?;
        if let Some(e) = &a.ends
            && time_at(&format!("{at}.ends"), e)? <= starts
        {
            return Err(bad(&format!("{at}.ends"), "not after starts"));
        }
        if let Some(r) = &a.remind {
            crate::domain::time::parse_duration(r).map_err(|e| bad(&format!("{at}.remind"), e))?;
        }
        time_at(&format!("{at}.created"), &a.created)?;
        if let Some(v) = &a.void {
            uuid_at(&format!("{at}.void.uuid"), &v.uuid)?;
            note_at(&format!("{at}.void.reason"), &v.reason)?;
            time_at(&format!("{at}.void.at"), &v.at)?;
        }
        if a.versions.is_empty() {
            return Err(bad(&format!("{at}.versions"), "an agreement has at least one terms version"));
        }
        for (j, v) in a.versions.iter().enumerate() {
            let vat = format!("{at}.versions[{j}]");
            uuid_at(&format!("{vat}.uuid"), &v.uuid)?;
            let parsed = terms::parse(&v.terms, NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"))
                .map_err(|e| bad(&format!("{vat}.terms"), e))?;
            if parsed.terms.to_string() != v.terms {
                return Err(bad(&format!("{vat}.terms"), format!("not in canonical form (\"{}\")", parsed.terms)));
            }
            if let Some(u) = &v.unit
                && (u.is_empty() || u.chars().count() > 40)
            {
                return Err(bad(&format!("{vat}.unit"), "a unit is 1–40 characters"));
            }
            time_at(&format!("{vat}.effective"), &v.effective)?;
            time_at(&format!("{vat}.created"), &v.created)?;
            note_at(&format!("{vat}.note"), &v.note)?;
        }
        for (j, s) in a.statuses.iter().enumerate() {
            let sat = format!("{at}.statuses[{j}]");
            uuid_at(&format!("{sat}.uuid"), &s.uuid)?;
            Status::parse(&s.status).ok_or_else(|| bad(&format!("{sat}.status"), "active, paused or retired"))?;
            time_at(&format!("{sat}.effective"), &s.effective)?;
            time_at(&format!("{sat}.created"), &s.created)?;
        }
    }
    for (i, e) in f.entries.iter().enumerate() {
        let at = format!("entries[{i}]");
        uuid_at(&format!("{at}.uuid"), &e.uuid)?;
        uuid_at(&format!("{at}.agreement"), &e.agreement)?;
        crate::domain::Outcome::parse(&e.outcome)
            .ok_or_else(|| bad(&format!("{at}.outcome"), "kept, broken or excused"))?;
        time_at(&format!("{at}.at"), &e.at)?;
        time_at(&format!("{at}.logged_at"), &e.logged_at)?;
        note_at(&format!("{at}.note"), &e.note)?;
        validate_name(&e.logged_by).map_err(|x| bad(&format!("{at}.logged_by"), x.message))?;
        if let Some(v) = &e.void {
            uuid_at(&format!("{at}.void.uuid"), &v.uuid)?;
            note_at(&format!("{at}.void.reason"), &v.reason)?;
            time_at(&format!("{at}.void.at"), &v.at)?;
        }
    }
    for (i, r) in f.reminders.iter().enumerate() {
        let at = format!("reminders[{i}]");
        uuid_at(&format!("{at}.uuid"), &r.uuid)?;
        uuid_at(&format!("{at}.agreement"), &r.agreement)?;
        time_at(&format!("{at}.slot_start"), &r.slot_start)?;
        time_at(&format!("{at}.claimed"), &r.claimed)?;
        if let Some(res) = &r.result {
            uuid_at(&format!("{at}.result.uuid"), &res.uuid)?;
            if !matches!(res.outcome.as_str(), "sent" | "failed") {
                return Err(bad(&format!("{at}.result.outcome"), "sent or failed"));
            }
            note_at(&format!("{at}.result.detail"), &res.detail)?;
            time_at(&format!("{at}.result.at"), &res.at)?;
        }
    }
    Ok(())
}

/// Parse and validate an export without touching any ledger (fuzzing, tests).
pub fn check_import(text: &str) -> Result<()> {
    let file: File =
        serde_json::from_str(text).map_err(|e| bad(&format!("line {}, column {}", e.line(), e.column()), e))?;
    validate(&file)
}

pub fn import(ctx: &Ctx, ledger: &mut Ledger, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let bytes =
        std::fs::read(&a.file).map_err(|e| Error::usage(format!("could not read {}: {e}", a.file.display())))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| bad("the file", format!("not UTF-8 text ({e})")))?;
    let file: File =
        serde_json::from_str(text).map_err(|e| bad(&format!("line {}, column {}", e.line(), e.column()), e))?;
    validate(&file)?;
    let before = ledger.agreements()?;
    let tx = ledger.write()?;
    let mut added = (0, 0, 0);
    let mut new_agreements: Vec<(&str, &str)> = Vec::new();
    for (key, value) in &file.settings {
        if tx.setting(key)?.is_none() {
            let v = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
            tx.set_setting(&crate::ledger::new_uuid(), key, &v, ctx.now)?;
        }
    }
    let exists = |table: &str, uuid: &str| -> Result<Option<i64>> {
        Ok(tx.query_row(&format!("SELECT id FROM {table} WHERE uuid = ?1"), [uuid], |r| r.get(0)).optional()?)
    };
    let mut ids: HashMap<String, i64> = HashMap::new();
    for fa in &file.agreements {
        let id = match exists("agreements", &fa.uuid)? {
            Some(id) => id,
            None => {
                let starts = from_ts(time_at("", &fa.starts)?);
                // The slug is stored as made; where it clashes with a live
                // promise here, the one shown is derived on reading
                // (`converge::display_slugs`), the same on every device.
                let slug = fa.slug.clone();
                let zone = parse_zone(&fa.zone).map_err(Error::usage)?;
                let id = tx.add_agreement(&crate::ledger::NewAgreement {
                    uuid: fa.uuid.clone(),
                    slug: &slug,
                    text: &fa.text,
                    by: &fa.by,
                    to: &fa.to,
                    zone,
                    starts,
                    ends: fa.ends.as_deref().map(|e| time_at("", e).map(from_ts)).transpose()?,
                    remind: fa.remind.clone(),
                    created_at: from_ts(time_at("", &fa.created)?),
                })?;
                added.0 += 1;
                new_agreements.push((&fa.uuid, &fa.slug));
                id
            }
        };
        ids.insert(fa.uuid.clone(), id);
        for v in &fa.versions {
            if exists("terms_versions", &v.uuid)?.is_none() {
                tx.add_version(
                    &v.uuid,
                    id,
                    &v.terms,
                    v.unit.as_deref(),
                    from_ts(time_at("", &v.effective)?),
                    v.note.as_deref(),
                    from_ts(time_at("", &v.created)?),
                )?;
            }
        }
        for s in &fa.statuses {
            if exists("status_changes", &s.uuid)?.is_none() {
                let status = Status::parse(&s.status).expect("validated");
                tx.add_status(
                    &s.uuid,
                    id,
                    status,
                    from_ts(time_at("", &s.effective)?),
                    from_ts(time_at("", &s.created)?),
                )?;
            }
        }
        if let Some(v) = &fa.void {
            // Voided on two devices: both voids are kept (the earlier counts).
            if exists("voids", &v.uuid)?.is_none() {
                tx.void_agreement(&v.uuid, id, v.reason.as_deref(), from_ts(time_at("", &v.at)?))?;
            }
        }
    }
    let agreement_id = |uuid: &str, ids: &HashMap<String, i64>| -> Result<i64> {
        if let Some(id) = ids.get(uuid) {
            return Ok(*id);
        }
        exists("agreements", uuid)?.ok_or_else(|| {
            bad("entries", format!("an entry names agreement {uuid}, which is in neither the file nor this ledger"))
        })
    };
    for e in &file.entries {
        let aid = agreement_id(&e.agreement, &ids)?;
        let eid = match exists("entries", &e.uuid)? {
            Some(id) => id,
            None => {
                added.1 += 1;
                tx.add_entry(
                    &e.uuid,
                    aid,
                    crate::domain::Outcome::parse(&e.outcome).expect("validated"),
                    from_ts(time_at("", &e.at)?),
                    e.note.as_deref(),
                    &e.logged_by,
                    from_ts(time_at("", &e.logged_at)?),
                )?
            }
        };
        if let Some(v) = &e.void
            && exists("voids", &v.uuid)?.is_none()
        {
            tx.void_entry(&v.uuid, eid, v.reason.as_deref(), from_ts(time_at("", &v.at)?))?;
            added.2 += 1;
        }
    }
    for r in &file.reminders {
        let aid = agreement_id(&r.agreement, &ids)?;
        let cid = match exists("reminder_claims", &r.uuid)? {
            Some(id) => id,
            None => {
                tx.execute(
                    "INSERT INTO reminder_claims (uuid, agreement_id, slot_start, claimed_at) VALUES (?1, ?2, ?3, ?4)",
                    params![r.uuid, aid, time_at("", &r.slot_start)?, time_at("", &r.claimed)?],
                )?;
                tx.last_insert_rowid()
            }
        };
        if let Some(res) = &r.result
            && exists("reminder_results", &res.uuid)?.is_none()
        {
            let has: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM reminder_results WHERE claim_id = ?1)", [cid], |r| {
                    r.get(0)
                })?;
            if !has {
                tx.execute(
                    "INSERT INTO reminder_results (uuid, claim_id, outcome, detail, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![res.uuid, cid, res.outcome, res.detail, time_at("", &res.at)?],
                )?;
            }
        }
    }
    tx.commit()?;
    // A slug live here already is shown numbered (the stored one stays as made).
    // Either side may be the one made later, so look at both.
    let shown = ledger.agreements()?;
    let renamed: Vec<(String, String)> = shown
        .iter()
        .filter_map(|x| {
            let was = match new_agreements.iter().find(|(uuid, _)| *uuid == x.uuid) {
                Some((_, slug)) => slug.to_string(),
                None => before.iter().find(|b| b.uuid == x.uuid)?.slug.clone(),
            };
            (was != x.slug).then(|| (was, x.slug.clone()))
        })
        .collect();
    if ctx.env.json {
        return write_json(
            out,
            &json!({"agreements": added.0, "entries": added.1, "voids": added.2,
                    "renamed": renamed.iter().map(|(a, b)| json!({"from": a, "to": b})).collect::<Vec<_>>()}),
        );
    }
    writeln!(
        out,
        "imported  {} promises, {} entries, {} voids (already present ones skipped)",
        added.0, added.1, added.2
    )?;
    for (from, to) in renamed {
        writeln!(out, "          two promises are called \"{from}\": the one made later now shows as \"{to}\"")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        check_import(MINIMAL).unwrap();
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
            let _ = check_import(&s);
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
            let _ = check_import(&v.to_string());
        }
    }
}
