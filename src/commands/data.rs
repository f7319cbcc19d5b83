//! Data in and out: `export` (json backup, csv, ics calendar) and `import`.
//!
//! The JSON document and the door that imports it live in
//! `interchange::json`; this file is the commands around them.

use super::{Ctx, write_json};
use crate::cli::{ExportArgs, ExportFormat, ImportArgs};
use crate::domain::slots;
use crate::domain::terms::{self, Schedule, Terms};
use crate::domain::time::{Instant, rfc3339};
use crate::error::{Error, Result};
use crate::interchange::json::{self, Document};
use crate::ledger::Ledger;
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;

pub fn export(ctx: &Ctx, ledger: &Ledger, a: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    let format = if ctx.env.json { ExportFormat::Json } else { a.format };
    match format {
        ExportFormat::Json => write_json(&mut buf, &serde_json::to_value(Document::from_ledger(ledger, ctx.now)?)?)?,
        ExportFormat::Csv => export_csv(ledger, &mut buf)?,
        ExportFormat::Ics => export_ics(ledger, ctx.now, &mut buf)?,
    }
    match &a.output {
        Some(path) => crate::ledger::files::write_output(&ctx.env.db, path, &buf)?,
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

/// Parse and check an export without touching any ledger (fuzzing, tests).
pub fn check_import(text: &str) -> Result<()> {
    json::check_text(text)
}

pub fn import(ctx: &Ctx, ledger: &mut Ledger, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let bytes = std::fs::read(&a.file).map_err(|e| {
        Error::usage(format!("could not read {}: {e}", crate::time::printable(&a.file.display().to_string())))
    })?;
    let doc = Document::parse(&bytes)?;
    let before = ledger.agreements()?;
    let done = json::apply(ledger, &doc, ctx.now)?;
    // Slugs are stored as made; where two live promises now share one, the
    // one made later shows numbered — either side may be that one.
    let renamed: Vec<(String, String)> = ledger
        .agreements()?
        .iter()
        .filter_map(|x| {
            let was = match before.iter().find(|b| b.uuid == x.uuid) {
                Some(b) => b.slug.clone(),
                None => doc.agreements.iter().find(|d| d.uuid.eq_ignore_ascii_case(&x.uuid))?.slug.trim().to_string(),
            };
            (was != x.slug).then(|| (was, x.slug.clone()))
        })
        .collect();
    if ctx.env.json {
        return write_json(
            out,
            &json!({"agreements": done.agreements, "entries": done.entries, "voids": done.voids,
                    "new": done.new, "skipped": done.skipped,
                    "renamed": renamed.iter().map(|(a, b)| json!({"from": a, "to": b})).collect::<Vec<_>>()}),
        );
    }
    writeln!(
        out,
        "imported  {} promises, {} entries, {} voids ({} facts already here, skipped)",
        done.agreements, done.entries, done.voids, done.skipped
    )?;
    for (from, to) in renamed {
        writeln!(out, "          two promises are called \"{from}\": the one made later now shows as \"{to}\"")?;
    }
    Ok(())
}
